/* rounds-secret.h: the curation-store password in the desktop keyring, never anywhere else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      rounds_secret_store_async   (const char           *url,
                                       const char           *user,
                                       const char           *password,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  rounds_secret_store_finish  (GAsyncResult         *result,
                                       GError              **error);
void      rounds_secret_lookup_async  (const char           *url,
                                       const char           *user,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char     *rounds_secret_lookup_finish (GAsyncResult         *result,
                                       GError              **error);
void      rounds_secret_clear_async   (const char           *url,
                                       const char           *user,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  rounds_secret_clear_finish  (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
