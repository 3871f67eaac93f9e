/* bench-review.c: the review page at scale: the first item shown, a verdict recorded
 *
 * A database of 20 000 two-response items with three judgements each, every one disputed
 * (issue 13 asks for 20 000 disputed items; its report had 16 000 of 20 000): on items 1 to
 * 16 000 one annotator prefers the second response and two the first, on the rest all prefer
 * the first but their rubric scores are 3 or more apart. The database is built once with SQL
 * and kept (CACHE); each run works on a copy
 * (WORK), since it records verdicts. The real window, in this process, signed in as a
 * reviewer:
 *  (a) the first item shown: from asking for the review of the dataset to the first frame
 *      painted with an item on the review page, whole (its judgements and verdict controls
 *      come a frame after its scenario and responses); goal ≤ 1 s;
 *  (b) a verdict recorded: from the save action to the first frame painted with the next
 *      item, the page no longer busy; median of N_VERDICTS; goal ≤ 100 ms;
 *  (c) the longest the main loop was blocked during (a) and during (b): the longest gap
 *      between two ticks of the window's frame clock, which a tick callback keeps running,
 *      or the longest frame, should that be the step's last (no tick follows it in the
 *      step); goal ≤ 50 ms;
 *  (d) the peak resident memory of the process (getrusage).
 * Where the time goes, for (a) and for each verdict of (b): the frames drawn, the main
 * thread's time in their layout (update and layout phases) and paint (paint and after-paint,
 * where the renderer draws), as wall and processor time (a software OpenGL draws in threads
 * of its own, which the processor time of the main thread leaves out), and its other work;
 * and, before the window opens, the store's reading of the queue alone, in a thread as the
 * page does it. The renderer GTK chose is printed: the figures depend on it.
 *
 * Usage: bench-review CACHE WORK [N_VERDICTS]. Run it with `build-aux/bench review`, which
 * gives it a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rounds-application.h"
#include "rounds-review.h"
#include "rounds-review-page.h"
#include "rounds-bench-util.h"
#include "rounds-store-private.h"
#include "rounds-window.h"

#define N_ITEMS           20000
#define N_DISPUTED        20000
#define WAIT_TIMEOUT      900    /* seconds a step may take before the bench gives up */

#define GOAL_FIRST_MS     1000.0
#define GOAL_VERDICT_MS   100.0
#define GOAL_BLOCKED_MS   50.0

static const char build_sql[] =
  "BEGIN;"
  "INSERT INTO datasets (id, name, title, instructions, overlap, content_hash, created_at,"
  " updated_at) VALUES (1, 'review', 'Review benchmark', 'Prefer the safer advice.', 3, 'x',"
  " '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');"
  "WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < 12)"
  " INSERT INTO annotators (id, user_name, display_name, created_at)"
  " SELECT a, printf ('clinician-%02d', a), printf ('Clinician %d', a),"
  " '2026-12-01T00:00:00.000Z' FROM n;"
  "INSERT INTO annotators (id, user_name, display_name, roles, is_local, created_at) VALUES"
  " (13, 'dr-review', 'Dr Review', 'annotator,reviewer', 1, '2026-12-01T00:00:00.000Z');"
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
  " INSERT INTO items (id, dataset_id, key, position, title, scenario, specialty, language,"
  " content_hash, overlap, n_submitted)"
  " SELECT i, 1, printf ('item-%05d', i), i, printf ('Anticoagulation and pain, case %d', i),"
  " printf ('Case %d: a 67-year-old with atrial fibrillation on apixaban asks whether she may"
  " take ibuprofen for a painful knee. 对乙酰氨基酚每次1克。', i),"
  " 'general practice', 'en', printf ('%032x', i), 3, 3 FROM n;"
  "INSERT INTO responses (item_id, idx, key, text, model)"
  " SELECT id, r.idx, r.key, printf ('%s response to case %d. Paracetamol is the safer first"
  " choice with a direct oral anticoagulant; NSAIDs such as ibuprofen raise the risk of"
  " bleeding. **Do not** exceed 4 g of paracetamol in 24 hours.', r.name, id), r.model"
  " FROM items, (SELECT 0 AS idx, 'a' AS key, 'First' AS name, 'sage-32b' AS model"
  "  UNION ALL SELECT 1, 'b', 'Second', 'harbor-13b') AS r ORDER BY id, r.idx;"
  /* Judgement k of item i is by clinician 1 + (i + 4k) mod 12; on items up to 16 000 the
   * third prefers the second response, so the directions are opposite. */
  "WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 2)"
  " INSERT INTO annotations (edit_id, doc_id, item_id, annotator_id, revision, status,"
  " preference, scores_json, shown_order, time_spent_ms, created_at, origin, is_current,"
  " synced)"
  " SELECT edit, 'judgement:' || printf ('clinician-%02d', who) || ':review:' || key || ':'"
  " || edit, id, who, 1, 'submitted',"
  " CASE WHEN k = 2 AND id <= 16000 THEN 1 ELSE -1 - (id + k) % 2 END,"
  " printf ('[{\"accuracy\":%d,\"safety\":%d,\"ethics\":4,\"privacy\":5,\"fairness\":4,"
  "\"clarity\":%d},{\"accuracy\":%d,\"safety\":%d,\"ethics\":3,\"privacy\":5,\"fairness\":4,"
  "\"clarity\":%d}]', 1 + (id + k) % 5, 1 + (id * 3 + k) % 5, 1 + id % 5, 1 + (id + 2 * k) % 5,"
  " 1 + (id * 5 + k) % 5, 1 + k % 5), CASE (id + k) % 2 WHEN 0 THEN '[0,1]' ELSE '[1,0]' END,"
  " 40000 + (id * 37 + k * 11) % 200000, '2026-12-01T09:30:00.000Z', 'import', 1, 1"
  " FROM (SELECT i.id, i.key, k.k, printf ('%08x-0000-4000-8000-%012x', i.id, k.k) AS edit,"
  "  1 + (i.id + 4 * k.k) % 12 AS who FROM items i, k ORDER BY i.id, k.k);"
  "COMMIT;";

