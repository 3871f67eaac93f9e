/* test-window.c: the main window as a clinician uses it, driven through its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "rounds-application.h"
#include "rounds-error.h"
#include "rounds-importer.h"
#include "rounds-insights-page.h"
#include "rounds-profile-page.h"
#include "rounds-response-card.h"
#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"pairs\", \"title\": \"Pairs\", \"overlap\": 1, \"required\": "
  "[\"preference\"]}\n"
  "{\"id\": \"p1\", \"title\": \"Paracetamol ceiling\", \"scenario\": \"What is the adult daily "
  "maximum of paracetamol?\", \"responses\": [{\"text\": \"4 g a day.\", \"model\": \"m1\"}, "
  "{\"text\": \"8 g a day.\", \"model\": \"m2\"}]}\n"
  "{\"id\": \"p2\", \"scenario\": \"患者要求查看配偶的病历。\", \"language\": \"zh-CN\", \"responses\": "
  "[{\"text\": \"不可以，需要授权。\"}, {\"text\": \"可以。\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"commented\", \"title\": \"Commented\", \"overlap\": 1, "
  "\"required\": [\"preference\", \"comment\"]}\n"
  "{\"id\": \"c1\", \"scenario\": \"A relative asks for a diagnosis by phone.\", \"responses\": "
  "[{\"text\": \"Verify identity and consent first.\"}, {\"text\": \"Tell them.\"}]}\n";

typedef RoundsTestWindow Fixture;

static void import_text (Fixture    *fixture,
                         const char *text);
static const char disputed_jsonl[];

/* The first widget of @type under @root (itself included). */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up (fixture, fixture_jsonl);
}

/* Short names for the helpers that almost every case calls. */
static char *
query (Fixture    *fixture,
       const char *sql,
       const char *param)
{
  return rounds_test_window_query (fixture, sql, param);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  rounds_test_window_activate (fixture, action, parameter);
}

/* Key 2 means "A better" on screen; what is stored is relative to the canonical order. */
static void
test_submit_by_keyboard_actions (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *preference = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *time_spent = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *audit = NULL;
  RoundsItem *item;
  guint order[2];
  int expected;

  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  item = rounds_window_get_item (fixture->window);
  g_assert_nonnull (item);
  g_assert_cmpstr (rounds_item_get_key (item), ==, "p1");
  g_assert_true (rounds_store_get_shown_order (fixture->store, item, "dr-test", order, NULL));
  expected = order[0] == 0 ? -1 : 1;

  activate (fixture, "win.prefer", g_variant_new_int32 (2));
  activate (fixture, "win.toggle-flag", g_variant_new ("(is)", 1, "unsafe"));
  g_usleep (20000);
  activate (fixture, "win.submit", NULL);

  preference = query (fixture, "SELECT a.preference FROM annotations a JOIN items "
                               "i ON i.id = a.item_id"
                               " WHERE i.key = ?1 AND a.is_current = 1", "p1");
  g_assert_nonnull (preference);
  g_assert_cmpint (atoi (preference), ==, expected);
  shown = query (fixture, "SELECT a.shown_order FROM annotations a JOIN items i ON i.id = "
                          "a.item_id WHERE i.key = ?1", "p1");
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, order[0] == 0 ? "0" : "1"));
  flags = query (fixture, "SELECT a.flags_json FROM annotations a JOIN items i ON i.id = "
                          "a.item_id WHERE i.key = ?1", "p1");
  g_test_message ("flags: %s", flags);
  g_assert_nonnull (flags);
  g_assert_nonnull (strstr (flags, "unsafe"));
  /* Flags are stored per canonical response; Response B on screen is canonical order[1]. */
  g_assert_cmpstr (flags, ==, order[1] == 0 ? "[[\"unsafe\"],[]]" : "[[],[\"unsafe\"]]");
  time_spent = query (fixture, "SELECT a.time_spent_ms FROM annotations a JOIN items i ON i.id = "
                               "a.item_id WHERE i.key = ?1", "p1");
  g_assert_nonnull (time_spent);
  g_assert_cmpint (atoi (time_spent), >=, 0);
  audit = query (fixture, "SELECT action FROM audit_log WHERE action LIKE "
                          "'judgement.%' AND ?1 IS NOT NULL", "x");
  g_assert_cmpstr (audit, ==, "judgement.submit");

  /* The next item is on screen at once, and after it the dataset is finished. */
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
  activate (fixture, "win.unacceptable", NULL);
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");
}

/* Alt+Left brings back a submitted judgement; submitting it again saves revision 2 and the
 * audit log keeps both. */
