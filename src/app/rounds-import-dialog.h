/* rounds-import-dialog.h: the progress of an import, with a way to cancel it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_IMPORT_DIALOG (rounds_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RoundsImportDialog, rounds_import_dialog, ROUNDS, IMPORT_DIALOG,
                      AdwMessageDialog)

RoundsImportDialog *rounds_import_dialog_new          (GtkWindow          *parent,
                                                       const char         *file_name);
void                rounds_import_dialog_set_fraction (RoundsImportDialog *self,
                                                       double              fraction);

G_END_DECLS
