/* rounds-insights-report.h: the Insights figures as text, and as a PDF report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-insights.h"

G_BEGIN_DECLS

/* The annotators the figures name, each once, sorted. */
GPtrArray  *rounds_insights_list_annotators (const RoundsInsights  *insights);
/* User name → pseudonym of every annotator, made with @key as exports make them. */
GHashTable *rounds_insights_pseudonyms      (const RoundsInsights  *insights,
                                             const char            *key);

/* Every figure as plain text, one per line under a heading per figure: the page's text
 * alternative, its Copy Figures, and the report's tables. @names: as the charts take it. */
char       *rounds_insights_describe        (const RoundsInsights  *insights,
                                             GHashTable            *names);

/* Writes the report to @path (replaced only once it is complete): what was counted, the
 * dataset(s), the rubric version, the annotators by @names (pseudonyms; %NULL for user
 * names), @date, the Rounds version, then every chart with its table. */
gboolean    rounds_insights_write_pdf       (const RoundsInsights  *insights,
                                             GHashTable            *names,
                                             GDateTime             *date,
                                             const char            *path,
                                             GError               **error);

G_END_DECLS
