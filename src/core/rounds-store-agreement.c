/* rounds-store-agreement.c: how far a dataset's annotators agree, from the store's judgements
 *
 * The statistics themselves (Krippendorff's alpha, Cohen's kappa) are in rounds-agreement.c;
 * this file gathers the units they rest on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include "rounds-review.h"
#include "rounds-store-private.h"

/* Unit keys for alpha: an item and a response (or a pair of responses) within it. At most
 * 8 responses, so 28 pairs: 64 slots an item are plenty. */
#define UNIT(item_id, sub) ((item_id) * 64 + (sub))

static void
criterion_agreement_clear (gpointer data)
{
  RoundsCriterionAgreement *c = data;

  g_free (c->id);
  g_free (c->name);
}

static void
pair_agreement_clear (gpointer data)
{
  RoundsPairAgreement *p = data;

  g_free (p->annotator_a);
  g_free (p->annotator_b);
}

/* Two annotators' preferences on one item both judged. Pairs of annotators are keyed by
 * their coder indices, (a << 32) | b. */
typedef struct
{
  double a;
  double b;
} PairValues;

static gboolean
measure (RoundsReliability       *data,
         RoundsMetric             metric,
         guint                    n_items,
         RoundsAgreementMeasure  *out,
         GError                 **error)
{
  out->n_items = n_items;
  return rounds_alpha_compute (data, metric, &out->alpha, error);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const RoundsPairAgreement *x = a;
  const RoundsPairAgreement *y = b;
  int cmp = g_strcmp0 (x->annotator_a, y->annotator_a);

  return cmp != 0 ? cmp : g_strcmp0 (x->annotator_b, y->annotator_b);
}

static inline int
sign (int value)
{
  return (value > 0) - (value < 0);
}

/**
 * rounds_store_compute_agreement:
 * @out: (out) (transfer full): the report
 *
 * Krippendorff's alpha for @dataset_id over the current submitted judgements: on the
 * preference scale (ordinal; nominal and interval too, for comparison with other studies),
 * on its direction (nominal), on rankings (ordinal), per
 * rubric criterion (interval, a unit per response of an item), and per pair of annotators
 * (ordinal alpha and Cohen's linear and quadratic kappa on their common two-response
 * items). Each measure says how many items it rests on.
 */
gboolean
rounds_store_compute_agreement (RoundsStore             *self,
                                gint64                   dataset_id,
                                RoundsAgreementReport  **out,
                                GError                 **error)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)) ||
      !(items = rounds_store_list_current_judgements (self, dataset_id, error)))
    return FALSE;
  return _rounds_agreement_from_items (dataset, items, out, error);
}

/**
 * _rounds_agreement_from_items:
 * @items: (element-type RoundsItemJudgements): every item of @dataset with its current
 *   judgements, as rounds_store_list_current_judgements() reads them
 *
 * rounds_store_compute_agreement() on judgements already read.
 */
