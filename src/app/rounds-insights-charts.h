/* rounds-insights-charts.h: the Insights figures drawn with cairo, on screen and in the report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-insights.h"

G_BEGIN_DECLS

/**
 * RoundsInsightsChartKind:
 * @ROUNDS_INSIGHTS_CHART_LEADERBOARD: a forest plot: each model's rating and interval
 * @ROUNDS_INSIGHTS_CHART_MATRIX: a heat map: the share of each pair's comparisons a row's
 *   model won (ties as half)
 * @ROUNDS_INSIGHTS_CHART_CRITERIA: per criterion, each model's mean score and interval
 * @ROUNDS_INSIGHTS_CHART_POSITION: per annotator, the share of decisive judgements that
 *   preferred the response shown first, against the 50 % line
 * @ROUNDS_INSIGHTS_CHART_TIME: per annotator, every time on task, with the 10th to 90th
 *   percentile and the median
 */
typedef enum
{
  ROUNDS_INSIGHTS_CHART_LEADERBOARD,
  ROUNDS_INSIGHTS_CHART_MATRIX,
  ROUNDS_INSIGHTS_CHART_CRITERIA,
  ROUNDS_INSIGHTS_CHART_POSITION,
  ROUNDS_INSIGHTS_CHART_TIME,
} RoundsInsightsChartKind;

#define ROUNDS_INSIGHTS_N_CHARTS 5

/**
 * RoundsChartStyle:
 * @foreground: text, axes and points
 * @accent: the figures' own colour (points, bars)
 * @negative: the other end of the heat map, and a flagged bar
 * @font: (not nullable): the text's font, size included
 * @dpi: the text's resolution: 96 on screen (GTK's), 72 in a PDF (whose unit is the point)
 *
 * What a chart is drawn with: the widget's colours and font, or the report's.
 */
typedef struct
{
  GdkRGBA                     foreground;
  GdkRGBA                     accent;
  GdkRGBA                     negative;
  const PangoFontDescription *font;
  double                      dpi;
} RoundsChartStyle;

const char *rounds_insights_chart_kind_get_title (RoundsInsightsChartKind  kind);

/* A layout of @text in @style's font and resolution, to be shown on @cr. */
PangoLayout *rounds_chart_style_create_layout  (const RoundsChartStyle  *style,
                                                cairo_t                 *cr,
                                                const char              *text);

/* @names: user name → the name shown (pseudonyms), or %NULL for user names */
const char *rounds_insights_annotator_name     (GHashTable              *names,
                                                const char              *user_name);

double      rounds_insights_chart_get_height   (RoundsInsightsChartKind  kind,
                                                const RoundsInsights    *insights,
                                                const RoundsChartStyle  *style);
void        rounds_insights_chart_draw         (RoundsInsightsChartKind  kind,
                                                const RoundsInsights    *insights,
                                                GHashTable              *names,
                                                const RoundsChartStyle  *style,
                                                cairo_t                 *cr,
                                                double                   width,
                                                double                   height);
/* The chart's figures as plain text, one line each: what a screen reader says for it. */
char       *rounds_insights_chart_describe     (RoundsInsightsChartKind  kind,
                                                const RoundsInsights    *insights,
                                                GHashTable              *names);

#define ROUNDS_TYPE_INSIGHTS_CHART (rounds_insights_chart_get_type ())

G_DECLARE_FINAL_TYPE (RoundsInsightsChart, rounds_insights_chart, ROUNDS, INSIGHTS_CHART,
                      GtkWidget)

GtkWidget  *rounds_insights_chart_new          (RoundsInsightsChartKind  kind);
RoundsInsightsChartKind rounds_insights_chart_get_kind (RoundsInsightsChart *self);
/* @insights and @names are borrowed: they must outlive the chart or be replaced first. */
void        rounds_insights_chart_set_insights (RoundsInsightsChart     *self,
                                                const RoundsInsights    *insights,
                                                GHashTable              *names);

G_END_DECLS
