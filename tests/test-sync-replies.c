/* test-sync-replies.c: sync runs against scripted server answers with members of the wrong
 * type, through the transport that tests put in place of the network
 *
 * No server can be made to answer so, which is why these are scripted: a proxy, a peer
 * client or another tool can. Each wrong-typed document is refused, named and counted, the
 * run goes on with the rest, and no GLib critical is logged (the tests run with
 * G_DEBUG=fatal-warnings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "rounds-couch-private.h"
#include "rounds-sync.h"
#include "rounds-test-util.h"

#define USER "dr-lin"

static const char dataset_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Clinical ethics\"}\n"
  "{\"id\": \"c1\", \"scenario\": \"A 16-year-old asks for contraception.\","
  " \"responses\": [{\"id\": \"a\", \"text\": \"Assess competence.\"},"
  " {\"id\": \"b\", \"text\": \"Tell the parents.\"}]}\n"
  "{\"id\": \"c2\", \"scenario\": \"Disclosure.\","
  " \"responses\": [{\"id\": \"a\", \"text\": \"Tell.\"}, {\"id\": \"b\", \"text\": \"Wait.\"}]}\n";

/* The answers of a run, in the order of its requests, and the requests seen. */
typedef struct
{
  GPtrArray  *answers;     /* "STATUS BODY" */
  guint       next;
  GPtrArray  *requests;    /* "METHOD PATH" */
} Script;

static gboolean
answer (const char *method,
        const char *url,
        const char *body,
        guint      *status,
        GString    *response,
        gpointer    user_data)
{
  Script *script = user_data;
  const char *line;

  g_ptr_array_add (script->requests,
                   g_strdup_printf ("%s %s", method, strstr (url, "/fuzz") ? strstr (url, "/fuzz")
                                                                           : url));
  g_assert_cmpuint (script->next, <, script->answers->len);
  line = g_ptr_array_index (script->answers, script->next++);
  *status = (guint) g_ascii_strtoull (line, NULL, 10);
  g_string_append (response, line + 4);
  return TRUE;
}

/* A curator with a dataset of two items and a judgement, none of it published yet. */
static void
set_up (RoundsTestStore *fixture,
        gconstpointer    data)
{
  rounds_test_store_set_up (fixture, data);
  rounds_test_store_sign_in (fixture->store, USER, "Dr Lin",
                             ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER | ROUNDS_ROLE_CURATOR);
  rounds_test_store_import_text (fixture->store, fixture->dir, "ethics.jsonl", dataset_jsonl);
  rounds_test_store_judge (fixture->store, "ethics", "c1", USER, 1);
}

/* Runs a sync in @direction against @answers (NULL-terminated), which it must use up. */
static RoundsSyncResult *
run_sync (RoundsStore          *store,
          RoundsSyncDirection   direction,
          const char          **answers,
          GError              **error)
{
  g_autoptr(RoundsSync) sync = rounds_sync_new ("http://127.0.0.1:5984/fuzz");
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  RoundsSyncResult *result = NULL;
  Script script = { lines, 0, requests };

  for (guint i = 0; answers[i] != NULL; i++)
    g_ptr_array_add (lines, (gpointer) answers[i]);
  rounds_sync_set_direction (sync, direction);
  rounds_sync_set_retries (sync, 1, 0);

  _rounds_couch_set_transport (answer, &script);
  rounds_sync_run (sync, store, &result, NULL, error);
  _rounds_couch_set_transport (NULL, NULL);
  g_assert_cmpuint (script.next, ==, lines->len);
  return result;
}

static RoundsSyncResult *
run (RoundsStore          *store,
     RoundsSyncDirection   direction,
     const char          **answers)
{
  g_autoptr(GError) error = NULL;
  RoundsSyncResult *result = run_sync (store, direction, answers, &error);

  g_assert_no_error (error);
  return result;
}

/* The problem listed for @doc_id, which must be there. */
static const RoundsSyncProblem *
find_problem (GPtrArray  *problems,
              const char *doc_id)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const RoundsSyncProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->doc_id, doc_id))
        return problem;
    }
  g_error ("%s is not listed", doc_id);
}

#define DB_INFO     "200 {\"db_name\": \"fuzz\"}"
#define SERVER_INFO "200 {\"uuid\": \"u1\", \"version\": \"3.4.3\"}"
#define NO_MIRROR   "404 {\"error\": \"not_found\", \"reason\": \"missing\"}"
#define MIRRORED    "201 {\"ok\": true, \"id\": \"_local/x\", \"rev\": \"0-1\"}"

/* A result whose "error" or "rev" is not a string: that document is refused and listed, and
 * stays to go up again; the others of the batch are pushed. */
