/* rounds-count.h: counts as a person reads them, grouped as the locale groups digits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rounds_format_count   (guint64     n);
char *rounds_format_counted (guint64     n,
                             const char *singular,
                             const char *plural);

G_END_DECLS
