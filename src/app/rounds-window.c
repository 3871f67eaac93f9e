/* rounds-window.c: the main window: its pages, the header, toasts, zoom and time on task
 *
 * The pages are widgets of their own (rounds-*-page.c); the win.* actions are in
 * rounds-window-actions.c and the sync flow in rounds-window-sync.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-count.h"
#include "rounds-error.h"
#include "rounds-import-dialog.h"
#include "rounds-importer.h"
#include "rounds-insights-page.h"
#include "rounds-review-page.h"
#include "rounds-review.h"
#include "rounds-widget-util-private.h"
#include "rounds-window-private.h"

G_DEFINE_FINAL_TYPE (RoundsWindow, rounds_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_layout (RoundsWindow *self);

void
_rounds_window_toast (RoundsWindow *self,
                      const char   *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Datasets ----------------------------------------------------------------------------- */

/* The dataset open on the compare page is remembered at once, so that a restart, even after
 * the app was killed, opens it again at the item with the draft (the queue starts there). */
static void
remember_open_dataset (RoundsWindow *self,
                       const char   *name)
{
  g_autofree char *before = g_settings_get_string (self->settings, "open-dataset");

  if (!g_str_equal (before, name))
    g_settings_set_string (self->settings, "open-dataset", name);
}

static void
left_compare_page (RoundsWindow *self)
{
  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  remember_open_dataset (self, "");
}

void
_rounds_window_show_datasets (RoundsWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint n_datasets;

  g_clear_handle_id (&self->datasets_idle_id, g_source_remove);
  rounds_compare_page_clear (self->compare_page);
  g_clear_object (&self->dataset);
  left_compare_page (self);
  adw_window_title_set_subtitle (self->window_title,
                                 self->profile ? rounds_profile_get_display_name (self->profile)
                                               : NULL);
  gtk_widget_set_visible (self->back_button, FALSE);

  if (!rounds_datasets_page_load (self->datasets_page, self->store, self->profile, &n_datasets,
                                  &error))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, n_datasets == 0 ? "empty" : "datasets");
}

/* The datasets page at start, unless --dataset or --review opened another page first: its
 * progress counts every item of every dataset, which the start need not wait for. */
static gboolean
show_datasets_at_start (gpointer user_data)
{
  RoundsWindow *self = user_data;

  self->datasets_idle_id = 0;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "datasets") == 0)
    _rounds_window_show_datasets (self);
  return G_SOURCE_REMOVE;
}

/* The compare page -------------------------------------------------------------------- */

/* "Item N of M" on the compare page, once counted. */
static void
show_progress (RoundsWindow *self)
{
  rounds_compare_page_set_progress (self->compare_page, self->n_done + 1,
                                    self->progress_counted ? MAX (self->n_total,
                                                                  self->n_done + 1) : 0);
}

/* @revising: a submitted judgement brought back from the history, to revise */
static void
show_item (RoundsWindow    *self,
           RoundsItem      *item,
           RoundsJudgement *revising)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsJudgement) draft = NULL;
  g_autoptr(GPtrArray) guardian = NULL;
  g_autoptr(GError) reveal_error = NULL;
  const char *user = rounds_profile_get_user_name (self->profile);
  guint n = rounds_item_get_n_responses (item);
  g_autofree guint *order = g_new0 (guint, n);

  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  if (!rounds_store_get_shown_order (self->store, item, user, order, &error))
    {
      _rounds_window_toast (self, error->message);
      for (guint i = 0; i < n; i++)
        order[i] = i;
    }

  draft = rounds_store_get_draft (self->store, item, user, NULL);
  if (draft == NULL && revising != NULL)
    draft = rounds_judgement_copy (revising);
  if (draft == NULL)
    draft = rounds_judgement_new (n, rounds_dataset_get_rubric (self->dataset));
  rounds_compare_page_show (self->compare_page, self->dataset, item, g_steal_pointer (&draft),
                            order);
  /* Locked first, then revealed: the store gives the guardian's judgement only once this
   * person's own is submitted, where the dataset allows, and logs the reveal. */
  if (!rounds_store_reveal_guardian (self->store, item, user, &guardian, &reveal_error))
    _rounds_window_toast (self, reveal_error->message);
  rounds_compare_page_set_guardian (self->compare_page, guardian);
  if (revising == NULL)
    show_progress (self);
  remember_open_dataset (self, rounds_dataset_get_name (self->dataset));
  update_layout (self);

  adw_window_title_set_subtitle (self->window_title, rounds_dataset_get_title (self->dataset));
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  rounds_compare_page_focus_scenario (self->compare_page);
  self->idle = FALSE;
  self->last_input_us = g_get_monotonic_time ();
  g_timer_start (self->timer);
}

