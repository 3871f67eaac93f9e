/* rounds-profile.c: who is working: an annotator, reviewer or curator on this machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-profile.h"

struct _RoundsProfile
{
  GObject      parent_instance;

  char        *user_name;
  char        *display_name;
  char        *specialty;
  RoundsRoles  roles;
};

G_DEFINE_FINAL_TYPE (RoundsProfile, rounds_profile, G_TYPE_OBJECT)

static const char * const role_names[] = { "annotator", "reviewer", "curator" };

static void
rounds_profile_finalize (GObject *object)
{
  RoundsProfile *self = (RoundsProfile *)object;

  g_free (self->user_name);
  g_free (self->display_name);
  g_free (self->specialty);

  G_OBJECT_CLASS (rounds_profile_parent_class)->finalize (object);
}

static void
rounds_profile_class_init (RoundsProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_profile_finalize;
}

static void
rounds_profile_init (RoundsProfile *self)
{
}

RoundsProfile *
rounds_profile_new (const char  *user_name,
                    const char  *display_name,
                    RoundsRoles  roles,
                    const char  *specialty)
{
  RoundsProfile *self;

  g_return_val_if_fail (user_name != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_PROFILE, NULL);
  self->user_name = g_strdup (user_name);
  self->display_name = g_strdup (display_name);
  self->roles = roles;
  self->specialty = g_strdup (specialty);
  return self;
}

const char *
rounds_profile_get_user_name (RoundsProfile *self)
{
  g_return_val_if_fail (ROUNDS_IS_PROFILE (self), NULL);
  return self->user_name;
}

/* The display name, or the user name where none was given. */
const char *
rounds_profile_get_display_name (RoundsProfile *self)
{
  g_return_val_if_fail (ROUNDS_IS_PROFILE (self), NULL);
  return self->display_name && *self->display_name ? self->display_name : self->user_name;
}

RoundsRoles
rounds_profile_get_roles (RoundsProfile *self)
{
  g_return_val_if_fail (ROUNDS_IS_PROFILE (self), 0);
  return self->roles;
}

gboolean
rounds_profile_has_role (RoundsProfile *self,
                         RoundsRoles    role)
{
  g_return_val_if_fail (ROUNDS_IS_PROFILE (self), FALSE);
  return (self->roles & role) == role;
}

const char *
rounds_profile_get_specialty (RoundsProfile *self)
{
  g_return_val_if_fail (ROUNDS_IS_PROFILE (self), NULL);
  return self->specialty;
}

/* "annotator,reviewer": the form stored in the database and shown by rounds-cli. */
char *
rounds_roles_to_string (RoundsRoles roles)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (roles & (1 << i))
      {
        if (str->len > 0)
          g_string_append_c (str, ',');
        g_string_append (str, role_names[i]);
      }
  return g_string_free (str, FALSE);
}

gboolean
rounds_roles_from_string (const char   *text,
                          RoundsRoles  *roles,
                          GError      **error)
{
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", ", ", -1);
  RoundsRoles result = 0;

  for (guint p = 0; parts[p]; p++)
    {
      gboolean found = FALSE;

      if (*parts[p] == '\0')
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
        if (g_ascii_strcasecmp (parts[p], role_names[i]) == 0)
          {
            result |= 1 << i;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("Unknown role “%s”: use annotator, reviewer or curator"), parts[p]);
          return FALSE;
        }
    }

  *roles = result ? result : ROUNDS_ROLE_ANNOTATOR;
  return TRUE;
}

/* User names go into curation-store document ids and CouchDB user names. */
gboolean
rounds_user_name_is_valid (const char  *user_name,
                           GError     **error)
{
  gboolean ok = user_name != NULL && *user_name != '\0' && strlen (user_name) <= 64 &&
                g_ascii_isalnum (*user_name);

  for (const char *p = user_name; ok && *p; p++)
    ok = g_ascii_isalnum (*p) || strchr ("._@-", *p) != NULL;

  if (!ok)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a valid user name: use up to 64 letters, digits, “.”, “_”, “@” "
                   "or “-”, starting with a letter or digit"),
                 user_name ? user_name : "");
  return ok;
}

/* "guardian:<model>", the annotator whose judgements are the evaluator model's. */
char *
rounds_guardian_name (const char *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return g_strconcat (ROUNDS_GUARDIAN_PREFIX, model, NULL);
}

/* Whether @user_name is a machine's (the prefix alone decides: see rounds_guardian_name()). */
gboolean
rounds_annotator_is_machine (const char *user_name)
{
  return user_name != NULL && g_str_has_prefix (user_name, ROUNDS_GUARDIAN_PREFIX);
}

/* A machine's name goes into document ids too (escaped, so a model's "/" or ":" is kept):
 * the prefix, then up to 128 printable ASCII characters with no space. */
gboolean
rounds_machine_name_is_valid (const char  *user_name,
                              GError     **error)
{
  const char *model = user_name ? user_name + strlen (ROUNDS_GUARDIAN_PREFIX) : NULL;
  gboolean ok = rounds_annotator_is_machine (user_name) && *model != '\0' &&
                strlen (model) <= 128;

  for (const char *p = model; ok && *p; p++)
    ok = *p > ' ' && *p < 0x7f;

  if (!ok)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a valid machine annotator: use “%s” and a model name of up to "
                   "128 printable characters without spaces"),
                 user_name ? user_name : "", ROUNDS_GUARDIAN_PREFIX);
  return ok;
}
