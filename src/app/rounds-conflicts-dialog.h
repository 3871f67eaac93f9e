/* rounds-conflicts-dialog.h: datasets and items changed both here and in the curation store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"
#include "rounds-sync.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_CONFLICTS_DIALOG (rounds_conflicts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RoundsConflictsDialog, rounds_conflicts_dialog, ROUNDS, CONFLICTS_DIALOG,
                      AdwWindow)

RoundsConflictsDialog *rounds_conflicts_dialog_new             (GtkWindow             *parent);
void                   rounds_conflicts_dialog_update          (RoundsConflictsDialog *self,
                                                                RoundsStore           *store,
                                                                GHashTable            *chosen);
void                   rounds_conflicts_dialog_set_message     (RoundsConflictsDialog *self,
                                                                const char            *message);
guint                  rounds_conflicts_dialog_get_n_conflicts (RoundsConflictsDialog *self);
GtkWidget             *rounds_conflicts_dialog_find_button     (RoundsConflictsDialog *self,
                                                                const char            *doc_id,
                                                                RoundsSyncResolution   resolution);

G_END_DECLS
