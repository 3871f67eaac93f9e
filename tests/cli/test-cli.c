/* test-cli.c: rounds-cli as a script sees it: arguments, output, exit codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rounds-test-cli.h"
#include "rounds-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

/* Runs rounds-cli with the arguments, NULL-terminated, in the fixture's folder. */
static void
run_cli (Fixture          *fixture,
         RoundsTestCliRun *run,
         const char       *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  va_list args;

  va_start (args, first);
  rounds_test_cli_runv (run, launcher, fixture->dir, NULL, first, args);
  va_end (args);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = rounds_test_write_file (fixture->dir, name, contents);
}

static gint64
count_rows (Fixture    *fixture,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = rounds_test_db_query_int (db, sql);
  sqlite3_close (db);
  return n;
}

static const char items_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Ethics\", \"overlap\": 2}\n"
  "{\"id\": \"c1\", \"scenario\": \"A 16-year-old asks for contraception.\", \"responses\": "
  "[{\"text\": \"Assess competence.\"}, {\"text\": \"Tell the parents.\"}]}\n"
  "{\"id\": \"c2\", \"scenario\": \"患者要求隐瞒诊断。\", \"language\": \"zh-CN\", \"responses\": "
  "[{\"text\": \"尊重自主。\"}, {\"text\": \"告知家属。\"}]}\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rounds_test_make_dir ();
  fixture->db = g_build_filename (fixture->dir, "rounds.db", NULL);
  write_file (fixture, "items.jsonl", items_jsonl);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };
  g_auto(RoundsTestCliRun) none = { 0 };
  g_auto(RoundsTestCliRun) unknown = { 0 };
  g_auto(RoundsTestCliRun) import_help = { 0 };

  run_cli (fixture, &run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  for (const char * const *word = (const char *[]) { "profile", "import", "datasets", "stats",
                                                     "--db", "Exit status", NULL };
       *word != NULL; word++)
    g_assert_nonnull (strstr (run.out, *word));

  run_cli (fixture, &none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "Usage"));

  run_cli (fixture, &unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "frobnicate"));

  run_cli (fixture, &import_help, "import", "--help", NULL);
  g_assert_cmpint (import_help.status, ==, 0);
  g_assert_nonnull (strstr (import_help.out, "rounds-cli import"));
  g_assert_nonnull (strstr (import_help.out, "--map"));
}

/* --db is global: before the command, after it, or after the files. */
static void
test_db_anywhere (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(RoundsTestCliRun) before = { 0 };
  g_auto(RoundsTestCliRun) after = { 0 };
  g_auto(RoundsTestCliRun) last = { 0 };

  run_cli (fixture, &before, "--db", fixture->db, "import", "items.jsonl", NULL);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "items 2 added"));
  g_assert_cmpint (count_rows (fixture, "items"), ==, 2);

  run_cli (fixture, &after, "import", "--db", fixture->db, "items.jsonl", NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_nonnull (strstr (after.out, "2 unchanged"));

  run_cli (fixture, &last, "datasets", "--db", fixture->db, NULL);
  g_assert_cmpint (last.status, ==, 0);
  g_assert_nonnull (strstr (last.out, "ethics"));
  g_assert_cmpint (count_rows (fixture, "items"), ==, 2);
}

typedef struct
{
  const char *name;
  const char *contents;
  const char *message;   /* what stderr must say, after the file name */
  int         status;
} BadInput;

