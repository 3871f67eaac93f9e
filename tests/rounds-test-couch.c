/* rounds-test-couch.c: the test curation store (pouchdb-server or CouchDB) for the tests
 *
 * build-aux/test starts one pouchdb-server and exports ROUNDS_TEST_COUCH_URL
 * (http://admin:secret@127.0.0.1:PORT). Without it a test starts its own through
 * tests/pouchdb/serve, if `npm ci` has been run there; otherwise it fails, saying so: a
 * test that cannot reach its server proves nothing and must not pass by skipping.
 *
 * Under the "couchdb" test setup (`meson test --setup couchdb`, which sets
 * ROUNDS_TEST_ENGINE=couchdb) the same tests run against the server that
 * ROUNDS_TEST_COUCHDB_URL names, a real Apache CouchDB 3 with its administrator in the URL;
 * build-aux/test starts one with ../shared/couchdb/start when that exists.
 *
 * Every test makes databases of its own with unique names, so tests run in parallel
 * against one server. The users are shared: each always has the same roles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rounds-couch-setup.h"
#include "rounds-test-couch.h"
#include "rounds-test-util.h"

static char *server_admin_url;      /* http://admin:secret@127.0.0.1:PORT/ */
static char *server_root;           /* http://127.0.0.1:PORT/ */
static char *admin_user;
static char *admin_password;
static gboolean server_is_couchdb;

static const struct { const char *name; const char *roles[3]; } users[] = {
  { TEST_ANNOTATOR,   { "annotator", NULL } },
  { TEST_ANNOTATOR_2, { "annotator", NULL } },
  { TEST_REVIEWER,    { "reviewer", "annotator", NULL } },
  { TEST_CURATOR,     { "curator", "annotator", NULL } },
  { TEST_OUTSIDER,    { NULL } },
};

/* Starts tests/pouchdb/serve and reads the URL it prints. */
static char *
start_server (void)
{
  const char *source_dir = g_getenv ("ROUNDS_SOURCE_DIR");
  g_autofree char *modules = NULL;

  if (source_dir == NULL)
    g_error ("ROUNDS_SOURCE_DIR is not set: run the tests with “meson test”");
  modules = g_build_filename (source_dir, "tests", "pouchdb", "node_modules",
                              "pouchdb-server", NULL);
  if (!g_file_test (modules, G_FILE_TEST_IS_DIR))
    g_error ("No curation store for this test: ROUNDS_TEST_COUCH_URL is not set and "
             "pouchdb-server is not "
             "installed. Run build-aux/test, or “npm ci” in tests/pouchdb so "
             "the tests can start it.");
  return rounds_test_start_server ("pouchdb");
}

static void
ensure_user (RoundsCouch *server,
             const char  *name,
             const char  * const *roles)
{
  g_autofree char *doc_id = g_strconcat ("org.couchdb.user:", name, NULL);
  g_autofree char *password = rounds_test_couch_password (name);

  /* Tests in other processes may make the same user at the same moment. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) existing = rounds_couch_get_doc (server, doc_id, NULL, &error);
      g_autoptr(JsonObject) doc = json_object_new ();
      JsonArray *array = json_array_new ();
      g_autofree char *rev = NULL;

      if (existing == NULL)
        g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND);
      else
        {
          JsonArray *had = json_object_get_array_member (existing, "roles");
          gboolean same = json_array_get_length (had) == g_strv_length ((GStrv) roles);

          for (guint i = 0; same && roles[i]; i++)
            same = g_strcmp0 (json_array_get_string_element (had, i), roles[i]) == 0;
          if (same)
            {
              json_array_unref (array);
              return;
            }
          json_object_set_string_member (doc, "_rev",
                                         json_object_get_string_member (existing, "_rev"));
        }
      g_clear_error (&error);

      for (guint i = 0; roles[i]; i++)
        json_array_add_string_element (array, roles[i]);
      json_object_set_string_member (doc, "name", name);
      json_object_set_string_member (doc, "password", password);
      json_object_set_string_member (doc, "type", "user");
      json_object_set_array_member (doc, "roles", array);
      if ((rev = rounds_couch_put_doc (server, doc_id, doc, NULL, &error)))
        return;
      g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_CONFLICT);
    }
  g_error ("Cannot make the test user %s", name);
}

static void
init_server (void)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsCouch) users_db = NULL;
  g_autofree char *url = NULL;
  g_autofree char *users_url = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  const char *from_env = g_getenv ("ROUNDS_TEST_COUCH_URL");

  if (g_strcmp0 (g_getenv ("ROUNDS_TEST_ENGINE"), "couchdb") == 0)
    {
      from_env = g_getenv ("ROUNDS_TEST_COUCHDB_URL");
      if (from_env == NULL || *from_env == '\0')
        g_error ("The couchdb test setup needs a CouchDB: set ROUNDS_TEST_COUCHDB_URL to "
                 "http://admin:PASSWORD@127.0.0.1:PORT (build-aux/test starts one with "
                 "../shared/couchdb/start)");
    }
  url = from_env != NULL && *from_env != '\0' ? g_strdup (from_env) : start_server ();
  g_strstrip (url);
  if (!(uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, &error)))
    g_error ("ROUNDS_TEST_COUCH_URL is not a URL: %s", error->message);
  if (g_uri_get_user (uri) == NULL || g_uri_get_password (uri) == NULL)
    g_error ("ROUNDS_TEST_COUCH_URL must name the administrator: "
             "http://admin:secret@127.0.0.1:PORT");

  admin_user = g_strdup (g_uri_get_user (uri));
  admin_password = g_strdup (g_uri_get_password (uri));
  server_root = g_strdup_printf ("%s://%s:%d/", g_uri_get_scheme (uri), g_uri_get_host (uri),
                                 g_uri_get_port (uri));
  server_admin_url = g_strdup_printf ("%s://%s:%s@%s:%d/", g_uri_get_scheme (uri), admin_user,
                                      admin_password,
                                      g_uri_get_host (uri), g_uri_get_port (uri));

  users_url = g_strconcat (server_admin_url, "_users", NULL);
  if (!(users_db = rounds_couch_new (users_url, &error)))
    g_error ("%s", error->message);
  /* CouchDB says {"couchdb": "Welcome"}, pouchdb-server {"express-pouchdb": "Welcome!"}. */
  if (!(welcome = rounds_couch_get_server_info (users_db, NULL, &error)))
    g_error ("No curation store at %s: %s", server_root, error->message);
  server_is_couchdb = json_object_has_member (welcome, "couchdb");
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    ensure_user (users_db, users[i].name, users[i].roles);
}

