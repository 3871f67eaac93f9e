/* rounds-store-insights.c: what the insights read from the store
 *
 * The judgements come from a lean reader of their own that makes the same RoundsJudgement
 * as rounds_store_list_current_judgements() (_rounds_store_judgement_from_columns), and the
 * verdicts from the verdicts' own reader; this file adds each item's specialty, language and
 * length, each response's model, and the dataset's reading-time setting.
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

static void
insight_item_free (gpointer data)
{
  RoundsInsightItem *item = data;

  if (item == NULL)
    return;
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
  g_clear_pointer (&data->arena, _rounds_arena_free);
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

/* For g_ptr_array_sort() of an item's judgements: by annotator, as the store's reader
 * (rounds_store_list_current_judgements) orders them. */
static int
compare_annotators (gconstpointer a,
                    gconstpointer b)
{
  return g_strcmp0 ((*(RoundsJudgement * const *) a)->annotator,
                    (*(RoundsJudgement * const *) b)->annotator);
}

/* @dataset_id's current submitted judgements into the items of @by_id (an item's id → its
 * RoundsInsightItem), each item's sorted by annotator. A lean reader of its own beside
 * rounds_store_list_current_judgements(), for a million rows: no ORDER BY (the items are in
 * dataset order already), no item columns on every row, the columns looked up once and the
 * integer arrays parsed by hand (_rounds_store_judgement_from_columns); the same judgements
 * (tests/test-insights.c, "lean-reader"). */
static gboolean
read_judgements (RoundsStore    *store,
                 RoundsDataset  *dataset,
                 GHashTable     *by_id,
                 RoundsArena    *arena,
                 GError        **error)
{
  static const char sql[] =
    "SELECT " _ROUNDS_ANNOTATION_COLUMNS ", a.item_id AS annotation_item"
    " FROM items i"
    " JOIN annotations a ON a.item_id = i.id AND a.is_current = 1 AND a.status = 'submitted'"
    " JOIN annotators an ON an.id = a.annotator_id AND an.kind = 'person'"
    " WHERE i.dataset_id = ?1";
  RoundsRubric *rubric = rounds_dataset_get_rubric (dataset);
  g_autoptr(GPtrArray) scratch = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 rounds_judgement_free);
  RoundsJudgementColumns columns;
  RoundsInsightItem *item = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  char **criteria = _rounds_arena_alloc (arena, sizeof (char *) * (n_criteria + 1));
  sqlite3_stmt *stmt;
  int item_column;
  int rc;

  /* The judgements share one copy of the criterion ids, which lives as long as they do. */
  for (guint c = 0; c < n_criteria; c++)
    {
      const char *id = rounds_rubric_get_criterion (rubric, c)->id;

      criteria[c] = memcpy (_rounds_arena_alloc (arena, strlen (id) + 1), id, strlen (id) + 1);
    }
  criteria[n_criteria] = NULL;

  if (!(stmt = _rounds_store_prepare (store, sql, error)))
    return FALSE;
  _rounds_store_judgement_columns_init (&columns, stmt);
  item_column = _rounds_sql_column (stmt, "annotation_item");
  sqlite3_bind_int64 (stmt, 1, rounds_dataset_get_id (dataset));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (stmt, item_column);

      /* An item's judgements mostly come together: its lookup is reused. */
      if ((item == NULL || item->item_id != item_id) &&
          !(item = g_hash_table_lookup (by_id, &item_id)))
        continue;
      /* One judgement to parse into per number of responses. */
      if (scratch->len <= item->n_responses)
        g_ptr_array_set_size (scratch, item->n_responses + 1);
      if (scratch->pdata[item->n_responses] == NULL)
        scratch->pdata[item->n_responses] = rounds_judgement_new (item->n_responses, rubric);
      g_ptr_array_add (item->judgements,
                       _rounds_store_judgement_from_columns (stmt, &columns,
                                                             scratch->pdata[item->n_responses],
                                                             arena, criteria));
    }
  if (!_rounds_store_step_end (store, stmt, rc, error))
    return FALSE;

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RoundsInsightItem *judged = value;

      if (judged->judgements->len > 1)
        g_ptr_array_sort (judged->judgements, compare_annotators);
    }
  return TRUE;
}

/* A response's model, kept until its item is known to stay. */
typedef struct
{
  RoundsInsightItem *item;
  guint              idx;
  const char        *model;       /* in the names' table */
} ResponseModel;

