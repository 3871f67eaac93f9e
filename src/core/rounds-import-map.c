/* rounds-import-map.c: any JSONL or CSV layout, read through field maps (--map TARGET=PATH)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-csv-private.h"
#include "rounds-error.h"
#include "rounds-field-path-private.h"
#include "rounds-importer-private.h"

typedef enum
{
  TARGET_ID,
  TARGET_DATASET,
  TARGET_TITLE,
  TARGET_SCENARIO,
  TARGET_SPECIALTY,
  TARGET_LANGUAGE,
  TARGET_RESPONSES,
  TARGET_MODEL,
  TARGET_RESPONSE_ID,
  TARGET_METADATA,
} Target;

static const struct { Target target; const char *name; gboolean list; } targets[] = {
  { TARGET_ID,          "id",          FALSE },
  { TARGET_DATASET,     "dataset",     FALSE },
  { TARGET_TITLE,       "title",       FALSE },
  { TARGET_SCENARIO,    "scenario",    FALSE },
  { TARGET_SPECIALTY,   "specialty",   FALSE },
  { TARGET_LANGUAGE,    "language",    FALSE },
  { TARGET_RESPONSES,   "responses",   TRUE },
  { TARGET_MODEL,       "model",       TRUE },
  { TARGET_RESPONSE_ID, "response_id", TRUE },
};

struct _RoundsImportMap
{
  Target      target;
  char       *metadata_name;   /* for metadata.NAME */
  GPtrArray  *paths;           /* RoundsFieldPath */
};

void
_rounds_import_map_free (gpointer data)
{
  RoundsImportMap *map = data;

  g_free (map->metadata_name);
  g_ptr_array_unref (map->paths);
  g_free (map);
}
/* A map from a --map spec, as rounds_importer_add_map() takes it. */
RoundsImportMap *
_rounds_import_map_new (const char  *spec,
                        GError     **error)
{
  g_autofree char *target = NULL;
  g_auto(GStrv) paths = NULL;
  RoundsImportMap *map;
  const char *eq;
  int found = -1;

  eq = strchr (spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("--map “%s”: write TARGET=PATH, as in scenario=question"), spec);
      return NULL;
    }
  target = g_strndup (spec, eq - spec);
  paths = g_strsplit (eq + 1, ",", -1);

  map = g_new0 (RoundsImportMap, 1);
  map->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) _rounds_field_path_free);
  if (g_str_has_prefix (target, "metadata.") && target[9] != '\0')
    {
      map->target = TARGET_METADATA;
      map->metadata_name = g_strdup (target + 9);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        if (g_str_equal (target, targets[i].name))
          found = (int) i;
      if (found < 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: unknown target “%s”: use id, dataset, title, "
                         "scenario, specialty, language, responses, model, response_id or "
                         "metadata.NAME"),
                       spec, target);
          _rounds_import_map_free (map);
          return NULL;
        }
      map->target = targets[found].target;
    }

  for (guint i = 0; paths[i]; i++)
    {
      g_autoptr(GError) local_error = NULL;
      RoundsFieldPath *path = _rounds_field_path_parse (g_strstrip (paths[i]), &local_error);

      if (path == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "--map “%s”: ",
                                      spec);
          _rounds_import_map_free (map);
          return NULL;
        }
      if (_rounds_field_path_is_list (path) && found >= 0 && !targets[found].list)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: “%s” takes one value, but “%s” is a list"),
                       spec, target, paths[i]);
          _rounds_field_path_free (path);
          _rounds_import_map_free (map);
          return NULL;
        }
      g_ptr_array_add (map->paths, path);
    }
  return map;
}

/* Mapped records ------------------------------------------------------------------- */

