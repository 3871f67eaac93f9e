/* rounds-window-sync.c: the main window's side of sync: status, password, conflicts, timer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-window"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "rounds-conflicts-dialog.h"
#include "rounds-connect-dialog.h"
#include "rounds-count.h"
#include "rounds-couch.h"
#include "rounds-secret.h"
#include "rounds-widget-util-private.h"
#include "rounds-window-private.h"

static void ask_password (RoundsWindow *self,
                          const char   *refusal);

static void
set_sync_status (RoundsWindow *self,
                 const char   *label,
                 const char   *tooltip)
{
  gtk_label_set_text (self->sync_label, label);
  gtk_widget_set_tooltip_text (self->sync_button, tooltip);
  gtk_image_set_from_icon_name (self->sync_icon, "emblem-synchronizing-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "win.sync");
}

/* Conflicts are kept in the local store until settled, so they are counted from there,
 * not from the last run: the header says the same after a restart. */
static guint
count_conflicts (RoundsWindow *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (self->store == NULL)
    return 0;
  if (!(problems = rounds_sync_list_problems (self->store, &error)))
    {
      g_debug ("Cannot list the sync problems: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < problems->len; i++)
    if (((RoundsSyncProblem *) g_ptr_array_index (problems,
                                                  i))->kind == ROUNDS_SYNC_PROBLEM_CONFLICT)
      n++;
  return n;
}

static void
update_conflicts_dialog (RoundsWindow *self,
                         const char   *message)
{
  g_autoptr(GHashTable) shown = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (self->conflicts_dialog == NULL || self->store == NULL)
    return;
  /* Chosen and not settled yet: both those waiting for a sync and those in the running one. */
  shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, self->resolving);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (shown, key, value);
  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (shown, key, value);
  rounds_conflicts_dialog_update (ROUNDS_CONFLICTS_DIALOG (self->conflicts_dialog), self->store,
                                  shown);
  rounds_conflicts_dialog_set_message (ROUNDS_CONFLICTS_DIALOG (self->conflicts_dialog), message);
}

/* The status when no sync runs: conflicts to settle, or what waits in the outbox, from the
 * local store alone. */
void
_rounds_window_update_sync_status (RoundsWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  guint n_waiting = 0;
  guint n_conflicts;

  if (self->store == NULL || self->sync != NULL)
    return;
  n_conflicts = self->n_conflicts = count_conflicts (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-conflicts", n_conflicts > 0);
  if (*url == '\0')
    {
      set_sync_status (self, _("Not set up"),
                       _("Connect to the curation store to share your judgements (Ctrl+R)"));
      return;
    }
  if (self->sign_in_refusal != NULL)
    {
      set_sync_status (self, _("Not signed in"), self->sign_in_refusal);
      return;
    }
  if (n_conflicts > 0)
    {
      g_autofree char *label = rounds_format_counted (n_conflicts, "%s conflict",
                                                      "%s conflicts");

      set_sync_status (self, label,
                       _("Changed both here and in the curation store by two curators: "
                         "click to choose which version to keep"));
      /* The status is the way to the list: a sync alone settles nothing. */
      gtk_image_set_from_icon_name (self->sync_icon, "dialog-warning-symbolic");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "win.show-conflicts");
      return;
    }
  if (self->profile != NULL &&
      rounds_sync_count_waiting (self->store, rounds_profile_get_user_name (self->profile),
                                 &n_waiting, NULL) &&
      n_waiting > 0)
    {
      g_autofree char *label = rounds_format_counted (n_waiting, "%s waiting", "%s waiting");

      set_sync_status (self, label,
                       _("Judgements saved here that have not reached the curation store yet "
                         "(Ctrl+R to sync)"));
      return;
    }
  set_sync_status (self, _("Synced"),
                   _("Everything saved here is on the curation store (Ctrl+R to sync)"));
}

static void
on_sync_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RoundsWindow) self = user_data;
  g_autoptr(RoundsSyncResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  gboolean resolved = g_hash_table_size (self->resolving) > 0;
  guint n_conflicts_before = self->n_conflicts;

  outcome = rounds_sync_run_finish (ROUNDS_SYNC (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->sync);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", TRUE);
  /* A choice goes with one run only: if that run failed, the conflict is still listed and
   * the person chooses again, rather than every later sync failing on it. */
  g_hash_table_remove_all (self->resolving);

  if (outcome == NULL)
    {
      g_autofree char *message = resolved ? g_strdup_printf (_("Your choice was not applied: %s"),
                                                             error->message) : NULL;

      _rounds_window_update_sync_status (self);
      if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED))
        {
          /* Never tried again on its own, by the timer or by Ctrl+R: CouchDB locks an
           * account out after a few failed logins. Asked once; a locked account is only
           * said, in the store's words, until the person asks to sync. */
          g_free (self->sign_in_refusal);
          self->sign_in_refusal = g_strdup (error->message);
          g_clear_pointer (&self->session_password, rounds_couch_password_free);
          _rounds_window_update_sync_status (self);
          update_conflicts_dialog (self, message);
          if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED))
            ask_password (self, error->message);
          return;
        }
      if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE) ||
          g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TIMEOUT))
        set_sync_status (self, _("Offline"), error->message);
      else
        set_sync_status (self, _("Sync error"), error->message);
      update_conflicts_dialog (self, message);
      return;
    }
  _rounds_window_update_sync_status (self);
  update_conflicts_dialog (self, NULL);
  if (self->n_conflicts > n_conflicts_before && self->conflicts_dialog == NULL)
    {
      /* Said once, when a conflict is new; the header keeps saying it until it is settled. */
      AdwToast *notice = adw_toast_new (_("Another curator changed what you changed: "
                                          "choose which version to keep"));

      adw_toast_set_button_label (notice, _("_Show"));
      adw_toast_set_action_name (notice, "win.show-conflicts");
      adw_toast_set_timeout (notice, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, notice);
    }
  if (outcome->forbidden != NULL && outcome->forbidden->len > 0)
    {
      RoundsSyncProblem *problem = outcome->forbidden->pdata[0];
      g_autofree char *refused = rounds_format_counted (outcome->forbidden->len,
                                                        "%s document", "%s documents");
      /* TRANSLATORS: how many documents ("3 documents"), the first one's id, then why it
       * was refused */
      g_autofree char *message = g_strdup_printf (_("The store refused %s, the first %s: %s"),
                                                  refused, problem->doc_id,
                                                  problem->reason ? problem->reason
                                                                  : problem->error);

      set_sync_status (self, _("Sync error"), message);
    }
  else if (outcome->n_pulled > 0 && gtk_stack_get_visible_child_name (self->stack) != NULL &&
           g_str_equal (gtk_stack_get_visible_child_name (self->stack), "datasets"))
    _rounds_window_show_datasets (self);

  /* Chosen while this run was on its way: settle them now. */
  if (g_hash_table_size (self->chosen) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.sync", NULL);
}

