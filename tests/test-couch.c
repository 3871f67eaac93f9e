/* test-couch.c: the CouchDB client against a real pouchdb-server, and through a proxy
 * that breaks requests on purpose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "rounds-couch-setup.h"
#include "rounds-couch.h"
#include "rounds-test-couch.h"
#include "rounds-test-proxy.h"

/* URLs ---------------------------------------------------------------------------------- */

static void
test_url_parts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsCouch) couch =
    rounds_couch_new ("https://dr-lin:s%40cret@couch.example.org:6984/prefix/ethics-study/",
                      &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rounds_couch_get_url (couch), ==,
                   "https://couch.example.org:6984/prefix/ethics-study");
  g_assert_cmpstr (rounds_couch_get_server_url (couch), ==,
                   "https://couch.example.org:6984/prefix/");
  g_assert_cmpstr (rounds_couch_get_db_name (couch), ==, "ethics-study");
  g_assert_cmpstr (rounds_couch_get_user (couch), ==, "dr-lin");
}

static void
test_url_invalid (void)
{
  static const char * const urls[] = {
    "ftp://couch.example.org/ethics",
    "https://couch.example.org/",
    "https://couch.example.org",
    "https://couch.example.org/Ethics",
    "https://couch.example.org/1ethics",
    "not a url at all",
    "https://user:hunter2@/ethics",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RoundsCouch) couch = rounds_couch_new (urls[i], &error);

      g_test_message ("%s", urls[i]);
      g_assert_null (couch);
      g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INVALID_URL);
      /* A password that came in the URL is never repeated. */
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
test_escape_doc_id (void)
{
  static const struct { const char *id; const char *escaped; } cases[] = {
    { "judgement:dr-lin:ethics:c%3A2:e1", "judgement%3Adr-lin%3Aethics%3Ac%253A2%3Ae1" },
    { "_local/rounds-1 2", "_local/rounds-1%202" },
    { "_design/rounds", "_design/rounds" },
    { "item:ethics:咨询", "item%3Aethics%3A%E5%92%A8%E8%AF%A2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = rounds_couch_escape_doc_id (cases[i].id);

      g_assert_cmpstr (escaped, ==, cases[i].escaped);
    }
}

/* The server ------------------------------------------------------------------------- */

typedef struct
{
  char *db_url;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->db_url = rounds_test_couch_new_db ("couch", TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_couch_drop_db (fixture->db_url);
  g_free (fixture->db_url);
}

static void
test_server_info (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = rounds_couch_get_server_info (couch, NULL, &error);
  g_autoptr(JsonObject) db = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (json_object_get_string_member_with_default (info, "uuid", NULL));
  db = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (db, "db_name"), ==,
                   rounds_couch_get_db_name (couch));
}

/* Many requests, one connection: libcurl keeps it open between them. */
static void
test_connection_reuse (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_ANNOTATOR);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, NULL, &error);

      g_assert_no_error (error);
    }
  g_assert_cmpuint (rounds_couch_get_n_connections (couch), ==, 1);
}

static const char * const annotator_roles[] = { "annotator", NULL };

/* The password goes once, to POST /_session; the cookie does the rest. */
static void
test_session (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsCouch) couch = rounds_couch_new (url, NULL);
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);

  rounds_couch_set_credentials (couch, TEST_ANNOTATOR, password);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, NULL, &error);

      g_assert_no_error (error);
    }
  g_assert_cmpuint (rounds_test_proxy_count (proxy, "POST /_session "), ==, 1);
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 1);
  g_assert_cmpuint (rounds_couch_get_n_logins (couch), ==, 1);
}

/* An expired session is opened again, once, and the request sent again; a 401 right after a
 * new session is no permission, not a reason to sign in a third time. */
