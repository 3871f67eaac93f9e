/* rounds-window-actions.c: the win.* actions of the main window, and their shortcuts
 *
 * Every command a person can reach is an action here, so that tests can drive it and the
 * shortcuts window (ui/gtk/help-overlay.ui) can list it; the names are that contract.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-export-dialog.h"
#include "rounds-generate-dialog.h"
#include "rounds-preferences.h"
#include "rounds-review-page.h"
#include "rounds-widget-util-private.h"
#include "rounds-window-private.h"

/* Alt+Left: the judgement before, from my history of this dataset, to revise. */
static void
history_back_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->dataset == NULL || self->profile == NULL)
    return;
  if (self->history_pos < 0)
    {
      _rounds_window_keep_draft (self);
      g_clear_pointer (&self->history, g_array_unref);
      self->history = rounds_store_list_history (self->store, rounds_dataset_get_id (self->dataset),
                                                 rounds_profile_get_user_name (self->profile),
                                                 &error);
      if (self->history == NULL)
        {
          _rounds_window_toast (self, error->message);
          return;
        }
      self->history_pos = self->history->len;
    }
  else
    _rounds_window_keep_draft (self);
  if (self->history_pos == 0)
    {
      _rounds_window_toast (self, _("This is your first judgement in this dataset"));
      return;
    }
  self->history_pos--;
  _rounds_window_show_history_entry (self);
}

/* Alt+Right: the next judgement of my history, and after the last, the queue again. */
static void
history_forward_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->dataset == NULL || self->history_pos < 0)
    return;
  _rounds_window_keep_draft (self);
  if ((guint) self->history_pos + 1 >= self->history->len)
    {
      _rounds_window_show_next (self);
      return;
    }
  self->history_pos++;
  _rounds_window_show_history_entry (self);
}

static void
switch_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->store != NULL)
    _rounds_window_show_profiles (self);
}

static void
use_profile_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  const char *user = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  RoundsProfile *profile;

  if (!rounds_store_set_current_profile (self->store, user, &error) ||
      !(profile = rounds_store_get_profile (self->store, user, &error)))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  g_clear_object (&self->profile);
  self->profile = profile;
  g_clear_pointer (&self->history, g_array_unref);
  self->history_pos = -1;
  _rounds_window_update_role_actions (self);
  _rounds_window_update_sync_status (self);
  _rounds_window_show_datasets (self);
}

static void
review_dataset_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!rounds_window_review_dataset (self, g_variant_get_string (parameter, NULL), &error))
    _rounds_window_toast (self, error->message);
}

/* win.show-insights (dataset): the insights of a dataset; "" for the one on screen, else
 * every dataset. */
