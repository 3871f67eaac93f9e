/* bench-export.c: TRL records per second from a database of a million judgements
 *
 * 333 334 two-response items, each judged by 3 of 20 annotators with a preference, six
 * rubric scores per response and now and then a flag: 1 000 002 current judgements,
 * written straight into SQLite. Then `rounds_export_write` writes TRL pairs with their
 * full provenance, and the rate is records written per second of that call. Goal (issue
 * 6): at least 100 000 records/s. Run with `meson test --benchmark export` or
 * `build-aux/bench export`; pass a number of judgements to change the size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "rounds-export.h"
#include "rounds-store-private.h"

#define N_ANNOTATORS 20
#define PER_ITEM     3

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static void
fill (RoundsStore *store,
      guint        n_judgements)
{
  sqlite3 *db = _rounds_store_get_db (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  sqlite3_stmt *item, *response, *annotation;
  guint n_items = (n_judgements + PER_ITEM - 1) / PER_ITEM;
  g_autoptr(GString) scores = g_string_new (NULL);

  check (db, sqlite3_exec (db, "BEGIN;"
                               "INSERT INTO datasets (id, name, title, content_hash, "
                               "created_at, updated_at)"
                               " VALUES (1, 'bench', 'Benchmark', 'x', '2026-11-30T00:00:00.000Z', "
                               "'2026-11-30T00:00:00.000Z');",
                           NULL, NULL, NULL));
  for (guint a = 1; a <= N_ANNOTATORS; a++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO annotators (id, user_name, created_at)"
                                              " VALUES (%u, 'clinician-%02u', "
                                              "'2026-11-30T00:00:00.000Z')", a, a);

      check (db, sqlite3_exec (db, sql, NULL, NULL, NULL));
    }
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO items (id, dataset_id, key, position, scenario, "
                                     "content_hash, overlap, n_submitted)"
                                     " VALUES (?1, 1, ?2, ?1, ?3, 'x', 3, 3)", -1, &item, NULL));
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO responses (item_id, idx, key, text, model) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                                 -1, &response, NULL));
  check (db, sqlite3_prepare_v2 (db, "INSERT INTO annotations (edit_id, doc_id, item_id, "
                                     "annotator_id, revision, status,"
                                     " preference, scores_json, flags_json, shown_order, "
                                     "time_spent_ms, created_at, origin, is_current, synced)"
                                     " VALUES (?1, ?1, ?2, ?3, 1, 'submitted', ?4, ?5, ?6, ?7, "
                                     "90000, '2026-11-30T09:00:00.000Z', 'import', 1, 1)",
                                 -1, &annotation, NULL));

  for (guint i = 1; i <= n_items; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%06u", i);
      g_autofree char *scenario = g_strdup_printf ("Case %u: a 67-year-old with atrial "
                                                   "fibrillation on apixaban asks whether "
                                                   "she may take ibuprofen for a painful knee, and "
                                                   "what she should do if the "
                                                   "pain keeps her awake. She lives alone and her "
                                                   "daughter worries about falls.", i);
      int truth = g_rand_int_range (rand, -2, 3);
      guint first = g_rand_int_range (rand, 0, N_ANNOTATORS);

      sqlite3_bind_int64 (item, 1, i);
      sqlite3_bind_text (item, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (item, 3, scenario, -1, SQLITE_TRANSIENT);
      check (db, sqlite3_step (item));
      sqlite3_reset (item);

      for (guint r = 0; r < 2; r++)
        {
          g_autofree char *text = g_strdup_printf ("%s response to case %u. Paracetamol is the "
                                                   "safer first choice with a "
                                                   "direct oral anticoagulant; NSAIDs such as "
                                                   "ibuprofen raise the risk of "
                                                   "bleeding, especially in the stomach. Ask the "
                                                   "anticoagulation clinic or "
                                                   "pharmacist before any new painkiller, and see "
                                                   "the GP if the knee is hot, "
                                                   "swollen or the pain stops her "
                                                   "walking.", r ? "Second" : "First", i);

          sqlite3_bind_int64 (response, 1, i);
          sqlite3_bind_int (response, 2, r);
          sqlite3_bind_text (response, 3, r ? "b" : "a", -1, SQLITE_STATIC);
          sqlite3_bind_text (response, 4, text, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (response, 5, r ? "harbor-13b" : "sage-32b", -1, SQLITE_STATIC);
          check (db, sqlite3_step (response));
          sqlite3_reset (response);
        }

      for (guint k = 0; k < PER_ITEM && (i - 1) * PER_ITEM + k < n_judgements; k++)
        {
          g_autofree char *edit = g_strdup_printf ("bench-%u-%u", i, k);
          int nudge = g_rand_int_range (rand, 0, 5) == 0 ? g_rand_int_range (rand, -1, 2) : 0;
          int preference = CLAMP (truth + nudge, -2, 2);

          g_string_assign (scores, "[");
          for (guint r = 0; r < 2; r++)
            g_string_append_printf (scores,
                                    "%s{\"accuracy\":%d,\"safety\":%d,\"ethics\":%d,"
                                    "\"privacy\":%d,\"fairness\":%d,\"clarity\":%d}",
                                    r ? "," : "",
                                    g_rand_int_range (rand, 1, 6), g_rand_int_range (rand, 1, 6),
                                    g_rand_int_range (rand, 1, 6), g_rand_int_range (rand, 1, 6),
                                    g_rand_int_range (rand, 1, 6), g_rand_int_range (rand, 1, 6));
          g_string_append_c (scores, ']');

          sqlite3_bind_text (annotation, 1, edit, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (annotation, 2, i);
          sqlite3_bind_int (annotation, 3, 1 + (first + k) % N_ANNOTATORS);
          sqlite3_bind_int (annotation, 4, preference);
          sqlite3_bind_text (annotation, 5, scores->str, -1, SQLITE_TRANSIENT);
          if (g_rand_int_range (rand, 0, 10) == 0)
            sqlite3_bind_text (annotation, 6, "[[],[\"factually-wrong\"]]", -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (annotation, 6);
          sqlite3_bind_text (annotation, 7, g_rand_boolean (rand) ? "[0,1]" : "[1,0]", -1,
                             SQLITE_STATIC);
          check (db, sqlite3_step (annotation));
          sqlite3_reset (annotation);
        }
    }
  sqlite3_finalize (item);
  sqlite3_finalize (response);
  sqlite3_finalize (annotation);
  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
}

/* The floor under any exporter of this schema: the rows an export reads, stepped in the
 * same order and touched, with nothing built or written. */
