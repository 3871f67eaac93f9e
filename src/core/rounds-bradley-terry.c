/* rounds-bradley-terry.c: strengths from paired comparisons, with a scenario bootstrap
 *
 * See rounds-bradley-terry.h for the model, the ridge and the bootstrap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-bradley-terry"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rounds-bradley-terry.h"
#include "rounds-error.h"

#define MAX_ITERATIONS 200
#define TOLERANCE      1e-10

/* One comparison as added; merged per cluster and pair before fitting. */
typedef struct
{
  guint32 cluster;
  guint32 pair;
  double  wins;      /* for the lower-numbered model of the pair */
  double  n;
} Raw;

/* A run of identical clusters: their shared (pair, wins, n) list and how many there are. */
typedef struct
{
  guint  start;
  guint  len;
  guint  count;
} Pool;

struct _RoundsBradleyTerry
{
  guint       n_models;
  guint       n_pairs;
  guint      *pair_i;          /* n_pairs */
  guint      *pair_j;

  GHashTable *clusters;        /* guint64 cluster id → index + 1 */
  GArray     *cluster_ids;     /* guint64, by index */
  GArray     *raw;             /* Raw */
  guint64     last_cluster;
  guint32     last_index;      /* G_MAXUINT32: none */

  /* Built from raw when a fit needs it. */
  gboolean    prepared;
  GArray     *pools;           /* Pool */
  guint      *entry_pair;
  double     *entry_wins;
  double     *entry_n;
  double     *wins;            /* n_pairs totals */
  double     *total;
};

static inline guint
pair_index (guint n,
            guint i,
            guint j)
{
  /* i < j: row-major upper triangle */
  return i * n - i * (i + 1) / 2 + (j - i - 1);
}

/**
 * rounds_bradley_terry_new:
 * @n_models: the models, numbered from 0
 */
RoundsBradleyTerry *
rounds_bradley_terry_new (guint n_models)
{
  RoundsBradleyTerry *self = g_new0 (RoundsBradleyTerry, 1);
  guint p = 0;

  self->n_models = n_models;
  self->n_pairs = n_models * (n_models - (n_models > 0)) / 2;
  self->pair_i = g_new (guint, MAX (self->n_pairs, 1));
  self->pair_j = g_new (guint, MAX (self->n_pairs, 1));
  for (guint i = 0; i < n_models; i++)
    for (guint j = i + 1; j < n_models; j++, p++)
      {
        self->pair_i[p] = i;
        self->pair_j[p] = j;
      }
  self->clusters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->cluster_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->raw = g_array_new (FALSE, FALSE, sizeof (Raw));
  self->last_index = G_MAXUINT32;
  self->wins = g_new0 (double, MAX (self->n_pairs, 1));
  self->total = g_new0 (double, MAX (self->n_pairs, 1));
  return self;
}

static void
unprepare (RoundsBradleyTerry *self)
{
  self->prepared = FALSE;
  g_clear_pointer (&self->pools, g_array_unref);
  g_clear_pointer (&self->entry_pair, g_free);
  g_clear_pointer (&self->entry_wins, g_free);
  g_clear_pointer (&self->entry_n, g_free);
}

void
rounds_bradley_terry_free (RoundsBradleyTerry *self)
{
  if (self == NULL)
    return;
  unprepare (self);
  g_free (self->pair_i);
  g_free (self->pair_j);
  g_hash_table_unref (self->clusters);
  g_array_unref (self->cluster_ids);
  g_array_unref (self->raw);
  g_free (self->wins);
  g_free (self->total);
  g_free (self);
}

guint
rounds_bradley_terry_get_n_models (RoundsBradleyTerry *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_models;
}

/**
 * rounds_bradley_terry_add:
 * @cluster: the scenario the comparison belongs to: the bootstrap resamples these
 * @i: one model; @j: the other, not @i
 * @outcome: the outcome for @i, from 0 (lost) through 0.5 (tie) to 1 (won)
 * @weight: how much the comparison counts, > 0
 */
