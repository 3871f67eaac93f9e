/* rounds-endpoint.c: a named OpenAI-compatible chat-completions server and its parameters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-endpoint"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rounds-endpoint.h"
#include "rounds-error.h"
#include "rounds-util-private.h"

#define MAX_NAME 64

G_DEFINE_BOXED_TYPE (RoundsEndpoint, rounds_endpoint, rounds_endpoint_copy, rounds_endpoint_free)

RoundsEndpoint *
rounds_endpoint_new (const char *name,
                     const char *base_url,
                     const char *model)
{
  RoundsEndpoint *self = g_new0 (RoundsEndpoint, 1);

  self->name = g_strdup (name);
  self->base_url = g_strdup (base_url);
  self->model = g_strdup (model);
  return self;
}

RoundsEndpoint *
rounds_endpoint_copy (const RoundsEndpoint *self)
{
  RoundsEndpoint *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->base_url = g_strdup (self->base_url);
  copy->model = g_strdup (self->model);
  copy->extra_json = g_strdup (self->extra_json);
  copy->ca_file = g_strdup (self->ca_file);
  return copy;
}

void
rounds_endpoint_free (RoundsEndpoint *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->base_url);
  g_free (self->model);
  g_free (self->extra_json);
  g_free (self->ca_file);
  g_free (self);
}

static gboolean
name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > MAX_NAME)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The extra members as an object, or %NULL with the reason. */
static JsonNode *
parse_extra (const char  *extra_json,
             GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (!(node = json_from_string (extra_json, &parse_error)) || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("The extra parameters must be a JSON object, as in {\"top_p\": 0.9}%s%s"),
                   parse_error ? ": " : "", parse_error ? parse_error->message : "");
      return NULL;
    }
  return g_steal_pointer (&node);
}

/**
 * rounds_endpoint_validate:
 *
 * Whether the endpoint can be saved and used: a valid name, an http(s) base URL, a model,
 * parameters in range and extra parameters that are a JSON object.
 */
gboolean
rounds_endpoint_validate (const RoundsEndpoint  *self,
                          GError               **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!name_is_valid (self->name))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an endpoint name: use up to %d letters, digits, “-”, “_” "
                     "and “.”"), self->name ? self->name : "", MAX_NAME);
      return FALSE;
    }
  if (self->base_url == NULL ||
      !(uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL)) ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_user (uri) != NULL || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Endpoint “%s”: “%s” is not a base URL: give https://HOST[:PORT]/PATH, "
                     "as in https://api.example.org/v1, without a user or a query"),
                   self->name, self->base_url ? self->base_url : "");
      return FALSE;
    }
  if (self->model == NULL || *self->model == '\0')
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Endpoint “%s” names no model"), self->name);
      return FALSE;
    }
  if (self->has_temperature && !(self->temperature >= 0 && self->temperature <= 2))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Endpoint “%s”: the temperature must be between 0 and 2"), self->name);
      return FALSE;
    }
  if (self->max_tokens > 1000000)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Endpoint “%s”: max_tokens must be between 1 and 1000000"), self->name);
      return FALSE;
    }
  if (self->extra_json != NULL)
    {
      g_autoptr(JsonNode) extra = parse_extra (self->extra_json, error);

      if (extra == NULL)
        {
          g_prefix_error (error, _("Endpoint “%s”: "), self->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* The parameters that change an answer, as one canonical JSON object: what
 * rounds_endpoint_get_params_key() hashes and generated responses record. */
static JsonBuilder *
params_builder (const RoundsEndpoint *self)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->model);
  if (self->has_temperature)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, self->temperature);
    }
  if (self->max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, self->max_tokens);
    }
  if (self->has_seed)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, self->seed);
    }
  if (self->extra_json != NULL)
    {
      JsonNode *extra = json_from_string (self->extra_json, NULL);

      if (extra != NULL && JSON_NODE_HOLDS_OBJECT (extra))
        {
          json_builder_set_member_name (builder, "extra");
          json_builder_add_value (builder, extra);
        }
      else if (extra != NULL)
        json_node_unref (extra);
    }
  json_builder_end_object (builder);
  return builder;
}

/**
 * rounds_endpoint_describe_params:
 *
 * Returns: (transfer full): the model and the parameters that change an answer, as a JSON
 *   object (model, temperature, max_tokens, seed, extra), each only where it is set
 */
char *
rounds_endpoint_describe_params (const RoundsEndpoint *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  builder = params_builder (self);
  return _rounds_json_builder_to_string (builder);
}

/**
 * rounds_endpoint_get_params_key:
 *
 * Returns: (transfer full): twelve hexadecimal digits that change whenever the model or a
 *   parameter that changes an answer does (not the URL, the CA file or the key)
 */
char *
rounds_endpoint_get_params_key (const RoundsEndpoint *self)
{
  g_autofree char *params = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  params = rounds_endpoint_describe_params (self);
  hash = _rounds_sha256_hex (params, -1);
  hash[12] = '\0';
  return g_steal_pointer (&hash);
}

/**
 * rounds_endpoint_key_env_name:
 *
 * Returns: (transfer full): the environment variable that holds endpoint @name's key for
 *   the command line: ROUNDS_ENDPOINT_KEY_ and the name in capitals, with "_" for "-" and "."
 */
char *
rounds_endpoint_key_env_name (const char *name)
{
  GString *env = g_string_new ("ROUNDS_ENDPOINT_KEY_");

  for (const char *p = name; p != NULL && *p; p++)
    g_string_append_c (env, g_ascii_isalnum (*p) ? g_ascii_toupper (*p) : '_');
  return g_string_free (env, FALSE);
}

/**
 * rounds_endpoint_key_from_env:
 *
 * Returns: (transfer full) (nullable): the key of endpoint @name from its own variable
 *   (rounds_endpoint_key_env_name()), else from ROUNDS_ENDPOINT_KEY, else %NULL (a local
 *   server may need none)
 */
char *
rounds_endpoint_key_from_env (const char *name)
{
  g_autofree char *env = rounds_endpoint_key_env_name (name);
  const char *key = g_getenv (env);

  if (key == NULL || *key == '\0')
    key = g_getenv ("ROUNDS_ENDPOINT_KEY");
  return key != NULL && *key != '\0' ? g_strdup (key) : NULL;
}
