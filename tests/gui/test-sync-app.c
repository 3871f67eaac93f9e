/* test-sync-app.c: the window syncs with a real curation store (pouchdb-server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include <string.h>

#include "rounds-application.h"
#include "rounds-connect-dialog.h"
#include "rounds-importer.h"
#include "rounds-secret.h"
#include "rounds-test-couch.h"
#include "rounds-test-gui.h"
#include "rounds-test-proxy.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ward\", \"overlap\": 2, \"required\": [\"preference\"]}\n"
  "{\"id\": \"w1\", \"scenario\": \"Is 8 g of "
  "paracetamol a day safe?\", \"responses\": [{\"text\": \"No: 4 g.\"}, {\"text\": \"Yes.\"}]}\n";

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

  while (g_strcmp0 (rounds_window_get_sync_status (window), busy) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

/* The dialog that asks for the store (first run) or the password (no password in the
 * keyring), if one is open. */
static RoundsConnectDialog *
connect_dialog (void)
{
  return (RoundsConnectDialog *) rounds_test_find_toplevel (ROUNDS_TYPE_CONNECT_DIALOG);
}

static void
set_row (RoundsConnectDialog *dialog,
         const char          *title,
         const char          *text)
{
  GtkWidget *row = rounds_test_find_widget (GTK_WIDGET (dialog), rounds_test_is_row_titled, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
row_text (RoundsConnectDialog *dialog,
          const char          *title)
{
  GtkWidget *row = rounds_test_find_widget (GTK_WIDGET (dialog), rounds_test_is_row_titled, title);

  g_assert_nonnull (row);
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
on_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *password = rounds_secret_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, g_free);
  g_object_unref (task);
}

/* What the keyring holds for @url and @user, through the app's own lookup; %NULL when it
 * holds nothing. A keyring must run: these tests are about it. */
static char *
keyring_password (const char *url,
                  const char *user)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *password;

  rounds_secret_lookup_async (url, user, NULL, on_looked_up, g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  password = g_task_propagate_pointer (task, &error);
  g_assert_no_error (error);
  return password;
}

static void
on_cleared (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  rounds_secret_clear_finish (result, NULL);
  *done = TRUE;
}

static void
forget_password (const char *url,
                 const char *user)
{
  gboolean done = FALSE;

  rounds_secret_clear_async (url, user, NULL, on_cleared, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Whether @secret is anywhere in the file at @path (a missing file holds nothing). */
static gboolean
file_contains (const char *path,
               const char *secret)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  gsize n = strlen (secret);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, secret, n) == 0)
      return TRUE;
  return FALSE;
}

/* Whether any string setting of Rounds holds @secret. */
static gboolean
settings_contain (GSettings  *settings,
                  const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, secret) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Fixture ------------------------------------------------------------------------------ */

/* What every case needs: a store with Dr Lin signed in, a fresh database on the curation
 * store, the settings and a window. The tear-down puts everything back and removes the
 * folder, whatever the case got to; a case only ever adds to it. */
typedef struct
{
  char         *dir;
  char         *db_path;
  char         *db_url;
  char         *password;
  GSettings    *settings;
  RoundsStore  *store;
  RoundsWindow *window;     /* weak */
} Fixture;

/* @data: the prefix of the curation store's database. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = rounds_test_make_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "rounds.db", NULL);
  fixture->db_url = rounds_test_couch_new_db (data, TRUE);
  fixture->password = rounds_test_couch_password (TEST_ANNOTATOR);
  fixture->settings = g_settings_new ("io.github.rounds.Rounds");
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  g_settings_reset (fixture->settings, "store-url");
  g_settings_reset (fixture->settings, "store-user");
  fixture->store = rounds_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  rounds_test_store_sign_in (fixture->store, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR);
}

/* The store set up in the settings as Dr Lin's. */
static void
use_store (Fixture *fixture)
{
  g_settings_set_string (fixture->settings, "store-url", fixture->db_url);
  g_settings_set_string (fixture->settings, "store-user", TEST_ANNOTATOR);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = rounds_test_gui_open_window (fixture->store);
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  forget_password (fixture->db_url, TEST_ANNOTATOR);
  g_settings_reset (fixture->settings, "store-url");
  g_settings_reset (fixture->settings, "store-user");
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  rounds_test_couch_drop_db (fixture->db_url);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->settings);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->password);
  g_free (fixture->db_url);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* Cases -------------------------------------------------------------------------------- */

/* Ctrl+R pushes the judgement saved through the window; the header says "Synced", and the
 * store holds exactly one event for it, also after a second sync. */
