/* rounds-generate-dialog.c: a curator generates the responses of items awaiting them
 *
 * The endpoints come from the store (rounds-cli endpoint add); each row has a key entry. A
 * key typed there goes to the keyring; one already there is used without showing it; else
 * the environment's (ROUNDS_ENDPOINT_KEY_<NAME>). The run goes through rounds-worker.c, with
 * its progress on the dialog and Cancel stopping it: what was saved stays, and the next run
 * asks only for what is missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-generate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-couch.h"
#include "rounds-endpoint.h"
#include "rounds-generate-dialog.h"
#include "rounds-secret.h"

struct _RoundsGenerateDialog
{
  AdwWindow               parent_instance;

  /* Template widgets */
  AdwWindowTitle         *window_title;
  GtkWidget              *cancel_button;
  GtkWidget              *generate_button;
  AdwPreferencesGroup    *endpoints_group;
  GtkWidget              *options_group;
  GtkSpinButton          *samples_spin;
  GtkSpinButton          *jobs_spin;
  GtkWidget              *progress_group;
  GtkProgressBar         *progress_bar;
  GtkLabel               *status_label;
  GtkLabel               *notes_label;

  /* Owned */
  RoundsStore            *store;
  char                   *dataset;
  char                   *actor;
  GPtrArray              *endpoints;      /* RoundsEndpoint */
  GPtrArray              *checks;         /* GtkCheckButton, one per endpoint */
  GPtrArray              *key_entries;    /* GtkPasswordEntry, one per endpoint */
  GHashTable             *saved_keys;     /* endpoint name → key from the keyring */
  GCancellable           *cancellable;    /* the run's */
  GCancellable           *lookups;        /* the keyring's */
  RoundsGenerateProgress  progress;
  guint                   max_attempts;
  guint                   first_delay_ms;
  gboolean                running;
  gboolean                has_run;
  gboolean                disposed;
};

G_DEFINE_FINAL_TYPE (RoundsGenerateDialog, rounds_generate_dialog, ADW_TYPE_WINDOW)

static void
update_actions (RoundsGenerateDialog *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->checks->len; i++)
    any = any || gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.run", any && !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->endpoints_group), !self->running);
  gtk_widget_set_sensitive (self->options_group, !self->running);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        self->running || !self->has_run ? _("_Cancel") : _("_Close"));
}

static char *
format_duration (gint64 ms)
{
  gint64 s = (ms + 999) / 1000;

  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static void
show_progress (RoundsGenerateDialog         *self,
               const RoundsGenerateProgress *p)
{
  guint done = p->n_answered + p->n_refused + p->n_empty + p->n_failed;
  g_autofree char *status = NULL;
  g_autofree char *eta = NULL;

  self->progress = *p;
  gtk_progress_bar_set_fraction (self->progress_bar, p->n_planned ? (double) done / p->n_planned
                                                                  : (self->running ? 0 : 1));
  if (self->running && done > 0 && done < p->n_planned && p->elapsed_ms > 0)
    eta = format_duration ((gint64) ((double) p->elapsed_ms / done * (p->n_planned - done)));
  /* TRANSLATORS: progress of generation; the last %s is ", about M:SS left" or nothing */
  status = g_strdup_printf (_("%u of %u responses: %u refused, %u empty, %u failed%s%s"),
                            done, p->n_planned, p->n_refused, p->n_empty, p->n_failed,
                            eta ? _(", about ") : "", eta ? eta : "");
  gtk_label_set_text (self->status_label, status);
}

static void
progress_cb (const RoundsGenerateProgress *progress,
             gpointer                      user_data)
{
  RoundsGenerateDialog *self = user_data;

  if (!self->disposed)
    show_progress (self, progress);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RoundsGenerateDialog) self = user_data;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  RoundsGenerateProgress progress = { 0 };
  g_autofree char *summary = NULL;
  gboolean ok;

  ok = rounds_generator_run_finish (ROUNDS_GENERATOR (source), result, &progress, &notes,
                                    &error);
  if (self->disposed)
    return;
  self->running = FALSE;
  self->has_run = TRUE;
  g_clear_object (&self->cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    summary = g_strdup (_("Cancelled. The responses saved so far stay; generating again asks "
                          "only for the missing ones."));
  else
    {
      show_progress (self, &progress);
      if (!ok)
        summary = g_strdup (error->message);
      else
        summary = g_strdup_printf (_("Done: %u generated (%u refused, %u empty), %u failed, "
                                     "%u there already"),
                                   progress.n_answered + progress.n_refused + progress.n_empty,
                                   progress.n_refused, progress.n_empty, progress.n_failed,
                                   progress.n_present);
    }
  gtk_label_set_text (self->status_label, summary);

  for (guint i = 0; notes != NULL && i < notes->len && i < 50; i++)
    {
      g_autofree char *line = rounds_generate_note_to_string (g_ptr_array_index (notes, i));

      g_string_append_printf (text, "%s%s", i ? "\n" : "", line);
    }
  if (notes != NULL && notes->len > 50)
    g_string_append_printf (text, "\n%s", _("… and more: rounds-cli generate lists them all"));
  gtk_label_set_text (self->notes_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), text->len > 0);
  update_actions (self);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!rounds_secret_store_finish (result, &error))
    g_warning ("The endpoint key could not be kept in the keyring: %s", error->message);
}

