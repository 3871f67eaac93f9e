/* rounds-review-page.c: the ethics reviewer's page: disputed items, every side, a verdict
 *
 * The queue lists the disputed items of a dataset, most severe first (safety flags, then
 * opposite directions, then spread). An item shows its responses in an order of the
 * reviewer's own (a stable shuffle, never the canonical order, which may carry the label of
 * imported preference data) and every current judgement re-expressed in that order, with the
 * order its annotator saw; names are hidden until asked for, and model names are revealed only
 * on request, which the audit log records. No verdict is chosen in advance: the annotators'
 * consensus is shown beside the choice, and the store refuses a verdict without one. In a
 * narrow window the responses stack, by the compare page's rule (rounds-widget-util.c); the
 * judgement cards and the criteria table are made in rounds-review-cards.c.
 *
 * At scale (20 000 items, all disputed) nothing waits on the main thread: the queue, the
 * judgements and the agreement are read in a thread, and a verdict is written in one;
 * rounds_review_page_get_loading() is %TRUE meanwhile. The reading starts after the frame
 * that shows the page, and a loaded queue is applied a frame at a time: the queue, then its
 * first item, then, once it is drawn whole, the agreement's thread is started; that item,
 * and the next after each verdict, come a part a frame (show_entry()): a frame with a whole
 * page's new text takes 60–80 ms on a processor-drawn display (build-aux/bench review). The
 * queue (rounds-review-queue.c) makes an entry only when asked for one, and a GtkListView
 * shows it, with rows only for what is on screen; a recorded verdict changes its entry (and
 * so its row) and the count of resolved items, and reads nothing again: the agreement is the
 * annotators', which a verdict does not change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-error.h"
#include "rounds-markdown.h"
#include "rounds-review-cards-private.h"
#include "rounds-review-entry.h"
#include "rounds-review-page.h"
#include "rounds-review-queue.h"
#include "rounds-review.h"
#include "rounds-rubric-grid.h"
#include "rounds-widget-util-private.h"

struct _RoundsReviewPage
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkWidget             *queue_column;
  GtkListView           *queue_view;
  GtkStack              *queue_stack;
  GtkLabel              *agreement_label;
  GtkLabel              *alpha_help;
  GtkStack              *detail_stack;
  GtkLabel              *item_title;
  GtkLabel              *rules_label;
  RoundsMarkdownView    *scenario;
  GtkBox                *responses_box;
  GtkToggleButton       *names_toggle;
  GtkButton             *models_button;
  GtkWidget             *sides_box;
  GtkFlowBox            *judgements_box;
  GtkWidget             *scores_heading;
  GtkScrolledWindow     *scores_window;
  GtkBox                *verdict_box;
  GtkExpander           *rubric_expander;
  RoundsRubricGrid      *rubric_grid;
  GtkTextView           *rationale_view;

  /* Borrowed */
  RoundsStore           *store;

  /* Owned */
  RoundsDataset         *dataset;
  RoundsProfile         *reviewer;
  RoundsReviewQueue     *queue;            /* RoundsReviewEntry, queue order */
  GtkSingleSelection    *selection;
  RoundsItem            *item;
  RoundsReviewEntry     *entry;            /* of the item shown */
  GPtrArray             *judgements;       /* RoundsJudgement of the item, from all_judgements */
  GPtrArray             *guardian;         /* the guardian's judgements of the item, likewise */
  GPtrArray             *all_judgements;   /* RoundsItemJudgements */
  GHashTable            *judgements_of;    /* item id → RoundsItemJudgements, borrowed */
  RoundsAgreementReport *agreement;
  GError                *agreement_error;
  guint                  n_resolved;       /* entries with a verdict */
  guint                 *order;            /* screen position → canonical response */
  char                  *stored_scores;    /* the verdict's corrected rubric, or NULL */
  gboolean               rubric_built;     /* rubric_grid is this item's */
  GtkWidget             *preference_dropdown;
  GPtrArray             *rank_dropdowns;
  gboolean               models_shown;
  GCancellable          *cancellable;      /* of the load in flight, %NULL when none is */
  GCancellable          *save_cancellable; /* of the verdict being written, %NULL when none is */
  GCancellable          *agreement_cancellable; /* of the agreement being measured, or %NULL */
  guint                  select_when_loaded;
  guint                  load_tick;        /* a loaded queue's next step, after a frame */
  guint                  sides_tick;       /* the item's judgements and verdict, after a frame */
  gboolean               measure_when_shown; /* the agreement once the first item is whole */
};

G_DEFINE_FINAL_TYPE (RoundsReviewPage, rounds_review_page, GTK_TYPE_WIDGET)

