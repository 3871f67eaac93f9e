/* rounds-agreement.c: agreement between raters: Krippendorff's alpha and Cohen's weighted kappa
 *
 * Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability"
 * (Annenberg School for Communication, University of Pennsylvania): reliability data are
 * (unit, coder, value) triples with any value missing; only units with two or more values
 * are pairable; the coincidence matrix o_ck counts, in every pairable unit u with m_u
 * values, each ordered pair of values from different coders with weight 1 / (m_u - 1);
 * its marginals are n_c and n = n..; and
 *
 *   alpha = 1 - D_o / D_e = 1 - (n - 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 *
 * The work is one pass over the values to bucket them by unit (a counting sort) and one
 * pass over the units, so a million values take tens of milliseconds; nothing loops over
 * pairs of the whole data. Values are indexed through hash maps as they are added, so a
 * category, a unit and a coder are small integers from then on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-agreement"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rounds-agreement.h"
#include "rounds-error.h"

/* Up to this many distinct values the coincidence matrix is built as it is in the paper;
 * beyond it (continuous scores) the same sums are taken in closed form, unit by unit. */
#define DENSE_MAX_CATEGORIES 1024

/* Whole values in this range skip the value hash: the usual case of a rating scale. */
#define SMALL_INT_LIMIT 1024

#define EMPTY_SLOT G_MAXUINT32

/* An open-addressing map from 64-bit keys to dense indices. GHashTable would box every
 * key; this one is two flat arrays and linear probing. */
typedef struct
{
  guint64 *keys;
  guint32 *indices;
  gsize    mask;
  gsize    n;
} IndexMap;

static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

static void
index_map_init (IndexMap *map)
{
  map->mask = 63;
  map->n = 0;
  map->keys = g_new (guint64, map->mask + 1);
  map->indices = g_new (guint32, map->mask + 1);
  memset (map->indices, 0xff, sizeof (guint32) * (map->mask + 1));
}

static void
index_map_clear (IndexMap *map)
{
  g_clear_pointer (&map->keys, g_free);
  g_clear_pointer (&map->indices, g_free);
}

static void
index_map_grow (IndexMap *map)
{
  guint64 *old_keys = map->keys;
  guint32 *old_indices = map->indices;
  gsize old_size = map->mask + 1;

  map->mask = old_size * 2 - 1;
  map->keys = g_new (guint64, map->mask + 1);
  map->indices = g_new (guint32, map->mask + 1);
  memset (map->indices, 0xff, sizeof (guint32) * (map->mask + 1));
  for (gsize i = 0; i < old_size; i++)
    if (old_indices[i] != EMPTY_SLOT)
      {
        gsize slot = mix64 (old_keys[i]) & map->mask;

        while (map->indices[slot] != EMPTY_SLOT)
          slot = (slot + 1) & map->mask;
        map->keys[slot] = old_keys[i];
        map->indices[slot] = old_indices[i];
      }
  g_free (old_keys);
  g_free (old_indices);
}

/* The index of @key, or @next (and *@added set) when it is new. */
static inline guint32
index_map_intern (IndexMap *map,
                  guint64   key,
                  guint32   next,
                  gboolean *added)
{
  gsize slot;

  if ((map->n + 1) * 2 > map->mask + 1)
    index_map_grow (map);

  slot = mix64 (key) & map->mask;
  while (map->indices[slot] != EMPTY_SLOT)
    {
      if (map->keys[slot] == key)
        {
          *added = FALSE;
          return map->indices[slot];
        }
      slot = (slot + 1) & map->mask;
    }
  map->keys[slot] = key;
  map->indices[slot] = next;
  map->n++;
  *added = TRUE;
  return next;
}

typedef struct
{
  guint32 unit;
  guint32 coder;
  guint32 category;
} Entry;