static const BadInput bad_inputs[] = {
  { "one-response.jsonl",
    "{\"id\": \"x1\", \"dataset\": \"d\", \"scenario\": \"s\", \"responses\": [{\"text\": \"a\"}, "
    "{\"text\": \"b\"}]}\n"
    "{\"id\": \"x2\", \"dataset\": \"d\", \"scenario\": \"s\", \"responses\": "
    "[{\"text\": \"a\"}]}\n",
    ":2: field “responses”", 3 },
  { "not-json.jsonl",
    "{\"id\": \"x1\", \"dataset\": \"d\", \"scenario\": \"s\", \"responses\": [{\"text\": \"a\"}, "
    "{\"text\": \"b\"}]}\n"
    "\n"
    "{\"id\": \"x3\", \"scenario\": \n",
    ":3:", 3 },
  { "no-scenario.jsonl",
    "{\"id\": \"x1\", \"dataset\": \"d\", \"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}]}\n",
    ":1: field “scenario”", 3 },
};

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *bad = &bad_inputs[i];
      g_auto(RoundsTestCliRun) run = { 0 };
      g_autofree char *expected = g_strconcat (bad->name, bad->message, NULL);

      write_file (fixture, bad->name, bad->contents);
      run_cli (fixture, &run, "--db", fixture->db, "import", bad->name, NULL);
      g_test_message ("%s: %s", bad->name, run.err);
      g_assert_cmpint (run.status, ==, bad->status);
      g_assert_nonnull (strstr (run.err, expected));
      g_assert_cmpint (count_rows (fixture, "items"), ==, 0);
      g_assert_cmpint (count_rows (fixture, "datasets"), ==, 0);
    }
}

/* What json-glib would cut short or crash on, refused with the file, line and field, exit 3,
 * and the database as it was. Contents are given with their size: some hold NUL bytes. */
typedef struct
{
  const char *name;
  const char *contents;
  gsize       size;
  const char *maps[4];
  const char *message;   /* what stderr must say, after the file name */
} Refusal;

#define REFUSAL(name, contents, ...) { name, contents, sizeof contents - 1, __VA_ARGS__ }

static const Refusal refusals[] = {
  REFUSAL ("nul-escape.jsonl",
           "{\"id\": \"n1\", \"dataset\": \"ethics\", \"scenario\": \"s\", \"responses\": "
           "[{\"text\": \"a\"}, {\"text\": \"b\"}]}\n"
           "{\"id\": \"n2\", \"dataset\": \"ethics\", \"scenario\": \"s\", \"responses\": "
           "[{\"text\": \"a\"}, {\"text\": \"b\\u0000 hidden\"}]}\n",
           { NULL }, ":2: field “responses[1].text”: contains a NUL character"),
  REFUSAL ("nul-raw.jsonl",
           "{\"id\": \"n1\", \"dataset\": \"ethics\", \"scenario\": \"s\0t\", \"responses\": "
           "[{\"text\": \"a\"}, {\"text\": \"b\"}]}\n",
           { NULL }, ":1: field “scenario”: contains a NUL character"),
  REFUSAL ("nul-start.jsonl", "\0{\"id\": \"n1\"}\n",
           { NULL }, ":1: contains a NUL character"),
  REFUSAL ("nul-trl.jsonl",
           "{\"prompt\": \"p\", \"chosen\": \"yes\\u0000no\", \"rejected\": \"no\"}\n",
           { NULL }, ":1: field “chosen”: contains a NUL character"),
  REFUSAL ("nul-judgement.jsonl",
           "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"c1\", "
           "\"annotator\": \"dr-lin\", \"preference\": -1, \"comment\": \"fine\\u0000\"}\n",
           { NULL }, ":1: field “comment”: contains a NUL character"),
  /* json-glib turned a lone surrogate into bytes that are not UTF-8, and stored them. */
  REFUSAL ("surrogate.jsonl",
           "{\"id\": \"s1\", \"dataset\": \"ethics\", \"scenario\": \"s\", \"responses\": "
           "[{\"text\": \"\\ud83d\\ude00 is a pair\"}, {\"text\": \"\\ud800 is not\"}]}\n",
           { NULL }, ":1: field “responses[1].text”: not valid text: an escape from \\ud800 to "
           "\\udfff without its other half"),
  /* json-glib read "\u" followed by other than four hex digits as some character. */
  REFUSAL ("bad-escape.jsonl",
           "{\"id\": \"s1\", \"dataset\": \"ethics\", \"scenario\": \"\\u00e9 ok, \\ud8ve not\", "
           "\"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}]}\n",
           { NULL }, ":1: field “scenario”: not valid JSON: “\\u” without four hex digits"),
  REFUSAL ("nul-field.csv",
           "question,answer_1,answer_2\n"
           "q1,a,b\n"
           "q2,a,b\0c\n",
           { "--map", "scenario=question", "--map", "responses=answer_1,answer_2" },
           ":3: field “answer_2”: contains a NUL character"),
  REFUSAL ("nul-header.csv",
           "question,answer\0_1,answer_2\n"
           "q1,a,b\n",
           { "--map", "scenario=question", "--map", "responses=answer_1,answer_2" },
           ":1: field “2”: contains a NUL character"),
};

