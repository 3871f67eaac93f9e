/* rounds-store-guardian.c: the guardian's judgements beside the annotators': revealed to an
 * annotator after their own, and measured against theirs
 *
 * The guardian is a machine annotator ("guardian:<model>", annotators.kind = 'machine'). Its
 * judgements are stored like anyone's, but nothing that counts annotators counts them
 * (rounds_store_list_current_judgements keeps them apart); this file is where they meet the
 * annotators' on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <math.h>

#include "rounds-json-writer-private.h"
#include "rounds-review.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Reveal ------------------------------------------------------------------------------ */

/* The dataset's setting, as an import or a pull brings it. */
gboolean
_rounds_store_set_reveal_guardian (RoundsStore  *self,
                                   const char   *dataset,
                                   gboolean      reveal,
                                   GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, "UPDATE datasets SET reveal_guardian = ?2"
                                            " WHERE name = ?1", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, dataset);
  sqlite3_bind_int (stmt, 2, reveal ? 1 : 0);
  return _rounds_store_step_done (self, stmt, error);
}

/**
 * rounds_store_reveal_guardian:
 * @annotator: who is to see it
 * @judgements: (out) (transfer full) (element-type RoundsJudgement): the guardian's current
 *   judgements of @item, or %NULL when they stay locked
 *
 * Locked first, then revealed: the guardian's judgements of @item are for @annotator only
 * once @annotator has submitted their own judgement of it, and only where the dataset
 * allows it. Every reveal of at least one judgement is a "guardian.reveal" row of the
 * audit log, in the same transaction as the reading.
 */
gboolean
rounds_store_reveal_guardian (RoundsStore  *self,
                              RoundsItem   *item,
                              const char   *annotator,
                              GPtrArray   **judgements,
                              GError      **error)
{
  static const char sql[] =
    "SELECT " _ROUNDS_ANNOTATION_COLUMNS " FROM annotations a"
    " JOIN annotators an ON an.id = a.annotator_id AND an.kind = 'machine'"
    " WHERE a.item_id = ?1 AND a.is_current = 1 AND a.status = 'submitted'"
    " AND EXISTS (SELECT 1 FROM annotations mine JOIN annotators me ON me.id = mine.annotator_id"
    "  WHERE mine.item_id = ?1 AND me.user_name = ?2 AND me.kind = 'person'"
    "  AND mine.is_current = 1 AND mine.status = 'submitted')"
    " ORDER BY an.user_name";
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) detail = NULL;
  g_autofree char *target = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (annotator != NULL, FALSE);
  g_return_val_if_fail (judgements != NULL, FALSE);

  *judgements = NULL;
  if (!(dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error)))
    return FALSE;
  if (!rounds_dataset_get_reveal_guardian (dataset) || rounds_annotator_is_machine (annotator))
    return TRUE;

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    goto fail;
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (found, _rounds_store_judgement_from_row (stmt,
                                                              rounds_item_get_n_responses (item),
                                                              rounds_dataset_get_rubric (dataset)));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    goto fail;

  if (found->len > 0)
    {
      detail = g_string_new ("{\"guardian\":[");
      for (guint i = 0; i < found->len; i++)
        {
          RoundsJudgement *j = g_ptr_array_index (found, i);

          if (i)
            g_string_append_c (detail, ',');
          _rounds_json_append_string (detail, j->edit_id);
        }
      g_string_append (detail, "]}");
      target = _rounds_store_item_target (item);
      if (!rounds_store_audit (self, annotator, "guardian.reveal", target, detail->str, error))
        goto fail;
    }
  if (!_rounds_store_commit (self, error))
    return FALSE;

  if (found->len > 0)
    *judgements = g_steal_pointer (&found);
  return TRUE;

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

/* Agreement --------------------------------------------------------------------------- */

static void
guardian_agreement_clear (gpointer data)
{
  RoundsGuardianAgreement *g = data;

  g_free (g->name);
  g_clear_pointer (&g->criteria, g_array_unref);
}

static void
criterion_clear (gpointer data)
{
  RoundsCriterionAgreement *c = data;

  g_free (c->id);
  g_free (c->name);
}

static inline int
sign (double value)
{
  return (value > 0) - (value < 0);
}

/* The guardian named @name's judgement of @item, or %NULL. */
static RoundsJudgement *
guardian_of (RoundsItemJudgements *item,
             const char           *name)
{
  for (guint g = 0; item->guardian != NULL && g < item->guardian->len; g++)
    {
      RoundsJudgement *j = g_ptr_array_index (item->guardian, g);

      if (g_strcmp0 (j->annotator, name) == 0)
        return j;
    }
  return NULL;
}

