/* rounds-import-fields.c: reading a record's fields, with errors that name the file, the
 * line and the field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-json-scan-private.h"

/* Errors ---------------------------------------------------------------------------- */

gboolean
_rounds_import_fail (RoundsImportRun  *run,
                     GError          **error,
                     const char       *field,
                     const char       *format,
                     ...)
{
  GError *cause;
  va_list args;

  va_start (args, format);
  cause = g_error_new_valist (ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT, format, args);
  va_end (args);
  return _rounds_import_fail_with (run, error, field, cause);
}

/* Fails with what @cause, from a lower layer, says: about @field when it names one; else
 * prefixed with the file and line, keeping its code. */
gboolean
_rounds_import_fail_with (RoundsImportRun  *run,
                          GError          **error,
                          const char       *field,
                          GError           *cause)
{
  if (field == NULL)
    {
      g_propagate_prefixed_error (error, cause, "%s:%u: ", run->display, run->line);
      return FALSE;
    }
  /* Translators: FILE:LINE: field “FIELD”: what is wrong */
  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT, _("%s:%u: field “%s”: %s"),
               run->display, run->line, field, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* What json-glib would cut short, garble or crash on: a NUL character, an unpaired
 * surrogate and nesting deeper than ROUNDS_JSON_MAX_DEPTH, refused before @text is parsed.
 * The error names @field, else the field on the line that holds the character. */
gboolean
_rounds_import_scan_json (RoundsImportRun  *run,
                          const char       *text,
                          gsize             length,
                          const char       *field,
                          GError          **error)
{
  g_autofree char *found = NULL;
  RoundsJsonScan scan = _rounds_json_scan (text, length, &found);
  g_autofree char *what = _rounds_json_scan_describe (scan);

  if (scan == ROUNDS_JSON_SCAN_OK)
    return TRUE;
  /* Too deep, the scan names no field: only the caller's. */
  return _rounds_import_fail (run, error,
                              field || scan == ROUNDS_JSON_SCAN_TOO_DEEP ? field : found,
                              "%s", what);
}

/* Member checks --------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
wrong (GError     **error,
       const char  *message)
{
  g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT, message);
  return FALSE;
}

gboolean
_rounds_import_member_text (JsonObject  *object,
                            const char  *member,
                            gboolean     required,
                            gboolean     is_key,
                            char       **out,
                            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return !required || wrong (error, _("missing: it is required"));
  if (is_key && json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_strdup (json_node_get_string (node));
  else
    return wrong (error, is_key ? _("expected a string or an integer") : _("expected a string"));

  if (!is_key && required && is_blank (*out))
    return wrong (error, _("empty: it is required"));
  if (is_key && (**out == '\0' || strlen (*out) > 256))
    return wrong (error, _("expected 1 to 256 characters"));
  if (is_key && !_rounds_event_valid_key (*out))
    return wrong (error, _("control characters are not allowed in an id"));
  return TRUE;
}

gboolean
_rounds_import_member_int (JsonObject  *object,
                           const char  *member,
                           gint64       min,
                           gint64       max,
                           gint64      *out,
                           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong (error, _("expected an integer"));
  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                   _("expected an integer from %lld to %lld"), (long long) min, (long long) max);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_rounds_import_member_names (JsonObject          *object,
                             const char * const  *allowed,
                             const char         **unknown,
                             GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        *unknown = l->data;
        return wrong (error, _("unknown field: put extra data under “metadata”"));
      }
  return TRUE;
}

/* Field readers --------------------------------------------------------------------- */

/* The name errors give @member: its path on the line, as “responses[2].text”. */
static char *
field_path (RoundsImportRecord *record,
            const char         *member)
{
  if (record->prefix == NULL)
    return g_strdup (member);
  return g_strconcat (record->prefix, ".", member, NULL);
}

/* Fails with what @cause says is wrong with @member. */
static gboolean
refused (RoundsImportRecord  *record,
         const char          *member,
         GError             **error,
         GError              *cause)
{
  g_autofree char *field = field_path (record, member);

  return _rounds_import_fail_with (record->run, error, field, cause);
}

gboolean
_rounds_import_get_string (RoundsImportRecord  *record,
                           const char          *member,
                           gboolean             required,
                           char               **out,
                           GError             **error)
{
  GError *cause = NULL;

  return _rounds_import_member_text (record->object, member, required, FALSE, out, &cause) ||
         refused (record, member, error, cause);
}

/* An identifier: a non-empty string, or an integer written as one. */
gboolean
_rounds_import_get_key (RoundsImportRecord  *record,
                        const char          *member,
                        gboolean             required,
                        char               **out,
                        GError             **error)
{
  GError *cause = NULL;

  return _rounds_import_member_text (record->object, member, required, TRUE, out, &cause) ||
         refused (record, member, error, cause);
}

gboolean
_rounds_import_get_int (RoundsImportRecord  *record,
                        const char          *member,
                        gint64               min,
                        gint64               max,
                        gint64              *out,
                        GError             **error)
{
  GError *cause = NULL;

  return _rounds_import_member_int (record->object, member, min, max, out, &cause) ||
         refused (record, member, error, cause);
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
  GError *cause = NULL;
  const char *unknown = NULL;

  return _rounds_import_member_names (record->object, allowed, &unknown, &cause) ||
         refused (record, unknown, error, cause);
}

char *
_rounds_import_node_to_json (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}
