/* rounds-cli-sync.c: `rounds-cli sync URL [--push|--pull]`: the app's sync, for servers
 * and scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rounds-cli-private.h"
#include "rounds-count.h"
#include "rounds-couch.h"
#include "rounds-error.h"
#include "rounds-sync.h"

typedef struct
{
  gboolean         tty;
  gboolean         quiet;
  RoundsSyncStage  stage;
  gboolean         line_open;
} Progress;

static const char *
stage_label (RoundsSyncStage stage)
{
  switch (stage)
    {
    case ROUNDS_SYNC_STAGE_CONNECTING:
      return _("Connecting");
    case ROUNDS_SYNC_STAGE_PUSHING:
      return _("Pushing");
    case ROUNDS_SYNC_STAGE_PULLING:
      return _("Pulling");
    case ROUNDS_SYNC_STAGE_IDLE:
    case ROUNDS_SYNC_STAGE_DONE:
    default:
      return NULL;
    }
}

/* One line per stage; on a terminal it counts up in place. */
static void
on_progress (RoundsSync *sync,
             int         stage,
             guint       done,
             guint       total,
             Progress   *progress)
{
  const char *label = stage_label (stage);

  if (progress->quiet)
    return;
  if (label == NULL)
    {
      if (progress->line_open)
        g_printerr ("\n");
      progress->line_open = FALSE;
      return;
    }
  if (progress->tty)
    {
      /* Keep the finished stage's line; the next one starts below it. */
      if ((RoundsSyncStage) stage != progress->stage && progress->line_open)
        g_printerr ("\n");
      if (total > 0)
        g_printerr ("\r%s %u/%u…   ", label, done, total);
      else if (done > 0)
        g_printerr ("\r%s %u…   ", label, done);
      else
        g_printerr ("\r%s…   ", label);
      progress->line_open = TRUE;
    }
  else if ((RoundsSyncStage) stage != progress->stage)
    {
      if (total > 0)
        g_printerr ("%s %u…\n", label, total);
      else
        g_printerr ("%s…\n", label);
    }
  progress->stage = stage;
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      RoundsSyncProblem *problem = g_ptr_array_index (problems, i);

      if (problem->kind == ROUNDS_SYNC_PROBLEM_CONFLICT)
        g_print (_("conflict\t%s\t%s (store revision %s); settle it with --keep-mine or "
                   "--take-theirs %s\n"),
                 problem->doc_id, problem->reason,
                 problem->server_rev ? problem->server_rev : "?", problem->doc_id);
      else
        g_print ("%s\t%s\t%s\n", problem->error, problem->doc_id, problem->reason);
    }
}

