/* test-crash.c: judgements submitted through the window survive the app being killed
 *
 * The test runs itself again as a child (ROUNDS_TEST_CRASH_CHILD names the database): the
 * real window on the database does the annotator's queue as a person would (a preference or
 * a ranking, every rubric score, Submit, through the window's actions) and prints each
 * judgement's edit id once Submit has returned. The parent kills the child with SIGKILL at a
 * random moment, twenty times (some while it starts, the rest while it submits), each time
 * starting it again on the same database. Then every
 * printed id must be in the database as a submitted judgement of its item, no item may have
 * two judgements of the annotator, each item's count of submissions must match its rows, and
 * SQLite's integrity check must say ok.
 *
 * What it catches: a submit that reports success before its transaction is committed (the
 * commit skipped, left open, or deferred to an idle or a worker thread), a submit whose rows
 * are split over transactions (an item counted but its judgement lost, or judged twice after
 * a restart), and anything that leaves the file damaged when the process dies. It does not
 * cut the power: synchronous=OFF loses nothing to a SIGKILL, since the kernel still writes
 * what the process had written.
 *
 * The kill times and the judgements come from a seed that the log shows;
 * ROUNDS_TEST_CRASH_SEED repeats a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>

#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

#define N_RUNS            20
#define N_ITEMS           1500
#define MAX_KILL_MS       2500
#define MAX_START_KILL_MS 1500
#define ANNOTATOR         "dr-test"

/* Two-response items with a preference, and every fifth one a three-response ranking; both
 * need every rubric score. */
static char *
make_fixture (void)
{
  GString *jsonl = g_string_new ("{\"type\": \"dataset\", \"id\": \"crash\", \"title\": \"Crash\","
                                 " \"overlap\": 1, \"required\": [\"preference\", \"rubric\"],"
                                 " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\"},"
                                 "  {\"id\": \"safety\", \"name\": \"Safety\"}]}\n");

  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"k%04u\", \"scenario\": \"Case %u: what is the"
                              " adult daily maximum of paracetamol?\", \"responses\": ["
                              "{\"text\": \"4 g a day.\"}, {\"text\": \"8 g a day.\"}", i, i);
      if (i % 5 == 4)
        g_string_append (jsonl, ", {\"text\": \"As much as the pain needs.\"}");
      g_string_append (jsonl, "]}\n");
    }
  return g_string_free (jsonl, FALSE);
}

/* The child ------------------------------------------------------------------------------ */

/* A judgement of the item on screen, as a person gives it: the preference (keys 1 to 5) or
 * a rank for each response, then each response's scores. */
static void
judge (RoundsWindow *window,
       RoundsItem   *item,
       GRand        *rand)
{
  guint n = rounds_item_get_n_responses (item);

  if (n == 2)
    rounds_test_activate (window, "win.prefer",
                          g_variant_new_int32 (g_rand_int_range (rand, 1, 6)));
  else
    for (guint position = 0; position < n; position++)
      rounds_test_activate (window, "win.rank",
                            g_variant_new ("(ii)", position, g_rand_int_range (rand, 1, n + 1)));
  for (guint position = 0; position < n; position++)
    {
      rounds_test_activate (window, "win.score",
                            g_variant_new ("(isi)", position, "accuracy",
                                           g_rand_int_range (rand, 1, 6)));
      rounds_test_activate (window, "win.score",
                            g_variant_new ("(isi)", position, "safety",
                                           g_rand_int_range (rand, 1, 6)));
    }
}

/* Does the queue through the window until it is killed or the queue is empty: prints "ready"
 * when the first item is on screen, then "KEY EDIT-ID" after each Submit returns. */
static int
run_child (const char *db_path,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsStore) store = rounds_store_open (db_path, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  RoundsWindow *window;

  g_assert_no_error (error);
  window = rounds_test_gui_open_window (store);
  rounds_window_open_dataset (window, "crash");
  rounds_test_spin ();
  printf ("ready\n");
  fflush (stdout);

  while (g_strcmp0 (rounds_window_get_page (window), "compare") == 0)
    {
      g_autoptr(RoundsItem) item = g_object_ref (rounds_window_get_item (window));
      g_autoptr(RoundsJudgement) judgement = NULL;

      judge (window, item, rand);
      rounds_test_activate (window, "win.submit", NULL);
      /* Submit moved on only if it saved: else the window is still on this item. */
      g_assert_true (rounds_window_get_item (window) != item);
      judgement = rounds_store_get_judgement (store, item, ANNOTATOR, &error);
      g_assert_no_error (error);
      g_assert_nonnull (judgement);
      printf ("%s %s\n", rounds_item_get_key (item), judgement->edit_id);
      fflush (stdout);
    }
  printf ("done\n");
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (window));
  rounds_test_spin ();
  return 0;
}

/* The parent ----------------------------------------------------------------------------- */

/* Reads the child's first line, which must be "ready"; byte by byte, so that nothing after it
 * is left in a buffer of ours. */
static void
read_ready (GSubprocess *child)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (child);
  g_autoptr(GString) line = g_string_new (NULL);
  char c;

  while (g_input_stream_read (out, &c, 1, NULL, NULL) == 1 && c != '\n')
    g_string_append_c (line, c);
  g_assert_cmpstr (line->str, ==, "ready");
}

/* Adds the complete lines of @output to @printed (edit id → key); a line cut off by the kill
 * was not printed. Returns the number of ids. */
static guint
collect (const char *output,
         GHashTable *printed)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  guint n_lines = g_strv_length (lines);
  guint n = 0;

  /* The last element follows the last newline: empty, or a line cut off. */
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (g_str_equal (lines[i], "ready") || g_str_equal (lines[i], "done"))
        continue;
      fields = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 2);
      /* An item printed twice is checked in the database: it was lost, or judged twice. */
      g_assert_false (g_hash_table_contains (printed, fields[1]));
      g_hash_table_insert (printed, g_strdup (fields[1]), g_strdup (fields[0]));
      n++;
    }
  return n;
}

