/* test-conflicts.c: two curators change one dataset; the window shows the conflict and
 * settles it as the curator chooses, against a real curation store (pouchdb-server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "rounds-application.h"
#include "rounds-conflicts-dialog.h"
#include "rounds-importer.h"
#include "rounds-sync.h"
#include "rounds-test-couch.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

typedef struct
{
  char                  *dir;
  char                  *db_url;
  char                  *mine_path;
  RoundsStore           *mine;        /* the window's: this curator, on this computer */
  RoundsStore           *theirs;      /* the same curator role, on another computer */
  RoundsWindow          *window;
  RoundsConflictsDialog *dialog;      /* weak */
  GSettings             *settings;
} Fixture;

/* The dataset with one item; only the dataset's title changes between versions. */
static void
import_version (Fixture     *fixture,
                RoundsStore *store,
                const char  *title,
                gboolean     update)
{
  g_autofree char *text = g_strdup_printf ("{\"type\": \"dataset\", \"id\": \"ward\", \"title\": "
                                           "\"%s\", \"overlap\": 2}\n"
                                           "{\"id\": \"w1\", \"scenario\": \"Is 8 g of "
                                           "paracetamol a day safe?\","
                                           " \"responses\": [{\"id\": \"a\", \"text\": "
                                           "\"No: 4 g.\"},"
                                           " {\"id\": \"b\", \"text\": \"Yes.\"}]}\n", title);

  rounds_test_store_import_update (store, fixture->dir, "import.jsonl", text, update);
}

static char *
local_title (RoundsStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (store, "ward", &error);

  g_assert_no_error (error);
  return g_strdup (rounds_dataset_get_title (dataset));
}

static char *
store_title (Fixture *fixture)
{
  g_autoptr(JsonObject) doc = rounds_test_couch_get (fixture->db_url, "dataset:ward");

  g_assert_nonnull (doc);
  return g_strdup (json_object_get_string_member (doc, "title"));
}

/* The other computer syncs as rounds-cli would. */
static RoundsSyncResult *
sync_theirs (Fixture *fixture)
{
  g_autofree char *password = rounds_test_couch_password (TEST_CURATOR);
  g_autoptr(RoundsSync) sync = rounds_sync_new (fixture->db_url);
  g_autoptr(GError) error = NULL;
  RoundsSyncResult *result = NULL;

  rounds_sync_set_credentials (sync, TEST_CURATOR, password);
  rounds_sync_run (sync, fixture->theirs, &result, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static RoundsConflictsDialog *
listed_conflicts (void)
{
  rounds_test_spin ();
  return (RoundsConflictsDialog *) rounds_test_find_toplevel (ROUNDS_TYPE_CONFLICTS_DIALOG);
}

static void
sync_window (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL));
  g_assert_true (rounds_window_is_syncing (fixture->window));
  rounds_test_wait_synced (fixture->window);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = rounds_test_gui_open_window (fixture->mine);
}

static void
close_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  rounds_test_spin ();
  g_assert_null (fixture->dialog);
}

static void
add_curator (RoundsStore *store,
             const char  *display_name)
{
  rounds_test_store_sign_in (store, TEST_CURATOR, display_name, ROUNDS_ROLE_CURATOR);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = rounds_test_couch_password (TEST_CURATOR);
  g_autofree char *theirs_path = NULL;
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *title = NULL;

  fixture->dir = rounds_test_make_dir ();
  fixture->db_url = rounds_test_couch_new_db ("conflicts", TRUE);
  fixture->settings = g_settings_new ("io.github.rounds.Rounds");
  g_settings_set_string (fixture->settings, "store-url", fixture->db_url);
  g_settings_set_string (fixture->settings, "store-user", TEST_CURATOR);
  g_setenv ("ROUNDS_STORE_PASSWORD", password, TRUE);

  /* This computer imports the dataset and publishes it from the window. */
  fixture->mine_path = g_build_filename (fixture->dir, "mine.db", NULL);
  fixture->mine = rounds_store_open (fixture->mine_path, &error);
  g_assert_no_error (error);
  add_curator (fixture->mine, "Ada Curator");
  import_version (fixture, fixture->mine, "Ward rounds", FALSE);
  open_window (fixture);
  sync_window (fixture);
  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Synced");
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "dataset:"), ==, 1);
  /* Nothing to list: the action is off. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-conflicts", NULL);
  g_assert_null (listed_conflicts ());

  /* The other computer pulls it. */
  theirs_path = g_build_filename (fixture->dir, "theirs.db", NULL);
  fixture->theirs = rounds_store_open (theirs_path, &error);
  g_assert_no_error (error);
  add_curator (fixture->theirs, "Ada on the ward laptop");
  result = sync_theirs (fixture);
  title = local_title (fixture->theirs);
  g_assert_cmpstr (title, ==, "Ward rounds");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    close_window (fixture);
  g_assert_finalize_object (fixture->mine);
  g_assert_finalize_object (fixture->theirs);
  g_settings_reset (fixture->settings, "store-url");
  g_settings_reset (fixture->settings, "store-user");
  g_clear_object (&fixture->settings);
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  rounds_test_couch_drop_db (fixture->db_url);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->db_url);
  g_free (fixture->mine_path);
  g_free (fixture->dir);
}

