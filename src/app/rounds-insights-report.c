/* rounds-insights-report.c: the Insights figures as text, and as a PDF report
 *
 * The text is what a screen reader, a clipboard and an email get; the report is what an
 * ethics committee reads: on A4, what was counted and how, the dataset(s), the rubric
 * version, the annotators (pseudonyms unless asked), the date and the Rounds version, then
 * the page's charts, drawn by the same functions as on screen, each with its table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

#include "rounds-count.h"
#include "rounds-export.h"
#include "rounds-insights-charts.h"
#include "rounds-insights-report.h"

static void
add_annotator (GPtrArray  *annotators,
               const char *user_name)
{
  if (user_name != NULL &&
      !g_ptr_array_find_with_equal_func (annotators, user_name, g_str_equal, NULL))
    g_ptr_array_add (annotators, g_strdup (user_name));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

GPtrArray *
rounds_insights_list_annotators (const RoundsInsights *insights)
{
  GPtrArray *annotators = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (insights != NULL, annotators);

  for (guint i = 0; i < insights->position->len; i++)
    add_annotator (annotators, ((RoundsPositionBias *) insights->position->pdata[i])->annotator);
  for (guint i = 0; i < insights->time->len; i++)
    add_annotator (annotators, ((RoundsTimeOnTask *) insights->time->pdata[i])->annotator);
  for (guint i = 0; i < insights->agreement->len; i++)
    add_annotator (annotators,
                   ((RoundsAnnotatorAgreement *) insights->agreement->pdata[i])->annotator);
  g_ptr_array_sort (annotators, compare_strings);
  return annotators;
}

GHashTable *
rounds_insights_pseudonyms (const RoundsInsights *insights,
                            const char           *key)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) annotators = NULL;

  g_return_val_if_fail (insights != NULL, names);
  g_return_val_if_fail (key != NULL, names);

  annotators = rounds_insights_list_annotators (insights);
  for (guint i = 0; i < annotators->len; i++)
    g_hash_table_insert (names, g_strdup (annotators->pdata[i]),
                         rounds_export_pseudonym (key, annotators->pdata[i]));
  return names;
}

/* The text ---------------------------------------------------------------------------- */

static char *
format_alpha (double alpha)
{
  return isfinite (alpha) ? g_strdup_printf ("%.2f", alpha) : g_strdup ("–");
}

