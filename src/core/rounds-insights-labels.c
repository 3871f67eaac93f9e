/* rounds-insights-labels.c: how far to trust the labels: position bias, time on task, and
 * each annotator's effect on agreement (with and without them, per criterion, by week)
 *
 * Position bias, time on task and agreement describe the annotators, so they read the
 * judgements themselves, never a verdict that stands for them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rounds-agreement.h"
#include "rounds-bradley-terry.h"
#include "rounds-error.h"
#include "rounds-insights-private.h"
#include "rounds-util-private.h"

/* Unit keys for alpha per criterion: an item and a response, as rounds-store-agreement.c. */
#define UNIT(item_id, sub) ((item_id) * 64 + (sub))

/* Position bias --------------------------------------------------------------------------- */

static double
log_add (double a,
         double b)
{
  if (a == -INFINITY)
    return b;
  if (b == -INFINITY)
    return a;
  return MAX (a, b) + log1p (exp (-fabs (a - b)));
}

/**
 * _rounds_binomial_test:
 * @k: successes out of @n
 *
 * The two-sided exact binomial test of p = 0.5: the probability of an outcome at most as
 * likely as @k, summed in log space so that large @n neither underflows nor loses
 * precision (R's binom.test (k, n) gives the same).
 */
double
_rounds_binomial_test (guint k,
                      guint n)
{
  guint tail = MIN (k, n - k);
  double log_sum = -INFINITY, base;

  if (n == 0)
    return 1.0;
  if (2 * k == n)
    return 1.0;
  base = lgamma (n + 1.0) - n * G_LN2;
  for (guint i = 0; i <= tail; i++)
    log_sum = log_add (log_sum, base - lgamma (i + 1.0) - lgamma (n - i + 1.0));
  return MIN (1.0, 2.0 * exp (log_sum));
}

/* Whether @judgement is decisive between the responses shown first and second, and if so
 * whether it preferred the first. For a ranking, the two responses shown first. */
static gboolean
first_preferred (const RoundsJudgement *judgement,
                 gboolean              *first)
{
  guint a, b;

  if (judgement->n_responses < 2 || judgement->unacceptable)
    return FALSE;
  a = judgement->shown_order[0];
  b = judgement->shown_order[1];
  if (a >= judgement->n_responses || b >= judgement->n_responses || a == b)
    return FALSE;
  if (judgement->n_responses == 2)
    {
      int preferred;

      if (!judgement->has_preference || judgement->preference == 0)
        return FALSE;
      preferred = judgement->preference < 0 ? 0 : 1;
      *first = (guint) preferred == a;
      return TRUE;
    }
  if (judgement->ranks[a] <= 0 || judgement->ranks[b] <= 0 ||
      judgement->ranks[a] == judgement->ranks[b])
    return FALSE;
  *first = judgement->ranks[a] < judgement->ranks[b];
  return TRUE;
}

/* The judgements as the label checks read them: each with its annotator's index in the
 * sorted names (0 is everyone) and its ISO week's, looked up once. */
typedef struct
{
  RoundsInsightItem *item;
  RoundsJudgement   *judgement;
  guint              coder;
  guint              week;        /* index into Judged.weeks, or G_MAXUINT */
} Row;

typedef struct
{
  GPtrArray *names;               /* NULL first, then sorted user names */
  GPtrArray *weeks;               /* "2026-W48", sorted */
  GArray    *rows;                /* Row */
} Judged;

