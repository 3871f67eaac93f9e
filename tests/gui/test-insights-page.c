/* test-insights-page.c: the Insights page on the demo, as a curator and a reviewer reach it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "rounds-error.h"
#include "rounds-insights-charts.h"
#include "rounds-insights-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"

#define DEMO_DATASET "clinical-ethics-demo"

typedef RoundsTestWindow Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up_demo (fixture, "dr-data", "Dr Data", GPOINTER_TO_UINT (data));
}

static RoundsInsightsPage *
insights_page (Fixture *fixture)
{
  return ROUNDS_INSIGHTS_PAGE (rounds_window_get_insights_page (fixture->window));
}

static void
wait_insights (Fixture *fixture)
{
  while (rounds_insights_page_get_loading (insights_page (fixture)))
    g_main_context_iteration (NULL, TRUE);
  rounds_test_spin ();
}

static gboolean
is_chart (GtkWidget     *widget,
          gconstpointer  kind)
{
  return ROUNDS_IS_INSIGHTS_CHART (widget) &&
         rounds_insights_chart_get_kind (ROUNDS_INSIGHTS_CHART (widget)) == GPOINTER_TO_UINT (kind);
}

/* The models of the demo, read from its file: the page must show each. */
static GPtrArray *
demo_models (Fixture *fixture)
{
  g_autofree char *list = rounds_test_window_query (fixture, "SELECT group_concat(model, ' ') "
                                                    "FROM (SELECT DISTINCT model FROM responses "
                                                    "ORDER BY model)", NULL);

  g_auto(GStrv) names = g_strsplit (list, " ", -1);
  GPtrArray *models = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (models, g_strdup (names[i]));
  return models;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, haystack);
}

/* A curator opens the demo's insights from its row: every model is on the leaderboard, the
 * charts are drawn, and the text carries the figures the core computes for the same file. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  const char *datasets[] = { DEMO_DATASET, NULL };
  g_autoptr(GPtrArray) models = demo_models (fixture);
  g_autoptr(RoundsInsights) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const RoundsInsights *shown;
  RoundsInsightsOptions options;
  GtkWidget *button;

  /* The row's Insights button is how a person gets there. */
  button = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_button_for_action,
                                    "win.show-insights");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (rounds_insights_page_get_loading (insights_page (fixture)));
  wait_insights (fixture);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "insights");

  rounds_insights_options_init (&options);
  expected = rounds_store_compute_insights (fixture->store, datasets, &options, NULL, &error);
  g_assert_no_error (error);
  shown = rounds_insights_page_get_insights (insights_page (fixture));
  g_assert_nonnull (shown);
  text = rounds_insights_page_get_text (insights_page (fixture));

  /* Every model of the dataset, on the leaderboard and in the text. */
  g_assert_cmpuint (models->len, ==, 4);
  g_assert_cmpuint (shown->ratings->len, ==, models->len);
  for (guint m = 0; m < models->len; m++)
    {
      gboolean found = FALSE;

      for (guint r = 0; r < shown->ratings->len; r++)
        found |= g_str_equal (((RoundsModelRating *) shown->ratings->pdata[r])->model,
                              models->pdata[m]);
      g_assert_true (found);
      assert_contains (text, models->pdata[m]);
    }

  /* The numbers: the leaderboard, the first criterion and everyone's bias and time, as the
   * core gives them for this database, rounded as printed. */
  g_assert_cmpuint (expected->ratings->len, ==, shown->ratings->len);
  for (guint r = 0; r < expected->ratings->len; r++)
    {
      const RoundsModelRating *rating = expected->ratings->pdata[r];
      g_autofree char *line = g_strdup_printf ("%u. %s: %.0f (95%% interval %.0f–%.0f); %u %s, "
                                               "%u %s, %u %s",
                                               rating->rank, rating->model, rating->rating,
                                               rating->lower, rating->upper,
                                               rating->wins, rating->wins == 1 ? "win" : "wins",
                                               rating->ties, rating->ties == 1 ? "tie" : "ties",
                                               rating->losses,
                                               rating->losses == 1 ? "loss" : "losses");

      assert_contains (text, line);
    }
  g_assert_cmpuint (expected->criteria->len, >, 0);
  {
    const RoundsCriterionScore *s = expected->criteria->pdata[0];
    const RoundsPositionBias *b = expected->position->pdata[0];
    const RoundsTimeOnTask *t = expected->time->pdata[0];
    g_autofree char *criterion = g_strdup_printf ("%s, %s: %.2f", s->label, s->model, s->mean);
    g_autofree char *bias = g_strdup_printf ("Everyone: %.0f%% of %u decisive judgement%s",
                                             100 * b->share, b->decisive,
                                             b->decisive == 1 ? "" : "s");
    g_autofree char *time = g_strdup_printf ("Everyone: %u judgement%s, median ", t->n,
                                             t->n == 1 ? "" : "s");

    assert_contains (text, criterion);
    assert_contains (text, bias);
    assert_contains (text, time);
  }

  /* Each chart is there, has room, and is named for screen readers. */
  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    {
      GtkWidget *chart = rounds_test_find_widget (GTK_WIDGET (insights_page (fixture)), is_chart,
                                                  GUINT_TO_POINTER (kind));

      g_assert_nonnull (chart);
      g_assert_cmpint (gtk_widget_get_height (chart), >, 20);
      gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           rounds_insights_chart_kind_get_title (kind));
    }
  /* Screen readers get the leaderboard's numbers from the chart itself. */
  {
    GtkWidget *chart = rounds_test_find_widget (GTK_WIDGET (insights_page (fixture)), is_chart,
                                                GUINT_TO_POINTER (0));
    g_autofree char *numbers = rounds_insights_chart_describe (0, shown, NULL);

    assert_contains (text, numbers);
    gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, numbers);
  }
  /* The charts' text follows the reading size: a larger size, taller rows (of the
   * leaderboard, kind 0). */
  {
    GtkWidget *chart = rounds_test_find_widget (GTK_WIDGET (insights_page (fixture)), is_chart,
                                                GUINT_TO_POINTER (0));
    int before, after;

    gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, NULL, &before, NULL, NULL);
    rounds_test_window_activate (fixture, "win.zoom-in", NULL);
    rounds_test_window_activate (fixture, "win.zoom-in", NULL);
    /* The new text size reaches the chart with the styles, on a frame. */
    rounds_test_wait_frames (chart);
    gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, NULL, &after, NULL, NULL);
    g_assert_cmpint (after, >, before);
    rounds_test_window_activate (fixture, "win.zoom-reset", NULL);
  }

  /* Annotators are pseudonyms until Show Names. */
  g_assert_null (strstr (text, "dr-amara"));

  /* Export Report… writes what the page shows as a PDF. */
  {
    g_autofree char *pdf = g_build_filename (fixture->dir, "report.pdf", NULL);
    g_autofree char *head = NULL;

    g_assert_true (rounds_insights_page_write_report (insights_page (fixture), pdf, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (pdf, &head, NULL, &error));
    g_assert_true (g_str_has_prefix (head, "%PDF-"));
  }
}

