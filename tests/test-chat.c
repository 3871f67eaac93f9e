/* test-chat.c: endpoints in the store and the chat-completions client, against
 * tests/chat/serve: what is sent, what is retried (and only that), refusals and empty
 * answers, answers that are not chat completions, cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-chat.h"
#include "rounds-endpoint.h"
#include "rounds-error.h"
#include "rounds-test-chat.h"
#include "rounds-test-util.h"

typedef RoundsTestStore Fixture;

static RoundsChat *
new_chat (RoundsEndpoint *endpoint,
          const char     *key)
{
  g_autoptr(GError) error = NULL;
  RoundsChat *chat = rounds_chat_new (endpoint, key, &error);

  g_assert_no_error (error);
  /* Quick retries: the server's Retry-After is 0 unless a test asks for more. */
  rounds_chat_set_retries (chat, 4, 10, 2000);
  return chat;
}

/* Endpoints in the store -------------------------------------------------------------- */

static void
test_endpoint_store (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RoundsEndpoint) endpoint = rounds_endpoint_new ("local-llama",
                                                            "http://127.0.0.1:8080/v1",
                                                            "llama-3-8b");
  g_autoptr(RoundsEndpoint) read = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_before = NULL;
  g_autofree char *key_moved = NULL;
  g_autofree char *key_after = NULL;

  endpoint->has_temperature = TRUE;
  endpoint->temperature = 0.7;
  endpoint->max_tokens = 512;
  endpoint->has_seed = TRUE;
  endpoint->seed = 42;
  endpoint->extra_json = g_strdup ("{\"top_p\":0.9}");
  endpoint->response_format = TRUE;
  endpoint->ca_file = g_strdup ("/etc/ssl/ward-ca.pem");
  g_assert_true (rounds_store_save_endpoint (fixture->store, endpoint, FALSE, &error));
  g_assert_no_error (error);

  read = rounds_store_get_endpoint (fixture->store, "local-llama", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->base_url, ==, endpoint->base_url);
  g_assert_cmpstr (read->model, ==, "llama-3-8b");
  g_assert_true (read->has_temperature);
  g_assert_cmpfloat (read->temperature, ==, 0.7);
  g_assert_cmpuint (read->max_tokens, ==, 512);
  g_assert_true (read->has_seed);
  g_assert_cmpint (read->seed, ==, 42);
  g_assert_cmpstr (read->extra_json, ==, "{\"top_p\":0.9}");
  g_assert_true (read->response_format);
  g_assert_cmpstr (read->ca_file, ==, "/etc/ssl/ward-ca.pem");

  /* The parameters key follows the parameters, not the address. */
  key_before = rounds_endpoint_get_params_key (read);
  g_free (read->base_url);
  read->base_url = g_strdup ("https://elsewhere.example.org/v1");
  key_moved = rounds_endpoint_get_params_key (read);
  g_assert_cmpstr (key_moved, ==, key_before);
  read->temperature = 0.2;
  key_after = rounds_endpoint_get_params_key (read);
  g_assert_cmpstr (key_after, !=, key_before);
  g_assert_cmpuint (strlen (key_after), ==, 12);

  /* A second of the same name is refused unless it replaces the first. */
  g_assert_false (rounds_store_save_endpoint (fixture->store, read, FALSE, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (rounds_store_save_endpoint (fixture->store, read, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&endpoint, rounds_endpoint_free);
  endpoint = rounds_store_get_endpoint (fixture->store, "local-llama", &error);
  g_assert_cmpstr (endpoint->base_url, ==, "https://elsewhere.example.org/v1");

  all = rounds_store_list_endpoints (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM audit_log"
                                          " WHERE action = 'endpoint-save'"), ==, 2);

  g_assert_true (rounds_store_remove_endpoint (fixture->store, "local-llama", &error));
  g_assert_no_error (error);
  g_assert_false (rounds_store_remove_endpoint (fixture->store, "local-llama", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (rounds_store_get_endpoint (fixture->store, "local-llama", &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND);
}

static const struct
{
  const char *name;
  const char *base_url;
  const char *model;
  double      temperature;
  const char *extra;
} invalid_endpoints[] = {
  { "has space", "http://127.0.0.1/v1", "m", -1, NULL },
  { "", "http://127.0.0.1/v1", "m", -1, NULL },
  { "ftp", "ftp://127.0.0.1/v1", "m", -1, NULL },
  { "user", "https://me:pw@example.org/v1", "m", -1, NULL },
  { "query", "https://example.org/v1?x=1", "m", -1, NULL },
  { "no-model", "https://example.org/v1", "", -1, NULL },
  { "hot", "https://example.org/v1", "m", 2.5, NULL },
  { "extra-array", "https://example.org/v1", "m", -1, "[1]" },
  { "extra-bad", "https://example.org/v1", "m", -1, "{top_p: 1" },
};

static void
test_endpoint_invalid (Fixture       *fixture,
                       gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_endpoints); i++)
    {
      g_autoptr(RoundsEndpoint) e = rounds_endpoint_new (invalid_endpoints[i].name,
                                                         invalid_endpoints[i].base_url,
                                                         invalid_endpoints[i].model);
      g_autoptr(GError) error = NULL;

      e->has_temperature = invalid_endpoints[i].temperature >= 0;
      e->temperature = invalid_endpoints[i].temperature;
      e->extra_json = g_strdup (invalid_endpoints[i].extra);
      g_test_message ("%s", invalid_endpoints[i].name);
      g_assert_false (rounds_store_save_endpoint (fixture->store, e, FALSE, &error));
      g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpint (rounds_test_query_int (fixture->store, "SELECT COUNT(*) FROM endpoints"),
                   ==, 0);
}

static void
test_endpoint_key_env (void)
{
  g_autofree char *env = rounds_endpoint_key_env_name ("ward-gpt.4o");
  char *key;

  g_assert_cmpstr (env, ==, "ROUNDS_ENDPOINT_KEY_WARD_GPT_4O");
  g_unsetenv ("ROUNDS_ENDPOINT_KEY");
  g_unsetenv (env);
  g_assert_null (rounds_endpoint_key_from_env ("ward-gpt.4o"));
  g_setenv ("ROUNDS_ENDPOINT_KEY", "shared", TRUE);
  key = rounds_endpoint_key_from_env ("ward-gpt.4o");
  g_assert_cmpstr (key, ==, "shared");
  g_free (key);
  g_setenv (env, "own", TRUE);
  key = rounds_endpoint_key_from_env ("ward-gpt.4o");
  g_assert_cmpstr (key, ==, "own");
  g_free (key);
  g_unsetenv (env);
  g_unsetenv ("ROUNDS_ENDPOINT_KEY");
}

/* The client -------------------------------------------------------------------------- */

/* What goes out: the model, the messages, the parameters, sample K's seed, the key; the
 * extra members never override them. What comes back: content, model, usage, latency. */
static void
test_chat_request (void)
{
  g_autofree char *model = rounds_test_chat_model ("request", NULL);
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("request", model);
  g_autoptr(RoundsChat) chat = NULL;
  g_autoptr(RoundsChatReply) reply = NULL;
  g_autoptr(RoundsChatReply) again = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autoptr(GError) error = NULL;
  RoundsChatRequest request = { .system = "Be brief.", .prompt = "A 16-year-old asks.",
                                .sample = 2 };
  JsonObject *body;
  JsonArray *messages;

  endpoint->has_temperature = TRUE;
  endpoint->temperature = 0.5;
  endpoint->max_tokens = 64;
  endpoint->has_seed = TRUE;
  endpoint->seed = 40;
  endpoint->extra_json = g_strdup ("{\"top_p\":0.9,\"model\":\"not-this\",\"seed\":1}");
  chat = new_chat (endpoint, "sk-test");
  reply = rounds_chat_complete (chat, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply->outcome, ==, ROUNDS_CHAT_ANSWERED);
  g_assert_true (g_str_has_prefix (reply->content, "Answer "));
  g_assert_true (g_str_has_suffix (reply->content, " to: A 16-year-old asks."));
  g_assert_cmpstr (reply->finish_reason, ==, "stop");
  g_assert_cmpstr (reply->model, ==, model);
  g_assert_cmpint (reply->prompt_tokens, ==, 11);
  g_assert_cmpint (reply->completion_tokens, ==, 7);
  g_assert_cmpint (reply->total_tokens, ==, 18);
  g_assert_true (reply->has_seed);
  g_assert_cmpint (reply->seed, ==, 42);
  g_assert_cmpint (reply->latency_ms, >=, 0);
  g_assert_cmpuint (reply->attempts, ==, 1);

  last = rounds_test_chat_last (model);
  g_assert_cmpstr (json_object_get_string_member (last, "authorization"), ==, "Bearer sk-test");
  body = json_object_get_object_member (last, "body");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, model);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.5);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 64);
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 42);
  g_assert_cmpfloat (json_object_get_double_member (body, "top_p"), ==, 0.9);
  g_assert_false (json_object_has_member (body, "response_format"));
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0),
                                                  "role"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1),
                                                  "content"), ==, "A 16-year-old asks.");

  /* Deterministic: the same request, the same answer; another sample, another one. */
  again = rounds_chat_complete (chat, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->content, ==, reply->content);
  g_clear_pointer (&again, rounds_chat_reply_free);
  request.sample = 3;
  again = rounds_chat_complete (chat, &request, NULL, &error);
  g_assert_cmpstr (again->content, !=, reply->content);
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 3);
}

