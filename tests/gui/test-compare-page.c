/* test-compare-page.c: the compare page scores on the dataset's own rubric range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "rounds-application.h"
#include "rounds-import.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

/* A rubric from 0 to 10, where 0 is a score and not "not scored". */
static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ten\", \"title\": \"Ten\", \"overlap\": 1,"
  " \"required\": [\"preference\", \"rubric\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 0, \"max\": 10},"
  "              {\"id\": \"clarity\", \"name\": \"Clarity\", \"min\": 0, \"max\": 10}]}\n"
  "{\"id\": \"z1\", \"scenario\": \"How often should a person with diabetes check their feet?\","
  " \"responses\": [{\"text\": \"Every day.\"}, {\"text\": \"Once a year.\"}]}\n";

/* One application for the whole run: it is exported on the session bus once. */
static RoundsApplication *shared_app;

typedef struct
{
  char              *dir;
  char              *db_path;
  RoundsStore       *store;
  RoundsApplication *app;
  RoundsWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsProfile) profile = rounds_profile_new ("dr-test", "Dr Test",
                                                         ROUNDS_ROLE_ANNOTATOR, NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  RoundsImportResult result;

  fixture->dir = g_dir_make_tmp ("rounds-gui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "rounds.db", NULL);
  path = g_build_filename (fixture->dir, "fixture.jsonl", NULL);
  g_file_set_contents (path, fixture_jsonl, -1, &error);
  g_assert_no_error (error);

  fixture->store = rounds_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  rounds_importer_run (importer, fixture->store, file, &result, NULL, &error);
  g_assert_no_error (error);
  rounds_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);
  rounds_store_set_current_profile (fixture->store, "dr-test", &error);
  g_assert_no_error (error);

  fixture->app = g_object_ref (shared_app);
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  g_clear_object (&fixture->app);
  g_assert_finalize_object (fixture->store);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action,
                                                     parameter));
  rounds_test_spin ();
}

/* The drop-down whose accessible name is @name, e.g. "Response A: Accuracy". */
static gboolean
is_dropdown_named (GtkWidget     *widget,
                   gconstpointer  name)
{
  g_autofree char *differs = NULL;

  if (!GTK_IS_DROP_DOWN (widget))
    return FALSE;
  differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  return differs == NULL;
}

/* Chooses @value among the drop-down's items, as a person would. */
static void
choose (Fixture    *fixture,
        const char *dropdown_name,
        const char *value)
{
  GtkWidget *dropdown = rounds_test_find_widget (GTK_WIDGET (fixture->window), is_dropdown_named,
                                                 dropdown_name);
  GListModel *model;

  g_assert_nonnull (dropdown);
  model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), value))
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        rounds_test_spin ();
        return;
      }
  g_error ("%s offers no %s", dropdown_name, value);
}

static char *
query_scores (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT a.scores_json FROM annotations a"
                                       " JOIN items i ON i.id = a.item_id WHERE i.key = 'z1'"
                                       " AND a.status = 'submitted'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* 0, 7 and 10 chosen on the compare page are stored as 0, 7 and 10, on the response that was
 * on screen where they were chosen. */
static void
test_rubric_range (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scores = NULL;
  g_autofree char *expected = NULL;
  RoundsItem *item;
  guint order[2];

  rounds_window_open_dataset (fixture->window, "ten");
  rounds_test_spin ();
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  item = rounds_window_get_item (fixture->window);
  g_assert_true (rounds_store_get_shown_order (fixture->store, item, "dr-test", order, &error));
  g_assert_no_error (error);

  activate (fixture, "win.prefer", g_variant_new_int32 (2));
  choose (fixture, "Response A: Accuracy", "0");
  choose (fixture, "Response A: Clarity", "7");
  choose (fixture, "Response B: Accuracy", "10");
  /* Through the keyboard action too: 10 is in range, 11 is not and changes nothing. */
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 10));
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 11));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");

  scores = query_scores (fixture);
  g_assert_nonnull (scores);
  if (order[0] == 0)
    expected = g_strdup ("[{\"accuracy\":0,\"clarity\":7},{\"accuracy\":10,\"clarity\":10}]");
  else
    expected = g_strdup ("[{\"accuracy\":10,\"clarity\":10},{\"accuracy\":0,\"clarity\":7}]");
  g_assert_cmpstr (scores, ==, expected);
}

/* Without a score the judgement is not complete: 0 counts as a score, "–" does not. */
static void
test_unscored_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *scores = NULL;

  rounds_window_open_dataset (fixture->window, "ten");
  rounds_test_spin ();
  activate (fixture, "win.prefer", g_variant_new_int32 (3));
  choose (fixture, "Response A: Accuracy", "0");
  choose (fixture, "Response A: Clarity", "0");
  choose (fixture, "Response B: Accuracy", "0");
  choose (fixture, "Response B: Clarity", "–");
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");

  /* A score below the minimum clears it, as 0 does on a 1–5 rubric. */
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 0));
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "accuracy", -1));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "accuracy", 0));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");
  scores = query_scores (fixture);
  g_assert_cmpstr (scores, ==, "[{\"accuracy\":0,\"clarity\":0},{\"accuracy\":0,\"clarity\":0}]");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  shared_app = rounds_application_new ();
  g_application_register (G_APPLICATION (shared_app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/compare-page/rubric-range", test_rubric_range);
  ADD ("/rounds/compare-page/unscored-refused", test_unscored_refused);
#undef ADD

  status = g_test_run ();
  g_clear_object (&shared_app);
  return status;
}