/* One dataset's items into @data. */
static gboolean
read_dataset (RoundsStore        *store,
              RoundsInsightData  *data,
              guint               index,
              GHashTable         *model_index,
              GError            **error)
{
  static const char items_sql[] =
    "SELECT i.id, i.key, i.specialty, i.language, length (i.scenario) AS n_chars"
    " FROM items i WHERE i.dataset_id = ?1 ORDER BY i.position, i.id";
  /* Every response once: the count, the length and the model of each item's. */
  static const char responses_sql[] =
    "SELECT r.item_id, r.idx, r.model, length (r.text) AS n_chars"
    " FROM responses r JOIN items i ON i.id = r.item_id WHERE i.dataset_id = ?1";
  RoundsDataset *dataset = g_ptr_array_index (data->datasets, index);
  gint64 dataset_id = rounds_dataset_get_id (dataset);
  g_autoptr(GHashTable) verdicts = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (insight_item_free);
  g_autoptr(GArray) models = g_array_new (FALSE, FALSE, sizeof (ResponseModel));
  int id_column, idx_column, model_column, chars_column;
  sqlite3_stmt *stmt;
  int rc;

  if (!(verdicts = _rounds_store_list_current_verdicts (store, dataset_id, error)) ||
      !(stmt = _rounds_store_prepare (store, items_sql, error)))
    return FALSE;

  /* Every item, in dataset order. */
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsInsightItem *item = g_new0 (RoundsInsightItem, 1);

      item->item_id = _rounds_sql_int64 (stmt, "id");
      item->key = _rounds_sql_dup (stmt, "key");
      item->dataset = index;
      item->specialty = _rounds_sql_dup (stmt, "specialty");
      item->language = _rounds_sql_dup (stmt, "language");
      item->n_chars = _rounds_sql_int64 (stmt, "n_chars");
      item->scale_k = rounds_dataset_get_scale_k (dataset);
      g_ptr_array_add (items, item);
      g_hash_table_insert (by_id, &item->item_id, item);
    }
  if (!_rounds_store_step_end (store, stmt, rc, error) ||
      !(stmt = _rounds_store_prepare (store, responses_sql, error)))
    return FALSE;

  id_column = _rounds_sql_column (stmt, "item_id");
  idx_column = _rounds_sql_column (stmt, "idx");
  model_column = _rounds_sql_column (stmt, "model");
  chars_column = _rounds_sql_column (stmt, "n_chars");
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (stmt, id_column);
      RoundsInsightItem *item = g_hash_table_lookup (by_id, &item_id);
      const char *model = (const char *) sqlite3_column_text (stmt, model_column);

      if (item == NULL)
        continue;
      item->n_responses++;
      item->n_chars += sqlite3_column_int64 (stmt, chars_column);
      if (model != NULL)
        {
          ResponseModel response = { item, (guint) sqlite3_column_int (stmt, idx_column), NULL };

          if (!(response.model = g_hash_table_lookup (names, model)))
            {
              char *name = g_strdup (model);

              g_hash_table_insert (names, name, name);
              response.model = name;
            }
          g_array_append_val (models, response);
        }
    }
  if (!_rounds_store_step_end (store, stmt, rc, error))
    return FALSE;

  /* Those with two responses or more can have judgements. */
  g_hash_table_remove_all (by_id);
  for (guint i = 0; i < items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (items, i);

      if (item->n_responses < 2)
        continue;
      item->models = g_new (int, item->n_responses);
      for (guint r = 0; r < item->n_responses; r++)
        item->models[r] = -1;
      /* in data->arena */
      item->judgements = g_ptr_array_new ();
      g_hash_table_insert (by_id, &item->item_id, item);
    }
  if (!read_judgements (store, dataset, by_id, data->arena, error))
    return FALSE;

  /* Those with a judgement or a verdict. */
  g_hash_table_remove_all (by_id);
  for (guint i = 0; i < items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (items, i);
      gpointer verdict_key = NULL, verdict = NULL;

      if (item->n_responses < 2)
        continue;
      g_hash_table_steal_extended (verdicts, &item->item_id, &verdict_key, &verdict);
      g_free (verdict_key);
      if (item->judgements->len == 0 && verdict == NULL)
        continue;
      item->verdict = verdict;
      g_ptr_array_add (data->items, g_steal_pointer (&items->pdata[i]));
      g_hash_table_insert (by_id, &item->item_id, item);
    }

  /* Their models. */
  for (guint m = 0; m < models->len; m++)
    {
      ResponseModel *response = &g_array_index (models, ResponseModel, m);
      RoundsInsightItem *item = response->item;
      gpointer known;

      if (g_hash_table_lookup (by_id, &item->item_id) != item ||
          response->idx >= item->n_responses)
        continue;
      if (!g_hash_table_lookup_extended (model_index, response->model, NULL, &known))
        {
          char *name = g_strdup (response->model);

          known = GUINT_TO_POINTER (data->models->len);
          g_ptr_array_add (data->models, name);
          g_hash_table_insert (model_index, name, known);
        }
      item->models[response->idx] = GPOINTER_TO_INT (known);
    }
  return TRUE;
}

/* Renumbers the models so that they are in name order, whatever order they were met in. */
static void
sort_models (RoundsInsightData *data)
{
  guint n = data->models->len;
  g_autofree char **old_names = g_memdup2 (data->models->pdata, sizeof (char *) * MAX (n, 1));
  g_autofree int *renumber = g_new (int, MAX (n, 1));

  g_ptr_array_sort (data->models, _rounds_insights_compare_names);
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
  data->arena = _rounds_arena_new ();
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