struct _RoundsReliability
{
  GArray   *entries;          /* Entry, in the order added */
  GArray   *unit_ids;         /* gint64 by dense unit */
  GArray   *coder_ids;        /* gint64 by dense coder */
  GArray   *category_values;  /* double by category */
  IndexMap  unit_map;
  IndexMap  coder_map;
  IndexMap  value_map;
  guint32   small_ints[2 * SMALL_INT_LIMIT + 1];  /* category + 1, or 0 */
  gint64    last_unit;
  guint32   last_unit_index;
  gint64    last_coder;
  guint32   last_coder_index;
};

/**
 * rounds_reliability_new:
 *
 * Empty reliability data: add (unit, coder, value) triples, then compute alpha.
 */
RoundsReliability *
rounds_reliability_new (void)
{
  RoundsReliability *self = g_new0 (RoundsReliability, 1);

  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->unit_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->coder_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->category_values = g_array_new (FALSE, FALSE, sizeof (double));
  index_map_init (&self->unit_map);
  index_map_init (&self->coder_map);
  index_map_init (&self->value_map);
  self->last_unit_index = EMPTY_SLOT;
  self->last_coder_index = EMPTY_SLOT;
  return self;
}

void
rounds_reliability_free (RoundsReliability *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->entries);
  g_array_unref (self->unit_ids);
  g_array_unref (self->coder_ids);
  g_array_unref (self->category_values);
  index_map_clear (&self->unit_map);
  index_map_clear (&self->coder_map);
  index_map_clear (&self->value_map);
  g_free (self);
}

/**
 * rounds_reliability_clear:
 *
 * Removes every value and keeps the memory, so that one reliability can be filled again:
 * for many alphas over large data, each filled as by a new one.
 */
void
rounds_reliability_clear (RoundsReliability *self)
{
  IndexMap *maps[] = { &self->unit_map, &self->coder_map, &self->value_map };

  g_return_if_fail (self != NULL);

  g_array_set_size (self->entries, 0);
  g_array_set_size (self->unit_ids, 0);
  g_array_set_size (self->coder_ids, 0);
  g_array_set_size (self->category_values, 0);
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      maps[m]->n = 0;
      memset (maps[m]->indices, 0xff, sizeof (guint32) * (maps[m]->mask + 1));
    }
  memset (self->small_ints, 0, sizeof self->small_ints);
  self->last_unit_index = EMPTY_SLOT;
  self->last_coder_index = EMPTY_SLOT;
}

static guint32
intern_id (IndexMap *map,
           GArray   *ids,
           gint64    id)
{
  gboolean added;
  guint32 index = index_map_intern (map, (guint64) id, ids->len, &added);

  if (added)
    g_array_append_val (ids, id);
  return index;
}

static guint32
intern_value (RoundsReliability *self,
              double             value)
{
  gboolean added;
  guint64 bits;
  guint32 index;

  if (value == floor (value) && fabs (value) <= SMALL_INT_LIMIT)
    {
      guint32 *slot = &self->small_ints[(int) value + SMALL_INT_LIMIT];

      if (*slot == 0)
        {
          value = value == 0 ? 0.0 : value;   /* one category for 0 and -0 */
          g_array_append_val (self->category_values, value);
          *slot = self->category_values->len;
        }
      return *slot - 1;
    }

  memcpy (&bits, &value, sizeof bits);
  index = index_map_intern (&self->value_map, bits, self->category_values->len, &added);
  if (added)
    g_array_append_val (self->category_values, value);
  return index;
}

/**
 * rounds_reliability_add:
 * @unit: what was coded (an item, an item's response, …)
 * @coder: who coded it
 * @value: the value; NaN counts as missing and is left out
 *
 * Adds one value. A coder gives a unit at most one value: a second one makes
 * rounds_alpha_compute() fail. Adding the values of one unit together is fastest.
 */
void
rounds_reliability_add (RoundsReliability *self,
                        gint64             unit,
                        gint64             coder,
                        double             value)
{
  Entry entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!isinf (value));

  if (isnan (value))
    return;
  g_return_if_fail (self->entries->len < G_MAXUINT32 - 1);

  if (self->last_unit_index == EMPTY_SLOT || unit != self->last_unit)
    {
      self->last_unit = unit;
      self->last_unit_index = intern_id (&self->unit_map, self->unit_ids, unit);
    }
  if (self->last_coder_index == EMPTY_SLOT || coder != self->last_coder)
    {
      self->last_coder = coder;
      self->last_coder_index = intern_id (&self->coder_map, self->coder_ids, coder);
    }

  entry.unit = self->last_unit_index;
  entry.coder = self->last_coder_index;
  entry.category = intern_value (self, value);
  g_array_append_val (self->entries, entry);
}