static void
test_bulk_results (RoundsTestStore *fixture,
                   gconstpointer    data)
{
  g_autofree char *judgement_id = rounds_test_query_text (fixture->store,
                                                          "SELECT doc_id FROM annotations", NULL);
  g_autofree char *results = g_strdup_printf (
    "201 [{\"id\": \"dataset:ethics\", \"error\": {\"forbidden\": true}, \"reason\": \"x\"},"
    " {\"id\": \"item:ethics:c1\", \"ok\": true, \"rev\": \"1-a\"},"
    " {\"id\": \"item:ethics:c2\", \"ok\": true, \"rev\": \"1-b\"},"
    " {\"id\": \"annotator:" USER "\", \"ok\": true, \"rev\": \"1-c\"},"
    " {\"id\": \"%s\", \"ok\": true, \"rev\": [\"1-d\"]}]", judgement_id);
  const char *answers[] = { DB_INFO, SERVER_INFO, results, NULL };
  g_autoptr(RoundsSyncResult) result = run (fixture->store, ROUNDS_SYNC_PUSH, answers);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  const RoundsSyncProblem *problem;

  g_assert_cmpuint (result->n_pushed, ==, 3);
  g_assert_cmpuint (result->forbidden->len, ==, 2);
  problem = find_problem (result->forbidden, "dataset:ethics");
  g_assert_cmpint (problem->kind, ==, ROUNDS_SYNC_PROBLEM_REJECTED);
  g_assert_cmpstr (problem->error, ==, "unreadable");
  find_problem (result->forbidden, judgement_id);

  /* Kept out: the dataset unpublished, the judgement waiting; the rest went up. */
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT published FROM datasets"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM items WHERE published = 1"), ==, 2);
  g_assert_cmpuint (result->n_waiting, ==, 1);
  listed = rounds_sync_list_problems (fixture->store, &error);
  g_assert_no_error (error);
  find_problem (listed, "dataset:ethics");
  find_problem (listed, judgement_id);
}

#define JUDGEMENT(id, extra) \
  "{\"_id\": \"judgement:dr-osei:ethics:c1:" id "\", \"type\": \"judgement\", \"schema\": 1," \
  " \"dataset\": \"ethics\", \"item\": \"c1\", \"annotator\": \"dr-osei\", \"edit\": \"" id "\"," \
  " \"revision\": 1, \"status\": \"submitted\", \"preference\": 2," \
  " \"created_at\": \"2026-02-01T00:00:00.000Z\"" extra "}"
#define VERDICT(id, extra) \
  "{\"_id\": \"verdict:ethics:c1:dr-osei:" id "\", \"type\": \"verdict\", \"schema\": 1," \
  " \"dataset\": \"ethics\", \"item\": \"c1\", \"reviewer\": \"dr-osei\", \"edit\": \"" id "\"," \
  " \"revision\": 1, \"preference\": 1, \"rationale\": \"Fraser\"," \
  " \"created_at\": \"2026-02-02T00:00:00.000Z\"" extra "}"
#define ROW(seq, id, doc) \
  "{\"seq\": \"" seq "\", \"id\": \"" id "\", \"changes\": [{\"rev\": \"1-x\"}], \"doc\": " doc "}"

/* Pulled documents with a member of the wrong type are refused, each named with its reason
 * and counted, and the page goes on: the good ones are applied and the checkpoint moves. */
static void
test_pulled_docs (RoundsTestStore *fixture,
                  gconstpointer    data)
{
  const char *answers[] = {
    DB_INFO, SERVER_INFO, NO_MIRROR,
    "200 {\"results\": ["
    ROW ("1-s", "judgement:dr-osei:ethics:c1:bad-flag", JUDGEMENT ("bad-flag",
                                                                   ", \"unacceptable\": {}")) ", "
    ROW ("2-s", "judgement:dr-osei:ethics:c1:bad-order", JUDGEMENT ("bad-order",
                                                              ", \"responses\": [[\"a\"], \"b\"]"))
    ", "
    ROW ("3-s", "verdict:ethics:c1:dr-osei:bad", VERDICT ("bad", ", \"models_revealed\": \"no\""))
    ", "
    ROW ("4-s", "item:ethics:c9", "{\"_id\": \"item:ethics:c9\", \"type\": \"item\","
         " \"schema\": 1, \"dataset\": \"ethics\", \"id\": \"c9\", \"scenario\": {\"text\": \"S\"},"
         " \"responses\": [{\"id\": \"a\", \"text\": \"A\"}, {\"id\": \"b\", \"text\": \"B\"}]}")
    ", "
    ROW ("5-s", "judgement:dr-osei:ethics:c1:good", JUDGEMENT ("good", ", \"unacceptable\": false"))
    ", "
    ROW ("7-s", "judgement:dr-osei:ethics:c1:bad-text", JUDGEMENT ("bad-text", ", \"comment\": 5"))
    ", "
    ROW ("6-s", "verdict:ethics:c1:dr-osei:good", VERDICT ("good", ", \"resolves\": [\"good\"]"))
    "], \"last_seq\": \"6-s\", \"pending\": 0}",
    MIRRORED, NULL
  };
  static const char * const refused[] = {
    "judgement:dr-osei:ethics:c1:bad-flag", "judgement:dr-osei:ethics:c1:bad-order",
    "verdict:ethics:c1:dr-osei:bad", "item:ethics:c9", "judgement:dr-osei:ethics:c1:bad-text",
  };
  g_autoptr(RoundsSyncResult) result = run (fixture->store, ROUNDS_SYNC_PULL, answers);

  g_assert_cmpuint (result->n_pulled, ==, 2);
  g_assert_cmpuint (result->n_skipped, ==, G_N_ELEMENTS (refused));
  g_assert_cmpuint (result->refused->len, ==, G_N_ELEMENTS (refused));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const RoundsSyncProblem *problem = find_problem (result->refused, refused[i]);

      g_assert_cmpstr (problem->error, ==, "unreadable");
      g_assert_cmpstr (problem->reason, !=, "");
      if (i == 0)
        g_assert_nonnull (strstr (problem->reason, "unacceptable"));
    }
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations"
                                                          " WHERE origin = 'remote'"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM adjudications"),
                   ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM items"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT since = '6-s' FROM sync_checkpoints"), ==, 1);
}

