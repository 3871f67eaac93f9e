/* rounds-test-util.c: what every core test needs: a fresh database in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>

#include "rounds-importer.h"
#include "rounds-store-private.h"
#include "rounds-test-util.h"

/* Folders ------------------------------------------------------------------------------ */

/* Named after the program, so that a folder an aborted test left behind says whose it is. */
char *
rounds_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_path_get_basename (g_get_prgname ());
  g_autofree char *template = g_strdup_printf ("rounds-%s-XXXXXX", program);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
rounds_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rounds_test_remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

char *
rounds_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Writes @contents to @name in @dir and returns the file's path. */
char *
rounds_test_write_file (const char *dir,
                        const char *name,
                        const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

guint
rounds_test_count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Servers ------------------------------------------------------------------------------ */

static GPtrArray *servers;

static void
stop_servers (void)
{
  for (guint i = 0; i < servers->len; i++)
    {
      GSubprocess *server = g_ptr_array_index (servers, i);

      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  g_clear_pointer (&servers, g_ptr_array_unref);
}

char *
rounds_test_start_server (const char *name)
{
  const char *source_dir = g_getenv ("ROUNDS_SOURCE_DIR");
  g_autofree char *serve = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  if (source_dir == NULL)
    g_error ("ROUNDS_SOURCE_DIR is not set: run the tests with “meson test”");
  serve = g_build_filename (source_dir, "tests", name, "serve", NULL);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, serve, "--exit-with-stdin", NULL);
  if (server == NULL)
    g_error ("Cannot start %s (it needs node): %s", serve, error->message);
  if (servers == NULL)
    {
      servers = g_ptr_array_new_with_free_func (g_object_unref);
      atexit (stop_servers);
    }
  g_ptr_array_add (servers, g_object_ref (server));

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL)
    g_error ("%s did not start%s%s", serve, error ? ": " : "", error ? error->message : "");
  return line;
}

/* The fixture -------------------------------------------------------------------------- */

void
rounds_test_store_set_up_unopened (RoundsTestStore *fixture,
                                   gconstpointer    data)
{
  fixture->dir = rounds_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "rounds.db", NULL);
  fixture->store = NULL;
}

