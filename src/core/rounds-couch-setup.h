/* rounds-couch-setup.h: setting up a curation store database and checking its set-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-couch.h"

G_BEGIN_DECLS

#define ROUNDS_COUCH_DESIGN_DOC_ID "_design/rounds"

char     *rounds_couch_setup_get_validate_source (void);
gboolean  rounds_couch_setup_check               (RoundsCouch   *couch,
                                                  GPtrArray    **findings,
                                                  GCancellable  *cancellable,
                                                  GError       **error);
gboolean  rounds_couch_setup_apply               (RoundsCouch   *couch,
                                                  GPtrArray    **changes,
                                                  GCancellable  *cancellable,
                                                  GError       **error);

G_END_DECLS
