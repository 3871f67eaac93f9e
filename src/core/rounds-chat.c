/* rounds-chat.c: a client of OpenAI-compatible chat-completions servers
 *
 * One client is one endpoint and one libcurl easy handle, reused for every request so that
 * the connection and its TLS session are reused too; it is used from one thread at a time
 * (a worker makes its own). `POST {base}/chat/completions` with a bearer key.
 *
 * A 429, a 5xx and a connection that broke off or timed out are retried, waiting what the
 * server asked in Retry-After, else a doubling delay; nothing else is: a refusal or an empty
 * answer is a reply saying so, and an answer that is not a chat completion is an error. Every
 * member of an answer is type-checked before it is read.
 *
 * The key is kept only in memory and wiped when the client goes: no URL, message or log line
 * of this file contains it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-chat"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-chat.h"
#include "rounds-couch.h"
#include "rounds-curl-private.h"

#define DEFAULT_CONNECT_MS     (15 * 1000)
#define DEFAULT_TOTAL_MS       (300 * 1000)
#define DEFAULT_ATTEMPTS       5
#define DEFAULT_FIRST_DELAY_MS 1000
#define DEFAULT_MAX_DELAY_MS   (60 * 1000)
#define MAX_ANSWER_BYTES       (16 * 1024 * 1024)

struct _RoundsChat
{
  GObject         parent_instance;

  RoundsEndpoint *endpoint;
  CURL           *curl;
  char           *url;            /* {base}/chat/completions */
  char           *auth_header;    /* "Authorization: Bearer …", or NULL */
  guint           connect_ms;
  guint           total_ms;
  guint           max_attempts;
  guint           first_delay_ms;
  guint           max_delay_ms;
  GString        *response;
  gint64          retry_after_ms; /* from the last answer's Retry-After, or -1 */
  char            curl_error[CURL_ERROR_SIZE];
};

G_DEFINE_FINAL_TYPE (RoundsChat, rounds_chat, G_TYPE_OBJECT)

G_DEFINE_QUARK (rounds-chat-error-quark, rounds_chat_error)

static void
rounds_chat_finalize (GObject *object)
{
  RoundsChat *self = (RoundsChat *)object;

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->auth_header, rounds_couch_password_free);
  g_clear_pointer (&self->endpoint, rounds_endpoint_free);
  g_free (self->url);
  g_string_free (self->response, TRUE);

  G_OBJECT_CLASS (rounds_chat_parent_class)->finalize (object);
}

static void
rounds_chat_class_init (RoundsChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_chat_finalize;
}

static void
rounds_chat_init (RoundsChat *self)
{
  self->response = g_string_new (NULL);
  self->connect_ms = DEFAULT_CONNECT_MS;
  self->total_ms = DEFAULT_TOTAL_MS;
  self->max_attempts = DEFAULT_ATTEMPTS;
  self->first_delay_ms = DEFAULT_FIRST_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
}

/**
 * rounds_chat_new:
 * @endpoint: the server, model and parameters; copied
 * @api_key: (nullable): the bearer key; %NULL sends none (a local server may need none)
 *
 * Returns: (transfer full): a client, or %NULL with %ROUNDS_CHAT_ERROR_INVALID_URL when the
 *   endpoint does not pass rounds_endpoint_validate()
 */
