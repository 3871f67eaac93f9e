/* bench-insights.c: the leaderboard and 1 000 bootstrap rounds over a million judgements
 *
 * 20 models with known strengths; 333 334 two-response scenarios, each a random pair of
 * models judged by 3 of 40 annotators on the 5-point scale: 1 000 002 judgements. Timed:
 *   1. in memory: the comparisons added to a RoundsBradleyTerry, then its fit and 1 000
 *      bootstrap rounds (goal of issue 16: under 2 s);
 *   2. from SQLite: the same judgements written into a store, then reading them
 *      (_rounds_store_read_insight_data), the leaderboard with its bootstrap, and every
 *      other figure (rounds_store_compute_insights as a whole).
 * A benchmark, not a test. Run with `meson test --benchmark insights` or
 * `build-aux/bench insights`; pass a number of judgements to change the size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "rounds-bradley-terry.h"
#include "rounds-insights-private.h"
#include "rounds-store-private.h"

#define N_MODELS     20
#define N_ANNOTATORS 40
#define PER_ITEM     3
#define ROUNDS       1000

typedef struct
{
  guint i, j;
  int   preference[PER_ITEM];
} Scenario;

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static GArray *
simulate (guint n_judgements)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  GArray *scenarios = g_array_new (FALSE, FALSE, sizeof (Scenario));
  guint n_items = (n_judgements + PER_ITEM - 1) / PER_ITEM;
  double truth[N_MODELS];

  for (guint k = 0; k < N_MODELS; k++)
    truth[k] = 1.0 - 2.0 * k / (N_MODELS - 1);
  for (guint s = 0; s < n_items; s++)
    {
      Scenario scenario;
      double p;

      scenario.i = g_rand_int_range (rand, 0, N_MODELS);
      scenario.j = (scenario.i + g_rand_int_range (rand, 1, N_MODELS)) % N_MODELS;
      p = 1.0 / (1.0 + exp (truth[scenario.j] - truth[scenario.i]));
      for (guint k = 0; k < PER_ITEM; k++)
        {
          double u = g_rand_double (rand);

          /* first response (model i) better: negative */
          scenario.preference[k] = u < 0.08 ? 0 : g_rand_double (rand) < p ?
                                   -g_rand_int_range (rand, 1, 3) : g_rand_int_range (rand, 1, 3);
        }
      g_array_append_val (scenarios, scenario);
    }
  return scenarios;
}

/* Wall-clock and CPU time: the machine is shared, and the CPU time says what the wall
 * clock hides under load. */
typedef struct
{
  gint64 wall;
  gint64 cpu;
} Clock;

static Clock
clock_now (void)
{
  struct timespec cpu;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  return (Clock) { g_get_monotonic_time (), cpu.tv_sec * G_USEC_PER_SEC + cpu.tv_nsec / 1000 };
}

/* "430 ms (CPU 410 ms)" since @start */
static char *
since (Clock start)
{
  Clock now = clock_now ();

  return g_strdup_printf ("%.0f ms (CPU %.0f ms)", (now.wall - start.wall) / 1000.0,
                          (now.cpu - start.cpu) / 1000.0);
}

