/* rounds-review-page.c: the ethics reviewer's page: disputed items, every side, a verdict
 *
 * The queue lists the disputed items of a dataset, most severe first (safety flags, then
 * opposite directions, then spread). An item shows its responses in an order of the
 * reviewer's own (a stable shuffle, never the canonical order, which may carry the label of
 * imported preference data) and every current judgement re-expressed in that order, with the
 * order its annotator saw; names are hidden until asked for, and model names are revealed only
 * on request, which the audit log records. No verdict is chosen in advance: the annotators'
 * consensus is shown beside the choice, and the store refuses a verdict without one. The queue,
 * the judgements and the agreement are read in a thread; rounds_review_page_get_loading() is
 * %TRUE meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-error.h"
#include "rounds-review-page.h"
#include "rounds-review.h"
#include "rounds-rubric-grid.h"
#include "rounds-widget-util-private.h"

struct _RoundsReviewPage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkListBox       *queue_list;
  GtkLabel         *agreement_label;
  GtkStack         *detail_stack;
  GtkLabel         *item_title;
  GtkLabel         *rules_label;
  GtkLabel         *scenario;
  GtkBox           *responses_box;
  GtkToggleButton  *names_toggle;
  GtkButton        *models_button;
  GtkBox           *judgements_box;
  GtkBox           *verdict_box;
  RoundsRubricGrid *rubric_grid;
  GtkEntry         *rationale_entry;

  /* Borrowed */
  RoundsStore      *store;

  /* Owned */
  RoundsDataset    *dataset;
  RoundsProfile    *reviewer;
  GPtrArray        *disputes;        /* RoundsDispute, queue order */
  RoundsItem       *item;
  GPtrArray        *judgements;      /* RoundsJudgement of the item, borrowed from all_judgements */
  GPtrArray        *guardian;        /* the guardian's of the item, likewise */
  GPtrArray        *all_judgements;  /* RoundsItemJudgements */
  guint            *order;           /* screen position → canonical response, this reviewer's */
  GtkWidget        *preference_dropdown;
  GPtrArray        *rank_dropdowns;
  gboolean          models_shown;
  GCancellable     *cancellable;     /* of the load in flight, %NULL when none is */
  guint             select_when_loaded;
};

G_DEFINE_FINAL_TYPE (RoundsReviewPage, rounds_review_page, GTK_TYPE_WIDGET)

/* This reviewer's order of @item's responses: sorted by a digest of the reviewer, the item
 * and the response, so the same each time the reviewer opens the item and unrelated to the
 * canonical order or to another reviewer's. */
static guint *
reviewer_order (const char *reviewer,
                RoundsItem *item)
{
  guint n = rounds_item_get_n_responses (item);
  guint *order = g_new (guint, n);
  g_auto(GStrv) digests = g_new0 (char *, n + 1);

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *seed = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%u", reviewer,
                                               rounds_item_get_dataset_name (item),
                                               rounds_item_get_key (item), r);

      digests[r] = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
      order[r] = r;
    }
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && strcmp (digests[order[j - 1]], digests[order[j]]) > 0; j--)
      {
        guint swap = order[j];

        order[j] = order[j - 1];
        order[j - 1] = swap;
      }
  return order;
}

/* The screen position of canonical response @r (@r itself when it is not one). */
static guint
position_of (RoundsReviewPage *self,
             guint             r)
{
  for (guint p = 0; p < rounds_item_get_n_responses (self->item); p++)
    if (self->order[p] == r)
      return p;
  return r;
}

/* A two-response preference, canonical, as seen on this reviewer's screen, or back: negative
 * is the first response better either way, and the mapping is its own inverse. */
static int
screen_preference (RoundsReviewPage *self,
                   int               preference)
{
  return self->order[0] == 0 ? preference : -preference;
}

