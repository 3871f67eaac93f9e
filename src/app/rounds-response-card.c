/* rounds-response-card.c: one response on the compare page, with its flags and note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-response-card"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-judgement.h"
#include "rounds-markdown.h"
#include "rounds-response-card.h"
#include "rounds-widget-util-private.h"

struct _RoundsResponseCard
{
  GtkFrame        parent_instance;

  /* Template widgets */
  GtkLabel           *title;
  RoundsMarkdownView *text;
  GtkFlowBox         *flags_box;
  GtkTextView        *note_view;

  /* Owned */
  GPtrArray          *toggles;    /* GtkToggleButton, one per flag, in flag order */
  guint               flags;      /* RoundsFlags */
  char               *note;       /* as typed */
};

G_DEFINE_FINAL_TYPE (RoundsResponseCard, rounds_response_card, GTK_TYPE_FRAME)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_flag_toggled (GtkToggleButton    *toggle,
                 RoundsResponseCard *self)
{
  guint flag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "flag"));
  guint flags = gtk_toggle_button_get_active (toggle) ? self->flags | flag : self->flags & ~flag;

  if (flags == self->flags)
    return;
  self->flags = flags;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_note_changed (RoundsResponseCard *self)
{
  g_free (self->note);
  self->note = _rounds_text_view_get_text (self->note_view);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* @position: on screen, for the label (Response A, B…); @flags: RoundsFlags */
GtkWidget *
rounds_response_card_new (guint       position,
                          const char *text,
                          guint       flags,
                          const char *note)
{
  RoundsResponseCard *self = g_object_new (ROUNDS_TYPE_RESPONSE_CARD, NULL);
  g_autofree char *label = _rounds_response_label (position);
  g_autofree char *note_label = g_strdup_printf (_("Note on %s"), label);

  gtk_label_set_text (self->title, label);
  rounds_markdown_view_set_markdown (self->text, text);
  gtk_label_set_max_width_chars (rounds_markdown_view_get_label (self->text), 70);
  for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
    {
      RoundsFlags flag = 1u << f;
      GtkWidget *toggle = gtk_toggle_button_new_with_label (rounds_flag_get_label (flag));
      g_autofree char *accessible = g_strdup_printf ("%s: %s", label, rounds_flag_get_label (flag));
      /* TRANSLATORS: the tooltip of a flag: its key, on the response the keys act on */
      g_autofree char *tooltip = g_strdup_printf (_("Ctrl+%u on the chosen response"), f + 1);

      gtk_widget_add_css_class (toggle, "flag");
      gtk_widget_add_css_class (toggle, rounds_flag_to_string (flag));
      gtk_widget_set_tooltip_text (toggle, tooltip);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), (flags & flag) != 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      g_object_set_data (G_OBJECT (toggle), "flag", GUINT_TO_POINTER (flag));
      g_signal_connect (toggle, "toggled", G_CALLBACK (on_flag_toggled), self);
      g_ptr_array_add (self->toggles, toggle);
      gtk_flow_box_append (self->flags_box, toggle);
    }
  self->flags = flags;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  note_label, -1);
  _rounds_text_view_set_text (self->note_view, note);
  self->note = g_strdup (note ? note : "");
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed",
                            G_CALLBACK (on_note_changed), self);
  return GTK_WIDGET (self);
}

guint
rounds_response_card_get_flags (RoundsResponseCard *self)
{
  g_return_val_if_fail (ROUNDS_IS_RESPONSE_CARD (self), 0);
  return self->flags;
}

/* The toggle buttons follow; "changed" is emitted once for each flag that changes. */
void
rounds_response_card_set_flags (RoundsResponseCard *self,
                                guint               flags)
{
  g_return_if_fail (ROUNDS_IS_RESPONSE_CARD (self));

  for (guint f = 0; f < self->toggles->len; f++)
    gtk_toggle_button_set_active (self->toggles->pdata[f], (flags & (1u << f)) != 0);
}

/* The note as typed: "" when there is none. */
const char *
rounds_response_card_get_note (RoundsResponseCard *self)
{
  g_return_val_if_fail (ROUNDS_IS_RESPONSE_CARD (self), NULL);
  return self->note;
}

/* Marks the card as the one the response keys act on. */
void
rounds_response_card_set_current (RoundsResponseCard *self,
                                  gboolean            current)
{
  g_return_if_fail (ROUNDS_IS_RESPONSE_CARD (self));

  if (current)
    gtk_widget_add_css_class (GTK_WIDGET (self), "current-response");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "current-response");
}

static void
rounds_response_card_dispose (GObject *object)
{
  RoundsResponseCard *self = ROUNDS_RESPONSE_CARD (object);

  g_ptr_array_set_size (self->toggles, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_RESPONSE_CARD);

  G_OBJECT_CLASS (rounds_response_card_parent_class)->dispose (object);
}

static void
rounds_response_card_finalize (GObject *object)
{
  RoundsResponseCard *self = ROUNDS_RESPONSE_CARD (object);

  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (rounds_response_card_parent_class)->finalize (object);
}

static void
rounds_response_card_class_init (RoundsResponseCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (ROUNDS_TYPE_MARKDOWN_VIEW);
  object_class->dispose = rounds_response_card_dispose;
  object_class->finalize = rounds_response_card_finalize;

  /**
   * RoundsResponseCard::changed:
   *
   * A flag was toggled or the note edited, by the person or by
   * rounds_response_card_set_flags().
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-response-card.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsResponseCard, title);
  gtk_widget_class_bind_template_child (widget_class, RoundsResponseCard, text);
  gtk_widget_class_bind_template_child (widget_class, RoundsResponseCard, flags_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsResponseCard, note_view);
}

static void
rounds_response_card_init (RoundsResponseCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toggles = g_ptr_array_new ();
}