static void
check_database (const char *db_path,
                GHashTable *printed)
{
  sqlite3 *db = NULL;
  g_autofree char *integrity = NULL;
  GHashTableIter iter;
  gpointer edit_id, key;

  /* Read-write, as the app opens it: the first connection after a kill recovers the WAL. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  integrity = rounds_test_db_query_text (db, "PRAGMA integrity_check", NULL);
  g_assert_cmpstr (integrity, ==, "ok");

  g_hash_table_iter_init (&iter, printed);
  while (g_hash_table_iter_next (&iter, &edit_id, &key))
    {
      g_autofree char *stored = rounds_test_db_query_text (db,
        "SELECT i.key || ' ' || a.status || ' ' || an.user_name FROM annotations a"
        " JOIN items i ON i.id = a.item_id JOIN annotators an ON an.id = a.annotator_id"
        " WHERE a.edit_id = ?1 UNION ALL SELECT 'missing' LIMIT 1", edit_id);
      g_autofree char *expected = g_strdup_printf ("%s submitted " ANNOTATOR, (char *) key);

      g_assert_cmpstr (stored, ==, expected);
    }

  /* Nothing judged twice, and each item's count is its rows: both are written together. */
  g_assert_cmpint (rounds_test_db_query_int (db, "SELECT COUNT(*) FROM (SELECT item_id FROM"
                                                 " annotations GROUP BY item_id, annotator_id"
                                                 " HAVING COUNT(*) > 1)"), ==, 0);
  g_assert_cmpint (rounds_test_db_query_int (db, "SELECT COUNT(*) FROM items i WHERE n_submitted"
                                                 " != (SELECT COUNT(*) FROM annotations a"
                                                 " WHERE a.item_id = i.id AND a.is_current = 1"
                                                 " AND a.status = 'submitted')"), ==, 0);
  /* At least what was printed is there; more when a kill came between commit and print. */
  g_assert_cmpint (rounds_test_db_query_int (db, "SELECT COUNT(*) FROM annotations"), >=,
                   g_hash_table_size (printed));
  sqlite3_close (db);
}

static void
test_kill (void)
{
  g_autofree char *dir = rounds_test_make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "rounds.db", NULL);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *fixture = make_fixture ();
  g_autoptr(GHashTable) printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GError) error = NULL;
  const char *seed_env = g_getenv ("ROUNDS_TEST_CRASH_SEED");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  guint n_killed = 0;

  g_assert_nonnull (self_path);
  g_test_message ("seed %u (ROUNDS_TEST_CRASH_SEED=%u repeats these kill times)", seed, seed);
  rand = g_rand_new_with_seed (seed);

  {
    g_autoptr(RoundsStore) store = rounds_store_open (db_path, &error);

    g_assert_no_error (error);
    rounds_test_store_import_text (store, dir, "fixture.jsonl", fixture);
    rounds_test_store_sign_in (store, ANNOTATOR, "Dr Test", ROUNDS_ROLE_ANNOTATOR);
  }

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) child = NULL;
      g_autofree char *output = NULL;
      g_autofree char *child_seed = g_strdup_printf ("%u", seed + run);
      /* One kill in four while the app starts (opening, recovering the WAL), timed from the
       * start; the others while it submits, timed from the first item on screen. */
      gboolean at_start = g_rand_int_range (rand, 0, 4) == 0;
      guint kill_ms = g_rand_int_range (rand, 0, at_start ? MAX_START_KILL_MS : MAX_KILL_MS);
      guint n;

      g_subprocess_launcher_setenv (launcher, "ROUNDS_TEST_CRASH_CHILD", db_path, TRUE);
      g_subprocess_launcher_setenv (launcher, "ROUNDS_TEST_CRASH_SEED", child_seed, TRUE);
      child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
      g_assert_no_error (error);
      if (!at_start)
        read_ready (child);
      g_usleep (kill_ms * G_TIME_SPAN_MILLISECOND);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error);
      g_assert_no_error (error);

      n = collect (output, printed);
      if (g_subprocess_get_if_signaled (child))
        {
          g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
          n_killed++;
        }
      else
        /* The queue ran out before the kill: the child must have said so and exited. */
        g_assert_true (g_subprocess_get_successful (child) && g_str_has_suffix (output, "done\n"));
      g_test_message ("run %u: killed %u ms after %s; %u judgements printed", run + 1, kill_ms,
                      at_start ? "it started" : "the first item showed", n);
    }

  g_test_message ("%u judgements printed over %u runs, %u killed", g_hash_table_size (printed),
                  N_RUNS, n_killed);
  check_database (db_path, printed);

  /* The app opens the database again, as after any of the kills. */
  {
    g_autoptr(RoundsStore) store = rounds_store_open (db_path, &error);

    g_assert_no_error (error);
    g_assert_true (rounds_store_check_integrity (store, &error));
    g_assert_no_error (error);
  }
  rounds_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *child_db = g_getenv ("ROUNDS_TEST_CRASH_CHILD");
  const char *child_seed = g_getenv ("ROUNDS_TEST_CRASH_SEED");

  /* Not a test program: its standard output is the ids alone. */
  if (child_db != NULL)
    {
      gtk_init ();
      adw_init ();
      return run_child (child_db, child_seed ? (guint32) g_ascii_strtoull (child_seed, NULL, 10)
                                             : 0);
    }

  rounds_test_gui_init (&argc, &argv);
  g_test_add_func ("/rounds/crash/kill", test_kill);
  return rounds_test_gui_run ();
}