static gboolean measure_agreement (gpointer data);

/* Drops the pending step *@tick_id, if any (_rounds_widget_after_frame()). */
static void
clear_tick (RoundsReviewPage *self,
            guint            *tick_id)
{
  if (*tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), *tick_id);
  *tick_id = 0;
}

/* A two-response preference, canonical, as seen on this reviewer's screen, or back. */
static int
screen_preference (RoundsReviewPage *self,
                   int               preference)
{
  return _rounds_review_screen_preference (self->order, preference);
}

/* What the cards and the criteria table show of the item on screen (borrowed). */
static RoundsReviewShown
shown (RoundsReviewPage *self)
{
  RoundsReviewShown shown = {
    self->dataset, self->item, self->order, self->judgements, self->guardian,
    gtk_toggle_button_get_active (self->names_toggle)
  };

  return shown;
}

static void
show_judgements (RoundsReviewPage *self)
{
  RoundsReviewShown sides = shown (self);
  GtkWidget *table;

  _rounds_widget_remove_children (GTK_WIDGET (self->judgements_box));
  for (guint i = 0; self->judgements != NULL && i < self->judgements->len; i++)
    gtk_flow_box_append (self->judgements_box,
                         _rounds_review_judgement_card_new (&sides, self->judgements->pdata[i],
                                                            i, FALSE));
  /* Beside the clinicians, never among them: labelled as the machine it is. */
  for (guint i = 0; self->guardian != NULL && i < self->guardian->len; i++)
    gtk_flow_box_append (self->judgements_box,
                         _rounds_review_judgement_card_new (&sides, self->guardian->pdata[i],
                                                            i, TRUE));
  table = self->item != NULL ? _rounds_review_criteria_table_new (&sides) : NULL;
  gtk_scrolled_window_set_child (self->scores_window, table);
  gtk_widget_set_visible (self->scores_heading, table != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->scores_window), table != NULL);
}

/* The responses one above the other when the detail beside the queue is too narrow for them
 * side by side, as on the compare page: GTK 4.8 has no breakpoints, so the width of the
 * window, less the queue's, decides. */
static void
update_layout (RoundsReviewPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint n = self->item != NULL ? rounds_item_get_n_responses (self->item) : 2;
  int queue_width = 0;

  if (!GTK_IS_WINDOW (root))
    return;
  gtk_widget_get_size_request (self->queue_column, &queue_width, NULL);
  queue_width = MAX (queue_width, gtk_widget_get_width (self->queue_column));
  _rounds_responses_set_stacked (self->responses_box,
                                 _rounds_responses_should_stack (_rounds_window_width
                                                                   (GTK_WINDOW (root)) -
                                                                 queue_width, n));
}

/* Whether the responses are one above the other (a narrow window). */
gboolean
rounds_review_page_get_stacked (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  return _rounds_responses_get_stacked (self->responses_box);
}

static void
show_responses (RoundsReviewPage *self)
{
  update_layout (self);
  _rounds_widget_remove_children (GTK_WIDGET (self->responses_box));
  for (guint p = 0; p < rounds_item_get_n_responses (self->item); p++)
    {
      guint r = self->order[p];
      g_autofree char *name = _rounds_response_label (p);
      const char *model = rounds_item_get_response_model (self->item, r);
      g_autofree char *heading = self->models_shown && model
                                   ? g_strdup_printf ("%s — %s", name, model)
                                   : g_strdup (name);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *title = gtk_label_new (heading);
      GtkWidget *text = rounds_markdown_view_new ();

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "response-card");
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      rounds_markdown_view_set_markdown (ROUNDS_MARKDOWN_VIEW (text),
                                         rounds_item_get_response_text (self->item, r));
      gtk_widget_add_css_class (text, "reading");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), text);
      gtk_box_append (self->responses_box, box);
    }
}

/* The optional corrected rubric: "–" leaves a score out. A dozen drop-downs cost more than
 * the rest of an item, so they are made when the expander is opened, not for every item. */
static void
build_rubric_controls (RoundsReviewPage *self)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(JsonNode) stored = NULL;

  if (self->rubric_built)
    return;
  self->rubric_built = TRUE;
  if (self->stored_scores != NULL)
    stored = json_from_string (self->stored_scores, NULL);
  rounds_rubric_grid_set_rubric (self->rubric_grid, rubric, n, self->order);
  if (stored == NULL || !JSON_NODE_HOLDS_ARRAY (stored))
    return;
  for (guint r = 0; r < n && r < json_array_get_length (json_node_get_array (stored)); r++)
    for (guint c = 0; c < rounds_rubric_get_n_criteria (rubric); c++)
      {
        JsonObject *scores = json_array_get_object_element (json_node_get_array (stored), r);
        const char *id = rounds_rubric_get_criterion (rubric, c)->id;

        if (scores != NULL && json_object_has_member (scores, id))
          rounds_rubric_grid_set_score (self->rubric_grid, r, c,
                                        (int) json_object_get_int_member (scores, id));
      }
}

