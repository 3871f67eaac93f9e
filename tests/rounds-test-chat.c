/* rounds-test-chat.c: the test chat-completions server (tests/chat/serve) for the tests
 *
 * build-aux/test starts one server and exports ROUNDS_TEST_CHAT_URL (its base URL,
 * http://127.0.0.1:PORT/v1). Without it a test starts its own. The server counts requests
 * per model name, so tests that share it use model names of their own
 * (rounds_test_chat_model()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <curl/curl.h>
#include <string.h>
#include <unistd.h>

#include "rounds-test-chat.h"
#include "rounds-test-util.h"

static char *server_url;

/* The base URL of the server, http://127.0.0.1:PORT/v1. */
const char *
rounds_test_chat_url (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const char *from_env = g_getenv ("ROUNDS_TEST_CHAT_URL");

      if (from_env != NULL && *from_env != '\0')
        server_url = g_strdup (from_env);
      else
        server_url = rounds_test_start_server ("chat");
      g_strstrip (server_url);
      g_once_init_leave (&done, 1);
    }
  return server_url;
}

/* A model name unique to this process and @name, followed by the server's @words
 * ("429x2+slow-100"; see tests/chat/serve), or none. */
char *
rounds_test_chat_model (const char *name,
                        const char *words)
{
  static guint counter;

  return g_strdup_printf ("%s-%d-%u%s%s", name, (int) getpid (),
                          g_atomic_int_add (&counter, 1),
                          words && *words ? "+" : "", words ? words : "");
}

/* An endpoint @name for @model on the test server, with quick retries. */
RoundsEndpoint *
rounds_test_chat_endpoint (const char *name,
                           const char *model)
{
  return rounds_endpoint_new (name, rounds_test_chat_url (), model);
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  g_string_append_len (user_data, data, size * n);
  return size * n;
}

/* GETs /control/WHAT?model=MODEL and parses the answer, which must be an object. */
static JsonObject *
control (const char *what,
         const char *model,
         gboolean    may_be_missing)
{
  g_autofree char *root = g_strndup (rounds_test_chat_url (),
                                     strlen (rounds_test_chat_url ()) - strlen ("/v1"));
  g_autofree char *escaped = g_uri_escape_string (model, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/control/%s?model=%s", root, what, escaped);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  CURL *curl = curl_easy_init ();
  long status = 0;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, body);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup (curl);
  if (status == 404 && may_be_missing)
    return NULL;
  g_assert_cmpint (status, ==, 200);
  node = json_from_string (body->str, NULL);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* How many requests the server has had for @model. */
guint
rounds_test_chat_count (const char *model)
{
  g_autoptr(JsonObject) answer = control ("count", model, FALSE);

  return (guint) json_object_get_int_member (answer, "requests");
}

/* The last request for @model: {"body": …, "authorization": …}, or NULL if none came. */
JsonObject *
rounds_test_chat_last (const char *model)
{
  return control ("last", model, TRUE);
}