/* Hands the chosen settlements to @sync, for the conflicts that the store still lists. */
static void
hand_over_resolutions (RoundsWindow *self,
                       RoundsSync   *sync)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (g_hash_table_size (self->chosen) == 0)
    return;
  if (!(problems = rounds_sync_list_problems (self->store, &error)))
    g_debug ("Cannot list the sync problems: %s", error->message);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      RoundsSyncProblem *problem = g_ptr_array_index (problems, i);
      gpointer value = g_hash_table_lookup (self->chosen, problem->doc_id);

      if (value == NULL || problem->kind != ROUNDS_SYNC_PROBLEM_CONFLICT)
        continue;
      rounds_sync_resolve (sync, problem->doc_id, GPOINTER_TO_INT (value) - 1);
      g_hash_table_insert (self->resolving, g_strdup (problem->doc_id), value);
    }
  /* A choice for a conflict that is gone (settled elsewhere) has nothing left to do. */
  g_hash_table_remove_all (self->chosen);
}

/* The user on the curation store: the one the preferences name, else the profile's. */
static char *
get_store_user (RoundsWindow *self)
{
  g_autofree char *user = g_settings_get_string (self->settings, "store-user");

  if (*user == '\0' && self->profile != NULL)
    return g_strdup (rounds_profile_get_user_name (self->profile));
  return g_steal_pointer (&user);
}

