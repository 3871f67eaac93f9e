/* rounds-window.c: the main window: who is working, the datasets, the compare page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-window"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-conflicts-dialog.h"
#include "rounds-connect-dialog.h"
#include "rounds-error.h"
#include "rounds-export-dialog.h"
#include "rounds-importer.h"
#include "rounds-preferences.h"
#include "rounds-review-page.h"
#include "rounds-secret.h"
#include <libsecret/secret.h>
#include "rounds-sync.h"
#include "rounds-couch.h"
#include "rounds-window.h"

#define MAX_SCORE 5

struct _RoundsWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *sync_button;
  GtkImage             *sync_icon;
  GtkLabel             *sync_label;
  GtkStack             *stack;
  AdwEntryRow          *display_name_row;
  AdwEntryRow          *user_name_row;
  AdwEntryRow          *specialty_row;
  AdwComboRow          *role_row;
  GtkWidget            *profiles_group;
  GtkListBox           *profiles_list;
  GtkWidget            *review_page;
  GtkListBox           *datasets_list;
  AdwStatusPage        *finished_page;
  AdwStatusPage        *error_page;
  GtkLabel             *item_title;
  GtkLabel             *item_meta;
  GtkLabel             *scenario;
  GtkBox               *responses_box;
  GtkWidget            *preference_box;
  GtkLabel             *preference_heading;
  GtkBox               *preference_buttons;
  GtkGrid              *rubric_grid;
  GtkEntry             *comment_entry;
  GtkLabel             *status_label;

  /* Borrowed */
  RoundsStore          *store;

  /* Owned */
  RoundsProfile        *profile;
  RoundsDataset        *dataset;
  RoundsItem           *item;
  RoundsJudgement      *judgement;
  guint                *order;              /* screen position → canonical response */
  GPtrArray            *preference_toggles; /* GtkToggleButton, screen order */
  GPtrArray            *score_dropdowns;    /* GtkDropDown, response × criterion */
  GPtrArray            *rank_dropdowns;     /* GtkDropDown, canonical order, for N > 2 */
  GPtrArray            *note_entries;       /* GtkEntry, canonical order */
  GPtrArray            *flag_toggles;       /* GtkToggleButton with "response" and "flag" data */
  GArray               *history;            /* RoundsHistoryEntry, oldest first */
  int                   history_pos;        /* into history, or -1 at the queue */
  GTimer               *timer;              /* time on task, paused while the window is inactive */
  GtkCssProvider       *zoom_css;
  GSettings            *settings;
  GCancellable         *cancellable;        /* cancelled in dispose */
  RoundsSync           *sync;               /* while a sync runs */
  guint                 sync_timeout_id;
  GtkWidget            *import_dialog;      /* while an import runs */
  GtkWidget            *password_dialog;    /* while the password is asked for */
  char                 *session_password;   /* without a keyring: for this run only */
  GtkWidget            *connect_dialog;     /* weak: while the store is set up or signed in to */
  GtkWidget            *conflicts_dialog;   /* weak: while the conflicts are listed */
  GtkWidget            *preferences;        /* weak: while Preferences is open */
  GHashTable           *chosen;             /* doc id → resolution + 1, for the next sync */
  GHashTable           *resolving;          /* the same, handed to the running sync */
  gboolean              looking_up;         /* while the keyring is asked for the password */
  guint                 n_conflicts;        /* as the header last said */
  gint64                last_input_us;
  gboolean              idle;
  guint                 idle_check_id;
  GtkProgressBar       *import_progress;
  GCancellable         *import_cancellable;
  char                 *last_import_error;
};

G_DEFINE_FINAL_TYPE (RoundsWindow, rounds_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (RoundsWindow *self,
       const char   *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void keep_draft (RoundsWindow *self);
static void wipe_free (char *secret);
static void ask_password (RoundsWindow *self);
static void update_layout (RoundsWindow *self);
static void update_sync_status (RoundsWindow *self);
static void update_role_actions (RoundsWindow *self);

static void
clear_item (RoundsWindow *self)
{
  GtkWidget *child;

  g_clear_object (&self->item);
  g_clear_pointer (&self->judgement, rounds_judgement_free);
  g_clear_pointer (&self->order, g_free);
  g_ptr_array_set_size (self->preference_toggles, 0);
  g_ptr_array_set_size (self->score_dropdowns, 0);
  g_ptr_array_set_size (self->rank_dropdowns, 0);
  g_ptr_array_set_size (self->note_entries, 0);
  g_ptr_array_set_size (self->flag_toggles, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->responses_box))) != NULL)
    gtk_box_remove (self->responses_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preference_buttons))) != NULL)
    gtk_box_remove (self->preference_buttons, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rubric_grid))) != NULL)
    gtk_grid_remove (self->rubric_grid, child);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
  gtk_label_set_text (self->status_label, "");
}

/* Datasets ----------------------------------------------------------------------------- */

static void
show_datasets (RoundsWindow *self)
{
  g_autoptr(GListModel) datasets = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  clear_item (self);
  g_clear_object (&self->dataset);
  adw_window_title_set_subtitle (self->window_title, self->profile ? rounds_profile_get_display_name (self->profile) : NULL);
  gtk_widget_set_visible (self->back_button, FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->datasets_list))) != NULL)
    gtk_list_box_remove (self->datasets_list, child);

  if (!(datasets = rounds_store_list_datasets (self->store, &error)))
    {
      toast (self, error->message);
      return;
    }
  if (g_list_model_get_n_items (datasets) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(RoundsDataset) dataset = g_list_model_get_item (datasets, i);
      g_autofree char *subtitle = NULL;
      RoundsProgress progress = { 0 };
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *level = gtk_level_bar_new ();

      rounds_store_get_progress (self->store, rounds_dataset_get_id (dataset),
                                 rounds_profile_get_user_name (self->profile), &progress, NULL);
      /* TRANSLATORS: progress of a dataset: mine, then everyone's */
      subtitle = g_strdup_printf (_("Mine: %u done, %u to do · Everyone: %u of %u judgements (%u per item)"),
                                  progress.n_mine, progress.n_mine_open, progress.n_submitted, progress.n_wanted,
                                  rounds_dataset_get_overlap (dataset));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rounds_dataset_get_title (dataset));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-dataset");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", rounds_dataset_get_name (dataset));

      gtk_level_bar_set_value (GTK_LEVEL_BAR (level), progress.n_wanted ? (double) progress.n_submitted / progress.n_wanted : 0);
      gtk_widget_set_size_request (level, 120, -1);
      gtk_widget_set_valign (level, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Judgements done"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), level);
      if (rounds_profile_has_role (self->profile, ROUNDS_ROLE_REVIEWER))
        {
          GtkWidget *review = gtk_button_new_with_mnemonic (_("_Review"));

          gtk_widget_set_valign (review, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (review, _("Review where the annotators disagree"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (review), "win.review-dataset");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (review), "s", rounds_dataset_get_name (dataset));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), review);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->datasets_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "datasets");
}