static void
test_revise_from_history (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *revision = NULL;
  g_autofree char *edits = NULL;
  g_autofree char *revise = NULL;
  g_autofree char *first = NULL;

  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  activate (fixture, "win.prefer", g_variant_new_int32 (1));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");

  activate (fixture, "win.history-back", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p1");
  activate (fixture, "win.prefer", g_variant_new_int32 (3));
  activate (fixture, "win.submit", NULL);

  revision = query (fixture, "SELECT a.revision FROM annotations a JOIN items i ON i.id = a.item_id"
                             " WHERE i.key = ?1 AND a.is_current = 1", "p1");
  g_assert_cmpstr (revision, ==, "2");
  first = query (fixture, "SELECT a.preference FROM annotations a JOIN items i ON i.id = a.item_id"
                          " WHERE i.key = ?1 AND a.revision = 1", "p1");
  g_assert_cmpint (ABS (atoi (first)), ==, 2);
  edits = query (fixture, "SELECT count(*) FROM annotations a JOIN items i ON i.id = "
                          "a.item_id WHERE i.key = ?1", "p1");
  g_assert_cmpstr (edits, ==, "2");
  revise = query (fixture, "SELECT count(*) FROM audit_log WHERE action = ?1", "judgement.revise");
  g_assert_cmpstr (revise, ==, "1");

  /* Back at the queue: the next open item. */
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
}

static void
test_skip_with_reason (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *none = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;

  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  activate (fixture, "win.skip-with-reason", g_variant_new_string ("  "));
  none = query (fixture, "SELECT count(*) FROM annotations WHERE ?1 IS NOT NULL", "x");
  g_assert_cmpstr (none, ==, "0");

  activate (fixture, "win.skip-with-reason", g_variant_new_string ("Outside my specialty"));
  status = query (fixture, "SELECT a.status FROM annotations a JOIN items i ON i.id = "
                           "a.item_id WHERE i.key = ?1", "p1");
  g_assert_cmpstr (status, ==, "skipped");
  reason = query (fixture, "SELECT a.skip_reason FROM annotations a JOIN items i ON i.id = "
                           "a.item_id WHERE i.key = ?1", "p1");
  g_assert_cmpstr (reason, ==, "Outside my specialty");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
}

/* Five items, each judged through actions only: preference, the whole rubric, a flag, a
 * comment; every row holds the canonical preference, the shown order, the scores, the flag,
 * the comment and a time. */
static void
test_five_items_by_keyboard (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *criteria[] = { "accuracy", "safety", "ethics", "privacy", "fairness", "clarity" };
  g_autoptr(GString) jsonl = g_string_new ("{\"type\": \"dataset\", \"id\": \"five\", \"overlap\": "
                                           "1, \"required\": [\"preference\", \"rubric\"]}\n");
  GtkWidget *comment;

  for (guint i = 1; i <= 5; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"f%u\", \"scenario\": \"Scenario %u\", \"responses\": "
                            "[{\"text\": \"first\"}, {\"text\": \"second\"}]}\n", i, i);
  import_text (fixture, jsonl->str);
  rounds_window_open_dataset (fixture->window, "five");
  rounds_test_spin ();

  for (guint i = 1; i <= 5; i++)
    {
      RoundsItem *item = rounds_window_get_item (fixture->window);
      g_autofree char *key = g_strdup (rounds_item_get_key (item));
      g_autofree char *preference = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *scores = NULL;
      g_autofree char *flags = NULL;
      g_autofree char *stored_comment = NULL;
      g_autofree char *time_spent = NULL;
      g_autofree char *expected_shown = NULL;
      g_autofree char *text = g_strdup_printf ("Comment %u", i);
      guint order[2];

      g_assert_true (rounds_store_get_shown_order (fixture->store, item, "dr-test", order, NULL));
      activate (fixture, "win.prefer", g_variant_new_int32 (1 + (i % 5)));
      for (guint c = 0; c < G_N_ELEMENTS (criteria); c++)
        for (int position = 0; position < 2; position++)
          activate (fixture, "win.score", g_variant_new ("(isi)", position, criteria[c],
                                                         position == 0 ? 5 : 2));

      /* Submit is refused until every score is there: the last one cleared. */
      activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 0));
      activate (fixture, "win.submit", NULL);
      g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, key);
      activate (fixture, "win.score", g_variant_new ("(isi)", 1, "clarity", 2));

      activate (fixture, "win.toggle-flag", g_variant_new ("(is)", 1, "outdated"));
      comment = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                         "Comment");
      g_assert_true (GTK_IS_TEXT_VIEW (comment));
      g_usleep (5000);
      rounds_test_set_text (comment, text);
      activate (fixture, "win.submit", NULL);

      preference = query (fixture, "SELECT a.preference FROM annotations a JOIN items i ON i.id = "
                                   "a.item_id WHERE i.key = ?1 AND a.is_current", key);
      g_assert_nonnull (preference);
      g_assert_cmpint (atoi (preference), ==, (order[0] == 0 ? 1 : -1) * ((int) (i % 5) - 2));
      shown = query (fixture, "SELECT a.shown_order FROM annotations a JOIN items i ON i.id = "
                              "a.item_id WHERE i.key = ?1", key);
      expected_shown = g_strdup_printf ("[%u,%u]", order[0], order[1]);
      g_test_message ("%s: preference %s shown %s", key, preference, shown);
      g_assert_cmpstr (shown, ==, expected_shown);
      scores = query (fixture, "SELECT a.scores_json FROM annotations a JOIN items i ON i.id = "
                               "a.item_id WHERE i.key = ?1", key);
      g_assert_nonnull (scores);
      g_assert_nonnull (strstr (scores, order[0] == 0 ? "\"accuracy\":5" : "\"accuracy\":2"));
      flags = query (fixture, "SELECT a.flags_json FROM annotations a JOIN items i ON i.id = "
                              "a.item_id WHERE i.key = ?1", key);
      g_assert_cmpstr (flags, ==, order[1] == 0 ? "[[\"outdated\"],[]]" : "[[],[\"outdated\"]]");
      stored_comment = query (fixture, "SELECT a.comment FROM annotations a JOIN items i ON i.id = "
                                       "a.item_id WHERE i.key = ?1", key);
      g_assert_cmpstr (stored_comment, ==, text);
      time_spent = query (fixture, "SELECT a.time_spent_ms FROM annotations a JOIN items i ON i.id "
                                   "= a.item_id WHERE i.key = ?1", key);
      g_assert_cmpint (atoi (time_spent), >=, 0);
    }
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");
}