static void
in_memory (GArray *scenarios,
           guint   n_judgements)
{
  g_autoptr(RoundsBradleyTerry) bt = rounds_bradley_terry_new (N_MODELS);
  g_autoptr(GError) error = NULL;
  double beta[N_MODELS], lower[N_MODELS], upper[N_MODELS];
  g_autofree char *added = NULL;
  g_autofree char *fitted = NULL;
  g_autofree char *total = NULL;
  Clock start = clock_now ();
  guint n = 0;

  for (guint s = 0; s < scenarios->len; s++)
    {
      Scenario *scenario = &g_array_index (scenarios, Scenario, s);

      for (guint k = 0; k < PER_ITEM && n < n_judgements; k++, n++)
        {
          int p = scenario->preference[k];

          rounds_bradley_terry_add (bt, s, scenario->i, scenario->j,
                                    p < 0 ? 1.0 : p > 0 ? 0.0 : 0.5, 1.0);
        }
    }
  added = since (start);
  start = clock_now ();
  if (!rounds_bradley_terry_fit (bt, ROUNDS_BRADLEY_TERRY_RIDGE, beta, &error))
    g_error ("fit: %s", error->message);
  fitted = since (start);
  if (!rounds_bradley_terry_bootstrap (bt, ROUNDS_BRADLEY_TERRY_RIDGE, beta, ROUNDS, 1, 0.95,
                                       lower, upper, &error))
    g_error ("bootstrap: %s", error->message);
  total = since (start);

  g_print ("in memory, %u judgements of %u models in %u scenarios:\n", n, N_MODELS,
           scenarios->len);
  g_print ("   fit + %u bootstrap rounds: %s; of which the fit with aggregation %s\n", ROUNDS,
           total, fitted);
  g_print ("   adding the comparisons: %s\n", added);
  g_print ("   best model %.0f [%.0f, %.0f], worst %.0f [%.0f, %.0f]\n",
           rounds_bradley_terry_rating (beta[0]), rounds_bradley_terry_rating (lower[0]),
           rounds_bradley_terry_rating (upper[0]),
           rounds_bradley_terry_rating (beta[N_MODELS - 1]),
           rounds_bradley_terry_rating (lower[N_MODELS - 1]),
           rounds_bradley_terry_rating (upper[N_MODELS - 1]));
  if (!(beta[0] > beta[N_MODELS / 2] && beta[N_MODELS / 2] > beta[N_MODELS - 1]))
    g_error ("the fit does not find the order the data were made with");
}