static void
test_session_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (url, TEST_ANNOTATOR);
  const char *db = rounds_couch_get_db_name (couch);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, NULL, &error);

  g_assert_no_error (error);
  g_clear_pointer (&info, json_object_unref);
  rounds_test_proxy_add_fault (proxy, db, ROUNDS_TEST_FAULT_STATUS_401);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_clear_pointer (&info, json_object_unref);
  g_assert_cmpuint (rounds_couch_get_n_logins (couch), ==, 2);
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 2);

  rounds_test_proxy_add_fault (proxy, db, ROUNDS_TEST_FAULT_STATUS_401);
  rounds_test_proxy_add_fault (proxy, db, ROUNDS_TEST_FAULT_STATUS_401);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN);
  g_assert_cmpuint (rounds_couch_get_n_logins (couch), ==, 3);
  g_assert_cmpuint (rounds_test_proxy_count_faults (proxy), ==, 0);
}

/* A wrong password is sent once: the client does not send it again, however often it is
 * asked, until it is given credentials anew. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *user = rounds_test_couch_new_user ("wrong-pw", annotator_roles);
  g_autofree char *password = rounds_test_couch_password (user);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsCouch) couch = rounds_couch_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  rounds_couch_set_credentials (couch, user, "not-the-password");
  for (guint i = 0; i < 3; i++)
    {
      g_clear_error (&error);
      info = rounds_couch_get_db_info (couch, NULL, &error);
      g_assert_null (info);
      g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED);
      g_assert_nonnull (strstr (error->message, "Wrong user name or password"));
      g_assert_nonnull (strstr (error->message, user));
      g_assert_null (strstr (error->message, "not-the-password"));
    }
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 1);
  g_assert_cmpuint (rounds_couch_get_n_logins (couch), ==, 1);

  rounds_couch_set_credentials (couch, user, password);
  g_clear_error (&error);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, 2);
}

/* CouchDB locks an account out after repeated wrong passwords; Rounds says so, in the
 * server's words, and not as a wrong password or a missing permission. */
static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autoptr(RoundsCouch) couch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;
  guint attempts = 0;

  if (!rounds_test_couch_is_couchdb ())
    {
      g_test_skip ("pouchdb-server locks no account out");
      return;
    }
  user = rounds_test_couch_new_user ("locked", annotator_roles);
  password = rounds_test_couch_password (user);
  /* Each client tries once; CouchDB 3.4 locks after 5 failures by default. */
  while (!g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED) && attempts < 20)
    {
      g_autoptr(RoundsCouch) wrong = rounds_couch_new (fixture->db_url, NULL);

      g_clear_error (&error);
      rounds_couch_set_credentials (wrong, user, "not-the-password");
      info = rounds_couch_get_db_info (wrong, NULL, &error);
      g_assert_null (info);
      attempts++;
    }
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED);
  g_assert_cmpuint (attempts, >, 1);

  couch = rounds_couch_new (fixture->db_url, NULL);
  rounds_couch_set_credentials (couch, user, password);
  g_clear_error (&error);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_nonnull (strstr (error->message, user));
  g_assert_null (strstr (error->message, "No permission"));
}

static void
test_anonymous (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_couch_new (fixture->db_url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, NULL, &error);

  g_assert_null (info);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "needs a user name and password"));
}

/* A right password without membership is "no permission", not "wrong password", though
 * pouchdb-server answers 401 where CouchDB 3 answers 403. */
static void
test_no_permission (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_OUTSIDER);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = rounds_couch_get_db_info (couch, NULL, &error);

  g_assert_null (info);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "No permission"));
  g_assert_nonnull (strstr (error->message, TEST_OUTSIDER));
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = rounds_couch_get_doc (couch, "judgement:nobody:x:y:z", NULL, &error);
  g_autofree char *missing_url = g_strconcat (fixture->db_url, "-missing", NULL);
  g_autoptr(RoundsCouch) missing = rounds_test_couch_admin (missing_url);
  g_autoptr(JsonObject) info = NULL;

  g_assert_null (doc);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  info = rounds_couch_get_db_info (missing, NULL, &error);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND);
}

