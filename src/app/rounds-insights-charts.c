/* rounds-insights-charts.c: the Insights figures drawn with cairo, on screen and in the report
 *
 * Each figure is one function of a cairo context and a size, so that the page's widgets and
 * the PDF report draw the same thing; only the style differs (the widget's colours and font,
 * or the report's). Every figure also has a plain-text form, which the widget gives screen
 * readers as its description and the report prints as the figure's table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights-charts"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rounds-count.h"
#include "rounds-insights-charts.h"

/* Rows are this many text lines high, so that intervals and labels breathe. */
#define ROW_LINES 1.7
#define GAP_LINES 0.8

const char *
rounds_insights_chart_kind_get_title (RoundsInsightsChartKind kind)
{
  switch (kind)
    {
    case ROUNDS_INSIGHTS_CHART_LEADERBOARD:
      return _("Leaderboard");
    case ROUNDS_INSIGHTS_CHART_MATRIX:
      return _("Wins of each model over each other");
    case ROUNDS_INSIGHTS_CHART_CRITERIA:
      return _("Rubric scores per criterion");
    case ROUNDS_INSIGHTS_CHART_POSITION:
      return _("Position bias");
    case ROUNDS_INSIGHTS_CHART_TIME:
      return _("Time on task");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
rounds_insights_annotator_name (GHashTable *names,
                                const char *user_name)
{
  const char *name;

  if (user_name == NULL)
    /* TRANSLATORS: every annotator together, in the position bias and time on task */
    return _("Everyone");
  if (names != NULL && (name = g_hash_table_lookup (names, user_name)) != NULL)
    return name;
  return user_name;
}

/* Text ------------------------------------------------------------------------------- */

static double
line_height (const RoundsChartStyle *style)
{
  double size = pango_font_description_get_size (style->font) / (double) PANGO_SCALE;

  if (!pango_font_description_get_size_is_absolute (style->font))
    size *= style->dpi / 72.0;
  return ceil (MAX (size, 6.0) * 1.45);
}

static double
row_height (const RoundsChartStyle *style)
{
  return ceil (line_height (style) * ROW_LINES);
}

PangoLayout *
rounds_chart_style_create_layout (const RoundsChartStyle *style,
                                  cairo_t                *cr,
                                  const char             *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);

  pango_cairo_context_set_resolution (pango_layout_get_context (layout), style->dpi);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, style->font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_width (cairo_t                *cr,
            const RoundsChartStyle *style,
            const char             *text)
{
  g_autoptr(PangoLayout) layout = rounds_chart_style_create_layout (style, cr, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* @x is the left end, the centre or the right end by @align (0, 0.5, 1); @y the middle. */
static void
show_text (cairo_t                *cr,
           const RoundsChartStyle *style,
           const char             *text,
           double                  x,
           double                  y,
           double                  align)
{
  g_autoptr(PangoLayout) layout = rounds_chart_style_create_layout (style, cr, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - align * width), round (y - height / 2.0));
  pango_cairo_show_layout (cr, layout);
  /* The move leaves a current point, which the next arc would draw a line from. */
  cairo_new_path (cr);
}

static void
set_colour (cairo_t       *cr,
            const GdkRGBA *colour,
            double         alpha)
{
  cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, colour->alpha * alpha);
}

/* Axes -------------------------------------------------------------------------------- */

/* A round step (1, 2 or 5 times a power of ten) giving at most about @ticks ticks. */
static double
nice_step (double range,
           int    ticks)
{
  double raw = range / MAX (ticks, 1);
  double power = pow (10, floor (log10 (MAX (raw, 1e-9))));

  for (guint i = 0; i < 3; i++)
    {
      const double factors[] = { 1, 2, 5 };

      if (factors[i] * power >= raw)
        return factors[i] * power;
    }
  return 10 * power;
}

typedef struct
{
  double lo, hi, step;
  double x0, x1;       /* the plot's ends on the page */
} Axis;

static void
axis_init (Axis   *axis,
           double  lo,
           double  hi,
           int     ticks)
{
  if (!(hi > lo))
    {
      lo -= 1;
      hi += 1;
    }
  axis->step = nice_step (hi - lo, ticks);
  axis->lo = floor (lo / axis->step) * axis->step;
  axis->hi = ceil (hi / axis->step) * axis->step;
}

static double
axis_x (const Axis *axis,
        double      value)
{
  return axis->x0 + (value - axis->lo) / (axis->hi - axis->lo) * (axis->x1 - axis->x0);
}

typedef char *(*TickFormat) (double value);

static char *
format_plain (double value)
{
  return g_strdup_printf ("%g", value);
}

/* Vertical grid lines from @top to @bottom, their labels below. */
static void
draw_axis (cairo_t                *cr,
           const RoundsChartStyle *style,
           const Axis             *axis,
           double                  top,
           double                  bottom,
           TickFormat              format)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  for (double v = axis->lo; v <= axis->hi + axis->step / 2; v += axis->step)
    {
      double x = round (axis_x (axis, v)) + 0.5;
      g_autofree char *label = format (v);

      set_colour (cr, &style->foreground, 0.15);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      set_colour (cr, &style->foreground, 0.7);
      show_text (cr, style, label, x, bottom + line_height (style) / 2 + 2, 0.5);
    }
  cairo_restore (cr);
}

static double
widest (cairo_t                *cr,
        const RoundsChartStyle *style,
        GPtrArray              *texts)
{
  double width = 0;

  for (guint i = 0; i < texts->len; i++)
    width = MAX (width, text_width (cr, style, texts->pdata[i]));
  return ceil (width);
}

/* The frame of a chart of one row per label: @axis placed between the labels (left) and the
 * values (right), drawn under the rows, and each row's label and value. */
static void
draw_rows_frame (cairo_t                *cr,
                 const RoundsChartStyle *style,
                 Axis                   *axis,
                 GPtrArray              *labels,
                 GPtrArray              *values,
                 double                  width,
                 TickFormat              format)
{
  double row = row_height (style), gap = line_height (style) * GAP_LINES;

  axis->x0 = widest (cr, style, labels) + gap;
  axis->x1 = MAX (axis->x0 + 60, width - widest (cr, style, values) - gap);
  draw_axis (cr, style, axis, 0, labels->len * row, format);
  set_colour (cr, &style->foreground, 1);
  for (guint i = 0; i < labels->len; i++)
    {
      show_text (cr, style, labels->pdata[i], 0, (i + 0.5) * row, 0);
      show_text (cr, style, values->pdata[i], width, (i + 0.5) * row, 1);
    }
}

/* A horizontal interval with end caps, and its point. */
static void
draw_interval (cairo_t                *cr,
               const RoundsChartStyle *style,
               const Axis             *axis,
               double                  y,
               double                  lower,
               double                  upper,
               double                  value,
               double                  cap)
{
  set_colour (cr, &style->foreground, 0.85);
  cairo_set_line_width (cr, 1.5);
  if (isfinite (lower) && isfinite (upper))
    {
      cairo_move_to (cr, axis_x (axis, lower), y);
      cairo_line_to (cr, axis_x (axis, upper), y);
      cairo_move_to (cr, axis_x (axis, lower), y - cap);
      cairo_line_to (cr, axis_x (axis, lower), y + cap);
      cairo_move_to (cr, axis_x (axis, upper), y - cap);
      cairo_line_to (cr, axis_x (axis, upper), y + cap);
      cairo_stroke (cr);
    }
  set_colour (cr, &style->accent, 1);
  cairo_arc (cr, axis_x (axis, value), y, cap * 0.9, 0, 2 * G_PI);
  cairo_fill_preserve (cr);
  set_colour (cr, &style->foreground, 0.85);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* The level of the intervals, as "95%". */
static char *
level_text (const RoundsInsights *insights)
{
  double confidence = insights->options.confidence > 0 ? insights->options.confidence : 0.95;

  return g_strdup_printf ("%.0f%%", 100 * confidence);
}

static char *
interval_text (const RoundsInsights *insights,
               int                   decimals,
               double                lower,
               double                upper)
{
  g_autofree char *level = level_text (insights);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  if (!isfinite (lower) || !isfinite (upper))
    return g_strdup (_("no interval"));
  low = g_strdup_printf ("%.*f", decimals, lower);
  high = g_strdup_printf ("%.*f", decimals, upper);
  /* TRANSLATORS: a confidence interval: "95% interval 1012–1075" */
  return g_strdup_printf (_("%s interval %s–%s"), level, low, high);
}

/* The leaderboard --------------------------------------------------------------------- */

static char *
rating_label (const RoundsModelRating *r)
{
  return g_strdup_printf ("%u. %s", r->rank, r->model);
}

static char *
rating_value (const RoundsModelRating *r)
{
  if (isfinite (r->lower) && isfinite (r->upper))
    return g_strdup_printf ("%.0f  [%.0f, %.0f]", r->rating, r->lower, r->upper);
  return g_strdup_printf ("%.0f", r->rating);
}

static void
draw_leaderboard (const RoundsInsights   *insights,
                  const RoundsChartStyle *style,
                  cairo_t                *cr,
                  double                  width)
{
  GPtrArray *ratings = insights->ratings;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  double row = row_height (style);
  double lo = INFINITY, hi = -INFINITY;
  Axis axis;

  for (guint i = 0; i < ratings->len; i++)
    {
      const RoundsModelRating *r = ratings->pdata[i];

      g_ptr_array_add (labels, rating_label (r));
      g_ptr_array_add (values, rating_value (r));
      lo = MIN (lo, isfinite (r->lower) ? MIN (r->lower, r->rating) : r->rating);
      hi = MAX (hi, isfinite (r->upper) ? MAX (r->upper, r->rating) : r->rating);
    }
  axis_init (&axis, lo, hi, 6);
  draw_rows_frame (cr, style, &axis, labels, values, width, format_plain);
  for (guint i = 0; i < ratings->len; i++)
    {
      const RoundsModelRating *r = ratings->pdata[i];

      draw_interval (cr, style, &axis, (i + 0.5) * row, r->lower, r->upper, r->rating, row / 5);
    }
}

static void
describe_leaderboard (const RoundsInsights *insights,
                      GString              *text)
{
  for (guint i = 0; i < insights->ratings->len; i++)
    {
      const RoundsModelRating *r = insights->ratings->pdata[i];
      g_autofree char *interval = interval_text (insights, 0, r->lower, r->upper);
      g_autofree char *wins = rounds_format_counted (r->wins, "%s win", "%s wins");
      g_autofree char *ties = rounds_format_counted (r->ties, "%s tie", "%s ties");
      g_autofree char *losses = rounds_format_counted (r->losses, "%s loss", "%s losses");
      g_autofree char *unacceptable = rounds_format_counted (r->unacceptable, "%s unacceptable",
                                                             "%s unacceptable");

      /* TRANSLATORS: one model of the leaderboard: rank, name, rating, interval, then its
       * wins, ties, losses and unacceptable judgements, each counted ("3 wins") */
      g_string_append_printf (text, _("%u. %s: %.0f (%s); %s, %s, %s, %s"),
                              r->rank, r->model, r->rating, interval, wins, ties, losses,
                              unacceptable);
      g_string_append_c (text, '\n');
    }
}

/* The win matrix ---------------------------------------------------------------------- */

static double
matrix_share (const RoundsInsights *insights,
              guint                 i,
              guint                 j)
{
  guint n = insights->ratings->len;
  double count = insights->matrix_count[i * n + j];

  return count > 0 ? insights->matrix[i * n + j] / count : NAN;
}

static void
draw_matrix (const RoundsInsights   *insights,
             const RoundsChartStyle *style,
             cairo_t                *cr,
             double                  width)
{
  guint n = insights->ratings->len;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  double row = row_height (style), gap = line_height (style) * GAP_LINES;
  double label_w, cell_w, name_w = 0;
  gboolean names_fit;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, ((RoundsModelRating *) insights->ratings->pdata[i])->model);
  label_w = widest (cr, style, names) + gap;
  cell_w = MIN ((width - label_w) / MAX (n, 1), 4 * row);
  cell_w = MAX (cell_w, text_width (cr, style, "100%") + gap);
  name_w = widest (cr, style, names);
  names_fit = name_w + gap / 2 <= cell_w;

  for (guint j = 0; j < n; j++)
    {
      g_autofree char *number = g_strdup_printf ("%u", j + 1);

      set_colour (cr, &style->foreground, 0.85);
      show_text (cr, style, names_fit ? names->pdata[j] : number,
                 label_w + (j + 0.5) * cell_w, row / 2, 0.5);
    }
  for (guint i = 0; i < n; i++)
    {
      double y = (i + 1) * row;
      g_autofree char *label = names_fit ? g_strdup (names->pdata[i])
                                         : g_strdup_printf ("%u %s", i + 1,
                                                            (char *) names->pdata[i]);

      set_colour (cr, &style->foreground, 1);
      show_text (cr, style, label, 0, y + row / 2, 0);
      for (guint j = 0; j < n; j++)
        {
          double share = matrix_share (insights, i, j);
          double x = label_w + j * cell_w;
          g_autofree char *cell = NULL;

          if (i == j || isnan (share))
            {
              set_colour (cr, &style->foreground, 0.06);
              cairo_rectangle (cr, x + 1, y + 1, cell_w - 2, row - 2);
              cairo_fill (cr);
              continue;
            }
          /* Never so strong that the text on it is hard to read, light or dark. */
          set_colour (cr, share >= 0.5 ? &style->accent : &style->negative,
                      0.1 + 0.55 * fabs (share - 0.5) * 2);
          cairo_rectangle (cr, x + 1, y + 1, cell_w - 2, row - 2);
          cairo_fill (cr);
          cell = g_strdup_printf ("%.0f%%", 100 * share);
          set_colour (cr, &style->foreground, 1);
          show_text (cr, style, cell, x + cell_w / 2, y + row / 2, 0.5);
        }
    }
}

static void
describe_matrix (const RoundsInsights *insights,
                 GString              *text)
{
  guint n = insights->ratings->len;

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double share = matrix_share (insights, i, j);

        if (i == j || isnan (share))
          continue;
        /* TRANSLATORS: the win matrix: a model's share of its comparisons with another */
        g_string_append_printf (text, _("%s over %s: %.0f%% of %.0f comparisons"),
                                ((RoundsModelRating *) insights->ratings->pdata[i])->model,
                                ((RoundsModelRating *) insights->ratings->pdata[j])->model,
                                100 * share, insights->matrix_count[i * n + j]);
        g_string_append_c (text, '\n');
      }
}

