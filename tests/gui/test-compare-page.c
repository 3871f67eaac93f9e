/* test-compare-page.c: the compare page scores on the dataset's own rubric range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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

typedef RoundsTestWindow Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up (fixture, fixture_jsonl);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  rounds_test_window_activate (fixture, action, parameter);
}

/* Chooses @value among the drop-down's items, as a person would. */
static void
choose (Fixture    *fixture,
        const char *dropdown_name,
        const char *value)
{
  GtkWidget *dropdown = rounds_test_focus_dropdown (GTK_WIDGET (fixture->window),
                                                     dropdown_name);
  GListModel *model;

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

/* @column of the submitted judgement of z1, as stored. */
static char *
query_submitted (Fixture    *fixture,
                 const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT a.%s FROM annotations a"
                                          " JOIN items i ON i.id = a.item_id WHERE i.key = ?1"
                                          " AND a.status = 'submitted'", column);

  return rounds_test_window_query (fixture, sql, "z1");
}

/* Opens the dataset at z1; @order gets the response shown at each position, canonical. */
static void
open_item (Fixture *fixture,
           guint    order[2])
{
  g_autoptr(GError) error = NULL;

  rounds_window_open_dataset (fixture->window, "ten");
  rounds_test_spin ();
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  g_assert_true (rounds_store_get_shown_order (fixture->store,
                                               rounds_window_get_item (fixture->window),
                                               "dr-test", order, &error));
  g_assert_no_error (error);
}

/* 0, 7 and 10 chosen on the compare page are stored as 0, 7 and 10, on the response that was
 * on screen where they were chosen. */
static void
test_rubric_range (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *scores = NULL;
  g_autofree char *expected = NULL;
  guint order[2];

  open_item (fixture, order);

  activate (fixture, "win.prefer", g_variant_new_int32 (2));
  choose (fixture, "Response A: Accuracy", "0");
  choose (fixture, "Response A: Clarity", "7");
  choose (fixture, "Response B: Accuracy", "10");
  /* Through the keyboard action too: 10 is in range, 11 is not and changes nothing. */
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 10));
  activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 11));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");

  scores = query_submitted (fixture, "scores_json");
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
  scores = query_submitted (fixture, "scores_json");
  g_assert_cmpstr (scores, ==, "[{\"accuracy\":0,\"clarity\":0},{\"accuracy\":0,\"clarity\":0}]");
}

/* A note typed and a flag clicked on a response card go with the judgement, on the response
 * that card shows. */
static void
test_card_note_and_flag (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *notes = NULL;
  g_autofree char *flags = NULL;
  GtkWidget *entry, *toggle;
  guint order[2];

  open_item (fixture, order);
  activate (fixture, "win.prefer", g_variant_new_int32 (2));
  for (int position = 0; position < 2; position++)
    {
      activate (fixture, "win.score", g_variant_new ("(isi)", position, "accuracy", 5));
      activate (fixture, "win.score", g_variant_new ("(isi)", position, "clarity", 5));
    }

  entry = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                   "Note on Response B");
  g_assert_true (GTK_IS_TEXT_VIEW (entry));
  rounds_test_set_text (entry, "Too vague");
  toggle = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                    "Response B: Unsafe");
  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  rounds_test_spin ();
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");

  notes = query_submitted (fixture, "notes_json");
  flags = query_submitted (fixture, "flags_json");
  /* Response B on screen is the canonical response order[1]. */
  if (order[1] == 1)
    {
      g_assert_cmpstr (notes, ==, "[null,\"Too vague\"]");
      g_assert_cmpstr (flags, ==, "[[],[\"unsafe\"]]");
    }
  else
    {
      g_assert_cmpstr (notes, ==, "[\"Too vague\",null]");
      g_assert_cmpstr (flags, ==, "[[\"unsafe\"],[]]");
    }
}

/* Reopens the window @width pixels wide (Xvfb has no window manager to resize one) at z1. */
static void
reopen_at_width (Fixture *fixture,
                 int      width)
{
  guint order[2];

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  open_item (fixture, order);
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));
}

/* A two-response item asks for no more than 600 px: the six points of the scale wrap, and
 * no other page (the review's queue and detail) widens the window. At 900 and at 600 px
 * Submit is on screen, whole. */
static void
test_narrow_window (Fixture       *fixture,
                    gconstpointer  data)
{
  const int widths[] = { 900, 600 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      GtkWidget *submit;
      graphene_rect_t bounds;
      int minimum;

      reopen_at_width (fixture, widths[i]);
      gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                          NULL, NULL, NULL);
      g_test_message ("%d px: the window needs %d px", widths[i], minimum);
      g_assert_cmpint (minimum, <=, 600);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, widths[i]);

      submit = rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                        rounds_test_is_button_for_action, "win.submit");
      g_assert_nonnull (submit);
      g_assert_true (gtk_widget_compute_bounds (submit, GTK_WIDGET (fixture->window), &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (GTK_WIDGET (fixture->window)));
    }
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, \
                                    rounds_test_window_tear_down)
  ADD ("/rounds/compare-page/rubric-range", test_rubric_range);
  ADD ("/rounds/compare-page/unscored-refused", test_unscored_refused);
  ADD ("/rounds/compare-page/card-note-and-flag", test_card_note_and_flag);
  ADD ("/rounds/compare-page/narrow-window", test_narrow_window);
#undef ADD

  return rounds_test_gui_run ();
}