/* The nesting limit that the README documents. */
#define JSON_MAX_DEPTH 512

/* An item line whose metadata nests arrays until the line is @depth levels deep. A line
 * nested 100 000 deep overflowed json-glib's parser; now it is refused before parsing. */
static char *
deep_line (guint depth)
{
  GString *line = g_string_new ("{\"id\": \"d1\", \"dataset\": \"ethics\", \"scenario\": \"s\", "
                                "\"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}], "
                                "\"metadata\": {\"n\": ");

  for (guint i = 2; i < depth; i++)
    g_string_append_c (line, '[');
  for (guint i = 2; i < depth; i++)
    g_string_append_c (line, ']');
  g_string_append (line, "}}\n");
  return g_string_free (line, FALSE);
}

static void
assert_refused (Fixture           *fixture,
                const char        *name,
                const char        *contents,
                gsize              size,
                const char * const maps[4],
                const char        *message)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *expected = g_strconcat (name, message, NULL);
  g_autofree char *before = rounds_test_db_dump (fixture->db);
  g_autofree char *after = NULL;
  g_auto(RoundsTestCliRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  const char *args[5] = { NULL };
  guint n = 0;

  g_file_set_contents (path, contents, size, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4 && maps[i] != NULL; i++)
    args[n++] = maps[i];
  args[n] = name;
  run_cli (fixture, &run, "--db", fixture->db, "import",
           args[0], args[1], args[2], args[3], args[4], NULL);
  g_test_message ("%s: %s", name, run.err);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, expected));
  after = rounds_test_db_dump (fixture->db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const no_maps[4] = { NULL };
  static const char * const metadata_maps[4] = {
    "--map", "scenario=question", "--map", "metadata.extra=extra"
  };
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) limit = { 0 };
  g_autofree char *deep = deep_line (100000);
  g_autofree char *deep_file = g_strconcat ("# a comment\n", deep, NULL);
  g_autofree char *at_limit = deep_line (JSON_MAX_DEPTH);
  g_autofree char *over_limit = deep_line (JSON_MAX_DEPTH + 1);
  g_autofree char *deep_csv = NULL;
  g_autofree char *deep_message = g_strdup_printf (":2: objects and arrays nested deeper than "
                                                   "%d levels", JSON_MAX_DEPTH);
  g_autofree char *deep_metadata = g_strdup_printf (":2: field “extra”: objects and arrays "
                                                    "nested deeper than %d levels",
                                                    JSON_MAX_DEPTH);

  run_cli (fixture, &import, "--db", fixture->db, "import", "items.jsonl", NULL);
  g_assert_cmpint (import.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    assert_refused (fixture, refusals[i].name, refusals[i].contents, refusals[i].size,
                    refusals[i].maps, refusals[i].message);

  assert_refused (fixture, "deep.jsonl", deep_file, strlen (deep_file), no_maps, deep_message);
  assert_refused (fixture, "over.jsonl", over_limit, strlen (over_limit), no_maps,
                  ":1: objects and arrays nested deeper");
  /* The CSV value that a metadata map parses as JSON is held to the same limit. */
  deep_csv = g_strdup_printf ("question,answer_1,answer_2,extra\nq1,a,b,%s\n",
                              strstr (deep, "[["));
  assert_refused (fixture, "deep-metadata.csv", deep_csv, strlen (deep_csv), metadata_maps,
                  deep_metadata);

  /* At the limit, the line imports. */
  write_file (fixture, "limit.jsonl", at_limit);
  run_cli (fixture, &limit, "--db", fixture->db, "import", "limit.jsonl", NULL);
  g_assert_cmpint (limit.status, ==, 0);
  g_assert_cmpint (count_rows (fixture, "items"), ==, 3);
}

