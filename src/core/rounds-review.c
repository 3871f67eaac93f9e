/* rounds-review.c: what ethics review reads and records: verdicts, reports, async loads
 *
 * The store's side is in rounds-store-verdicts.c, rounds-store-disputes.c and
 * rounds-store-agreement.c; the calls here run those off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review"

#include "config.h"

#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-worker-private.h"

/* Verdicts as values ------------------------------------------------------------------ */

RoundsVerdict *
rounds_verdict_new (guint n_responses)
{
  RoundsVerdict *self;

  g_return_val_if_fail (n_responses >= 2, NULL);

  self = g_new0 (RoundsVerdict, 1);
  self->n_responses = n_responses;
  self->ranks = g_new0 (int, n_responses);
  return self;
}

void
rounds_verdict_free (RoundsVerdict *self)
{
  if (self == NULL)
    return;

  g_free (self->ranks);
  g_free (self->rationale);
  g_strfreev (self->resolves);
  g_free (self->edit_id);
  g_free (self->created_at);
  g_free (self->reviewer);
  g_free (self->scores_json);
  g_free (self);
}

void
rounds_item_judgements_free (RoundsItemJudgements *self)
{
  if (self == NULL)
    return;

  g_free (self->item_key);
  g_free (self->title);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  g_free (self);
}

void
rounds_agreement_report_free (RoundsAgreementReport *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->criteria, g_array_unref);
  g_clear_pointer (&self->pairs, g_array_unref);
  g_clear_pointer (&self->guardians, g_array_unref);
  g_free (self);
}

void
rounds_review_snapshot_free (RoundsReviewSnapshot *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->disputes, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->agreement, rounds_agreement_report_free);
  g_clear_error (&self->agreement_error);
  g_free (self);
}

/* In a thread ------------------------------------------------------------------------- */

typedef struct
{
  gint64                 dataset_id;
  RoundsDisputeFilter    filter;
  GPtrArray             *disputes;
  RoundsAgreementReport *report;
  RoundsReviewSnapshot  *snapshot;
} ReviewTask;

static void
review_task_free (gpointer data)
{
  ReviewTask *task = data;

  g_clear_pointer (&task->disputes, g_ptr_array_unref);
  g_clear_pointer (&task->report, rounds_agreement_report_free);
  g_clear_pointer (&task->snapshot, rounds_review_snapshot_free);
  g_free (task);
}

/* The three loads differ only in what the thread reads and where it keeps it. */
static void
review_run (const char          *db_path,
            gint64               dataset_id,
            RoundsDisputeFilter  filter,
            RoundsWorkerFunc     func,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;
  ReviewTask *review;

  review = g_new0 (ReviewTask, 1);
  review->dataset_id = dataset_id;
  review->filter = filter;

  task = _rounds_worker_new (NULL, db_path, ROUNDS_WORKER_RETURN_ON_CANCEL, cancellable,
                             callback, user_data, source_tag);
  _rounds_worker_run (task, func, review, review_task_free);
}

static gboolean
list_disputes_thread (GTask         *task,
                      RoundsStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ReviewTask *review = data;

  review->disputes = rounds_store_list_disputes (store, review->dataset_id, review->filter, error);
  return review->disputes != NULL;
}

/**
 * rounds_review_list_disputes_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 *
 * rounds_store_list_disputes() off the main thread.
 */
void
rounds_review_list_disputes_async (const char          *db_path,
                                   gint64               dataset_id,
                                   RoundsDisputeFilter  filter,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);

  review_run (db_path, dataset_id, filter, list_disputes_thread,
              rounds_review_list_disputes_async, cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type RoundsDispute) */
GPtrArray *
rounds_review_list_disputes_finish (GAsyncResult  *result,
                                    GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL, rounds_review_list_disputes_async,
                                              error);

  return review != NULL ? g_steal_pointer (&review->disputes) : NULL;
}

static gboolean
compute_agreement_thread (GTask         *task,
                          RoundsStore   *store,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  ReviewTask *review = data;

  return rounds_store_compute_agreement (store, review->dataset_id, &review->report, error);
}

/**
 * rounds_review_compute_agreement_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 *
 * rounds_store_compute_agreement() off the main thread.
 */
void
rounds_review_compute_agreement_async (const char          *db_path,
                                       gint64               dataset_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);

  review_run (db_path, dataset_id, 0, compute_agreement_thread,
              rounds_review_compute_agreement_async, cancellable, callback, user_data);
}

RoundsAgreementReport *
rounds_review_compute_agreement_finish (GAsyncResult  *result,
                                        GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL,
                                              rounds_review_compute_agreement_async, error);

  return review != NULL ? g_steal_pointer (&review->report) : NULL;
}

static gboolean
load_snapshot_thread (GTask         *task,
                      RoundsStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ReviewTask *review = data;
  g_autoptr(RoundsReviewSnapshot) snapshot = g_new0 (RoundsReviewSnapshot, 1);

  /* One read transaction, so the queue, the judgements and the figures agree with each
   * other even while another connection writes. */
  if (!_rounds_store_begin_read (store, error))
    return FALSE;
  if (!(snapshot->disputes = rounds_store_list_disputes (store, review->dataset_id,
                                                         review->filter, error)) ||
      !(snapshot->items = rounds_store_list_current_judgements (store, review->dataset_id,
                                                                error)))
    {
      _rounds_store_rollback (store);
      return FALSE;
    }
  rounds_store_compute_agreement (store, review->dataset_id, &snapshot->agreement,
                                  &snapshot->agreement_error);
  _rounds_store_rollback (store);

  review->snapshot = g_steal_pointer (&snapshot);
  return TRUE;
}

/**
 * rounds_review_load_snapshot_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 * @filter: which items to list, as for rounds_store_list_disputes()
 *
 * Everything the review of @dataset_id shows, read at one moment off the main thread: the
 * disputes (rounds_store_list_disputes()), every item's current judgements
 * (rounds_store_list_current_judgements()) and the agreement
 * (rounds_store_compute_agreement()).
 */
void
rounds_review_load_snapshot_async (const char          *db_path,
                                   gint64               dataset_id,
                                   RoundsDisputeFilter  filter,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);

  review_run (db_path, dataset_id, filter, load_snapshot_thread,
              rounds_review_load_snapshot_async, cancellable, callback, user_data);
}

/**
 * rounds_review_load_snapshot_finish:
 *
 * Returns: (transfer full): the snapshot, or %NULL with @error set when the disputes or the
 *   judgements could not be read (an agreement that cannot be computed is in the snapshot)
 */
RoundsReviewSnapshot *
rounds_review_load_snapshot_finish (GAsyncResult  *result,
                                    GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL, rounds_review_load_snapshot_async,
                                              error);

  return review != NULL ? g_steal_pointer (&review->snapshot) : NULL;
}
