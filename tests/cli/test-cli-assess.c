/* test-cli-assess.c: `rounds-cli assess`, the guardian, against tests/chat/serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>

#include "rounds-test-chat.h"
#include "rounds-test-cli.h"
#include "rounds-test-util.h"

typedef struct
{
  RoundsTestCliFixture cli;
  char                *model;
} Fixture;

static const char dataset[] =
  "{\"type\": \"dataset\", \"id\": \"ds\", \"overlap\": 1, \"rubric\": ["
  " {\"id\": \"safety\", \"name\": \"Safety\", \"min\": 1, \"max\": 5},"
  " {\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 0, \"max\": 10}]}\n"
  "{\"type\": \"item\", \"id\": \"item-1\", \"scenario\": \"Scenario one\","
  " \"responses\": [{\"text\": \"A1\"}, {\"text\": \"B1\"}]}\n"
  "{\"type\": \"item\", \"id\": \"item-2\", \"scenario\": \"Scenario two\","
  " \"responses\": [{\"text\": \"A2\"}, {\"text\": \"B2\"}, {\"text\": \"C2\"}]}\n"
  "{\"type\": \"item\", \"id\": \"item-3\", \"scenario\": \"Scenario three\","
  " \"responses\": [{\"text\": \"A3\"}, {\"text\": \"B3\"}]}\n"
  "{\"type\": \"item\", \"id\": \"item-4\", \"scenario\": \"Awaiting its responses\"}\n";

#define run_cli(fixture, run, ...) \
  rounds_test_cli_run (&(fixture)->cli, run, NULL, NULL, __VA_ARGS__)
#define query_int(fixture, sql) rounds_test_cli_query_int (&(fixture)->cli, sql)

/* A store with the dataset and an endpoint "judge" for a model of the test server that
 * answers @words (see tests/chat/serve). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *words = data;
  g_autofree char *path = NULL;
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) add = { 0 };

  rounds_test_cli_set_up (&fixture->cli, data);
  fixture->model = rounds_test_chat_model ("assess", words);
  path = g_build_filename (fixture->cli.dir, "ds.jsonl", NULL);
  g_assert_true (g_file_set_contents (path, dataset, -1, NULL));
  run_cli (fixture, &import, "import", path, NULL);
  g_assert_cmpint (import.status, ==, 0);
  run_cli (fixture, &add, "endpoint", "add", "judge", rounds_test_chat_url (), fixture->model,
           "--response-format", NULL);
  g_assert_cmpint (add.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_cli_tear_down (&fixture->cli, data);
  g_free (fixture->model);
}

#define GUARDIAN_ROWS \
  "SELECT COUNT(*) FROM annotations a JOIN annotators an ON an.id = a.annotator_id" \
  " WHERE an.kind = 'machine'"

/* Every item with responses is asked about once; the judgements are the machine's and fill
 * no overlap; the request carries the schema made from the rubric. */
static void
test_assess (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *expected = NULL;
  JsonObject *schema, *scores, *safety, *preference;

  run_cli (fixture, &run, "assess", "--dataset", "ds", "--endpoint", "judge", "--quiet", NULL);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("guardian:%s: 3 assessed, 0 refused, 0 assessed before "
                              "(of 3 items with responses)\n", fixture->model);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_cmpuint (rounds_test_chat_count (fixture->model), ==, 3);
  g_assert_cmpint (query_int (fixture, GUARDIAN_ROWS), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT SUM (n_submitted) FROM items"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM annotations"
                                       " WHERE ranking_json IS NOT NULL"), ==, 1);

  /* item-3's request (the last): two responses, so a preference on the 5-point scale. */
  last = rounds_test_chat_last (fixture->model);
  schema = json_object_get_object_member (
             json_object_get_object_member (
               json_object_get_object_member (json_object_get_object_member (last, "body"),
                                              "response_format"), "json_schema"), "schema");
  scores = json_object_get_object_member (
             json_object_get_object_member (
               json_object_get_object_member (
                 json_object_get_object_member (
                   json_object_get_object_member (
                     json_object_get_object_member (schema, "properties"), "responses"),
                   "properties"), "B"), "properties"), "scores");
  safety = json_object_get_object_member (json_object_get_object_member (scores, "properties"),
                                          "accuracy");
  g_assert_cmpint (json_object_get_int_member (safety, "minimum"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (safety, "maximum"), ==, 10);
  g_assert_false (json_object_get_boolean_member (scores, "additionalProperties"));
  preference = json_object_get_object_member (json_object_get_object_member (schema,
                                                                             "properties"),
                                              "preference");
  g_assert_cmpint (json_object_get_int_member (preference, "minimum"), ==, -2);
  g_assert_cmpint (json_object_get_int_member (preference, "maximum"), ==, 2);
}

/* A reply off the schema is refused, named with its item and reason, and nothing of it is
 * stored; the others are. A rerun asks only about what is not stored. */
static void
test_refusal_and_resume (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(RoundsTestCliRun) first = { 0 };
  g_auto(RoundsTestCliRun) second = { 0 };
  g_autofree char *expected = NULL;

  run_cli (fixture, &first, "assess", "--dataset", "ds", "--endpoint", "judge", "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 3);
  g_assert_cmpstr (first.err, ==, "rounds-cli assess: refused item-2: unexpected member "
                                  "“unexpected”\n");
  expected = g_strdup_printf ("guardian:%s: 2 assessed, 1 refused, 0 assessed before "
                              "(of 3 items with responses)\n", fixture->model);
  g_assert_cmpstr (first.out, ==, expected);
  g_assert_cmpint (query_int (fixture, GUARDIAN_ROWS), ==, 2);
  g_assert_cmpint (query_int (fixture, GUARDIAN_ROWS " AND a.item_id = (SELECT id FROM items"
                                       " WHERE key = 'item-2')"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT COUNT(*) FROM audit_log"
                                       " WHERE target = 'ds/item-2'"), ==, 0);
  g_assert_cmpuint (rounds_test_chat_count (fixture->model), ==, 3);

  run_cli (fixture, &second, "assess", "--dataset", "ds", "--endpoint", "judge", "--quiet",
           NULL);
  g_assert_cmpint (second.status, ==, 3);
  g_assert_cmpuint (rounds_test_chat_count (fixture->model), ==, 4);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("guardian:%s: 0 assessed, 1 refused, 2 assessed before "
                              "(of 3 items with responses)\n", fixture->model);
  g_assert_cmpstr (second.out, ==, expected);
  g_assert_cmpint (query_int (fixture, GUARDIAN_ROWS), ==, 2);
}

/* A server that fails on every attempt ends the run with what was stored kept; the rerun
 * goes on without asking again about what is stored. */
static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };

  run_cli (fixture, &run, "assess", "--dataset", "ds", "--endpoint", "judge", "--quiet", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "rounds-cli assess: "));
  /* item-1 is stored; item-2 broke the run; item-3 was never asked about. */
  g_assert_cmpint (query_int (fixture, GUARDIAN_ROWS), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, words, func) \
  g_test_add (path, Fixture, words, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/cli/assess", "", test_assess);
  ADD ("/rounds/cli/assess/refusal-and-resume", "offschema~two", test_refusal_and_resume);
  ADD ("/rounds/cli/assess/interrupted", "500~two", test_interrupted);
#undef ADD

  return g_test_run ();
}
