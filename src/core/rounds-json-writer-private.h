/* rounds-json-writer-private.h: JSON written by hand, the same bytes for the same input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Records are written by hand into a GString: the same input gives the same bytes, whatever
 * json-glib's number formatting does next year. The JSON the store wrote itself (scores,
 * flags, rankings) is trusted and taken apart without a parser. */

/* g_string_append_len without the call when the buffer has room, which it nearly always
 * has: the output buffers are allocated a little over their flush size. */
static inline void
_rounds_json_append_len (GString    *out,
                         const char *text,
                         gsize       len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      memcpy (out->str + out->len, text, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, len);
}

#define ROUNDS_JSON_APPEND_LITERAL(out, literal) \
  _rounds_json_append_len ((out), "" literal, sizeof (literal) - 1)

void   _rounds_json_append_string  (GString     *out,
                                    const char  *text);
void   _rounds_json_append_uint    (GString     *out,
                                    guint64      value);
void   _rounds_json_append_member  (GString     *out,
                                    gboolean    *first,
                                    const char  *name);
void   _rounds_json_append_number  (GString     *out,
                                    double       value);
void   _rounds_json_append_raw     (GString     *out,
                                    const char  *json);

guint  _rounds_json_split_array    (const char  *json,
                                    const char **starts,
                                    guint       *lengths,
                                    guint        max);
guint  _rounds_json_parse_ints     (const char  *json,
                                    int         *values,
                                    guint        max);

typedef void (*RoundsJsonScoreFunc) (const char *name,
                                     guint       name_len,
                                     int         value,
                                     gpointer    data);

void   _rounds_json_for_each_score (const char          *object,
                                    guint                len,
                                    RoundsJsonScoreFunc  func,
                                    gpointer             data);

G_END_DECLS
