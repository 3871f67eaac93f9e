/* rounds-markdown.h: scenarios, responses and instructions written in Markdown, drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_MARKDOWN_VIEW (rounds_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (RoundsMarkdownView, rounds_markdown_view, ROUNDS, MARKDOWN_VIEW, GtkWidget)

char      *rounds_markdown_to_pango          (const char         *markdown);

GtkWidget *rounds_markdown_view_new          (void);
void       rounds_markdown_view_set_markdown (RoundsMarkdownView *self,
                                              const char         *markdown);
GtkLabel  *rounds_markdown_view_get_label    (RoundsMarkdownView *self);

G_END_DECLS