/* The values added, missing ones left out. */
guint
rounds_reliability_get_n_values (RoundsReliability *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const char *
rounds_metric_to_string (RoundsMetric metric)
{
  switch (metric)
    {
    case ROUNDS_METRIC_NOMINAL:
      return "nominal";
    case ROUNDS_METRIC_ORDINAL:
      return "ordinal";
    case ROUNDS_METRIC_INTERVAL:
      return "interval";
    case ROUNDS_METRIC_RATIO:
      return "ratio";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Computing ---------------------------------------------------------------------------- */

/* The data bucketed by unit, with the marginals of the pairable values. */
typedef struct
{
  guint32 *start;        /* n_units + 1: unit u's values are [start[u], start[u+1]) */
  guint32 *category;     /* by position after bucketing: the value's sorted category */
  guint    n_units;      /* every unit */
  guint    n_pairable_units;
  guint    n_values;     /* pairable values */
  guint    n_coders;
  guint    n_categories; /* pairable categories, sorted by value */
  double  *values;       /* n_categories: the value of each sorted category */
  double  *margins;      /* n_categories: n_c */
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_clear_pointer (&p->start, g_free);
  g_clear_pointer (&p->category, g_free);
  g_clear_pointer (&p->values, g_free);
  g_clear_pointer (&p->margins, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

static int
compare_categories (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const double *values = user_data;
  double x = values[*(const guint32 *) a];
  double y = values[*(const guint32 *) b];

  return (x > y) - (x < y);
}

static gboolean
prepare (RoundsReliability  *self,
         Prepared           *p,
         GError            **error)
{
  const Entry *entries = (const Entry *) (gpointer) self->entries->data;
  guint n = self->entries->len;
  guint n_all_categories = self->category_values->len;
  g_autofree guint32 *fill = NULL;
  g_autofree guint32 *coder_of = NULL;
  g_autofree guint32 *stamp = NULL;
  g_autofree gboolean *coder_used = NULL;
  g_autofree guint *counts = NULL;
  g_autofree guint32 *order = NULL;
  g_autofree guint32 *position = NULL;

  memset (p, 0, sizeof *p);
  p->n_units = self->unit_ids->len;

  /* Counting sort by unit. */
  p->start = g_new0 (guint32, p->n_units + 1);
  for (guint i = 0; i < n; i++)
    p->start[entries[i].unit + 1]++;
  for (guint u = 0; u < p->n_units; u++)
    p->start[u + 1] += p->start[u];
  fill = g_memdup2 (p->start, sizeof (guint32) * (p->n_units + 1));
  p->category = g_new (guint32, MAX (n, 1));
  coder_of = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint32 at = fill[entries[i].unit]++;

      p->category[at] = entries[i].category;
      coder_of[at] = entries[i].coder;
    }

  /* One pass over the units: refuse a coder's second value for a unit, and count the
   * pairable values by category. */
  stamp = g_new (guint32, MAX (self->coder_ids->len, 1));
  memset (stamp, 0xff, sizeof (guint32) * MAX (self->coder_ids->len, 1));
  coder_used = g_new0 (gboolean, MAX (self->coder_ids->len, 1));
  counts = g_new0 (guint, MAX (n_all_categories, 1));
  for (guint u = 0; u < p->n_units; u++)
    {
      guint m = p->start[u + 1] - p->start[u];

      for (guint32 i = p->start[u]; i < p->start[u + 1]; i++)
        {
          if (stamp[coder_of[i]] == u)
            {
              g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                           _("Coder %lld gave unit %lld more than one value"),
                           (long long) g_array_index (self->coder_ids, gint64, coder_of[i]),
                           (long long) g_array_index (self->unit_ids, gint64, u));
              return FALSE;
            }
          stamp[coder_of[i]] = u;
        }
      if (m < 2)
        continue;
      p->n_pairable_units++;
      p->n_values += m;
      for (guint32 i = p->start[u]; i < p->start[u + 1]; i++)
        {
          counts[p->category[i]]++;
          coder_used[coder_of[i]] = TRUE;
        }
    }
  for (guint c = 0; c < self->coder_ids->len; c++)
    p->n_coders += coder_used[c] ? 1 : 0;

  /* The pairable categories in value order; the others get no position. */
  order = g_new (guint32, MAX (n_all_categories, 1));
  for (guint c = 0; c < n_all_categories; c++)
    if (counts[c] > 0)
      order[p->n_categories++] = c;
  g_qsort_with_data (order, p->n_categories, sizeof (guint32), compare_categories,
                     self->category_values->data);

  position = g_new (guint32, MAX (n_all_categories, 1));
  memset (position, 0xff, sizeof (guint32) * MAX (n_all_categories, 1));
  p->values = g_new (double, MAX (p->n_categories, 1));
  p->margins = g_new (double, MAX (p->n_categories, 1));
  for (guint k = 0; k < p->n_categories; k++)
    {
      position[order[k]] = k;
      p->values[k] = g_array_index (self->category_values, double, order[k]);
      p->margins[k] = counts[order[k]];
    }
  for (guint i = 0; i < n; i++)
    p->category[i] = position[p->category[i]];

  return TRUE;
}

/* What δ² is measured on for the metrics that are squared differences: the value, or for
 * the ordinal metric its mid-rank among the pairable values. For sorted categories c < k,
 * Σ_{g=c..k} n_g - (n_c + n_k) / 2 = r_k - r_c with r_c = Σ_{g<c} n_g + n_c / 2, so the
 * paper's ordinal δ² is the squared difference of mid-ranks. */
static double *
positions_for (const Prepared *p,
               RoundsMetric    metric)
{
  double *x = g_new (double, MAX (p->n_categories, 1));
  double below = 0;

  for (guint k = 0; k < p->n_categories; k++)
    {
      if (metric == ROUNDS_METRIC_ORDINAL)
        {
          x[k] = below + p->margins[k] / 2;
          below += p->margins[k];
        }
      else
        x[k] = p->values[k];
    }
  return x;
}

static inline double
delta2 (RoundsMetric  metric,
        const double *x,
        guint         c,
        guint         k)
{
  double d;

  if (c == k)
    return 0;
  switch (metric)
    {
    case ROUNDS_METRIC_NOMINAL:
      return 1;
    case ROUNDS_METRIC_RATIO:
      d = (x[c] - x[k]) / (x[c] + x[k]);
      return d * d;
    case ROUNDS_METRIC_ORDINAL:
    case ROUNDS_METRIC_INTERVAL:
    default:
      d = x[c] - x[k];
      return d * d;
    }
}

/* The coincidence matrix, row-major over the sorted pairable categories. */
static double *
coincidences (const Prepared *p)
{
  guint v = p->n_categories;
  double *o = g_new0 (double, (gsize) v * v);
  g_autofree guint *count = g_new0 (guint, MAX (v, 1));
  g_autofree guint *touched = g_new (guint, MAX (v, 1));

  for (guint u = 0; u < p->n_units; u++)
    {
      guint m = p->start[u + 1] - p->start[u];
      guint n_touched = 0;
      double w;

      if (m < 2)
        continue;
      for (guint32 i = p->start[u]; i < p->start[u + 1]; i++)
        if (count[p->category[i]]++ == 0)
          touched[n_touched++] = p->category[i];

      w = 1.0 / (m - 1);
      for (guint a = 0; a < n_touched; a++)
        {
          guint c = touched[a];

          for (guint b = 0; b < n_touched; b++)
            {
              guint k = touched[b];

              o[(gsize) c * v + k] += (double) count[c] * (count[k] - (c == k ? 1 : 0)) * w;
            }
        }
      for (guint a = 0; a < n_touched; a++)
        count[touched[a]] = 0;
    }
  return o;
}

/* Σ o_ck δ²_ck and Σ n_c n_k δ²_ck from the coincidence matrix, as the paper does. */
static void
sums_dense (const Prepared *p,
            RoundsMetric    metric,
            const double   *x,
            double         *observed,
            double         *expected)
{
  g_autofree double *o = coincidences (p);
  guint v = p->n_categories;
  double so = 0, se = 0;

  for (guint c = 0; c < v; c++)
    for (guint k = 0; k < v; k++)
      {
        double d = delta2 (metric, x, c, k);

        so += o[(gsize) c * v + k] * d;
        se += p->margins[c] * p->margins[k] * d;
      }
  *observed = so;
  *expected = se;
}

/* The same sums without the V × V matrix, for many distinct values. Nominal, interval and
 * ordinal δ² decompose, so a unit's Σ_{i≠j} δ²(v_i, v_j) is m² - Σ n_uc² or
 * 2 m Σ x² - 2 (Σ x)²; ratio does not, and pairs the distinct values within each unit
 * (and all categories for D_e). */
static void
sums_sparse (const Prepared *p,
             RoundsMetric    metric,
             const double   *x,
             double         *observed,
             double         *expected)
{
  guint v = p->n_categories;
  g_autofree guint *count = g_new0 (guint, MAX (v, 1));
  g_autofree guint *touched = g_new (guint, MAX (v, 1));
  double mean = 0, so = 0, se = 0;
  double n = p->n_values;

  /* Centre the positions: the closed forms subtract large squares otherwise. */
  for (guint c = 0; c < v; c++)
    mean += p->margins[c] * x[c];
  mean /= n;

  for (guint u = 0; u < p->n_units; u++)
    {
      guint m = p->start[u + 1] - p->start[u];
      guint n_touched = 0;
      double s1 = 0, s2 = 0, pairs = 0;

      if (m < 2)
        continue;
      for (guint32 i = p->start[u]; i < p->start[u + 1]; i++)
        {
          guint c = p->category[i];

          if (count[c]++ == 0)
            touched[n_touched++] = c;
          s1 += x[c] - mean;
          s2 += (x[c] - mean) * (x[c] - mean);
        }

      switch (metric)
        {
        case ROUNDS_METRIC_NOMINAL:
          pairs = (double) m * m;
          for (guint a = 0; a < n_touched; a++)
            pairs -= (double) count[touched[a]] * count[touched[a]];
          break;
        case ROUNDS_METRIC_RATIO:
          for (guint a = 0; a < n_touched; a++)
            for (guint b = 0; b < n_touched; b++)
              pairs += (double) count[touched[a]] * count[touched[b]] *
                       delta2 (metric, x, touched[a], touched[b]);
          break;
        case ROUNDS_METRIC_ORDINAL:
        case ROUNDS_METRIC_INTERVAL:
        default:
          pairs = 2 * m * s2 - 2 * s1 * s1;
          break;
        }
      so += MAX (pairs, 0) / (m - 1);

      for (guint a = 0; a < n_touched; a++)
        count[touched[a]] = 0;
    }

  switch (metric)
    {
    case ROUNDS_METRIC_NOMINAL:
      se = n * n;
      for (guint c = 0; c < v; c++)
        se -= p->margins[c] * p->margins[c];
      break;
    case ROUNDS_METRIC_RATIO:
      for (guint c = 0; c < v; c++)
        for (guint k = 0; k < v; k++)
          se += p->margins[c] * p->margins[k] * delta2 (metric, x, c, k);
      break;
    case ROUNDS_METRIC_ORDINAL:
    case ROUNDS_METRIC_INTERVAL:
    default:
      {
        double s1 = 0, s2 = 0;

        for (guint c = 0; c < v; c++)
          {
            s1 += p->margins[c] * (x[c] - mean);
            s2 += p->margins[c] * (x[c] - mean) * (x[c] - mean);
          }
        se = 2 * n * s2 - 2 * s1 * s1;
      }
      break;
    }

  *observed = so;
  *expected = MAX (se, 0);
}

/**
 * rounds_alpha_compute:
 * @data: the reliability data
 * @metric: the difference function
 * @result: (out caller-allocates): alpha and what it rests on
 *
 * Krippendorff's alpha over the units with two or more values. When alpha is undefined
 * (no pairable values, or no variation) the call still succeeds: @result->alpha is NaN
 * and @result->status says why.
 *
 * Returns: %FALSE with %ROUNDS_ERROR_INVALID_INPUT when a coder gave a unit two values,
 *   or %ROUNDS_ERROR_INVALID_ARGUMENT for a negative value under the ratio metric.
 */
gboolean
rounds_alpha_compute (RoundsReliability  *data,
                      RoundsMetric        metric,
                      RoundsAlphaResult  *result,
                      GError            **error)
{
  g_auto(Prepared) p = { 0 };
  g_autofree double *x = NULL;
  double observed, expected;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (metric <= ROUNDS_METRIC_RATIO, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  result->alpha = NAN;
  result->observed = NAN;
  result->expected = NAN;

  if (!prepare (data, &p, error))
    return FALSE;

  result->n_units = p.n_pairable_units;
  result->n_values = p.n_values;
  result->n_coders = p.n_coders;
  result->n_categories = p.n_categories;

  if (metric == ROUNDS_METRIC_RATIO && p.n_categories > 0 && p.values[0] < 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("The ratio metric needs values of 0 or more; %g is negative"), p.values[0]);
      return FALSE;
    }

  if (p.n_pairable_units == 0)
    {
      result->status = ROUNDS_ALPHA_NO_PAIRABLE_VALUES;
      return TRUE;
    }

  x = positions_for (&p, metric);
  if (p.n_categories <= DENSE_MAX_CATEGORIES)
    sums_dense (&p, metric, x, &observed, &expected);
  else
    sums_sparse (&p, metric, x, &observed, &expected);

  result->observed = observed / p.n_values;
  result->expected = expected / ((double) p.n_values * (p.n_values - 1));
  if (expected <= 0)
    {
      result->status = ROUNDS_ALPHA_NO_VARIATION;
      return TRUE;
    }
  result->status = ROUNDS_ALPHA_OK;
  result->alpha = 1.0 - (p.n_values - 1) * observed / expected;
  return TRUE;
}

/**
 * rounds_reliability_get_coincidences:
 * @categories: (out) (transfer full) (optional): the pairable values, ascending
 * @n_categories: (out): how many
 *
 * The coincidence matrix o_ck of the paper, row-major over @categories, for checking and
 * for showing. %NULL without an error when there are no pairable values.
 *
 * Returns: (transfer full) (nullable): n_categories × n_categories values, or %NULL
 */
double *
rounds_reliability_get_coincidences (RoundsReliability  *self,
                                     double            **categories,
                                     guint              *n_categories,
                                     GError            **error)
{
  g_auto(Prepared) p = { 0 };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n_categories != NULL, NULL);

  *n_categories = 0;
  if (categories)
    *categories = NULL;
  if (!prepare (self, &p, error))
    return NULL;
  if (p.n_categories == 0)
    return NULL;
  if (p.n_categories > DENSE_MAX_CATEGORIES)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("%u distinct values are too many for a coincidence matrix (at most %u)"),
                   p.n_categories, DENSE_MAX_CATEGORIES);
      return NULL;
    }

  *n_categories = p.n_categories;
  if (categories)
    *categories = g_steal_pointer (&p.values);
  return coincidences (&p);
}

