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

G_END_DECLS
