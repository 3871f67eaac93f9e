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
  g_free (item->legacy_key);
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

/* Labelled responses: an order and an id that only the content decides ------------------ */

typedef struct
{
  char  *digest;
  guint  index;
} ResponseDigest;

static int
compare_digests (gconstpointer a,
                 gconstpointer b)
{
  const ResponseDigest *x = a, *y = b;
  int cmp = strcmp (x->digest, y->digest);

  return cmp != 0 ? cmp : (x->index > y->index) - (x->index < y->index);
}

static GArray *
sorted_digests (RoundsImportItem *item)
{
  GArray *digests = g_array_sized_new (FALSE, FALSE, sizeof (ResponseDigest),
                                       item->responses->len);

  for (guint i = 0; i < item->responses->len; i++)
    {
      const char *text = g_array_index (item->responses, RoundsImportResponse, i).text;
      ResponseDigest d = { _rounds_sha256_hex (text, -1), i };

      g_array_append_val (digests, d);
    }
  g_array_sort (digests, compare_digests);
  return digests;
}

static void
free_digests (GArray *digests)
{
  for (guint i = 0; i < digests->len; i++)
    g_free (g_array_index (digests, ResponseDigest, i).digest);
  g_array_unref (digests);
}

/**
 * _rounds_import_order_by_content:
 * @preferred: the index of the response a label prefers, or any index
 *
 * Puts the responses of an item whose source says which is preferred in the order of
 * their texts' digests: the canonical order then depends on the content alone, never on
 * which one was chosen, so it tells nobody the label.
 *
 * Returns: where the response at @preferred now stands
 */
guint
_rounds_import_order_by_content (RoundsImportItem *item,
                                 guint             preferred)
{
  GArray *digests = sorted_digests (item);
  GArray *ordered = g_array_sized_new (FALSE, TRUE, sizeof (RoundsImportResponse),
                                       item->responses->len);
  guint now = preferred;

  for (guint i = 0; i < digests->len; i++)
    {
      guint from = g_array_index (digests, ResponseDigest, i).index;

      g_array_append_val (ordered, g_array_index (item->responses, RoundsImportResponse, from));
      if (from == preferred)
        now = i;
    }
  /* The responses moved to @ordered: the old array lets go of them without clearing. */
  g_array_set_clear_func (item->responses, NULL);
  g_array_unref (item->responses);
  item->responses = ordered;
  g_array_set_clear_func (item->responses, response_clear);
  free_digests (digests);
  return now;
}

/* The id of an item with a label and no id of its own: "pair-" and a digest of the
 * scenario and of its responses' digests, sorted, so both orders give the same id. */
char *
_rounds_import_pair_key (RoundsImportItem *item)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GArray *digests = sorted_digests (item);

  hash_text (checksum, item->scenario);
  for (guint i = 0; i < digests->len; i++)
    hash_text (checksum, g_array_index (digests, ResponseDigest, i).digest);
  free_digests (digests);
  return g_strdup_printf ("pair-%.16s", g_checksum_get_string (checksum));
}

