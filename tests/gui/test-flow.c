/* test-flow.c: a clinician's whole session by keyboard, with real key presses (xdotool)
 *
 * From a first start (typing a name) through two items judged entirely by keyboard (a pair
 * with a 1–5 and a 0–10 criterion, and three responses ranked), a skip, to a verdict on the
 * review page; then the rows in SQLite. Keys go through the X server (XTest), so mnemonics,
 * accelerators, bindings and the focus decide between them as they do for a person; no action
 * is activated and no widget is set by the test.
 *
 * meson builds the test with the project's buildtype, debugoptimized (-O2) unless set: the
 * optimisation of build-aux/run's build and of build-aux/test's first pass. The test says in
 * its log which it ran with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-compare-page.h"
#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"pairs\", \"title\": \"Pairs\", \"overlap\": 1,"
  " \"required\": [\"preference\", \"rubric\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 1, \"max\": 5},"
  " {\"id\": \"safety\", \"name\": \"Safety\", \"min\": 0, \"max\": 10}]}\n"
  "{\"id\": \"p1\", \"scenario\": \"What is the adult daily maximum of **paracetamol**?\","
  " \"responses\": [{\"text\": \"4 g a day.\"}, {\"text\": \"8 g a day.\"}]}\n"
  "{\"id\": \"p2\", \"scenario\": \"How often should feet be checked in diabetes?\","
  " \"responses\": [{\"text\": \"Every day.\"}, {\"text\": \"Once a year.\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"triple\", \"title\": \"Triple\", \"overlap\": 1,"
  " \"required\": [\"preference\", \"rubric\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 1, \"max\": 5}]}\n"
  "{\"id\": \"t1\", \"scenario\": \"Three answers\", \"responses\": [{\"text\": \"a\"},"
  " {\"text\": \"b\"}, {\"text\": \"c\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Ethics\", \"overlap\": 2}\n"
  "{\"id\": \"e1\", \"scenario\": \"A daughter asks for her father's diagnosis.\","
  " \"responses\": [{\"text\": \"Ask the father first.\"}, {\"text\": \"Tell her.\"}]}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": "
  "\"dr-amara\", \"preference\": -2}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": \"dr-lin\", "
  "\"preference\": 2}\n";

typedef RoundsTestWindow Fixture;

/* A first start: no profile yet. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up_as (fixture, fixture_jsonl, NULL, NULL, 0);
}

static void
press (Fixture    *fixture,
       const char *keys)
{
  rounds_test_xdotool (GTK_WINDOW (fixture->window), "key", "--clearmodifiers", keys, NULL);
}

/* A button's mnemonic (Alt+letter): GTK clicks the button a quarter of a second after the key
 * (ACTIVATE_TIMEOUT in gtkbutton.c, while it is drawn pressed), so the test waits, 10 s at
 * most, for what the click does (@done on @data) before the next key. */
static void
press_mnemonic (Fixture             *fixture,
                const char          *keys,
                RoundsTestCondition  done,
                gpointer             data)
{
  press (fixture, keys);
  rounds_test_wait_until (done, data, 10);
}

static void
type (Fixture    *fixture,
      const char *text)
{
  rounds_test_xdotool (GTK_WINDOW (fixture->window), "type", text, NULL);
}

static GtkWidget *
focus (Fixture *fixture)
{
  return rounds_test_focus (GTK_WINDOW (fixture->window));
}

static gboolean
focus_is_in_named (Fixture    *fixture,
                   const char *name)
{
  GtkWidget *target = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                               name);

  return target != NULL && focus (fixture) != NULL && gtk_widget_is_ancestor (focus (fixture),
                                                                               target);
}

static gboolean
focus_is_named (Fixture    *fixture,
                const char *name)
{
  GtkWidget *target = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                               name);

  return target != NULL && (focus (fixture) == target || focus_is_in_named (fixture, name));
}

