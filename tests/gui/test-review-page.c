/* test-review-page.c: the reviewer's page: no verdict chosen in advance, the reviewer's own
 * order of the responses, verdicts recorded by keyboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-review-entry.h"
#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

#define N_PAIRS 12
/* dr-lin's comment on e08, which makes that card taller than dr-amara's */
#define LONG_COMMENT ", \"comment\": \"The first answer skips the capacity assessment, " \
  "which the guidance puts before any disclosure; the second asks for it, names who may " \
  "be told, and says what to record in the notes afterwards.\""

typedef RoundsTestWindow Fixture;

/* N_PAIRS disputed pairs (dr-amara: A much better, dr-lin: B better, both canonical, with
 * rubric scores; dr-lin with a long comment on e08) and a disputed triple; the reviewer
 * dr-rev signed in, on the review page of "ethics". */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) jsonl = g_string_new ("{\"type\": \"dataset\", \"id\": \"ethics\", "
                                           "\"title\": \"Ethics\", \"overlap\": 2}\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_PAIRS; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"e%02u\", \"scenario\": \"Scenario %u\", \"responses\": "
                            "[{\"text\": \"first of %u\", \"model\": \"model-one\"}, "
                            "{\"text\": \"second of %u\", \"model\": \"model-two\"}]}\n"
                            "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": "
                            "\"e%02u\", \"annotator\": \"dr-amara\", \"preference\": -2, "
                            "\"scores\": {\"a\": {\"accuracy\": 5, \"safety\": 4}, "
                            "\"b\": {\"accuracy\": 2}}}\n"
                            "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": "
                            "\"e%02u\", \"annotator\": \"dr-lin\", \"preference\": 1, "
                            "\"scores\": {\"a\": {\"accuracy\": 3}, "
                            "\"b\": {\"accuracy\": 1, \"safety\": 2}}%s}\n",
                            i, i, i, i, i, i, i == 8 ? LONG_COMMENT : "");
  g_string_append (jsonl,
                   "{\"id\": \"t1\", \"scenario\": \"Three answers\", \"responses\": "
                   "[{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}]}\n"
                   "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"t1\", "
                   "\"annotator\": \"dr-amara\", \"ranking\": {\"a\": 1, \"b\": 2, \"c\": 3}}\n"
                   "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"t1\", "
                   "\"annotator\": \"dr-lin\", \"ranking\": {\"a\": 3, \"b\": 2, \"c\": 1}}\n");

  rounds_test_window_set_up_as (fixture, jsonl->str, "dr-rev", "Dr Reviewer",
                                ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
  rounds_test_store_add_profile (fixture->store, "dr-rev2", "Dr Second",
                                 ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
}

static RoundsReviewPage *
page (Fixture *fixture)
{
  return ROUNDS_REVIEW_PAGE (rounds_window_get_review_page (fixture->window));
}

/* A label on screen (not, say, an item of a drop-down's closed list) that contains @text. */
static gboolean
is_shown_label_containing (GtkWidget     *widget,
                           gconstpointer  text)
{
  return rounds_test_is_label_containing (widget, text) && gtk_widget_get_mapped (widget);
}

/* A label, or a line of a queue row (an inscription), on screen, that shows @text. */
static gboolean
is_shown_label_equal (GtkWidget     *widget,
                      gconstpointer  text)
{
  const char *shown = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                      : GTK_IS_INSCRIPTION (widget)
                        ? gtk_inscription_get_text (GTK_INSCRIPTION (widget))
                        : NULL;

  return gtk_widget_get_mapped (widget) && g_strcmp0 (shown, text) == 0;
}

static gboolean
is_spinner (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_SPINNER (widget);
}

static gboolean
is_criteria_table (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_GRID (widget) && gtk_widget_has_css_class (widget, "criteria-table");
}

static GtkDropDown *
dropdown (Fixture    *fixture,
          const char *name)
{
  GtkWidget *found = rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                              rounds_test_is_dropdown_named, name);

  g_assert_nonnull (found);
  return GTK_DROP_DOWN (found);
}