/* Files are imported in order, each in its own transaction; the first refused one stops. */
static void
test_several_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };

  write_file (fixture, "bad.jsonl", bad_inputs[0].contents);
  run_cli (fixture, &run, "--db", fixture->db, "import", "items.jsonl", "bad.jsonl", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "bad.jsonl:2:"));
  g_assert_nonnull (strstr (run.err, "before bad.jsonl were imported"));
  g_assert_cmpint (count_rows (fixture, "items"), ==, 2);
}

static void
test_conflict_and_update (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(RoundsTestCliRun) first = { 0 };
  g_auto(RoundsTestCliRun) conflict = { 0 };
  g_auto(RoundsTestCliRun) update = { 0 };
  g_autofree char *changed = NULL;

  run_cli (fixture, &first, "--db", fixture->db, "import", "items.jsonl", NULL);
  g_assert_cmpint (first.status, ==, 0);

  changed = g_strdup (items_jsonl);
  memcpy (strstr (changed, "Assess competence."), "Assess capacity!!.",
          strlen ("Assess capacity!!."));
  write_file (fixture, "changed.jsonl", changed);

  run_cli (fixture, &conflict, "--db", fixture->db, "import", "changed.jsonl", NULL);
  g_assert_cmpint (conflict.status, ==, 3);
  g_assert_nonnull (strstr (conflict.err, "c1"));
  g_assert_nonnull (strstr (conflict.err, "--update"));

  run_cli (fixture, &update, "--db", fixture->db, "import", "--update", "changed.jsonl", NULL);
  g_assert_cmpint (update.status, ==, 0);
  g_assert_nonnull (strstr (update.out, "1 updated"));
  g_assert_cmpint (count_rows (fixture, "items"), ==, 2);
}

