/* rounds-dispute.c: when the judgements of an item disagree enough for an ethics reviewer
 *
 * The rules are a pure function of an item's submitted judgements, its overlap and the
 * dataset's dispute spread, so the review page, rounds-cli and the tests see the same
 * answer; the store only loads the judgements (rounds-store-review.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-dispute"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "rounds-dispute.h"

static const struct
{
  RoundsDisputeRules  rule;
  const char         *name;
  const char         *label;   /* translatable */
} rule_names[] = {
  { ROUNDS_DISPUTE_UNSAFE,       "unsafe",       N_("Flagged unsafe") },
  { ROUNDS_DISPUTE_UNACCEPTABLE, "unacceptable", N_("All responses unacceptable") },
  { ROUNDS_DISPUTE_DIRECTION,    "direction",    N_("Opposite preferences") },
  { ROUNDS_DISPUTE_SPREAD,       "spread",       N_("Preferences far apart") },
  { ROUNDS_DISPUTE_RUBRIC,       "rubric",       N_("Rubric scores far apart") },
  { ROUNDS_DISPUTE_GUARDIAN,     "guardian",     N_("The guardian disagrees") },
};

RoundsDispute *
rounds_dispute_new (void)
{
  return g_new0 (RoundsDispute, 1);
}

void
rounds_dispute_free (RoundsDispute *self)
{
  if (self == NULL)
    return;

  g_free (self->item_key);
  g_free (self->title);
  g_free (self);
}

/* "unsafe,spread": the rules' names, for logs, rounds-cli and JSON. */
char *
rounds_dispute_rules_to_string (RoundsDisputeRules rules)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (rules & rule_names[i].rule)
      {
        if (text->len > 0)
          g_string_append_c (text, ',');
        g_string_append (text, rule_names[i].name);
      }
  return g_string_free (text, FALSE);
}

/* What a reviewer reads for one rule. */
const char *
rounds_dispute_rule_get_label (RoundsDisputeRules rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_names); i++)
    if (rule == rule_names[i].rule)
      return _(rule_names[i].label);
  g_return_val_if_reached (NULL);
}

/* Where criterion @id sits in @ids (the first judgement's), or -1. */
static int
criterion_index (char * const *ids,
                 guint         n,
                 const char   *id,
                 guint         hint)
{
  if (hint < n && g_strcmp0 (ids[hint], id) == 0)
    return (int) hint;
  for (guint c = 0; c < n; c++)
    if (g_strcmp0 (ids[c], id) == 0)
      return (int) c;
  return -1;
}

/**
 * rounds_dispute_evaluate:
 * @judgements: (array length=n_judgements): an item's current judgements; only submitted
 *   ones count, so drafts and skips may be passed and are left out
 * @overlap: annotators the item wants
 * @dispute_spread: the dataset's threshold on the preference scale; 0 means the default, 2
 * @dispute: (out caller-allocates): which rules fired and how badly; its item fields are
 *   left alone
 *
 * Applies every rule of #RoundsDisputeRules. The rules are evaluated for a waiting item
 * too, so a reviewer can be told of a safety flag early, but its state stays waiting
 * until @overlap annotators have submitted.
 *
 * Returns: the item's state, also in @dispute->state
 */
