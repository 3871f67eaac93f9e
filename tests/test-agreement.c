/* test-agreement.c: Krippendorff's alpha and Cohen's weighted kappa against published values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "rounds-agreement.h"
#include "rounds-error.h"

#define M NAN   /* a missing value */

/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
 * observers, twelve units, values 1-5, with missing data. Unit 12 has one value only. */
static const double krippendorff_2011[4][12] = {
  { 1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M },   /* observer A */
  { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3 },   /* observer B */
  { M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M },   /* observer C */
  { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M },   /* observer D */
};

static RoundsReliability *
krippendorff_data (gboolean shuffled)
{
  RoundsReliability *data = rounds_reliability_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (2011);
  guint order[48];

  for (guint i = 0; i < 48; i++)
    order[i] = i;
  if (shuffled)
    for (guint i = 47; i > 0; i--)
      {
        guint j = g_rand_int_range (rand, 0, i + 1);
        guint t = order[i];

        order[i] = order[j];
        order[j] = t;
      }

  /* Units and coders are arbitrary ids, not positions. */
  for (guint i = 0; i < 48; i++)
    {
      guint coder = order[i] / 12, unit = order[i] % 12;

      rounds_reliability_add (data, 1000 + unit, 70 + coder, krippendorff_2011[coder][unit]);
    }
  return data;
}

typedef struct
{
  RoundsMetric metric;
  double       published;   /* as printed in the paper, three decimals */
  double       exact;       /* the same from the definitions, in exact fractions */
} PublishedCase;

/* The published alphas; the exact values were worked out from the paper's formulas in
 * rational arithmetic, independently of this code. */
static const PublishedCase published_cases[] = {
  { ROUNDS_METRIC_NOMINAL,  0.743, 0.743421052631579 },
  { ROUNDS_METRIC_ORDINAL,  0.815, 0.8153875037548813 },
  { ROUNDS_METRIC_INTERVAL, 0.849, 0.8491071428571428 },
  { ROUNDS_METRIC_RATIO,    0.797, 0.797402774711612 },
};

