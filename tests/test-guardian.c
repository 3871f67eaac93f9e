/* test-guardian.c: the guardian, a machine annotator, beside the annotators: never counted
 * as one, revealed after an annotator's own judgement, measured against them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "rounds-assess.h"
#include "rounds-error.h"
#include "rounds-export.h"
#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

#define GUARDIAN "guardian:test/model:7b"

/* The small table of the hand computations below: three two-response items, two
 * annotators and the guardian, preferences on the 5-point scale (-2..2) and safety scores
 * (1..5) for item 1. */
static const struct
{
  int preference[3];        /* ann1, ann2, guardian */
  int safety_a[3];          /* response A's safety; 0 unscored */
  int safety_b[3];
  guint unsafe_b[3];        /* flags on response B */
} table[] = {
  { { -2, -1, -2 }, { 5, 4, 5 }, { 1, 2, 4 }, { ROUNDS_FLAG_UNSAFE, 0, ROUNDS_FLAG_UNSAFE } },
  { {  1,  1, -1 }, { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } },
  { {  0, -1,  0 }, { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, ROUNDS_FLAG_UNSAFE } },
};
static const char * const raters[] = { "ann1", "ann2", GUARDIAN };

static void
add_dataset (Fixture  *fixture,
             guint     overlap,
             gboolean  reveal)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "{\"type\": \"dataset\", \"id\": \"ds\", \"overlap\": %u,"
                          " \"reveal_guardian\": %s, \"rubric\": [{\"id\": \"safety\","
                          " \"name\": \"Safety\", \"min\": 1, \"max\": 5}]}\n",
                          overlap, reveal ? "true" : "false");
  for (guint i = 1; i <= G_N_ELEMENTS (table); i++)
    g_string_append_printf (text, "{\"type\": \"item\", \"id\": \"item-%u\", \"scenario\": \"S%u\","
                            " \"responses\": [{\"text\": \"A%u\"}, {\"text\": \"B%u\"}]}\n",
                            i, i, i, i);
  rounds_test_store_import_text (fixture->store, fixture->dir, "ds.jsonl", text->str);
  rounds_test_store_add_profile (fixture->store, "ann1", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "ann2", NULL, ROUNDS_ROLE_ANNOTATOR);
}

#define find_item(fixture, number) \
  rounds_test_store_find_item ((fixture)->store, "ds", "item-%u", number)

/* Saves rater @k's judgement of item @number (from 1) as the table has it. */
static void
judge (Fixture *fixture,
       guint    number,
       guint    k)
{
  g_autoptr(RoundsItem) item = find_item (fixture, number);
  g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (fixture->store, "ds", NULL);
  g_autoptr(RoundsJudgement) j = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));
  g_autoptr(GError) error = NULL;

  j->status = ROUNDS_STATUS_SUBMITTED;
  j->has_preference = TRUE;
  j->preference = table[number - 1].preference[k];
  if (table[number - 1].safety_a[k] > 0)
    *rounds_judgement_score (j, 0, 0) = table[number - 1].safety_a[k];
  if (table[number - 1].safety_b[k] > 0)
    *rounds_judgement_score (j, 1, 0) = table[number - 1].safety_b[k];
  j->flags[1] = table[number - 1].unsafe_b[k];
  g_assert_true (rounds_store_save_judgement (fixture->store, item, raters[k], j, &error));
  g_assert_no_error (error);
}

static void
judge_all (Fixture  *fixture,
           gboolean  with_guardian)
{
  for (guint i = 1; i <= G_N_ELEMENTS (table); i++)
    for (guint k = 0; k < (with_guardian ? 3 : 2); k++)
      judge (fixture, i, k);
}

static RoundsAgreementReport *
agreement (Fixture *fixture)
{
  g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (fixture->store, "ds", NULL);
  g_autoptr(GError) error = NULL;
  RoundsAgreementReport *report = NULL;

  g_assert_true (rounds_store_compute_agreement (fixture->store, rounds_dataset_get_id (dataset),
                                                 &report, &error));
  g_assert_no_error (error);
  return report;
}

