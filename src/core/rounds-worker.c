/* rounds-worker.c: store work off the main thread, with progress and cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-worker"

#include "config.h"

#include <string.h>

#include "rounds-worker-private.h"

typedef struct
{
  char                     *db_path;
  RoundsWorkerFlags         flags;
  GMainContext             *context;      /* the caller's, where progress is delivered */

  RoundsWorkerFunc          func;
  gpointer                  data;
  GDestroyNotify            data_free;

  RoundsWorkerProgressFunc  progress;
  gpointer                  progress_data;
  gsize                     report_size;

  /* With ROUNDS_WORKER_LATEST_PROGRESS: the newest report not yet delivered, if any. */
  GMutex                    latest_lock;
  gpointer                  latest;
} Worker;

typedef struct
{
  GTask    *task;
  gpointer  report;                       /* NULL: deliver Worker.latest */
} Delivery;

static void
worker_free (gpointer data)
{
  Worker *worker = data;

  if (worker->data_free != NULL && worker->data != NULL)
    worker->data_free (worker->data);
  g_free (worker->db_path);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_mutex_clear (&worker->latest_lock);
  g_free (worker->latest);
  g_free (worker);
}

/**
 * _rounds_worker_new:
 * @source_object: (nullable): the object the work is for, kept alive until it finishes
 * @db_path: the store; the thread opens a connection of its own
 * @source_tag: the _async function, checked again by _rounds_worker_finish()
 *
 * Returns: (transfer full): a task to give a progress function and then run
 */
GTask *
_rounds_worker_new (gpointer             source_object,
                    const char          *db_path,
                    RoundsWorkerFlags    flags,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  GTask *task;
  Worker *worker;

  g_return_val_if_fail (db_path != NULL, NULL);

  worker = g_new0 (Worker, 1);
  worker->db_path = g_strdup (db_path);
  worker->flags = flags;
  worker->context = g_main_context_ref_thread_default ();
  g_mutex_init (&worker->latest_lock);

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, worker, worker_free);
  g_task_set_return_on_cancel (task, (flags & ROUNDS_WORKER_RETURN_ON_CANCEL) != 0);
  g_task_set_check_cancellable (task, (flags & ROUNDS_WORKER_RESULT_OVER_CANCEL) == 0);
  return task;
}

/**
 * _rounds_worker_set_progress:
 * @report_size: the size of one report, copied from the thread to the main context
 *
 * @progress runs on the main context that called _rounds_worker_new(); @progress_data must
 * outlive the task.
 */
void
_rounds_worker_set_progress (GTask                    *task,
                             gsize                     report_size,
                             RoundsWorkerProgressFunc  progress,
                             gpointer                  progress_data)
{
  Worker *worker = g_task_get_task_data (task);

  g_return_if_fail (report_size > 0);

  worker->progress = progress;
  worker->progress_data = progress_data;
  worker->report_size = report_size;
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Worker *worker = task_data;
  g_autoptr(RoundsStore) store = NULL;
  GError *error = NULL;

  if (!(store = rounds_store_open (worker->db_path, &error)) ||
      !worker->func (task, store, worker->data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * _rounds_worker_run:
 * @task: (transfer full): from _rounds_worker_new(); it keeps itself alive until it has finished
 * @data: (transfer full): the work's inputs and outputs, freed with the task
 *
 * Starts @func in a thread.
 */
void
_rounds_worker_run (GTask            *task,
                    RoundsWorkerFunc  func,
                    gpointer          data,
                    GDestroyNotify    data_free)
{
  Worker *worker = g_task_get_task_data (task);

  g_return_if_fail (func != NULL);

  worker->func = func;
  worker->data = data;
  worker->data_free = data_free;
  g_task_run_in_thread (task, worker_thread);
  g_object_unref (task);
}

gpointer
_rounds_worker_get_data (GTask *task)
{
  return ((Worker *) g_task_get_task_data (task))->data;
}

static gboolean
deliver (gpointer user_data)
{
  Delivery *delivery = user_data;
  Worker *worker = g_task_get_task_data (delivery->task);
  GCancellable *cancellable = g_task_get_cancellable (delivery->task);
  g_autofree gpointer report = NULL;

  if (delivery->report != NULL)
    report = g_steal_pointer (&delivery->report);
  else
    {
      g_mutex_lock (&worker->latest_lock);
      report = g_steal_pointer (&worker->latest);
      g_mutex_unlock (&worker->latest_lock);
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return G_SOURCE_REMOVE;
    }
  if (report != NULL)
    worker->progress (g_task_get_source_object (delivery->task), report, worker->progress_data);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_object_unref (delivery->task);
  g_free (delivery->report);
  g_free (delivery);
}

/**
 * _rounds_worker_report:
 * @task: the task given to the #RoundsWorkerFunc
 * @report: a report of the size given to _rounds_worker_set_progress(), copied
 *
 * From the worker thread: hands a progress report to the caller's main context. Does nothing
 * when the work has no progress function.
 */
void
_rounds_worker_report (GTask         *task,
                       gconstpointer  report)
{
  Worker *worker = g_task_get_task_data (task);
  Delivery *delivery;

  if (worker->progress == NULL)
    return;

  delivery = g_new0 (Delivery, 1);
  if (worker->flags & ROUNDS_WORKER_LATEST_PROGRESS)
    {
      gboolean queued;

      /* One delivery in flight at a time, carrying the newest report: a slow main loop is
       * not flooded, and the last report is never lost. */
      g_mutex_lock (&worker->latest_lock);
      queued = worker->latest != NULL;
      g_free (worker->latest);
      worker->latest = g_memdup2 (report, worker->report_size);
      g_mutex_unlock (&worker->latest_lock);
      if (queued)
        {
          g_free (delivery);
          return;
        }
    }
  else
    delivery->report = g_memdup2 (report, worker->report_size);

  delivery->task = g_object_ref (task);
  g_main_context_invoke_full (worker->context, G_PRIORITY_DEFAULT, deliver, delivery,
                              delivery_free);
}

/**
 * _rounds_worker_finish:
 *
 * Returns: (transfer none) (nullable): the work's data, owned by the task, or %NULL with
 *   @error set
 */
gpointer
_rounds_worker_finish (GAsyncResult  *result,
                       gpointer       source_object,
                       gpointer       source_tag,
                       GError       **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == source_tag, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;
  return _rounds_worker_get_data (task);
}
