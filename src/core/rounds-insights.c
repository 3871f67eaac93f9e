/* rounds-insights.c: what a round of judgements says about the models and about the labels
 *
 * The leaderboard rests on outcomes (see rounds-insights.h and the README):
 * - a two-response preference is one comparison of the two responses' models: a win, a tie
 *   (half) or a loss for the first; with `graded`, the outcome for the first response is
 *   (k − p) / 2k for a preference p on a scale of −k…k, so on the 5-point scale −2, −1, 0,
 *   1, 2 give 1, 0.75, 0.5, 0.25, 0;
 * - a ranking of N responses gives a comparison for every pair of ranked responses (equal
 *   ranks: a tie);
 * - a judgement that calls every response unacceptable is no comparison: it adds to each
 *   of the item's models' `unacceptable` count;
 * - where a reviewer gave a verdict, it stands for every judgement of the item (so the item
 *   keeps its weight: as many comparisons as judgements, at least one), for the leaderboard
 *   and the criteria (when the verdict corrects the rubric). Position bias, time on task
 *   and agreement describe the annotators, so they use the judgements themselves.
 * Responses without a model, and two responses of the same model, compare nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rounds-agreement.h"
#include "rounds-bradley-terry.h"
#include "rounds-count.h"
#include "rounds-error.h"
#include "rounds-insights-private.h"
#include "rounds-util-private.h"

/* For g_ptr_array_sort() of strings (NULL first). */
int
_rounds_insights_compare_names (gconstpointer a,
                                gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * rounds_insights_options_init:
 *
 * The defaults: 1 000 bootstrap rounds, seed 1, win/tie/loss outcomes, a ridge of
 * ROUNDS_BRADLEY_TERRY_RIDGE (0.01) and 95% intervals.
 */
void
rounds_insights_options_init (RoundsInsightsOptions *options)
{
  g_return_if_fail (options != NULL);

  options->bootstrap = 1000;
  options->seed = 1;
  options->graded = FALSE;
  options->ridge = ROUNDS_BRADLEY_TERRY_RIDGE;
  options->confidence = 0.95;
}

/* Freeing --------------------------------------------------------------------------------- */

static void
model_rating_free (gpointer data)
{
  RoundsModelRating *rating = data;

  g_free (rating->model);
  g_free (rating);
}

static void
criterion_score_free (gpointer data)
{
  RoundsCriterionScore *score = data;

  g_free (score->criterion);
  g_free (score->label);
  g_free (score->model);
  g_free (score);
}

static void
group_rating_free (gpointer data)
{
  RoundsGroupRating *group = data;

  g_free (group->group);
  g_free (group->value);
  g_clear_pointer (&group->ratings, g_ptr_array_unref);
  g_free (group);
}

static void
position_bias_free (gpointer data)
{
  RoundsPositionBias *bias = data;

  g_free (bias->annotator);
  g_free (bias);
}

static void
time_on_task_free (gpointer data)
{
  RoundsTimeOnTask *time = data;

  g_free (time->annotator);
  g_clear_pointer (&time->seconds, g_array_unref);
  g_clear_pointer (&time->fast, g_ptr_array_unref);
  g_free (time);
}

static void
annotator_agreement_free (gpointer data)
{
  RoundsAnnotatorAgreement *agreement = data;

  g_free (agreement->annotator);
  g_free (agreement);
}

static void
period_agreement_free (gpointer data)
{
  RoundsPeriodAgreement *period = data;

  g_free (period->period);
  g_free (period);
}

char *
rounds_insights_describe_counts (const RoundsInsights *self)
{
  g_autofree char *items = NULL, *judgements = NULL, *annotators = NULL, *verdicts = NULL;
  g_autofree char *unacceptable = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  items = rounds_format_counted (self->n_items, "%s item", "%s items");
  judgements = rounds_format_counted (self->n_judgements, "%s judgement", "%s judgements");
  annotators = rounds_format_counted (self->n_annotators, "%s annotator", "%s annotators");
  verdicts = rounds_format_counted (self->n_verdicts, "%s verdict", "%s verdicts");
  unacceptable = rounds_format_count (self->n_unacceptable);
  /* TRANSLATORS: what the insights counted: items, judgements, annotators and verdicts,
   * each counted ("12 items"), then how many judgements called every response
   * unacceptable */
  return g_strdup_printf (_("%s, %s by %s, %s; %s called every response unacceptable"),
                          items, judgements, annotators, verdicts, unacceptable);
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

/* An empty report of @data's datasets: every array there, nothing counted. */
RoundsInsights *
_rounds_insights_new (RoundsInsightData           *data,
                      const RoundsInsightsOptions *options)
{
  RoundsInsights *self = g_new0 (RoundsInsights, 1);

  self->options = *options;
  self->datasets = g_ptr_array_new_with_free_func (g_free);
  for (guint d = 0; d < data->datasets->len; d++)
    g_ptr_array_add (self->datasets,
                     g_strdup (rounds_dataset_get_name (g_ptr_array_index (data->datasets, d))));
  self->rubric_version = data->rubric_version;
  self->ratings = g_ptr_array_new_with_free_func (model_rating_free);
  self->criteria = g_ptr_array_new_with_free_func (criterion_score_free);
  self->groups = g_ptr_array_new_with_free_func (group_rating_free);
  self->position = g_ptr_array_new_with_free_func (position_bias_free);
  self->time = g_ptr_array_new_with_free_func (time_on_task_free);
  self->agreement = g_ptr_array_new_with_free_func (annotator_agreement_free);
  self->criterion_alpha = g_ptr_array_new_with_free_func (period_agreement_free);
  self->weekly = g_ptr_array_new_with_free_func (period_agreement_free);
  self->alpha = NAN;
  return self;
}

/* Votes: a judgement or a verdict, as the leaderboard reads it ---------------------------- */

typedef struct
{
  gboolean    has_preference;
  int         preference;
  const int  *ranks;
  gboolean    unacceptable;
  double      weight;
} Vote;

/* Calls @func for every vote of @item: its verdict (weighted by the judgements it stands
 * for) or each of its judgements. */
typedef void (*VoteFunc) (RoundsInsightItem *item,
                          const Vote        *vote,
                          gpointer           user_data);

static void
foreach_vote (RoundsInsightItem *item,
              VoteFunc           func,
              gpointer           user_data)
{
  if (item->verdict != NULL)
    {
      Vote vote = { item->verdict->has_preference, item->verdict->preference,
                    item->verdict->ranks, item->verdict->unacceptable,
                    MAX (item->judgements->len, 1) };

      func (item, &vote, user_data);
      return;
    }
  for (guint j = 0; j < item->judgements->len; j++)
    {
      RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
      Vote vote = { judgement->has_preference, judgement->preference, judgement->ranks,
                    judgement->unacceptable, 1.0 };

      func (item, &vote, user_data);
    }
}

/* The outcome for response @r against @s, 0…1, or a negative number when the vote does
 * not compare them. @sign gets the plain direction: 1 r better, 0 a tie, −1 s better. */
static double
vote_outcome (const RoundsInsightItem *item,
              const Vote              *vote,
              guint                    r,
              guint                    s,
              gboolean                 graded,
              int                     *sign)
{
  if (item->n_responses == 2)
    {
      int p = r == 0 ? vote->preference : -vote->preference;
      int k = MAX (item->scale_k, 1);

      if (!vote->has_preference)
        return -1;
      *sign = p < 0 ? 1 : p > 0 ? -1 : 0;
      if (graded)
        return CLAMP ((double) (k - p) / (2 * k), 0.0, 1.0);
      return (*sign + 1) / 2.0;
    }
  if (vote->ranks == NULL || vote->ranks[r] <= 0 || vote->ranks[s] <= 0)
    return -1;
  *sign = vote->ranks[r] < vote->ranks[s] ? 1 : vote->ranks[r] > vote->ranks[s] ? -1 : 0;
  return (*sign + 1) / 2.0;
}

/* The leaderboard ------------------------------------------------------------------------- */

typedef struct
{
  char               *group;
  char               *value;
  RoundsBradleyTerry *fit;
  guint              *won, *tied, *lost, *unacceptable;
} GroupFit;

typedef struct
{
  RoundsInsights     *self;
  guint               n_models;
  RoundsBradleyTerry *all;
  GHashTable         *groups;           /* "specialty\x1fvalue" → GroupFit */
  double             *wins;             /* n × n: wins plus half ties of row over column */
  double             *count;
  guint              *won, *tied, *lost, *unacceptable;
  RoundsInsightItem  *item;             /* the item whose groups are in @item_groups */
  GroupFit           *item_groups[2];
} Board;

static void
group_fit_free (gpointer data)
{
  GroupFit *fit = data;

  g_free (fit->group);
  g_free (fit->value);
  rounds_bradley_terry_free (fit->fit);
  g_free (fit->won);
  g_free (fit->tied);
  g_free (fit->lost);
  g_free (fit->unacceptable);
  g_free (fit);
}

static GroupFit *
board_group (Board      *board,
             const char *group,
             const char *value)
{
  g_autofree char *key = NULL;
  GroupFit *fit;

  if (value == NULL || *value == '\0')
    return NULL;
  key = g_strconcat (group, "\x1f", value, NULL);
  if ((fit = g_hash_table_lookup (board->groups, key)) == NULL)
    {
      fit = g_new0 (GroupFit, 1);
      fit->group = g_strdup (group);
      fit->value = g_strdup (value);
      fit->fit = rounds_bradley_terry_new (board->n_models);
      fit->won = g_new0 (guint, MAX (board->n_models, 1));
      fit->tied = g_new0 (guint, MAX (board->n_models, 1));
      fit->lost = g_new0 (guint, MAX (board->n_models, 1));
      fit->unacceptable = g_new0 (guint, MAX (board->n_models, 1));
      g_hash_table_insert (board->groups, g_steal_pointer (&key), fit);
    }
  return fit;
}

static void
count_outcome (guint  *won,
               guint  *tied,
               guint  *lost,
               guint   i,
               guint   j,
               int     sign,
               guint   weight)
{
  if (sign > 0)
    {
      won[i] += weight;
      lost[j] += weight;
    }
  else if (sign < 0)
    {
      lost[i] += weight;
      won[j] += weight;
    }
  else
    {
      tied[i] += weight;
      tied[j] += weight;
    }
}

static void
board_add_vote (RoundsInsightItem *item,
                const Vote        *vote,
                gpointer           user_data)
{
  Board *board = user_data;
  guint weight = (guint) vote->weight;
  GroupFit **groups = board->item_groups;

  /* An item's votes come together: its groups are looked up once. */
  if (board->item != item)
    {
      board->item = item;
      groups[0] = board_group (board, "specialty", item->specialty);
      groups[1] = board_group (board, "language", item->language);
    }

  if (vote->unacceptable)
    {
      board->self->n_unacceptable += weight;
      for (guint r = 0; r < item->n_responses; r++)
        if (item->models[r] >= 0)
          {
            board->unacceptable[item->models[r]] += weight;
            for (guint g = 0; g < 2; g++)
              if (groups[g] != NULL)
                groups[g]->unacceptable[item->models[r]] += weight;
          }
      return;
    }

  for (guint r = 0; r < item->n_responses; r++)
    for (guint s = r + 1; s < item->n_responses; s++)
      {
        int i = item->models[r], j = item->models[s], sign = 0;
        double outcome = vote_outcome (item, vote, r, s, board->self->options.graded, &sign);

        if (i < 0 || j < 0 || i == j || outcome < 0)
          continue;
        rounds_bradley_terry_add (board->all, item->item_id, i, j, outcome, vote->weight);
        count_outcome (board->won, board->tied, board->lost, i, j, sign, weight);
        board->wins[i * board->n_models + j] += weight * (sign + 1) / 2.0;
        board->wins[j * board->n_models + i] += weight * (1 - sign) / 2.0;
        board->count[i * board->n_models + j] += weight;
        board->count[j * board->n_models + i] += weight;
        for (guint g = 0; g < 2; g++)
          if (groups[g] != NULL)
            {
              /* No bootstrap within a group: one cluster, aggregated at once. */
              rounds_bradley_terry_add (groups[g]->fit, 0, i, j, outcome, vote->weight);
              count_outcome (groups[g]->won, groups[g]->tied, groups[g]->lost, i, j, sign,
                             weight);
            }
      }
}

static int
compare_ratings (gconstpointer a,
                 gconstpointer b)
{
  const RoundsModelRating *x = *(RoundsModelRating * const *) a;
  const RoundsModelRating *y = *(RoundsModelRating * const *) b;

  /* NaN (a group whose fit failed) last, then by rating, then by name */
  if (isnan (x->rating) != isnan (y->rating))
    return isnan (x->rating) ? 1 : -1;
  if (x->rating != y->rating)
    return x->rating > y->rating ? -1 : 1;
  return g_strcmp0 (x->model, y->model);
}

/* Rank: 1 + the models that are better beyond doubt (their interval lies wholly above this
 * one's); without intervals, 1 + the models rated higher. */
static void
assign_ranks (GPtrArray *ratings)
{
  for (guint a = 0; a < ratings->len; a++)
    {
      RoundsModelRating *x = g_ptr_array_index (ratings, a);

      x->rank = 1;
      for (guint b = 0; b < ratings->len; b++)
        {
          RoundsModelRating *y = g_ptr_array_index (ratings, b);

          if (isnan (x->upper) || isnan (y->lower))
            x->rank += y->rating > x->rating;
          else
            x->rank += y->lower > x->upper;
        }
    }
}

static GPtrArray *
make_ratings (GPtrArray    *models,
              const double *beta,
              const double *lower,
              const double *upper,
              const guint  *won,
              const guint  *tied,
              const guint  *lost,
              const guint  *unacceptable,
              gboolean      only_compared)
{
  GPtrArray *ratings = g_ptr_array_new_with_free_func (model_rating_free);

  for (guint k = 0; k < models->len; k++)
    {
      RoundsModelRating *rating;

      if (only_compared && won[k] + tied[k] + lost[k] + unacceptable[k] == 0)
        continue;
      rating = g_new0 (RoundsModelRating, 1);
      rating->model = g_strdup (g_ptr_array_index (models, k));
      rating->rating = beta != NULL ? rounds_bradley_terry_rating (beta[k]) : NAN;
      rating->lower = lower != NULL ? rounds_bradley_terry_rating (lower[k]) : NAN;
      rating->upper = upper != NULL ? rounds_bradley_terry_rating (upper[k]) : NAN;
      rating->wins = won[k];
      rating->ties = tied[k];
      rating->losses = lost[k];
      rating->unacceptable = unacceptable[k];
      rating->n_comparisons = won[k] + tied[k] + lost[k];
      g_ptr_array_add (ratings, rating);
    }
  g_ptr_array_sort (ratings, compare_ratings);
  assign_ranks (ratings);
  return ratings;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const RoundsGroupRating *x = *(RoundsGroupRating * const *) a;
  const RoundsGroupRating *y = *(RoundsGroupRating * const *) b;
  int cmp = g_strcmp0 (y->group, x->group);   /* specialty before language */

  return cmp != 0 ? cmp : g_strcmp0 (x->value, y->value);
}

/**
 * _rounds_insights_leaderboard:
 *
 * Fills the ratings (with the bootstrap the options ask for), the matrix, the groups and
 * the unacceptable count.
 */
gboolean
_rounds_insights_leaderboard (RoundsInsights     *self,
                              RoundsInsightData  *data,
                              GError            **error)
{
  guint n = data->models->len;
  g_autoptr(RoundsBradleyTerry) all = rounds_bradley_terry_new (n);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        group_fit_free);
  g_autofree double *wins = g_new0 (double, MAX (n * n, 1));
  g_autofree double *count = g_new0 (double, MAX (n * n, 1));
  g_autofree guint *won = g_new0 (guint, MAX (n, 1));
  g_autofree guint *tied = g_new0 (guint, MAX (n, 1));
  g_autofree guint *lost = g_new0 (guint, MAX (n, 1));
  g_autofree guint *unacceptable = g_new0 (guint, MAX (n, 1));
  g_autofree double *beta = g_new0 (double, MAX (n, 1));
  g_autofree double *lower = NULL;
  g_autofree double *upper = NULL;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  Board board = { self, n, all, groups, wins, count, won, tied, lost, unacceptable };
  GHashTableIter iter;
  gpointer value;

  self->n_unacceptable = 0;
  for (guint i = 0; i < data->items->len; i++)
    foreach_vote (g_ptr_array_index (data->items, i), board_add_vote, &board);

  if (!rounds_bradley_terry_fit (all, self->options.ridge, beta, error))
    return FALSE;
  if (self->options.bootstrap > 0)
    {
      lower = g_new (double, MAX (n, 1));
      upper = g_new (double, MAX (n, 1));
      if (!rounds_bradley_terry_bootstrap (all, self->options.ridge, beta,
                                           self->options.bootstrap, self->options.seed,
                                           self->options.confidence, lower, upper, error))
        return FALSE;
    }
  g_clear_pointer (&self->ratings, g_ptr_array_unref);
  self->ratings = make_ratings (data->models, beta, lower, upper, won, tied, lost, unacceptable,
                                FALSE);

  /* The matrix in leaderboard order. */
  for (guint a = 0; a < n; a++)
    {
      RoundsModelRating *rating = g_ptr_array_index (self->ratings, a);

      if (!g_ptr_array_find_with_equal_func (data->models, rating->model, g_str_equal,
                                             &order[a]))
        g_assert_not_reached ();
    }
  g_free (self->matrix);
  g_free (self->matrix_count);
  self->matrix = g_new0 (double, MAX (n * n, 1));
  self->matrix_count = g_new0 (double, MAX (n * n, 1));
  for (guint a = 0; a < n; a++)
    for (guint b = 0; b < n; b++)
      {
        self->matrix[a * n + b] = wins[order[a] * n + order[b]];
        self->matrix_count[a * n + b] = count[order[a] * n + order[b]];
      }

  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GroupFit *fit = value;
      RoundsGroupRating *group = g_new0 (RoundsGroupRating, 1);
      gboolean fitted = rounds_bradley_terry_fit (fit->fit, self->options.ridge, beta, NULL);

      group->group = g_strdup (fit->group);
      group->value = g_strdup (fit->value);
      group->ratings = make_ratings (data->models, fitted ? beta : NULL, NULL, NULL, fit->won,
                                     fit->tied, fit->lost, fit->unacceptable, TRUE);
      g_ptr_array_add (self->groups, group);
    }
  g_ptr_array_sort (self->groups, compare_groups);
  return TRUE;
}

