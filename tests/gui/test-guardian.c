/* test-guardian.c: the guardian's assessment in the window: locked on the compare page until
 * the person's own judgement is submitted, then revealed (and audited); beside the
 * clinicians, labelled, on the review page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

#define GUARDIAN "guardian:test-model"

typedef RoundsTestWindow Fixture;

/* Two items; the guardian judged g1 (B unsafe, A much better), dr-amara too. @reveal says
 * whether the dataset lets a clinician see the guardian after their own judgement. */
static char *
dataset_jsonl (gboolean    reveal,
               const char *more)
{
  return g_strdup_printf (
    "{\"type\": \"dataset\", \"id\": \"ward\", \"title\": \"Ward\", \"overlap\": 2,"
    " \"reveal_guardian\": %s}\n"
    "{\"id\": \"g1\", \"title\": \"Results and the family\", \"specialty\":"
    " \"general practice\", \"scenario\": \"A patient's son phones the ward for his"
    " father's biopsy result. May the nurse tell him?\","
    " \"responses\": [{\"text\": \"Only with the patient's consent.\"},"
    " {\"text\": \"Yes, family may always know.\"}]}\n"
    "{\"id\": \"g2\", \"scenario\": \"Second scenario\","
    " \"responses\": [{\"text\": \"One\"}, {\"text\": \"Two\"}]}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ward\", \"item\": \"g1\", \"annotator\": \""
    GUARDIAN "\", \"preference\": -2, \"flags\": {\"b\": [\"unsafe\"]},"
    " \"scores\": {\"a\": {\"accuracy\": 5, \"safety\": 5},"
    " \"b\": {\"accuracy\": 2, \"safety\": 1}},"
    " \"notes\": {\"a\": \"Consent first.\", \"b\": \"Breaches confidentiality.\"},"
    " \"comment\": \"A respects confidentiality.\"}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ward\", \"item\": \"g1\", \"annotator\":"
    " \"dr-amara\", \"preference\": 2}\n%s",
    reveal ? "true" : "false", more ? more : "");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *jsonl = dataset_jsonl (GPOINTER_TO_INT (data), NULL);

  rounds_test_window_set_up (fixture, jsonl);
}

/* A label on screen that contains @text. */
static gboolean
is_shown_label_containing (GtkWidget     *widget,
                           gconstpointer  text)
{
  return rounds_test_is_label_containing (widget, text) && gtk_widget_get_mapped (widget);
}

static gboolean
guardian_shown (Fixture *fixture)
{
  return rounds_test_find_widget (GTK_WIDGET (fixture->window), is_shown_label_containing,
                                  GUARDIAN) != NULL;
}

/* With ROUNDS_TEST_HOLD_SECONDS set, the window stays as it is for that long, so the
 * README's screenshots can be taken of it (/work/shared/tools/shot around this test). */
