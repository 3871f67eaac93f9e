/* rounds-cli-import.c: `rounds-cli import FILE…`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rounds-cli-private.h"
#include "rounds-count.h"
#include "rounds-error.h"
#include "rounds-importer.h"

static void
print_result (const char               *path,
              const RoundsImportResult *result)
{
  g_autofree char *records = rounds_format_counted (result->n_records, "%s record",
                                                    "%s records");
  char *n[10] = { NULL };
  const guint values[10] = {
    result->n_datasets_added, result->n_datasets_updated, result->n_items_added,
    result->n_items_updated, result->n_items_unchanged, result->n_judgements_added,
    result->n_judgements_unchanged, result->n_verdicts_added, result->n_verdicts_unchanged,
    result->n_audit_added,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    n[i] = rounds_format_count (values[i]);
  /* TRANSLATORS: the file, its records counted ("12 records"), then what they did */
  g_print (_("%s: %s; datasets %s added, %s updated; items %s added, %s updated, "
             "%s unchanged; judgements %s added, %s unchanged\n"),
           path, records, n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
  if (result->n_verdicts_added + result->n_verdicts_unchanged + result->n_audit_added > 0)
    g_print (_("%s: verdicts %s added, %s unchanged; audit facts %s added\n"), path,
             n[7], n[8], n[9]);
  for (guint i = 0; i < G_N_ELEMENTS (n); i++)
    g_free (n[i]);
}

int
rounds_cli_import (RoundsCli  *cli,
                   int         argc,
                   char      **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *actor = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean update = FALSE;
  gboolean no_header = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("auto (default), rounds, trl or mapped"), N_("FORMAT") },
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset,
      N_("Dataset for lines that name none"), N_("NAME") },
    { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Map a field: TARGET=PATH[,PATH], e.g. scenario=question or responses=answers[].text"),
      N_("TARGET=PATH") },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &no_header,
      N_("CSV files have no header row: their columns are 1, 2, …"), NULL },
    { "update", 'u', 0, G_OPTION_ARG_NONE, &update,
      N_("Let a changed item or dataset replace the stored one"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &actor,
      N_("Who imports, for the audit log (default: the current profile)"), N_("USER") },
    { NULL }
  };
  const char *parameters =
    _("FILE… — import Rounds JSONL, TRL pairs, or any JSONL/CSV through --map");
  const char *description =
    _("Map targets: id, dataset, title, scenario, specialty, language, responses, model, "
      "response_id, chosen, rejected, reference, reference.NAME, metadata.NAME.\n"
      "Paths: a member name, dotted for nesting, with [] to take every element of an array,\n"
      "e.g. --map scenario=question --map responses=answers[].text --map model=answers[].model.\n"
      "chosen and rejected (text or messages) make a pair with its label hidden; reference\n"
      "names the preferred one of the responses, e.g. --map reference=better_response_id.\n"
      "CSV files are read with their header row (a path is then a column name), or with\n"
      "--no-header, when the columns are 1, 2, …\n"
      "A scenario without responses waits for them, outside every queue.\n"
      "\n"
      "Each file is imported in one transaction: if a line is refused, nothing of that file is\n"
      "written, and the message names the file, the line and the field. Files are taken in "
      "order;\n"
      "the import stops at the first refused file.");
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("import", parameters, entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc < 2)
    return rounds_cli_usage ("import", "%s", _("give at least one file"));

  if (format != NULL && !rounds_importer_set_format_name (importer, format, &error))
    return rounds_cli_usage ("import", "%s", error->message);
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    if (!rounds_importer_add_map (importer, maps[i], &error))
      return rounds_cli_usage ("import", "%s", error->message);
  rounds_importer_set_dataset (importer, dataset);
  rounds_importer_set_update (importer, update);
  rounds_importer_set_csv_header (importer, !no_header);

  if (!(store = rounds_cli_open_store (cli, &error)))
    return rounds_cli_fail ("import", error);

  who = rounds_cli_get_actor (store, actor);
  rounds_importer_set_actor (importer, who);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      RoundsImportResult result;

      if (!rounds_importer_run (importer, store, file, &result, NULL, &error))
        {
          int status = rounds_cli_fail ("import", error);

          if (i > 1)
            g_printerr (_("rounds-cli import: the files before %s were imported; it and the "
                          "files after it were not\n"),
                        argv[i]);
          return status;
        }
      print_result (argv[i], &result);
    }

  return ROUNDS_CLI_EXIT_OK;
}