/* The key of endpoint @i: typed (and then kept in the keyring), else the keyring's, else the
 * environment's. */
static char *
endpoint_key (RoundsGenerateDialog *self,
              guint                 i)
{
  const RoundsEndpoint *endpoint = g_ptr_array_index (self->endpoints, i);
  const char *typed = gtk_editable_get_text (g_ptr_array_index (self->key_entries, i));
  const char *saved = g_hash_table_lookup (self->saved_keys, endpoint->name);

  if (typed != NULL && *typed != '\0')
    {
      rounds_secret_store_endpoint_key_async (endpoint->base_url, endpoint->name, typed, NULL,
                                              on_key_stored, NULL);
      return g_strdup (typed);
    }
  if (saved != NULL)
    return g_strdup (saved);
  return rounds_endpoint_key_from_env (endpoint->name);
}

static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RoundsGenerateDialog *self = ROUNDS_GENERATE_DIALOG (widget);
  g_autoptr(RoundsGenerator) generator = NULL;
  RoundsGenerateProgress none = { 0 };

  if (self->running)
    return;
  generator = rounds_generator_new (self->dataset);
  for (guint i = 0; i < self->endpoints->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      {
        char *key = endpoint_key (self, i);

        rounds_generator_add_endpoint (generator, g_ptr_array_index (self->endpoints, i), key);
        rounds_couch_password_free (key);
      }
  rounds_generator_set_n_samples (generator,
                                  (guint) gtk_spin_button_get_value_as_int (self->samples_spin));
  rounds_generator_set_jobs (generator,
                             (guint) gtk_spin_button_get_value_as_int (self->jobs_spin));
  rounds_generator_set_actor (generator, self->actor);
  rounds_generator_set_retries (generator, self->max_attempts, self->first_delay_ms, 0);
  rounds_generator_set_progress_func (generator, progress_cb, NULL, self);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  gtk_widget_set_visible (self->progress_group, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);
  show_progress (self, &none);
  gtk_label_set_text (self->status_label, _("Looking for what is missing…"));
  update_actions (self);
  rounds_generator_run_async (generator, rounds_store_get_path (self->store), self->cancellable,
                              on_run_done, g_object_ref (self));
}

/* Cancel stops a run (what was saved stays); otherwise it closes the dialog. */
static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsGenerateDialog *self = ROUNDS_GENERATE_DIALOG (widget);

  if (self->running)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_label_set_text (self->status_label, _("Cancelling…"));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWidget) entry = user_data;
  g_autoptr(GError) error = NULL;
  char *key = rounds_secret_lookup_finish (result, &error);
  RoundsGenerateDialog *self;

  if (key == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No keyring for the endpoint keys: %s", error->message);
      return;
    }
  self = ROUNDS_GENERATE_DIALOG (gtk_widget_get_root (entry));
  if (self == NULL || self->disposed)
    {
      rounds_couch_password_free (key);
      return;
    }
  g_hash_table_replace (self->saved_keys, g_strdup (g_object_get_data (G_OBJECT (entry),
                                                                      "endpoint")), key);
  g_object_set (entry, "placeholder-text", _("Key kept in the keyring"), NULL);
}

static void
on_check_toggled (RoundsGenerateDialog *self)
{
  update_actions (self);
}

static void
add_endpoint_rows (RoundsGenerateDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) endpoints = rounds_store_list_endpoints (self->store, &error);

  if (endpoints == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      adw_preferences_group_add (self->endpoints_group, row);
      return;
    }
  if (endpoints->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No endpoints yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Add one with “rounds-cli endpoint add NAME BASE-URL "
                                     "MODEL”"));
      adw_preferences_group_add (self->endpoints_group, row);
    }
  for (guint i = 0; i < endpoints->len; i++)
    {
      RoundsEndpoint *endpoint = g_ptr_array_index (endpoints, i);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", endpoint->model,
                                                   endpoint->base_url);
      g_autofree char *user = rounds_secret_endpoint_user (endpoint->name);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *entry = gtk_password_entry_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), endpoint->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
      g_object_set (entry, "placeholder-text", _("Key, if it needs one"), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Key"), -1);
      g_object_set_data_full (G_OBJECT (entry), "endpoint", g_strdup (endpoint->name), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
      adw_preferences_group_add (self->endpoints_group, row);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);

      g_ptr_array_add (self->checks, check);
      g_ptr_array_add (self->key_entries, entry);
      rounds_secret_lookup_async (endpoint->base_url, user, self->lookups, on_key_looked_up,
                                  g_object_ref (entry));
    }
  g_ptr_array_extend_and_steal (self->endpoints, g_steal_pointer (&endpoints));
  /* One endpoint is chosen already: the common case needs one click. */
  if (self->checks->len == 1)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, 0), TRUE);
}