void
rounds_bradley_terry_add (RoundsBradleyTerry *self,
                          guint64             cluster,
                          guint               i,
                          guint               j,
                          double              outcome,
                          double              weight)
{
  Raw raw;

  g_return_if_fail (self != NULL);
  g_return_if_fail (i < self->n_models && j < self->n_models && i != j);
  g_return_if_fail (outcome >= 0.0 && outcome <= 1.0);
  g_return_if_fail (weight > 0.0 && isfinite (weight));

  if (self->last_index == G_MAXUINT32 || cluster != self->last_cluster)
    {
      gpointer found = g_hash_table_lookup (self->clusters, &cluster);

      if (found == NULL)
        {
          found = GUINT_TO_POINTER (self->cluster_ids->len + 1);
          g_array_append_val (self->cluster_ids, cluster);
          g_hash_table_insert (self->clusters, g_memdup2 (&cluster, sizeof cluster), found);
        }
      self->last_cluster = cluster;
      self->last_index = GPOINTER_TO_UINT (found) - 1;
    }

  if (i > j)
    {
      guint t = i;

      i = j;
      j = t;
      outcome = 1.0 - outcome;
    }
  raw.cluster = self->last_index;
  raw.pair = pair_index (self->n_models, i, j);
  raw.wins = outcome * weight;
  raw.n = weight;
  g_array_append_val (self->raw, raw);
  unprepare (self);
}

/* Preparing: clusters in the order of their ids, each a merged (pair, wins, n) list, equal
 * lists pooled --------------------------------------------------------------------------- */

typedef struct
{
  RoundsBradleyTerry *self;
  guint               start;
  guint               len;
} Signature;

static guint
signature_hash (gconstpointer key)
{
  const Signature *s = key;
  guint64 h = 1469598103934665603ull;

  for (guint e = s->start; e < s->start + s->len; e++)
    {
      guint64 w, n;

      memcpy (&w, &s->self->entry_wins[e], sizeof w);
      memcpy (&n, &s->self->entry_n[e], sizeof n);
      h = (h ^ s->self->entry_pair[e]) * 1099511628211ull;
      h = (h ^ w) * 1099511628211ull;
      h = (h ^ n) * 1099511628211ull;
    }
  return (guint) (h ^ (h >> 32));
}

static gboolean
signature_equal (gconstpointer a,
                 gconstpointer b)
{
  const Signature *x = a;
  const Signature *y = b;
  RoundsBradleyTerry *self = x->self;

  if (x->len != y->len)
    return FALSE;
  for (guint e = 0; e < x->len; e++)
    if (self->entry_pair[x->start + e] != self->entry_pair[y->start + e] ||
        self->entry_wins[x->start + e] != self->entry_wins[y->start + e] ||
        self->entry_n[x->start + e] != self->entry_n[y->start + e])
      return FALSE;
  return TRUE;
}

static int
compare_cluster_ids (const void *a,
                     const void *b,
                     void       *data)
{
  const guint64 *ids = data;
  guint64 x = ids[*(const guint *) a];
  guint64 y = ids[*(const guint *) b];

  return x < y ? -1 : x > y;
}

