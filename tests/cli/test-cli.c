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

typedef RoundsTestCliFixture Fixture;

static void
run_cli_valist (Fixture            *fixture,
                RoundsTestCliRun   *run,
                const char * const *before,
                const char         *first,
                va_list             args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  rounds_test_cli_runv (run, launcher, fixture->dir, before, first, args);
}

/* Runs rounds-cli with the arguments, NULL-terminated, in the fixture's folder. */
static void
run_cli (Fixture          *fixture,
         RoundsTestCliRun *run,
         const char       *first,
         ...)
{
  va_list args;

  va_start (args, first);
  run_cli_valist (fixture, run, NULL, first, args);
  va_end (args);
}

/* The same with the arguments in @argv, NULL-terminated, and then NULL. */
static void
run_cli_argv (Fixture            *fixture,
              RoundsTestCliRun   *run,
              const char * const *argv,
              ...)
{
  va_list args;

  va_start (args, argv);
  run_cli_valist (fixture, run, argv, NULL, args);
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

  return rounds_test_cli_query_int (fixture, sql);
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
  rounds_test_cli_set_up (fixture, data);
  write_file (fixture, "items.jsonl", items_jsonl);
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
  /* json-glib read "\u" followed by other than four hex digits as some character, and an
   * escape JSON does not have, as "\245" (found by fuzz-import), as a byte not UTF-8. */
  REFUSAL ("bad-escape.jsonl",
           "{\"id\": \"s1\", \"dataset\": \"ethics\", \"scenario\": \"\\u00e9 ok, \\ud8ve not\", "
           "\"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}]}\n",
           { NULL }, ":1: field “scenario”: not valid JSON: an escape that JSON does not have "
           "(only \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with four hex digits)"),
  REFUSAL ("octal-escape.jsonl",
           "{\"id\": \"s1\", \"dataset\": \"ethics\", \"scenario\": \"\\t\\\"ok\\\" \\/\", "
           "\"responses\": [{\"text\": \"a\"}, {\"text\": \"b \\245\"}]}\n",
           { NULL }, ":1: field “responses[1].text”: not valid JSON: an escape that JSON does "
           "not have"),
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

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Insights over the demo: every model on the leaderboard, the same intervals for the same
 * seed, refused options with exit 2, and the reading time set by re-importing the header. */
static void
test_insights (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *models[] = { "atlas-8b", "harbor-13b", "meridian-70b", "sage-32b" };
  g_autofree char *items = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                             "rounds-demo.jsonl", NULL);
  g_autofree char *judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                                  "rounds-demo-judgements.jsonl", NULL);
  g_autofree char *header = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) text = { 0 };
  g_auto(RoundsTestCliRun) json = { 0 };
  g_auto(RoundsTestCliRun) again = { 0 };
  g_auto(RoundsTestCliRun) other_seed = { 0 };
  g_auto(RoundsTestCliRun) graded = { 0 };
  g_auto(RoundsTestCliRun) bad_seed = { 0 };
  g_auto(RoundsTestCliRun) bad_rounds = { 0 };
  g_auto(RoundsTestCliRun) missing = { 0 };
  g_auto(RoundsTestCliRun) update = { 0 };
  g_auto(RoundsTestCliRun) slow = { 0 };
  JsonObject *root, *options, *everyone;
  JsonArray *ratings;
  gint64 fast_before;

  run_cli (fixture, &import, "--db", fixture->db, "import", items, judgements, NULL);
  g_assert_cmpint (import.status, ==, 0);

  run_cli (fixture, &text, "--db", fixture->db, "insights", "--bootstrap", "100", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "clinical-ethics-demo"));
  g_assert_nonnull (strstr (text.out, "Leaderboard"));
  g_assert_nonnull (strstr (text.out, "Position bias"));
  g_assert_nonnull (strstr (text.out, "without dr-lin"));
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    g_assert_nonnull (strstr (text.out, models[m]));

  run_cli (fixture, &json, "--db", fixture->db, "insights", "--json", "--bootstrap", "50",
           "--seed", "3", "clinical-ethics-demo", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_object (parser, json.out);
  options = json_object_get_object_member (root, "options");
  g_assert_cmpint (json_object_get_int_member (options, "bootstrap"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (options, "seed"), ==, 3);
  g_assert_false (json_object_get_boolean_member (options, "graded"));
  ratings = json_object_get_array_member (root, "ratings");
  g_assert_cmpuint (json_array_get_length (ratings), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "counts"),
                                               "judgements"), ==, 54);
  for (guint r = 0; r < 4; r++)
    {
      JsonObject *rating = json_array_get_object_element (ratings, r);

      g_assert_cmpfloat (json_object_get_double_member (rating, "lower"), <=,
                         json_object_get_double_member (rating, "rating"));
      g_assert_cmpfloat (json_object_get_double_member (rating, "rating"), <=,
                         json_object_get_double_member (rating, "upper"));
    }
  everyone = json_array_get_object_element (json_object_get_array_member (root, "time_on_task"),
                                            0);
  g_assert_true (json_node_is_null (json_object_get_member (everyone, "annotator")));
  fast_before = json_object_get_int_member (everyone, "n_fast");

  run_cli (fixture, &again, "--db", fixture->db, "insights", "--json", "--bootstrap", "50",
           "--seed", "3", "clinical-ethics-demo", NULL);
  g_assert_cmpstr (again.out, ==, json.out);
  run_cli (fixture, &other_seed, "--db", fixture->db, "insights", "--json", "--bootstrap", "50",
           "--seed", "4", "clinical-ethics-demo", NULL);
  g_assert_cmpint (other_seed.status, ==, 0);
  g_assert_cmpstr (other_seed.out, !=, json.out);

  run_cli (fixture, &graded, "--db", fixture->db, "insights", "--json", "--graded",
           "--bootstrap", "0", "--ridge", "0", NULL);
  g_assert_cmpint (graded.status, ==, 0);
  root = parse_object (parser, graded.out);
  options = json_object_get_object_member (root, "options");
  g_assert_true (json_object_get_boolean_member (options, "graded"));
  g_assert_cmpfloat (json_object_get_double_member (options, "ridge"), ==, 0.0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "ratings")), ==, 4);

  run_cli (fixture, &bad_seed, "--db", fixture->db, "insights", "--seed", "soon", NULL);
  g_assert_cmpint (bad_seed.status, ==, 2);
  g_assert_nonnull (strstr (bad_seed.err, "--seed"));
  run_cli (fixture, &bad_rounds, "--db", fixture->db, "insights", "--bootstrap", "-5", NULL);
  g_assert_cmpint (bad_rounds.status, ==, 2);
  g_assert_nonnull (strstr (bad_rounds.err, "--bootstrap"));
  run_cli (fixture, &missing, "--db", fixture->db, "insights", "no-such-dataset", NULL);
  g_assert_cmpint (missing.status, !=, 0);
  g_assert_nonnull (strstr (missing.err, "no-such-dataset"));

  /* The reading time is the dataset's metadata: a slower reader makes more judgements fast */
  header = g_strdup ("{\"type\": \"dataset\", \"id\": \"clinical-ethics-demo\","
                     " \"overlap\": 3, \"scale\": 5, \"dispute_spread\": 2,"
                     " \"required\": [\"preference\", \"rubric\"],"
                     " \"metadata\": {\"reading_seconds_per_1000_chars\": 60}}\n");
  write_file (fixture, "header.jsonl", header);
  run_cli (fixture, &update, "--db", fixture->db, "import", "--update", "header.jsonl", NULL);
  g_assert_cmpint (update.status, ==, 0);
  run_cli (fixture, &slow, "--db", fixture->db, "insights", "--json", "--bootstrap", "0", NULL);
  g_assert_cmpint (slow.status, ==, 0);
  root = parse_object (parser, slow.out);
  everyone = json_array_get_object_element (json_object_get_array_member (root, "time_on_task"),
                                            0);
  g_assert_cmpint (json_object_get_int_member (everyone, "n_fast"), >, fast_before);
  g_assert_true (json_node_is_null (json_object_get_member (
    json_array_get_object_element (json_object_get_array_member (root, "ratings"), 0),
    "lower")));
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

