/* rounds-cli-insights.c: `rounds-cli insights [--json] [--bootstrap N] [--seed S] [DATASET…]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "rounds-cli-private.h"
#include "rounds-count.h"
#include "rounds-insights.h"

/* A figure, or a dash where it is undefined (NaN). */
static char *
format_number (int    digits,
               double value)
{
  if (isnan (value))
    /* TRANSLATORS: a figure that is undefined (too little data) */
    return g_strdup (_("—"));
  return g_strdup_printf ("%.*f", digits, value);
}

static void
print_ratings (GPtrArray *ratings,
               gboolean   intervals)
{
  if (intervals)
    g_print (_("  rank  %-24s rating   interval        wins  ties  losses  unacceptable\n"),
             _("model"));
  else
    g_print (_("  rank  %-24s rating   wins  ties  losses  unacceptable\n"), _("model"));
  for (guint r = 0; r < ratings->len; r++)
    {
      RoundsModelRating *rating = g_ptr_array_index (ratings, r);
      g_autofree char *value = format_number (0, rating->rating);

      if (intervals)
        {
          g_autofree char *lower = format_number (0, rating->lower);
          g_autofree char *upper = format_number (0, rating->upper);
          g_autofree char *interval = g_strdup_printf ("%s – %s", lower, upper);

          g_print ("  %4u  %-24s %6s   %-13s %6u %5u %7u %13u\n", rating->rank, rating->model,
                   value, interval, rating->wins, rating->ties, rating->losses,
                   rating->unacceptable);
        }
      else
        g_print ("  %4u  %-24s %6s %6u %5u %7u %13u\n", rating->rank, rating->model, value,
                 rating->wins, rating->ties, rating->losses, rating->unacceptable);
    }
}

/* One line a period: a criterion or, with @weekly, a week, with its alpha and the judgements
 * behind it. */
static void
print_periods (GPtrArray *periods,
               gboolean   weekly)
{
  for (guint p = 0; p < periods->len; p++)
    {
      RoundsPeriodAgreement *period = g_ptr_array_index (periods, p);
      g_autofree char *value = format_number (3, period->alpha);
      g_autofree char *counted = rounds_format_counted (period->n, "%s judgement",
                                                        "%s judgements");

      if (weekly)
        g_print (_("  week %-27s %7s  (%s)\n"), period->period, value, counted);
      else
        g_print (_("  %-32s %7s  (interval α, %s)\n"), period->period, value, counted);
    }
}

static const char *
annotator_name (const char *annotator)
{
  /* TRANSLATORS: the row of every annotator together */
  return annotator != NULL ? annotator : _("everyone");
}

static void
print_insights (const RoundsInsights *insights)
{
  gboolean intervals = insights->options.bootstrap > 0;
  g_autofree char *names = NULL;
  g_autofree char *alpha = format_number (3, insights->alpha);
  g_autofree char *counts = rounds_insights_describe_counts (insights);
  g_autofree char *rounds = rounds_format_count (insights->options.bootstrap);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, insights->options.seed);

  g_ptr_array_add (insights->datasets, NULL);
  names = g_strjoinv (", ", (char **) insights->datasets->pdata);
  g_ptr_array_set_size (insights->datasets, insights->datasets->len - 1);

  g_print (_("%s (rubric version %d)\n"), names, insights->rubric_version);
  g_print ("  %s\n\n", counts);

  if (intervals)
    g_print (_("Leaderboard (Bradley-Terry; rating 1000 + 400·log10 odds; %.0f%% intervals from "
               "%s bootstrap rounds over scenarios, seed %s)\n"),
             insights->options.confidence * 100, rounds, seed);
  else
    g_print (_("Leaderboard (Bradley-Terry; rating 1000 + 400·log10 odds)\n"));
  print_ratings (insights->ratings, intervals);

  if (insights->criteria->len > 0)
    {
      g_print (_("\nMean score per criterion\n"));
      for (guint c = 0; c < insights->criteria->len; c++)
        {
          RoundsCriterionScore *score = g_ptr_array_index (insights->criteria, c);
          g_autofree char *lower = format_number (2, score->lower);
          g_autofree char *upper = format_number (2, score->upper);
          g_autofree char *scores = rounds_format_counted (score->n, "%s score", "%s scores");

          g_print (_("  %-20s %-24s %5.2f  [%s, %s]  (%s)\n"), score->label, score->model,
                   score->mean, lower, upper, scores);
        }
    }

  for (guint g = 0; g < insights->groups->len; g++)
    {
      RoundsGroupRating *group = g_ptr_array_index (insights->groups, g);

      g_print (_("\nLeaderboard for %s “%s”\n"), group->group, group->value);
      print_ratings (group->ratings, FALSE);
    }

  g_print (_("\nPosition bias: the response shown first preferred, of the decisive judgements\n"));
  for (guint p = 0; p < insights->position->len; p++)
    {
      RoundsPositionBias *bias = g_ptr_array_index (insights->position, p);
      g_autofree char *share = isnan (bias->share) ? format_number (0, NAN) :
                               g_strdup_printf ("%.0f%%", bias->share * 100);
      g_autofree char *first = rounds_format_count (bias->first_preferred);
      g_autofree char *decisive = rounds_format_count (bias->decisive);

      g_print (_("  %-24s %5s  (%s of %s)  p = %.3g\n"), annotator_name (bias->annotator), share,
               first, decisive, bias->p_value);
    }

  g_print (_("\nTime on task (seconds): median, 10th and 90th percentile; judgements faster "
             "than the reading time\n"));
  for (guint t = 0; t < insights->time->len; t++)
    {
      RoundsTimeOnTask *time = g_ptr_array_index (insights->time, t);
      g_autofree char *median = format_number (0, time->median_s);
      g_autofree char *p10 = format_number (0, time->p10_s);
      g_autofree char *p90 = format_number (0, time->p90_s);
      g_autofree char *timed = rounds_format_counted (time->n, "%s judgement", "%s judgements");
      g_autofree char *fast = rounds_format_count (time->n_fast);

      g_print (_("  %-24s %6s  (%s – %s)  %s, %s fast\n"),
               annotator_name (time->annotator), median, p10, p90, timed, fast);
    }

  g_print (_("\nAgreement on the preference (ordinal α): %s\n"), alpha);
  for (guint a = 0; a < insights->agreement->len; a++)
    {
      RoundsAnnotatorAgreement *agreement = g_ptr_array_index (insights->agreement, a);
      g_autofree char *without = format_number (3, agreement->alpha_without);
      g_autofree char *theirs = rounds_format_counted (agreement->n, "%s judgement",
                                                       "%s judgements");

      g_print (_("  without %-24s %7s  (%s)\n"), agreement->annotator, without, theirs);
    }
  print_periods (insights->criterion_alpha, FALSE);
  print_periods (insights->weekly, TRUE);
}