static void
test_published (gconstpointer data)
{
  const PublishedCase *c = data;

  for (int shuffled = 0; shuffled <= 1; shuffled++)
    {
      g_autoptr(RoundsReliability) reliability = krippendorff_data (shuffled);
      g_autoptr(GError) error = NULL;
      RoundsAlphaResult result;

      g_assert_cmpuint (rounds_reliability_get_n_values (reliability), ==, 41);
      g_assert_true (rounds_alpha_compute (reliability, c->metric, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.status, ==, ROUNDS_ALPHA_OK);
      g_assert_cmpfloat_with_epsilon (round (result.alpha * 1000) / 1000, c->published, 1e-9);
      g_assert_cmpfloat_with_epsilon (result.alpha, c->exact, 1e-12);
      g_assert_cmpuint (result.n_units, ==, 11);     /* unit 12 is not pairable */
      g_assert_cmpuint (result.n_values, ==, 40);    /* n.. in the paper */
      g_assert_cmpuint (result.n_coders, ==, 4);
      g_assert_cmpuint (result.n_categories, ==, 5);
      g_assert_cmpfloat_with_epsilon (result.alpha, 1 - result.observed / result.expected, 1e-12);
    }
}

/* The paper's coincidence matrix for the same data, and its marginals 9, 13, 10, 5, 3. */
static void
test_coincidences (void)
{
  static const double expected[5][5] = {
    { 7,       4.0 / 3, 1.0 / 3, 1.0 / 3, 0 },
    { 4.0 / 3, 10,      4.0 / 3, 1.0 / 3, 0 },
    { 1.0 / 3, 4.0 / 3, 8,       1.0 / 3, 0 },
    { 1.0 / 3, 1.0 / 3, 1.0 / 3, 4,       0 },
    { 0,       0,       0,       0,       3 },
  };
  static const double margins[5] = { 9, 13, 10, 5, 3 };
  g_autoptr(RoundsReliability) data = krippendorff_data (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree double *categories = NULL;
  g_autofree double *o = NULL;
  guint n = 0;

  o = rounds_reliability_get_coincidences (data, &categories, &n, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  g_assert_cmpuint (n, ==, 5);
  for (guint c = 0; c < 5; c++)
    {
      double row = 0;

      g_assert_cmpfloat (categories[c], ==, c + 1);
      for (guint k = 0; k < 5; k++)
        {
          g_assert_cmpfloat_with_epsilon (o[c * 5 + k], expected[c][k], 1e-12);
          row += o[c * 5 + k];
        }
      g_assert_cmpfloat_with_epsilon (row, margins[c], 1e-12);
    }
}

/* Edge cases ---------------------------------------------------------------------------- */

typedef struct
{
  const char        *name;
  guint              n;
  struct { gint64 unit, coder; double value; } values[8];
  RoundsAlphaStatus  status;
  double             alpha;        /* when status is OK */
  guint              n_units;
  guint              n_values;
  guint              n_coders;
} EdgeCase;

static const EdgeCase edge_cases[] = {
  /* Everyone gives every unit the same value: D_e = 0, alpha undefined. */
  { "all-agree-one-value", 6, { { 1, 1, 3 }, { 1, 2, 3 }, { 2, 1, 3 }, { 2, 2, 3 }, { 3, 1, 3 },
                                { 3, 2, 3 } },
    ROUNDS_ALPHA_NO_VARIATION, NAN, 3, 6, 2 },
  /* Agreement within units and variation between them: perfect reliability. */
  { "all-agree-with-variation", 6, { { 1, 1, 1 }, { 1, 2, 1 }, { 2, 1, 2 }, { 2, 2, 2 },
                                     { 3, 1, 5 }, { 3, 2, 5 } },
    ROUNDS_ALPHA_OK, 1.0, 3, 6, 2 },
  /* One unit: D_o = D_e whatever the values, so alpha is 0. */
  { "one-unit", 3, { { 1, 1, 1 }, { 1, 2, 2 }, { 1, 3, 2 } },
    ROUNDS_ALPHA_OK, 0.0, 1, 3, 3 },
  { "one-unit-agreeing", 2, { { 1, 1, 4 }, { 1, 2, 4 } },
    ROUNDS_ALPHA_NO_VARIATION, NAN, 1, 2, 2 },
  /* Every unit coded once: nothing is pairable. */
  { "no-pairable-values", 3, { { 1, 1, 1 }, { 2, 2, 2 }, { 3, 3, 3 } },
    ROUNDS_ALPHA_NO_PAIRABLE_VALUES, NAN, 0, 0, 0 },
  { "single-coder", 4, { { 1, 7, 1 }, { 2, 7, 2 }, { 3, 7, 3 }, { 4, 7, 1 } },
    ROUNDS_ALPHA_NO_PAIRABLE_VALUES, NAN, 0, 0, 0 },
  { "empty", 0, { { 0 } },
    ROUNDS_ALPHA_NO_PAIRABLE_VALUES, NAN, 0, 0, 0 },
  /* Missing values (NaN) are left out: unit 2 is not pairable. */
  { "missing-left-out", 5, { { 1, 1, 1 }, { 1, 2, 1 }, { 2, 1, 2 }, { 2, 2, M }, { 3, 1, 3 } },
    ROUNDS_ALPHA_NO_VARIATION, NAN, 1, 2, 2 },
};

static void
test_edge (gconstpointer data)
{
  const EdgeCase *c = data;

  for (RoundsMetric metric = ROUNDS_METRIC_NOMINAL; metric <= ROUNDS_METRIC_RATIO; metric++)
    {
      g_autoptr(RoundsReliability) reliability = rounds_reliability_new ();
      g_autoptr(GError) error = NULL;
      RoundsAlphaResult result;

      for (guint i = 0; i < c->n; i++)
        rounds_reliability_add (reliability, c->values[i].unit, c->values[i].coder,
                                c->values[i].value);
      g_assert_true (rounds_alpha_compute (reliability, metric, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.status, ==, c->status);
      if (c->status == ROUNDS_ALPHA_OK)
        g_assert_cmpfloat_with_epsilon (result.alpha, c->alpha, 1e-12);
      else
        g_assert_true (isnan (result.alpha));
      if (c->status == ROUNDS_ALPHA_NO_VARIATION)
        g_assert_cmpfloat (result.observed, ==, 0);
      g_assert_cmpuint (result.n_units, ==, c->n_units);
      g_assert_cmpuint (result.n_values, ==, c->n_values);
      g_assert_cmpuint (result.n_coders, ==, c->n_coders);
    }
}

static void
test_duplicate_value (void)
{
  g_autoptr(RoundsReliability) data = rounds_reliability_new ();
  g_autoptr(GError) error = NULL;
  RoundsAlphaResult result;

  rounds_reliability_add (data, 5, 1, 1);
  rounds_reliability_add (data, 5, 2, 2);
  rounds_reliability_add (data, 6, 1, 1);
  rounds_reliability_add (data, 5, 1, 3);   /* coder 1 again for unit 5 */
  g_assert_false (rounds_alpha_compute (data, ROUNDS_METRIC_ORDINAL, &result, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "unit 5"));
  g_assert_true (isnan (result.alpha));
}

static void
test_ratio_negative (void)
{
  g_autoptr(RoundsReliability) data = rounds_reliability_new ();
  g_autoptr(GError) error = NULL;
  RoundsAlphaResult result;

  rounds_reliability_add (data, 1, 1, -2);
  rounds_reliability_add (data, 1, 2, 2);
  g_assert_false (rounds_alpha_compute (data, ROUNDS_METRIC_RATIO, &result, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (rounds_alpha_compute (data, ROUNDS_METRIC_INTERVAL, &result, &error));
  g_assert_no_error (error);
}

/* Data filled again after rounds_reliability_clear() give what a new reliability gives,
 * whatever was there before: other units, coders and values (small integers and others),
 * enough to have grown the maps. */
static void
fill_random (RoundsReliability *data,
             guint32            seed,
             guint              n_units)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint u = 0; u < n_units; u++)
    for (guint c = 0; c < 4; c++)
      if (g_rand_int_range (rand, 0, 5) > 0)
        rounds_reliability_add (data, seed * 100000 + u, seed * 10 + c,
                                g_rand_boolean (rand) ? g_rand_int_range (rand, -3, 4) :
                                                        g_rand_int_range (rand, 0, 40) * 250.5);
}

static void
test_clear (void)
{
  g_autoptr(RoundsReliability) reused = rounds_reliability_new ();
  g_autoptr(GError) error = NULL;

  fill_random (reused, 1, 3000);
  for (guint32 seed = 2; seed < 5; seed++)
    for (RoundsMetric metric = ROUNDS_METRIC_NOMINAL; metric <= ROUNDS_METRIC_INTERVAL; metric++)
      {
        g_autoptr(RoundsReliability) fresh = rounds_reliability_new ();
        RoundsAlphaResult a, b;

        rounds_reliability_clear (reused);
        fill_random (reused, seed, 500 * seed);
        fill_random (fresh, seed, 500 * seed);
        g_assert_true (rounds_alpha_compute (reused, metric, &a, &error));
        g_assert_true (rounds_alpha_compute (fresh, metric, &b, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (rounds_reliability_get_n_values (reused), ==,
                          rounds_reliability_get_n_values (fresh));
        g_assert_cmpfloat (a.alpha, ==, b.alpha);
        g_assert_cmpfloat (a.observed, ==, b.observed);
        g_assert_cmpfloat (a.expected, ==, b.expected);
        g_assert_cmpuint (a.n_units, ==, b.n_units);
        g_assert_cmpuint (a.n_values, ==, b.n_values);
        g_assert_cmpuint (a.n_coders, ==, b.n_coders);
        g_assert_cmpuint (a.n_categories, ==, b.n_categories);
      }
}

/* Against a brute-force reference ------------------------------------------------------- */

typedef struct
{
  guint   n;
  gint64 *unit;
  gint64 *coder;
  double *value;
} Triples;

static void
triples_free (Triples *t)
{
  g_free (t->unit);
  g_free (t->coder);
  g_free (t->value);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Triples, triples_free)

/* Units × coders with a value missing now and then; @continuous draws reals with many
 * distinct values (past the coincidence matrix's limit), else a 5-point scale. */
static Triples *
random_triples (guint    n_units,
                guint    n_coders,
                gboolean continuous,
                guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Triples *t = g_new0 (Triples, 1);
  guint max = n_units * n_coders;

  t->unit = g_new (gint64, max);
  t->coder = g_new (gint64, max);
  t->value = g_new (double, max);
  for (guint u = 0; u < n_units; u++)
    {
      double truth = continuous ? g_rand_double_range (rand, 0, 100)
                                : g_rand_int_range (rand, 1, 6);

      for (guint c = 0; c < n_coders; c++)
        {
          double v;

          if (g_rand_int_range (rand, 0, 5) == 0)
            continue;
          if (continuous)
            v = fabs (truth + g_rand_double_range (rand, -15, 15));
          else
            v = CLAMP (truth + g_rand_int_range (rand, -1, 2) *
                               (g_rand_int_range (rand, 0, 3) == 0),
                       1, 5);
          t->unit[t->n] = u;
          t->coder[t->n] = c;
          t->value[t->n] = v;
          t->n++;
        }
    }
  return t;
}

/* The paper's definitions taken literally: every ordered pair of values within a unit for
 * D_o, every ordered pair of pairable values for D_e, and the ordinal δ² as the sum of the
 * marginals from c to k less half of n_c and n_k. Quadratic, for small data. */
static double
brute_alpha (const Triples *t,
             RoundsMetric   metric)
{
  g_autofree guint *m = g_new0 (guint, t->n);
  g_autofree double *sorted = g_new (double, t->n);
  g_autofree double *margin = g_new0 (double, t->n);
  g_autofree guint *category = g_new (guint, t->n);
  g_autofree double *cumulative = g_new (double, t->n + 1);
  guint n_sorted = 0, n = 0;
  double d_o = 0, d_e = 0;

  for (guint i = 0; i < t->n; i++)
    for (guint j = 0; j < t->n; j++)
      m[i] += t->unit[i] == t->unit[j] ? 1 : 0;

  for (guint i = 0; i < t->n; i++)
    if (m[i] >= 2)
      {
        guint at = 0;

        while (at < n_sorted && sorted[at] < t->value[i])
          at++;
        if (at == n_sorted || sorted[at] != t->value[i])
          {
            memmove (sorted + at + 1, sorted + at, sizeof (double) * (n_sorted - at));
            memmove (margin + at + 1, margin + at, sizeof (double) * (n_sorted - at));
            sorted[at] = t->value[i];
            margin[at] = 0;
            n_sorted++;
          }
        margin[at]++;
        n++;
      }
  for (guint i = 0; i < t->n; i++)
    for (guint k = 0; k < n_sorted; k++)
      if (sorted[k] == t->value[i])
        category[i] = k;
  cumulative[0] = 0;
  for (guint k = 0; k < n_sorted; k++)
    cumulative[k + 1] = cumulative[k] + margin[k];

  for (guint i = 0; i < t->n; i++)
    {
      if (m[i] < 2)
        continue;
      for (guint j = 0; j < t->n; j++)
        {
          double d;

          if (i == j || m[j] < 2)
            continue;
          {
            guint c = MIN (category[i], category[j]), k = MAX (category[i], category[j]);
            double x = sorted[c], y = sorted[k];

            switch (metric)
              {
              case ROUNDS_METRIC_NOMINAL:
                d = c == k ? 0 : 1;
                break;
              case ROUNDS_METRIC_ORDINAL:
                {
                  /* Σ_{g=c..k} n_g, from running totals */
                  double s = cumulative[k + 1] - cumulative[c];

                  s -= (margin[c] + margin[k]) / 2;
                  d = c == k ? 0 : s * s;
                }
                break;
              case ROUNDS_METRIC_INTERVAL:
                d = (x - y) * (x - y);
                break;
              case ROUNDS_METRIC_RATIO:
              default:
                d = c == k ? 0 : ((x - y) / (x + y)) * ((x - y) / (x + y));
                break;
              }
          }
          d_e += d;
          if (t->unit[i] == t->unit[j])
            d_o += d / (m[i] - 1);
        }
    }
  d_o /= n;
  d_e /= (double) n * (n - 1);
  return 1 - d_o / d_e;
}

typedef struct
{
  const char *name;
  guint       n_units;
  guint       n_coders;
  gboolean    continuous;
} BruteCase;

static const BruteCase brute_cases[] = {
  { "scale-5-points", 60, 6, FALSE },
  { "continuous", 500, 4, TRUE },    /* > 1024 distinct values: the path without the matrix */
};

static void
test_brute_force (gconstpointer data)
{
  const BruteCase *c = data;
  g_autoptr(Triples) t = random_triples (c->n_units, c->n_coders, c->continuous, 42);
  g_autoptr(RoundsReliability) reliability = rounds_reliability_new ();

  for (guint i = 0; i < t->n; i++)
    rounds_reliability_add (reliability, t->unit[i], t->coder[i], t->value[i]);

  for (RoundsMetric metric = ROUNDS_METRIC_NOMINAL; metric <= ROUNDS_METRIC_RATIO; metric++)
    {
      g_autoptr(GError) error = NULL;
      RoundsAlphaResult result;
      double expected = brute_alpha (t, metric);

      g_assert_true (rounds_alpha_compute (reliability, metric, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.status, ==, ROUNDS_ALPHA_OK);
      if (c->continuous)
        g_assert_cmpuint (result.n_categories, >, 1024);
      g_test_message ("%s %s: %.6f (brute force %.6f)", c->name, rounds_metric_to_string (metric),
                      result.alpha, expected);
      g_assert_cmpfloat_with_epsilon (result.alpha, expected, 1e-9);
    }
}

/* Cohen's kappa ------------------------------------------------------------------------- */

static double *
repeat (const guint *counts,
        guint        n_counts,
        const double *values,
        gsize        *n)
{
  double *out;
  gsize total = 0, at = 0;

  for (guint i = 0; i < n_counts; i++)
    total += counts[i];
  out = g_new (double, total);
  for (guint i = 0; i < n_counts; i++)
    for (guint k = 0; k < counts[i]; k++)
      out[at++] = values[i];
  *n = total;
  return out;
}

/* scikit-learn's test of cohen_kappa_score (sklearn/metrics/tests/test_classification.py,
 * test_cohen_kappa): y1 = 46 × 0, 44 × 1, 10 × 2 and y2 = 50 × 0, 40 × 1, 10 × 2, unit by
 * unit, give kappa 0.9315, linear 0.9412 and quadratic 0.9541 (to four decimals); with
 * y2 = 52 × 0, 32 × 1, 16 × 2, unweighted 0.8013; and the binary example 0.348. The exact
 * values (68/73, 16/17, 104/109) were worked out from Cohen's (1968) definition. */
static void
test_kappa_published (void)
{
  static const double scale[] = { 0, 1, 2 };
  static const guint y1_counts[] = { 46, 44, 10 };
  static const guint y2_counts[] = { 50, 40, 10 };
  static const guint y3_counts[] = { 52, 32, 16 };
  g_autofree double *y1 = NULL;
  g_autofree double *y2 = NULL;
  g_autofree double *y3 = NULL;
  gsize n1, n2, n3, used = 0;

  y1 = repeat (y1_counts, 3, scale, &n1);
  y2 = repeat (y2_counts, 3, scale, &n2);
  y3 = repeat (y3_counts, 3, scale, &n3);
  g_assert_cmpuint (n1, ==, 100);
  g_assert_cmpuint (n2, ==, 100);
  g_assert_cmpuint (n3, ==, 100);

  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_UNWEIGHTED,
                                                        &used),
                                  0.9315, 5e-5);
  g_assert_cmpuint (used, ==, 100);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_LINEAR, NULL),
                                  0.9412, 5e-5);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_QUADRATIC, NULL),
                                  0.9541, 5e-5);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_UNWEIGHTED, NULL),
                                  68.0 / 73, 1e-12);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_LINEAR, NULL),
                                  16.0 / 17, 1e-12);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, ROUNDS_KAPPA_QUADRATIC, NULL),
                                  104.0 / 109, 1e-12);
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y3, 100, ROUNDS_KAPPA_UNWEIGHTED, NULL),
                                  0.8013, 5e-5);

  /* Kappa is symmetric in the raters. */
  for (RoundsKappaWeights w = ROUNDS_KAPPA_UNWEIGHTED; w <= ROUNDS_KAPPA_QUADRATIC; w++)
    g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (y1, y2, 100, w, NULL),
                                    rounds_kappa_compute (y2, y1, 100, w, NULL), 1e-12);

  {
    static const double binary[] = { 0, 1 };
    static const guint a_counts[] = { 40, 60 };
    static const guint b_counts[] = { 20, 20, 10, 50 };
    static const double b_values[] = { 0, 1, 0, 1 };
    g_autofree double *a = repeat (a_counts, 2, binary, &n1);
    g_autofree double *b = repeat (b_counts, 4, b_values, &n2);

    g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (a, b, 100, ROUNDS_KAPPA_UNWEIGHTED, NULL),
                                    0.348, 5e-4);
  }
}

