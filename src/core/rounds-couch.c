/* rounds-couch.c: a small client of the CouchDB HTTP API, for the curation store
 *
 * One client is one database URL and one libcurl easy handle, reused for every request so
 * that the connection, its TLS session and the session cookie are reused too. A client is
 * used from one thread at a time; a sync thread makes its own.
 *
 * The password is kept only in memory and wiped when the client goes: no URL, message or
 * log line of this file contains it. Where the server offers a cookie session (CouchDB and
 * pouchdb-server do), it is sent once, to `POST /_session`, and the AuthSession cookie
 * authenticates the requests after it; the session is opened again when the server has let
 * it expire. A server without one gets the password with every request (basic auth).
 *
 * A wrong password is never tried twice: CouchDB locks an account out after a few failed
 * logins from one address, so one request per failed attempt is all a client may cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-couch"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-couch-private.h"
#include "rounds-curl-private.h"
#include "rounds-json-scan-private.h"
#include "rounds-util-private.h"

#define DEFAULT_CONNECT_MS  (15 * 1000)
#define DEFAULT_TOTAL_MS    (180 * 1000)

typedef enum
{
  AUTH_NONE,              /* no session yet: the first request opens one */
  AUTH_COOKIE,            /* logged in: curl's cookie jar has the AuthSession cookie */
  AUTH_BASIC,             /* the server has no cookie session: the password goes each time */
  AUTH_REFUSED,           /* the server refused the password: it is not sent again */
} AuthMode;

struct _RoundsCouch
{
  GObject   parent_instance;

  CURL     *curl;
  char     *url;          /* the database, without credentials: what messages show */
  char     *server_url;   /* the server root, ending in '/' */
  char     *db_name;      /* decoded */
  char     *db_segment;   /* encoded, as it goes into a URL */
  char     *user;
  char     *password;
  char     *ca_file;
  guint     connect_ms;
  guint     total_ms;
  guint     n_connections;
  guint     n_logins;
  AuthMode  auth;
  GError   *refusal;      /* why, in AUTH_REFUSED */
  GString  *response;
  char      curl_error[CURL_ERROR_SIZE];
};

G_DEFINE_FINAL_TYPE (RoundsCouch, rounds_couch, G_TYPE_OBJECT)

/* Set by tests only: see rounds-couch-private.h. */
static RoundsCouchTransport transport;
static gpointer transport_data;

G_DEFINE_QUARK (rounds-couch-error-quark, rounds_couch_error)

/**
 * rounds_couch_password_free:
 * @password: (nullable): a password, or a URL that may hold one
 *
 * Overwrites @password before freeing it, so that it does not linger in freed memory. The
 * stores go through a volatile pointer, so the compiler cannot drop them as dead.
 */
void
rounds_couch_password_free (char *password)
{
  for (volatile char *p = password; p != NULL && *p != '\0'; p++)
    *p = '\0';
  g_free (password);
}

static void
rounds_couch_finalize (GObject *object)
{
  RoundsCouch *self = (RoundsCouch *)object;

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->password, rounds_couch_password_free);
  g_clear_error (&self->refusal);
  g_free (self->user);
  g_free (self->url);
  g_free (self->server_url);
  g_free (self->db_name);
  g_free (self->db_segment);
  g_free (self->ca_file);
  g_string_free (self->response, TRUE);

  G_OBJECT_CLASS (rounds_couch_parent_class)->finalize (object);
}

static void
rounds_couch_class_init (RoundsCouchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_couch_finalize;
}

static void
rounds_couch_init (RoundsCouch *self)
{
  self->response = g_string_new (NULL);
  self->connect_ms = DEFAULT_CONNECT_MS;
  self->total_ms = DEFAULT_TOTAL_MS;
}

/**
 * rounds_couch_error_is_unknown_outcome:
 *
 * Whether the request may or may not have been carried out: a timeout, a connection that
 * broke off, or a server error. A write that failed so must be resent, which is safe only
 * because every write of Rounds is idempotent.
 */
gboolean
rounds_couch_error_is_unknown_outcome (const GError *error)
{
  return error != NULL && error->domain == ROUNDS_COUCH_ERROR &&
         (error->code == ROUNDS_COUCH_ERROR_TIMEOUT ||
          error->code == ROUNDS_COUCH_ERROR_INTERRUPTED ||
          error->code == ROUNDS_COUCH_ERROR_SERVER);
}

