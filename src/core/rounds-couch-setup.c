/* rounds-couch-setup.c: setting up a curation store database and checking its set-up
 *
 * A Rounds database has members by role (annotator, reviewer, curator), administrators by
 * the server's _admin role, and the design document _design/rounds whose
 * validate_doc_update enforces who may write what (data/couchdb/validate_doc_update.js,
 * built in as a GResource). Setting up is idempotent: what is there already and right is
 * left alone, and roles or names someone added by hand are kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-couch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-couch-setup.h"
#include "rounds-util-private.h"

/* Made by gnome.compile_resources () in data/couchdb; calling it keeps the resource in
 * the static library's link. */
GResource *rounds_couchdb_get_resource (void);

#define VALIDATE_RESOURCE "/io/github/rounds/Rounds/couchdb/validate_doc_update.js"

static const char * const member_roles[] = { "annotator", "reviewer", "curator" };
static const char * const admin_roles[] = { "_admin" };

/**
 * rounds_couch_setup_get_validate_source:
 *
 * Returns: (transfer full): the source of the design document's validate_doc_update
 */
char *
rounds_couch_setup_get_validate_source (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (rounds_couchdb_get_resource (),
                                                    VALIDATE_RESOURCE,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gsize size;
  const char *data;

  g_assert (bytes != NULL);
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

static JsonArray *
section_roles (JsonObject *security,
               const char *section)
{
  JsonNode *node = json_object_get_member (security, section);
  JsonNode *roles;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  roles = json_object_get_member (json_node_get_object (node), "roles");
  return roles != NULL && JSON_NODE_HOLDS_ARRAY (roles) ? json_node_get_array (roles) : NULL;
}

static gboolean
array_has (JsonArray  *array,
           const char *value)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Adds the roles missing from @security's @section, noting each in @changes; %TRUE if any. */
static gboolean
add_roles (JsonObject         *security,
           const char         *section,
           const char * const *roles,
           guint               n_roles,
           GPtrArray          *changes)
{
  JsonObject *object;
  JsonArray *array;
  gboolean changed = FALSE;

  if (!json_object_has_member (security, section) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (security, section)))
    json_object_set_object_member (security, section, json_object_new ());
  object = json_object_get_object_member (security, section);
  if (!json_object_has_member (object, "names") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "names")))
    json_object_set_array_member (object, "names", json_array_new ());
  if (!json_object_has_member (object, "roles") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "roles")))
    json_object_set_array_member (object, "roles", json_array_new ());
  array = json_object_get_array_member (object, "roles");

  for (guint i = 0; i < n_roles; i++)
    if (!array_has (array, roles[i]))
      {
        json_array_add_string_element (array, roles[i]);
        if (changes != NULL)
          g_ptr_array_add (changes,
                           g_strdup_printf (_("%s: role “%s” added to the %s"), "_security",
                                            roles[i],
                                            g_str_equal (section, "members")
                                              ? _("members") : _("administrators")));
        changed = TRUE;
      }
  return changed;
}

