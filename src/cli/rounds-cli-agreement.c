/* rounds-cli-agreement.c: `rounds-cli agreement [DATASET…] [--json]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rounds-cli-private.h"
#include "rounds-count.h"
#include "rounds-review.h"

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value))
    json_builder_add_null_value (builder);   /* undefined: JSON has no NaN */
  else
    json_builder_add_double_value (builder, value);
}

static const char *
status_to_string (RoundsAlphaStatus status)
{
  switch (status)
    {
    case ROUNDS_ALPHA_OK:
      return "ok";
    case ROUNDS_ALPHA_NO_PAIRABLE_VALUES:
      return "no-pairable-values";
    case ROUNDS_ALPHA_NO_VARIATION:
      return "no-variation";
    default:
      g_assert_not_reached ();
    }
}

static void
add_alpha (JsonBuilder             *builder,
           const char              *name,
           const RoundsAlphaResult *alpha,
           guint                    n_items)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_number (builder, "alpha", alpha->alpha);
  rounds_cli_json_add_string (builder, "status", status_to_string (alpha->status));
  rounds_cli_json_add_int (builder, "items", n_items);
  rounds_cli_json_add_int (builder, "pairable_values", alpha->n_values);
  json_builder_end_object (builder);
}

/* The agreement report as a JSON object: shared by `agreement --json` and `stats --json`. */
void
rounds_cli_add_agreement_json (JsonBuilder                 *builder,
                               const RoundsAgreementReport *report)
{
  json_builder_begin_object (builder);
  rounds_cli_json_add_int (builder, "items", report->n_items);
  rounds_cli_json_add_int (builder, "judgements", report->n_judgements);
  rounds_cli_json_add_int (builder, "annotators", report->n_annotators);
  add_alpha (builder, "preference_ordinal",
             &report->preference.alpha, report->preference.n_items);
  add_alpha (builder, "preference_nominal",
             &report->preference_nominal.alpha, report->preference_nominal.n_items);
  add_alpha (builder, "preference_interval",
             &report->preference_interval.alpha, report->preference_interval.n_items);
  add_alpha (builder, "direction_nominal",
             &report->direction.alpha, report->direction.n_items);
  add_alpha (builder, "ranking_ordinal",
             &report->ranking.alpha, report->ranking.n_items);

  json_builder_set_member_name (builder, "criteria_interval");
  json_builder_begin_object (builder);
  for (guint i = 0; report->criteria != NULL && i < report->criteria->len; i++)
    {
      const RoundsCriterionAgreement *criterion =
        &g_array_index (report->criteria, RoundsCriterionAgreement, i);

      add_alpha (builder, criterion->id, &criterion->measure.alpha, criterion->measure.n_items);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "pairs");
  json_builder_begin_array (builder);
  for (guint i = 0; report->pairs != NULL && i < report->pairs->len; i++)
    {
      const RoundsPairAgreement *pair = &g_array_index (report->pairs, RoundsPairAgreement, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "annotators");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, pair->annotator_a);
      json_builder_add_string_value (builder, pair->annotator_b);
      json_builder_end_array (builder);
      rounds_cli_json_add_int (builder, "items", pair->n_items);
      add_number (builder, "alpha_ordinal", pair->alpha.alpha);
      add_number (builder, "kappa_linear", pair->kappa_linear);
      add_number (builder, "kappa_quadratic", pair->kappa_quadratic);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Only where there is one, so a report without a guardian reads as before. */
  if (report->guardians != NULL && report->guardians->len > 0)
    {
      json_builder_set_member_name (builder, "guardians");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->guardians->len; i++)
        {
          const RoundsGuardianAgreement *g =
            &g_array_index (report->guardians, RoundsGuardianAgreement, i);

          json_builder_begin_object (builder);
          rounds_cli_json_add_string (builder, "guardian", g->name);
          rounds_cli_json_add_int (builder, "items", g->n_items);
          add_alpha (builder, "preference_ordinal_with_annotators", &g->preference.alpha,
                     g->preference.n_items);
          json_builder_set_member_name (builder, "criteria_interval_with_annotators");
          json_builder_begin_object (builder);
          for (guint c = 0; c < g->criteria->len; c++)
            {
              const RoundsCriterionAgreement *criterion =
                &g_array_index (g->criteria, RoundsCriterionAgreement, c);

              add_alpha (builder, criterion->id, &criterion->measure.alpha,
                         criterion->measure.n_items);
            }
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "consensus");
          json_builder_begin_object (builder);
          rounds_cli_json_add_int (builder, "compared", g->n_compared);
          rounds_cli_json_add_int (builder, "agreed", g->n_agreed);
          add_number (builder, "share", g->n_compared > 0
                                        ? (double) g->n_agreed / g->n_compared : NAN);
          add_number (builder, "mean_distance", g->mean_distance);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static char *
format_alpha (const RoundsAlphaResult *alpha)
{
  switch (alpha->status)
    {
    case ROUNDS_ALPHA_OK:
      return g_strdup_printf ("%6.3f", alpha->alpha);
    case ROUNDS_ALPHA_NO_VARIATION:
      /* TRANSLATORS: alpha is undefined because every value is the same */
      return g_strdup (_("all agree"));
    case ROUNDS_ALPHA_NO_PAIRABLE_VALUES:
    default:
      /* TRANSLATORS: alpha is undefined: no item has two judgements yet */
      return g_strdup (_("—"));
    }
}

static void
print_measure (const char              *label,
               const RoundsAlphaResult *alpha,
               guint                    n_items)
{
  g_autofree char *value = format_alpha (alpha);
  g_autofree char *items = rounds_format_counted (n_items, "%s item", "%s items");

  g_print (_("  %-34s %10s   (%s)\n"), label, value, items);
}

static void
print_report (RoundsDataset               *dataset,
              const RoundsAgreementReport *report)
{
  g_autofree char *items = rounds_format_counted (report->n_items, "%s item with judgements",
                                                  "%s items with judgements");
  g_autofree char *judgements = rounds_format_counted (report->n_judgements, "%s judgement",
                                                       "%s judgements");
  g_autofree char *annotators = rounds_format_counted (report->n_annotators, "%s annotator",
                                                       "%s annotators");

  g_print ("%s — %s\n", rounds_dataset_get_name (dataset), rounds_dataset_get_title (dataset));
  /* TRANSLATORS: items, judgements and annotators, each counted ("12 items with judgements") */
  g_print (_("  %s, %s, %s\n"), items, judgements, annotators);
  print_measure (_("preference (ordinal α, headline)"),
                 &report->preference.alpha, report->preference.n_items);
  print_measure (_("preference (nominal α)"),
                 &report->preference_nominal.alpha, report->preference_nominal.n_items);
  print_measure (_("preference (interval α)"),
                 &report->preference_interval.alpha, report->preference_interval.n_items);
  print_measure (_("direction A/tie/B (nominal α)"),
                 &report->direction.alpha, report->direction.n_items);
  print_measure (_("ranking (ordinal α)"),
                 &report->ranking.alpha, report->ranking.n_items);
  for (guint i = 0; report->criteria != NULL && i < report->criteria->len; i++)
    {
      const RoundsCriterionAgreement *criterion =
        &g_array_index (report->criteria, RoundsCriterionAgreement, i);
      g_autofree char *label = g_strdup_printf (_("%s (interval α)"), criterion->name);

      print_measure (label, &criterion->measure.alpha, criterion->measure.n_items);
    }
  if (report->pairs != NULL && report->pairs->len > 0)
    g_print (_("  annotator pairs: ordinal α, weighted κ (linear, quadratic)\n"));
  for (guint i = 0; report->pairs != NULL && i < report->pairs->len; i++)
    {
      const RoundsPairAgreement *pair = &g_array_index (report->pairs, RoundsPairAgreement, i);
      g_autofree char *alpha = format_alpha (&pair->alpha);
      g_autofree char *pair_items = rounds_format_counted (pair->n_items, "%s item",
                                                           "%s items");

      g_print (_("    %-16s %-16s %10s %7.3f %7.3f   (%s)\n"),
               pair->annotator_a, pair->annotator_b, alpha,
               pair->kappa_linear, pair->kappa_quadratic, pair_items);
    }
  for (guint i = 0; report->guardians != NULL && i < report->guardians->len; i++)
    {
      const RoundsGuardianAgreement *g =
        &g_array_index (report->guardians, RoundsGuardianAgreement, i);

      /* TRANSLATORS: %s is a machine annotator, "guardian:<model>" */
      g_print (_("  %s (a machine: in none of the figures above), on %u items\n"),
               g->name, g->n_items);
      print_measure (_("preference, as one more rater"),
                     &g->preference.alpha, g->preference.n_items);
      for (guint c = 0; c < g->criteria->len; c++)
        {
          const RoundsCriterionAgreement *criterion =
            &g_array_index (g->criteria, RoundsCriterionAgreement, c);
          g_autofree char *label = g_strdup_printf (_("%s, as one more rater"), criterion->name);

          print_measure (label, &criterion->measure.alpha, criterion->measure.n_items);
        }
      if (g->n_compared > 0)
        g_print (_("  %-34s %9.0f%%   (%u of %u pairs)\n"), _("same direction as the consensus"),
                 100.0 * g->n_agreed / g->n_compared, g->n_agreed, g->n_compared);
      if (!isnan (g->mean_distance))
        g_print (_("  %-34s %10.3f\n"), _("distance from the mean preference"),
                 g->mean_distance);
    }
}

int
rounds_cli_agreement (RoundsCli  *cli,
                      int         argc,
                      char      **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print JSON for scripts (undefined figures are null)"), NULL },
    { NULL }
  };
  const char *parameters =
    _("[DATASET…] — how far the annotators agree: Krippendorff’s alpha and weighted kappa");
  const char *description =
    _("Alpha is ordinal on the preference scale and on rankings, nominal on the direction\n"
      "(A better, tie, B better) and interval on each rubric criterion; every figure comes with\n"
      "the number of items behind it. The preference also gets nominal and interval alpha,\n"
      "as other studies report them. Only items with two or more current submitted\n"
      "judgements count. “all agree” means alpha is undefined because every value is the "
      "same.");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GError) error = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("agreement", parameters, entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(datasets = rounds_store_get_datasets (store, (const char * const *) argv + 1, &error)))
    return rounds_cli_fail ("agreement", error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "datasets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < datasets->len; i++)
    {
      RoundsDataset *dataset = datasets->pdata[i];
      g_autoptr(RoundsAgreementReport) report = NULL;

      if (!rounds_store_compute_agreement (store, rounds_dataset_get_id (dataset),
                                           &report, &error))
        return rounds_cli_fail ("agreement", error);

      if (as_json)
        {
          json_builder_begin_object (builder);
          rounds_cli_json_add_string (builder, "dataset", rounds_dataset_get_name (dataset));
          json_builder_set_member_name (builder, "agreement");
          rounds_cli_add_agreement_json (builder, report);
          json_builder_end_object (builder);
        }
      else
        print_report (dataset, report);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (as_json)
    rounds_cli_print_json (builder);
  else if (datasets->len > 0)
    g_print (_("\nThe headline for the preference is ordinal α: the scale’s points are ordered, "
               "but “better”\nneed not be as far from “much better” as from “tie”. Nominal α "
               "ignores the order;\ninterval α takes the steps as equal.\n"));
  return ROUNDS_CLI_EXIT_OK;
}