/* "2026-W48" for the day of an ISO 8601 time, or NULL. */
static char *
iso_week (const char *created_at)
{
  guint year, month, day;
  g_autoptr(GDate) date = NULL;
  guint week, week_year;

  if (created_at == NULL || sscanf (created_at, "%4u-%2u-%2u", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  date = g_date_new_dmy (day, month, year);
  week = g_date_get_iso8601_week_of_year (date);
  week_year = year;
  if (month == 1 && week >= 52)
    week_year--;
  else if (month == 12 && week == 1)
    week_year++;
  return g_strdup_printf ("%04u-W%02u", week_year, week);
}

static void
judged_init (Judged            *judged,
             RoundsInsightData *data)
{
  g_autoptr(GHashTable) coders = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) week_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *renumber = NULL;
  GPtrArray *unsorted_weeks = g_ptr_array_new_with_free_func (g_free);

  judged->names = g_ptr_array_new ();
  judged->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  for (guint i = 0; i < data->items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (data->items, i);

      for (guint j = 0; j < item->judgements->len; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
          Row row = { item, judgement, 0, G_MAXUINT };
          gpointer found;

          if (g_hash_table_add (coders, judgement->annotator))
            g_ptr_array_add (judged->names, judgement->annotator);

          /* Days are few: the week of each is worked out once. */
          if (judgement->created_at != NULL && strlen (judgement->created_at) >= 10)
            {
              g_autofree char *day = g_strndup (judgement->created_at, 10);

              if (!g_hash_table_lookup_extended (days, day, NULL, &found))
                {
                  char *week = iso_week (day);

                  found = GUINT_TO_POINTER (G_MAXUINT);
                  if (week != NULL &&
                      !g_hash_table_lookup_extended (week_index, week, NULL, &found))
                    {
                      found = GUINT_TO_POINTER (unsorted_weeks->len);
                      g_ptr_array_add (unsorted_weeks, week);
                      g_hash_table_insert (week_index, week, found);
                    }
                  else
                    g_free (week);
                  g_hash_table_insert (days, g_steal_pointer (&day), found);
                }
              row.week = GPOINTER_TO_UINT (found);
            }
          g_array_append_val (judged->rows, row);
        }
    }

  g_ptr_array_sort (judged->names, _rounds_insights_compare_names);
  g_ptr_array_insert (judged->names, 0, NULL);
  g_hash_table_remove_all (coders);
  for (guint a = 1; a < judged->names->len; a++)
    g_hash_table_insert (coders, g_ptr_array_index (judged->names, a), GUINT_TO_POINTER (a));

  /* The week strings move to the sorted array, which frees them. */
  judged->weeks = g_ptr_array_copy (unsorted_weeks, NULL, NULL);
  g_ptr_array_set_free_func (judged->weeks, g_free);
  g_ptr_array_set_free_func (unsorted_weeks, NULL);
  g_ptr_array_sort (judged->weeks, _rounds_insights_compare_names);
  renumber = g_new (guint, MAX (unsorted_weeks->len, 1));
  for (guint w = 0; w < judged->weeks->len; w++)
    renumber[GPOINTER_TO_UINT (g_hash_table_lookup (week_index,
                                                    g_ptr_array_index (judged->weeks, w)))] = w;

  for (guint r = 0; r < judged->rows->len; r++)
    {
      Row *row = &g_array_index (judged->rows, Row, r);

      row->coder = GPOINTER_TO_UINT (g_hash_table_lookup (coders, row->judgement->annotator));
      if (row->week != G_MAXUINT)
        row->week = renumber[row->week];
    }
  g_hash_table_remove_all (week_index);
  g_ptr_array_unref (unsorted_weeks);
}

static void
judged_clear (Judged *judged)
{
  g_clear_pointer (&judged->names, g_ptr_array_unref);
  g_clear_pointer (&judged->weeks, g_ptr_array_unref);
  g_clear_pointer (&judged->rows, g_array_unref);
}

static void
compute_position_bias (RoundsInsights *self,
                       Judged         *judged)
{
  guint n = judged->names->len;
  g_autofree guint *decisive = g_new0 (guint, n);
  g_autofree guint *first = g_new0 (guint, n);

  for (guint r = 0; r < judged->rows->len; r++)
    {
      const Row *row = &g_array_index (judged->rows, Row, r);
      gboolean preferred;

      if (!first_preferred (row->judgement, &preferred))
        continue;
      decisive[0]++;
      decisive[row->coder]++;
      first[0] += preferred;
      first[row->coder] += preferred;
    }
  for (guint a = 0; a < n; a++)
    {
      RoundsPositionBias *bias = g_new0 (RoundsPositionBias, 1);

      bias->annotator = g_strdup (g_ptr_array_index (judged->names, a));
      bias->decisive = decisive[a];
      bias->first_preferred = first[a];
      bias->share = decisive[a] > 0 ? (double) first[a] / decisive[a] : NAN;
      bias->p_value = _rounds_binomial_test (first[a], decisive[a]);
      g_ptr_array_add (self->position, bias);
    }
}

/* Time on task ---------------------------------------------------------------------------- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
compute_time (RoundsInsights    *self,
              RoundsInsightData *data,
              Judged            *judged)
{
  guint n = judged->names->len;

  for (guint a = 0; a < n; a++)
    {
      RoundsTimeOnTask *time = g_new0 (RoundsTimeOnTask, 1);

      time->annotator = g_strdup (g_ptr_array_index (judged->names, a));
      time->seconds = g_array_new (FALSE, FALSE, sizeof (double));
      time->fast = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->time, time);
    }

  for (guint r = 0; r < judged->rows->len; r++)
    {
      const Row *row = &g_array_index (judged->rows, Row, r);
      RoundsInsightItem *item = row->item;
      RoundsJudgement *judgement = row->judgement;
      double threshold = data->reading_seconds[item->dataset] * item->n_chars / 1000.0;
      RoundsTimeOnTask *everyone = g_ptr_array_index (self->time, 0);
      RoundsTimeOnTask *own = g_ptr_array_index (self->time, row->coder);
      double seconds = judgement->time_spent_ms / 1000.0;

      if (judgement->time_spent_ms <= 0)
        continue;
      g_array_append_val (everyone->seconds, seconds);
      g_array_append_val (own->seconds, seconds);
      if (seconds < threshold)
        {
          const char *dataset = rounds_dataset_get_name (g_ptr_array_index (data->datasets,
                                                                            item->dataset));
          char *doc_id = _rounds_doc_id ("judgement", judgement->annotator, dataset, item->key,
                                         judgement->edit_id, NULL);

          g_ptr_array_add (everyone->fast, doc_id);
          g_ptr_array_add (own->fast, g_strdup (doc_id));
        }
    }

  for (guint a = 0; a < n; a++)
    {
      RoundsTimeOnTask *time = g_ptr_array_index (self->time, a);
      double *seconds = (double *) time->seconds->data;

      g_array_sort (time->seconds, compare_doubles);
      time->n = time->seconds->len;
      time->n_fast = time->fast->len;
      /* rounds_percentile sorts again: already sorted, that is one cheap pass */
      time->median_s = rounds_percentile (seconds, time->n, 0.5);
      time->p10_s = rounds_percentile (seconds, time->n, 0.1);
      time->p90_s = rounds_percentile (seconds, time->n, 0.9);
      g_ptr_array_sort (time->fast, _rounds_insights_compare_names);
    }
}

