/* rounds-store-items.c: datasets, their items and responses, and each annotator's queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-dataset-private.h"
#include "rounds-error.h"
#include "rounds-item-private.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Datasets ---------------------------------------------------------------------------- */

/* Without the number of items: counting them reads the dataset's whole index (about 10 ms
 * with 100 000 items), and a dataset is read on every start and every judgement saved;
 * rounds_store_count_items counts them where they are wanted. */
#define DATASET_COLUMNS \
  "d.id, d.name, d.title, d.description, d.instructions, d.rubric_json, d.scale, d.overlap, " \
  "d.dispute_spread, d.reveal_guardian, d.required, d.metadata_json"

static RoundsRequire
parse_required (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text ? text : "", ",", -1);
  RoundsRequire required = 0;

  for (guint i = 0; names[i]; i++)
    required |= rounds_require_from_string (names[i]);
  return required;
}

/* Reads a row selected with DATASET_COLUMNS. */
RoundsDataset *
_rounds_dataset_new_from_row (sqlite3_stmt *stmt)
{
  RoundsDataset *dataset = g_object_new (ROUNDS_TYPE_DATASET, NULL);
  const char *rubric_json = _rounds_sql_text (stmt, "rubric_json");

  dataset->id = _rounds_sql_int64 (stmt, "id");
  dataset->name = _rounds_sql_dup (stmt, "name");
  dataset->title = _rounds_sql_dup (stmt, "title");
  dataset->description = _rounds_sql_dup (stmt, "description");
  dataset->instructions = _rounds_sql_dup (stmt, "instructions");
  if (rubric_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (rubric_json, NULL);

      if (node != NULL)
        dataset->rubric = rounds_rubric_new_from_json (node, NULL);
      if (dataset->rubric == NULL)
        g_warning ("Dataset %s has an unreadable rubric; using the clinical default",
                   dataset->name);
    }
  dataset->scale = _rounds_sql_int (stmt, "scale");
  dataset->overlap = _rounds_sql_int (stmt, "overlap");
  dataset->dispute_spread = _rounds_sql_int (stmt, "dispute_spread");
  dataset->reveal_guardian = _rounds_sql_int (stmt, "reveal_guardian") != 0;
  dataset->required = parse_required (_rounds_sql_text (stmt, "required"));
  dataset->metadata_json = _rounds_sql_dup (stmt, "metadata_json");
  return dataset;
}

/* Every dataset, by name, as a GListModel of RoundsDataset. */
GListModel *
rounds_store_list_datasets (RoundsStore  *self,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, "SELECT " DATASET_COLUMNS " FROM datasets d"
                                            " ORDER BY d.name", error)))
    return NULL;
  return _rounds_store_list_objects (self, stmt, ROUNDS_TYPE_DATASET,
                                     (RoundsObjectFromRow) _rounds_dataset_new_from_row, error);
}

static RoundsDataset *
get_dataset (RoundsStore  *self,
             const char   *sql,
             const char   *name,
             gint64        id,
             GError      **error)
{
  RoundsDataset *dataset = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  if (name != NULL)
    _rounds_store_bind_text (stmt, 1, name);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    dataset = _rounds_dataset_new_from_row (stmt);
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  if (dataset == NULL && name != NULL)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No dataset “%s”: “rounds-cli datasets” lists them"), name);
  else if (dataset == NULL)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No dataset with id %lld"), (long long) id);
  return dataset;
}

RoundsDataset *
rounds_store_get_dataset (RoundsStore  *self,
                          const char   *name,
                          GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return get_dataset (self, "SELECT " DATASET_COLUMNS " FROM datasets d WHERE d.name = ?1",
                      name, 0, error);
}

/**
 * rounds_store_count_items:
 * @n_items: (out): the items of the dataset, those awaiting responses included
 *
 * Counts the items of the dataset @dataset_id (0 for a dataset with none or none at all).
 */