/* CouchDB's rule for database names, and its system databases. */
static gboolean
db_name_is_valid (const char *name)
{
  if (g_strcmp0 (name, "_users") == 0 || g_strcmp0 (name, "_replicator") == 0)
    return TRUE;
  if (name == NULL || !g_ascii_islower (*name))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("_$()+-/", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
set_invalid_url (GError     **error,
                 const char  *url,
                 const char  *why)
{
  g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INVALID_URL,
               _("“%s” is not the address of a curation store database: %s"), url, why);
  return FALSE;
}

/* Splits @url into the server root, the database and any credentials. */
static gboolean
parse_url (RoundsCouch  *self,
           const char   *url,
           GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *display = NULL;
  char *scheme = NULL, *user = NULL, *password = NULL, *part = NULL, *root = NULL;
  CURLU *handle = curl_url ();
  gboolean ok = FALSE;
  char *slash;

  if (curl_url_set (handle, CURLUPART_URL, url, 0) != CURLUE_OK)
    {
      /* The message must not repeat a password that came inside the URL. */
      set_invalid_url (error, "…", _("expected https://HOST[:PORT]/DATABASE"));
      goto out;
    }

  curl_url_get (handle, CURLUPART_USER, &user, CURLU_URLDECODE);
  curl_url_get (handle, CURLUPART_PASSWORD, &password, CURLU_URLDECODE);
  curl_url_set (handle, CURLUPART_USER, NULL, 0);
  curl_url_set (handle, CURLUPART_PASSWORD, NULL, 0);
  curl_url_set (handle, CURLUPART_QUERY, NULL, 0);
  curl_url_set (handle, CURLUPART_FRAGMENT, NULL, 0);
  curl_url_get (handle, CURLUPART_URL, &part, 0);
  display = g_strdup (part);
  curl_free (part);
  part = NULL;

  curl_url_get (handle, CURLUPART_SCHEME, &scheme, 0);
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      set_invalid_url (error, display, _("only https:// and http:// are supported"));
      goto out;
    }

  curl_url_get (handle, CURLUPART_PATH, &part, 0);
  path = g_strdup (part ? part : "/");
  curl_free (part);
  part = NULL;
  while (strlen (path) > 1 && g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  slash = strrchr (path, '/');
  if (slash == NULL || slash[1] == '\0')
    {
      set_invalid_url (error, display, _("it names no database: add one, as in "
                                         "https://couch.example.org/ethics-study"));
      goto out;
    }

  self->db_segment = g_strdup (slash + 1);
  self->db_name = g_uri_unescape_string (self->db_segment, NULL);
  if (!db_name_is_valid (self->db_name))
    {
      set_invalid_url (error, display,
                       _("a database name starts with a lower-case letter and has only "
                         "lower-case letters, digits and _$()+-/"));
      goto out;
    }
  g_clear_pointer (&self->db_segment, g_free);
  self->db_segment = g_uri_escape_string (self->db_name, "$()+-_", FALSE);

  prefix = g_strndup (path, slash - path + 1);
  curl_url_set (handle, CURLUPART_PATH, prefix, 0);
  curl_url_get (handle, CURLUPART_URL, &root, 0);
  self->server_url = g_str_has_suffix (root, "/") ? g_strdup (root) : g_strconcat (root, "/", NULL);
  self->url = g_strconcat (self->server_url, self->db_segment, NULL);

  if (user != NULL && *user != '\0')
    rounds_couch_set_credentials (self, user, password ? password : "");
  ok = TRUE;

out:
  if (password != NULL)
    {
      memset (password, 0, strlen (password));
      curl_free (password);
    }
  curl_free (user);
  curl_free (scheme);
  curl_free (root);
  curl_url_cleanup (handle);
  return ok;
}

/**
 * rounds_couch_new:
 * @url: the database, `https://HOST[:PORT][/PREFIX]/DATABASE`; credentials in it
 *   (`https://USER:PASSWORD@HOST/…`) are taken out and used as if set with
 *   rounds_couch_set_credentials()
 *
 * Returns: (transfer full): a client, or %NULL with %ROUNDS_COUCH_ERROR_INVALID_URL
 */
RoundsCouch *
rounds_couch_new (const char  *url,
                  GError     **error)
{
  g_autoptr(RoundsCouch) self = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_COUCH, NULL);
  if (!parse_url (self, url, error))
    return NULL;
  if (!(self->curl = _rounds_curl_new ()))
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE,
                   _("Cannot set up a connection to %s"), self->url);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