static void
show_insights_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!rounds_window_show_insights (self, g_variant_get_string (parameter, NULL), &error))
    _rounds_window_toast (self, error->message);
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  RoundsItem *item = rounds_compare_page_get_item (self->compare_page);
  RoundsJudgement *judgement = rounds_compare_page_get_judgement (self->compare_page);
  g_autoptr(GError) error = NULL;
  const char *comment;

  /* Ctrl+Enter on the review page records the verdict. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "review") == 0)
    {
      gtk_widget_activate_action (self->review_page, "review.save-verdict", NULL);
      return;
    }
  if (item == NULL)
    return;

  comment = rounds_compare_page_get_comment (self->compare_page);
  g_free (judgement->comment);
  judgement->comment = *comment ? g_strdup (comment) : NULL;
  judgement->status = ROUNDS_STATUS_SUBMITTED;

  if (!rounds_judgement_check_complete (judgement, rounds_dataset_get_required (self->dataset),
                                        &error))
    {
      judgement->status = ROUNDS_STATUS_DRAFT;
      rounds_compare_page_set_status (self->compare_page, error->message);
      _rounds_window_toast (self, error->message);
      return;
    }

  judgement->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  g_timer_start (self->timer);
  if (!rounds_store_save_judgement (self->store, item, rounds_profile_get_user_name (self->profile),
                                    judgement, &error))
    {
      judgement->status = ROUNDS_STATUS_DRAFT;
      _rounds_window_toast (self, error->message);
      return;
    }
  _rounds_window_count_done (self);
  _rounds_window_toast (self, _("Judgement saved"));
  _rounds_window_update_sync_status (self);
  _rounds_window_show_next (self);
}

static void
skip_with_reason (RoundsWindow *self,
                  const char   *reason)
{
  g_autoptr(RoundsJudgement) skip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (reason ? reason : ""));
  RoundsItem *item = rounds_compare_page_get_item (self->compare_page);

  if (item == NULL)
    return;
  if (*stripped == '\0')
    {
      _rounds_window_toast (self, _("Say why you skip this item"));
      return;
    }
  skip = rounds_judgement_copy (rounds_compare_page_get_judgement (self->compare_page));
  skip->status = ROUNDS_STATUS_SKIPPED;
  g_free (skip->skip_reason);
  skip->skip_reason = g_steal_pointer (&stripped);
  skip->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  if (!rounds_store_save_judgement (self->store, item, rounds_profile_get_user_name (self->profile),
                                    skip, &error))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  _rounds_window_count_done (self);
  _rounds_window_toast (self, _("Skipped"));
  _rounds_window_update_sync_status (self);
  _rounds_window_show_next (self);
}

/* win.skip-with-reason (reason): skips the item on screen, with the reason given. */
static void
skip_with_reason_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  skip_with_reason (ROUNDS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
on_skip_response (AdwMessageDialog *dialog,
                  const char       *response,
                  RoundsWindow     *self)
{
  GtkWidget *field = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *reason = _rounds_text_view_get_text (GTK_TEXT_VIEW (field));

  if (g_strcmp0 (response, "skip") == 0)
    skip_with_reason (self, reason);
}

/* win.skip (Alt+S): asks for the reason, in a multi-line field as the comment's (Ctrl+Enter
 * skips, Escape cancels), then skips. */
static void
skip_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *field;

  if (rounds_compare_page_get_item (self->compare_page) == NULL)
    return;
  field = _rounds_text_field_new ();
  dialog = _rounds_entry_dialog_new (GTK_WINDOW (self), _("Skip This Item?"),
                                     _("Say why, for the curators: for example outside your "
                                       "specialty, or the scenario is unclear."),
                                     field, _("Reason for skipping"), "skip", _("_Skip"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_skip_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_datasets_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->profile == NULL)
    return;
  _rounds_window_keep_draft (self);
  _rounds_window_show_datasets (self);
}

static void
open_dataset_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  rounds_window_open_dataset (ROUNDS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
create_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  if (!(profile = rounds_profile_page_new_profile (_rounds_window_get_profile_page (self),
                                                     &error)))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  if (!rounds_store_add_profile (self->store, profile, &error) ||
      !rounds_store_set_current_profile (self->store, rounds_profile_get_user_name (profile),
                                         &error))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  g_set_object (&self->profile, profile);
  _rounds_window_update_role_actions (self);
  _rounds_window_show_datasets (self);
}

static void
zoom_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  double scale = g_settings_get_double (self->settings, "text-scale");

  if (g_str_equal (action_name, "win.zoom-in"))
    scale = MIN (scale + 0.1, 2.5);
  else if (g_str_equal (action_name, "win.zoom-out"))
    scale = MAX (scale - 0.1, 0.6);
  else
    scale = 1.0;
  g_settings_set_double (self->settings, "text-scale", scale);
}

/* win.show-help-overlay (? or Ctrl+?): the shortcuts window, built the first time it is
 * asked for. It is not at gtk/help-overlay.ui under the resource base path, where
 * GtkApplication would build it with every window, before the window's first frame. */
static void
show_help_overlay_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX
                                                                     "/ui/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->preferences == NULL)
    {
      const char *name = self->profile ? rounds_profile_get_display_name (self->profile) : NULL;

      self->preferences = GTK_WIDGET (rounds_preferences_new (GTK_WINDOW (self), self->settings,
                                                              name));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

static void
on_import_chosen (GtkNativeDialog *chooser,
                  int              response,
                  RoundsWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      rounds_window_import_file (self, file);
    }
  g_object_unref (chooser);
}

