/* rounds-cli.c: rounds-cli, the command-line tool for scripts, pipelines and servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rounds-cli-private.h"
#include "rounds-error.h"

static const RoundsCliCommand commands[] = {
  { "profile", N_("Add, list and choose the annotator profiles of this database"),
    rounds_cli_profile },
  { "import", N_("Import datasets, items and judgements from JSONL or CSV files"),
    rounds_cli_import },
  { "datasets", N_("List the datasets with their progress"),
    rounds_cli_datasets },
  { "stats", N_("Show progress and annotator figures for a dataset"),
    rounds_cli_stats },
  { "store", N_("Set up or check a curation store database (CouchDB)"),
    rounds_cli_store },
  { "export", N_("Export rated pairs for training (TRL, KTO, OpenAI, HH-RLHF, CSV) or the full "
                 "archive"),
    rounds_cli_export },
  { "agreement", N_("Measure how far the annotators agree (Krippendorff’s alpha, weighted "
                    "kappa)"),
    rounds_cli_agreement },
  { "insights", N_("Rank the models (Bradley-Terry, with intervals) and check the labels for "
                   "bias and haste"),
    rounds_cli_insights },
  { "endpoint", N_("Name the chat-completions servers (vLLM, llama.cpp, Ollama, a hosted API) "
                   "that generate responses"),
    rounds_cli_endpoint },
  { "generate", N_("Give the items awaiting responses their responses from one or more "
                   "endpoints"),
    rounds_cli_generate },
  { "assess", N_("Ask the guardian, an evaluator model, to judge the items beside the "
                 "clinicians"),
    rounds_cli_assess },
  { "sync", N_("Send judgements and verdicts to the curation store and bring the team’s back"),
    rounds_cli_sync },
};

static void
rounds_cli_clear (RoundsCli *cli)
{
  g_clear_object (&cli->store);
  g_clear_pointer (&cli->db_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RoundsCli, rounds_cli_clear)

RoundsStore *
rounds_cli_open_store (RoundsCli  *cli,
                       GError    **error)
{
  g_autofree char *path = NULL;

  if (cli->store != NULL)
    return cli->store;

  path = cli->db_path != NULL ? g_strdup (cli->db_path) : rounds_store_default_path ();
  cli->store = rounds_store_open (path, error);
  return cli->store;
}

/* Who acts, for the audit log: @actor when given, else the current profile, else the
 * account running the command. */
char *
rounds_cli_get_actor (RoundsStore *store,
                      const char  *actor)
{
  g_autoptr(RoundsProfile) profile = NULL;

  if (actor != NULL)
    return g_strdup (actor);
  profile = rounds_store_get_current_profile (store);
  return g_strdup (profile != NULL ? rounds_profile_get_user_name (profile) : g_get_user_name ());
}

int
rounds_cli_fail (const char   *command,
                 const GError *error)
{
  g_printerr ("rounds-cli %s: %s\n", command, error->message);

  if (error->domain == ROUNDS_ERROR)
    {
      switch ((RoundsError) error->code)
        {
        case ROUNDS_ERROR_INVALID_INPUT:
        case ROUNDS_ERROR_CONFLICT:
          return ROUNDS_CLI_EXIT_BAD_INPUT;
        case ROUNDS_ERROR_DATABASE:
        case ROUNDS_ERROR_SCHEMA_TOO_NEW:
          return ROUNDS_CLI_EXIT_DATABASE;
        case ROUNDS_ERROR_INVALID_ARGUMENT:
          return ROUNDS_CLI_EXIT_USAGE;
        case ROUNDS_ERROR_FAILED:
        case ROUNDS_ERROR_NOT_FOUND:
        case ROUNDS_ERROR_INCOMPLETE:
        case ROUNDS_ERROR_NO_PROFILE:
        default:
          break;
        }
    }
  else if (error->domain == G_OPTION_ERROR)
    return ROUNDS_CLI_EXIT_USAGE;

  return ROUNDS_CLI_EXIT_ERROR;
}

int
rounds_cli_usage (const char *command,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("rounds-cli %s: %s\n", command, message);
  g_printerr (_("Try “rounds-cli %s --help”.\n"), command);
  return ROUNDS_CLI_EXIT_USAGE;
}