/* The scenarios as a dataset in @store, written straight into SQLite. */
static void
fill (RoundsStore *store,
      GArray      *scenarios,
      guint        n_judgements)
{
  sqlite3 *db = _rounds_store_get_db (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (61);
  sqlite3_stmt *item, *response, *annotation;
  guint n = 0;

  check (db, sqlite3_exec (db, "BEGIN;"
                               "INSERT INTO datasets (id, name, title, content_hash, created_at,"
                               " updated_at) VALUES (1, 'bench', 'Benchmark', 'x',"
                               " '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');",
                           NULL, NULL, NULL));
  check (db, sqlite3_exec (db, "WITH RECURSIVE k (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k"
                               " WHERE n < " G_STRINGIFY (N_ANNOTATORS) ")"
                               " INSERT INTO annotators (id, user_name, created_at)"
                               " SELECT n, printf ('annotator-%02d', n), '2026-12-01T00:00:00.000Z'"
                               " FROM k", NULL, NULL, NULL));
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO items (id, dataset_id, key, position, scenario,"
                                     " specialty, language, content_hash, overlap, n_submitted)"
                                     " VALUES (?1, 1, ?2, ?1, ?3, ?4, ?5, 'x', 3, 3)",
                                 -1, &item, NULL));
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO responses (item_id, idx, key, text, model)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5)", -1, &response, NULL));
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO annotations (edit_id, doc_id, item_id,"
                                     " annotator_id, revision, status, preference, shown_order,"
                                     " time_spent_ms, created_at, origin, is_current, synced)"
                                     " VALUES (?1, ?1, ?2, ?3, 1, 'submitted', ?4, ?5, ?6,"
                                     " ?7, 'import', 1, 1)", -1, &annotation, NULL));

  for (guint s = 0; s < scenarios->len; s++)
    {
      Scenario *scenario = &g_array_index (scenarios, Scenario, s);
      g_autofree char *key = g_strdup_printf ("item-%06u", s);
      g_autofree char *text = g_strdup_printf ("Case %u: which dose, and when to refer?", s);
      guint first = g_rand_int_range (rand, 0, N_ANNOTATORS);

      sqlite3_bind_int64 (item, 1, s + 1);
      sqlite3_bind_text (item, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (item, 3, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (item, 4, s % 3 ? "cardiology" : "paediatrics", -1, SQLITE_STATIC);
      sqlite3_bind_text (item, 5, s % 2 ? "en" : "zh", -1, SQLITE_STATIC);
      check (db, sqlite3_step (item));
      sqlite3_reset (item);
      for (guint r = 0; r < 2; r++)
        {
          g_autofree char *model = g_strdup_printf ("model-%02u", r ? scenario->j : scenario->i);

          sqlite3_bind_int64 (response, 1, s + 1);
          sqlite3_bind_int (response, 2, r);
          sqlite3_bind_text (response, 3, r ? "b" : "a", -1, SQLITE_STATIC);
          sqlite3_bind_text (response, 4, "Paracetamol first; see the GP if it persists.", -1,
                             SQLITE_STATIC);
          sqlite3_bind_text (response, 5, model, -1, SQLITE_TRANSIENT);
          check (db, sqlite3_step (response));
          sqlite3_reset (response);
        }
      for (guint k = 0; k < PER_ITEM && n < n_judgements; k++, n++)
        {
          g_autofree char *edit = g_strdup_printf ("bench-%u-%u", s, k);
          g_autofree char *created = g_strdup_printf ("2026-11-%02uT09:00:00.000Z",
                                                      2 + (s % 4) * 7);   /* four weeks */
          sqlite3_bind_text (annotation, 1, edit, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (annotation, 2, s + 1);
          sqlite3_bind_int (annotation, 3, 1 + (first + k) % N_ANNOTATORS);
          sqlite3_bind_int (annotation, 4, scenario->preference[k]);
          sqlite3_bind_text (annotation, 5, g_rand_boolean (rand) ? "[0,1]" : "[1,0]", -1,
                             SQLITE_STATIC);
          sqlite3_bind_int (annotation, 6, g_rand_int_range (rand, 5000, 300000));
          sqlite3_bind_text (annotation, 7, created, -1, SQLITE_TRANSIENT);
          check (db, sqlite3_step (annotation));
          sqlite3_reset (annotation);
        }
    }
  sqlite3_finalize (item);
  sqlite3_finalize (response);
  sqlite3_finalize (annotation);
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
}

static void
from_store (GArray *scenarios,
            guint   n_judgements)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rounds-bench-insights-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(RoundsInsightData) data = NULL;
  g_autoptr(RoundsInsights) board = NULL;
  g_autoptr(RoundsInsights) insights = NULL;
  RoundsInsightsOptions options;
  g_autofree char *read = NULL;
  g_autofree char *leaderboard = NULL;
  g_autofree char *together = NULL;
  g_autofree char *everything = NULL;
  Clock start, begin;

  g_assert_no_error (error);
  if (!(store = rounds_store_open (db_path, &error)))
    g_error ("%s", error->message);
  fill (store, scenarios, n_judgements);
  rounds_insights_options_init (&options);

  begin = start = clock_now ();
  if (!(data = _rounds_store_read_insight_data (store, NULL, NULL, &error)))
    g_error ("%s", error->message);
  read = since (start);
  start = clock_now ();
  board = _rounds_insights_new (data, &options);
  if (!_rounds_insights_leaderboard (board, data, &error))
    g_error ("%s", error->message);
  leaderboard = since (start);
  together = since (begin);

  start = clock_now ();
  if (!(insights = rounds_store_compute_insights (store, NULL, &options, NULL, &error)))
    g_error ("%s", error->message);
  everything = since (start);

  g_print ("from SQLite, %u judgements:\n", insights->n_judgements);
  g_print ("   reading them (_rounds_store_read_insight_data): %s\n", read);
  g_print ("   leaderboard + %u bootstrap rounds, with the per-specialty and per-language fits: "
           "%s\n", ROUNDS, leaderboard);
  g_print ("   reading + leaderboard: %s\n", together);
  g_print ("   every figure (rounds_store_compute_insights: reading, leaderboard, position bias, "
           "time on task, alpha with and without each of %u annotators, by week): %s\n",
           insights->n_annotators, everything);

  g_clear_object (&store);
  for (guint f = 0; f < 3; f++)
    {
      g_autofree char *path = g_strconcat (db_path, (const char *[]) { "", "-wal", "-shm" }[f],
                                           NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  guint n_judgements = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  g_autoptr(GArray) scenarios = simulate (n_judgements);

  in_memory (scenarios, n_judgements);
  from_store (scenarios, n_judgements);
  return 0;
}