void
_rounds_window_show_next (RoundsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsItem) item = NULL;

  item = rounds_store_next_item (self->store, rounds_dataset_get_id (self->dataset),
                                 rounds_profile_get_user_name (self->profile), &error);
  self->history_pos = -1;

  if (item != NULL)
    {
      show_item (self, item, NULL);
      return;
    }
  if (error != NULL)
    _rounds_window_toast (self, error->message);

  rounds_compare_page_clear (self->compare_page);
  left_compare_page (self);
  adw_status_page_set_description (self->finished_page,
                                   _("There is nothing more for you in this dataset. Thank you."));
  gtk_stack_set_visible_child_name (self->stack, "finished");
}

/* The annotator's progress in the dataset open, counted after the frame that shows its first
 * item: the count reads the whole queue, which the first item need not wait for. */
static gboolean
count_progress (gpointer user_data)
{
  RoundsWindow *self = user_data;
  RoundsProgress progress = { 0 };
  g_autoptr(GError) error = NULL;

  self->progress_idle_id = 0;
  if (self->dataset == NULL)
    return G_SOURCE_REMOVE;
  if (!rounds_store_get_my_progress (self->store, rounds_dataset_get_id (self->dataset),
                                     rounds_profile_get_user_name (self->profile), &progress,
                                     &error))
    g_debug ("No progress for %s: %s", rounds_dataset_get_name (self->dataset), error->message);
  self->n_done = progress.n_mine + progress.n_mine_skipped;
  self->n_total = self->n_done + progress.n_mine_open;
  self->progress_counted = TRUE;
  if (self->history_pos < 0 && rounds_compare_page_get_item (self->compare_page) != NULL)
    show_progress (self);
  return G_SOURCE_REMOVE;
}

/* Ticks come before a frame's layout and drawing; an idle added now runs after them. */
static gboolean
on_compare_page_tick (GtkWidget     *widget,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  RoundsWindow *self = user_data;

  self->progress_tick_id = 0;
  if (self->progress_idle_id == 0)
    self->progress_idle_id = g_idle_add_full (G_PRIORITY_LOW, count_progress, self, NULL);
  return G_SOURCE_REMOVE;
}

void
rounds_window_open_dataset (RoundsWindow *self,
                            const char   *name)
{
  g_autoptr(GError) error = NULL;
  RoundsDataset *dataset;

  g_return_if_fail (ROUNDS_IS_WINDOW (self));

  if (!(dataset = rounds_store_get_dataset (self->store, name, &error)))
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  g_set_object (&self->dataset, dataset);
  g_object_unref (dataset);
  /* Counted once the first item is drawn; each item submitted or skipped from the queue then
   * adds one. */
  self->n_done = 0;
  self->progress_counted = FALSE;
  g_clear_handle_id (&self->progress_idle_id, g_source_remove);
  if (self->progress_tick_id == 0)
    self->progress_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->compare_page),
                                                           on_compare_page_tick, self, NULL);
  _rounds_window_show_next (self);
}

/* An item of the queue was submitted or skipped. */
void
_rounds_window_count_done (RoundsWindow *self)
{
  if (self->history_pos < 0)
    self->n_done++;
}

void
_rounds_window_show_history_entry (RoundsWindow *self)
{
  const RoundsHistoryEntry *entry = &g_array_index (self->history, RoundsHistoryEntry,
                                                    self->history_pos);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsItem) item = rounds_store_get_item (self->store, entry->item_id, &error);
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autofree char *status = NULL;

  if (item == NULL)
    {
      _rounds_window_toast (self, error->message);
      return;
    }
  judgement = rounds_store_get_judgement (self->store, item,
                                          rounds_profile_get_user_name (self->profile), NULL);
  show_item (self, item, judgement);
  /* TRANSLATORS: shown when a judgement from the history is on screen */
  status = g_strdup_printf (_("Revising your judgement (revision %d): "
                              "submitting saves revision %d"),
                            entry->revision, entry->revision + 1);
  rounds_compare_page_set_status (self->compare_page, status);
}