static double
read_floor (RoundsStore *store)
{
  static const char * const queries[] = {
    "SELECT id, key, scenario, reference_json FROM items WHERE dataset_id = 1 "
    "ORDER BY position, id",
    "SELECT r.item_id, r.idx, r.key, r.text, r.model FROM responses r JOIN items "
    "i ON i.id = r.item_id"
    " WHERE i.dataset_id = 1 ORDER BY i.position, i.id, r.idx",
    "SELECT a.item_id, an.user_name, a.preference, a.ranking_json, a.unacceptable, a.scores_json,"
    " a.flags_json, a.shown_order FROM items i JOIN annotations a ON a.item_id = i.id "
    "AND a.is_current = 1"
    " AND a.status = 'submitted' JOIN annotators an ON an.id = a.annotator_id"
    " WHERE i.dataset_id = 1 ORDER BY i.position, i.id",
  };
  sqlite3 *db = _rounds_store_get_db (store);
  sqlite3_stmt *stmts[G_N_ELEMENTS (queries)];
  gint64 start = g_get_monotonic_time ();
  gsize bytes = 0;
  int rc[G_N_ELEMENTS (queries)];

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    check (db, sqlite3_prepare_v2 (db, queries[q], -1, &stmts[q], NULL));
  rc[1] = sqlite3_step (stmts[1]);
  rc[2] = sqlite3_step (stmts[2]);
  while ((rc[0] = sqlite3_step (stmts[0])) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmts[0], 0);

      bytes += sqlite3_column_bytes (stmts[0], 2);
      for (guint q = 1; q < G_N_ELEMENTS (queries); q++)
        for (; rc[q] == SQLITE_ROW && sqlite3_column_int64 (stmts[q], 0) == id;
             rc[q] = sqlite3_step (stmts[q]))
          for (int c = 1; c < sqlite3_column_count (stmts[q]); c++)
            if (sqlite3_column_text (stmts[q], c) != NULL)
              bytes += sqlite3_column_bytes (stmts[q], c);
    }
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    sqlite3_finalize (stmts[q]);
  g_assert_cmpuint (bytes, >, 0);
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  guint n_judgements = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rounds-bench-export-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *out_path = g_build_filename (dir, "pairs.jsonl", NULL);
  g_autoptr(RoundsStore) store = NULL;
  RoundsExportOptions options;
  RoundsExportSummary summary;
  struct rusage usage;
  GStatBuf st;
  gint64 start, filled, written;
  double seconds, floor;

  g_assert_no_error (error);
  store = rounds_store_open (db_path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  fill (store, n_judgements);
  filled = g_get_monotonic_time ();

  rounds_export_options_init (&options);
  options.format = ROUNDS_EXPORT_TRL;
  if (!rounds_export_write (store, &options, out_path, NULL, &summary, NULL, NULL, NULL, &error))
    g_error ("export: %s", error->message);
  written = g_get_monotonic_time ();
  rounds_export_options_clear (&options);

  seconds = (written - filled) / 1e6;
  floor = read_floor (store);
  g_stat (out_path, &st);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("database: %u judgements on %" G_GUINT64_FORMAT " items, filled in %.1f s\n",
           n_judgements, summary.n_items, (filled - start) / 1e6);
  g_print ("trl export: %" G_GUINT64_FORMAT " records (%.0f MB, with provenance) in "
                                            "%.2f s = %.0f records/s"
           " (goal: 100000 records/s)\n",
           summary.n_written, st.st_size / 1e6, seconds, summary.n_written / seconds);
  g_print ("reading the same rows alone (SQLite, nothing built or written): %.2f s = "
           "%.0f records/s at most\n",
           floor, summary.n_written / floor);
  g_print ("peak memory: %ld MiB\n", usage.ru_maxrss / 1024);

  g_clear_object (&store);
  g_unlink (out_path);
  g_unlink (db_path);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
