/* rounds-test-cli.h: running the built rounds-cli from a test and keeping what it said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;
  char *out;
  char *err;
} RoundsTestCliRun;

void rounds_test_cli_run_clear (RoundsTestCliRun    *run);
void rounds_test_cli_runv      (RoundsTestCliRun    *run,
                                GSubprocessLauncher *launcher,
                                const char          *cwd,
                                const char * const  *before,
                                const char          *first,
                                va_list              args);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RoundsTestCliRun, rounds_test_cli_run_clear)

/* The fixture of a rounds-cli test: a temporary folder, which the tear-down removes with all
 * in it, and @db, the path of a database in it that rounds-cli makes when first run. */
typedef struct
{
  char *dir;
  char *db;
} RoundsTestCliFixture;

void rounds_test_cli_set_up    (RoundsTestCliFixture *fixture,
                                gconstpointer         data);
void rounds_test_cli_tear_down (RoundsTestCliFixture *fixture,
                                gconstpointer         data);
/* Runs `rounds-cli --db DB @first…` (NULL-terminated) in the fixture's folder, as under cron:
 * no controlling terminal, stdin empty. Unless @env_name is NULL, the variable @env_name is
 * set to @env_value, or unset when that is NULL. */
void rounds_test_cli_run       (RoundsTestCliFixture *fixture,
                                RoundsTestCliRun     *run,
                                const char           *env_name,
                                const char           *env_value,
                                const char           *first,
                                ...) G_GNUC_NULL_TERMINATED;
/* The first column of the first row of @sql in the fixture's database. */
gint64 rounds_test_cli_query_int (RoundsTestCliFixture *fixture,
                                  const char           *sql);

G_END_DECLS