RoundsChat *
rounds_chat_new (const RoundsEndpoint  *endpoint,
                 const char            *api_key,
                 GError               **error)
{
  g_autoptr(RoundsChat) self = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (endpoint != NULL, NULL);

  if (!rounds_endpoint_validate (endpoint, &invalid))
    {
      g_set_error_literal (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_INVALID_URL,
                           invalid->message);
      return NULL;
    }

  self = g_object_new (ROUNDS_TYPE_CHAT, NULL);
  self->endpoint = rounds_endpoint_copy (endpoint);
  base = g_strdup (endpoint->base_url);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  self->url = g_strconcat (base, "/chat/completions", NULL);
  if (api_key != NULL && *api_key != '\0')
    self->auth_header = g_strconcat ("Authorization: Bearer ", api_key, NULL);
  if (!(self->curl = _rounds_curl_new ()))
    {
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_UNREACHABLE,
                   _("Cannot set up a connection to %s"), self->url);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const RoundsEndpoint *
rounds_chat_get_endpoint (RoundsChat *self)
{
  g_return_val_if_fail (ROUNDS_IS_CHAT (self), NULL);
  return self->endpoint;
}

/**
 * rounds_chat_set_timeouts:
 * @connect_ms: to open the connection; 0 keeps the default (15 s)
 * @total_ms: for one request and its whole answer; 0 keeps the default (300 s)
 */
void
rounds_chat_set_timeouts (RoundsChat *self,
                          guint       connect_ms,
                          guint       total_ms)
{
  g_return_if_fail (ROUNDS_IS_CHAT (self));

  self->connect_ms = connect_ms ? connect_ms : DEFAULT_CONNECT_MS;
  self->total_ms = total_ms ? total_ms : DEFAULT_TOTAL_MS;
}

/**
 * rounds_chat_set_retries:
 * @max_attempts: requests in all, at least 1; 0 keeps the default (5)
 * @first_delay_ms: the wait before the first retry when the server names none, doubling
 *   after; 0 keeps the default (1 s)
 * @max_delay_ms: the longest wait, also for a longer Retry-After; 0 keeps the default (60 s)
 */
void
rounds_chat_set_retries (RoundsChat *self,
                         guint       max_attempts,
                         guint       first_delay_ms,
                         guint       max_delay_ms)
{
  g_return_if_fail (ROUNDS_IS_CHAT (self));

  self->max_attempts = max_attempts ? max_attempts : DEFAULT_ATTEMPTS;
  self->first_delay_ms = first_delay_ms ? first_delay_ms : DEFAULT_FIRST_DELAY_MS;
  self->max_delay_ms = max_delay_ms ? max_delay_ms : DEFAULT_MAX_DELAY_MS;
}

void
rounds_chat_reply_free (RoundsChatReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->content);
  g_free (reply->refusal);
  g_free (reply->finish_reason);
  g_free (reply->model);
  g_free (reply);
}

const char *
rounds_chat_outcome_to_string (RoundsChatOutcome outcome)
{
  switch (outcome)
    {
    case ROUNDS_CHAT_ANSWERED:
      return "answered";
    case ROUNDS_CHAT_REFUSED:
      return "refused";
    case ROUNDS_CHAT_EMPTY:
      return "empty";
    default:
      g_assert_not_reached ();
    }
}

/* The request ------------------------------------------------------------------------- */

static void
add_message (JsonArray  *messages,
             const char *role,
             const char *content)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "role", role);
  json_object_set_string_member (message, "content", content);
  json_array_add_object_element (messages, message);
}

static char *
request_body (RoundsChat               *self,
              const RoundsChatRequest  *request,
              gboolean                 *has_seed,
              gint64                   *seed)
{
  const RoundsEndpoint *e = self->endpoint;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *system = g_strdup (request->system);
  JsonArray *messages = json_array_new ();

  /* Without response_format, the schema can only be asked for in words. */
  if (request->schema != NULL && !e->response_format)
    {
      g_autoptr(JsonNode) schema = json_node_init_object (json_node_alloc (), request->schema);
      g_autofree char *text = json_to_string (schema, FALSE);
      g_autofree char *ask = g_strdup_printf ("Answer with one JSON object, and nothing else, "
                                              "that follows this JSON schema: %s", text);
      char *joined = system != NULL ? g_strconcat (system, "\n\n", ask, NULL) : g_strdup (ask);

      g_free (system);
      system = joined;
    }
  if (system != NULL)
    add_message (messages, "system", system);
  add_message (messages, "user", request->prompt);

  json_object_set_string_member (body, "model", e->model);
  json_object_set_array_member (body, "messages", messages);
  if (e->has_temperature)
    json_object_set_double_member (body, "temperature", e->temperature);
  if (e->max_tokens > 0)
    json_object_set_int_member (body, "max_tokens", e->max_tokens);
  *has_seed = e->has_seed;
  *seed = e->has_seed ? e->seed + request->sample : 0;
  if (e->has_seed)
    json_object_set_int_member (body, "seed", *seed);
  if (request->schema != NULL && e->response_format)
    {
      JsonObject *format = json_object_new ();
      JsonObject *json_schema = json_object_new ();

      json_object_set_string_member (json_schema, "name",
                                     request->schema_name ? request->schema_name : "answer");
      json_object_set_boolean_member (json_schema, "strict", TRUE);
      json_object_set_object_member (json_schema, "schema", json_object_ref (request->schema));
      json_object_set_string_member (format, "type", "json_schema");
      json_object_set_object_member (format, "json_schema", json_schema);
      json_object_set_object_member (body, "response_format", format);
    }
  if (e->extra_json != NULL)
    {
      g_autoptr(JsonNode) extra = json_from_string (e->extra_json, NULL);

      if (extra != NULL && JSON_NODE_HOLDS_OBJECT (extra))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init (&iter, json_node_get_object (extra));
          while (json_object_iter_next (&iter, &name, &value))
            if (!json_object_has_member (body, name))
              json_object_set_member (body, name, json_node_copy (value));
        }
    }

  root = json_node_init_object (json_node_alloc (), body);
  return json_to_string (root, FALSE);
}