static void
on_rubric_expanded (RoundsReviewPage *self)
{
  if (self->item != NULL && gtk_expander_get_expanded (self->rubric_expander))
    build_rubric_controls (self);
}

/* The corrected rubric as annotations.scores_json, or NULL when nothing is scored. */
static char *
corrected_rubric_json (RoundsReviewPage *self)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  /* Not opened: what was recorded stays. */
  if (!self->rubric_built)
    return g_strdup (self->stored_scores);
  json_builder_begin_array (builder);
  for (guint r = 0; r < n; r++)
    {
      json_builder_begin_object (builder);
      for (guint c = 0; c < n_criteria; c++)
        {
          int score = rounds_rubric_grid_get_score (self->rubric_grid, r, c);

          if (score < 0)
            continue;
          any = TRUE;
          json_builder_set_member_name (builder, rounds_rubric_get_criterion (rubric, c)->id);
          json_builder_add_int_value (builder, score);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (!any)
    return NULL;
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
rounds_review_page_set_correction (RoundsReviewPage *self,
                                   guint             response,
                                   const char       *criterion_id,
                                   int               score)
{
  RoundsRubric *rubric;
  int c;

  g_return_if_fail (ROUNDS_IS_REVIEW_PAGE (self));
  if (self->item == NULL)
    return;
  rubric = rounds_dataset_get_rubric (self->dataset);
  if ((c = rounds_rubric_find (rubric, criterion_id)) < 0 ||
      response >= rounds_item_get_n_responses (self->item))
    return;
  build_rubric_controls (self);
  rounds_rubric_grid_set_score (self->rubric_grid, response, (guint) c, score);
}

/* What the annotators said, in this reviewer's letters, to be read beside the choice: how
 * many chose each point of the scale, or each response's mean rank. */
static char *
consensus_text (RoundsReviewPage *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = rounds_item_get_n_responses (self->item);
  int k = rounds_dataset_get_scale_k (self->dataset);
  guint n_judgements = self->judgements ? self->judgements->len : 0;
  g_autofree guint *counts = g_new0 (guint, 2 * k + 2);   /* the scale, then unacceptable */
  g_autofree double *rank_sums = g_new0 (double, n);
  guint n_ranked = 0;

  for (guint i = 0; i < n_judgements; i++)
    {
      const RoundsJudgement *j = self->judgements->pdata[i];

      if (j->unacceptable)
        counts[2 * k + 1]++;
      else if (j->has_preference && ABS (j->preference) <= k)
        counts[screen_preference (self, j->preference) + k]++;
      else if (j->ranks != NULL && n > 2)
        {
          n_ranked++;
          for (guint p = 0; p < n; p++)
            rank_sums[p] += j->ranks[self->order[p]];
        }
    }

  for (int c = 0; c < 2 * k + 2; c++)
    if (counts[c] > 0)
      {
        const char *label = c <= 2 * k ? rounds_preference_get_label (c - k, k)
                                       : _("All unacceptable");

        if (text->len > 0)
          g_string_append (text, " · ");
        /* TRANSLATORS: how many annotators chose this, e.g. "A much better ×2" */
        g_string_append_printf (text, _("%s ×%u"), label, counts[c]);
      }
  if (n_ranked > 0)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, _("mean rank"));
      for (guint p = 0; p < n; p++)
        g_string_append_printf (text, " %c %.1f", 'A' + p, rank_sums[p] / n_ranked);
    }
  if (text->len == 0)
    return g_strdup (_("Annotators: no choice recorded"));
  /* TRANSLATORS: what the annotators chose, shown beside the reviewer's verdict */
  return g_strdup_printf (_("Annotators: %s"), text->str);
}

