/* rounds-review-page.c: the ethics reviewer's page: disputed items, every side, a verdict
 *
 * The queue lists the disputed items of a dataset, most severe first (safety flags, then
 * opposite directions, then spread). An item shows its responses in canonical order and
 * every current judgement with the order its annotator saw; names are hidden until asked
 * for, and model names are revealed only on request, which the audit log records. The queue,
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
  GPtrArray        *all_judgements;  /* RoundsItemJudgements */
  GtkWidget        *preference_dropdown;
  GPtrArray        *rank_dropdowns;
  gboolean          models_shown;
  GCancellable     *cancellable;     /* of the load in flight, %NULL when none is */
  guint             select_when_loaded;
};

G_DEFINE_FINAL_TYPE (RoundsReviewPage, rounds_review_page, GTK_TYPE_WIDGET)

static char *
rules_text (RoundsDisputeRules rules)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (RoundsDisputeRules rule = ROUNDS_DISPUTE_UNSAFE; rule <= ROUNDS_DISPUTE_RUBRIC; rule <<= 1)
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

  if (j->unacceptable)
    g_string_append (text, _("All unacceptable"));
  else if (j->has_preference)
    g_string_append (text, rounds_preference_get_label (j->preference, k));
  else if (j->ranks != NULL)
    {
      g_string_append (text, _("Ranks:"));
      for (guint r = 0; r < j->n_responses; r++)
        g_string_append_printf (text, " %c=%d", 'A' + r, j->ranks[r]);
    }

  g_string_append (text, "\n");
  g_string_append (text, _("Saw:"));
  for (guint p = 0; p < j->n_responses && j->shown_order != NULL; p++)
    g_string_append_printf (text, " %c", 'A' + j->shown_order[p]);
  g_string_append_printf (text, _(" · %.1f min"), j->time_spent_ms / 60000.0);

  for (guint r = 0; r < j->n_responses; r++)
    {
      g_string_append_printf (text, "\n%c:", 'A' + r);
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
show_judgements (RoundsReviewPage *self)
{
  _rounds_widget_remove_children (GTK_WIDGET (self->judgements_box));
  for (guint i = 0; self->judgements != NULL && i < self->judgements->len; i++)
    {
      const RoundsJudgement *j = self->judgements->pdata[i];
      g_autofree char *who = gtk_toggle_button_get_active (self->names_toggle)
                               ? g_strdup (j->annotator)
                               : g_strdup_printf (_("Annotator %u"), i + 1);
      g_autofree char *what = describe_judgement (self, j);
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s", who, what);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "card");
      gtk_widget_set_margin_bottom (label, 6);
      gtk_box_append (self->judgements_box, label);
    }
}

static void
show_responses (RoundsReviewPage *self)
{
  _rounds_widget_remove_children (GTK_WIDGET (self->responses_box));
  for (guint r = 0; r < rounds_item_get_n_responses (self->item); r++)
    {
      g_autofree char *name = _rounds_response_label (r);
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
  rounds_rubric_grid_set_rubric (self->rubric_grid, rubric, n, NULL);
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

static void
build_verdict_controls (RoundsReviewPage *self)
{
  guint n = rounds_item_get_n_responses (self->item);
  g_autoptr(RoundsVerdict) current = rounds_store_get_verdict (self->store, self->item, NULL);

  _rounds_widget_remove_children (GTK_WIDGET (self->verdict_box));
  self->preference_dropdown = NULL;
  g_ptr_array_set_size (self->rank_dropdowns, 0);
  build_rubric_controls (self, current);

  if (n == 2)
    {
      int k = rounds_dataset_get_scale_k (self->dataset);
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

      for (int p = -k; p <= k; p++)
        g_ptr_array_add (labels, g_strdup (rounds_preference_get_label (p, k)));
      g_ptr_array_add (labels, g_strdup (_("Both unacceptable")));
      g_ptr_array_add (labels, NULL);
      self->preference_dropdown =
        gtk_drop_down_new_from_strings ((const char * const *) labels->pdata);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->preference_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Final preference"), -1);
      if (current != NULL)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preference_dropdown),
                                    current->unacceptable ? (guint) (2 * k + 1)
                                                          : (guint) (current->preference + k));
      else
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preference_dropdown), (guint) k);
      gtk_box_append (self->verdict_box, self->preference_dropdown);
      return;
    }

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *name = _rounds_response_label (r);
      g_autoptr(GPtrArray) ranks = g_ptr_array_new_with_free_func (g_free);
      GtkWidget *dropdown;

      for (guint rank = 1; rank <= n; rank++)
        g_ptr_array_add (ranks, g_strdup_printf ("%u", rank));
      g_ptr_array_add (ranks, NULL);
      dropdown = gtk_drop_down_new_from_strings ((const char * const *) ranks->pdata);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                                  current != NULL && current->ranks != NULL &&
                                  current->ranks[r] > 0 ? (guint) current->ranks[r] - 1 : r);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      gtk_box_append (self->verdict_box, gtk_label_new (name));
      gtk_box_append (self->verdict_box, dropdown);
      g_ptr_array_add (self->rank_dropdowns, dropdown);
    }
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
  self->models_shown = FALSE;
  if (!(self->item = rounds_store_get_item (self->store, dispute->item_id, &error)))
    {
      _rounds_widget_toast (GTK_WIDGET (self), error->message);
      return;
    }

  for (guint i = 0; self->all_judgements != NULL && i < self->all_judgements->len; i++)
    {
      RoundsItemJudgements *entry = self->all_judgements->pdata[i];

      if (entry->item_id == dispute->item_id)
        self->judgements = g_ptr_array_ref (entry->judgements);
    }

  heading = dispute->has_verdict ? g_strdup_printf (_("%s — verdict recorded"), rules)
                                 : g_strdup (rules);
  gtk_label_set_text (self->item_title, rounds_item_get_title (self->item)
                                          ? rounds_item_get_title (self->item)
                                          : rounds_item_get_key (self->item));
  gtk_label_set_text (self->rules_label, heading);
  gtk_label_set_text (self->scenario, rounds_item_get_scenario (self->item));
  gtk_editable_set_text (GTK_EDITABLE (self->rationale_entry), "");
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
                                (guint) (preference + rounds_dataset_get_scale_k (self->dataset)));
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

      if (selected == (guint) (2 * k + 1))
        verdict->unacceptable = TRUE;
      else
        {
          verdict->has_preference = TRUE;
          verdict->preference = (int) selected - k;
        }
    }
  else
    for (guint r = 0; r < n; r++)
      verdict->ranks[r] =
        (int) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->rank_dropdowns->pdata[r])) + 1;

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
  g_clear_pointer (&self->all_judgements, g_ptr_array_unref);
  g_clear_pointer (&self->disputes, g_ptr_array_unref);
  g_clear_pointer (&self->rank_dropdowns, g_ptr_array_unref);

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
}
