/* rounds-test-cli.c: running the built rounds-cli from a test and keeping what it said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-test-cli.h"

void
rounds_test_cli_run_clear (RoundsTestCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs $ROUNDS_CLI in @cwd through @launcher, which the caller made with the pipes and
 * environment it wants, with the arguments @before (NULL-terminated, may be NULL), then
 * @first and @args (NULL-terminated). Stdin, if piped, reads as empty. */
void
rounds_test_cli_runv (RoundsTestCliRun    *run,
                      GSubprocessLauncher *launcher,
                      const char          *cwd,
                      const char * const  *before,
                      const char          *first,
                      va_list              args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("ROUNDS_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; before != NULL && before[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) before[i]);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, g_subprocess_get_stdin_pipe (process) ? "" : NULL, NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}