static void
test_kappa_edge (void)
{
  static const double same[] = { 1, 2, 3, 2 };
  static const double constant[] = { 2, 2, 2, 2 };
  static const double with_missing_a[] = { 1, M, 3, 2, 0 };
  static const double with_missing_b[] = { 1, 2, M, 2, 1 };
  gsize used = 99;

  for (RoundsKappaWeights w = ROUNDS_KAPPA_UNWEIGHTED; w <= ROUNDS_KAPPA_QUADRATIC; w++)
    {
      g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (same, same, 4, w, NULL), 1.0, 1e-12);
      /* Both raters use one value: no chance disagreement, kappa undefined. */
      g_assert_true (isnan (rounds_kappa_compute (constant, constant, 4, w, NULL)));
      g_assert_true (isnan (rounds_kappa_compute (NULL, NULL, 0, w, &used)));
      g_assert_cmpuint (used, ==, 0);
    }

  /* Units missing a value are left out: three pairs remain, (1,1), (2,2), (0,1). */
  g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (with_missing_a, with_missing_b, 5,
                                                        ROUNDS_KAPPA_QUADRATIC, &used),
                                  rounds_kappa_compute ((const double[]) { 1, 2, 0 },
                                                        (const double[]) { 1, 2, 1 }, 3,
                                                        ROUNDS_KAPPA_QUADRATIC, NULL), 1e-12);
  g_assert_cmpuint (used, ==, 3);
}