static void
prepare (RoundsBradleyTerry *self)
{
  guint n_clusters = self->cluster_ids->len;
  guint n_raw = self->raw->len;
  g_autofree guint *start = g_new0 (guint, n_clusters + 1);
  g_autofree guint *fill = NULL;
  g_autofree guint *sorted = g_new (guint, MAX (n_raw, 1));
  g_autofree guint *order = g_new (guint, MAX (n_clusters, 1));
  g_autofree guint *slot_of = g_new (guint, MAX (self->n_pairs, 1));
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) signatures = g_array_new (FALSE, FALSE, sizeof (Signature));
  guint n_entries = 0, n_final = 0;

  if (self->prepared)
    return;
  unprepare (self);

  /* A counting sort of the comparisons by cluster. */
  for (guint r = 0; r < n_raw; r++)
    start[g_array_index (self->raw, Raw, r).cluster + 1]++;
  for (guint c = 0; c < n_clusters; c++)
    start[c + 1] += start[c];
  fill = g_memdup2 (start, sizeof (guint) * (n_clusters + 1));
  for (guint r = 0; r < n_raw; r++)
    sorted[fill[g_array_index (self->raw, Raw, r).cluster]++] = r;

  for (guint p = 0; p < self->n_pairs; p++)
    slot_of[p] = G_MAXUINT;
  self->entry_pair = g_new (guint, MAX (n_raw, 1));
  self->entry_wins = g_new (double, MAX (n_raw, 1));
  self->entry_n = g_new (double, MAX (n_raw, 1));

  /* Clusters in id order, so neither the order of the comparisons nor that of the clusters
   * changes which Poisson draw a cluster gets. */
  for (guint c = 0; c < n_clusters; c++)
    order[c] = c;
  g_qsort_with_data (order, n_clusters, sizeof (guint),
                     (GCompareDataFunc) compare_cluster_ids, self->cluster_ids->data);

  for (guint o = 0; o < n_clusters; o++)
    {
      guint c = order[o];
      guint first = n_entries;

      /* Merge by pair through slot_of, then sort the cluster's few pairs. */
      for (guint s = start[c]; s < start[c + 1]; s++)
        {
          const Raw *raw = &g_array_index (self->raw, Raw, sorted[s]);
          guint e = slot_of[raw->pair];

          if (e == G_MAXUINT)
            {
              e = slot_of[raw->pair] = n_entries++;
              self->entry_pair[e] = raw->pair;
              self->entry_wins[e] = 0.0;
              self->entry_n[e] = 0.0;
            }
          self->entry_wins[e] += raw->wins;
          self->entry_n[e] += raw->n;
        }
      for (guint e = first; e < n_entries; e++)
        {
          guint pair = self->entry_pair[e];
          double wins = self->entry_wins[e], n = self->entry_n[e];
          guint f = e;

          slot_of[pair] = G_MAXUINT;
          for (; f > first && self->entry_pair[f - 1] > pair; f--)
            {
              self->entry_pair[f] = self->entry_pair[f - 1];
              self->entry_wins[f] = self->entry_wins[f - 1];
              self->entry_n[f] = self->entry_n[f - 1];
            }
          self->entry_pair[f] = pair;
          self->entry_wins[f] = wins;
          self->entry_n[f] = n;
        }
      g_array_append_val (signatures, ((Signature) { self, first, n_entries - first }));
    }

  /* Pool equal clusters; a pool sits where its first cluster was. */
  seen = g_hash_table_new (signature_hash, signature_equal);
  self->pools = g_array_new (FALSE, FALSE, sizeof (Pool));
  for (guint o = 0; o < n_clusters; o++)
    {
      Signature *signature = &g_array_index (signatures, Signature, o);
      gpointer found;

      if ((found = g_hash_table_lookup (seen, signature)) != NULL)
        {
          g_array_index (self->pools, Pool, GPOINTER_TO_UINT (found) - 1).count++;
          continue;
        }
      g_hash_table_insert (seen, signature, GUINT_TO_POINTER (self->pools->len + 1));
      g_array_append_val (self->pools, ((Pool) { signature->start, signature->len, 1 }));
    }

  /* Compact the entries to those of the pools. */
  for (guint g = 0; g < self->pools->len; g++)
    {
      Pool *pool = &g_array_index (self->pools, Pool, g);

      memmove (&self->entry_pair[n_final], &self->entry_pair[pool->start],
               sizeof (guint) * pool->len);
      memmove (&self->entry_wins[n_final], &self->entry_wins[pool->start],
               sizeof (double) * pool->len);
      memmove (&self->entry_n[n_final], &self->entry_n[pool->start], sizeof (double) * pool->len);
      pool->start = n_final;
      n_final += pool->len;
    }
  self->prepared = TRUE;
}

/* Totals over the pools, each counted @counts[g] times (NULL: its size). */
static void
sum_pools (RoundsBradleyTerry *self,
           const guint        *counts,
           double             *wins,
           double             *total)
{
  memset (wins, 0, sizeof (double) * self->n_pairs);
  memset (total, 0, sizeof (double) * self->n_pairs);
  for (guint g = 0; g < self->pools->len; g++)
    {
      const Pool *pool = &g_array_index (self->pools, Pool, g);
      double m = counts != NULL ? counts[g] : pool->count;

      if (m == 0)
        continue;
      for (guint e = pool->start; e < pool->start + pool->len; e++)
        {
          wins[self->entry_pair[e]] += m * self->entry_wins[e];
          total[self->entry_pair[e]] += m * self->entry_n[e];
        }
    }
}