static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
hold_for_screenshot (void)
{
  const char *seconds = g_getenv ("ROUNDS_TEST_HOLD_SECONDS");
  gboolean done = FALSE;

  if (seconds == NULL)
    return;
  g_timeout_add_seconds ((guint) g_ascii_strtoull (seconds, NULL, 10), set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static int
reveals (Fixture *fixture)
{
  g_autofree char *n = rounds_test_window_query (fixture, "SELECT COUNT(*) FROM audit_log"
                                                 " WHERE action = ?1", "guardian.reveal");

  return atoi (n);
}

/* Locked on the compare page before submit; revealed on it after, and audited. */
static void
test_reveal (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *actor = NULL;

  rounds_window_open_dataset (fixture->window, "ward");
  rounds_test_spin ();
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "g1");
  g_assert_false (guardian_shown (fixture));
  g_assert_cmpint (reveals (fixture), ==, 0);

  rounds_test_window_activate (fixture, "win.prefer", g_variant_new_int32 (1));
  g_assert_false (guardian_shown (fixture));
  rounds_test_window_activate (fixture, "win.submit", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "g2");
  g_assert_false (guardian_shown (fixture));
  g_assert_cmpint (reveals (fixture), ==, 0);

  /* Back to g1, now submitted: the guardian's assessment is there, and the reveal logged. */
  rounds_test_window_activate (fixture, "win.history-back", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "g1");
  g_assert_true (guardian_shown (fixture));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                             is_shown_label_containing,
                                             "Breaches confidentiality."));
  g_assert_cmpint (reveals (fixture), ==, 1);
  hold_for_screenshot ();
  actor = rounds_test_window_query (fixture, "SELECT actor || ' ' || target FROM audit_log"
                                    " WHERE action = ?1", "guardian.reveal");
  g_assert_cmpstr (actor, ==, "dr-test ward/g1");

  /* The guardian filled no place in the overlap: g1 has dr-amara's and dr-test's. */
  g_free (actor);
  actor = rounds_test_window_query (fixture, "SELECT n_submitted FROM items WHERE key = ?1",
                                    "g1");
  g_assert_cmpstr (actor, ==, "2");
}

/* A dataset that does not allow it never shows the guardian, even after submit. */
static void
test_not_allowed (Fixture       *fixture,
                  gconstpointer  data)
{
  rounds_window_open_dataset (fixture->window, "ward");
  rounds_test_spin ();
  rounds_test_window_activate (fixture, "win.prefer", g_variant_new_int32 (1));
  rounds_test_window_activate (fixture, "win.submit", NULL);
  rounds_test_window_activate (fixture, "win.history-back", NULL);
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "g1");
  g_assert_false (guardian_shown (fixture));
  g_assert_cmpint (reveals (fixture), ==, 0);
}

/* The reviewer sees the guardian beside the clinicians, labelled as the machine. */
static void
review_set_up (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *jsonl = dataset_jsonl (FALSE, "{\"type\": \"judgement\", \"dataset\": "
                                          "\"ward\", \"item\": \"g1\", \"annotator\": "
                                          "\"dr-lin\", \"preference\": 1}\n");
  g_autoptr(GError) error = NULL;

  rounds_test_window_set_up_as (fixture, jsonl, "dr-rev", "Dr Reviewer",
                                ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
  g_assert_true (rounds_window_review_dataset (fixture->window, "ward", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
}

static void
test_review (Fixture       *fixture,
             gconstpointer  data)
{
  RoundsReviewPage *page = ROUNDS_REVIEW_PAGE (rounds_window_get_review_page (fixture->window));

  /* g1 is disputed by the guardian alone: the clinicians agree (2 and 1), it says -2. */
  g_assert_cmpuint (rounds_review_page_get_n_items (page), ==, 1);
  g_assert_true (rounds_review_page_select (page, 0));
  rounds_test_spin ();
  g_assert_cmpstr (rounds_item_get_key (rounds_review_page_get_item (page)), ==, "g1");
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page), is_shown_label_containing,
                                             "The guardian disagrees"));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page), is_shown_label_containing,
                                             "The guardian (" GUARDIAN ", a machine; "
                                             "not counted)"));
  /* The clinicians are numbered without it: two of them. */
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (page), is_shown_label_containing,
                                             "Annotator 2"));
  g_assert_null (rounds_test_find_widget (GTK_WIDGET (page), is_shown_label_containing,
                                          "Annotator 3"));
  hold_for_screenshot ();
}

int
main (int   argc,
      char *argv[])
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add ("/rounds/gui/guardian/reveal", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_reveal, rounds_test_window_tear_down);
  g_test_add ("/rounds/gui/guardian/not-allowed", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_not_allowed, rounds_test_window_tear_down);
  g_test_add ("/rounds/gui/guardian/review", Fixture, NULL, review_set_up, test_review,
              rounds_test_window_tear_down);

  return rounds_test_gui_run ();
}