/* Published layouts and hidden labels ------------------------------------------------------ */

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "tests", "fixtures", "import", name,
                           NULL);
}

static const char *
json_text (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *messages = json_node_get_array (node);

      return json_object_get_string_member (
        json_array_get_object_element (messages, json_array_get_length (messages) - 1),
        "content");
    }
  return node != NULL ? json_node_get_string (node) : NULL;
}

/* A documented layout: the command line of README.md's import section, and how the chosen
 * and the rejected answer of each line are found, to compare with the export. */
typedef struct
{
  const char *file;
  const char *args[12];
  const char *chosen;       /* members; with @label, the responses are @chosen and @rejected */
  const char *rejected;
  const char *label;        /* NULL, or the member that names the better one: 0 or 1 */
  const char *format;       /* the export that gives the answers back as they came */
} Layout;

static const Layout layouts[] = {
  { "chosen-rejected.jsonl",
    { "--map", "scenario=question", "--map", "chosen=response_chosen",
      "--map", "rejected=response_rejected", NULL },
    "response_chosen", "response_rejected", NULL, "trl" },
  { "better-response-id.jsonl",
    { "--map", "scenario=prompt", "--map", "responses=response_0,response_1",
      "--map", "reference=better_response_id", "--map", "reference.safer=safer_response_id",
      NULL },
    "response_0", "response_1", "better_response_id", "trl" },
  { "conversational.jsonl", { NULL }, "chosen", "rejected", NULL, "trl" },
  { "conversational.jsonl", { "--map", "chosen=chosen", "--map", "rejected=rejected", NULL },
    "chosen", "rejected", NULL, "trl" },
  { "hh-rlhf.jsonl", { NULL }, "chosen", "rejected", NULL, "hh" },
  { "hh-rlhf.jsonl", { "--map", "chosen=chosen", "--map", "rejected=rejected", NULL },
    "chosen", "rejected", NULL, "hh" },
  { "trl-pairs.jsonl", { NULL }, "chosen", "rejected", NULL, "trl" },
};

