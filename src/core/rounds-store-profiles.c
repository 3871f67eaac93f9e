/* rounds-store-profiles.c: the people in the store: local profiles and the annotators table
 *
 * An annotator row stands for everyone whose work is in the store; a profile is such a row
 * for a person who works on this machine (is_local).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Annotators -------------------------------------------------------------------------- */

/* Looks @user_name up among the annotators: *id is 0 when they are not in the store. */
static gboolean
find_annotator (RoundsStore  *self,
                const char   *user_name,
                gint64       *id,
                RoundsRoles  *roles,
                GError      **error)
{
  static const char sql[] =
    "SELECT id, roles FROM annotators WHERE user_name = ?1";
  sqlite3_stmt *stmt;
  int rc;

  *id = 0;
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = _rounds_sql_int64 (stmt, "id");
      if (roles != NULL)
        rounds_roles_from_string (_rounds_sql_text (stmt, "roles"), roles, NULL);
    }
  return _rounds_store_step_end (self, stmt, rc, error);
}

/* The id of annotator @user_name, who must be in the store (%ROUNDS_ERROR_NO_PROFILE). */
gint64
_rounds_store_lookup_annotator (RoundsStore  *self,
                                const char   *user_name,
                                GError      **error)
{
  gint64 id;

  if (!find_annotator (self, user_name, &id, NULL, error))
    return 0;
  if (id == 0)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                 _("No annotator profile “%s”: add it with “rounds-cli profile add %s”"),
                 user_name, user_name);
  return id;
}

/* The id of annotator @user_name, adding a row (not a local profile) for a colleague
 * first seen in imported or pulled judgements. */
gint64
_rounds_store_ensure_annotator (RoundsStore  *self,
                                const char   *user_name,
                                GError      **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!find_annotator (self, user_name, &id, NULL, error))
    return 0;
  if (id != 0)
    return id;
  if (rounds_annotator_is_machine (user_name)
      ? !rounds_machine_name_is_valid (user_name, error)
      : !rounds_user_name_is_valid (user_name, error))
    return 0;

  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self, "INSERT INTO annotators (user_name, kind, created_at)"
                                            " VALUES (?1, ?2, ?3)", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, user_name);
  _rounds_store_bind_text (stmt, 2, rounds_annotator_is_machine (user_name) ? "machine" : "person");
  _rounds_store_bind_text (stmt, 3, now);
  if (!_rounds_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_rounds_store_get_db (self));
}

/* The id of @user_name, who must hold the reviewer role. */
gint64
_rounds_store_lookup_reviewer (RoundsStore  *self,
                               const char   *user_name,
                               GError      **error)
{
  RoundsRoles roles = ROUNDS_ROLE_NONE;
  gint64 id;

  if (!find_annotator (self, user_name, &id, &roles, error))
    return 0;
  if (id == 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                   _("No profile “%s”: add it with “rounds-cli profile add %s --role reviewer”"),
                   user_name, user_name);
      return 0;
    }
  if (!(roles & ROUNDS_ROLE_REVIEWER))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a reviewer: only a profile with the reviewer role records "
                     "verdicts"),
                   user_name);
      return 0;
    }
  return id;
}

/* Profiles ---------------------------------------------------------------------------- */

static RoundsProfile *
profile_from_row (sqlite3_stmt *stmt)
{
  RoundsRoles roles = ROUNDS_ROLE_ANNOTATOR;

  rounds_roles_from_string (_rounds_sql_text (stmt, "roles"), &roles, NULL);
  return rounds_profile_new (_rounds_sql_text (stmt, "user_name"),
                             _rounds_sql_text (stmt, "display_name"),
                             roles,
                             _rounds_sql_text (stmt, "specialty"));
}

/**
 * rounds_store_add_profile:
 *
 * Adds a profile for a person working on this machine, or updates the one with the same
 * user name. The first profile added becomes the current one.
 */
