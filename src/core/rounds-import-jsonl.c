/* rounds-import-jsonl.c: the Rounds JSONL layout's dataset headers and items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-importer-private.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

gboolean
_rounds_import_jsonl_dataset (RoundsImportRun  *run,
                              JsonObject       *object,
                              GError          **error)
{
  static const char * const allowed[] = {
    "type", "id", "title", "description", "instructions", "overlap", "scale", "dispute_spread",
    "reveal_guardian", "required", "rubric", "rubric_version", "metadata", NULL
  };
  g_autofree char *name = NULL, *title = NULL, *description = NULL, *instructions = NULL;
  g_autofree char *rubric_json = NULL, *metadata_json = NULL, *required_text = NULL;
  g_autofree char *hash = NULL, *old_hash = NULL, *now = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(GString) canonical = NULL;
  g_autoptr(GString) required = g_string_new (NULL);
  RoundsImportRecord record = { run, object, NULL };
  gint64 overlap = 1, scale = 5, spread = 2, rubric_version = 0;
  gint64 id = 0, old_overlap = 1, old_scale = 5;
  gboolean reveal_guardian = FALSE;
  JsonNode *node;
  sqlite3_stmt *stmt;
  RoundsImportDataset *info;
  int rc;

  if (!_rounds_import_check_members (&record, allowed, error) ||
      !_rounds_import_get_key (&record, "id", TRUE, &name, error) ||
      !_rounds_import_get_string (&record, "title", FALSE, &title, error) ||
      !_rounds_import_get_string (&record, "description", FALSE, &description, error) ||
      !_rounds_import_get_string (&record, "instructions", FALSE, &instructions, error) ||
      !_rounds_import_get_int (&record, "rubric_version", 1, G_MAXINT, &rubric_version, error) ||
      !_rounds_import_get_int (&record, "overlap", 1, 50, &overlap, error) ||
      !_rounds_import_get_int (&record, "scale", 3, 7, &scale, error) ||
      !_rounds_import_get_int (&record, "dispute_spread", 1, 6, &spread, error) ||
      !_rounds_import_get_object (&record, "metadata", &metadata, error))
    return FALSE;

  if (!_rounds_import_check_dataset_id (run, name, "id", error))
    return FALSE;
  if (scale % 2 == 0)
    return _rounds_import_fail (run, error, "scale", _("expected 3, 5 or 7 points"));

  if ((node = json_object_get_member (object, "reveal_guardian")) != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return _rounds_import_fail (run, error, "reveal_guardian", _("expected true or false"));
      reveal_guardian = json_node_get_boolean (node);
    }

  if ((node = json_object_get_member (object, "required")) != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return _rounds_import_fail (run, error, "required", _("expected an array of names"));
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          g_autofree char *field = g_strdup_printf ("required[%u]", i);
          const char *value;

          if (json_node_get_value_type (element) != G_TYPE_STRING ||
              rounds_require_from_string ((value = json_node_get_string (element))) == 0)
            return _rounds_import_fail (run, error, field,
                                        _("expected one of preference, rubric, comment, notes"));
          if (required->len)
            g_string_append_c (required, ',');
          g_string_append (required, value);
        }
    }
  else
    g_string_append (required, "preference");
  required_text = g_strdup (required->str);

  if ((node = json_object_get_member (object, "rubric")) != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!(rubric = rounds_rubric_new_from_json (node, &local_error)))
        return _rounds_import_fail_with (run, error, NULL, g_steal_pointer (&local_error));
      rubric_json = rounds_rubric_to_json (rubric);
    }
  metadata_json = _rounds_import_node_to_json (metadata);

  canonical = g_string_new (NULL);
  g_string_append_printf (canonical,
                          "%s\n%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT
                          "\n%" G_GINT64_FORMAT "\n%s\n%s\n%s",
                          name, title ? title : "", description ? description : "",
                          instructions ? instructions : "", overlap, scale, spread, required_text,
                          rubric_json ? rubric_json : "", metadata_json ? metadata_json : "");
  /* Only when set, so the datasets of earlier versions keep their hashes. */
  if (reveal_guardian)
    g_string_append (canonical, "\nreveal_guardian");
  hash = _rounds_sha256_hex (canonical->str, canonical->len);

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT id, content_hash, overlap, scale FROM datasets"
                                      " WHERE name = ?1", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = _rounds_sql_int64 (stmt, "id");
      old_hash = _rounds_sql_dup (stmt, "content_hash");
      old_overlap = _rounds_sql_int (stmt, "overlap");
      old_scale = _rounds_sql_int (stmt, "scale");
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  g_free (run->header_dataset);
  run->header_dataset = g_strdup (name);
  now = _rounds_now_iso8601 ();

  if (id == 0)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "INSERT INTO datasets (name, title, description,"
                                          " instructions, rubric_json, scale, overlap,"
                                          " dispute_spread, required, metadata_json,"
                                          " content_hash, created_at, updated_at)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                          " ?11, ?12, ?12)", error)))
        return FALSE;
      run->result.n_datasets_added++;
    }
  else if (g_strcmp0 (old_hash, hash) == 0)
    return TRUE;
  else
    {
      if (!run->update && g_strcmp0 (old_hash, "implicit") != 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                       _("%s:%u: field “id”: dataset “%s” already exists with other "
                         "settings; import with --update to replace them"),
                       run->display, run->line, name);
          return FALSE;
        }
      info = _rounds_import_find_dataset (run, name, error);
      if (info == NULL)
        return FALSE;
      if (info->has_judgements && scale != old_scale)
        return _rounds_import_fail (run, error, "scale",
                                    _("dataset “%s” has judgements on a %lld-point scale; its "
                                      "scale cannot change"),
                                    name, (long long) old_scale);
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE datasets SET title = ?2, description = ?3,"
                                          " instructions = ?4, rubric_json = ?5, scale = ?6,"
                                          " overlap = ?7, dispute_spread = ?8, required = ?9,"
                                          " metadata_json = ?10, content_hash = ?11,"
                                          " updated_at = ?12, published = 0,"
                                          " rubric_version = rubric_version"
                                          "  + (COALESCE (rubric_json, '')"
                                          "     IS NOT COALESCE (?5, ''))"
                                          " WHERE name = ?1", error)))
        return FALSE;
      g_hash_table_remove (run->datasets, name);
      /* A dataset first made implicitly by its items counts as added, not updated. */
      if (g_strcmp0 (old_hash, "implicit") != 0)
        run->result.n_datasets_updated++;
    }

  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, title);
  _rounds_store_bind_text (stmt, 3, description);
  _rounds_store_bind_text (stmt, 4, instructions);
  _rounds_store_bind_text (stmt, 5, rubric_json);
  sqlite3_bind_int64 (stmt, 6, scale);
  sqlite3_bind_int64 (stmt, 7, overlap);
  sqlite3_bind_int64 (stmt, 8, spread);
  _rounds_store_bind_text (stmt, 9, required_text);
  _rounds_store_bind_text (stmt, 10, metadata_json);
  _rounds_store_bind_text (stmt, 11, hash);
  _rounds_store_bind_text (stmt, 12, now);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;

  if (!_rounds_store_set_reveal_guardian (run->store, name, reveal_guardian, error))
    return FALSE;

  /* An archive says under which version of its rubric the scores were given. */
  if (rubric_version > 0)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE datasets SET rubric_version = ?2 WHERE name = ?1",
                                          error)))
        return FALSE;
      _rounds_store_bind_text (stmt, 1, name);
      sqlite3_bind_int64 (stmt, 2, rubric_version);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  /* Items follow the dataset's overlap, except those a reviewer sent back for more. */
  if (id != 0 && overlap != old_overlap)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET overlap = ?2"
                                          " WHERE dataset_id = ?1 AND overlap = ?3", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, overlap);
      sqlite3_bind_int64 (stmt, 3, old_overlap);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_rounds_import_jsonl_item (RoundsImportRun  *run,
                           JsonObject       *object,
                           GError          **error)
{
  static const char * const allowed[] = {
    "type", "id", "dataset", "title", "scenario", "specialty", "language", "metadata",
    "responses", "reference", NULL
  };
  static const char * const response_allowed[] = { "id", "text", "model", "metadata", NULL };
  g_auto(RoundsImportItem) item;
  RoundsImportRecord record = { run, object, NULL };
  JsonNode *responses;

  _rounds_import_item_init (&item);
  if (!_rounds_import_check_members (&record, allowed, error) ||
      !_rounds_import_get_key (&record, "id", TRUE, &item.key, error) ||
      !_rounds_import_get_key (&record, "dataset", FALSE, &item.dataset, error) ||
      !_rounds_import_get_string (&record, "title", FALSE, &item.title, error) ||
      !_rounds_import_get_string (&record, "scenario", TRUE, &item.scenario, error) ||
      !_rounds_import_get_string (&record, "specialty", FALSE, &item.specialty, error) ||
      !_rounds_import_get_string (&record, "language", FALSE, &item.language, error) ||
      !_rounds_import_get_object (&record, "metadata", &item.metadata, error) ||
      !_rounds_import_get_object (&record, "reference", &item.reference, error))
    return FALSE;

  /* Without responses the item waits for them. */
  responses = json_object_get_member (object, "responses");
  if (responses != NULL && !JSON_NODE_HOLDS_ARRAY (responses))
    return _rounds_import_fail (run, error, "responses", _("expected an array of responses"));

  for (guint i = 0; responses && i < json_array_get_length (json_node_get_array (responses)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (responses), i);
      g_autofree char *prefix = g_strdup_printf ("responses[%u]", i);
      RoundsImportRecord response = { run, NULL, prefix };
      RoundsImportResponse empty = { NULL }, *r;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _rounds_import_fail (run, error, prefix, _("expected an object with “text”"));
      response.object = json_node_get_object (element);
      if (!_rounds_import_check_members (&response, response_allowed, error))
        return FALSE;

      g_array_append_val (item.responses, empty);
      r = &g_array_index (item.responses, RoundsImportResponse, i);
      if (!_rounds_import_get_key (&response, "id", FALSE, &r->key, error) ||
          !_rounds_import_get_string (&response, "text", TRUE, &r->text, error) ||
          !_rounds_import_get_string (&response, "model", FALSE, &r->model, error) ||
          !_rounds_import_get_object (&response, "metadata", &r->metadata, error))
        return FALSE;
    }

  if (!_rounds_import_check_responses (run, &item, error))
    return FALSE;

  if (item.reference != NULL)
    {
      JsonObject *reference = json_node_get_object (item.reference);
      const char *preferred = NULL;
      gboolean found = FALSE;

      if (json_object_has_member (reference, "preferred"))
        {
          JsonNode *node = json_object_get_member (reference, "preferred");

          if (json_node_get_value_type (node) != G_TYPE_STRING)
            return _rounds_import_fail (run, error, "reference.preferred",
                                        _("expected the id of a response"));
          preferred = json_node_get_string (node);
          for (guint i = 0; i < item.responses->len; i++)
            found |= g_strcmp0 (g_array_index (item.responses, RoundsImportResponse, i).key,
                                preferred) == 0;
          if (!found)
            return _rounds_import_fail (run, error, "reference.preferred",
                                        _("no response has the id “%s”"), preferred);
        }
    }

  return _rounds_import_store_item (run, &item, "dataset", error);
}