/* The rationale: a multi-line field. */
static GtkWidget *
rationale (Fixture *fixture)
{
  GtkWidget *view = rounds_test_find_widget (GTK_WIDGET (page (fixture)), rounds_test_is_named,
                                             "Rationale");

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  return view;
}

/* The position of item @key in the queue. */
static guint
queue_position (Fixture    *fixture,
                const char *key)
{
  GListModel *queue = rounds_review_page_get_queue (page (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(RoundsReviewEntry) entry = g_list_model_get_item (queue, i);

      if (g_strcmp0 (rounds_review_entry_get_dispute (entry)->item_key, key) == 0)
        return i;
    }
  g_assert_not_reached ();
}

/* Selects the queue's item @key. */
static void
select_item (Fixture    *fixture,
             const char *key)
{
  g_assert_true (rounds_review_page_select (page (fixture), queue_position (fixture, key)));
  rounds_test_spin ();
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page (fixture))), ==, key);
}

static char *
query_verdict (Fixture    *fixture,
               const char *column,
               const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM adjudications a JOIN items i"
                                          " ON i.id = a.item_id WHERE i.key = ?1", column);

  return rounds_test_window_query (fixture, sql, key);
}

static void
save_verdict (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "review.save-verdict",
                                             NULL));
  rounds_test_window_wait_review (fixture);
}

/* No "Tie" and no 1, 2, 3 in advance: the reviewer chooses, beside what the annotators
 * said; a verdict without a choice is not recorded. */
static void
test_nothing_preselected (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *none = NULL;
  g_autofree char *ranks = NULL;
  const char *names[] = { "Response A", "Response B", "Response C" };

  select_item (fixture, "e00");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==, 0);
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             rounds_test_is_label_starting, "Annotators: "));
  rounds_test_set_text (rationale (fixture), "Consent first.");
  save_verdict (fixture);
  none = query_verdict (fixture, "count(*)", "e00");
  g_assert_cmpstr (none, ==, "0");

  select_item (fixture, "t1");
  for (guint p = 0; p < G_N_ELEMENTS (names); p++)
    g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, names[p])), ==, 0);
  /* Both annotators: mean rank 2 for the middle response, in any order. */
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             rounds_test_is_label_containing, "mean rank"));
  rounds_test_set_text (rationale (fixture), "The order of safety.");
  gtk_drop_down_set_selected (dropdown (fixture, "Response A"), 1);
  gtk_drop_down_set_selected (dropdown (fixture, "Response B"), 2);
  save_verdict (fixture);
  none = query_verdict (fixture, "count(*)", "t1");
  g_assert_cmpstr (none, ==, "0");

  select_item (fixture, "t1");
  gtk_drop_down_set_selected (dropdown (fixture, "Response C"), 3);
  save_verdict (fixture);
  ranks = query_verdict (fixture, "a.ranking_json", "t1");
  g_assert_nonnull (ranks);
}

/* The reviewer's order: the same each time, not always the canonical one, another
 * reviewer's differs; the annotators' judgements and the verdict follow it. */
