/* rounds-util-private.h: small helpers shared inside the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *_rounds_now_iso8601       (void);
char *_rounds_format_iso8601    (GDateTime  *time);
char *_rounds_doc_id            (const char *kind,
                                 ...) G_GNUC_NULL_TERMINATED;
char *_rounds_sha256_hex        (const char *data,
                                 gssize      len);

char      *_rounds_json_builder_to_string (JsonBuilder *builder);
JsonArray *_rounds_json_parse_array       (const char  *text);

/* Type-checked members: %NULL (or %FALSE, or the default) when missing or of another type. */
const char *_rounds_json_get_string (JsonObject *object,
                                     const char *member);
gboolean    _rounds_json_get_int    (JsonObject *object,
                                     const char *member,
                                     gint64     *value);
gboolean    _rounds_json_get_bool   (JsonObject *object,
                                     const char *member,
                                     gboolean    default_value);
JsonObject *_rounds_json_get_object (JsonObject *object,
                                     const char *member);
JsonArray  *_rounds_json_get_array  (JsonObject *object,
                                     const char *member);

typedef struct _RoundsArena RoundsArena;

RoundsArena *_rounds_arena_new   (void);
void         _rounds_arena_free  (RoundsArena *arena);
gpointer     _rounds_arena_alloc (RoundsArena *arena,
                                  gsize        size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsArena, _rounds_arena_free)

G_END_DECLS
