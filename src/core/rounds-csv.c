/* rounds-csv.c: a streaming reader of CSV records (RFC 4180)
 *
 * Quoted fields may hold separators, doubled quotes and line breaks, so a record can span
 * lines; the reader reports the line a record starts on, for error messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-csv-private.h"
#include "rounds-error.h"

struct _RoundsCsvReader
{
  GDataInputStream *stream;
  char              separator;
  guint             line;      /* lines read so far */
  guint             error_field;
};

RoundsCsvReader *
_rounds_csv_reader_new (GDataInputStream *stream,
                        char              separator)
{
  RoundsCsvReader *reader = g_new0 (RoundsCsvReader, 1);

  reader->stream = g_object_ref (stream);
  reader->separator = separator;
  return reader;
}

void
_rounds_csv_reader_free (RoundsCsvReader *reader)
{
  g_clear_object (&reader->stream);
  g_free (reader);
}

/* A line without its line break; @end gets its end, so that a NUL byte in it is seen. */
static char *
read_line (RoundsCsvReader  *reader,
           const char      **end,
           GCancellable     *cancellable,
           GError          **error)
{
  gsize length = 0;
  char *text = g_data_input_stream_read_line (reader->stream, &length, cancellable, error);

  if (text == NULL)
    return NULL;
  reader->line++;
  if (length > 0 && text[length - 1] == '\r')
    text[--length] = '\0';
  if (reader->line == 1 && g_str_has_prefix (text, "\xEF\xBB\xBF"))
    {
      length -= 3;
      memmove (text, text + 3, length + 1);
    }
  *end = text + length;
  return text;
}

/* The field, counted from 1, that the last error was found in; 0 if none. */
guint
_rounds_csv_reader_get_error_field (RoundsCsvReader *reader)
{
  return reader->error_field;
}

/**
 * _rounds_csv_reader_next:
 * @line: (out): the line the record starts on, or on an error the line of the error
 *
 * Returns: (transfer full) (nullable): the fields of the next record as strings, or
 *   %NULL at the end (without an error) or on a malformed record (with one)
 */
GPtrArray *
_rounds_csv_reader_next (RoundsCsvReader  *reader,
                         guint            *line,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;
  g_autofree char *text = NULL;
  gboolean quoted = FALSE;
  const char *end = NULL;
  const char *p;

  reader->error_field = 0;
  do
    {
      g_clear_pointer (&text, g_free);
      if (!(text = read_line (reader, &end, cancellable, error)))
        return NULL;
    }
  while (end == text);

  *line = reader->line;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  p = text;

  for (;;)
    {
      if (p < end && *p == '\0')
        {
          /* A C string would end there and shift every field after it. */
          reader->error_field = fields->len + 1;
          *line = reader->line;
          g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                               _("contains a NUL character"));
          return NULL;
        }
      if (p == end)
        {
          if (!quoted)
            break;
          /* A quoted field goes on across the line break. */
          g_clear_pointer (&text, g_free);
          if (!(text = read_line (reader, &end, cancellable, error)))
            {
              /* The message leaves the file, line and field to the caller. */
              if (error && *error == NULL)
                {
                  reader->error_field = fields->len + 1;
                  g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                                       _("a quoted field is never closed"));
                }
              return NULL;
            }
          g_string_append_c (field, '\n');
          p = text;
          continue;
        }

      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
            }
          else if (*p == '"')
            {
              quoted = FALSE;
              p++;
              if (*p != '\0' && *p != reader->separator)
                {
                  reader->error_field = fields->len + 1;
                  *line = reader->line;
                  g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                                       _("text after a closing quote"));
                  return NULL;
                }
            }
          else
            g_string_append_c (field, *p++);
        }
      else if (*p == '"' && field->len == 0)
        {
          quoted = TRUE;
          p++;
        }
      else if (*p == reader->separator)
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else
        g_string_append_c (field, *p++);
    }

  g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
  return g_steal_pointer (&fields);
}