/* Nothing is chosen in advance: "Choose…" for two responses, "–" for each rank. */
static void
build_verdict_controls (RoundsReviewPage *self)
{
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(RoundsVerdict) current = rounds_store_get_verdict (self->store, self->item, NULL);
  g_autofree char *consensus = NULL;
  GtkWidget *consensus_label;

  _rounds_widget_remove_children (GTK_WIDGET (self->verdict_box));
  self->preference_dropdown = NULL;
  g_ptr_array_set_size (self->rank_dropdowns, 0);
  g_free (self->stored_scores);
  self->stored_scores = current != NULL ? g_strdup (current->scores_json) : NULL;
  self->rubric_built = FALSE;
  on_rubric_expanded (self);
  _rounds_text_view_set_text (self->rationale_view, current != NULL ? current->rationale : NULL);

  if (n == 2)
    {
      int k = rounds_dataset_get_scale_k (self->dataset);
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      guint selected = 0;

      g_ptr_array_add (labels, g_strdup (_("Choose…")));
      for (int p = -k; p <= k; p++)
        g_ptr_array_add (labels, g_strdup (rounds_preference_get_label (p, k)));
      g_ptr_array_add (labels, g_strdup (_("Both unacceptable")));
      g_ptr_array_add (labels, NULL);
      self->preference_dropdown =
        gtk_drop_down_new_from_strings ((const char * const *) labels->pdata);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->preference_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Final preference"), -1);
      if (current != NULL && current->unacceptable)
        selected = (guint) (2 * k + 2);
      else if (current != NULL && current->has_preference)
        selected = (guint) (screen_preference (self, current->preference) + k + 1);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preference_dropdown), selected);
      gtk_box_append (self->verdict_box, self->preference_dropdown);
    }
  else
    for (guint p = 0; p < n; p++)
      {
        g_autofree char *name = _rounds_response_label (p);
        g_autoptr(GPtrArray) ranks = g_ptr_array_new_with_free_func (g_free);
        int rank = current != NULL && current->ranks != NULL ? current->ranks[self->order[p]] : 0;
        GtkWidget *dropdown;

        g_ptr_array_add (ranks, g_strdup ("–"));
        for (guint r = 1; r <= n; r++)
          g_ptr_array_add (ranks, g_strdup_printf ("%u", r));
        g_ptr_array_add (ranks, NULL);
        dropdown = gtk_drop_down_new_from_strings ((const char * const *) ranks->pdata);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                                    rank > 0 && (guint) rank <= n ? (guint) rank : 0);
        gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name, -1);
        _rounds_drop_down_take_digits (dropdown);
        gtk_box_append (self->verdict_box, gtk_label_new (name));
        gtk_box_append (self->verdict_box, dropdown);
        g_ptr_array_add (self->rank_dropdowns, dropdown);
      }

  consensus = consensus_text (self);
  consensus_label = gtk_label_new (consensus);
  gtk_label_set_wrap (GTK_LABEL (consensus_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (consensus_label), 0);
  gtk_widget_set_hexpand (consensus_label, TRUE);
  gtk_widget_add_css_class (consensus_label, "dim-label");
  gtk_box_append (self->verdict_box, consensus_label);
}

/* A load's agreement, if it waits for the first item, after the frame that draws that item
 * whole: its thread would otherwise take a processor from the frames that draw the item. */
static void
measure_when_asked (RoundsReviewPage *self)
{
  if (!self->measure_when_shown)
    return;
  self->measure_when_shown = FALSE;
  self->load_tick = _rounds_widget_after_frame (GTK_WIDGET (self), measure_agreement, self);
}

/* The lower half of an item: the annotators' judgements, the criteria table and the verdict
 * controls. */
static gboolean
show_sides (gpointer data)
{
  RoundsReviewPage *self = data;

  self->sides_tick = 0;
  show_judgements (self);
  build_verdict_controls (self);
  gtk_widget_set_visible (self->sides_box, TRUE);
  measure_when_asked (self);
  return G_SOURCE_REMOVE;
}

/* The responses, then the rest a frame later. */
static gboolean
show_responses_then (gpointer data)
{
  RoundsReviewPage *self = data;

  self->sides_tick = 0;
  show_responses (self);
  self->sides_tick = _rounds_widget_after_frame (GTK_WIDGET (self), show_sides, self);
  return G_SOURCE_REMOVE;
}

/* Shows the item of @entry; @in_frames, a part a frame: the scenario, the responses
 * (show_responses_then()), then the rest (show_sides()), where a first item or the next
 * after a verdict would otherwise keep the main loop for the layout and drawing of a whole
 * page (rounds_review_page_get_loading() is %TRUE meanwhile, and no verdict can be
 * recorded). */
