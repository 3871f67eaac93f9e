/* rounds-compare-page.c: one item, its responses side by side, and the judgement of them
 *
 * The page edits the judgement it is given as the person works; the window stores it (as a
 * draft or submitted) and decides what comes next. Responses appear in the order this
 * annotator was shown; the judgement is kept in the canonical order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-compare-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-compare-page.h"
#include "rounds-markdown.h"
#include "rounds-preference-scale.h"
#include "rounds-response-card.h"
#include "rounds-rubric-grid.h"
#include "rounds-widget-util-private.h"

struct _RoundsComparePage
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkScrolledWindow     *compare_scroller;
  GtkLabel              *item_title;
  GtkLabel              *item_meta;
  GtkLabel              *progress_label;
  GtkMenuButton         *instructions_button;
  RoundsMarkdownView    *instructions_view;
  RoundsMarkdownView    *scenario;
  GtkBox                *responses_box;
  RoundsPreferenceScale *preference_scale;
  GtkLabel              *rubric_heading;
  RoundsRubricGrid      *rubric_grid;
  GtkTextView           *comment_view;
  GtkLabel              *status_label;
  GtkWidget             *guardian_box;
  GtkLabel              *guardian_title;
  GtkLabel              *guardian_text;

  /* Owned */
  RoundsDataset         *dataset;
  RoundsItem            *item;
  RoundsJudgement       *judgement;
  guint                 *order;      /* screen position → canonical response */
  GPtrArray             *cards;      /* RoundsResponseCard, screen order */
  char                  *comment;    /* as typed */
  guint                  current;    /* the screen position the response keys act on */
  gboolean               showing;    /* while an item is put on the page: no "changed" */
};

