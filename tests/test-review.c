/* test-review.c: ethics review in the store: disputes, verdicts, send-back, agreement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "rounds-error.h"
#include "rounds-importer.h"
#include "rounds-judgement-private.h"
#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

/* Helpers ----------------------------------------------------------------------------- */

/* A dataset "ds" of @n_items items "item-1"…; @n_responses gives each item's number of
 * responses, or NULL for two each. */
static RoundsDataset *
add_dataset (Fixture     *fixture,
             guint        n_items,
             const guint *n_responses,
             guint        overlap)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  RoundsDataset *dataset;

  g_string_append_printf (text,
                          "{\"type\": \"dataset\", \"id\": \"ds\", \"overlap\": %u}\n", overlap);
  for (guint i = 1; i <= n_items; i++)
    {
      guint n = n_responses ? n_responses[i - 1] : 2;

      g_string_append_printf (text,
                              "{\"type\": \"item\", \"id\": \"item-%u\", \"title\": \"Item %u\","
                              " \"scenario\": \"Scenario %u\", \"responses\": [", i, i, i);
      for (guint r = 0; r < n; r++)
        g_string_append_printf (text, "%s{\"text\": \"Response %c of item %u\"}",
                                r ? ", " : "", 'A' + r, i);
      g_string_append (text, "]}\n");
    }
  rounds_test_store_import_text (fixture->store, fixture->dir, "ds.jsonl", text->str);

  dataset = rounds_store_get_dataset (fixture->store, "ds", &error);
  g_assert_no_error (error);
  return dataset;
}

#define find_item(fixture, number) \
  rounds_test_store_find_item ((fixture)->store, "ds", "item-%u", number)

static RoundsJudgement *
new_judgement (Fixture    *fixture,
               RoundsItem *item)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsDataset) dataset =
    rounds_store_get_dataset_by_id (fixture->store, rounds_item_get_dataset_id (item), &error);
  RoundsJudgement *j;

  g_assert_no_error (error);
  j = rounds_judgement_new (rounds_item_get_n_responses (item),
                            rounds_dataset_get_rubric (dataset));
  j->status = ROUNDS_STATUS_SUBMITTED;
  return j;
}

/* Submits @annotator's preference for item @number; @accuracy scores response A's
 * accuracy when it is not negative. */
static char *
judge (Fixture    *fixture,
       guint       number,
       const char *annotator,
       int         preference,
       int         accuracy,
       guint       unsafe_flags)
{
  g_autoptr(RoundsItem) item = find_item (fixture, number);
  g_autoptr(RoundsJudgement) j = new_judgement (fixture, item);
  g_autoptr(GError) error = NULL;

  j->has_preference = TRUE;
  j->preference = preference;
  if (accuracy >= 0)
    *rounds_judgement_score (j, 0, 0) = accuracy;
  j->flags[0] = unsafe_flags;
  g_assert_true (rounds_store_save_judgement (fixture->store, item, annotator, j, &error));
  g_assert_no_error (error);
  return g_strdup (j->edit_id);
}

static char *
rank (Fixture    *fixture,
      guint       number,
      const char *annotator,
      const int  *ranks)
{
  g_autoptr(RoundsItem) item = find_item (fixture, number);
  g_autoptr(RoundsJudgement) j = new_judgement (fixture, item);
  g_autoptr(GError) error = NULL;

  for (guint r = 0; r < j->n_responses; r++)
    j->ranks[r] = ranks[r];
  g_assert_true (rounds_store_save_judgement (fixture->store, item, annotator, j, &error));
  g_assert_no_error (error);
  return g_strdup (j->edit_id);
}

static RoundsVerdict *
new_verdict (int         preference,
             const char *rationale)
{
  RoundsVerdict *v = rounds_verdict_new (2);

  v->has_preference = TRUE;
  v->preference = preference;
  v->rationale = g_strdup (rationale);
  return v;
}

/* A disputed item: overlap 2, two annotators, opposite ends of the scale. */
static void
set_up_disputed (Fixture *fixture)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, NULL, 2);
  g_autofree char *e1 = NULL;
  g_autofree char *e2 = NULL;

  rounds_test_store_add_profile (fixture->store, "ann1", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "ann2", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "rev", NULL, ROUNDS_ROLE_REVIEWER);
  rounds_test_store_add_profile (fixture->store, "rev2", NULL,
                                 ROUNDS_ROLE_REVIEWER | ROUNDS_ROLE_ANNOTATOR);
  e1 = judge (fixture, 1, "ann1", -2, -1, 0);
  e2 = judge (fixture, 1, "ann2", 2, -1, 0);
}

/* Verdicts ---------------------------------------------------------------------------- */

