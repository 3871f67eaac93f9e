/* bench-workstation.c: the workstation at scale: next item, cold start and memory
 *
 * A database of 100 000 two-response items and 1 000 000 judgements (issue 13): overlap 12;
 * items 1 to 60 000 are complete with 12 judgements each, items 60 001 to 100 000 have 7
 * each and are open. "dr-bench", the current profile, is one of the 7 on items 60 001 to
 * 70 000, so their queue starts 10 000 open items in; "dr-new" has judged nothing. The rest
 * are 40 clinicians. The database is built once with SQL and kept (CACHE); each run works on
 * a copy (WORK), since it saves judgements.
 *
 * Then, in the same run:
 *  (a) next item ready: what the window does in core between one Submit and the next item
 *      on screen (rounds_store_next_item, get_shown_order, get_draft), timed over 1 000
 *      items of dr-bench's queue and 200 of dr-new's, each then submitted untimed;
 *      goal p99 ≤ 5 ms;
 *  (b) cold start: from just before the fork to the first frame painted with the item on
 *      the compare page (ROUNDS_BENCH_FIRST_FRAME), of `rounds --db WORK --dataset
 *      workstation`, against bench-minimal-window; goal ≤ 1.2× the minimal window;
 *  (c) peak resident memory of both (wait4's ru_maxrss); goal ≤ the minimal window + 40 MB.
 * Each start is run once to warm the caches, then RUNS times each, alternately; medians.
 * Both are measured alike: the same environment (this one's, printed), and the same renderer
 * (each prints the one that painted its first frame; should the minimal window's differ from
 * Rounds', as when Rounds chose one of its own, the minimal window is started again with
 * GSK_RENDERER set to Rounds' one, and the output says so).
 *
 * Usage: bench-workstation CACHE WORK ROUNDS MINIMAL [RUNS]. Run it with
 * `build-aux/bench workstation`, which gives it a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rounds-bench-util.h"
#include "rounds-store-private.h"

#define N_ITEMS        100000
#define N_COMPLETE     60000
#define OVERLAP        12
#define N_OPEN_JUDGED  7
#define N_CLINICIANS   40
#define N_NEXT         1000
#define N_NEXT_NEW     200
#define START_TIMEOUT  120    /* seconds a start may take before it counts as failed */

#define GOAL_NEXT_P99_MS   5.0
#define GOAL_START_RATIO   1.2
#define GOAL_RSS_EXTRA_MB  40.0

static const char build_sql[] =
  "BEGIN;"
  "INSERT INTO datasets (id, name, title, instructions, overlap, content_hash, created_at,"
  " updated_at) VALUES (1, 'workstation', 'Workstation benchmark', 'Rank the responses as you"
  " would a colleague''s advice.', 12, 'x', '2026-12-01T00:00:00.000Z',"
  " '2026-12-01T00:00:00.000Z');"
  "WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < 40)"
  " INSERT INTO annotators (id, user_name, display_name, created_at)"
  " SELECT a, printf ('clinician-%02d', a), printf ('Clinician %d', a),"
  " '2026-12-01T00:00:00.000Z' FROM n;"
  "INSERT INTO annotators (id, user_name, display_name, is_local, created_at) VALUES"
  " (41, 'dr-bench', 'Dr Bench', 1, '2026-12-01T00:00:00.000Z'),"
  " (42, 'dr-new', 'Dr New', 1, '2026-12-01T00:00:00.000Z');"
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
  " INSERT INTO items (id, dataset_id, key, position, title, scenario, specialty, language,"
  " content_hash, overlap, n_submitted)"
  " SELECT i, 1, printf ('item-%06d', i), i, printf ('Anticoagulation and pain, case %d', i),"
  " printf ('Case %d: a 67-year-old with atrial fibrillation on apixaban asks whether she may"
  " take ibuprofen for a painful knee, and what she should do if the pain keeps her awake. She"
  " lives alone and her daughter worries about falls. 对乙酰氨基酚每次1克。', i),"
  " 'general practice', 'en', printf ('%032x', i), 12, CASE WHEN i <= 60000 THEN 12 ELSE 7 END"
  " FROM n;"
  "INSERT INTO responses (item_id, idx, key, text, model)"
  " SELECT id, r.idx, r.key, printf ('%s response to case %d. Paracetamol is the safer first"
  " choice with a direct oral anticoagulant; NSAIDs such as ibuprofen raise the risk of"
  " bleeding, especially in the stomach. Ask the anticoagulation clinic or pharmacist before any"
  " new painkiller, and see the GP if the knee is hot, swollen or the pain stops her walking."
  " **Do not** exceed 4 g of paracetamol in 24 hours; less below 50 kg or with liver disease.',"
  " r.name, id), r.model FROM items,"
  " (SELECT 0 AS idx, 'a' AS key, 'First' AS name, 'sage-32b' AS model"
  "  UNION ALL SELECT 1, 'b', 'Second', 'harbor-13b') AS r ORDER BY id, r.idx;"
  /* Judgement k of item i is by clinician 1 + (i + 3k) mod 40 (distinct for k < 12), but
   * dr-bench takes k = 0 of the open items 60 001 to 70 000. */
  "WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 11)"
  " INSERT INTO annotations (edit_id, doc_id, item_id, annotator_id, revision, status,"
  " preference, scores_json, shown_order, time_spent_ms, created_at, origin, is_current,"
  " synced)"
  " SELECT edit, 'judgement:' || (SELECT user_name FROM annotators WHERE id = who)"
  " || ':workstation:' || key || ':' || edit, id, who, 1, 'submitted', (id * 7 + k) % 5 - 2,"
  " printf ('[{\"accuracy\":%d,\"safety\":%d,\"ethics\":4,\"privacy\":5,\"fairness\":4,"
  "\"clarity\":%d},{\"accuracy\":%d,\"safety\":%d,\"ethics\":3,\"privacy\":5,\"fairness\":4,"
  "\"clarity\":%d}]', 1 + (id + k) % 5, 1 + (id * 3 + k) % 5, 1 + id % 5, 1 + (id + 2 * k) % 5,"
  " 1 + (id * 5 + k) % 5, 1 + k % 5), CASE (id + k) % 2 WHEN 0 THEN '[0,1]' ELSE '[1,0]' END,"
  " 40000 + (id * 37 + k * 11) % 200000, '2026-12-01T09:30:00.000Z', 'import', 1, 1"
  " FROM (SELECT i.id, i.key, k.k, printf ('%08x-0000-4000-8000-%012x', i.id, k.k) AS edit,"
  "  CASE WHEN k.k = 0 AND i.id > 60000 AND i.id <= 70000 THEN 41"
  "   ELSE 1 + (i.id + 3 * k.k) % 40 END AS who"
  "  FROM items i JOIN k ON k.k < CASE WHEN i.id <= 60000 THEN 12 ELSE 7 END"
  "  ORDER BY i.id, k.k);"
  "COMMIT;";

