/* test-dispute.c: the rules that send an item to ethics review, one case per rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rounds-dispute.h"

/* A judgement in a line: "p=-2" (preference), "rank=1,2,3", "unacceptable",
 * "unsafe=R" (response R flagged unsafe), "flag=R" (R flagged outdated),
 * "score=R:C:V" (criterion C of response R scored V), "skipped", "draft". */
static RoundsJudgement *
parse_judgement (const char   *spec,
                 guint         n_responses,
                 RoundsRubric *rubric)
{
  g_auto(GStrv) tokens = g_strsplit (spec, " ", -1);
  RoundsJudgement *j = rounds_judgement_new (n_responses, rubric);

  j->status = ROUNDS_STATUS_SUBMITTED;
  for (guint i = 0; tokens[i]; i++)
    {
      const char *t = tokens[i];

      if (g_str_has_prefix (t, "p="))
        {
          j->has_preference = TRUE;
          j->preference = atoi (t + 2);
        }
      else if (g_str_has_prefix (t, "rank="))
        {
          g_auto(GStrv) ranks = g_strsplit (t + 5, ",", -1);

          g_assert_cmpuint (g_strv_length (ranks), ==, n_responses);
          for (guint r = 0; r < n_responses; r++)
            j->ranks[r] = atoi (ranks[r]);
        }
      else if (g_str_equal (t, "unacceptable"))
        j->unacceptable = TRUE;
      else if (g_str_has_prefix (t, "unsafe="))
        j->flags[atoi (t + 7)] |= ROUNDS_FLAG_UNSAFE;
      else if (g_str_has_prefix (t, "flag="))
        j->flags[atoi (t + 5)] |= ROUNDS_FLAG_OUTDATED;
      else if (g_str_has_prefix (t, "score="))
        {
          guint r, c;
          int v;

          g_assert_cmpint (sscanf (t + 6, "%u:%u:%d", &r, &c, &v), ==, 3);
          *rounds_judgement_score (j, r, c) = v;
        }
      else if (g_str_equal (t, "skipped"))
        j->status = ROUNDS_STATUS_SKIPPED;
      else if (g_str_equal (t, "draft"))
        j->status = ROUNDS_STATUS_DRAFT;
      else
        g_error ("unknown token “%s” in “%s”", t, spec);
    }
  return j;
}

typedef struct
{
  const char            *name;
  guint                  n_responses;
  guint                  overlap;
  guint                  dispute_spread;   /* 0: the default, 2 */
  const char            *judgements[6];
  RoundsDisputeState     state;
  RoundsDisputeRules     rules;
  RoundsDisputeSeverity  severity;
  int                    spread;
  int                    rubric_gap;
  guint                  n_safety;
} DisputeCase;

#define DISPUTED ROUNDS_DISPUTE_STATE_DISPUTED
#define AGREED   ROUNDS_DISPUTE_STATE_AGREED
#define WAITING  ROUNDS_DISPUTE_STATE_WAITING