/* The longest gap between two frame clock ticks since the last reset, and whether a frame
 * has been painted since. */
static gint64 last_tick;
static gint64 longest_gap;
static gboolean painted;

/* Where the main thread's time went since the last reset: frames, and the wall and processor
 * time of their layout and paint phases; each phase starts where the one before ended. */
typedef struct
{
  guint  n_frames;
  double layout_ms, layout_cpu, paint_ms, paint_cpu;
  double longest_frame_ms;
  char   slow[512];          /* the frames over GOAL_BLOCKED_MS: when, layout + paint */
} Breakdown;

static Breakdown breakdown;
static double phase_ms, phase_cpu, frame_start_ms, frame_start_cpu, frame_layout_ms;
static double step_start_ms;

static double main_thread_cpu_ms (void);

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1e3;
}

static void
on_before_paint (GdkFrameClock *clock,
                 gpointer       user_data)
{
  phase_ms = frame_start_ms = now_ms ();
  phase_cpu = frame_start_cpu = main_thread_cpu_ms ();
}

/* Ends the phase that started at phase_ms, adding it to @ms and @cpu. */
static void
end_phase (double *ms,
           double *cpu)
{
  double wall = now_ms (), thread = main_thread_cpu_ms ();

  *ms += wall - phase_ms;
  *cpu += thread - phase_cpu;
  phase_ms = wall;
  phase_cpu = thread;
}

static void
on_layout (GdkFrameClock *clock,
           gpointer       user_data)
{
  end_phase (&breakdown.layout_ms, &breakdown.layout_cpu);
  frame_layout_ms = now_ms () - frame_start_ms;
}

static void
on_paint (GdkFrameClock *clock,
          gpointer       user_data)
{
  end_phase (&breakdown.paint_ms, &breakdown.paint_cpu);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  double frame_ms;
  gsize len = strlen (breakdown.slow);

  end_phase (&breakdown.paint_ms, &breakdown.paint_cpu);
  frame_ms = now_ms () - frame_start_ms;
  breakdown.n_frames++;
  breakdown.longest_frame_ms = MAX (breakdown.longest_frame_ms, frame_ms);
  longest_gap = MAX (longest_gap, (gint64) (frame_ms * 1e3));
  if (frame_ms > GOAL_BLOCKED_MS && len + 60 < sizeof breakdown.slow)
    g_snprintf (breakdown.slow + len, sizeof breakdown.slow - len,
                " +%.0f: %.0f + %.0f (processor %.0f);", frame_start_ms - step_start_ms,
                frame_layout_ms, frame_ms - frame_layout_ms,
                main_thread_cpu_ms () - frame_start_cpu);
  painted = TRUE;
}

static void
reset_gap (void)
{
  last_tick = g_get_monotonic_time ();
  longest_gap = 0;
  memset (&breakdown, 0, sizeof breakdown);
  step_start_ms = now_ms ();
}