static void
start_sync (RoundsWindow *self,
            const char   *password)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = get_store_user (self);

  self->sync = rounds_sync_new (url);
  rounds_sync_set_credentials (self->sync, user, password);
  rounds_sync_set_profile (self->sync, rounds_profile_get_user_name (self->profile));
  hand_over_resolutions (self, self->sync);
  set_sync_status (self, _("Syncing…"), url);
  update_conflicts_dialog (self, NULL);
  rounds_sync_run_async (self->sync, rounds_store_get_path (self->store), self->cancellable,
                         on_sync_done, g_object_ref (self));
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      RoundsWindow     *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  self->password_dialog = NULL;
  if (g_strcmp0 (response, "sync") != 0 || *gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0')
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", TRUE);
      _rounds_window_update_sync_status (self);
      return;
    }
  g_clear_pointer (&self->session_password, rounds_couch_password_free);
  self->session_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_clear_pointer (&self->sign_in_refusal, g_free);
  start_sync (self, self->session_password);
}

/* Asked once per run where no keyring service runs, and after the store refused the
 * password (@refusal says how); kept in memory, never written. */
static void
ask_password (RoundsWindow *self,
              const char   *refusal)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *dialog;

  /* Not a GtkPasswordEntry: in GTK 4.8 one destroyed with its dialog notifies into freed
   * memory (a GObject warning, seen when the dialog goes after the answer). */
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  dialog = _rounds_entry_dialog_new (GTK_WINDOW (self), _("Password for the Curation Store"), NULL,
                                     entry, _("Password"), "sync", _("_Sync"));
  if (refusal != NULL)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("%s. Rounds does not try it again on its own: enter the "
                                      "password to sync."), refusal);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The keyring is not available, so Rounds asks once and "
                                      "keeps the password for %s until it quits."), url);
  g_signal_connect (dialog, "response", G_CALLBACK (on_password_response), self);
  self->password_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Whether the window asks for the store's password. */
gboolean
rounds_window_is_asking_password (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return self->password_dialog != NULL;
}

gboolean
rounds_window_answer_password (RoundsWindow *self,
                               const char   *password)
{
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  if ((dialog = self->password_dialog) == NULL)
    return FALSE;
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  /* As the button does: the response, then the dialog goes. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sync");
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

/* The address and the user are saved and the password is in the keyring (or, without a
 * keyring, given for this run): sync with it. */
static void
on_connected (RoundsConnectDialog *dialog,
              const char          *password,
              gboolean             in_keyring,
              RoundsWindow        *self)
{
  /* Signed in anew: the refused password is gone. */
  g_clear_pointer (&self->sign_in_refusal, g_free);
  if (!in_keyring)
    {
      g_clear_pointer (&self->session_password, rounds_couch_password_free);
      self->session_password = g_strdup (password);
      _rounds_window_toast (self,
                            _("The keyring is not available: "
                              "Rounds keeps the password until it quits"));
    }
  if (self->store == NULL || self->profile == NULL || self->sync != NULL)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", FALSE);
  start_sync (self, password);
}

/* First run (no address yet) or no password in the keyring (@sign_in): one dialog for both. */
static void
show_connect_dialog (RoundsWindow *self,
                     gboolean      sign_in)
{
  if (self->connect_dialog == NULL)
    {
      const char *user = self->profile ? rounds_profile_get_user_name (self->profile) : NULL;
      RoundsConnectDialog *dialog = rounds_connect_dialog_new (GTK_WINDOW (self), self->settings,
                                                               user);

      if (sign_in)
        rounds_connect_dialog_set_sign_in (dialog);
      g_signal_connect_object (dialog, "connected", G_CALLBACK (on_connected), self, 0);
      self->connect_dialog = GTK_WIDGET (dialog);
      g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->connect_dialog);
    }
  gtk_window_present (GTK_WINDOW (self->connect_dialog));
}

