/* fuzz-csv.c: the CSV reader, as libFuzzer drives it
 *
 * The first byte chooses the separator (comma or tab); the rest is the file. Every record
 * is read to the end or to the first error, which must name a field the record has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-csv-private.h"
#include "rounds-error.h"
#include "rounds-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) memory = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(RoundsCsvReader) reader = NULL;
  guint last_line = 0;

  if (size == 0)
    return 0;
  memory = g_memory_input_stream_new_from_data (g_memdup2 (data + 1, size - 1), size - 1,
                                                g_free);
  stream = g_data_input_stream_new (memory);
  reader = _rounds_csv_reader_new (stream, (data[0] & 1) ? '\t' : ',');

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;

      fields = _rounds_csv_reader_next (reader, &line, NULL, &error);
      if (fields == NULL)
        {
          if (error != NULL)
            {
              g_assert_true (g_error_matches (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT));
              g_assert_cmpuint (_rounds_csv_reader_get_error_field (reader), >=, 1);
              g_assert_cmpuint (line, >, last_line);
            }
          break;
        }
      /* A record starts on a later line than the last, and has at least one field. */
      g_assert_cmpuint (line, >, last_line);
      g_assert_cmpuint (fields->len, >=, 1);
      last_line = line;
    }
  return 0;
}