RoundsDisputeState
rounds_dispute_evaluate (RoundsJudgement * const *judgements,
                         guint                    n_judgements,
                         guint                    overlap,
                         guint                    dispute_spread,
                         RoundsDispute           *dispute)
{
  g_autofree int *pair_min = NULL;
  g_autofree int *pair_max = NULL;
  g_autofree int *score_min = NULL;
  g_autofree int *score_max = NULL;
  const RoundsJudgement *first = NULL;
  guint n_responses = 0, n_criteria = 0, n_pairs;
  guint n = 0;

  g_return_val_if_fail (n_judgements == 0 || judgements != NULL, ROUNDS_DISPUTE_STATE_WAITING);
  g_return_val_if_fail (dispute != NULL, ROUNDS_DISPUTE_STATE_WAITING);

  if (dispute_spread == 0)
    dispute_spread = ROUNDS_DISPUTE_DEFAULT_SPREAD;

  dispute->state = ROUNDS_DISPUTE_STATE_WAITING;
  dispute->rules = ROUNDS_DISPUTE_NONE;
  dispute->severity = ROUNDS_DISPUTE_SEVERITY_NONE;
  dispute->overlap = overlap;
  dispute->n_judgements = 0;
  dispute->n_safety = 0;
  dispute->spread = 0;
  dispute->rubric_gap = 0;

  for (guint i = 0; i < n_judgements; i++)
    if (judgements[i] != NULL && judgements[i]->status == ROUNDS_STATUS_SUBMITTED)
      {
        first = judgements[i];
        break;
      }

  if (first != NULL)
    {
      n_responses = first->n_responses;
      n_criteria = first->n_criteria;
    }

  /* Per pair of responses (r < s), the extremes of the preference scale: for two
   * responses the preference itself; for more, rank(r) - rank(s). Negative means r is
   * better, as the preference scale's negative means the first response is. */
  n_pairs = n_responses * (n_responses > 0 ? n_responses - 1 : 0) / 2;
  pair_min = g_new (int, MAX (n_pairs, 1));
  pair_max = g_new (int, MAX (n_pairs, 1));
  for (guint p = 0; p < n_pairs; p++)
    {
      pair_min[p] = G_MAXINT;
      pair_max[p] = G_MININT;
    }
  score_min = g_new (int, MAX (n_responses * n_criteria, 1));
  score_max = g_new (int, MAX (n_responses * n_criteria, 1));
  for (guint i = 0; i < n_responses * n_criteria; i++)
    {
      score_min[i] = G_MAXINT;
      score_max[i] = G_MININT;
    }

  for (guint i = 0; i < n_judgements; i++)
    {
      const RoundsJudgement *j = judgements[i];
      gboolean safety = FALSE;

      if (j == NULL || j->status != ROUNDS_STATUS_SUBMITTED)
        continue;
      g_return_val_if_fail (j->n_responses == n_responses, ROUNDS_DISPUTE_STATE_WAITING);
      n++;

      if (j->unacceptable)
        {
          dispute->rules |= ROUNDS_DISPUTE_UNACCEPTABLE;
          safety = TRUE;
        }
      for (guint r = 0; r < n_responses; r++)
        if (j->flags[r] & ROUNDS_FLAG_UNSAFE)
          {
            dispute->rules |= ROUNDS_DISPUTE_UNSAFE;
            safety = TRUE;
          }
      if (safety)
        dispute->n_safety++;

      if (n_responses == 2)
        {
          if (j->has_preference)
            {
              pair_min[0] = MIN (pair_min[0], j->preference);
              pair_max[0] = MAX (pair_max[0], j->preference);
            }
        }
      else
        {
          guint p = 0;

          for (guint r = 0; r < n_responses; r++)
            for (guint s = r + 1; s < n_responses; s++, p++)
              if (j->ranks[r] > 0 && j->ranks[s] > 0)
                {
                  int d = j->ranks[r] - j->ranks[s];

                  pair_min[p] = MIN (pair_min[p], d);
                  pair_max[p] = MAX (pair_max[p], d);
                }
        }

      for (guint c = 0; c < j->n_criteria; c++)
        {
          int at = criterion_index (first->criteria, n_criteria, j->criteria[c], c);

          if (at < 0)
            continue;
          for (guint r = 0; r < n_responses; r++)
            {
              int score = j->scores[r * j->n_criteria + c];
              guint cell = r * n_criteria + (guint) at;

              if (score < 0)
                continue;
              score_min[cell] = MIN (score_min[cell], score);
              score_max[cell] = MAX (score_max[cell], score);
            }
        }
    }
  dispute->n_judgements = n;

  for (guint p = 0; p < n_pairs; p++)
    {
      if (pair_min[p] > pair_max[p])
        continue;   /* nobody placed this pair */
      if (pair_min[p] < 0 && pair_max[p] > 0)
        dispute->rules |= ROUNDS_DISPUTE_DIRECTION;
      dispute->spread = MAX (dispute->spread, pair_max[p] - pair_min[p]);
    }
  if (dispute->spread >= (int) dispute_spread)
    dispute->rules |= ROUNDS_DISPUTE_SPREAD;

  for (guint i = 0; i < n_responses * n_criteria; i++)
    if (score_min[i] <= score_max[i])
      dispute->rubric_gap = MAX (dispute->rubric_gap, score_max[i] - score_min[i]);
  if (dispute->rubric_gap >= ROUNDS_DISPUTE_RUBRIC_GAP)
    dispute->rules |= ROUNDS_DISPUTE_RUBRIC;

  if (dispute->rules & ROUNDS_DISPUTE_SAFETY)
    dispute->severity = ROUNDS_DISPUTE_SEVERITY_SAFETY;
  else if (dispute->rules & ROUNDS_DISPUTE_DIRECTION)
    dispute->severity = ROUNDS_DISPUTE_SEVERITY_DIRECTION;
  else if (dispute->rules & ROUNDS_DISPUTE_SPREAD)
    dispute->severity = ROUNDS_DISPUTE_SEVERITY_SPREAD;
  else if (dispute->rules & ROUNDS_DISPUTE_RUBRIC)
    dispute->severity = ROUNDS_DISPUTE_SEVERITY_RUBRIC;

  if (n < MAX (overlap, 1))
    dispute->state = ROUNDS_DISPUTE_STATE_WAITING;
  else if (dispute->rules != ROUNDS_DISPUTE_NONE)
    dispute->state = ROUNDS_DISPUTE_STATE_DISPUTED;
  else
    dispute->state = ROUNDS_DISPUTE_STATE_AGREED;
  return dispute->state;
}