static void
test_verdict_save (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = new_verdict (-1, "B leaves out the Fraser guidance");
  g_autoptr(RoundsVerdict) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *expected_doc_id = NULL;
  g_autofree char *resolves_json = NULL;
  g_autofree char *expected_resolves = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *expected_audit = NULL;
  g_autofree char *first_edit = NULL;
  g_autofree char *second_edit = NULL;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);
  first_edit = rounds_test_query_text (fixture->store,
                                       "SELECT MIN (edit_id) FROM annotations", NULL);
  second_edit = rounds_test_query_text (fixture->store,
                                        "SELECT MAX (edit_id) FROM annotations", NULL);

  g_assert_null (rounds_store_get_verdict (fixture->store, item, &error));
  g_assert_no_error (error);

  verdict->models_revealed = TRUE;
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);
  g_assert_nonnull (verdict->edit_id);
  g_assert_cmpint (verdict->revision, ==, 1);
  g_assert_true (verdict->is_current);
  g_assert_cmpstr (verdict->reviewer, ==, "rev");
  g_assert_nonnull (verdict->created_at);
  /* Left unset, it resolves the judgements the reviewer saw. */
  g_assert_cmpuint (g_strv_length (verdict->resolves), ==, 2);
  g_assert_cmpstr (verdict->resolves[0], ==, first_edit);
  g_assert_cmpstr (verdict->resolves[1], ==, second_edit);

  /* One immutable row with the document id the curation store uses, in the outbox. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM adjudications "
                                                          "WHERE is_current = 1 AND synced = 0"
                                              " AND origin = 'local' AND preference = -1 "
                                              "AND models_revealed = 1"
                                              " AND ranking_json IS NULL"), ==, 1);
  doc_id = rounds_test_query_text (fixture->store, "SELECT doc_id FROM adjudications", NULL);
  expected_doc_id = g_strdup_printf ("verdict:ds:item-1:rev:%s", verdict->edit_id);
  g_assert_cmpstr (doc_id, ==, expected_doc_id);
  resolves_json = rounds_test_query_text (fixture->store,
                                          "SELECT resolves_json FROM adjudications", NULL);
  expected_resolves = g_strdup_printf ("[\"%s\",\"%s\"]", first_edit, second_edit);
  g_assert_cmpstr (resolves_json, ==, expected_resolves);

  audit = rounds_test_query_text (fixture->store,
                                  "SELECT actor || ' ' || action || ' ' || target "
                                  "|| ' ' || detail_json"
                                  " FROM audit_log WHERE action LIKE 'verdict.%'", NULL);
  expected_audit = g_strdup_printf ("rev verdict.submit ds/item-1 {\"edit\":\"%s\",\"revision\":1}",
                                    verdict->edit_id);
  g_assert_cmpstr (audit, ==, expected_audit);

  current = rounds_store_get_verdict (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_nonnull (current);
  g_assert_cmpstr (current->edit_id, ==, verdict->edit_id);
  g_assert_cmpint (current->revision, ==, 1);
  g_assert_true (current->has_preference);
  g_assert_cmpint (current->preference, ==, -1);
  g_assert_false (current->unacceptable);
  g_assert_true (current->models_revealed);
  g_assert_true (current->is_current);
  g_assert_cmpstr (current->rationale, ==, "B leaves out the Fraser guidance");
  g_assert_cmpstr (current->reviewer, ==, "rev");
  g_assert_cmpstr (current->created_at, ==, verdict->created_at);
  g_assert_cmpuint (g_strv_length (current->resolves), ==, 2);
  g_assert_cmpstr (current->resolves[0], ==, first_edit);
}

static void
test_verdict_revise (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) first = new_verdict (-1, "A is safer");
  g_autoptr(RoundsVerdict) second = new_verdict (0, "On reflection, a tie");
  g_autoptr(RoundsVerdict) third = new_verdict (1, "A second reviewer prefers B");
  g_autoptr(RoundsVerdict) current = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *expected_audit = NULL;
  const char *only_one[] = { "some-edit", NULL };

  set_up_disputed (fixture);
  item = find_item (fixture, 1);

  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", first, &error));
  g_assert_no_error (error);
  second->resolves = g_strdupv ((char **) only_one);
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (second->revision, ==, 2);
  g_assert_cmpstr (second->edit_id, !=, first->edit_id);
  g_assert_cmpstr (second->resolves[0], ==, "some-edit");
  g_assert_null (second->resolves[1]);

  audit = rounds_test_query_text (fixture->store,
                                  "SELECT actor || ' ' || action || ' ' || "
                                  "detail_json FROM audit_log"
                                  " WHERE action LIKE 'verdict.%' ORDER BY id DESC LIMIT 1", NULL);
  expected_audit = g_strdup_printf ("rev verdict.revise "
                                    "{\"edit\":\"%s\",\"revision\":2,\"previous_edit\":\"%s\"}",
                                    second->edit_id, first->edit_id);
  g_assert_cmpstr (audit, ==, expected_audit);

  /* Another reviewer's verdict is the newest edit of the item, so it is current. */
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev2", third, &error));
  g_assert_no_error (error);
  g_assert_cmpint (third->revision, ==, 3);

  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM adjudications "
                                                          "WHERE is_current = 1"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log WHERE "
                                                          "action = 'verdict.revise'"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log WHERE "
                                                          "action = 'verdict.submit'"), ==, 1);

  current = rounds_store_get_verdict (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current->edit_id, ==, third->edit_id);
  g_assert_cmpstr (current->reviewer, ==, "rev2");

  history = rounds_store_list_verdicts (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      RoundsVerdict *v = g_ptr_array_index (history, i);

      g_assert_cmpint (v->revision, ==, (int) i + 1);
      g_assert_cmpint (v->preference, ==, (int) i - 1);
      g_assert_true (v->is_current == (i == 2));
    }
  g_assert_cmpstr (((RoundsVerdict *) g_ptr_array_index (history, 0))->rationale, ==, "A is safer");
  g_assert_cmpstr (((RoundsVerdict *) g_ptr_array_index (history, 1))->reviewer, ==, "rev");
}