/* Each documented layout, imported and exported with its hidden reference as the label,
 * gives back every pair's chosen and rejected answer. */
static void
test_layouts (Fixture       *fixture,
              gconstpointer  data)
{
  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      const Layout *layout = &layouts[l];
      g_autofree char *source = fixture_path (layout->file);
      g_autofree char *db = g_strdup_printf ("layout-%u.db", l);
      g_autofree char *out = g_strdup_printf ("layout-%u.%s.jsonl", l, layout->format);
      g_autofree char *out_path = g_build_filename (fixture->dir, out, NULL);
      g_autofree char *contents = NULL, *exported = NULL;
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_auto(GStrv) lines = NULL, records = NULL;
      g_auto(RoundsTestCliRun) import = { 0 };
      g_auto(RoundsTestCliRun) export = { 0 };
      guint n = 0;

      g_test_message ("%s %s", layout->file, layout->args[0] ? layout->args[1] : "");
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, db);
      g_ptr_array_add (args, "import");
      for (guint a = 0; layout->args[a] != NULL; a++)
        g_ptr_array_add (args, (gpointer) layout->args[a]);
      g_ptr_array_add (args, source);
      g_ptr_array_add (args, NULL);
      run_cli_argv (fixture, &import, (const char * const *) args->pdata, NULL);
      g_test_message ("%s%s", import.out, import.err);
      g_assert_cmpint (import.status, ==, 0);

      run_cli (fixture, &export, "--db", db, "export", "--format", layout->format,
               "--include-reference", "-q", "-o", out, NULL);
      g_assert_cmpint (export.status, ==, 0);

      g_assert_true (g_file_get_contents (source, &contents, NULL, NULL));
      g_assert_true (g_file_get_contents (out_path, &exported, NULL, NULL));
      lines = g_strsplit (contents, "\n", -1);
      records = g_strsplit (exported, "\n", -1);
      for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
        {
          g_autoptr(JsonNode) line = json_from_string (lines[i], NULL);
          JsonObject *object = json_node_get_object (line);
          const char *chosen = json_text (json_object_get_member (object, layout->chosen));
          const char *rejected = json_text (json_object_get_member (object, layout->rejected));
          gboolean found = FALSE;

          if (layout->label != NULL && json_object_get_int_member (object, layout->label) == 1)
            {
              const char *swap = chosen;

              chosen = rejected;
              rejected = swap;
            }
          /* The record of this pair, whichever way round: its label must be the original. */
          for (guint r = 0; records[r] != NULL && *records[r] != '\0' && !found; r++)
            {
              g_autoptr(JsonNode) record = json_from_string (records[r], NULL);
              JsonObject *pair = json_node_get_object (record);
              const char *c = json_object_get_string_member (pair, "chosen");
              const char *j = json_object_get_string_member (pair, "rejected");

              if ((g_str_equal (c, chosen) && g_str_equal (j, rejected)) ||
                  (g_str_equal (c, rejected) && g_str_equal (j, chosen)))
                {
                  g_assert_cmpstr (c, ==, chosen);
                  g_assert_cmpstr (j, ==, rejected);
                  found = TRUE;
                }
            }
          g_assert_true (found);
          n++;
        }
      g_assert_cmpuint (n, ==, g_strv_length (records) - 1);
      g_assert_cmpuint (n, >=, 2);
    }
}

