/* test-reopen.c: the app started again opens on the item with the draft, the draft shown
 *
 * The test runs itself again as the app: a child process runs a RoundsApplication exactly as
 * main.c does (g_application_run with the command line: --db, and --dataset the first time),
 * on a temporary database and private settings (GSettings keyfile) that both starts share.
 * The first start does the first item of the second dataset, then on the next one sets a
 * comment, the overall preference and one rubric score through the window, a draft not
 * submitted; it prints what the page shows, and then the app is quit (case close, as Ctrl+Q
 * does) or, once the draft is kept, killed with SIGKILL (case kill). The second start, without
 * --dataset, prints what it shows: it must be the compare page on that item, with that
 * comment, preference and score, not the list of datasets.
 *
 * What it catches: a restart that opens on the dataset list or the first dataset, a queue
 * that does not start at the draft, a draft lost on quitting or not kept before a kill, and a
 * draft kept but not shown again (comment, preference or score left empty).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "rounds-preference-scale.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"

#define ANNOTATOR "dr-test"
#define COMMENT   "Check the renal function first.\nThen the dose: 2 g a day — not 4."

/* Two datasets, so that the draft's is not simply the first one; in the second, the draft
 * goes on the second item, after the first is submitted. */
static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"first\", \"title\": \"First\", \"overlap\": 1}\n"
  "{\"id\": \"f1\", \"scenario\": \"A first scenario\", \"responses\": [{\"text\": \"one\"},"
  " {\"text\": \"two\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"second\", \"title\": \"Second\", \"overlap\": 1,"
  " \"required\": [\"preference\", \"rubric\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\"},"
  "  {\"id\": \"safety\", \"name\": \"Safety\"}]}\n"
  "{\"id\": \"s1\", \"scenario\": \"Paracetamol for an adult\", \"responses\": ["
  "{\"text\": \"4 g a day.\"}, {\"text\": \"8 g a day.\"}]}\n"
  "{\"id\": \"s2\", \"scenario\": \"Paracetamol with renal failure\", \"responses\": ["
  "{\"text\": \"2 g a day.\"}, {\"text\": \"As usual.\"}]}\n"
  "{\"id\": \"s3\", \"scenario\": \"Paracetamol in pregnancy\", \"responses\": ["
  "{\"text\": \"Yes, short courses.\"}, {\"text\": \"Never.\"}]}\n";

/* The child: the app -------------------------------------------------------------------- */

static RoundsWindow *
app_window (GApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_nonnull (windows);
  return ROUNDS_WINDOW (windows->data);
}

static gboolean
is_active_toggle (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget));
}

static gboolean
is_preference_scale (GtkWidget     *widget,
                     gconstpointer  data)
{
  return ROUNDS_IS_PREFERENCE_SCALE (widget);
}

static void
print_fact (const char *name,
            const char *value)
{
  g_autofree char *escaped = g_strescape (value ? value : "(none)", NULL);

  printf ("%s %s\n", name, escaped);
}

/* What the window shows, one "NAME VALUE" line each, the value escaped as C. */
static void
print_shown (RoundsWindow *window)
{
  const char *page = rounds_window_get_page (window);
  RoundsItem *item = rounds_window_get_item (window);
  GtkWidget *comment = rounds_test_find_widget (GTK_WIDGET (window), rounds_test_is_named,
                                                "Comment");
  GtkWidget *scale = rounds_test_find_widget (GTK_WIDGET (window), is_preference_scale, NULL);
  GtkWidget *chosen = scale ? rounds_test_find_widget (scale, is_active_toggle, NULL) : NULL;
  const char *criteria[] = { "Accuracy", "Safety" };
  g_autofree char *comment_text = NULL;

  print_fact ("page", page);
  print_fact ("item", item && g_strcmp0 (page, "compare") == 0 ? rounds_item_get_key (item) : NULL);
  if (comment != NULL && gtk_widget_get_mapped (comment))
    comment_text = rounds_test_text_of (comment);
  print_fact ("comment", comment_text);
  print_fact ("preference", chosen && gtk_widget_get_mapped (chosen) ?
                              gtk_button_get_label (GTK_BUTTON (chosen)) : NULL);
  for (guint c = 0; c < G_N_ELEMENTS (criteria); c++)
    {
      g_autofree char *name = g_strdup_printf ("Response A: %s", criteria[c]);
      g_autofree char *fact = g_strdup_printf ("score-a-%s", criteria[c]);
      /* A score not used yet is a button until it takes the focus (rounds-rubric-grid.c). */
      GtkWidget *dropdown = rounds_test_focus_dropdown (GTK_WIDGET (window), name);
      GtkStringObject *selected = NULL;

      if (dropdown != NULL && gtk_widget_get_mapped (dropdown))
        selected = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown));
      print_fact (fact, selected ? gtk_string_object_get_string (selected) : NULL);
    }
  fflush (stdout);
}