G_DEFINE_FINAL_TYPE (RoundsComparePage, rounds_compare_page, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
screen_to_canonical_preference (RoundsComparePage *self,
                                int                screen)
{
  /* Negative on screen means the left response (A) is better; stored, negative means the
   * first canonical response is better. */
  return self->order[0] == 0 ? screen : -screen;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* What is missing, as the clinician sees it: a criterion by its name, a response by its
 * label on screen (the judgement's own message knows only ids and the canonical order). */
static char *
describe_missing (RoundsComparePage *self,
                  RoundsRequire      required)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);

  if ((required & ROUNDS_REQUIRE_PREFERENCE) && !rounds_judgement_has_verdict (self->judgement))
    return NULL;
  if (required & ROUNDS_REQUIRE_RUBRIC)
    for (guint c = 0; c < self->judgement->n_criteria; c++)
      for (guint position = 0; position < n; position++)
        if (*rounds_judgement_score (self->judgement, self->order[position], c) < 0)
          {
            g_autofree char *response = _rounds_response_label (position);

            /* TRANSLATORS: the first %s is a rubric criterion, the second "Response A"… */
            return g_strdup_printf (_("Score every rubric criterion for every response "
                                      "(“%s” of %s is missing)"),
                                    rounds_rubric_get_criterion (rubric, c)->name, response);
          }
  if ((required & ROUNDS_REQUIRE_COMMENT) && is_blank (self->comment))
    return NULL;
  if (required & ROUNDS_REQUIRE_NOTES)
    for (guint position = 0; position < n; position++)
      {
        const char *note = self->judgement->notes[self->order[position]];

        if (note == NULL || *note == '\0')
          {
            g_autofree char *response = _rounds_response_label (position);

            /* TRANSLATORS: %s is "Response A"… */
            return g_strdup_printf (_("Write a note on %s"), response);
          }
      }
  return NULL;
}

static void
update_status (RoundsComparePage *self)
{
  g_autoptr(GError) error = NULL;
  RoundsRequire required;

  if (self->judgement == NULL)
    return;
  required = rounds_dataset_get_required (self->dataset);
  if (rounds_judgement_check_complete (self->judgement, required, &error))
    gtk_label_set_text (self->status_label, _("Ready to submit (Ctrl+Enter)"));
  else
    {
      g_autofree char *missing = describe_missing (self, required);

      gtk_label_set_text (self->status_label, missing ? missing : error->message);
    }
  if (!self->showing)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
sync_preference_toggles (RoundsComparePage *self)
{
  /* The canonical preference seen from the screen: the mapping is its own inverse. */
  rounds_preference_scale_show_choice (self->preference_scale, self->judgement->has_preference,
                                       screen_to_canonical_preference (self,
                                                                       self->judgement->preference),
                                       self->judgement->unacceptable);
  update_status (self);
}

static void
set_preference (RoundsComparePage *self,
                int                screen)
{
  self->judgement->unacceptable = FALSE;
  self->judgement->has_preference = TRUE;
  self->judgement->preference = screen_to_canonical_preference (self, screen);
  sync_preference_toggles (self);
}

static void
on_preference_clicked (RoundsComparePage *self,
                       int                screen)
{
  if (self->judgement != NULL)
    set_preference (self, screen);
}

static void
on_unacceptable_clicked (RoundsComparePage *self)
{
  rounds_compare_page_toggle_unacceptable (self);
}

static void
on_rank_changed (RoundsComparePage *self,
                 guint              position,
                 int                rank)
{
  if (self->judgement == NULL)
    return;
  self->judgement->ranks[self->order[position]] = rank;
  update_status (self);
}

static void
on_score_changed (RoundsComparePage *self,
                  guint              response,
                  guint              criterion,
                  int                score)
{
  if (self->judgement == NULL)
    return;
  *rounds_judgement_score (self->judgement, response, criterion) = score;
  update_status (self);
}

/* A card's flags and note, on screen, go to its response's in the judgement. */
static void
on_card_changed (RoundsResponseCard *card,
                 RoundsComparePage  *self)
{
  const char *text = rounds_response_card_get_note (card);
  guint position, index;

  if (self->judgement == NULL || !g_ptr_array_find (self->cards, card, &position))
    return;
  index = self->order[position];
  self->judgement->flags[index] = rounds_response_card_get_flags (card);
  g_free (self->judgement->notes[index]);
  self->judgement->notes[index] = *text ? g_strdup (text) : NULL;
  update_status (self);
}

static void
on_comment_changed (RoundsComparePage *self)
{
  g_free (self->comment);
  self->comment = _rounds_text_view_get_text (self->comment_view);
  if (self->judgement == NULL)
    return;
  g_free (self->judgement->comment);
  self->judgement->comment = *self->comment ? g_strdup (self->comment) : NULL;
  update_status (self);
}

/* The response that the response keys (flags, R) act on, marked on screen. */
static void
set_current (RoundsComparePage *self,
             guint              position)
{
  if (position >= self->cards->len)
    return;
  self->current = position;
  for (guint i = 0; i < self->cards->len; i++)
    rounds_response_card_set_current (self->cards->pdata[i], i == position);
}

/* Where the focus is decides the current response: in a card, or on a score of its column. */
static gboolean
on_key_capture (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                RoundsComparePage     *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  guint position, criterion;

  if (focus == NULL)
    return GDK_EVENT_PROPAGATE;
  if (rounds_rubric_grid_get_focus_cell (self->rubric_grid, &position, &criterion))
    set_current (self, position);
  for (guint i = 0; i < self->cards->len; i++)
    if (gtk_widget_is_ancestor (focus, self->cards->pdata[i]))
      set_current (self, i);
  return GDK_EVENT_PROPAGATE;
}

void
rounds_compare_page_clear (RoundsComparePage *self)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));

  g_clear_object (&self->item);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->judgement, rounds_judgement_free);
  g_clear_pointer (&self->order, g_free);
  g_ptr_array_set_size (self->cards, 0);
  _rounds_widget_remove_children (GTK_WIDGET (self->responses_box));
  rounds_preference_scale_clear (self->preference_scale);
  rounds_rubric_grid_clear (self->rubric_grid);
  _rounds_text_view_set_text (self->comment_view, NULL);
  gtk_label_set_text (self->status_label, "");
  rounds_compare_page_set_guardian (self, NULL);
  gtk_label_set_text (self->progress_label, "");
  self->current = 0;
}

static void
build_responses (RoundsComparePage *self)
{
  guint n = rounds_item_get_n_responses (self->item);

  for (guint position = 0; position < n; position++)
    {
      guint index = self->order[position];
      GtkWidget *card = rounds_response_card_new (position,
                                                  rounds_item_get_response_text (self->item, index),
                                                  self->judgement->flags[index],
                                                  self->judgement->notes[index]);

      g_signal_connect (card, "changed", G_CALLBACK (on_card_changed), self);
      g_ptr_array_add (self->cards, card);
      gtk_box_append (self->responses_box, card);
    }
}