/* Weighted kappa from its definition, every pair of units, on random ratings. */
static void
test_kappa_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1968);
  double a[300], b[300];

  for (guint i = 0; i < 300; i++)
    {
      a[i] = g_rand_int_range (rand, -2, 3);
      b[i] = CLAMP (a[i] + g_rand_int_range (rand, -2, 3) * (g_rand_int_range (rand, 0, 2)), -2, 2);
    }

  for (RoundsKappaWeights w = ROUNDS_KAPPA_UNWEIGHTED; w <= ROUNDS_KAPPA_QUADRATIC; w++)
    {
      double observed = 0, expected = 0;

      for (guint i = 0; i < 300; i++)
        {
          double d = a[i] - b[i];

          observed += w == ROUNDS_KAPPA_UNWEIGHTED ? (d != 0)
                      : w == ROUNDS_KAPPA_LINEAR ? fabs (d) : d * d;
          for (guint j = 0; j < 300; j++)
            {
              double e = a[i] - b[j];

              expected += w == ROUNDS_KAPPA_UNWEIGHTED ? (e != 0)
                          : w == ROUNDS_KAPPA_LINEAR ? fabs (e) : e * e;
            }
        }
      observed /= 300;
      expected /= 300.0 * 300;
      g_assert_cmpfloat_with_epsilon (rounds_kappa_compute (a, b, 300, w, NULL),
                                      1 - observed / expected, 1e-12);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (published_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/agreement/alpha/krippendorff-2011/%s",
                                               rounds_metric_to_string (published_cases[i].metric));

      g_test_add_data_func (path, &published_cases[i], test_published);
    }
  g_test_add_func ("/rounds/agreement/alpha/krippendorff-2011/coincidences", test_coincidences);

  for (guint i = 0; i < G_N_ELEMENTS (edge_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/agreement/alpha/edge/%s",
                                               edge_cases[i].name);

      g_test_add_data_func (path, &edge_cases[i], test_edge);
    }
  g_test_add_func ("/rounds/agreement/alpha/duplicate-value", test_duplicate_value);
  g_test_add_func ("/rounds/agreement/alpha/ratio-negative", test_ratio_negative);
  g_test_add_func ("/rounds/agreement/alpha/clear", test_clear);

  for (guint i = 0; i < G_N_ELEMENTS (brute_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rounds/agreement/alpha/brute-force/%s",
                                               brute_cases[i].name);

      g_test_add_data_func (path, &brute_cases[i], test_brute_force);
    }

  g_test_add_func ("/rounds/agreement/kappa/published", test_kappa_published);
  g_test_add_func ("/rounds/agreement/kappa/edge", test_kappa_edge);
  g_test_add_func ("/rounds/agreement/kappa/brute-force", test_kappa_brute_force);

  return g_test_run ();
}
