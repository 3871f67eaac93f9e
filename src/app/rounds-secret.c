/* rounds-secret.c: the curation-store password in the desktop keyring, never anywhere else
 *
 * The password is kept by libsecret (GNOME Keyring, KWallet, or the Flatpak secret portal),
 * keyed by the store's URL and the user name, so the database, GSettings and the logs never
 * see it. The keys of chat-completions endpoints are kept the same way, under the endpoint's
 * base URL and "endpoint:NAME".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-secret"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "rounds-secret.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID ".CurationStore", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

typedef gboolean (*BooleanFinish) (GAsyncResult *result, GError **error);

/* Store and clear both end in a libsecret _finish that returns a boolean; the task's data
 * says which one. */
static void
on_boolean_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BooleanFinish finish = (BooleanFinish) g_task_get_task_data (task);
  GError *error = NULL;

  finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_with_label (const char          *url,
                  const char          *user,
                  const char          *password,
                  const char          *label,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, rounds_secret_store_async);
  g_task_set_task_data (task, (gpointer) secret_password_store_finish, NULL);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_boolean_done, task,
                         "url", url, "user", user, NULL);
}

void
rounds_secret_store_async (const char          *url,
                           const char          *user,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (url != NULL && user != NULL && password != NULL);

  label = g_strdup_printf (_("Rounds curation store %s (%s)"), url, user);
  store_with_label (url, user, password, label, cancellable, callback, user_data);
}

/**
 * rounds_secret_endpoint_user:
 *
 * Returns: (transfer full): the "user" under which the key of chat-completions endpoint
 *   @name is kept, with the endpoint's base URL as the "url": "endpoint:NAME". Look it up
 *   and clear it with rounds_secret_lookup_async() and rounds_secret_clear_async().
 */
char *
rounds_secret_endpoint_user (const char *name)
{
  return g_strconcat ("endpoint:", name, NULL);
}

/* Keeps the key of endpoint @name at @base_url; finish with rounds_secret_store_finish(). */
void
rounds_secret_store_endpoint_key_async (const char          *base_url,
                                        const char          *name,
                                        const char          *key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *user = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (base_url != NULL && name != NULL && key != NULL);

  user = rounds_secret_endpoint_user (name);
  label = g_strdup_printf (_("Rounds endpoint %s (%s)"), name, base_url);
  store_with_label (base_url, user, key, label, cancellable, callback, user_data);
}

gboolean
rounds_secret_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
rounds_secret_lookup_async (const char          *url,
                            const char          *user,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL && user != NULL);

  g_task_set_source_tag (task, rounds_secret_lookup_async);
  secret_password_lookup (get_schema (), cancellable, on_looked_up, task,
                          "url", url, "user", user, NULL);
}

/* Returns the password, or %NULL without an error when the keyring has none: free it with
 * secret_password_free (), which wipes it. */
char *
rounds_secret_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
rounds_secret_clear_async (const char          *url,
                           const char          *user,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (url != NULL && user != NULL);

  g_task_set_source_tag (task, rounds_secret_clear_async);
  g_task_set_task_data (task, (gpointer) secret_password_clear_finish, NULL);
  secret_password_clear (get_schema (), cancellable, on_boolean_done, task,
                         "url", url, "user", user, NULL);
}

gboolean
rounds_secret_clear_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