rounds_couch_get_url (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return self->url;
}

const char *
rounds_couch_get_server_url (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return self->server_url;
}

const char *
rounds_couch_get_db_name (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return self->db_name;
}

/* The user the requests are made as, or %NULL when anonymous. */
const char *
rounds_couch_get_user (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return self->user;
}

/**
 * rounds_couch_set_credentials:
 * @user: (nullable): %NULL for anonymous requests
 *
 * Basic authentication on every request; libcurl's cookie engine also keeps the session
 * cookie CouchDB 3.4 answers with.
 */
void
rounds_couch_set_credentials (RoundsCouch *self,
                              const char  *user,
                              const char  *password)
{
  g_return_if_fail (ROUNDS_IS_COUCH (self));

  g_free (self->user);
  self->user = g_strdup (user);
  g_clear_pointer (&self->password, rounds_couch_password_free);
  self->password = user != NULL ? g_strdup (password ? password : "") : NULL;
  /* A session of the user before is not this one's; a refusal was of other credentials. */
  self->auth = AUTH_NONE;
  g_clear_error (&self->refusal);
  if (self->curl != NULL)
    curl_easy_setopt (self->curl, CURLOPT_COOKIELIST, "ALL");
}

/* A PEM file of the certificate authorities to trust instead of the system's. */
void
rounds_couch_set_ca_file (RoundsCouch *self,
                          const char  *ca_file)
{
  g_return_if_fail (ROUNDS_IS_COUCH (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * rounds_couch_set_timeouts:
 * @connect_ms: to open the connection; 0 keeps the default (15 s)
 * @total_ms: for a whole request and its answer; 0 keeps the default (180 s)
 */
void
rounds_couch_set_timeouts (RoundsCouch *self,
                           guint        connect_ms,
                           guint        total_ms)
{
  g_return_if_fail (ROUNDS_IS_COUCH (self));

  self->connect_ms = connect_ms ? connect_ms : DEFAULT_CONNECT_MS;
  self->total_ms = total_ms ? total_ms : DEFAULT_TOTAL_MS;
}

/* How many times the client sent the password to `POST /_session` (failed logins too). */
guint
rounds_couch_get_n_logins (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), 0);
  return self->n_logins;
}

/* How many connections the client has opened so far: one while it can reuse it. */
guint
rounds_couch_get_n_connections (RoundsCouch *self)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), 0);
  return self->n_connections;
}

/* Requests -------------------------------------------------------------------------- */

/* The request URL without credentials: "/x" is under the server root, "x" under the
 * database, "" the database itself. */
static char *
request_url (RoundsCouch *self,
             const char  *path)
{
  if (path == NULL || *path == '\0')
    return g_strdup (self->url);
  if (*path == '/')
    return g_strconcat (self->server_url, path + 1, NULL);
  return g_strconcat (self->url, "/", path, NULL);
}

/* Whether the last request reached the server over TCP but its TLS handshake never
 * finished. */
static gboolean
tls_never_began (RoundsCouch *self,
                 const char  *url)
{
  curl_off_t tls_us = 0;
  long connects = 0;

  if (g_ascii_strncasecmp (url, "https:", strlen ("https:")) != 0)
    return FALSE;
  curl_easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo (self->curl, CURLINFO_APPCONNECT_TIME_T, &tls_us);
  return connects > 0 && tls_us == 0;
}

