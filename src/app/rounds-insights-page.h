/* rounds-insights-page.h: which model the clinicians prefer, and how far to trust the labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-insights.h"
#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_INSIGHTS_PAGE (rounds_insights_page_get_type ())

G_DECLARE_FINAL_TYPE (RoundsInsightsPage, rounds_insights_page, ROUNDS, INSIGHTS_PAGE, GtkWidget)

GtkWidget            *rounds_insights_page_new          (void);
void                  rounds_insights_page_load         (RoundsInsightsPage  *self,
                                                         RoundsStore         *store,
                                                         const char *const   *datasets);
gboolean              rounds_insights_page_get_loading  (RoundsInsightsPage  *self);
const RoundsInsights *rounds_insights_page_get_insights (RoundsInsightsPage  *self);
char                 *rounds_insights_page_get_text     (RoundsInsightsPage  *self);
gboolean              rounds_insights_page_write_report (RoundsInsightsPage  *self,
                                                         const char          *path,
                                                         GError             **error);

G_END_DECLS