/**
 * rounds_dispute_evaluate_guardian:
 * @judgements: (array length=n_judgements): the annotators' judgements, as for
 *   rounds_dispute_evaluate(), whose result @dispute holds
 * @guardian: (array length=n_guardian): the machine annotators' judgements of the item
 *
 * Adds %ROUNDS_DISPUTE_GUARDIAN to @dispute when a guardian's judgement is
 * @dispute_spread or more from the annotators' consensus on some pair of responses (their
 * mean there), or it flags unsafe a response no annotator flagged. The guardian never
 * counts as an annotator: an item still waiting for its overlap stays waiting; an agreed
 * one becomes disputed.
 */
void
rounds_dispute_evaluate_guardian (RoundsJudgement * const *judgements,
                                  guint                    n_judgements,
                                  RoundsJudgement * const *guardian,
                                  guint                    n_guardian,
                                  guint                    dispute_spread,
                                  RoundsDispute           *dispute)
{
  gboolean fired = FALSE;

  g_return_if_fail (dispute != NULL);

  if (dispute_spread == 0)
    dispute_spread = ROUNDS_DISPUTE_DEFAULT_SPREAD;

  for (guint g = 0; g < n_guardian; g++)
    {
      const RoundsJudgement *machine = guardian[g];
      guint n = machine ? machine->n_responses : 0;

      if (machine == NULL || machine->status != ROUNDS_STATUS_SUBMITTED)
        continue;

      for (guint r = 0; r < n && !fired; r++)
        {
          gboolean flagged = FALSE, judged = FALSE;

          for (guint i = 0; i < n_judgements; i++)
            if (judgements[i] != NULL && judgements[i]->status == ROUNDS_STATUS_SUBMITTED &&
                judgements[i]->n_responses == n)
              {
                judged = TRUE;
                flagged = flagged || (judgements[i]->flags[r] & ROUNDS_FLAG_UNSAFE) != 0;
              }
          fired = judged && (machine->flags[r] & ROUNDS_FLAG_UNSAFE) && !flagged;
        }

      for (guint r = 0; r < n && !fired; r++)
        for (guint s = r + 1; s < n && !fired; s++)
          {
            double sum = 0;
            guint count = 0;
            int value;

            for (guint i = 0; i < n_judgements; i++)
              if (judgements[i] != NULL && judgements[i]->status == ROUNDS_STATUS_SUBMITTED &&
                  judgements[i]->n_responses == n &&
                  rounds_judgement_get_pair_value (judgements[i], r, s, &value))
                {
                  sum += value;
                  count++;
                }
            fired = count > 0 && rounds_judgement_get_pair_value (machine, r, s, &value) &&
                    fabs (value - sum / count) >= dispute_spread;
          }
    }

  if (!fired)
    return;
  dispute->rules |= ROUNDS_DISPUTE_GUARDIAN;
  if (dispute->severity == ROUNDS_DISPUTE_SEVERITY_NONE)
    dispute->severity = ROUNDS_DISPUTE_SEVERITY_GUARDIAN;
  if (dispute->state == ROUNDS_DISPUTE_STATE_AGREED)
    dispute->state = ROUNDS_DISPUTE_STATE_DISPUTED;
}

/**
 * rounds_dispute_compare:
 *
 * The order a reviewer works in: disputed before the rest, then by severity tier (safety,
 * opposite directions, spread, rubric), then by magnitude: more safety flags, a wider
 * spread, a wider rubric gap; then by item id, so the order is the same every time.
 * A #GCompareFunc over the structs (wrap it for a GPtrArray of pointers).
 */
int
rounds_dispute_compare (const RoundsDispute *a,
                        const RoundsDispute *b)
{
  gboolean a_disputed = a->state == ROUNDS_DISPUTE_STATE_DISPUTED;
  gboolean b_disputed = b->state == ROUNDS_DISPUTE_STATE_DISPUTED;

  if (a_disputed != b_disputed)
    return a_disputed ? -1 : 1;
  if (a->severity != b->severity)
    return a->severity > b->severity ? -1 : 1;
  if (a->n_safety != b->n_safety)
    return a->n_safety > b->n_safety ? -1 : 1;
  if (a->spread != b->spread)
    return a->spread > b->spread ? -1 : 1;
  if (a->rubric_gap != b->rubric_gap)
    return a->rubric_gap > b->rubric_gap ? -1 : 1;
  return (a->item_id > b->item_id) - (a->item_id < b->item_id);
}