/* The rubric criteria ------------------------------------------------------------------ */

/* The criteria in the order the insights list them, each once. */
static GPtrArray *
list_criteria (const RoundsInsights *insights)
{
  GPtrArray *criteria = g_ptr_array_new ();

  for (guint i = 0; i < insights->criteria->len; i++)
    {
      const RoundsCriterionScore *s = insights->criteria->pdata[i];

      if (!g_ptr_array_find_with_equal_func (criteria, s->criterion, g_str_equal, NULL))
        g_ptr_array_add (criteria, s->criterion);
    }
  return criteria;
}

static void
draw_criteria (const RoundsInsights   *insights,
               const RoundsChartStyle *style,
               cairo_t                *cr,
               double                  width)
{
  g_autoptr(GPtrArray) criteria = list_criteria (insights);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  double row = row_height (style), gap = line_height (style) * GAP_LINES;
  double lo = INFINITY, hi = -INFINITY, y = 0, bar = row * 0.45;
  Axis axis;

  for (guint i = 0; i < insights->criteria->len; i++)
    {
      const RoundsCriterionScore *s = insights->criteria->pdata[i];

      g_ptr_array_add (labels, s->model);
      g_ptr_array_add (values, g_strdup_printf ("%.2f", s->mean));
      lo = MIN (lo, isfinite (s->lower) ? MIN (s->lower, s->mean) : s->mean);
      hi = MAX (hi, isfinite (s->upper) ? MAX (s->upper, s->mean) : s->mean);
    }
  /* Bars start at the scale's usual bottom, 1, or 0 where a score is below it. */
  axis_init (&axis, lo < 1 ? 0 : 1, ceil (hi), 5);
  axis.step = MAX (axis.step, 1);
  axis.x0 = widest (cr, style, labels) + 2 * gap;
  axis.x1 = MAX (axis.x0 + 60, width - widest (cr, style, values) - gap);
  draw_axis (cr, style, &axis, 0, (criteria->len + insights->criteria->len) * row, format_plain);

  for (guint c = 0; c < criteria->len; c++)
    {
      gboolean heading = FALSE;

      for (guint i = 0; i < insights->criteria->len; i++)
        {
          const RoundsCriterionScore *s = insights->criteria->pdata[i];
          double x0 = axis_x (&axis, axis.lo);

          if (!g_str_equal (s->criterion, criteria->pdata[c]))
            continue;
          if (!heading)
            {
              PangoFontDescription *bold = pango_font_description_copy (style->font);
              RoundsChartStyle heading_style = *style;

              pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
              heading_style.font = bold;
              set_colour (cr, &style->foreground, 1);
              show_text (cr, &heading_style, s->label ? s->label : s->criterion, 0, y + row / 2,
                         0);
              pango_font_description_free (bold);
              heading = TRUE;
              y += row;
            }
          set_colour (cr, &style->foreground, 0.85);
          show_text (cr, style, s->model, gap, y + row / 2, 0);
          set_colour (cr, &style->accent, 0.75);
          cairo_rectangle (cr, x0, y + (row - bar) / 2, axis_x (&axis, s->mean) - x0, bar);
          cairo_fill (cr);
          draw_interval (cr, style, &axis, y + row / 2, s->lower, s->upper, s->mean, row / 5);
          set_colour (cr, &style->foreground, 1);
          show_text (cr, style, g_ptr_array_index (values, i), width, y + row / 2, 1);
          y += row;
        }
    }
}

