/* rounds-worker-private.h: store work off the main thread, with progress and cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/* Every slow core call that has an _async/_finish pair (import, export, sync, the review's
 * lists and agreement) runs through this: the thread opens a connection of its own to the
 * store (one SQLite connection per thread), runs the work on a copy of its inputs, and may
 * report progress, which reaches the caller's main context in order. */

typedef enum
{
  ROUNDS_WORKER_DEFAULT            = 0,
  /* The finish callback comes as soon as the cancellable is cancelled; the thread's late
   * result is dropped. For read-only work only. */
  ROUNDS_WORKER_RETURN_ON_CANCEL   = 1 << 0,
  /* The result is what the thread did, even when the cancellable was cancelled meanwhile
   * (a cancel that comes after files took their names must not report "nothing written"). */
  ROUNDS_WORKER_RESULT_OVER_CANCEL = 1 << 1,
  /* Progress reports still waiting for the main loop are replaced by newer ones, and none is
   * delivered after a cancel: for work that reports very often (export). Without it every
   * report is delivered, in order. */
  ROUNDS_WORKER_LATEST_PROGRESS    = 1 << 2,
} RoundsWorkerFlags;

/* Runs in the worker thread with its own @store. Results go into @data; %FALSE with @error
 * set on failure. */
typedef gboolean (*RoundsWorkerFunc)         (GTask         *task,
                                              RoundsStore   *store,
                                              gpointer       data,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* Runs on the caller's main context with a report made by _rounds_worker_report(). */
typedef void     (*RoundsWorkerProgressFunc) (gpointer       source_object,
                                              gconstpointer  report,
                                              gpointer       user_data);

GTask    *_rounds_worker_new          (gpointer                  source_object,
                                       const char               *db_path,
                                       RoundsWorkerFlags         flags,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data,
                                       gpointer                  source_tag);
void      _rounds_worker_set_progress (GTask                    *task,
                                       gsize                     report_size,
                                       RoundsWorkerProgressFunc  progress,
                                       gpointer                  progress_data);
void      _rounds_worker_run          (GTask                    *task,
                                       RoundsWorkerFunc          func,
                                       gpointer                  data,
                                       GDestroyNotify            data_free);
void      _rounds_worker_report       (GTask                    *task,
                                       gconstpointer             report);
gpointer  _rounds_worker_get_data     (GTask                    *task);
gpointer  _rounds_worker_finish       (GAsyncResult             *result,
                                       gpointer                  source_object,
                                       gpointer                  source_tag,
                                       GError                  **error);

G_END_DECLS
