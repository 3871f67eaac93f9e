/* rounds-test-util.h: what every core test needs: a fresh database in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/* The fixture of a test that works on one database: use it as the fixture type of
 * g_test_add () with rounds_test_store_set_up () (the database opened) or
 * rounds_test_store_set_up_unopened () (only @dir and @path), and always
 * rounds_test_store_tear_down (), which removes the folder with all in it. */
typedef struct
{
  char        *dir;
  char        *path;
  RoundsStore *store;
} RoundsTestStore;

void         rounds_test_store_set_up          (RoundsTestStore *fixture,
                                                gconstpointer    data);
void         rounds_test_store_set_up_unopened (RoundsTestStore *fixture,
                                                gconstpointer    data);
void         rounds_test_store_tear_down       (RoundsTestStore *fixture,
                                                gconstpointer    data);
RoundsStore *rounds_test_store_open_new        (RoundsTestStore *fixture,
                                                const char      *name);

/* Adds the test @path, which runs @func on a RoundsTestStore set up by
 * rounds_test_store_set_up () (or, with _unopened, rounds_test_store_set_up_unopened ()),
 * @data passed on, and torn down by rounds_test_store_tear_down (). */
typedef void (*RoundsTestStoreFunc) (RoundsTestStore *fixture,
                                     gconstpointer    data);

void         rounds_test_store_add             (const char          *path,
                                                gconstpointer        data,
                                                RoundsTestStoreFunc  func);
void         rounds_test_store_add_unopened    (const char          *path,
                                                gconstpointer        data,
                                                RoundsTestStoreFunc  func);

/* Imports a file, or @text written to @name in @dir, failing the test on any error. */
void         rounds_test_store_import          (RoundsStore     *store,
                                                const char      *path);
void         rounds_test_store_import_demo     (RoundsStore     *store);
/* @text written to @name in @dir, imported as an update (rounds_importer_set_update ()) when
 * @update; rounds_test_store_import_text () never updates. */
void         rounds_test_store_import_update   (RoundsStore     *store,
                                                const char      *dir,
                                                const char      *name,
                                                const char      *text,
                                                gboolean         update);
#define rounds_test_store_import_text(store, dir, name, text) \
  rounds_test_store_import_update (store, dir, name, text, FALSE)
void         rounds_test_store_add_profile     (RoundsStore     *store,
                                                const char      *user_name,
                                                const char      *display_name,
                                                RoundsRoles      roles);
/* A profile added and made the current one, as after signing in. */
void         rounds_test_store_sign_in         (RoundsStore     *store,
                                                const char      *user_name,
                                                const char      *display_name,
                                                RoundsRoles      roles);
/* The item of @dataset whose key is made from @key_format, which must be there. */
RoundsItem  *rounds_test_store_find_item       (RoundsStore     *store,
                                                const char      *dataset,
                                                const char      *key_format,
                                                ...) G_GNUC_PRINTF (3, 4);
/* rounds_store_count_items () of @dataset, which must not fail. */
guint        rounds_test_store_count_items     (RoundsStore     *store,
                                                RoundsDataset   *dataset);
/* A submitted judgement of an item with two responses, saved as @user_name's. */
void         rounds_test_store_judge           (RoundsStore     *store,
                                                const char      *dataset,
                                                const char      *key,
                                                const char      *user_name,
                                                int              preference);

/* The first column of the first row of @sql, which must have one; NULL for SQL NULL. The
 * text queries bind @param, unless NULL, to ?1. */
gint64       rounds_test_query_int             (RoundsStore     *store,
                                                const char      *sql);
char        *rounds_test_query_text            (RoundsStore     *store,
                                                const char      *sql,
                                                const char      *param);
void         rounds_test_exec                  (RoundsStore     *store,
                                                const char      *sql);
gint64       rounds_test_db_query_int          (sqlite3         *db,
                                                const char      *sql);
gint64       rounds_test_db_path_query_int     (const char      *path,
                                                const char      *sql);
char        *rounds_test_db_query_text         (sqlite3         *db,
                                                const char      *sql,
                                                const char      *param);

/* Every table of the database at @path, schema and rows, as text: two dumps are equal when
 * nothing was written in between. */
char        *rounds_test_db_dump               (const char      *path);

/* A new temporary folder named after the test program, for a fixture to remove with
 * rounds_test_remove_tree () in its tear-down. */
char        *rounds_test_make_dir              (void);
void         rounds_test_remove_tree           (const char      *path);
char        *rounds_test_read_file             (const char      *path);
char        *rounds_test_write_file            (const char      *dir,
                                                const char      *name,
                                                const char      *contents);
guint        rounds_test_count_files           (const char      *dir);

/* Starts the test server tests/@name/serve (node), which stops when the test program exits,
 * and returns the first line it prints, its URL. Any failure ends the test program. */
char        *rounds_test_start_server          (const char      *name);

G_END_DECLS
