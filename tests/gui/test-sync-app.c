/* test-sync-app.c: the window syncs with a real curation store (pouchdb-server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "rounds-application.h"
#include "rounds-import.h"
#include "rounds-secret.h"
#include "rounds-test-couch.h"
#include "rounds-window.h"

static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ward\", \"overlap\": 2, \"required\": [\"preference\"]}\n"
  "{\"id\": \"w1\", \"scenario\": \"Is 8 g of paracetamol a day safe?\", \"responses\": [{\"text\": \"No: 4 g.\"}, {\"text\": \"Yes.\"}]}\n";

/* One application for the run: it is exported on the session bus once. */
static RoundsApplication *shared_app;

/* Starts a sync and waits for it to end: "Synced" may show before it starts, too. */
static void
sync_and_wait (RoundsWindow *window)
{
  g_autofree char *before = g_strdup (rounds_window_get_sync_status (window));
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean syncing = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  while (g_get_monotonic_time () < deadline)
    {
      const char *now = rounds_window_get_sync_status (window);

      if (g_strcmp0 (now, "Syncing…") == 0)
        syncing = TRUE;
      else if (syncing || g_strcmp0 (now, before) != 0)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static void
wait_for_status (RoundsWindow *window,
                 const char   *busy)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (rounds_window_get_sync_status (window), busy) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* Ctrl+R pushes the judgement saved through the window; the header says "Synced", and the
 * store holds exactly one event for it, also after a second sync. */
static void
test_sync_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rounds-sync-app-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "rounds.db", NULL);
  g_autofree char *jsonl_path = g_build_filename (dir, "ward.jsonl", NULL);
  g_autofree char *db_url = rounds_test_couch_new_db ("app", TRUE);
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rounds.Rounds");
  g_autoptr(RoundsProfile) profile = rounds_profile_new (TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR, NULL);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(RoundsStore) store = NULL;
  RoundsApplication *app = shared_app;
  RoundsImportResult result;
  RoundsWindow *window;

  g_assert_no_error (error);
  g_file_set_contents (jsonl_path, fixture_jsonl, -1, &error);
  g_assert_no_error (error);
  store = rounds_store_open (db_path, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (jsonl_path);
  rounds_importer_run (importer, store, file, &result, NULL, &error);
  g_assert_no_error (error);
  rounds_store_add_profile (store, profile, &error);
  g_assert_no_error (error);
  rounds_store_set_current_profile (store, TEST_ANNOTATOR, &error);
  g_assert_no_error (error);

  g_setenv ("ROUNDS_STORE_PASSWORD", password, TRUE);
  g_settings_set_string (settings, "store-url", db_url);
  g_settings_set_string (settings, "store-user", TEST_ANNOTATOR);

  window = rounds_window_new (app, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  rounds_window_open_dataset (window, "ward");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.prefer", "i", 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.submit", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "1 waiting");

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
      wait_for_status (window, "Syncing…");
      g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");
      g_assert_cmpuint (rounds_test_couch_count_docs (db_url, "judgement:"), ==, 1);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_settings_reset (settings, "store-url");
  g_settings_reset (settings, "store-user");
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  rounds_test_couch_drop_db (db_url);
  g_clear_object (&store);
  {
    const char *names[] = { "rounds.db", "rounds.db-wal", "rounds.db-shm", "ward.jsonl" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  rounds_secret_store_finish (result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

/* Without ROUNDS_STORE_PASSWORD the password comes from the keyring (build-aux/test runs a real
 * gnome-keyring-daemon with an unlocked login collection); where no keyring
 * service runs, the window asks once and keeps it for the run. Whichever this machine has,
 * the sync must end "Synced". */
static void
test_sync_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rounds-sync-pw-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "rounds.db", NULL);
  g_autofree char *db_url = rounds_test_couch_new_db ("pw", TRUE);
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rounds.Rounds");
  g_autoptr(RoundsProfile) profile = rounds_profile_new (TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR, NULL);
  g_autoptr(RoundsStore) store = NULL;
  RoundsApplication *app = shared_app;
  gint64 deadline;
  gboolean asked = FALSE;
  gboolean syncing = FALSE;
  RoundsWindow *window;

  g_assert_no_error (error);
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  store = rounds_store_open (db_path, &error);
  g_assert_no_error (error);
  rounds_store_add_profile (store, profile, &error);
  g_assert_no_error (error);
  rounds_store_set_current_profile (store, TEST_ANNOTATOR, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "store-url", db_url);
  g_settings_set_string (settings, "store-user", TEST_ANNOTATOR);

  window = rounds_window_new (app, store, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (rounds_window_answer_password (window, password))
        {
          asked = TRUE;
          g_test_message ("no keyring here: the window asked for the password");
        }
      /* "Synced" shows before the sync starts too: wait for it to run. */
      if (g_strcmp0 (rounds_window_get_sync_status (window), "Syncing…") == 0)
        syncing = TRUE;
      else if ((syncing && g_strcmp0 (rounds_window_get_sync_status (window), "Synced") == 0) ||
               g_strcmp0 (rounds_window_get_sync_status (window), "Sync error") == 0)
        break;
      g_usleep (10000);
    }

  if (!asked)
    {
      /* A keyring runs: it had no password yet, so store one as Preferences does. */
      gboolean done = FALSE;

      g_test_message ("a keyring runs: storing the password in it");
      g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Sync error");
      rounds_secret_store_async (db_url, TEST_ANNOTATOR, password, NULL, on_stored, &done);
      while (!done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (done);
      sync_and_wait (window);
    }
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");

  /* Asked once per run: the second sync does not ask again. */
  sync_and_wait (window);
  g_assert_false (rounds_window_answer_password (window, password));
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_settings_reset (settings, "store-url");
  g_settings_reset (settings, "store-user");
  rounds_test_couch_drop_db (db_url);
  g_clear_object (&store);
  {
    const char *names[] = { "rounds.db", "rounds.db-wal", "rounds.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  shared_app = rounds_application_new ();
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/rounds/sync-app/round-trip", test_sync_round_trip);
  g_test_add_func ("/rounds/sync-app/password", test_sync_password);
  status = g_test_run ();
  g_clear_object (&shared_app);
  return status;
}