static gboolean
set_curl_error (RoundsCouch  *self,
                CURLcode      code,
                const char   *url,
                GError      **error)
{
  const char *detail = self->curl_error[0] ? self->curl_error : curl_easy_strerror (code);

  switch (_rounds_curl_failure (code))
    {
    case ROUNDS_CURL_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sync was cancelled"));
      break;
    case ROUNDS_CURL_TIMEOUT:
      if (tls_never_began (self, url))
        {
          /* CouchDB takes a TLS greeting for a request that never ends and waits: nothing
           * was sent, so this is no unknown outcome but an address to correct. */
          g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TLS,
                       _("No secure connection to %s: the server did not answer the TLS "
                         "handshake (%s). Does it serve https:// on that port?"),
                       self->url, detail);
          break;
        }
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TIMEOUT,
                   _("No answer from %s in time (%s); what it did with the request is unknown"),
                   url, detail);
      break;
    case ROUNDS_CURL_UNREACHABLE:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE,
                   _("Cannot reach the curation store at %s: %s"), self->url, detail);
      break;
    case ROUNDS_CURL_TLS:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TLS,
                   _("The certificate of %s cannot be verified (%s). If your organisation "
                     "has its own certificate authority, give its certificate file "
                     "(--cacert)"), self->url, detail);
      break;
    case ROUNDS_CURL_INVALID_URL:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INVALID_URL,
                   _("“%s” is not the address of a curation store database: %s"), url, detail);
      break;
    case ROUNDS_CURL_BAD_RESPONSE:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: %s"), self->url, detail);
      break;
    case ROUNDS_CURL_INTERRUPTED:
    default:
      /* Sent, maybe received and acted on: a reset, an empty reply, a body cut short. */
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INTERRUPTED,
                   _("The connection to %s broke off (%s); what the server did with the "
                     "request is unknown"),
                   self->url, detail);
      break;
    }
  return FALSE;
}

static char *
reason_of (JsonNode   *node,
           const char *text)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *err = _rounds_json_get_string (object, "error");
      const char *reason = _rounds_json_get_string (object, "reason");

      if (reason != NULL && *reason != '\0')
        return g_strdup (reason);
      if (err != NULL)
        return g_strdup (err);
    }
  if (text != NULL && *text != '\0')
    return g_utf8_make_valid (text, MIN (strlen (text), 200));
  return g_strdup (_("no reason given"));
}

static void
set_status_error (RoundsCouch  *self,
                  guint         status,
                  const char   *url,
                  JsonNode     *node,
                  GError      **error)
{
  g_autofree char *reason = reason_of (node, self->response->str);

  switch (status)
    {
    case 401:
      if (self->user == NULL)
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED,
                     _("The curation store at %s needs a user name and password"), self->url);
      else
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED,
                     _("Wrong user name or password for “%s” at %s"), self->user, self->url);
      break;
    case 403:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN,
                   _("No permission: %s refused “%s”: %s"), self->url,
                   self->user ? self->user : _("an anonymous user"), reason);
      break;
    case 404:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND,
                   _("Not found: %s (%s)"), url, reason);
      break;
    case 409:
    case 412:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_CONFLICT,
                   _("Conflict at %s: %s"), url, reason);
      break;
    case 413:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TOO_LARGE,
                   _("The request is too large for %s: %s"), self->url, reason);
      break;
    case 400:
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_REQUEST,
                   _("%s refused the request as malformed: %s"), url, reason);
      break;
    default:
      if (status >= 500)
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_SERVER,
                     _("The curation store at %s failed: %s (HTTP %u)"), self->url, reason, status);
      else
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                     _("Unexpected answer from %s: HTTP %u, %s"), url, status, reason);
      break;
    }
}

/* A 401 is a wrong password, or (on pouchdb-server, where CouchDB 3 says 403) a right one
 * that is not a member of the database. /_session tells them apart. */
static void
refine_unauthorized (RoundsCouch   *self,
                     const char    *url,
                     JsonNode      *node,
                     guint         *status,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *reason = reason_of (node, self->response->str);
  g_autoptr(JsonNode) session = rounds_couch_request (self, "GET", "/_session", NULL, NULL,
                                                      cancellable, NULL);
  JsonObject *user_ctx = NULL;

  if (session != NULL && JSON_NODE_HOLDS_OBJECT (session))
    {
      JsonNode *ctx = json_object_get_member (json_node_get_object (session), "userCtx");

      if (ctx != NULL && JSON_NODE_HOLDS_OBJECT (ctx))
        user_ctx = json_node_get_object (ctx);
    }
  if (status)
    *status = 401;
  if (user_ctx != NULL &&
      g_strcmp0 (_rounds_json_get_string (user_ctx, "name"), self->user) == 0)
    g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN,
                 _("No permission: %s refused “%s”: %s"), self->url, self->user, reason);
  else
    g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED,
                 _("Wrong user name or password for “%s” at %s"), self->user, self->url);
}

