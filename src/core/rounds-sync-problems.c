/* rounds-sync-problems.c: documents that did not go through, and settling conflicts
 *
 * Whatever cannot go through stays where it is, with the reason kept in the meta table
 * ("sync.problem:<doc id>") so the app can show it, until a later sync gets it through or,
 * for a dataset or item in conflict, the person chooses a version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-sql-private.h"
#include "rounds-sync-private.h"
#include "rounds-util-private.h"
#include "rounds-worker-private.h"


void
rounds_sync_problem_free (RoundsSyncProblem *self)
{
  if (self == NULL)
    return;
  g_free (self->doc_id);
  g_free (self->error);
  g_free (self->reason);
  g_free (self->server_rev);
  g_free (self->at);
  g_free (self->title);
  g_free (self);
}

const char *
rounds_sync_problem_kind_to_string (RoundsSyncProblemKind kind)
{
  switch (kind)
    {
    case ROUNDS_SYNC_PROBLEM_FORBIDDEN:
      return "forbidden";
    case ROUNDS_SYNC_PROBLEM_CONFLICT:
      return "conflict";
    case ROUNDS_SYNC_PROBLEM_REJECTED:
    default:
      return "rejected";
    }
}

static RoundsSyncProblemKind
problem_kind_from_string (const char *text)
{
  if (g_strcmp0 (text, "forbidden") == 0)
    return ROUNDS_SYNC_PROBLEM_FORBIDDEN;
  if (g_strcmp0 (text, "conflict") == 0)
    return ROUNDS_SYNC_PROBLEM_CONFLICT;
  return ROUNDS_SYNC_PROBLEM_REJECTED;
}

/* Problems, kept in meta until the document goes through ------------------------------ */

RoundsSyncProblem *
_rounds_sync_problem_new (RoundsSyncProblemKind   kind,
                          const char             *doc_id,
                          const char             *err,
                          const char             *reason,
                          const char             *server_rev)
{
  RoundsSyncProblem *problem = g_new0 (RoundsSyncProblem, 1);

  problem->kind = kind;
  problem->doc_id = g_strdup (doc_id);
  problem->error = g_strdup (err ? err : rounds_sync_problem_kind_to_string (kind));
  problem->reason = g_strdup (reason ? reason : "");
  problem->server_rev = g_strdup (server_rev);
  problem->at = _rounds_now_iso8601 ();
  return problem;
}

/* Keeps the problem in meta, inside the caller's transaction. */
gboolean
_rounds_sync_persist_problem (Run                      *run,
                              const RoundsSyncProblem  *problem,
                              GError                  **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *key = g_strconcat (META_PROBLEM, problem->doc_id, NULL);
  g_autofree char *value = NULL;

  json_object_set_string_member (object, "kind",
                                 rounds_sync_problem_kind_to_string (problem->kind));
  json_object_set_string_member (object, "error", problem->error);
  json_object_set_string_member (object, "reason", problem->reason);
  if (problem->server_rev != NULL)
    json_object_set_string_member (object, "server_rev", problem->server_rev);
  json_object_set_string_member (object, "at", problem->at);
  value = _rounds_sync_object_to_string (object);
  g_debug ("%s: %s: %s", problem->doc_id, problem->error, problem->reason);
  return _rounds_store_set_meta (run->store, key, value, error);
}

/* Lists the problem in the run's result, which takes it. */
void
_rounds_sync_list_problem (Run               *run,
                           RoundsSyncProblem *problem)
{
  if (problem->kind == ROUNDS_SYNC_PROBLEM_CONFLICT)
    g_ptr_array_add (run->result->conflicts, problem);
  else
    g_ptr_array_add (run->result->forbidden, problem);
}

/* A pulled document that cannot be read: kept out, counted and named, with @message (which
 * may start with the id, as the event reader's errors do). */
void
_rounds_sync_refuse (Run         *run,
                     const char  *doc_id,
                     const char  *message)
{
  g_autofree char *prefix = g_strconcat (doc_id, ": ", NULL);
  const char *reason = g_str_has_prefix (message, prefix) ? message + strlen (prefix) : message;

  g_debug ("Skipped: %s: %s", doc_id, reason);
  run->result->n_skipped++;
  g_ptr_array_add (run->result->refused,
                   _rounds_sync_problem_new (ROUNDS_SYNC_PROBLEM_REJECTED, doc_id, "unreadable",
                                             reason, NULL));
}

