/* rounds-couch-private.h: what the sync run shares with the CouchDB client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-couch.h"

G_BEGIN_DECLS

void _rounds_couch_wipe_secret (char **secret);

G_END_DECLS
