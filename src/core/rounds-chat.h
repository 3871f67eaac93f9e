/* rounds-chat.h: a client of OpenAI-compatible chat-completions servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rounds-endpoint.h"

G_BEGIN_DECLS

#define ROUNDS_CHAT_ERROR (rounds_chat_error_quark ())

/**
 * RoundsChatError:
 * @ROUNDS_CHAT_ERROR_INVALID_URL: the endpoint's base URL cannot be used
 * @ROUNDS_CHAT_ERROR_UNREACHABLE: no connection: offline, wrong address, server down
 * @ROUNDS_CHAT_ERROR_TLS: the server's certificate cannot be verified: give its CA file
 * @ROUNDS_CHAT_ERROR_INTERRUPTED: the connection broke off or timed out, on every attempt
 * @ROUNDS_CHAT_ERROR_UNAUTHORIZED: the key is missing or wrong (401, 403)
 * @ROUNDS_CHAT_ERROR_RATE_LIMITED: the server said 429 on every attempt
 * @ROUNDS_CHAT_ERROR_SERVER: the server failed (5xx) on every attempt
 * @ROUNDS_CHAT_ERROR_REFUSED_REQUEST: the server refused the request (another 4xx: an
 *   unknown model, a parameter it does not take); the message has its reason
 * @ROUNDS_CHAT_ERROR_BAD_RESPONSE: the answer is not a chat completion (not JSON, or a
 *   member of the wrong type)
 *
 * What happened, in terms a person can act on. Cancellation is %G_IO_ERROR_CANCELLED. A
 * refusal or an empty answer is not an error: it is a #RoundsChatReply with its outcome.
 */
typedef enum
{
  ROUNDS_CHAT_ERROR_INVALID_URL,
  ROUNDS_CHAT_ERROR_UNREACHABLE,
  ROUNDS_CHAT_ERROR_TLS,
  ROUNDS_CHAT_ERROR_INTERRUPTED,
  ROUNDS_CHAT_ERROR_UNAUTHORIZED,
  ROUNDS_CHAT_ERROR_RATE_LIMITED,
  ROUNDS_CHAT_ERROR_SERVER,
  ROUNDS_CHAT_ERROR_REFUSED_REQUEST,
  ROUNDS_CHAT_ERROR_BAD_RESPONSE,
} RoundsChatError;

/**
 * RoundsChatOutcome:
 * @ROUNDS_CHAT_ANSWERED: the model answered (perhaps cut short: see the finish reason)
 * @ROUNDS_CHAT_REFUSED: the model refused ("refusal" in the message, or finish reason
 *   "content_filter"); the reply's refusal says why
 * @ROUNDS_CHAT_EMPTY: the answer is empty (no content, or only white space)
 */
typedef enum
{
  ROUNDS_CHAT_ANSWERED,
  ROUNDS_CHAT_REFUSED,
  ROUNDS_CHAT_EMPTY,
} RoundsChatOutcome;

/**
 * RoundsChatRequest:
 * @system: (nullable): the system message
 * @prompt: the user message
 * @schema: (nullable): a JSON schema the answer must follow: sent as "response_format"
 *   (type "json_schema", strict) when the endpoint takes it, else only described in the
 *   system message; the caller checks the answer either way
 * @schema_name: (nullable): the schema's name in "response_format" ("answer" if %NULL)
 * @sample: the sample number: added to the endpoint's seed, if it has one
 */
typedef struct
{
  const char *system;
  const char *prompt;
  JsonObject *schema;
  const char *schema_name;
  guint       sample;
} RoundsChatRequest;

/**
 * RoundsChatReply:
 * @outcome: answered, refused or empty
 * @content: the answer's text ("" when there is none)
 * @refusal: (nullable): the model's reason, when it refused
 * @finish_reason: (nullable): "stop", "length", "content_filter", … as the server said
 * @model: the model the server says answered, else the endpoint's
 * @prompt_tokens: -1 when the server did not say
 * @completion_tokens: -1 when the server did not say
 * @total_tokens: -1 when the server did not say
 * @has_seed: whether a seed was sent
 * @seed: the seed sent
 * @latency_ms: from sending the request that succeeded to its whole answer
 * @attempts: how many requests it took (retries of 429, 5xx and broken connections)
 * @waited_ms: how long it waited between attempts
 */
typedef struct
{
  RoundsChatOutcome  outcome;
  char              *content;
  char              *refusal;
  char              *finish_reason;
  char              *model;
  gint64             prompt_tokens;
  gint64             completion_tokens;
  gint64             total_tokens;
  gboolean           has_seed;
  gint64             seed;
  gint64             latency_ms;
  guint              attempts;
  gint64             waited_ms;
} RoundsChatReply;

#define ROUNDS_TYPE_CHAT (rounds_chat_get_type ())

G_DECLARE_FINAL_TYPE (RoundsChat, rounds_chat, ROUNDS, CHAT, GObject)

GQuark           rounds_chat_error_quark    (void);

RoundsChat      *rounds_chat_new            (const RoundsEndpoint     *endpoint,
                                             const char               *api_key,
                                             GError                  **error);
const RoundsEndpoint *rounds_chat_get_endpoint (RoundsChat            *self);
void             rounds_chat_set_timeouts   (RoundsChat               *self,
                                             guint                     connect_ms,
                                             guint                     total_ms);
void             rounds_chat_set_retries    (RoundsChat               *self,
                                             guint                     max_attempts,
                                             guint                     first_delay_ms,
                                             guint                     max_delay_ms);
RoundsChatReply *rounds_chat_complete       (RoundsChat               *self,
                                             const RoundsChatRequest  *request,
                                             GCancellable             *cancellable,
                                             GError                  **error);

void             rounds_chat_reply_free     (RoundsChatReply          *reply);
const char      *rounds_chat_outcome_to_string (RoundsChatOutcome      outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsChatReply, rounds_chat_reply_free)

G_END_DECLS