static void
show_entry (RoundsReviewPage  *self,
            RoundsReviewEntry *entry,
            gboolean           in_frames)
{
  const RoundsDispute *dispute = rounds_review_entry_get_dispute (entry);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  RoundsItemJudgements *judged;

  g_clear_object (&self->item);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  g_set_object (&self->entry, entry);
  self->models_shown = FALSE;
  /* One item and its verdict, by primary key: well under a millisecond, so on this thread. */
  if (!(self->item = rounds_store_get_item (self->store, dispute->item_id, &error)))
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_free (self->order);
  self->order = rounds_item_dup_reviewer_order (self->item,
                                                rounds_profile_get_user_name (self->reviewer));
  if ((judged = g_hash_table_lookup (self->judgements_of, &dispute->item_id)) != NULL)
    {
      self->judgements = g_ptr_array_ref (judged->judgements);
      self->guardian = judged->guardian ? g_ptr_array_ref (judged->guardian) : NULL;
    }

  heading = dispute->has_verdict
              ? g_strdup_printf (_("%s — verdict recorded"),
                                 rounds_review_entry_get_rules (entry))
              : g_strdup (rounds_review_entry_get_rules (entry));
  gtk_label_set_text (self->item_title, rounds_item_get_title (self->item)
                                          ? rounds_item_get_title (self->item)
                                          : rounds_item_get_key (self->item));
  gtk_label_set_text (self->rules_label, heading);
  rounds_markdown_view_set_markdown (self->scenario, rounds_item_get_scenario (self->item));
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  clear_tick (self, &self->sides_tick);
  if (in_frames)
    {
      _rounds_widget_remove_children (GTK_WIDGET (self->responses_box));
      gtk_widget_set_visible (self->sides_box, FALSE);
      self->sides_tick = _rounds_widget_after_frame (GTK_WIDGET (self), show_responses_then,
                                                     self);
    }
  else
    {
      show_responses (self);
      show_sides (self);
    }
}

static void
on_selected (RoundsReviewPage *self)
{
  g_autoptr(RoundsReviewEntry) entry = NULL;
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION &&
      (entry = g_list_model_get_item (G_LIST_MODEL (self->queue), position)) != NULL)
    show_entry (self, entry, FALSE);
}

/* The agreement of the dataset, above the queue: the figures a reviewer reports, and how
 * many of the disputed items have a verdict. */
static void
show_agreement (RoundsReviewPage *self)
{
  const RoundsAgreementReport *report = self->agreement;
  g_autofree char *preference = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *text = NULL;
  guint n_disputed = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

  gtk_widget_set_visible (GTK_WIDGET (self->alpha_help), report != NULL);
  if (report == NULL)
    {
      g_autofree char *measuring = NULL;

      if (self->agreement_error != NULL)
        {
          gtk_label_set_text (self->agreement_label, self->agreement_error->message);
          return;
        }
      /* TRANSLATORS: shown while Krippendorff's alpha is computed, after the queue is shown */
      measuring = g_strdup_printf (_("%u disputed items, %u with a verdict\n"
                                     "Measuring the agreement…"), n_disputed, self->n_resolved);
      gtk_label_set_text (self->agreement_label, measuring);
      return;
    }
  preference = rounds_agreement_measure_to_string (&report->preference);
  direction = rounds_agreement_measure_to_string (&report->direction);
  text = g_strdup_printf (_("%u disputed of %u judged items, %u with a verdict\n"
                            "Krippendorff’s α, preference: %s\n"
                            "α, direction A/tie/B: %s"),
                          n_disputed, report->n_items, self->n_resolved, preference, direction);
  gtk_label_set_text (self->agreement_label, text);
}

/* Progress as text: a spinner asked for 60 frames a second, which a software OpenGL drew
 * with the main thread's time. */
static void
set_loading (RoundsReviewPage *self,
             gboolean          loading)
{
  gtk_stack_set_visible_child_name (self->queue_stack, loading ? "loading" : "queue");
  if (loading)
    gtk_stack_set_visible_child_name (self->detail_stack, "loading");
}

/* Lets go of the queue and all that was read with it. */
static void
clear_queue (RoundsReviewPage *self)
{
  clear_tick (self, &self->load_tick);
  clear_tick (self, &self->sides_tick);
  self->measure_when_shown = FALSE;
  g_cancellable_cancel (self->agreement_cancellable);
  g_clear_object (&self->agreement_cancellable);
  g_clear_object (&self->item);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  if (self->queue != NULL)
    rounds_review_queue_set_disputes (self->queue, NULL);
  g_hash_table_remove_all (self->judgements_of);
  g_clear_pointer (&self->all_judgements, g_ptr_array_unref);
  g_clear_pointer (&self->agreement, rounds_agreement_report_free);
  g_clear_error (&self->agreement_error);
  self->n_resolved = 0;
}

/* Selects the entry at @position, scrolls to it and shows its item (@in_frames: see
 * show_entry()); an item on screen already is read again only when @again (the reviewer's
 * unsaved choices stay otherwise). */