/* Rows of _changes that are not objects, whose "doc" is not one, or whose "deleted" is not
 * a boolean: the unreadable ones are refused and counted, the pull goes on. */
static void
test_changes_rows (RoundsTestStore *fixture,
                   gconstpointer    data)
{
  const char *answers[] = {
    DB_INFO, SERVER_INFO, NO_MIRROR,
    "200 {\"results\": [\"row\", 7, "
    ROW ("2-s", "judgement:dr-osei:ethics:c1:text", "\"not a document\"") ", "
    "{\"seq\": \"3-s\", \"id\": {\"x\": 1}, \"doc\": [1]}, "
    "{\"seq\": \"4-s\", \"id\": \"judgement:dr-osei:ethics:c1:good\", \"deleted\": {\"x\": 1},"
    " \"doc\": " JUDGEMENT ("good", "") "}"
    "], \"last_seq\": \"4-s\"}",
    MIRRORED, NULL
  };
  g_autoptr(RoundsSyncResult) result = run (fixture->store, ROUNDS_SYNC_PULL, answers);

  g_assert_cmpuint (result->n_pulled, ==, 1);
  g_assert_cmpuint (result->n_skipped, ==, 4);
  g_assert_cmpuint (result->refused->len, ==, 4);
  find_problem (result->refused, "judgement:dr-osei:ethics:c1:text");
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations"
                                                          " WHERE edit_id = 'good'"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT since = '4-s' FROM sync_checkpoints"), ==, 1);
}

/* An answer with a NUL character, a lone surrogate or nesting json-glib would recurse into
 * until the stack ends is not parsed: the run stops with an error that names the field. */
static void
test_scanned (RoundsTestStore *fixture,
              gconstpointer    data)
{
  g_autofree char *brackets = g_strnfill (600, '[');
  g_autofree char *deep = g_strconcat ("200 ", brackets, NULL);
  const char *nul[] = {
    DB_INFO, SERVER_INFO, NO_MIRROR,
    "200 {\"results\": [" ROW ("1-s", "judgement:dr-osei:ethics:c1:nul",
                               JUDGEMENT ("nul", ", \"comment\": \"a\\u0000b\"")) "],"
    " \"last_seq\": \"1-s\"}",
    NULL
  };
  const char *nested[] = { deep, NULL };
  g_autoptr(GError) error = NULL;
  RoundsSyncResult *result;

  result = run_sync (fixture->store, ROUNDS_SYNC_PULL, nul, &error);
  g_assert_null (result);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "results[0].doc.comment"));
  g_clear_error (&error);

  result = run_sync (fixture->store, ROUNDS_SYNC_PULL, nested, &error);
  g_assert_null (result);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM annotations"
                                                          " WHERE origin = 'remote'"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rounds/sync-replies/bulk-results", RoundsTestStore, NULL, set_up,
              test_bulk_results, rounds_test_store_tear_down);
  g_test_add ("/rounds/sync-replies/pulled-docs", RoundsTestStore, NULL, set_up,
              test_pulled_docs, rounds_test_store_tear_down);
  g_test_add ("/rounds/sync-replies/changes-rows", RoundsTestStore, NULL, set_up,
              test_changes_rows, rounds_test_store_tear_down);
  g_test_add ("/rounds/sync-replies/scanned", RoundsTestStore, NULL, set_up,
              test_scanned, rounds_test_store_tear_down);
  return g_test_run ();
}