/* Ctrl+I from the list of datasets shows every dataset; Copy Figures puts the text on the
 * clipboard. */
static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *copied = NULL;
  const RoundsInsights *shown;

  rounds_test_window_activate (fixture, "win.show-insights", g_variant_new_string (""));
  wait_insights (fixture);
  g_assert_nonnull ((shown = rounds_insights_page_get_insights (insights_page (fixture))));
  g_assert_cmpuint (shown->datasets->len, ==, 1);
  g_assert_cmpstr (shown->datasets->pdata[0], ==, DEMO_DATASET);

  text = rounds_insights_page_get_text (insights_page (fixture));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (insights_page (fixture)),
                                             "insights.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)), NULL,
                                 on_clipboard_text, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, text);
}

/* Cancel stops the computation at once, and the page says so; Compute Again starts it. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *page = GTK_WIDGET (insights_page (fixture));

  /* No main loop in between: the worker's answer cannot have come back yet. */
  g_assert_true (rounds_window_show_insights (fixture->window, DEMO_DATASET, &error));
  g_assert_no_error (error);
  g_assert_true (rounds_insights_page_get_loading (insights_page (fixture)));
  g_assert_true (gtk_widget_activate_action (page, "insights.cancel", NULL));
  g_assert_false (rounds_insights_page_get_loading (insights_page (fixture)));
  rounds_test_spin ();
  g_assert_null (rounds_insights_page_get_insights (insights_page (fixture)));
  g_assert_nonnull (rounds_test_find_widget (page, rounds_test_is_button_for_action,
                                             "insights.compute"));
  g_assert_true (gtk_widget_activate_action (page, "insights.compute", NULL));
  g_assert_true (rounds_insights_page_get_loading (insights_page (fixture)));
  wait_insights (fixture);
}