/* The profile page is built when first shown, as the review and insights pages are: a start
 * with a profile, the most common, never shows it. */
RoundsProfilePage *
_rounds_window_get_profile_page (RoundsWindow *self)
{
  if (self->profile_page == NULL)
    {
      self->profile_page = ROUNDS_PROFILE_PAGE (rounds_profile_page_new ());
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->profile_page), "profile");
    }
  return self->profile_page;
}

/* Who is working: the profiles of this database to choose from, and a form for a new one. */
void
_rounds_window_show_profiles (RoundsWindow *self)
{
  g_autoptr(GListModel) profiles = rounds_store_list_profiles (self->store, NULL);

  _rounds_window_keep_draft (self);
  rounds_compare_page_clear (self->compare_page);
  left_compare_page (self);
  rounds_profile_page_set_profiles (_rounds_window_get_profile_page (self), profiles);
  gtk_widget_set_visible (self->back_button, self->profile != NULL);
  gtk_stack_set_visible_child_name (self->stack, "profile");
}

/* The review page is offered only to a profile with the reviewer role, the insights to
 * reviewers and curators, generating responses to curators. */
void
_rounds_window_update_role_actions (RoundsWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-dataset",
                                 self->profile != NULL &&
                                 rounds_profile_has_role (self->profile, ROUNDS_ROLE_REVIEWER));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-insights",
                                 _rounds_profile_may_see_insights (self->profile));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.generate-responses",
                                 self->profile != NULL &&
                                 rounds_profile_has_role (self->profile, ROUNDS_ROLE_CURATOR));
}

/* The review and insights pages are built when first shown, not at start: most starts never
 * show them, and the first frame need not wait for them. */
static RoundsReviewPage *
get_review_page (RoundsWindow *self)
{
  if (self->review_page == NULL)
    {
      self->review_page = rounds_review_page_new ();
      gtk_stack_add_named (self->stack, self->review_page, "review");
    }
  return ROUNDS_REVIEW_PAGE (self->review_page);
}

static RoundsInsightsPage *
get_insights_page (RoundsWindow *self)
{
  if (self->insights_page == NULL)
    {
      self->insights_page = rounds_insights_page_new ();
      gtk_stack_add_named (self->stack, self->insights_page, "insights");
    }
  return ROUNDS_INSIGHTS_PAGE (self->insights_page);
}

gboolean
rounds_window_review_dataset (RoundsWindow  *self,
                              const char    *name,
                              GError       **error)
{
  RoundsReviewPage *review_page;
  g_autoptr(RoundsDataset) dataset = NULL;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);

  if (self->profile == NULL || !rounds_profile_has_role (self->profile, ROUNDS_ROLE_REVIEWER))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Only a profile with the reviewer role can review disagreements"));
      return FALSE;
    }
  if (!(dataset = rounds_store_get_dataset (self->store, name, error)))
    return FALSE;
  review_page = get_review_page (self);
  if (!rounds_review_page_load (review_page, self->store, dataset, self->profile, error))
    return FALSE;

  _rounds_window_keep_draft (self);
  rounds_compare_page_clear (self->compare_page);
  left_compare_page (self);
  /* TRANSLATORS: the window subtitle on the review page */
  adw_window_title_set_subtitle (self->window_title, _("Review of disagreements"));
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "review");
  if (rounds_review_page_get_n_items (review_page) > 0)
    rounds_review_page_select (review_page, 0);
  return TRUE;
}

GtkWidget *
rounds_window_get_review_page (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return GTK_WIDGET (get_review_page (self));
}

/**
 * rounds_window_show_insights:
 * @name: a dataset's name, or "" for the dataset on screen, else every dataset
 *
 * Shows the insights page for reviewers and curators; the figures are computed in a thread.
 */