static gboolean
select_entry (RoundsReviewPage *self,
              guint             position,
              gboolean          again,
              gboolean          in_frames)
{
  g_autoptr(RoundsReviewEntry) entry = NULL;

  if (!(entry = g_list_model_get_item (G_LIST_MODEL (self->queue), position)))
    return FALSE;
  if (entry == self->entry && self->item != NULL && !again)
    return TRUE;
  g_signal_handlers_block_by_func (self->selection, on_selected, self);
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_handlers_unblock_by_func (self->selection, on_selected, self);
  gtk_widget_activate_action (GTK_WIDGET (self->queue_view), "list.scroll-to-item", "u",
                              position);
  show_entry (self, entry, in_frames);
  return TRUE;
}

static void
on_agreement_measured (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RoundsReviewPage *self = user_data;
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled when a newer load replaced this one or the page went away. */
  report = rounds_review_measure_agreement_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->agreement_cancellable);
  self->agreement = g_steal_pointer (&report);
  self->agreement_error = g_steal_pointer (&error);
  show_agreement (self);
}

/* The agreement, on the judgements the queue was read with. */
static gboolean
measure_agreement (gpointer data)
{
  RoundsReviewPage *self = data;

  self->load_tick = 0;
  rounds_review_measure_agreement_async (self->dataset, self->all_judgements,
                                         self->agreement_cancellable, on_agreement_measured,
                                         self);
  return G_SOURCE_REMOVE;
}

/* After the frame that draws the queue: its first item, in a frame of its own. */
static gboolean
show_first_item (gpointer data)
{
  RoundsReviewPage *self = data;
  guint n = rounds_review_page_get_n_items (self);

  self->load_tick = 0;
  self->measure_when_shown = TRUE;   /* by show_sides() */
  select_entry (self, MIN (self->select_when_loaded, n - 1), TRUE, TRUE);
  /* An item that could not be read shows no sides. */
  if (self->sides_tick == 0)
    measure_when_asked (self);
  return G_SOURCE_REMOVE;
}

static void
on_snapshot_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RoundsReviewPage *self = user_data;
  g_autoptr(RoundsReviewSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled when a newer load replaced this one or the page went away: then @self may be
   * gone, so it is not touched. */
  snapshot = rounds_review_load_queue_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  if (snapshot == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  clear_queue (self);
  self->all_judgements = g_steal_pointer (&snapshot->items);
  for (guint i = 0; i < self->all_judgements->len; i++)
    {
      RoundsItemJudgements *judged = self->all_judgements->pdata[i];

      g_hash_table_insert (self->judgements_of, &judged->item_id, judged);
    }
  /* The list view makes the rows it shows, and the queue the entries they show. */
  for (guint i = 0; i < snapshot->disputes->len; i++)
    self->n_resolved += ((RoundsDispute *) snapshot->disputes->pdata[i])->has_verdict;
  rounds_review_queue_set_disputes (self->queue, g_steal_pointer (&snapshot->disputes));
  /* The queue first; the agreement, measured on the same judgements, follows. */
  self->agreement_cancellable = g_cancellable_new ();
  show_agreement (self);
  if (rounds_review_page_get_n_items (self) == 0)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      measure_agreement (self);
    }
  else
    self->load_tick = _rounds_widget_after_frame (GTK_WIDGET (self), show_first_item, self);
}

/* After the frame that draws the page with its progress: the thread, which takes a
 * processor and much new memory, would otherwise slow that frame (a whole window's worth of
 * new pixels) by as much again. */
static gboolean
read_queue (gpointer data)
{
  RoundsReviewPage *self = data;

  self->load_tick = 0;
  rounds_review_load_queue_async (rounds_store_get_path (self->store),
                                  rounds_dataset_get_id (self->dataset),
                                  ROUNDS_DISPUTE_FILTER_DISPUTED, self->cancellable,
                                  on_snapshot_loaded, self);
  return G_SOURCE_REMOVE;
}

/**
 * rounds_review_page_load:
 *
 * Shows the review of @dataset, with progress until its queue is read in a thread (see
 * rounds_review_page_get_loading()); then the first item is selected.
 */
gboolean
rounds_review_page_load (RoundsReviewPage  *self,
                         RoundsStore       *store,
                         RoundsDataset     *dataset,
                         RoundsProfile     *reviewer,
                         GError           **error)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);

  if (!rounds_profile_has_role (reviewer, ROUNDS_ROLE_REVIEWER))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Only a profile with the reviewer role can review disagreements"));
      return FALSE;
    }

  self->store = store;
  g_set_object (&self->dataset, dataset);
  g_set_object (&self->reviewer, reviewer);
  clear_queue (self);
  gtk_label_set_text (self->agreement_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->alpha_help), FALSE);
  set_loading (self, TRUE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->select_when_loaded = 0;
  self->load_tick = _rounds_widget_after_frame (GTK_WIDGET (self), read_queue, self);
  return TRUE;
}

