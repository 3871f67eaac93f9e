/* rounds-store-insights.c: what the insights read from the store
 *
 * The judgements come from rounds_store_list_current_judgements() and the verdicts from
 * the verdicts' own reader, so preference, ranking, scores and shown order are parsed in
 * one place; this file adds what those leave out: each item's specialty, language and length,
 * each response's model, and the dataset's reading-time setting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include "rounds-dataset-private.h"
#include "rounds-insights-private.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-worker-private.h"

/* For g_ptr_array_sort() of strings (NULL first). */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
insight_item_free (gpointer data)
{
  RoundsInsightItem *item = data;

  g_free (item->key);
  g_free (item->specialty);
  g_free (item->language);
  g_free (item->models);
  g_clear_pointer (&item->judgements, g_ptr_array_unref);
  g_clear_pointer (&item->verdict, rounds_verdict_free);
  g_free (item);
}

void
_rounds_insight_data_free (RoundsInsightData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->datasets, g_ptr_array_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->models, g_ptr_array_unref);
  g_free (data->reading_seconds);
  g_free (data);
}

/* The dataset's reading speed for fast judgements, from its metadata (see
 * ROUNDS_READING_SECONDS_KEY); the default when it has none or a value that is not > 0. */
static double
reading_seconds (RoundsDataset *dataset)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *member;

  if (dataset->metadata_json == NULL ||
      !(root = json_from_string (dataset->metadata_json, NULL)) ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return ROUNDS_READING_SECONDS_DEFAULT;
  object = json_node_get_object (root);
  member = json_object_get_member (object, ROUNDS_READING_SECONDS_KEY);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      (json_node_get_value_type (member) != G_TYPE_DOUBLE &&
       json_node_get_value_type (member) != G_TYPE_INT64) ||
      !(json_node_get_double (member) > 0))
    return ROUNDS_READING_SECONDS_DEFAULT;
  return json_node_get_double (member);
}

