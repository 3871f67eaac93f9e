/* rounds-store-endpoints.c: the named chat-completions endpoints of the store
 *
 * An endpoint's key is never stored here: the app keeps it in the keyring, rounds-cli reads
 * it from the environment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-endpoint.h"
#include "rounds-error.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

#define ENDPOINT_COLUMNS \
  "name, base_url, model, temperature, max_tokens, seed, extra_json, response_format, ca_file"

static RoundsEndpoint *
endpoint_from_row (sqlite3_stmt *stmt)
{
  RoundsEndpoint *endpoint = rounds_endpoint_new (_rounds_sql_text (stmt, "name"),
                                                  _rounds_sql_text (stmt, "base_url"),
                                                  _rounds_sql_text (stmt, "model"));

  endpoint->has_temperature = !_rounds_sql_is_null (stmt, "temperature");
  endpoint->temperature = _rounds_sql_double (stmt, "temperature");
  endpoint->max_tokens = (guint) MAX (0, _rounds_sql_int64 (stmt, "max_tokens"));
  endpoint->has_seed = !_rounds_sql_is_null (stmt, "seed");
  endpoint->seed = _rounds_sql_int64 (stmt, "seed");
  endpoint->extra_json = _rounds_sql_dup (stmt, "extra_json");
  endpoint->response_format = _rounds_sql_int (stmt, "response_format") != 0;
  endpoint->ca_file = _rounds_sql_dup (stmt, "ca_file");
  return endpoint;
}

/* {"base_url": …, "params": …}: what the audit log keeps of a saved endpoint. */
static char *
audit_detail (const char *base_url,
              const char *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, base_url);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_from_string (params, NULL));
  json_builder_end_object (builder);
  return _rounds_json_builder_to_string (builder);
}

/**
 * rounds_store_save_endpoint:
 * @replace: whether an endpoint of the same name is replaced (else %ROUNDS_ERROR_CONFLICT)
 *
 * Saves @endpoint after rounds_endpoint_validate(), and notes it in the audit log.
 */
gboolean
rounds_store_save_endpoint (RoundsStore           *store,
                            const RoundsEndpoint  *endpoint,
                            gboolean               replace,
                            GError               **error)
{
  static const char insert_sql[] =
    "INSERT INTO endpoints (" ENDPOINT_COLUMNS ", created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
    " ON CONFLICT (name) DO UPDATE SET base_url = ?2, model = ?3, temperature = ?4,"
    " max_tokens = ?5, seed = ?6, extra_json = ?7, response_format = ?8, ca_file = ?9,"
    " updated_at = ?10 WHERE ?11";
  g_autofree char *now = _rounds_now_iso8601 ();
  g_autofree char *params = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (!rounds_endpoint_validate (endpoint, error))
    return FALSE;
  if (!_rounds_store_begin (store, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (store, insert_sql, error)))
    goto fail;
  _rounds_store_bind_text (stmt, 1, endpoint->name);
  _rounds_store_bind_text (stmt, 2, endpoint->base_url);
  _rounds_store_bind_text (stmt, 3, endpoint->model);
  if (endpoint->has_temperature)
    sqlite3_bind_double (stmt, 4, endpoint->temperature);
  if (endpoint->max_tokens > 0)
    sqlite3_bind_int64 (stmt, 5, endpoint->max_tokens);
  if (endpoint->has_seed)
    sqlite3_bind_int64 (stmt, 6, endpoint->seed);
  _rounds_store_bind_text (stmt, 7, endpoint->extra_json);
  sqlite3_bind_int (stmt, 8, endpoint->response_format ? 1 : 0);
  _rounds_store_bind_text (stmt, 9, endpoint->ca_file);
  _rounds_store_bind_text (stmt, 10, now);
  sqlite3_bind_int (stmt, 11, replace ? 1 : 0);
  if (!_rounds_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (_rounds_store_get_db (store)) == 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                   _("An endpoint “%s” exists already: remove it first, or replace it"),
                   endpoint->name);
      goto fail;
    }

  params = rounds_endpoint_describe_params (endpoint);
  detail = audit_detail (endpoint->base_url, params);
  if (!rounds_store_audit (store, NULL, "endpoint-save", endpoint->name, detail, error) ||
      !_rounds_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _rounds_store_rollback (store);
  return FALSE;
}

/**
 * rounds_store_list_endpoints:
 *
 * Returns: (transfer full) (element-type RoundsEndpoint): every endpoint, by name
 */
GPtrArray *
rounds_store_list_endpoints (RoundsStore  *store,
                             GError      **error)
{
  static const char sql[] = "SELECT " ENDPOINT_COLUMNS " FROM endpoints ORDER BY name";
  g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   rounds_endpoint_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);

  if (!(stmt = _rounds_store_prepare (store, sql, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (endpoints, endpoint_from_row (stmt));
  if (!_rounds_store_step_end (store, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&endpoints);
}

/**
 * rounds_store_get_endpoint:
 *
 * Returns: (transfer full): endpoint @name, or %NULL with %ROUNDS_ERROR_NOT_FOUND
 */
RoundsEndpoint *
rounds_store_get_endpoint (RoundsStore  *store,
                           const char   *name,
                           GError      **error)
{
  static const char sql[] = "SELECT " ENDPOINT_COLUMNS " FROM endpoints WHERE name = ?1";
  RoundsEndpoint *endpoint = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(stmt = _rounds_store_prepare (store, sql, error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, name);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    endpoint = endpoint_from_row (stmt);
  if (!_rounds_store_step_end (store, stmt, rc, error))
    {
      g_clear_pointer (&endpoint, rounds_endpoint_free);
      return NULL;
    }
  if (endpoint == NULL)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No endpoint “%s”: add it with “rounds-cli endpoint add %s URL MODEL”"),
                 name, name);
  return endpoint;
}

/**
 * rounds_store_remove_endpoint:
 *
 * Removes endpoint @name (%ROUNDS_ERROR_NOT_FOUND if there is none). The responses it
 * generated stay, with its name in their metadata.
 */
gboolean
rounds_store_remove_endpoint (RoundsStore  *store,
                              const char   *name,
                              GError      **error)
{
  static const char sql[] = "DELETE FROM endpoints WHERE name = ?1";
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!_rounds_store_begin (store, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (store, sql, error)))
    goto fail;
  _rounds_store_bind_text (stmt, 1, name);
  if (!_rounds_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (_rounds_store_get_db (store)) == 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND, _("No endpoint “%s”"), name);
      goto fail;
    }
  if (!rounds_store_audit (store, NULL, "endpoint-remove", name, NULL, error) ||
      !_rounds_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _rounds_store_rollback (store);
  return FALSE;
}
