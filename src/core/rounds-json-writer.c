/* rounds-json-writer.c: JSON written by hand, the same bytes for the same input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-json-writer"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rounds-json-writer-private.h"

/* Characters that stop the copying loop: the end, controls, quote and backslash. */
static const guint8 json_stop[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
  [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
  [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
  [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
  ['"'] = 1, ['\\'] = 1,
};

void
_rounds_json_append_string (GString    *out,
                            const char *text)
{
  const unsigned char *p = (const unsigned char *) text;

  g_string_append_c (out, '"');
  for (;;)
    {
      const unsigned char *run = p;
      char buffer[8];
      const char *escape;

      while (!json_stop[*p])
        p++;
      _rounds_json_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          g_snprintf (buffer, sizeof buffer, "\\u%04x", *p);
          escape = buffer;
        }
      g_string_append (out, escape);
      p++;
    }
  g_string_append_c (out, '"');
}

void
_rounds_json_append_uint (GString *out,
                          guint64  value)
{
  char buffer[24];
  int i = sizeof buffer;

  do
    buffer[--i] = (char) ('0' + value % 10);
  while ((value /= 10) != 0);
  g_string_append_len (out, buffer + i, sizeof buffer - i);
}

void
_rounds_json_append_member (GString    *out,
                            gboolean   *first,
                            const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  _rounds_json_append_string (out, name);
  g_string_append_c (out, ':');
}

/* Up to four decimals, no trailing zeros, no "-0": stable across platforms. */
void
_rounds_json_append_number (GString *out,
                            double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  if (!isfinite (value))
    {
      ROUNDS_JSON_APPEND_LITERAL (out, "null");
      return;
    }
  value = round (value * 10000.0) / 10000.0;
  if (value == 0.0)
    value = 0.0;
  if (value == (double) (gint64) value && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  g_ascii_formatd (buffer, sizeof buffer, "%.4f", value);
  len = strlen (buffer);
  while (len > 0 && buffer[len - 1] == '0')
    buffer[--len] = '\0';
  g_string_append (out, buffer);
}

/* A JSON value kept as the store wrote it (json-glib's compact form). */
void
_rounds_json_append_raw (GString    *out,
                         const char *json)
{
  g_string_append (out, json != NULL ? json : "null");
}

/* Characters _rounds_json_split_array() stops at; everything else is copied over. */
static const guint8 split_stop[256] = {
  [0] = 1, ['"'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [','] = 1,
};

/* Splits a JSON array the store wrote ("[{…},{…}]", "[[\"unsafe\"],[]]") into its
 * top-level elements, without a parser: the store's own output is trusted. */
guint
_rounds_json_split_array (const char  *json,
                          const char **starts,
                          guint       *lengths,
                          guint        max)
{
  const char *p = json;
  const char *start = NULL;
  int depth = 0;
  guint n = 0;

  if (json == NULL)
    return 0;
  for (;; p++)
    {
      while (!split_stop[(unsigned char) *p])
        {
          if (depth == 1 && start == NULL && *p != ' ')
            start = p;
          p++;
        }
      switch (*p)
        {
        case '\0':
          return n;
        case '"':
          if (depth == 1 && start == NULL)
            start = p;
          for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
              p++;
          if (!*p)
            return n;
          break;
        case '[': case '{':
          if (depth == 1 && start == NULL)
            start = p;
          depth++;
          break;
        case ']': case '}':
          depth--;
          if (depth == 0 && start != NULL && n < max)
            {
              starts[n] = start;
              lengths[n++] = p - start;
              start = NULL;
            }
          break;
        case ',':
          if (depth == 1 && start != NULL && n < max)
            {
              starts[n] = start;
              lengths[n++] = p - start;
              start = NULL;
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

guint
_rounds_json_parse_ints (const char *json,
                         int        *values,
                         guint       max)
{
  const char *p = json;
  guint n = 0;

  if (json == NULL)
    return 0;
  while (*p && n < max)
    {
      char *end;
      long value;

      while (*p && *p != '-' && !g_ascii_isdigit (*p))
        p++;
      if (!*p)
        break;
      value = strtol (p, &end, 10);
      values[n++] = (int) value;
      p = end;
    }
  return n;
}

/* Calls @func for every "criterion": score of one response's object "{\"a\":4,…}". */
void
_rounds_json_for_each_score (const char          *object,
                             guint                len,
                             RoundsJsonScoreFunc  func,
                             gpointer             data)
{
  const char *p = object, *end = object + len;

  while (p < end)
    {
      const char *name, *name_end;
      char *number_end;
      long value;

      if (*p != '"')
        {
          p++;
          continue;
        }
      name = ++p;
      while (p < end && *p != '"')
        p += (*p == '\\') ? 2 : 1;
      name_end = p++;
      while (p < end && (*p == ':' || *p == ' '))
        p++;
      value = strtol (p, &number_end, 10);
      if (number_end == p)
        continue;
      func (name, name_end - name, (int) value, data);
      p = number_end;
    }
}
