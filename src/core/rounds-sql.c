/* rounds-sql.c: reading SQLite result columns by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sql"

#include "config.h"

#include <string.h>

#include "rounds-sql-private.h"

int
_rounds_sql_column (sqlite3_stmt *stmt,
                    const char   *name)
{
  int n = sqlite3_column_count (stmt);

  for (int i = 0; i < n; i++)
    {
      const char *column = sqlite3_column_name (stmt, i);

      if (column != NULL && strcmp (column, name) == 0)
        return i;
    }
  g_error ("No column “%s” in “%s”", name, sqlite3_sql (stmt));
}

gboolean
_rounds_sql_is_null (sqlite3_stmt *stmt,
                     const char   *name)
{
  return sqlite3_column_type (stmt, _rounds_sql_column (stmt, name)) == SQLITE_NULL;
}

const char *
_rounds_sql_text (sqlite3_stmt *stmt,
                  const char   *name)
{
  return (const char *) sqlite3_column_text (stmt, _rounds_sql_column (stmt, name));
}

char *
_rounds_sql_dup (sqlite3_stmt *stmt,
                 const char   *name)
{
  return g_strdup (_rounds_sql_text (stmt, name));
}

gint64
_rounds_sql_int64 (sqlite3_stmt *stmt,
                   const char   *name)
{
  return sqlite3_column_int64 (stmt, _rounds_sql_column (stmt, name));
}

int
_rounds_sql_int (sqlite3_stmt *stmt,
                 const char   *name)
{
  return sqlite3_column_int (stmt, _rounds_sql_column (stmt, name));
}

double
_rounds_sql_double (sqlite3_stmt *stmt,
                    const char   *name)
{
  return sqlite3_column_double (stmt, _rounds_sql_column (stmt, name));
}