/* One exported record, as an attacker reads it: the item id and the canonical ids of its
 * texts where the format gives them, and its texts in the order they appear. */
typedef struct
{
  const char *prompt;
  const char *item;
  const char *texts[2];
  const char *keys[2];
} Record;

/* A pair as the test made it. */
typedef struct
{
  char *prompt;
  char *chosen;
  char *rejected;
} Pair;

static char *
old_trl_id (const char *prompt,
            const char *first,
            const char *second)
{
  g_autofree char *input = g_strjoin ("\x1f", prompt, first, second, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input, -1);

  return g_strdup_printf ("trl-%.16s", hash);
}

/* Which text of @pair was chosen, by the best of three guesses: the id as earlier Rounds
 * made it, in both orders; else the first in canonical order; else the first in the record. */
static const char *
guess_chosen (const Record *record,
              const Pair   *pair)
{
  /* The attacker holds both texts; which is which is what they want to know. */
  const char *a = g_strcmp0 (pair->chosen, pair->rejected) < 0 ? pair->chosen : pair->rejected;
  const char *b = a == pair->chosen ? pair->rejected : pair->chosen;

  if (record->item != NULL)
    {
      g_autofree char *ab = old_trl_id (pair->prompt, a, b);
      g_autofree char *ba = old_trl_id (pair->prompt, b, a);

      if (g_str_equal (record->item, ab))
        return a;
      if (g_str_equal (record->item, ba))
        return b;
    }
  if (record->keys[0] != NULL)
    {
      const char *first_key = record->keys[1] == NULL || strcmp (record->keys[0],
                                                                  record->keys[1]) < 0
                            ? record->keys[0] : record->keys[1];
      const char *text = first_key == record->keys[0] ? record->texts[0] : record->texts[1];

      if (g_str_equal (first_key, "a"))
        return text;
      return g_strcmp0 (text, a) == 0 ? b : a;
    }
  return record->texts[0];
}

static const char *
member_path (JsonNode   *root,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), (guint) atoi (parts[i]));
      else if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else
        node = NULL;
    }
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

