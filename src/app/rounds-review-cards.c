/* rounds-review-cards.c: an item's judgements on the review page: a card per annotator and
 * the rubric as a criteria × annotators table
 *
 * Everything is in this reviewer's letters: A is the response on the left of the page (or at
 * the top), whatever its canonical place. A card takes its natural height beside a longer one
 * (no blank gap at its foot), so that what each annotator said reads as a block of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review-cards"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-review-cards-private.h"

/* The screen position of canonical response @r (@r itself when it is not one). */
static guint
position_of (const RoundsReviewShown *self,
             guint                    r)
{
  for (guint p = 0; p < rounds_item_get_n_responses (self->item); p++)
    if (self->order[p] == r)
      return p;
  return r;
}

/* A two-response preference, canonical, as seen on a reviewer's screen whose order is
 * @order, or back: negative is the first response better either way, and the mapping is its
 * own inverse. */
int
_rounds_review_screen_preference (const guint *order,
                                  int          preference)
{
  return order[0] == 0 ? preference : -preference;
}

/* What @j chose, in this reviewer's letters. */
static char *
choice_text (const RoundsReviewShown *self,
             const RoundsJudgement   *j)
{
  int k = rounds_dataset_get_scale_k (self->dataset);

  if (j->unacceptable)
    return g_strdup (_("All unacceptable"));
  if (j->has_preference)
    return g_strdup (rounds_preference_get_label (_rounds_review_screen_preference
                                                    (self->order, j->preference), k));
  if (j->ranks != NULL)
    {
      g_autoptr(GString) ranks = g_string_new (NULL);

      for (guint p = 0; p < j->n_responses; p++)
        g_string_append_printf (ranks, "%s%c=%d", p > 0 ? " " : "", 'A' + p,
                                j->ranks[self->order[p]]);
      /* TRANSLATORS: %s is each response's rank, e.g. "A=1 B=3 C=2" */
      return g_strdup_printf (_("Ranks: %s"), ranks->str);
    }
  return g_strdup (_("No choice"));
}

/* The order @j's annotator saw the responses in and the time taken; then, per response, its
 * flags and notes, and the comment: what the criteria table does not show. */
static char *
details_text (const RoundsReviewShown *self,
              const RoundsJudgement   *j)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) seen = g_string_new (NULL);

  for (guint q = 0; q < j->n_responses && j->shown_order != NULL; q++)
    g_string_append_printf (seen, "%s%c", q > 0 ? " " : "",
                            'A' + position_of (self, j->shown_order[q]));
  /* TRANSLATORS: %s is the order an annotator saw the responses in, e.g. "B A" */
  g_string_append_printf (text, _("Saw: %s"), seen->str);
  g_string_append_printf (text, _(" · %.1f min"), j->time_spent_ms / 60000.0);

  for (guint p = 0; p < j->n_responses; p++)
    {
      guint r = self->order[p];
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
        if (j->flags != NULL && (j->flags[r] & (1u << f)))
          g_string_append_printf (line, " ⚑ %s", rounds_flag_get_label (1u << f));
      if (j->notes != NULL && j->notes[r] != NULL && *j->notes[r] != '\0')
        g_string_append_printf (line, " — %s", j->notes[r]);
      if (line->len == 0)
        continue;
      g_string_append_c (text, '\n');
      /* TRANSLATORS: a response's letter, then what an annotator flagged and noted of it,
       * e.g. "A: ⚑ Unsafe — the dose is wrong" */
      g_string_append_printf (text, _("%c: %s"), 'A' + p, line->str + 1);
    }
  if (j->comment != NULL && *j->comment != '\0')
    g_string_append_printf (text, "\n“%s”", j->comment);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Who made the @i-th judgement, as this page names them. */
static char *
annotator_name (const RoundsReviewShown *self,
                const RoundsJudgement   *j,
                guint                    i)
{
  return self->show_names ? g_strdup (j->annotator) : g_strdup_printf (_("Annotator %u"), i + 1);
}