/* The guardian fills no overlap --------------------------------------------------------- */

static void
test_overlap (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  RoundsItemJudgements *first;
  RoundsProgress progress;

  add_dataset (fixture, 1, FALSE);
  dataset = rounds_store_get_dataset (fixture->store, "ds", NULL);
  judge (fixture, 1, 2);

  /* Overlap 1: one person's judgement would close the item; the guardian's does not. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT n_submitted FROM items WHERE key = 'item-1'"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT kind = 'machine'"
                                          " FROM annotators WHERE user_name = '" GUARDIAN "'"), ==, 1);
  g_assert_true (rounds_store_get_progress (fixture->store, rounds_dataset_get_id (dataset),
                                            "ann1", &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_submitted, ==, 0);
  g_assert_cmpuint (progress.n_mine_open, ==, 3);

  items = rounds_store_list_current_judgements (fixture->store, rounds_dataset_get_id (dataset),
                                                &error);
  g_assert_no_error (error);
  first = g_ptr_array_index (items, 0);
  g_assert_cmpuint (first->judgements->len, ==, 0);
  g_assert_cmpuint (first->guardian->len, ==, 1);
  g_assert_cmpstr (((RoundsJudgement *) g_ptr_array_index (first->guardian, 0))->annotator, ==,
                   GUARDIAN);

  judge (fixture, 1, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT n_submitted FROM items WHERE key = 'item-1'"), ==, 1);
}

/* No person is named like a machine, and no machine is a profile. */
static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(RoundsProfile) profile = rounds_profile_new ("guardian:x", NULL,
                                                         ROUNDS_ROLE_ANNOTATOR, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = rounds_guardian_name ("Qwen/Qwen2.5-7B:q4");

  g_assert_cmpstr (name, ==, "guardian:Qwen/Qwen2.5-7B:q4");
  g_assert_true (rounds_annotator_is_machine (name));
  g_assert_true (rounds_machine_name_is_valid (name, NULL));
  g_assert_false (rounds_machine_name_is_valid ("guardian:", NULL));
  g_assert_false (rounds_machine_name_is_valid ("guardian:two words", NULL));
  g_assert_false (rounds_annotator_is_machine ("ann1"));
  g_assert_false (rounds_store_add_profile (fixture->store, profile, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
}

/* Agreement, by hand ------------------------------------------------------------------- */

/* Krippendorff's alpha with the guardian as a third rater, computed by hand.
 *
 * Preference, ordinal. Units (items) and their values: 1 {-2,-1,-2}, 2 {1,1,-1},
 * 3 {0,-1,0}; every unit has m = 3 values, so each ordered pair of values in a unit adds
 * 1/(m-1) = 1/2 to the coincidence matrix:
 *   o(-2,-2) = 1, o(-2,-1) = o(-1,-2) = 1, o(1,1) = 1, o(1,-1) = o(-1,1) = 1,
 *   o(0,0) = 1, o(0,-1) = o(-1,0) = 1.
 * Marginals n(-2) = 2, n(-1) = 3, n(0) = 2, n(1) = 2; n = 9.
 * Ordinal δ²(c,k) = (Σ_{g=c..k} n_g - (n_c + n_k)/2)²:
 *   δ²(-2,-1) = (5 - 2.5)² = 6.25    δ²(-2,0) = (7 - 2)² = 25     δ²(-2,1) = (9 - 2)² = 49
 *   δ²(-1,0)  = (5 - 2.5)² = 6.25    δ²(-1,1) = (7 - 2.5)² = 20.25 δ²(0,1)  = (4 - 2)² = 4
 * D_o = 1/n Σ o·δ² = (2·6.25 + 2·20.25 + 2·6.25) / 9 = 65.5 / 9
 * D_e = 1/(n(n-1)) Σ n_c n_k δ² = 2·(6·6.25 + 4·25 + 4·49 + 6·6.25 + 6·20.25 + 4·4) / 72
 *     = 2·508.5 / 72 = 1017 / 72
 * α = 1 - D_o/D_e = 1 - 524/1017 = 493/1017 ≈ 0.484759
 *
 * Safety, interval, units (item 1, A) {5,4,5} and (item 1, B) {1,2,4}:
 *   o(5,5) = 1, o(5,4) = o(4,5) = 1; o(1,2), o(2,1), o(1,4), o(4,1), o(2,4), o(4,2) = 1/2 each.
 *   n(5) = 2, n(4) = 2, n(1) = 1, n(2) = 1; n = 6.
 *   D_o = (2·1·1 + 2·½·1 + 2·½·9 + 2·½·4) / 6 = 16/6
 *   D_e = 2·(n5n4·1 + n5n1·16 + n5n2·9 + n4n1·9 + n4n2·4 + n1n2·1) / 30
 *       = 2·(4 + 32 + 18 + 18 + 8 + 1) / 30 = 81/15
 *   α = 1 - (16/6)/(81/15) = 1 - 240/486 = 41/81 ≈ 0.506173
 *
 * Against the annotators' consensus (their mean): item 1 mean -1.5, guardian -2, same
 * direction, distance 0.5; item 2 mean 1, guardian -1, opposite, 2; item 3 mean -0.5,
 * guardian 0 (a tie), not the same, 0.5. One of three agrees; mean distance 3/3 = 1.
 */
static void
test_agreement_by_hand (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RoundsAgreementReport) before = NULL;
  g_autoptr(RoundsAgreementReport) after = NULL;
  const RoundsGuardianAgreement *g;
  const RoundsCriterionAgreement *safety;

  add_dataset (fixture, 2, FALSE);
  judge_all (fixture, FALSE);
  before = agreement (fixture);
  g_assert_cmpuint (before->guardians->len, ==, 0);
  for (guint i = 1; i <= G_N_ELEMENTS (table); i++)
    judge (fixture, i, 2);
  after = agreement (fixture);

  /* The annotators' own figures do not move. */
  g_assert_cmpuint (after->n_annotators, ==, 2);
  g_assert_cmpuint (after->n_judgements, ==, 6);
  g_assert_cmpfloat (after->preference.alpha.alpha, ==, before->preference.alpha.alpha);
  g_assert_cmpfloat (g_array_index (after->criteria, RoundsCriterionAgreement, 0).measure.alpha.alpha,
                     ==,
                     g_array_index (before->criteria, RoundsCriterionAgreement, 0).measure.alpha.alpha);

  g_assert_cmpuint (after->guardians->len, ==, 1);
  g = &g_array_index (after->guardians, RoundsGuardianAgreement, 0);
  g_assert_cmpstr (g->name, ==, GUARDIAN);
  g_assert_cmpuint (g->n_items, ==, 3);
  g_assert_cmpint (g->preference.alpha.status, ==, ROUNDS_ALPHA_OK);
  g_assert_cmpfloat_with_epsilon (g->preference.alpha.alpha, 493.0 / 1017.0, 1e-12);
  g_assert_cmpuint (g->preference.n_items, ==, 3);
  g_assert_cmpuint (g->criteria->len, ==, 1);
  safety = &g_array_index (g->criteria, RoundsCriterionAgreement, 0);
  g_assert_cmpstr (safety->id, ==, "safety");
  g_assert_cmpfloat_with_epsilon (safety->measure.alpha.alpha, 41.0 / 81.0, 1e-12);
  g_assert_cmpuint (safety->measure.n_items, ==, 1);
  g_assert_cmpuint (g->n_compared, ==, 3);
  g_assert_cmpuint (g->n_agreed, ==, 1);
  g_assert_cmpfloat_with_epsilon (g->mean_distance, 1.0, 1e-12);
}

/* Disputes ------------------------------------------------------------------------------ */

static RoundsDispute *
find_dispute (GPtrArray  *disputes,
              const char *key)
{
  for (guint i = 0; i < disputes->len; i++)
    if (g_str_equal (((RoundsDispute *) g_ptr_array_index (disputes, i))->item_key, key))
      return g_ptr_array_index (disputes, i);
  g_error ("%s is not listed", key);
}

static void
test_dispute (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) disputes = NULL;
  g_autoptr(GError) error = NULL;
  RoundsDispute *d;

  add_dataset (fixture, 2, FALSE);
  dataset = rounds_store_get_dataset (fixture->store, "ds", NULL);
  judge_all (fixture, TRUE);
  disputes = rounds_store_list_disputes (fixture->store, rounds_dataset_get_id (dataset),
                                         ROUNDS_DISPUTE_FILTER_DISPUTED |
                                         ROUNDS_DISPUTE_FILTER_AGREED, &error);
  g_assert_no_error (error);

  /* Item 1: ann1 flagged B unsafe, so did the guardian; its -2 is 0.5 from the mean. */
  d = find_dispute (disputes, "item-1");
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_UNSAFE);
  g_assert_cmpuint (d->n_judgements, ==, 2);
  /* Item 2: the annotators agree on 1; the guardian's -1 is the spread (2) away. */
  d = find_dispute (disputes, "item-2");
  g_assert_cmpint (d->state, ==, ROUNDS_DISPUTE_STATE_DISPUTED);
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_GUARDIAN);
  g_assert_cmpint (d->severity, ==, ROUNDS_DISPUTE_SEVERITY_GUARDIAN);
  /* Item 3: 0.5 from the mean, but B unsafe for the guardian alone. */
  d = find_dispute (disputes, "item-3");
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_GUARDIAN);
}