/* Cohen's kappa ------------------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Σ_i Σ_j |a_i - b_j| for sorted @a and @b, in one merge. */
static double
sum_abs_differences (const double *a,
                     const double *b,
                     gsize         n)
{
  double total_b = 0, below_b = 0, sum = 0;
  gsize j = 0;

  for (gsize i = 0; i < n; i++)
    total_b += b[i];
  for (gsize i = 0; i < n; i++)
    {
      while (j < n && b[j] <= a[i])
        below_b += b[j++];
      /* b_j ≤ a_i contribute a_i - b_j, the rest b_j - a_i. */
      sum += a[i] * j - below_b + (total_b - below_b) - a[i] * (n - j);
    }
  return sum;
}

/**
 * rounds_kappa_compute:
 * @rater_a: the first rater's values
 * @rater_b: the second rater's values for the same @n units
 * @weights: how much a disagreement of a given size counts
 * @n_pairs: (out) (optional): the units both rated
 *
 * Cohen's kappa for two raters, weighted (Cohen 1968) as 1 - Σ w o / Σ w e over the
 * observed and chance-expected proportions, with the disagreement weight of two values
 * taken from their numeric distance: |a - b| or (a - b)². On a scale of consecutive whole
 * numbers that is Cohen's linear and quadratic weighting. Units where either value is NaN
 * are left out.
 *
 * Returns: kappa, or NaN when no unit has both values or both raters used one value only
 *   (the expected disagreement is 0)
 */