/* Swaps the two responses of a pair, each keeping its place's id, and the label with them. */
void
_rounds_import_swap_pair (RoundsImportItem *item)
{
  RoundsImportResponse *a = &g_array_index (item->responses, RoundsImportResponse, 0);
  RoundsImportResponse *b = &g_array_index (item->responses, RoundsImportResponse, 1);
  RoundsImportResponse keep = *a;
  JsonObject *reference;
  const char *preferred;

  a->text = b->text, a->model = b->model, a->metadata = b->metadata;
  b->text = keep.text, b->model = keep.model, b->metadata = keep.metadata;
  if (item->reference == NULL || !JSON_NODE_HOLDS_OBJECT (item->reference))
    return;
  reference = json_node_get_object (item->reference);
  preferred = json_object_get_string_member_with_default (reference, "preferred", NULL);
  if (g_strcmp0 (preferred, a->key) == 0)
    json_object_set_string_member (reference, "preferred", b->key);
  else if (g_strcmp0 (preferred, b->key) == 0)
    json_object_set_string_member (reference, "preferred", a->key);
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

/* An item already in the store under a key. */
typedef struct
{
  gint64    id;
  char     *content_hash;
  guint     n_responses;
  gboolean  judged;
  char     *first_text;    /* its first response's */
  char     *fields[6];     /* title, scenario, specialty, language, metadata, reference */
} StoredItem;

static void
stored_item_clear (StoredItem *stored)
{
  g_free (stored->content_hash);
  g_free (stored->first_text);
  for (guint i = 0; i < G_N_ELEMENTS (stored->fields); i++)
    g_free (stored->fields[i]);
  memset (stored, 0, sizeof *stored);
}

static gboolean
lookup_item (RoundsImportRun  *run,
             gint64            dataset_id,
             const char       *key,
             StoredItem       *stored,
             GError          **error)
{
  static const char * const columns[] = {
    "title", "scenario", "specialty", "language", "metadata_json", "reference_json"
  };
  sqlite3_stmt *stmt;
  int rc;

  stored_item_clear (stored);
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id AS id, i.content_hash AS content_hash,"
                                      " i.title AS title, i.scenario AS scenario,"
                                      " i.specialty AS specialty, i.language AS language,"
                                      " i.metadata_json AS metadata_json,"
                                      " i.reference_json AS reference_json,"
                                      " (SELECT COUNT(*) FROM responses WHERE item_id = i.id)"
                                      "  AS n_responses,"
                                      " (SELECT text FROM responses WHERE item_id = i.id"
                                      "  AND idx = 0) AS first_text,"
                                      " EXISTS (SELECT 1 FROM annotations WHERE item_id = i.id)"
                                      "  AS judged"
                                      " FROM items i WHERE i.dataset_id = ?1 AND i.key = ?2",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stored->id = _rounds_sql_int64 (stmt, "id");
      stored->content_hash = _rounds_sql_dup (stmt, "content_hash");
      stored->n_responses = _rounds_sql_int (stmt, "n_responses");
      stored->first_text = _rounds_sql_dup (stmt, "first_text");
      stored->judged = _rounds_sql_int (stmt, "judged") != 0;
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        stored->fields[i] = _rounds_sql_dup (stmt, columns[i]);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

/* Whether @values (an item's fields, as stored) agree with @stored's: each is absent or the
 * same, or, when @may_add, @stored lacks it. An item that waits for responses and the same
 * item with responses (or the other way round) agree so. */
static gboolean
fields_agree (char       **values,
              StoredItem  *stored,
              gboolean     may_add)
{
  for (guint i = 0; i < G_N_ELEMENTS (stored->fields); i++)
    if (values[i] != NULL && g_strcmp0 (values[i], stored->fields[i]) != 0 &&
        !(may_add && stored->fields[i] == NULL))
      return FALSE;
  return TRUE;
}

/* Fills what @item leaves out from @stored, which it completes with responses. */
static void
keep_stored_fields (RoundsImportItem *item,
                    StoredItem       *stored)
{
  char **texts[] = { &item->title, &item->scenario, &item->specialty, &item->language };
  JsonNode **nodes[] = { &item->metadata, &item->reference };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (*texts[i] == NULL)
      *texts[i] = g_strdup (stored->fields[i]);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    if (*nodes[i] == NULL && stored->fields[4 + i] != NULL)
      *nodes[i] = json_from_string (stored->fields[4 + i], NULL);
}

/* Writes an item that has been read and checked: new, unchanged, or (with --update)
 * replaced. An item waiting for responses is completed by the same item with responses,
 * and an item with responses is unchanged by the same item without. */
gboolean
_rounds_import_store_item (RoundsImportRun   *run,
                           RoundsImportItem  *item,
                           const char        *dataset_field,
                           GError           **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *metadata = NULL;
  g_autofree char *reference = NULL;
  StoredItem stored = { 0 };
  const char *dataset_name;
  RoundsImportDataset *info;
  sqlite3_stmt *stmt;
  gboolean completes = FALSE;
  gboolean ok = FALSE;
  gint64 item_id;

  dataset_name = item->dataset ? item->dataset
               : run->header_dataset ? run->header_dataset
               : run->base_dataset;
  if (!(info = ensure_dataset (run, dataset_name, dataset_field, error)))
    return FALSE;

  if (!lookup_item (run, info->id, item->key, &stored, error))
    goto out;
  /* A pair imported under its old id keeps that id. */
  if (stored.id == 0 && item->legacy_key != NULL)
    {
      if (!lookup_item (run, info->id, item->legacy_key, &stored, error))
        goto out;
      if (stored.id != 0)
        {
          g_free (item->key);
          item->key = g_strdup (item->legacy_key);
        }
    }
  /* A pair stored in the old order keeps it: its judgements are relative to it. */
  if (stored.id != 0 && item->legacy_reversed && item->responses->len == 2 &&
      g_strcmp0 (stored.first_text,
                 g_array_index (item->responses, RoundsImportResponse, 0).text) != 0 &&
      g_strcmp0 (stored.first_text,
                 g_array_index (item->responses, RoundsImportResponse, 1).text) == 0)
    _rounds_import_swap_pair (item);

  metadata = _rounds_import_node_to_json (item->metadata);
  reference = _rounds_import_node_to_json (item->reference);
  hash = _rounds_import_item_hash (item);

  if (stored.id != 0)
    {
      char *values[] = {
        item->title, item->scenario, item->specialty, item->language, metadata, reference
      };

      if (g_strcmp0 (stored.content_hash, hash) == 0 ||
          (item->responses->len == 0 && stored.n_responses > 0 &&
           fields_agree (values, &stored, FALSE)))
        {
          run->result.n_items_unchanged++;
          ok = TRUE;
          goto out;
        }
      completes = stored.n_responses == 0 && item->responses->len > 0 &&
                  fields_agree (values, &stored, TRUE);
      if (!run->update && !completes)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                       _("%s:%u: field “id”: item “%s” of dataset “%s” already exists "
                         "with other content; import with --update to replace it"),
                       run->display, run->line, item->key, dataset_name);
          goto out;
        }
      if (stored.judged && stored.n_responses != item->responses->len)
        {
          _rounds_import_fail (run, error, "responses",
                               _("item “%s” has judgements of its %u responses; an update "
                                 "cannot change how many there are"),
                               item->key, stored.n_responses);
          goto out;
        }
      if (completes)
        {
          keep_stored_fields (item, &stored);
          g_clear_pointer (&metadata, g_free);
          g_clear_pointer (&reference, g_free);
          g_clear_pointer (&hash, g_free);
          metadata = _rounds_import_node_to_json (item->metadata);
          reference = _rounds_import_node_to_json (item->reference);
          hash = _rounds_import_item_hash (item);
        }

      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET title = ?2, scenario = ?3,"
                                          " specialty = ?4, language = ?5, metadata_json = ?6,"
                                          " reference_json = ?7, content_hash = ?8, published = 0"
                                          " WHERE id = ?1", error)))
        goto out;
      sqlite3_bind_int64 (stmt, 1, stored.id);
      bind_content (stmt, 2, item, metadata, reference, hash);
      if (!_rounds_store_step_done (run->store, stmt, error))
        goto out;
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "DELETE FROM responses WHERE item_id = ?1", error)))
        goto out;
      sqlite3_bind_int64 (stmt, 1, stored.id);
      if (!_rounds_store_step_done (run->store, stmt, error) ||
          !insert_responses (run, stored.id, item, error))
        goto out;
      run->result.n_items_updated++;
      ok = TRUE;
      goto out;
    }

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO items (dataset_id, key, position, title,"
                                      " scenario, specialty, language, metadata_json,"
                                      " reference_json, content_hash, overlap)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                      " (SELECT overlap FROM datasets WHERE id = ?1))", error)))
    goto out;
  sqlite3_bind_int64 (stmt, 1, info->id);
  _rounds_store_bind_text (stmt, 2, item->key);
  sqlite3_bind_int64 (stmt, 3, info->next_position++);
  bind_content (stmt, 4, item, metadata, reference, hash);
  if (!_rounds_store_step_done (run->store, stmt, error))
    goto out;
  item_id = sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));
  if (!insert_responses (run, item_id, item, error))
    goto out;

  run->result.n_items_added++;
  ok = TRUE;

out:
  stored_item_clear (&stored);
  return ok;
}

gboolean
_rounds_import_check_responses (RoundsImportRun   *run,
                                RoundsImportItem  *item,
                                GError           **error)
{
  guint n = item->responses->len;

  /* None: the item waits for responses, outside every queue. One cannot be compared. */
  if (n == 1 || n > MAX_RESPONSES)
    return _rounds_import_fail (run, error, "responses",
                                _("expected 2 to %d responses (or none, to wait for them), "
                                  "found %u"),
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
