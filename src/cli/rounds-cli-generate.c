/* rounds-cli-generate.c: `rounds-cli generate`: responses for items awaiting them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "rounds-cli-private.h"
#include "rounds-endpoint.h"
#include "rounds-error.h"
#include "rounds-generate.h"

typedef struct
{
  gboolean tty;
  gint64   last_line;
  gint64   last_done;    /* responses done at the last line, or -1 */
  gboolean pending_cr;   /* a progress line without its newline is on the terminal */
} Terminal;

static char *
format_duration (gint64 ms)
{
  gint64 s = (ms + 999) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60),
                            (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

/* "12/40 responses (1 refused, 0 empty, 2 failed), 3.1/s, ETA 0:09" on standard error: on a
 * terminal one line rewritten, else a line every five seconds. */
static void
on_progress (const RoundsGenerateProgress *p,
             gpointer                      user_data)
{
  Terminal *term = user_data;
  guint done = p->n_answered + p->n_refused + p->n_empty + p->n_failed;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *eta = NULL;
  g_autofree char *rate = NULL;

  if (!term->tty && (done < p->n_planned || done == term->last_done) &&
      now - term->last_line < 5 * G_USEC_PER_SEC)
    return;
  term->last_line = now;
  term->last_done = done;
  if (done > 0 && p->elapsed_ms > 0)
    {
      double per_second = done * 1000.0 / p->elapsed_ms;

      rate = g_strdup_printf (_(", %.1f/s"), per_second);
      eta = done < p->n_planned
            ? format_duration ((gint64) ((p->n_planned - done) / per_second * 1000))
            : NULL;
    }
  g_printerr (_("%sGenerating: %u/%u responses (%u refused, %u empty, %u failed)%s%s%s%s"),
              term->tty ? "\r" : "", done, p->n_planned, p->n_refused, p->n_empty, p->n_failed,
              rate ? rate : "", eta ? _(", ETA ") : "", eta ? eta : "",
              term->tty ? "\033[K" : "\n");
  term->pending_cr = term->tty;
}

static void
on_note (const RoundsGenerateNote *note,
         gpointer                  user_data)
{
  Terminal *term = user_data;
  g_autofree char *line = rounds_generate_note_to_string (note);

  if (term->pending_cr)
    g_printerr ("\n");
  term->pending_cr = FALSE;
  g_printerr ("%s\n", line);
}

int
rounds_cli_generate (RoundsCli  *cli,
                     int         argc,
                     char      **argv)
{
  g_autofree char *dataset = NULL;
  g_auto(GStrv) endpoint_names = NULL;
  g_autofree char *system_file = NULL;
  g_autofree char *actor = NULL;
  int n_samples = 1;
  int jobs = 4;
  int attempts = 0;
  int retry_delay = 0;
  const GOptionEntry entries[] = {
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset,
      N_("The dataset whose items awaiting responses get them"), N_("NAME") },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &endpoint_names,
      N_("An endpoint to generate with (see “rounds-cli endpoint”); repeat it for more"),
      N_("NAME") },
    { "system", 0, 0, G_OPTION_ARG_FILENAME, &system_file,
      N_("A file whose text is the system message of every request"), N_("FILE") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &n_samples,
      N_("Responses per endpoint and item, 1 to 8 (default 1)"), N_("K") },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
      N_("Requests at once, 1 to 64 (default 4)"), N_("J") },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts,
      N_("Requests per response before giving up on 429, 5xx or a broken connection "
         "(default 5)"), N_("N") },
    { "retry-delay", 0, 0, G_OPTION_ARG_INT, &retry_delay,
      N_("Milliseconds before the first retry when the server names no Retry-After, doubling "
         "after (default 1000)"), N_("MS") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor,
      N_("Who generates, for the audit log (default: the current profile)"), N_("USER") },
    { NULL }
  };
  g_autoptr(RoundsGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  RoundsGenerateProgress result = { 0 };
  Terminal term = { .tty = isatty (STDERR_FILENO), .last_done = -1 };
  RoundsStore *store;
  gboolean ok;

  if (!rounds_cli_parse ("generate", _("— give the items awaiting responses their responses"),
                         entries,
                         _("Each item with fewer than two responses of its own gets one response "
                           "per endpoint and sample (--n). A response is keyed by its item, "
                           "endpoint, parameters and sample, so a rerun after a kill or a "
                           "network fault asks only for what is missing. 429, 5xx and broken "
                           "connections are retried, honouring Retry-After; refusals and empty "
                           "answers are saved as what they are and listed on standard error "
                           "with their item and reason. Keys come from "
                           "ROUNDS_ENDPOINT_KEY_<NAME> or ROUNDS_ENDPOINT_KEY. Exit status 1 "
                           "when a response could not be generated: run it again."),
                         &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 1)
    return rounds_cli_usage ("generate", "%s", _("takes no arguments: use --dataset and "
                                                 "--endpoint"));
  if (dataset == NULL)
    return rounds_cli_usage ("generate", "%s", _("give the dataset: --dataset NAME"));
  if (endpoint_names == NULL || endpoint_names[0] == NULL)
    return rounds_cli_usage ("generate", "%s", _("give an endpoint: --endpoint NAME"));
  if (n_samples < 1 || n_samples > ROUNDS_GENERATE_MAX_RESPONSES)
    return rounds_cli_usage ("generate", _("--n must be 1 to %d"),
                             ROUNDS_GENERATE_MAX_RESPONSES);
  if (jobs < 1 || jobs > 64)
    return rounds_cli_usage ("generate", "%s", _("--jobs must be 1 to 64"));
  if (attempts < 0 || retry_delay < 0)
    return rounds_cli_usage ("generate", "%s", _("--attempts and --retry-delay must be positive"));

  if (!(store = rounds_cli_open_store (cli, &error)))
    return rounds_cli_fail ("generate", error);

  generator = rounds_generator_new (dataset);
  for (guint i = 0; endpoint_names[i] != NULL; i++)
    {
      g_autoptr(RoundsEndpoint) endpoint = NULL;
      g_autofree char *key = NULL;

      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (endpoint_names[k], endpoint_names[i]) == 0)
          return rounds_cli_usage ("generate", _("endpoint %s is named twice"),
                                   endpoint_names[i]);
      if (!(endpoint = rounds_store_get_endpoint (store, endpoint_names[i], &error)))
        return rounds_cli_fail ("generate", error);
      key = rounds_endpoint_key_from_env (endpoint->name);
      rounds_generator_add_endpoint (generator, endpoint, key);
    }
  if (system_file != NULL)
    {
      g_autofree char *system = NULL;

      if (!g_file_get_contents (system_file, &system, NULL, &error))
        return rounds_cli_fail ("generate", error);
      if (!g_utf8_validate (system, -1, NULL))
        return rounds_cli_usage ("generate", _("%s is not UTF-8 text"), system_file);
      rounds_generator_set_system (generator, system);
    }
  who = rounds_cli_get_actor (store, actor);
  rounds_generator_set_actor (generator, who);
  rounds_generator_set_n_samples (generator, (guint) n_samples);
  rounds_generator_set_jobs (generator, (guint) jobs);
  rounds_generator_set_retries (generator, (guint) attempts, (guint) retry_delay, 0);
  rounds_generator_set_progress_func (generator, on_progress, on_note, &term);

  ok = rounds_generator_run (generator, store, NULL, &result, &error);
  if (term.pending_cr)
    g_printerr ("\n");
  g_print (_("Dataset %s: %u items awaiting responses; %u responses there already, "
             "%u generated (%u refused, %u empty), %u failed, %u skipped\n"),
           dataset, result.n_items, result.n_present,
           result.n_answered + result.n_refused + result.n_empty, result.n_refused,
           result.n_empty, result.n_failed, result.n_skipped);
  if (!ok)
    return rounds_cli_fail ("generate", error);
  if (result.n_failed > 0)
    {
      g_printerr (_("rounds-cli generate: %u responses could not be generated; run the same "
                    "command again to generate only those\n"), result.n_failed);
      return ROUNDS_CLI_EXIT_ERROR;
    }
  return ROUNDS_CLI_EXIT_OK;
}