static void
build_preference (RoundsComparePage *self)
{
  guint n = rounds_item_get_n_responses (self->item);

  if (n == 2)
    {
      rounds_preference_scale_set_pair (self->preference_scale,
                                        rounds_dataset_get_scale_k (self->dataset));
      sync_preference_toggles (self);
      return;
    }
  rounds_preference_scale_set_ranking (self->preference_scale, n);
  for (guint position = 0; position < n; position++)
    rounds_preference_scale_set_rank (self->preference_scale, position,
                                      self->judgement->ranks[self->order[position]]);
}

static void
build_rubric (RoundsComparePage *self)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  int min = n_criteria > 0 ? rounds_rubric_get_criterion (rubric, 0)->min : 1;
  int max = n_criteria > 0 ? rounds_rubric_get_criterion (rubric, 0)->max : 5;
  g_autofree char *heading = NULL;

  /* The heading names the range when every criterion shares one other than 1–5. */
  for (guint c = 1; c < n_criteria; c++)
    if (rounds_rubric_get_criterion (rubric, c)->min != min ||
        rounds_rubric_get_criterion (rubric, c)->max != max)
      min = 1, max = 5;
  if (min == 1 && max == 5)
    heading = g_strdup (_("Rubric: score each response from 1 (poor) to 5 (excellent)"));
  else
    /* TRANSLATORS: the heading of the rubric when its scores run from %d to %d */
    heading = g_strdup_printf (_("Rubric: score each response from %d (poor) to %d (excellent)"),
                               min, max);
  gtk_label_set_text (self->rubric_heading, heading);

  rounds_rubric_grid_set_rubric (self->rubric_grid, rubric, n, self->order);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n_criteria; c++)
      rounds_rubric_grid_set_score (self->rubric_grid, r, c,
                                    *rounds_judgement_score (self->judgement, r, c));
}

/* @judgement (transfer full): what has been done so far; @order: screen position →
 * canonical response, as this annotator is shown the item. */
void
rounds_compare_page_show (RoundsComparePage *self,
                          RoundsDataset     *dataset,
                          RoundsItem        *item,
                          RoundsJudgement   *judgement,
                          const guint       *order)
{
  guint n = rounds_item_get_n_responses (item);
  g_autofree char *meta = NULL;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));

  rounds_compare_page_clear (self);
  self->showing = TRUE;
  self->dataset = g_object_ref (dataset);
  self->item = g_object_ref (item);
  self->order = g_memdup2 (order, n * sizeof (guint));
  self->judgement = judgement;
  memcpy (self->judgement->shown_order, self->order, n * sizeof (guint));

  gtk_label_set_text (self->item_title, rounds_item_get_title (item) ? rounds_item_get_title (item)
                                                                     : rounds_item_get_key (item));
  meta = g_strjoin (" · ",
                    rounds_item_get_specialty (item) ? rounds_item_get_specialty (item)
                                                     : _("General"),
                    rounds_item_get_language (item) ? rounds_item_get_language (item) : "",
                    rounds_item_get_key (item), NULL);
  gtk_label_set_text (self->item_meta, meta);
  rounds_markdown_view_set_markdown (self->scenario, rounds_item_get_scenario (item));
  rounds_markdown_view_set_markdown (self->instructions_view,
                                     rounds_dataset_get_instructions (dataset));
  gtk_widget_set_visible (GTK_WIDGET (self->instructions_button),
                          rounds_dataset_get_instructions (dataset) != NULL &&
                          *rounds_dataset_get_instructions (dataset) != '\0');
  build_responses (self);
  set_current (self, 0);
  build_preference (self);
  build_rubric (self);
  /* The comment field tells the judgement as it changes; this one is the judgement's own. */
  {
    g_autofree char *comment = g_strdup (self->judgement->comment);

    _rounds_text_view_set_text (self->comment_view, comment);
  }
  update_status (self);
  self->showing = FALSE;
}