/* Agreement ------------------------------------------------------------------------------- */

/* Which judgements an alpha takes. */
typedef struct
{
  guint       without;      /* an annotator index to leave out; 0 for none */
  guint       week;         /* only judgements of this week, or G_MAXUINT */
  const char *criterion;    /* the scores of this criterion (interval) instead of the
                             * preference (ordinal) */
} AlphaFilter;

/* @reliability: filled here, after a clear; one for every alpha, so that its memory (a
 * million values) is not asked for and handed back 45 times */
static gboolean
filtered_alpha (Judged             *judged,
                RoundsReliability  *reliability,
                const AlphaFilter  *filter,
                double             *alpha,
                guint              *n,
                GError            **error)
{
  RoundsAlphaResult result;

  rounds_reliability_clear (reliability);
  *n = 0;
  for (guint r = 0; r < judged->rows->len; r++)
    {
      const Row *row = &g_array_index (judged->rows, Row, r);
      RoundsJudgement *judgement = row->judgement;
      RoundsInsightItem *item = row->item;
      gboolean counted = FALSE;

      if (row->coder == filter->without ||
          (filter->week != G_MAXUINT && row->week != filter->week))
        continue;
      if (filter->criterion == NULL)
        {
          if (item->n_responses != 2 || !judgement->has_preference)
            continue;
          rounds_reliability_add (reliability, item->item_id, row->coder, judgement->preference);
          counted = TRUE;
        }
      else
        for (guint c = 0; c < judgement->n_criteria; c++)
          if (g_strcmp0 (judgement->criteria[c], filter->criterion) == 0)
            for (guint s = 0; s < item->n_responses; s++)
              {
                int score = judgement->scores[s * judgement->n_criteria + c];

                if (score < 0)
                  continue;
                rounds_reliability_add (reliability, UNIT (item->item_id, s), row->coder, score);
                counted = TRUE;
              }
      *n += counted;
    }
  if (!rounds_alpha_compute (reliability,
                             filter->criterion == NULL ? ROUNDS_METRIC_ORDINAL :
                                                         ROUNDS_METRIC_INTERVAL,
                             &result, error))
    return FALSE;
  *alpha = result.alpha;
  return TRUE;
}

