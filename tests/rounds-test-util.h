/* rounds-test-util.h: what every core test needs: a fresh database in a temporary folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-store.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *path;
  RoundsStore *store;
} RoundsTestStore;

void         rounds_test_store_set_up    (RoundsTestStore *fixture,
                                          gconstpointer    data);
void         rounds_test_store_tear_down (RoundsTestStore *fixture,
                                          gconstpointer    data);
RoundsStore *rounds_test_store_open_new  (RoundsTestStore *fixture,
                                          const char      *name);
void         rounds_test_store_import    (RoundsStore     *store,
                                          const char      *path);
void         rounds_test_remove_tree     (const char      *path);
char        *rounds_test_read_file       (const char      *path);

G_END_DECLS