static const char * const blank_rationales[] = { NULL, "", "  \n\t " };

static void
test_verdict_rationale_required (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);

  for (guint i = 0; i < G_N_ELEMENTS (blank_rationales); i++)
    {
      g_autoptr(RoundsVerdict) verdict = new_verdict (-1, blank_rationales[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
      g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE);
      g_assert_null (verdict->edit_id);
    }
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log WHERE "
                                                          "action LIKE 'verdict.%'"), ==, 0);
}

/* An optional corrected rubric is kept with the verdict; one off the rubric is refused. */
static const char * const bad_corrections[] = {
  "[{\"accuracy\": 4}]",                          /* one response of two */
  "[{\"accuracy\": 9}, {}]",                      /* off the 1–5 scale */
  "[{\"bedside-manner\": 3}, {}]",                /* not a criterion of the rubric */
  "[{\"accuracy\": \"high\"}, {}]",             /* not an integer */
  "[{\"accuracy\": {\"x\": 1}}, {}]",           /* not a value */
  "not json",
};

static void
test_verdict_corrected_rubric (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(RoundsVerdict) stored = NULL;
  g_autoptr(GError) error = NULL;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad_corrections); i++)
    {
      g_autoptr(RoundsVerdict) bad = new_verdict (-1, "A is safer");
      g_autoptr(GError) bad_error = NULL;

      bad->scores_json = g_strdup (bad_corrections[i]);
      g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", bad, &bad_error));
      g_assert_error (bad_error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 0);

  verdict = new_verdict (-1, "A is safer; B misses the dose ceiling");
  verdict->scores_json = g_strdup ("[{\"accuracy\":5,\"safety\":5},{\"accuracy\":2,\"safety\":1}]");
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);
  stored = rounds_store_get_verdict (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->scores_json, ==,
                   "[{\"accuracy\":5,\"safety\":5},{\"accuracy\":2,\"safety\":1}]");
}

static void
test_verdict_decision_required (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) undecided = new_verdict (0, "Not sure");
  g_autoptr(RoundsVerdict) off_scale = new_verdict (3, "Far better");
  g_autoptr(RoundsVerdict) unacceptable = new_verdict (0, "Both advise something harmful");
  g_autoptr(RoundsVerdict) current = NULL;
  g_autoptr(GError) error = NULL;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);

  undecided->has_preference = FALSE;
  g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", undecided, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE);
  g_clear_error (&error);

  g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", off_scale, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  unacceptable->has_preference = FALSE;
  unacceptable->unacceptable = TRUE;
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", unacceptable, &error));
  g_assert_no_error (error);
  current = rounds_store_get_verdict (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_true (current->unacceptable);
  g_assert_false (current->has_preference);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 1);
}

static void
test_verdict_reviewer_role (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = new_verdict (-1, "A is right");
  g_autoptr(GError) error = NULL;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);

  g_assert_false (rounds_store_save_verdict (fixture->store, item, "ann1", verdict, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rounds_store_save_verdict (fixture->store, item, "nobody", verdict, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM adjudications"), ==, 0);
}

static void
test_verdict_ranking (Fixture       *fixture,
                      gconstpointer  data)
{
  static const guint n_responses[] = { 3 };
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 1, n_responses, 1);
  g_autoptr(RoundsItem) item = find_item (fixture, 1);
  g_autoptr(RoundsVerdict) verdict = rounds_verdict_new (3);
  g_autoptr(RoundsVerdict) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ranking = NULL;

  rounds_test_store_add_profile (fixture->store, "rev", NULL, ROUNDS_ROLE_REVIEWER);
  verdict->rationale = g_strdup ("B is the only one that asks about allergies");

  verdict->ranks[0] = 2;
  verdict->ranks[1] = 1;
  g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE);
  g_clear_error (&error);

  verdict->ranks[2] = 4;
  g_assert_false (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  verdict->ranks[2] = 3;
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);
  ranking = rounds_test_query_text (fixture->store, "SELECT ranking_json FROM adjudications", NULL);
  g_assert_cmpstr (ranking, ==, "[2,1,3]");
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT preference IS NULL FROM adjudications"), ==, 1);
  /* Nobody judged it yet: it resolves nothing. */
  g_assert_cmpuint (g_strv_length (verdict->resolves), ==, 0);

  current = rounds_store_get_verdict (fixture->store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpint (current->ranks[0], ==, 2);
  g_assert_cmpint (current->ranks[1], ==, 1);
  g_assert_cmpint (current->ranks[2], ==, 3);
}

static void
test_verdict_immutable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = new_verdict (-1, "A is right");
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  set_up_disputed (fixture);
  item = find_item (fixture, 1);
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);

  db = _rounds_store_get_db (fixture->store);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE adjudications SET rationale = 'changed'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM adjudications", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM adjudications "
                                                          "WHERE rationale = 'A is right'"), ==, 1);
}

/* Send back --------------------------------------------------------------------------- */