/* Fitting --------------------------------------------------------------------------------- */

static inline double
log1p_exp (double x)
{
  return x > 0 ? x + log1p (exp (-x)) : log1p (exp (x));
}

static double
objective (RoundsBradleyTerry *self,
           const double       *wins,
           const double       *total,
           double              ridge,
           const double       *beta)
{
  double value = 0.0, sum = 0.0;

  for (guint p = 0; p < self->n_pairs; p++)
    if (total[p] > 0)
      {
        double d = beta[self->pair_i[p]] - beta[self->pair_j[p]];

        value += wins[p] * d - total[p] * log1p_exp (d);
      }
  for (guint k = 0; k < self->n_models; k++)
    {
      value -= ridge / 2 * beta[k] * beta[k];
      sum += beta[k];
    }
  /* Pins the mean at 0 where the likelihood alone does not (ridge 0); at the maximum of a
   * ridge fit the mean is 0 already, so it changes nothing there. */
  return value - sum * sum / 2;
}

/* Solves A x = b for a symmetric positive definite A (n × n, destroyed) by Cholesky. */
static gboolean
cholesky_solve (double *a,
                double *b,
                guint   n)
{
  for (guint j = 0; j < n; j++)
    {
      double d = a[j * n + j];

      for (guint k = 0; k < j; k++)
        d -= a[j * n + k] * a[j * n + k];
      if (!(d > 0))
        return FALSE;
      d = sqrt (d);
      a[j * n + j] = d;
      for (guint i = j + 1; i < n; i++)
        {
          double s = a[i * n + j];

          for (guint k = 0; k < j; k++)
            s -= a[i * n + k] * a[j * n + k];
          a[i * n + j] = s / d;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < i; k++)
        b[i] -= a[i * n + k] * b[k];
      b[i] /= a[i * n + i];
    }
  for (guint i = n; i-- > 0;)
    {
      for (guint k = i + 1; k < n; k++)
        b[i] -= a[k * n + i] * b[k];
      b[i] /= a[i * n + i];
    }
  return TRUE;
}

/* Whether the graph "i has some credit against j" is strongly connected: the condition for
 * a finite maximum-likelihood estimate (Ford, 1957). */
static gboolean
mle_exists (RoundsBradleyTerry *self,
            const double       *wins,
            const double       *total)
{
  guint n = self->n_models;
  g_autofree guint *stack = g_new (guint, MAX (n, 1));
  g_autofree gboolean *reached = g_new (gboolean, MAX (n, 1));

  for (int direction = 0; direction < 2; direction++)
    {
      guint top = 0, n_reached = 1;

      memset (reached, 0, sizeof (gboolean) * n);
      reached[0] = TRUE;
      stack[top++] = 0;
      while (top > 0)
        {
          guint k = stack[--top];

          for (guint p = 0; p < self->n_pairs; p++)
            {
              guint i = self->pair_i[p], j = self->pair_j[p];
              gboolean i_to_j = wins[p] > 0, j_to_i = total[p] - wins[p] > 0;
              guint next;

              if (direction == 1)
                {
                  gboolean t = i_to_j;

                  i_to_j = j_to_i;
                  j_to_i = t;
                }
              if (k == i && i_to_j)
                next = j;
              else if (k == j && j_to_i)
                next = i;
              else
                continue;
              if (!reached[next])
                {
                  reached[next] = TRUE;
                  n_reached++;
                  stack[top++] = next;
                }
            }
        }
      if (n_reached < n)
        return FALSE;
    }
  return TRUE;
}