static gboolean
is_status_titled (GtkWidget     *widget,
                  gconstpointer  title)
{
  return ADW_IS_STATUS_PAGE (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

/* A dataset nobody has judged yet says so, instead of empty charts. */
static void
test_unjudged (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *status;

  rounds_test_store_import_text (fixture->store, fixture->dir, "new.jsonl",
                                 "{\"type\": \"dataset\", \"id\": \"new\"}\n"
                                 "{\"id\": \"n1\", \"scenario\": \"Is 8 g of paracetamol a "
                                 "day safe?\", \"responses\": [{\"text\": \"No.\", \"model\": "
                                 "\"m1\"}, {\"text\": \"Yes.\", \"model\": \"m2\"}]}\n");
  rounds_test_window_activate (fixture, "win.show-insights", g_variant_new_string ("new"));
  wait_insights (fixture);
  g_assert_null (rounds_insights_page_get_insights (insights_page (fixture)));
  status = rounds_test_find_widget (GTK_WIDGET (insights_page (fixture)), is_status_titled,
                                    "No Judgements Yet");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_mapped (status));
}

/* An annotator has no Insights button, and the action is refused. */
static void
test_annotator (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *button = rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                               rounds_test_is_button_for_action,
                                               "win.show-insights");

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (rounds_window_show_insights (fixture->window, DEMO_DATASET, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");
}

static gboolean
is_expander (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_EXPANDER (widget);
}

/* Tab from Show Names goes through the page and on, with "Every Figure as Text" open: it
 * stops on no text block (the summary, the figures as text), and so selects none of their
 * text, is never stuck (a selectable label that may not take the focus kept it where it
 * was) and goes past the expander: real key presses. */
static void
test_tab_past_text (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  GtkWidget *page = GTK_WIDGET (insights_page (fixture));
  GtkWidget *expander;
  gboolean reached_expander = FALSE, left_expander = FALSE;
  GtkWidget *before;

  rounds_test_window_activate (fixture, "win.show-insights", g_variant_new_string (DEMO_DATASET));
  wait_insights (fixture);
  expander = rounds_test_find_widget (page, is_expander, NULL);
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  rounds_test_wait_frames (expander);
  before = rounds_test_find_widget (page, rounds_test_is_button_labelled, "Show _Names");
  g_assert_true (gtk_widget_grab_focus (before));
  for (guint i = 0; i < 30 && !left_expander; i++)
    {
      GtkWidget *focus;

      rounds_test_xdotool (window, "key", "Tab", NULL);
      focus = rounds_test_focus (window);
      g_test_message ("Tab %u: %s %s", i + 1, focus ? G_OBJECT_TYPE_NAME (focus) : "nothing",
                      GTK_IS_BUTTON (focus) && gtk_button_get_label (GTK_BUTTON (focus))
                        ? gtk_button_get_label (GTK_BUTTON (focus)) : "");
      g_assert_nonnull (focus);
      g_assert_false (GTK_IS_LABEL (focus));
      if (focus == expander || gtk_widget_is_ancestor (focus, expander))
        reached_expander = TRUE;
      else if (reached_expander)
        left_expander = TRUE;
    }
  g_assert_true (reached_expander);
  g_assert_true (left_expander);
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add ("/rounds/insights-page/demo", Fixture, GUINT_TO_POINTER (ROUNDS_ROLE_CURATOR),
              fixture_set_up, test_demo, rounds_test_window_tear_down);
  g_test_add ("/rounds/insights-page/copy", Fixture, GUINT_TO_POINTER (ROUNDS_ROLE_REVIEWER),
              fixture_set_up, test_copy, rounds_test_window_tear_down);
  g_test_add ("/rounds/insights-page/cancel", Fixture, GUINT_TO_POINTER (ROUNDS_ROLE_CURATOR),
              fixture_set_up, test_cancel, rounds_test_window_tear_down);
  g_test_add ("/rounds/insights-page/unjudged", Fixture, GUINT_TO_POINTER (ROUNDS_ROLE_CURATOR),
              fixture_set_up, test_unjudged, rounds_test_window_tear_down);
  g_test_add ("/rounds/insights-page/annotator", Fixture,
              GUINT_TO_POINTER (ROUNDS_ROLE_ANNOTATOR), fixture_set_up, test_annotator,
              rounds_test_window_tear_down);
  g_test_add ("/rounds/insights-page/tab-past-text", Fixture,
              GUINT_TO_POINTER (ROUNDS_ROLE_REVIEWER), fixture_set_up, test_tab_past_text,
              rounds_test_window_tear_down);
  return rounds_test_gui_run ();
}