/* win.import (Ctrl+O): Rounds JSONL, TRL pairs or judgements, chosen through the portal. */
static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import a Dataset or Judgements"),
                                                               GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Import"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("JSON Lines and CSV"));
  gtk_file_filter_add_suffix (filter, "jsonl");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* win.export (Ctrl+E): rated pairs for training, of every dataset or of the one open. */
static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  RoundsDataset *current = self->dataset;
  const char *actor;

  if (self->store == NULL)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "review") == 0)
    current = rounds_review_page_get_dataset (ROUNDS_REVIEW_PAGE (self->review_page));
  actor = self->profile ? rounds_profile_get_user_name (self->profile) : g_get_user_name ();
  gtk_window_present (GTK_WINDOW (rounds_export_dialog_new (GTK_WINDOW (self), self->store, current,
                                                            actor)));
}

/* win.generate-responses (dataset name, or "" for the one open): a curator's Generate
 * Responses dialog for the items awaiting responses. */
static void
generate_responses_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  RoundsGenerateDialog *dialog;

  if (self->store == NULL || self->profile == NULL ||
      !rounds_profile_has_role (self->profile, ROUNDS_ROLE_CURATOR))
    return;
  if (*name == '\0' && self->dataset != NULL)
    name = rounds_dataset_get_name (self->dataset);
  if (*name == '\0')
    {
      _rounds_window_toast (self, _("Open a dataset first, or use its Generate button"));
      return;
    }
  dialog = rounds_generate_dialog_new (GTK_WINDOW (self), self->store, name,
                                       rounds_profile_get_user_name (self->profile));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The compare page -------------------------------------------------------------------- */

static void
prefer_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  rounds_compare_page_prefer (ROUNDS_WINDOW (widget)->compare_page,
                              g_variant_get_int32 (parameter));
}

static void
unacceptable_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  rounds_compare_page_toggle_unacceptable (ROUNDS_WINDOW (widget)->compare_page);
}

/* win.score ((position, criterion, score)): a rubric score of the response at a screen
 * position; a score below the criterion's minimum (0 on a 1–5 rubric) clears it. */
static void
score_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  const char *criterion_id = NULL;
  gint32 position, score;

  g_variant_get (parameter, "(i&si)", &position, &criterion_id, &score);
  rounds_compare_page_score (ROUNDS_WINDOW (widget)->compare_page, position, criterion_id, score);
}

/* win.rank ((position, rank)): the rank of the response at a screen position, 1 the best;
 * equal ranks are ties, 0 clears it. */
static void
rank_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gint32 position, rank;

  g_variant_get (parameter, "(ii)", &position, &rank);
  rounds_compare_page_rank (ROUNDS_WINDOW (widget)->compare_page, position, rank);
}

/* win.toggle-flag ((position, flag)): a flag of the response at a screen position. */
static void
toggle_flag_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  const char *name = NULL;
  gint32 position;

  g_variant_get (parameter, "(i&s)", &position, &name);
  rounds_compare_page_toggle_flag (ROUNDS_WINDOW (widget)->compare_page, position, name);
}

/* win.select-response (position): the response the flag keys and R act on (A, B… keys). */
static void
select_response_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  rounds_compare_page_select_response (ROUNDS_WINDOW (widget)->compare_page,
                                       g_variant_get_int32 (parameter));
}

/* win.toggle-current-flag (flag): a flag of the current response (Ctrl+1…5). */
static void
toggle_current_flag_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  rounds_compare_page_toggle_current_flag (ROUNDS_WINDOW (widget)->compare_page,
                                           g_variant_get_string (parameter, NULL));
}

/* win.score-rubric (R): the focus to the current response's first criterion not scored;
 * there the arrows move between criteria and responses, and digits are the score. */
static void
score_rubric_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  rounds_compare_page_focus_rubric (ROUNDS_WINDOW (widget)->compare_page);
}

/* Sync ------------------------------------------------------------------------------- */