int
rounds_cli_insights (RoundsCli  *cli,
                     int         argc,
                     char      **argv)
{
  gboolean as_json = FALSE, graded = FALSE;
  int bootstrap = 1000;
  g_autofree char *seed = NULL;
  double ridge = NAN;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print JSON for scripts (undefined figures are null)"), NULL },
    { "bootstrap", 0, 0, G_OPTION_ARG_INT, &bootstrap,
      N_("Bootstrap rounds for the intervals (default 1000; 0 for none)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("The bootstrap’s seed (default 1): the same seed gives the same intervals"), N_("S") },
    { "graded", 0, 0, G_OPTION_ARG_NONE, &graded,
      N_("Use the strength of a preference (much better = 1, better = 0.75, tie = 0.5)"), NULL },
    { "ridge", 0, 0, G_OPTION_ARG_DOUBLE, &ridge,
      N_("The ridge on the strengths (default 0.01; 0 for the plain maximum likelihood)"),
      N_("R") },
    { NULL }
  };
  const char *parameters =
    _("[DATASET…] — which model the annotators prefer, and how far to trust the labels");
  const char *description =
    _("A Bradley-Terry leaderboard of the models from the current submitted judgements\n"
      "(a reviewer’s verdict stands for the judgements of its item), with intervals from a\n"
      "bootstrap over scenarios; the mean score per criterion; the leaderboard per specialty\n"
      "and language; position bias (binomial test); time on task and judgements faster than\n"
      "the dataset’s reading time (metadata “reading_seconds_per_1000_chars”, default 10);\n"
      "and each annotator’s effect on agreement. Without DATASET, every dataset together.");
  RoundsInsightsOptions options;
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(GError) error = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("insights", parameters, entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;

  rounds_insights_options_init (&options);
  if (bootstrap < 0)
    return rounds_cli_usage ("insights", _("--bootstrap must be 0 or more"));
  options.bootstrap = (guint) bootstrap;
  options.graded = graded;
  if (seed != NULL &&
      !g_ascii_string_to_unsigned (seed, 10, 0, G_MAXINT64, &options.seed, NULL))
    return rounds_cli_usage ("insights", _("--seed must be a whole number, not “%s”"), seed);
  if (!isnan (ridge))
    {
      if (!(ridge >= 0) || isinf (ridge))
        return rounds_cli_usage ("insights", _("--ridge must be 0 or more"));
      options.ridge = ridge;
    }

  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(insights = rounds_store_compute_insights (store, (const char * const *) argv + 1,
                                                  &options, NULL, &error)))
    return rounds_cli_fail ("insights", error);

  if (as_json)
    {
      g_autofree char *json = rounds_insights_to_json (insights);

      g_print ("%s\n", json);
    }
  else if (insights->datasets->len == 0)
    g_print ("%s\n", _("No datasets in this database: import one first."));
  else
    print_insights (insights);
  return ROUNDS_CLI_EXIT_OK;
}
