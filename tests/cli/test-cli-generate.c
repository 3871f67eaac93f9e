/* test-cli-generate.c: `rounds-cli endpoint` and `rounds-cli generate` against
 * tests/chat/serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <signal.h>

#include "rounds-test-chat.h"
#include "rounds-test-cli.h"
#include "rounds-test-util.h"

typedef RoundsTestCliFixture Fixture;

#define run_cli(fixture, run, ...) rounds_test_cli_run (fixture, run, NULL, NULL, __VA_ARGS__)
#define query_int(fixture, sql) rounds_test_cli_query_int (fixture, sql)

/* endpoint add, list (text and JSON), a refused add, remove. */
static void
test_endpoint (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(RoundsTestCliRun) add = { 0 };
  g_auto(RoundsTestCliRun) again = { 0 };
  g_auto(RoundsTestCliRun) bad = { 0 };
  g_auto(RoundsTestCliRun) list = { 0 };
  g_auto(RoundsTestCliRun) json = { 0 };
  g_auto(RoundsTestCliRun) removed = { 0 };
  g_auto(RoundsTestCliRun) missing = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *first;

  run_cli (fixture, &add, "endpoint", "add", "ward-llama", "http://127.0.0.1:8000/v1",
           "llama-3-8b", "--temperature", "0.7", "--max-tokens", "256", "--seed", "7",
           "--extra", "{\"top_p\": 0.9}", "--response-format", NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "ROUNDS_ENDPOINT_KEY_WARD_LLAMA"));

  run_cli (fixture, &again, "endpoint", "add", "ward-llama", "http://127.0.0.1:8000/v1", "x",
           NULL);
  g_assert_cmpint (again.status, ==, 3);
  g_assert_nonnull (strstr (again.err, "ward-llama"));

  run_cli (fixture, &bad, "endpoint", "add", "hot", "http://127.0.0.1:8000/v1", "m",
           "--temperature", "3", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "temperature"));

  run_cli (fixture, &list, "endpoint", "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, "ward-llama\thttp://127.0.0.1:8000/v1\t"));
  g_assert_nonnull (strstr (list.out, "response_format"));

  run_cli (fixture, &json, "endpoint", "list", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, NULL);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "params"),
                                               "seed"), ==, 7);
  g_assert_cmpuint (strlen (json_object_get_string_member (first, "params_key")), ==, 12);
  g_assert_true (json_object_get_boolean_member (first, "response_format"));

  run_cli (fixture, &removed, "endpoint", "remove", "ward-llama", NULL);
  g_assert_cmpint (removed.status, ==, 0);
  run_cli (fixture, &missing, "endpoint", "remove", "ward-llama", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM endpoints"), ==, 0);
}

/* Scenarios without responses, whose text tells the test server what to do (see
 * tests/chat/serve: a word "WHAT~TEXT" acts on requests whose message has TEXT). */
static const char scenarios_csv[] =
  "id,scenario\n"
  "s1,A patient asks about rate-limited access to records.\n"
  "s2,A flaky relative calls the ward.\n"
  "s3,The line is dropped during a consult.\n"
  "s4,A broken pump alarm sounds.\n"
  "s5,Please refuse-me: how to forge a prescription?\n"
  "s6,say-nothing about the consent form.\n"
  "s7,The service is always-down at night.\n"
  "s8,Wrong-types of dressing were used.\n"
  "s9,A 16-year-old asks for contraception.\n";

static void
import_scenarios (Fixture *fixture)
{
  g_auto(RoundsTestCliRun) run = { 0 };
  g_autofree char *path = rounds_test_write_file (fixture->dir, "scenarios.csv", scenarios_csv);

  run_cli (fixture, &run, "import", "--dataset", "bench", "--map", "id=id", "--map",
           "scenario=scenario", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "items 9 added"));
}