static void
test_sync_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  RoundsWindow *window;

  rounds_test_store_import_text (fixture->store, fixture->dir, "ward.jsonl", fixture_jsonl);
  g_setenv ("ROUNDS_STORE_PASSWORD", fixture->password, TRUE);
  use_store (fixture);

  open_window (fixture);
  window = fixture->window;
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
      g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 1);
    }
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
test_sync_password (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *db_url = fixture->db_url;
  const char *password = fixture->password;
  gint64 deadline;
  gboolean asked = FALSE;
  gboolean syncing = FALSE;
  RoundsWindow *window;

  use_store (fixture);
  open_window (fixture);
  window = fixture->window;
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
               g_strcmp0 (rounds_window_get_sync_status (window), "Sync error") == 0 ||
               connect_dialog () != NULL)
        break;
      g_usleep (10000);
    }

  if (!asked)
    {
      /* A keyring runs and has no password yet: the window asks to sign in. Cancel that,
       * and store one as Preferences does. */
      gboolean done = FALSE;

      g_test_message ("a keyring runs: storing the password in it");
      g_assert_nonnull (connect_dialog ());
      g_assert_false (rounds_window_is_syncing (window));
      gtk_window_destroy (GTK_WINDOW (connect_dialog ()));
      rounds_test_spin ();
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
}

/* A judgement pushed under somebody else's name is refused, and the window says which
 * document and why. */
static void
test_refused_shown (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR_2);
  RoundsWindow *window;
  const char *detail;

  rounds_test_store_import_text (fixture->store, fixture->dir, "ward.jsonl", fixture_jsonl);
  g_setenv ("ROUNDS_STORE_PASSWORD", password, TRUE);
  g_settings_set_string (fixture->settings, "store-url", fixture->db_url);
  g_settings_set_string (fixture->settings, "store-user", TEST_ANNOTATOR_2);
  open_window (fixture);
  window = fixture->window;
  rounds_window_open_dataset (window, "ward");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.prefer", "i", 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.submit", NULL));
  rounds_test_spin ();

  sync_and_wait (window);
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Sync error");
  detail = rounds_window_get_sync_detail (window);
  g_test_message ("%s", detail);
  /* The judgement and dr-lin's profile: the first named, with its reason. */
  g_assert_nonnull (strstr (detail, "refused 2 documents"));
  g_assert_true (strstr (detail, "judgement:" TEST_ANNOTATOR ":ward:") != NULL ||
                 strstr (detail, "annotator:" TEST_ANNOTATOR ": Only " TEST_ANNOTATOR) != NULL);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
}

/* A wrong password: one login, then no sync at all, by Ctrl+R or the timer, until the
 * person enters a password in the one dialog that asks for it. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const roles[] = { "annotator", NULL };
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autofree char *user = rounds_test_couch_new_user ("app-wrong", roles);
  g_autofree char *password = rounds_test_couch_password (user);
  g_autoptr(GPtrArray) requests = NULL;
  RoundsWindow *window;
  gint64 until;

  /* A user of its own: CouchDB locks an account out after a few wrong passwords. */
  rounds_test_store_sign_in (fixture->store, user, "Dr Wrong", ROUNDS_ROLE_ANNOTATOR);
  g_setenv ("ROUNDS_STORE_PASSWORD", "not-the-password", TRUE);
  g_settings_set_string (fixture->settings, "store-url", url);
  g_settings_set_string (fixture->settings, "store-user", user);
  open_window (fixture);
  window = fixture->window;

  sync_and_wait (window);
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Not signed in");
  g_assert_true (rounds_window_is_asking_password (window));
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 1);

  /* Ctrl+R again, and a while for any timer: nothing reaches the store, and the one dialog
   * stays the one. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_false (rounds_window_is_syncing (window));
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Not signed in");
  requests = rounds_test_proxy_get_requests (proxy);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 1);

  /* The person enters the password: one login, and the sync goes through. */
  g_assert_true (rounds_window_answer_password (window, password));
  g_assert_false (rounds_window_is_asking_password (window));
  wait_for_status (window, "Syncing…");
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 2);
}

/* First run: no store yet. Ctrl+R asks for the address, the user (the profile's name
 * offered) and the password; a wrong address is refused in place; Connect keeps the
 * address and the user in GSettings, the password in the keyring and nowhere else, and
 * syncs. */