gboolean
_rounds_sync_record_problem (Run                    *run,
                             RoundsSyncProblemKind   kind,
                             const char             *doc_id,
                             const char             *err,
                             const char             *reason,
                             const char             *server_rev,
                             GError                **error)
{
  RoundsSyncProblem *problem = _rounds_sync_problem_new (kind, doc_id, err, reason, server_rev);

  if (!_rounds_sync_persist_problem (run, problem, error))
    {
      rounds_sync_problem_free (problem);
      return FALSE;
    }
  _rounds_sync_list_problem (run, problem);
  return TRUE;
}

gboolean
_rounds_sync_clear_problem (Run         *run,
                            const char  *doc_id,
                            GError     **error)
{
  g_autofree char *key = g_strconcat (META_PROBLEM, doc_id, NULL);

  return _rounds_sync_meta_delete (run->store, key, error);
}

/* The doc id of a dataset or item, as _rounds_doc_id() makes it, in SQL: ":" and "%" of
 * each part escaped. */
#define SQL_DATASET_DOC_ID \
  "'dataset:' || replace (replace (d.name, '%', '%25'), ':', '%3A')"
#define SQL_ITEM_DOC_ID \
  "'item:' || replace (replace (d.name, '%', '%25'), ':', '%3A') || ':'" \
  " || replace (replace (i.key, '%', '%25'), ':', '%3A')"

/* A problem with the title this computer has for its dataset or item: a dataset's when it
 * has one other than its name, an item's title or else its key. */
static const char list_sql[] =
  "SELECT substr (m.key, length ('" META_PROBLEM "') + 1) AS doc_id, m.value,"
  " COALESCE ((SELECT CASE WHEN d.title <> '' AND d.title IS NOT d.name THEN d.title END"
  "            FROM datasets d WHERE " SQL_DATASET_DOC_ID
  "            = substr (m.key, length ('" META_PROBLEM "') + 1)),"
  "           (SELECT CASE WHEN i.title <> '' THEN i.title ELSE i.key END"
  "            FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE " SQL_ITEM_DOC_ID
  "            = substr (m.key, length ('" META_PROBLEM "') + 1))) AS title"
  " FROM meta m WHERE m.key >= '" META_PROBLEM "' AND m.key < 'sync.problem;'"
  " ORDER BY m.key";

/**
 * rounds_sync_list_problems:
 *
 * The documents that did not go through in earlier syncs and are still waiting: refused
 * edits and datasets or items in conflict, by document id, with the title this computer
 * has for each dataset or item.
 *
 * Returns: (transfer full) (element-type RoundsSyncProblem): the problems
 */
