/* rounds-connect-dialog.h: the curation store's address, the user and the password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_CONNECT_DIALOG (rounds_connect_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RoundsConnectDialog, rounds_connect_dialog, ROUNDS, CONNECT_DIALOG, AdwWindow)

RoundsConnectDialog *rounds_connect_dialog_new         (GtkWindow           *parent,
                                                        GSettings           *settings,
                                                        const char          *user_name);
void                 rounds_connect_dialog_set_sign_in (RoundsConnectDialog *self);
const char          *rounds_connect_dialog_get_message (RoundsConnectDialog *self);
gboolean             rounds_connect_dialog_is_busy     (RoundsConnectDialog *self);

G_END_DECLS