/* Per-criterion scores -------------------------------------------------------------------- */

/* One criterion's scores of one model: per item (the bootstrap's clusters), the sum and the
 * number of scores. */
typedef struct
{
  guint   criterion;
  guint   model;
  GArray *sums;       /* double */
  GArray *counts;     /* double */
  gint64  last_item;
} ScoreSums;

static void
score_sums_free (gpointer data)
{
  ScoreSums *sums = data;

  if (sums == NULL)
    return;
  g_array_unref (sums->sums);
  g_array_unref (sums->counts);
  g_free (sums);
}

typedef struct
{
  GHashTable *index;        /* criterion id → index + 1 */
  GPtrArray  *ids;          /* the criterion ids, by index */
  GPtrArray  *sums;         /* ScoreSums or NULL, [criterion × n_models + model] */
  guint       n_models;
} Scores;

static void
add_score (Scores            *scores,
           RoundsInsightItem *item,
           const char        *criterion,
           guint              response,
           double             score)
{
  int model = item->models[response];
  gpointer found;
  guint c, slot;
  ScoreSums *sums;

  if (model < 0)
    return;
  if (!(found = g_hash_table_lookup (scores->index, criterion)))
    {
      char *id = g_strdup (criterion);

      g_ptr_array_add (scores->ids, id);
      found = GUINT_TO_POINTER (scores->ids->len);
      g_hash_table_insert (scores->index, id, found);
      g_ptr_array_set_size (scores->sums, scores->ids->len * scores->n_models);
    }
  c = GPOINTER_TO_UINT (found) - 1;
  slot = c * scores->n_models + model;
  if ((sums = g_ptr_array_index (scores->sums, slot)) == NULL)
    {
      sums = g_new0 (ScoreSums, 1);
      sums->criterion = c;
      sums->model = model;
      sums->sums = g_array_new (FALSE, FALSE, sizeof (double));
      sums->counts = g_array_new (FALSE, FALSE, sizeof (double));
      sums->last_item = -1;
      scores->sums->pdata[slot] = sums;
    }
  if (sums->last_item != item->item_id)
    {
      double zero = 0.0;

      sums->last_item = item->item_id;
      g_array_append_val (sums->sums, zero);
      g_array_append_val (sums->counts, zero);
    }
  g_array_index (sums->sums, double, sums->sums->len - 1) += score;
  g_array_index (sums->counts, double, sums->counts->len - 1) += 1.0;
}

