/* test-insights.c: the Bradley-Terry fit, its bootstrap, and the insights of a store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rounds-bradley-terry.h"
#include "rounds-error.h"
#include "rounds-insights-private.h"
#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

/* Bradley-Terry ------------------------------------------------------------------------ */

/* Stigler's (1994) citations among four statistics journals, as in Agresti (2002, p. 448)
 * and as fitted in Turner & Firth (2012), "Bradley-Terry Models in R: The BradleyTerry2
 * Package", Journal of Statistical Software 48(9), section 2.1 (data set `citations` of
 * BradleyTerry2): the cited journal wins, the citing one loses; self-citations are left
 * out. Row cited, column citing: Biometrika, Comm Statist, JASA, JRSS-B. The paper's
 * maximum-likelihood coefficients, Biometrika = 0: Comm Statist −2.9491, JASA −0.4796,
 * JRSS-B 0.2690. */
static void
test_bt_published (void)
{
  static const double citations[4][4] = {
    { 714, 730,  498, 221 },
    {  33, 425,   68,  17 },
    { 320, 813, 1072, 142 },
    { 284, 276,  325, 188 },
  };
  static const double published[4] = { 0.0, -2.9491, -0.4796, 0.2690 };
  g_autoptr(RoundsBradleyTerry) bt = rounds_bradley_terry_new (4);
  g_autoptr(GError) error = NULL;
  double beta[4], mean = 0.0;
  guint cluster = 0;

  for (guint i = 0; i < 4; i++)
    for (guint j = i + 1; j < 4; j++, cluster++)
      {
        rounds_bradley_terry_add (bt, cluster, i, j, 1.0, citations[i][j]);
        rounds_bradley_terry_add (bt, cluster, i, j, 0.0, citations[j][i]);
      }
  g_assert_true (rounds_bradley_terry_fit (bt, 0.0, beta, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < 4; k++)
    mean += beta[k] / 4;
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 1e-12);
  g_test_message ("citations, Biometrika = 0: Comm Statist %.6f, JASA %.6f, JRSS-B %.6f",
                  beta[1] - beta[0], beta[2] - beta[0], beta[3] - beta[0]);
  for (guint k = 1; k < 4; k++)
    g_assert_cmpfloat_with_epsilon (beta[k] - beta[0], published[k], 0.5e-4);

  /* The same data added one citation at a time, in scenarios of their own, fit the same. */
  {
    g_autoptr(RoundsBradleyTerry) single = rounds_bradley_terry_new (4);
    double again[4];

    cluster = 0;
    for (guint i = 0; i < 4; i++)
      for (guint j = 0; j < 4; j++)
        for (guint c = 0; i != j && c < citations[i][j]; c++)
          rounds_bradley_terry_add (single, cluster++, i, j, 1.0, 1.0);
    g_assert_true (rounds_bradley_terry_fit (single, 0.0, again, &error));
    for (guint k = 0; k < 4; k++)
      g_assert_cmpfloat_with_epsilon (again[k], beta[k], 1e-9);
  }
}

typedef struct
{
  guint64 cluster;
  guint   i;
  guint   j;
  double  outcome;
} Comparison;

/* Random comparisons among @n_models with true strengths @truth, @per_cluster to a
 * cluster (each cluster one random pair). */
static GArray *
simulate (GRand        *rand,
          guint         n_models,
          const double *truth,
          guint         n_clusters,
          guint         per_cluster)
{
  GArray *comparisons = g_array_new (FALSE, FALSE, sizeof (Comparison));

  for (guint c = 0; c < n_clusters; c++)
    {
      guint i = g_rand_int_range (rand, 0, n_models);
      guint j = (i + g_rand_int_range (rand, 1, n_models)) % n_models;

      for (guint k = 0; k < per_cluster; k++)
        {
          double p = 1.0 / (1.0 + exp (truth[j] - truth[i]));
          Comparison comparison = { 1000 + c, i, j, g_rand_double (rand) < p ? 1.0 : 0.0 };

          g_array_append_val (comparisons, comparison);
        }
    }
  return comparisons;
}

static RoundsBradleyTerry *
bt_from (GArray      *comparisons,
         guint        n_models,
         const guint *label)
{
  RoundsBradleyTerry *bt = rounds_bradley_terry_new (n_models);

  for (guint c = 0; c < comparisons->len; c++)
    {
      Comparison *comparison = &g_array_index (comparisons, Comparison, c);

      rounds_bradley_terry_add (bt, comparison->cluster,
                                label ? label[comparison->i] : comparison->i,
                                label ? label[comparison->j] : comparison->j,
                                comparison->outcome, 1.0);
    }
  return bt;
}

