/* rounds-count.c: counts as a person reads them, grouped as the locale groups digits
 *
 * Every count a person reads, in the app and in rounds-cli's human output, goes through
 * rounds_format_count(), so that "20,000" (en_US), "20 000" (fr_FR) or "20000" (C) is the
 * same on every page. Machine output (JSON, CSV, exports) never does: it keeps plain digits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

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

/**
 * rounds_format_counted:
 * @n: a count
 * @singular: "%s judgement", with %s where the count goes
 * @plural: "%s judgements"
 *
 * The plural form of the translation that @n takes, with @n as rounds_format_count() writes
 * it. xgettext knows the two strings by the keyword rounds_format_counted:2,3 (po/meson.build).
 *
 * Returns: (transfer full): "1 judgement", "20,000 judgements", "3 条评判"
 */
char *
rounds_format_counted (guint64     n,
                       const char *singular,
                       const char *plural)
{
  g_autofree char *count = rounds_format_count (n);

  /* The formats are the caller's literals, checked by msgfmt --check-format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, singular, plural, n), count);
#pragma GCC diagnostic pop
}
