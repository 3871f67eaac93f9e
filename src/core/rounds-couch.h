/* rounds-couch.h: a small client of the CouchDB HTTP API, for the curation store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ROUNDS_COUCH_ERROR (rounds_couch_error_quark ())

/**
 * RoundsCouchError:
 * @ROUNDS_COUCH_ERROR_INVALID_URL: the address is not a CouchDB database URL
 * @ROUNDS_COUCH_ERROR_UNREACHABLE: no connection: offline, wrong address, server down
 * @ROUNDS_COUCH_ERROR_TLS: the server's certificate cannot be verified: give its CA file
 * @ROUNDS_COUCH_ERROR_TIMEOUT: no answer in time; what the server did is unknown
 * @ROUNDS_COUCH_ERROR_INTERRUPTED: the connection broke off mid-request; what the server
 *   did is unknown
 * @ROUNDS_COUCH_ERROR_UNAUTHORIZED: wrong user name or password (401)
 * @ROUNDS_COUCH_ERROR_FORBIDDEN: the user lacks the permission (403); the message has the
 *   server's reason
 * @ROUNDS_COUCH_ERROR_NOT_FOUND: no such database or document (404)
 * @ROUNDS_COUCH_ERROR_CONFLICT: a document changed meanwhile, or exists already (409, 412)
 * @ROUNDS_COUCH_ERROR_TOO_LARGE: the request is larger than the server takes (413)
 * @ROUNDS_COUCH_ERROR_BAD_REQUEST: the server refused the request as malformed (400)
 * @ROUNDS_COUCH_ERROR_SERVER: the server failed (5xx); the message has its reason
 * @ROUNDS_COUCH_ERROR_BAD_RESPONSE: the answer is not what a CouchDB server sends
 * @ROUNDS_COUCH_ERROR_LOCKED: the server refuses the user's login for now (CouchDB locks an
 *   account out after repeated wrong passwords); the message has the server's words
 *
 * What happened, in terms a person can act on. Cancellation is %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  ROUNDS_COUCH_ERROR_INVALID_URL,
  ROUNDS_COUCH_ERROR_UNREACHABLE,
  ROUNDS_COUCH_ERROR_TLS,
  ROUNDS_COUCH_ERROR_TIMEOUT,
  ROUNDS_COUCH_ERROR_INTERRUPTED,
  ROUNDS_COUCH_ERROR_UNAUTHORIZED,
  ROUNDS_COUCH_ERROR_FORBIDDEN,
  ROUNDS_COUCH_ERROR_NOT_FOUND,
  ROUNDS_COUCH_ERROR_CONFLICT,
  ROUNDS_COUCH_ERROR_TOO_LARGE,
  ROUNDS_COUCH_ERROR_BAD_REQUEST,
  ROUNDS_COUCH_ERROR_SERVER,
  ROUNDS_COUCH_ERROR_BAD_RESPONSE,
  ROUNDS_COUCH_ERROR_LOCKED,
} RoundsCouchError;

#define ROUNDS_TYPE_COUCH (rounds_couch_get_type ())

G_DECLARE_FINAL_TYPE (RoundsCouch, rounds_couch, ROUNDS, COUCH, GObject)

GQuark       rounds_couch_error_quark          (void);
gboolean     rounds_couch_error_is_unknown_outcome (const GError *error);

RoundsCouch *rounds_couch_new                  (const char    *url,
                                                GError       **error);
const char  *rounds_couch_get_url              (RoundsCouch   *self);
const char  *rounds_couch_get_server_url       (RoundsCouch   *self);
const char  *rounds_couch_get_db_name          (RoundsCouch   *self);
const char  *rounds_couch_get_user             (RoundsCouch   *self);
void         rounds_couch_set_credentials      (RoundsCouch   *self,
                                                const char    *user,
                                                const char    *password);
void         rounds_couch_password_free        (char          *password);
void         rounds_couch_set_ca_file          (RoundsCouch   *self,
                                                const char    *ca_file);
void         rounds_couch_set_timeouts         (RoundsCouch   *self,
                                                guint          connect_ms,
                                                guint          total_ms);
guint        rounds_couch_get_n_connections    (RoundsCouch   *self);
guint        rounds_couch_get_n_logins         (RoundsCouch   *self);

JsonNode    *rounds_couch_request              (RoundsCouch   *self,
                                                const char    *method,
                                                const char    *path,
                                                JsonNode      *body,
                                                guint         *status,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* The database and its documents. */
JsonObject  *rounds_couch_get_server_info      (RoundsCouch   *self,
                                                GCancellable  *cancellable,
                                                GError       **error);
JsonObject  *rounds_couch_get_db_info          (RoundsCouch   *self,
                                                GCancellable  *cancellable,
                                                GError       **error);
gboolean     rounds_couch_create_db            (RoundsCouch   *self,
                                                GCancellable  *cancellable,
                                                GError       **error);
JsonObject  *rounds_couch_get_doc              (RoundsCouch   *self,
                                                const char    *doc_id,
                                                GCancellable  *cancellable,
                                                GError       **error);
char        *rounds_couch_put_doc              (RoundsCouch   *self,
                                                const char    *doc_id,
                                                JsonObject    *doc,
                                                GCancellable  *cancellable,
                                                GError       **error);
JsonArray   *rounds_couch_bulk_docs            (RoundsCouch   *self,
                                                JsonArray     *docs,
                                                GCancellable  *cancellable,
                                                GError       **error);
JsonArray   *rounds_couch_all_docs             (RoundsCouch   *self,
                                                const char * const *keys,
                                                gboolean       include_docs,
                                                GCancellable  *cancellable,
                                                GError       **error);
JsonObject  *rounds_couch_changes              (RoundsCouch   *self,
                                                const char    *since,
                                                guint          limit,
                                                GCancellable  *cancellable,
                                                GError       **error);

char        *rounds_couch_escape_doc_id        (const char    *doc_id);
char        *rounds_couch_seq_to_string        (JsonNode      *seq);

G_END_DECLS