double
rounds_kappa_compute (const double       *rater_a,
                      const double       *rater_b,
                      gsize               n,
                      RoundsKappaWeights  weights,
                      gsize              *n_pairs)
{
  g_autofree double *a = NULL;
  g_autofree double *b = NULL;
  double observed = 0, expected = 0;
  gsize m = 0;

  g_return_val_if_fail (n == 0 || (rater_a != NULL && rater_b != NULL), NAN);

  a = g_new (double, MAX (n, 1));
  b = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    if (!isnan (rater_a[i]) && !isnan (rater_b[i]))
      {
        a[m] = rater_a[i];
        b[m] = rater_b[i];
        m++;
      }
  if (n_pairs)
    *n_pairs = m;
  if (m == 0)
    return NAN;

  switch (weights)
    {
    case ROUNDS_KAPPA_UNWEIGHTED:
      {
        gsize i = 0, j = 0;

        for (gsize k = 0; k < m; k++)
          observed += a[k] != b[k] ? 1 : 0;
        qsort (a, m, sizeof (double), compare_doubles);
        qsort (b, m, sizeof (double), compare_doubles);
        /* Chance agreement: Σ_c p_a(c) p_b(c), walking both sorted lists. */
        expected = (double) m * m;
        while (i < m && j < m)
          {
            if (a[i] < b[j])
              i++;
            else if (b[j] < a[i])
              j++;
            else
              {
                double value = a[i];
                gsize ca = 0, cb = 0;

                while (i < m && a[i] == value)
                  i++, ca++;
                while (j < m && b[j] == value)
                  j++, cb++;
                expected -= (double) ca * cb;
              }
          }
      }
      break;

    case ROUNDS_KAPPA_LINEAR:
      for (gsize k = 0; k < m; k++)
        observed += fabs (a[k] - b[k]);
      qsort (a, m, sizeof (double), compare_doubles);
      qsort (b, m, sizeof (double), compare_doubles);
      expected = sum_abs_differences (a, b, m);
      break;

    case ROUNDS_KAPPA_QUADRATIC:
    default:
      {
        double mean_a = 0, mean_b = 0, var_a = 0, var_b = 0;

        for (gsize k = 0; k < m; k++)
          {
            observed += (a[k] - b[k]) * (a[k] - b[k]);
            mean_a += a[k];
            mean_b += b[k];
          }
        mean_a /= m;
        mean_b /= m;
        for (gsize k = 0; k < m; k++)
          {
            var_a += (a[k] - mean_a) * (a[k] - mean_a);
            var_b += (b[k] - mean_b) * (b[k] - mean_b);
          }
        /* Σ_i Σ_j (a_i - b_j)² = m (var_a + var_b) + m² (mean_a - mean_b)². */
        expected = m * (var_a + var_b) + (double) m * m * (mean_a - mean_b) * (mean_a - mean_b);
      }
      break;
    }

  /* observed is a sum over m pairs, expected over m² */
  observed /= m;
  expected /= (double) m * m;
  if (expected <= 0)
    return NAN;
  return 1.0 - observed / expected;
}