static char *
datasets_text (const RoundsInsights *insights)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < insights->datasets->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            (const char *) insights->datasets->pdata[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What was counted and how: the lines above the figures. */
static char *
describe_method (const RoundsInsights *insights)
{
  const RoundsInsightsOptions *options = &insights->options;
  g_autofree char *alpha = format_alpha (insights->alpha);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *counts = rounds_insights_describe_counts (insights);
  g_autofree char *rounds = rounds_format_count (options->bootstrap);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, options->seed);

  g_string_append (text, counts);
  g_string_append_c (text, '\n');
  if (options->bootstrap > 0)
    /* TRANSLATORS: how the leaderboard was fitted */
    g_string_append_printf (text, _("Bradley–Terry ratings (1000 + 400·log10 odds), %s "
                                    "outcomes, ridge %g; %.0f%% intervals from %s bootstrap "
                                    "rounds over scenarios, seed %s"),
                            options->graded ? _("graded") : _("win/tie/loss"), options->ridge,
                            100 * options->confidence, rounds, seed);
  else
    g_string_append_printf (text, _("Bradley–Terry ratings (1000 + 400·log10 odds), %s "
                                    "outcomes, ridge %g; no intervals"),
                            options->graded ? _("graded") : _("win/tie/loss"), options->ridge);
  g_string_append_c (text, '\n');
  /* TRANSLATORS: Krippendorff's alpha of the preferences, everyone together */
  g_string_append_printf (text, _("Krippendorff’s α of the preference (ordinal): %s"), alpha);
  g_string_append_c (text, '\n');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
describe_groups (const RoundsInsights *insights,
                 GString              *text)
{
  for (guint i = 0; i < insights->groups->len; i++)
    {
      const RoundsGroupRating *group = insights->groups->pdata[i];
      const char *kind = g_str_equal (group->group, "specialty") ? _("Specialty")
                         : g_str_equal (group->group, "language") ? _("Language")
                         : group->group;

      g_autoptr(GString) models = g_string_new (NULL);

      for (guint r = 0; r < group->ratings->len; r++)
        {
          const RoundsModelRating *rating = group->ratings->pdata[r];

          g_string_append_printf (models, "%s%u. %s %.0f", r > 0 ? ", " : "", rating->rank,
                                  rating->model, rating->rating);
        }
      /* TRANSLATORS: a group's leaderboard: "Specialty cardiology: 1. model-a 1523, 2. …",
       * the kind of group, its value, then its models */
      g_string_append_printf (text, _("%s %s: %s"), kind, group->value, models->str);
      g_string_append_c (text, '\n');
    }
}

static void
describe_agreement (const RoundsInsights *insights,
                    GHashTable           *names,
                    GString              *text)
{
  for (guint i = 0; i < insights->agreement->len; i++)
    {
      const RoundsAnnotatorAgreement *a = insights->agreement->pdata[i];
      g_autofree char *with = format_alpha (a->alpha_with);
      g_autofree char *without = format_alpha (a->alpha_without);
      g_autofree char *judgements = rounds_format_counted (a->n, "%s judgement",
                                                           "%s judgements");

      /* TRANSLATORS: an annotator's effect on agreement: who, how many judgements ("12
       * judgements"), alpha with and without them */
      g_string_append_printf (text, _("%s: %s; α with everyone %s, without them %s"),
                              rounds_insights_annotator_name (names, a->annotator), judgements,
                              with, without);
      g_string_append_c (text, '\n');
    }
}

static void
describe_periods (GPtrArray *periods,
                  GString   *text)
{
  for (guint i = 0; i < periods->len; i++)
    {
      const RoundsPeriodAgreement *p = periods->pdata[i];
      g_autofree char *alpha = format_alpha (p->alpha);
      g_autofree char *judgements = rounds_format_counted (p->n, "%s judgement",
                                                           "%s judgements");

      /* TRANSLATORS: alpha of a criterion or of a week, and how many judgements ("12
       * judgements") */
      g_string_append_printf (text, _("%s: α %s (%s)"), p->period, alpha, judgements);
      g_string_append_c (text, '\n');
    }
}

/* The figures below the charts', as (heading, text) pairs; NULL text where there is none. */
static void
describe_extra (const RoundsInsights *insights,
                GHashTable           *names,
                guint                 index,
                const char          **heading,
                GString              *text)
{
  switch (index)
    {
    case 0:
      *heading = _("Leaderboard per specialty and language");
      describe_groups (insights, text);
      break;
    case 1:
      *heading = _("Each annotator’s effect on agreement");
      describe_agreement (insights, names, text);
      break;
    case 2:
      *heading = _("Agreement per criterion");
      describe_periods (insights->criterion_alpha, text);
      break;
    case 3:
      *heading = _("Agreement by week");
      describe_periods (insights->weekly, text);
      break;
    default:
      g_assert_not_reached ();
    }
}

#define N_EXTRAS 4

char *
rounds_insights_describe (const RoundsInsights *insights,
                          GHashTable           *names)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *datasets = NULL;
  g_autofree char *method = NULL;

  g_return_val_if_fail (insights != NULL, NULL);

  datasets = datasets_text (insights);
  method = describe_method (insights);
  /* TRANSLATORS: the first line of the figures: the datasets and their rubric's version */
  g_string_append_printf (text, _("Insights: %s (rubric version %d)"), datasets,
                          insights->rubric_version);
  g_string_append_printf (text, "\n%s", method);
  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    {
      g_autofree char *figure = rounds_insights_chart_describe (kind, insights, names);

      g_string_append_printf (text, "\n%s\n%s", rounds_insights_chart_kind_get_title (kind),
                              figure);
    }
  for (guint i = 0; i < N_EXTRAS; i++)
    {
      g_autoptr(GString) figure = g_string_new (NULL);
      const char *heading = NULL;

      describe_extra (insights, names, i, &heading, figure);
      if (figure->len > 0)
        g_string_append_printf (text, "\n%s\n%s", heading, figure->str);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The PDF ----------------------------------------------------------------------------- */

/* A4 in points, with margins of 2 cm. */
#define PAGE_WIDTH  595.28
#define PAGE_HEIGHT 841.89
#define MARGIN      56.7

typedef struct
{
  cairo_t          *cr;
  RoundsChartStyle  style;
  double            y;
} Report;

/* Starts a new page unless @height fits under what is on this one. */
static void
report_need (Report *report,
             double  height)
{
  if (report->y + height <= PAGE_HEIGHT - MARGIN || report->y <= MARGIN)
    return;
  cairo_show_page (report->cr);
  report->y = MARGIN;
}

/* @text: lines, each wrapped to the page's width, in @font (the report's when %NULL). */
static void
report_text (Report                     *report,
             const char                 *text,
             const PangoFontDescription *font,
             double                      space_after)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  RoundsChartStyle style = report->style;

  if (font != NULL)
    style.font = font;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int height;

      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      layout = rounds_chart_style_create_layout (&style, report->cr, lines[i]);
      pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_get_pixel_size (layout, NULL, &height);
      report_need (report, height);
      cairo_set_source_rgba (report->cr, style.foreground.red, style.foreground.green,
                             style.foreground.blue, style.foreground.alpha);
      cairo_move_to (report->cr, MARGIN, report->y);
      pango_cairo_show_layout (report->cr, layout);
      report->y += height;
    }
  report->y += space_after;
}