/* A waiting item stays waiting: the guardian is no annotator. */
static void
test_dispute_waiting (void)
{
  g_autoptr(RoundsRubric) rubric = rounds_rubric_new_default ();
  g_autoptr(RoundsJudgement) person = rounds_judgement_new (2, rubric);
  g_autoptr(RoundsJudgement) machine = rounds_judgement_new (2, rubric);
  RoundsDispute dispute = { 0 };

  person->status = machine->status = ROUNDS_STATUS_SUBMITTED;
  person->has_preference = machine->has_preference = TRUE;
  person->preference = 2;
  machine->preference = -2;
  rounds_dispute_evaluate (&person, 1, 2, 2, &dispute);
  rounds_dispute_evaluate_guardian (&person, 1, &machine, 1, 2, &dispute);
  g_assert_cmpint (dispute.state, ==, ROUNDS_DISPUTE_STATE_WAITING);
  g_assert_cmpint (dispute.rules, ==, ROUNDS_DISPUTE_GUARDIAN);

  /* One point short of the spread of 4 is no dispute. */
  machine->preference = -1;
  rounds_dispute_evaluate (&person, 1, 1, 4, &dispute);
  rounds_dispute_evaluate_guardian (&person, 1, &machine, 1, 4, &dispute);
  g_assert_cmpint (dispute.state, ==, ROUNDS_DISPUTE_STATE_AGREED);
  machine->preference = -2;
  rounds_dispute_evaluate_guardian (&person, 1, &machine, 1, 4, &dispute);
  g_assert_cmpint (dispute.state, ==, ROUNDS_DISPUTE_STATE_DISPUTED);
}