/* A document into *@doc, or %NULL there when it does not exist. */
static gboolean
get_optional (RoundsCouch   *couch,
              const char    *doc_id,
              JsonObject   **doc,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  *doc = rounds_couch_get_doc (couch, doc_id, cancellable, &local_error);
  if (*doc == NULL &&
      !g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Whether the design document's validate_doc_update is this Rounds's. */
static gboolean
design_is_current (JsonObject *design,
                   const char *source)
{
  JsonNode *node = json_object_get_member (design, "validate_doc_update");

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (node), source) == 0;
}

static gboolean
db_exists (RoundsCouch   *couch,
           gboolean      *exists,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, cancellable, &local_error);

  *exists = info != NULL;
  if (info == NULL &&
      !g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * rounds_couch_setup_check:
 * @findings: (out) (transfer full) (element-type utf8): what is missing or different,
 *   one sentence each; empty when the database is set up
 *
 * Reads the database, its _security and its design document; changes nothing. Needs an
 * administrator of the database (reading _security does).
 *
 * Returns: %FALSE only when the checks could not be made
 */
gboolean
rounds_couch_setup_check (RoundsCouch   *couch,
                          GPtrArray    **findings,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) security = NULL;
  g_autoptr(JsonObject) design = NULL;
  g_autofree char *source = NULL;
  gboolean exists;

  g_return_val_if_fail (ROUNDS_IS_COUCH (couch), FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  if (!db_exists (couch, &exists, cancellable, error))
    return FALSE;
  if (!exists)
    {
      g_ptr_array_add (list, g_strdup_printf (_("The database %s does not exist"),
                                              rounds_couch_get_url (couch)));
      *findings = g_steal_pointer (&list);
      return TRUE;
    }

  if (!(security = rounds_couch_get_doc (couch, "_security", cancellable, error)))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (member_roles); i++)
    if (!array_has (section_roles (security, "members"), member_roles[i]))
      g_ptr_array_add (list, g_strdup_printf (_("_security: the role “%s” is not among the "
                                                "members"), member_roles[i]));
  for (guint i = 0; i < G_N_ELEMENTS (admin_roles); i++)
    if (!array_has (section_roles (security, "admins"), admin_roles[i]))
      g_ptr_array_add (list, g_strdup_printf (_("_security: the role “%s” is not among the "
                                                "administrators"), admin_roles[i]));

  if (!get_optional (couch, ROUNDS_COUCH_DESIGN_DOC_ID, &design, cancellable, error))
    return FALSE;
  source = rounds_couch_setup_get_validate_source ();
  if (design == NULL)
    g_ptr_array_add (list, g_strdup_printf (_("The design document %s is missing"),
                                            ROUNDS_COUCH_DESIGN_DOC_ID));
  else if (!design_is_current (design, source))
    g_ptr_array_add (list, g_strdup_printf (_("The design document %s has another "
                                              "validate_doc_update than this Rounds"),
                                            ROUNDS_COUCH_DESIGN_DOC_ID));

  *findings = g_steal_pointer (&list);
  return TRUE;
}

/**
 * rounds_couch_setup_apply:
 * @changes: (out) (transfer full) (element-type utf8): what was changed, one sentence
 *   each; empty when everything was set up already
 *
 * Creates the database, adds the member and administrator roles to its _security and
 * installs or updates the design document. Needs a server administrator to create the
 * database, a database administrator for the rest.
 */
gboolean
rounds_couch_setup_apply (RoundsCouch   *couch,
                          GPtrArray    **changes,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) security = NULL;
  g_autoptr(JsonObject) design = NULL;
  g_autofree char *source = rounds_couch_setup_get_validate_source ();
  gboolean exists;
  gboolean changed;

  g_return_val_if_fail (ROUNDS_IS_COUCH (couch), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!db_exists (couch, &exists, cancellable, error))
    return FALSE;
  if (!exists)
    {
      g_autoptr(GError) local_error = NULL;

      /* Another administrator may create it at the same moment: that is as good. */
      if (!rounds_couch_create_db (couch, cancellable, &local_error) &&
          !g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_ptr_array_add (list, g_strdup_printf (_("Created the database %s"),
                                              rounds_couch_get_url (couch)));
    }

  if (!(security = rounds_couch_get_doc (couch, "_security", cancellable, error)))
    return FALSE;
  changed = add_roles (security, "members", member_roles, G_N_ELEMENTS (member_roles), list);
  changed |= add_roles (security, "admins", admin_roles, G_N_ELEMENTS (admin_roles), list);
  if (changed)
    {
      g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), security);
      g_autoptr(JsonNode) answer = rounds_couch_request (couch, "PUT", "_security", body, NULL,
                                                         cancellable, error);

      if (answer == NULL)
        return FALSE;
    }

  if (!get_optional (couch, ROUNDS_COUCH_DESIGN_DOC_ID, &design, cancellable, error))
    return FALSE;
  if (design == NULL || !design_is_current (design, source))
    {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autofree char *rev = NULL;

      json_object_set_string_member (doc, "_id", ROUNDS_COUCH_DESIGN_DOC_ID);
      if (design != NULL && _rounds_json_get_string (design, "_rev") != NULL)
        json_object_set_string_member (doc, "_rev", _rounds_json_get_string (design, "_rev"));
      json_object_set_string_member (doc, "language", "javascript");
      json_object_set_string_member (doc, "validate_doc_update", source);
      if (!(rev = rounds_couch_put_doc (couch, ROUNDS_COUCH_DESIGN_DOC_ID, doc, cancellable,
                                        error)))
        return FALSE;
      g_ptr_array_add (list, g_strdup_printf (design == NULL ? _("Installed the design document %s")
                                                             : _("Updated the design document %s"),
                                              ROUNDS_COUCH_DESIGN_DOC_ID));
    }

  *changes = g_steal_pointer (&list);
  return TRUE;
}
