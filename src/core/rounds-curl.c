/* rounds-curl.c: what the HTTP clients of Rounds (curation store, chat completions) do alike
 * with libcurl
 *
 * TLS is always verified; no redirect is followed; only http and https; the answer goes into
 * a GString; a GCancellable stops a transfer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-curl"

#include "config.h"

#include "rounds-curl-private.h"

static gpointer
init_curl (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

/* A new easy handle, libcurl set up once per process first. */
CURL *
_rounds_curl_new (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_curl, NULL);
  return curl_easy_init ();
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  GString *response = user_data;

  g_string_append_len (response, data, size * n);
  return size * n;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

/* The options every request of Rounds has: the answer is appended to @response, a libcurl
 * message goes to @error_buffer (CURL_ERROR_SIZE), @cancellable aborts the transfer. */
void
_rounds_curl_setup (CURL          *curl,
                    const char    *url,
                    guint          connect_ms,
                    guint          total_ms,
                    char          *error_buffer,
                    GString       *response,
                    GCancellable  *cancellable)
{
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) connect_ms);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) total_ms);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "Rounds/" PACKAGE_VERSION);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, response);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, cancellable ? 0L : 1L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, cancellable);
}

RoundsCurlFailure
_rounds_curl_failure (CURLcode code)
{
  switch (code)
    {
    case CURLE_ABORTED_BY_CALLBACK:
      return ROUNDS_CURL_CANCELLED;
    case CURLE_OPERATION_TIMEDOUT:
      return ROUNDS_CURL_TIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return ROUNDS_CURL_UNREACHABLE;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return ROUNDS_CURL_TLS;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ROUNDS_CURL_INVALID_URL;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return ROUNDS_CURL_BAD_RESPONSE;
    default:
      return ROUNDS_CURL_INTERRUPTED;
    }
}
