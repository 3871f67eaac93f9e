/* rounds-bench-util.h: what the benchmarks with a database of their own share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        rounds_bench_build_db        (const char    *path,
                                          const char    *sql,
                                          const char    *profile);
int         rounds_bench_compare_doubles (gconstpointer  a,
                                          gconstpointer  b);
const char *rounds_bench_verdict         (gboolean       met);

G_END_DECLS
