/* rounds-profile-page.c: who is working: the profiles of this database and a form for a new one
 *
 * A row activates win.use-profile with its user name; Start (or Enter in the form) activates
 * win.create-profile, and the window asks this page for the profile the form describes. The
 * page takes the focus when it is shown: the first profile, or the Name field when there is
 * none (a first start).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-profile-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-profile-page.h"
#include "rounds-widget-util-private.h"

struct _RoundsProfilePage
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *profiles_group;
  GtkListBox   *profiles_list;
  AdwEntryRow  *display_name_row;
  AdwEntryRow  *user_name_row;
  AdwComboRow  *role_row;
  AdwEntryRow  *specialty_row;
};

G_DEFINE_FINAL_TYPE (RoundsProfilePage, rounds_profile_page, GTK_TYPE_WIDGET)

/* @profiles: RoundsProfile, or NULL for none */
/* A profile's roles as a person reads them: "Annotator, Reviewer", not the ids the store
 * keeps ("annotator,reviewer"). */
static char *
describe_roles (RoundsRoles roles)
{
  const char *names[4] = { NULL };
  guint n = 0;

  if (roles & ROUNDS_ROLE_ANNOTATOR)
    names[n++] = _("Annotator");
  if (roles & ROUNDS_ROLE_REVIEWER)
    names[n++] = C_("role", "Reviewer");
  if (roles & ROUNDS_ROLE_CURATOR)
    names[n++] = _("Curator");
  /* TRANSLATORS: between the roles of a profile, as in "Annotator, Reviewer" */
  return g_strjoinv (C_("list of roles", ", "), (char **) names);
}

void
rounds_profile_page_set_profiles (RoundsProfilePage *self,
                                  GListModel        *profiles)
{
  guint n = profiles ? g_list_model_get_n_items (profiles) : 0;

  g_return_if_fail (ROUNDS_IS_PROFILE_PAGE (self));

  _rounds_widget_remove_children (GTK_WIDGET (self->profiles_list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RoundsProfile) profile = g_list_model_get_item (profiles, i);
      const char *specialty = rounds_profile_get_specialty (profile);
      g_autofree char *roles = describe_roles (rounds_profile_get_roles (profile));
      g_autofree char *subtitle = g_strdup_printf ("%s · %s%s%s",
                                                   rounds_profile_get_user_name (profile), roles,
                                                   specialty ? " · " : "",
                                                   specialty ? specialty : "");
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     rounds_profile_get_display_name (profile));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.use-profile");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s",
                                        rounds_profile_get_user_name (profile));
      gtk_list_box_append (self->profiles_list, row);
    }
  gtk_widget_set_visible (self->profiles_group, n > 0);
}

/* The profile the form describes, or NULL with an error that says what to correct. */
RoundsProfile *
rounds_profile_page_new_profile (RoundsProfilePage  *self,
                                 GError            **error)
{
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_name_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->display_name_row));
  const char *specialty = gtk_editable_get_text (GTK_EDITABLE (self->specialty_row));
  RoundsRoles roles;

  g_return_val_if_fail (ROUNDS_IS_PROFILE_PAGE (self), NULL);

  if (!rounds_user_name_is_valid (user, error))
    return NULL;
  switch (adw_combo_row_get_selected (self->role_row))
    {
    case 1:
      roles = ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER;
      break;
    case 2:
      roles = ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_CURATOR;
      break;
    default:
      roles = ROUNDS_ROLE_ANNOTATOR;
      break;
    }
  return rounds_profile_new (user, *name ? name : user, roles, *specialty ? specialty : NULL);
}

static void
on_entry_activated (RoundsProfilePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.create-profile", NULL);
}

static void
on_map (RoundsProfilePage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->profiles_list, 0);

  if (first != NULL && gtk_widget_get_visible (self->profiles_group))
    gtk_widget_grab_focus (GTK_WIDGET (first));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->display_name_row));
}

GtkWidget *
rounds_profile_page_new (void)
{
  return g_object_new (ROUNDS_TYPE_PROFILE_PAGE, NULL);
}

static void
rounds_profile_page_class_init (RoundsProfilePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-profile-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, profiles_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, profiles_list);
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, role_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsProfilePage, specialty_row);
}

static void
rounds_profile_page_init (RoundsProfilePage *self)
{
  AdwEntryRow *rows[3];

  gtk_widget_init_template (GTK_WIDGET (self));
  _rounds_combo_row_show_whole (self->role_row);
  rows[0] = self->display_name_row;
  rows[1] = self->user_name_row;
  rows[2] = self->specialty_row;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect_swapped (rows[i], "entry-activated", G_CALLBACK (on_entry_activated), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}