gboolean
rounds_window_show_insights (RoundsWindow  *self,
                             const char    *name,
                             GError       **error)
{
  const char *datasets[] = { name, NULL };
  RoundsDataset *current = self->dataset;
  g_autoptr(RoundsDataset) dataset = NULL;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!_rounds_profile_may_see_insights (self->profile))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Only a profile with the reviewer or curator role can see the insights"));
      return FALSE;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "review") == 0)
    current = rounds_review_page_get_dataset (ROUNDS_REVIEW_PAGE (self->review_page));
  if (*name == '\0')
    datasets[0] = current != NULL ? rounds_dataset_get_name (current) : NULL;
  else if (*name != '\0' && !(dataset = rounds_store_get_dataset (self->store, name, error)))
    return FALSE;

  _rounds_window_keep_draft (self);
  rounds_compare_page_clear (self->compare_page);
  left_compare_page (self);
  rounds_insights_page_load (get_insights_page (self), self->store,
                             datasets[0] != NULL ? datasets : NULL);
  /* TRANSLATORS: the window subtitle on the insights page */
  adw_window_title_set_subtitle (self->window_title, _("Insights"));
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "insights");
  return TRUE;
}

GtkWidget *
rounds_window_get_insights_page (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return GTK_WIDGET (get_insights_page (self));
}

/* Keeps what the clinician has done so far, so that nothing is lost on leaving. */
void
_rounds_window_keep_draft (RoundsWindow *self)
{
  RoundsItem *item = rounds_compare_page_get_item (self->compare_page);
  RoundsJudgement *judgement = rounds_compare_page_get_judgement (self->compare_page);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  if (item == NULL || judgement == NULL)
    return;
  g_free (judgement->comment);
  judgement->comment = g_strdup (rounds_compare_page_get_comment (self->compare_page));
  judgement->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  g_timer_start (self->timer);
  if (!rounds_store_save_draft (self->store, item, rounds_profile_get_user_name (self->profile),
                                judgement, &error))
    g_warning ("Could not keep the draft: %s", error->message);
}

static gboolean
keep_draft_now (gpointer user_data)
{
  RoundsWindow *self = user_data;

  self->draft_timeout_id = 0;
  _rounds_window_keep_draft (self);
  return G_SOURCE_REMOVE;
}

/* Every change is kept as a draft a moment later, so that a killed app loses at most that
 * moment's work and reopens on the item. */
static void
on_compare_page_changed (RoundsWindow *self)
{
  if (self->draft_timeout_id == 0)
    self->draft_timeout_id = g_timeout_add (1000, keep_draft_now, self);
}

/* Zoom and style ---------------------------------------------------------------------- */

static void
apply_zoom (RoundsWindow *self)
{
  g_autofree char *css = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (number, sizeof number, "%.4f", 1.08 * g_settings_get_double (self->settings,
                                                                                "text-scale"));
  css = g_strdup_printf (".reading { font-size: %sem; }", number);
  gtk_css_provider_load_from_data (self->zoom_css, css, -1);
}

double
rounds_window_get_text_scale (RoundsWindow *self)
{
  g_autofree char *css = NULL;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), 1.0);
  /* What the page is drawn with: parsed back from the provider, not read from GSettings. */
  css = gtk_css_provider_to_string (self->zoom_css);
  return g_ascii_strtod (strstr (css, "font-size:") + strlen ("font-size:"), NULL) / 1.08;
}

static void
apply_style (RoundsWindow *self)
{
  const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK
  };
  int style = g_settings_get_enum (self->settings, "style");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[CLAMP (style, 0,
                                                                                       2)]);
}

/* Import ----------------------------------------------------------------------------- */

static void
on_import_fraction (RoundsImporter *importer,
                    GParamSpec     *pspec,
                    RoundsWindow   *self)
{
  if (self->import_dialog != NULL)
    rounds_import_dialog_set_fraction (ROUNDS_IMPORT_DIALOG (self->import_dialog),
                                       rounds_importer_get_fraction (importer));
}

static void
on_import_dialog_response (AdwMessageDialog *dialog,
                           const char       *response,
                           RoundsWindow     *self)
{
  if (g_strcmp0 (response, "cancel") == 0 && self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static void
on_import_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RoundsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  RoundsImportResult outcome = { 0 };

  if (self->import_dialog != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self->import_dialog));
      self->import_dialog = NULL;
    }
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->last_import_error, g_free);

  if (!rounds_importer_run_finish (ROUNDS_IMPORTER (object), result, &outcome, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (!g_cancellable_is_cancelled (self->cancellable))
            _rounds_window_toast (self, _("Import cancelled: nothing was written"));
          return;
        }
      self->last_import_error = g_strdup (error->message);
      {
        /* The message names the file, the line and the field; nothing of the file was written. */
        GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self),
                                                   _("The File Was Not Imported"), error->message);

        adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
        gtk_window_present (GTK_WINDOW (alert));
      }
      return;
    }

  {
    g_autofree char *added = rounds_format_counted (outcome.n_items_added, "%s item added",
                                                    "%s items added");
    g_autofree char *unchanged = rounds_format_count (outcome.n_items_unchanged);
    g_autofree char *judgements = rounds_format_counted (outcome.n_judgements_added,
                                                         "%s judgement added",
                                                         "%s judgements added");
    /* TRANSLATORS: items added ("3 items added"), unchanged, judgements added */
    g_autofree char *message = g_strdup_printf (_("Imported: %s, %s unchanged; %s"), added,
                                                unchanged, judgements);
    _rounds_window_toast (self, message);
  }
  if (self->profile != NULL)
    _rounds_window_show_datasets (self);
}

