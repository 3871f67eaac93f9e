/* test-insights-report.c: the Insights figures as text and as a PDF an ethics committee reads
 *
 * The PDF is checked as a reader gets it: poppler's pdftoppm must render it and pdftotext
 * must find in it the figures `rounds-cli insights --json` gives for the same database,
 * rounded as the report prints them, with the annotators as pseudonyms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "rounds-export.h"
#include "rounds-insights-private.h"
#include "rounds-insights-report.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"

#define DEMO_DATASET "clinical-ethics-demo"

/* A hand-made set of figures: three models, two criteria, two annotators. ---------------- */

static RoundsModelRating *
rating (const char *model,
        double      value,
        double      lower,
        double      upper,
        guint       rank)
{
  RoundsModelRating *r = g_new0 (RoundsModelRating, 1);

  r->model = g_strdup (model);
  r->rating = value;
  r->lower = lower;
  r->upper = upper;
  r->rank = rank;
  r->wins = 10 * (4 - rank);
  r->ties = 3;
  r->losses = 5 * rank;
  r->n_comparisons = r->wins + r->ties + r->losses;
  return r;
}

static RoundsInsights *
hand_made_insights (void)
{
  RoundsInsightData data = { .datasets = g_ptr_array_new (), .rubric_version = 3 };
  RoundsInsightsOptions options;
  RoundsInsights *insights;
  const char *models[] = { "alpha-7b", "beta-13b", "gamma-70b" };
  const char *annotators[] = { NULL, "dr-lin", "dr-okafor" };
  const double wins[9] = { 0, 7.5, 9, 2.5, 0, 6, 1, 4, 0 };
  const double counts[9] = { 0, 10, 10, 10, 0, 10, 10, 10, 0 };

  /* The core's own empty report: its arrays free what they hold. */
  rounds_insights_options_init (&options);
  insights = _rounds_insights_new (&data, &options);
  g_ptr_array_unref (data.datasets);
  g_ptr_array_add (insights->datasets, g_strdup ("ward-7"));
  insights->n_items = 15;
  insights->n_judgements = 30;
  insights->n_annotators = 2;
  insights->n_verdicts = 1;
  insights->n_unacceptable = 2;
  insights->alpha = 0.4567;

  g_ptr_array_add (insights->ratings, rating (models[0], 1123.4, 1061.2, 1190.7, 1));
  g_ptr_array_add (insights->ratings, rating (models[1], 987.6, 930.1, 1044.9, 2));
  g_ptr_array_add (insights->ratings, rating (models[2], 889.0, 820.4, 951.5, 2));
  insights->matrix = g_memdup2 (wins, sizeof wins);
  insights->matrix_count = g_memdup2 (counts, sizeof counts);

  for (guint c = 0; c < 2; c++)
    for (guint m = 0; m < 3; m++)
      {
        RoundsCriterionScore *s = g_new0 (RoundsCriterionScore, 1);

        s->criterion = g_strdup (c == 0 ? "accuracy" : "safety");
        s->label = g_strdup (c == 0 ? "Accuracy" : "Safety");
        s->model = g_strdup (models[m]);
        s->mean = 4.25 - m * 0.875 - c * 0.125;
        s->lower = s->mean - 0.375;
        s->upper = MIN (s->mean + 0.375, 5);
        s->n = 10;
        g_ptr_array_add (insights->criteria, s);
      }

  for (guint a = 0; a < G_N_ELEMENTS (annotators); a++)
    {
      RoundsPositionBias *b = g_new0 (RoundsPositionBias, 1);
      RoundsTimeOnTask *t = g_new0 (RoundsTimeOnTask, 1);

      b->annotator = g_strdup (annotators[a]);
      b->decisive = a == 0 ? 26 : 13;
      b->first_preferred = a == 2 ? 11 : (a == 0 ? 18 : 7);
      b->share = (double) b->first_preferred / b->decisive;
      b->p_value = a == 2 ? 0.0231 : (a == 0 ? 0.0762 : 1.0);
      g_ptr_array_add (insights->position, b);

      t->annotator = g_strdup (annotators[a]);
      t->seconds = g_array_new (FALSE, FALSE, sizeof (double));
      t->fast = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; k < (a == 0 ? 30 : 15); k++)
        {
          double seconds = 20 + 11 * k + 40 * a;

          g_array_append_val (t->seconds, seconds);
        }
      t->n = t->seconds->len;
      t->median_s = g_array_index (t->seconds, double, t->n / 2);
      t->p10_s = g_array_index (t->seconds, double, t->n / 10);
      t->p90_s = g_array_index (t->seconds, double, t->n * 9 / 10);
      t->n_fast = a == 1 ? 2 : 0;
      g_ptr_array_add (insights->time, t);

      if (annotators[a] != NULL)
        {
          RoundsAnnotatorAgreement *agreement = g_new0 (RoundsAnnotatorAgreement, 1);

          agreement->annotator = g_strdup (annotators[a]);
          agreement->n = 15;
          agreement->alpha_with = 0.4567;
          agreement->alpha_without = NAN;
          g_ptr_array_add (insights->agreement, agreement);
        }
    }
  {
    RoundsPeriodAgreement *week = g_new0 (RoundsPeriodAgreement, 1);

    week->period = g_strdup ("2026-W48");
    week->alpha = 0.51;
    week->n = 30;
    g_ptr_array_add (insights->weekly, week);
  }
  return insights;
}