/* A port nobody listens on. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_unreachable (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/ethics", closed_port ());
  g_autoptr(RoundsCouch) couch = rounds_couch_new (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  rounds_couch_set_credentials (couch, "dr-lin", "secret-password");
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_null (strstr (error->message, "secret-password"));
  g_assert_false (rounds_couch_error_is_unknown_outcome (error));
}

/* The HTTPS front of tests/pouchdb/tls-front, with a certificate of the test CA. */
typedef struct
{
  GSubprocess *process;
  char        *root;
} TlsFront;

static void
tls_front_start (TlsFront *front)
{
  const char *source_dir = g_getenv ("ROUNDS_SOURCE_DIR");
  g_autofree char *script = g_build_filename (source_dir, "tests", "pouchdb", "tls-front", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (source_dir);
  front->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                     &error,
                                     script, rounds_test_couch_server_root (), NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (front->process));
  front->root = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (front->root);
}

static void
tls_front_stop (TlsFront *front)
{
  g_subprocess_force_exit (front->process);
  g_subprocess_wait (front->process, NULL, NULL);
  g_clear_object (&front->process);
  g_clear_pointer (&front->root, g_free);
}

static char *
ca_file (void)
{
  return g_build_filename (g_getenv ("ROUNDS_SOURCE_DIR"), "tests", "pouchdb", "tls",
                           "ca.pem", NULL);
}

/* TLS is always verified: a certificate of an unknown authority is refused, saying how to
 * trust it; with that authority given, the same server is fine. */
static void
test_tls (Fixture       *fixture,
          gconstpointer  data)
{
  TlsFront front = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *by_name = NULL;
  g_autofree char *ca = ca_file ();
  g_autoptr(RoundsCouch) couch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  tls_front_start (&front);
  url = g_strconcat (front.root, strrchr (fixture->db_url, '/') + 1, NULL);

  couch = rounds_test_couch_as (url, TEST_ANNOTATOR);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "--cacert"));
  g_clear_error (&error);

  rounds_couch_set_ca_file (couch, ca);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (info, "db_name"), ==,
                   rounds_couch_get_db_name (couch));
  g_clear_pointer (&info, json_object_unref);
  g_clear_object (&couch);

  /* The name is checked too: the certificate is for 127.0.0.1 and localhost only. */
  by_name = g_strdup_printf ("https://127.0.0.2:%s", strrchr (front.root, ':') + 1);
  {
    g_autofree char *other = g_strconcat (by_name, strrchr (fixture->db_url, '/') + 1, NULL);

    couch = rounds_test_couch_as (other, TEST_ANNOTATOR);
  }
  rounds_couch_set_ca_file (couch, ca);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_null (info);
  g_assert_true (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TLS) ||
                 g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE));

  tls_front_stop (&front);
}