static void
test_mapped_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };
  g_auto(RoundsTestCliRun) usage = { 0 };

  write_file (fixture, "qa.csv",
              "question,answer_1,answer_2,model_1,model_2\n"
              "\"What is the adult maximum of paracetamol, \"\"per day\"\"?\",4 g,8 "
              "g,atlas-8b,sage-32b\n"
              "布洛芬的儿童剂量？,每次10毫克/千克,每次50毫克/千克,atlas-8b,sage-32b\n");
  run_cli (fixture, &run, "--db", fixture->db, "import", "--dataset", "qa",
           "--map", "scenario=question", "--map", "responses=answer_1,answer_2",
           "--map", "model=model_1,model_2", "qa.csv", NULL);
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (count_rows (fixture, "items"), ==, 2);
  g_assert_cmpint (count_rows (fixture, "responses"), ==, 4);

  run_cli (fixture, &usage, "--db", fixture->db, "import", "--map", "nonsense", "qa.csv", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

static void
test_profiles (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(RoundsTestCliRun) add = { 0 };
  g_auto(RoundsTestCliRun) add2 = { 0 };
  g_auto(RoundsTestCliRun) bad = { 0 };
  g_auto(RoundsTestCliRun) use = { 0 };
  g_auto(RoundsTestCliRun) list = { 0 };
  g_auto(RoundsTestCliRun) missing = { 0 };

  run_cli (fixture, &add, "--db", fixture->db, "profile", "add", "dr-lin", "--name", "Dr Lin Wei",
           "--role", "annotator,reviewer", "--specialty", "emergency medicine", NULL);
  g_assert_cmpint (add.status, ==, 0);
  run_cli (fixture, &add2, "--db", fixture->db, "profile", "add", "dr-amara", "--role",
           "curator", NULL);
  g_assert_cmpint (add2.status, ==, 0);
  run_cli (fixture, &bad, "--db", fixture->db, "profile", "add", "Dr Lin!", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  run_cli (fixture, &use, "--db", fixture->db, "profile", "use", "dr-amara", NULL);
  g_assert_cmpint (use.status, ==, 0);
  run_cli (fixture, &missing, "--db", fixture->db, "profile", "use", "nobody", NULL);
  g_assert_cmpint (missing.status, !=, 0);

  run_cli (fixture, &list, "--db", fixture->db, "profile", "list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "* dr-amara"));
  g_assert_nonnull (strstr (list.out,
                            "  dr-lin\tDr Lin Wei\tannotator,reviewer\temergency medicine"));
  g_assert_cmpint (count_rows (fixture, "annotators"), ==, 2);
}

static void
test_stats_json (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) stats = { 0 };
  g_auto(RoundsTestCliRun) missing = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *datasets;
  JsonObject *dataset;

  write_file (fixture, "judgements.jsonl",
              "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"c1\", \"annotator\": "
              "\"dr-lin\", \"preference\": -1, \"time_spent_ms\": 60000}\n"
              "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"c1\", \"annotator\": "
              "\"dr-okafor\", \"preference\": \"tie\"}\n");
  run_cli (fixture, &import, "--db", fixture->db, "import", "items.jsonl",
           "judgements.jsonl", NULL);
  g_assert_cmpint (import.status, ==, 0);

  run_cli (fixture, &stats, "--db", fixture->db, "stats", "--json", "ethics", NULL);
  g_assert_cmpint (stats.status, ==, 0);
  json_parser_load_from_data (parser, stats.out, -1, &error);
  g_assert_no_error (error);
  datasets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "datasets");
  dataset = json_array_get_object_element (datasets, 0);
  g_assert_cmpstr (json_object_get_string_member (dataset, "dataset"), ==, "ethics");
  g_assert_cmpint (json_object_get_int_member (dataset, "items"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (dataset, "items_complete"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (dataset, "judgements_submitted"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (dataset, "judgements_wanted"), ==, 4);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (dataset,
                                                                        "annotators")), ==, 2);
  g_assert_true (json_object_has_member (json_object_get_object_member (dataset, "agreement"),
                                         "preference_ordinal"));

  run_cli (fixture, &missing, "--db", fixture->db, "stats", "no-such-dataset", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no-such-dataset"));
}

/* The demo dataset is what every new user sees first: it must import whole, twice. */
static void
test_demo_dataset (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *items = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                             "rounds-demo.jsonl", NULL);
  g_autofree char *judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                                  "rounds-demo-judgements.jsonl", NULL);
  g_auto(RoundsTestCliRun) first = { 0 };
  g_auto(RoundsTestCliRun) again = { 0 };

  run_cli (fixture, &first, "--db", fixture->db, "import", items, judgements, NULL);
  g_test_message ("%s%s", first.out, first.err);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpint (count_rows (fixture, "items"), >=, 40);
  g_assert_cmpint (count_rows (fixture, "annotations"), >=, 50);

  run_cli (fixture, &again, "--db", fixture->db, "import", items, judgements, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "items 0 added, 0 updated, 44 unchanged"));
  g_assert_nonnull (strstr (again.out, "judgements 0 added"));
}

/* The agreement object of the first dataset in what `agreement --json` printed. */
static JsonObject *
first_agreement (JsonParser *parser,
                 const char *out)
{
  g_autoptr(GError) error = NULL;
  JsonArray *datasets;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  datasets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "datasets");
  return json_object_get_object_member (json_array_get_object_element (datasets, 0),
                                        "agreement");
}

