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

/* The name errors give @member: its path on the line, as “responses[2].text”. */
static char *
field_path (RoundsImportRecord *record,
            const char         *member)
{
  if (record->prefix == NULL)
    return g_strdup (member);
  return g_strconcat (record->prefix, ".", member, NULL);
}

/* The member's text, %NULL when it is missing or null, which fails if it is @required;
 * with @integers, an integer is read as its decimal text. */
static gboolean
get_text (RoundsImportRecord  *record,
          const char          *member,
          const char          *field,
          gboolean             required,
          gboolean             integers,
          char               **out,
          GError             **error)
{
  JsonNode *node = json_object_get_member (record->object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return _rounds_import_fail (record->run, error, field, _("missing: it is required"));
      return TRUE;
    }
  if (integers && json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_strdup (json_node_get_string (node));
  else
    return _rounds_import_fail (record->run, error, field,
                                integers ? _("expected a string or an integer")
                                         : _("expected a string"));
  return TRUE;
}

gboolean
_rounds_import_get_string (RoundsImportRecord  *record,
                           const char          *member,
                           gboolean             required,
                           char               **out,
                           GError             **error)
{
  g_autofree char *field = field_path (record, member);

  if (!get_text (record, member, field, required, FALSE, out, error))
    return FALSE;
  if (required && is_blank (*out))
    return _rounds_import_fail (record->run, error, field, _("empty: it is required"));
  return TRUE;
}

/* An identifier: a non-empty string, or an integer written as one. */
gboolean
_rounds_import_get_key (RoundsImportRecord  *record,
                        const char          *member,
                        gboolean             required,
                        char               **out,
                        GError             **error)
{
  g_autofree char *field = field_path (record, member);

  if (!get_text (record, member, field, required, TRUE, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  if (**out == '\0' || strlen (*out) > 256)
    return _rounds_import_fail (record->run, error, field, _("expected 1 to 256 characters"));
  for (const char *p = *out; *p; p++)
    if ((guchar) *p < 0x20)
      return _rounds_import_fail (record->run, error, field,
                                  _("control characters are not allowed in an id"));
  return TRUE;
}

gboolean
_rounds_import_get_int (RoundsImportRecord  *record,
                        const char          *member,
                        gint64               min,
                        gint64               max,
                        gint64              *out,
                        GError             **error)
{
  JsonNode *node = json_object_get_member (record->object, member);
  g_autofree char *field = NULL;

  if (node == NULL)
    return TRUE;
  field = field_path (record, member);
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return _rounds_import_fail (record->run, error, field, _("expected an integer"));
  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    return _rounds_import_fail (record->run, error, field,
                                _("expected an integer from %lld to %lld"),
                                (long long) min, (long long) max);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_rounds_import_get_object (RoundsImportRecord  *record,
                           const char          *member,
                           JsonNode           **out,
                           GError             **error)
{
  JsonNode *node = json_object_get_member (record->object, member);
  g_autofree char *field = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  field = field_path (record, member);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _rounds_import_fail (record->run, error, field, _("expected an object"));
  *out = json_node_copy (node);
  return TRUE;
}

gboolean
_rounds_import_check_members (RoundsImportRecord  *record,
                              const char * const  *allowed,
                              GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (record->object);

  for (const GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *field = field_path (record, l->data);

        return _rounds_import_fail (record->run, error, field,
                                    _("unknown field: put extra data under “metadata”"));
      }
  return TRUE;
}

char *
_rounds_import_node_to_json (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}
