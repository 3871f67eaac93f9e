/* rounds-store-disputes.c: every item's current judgements, and the items that need review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include "rounds-review.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"

/* Current judgements ------------------------------------------------------------------ */

/**
 * rounds_store_list_current_judgements:
 *
 * Every item of @dataset_id in dataset order, each with the current submitted judgement
 * of every annotator who has one (an item nobody has submitted has none). One query for
 * the whole dataset.
 *
 * Returns: (transfer full) (element-type RoundsItemJudgements): the items
 */
GPtrArray *
rounds_store_list_current_judgements (RoundsStore  *self,
                                      gint64        dataset_id,
                                      GError      **error)
{
  static const char sql[] =
    "SELECT " _ROUNDS_ANNOTATION_COLUMNS ","
    " i.id, i.key, i.title, i.overlap, an.kind AS annotator_kind,"
    " (SELECT COUNT(*) FROM responses r WHERE r.item_id = i.id) AS n_responses"
    " FROM items i"
    " LEFT JOIN annotations a ON a.item_id = i.id AND a.is_current = 1"
    "  AND a.status = 'submitted'"
    " LEFT JOIN annotators an ON an.id = a.annotator_id"
    " WHERE i.dataset_id = ?1"
    " ORDER BY i.position, i.id, an.user_name";
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  RoundsItemJudgements *current = NULL;
  RoundsJudgementColumns columns;
  RoundsRubric *rubric;
  sqlite3_stmt *stmt;
  int id_column, kind_column;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)))
    return NULL;
  rubric = rounds_dataset_get_rubric (dataset);

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_item_judgements_free);
  id_column = _rounds_sql_column (stmt, "id");
  kind_column = _rounds_sql_column (stmt, "annotator_kind");
  _rounds_store_judgement_columns_init (&columns, stmt);
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (stmt, id_column);

      if (current == NULL || current->item_id != item_id)
        {
          current = g_new0 (RoundsItemJudgements, 1);
          current->item_id = item_id;
          current->item_key = _rounds_sql_dup (stmt, "key");
          current->title = _rounds_sql_dup (stmt, "title");
          current->overlap = (guint) _rounds_sql_int (stmt, "overlap");
          current->n_responses = (guint) _rounds_sql_int (stmt, "n_responses");
          current->judgements =
            g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
          current->guardian =
            g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
          g_ptr_array_add (items, current);
        }
      if (sqlite3_column_type (stmt, columns.edit_id) != SQLITE_NULL && current->n_responses >= 2)
        g_ptr_array_add (g_strcmp0 ((const char *) sqlite3_column_text (stmt, kind_column),
                                    "machine") == 0 ? current->guardian : current->judgements,
                         _rounds_store_judgement_read (stmt, &columns, current->n_responses,
                                                       rubric));
    }
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Disputes ---------------------------------------------------------------------------- */

static int
compare_disputes (gconstpointer a,
                  gconstpointer b)
{
  return rounds_dispute_compare (*(RoundsDispute * const *) a, *(RoundsDispute * const *) b);
}

/* The items of @dataset_id that have a current verdict. */
static GHashTable *
items_with_verdicts (RoundsStore  *self,
                     gint64        dataset_id,
                     GError      **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT DISTINCT j.item_id FROM adjudications j"
                                      " JOIN items i ON i.id = j.item_id"
                                      " WHERE i.dataset_id = ?1 AND j.is_current = 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_memdup2 (&(gint64) { _rounds_sql_int64 (stmt, "item_id") },
                                      sizeof (gint64)));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&set);
}

/**
 * _rounds_store_disputes_from_items:
 * @items: (element-type RoundsItemJudgements): every item of @dataset with its current
 *   judgements, as rounds_store_list_current_judgements() reads them
 * @filter: which items to list; 0 lists the disputed ones
 *
 * rounds_store_list_disputes() on judgements already read: the review reads them once for
 * its queue and its agreement.
 *
 * Returns: (transfer full) (element-type RoundsDispute): the items
 */
GPtrArray *
_rounds_store_disputes_from_items (RoundsStore          *self,
                                   RoundsDataset        *dataset,
                                   GPtrArray            *items,
                                   RoundsDisputeFilter   filter,
                                   GError              **error)
{
  const RoundsDisputeFilter states =
    ROUNDS_DISPUTE_FILTER_DISPUTED | ROUNDS_DISPUTE_FILTER_WAITING | ROUNDS_DISPUTE_FILTER_AGREED;
  g_autoptr(GPtrArray) disputes = NULL;
  g_autoptr(GHashTable) resolved = NULL;

  if ((filter & states) == 0)
    filter |= ROUNDS_DISPUTE_FILTER_DISPUTED;

  if (!(resolved = items_with_verdicts (self, rounds_dataset_get_id (dataset), error)))
    return NULL;

  disputes = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_dispute_free);
  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);
      g_autoptr(RoundsDispute) dispute = rounds_dispute_new ();
      RoundsDisputeFilter wanted;

      rounds_dispute_evaluate ((RoundsJudgement * const *) item->judgements->pdata,
                               item->judgements->len, item->overlap,
                               rounds_dataset_get_dispute_spread (dataset), dispute);
      rounds_dispute_evaluate_guardian ((RoundsJudgement * const *) item->judgements->pdata,
                                        item->judgements->len,
                                        (RoundsJudgement * const *) item->guardian->pdata,
                                        item->guardian->len,
                                        rounds_dataset_get_dispute_spread (dataset), dispute);
      dispute->item_id = item->item_id;
      dispute->has_verdict = g_hash_table_contains (resolved, &item->item_id);

      switch (dispute->state)
        {
        case ROUNDS_DISPUTE_STATE_WAITING:
          wanted = ROUNDS_DISPUTE_FILTER_WAITING;
          break;
        case ROUNDS_DISPUTE_STATE_AGREED:
          wanted = ROUNDS_DISPUTE_FILTER_AGREED;
          break;
        case ROUNDS_DISPUTE_STATE_DISPUTED:
        default:
          wanted = ROUNDS_DISPUTE_FILTER_DISPUTED;
          break;
        }
      if (!(filter & wanted) ||
          ((filter & ROUNDS_DISPUTE_FILTER_UNRESOLVED) && dispute->has_verdict))
        continue;

      dispute->item_key = g_strdup (item->item_key);
      dispute->title = g_strdup (item->title);
      g_ptr_array_add (disputes, g_steal_pointer (&dispute));
    }

  g_ptr_array_sort (disputes, compare_disputes);
  return g_steal_pointer (&disputes);
}

/**
 * rounds_store_list_disputes:
 * @filter: which items to list; 0 lists the disputed ones
 *
 * Applies the rules of rounds_dispute_evaluate() to every item of @dataset_id with the
 * dataset's dispute spread, and returns the items @filter asks for in the order a
 * reviewer works in (rounds_dispute_compare()).
 *
 * Returns: (transfer full) (element-type RoundsDispute): the items
 */
GPtrArray *
rounds_store_list_disputes (RoundsStore          *self,
                            gint64                dataset_id,
                            RoundsDisputeFilter   filter,
                            GError              **error)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)) ||
      !(items = rounds_store_list_current_judgements (self, dataset_id, error)))
    return NULL;
  return _rounds_store_disputes_from_items (self, dataset, items, filter, error);
}