gboolean
rounds_store_count_items (RoundsStore  *self,
                          gint64        dataset_id,
                          guint        *n_items,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_items != NULL, FALSE);

  if (!(stmt = _rounds_store_prepare (self, "SELECT COUNT(*) AS n_items FROM items"
                                            " WHERE dataset_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  if (!_rounds_store_step_row (self, stmt, error))
    return FALSE;
  *n_items = (guint) _rounds_sql_int (stmt, "n_items");
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * rounds_store_get_datasets:
 * @names: (nullable) (array zero-terminated=1): dataset names; %NULL or empty for every
 *   dataset
 *
 * The named datasets in the order given, or every dataset by name; a name that is not in
 * the store is a %ROUNDS_ERROR_NOT_FOUND error that names it.
 *
 * Returns: (transfer full) (element-type RoundsDataset): the datasets, or %NULL
 */
GPtrArray *
rounds_store_get_datasets (RoundsStore        *self,
                           const char * const *names,
                           GError            **error)
{
  g_autoptr(GPtrArray) datasets = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (names != NULL && names[0] != NULL)
    {
      for (guint i = 0; names[i] != NULL; i++)
        {
          RoundsDataset *dataset = rounds_store_get_dataset (self, names[i], error);

          if (dataset == NULL)
            return NULL;
          g_ptr_array_add (datasets, dataset);
        }
    }
  else
    {
      g_autoptr(GListModel) all = rounds_store_list_datasets (self, error);

      if (all == NULL)
        return NULL;
      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        g_ptr_array_add (datasets, g_list_model_get_item (all, i));
    }
  return g_steal_pointer (&datasets);
}

RoundsDataset *
rounds_store_get_dataset_by_id (RoundsStore  *self,
                                gint64        dataset_id,
                                GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  return get_dataset (self, "SELECT " DATASET_COLUMNS " FROM datasets d WHERE d.id = ?1",
                      NULL, dataset_id, error);
}

static RoundsItem *
load_item (RoundsStore  *self,
           const char   *sql,
           gint64        item_id,
           const char   *dataset,
           const char   *key,
           GError      **error)
{
  g_autoptr(RoundsItem) item = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  if (key != NULL)
    {
      _rounds_store_bind_text (stmt, 1, dataset);
      _rounds_store_bind_text (stmt, 2, key);
    }
  else
    sqlite3_bind_int64 (stmt, 1, item_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item = g_object_new (ROUNDS_TYPE_ITEM, NULL);
      item->id = _rounds_sql_int64 (stmt, "id");
      item->dataset_id = _rounds_sql_int64 (stmt, "dataset_id");
      item->dataset_name = _rounds_sql_dup (stmt, "dataset_name");
      item->key = _rounds_sql_dup (stmt, "key");
      item->title = _rounds_sql_dup (stmt, "title");
      item->scenario = _rounds_sql_dup (stmt, "scenario");
      item->specialty = _rounds_sql_dup (stmt, "specialty");
      item->language = _rounds_sql_dup (stmt, "language");
      item->metadata_json = _rounds_sql_dup (stmt, "metadata_json");
      item->overlap = _rounds_sql_int (stmt, "overlap");
    }
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  if (item == NULL)
    {
      if (key != NULL)
        g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                     _("No item “%s” in dataset “%s”"), key, dataset);
      else
        g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                     _("No item with id %lld"), (long long) item_id);
      return NULL;
    }

  if (!(stmt = _rounds_store_prepare (self, "SELECT key, text, model FROM responses"
                                            " WHERE item_id = ?1 ORDER BY idx", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _rounds_item_add_response (item,
                               _rounds_sql_text (stmt, "key"),
                               _rounds_sql_text (stmt, "text"),
                               _rounds_sql_text (stmt, "model"));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&item);
}

/**
 * _rounds_store_add_implicit_dataset:
 * @published: whether it counts as in the curation store already (pulled) or not
 *
 * Adds dataset @name with default settings, for items that arrive before their dataset's
 * own document or header: its content hash "implicit" lets that one fill it in when it
 * comes.
 *
 * Returns: the new dataset's id, or 0 with @error set
 */
gint64
_rounds_store_add_implicit_dataset (RoundsStore  *self,
                                    const char   *name,
                                    gboolean      published,
                                    GError      **error)
{
  g_autofree char *now = _rounds_now_iso8601 ();
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO datasets (name, content_hash, published,"
                                      " created_at, updated_at)"
                                      " VALUES (?1, 'implicit', ?2, ?3, ?3)", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, name);
  sqlite3_bind_int (stmt, 2, published ? 1 : 0);
  _rounds_store_bind_text (stmt, 3, now);
  if (!_rounds_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_rounds_store_get_db (self));
}

/* Items ------------------------------------------------------------------------------- */

#define ITEM_COLUMNS \
  "i.id, i.dataset_id, d.name AS dataset_name, i.key, i.title, i.scenario, i.specialty, " \
  "i.language, i.metadata_json, i.overlap FROM items i JOIN datasets d ON d.id = i.dataset_id"

RoundsItem *
rounds_store_get_item (RoundsStore  *self,
                       gint64        item_id,
                       GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  return load_item (self, "SELECT " ITEM_COLUMNS " WHERE i.id = ?1", item_id, NULL, NULL,
                    error);
}

RoundsItem *
rounds_store_find_item (RoundsStore  *self,
                        const char   *dataset,
                        const char   *key,
                        GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (dataset != NULL && key != NULL, NULL);

  return load_item (self, "SELECT " ITEM_COLUMNS " WHERE d.name = ?1 AND i.key = ?2",
                    0, dataset, key, error);
}

/* The queue --------------------------------------------------------------------------- */

/* An item with two responses or more: one awaiting responses is in no queue. The responses'
 * unique (item_id, idx) index answers it. */
#define HAS_RESPONSES \
  "EXISTS (SELECT 1 FROM responses r WHERE r.item_id = i.id AND r.idx = 1)"

#define QUEUE_EPOCH "(SELECT epoch FROM queue_epoch)"

/* The first item in dataset order in an annotator's queue. The annotator's own items are the
 * most of those stepped over, so their test comes first (the terms are evaluated in the order
 * written). The search starts where the last one for the same annotator and dataset ended,
 * unless queue_epoch has moved since (see migration 3 in rounds-store-schema.c): the epoch is
 * read in the same statement, so of the same state. */
static const char queue_sql[] =
  "SELECT i.id AS item_id, i.position, " QUEUE_EPOCH " AS epoch"
  " FROM items i INDEXED BY items_open"
  " WHERE i.dataset_id = ?1 AND i.n_submitted < i.overlap"
  "   AND i.position >= CASE WHEN " QUEUE_EPOCH " = ?3 THEN ?4 ELSE -9223372036854775807 END"
  "   AND NOT EXISTS (SELECT 1 FROM annotations a"
  "                   WHERE a.item_id = i.id AND a.annotator_id = ?2)"
  "   AND " HAS_RESPONSES
  " ORDER BY i.position LIMIT 1";

/* The first item @sql selects, as "item_id", for ?1 the dataset and ?2 the annotator; 0 when
 * there is none. With @mark, ?3 and ?4 are the epoch and position it holds if it is of the
 * same dataset and annotator, and it is set from the "epoch" and "position" found. */
static gboolean
first_item (RoundsStore      *self,
            const char       *sql,
            gint64            dataset_id,
            gint64            annotator_id,
            RoundsQueueMark  *mark,
            gint64           *item_id,
            GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *item_id = 0;
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (mark != NULL && mark->dataset_id == dataset_id && mark->annotator_id == annotator_id)
    {
      sqlite3_bind_int64 (stmt, 3, mark->epoch);
      sqlite3_bind_int64 (stmt, 4, mark->position);
    }
  else if (mark != NULL)
    {
      sqlite3_bind_null (stmt, 3);
      sqlite3_bind_null (stmt, 4);
    }
  if (mark != NULL)
    memset (mark, 0, sizeof *mark);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *item_id = _rounds_sql_int64 (stmt, "item_id");
      if (mark != NULL && sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        *mark = (RoundsQueueMark) { dataset_id, annotator_id, _rounds_sql_int64 (stmt, "epoch"),
                                    _rounds_sql_int64 (stmt, "position") };
    }
  return _rounds_store_step_end (self, stmt, rc, error);
}

/**
 * rounds_store_next_item:
 *
 * The item @annotator should do next in @dataset_id: first one they left with a draft,
 * then the first in dataset order that has its responses, still wants judgements (fewer
 * annotators have submitted it than its overlap) and that they have neither submitted nor
 * skipped.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL without an error when the
 *   annotator's queue is empty.
 */
RoundsItem *
rounds_store_next_item (RoundsStore  *self,
                        gint64        dataset_id,
                        const char   *annotator,
                        GError      **error)
{
  static const char draft_sql[] =
    "SELECT dr.item_id FROM drafts dr CROSS JOIN items i ON i.id = dr.item_id"
    " WHERE dr.annotator_id = ?2 AND i.dataset_id = ?1"
    "   AND NOT EXISTS (SELECT 1 FROM annotations a"
    "                   WHERE a.item_id = dr.item_id AND a.annotator_id = ?2)"
    " ORDER BY i.position LIMIT 1";
  gint64 annotator_id;
  gint64 item_id;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (annotator != NULL, NULL);

  if (!(annotator_id = _rounds_store_lookup_annotator (self, annotator, error)) ||
      !first_item (self, draft_sql, dataset_id, annotator_id, NULL, &item_id, error) ||
      (item_id == 0 && !first_item (self, queue_sql, dataset_id, annotator_id,
                                    _rounds_store_get_queue_mark (self), &item_id, error)))
    return NULL;

  if (item_id == 0)
    return NULL;
  return rounds_store_get_item (self, item_id, error);
}

/**
 * rounds_store_get_shown_order:
 * @order: (out caller-allocates): one canonical index per screen position
 *
 * The order @annotator sees @item's responses in. It is fixed the first time they open
 * the item, so it is the same on every return. Successive annotators of an item get
 * successive rotations (a Latin square), so each response stands in each position equally
 * often; where the rotation starts depends on the item, so the first annotator's order is
 * random across items. The order is written without waiting for the disk: a judgement, which
 * holds its own copy of the order, is saved durably and takes this write with it; a power cut
 * before then loses only the assignment, and the same slot gives the same order again.
 */
gboolean
rounds_store_get_shown_order (RoundsStore  *self,
                              RoundsItem   *item,
                              const char   *annotator,
                              guint        *order,
                              GError      **error)
{
  static const char insert_sql[] =
    "INSERT OR REPLACE INTO assignments (item_id, annotator_id, slot, shown_order, first_seen)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
  static const char count_sql[] =
    "SELECT COUNT(*) AS n_before FROM (SELECT annotator_id FROM assignments WHERE item_id = ?1"
    " UNION SELECT annotator_id FROM annotations WHERE item_id = ?1)";
  static const char select_sql[] =
    "SELECT shown_order FROM assignments WHERE item_id = ?1 AND annotator_id = ?2";
  guint n = rounds_item_get_n_responses (item);
  g_autofree char *stored = NULL;
  g_autofree char *key = NULL;
  g_autofree char *order_json = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 annotator_id;
  guint slot = 0;
  guint rotation;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (!(annotator_id = _rounds_store_lookup_annotator (self, annotator, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (self, select_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    stored = _rounds_sql_dup (stmt, "shown_order");
  sqlite3_reset (stmt);

  if (stored != NULL)
    {
      if (_rounds_judgement_order_from_json (stored, n, order))
        return TRUE;
      g_warning ("Stored order %s of item %s is unreadable; assigning a new one", stored,
                 rounds_item_get_key (item));
    }

  /* The slot counts the annotators before this one, here or from other machines. */
  if (!(stmt = _rounds_store_prepare (self, count_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    slot = (guint) _rounds_sql_int (stmt, "n_before");
  sqlite3_reset (stmt);

  key = g_strconcat (rounds_item_get_dataset_name (item), "\n", rounds_item_get_key (item), NULL);
  rotation = (g_str_hash (key) + slot) % n;
  for (guint i = 0; i < n; i++)
    order[i] = (i + rotation) % n;

  order_json = _rounds_judgement_ints_to_json ((const int *) order, n);
  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self, insert_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int (stmt, 3, (int) slot);
  _rounds_store_bind_text (stmt, 4, order_json);
  _rounds_store_bind_text (stmt, 5, now);
  return _rounds_store_step_done_lazily (self, stmt, error);
}

/* Progress ---------------------------------------------------------------------------- */

/* @annotator's fields of @progress: what they submitted and skipped, and what is left in
 * their queue. */
static gboolean
get_my_progress (RoundsStore     *self,
                 gint64           dataset_id,
                 const char      *annotator,
                 RoundsProgress  *progress,
                 GError         **error)
{
  static const char open_sql[] =
    "SELECT COUNT(*) AS n_mine_open FROM items i INDEXED BY items_open"
    " WHERE i.dataset_id = ?1 AND i.n_submitted < i.overlap AND " HAS_RESPONSES
    "   AND NOT EXISTS (SELECT 1 FROM annotations a JOIN annotators an ON an.id = a.annotator_id"
    "                   WHERE a.item_id = i.id AND an.user_name = ?2)";
  static const char mine_sql[] =
    "SELECT TOTAL (a.status = 'submitted') AS n_mine,"
    " TOTAL (a.status = 'skipped') AS n_mine_skipped"
    " FROM annotations a JOIN items i ON i.id = a.item_id"
    " JOIN annotators an ON an.id = a.annotator_id"
    " WHERE an.user_name = ?2 AND a.is_current = 1 AND i.dataset_id = ?1";
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, mine_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  if (!_rounds_store_step_row (self, stmt, error))
    return FALSE;
  progress->n_mine = (guint) _rounds_sql_double (stmt, "n_mine");
  progress->n_mine_skipped = (guint) _rounds_sql_double (stmt, "n_mine_skipped");
  sqlite3_reset (stmt);

  if (!(stmt = _rounds_store_prepare (self, open_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  if (!_rounds_store_step_row (self, stmt, error))
    return FALSE;
  progress->n_mine_open = _rounds_sql_int (stmt, "n_mine_open");
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * rounds_store_get_progress:
 * @annotator: (nullable): whose fields to fill as well, or %NULL for the dataset's alone
 *
 * Counts every item of the dataset: for the dataset list and statistics. The compare page,
 * which shows only where the annotator is, uses rounds_store_get_my_progress().
 */
gboolean
rounds_store_get_progress (RoundsStore     *self,
                           gint64           dataset_id,
                           const char      *annotator,
                           RoundsProgress  *progress,
                           GError         **error)
{
  static const char items_sql[] =
    "SELECT COUNT(*) AS n_items, TOTAL (n_submitted >= overlap) AS n_complete,"
    " TOTAL (CASE WHEN ready THEN overlap END) AS n_wanted,"
    " TOTAL (MIN (n_submitted, overlap)) AS n_submitted_to_overlap,"
    " TOTAL (NOT ready) AS n_awaiting"
    " FROM (SELECT i.*, " HAS_RESPONSES " AS ready FROM items i WHERE i.dataset_id = ?1)";
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  memset (progress, 0, sizeof *progress);

  if (!(stmt = _rounds_store_prepare (self, items_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  if (!_rounds_store_step_row (self, stmt, error))
    return FALSE;
  progress->n_items = _rounds_sql_int (stmt, "n_items");
  progress->n_complete = (guint) _rounds_sql_double (stmt, "n_complete");
  progress->n_wanted = (guint) _rounds_sql_double (stmt, "n_wanted");
  progress->n_submitted = (guint) _rounds_sql_double (stmt, "n_submitted_to_overlap");
  progress->n_awaiting = (guint) _rounds_sql_double (stmt, "n_awaiting");
  sqlite3_reset (stmt);

  return annotator == NULL || get_my_progress (self, dataset_id, annotator, progress, error);
}

/**
 * rounds_store_get_my_progress:
 *
 * Only @annotator's fields of @progress (n_mine, n_mine_skipped, n_mine_open; the others are
 * 0), without counting every item of the dataset: the compare page's "item N of M", before
 * its first item is shown.
 */
gboolean
rounds_store_get_my_progress (RoundsStore     *self,
                              gint64           dataset_id,
                              const char      *annotator,
                              RoundsProgress  *progress,
                              GError         **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (annotator != NULL, FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  memset (progress, 0, sizeof *progress);
  return get_my_progress (self, dataset_id, annotator, progress, error);
}