static gboolean
add_period_alpha (GPtrArray          *periods,
                  Judged             *judged,
                  RoundsReliability  *reliability,
                  const AlphaFilter  *filter,
                  const char         *period,
                  GError            **error)
{
  RoundsPeriodAgreement *entry = g_new0 (RoundsPeriodAgreement, 1);

  entry->period = g_strdup (period);
  g_ptr_array_add (periods, entry);
  return filtered_alpha (judged, reliability, filter, &entry->alpha, &entry->n, error);
}

static gboolean
compute_agreement (RoundsInsights     *self,
                   Judged             *judged,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(GPtrArray) criteria = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RoundsReliability) reliability = rounds_reliability_new ();
  AlphaFilter everyone = { 0, G_MAXUINT, NULL };
  guint n;

  if (!filtered_alpha (judged, reliability, &everyone, &self->alpha, &n, error))
    return FALSE;

  for (guint a = 1; a < judged->names->len; a++)
    {
      RoundsAnnotatorAgreement *entry = g_new0 (RoundsAnnotatorAgreement, 1);
      AlphaFilter without = { a, G_MAXUINT, NULL };
      guint n_without;

      entry->annotator = g_strdup (g_ptr_array_index (judged->names, a));
      entry->alpha_with = self->alpha;
      g_ptr_array_add (self->agreement, entry);
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !filtered_alpha (judged, reliability, &without, &entry->alpha_without, &n_without,
                           error))
        return FALSE;
      entry->n = n - n_without;
    }

  /* Criteria somebody scored: a rubric nobody used is no finding. */
  for (guint r = 0; r < judged->rows->len; r++)
    {
      const Row *row = &g_array_index (judged->rows, Row, r);
      RoundsJudgement *judgement = row->judgement;

      for (guint c = 0; c < judgement->n_criteria; c++)
        for (guint s = 0; s < row->item->n_responses; s++)
          if (judgement->scores[s * judgement->n_criteria + c] >= 0 &&
              g_hash_table_add (seen, judgement->criteria[c]))
            g_ptr_array_add (criteria, judgement->criteria[c]);
    }
  g_ptr_array_sort (criteria, _rounds_insights_compare_names);

  for (guint c = 0; c < criteria->len; c++)
    {
      AlphaFilter filter = { 0, G_MAXUINT, g_ptr_array_index (criteria, c) };

      if (!add_period_alpha (self->criterion_alpha, judged, reliability, &filter,
                             filter.criterion, error))
        return FALSE;
    }
  for (guint w = 0; w < judged->weeks->len; w++)
    {
      AlphaFilter filter = { 0, w, NULL };

      if (!add_period_alpha (self->weekly, judged, reliability, &filter,
                             g_ptr_array_index (judged->weeks, w), error))
        return FALSE;
    }
  return TRUE;
}

/* The figures about the annotators rather than the models ---------------------------------- */

/* Position bias, time on task and agreement: what says how far to trust the labels. */
gboolean
_rounds_insights_check_labels (RoundsInsights     *self,
                               RoundsInsightData  *data,
                               GCancellable       *cancellable,
                               GError            **error)
{
  Judged judged;
  gboolean ok;

  judged_init (&judged, data);
  self->n_annotators = judged.names->len - 1;
  compute_position_bias (self, &judged);
  compute_time (self, data, &judged);
  ok = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       compute_agreement (self, &judged, cancellable, error);
  judged_clear (&judged);
  return ok;
}