/* libcurl ----------------------------------------------------------------------------- */

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  GString *response = user_data;

  if (response->len + size * n > MAX_ANSWER_BYTES)
    return 0;  /* a write error: an answer this large is no chat completion */
  g_string_append_len (response, data, size * n);
  return size * n;
}

/* Retry-After: seconds, or an HTTP date. */
static size_t
header_cb (char   *data,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  RoundsChat *self = user_data;
  g_autofree char *line = g_strndup (data, size * n);
  char *value;

  if (g_ascii_strncasecmp (line, "Retry-After:", 12) != 0)
    return size * n;
  value = g_strstrip (line + 12);
  if (*value != '\0' && strspn (value, "0123456789") == strlen (value))
    self->retry_after_ms = MIN (g_ascii_strtoll (value, NULL, 10), G_MAXINT32) * 1000;
  else
    {
      time_t when = curl_getdate (value, NULL);

      if (when != -1)
        self->retry_after_ms = MAX (0, ((gint64) when - g_get_real_time () / G_USEC_PER_SEC)
                                       * 1000);
    }
  return size * n;
}

/* What a failed transfer means; *retry says whether another attempt may do better. */
static void
set_curl_error (RoundsChat  *self,
                CURLcode     code,
                gboolean    *retry,
                GError     **error)
{
  const char *detail = self->curl_error[0] ? self->curl_error : curl_easy_strerror (code);
  const char *name = self->endpoint->name;

  *retry = FALSE;
  if (code == CURLE_WRITE_ERROR)
    {
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_BAD_RESPONSE,
                   _("Endpoint “%s” answered with more than %d MiB: that is no chat "
                     "completion"), name, MAX_ANSWER_BYTES / (1024 * 1024));
      return;
    }
  switch (_rounds_curl_failure (code))
    {
    case ROUNDS_CURL_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      break;
    case ROUNDS_CURL_UNREACHABLE:
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_UNREACHABLE,
                   _("Cannot reach endpoint “%s” at %s: %s"), name, self->url, detail);
      break;
    case ROUNDS_CURL_TLS:
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_TLS,
                   _("The certificate of endpoint “%s” (%s) cannot be verified (%s). If your "
                     "organisation has its own certificate authority, give its certificate "
                     "file (--cacert)"), name, self->url, detail);
      break;
    case ROUNDS_CURL_INVALID_URL:
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_INVALID_URL,
                   _("Endpoint “%s”: %s cannot be used: %s"), name, self->url, detail);
      break;
    case ROUNDS_CURL_TIMEOUT:
    case ROUNDS_CURL_BAD_RESPONSE:
    case ROUNDS_CURL_INTERRUPTED:
    default:
      /* A reset, an empty reply, a body cut short, a timeout: the next try may work. */
      *retry = TRUE;
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_INTERRUPTED,
                   _("The connection to endpoint “%s” (%s) broke off: %s"), name, self->url,
                   detail);
      break;
    }
}