void
rounds_test_store_set_up (RoundsTestStore *fixture,
                          gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  rounds_test_store_set_up_unopened (fixture, data);
  fixture->store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

void
rounds_test_store_tear_down (RoundsTestStore *fixture,
                             gconstpointer    data)
{
  g_clear_object (&fixture->store);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

void
rounds_test_store_add (const char          *path,
                       gconstpointer        data,
                       RoundsTestStoreFunc  func)
{
  g_test_add_vtable (path, sizeof (RoundsTestStore), data,
                     (GTestFixtureFunc) rounds_test_store_set_up, (GTestFixtureFunc) func,
                     (GTestFixtureFunc) rounds_test_store_tear_down);
}

void
rounds_test_store_add_unopened (const char          *path,
                                gconstpointer        data,
                                RoundsTestStoreFunc  func)
{
  g_test_add_vtable (path, sizeof (RoundsTestStore), data,
                     (GTestFixtureFunc) rounds_test_store_set_up_unopened,
                     (GTestFixtureFunc) func, (GTestFixtureFunc) rounds_test_store_tear_down);
}

/* Another, empty database in the fixture's folder. */
RoundsStore *
rounds_test_store_open_new (RoundsTestStore *fixture,
                            const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  RoundsStore *store = rounds_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* Filling a store ---------------------------------------------------------------------- */

void
rounds_test_store_import (RoundsStore *store,
                          const char  *path)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  rounds_importer_run (importer, store, file, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The bundled demo (data/demo): its items, then its judgements. */
void
rounds_test_store_import_demo (RoundsStore *store)
{
  const char *files[] = { "rounds-demo.jsonl", "rounds-demo-judgements.jsonl" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                                files[i], NULL);

      rounds_test_store_import (store, path);
    }
}

void
rounds_test_store_import_update (RoundsStore *store,
                                 const char  *dir,
                                 const char  *name,
                                 const char  *text,
                                 gboolean     update)
{
  g_autofree char *path = rounds_test_write_file (dir, name, text);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  rounds_importer_set_update (importer, update);
  rounds_importer_run (importer, store, file, NULL, NULL, &error);
  g_assert_no_error (error);
}

void
rounds_test_store_add_profile (RoundsStore *store,
                               const char  *user_name,
                               const char  *display_name,
                               RoundsRoles  roles)
{
  g_autoptr(RoundsProfile) profile = rounds_profile_new (user_name, display_name, roles, NULL);
  g_autoptr(GError) error = NULL;

  rounds_store_add_profile (store, profile, &error);
  g_assert_no_error (error);
}

void
rounds_test_store_sign_in (RoundsStore *store,
                           const char  *user_name,
                           const char  *display_name,
                           RoundsRoles  roles)
{
  g_autoptr(GError) error = NULL;

  rounds_test_store_add_profile (store, user_name, display_name, roles);
  rounds_store_set_current_profile (store, user_name, &error);
  g_assert_no_error (error);
}

guint
rounds_test_store_count_items (RoundsStore   *store,
                               RoundsDataset *dataset)
{
  g_autoptr(GError) error = NULL;
  guint n_items = G_MAXUINT;

  g_assert_true (rounds_store_count_items (store, rounds_dataset_get_id (dataset), &n_items,
                                           &error));
  g_assert_no_error (error);
  return n_items;
}

RoundsItem *
rounds_test_store_find_item (RoundsStore *store,
                             const char  *dataset,
                             const char  *key_format,
                             ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  RoundsItem *item;
  va_list args;

  va_start (args, key_format);
  key = g_strdup_vprintf (key_format, args);
  va_end (args);
  item = rounds_store_find_item (store, dataset, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  return item;
}

void
rounds_test_store_judge (RoundsStore *store,
                         const char  *dataset_name,
                         const char  *key,
                         const char  *user_name,
                         int          preference)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = rounds_store_find_item (store, dataset_name, key, &error);
  g_assert_no_error (error);
  dataset = rounds_store_get_dataset (store, dataset_name, &error);
  g_assert_no_error (error);
  judgement = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));
  judgement->status = ROUNDS_STATUS_SUBMITTED;
  judgement->has_preference = TRUE;
  judgement->preference = preference;
  rounds_store_save_judgement (store, item, user_name, judgement, &error);
  g_assert_no_error (error);
}

/* SQL ---------------------------------------------------------------------------------- */

gint64
rounds_test_db_query_int (sqlite3    *db,
                          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

char *
rounds_test_db_query_text (sqlite3    *db,
                           const char *sql,
                           const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* rounds_test_db_query_int() on a read-only connection of its own to the database at @path. */
gint64
rounds_test_db_path_query_int (const char *path,
                               const char *sql)
{
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = rounds_test_db_query_int (db, sql);
  sqlite3_close (db);
  return n;
}

char *
rounds_test_db_dump (const char *path)
{
  GString *dump = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master "
                                       "WHERE type = 'table' ORDER BY name", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_string_append_printf (dump, "%s\n", sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);

  for (guint t = 0; t < tables->len; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"",
                                              (const char *) g_ptr_array_index (tables, t));

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (dump, "%s:", (const char *) g_ptr_array_index (tables, t));
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (dump, " %s", sqlite3_column_type (stmt, c) == SQLITE_NULL
                                                 ? "NULL"
                                                 : (const char *) sqlite3_column_text (stmt, c));
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (dump, FALSE);
}

gint64
rounds_test_query_int (RoundsStore *store,
                       const char  *sql)
{
  return rounds_test_db_query_int (_rounds_store_get_db (store), sql);
}

char *
rounds_test_query_text (RoundsStore *store,
                        const char  *sql,
                        const char  *param)
{
  return rounds_test_db_query_text (_rounds_store_get_db (store), sql, param);
}

void
rounds_test_exec (RoundsStore *store,
                  const char  *sql)
{
  g_assert_cmpint (sqlite3_exec (_rounds_store_get_db (store), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);
}