static void
on_password_found (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(RoundsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = rounds_secret_lookup_finish (result, &error);

  self->looking_up = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (password == NULL && error != NULL)
    {
      /* No keyring service (a kiosk, a server session): ask, and keep it for this run only. */
      g_debug ("No keyring: %s", error->message);
      ask_password (self, NULL);
      return;
    }
  if (password == NULL)
    {
      /* A keyring without our password: never given here, or signed out. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", TRUE);
      _rounds_window_update_sync_status (self);
      show_connect_dialog (self, TRUE);
      return;
    }
  start_sync (self, password);
  secret_password_free (password);
}

void
_rounds_window_sync (RoundsWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = get_store_user (self);

  if (self->store == NULL || self->profile == NULL || self->sync != NULL)
    return;
  if (*url == '\0')
    {
      _rounds_window_update_sync_status (self);
      show_connect_dialog (self, FALSE);
      return;
    }
  if (self->sign_in_refusal != NULL)
    {
      /* Not again with the password the store refused: the person gives one first. */
      if (self->password_dialog == NULL)
        ask_password (self, self->sign_in_refusal);
      else
        gtk_window_present (GTK_WINDOW (self->password_dialog));
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", FALSE);
  /* A password given here comes first; ROUNDS_STORE_PASSWORD, as for rounds-cli, serves
   * kiosks and tests without a keyring. */
  if (self->session_password != NULL)
    start_sync (self, self->session_password);
  else if (g_getenv ("ROUNDS_STORE_PASSWORD") != NULL)
    start_sync (self, g_getenv ("ROUNDS_STORE_PASSWORD"));
  else
    {
      self->looking_up = TRUE;
      rounds_secret_lookup_async (url, user, self->cancellable, on_password_found,
                                  g_object_ref (self));
    }
}

/* A curator's choice for a conflict: it goes with the next sync, started now unless one
 * runs, in which case it follows that one. */
void
_rounds_window_resolve_conflict (RoundsWindow         *self,
                                 const char           *doc_id,
                                 RoundsSyncResolution  resolution)
{
  g_hash_table_insert (self->chosen, g_strdup (doc_id), GINT_TO_POINTER (resolution + 1));
  update_conflicts_dialog (self, NULL);
  if (self->sync == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.sync", NULL);
}

static void
on_conflict_chosen (RoundsConflictsDialog *dialog,
                    const char            *doc_id,
                    int                    resolution,
                    RoundsWindow          *self)
{
  _rounds_window_resolve_conflict (self, doc_id, resolution);
}

void
_rounds_window_show_conflicts (RoundsWindow *self)
{
  if (self->store == NULL)
    return;
  if (self->conflicts_dialog == NULL)
    {
      RoundsConflictsDialog *dialog = rounds_conflicts_dialog_new (GTK_WINDOW (self));

      g_signal_connect_object (dialog, "resolve", G_CALLBACK (on_conflict_chosen), self, 0);
      self->conflicts_dialog = GTK_WIDGET (dialog);
      g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->conflicts_dialog);
    }
  update_conflicts_dialog (self, NULL);
  gtk_window_present (GTK_WINDOW (self->conflicts_dialog));
}

static void
on_signed_out (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RoundsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *message;

  if (!rounds_secret_clear_finish (result, &error) && g_error_matches (error, G_IO_ERROR,
                                                                       G_IO_ERROR_CANCELLED))
    return;
  message = error ? error->message : _("Signed out: the password is gone from the keyring");
  /* Said where the person pressed Sign Out. */
  if (self->preferences != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self->preferences),
                                      adw_toast_new (message));
  else
    _rounds_window_toast (self, message);
}

/* Sign out: the password leaves the keyring and this run's memory; the next sync asks. */
void
_rounds_window_sign_out (RoundsWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = get_store_user (self);

  g_clear_pointer (&self->session_password, rounds_couch_password_free);
  rounds_secret_clear_async (url, user, self->cancellable, on_signed_out, g_object_ref (self));
}

static gboolean
on_sync_timeout (gpointer user_data)
{
  RoundsWindow *self = user_data;
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");

  if (*url != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "win.sync", NULL);
  return G_SOURCE_CONTINUE;
}

void
_rounds_window_schedule_sync (RoundsWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "sync-interval");

  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  if (minutes > 0)
    self->sync_timeout_id = g_timeout_add_seconds (minutes * 60, on_sync_timeout, self);
  _rounds_window_update_sync_status (self);
}

const char *
rounds_window_get_sync_status (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->sync_label);
}

/* What the sync status says in full (its tooltip): the error, the refused document. */
const char *
rounds_window_get_sync_detail (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return gtk_widget_get_tooltip_text (self->sync_button);
}

/* Whether a sync runs, or waits for its password from the keyring. */
gboolean
rounds_window_is_syncing (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return self->sync != NULL || self->looking_up;
}

void
_rounds_window_forget_password (RoundsWindow *self)
{
  g_clear_pointer (&self->session_password, rounds_couch_password_free);
  g_clear_pointer (&self->sign_in_refusal, g_free);
}