/* A JSON schema goes as response_format where the endpoint takes it, else in words. */
static void
test_chat_schema (void)
{
  g_autofree char *model = rounds_test_chat_model ("schema", NULL);
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("schema", model);
  g_autoptr(JsonNode) schema = json_from_string ("{\"type\":\"object\",\"properties\":"
                                                 "{\"score\":{\"type\":\"integer\","
                                                 "\"minimum\":1}}}", NULL);
  RoundsChatRequest request = { .prompt = "Score it.", .schema = json_node_get_object (schema),
                                .schema_name = "assessment" };
  g_autoptr(GError) error = NULL;

  for (guint takes = 0; takes < 2; takes++)
    {
      g_autoptr(RoundsChat) chat = NULL;
      g_autoptr(RoundsChatReply) reply = NULL;
      g_autoptr(JsonObject) last = NULL;
      JsonObject *body, *first;

      endpoint->response_format = takes;
      chat = new_chat (endpoint, NULL);
      reply = rounds_chat_complete (chat, &request, NULL, &error);
      g_assert_no_error (error);
      last = rounds_test_chat_last (model);
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (last, "authorization")));
      body = json_object_get_object_member (last, "body");
      first = json_array_get_object_element (json_object_get_array_member (body, "messages"), 0);
      if (takes)
        {
          JsonObject *format = json_object_get_object_member (body, "response_format");

          g_assert_cmpstr (reply->content, ==, "{\"score\":1}");
          g_assert_cmpstr (json_object_get_string_member (format, "type"), ==, "json_schema");
          g_assert_cmpstr (json_object_get_string_member (
                             json_object_get_object_member (format, "json_schema"), "name"),
                           ==, "assessment");
          g_assert_cmpstr (json_object_get_string_member (first, "role"), ==, "user");
        }
      else
        {
          g_assert_false (json_object_has_member (body, "response_format"));
          g_assert_cmpstr (json_object_get_string_member (first, "role"), ==, "system");
          g_assert_nonnull (strstr (json_object_get_string_member (first, "content"),
                                    "\"minimum\":1"));
        }
    }
}

