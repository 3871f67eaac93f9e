/* rounds-test-couch.h: the test curation store (pouchdb-server or CouchDB) for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-couch.h"

G_BEGIN_DECLS

/* The users every test may rely on: their password is the name followed by "-pw". */
#define TEST_ANNOTATOR      "dr-lin"
#define TEST_ANNOTATOR_2    "dr-osei"
#define TEST_REVIEWER       "rev-kim"
#define TEST_CURATOR        "cur-ada"
#define TEST_OUTSIDER       "no-role"

const char  *rounds_test_couch_server      (void);
const char  *rounds_test_couch_server_root (void);
char        *rounds_test_couch_new_db      (const char   *prefix,
                                            gboolean      set_up);
void         rounds_test_couch_drop_db     (const char   *db_url);
RoundsCouch *rounds_test_couch_admin       (const char   *db_url);
RoundsCouch *rounds_test_couch_as          (const char   *db_url,
                                            const char   *user);
char        *rounds_test_couch_password    (const char   *user);
gboolean     rounds_test_couch_is_couchdb  (void);
char        *rounds_test_couch_new_user    (const char   *prefix,
                                            const char * const *roles);
guint        rounds_test_couch_count_docs  (const char   *db_url,
                                            const char   *prefix);
JsonObject  *rounds_test_couch_get         (const char   *db_url,
                                            const char   *doc_id);
void         rounds_test_couch_put         (const char   *db_url,
                                            const char   *json);

G_END_DECLS