static void
test_send_back (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsItem) next = NULL;
  g_autoptr(RoundsItem) reloaded = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *audit = NULL;
  gint64 audit_rows;

  set_up_disputed (fixture);
  rounds_test_store_add_profile (fixture->store, "ann3", NULL, ROUNDS_ROLE_ANNOTATOR);
  item = find_item (fixture, 1);

  /* Two of two have judged it: nobody else's queue has it. */
  next = rounds_store_next_item (fixture->store, rounds_item_get_dataset_id (item), "ann3", &error);
  g_assert_no_error (error);
  g_assert_null (next);

  g_assert_true (rounds_store_send_back (fixture->store, item, 3, "rev", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_item_get_overlap (item), ==, 3);
  reloaded = find_item (fixture, 1);
  g_assert_cmpuint (rounds_item_get_overlap (reloaded), ==, 3);

  audit = rounds_test_query_text (fixture->store,
                                  "SELECT actor || ' ' || action || ' ' || target "
                                  "|| ' ' || detail_json"
                                  " FROM audit_log WHERE action = 'item.send-back'", NULL);
  g_assert_cmpstr (audit, ==,
                   "rev item.send-back ds/item-1 {\"overlap\":3,\"previous_overlap\":2}");

  next = rounds_store_next_item (fixture->store, rounds_item_get_dataset_id (item), "ann3", &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpstr (rounds_item_get_key (next), ==, "item-1");

  /* Now it waits for the third judgement instead of being disputed. */
  waiting = rounds_store_list_disputes (fixture->store, rounds_item_get_dataset_id (item),
                                        ROUNDS_DISPUTE_FILTER_WAITING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpint (((RoundsDispute *) g_ptr_array_index (waiting, 0))->state, ==,
                   ROUNDS_DISPUTE_STATE_WAITING);
  g_assert_cmpuint (((RoundsDispute *) g_ptr_array_index (waiting, 0))->overlap, ==, 3);

  audit_rows = rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log");
  g_assert_false (rounds_store_send_back (fixture->store, item, 3, "rev", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rounds_store_send_back (fixture->store, item, 51, "rev", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log"),
                   ==, audit_rows);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT overlap FROM items"), ==, 3);
}

/* Disputes ---------------------------------------------------------------------------- */

/* Six items, overlap 2: agreed, opposite, unsafe, spread, waiting, rubric. */
static gint64
set_up_disputes (Fixture *fixture)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 6, NULL, 2);
  static const struct {
    guint item;
    const char *who;
    int preference;
    int accuracy;
    guint flags;
  } judgements[] = {
    { 1, "ann1", -1, -1, 0 }, { 1, "ann2", -2, -1, 0 },
    { 2, "ann1", -1, -1, 0 }, { 2, "ann2",  1, -1, 0 },
    { 3, "ann1",  0, -1, 0 }, { 3, "ann2",  0, -1, ROUNDS_FLAG_UNSAFE },
    { 4, "ann1",  0, -1, 0 }, { 4, "ann2",  2, -1, 0 },
    { 5, "ann1", -2, -1, ROUNDS_FLAG_UNSAFE },
    { 6, "ann1",  1,  5, 0 }, { 6, "ann2",  1,  1, 0 },
  };

  rounds_test_store_add_profile (fixture->store, "ann1", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "ann2", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "rev", NULL, ROUNDS_ROLE_REVIEWER);
  for (guint i = 0; i < G_N_ELEMENTS (judgements); i++)
    g_free (judge (fixture, judgements[i].item, judgements[i].who, judgements[i].preference,
                   judgements[i].accuracy, judgements[i].flags));
  return rounds_dataset_get_id (dataset);
}

static void
assert_keys (GPtrArray  *disputes,
             const char *expected)
{
  g_autoptr(GString) keys = g_string_new (NULL);

  for (guint i = 0; i < disputes->len; i++)
    {
      RoundsDispute *d = g_ptr_array_index (disputes, i);

      g_string_append_printf (keys, "%s%s", i ? " " : "", d->item_key);
    }
  g_assert_cmpstr (keys->str, ==, expected);
}

static void
test_disputes_list (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 dataset_id = set_up_disputes (fixture);
  g_autoptr(GPtrArray) disputed = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) agreed = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = new_verdict (0, "Both are defensible");
  g_autoptr(GError) error = NULL;
  RoundsDispute *d;

  disputed = rounds_store_list_disputes (fixture->store, dataset_id, 0, &error);
  g_assert_no_error (error);
  /* Safety first, then opposite directions, then spread, then rubric. */
  assert_keys (disputed, "item-3 item-2 item-4 item-6");

  d = g_ptr_array_index (disputed, 0);
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_UNSAFE);
  g_assert_cmpstr (d->title, ==, "Item 3");
  g_assert_cmpuint (d->n_judgements, ==, 2);
  g_assert_cmpuint (d->n_safety, ==, 1);
  g_assert_false (d->has_verdict);
  d = g_ptr_array_index (disputed, 1);
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_DIRECTION | ROUNDS_DISPUTE_SPREAD);
  d = g_ptr_array_index (disputed, 2);
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_SPREAD);
  g_assert_cmpint (d->spread, ==, 2);
  d = g_ptr_array_index (disputed, 3);
  g_assert_cmpint (d->rules, ==, ROUNDS_DISPUTE_RUBRIC);
  g_assert_cmpint (d->rubric_gap, ==, 4);

  waiting = rounds_store_list_disputes (fixture->store, dataset_id,
                                        ROUNDS_DISPUTE_FILTER_WAITING, &error);
  g_assert_no_error (error);
  assert_keys (waiting, "item-5");
  g_assert_cmpint (((RoundsDispute *) g_ptr_array_index (waiting, 0))->rules, ==,
                   ROUNDS_DISPUTE_UNSAFE);

  agreed = rounds_store_list_disputes (fixture->store, dataset_id,
                                       ROUNDS_DISPUTE_FILTER_AGREED, &error);
  g_assert_no_error (error);
  assert_keys (agreed, "item-1");

  item = find_item (fixture, 2);
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);

  after = rounds_store_list_disputes (fixture->store, dataset_id,
                                      ROUNDS_DISPUTE_FILTER_DISPUTED, &error);
  g_assert_no_error (error);
  assert_keys (after, "item-3 item-2 item-4 item-6");
  g_assert_true (((RoundsDispute *) g_ptr_array_index (after, 1))->has_verdict);

  unresolved = rounds_store_list_disputes (fixture->store, dataset_id,
                                           ROUNDS_DISPUTE_FILTER_DISPUTED |
                                           ROUNDS_DISPUTE_FILTER_WAITING |
                                           ROUNDS_DISPUTE_FILTER_UNRESOLVED, &error);
  g_assert_no_error (error);
  assert_keys (unresolved, "item-3 item-4 item-6 item-5");
}