/* To the datasets page (Enter on the finished page, else Alt+Home), then Down
 * until the row of the dataset titled @title has the focus: the list's order is the page's. */
static void
go_to_dataset (Fixture    *fixture,
               const char *title)
{
  if (g_str_equal (rounds_window_get_page (fixture->window), "finished"))
    press (fixture, "Return");  /* its Back button has the focus */
  else
    press (fixture, "alt+Home");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
  for (guint i = 0; i < 5; i++)
    {
      GtkWidget *row = focus (fixture);

      if (ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return;
      press (fixture, "Down");
    }
  g_error ("the row of %s never had the focus", title);
}

static gboolean
is_button_labelled_mapped (GtkWidget     *widget,
                           gconstpointer  label)
{
  return rounds_test_is_button_labelled (widget, label) && gtk_widget_get_mapped (widget);
}

static RoundsJudgement *
stored_judgement (Fixture    *fixture,
                  const char *dataset,
                  const char *key,
                  guint      *order)
{
  g_autoptr(RoundsItem) item = rounds_store_find_item (fixture->store, dataset, key, NULL);
  RoundsJudgement *judgement;

  g_assert_nonnull (item);
  g_assert_true (rounds_store_get_shown_order (fixture->store, item, "dr-flow", order, NULL));
  judgement = rounds_store_get_judgement (fixture->store, item, "dr-flow", NULL);
  g_assert_nonnull (judgement);
  return judgement;
}

static char *
query_annotation (Fixture    *fixture,
                  const char *column,
                  const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT a.%s FROM annotations a JOIN items i"
                                          " ON i.id = a.item_id JOIN annotators an"
                                          " ON an.id = a.annotator_id WHERE i.key = ?1"
                                          " AND an.user_name = 'dr-flow' AND a.is_current",
                                          column);

  return rounds_test_window_query (fixture, sql, key);
}

static gboolean
left_profile_page (gpointer data)
{
  Fixture *fixture = data;

  return !g_str_equal (rounds_window_get_page (fixture->window), "profile");
}

static void
first_start (Fixture *fixture)
{
  g_autofree char *name = NULL;
  g_autofree char *roles = NULL;

  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "profile");
  type (fixture, "Dr Flow");
  press (fixture, "Tab");
  type (fixture, "dr-flow");
  /* The role: a drop-down list opened with Space, its second entry chosen with the arrows. */
  press (fixture, "Tab");
  press (fixture, "space");
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));   /* the list drawn, open */
  press (fixture, "Down");
  press (fixture, "Return");
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));   /* the list closed */
  press_mnemonic (fixture, "alt+t", left_profile_page, fixture);   /* S_tart */
  name = rounds_test_window_query (fixture, "SELECT display_name FROM annotators"
                                            " WHERE user_name = ?1", "dr-flow");
  g_assert_cmpstr (name, ==, "Dr Flow");
  roles = rounds_test_window_query (fixture, "SELECT roles FROM annotators"
                                             " WHERE user_name = ?1", "dr-flow");
  g_test_message ("roles: %s", roles);
  g_assert_nonnull (strstr (roles, "reviewer"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
}

/* The pair: preference, four scores (one of them 10), a flag, a comment, Ctrl+Enter. */
static void
judge_pair (Fixture *fixture)
{
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autofree char *status = NULL;
  guint order[2];

  go_to_dataset (fixture, "Pairs");
  press (fixture, "Return");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p1");

  press (fixture, "2");        /* A better */
  press (fixture, "r");        /* Response A, its first criterion */
  g_assert_true (focus_is_in_named (fixture, "Response A: Accuracy"));
  press (fixture, "4");
  press (fixture, "Down");
  g_assert_true (focus_is_in_named (fixture, "Response A: Safety"));
  press (fixture, "1");
  press (fixture, "0");        /* 10 on the 0–10 criterion */
  press (fixture, "Right");
  g_assert_true (focus_is_in_named (fixture, "Response B: Safety"));
  press (fixture, "3");
  press (fixture, "Up");
  press (fixture, "2");
  press (fixture, "ctrl+1");   /* Unsafe, on Response B, whose score has the focus */
  press (fixture, "Down");
  press (fixture, "Tab");      /* past the rubric: the comment */
  g_assert_true (focus_is_named (fixture, "Comment"));
  type (fixture, "B doubles the dose");
  press (fixture, "ctrl+Return");

  status = query_annotation (fixture, "status", "p1");
  g_assert_cmpstr (status, ==, "submitted");
  judgement = stored_judgement (fixture, "pairs", "p1", order);
  g_assert_cmpint (judgement->preference, ==, order[0] == 0 ? -1 : 1);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 1), ==, 10);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[1], 0), ==, 2);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[1], 1), ==, 3);
  g_assert_cmpuint (judgement->flags[order[1]], ==, ROUNDS_FLAG_UNSAFE);
  g_assert_cmpuint (judgement->flags[order[0]], ==, 0);
  g_assert_cmpstr (judgement->comment, ==, "B doubles the dose");
}

