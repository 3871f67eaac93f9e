/* test-migrations.c: every earlier schema opens at the current one with its data intact
 *
 * tests/fixtures/schema-vN.sql is a dump of a store at schema version N holding the same
 * data (see the head of schema-v1.sql). Each is loaded into a fresh file and opened; the
 * store must reach ROUNDS_SCHEMA_VERSION with the same tables as a new store and every
 * row still there.
 *
 * A new schema version must add its fixture here: before bumping ROUNDS_SCHEMA_VERSION to
 * N+1, dump a store made by the code of version N (with the data of schema-v1.sql) into
 * tests/fixtures/schema-vN.sql. /rounds/migrations/fixtures/complete fails until it is there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rounds-error.h"
#include "rounds-store-private.h"
#include "rounds-store.h"
#include "rounds-test-util.h"

/* A folder and the path of a database not made yet. */
typedef RoundsTestStore Fixture;

/* Helpers ----------------------------------------------------------------------------- */

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  return db;
}

/* Each row of @sql as its columns joined by "|", one string a row. */
static GPtrArray *
query_rows (sqlite3    *db,
            const char *sql)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (row, "%s%s", c ? "|" : "",
                                sqlite3_column_type (stmt, c) == SQLITE_NULL ? "NULL"
                                : (const char *) sqlite3_column_text (stmt, c));
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return rows;
}

/* The tables and how many rows each has, "name=N" sorted by name. */
static GPtrArray *
count_tables (sqlite3 *db)
{
  g_autoptr(GPtrArray) tables = query_rows (db, "SELECT name FROM sqlite_schema "
                                                "WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%' ORDER BY name");
  GPtrArray *counts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM \"%s\"", name);

      g_ptr_array_add (counts, g_strdup_printf ("%s=%" G_GINT64_FORMAT, name,
                                                rounds_test_db_query_int (db, sql)));
    }
  return counts;
}

/* What the schema is made of: every table, index and trigger by name, and every column of
 * every table with its type, constraints and default. A migrated store must match a new
 * one, whatever SQL text built it. */
static char *
describe_schema (sqlite3 *db)
{
  g_autoptr(GPtrArray) objects = query_rows (db, "SELECT type, name, tbl_name FROM sqlite_schema"
                                                 " WHERE name NOT LIKE "
                                                 "'sqlite_%' ORDER BY type, name");
  g_autoptr(GPtrArray) tables = query_rows (db, "SELECT name FROM sqlite_schema "
                                                "WHERE type = 'table'"
                                                " AND name NOT LIKE 'sqlite_%' ORDER BY name");
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < objects->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (objects, i));
  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT name, type, \"notnull\", dflt_value, pk FROM "
                                              "pragma_table_info ('%s')"
                                              " ORDER BY "
                                              "name", (const char *) g_ptr_array_index (tables, i));
      g_autoptr(GPtrArray) columns = query_rows (db, sql);

      for (guint c = 0; c < columns->len; c++)
        g_string_append_printf (text, "%s.%s\n", (const char *) g_ptr_array_index (tables, i),
                                (const char *) g_ptr_array_index (columns, c));
    }
  return g_string_free (text, FALSE);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Fixtures of earlier versions -------------------------------------------------------- */

