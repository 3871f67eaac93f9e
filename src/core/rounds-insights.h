/* rounds-insights.h: what a round of judgements says about the models and about the labels
 *
 * The figures of the Insights page, the PDF report and `rounds-cli insights`: a Bradley-Terry
 * leaderboard with scenario-bootstrap intervals, the win/tie/loss matrix, per-criterion means,
 * the leaderboard per specialty and per language, position bias, time on task and each
 * annotator's effect on agreement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/**
 * RoundsInsightsOptions:
 * @bootstrap: bootstrap rounds (resampling scenarios); 0 for none (intervals are then NaN)
 * @seed: the bootstrap's seed; the same seed gives the same intervals
 * @graded: use the 5-point strength of a two-response preference as a graded outcome
 *   (A much better = 1, A better = 0.75, tie = 0.5, ...) instead of win/tie/loss
 * @ridge: the ridge penalty on the strengths (log-odds scale); 0 for the plain MLE
 * @confidence: the interval's level, 0.95 by default
 */
typedef struct
{
  guint   bootstrap;
  guint64 seed;
  gboolean graded;
  double  ridge;
  double  confidence;
} RoundsInsightsOptions;

void rounds_insights_options_init (RoundsInsightsOptions *options);

/**
 * RoundsModelRating:
 * @model: the model's name
 * @rating: strength on the Elo-like scale 1000 + 400·log10(odds), centred on the mean model
 * @lower: the interval's lower end on the same scale (NaN without a bootstrap)
 * @upper: its upper end
 * @rank: 1 for the best; models whose intervals overlap share the better rank
 * @wins: decisive wins; @ties; @losses; @unacceptable: judgements in which the model's
 *   response was among "all unacceptable"
 * @n_comparisons: wins + ties + losses
 */
typedef struct
{
  char  *model;
  double rating;
  double lower;
  double upper;
  guint  rank;
  guint  wins;
  guint  ties;
  guint  losses;
  guint  unacceptable;
  guint  n_comparisons;
} RoundsModelRating;

/**
 * RoundsCriterionScore:
 * @criterion: the rubric criterion's id; @label: its name
 * @model: the model
 * @mean: the mean score; @lower, @upper: its bootstrap interval (NaN without)
 * @n: scores counted
 */
typedef struct
{
  char  *criterion;
  char  *label;
  char  *model;
  double mean;
  double lower;
  double upper;
  guint  n;
} RoundsCriterionScore;

/**
 * RoundsGroupRating: the leaderboard within one specialty or one language
 * @group: "specialty" or "language"; @value: e.g. "cardiology", "zh"
 * @ratings: (element-type RoundsModelRating) the group's leaderboard (no intervals)
 */
typedef struct
{
  char      *group;
  char      *value;
  GPtrArray *ratings;
} RoundsGroupRating;

/**
 * RoundsPositionBias:
 * @annotator: the annotator's user name, NULL for everyone together
 * @decisive: decisive judgements (a preference that is not a tie, or a ranking's top)
 * @first_preferred: of those, how many preferred the response shown first (left or top)
 * @share: first_preferred / decisive
 * @p_value: two-sided exact binomial test against 0.5
 */
typedef struct
{
  char  *annotator;
  guint  decisive;
  guint  first_preferred;
  double share;
  double p_value;
} RoundsPositionBias;

/**
 * RoundsTimeOnTask:
 * @annotator: the user name, NULL for everyone
 * @n: submitted judgements with a time; @median_s, @p10_s, @p90_s: seconds
 * @seconds: (element-type double) every time, sorted, for the plot
 * @n_fast: judgements faster than the dataset's reading-time threshold
 * @fast: (element-type utf8) the document ids of those judgements
 */
typedef struct
{
  char      *annotator;
  guint      n;
  double     median_s;
  double     p10_s;
  double     p90_s;
  GArray    *seconds;
  guint      n_fast;
  GPtrArray *fast;
} RoundsTimeOnTask;

/**
 * RoundsAnnotatorAgreement:
 * @annotator: the user name
 * @n: judgements counted
 * @alpha_with: the preference's alpha with everyone; @alpha_without: without this annotator
 *   (NaN where undefined). alpha_without > alpha_with: this annotator lowers agreement
 */
