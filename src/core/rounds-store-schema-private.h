/* rounds-store-schema-private.h: the tables of the local store and their migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "rounds-store.h"

G_BEGIN_DECLS

int      _rounds_schema_get_version (sqlite3     *db);
gboolean _rounds_schema_migrate     (sqlite3     *db,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