static void
describe_criteria (const RoundsInsights *insights,
                   GString              *text)
{
  for (guint i = 0; i < insights->criteria->len; i++)
    {
      const RoundsCriterionScore *s = insights->criteria->pdata[i];
      g_autofree char *interval = interval_text (insights, 2, s->lower, s->upper);
      g_autofree char *scores = rounds_format_counted (s->n, "%s score", "%s scores");

      /* TRANSLATORS: a model's mean score on a rubric criterion, its interval and how many
       * scores ("12 scores") */
      g_string_append_printf (text, _("%s, %s: %.2f (%s; %s)"),
                              s->label ? s->label : s->criterion, s->model, s->mean, interval,
                              scores);
      g_string_append_c (text, '\n');
    }
}

/* Position bias ----------------------------------------------------------------------- */

static char *
format_percent (double value)
{
  return g_strdup_printf ("%g%%", 100 * value);
}

static char *
format_p (double p)
{
  if (!isfinite (p))
    return g_strdup ("p = –");
  if (p < 0.001)
    return g_strdup ("p < 0.001");
  return g_strdup_printf ("p = %.3f", p);
}

static char *
position_value (const RoundsPositionBias *b)
{
  g_autofree char *p = format_p (b->p_value);
  g_autofree char *decisive = rounds_format_count (b->decisive);

  if (b->decisive == 0)
    return g_strdup (_("no decisive judgements"));
  /* TRANSLATORS: share of decisive judgements preferring the first shown, of how many */
  return g_strdup_printf (_("%.0f%% of %s · %s"), 100 * b->share, decisive, p);
}