void
_rounds_couch_set_transport (RoundsCouchTransport  new_transport,
                             gpointer              user_data)
{
  transport = new_transport;
  transport_data = user_data;
}

static CURLcode
perform_by_transport (RoundsCouch *self,
                      const char  *method,
                      const char  *url,
                      const char  *payload,
                      long        *code)
{
  guint status = 0;

  if (!transport (method, url, payload, &status, self->response, transport_data))
    return CURLE_RECV_ERROR;
  *code = status;
  return CURLE_OK;
}

/* One request, with the password only where the server has no cookie session. */
static JsonNode *
send_request (RoundsCouch   *self,
              const char    *method,
              const char    *path,
              JsonNode      *body,
              guint         *status,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *url = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *field = NULL;
  g_autofree char *fault = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) node = NULL;
  struct curl_slist *headers = NULL;
  long code = 0, connects = 0;
  RoundsJsonScan scan;
  CURLcode rc;

  if (status)
    *status = 0;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  url = request_url (self, path);
  g_string_truncate (self->response, 0);
  self->curl_error[0] = '\0';

  _rounds_curl_setup (self->curl, url, self->connect_ms, self->total_ms, self->curl_error,
                      self->response, cancellable);
  curl_easy_setopt (self->curl, CURLOPT_CAINFO, self->ca_file);
  curl_easy_setopt (self->curl, CURLOPT_COOKIEFILE, "");
  if (self->user != NULL && self->auth == AUTH_BASIC)
    {
      curl_easy_setopt (self->curl, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      curl_easy_setopt (self->curl, CURLOPT_USERNAME, self->user);
      curl_easy_setopt (self->curl, CURLOPT_PASSWORD, self->password);
    }
  else
    {
      curl_easy_setopt (self->curl, CURLOPT_USERNAME, NULL);
      curl_easy_setopt (self->curl, CURLOPT_PASSWORD, NULL);
    }

  headers = curl_slist_append (headers, "Accept: application/json");
  /* No "Expect: 100-continue": it costs a round trip per large batch. */
  headers = curl_slist_append (headers, "Expect:");
  if (g_ascii_strcasecmp (method, "GET") == 0)
    {
      curl_easy_setopt (self->curl, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, NULL);
    }
  else
    {
      payload = body != NULL ? json_to_string (body, FALSE) : g_strdup ("");
      if (body != NULL)
        headers = curl_slist_append (headers, "Content-Type: application/json");
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (payload));
      curl_easy_setopt (self->curl, CURLOPT_COPYPOSTFIELDS, payload);
      curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, method);
    }
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);

  g_debug ("%s %s (%zu bytes)", method, url, payload ? strlen (payload) : 0);
  rc = transport ? perform_by_transport (self, method, url, payload, &code)
                 : curl_easy_perform (self->curl);
  /* The login's body holds the password. */
  if (payload != NULL && g_strcmp0 (path, "/_session") == 0)
    memset (payload, 0, strlen (payload));
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all (headers);

  curl_easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects);
  self->n_connections += (guint) connects;

  if (rc != CURLE_OK)
    {
      g_debug ("%s %s: %s", method, url, curl_easy_strerror (rc));
      return set_curl_error (self, rc, url, error), NULL;
    }

  if (transport == NULL)
    curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &code);
  if (status)
    *status = (guint) code;
  g_debug ("%s %s: HTTP %ld, %zu bytes", method, url, code, self->response->len);

  /* The importer's checks first: json-glib would recurse once a nesting level, cut a
   * string at "\u0000" and turn a lone surrogate into bytes that are not UTF-8. */
  parser = json_parser_new ();
  scan = _rounds_json_scan (self->response->str, self->response->len, &field);
  if (scan == ROUNDS_JSON_SCAN_OK && self->response->len > 0 &&
      json_parser_load_from_data (parser, self->response->str, self->response->len, NULL))
    node = json_parser_steal_root (parser);

  if (code == 401 && self->user != NULL && self->auth == AUTH_BASIC &&
      g_strcmp0 (path, "/_session") != 0)
    return refine_unauthorized (self, url, node, status, cancellable, error), NULL;
  if (code < 200 || code >= 300)
    {
      set_status_error (self, (guint) code, url, node, error);
      return NULL;
    }
  if (scan != ROUNDS_JSON_SCAN_OK)
    {
      fault = _rounds_json_scan_describe (scan);
      if (field != NULL)
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                     _("%s does not answer like a CouchDB server: “%s” in its answer: %s"),
                     url, field, fault);
      else
        g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                     _("%s does not answer like a CouchDB server: %s"), url, fault);
      return NULL;
    }
  if (node == NULL && self->response->len > 0)
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: its answer is not JSON"), url);
      return NULL;
    }
  if (node == NULL)
    node = json_node_new (JSON_NODE_NULL);
  return g_steal_pointer (&node);
}