static void
test_reviewer_order (Fixture       *fixture,
                     gconstpointer  data)
{
  guint first[N_PAIRS][2];
  guint n_swapped = 0, n_differ = 0;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *key = g_strdup_printf ("e%02u", i);
      g_autofree char *text = NULL;
      const guint *order;
      gboolean swapped;

      select_item (fixture, key);
      order = rounds_review_page_get_order (page (fixture));
      g_assert_nonnull (order);
      memcpy (first[i], order, sizeof first[i]);
      swapped = order[0] == 1;
      n_swapped += swapped;

      /* Response A on screen is the canonical order[0]; its text says which. */
      text = g_strdup_printf ("%s of %u", swapped ? "second" : "first", i);
      g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                                 rounds_test_is_label_starting, text));
      /* dr-amara said canonical A much better: on this screen, that response's letter. */
      g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                                 is_shown_label_containing,
                                                 swapped ? "B much better" : "A much better"));
      g_assert_null (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                              is_shown_label_containing,
                                              swapped ? "A much better" : "B much better"));
      /* Model names stay hidden. */
      g_assert_null (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                              is_shown_label_containing, "model-"));
    }
  g_test_message ("%u of %u pairs shown swapped", n_swapped, N_PAIRS);
  g_assert_cmpuint (n_swapped, >, 0);
  g_assert_cmpuint (n_swapped, <, N_PAIRS);

  /* The same again. */
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *key = g_strdup_printf ("e%02u", i);

      select_item (fixture, key);
      g_assert_cmpmem (rounds_review_page_get_order (page (fixture)), sizeof first[i],
                       first[i], sizeof first[i]);
    }

  /* "A better" on this screen, where A is the second canonical response, is stored as the
   * second better. */
  for (guint i = 0; i < N_PAIRS; i++)
    if (first[i][0] == 1)
      {
        g_autofree char *key = g_strdup_printf ("e%02u", i);
        g_autofree char *preference = NULL;

        select_item (fixture, key);
        gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 2);   /* A better */
        rounds_test_set_text (rationale (fixture), "A is better.");
        save_verdict (fixture);
        preference = query_verdict (fixture, "a.preference", key);
        g_assert_cmpstr (preference, ==, "1");
        break;
      }

  /* Another reviewer. */
  rounds_store_set_current_profile (fixture->store, "dr-rev2", &error);
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_test_gui_open_window (fixture->store);
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
  for (guint i = 0; i < N_PAIRS; i++)
    {
      g_autofree char *key = g_strdup_printf ("e%02u", i);

      select_item (fixture, key);
      n_differ += rounds_review_page_get_order (page (fixture))[0] != first[i][0];
    }
  g_test_message ("%u of %u pairs in another order for another reviewer", n_differ, N_PAIRS);
  g_assert_cmpuint (n_differ, >, 0);
}

/* Reopening an item with a verdict shows its choice and rationale. */
static void
test_reopen_shows_verdict (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *text = NULL;
  const guint *order;
  guint selected;

  select_item (fixture, "e03");
  gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 6);   /* both unacceptable */
  rounds_test_set_text (rationale (fixture), "Neither asks for consent.");
  save_verdict (fixture);
  select_item (fixture, "e03");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==, 6);
  text = rounds_test_text_of (rationale (fixture));
  g_assert_cmpstr (text, ==, "Neither asks for consent.");
  g_clear_pointer (&text, g_free);

  select_item (fixture, "e04");
  order = rounds_review_page_get_order (page (fixture));
  selected = order[0] == 0 ? 1 : 5;   /* canonical -2: A much better */
  rounds_review_page_set_verdict (page (fixture), -2, "The first is safe.");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==,
                    selected);
  save_verdict (fixture);
  select_item (fixture, "e04");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==,
                    selected);
  text = rounds_test_text_of (rationale (fixture));
  g_assert_cmpstr (text, ==, "The first is safe.");
}

/* The rationale is a multi-line field: Enter starts a line, Ctrl+Enter records the verdict
 * when it is complete (a choice and a rationale), Escape leaves the field for the scenario,
 * with nothing selected: real key presses. */
