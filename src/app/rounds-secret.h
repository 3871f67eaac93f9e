/* rounds-secret.h: passwords and endpoint keys in the desktop keyring, never anywhere else
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

/* The keys of chat-completions endpoints: the base URL and rounds_secret_endpoint_user()
 * go where the store's URL and user go above. */
char     *rounds_secret_endpoint_user            (const char           *name);
void      rounds_secret_store_endpoint_key_async (const char           *base_url,
                                                  const char           *name,
                                                  const char           *key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);

G_END_DECLS