gboolean
rounds_store_add_profile (RoundsStore    *self,
                          RoundsProfile  *profile,
                          GError        **error)
{
  static const char add_sql[] =
    "INSERT INTO annotators (user_name, display_name, roles, specialty, is_local, created_at)"
    " VALUES (?1, ?2, ?3, ?4, 1, ?5)"
    " ON CONFLICT (user_name) DO UPDATE SET display_name = ?2, roles = ?3,"
    " specialty = ?4, is_local = 1";
  g_autofree char *roles = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_PROFILE (profile), FALSE);

  if (!rounds_user_name_is_valid (rounds_profile_get_user_name (profile), error))
    return FALSE;

  roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
  now = _rounds_now_iso8601 ();

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (self, add_sql, error)))
    goto fail;
  _rounds_store_bind_text (stmt, 1, rounds_profile_get_user_name (profile));
  _rounds_store_bind_text (stmt, 2, rounds_profile_get_display_name (profile));
  _rounds_store_bind_text (stmt, 3, roles);
  _rounds_store_bind_text (stmt, 4, rounds_profile_get_specialty (profile));
  _rounds_store_bind_text (stmt, 5, now);
  if (!_rounds_store_step_done (self, stmt, error))
    goto fail;

  detail = g_strdup_printf ("{\"roles\":\"%s\"}", roles);
  if (!rounds_store_audit (self, rounds_profile_get_user_name (profile), "profile.add",
                           rounds_profile_get_user_name (profile), detail, error))
    goto fail;

  current = rounds_store_get_current_profile (self);
  if (current == NULL &&
      !rounds_store_set_current_profile (self, rounds_profile_get_user_name (profile), error))
    goto fail;

  return _rounds_store_commit (self, error);

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

/* The local profiles, a GListModel of RoundsProfile sorted by user name. */
GListModel *
rounds_store_list_profiles (RoundsStore  *self,
                            GError      **error)
{
  static const char list_sql[] =
    "SELECT user_name, display_name, roles, specialty FROM annotators"
    " WHERE is_local = 1 ORDER BY user_name";
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, list_sql, error)))
    return NULL;
  return _rounds_store_list_objects (self, stmt, ROUNDS_TYPE_PROFILE,
                                     (RoundsObjectFromRow) profile_from_row, error);
}

RoundsProfile *
rounds_store_get_profile (RoundsStore  *self,
                          const char   *user_name,
                          GError      **error)
{
  static const char get_sql[] =
    "SELECT user_name, display_name, roles, specialty FROM annotators"
    " WHERE user_name = ?1 AND is_local = 1";
  g_autoptr(RoundsProfile) profile = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, get_sql, error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    profile = profile_from_row (stmt);
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  if (profile == NULL)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                 _("No profile “%s” on this machine: add it with “rounds-cli profile add %s”"),
                 user_name, user_name);
  return g_steal_pointer (&profile);
}

gboolean
rounds_store_set_current_profile (RoundsStore  *self,
                                  const char   *user_name,
                                  GError      **error)
{
  static const char set_sql[] =
    "INSERT INTO meta (key, value) VALUES ('current_profile', ?1)"
    " ON CONFLICT (key) DO UPDATE SET value = ?1";
  g_autoptr(RoundsProfile) profile = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);

  if (!(profile = rounds_store_get_profile (self, user_name, error)))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (self, set_sql, error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, user_name);
  return _rounds_store_step_done (self, stmt, error);
}

/* The profile chosen last, or %NULL when none has been added. */
RoundsProfile *
rounds_store_get_current_profile (RoundsStore *self)
{
  static const char sql[] =
    "SELECT value FROM meta WHERE key = 'current_profile'";
  g_autofree char *user_name = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, sql, NULL)))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user_name = _rounds_sql_dup (stmt, "value");
  sqlite3_reset (stmt);
  return user_name ? rounds_store_get_profile (self, user_name, NULL) : NULL;
}

