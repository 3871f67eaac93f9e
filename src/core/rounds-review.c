/* rounds-review.c: what ethics review reads and records: verdicts, reports, async loads
 *
 * The store's side is in rounds-store-verdicts.c, rounds-store-disputes.c and
 * rounds-store-agreement.c; the calls here run those off the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review"

#include "config.h"

#include <glib/gi18n-lib.h>

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

  g_autoptr(RoundsDataset) dataset = NULL;

  /* Closed without PRAGMA optimize, as after a verdict: the window's connection does it. */
  _rounds_store_skip_optimize (store);
  /* One read transaction, so the queue and the judgements agree with each other even
   * while another connection writes; the judgements are read once, for both (at 20 000
   * items, reading them is most of the time). */
  if (!_rounds_store_begin_read (store, error))
    return FALSE;
  if (!(dataset = rounds_store_get_dataset_by_id (store, review->dataset_id, error)) ||
      !(snapshot->items = rounds_store_list_current_judgements (store, review->dataset_id,
                                                                error)) ||
      !(snapshot->disputes = _rounds_store_disputes_from_items (store, dataset, snapshot->items,
                                                                review->filter, error)))
    {
      _rounds_store_rollback (store);
      return FALSE;
    }
  _rounds_store_rollback (store);

  review->snapshot = g_steal_pointer (&snapshot);
  return TRUE;
}

/**
 * rounds_review_load_queue_async:
 *
 * Everything the review of @dataset_id lists, read at one moment off the main thread: the
 * disputes (rounds_store_list_disputes()) and every item's current judgements
 * (rounds_store_list_current_judgements()). The agreement is measured afterwards on the
 * snapshot's items, with rounds_review_measure_agreement_async(), so that a page can show
 * its queue first.
 */
void
rounds_review_load_queue_async (const char          *db_path,
                                gint64               dataset_id,
                                RoundsDisputeFilter  filter,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);

  review_run (db_path, dataset_id, filter, load_snapshot_thread,
              rounds_review_load_queue_async, cancellable, callback, user_data);
}

/* Returns: (transfer full): the snapshot, its agreement %NULL */
RoundsReviewSnapshot *
rounds_review_load_queue_finish (GAsyncResult  *result,
                                 GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL, rounds_review_load_queue_async,
                                              error);

  return review != NULL ? g_steal_pointer (&review->snapshot) : NULL;
}

/* Measuring items already read ---------------------------------------------------------- */

typedef struct
{
  RoundsDataset *dataset;
  GPtrArray     *items;
} MeasureTask;

static void
measure_task_free (gpointer data)
{
  MeasureTask *measure = data;

  g_clear_object (&measure->dataset);
  g_clear_pointer (&measure->items, g_ptr_array_unref);
  g_free (measure);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      data,
                GCancellable *cancellable)
{
  MeasureTask *measure = data;
  RoundsAgreementReport *report = NULL;
  GError *error = NULL;

  if (_rounds_agreement_from_items (measure->dataset, measure->items, &report, &error))
    g_task_return_pointer (task, report, (GDestroyNotify) rounds_agreement_report_free);
  else
    g_task_return_error (task, error);
}

/**
 * rounds_review_measure_agreement_async:
 * @items: (element-type RoundsItemJudgements): every item of @dataset with its current
 *   judgements, as a snapshot holds them; kept, and only read, until the work is done
 *
 * rounds_store_compute_agreement() in a thread, on judgements read already.
 */
void
rounds_review_measure_agreement_async (RoundsDataset       *dataset,
                                       GPtrArray           *items,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MeasureTask *measure;

  g_return_if_fail (ROUNDS_IS_DATASET (dataset));
  g_return_if_fail (items != NULL);

  measure = g_new0 (MeasureTask, 1);
  measure->dataset = g_object_ref (dataset);
  measure->items = g_ptr_array_ref (items);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rounds_review_measure_agreement_async);
  g_task_set_task_data (task, measure, measure_task_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, measure_thread);
}

/* Returns: (transfer full): the report, or %NULL with @error set */
RoundsAgreementReport *
rounds_review_measure_agreement_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        rounds_review_measure_agreement_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving a verdict ----------------------------------------------------------------------- */

typedef struct
{
  RoundsItem    *item;
  char          *reviewer;
  RoundsVerdict *verdict;
} SaveTask;

static void
save_task_free (gpointer data)
{
  SaveTask *save = data;

  g_clear_object (&save->item);
  g_free (save->reviewer);
  g_clear_pointer (&save->verdict, rounds_verdict_free);
  g_free (save);
}

static gboolean
save_verdict_thread (GTask         *task,
                     RoundsStore   *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  SaveTask *save = data;

  _rounds_store_skip_optimize (store);
  return rounds_store_save_verdict (store, save->item, save->reviewer, save->verdict, error);
}

/**
 * rounds_review_save_verdict_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 * @verdict: (transfer full): the verdict, as for rounds_store_save_verdict()
 *
 * rounds_store_save_verdict() off the main thread, so that the window does not wait for the
 * disk. A cancel that comes after the verdict was written does not undo it.
 */
void
rounds_review_save_verdict_async (const char          *db_path,
                                  RoundsItem          *item,
                                  const char          *reviewer,
                                  RoundsVerdict       *verdict,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  SaveTask *save;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (ROUNDS_IS_ITEM (item));
  g_return_if_fail (reviewer != NULL);
  g_return_if_fail (verdict != NULL);

  save = g_new0 (SaveTask, 1);
  save->item = g_object_ref (item);
  save->reviewer = g_strdup (reviewer);
  save->verdict = verdict;
  task = _rounds_worker_new (NULL, db_path, ROUNDS_WORKER_DEFAULT, cancellable, callback,
                             user_data, rounds_review_save_verdict_async);
  _rounds_worker_run (task, save_verdict_thread, save, save_task_free);
}

gboolean
rounds_review_save_verdict_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return _rounds_worker_finish (result, NULL, rounds_review_save_verdict_async, error) != NULL;
}

/* Krippendorff's own reading of alpha (Content Analysis, 2004, §11.4.4). */
static const char *
alpha_reading (double alpha)
{
  if (alpha >= 0.8)
    /* TRANSLATORS: Krippendorff's alpha of at least 0.8 */
    return _("reliable");
  if (alpha >= 0.667)
    /* TRANSLATORS: Krippendorff's alpha from 0.667 to 0.8 */
    return _("tentative");
  /* TRANSLATORS: Krippendorff's alpha below 0.667 */
  return _("doubtful");
}

/**
 * rounds_agreement_measure_to_string:
 *
 * Returns: (transfer full): @measure's alpha as a reviewer reads it ("0.71, tentative
 *   (40 items)"), or why there is none
 */
char *
rounds_agreement_measure_to_string (const RoundsAgreementMeasure *measure)
{
  if (measure->alpha.status == ROUNDS_ALPHA_OK)
    /* TRANSLATORS: Krippendorff's alpha, how reliable that is ("reliable", "tentative",
     * "doubtful") and the number of items behind it */
    return g_strdup_printf (_("%.2f, %s (%u items)"), measure->alpha.alpha,
                            alpha_reading (measure->alpha.alpha), measure->n_items);
  if (measure->alpha.status == ROUNDS_ALPHA_NO_VARIATION)
    return g_strdup (_("all agree"));
  return g_strdup (_("not enough judgements"));
}