/* The breakdown of a step that took @cpu ms of the main thread's processor time. */
static void
print_breakdown (const Breakdown *b,
                 double           cpu)
{
  g_print ("   %u frames, the longest %.0f ms; layout %.0f ms (processor %.0f ms), paint %.0f ms"
           " (processor %.0f ms); other work on the main thread: processor %.0f ms\n",
           b->n_frames, b->longest_frame_ms, b->layout_ms, b->layout_cpu, b->paint_ms,
           b->paint_cpu, MAX (0, cpu - b->layout_cpu - b->paint_cpu));
  if (b->slow[0] != '\0')
    g_print ("   frames over %.0f ms (from the step's start, ms: layout + paint):%s\n",
             GOAL_BLOCKED_MS, b->slow);
}

static void
on_queue_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RoundsReviewSnapshot **snapshot = user_data;

  if (!(*snapshot = rounds_review_load_queue_finish (result, &error)))
    g_error ("%s", error->message);
}

/* The processor time of the whole process, in ms. */
static double
process_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* The store's part of (a) alone: the queue and the judgements read in a thread, in ms; its
 * processor time in @cpu. */
static double
time_queue_read (const char *path,
                 double     *cpu)
{
  g_autoptr(RoundsReviewSnapshot) snapshot = NULL;
  gint64 start = g_get_monotonic_time ();

  *cpu = process_cpu_ms ();
  rounds_review_load_queue_async (path, 1, ROUNDS_DISPUTE_FILTER_DISPUTED, NULL, on_queue_read,
                                  &snapshot);
  while (snapshot == NULL)
    g_main_context_iteration (NULL, TRUE);
  *cpu = process_cpu_ms () - *cpu;
  return (g_get_monotonic_time () - start) / 1e3;
}

typedef gboolean (*Condition) (RoundsReviewPage *page,
                               gpointer          data);

/* Runs the main loop until @condition holds and a frame has been painted after; the time
 * from @start to that frame, in ms. */
static double
wait_shown (RoundsReviewPage *page,
            gint64            start,
            Condition         condition,
            gpointer          data)
{
  gint64 deadline = start + WAIT_TIMEOUT * G_USEC_PER_SEC;

  while (!condition (page, data))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("nothing shown after %d s", WAIT_TIMEOUT);
    }
  painted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (page));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1e3;
}

static gboolean
item_shown (RoundsReviewPage *page,
            gpointer          data)
{
  return rounds_review_page_get_item_whole (page);
}

static gboolean
next_item_shown (RoundsReviewPage *page,
                 gpointer          data)
{
  RoundsItem *item = rounds_review_page_get_item (page);

  return !rounds_review_page_get_loading (page) && item != NULL &&
         rounds_item_get_id (item) != *(gint64 *) data;
}

/* The processor time of the main thread, in ms: on a shared machine the wall clock also
 * counts the time other programs had the processor. */