/* Three responses ranked with a tie: two share the first rank. */
static void
test_rank_with_tie (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *ranking = NULL;
  g_autofree char *expected = NULL;
  RoundsItem *item;
  guint order[3];
  int ranks[3];

  import_text (fixture,
               "{\"type\": \"dataset\", \"id\": \"triple\", \"overlap\": 1}\n"
               "{\"id\": \"t1\", \"scenario\": \"s\", \"responses\": [{\"text\": \"a\"}, "
               "{\"text\": \"b\"}, {\"text\": \"c\"}]}\n");
  rounds_window_open_dataset (fixture->window, "triple");
  rounds_test_spin ();
  item = rounds_window_get_item (fixture->window);
  g_assert_true (rounds_store_get_shown_order (fixture->store, item, "dr-test", order, NULL));

  /* On screen: A and B tie for first, C third. */
  activate (fixture, "win.rank", g_variant_new ("(ii)", 0, 1));
  activate (fixture, "win.rank", g_variant_new ("(ii)", 1, 1));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");   /* C unranked */
  activate (fixture, "win.rank", g_variant_new ("(ii)", 2, 3));
  activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");

  ranks[order[0]] = 1;
  ranks[order[1]] = 1;
  ranks[order[2]] = 3;
  ranking = query (fixture, "SELECT a.ranking_json FROM annotations a JOIN items i ON i.id = "
                            "a.item_id WHERE i.key = ?1", "t1");
  g_test_message ("ranking %s", ranking);
  g_assert_nonnull (ranking);
  expected = g_strdup_printf ("[%d,%d,%d]", ranks[0], ranks[1], ranks[2]);
  g_assert_cmpstr (ranking, ==, expected);
}

static void
collect_cards (GtkWidget *widget,
               GPtrArray *cards)
{
  if (ROUNDS_IS_RESPONSE_CARD (widget))
    g_ptr_array_add (cards, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cards (child, cards);
}

/* Side by side in a wide window, stacked in a narrow one; stacked, a short response's card
 * is as tall as its text, not as the longest response's. */
static void
test_narrow_stacks (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) uneven = g_string_new (
    "{\"type\": \"dataset\", \"id\": \"uneven\", \"title\": \"Uneven\", \"overlap\": 1}\n"
    "{\"id\": \"u1\", \"scenario\": \"Fever after surgery.\", \"responses\": [{\"text\": \"");
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  for (guint i = 0; i < 12; i++)
    g_string_append (uneven, "Check the wound, the chest, the urine and the lines. ");
  g_string_append (uneven, "\"}, {\"text\": \"Paracetamol.\"}]}\n");
  import_text (fixture, uneven->str);
  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  g_assert_false (rounds_window_responses_are_stacked (fixture->window));

  /* A window opened narrow (Xvfb has no window manager to resize one). */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 600, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  rounds_window_open_dataset (fixture->window, "uneven");
  rounds_test_spin ();
  g_assert_true (rounds_window_responses_are_stacked (fixture->window));
  rounds_test_wait_frames (GTK_WIDGET (fixture->window));

  collect_cards (GTK_WIDGET (fixture->window), cards);
  g_assert_cmpuint (cards->len, ==, 2);
  for (guint i = 0; i < cards->len; i++)
    {
      GtkWidget *card = cards->pdata[i];
      int natural;

      gtk_widget_measure (card, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (card),
                          NULL, &natural, NULL, NULL);
      g_test_message ("card %u: %d px tall, asks for %d", i, gtk_widget_get_height (card),
                      natural);
      g_assert_cmpint (gtk_widget_get_height (card), <=, natural);
    }
}

/* Whether an action row under @widget has @subtitle. */
static gboolean
find_row_subtitle (GtkWidget  *widget,
                   const char *subtitle)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), subtitle) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_row_subtitle (child, subtitle))
      return TRUE;
  return FALSE;
}