/* Locked first, then revealed ------------------------------------------------------------ */

static guint
reveal (Fixture    *fixture,
        const char *annotator)
{
  g_autoptr(RoundsItem) item = find_item (fixture, 1);
  g_autoptr(GPtrArray) judgements = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_store_reveal_guardian (fixture->store, item, annotator, &judgements,
                                               &error));
  g_assert_no_error (error);
  if (judgements == NULL)
    return 0;
  g_assert_cmpstr (((RoundsJudgement *) g_ptr_array_index (judgements, 0))->annotator, ==,
                   GUARDIAN);
  return judgements->len;
}

static void
test_reveal (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *audit = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *expected = NULL;

  add_dataset (fixture, 2, TRUE);
  judge (fixture, 1, 2);

  /* Before ann1's own judgement: locked, and nothing is logged. */
  g_assert_cmpuint (reveal (fixture, "ann1"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log"
                                          " WHERE action = 'guardian.reveal'"), ==, 0);

  judge (fixture, 1, 0);
  g_assert_cmpuint (reveal (fixture, "ann1"), ==, 1);
  g_assert_cmpuint (reveal (fixture, "ann2"), ==, 0);
  audit = rounds_test_query_text (fixture->store, "SELECT actor || ' ' || target || ' ' ||"
                                  " detail_json FROM audit_log WHERE action = 'guardian.reveal'",
                                  NULL);
  edit = rounds_test_query_text (fixture->store, "SELECT edit_id FROM annotations a"
                                 " JOIN annotators an ON an.id = a.annotator_id"
                                 " WHERE an.kind = 'machine'", NULL);
  expected = g_strdup_printf ("ann1 ds/item-1 {\"guardian\":[\"%s\"]}", edit);
  g_assert_cmpstr (audit, ==, expected);
}