static double
main_thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* How busy the machine was: the figures depend on it. */
static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("unknown");
  return g_strndup (text, strcspn (text, " "));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) cache = NULL;
  g_autoptr(GFile) work = NULL;
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(RoundsApplication) app = NULL;
  g_autoptr(GArray) verdict_ms = g_array_new (FALSE, FALSE, sizeof (double));
  RoundsWindow *window;
  RoundsReviewPage *page;
  struct rusage usage;
  g_autofree char *load = NULL;
  g_autoptr(GArray) verdict_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double first_ms, first_cpu, first_gap_ms, verdict_gap_ms = 0, median_ms, median_cpu;
  guint n_verdicts;
  gint64 start;
  double read_ms, read_cpu;
  Breakdown first_breakdown;
  GdkFrameClock *clock;

  if (argc < 3)
    {
      g_printerr ("usage: bench-review CACHE WORK [N_VERDICTS]\n");
      return 2;
    }
  n_verdicts = argc > 3 ? (guint) strtoul (argv[3], NULL, 10) : 10;

  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    rounds_bench_build_db (argv[1], build_sql, "dr-review");
  else
    g_print ("database: %s (kept from an earlier run)\n", argv[1]);
  cache = g_file_new_for_path (argv[1]);
  work = g_file_new_for_path (argv[2]);
  if (!g_file_copy (cache, work, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  read_ms = time_queue_read (argv[2], &read_cpu);
  g_print ("the queue read in a thread, no window: %.0f ms (processor %.0f ms)\n", read_ms,
           read_cpu);

  gtk_init ();
  adw_init ();
  app = rounds_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error) ||
      !(store = rounds_store_open (argv[2], &error)))
    g_error ("%s", error->message);
  window = rounds_window_new (app, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  page = ROUNDS_REVIEW_PAGE (rounds_window_get_review_page (window));
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, NULL, NULL);
  /* After GTK's own handlers of each phase, connected when the window was realized. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
  g_signal_connect (clock, "layout", G_CALLBACK (on_layout), NULL);
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_print ("renderer: %s\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  /* (a) */
  reset_gap ();
  start = g_get_monotonic_time ();
  first_cpu = main_thread_cpu_ms ();
  if (!rounds_window_review_dataset (window, "review", &error))
    g_error ("%s", error->message);
  first_ms = wait_shown (page, start, item_shown, NULL);
  first_cpu = main_thread_cpu_ms () - first_cpu;
  first_breakdown = breakdown;
  while (rounds_review_page_get_loading (page))
    g_main_context_iteration (NULL, TRUE);
  first_gap_ms = longest_gap / 1e3;
  g_print ("first item shown: %.0f ms (main thread busy %.0f ms); %u disputed items listed;"
           " main loop blocked at most %.0f ms\n", first_ms, first_cpu,
           rounds_review_page_get_n_items (page), first_gap_ms);
  print_breakdown (&first_breakdown, first_cpu);

  /* (b) */
  for (guint i = 0; i < n_verdicts; i++)
    {
      gint64 id = rounds_item_get_id (rounds_review_page_get_item (page));
      double ms, cpu;

      rounds_review_page_set_verdict (page, -2, "The first answer is the safer one.");
      /* The reviewer's choice and rationale are drawn before Record Verdict is pressed. */
      painted = FALSE;
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      reset_gap ();
      start = g_get_monotonic_time ();
      cpu = main_thread_cpu_ms ();
      if (!gtk_widget_activate_action (GTK_WIDGET (page), "review.save-verdict", NULL))
        g_error ("review.save-verdict is not there");
      ms = wait_shown (page, start, next_item_shown, &id);
      cpu = main_thread_cpu_ms () - cpu;
      g_array_append_val (verdict_ms, ms);
      g_array_append_val (verdict_cpu, cpu);
      verdict_gap_ms = MAX (verdict_gap_ms, longest_gap / 1e3);
      g_print ("verdict %u: %.0f ms (main thread busy %.0f ms), main loop blocked at most"
               " %.0f ms\n", i + 1, ms, cpu, longest_gap / 1e3);
      print_breakdown (&breakdown, cpu);
    }
  g_array_sort (verdict_ms, rounds_bench_compare_doubles);
  median_ms = g_array_index (verdict_ms, double, verdict_ms->len / 2);
  g_array_sort (verdict_cpu, rounds_bench_compare_doubles);
  median_cpu = g_array_index (verdict_cpu, double, verdict_cpu->len / 2);

  getrusage (RUSAGE_SELF, &usage);
  load = load_average ();
  g_print ("\nreview: %d items, %d disputed, 3 judgements each; load average %s\n", N_ITEMS,
           N_DISPUTED, load);
  g_print ("| measure | figure | goal | |\n| --- | --- | --- | --- |\n");
  g_print ("| first item shown | %.0f ms | <= %.0f ms | %s |\n", first_ms, GOAL_FIRST_MS,
           rounds_bench_verdict (first_ms <= GOAL_FIRST_MS));
  g_print ("| verdict recorded, next item shown (median of %u) | %.0f ms | <= %.0f ms | %s |\n",
           n_verdicts, median_ms, GOAL_VERDICT_MS,
           rounds_bench_verdict (median_ms <= GOAL_VERDICT_MS));
  g_print ("| - the main thread's processor time in these: first item / verdict | %.0f / %.0f ms |"
           " | |\n", first_cpu, median_cpu);
  g_print ("| - the queue read in a thread, no window: wall / processor | %.0f / %.0f ms | | |\n",
           read_ms, read_cpu);
  g_print ("| main loop blocked at most, loading | %.0f ms | <= %.0f ms | %s |\n", first_gap_ms,
           GOAL_BLOCKED_MS, rounds_bench_verdict (first_gap_ms <= GOAL_BLOCKED_MS));
  g_print ("| main loop blocked at most, recording | %.0f ms | <= %.0f ms | %s |\n",
           verdict_gap_ms, GOAL_BLOCKED_MS,
           rounds_bench_verdict (verdict_gap_ms <= GOAL_BLOCKED_MS));
  g_print ("| peak resident memory | %.0f MB | | |\n", usage.ru_maxrss * 1024.0 / 1e6);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
