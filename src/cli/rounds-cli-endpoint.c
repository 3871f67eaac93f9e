/* rounds-cli-endpoint.c: `rounds-cli endpoint add|list|remove`
 *
 * An endpoint's key is never given on the command line nor stored in the database: rounds-cli
 * reads it from ROUNDS_ENDPOINT_KEY_<NAME> or ROUNDS_ENDPOINT_KEY when it uses the endpoint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-cli-private.h"
#include "rounds-endpoint.h"
#include "rounds-error.h"

static int
endpoint_add (RoundsCli  *cli,
              int         argc,
              char      **argv)
{
  g_autofree char *temperature = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *ca_file = NULL;
  int max_tokens = 0;
  gboolean response_format = FALSE;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "temperature", 't', 0, G_OPTION_ARG_STRING, &temperature,
      N_("Sampling temperature, 0 to 2 (default: the server’s)"), N_("T") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &max_tokens,
      N_("Longest answer, in tokens (default: the server’s)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Seed of the first sample; sample K sends SEED+K (default: none sent)"), N_("SEED") },
    { "extra", 0, 0, G_OPTION_ARG_STRING, &extra,
      N_("More request members, as a JSON object, e.g. '{\"top_p\": 0.9}'"), N_("JSON") },
    { "response-format", 0, 0, G_OPTION_ARG_NONE, &response_format,
      N_("The server takes response_format with a JSON schema"), NULL },
    { "cacert", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust the certificate authorities in this PEM file instead of the system’s"),
      N_("FILE") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace an endpoint of the same name"), NULL },
    { NULL }
  };
  g_autoptr(RoundsEndpoint) endpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *env = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("endpoint add",
                         _("NAME BASE-URL MODEL — name an OpenAI-compatible chat-completions "
                           "server"), entries,
                         _("BASE-URL is what “chat/completions” goes under, e.g. "
                           "http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 "
                           "(Ollama) or https://api.openai.com/v1. The key is read, when the "
                           "endpoint is used, from ROUNDS_ENDPOINT_KEY_<NAME> (the name in "
                           "capitals, “_” for “-” and “.”), else ROUNDS_ENDPOINT_KEY."),
                         &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 4)
    return rounds_cli_usage ("endpoint add", "%s", _("give a name, a base URL and a model"));
  if (max_tokens < 0)
    return rounds_cli_usage ("endpoint add", "%s", _("--max-tokens must be 1 or more"));

  endpoint = rounds_endpoint_new (argv[1], argv[2], argv[3]);
  if (temperature != NULL)
    {
      char *end = NULL;

      endpoint->has_temperature = TRUE;
      endpoint->temperature = g_ascii_strtod (temperature, &end);
      if (end == temperature || *end != '\0')
        return rounds_cli_usage ("endpoint add", _("--temperature: “%s” is not a number"),
                                 temperature);
    }
  if (seed != NULL)
    {
      endpoint->has_seed = TRUE;
      if (!g_ascii_string_to_signed (seed, 10, G_MININT64 / 2, G_MAXINT64 / 2, &endpoint->seed,
                                     &error))
        return rounds_cli_usage ("endpoint add", "--seed: %s", error->message);
    }
  endpoint->max_tokens = (guint) max_tokens;
  endpoint->extra_json = g_steal_pointer (&extra);
  endpoint->response_format = response_format;
  if (ca_file != NULL)
    endpoint->ca_file = g_canonicalize_filename (ca_file, NULL);
  if (!rounds_endpoint_validate (endpoint, &error))
    return rounds_cli_usage ("endpoint add", "%s", error->message);

  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !rounds_store_save_endpoint (store, endpoint, replace, &error))
    return rounds_cli_fail ("endpoint add", error);

  env = rounds_endpoint_key_env_name (endpoint->name);
  g_print (_("Added endpoint %s (%s at %s); its key is read from %s or ROUNDS_ENDPOINT_KEY\n"),
           endpoint->name, endpoint->model, endpoint->base_url, env);
  return ROUNDS_CLI_EXIT_OK;
}

static void
add_endpoint_json (JsonBuilder          *builder,
                   const RoundsEndpoint *e)
{
  g_autofree char *params = rounds_endpoint_describe_params (e);
  g_autofree char *key = rounds_endpoint_get_params_key (e);
  g_autofree char *env = rounds_endpoint_key_env_name (e->name);

  json_builder_begin_object (builder);
  rounds_cli_json_add_string (builder, "name", e->name);
  rounds_cli_json_add_string (builder, "base_url", e->base_url);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_from_string (params, NULL));
  rounds_cli_json_add_string (builder, "params_key", key);
  json_builder_set_member_name (builder, "response_format");
  json_builder_add_boolean_value (builder, e->response_format);
  json_builder_set_member_name (builder, "ca_file");
  if (e->ca_file != NULL)
    json_builder_add_string_value (builder, e->ca_file);
  else
    json_builder_add_null_value (builder);
  rounds_cli_json_add_string (builder, "key_variable", env);
  json_builder_end_object (builder);
}

static int
endpoint_list (RoundsCli  *cli,
               int         argc,
               char      **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("endpoint list", _("— list the endpoints and their parameters"),
                         entries, NULL, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 1)
    return rounds_cli_usage ("endpoint list", "%s", _("takes no arguments"));
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(endpoints = rounds_store_list_endpoints (store, &error)))
    return rounds_cli_fail ("endpoint list", error);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < endpoints->len; i++)
    {
      const RoundsEndpoint *e = g_ptr_array_index (endpoints, i);
      g_autofree char *params = rounds_endpoint_describe_params (e);

      if (json)
        add_endpoint_json (builder, e);
      else
        g_print ("%s\t%s\t%s%s\n", e->name, e->base_url, params,
                 e->response_format ? "\tresponse_format" : "");
    }
  if (json)
    {
      json_builder_end_array (builder);
      rounds_cli_print_json (builder);
    }
  return ROUNDS_CLI_EXIT_OK;
}

static int
endpoint_remove (RoundsCli  *cli,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GError) error = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("endpoint remove",
                         _("NAME — forget an endpoint (the responses it generated stay)"), NULL,
                         NULL, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 2)
    return rounds_cli_usage ("endpoint remove", "%s", _("give one endpoint name"));
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !rounds_store_remove_endpoint (store, argv[1], &error))
    return rounds_cli_fail ("endpoint remove", error);
  g_print (_("Removed endpoint %s\n"), argv[1]);
  return ROUNDS_CLI_EXIT_OK;
}

int
rounds_cli_endpoint (RoundsCli  *cli,
                     int         argc,
                     char      **argv)
{
  static const RoundsCliCommand subcommands[] = {
    { "add", NULL, endpoint_add },
    { "list", NULL, endpoint_list },
    { "remove", NULL, endpoint_remove },
  };

  return rounds_cli_dispatch (cli, "endpoint", subcommands, G_N_ELEMENTS (subcommands),
                              _("Usage: rounds-cli endpoint add NAME BASE-URL MODEL "
                                "[--temperature T] [--max-tokens N] [--seed S] [--extra JSON] "
                                "[--response-format] [--cacert FILE] [--replace]\n"
                                "       rounds-cli endpoint list [--json]\n"
                                "       rounds-cli endpoint remove NAME"),
                              _("expected “add”, “list” or “remove”"),
                              argc, argv);
}
