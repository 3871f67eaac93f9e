/* rounds-import-fields.c: reading a record's fields, with errors that name the file, the
 * line and the field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-importer-private.h"

/* Errors ---------------------------------------------------------------------------- */

gboolean
_rounds_import_fail (RoundsImportRun  *run,
                     GError          **error,
                     const char       *field,
                     const char       *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL)
    /* Translators: FILE:LINE: field “FIELD”: what is wrong */
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                 _("%s:%u: field “%s”: %s"), run->display, run->line, field, message);
  else
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                 "%s:%u: %s", run->display, run->line, message);
  return FALSE;
}

/* Prefixes an error from a lower layer with the file and line, keeping its code. */
gboolean
_rounds_import_fail_with (RoundsImportRun  *run,
                          GError          **error,
                          GError           *cause)
{
  g_propagate_prefixed_error (error, cause, "%s:%u: ", run->display, run->line);
  return FALSE;
}

/* Field readers --------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The text of a string node; %NULL for a missing node or any other kind, where json-glib's
 * string getters would warn. */
const char *
_rounds_import_node_string (JsonNode *node)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The member's node, %NULL when it is missing or null, which fails if it is @required. */
static gboolean
get_present (RoundsImportRun  *run,
             JsonObject       *object,
             const char       *member,
             const char       *field,
             gboolean          required,
             JsonNode        **node,
             GError          **error)
{
  *node = json_object_get_member (object, member);
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;
  if (*node == NULL && required)
    return _rounds_import_fail (run, error, field, _("missing: it is required"));
  return TRUE;
}

/* The member's text, %NULL when it is missing; with @integers, an integer is read as its
 * decimal text. */
static gboolean
get_text (RoundsImportRun  *run,
          JsonObject       *object,
          const char       *member,
          const char       *field,
          gboolean          required,
          gboolean          integers,
          char            **out,
          GError          **error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_present (run, object, member, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (integers && json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_strdup (json_node_get_string (node));
  else if (integers)
    return _rounds_import_fail (run, error, field, _("expected a string or an integer"));
  else
    return _rounds_import_fail (run, error, field, _("expected a string"));
  return TRUE;
}

gboolean
_rounds_import_get_string (RoundsImportRun  *run,
                           JsonObject       *object,
                           const char       *member,
                           const char       *field,
                           gboolean          required,
                           char            **out,
                           GError          **error)
{
  if (!get_text (run, object, member, field, required, FALSE, out, error))
    return FALSE;
  if (required && is_blank (*out))
    return _rounds_import_fail (run, error, field, _("empty: it is required"));
  return TRUE;
}

/* An identifier: a non-empty string, or an integer written as one. */
gboolean
_rounds_import_get_key (RoundsImportRun  *run,
                        JsonObject       *object,
                        const char       *member,
                        const char       *field,
                        gboolean          required,
                        char            **out,
                        GError          **error)
{
  if (!get_text (run, object, member, field, required, TRUE, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  if (**out == '\0' || strlen (*out) > 256)
    return _rounds_import_fail (run, error, field, _("expected 1 to 256 characters"));
  for (const char *p = *out; *p; p++)
    if ((guchar) *p < 0x20)
      return _rounds_import_fail (run, error, field,
                                  _("control characters are not allowed in an id"));
  return TRUE;
}

gboolean
_rounds_import_get_int (RoundsImportRun  *run,
                        JsonObject       *object,
                        const char       *member,
                        const char       *field,
                        gint64            min,
                        gint64            max,
                        gint64           *out,
                        GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return _rounds_import_fail (run, error, field, _("expected an integer"));
  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    return _rounds_import_fail (run, error, field, _("expected an integer from %lld to %lld"),
                                (long long) min, (long long) max);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_rounds_import_get_object (RoundsImportRun  *run,
                           JsonObject       *object,
                           const char       *member,
                           const char       *field,
                           JsonNode        **out,
                           GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _rounds_import_fail (run, error, field, _("expected an object"));
  *out = json_node_copy (node);
  return TRUE;
}

gboolean
_rounds_import_check_members (RoundsImportRun     *run,
                              JsonObject          *object,
                              const char * const  *allowed,
                              GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return _rounds_import_fail (run, error, l->data,
                                  _("unknown field: put extra data under “metadata”"));
  return TRUE;
}

char *
_rounds_import_node_to_json (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}