static char *
rules_text (RoundsDisputeRules rules)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (RoundsDisputeRules rule = ROUNDS_DISPUTE_UNSAFE; rule <= ROUNDS_DISPUTE_GUARDIAN; rule <<= 1)
    if (rules & rule)
      {
        if (text->len > 0)
          g_string_append (text, " · ");
        g_string_append (text, rounds_dispute_rule_get_label (rule));
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_judgement (RoundsReviewPage      *self,
                    const RoundsJudgement *j)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int k = rounds_dataset_get_scale_k (self->dataset);
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);

  /* Letters are the reviewer's: A is the response on the left of this page. */
  if (j->unacceptable)
    g_string_append (text, _("All unacceptable"));
  else if (j->has_preference)
    g_string_append (text, rounds_preference_get_label (screen_preference (self, j->preference),
                                                        k));
  else if (j->ranks != NULL)
    {
      g_string_append (text, _("Ranks:"));
      for (guint p = 0; p < j->n_responses; p++)
        g_string_append_printf (text, " %c=%d", 'A' + p, j->ranks[self->order[p]]);
    }

  g_string_append (text, "\n");
  g_string_append (text, _("Saw:"));
  for (guint q = 0; q < j->n_responses && j->shown_order != NULL; q++)
    g_string_append_printf (text, " %c", 'A' + position_of (self, j->shown_order[q]));
  g_string_append_printf (text, _(" · %.1f min"), j->time_spent_ms / 60000.0);

  for (guint p = 0; p < j->n_responses; p++)
    {
      guint r = self->order[p];

      g_string_append_printf (text, "\n%c:", 'A' + p);
      for (guint c = 0; c < j->n_criteria; c++)
        {
          int score = j->scores[r * j->n_criteria + c];

          if (score >= 0)
            g_string_append_printf (text, " %s %d", rounds_rubric_get_criterion (rubric, c)->name,
                                    score);
        }
      for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
        if (j->flags != NULL && (j->flags[r] & (1u << f)))
          g_string_append_printf (text, " ⚑ %s", rounds_flag_get_label (1u << f));
      if (j->notes != NULL && j->notes[r] != NULL)
        g_string_append_printf (text, " — %s", j->notes[r]);
    }
  if (j->comment != NULL && *j->comment != '\0')
    g_string_append_printf (text, "\n“%s”", j->comment);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
append_judgement_card (RoundsReviewPage      *self,
                       const char            *who,
                       const RoundsJudgement *j,
                       gboolean               machine)
{
  g_autofree char *what = describe_judgement (self, j);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s", who, what);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "card");
  if (machine)
    gtk_widget_add_css_class (label, "guardian");
  gtk_widget_set_margin_bottom (label, 6);
  gtk_box_append (self->judgements_box, label);
}

static void
show_judgements (RoundsReviewPage *self)
{
  _rounds_widget_remove_children (GTK_WIDGET (self->judgements_box));
  for (guint i = 0; self->judgements != NULL && i < self->judgements->len; i++)
    {
      const RoundsJudgement *j = self->judgements->pdata[i];
      g_autofree char *who = gtk_toggle_button_get_active (self->names_toggle)
                               ? g_strdup (j->annotator)
                               : g_strdup_printf (_("Annotator %u"), i + 1);

      append_judgement_card (self, who, j, FALSE);
    }

  /* Beside the clinicians, never among them: labelled as the machine it is. */
  for (guint i = 0; self->guardian != NULL && i < self->guardian->len; i++)
    {
      const RoundsJudgement *j = self->guardian->pdata[i];
      /* TRANSLATORS: %s is "guardian:<model>", a machine evaluator's judgement */
      g_autofree char *who = g_strdup_printf (_("The guardian (%s, a machine; not counted)"),
                                              j->annotator);

      append_judgement_card (self, who, j, TRUE);
    }
}

static void
show_responses (RoundsReviewPage *self)
{
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
      GtkWidget *text = gtk_label_new (rounds_item_get_response_text (self->item, r));

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "response-card");
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_widget_add_css_class (text, "reading");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), text);
      gtk_box_append (self->responses_box, box);
    }
}

/* The optional corrected rubric: "–" leaves a score out. */
static void
build_rubric_controls (RoundsReviewPage    *self,
                       const RoundsVerdict *current)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(JsonNode) stored = NULL;

  if (current != NULL && current->scores_json != NULL)
    stored = json_from_string (current->scores_json, NULL);
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
  build_rubric_controls (self, current);
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry),
                         current != NULL && current->rationale ? current->rationale : "");

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