static void
test_enter_records (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  g_autofree char *text = NULL;
  g_autofree char *none = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GtkWidget *focus;

  select_item (fixture, "e05");
  gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 3);   /* Tie */
  g_assert_true (gtk_widget_grab_focus (rationale (fixture)));
  rounds_test_xdotool (window, "type", "Equal in substance.", NULL);
  rounds_test_xdotool (window, "key", "Return", NULL);
  rounds_test_xdotool (window, "type", "Both ask first.", NULL);
  rounds_test_window_wait_review (fixture);
  none = query_verdict (fixture, "count(*)", "e05");
  g_assert_cmpstr (none, ==, "0");
  text = rounds_test_text_of (rationale (fixture));
  g_assert_cmpstr (text, ==, "Equal in substance.\nBoth ask first.");
  g_assert_true (gtk_widget_is_ancestor (rounds_test_focus (window), rationale (fixture)) ||
                 rounds_test_focus (window) == rationale (fixture));
  rounds_test_xdotool (window, "key", "ctrl+Return", NULL);
  rounds_test_window_wait_review (fixture);
  first = query_verdict (fixture, "a.rationale", "e05");
  g_assert_cmpstr (first, ==, "Equal in substance.\nBoth ask first.");

  /* Without a choice, Ctrl+Enter records nothing; Escape, then the choice, then Ctrl+Enter
   * from the page. */
  select_item (fixture, "e06");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==, 0);
  g_assert_true (gtk_widget_grab_focus (rationale (fixture)));
  rounds_test_xdotool (window, "type", "Both are fine", NULL);
  rounds_test_xdotool (window, "key", "ctrl+Return", NULL);
  rounds_test_window_wait_review (fixture);
  g_clear_pointer (&none, g_free);
  none = query_verdict (fixture, "count(*)", "e06");
  g_assert_cmpstr (none, ==, "0");
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page (fixture))), ==, "e06");
  rounds_test_xdotool (window, "key", "Escape", NULL);
  /* to the scenario, none of whose text the focus selects */
  focus = rounds_test_focus (window);
  g_assert_true (GTK_IS_LABEL (focus));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (focus)), ==, "Scenario 6");
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (focus), NULL, NULL));
  gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 3);
  rounds_test_xdotool (window, "key", "ctrl+Return", NULL);
  rounds_test_window_wait_review (fixture);
  second = query_verdict (fixture, "a.rationale", "e06");
  g_assert_cmpstr (second, ==, "Both are fine");
}

/* The page shows its progress while the queue is read in a thread, as text (a spinner would
 * ask for a frame 60 times a second), and nothing of the old queue; then the queue, drawn in
 * a frame of its own before the first item is shown, with its row on screen. */
static void
test_loads_async (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsReviewEntry) first = NULL;
  GtkWidget *progress;

  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  /* Back in the main loop at once, before anything was read. */
  g_assert_true (rounds_review_page_get_loading (page (fixture)));
  g_assert_cmpuint (rounds_review_page_get_n_items (page (fixture)), ==, 0);
  g_assert_null (rounds_review_page_get_item (page (fixture)));
  g_assert_null (rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_spinner, NULL));
  progress = rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_shown_label_containing,
                                      "Reading the judgements");
  g_assert_nonnull (progress);

  /* The queue is there; its first item waits for the frame that draws the queue. */
  while (rounds_review_page_get_n_items (page (fixture)) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gtk_widget_get_child_visible (gtk_widget_get_parent (progress)));
  g_assert_null (rounds_review_page_get_item (page (fixture)));
  g_assert_true (rounds_review_page_get_loading (page (fixture)));

  rounds_test_window_wait_review (fixture);
  g_assert_cmpuint (rounds_review_page_get_n_items (page (fixture)), ==, N_PAIRS + 1);
  first = g_list_model_get_item (rounds_review_page_get_queue (page (fixture)), 0);
  g_assert_nonnull (rounds_review_page_get_item (page (fixture)));
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page (fixture))), ==,
                   rounds_review_entry_get_dispute (first)->item_key);
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_shown_label_equal,
                                             rounds_review_entry_get_title (first)));
  /* The agreement came after the queue, with what alpha means. */
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             is_shown_label_containing, "Krippendorff’s α,"));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             is_shown_label_containing,
                                             "at least 0.8 is reliable"));
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n_changes)
{
  (*n_changes)++;
}

/* A verdict changes its own row and the count of items with a verdict; the queue is not read
 * again (the same entries, no change to the list) and the next item is shown. */