/* "Item @n of @total": this annotator's place in the dataset. */
void
rounds_compare_page_set_progress (RoundsComparePage *self,
                                  guint              n,
                                  guint              total)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (total > 0)
    /* TRANSLATORS: the annotator's progress on the compare page */
    text = g_strdup_printf (_("Item %u of %u"), n, total);
  gtk_label_set_text (self->progress_label, text ? text : "");
}

gboolean
rounds_compare_page_get_instructions_shown (RoundsComparePage *self)
{
  GtkPopover *popover;

  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), FALSE);
  popover = gtk_menu_button_get_popover (self->instructions_button);
  return popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover));
}

/* One guardian judgement as this annotator sees the item: responses by their screen
 * letters, the preference turned to the screen's order. */
static void
append_guardian (RoundsComparePage     *self,
                 const RoundsJudgement *j,
                 GString               *text)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n = rounds_item_get_n_responses (self->item);

  if (n == 2 && j->has_preference)
    {
      int screen = screen_to_canonical_preference (self, j->preference);
      g_autofree char *better = _rounds_response_label (screen < 0 ? 0 : 1);

      if (screen == 0)
        g_string_append (text, _("Preference: a tie"));
      else
        /* TRANSLATORS: "Preference: Response A (2 of 2)": how strongly, on the scale */
        g_string_append_printf (text, _("Preference: %s (%d of %d)"), better, ABS (screen),
                                rounds_dataset_get_scale_k (self->dataset));
    }
  else if (n > 2)
    {
      g_autoptr(GString) ranks = g_string_new (NULL);

      for (guint position = 0; position < n; position++)
        {
          g_autofree char *name = _rounds_response_label (position);

          g_string_append_printf (ranks, "%s%s %d", position > 0 ? " " : "", name,
                                  j->ranks[self->order[position]]);
        }
      /* TRANSLATORS: %s is each response's rank, e.g. "Response A 2 Response B 1" */
      g_string_append_printf (text, _("Ranking: %s"), ranks->str);
    }
  g_string_append_c (text, '\n');

  for (guint position = 0; position < n; position++)
    {
      guint r = self->order[position];
      g_autofree char *name = _rounds_response_label (position);

      g_autoptr(GString) parts = g_string_new (NULL);

      for (guint c = 0; c < j->n_criteria && c < rounds_rubric_get_n_criteria (rubric); c++)
        if (j->scores[r * j->n_criteria + c] >= 0)
          g_string_append_printf (parts, "%s%s %d", parts->len ? ", " : "",
                                  rounds_rubric_get_criterion (rubric, c)->name,
                                  j->scores[r * j->n_criteria + c]);
      for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
        if (j->flags[r] & (1u << f))
          g_string_append_printf (parts, "%s%s", parts->len ? " · " : "",
                                  rounds_flag_get_label (1u << f));
      if (j->notes[r] != NULL && *j->notes[r] != '\0')
        g_string_append_printf (parts, "%s%s", parts->len ? " — " : "", j->notes[r]);
      g_string_append_printf (text, "%s: %s\n", name, parts->str);
    }
  if (j->comment != NULL && *j->comment != '\0')
    /* TRANSLATORS: the guardian was shown the responses in their stored order, so letters in
     * its own words may not be the ones on this screen */
    g_string_append_printf (text, _("In its words (its letters are the stored order): %s\n"),
                            j->comment);
}

/**
 * rounds_compare_page_set_guardian:
 * @judgements: (nullable) (element-type RoundsJudgement): the guardian's judgements of the
 *   item on the page, as rounds_store_reveal_guardian() gave them, or %NULL to hide them
 *
 * Shows what the guardian, a machine evaluator, made of the item: only ever after the
 * person has submitted their own judgement of it (the store decides; see
 * rounds_store_reveal_guardian()).
 */