/* The compare page -------------------------------------------------------------------- */

static int
screen_to_canonical_preference (RoundsWindow *self,
                                int           screen)
{
  /* Negative on screen means the left response (A) is better; stored, negative means the
   * first canonical response is better. */
  return self->order[0] == 0 ? screen : -screen;
}

static void
update_status (RoundsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->judgement == NULL)
    return;
  if (rounds_judgement_check_complete (self->judgement, rounds_dataset_get_required (self->dataset), &error))
    gtk_label_set_text (self->status_label, _("Ready to submit (Ctrl+Enter)"));
  else
    gtk_label_set_text (self->status_label, error->message);
}

static void
sync_preference_toggles (RoundsWindow *self)
{
  int k = rounds_dataset_get_scale_k (self->dataset);

  for (guint i = 0; i < self->preference_toggles->len; i++)
    {
      GtkToggleButton *toggle = self->preference_toggles->pdata[i];
      gboolean active;

      if (i == self->preference_toggles->len - 1)
        active = self->judgement->unacceptable;
      else
        active = !self->judgement->unacceptable && self->judgement->has_preference &&
                 screen_to_canonical_preference (self, (int) i - k) == self->judgement->preference;
      gtk_toggle_button_set_active (toggle, active);
    }
  update_status (self);
}

static void
set_preference (RoundsWindow *self,
                int           screen)
{
  self->judgement->unacceptable = FALSE;
  self->judgement->has_preference = TRUE;
  self->judgement->preference = screen_to_canonical_preference (self, screen);
  sync_preference_toggles (self);
}

static void
on_preference_clicked (GtkButton    *button,
                       RoundsWindow *self)
{
  guint index;

  if (!g_ptr_array_find (self->preference_toggles, button, &index))
    return;
  if (index == self->preference_toggles->len - 1)
    {
      self->judgement->unacceptable = !self->judgement->unacceptable;
      sync_preference_toggles (self);
    }
  else
    set_preference (self, (int) index - rounds_dataset_get_scale_k (self->dataset));
}

static void
on_score_selected (GtkDropDown  *dropdown,
                   GParamSpec   *pspec,
                   RoundsWindow *self)
{
  guint index;
  guint n_criteria = self->judgement->n_criteria;

  if (!g_ptr_array_find (self->score_dropdowns, dropdown, &index))
    return;
  /* Item 0 is "–", not scored. */
  *rounds_judgement_score (self->judgement, index / n_criteria, index % n_criteria) =
    gtk_drop_down_get_selected (dropdown) == 0 ? -1 : (int) gtk_drop_down_get_selected (dropdown);
  update_status (self);
}

static char *
response_label (guint position)
{
  /* TRANSLATORS: the label of a response on screen: Response A, Response B… */
  return g_strdup_printf (_("Response %c"), 'A' + position);
}

static void
on_flag_toggled (GtkToggleButton *toggle,
                 RoundsWindow    *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "response"));
  guint flag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "flag"));

  if (self->judgement == NULL)
    return;
  if (gtk_toggle_button_get_active (toggle))
    self->judgement->flags[index] |= flag;
  else
    self->judgement->flags[index] &= ~flag;
}

static void
on_note_changed (GtkEditable  *entry,
                 RoundsWindow *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "response"));
  const char *text = gtk_editable_get_text (entry);

  if (self->judgement == NULL)
    return;
  g_free (self->judgement->notes[index]);
  self->judgement->notes[index] = *text ? g_strdup (text) : NULL;
  update_status (self);
}

/* The flags of one response (unsafe, factually wrong, outdated, privacy, bias) and its note. */
static GtkWidget *
build_flags (RoundsWindow *self,
             guint         position,
             guint         index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *flags = gtk_flow_box_new ();
  GtkWidget *note = gtk_entry_new ();
  g_autofree char *label = response_label (position);
  g_autofree char *note_label = g_strdup_printf (_("Note on %s"), label);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flags), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flags), 5);
  for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
    {
      RoundsFlags flag = 1u << f;
      GtkWidget *toggle = gtk_toggle_button_new_with_label (rounds_flag_get_label (flag));
      g_autofree char *accessible = g_strdup_printf ("%s: %s", label, rounds_flag_get_label (flag));

      gtk_widget_add_css_class (toggle, "flag");
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), (self->judgement->flags[index] & flag) != 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (toggle), "response", GUINT_TO_POINTER (index));
      g_object_set_data (G_OBJECT (toggle), "flag", GUINT_TO_POINTER (flag));
      g_signal_connect (toggle, "toggled", G_CALLBACK (on_flag_toggled), self);
      g_ptr_array_add (self->flag_toggles, toggle);
      gtk_flow_box_append (GTK_FLOW_BOX (flags), toggle);
    }

  gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note on this response (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL, note_label, -1);
  if (self->judgement->notes[index] != NULL)
    gtk_editable_set_text (GTK_EDITABLE (note), self->judgement->notes[index]);
  g_object_set_data (G_OBJECT (note), "response", GUINT_TO_POINTER (index));
  g_signal_connect (note, "changed", G_CALLBACK (on_note_changed), self);
  g_ptr_array_add (self->note_entries, note);

  gtk_widget_set_vexpand (flags, TRUE);
  gtk_widget_set_valign (flags, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), flags);
  gtk_box_append (GTK_BOX (box), note);
  gtk_widget_set_vexpand (box, TRUE);
  return box;
}

