/* rounds-preference-scale.c: which response is better, or a ranking of more than two
 *
 * Two responses: a toggle for each point of the dataset's scale, negative meaning the left
 * response (A) is better, and one for "both unacceptable". More: a rank for each response,
 * 1 the best, equal ranks for ties. Everything here is in screen positions; the page that
 * holds the scale turns them into the canonical order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-preference-scale"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-judgement.h"
#include "rounds-preference-scale.h"
#include "rounds-widget-util-private.h"

struct _RoundsPreferenceScale
{
  GtkBox      parent_instance;

  /* Template widgets */
  GtkLabel   *heading;
  GtkFlowBox *buttons;

  /* Owned */
  int         k;
  GPtrArray  *toggles;     /* GtkToggleButton, screen order, the last "both unacceptable" */
  GPtrArray  *dropdowns;   /* GtkDropDown, screen order, for more than two responses */
};

G_DEFINE_FINAL_TYPE (RoundsPreferenceScale, rounds_preference_scale, GTK_TYPE_BOX)

enum {
  PREFERENCE_CLICKED,
  UNACCEPTABLE_CLICKED,
  RANK_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
rounds_preference_scale_clear (RoundsPreferenceScale *self)
{
  g_return_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self));

  g_ptr_array_set_size (self->toggles, 0);
  g_ptr_array_set_size (self->dropdowns, 0);
  _rounds_widget_remove_children (GTK_WIDGET (self->buttons));
}

/* The flow box's own child only places @widget: the focus goes straight to @widget. */
static void
append_button (RoundsPreferenceScale *self,
               GtkWidget             *widget)
{
  gtk_flow_box_append (self->buttons, widget);
  gtk_widget_set_focusable (gtk_widget_get_parent (widget), FALSE);
}

static void
on_preference_clicked (GtkButton             *button,
                       RoundsPreferenceScale *self)
{
  guint index;

  if (!g_ptr_array_find (self->toggles, button, &index))
    return;
  if (index == self->toggles->len - 1)
    g_signal_emit (self, signals[UNACCEPTABLE_CLICKED], 0);
  else
    g_signal_emit (self, signals[PREFERENCE_CLICKED], 0, (int) index - self->k);
}

/* Two responses on a scale of 2 @k + 1 points. */
void
rounds_preference_scale_set_pair (RoundsPreferenceScale *self,
                                  int                    k)
{
  g_return_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self));

  rounds_preference_scale_clear (self);
  self->k = k;
  gtk_label_set_text (self->heading,
                      _("Which response is better? (keys 1–5; 0 or U: both unacceptable)"));

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
      append_button (self, toggle);
      g_ptr_array_add (self->toggles, toggle);
    }
}

static void
on_rank_selected (GtkDropDown           *dropdown,
                  GParamSpec            *pspec,
                  RoundsPreferenceScale *self)
{
  guint position;
  guint selected;

  if (!g_ptr_array_find (self->dropdowns, dropdown, &position))
    return;
  selected = gtk_drop_down_get_selected (dropdown);
  /* Item 0 is "–", not ranked; equal ranks are ties. */
  g_signal_emit (self, signals[RANK_CHANGED], 0, position, (int) selected);
}

/* More than two responses: a rank for each, 1 the best, equal ranks for ties. */
void
rounds_preference_scale_set_ranking (RoundsPreferenceScale *self,
                                     guint                  n)
{
  g_autoptr(GPtrArray) ranks = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self));

  rounds_preference_scale_clear (self);
  gtk_label_set_text (self->heading,
                      _("Rank the responses: 1 is the best; give equal ranks for a tie"));
  g_ptr_array_add (ranks, g_strdup ("–"));
  for (guint r = 1; r <= n; r++)
    g_ptr_array_add (ranks, g_strdup_printf ("%u", r));
  g_ptr_array_add (ranks, NULL);

  for (guint position = 0; position < n; position++)
    {
      g_autofree char *label = _rounds_response_label (position);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *dropdown = gtk_drop_down_new_from_strings ((const char * const *) ranks->pdata);

      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_rank_selected), self);
      _rounds_drop_down_take_digits (dropdown);
      gtk_box_append (GTK_BOX (box), gtk_label_new (label));
      gtk_box_append (GTK_BOX (box), dropdown);
      append_button (self, box);
      g_ptr_array_add (self->dropdowns, dropdown);
    }
}

gboolean
rounds_preference_scale_is_pair (RoundsPreferenceScale *self)
{
  g_return_val_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self), FALSE);
  return self->toggles->len > 0;
}

gboolean
rounds_preference_scale_is_ranking (RoundsPreferenceScale *self)
{
  g_return_val_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self), FALSE);
  return self->dropdowns->len > 0;
}

/* The toggles show the choice, on screen: one point of the scale, or "both unacceptable". */
void
rounds_preference_scale_show_choice (RoundsPreferenceScale *self,
                                     gboolean               has_preference,
                                     int                    screen_preference,
                                     gboolean               unacceptable)
{
  g_return_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self));

  for (guint i = 0; i < self->toggles->len; i++)
    {
      gboolean active;

      if (i == self->toggles->len - 1)
        active = unacceptable;
      else
        active = !unacceptable && has_preference && (int) i - self->k == screen_preference;
      gtk_toggle_button_set_active (self->toggles->pdata[i], active);
    }
}

/* @rank: 1 the best, 0 not ranked. The drop-down follows and says so through rank-changed. */
void
rounds_preference_scale_set_rank (RoundsPreferenceScale *self,
                                  guint                  position,
                                  int                    rank)
{
  g_return_if_fail (ROUNDS_IS_PREFERENCE_SCALE (self));
  g_return_if_fail (position < self->dropdowns->len);

  gtk_drop_down_set_selected (self->dropdowns->pdata[position], rank > 0 ? (guint) rank : 0);
}

static void
rounds_preference_scale_dispose (GObject *object)
{
  RoundsPreferenceScale *self = ROUNDS_PREFERENCE_SCALE (object);

  /* Dispose may run twice; the template widgets are gone the second time. */
  if (self->buttons != NULL)
    rounds_preference_scale_clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_PREFERENCE_SCALE);

  G_OBJECT_CLASS (rounds_preference_scale_parent_class)->dispose (object);
}

static void
rounds_preference_scale_finalize (GObject *object)
{
  RoundsPreferenceScale *self = ROUNDS_PREFERENCE_SCALE (object);

  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);

  G_OBJECT_CLASS (rounds_preference_scale_parent_class)->finalize (object);
}

static void
rounds_preference_scale_class_init (RoundsPreferenceScaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_preference_scale_dispose;
  object_class->finalize = rounds_preference_scale_finalize;

  /* @screen: the point clicked, negative for the left response (A) */
  signals[PREFERENCE_CLICKED] =
    g_signal_new ("preference-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[UNACCEPTABLE_CLICKED] =
    g_signal_new ("unacceptable-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* @position: on screen; @rank: 1 the best, 0 not ranked */
  signals[RANK_CHANGED] =
    g_signal_new ("rank-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-preference-scale.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsPreferenceScale, heading);
  gtk_widget_class_bind_template_child (widget_class, RoundsPreferenceScale, buttons);
}

static void
rounds_preference_scale_init (RoundsPreferenceScale *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toggles = g_ptr_array_new ();
  self->dropdowns = g_ptr_array_new ();
}
