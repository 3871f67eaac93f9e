/* rounds-json-scan.c: what JSON text is checked for before json-glib parses it
 *
 * json-glib keeps strings as C strings, so "\u0000" cuts a text short without a word, and
 * its parser recurses once a nesting level, so a deep enough line overflows the stack. One
 * pass over the bytes, counting brackets outside strings, finds both before the parser
 * runs; for a NUL it names the field on the line, as the importer's errors do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <string.h>

#include "rounds-json-scan-private.h"

/* An object or array the scan is inside, and which of its members or elements. */
typedef struct
{
  gboolean    is_object;
  gboolean    expect_key;
  const char *key;          /* as written, between its quotes; NULL before the first */
  gsize       key_length;
  guint       index;
} Frame;

/* The path of the member or element the scan stands in, as "responses[1].text"; NULL at
 * the top level. */
static char *
frames_to_path (const Frame *frames,
                guint        depth)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    {
      if (!frames[i].is_object)
        g_string_append_printf (path, "[%u]", frames[i].index);
      else if (frames[i].key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, frames[i].key, frames[i].key_length);
        }
    }
  if (path->len == 0)
    {
      g_string_free (path, TRUE);
      return NULL;
    }
  return g_string_free (path, FALSE);
}

/**
 * _rounds_json_scan:
 * @text: a JSON text of @length bytes, not necessarily valid
 * @field: (out) (optional): on %ROUNDS_JSON_SCAN_NUL, the path of the field it is in, or
 *   %NULL when it is outside every member
 *
 * Returns: whether @text is nested deeper than %ROUNDS_JSON_MAX_DEPTH or holds a NUL
 *   character (a raw byte, or "\u0000" in a string); else %ROUNDS_JSON_SCAN_OK
 */
RoundsJsonScan
_rounds_json_scan (const char  *text,
                   gsize        length,
                   char       **field)
{
  Frame frames[ROUNDS_JSON_MAX_DEPTH];
  const char *end = text + length;
  const char *p = text;
  guint depth = 0;

  if (field != NULL)
    *field = NULL;

  while (p < end)
    {
      Frame *top = depth > 0 ? &frames[depth - 1] : NULL;

      if (*p == '"')
        {
          const char *start = ++p;
          gboolean nul = FALSE;

          for (; p < end && *p != '"'; p++)
            {
              if (*p == '\0')
                nul = TRUE;
              else if (*p == '\\' && p + 1 < end)
                {
                  p++;
                  if (*p == 'u' && end - p >= 5 && memcmp (p + 1, "0000", 4) == 0)
                    nul = TRUE;
                }
            }
          if (top != NULL && top->is_object && top->expect_key)
            {
              top->key = start;
              top->key_length = p - start;
              top->expect_key = FALSE;
            }
          if (nul)
            goto found_nul;
          if (p < end)
            p++;
          continue;
        }

      switch (*p)
        {
        case '\0':
          goto found_nul;
        case '{':
        case '[':
          if (depth == ROUNDS_JSON_MAX_DEPTH)
            return ROUNDS_JSON_SCAN_TOO_DEEP;
          frames[depth++] = (Frame) { .is_object = *p == '{', .expect_key = TRUE };
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;
        case ',':
          if (top != NULL && top->is_object)
            {
              top->expect_key = TRUE;
              top->key = NULL;
            }
          else if (top != NULL)
            top->index++;
          break;
        default:
          break;
        }
      p++;
    }
  return ROUNDS_JSON_SCAN_OK;

found_nul:
  if (field != NULL)
    *field = frames_to_path (frames, depth);
  return ROUNDS_JSON_SCAN_NUL;
}
