/* fuzz-field-path.c: field paths (--map TARGET=PATH) over JSON records, as libFuzzer drives it
 *
 * An input is a path, a line break and a JSON record. The record goes through the scan the
 * importer runs before json-glib (NUL, nesting), then the path is parsed and evaluated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "rounds-field-path-private.h"
#include "rounds-fuzz.h"
#include "rounds-json-scan-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *newline = memchr (text, '\n', size);
  g_autoptr(RoundsFieldPath) path = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path_text = NULL;
  g_autofree char *field = NULL;
  const char *json;
  gsize json_length;

  if (newline == NULL)
    newline = text + size;
  path_text = g_strndup (text, newline - text);
  json = newline < text + size ? newline + 1 : newline;
  json_length = text + size - json;

  path = _rounds_field_path_parse (path_text, &error);
  if (path == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (_rounds_field_path_get_text (path), ==, path_text);

  if (_rounds_json_scan (json, json_length, &field) != ROUNDS_JSON_SCAN_OK)
    return 0;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, json_length, NULL) ||
      json_parser_get_root (parser) == NULL)
    return 0;

  nodes = g_ptr_array_new ();
  names = g_ptr_array_new_with_free_func (g_free);
  _rounds_field_path_eval (path, json_parser_get_root (parser), nodes, names);
  g_assert_cmpuint (nodes->len, ==, names->len);
  /* Without [] a path finds one value at most. */
  if (!_rounds_field_path_is_list (path))
    g_assert_cmpuint (nodes->len, <=, 1);
  for (guint i = 0; i < names->len; i++)
    g_assert_nonnull (g_ptr_array_index (nodes, i));
  return 0;
}
