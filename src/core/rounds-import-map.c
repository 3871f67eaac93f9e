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
  TARGET_CHOSEN,
  TARGET_REJECTED,
  TARGET_REFERENCE,
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
  { TARGET_CHOSEN,      "chosen",      FALSE },
  { TARGET_REJECTED,    "rejected",    FALSE },
  { TARGET_REFERENCE,   "reference",   FALSE },
};

struct _RoundsImportMap
{
  Target      target;
  char       *metadata_name;   /* for metadata.NAME and reference.NAME */
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
  else if (g_str_has_prefix (target, "reference.") && target[10] != '\0' &&
           g_strcmp0 (target + 10, "preferred") != 0 && g_strcmp0 (target + 10, "source") != 0)
    {
      map->target = TARGET_REFERENCE;
      map->metadata_name = g_strdup (target + 10);
      found = TARGET_REFERENCE;
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
                         "scenario, specialty, language, responses, model, response_id, "
                         "chosen, rejected, reference, reference.NAME or metadata.NAME"),
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

/* Checking maps together ------------------------------------------------------------ */

static gboolean
same_target (RoundsImportMap *a,
             RoundsImportMap *b)
{
  return a->target == b->target && g_strcmp0 (a->metadata_name, b->metadata_name) == 0;
}

static RoundsImportMap *
find_map (GPtrArray *maps,
          Target     target)
{
  for (guint m = 0; m < maps->len; m++)
    if (((RoundsImportMap *) g_ptr_array_index (maps, m))->target == target)
      return g_ptr_array_index (maps, m);
  return NULL;
}

/* Whether @map may join @maps: one map a target (a second would be a second value for
 * each record); responses come either as a list or as chosen and rejected. */
gboolean
_rounds_import_map_check_new (GPtrArray        *maps,
                              RoundsImportMap  *map,
                              const char       *spec,
                              GError          **error)
{
  gboolean pair = map->target == TARGET_CHOSEN || map->target == TARGET_REJECTED;

  for (guint m = 0; m < maps->len; m++)
    {
      RoundsImportMap *other = g_ptr_array_index (maps, m);
      gboolean other_pair = other->target == TARGET_CHOSEN || other->target == TARGET_REJECTED;

      if (same_target (map, other))
        {
          g_autofree char *target = g_strndup (spec, strcspn (spec, "="));

          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: “%s” is mapped already; give one map with several "
                         "paths, as in responses=answer_a,answer_b"),
                       spec, target);
          return FALSE;
        }
      if ((pair && (other->target == TARGET_RESPONSES || other->target == TARGET_REFERENCE)) ||
          (other_pair && (map->target == TARGET_RESPONSES || map->target == TARGET_REFERENCE)))
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: chosen and rejected are the responses and their label; "
                         "they do not go with responses or reference"),
                       spec);
          return FALSE;
        }
    }
  return TRUE;
}

/* Whether the maps make sense as a whole, before a file is read. */
gboolean
_rounds_import_maps_check (GPtrArray  *maps,
                           GError    **error)
{
  gboolean chosen = find_map (maps, TARGET_CHOSEN) != NULL;
  gboolean rejected = find_map (maps, TARGET_REJECTED) != NULL;

  if (chosen != rejected)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("--map: chosen and rejected go together: map both"));
      return FALSE;
    }
  if (find_map (maps, TARGET_REFERENCE) != NULL && find_map (maps, TARGET_RESPONSES) == NULL)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("--map: a reference names one of the responses: map responses too"));
      return FALSE;
    }
  return TRUE;
}

/* Mapped records ------------------------------------------------------------------- */

/* The nodes a map finds in a record, nulls left out, with the path of each. */
static gboolean
map_nodes (RoundsImportRun  *run,
           RoundsImportMap  *map,
           JsonNode         *record,
           GPtrArray        *nodes,
           GPtrArray        *names,
           GError          **error)
{
  for (guint p = 0; p < map->paths->len; p++)
    {
      RoundsFieldPath *path = g_ptr_array_index (map->paths, p);
      g_autoptr(GPtrArray) found_nodes = g_ptr_array_new ();
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (run->is_csv)
        {
          JsonObject *object = json_node_get_object (record);
          JsonNode *node = json_object_get_member (object, _rounds_field_path_get_text (path));

          if (node == NULL)
            return _rounds_import_fail (run, error, _rounds_field_path_get_text (path),
                                        _("no such column in the header"));
          g_ptr_array_add (found_nodes, node);
          g_ptr_array_add (found, g_strdup (_rounds_field_path_get_text (path)));
        }
      else
        _rounds_field_path_eval (path, record, found_nodes, found);

      for (guint i = 0; i < found_nodes->len; i++)
        if (!JSON_NODE_HOLDS_NULL ((JsonNode *) g_ptr_array_index (found_nodes, i)))
          {
            g_ptr_array_add (nodes, g_ptr_array_index (found_nodes, i));
            g_ptr_array_add (names, g_strdup (g_ptr_array_index (found, i)));
          }
    }
  return TRUE;
}