/* Newton's method with step halving, from @beta as it is. */
static gboolean
newton (RoundsBradleyTerry *self,
        const double       *wins,
        const double       *total,
        double              ridge,
        double             *beta)
{
  guint n = self->n_models;
  g_autofree double *a = g_new (double, MAX (n * n, 1));
  g_autofree double *g = g_new (double, MAX (n, 1));
  g_autofree double *trial = g_new (double, MAX (n, 1));
  double current = objective (self, wins, total, ridge, beta);

  for (guint iteration = 0; iteration < MAX_ITERATIONS; iteration++)
    {
      double sum = 0.0, step = 0.0, scale = 1.0;

      for (guint k = 0; k < n; k++)
        sum += beta[k];
      for (guint k = 0; k < n; k++)
        {
          g[k] = -ridge * beta[k] - sum;
          for (guint l = 0; l < n; l++)
            a[k * n + l] = 1.0 + (k == l ? ridge : 0.0);
        }
      for (guint p = 0; p < self->n_pairs; p++)
        {
          guint i = self->pair_i[p], j = self->pair_j[p];
          double s, v, r;

          if (total[p] <= 0)
            continue;
          s = 1.0 / (1.0 + exp (beta[j] - beta[i]));
          r = wins[p] - total[p] * s;
          v = total[p] * s * (1.0 - s);
          g[i] += r;
          g[j] -= r;
          a[i * n + i] += v;
          a[j * n + j] += v;
          a[i * n + j] -= v;
          a[j * n + i] -= v;
        }
      if (!cholesky_solve (a, g, n))
        return FALSE;
      for (guint k = 0; k < n; k++)
        step = MAX (step, fabs (g[k]));
      if (!isfinite (step))
        return FALSE;

      for (;;)
        {
          double value;

          for (guint k = 0; k < n; k++)
            trial[k] = beta[k] + scale * g[k];
          value = objective (self, wins, total, ridge, trial);
          if (value >= current - 1e-12 * fabs (current) || scale < 1e-8)
            {
              current = value;
              memcpy (beta, trial, sizeof (double) * n);
              break;
            }
          scale /= 2;
        }
      if (step * scale < TOLERANCE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
fit_totals (RoundsBradleyTerry  *self,
            const double        *wins,
            const double        *total,
            double               ridge,
            double              *beta,
            GError             **error)
{
  if (ridge == 0.0 && !mle_exists (self, wins, total))
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                           _("The strengths have no finite maximum-likelihood estimate: a model "
                             "won or lost every comparison, or some models were never compared "
                             "with the others. Fit with a ridge."));
      return FALSE;
    }
  if (!newton (self, wins, total, ridge, beta))
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_FAILED,
                           _("The Bradley-Terry fit did not converge"));
      return FALSE;
    }
  return TRUE;
}

/**
 * rounds_bradley_terry_fit:
 * @ridge: the penalty; 0 for the plain maximum-likelihood estimate
 * @strengths: (out caller-allocates) (array): the models' β, centred at mean 0
 *
 * Returns: %FALSE with @error set when @ridge is 0 and no finite estimate exists
 */
gboolean
rounds_bradley_terry_fit (RoundsBradleyTerry  *self,
                          double               ridge,
                          double              *strengths,
                          GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ridge >= 0.0, FALSE);
  g_return_val_if_fail (strengths != NULL || self->n_models == 0, FALSE);

  prepare (self);
  sum_pools (self, NULL, self->wins, self->total);
  for (guint k = 0; k < self->n_models; k++)
    strengths[k] = 0.0;
  if (self->n_models < 2)
    return TRUE;
  return fit_totals (self, self->wins, self->total, ridge, strengths, error);
}

/**
 * rounds_bradley_terry_bootstrap:
 * @strengths: the point estimate of rounds_bradley_terry_fit() with the same @ridge
 * @rounds: bootstrap rounds, > 0
 * @seed: the same seed gives the same intervals
 * @confidence: the interval's level, e.g. 0.95
 * @lower: (out caller-allocates) (array): each model's lower percentile of β
 * @upper: (out caller-allocates) (array): its upper one
 */
