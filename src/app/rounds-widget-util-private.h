/* rounds-widget-util-private.h: small widget helpers shared by the pages and dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

char *_rounds_response_label          (guint           position);
void  _rounds_widget_remove_children  (GtkWidget      *parent);
void  _rounds_widget_dispose_template (GtkWidget      *widget,
                                       GType           widget_type);
void  _rounds_page_class_init         (GtkWidgetClass *widget_class,
                                       const char     *resource);
void  _rounds_label_show_message      (GtkLabel       *label,
                                       const char     *message);

G_END_DECLS
