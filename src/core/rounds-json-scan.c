/* rounds-json-scan.c: what JSON text is checked for before json-glib parses it
 *
 * json-glib keeps strings as C strings, so "\u0000" cuts a text short without a word; it
 * turns an unpaired surrogate ("\ud800"), "\u" without four hex digits, or an escape JSON
 * does not have (its scanner reads "\245" as the byte 0xA5), into bytes that are not UTF-8;
 * and its parser
 * recurses once a nesting level, so a deep enough line overflows the stack. One pass over
 * the bytes, counting brackets outside strings, finds them all before the parser runs, and
 * names the field on the line, as the importer's errors do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

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
  /* The scan runs before the encoding is checked: a name may be bad UTF-8. */
  if (!g_utf8_validate (path->str, path->len, NULL))
    {
      char *valid = g_utf8_make_valid (path->str, path->len);

      g_string_free (path, TRUE);
      return valid;
    }
  return g_string_free (path, FALSE);
}

/* The code point of the escape "\uXXXX" whose "u" is at @p, or -1. */
static int
escape_value (const char *p,
              const char *end)
{
  int value = 0;

  if (end - p < 5)
    return -1;
  for (guint i = 1; i <= 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/**
 * _rounds_json_scan:
 * @text: a JSON text of @length bytes, not necessarily valid
 * @field: (out) (optional): unless the text is too deep, the path of the field the fault is
 *   in, or %NULL when it is outside every member
 *
 * Returns: what is wrong with @text, the first thing found; else %ROUNDS_JSON_SCAN_OK
 */
RoundsJsonScan
_rounds_json_scan (const char  *text,
                   gsize        length,
                   char       **field)
{
  Frame frames[ROUNDS_JSON_MAX_DEPTH];
  const char *end = text + length;
  const char *p = text;
  RoundsJsonScan found = ROUNDS_JSON_SCAN_OK;
  guint depth = 0;

  if (field != NULL)
    *field = NULL;

  while (p < end)
    {
      Frame *top = depth > 0 ? &frames[depth - 1] : NULL;

      if (*p == '"')
        {
          const char *start = ++p;

          for (; p < end && *p != '"'; p++)
            {
              int value;

              if (*p == '\0')
                found = found ? found : ROUNDS_JSON_SCAN_NUL;
              else if (*p != '\\' || p + 1 == end)
                continue;   /* a byte */
              else if (p[1] != '\0' && strchr ("\"\\/bfnrt", p[1]) != NULL)
                p++;        /* an escape of one byte, stepped over */
              else if (*++p != 'u' || (value = escape_value (p, end)) < 0)
                found = found ? found : ROUNDS_JSON_SCAN_BAD_ESCAPE;
              else
                {
                  /* A high surrogate must have its low one next: json-glib turns a lone
                   * one into bytes that are not UTF-8. */
                  if (value >= 0xD800 && value <= 0xDBFF && end - p >= 11 &&
                      p[5] == '\\' && p[6] == 'u' &&
                      escape_value (p + 6, end) >= 0xDC00 && escape_value (p + 6, end) <= 0xDFFF)
                    p += 6;
                  else if (value >= 0xD800 && value <= 0xDFFF)
                    found = found ? found : ROUNDS_JSON_SCAN_SURROGATE;
                  else if (value == 0)
                    found = found ? found : ROUNDS_JSON_SCAN_NUL;
                  p += 4;
                }
            }
          if (top != NULL && top->is_object && top->expect_key)
            {
              top->key = start;
              top->key_length = p - start;
              top->expect_key = FALSE;
            }
          if (found)
            goto found;
          if (p < end)
            p++;
          continue;
        }

      switch (*p)
        {
        case '\0':
          found = ROUNDS_JSON_SCAN_NUL;
          goto found;
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

found:
  if (field != NULL)
    *field = frames_to_path (frames, depth);
  return found;
}

/* What _rounds_json_scan() found, as the end of a message naming the field. */
char *
_rounds_json_scan_describe (RoundsJsonScan scan)
{
  switch (scan)
    {
    case ROUNDS_JSON_SCAN_NUL:
      return g_strdup (_("contains a NUL character"));
    case ROUNDS_JSON_SCAN_SURROGATE:
      return g_strdup (_("not valid text: an escape from \\ud800 to \\udfff without its other "
                         "half"));
    case ROUNDS_JSON_SCAN_BAD_ESCAPE:
      return g_strdup (_("not valid JSON: an escape that JSON does not have (only \\\" \\\\ "
                         "\\/ \\b \\f \\n \\r \\t and \\u with four hex digits)"));
    case ROUNDS_JSON_SCAN_TOO_DEEP:
      return g_strdup_printf (_("objects and arrays nested deeper than %d levels"),
                              ROUNDS_JSON_MAX_DEPTH);
    case ROUNDS_JSON_SCAN_OK:
    default:
      return NULL;
    }
}
