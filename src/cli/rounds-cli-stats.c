/* rounds-cli-stats.c: `rounds-cli stats [DATASET] [--json]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "rounds-cli-private.h"
#include "rounds-count.h"

static gboolean
add_dataset (RoundsStore    *store,
             RoundsDataset  *dataset,
             const char     *annotator,
             JsonBuilder    *builder,
             GString        *text,
             GError        **error)
{
  g_autoptr(GArray) annotators = NULL;
  g_autoptr(RoundsAgreementReport) report = NULL;
  RoundsProgress progress;
  char *n[8];
  gint64 id = rounds_dataset_get_id (dataset);

  if (!rounds_store_get_progress (store, id, annotator, &progress, error) ||
      !(annotators = rounds_store_list_annotator_stats (store, id, error)))
    return FALSE;

  json_builder_begin_object (builder);
  rounds_cli_json_add_string (builder, "dataset", rounds_dataset_get_name (dataset));
  rounds_cli_json_add_string (builder, "title", rounds_dataset_get_title (dataset));
  rounds_cli_json_add_int (builder, "overlap", rounds_dataset_get_overlap (dataset));
  rounds_cli_json_add_int (builder, "items", progress.n_items);
  rounds_cli_json_add_int (builder, "items_complete", progress.n_complete);
  rounds_cli_json_add_int (builder, "items_awaiting_responses", progress.n_awaiting);
  rounds_cli_json_add_int (builder, "judgements_wanted", progress.n_wanted);
  rounds_cli_json_add_int (builder, "judgements_submitted", progress.n_submitted);
  if (annotator != NULL)
    {
      json_builder_set_member_name (builder, "mine");
      json_builder_begin_object (builder);
      rounds_cli_json_add_string (builder, "annotator", annotator);
      rounds_cli_json_add_int (builder, "submitted", progress.n_mine);
      rounds_cli_json_add_int (builder, "skipped", progress.n_mine_skipped);
      rounds_cli_json_add_int (builder, "open", progress.n_mine_open);
      json_builder_end_object (builder);
    }

  g_string_append_printf (text, "%s — %s\n",
                          rounds_dataset_get_name (dataset), rounds_dataset_get_title (dataset));
  n[0] = rounds_format_count (progress.n_items);
  n[1] = rounds_format_count (progress.n_complete);
  n[2] = rounds_format_count (progress.n_awaiting);
  n[3] = rounds_format_count (progress.n_submitted);
  n[4] = rounds_format_count (progress.n_wanted);
  n[5] = rounds_format_count (progress.n_mine);
  n[6] = rounds_format_count (progress.n_mine_skipped);
  n[7] = rounds_format_count (progress.n_mine_open);
  g_string_append_printf (text, _("  items %s, complete %s (overlap %u)\n"),
                          n[0], n[1], rounds_dataset_get_overlap (dataset));
  if (progress.n_awaiting > 0)
    g_string_append_printf (text, _("  awaiting responses %s (in no queue until they have two)\n"),
                            n[2]);
  g_string_append_printf (text, _("  judgements %s of %s wanted\n"), n[3], n[4]);
  if (annotator != NULL)
    g_string_append_printf (text, _("  %s: %s submitted, %s skipped, %s open\n"),
                            annotator, n[5], n[6], n[7]);
  for (guint i = 0; i < G_N_ELEMENTS (n); i++)
    g_free (n[i]);

  if (!rounds_store_compute_agreement (store, id, &report, error))
    return FALSE;
  json_builder_set_member_name (builder, "agreement");
  rounds_cli_add_agreement_json (builder, report);
  if (report->preference.alpha.status == ROUNDS_ALPHA_OK)
    g_string_append_printf (text,
                            _("  agreement: preference α = %.3f over %u items "
                              "(see “rounds-cli agreement”)\n"),
                            report->preference.alpha.alpha, report->preference.n_items);

  json_builder_set_member_name (builder, "annotators");
  json_builder_begin_array (builder);
  for (guint i = 0; i < annotators->len; i++)
    {
      const RoundsAnnotatorStats *stats =
        &g_array_index (annotators, RoundsAnnotatorStats, i);

      json_builder_begin_object (builder);
      rounds_cli_json_add_string (builder, "annotator", stats->user_name);
      rounds_cli_json_add_int (builder, "submitted", stats->n_submitted);
      rounds_cli_json_add_int (builder, "skipped", stats->n_skipped);
      rounds_cli_json_add_int (builder, "revised", stats->n_revised);
      rounds_cli_json_add_int (builder, "time_spent_ms", stats->time_spent_ms);
      rounds_cli_json_add_string (builder, "last_at", stats->last_at);
      json_builder_end_object (builder);

      g_string_append_printf (text,
                              _("  %-20s %5u submitted %4u skipped %4u revised  %5.1f min\n"),
                              stats->user_name, stats->n_submitted, stats->n_skipped,
                              stats->n_revised, stats->time_spent_ms / 60000.0);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return TRUE;
}

int
rounds_cli_stats (RoundsCli  *cli,
                  int         argc,
                  char      **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  const char *annotator;
  RoundsStore *store;

  if (!rounds_cli_parse ("stats",
                         _("[DATASET…] — progress and annotator figures (every dataset if none "
                           "is named)"),
                         entries, NULL, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (!(store = rounds_cli_open_store (cli, &error)))
    return rounds_cli_fail ("stats", error);

  if (!(datasets = rounds_store_get_datasets (store, (const char * const *) argv + 1, &error)))
    return rounds_cli_fail ("stats", error);

  profile = rounds_store_get_current_profile (store);
  annotator = profile != NULL ? rounds_profile_get_user_name (profile) : NULL;

  json_builder_begin_object (builder);
  rounds_cli_json_add_string (builder, "rounds_version", PACKAGE_VERSION);
  json_builder_set_member_name (builder, "datasets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < datasets->len; i++)
    if (!add_dataset (store, datasets->pdata[i], annotator, builder, text, &error))
      return rounds_cli_fail ("stats", error);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (as_json)
    rounds_cli_print_json (builder);
  else
    g_print ("%s", text->str);

  return ROUNDS_CLI_EXIT_OK;
}