/* The reason in the last answer's body, for a request that failed. */
static char *
response_reason (RoundsCouch *self)
{
  g_autoptr(JsonNode) node = json_from_string (self->response->str, NULL);

  return reason_of (node, self->response->str);
}

/* Whether curl's cookie jar has an AuthSession cookie. */
static gboolean
has_session_cookie (RoundsCouch *self)
{
  struct curl_slist *cookies = NULL;
  gboolean found = FALSE;

  if (curl_easy_getinfo (self->curl, CURLINFO_COOKIELIST, &cookies) != CURLE_OK)
    return FALSE;
  /* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
  for (struct curl_slist *cookie = cookies; cookie != NULL && !found; cookie = cookie->next)
    {
      g_auto(GStrv) fields = g_strsplit (cookie->data, "\t", 7);

      found = g_strv_length (fields) == 7 && g_str_equal (fields[5], "AuthSession");
    }
  curl_slist_free_all (cookies);
  return found;
}

/* POST /_session: the one request that carries the password. A wrong one is said at once,
 * and so is a locked account, in the server's words; a server without cookie sessions
 * (no /_session, or no cookie in the answer) gets basic auth from now on. */
static gboolean
open_session (RoundsCouch   *self,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(JsonObject) login = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  guint status = 0;

  curl_easy_setopt (self->curl, CURLOPT_COOKIELIST, "ALL");
  json_object_set_string_member (login, "name", self->user);
  json_object_set_string_member (login, "password", self->password);
  body = json_node_init_object (json_node_alloc (), login);
  self->auth = AUTH_NONE;
  self->n_logins++;
  answer = send_request (self, "POST", "/_session", body, &status, cancellable, &local_error);
  json_object_remove_member (login, "password");

  if (answer != NULL)
    {
      self->auth = has_session_cookie (self) ? AUTH_COOKIE : AUTH_BASIC;
      return TRUE;
    }
  if (status == 401 || status == 403)
    {
      g_autofree char *reason = response_reason (self);

      if (status == 401)
        g_set_error (&self->refusal, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED,
                     _("Wrong user name or password for “%s” at %s"), self->user, self->url);
      else
        g_set_error (&self->refusal, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_LOCKED,
                     _("The curation store at %s does not let “%s” sign in now: %s"),
                     self->url, self->user, reason);
      self->auth = AUTH_REFUSED;
      g_propagate_error (error, g_error_copy (self->refusal));
      return FALSE;
    }
  if (status == 400 || status == 404 || status == 405 || status == 501)
    {
      self->auth = AUTH_BASIC;
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rounds_couch_request:
 * @method: "GET", "PUT", "POST" or "DELETE"
 * @path: under the database ("_bulk_docs"), the database itself (""), or, starting with
 *   "/", under the server root ("/_session"); already URL-encoded
 * @body: (nullable): a JSON body
 * @status: (out) (optional): the HTTP status, also when an error is returned for it
 *
 * The first request of a client with credentials opens a session (see open_session()); a
 * 401 on a session that worked before opens a new one, once, and sends the request again.
 * Once the server has refused the password, every request fails with that refusal without
 * reaching the server, until rounds_couch_set_credentials() gives new ones.
 *
 * Returns: (transfer full): the parsed answer (a null node for an empty one) on a 2xx
 *   status, else %NULL with the error
 */
JsonNode *
rounds_couch_request (RoundsCouch   *self,
                      const char    *method,
                      const char    *path,
                      JsonNode      *body,
                      guint         *status,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean fresh = FALSE;
  JsonNode *node;
  guint code = 0;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);

  if (status)
    *status = 0;
  if (self->auth == AUTH_REFUSED)
    {
      g_propagate_error (error, g_error_copy (self->refusal));
      return NULL;
    }
  if (self->user != NULL && self->auth == AUTH_NONE)
    {
      if (!open_session (self, cancellable, error))
        return NULL;
      fresh = TRUE;
    }
  node = send_request (self, method, path, body, &code, cancellable, &local_error);
  if (node == NULL && code == 401 && self->auth == AUTH_COOKIE && !fresh)
    {
      /* The session expired: a new one, and the request again. */
      g_clear_error (&local_error);
      if (!open_session (self, cancellable, error))
        return NULL;
      node = send_request (self, method, path, body, &code, cancellable, &local_error);
    }
  if (node == NULL && code == 401 && self->auth == AUTH_COOKIE)
    {
      /* Signed in a moment ago, so the password is right: pouchdb-server answers 401 where
       * CouchDB 3 answers 403 for a user who is not a member. */
      g_autofree char *reason = response_reason (self);

      g_clear_error (&local_error);
      g_set_error (&local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN,
                   _("No permission: %s refused “%s”: %s"), self->url, self->user, reason);
    }
  if (node == NULL && code == 500 && self->user != NULL && g_str_equal (path, "_security") &&
      g_strcmp0 (method, "GET") != 0)
    {
      /* CouchDB 3.4 refuses a member's _security with 500 "no_majority": every shard
       * refused it. */
      g_autofree char *reason = response_reason (self);

      g_clear_error (&local_error);
      g_set_error (&local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN,
                   _("No permission: %s refused “%s” changing _security, which only an "
                     "administrator of the database may change (the server said: %s)"),
                   self->url, self->user, reason);
    }
  if (status)
    *status = code;
  if (node == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return node;
}

static JsonObject *
request_object (RoundsCouch   *self,
                const char    *method,
                const char    *path,
                JsonNode      *body,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(JsonNode) node = rounds_couch_request (self, method, path, body, NULL, cancellable,
                                                   error);
  g_autofree char *url = NULL;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      url = request_url (self, path);
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: expected a JSON object"), url);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* Documents ------------------------------------------------------------------------- */

/**
 * rounds_couch_escape_doc_id:
 *
 * @doc_id as it goes into a URL path: "_design/" and "_local/" stay as they are, the rest
 * is percent-encoded (a colon included, which every Rounds id has).
 */
char *
rounds_couch_escape_doc_id (const char *doc_id)
{
  static const char * const prefixes[] = { "_design/", "_local/" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (doc_id, prefixes[i]))
      {
        g_autofree char *rest = g_uri_escape_string (doc_id + strlen (prefixes[i]), NULL, FALSE);

        return g_strconcat (prefixes[i], rest, NULL);
      }
  return g_uri_escape_string (doc_id, NULL, FALSE);
}

/* A sequence as text, to store and to send back as `since`: CouchDB 3 has strings,
 * pouchdb-server integers. */
char *
rounds_couch_seq_to_string (JsonNode *seq)
{
  if (seq == NULL || JSON_NODE_HOLDS_NULL (seq))
    return NULL;
  if (json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (seq));
  if (json_node_get_value_type (seq) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (seq));
  return json_to_string (seq, FALSE);
}

/* GET /: the server's welcome, with its "uuid" and "version". */
JsonObject *
rounds_couch_get_server_info (RoundsCouch   *self,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return request_object (self, "GET", "/", NULL, cancellable, error);
}

JsonObject *
rounds_couch_get_db_info (RoundsCouch   *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  return request_object (self, "GET", "", NULL, cancellable, error);
}

/* Creates the database; %ROUNDS_COUCH_ERROR_CONFLICT if it exists. */
gboolean
rounds_couch_create_db (RoundsCouch   *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), FALSE);
  node = rounds_couch_request (self, "PUT", "", NULL, NULL, cancellable, error);
  return node != NULL;
}

/* A document, or %NULL with %ROUNDS_COUCH_ERROR_NOT_FOUND. */
JsonObject *
rounds_couch_get_doc (RoundsCouch   *self,
                      const char    *doc_id,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  path = rounds_couch_escape_doc_id (doc_id);
  return request_object (self, "GET", path, NULL, cancellable, error);
}

/**
 * rounds_couch_put_doc:
 * @doc: with "_rev" when it updates a document
 *
 * Returns: (transfer full): the new revision
 */
char *
rounds_couch_put_doc (RoundsCouch   *self,
                      const char    *doc_id,
                      JsonObject    *doc,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), doc);
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;
  const char *rev;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);

  path = rounds_couch_escape_doc_id (doc_id);
  if (!(answer = request_object (self, "PUT", path, body, cancellable, error)))
    return NULL;
  rev = _rounds_json_get_string (answer, "rev");
  if (rev == NULL)
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: no revision for %s"),
                   self->url, doc_id);
      return NULL;
    }
  return g_strdup (rev);
}