static GtkWidget *
table_label (const char *text,
             float       xalign,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A label of the card, wrapped as its text needs, never narrower than 20 characters: the
 * flow box measures its cards down to their minimum width, and a wrapped label at a width of
 * one character is shaped once per line (half of a verdict's time at 20 000 items). Nor
 * wider than 40 by nature: a long comment on one line would be the natural width of a card,
 * and the flow box would then give every card a line of its own, however wide the window. */
static GtkWidget *
card_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = table_label (text, 0, css_class);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  return label;
}

/* One annotator's judgement of the item (@i-th of the people, or of the guardian when
 * @machine), as a padded card: who, what they chose, and what the criteria table leaves out.
 * Every part of a card is made here, and only here. It takes its natural height at the top
 * of its place: the flow box gives every card of a row the height of the tallest. */
GtkWidget *
_rounds_review_judgement_card_new (const RoundsReviewShown *self,
                                   const RoundsJudgement   *j,
                                   guint                    i,
                                   gboolean                 machine)
{
  g_autofree char *who = NULL;
  g_autofree char *choice = choice_text (self, j);
  g_autofree char *details = details_text (self, j);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name;

  if (machine)
    /* TRANSLATORS: %s is "guardian:<model>", a machine evaluator's judgement */
    who = g_strdup_printf (_("The guardian (%s, a machine; not counted)"), j->annotator);
  else
    who = annotator_name (self, j, i);
  name = card_label (who, "heading");
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "judgement-card");
  if (machine)
    gtk_widget_add_css_class (card, "guardian");
  gtk_widget_set_valign (card, GTK_ALIGN_START);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (card), header);
  gtk_box_append (GTK_BOX (card), card_label (choice, NULL));
  gtk_box_append (GTK_BOX (card), card_label (details, "dim-label"));
  return card;
}

/* The rubric scores of every judgement, criteria down and annotators across (a column per
 * response under each annotator, in this reviewer's letters), so that a score that differs
 * stands out; NULL when nobody scored anything. */
GtkWidget *
_rounds_review_criteria_table_new (const RoundsReviewShown *self)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (self->dataset);
  guint n_criteria = rounds_rubric_get_n_criteria (rubric);
  guint n = rounds_item_get_n_responses (self->item);
  /* The people, then the guardian, which the table labels as such (borrowed). */
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  guint n_people = self->judgements != NULL ? self->judgements->len : 0;
  GtkWidget *grid;
  gboolean any = FALSE;

  if (self->judgements != NULL)
    g_ptr_array_extend (columns, self->judgements, NULL, NULL);
  if (self->guardian != NULL)
    g_ptr_array_extend (columns, self->guardian, NULL, NULL);
  for (guint i = 0; i < columns->len; i++)
    {
      const RoundsJudgement *j = columns->pdata[i];

      for (guint s = 0; j->scores != NULL && s < j->n_responses * j->n_criteria; s++)
        any |= j->scores[s] >= 0;
    }
  if (!any)
    return NULL;

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "criteria-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rubric scores by criterion and annotator"), -1);
  for (guint c = 0; c < n_criteria; c++)
    gtk_grid_attach (GTK_GRID (grid),
                     table_label (rounds_rubric_get_criterion (rubric, c)->name, 0, NULL),
                     0, (int) c + 2, 1, 1);
  for (guint i = 0; i < columns->len; i++)
    {
      const RoundsJudgement *j = columns->pdata[i];
      /* TRANSLATORS: the column of the rubric table with the guardian's (a machine's) scores */
      g_autofree char *who = i < n_people ? annotator_name (self, j, i) : g_strdup (_("Guardian"));
      int column = 1 + (int) (i * n);

      gtk_grid_attach (GTK_GRID (grid), table_label (who, 0.5, "heading"), column, 0, (int) n, 1);
      for (guint p = 0; p < n; p++)
        {
          g_autofree char *letter = g_strdup_printf ("%c", 'A' + p);
          guint r = self->order[p];

          gtk_grid_attach (GTK_GRID (grid), table_label (letter, 0.5, "dim-label"),
                           column + (int) p, 1, 1, 1);
          for (guint c = 0; c < n_criteria; c++)
            {
              int score = c < j->n_criteria && r < j->n_responses
                            ? j->scores[r * j->n_criteria + c] : -1;
              g_autofree char *text = score >= 0 ? g_strdup_printf ("%d", score) : g_strdup ("–");

              gtk_grid_attach (GTK_GRID (grid), table_label (text, 0.5, "numeric"),
                               column + (int) p, (int) c + 2, 1, 1);
            }
        }
    }
  return grid;
}
