/* bench-agreement.c: ordinal alpha over a million judgements, timed
 *
 * 250 000 items × 5 annotators on the 5-point preference scale, each judgement missing
 * one time in five, until exactly 1 000 000 values are in. Each annotator sees the item's
 * "true" preference and is off by a point now and then, so alpha is well inside (0, 1).
 * Run with `meson test --benchmark agreement`; pass a number to change the count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>

#include "rounds-agreement.h"

int
main (int   argc,
      char *argv[])
{
  guint n_values = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20111);
  g_autoptr(RoundsReliability) data = rounds_reliability_new ();
  g_autoptr(GError) error = NULL;
  RoundsAlphaResult result;
  gint64 start, added, computed;
  guint n = 0;

  start = g_get_monotonic_time ();
  for (gint64 item = 1; n < n_values; item++)
    {
      int truth = g_rand_int_range (rand, -2, 3);

      for (gint64 annotator = 0; annotator < 5 && n < n_values; annotator++)
        {
          int value;

          if (g_rand_int_range (rand, 0, 5) == 0)
            continue;
          value = truth;
          if (g_rand_int_range (rand, 0, 4) == 0)
            value = CLAMP (truth + (g_rand_boolean (rand) ? 1 : -1), -2, 2);
          rounds_reliability_add (data, item, annotator, value);
          n++;
        }
    }
  added = g_get_monotonic_time ();

  if (!rounds_alpha_compute (data, ROUNDS_METRIC_ORDINAL, &result, &error))
    {
      g_printerr ("bench-agreement: %s\n", error->message);
      return 1;
    }
  computed = g_get_monotonic_time ();

  g_print ("alpha over %u values: %.1f ms\n", rounds_reliability_get_n_values (data),
           (computed - added) / 1000.0);
  g_print ("adding them: %.1f ms; alpha = %.4f over %u units, %u pairable values, %u coders\n",
           (added - start) / 1000.0, result.alpha, result.n_units, result.n_values,
           result.n_coders);

  if (result.status != ROUNDS_ALPHA_OK || !(result.alpha > 0 && result.alpha < 1))
    {
      g_printerr ("bench-agreement: alpha %g is not what the data should give\n", result.alpha);
      return 1;
    }
  return 0;
}