void
rounds_window_import_file (RoundsWindow *self,
                           GFile        *file)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *dialog;

  g_return_if_fail (ROUNDS_IS_WINDOW (self));
  if (self->store == NULL || self->import_cancellable != NULL)
    return;

  rounds_importer_set_actor (importer,
                             self->profile ? rounds_profile_get_user_name (self->profile)
                                           : g_get_user_name ());
  self->import_cancellable = g_cancellable_new ();
  dialog = GTK_WIDGET (rounds_import_dialog_new (GTK_WINDOW (self), name));
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_dialog_response), self);
  self->import_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  g_signal_connect_object (importer, "notify::fraction", G_CALLBACK (on_import_fraction), self, 0);
  rounds_importer_run_async (importer, rounds_store_get_path (self->store), file,
                             self->import_cancellable,
                             on_import_done, g_object_ref (self));
}

const char *
rounds_window_get_last_import_error (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return self->last_import_error;
}

gboolean
rounds_window_is_importing (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return self->import_cancellable != NULL;
}

/* ------------------------------------------------------------------------------------- */

static void
on_settings_changed (RoundsWindow *self,
                     const char   *key)
{
  if (g_str_equal (key, "text-scale"))
    apply_zoom (self);
  else if (g_str_equal (key, "style"))
    apply_style (self);
  else if (g_str_equal (key, "sync-interval") || g_str_equal (key, "store-url"))
    _rounds_window_schedule_sync (self);
}

/* Responses side by side when there is room for a comfortable measure each, stacked when
 * the window is narrow. GTK 4.8 has no breakpoints, so the window's width decides. (The
 * review page follows the window's width itself.) */
static void
update_layout (RoundsWindow *self)
{
  RoundsItem *item = rounds_compare_page_get_item (self->compare_page);
  guint n = item ? rounds_item_get_n_responses (item) : 2;

  rounds_compare_page_set_stacked (self->compare_page,
                                   _rounds_responses_should_stack (_rounds_window_width
                                                                     (GTK_WINDOW (self)), n));
}

gboolean
rounds_window_responses_are_stacked (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return rounds_compare_page_get_stacked (self->compare_page);
}

/* Idle time is left out of the time on task: two minutes without a key or a pointer move
 * stop the clock, the next input starts it again. */
#define IDLE_AFTER_US (120 * G_USEC_PER_SEC)

static void
on_input (RoundsWindow *self)
{
  self->last_input_us = g_get_monotonic_time ();
  if (rounds_compare_page_get_judgement (self->compare_page) != NULL && self->idle &&
      gtk_window_is_active (GTK_WINDOW (self)))
    {
      self->idle = FALSE;
      g_timer_continue (self->timer);
    }
}

/* The key controller only watches for input (capture phase); the key goes on to its widget.
 * "key-pressed" wants a boolean: a handler without one would leave the answer to chance. */
