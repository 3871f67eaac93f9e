/* test-cli-generate.c: `rounds-cli endpoint` and `rounds-cli generate` against
 * tests/chat/serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rounds-test-chat.h"
#include "rounds-test-cli.h"
#include "rounds-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rounds_test_make_dir ();
  fixture->db = g_build_filename (fixture->dir, "rounds.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* Runs rounds-cli --db DB with the arguments, NULL-terminated, and @env (NAME=VALUE or NULL). */
static void
run_cli_env (Fixture          *fixture,
             RoundsTestCliRun *run,
             const char       *env,
             const char       *first,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char *before[] = { "--db", fixture->db, NULL };
  va_list args;

  if (env != NULL)
    {
      g_auto(GStrv) pair = g_strsplit (env, "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  va_start (args, first);
  rounds_test_cli_runv (run, launcher, fixture->dir, before, first, args);
  va_end (args);
}

#define run_cli(fixture, run, ...) run_cli_env (fixture, run, NULL, __VA_ARGS__)

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = rounds_test_db_query_int (db, sql);
  sqlite3_close (db);
  return n;
}

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/cli/endpoint", test_endpoint);
#undef ADD

  return g_test_run ();
}