static void
test_verdict_updates_row (Fixture       *fixture,
                          gconstpointer  data)
{
  GListModel *queue = rounds_review_page_get_queue (page (fixture));
  g_autoptr(RoundsReviewEntry) entry = NULL;
  g_autoptr(RoundsReviewEntry) after = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row_line;
  guint position = queue_position (fixture, "e02");
  guint n_changes = 0;

  entry = g_list_model_get_item (queue, position);
  subtitle = rounds_review_entry_dup_subtitle (entry);
  g_assert_false (g_str_has_prefix (subtitle, "✓"));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             is_shown_label_containing, "0 with a verdict"));
  g_signal_connect (queue, "items-changed", G_CALLBACK (count_changes), &n_changes);

  select_item (fixture, "e02");
  gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 1);
  rounds_test_set_text (rationale (fixture), "Safer.");
  save_verdict (fixture);

  g_signal_handlers_disconnect_by_func (queue, count_changes, &n_changes);
  g_assert_cmpuint (n_changes, ==, 0);
  after = g_list_model_get_item (queue, position);
  g_assert_true (after == entry);
  g_assert_true (rounds_review_entry_get_has_verdict (entry));
  g_clear_pointer (&subtitle, g_free);
  subtitle = rounds_review_entry_dup_subtitle (entry);
  g_assert_true (g_str_has_prefix (subtitle, "✓"));
  /* The row on screen follows its entry, and tells a screen reader. */
  row_line = rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_shown_label_equal,
                                      subtitle);
  g_assert_nonnull (row_line);
  g_assert_null (gtk_test_accessible_check_property (
                   GTK_ACCESSIBLE (gtk_widget_get_parent (row_line)),
                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                             is_shown_label_containing, "1 with a verdict"));
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page (fixture))), !=, "e02");
}

/* The item after a verdict comes a part a frame (the scenario, the responses, then the
 * judgements and the verdict controls): meanwhile the page is busy, the controls are not
 * on screen, and Record Verdict records nothing, since its controls would still be the
 * previous item's; then the item is whole, with nothing chosen for it. */
static gboolean
item_changed (gpointer data)
{
  Fixture *fixture = data;
  RoundsItem *item = rounds_review_page_get_item (page (fixture));

  return item != NULL && g_strcmp0 (rounds_item_get_key (item), "e02") != 0;
}

static void
test_next_item_in_frames (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *key = NULL;
  g_autofree char *none = NULL;
  g_autofree char *text = NULL;

  select_item (fixture, "e02");
  g_assert_true (rounds_review_page_get_item_whole (page (fixture)));
  gtk_drop_down_set_selected (dropdown (fixture, "Final preference"), 1);
  rounds_test_set_text (rationale (fixture), "Safer.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "review.save-verdict",
                                             NULL));
  rounds_test_wait_until (item_changed, fixture, 30);
  key = g_strdup (rounds_item_get_key (rounds_review_page_get_item (page (fixture))));

  g_assert_false (rounds_review_page_get_item_whole (page (fixture)));
  g_assert_true (rounds_review_page_get_loading (page (fixture)));
  g_assert_false (gtk_widget_get_mapped (rationale (fixture)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page (fixture)), "review.save-verdict",
                                             NULL));
  rounds_test_window_wait_review (fixture);
  none = query_verdict (fixture, "count(*)", key);
  g_assert_cmpstr (none, ==, "0");

  g_assert_true (rounds_review_page_get_item_whole (page (fixture)));
  g_assert_true (gtk_widget_get_mapped (rationale (fixture)));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (fixture, "Final preference")), ==, 0);
  text = rounds_test_text_of (rationale (fixture));
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page (fixture))), ==, key);
}

/* The text of the criteria table's cell at @column, @row. */
static const char *
cell (GtkWidget *table,
      int        column,
      int        row)
{
  GtkWidget *child = gtk_grid_get_child_at (GTK_GRID (table), column, row);

  g_assert_true (GTK_IS_LABEL (child));
  return gtk_label_get_text (GTK_LABEL (child));
}