/* Helpers ----------------------------------------------------------------------------- */

/* @text with every run of white space made one space: a wrapped line reads as one. */
static char *
squeeze (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        if (out->len > 0 && out->str[out->len - 1] != ' ')
          g_string_append_c (out, ' ');
      }
    else
      g_string_append_c (out, *p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, haystack);
}

/* Runs @argv, which must succeed; its standard output. */
static char *
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

/* Renders the first page of @pdf with poppler (it must open), then its text, squeezed. */
static char *
render_and_read (const char *dir,
                 const char *pdf)
{
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *png = g_build_filename (dir, "page-1.png", NULL);
  g_autofree char *text = NULL;
  const char *render[] = { "pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf, prefix,
                           NULL };
  const char *read[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  GStatBuf st;

  g_free (run (render));
  g_assert_cmpint (g_stat (png, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);
  text = run (read);
  return squeeze (text);
}

/* Cases ------------------------------------------------------------------------------- */

/* The text names every figure: ratings and intervals as printed, the matrix, the criteria,
 * the bias with its test, the times; names are the ones given. */
static void
test_describe (void)
{
  g_autoptr(RoundsInsights) insights = hand_made_insights ();
  g_autoptr(GHashTable) names = rounds_insights_pseudonyms (insights, "a key");
  g_autofree char *lin = rounds_export_pseudonym ("a key", "dr-lin");
  g_autofree char *text = rounds_insights_describe (insights, names);
  g_autofree char *real = rounds_insights_describe (insights, NULL);
  g_autofree char *bias = g_strdup_printf ("%s: 54%% of 13 decisive judgements", lin);

  assert_contains (text, "Insights: ward-7 (rubric version 3)");
  assert_contains (text, "15 items, 30 judgements by 2 annotators, 1 verdict; 2 called");
  assert_contains (text, "1. alpha-7b: 1123 (95% interval 1061–1191); 30 wins, 3 ties, 5 losses");
  assert_contains (text, "2. gamma-70b: 889 (95% interval 820–952)");
  assert_contains (text, "alpha-7b over beta-13b: 75% of 10 comparisons");
  assert_contains (text, "Safety, gamma-70b: 2.38 (95% interval 2.00–2.75; 10 scores)");
  assert_contains (text, "Everyone: 69% of 26 decisive judgements preferred the response shown "
                         "first (18; p = 0.076)");
  assert_contains (text, bias);
  assert_contains (text, "2026-W48: α 0.51 (30 judgements)");
  assert_contains (text, "α of the preference (ordinal): 0.46");
  g_assert_null (strstr (text, "dr-lin"));
  assert_contains (real, "dr-lin: 54% of 13 decisive judgements");
  g_assert_null (strstr (real, lin));
}

/* The report of hand-made figures: it renders, and says what the committee must know. */
static void
test_pdf_hand_made (void)
{
  g_autoptr(RoundsInsights) insights = hand_made_insights ();
  g_autoptr(GHashTable) names = rounds_insights_pseudonyms (insights, "a key");
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 12, 1, 9, 0, 0);
  g_autofree char *dir = rounds_test_make_dir ();
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *lin = rounds_export_pseudonym ("a key", "dr-lin");
  g_autofree char *okafor = rounds_export_pseudonym ("a key", "dr-okafor");
  g_autofree char *text = NULL;
  g_autofree char *who = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_insights_write_pdf (insights, names, date, pdf, &error));
  g_assert_no_error (error);
  text = render_and_read (dir, pdf);
  assert_contains (text, "Datasets: ward-7");
  assert_contains (text, "Rubric version: 3");
  assert_contains (text, "Date: 2026-12-01");
  assert_contains (text, "Rounds version: " PACKAGE_VERSION);
  /* Sorted by user name, shown as pseudonyms. */
  who = g_strdup_printf ("Annotators (pseudonyms): %s, %s", lin, okafor);
  assert_contains (text, who);
  g_assert_null (strstr (text, "dr-okafor"));
  assert_contains (text, "1. alpha-7b: 1123 (95% interval 1061–1191)");
  assert_contains (text, "Accuracy, alpha-7b: 4.25 (95% interval 3.88–4.62; 10 scores)");
  assert_contains (text, "p = 0.023");
  rounds_test_remove_tree (dir);
}