/* The data every fixture holds; see the head of schema-v1.sql. */
static void
check_fixture_data (RoundsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsItem) consent = NULL;
  g_autoptr(RoundsItem) triage = NULL;
  g_autoptr(RoundsItem) privacy = NULL;
  g_autoptr(RoundsItem) next = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  g_autoptr(RoundsJudgement) lin = NULL;
  g_autoptr(RoundsJudgement) ng = NULL;
  g_autoptr(RoundsJudgement) skip = NULL;
  g_autoptr(RoundsJudgement) draft = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  RoundsRubric *rubric;
  RoundsProgress progress;
  guint order[2];

  dataset = rounds_store_get_dataset (store, "fixture", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_dataset_get_title (dataset), ==, "Fixture data");
  g_assert_cmpuint (rounds_test_store_count_items (store, dataset), ==, 3);
  g_assert_cmpuint (rounds_dataset_get_overlap (dataset), ==, 2);
  g_assert_cmpuint (rounds_dataset_get_scale (dataset), ==, 5);
  g_assert_cmpuint (rounds_dataset_get_required (dataset), ==, ROUNDS_REQUIRE_PREFERENCE);
  rubric = rounds_dataset_get_rubric (dataset);
  g_assert_false (rounds_rubric_is_default (rubric));
  g_assert_cmpuint (rounds_rubric_get_n_criteria (rubric), ==, 2);
  g_assert_cmpstr (rounds_rubric_get_criterion (rubric, 1)->id, ==, "safety");

  consent = rounds_store_find_item (store, "fixture", "consent-001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_item_get_title (consent), ==, "同意");
  g_assert_cmpstr (rounds_item_get_scenario (consent), ==, "一名16岁患者要求避孕。\n\nWhat do you do?");
  g_assert_cmpstr (rounds_item_get_language (consent), ==, "zh-CN");
  g_assert_cmpuint (rounds_item_get_n_responses (consent), ==, 2);
  g_assert_cmpstr (rounds_item_get_response_text (consent, 0), ==, "遵循Fraser指引。");
  g_assert_cmpstr (rounds_item_get_response_model (consent, 0), ==, "model-one");
  g_assert_cmpstr (rounds_item_get_response_key (consent, 1), ==, "b");
  triage = rounds_store_find_item (store, "fixture", "triage-002", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_item_get_n_responses (triage), ==, 3);
  privacy = rounds_store_find_item (store, "fixture", "privacy-003", &error);
  g_assert_no_error (error);

  current = rounds_store_get_current_profile (store);
  g_assert_nonnull (current);
  g_assert_cmpstr (rounds_profile_get_user_name (current), ==, "dr-lin");
  g_assert_cmpstr (rounds_profile_get_display_name (current), ==, "Dr Lin");
  g_assert_cmpuint (rounds_profile_get_roles (current), ==,
                    ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);

  lin = rounds_store_get_judgement (store, consent, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lin);
  g_assert_cmpint (lin->revision, ==, 2);
  g_assert_cmpint (lin->preference, ==, -2);
  g_assert_cmpstr (lin->comment, ==, "on reflection, A");
  g_assert_cmpuint (lin->flags[1], ==, ROUNDS_FLAG_UNSAFE);
  g_assert_cmpint (*rounds_judgement_score (lin, 0, 0), ==, 3);
  edits = rounds_store_list_edits (store, consent, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (edits->len, ==, 2);
  g_assert_cmpint (((RoundsJudgement *) g_ptr_array_index (edits, 0))->preference, ==, 1);

  ng = rounds_store_get_judgement (store, consent, "dr-ng", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ng);
  g_assert_cmpstr (ng->edit_id, ==, "ng-edit-1");
  g_assert_cmpint (ng->preference, ==, -1);
  g_assert_cmpint (*rounds_judgement_score (ng, 0, 0), ==, 5);
  g_assert_cmpint (*rounds_judgement_score (ng, 0, 1), ==, 4);
  g_assert_cmpint (*rounds_judgement_score (ng, 1, 1), ==, -1);
  g_assert_cmpuint (ng->flags[1], ==, ROUNDS_FLAG_UNSAFE | ROUNDS_FLAG_OUTDATED);
  g_assert_cmpstr (ng->notes[1], ==, "Fraser");
  g_assert_cmpuint (ng->shown_order[0], ==, 1);
  g_assert_cmpint (ng->time_spent_ms, ==, 84000);

  skip = rounds_store_get_judgement (store, triage, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpint (skip->status, ==, ROUNDS_STATUS_SKIPPED);
  g_assert_cmpstr (skip->skip_reason, ==, "outside my specialty");

  draft = rounds_store_get_draft (store, privacy, "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->comment, ==, "draft");

  g_assert_true (rounds_store_get_shown_order (store, consent, "dr-lin", order, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 0);

  next = rounds_store_next_item (store, rounds_dataset_get_id (dataset), "dr-lin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rounds_item_get_key (next), ==, "privacy-003");

  g_assert_true (rounds_store_get_progress (store, rounds_dataset_get_id (dataset), "dr-lin",
                                            &progress, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.n_complete, ==, 1);
  g_assert_cmpuint (progress.n_submitted, ==, 2);
  g_assert_cmpuint (progress.n_mine, ==, 1);
  g_assert_cmpuint (progress.n_mine_skipped, ==, 1);
}

static void
test_fixture (Fixture       *fixture,
              gconstpointer  data)
{
  const char *sql_path = data;
  g_autofree char *sql = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *migrated_schema = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(RoundsStore) fresh = NULL;
  g_autoptr(RoundsItem) privacy = NULL;
  g_autoptr(RoundsJudgement) j = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  char *message = NULL;
  sqlite3 *db;
  int version;

  g_file_get_contents (sql_path, &sql, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (strrchr (sql_path, G_DIR_SEPARATOR) + 1, "schema-v%d.sql", &version),
                   ==, 1);
  g_assert_cmpint (version, >=, 1);
  g_assert_cmpint (version, <=, ROUNDS_SCHEMA_VERSION);

  db = open_raw (fixture->path);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql_path, message);
  g_assert_cmpint (rounds_test_db_query_int (db, "PRAGMA user_version"), ==, version);
  before = count_tables (db);
  g_assert_cmpuint (before->len, >, 0);
  sqlite3_close (db);

  store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (rounds_store_get_schema_version (store), ==, ROUNDS_SCHEMA_VERSION);
  g_assert_true (rounds_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* Every row is still there, and the schema is the one a new store gets. */
  after = count_tables (_rounds_store_get_db (store));
  for (guint i = 0; i < before->len; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (after, g_ptr_array_index (before, i),
                                                     g_str_equal, NULL));
  fresh = rounds_store_open (fresh_path, &error);
  g_assert_no_error (error);
  migrated_schema = describe_schema (_rounds_store_get_db (store));
  fresh_schema = describe_schema (_rounds_store_get_db (fresh));
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);

  check_fixture_data (store);
  g_clear_object (&store);

  /* Opening it again changes nothing. */
  store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rounds_store_get_schema_version (store), ==, ROUNDS_SCHEMA_VERSION);
  check_fixture_data (store);

  /* And it is as writable as a new store. */
  privacy = rounds_store_find_item (store, "fixture", "privacy-003", &error);
  g_assert_no_error (error);
  dataset = rounds_store_get_dataset (store, "fixture", &error);
  g_assert_no_error (error);
  j = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));
  j->status = ROUNDS_STATUS_SUBMITTED;
  j->has_preference = TRUE;
  j->preference = 2;
  g_assert_true (rounds_store_save_judgement (store, privacy, "dr-lin", j, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rounds_test_db_query_int (_rounds_store_get_db (store),
                                             "SELECT n_submitted FROM items "
                                             "WHERE key = 'privacy-003'"), ==, 1);
}

static GPtrArray *
list_fixtures (void)
{
  g_autoptr(GDir) dir = g_dir_open (FIXTURES_DIR, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "schema-v") && g_str_has_suffix (name, ".sql"))
      g_ptr_array_add (paths, g_build_filename (FIXTURES_DIR, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  return paths;
}

/* A fixture for every version before the current one. */
static void
test_fixtures_complete (void)
{
  for (int v = 1; v < ROUNDS_SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf ("schema-v%d.sql", v);
      g_autofree char *path = g_build_filename (FIXTURES_DIR, name, NULL);

      g_test_message ("%s", path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

/* Other files ------------------------------------------------------------------------- */

/* A store from a newer Rounds is refused and left exactly as it was. */
static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                  ROUNDS_SCHEMA_VERSION + 1);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_raw (fixture->path);

  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x TEXT); INSERT INTO future "
                                     "VALUES ('from tomorrow')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, set_version, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (fixture->path);

  store = rounds_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, fixture->path));

  after = read_bytes (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
  /* No journal, WAL or shared-memory file left behind either. */
  g_assert_cmpuint (rounds_test_count_files (fixture->dir), ==, 1);

  db = open_raw (fixture->path);
  g_assert_cmpint (rounds_test_db_query_int (db, "PRAGMA user_version"), ==,
                   ROUNDS_SCHEMA_VERSION + 1);
  g_assert_cmpint (rounds_test_db_query_int (db, "SELECT COUNT(*) FROM sqlite_schema"), ==, 1);
  sqlite3_close (db);
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);

  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "not a database ");
  g_file_set_contents (fixture->path, junk->str, junk->len, &error);
  g_assert_no_error (error);
  before = read_bytes (fixture->path);

  store = rounds_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  after = read_bytes (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
}

/* An empty file, as a file chooser may make, becomes a new store. */
static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rounds_store_get_schema_version (store), ==, ROUNDS_SCHEMA_VERSION);
  g_assert_true (rounds_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  db = open_raw (fixture->path);
  g_assert_cmpint (rounds_test_db_query_int (db, "PRAGMA user_version"), ==, ROUNDS_SCHEMA_VERSION);
  g_assert_cmpint (rounds_test_db_query_int (db, "SELECT COUNT(*) FROM sqlite_schema WHERE type = "
                                                 "'table' AND name = 'annotations'"), ==, 1);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) fixtures = NULL;

  g_test_init (&argc, &argv, NULL);

  fixtures = list_fixtures ();
  for (guint i = 0; i < fixtures->len; i++)
    {
      const char *path = g_ptr_array_index (fixtures, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = NULL;

      *strrchr (base, '.') = '\0';
      test_path = g_strdup_printf ("/rounds/migrations/fixtures/%s", base);
      rounds_test_store_add_unopened (test_path, path, test_fixture);
    }
  g_test_add_func ("/rounds/migrations/fixtures/complete", test_fixtures_complete);
  rounds_test_store_add_unopened ("/rounds/migrations/too-new", NULL, test_too_new);
  rounds_test_store_add_unopened ("/rounds/migrations/not-a-database", NULL, test_not_a_database);
  rounds_test_store_add_unopened ("/rounds/migrations/empty-file", NULL, test_empty_file);

  return g_test_run ();
}