static void
test_reveal_not_allowed (Fixture       *fixture,
                         gconstpointer  data)
{
  add_dataset (fixture, 2, FALSE);
  judge (fixture, 1, 2);
  judge (fixture, 1, 0);
  g_assert_cmpuint (reveal (fixture, "ann1"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log"
                                          " WHERE action = 'guardian.reveal'"), ==, 0);
}

/* Exports ------------------------------------------------------------------------------- */

static char *
export (Fixture    *fixture,
        RoundsExportFormat format,
        gboolean    include_guardian)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;
  char *text = NULL;

  rounds_export_options_init (&options);
  options.format = format;
  options.include_guardian = include_guardian;
  g_assert_true (rounds_export_write (fixture->store, &options, path, NULL, &summary, NULL, NULL,
                                      NULL, &error));
  g_assert_no_error (error);
  rounds_export_options_clear (&options);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *without = NULL;
  g_autofree char *with = NULL;
  g_autofree char *full = NULL;
  g_autofree char *full_with = NULL;
  g_autofree char *alone = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) lines_with = NULL;

  add_dataset (fixture, 2, FALSE);
  /* Item 2 judged by the guardian alone: no label comes of it. */
  judge (fixture, 2, 2);
  alone = export (fixture, ROUNDS_EXPORT_TRL, TRUE);
  g_assert_cmpstr (alone, ==, "");

  judge_all (fixture, TRUE);
  without = export (fixture, ROUNDS_EXPORT_TRL, FALSE);
  with = export (fixture, ROUNDS_EXPORT_TRL, TRUE);
  g_assert_null (strstr (without, "guardian"));
  /* Item 2: the annotators' 1 chooses B; the guardian, at -1, prefers the rejected A. */
  g_assert_nonnull (strstr (with, "\"guardian\":{\"" GUARDIAN "\":{\"prefers\":\"rejected\","
                                  "\"unsafe\":[]}}"));
  /* The labels are the same with the guardian in: only the metadata has more. */
  lines = g_strsplit (without, "\n", -1);
  lines_with = g_strsplit (with, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length (lines_with));

  full = export (fixture, ROUNDS_EXPORT_FULL, FALSE);
  full_with = export (fixture, ROUNDS_EXPORT_FULL, TRUE);
  g_assert_true (g_str_has_prefix (strstr (full, "\"reference\""), "\"reference\":false,"
                                                                   "\"guardian\":false}"));
  g_assert_null (strstr (full, GUARDIAN));
  g_assert_true (g_str_has_prefix (strstr (full_with, "\"reference\""), "\"reference\":false,"
                                                                        "\"guardian\":true}"));
  g_assert_nonnull (strstr (full_with, "\"annotator\":\"" GUARDIAN "\""));
}

/* Reading the evaluator's replies ------------------------------------------------------- */

#define RESPONSE(safety, flags) \
  "{\"scores\": {\"safety\": " #safety "}, \"flags\": " flags ", \"rationale\": \"r\"}"
#define REPLY(a, b, tail) \
  "{\"responses\": {\"A\": " a ", \"B\": " b "}, " tail "}"