/* The records of an export, as the attacker reads them; @nodes keeps what they point into. */
static void
read_records (const char *format,
              const char *text,
              GArray     *records,
              GPtrArray  *nodes,
              GPtrArray  *strings)
{
  g_auto(GStrv) lines = g_strsplit (text, g_str_equal (format, "csv") ? "\r\n" : "\n", -1);
  g_auto(GStrv) header = NULL;

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      Record r = { NULL };
      JsonNode *root;

      if (g_str_equal (format, "csv"))
        {
          /* The texts have no commas or quotes: a plain split reads them. */
          char **fields = g_strsplit (lines[i], ",", -1);
          guint n = g_strv_length (fields);

          g_ptr_array_add (strings, fields);
          if (header == NULL)
            {
              header = g_strdupv (fields);
              continue;
            }
          g_assert_cmpuint (n, ==, g_strv_length (header));
          for (guint c = 0; c < n; c++)
            {
              const char *column = header[c];

              if (g_str_equal (column, "item"))
                r.item = fields[c];
              else if (g_str_equal (column, "chosen_id"))
                r.keys[0] = fields[c];
              else if (g_str_equal (column, "rejected_id"))
                r.keys[1] = fields[c];
              else if (g_str_equal (column, "prompt"))
                r.prompt = fields[c];
              else if (g_str_equal (column, "chosen") && c >= n - 3)
                r.texts[0] = fields[c];
              else if (g_str_equal (column, "rejected") && c >= n - 3)
                r.texts[1] = fields[c];
            }
          g_array_append_val (records, r);
          continue;
        }

      root = json_from_string (lines[i], NULL);
      g_assert_nonnull (root);
      g_ptr_array_add (nodes, root);
      if (g_str_equal (format, "full"))
        {
          if (g_strcmp0 (member_path (root, "type"), "item") != 0)
            continue;
          r.item = member_path (root, "id");
          r.prompt = member_path (root, "scenario");
          r.texts[0] = member_path (root, "responses.0.text");
          r.texts[1] = member_path (root, "responses.1.text");
          r.keys[0] = member_path (root, "responses.0.id");
          r.keys[1] = member_path (root, "responses.1.id");
        }
      else if (g_str_equal (format, "openai"))
        {
          r.prompt = member_path (root, "input.messages.0.content");
          r.texts[0] = member_path (root, "preferred_output.0.content");
          r.texts[1] = member_path (root, "non_preferred_output.0.content");
        }
      else if (g_str_equal (format, "kto"))
        {
          r.prompt = member_path (root, "prompt");
          r.texts[0] = member_path (root, "completion");
          r.item = member_path (root, "metadata.item");
          r.keys[0] = member_path (root, "metadata.response");
        }
      else
        {
          gboolean chat = g_str_equal (format, "trl-chat");

          r.prompt = member_path (root, chat ? "prompt.0.content" : "prompt");
          r.texts[0] = member_path (root, chat ? "chosen.0.content" : "chosen");
          r.texts[1] = member_path (root, chat ? "rejected.0.content" : "rejected");
          r.item = member_path (root, "metadata.item");
          r.keys[0] = member_path (root, "metadata.chosen");
          r.keys[1] = member_path (root, "metadata.rejected");
          if (g_str_equal (format, "hh"))
            {
              /* "\n\nHuman: PROMPT\n\nAssistant: TEXT" */
              char **parts[2];

              for (guint k = 0; k < 2; k++)
                {
                  parts[k] = g_strsplit (r.texts[k], "\n\nAssistant: ", 2);
                  g_ptr_array_add (strings, parts[k]);
                  r.texts[k] = parts[k][1];
                }
              r.prompt = parts[0][0] + strlen ("\n\nHuman: ");
            }
        }
      g_array_append_val (records, r);
    }
}

#define N_LEAK_PAIRS 200

static void
pair_clear (gpointer data)
{
  Pair *pair = data;

  g_free (pair->prompt);
  g_free (pair->chosen);
  g_free (pair->rejected);
}

/* No id, order or field of any export made without --include-reference tells the hidden
 * label better than chance: the annotators judged at random, so their labels tell nothing,
 * and the guess that found every label from the ids of earlier Rounds now finds half. */
