/* rounds-generate-dialog.h: a curator generates the responses of items awaiting them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-generate.h"
#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_GENERATE_DIALOG (rounds_generate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RoundsGenerateDialog, rounds_generate_dialog, ROUNDS, GENERATE_DIALOG,
                      AdwWindow)

RoundsGenerateDialog *rounds_generate_dialog_new          (GtkWindow             *parent,
                                                           RoundsStore           *store,
                                                           const char            *dataset,
                                                           const char            *actor);
gboolean              rounds_generate_dialog_is_running   (RoundsGenerateDialog  *self);
gboolean              rounds_generate_dialog_has_run      (RoundsGenerateDialog  *self);
const RoundsGenerateProgress *
                      rounds_generate_dialog_get_progress (RoundsGenerateDialog  *self);
void                  rounds_generate_dialog_set_retries  (RoundsGenerateDialog  *self,
                                                           guint                  max_attempts,
                                                           guint                  first_delay_ms);

G_END_DECLS