/* Only the current edit of each annotator counts, and only if it is a submission. */
static void
test_disputes_current_edits (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 dataset_id = set_up_disputes (fixture);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) revised = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) skip = NULL;
  g_autoptr(GError) error = NULL;

  before = rounds_store_list_disputes (fixture->store, dataset_id, 0, &error);
  g_assert_no_error (error);
  assert_keys (before, "item-3 item-2 item-4 item-6");

  /* ann2 comes round to ann1's view of item 2. */
  g_free (judge (fixture, 2, "ann2", -1, -1, 0));
  revised = rounds_store_list_disputes (fixture->store, dataset_id, 0, &error);
  g_assert_no_error (error);
  assert_keys (revised, "item-3 item-4 item-6");

  /* ann2 withdraws from item 4: it waits for another annotator. */
  item = find_item (fixture, 4);
  skip = new_judgement (fixture, item);
  skip->status = ROUNDS_STATUS_SKIPPED;
  skip->skip_reason = g_strdup ("not my field");
  g_assert_true (rounds_store_save_judgement (fixture->store, item, "ann2", skip, &error));
  g_assert_no_error (error);
  skipped = rounds_store_list_disputes (fixture->store, dataset_id,
                                        ROUNDS_DISPUTE_FILTER_WAITING, &error);
  g_assert_no_error (error);
  assert_keys (skipped, "item-5 item-4");    /* item 5 has a safety flag */
}

/* Rubric scores as the store writes them are read without json-glib (a review reads tens of
 * thousands at once) and read as json-glib reads them; anything else is left to json-glib,
 * untouched. */
static void
test_scores_from_json (void)
{
  static const struct
  {
    const char *json;
    gboolean    fast;     /* read by the fast path */
    gboolean    read;     /* read at all, by one or the other */
    int         scores[4];    /* accuracy and safety of A, then of B; -1 unset */
  } cases[] = {
    { "[{\"accuracy\":4,\"safety\":2},{\"safety\":5}]", TRUE, TRUE, { 4, 2, -1, 5 } },
    { " [ { \"accuracy\" : 3 , \"unknown\" : 1 } , { } ] ", TRUE, TRUE, { 3, -1, -1, -1 } },
    { "[{\"accuracy\":1,\"accuracy\":2}]", TRUE, TRUE, { 2, -1, -1, -1 } },
    { "[{\"accuracy\":-3},{\"safety\":3},{\"safety\":4}]", TRUE, TRUE, { -3, -1, -1, 3 } },
    { "[{\"accuracy\":1},{\"ethics\":2}]", TRUE, TRUE, { 1, -1, -1, -1 } },
    { "[]", TRUE, TRUE, { -1, -1, -1, -1 } },
    /* json-glib's to read */
    { "[{\"accuracy\":4.0}]", FALSE, TRUE, { 4, -1, -1, -1 } },
    { "[{\"acc\\u0075racy\":4}]", FALSE, TRUE, { 4, -1, -1, -1 } },
    { "[null,{\"safety\":2}]", FALSE, TRUE, { -1, -1, -1, 2 } },
    /* Not JSON: nothing is read */
    { "[{\"accuracy\":4,}]", FALSE, FALSE, { -1, -1, -1, -1 } },
    { "[{\"accuracy\":4}", FALSE, FALSE, { -1, -1, -1, -1 } },
    { "[{\"accuracy\":4} {\"safety\":1}]", FALSE, FALSE, { -1, -1, -1, -1 } },
    { "[{\"accuracy\" 4}]", FALSE, FALSE, { -1, -1, -1, -1 } },
    { "[{\"accuracy\":4}] x", FALSE, FALSE, { -1, -1, -1, -1 } },
  };
  g_autoptr(RoundsRubric) rubric = rounds_rubric_new_default ();
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  int accuracy = rounds_rubric_find (rubric, "accuracy");
  int safety = rounds_rubric_find (rubric, "safety");

  g_assert_cmpint (accuracy, >=, 0);
  g_assert_cmpint (safety, >=, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RoundsJudgement) fast = rounds_judgement_new (2, rubric);
      g_autoptr(RoundsJudgement) read = rounds_judgement_new (2, rubric);

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (_rounds_judgement_scores_from_json (fast, cases[i].json), ==,
                       cases[i].fast);
      _rounds_judgement_fill_from_json (read, NULL, cases[i].json, NULL, NULL, NULL);
      for (guint r = 0; r < 2; r++)
        {
          int *scores = cases[i].fast ? fast->scores : read->scores;

          g_assert_cmpint (scores[r * n_criteria + (guint) accuracy], ==,
                           cases[i].scores[2 * r]);
          g_assert_cmpint (scores[r * n_criteria + (guint) safety], ==,
                           cases[i].scores[2 * r + 1]);
        }
      /* Refused: untouched; read: the same either way. */
      for (guint s = 0; s < 2 * n_criteria; s++)
        {
          g_assert_cmpint (fast->scores[s], ==, cases[i].fast ? read->scores[s] : -1);
          if (!cases[i].read)
            g_assert_cmpint (read->scores[s], ==, -1);
        }
    }
}

