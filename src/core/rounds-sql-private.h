/* rounds-sql-private.h: reading SQLite result columns by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Rows are read by column name, not position, so a SELECT can change its column list without
 * shifting every reader. The name is what SQLite reports: the alias after AS, or the bare
 * column name ("a.edit_id" is "edit_id"); give expressions an alias. Asking for a column the
 * statement does not have is a programming error. Each call looks the name up among the
 * statement's columns; in a loop over many rows, look the index up once with
 * _rounds_sql_column() and read with sqlite3_column_*(). */

int          _rounds_sql_column  (sqlite3_stmt *stmt,
                                  const char   *name);
gboolean     _rounds_sql_is_null (sqlite3_stmt *stmt,
                                  const char   *name);
const char  *_rounds_sql_text    (sqlite3_stmt *stmt,
                                  const char   *name);
char        *_rounds_sql_dup     (sqlite3_stmt *stmt,
                                  const char   *name);
gint64       _rounds_sql_int64   (sqlite3_stmt *stmt,
                                  const char   *name);
int          _rounds_sql_int     (sqlite3_stmt *stmt,
                                  const char   *name);
double       _rounds_sql_double  (sqlite3_stmt *stmt,
                                  const char   *name);

G_END_DECLS