/* The profile decides the queue and the pages: switching to a reviewer opens the review. */
static void
test_switch_profile (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsProfile) reviewer = rounds_profile_new ("dr-rev", "Dr Reviewer",
                                                          ROUNDS_ROLE_ANNOTATOR |
                                                          ROUNDS_ROLE_REVIEWER, NULL);
  g_autoptr(RoundsProfile) current = NULL;
  g_autoptr(GError) error = NULL;

  import_text (fixture, disputed_jsonl);
  rounds_store_add_profile (fixture->store, reviewer, &error);
  g_assert_no_error (error);
  g_assert_false (rounds_window_review_dataset (fixture->window, "ethics", NULL));

  activate (fixture, "win.switch-profile", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "profile");
  /* The roles as words, not the store's ids. */
  g_assert_true (find_row_subtitle (GTK_WIDGET (fixture->window), "dr-rev · Annotator, Reviewer"));
  activate (fixture, "win.use-profile", g_variant_new_string ("dr-rev"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
  current = rounds_store_get_current_profile (fixture->store);
  g_assert_cmpstr (rounds_profile_get_user_name (current), ==, "dr-rev");
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
}

static void
test_submit_refused_until_complete (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *count = NULL;

  rounds_window_open_dataset (fixture->window, "commented");
  rounds_test_spin ();
  activate (fixture, "win.prefer", g_variant_new_int32 (1));
  activate (fixture, "win.submit", NULL);

  count = query (fixture, "SELECT count(*) FROM annotations WHERE status = ?1", "submitted");
  g_assert_cmpstr (count, ==, "0");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
}

static void
test_draft_kept_on_close (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RoundsJudgement) draft = NULL;
  g_autoptr(RoundsItem) item = NULL;

  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  item = g_object_ref (rounds_window_get_item (fixture->window));
  activate (fixture, "win.prefer", g_variant_new_int32 (5));
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  rounds_test_spin ();

  draft = rounds_store_get_draft (fixture->store, item, "dr-test", NULL);
  g_assert_nonnull (draft);
  g_assert_true (draft->has_preference);
  g_assert_cmpint (ABS (draft->preference), ==, 2);

  /* Reopened, the window shows the same item with the draft. */
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==,
                   rounds_item_get_key (item));
}

static const char disputed_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Ethics\", \"overlap\": 3}\n"
  "{\"id\": \"e1\", \"title\": \"Disclosure to a relative\", \"scenario\": \"A daughter asks "
  "for her father's diagnosis.\", \"responses\": [{\"text\": \"Ask the father first.\", \"model\": "
  "\"m1\"}, {\"text\": \"Tell her.\", \"model\": \"m2\"}]}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": "
  "\"dr-amara\", \"preference\": -2, \"comment\": \"Confidentiality first.\"}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": \"dr-lin\", "
  "\"preference\": 2, \"comment\": \"Family-centred culture.\"}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": "
  "\"dr-okafor\", \"preference\": 0}\n";

static void
import_text (Fixture    *fixture,
             const char *text)
{
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "more.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  RoundsImportResult result;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  rounds_importer_run (importer, fixture->store, file, &result, NULL, &error);
  g_assert_no_error (error);
}

/* dr-rev, an annotator and reviewer, becomes the current profile, in a new window. */
static void
reopen_as_reviewer (Fixture *fixture)
{
  g_autoptr(RoundsProfile) reviewer = rounds_profile_new ("dr-rev", "Dr Reviewer",
                                                          ROUNDS_ROLE_ANNOTATOR |
                                                          ROUNDS_ROLE_REVIEWER, NULL);
  g_autoptr(GError) error = NULL;

  rounds_store_add_profile (fixture->store, reviewer, &error);
  g_assert_no_error (error);
  rounds_store_set_current_profile (fixture->store, "dr-rev", &error);
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
}

/* Three annotators disagree; only a reviewer reaches the page, and a verdict needs a rationale. */
static void
test_review_verdict (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *preference = NULL;
  g_autofree char *rationale = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *corrected = NULL;
  GtkWidget *page;

  import_text (fixture, disputed_jsonl);

  /* An annotator profile cannot reach the page. */
  g_assert_false (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), !=, "review");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review-dataset",
                                              "s", "ethics") &&
                  g_strcmp0 (rounds_window_get_page (fixture->window), "review") == 0);

  /* A reviewer can. */
  reopen_as_reviewer (fixture);
  activate (fixture, "win.review-dataset", g_variant_new_string ("ethics"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "review");
  rounds_test_window_wait_review (fixture);
  page = rounds_window_get_review_page (fixture->window);
  g_assert_cmpuint (rounds_review_page_get_n_items (ROUNDS_REVIEW_PAGE (page)), ==, 1);
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (ROUNDS_REVIEW_PAGE (page))),
                   ==, "e1");

  /* Without a rationale nothing is recorded. */
  rounds_review_page_set_verdict (ROUNDS_REVIEW_PAGE (page), -1, "");
  g_assert_true (gtk_widget_activate_action (page, "review.save-verdict", NULL));
  rounds_test_window_wait_review (fixture);
  count = query (fixture, "SELECT count(*) FROM adjudications WHERE ?1 IS NOT NULL", "x");
  g_assert_cmpstr (count, ==, "0");

  rounds_review_page_set_verdict (ROUNDS_REVIEW_PAGE (page), -1,
                                  "Consent of a capable patient comes first (GMC).");
  rounds_review_page_set_correction (ROUNDS_REVIEW_PAGE (page), 1, "ethics", 1);
  g_assert_true (gtk_widget_activate_action (page, "review.save-verdict", NULL));
  rounds_test_window_wait_review (fixture);
  preference = query (fixture, "SELECT preference FROM adjudications WHERE reviewer_id = (SELECT "
                               "id FROM annotators WHERE user_name = ?1)", "dr-rev");
  g_assert_cmpstr (preference, ==, "-1");
  rationale = query (fixture, "SELECT rationale FROM adjudications WHERE ?1 IS NOT NULL", "x");
  g_assert_cmpstr (rationale, ==, "Consent of a capable patient comes first (GMC).");
  audit = query (fixture, "SELECT actor FROM audit_log WHERE action = ?1", "verdict.submit");
  g_assert_cmpstr (audit, ==, "dr-rev");
  corrected = query (fixture, "SELECT scores_json FROM adjudications WHERE ?1 IS NOT NULL", "x");
  g_assert_cmpstr (corrected, ==, "[{},{\"ethics\":1}]");
}