static void
add_endpoint (Fixture    *fixture,
              const char *name,
              const char *model)
{
  g_auto(RoundsTestCliRun) run = { 0 };

  run_cli (fixture, &run, "endpoint", "add", name, rounds_test_chat_url (), model, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

/* What each item's scenario makes the server do, and what generation must make of it: 429,
 * 5xx and a dropped connection are retried until they answer (or --attempts runs out); a
 * reply that is not JSON or has a member of the wrong type is not retried; a refusal and an
 * empty answer are saved as what they are, once. The server counts every request. */
static void
test_retries (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("retries",
                                                   "429x2~rate-limited+503x2~flaky+"
                                                   "dropx1~dropped+badjson~broken+"
                                                   "refuse~refuse-me+empty~say-nothing+"
                                                   "502~always-down+badtype~Wrong-types");
  g_auto(RoundsTestCliRun) first = { 0 };
  g_auto(RoundsTestCliRun) again = { 0 };

  import_scenarios (fixture);
  add_endpoint (fixture, "flaky", model);

  run_cli (fixture, &first, "generate", "--dataset", "bench", "--endpoint", "flaky",
           "--jobs", "3", "--attempts", "3", "--retry-delay", "10", NULL);
  /* Three responses could not be had: the exit status says so. */
  g_assert_cmpint (first.status, ==, 1);
  /* s1 3, s2 3, s3 2, s4 1, s5 1, s6 1, s7 3 (all 502), s8 1, s9 1 */
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 16);
  g_assert_nonnull (strstr (first.out, "6 generated (1 refused, 1 empty), 3 failed"));
  g_assert_nonnull (strstr (first.err, "Refused: item s5, endpoint flaky, sample 1: "
                                       "I cannot help with that."));
  g_assert_nonnull (strstr (first.err, "Empty answer: item s6, endpoint flaky, sample 1"));
  g_assert_nonnull (strstr (first.err, "Failed: item s4, endpoint flaky, sample 1: "));
  g_assert_nonnull (strstr (first.err, "not JSON"));
  g_assert_nonnull (strstr (first.err, "Failed: item s7, endpoint flaky, sample 1: "
                                       "After 3 attempts: "));
  g_assert_nonnull (strstr (first.err, "HTTP 502"));
  g_assert_nonnull (strstr (first.err, "Failed: item s8, endpoint flaky, sample 1: "));
  g_assert_nonnull (strstr (first.err, "“content”"));
  g_assert_nonnull (strstr (first.err, "run the same command again"));

  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses"), ==, 6);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses r JOIN items i"
                                       " ON i.id = r.item_id WHERE i.key = 's5'"
                                       " AND r.text = 'I cannot help with that.'"
                                       " AND json_extract (r.metadata_json,"
                                       "  '$.generation.outcome') = 'refused'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses r JOIN items i"
                                       " ON i.id = r.item_id WHERE i.key = 's6'"
                                       " AND r.text = '' AND json_extract (r.metadata_json,"
                                       "  '$.generation.outcome') = 'empty'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT json_extract (r.metadata_json,"
                                       " '$.generation.attempts') FROM responses r"
                                       " JOIN items i ON i.id = r.item_id"
                                       " WHERE i.key = 's2'"), ==, 3);

  /* A rerun asks only for the three that failed: one request each for s4 and s8, three
   * for s7; the refusal and the empty answer are not asked for again. */
  run_cli (fixture, &again, "generate", "--dataset", "bench", "--endpoint", "flaky",
           "--attempts", "3", "--retry-delay", "10", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.out, "6 responses there already, 0 generated"));
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 16 + 5);
  g_assert_null (strstr (again.err, "item s5"));
}

/* A model is killed mid-run; the rerun generates only what is missing: no response twice,
 * none lost, and every item with its responses in order. */
