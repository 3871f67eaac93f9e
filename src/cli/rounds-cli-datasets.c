/* rounds-cli-datasets.c: `rounds-cli datasets`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-cli-private.h"

int
rounds_cli_datasets (RoundsCli  *cli,
                     int         argc,
                     char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) datasets = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("datasets",
                         _("— list the datasets: items, those awaiting responses, overlap, "
                           "judgements done and wanted"),
                         NULL, NULL, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 1)
    return rounds_cli_usage ("datasets", "%s", _("takes no arguments"));
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(datasets = rounds_store_list_datasets (store, &error)))
    return rounds_cli_fail ("datasets", error);

  g_print ("%-28s %7s %8s %7s %9s %9s  %s\n",
           /* TRANSLATORS: column headings of `rounds-cli datasets`; keep them one word each */
           _("DATASET"), _("ITEMS"), _("AWAITING"), _("OVERLAP"), _("DONE"), _("WANTED"),
           _("TITLE"));
  for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(RoundsDataset) dataset = g_list_model_get_item (datasets, i);
      gint64 id = rounds_dataset_get_id (dataset);
      RoundsProgress progress;

      if (!rounds_store_get_progress (store, id, NULL, &progress, &error))
        return rounds_cli_fail ("datasets", error);
      g_print ("%-28s %7u %8u %7u %9u %9u  %s\n",
               rounds_dataset_get_name (dataset), progress.n_items, progress.n_awaiting,
               rounds_dataset_get_overlap (dataset), progress.n_submitted, progress.n_wanted,
               rounds_dataset_get_title (dataset));
    }
  return ROUNDS_CLI_EXIT_OK;
}