static void
build_responses (RoundsWindow *self)
{
  guint n = rounds_item_get_n_responses (self->item);

  for (guint position = 0; position < n; position++)
    {
      guint index = self->order[position];
      g_autofree char *label = response_label (position);
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *title = gtk_label_new (label);
      GtkWidget *text = gtk_label_new (rounds_item_get_response_text (self->item, index));

      gtk_widget_add_css_class (box, "response-card");
      gtk_widget_add_css_class (title, "response-label");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (text), 70);
      gtk_widget_set_valign (text, GTK_ALIGN_START);
      gtk_widget_add_css_class (text, "reading");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), text);
      gtk_box_append (GTK_BOX (box), build_flags (self, position, index));
      gtk_frame_set_child (GTK_FRAME (frame), box);
      gtk_widget_add_css_class (frame, "view");
      gtk_box_append (self->responses_box, frame);
    }
}

static void
on_rank_selected (GtkDropDown  *dropdown,
                  GParamSpec   *pspec,
                  RoundsWindow *self)
{
  guint index;

  if (!g_ptr_array_find (self->rank_dropdowns, dropdown, &index))
    return;
  /* Item 0 is "–", not ranked; equal ranks are ties. */
  self->judgement->ranks[index] = gtk_drop_down_get_selected (dropdown) == 0 ? 0 : (int) gtk_drop_down_get_selected (dropdown);
  update_status (self);
}

/* More than two responses: a rank for each, 1 the best, equal ranks for ties. */
static void
build_ranking (RoundsWindow *self)
{
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(GPtrArray) ranks = g_ptr_array_new_with_free_func (g_free);

  gtk_label_set_text (self->preference_heading, _("Rank the responses: 1 is the best; give equal ranks for a tie"));
  g_ptr_array_add (ranks, g_strdup ("–"));
  for (guint r = 1; r <= n; r++)
    g_ptr_array_add (ranks, g_strdup_printf ("%u", r));
  g_ptr_array_add (ranks, NULL);

  g_ptr_array_set_size (self->rank_dropdowns, n);
  for (guint position = 0; position < n; position++)
    {
      guint index = self->order[position];
      g_autofree char *label = response_label (position);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *dropdown = gtk_drop_down_new_from_strings ((const char * const *) ranks->pdata);

      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), self->judgement->ranks[index] > 0 ? (guint) self->judgement->ranks[index] : 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_rank_selected), self);
      gtk_box_append (GTK_BOX (box), gtk_label_new (label));
      gtk_box_append (GTK_BOX (box), dropdown);
      gtk_box_append (self->preference_buttons, box);
      g_ptr_array_index (self->rank_dropdowns, index) = dropdown;
    }
}

static void
build_preference (RoundsWindow *self)
{
  int k = rounds_dataset_get_scale_k (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);

  if (n != 2)
    {
      build_ranking (self);
      return;
    }
  gtk_label_set_text (self->preference_heading, _("Which response is better? (keys 1–5; 0 or U: both unacceptable)"));

  for (int screen = -k; screen <= k + 1; screen++)
    {
      g_autofree char *label = NULL;
      GtkWidget *toggle;

      if (screen <= k)
        {
          /* The label of the on-screen preference: negative means A (left) better. */
          g_autofree char *key = g_strdup_printf ("%d", screen + k + 1);
          label = g_strdup_printf ("%s  %s", key, rounds_preference_get_label (screen, k));
        }
      else
        label = g_strdup_printf ("0  %s", _("Both unacceptable"));
      toggle = gtk_toggle_button_new_with_label (label);
      g_signal_connect (toggle, "clicked", G_CALLBACK (on_preference_clicked), self);
      gtk_box_append (self->preference_buttons, toggle);
      g_ptr_array_add (self->preference_toggles, toggle);
    }
}

static void
build_rubric (RoundsWindow *self)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);
  const char *scores[] = { "–", "1", "2", "3", "4", "5", NULL };

  for (guint position = 0; position < n; position++)
    {
      g_autofree char *label = response_label (position);
      GtkWidget *heading = gtk_label_new (label);

      gtk_widget_add_css_class (heading, "dim-label");
      gtk_grid_attach (self->rubric_grid, heading, position + 1, 0, 1, 1);
    }

  g_ptr_array_set_size (self->score_dropdowns, n * rounds_rubric_get_n_criteria (rubric));
  for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric); c++)
    {
      const RoundsCriterion *criterion = rounds_rubric_get_criterion (rubric, c);
      GtkWidget *name = gtk_label_new (criterion->name);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_tooltip_text (name, criterion->description);
      gtk_grid_attach (self->rubric_grid, name, 0, c + 1, 1, 1);

      for (guint position = 0; position < n; position++)
        {
          guint index = self->order[position];
          g_autofree char *response = response_label (position);
          g_autofree char *accessible = g_strdup_printf ("%s: %s", response, criterion->name);
          GtkWidget *dropdown = gtk_drop_down_new_from_strings (scores);
          int score = *rounds_judgement_score (self->judgement, index, c);

          gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), score > 0 ? (guint) score : 0);
          gtk_widget_set_tooltip_text (dropdown, criterion->description);
          gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
          g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_score_selected), self);
          gtk_grid_attach (self->rubric_grid, dropdown, position + 1, c + 1, 1, 1);
          g_ptr_array_index (self->score_dropdowns, index * rounds_rubric_get_n_criteria (rubric) + c) = dropdown;
        }
    }
}

static void
show_item_full (RoundsWindow    *self,
                RoundsItem      *item,
                RoundsJudgement *revising);

static void
show_item (RoundsWindow *self,
           RoundsItem   *item)
{
  show_item_full (self, item, NULL);
}

