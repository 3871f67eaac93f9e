/* rounds-secret.c: the curation-store password in the desktop keyring, never anywhere else
 *
 * The password is kept by libsecret (GNOME Keyring, KWallet, or the Flatpak secret portal),
 * keyed by the store's URL and the user name, so the database, GSettings and the logs never
 * see it.
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

void
rounds_secret_store_async (const char          *url,
                           const char          *user,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf (_("Rounds curation store %s (%s)"), url, user);

  g_return_if_fail (url != NULL && user != NULL && password != NULL);

  g_task_set_source_tag (task, rounds_secret_store_async);
  g_task_set_task_data (task, (gpointer) secret_password_store_finish, NULL);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_boolean_done, task,
                         "url", url, "user", user, NULL);
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