/* A report that cannot be written says where, and leaves nothing behind. */
static void
test_pdf_unwritable (void)
{
  g_autoptr(RoundsInsights) insights = hand_made_insights ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 12, 1, 9, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (rounds_insights_write_pdf (insights, NULL, date, "/nonexistent/dir/r.pdf",
                                             &error));
  g_assert_nonnull (error);
  assert_contains (error->message, "/nonexistent/dir/r.pdf");
}

/* The demo's report carries what `rounds-cli insights --json` says of the same database. */
static void
test_pdf_demo (void)
{
  g_autofree char *dir = rounds_test_make_dir ();
  g_autofree char *db = g_build_filename (dir, "rounds.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "demo.pdf", NULL);
  const char *datasets[] = { DEMO_DATASET, NULL };
  const char *cli[] = { g_getenv ("ROUNDS_CLI"), "--db", db, "insights", "--json", DEMO_DATASET,
                        NULL };
  g_autoptr(RoundsStore) store = NULL;
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_now_local ();
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;
  JsonArray *ratings;
  RoundsInsightsOptions options;

  store = rounds_store_open (db, &error);
  g_assert_no_error (error);
  rounds_test_store_import_demo (store);
  rounds_insights_options_init (&options);
  insights = rounds_store_compute_insights (store, datasets, &options, NULL, &error);
  g_assert_no_error (error);
  key = rounds_store_get_pseudonym_key (store, &error);
  g_assert_no_error (error);
  names = rounds_insights_pseudonyms (insights, key);
  g_assert_true (rounds_insights_write_pdf (insights, names, date, pdf, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  text = render_and_read (dir, pdf);

  /* What the command line says, with the same default options, from the same file. */
  json = run (cli);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  ratings = json_object_get_array_member (root, "ratings");
  g_assert_cmpuint (json_array_get_length (ratings), ==, 4);
  for (guint i = 0; i < json_array_get_length (ratings); i++)
    {
      JsonObject *r = json_array_get_object_element (ratings, i);
      g_autofree char *line = g_strdup_printf ("%u. %s: %.0f (95%% interval %.0f–%.0f)",
                                               (guint) json_object_get_int_member (r, "rank"),
                                               json_object_get_string_member (r, "model"),
                                               json_object_get_double_member (r, "rating"),
                                               json_object_get_double_member (r, "lower"),
                                               json_object_get_double_member (r, "upper"));

      assert_contains (text, line);
    }
  {
    JsonArray *position = json_object_get_array_member (root, "position_bias");
    JsonObject *everyone = json_array_get_object_element (position, 0);
    g_autofree char *line = NULL;

    g_assert_true (json_object_get_null_member (everyone, "annotator"));
    line = g_strdup_printf ("Everyone: %.0f%% of %u decisive judgements",
                            100 * json_object_get_double_member (everyone, "share"),
                            (guint) json_object_get_int_member (everyone, "decisive"));
    assert_contains (text, line);
  }
  g_assert_null (strstr (text, "dr-amara"));
  rounds_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add_func ("/rounds/insights-report/describe", test_describe);
  g_test_add_func ("/rounds/insights-report/pdf-hand-made", test_pdf_hand_made);
  g_test_add_func ("/rounds/insights-report/pdf-unwritable", test_pdf_unwritable);
  g_test_add_func ("/rounds/insights-report/pdf-demo", test_pdf_demo);
  return rounds_test_gui_run ();
}