/* @revising: a submitted judgement brought back from the history, to revise */
static void
show_item_full (RoundsWindow    *self,
                RoundsItem      *item,
                RoundsJudgement *revising)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsJudgement) draft = NULL;
  const char *user = rounds_profile_get_user_name (self->profile);
  g_autofree char *meta = NULL;
  guint n = rounds_item_get_n_responses (item);

  clear_item (self);
  self->item = g_object_ref (item);
  self->order = g_new0 (guint, n);
  if (!rounds_store_get_shown_order (self->store, item, user, self->order, &error))
    {
      toast (self, error->message);
      for (guint i = 0; i < n; i++)
        self->order[i] = i;
    }

  draft = rounds_store_get_draft (self->store, item, user, NULL);
  if (draft == NULL && revising != NULL)
    draft = rounds_judgement_copy (revising);
  self->judgement = draft ? g_steal_pointer (&draft) : rounds_judgement_new (n, rounds_dataset_get_rubric (self->dataset));
  memcpy (self->judgement->shown_order, self->order, n * sizeof (guint));

  gtk_label_set_text (self->item_title, rounds_item_get_title (item) ? rounds_item_get_title (item) : rounds_item_get_key (item));
  meta = g_strjoin (" · ",
                    rounds_item_get_specialty (item) ? rounds_item_get_specialty (item) : _("General"),
                    rounds_item_get_language (item) ? rounds_item_get_language (item) : "",
                    rounds_item_get_key (item), NULL);
  gtk_label_set_text (self->item_meta, meta);
  gtk_label_set_text (self->scenario, rounds_item_get_scenario (item));
  build_responses (self);
  update_layout (self);
  build_preference (self);
  build_rubric (self);
  if (self->judgement->comment)
    gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), self->judgement->comment);
  if (self->preference_toggles->len > 0)
    sync_preference_toggles (self);
  update_status (self);

  adw_window_title_set_subtitle (self->window_title, rounds_dataset_get_title (self->dataset));
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  self->idle = FALSE;
  self->last_input_us = g_get_monotonic_time ();
  g_timer_start (self->timer);
}

static void
show_next (RoundsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsItem) item = rounds_store_next_item (self->store, rounds_dataset_get_id (self->dataset),
                                                       rounds_profile_get_user_name (self->profile), &error);

  self->history_pos = -1;

  if (item != NULL)
    {
      show_item (self, item);
      return;
    }
  if (error != NULL)
    toast (self, error->message);

  clear_item (self);
  adw_status_page_set_description (self->finished_page, _("There is nothing more for you in this dataset. Thank you."));
  gtk_stack_set_visible_child_name (self->stack, "finished");
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
      toast (self, error->message);
      return;
    }
  g_set_object (&self->dataset, dataset);
  g_object_unref (dataset);
  show_next (self);
}

static void
show_history_entry (RoundsWindow *self)
{
  const RoundsHistoryEntry *entry = &g_array_index (self->history, RoundsHistoryEntry, self->history_pos);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsItem) item = rounds_store_get_item (self->store, entry->item_id, &error);
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autofree char *status = NULL;

  if (item == NULL)
    {
      toast (self, error->message);
      return;
    }
  judgement = rounds_store_get_judgement (self->store, item, rounds_profile_get_user_name (self->profile), NULL);
  show_item_full (self, item, judgement);
  /* TRANSLATORS: shown when a judgement from the history is on screen */
  status = g_strdup_printf (_("Revising your judgement (revision %d): submitting saves revision %d"),
                            entry->revision, entry->revision + 1);
  gtk_label_set_text (self->status_label, status);
}

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
      keep_draft (self);
      g_clear_pointer (&self->history, g_array_unref);
      if (!(self->history = rounds_store_list_history (self->store, rounds_dataset_get_id (self->dataset),
                                                       rounds_profile_get_user_name (self->profile), &error)))
        {
          toast (self, error->message);
          return;
        }
      self->history_pos = self->history->len;
    }
  else
    keep_draft (self);
  if (self->history_pos == 0)
    {
      toast (self, _("This is your first judgement in this dataset"));
      return;
    }
  self->history_pos--;
  show_history_entry (self);
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
  keep_draft (self);
  if ((guint) self->history_pos + 1 >= self->history->len)
    {
      show_next (self);
      return;
    }
  self->history_pos++;
  show_history_entry (self);
}

/* Who is working: the profiles of this database to choose from, and a form for a new one. */
static void
show_profiles (RoundsWindow *self)
{
  g_autoptr(GListModel) profiles = rounds_store_list_profiles (self->store, NULL);
  GtkWidget *child;
  guint n = profiles ? g_list_model_get_n_items (profiles) : 0;

  keep_draft (self);
  clear_item (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profiles_list))) != NULL)
    gtk_list_box_remove (self->profiles_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RoundsProfile) profile = g_list_model_get_item (profiles, i);
      g_autofree char *roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
      g_autofree char *subtitle = g_strdup_printf ("%s · %s%s%s", rounds_profile_get_user_name (profile), roles,
                                                   rounds_profile_get_specialty (profile) ? " · " : "",
                                                   rounds_profile_get_specialty (profile) ? rounds_profile_get_specialty (profile) : "");
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rounds_profile_get_display_name (profile));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.use-profile");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", rounds_profile_get_user_name (profile));
      gtk_list_box_append (self->profiles_list, row);
    }
  gtk_widget_set_visible (self->profiles_group, n > 0);
  gtk_widget_set_visible (self->back_button, self->profile != NULL);
  gtk_stack_set_visible_child_name (self->stack, "profile");
}

static void
switch_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->store != NULL)
    show_profiles (self);
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
      toast (self, error->message);
      return;
    }
  g_clear_object (&self->profile);
  self->profile = profile;
  g_clear_pointer (&self->history, g_array_unref);
  self->history_pos = -1;
  update_role_actions (self);
  update_sync_status (self);
  show_datasets (self);
}

/* The review page is offered only to a profile with the reviewer role. */
static void
update_role_actions (RoundsWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-dataset",
                                 self->profile != NULL && rounds_profile_has_role (self->profile, ROUNDS_ROLE_REVIEWER));
}

gboolean
rounds_window_review_dataset (RoundsWindow  *self,
                              const char    *name,
                              GError       **error)
{
  g_autoptr(RoundsDataset) dataset = NULL;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);

  if (self->profile == NULL || !rounds_profile_has_role (self->profile, ROUNDS_ROLE_REVIEWER))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Only a profile with the reviewer role can review disagreements"));
      return FALSE;
    }
  if (!(dataset = rounds_store_get_dataset (self->store, name, error)) ||
      !rounds_review_page_load (ROUNDS_REVIEW_PAGE (self->review_page), self->store, dataset, self->profile, error))
    return FALSE;

  keep_draft (self);
  clear_item (self);
  /* TRANSLATORS: the window subtitle on the review page */
  adw_window_title_set_subtitle (self->window_title, _("Review of disagreements"));
  gtk_widget_set_visible (self->back_button, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "review");
  if (rounds_review_page_get_n_items (ROUNDS_REVIEW_PAGE (self->review_page)) > 0)
    rounds_review_page_select (ROUNDS_REVIEW_PAGE (self->review_page), 0);
  return TRUE;
}

GtkWidget *
rounds_window_get_review_page (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return self->review_page;
}