/* What the server does, and what the client makes of it: the outcome or the error, and
 * how many requests it took. Only 429, 5xx and broken connections are tried again. */
static const struct
{
  const char      *words;
  RoundsChatOutcome outcome;
  int              error;     /* a RoundsChatError, or -1 for none */
  guint            requests;
} behaviours[] = {
  { "429x2",    ROUNDS_CHAT_ANSWERED, -1, 3 },
  { "500x1",    ROUNDS_CHAT_ANSWERED, -1, 2 },
  { "503x3",    ROUNDS_CHAT_ANSWERED, -1, 4 },
  { "dropx2",   ROUNDS_CHAT_ANSWERED, -1, 3 },
  { "429",      0, ROUNDS_CHAT_ERROR_RATE_LIMITED, 4 },
  { "502",      0, ROUNDS_CHAT_ERROR_SERVER, 4 },
  { "drop",     0, ROUNDS_CHAT_ERROR_INTERRUPTED, 4 },
  { "badjson",  0, ROUNDS_CHAT_ERROR_BAD_RESPONSE, 1 },
  { "badtype",  0, ROUNDS_CHAT_ERROR_BAD_RESPONSE, 1 },
  { "key-right", 0, ROUNDS_CHAT_ERROR_UNAUTHORIZED, 1 },
  { "refuse",   ROUNDS_CHAT_REFUSED, -1, 1 },
  { "filter",   ROUNDS_CHAT_REFUSED, -1, 1 },
  { "empty",    ROUNDS_CHAT_EMPTY, -1, 1 },
  { "length",   ROUNDS_CHAT_ANSWERED, -1, 1 },
  { "key-sk-test", ROUNDS_CHAT_ANSWERED, -1, 1 },
  { "offschema", ROUNDS_CHAT_ANSWERED, -1, 1 },
};

