/* rounds-count.c: counts as a person reads them, grouped as the locale groups digits
 *
 * Every count a person reads, in the app and in rounds-cli's human output, goes through
 * rounds_format_count(), so that "20,000" (en_US), "20 000" (fr_FR) or "20000" (C) is the
 * same on every page. Machine output (JSON, CSV, exports) never does: it keeps plain digits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rounds-count.h"

/**
 * rounds_format_count:
 * @n: a count
 *
 * Returns: (transfer full): @n with the digit grouping of LC_NUMERIC, for a plural message
 *   chosen with @n itself (g_dngettext (…, "%s item", "%s items", n))
 */
char *
rounds_format_count (guint64 n)
{
  /* POSIX's ' flag groups by the locale's thousands separator, and not at all in C. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}