/* The server's reason in an error answer: {"error": {"message": …}}, {"error": "…"}, or
 * the start of the text. */
static char *
error_reason (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *err = json_object_get_member (json_node_get_object (node), "error");

      if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonNode *message = json_object_get_member (json_node_get_object (err), "message");

          if (message != NULL && JSON_NODE_HOLDS_VALUE (message) &&
              json_node_get_value_type (message) == G_TYPE_STRING)
            return g_utf8_make_valid (json_node_get_string (message), -1);
        }
      else if (err != NULL && JSON_NODE_HOLDS_VALUE (err) &&
               json_node_get_value_type (err) == G_TYPE_STRING)
        return g_utf8_make_valid (json_node_get_string (err), -1);
    }
  if (text != NULL && *text != '\0')
    return g_utf8_make_valid (text, MIN (strlen (text), 200));
  return g_strdup (_("no reason given"));
}

static void
set_status_error (RoundsChat  *self,
                  long         status,
                  gboolean    *retry,
                  GError     **error)
{
  g_autofree char *reason = error_reason (self->response->str);
  const char *name = self->endpoint->name;

  *retry = FALSE;
  if (status == 429)
    {
      *retry = TRUE;
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_RATE_LIMITED,
                   _("Endpoint “%s” limits the rate of requests (HTTP 429): %s"), name, reason);
    }
  else if (status >= 500)
    {
      *retry = TRUE;
      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_SERVER,
                   _("Endpoint “%s” failed (HTTP %ld): %s"), name, status, reason);
    }
  else if (status == 401 || status == 403)
    {
      g_autofree char *env = rounds_endpoint_key_env_name (name);

      g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_UNAUTHORIZED,
                   self->auth_header == NULL
                   ? _("Endpoint “%s” needs a key (HTTP %ld: %s): set %s, or save the key "
                       "in the app")
                   : _("Endpoint “%s” did not take the key (HTTP %ld: %s): check %s, or the "
                       "key saved in the app"),
                   name, status, reason, env);
    }
  else
    g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_REFUSED_REQUEST,
                 _("Endpoint “%s” refused the request (HTTP %ld): %s"), name, status, reason);
}

/* One request; on an error *retry says whether to try again. */
static gboolean
perform (RoundsChat    *self,
         const char    *body,
         GCancellable  *cancellable,
         gint64        *latency_ms,
         gboolean      *retry,
         GError       **error)
{
  struct curl_slist *headers = NULL;
  long status = 0;
  gint64 start;
  CURLcode rc;

  *retry = FALSE;
  g_string_truncate (self->response, 0);
  self->curl_error[0] = '\0';
  self->retry_after_ms = -1;

  curl_easy_reset (self->curl);
  _rounds_curl_setup (self->curl, self->url, self->connect_ms, self->total_ms, self->curl_error,
                      self->response, cancellable);
  if (self->endpoint->ca_file != NULL)
    curl_easy_setopt (self->curl, CURLOPT_CAINFO, self->endpoint->ca_file);
  curl_easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (self->curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (self->curl, CURLOPT_HEADERDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (body));
  curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, body);

  headers = curl_slist_append (headers, "Accept: application/json");
  headers = curl_slist_append (headers, "Content-Type: application/json");
  headers = curl_slist_append (headers, "Expect:");
  if (self->auth_header != NULL)
    headers = curl_slist_append (headers, self->auth_header);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);

  g_debug ("POST %s (%zu bytes)", self->url, strlen (body));
  start = g_get_monotonic_time ();
  rc = curl_easy_perform (self->curl);
  *latency_ms = (g_get_monotonic_time () - start) / 1000;
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &status);
  /* The list holds the key: wipe it before it is freed. */
  for (struct curl_slist *h = headers; h != NULL; h = h->next)
    for (volatile char *p = h->data; *p != '\0'; p++)
      *p = '\0';
  curl_slist_free_all (headers);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, NULL);

  if (rc != CURLE_OK)
    {
      set_curl_error (self, rc, retry, error);
      return FALSE;
    }
  if (status < 200 || status >= 300)
    {
      set_status_error (self, status, retry, error);
      return FALSE;
    }
  return TRUE;
}