/* The rubric as criteria down, annotators across, a column per response in the reviewer's
 * letters: dr-amara gave the first response accuracy 5 and safety 4 and the second accuracy
 * 2; dr-lin 3, and 1 and safety 2. */
static void
test_criteria_table (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *table;
  const guint *order;

  select_item (fixture, "e07");
  order = rounds_review_page_get_order (page (fixture));
  table = rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_criteria_table, NULL);
  g_assert_nonnull (table);
  g_assert_true (gtk_widget_get_mapped (table));

  g_assert_cmpstr (cell (table, 1, 0), ==, "Annotator 1");
  g_assert_cmpstr (cell (table, 3, 0), ==, "Annotator 2");
  g_assert_cmpstr (cell (table, 0, 2), ==, "Accuracy");
  g_assert_cmpstr (cell (table, 0, 3), ==, "Safety");
  g_assert_cmpstr (cell (table, 0, 7), ==, "Clarity");
  for (guint p = 0; p < 2; p++)
    {
      gboolean first = order[p] == 0;

      g_assert_cmpstr (cell (table, 1 + p, 1), ==, p == 0 ? "A" : "B");
      g_assert_cmpstr (cell (table, 1 + p, 2), ==, first ? "5" : "2");
      g_assert_cmpstr (cell (table, 1 + p, 3), ==, first ? "4" : "–");
      g_assert_cmpstr (cell (table, 3 + p, 2), ==, first ? "3" : "1");
      g_assert_cmpstr (cell (table, 3 + p, 3), ==, first ? "–" : "2");
      g_assert_cmpstr (cell (table, 1 + p, 7), ==, "–");
    }

  /* With names shown, the columns are headed by them. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (rounds_test_find_widget (
                                  GTK_WIDGET (page (fixture)), rounds_test_is_button_labelled,
                                  "Show _Names")), TRUE);
  table = rounds_test_find_widget (GTK_WIDGET (page (fixture)), is_criteria_table, NULL);
  g_assert_cmpstr (cell (table, 1, 0), ==, "dr-amara");
  g_assert_cmpstr (cell (table, 3, 0), ==, "dr-lin");
}

/* The widgets under @widget, on screen, with the style class @css_class, in order. */
static void
collect_class (GtkWidget  *widget,
               const char *css_class,
               GPtrArray  *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_class (child, css_class, found);
}

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *target)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, target, &bounds));
  return bounds;
}

/* The window again, @width wide (Xvfb has no window manager to resize one), on the review
 * page of "ethics". */
static void
reopen_at_width (Fixture *fixture,
                 int      width)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
}

/* Item @key's responses as they are on screen: one above the other when @stacked, else side
 * by side; and the whole page, Record Verdict included, inside the window. */
static void
assert_responses_laid_out (Fixture    *fixture,
                           const char *key,
                           gboolean    stacked)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  guint n;
  GtkWidget *record;
  graphene_rect_t bounds;
  int min_width;

  select_item (fixture, key);
  rounds_test_wait_frames (window);
  n = rounds_item_get_n_responses (rounds_review_page_get_item (page (fixture)));
  g_test_message ("%s in a window %d px wide: %u responses %s", key,
                  gtk_widget_get_width (window), n, stacked ? "stacked" : "side by side");
  g_assert_true (rounds_review_page_get_stacked (page (fixture)) == stacked);
  collect_class (GTK_WIDGET (page (fixture)), "response-card", cards);
  g_assert_cmpuint (cards->len, ==, n);
  for (guint i = 1; i < cards->len; i++)
    {
      graphene_rect_t before = bounds_in (cards->pdata[i - 1], window);
      graphene_rect_t card = bounds_in (cards->pdata[i], window);

      if (stacked)
        {
          g_assert_cmpfloat (card.origin.y, >=, before.origin.y + before.size.height);
          g_assert_cmpfloat_with_epsilon (card.origin.x, before.origin.x, 0.5);
        }
      else
        {
          g_assert_cmpfloat (card.origin.x, >=, before.origin.x + before.size.width);
          g_assert_cmpfloat_with_epsilon (card.origin.y, before.origin.y, 0.5);
        }
    }

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, gtk_widget_get_width (window));
  record = rounds_test_find_widget (GTK_WIDGET (page (fixture)),
                                    rounds_test_is_button_for_action, "review.save-verdict");
  g_assert_nonnull (record);
  bounds = bounds_in (record, window);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
}