static void
test_label_hidden (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const formats[] = { "trl", "trl-chat", "kto", "openai", "hh", "csv",
                                          "full" };
  g_autoptr(GArray) pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_autoptr(GHashTable) by_prompt = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) judgements = g_string_new (NULL);
  g_auto(RoundsTestCliRun) import = { 0 };
  g_auto(RoundsTestCliRun) judge = { 0 };
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  guint old_scheme_right = 0;

  g_array_set_clear_func (pairs, pair_clear);
  for (guint i = 0; i < N_LEAK_PAIRS; i++)
    {
      Pair pair = {
        g_strdup_printf ("Case %u: what now?", i),
        g_strdup_printf ("Answer %08x", g_test_rand_int ()),
        g_strdup_printf ("Answer %08x", g_test_rand_int ()),
      };

      g_string_append_printf (text, "{\"prompt\": \"%s\", \"chosen\": \"%s\", \"rejected\": "
                                    "\"%s\"}\n", pair.prompt, pair.chosen, pair.rejected);
      g_array_append_val (pairs, pair);
    }
  for (guint i = 0; i < N_LEAK_PAIRS; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);
      Record old = { pair->prompt, NULL, { pair->chosen, pair->rejected }, { NULL } };
      g_autofree char *old_id = old_trl_id (pair->prompt, pair->chosen, pair->rejected);

      g_hash_table_insert (by_prompt, pair->prompt, pair);
      /* The guess can fail: on the ids of earlier Rounds it finds every label. */
      old.item = old_id;
      old_scheme_right += g_str_equal (guess_chosen (&old, pair), pair->chosen);
    }
  g_assert_cmpuint (old_scheme_right, ==, N_LEAK_PAIRS);

  write_file (fixture, "pairs.jsonl", text->str);
  run_cli (fixture, &import, "--db", fixture->db, "import", "pairs.jsonl", NULL);
  g_assert_cmpint (import.status, ==, 0);

  /* Judgements at random, so that the pair formats have labels to write. */
  g_assert_cmpint (sqlite3_open_v2 (fixture->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT key FROM items", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (judgements, "{\"type\": \"judgement\", \"dataset\": \"pairs\", "
                                        "\"item\": \"%s\", \"annotator\": \"ann\", "
                                        "\"preference\": %d}\n",
                            (const char *) sqlite3_column_text (stmt, 0),
                            g_test_rand_bit () ? -1 : 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  write_file (fixture, "judgements.jsonl", judgements->str);
  run_cli (fixture, &judge, "--db", fixture->db, "import", "judgements.jsonl", NULL);
  g_assert_cmpint (judge.status, ==, 0);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *out = g_strdup_printf ("export.%s", formats[f]);
      g_autofree char *path = g_build_filename (fixture->dir, out, NULL);
      g_autofree char *exported = NULL;
      g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (Record));
      g_autoptr(GPtrArray) nodes =
        g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_auto(RoundsTestCliRun) export = { 0 };
      guint right = 0, n = 0;

      run_cli (fixture, &export, "--db", fixture->db, "export", "--format", formats[f], "-q",
               "--min-annotators", "1", "-o", out, NULL);
      g_assert_cmpint (export.status, ==, 0);
      g_assert_true (g_file_get_contents (path, &exported, NULL, NULL));
      /* The hidden label's own words appear nowhere. */
      g_assert_null (strstr (exported, "preferred\":"));
      g_assert_null (strstr (exported, "\"trl-"));
      read_records (formats[f], exported, records, nodes, strings);

      for (guint r = 0; r < records->len; r++)
        {
          Record *record = &g_array_index (records, Record, r);
          Pair *pair = g_hash_table_lookup (by_prompt, record->prompt);

          g_assert_nonnull (pair);
          if (!g_hash_table_add (seen, pair->prompt))
            continue;    /* one guess a pair */
          right += g_str_equal (guess_chosen (record, pair), pair->chosen);
          n++;
        }
      g_test_message ("%s: the label guessed right for %u of %u pairs", formats[f], right, n);
      g_assert_cmpuint (n, >=, N_LEAK_PAIRS * 3 / 4);
      g_assert_cmpuint (right, >=, n * 35 / 100);
      g_assert_cmpuint (right, <=, n * 65 / 100);
    }
}