/* "Item N of M" is counted once the first item is drawn, and each item done adds one. */
static void
test_progress_after_first_frame (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "compare");
  rounds_test_wait_frames (window);
  g_assert_nonnull (rounds_test_find_widget (window, rounds_test_is_label_starting,
                                             "Item 1 of 2"));
  activate (fixture, "win.prefer", g_variant_new_int32 (2));
  activate (fixture, "win.submit", NULL);
  rounds_test_wait_frames (window);
  g_assert_nonnull (rounds_test_find_widget (window, rounds_test_is_label_starting,
                                             "Item 2 of 2"));
  /* Opened again: counted again, from the database. */
  activate (fixture, "win.show-datasets", NULL);
  activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  rounds_test_wait_frames (window);
  g_assert_nonnull (rounds_test_find_widget (window, rounds_test_is_label_starting,
                                             "Item 2 of 2"));
}

/* The profile, review and insights pages and the shortcuts window are built when first
 * shown, not with the window: the first frame does not wait for them. Each then works as
 * before. */
static void
test_pages_built_when_shown (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkApplicationWindow *window;
  GtkShortcutsWindow *overlay;
  GLogLevelFlags fatal;

  import_text (fixture, disputed_jsonl);
  reopen_as_reviewer (fixture);
  window = GTK_APPLICATION_WINDOW (fixture->window);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
  g_assert_null (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_PROFILE_PAGE));
  g_assert_null (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_REVIEW_PAGE));
  g_assert_null (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_INSIGHTS_PAGE));
  g_assert_null (gtk_application_window_get_help_overlay (window));

  /* The shortcuts window (? or Ctrl+?), over this window; the same one the second time.
   * GTK 4.8's own GtkShortcutsWindow warns, when it is measured, that a label of it
   * "reported min width -3": a warning is not fatal while it is on screen. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  activate (fixture, "win.show-help-overlay", NULL);
  overlay = gtk_application_window_get_help_overlay (window);
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (overlay));
  rounds_test_spin ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  activate (fixture, "win.show-help-overlay", NULL);
  g_assert_true (gtk_application_window_get_help_overlay (window) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_close (GTK_WINDOW (overlay));
  rounds_test_spin ();
  g_log_set_always_fatal (fatal);

  activate (fixture, "win.review-dataset", g_variant_new_string ("ethics"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "review");
  rounds_test_window_wait_review (fixture);
  g_assert_true (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_REVIEW_PAGE) ==
                 rounds_window_get_review_page (fixture->window));
  g_assert_cmpuint (rounds_review_page_get_n_items (ROUNDS_REVIEW_PAGE
                                                      (rounds_window_get_review_page
                                                         (fixture->window))), ==, 1);
  g_assert_null (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_INSIGHTS_PAGE));

  activate (fixture, "win.show-insights", g_variant_new_string ("ethics"));
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "insights");
  g_assert_true (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_INSIGHTS_PAGE) ==
                 rounds_window_get_insights_page (fixture->window));
  while (rounds_insights_page_get_loading (ROUNDS_INSIGHTS_PAGE
                                             (rounds_window_get_insights_page (fixture->window))))
    g_main_context_iteration (NULL, TRUE);
  rounds_test_spin ();
  activate (fixture, "win.show-datasets", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
  g_assert_null (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_PROFILE_PAGE));

  /* The profile page, with this database's profiles to switch to; once built, kept. */
  activate (fixture, "win.switch-profile", NULL);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "profile");
  {
    GtkWidget *page = find_widget (GTK_WIDGET (window), ROUNDS_TYPE_PROFILE_PAGE);

    g_assert_nonnull (page);
    g_assert_true (gtk_widget_get_mapped (page));
    activate (fixture, "win.show-datasets", NULL);
    activate (fixture, "win.switch-profile", NULL);
    g_assert_true (find_widget (GTK_WIDGET (window), ROUNDS_TYPE_PROFILE_PAGE) == page);
  }
}