/* The values a map finds in a record, as strings, with the path of each. */
static gboolean
map_values (RoundsImportRun  *run,
            RoundsImportMap  *map,
            JsonNode         *record,
            GPtrArray        *values,
            GPtrArray        *names,
            GError          **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

  if (!map_nodes (run, map, record, nodes, names, error))
    return FALSE;
  for (guint i = 0; i < nodes->len; i++)
    {
      JsonNode *node = g_ptr_array_index (nodes, i);
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                : G_TYPE_INVALID;

      if (type == G_TYPE_STRING)
        g_ptr_array_add (values, g_strdup (json_node_get_string (node)));
      else if (type == G_TYPE_INT64)
        g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
      else if (map->target == TARGET_METADATA)
        g_ptr_array_add (values, json_to_string (node, FALSE));
      else
        return _rounds_import_fail (run, error, g_ptr_array_index (names, i),
                                    _("expected a string (mapped to “%s”)"),
                                    targets[map->target].name);
    }
  return TRUE;
}

/* The one value of a map that takes one, or %NULL. */
static gboolean
map_single_node (RoundsImportRun  *run,
                 RoundsImportMap  *map,
                 JsonNode         *record,
                 JsonNode        **node,
                 char            **name,
                 GError          **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  *node = NULL;
  *name = g_strdup (_rounds_field_path_get_text (g_ptr_array_index (map->paths, 0)));
  if (!map_nodes (run, map, record, nodes, names, error))
    return FALSE;
  if (nodes->len > 1)
    return _rounds_import_fail (run, error, *name, _("found %u values for “%s”, which takes one"),
                                nodes->len, targets[map->target].name);
  if (nodes->len == 1)
    {
      *node = g_ptr_array_index (nodes, 0);
      g_free (*name);
      *name = g_strdup (g_ptr_array_index (names, 0));
    }
  return TRUE;
}

/* A pair through chosen and rejected maps (and a scenario map, unless the pair is a
 * conversation or transcripts that carry it), read as TRL reads its pairs: the chosen
 * response first, until _rounds_import_label_pair() orders them. */
static const Target pair_targets[] = { TARGET_SCENARIO, TARGET_CHOSEN, TARGET_REJECTED };

static gboolean
read_mapped_pair (RoundsImportRun   *run,
                  JsonNode          *record,
                  RoundsImportItem  *item,
                  JsonBuilder       *metadata,
                  gboolean          *has_metadata,
                  char             **names,
                  GError           **error)
{
  g_autoptr(JsonObject) pair = json_object_new ();
  g_autoptr(JsonArray) prompt_messages = NULL;

  for (guint t = 0; t < G_N_ELEMENTS (pair_targets); t++)
    {
      RoundsImportMap *map = find_map (run->maps, pair_targets[t]);
      JsonNode *node = NULL;

      if (map == NULL)
        continue;
      if (!map_single_node (run, map, record, &node, &names[t], error))
        return FALSE;
      if (node != NULL)
        json_object_set_member (pair, names[t], json_node_copy (node));
    }
  for (guint t = 0; t < G_N_ELEMENTS (pair_targets); t++)
    if (names[t] != NULL && t > 0 && g_strcmp0 (names[t], names[0]) == 0)
      return _rounds_import_fail (run, error, names[t], _("mapped to both “%s” and “%s”"),
                                  "scenario", targets[pair_targets[t]].name);

  if (!_rounds_import_read_pair (run, pair, names[0], names[1], names[2], item, &prompt_messages,
                                 error))
    return FALSE;
  if (prompt_messages != NULL)
    {
      json_builder_set_member_name (metadata, "prompt_messages");
      json_builder_add_value (metadata, json_node_init_array (json_node_alloc (),
                                                              prompt_messages));
      *has_metadata = TRUE;
    }
  return TRUE;
}

/* The same, with the paths it names the fields by. */
static gboolean
mapped_pair (RoundsImportRun   *run,
             JsonNode          *record,
             RoundsImportItem  *item,
             JsonBuilder       *metadata,
             gboolean          *has_metadata,
             GError           **error)
{
  char *names[G_N_ELEMENTS (pair_targets)] = { NULL };
  gboolean ok = read_mapped_pair (run, record, item, metadata, has_metadata, names, error);

  for (guint t = 0; t < G_N_ELEMENTS (names); t++)
    g_free (names[t]);
  return ok;
}

