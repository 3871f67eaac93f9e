/* rounds-test-cli.c: running the built rounds-cli from a test and keeping what it said
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <unistd.h>

#include "rounds-test-cli.h"
#include "rounds-test-util.h"

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

void
rounds_test_cli_set_up (RoundsTestCliFixture *fixture,
                        gconstpointer         data)
{
  fixture->dir = rounds_test_make_dir ();
  fixture->db = g_build_filename (fixture->dir, "rounds.db", NULL);
}

void
rounds_test_cli_tear_down (RoundsTestCliFixture *fixture,
                           gconstpointer         data)
{
  rounds_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->db, g_free);
}

static void
detach_terminal (gpointer data)
{
  setsid ();
}

void
rounds_test_cli_run (RoundsTestCliFixture *fixture,
                     RoundsTestCliRun     *run,
                     const char           *env_name,
                     const char           *env_value,
                     const char           *first,
                     ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char * const before[] = { "--db", fixture->db, NULL };
  va_list args;

  if (env_name != NULL && env_value != NULL)
    g_subprocess_launcher_setenv (launcher, env_name, env_value, TRUE);
  else if (env_name != NULL)
    g_subprocess_launcher_unsetenv (launcher, env_name);
  g_subprocess_launcher_set_child_setup (launcher, detach_terminal, NULL, NULL);
  va_start (args, first);
  rounds_test_cli_runv (run, launcher, fixture->dir, before, first, args);
  va_end (args);
}

gint64
rounds_test_cli_query_int (RoundsTestCliFixture *fixture,
                           const char           *sql)
{
  return rounds_test_db_path_query_int (fixture->db, sql);
}
