/* rounds-dispute.h: when the judgements of an item disagree enough for an ethics reviewer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rounds-judgement.h"

G_BEGIN_DECLS

/**
 * RoundsDisputeRules:
 * @ROUNDS_DISPUTE_NONE: no rule fired
 * @ROUNDS_DISPUTE_UNSAFE: an annotator flagged a response unsafe
 * @ROUNDS_DISPUTE_UNACCEPTABLE: an annotator marked all responses unacceptable
 * @ROUNDS_DISPUTE_DIRECTION: judgements point in opposite directions: one prefers the first
 *   response, another the second (ties point nowhere). With more than two responses,
 *   for some pair of responses one ranks the first above the second and another below
 * @ROUNDS_DISPUTE_SPREAD: the preferences spread over at least the dataset's
 *   `dispute_spread` points of the preference scale (largest minus smallest). With more
 *   than two responses the scale of a pair (r, s) is rank(r) - rank(s), so -1 is "r one
 *   place above s", 0 a tie; the spread is the largest over the pairs
 * @ROUNDS_DISPUTE_RUBRIC: two annotators' scores of one criterion for the same response
 *   differ by %ROUNDS_DISPUTE_RUBRIC_GAP or more
 * @ROUNDS_DISPUTE_GUARDIAN: the guardian (a machine annotator) and the annotators' consensus
 *   (their mean preference, or mean rank difference of a pair) are `dispute_spread` or more
 *   apart, or the guardian flagged unsafe a response no annotator did
 *
 * The rules that make an item disputed; an item can fire several.
 */
typedef enum
{
  ROUNDS_DISPUTE_NONE         = 0,
  ROUNDS_DISPUTE_UNSAFE       = 1 << 0,
  ROUNDS_DISPUTE_UNACCEPTABLE = 1 << 1,
  ROUNDS_DISPUTE_DIRECTION    = 1 << 2,
  ROUNDS_DISPUTE_SPREAD       = 1 << 3,
  ROUNDS_DISPUTE_RUBRIC       = 1 << 4,
  ROUNDS_DISPUTE_GUARDIAN     = 1 << 5,
} RoundsDisputeRules;

#define ROUNDS_DISPUTE_SAFETY (ROUNDS_DISPUTE_UNSAFE | ROUNDS_DISPUTE_UNACCEPTABLE)
#define ROUNDS_DISPUTE_RUBRIC_GAP 3
#define ROUNDS_DISPUTE_DEFAULT_SPREAD 2

/**
 * RoundsDisputeState:
 * @ROUNDS_DISPUTE_STATE_WAITING: fewer annotators have submitted than the item's overlap;
 *   it is not judged disputed yet, whatever rules fired so far
 * @ROUNDS_DISPUTE_STATE_AGREED: the overlap is met and no rule fired
 * @ROUNDS_DISPUTE_STATE_DISPUTED: the overlap is met and a rule fired
 */
typedef enum
{
  ROUNDS_DISPUTE_STATE_WAITING,
  ROUNDS_DISPUTE_STATE_AGREED,
  ROUNDS_DISPUTE_STATE_DISPUTED,
} RoundsDisputeState;

/**
 * RoundsDisputeSeverity:
 *
 * The first tier of the review order: safety first, then opposite directions, then
 * spread, then rubric, then the guardian's disagreement alone; rounds_dispute_compare()
 * breaks ties by magnitude.
 */
typedef enum
{
  ROUNDS_DISPUTE_SEVERITY_NONE,
  ROUNDS_DISPUTE_SEVERITY_GUARDIAN,
  ROUNDS_DISPUTE_SEVERITY_RUBRIC,
  ROUNDS_DISPUTE_SEVERITY_SPREAD,
  ROUNDS_DISPUTE_SEVERITY_DIRECTION,
  ROUNDS_DISPUTE_SEVERITY_SAFETY,
} RoundsDisputeSeverity;

/**
 * RoundsDispute:
 * @item_id, @item_key, @title, @has_verdict: filled by the store, not by
 *   rounds_dispute_evaluate()
 * @n_judgements: submitted judgements looked at
 * @n_safety: judgements with an unsafe flag or "all unacceptable"
 * @spread: the largest spread of preferences (0 with fewer than two)
 * @rubric_gap: the largest difference of one criterion's scores for one response
 */
typedef struct
{
  gint64                 item_id;
  char                  *item_key;
  char                  *title;
  gboolean               has_verdict;

  RoundsDisputeState     state;
  RoundsDisputeRules     rules;
  RoundsDisputeSeverity  severity;
  guint                  overlap;
  guint                  n_judgements;
  guint                  n_safety;
  int                    spread;
  int                    rubric_gap;
} RoundsDispute;

RoundsDispute      *rounds_dispute_new               (void);
void                rounds_dispute_free              (RoundsDispute           *self);

RoundsDisputeState  rounds_dispute_evaluate          (RoundsJudgement * const *judgements,
                                                      guint                    n_judgements,
                                                      guint                    overlap,
                                                      guint                    dispute_spread,
                                                      RoundsDispute           *dispute);
void                rounds_dispute_evaluate_guardian (RoundsJudgement * const *judgements,
                                                      guint                    n_judgements,
                                                      RoundsJudgement * const *guardian,
                                                      guint                    n_guardian,
                                                      guint                    dispute_spread,
                                                      RoundsDispute           *dispute);
int                 rounds_dispute_compare           (const RoundsDispute     *a,
                                                      const RoundsDispute     *b);
char               *rounds_dispute_rules_to_string   (RoundsDisputeRules       rules);
const char         *rounds_dispute_rule_get_label    (RoundsDisputeRules       rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsDispute, rounds_dispute_free)

G_END_DECLS
