/* rounds-import-items.c: the datasets and items every input layout yields, written to the
 * store: new, unchanged or, with --update, replaced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

#define MAX_RESPONSES 8

void
_rounds_import_dataset_free (gpointer data)
{
  RoundsImportDataset *info = data;

  g_clear_pointer (&info->rubric, rounds_rubric_unref);
  g_free (info);
}

static void
response_clear (gpointer data)
{
  RoundsImportResponse *response = data;

  g_free (response->key);
  g_free (response->text);
  g_free (response->model);
  g_clear_pointer (&response->metadata, json_node_unref);
}

void
_rounds_import_item_init (RoundsImportItem *item)
{
  memset (item, 0, sizeof *item);
  item->responses = g_array_new (FALSE, TRUE, sizeof (RoundsImportResponse));
  g_array_set_clear_func (item->responses, response_clear);
}

void
_rounds_import_item_clear (RoundsImportItem *item)
{
  g_free (item->dataset);
  g_free (item->key);
  g_free (item->title);
  g_free (item->scenario);
  g_free (item->specialty);
  g_free (item->language);
  g_clear_pointer (&item->metadata, json_node_unref);
  g_clear_pointer (&item->reference, json_node_unref);
  g_clear_pointer (&item->responses, g_array_unref);
}

/* Datasets ---------------------------------------------------------------------------- */

gboolean
_rounds_import_check_dataset_id (RoundsImportRun  *run,
                                 const char       *name,
                                 const char       *field,
                                 GError          **error)
{
  if (!_rounds_event_valid_name (name))
    return _rounds_import_fail (run, error, field,
                                _("“%s” is not a dataset id: use up to 128 letters, digits, "
                                  "“-”, “_” or “.”"),
                                name);
  return TRUE;
}

/* Looks a dataset up, in this run's cache or the store. */
RoundsImportDataset *
_rounds_import_find_dataset (RoundsImportRun  *run,
                             const char       *name,
                             GError          **error)
{
  RoundsImportDataset *info = g_hash_table_lookup (run->datasets, name);
  sqlite3_stmt *stmt;
  int rc;

  if (info != NULL)
    return info;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT d.id AS id, d.scale AS scale,"
                                      " d.rubric_json AS rubric_json,"
                                      " (SELECT COALESCE (MAX (position), 0) FROM items"
                                      "  WHERE dataset_id = d.id) AS last_position,"
                                      " EXISTS (SELECT 1 FROM annotations a"
                                      "  JOIN items i ON i.id = a.item_id"
                                      "  WHERE i.dataset_id = d.id) AS judged"
                                      " FROM datasets d WHERE d.name = ?1", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *rubric_json = _rounds_sql_text (stmt, "rubric_json");

      info = g_new0 (RoundsImportDataset, 1);
      info->id = _rounds_sql_int64 (stmt, "id");
      info->scale_k = (_rounds_sql_int (stmt, "scale") - 1) / 2;
      info->next_position = (guint) _rounds_sql_int64 (stmt, "last_position") + 1;
      info->has_judgements = _rounds_sql_int (stmt, "judged") != 0;
      if (rubric_json != NULL)
        {
          g_autoptr(JsonNode) node = json_from_string (rubric_json, NULL);

          info->rubric = node ? rounds_rubric_new_from_json (node, NULL) : NULL;
        }
      if (info->rubric == NULL)
        info->rubric = rounds_rubric_new_default ();
      g_hash_table_insert (run->datasets, g_strdup (name), info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (run->store, error);
  return info;
}

/* The dataset an item goes into, made with default settings if it does not exist. */
static RoundsImportDataset *
ensure_dataset (RoundsImportRun  *run,
                const char       *name,
                const char       *field,
                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  RoundsImportDataset *info;
  sqlite3_stmt *stmt;

  if ((info = _rounds_import_find_dataset (run, name, &local_error)) || local_error)
    {
      if (local_error)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return info;
    }
  if (!_rounds_import_check_dataset_id (run, name, field, error))
    return NULL;

  now = _rounds_now_iso8601 ();
  /* "implicit": a header read later may still set this dataset up without --update. */
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO datasets"
                                      " (name, content_hash, created_at, updated_at)"
                                      " VALUES (?1, 'implicit', ?2, ?2)", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, now);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return NULL;
  run->result.n_datasets_added++;
  return _rounds_import_find_dataset (run, name, error);
}

/* Items ------------------------------------------------------------------------------- */

/* Each field goes in with a tag and its length, so no two different items can feed the
 * checksum the same bytes. The texts are hashed in place, never copied or re-serialised:
 * this runs once per imported line and the texts are most of the file. */
static void
hash_text (GChecksum  *checksum,
           const char *text)
{
  guint64 length;

  if (text == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "N", 1);
      return;
    }
  length = GUINT64_TO_BE (strlen (text));
  g_checksum_update (checksum, (const guchar *) "S", 1);
  g_checksum_update (checksum, (const guchar *) &length, sizeof length);
  g_checksum_update (checksum, (const guchar *) text, GUINT64_FROM_BE (length));
}

static void
hash_node (GChecksum *checksum,
           JsonNode  *node)
{
  g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : NULL;

  hash_text (checksum, text);
}