/* Agreement over the demo: 18 items judged by three clinicians, 14 of them pairs. */
static void
test_agreement (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *items = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                             "rounds-demo.jsonl", NULL);
  g_autofree char *judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                                  "rounds-demo-judgements.jsonl", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) text = { 0 };
  g_auto(RoundsTestCliRun) json = { 0 };
  JsonObject *agreement;
  JsonObject *preference;

  run_cli (fixture, &import, "--db", fixture->db, "import", items, judgements, NULL);
  g_assert_cmpint (import.status, ==, 0);

  run_cli (fixture, &text, "--db", fixture->db, "agreement", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "clinical-ethics-demo"));
  g_assert_nonnull (strstr (text.out, "(14 items)"));
  g_assert_nonnull (strstr (text.out, "dr-lin"));

  run_cli (fixture, &json, "--db", fixture->db, "agreement", "--json",
           "clinical-ethics-demo", NULL);
  g_assert_cmpint (json.status, ==, 0);
  agreement = first_agreement (parser, json.out);
  g_assert_cmpint (json_object_get_int_member (agreement, "items"), ==, 18);
  g_assert_cmpint (json_object_get_int_member (agreement, "annotators"), ==, 3);
  preference = json_object_get_object_member (agreement, "preference_ordinal");
  g_assert_cmpstr (json_object_get_string_member (preference, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (preference, "items"), ==, 14);
  g_assert_cmpfloat (json_object_get_double_member (preference, "alpha"), >, -1.0);
  g_assert_cmpfloat (json_object_get_double_member (preference, "alpha"), <, 1.0);
  g_assert_cmpint (json_object_get_size (json_object_get_object_member (agreement,
                                                                        "criteria_interval")),
                   ==, 6);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (agreement,
                                                                        "pairs")), ==, 3);
}

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
 * observers, twelve units, values 1 to 5 (0: missing), as tests/test-agreement.c has them.
 * Here they go in as judgement lines, each value v as the preference v - 3 on the 5-point
 * scale (alpha is unchanged by a shift), and come out of `agreement --json`. */
static const int krippendorff_2011[4][12] = {
  { 1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0 },
  { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3 },
  { 0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0 },
  { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0 },
};

static void
test_agreement_published (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct { const char *member; double published; double exact; } alphas[] = {
    { "preference_nominal",  0.743, 0.743421052631579 },
    { "preference_ordinal",  0.815, 0.8153875037548813 },
    { "preference_interval", 0.849, 0.8491071428571428 },
  };
  g_autoptr(GString) lines = g_string_new ("{\"type\": \"dataset\", \"id\": \"k2011\", "
                                           "\"scale\": 5, \"overlap\": 4}\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) json = { 0 };
  g_auto(RoundsTestCliRun) text = { 0 };
  JsonObject *agreement;

  for (guint unit = 0; unit < 12; unit++)
    g_string_append_printf (lines, "{\"id\": \"u%u\", \"scenario\": \"Unit %u\", \"responses\": "
                            "[{\"text\": \"a\"}, {\"text\": \"b\"}]}\n", unit + 1, unit + 1);
  for (guint observer = 0; observer < 4; observer++)
    for (guint unit = 0; unit < 12; unit++)
      if (krippendorff_2011[observer][unit] != 0)
        g_string_append_printf (lines, "{\"type\": \"judgement\", \"dataset\": \"k2011\", "
                                "\"item\": \"u%u\", \"annotator\": \"observer-%c\", "
                                "\"preference\": %d}\n",
                                unit + 1, 'a' + observer, krippendorff_2011[observer][unit] - 3);
  write_file (fixture, "k2011.jsonl", lines->str);

  run_cli (fixture, &import, "--db", fixture->db, "import", "k2011.jsonl", NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_nonnull (strstr (import.out, "judgements 41 added"));

  run_cli (fixture, &json, "--db", fixture->db, "agreement", "--json", "k2011", NULL);
  g_assert_cmpint (json.status, ==, 0);
  agreement = first_agreement (parser, json.out);
  for (guint i = 0; i < G_N_ELEMENTS (alphas); i++)
    {
      JsonObject *measure = json_object_get_object_member (agreement, alphas[i].member);
      double alpha = json_object_get_double_member (measure, "alpha");

      g_test_message ("%s: %.6f", alphas[i].member, alpha);
      g_assert_cmpstr (json_object_get_string_member (measure, "status"), ==, "ok");
      /* Unit 12 has one value: 11 items, 40 pairable values. */
      g_assert_cmpint (json_object_get_int_member (measure, "items"), ==, 11);
      g_assert_cmpint (json_object_get_int_member (measure, "pairable_values"), ==, 40);
      g_assert_cmpfloat_with_epsilon (round (alpha * 1000) / 1000, alphas[i].published, 1e-9);
      g_assert_cmpfloat_with_epsilon (alpha, alphas[i].exact, 1e-9);
    }

  /* The text names the headline and says why. */
  run_cli (fixture, &text, "--db", fixture->db, "agreement", "k2011", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "preference (ordinal α, headline)       0.815"));
  g_assert_nonnull (strstr (text.out, "preference (nominal α)                 0.743"));
  g_assert_nonnull (strstr (text.out, "preference (interval α)                0.849"));
  g_assert_nonnull (strstr (text.out, "The headline for the preference is ordinal α"));
}

static void
test_bad_database (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };

  write_file (fixture, "rounds.db",
              "this is not a database, it is a text file that is long enough");
  run_cli (fixture, &run, "--db", fixture->db, "datasets", NULL);
  g_assert_cmpint (run.status, ==, 4);
  g_assert_nonnull (strstr (run.err, "rounds.db"));
}