static void
review_dataset_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!rounds_window_review_dataset (self, g_variant_get_string (parameter, NULL), &error))
    toast (self, error->message);
}

/* Keeps what the clinician has done so far, so that nothing is lost on leaving. */
static void
keep_draft (RoundsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->item == NULL || self->judgement == NULL)
    return;
  g_free (self->judgement->comment);
  self->judgement->comment = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_entry)));
  self->judgement->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  g_timer_start (self->timer);
  if (!rounds_store_save_draft (self->store, self->item, rounds_profile_get_user_name (self->profile),
                                self->judgement, &error))
    g_warning ("Could not keep the draft: %s", error->message);
}

/* Actions ------------------------------------------------------------------------------ */

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *comment;

  if (self->item == NULL)
    return;

  comment = gtk_editable_get_text (GTK_EDITABLE (self->comment_entry));
  g_free (self->judgement->comment);
  self->judgement->comment = *comment ? g_strdup (comment) : NULL;
  self->judgement->status = ROUNDS_STATUS_SUBMITTED;

  if (!rounds_judgement_check_complete (self->judgement, rounds_dataset_get_required (self->dataset), &error))
    {
      self->judgement->status = ROUNDS_STATUS_DRAFT;
      gtk_label_set_text (self->status_label, error->message);
      toast (self, error->message);
      return;
    }

  self->judgement->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  g_timer_start (self->timer);
  if (!rounds_store_save_judgement (self->store, self->item, rounds_profile_get_user_name (self->profile),
                                    self->judgement, &error))
    {
      self->judgement->status = ROUNDS_STATUS_DRAFT;
      toast (self, error->message);
      return;
    }
  toast (self, _("Judgement saved"));
  update_sync_status (self);
  show_next (self);
}

static void
skip_with_reason (RoundsWindow *self,
                  const char   *reason)
{
  g_autoptr(RoundsJudgement) skip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (reason ? reason : ""));

  if (self->item == NULL)
    return;
  if (*stripped == '\0')
    {
      toast (self, _("Say why you skip this item"));
      return;
    }
  skip = rounds_judgement_copy (self->judgement);
  skip->status = ROUNDS_STATUS_SKIPPED;
  g_free (skip->skip_reason);
  skip->skip_reason = g_steal_pointer (&stripped);
  skip->time_spent_ms += (gint64) (g_timer_elapsed (self->timer, NULL) * 1000);
  if (!rounds_store_save_judgement (self->store, self->item, rounds_profile_get_user_name (self->profile), skip, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Skipped"));
  update_sync_status (self);
  show_next (self);
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
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  if (g_strcmp0 (response, "skip") == 0)
    skip_with_reason (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* win.skip (Alt+S): asks for the reason, then skips. */
static void
skip_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->item == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Skip This Item?"),
                                   _("Say why, for the curators: for example outside your specialty, or the scenario is unclear."));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for skipping"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "skip", _("_Skip"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "skip");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_skip_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
prefer_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  int key = g_variant_get_int32 (parameter);
  int k;

  if (self->item == NULL || self->preference_toggles->len == 0)
    return;
  k = rounds_dataset_get_scale_k (self->dataset);
  if (key < 1 || key > 2 * k + 1)
    return;
  set_preference (self, key - k - 1);
}

/* win.score ((position, criterion, score)): a rubric score of the response at a screen
 * position; 0 clears it. The drop-down follows, and its handler sets the same value. */
static void
score_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  RoundsRubric *rubric;
  const char *criterion_id = NULL;
  gint32 position, score;
  int criterion;
  guint index;

  g_variant_get (parameter, "(i&si)", &position, &criterion_id, &score);
  if (self->item == NULL || position < 0 || (guint) position >= rounds_item_get_n_responses (self->item))
    return;
  rubric = rounds_dataset_get_rubric (self->dataset);
  if ((criterion = rounds_rubric_find (rubric, criterion_id)) < 0 || score < 0 || score > 5)
    return;
  index = self->order[position];
  *rounds_judgement_score (self->judgement, index, criterion) = score == 0 ? -1 : score;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (g_ptr_array_index (self->score_dropdowns,
                                                                index * rounds_rubric_get_n_criteria (rubric) + criterion)),
                              (guint) score);
  update_status (self);
}

/* win.rank ((position, rank)): the rank of the response at a screen position, 1 the best;
 * equal ranks are ties, 0 clears it. */
static void
rank_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  gint32 position, rank;
  guint n;

  g_variant_get (parameter, "(ii)", &position, &rank);
  if (self->item == NULL || self->rank_dropdowns->len == 0)
    return;
  n = rounds_item_get_n_responses (self->item);
  if (position < 0 || (guint) position >= n || rank < 0 || (guint) rank > n)
    return;
  self->judgement->ranks[self->order[position]] = rank;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->rank_dropdowns->pdata[self->order[position]]), (guint) rank);
  update_status (self);
}

/* win.toggle-flag ((position, flag)): a flag of the response at a screen position. */
static void
toggle_flag_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  const char *name = NULL;
  RoundsFlags flag;
  gint32 position;

  g_variant_get (parameter, "(i&s)", &position, &name);
  flag = rounds_flag_from_string (name);
  if (self->item == NULL || flag == ROUNDS_FLAG_NONE ||
      position < 0 || (guint) position >= rounds_item_get_n_responses (self->item))
    return;
  self->judgement->flags[self->order[position]] ^= flag;
  /* The toggle button follows the judgement; its handler sets the same value again. */
  for (guint i = 0; i < self->flag_toggles->len; i++)
    {
      GObject *toggle = self->flag_toggles->pdata[i];

      if (GPOINTER_TO_UINT (g_object_get_data (toggle, "response")) == self->order[position] &&
          GPOINTER_TO_UINT (g_object_get_data (toggle, "flag")) == flag)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), (self->judgement->flags[self->order[position]] & flag) != 0);
    }
  update_status (self);
}

static void
unacceptable_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->item == NULL || self->preference_toggles->len == 0)
    return;
  self->judgement->unacceptable = !self->judgement->unacceptable;
  sync_preference_toggles (self);
}