/**
 * rounds_generate_dialog_new:
 * @dataset: the dataset whose awaiting items get responses
 * @actor: who generates, for the audit log
 */
RoundsGenerateDialog *
rounds_generate_dialog_new (GtkWindow   *parent,
                            RoundsStore *store,
                            const char  *dataset,
                            const char  *actor)
{
  RoundsGenerateDialog *self;
  g_autoptr(RoundsDataset) found = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);
  g_return_val_if_fail (dataset != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_GENERATE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->dataset = g_strdup (dataset);
  self->actor = g_strdup (actor);
  found = rounds_store_get_dataset (store, dataset, NULL);
  adw_window_title_set_subtitle (self->window_title,
                                 found ? rounds_dataset_get_title (found) : dataset);
  add_endpoint_rows (self);
  update_actions (self);
  return self;
}

gboolean
rounds_generate_dialog_is_running (RoundsGenerateDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_GENERATE_DIALOG (self), FALSE);
  return self->running;
}

/* Whether a run has ended (done, failed or cancelled) since the dialog opened. */
gboolean
rounds_generate_dialog_has_run (RoundsGenerateDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_GENERATE_DIALOG (self), FALSE);
  return self->has_run;
}

/* The last progress shown. */
const RoundsGenerateProgress *
rounds_generate_dialog_get_progress (RoundsGenerateDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_GENERATE_DIALOG (self), NULL);
  return &self->progress;
}

/* As rounds_generator_set_retries(), for the runs of this dialog (tests make them quick). */
void
rounds_generate_dialog_set_retries (RoundsGenerateDialog *self,
                                    guint                 max_attempts,
                                    guint                 first_delay_ms)
{
  g_return_if_fail (ROUNDS_IS_GENERATE_DIALOG (self));

  self->max_attempts = max_attempts;
  self->first_delay_ms = first_delay_ms;
}

/* Closing the dialog cancels a run; the run's callback still holds the dialog. */
static gboolean
rounds_generate_dialog_close_request (GtkWindow *window)
{
  RoundsGenerateDialog *self = ROUNDS_GENERATE_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (rounds_generate_dialog_parent_class)->close_request (window);
}

static void
rounds_generate_dialog_dispose (GObject *object)
{
  RoundsGenerateDialog *self = ROUNDS_GENERATE_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->lookups);
  g_clear_object (&self->lookups);
  gtk_widget_dispose_template (GTK_WIDGET (object), ROUNDS_TYPE_GENERATE_DIALOG);

  G_OBJECT_CLASS (rounds_generate_dialog_parent_class)->dispose (object);
}

static void
rounds_generate_dialog_finalize (GObject *object)
{
  RoundsGenerateDialog *self = ROUNDS_GENERATE_DIALOG (object);

  g_clear_object (&self->store);
  g_free (self->dataset);
  g_free (self->actor);
  g_ptr_array_unref (self->endpoints);
  g_ptr_array_unref (self->checks);
  g_ptr_array_unref (self->key_entries);
  g_hash_table_unref (self->saved_keys);

  G_OBJECT_CLASS (rounds_generate_dialog_parent_class)->finalize (object);
}

static void
rounds_generate_dialog_class_init (RoundsGenerateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rounds_generate_dialog_dispose;
  object_class->finalize = rounds_generate_dialog_finalize;
  window_class->close_request = rounds_generate_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-generate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, generate_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, endpoints_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, samples_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, jobs_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsGenerateDialog, notes_label);

  gtk_widget_class_install_action (widget_class, "generate.run", NULL, run_activated);
  gtk_widget_class_install_action (widget_class, "generate.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "generate.cancel",
                                       NULL);
}

static void
rounds_generate_dialog_init (RoundsGenerateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_endpoint_free);
  self->checks = g_ptr_array_new ();
  self->key_entries = g_ptr_array_new ();
  self->saved_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) rounds_couch_password_free);
  self->lookups = g_cancellable_new ();
}