/* Parses a command's options, described by @parameter_string (after the program name in
 * the usage line), @entries and @description, each optional; on error prints the reason
 * and returns FALSE. */
gboolean
rounds_cli_parse (const char           *command,
                  const char           *parameter_string,
                  const GOptionEntry   *entries,
                  const char           *description,
                  int                  *argc,
                  char               ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("rounds-cli %s", command);

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (description != NULL)
    g_option_context_set_description (context, description);
  /* GOption's usage line names the program; make it name the command too. */
  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      rounds_cli_usage (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Runs the subcommand argv[1] of @command (profile add, store init, …): @usage answers
 * --help, @expected anything else. */
int
rounds_cli_dispatch (RoundsCli               *cli,
                     const char              *command,
                     const RoundsCliCommand  *subcommands,
                     guint                    n_subcommands,
                     const char              *usage,
                     const char              *expected,
                     int                      argc,
                     char                   **argv)
{
  for (guint i = 0; argc >= 2 && i < n_subcommands; i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      return subcommands[i].func (cli, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("%s\n", usage);
      return ROUNDS_CLI_EXIT_OK;
    }
  return rounds_cli_usage (command, "%s", expected);
}

void
rounds_cli_json_add_int (JsonBuilder *builder,
                         const char  *name,
                         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
rounds_cli_json_add_string (JsonBuilder *builder,
                            const char  *name,
                            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Prints what @builder built, indented for people who read it too. */
void
rounds_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = json_to_string (root, TRUE);

  g_print ("%s\n", json);
}

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n", _("Usage: rounds-cli [--db PATH] COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (stream, "\n%s\n\n",
           _("Rounds: clinicians’ judgements of language-model answers, for scripts and "
             "pipelines."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-11s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-22s %s\n", "--db PATH",
           _("The local database (default: the one the app uses)"));
  fprintf (stream, "  %-22s %s\n", "--version", _("Show the version"));
  fprintf (stream, "  %-22s %s\n", "-h, --help",
           _("Show this help; “rounds-cli COMMAND --help” shows a command’s"));
  fprintf (stream, "\n%s\n",
           _("Exit status: 0 done, 1 failed, 2 bad command line, 3 input refused (nothing of it "
             "written), 4 database error."));
}

int
main (int    argc,
      char **argv)
{
  g_auto(RoundsCli) cli = { NULL, NULL };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const RoundsCliCommand *command = NULL;

  setlocale (LC_ALL, "");
  /* ROUNDS_LOCALEDIR lets the tests and build-aux/run use the translations in the build tree. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("ROUNDS_LOCALEDIR") ? g_getenv ("ROUNDS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("rounds-cli");

  /* --db is global and may stand anywhere, so scripts can append it. */
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--db") == 0)
        {
          if (i + 1 >= argc)
            {
              g_printerr ("rounds-cli: %s\n", _("--db needs a path"));
              return ROUNDS_CLI_EXIT_USAGE;
            }
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli.db_path);
          cli.db_path = g_strdup (argv[i] + strlen ("--db="));
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }

  if (rest->len == 0)
    {
      print_help (stderr);
      return ROUNDS_CLI_EXIT_USAGE;
    }

  if (strcmp (rest->pdata[0], "--help") == 0 || strcmp (rest->pdata[0], "-h") == 0 ||
      strcmp (rest->pdata[0], "help") == 0)
    {
      print_help (stdout);
      return ROUNDS_CLI_EXIT_OK;
    }
  if (strcmp (rest->pdata[0], "--version") == 0)
    {
      g_print ("rounds-cli %s\n", PACKAGE_VERSION);
      return ROUNDS_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, rest->pdata[0]) == 0)
      command = &commands[i];

  if (command == NULL)
    {
      g_printerr (_("rounds-cli: no command “%s”\n"), (const char *) rest->pdata[0]);
      g_printerr ("%s\n", _("Try “rounds-cli --help”."));
      return ROUNDS_CLI_EXIT_USAGE;
    }

  g_ptr_array_add (rest, NULL);
  return command->func (&cli, rest->len - 1, (char **) rest->pdata);
}