static gboolean
measure_guardian (GPtrArray                *items,
                  RoundsRubric             *rubric,
                  RoundsGuardianAgreement  *out,
                  GError                  **error)
{
  g_autoptr(RoundsReliability) preference = rounds_reliability_new ();
  g_autoptr(RoundsReliability) criterion = rounds_reliability_new ();
  g_autoptr(GHashTable) coders = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  guint n_preference_items = 0, n_distances = 0;
  double distance = 0;

  out->criteria = g_array_sized_new (FALSE, TRUE, sizeof (RoundsCriterionAgreement),
                                     n_criteria);
  g_array_set_clear_func (out->criteria, criterion_clear);

  /* The annotators are coders 1.. by first appearance; the guardian is coder 0. */
  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);
      RoundsJudgement *machine = guardian_of (item, out->name);
      guint n = item->n_responses, n_preferences = 0;

      if (machine == NULL || item->judgements->len == 0)
        continue;
      out->n_items++;

      for (guint j = 0; j < item->judgements->len; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);

          if (!g_hash_table_contains (coders, judgement->annotator))
            g_hash_table_insert (coders, judgement->annotator,
                                 GUINT_TO_POINTER (g_hash_table_size (coders) + 1));
          if (n == 2 && judgement->has_preference)
            {
              rounds_reliability_add (preference, item->item_id,
                                      GPOINTER_TO_UINT (g_hash_table_lookup (coders,
                                                                             judgement->annotator)),
                                      judgement->preference);
              n_preferences++;
            }
        }
      if (n == 2 && machine->has_preference && n_preferences > 0)
        {
          rounds_reliability_add (preference, item->item_id, 0, machine->preference);
          n_preference_items++;
        }

      /* Against the consensus: the sign of the annotators' mean, pair by pair. */
      for (guint r = 0; r < n; r++)
        for (guint s = r + 1; s < n; s++)
          {
            double sum = 0;
            guint count = 0;
            int value;

            for (guint j = 0; j < item->judgements->len; j++)
              if (rounds_judgement_get_pair_value (g_ptr_array_index (item->judgements, j), r, s,
                                                   &value))
                {
                  sum += value;
                  count++;
                }
            if (count == 0 || !rounds_judgement_get_pair_value (machine, r, s, &value))
              continue;
            out->n_compared++;
            out->n_agreed += sign (value) == sign (sum / count) ? 1 : 0;
            if (n == 2)
              {
                distance += fabs (value - sum / count);
                n_distances++;
              }
          }
    }
  out->mean_distance = n_distances > 0 ? distance / n_distances : NAN;
  out->preference.n_items = n_preference_items;
  if (!rounds_alpha_compute (preference, ROUNDS_METRIC_ORDINAL, &out->preference.alpha, error))
    return FALSE;

  for (guint c = 0; c < n_criteria; c++)
    {
      const RoundsCriterion *rc = rounds_rubric_get_criterion (rubric, c);
      RoundsCriterionAgreement entry = { .id = g_strdup (rc->id), .name = g_strdup (rc->name) };
      RoundsCriterionAgreement *last;

      rounds_reliability_clear (criterion);
      for (guint i = 0; i < items->len; i++)
        {
          RoundsItemJudgements *item = g_ptr_array_index (items, i);
          RoundsJudgement *machine = guardian_of (item, out->name);
          gboolean pairable = FALSE;

          if (machine == NULL || item->judgements->len == 0)
            continue;
          for (guint r = 0; r < item->n_responses; r++)
            {
              guint scored = 0;

              for (guint j = 0; j <= item->judgements->len; j++)
                {
                  RoundsJudgement *judgement = j < item->judgements->len
                                               ? g_ptr_array_index (item->judgements, j)
                                               : machine;
                  guint coder = j < item->judgements->len
                                ? GPOINTER_TO_UINT (g_hash_table_lookup (coders,
                                                                         judgement->annotator))
                                : 0;
                  int score;

                  if (c >= judgement->n_criteria ||
                      (score = judgement->scores[r * judgement->n_criteria + c]) < 0)
                    continue;
                  rounds_reliability_add (criterion, item->item_id * 64 + r, coder, score);
                  scored++;
                }
              pairable = pairable || scored >= 2;
            }
          entry.measure.n_items += pairable ? 1 : 0;
        }
      g_array_append_val (out->criteria, entry);
      last = &g_array_index (out->criteria, RoundsCriterionAgreement, c);
      if (!rounds_alpha_compute (criterion, ROUNDS_METRIC_INTERVAL, &last->measure.alpha, error))
        return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * _rounds_store_guardian_agreement:
 * @items: (element-type RoundsItemJudgements): a dataset's items, as
 *   rounds_store_list_current_judgements() gives them
 * @guardians: (out) (transfer full): a GArray of RoundsGuardianAgreement, by name
 *
 * How far each guardian agrees with the annotators: alpha with the guardian as one more
 * rater (on the preference and per criterion), and its direction against the annotators'
 * consensus, over the items it judged.
 */
gboolean
_rounds_store_guardian_agreement (GPtrArray     *items,
                                  RoundsRubric  *rubric,
                                  GArray       **guardians,
                                  GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (RoundsGuardianAgreement));

  g_array_set_clear_func (list, guardian_agreement_clear);
  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);

      for (guint g = 0; item->guardian != NULL && g < item->guardian->len; g++)
        {
          RoundsJudgement *j = g_ptr_array_index (item->guardian, g);

          if (g_hash_table_add (seen, j->annotator))
            g_ptr_array_add (names, j->annotator);
        }
    }
  g_ptr_array_sort (names, compare_names);

  for (guint k = 0; k < names->len; k++)
    {
      RoundsGuardianAgreement entry = { 0 };

      entry.name = g_strdup (g_ptr_array_index (names, k));
      g_array_append_val (list, entry);
      if (!measure_guardian (items, rubric,
                             &g_array_index (list, RoundsGuardianAgreement, k), error))
        return FALSE;
    }
  *guardians = g_steal_pointer (&list);
  return TRUE;
}
