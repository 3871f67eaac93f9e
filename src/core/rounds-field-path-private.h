/* rounds-field-path-private.h: paths into JSON records, such as "answers[].text"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RoundsFieldPath RoundsFieldPath;

RoundsFieldPath *_rounds_field_path_parse    (const char       *text,
                                              GError          **error);
void             _rounds_field_path_free     (RoundsFieldPath  *path);
const char      *_rounds_field_path_get_text (RoundsFieldPath  *path);
gboolean         _rounds_field_path_is_list  (RoundsFieldPath  *path);
void             _rounds_field_path_eval     (RoundsFieldPath  *path,
                                              JsonNode         *root,
                                              GPtrArray        *nodes,
                                              GPtrArray        *names);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsFieldPath, _rounds_field_path_free)

G_END_DECLS
