/* rounds-widget-util.c: small widget helpers shared by the pages and dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-widget-util"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-widget-util-private.h"

/* @position: on screen, or canonical where no order is shown */
char *
_rounds_response_label (guint position)
{
  /* TRANSLATORS: the label of a response on screen: Response A, Response B… */
  return g_strdup_printf (_("Response %c"), 'A' + position);
}

/* Empties @parent: a list box or a box through its own remove, any other widget by
 * unparenting its children. */
void
_rounds_widget_remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else if (GTK_IS_BOX (parent))
        gtk_box_remove (GTK_BOX (parent), child);
      else
        gtk_widget_unparent (child);
    }
}

/* For a page whose template root is a child of the page (a bin layout). */
void
_rounds_widget_dispose_template (GtkWidget *widget,
                                 GType      widget_type)
{
  gtk_widget_dispose_template (widget, widget_type);
  /* The root of the template has no name to be cleared by. */
  _rounds_widget_remove_children (widget);
}

/* @message: shown in @label, or %NULL or "" to hide it */
void
_rounds_label_show_message (GtkLabel   *label,
                            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}