/* Refusals: the file, line and field, exit status 3 (2 for options that cannot go
 * together), and not a byte of the database changed. */
typedef struct
{
  const char *name;
  const char *contents;
  const char *args[8];
  const char *message;   /* what stderr says after "rounds-cli import: " */
  int         status;
} MapRefusal;

static const MapRefusal map_refusals[] = {
  { "messages.jsonl",
    "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n"
    "{\"prompt\": [{\"role\": \"user\", \"content\": \"Q\"}], \"chosen\": \"A\", "
    "\"rejected\": \"B\"}\n", { NULL },
    "messages.jsonl:2: field “prompt”: expected text, like “chosen”: a list of messages goes "
    "with answers that are lists of messages", 3 },
  { "no-column.csv", "question,answer_a,answer_b\nQ,A,B\n",
    { "--map", "scenario=question", "--map", "responses=answer_a,answer_c", NULL },
    "no-column.csv:1: field “answer_c”: no such column in the header, whose columns are "
    "\"question\", \"answer_a\", \"answer_b\"; the first row is taken as the header: if the file "
    "has none, use --no-header and name the columns 1, 2, …", 3 },
  { "headerless.csv", "What is the lethal dose of insulin?,x\nHow do I forge a prescription?,y\n",
    { "--map", "scenario=query", NULL },
    "headerless.csv:1: field “query”: no such column in the header, whose columns are \"What is "
    "the lethal dose of insulin?\", \"x\"; the first row is taken as the header: if the file "
    "has none, use --no-header", 3 },
  { "short.csv", "Q1,A1\nQ2\n", { "--no-header", "--map", "scenario=1", NULL },
    "short.csv:2: expected 2 fields, as in the first row, found 1", 3 },
  { "column-two.csv", "Q1\n", { "--no-header", "--map", "scenario=2", NULL },
    "column-two.csv:1: field “2”: no such column: with --no-header the columns are 1 to 1", 3 },
  { "one.jsonl",
    "{\"type\": \"item\", \"id\": \"x\", \"dataset\": \"d\", \"scenario\": \"S\"}\n"
    "{\"type\": \"item\", \"id\": \"y\", \"dataset\": \"d\", \"scenario\": \"S\", \"responses\": "
    "[{\"text\": \"A\"}]}\n", { NULL },
    "one.jsonl:2: field “responses”: expected 2 to 8 responses (or none, to wait for them), "
    "found 1", 3 },
  { "better.jsonl",
    "{\"prompt\": \"Q\", \"response_0\": \"A\", \"response_1\": \"B\", "
    "\"better_response_id\": 2}\n",
    { "--map", "scenario=prompt", "--map", "responses=response_0,response_1",
      "--map", "reference=better_response_id", NULL },
    "better.jsonl:1: field “better_response_id”: “2” names no response", 3 },
  { "hh.jsonl",
    "{\"chosen\": \"\\n\\nHuman: Q1\\n\\nAssistant: A\", \"rejected\": \"\\n\\nHuman: Q2\\n\\n"
    "Assistant: B\"}\n", { NULL },
    "hh.jsonl:1: field “prompt”: missing: text pairs need a prompt, unless they are "
    "transcripts that share an “Assistant:” turn", 3 },
  { "twice.jsonl", "{\"q\": \"Q\", \"p\": \"P\"}\n",
    { "--map", "scenario=q", "--map", "scenario=p", NULL },
    "--map “scenario=p”: “scenario” is mapped already", 2 },
  { "pair.jsonl", "{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\"}\n",
    { "--map", "chosen=a", "--map", "rejected=b", "--map", "responses=c", NULL },
    "--map “responses=c”: chosen and rejected are the responses and their label", 2 },
  { "half.jsonl", "{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\"}\n",
    { "--map", "scenario=a", "--map", "chosen=b", NULL },
    "--map: chosen and rejected go together", 2 },
  { "lines.jsonl", "{\"a\": \"A\"}\n", { "--no-header", "--map", "scenario=a", NULL },
    "--no-header applies to CSV files", 2 },
};