static void
test_current_judgements (Fixture       *fixture,
                         gconstpointer  data)
{
  static const guint n_responses[] = { 2, 3, 2 };
  static const int ranks[] = { 3, 1, 2 };
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 3, n_responses, 2);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_edit = NULL;
  g_autofree char *new_edit = NULL;
  g_autofree char *ranked_edit = NULL;
  RoundsItemJudgements *first, *second, *third;
  RoundsJudgement *j;

  rounds_test_store_add_profile (fixture->store, "zoe", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "amir", NULL, ROUNDS_ROLE_ANNOTATOR);
  old_edit = judge (fixture, 1, "zoe", 2, 4, 0);
  new_edit = judge (fixture, 1, "zoe", -1, 3, 0);
  g_free (judge (fixture, 1, "amir", 1, -1, ROUNDS_FLAG_UNSAFE));
  ranked_edit = rank (fixture, 2, "amir", ranks);

  items = rounds_store_list_current_judgements (fixture->store,
                                                rounds_dataset_get_id (dataset), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);

  first = g_ptr_array_index (items, 0);
  g_assert_cmpstr (first->item_key, ==, "item-1");
  g_assert_cmpstr (first->title, ==, "Item 1");
  g_assert_cmpuint (first->overlap, ==, 2);
  g_assert_cmpuint (first->n_responses, ==, 2);
  g_assert_cmpuint (first->judgements->len, ==, 2);
  j = g_ptr_array_index (first->judgements, 0);      /* by user name: amir, then zoe */
  g_assert_cmpstr (j->annotator, ==, "amir");
  g_assert_cmpint (j->flags[0], ==, ROUNDS_FLAG_UNSAFE);
  j = g_ptr_array_index (first->judgements, 1);
  g_assert_cmpstr (j->annotator, ==, "zoe");
  g_assert_cmpstr (j->edit_id, ==, new_edit);        /* the current edit, not the first */
  g_assert_cmpint (j->preference, ==, -1);
  g_assert_cmpint (j->revision, ==, 2);
  g_assert_cmpint (*rounds_judgement_score (j, 0, 0), ==, 3);

  second = g_ptr_array_index (items, 1);
  g_assert_cmpuint (second->n_responses, ==, 3);
  g_assert_cmpuint (second->judgements->len, ==, 1);
  j = g_ptr_array_index (second->judgements, 0);
  g_assert_cmpstr (j->edit_id, ==, ranked_edit);
  g_assert_cmpint (j->ranks[0], ==, 3);
  g_assert_cmpint (j->ranks[1], ==, 1);
  g_assert_cmpint (j->ranks[2], ==, 2);

  third = g_ptr_array_index (items, 2);
  g_assert_cmpstr (third->item_key, ==, "item-3");
  g_assert_cmpuint (third->judgements->len, ==, 0);
}

/* Agreement --------------------------------------------------------------------------- */

/* Krippendorff (2011), section C, through the store: observers are annotators, units are
 * items, and value v is the preference v - 3 on the 5-point scale and the accuracy score v
 * of response A. Ordinal and interval alpha do not change under a shift, so the published
 * 0.815 and 0.849 must come back. */