gboolean
_rounds_agreement_from_items (RoundsDataset           *dataset,
                              GPtrArray               *items,
                              RoundsAgreementReport  **out,
                              GError                 **error)
{
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(GHashTable) coders = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) pairs = NULL;
  g_autoptr(RoundsReliability) preference = rounds_reliability_new ();
  g_autoptr(RoundsReliability) direction = rounds_reliability_new ();
  g_autoptr(RoundsReliability) ranking = rounds_reliability_new ();
  g_autoptr(GPtrArray) criteria = NULL;
  g_autofree guint *criterion_items = NULL;
  guint n_preference_items = 0, n_direction_items = 0, n_ranking_items = 0;
  RoundsRubric *rubric;
  guint n_criteria;
  GHashTableIter iter;
  gpointer pair_key, value;

  pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                 (GDestroyNotify) g_array_unref);
  criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_reliability_free);
  rubric = rounds_dataset_get_rubric (dataset);
  n_criteria = rounds_rubric_get_n_criteria (rubric);
  for (guint c = 0; c < n_criteria; c++)
    g_ptr_array_add (criteria, rounds_reliability_new ());
  criterion_items = g_new0 (guint, MAX (n_criteria, 1));

  report = g_new0 (RoundsAgreementReport, 1);
  report->dataset_id = rounds_dataset_get_id (dataset);

  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);
      guint n = item->judgements->len;
      g_autofree guint *coder_of = g_new (guint, MAX (n, 1));
      guint n_pairs_placed = 0, n_preferences = 0;

      if (n == 0)
        continue;
      report->n_items++;
      report->n_judgements += n;

      for (guint j = 0; j < n; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
          gpointer index;

          if (!g_hash_table_lookup_extended (coders, judgement->annotator, NULL, &index))
            {
              index = GUINT_TO_POINTER (names->len);
              g_ptr_array_add (names, judgement->annotator);
              g_hash_table_insert (coders, judgement->annotator, index);
            }
          coder_of[j] = GPOINTER_TO_UINT (index);
        }

      for (guint j = 0; j < n; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
          gint64 coder = coder_of[j];

          if (item->n_responses == 2)
            {
              if (!judgement->has_preference)
                continue;
              n_preferences++;
              rounds_reliability_add (preference, item->item_id, coder, judgement->preference);
              rounds_reliability_add (direction, UNIT (item->item_id, 0), coder,
                                      sign (judgement->preference));
            }
          else
            {
              guint p = 0;
              gboolean placed = FALSE;

              for (guint r = 0; r < item->n_responses; r++)
                if (judgement->ranks[r] > 0)
                  rounds_reliability_add (ranking, UNIT (item->item_id, r), coder,
                                          judgement->ranks[r]);
              for (guint r = 0; r < item->n_responses; r++)
                for (guint s = r + 1; s < item->n_responses; s++, p++)
                  if (judgement->ranks[r] > 0 && judgement->ranks[s] > 0)
                    {
                      rounds_reliability_add (direction, UNIT (item->item_id, p), coder,
                                              sign (judgement->ranks[r] - judgement->ranks[s]));
                      placed = TRUE;
                    }
              n_pairs_placed += placed ? 1 : 0;
            }
        }
      if (n_preferences >= 2)
        {
          n_preference_items++;
          n_direction_items++;
        }
      if (n_pairs_placed >= 2)
        {
          n_ranking_items++;
          n_direction_items++;
        }

      /* Rubric: judgements of one dataset share its rubric, in its order. */
      for (guint c = 0; c < n_criteria; c++)
        {
          gboolean pairable = FALSE;

          for (guint r = 0; r < item->n_responses; r++)
            {
              guint scored = 0;

              for (guint j = 0; j < n; j++)
                {
                  RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
                  int score;

                  if (c >= judgement->n_criteria)
                    continue;
                  score = judgement->scores[r * judgement->n_criteria + c];
                  if (score < 0)
                    continue;
                  rounds_reliability_add (g_ptr_array_index (criteria, c),
                                          UNIT (item->item_id, r), coder_of[j], score);
                  scored++;
                }
              pairable = pairable || scored >= 2;
            }
          criterion_items[c] += pairable ? 1 : 0;
        }

      /* Annotator pairs, on two-response items both gave a preference for. */
      if (item->n_responses == 2)
        for (guint j = 0; j < n; j++)
          for (guint l = 0; l < n; l++)
            {
              RoundsJudgement *x = g_ptr_array_index (item->judgements, j);
              RoundsJudgement *y = g_ptr_array_index (item->judgements, l);
              PairValues values = { x->preference, y->preference };
              gint64 key;
              GArray *pair;

              if (j == l || !x->has_preference || !y->has_preference ||
                  g_strcmp0 (x->annotator, y->annotator) >= 0)
                continue;
              key = ((gint64) coder_of[j] << 32) | coder_of[l];
              if (!(pair = g_hash_table_lookup (pairs, &key)))
                {
                  pair = g_array_new (FALSE, FALSE, sizeof (PairValues));
                  g_hash_table_insert (pairs, g_memdup2 (&key, sizeof key), pair);
                }
              g_array_append_val (pair, values);
            }
    }
  report->n_annotators = names->len;

  if (!measure (preference, ROUNDS_METRIC_ORDINAL, n_preference_items, &report->preference,
                error) ||
      !measure (preference, ROUNDS_METRIC_NOMINAL, n_preference_items,
                &report->preference_nominal, error) ||
      !measure (preference, ROUNDS_METRIC_INTERVAL, n_preference_items,
                &report->preference_interval, error) ||
      !measure (direction, ROUNDS_METRIC_NOMINAL, n_direction_items, &report->direction, error) ||
      !measure (ranking, ROUNDS_METRIC_ORDINAL, n_ranking_items, &report->ranking, error))
    return FALSE;

  report->criteria = g_array_sized_new (FALSE, TRUE, sizeof (RoundsCriterionAgreement), n_criteria);
  g_array_set_clear_func (report->criteria, criterion_agreement_clear);
  for (guint c = 0; c < n_criteria; c++)
    {
      const RoundsCriterion *criterion = rounds_rubric_get_criterion (rubric, c);
      RoundsCriterionAgreement entry = { 0 };

      entry.id = g_strdup (criterion->id);
      entry.name = g_strdup (criterion->name);
      g_array_append_val (report->criteria, entry);
      if (!measure (g_ptr_array_index (criteria, c), ROUNDS_METRIC_INTERVAL, criterion_items[c],
                    &g_array_index (report->criteria, RoundsCriterionAgreement, c).measure, error))
        return FALSE;
    }

  report->pairs = g_array_new (FALSE, TRUE, sizeof (RoundsPairAgreement));
  g_array_set_clear_func (report->pairs, pair_agreement_clear);
  g_hash_table_iter_init (&iter, pairs);
  while (g_hash_table_iter_next (&iter, &pair_key, &value))
    {
      gint64 pair_coders = *(gint64 *) pair_key;
      GArray *pair = value;
      g_autoptr(RoundsReliability) data = rounds_reliability_new ();
      g_autofree double *a = g_new (double, MAX (pair->len, 1));
      g_autofree double *b = g_new (double, MAX (pair->len, 1));
      RoundsPairAgreement entry = { 0 };
      RoundsPairAgreement *last;

      for (guint u = 0; u < pair->len; u++)
        {
          a[u] = g_array_index (pair, PairValues, u).a;
          b[u] = g_array_index (pair, PairValues, u).b;
          rounds_reliability_add (data, u, 0, a[u]);
          rounds_reliability_add (data, u, 1, b[u]);
        }
      entry.annotator_a = g_strdup (g_ptr_array_index (names, pair_coders >> 32));
      entry.annotator_b = g_strdup (g_ptr_array_index (names, pair_coders & G_MAXUINT32));
      entry.n_items = pair->len;
      entry.kappa_linear = rounds_kappa_compute (a, b, entry.n_items, ROUNDS_KAPPA_LINEAR, NULL);
      entry.kappa_quadratic = rounds_kappa_compute (a, b, entry.n_items, ROUNDS_KAPPA_QUADRATIC,
                                                    NULL);
      g_array_append_val (report->pairs, entry);
      last = &g_array_index (report->pairs, RoundsPairAgreement, report->pairs->len - 1);
      if (!rounds_alpha_compute (data, ROUNDS_METRIC_ORDINAL, &last->alpha, error))
        return FALSE;
    }
  g_array_sort (report->pairs, compare_pairs);

  if (!_rounds_store_guardian_agreement (items, rubric, &report->guardians, error))
    return FALSE;

  *out = g_steal_pointer (&report);
  return TRUE;
}