/**
 * rounds_couch_bulk_docs:
 *
 * POST _bulk_docs. The answer has one result per document, each an "ok" with "rev" or an
 * "error" with "reason", in no promised order: match them by "id".
 *
 * Returns: (transfer full): the results
 */
JsonArray *
rounds_couch_bulk_docs (RoundsCouch   *self,
                        JsonArray     *docs,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);

  json_object_set_array_member (request, "docs", json_array_ref (docs));
  body = json_node_init_object (json_node_alloc (), request);
  if (!(node = rounds_couch_request (self, "POST", "_bulk_docs", body, NULL, cancellable, error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: _bulk_docs gave no list of "
                     "results"), self->url);
      return NULL;
    }
  return json_array_ref (json_node_get_array (node));
}

/**
 * rounds_couch_all_docs:
 *
 * POST _all_docs with keys: one row per key, in the order of @keys, each with "id",
 * "value": {"rev"} and "doc" when asked for, or "error": "not_found".
 *
 * Returns: (transfer full): the rows
 */
JsonArray *
rounds_couch_all_docs (RoundsCouch         *self,
                       const char * const  *keys,
                       gboolean             include_docs,
                       GCancellable        *cancellable,
                       GError             **error)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonArray *array = json_array_new ();
  JsonNode *rows;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);

  for (guint i = 0; keys[i]; i++)
    json_array_add_string_element (array, keys[i]);
  json_object_set_array_member (request, "keys", array);
  body = json_node_init_object (json_node_alloc (), request);
  if (!(answer = request_object (self, "POST",
                                 include_docs ? "_all_docs?include_docs=true" : "_all_docs",
                                 body, cancellable, error)))
    return NULL;
  rows = json_object_get_member (answer, "rows");
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: _all_docs gave no rows"),
                   self->url);
      return NULL;
    }
  return json_array_ref (json_node_get_array (rows));
}

/**
 * rounds_couch_changes:
 * @since: (nullable): where the last page ended, or %NULL from the start
 * @limit: the most changes to return
 *
 * One page of `_changes?include_docs=true&style=all_docs`: "results" and "last_seq".
 *
 * Returns: (transfer full): the page
 */
JsonObject *
rounds_couch_changes (RoundsCouch   *self,
                      const char    *since,
                      guint          limit,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) page = NULL;
  JsonNode *results;

  g_return_val_if_fail (ROUNDS_IS_COUCH (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  escaped = g_uri_escape_string (since ? since : "0", NULL, FALSE);
  path = g_strdup_printf ("_changes?include_docs=true&style=all_docs&since=%s&limit=%u",
                          escaped, limit);
  if (!(page = request_object (self, "GET", path, NULL, cancellable, error)))
    return NULL;
  results = json_object_get_member (page, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results) ||
      !json_object_has_member (page, "last_seq"))
    {
      g_set_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_BAD_RESPONSE,
                   _("%s does not answer like a CouchDB server: _changes gave no results"),
                   self->url);
      return NULL;
    }
  return g_steal_pointer (&page);
}