static gboolean
is_on_compare_page (gpointer window)
{
  return g_strcmp0 (rounds_window_get_page (window), "compare") == 0;
}

typedef struct
{
  RoundsStore *store;
  char        *key;
} DraftKept;

/* The draft the window keeps a moment after each change holds all three changes. */
static gboolean
is_draft_kept (gpointer data)
{
  DraftKept *kept = data;
  g_autoptr(RoundsItem) item = rounds_test_store_find_item (kept->store, "second", "%s",
                                                            kept->key);
  g_autoptr(RoundsJudgement) draft = rounds_store_get_draft (kept->store, item, ANNOTATOR, NULL);

  return draft != NULL && g_strcmp0 (draft->comment, COMMENT) == 0 && draft->has_preference &&
         *rounds_judgement_score (draft, draft->shown_order[0], 0) == 3;
}

/* The first start: the first item of "second" submitted, a draft on the next; then quit
 * (@end "close") or wait to be killed (@end "kill"). */
static gboolean
judge (gpointer user_data)
{
  GApplication *app = user_data;
  const char *end = g_getenv ("ROUNDS_TEST_REOPEN_END");
  RoundsWindow *window = app_window (app);
  GtkWidget *comment;

  rounds_test_wait_until (is_on_compare_page, window, 10);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (window)), ==, "s1");
  rounds_test_activate (window, "win.prefer", g_variant_new_int32 (2));
  for (int position = 0; position < 2; position++)
    {
      rounds_test_activate (window, "win.score", g_variant_new ("(isi)", position, "accuracy", 4));
      rounds_test_activate (window, "win.score", g_variant_new ("(isi)", position, "safety", 5));
    }
  rounds_test_activate (window, "win.submit", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (window)), ==, "s2");

  /* The draft: a comment, "B better" (key 4) and Response A's accuracy, nothing submitted. */
  comment = rounds_test_find_widget (GTK_WIDGET (window), rounds_test_is_named, "Comment");
  g_assert_true (GTK_IS_TEXT_VIEW (comment));
  rounds_test_set_text (comment, COMMENT);
  rounds_test_activate (window, "win.prefer", g_variant_new_int32 (4));
  rounds_test_activate (window, "win.score", g_variant_new ("(isi)", 0, "accuracy", 3));
  print_shown (window);

  if (g_str_equal (end, "close"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  else
    {
      DraftKept kept = { NULL, (char *) rounds_item_get_key (rounds_window_get_item (window)) };
      g_autoptr(GError) error = NULL;
      g_autoptr(RoundsStore) store = rounds_store_open (g_getenv ("ROUNDS_TEST_REOPEN_DB"),
                                                        &error);

      g_assert_no_error (error);
      kept.store = store;
      rounds_test_wait_until (is_draft_kept, &kept, 10);
      printf ("ready\n");
      fflush (stdout);
    }
  return G_SOURCE_REMOVE;
}

/* The second start: what it shows once it has settled, then quit. */
static gboolean
check (gpointer user_data)
{
  GApplication *app = user_data;
  RoundsWindow *window = app_window (app);

  rounds_test_wait_frames (GTK_WIDGET (window));
  print_shown (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
on_activated (GApplication *app,
              gpointer      user_data)
{
  g_idle_add (user_data, app);
}

/* The app, as main.c runs it, with a test driving it once it has started. */
static int
run_child (const char *mode,
           int         argc,
           char      **argv)
{
  g_autoptr(RoundsApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ROUNDS_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rounds_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activated),
                          g_str_equal (mode, "judge") ? judge : check);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  printf ("exited %d\n", status);
  fflush (stdout);
  return status;
}

/* The parent ---------------------------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *db_path;
  char *config_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsStore) store = NULL;

  fixture->dir = rounds_test_make_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "rounds.db", NULL);
  fixture->config_dir = g_build_filename (fixture->dir, "config", NULL);
  store = rounds_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  rounds_test_store_import_text (store, fixture->dir, "fixture.jsonl", fixture_jsonl);
  rounds_test_store_sign_in (store, ANNOTATOR, "Dr Test", ROUNDS_ROLE_ANNOTATOR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->config_dir);
}

/* The app started as a child on the fixture's database and settings: `--db PATH`, then
 * @dataset's --dataset unless NULL. */
static GSubprocess *
start_app (Fixture    *fixture,
           const char *mode,
           const char *end,
           const char *dataset)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_assert_nonnull (self_path);
  g_subprocess_launcher_setenv (launcher, "ROUNDS_TEST_REOPEN_CHILD", mode, TRUE);
  g_subprocess_launcher_setenv (launcher, "ROUNDS_TEST_REOPEN_DB", fixture->db_path, TRUE);
  if (end != NULL)
    g_subprocess_launcher_setenv (launcher, "ROUNDS_TEST_REOPEN_END", end, TRUE);
  /* Settings kept on disk, as dconf keeps them, and shared by the two starts. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_dir, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--db", fixture->db_path,
                                       dataset ? "--dataset" : NULL, dataset, NULL);
  g_assert_no_error (error);
  return child;
}

/* Adds the "NAME VALUE" lines of @output to @facts; returns whether a line was @last. */
static gboolean
add_facts (const char *output,
           GHashTable *facts,
           const char *last)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  gboolean found = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (last != NULL && g_str_equal (lines[i], last))
        found = TRUE;
      if (space == NULL)
        continue;
      g_hash_table_insert (facts, g_strndup (lines[i], space - lines[i]),
                           g_strcompress (space + 1));
    }
  return found;
}