static void
show_dispute (RoundsReviewPage *self,
              RoundsDispute    *dispute)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = rules_text (dispute->rules);
  g_autofree char *heading = NULL;

  g_clear_object (&self->item);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  self->models_shown = FALSE;
  if (!(self->item = rounds_store_get_item (self->store, dispute->item_id, &error)))
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_free (self->order);
  self->order = reviewer_order (rounds_profile_get_user_name (self->reviewer), self->item);

  for (guint i = 0; self->all_judgements != NULL && i < self->all_judgements->len; i++)
    {
      RoundsItemJudgements *entry = self->all_judgements->pdata[i];

      if (entry->item_id == dispute->item_id)
        {
          self->judgements = g_ptr_array_ref (entry->judgements);
          self->guardian = entry->guardian ? g_ptr_array_ref (entry->guardian) : NULL;
        }
    }

  heading = dispute->has_verdict ? g_strdup_printf (_("%s — verdict recorded"), rules)
                                 : g_strdup (rules);
  gtk_label_set_text (self->item_title, rounds_item_get_title (self->item)
                                          ? rounds_item_get_title (self->item)
                                          : rounds_item_get_key (self->item));
  gtk_label_set_text (self->rules_label, heading);
  gtk_label_set_text (self->scenario, rounds_item_get_scenario (self->item));
  show_responses (self);
  show_judgements (self);
  build_verdict_controls (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
on_row_selected (GtkListBox       *list,
                 GtkListBoxRow    *row,
                 RoundsReviewPage *self)
{
  if (row == NULL || self->disputes == NULL)
    return;
  show_dispute (self, self->disputes->pdata[gtk_list_box_row_get_index (row)]);
}

static void
fill_queue (RoundsReviewPage *self)
{
  _rounds_widget_remove_children (GTK_WIDGET (self->queue_list));

  for (guint i = 0; i < self->disputes->len; i++)
    {
      RoundsDispute *dispute = self->disputes->pdata[i];
      g_autofree char *rules = rules_text (dispute->rules);
      g_autofree char *subtitle = dispute->has_verdict ? g_strdup_printf ("✓ %s", rules)
                                                       : g_strdup (rules);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     dispute->title ? dispute->title : dispute->item_key);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->queue_list, row);
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
}

static char *
format_alpha (const RoundsAgreementMeasure *measure)
{
  if (measure->alpha.status == ROUNDS_ALPHA_OK)
    /* TRANSLATORS: Krippendorff's alpha and the number of items behind it */
    return g_strdup_printf (_("%.2f (%u items)"), measure->alpha.alpha, measure->n_items);
  if (measure->alpha.status == ROUNDS_ALPHA_NO_VARIATION)
    return g_strdup (_("all agree"));
  return g_strdup (_("not enough judgements"));
}

/* The agreement of the dataset, above the queue: the figures a reviewer reports. */
static void
show_agreement (RoundsReviewPage           *self,
                const RoundsReviewSnapshot *snapshot)
{
  const RoundsAgreementReport *report = snapshot->agreement;
  g_autofree char *preference = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *text = NULL;

  if (report == NULL)
    {
      gtk_label_set_text (self->agreement_label, snapshot->agreement_error->message);
      return;
    }
  preference = format_alpha (&report->preference);
  direction = format_alpha (&report->direction);
  text = g_strdup_printf (_("%u disputed of %u judged items\nKrippendorff’s α, preference: %s\n"
                            "α, direction A/tie/B: %s"),
                          self->disputes->len, report->n_items, preference, direction);
  gtk_label_set_text (self->agreement_label, text);
}

static void
on_snapshot_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RoundsReviewPage *self = user_data;
  g_autoptr(RoundsReviewSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  /* Cancelled when a newer load replaced this one or the page went away: then @self may be
   * gone, so it is not touched. */
  snapshot = rounds_review_load_snapshot_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (snapshot == NULL)
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  g_clear_pointer (&self->disputes, g_ptr_array_unref);
  g_clear_pointer (&self->all_judgements, g_ptr_array_unref);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  g_clear_object (&self->item);
  self->disputes = g_steal_pointer (&snapshot->disputes);
  self->all_judgements = g_steal_pointer (&snapshot->items);
  fill_queue (self);
  show_agreement (self, snapshot);
  if ((n = rounds_review_page_get_n_items (self)) > 0)
    rounds_review_page_select (self, MIN (self->select_when_loaded, n - 1));
}

/* Reads the queue again in a thread, then selects the item at @position (or the last). The
 * page shows what it had until then. */
static void
reload (RoundsReviewPage *self,
        guint             position)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->select_when_loaded = position;
  rounds_review_load_snapshot_async (rounds_store_get_path (self->store),
                                     rounds_dataset_get_id (self->dataset),
                                     ROUNDS_DISPUTE_FILTER_DISPUTED, self->cancellable,
                                     on_snapshot_loaded, self);
}