void
rounds_compare_page_set_guardian (RoundsComparePage *self,
                                  GPtrArray         *judgements)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));

  if (judgements == NULL || judgements->len == 0 || self->item == NULL)
    {
      gtk_widget_set_visible (self->guardian_box, FALSE);
      gtk_label_set_text (self->guardian_text, "");
      return;
    }
  for (guint i = 0; i < judgements->len; i++)
    {
      const RoundsJudgement *j = g_ptr_array_index (judgements, i);

      g_string_append_printf (names, "%s%s", i ? ", " : "", j->annotator);
      append_guardian (self, j, text);
    }
  g_strchomp (text->str);
  /* TRANSLATORS: %s is "guardian:<model>", a machine evaluator */
  title = g_strdup_printf (_("The guardian’s assessment (%s, a machine), shown now that yours "
                             "is submitted"), names->str);
  gtk_label_set_text (self->guardian_title, title);
  gtk_label_set_text (self->guardian_text, text->str);
  gtk_widget_set_visible (self->guardian_box, TRUE);
}

/* Whether the guardian's assessment is on the page. */
gboolean
rounds_compare_page_get_guardian_visible (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), FALSE);

  return gtk_widget_get_visible (self->guardian_box);
}

/* A new item is read from the top: the scenario in view and with the focus, so that the
 * page's keys (1–5, U) work and nothing typed lands in the comment of the item before. */
void
rounds_compare_page_focus_scenario (RoundsComparePage *self)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->compare_scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->scenario));
}

RoundsItem *
rounds_compare_page_get_item (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), NULL);
  return self->item;
}

RoundsJudgement *
rounds_compare_page_get_judgement (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), NULL);
  return self->judgement;
}

const char *
rounds_compare_page_get_comment (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), NULL);
  return self->comment ? self->comment : "";
}

void
rounds_compare_page_set_status (RoundsComparePage *self,
                                const char        *status)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  gtk_label_set_text (self->status_label, status);
}

/* Responses one above the other (a narrow window), or side by side (see
 * _rounds_responses_set_stacked()). */
void
rounds_compare_page_set_stacked (RoundsComparePage *self,
                                 gboolean           stacked)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  _rounds_responses_set_stacked (self->responses_box, stacked);
}

gboolean
rounds_compare_page_get_stacked (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), FALSE);
  return _rounds_responses_get_stacked (self->responses_box);
}

/* @key: 1 to 2k + 1, as on the keyboard, for two responses. */
void
rounds_compare_page_prefer (RoundsComparePage *self,
                            int                key)
{
  int k;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item == NULL)
    return;
  /* More than two responses: the digit is the rank of the current response, and the next
   * response becomes current, so that "2 1 3" ranks A, B and C. */
  if (rounds_preference_scale_is_ranking (self->preference_scale))
    {
      guint n = rounds_item_get_n_responses (self->item);

      if (key < 1 || (guint) key > n)
        return;
      rounds_compare_page_rank (self, (int) self->current, key);
      set_current (self, (self->current + 1) % n);
      return;
    }
  if (!rounds_preference_scale_is_pair (self->preference_scale))
    return;
  k = rounds_dataset_get_scale_k (self->dataset);
  if (key < 1 || key > 2 * k + 1)
    return;
  set_preference (self, key - k - 1);
}

void
rounds_compare_page_toggle_unacceptable (RoundsComparePage *self)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item == NULL || !rounds_preference_scale_is_pair (self->preference_scale))
    return;
  self->judgement->unacceptable = !self->judgement->unacceptable;
  sync_preference_toggles (self);
}

/* A rubric score of the response at a screen position; a score below the criterion's
 * minimum clears it, one above its maximum is ignored. The drop-down follows, and says so. */
void
rounds_compare_page_score (RoundsComparePage *self,
                           int                position,
                           const char        *criterion_id,
                           int                score)
{
  RoundsRubric *rubric;
  int criterion;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item == NULL || position < 0 ||
      (guint) position >= rounds_item_get_n_responses (self->item))
    return;
  rubric = rounds_dataset_get_rubric (self->dataset);
  if ((criterion = rounds_rubric_find (rubric, criterion_id)) < 0 ||
      score > rounds_rubric_get_criterion (rubric, criterion)->max)
    return;
  rounds_rubric_grid_set_score (self->rubric_grid, self->order[position], (guint) criterion, score);
}

/* The rank of the response at a screen position, 1 the best; equal ranks are ties, 0 clears
 * it. */