static gboolean
on_key_pressed (RoundsWindow *self)
{
  on_input (self);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_idle_check (gpointer user_data)
{
  RoundsWindow *self = user_data;

  if (!self->idle && g_get_monotonic_time () - self->last_input_us > IDLE_AFTER_US &&
      g_timer_is_active (self->timer))
    {
      self->idle = TRUE;
      g_timer_stop (self->timer);
    }
  return G_SOURCE_CONTINUE;
}

/* Time on task counts only while the window has the focus. */
static void
on_is_active_changed (RoundsWindow *self)
{
  if (rounds_compare_page_get_judgement (self->compare_page) == NULL)
    return;
  if (gtk_window_is_active (GTK_WINDOW (self)) && !self->idle && !g_timer_is_active (self->timer))
    g_timer_continue (self->timer);
  else if (!gtk_window_is_active (GTK_WINDOW (self)) && g_timer_is_active (self->timer))
    g_timer_stop (self->timer);
}

static gboolean
rounds_window_close_request (GtkWindow *window)
{
  RoundsWindow *self = ROUNDS_WINDOW (window);
  int width, height;

  _rounds_window_keep_draft (self);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (rounds_window_parent_class)->close_request (window);
}

RoundsItem *
rounds_window_get_item (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return rounds_compare_page_get_item (self->compare_page);
}

const char *
rounds_window_get_page (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

RoundsWindow *
rounds_window_new (RoundsApplication *app,
                   RoundsStore       *store,
                   const GError      *open_error)
{
  RoundsWindow *self = g_object_new (ROUNDS_TYPE_WINDOW, "application", app, NULL);

  self->store = store;
  if (store == NULL)
    {
      adw_status_page_set_description (self->error_page, open_error ? open_error->message : NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return self;
    }

  self->profile = rounds_store_get_current_profile (store);
  _rounds_window_update_role_actions (self);
  _rounds_window_schedule_sync (self);
  if (self->profile == NULL)
    {
      gtk_widget_set_visible (self->back_button, FALSE);
      _rounds_window_get_profile_page (self);
      gtk_stack_set_visible_child_name (self->stack, "profile");
    }
  else
    {
      /* Before the first frame: the caller opens any other page first. */
      gtk_stack_set_visible_child_name (self->stack, "datasets");
      self->datasets_idle_id = g_idle_add_full (G_PRIORITY_HIGH, show_datasets_at_start, self,
                                                NULL);
    }
  return self;
}

static void
rounds_window_dispose (GObject *object)
{
  RoundsWindow *self = ROUNDS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  g_clear_handle_id (&self->idle_check_id, g_source_remove);
  g_clear_handle_id (&self->datasets_idle_id, g_source_remove);
  g_clear_handle_id (&self->draft_timeout_id, g_source_remove);
  g_clear_handle_id (&self->progress_idle_id, g_source_remove);
  if (self->progress_tick_id != 0 && self->compare_page != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->compare_page), self->progress_tick_id);
  self->progress_tick_id = 0;
  g_clear_weak_pointer (&self->connect_dialog);
  g_clear_weak_pointer (&self->conflicts_dialog);
  g_clear_weak_pointer (&self->preferences);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                 GTK_STYLE_PROVIDER (self->zoom_css));
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_WINDOW);

  G_OBJECT_CLASS (rounds_window_parent_class)->dispose (object);
}

static void
rounds_window_finalize (GObject *object)
{
  RoundsWindow *self = ROUNDS_WINDOW (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->timer, g_timer_destroy);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_object (&self->zoom_css);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->last_import_error, g_free);
  _rounds_window_forget_password (self);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->resolving, g_hash_table_unref);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (rounds_window_parent_class)->finalize (object);
}

static void
rounds_window_class_init (RoundsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rounds_window_dispose;
  object_class->finalize = rounds_window_finalize;
  window_class->close_request = rounds_window_close_request;

  g_type_ensure (ROUNDS_TYPE_DATASETS_PAGE);
  g_type_ensure (ROUNDS_TYPE_COMPARE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, datasets_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, compare_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, finished_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, error_page);

  _rounds_window_class_add_actions (widget_class);
}

static void
rounds_window_init (RoundsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->timer = g_timer_new ();
  g_timer_stop (self->timer);
  self->history_pos = -1;
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->resolving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-conflicts", FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings,
                                                                      "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_settings_changed), self);
  apply_style (self);
  self->zoom_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->zoom_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  apply_zoom (self);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (on_is_active_changed), self);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();
    GtkEventController *motion = gtk_event_controller_motion_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
    g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_input), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
    gtk_widget_add_controller (GTK_WIDGET (self), motion);
    self->last_input_us = g_get_monotonic_time ();
    self->idle_check_id = g_timeout_add_seconds (5, on_idle_check, self);
  }
  g_signal_connect_swapped (self->compare_page, "changed", G_CALLBACK (on_compare_page_changed),
                            self);
  g_signal_connect_swapped (self, "notify::default-width", G_CALLBACK (update_layout), self);
  g_signal_connect_swapped (self, "notify::maximized", G_CALLBACK (update_layout), self);
}