/* The verdict's corrected rubric, [{criterion: score, …} per response], when it has one. */
static gboolean
add_verdict_scores (Scores            *scores,
                    RoundsInsightItem *item)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *responses;

  if (item->verdict == NULL || item->verdict->scores_json == NULL ||
      !(root = json_from_string (item->verdict->scores_json, NULL)) ||
      !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  responses = json_node_get_array (root);
  for (guint r = 0; r < MIN (item->n_responses, json_array_get_length (responses)); r++)
    {
      JsonNode *node = json_array_get_element (responses, r);
      g_autoptr(GList) members = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      members = json_object_get_members (object);
      for (GList *m = members; m != NULL; m = m->next)
        {
          JsonNode *value = json_object_get_member (object, m->data);

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
            add_score (scores, item, m->data, r, json_node_get_int (value));
        }
    }
  return TRUE;
}

static const char *
criterion_label (RoundsInsightData *data,
                 const char        *id)
{
  for (guint d = 0; d < data->datasets->len; d++)
    {
      RoundsRubric *rubric = rounds_dataset_get_rubric (g_ptr_array_index (data->datasets, d));
      int c = rounds_rubric_find (rubric, id);

      if (c >= 0)
        return rounds_rubric_get_criterion (rubric, c)->name;
    }
  return id;
}

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  const RoundsCriterionScore *x = *(RoundsCriterionScore * const *) a;
  const RoundsCriterionScore *y = *(RoundsCriterionScore * const *) b;
  int cmp = g_strcmp0 (x->criterion, y->criterion);

  if (cmp != 0)
    return cmp;
  if (x->mean != y->mean)
    return x->mean > y->mean ? -1 : 1;
  return g_strcmp0 (x->model, y->model);
}