static gboolean
skip_dialog_shown (gpointer data)
{
  return rounds_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* The next item of the pairs, skipped with Alt+S and a reason, Ctrl+Enter (last: Xvfb has no window
 * manager to give the window the focus back from the dialog). */
static void
skip_item (Fixture *fixture)
{
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  GtkWindow *dialog;

  go_to_dataset (fixture, "Pairs");
  press (fixture, "Return");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
  press_mnemonic (fixture, "alt+s", skip_dialog_shown, NULL);
  dialog = GTK_WINDOW (rounds_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  rounds_test_xdotool (dialog, "type", "Outside my specialty", NULL);
  rounds_test_xdotool (dialog, "key", "ctrl+Return", NULL);   /* Return is a new line */
  status = query_annotation (fixture, "status", "p2");
  g_assert_cmpstr (status, ==, "skipped");
  reason = query_annotation (fixture, "skip_reason", "p2");
  g_assert_cmpstr (reason, ==, "Outside my specialty");
}

/* Three responses: ranked with digits, scored, flagged, commented, submitted. */
static void
judge_triple (Fixture *fixture)
{
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autofree char *status = NULL;
  guint order[3];

  go_to_dataset (fixture, "Triple");
  press (fixture, "Return");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "t1");

  press (fixture, "2");        /* A second, */
  press (fixture, "1");        /* B first, */
  press (fixture, "3");        /* C third */
  press (fixture, "r");        /* back at A: its score */
  g_assert_true (focus_is_in_named (fixture, "Response A: Accuracy"));
  press (fixture, "4");
  press (fixture, "Right");
  press (fixture, "5");
  press (fixture, "Right");
  press (fixture, "1");
  press (fixture, "c");        /* Response C (it has the focus already): */
  press (fixture, "ctrl+2");   /* factually wrong */
  press (fixture, "Tab");
  g_assert_true (focus_is_named (fixture, "Comment"));
  type (fixture, "C is wrong");
  press (fixture, "ctrl+Return");

  status = query_annotation (fixture, "status", "t1");
  g_assert_cmpstr (status, ==, "submitted");
  judgement = stored_judgement (fixture, "triple", "t1", order);
  g_assert_cmpint (judgement->ranks[order[0]], ==, 2);
  g_assert_cmpint (judgement->ranks[order[1]], ==, 1);
  g_assert_cmpint (judgement->ranks[order[2]], ==, 3);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[1], 0), ==, 5);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[2], 0), ==, 1);
  g_assert_cmpuint (judgement->flags[order[2]], ==, ROUNDS_FLAG_FACTUALLY_WRONG);
  g_assert_cmpuint (judgement->flags[order[0]] | judgement->flags[order[1]], ==, 0);
  g_assert_cmpstr (judgement->comment, ==, "C is wrong");
}

