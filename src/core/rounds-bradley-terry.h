/* rounds-bradley-terry.h: strengths from paired comparisons, with a scenario bootstrap
 *
 * The Bradley-Terry model: P(i beats j) = 1 / (1 + exp (β_j − β_i)). A comparison is a pair
 * of models, the outcome for the first (1 a win, 0.5 a tie, 0 a loss, or anything between for
 * a graded preference) and a weight; each belongs to a cluster (a scenario: every judgement
 * of one item). The fit maximises
 *
 *   Σ w · (y · log σ(β_i − β_j) + (1 − y) · log σ(β_j − β_i))  −  ridge / 2 · Σ β_k²
 *
 * by Newton's method. With a ridge > 0 the maximum always exists and is centred (Σ β = 0):
 * a model that wins every comparison gets a large but finite strength, where the pull of
 * the ridge balances its wins. With a ridge of 0 it is the plain maximum-likelihood
 * estimate, centred at mean 0, which exists only when every model has won and lost against
 * the rest (Ford, 1957: the graph "i has beaten j" is strongly connected); otherwise the
 * fit fails. ROUNDS_BRADLEY_TERRY_RIDGE (0.01) is the default: next to the hundreds of
 * comparisons of a real round it moves no strength visibly.
 *
 * Ratings are shown on an Elo-like scale: 1000 + 400 · log10 (odds) = 1000 + 400 β / ln 10,
 * so 400 points are 10:1 odds of winning.
 *
 * The bootstrap resamples clusters (Poisson bootstrap: every cluster gets a Poisson(1)
 * weight each round) and refits from the point estimate; intervals are the percentiles of
 * the refitted strengths. Clusters are aggregated once into (pair, wins, comparisons) lists
 * and clusters with equal lists are pooled (a pool of m clusters draws one Poisson(m)
 * count), so a round costs the distinct clusters, not the comparisons. A round whose
 * resample has no finite MLE (ridge 0) is refitted with ROUNDS_BRADLEY_TERRY_RIDGE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROUNDS_BRADLEY_TERRY_RIDGE 0.01

typedef struct _RoundsBradleyTerry RoundsBradleyTerry;

RoundsBradleyTerry *rounds_bradley_terry_new        (guint                n_models);
void                rounds_bradley_terry_free       (RoundsBradleyTerry  *self);
guint               rounds_bradley_terry_get_n_models (RoundsBradleyTerry *self);
void                rounds_bradley_terry_add        (RoundsBradleyTerry  *self,
                                                     guint64              cluster,
                                                     guint                i,
                                                     guint                j,
                                                     double               outcome,
                                                     double               weight);
gboolean            rounds_bradley_terry_fit        (RoundsBradleyTerry  *self,
                                                     double               ridge,
                                                     double              *strengths,
                                                     GError             **error);
gboolean            rounds_bradley_terry_bootstrap  (RoundsBradleyTerry  *self,
                                                     double               ridge,
                                                     const double        *strengths,
                                                     guint                rounds,
                                                     guint64              seed,
                                                     double               confidence,
                                                     double              *lower,
                                                     double              *upper,
                                                     GError             **error);
double              rounds_bradley_terry_rating     (double               strength);

/* A small deterministic generator (xoshiro256**, seeded through splitmix64) and a Poisson
 * sampler, shared by the other bootstraps of the insights. */
typedef struct
{
  guint64 s[4];
} RoundsRandom;

void                rounds_random_init              (RoundsRandom        *self,
                                                     guint64              seed);
guint64             rounds_random_next              (RoundsRandom        *self);
double              rounds_random_double            (RoundsRandom        *self);
guint               rounds_random_poisson           (RoundsRandom        *self,
                                                     double               mean);

double              rounds_percentile               (double              *values,
                                                     gsize                n,
                                                     double               q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsBradleyTerry, rounds_bradley_terry_free)

G_END_DECLS
