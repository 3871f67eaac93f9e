/* rounds-widget-util-private.h: small widget helpers shared by the pages and dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-profile.h"

G_BEGIN_DECLS

char *_rounds_response_label          (guint           position);
int   _rounds_window_width            (GtkWindow      *window);
gboolean _rounds_responses_should_stack (int          width,
                                         guint        n_responses);
void  _rounds_responses_set_stacked   (GtkBox         *responses,
                                       gboolean        stacked);
gboolean _rounds_responses_get_stacked (GtkBox        *responses);
void  _rounds_widget_remove_children  (GtkWidget      *parent);
void  _rounds_widget_dispose_template (GtkWidget      *widget,
                                       GType           widget_type);
void  _rounds_page_class_init         (GtkWidgetClass *widget_class,
                                       const char     *resource);
gboolean _rounds_profile_may_see_insights (RoundsProfile *profile);
void  _rounds_widget_toast            (GtkWidget      *widget,
                                       const char     *message);
void  _rounds_label_show_message      (GtkLabel       *label,
                                       const char     *message);
GtkWidget *_rounds_text_field_new     (void);
GtkWidget *_rounds_entry_dialog_new   (GtkWindow      *parent,
                                       const char     *heading,
                                       const char     *body,
                                       GtkWidget      *entry,
                                       const char     *entry_label,
                                       const char     *response,
                                       const char     *response_label);
void  _rounds_drop_down_take_digits   (GtkWidget      *dropdown);
void  _rounds_page_leave_text_on_escape (GtkWidget    *page,
                                         GtkWidget    *target);
void  _rounds_label_focus_quietly     (GtkLabel       *label);
void  _rounds_expander_focus_child_when_expanded (GtkExpander *expander);
void  _rounds_combo_row_show_whole    (AdwComboRow    *row);
char *_rounds_text_view_get_text      (GtkTextView    *view);
void  _rounds_text_view_set_text      (GtkTextView    *view,
                                       const char     *text);
guint _rounds_widget_after_frame      (GtkWidget      *widget,
                                       GSourceFunc     func,
                                       gpointer        data);

G_END_DECLS