/**
 * rounds_review_page_load:
 *
 * Shows the review of @dataset, empty until its queue is read (see
 * rounds_review_page_get_loading());
 * then the first item is selected.
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
  g_clear_pointer (&self->disputes, g_ptr_array_unref);
  g_clear_pointer (&self->all_judgements, g_ptr_array_unref);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  g_clear_object (&self->item);
  self->disputes = g_ptr_array_new ();
  fill_queue (self);
  gtk_label_set_text (self->agreement_label, "");
  reload (self, 0);
  return TRUE;
}

/* Whether the queue is being read; the page shows it once this turns %FALSE. */
gboolean
rounds_review_page_get_loading (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

guint
rounds_review_page_get_n_items (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), 0);
  return self->disputes ? self->disputes->len : 0;
}

RoundsItem *
rounds_review_page_get_item (RoundsReviewPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), NULL);
  return self->item;
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
  GtkListBoxRow *row;

  g_return_val_if_fail (ROUNDS_IS_REVIEW_PAGE (self), FALSE);
  if (!(row = gtk_list_box_get_row_at_index (self->queue_list, position)))
    return FALSE;
  gtk_list_box_select_row (self->queue_list, row);
  return TRUE;
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
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry), rationale);
}

static void
save_verdict_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  RoundsReviewPage *self = ROUNDS_REVIEW_PAGE (widget);
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;
  guint n;

  if (self->item == NULL)
    return;
  n = rounds_item_get_n_responses (self->item);
  verdict = rounds_verdict_new (n);
  verdict->rationale = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rationale_entry)));
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

  if (!rounds_store_save_verdict (self->store, self->item,
                                  rounds_profile_get_user_name (self->reviewer), verdict, &error))
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }
  _rounds_widget_toast (GTK_WIDGET (self), _("Verdict recorded"));

  /* Refresh the queue, then move on to the next item. */
  row = gtk_list_box_get_selected_row (self->queue_list);
  n = row ? (guint) gtk_list_box_row_get_index (row) : 0;
  reload (self, n + 1);
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

/* Enter in the rationale records the verdict (as Ctrl+Enter does anywhere on the page). */
static void
on_rationale_activate (RoundsReviewPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "review.save-verdict", NULL);
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
  _rounds_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_REVIEW_PAGE);
  g_clear_object (&self->item);
  g_clear_object (&self->dataset);
  g_clear_object (&self->reviewer);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_clear_pointer (&self->guardian, g_ptr_array_unref);
  g_clear_pointer (&self->all_judgements, g_ptr_array_unref);
  g_clear_pointer (&self->disputes, g_ptr_array_unref);
  g_clear_pointer (&self->rank_dropdowns, g_ptr_array_unref);
  g_clear_pointer (&self->order, g_free);

  G_OBJECT_CLASS (rounds_review_page_parent_class)->dispose (object);
}

static void
rounds_review_page_class_init (RoundsReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ROUNDS_TYPE_RUBRIC_GRID);
  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-review-page.ui");
  object_class->dispose = rounds_review_page_dispose;

  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, queue_list);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, agreement_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, item_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rules_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, scenario);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, responses_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, names_toggle);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, models_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, judgements_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rubric_grid);
  gtk_widget_class_bind_template_child (widget_class, RoundsReviewPage, rationale_entry);

  gtk_widget_class_install_action (widget_class, "review.save-verdict", NULL,
                                   save_verdict_activated);
  gtk_widget_class_install_action (widget_class, "review.send-back", NULL, send_back_activated);
}

static void
rounds_review_page_init (RoundsReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rank_dropdowns = g_ptr_array_new ();
  g_signal_connect (self->queue_list, "row-selected", G_CALLBACK (on_row_selected), self);
  g_signal_connect_swapped (self->names_toggle, "toggled", G_CALLBACK (on_names_toggled), self);
  g_signal_connect_swapped (self->models_button, "clicked", G_CALLBACK (on_models_clicked), self);
  g_signal_connect_swapped (self->rationale_entry, "activate", G_CALLBACK (on_rationale_activate),
                            self);
  _rounds_page_leave_text_on_escape (GTK_WIDGET (self), GTK_WIDGET (self->scenario));
}