/* Tab until the focus is in @target, at most 20 times; no text block on the way may have its
 * text selected by the focus (a selectable label selects all of it when it takes the focus). */
static void
tab_to (Fixture   *fixture,
        GtkWidget *target)
{
  g_assert_nonnull (target);
  for (guint i = 0; i < 20; i++)
    {
      GtkWidget *widget = focus (fixture);

      if (widget != NULL && (widget == target || gtk_widget_is_ancestor (widget, target)))
        return;
      if (GTK_IS_LABEL (widget))
        g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (widget), NULL, NULL));
      press (fixture, "Tab");
    }
  g_error ("Tab never reached %s", G_OBJECT_TYPE_NAME (target));
}

/* The review of the ethics dataset, reached from its row; a verdict typed and recorded. */
static void
record_verdict (Fixture *fixture)
{
  g_autofree char *rationale = NULL;
  g_autofree char *preference = NULL;
  g_autofree char *reviewer = NULL;
  GtkWidget *review;
  GtkWidget *final;

  go_to_dataset (fixture, "Ethics");
  review = rounds_test_find_widget (GTK_WIDGET (fixture->window), is_button_labelled_mapped,
                                    "Review");
  g_assert_nonnull (review);
  for (guint i = 0; i < 4 && focus (fixture) != review; i++)
    press (fixture, "Tab");
  g_assert_true (focus (fixture) == review);
  press (fixture, "Return");
  rounds_test_window_wait_review (fixture);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "review");

  /* Tab from the top of the item to the "Final preference" drop-down, past text blocks that
   * take no focus and none selected by it; Space opens its list, Down three times is Tie (the
   * fourth choice after "Choose…"), Return chooses it; Tab past the collapsed rubric to the
   * rationale. */
  final = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_dropdown_named,
                                   "Final preference");
  tab_to (fixture, final);
  press (fixture, "space");
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));   /* the list drawn, open */
  press (fixture, "Down");
  press (fixture, "Down");
  press (fixture, "Down");
  press (fixture, "Return");
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));   /* the list closed */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (final)), ==, 3);
  tab_to (fixture, rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                            "Rationale"));
  type (fixture, "Both defensible; ask the father");
  press (fixture, "ctrl+Return");
  rounds_test_window_wait_review (fixture);

  rationale = rounds_test_window_query (fixture, "SELECT a.rationale FROM adjudications a JOIN"
                                                 " items i ON i.id = a.item_id WHERE i.key = ?1",
                                       "e1");
  g_assert_cmpstr (rationale, ==, "Both defensible; ask the father");
  preference = rounds_test_window_query (fixture, "SELECT a.preference FROM adjudications a JOIN"
                                                  " items i ON i.id = a.item_id WHERE i.key = ?1",
                                         "e1");
  g_assert_cmpstr (preference, ==, "0");
  reviewer = rounds_test_window_query (fixture, "SELECT an.user_name FROM adjudications a JOIN"
                                                " annotators an ON an.id = a.reviewer_id",
                                       NULL);
  g_assert_cmpstr (reviewer, ==, "dr-flow");
}

static void
test_whole_flow (Fixture       *fixture,
                 gconstpointer  data)
{
#ifdef __OPTIMIZE__
  g_test_message ("built with optimisation (__OPTIMIZE__), as build-aux/run's build");
#else
  g_test_message ("built without optimisation: build-aux/run's build is debugoptimized");
#endif
  /* The app's own choice unless GSK_RENDERER is set: cairo on a software OpenGL. */
  g_test_message ("renderer: %s",
                  G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (fixture->window))));
  first_start (fixture);
  judge_pair (fixture);
  judge_triple (fixture);
  record_verdict (fixture);
  skip_item (fixture);
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add ("/rounds/flow/whole-session-by-keyboard", Fixture, NULL, fixture_set_up,
              test_whole_flow, rounds_test_window_tear_down);

  return rounds_test_gui_run ();
}