/* The preferences window changes GSettings, and the compare page and the style follow. */
static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rounds.Rounds");
  GtkWidget *preferences;
  GtkWidget *scale;
  GtkWidget *style;

  rounds_window_open_dataset (fixture->window, "pairs");
  activate (fixture, "win.preferences", NULL);
  preferences = rounds_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);

  scale = find_widget (preferences, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (scale);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (scale), 1.5);
  rounds_test_spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "text-scale"), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (rounds_window_get_text_scale (fixture->window), 1.5, 1e-3);

  /* Ctrl+minus goes back a step, through the same setting. */
  activate (fixture, "win.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (rounds_window_get_text_scale (fixture->window), 1.4, 1e-3);

  style = find_widget (preferences, ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (style);
  adw_combo_row_set_selected (ADW_COMBO_ROW (style), 2);
  rounds_test_spin ();
  g_assert_cmpstr (g_settings_get_string (settings, "style"), ==, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "text-scale");
  g_settings_reset (settings, "style");
  rounds_test_spin ();
}

/* The header says what sync can do: not set up, or offline with the reason in a tooltip. */
static void
test_sync_status (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.rounds.Rounds");
  gint64 deadline;

  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Not set up");

  /* Nothing listens on port 9 of loopback. */
  g_setenv ("ROUNDS_STORE_PASSWORD", "secret", TRUE);
  g_settings_set_string (settings, "store-url", "http://127.0.0.1:9/rounds");
  rounds_test_spin ();
  activate (fixture, "win.sync", NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_strcmp0 (rounds_window_get_sync_status (fixture->window), "Offline") != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (rounds_window_get_sync_status (fixture->window), ==, "Offline");

  g_settings_reset (settings, "store-url");
  g_unsetenv ("ROUNDS_STORE_PASSWORD");
  rounds_test_spin ();
}

static void
wait_for_import (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (rounds_window_is_importing (fixture->window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (rounds_window_is_importing (fixture->window));
  rounds_test_spin ();
}

/* Import from the app: a good file lands, a bad one names its line and field and writes nothing. */
static void
test_import_from_app (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *good_path = g_build_filename (fixture->dir, "good.jsonl", NULL);
  g_autofree char *bad_path = g_build_filename (fixture->dir, "bad.jsonl", NULL);
  g_autoptr(GFile) good = g_file_new_for_path (good_path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *items = NULL;
  g_autofree char *after = NULL;

  g_file_set_contents (good_path,
                       "{\"id\": \"g1\", \"dataset\": \"imported\", \"scenario\": "
                       "\"糖尿病患者询问胰岛素剂量。\", \"responses\": [{\"text\": \"请咨询医生。\"}, {\"text\": "
                       "\"加倍剂量。\"}]}\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (bad_path,
                       "{\"id\": \"b1\", \"dataset\": \"broken\", \"scenario\": \"x\", "
                       "\"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}]}\n"
                       "{\"id\": \"b2\", \"dataset\": \"broken\", \"responses\": [{\"text\": "
                       "\"a\"}, {\"text\": \"b\"}]}\n", -1, &error);
  g_assert_no_error (error);

  rounds_window_import_file (fixture->window, good);
  g_assert_true (rounds_window_is_importing (fixture->window));
  wait_for_import (fixture);
  g_assert_null (rounds_window_get_last_import_error (fixture->window));
  items = query (fixture, "SELECT count(*) FROM items i JOIN datasets d ON d.id = "
                          "i.dataset_id WHERE d.name = ?1", "imported");
  g_assert_cmpstr (items, ==, "1");

  rounds_window_import_file (fixture->window, bad);
  wait_for_import (fixture);
  g_assert_nonnull (rounds_window_get_last_import_error (fixture->window));
  g_assert_nonnull (strstr (rounds_window_get_last_import_error (fixture->window), "bad.jsonl:2:"));
  g_assert_nonnull (strstr (rounds_window_get_last_import_error (fixture->window), "scenario"));
  after = query (fixture, "SELECT count(*) FROM datasets WHERE name = ?1", "broken");
  g_assert_cmpstr (after, ==, "0");
}

static gboolean
has_visible_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_widget_get_mapped (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_visible_text (child))
      return TRUE;
  return FALSE;
}

/* Every control of ours without visible text needs an accessible name. The insides of
 * composite widgets (rows, drop-downs, entries, window controls) are GTK's own. */
static void
check_accessible_names (GtkWidget *widget,
                        GPtrArray *missing)
{
  gboolean control = GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
                     GTK_IS_DROP_DOWN (widget) || GTK_IS_ENTRY (widget) ||
                     GTK_IS_SPIN_BUTTON (widget) || GTK_IS_LEVEL_BAR (widget);

  if (control && gtk_widget_get_mapped (widget) && !has_visible_text (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_ptr_array_add (missing, g_strdup_printf ("%s%s%s", G_OBJECT_TYPE_NAME (widget),
                                               gtk_widget_get_name (widget) ? " " : "",
                                               gtk_widget_get_tooltip_text (widget) ?
                                               gtk_widget_get_tooltip_text (widget) : ""));
  if (control || ADW_IS_PREFERENCES_ROW (widget) || GTK_IS_WINDOW_CONTROLS (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_accessible_names (child, missing);
}

static void
assert_accessible_names (GtkWidget *root)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);

  check_accessible_names (root, missing);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("no accessible name: %s", (char *) missing->pdata[i]);
  g_assert_cmpuint (missing->len, ==, 0);
}

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The datasets, a two-response item, a three-response item. */
  assert_accessible_names (GTK_WIDGET (fixture->window));
  rounds_window_open_dataset (fixture->window, "pairs");
  rounds_test_spin ();
  assert_accessible_names (GTK_WIDGET (fixture->window));
  import_text (fixture, disputed_jsonl);
  import_text (fixture,
               "{\"id\": \"t1\", \"dataset\": \"triple\", \"scenario\": \"s\", \"responses\": "
               "[{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}]}\n");
  rounds_window_open_dataset (fixture->window, "triple");
  rounds_test_spin ();
  assert_accessible_names (GTK_WIDGET (fixture->window));

  /* The review page. */
  reopen_as_reviewer (fixture);
  assert_accessible_names (GTK_WIDGET (fixture->window));
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
  assert_accessible_names (GTK_WIDGET (fixture->window));
}

/* The window watches key presses (for time on task) without taking them: every key
 * controller on the window itself lets a key through to the widget that has the focus, or
 * nobody could type a name at first start or the rationale of a verdict. */
static void
test_keys_reach_widgets (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  guint n_key_controllers = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      const guint keyvals[] = { GDK_KEY_a, GDK_KEY_Return, GDK_KEY_q, GDK_KEY_1 };

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      n_key_controllers++;
      for (guint k = 0; k < G_N_ELEMENTS (keyvals); k++)
        for (guint state = 0; state <= GDK_CONTROL_MASK; state += GDK_CONTROL_MASK)
          {
            gboolean handled = TRUE;

            g_signal_emit_by_name (controller, "key-pressed", keyvals[k], 0, state, &handled);
            g_assert_false (handled);
          }
    }
  g_assert_cmpuint (n_key_controllers, >, 0);
}

/* The roles are named in full on the profile page of a 900 px window, chosen or listed:
 * "Annotator and ethics reviewer" was cut to "Annotator and ethics r…". */
static void
test_roles_whole (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *roles[] = { "Annotator", "Annotator and ethics reviewer", "Curator" };
  AdwComboRow *role_row;
  GtkWidget *popup;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  activate (fixture, "win.switch-profile", NULL);
  role_row = ADW_COMBO_ROW (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                                     rounds_test_is_row_titled, "_Role"));
  g_assert_nonnull (role_row);
  adw_combo_row_set_selected (role_row, 1);
  rounds_test_wait_frames (GTK_WIDGET (role_row));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 900);
  rounds_test_assert_label_whole (GTK_WIDGET (role_row), roles[1]);

  adw_action_row_activate (ADW_ACTION_ROW (role_row));
  rounds_test_wait_frames (GTK_WIDGET (role_row));
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    rounds_test_assert_label_whole (GTK_WIDGET (role_row), roles[i]);
  popup = gtk_widget_get_ancestor (rounds_test_find_widget (GTK_WIDGET (role_row),
                                                            rounds_test_is_label_containing,
                                                            roles[2]),
                                   GTK_TYPE_POPOVER);
  g_assert_nonnull (popup);
  gtk_popover_popdown (GTK_POPOVER (popup));
  rounds_test_wait_frames (GTK_WIDGET (role_row));
}


static gboolean
is_shortcuts_group (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_SHORTCUTS_GROUP (widget);
}

static guint
count_shortcuts (GtkWidget *root)
{
  guint n = GTK_IS_SHORTCUTS_SHORTCUT (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_shortcuts (child);
  return n;
}

/* Adds the action name and the accelerators of every shortcut under @root to @listed. */
static void
list_shortcuts (GtkWidget  *root,
                GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (root))
    {
      g_autofree char *action_name = NULL;
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (root, "action-name", &action_name, "accelerator", &accelerator, NULL);
      if (action_name != NULL)
        g_hash_table_add (listed, g_steal_pointer (&action_name));
      accels = g_strsplit (accelerator ? accelerator : "", " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        g_hash_table_add (listed, g_strdup (accels[i]));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    list_shortcuts (child, listed);
}

/* The shortcuts window (? or Ctrl+?) fits a 1 280 × 800 screen, in English and in Chinese,
 * as it first opens (its natural size) and as it is drawn, with every shortcut of
 * ui/gtk/help-overlay.ui in it. */
static void
test_shortcuts_fit (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct
  {
    const char *locale;
    const char *first_group;
  } languages[] = {
    { "C.UTF-8", "Judging" },
    { "zh_CN.UTF-8", "评判" },
  };
  g_autofree char *locale_before = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *domain_before = g_strdup (textdomain (NULL));
  g_autoptr(GBytes) ui = g_resources_lookup_data ("/io/github/rounds/Rounds/ui/help-overlay.ui",
                                                  0, NULL);
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION
                                                                      (fixture->app));
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GLogLevelFlags fatal;

  g_assert_nonnull (ui);
  /* The resource's data ends in a NUL. */
  parts = g_strsplit (g_bytes_get_data (ui, NULL), "class=\"GtkShortcutsShortcut\"", -1);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ROUNDS_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* GTK 4.8's GtkShortcutsWindow warns that a label of its own "reported min width -3". */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      RoundsWindow *window;
      GtkWidget *overlay;
      g_autofree char *group_title = NULL;
      int min_width, width, min_height, height;

      g_assert_nonnull (setlocale (LC_ALL, languages[i].locale));
      window = rounds_test_gui_open_window (fixture->store);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                                 NULL));
      overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW
                                                                       (window)));
      g_assert_nonnull (overlay);
      rounds_test_wait_frames (overlay);

      g_object_get (rounds_test_find_widget (overlay, is_shortcuts_group, NULL), "title",
                    &group_title, NULL);
      g_assert_cmpstr (group_title, ==, languages[i].first_group);
      /* In the section: the search page has copies of them. */
      g_assert_cmpuint (count_shortcuts (find_widget (overlay, GTK_TYPE_SHORTCUTS_SECTION)), ==,
                        g_strv_length (parts) - 1);
      /* Every accelerator of the application is there, by its action or its keys. */
      list_shortcuts (overlay, listed);
      for (guint a = 0; actions[a] != NULL; a++)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION
                                                                          (fixture->app),
                                                                        actions[a]);

          if (!g_hash_table_contains (listed, actions[a]))
            {
              g_test_message ("%s: %s", actions[a], accels[0]);
              g_assert_true (g_hash_table_contains (listed, accels[0]));
            }
        }

      gtk_widget_measure (overlay, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &width,
                          NULL, NULL);
      gtk_widget_measure (overlay, GTK_ORIENTATION_VERTICAL, width, &min_height, &height,
                          NULL, NULL);
      g_test_message ("%s: %u shortcuts; natural %d × %d px, drawn %d × %d px",
                      languages[i].locale, g_strv_length (parts) - 1, width, height,
                      gtk_widget_get_width (overlay), gtk_widget_get_height (overlay));
      g_assert_cmpint (width, <=, 1280);
      g_assert_cmpint (height, <=, 800);
      g_assert_cmpint (gtk_widget_get_width (overlay), <=, 1280);
      g_assert_cmpint (gtk_widget_get_height (overlay), <=, 800);

      gtk_window_destroy (GTK_WINDOW (overlay));
      gtk_window_destroy (GTK_WINDOW (window));
      rounds_test_spin ();
    }

  g_log_set_always_fatal (fatal);
  setlocale (LC_ALL, locale_before);
  textdomain (domain_before);
}