/* Whether the queue is being read, its agreement measured or a verdict written; the page is
 * up to date once this turns %FALSE. */
gboolean
rounds_review_page_get_loading (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  return self->cancellable != NULL || self->agreement_cancellable != NULL ||
         self->save_cancellable != NULL || self->sides_tick != 0;
}

guint
rounds_review_page_get_n_items (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->queue));
}

/* The queue: a #GListModel of #RoundsReviewEntry, in review order. */
GListModel *
rounds_review_page_get_queue (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), NULL);
  return G_LIST_MODEL (self->queue);
}

RoundsItem *
rounds_review_page_get_item (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), NULL);
  return self->item;
}

/* Whether the item on screen is shown whole: after a load or a verdict its judgements and
 * verdict controls follow its scenario and responses a frame later (show_entry()). */
gboolean
rounds_review_page_get_item_whole (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  return self->item != NULL && self->sides_tick == 0;
}

RoundsDataset *
rounds_review_page_get_dataset (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), NULL);
  return self->dataset;
}

gboolean
rounds_review_page_select (RoundsReviewPage *self,
                           guint             position)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  return select_entry (self, position, FALSE, FALSE);
}

/* For a two-response item: @preference on the dataset's scale, canonical. */
void
rounds_review_page_set_verdict (RoundsReviewPage *self,
                                int               preference,
                                const char       *rationale)
{
  g_return_if_fail (ROUNDS_IS_REVIEW_PAGE (self));

  if (self->preference_dropdown != NULL)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preference_dropdown),
                                (guint) (screen_preference (self, preference) +
                                         rounds_dataset_get_scale_k (self->dataset) + 1));
  _rounds_text_view_set_text (self->rationale_view, rationale);
}

static void
on_verdict_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RoundsReviewPage *self = user_data;
  g_autoptr(RoundsReviewEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  /* Cancelled when the page went away: @self may be gone. */
  if (!rounds_review_save_verdict_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  entry = g_object_get_data (G_OBJECT (self->save_cancellable), "entry");
  entry = entry != NULL ? g_object_ref (entry) : NULL;
  g_clear_object (&self->save_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.save-verdict", TRUE);
  if (error != NULL)
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  _rounds_widget_toast (GTK_WIDGET (self), _("Verdict recorded"));

  /* Only what the verdict changed: its entry (and so its row), the count of items with a
   * verdict; then on to the next item. */
  if (entry != NULL && !rounds_review_entry_get_has_verdict (entry))
    {
      rounds_review_entry_set_has_verdict (entry, TRUE);
      self->n_resolved++;
      show_agreement (self);
    }
  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return;
  if (!select_entry (self, position + 1, TRUE, TRUE))
    select_entry (self, position, TRUE, TRUE);
}

static void
save_verdict_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RoundsReviewPage *self = ROUNDS_REVIEW_PAGE (widget);
  RoundsVerdict *verdict;
  guint n;

  /* The verdict controls are the previous item's until show_sides() has run. */
  if (self->item == NULL || self->save_cancellable != NULL || self->sides_tick != 0)
    return;
  n = rounds_item_get_n_responses (self->item);
  verdict = rounds_verdict_new (n);
  verdict->rationale = _rounds_text_view_get_text (self->rationale_view);
  verdict->models_revealed = self->models_shown;
  verdict->scores_json = corrected_rubric_json (self);
  if (self->preference_dropdown != NULL)
    {
      int k = rounds_dataset_get_scale_k (self->dataset);
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->preference_dropdown));

      /* Item 0 is "Choose…": no preference, which the store refuses with a message. */
      if (selected == (guint) (2 * k + 2))
        verdict->unacceptable = TRUE;
      else if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
        {
          verdict->has_preference = TRUE;
          verdict->preference = screen_preference (self, (int) selected - k - 1);
        }
    }
  else
    for (guint p = 0; p < n; p++)
      {
        guint selected = gtk_drop_down_get_selected (self->rank_dropdowns->pdata[p]);

        /* Item 0 is "–", not ranked. */
        verdict->ranks[self->order[p]] = selected != GTK_INVALID_LIST_POSITION ? (int) selected
                                                                               : 0;
      }

  /* Written in a thread; the page stays as it is until then, and a second save waits. */
  self->save_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->save_cancellable), "entry", g_object_ref (self->entry),
                          g_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.save-verdict", FALSE);
  rounds_review_save_verdict_async (rounds_store_get_path (self->store), self->item,
                                    rounds_profile_get_user_name (self->reviewer), verdict,
                                    self->save_cancellable, on_verdict_saved, self);
}