static void
test_chat_behaviours (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (behaviours); i++)
    {
      g_autofree char *model = rounds_test_chat_model ("behaviour", behaviours[i].words);
      g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("behaviour", model);
      g_autoptr(RoundsChat) chat = new_chat (endpoint, "sk-test");
      g_autoptr(RoundsChatReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      RoundsChatRequest request = { .prompt = "Three patients arrive at once." };

      g_test_message ("%s", behaviours[i].words);
      reply = rounds_chat_complete (chat, &request, NULL, &error);
      if (behaviours[i].error >= 0)
        {
          g_assert_error (error, ROUNDS_CHAT_ERROR, behaviours[i].error);
          g_assert_null (reply);
          /* The message names the endpoint. */
          g_assert_nonnull (strstr (error->message, "“behaviour”"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (reply->outcome, ==, behaviours[i].outcome);
          g_assert_cmpuint (reply->attempts, ==, behaviours[i].requests);
          if (reply->outcome == ROUNDS_CHAT_REFUSED)
            g_assert_true (reply->refusal != NULL && *reply->refusal != '\0');
          else
            g_assert_null (reply->refusal);
        }
      g_assert_cmpuint (rounds_test_chat_count (model), ==, behaviours[i].requests);
    }
}

/* Retry-After is honoured: a second is waited, not the client's own 10 ms. */
static void
test_chat_retry_after (void)
{
  g_autofree char *model = rounds_test_chat_model ("retry-after", "429s1x1");
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("retry-after", model);
  g_autoptr(RoundsChat) chat = new_chat (endpoint, NULL);
  g_autoptr(RoundsChatReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  RoundsChatRequest request = { .prompt = "Wait for it." };

  reply = rounds_chat_complete (chat, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->attempts, ==, 2);
  g_assert_cmpint (reply->waited_ms, ==, 1000);
}

static gpointer
cancel_soon (gpointer cancellable)
{
  g_usleep (300 * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

/* A slow answer past the client's timeout is a broken connection, tried again; a
 * cancellation stops at once and is not retried. */
static void
test_chat_slow_and_cancel (void)
{
  g_autofree char *model = rounds_test_chat_model ("slow", "slow-3000x1");
  g_autofree char *stuck = rounds_test_chat_model ("stuck", "slow-60000");
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("slow", model);
  g_autoptr(RoundsEndpoint) stuck_endpoint = rounds_test_chat_endpoint ("stuck", stuck);
  g_autoptr(RoundsChat) chat = new_chat (endpoint, NULL);
  g_autoptr(RoundsChat) stuck_chat = new_chat (stuck_endpoint, NULL);
  g_autoptr(RoundsChatReply) reply = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RoundsChatRequest request = { .prompt = "Take your time." };
  GThread *canceller;

  rounds_chat_set_timeouts (chat, 0, 500);
  reply = rounds_chat_complete (chat, &request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->attempts, ==, 2);

  g_clear_pointer (&reply, rounds_chat_reply_free);
  canceller = g_thread_new ("cancel", cancel_soon, cancellable);
  reply = rounds_chat_complete (stuck_chat, &request, cancellable, &error);
  g_thread_join (canceller);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (reply);
  g_assert_cmpuint (rounds_test_chat_count (stuck), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  rounds_test_store_add ("/rounds/chat/endpoint/store", NULL, test_endpoint_store);
  rounds_test_store_add ("/rounds/chat/endpoint/invalid", NULL, test_endpoint_invalid);
  g_test_add_func ("/rounds/chat/endpoint/key-env", test_endpoint_key_env);
  g_test_add_func ("/rounds/chat/request", test_chat_request);
  g_test_add_func ("/rounds/chat/schema", test_chat_schema);
  g_test_add_func ("/rounds/chat/behaviours", test_chat_behaviours);
  g_test_add_func ("/rounds/chat/retry-after", test_chat_retry_after);
  g_test_add_func ("/rounds/chat/slow-and-cancel", test_chat_slow_and_cancel);

  return g_test_run ();
}