G_STATIC_ASSERT (N_COMPLETE * OVERLAP + (N_ITEMS - N_COMPLETE) * N_OPEN_JUDGED == 1000000);

static double
percentile (GArray *values,
            guint   p)
{
  g_array_sort (values, rounds_bench_compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, values->len * p / 100));
}

/* (a) for one annotator: the whole, and the three calls it is made of, in ms. */
typedef struct
{
  GArray *ready;
  GArray *next;   /* rounds_store_next_item: the queue query and loading the item */
  GArray *order;  /* rounds_store_get_shown_order: fixes the order, a durable write */
  GArray *draft;  /* rounds_store_get_draft */
} NextTimes;

static void
next_times_init (NextTimes *times)
{
  times->ready = g_array_new (FALSE, FALSE, sizeof (double));
  times->next = g_array_new (FALSE, FALSE, sizeof (double));
  times->order = g_array_new (FALSE, FALSE, sizeof (double));
  times->draft = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
add_ms (GArray *times,
        gint64  from,
        gint64  to)
{
  double ms = (to - from) / 1e3;

  g_array_append_val (times, ms);
}

/* (a): @n items of @annotator's queue made ready as the window makes them, each submitted
 * after, untimed. */
static void
next_items (RoundsStore *store,
            const char  *annotator,
            guint        n,
            NextTimes   *times)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  if (!(dataset = rounds_store_get_dataset (store, "workstation", &error)))
    g_error ("%s", error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RoundsItem) item = NULL;
      g_autoptr(RoundsJudgement) judgement = NULL;
      g_autoptr(RoundsJudgement) draft = NULL;
      guint order[2];
      gint64 start, got_item, got_order, got_draft;

      start = g_get_monotonic_time ();
      if (!(item = rounds_store_next_item (store, rounds_dataset_get_id (dataset), annotator,
                                           &error)))
        g_error ("%s: no next item: %s", annotator, error ? error->message : "queue empty");
      got_item = g_get_monotonic_time ();
      if (!rounds_store_get_shown_order (store, item, annotator, order, &error))
        g_error ("%s", error->message);
      got_order = g_get_monotonic_time ();
      draft = rounds_store_get_draft (store, item, annotator, &error);
      g_assert_no_error (error);
      got_draft = g_get_monotonic_time ();
      add_ms (times->ready, start, got_draft);
      add_ms (times->next, start, got_item);
      add_ms (times->order, got_item, got_order);
      add_ms (times->draft, got_order, got_draft);

      judgement = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));
      judgement->status = ROUNDS_STATUS_SUBMITTED;
      judgement->has_preference = TRUE;
      judgement->preference = (int) (i % 5) - 2;
      judgement->time_spent_ms = 60000;
      memcpy (judgement->shown_order, order, sizeof order);
      if (!rounds_store_save_judgement (store, item, annotator, judgement, &error))
        g_error ("%s", error->message);
    }
}