/* At 900 px the responses are one above the other, as on the compare page (the queue takes
 * 300 of them); at 1 920 (or as wide as the screen allows) side by side, two or three. */
static void
test_narrow_stacks (Fixture       *fixture,
                    gconstpointer  data)
{
  reopen_at_width (fixture, 900);
  /* the window less its shadow */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 900);
  assert_responses_laid_out (fixture, "e01", TRUE);
  assert_responses_laid_out (fixture, "t1", TRUE);

  reopen_at_width (fixture, 1920);
  /* as wide as the screen allows: the test's Xvfb screen may be narrower (1 600 px) */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), >=, 1500);
  assert_responses_laid_out (fixture, "e01", FALSE);
  assert_responses_laid_out (fixture, "t1", FALSE);
}

/* The judgement cards are padded and as tall as their own text: on e08 dr-lin's comment
 * makes that card taller, and dr-amara's beside it in the same row keeps its own height
 * (the flow box gives each place of a row the tallest card's height). */
static void
test_cards_natural_height (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (page (fixture));
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  graphene_rect_t first, second;

  select_item (fixture, "e08");
  rounds_test_wait_frames (root);
  collect_class (root, "judgement-card", cards);
  g_assert_cmpuint (cards->len, ==, 2);
  first = bounds_in (cards->pdata[0], root);
  second = bounds_in (cards->pdata[1], root);
  g_test_message ("cards %.0f×%.0f and %.0f×%.0f", first.size.width, first.size.height,
                  second.size.width, second.size.height);
  /* one row */
  g_assert_cmpfloat_with_epsilon (first.origin.y, second.origin.y, 0.5);
  g_assert_cmpfloat (second.size.height, >, first.size.height + 20);

  for (guint i = 0; i < cards->len; i++)
    {
      GtkWidget *card = cards->pdata[i];
      graphene_rect_t bounds = bounds_in (card, root);
      graphene_rect_t name = bounds_in (gtk_widget_get_first_child (card), root);
      int natural;

      gtk_widget_measure (card, GTK_ORIENTATION_VERTICAL, (int) bounds.size.width, NULL,
                          &natural, NULL, NULL);
      g_assert_cmpfloat_with_epsilon (bounds.size.height, natural, 0.5);
      /* padded: the text keeps off the card's edges */
      g_assert_cmpfloat (name.origin.x - bounds.origin.x, >=, 12);
      g_assert_cmpfloat (name.origin.y - bounds.origin.y, >=, 12);
    }
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, \
                                    rounds_test_window_tear_down)
  ADD ("/rounds/review-page/nothing-preselected", test_nothing_preselected);
  ADD ("/rounds/review-page/reviewer-order", test_reviewer_order);
  ADD ("/rounds/review-page/reopen-shows-verdict", test_reopen_shows_verdict);
  ADD ("/rounds/review-page/enter-records", test_enter_records);
  ADD ("/rounds/review-page/loads-async", test_loads_async);
  ADD ("/rounds/review-page/verdict-updates-row", test_verdict_updates_row);
  ADD ("/rounds/review-page/next-item-in-frames", test_next_item_in_frames);
  ADD ("/rounds/review-page/criteria-table", test_criteria_table);
  ADD ("/rounds/review-page/narrow-stacks", test_narrow_stacks);
  ADD ("/rounds/review-page/cards-natural-height", test_cards_natural_height);
#undef ADD

  return rounds_test_gui_run ();
}
