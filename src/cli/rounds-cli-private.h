/* rounds-cli-private.h: what the commands of rounds-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rounds-review.h"
#include "rounds-store.h"

G_BEGIN_DECLS

/* Exit codes, documented in the README and in `rounds-cli --help`. */
typedef enum
{
  ROUNDS_CLI_EXIT_OK = 0,
  ROUNDS_CLI_EXIT_ERROR = 1,       /* anything else: network, permission, I/O */
  ROUNDS_CLI_EXIT_USAGE = 2,       /* bad command line */
  ROUNDS_CLI_EXIT_BAD_INPUT = 3,   /* an input file was refused; nothing of it was written */
  ROUNDS_CLI_EXIT_DATABASE = 4,    /* the local database cannot be opened or is damaged */
} RoundsCliExit;

typedef struct
{
  char        *db_path;   /* from --db, or NULL for the default */
  RoundsStore *store;     /* opened on first use by rounds_cli_open_store () */
} RoundsCli;

/* A command gets argv with argv[0] = its own name and the global --db already removed. It
 * parses its own options (GOptionContext) and returns a RoundsCliExit. */
typedef int (*RoundsCliCommandFunc) (RoundsCli  *cli,
                                     int         argc,
                                     char      **argv);

typedef struct
{
  const char           *name;
  const char           *summary;   /* translatable, marked with N_() */
  RoundsCliCommandFunc  func;
} RoundsCliCommand;

RoundsStore *rounds_cli_open_store  (RoundsCli           *cli,
                                     GError             **error);
char        *rounds_cli_get_actor   (RoundsStore         *store,
                                     const char          *actor);
int          rounds_cli_fail        (const char          *command,
                                     const GError        *error);
int          rounds_cli_usage       (const char          *command,
                                     const char          *format,
                                     ...) G_GNUC_PRINTF (2, 3);
gboolean     rounds_cli_parse       (const char *command, const char *parameter_string,
                                     const GOptionEntry *entries, const char *description,
                                     int *argc, char ***argv);
int          rounds_cli_dispatch    (RoundsCli *cli, const char *command,
                                     const RoundsCliCommand *subcommands, guint n_subcommands,
                                     const char *usage, const char *expected,
                                     int argc, char **argv);

/* JSON for scripts (rounds-cli.c). */
void         rounds_cli_json_add_int    (JsonBuilder *builder,
                                         const char  *name,
                                         gint64       value);
void         rounds_cli_json_add_string (JsonBuilder *builder,
                                         const char  *name,
                                         const char  *value);
void         rounds_cli_print_json      (JsonBuilder *builder);

/* Commands, one file each: src/cli/rounds-cli-<group>.c */
int rounds_cli_profile   (RoundsCli *cli, int argc, char **argv);
int rounds_cli_import    (RoundsCli *cli, int argc, char **argv);
int rounds_cli_datasets  (RoundsCli *cli, int argc, char **argv);
int rounds_cli_stats     (RoundsCli *cli, int argc, char **argv);
int rounds_cli_store     (RoundsCli *cli, int argc, char **argv);
int rounds_cli_sync      (RoundsCli *cli, int argc, char **argv);
int rounds_cli_agreement (RoundsCli *cli, int argc, char **argv);
int rounds_cli_export    (RoundsCli *cli, int argc, char **argv);
int rounds_cli_insights  (RoundsCli *cli, int argc, char **argv);
int rounds_cli_endpoint  (RoundsCli *cli, int argc, char **argv);
int rounds_cli_generate  (RoundsCli *cli, int argc, char **argv);
int rounds_cli_assess    (RoundsCli *cli, int argc, char **argv);

void       rounds_cli_add_agreement_json  (JsonBuilder                  *builder,
                                           const RoundsAgreementReport  *report);

/* The curation store's URL and password, shared by store and sync (rounds-cli-store.c). */
gboolean rounds_cli_check_store_url (const char  *command,
                                     const char  *url);
char    *rounds_cli_get_password    (const char  *url,
                                     const char  *user,
                                     GError     **error);

G_END_DECLS
