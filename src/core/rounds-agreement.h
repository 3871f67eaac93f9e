/* rounds-agreement.h: agreement between raters: Krippendorff's alpha and Cohen's weighted kappa
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RoundsMetric:
 * @ROUNDS_METRIC_NOMINAL: values are unordered categories
 * @ROUNDS_METRIC_ORDINAL: values are ordered; distances are the ranks of the values in the
 *   pooled pairable values (Krippendorff's ordinal metric, from the coincidence marginals)
 * @ROUNDS_METRIC_INTERVAL: squared differences of the values
 * @ROUNDS_METRIC_RATIO: squared differences relative to the sum, for values from 0 up
 *
 * The difference functions of Krippendorff (2011), "Computing Krippendorff's
 * Alpha-Reliability", section E.
 */
typedef enum
{
  ROUNDS_METRIC_NOMINAL,
  ROUNDS_METRIC_ORDINAL,
  ROUNDS_METRIC_INTERVAL,
  ROUNDS_METRIC_RATIO,
} RoundsMetric;

/**
 * RoundsAlphaStatus:
 * @ROUNDS_ALPHA_OK: alpha is a number
 * @ROUNDS_ALPHA_NO_PAIRABLE_VALUES: no unit has values from two coders, so there is nothing
 *   to compare (one coder, or every unit coded once)
 * @ROUNDS_ALPHA_NO_VARIATION: every pairable value is the same, so the expected
 *   disagreement D_e is 0 and alpha = 1 - 0/0 is undefined. The coders agree perfectly,
 *   but data without variation say nothing about whether they could tell values apart;
 *   show "all agree" rather than a number
 *
 * Why alpha is or is not defined. When it is not, the result's alpha is NaN.
 */
typedef enum
{
  ROUNDS_ALPHA_OK,
  ROUNDS_ALPHA_NO_PAIRABLE_VALUES,
  ROUNDS_ALPHA_NO_VARIATION,
} RoundsAlphaStatus;

/**
 * RoundsAlphaResult:
 * @status: whether @alpha is defined
 * @alpha: 1 - D_o / D_e, or NaN
 * @observed: D_o, the observed disagreement
 * @expected: D_e, the disagreement expected by chance
 * @n_units: units with at least two values, the only ones that count
 * @n_values: pairable values (n.. in the paper): the values in those units
 * @n_coders: coders with at least one pairable value
 * @n_categories: distinct pairable values
 */
typedef struct
{
  RoundsAlphaStatus status;
  double            alpha;
  double            observed;
  double            expected;
  guint             n_units;
  guint             n_values;
  guint             n_coders;
  guint             n_categories;
} RoundsAlphaResult;

typedef struct _RoundsReliability RoundsReliability;

RoundsReliability *rounds_reliability_new              (void);
void               rounds_reliability_free             (RoundsReliability        *self);
void               rounds_reliability_clear            (RoundsReliability        *self);
void               rounds_reliability_add              (RoundsReliability        *self,
                                                        gint64                    unit,
                                                        gint64                    coder,
                                                        double                    value);
guint              rounds_reliability_get_n_values     (RoundsReliability        *self);
double            *rounds_reliability_get_coincidences (RoundsReliability        *self,
                                                        double                  **categories,
                                                        guint                    *n_categories,
                                                        GError                  **error);

gboolean           rounds_alpha_compute                (RoundsReliability        *data,
                                                        RoundsMetric              metric,
                                                        RoundsAlphaResult        *result,
                                                        GError                  **error);

const char        *rounds_metric_to_string             (RoundsMetric              metric);

/**
 * RoundsKappaWeights:
 * @ROUNDS_KAPPA_UNWEIGHTED: Cohen's kappa: every disagreement counts the same
 * @ROUNDS_KAPPA_LINEAR: disagreement weighted by |a - b|
 * @ROUNDS_KAPPA_QUADRATIC: disagreement weighted by (a - b)²
 */
typedef enum
{
  ROUNDS_KAPPA_UNWEIGHTED,
  ROUNDS_KAPPA_LINEAR,
  ROUNDS_KAPPA_QUADRATIC,
} RoundsKappaWeights;

double             rounds_kappa_compute                (const double             *rater_a,
                                                        const double             *rater_b,
                                                        gsize                     n,
                                                        RoundsKappaWeights        weights,
                                                        gsize                    *n_pairs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsReliability, rounds_reliability_free)

G_END_DECLS