static void
show_datasets_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->profile == NULL)
    return;
  keep_draft (self);
  show_datasets (self);
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
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_name_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->display_name_row));
  const char *specialty = gtk_editable_get_text (GTK_EDITABLE (self->specialty_row));
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  RoundsRoles roles;

  if (!rounds_user_name_is_valid (user, &error))
    {
      toast (self, error->message);
      return;
    }
  switch (adw_combo_row_get_selected (self->role_row))
    {
    case 1:
      roles = ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER;
      break;
    case 2:
      roles = ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_CURATOR;
      break;
    default:
      roles = ROUNDS_ROLE_ANNOTATOR;
      break;
    }
  profile = rounds_profile_new (user, *name ? name : user, roles, *specialty ? specialty : NULL);
  if (!rounds_store_add_profile (self->store, profile, &error) ||
      !rounds_store_set_current_profile (self->store, user, &error))
    {
      toast (self, error->message);
      return;
    }
  g_set_object (&self->profile, profile);
  update_role_actions (self);
  show_datasets (self);
}

static void
apply_zoom (RoundsWindow *self)
{
  g_autofree char *css = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (number, sizeof number, "%.4f", 1.08 * g_settings_get_double (self->settings, "text-scale"));
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
  const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  int style = g_settings_get_enum (self->settings, "style");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[CLAMP (style, 0, 2)]);
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

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WIDGET (rounds_preferences_new (GTK_WINDOW (self), self->settings,
                                                              self->profile ? rounds_profile_get_display_name (self->profile)
                                                                            : NULL));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

/* Import ----------------------------------------------------------------------------- */

static void
on_import_fraction (RoundsImporter *importer,
                    GParamSpec     *pspec,
                    RoundsWindow   *self)
{
  if (self->import_progress != NULL)
    gtk_progress_bar_set_fraction (self->import_progress, rounds_importer_get_fraction (importer));
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
      self->import_progress = NULL;
    }
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->last_import_error, g_free);

  if (!rounds_importer_run_finish (ROUNDS_IMPORTER (object), result, &outcome, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (!g_cancellable_is_cancelled (self->cancellable))
            toast (self, _("Import cancelled: nothing was written"));
          return;
        }
      self->last_import_error = g_strdup (error->message);
      {
        /* The message names the file, the line and the field; nothing of the file was written. */
        GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self), _("The File Was Not Imported"), error->message);

        adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
        gtk_window_present (GTK_WINDOW (alert));
      }
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_("Imported: %u items added, %u unchanged; %u judgements added"),
                                                outcome.n_items_added, outcome.n_items_unchanged, outcome.n_judgements_added);
    toast (self, message);
  }
  if (self->profile != NULL)
    show_datasets (self);
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

  rounds_importer_set_actor (importer, self->profile ? rounds_profile_get_user_name (self->profile) : g_get_user_name ());
  self->import_cancellable = g_cancellable_new ();
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Importing"), name);
  self->import_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->import_progress), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Import progress"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (self->import_progress));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_dialog_response), self);
  self->import_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));

  g_signal_connect_object (importer, "notify::fraction", G_CALLBACK (on_import_fraction), self, 0);
  rounds_importer_run_async (importer, rounds_store_get_path (self->store), file, self->import_cancellable,
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
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import a Dataset or Judgements"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
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

/* Export ----------------------------------------------------------------------------- */

/* win.export (Ctrl+E): rated pairs for training, of every dataset or of the one open. */
static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  RoundsDataset *current = self->dataset;

  if (self->store == NULL)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "review") == 0)
    current = rounds_review_page_get_dataset (ROUNDS_REVIEW_PAGE (self->review_page));
  gtk_window_present (GTK_WINDOW (rounds_export_dialog_new (GTK_WINDOW (self), self->store, current,
                                                            self->profile ? rounds_profile_get_user_name (self->profile)
                                                                          : g_get_user_name ())));
}

/* Sync ------------------------------------------------------------------------------- */

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
    if (((RoundsSyncProblem *) g_ptr_array_index (problems, i))->kind == ROUNDS_SYNC_PROBLEM_CONFLICT)
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
  rounds_conflicts_dialog_update (ROUNDS_CONFLICTS_DIALOG (self->conflicts_dialog), self->store, shown);
  rounds_conflicts_dialog_set_message (ROUNDS_CONFLICTS_DIALOG (self->conflicts_dialog), message);
}

/* The status when no sync runs: conflicts to settle, or what waits in the outbox, from the
 * local store alone. */
static void
update_sync_status (RoundsWindow *self)
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
      set_sync_status (self, _("Not set up"), _("Connect to the curation store to share your judgements (Ctrl+R)"));
      return;
    }
  if (n_conflicts > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", n_conflicts),
                                                n_conflicts);

      set_sync_status (self, label,
                       _("Changed both here and in the curation store by two curators: click to choose which version to keep"));
      /* The status is the way to the list: a sync alone settles nothing. */
      gtk_image_set_from_icon_name (self->sync_icon, "dialog-warning-symbolic");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "win.show-conflicts");
      return;
    }
  if (self->profile != NULL &&
      rounds_sync_count_waiting (self->store, rounds_profile_get_user_name (self->profile), &n_waiting, NULL) &&
      n_waiting > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", n_waiting), n_waiting);

      set_sync_status (self, label, _("Judgements saved here that have not reached the curation store yet (Ctrl+R to sync)"));
      return;
    }
  set_sync_status (self, _("Synced"), _("Everything saved here is on the curation store (Ctrl+R to sync)"));
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
      g_autofree char *message = resolved ? g_strdup_printf (_("Your choice was not applied: %s"), error->message) : NULL;

      update_sync_status (self);
      if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE) ||
          g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TIMEOUT))
        set_sync_status (self, _("Offline"), error->message);
      else
        set_sync_status (self, _("Sync error"), error->message);
      update_conflicts_dialog (self, message);
      return;
    }
  update_sync_status (self);
  update_conflicts_dialog (self, NULL);
  if (self->n_conflicts > n_conflicts_before && self->conflicts_dialog == NULL)
    {
      /* Said once, when a conflict is new; the header keeps saying it until it is settled. */
      AdwToast *notice = adw_toast_new (_("Another curator changed what you changed: choose which version to keep"));

      adw_toast_set_button_label (notice, _("_Show"));
      adw_toast_set_action_name (notice, "win.show-conflicts");
      adw_toast_set_timeout (notice, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, notice);
    }
  if (outcome->forbidden != NULL && outcome->forbidden->len > 0)
    {
      RoundsSyncProblem *problem = outcome->forbidden->pdata[0];
      g_autofree char *message = g_strdup_printf (_("The store refused %u documents: %s"), outcome->forbidden->len,
                                                  problem->reason ? problem->reason : problem->error);

      set_sync_status (self, _("Sync error"), message);
    }
  else if (outcome->n_pulled > 0 && gtk_stack_get_visible_child_name (self->stack) != NULL &&
           g_str_equal (gtk_stack_get_visible_child_name (self->stack), "datasets"))
    show_datasets (self);

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

