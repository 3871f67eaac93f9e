/* rounds-insights-private.h: what the insights are computed from, as read from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-insights.h"
#include "rounds-review.h"
#include "rounds-util-private.h"

G_BEGIN_DECLS

/* The dataset setting for fast judgements: seconds of reading per 1 000 characters of
 * scenario and responses, in the dataset's metadata_json. */
#define ROUNDS_READING_SECONDS_KEY "reading_seconds_per_1000_chars"
#define ROUNDS_READING_SECONDS_DEFAULT 10.0

/**
 * RoundsInsightItem:
 * @dataset: index into RoundsInsightData.datasets
 * @n_chars: characters of the scenario and every response
 * @models: (array length=n_responses): each response's model, an index into
 *   RoundsInsightData.models, or -1 when it has none
 * @judgements: (element-type RoundsJudgement): the current submitted judgements, each in one
 *   block of RoundsInsightData.arena (_rounds_judgement_copy_packed())
 * @verdict: (nullable): the current verdict
 */
typedef struct
{
  gint64         item_id;
  char          *key;
  guint          dataset;
  char          *specialty;
  char          *language;
  gint64         n_chars;
  guint          n_responses;
  int           *models;
  int            scale_k;
  GPtrArray     *judgements;
  RoundsVerdict *verdict;
} RoundsInsightItem;

/**
 * RoundsInsightData:
 * @datasets: (element-type RoundsDataset)
 * @reading_seconds: per dataset, seconds per 1 000 characters
 * @items: (element-type RoundsInsightItem) items with a judgement or a verdict
 * @models: (element-type utf8) every model named by a response, sorted
 * @arena: where the items' judgements are
 */
typedef struct
{
  GPtrArray   *datasets;
  int          rubric_version;
  double      *reading_seconds;
  GPtrArray   *items;
  GPtrArray   *models;
  RoundsArena *arena;
} RoundsInsightData;

void               _rounds_insight_data_free        (RoundsInsightData            *data);
RoundsInsightData *_rounds_store_read_insight_data  (RoundsStore                  *store,
                                                     const char *const            *datasets,
                                                     GCancellable                 *cancellable,
                                                     GError                      **error);
RoundsInsights    *_rounds_insights_new             (RoundsInsightData            *data,
                                                     const RoundsInsightsOptions  *options);
gboolean           _rounds_insights_leaderboard     (RoundsInsights               *self,
                                                     RoundsInsightData            *data,
                                                     GError                      **error);
gboolean           _rounds_insights_compute         (RoundsInsights               *self,
                                                     RoundsInsightData            *data,
                                                     GCancellable                 *cancellable,
                                                     GError                      **error);
double             _rounds_binomial_test            (guint                         k,
                                                     guint                         n);
gboolean           _rounds_insights_check_labels    (RoundsInsights               *self,
                                                     RoundsInsightData            *data,
                                                     GCancellable                 *cancellable,
                                                     GError                      **error);
int                _rounds_insights_compare_names   (gconstpointer                 a,
                                                     gconstpointer                 b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsInsightData, _rounds_insight_data_free)

G_END_DECLS