char *
_rounds_import_item_hash (RoundsImportItem *item)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  hash_text (checksum, item->title);
  hash_text (checksum, item->scenario);
  hash_text (checksum, item->specialty);
  hash_text (checksum, item->language);
  hash_node (checksum, item->metadata);
  hash_node (checksum, item->reference);
  for (guint i = 0; i < item->responses->len; i++)
    {
      RoundsImportResponse *r = &g_array_index (item->responses, RoundsImportResponse, i);

      hash_text (checksum, r->key);
      hash_text (checksum, r->text);
      hash_text (checksum, r->model);
      hash_node (checksum, r->metadata);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
insert_responses (RoundsImportRun   *run,
                  gint64             item_id,
                  RoundsImportItem  *item,
                  GError           **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO responses"
                                      " (item_id, idx, key, text, model, metadata_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  for (guint i = 0; i < item->responses->len; i++)
    {
      RoundsImportResponse *r = &g_array_index (item->responses, RoundsImportResponse, i);
      g_autofree char *metadata = _rounds_import_node_to_json (r->metadata);

      sqlite3_bind_int64 (stmt, 1, item_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _rounds_store_bind_text (stmt, 3, r->key);
      _rounds_store_bind_text (stmt, 4, r->text);
      _rounds_store_bind_text (stmt, 5, r->model);
      _rounds_store_bind_text (stmt, 6, metadata);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* An item row's title, scenario, specialty, language, metadata, reference and content hash,
 * bound from parameter @first on: an update and an insert give them in the same order. */
static void
bind_content (sqlite3_stmt     *stmt,
              int               first,
              RoundsImportItem *item,
              const char       *metadata,
              const char       *reference,
              const char       *hash)
{
  const char *values[] = {
    item->title, item->scenario, item->specialty, item->language, metadata, reference, hash
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    _rounds_store_bind_text (stmt, first + (int) i, values[i]);
}

/* Writes an item that has been read and checked: new, unchanged, or (with --update)
 * replaced. */
gboolean
_rounds_import_store_item (RoundsImportRun   *run,
                           RoundsImportItem  *item,
                           const char        *dataset_field,
                           GError           **error)
{
  g_autofree char *hash = _rounds_import_item_hash (item);
  g_autofree char *old_hash = NULL;
  g_autofree char *metadata = _rounds_import_node_to_json (item->metadata);
  g_autofree char *reference = _rounds_import_node_to_json (item->reference);
  const char *dataset_name;
  RoundsImportDataset *info;
  sqlite3_stmt *stmt;
  gint64 item_id = 0;
  guint old_n_responses = 0;
  gboolean judged = FALSE;
  int rc;

  dataset_name = item->dataset ? item->dataset
               : run->header_dataset ? run->header_dataset
               : run->base_dataset;
  if (!(info = ensure_dataset (run, dataset_name, dataset_field, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id AS id, i.content_hash AS content_hash,"
                                      " (SELECT COUNT(*) FROM responses WHERE item_id = i.id)"
                                      "  AS n_responses,"
                                      " EXISTS (SELECT 1 FROM annotations WHERE item_id = i.id)"
                                      "  AS judged"
                                      " FROM items i WHERE i.dataset_id = ?1 AND i.key = ?2",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  _rounds_store_bind_text (stmt, 2, item->key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item_id = _rounds_sql_int64 (stmt, "id");
      old_hash = _rounds_sql_dup (stmt, "content_hash");
      old_n_responses = _rounds_sql_int (stmt, "n_responses");
      judged = _rounds_sql_int (stmt, "judged") != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  if (item_id != 0)
    {
      if (g_strcmp0 (old_hash, hash) == 0)
        {
          run->result.n_items_unchanged++;
          return TRUE;
        }
      if (!run->update)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                       _("%s:%u: field “id”: item “%s” of dataset “%s” already exists "
                         "with other content; import with --update to replace it"),
                       run->display, run->line, item->key, dataset_name);
          return FALSE;
        }
      if (judged && old_n_responses != item->responses->len)
        return _rounds_import_fail (run, error, "responses",
                                    _("item “%s” has judgements of its %u responses; an update "
                                      "cannot change how many there are"),
                                    item->key, old_n_responses);

      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET title = ?2, scenario = ?3,"
                                          " specialty = ?4, language = ?5, metadata_json = ?6,"
                                          " reference_json = ?7, content_hash = ?8, published = 0"
                                          " WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_id);
      bind_content (stmt, 2, item, metadata, reference, hash);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "DELETE FROM responses WHERE item_id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_id);
      if (!_rounds_store_step_done (run->store, stmt, error) ||
          !insert_responses (run, item_id, item, error))
        return FALSE;
      run->result.n_items_updated++;
      return TRUE;
    }

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO items (dataset_id, key, position, title,"
                                      " scenario, specialty, language, metadata_json,"
                                      " reference_json, content_hash, overlap)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                      " (SELECT overlap FROM datasets WHERE id = ?1))", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  _rounds_store_bind_text (stmt, 2, item->key);
  sqlite3_bind_int64 (stmt, 3, info->next_position++);
  bind_content (stmt, 4, item, metadata, reference, hash);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  item_id = sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));
  if (!insert_responses (run, item_id, item, error))
    return FALSE;

  run->result.n_items_added++;
  return TRUE;
}

gboolean
_rounds_import_check_responses (RoundsImportRun   *run,
                                RoundsImportItem  *item,
                                GError           **error)
{
  guint n = item->responses->len;

  if (n < 2 || n > MAX_RESPONSES)
    return _rounds_import_fail (run, error, "responses", _("expected 2 to %d responses, found %u"),
                                MAX_RESPONSES, n);

  for (guint i = 0; i < n; i++)
    {
      RoundsImportResponse *r = &g_array_index (item->responses, RoundsImportResponse, i);

      if (r->key == NULL)
        r->key = g_strdup_printf ("%c", 'a' + i);
      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (g_array_index (item->responses, RoundsImportResponse, k).key, r->key) == 0)
          {
            g_autofree char *field = g_strdup_printf ("responses[%u].id", i);

            return _rounds_import_fail (run, error, field,
                                        _("“%s” is used by another response of this item"),
                                        r->key);
          }
    }
  return TRUE;
}