static void
send_back_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RoundsReviewPage *self = ROUNDS_REVIEW_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->item == NULL)
    return;
  if (!rounds_store_send_back (self->store, self->item, rounds_item_get_overlap (self->item) + 1,
                               rounds_profile_get_user_name (self->reviewer), &error))
    _rounds_widget_toast (GTK_WIDGET (self), error->message);
  else
    _rounds_widget_toast (GTK_WIDGET (self),
                          _("Sent back: one more judgement is wanted for this item"));
}

static void
on_names_toggled (RoundsReviewPage *self)
{
  show_judgements (self);
}

static void
on_models_clicked (RoundsReviewPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->item == NULL || self->models_shown)
    return;
  if (!rounds_store_audit (self->store, rounds_profile_get_user_name (self->reviewer),
                           "review.reveal-models", rounds_item_get_key (self->item), NULL, &error))
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  self->models_shown = TRUE;
  show_responses (self);
}

/* This reviewer's order of the responses on screen: position → canonical response; NULL
 * when no item is shown. */
const guint *
rounds_review_page_get_order (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), NULL);
  return self->item != NULL ? self->order : NULL;
}

GtkWidget *
rounds_review_page_new (void)
{
  return g_object_new (ROUNDS_TYPE_REVIEW_PAGE, NULL);
}

static void
rounds_review_page_dispose (GObject *object)
{
  RoundsReviewPage *self = ROUNDS_REVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  if (self->queue_view != NULL)
    gtk_list_view_set_model (self->queue_view, NULL);
  _rounds_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_REVIEW_PAGE);
  if (self->judgements_of != NULL)
    clear_queue (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->judgements_of, g_hash_table_unref);
  g_clear_object (&self->dataset);
  g_clear_object (&self->reviewer);
  g_clear_pointer (&self->rank_dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->stored_scores, g_free);

  G_OBJECT_CLASS (rounds_review_page_parent_class)->dispose (object);
}

/* The layout follows the window's width. */
static void
rounds_review_page_root (GtkWidget *widget)
{
  RoundsReviewPage *self = ROUNDS_REVIEW_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (rounds_review_page_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      g_signal_connect_object (root, "notify::default-width", G_CALLBACK (update_layout), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (root, "notify::maximized", G_CALLBACK (update_layout), self,
                               G_CONNECT_SWAPPED);
    }
  update_layout (self);
}

static void
rounds_review_page_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), update_layout, widget);
  GTK_WIDGET_CLASS (rounds_review_page_parent_class)->unroot (widget);
}

static void
rounds_review_page_class_init (RoundsReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ROUNDS_TYPE_RUBRIC_GRID);
  g_type_ensure (ROUNDS_TYPE_MARKDOWN_VIEW);
  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-review-page.ui");
  object_class->dispose = rounds_review_page_dispose;
  widget_class->root = rounds_review_page_root;
  widget_class->unroot = rounds_review_page_unroot;

  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, queue_column);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, queue_view);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, queue_stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, agreement_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, alpha_help);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, item_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rules_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, scenario);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, responses_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, names_toggle);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, models_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, sides_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, judgements_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, scores_heading);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, scores_window);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rubric_expander);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rubric_grid);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rationale_view);

  gtk_widget_class_install_action (widget_class, "review.save-verdict", NULL,
                                   save_verdict_activated);
  gtk_widget_class_install_action (widget_class, "review.send-back", NULL, send_back_activated);
}

static void
rounds_review_page_init (RoundsReviewPage *self)
{
  GtkListItemFactory *factory = rounds_review_queue_row_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rank_dropdowns = g_ptr_array_new ();
  self->judgements_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->queue = rounds_review_queue_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_factory (self->queue_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selected), self);
  g_signal_connect_swapped (self->rubric_expander, "notify::expanded",
                            G_CALLBACK (on_rubric_expanded), self);
  g_signal_connect_swapped (self->names_toggle, "toggled", G_CALLBACK (on_names_toggled), self);
  g_signal_connect_swapped (self->models_button, "clicked", G_CALLBACK (on_models_clicked), self);
  _rounds_page_leave_text_on_escape (GTK_WIDGET (self), GTK_WIDGET (self->scenario));
  _rounds_expander_focus_child_when_expanded (self->rubric_expander);
}