/* The child's output up to the line @last (byte by byte: nothing after it is read). */
static char *
read_until (GSubprocess *child,
            const char  *last)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (child);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *ending = g_strdup_printf ("\n%s\n", last);
  char c;

  while (!g_str_has_suffix (text->str, ending) &&
         g_input_stream_read (out, &c, 1, NULL, NULL) == 1)
    g_string_append_c (text, c);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GHashTable *
new_facts (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
log_facts (const char *start,
           GHashTable *facts)
{
  const char *names[] = { "page", "item", "comment", "preference", "score-a-Accuracy",
                          "score-a-Safety" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_test_message ("%s: %s “%s”", start, names[i],
                    (char *) g_hash_table_lookup (facts, names[i]));
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  const char *end = data;
  g_autoptr(GHashTable) before = new_facts ();
  g_autoptr(GHashTable) after = new_facts ();
  g_autoptr(GSubprocess) first = start_app (fixture, "judge", end, "second");
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *rest = NULL;
  const char *names[] = { "item", "comment", "preference", "score-a-Accuracy",
                          "score-a-Safety" };

  if (g_str_equal (end, "kill"))
    {
      output = read_until (first, "ready");
      g_assert_true (add_facts (output, before, "ready"));
      g_subprocess_send_signal (first, SIGKILL);
      g_subprocess_communicate_utf8 (first, NULL, NULL, &rest, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (first));
      g_assert_cmpint (g_subprocess_get_term_sig (first), ==, SIGKILL);
    }
  else
    {
      g_subprocess_communicate_utf8 (first, NULL, NULL, &output, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (add_facts (output, before, "exited 0"));
      g_assert_true (g_subprocess_get_successful (first));
    }
  log_facts ("first start", before);

  /* What the first start showed before it ended: the draft. */
  g_assert_cmpstr (g_hash_table_lookup (before, "page"), ==, "compare");
  g_assert_cmpstr (g_hash_table_lookup (before, "item"), ==, "s2");
  g_assert_cmpstr (g_hash_table_lookup (before, "comment"), ==, COMMENT);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (before, "preference"), "4 "));
  g_assert_cmpstr (g_hash_table_lookup (before, "score-a-Accuracy"), ==, "3");
  g_assert_cmpstr (g_hash_table_lookup (before, "score-a-Safety"), ==, "–");
  /* A draft: only the first item is submitted. */
  g_assert_cmpint (rounds_test_db_path_query_int (fixture->db_path,
                                                  "SELECT COUNT(*) FROM annotations"), ==, 1);

  second = start_app (fixture, "check", NULL, NULL);
  g_clear_pointer (&output, g_free);
  g_subprocess_communicate_utf8 (second, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (add_facts (output, after, "exited 0"));
  g_assert_true (g_subprocess_get_successful (second));
  log_facts ("second start", after);

  g_assert_cmpstr (g_hash_table_lookup (after, "page"), ==, "compare");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (g_hash_table_lookup (after, names[i]), ==,
                     g_hash_table_lookup (before, names[i]));
  g_assert_cmpint (rounds_test_db_path_query_int (fixture->db_path,
                                                  "SELECT COUNT(*) FROM annotations"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  const char *child = g_getenv ("ROUNDS_TEST_REOPEN_CHILD");

  /* Not a test program: the app, whose standard output is what it shows. */
  if (child != NULL)
    return run_child (child, argc, argv);

  rounds_test_gui_init (&argc, &argv);
  g_test_add ("/rounds/reopen/close", Fixture, "close", fixture_set_up, test_reopen,
              fixture_tear_down);
  g_test_add ("/rounds/reopen/kill", Fixture, "kill", fixture_set_up, test_reopen,
              fixture_tear_down);
  return rounds_test_gui_run ();
}