static void
draw_position (const RoundsInsights   *insights,
               const RoundsChartStyle *style,
               GHashTable             *names,
               cairo_t                *cr,
               double                  width)
{
  GPtrArray *position = insights->position;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  double row = row_height (style), bar = row * 0.5;
  double half;
  Axis axis = { 0 };

  for (guint i = 0; i < position->len; i++)
    {
      const RoundsPositionBias *b = position->pdata[i];

      g_ptr_array_add (labels, (char *) rounds_insights_annotator_name (names, b->annotator));
      g_ptr_array_add (values, position_value (b));
    }
  axis_init (&axis, 0, 1, 4);
  draw_rows_frame (cr, style, &axis, labels, values, width, format_percent);
  for (guint i = 0; i < position->len; i++)
    {
      const RoundsPositionBias *b = position->pdata[i];

      if (b->decisive == 0)
        continue;
      /* A share the binomial test finds unlikely at an even chance stands out. */
      set_colour (cr, b->p_value < 0.05 ? &style->negative : &style->accent, 0.8);
      cairo_rectangle (cr, axis.x0, i * row + (row - bar) / 2,
                       axis_x (&axis, b->share) - axis.x0, bar);
      cairo_fill (cr);
    }

  /* The 50 % line: no preference for either side. */
  half = round (axis_x (&axis, 0.5)) + 0.5;
  cairo_save (cr);
  set_colour (cr, &style->foreground, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_move_to (cr, half, 0);
  cairo_line_to (cr, half, position->len * row);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
describe_position (const RoundsInsights *insights,
                   GHashTable           *names,
                   GString              *text)
{
  for (guint i = 0; i < insights->position->len; i++)
    {
      const RoundsPositionBias *b = insights->position->pdata[i];
      const char *who = rounds_insights_annotator_name (names, b->annotator);
      g_autofree char *p = format_p (b->p_value);
      g_autofree char *decisive = rounds_format_counted (b->decisive, "%s decisive judgement",
                                                         "%s decisive judgements");
      g_autofree char *first = rounds_format_count (b->first_preferred);

      if (b->decisive == 0)
        /* TRANSLATORS: position bias of an annotator without a decisive judgement */
        g_string_append_printf (text, _("%s: no decisive judgements"), who);
      else
        /* TRANSLATORS: position bias: who, share, of how many decisive judgements ("12
         * decisive judgements"), how many preferred the first shown, binomial test */
        g_string_append_printf (text, _("%s: %.0f%% of %s preferred the response shown first "
                                        "(%s; %s)"),
                                who, 100 * b->share, decisive, first, p);
      g_string_append_c (text, '\n');
    }
}

/* Time on task ------------------------------------------------------------------------ */

static char *
format_duration (double seconds)
{
  if (seconds < 120)
    return g_strdup_printf (_("%.0f s"), seconds);
  return g_strdup_printf (_("%.1f min"), seconds / 60);
}

static char *
format_minutes (double seconds)
{
  return g_strdup_printf (_("%g min"), seconds / 60);
}

static char *
time_value (const RoundsTimeOnTask *t)
{
  g_autofree char *median = format_duration (t->median_s);
  g_autofree char *fast = rounds_format_count (t->n_fast);

  if (t->n == 0)
    return g_strdup (_("no times"));
  /* TRANSLATORS: time on task: the median, then how many were too fast to have been read */
  return g_strdup_printf (_("median %s · %s fast"), median, fast);
}

static void
draw_time (const RoundsInsights   *insights,
           const RoundsChartStyle *style,
           GHashTable             *names,
           cairo_t                *cr,
           double                  width)
{
  GPtrArray *time = insights->time;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  double row = row_height (style);
  double hi = 1;
  Axis axis;

  for (guint i = 0; i < time->len; i++)
    {
      const RoundsTimeOnTask *t = time->pdata[i];

      g_ptr_array_add (labels, (char *) rounds_insights_annotator_name (names, t->annotator));
      g_ptr_array_add (values, time_value (t));
      if (t->seconds != NULL && t->seconds->len > 0)
        hi = MAX (hi, g_array_index (t->seconds, double, t->seconds->len - 1));
    }
  axis_init (&axis, 0, hi, 5);
  /* Past a few minutes the ticks are whole minutes. */
  if (axis.hi > 150)
    {
      axis.step = nice_step (hi / 60, 5) * 60;
      axis.hi = ceil (hi / axis.step) * axis.step;
    }
  draw_rows_frame (cr, style, &axis, labels, values, width,
                   axis.step >= 60 ? format_minutes : format_duration);
  for (guint i = 0; i < time->len; i++)
    {
      const RoundsTimeOnTask *t = time->pdata[i];
      double y = (i + 0.5) * row;

      if (t->n == 0)
        continue;

      /* Every time a dot, spread a little up and down so that equal times stay visible. */
      set_colour (cr, &style->accent, 0.65);
      for (guint k = 0; t->seconds != NULL && k < t->seconds->len; k++)
        {
          double jitter = ((k * 7) % 5 - 2) * row / 12;

          cairo_arc (cr, axis_x (&axis, g_array_index (t->seconds, double, k)), y + jitter,
                     row / 9, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      set_colour (cr, &style->foreground, 0.85);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, axis_x (&axis, t->p10_s), y);
      cairo_line_to (cr, axis_x (&axis, t->p90_s), y);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 3);
      cairo_move_to (cr, axis_x (&axis, t->median_s), y - row / 3);
      cairo_line_to (cr, axis_x (&axis, t->median_s), y + row / 3);
      cairo_stroke (cr);
    }
}

static void
describe_time (const RoundsInsights *insights,
               GHashTable           *names,
               GString              *text)
{
  for (guint i = 0; i < insights->time->len; i++)
    {
      const RoundsTimeOnTask *t = insights->time->pdata[i];
      const char *who = rounds_insights_annotator_name (names, t->annotator);
      g_autofree char *median = format_duration (t->median_s);
      g_autofree char *p10 = format_duration (t->p10_s);
      g_autofree char *p90 = format_duration (t->p90_s);

      if (t->n == 0)
        /* TRANSLATORS: time on task of an annotator without a timed judgement */
        g_string_append_printf (text, _("%s: no timed judgements"), who);
      else
        {
          g_autofree char *judgements = rounds_format_counted (t->n, "%s judgement",
                                                               "%s judgements");
          g_autofree char *fast = rounds_format_count (t->n_fast);

          /* TRANSLATORS: time on task: who, how many judgements ("12 judgements"), median,
           * 10th and 90th percentiles, how many were faster than the reading time */
          g_string_append_printf (text, _("%s: %s, median %s (10th–90th percentile %s–%s); "
                                          "%s faster than the reading time"),
                                  who, judgements, median, p10, p90, fast);
        }
      g_string_append_c (text, '\n');
    }
}

/* The figures, by kind ----------------------------------------------------------------- */

static guint
n_rows (RoundsInsightsChartKind  kind,
        const RoundsInsights    *insights)
{
  g_autoptr(GPtrArray) criteria = NULL;

  switch (kind)
    {
    case ROUNDS_INSIGHTS_CHART_LEADERBOARD:
      return insights->ratings->len;
    case ROUNDS_INSIGHTS_CHART_MATRIX:
      return insights->ratings->len + 1;
    case ROUNDS_INSIGHTS_CHART_CRITERIA:
      criteria = list_criteria (insights);
      return criteria->len + insights->criteria->len;
    case ROUNDS_INSIGHTS_CHART_POSITION:
      return insights->position->len;
    case ROUNDS_INSIGHTS_CHART_TIME:
      return insights->time->len;
    default:
      g_return_val_if_reached (0);
    }
}

/* The height the chart wants: its rows, and the axis's labels below them. */
double
rounds_insights_chart_get_height (RoundsInsightsChartKind  kind,
                                  const RoundsInsights    *insights,
                                  const RoundsChartStyle  *style)
{
  double axis = kind == ROUNDS_INSIGHTS_CHART_MATRIX ? 0 : line_height (style) + 4;

  g_return_val_if_fail (insights != NULL, 0);
  return ceil (n_rows (kind, insights) * row_height (style) + axis);
}

void
rounds_insights_chart_draw (RoundsInsightsChartKind  kind,
                            const RoundsInsights    *insights,
                            GHashTable              *names,
                            const RoundsChartStyle  *style,
                            cairo_t                 *cr,
                            double                   width,
                            double                   height)
{
  g_return_if_fail (insights != NULL);

  if (n_rows (kind, insights) == 0 || width < 1)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  switch (kind)
    {
    case ROUNDS_INSIGHTS_CHART_LEADERBOARD:
      draw_leaderboard (insights, style, cr, width);
      break;
    case ROUNDS_INSIGHTS_CHART_MATRIX:
      draw_matrix (insights, style, cr, width);
      break;
    case ROUNDS_INSIGHTS_CHART_CRITERIA:
      draw_criteria (insights, style, cr, width);
      break;
    case ROUNDS_INSIGHTS_CHART_POSITION:
      draw_position (insights, style, names, cr, width);
      break;
    case ROUNDS_INSIGHTS_CHART_TIME:
      draw_time (insights, style, names, cr, width);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);
}

char *
rounds_insights_chart_describe (RoundsInsightsChartKind  kind,
                                const RoundsInsights    *insights,
                                GHashTable              *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (insights != NULL, NULL);

  switch (kind)
    {
    case ROUNDS_INSIGHTS_CHART_LEADERBOARD:
      describe_leaderboard (insights, text);
      break;
    case ROUNDS_INSIGHTS_CHART_MATRIX:
      describe_matrix (insights, text);
      break;
    case ROUNDS_INSIGHTS_CHART_CRITERIA:
      describe_criteria (insights, text);
      break;
    case ROUNDS_INSIGHTS_CHART_POSITION:
      describe_position (insights, names, text);
      break;
    case ROUNDS_INSIGHTS_CHART_TIME:
      describe_time (insights, names, text);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (text->len == 0)
    g_string_append (text, _("Nothing to show yet.\n"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The widget -------------------------------------------------------------------------- */

struct _RoundsInsightsChart
{
  GtkWidget                parent_instance;

  RoundsInsightsChartKind  kind;
  const RoundsInsights    *insights;   /* borrowed, see rounds_insights_chart_set_insights() */
  GHashTable              *names;
};

G_DEFINE_FINAL_TYPE (RoundsInsightsChart, rounds_insights_chart, GTK_TYPE_WIDGET)

/* The widget's own text colour and font, and Adwaita's named colours, which follow the light
 * or dark style and the high-contrast setting. */
static void
style_from_widget (GtkWidget        *widget,
                   RoundsChartStyle *style)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  PangoContext *pango = gtk_widget_get_pango_context (widget);

  gtk_style_context_get_color (context, &style->foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", &style->accent))
    gdk_rgba_parse (&style->accent, "#1c71d8");
  if (!gtk_style_context_lookup_color (context, "error_color", &style->negative))
    gdk_rgba_parse (&style->negative, "#c01c28");
  style->font = pango_context_get_font_description (pango);
  style->dpi = pango_cairo_context_get_resolution (pango);
  if (style->dpi <= 0)
    style->dpi = 96;
}

static void
rounds_insights_chart_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  RoundsInsightsChart *self = ROUNDS_INSIGHTS_CHART (widget);
  RoundsChartStyle style;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 720;
      return;
    }
  style_from_widget (widget, &style);
  *minimum = *natural = self->insights != NULL
                          ? (int) rounds_insights_chart_get_height (self->kind, self->insights,
                                                                    &style)
                          : 0;
}

static void
rounds_insights_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  RoundsInsightsChart *self = ROUNDS_INSIGHTS_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  RoundsChartStyle style;
  cairo_t *cr;

  if (self->insights == NULL || width <= 0 || height <= 0)
    return;
  style_from_widget (widget, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  rounds_insights_chart_draw (self->kind, self->insights, self->names, &style, cr, width, height);
  cairo_destroy (cr);
}

/* A new font size (the reading size) or colours (dark style): measure and draw again. */
static void
rounds_insights_chart_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (rounds_insights_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_resize (widget);
}

static void
update_accessible (RoundsInsightsChart *self)
{
  g_autofree char *description = self->insights
                                   ? rounds_insights_chart_describe (self->kind, self->insights,
                                                                     self->names)
                                   : g_strdup ("");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rounds_insights_chart_kind_get_title (self->kind),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

GtkWidget *
rounds_insights_chart_new (RoundsInsightsChartKind kind)
{
  RoundsInsightsChart *self = g_object_new (ROUNDS_TYPE_INSIGHTS_CHART, NULL);

  self->kind = kind;
  update_accessible (self);
  return GTK_WIDGET (self);
}

RoundsInsightsChartKind
rounds_insights_chart_get_kind (RoundsInsightsChart *self)
{
  g_return_val_if_fail (ROUNDS_IS_INSIGHTS_CHART (self), 0);
  return self->kind;
}

void
rounds_insights_chart_set_insights (RoundsInsightsChart  *self,
                                    const RoundsInsights *insights,
                                    GHashTable           *names)
{
  g_return_if_fail (ROUNDS_IS_INSIGHTS_CHART (self));

  self->insights = insights;
  if (names != NULL)
    g_hash_table_ref (names);
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = names;
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
rounds_insights_chart_finalize (GObject *object)
{
  RoundsInsightsChart *self = ROUNDS_INSIGHTS_CHART (object);

  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (rounds_insights_chart_parent_class)->finalize (object);
}

static void
rounds_insights_chart_class_init (RoundsInsightsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = rounds_insights_chart_finalize;
  widget_class->measure = rounds_insights_chart_measure;
  widget_class->snapshot = rounds_insights_chart_snapshot;
  widget_class->css_changed = rounds_insights_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "insights-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
rounds_insights_chart_init (RoundsInsightsChart *self)
{
  /* The charts' text follows the reading size (Ctrl+plus), as the scenario does. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "reading");
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}
