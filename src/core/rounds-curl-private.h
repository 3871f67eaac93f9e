/* rounds-curl-private.h: what the HTTP clients of Rounds (curation store, chat completions)
 * do alike with libcurl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <curl/curl.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* What a failed transfer means to a person, whichever server it was. */
typedef enum
{
  ROUNDS_CURL_CANCELLED,     /* the cancellable stopped it */
  ROUNDS_CURL_TIMEOUT,       /* no answer in time: what the server did is unknown */
  ROUNDS_CURL_UNREACHABLE,   /* no connection */
  ROUNDS_CURL_TLS,           /* the certificate cannot be verified */
  ROUNDS_CURL_INVALID_URL,   /* the address cannot be used */
  ROUNDS_CURL_BAD_RESPONSE,  /* the answer is not HTTP as it should be */
  ROUNDS_CURL_INTERRUPTED,   /* sent, maybe acted on: a reset, an empty reply, a body cut short */
} RoundsCurlFailure;

CURL              *_rounds_curl_new       (void);
void               _rounds_curl_setup     (CURL          *curl,
                                           const char    *url,
                                           guint          connect_ms,
                                           guint          total_ms,
                                           char          *error_buffer,
                                           GString       *response,
                                           GCancellable  *cancellable);
RoundsCurlFailure  _rounds_curl_failure   (CURLcode       code);

G_END_DECLS