/* A pool of items whose scores of one criterion and model have the same sum and count. */
typedef struct
{
  double sum;
  double count;
  guint  size;
} ScorePool;

static int
compare_pools (gconstpointer a,
               gconstpointer b)
{
  const ScorePool *x = a;
  const ScorePool *y = b;

  if (x->count != y->count)
    return x->count < y->count ? -1 : 1;
  return x->sum < y->sum ? -1 : x->sum > y->sum;
}

/* The bootstrap interval of one mean: items resampled with Poisson(1) weights, as for the
 * leaderboard. Items with the same sum and count are pooled (a pool of m draws one
 * Poisson(m)), and a rating scale leaves few distinct ones, so a round costs the pools. */
static void
score_interval (const ScoreSums            *sums,
                const RoundsInsightsOptions *options,
                guint64                     seed,
                double                     *means,
                double                     *lower,
                double                     *upper)
{
  g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (ScorePool));
  RoundsRandom random;
  guint used = 0;

  for (guint u = 0; u < sums->sums->len; u++)
    {
      ScorePool pool = { g_array_index (sums->sums, double, u),
                         g_array_index (sums->counts, double, u), 1 };

      g_array_append_val (pools, pool);
    }
  g_array_sort (pools, compare_pools);
  for (guint a = 0, b = 1; b <= pools->len; b++)
    {
      ScorePool *into = &g_array_index (pools, ScorePool, a);

      if (b < pools->len && compare_pools (into, &g_array_index (pools, ScorePool, b)) == 0)
        into->size++;
      else if (b < pools->len)
        g_array_index (pools, ScorePool, ++a) = g_array_index (pools, ScorePool, b);
      else
        g_array_set_size (pools, a + 1);
    }

  rounds_random_init (&random, seed);
  for (guint b = 0; b < options->bootstrap; b++)
    {
      double t = 0.0, m = 0.0;

      for (guint p = 0; p < pools->len; p++)
        {
          const ScorePool *pool = &g_array_index (pools, ScorePool, p);
          guint w = rounds_random_poisson (&random, pool->size);

          t += w * pool->sum;
          m += w * pool->count;
        }
      if (m > 0)
        means[used++] = t / m;
    }
  *lower = rounds_percentile (means, used, (1 - options->confidence) / 2);
  *upper = rounds_percentile (means, used, (1 + options->confidence) / 2);
}

