/* rounds-bench-util.c: what the benchmarks with a database of their own share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rounds-bench-util.h"
#include "rounds-store-private.h"

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQLite: %s", message);
}

/* Builds the database at @path with @sql (under another name, renamed when done, so that an
 * interrupted build is not kept), analysed, with @profile (a local profile @sql made) as the
 * current one. */
void
rounds_bench_build_db (const char *path,
                       const char *sql,
                       const char *profile)
{
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsStore) store = NULL;
  sqlite3 *db;
  gint64 start = g_get_monotonic_time ();

  g_unlink (partial);
  if (!(store = rounds_store_open (partial, &error)))
    g_error ("%s", error->message);
  db = _rounds_store_get_db (store);
  exec_sql (db, "PRAGMA synchronous = OFF");
  exec_sql (db, sql);
  exec_sql (db, "PRAGMA synchronous = FULL; ANALYZE");
  if (!rounds_store_set_current_profile (store, profile, &error))
    g_error ("%s", error->message);
  g_clear_object (&store);
  if (g_rename (partial, path) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
  g_print ("database: built %s in %.0f s\n", path, (g_get_monotonic_time () - start) / 1e6);
}

int
rounds_bench_compare_doubles (gconstpointer a,
                              gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

const char *
rounds_bench_verdict (gboolean met)
{
  return met ? "met" : "MISSED";
}