gboolean
rounds_bradley_terry_bootstrap (RoundsBradleyTerry  *self,
                                double               ridge,
                                const double        *strengths,
                                guint                rounds,
                                guint64              seed,
                                double               confidence,
                                double              *lower,
                                double              *upper,
                                GError             **error)
{
  guint n = self->n_models;
  g_autofree double *draws = NULL;
  g_autofree double *wins = NULL;
  g_autofree double *total = NULL;
  g_autofree guint *counts = NULL;
  g_autofree double *beta = NULL;
  g_autofree double *column = NULL;
  RoundsRandom random;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rounds > 0, FALSE);
  g_return_val_if_fail (confidence > 0.0 && confidence < 1.0, FALSE);

  prepare (self);
  draws = g_new (double, (gsize) MAX (n, 1) * rounds);
  wins = g_new (double, MAX (self->n_pairs, 1));
  total = g_new (double, MAX (self->n_pairs, 1));
  counts = g_new (guint, MAX (self->pools->len, 1));
  beta = g_new (double, MAX (n, 1));
  column = g_new (double, rounds);
  rounds_random_init (&random, seed);

  for (guint b = 0; b < rounds; b++)
    {
      for (guint g = 0; g < self->pools->len; g++)
        counts[g] = rounds_random_poisson (&random,
                                           g_array_index (self->pools, Pool, g).count);
      sum_pools (self, counts, wins, total);
      memcpy (beta, strengths, sizeof (double) * n);
      if (n >= 2 && !fit_totals (self, wins, total, ridge, beta, NULL))
        {
          memcpy (beta, strengths, sizeof (double) * n);
          if (!fit_totals (self, wins, total, MAX (ridge, ROUNDS_BRADLEY_TERRY_RIDGE), beta,
                           error))
            return FALSE;
        }
      memcpy (&draws[(gsize) b * n], beta, sizeof (double) * n);
    }

  for (guint k = 0; k < n; k++)
    {
      for (guint b = 0; b < rounds; b++)
        column[b] = draws[(gsize) b * n + k];
      lower[k] = rounds_percentile (column, rounds, (1.0 - confidence) / 2);
      upper[k] = rounds_percentile (column, rounds, (1.0 + confidence) / 2);
    }
  return TRUE;
}

/* 1000 + 400 · log10 (odds): the Elo-like scale of the leaderboard. */
double
rounds_bradley_terry_rating (double strength)
{
  return 1000.0 + 400.0 * strength / G_LN10;
}

/* Randomness ------------------------------------------------------------------------------ */

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

void
rounds_random_init (RoundsRandom *self,
                    guint64       seed)
{
  for (guint i = 0; i < 4; i++)
    {
      guint64 z = (seed += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

      z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
      z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
      self->s[i] = z ^ (z >> 31);
    }
}

guint64
rounds_random_next (RoundsRandom *self)
{
  guint64 *s = self->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
double
rounds_random_double (RoundsRandom *self)
{
  return (rounds_random_next (self) >> 11) * (1.0 / 9007199254740992.0);
}

/* Poisson(@mean): by inversion for a small mean, else by Hörmann's (1993) transformed
 * rejection (PTRS), as NumPy does. */
guint
rounds_random_poisson (RoundsRandom *self,
                       double        mean)
{
  if (mean <= 0)
    return 0;
  if (mean < 10)
    {
      double limit = exp (-mean), product = rounds_random_double (self);
      guint k = 0;

      while (product > limit)
        {
          k++;
          product *= rounds_random_double (self);
        }
      return k;
    }
  else
    {
      double slam = sqrt (mean), loglam = log (mean);
      double b = 0.931 + 2.53 * slam;
      double a = -0.059 + 0.02483 * b;
      double invalpha = 1.1239 + 1.1328 / (b - 3.4);
      double vr = 0.9277 - 3.6224 / (b - 2);

      for (;;)
        {
          double u = rounds_random_double (self) - 0.5;
          double v = rounds_random_double (self);
          double us = 0.5 - fabs (u);
          double k = floor ((2 * a / us + b) * u + mean + 0.43);

          if (us >= 0.07 && v <= vr)
            return (guint) k;
          if (k < 0 || (us < 0.013 && v > us))
            continue;
          if (log (v) + log (invalpha) - log (a / (us * us) + b) <=
              -mean + k * loglam - lgamma (k + 1))
            return (guint) k;
        }
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/**
 * rounds_percentile:
 * @values: (array length=n): sorted in place
 * @q: from 0 to 1
 *
 * The @q quantile with linear interpolation between order statistics (type 7 of Hyndman
 * and Fan, R's default). NaN when @n is 0.
 */
double
rounds_percentile (double *values,
                   gsize   n,
                   double  q)
{
  double h;
  gsize lo;

  if (n == 0)
    return NAN;
  qsort (values, n, sizeof (double), compare_doubles);
  h = (n - 1) * q;
  lo = (gsize) floor (h);
  if (lo + 1 >= n)
    return values[n - 1];
  return values[lo] + (h - lo) * (values[lo + 1] - values[lo]);
}
