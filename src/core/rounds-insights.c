/* rounds-insights.c: what a round of judgements says about the models and about the labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights"

#include "config.h"

#include <math.h>

#include "rounds-error.h"
#include "rounds-insights.h"

void
rounds_insights_options_init (RoundsInsightsOptions *options)
{
  g_return_if_fail (options != NULL);

  options->bootstrap = 1000;
  options->seed = 1;
  options->graded = FALSE;
  options->ridge = 0.01;
  options->confidence = 0.95;
}

void
rounds_insights_free (RoundsInsights *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->datasets, g_ptr_array_unref);
  g_clear_pointer (&self->ratings, g_ptr_array_unref);
  g_clear_pointer (&self->matrix, g_free);
  g_clear_pointer (&self->matrix_count, g_free);
  g_clear_pointer (&self->criteria, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->position, g_ptr_array_unref);
  g_clear_pointer (&self->time, g_ptr_array_unref);
  g_clear_pointer (&self->agreement, g_ptr_array_unref);
  g_clear_pointer (&self->criterion_alpha, g_ptr_array_unref);
  g_clear_pointer (&self->weekly, g_ptr_array_unref);
  g_free (self);
}

RoundsInsights *
rounds_store_compute_insights (RoundsStore                  *store,
                               const char *const            *datasets,
                               const RoundsInsightsOptions  *options,
                               GCancellable                 *cancellable,
                               GError                      **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
  return NULL;
}

void
rounds_store_compute_insights_async (RoundsStore                  *store,
                                     const char *const            *datasets,
                                     const RoundsInsightsOptions  *options,
                                     GCancellable                 *cancellable,
                                     GAsyncReadyCallback           callback,
                                     gpointer                      user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
}

RoundsInsights *
rounds_store_compute_insights_finish (RoundsStore   *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
rounds_insights_to_json (const RoundsInsights *self)
{
  return g_strdup ("{}");
}
