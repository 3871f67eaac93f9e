/* rounds-couch-private.h: what tests change in the CouchDB client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-couch.h"

G_BEGIN_DECLS

/**
 * RoundsCouchTransport:
 * @method: "GET", "PUT", "POST" or "DELETE"
 * @url: the request URL, without credentials
 * @body: (nullable): the JSON sent, for a method other than GET
 * @status: (out): the HTTP status of the answer
 * @response: (out caller-allocates): the answer's body, appended to
 *
 * Answers one request in place of the network. Returns %FALSE for a connection that broke
 * off before an answer came, which the client reports as %ROUNDS_COUCH_ERROR_INTERRUPTED.
 */
typedef gboolean (*RoundsCouchTransport) (const char  *method,
                                          const char  *url,
                                          const char  *body,
                                          guint       *status,
                                          GString     *response,
                                          gpointer     user_data);

/* For tests only (the sync fuzz target): every client of the process, from then on, asks
 * @transport instead of the network; %NULL goes back to the network. */
void _rounds_couch_set_transport (RoundsCouchTransport  transport,
                                  gpointer              user_data);

G_END_DECLS