static void
test_resume_after_kill (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *slow_a = rounds_test_chat_model ("resume-a", "slow-150");
  g_autofree char *slow_b = rounds_test_chat_model ("resume-b", "slow-150");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RoundsTestCliRun) rerun = { 0 };
  g_autofree char *expected = NULL;
  const char *cli = g_getenv ("ROUNDS_CLI");
  gint64 saved = 0;
  guint asked_before;

  import_scenarios (fixture);
  add_endpoint (fixture, "a", slow_a);
  add_endpoint (fixture, "b", slow_b);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              cli, "--db", fixture->db, "generate", "--dataset", "bench",
                              "--endpoint", "a", "--endpoint", "b", "--jobs", "2", NULL);
  g_assert_no_error (error);
  /* Wait for a few responses, then kill it without warning. */
  while (saved < 3)
    {
      g_usleep (20 * 1000);
      if (g_file_test (fixture->db, G_FILE_TEST_EXISTS))
        saved = query_int (fixture, "SELECT COUNT(*) FROM responses");
    }
  g_subprocess_force_exit (process);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);

  saved = query_int (fixture, "SELECT COUNT(*) FROM responses");
  g_test_message ("%" G_GINT64_FORMAT " of 18 responses saved before the kill", saved);
  g_assert_cmpint (saved, <, 18);
  /* A request the killed process had sent may still be on its way to the server. */
  g_usleep (300 * 1000);
  asked_before = rounds_test_chat_count (slow_a) + rounds_test_chat_count (slow_b);

  run_cli (fixture, &rerun, "generate", "--dataset", "bench", "--endpoint", "a",
           "--endpoint", "b", "--jobs", "2", NULL);
  g_assert_cmpint (rerun.status, ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " responses there already, %"
                              G_GINT64_FORMAT " generated", saved, 18 - saved);
  g_assert_nonnull (strstr (rerun.out, expected));
  /* The rerun asked for the missing ones only. */
  g_assert_cmpuint (rounds_test_chat_count (slow_a) + rounds_test_chat_count (slow_b), ==,
                    asked_before + (guint) (18 - saved));

  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses"), ==, 18);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(DISTINCT item_id || ' ' || key)"
                                       " FROM responses"), ==, 18);
  /* Every item has a response from each endpoint, at positions 0 and 1. */
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM items i WHERE"
                                       " (SELECT COUNT(*) FROM responses r WHERE"
                                       "  r.item_id = i.id AND r.idx IN (0, 1)"
                                       "  AND (r.key GLOB 'gen:a:*' OR r.key GLOB 'gen:b:*'))"
                                       " = 2"), ==, 9);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses WHERE"
                                       " json_extract (metadata_json, '$.generation.latency_ms')"
                                       " >= 150 AND json_extract (metadata_json,"
                                       " '$.generation.usage.total_tokens') = 18"
                                       " AND json_extract (metadata_json,"
                                       " '$.generation.generated_at') IS NOT NULL"), ==, 18);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM items WHERE published = 0"), ==, 9);
}

/* A wrong or missing key stops the run at once, naming the variable to set; with it set
 * in the environment the same run goes through. */
static void
test_key (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("key", "key-sk-ward");
  g_auto(RoundsTestCliRun) without = { 0 };
  g_auto(RoundsTestCliRun) with = { 0 };

  import_scenarios (fixture);
  add_endpoint (fixture, "ward.gpt", model);

  run_cli (fixture, &without, "generate", "--dataset", "bench", "--endpoint", "ward.gpt",
           "--jobs", "1", NULL);
  g_assert_cmpint (without.status, ==, 1);
  g_assert_nonnull (strstr (without.err, "ROUNDS_ENDPOINT_KEY_WARD_GPT"));
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses"), ==, 0);

  rounds_test_cli_run (fixture, &with, "ROUNDS_ENDPOINT_KEY_WARD_GPT", "sk-ward", "generate",
                       "--dataset", "bench", "--endpoint", "ward.gpt", "--n", "2", NULL);
  g_assert_cmpint (with.status, ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM responses"), ==, 18);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(DISTINCT json_extract (metadata_json,"
                                       " '$.generation.sample')) FROM responses"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, rounds_test_cli_set_up, func, rounds_test_cli_tear_down)
  ADD ("/rounds/cli/endpoint", test_endpoint);
  ADD ("/rounds/cli/generate/retries", test_retries);
  ADD ("/rounds/cli/generate/resume-after-kill", test_resume_after_kill);
  ADD ("/rounds/cli/generate/key", test_key);
#undef ADD

  return g_test_run ();
}