static void
resolve_conflict_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  const char *doc_id, *choice;

  g_variant_get (parameter, "(&s&s)", &doc_id, &choice);
  if (g_str_equal (choice, "keep-mine"))
    _rounds_window_resolve_conflict (self, doc_id, ROUNDS_SYNC_KEEP_MINE);
  else if (g_str_equal (choice, "take-theirs"))
    _rounds_window_resolve_conflict (self, doc_id, ROUNDS_SYNC_TAKE_THEIRS);
  else
    g_debug ("win.resolve-conflict: “%s” is neither keep-mine nor take-theirs", choice);
}

/* ------------------------------------------------------------------------------------- */

typedef void (*WindowCommand) (RoundsWindow *self);

static void command_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter);

/* An action without a parameter whose work is all in a function of the window names that
 * function (its command) instead of a callback of its own. */
static const struct
{
  const char                  *name;
  const char                  *parameter_type;
  GtkWidgetActionActivateFunc  activate;
  WindowCommand                command;
} actions[] = {
  { "win.submit", NULL, submit_activated, NULL },
  { "win.prefer", "i", prefer_activated, NULL },
  { "win.unacceptable", NULL, unacceptable_activated, NULL },
  { "win.toggle-flag", "(is)", toggle_flag_activated, NULL },
  { "win.score", "(isi)", score_activated, NULL },
  { "win.rank", "(ii)", rank_activated, NULL },
  { "win.select-response", "i", select_response_activated, NULL },
  { "win.toggle-current-flag", "s", toggle_current_flag_activated, NULL },
  { "win.score-rubric", NULL, score_rubric_activated, NULL },
  { "win.skip", NULL, skip_activated, NULL },
  { "win.skip-with-reason", "s", skip_with_reason_activated, NULL },
  { "win.history-back", NULL, history_back_activated, NULL },
  { "win.history-forward", NULL, history_forward_activated, NULL },
  { "win.show-datasets", NULL, show_datasets_activated, NULL },
  { "win.open-dataset", "s", open_dataset_activated, NULL },
  { "win.create-profile", NULL, create_profile_activated, NULL },
  { "win.review-dataset", "s", review_dataset_activated, NULL },
  { "win.show-insights", "s", show_insights_activated, NULL },
  { "win.switch-profile", NULL, switch_profile_activated, NULL },
  { "win.use-profile", "s", use_profile_activated, NULL },
  { "win.preferences", NULL, preferences_activated, NULL },
  { "win.show-help-overlay", NULL, show_help_overlay_activated, NULL },
  { "win.import", NULL, import_activated, NULL },
  { "win.export", NULL, export_activated, NULL },
  { "win.generate-responses", "s", generate_responses_activated, NULL },
  { "win.sync", NULL, command_activated, _rounds_window_sync },
  { "win.show-conflicts", NULL, command_activated, _rounds_window_show_conflicts },
  { "win.resolve-conflict", "(ss)", resolve_conflict_activated, NULL },
  /* Sign out: the password leaves the keyring and this run's memory; the next sync asks. */
  { "win.sign-out", NULL, command_activated, _rounds_window_sign_out },
  { "win.zoom-in", NULL, zoom_activated, NULL },
  { "win.zoom-out", NULL, zoom_activated, NULL },
  { "win.zoom-reset", NULL, zoom_activated, NULL },
};

static void
command_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (actions[i].command != NULL && g_str_equal (actions[i].name, action_name))
      actions[i].command (ROUNDS_WINDOW (widget));
}

void
_rounds_window_class_add_actions (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name, actions[i].parameter_type,
                                     actions[i].activate);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_ALT_MASK, "win.skip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.history-back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "win.history-forward", NULL);
  for (int key = 1; key <= 7; key++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + key, 0, "win.prefer", "i",
                                           key);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + key, 0, "win.prefer", "i",
                                           key);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "win.unacceptable", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, 0, "win.unacceptable", NULL);
  /* A to G: the response the keys below act on; more than two responses are ranked with the
   * digits, each the rank of the current response, which then moves on. */
  for (int position = 0; position < 7; position++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a + position, 0,
                                         "win.select-response", "i", position);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "win.score-rubric", NULL);
  for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + f, GDK_CONTROL_MASK,
                                         "win.toggle-current-flag", "s",
                                         rounds_flag_to_string (1u << f));
}