static void
print_next_times (const char *who,
                  guint       n,
                  NextTimes  *times)
{
  double p99 = percentile (times->ready, 99);

  g_print ("| next item ready in core, %s, %u items | p50 %.2f ms, p99 %.2f ms | p99 <= %.0f ms"
           " | %s |\n", who, n, percentile (times->ready, 50), p99, GOAL_NEXT_P99_MS,
           rounds_bench_verdict (p99 <= GOAL_NEXT_P99_MS));
  g_print ("| - of which next_item / get_shown_order / get_draft, p50 | %.2f / %.2f / %.2f ms"
           " | | |\n", percentile (times->next, 50), percentile (times->order, 50),
           percentile (times->draft, 50));
  g_print ("| - the same, p99 | %.2f / %.2f / %.2f ms | | |\n", percentile (times->next, 99),
           percentile (times->order, 99), percentile (times->draft, 99));
}

typedef struct
{
  double start_ms;     /* fork to the first frame */
  double rss_mb;       /* peak resident set, in 10^6 bytes */
  char   renderer[64]; /* the GskRenderer's type that painted it */
} Start;

/* Runs @argv in @envp (NULL: this environment), which prints "first-frame TIME" and
 * "renderer NAME" and exits; FALSE if it did not. */
static gboolean
run_start (char  **argv,
           char  **envp,
           Start  *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  struct rusage usage;
  struct pollfd fd;
  const char *line;
  gint64 start, frame;
  GPid pid;
  int out_fd, status;
  char buf[512];

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                 NULL, &out_fd, NULL, &error))
    g_error ("%s: %s", argv[0], error->message);
  fd.fd = out_fd;
  fd.events = POLLIN;
  for (;;)
    {
      ssize_t n;

      if (poll (&fd, 1, START_TIMEOUT * 1000) <= 0)
        {
          g_printerr ("%s: no first frame after %d s\n", argv[0], START_TIMEOUT);
          kill (pid, SIGKILL);
          break;
        }
      if ((n = read (out_fd, buf, sizeof buf)) <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  close (out_fd);
  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4: %s", g_strerror (errno));

  if (!(line = strstr (out->str, "first-frame ")) ||
      (frame = g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10)) <= start)
    {
      g_printerr ("%s printed no first frame (exit status %d): %s\n", argv[0], status, out->str);
      return FALSE;
    }
  result->start_ms = (frame - start) / 1e3;
  result->rss_mb = usage.ru_maxrss * 1024.0 / 1e6;
  result->renderer[0] = '\0';
  if ((line = strstr (out->str, "renderer ")) != NULL)
    sscanf (line + strlen ("renderer "), "%63s", result->renderer);
  return TRUE;
}

static const char *
env_or_unset (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL ? value : "(unset)";
}