static void
test_bt_invariance (void)
{
  static const double truth[6] = { 0.8, 0.3, 0.0, -0.2, -0.4, -0.5 };
  static const guint label[6] = { 3, 5, 0, 1, 4, 2 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) comparisons = simulate (rand, 6, truth, 300, 3);
  g_autoptr(GArray) shuffled = g_array_copy (comparisons);
  g_autoptr(RoundsBradleyTerry) plain = NULL;
  g_autoptr(RoundsBradleyTerry) relabelled = NULL;
  g_autoptr(RoundsBradleyTerry) reordered = NULL;
  g_autoptr(GError) error = NULL;
  double beta[6], beta_relabelled[6], beta_reordered[6];
  double lower[6], upper[6], lower2[6], upper2[6], lower3[6], upper3[6];

  /* Fisher-Yates, judgements of every scenario scattered through the list. */
  for (guint c = shuffled->len - 1; c > 0; c--)
    {
      guint d = g_rand_int_range (rand, 0, c + 1);
      Comparison t = g_array_index (shuffled, Comparison, c);

      g_array_index (shuffled, Comparison, c) = g_array_index (shuffled, Comparison, d);
      g_array_index (shuffled, Comparison, d) = t;
    }

  plain = bt_from (comparisons, 6, NULL);
  relabelled = bt_from (comparisons, 6, label);
  reordered = bt_from (shuffled, 6, NULL);
  g_assert_true (rounds_bradley_terry_fit (plain, 0.01, beta, &error));
  g_assert_true (rounds_bradley_terry_fit (relabelled, 0.01, beta_relabelled, &error));
  g_assert_true (rounds_bradley_terry_fit (reordered, 0.01, beta_reordered, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (plain, 0.01, beta, 200, 5, 0.95,
                                                 lower, upper, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (relabelled, 0.01, beta_relabelled, 200, 5,
                                                 0.95, lower2, upper2, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (reordered, 0.01, beta_reordered, 200, 5, 0.95,
                                                 lower3, upper3, &error));
  g_assert_no_error (error);

  for (guint k = 0; k < 6; k++)
    {
      g_assert_cmpfloat_with_epsilon (beta_relabelled[label[k]], beta[k], 1e-9);
      g_assert_cmpfloat_with_epsilon (lower2[label[k]], lower[k], 1e-9);
      g_assert_cmpfloat_with_epsilon (upper2[label[k]], upper[k], 1e-9);
      /* Sums of halves and ones are exact: the order changes nothing at all. */
      g_assert_cmpfloat (beta_reordered[k], ==, beta[k]);
      g_assert_cmpfloat (lower3[k], ==, lower[k]);
      g_assert_cmpfloat (upper3[k], ==, upper[k]);
    }
}

/* Model 0 wins every comparison: no finite MLE; with the ridge a finite strength where the
 * ridge balances the wins, Σ_j (w_0j − n_0j σ(β_0 − β_j)) = ridge · β_0. */
static void
test_bt_always_wins (void)
{
  g_autoptr(RoundsBradleyTerry) bt = rounds_bradley_terry_new (3);
  g_autoptr(GError) error = NULL;
  double beta[3], lower[3], upper[3], score = 0.0;

  for (guint c = 0; c < 10; c++)
    {
      rounds_bradley_terry_add (bt, c, 0, 1, 1.0, 1.0);
      rounds_bradley_terry_add (bt, c, 2, 0, 0.0, 1.0);
      rounds_bradley_terry_add (bt, c, 1, 2, c % 3 == 0 ? 0.0 : 1.0, 1.0);
    }

  g_assert_false (rounds_bradley_terry_fit (bt, 0.0, beta, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (rounds_bradley_terry_fit (bt, ROUNDS_BRADLEY_TERRY_RIDGE, beta, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < 3; k++)
    g_assert_true (isfinite (beta[k]));
  g_assert_cmpfloat (beta[0], >, beta[1]);
  g_assert_cmpfloat (beta[1], >, beta[2]);
  g_assert_cmpfloat_with_epsilon (beta[0] + beta[1] + beta[2], 0.0, 1e-9);
  for (guint j = 1; j < 3; j++)
    score += 10 * (1.0 - 1.0 / (1.0 + exp (beta[j] - beta[0])));
  g_assert_cmpfloat_with_epsilon (score, ROUNDS_BRADLEY_TERRY_RIDGE * beta[0], 1e-8);
  g_test_message ("always-winning model with ridge %.2f: rating %.0f",
                  ROUNDS_BRADLEY_TERRY_RIDGE, rounds_bradley_terry_rating (beta[0]));

  /* The bootstrap of a ridge-0 fit refits such rounds with the default ridge: finite. */
  g_assert_true (rounds_bradley_terry_bootstrap (bt, 0.0, beta, 100, 1, 0.95, lower, upper,
                                                 &error));
  g_assert_no_error (error);
  for (guint k = 0; k < 3; k++)
    g_assert_true (isfinite (lower[k]) && isfinite (upper[k]) && lower[k] <= upper[k]);
}

static void
test_bt_seed (void)
{
  static const double truth[4] = { 0.5, 0.1, -0.2, -0.4 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GArray) comparisons = simulate (rand, 4, truth, 200, 2);
  g_autoptr(RoundsBradleyTerry) bt = bt_from (comparisons, 4, NULL);
  g_autoptr(GError) error = NULL;
  double beta[4], a_lower[4], a_upper[4], b_lower[4], b_upper[4], c_lower[4], c_upper[4];

  g_assert_true (rounds_bradley_terry_fit (bt, 0.01, beta, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (bt, 0.01, beta, 300, 42, 0.95,
                                                 a_lower, a_upper, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (bt, 0.01, beta, 300, 42, 0.95,
                                                 b_lower, b_upper, &error));
  g_assert_true (rounds_bradley_terry_bootstrap (bt, 0.01, beta, 300, 43, 0.95,
                                                 c_lower, c_upper, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (a_lower, sizeof a_lower, b_lower, sizeof b_lower);
  g_assert_cmpmem (a_upper, sizeof a_upper, b_upper, sizeof b_upper);
  g_assert_true (memcmp (a_lower, c_lower, sizeof a_lower) != 0 ||
                 memcmp (a_upper, c_upper, sizeof a_upper) != 0);
  for (guint k = 0; k < 4; k++)
    g_assert_true (a_lower[k] < beta[k] && beta[k] < a_upper[k]);
}

/* 200 datasets simulated from known strengths (centred, as the fit is): the share of
 * nominal 95% intervals that cover the truth. */
static void
test_bt_coverage (void)
{
  static const double raw[8] = { 1.0, 0.7, 0.4, 0.2, 0.0, -0.3, -0.6, -1.0 };
  const guint n_datasets = 200, n_models = 8;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  double truth[8], mean = 0.0;
  guint covered = 0, total = 0;

  for (guint k = 0; k < n_models; k++)
    mean += raw[k] / n_models;
  for (guint k = 0; k < n_models; k++)
    truth[k] = raw[k] - mean;

  for (guint d = 0; d < n_datasets; d++)
    {
      g_autoptr(GArray) comparisons = simulate (rand, n_models, truth, 400, 3);
      g_autoptr(RoundsBradleyTerry) bt = bt_from (comparisons, n_models, NULL);
      g_autoptr(GError) error = NULL;
      double beta[8], lower[8], upper[8];

      g_assert_true (rounds_bradley_terry_fit (bt, ROUNDS_BRADLEY_TERRY_RIDGE, beta, &error));
      g_assert_true (rounds_bradley_terry_bootstrap (bt, ROUNDS_BRADLEY_TERRY_RIDGE, beta, 400,
                                                     d + 1, 0.95, lower, upper, &error));
      g_assert_no_error (error);
      for (guint k = 0; k < n_models; k++)
        {
          covered += lower[k] <= truth[k] && truth[k] <= upper[k];
          total++;
        }
    }
  g_test_message ("coverage of nominal 95%% scenario-bootstrap intervals: %u of %u = %.1f%% "
                  "(200 datasets, 8 models, 400 scenarios of 3 judgements, 400 rounds)",
                  covered, total, 100.0 * covered / total);
  g_assert_cmpfloat ((double) covered / total, >=, 0.90);
}

static void
test_binomial (void)
{
  /* R: binom.test (7, 10)$p.value, binom.test (0, 10)$p.value, binom.test (60, 100) */
  g_assert_cmpfloat_with_epsilon (_rounds_binomial_test (7, 10), 0.34375, 1e-12);
  g_assert_cmpfloat_with_epsilon (_rounds_binomial_test (3, 10), 0.34375, 1e-12);
  g_assert_cmpfloat_with_epsilon (_rounds_binomial_test (0, 10), 0.001953125, 1e-12);
  g_assert_cmpfloat_with_epsilon (_rounds_binomial_test (60, 100), 0.05688793, 1e-7);
  g_assert_cmpfloat (_rounds_binomial_test (5, 10), ==, 1.0);
  g_assert_cmpfloat (_rounds_binomial_test (0, 0), ==, 1.0);
  /* Large n: no underflow to 0/0, no overflow */
  g_assert_cmpfloat (_rounds_binomial_test (500000, 1000000), ==, 1.0);
  g_assert_cmpfloat (_rounds_binomial_test (501000, 1000000), >, 0.04);
  g_assert_cmpfloat (_rounds_binomial_test (501000, 1000000), <, 0.06);
  g_assert_cmpfloat (_rounds_binomial_test (600000, 1000000), >=, 0.0);
  g_assert_cmpfloat (_rounds_binomial_test (600000, 1000000), <, 1e-100);
}

/* Datasets through import ---------------------------------------------------------------- */

typedef struct
{
  GString *text;
  guint    n_items;
} Builder;

static void
builder_dataset (Builder    *b,
                 const char *metadata)
{
  g_string_append_printf (b->text,
                          "{\"type\": \"dataset\", \"id\": \"ds\", \"overlap\": 3, \"scale\": 5%s%s}\n",
                          metadata ? ", \"metadata\": " : "", metadata ? metadata : "");
}

/* An item with responses a, b(, c…) of @models (NULL-terminated) and a @length-character
 * scenario. */
static void
builder_item (Builder     *b,
              const char  *key,
              const char  *specialty,
              const char  *language,
              guint        length,
              const char **models)
{
  g_autofree char *scenario = g_strnfill (length, 'x');

  g_string_append_printf (b->text,
                          "{\"type\": \"item\", \"dataset\": \"ds\", \"id\": \"%s\", \"scenario\": \"%s\"",
                          key, scenario);
  if (specialty)
    g_string_append_printf (b->text, ", \"specialty\": \"%s\"", specialty);
  if (language)
    g_string_append_printf (b->text, ", \"language\": \"%s\"", language);
  g_string_append (b->text, ", \"responses\": [");
  for (guint r = 0; models[r] != NULL; r++)
    g_string_append_printf (b->text, "%s{\"id\": \"%c\", \"text\": \"R\", \"model\": \"%s\"}",
                            r ? ", " : "", 'a' + r, models[r]);
  g_string_append (b->text, "]}\n");
  b->n_items++;
}

/* A submitted two-response judgement; @first: the response shown first, "a" or "b". */
static void
builder_judgement (Builder    *b,
                   const char *key,
                   const char *annotator,
                   int         preference,
                   const char *first,
                   gint64      time_ms,
                   const char *created_at)
{
  g_string_append_printf (b->text,
                          "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"%s\","
                          " \"annotator\": \"%s\", \"status\": \"submitted\", \"preference\": %d,"
                          " \"shown_order\": [\"%s\", \"%s\"], \"time_spent_ms\": %" G_GINT64_FORMAT ","
                          " \"created_at\": \"%s\", \"revision\": 1}\n",
                          key, annotator, preference, first, g_str_equal (first, "a") ? "b" : "a",
                          time_ms, created_at ? created_at : "2026-10-05T08:00:00Z");
}

static RoundsInsights *
compute (Fixture  *fixture,
         gboolean  graded,
         guint     bootstrap)
{
  g_autoptr(GError) error = NULL;
  RoundsInsightsOptions options;
  RoundsInsights *insights;

  rounds_insights_options_init (&options);
  options.graded = graded;
  options.bootstrap = bootstrap;
  insights = rounds_store_compute_insights (fixture->store, NULL, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (insights);
  return insights;
}

static RoundsModelRating *
find_rating (GPtrArray  *ratings,
             const char *model)
{
  for (guint r = 0; r < ratings->len; r++)
    {
      RoundsModelRating *rating = g_ptr_array_index (ratings, r);

      if (g_str_equal (rating->model, model))
        return rating;
    }
  g_assert_not_reached ();
}

static const char *two[] = { "m1", "m2", NULL };

/* Position bias: "biased" prefers what is shown first 70% of the time, "fair" prefers by
 * a coin that does not look at the screen. */
static void
test_position_bias (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (70);
  g_autoptr(GString) text = g_string_new (NULL);
  Builder b = { text, 0 };
  g_autoptr(RoundsInsights) insights = NULL;
  RoundsPositionBias *everyone, *biased, *fair;

  builder_dataset (&b, NULL);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i);

      builder_item (&b, key, NULL, NULL, 100, two);
    }
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i);
      const char *first = g_rand_boolean (rand) ? "a" : "b";
      gboolean take_first = g_rand_double (rand) < 0.7;
      const char *chosen = take_first ? first : (g_str_equal (first, "a") ? "b" : "a");

      builder_judgement (&b, key, "biased", g_str_equal (chosen, "a") ? -2 : 2, first, 60000,
                         NULL);
      first = g_rand_boolean (rand) ? "a" : "b";
      builder_judgement (&b, key, "fair", g_rand_boolean (rand) ? -1 : 1, first, 60000, NULL);
    }
  rounds_test_store_import_text (fixture->store, fixture->dir, "bias.jsonl", text->str);

  insights = compute (fixture, FALSE, 0);
  g_assert_cmpuint (insights->position->len, ==, 3);
  everyone = g_ptr_array_index (insights->position, 0);
  biased = g_ptr_array_index (insights->position, 1);
  fair = g_ptr_array_index (insights->position, 2);
  g_assert_null (everyone->annotator);
  g_assert_cmpstr (biased->annotator, ==, "biased");
  g_assert_cmpstr (fair->annotator, ==, "fair");
  g_assert_cmpuint (biased->decisive, ==, 300);
  g_assert_cmpuint (everyone->decisive, ==, 600);
  g_assert_cmpuint (everyone->first_preferred, ==, biased->first_preferred +
                                                   fair->first_preferred);
  g_test_message ("biased: %u of %u first (p = %.3g); fair: %u of %u (p = %.3g)",
                  biased->first_preferred, biased->decisive, biased->p_value,
                  fair->first_preferred, fair->decisive, fair->p_value);
  g_assert_cmpfloat (biased->share, >, 0.6);
  g_assert_cmpfloat (biased->p_value, <, 0.01);
  g_assert_cmpfloat (fair->p_value, >=, 0.01);
}

/* Time on task: 100-character scenarios and two 1-character responses are 102 characters;
 * at 100 s per 1 000 characters, anything under 10.2 s is fast. */
static void
test_time_on_task (Fixture       *fixture,
                   gconstpointer  data)
{
  static const gint64 times[] = { 5000, 10000, 10300, 20000, 60000 };
  g_autoptr(GString) text = g_string_new (NULL);
  Builder b = { text, 0 };
  g_autoptr(RoundsInsights) insights = NULL;
  RoundsTimeOnTask *everyone, *ann;

  builder_dataset (&b, "{\"reading_seconds_per_1000_chars\": 100}");
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i);

      builder_item (&b, key, NULL, NULL, 100, two);
      builder_judgement (&b, key, "ann", -1, "a", times[i], NULL);
      builder_judgement (&b, key, "other", 1, "a", 0, NULL);    /* no time recorded */
    }
  rounds_test_store_import_text (fixture->store, fixture->dir, "time.jsonl", text->str);

  insights = compute (fixture, FALSE, 0);
  g_assert_cmpuint (insights->time->len, ==, 3);
  everyone = g_ptr_array_index (insights->time, 0);
  ann = g_ptr_array_index (insights->time, 1);
  g_assert_cmpstr (ann->annotator, ==, "ann");
  g_assert_cmpuint (everyone->n, ==, 5);
  g_assert_cmpuint (ann->n, ==, 5);
  g_assert_cmpfloat_with_epsilon (ann->median_s, 10.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (ann->p10_s, 5.0 + 0.4 * 5.0, 1e-9);     /* type 7 */
  g_assert_cmpfloat_with_epsilon (ann->p90_s, 20.0 + 0.6 * 40.0, 1e-9);
  g_assert_cmpfloat (g_array_index (ann->seconds, double, 0), ==, 5.0);
  g_assert_cmpuint (ann->n_fast, ==, 2);
  g_assert_cmpuint (ann->fast->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ann->fast, 0), "judgement:ann:ds:item-0:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ann->fast, 1), "judgement:ann:ds:item-1:"));
  g_assert_cmpuint (((RoundsTimeOnTask *) g_ptr_array_index (insights->time, 2))->n, ==, 0);
}

/* Agreement: "a" and "b" agree, "c" says the opposite. Leaving "c" out must raise alpha,
 * to exactly the alpha of a store without "c". */
static void
test_agreement (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) without = g_string_new (NULL);
  Builder b = { text, 0 };
  Builder w = { without, 0 };
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(RoundsInsights) reference = NULL;
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  RoundsStore *other;
  RoundsAnnotatorAgreement *c;

  builder_dataset (&b, NULL);
  builder_dataset (&w, NULL);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i);
      int p = (int) (i % 5) - 2;
      const char *week = i < 6 ? "2026-11-23T10:00:00Z" : "2026-12-01T10:00:00Z";

      builder_item (&b, key, NULL, NULL, 10, two);
      builder_item (&w, key, NULL, NULL, 10, two);
      builder_judgement (&b, key, "a", p, "a", 1000, week);
      builder_judgement (&b, key, "b", p == 2 ? 1 : p, "a", 1000, week);
      builder_judgement (&b, key, "c", -p, "a", 1000, week);
      builder_judgement (&w, key, "a", p, "a", 1000, week);
      builder_judgement (&w, key, "b", p == 2 ? 1 : p, "a", 1000, week);
    }
  rounds_test_store_import_text (fixture->store, fixture->dir, "all.jsonl", text->str);
  other = rounds_test_store_open_new (fixture, "without.db");
  rounds_test_store_import_text (other, fixture->dir, "without.jsonl", without->str);

  insights = compute (fixture, FALSE, 0);
  dataset = rounds_store_get_dataset (fixture->store, "ds", &error);
  g_assert_true (rounds_store_compute_agreement (fixture->store, rounds_dataset_get_id (dataset),
                                                 &report, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (insights->alpha, report->preference.alpha.alpha, 1e-12);

  g_assert_cmpuint (insights->agreement->len, ==, 3);
  c = g_ptr_array_index (insights->agreement, 2);
  g_assert_cmpstr (c->annotator, ==, "c");
  g_assert_cmpuint (c->n, ==, 12);
  g_assert_cmpfloat (c->alpha_without, >, c->alpha_with);

  reference = rounds_store_compute_insights (other, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (c->alpha_without, reference->alpha, 1e-12);
  g_assert_cmpfloat (((RoundsAnnotatorAgreement *) g_ptr_array_index (insights->agreement,
                                                                      0))->alpha_without,
                     <, c->alpha_without);

  /* Two ISO weeks, each with its own alpha; no rubric scores, so no criterion alpha. */
  g_assert_cmpuint (insights->weekly->len, ==, 2);
  g_assert_cmpstr (((RoundsPeriodAgreement *) g_ptr_array_index (insights->weekly, 0))->period,
                   ==, "2026-W48");
  g_assert_cmpstr (((RoundsPeriodAgreement *) g_ptr_array_index (insights->weekly, 1))->period,
                   ==, "2026-W49");
  g_assert_cmpuint (((RoundsPeriodAgreement *) g_ptr_array_index (insights->weekly, 0))->n, ==,
                    18);
  g_assert_cmpuint (insights->criterion_alpha->len, ==, 0);
  g_object_unref (other);
}

/* The same judgements, in another order and with the models renamed (so they sort
 * differently), give every model the same rating and interval. */
static void
test_store_invariance (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char *names[] = { "alpha", "bravo", "charlie", "delta" };
  static const char *renamed[] = { "zulu", "yankee", "x-ray", "whiskey" };
  static const double strength[] = { 0.8, 0.2, -0.3, -0.7 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RoundsInsights) first = NULL;
  g_autoptr(RoundsInsights) second = NULL;
  g_autoptr(GError) error = NULL;
  Builder ba = { a, 0 };
  Builder bb = { b, 0 };
  RoundsStore *other;
  RoundsInsightsOptions options;

  builder_dataset (&ba, NULL);
  builder_dataset (&bb, NULL);
  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *key = g_strdup_printf ("item-%u", i);
      guint x = g_rand_int_range (rand, 0, 4);
      guint y = (x + g_rand_int_range (rand, 1, 4)) % 4;
      const char *pair[] = { names[x], names[y], NULL };
      const char *pair_renamed[] = { renamed[x], renamed[y], NULL };
      double p = 1.0 / (1.0 + exp (strength[y] - strength[x]));

      builder_item (&ba, key, NULL, NULL, 10, pair);
      builder_item (&bb, key, NULL, NULL, 10, pair_renamed);
      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *annotator = g_strdup_printf ("ann-%u", k);
          g_autoptr(GString) line = g_string_new (NULL);
          Builder bl = { line, 0 };

          builder_judgement (&bl, key, annotator,
                             g_rand_double (rand) < p ? -2 : g_rand_int_range (rand, 0, 3),
                             g_rand_boolean (rand) ? "a" : "b", 30000, NULL);
          g_string_append (a, line->str);
          g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
        }
    }
  for (guint l = lines->len - 1; l > 0; l--)
    {
      guint m = g_rand_int_range (rand, 0, l + 1);
      gpointer t = lines->pdata[l];

      lines->pdata[l] = lines->pdata[m];
      lines->pdata[m] = t;
    }
  for (guint l = 0; l < lines->len; l++)
    g_string_append (b, g_ptr_array_index (lines, l));

  rounds_test_store_import_text (fixture->store, fixture->dir, "a.jsonl", a->str);
  other = rounds_test_store_open_new (fixture, "b.db");
  rounds_test_store_import_text (other, fixture->dir, "b.jsonl", b->str);

  rounds_insights_options_init (&options);
  options.bootstrap = 200;
  first = rounds_store_compute_insights (fixture->store, NULL, &options, NULL, &error);
  second = rounds_store_compute_insights (other, NULL, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->ratings->len, ==, 4);
  for (guint m = 0; m < 4; m++)
    {
      RoundsModelRating *x = find_rating (first->ratings, names[m]);
      RoundsModelRating *y = find_rating (second->ratings, renamed[m]);

      g_assert_cmpfloat_with_epsilon (x->rating, y->rating, 1e-9);
      g_assert_cmpfloat_with_epsilon (x->lower, y->lower, 1e-9);
      g_assert_cmpfloat_with_epsilon (x->upper, y->upper, 1e-9);
      g_assert_cmpuint (x->rank, ==, y->rank);
      g_assert_cmpuint (x->wins, ==, y->wins);
    }
  g_assert_cmpfloat (find_rating (first->ratings, "alpha")->rating, >,
                     find_rating (first->ratings, "delta")->rating);
  g_object_unref (other);
}

/* Outcomes: preferences, ties, rankings, "all unacceptable", graded, and a verdict that
 * stands for its item's judgements. */
static void
test_outcomes (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *three[] = { "m1", "m2", "m3", NULL };
  g_autoptr(GString) text = g_string_new (NULL);
  Builder b = { text, 0 };
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(RoundsInsights) graded = NULL;
  g_autoptr(RoundsInsights) judged = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = rounds_verdict_new (2);
  g_autoptr(GError) error = NULL;
  RoundsModelRating *m1, *m2, *m3;
  guint n;

  builder_dataset (&b, NULL);
  builder_item (&b, "pair", "cardiology", "en", 10, two);
  builder_item (&b, "ranked", "cardiology", "zh", 10, three);
  builder_item (&b, "bad", NULL, "en", 10, two);
  builder_item (&b, "disputed", NULL, "en", 10, two);
  builder_judgement (&b, "pair", "x", -1, "a", 1000, NULL);      /* m1 better */
  builder_judgement (&b, "pair", "y", 0, "b", 1000, NULL);       /* tie */
  g_string_append (text, "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"ranked\","
                         " \"annotator\": \"x\", \"status\": \"submitted\","
                         " \"ranking\": {\"a\": 2, \"b\": 1, \"c\": 2}, \"revision\": 1,"
                         " \"created_at\": \"2026-10-05T08:00:00Z\"}\n");
  g_string_append (text, "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"bad\","
                         " \"annotator\": \"x\", \"status\": \"submitted\", \"unacceptable\": true,"
                         " \"revision\": 1, \"created_at\": \"2026-10-05T08:00:00Z\"}\n");
  builder_judgement (&b, "disputed", "x", 2, "a", 1000, NULL);   /* m2 much better */
  builder_judgement (&b, "disputed", "y", 1, "a", 1000, NULL);   /* m2 better */
  rounds_test_store_import_text (fixture->store, fixture->dir, "outcomes.jsonl", text->str);

  judged = compute (fixture, FALSE, 0);
  m2 = find_rating (judged->ratings, "m2");
  g_assert_cmpuint (m2->wins, ==, 4);        /* ranked: m1, m3; disputed: twice */

  /* A reviewer settles "disputed" for m1: it stands for both judgements. */
  rounds_test_store_add_profile (fixture->store, "rev", NULL, ROUNDS_ROLE_REVIEWER);
  item = rounds_store_find_item (fixture->store, "ds", "disputed", &error);
  g_assert_no_error (error);
  verdict->has_preference = TRUE;
  verdict->preference = -2;
  verdict->rationale = g_strdup ("m2 misses the contraindication");
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);

  insights = compute (fixture, FALSE, 0);
  g_assert_cmpuint (insights->n_items, ==, 4);
  g_assert_cmpuint (insights->n_judgements, ==, 6);
  g_assert_cmpuint (insights->n_verdicts, ==, 1);
  g_assert_cmpuint (insights->n_unacceptable, ==, 1);
  g_assert_cmpuint (insights->ratings->len, ==, 3);
  m1 = find_rating (insights->ratings, "m1");
  m2 = find_rating (insights->ratings, "m2");
  m3 = find_rating (insights->ratings, "m3");
  /* pair: m1 wins, ties; ranked: m2 over m1 and m3, m1 ties m3; disputed: m1 twice */
  g_assert_cmpuint (m1->wins, ==, 3);
  g_assert_cmpuint (m1->ties, ==, 2);
  g_assert_cmpuint (m1->losses, ==, 1);
  g_assert_cmpuint (m2->wins, ==, 2);
  g_assert_cmpuint (m2->ties, ==, 1);
  g_assert_cmpuint (m2->losses, ==, 3);
  g_assert_cmpuint (m3->wins, ==, 0);
  g_assert_cmpuint (m3->ties, ==, 1);
  g_assert_cmpuint (m3->losses, ==, 1);
  g_assert_cmpuint (m1->unacceptable, ==, 1);
  g_assert_cmpuint (m2->unacceptable, ==, 1);
  g_assert_cmpuint (m3->unacceptable, ==, 0);
  g_assert_cmpuint (m1->n_comparisons, ==, 6);
  g_assert_cmpstr (((RoundsModelRating *) g_ptr_array_index (insights->ratings, 0))->model, ==,
                   "m1");

  /* The matrix in leaderboard order: wins plus half ties */
  n = insights->ratings->len;
  for (guint a = 0; a < n; a++)
    for (guint c = 0; c < n; c++)
      {
        double sum = insights->matrix[a * n + c] + insights->matrix[c * n + a];

        g_assert_cmpfloat (sum, ==, insights->matrix_count[a * n + c]);
      }
  g_assert_cmpfloat (insights->matrix[0 * n + 1] + insights->matrix[0 * n + 2] +
                     insights->matrix[1 * n + 0] + insights->matrix[2 * n + 0], >, 0);

  /* Groups: cardiology has every model; language zh only the ranked item's */
  g_assert_cmpuint (insights->groups->len, ==, 3);
  g_assert_cmpstr (((RoundsGroupRating *) g_ptr_array_index (insights->groups, 0))->group, ==,
                   "specialty");
  g_assert_cmpstr (((RoundsGroupRating *) g_ptr_array_index (insights->groups, 2))->value, ==,
                   "zh");
  g_assert_cmpuint (((RoundsGroupRating *) g_ptr_array_index (insights->groups, 2))->ratings->len,
                    ==, 3);

  /* Graded: "better" (−1) counts 0.75, so m1's rating comes nearer the middle, while the
   * counts stay the same. */
  graded = compute (fixture, TRUE, 0);
  g_assert_cmpuint (find_rating (graded->ratings, "m1")->wins, ==, 3);
  g_assert_cmpfloat (fabs (find_rating (graded->ratings, "m1")->rating - 1000), <,
                     fabs (m1->rating - 1000));
  g_assert_cmpfloat (fabs (find_rating (graded->ratings, "m1")->rating -
                           find_rating (insights->ratings, "m1")->rating), >, 1);
}

/* Every field of two judgements. */
static void
assert_same_judgement (const RoundsJudgement *a,
                       const RoundsJudgement *b)
{
  guint n = a->n_responses;

  g_assert_cmpstr (a->edit_id, ==, b->edit_id);
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpuint (n, ==, b->n_responses);
  g_assert_cmpuint (a->n_criteria, ==, b->n_criteria);
  g_assert_cmpint (a->has_preference, ==, b->has_preference);
  g_assert_cmpint (a->preference, ==, b->preference);
  g_assert_cmpint (a->unacceptable, ==, b->unacceptable);
  g_assert_cmpmem (a->ranks, sizeof (int) * n, b->ranks, sizeof (int) * n);
  g_assert_cmpmem (a->scores, sizeof (int) * n * a->n_criteria,
                   b->scores, sizeof (int) * n * b->n_criteria);
  g_assert_true (g_strv_equal ((const char *const *) a->criteria,
                               (const char *const *) b->criteria));
  g_assert_cmpmem (a->flags, sizeof (guint) * n, b->flags, sizeof (guint) * n);
  g_assert_cmpmem (a->shown_order, sizeof (guint) * n, b->shown_order, sizeof (guint) * n);
  for (guint r = 0; r <= n; r++)
    g_assert_cmpstr (a->notes[r], ==, b->notes[r]);
  g_assert_cmpstr (a->comment, ==, b->comment);
  g_assert_cmpstr (a->skip_reason, ==, b->skip_reason);
  g_assert_cmpint (a->time_spent_ms, ==, b->time_spent_ms);
  g_assert_cmpint (a->revision, ==, b->revision);
  g_assert_cmpstr (a->created_at, ==, b->created_at);
  g_assert_cmpstr (a->annotator, ==, b->annotator);
}

/* The insights read the judgements with a lean reader of their own
 * (_rounds_store_judgement_from_columns); it gives exactly what the store's reader
 * (rounds_store_list_current_judgements) gives: preferences graded and tied, rankings with
 * ties, "all unacceptable", scores, flags, notes, no shown order, a verdict, a skip and a
 * revision, and JSON columns the store does not write itself (spaces, a wrong length, a
 * fraction, garbage), which go to json-glib as in the store's reader. */
static void
test_lean_reader (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *three[] = { "m1", "m2", "m3", NULL };
  static const char *odd[] = {
    "UPDATE annotations SET shown_order = ' [ 1 , 0 ] ' WHERE edit_id = 'e-pair-x'",
    "UPDATE annotations SET shown_order = '[0,1,2]' WHERE edit_id = 'e-pair-y'",
    "UPDATE annotations SET shown_order = '[1.0,0]' WHERE edit_id = 'e-pair-z'",
    "UPDATE annotations SET ranking_json = '[2, 1,2 ]', shown_order = '[2,01,0]'"
    " WHERE edit_id = 'e-ranked-x'",
    "UPDATE annotations SET ranking_json = '[3,1,2,9]', shown_order = 'nonsense'"
    " WHERE edit_id = 'e-ranked-y'",
    "UPDATE annotations SET ranking_json = '[-1, 2]', shown_order = '[]'"
    " WHERE edit_id = 'e-ranked-z'",
  };
  g_autoptr(GString) text = g_string_new (NULL);
  Builder b = { text, 0 };
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = rounds_verdict_new (2);
  g_autoptr(RoundsInsightData) insight = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  guint compared = 0, judged = 0, i = 0;

  builder_dataset (&b, NULL);
  builder_item (&b, "pair", "cardiology", "en", 10, two);
  builder_item (&b, "ranked", "cardiology", "zh", 10, three);
  builder_item (&b, "bad", NULL, "en", 10, two);
  builder_item (&b, "disputed", NULL, "en", 10, two);
  builder_item (&b, "unjudged", NULL, "en", 10, two);
  g_string_append (text,
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"pair\", \"annotator\": \"x\","
    " \"preference\": -2, \"shown_order\": [\"b\", \"a\"], \"time_spent_ms\": 4000,"
    " \"scores\": {\"a\": {\"accuracy\": 5, \"safety\": 4}, \"b\": {\"accuracy\": 2}},"
    " \"flags\": {\"b\": [\"unsafe\", \"outdated\"]}, \"comment\": \"Dose wrong in B\","
    " \"notes\": {\"b\": \"4 g a day is the limit\"}, \"edit\": \"e-pair-x\","
    " \"created_at\": \"2026-10-05T08:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"pair\", \"annotator\": \"y\","
    " \"preference\": 0, \"edit\": \"e-pair-y\", \"created_at\": \"2026-10-06T08:00:00Z\","
    " \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"pair\", \"annotator\": \"z\","
    " \"preference\": 1, \"shown_order\": [\"a\", \"b\"], \"edit\": \"e-pair-z\","
    " \"created_at\": \"2026-10-06T09:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"pair\", \"annotator\": \"w\","
    " \"status\": \"skipped\", \"skip_reason\": \"not my field\", \"edit\": \"e-pair-w\","
    " \"created_at\": \"2026-10-06T09:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"ranked\", \"annotator\": \"x\","
    " \"ranking\": {\"a\": 2, \"b\": 1, \"c\": 2}, \"shown_order\": [\"c\", \"b\", \"a\"],"
    " \"edit\": \"e-ranked-x\", \"created_at\": \"2026-10-05T08:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"ranked\", \"annotator\": \"y\","
    " \"ranking\": {\"a\": 1, \"b\": 2, \"c\": 3}, \"edit\": \"e-ranked-y-old\","
    " \"created_at\": \"2026-10-05T08:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"ranked\", \"annotator\": \"y\","
    " \"ranking\": {\"a\": 3, \"b\": 1, \"c\": 2}, \"edit\": \"e-ranked-y\","
    " \"created_at\": \"2026-10-07T08:00:00Z\", \"revision\": 2}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"ranked\", \"annotator\": \"z\","
    " \"ranking\": {\"a\": 1, \"b\": 1, \"c\": 1}, \"edit\": \"e-ranked-z\","
    " \"created_at\": \"2026-10-07T08:00:00Z\", \"revision\": 1}\n"
    "{\"type\": \"judgement\", \"dataset\": \"ds\", \"item\": \"bad\", \"annotator\": \"x\","
    " \"unacceptable\": true, \"created_at\": \"2026-10-05T08:00:00Z\", \"revision\": 1}\n");
  builder_judgement (&b, "disputed", "x", 2, "a", 1000, NULL);
  builder_judgement (&b, "disputed", "y", -1, "b", 1000, NULL);
  rounds_test_store_import_text (fixture->store, fixture->dir, "lean.jsonl", text->str);

  rounds_test_store_add_profile (fixture->store, "rev", NULL, ROUNDS_ROLE_REVIEWER);
  item = rounds_store_find_item (fixture->store, "ds", "disputed", &error);
  g_assert_no_error (error);
  verdict->has_preference = TRUE;
  verdict->preference = -2;
  verdict->rationale = g_strdup ("B misses the contraindication");
  g_assert_true (rounds_store_save_verdict (fixture->store, item, "rev", verdict, &error));
  g_assert_no_error (error);

  /* JSON the store never writes, straight into SQLite past its guard. */
  db = _rounds_store_get_db (fixture->store);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER annotations_immutable", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  for (guint k = 0; k < G_N_ELEMENTS (odd); k++)
    {
      g_assert_cmpint (sqlite3_exec (db, odd[k], NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_changes (db), ==, 1);
    }

  g_assert_true (_rounds_store_begin_read (fixture->store, &error));
  insight = _rounds_store_read_insight_data (fixture->store, NULL, NULL, &error);
  _rounds_store_rollback (fixture->store);
  g_assert_no_error (error);
  items = rounds_store_list_current_judgements (fixture->store,
                                                rounds_dataset_get_id (
                                                  g_ptr_array_index (insight->datasets, 0)),
                                                &error);
  g_assert_no_error (error);

  /* The same items in the same order (those with a judgement or a verdict), each with the
   * same judgements in the same order. */
  for (guint k = 0; k < items->len; k++)
    {
      RoundsItemJudgements *expected = g_ptr_array_index (items, k);
      RoundsInsightItem *got;

      if (expected->judgements->len == 0)
        continue;
      g_assert_cmpuint (i, <, insight->items->len);
      got = g_ptr_array_index (insight->items, i++);
      g_assert_cmpint (got->item_id, ==, expected->item_id);
      g_assert_cmpstr (got->key, ==, expected->item_key);
      g_assert_cmpuint (got->n_responses, ==, expected->n_responses);
      g_assert_cmpuint (got->judgements->len, ==, expected->judgements->len);
      for (guint j = 0; j < got->judgements->len; j++)
        assert_same_judgement (g_ptr_array_index (got->judgements, j),
                               g_ptr_array_index (expected->judgements, j));
      judged++;
      compared += got->judgements->len;
    }
  g_assert_cmpuint (i, ==, insight->items->len);
  g_assert_cmpuint (judged, ==, 4);
  g_assert_cmpuint (compared, ==, 9);
  g_assert_nonnull (((RoundsInsightItem *) g_ptr_array_index (insight->items, 3))->verdict);
}

/* The JSON of rounds_insights_to_json(), read back with json-glib. */
static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  static const char *members[] = {
    "datasets", "rubric_version", "counts", "options", "ratings", "matrix", "criteria",
    "groups", "position_bias", "time_on_task", "agreement", "criterion_alpha",
    "weekly_alpha", "alpha",
  };
  static const char *rating_members[] = {
    "model", "rating", "lower", "upper", "rank", "wins", "ties", "losses", "unacceptable",
    "comparisons",
  };
  g_autofree char *demo = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                            "rounds-demo.jsonl", NULL);
  g_autofree char *demo_judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data",
                                                       "demo", "rounds-demo-judgements.jsonl",
                                                       NULL);
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(RoundsInsights) plain = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *plain_json = NULL;
  JsonObject *root, *rating, *counts, *matrix;
  JsonArray *ratings;

  rounds_test_store_import (fixture->store, demo);
  rounds_test_store_import (fixture->store, demo_judgements);
  insights = compute (fixture, FALSE, 200);
  json = rounds_insights_to_json (insights);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    g_assert_true (json_object_has_member (root, members[m]));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root,
                                                                                 "datasets"),
                                                  0), ==, "clinical-ethics-demo");
  counts = json_object_get_object_member (root, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "judgements"), ==, 54);
  g_assert_cmpint (json_object_get_int_member (counts, "judgements"), ==,
                   insights->n_judgements);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "options"),
                                               "bootstrap"), ==, 200);

  ratings = json_object_get_array_member (root, "ratings");
  g_assert_cmpuint (json_array_get_length (ratings), ==, insights->ratings->len);
  g_assert_cmpuint (json_array_get_length (ratings), ==, 4);   /* every model of the demo */
  for (guint r = 0; r < json_array_get_length (ratings); r++)
    {
      RoundsModelRating *expected = g_ptr_array_index (insights->ratings, r);

      rating = json_array_get_object_element (ratings, r);
      for (guint m = 0; m < G_N_ELEMENTS (rating_members); m++)
        g_assert_true (json_object_has_member (rating, rating_members[m]));
      g_assert_cmpstr (json_object_get_string_member (rating, "model"), ==, expected->model);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (rating, "rating"),
                                      expected->rating, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (rating, "lower"),
                                      expected->lower, 1e-9);
      g_assert_cmpint (json_object_get_int_member (rating, "wins"), ==, expected->wins);
      g_assert_cmpint (json_object_get_int_member (rating, "rank"), ==, expected->rank);
    }
  matrix = json_object_get_object_member (root, "matrix");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (matrix, "wins")), ==, 4);
  g_assert_cmpfloat (json_array_get_double_element (
                       json_array_get_array_element (json_object_get_array_member (matrix,
                                                                                    "wins"), 0),
                       1), ==, insights->matrix[1]);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "criteria")), ==,
                    insights->criteria->len);
  g_assert_cmpuint (insights->criteria->len, ==, 24);            /* 6 criteria × 4 models */
  for (guint c = 0; c < insights->criteria->len; c++)
    {
      RoundsCriterionScore *score = g_ptr_array_index (insights->criteria, c);

      g_assert_cmpfloat (score->lower, <=, score->mean);
      g_assert_cmpfloat (score->mean, <=, score->upper);
      g_assert_cmpfloat (score->lower, >=, 1.0);
      g_assert_cmpfloat (score->upper, <=, 5.0);
      g_assert_cmpuint (score->n, >, 0);
    }

  /* Without a bootstrap the intervals are NaN, written as null */
  plain = compute (fixture, FALSE, 0);
  plain_json = rounds_insights_to_json (plain);
  g_assert_true (json_parser_load_from_data (parser, plain_json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  rating = json_array_get_object_element (json_object_get_array_member (root, "ratings"), 0);
  g_assert_true (json_node_is_null (json_object_get_member (rating, "lower")));
  g_assert_true (json_node_is_null (json_object_get_member (
    json_array_get_object_element (json_object_get_array_member (root, "position_bias"), 0),
    "annotator")));
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RoundsInsights **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = rounds_store_compute_insights_finish (ROUNDS_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* The async pair gives what the blocking call gives. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *demo = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data", "demo",
                                            "rounds-demo.jsonl", NULL);
  g_autofree char *demo_judgements = g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "data",
                                                       "demo", "rounds-demo-judgements.jsonl",
                                                       NULL);
  const char *names[] = { "clinical-ethics-demo", NULL };
  g_autoptr(RoundsInsights) blocking = NULL;
  g_autoptr(RoundsInsights) threaded = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  rounds_test_store_import (fixture->store, demo);
  rounds_test_store_import (fixture->store, demo_judgements);
  blocking = compute (fixture, FALSE, 100);
  rounds_store_compute_insights_async (fixture->store, names, &blocking->options, NULL,
                                       on_computed, &threaded);
  while (threaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  a = rounds_insights_to_json (blocking);
  b = rounds_insights_to_json (threaded);
  g_assert_cmpstr (a, ==, b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rounds/insights/bradley-terry/published", test_bt_published);
  g_test_add_func ("/rounds/insights/bradley-terry/invariance", test_bt_invariance);
  g_test_add_func ("/rounds/insights/bradley-terry/always-wins", test_bt_always_wins);
  g_test_add_func ("/rounds/insights/bradley-terry/seed", test_bt_seed);
  g_test_add_func ("/rounds/insights/bradley-terry/coverage", test_bt_coverage);
  g_test_add_func ("/rounds/insights/binomial", test_binomial);
#define ADD(path, func) rounds_test_store_add ("/rounds/insights/" path, NULL, func)
  ADD ("position-bias", test_position_bias);
  ADD ("time-on-task", test_time_on_task);
  ADD ("agreement", test_agreement);
  ADD ("store-invariance", test_store_invariance);
  ADD ("outcomes", test_outcomes);
  ADD ("lean-reader", test_lean_reader);
  ADD ("json", test_json);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