int
rounds_cli_sync (RoundsCli  *cli,
                 int         argc,
                 char      **argv)
{
  gboolean push_only = FALSE, pull_only = FALSE, quiet = FALSE;
  g_autofree char *user = NULL;
  g_autofree char *profile_name = NULL;
  g_autofree char *cacert = NULL;
  g_auto(GStrv) keep_mine = NULL;
  g_auto(GStrv) take_theirs = NULL;
  int batch = 0;
  const GOptionEntry entries[] = {
    { "push", 0, 0, G_OPTION_ARG_NONE, &push_only,
      N_("Only send this machine’s edits"), NULL },
    { "pull", 0, 0, G_OPTION_ARG_NONE, &pull_only,
      N_("Only bring the store’s changes here"), NULL },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("The user on the store (default: the current profile)"), N_("USER") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Push this profile’s edits (default: the profile named like the user, else the current "
         "one)"),
      N_("USER") },
    { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &cacert,
      N_("Trust the certificate authority in this PEM file"), N_("FILE") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch,
      N_("Documents per request, 500 to 1000 (default 500)"), N_("N") },
    { "keep-mine", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keep_mine,
      N_("Settle a conflict on a dataset or item by publishing this copy"), N_("DOC") },
    { "take-theirs", 0, 0, G_OPTION_ARG_STRING_ARRAY, &take_theirs,
      N_("Settle a conflict on a dataset or item by taking the store’s copy"), N_("DOC") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      N_("No progress lines"), NULL },
    { NULL }
  };
  const char *parameters =
    _("URL — send this machine’s judgements and verdicts to the curation store, and bring the "
      "team’s back");
  const char *description =
    _("The password is read from ROUNDS_STORE_PASSWORD, or asked for. Documents the store "
      "refuses stay here and are listed; the exit status is 1 while any are listed.");
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsSync) sync = NULL;
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  Progress progress = { 0 };
  RoundsSyncDirection direction;
  RoundsStore *store;
  char *password;

  if (!rounds_cli_parse ("sync", parameters, entries, description, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 2)
    return rounds_cli_usage ("sync", "%s",
                             _("give the database URL, e.g. "
                               "https://couch.example.org/ethics-study"));
  if (push_only && pull_only)
    return rounds_cli_usage ("sync", "%s",
                             _("--push and --pull together are the default: give one or neither"));
  if (batch != 0 && (batch < 500 || batch > 1000))
    return rounds_cli_usage ("sync", "%s", _("--batch takes 500 to 1000"));
  if (!rounds_cli_check_store_url ("sync", argv[1]))
    return ROUNDS_CLI_EXIT_USAGE;

  if (!(store = rounds_cli_open_store (cli, &error)))
    return rounds_cli_fail ("sync", error);

  if (user == NULL)
    {
      current = rounds_store_get_current_profile (store);
      if (profile_name != NULL)
        user = g_strdup (profile_name);
      else if (current != NULL)
        user = g_strdup (rounds_profile_get_user_name (current));
      else
        return rounds_cli_usage ("sync", "%s",
                                 _("no profile on this machine: give the store user with --user"));
    }

  sync = rounds_sync_new (argv[1]);
  if (!(password = rounds_cli_get_password (rounds_sync_get_url (sync), user, &error)))
    return rounds_cli_fail ("sync", error);
  rounds_sync_set_credentials (sync, user, password);
  rounds_couch_password_free (password);

  rounds_sync_set_ca_file (sync, cacert);
  rounds_sync_set_profile (sync, profile_name);
  direction = push_only ? ROUNDS_SYNC_PUSH : pull_only ? ROUNDS_SYNC_PULL : ROUNDS_SYNC_BOTH;
  rounds_sync_set_direction (sync, direction);
  if (batch != 0)
    rounds_sync_set_batch_size (sync, (guint) batch);
  for (guint i = 0; keep_mine && keep_mine[i]; i++)
    rounds_sync_resolve (sync, keep_mine[i], ROUNDS_SYNC_KEEP_MINE);
  for (guint i = 0; take_theirs && take_theirs[i]; i++)
    rounds_sync_resolve (sync, take_theirs[i], ROUNDS_SYNC_TAKE_THEIRS);

  progress.tty = isatty (STDERR_FILENO);
  progress.quiet = quiet;
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress), &progress);

  if (!rounds_sync_run (sync, store, &result, NULL, &error))
    {
      int status;

      if (progress.line_open)
        g_printerr ("\n");
      status = rounds_cli_fail ("sync", error);
      /* A refused password is tried once: CouchDB locks an account out after a few. */
      if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED))
        g_printerr (_("rounds-cli sync: not tried again, so that the store does not lock the "
                      "account out; run it again with the right password\n"));
      else if (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED))
        g_printerr (_("rounds-cli sync: wait until the store lets the account sign in again, "
                      "or ask its administrator\n"));
      return status;
    }

  {
    g_autofree char *pushed = rounds_format_count (result->n_pushed);
    g_autofree char *pulled = rounds_format_count (result->n_pulled);
    g_autofree char *unchanged = rounds_format_count (result->n_unchanged);
    g_autofree char *skipped = rounds_format_count (result->n_skipped);
    g_autofree char *waiting = rounds_format_counted (result->n_waiting, "%s edit waiting",
                                                      "%s edits waiting");
    g_autofree char *parked =
      rounds_format_counted (result->n_parked,
                             "%s pulled judgement or verdict waits for its item to be published",
                             "%s pulled judgements or verdicts wait for their item to be "
                             "published");

    /* TRANSLATORS: the last is the edits waiting, counted ("3 edits waiting") */
    g_print (_("Pushed %s, pulled %s (%s here already), skipped %s; %s\n"),
             pushed, pulled, unchanged, skipped, waiting);
    if (result->n_parked > 0)
      g_print ("%s\n", parked);
  }
  for (guint i = 0; i < result->refused->len; i++)
    {
      RoundsSyncProblem *problem = g_ptr_array_index (result->refused, i);

      g_printerr (_("rounds-cli sync: skipped %s, which cannot be read: %s\n"), problem->doc_id,
                  problem->reason);
    }

  if (!(problems = rounds_sync_list_problems (store, &error)))
    return rounds_cli_fail ("sync", error);
  if (problems->len > 0)
    {
      print_problems (problems);
      g_printerr (ngettext ("rounds-cli sync: %u document did not go through\n",
                            "rounds-cli sync: %u documents did not go through\n", problems->len),
                  problems->len);
      return ROUNDS_CLI_EXIT_ERROR;
    }
  return ROUNDS_CLI_EXIT_OK;
}