/* One dataset's items into @data. */
static gboolean
read_dataset (RoundsStore        *store,
              RoundsInsightData  *data,
              guint               index,
              GHashTable         *model_index,
              GError            **error)
{
  static const char items_sql[] =
    "SELECT i.id, i.specialty, i.language,"
    " length (i.scenario) + (SELECT COALESCE (SUM (length (r.text)), 0) FROM responses r"
    "  WHERE r.item_id = i.id) AS n_chars"
    " FROM items i WHERE i.dataset_id = ?1 ORDER BY i.position, i.id";
  static const char models_sql[] =
    "SELECT r.item_id, r.idx, r.model FROM responses r JOIN items i ON i.id = r.item_id"
    " WHERE i.dataset_id = ?1 AND r.model IS NOT NULL";
  RoundsDataset *dataset = g_ptr_array_index (data->datasets, index);
  gint64 dataset_id = rounds_dataset_get_id (dataset);
  g_autoptr(GPtrArray) judged = NULL;
  g_autoptr(GHashTable) verdicts = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  guint next = 0;
  int rc;

  if (!(judged = rounds_store_list_current_judgements (store, dataset_id, error)) ||
      !(verdicts = _rounds_store_list_current_verdicts (store, dataset_id, error)) ||
      !(stmt = _rounds_store_prepare (store, items_sql, error)))
    return FALSE;

  /* The same order as the judgements' list, so the two are walked side by side. */
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsItemJudgements *source;
      RoundsInsightItem *item;
      gint64 item_id = _rounds_sql_int64 (stmt, "id");
      gpointer verdict_key = NULL, verdict = NULL;

      g_assert (next < judged->len);
      source = g_ptr_array_index (judged, next++);
      g_assert (source->item_id == item_id);
      g_hash_table_steal_extended (verdicts, &item_id, &verdict_key, &verdict);
      g_free (verdict_key);
      if (source->n_responses < 2 ||
          (source->judgements->len == 0 && verdict == NULL))
        {
          g_clear_pointer ((RoundsVerdict **) &verdict, rounds_verdict_free);
          continue;
        }

      item = g_new0 (RoundsInsightItem, 1);
      item->item_id = item_id;
      item->key = g_steal_pointer (&source->item_key);
      item->dataset = index;
      item->specialty = _rounds_sql_dup (stmt, "specialty");
      item->language = _rounds_sql_dup (stmt, "language");
      item->n_chars = _rounds_sql_int64 (stmt, "n_chars");
      item->n_responses = source->n_responses;
      item->models = g_new (int, item->n_responses);
      for (guint r = 0; r < item->n_responses; r++)
        item->models[r] = -1;
      item->scale_k = rounds_dataset_get_scale_k (dataset);
      item->judgements = g_steal_pointer (&source->judgements);
      item->verdict = verdict;
      g_ptr_array_add (data->items, item);
      g_hash_table_insert (by_id, &item->item_id, item);
    }
  if (!_rounds_store_step_end (store, stmt, rc, error) ||
      !(stmt = _rounds_store_prepare (store, models_sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 item_id = _rounds_sql_int64 (stmt, "item_id");
      RoundsInsightItem *item = g_hash_table_lookup (by_id, &item_id);
      const char *model = _rounds_sql_text (stmt, "model");
      guint idx = (guint) _rounds_sql_int (stmt, "idx");
      gpointer known;

      if (item == NULL || idx >= item->n_responses)
        continue;
      if (!g_hash_table_lookup_extended (model_index, model, NULL, &known))
        {
          char *name = g_strdup (model);

          known = GUINT_TO_POINTER (data->models->len);
          g_ptr_array_add (data->models, name);
          g_hash_table_insert (model_index, name, known);
        }
      item->models[idx] = GPOINTER_TO_INT (known);
    }
  return _rounds_store_step_end (store, stmt, rc, error);
}

/* Renumbers the models so that they are in name order, whatever order they were met in. */
static void
sort_models (RoundsInsightData *data)
{
  guint n = data->models->len;
  g_autofree char **old_names = g_memdup2 (data->models->pdata, sizeof (char *) * MAX (n, 1));
  g_autofree int *renumber = g_new (int, MAX (n, 1));

  g_ptr_array_sort (data->models, compare_names);
  for (guint m = 0; m < n; m++)
    for (guint k = 0; k < n; k++)
      if (data->models->pdata[k] == old_names[m])
        renumber[m] = (int) k;
  for (guint i = 0; i < data->items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (data->items, i);

      for (guint r = 0; r < item->n_responses; r++)
        if (item->models[r] >= 0)
          item->models[r] = renumber[item->models[r]];
    }
}

/**
 * _rounds_store_read_insight_data:
 * @datasets: (nullable) (array zero-terminated=1): dataset names; %NULL for every dataset
 *
 * Everything the insights rest on, inside the caller's read transaction.
 */
RoundsInsightData *
_rounds_store_read_insight_data (RoundsStore        *store,
                                 const char *const  *datasets,
                                 GCancellable       *cancellable,
                                 GError            **error)
{
  g_autoptr(RoundsInsightData) data = g_new0 (RoundsInsightData, 1);
  g_autoptr(GHashTable) model_index = g_hash_table_new (g_str_hash, g_str_equal);

  if (!(data->datasets = rounds_store_get_datasets (store, datasets, error)))
    return NULL;
  data->items = g_ptr_array_new_with_free_func (insight_item_free);
  data->models = g_ptr_array_new_with_free_func (g_free);
  data->reading_seconds = g_new (double, MAX (data->datasets->len, 1));
  if (data->datasets->len > 0)
    {
      static const char sql[] = "SELECT rubric_version FROM datasets WHERE id = ?1";
      sqlite3_stmt *stmt;

      if (!(stmt = _rounds_store_prepare (store, sql, error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1,
                          rounds_dataset_get_id (g_ptr_array_index (data->datasets, 0)));
      if (!_rounds_store_step_row (store, stmt, error))
        return NULL;
      data->rubric_version = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  for (guint d = 0; d < data->datasets->len; d++)
    {
      data->reading_seconds[d] = reading_seconds (g_ptr_array_index (data->datasets, d));
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !read_dataset (store, data, d, model_index, error))
        return NULL;
    }
  sort_models (data);
  return g_steal_pointer (&data);
}

/**
 * rounds_store_compute_insights:
 * @datasets: (nullable) (array zero-terminated=1): dataset names; %NULL for every dataset
 * @options: (nullable): %NULL for the defaults of rounds_insights_options_init()
 *
 * Reads the current submitted judgements and verdicts of @datasets in one read
 * transaction and computes every figure of #RoundsInsights.
 *
 * Returns: (transfer full): the insights, or %NULL with @error set
 */
RoundsInsights *
rounds_store_compute_insights (RoundsStore                  *store,
                               const char *const            *datasets,
                               const RoundsInsightsOptions  *options,
                               GCancellable                 *cancellable,
                               GError                      **error)
{
  g_autoptr(RoundsInsightData) data = NULL;
  g_autoptr(RoundsInsights) insights = NULL;
  RoundsInsightsOptions defaults;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);

  if (options == NULL)
    {
      rounds_insights_options_init (&defaults);
      options = &defaults;
    }
  if (!_rounds_store_begin_read (store, error))
    return NULL;
  data = _rounds_store_read_insight_data (store, datasets, cancellable, error);
  _rounds_store_rollback (store);
  if (data == NULL)
    return NULL;

  insights = _rounds_insights_new (data, options);
  if (!_rounds_insights_compute (insights, data, cancellable, error))
    return NULL;
  return g_steal_pointer (&insights);
}

typedef struct
{
  char                 **datasets;
  RoundsInsightsOptions  options;
  RoundsInsights        *insights;
} InsightsTask;

static void
insights_task_free (gpointer data)
{
  InsightsTask *task = data;

  g_strfreev (task->datasets);
  g_clear_pointer (&task->insights, rounds_insights_free);
  g_free (task);
}

static gboolean
compute_insights_thread (GTask         *task,
                         RoundsStore   *store,
                         gpointer       data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  InsightsTask *work = data;

  work->insights = rounds_store_compute_insights (store, (const char *const *) work->datasets,
                                                  &work->options, cancellable, error);
  return work->insights != NULL;
}

/**
 * rounds_store_compute_insights_async:
 *
 * rounds_store_compute_insights() in a thread, on a connection of its own to @store's
 * database.
 */
void
rounds_store_compute_insights_async (RoundsStore                  *store,
                                     const char *const            *datasets,
                                     const RoundsInsightsOptions  *options,
                                     GCancellable                 *cancellable,
                                     GAsyncReadyCallback           callback,
                                     gpointer                      user_data)
{
  GTask *task;
  InsightsTask *work;

  g_return_if_fail (ROUNDS_IS_STORE (store));

  work = g_new0 (InsightsTask, 1);
  work->datasets = g_strdupv ((char **) datasets);
  if (options != NULL)
    work->options = *options;
  else
    rounds_insights_options_init (&work->options);
  task = _rounds_worker_new (store, rounds_store_get_path (store),
                             ROUNDS_WORKER_RETURN_ON_CANCEL, cancellable, callback, user_data,
                             rounds_store_compute_insights_async);
  _rounds_worker_run (task, compute_insights_thread, work, insights_task_free);
}

RoundsInsights *
rounds_store_compute_insights_finish (RoundsStore   *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  InsightsTask *work = _rounds_worker_finish (result, store, rounds_store_compute_insights_async,
                                              error);

  return work != NULL ? g_steal_pointer (&work->insights) : NULL;
}