GPtrArray *
rounds_sync_list_problems (RoundsStore  *store,
                           GError      **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  if (!(stmt = _rounds_store_prepare (store, list_sql, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = _rounds_sync_parse_json (_rounds_sql_text (stmt, "value"));
      RoundsSyncProblem *problem;
      JsonObject *object;
      const char *text;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      problem = g_new0 (RoundsSyncProblem, 1);
      problem->doc_id = _rounds_sql_dup (stmt, "doc_id");
      problem->kind = problem_kind_from_string (_rounds_event_get_string (object, "kind"));
      text = _rounds_event_get_string (object, "error");
      problem->error = g_strdup (text ? text : "");
      text = _rounds_event_get_string (object, "reason");
      problem->reason = g_strdup (text ? text : "");
      problem->server_rev = g_strdup (_rounds_event_get_string (object, "server_rev"));
      problem->at = g_strdup (_rounds_event_get_string (object, "at"));
      problem->title = _rounds_sql_dup (stmt, "title");
      g_ptr_array_add (problems, problem);
    }
  if (!_rounds_store_step_end (store, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&problems);
}

static gboolean
list_problems_thread (GTask         *task,
                      RoundsStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  GPtrArray **problems = data;

  return (*problems = rounds_sync_list_problems (store, error)) != NULL;
}

static void
problems_free (gpointer data)
{
  GPtrArray **problems = data;

  g_clear_pointer (problems, g_ptr_array_unref);
  g_free (problems);
}

/**
 * rounds_sync_list_problems_async:
 * @db_path: the local store; the listing opens a connection of its own in a thread
 *
 * rounds_sync_list_problems() off the main thread.
 */
void
rounds_sync_list_problems_async (const char          *db_path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (db_path != NULL);

  task = _rounds_worker_new (NULL, db_path, ROUNDS_WORKER_RETURN_ON_CANCEL, cancellable,
                             callback, user_data, rounds_sync_list_problems_async);
  _rounds_worker_run (task, list_problems_thread, g_new0 (GPtrArray *, 1), problems_free);
}

/**
 * rounds_sync_list_problems_finish:
 *
 * Returns: (transfer full) (element-type RoundsSyncProblem): the problems, or %NULL with
 *   @error set
 */
GPtrArray *
rounds_sync_list_problems_finish (GAsyncResult  *result,
                                  GError       **error)
{
  GPtrArray **problems = _rounds_worker_finish (result, NULL, rounds_sync_list_problems_async,
                                                error);

  return problems != NULL ? g_steal_pointer (problems) : NULL;
}

/* Resolutions ------------------------------------------------------------------------- */

gboolean
_rounds_sync_resolve_one (Run               *run,
                          const Resolution  *resolution,
                          GError           **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  RoundsSyncProblem *problem = NULL;
  gboolean is_dataset = g_str_has_prefix (resolution->doc_id, "dataset:");
  gboolean ok;

  if (!is_dataset && !g_str_has_prefix (resolution->doc_id, "item:"))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Only datasets and items can be in conflict, not %s"), resolution->doc_id);
      return FALSE;
    }
  if (!(problems = rounds_sync_list_problems (run->store, error)))
    return FALSE;
  for (guint i = 0; i < problems->len; i++)
    {
      RoundsSyncProblem *listed = g_ptr_array_index (problems, i);

      if (g_str_equal (listed->doc_id, resolution->doc_id))
        problem = listed;
    }
  if (problem == NULL || problem->kind != ROUNDS_SYNC_PROBLEM_CONFLICT)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                   _("%s is not in conflict"), resolution->doc_id);
      return FALSE;
    }

  if (resolution->resolution == ROUNDS_SYNC_TAKE_THEIRS)
    {
      g_autoptr(JsonObject) doc = rounds_couch_get_doc (run->couch, resolution->doc_id,
                                                        run->cancellable, error);
      gboolean parked = FALSE;

      if (doc == NULL)
        return FALSE;
      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      ok = _rounds_sync_apply_doc (run, doc, TRUE, &parked, error) &&
           _rounds_sync_clear_problem (run, resolution->doc_id, error) &&
           _rounds_store_commit (run->store, error);
    }
  else
    {
      g_autoptr(JsonObject) doc = NULL;
      g_autofree char *rev = g_strdup (problem->server_rev);
      sqlite3_stmt *stmt;

      /* Ours goes up on top of the store's current revision. */
      if ((doc = rounds_couch_get_doc (run->couch, resolution->doc_id, run->cancellable,
                                       NULL)))
        {
          g_free (rev);
          rev = g_strdup (_rounds_event_get_string (doc, "_rev"));
        }
      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      if (is_dataset)
        stmt = _rounds_store_prepare (run->store,
                                      "UPDATE datasets AS d SET remote_rev = ?2, published = 0"
                                      " WHERE " SQL_DATASET_DOC_ID " = ?1", error);
      else
        stmt = _rounds_store_prepare (run->store,
                                      "UPDATE items SET remote_rev = ?2, published = 0"
                                      " WHERE id = (SELECT i.id FROM items i"
                                      " JOIN datasets d ON d.id = i.dataset_id"
                                      " WHERE " SQL_ITEM_DOC_ID " = ?1)", error);
      ok = stmt != NULL;
      if (ok)
        {
          _rounds_store_bind_text (stmt, 1, resolution->doc_id);
          _rounds_store_bind_text (stmt, 2, rev);
          ok = _rounds_store_step_done (run->store, stmt, error);
        }
      ok = ok && _rounds_sync_clear_problem (run, resolution->doc_id, error) &&
           _rounds_store_commit (run->store, error);
    }
  if (!ok)
    _rounds_store_rollback (run->store);
  return ok;
}