static void
start_sync (RoundsWindow *self,
            const char   *password)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = g_settings_get_string (self->settings, "store-user");

  self->sync = rounds_sync_new (url);
  rounds_sync_set_credentials (self->sync, *user ? user : rounds_profile_get_user_name (self->profile), password);
  rounds_sync_set_profile (self->sync, rounds_profile_get_user_name (self->profile));
  hand_over_resolutions (self, self->sync);
  set_sync_status (self, _("Syncing…"), url);
  update_conflicts_dialog (self, NULL);
  rounds_sync_run_async (self->sync, rounds_store_get_path (self->store), self->cancellable,
                         on_sync_done, g_object_ref (self));
}

/* A password held in memory is overwritten before it is freed. */
static void
wipe_free (char *secret)
{
  for (volatile char *p = secret; p != NULL && *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
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
      update_sync_status (self);
      return;
    }
  g_clear_pointer (&self->session_password, wipe_free);
  self->session_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  start_sync (self, self->session_password);
}

/* Asked once per run where no keyring service runs; kept in memory, never written. */
static void
ask_password (RoundsWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  GtkWidget *entry = gtk_password_entry_new ();
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Password for the Curation Store"),
                                   _("The keyring is not available, so Rounds asks once and keeps the password until it quits."));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The keyring is not available, so Rounds asks once and keeps the password for %s until it quits."), url);
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sync", _("_Sync"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sync");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_password_response), self);
  self->password_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
rounds_window_answer_password (RoundsWindow *self,
                               const char   *password)
{
  GtkWidget *entry;

  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  if (self->password_dialog == NULL)
    return FALSE;
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (self->password_dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self->password_dialog), "sync");
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
  if (!in_keyring)
    {
      g_clear_pointer (&self->session_password, wipe_free);
      self->session_password = g_strdup (password);
      toast (self, _("The keyring is not available: Rounds keeps the password until it quits"));
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
      RoundsConnectDialog *dialog = rounds_connect_dialog_new (GTK_WINDOW (self), self->settings,
                                                               self->profile ? rounds_profile_get_user_name (self->profile)
                                                                             : NULL);

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
      ask_password (self);
      return;
    }
  if (password == NULL)
    {
      /* A keyring without our password: never given here, or signed out. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", TRUE);
      update_sync_status (self);
      show_connect_dialog (self, TRUE);
      return;
    }
  start_sync (self, password);
  secret_password_free (password);
}

static void
sync_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = g_settings_get_string (self->settings, "store-user");

  if (self->store == NULL || self->profile == NULL || self->sync != NULL)
    return;
  if (*url == '\0')
    {
      update_sync_status (self);
      show_connect_dialog (self, FALSE);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", FALSE);
  /* ROUNDS_STORE_PASSWORD, as for rounds-cli, serves kiosks and tests without a keyring. */
  if (g_getenv ("ROUNDS_STORE_PASSWORD") != NULL)
    start_sync (self, g_getenv ("ROUNDS_STORE_PASSWORD"));
  else if (self->session_password != NULL)
    start_sync (self, self->session_password);
  else
    {
      self->looking_up = TRUE;
      rounds_secret_lookup_async (url, *user ? user : rounds_profile_get_user_name (self->profile),
                                  self->cancellable, on_password_found, g_object_ref (self));
    }
}

/* A curator's choice for a conflict: it goes with the next sync, started now unless one
 * runs, in which case it follows that one. */
static void
resolve_conflict (RoundsWindow         *self,
                  const char           *doc_id,
                  RoundsSyncResolution  resolution)
{
  g_hash_table_insert (self->chosen, g_strdup (doc_id), GINT_TO_POINTER (resolution + 1));
  update_conflicts_dialog (self, NULL);
  if (self->sync == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.sync", NULL);
}

static void
resolve_conflict_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  const char *doc_id, *choice;

  g_variant_get (parameter, "(&s&s)", &doc_id, &choice);
  if (g_str_equal (choice, "keep-mine"))
    resolve_conflict (self, doc_id, ROUNDS_SYNC_KEEP_MINE);
  else if (g_str_equal (choice, "take-theirs"))
    resolve_conflict (self, doc_id, ROUNDS_SYNC_TAKE_THEIRS);
  else
    g_debug ("win.resolve-conflict: “%s” is neither keep-mine nor take-theirs", choice);
}

static void
on_conflict_chosen (RoundsConflictsDialog *dialog,
                    const char            *doc_id,
                    int                    resolution,
                    RoundsWindow          *self)
{
  resolve_conflict (self, doc_id, resolution);
}

static void
show_conflicts_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);

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

  if (!rounds_secret_clear_finish (result, &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = error ? error->message : _("Signed out: the password is gone from the keyring");
  /* Said where the person pressed Sign Out. */
  if (self->preferences != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self->preferences), adw_toast_new (message));
  else
    toast (self, message);
}

/* Sign out: the password leaves the keyring and this run's memory; the next sync asks. */
static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RoundsWindow *self = ROUNDS_WINDOW (widget);
  g_autofree char *url = g_settings_get_string (self->settings, "store-url");
  g_autofree char *user = g_settings_get_string (self->settings, "store-user");

  g_clear_pointer (&self->session_password, wipe_free);
  if (*user == '\0' && self->profile != NULL)
    {
      g_free (user);
      user = g_strdup (rounds_profile_get_user_name (self->profile));
    }
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

static void
schedule_sync (RoundsWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "sync-interval");

  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  if (minutes > 0)
    self->sync_timeout_id = g_timeout_add_seconds (minutes * 60, on_sync_timeout, self);
  update_sync_status (self);
}

const char *
rounds_window_get_sync_status (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->sync_label);
}

/* Whether a sync runs, or waits for its password from the keyring. */
gboolean
rounds_window_is_syncing (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return self->sync != NULL || self->looking_up;
}