/* The response a reference value names: by its id, by the field it came from, or by its
 * place in the list, from 0. */
static int
find_named_response (RoundsImportItem *item,
                     GPtrArray        *fields,
                     const char       *value)
{
  guint64 index;

  for (guint i = 0; i < item->responses->len; i++)
    if (g_strcmp0 (g_array_index (item->responses, RoundsImportResponse, i).key, value) == 0)
      return (int) i;
  for (guint i = 0; i < fields->len; i++)
    if (g_strcmp0 (g_ptr_array_index (fields, i), value) == 0)
      return (int) i;
  if (g_ascii_string_to_unsigned (value, 10, 0, item->responses->len - 1, &index, NULL))
    return (int) index;
  return -1;
}

/* Reference maps: each value names a response; the label goes into the hidden reference
 * as that response's id, after the responses are put in an order of their own. */
static gboolean
mapped_references (RoundsImportRun   *run,
                   JsonNode          *record,
                   RoundsImportItem  *item,
                   GPtrArray         *fields,
                   JsonObject        *reference,
                   GError           **error)
{
  g_autoptr(GArray) named = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint m = 0; m < run->maps->len; m++)
    {
      RoundsImportMap *map = g_ptr_array_index (run->maps, m);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      int at;

      if (map->target != TARGET_REFERENCE)
        continue;
      if (!map_values (run, map, record, values, names, error))
        return FALSE;
      if (values->len > 1)
        return _rounds_import_fail (run, error, g_ptr_array_index (names, 0),
                                    _("found %u values for “%s”, which takes one"),
                                    values->len, targets[map->target].name);
      if (values->len == 0)
        continue;
      if (item->responses->len == 0 ||
          (at = find_named_response (item, fields, g_ptr_array_index (values, 0))) < 0)
        return _rounds_import_fail (run, error, g_ptr_array_index (names, 0),
                                    _("“%s” names no response: expected a response id, the "
                                      "field of a response, or its place from 0"),
                                    (const char *) g_ptr_array_index (values, 0));
      g_array_append_val (named, at);
      g_ptr_array_add (labels, map->metadata_name ? map->metadata_name : "preferred");
    }
  if (named->len == 0)
    return TRUE;

  /* The responses go in the order of their content; each label then names its response by
   * the id it has there (its own, or its new place's). */
  {
    g_autofree char **texts = g_new0 (char *, item->responses->len);

    for (guint i = 0; i < item->responses->len; i++)
      texts[i] = g_array_index (item->responses, RoundsImportResponse, i).text;
    _rounds_import_label_pair (item, 0);
    for (guint l = 0; l < named->len; l++)
      {
        const char *text = texts[g_array_index (named, int, l)];

        for (guint i = 0; i < item->responses->len; i++)
          if (g_array_index (item->responses, RoundsImportResponse, i).text == text)
            json_object_set_string_member (reference, g_ptr_array_index (labels, l),
                                           g_array_index (item->responses,
                                                          RoundsImportResponse, i).key);
      }
  }
  return TRUE;
}