static void
test_first_run (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *wal_path = g_build_filename (fixture->dir, "rounds.db-wal", NULL);
  const char *db_url = fixture->db_url;
  const char *password = fixture->password;
  GSettings *settings = fixture->settings;
  g_autofree char *kept = NULL;
  g_autofree char *setting = NULL;
  RoundsConnectDialog *dialog;
  RoundsWindow *window;
  gint64 deadline;

  open_window (fixture);
  window = fixture->window;
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Not set up");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  rounds_test_spin ();
  dialog = connect_dialog ();
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (row_text (dialog, "_Address"), ==, "");
  g_assert_cmpstr (row_text (dialog, "_User name"), ==, TEST_ANNOTATOR);
  g_assert_null (rounds_connect_dialog_get_message (dialog));

  /* Refused in place, with the reason; nothing is saved. */
  set_row (dialog, "_Password (kept in the keyring)", password);
  {
    const struct { const char *url; const char *says; } bad[] = {
      { "", "Give the store’s address" },
      { "ftp://127.0.0.1/rounds", "https:// or http://" },
      { "couch.example.org/rounds", "" },
      { "http://dr-lin:dr-lin-pw@127.0.0.1:5984/rounds", "in their own fields" },
      { "https://couch.example.org/", "names no database" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        set_row (dialog, "_Address", bad[i].url);
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
        rounds_test_spin ();
        g_assert_nonnull (dialog);
        g_assert_nonnull (rounds_connect_dialog_get_message (dialog));
        g_test_message ("%s: %s", bad[i].url, rounds_connect_dialog_get_message (dialog));
        g_assert_nonnull (strstr (rounds_connect_dialog_get_message (dialog), bad[i].says));
        g_assert_false (rounds_connect_dialog_is_busy (dialog));
        setting = g_settings_get_string (settings, "store-url");
        g_assert_cmpstr (setting, ==, "");
        g_clear_pointer (&setting, g_free);
      }
  }

  set_row (dialog, "_Address", db_url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (dialog != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (dialog);
  g_assert_true (rounds_window_is_syncing (window));
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");
  /* The sync ran as the profile: its profile document is on the store. */
  g_assert_cmpuint (rounds_test_couch_count_docs (db_url, "annotator:" TEST_ANNOTATOR), ==, 1);

  setting = g_settings_get_string (settings, "store-url");
  g_assert_cmpstr (setting, ==, db_url);
  g_clear_pointer (&setting, g_free);
  setting = g_settings_get_string (settings, "store-user");
  g_assert_cmpstr (setting, ==, TEST_ANNOTATOR);
  kept = keyring_password (db_url, TEST_ANNOTATOR);
  g_assert_cmpstr (kept, ==, password);
  g_assert_false (settings_contain (settings, password));
  g_assert_false (file_contains (fixture->db_path, password));
  g_assert_false (file_contains (wal_path, password));
}

/* Sign Out in Preferences takes the password out of the real keyring; the next sync asks
 * for it (and, given, it is kept again). */
static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  const char *db_url = fixture->db_url;
  const char *password = fixture->password;
  g_autofree char *kept = NULL;
  GtkWidget *preferences;
  GtkWidget *button;
  RoundsConnectDialog *dialog;
  RoundsWindow *window;
  gboolean stored = FALSE;
  gint64 deadline;

  use_store (fixture);
  rounds_secret_store_async (db_url, TEST_ANNOTATOR, password, NULL, on_stored, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);

  /* Signed in: the sync takes the password from the keyring without asking. */
  open_window (fixture);
  window = fixture->window;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");
  g_assert_null (connect_dialog ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  rounds_test_spin ();
  preferences = rounds_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  button = rounds_test_find_widget (preferences, rounds_test_is_button_labelled, "Sign _Out");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((kept = keyring_password (db_url, TEST_ANNOTATOR)) != NULL &&
         g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&kept, g_free);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_null (kept);
  gtk_window_destroy (GTK_WINDOW (preferences));
  rounds_test_spin ();

  /* The next sync asks: the sign-in dialog, the address and the user filled in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((dialog = connect_dialog ()) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_false (rounds_window_is_syncing (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Sign In to the Curation Store");
  g_assert_cmpstr (row_text (dialog, "_Address"), ==, db_url);
  g_assert_cmpstr (row_text (dialog, "_User name"), ==, TEST_ANNOTATOR);
  g_assert_cmpstr (row_text (dialog, "_Password (kept in the keyring)"), ==, "");

  set_row (dialog, "_Password (kept in the keyring)", password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "connect.connect", NULL));
  while (dialog != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (dialog);
  rounds_test_wait_synced (window);
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "Synced");
  kept = keyring_password (db_url, TEST_ANNOTATOR);
  g_assert_cmpstr (kept, ==, password);
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, prefix, func) \
  g_test_add (path, Fixture, prefix, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/sync-app/round-trip", "app", test_sync_round_trip);
  ADD ("/rounds/sync-app/password", "pw", test_sync_password);
  ADD ("/rounds/sync-app/wrong-password", "wrongpw", test_wrong_password);
  ADD ("/rounds/sync-app/refused-shown", "refused", test_refused_shown);
  ADD ("/rounds/sync-app/first-run", "first", test_first_run);
  ADD ("/rounds/sync-app/sign-out", "signout", test_sign_out);
#undef ADD

  return rounds_test_gui_run ();
}