/* The about window shows the app's icon when Rounds runs from the build tree, not installed:
 * the icon is in the resources, whose icons/ folder GtkApplication gives the icon theme. */
static void
test_about_icon (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *about;
  GtkIconTheme *theme;
  const char *icon;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  rounds_test_spin ();
  about = rounds_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  rounds_test_wait_frames (about);

  icon = adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about));
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (about));
  g_test_message ("icon %s", icon);
  g_assert_cmpstr (icon, ==, "io.github.rounds.Rounds");
  g_assert_true (gtk_icon_theme_has_icon (theme, icon));
  gtk_window_destroy (GTK_WINDOW (about));
  rounds_test_spin ();
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, \
                                        rounds_test_window_tear_down)
  ADD ("/rounds/window/submit-by-keyboard-actions", test_submit_by_keyboard_actions);
  ADD ("/rounds/window/submit-refused-until-complete", test_submit_refused_until_complete);
  ADD ("/rounds/window/draft-kept-on-close", test_draft_kept_on_close);
  ADD ("/rounds/window/revise-from-history", test_revise_from_history);
  ADD ("/rounds/window/skip-with-reason", test_skip_with_reason);
  ADD ("/rounds/window/five-items-by-keyboard", test_five_items_by_keyboard);
  ADD ("/rounds/window/rank-with-tie", test_rank_with_tie);
  ADD ("/rounds/window/narrow-stacks", test_narrow_stacks);
  ADD ("/rounds/window/switch-profile", test_switch_profile);
  ADD ("/rounds/window/review-verdict", test_review_verdict);
  ADD ("/rounds/window/pages-built-when-shown", test_pages_built_when_shown);
  ADD ("/rounds/window/progress-after-first-frame", test_progress_after_first_frame);
  ADD ("/rounds/window/preferences", test_preferences);
  ADD ("/rounds/window/import-from-app", test_import_from_app);
  ADD ("/rounds/window/accessible-names", test_accessible_names);
  ADD ("/rounds/window/sync-status", test_sync_status);
  ADD ("/rounds/window/keys-reach-widgets", test_keys_reach_widgets);
  ADD ("/rounds/window/roles-whole", test_roles_whole);
  ADD ("/rounds/window/shortcuts-fit", test_shortcuts_fit);
  ADD ("/rounds/window/about-icon", test_about_icon);
#undef ADD

  return rounds_test_gui_run ();
}
