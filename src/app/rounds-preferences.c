/* rounds-preferences.c: the preferences window: reading, the curation store, the dataset
 *
 * Every setting lives in GSettings and is bound both ways, so it takes effect at once. The
 * password is the exception: it goes to the keyring when applied, never to GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-preferences.h"
#include "rounds-secret.h"

static const char * const style_nicks[] = { "default", "light", "dark" };

static gboolean
style_to_selected (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_nicks); i++)
    if (g_str_equal (nick, style_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
selected_to_style (const GValue       *value,
                   const GVariantType *type,
                   gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (style_nicks[MIN (selected, G_N_ELEMENTS (style_nicks) - 1)]);
}

static void
on_password_stored (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AdwPreferencesWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (rounds_secret_store_finish (result, &error))
    adw_preferences_window_add_toast (window, adw_toast_new (_("Password kept in the keyring")));
  else
    adw_preferences_window_add_toast (window, adw_toast_new (error->message));
}

static void
on_password_apply (AdwEntryRow *row,
                   GSettings   *settings)
{
  g_autofree char *url = g_settings_get_string (settings, "store-url");
  g_autofree char *user = g_settings_get_string (settings, "store-user");
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_WINDOW);

  if (*url == '\0' || *user == '\0')
    {
      const char *message = _("Give the store’s address and your user name first");

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
      return;
    }
  rounds_secret_store_async (url, user, gtk_editable_get_text (GTK_EDITABLE (row)), NULL,
                             on_password_stored, g_object_ref (window));
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

/* Sign out is the window's (win.sign-out): it also forgets a password held for this run,
 * and says so here. */
static void
on_sign_out (GtkButton *button,
             GtkWindow *parent)
{
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.sign-out", NULL);
}

/* A row with a spin button bound both ways to the number setting @key. */
static GtkWidget *
spin_row (GSettings  *settings,
          const char *key,
          const char *title,
          const char *subtitle,
          double      min,
          double      max,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  return row;
}

/* An entry row bound both ways to the string setting @key. */
static GtkWidget *
entry_row (GSettings  *settings,
           const char *key,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_settings_bind (settings, key, row, "text", G_SETTINGS_BIND_DEFAULT);
  return row;
}

/* A row with a button at its end that calls @clicked with @parent, the app's window. */
static GtkWidget *
button_row (const char *title,
            const char *subtitle,
            const char *label,
            const char *css_class,
            GCallback   clicked,
            GtkWindow  *parent)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  g_signal_connect (button, "clicked", clicked, parent);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
on_switch_profile (GtkButton *button,
                   GtkWindow *parent)
{
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))));
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.switch-profile", NULL);
}

GtkWindow *
rounds_preferences_new (GtkWindow  *parent,
                        GSettings  *settings,
                        const char *profile)
{
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (adw_preferences_window_new ());
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *reading = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *store = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *work = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *styles[] = { N_("Follow the system"), N_("Light"), N_("Dark"), NULL };
  g_autoptr(GtkStringList) style_list = gtk_string_list_new (NULL);
  GtkWidget *style_row = adw_combo_row_new ();
  GtkWidget *password_row = adw_password_entry_row_new ();

  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);

  /* Reading */
  adw_preferences_group_set_title (reading, _("Reading"));
  adw_preferences_group_add (reading,
                             spin_row (settings, "text-scale", _("Text size"),
                                       _("Of scenarios and responses (Ctrl+plus, Ctrl+minus)"),
                                       0.6, 2.5, 0.1, 1));
  for (guint i = 0; styles[i] != NULL; i++)
    gtk_string_list_append (style_list, _(styles[i]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (style_row), _("Style"));
  adw_combo_row_set_model (ADW_COMBO_ROW (style_row), G_LIST_MODEL (style_list));
  g_settings_bind_with_mapping (settings, "style", style_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                style_to_selected, selected_to_style, NULL, NULL);
  adw_preferences_group_add (reading, style_row);

  /* The curation store */
  adw_preferences_group_set_title (store, _("Curation Store"));
  adw_preferences_group_set_description (store,
                                         _("Where your judgements go and your team’s come from. "
                                           "Ask your curator for the address."));
  adw_preferences_group_add (store, entry_row (settings, "store-url", _("Address")));
  adw_preferences_group_add (store, entry_row (settings, "store-user", _("User name")));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password_row),
                                 _("Password (kept in the keyring)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (password_row), TRUE);
  g_signal_connect (password_row, "apply", G_CALLBACK (on_password_apply), settings);
  adw_preferences_group_add (store, password_row);
  adw_preferences_group_add (store,
                             button_row (_("Forget the password on this computer"), NULL,
                                         _("Sign _Out"), "destructive-action",
                                         G_CALLBACK (on_sign_out), parent));
  adw_preferences_group_add (store,
                             spin_row (settings, "sync-interval", _("Sync every"),
                                       _("Minutes; 0 syncs only with Ctrl+R"), 0, 1440, 1, 0));

  /* Work */
  adw_preferences_group_set_title (work, _("Work"));
  adw_preferences_group_add (work, entry_row (settings, "default-dataset",
                                              _("Dataset opened at start (its id)")));
  /* The profile lives in the database, which the app and rounds-cli share. */
  adw_preferences_group_add (work,
                             button_row (_("Annotator profile"), profile ? profile : _("None yet"),
                                         _("_Switch…"), NULL,
                                         G_CALLBACK (on_switch_profile), parent));

  adw_preferences_page_add (page, reading);
  adw_preferences_page_add (page, store);
  adw_preferences_page_add (page, work);
  adw_preferences_window_add (window, page);
  return GTK_WINDOW (window);
}
