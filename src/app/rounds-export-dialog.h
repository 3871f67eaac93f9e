/* rounds-export-dialog.h: export rated pairs for training, with a live count of the records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-export.h"
#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_EXPORT_DIALOG (rounds_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RoundsExportDialog, rounds_export_dialog, ROUNDS, EXPORT_DIALOG, AdwWindow)

RoundsExportDialog        *rounds_export_dialog_new          (GtkWindow          *parent,
                                                              RoundsStore        *store,
                                                              RoundsDataset      *current,
                                                              const char         *actor);
const char                *rounds_export_dialog_get_path     (RoundsExportDialog *self);
void                       rounds_export_dialog_set_path     (RoundsExportDialog *self,
                                                              const char         *path);
gint64                     rounds_export_dialog_get_n_records (RoundsExportDialog *self);
gboolean                   rounds_export_dialog_is_exporting (RoundsExportDialog *self);
const char                *rounds_export_dialog_get_error    (RoundsExportDialog *self);
const RoundsExportSummary *rounds_export_dialog_get_summary  (RoundsExportDialog *self);

G_END_DECLS