static void
ensure_server (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      init_server ();
      g_once_init_leave (&done, 1);
    }
}

/* The server root with the administrator's credentials in it. */
const char *
rounds_test_couch_server (void)
{
  ensure_server ();
  return server_admin_url;
}

/* The server root without credentials. */
const char *
rounds_test_couch_server_root (void)
{
  ensure_server ();
  return server_root;
}

char *
rounds_test_couch_password (const char *user)
{
  return g_strconcat (user, "-pw", NULL);
}

/* Whether the server is Apache CouchDB, which enforces what pouchdb-server does not:
 * `_security`, validate_doc_update for every user, the account lockout. */
gboolean
rounds_test_couch_is_couchdb (void)
{
  ensure_server ();
  return server_is_couchdb;
}

/**
 * rounds_test_couch_new_user:
 * @roles: (nullable): its roles, %NULL-terminated
 *
 * A user of its own for a test that gives wrong passwords: CouchDB locks an account out
 * after a few failed logins, which must not lock the shared users out of other tests.
 *
 * Returns: the user's name; the password is rounds_test_couch_password()'s
 */
char *
rounds_test_couch_new_user (const char         *prefix,
                            const char * const *roles)
{
  static const char * const none[] = { NULL };
  g_autofree char *users_url = NULL;
  g_autoptr(RoundsCouch) users_db = NULL;
  g_autoptr(GError) error = NULL;
  char *name;

  ensure_server ();
  name = g_strdup_printf ("%s-%d-%08x", prefix, (int) getpid (), g_random_int ());
  users_url = g_strconcat (server_admin_url, "_users", NULL);
  users_db = rounds_couch_new (users_url, &error);
  g_assert_no_error (error);
  ensure_user (users_db, name, roles ? roles : none);
  return name;
}

/**
 * rounds_test_couch_new_db:
 * @set_up: also set it up as `rounds-cli store init` does
 *
 * Returns: the URL of a new, empty database, without credentials
 */
char *
rounds_test_couch_new_db (const char *prefix,
                          gboolean    set_up)
{
  static guint counter;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autoptr(RoundsCouch) couch = NULL;
  g_autoptr(GError) error = NULL;

  ensure_server ();
  name = g_strdup_printf ("rounds-%s-%d-%u-%08x", prefix, (int) getpid (),
                          g_atomic_int_add (&counter, 1),
                          g_random_int ());
  url = g_strconcat (server_root, name, NULL);
  couch = rounds_test_couch_admin (url);
  if (set_up)
    {
      g_autoptr(GPtrArray) changes = NULL;

      rounds_couch_setup_apply (couch, &changes, NULL, &error);
      g_assert_no_error (error);
    }
  else
    {
      rounds_couch_create_db (couch, NULL, &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&url);
}

void
rounds_test_couch_drop_db (const char *db_url)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(JsonNode) answer = NULL;

  answer = rounds_couch_request (couch, "DELETE", "", NULL, NULL, NULL, NULL);
}

/* A client of @db_url as the server's administrator. */
RoundsCouch *
rounds_test_couch_admin (const char *db_url)
{
  g_autoptr(GError) error = NULL;
  RoundsCouch *couch;

  ensure_server ();
  couch = rounds_couch_new (db_url, &error);
  g_assert_no_error (error);
  rounds_couch_set_credentials (couch, admin_user, admin_password);
  return couch;
}

/* A client of @db_url as one of the test users. */
RoundsCouch *
rounds_test_couch_as (const char *db_url,
                      const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = rounds_test_couch_password (user);
  RoundsCouch *couch;

  ensure_server ();
  couch = rounds_couch_new (db_url, &error);
  g_assert_no_error (error);
  rounds_couch_set_credentials (couch, user, password);
  return couch;
}

/* How many documents whose id starts with @prefix the database holds (every revision's
 * document counted once: CouchDB keeps one document per id). */
guint
rounds_test_couch_count_docs (const char *db_url,
                              const char *prefix)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *rows;
  guint n = 0;

  answer = rounds_couch_request (couch, "GET", "_all_docs", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (json_node_get_object (answer), "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (rows, i),
                                                      "id");

      if (g_str_has_prefix (id, prefix))
        n++;
    }
  return n;
}

/* A document, read as the administrator; NULL when there is none. */
JsonObject *
rounds_test_couch_get (const char *db_url,
                       const char *doc_id)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(GError) error = NULL;
  JsonObject *doc = rounds_couch_get_doc (couch, doc_id, NULL, &error);

  if (doc == NULL)
    g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND);
  return doc;
}

/* Writes a document as the administrator would with plain HTTP, as another tool does. */
void
rounds_test_couch_put (const char *db_url,
                       const char *json)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_no_error (error);
  answer = rounds_couch_request (couch, "POST", "", node, NULL, NULL, &error);
  g_assert_no_error (error);
}
