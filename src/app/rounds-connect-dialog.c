/* rounds-connect-dialog.c: the curation store's address, the user and the password
 *
 * Asked when a sync has nowhere to go (no address yet) or nothing to sign in with (no
 * password in the keyring, as after Sign Out). The address and the user name go to
 * GSettings, the password to the keyring through rounds-secret and nowhere else; then
 * "connected" hands the password to the window for the sync it starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-connect-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-connect-dialog.h"
#include "rounds-couch.h"
#include "rounds-secret.h"
#include "rounds-widget-util-private.h"

struct _RoundsConnectDialog
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkLabel      *description_label;
  AdwEntryRow   *url_row;
  AdwEntryRow   *user_row;
  AdwEntryRow   *password_row;
  GtkLabel      *message_label;

  /* Owned */
  GSettings     *settings;
  GCancellable  *cancellable;     /* cancelled in dispose */
  char          *password;        /* while the keyring stores it; wiped */
};

G_DEFINE_FINAL_TYPE (RoundsConnectDialog, rounds_connect_dialog, ADW_TYPE_WINDOW)

enum {
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (RoundsConnectDialog *self,
              const char          *message,
              GtkWidget           *row)
{
  _rounds_label_show_message (self->message_label, message);
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->user_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
}

/* The address the sync will use, as the core spells it, or %NULL with a message that says
 * what to change. Credentials inside the address are refused: they would end up in
 * GSettings. */
static char *
check_url (const char  *text,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(RoundsCouch) couch = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give the store’s address, for example "
                             "https://couch.example.org/ethics-study"));
      return NULL;
    }
  if (!(uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL)) || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This is not a web address: expected https://HOST[:PORT]/DATABASE"));
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The address must start with https:// or http://"));
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give the user name and the password in their own fields, not in "
                             "the address"));
      return NULL;
    }
  if (!(couch = rounds_couch_new (text, &local_error)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strdup (rounds_couch_get_url (couch));
}

static void
on_password_stored (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RoundsConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean in_keyring = rounds_secret_store_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!in_keyring)
    g_debug ("The keyring did not take the password: %s", error->message);
  g_signal_emit (self, signals[CONNECTED], 0, self->password, in_keyring);
  g_clear_pointer (&self->password, rounds_couch_password_free);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* What a row holds, without the spaces a paste brings along. */
static char *
stripped_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
connect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RoundsConnectDialog *self = ROUNDS_CONNECT_DIALOG (widget);
  g_autofree char *text = stripped_text (GTK_EDITABLE (self->url_row));
  g_autofree char *user = stripped_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->password != NULL)
    return;
  if (!(url = check_url (text, &error)))
    {
      show_message (self, error->message, GTK_WIDGET (self->url_row));
      return;
    }
  if (*user == '\0')
    {
      show_message (self, _("Give your user name on the store"), GTK_WIDGET (self->user_row));
      return;
    }
  if (*password == '\0')
    {
      show_message (self, _("Give your password"), GTK_WIDGET (self->password_row));
      return;
    }
  show_message (self, NULL, NULL);

  g_settings_set_string (self->settings, "store-url", url);
  g_settings_set_string (self->settings, "store-user", user);
  self->password = g_strdup (password);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* The values are taken: only Connect waits for the keyring. (Making the focused row
   * insensitive here would leave GTK 4.8's text without its focus-out.) */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.connect", FALSE);
  rounds_secret_store_async (url, user, self->password, self->cancellable,
                             on_password_stored, g_object_ref (self));
}

/**
 * rounds_connect_dialog_new:
 * @settings: where the address and the user name are kept
 * @user_name: the profile's user name, offered when the settings have none
 */
RoundsConnectDialog *
rounds_connect_dialog_new (GtkWindow  *parent,
                           GSettings  *settings,
                           const char *user_name)
{
  RoundsConnectDialog *self;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ROUNDS_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  url = g_settings_get_string (settings, "store-url");
  user = g_settings_get_string (settings, "store-user");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), *user ? user : user_name ? user_name : "");
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  return self;
}

/* The address is known but the keyring has no password for it (after Sign Out, or on a
 * new computer): the same dialog, asking for the password. */
void
rounds_connect_dialog_set_sign_in (RoundsConnectDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (ROUNDS_IS_CONNECT_DIALOG (self));

  url = g_settings_get_string (self->settings, "store-url");
  text = g_strdup_printf (_("Sign in to the curation store at %s. The password is kept in the "
                            "keyring, until you sign out in Preferences."),
                          url);
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In to the Curation Store"));
  gtk_label_set_text (self->description_label, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* The message shown under the fields, or %NULL. */
const char *
rounds_connect_dialog_get_message (RoundsConnectDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_CONNECT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

/* Whether the password is on its way to the keyring. */
gboolean
rounds_connect_dialog_is_busy (RoundsConnectDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_CONNECT_DIALOG (self), FALSE);
  return self->password != NULL;
}

static void
rounds_connect_dialog_dispose (GObject *object)
{
  RoundsConnectDialog *self = ROUNDS_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (rounds_connect_dialog_parent_class)->dispose (object);
}

static void
rounds_connect_dialog_finalize (GObject *object)
{
  RoundsConnectDialog *self = ROUNDS_CONNECT_DIALOG (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->password, rounds_couch_password_free);

  G_OBJECT_CLASS (rounds_connect_dialog_parent_class)->finalize (object);
}

static void
rounds_connect_dialog_class_init (RoundsConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_connect_dialog_dispose;
  object_class->finalize = rounds_connect_dialog_finalize;

  /**
   * RoundsConnectDialog::connected:
   * @password: the password given, for the sync that follows
   * @in_keyring: whether the keyring keeps it; %FALSE where no keyring service runs
   *
   * The address and the user name are saved: sync now.
   */
  signals[CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsConnectDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsConnectDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsConnectDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsConnectDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsConnectDialog, message_label);

  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rounds_connect_dialog_init (RoundsConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