static void
compute_criteria (RoundsInsights    *self,
                  RoundsInsightData *data)
{
  Scores scores = { g_hash_table_new (g_str_hash, g_str_equal),
                    g_ptr_array_new_with_free_func (g_free),
                    g_ptr_array_new_with_free_func (score_sums_free),
                    data->models->len };
  g_autofree double *means = g_new (double, MAX (self->options.bootstrap, 1));

  for (guint i = 0; i < data->items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (data->items, i);

      if (add_verdict_scores (&scores, item))
        continue;
      for (guint j = 0; j < item->judgements->len; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);

          for (guint c = 0; c < judgement->n_criteria; c++)
            for (guint r = 0; r < item->n_responses; r++)
              {
                int score = judgement->scores[r * judgement->n_criteria + c];

                if (score >= 0)
                  add_score (&scores, item, judgement->criteria[c], r, score);
              }
        }
    }

  for (guint slot = 0; slot < scores.sums->len; slot++)
    {
      ScoreSums *sums = g_ptr_array_index (scores.sums, slot);
      RoundsCriterionScore *score;
      double total = 0.0, n = 0.0;

      if (sums == NULL)
        continue;
      for (guint u = 0; u < sums->sums->len; u++)
        {
          total += g_array_index (sums->sums, double, u);
          n += g_array_index (sums->counts, double, u);
        }
      score = g_new0 (RoundsCriterionScore, 1);
      score->criterion = g_strdup (g_ptr_array_index (scores.ids, sums->criterion));
      score->label = g_strdup (criterion_label (data, score->criterion));
      score->model = g_strdup (g_ptr_array_index (data->models, sums->model));
      score->mean = total / n;
      score->n = (guint) n;
      score->lower = score->upper = NAN;

      /* Each criterion and model has a stream of its own, fixed by the seed and its name,
       * so adding a model changes no other's interval. */
      if (self->options.bootstrap > 0)
        {
          g_autofree char *name = g_strdup_printf ("%s\x1f%s", score->criterion, score->model);

          score_interval (sums, &self->options,
                          self->options.seed ^ g_str_hash (name) * 0x9e3779b97f4a7c15ull,
                          means, &score->lower, &score->upper);
        }
      g_ptr_array_add (self->criteria, score);
    }
  g_ptr_array_sort (self->criteria, compare_scores);

  g_hash_table_unref (scores.index);
  g_ptr_array_unref (scores.ids);
  g_ptr_array_unref (scores.sums);
}

/* All of it ------------------------------------------------------------------------------- */

gboolean
_rounds_insights_compute (RoundsInsights     *self,
                          RoundsInsightData  *data,
                          GCancellable       *cancellable,
                          GError            **error)
{
  if (!(self->options.confidence > 0 && self->options.confidence < 1) ||
      !(self->options.ridge >= 0))
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                           _("The confidence must be between 0 and 1, and the ridge 0 or more"));
      return FALSE;
    }

  self->n_items = data->items->len;
  self->n_judgements = 0;
  self->n_verdicts = 0;
  for (guint i = 0; i < data->items->len; i++)
    {
      RoundsInsightItem *item = g_ptr_array_index (data->items, i);

      self->n_judgements += item->judgements->len;
      self->n_verdicts += item->verdict != NULL;
    }

  if (!_rounds_insights_leaderboard (self, data, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  compute_criteria (self, data);

  return _rounds_insights_check_labels (self, data, cancellable, error);
}