static const DisputeCase cases[] = {
  /* Each rule on its own. */
  { "rule/direction", 2, 2, 3, { "p=-1", "p=1" },
    DISPUTED, ROUNDS_DISPUTE_DIRECTION, ROUNDS_DISPUTE_SEVERITY_DIRECTION, 2, 0, 0 },
  { "rule/spread", 2, 2, 2, { "p=0", "p=2" },
    DISPUTED, ROUNDS_DISPUTE_SPREAD, ROUNDS_DISPUTE_SEVERITY_SPREAD, 2, 0, 0 },
  { "rule/spread-default-threshold", 2, 2, 0, { "p=-2", "p=0" },
    DISPUTED, ROUNDS_DISPUTE_SPREAD, ROUNDS_DISPUTE_SEVERITY_SPREAD, 2, 0, 0 },
  { "rule/unacceptable", 2, 2, 2, { "p=-1", "p=-1 unacceptable" },
    DISPUTED, ROUNDS_DISPUTE_UNACCEPTABLE, ROUNDS_DISPUTE_SEVERITY_SAFETY, 0, 0, 1 },
  { "rule/unacceptable-without-preference", 2, 2, 2, { "p=-1", "unacceptable" },
    DISPUTED, ROUNDS_DISPUTE_UNACCEPTABLE, ROUNDS_DISPUTE_SEVERITY_SAFETY, 0, 0, 1 },
  { "rule/unsafe", 2, 2, 2, { "p=-1 unsafe=1", "p=-1" },
    DISPUTED, ROUNDS_DISPUTE_UNSAFE, ROUNDS_DISPUTE_SEVERITY_SAFETY, 0, 0, 1 },
  { "rule/unsafe-overlap-one", 2, 1, 2, { "p=0 unsafe=0" },
    DISPUTED, ROUNDS_DISPUTE_UNSAFE, ROUNDS_DISPUTE_SEVERITY_SAFETY, 0, 0, 1 },
  { "rule/rubric", 2, 2, 2, { "p=-1 score=0:0:5", "p=-1 score=0:0:2" },
    DISPUTED, ROUNDS_DISPUTE_RUBRIC, ROUNDS_DISPUTE_SEVERITY_RUBRIC, 0, 3, 0 },
  { "rule/ranking-direction", 3, 2, 3, { "rank=1,2,3", "rank=2,1,3" },
    DISPUTED, ROUNDS_DISPUTE_DIRECTION, ROUNDS_DISPUTE_SEVERITY_DIRECTION, 2, 0, 0 },
  { "rule/ranking-spread", 3, 2, 2, { "rank=1,2,3", "rank=1,1,1" },
    DISPUTED, ROUNDS_DISPUTE_SPREAD, ROUNDS_DISPUTE_SEVERITY_SPREAD, 2, 0, 0 },
  { "rule/ranking-rubric", 3, 2, 2, { "rank=1,2,3 score=2:5:1", "rank=1,2,3 score=2:5:4" },
    DISPUTED, ROUNDS_DISPUTE_RUBRIC, ROUNDS_DISPUTE_SEVERITY_RUBRIC, 0, 3, 0 },

  /* Several rules: the most severe tier wins. */
  { "rules/all", 2, 3, 2, { "p=-2 unsafe=0", "p=2 score=1:2:1", "p=2 score=1:2:5 unacceptable" },
    DISPUTED, ROUNDS_DISPUTE_UNSAFE | ROUNDS_DISPUTE_UNACCEPTABLE | ROUNDS_DISPUTE_DIRECTION |
    ROUNDS_DISPUTE_SPREAD | ROUNDS_DISPUTE_RUBRIC, ROUNDS_DISPUTE_SEVERITY_SAFETY, 4, 4, 2 },
  { "rules/direction-and-spread", 2, 2, 2, { "p=-1", "p=1" },
    DISPUTED, ROUNDS_DISPUTE_DIRECTION | ROUNDS_DISPUTE_SPREAD, ROUNDS_DISPUTE_SEVERITY_DIRECTION,
    2, 0, 0 },

  /* Agreement: no rule fires. */
  { "agreed/same-side", 2, 3, 2, { "p=-2", "p=-1", "p=-1" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 1, 0, 0 },
  { "agreed/tie-is-no-direction", 2, 3, 2, { "p=0", "p=-1", "p=0" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 1, 0, 0 },
  { "agreed/spread-below-threshold", 2, 2, 3, { "p=-2", "p=0" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 2, 0, 0 },
  { "agreed/rubric-gap-two", 2, 2, 2, { "p=1 score=0:0:5", "p=1 score=0:0:3" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 2, 0 },
  { "agreed/rubric-other-response", 2, 2, 2, { "p=1 score=0:0:5", "p=1 score=1:0:1" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },
  { "agreed/other-flags", 2, 2, 2, { "p=1 flag=0", "p=1 flag=1" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },
  { "agreed/ranking", 3, 2, 2, { "rank=1,2,3", "rank=1,2,3" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },
  { "agreed/one-annotator", 2, 1, 2, { "p=2" },
    AGREED, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },

  /* Waiting: the overlap is not met, whatever the rules say so far. */
  { "waiting/no-judgements", 2, 1, 2, { NULL },
    WAITING, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },
  { "waiting/opposite-so-far", 2, 3, 2, { "p=-2", "p=2" },
    WAITING, ROUNDS_DISPUTE_DIRECTION | ROUNDS_DISPUTE_SPREAD, ROUNDS_DISPUTE_SEVERITY_DIRECTION,
    4, 0, 0 },
  { "waiting/unsafe-so-far", 2, 2, 2, { "p=0 unsafe=1" },
    WAITING, ROUNDS_DISPUTE_UNSAFE, ROUNDS_DISPUTE_SEVERITY_SAFETY, 0, 0, 1 },
  /* Skips and drafts are not submissions: they neither count nor fire a rule. */
  { "waiting/skips-and-drafts-do-not-count", 2, 2, 2, { "p=-2", "p=2 skipped",
                                                        "p=2 unsafe=0 draft" },
    WAITING, ROUNDS_DISPUTE_NONE, ROUNDS_DISPUTE_SEVERITY_NONE, 0, 0, 0 },
};

static void
test_rule (gconstpointer data)
{
  const DisputeCase *c = data;
  g_autoptr(RoundsRubric) rubric = rounds_rubric_new_default ();
  g_autoptr(GPtrArray) judgements =
    g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
  g_autoptr(RoundsDispute) dispute = rounds_dispute_new ();
  g_autofree char *rules = NULL;
  g_autofree char *expected_rules = NULL;
  RoundsDisputeState state;

  for (guint i = 0; i < G_N_ELEMENTS (c->judgements) && c->judgements[i]; i++)
    g_ptr_array_add (judgements, parse_judgement (c->judgements[i], c->n_responses, rubric));

  state = rounds_dispute_evaluate ((RoundsJudgement * const *) judgements->pdata, judgements->len,
                                   c->overlap, c->dispute_spread, dispute);

  rules = rounds_dispute_rules_to_string (dispute->rules);
  expected_rules = rounds_dispute_rules_to_string (c->rules);
  g_assert_cmpstr (rules, ==, expected_rules);
  g_assert_cmpint (state, ==, c->state);
  g_assert_cmpint (dispute->state, ==, c->state);
  g_assert_cmpint (dispute->severity, ==, c->severity);
  g_assert_cmpint (dispute->spread, ==, c->spread);
  g_assert_cmpint (dispute->rubric_gap, ==, c->rubric_gap);
  g_assert_cmpuint (dispute->n_safety, ==, c->n_safety);
  g_assert_cmpuint (dispute->overlap, ==, c->overlap);

  /* The order of the judgements does not matter. */
  if (judgements->len > 1)
    {
      g_autoptr(RoundsDispute) reversed = rounds_dispute_new ();
      g_autoptr(GPtrArray) backwards = g_ptr_array_new ();

      for (guint i = judgements->len; i > 0; i--)
        g_ptr_array_add (backwards, g_ptr_array_index (judgements, i - 1));
      rounds_dispute_evaluate ((RoundsJudgement * const *) backwards->pdata, backwards->len,
                               c->overlap, c->dispute_spread, reversed);
      g_assert_cmpint (reversed->rules, ==, dispute->rules);
      g_assert_cmpint (reversed->state, ==, dispute->state);
      g_assert_cmpint (reversed->spread, ==, dispute->spread);
    }
}

/* The review order: disputed first; safety, then direction, then spread, then rubric;
 * within a tier the larger magnitude first; then item id. */
static void
test_order (void)
{
  static const struct {
    gint64 id;
    RoundsDisputeState state;
    RoundsDisputeSeverity severity;
    guint n_safety;
    int spread;
    int gap;
  } items[] = {
    { 1, AGREED,   ROUNDS_DISPUTE_SEVERITY_NONE,      0, 0, 0 },
    { 2, DISPUTED, ROUNDS_DISPUTE_SEVERITY_SPREAD,    0, 2, 0 },
    { 3, DISPUTED, ROUNDS_DISPUTE_SEVERITY_RUBRIC,    0, 1, 4 },
    { 4, DISPUTED, ROUNDS_DISPUTE_SEVERITY_SAFETY,    1, 0, 0 },
    { 5, DISPUTED, ROUNDS_DISPUTE_SEVERITY_DIRECTION, 0, 2, 0 },
    { 6, DISPUTED, ROUNDS_DISPUTE_SEVERITY_SPREAD,    0, 4, 0 },
    { 7, DISPUTED, ROUNDS_DISPUTE_SEVERITY_SAFETY,    3, 0, 0 },
    { 8, WAITING,  ROUNDS_DISPUTE_SEVERITY_SAFETY,    1, 0, 0 },
    { 9, DISPUTED, ROUNDS_DISPUTE_SEVERITY_DIRECTION, 0, 4, 0 },
    { 10, DISPUTED, ROUNDS_DISPUTE_SEVERITY_SPREAD,   0, 2, 0 },
  };
  static const gint64 expected[] = { 7, 4, 9, 5, 6, 2, 10, 3, 8, 1 };
  RoundsDispute disputes[G_N_ELEMENTS (items)];

  memset (disputes, 0, sizeof disputes);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      disputes[i].item_id = items[i].id;
      disputes[i].state = items[i].state;
      disputes[i].severity = items[i].severity;
      disputes[i].n_safety = items[i].n_safety;
      disputes[i].spread = items[i].spread;
      disputes[i].rubric_gap = items[i].gap;
    }
  qsort (disputes, G_N_ELEMENTS (disputes), sizeof (RoundsDispute),
         (int (*) (const void *, const void *)) rounds_dispute_compare);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (disputes[i].item_id, ==, expected[i]);
}

static void
test_rules_to_string (void)
{
  g_autofree char *none = rounds_dispute_rules_to_string (ROUNDS_DISPUTE_NONE);
  g_autofree char *some =
    rounds_dispute_rules_to_string (ROUNDS_DISPUTE_SPREAD | ROUNDS_DISPUTE_UNSAFE);

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (some, ==, "unsafe,spread");
  g_assert_cmpstr (rounds_dispute_rule_get_label (ROUNDS_DISPUTE_DIRECTION), ==,
                   "Opposite preferences");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/dispute/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_rule);
    }
  g_test_add_func ("/rounds/dispute/order", test_order);
  g_test_add_func ("/rounds/dispute/rules-to-string", test_rules_to_string);

  return g_test_run ();
}
