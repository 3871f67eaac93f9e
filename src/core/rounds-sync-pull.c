/* rounds-sync-pull.c: reading the curation store's changes feed from a checkpoint
 *
 * _changes in pages from a checkpoint kept per server and database. A page is applied and
 * the checkpoint moved in one SQLite transaction, and applying is idempotent, so a crash at
 * any point costs at most a replay. The checkpoint is mirrored in a _local document on the
 * server; if the two disagree the server's is used, and if the server has none (a database
 * recreated under the same name) the feed is read from the start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-event-private.h"
#include "rounds-sql-private.h"
#include "rounds-sync-private.h"
#include "rounds-util-private.h"

/* The id of this client, made once per database file: names its checkpoint document. */
char *
_rounds_sync_ensure_client_id (RoundsStore  *store,
                               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  char *id = _rounds_store_get_meta (store, META_CLIENT_ID, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (id != NULL)
    return id;
  id = g_uuid_string_random ();
  if (!_rounds_store_set_meta (store, META_CLIENT_ID, id, error))
    g_clear_pointer (&id, g_free);
  return id;
}

/* Checkpoints ------------------------------------------------------------------------- */

static char *
local_doc_id (Run *run)
{
  return g_strconcat ("_local/rounds-", run->client_id, NULL);
}

static gboolean
load_checkpoint (Run     *run,
                 char   **since,
                 GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *since = NULL;
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT since FROM sync_checkpoints"
                                      " WHERE server_uuid = ?1 AND db_name = ?2", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, run->server_uuid);
  _rounds_store_bind_text (stmt, 2, rounds_couch_get_db_name (run->couch));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *since = _rounds_sql_dup (stmt, "since");
  return _rounds_store_step_end (run->store, stmt, rc, error);
}

static gboolean
save_checkpoint (Run         *run,
                 const char  *since,
                 GError     **error)
{
  g_autofree char *now = _rounds_now_iso8601 ();
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO sync_checkpoints"
                                      " (server_uuid, db_name, since, updated_at)"
                                      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (server_uuid, db_name)"
                                      " DO UPDATE SET since = ?3, updated_at = ?4", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, run->server_uuid);
  _rounds_store_bind_text (stmt, 2, rounds_couch_get_db_name (run->couch));
  _rounds_store_bind_text (stmt, 3, since);
  _rounds_store_bind_text (stmt, 4, now);
  return _rounds_store_step_done (run->store, stmt, error);
}

/* The server's copy of the checkpoint, or %NULL (with *rev %NULL) when it has none. */
static gboolean
load_mirror (Run     *run,
             char   **since,
             char   **rev,
             GError **error)
{
  g_autofree char *doc_id = local_doc_id (run);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) doc = rounds_couch_get_doc (run->couch, doc_id, run->cancellable,
                                                    &local_error);

  *since = NULL;
  *rev = NULL;
  if (doc == NULL)
    {
      if (g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *since = g_strdup (_rounds_event_get_string (doc, "since"));
  *rev = g_strdup (_rounds_event_get_string (doc, "_rev"));
  return TRUE;
}

/* Writes the server's copy of the checkpoint. Only ever behind the local one, so a failure
 * costs a replay, not data: it is logged and the pull goes on. */
static void
save_mirror (Run         *run,
             const char  *since,
             char       **rev)
{
  g_autofree char *doc_id = local_doc_id (run);
  g_autofree char *now = _rounds_now_iso8601 ();
  g_autoptr(JsonObject) doc = json_object_new ();

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) error = NULL;
      char *new_rev;

      json_object_set_string_member (doc, "since", since);
      json_object_set_string_member (doc, "server_uuid", run->server_uuid);
      json_object_set_string_member (doc, "updated_at", now);
      if (*rev != NULL)
        json_object_set_string_member (doc, "_rev", *rev);
      else if (json_object_has_member (doc, "_rev"))
        json_object_remove_member (doc, "_rev");

      if ((new_rev = rounds_couch_put_doc (run->couch, doc_id, doc, run->cancellable, &error)))
        {
          g_free (*rev);
          *rev = new_rev;
          return;
        }
      g_debug ("Cannot mirror the checkpoint in %s: %s", doc_id, error->message);
      if (!g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_CONFLICT))
        return;
      {
        g_autofree char *ignored = NULL;

        g_clear_pointer (rev, g_free);
        if (!load_mirror (run, &ignored, rev, NULL))
          return;
      }
    }
}

