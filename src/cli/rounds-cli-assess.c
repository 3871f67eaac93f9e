/* rounds-cli-assess.c: `rounds-cli assess --dataset D --endpoint NAME`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-assess.h"
#include "rounds-cli-private.h"
#include "rounds-endpoint.h"

static void
on_progress (guint       done,
             guint       total,
             const char *item_key,
             gpointer    user_data)
{
  gboolean quiet = GPOINTER_TO_INT (user_data);

  if (!quiet)
    {
      /* The carriage return and the erase-line code are the terminal's, not words. */
      g_printerr ("\r");
      g_printerr (_("assessed %u of %u (%s)"), done, total, item_key);
      g_printerr ("\033[K");
    }
}

int
rounds_cli_assess (RoundsCli  *cli,
                   int         argc,
                   char      **argv)
{
  g_autofree char *dataset_name = NULL, *endpoint_name = NULL, *system_file = NULL;
  g_autofree char *system = NULL, *key = NULL, *guardian = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsEndpoint) endpoint = NULL;
  g_autoptr(RoundsChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  RoundsAssessSummary summary = { 0 };
  gboolean quiet = FALSE, ok;
  RoundsStore *store;
  const GOptionEntry entries[] = {
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset_name,
      N_("The dataset whose items to assess"), N_("NAME") },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &endpoint_name,
      N_("The evaluator model’s endpoint (rounds-cli endpoint add)"), N_("NAME") },
    { "system", 0, 0, G_OPTION_ARG_FILENAME, &system_file,
      N_("Use this file’s text as the system message instead of the guardian’s own"),
      N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on the terminal"), NULL },
    { NULL }
  };
  const char *description =
    _("The guardian is an evaluator model. For each item it gives every response rubric\n"
      "scores, flags and a rationale, and a preference between the responses (a ranking for\n"
      "more than two), under a JSON schema made from the dataset’s rubric. Its judgements are\n"
      "the machine annotator’s guardian:<model>: they never count towards an item’s overlap,\n"
      "the annotators’ agreement or a label. A reply that does not fit the schema is refused\n"
      "with the item and the reason, and nothing of it is stored; items the guardian has\n"
      "judged are skipped, so a rerun goes on where the last stopped and asks again about\n"
      "the refused ones. The key is read from ROUNDS_ENDPOINT_KEY_<NAME> or\n"
      "ROUNDS_ENDPOINT_KEY. Exit status 3: some replies were refused.");

  if (!rounds_cli_parse ("assess", _("— ask the guardian, an evaluator model, to judge the "
                                     "items"),
                         entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (dataset_name == NULL || endpoint_name == NULL)
    return rounds_cli_usage ("assess", _("--dataset and --endpoint are required"));
  if (argc > 1)
    return rounds_cli_usage ("assess", _("unexpected argument “%s”"), argv[1]);
  if (system_file != NULL && !g_file_get_contents (system_file, &system, NULL, &error))
    return rounds_cli_fail ("assess", error);

  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(dataset = rounds_store_get_dataset (store, dataset_name, &error)) ||
      !(endpoint = rounds_store_get_endpoint (store, endpoint_name, &error)))
    return rounds_cli_fail ("assess", error);
  key = rounds_endpoint_key_from_env (endpoint->name);
  if (!(chat = rounds_chat_new (endpoint, key, &error)))
    return rounds_cli_fail ("assess", error);

  ok = rounds_assess_run (store, dataset, chat, system, on_progress, GINT_TO_POINTER (quiet),
                          &summary, NULL, &error);
  if (!quiet && summary.n_items > summary.n_skipped)
    g_printerr ("\n");

  guardian = rounds_guardian_name (endpoint->model);
  for (guint i = 0; summary.refusals != NULL && i < summary.refusals->len; i++)
    g_printerr (_("rounds-cli assess: refused %s\n"),
                (const char *) g_ptr_array_index (summary.refusals, i));
  g_print (_("%s: %u assessed, %u refused, %u assessed before (of %u items with responses)\n"),
           guardian, summary.n_assessed, summary.refusals ? summary.refusals->len : 0,
           summary.n_skipped, summary.n_items);

  if (!ok)
    {
      rounds_assess_summary_clear (&summary);
      return rounds_cli_fail ("assess", error);
    }
  if (summary.refusals->len > 0)
    {
      rounds_assess_summary_clear (&summary);
      return ROUNDS_CLI_EXIT_BAD_INPUT;
    }
  rounds_assess_summary_clear (&summary);
  return ROUNDS_CLI_EXIT_OK;
}