/* https:// to a server that speaks plain HTTP is refused, never talked to in the clear. */
static void
test_tls_plain_server (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *https = g_strconcat ("https", fixture->db_url + strlen ("http"), NULL);
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (https, TEST_ANNOTATOR);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  rounds_couch_set_timeouts (couch, 5000, 10000);
  info = rounds_couch_get_db_info (couch, NULL, &error);
  g_assert_null (info);
  g_test_message ("%s", error->message);
  g_assert_true (g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TLS) ||
                 g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INTERRUPTED));
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = NULL;

  g_cancellable_cancel (cancellable);
  info = rounds_couch_get_db_info (couch, cancellable, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Faults, table-driven: what each one is called, and whether the outcome is unknown. */
typedef struct
{
  RoundsTestFault   fault;
  RoundsCouchError  code;
  gboolean          unknown;
} FaultCase;

static const FaultCase fault_cases[] = {
  { ROUNDS_TEST_FAULT_DROP,        ROUNDS_COUCH_ERROR_INTERRUPTED, TRUE },
  { ROUNDS_TEST_FAULT_DROP_ANSWER, ROUNDS_COUCH_ERROR_INTERRUPTED, TRUE },
  { ROUNDS_TEST_FAULT_CUT_SHORT,   ROUNDS_COUCH_ERROR_INTERRUPTED, TRUE },
  { ROUNDS_TEST_FAULT_STALL,       ROUNDS_COUCH_ERROR_TIMEOUT,     TRUE },
  { ROUNDS_TEST_FAULT_STATUS_500,  ROUNDS_COUCH_ERROR_SERVER,      TRUE },
  { ROUNDS_TEST_FAULT_STATUS_413,  ROUNDS_COUCH_ERROR_TOO_LARGE,   FALSE },
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *c = data;
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_autoptr(RoundsCouch) couch = rounds_couch_new (url, NULL);
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *doc = json_object_new ();

  rounds_couch_set_credentials (couch, TEST_ANNOTATOR, password);
  rounds_couch_set_timeouts (couch, 5000, 1000);
  json_object_set_string_member (doc, "_id", "judgement:dr-lin:ethics:c1:e1");
  json_object_set_string_member (doc, "type", "judgement");
  json_object_set_int_member (doc, "schema", 1);
  json_object_set_string_member (doc, "annotator", TEST_ANNOTATOR);
  json_array_add_object_element (docs, doc);

  rounds_test_proxy_add_fault (proxy, "_bulk_docs", c->fault);
  results = rounds_couch_bulk_docs (couch, docs, NULL, &error);
  g_assert_null (results);
  g_assert_error (error, ROUNDS_COUCH_ERROR, (int) c->code);
  g_assert_cmpint (rounds_couch_error_is_unknown_outcome (error), ==, c->unknown);
  g_assert_null (strstr (error->message, password));
  g_assert_cmpuint (rounds_test_proxy_count_faults (proxy), ==, 0);

  /* The same client goes on working once the fault is past. */
  g_clear_error (&error);
  results = rounds_couch_bulk_docs (couch, docs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 1);
}

/* _bulk_docs answers per document: pouchdb-server lists the refused ones first, so the
 * results must be read by id. */
static void
test_bulk_docs_results (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const owners[] = { TEST_ANNOTATOR, TEST_ANNOTATOR_2, TEST_ANNOTATOR };
  JsonObject *result;

  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      JsonObject *doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("judgement:%s:ethics:c%u:e%u", owners[i], i, i);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "type", "judgement");
      json_object_set_int_member (doc, "schema", 1);
      json_object_set_string_member (doc, "annotator", owners[i]);
      json_array_add_object_element (docs, doc);
    }

  results = rounds_couch_bulk_docs (couch, docs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      g_hash_table_insert (by_id, (gpointer) json_object_get_string_member (r, "id"), r);
    }

  result = g_hash_table_lookup (by_id, "judgement:dr-osei:ethics:c1:e1");
  g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "reason"),
                            "only by the annotator it names"));
  result = g_hash_table_lookup (by_id, "judgement:dr-lin:ethics:c0:e0");
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  result = g_hash_table_lookup (by_id, "judgement:dr-lin:ethics:c2:e2");
  g_assert_true (json_object_get_boolean_member (result, "ok"));

  /* pouchdb-server answers the refused document first, not in the request's order:
   * matching by position would be wrong (CouchDB keeps the order). */
  if (!rounds_test_couch_is_couchdb ())
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                    "id"),
                     ==,
                     "judgement:dr-osei:ethics:c1:e1");
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 2);
}

static void
test_changes_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (fixture->db_url);
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *since = NULL;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    {
      JsonObject *doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("annotator:user%u", i);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "type", "annotator");
      json_object_set_int_member (doc, "schema", 1);
      json_array_add_object_element (docs, doc);
    }
  results = rounds_couch_bulk_docs (couch, docs, NULL, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(JsonObject) page = rounds_couch_changes (couch, since, 3, NULL, &error);
      JsonArray *changes;

      g_assert_no_error (error);
      changes = json_object_get_array_member (page, "results");
      g_free (since);
      since = rounds_couch_seq_to_string (json_object_get_member (page, "last_seq"));
      g_assert_nonnull (since);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (change, "id");

          g_assert_true (json_object_has_member (change, "doc"));
          g_assert_true (g_hash_table_add (seen, g_strdup (id)));
        }
      pages++;
      if (json_array_get_length (changes) < 3)
        break;
      g_assert_cmpuint (pages, <, 10);
    }
  /* Seven documents and the design document, each once. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 8);
  g_assert_cmpuint (pages, ==, 3);
}

/* Set-up --------------------------------------------------------------------------------- */