static const int kripp[4][12] = {
  { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
  { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
  { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
  { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};
static const char * const observers[] = { "obs-a", "obs-b", "obs-c", "obs-d" };

static void
set_up_krippendorff (Fixture *fixture)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 12, NULL, 4);

  for (guint o = 0; o < 4; o++)
    rounds_test_store_add_profile (fixture->store, observers[o], NULL, ROUNDS_ROLE_ANNOTATOR);
  for (guint o = 0; o < 4; o++)
    for (guint u = 0; u < 12; u++)
      if (kripp[o][u] > 0)
        g_free (judge (fixture, u + 1, observers[o], kripp[o][u] - 3, kripp[o][u], 0));
}

static void
check_krippendorff_report (RoundsAgreementReport *report)
{
  /* Pairs of observers on their common items; kappa and alpha worked out independently
   * from the definitions in exact arithmetic. */
  static const struct { const char *a, *b; guint n; double kappa_linear, kappa_quadratic,
                        alpha; } pairs[] = {
    { "obs-a", "obs-b",  9, 0.8941176470588236, 0.9395973154362416, 0.9229024943310657 },
    { "obs-a", "obs-c",  8, 0.5,                0.5384615384615384, 0.53125 },
    { "obs-a", "obs-d",  9, 0.7157894736842105, 0.5524861878453039, 0.5886419753086419 },
    { "obs-b", "obs-c",  9, 0.7157894736842105, 0.8571428571428571, 0.7832952815829528 },
    { "obs-b", "obs-d", 10, 0.855072463768116,  0.8709677419354839, 0.876781425140112 },
    { "obs-c", "obs-d", 10, 0.7727272727272727, 0.8920863309352518, 0.8838129496402878 },
  };

  g_assert_cmpuint (report->n_items, ==, 12);
  g_assert_cmpuint (report->n_judgements, ==, 41);
  g_assert_cmpuint (report->n_annotators, ==, 4);

  g_assert_cmpint (report->preference.alpha.status, ==, ROUNDS_ALPHA_OK);
  g_assert_cmpfloat_with_epsilon (report->preference.alpha.alpha, 0.8153875037548813, 1e-12);
  g_assert_cmpfloat_with_epsilon (round (report->preference.alpha.alpha * 1000) / 1000,
                                  0.815, 1e-9);
  g_assert_cmpuint (report->preference.n_items, ==, 11);
  g_assert_cmpuint (report->preference.alpha.n_units, ==, 11);
  g_assert_cmpuint (report->preference.alpha.n_values, ==, 40);

  /* Nominal on the sign of v - 3. */
  g_assert_cmpfloat_with_epsilon (report->direction.alpha.alpha, 0.7815126050420168, 1e-12);
  g_assert_cmpuint (report->direction.n_items, ==, 11);

  g_assert_cmpint (report->ranking.alpha.status, ==, ROUNDS_ALPHA_NO_PAIRABLE_VALUES);
  g_assert_true (isnan (report->ranking.alpha.alpha));
  g_assert_cmpuint (report->ranking.n_items, ==, 0);

  g_assert_cmpuint (report->criteria->len, ==, 6);
  for (guint c = 0; c < report->criteria->len; c++)
    {
      RoundsCriterionAgreement *criterion = &g_array_index (report->criteria,
                                                            RoundsCriterionAgreement, c);

      if (c == 0)
        {
          g_assert_cmpstr (criterion->id, ==, "accuracy");
          g_assert_cmpfloat_with_epsilon (criterion->measure.alpha.alpha,
                                          0.8491071428571428, 1e-12);
          g_assert_cmpuint (criterion->measure.n_items, ==, 11);
          g_assert_cmpuint (criterion->measure.alpha.n_units, ==, 11);
        }
      else
        {
          g_assert_cmpint (criterion->measure.alpha.status, ==, ROUNDS_ALPHA_NO_PAIRABLE_VALUES);
          g_assert_cmpuint (criterion->measure.n_items, ==, 0);
        }
    }

  g_assert_cmpuint (report->pairs->len, ==, G_N_ELEMENTS (pairs));
  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      RoundsPairAgreement *pair = &g_array_index (report->pairs, RoundsPairAgreement, p);

      g_assert_cmpstr (pair->annotator_a, ==, pairs[p].a);
      g_assert_cmpstr (pair->annotator_b, ==, pairs[p].b);
      g_assert_cmpuint (pair->n_items, ==, pairs[p].n);
      g_assert_cmpuint (pair->alpha.n_units, ==, pairs[p].n);
      g_assert_cmpfloat_with_epsilon (pair->kappa_linear, pairs[p].kappa_linear, 1e-12);
      g_assert_cmpfloat_with_epsilon (pair->kappa_quadratic, pairs[p].kappa_quadratic, 1e-12);
      g_assert_cmpfloat_with_epsilon (pair->alpha.alpha, pairs[p].alpha, 1e-12);
    }
}

static void
test_agreement_krippendorff (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  set_up_krippendorff (fixture);
  dataset = rounds_store_get_dataset (fixture->store, "ds", &error);
  g_assert_no_error (error);

  g_assert_true (rounds_store_compute_agreement (fixture->store, rounds_dataset_get_id (dataset),
                                                 &report, &error));
  g_assert_no_error (error);
  check_krippendorff_report (report);
}

/* Items with three responses: ranks per response (ordinal), direction per pair (nominal). */
static void
test_agreement_ranking (Fixture       *fixture,
                        gconstpointer  data)
{
  static const guint n_responses[] = { 3, 3, 3 };
  static const int ranks[3][2][3] = {
    { { 1, 2, 3 }, { 1, 2, 3 } },
    { { 1, 2, 3 }, { 2, 1, 3 } },
    { { 3, 2, 1 }, { 3, 1, 2 } },
  };
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 3, n_responses, 2);
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(RoundsReliability) expected_ranks = rounds_reliability_new ();
  g_autoptr(RoundsReliability) expected_direction = rounds_reliability_new ();
  g_autoptr(GError) error = NULL;
  RoundsAlphaResult ranks_alpha, direction_alpha;

  rounds_test_store_add_profile (fixture->store, "ann1", NULL, ROUNDS_ROLE_ANNOTATOR);
  rounds_test_store_add_profile (fixture->store, "ann2", NULL, ROUNDS_ROLE_ANNOTATOR);
  for (guint i = 0; i < 3; i++)
    for (guint a = 0; a < 2; a++)
      {
        guint p = 0;

        g_free (rank (fixture, i + 1, a ? "ann2" : "ann1", ranks[i][a]));
        for (guint r = 0; r < 3; r++)
          rounds_reliability_add (expected_ranks, i * 10 + r, a, ranks[i][a][r]);
        for (guint r = 0; r < 3; r++)
          for (guint s = r + 1; s < 3; s++, p++)
            rounds_reliability_add (expected_direction, i * 10 + p, a,
                                    (ranks[i][a][r] > ranks[i][a][s]) -
                                    (ranks[i][a][r] < ranks[i][a][s]));
      }
  g_assert_true (rounds_alpha_compute (expected_ranks, ROUNDS_METRIC_ORDINAL,
                                       &ranks_alpha, &error));
  g_assert_true (rounds_alpha_compute (expected_direction, ROUNDS_METRIC_NOMINAL,
                                       &direction_alpha, &error));
  g_assert_no_error (error);

  g_assert_true (rounds_store_compute_agreement (fixture->store, rounds_dataset_get_id (dataset),
                                                 &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->ranking.n_items, ==, 3);
  g_assert_cmpuint (report->ranking.alpha.n_units, ==, 9);
  g_assert_cmpfloat_with_epsilon (report->ranking.alpha.alpha, ranks_alpha.alpha, 1e-12);
  g_assert_cmpuint (report->direction.n_items, ==, 3);
  g_assert_cmpuint (report->direction.alpha.n_units, ==, 9);
  g_assert_cmpfloat_with_epsilon (report->direction.alpha.alpha, direction_alpha.alpha, 1e-12);
  g_assert_cmpint (report->preference.alpha.status, ==, ROUNDS_ALPHA_NO_PAIRABLE_VALUES);
  g_assert_cmpuint (report->pairs->len, ==, 0);
}

static void
test_agreement_empty (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = add_dataset (fixture, 2, NULL, 2);
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_store_compute_agreement (fixture->store, rounds_dataset_get_id (dataset),
                                                 &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_items, ==, 0);
  g_assert_cmpint (report->preference.alpha.status, ==, ROUNDS_ALPHA_NO_PAIRABLE_VALUES);
  g_assert_cmpuint (report->pairs->len, ==, 0);

  g_clear_pointer (&report, rounds_agreement_report_free);
  g_assert_false (rounds_store_compute_agreement (fixture->store, 999, &report, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND);
  g_assert_null (report);
}

/* In a thread --------------------------------------------------------------------------- */

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GAsyncResult) disputes_result = NULL;
  g_autoptr(GAsyncResult) agreement_result = NULL;
  g_autoptr(GAsyncResult) missing_result = NULL;
  g_autoptr(GPtrArray) disputes = NULL;
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(RoundsAgreementReport) missing = NULL;
  g_autoptr(GError) error = NULL;

  set_up_krippendorff (fixture);
  dataset = rounds_store_get_dataset (fixture->store, "ds", &error);
  g_assert_no_error (error);

  rounds_review_list_disputes_async (fixture->path, rounds_dataset_get_id (dataset), 0, NULL,
                                     got_result, &disputes_result);
  rounds_review_compute_agreement_async (fixture->path, rounds_dataset_get_id (dataset), NULL,
                                         got_result, &agreement_result);
  rounds_review_compute_agreement_async (fixture->path, 999, NULL, got_result, &missing_result);

  disputes = rounds_review_list_disputes_finish (wait_for (&disputes_result), &error);
  g_assert_no_error (error);
  /* Overlap 4: of the units all four observers coded, only unit 6 disagrees. */
  assert_keys (disputes, "item-6");
  g_assert_cmpint (((RoundsDispute *) g_ptr_array_index (disputes, 0))->rules, ==,
                   ROUNDS_DISPUTE_DIRECTION | ROUNDS_DISPUTE_SPREAD | ROUNDS_DISPUTE_RUBRIC);

  report = rounds_review_compute_agreement_finish (wait_for (&agreement_result), &error);
  g_assert_no_error (error);
  check_krippendorff_report (report);

  missing = rounds_review_compute_agreement_finish (wait_for (&missing_result), &error);
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) rounds_test_store_add ("/rounds/review/" path, NULL, func)

  ADD ("verdict/save", test_verdict_save);
  ADD ("verdict/revise", test_verdict_revise);
  ADD ("verdict/rationale-required", test_verdict_rationale_required);
  ADD ("verdict/decision-required", test_verdict_decision_required);
  ADD ("verdict/corrected-rubric", test_verdict_corrected_rubric);
  ADD ("verdict/reviewer-role", test_verdict_reviewer_role);
  ADD ("verdict/ranking", test_verdict_ranking);
  ADD ("verdict/immutable", test_verdict_immutable);
  ADD ("send-back", test_send_back);
  ADD ("disputes/list", test_disputes_list);
  ADD ("disputes/current-edits-only", test_disputes_current_edits);
  ADD ("current-judgements", test_current_judgements);
  g_test_add_func ("/rounds/review/scores-from-json", test_scores_from_json);
  ADD ("agreement/krippendorff-2011", test_agreement_krippendorff);
  ADD ("agreement/ranking", test_agreement_ranking);
  ADD ("agreement/empty", test_agreement_empty);
  ADD ("async", test_async);

  return g_test_run ();
}