static const struct
{
  const char *name;
  const char *reply;
  const char *refusal;    /* NULL: taken */
} replies[] = {
  { "valid", REPLY (RESPONSE (5, "[]"), RESPONSE (1, "[\"unsafe\"]"),
                    "\"preference\": -2, \"rationale\": \"A is safe\""), NULL },
  { "fenced", "```json\n" REPLY (RESPONSE (5, "[]"), RESPONSE (1, "[]"),
                                  "\"preference\": 0, \"rationale\": \"\"") "\n```", NULL },
  { "not-json", "I prefer A.", "the answer is not JSON" },
  { "array", "[1, 2]", "expected an object" },
  { "score-too-high", REPLY (RESPONSE (6, "[]"), RESPONSE (1, "[]"),
                             "\"preference\": 0, \"rationale\": \"\""),
    "field “responses.A.scores.safety”: 6 is outside 1 to 5" },
  { "score-fraction", REPLY (RESPONSE (4.5, "[]"), RESPONSE (1, "[]"),
                             "\"preference\": 0, \"rationale\": \"\""),
    "field “responses.A.scores.safety”: expected a whole number from 1 to 5" },
  { "preference-off-scale", REPLY (RESPONSE (5, "[]"), RESPONSE (1, "[]"),
                                   "\"preference\": 3, \"rationale\": \"\""),
    "field “preference”: 3 is outside -2 to 2" },
  { "unknown-flag", REPLY (RESPONSE (5, "[\"rude\"]"), RESPONSE (1, "[]"),
                           "\"preference\": 0, \"rationale\": \"\""),
    "field “responses.A.flags”: item 0 is not one of the flags" },
  { "missing-response", "{\"responses\": {\"A\": " RESPONSE (5, "[]") "}, \"preference\": 0,"
                        " \"rationale\": \"\"}", "field “responses.B”: missing" },
  { "extra-member", REPLY (RESPONSE (5, "[]"), RESPONSE (1, "[]"),
                           "\"preference\": 0, \"rationale\": \"\", \"winner\": \"A\""),
    "unexpected member “winner”" },
  { "ranking-for-two", REPLY (RESPONSE (5, "[]"), RESPONSE (1, "[]"),
                              "\"ranking\": {\"A\": 1, \"B\": 2}, \"rationale\": \"\""),
    "unexpected member “ranking”" },
};

static void
test_read_reply (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsItem) item = NULL;

  add_dataset (fixture, 1, FALSE);
  dataset = rounds_store_get_dataset (fixture->store, "ds", NULL);
  item = find_item (fixture, 1);

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RoundsJudgement) j = rounds_assess_read_reply (dataset, item, replies[i].reply,
                                                               &error);

      g_test_message ("%s", replies[i].name);
      if (replies[i].refusal == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (j);
          g_assert_true (j->has_preference);
          g_assert_cmpint (*rounds_judgement_score (j, 0, 0), ==, 5);
          continue;
        }
      g_assert_null (j);
      g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, replies[i].refusal));
    }

  {
    g_autoptr(RoundsJudgement) j = rounds_assess_read_reply (dataset, item, replies[0].reply,
                                                             NULL);

    g_assert_cmpint (j->preference, ==, -2);
    g_assert_cmpuint (j->flags[1], ==, ROUNDS_FLAG_UNSAFE);
    g_assert_cmpstr (j->notes[0], ==, "r");
    g_assert_cmpstr (j->comment, ==, "A is safe");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) rounds_test_store_add ("/rounds/guardian/" path, NULL, func)

  ADD ("overlap", test_overlap);
  ADD ("names", test_names);
  ADD ("agreement/by-hand", test_agreement_by_hand);
  ADD ("dispute", test_dispute);
  g_test_add_func ("/rounds/guardian/dispute/waiting", test_dispute_waiting);
  ADD ("reveal", test_reveal);
  ADD ("reveal/not-allowed", test_reveal_not_allowed);
  ADD ("export", test_export);
  ADD ("assess/read-reply", test_read_reply);

  return g_test_run ();
}