static void
on_settings_changed (RoundsWindow *self,
                     const char   *key)
{
  if (g_str_equal (key, "text-scale"))
    apply_zoom (self);
  else if (g_str_equal (key, "style"))
    apply_style (self);
  else if (g_str_equal (key, "sync-interval") || g_str_equal (key, "store-url"))
    schedule_sync (self);
}

/* Responses side by side when there is room for a comfortable measure each, stacked when
 * the window is narrow. GTK 4.8 has no breakpoints, so the window's width decides. */
static void
update_layout (RoundsWindow *self)
{
  int width = 0, height = 0;
  guint n = self->item ? rounds_item_get_n_responses (self->item) : 2;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    width = gtk_widget_get_width (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->responses_box),
                                  width > 0 && width < (int) (360 * n + 80) ? GTK_ORIENTATION_VERTICAL
                                                                             : GTK_ORIENTATION_HORIZONTAL);
}

gboolean
rounds_window_responses_are_stacked (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), FALSE);
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->responses_box)) == GTK_ORIENTATION_VERTICAL;
}

/* Idle time is left out of the time on task: two minutes without a key or a pointer move
 * stop the clock, the next input starts it again. */
#define IDLE_AFTER_US (120 * G_USEC_PER_SEC)

static void
on_input (RoundsWindow *self)
{
  self->last_input_us = g_get_monotonic_time ();
  if (self->judgement != NULL && self->idle && gtk_window_is_active (GTK_WINDOW (self)))
    {
      self->idle = FALSE;
      g_timer_continue (self->timer);
    }
}

static gboolean
on_idle_check (gpointer user_data)
{
  RoundsWindow *self = user_data;

  if (!self->idle && g_get_monotonic_time () - self->last_input_us > IDLE_AFTER_US && g_timer_is_active (self->timer))
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
  if (self->judgement == NULL)
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

  keep_draft (self);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (rounds_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------- */

RoundsItem *
rounds_window_get_item (RoundsWindow *self)
{
  g_return_val_if_fail (ROUNDS_IS_WINDOW (self), NULL);
  return self->item;
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
  update_role_actions (self);
  schedule_sync (self);
  if (self->profile == NULL)
    {
      gtk_widget_set_visible (self->back_button, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "profile");
    }
  else
    show_datasets (self);
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
  g_clear_weak_pointer (&self->connect_dialog);
  g_clear_weak_pointer (&self->conflicts_dialog);
  g_clear_weak_pointer (&self->preferences);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                 GTK_STYLE_PROVIDER (self->zoom_css));
  clear_item (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_WINDOW);

  G_OBJECT_CLASS (rounds_window_parent_class)->dispose (object);
}

static void
rounds_window_finalize (GObject *object)
{
  RoundsWindow *self = ROUNDS_WINDOW (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->preference_toggles, g_ptr_array_unref);
  g_clear_pointer (&self->score_dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->rank_dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->note_entries, g_ptr_array_unref);
  g_clear_pointer (&self->flag_toggles, g_ptr_array_unref);
  g_clear_pointer (&self->timer, g_timer_destroy);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_object (&self->zoom_css);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->last_import_error, g_free);
  g_clear_pointer (&self->session_password, wipe_free);
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

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/rounds-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, specialty_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, profiles_list);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, datasets_list);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, finished_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, item_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, item_meta);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, scenario);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, responses_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, preference_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, preference_heading);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, preference_buttons);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, rubric_grid);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, RoundsWindow, status_label);

  gtk_widget_class_install_action (widget_class, "win.submit", NULL, submit_activated);
  gtk_widget_class_install_action (widget_class, "win.prefer", "i", prefer_activated);
  gtk_widget_class_install_action (widget_class, "win.unacceptable", NULL, unacceptable_activated);
  gtk_widget_class_install_action (widget_class, "win.toggle-flag", "(is)", toggle_flag_activated);
  gtk_widget_class_install_action (widget_class, "win.score", "(isi)", score_activated);
  gtk_widget_class_install_action (widget_class, "win.rank", "(ii)", rank_activated);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, skip_activated);
  gtk_widget_class_install_action (widget_class, "win.skip-with-reason", "s", skip_with_reason_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_ALT_MASK, "win.skip", NULL);
  gtk_widget_class_install_action (widget_class, "win.history-back", NULL, history_back_activated);
  gtk_widget_class_install_action (widget_class, "win.history-forward", NULL, history_forward_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.history-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.history-forward", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-datasets", NULL, show_datasets_activated);
  gtk_widget_class_install_action (widget_class, "win.open-dataset", "s", open_dataset_activated);
  gtk_widget_class_install_action (widget_class, "win.create-profile", NULL, create_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.review-dataset", "s", review_dataset_activated);
  gtk_widget_class_install_action (widget_class, "win.switch-profile", NULL, switch_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.use-profile", "s", use_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_activated);
  gtk_widget_class_install_action (widget_class, "win.show-conflicts", NULL, show_conflicts_activated);
  gtk_widget_class_install_action (widget_class, "win.resolve-conflict", "(ss)", resolve_conflict_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_activated);

  for (int key = 1; key <= 7; key++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + key, 0, "win.prefer", "i", key);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + key, 0, "win.prefer", "i", key);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "win.unacceptable", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, 0, "win.unacceptable", NULL);
}

static void
rounds_window_init (RoundsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->review_page = rounds_review_page_new ();
  gtk_stack_add_named (self->stack, self->review_page, "review");

  self->preference_toggles = g_ptr_array_new ();
  self->score_dropdowns = g_ptr_array_new ();
  self->rank_dropdowns = g_ptr_array_new ();
  self->note_entries = g_ptr_array_new ();
  self->flag_toggles = g_ptr_array_new ();
  self->timer = g_timer_new ();
  g_timer_stop (self->timer);
  self->history_pos = -1;
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->resolving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-conflicts", FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
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
    g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_input), self);
    g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_input), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
    gtk_widget_add_controller (GTK_WIDGET (self), motion);
    self->last_input_us = g_get_monotonic_time ();
    self->idle_check_id = g_timeout_add_seconds (5, on_idle_check, self);
  }
  g_signal_connect_swapped (self, "notify::default-width", G_CALLBACK (update_layout), self);
  g_signal_connect_swapped (self, "notify::maximized", G_CALLBACK (update_layout), self);
}
