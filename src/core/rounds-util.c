/* rounds-util.c: small helpers shared inside the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>

#include "rounds-util-private.h"

#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

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

/* Type-checked members ----------------------------------------------------------------- */

/* What a server, a peer or a file sent is read with these: a member of a type other than the
 * one expected reads as missing, where json-glib's own getters would log a critical. */

const char *
_rounds_json_get_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
_rounds_json_get_int (JsonObject *object,
                      const char *member,
                      gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
_rounds_json_get_bool (JsonObject *object,
                       const char *member,
                       gboolean    default_value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

JsonObject *
_rounds_json_get_object (JsonObject *object,
                         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_rounds_json_get_array (JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Arenas ------------------------------------------------------------------------------ */

#define ARENA_FIRST_BLOCK (64 * 1024)
#define ARENA_LARGEST_BLOCK (8 * 1024 * 1024)
#define ARENA_HUGE_PAGE (2 * 1024 * 1024)

/* Many small blocks that live and die together: a million judgements for the insights.
 * Blocks double from 64 KiB to 8 MiB; the large ones ask for huge pages where the system
 * has them, since touching hundreds of MiB page by page is what costs the time then. */
struct _RoundsArena
{
  GPtrArray *blocks;
  char      *next;
  gsize      left;
  gsize      block_size;
};

RoundsArena *
_rounds_arena_new (void)
{
  RoundsArena *arena = g_new0 (RoundsArena, 1);

  arena->blocks = g_ptr_array_new_with_free_func (g_aligned_free);
  arena->block_size = ARENA_FIRST_BLOCK;
  return arena;
}

void
_rounds_arena_free (RoundsArena *arena)
{
  if (arena == NULL)
    return;
  g_ptr_array_unref (arena->blocks);
  g_free (arena);
}

/* @size bytes aligned for any pointer or number, freed with the arena. */
gpointer
_rounds_arena_alloc (RoundsArena *arena,
                     gsize        size)
{
  gpointer memory;

  size = (size + 15) & ~(gsize) 15;
  if (size > arena->left)
    {
      gsize block = arena->block_size;

      while (block < size)
        block *= 2;
      arena->next = g_aligned_alloc (1, block, MIN (block, ARENA_HUGE_PAGE));
#ifdef MADV_HUGEPAGE
      if (block >= ARENA_HUGE_PAGE)
        madvise (arena->next, block, MADV_HUGEPAGE);
#endif
      g_ptr_array_add (arena->blocks, arena->next);
      arena->left = block;
      arena->block_size = MIN (block * 2, ARENA_LARGEST_BLOCK);
    }
  memory = arena->next;
  arena->next += size;
  arena->left -= size;
  return memory;
}
