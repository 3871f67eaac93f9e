/* rounds-cli-store.c: `rounds-cli store init|check URL`, and the credentials of the
 * curation store that `rounds-cli sync` shares
 *
 * The password never comes from the command line, where the process list shows it: it is
 * read from ROUNDS_STORE_PASSWORD, or asked for on the terminal without echo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "rounds-cli-private.h"
#include "rounds-couch-setup.h"
#include "rounds-couch.h"
#include "rounds-error.h"

/* Reads a line from the terminal with echo off. */
static char *
prompt_password (const char  *prompt,
                 GError     **error)
{
  struct termios saved, quiet;
  char buffer[1024];
  FILE *tty = fopen ("/dev/tty", "r+");
  char *line;
  gboolean echo_off;

  if (tty == NULL)
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                           _("No password: set ROUNDS_STORE_PASSWORD, or run in a terminal to be "
                             "asked for it"));
      return NULL;
    }
  fputs (prompt, tty);
  fflush (tty);
  echo_off = tcgetattr (fileno (tty), &saved) == 0;
  if (echo_off)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }
  line = fgets (buffer, sizeof buffer, tty);
  if (echo_off)
    tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  fclose (tty);

  if (line == NULL)
    {
      memset (buffer, 0, sizeof buffer);
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                           _("No password given"));
      return NULL;
    }
  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);
  return line;
}

/**
 * rounds_cli_get_password:
 *
 * The password of @user at @url: ROUNDS_STORE_PASSWORD, else asked on the terminal.
 */
char *
rounds_cli_get_password (const char  *url,
                         const char  *user,
                         GError     **error)
{
  const char *from_env = g_getenv ("ROUNDS_STORE_PASSWORD");
  g_autofree char *prompt = NULL;

  if (from_env != NULL)
    return g_strdup (from_env);
  prompt = g_strdup_printf (_("Password of %s at %s: "), user, url);
  return prompt_password (prompt, error);
}

/**
 * rounds_cli_check_store_url:
 *
 * Refuses a URL with credentials in it: they would show in the process list and in the
 * shell's history. Prints the usage error and returns %FALSE.
 */
gboolean
rounds_cli_check_store_url (const char *command,
                            const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsCouch) couch = rounds_couch_new (url, &error);

  if (couch == NULL)
    {
      rounds_cli_usage (command, "%s", error->message);
      return FALSE;
    }
  if (rounds_couch_get_user (couch) != NULL)
    {
      rounds_cli_usage (command, "%s",
                        _("put no user name or password in the URL: give --user, and the "
                          "password in ROUNDS_STORE_PASSWORD or when asked"));
      return FALSE;
    }
  return TRUE;
}

/* A client of the database at @url as @user, with the password asked for. */
static RoundsCouch *
connect_store (const char  *url,
               const char  *user,
               const char  *cacert,
               GError     **error)
{
  g_autoptr(RoundsCouch) couch = NULL;
  char *password;

  if (!(couch = rounds_couch_new (url, error)))
    return NULL;
  if (!(password = rounds_cli_get_password (rounds_couch_get_url (couch), user, error)))
    return NULL;
  rounds_couch_set_credentials (couch, user, password);
  rounds_couch_password_free (password);
  rounds_couch_set_ca_file (couch, cacert);
  return g_steal_pointer (&couch);
}

/* What tells store init and store check apart on the command line; translatable. */
typedef struct
{
  const char *command;
  const char *parameter_string;
  const char *description;
  const char *user_help;
  const char *no_url;
  const char *no_user;
} StoreCommand;

/* Parses the options store init and store check share and connects to the database
 * named; on failure returns %NULL with @status set. */
static RoundsCouch *
store_connect (const StoreCommand  *command,
               int                  argc,
               char               **argv,
               int                 *status)
{
  g_autofree char *user = NULL;
  g_autofree char *cacert = NULL;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      command->user_help, N_("USER") },
    { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &cacert,
      N_("Trust the certificate authority in this PEM file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  RoundsCouch *couch;

  *status = ROUNDS_CLI_EXIT_USAGE;
  if (!rounds_cli_parse (command->command, _(command->parameter_string), entries,
                         _(command->description), &argc, &argv))
    return NULL;
  if (argc != 2)
    {
      rounds_cli_usage (command->command, "%s", _(command->no_url));
      return NULL;
    }
  if (user == NULL)
    {
      rounds_cli_usage (command->command, "%s", _(command->no_user));
      return NULL;
    }
  if (!rounds_cli_check_store_url (command->command, argv[1]))
    return NULL;

  if (!(couch = connect_store (argv[1], user, cacert, &error)))
    *status = rounds_cli_fail (command->command, error);
  return couch;
}

static int
store_init (RoundsCli  *cli,
            int         argc,
            char      **argv)
{
  static const StoreCommand init = {
    "store init",
    N_("URL — create and set up a curation store database"),
    N_("Creates the database if it is missing, lets the roles annotator, reviewer and curator in "
       "as members, and installs the design document _design/rounds that decides who may write "
       "what. Running it again changes nothing that is set up already.\n\nThe password is read "
       "from ROUNDS_STORE_PASSWORD, or asked for."),
    N_("An administrator of the server (required)"),
    N_("give the database URL, e.g. https://couch.example.org/ethics-study"),
    N_("give an administrator of the server with --user"),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(RoundsCouch) couch = NULL;
  int status;

  if (!(couch = store_connect (&init, argc, argv, &status)))
    return status;
  if (!rounds_couch_setup_apply (couch, &changes, NULL, &error))
    return rounds_cli_fail (init.command, error);

  if (changes->len == 0)
    g_print (_("Nothing to change: %s is set up already\n"), rounds_couch_get_url (couch));
  for (guint i = 0; i < changes->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (changes, i));
  return ROUNDS_CLI_EXIT_OK;
}

static int
store_check (RoundsCli  *cli,
             int         argc,
             char      **argv)
{
  static const StoreCommand check = {
    "store check",
    N_("URL — check that a curation store database is set up"),
    N_("Lists what “rounds-cli store init” would change, and exits with 1 if anything is "
       "missing or different."),
    N_("An administrator of the database (required)"),
    N_("give the database URL"),
    N_("give an administrator of the database with --user"),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(RoundsCouch) couch = NULL;
  int status;

  if (!(couch = store_connect (&check, argc, argv, &status)))
    return status;
  if (!rounds_couch_setup_check (couch, &findings, NULL, &error))
    return rounds_cli_fail (check.command, error);

  if (findings->len == 0)
    {
      g_print (_("%s is set up for Rounds\n"), rounds_couch_get_url (couch));
      return ROUNDS_CLI_EXIT_OK;
    }
  for (guint i = 0; i < findings->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (findings, i));
  g_printerr (_("rounds-cli store check: %s is not fully set up; “rounds-cli store init” "
                "sets it up\n"),
              rounds_couch_get_url (couch));
  return ROUNDS_CLI_EXIT_ERROR;
}

int
rounds_cli_store (RoundsCli  *cli,
                  int         argc,
                  char      **argv)
{
  static const RoundsCliCommand subcommands[] = {
    { "init", NULL, store_init },
    { "check", NULL, store_check },
  };

  return rounds_cli_dispatch (cli, "store", subcommands, G_N_ELEMENTS (subcommands),
                              _("Usage: rounds-cli store init URL --user ADMIN [--cacert FILE]\n"
                                "       rounds-cli store check URL --user ADMIN [--cacert FILE]\n"
                                "The password is read from ROUNDS_STORE_PASSWORD, or asked for."),
                              _("expected “init” or “check”"),
                              argc, argv);
}