static gboolean
empty_values (GPtrArray *values)
{
  for (guint i = 0; i < values->len; i++)
    if (*(const char *) g_ptr_array_index (values, i) != '\0')
      return FALSE;
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
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  g_autoptr(JsonObject) reference = json_object_new ();
  gboolean has_metadata = FALSE;
  gboolean is_pair = find_map (run->maps, TARGET_CHOSEN) != NULL;
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

      /* A pair's fields may be messages: read below, as TRL reads them. */
      if (map->target == TARGET_CHOSEN || map->target == TARGET_REJECTED ||
          map->target == TARGET_REFERENCE || (is_pair && map->target == TARGET_SCENARIO))
        continue;
      if (!map_values (run, map, record, values, names, error))
        return FALSE;

      switch (map->target)
        {
        case TARGET_RESPONSES:
          /* A row whose response cells are all empty has none: it awaits them. */
          if (run->is_csv && empty_values (values))
            continue;
          for (guint i = 0; i < values->len; i++)
            {
              RoundsImportResponse r = { NULL };

              if (*(const char *) g_ptr_array_index (values, i) == '\0')
                return _rounds_import_fail (run, error, g_ptr_array_index (names, i),
                                            _("empty (mapped to “responses”)"));
              r.text = g_strdup (g_ptr_array_index (values, i));
              g_array_append_val (item.responses, r);
            }
          g_ptr_array_extend_and_steal (fields, g_steal_pointer (&names));
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

  if (is_pair && !mapped_pair (run, record, &item, metadata, &has_metadata, error))
    return FALSE;
  json_builder_end_object (metadata);

  if (item.scenario == NULL || *item.scenario == '\0')
    {
      RoundsImportMap *map = find_map (maps, TARGET_SCENARIO);
      const char *field = map ? _rounds_field_path_get_text (g_ptr_array_index (map->paths, 0))
                              : "scenario";

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
  /* A labelled item is ordered once its models and ids are with their responses, and before
   * its responses get their default ids, so that those follow the new order. */
  if (is_pair)
    json_object_set_string_member (reference, "preferred", _rounds_import_label_pair (&item, 0));
  if (!mapped_references (run, record, &item, fields, reference, error) ||
      !_rounds_import_check_responses (run, &item, error))
    return FALSE;
  if (json_object_get_size (reference) > 0)
    item.reference = json_node_init_object (json_node_alloc (), reference);
  if (has_metadata)
    item.metadata = json_builder_get_root (metadata);

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
                                run->no_header
                                ? _("expected %u fields, as in the first row, found %u")
                                : _("expected %u fields, as in the header, found %u"),
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

/* The columns of the header, as a message lists them. */
static char *
list_columns (GPtrArray *header)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);
      glong length = g_utf8_strlen (name, -1);

      if (i > 0)
        g_string_append (list, ", ");
      if (i == 12 && header->len > 13)
        {
          g_string_append_printf (list, "… (%u in all)", header->len);
          break;
        }
      g_string_append_c (list, '"');
      if (length > 40)
        {
          g_string_append_len (list, name, g_utf8_offset_to_pointer (name, 39) - name);
          g_string_append (list, "…");
        }
      else
        g_string_append (list, name);
      g_string_append_c (list, '"');
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Every column the maps name is in the header, before any row is read. A header is never
 * guessed to be a data row: the message says how to read a file that has none. */
static gboolean
check_columns (RoundsImportRun  *run,
               GError          **error)
{
  for (guint m = 0; m < run->maps->len; m++)
    {
      RoundsImportMap *map = g_ptr_array_index (run->maps, m);

      for (guint p = 0; p < map->paths->len; p++)
        {
          const char *column = _rounds_field_path_get_text (g_ptr_array_index (map->paths, p));
          g_autofree char *columns = NULL;
          gboolean found = FALSE;

          for (guint i = 0; i < run->csv_header->len && !found; i++)
            found = g_str_equal (g_ptr_array_index (run->csv_header, i), column);
          if (found)
            continue;
          if (run->no_header)
            return _rounds_import_fail (run, error, column,
                                        _("no such column: with --no-header the columns are "
                                          "1 to %u"),
                                        run->csv_header->len);
          columns = list_columns (run->csv_header);
          return _rounds_import_fail (run, error, column,
                                      _("no such column in the header, whose columns are %s; "
                                        "the first row is taken as the header: if the file has "
                                        "none, use --no-header and name the columns 1, 2, …"),
                                      columns);
        }
    }
  return TRUE;
}

/* CSV rows (tab-separated in a .tsv file) under a header row whose names are the paths, or,
 * with --no-header, with columns named 1, 2, … */
gboolean
_rounds_import_csv_rows (RoundsImportRun   *run,
                         GDataInputStream  *data,
                         GCancellable      *cancellable,
                         GError           **error)
{
  char separator = g_str_has_suffix (run->display, ".tsv") ? '\t' : ',';
  g_autoptr(RoundsCsvReader) reader = _rounds_csv_reader_new (data, separator);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) first = NULL;

  first = _rounds_csv_reader_next (reader, &run->line, cancellable, &local_error);
  if (first == NULL)
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
      return _rounds_import_fail (run, error, NULL,
                                  run->no_header ? _("the file is empty")
                                                 : _("the file is empty: expected a header row"));
    }
  if (run->no_header)
    {
      run->csv_header = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < first->len; i++)
        g_ptr_array_add (run->csv_header, g_strdup_printf ("%u", i + 1));
    }
  else
    run->csv_header = g_steal_pointer (&first);
  /* Column names go into messages; a bad one would make the message bad too. */
  for (guint i = 0; i < run->csv_header->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (run->csv_header, i), -1, NULL))
      {
        g_autofree char *column = g_strdup_printf ("%u", i + 1);

        return _rounds_import_fail (run, error, column, _("not valid UTF-8 text"));
      }
  if (!check_columns (run, error))
    return FALSE;
  if (first != NULL)
    {
      run->result.n_records++;
      if (!csv_record (run, first, error))
        return FALSE;
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