gboolean
_rounds_sync_pull (Run     *run,
                   GError **error)
{
  g_autofree char *since = NULL;
  g_autofree char *mirror = NULL;
  g_autofree char *mirror_rev = NULL;
  guint done = 0;

  if (!load_checkpoint (run, &since, error) ||
      !load_mirror (run, &mirror, &mirror_rev, error))
    return FALSE;

  if (since != NULL && g_strcmp0 (since, mirror) != 0)
    {
      g_debug ("The checkpoint here (%s) and in the store (%s) differ; reading from %s",
               since, mirror ? mirror : "none", mirror ? mirror : "the start");
      g_free (since);
      since = g_strdup (mirror);
    }

  _rounds_sync_report (run, ROUNDS_SYNC_STAGE_PULLING, 0, 0);
  for (;;)
    {
      g_autoptr(JsonObject) page = NULL;
      g_autofree char *last_seq = NULL;
      JsonArray *results;
      gint64 pending = -1;
      guint n;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      for (guint attempt = 1; ; attempt++)
        {
          g_autoptr(GError) local_error = NULL;

          if ((page = rounds_couch_changes (run->couch, since, run->config->page_size,
                                            run->cancellable, &local_error)))
            break;
          if (!_rounds_sync_is_transient (local_error) || attempt >= run->config->attempts)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Reading the changes again (try %u): %s", attempt + 1, local_error->message);
          if (!_rounds_sync_back_off (run, attempt, error))
            return FALSE;
        }

      results = _rounds_event_get_array (page, "results");
      n = results != NULL ? json_array_get_length (results) : 0;
      last_seq = rounds_couch_seq_to_string (json_object_get_member (page, "last_seq"));
      _rounds_event_get_int (page, "pending", &pending);

      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          JsonObject *change = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                                : NULL;
          JsonObject *doc = change ? _rounds_event_get_object (change, "doc") : NULL;
          const char *id = change ? _rounds_event_get_string (change, "id") : NULL;
          gboolean parked = FALSE;

          if (change != NULL && _rounds_event_get_bool (change, "deleted", FALSE))
            continue;
          /* A row we cannot read, or without its document (include_docs was asked for). */
          if (doc == NULL)
            {
              _rounds_sync_refuse (run, id ? id : "?",
                                   _("the change has no document, or one that is not an "
                                     "object"));
              continue;
            }
          if (!_rounds_sync_apply_doc (run, doc, FALSE, &parked, error))
            goto fail;
        }
      if (!_rounds_sync_unpark (run, error) ||
          (last_seq != NULL && !save_checkpoint (run, last_seq, error)) ||
          !_rounds_store_commit (run->store, error))
        goto fail;

      /* Items and rubrics may have changed under the caches with this page. */
      g_hash_table_remove_all (run->items);

      done += n;
      _rounds_sync_report (run, ROUNDS_SYNC_STAGE_PULLING, done,
                           pending >= 0 ? done + (guint) pending : 0);

      if (last_seq != NULL)
        save_mirror (run, last_seq, &mirror_rev);
      if (n < run->config->page_size || last_seq == NULL || g_strcmp0 (last_seq, since) == 0)
        break;
      g_free (since);
      since = g_steal_pointer (&last_seq);
    }
  return TRUE;

fail:
  _rounds_store_rollback (run->store);
  return FALSE;
}

/* Resolutions ------------------------------------------------------------------------- */