/* Waits @ms, or until @cancellable is cancelled. */
static gboolean
wait_cancellable (gint64         ms,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (MIN (50 * 1000, MAX (0, until - g_get_monotonic_time ())));
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* The answer ------------------------------------------------------------------------- */

static gboolean
bad_answer (RoundsChat  *self,
            GError     **error,
            const char  *what)
{
  g_set_error (error, ROUNDS_CHAT_ERROR, ROUNDS_CHAT_ERROR_BAD_RESPONSE,
               _("Endpoint “%s” did not answer with a chat completion: %s"),
               self->endpoint->name, what);
  return FALSE;
}

/* Member @name of @object if it is of @type (JSON_NODE_NULL for absent or null is
 * returned as %NULL); *wrong when it is there with another type. */
static JsonNode *
member (JsonObject   *object,
        const char   *name,
        JsonNodeType  type,
        gboolean     *wrong)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_node_type (node) != type)
    {
      *wrong = TRUE;
      return NULL;
    }
  return node;
}

static gboolean
string_member (JsonObject  *object,
               const char  *name,
               char       **out,
               gboolean    *wrong)
{
  JsonNode *node = member (object, name, JSON_NODE_VALUE, wrong);

  if (node != NULL && json_node_get_value_type (node) != G_TYPE_STRING)
    *wrong = TRUE;
  else if (node != NULL)
    *out = g_utf8_make_valid (json_node_get_string (node), -1);
  return !*wrong;
}

static gint64
count_member (JsonObject  *usage,
              const char  *name,
              gboolean    *wrong)
{
  JsonNode *node = member (usage, name, JSON_NODE_VALUE, wrong);
  GType type;

  if (node == NULL)
    return -1;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64 && json_node_get_int (node) >= 0)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE && json_node_get_double (node) >= 0 &&
      json_node_get_double (node) < 1e15)
    return (gint64) json_node_get_double (node);
  *wrong = TRUE;
  return -1;
}

/* "content" is a string, or (some servers) an array of parts with "text". */
static gboolean
read_content (JsonObject  *message,
              char       **content,
              gboolean    *wrong)
{
  JsonNode *node = json_object_get_member (message, "content");
  GString *text;
  JsonArray *parts;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || JSON_NODE_HOLDS_VALUE (node))
    return string_member (message, "content", content, wrong);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return !(*wrong = TRUE);

  parts = json_node_get_array (node);
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part = json_array_get_element (parts, i);
      g_autofree char *piece = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (part) ||
          !string_member (json_node_get_object (part), "text", &piece, wrong))
        {
          *wrong = TRUE;
          break;
        }
      if (piece != NULL)
        g_string_append (text, piece);
    }
  *content = g_string_free (text, *wrong);
  return !*wrong;
}