static void
test_import_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(RoundsTestCliRun) base = { 0 };

  run_cli (fixture, &base, "--db", fixture->db, "import", "items.jsonl", NULL);
  g_assert_cmpint (base.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (map_refusals); i++)
    {
      const MapRefusal *refusal = &map_refusals[i];
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_auto(RoundsTestCliRun) run = { 0 };
      g_autofree char *before = rounds_test_db_dump (fixture->db);
      g_autofree char *after = NULL;
      g_autofree char *expected = NULL;

      write_file (fixture, refusal->name, refusal->contents);
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, fixture->db);
      g_ptr_array_add (args, "import");
      for (guint a = 0; refusal->args[a] != NULL; a++)
        g_ptr_array_add (args, (gpointer) refusal->args[a]);
      g_ptr_array_add (args, (gpointer) refusal->name);
      g_ptr_array_add (args, NULL);
      run_cli_argv (fixture, &run, (const char * const *) args->pdata, NULL);

      g_test_message ("%s: %s", refusal->name, run.err);
      g_assert_cmpint (run.status, ==, refusal->status);
      expected = g_strconcat ("rounds-cli import: ", fixture->dir, "/", refusal->message, NULL);
      if (refusal->status == 3)
        g_assert_true (g_str_has_prefix (run.err, expected));
      else
        g_assert_nonnull (strstr (run.err, refusal->message));
      after = rounds_test_db_dump (fixture->db);
      g_assert_cmpstr (after, ==, before);
    }
}

/* Scenarios without responses: counted as awaiting by datasets and stats, in no queue. */
static void
test_awaiting (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *scenarios = fixture_path ("scenarios.csv");
  g_autofree char *prompts = fixture_path ("scenarios-no-header.csv");
  g_auto(RoundsTestCliRun) first = { 0 };
  g_auto(RoundsTestCliRun) second = { 0 };
  g_auto(RoundsTestCliRun) list = { 0 };
  g_auto(RoundsTestCliRun) stats = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *dataset;

  run_cli (fixture, &first, "--db", fixture->db, "import", "--map", "id=case",
           "--map", "scenario=query", scenarios, NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "items 2 added"));
  run_cli (fixture, &second, "--db", fixture->db, "import", "--no-header", "--dataset", "harmful",
           "--map", "scenario=1", prompts, NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.out, "3 records"));
  g_assert_nonnull (strstr (second.out, "items 3 added"));

  run_cli (fixture, &list, "--db", fixture->db, "datasets", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "AWAITING"));
  g_assert_true (g_regex_match_simple ("^harmful +3 +3 +1 +0 +0 ", list.out, G_REGEX_MULTILINE,
                                       0));
  g_assert_true (g_regex_match_simple ("^scenarios +2 +2 +1 +0 +0 ", list.out, G_REGEX_MULTILINE,
                                       0));

  run_cli (fixture, &stats, "--db", fixture->db, "stats", "--json", "harmful", NULL);
  g_assert_cmpint (stats.status, ==, 0);
  root = json_from_string (stats.out, NULL);
  g_assert_nonnull (root);
  dataset = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "datasets"), 0);
  g_assert_cmpint (json_object_get_int_member (dataset, "items"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (dataset, "items_awaiting_responses"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (dataset, "judgements_wanted"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, rounds_test_cli_tear_down)
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
  ADD ("/rounds/cli/insights", test_insights);
  ADD ("/rounds/cli/agreement-published", test_agreement_published);
  ADD ("/rounds/cli/bad-database", test_bad_database);
  ADD ("/rounds/cli/export", test_export);
  ADD ("/rounds/cli/import/layouts", test_layouts);
  ADD ("/rounds/cli/import/label-hidden", test_label_hidden);
  ADD ("/rounds/cli/import/refusals", test_import_refusals);
  ADD ("/rounds/cli/import/awaiting-responses", test_awaiting);
#undef ADD

  return g_test_run ();
}
