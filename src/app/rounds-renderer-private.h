/* rounds-renderer-private.h: the cairo renderer, and no animations, where OpenGL is drawn in
 * software
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean    _rounds_renderer_is_software   (const char *gl_renderer);
const char *_rounds_renderer_choose        (const char *user_choice,
                                            const char *gl_renderer);
char       *_rounds_renderer_dup_gl_name   (GdkDisplay *display);
char       *_rounds_renderer_dup_gl_name_from_context (GdkDisplay *display);
void        _rounds_renderer_init          (GdkDisplay *display);

G_END_DECLS