static gboolean
parse_answer (RoundsChat       *self,
              RoundsChatReply  *reply,
              GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root, *choice, *message, *usage = NULL;
  JsonNode *node, *choices_node;
  JsonArray *choices;
  gboolean wrong = FALSE;
  g_autofree char *content = NULL;

  if (!json_parser_load_from_data (parser, self->response->str, self->response->len,
                                   &parse_error))
    {
      g_autofree char *what = g_strdup_printf (_("it is not JSON (%s)"), parse_error->message);
      return bad_answer (self, error, what);
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_answer (self, error, _("it is not a JSON object"));
  root = json_node_get_object (node);

  choices_node = member (root, "choices", JSON_NODE_ARRAY, &wrong);
  if (choices_node == NULL || json_array_get_length (json_node_get_array (choices_node)) == 0)
    return bad_answer (self, error, _("“choices” is not a list of at least one choice"));
  choices = json_node_get_array (choices_node);
  node = json_array_get_element (choices, 0);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_answer (self, error, _("the first choice is not an object"));
  choice = json_node_get_object (node);
  if (!(node = member (choice, "message", JSON_NODE_OBJECT, &wrong)))
    return bad_answer (self, error, _("the first choice has no “message” object"));
  message = json_node_get_object (node);

  if (!read_content (message, &content, &wrong))
    return bad_answer (self, error, _("“content” is neither text nor a list of text parts"));
  if (!string_member (message, "refusal", &reply->refusal, &wrong))
    return bad_answer (self, error, _("“refusal” is not text"));
  if (!string_member (choice, "finish_reason", &reply->finish_reason, &wrong))
    return bad_answer (self, error, _("“finish_reason” is not text"));
  if (!string_member (root, "model", &reply->model, &wrong))
    return bad_answer (self, error, _("“model” is not text"));
  if ((node = member (root, "usage", JSON_NODE_OBJECT, &wrong)))
    usage = json_node_get_object (node);
  if (wrong)
    return bad_answer (self, error, _("“usage” is not an object"));
  reply->prompt_tokens = count_member (usage, "prompt_tokens", &wrong);
  reply->completion_tokens = count_member (usage, "completion_tokens", &wrong);
  reply->total_tokens = count_member (usage, "total_tokens", &wrong);
  if (wrong)
    return bad_answer (self, error, _("a token count in “usage” is not a whole number"));

  if (reply->model == NULL)
    reply->model = g_strdup (self->endpoint->model);
  reply->content = content != NULL ? g_steal_pointer (&content) : g_strdup ("");
  if (reply->refusal != NULL && *g_strstrip (reply->refusal) == '\0')
    g_clear_pointer (&reply->refusal, g_free);

  if (reply->refusal != NULL || g_strcmp0 (reply->finish_reason, "content_filter") == 0)
    {
      reply->outcome = ROUNDS_CHAT_REFUSED;
      if (reply->refusal == NULL)
        reply->refusal = g_strdup (_("the server's content filter stopped the answer"));
    }
  else
    {
      g_autofree char *stripped = g_strstrip (g_strdup (reply->content));

      reply->outcome = *stripped == '\0' ? ROUNDS_CHAT_EMPTY : ROUNDS_CHAT_ANSWERED;
    }
  return TRUE;
}

/**
 * rounds_chat_complete:
 *
 * Asks the endpoint for one chat completion, retrying a 429, a 5xx and a broken
 * connection up to the set number of attempts. Blocks: call it from a worker thread.
 *
 * Returns: (transfer full): the reply (answered, refused or empty), or %NULL with a
 *   %ROUNDS_CHAT_ERROR (or %G_IO_ERROR_CANCELLED)
 */
RoundsChatReply *
rounds_chat_complete (RoundsChat               *self,
                      const RoundsChatRequest  *request,
                      GCancellable             *cancellable,
                      GError                  **error)
{
  g_autoptr(RoundsChatReply) reply = NULL;
  g_autofree char *body = NULL;
  gint64 delay_ms;

  g_return_val_if_fail (ROUNDS_IS_CHAT (self), NULL);
  g_return_val_if_fail (request != NULL && request->prompt != NULL, NULL);

  reply = g_new0 (RoundsChatReply, 1);
  body = request_body (self, request, &reply->has_seed, &reply->seed);
  delay_ms = self->first_delay_ms;

  for (reply->attempts = 1; ; reply->attempts++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean retry = FALSE;
      gint64 wait_ms;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (perform (self, body, cancellable, &reply->latency_ms, &retry, &local_error))
        break;
      if (!retry || reply->attempts >= self->max_attempts)
        {
          if (retry)
            g_prefix_error (&local_error, ngettext ("After %u attempt: ", "After %u attempts: ",
                                                    reply->attempts), reply->attempts);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      wait_ms = self->retry_after_ms >= 0 ? self->retry_after_ms
                                          : delay_ms + g_random_int_range (0, delay_ms / 4 + 1);
      wait_ms = MIN (wait_ms, (gint64) self->max_delay_ms);
      delay_ms = MIN (delay_ms * 2, (gint64) self->max_delay_ms);
      g_debug ("%s; trying again in %" G_GINT64_FORMAT " ms", local_error->message, wait_ms);
      if (!wait_cancellable (wait_ms, cancellable, error))
        return NULL;
      reply->waited_ms += wait_ms;
    }

  if (!parse_answer (self, reply, error))
    return NULL;
  return g_steal_pointer (&reply);
}