void
rounds_compare_page_rank (RoundsComparePage *self,
                          int                position,
                          int                rank)
{
  guint n;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item == NULL || !rounds_preference_scale_is_ranking (self->preference_scale))
    return;
  n = rounds_item_get_n_responses (self->item);
  if (position < 0 || (guint) position >= n || rank < 0 || (guint) rank > n)
    return;
  self->judgement->ranks[self->order[position]] = rank;
  rounds_preference_scale_set_rank (self->preference_scale, (guint) position, rank);
  update_status (self);
}

/* A flag of the response at a screen position. */
void
rounds_compare_page_toggle_flag (RoundsComparePage *self,
                                 int                position,
                                 const char        *flag_name)
{
  RoundsFlags flag = rounds_flag_from_string (flag_name);
  RoundsResponseCard *card;

  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item == NULL || flag == ROUNDS_FLAG_NONE ||
      position < 0 || (guint) position >= rounds_item_get_n_responses (self->item))
    return;
  /* The toggle button follows, and the card tells the judgement. */
  card = self->cards->pdata[position];
  rounds_response_card_set_flags (card, rounds_response_card_get_flags (card) ^ flag);
  update_status (self);
}

/* The response the response keys act on, by screen position (A is 0). */
void
rounds_compare_page_select_response (RoundsComparePage *self,
                                     int                position)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item != NULL && position >= 0)
    set_current (self, (guint) position);
}

int
rounds_compare_page_get_current_response (RoundsComparePage *self)
{
  g_return_val_if_fail (ROUNDS_IS_COMPARE_PAGE (self), -1);
  return self->item != NULL ? (int) self->current : -1;
}

/* A flag of the current response. */
void
rounds_compare_page_toggle_current_flag (RoundsComparePage *self,
                                         const char        *flag_name)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  rounds_compare_page_toggle_flag (self, (int) self->current, flag_name);
}

/* The focus on the rubric: the current response's first criterion not yet scored. */
void
rounds_compare_page_focus_rubric (RoundsComparePage *self)
{
  g_return_if_fail (ROUNDS_IS_COMPARE_PAGE (self));
  if (self->item != NULL)
    rounds_rubric_grid_focus_cell (self->rubric_grid, self->current, -1);
}

static void
rounds_compare_page_dispose (GObject *object)
{
  RoundsComparePage *self = ROUNDS_COMPARE_PAGE (object);

  /* Dispose may run twice; the template widgets are gone the second time. */
  if (self->responses_box != NULL)
    rounds_compare_page_clear (self);
  _rounds_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_COMPARE_PAGE);

  G_OBJECT_CLASS (rounds_compare_page_parent_class)->dispose (object);
}

static void
rounds_compare_page_finalize (GObject *object)
{
  RoundsComparePage *self = ROUNDS_COMPARE_PAGE (object);

  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->comment, g_free);

  G_OBJECT_CLASS (rounds_compare_page_parent_class)->finalize (object);
}

static void
rounds_compare_page_class_init (RoundsComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ROUNDS_TYPE_PREFERENCE_SCALE);
  g_type_ensure (ROUNDS_TYPE_RUBRIC_GRID);
  g_type_ensure (ROUNDS_TYPE_MARKDOWN_VIEW);
  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-compare-page.ui");
  object_class->dispose = rounds_compare_page_dispose;
  object_class->finalize = rounds_compare_page_finalize;

  /**
   * RoundsComparePage::changed:
   *
   * The judgement on the page changed (a choice, a score, a flag, a note or the comment).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, compare_scroller);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, item_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, item_meta);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, instructions_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, instructions_view);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, scenario);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, responses_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, preference_scale);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, rubric_heading);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, rubric_grid);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, comment_view);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, guardian_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, guardian_title);
  gtk_widget_class_bind_template_child (widget_class, RoundsComparePage, guardian_text);
  gtk_widget_class_bind_template_callback (widget_class, on_preference_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unacceptable_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_rank_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_score_changed);
}

static void
rounds_compare_page_init (RoundsComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cards = g_ptr_array_new ();
  gtk_label_set_max_width_chars (rounds_markdown_view_get_label (self->scenario), 90);
  _rounds_page_leave_text_on_escape (GTK_WIDGET (self),
                                     GTK_WIDGET (rounds_markdown_view_get_label (self->scenario)));
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->comment_view), "changed",
                            G_CALLBACK (on_comment_changed), self);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_capture), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
}