/* Both computers change the title from the same revision: the other one first. The
 * window's sync keeps this computer's title and says "1 conflict". */
static void
make_conflict (Fixture    *fixture,
               const char *their_title,
               const char *my_title)
{
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *title = NULL;

  import_version (fixture, fixture->theirs, their_title, TRUE);
  result = sync_theirs (fixture);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  title = store_title (fixture);
  g_assert_cmpstr (title, ==, their_title);
  g_clear_pointer (&title, g_free);

  import_version (fixture, fixture->mine, my_title, TRUE);
  sync_window (fixture);
  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "1 conflict");
  /* Nothing was settled silently: each side still has its own. */
  title = local_title (fixture->mine);
  g_assert_cmpstr (title, ==, my_title);
  g_clear_pointer (&title, g_free);
  title = store_title (fixture);
  g_assert_cmpstr (title, ==, their_title);
}

/* The list, opened by the status button or win.show-conflicts. */
static void
find_dialog (Fixture *fixture)
{
  fixture->dialog = listed_conflicts ();
  g_assert_nonnull (fixture->dialog);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture->dialog)) ==
                 GTK_WINDOW (fixture->window));
}

/* Take theirs, with the button in the list: the store's title replaces ours, the conflict
 * is gone from the header and the list. The conflict outlives a restart of the window. */
static void
test_take_theirs (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *status_button;
  GtkWidget *button;

  make_conflict (fixture, "Ward rounds, revised on the ward laptop", "Ward rounds, revised here");

  /* Kept in the local store: a new window on a reopened store says the same. */
  close_window (fixture);
  g_assert_finalize_object (fixture->mine);
  fixture->mine = rounds_store_open (fixture->mine_path, &error);
  g_assert_no_error (error);
  open_window (fixture);
  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "1 conflict");

  /* The header's status button leads to the list. */
  status_button = rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                           rounds_test_is_button_for_action, "win.show-conflicts");
  g_assert_nonnull (status_button);
  g_assert_nonnull (gtk_widget_get_tooltip_text (status_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (status_button),
                            "choose which version to keep"));
  g_signal_emit_by_name (status_button, "clicked");
  find_dialog (fixture);
  g_assert_cmpuint (rounds_conflicts_dialog_get_n_conflicts (fixture->dialog), ==, 1);
  g_assert_nonnull (rounds_conflicts_dialog_find_button (fixture->dialog, "dataset:ward",
                                                         ROUNDS_SYNC_KEEP_MINE));

  button = rounds_conflicts_dialog_find_button (fixture->dialog, "dataset:ward",
                                                ROUNDS_SYNC_TAKE_THEIRS);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Take Theirs");
  g_signal_emit_by_name (button, "clicked");
  /* The choice starts a sync at once, and the row waits for it. */
  g_assert_true (rounds_window_is_syncing (fixture->window));
  g_assert_null (rounds_conflicts_dialog_find_button (fixture->dialog, "dataset:ward",
                                                      ROUNDS_SYNC_TAKE_THEIRS));
  rounds_test_wait_synced (fixture->window);

  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Synced");
  title = local_title (fixture->mine);
  g_assert_cmpstr (title, ==, "Ward rounds, revised on the ward laptop");
  g_clear_pointer (&title, g_free);
  title = store_title (fixture);
  g_assert_cmpstr (title, ==, "Ward rounds, revised on the ward laptop");
  problems = rounds_sync_list_problems (fixture->mine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (rounds_conflicts_dialog_get_n_conflicts (fixture->dialog), ==, 0);
  g_assert_null (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                          rounds_test_is_button_for_action, "win.show-conflicts"));

  /* Settled for good: another sync finds nothing to say. */
  sync_window (fixture);
  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Synced");
}

/* Keep mine, through the window's action: the next sync puts our title on the store, and
 * the other computer gets it from there. */
static void
test_keep_mine (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  make_conflict (fixture, "Ward rounds, third thoughts on the ward laptop",
                 "Ward rounds, kept here");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-conflicts", NULL));
  find_dialog (fixture);
  g_assert_cmpuint (rounds_conflicts_dialog_get_n_conflicts (fixture->dialog), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.resolve-conflict", "(ss)",
                                             "dataset:ward", "keep-mine"));
  g_assert_true (rounds_window_is_syncing (fixture->window));
  rounds_test_wait_synced (fixture->window);

  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Synced");
  title = store_title (fixture);
  g_assert_cmpstr (title, ==, "Ward rounds, kept here");
  g_clear_pointer (&title, g_free);
  title = local_title (fixture->mine);
  g_assert_cmpstr (title, ==, "Ward rounds, kept here");
  g_clear_pointer (&title, g_free);
  problems = rounds_sync_list_problems (fixture->mine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (rounds_conflicts_dialog_get_n_conflicts (fixture->dialog), ==, 0);

  result = sync_theirs (fixture);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  title = local_title (fixture->theirs);
  g_assert_cmpstr (title, ==, "Ward rounds, kept here");
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add ("/rounds/conflicts/take-theirs", Fixture, NULL, fixture_set_up, test_take_theirs,
              fixture_tear_down);
  g_test_add ("/rounds/conflicts/keep-mine", Fixture, NULL, fixture_set_up, test_keep_mine,
              fixture_tear_down);
  return rounds_test_gui_run ();
}