/* The values a map finds in a record, as strings, with the path of each. */
static gboolean
map_values (RoundsImportRun  *run,
            RoundsImportMap  *map,
            JsonNode         *record,
            GPtrArray        *values,
            GPtrArray        *names,
            GError          **error)
{
  for (guint p = 0; p < map->paths->len; p++)
    {
      RoundsFieldPath *path = g_ptr_array_index (map->paths, p);
      g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (run->is_csv)
        {
          JsonObject *object = json_node_get_object (record);
          JsonNode *node = json_object_get_member (object, _rounds_field_path_get_text (path));

          if (node == NULL)
            return _rounds_import_fail (run, error, _rounds_field_path_get_text (path),
                                        _("no such column in the header"));
          g_ptr_array_add (nodes, node);
          g_ptr_array_add (found, g_strdup (_rounds_field_path_get_text (path)));
        }
      else
        _rounds_field_path_eval (path, record, nodes, found);

      for (guint i = 0; i < nodes->len; i++)
        {
          JsonNode *node = g_ptr_array_index (nodes, i);
          const char *name = g_ptr_array_index (found, i);
          GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                    : G_TYPE_INVALID;

          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (type == G_TYPE_STRING)
            g_ptr_array_add (values, g_strdup (json_node_get_string (node)));
          else if (type == G_TYPE_INT64)
            g_ptr_array_add (values,
                             g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
          else if (map->target == TARGET_METADATA)
            g_ptr_array_add (values, json_to_string (node, FALSE));
          else
            return _rounds_import_fail (run, error, name,
                                        _("expected a string (mapped to “%s”)"),
                                        targets[map->target].name);
          g_ptr_array_add (names, g_strdup (name));
        }
    }
  return TRUE;
}

gboolean
_rounds_import_mapped_record (RoundsImportRun  *run,
                              JsonNode         *record,
                              GError          **error)
{
  g_auto(RoundsImportItem) item;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  gboolean has_metadata = FALSE;
  GPtrArray *maps = run->maps;

  _rounds_import_item_init (&item);
  json_builder_begin_object (metadata);

  for (guint m = 0; m < maps->len; m++)
    {
      RoundsImportMap *map = g_ptr_array_index (maps, m);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *first_path = _rounds_field_path_get_text (g_ptr_array_index (map->paths, 0));
      char **single = NULL;

      if (!map_values (run, map, record, values, names, error))
        return FALSE;

      switch (map->target)
        {
        case TARGET_RESPONSES:
          for (guint i = 0; i < values->len; i++)
            {
              RoundsImportResponse r = { NULL };

              if (*(const char *) g_ptr_array_index (values, i) == '\0')
                return _rounds_import_fail (run, error, g_ptr_array_index (names, i),
                                            _("empty (mapped to “responses”)"));
              r.text = g_strdup (g_ptr_array_index (values, i));
              g_array_append_val (item.responses, r);
            }
          continue;
        case TARGET_MODEL:
          g_ptr_array_extend_and_steal (models, g_steal_pointer (&values));
          continue;
        case TARGET_RESPONSE_ID:
          g_ptr_array_extend_and_steal (ids, g_steal_pointer (&values));
          continue;
        case TARGET_METADATA:
          if (values->len > 0)
            {
              const char *value = g_ptr_array_index (values, 0);
              g_autoptr(JsonNode) parsed = NULL;

              if (!_rounds_import_scan_json (run, value, strlen (value),
                                             g_ptr_array_index (names, 0), error))
                return FALSE;
              parsed = json_from_string (value, NULL);

              json_builder_set_member_name (metadata, map->metadata_name);
              if (parsed != NULL && !JSON_NODE_HOLDS_VALUE (parsed))
                json_builder_add_value (metadata, g_steal_pointer (&parsed));
              else
                json_builder_add_string_value (metadata, g_ptr_array_index (values, 0));
              has_metadata = TRUE;
            }
          continue;
        case TARGET_ID: single = &item.key; break;
        case TARGET_DATASET: single = &item.dataset; break;
        case TARGET_TITLE: single = &item.title; break;
        case TARGET_SCENARIO: single = &item.scenario; break;
        case TARGET_SPECIALTY: single = &item.specialty; break;
        case TARGET_LANGUAGE: single = &item.language; break;
        default: g_assert_not_reached ();
        }

      if (values->len > 1)
        return _rounds_import_fail (run, error, first_path,
                                    _("found %u values for “%s”, which takes one"),
                                    values->len, targets[map->target].name);
      if (values->len == 1)
        *single = g_strdup (g_ptr_array_index (values, 0));
    }
  json_builder_end_object (metadata);

  if (item.scenario == NULL || *item.scenario == '\0')
    {
      const char *field = "scenario";

      for (guint m = 0; m < maps->len; m++)
        {
          RoundsImportMap *map = g_ptr_array_index (maps, m);

          if (map->target == TARGET_SCENARIO)
            {
              field = _rounds_field_path_get_text (g_ptr_array_index (map->paths, 0));
              break;
            }
        }
      return _rounds_import_fail (run, error, field,
                                  _("missing or empty (mapped to “scenario”)"));
    }
  if (models->len > 0 && models->len != item.responses->len)
    return _rounds_import_fail (run, error, "model", _("found %u models for %u responses"),
                                models->len, item.responses->len);
  if (ids->len > 0 && ids->len != item.responses->len)
    return _rounds_import_fail (run, error, "response_id",
                                _("found %u response ids for %u responses"),
                                ids->len, item.responses->len);
  for (guint i = 0; i < item.responses->len; i++)
    {
      RoundsImportResponse *r = &g_array_index (item.responses, RoundsImportResponse, i);

      if (i < models->len)
        r->model = g_strdup (g_ptr_array_index (models, i));
      if (i < ids->len)
        r->key = g_strdup (g_ptr_array_index (ids, i));
    }
  if (has_metadata)
    item.metadata = json_builder_get_root (metadata);
  if (!_rounds_import_check_responses (run, &item, error))
    return FALSE;

  if (item.key == NULL)
    {
      g_autofree char *hash = _rounds_import_item_hash (&item);

      item.key = g_strdup_printf ("item-%.16s", hash);
    }
  return _rounds_import_store_item (run, &item, "dataset", error);
}

/* A CSV row as a record of strings by column name. */
static gboolean
csv_record (RoundsImportRun  *run,
            GPtrArray        *fields,
            GError          **error)
{
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonObject) object = NULL;

  if (fields->len != run->csv_header->len)
    return _rounds_import_fail (run, error, NULL,
                                _("expected %u fields, as in the header, found %u"),
                                run->csv_header->len, fields->len);

  object = json_object_new ();
  for (guint i = 0; i < fields->len; i++)
    {
      const char *value = g_ptr_array_index (fields, i);
      const char *column = g_ptr_array_index (run->csv_header, i);

      if (!g_utf8_validate (value, -1, NULL))
        return _rounds_import_fail (run, error, column, _("not valid UTF-8 text"));
      json_object_set_string_member (object, column, value);
    }
  record = json_node_init_object (json_node_alloc (), object);
  return _rounds_import_mapped_record (run, record, error);
}