typedef struct
{
  char  *annotator;
  guint  n;
  double alpha_with;
  double alpha_without;
} RoundsAnnotatorAgreement;

/**
 * RoundsPeriodAgreement: alpha of the judgements submitted in one ISO week
 * @period: "2026-W48"; @alpha (NaN where undefined); @n: judgements
 */
typedef struct
{
  char  *period;
  double alpha;
  guint  n;
} RoundsPeriodAgreement;

/**
 * RoundsInsights:
 * @datasets: (element-type utf8) the datasets' names
 * @rubric_version: the (first) dataset's rubric version
 * @n_items, @n_judgements, @n_annotators, @n_verdicts: what was counted
 * @n_unacceptable: judgements (or verdicts) that called every response unacceptable
 * @ratings: (element-type RoundsModelRating) the leaderboard, best first
 * @matrix: n_models × n_models, row-major, in @ratings order: matrix[i*n+j] = wins of i over j
 *   plus half its ties with j
 * @matrix_count: the same layout: comparisons of i and j
 * @criteria: (element-type RoundsCriterionScore)
 * @groups: (element-type RoundsGroupRating)
 * @position: (element-type RoundsPositionBias) everyone first, then each annotator
 * @time: (element-type RoundsTimeOnTask) everyone first, then each annotator
 * @agreement: (element-type RoundsAnnotatorAgreement)
 * @criterion_alpha: (element-type RoundsPeriodAgreement) per criterion: @period holds the
 *   criterion id
 * @weekly: (element-type RoundsPeriodAgreement)
 * @alpha: the preference's alpha over everyone (ordinal)
 * @options: the options it was computed with
 */
typedef struct
{
  GPtrArray            *datasets;
  int                   rubric_version;
  guint                 n_items;
  guint                 n_judgements;
  guint                 n_annotators;
  guint                 n_verdicts;
  guint                 n_unacceptable;
  GPtrArray            *ratings;
  double               *matrix;
  double               *matrix_count;
  GPtrArray            *criteria;
  GPtrArray            *groups;
  GPtrArray            *position;
  GPtrArray            *time;
  GPtrArray            *agreement;
  GPtrArray            *criterion_alpha;
  GPtrArray            *weekly;
  double                alpha;
  RoundsInsightsOptions options;
} RoundsInsights;

void            rounds_insights_free           (RoundsInsights               *self);
/* What the figures count, for a person: "15 items, 30 judgements by 2 annotators, 1 verdict;
 * 2 called every response unacceptable", in plural forms and the locale's digit grouping. */
char           *rounds_insights_describe_counts (const RoundsInsights        *self);

/* Reads the current submitted judgements and verdicts of the datasets (NULL: every dataset)
 * and computes every figure. Blocking: call it from a worker thread, or use the async pair. */
RoundsInsights *rounds_store_compute_insights  (RoundsStore                  *store,
                                                const char *const            *datasets,
                                                const RoundsInsightsOptions  *options,
                                                GCancellable                 *cancellable,
                                                GError                      **error);
void            rounds_store_compute_insights_async  (RoundsStore                  *store,
                                                      const char *const            *datasets,
                                                      const RoundsInsightsOptions  *options,
                                                      GCancellable                 *cancellable,
                                                      GAsyncReadyCallback           callback,
                                                      gpointer                      user_data);
RoundsInsights *rounds_store_compute_insights_finish (RoundsStore                  *store,
                                                      GAsyncResult                 *result,
                                                      GError                      **error);

/* The figures as one JSON object (the schema of `rounds-cli insights --json`, documented in
 * the README): members datasets, rubric_version, counts, options, ratings (model, rating,
 * lower, upper, rank, wins, ties, losses, unacceptable), matrix, criteria (criterion, label,
 * model, mean, lower, upper, n), groups, position_bias, time_on_task, agreement,
 * criterion_alpha, weekly_alpha, alpha. NaN is written as null. */
char           *rounds_insights_to_json        (const RoundsInsights         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsInsights, rounds_insights_free)

G_END_DECLS
