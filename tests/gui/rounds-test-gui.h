/* rounds-test-gui.h: what the window tests share: the main loop and finding widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*RoundsTestMatch) (GtkWidget     *widget,
                                     gconstpointer  data);

void       rounds_test_spin                 (void);
GtkWidget *rounds_test_find_widget          (GtkWidget       *root,
                                             RoundsTestMatch  match,
                                             gconstpointer    data);

/* Matches for rounds_test_find_widget (); @data is the text or action name. */
gboolean   rounds_test_is_row_titled        (GtkWidget       *widget,
                                             gconstpointer    title);
gboolean   rounds_test_is_button_labelled   (GtkWidget       *widget,
                                             gconstpointer    label);
gboolean   rounds_test_is_button_for_action (GtkWidget       *widget,
                                             gconstpointer    action_name);
gboolean   rounds_test_is_label_starting    (GtkWidget       *widget,
                                             gconstpointer    prefix);
gboolean   rounds_test_is_label_containing  (GtkWidget       *widget,
                                             gconstpointer    text);

G_END_DECLS
