/* rounds-test-util.c: what every core test needs: a fresh database in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "rounds-importer.h"
#include "rounds-test-util.h"

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

void
rounds_test_store_set_up (RoundsTestStore *fixture,
                          gconstpointer    data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rounds-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "rounds.db", NULL);
  fixture->store = rounds_store_open (fixture->path, &error);
  g_assert_no_error (error);
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

char *
rounds_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}
