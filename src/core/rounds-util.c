/* rounds-util.c: small helpers shared inside the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>

#include "rounds-util-private.h"

/* UTC with milliseconds, "2026-11-24T09:30:00.123Z": sorts as text, and a person reads it. */
char *
_rounds_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return _rounds_format_iso8601 (now);
}

/* A time as the store keeps every time: UTC with milliseconds, "2026-10-01T09:30:00.000Z",
 * so that times compare as strings. */
char *
_rounds_format_iso8601 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

/* A curation-store document id, "kind:part:part…". The parts are escaped so that a colon
 * in an item key cannot shift the fields: '%' and ':' become %25 and %3A. */
char *
_rounds_doc_id (const char *kind,
                ...)
{
  GString *id = g_string_new (kind);
  va_list args;
  const char *part;

  va_start (args, kind);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      g_string_append_c (id, ':');
      for (const char *p = part; *p; p++)
        {
          if (*p == '%')
            g_string_append (id, "%25");
          else if (*p == ':')
            g_string_append (id, "%3A");
          else
            g_string_append_c (id, *p);
        }
    }
  va_end (args);

  return g_string_free (id, FALSE);
}

char *
_rounds_sha256_hex (const char *data,
                    gssize      len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                      len < 0 ? strlen (data) : (gsize) len);
}

/* The compact JSON text of what @builder built. */
char *
_rounds_json_builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* @text parsed as a JSON array; %NULL when it is %NULL, unreadable or not an array. */
JsonArray *
_rounds_json_parse_array (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_array_ref (json_node_get_array (node));
}
