/* rounds-endpoint.h: a named OpenAI-compatible chat-completions server and its parameters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/**
 * RoundsEndpoint:
 * @name: what people call it: letters, digits, "-", "_" and "." (at most 64)
 * @base_url: the API root that "chat/completions" goes under, e.g. http://127.0.0.1:8000/v1
 * @model: the "model" of every request
 * @has_temperature: whether @temperature is sent (else the server's default)
 * @temperature: 0 to 2
 * @max_tokens: 0 for the server's default
 * @has_seed: whether a seed is sent: sample K of a generation sends @seed + K
 * @seed: the first seed
 * @extra_json: (nullable): a JSON object whose members go into every request as they are
 *   (top_p, stop, …); they never override the members above
 * @response_format: the server takes "response_format" with a JSON schema
 * @ca_file: (nullable): a PEM file of certificate authorities to trust instead of the
 *   system's (--cacert)
 *
 * The key (the bearer token) is not part of an endpoint: it lives in the keyring, or for the
 * command line in the environment (rounds_endpoint_key_from_env()).
 */
typedef struct
{
  char     *name;
  char     *base_url;
  char     *model;
  gboolean  has_temperature;
  double    temperature;
  guint     max_tokens;
  gboolean  has_seed;
  gint64    seed;
  char     *extra_json;
  gboolean  response_format;
  char     *ca_file;
} RoundsEndpoint;

#define ROUNDS_TYPE_ENDPOINT (rounds_endpoint_get_type ())

GType           rounds_endpoint_get_type         (void) G_GNUC_CONST;
RoundsEndpoint *rounds_endpoint_new              (const char            *name,
                                                  const char            *base_url,
                                                  const char            *model);
RoundsEndpoint *rounds_endpoint_copy             (const RoundsEndpoint  *self);
void            rounds_endpoint_free             (RoundsEndpoint        *self);
gboolean        rounds_endpoint_validate         (const RoundsEndpoint  *self,
                                                  GError               **error);
char           *rounds_endpoint_get_params_key   (const RoundsEndpoint  *self);
char           *rounds_endpoint_describe_params  (const RoundsEndpoint  *self);
char           *rounds_endpoint_key_env_name     (const char            *name);
char           *rounds_endpoint_key_from_env     (const char            *name);

/* The endpoints of the store (rounds-store-endpoints.c). */
gboolean        rounds_store_save_endpoint       (RoundsStore           *store,
                                                  const RoundsEndpoint  *endpoint,
                                                  gboolean               replace,
                                                  GError               **error);
GPtrArray      *rounds_store_list_endpoints      (RoundsStore           *store,
                                                  GError               **error);
RoundsEndpoint *rounds_store_get_endpoint        (RoundsStore           *store,
                                                  const char            *name,
                                                  GError               **error);
gboolean        rounds_store_remove_endpoint     (RoundsStore           *store,
                                                  const char            *name,
                                                  GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsEndpoint, rounds_endpoint_free)

G_END_DECLS