/* GSK_RENDERER's name for the renderer type @type, or NULL. */
static const char *
renderer_env_name (const char *type)
{
  static const char * const names[][2] = {
    { "GskGLRenderer", "gl" },
    { "GskNglRenderer", "ngl" },
    { "GskCairoRenderer", "cairo" },
    { "GskVulkanRenderer", "vulkan" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (type, names[i][0]))
      return names[i][1];
  return NULL;
}

static double
median (GArray *values)
{
  return percentile (values, 50);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) cache = NULL;
  g_autoptr(GFile) work = NULL;
  NextTimes bench_times, new_times;
  g_autoptr(GArray) app_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_mb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) min_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) min_mb = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) min_env = NULL;   /* NULL: this environment */
  g_autofree char *app_renderer = NULL;
  g_autofree char *min_renderer = NULL;
  guint runs;
  double app_start, min_start, app_rss, min_rss;
  char *app_argv[] = { NULL, "--db", NULL, "--dataset", "workstation", NULL };
  char *min_argv[] = { NULL, NULL };

  if (argc < 5)
    {
      g_printerr ("usage: bench-workstation CACHE WORK ROUNDS MINIMAL [RUNS]\n");
      return 2;
    }
  runs = argc > 5 ? (guint) strtoul (argv[5], NULL, 10) : 5;
  app_argv[0] = argv[3];
  app_argv[2] = argv[2];
  min_argv[0] = argv[4];

  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    rounds_bench_build_db (argv[1], build_sql, "dr-bench");
  else
    g_print ("database: %s (kept from an earlier run)\n", argv[1]);
  cache = g_file_new_for_path (argv[1]);
  work = g_file_new_for_path (argv[2]);
  if (!g_file_copy (cache, work, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  /* (a) */
  {
    g_autoptr(RoundsStore) store = rounds_store_open (argv[2], &error);

    if (store == NULL)
      g_error ("%s", error->message);
    next_times_init (&bench_times);
    next_times_init (&new_times);
    next_items (store, "dr-bench", N_NEXT, &bench_times);
    next_items (store, "dr-new", N_NEXT_NEW, &new_times);
  }

  /* (b) and (c): warm once, then alternately, alike. */
  g_setenv ("ROUNDS_BENCH_FIRST_FRAME", "1", TRUE);
  g_print ("both started alike, in this environment: DISPLAY=%s GDK_BACKEND=%s GSK_RENDERER=%s"
           " LIBGL_ALWAYS_SOFTWARE=%s GDK_DEBUG=%s\n", env_or_unset ("DISPLAY"),
           env_or_unset ("GDK_BACKEND"), env_or_unset ("GSK_RENDERER"),
           env_or_unset ("LIBGL_ALWAYS_SOFTWARE"), env_or_unset ("GDK_DEBUG"));
  for (guint i = 0; i <= runs; i++)
    {
      Start app, minimal;

      if (!run_start (app_argv, NULL, &app) || !run_start (min_argv, min_env, &minimal))
        return 1;
      if (i == 0 && min_env == NULL && !g_str_equal (app.renderer, minimal.renderer) &&
          renderer_env_name (app.renderer) != NULL)
        {
          /* Measured alike: the minimal window with Rounds' renderer from now on. */
          min_env = g_environ_setenv (g_get_environ (), "GSK_RENDERER",
                                      renderer_env_name (app.renderer), TRUE);
          g_print ("the minimal window drew with %s and Rounds with %s: the minimal window is"
                   " started with GSK_RENDERER=%s from now on\n", minimal.renderer,
                   app.renderer, renderer_env_name (app.renderer));
          if (!run_start (min_argv, min_env, &minimal))
            return 1;
        }
      g_print ("start %u%s: rounds %.0f ms, %.0f MB, %s; minimal window %.0f ms, %.0f MB, %s\n",
               i, i == 0 ? " (warm-up, not counted)" : "", app.start_ms, app.rss_mb,
               app.renderer, minimal.start_ms, minimal.rss_mb, minimal.renderer);
      if (!g_str_equal (app.renderer, minimal.renderer))
        {
          g_printerr ("Rounds drew with %s, the minimal window with %s: not measured alike\n",
                      app.renderer, minimal.renderer);
          return 1;
        }
      g_free (app_renderer);
      app_renderer = g_strdup (app.renderer);
      g_free (min_renderer);
      min_renderer = g_strdup (minimal.renderer);
      if (i == 0)
        continue;
      g_array_append_val (app_ms, app.start_ms);
      g_array_append_val (app_mb, app.rss_mb);
      g_array_append_val (min_ms, minimal.start_ms);
      g_array_append_val (min_mb, minimal.rss_mb);
    }
  app_start = median (app_ms);
  min_start = median (min_ms);
  app_rss = median (app_mb);
  min_rss = median (min_mb);

  g_print ("\nworkstation: %d items, %d judgements; medians of %u starts each\n", N_ITEMS,
           N_COMPLETE * OVERLAP + (N_ITEMS - N_COMPLETE) * N_OPEN_JUDGED, runs);
  g_print ("| measure | figure | goal | |\n| --- | --- | --- | --- |\n");
  print_next_times ("dr-bench (10 000 open items judged before)", N_NEXT, &bench_times);
  print_next_times ("dr-new (nothing judged)", N_NEXT_NEW, &new_times);
  g_print ("| renderer of the first frame: rounds / minimal window | %s / %s%s | the same |"
           " %s |\n", app_renderer, min_renderer,
           min_env != NULL ? " (GSK_RENDERER set for it)" : "",
           rounds_bench_verdict (g_str_equal (app_renderer, min_renderer)));
  g_print ("| start to the first frame with the item: rounds / minimal window |"
           " %.0f ms / %.0f ms = %.2fx | <= %.1fx | %s |\n", app_start, min_start,
           app_start / min_start, GOAL_START_RATIO,
           rounds_bench_verdict (app_start <= GOAL_START_RATIO * min_start));
  g_print ("| peak resident memory: rounds / minimal window | %.0f MB / %.0f MB = +%.0f MB |"
           " <= +%.0f MB | %s |\n", app_rss, min_rss, app_rss - min_rss, GOAL_RSS_EXTRA_MB,
           rounds_bench_verdict (app_rss - min_rss <= GOAL_RSS_EXTRA_MB));
  return 0;
}
