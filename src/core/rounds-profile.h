/* rounds-profile.h: who is working: an annotator, reviewer or curator on this machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  ROUNDS_ROLE_NONE      = 0,
  ROUNDS_ROLE_ANNOTATOR = 1 << 0,
  ROUNDS_ROLE_REVIEWER  = 1 << 1,
  ROUNDS_ROLE_CURATOR   = 1 << 2,
} RoundsRoles;

#define ROUNDS_TYPE_PROFILE (rounds_profile_get_type ())

G_DECLARE_FINAL_TYPE (RoundsProfile, rounds_profile, ROUNDS, PROFILE, GObject)

RoundsProfile *rounds_profile_new               (const char     *user_name,
                                                 const char     *display_name,
                                                 RoundsRoles     roles,
                                                 const char     *specialty);
const char    *rounds_profile_get_user_name     (RoundsProfile  *self);
const char    *rounds_profile_get_display_name  (RoundsProfile  *self);
RoundsRoles    rounds_profile_get_roles         (RoundsProfile  *self);
gboolean       rounds_profile_has_role          (RoundsProfile  *self,
                                                 RoundsRoles     role);
const char    *rounds_profile_get_specialty     (RoundsProfile  *self);

char          *rounds_roles_to_string           (RoundsRoles     roles);
gboolean       rounds_roles_from_string         (const char     *text,
                                                 RoundsRoles    *roles,
                                                 GError        **error);
gboolean       rounds_user_name_is_valid        (const char     *user_name,
                                                 GError        **error);

/* A machine annotator's user name: the prefix and a model name. No person's user name has
 * a colon, so the two never meet. */
#define ROUNDS_GUARDIAN_PREFIX "guardian:"

char          *rounds_guardian_name             (const char     *model);
gboolean       rounds_annotator_is_machine      (const char     *user_name);
gboolean       rounds_machine_name_is_valid     (const char     *user_name,
                                                 GError        **error);

G_END_DECLS