static void
report_heading (Report     *report,
                const char *heading,
                double      size,
                double      room)
{
  PangoFontDescription *font = pango_font_description_copy (report->style.font);

  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  /* A heading stays with what follows it. */
  report_need (report, size * 2 + room);
  report_text (report, heading, font, size / 2);
  pango_font_description_free (font);
}

static void
report_chart (Report                  *report,
              RoundsInsightsChartKind  kind,
              const RoundsInsights    *insights,
              GHashTable              *names)
{
  double width = PAGE_WIDTH - 2 * MARGIN;
  double height = rounds_insights_chart_get_height (kind, insights, &report->style);
  /* A chart taller than a page (many models and criteria) is shrunk to one page. */
  double room = PAGE_HEIGHT - 2 * MARGIN - 40;
  double scale = MIN (1.0, room / MAX (height, 1));
  g_autofree char *table = rounds_insights_chart_describe (kind, insights, names);

  report_heading (report, rounds_insights_chart_kind_get_title (kind), 12, height * scale);
  cairo_save (report->cr);
  cairo_translate (report->cr, MARGIN, report->y);
  cairo_scale (report->cr, scale, scale);
  rounds_insights_chart_draw (kind, insights, names, &report->style, report->cr, width / scale,
                              height);
  cairo_restore (report->cr);
  report->y += height * scale + 8;
  report_text (report, table, NULL, 14);
}

/* The first page's head: what this is, about what, by whom, when and with what. */
static void
report_head (Report               *report,
             const RoundsInsights *insights,
             GHashTable           *names,
             GDateTime            *date)
{
  g_autoptr(GPtrArray) annotators = rounds_insights_list_annotators (insights);
  g_autoptr(GString) who = g_string_new (NULL);
  g_autofree char *datasets = datasets_text (insights);
  g_autofree char *day = g_date_time_format (date, "%Y-%m-%d");
  g_autofree char *method = describe_method (insights);
  g_autofree char *facts = NULL;

  for (guint i = 0; i < annotators->len; i++)
    g_string_append_printf (who, "%s%s", i > 0 ? ", " : "",
                            rounds_insights_annotator_name (names, annotators->pdata[i]));
  report_heading (report, _("Rounds Insights Report"), 18, 100);
  /* TRANSLATORS: the head of the PDF report, one fact a line */
  facts = g_strdup_printf (_("Datasets: %s\nRubric version: %d\nAnnotators (%s): %s\n"
                             "Date: %s\nRounds version: %s"),
                           datasets, insights->rubric_version,
                           names != NULL ? _("pseudonyms") : _("user names"), who->str, day,
                           PACKAGE_VERSION);
  report_text (report, facts, NULL, 8);
  report_text (report, method, NULL, 16);
}

static gboolean
check_cairo (cairo_status_t   status,
             const char      *path,
             GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
rounds_insights_write_pdf (const RoundsInsights  *insights,
                           GHashTable            *names,
                           GDateTime             *date,
                           const char            *path,
                           GError               **error)
{
  g_autofree char *partial = NULL;
  g_autofree char *datasets = NULL;
  g_autofree char *created = NULL;
  g_autofree char *creator = NULL;
  PangoFontDescription *font;
  cairo_surface_t *surface;
  cairo_status_t status;
  Report report = { 0 };

  g_return_val_if_fail (insights != NULL, FALSE);
  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Written beside the target and renamed into place, so a failure leaves what was there. */
  partial = g_strconcat (path, ".partial", NULL);
  surface = cairo_pdf_surface_create (partial, PAGE_WIDTH, PAGE_HEIGHT);
  if (!check_cairo (cairo_surface_status (surface), partial, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  datasets = datasets_text (insights);
  created = g_date_time_format_iso8601 (date);
  creator = g_strdup_printf ("Rounds %s", PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, datasets);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, creator);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);

  /* Print colours: Adwaita's light blue and red on white. */
  font = pango_font_description_from_string ("Sans 9");
  report.cr = cairo_create (surface);
  report.y = MARGIN;
  report.style.font = font;
  report.style.dpi = 72;
  gdk_rgba_parse (&report.style.foreground, "#1e1e1e");
  gdk_rgba_parse (&report.style.accent, "#1c71d8");
  gdk_rgba_parse (&report.style.negative, "#c01c28");

  report_head (&report, insights, names, date);
  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    report_chart (&report, kind, insights, names);
  for (guint i = 0; i < N_EXTRAS; i++)
    {
      g_autoptr(GString) table = g_string_new (NULL);
      const char *heading = NULL;

      describe_extra (insights, names, i, &heading, table);
      if (table->len == 0)
        continue;
      report_heading (&report, heading, 12, 40);
      report_text (&report, table->str, NULL, 14);
    }
  cairo_show_page (report.cr);

  status = cairo_status (report.cr);
  cairo_destroy (report.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  pango_font_description_free (font);
  if (!check_cairo (status, path, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write %s: %s"),
                   path, g_strerror (saved));
      g_unlink (partial);
      return FALSE;
    }
  return TRUE;
}