static gboolean
findings_contain (GPtrArray  *findings,
                  const char *text)
{
  for (guint i = 0; i < findings->len; i++)
    if (strstr (g_ptr_array_index (findings, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_setup (void)
{
  g_autofree char *db_url = rounds_test_couch_new_db ("setup", FALSE);
  g_autofree char *missing_url = g_strconcat (db_url, "-new", NULL);
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(RoundsCouch) fresh = rounds_test_couch_admin (missing_url);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) design = NULL;
  g_autofree char *source = rounds_couch_setup_get_validate_source ();
  guint n_missing;

  /* A missing database is one finding. */
  rounds_couch_setup_check (fresh, &findings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_true (findings_contain (findings, "does not exist"));
  g_clear_pointer (&findings, g_ptr_array_unref);
  rounds_couch_setup_apply (fresh, &changes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (findings_contain (changes, "Created the database"));
  g_clear_pointer (&changes, g_ptr_array_unref);
  rounds_test_couch_drop_db (missing_url);

  /* An empty database: the roles and the design document are missing. CouchDB 3 makes a
   * database for administrators only (its default_security), so "_admin" is among the
   * administrators there already. */
  n_missing = rounds_test_couch_is_couchdb () ? 4 : 5;
  rounds_couch_setup_check (couch, &findings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, n_missing);
  g_assert_true (findings_contain (findings, "“curator” is not among the members"));
  g_assert_true (findings_contain (findings, "_design/rounds is missing"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  rounds_couch_setup_apply (couch, &changes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, n_missing);
  g_clear_pointer (&changes, g_ptr_array_unref);

  rounds_couch_setup_check (couch, &findings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Idempotent: a second run changes nothing. */
  rounds_couch_setup_apply (couch, &changes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_pointer (&changes, g_ptr_array_unref);

  design = rounds_test_couch_get (db_url, "_design/rounds");
  g_assert_cmpstr (json_object_get_string_member (design, "validate_doc_update"), ==, source);
  g_assert_true (g_str_has_prefix (source, "function (newDoc, oldDoc, userCtx, secObj)"));
  rounds_test_couch_drop_db (db_url);
}

/* A changed design document is found and put back; roles and names added by hand stay. */

static void
test_setup_repairs (void)
{
  g_autofree char *db_url = rounds_test_couch_new_db ("repair", TRUE);
  g_autoptr(RoundsCouch) couch = rounds_test_couch_admin (db_url);
  g_autoptr(JsonObject) design = rounds_test_couch_get (db_url, "_design/rounds");
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) security = NULL;
  JsonObject *members;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *rev = NULL;
  JsonArray *roles;

  /* Someone changed the design document and replaced the members. */
  json_object_set_string_member (design, "validate_doc_update", "function (newDoc) {}");
  rev = rounds_couch_put_doc (couch, "_design/rounds", design, NULL, &error);
  g_assert_no_error (error);
  body = json_from_string ("{\"admins\": {\"names\": [], \"roles\": [\"_admin\"]},"
                           " \"members\": {\"names\": [\"dr-guest\"], \"roles\": [\"annotator\", "
                           "\"auditor\"]}}", NULL);
  answer = rounds_couch_request (couch, "PUT", "_security", body, NULL, NULL, &error);
  g_assert_no_error (error);

  rounds_couch_setup_check (couch, &findings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 3);
  g_assert_true (findings_contain (findings, "another validate_doc_update"));
  g_assert_true (findings_contain (findings, "“reviewer” is not among the members"));

  rounds_couch_setup_apply (couch, &changes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_true (findings_contain (changes, "Updated the design document"));
  g_clear_pointer (&findings, g_ptr_array_unref);
  rounds_couch_setup_check (couch, &findings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);

  security = rounds_test_couch_get (db_url, "_security");
  roles = json_object_get_array_member (json_object_get_object_member (security,
                                                                       "members"), "roles");
  g_assert_cmpuint (json_array_get_length (roles), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (roles, 1), ==, "auditor");
  members = json_object_get_object_member (security, "members");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (members, "names"),
                                                  0),
                   ==, "dr-guest");
  rounds_test_couch_drop_db (db_url);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rounds/couch/url/parts", test_url_parts);
  g_test_add_func ("/rounds/couch/url/invalid", test_url_invalid);
  g_test_add_func ("/rounds/couch/url/escape-doc-id", test_escape_doc_id);
  g_test_add_func ("/rounds/couch/unreachable", test_unreachable);
  g_test_add ("/rounds/couch/server-info", Fixture, NULL, fixture_set_up, test_server_info,
              fixture_tear_down);
  g_test_add ("/rounds/couch/connection-reuse", Fixture, NULL, fixture_set_up,
              test_connection_reuse, fixture_tear_down);
  g_test_add ("/rounds/couch/session", Fixture, NULL, fixture_set_up, test_session,
              fixture_tear_down);
  g_test_add ("/rounds/couch/session-expired", Fixture, NULL, fixture_set_up,
              test_session_expired, fixture_tear_down);
  g_test_add ("/rounds/couch/wrong-password", Fixture, NULL, fixture_set_up, test_wrong_password,
              fixture_tear_down);
  g_test_add ("/rounds/couch/locked", Fixture, NULL, fixture_set_up, test_locked,
              fixture_tear_down);
  g_test_add ("/rounds/couch/anonymous", Fixture, NULL, fixture_set_up, test_anonymous,
              fixture_tear_down);
  g_test_add ("/rounds/couch/no-permission", Fixture, NULL, fixture_set_up, test_no_permission,
              fixture_tear_down);
  g_test_add ("/rounds/couch/not-found", Fixture, NULL, fixture_set_up, test_not_found,
              fixture_tear_down);
  g_test_add ("/rounds/couch/tls", Fixture, NULL, fixture_set_up, test_tls, fixture_tear_down);
  g_test_add ("/rounds/couch/tls-plain-server", Fixture, NULL, fixture_set_up,
              test_tls_plain_server, fixture_tear_down);
  g_test_add ("/rounds/couch/cancelled", Fixture, NULL, fixture_set_up, test_cancelled,
              fixture_tear_down);
  g_test_add ("/rounds/couch/fault/drop", Fixture, &fault_cases[0], fixture_set_up, test_fault,
              fixture_tear_down);
  g_test_add ("/rounds/couch/fault/drop-answer", Fixture, &fault_cases[1], fixture_set_up,
              test_fault, fixture_tear_down);
  g_test_add ("/rounds/couch/fault/cut-short", Fixture, &fault_cases[2], fixture_set_up, test_fault,
              fixture_tear_down);
  g_test_add ("/rounds/couch/fault/timeout", Fixture, &fault_cases[3], fixture_set_up, test_fault,
              fixture_tear_down);
  g_test_add ("/rounds/couch/fault/server-error", Fixture, &fault_cases[4], fixture_set_up,
              test_fault, fixture_tear_down);
  g_test_add ("/rounds/couch/fault/too-large", Fixture, &fault_cases[5], fixture_set_up, test_fault,
              fixture_tear_down);
  g_test_add ("/rounds/couch/bulk-docs-results", Fixture, NULL, fixture_set_up,
              test_bulk_docs_results, fixture_tear_down);
  g_test_add ("/rounds/couch/changes-pages", Fixture, NULL, fixture_set_up, test_changes_pages,
              fixture_tear_down);
  g_test_add_func ("/rounds/couch/setup", test_setup);
  g_test_add_func ("/rounds/couch/setup-repairs", test_setup_repairs);

  return g_test_run ();
}