/* CSV rows (tab-separated in a .tsv file) under a header row whose names are the paths. */
gboolean
_rounds_import_csv_rows (RoundsImportRun   *run,
                         GDataInputStream  *data,
                         GCancellable      *cancellable,
                         GError           **error)
{
  char separator = g_str_has_suffix (run->display, ".tsv") ? '\t' : ',';
  g_autoptr(RoundsCsvReader) reader = _rounds_csv_reader_new (data, separator);
  g_autoptr(GError) local_error = NULL;

  run->csv_header = _rounds_csv_reader_next (reader, &run->line, cancellable, &local_error);
  if (run->csv_header == NULL)
    {
      if (local_error != NULL && local_error->domain != ROUNDS_ERROR)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", run->display);
          return FALSE;
        }
      run->line = MAX (run->line, 1);
      if (local_error)
        {
          /* The header has no names yet: its fields go by number. */
          guint n = _rounds_csv_reader_get_error_field (reader);
          g_autofree char *column = n > 0 ? g_strdup_printf ("%u", n) : NULL;

          return _rounds_import_fail (run, error, column, "%s", local_error->message);
        }
      return _rounds_import_fail (run, error, NULL, _("the file is empty: expected a header row"));
    }
  /* Column names go into messages; a bad one would make the message bad too. */
  for (guint i = 0; i < run->csv_header->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (run->csv_header, i), -1, NULL))
      {
        g_autofree char *column = g_strdup_printf ("%u", i + 1);

        return _rounds_import_fail (run, error, column, _("not valid UTF-8 text"));
      }

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;

      fields = _rounds_csv_reader_next (reader, &run->line, cancellable, &local_error);
      if (fields == NULL)
        {
          if (local_error != NULL && local_error->domain != ROUNDS_ERROR)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                          run->display);
              return FALSE;
            }
          if (local_error != NULL)
            {
              guint column = _rounds_csv_reader_get_error_field (reader);

              return _rounds_import_fail (run, error,
                                          column >= 1 && column <= run->csv_header->len
                                          ? g_ptr_array_index (run->csv_header, column - 1)
                                          : NULL,
                                          "%s", local_error->message);
            }
          return TRUE;
        }
      run->result.n_records++;
      if (!csv_record (run, fields, error) || !_rounds_import_checkpoint (run, cancellable, error))
        return FALSE;
    }
}