/* Export from the command line: the demo as TRL pairs, split by scenario; bad options
 * exit 2 with the option named and leave no file. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *items = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                             "rounds-demo.jsonl", NULL);
  g_autofree char *judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                                  "rounds-demo-judgements.jsonl", NULL);
  g_autofree char *train = g_build_filename (fixture->dir, "pairs.train.jsonl", NULL);
  g_autofree char *test = g_build_filename (fixture->dir, "pairs.test.jsonl", NULL);
  g_autofree char *bad = g_build_filename (fixture->dir, "bad.jsonl", NULL);
  g_autofree char *train_text = NULL, *test_text = NULL;
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) export = { 0 };
  g_auto(RoundsTestCliRun) count = { 0 };
  g_auto(RoundsTestCliRun) refused = { 0 };
  g_auto(RoundsTestCliRun) unknown = { 0 };
  guint lines = 0;

  run_cli (fixture, &import, "--db", fixture->db, "import", items, judgements, NULL);
  g_assert_cmpint (import.status, ==, 0);

  run_cli (fixture, &count, "--db", fixture->db, "export", "--format", "trl", "--count", NULL);
  g_assert_cmpint (count.status, ==, 0);
  g_assert_true (g_str_has_prefix (count.out, "25 records written from 44 items"));

  run_cli (fixture, &export, "--db", fixture->db, "export", "--format", "trl",
           "--split", "test=0.3",
           "--seed", "11", "-o", "pairs.jsonl", NULL);
  g_test_message ("%s", export.err);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.err, "25 records written"));
  g_assert_nonnull (strstr (export.err, "by consensus (mean preference)"));
  g_assert_nonnull (strstr (export.err, "not judged yet"));
  g_assert_true (g_file_get_contents (train, &train_text, NULL, NULL));
  g_assert_true (g_file_get_contents (test, &test_text, NULL, NULL));
  for (const char *p = train_text; *p; p++)
    lines += *p == '\n';
  for (const char *p = test_text; *p; p++)
    lines += *p == '\n';
  g_assert_cmpuint (lines, ==, 25);
  g_assert_cmpint (count_rows (fixture, "audit_log WHERE action = 'export.write'"), ==, 1);

  run_cli (fixture, &refused, "--db", fixture->db, "export", "--format", "trl",
           "--min-agreement", "1.5",
           "-o", "bad.jsonl", NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "--min-agreement"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  run_cli (fixture, &unknown, "--db", fixture->db, "export", "--format", "dpo", "-o",
           "bad.jsonl", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown format “dpo”"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/cli/help", test_help);
  ADD ("/rounds/cli/db-anywhere", test_db_anywhere);
  ADD ("/rounds/cli/bad-input", test_bad_input);
  ADD ("/rounds/cli/refusals", test_refusals);
  ADD ("/rounds/cli/several-files", test_several_files);
  ADD ("/rounds/cli/conflict-and-update", test_conflict_and_update);
  ADD ("/rounds/cli/mapped-csv", test_mapped_csv);
  ADD ("/rounds/cli/profiles", test_profiles);
  ADD ("/rounds/cli/stats-json", test_stats_json);
  ADD ("/rounds/cli/demo-dataset", test_demo_dataset);
  ADD ("/rounds/cli/agreement", test_agreement);
  ADD ("/rounds/cli/agreement-published", test_agreement_published);
  ADD ("/rounds/cli/bad-database", test_bad_database);
  ADD ("/rounds/cli/export", test_export);
#undef ADD

  return g_test_run ();
}
