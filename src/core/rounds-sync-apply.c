/* rounds-sync-apply.c: applying the documents pulled from the curation store
 *
 * Applying is idempotent (a feed can replay): an event that is here already changes
 * nothing, and a dataset or item at the revision or content we have is left alone. Pulled
 * events whose item has not arrived yet wait in the meta table ("sync.parked:<doc id>").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-sql-private.h"
#include "rounds-sync-private.h"
#include "rounds-util-private.h"

#define MAX_RESPONSES       8

/* Caches ------------------------------------------------------------------------------ */

static char *
item_cache_key (const char *dataset,
                const char *key)
{
  return g_strconcat (dataset, "\x1f", key, NULL);
}

/* The local item, borrowed from the cache: *item is %NULL when it has not arrived. */
static gboolean
lookup_item (Run          *run,
             const char   *dataset,
             const char   *key,
             RoundsItem  **item,
             GError      **error)
{
  g_autofree char *cache_key = item_cache_key (dataset, key);
  g_autoptr(GError) local_error = NULL;

  if ((*item = g_hash_table_lookup (run->items, cache_key)))
    return TRUE;
  if (!(*item = rounds_store_find_item (run->store, dataset, key, &local_error)))
    {
      if (g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_hash_table_insert (run->items, g_steal_pointer (&cache_key), *item);
  return TRUE;
}

static void
forget_item (Run        *run,
             const char *dataset,
             const char *key)
{
  g_autofree char *cache_key = item_cache_key (dataset, key);

  g_hash_table_remove (run->items, cache_key);
}

static RoundsRubric *
lookup_rubric (Run         *run,
               RoundsItem  *item,
               GError     **error)
{
  gint64 dataset_id = rounds_item_get_dataset_id (item);
  g_autoptr(RoundsDataset) dataset = NULL;
  RoundsRubric *rubric = g_hash_table_lookup (run->rubrics, &dataset_id);

  if (rubric != NULL)
    return rubric;
  if (!(dataset = rounds_store_get_dataset_by_id (run->store, dataset_id, error)))
    return NULL;
  rubric = rounds_rubric_ref (rounds_dataset_get_rubric (dataset));
  g_hash_table_insert (run->rubrics, g_memdup2 (&dataset_id, sizeof dataset_id), rubric);
  return rubric;
}


/* Saves @doc under "sync.parked:" until its item arrives. */
static gboolean
park (Run         *run,
      const char  *doc_id,
      JsonObject  *doc,
      GError     **error)
{
  g_autofree char *key = g_strconcat (META_PARKED, doc_id, NULL);
  g_autofree char *value = _rounds_sync_object_to_string (doc);

  g_debug ("%s: its item is not here yet; keeping it until it is", doc_id);
  return _rounds_store_set_meta (run->store, key, value, error);
}

/* A judgement or verdict edit. Edits are immutable events: one that is here already changes
 * nothing. An item's current verdict is its newest edit (revision, then time, then edit
 * id), whoever recorded it, the same rule as for judgements. */
static gboolean
apply_event (Run              *run,
             JsonObject       *doc,
             const char       *doc_id,
             RoundsEventType   type,
             gboolean         *parked,
             GError          **error)
{
  RoundsEventKey key;
  RoundsItem *item;
  gboolean inserted = FALSE;
  gint64 person_id;

  if (!_rounds_event_read_key (doc, type, ROUNDS_EVENT_STORE, &key, error))
    return FALSE;
  if (type == ROUNDS_EVENT_VERDICT)
    {
      gboolean found;

      if (!_rounds_store_has_edit (run->store, "adjudications", key.edit, &found, error))
        return FALSE;
      if (found)
        {
          run->result->n_unchanged++;
          return TRUE;
        }
    }

  if (!lookup_item (run, key.dataset, key.item, &item, error))
    return FALSE;
  /* An item here that awaits its responses has not arrived either, as far as a judgement of
   * it goes. */
  if (item == NULL || rounds_item_get_n_responses (item) < 2)
    {
      *parked = TRUE;
      return park (run, doc_id, doc, error);
    }

  if (type == ROUNDS_EVENT_JUDGEMENT)
    {
      g_autoptr(RoundsJudgement) j = NULL;
      RoundsRubric *rubric;

      if (!(rubric = lookup_rubric (run, item, error)) ||
          !(j = _rounds_event_read_judgement (doc, &key, item, rubric, ROUNDS_EVENT_STORE, error)))
        return FALSE;
      if (!(person_id = _rounds_store_ensure_annotator (run->store, j->annotator, error)) ||
          !_rounds_store_insert_judgement (run->store, item, person_id, j, ROUNDS_ORIGIN_REMOTE,
                                           &inserted, error))
        return FALSE;
    }
  else
    {
      g_autoptr(RoundsVerdict) verdict = NULL;
      g_autofree char *resolves_json = NULL;

      if (!(verdict = _rounds_event_read_verdict (doc, &key, item, ROUNDS_EVENT_STORE,
                                                  &resolves_json, error)))
        return FALSE;
      if (!(person_id = _rounds_store_ensure_annotator (run->store, verdict->reviewer, error)) ||
          !_rounds_store_insert_verdict (run->store, item, person_id, verdict, resolves_json,
                                         ROUNDS_ORIGIN_REMOTE, &inserted, error))
        return FALSE;
    }
  if (inserted)
    run->result->n_pulled++;
  else
    run->result->n_unchanged++;
  return TRUE;
}

static gboolean
apply_annotator (Run         *run,
                 JsonObject  *doc,
                 const char  *doc_id,
                 GError     **error)
{
  g_autoptr(GString) roles = g_string_new (NULL);
  const char *user = _rounds_event_get_string (doc, "user");
  JsonArray *role_array = _rounds_event_get_array (doc, "roles");
  sqlite3_stmt *stmt;

  if (!rounds_user_name_is_valid (user, NULL))
    return _rounds_event_invalid (error, doc_id, "no valid “user”");
  for (guint i = 0; role_array && i < json_array_get_length (role_array); i++)
    {
      JsonNode *element = json_array_get_element (role_array, i);
      RoundsRoles role;

      if (json_node_get_value_type (element) == G_TYPE_STRING &&
          rounds_roles_from_string (json_node_get_string (element), &role, NULL) && role != 0)
        {
          if (roles->len)
            g_string_append_c (roles, ',');
          g_string_append (roles, json_node_get_string (element));
        }
    }
  if (roles->len == 0)
    g_string_append (roles, "annotator");

  /* A profile on this machine is its owner's to change, here. */
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO annotators (user_name, display_name, roles,"
                                      " specialty, created_at)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)"
                                      " ON CONFLICT (user_name) DO UPDATE SET display_name = ?2,"
                                      " roles = ?3, specialty = ?4"
                                      " WHERE is_local = 0 AND (display_name IS NOT ?2 OR roles"
                                      " IS NOT ?3 OR specialty IS NOT ?4)",
                                      error)))
    return FALSE;
  {
    g_autofree char *now = _rounds_now_iso8601 ();

    _rounds_store_bind_text (stmt, 1, user);
    _rounds_store_bind_text (stmt, 2, _rounds_event_get_string (doc, "display_name"));
    _rounds_store_bind_text (stmt, 3, roles->str);
    _rounds_store_bind_text (stmt, 4, _rounds_event_get_string (doc, "specialty"));
    _rounds_store_bind_text (stmt, 5, now);
    if (!_rounds_store_step_done (run->store, stmt, error))
      return FALSE;
  }
  if (sqlite3_changes (_rounds_store_get_db (run->store)) > 0)
    run->result->n_pulled++;
  else
    run->result->n_unchanged++;
  return TRUE;
}

/* The content hash a pulled dataset or item is kept under: the curator's, which is what
 * their import computed, so importing the same file here later finds it unchanged. */
static char *
doc_content_hash (JsonObject *doc)
{
  const char *hash = _rounds_event_get_string (doc, "content_hash");
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GList) members = NULL;

  if (hash != NULL && *hash != '\0')
    return g_strdup (hash);
  copy = json_object_new ();
  members = json_object_get_members (doc);
  for (const GList *l = members; l; l = l->next)
    if (*(const char *) l->data != '_')
      json_object_set_member (copy, l->data,
                              json_node_copy (json_object_get_member (doc, l->data)));
  text = _rounds_sync_object_to_string (copy);
  return _rounds_sha256_hex (text, -1);
}

typedef enum
{
  LOCAL_NONE,        /* not here: insert */
  LOCAL_SAME,        /* here at this revision or with this content: nothing to do */
  LOCAL_REPLACE,     /* here, and the store's version wins */
  LOCAL_CONFLICT,    /* changed here and in the store: keep ours, list it */
} LocalState;

/* What is here of a pulled dataset or item. */
typedef struct
{
  gint64    id;          /* 0: nothing */
  char     *rev;
  gboolean  published;
  char     *hash;
} Local;

static void
local_clear (Local *here)
{
  g_free (here->rev);
  g_free (here->hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Local, local_clear)

static void
local_read (Local        *here,
            sqlite3_stmt *stmt)
{
  here->id = _rounds_sql_int64 (stmt, "id");
  here->rev = _rounds_sql_dup (stmt, "remote_rev");
  here->published = _rounds_sql_int (stmt, "published") != 0;
  here->hash = _rounds_sql_dup (stmt, "content_hash");
}

static LocalState
local_state (Run         *run,
             const Local *here,
             const char  *rev,
             const char  *hash,
             gboolean     force)
{
  if (here->id == 0)
    return LOCAL_NONE;
  if (force)
    return LOCAL_REPLACE;
  if (here->rev != NULL && g_strcmp0 (here->rev, rev) == 0)
    return LOCAL_SAME;
  if (g_strcmp0 (here->hash, hash) == 0)
    return LOCAL_SAME;
  /* Only a curator's unpublished change is theirs to defend; anybody else's local copy
   * gives way to what the curators published. */
  if (!here->published && (run->roles & ROUNDS_ROLE_CURATOR) &&
      g_strcmp0 (here->hash, "implicit") != 0)
    return LOCAL_CONFLICT;
  return LOCAL_REPLACE;
}

/* A dataset or item here with the pulled content: counted unchanged, and when it came under
 * a revision we did not know, @sql (?1 the row, ?2 the revision) remembers that one. */
static gboolean
keep_same (Run          *run,
           const char   *sql,
           const Local  *here,
           const char   *rev,
           GError      **error)
{
  sqlite3_stmt *stmt;

  run->result->n_unchanged++;
  if (g_strcmp0 (here->rev, rev) == 0)
    return TRUE;
  if (!(stmt = _rounds_store_prepare (run->store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, here->id);
  _rounds_store_bind_text (stmt, 2, rev);
  return _rounds_store_step_done (run->store, stmt, error);
}

static gboolean
apply_dataset (Run         *run,
               JsonObject  *doc,
               const char  *doc_id,
               gboolean     force,
               GError     **error)
{
  g_autofree char *expected_id = NULL;
  g_autofree char *hash = doc_content_hash (doc);
  g_autofree char *rubric_json = NULL;
  g_autofree char *metadata_json = NULL;
  g_autofree char *now = NULL;
  g_auto(Local) here = { 0 };
  g_autoptr(GString) required = g_string_new (NULL);
  const char *name = _rounds_event_get_string (doc, "id");
  const char *rev = _rounds_event_get_string (doc, "_rev");
  JsonArray *required_array = _rounds_event_get_array (doc, "required");
  JsonNode *rubric_node = json_object_get_member (doc, "rubric");
  JsonNode *reveal_node;
  gboolean reveal_guardian = FALSE;
  gint64 overlap = 1, scale = 5, spread = 2, old_overlap = 1;
  sqlite3_stmt *stmt;
  LocalState state;
  int rc;

  if (!_rounds_event_valid_name (name))
    return _rounds_event_invalid (error, doc_id, "no valid dataset “id”");
  expected_id = _rounds_doc_id ("dataset", name, NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return _rounds_event_invalid (error, doc_id, "the id does not match the dataset's “id”");
  if (json_object_has_member (doc, "overlap") &&
      (!_rounds_event_get_int (doc, "overlap", &overlap) || overlap < 1 || overlap > 50))
    return _rounds_event_invalid (error, doc_id, "“overlap” must be 1 to 50");
  if (json_object_has_member (doc, "scale") &&
      (!_rounds_event_get_int (doc, "scale", &scale) || (scale != 3 && scale != 5 && scale != 7)))
    return _rounds_event_invalid (error, doc_id, "“scale” must be 3, 5 or 7");
  if (json_object_has_member (doc, "dispute_spread") &&
      (!_rounds_event_get_int (doc, "dispute_spread", &spread) || spread < 1))
    return _rounds_event_invalid (error, doc_id, "“dispute_spread” must be 1 or more");
  if ((reveal_node = json_object_get_member (doc, "reveal_guardian")) != NULL)
    {
      if (json_node_get_value_type (reveal_node) != G_TYPE_BOOLEAN)
        return _rounds_event_invalid (error, doc_id, "“reveal_guardian” must be true or false");
      reveal_guardian = json_node_get_boolean (reveal_node);
    }
  for (guint i = 0; required_array && i < json_array_get_length (required_array); i++)
    {
      JsonNode *element = json_array_get_element (required_array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING ||
          rounds_require_from_string (json_node_get_string (element)) == 0)
        return _rounds_event_invalid (error, doc_id, "unknown requirement in “required”");
      if (required->len)
        g_string_append_c (required, ',');
      g_string_append (required, json_node_get_string (element));
    }
  if (required_array == NULL)
    g_string_append (required, "preference");
  if (rubric_node != NULL && !JSON_NODE_HOLDS_NULL (rubric_node))
    {
      g_autoptr(RoundsRubric) rubric = NULL;
      g_autoptr(GError) rubric_error = NULL;

      if (!(rubric = rounds_rubric_new_from_json (rubric_node, &rubric_error)))
        return _rounds_event_invalid (error, doc_id, "%s", rubric_error->message);
      rubric_json = rounds_rubric_to_json (rubric);
    }
  metadata_json = _rounds_event_member_json (doc, "metadata");

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT id, remote_rev, published, content_hash, overlap"
                                      " FROM datasets WHERE name = ?1",
                                      error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      local_read (&here, stmt);
      old_overlap = _rounds_sql_int (stmt, "overlap");
    }
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return FALSE;

  state = local_state (run, &here, rev, hash, force);
  if (state == LOCAL_CONFLICT)
    return _rounds_sync_record_problem (run, ROUNDS_SYNC_PROBLEM_CONFLICT, doc_id, "conflict",
                             _("The dataset was changed both here and in the store; this copy is"
                               " kept here until you choose one"),
                             rev, error);
  if (state == LOCAL_SAME)
    return keep_same (run, "UPDATE datasets SET remote_rev = ?2, published = 1 WHERE id = ?1",
                      &here, rev, error);

  now = _rounds_now_iso8601 ();
  if (state == LOCAL_NONE)
    stmt = _rounds_store_prepare (run->store,
                                  "INSERT INTO datasets (name, title, description, instructions,"
                                  " rubric_json, scale,"
                                  " overlap, dispute_spread, required, metadata_json,"
                                  " content_hash, remote_rev, published,"
                                  " created_at, updated_at)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1,"
                                  " ?13, ?13)", error);
  else
    stmt = _rounds_store_prepare (run->store,
                                  "UPDATE datasets SET title = ?2, description = ?3, instructions"
                                  " = ?4, rubric_json = ?5,"
                                  " scale = ?6, overlap = ?7, dispute_spread = ?8, required = ?9,"
                                  " metadata_json = ?10,"
                                  " content_hash = ?11, remote_rev = ?12, published = 1,"
                                  " updated_at = ?13,"
                                  " rubric_version = rubric_version + (COALESCE (rubric_json, '')"
                                  " IS NOT COALESCE (?5, ''))"
                                  " WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, _rounds_event_get_string (doc, "title"));
  _rounds_store_bind_text (stmt, 3, _rounds_event_get_string (doc, "description"));
  _rounds_store_bind_text (stmt, 4, _rounds_event_get_string (doc, "instructions"));
  _rounds_store_bind_text (stmt, 5, rubric_json);
  sqlite3_bind_int64 (stmt, 6, scale);
  sqlite3_bind_int64 (stmt, 7, overlap);
  sqlite3_bind_int64 (stmt, 8, spread);
  _rounds_store_bind_text (stmt, 9, required->str);
  _rounds_store_bind_text (stmt, 10, metadata_json);
  _rounds_store_bind_text (stmt, 11, hash);
  _rounds_store_bind_text (stmt, 12, rev);
  _rounds_store_bind_text (stmt, 13, now);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;

  if (!_rounds_store_set_reveal_guardian (run->store, name, reveal_guardian, error))
    return FALSE;

  /* Items follow the dataset's overlap, except those a reviewer sent back for more. */
  if (state == LOCAL_REPLACE && overlap != old_overlap)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET overlap = ?2 WHERE dataset_id = ?1"
                                          " AND overlap = ?3", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, here.id);
      sqlite3_bind_int64 (stmt, 2, overlap);
      sqlite3_bind_int64 (stmt, 3, old_overlap);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  if (here.id != 0)
    g_hash_table_remove (run->rubrics, &here.id);
  run->result->n_pulled++;
  return _rounds_sync_clear_problem (run, doc_id, error);
}

/* The dataset an item goes into, made with default settings if its own document has not
 * arrived yet; that one fills it in when it does. */
static gint64
ensure_dataset (Run         *run,
                const char  *name,
                GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store, "SELECT id FROM datasets WHERE name = ?1",
                                      error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = _rounds_sql_int64 (stmt, "id");
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return 0;
  if (id != 0)
    return id;
  return _rounds_store_add_implicit_dataset (run->store, name, TRUE, error);
}

static gboolean
apply_item (Run         *run,
            JsonObject  *doc,
            const char  *doc_id,
            gboolean     force,
            GError     **error)
{
  g_autofree char *expected_id = NULL;
  g_autofree char *hash = doc_content_hash (doc);
  g_autofree char *metadata_json = _rounds_event_member_json (doc, "metadata");
  g_autofree char *reference_json = _rounds_event_member_json (doc, "reference");
  g_auto(Local) here = { 0 };
  const char *dataset = _rounds_event_get_string (doc, "dataset");
  const char *key = _rounds_event_get_string (doc, "id");
  const char *rev = _rounds_event_get_string (doc, "_rev");
  const char *scenario = _rounds_event_get_string (doc, "scenario");
  JsonArray *responses = _rounds_event_get_array (doc, "responses");
  gint64 dataset_id, item_id = 0, position = -1, overlap = 0;
  guint n_responses, old_n_responses = 0;
  gboolean judged = FALSE;
  sqlite3_stmt *stmt;
  LocalState state;
  int rc;

  if (!_rounds_event_valid_name (dataset) || !_rounds_event_valid_key (key))
    return _rounds_event_invalid (error, doc_id, "no valid “dataset” and “id”");
  expected_id = _rounds_doc_id ("item", dataset, key, NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return _rounds_event_invalid (error, doc_id,
                                  "the id does not match the item's “dataset” and “id”");
  if (scenario == NULL || *scenario == '\0')
    return _rounds_event_invalid (error, doc_id, "“scenario” is required");
  n_responses = responses ? json_array_get_length (responses) : 0;
  if (n_responses < 2 || n_responses > MAX_RESPONSES)
    return _rounds_event_invalid (error, doc_id, "expected 2 to %d responses, found %u",
                                  MAX_RESPONSES, n_responses);
  for (guint i = 0; i < n_responses; i++)
    {
      JsonNode *element = json_array_get_element (responses, i);
      JsonObject *response = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                              : NULL;

      if (response == NULL ||
          !_rounds_event_valid_key (_rounds_event_get_string (response, "id")) ||
          _rounds_event_get_string (response, "text") == NULL)
        return _rounds_event_invalid (error, doc_id,
                                      "response %u needs an “id” and a “text”", i);
      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (_rounds_event_get_string (json_array_get_object_element (responses, k),
                                                 "id"),
                       _rounds_event_get_string (response, "id")) == 0)
          return _rounds_event_invalid (error, doc_id, "two responses have the id “%s”",
                                        _rounds_event_get_string (response, "id"));
    }
  if (json_object_has_member (doc, "overlap") &&
      (!_rounds_event_get_int (doc, "overlap", &overlap) || overlap < 1))
    return _rounds_event_invalid (error, doc_id, "“overlap” must be 1 or more");
  if (json_object_has_member (doc, "position") &&
      (!_rounds_event_get_int (doc, "position", &position) || position < 0))
    return _rounds_event_invalid (error, doc_id, "“position” must be 0 or more");

  if (!(dataset_id = ensure_dataset (run, dataset, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id, i.remote_rev, i.published, i.content_hash,"
                                      " (SELECT COUNT(*) FROM responses WHERE item_id = i.id)"
                                      " AS n_responses,"
                                      " (EXISTS (SELECT 1 FROM annotations WHERE item_id = i.id)"
                                      "  OR EXISTS (SELECT 1 FROM adjudications"
                                      "             WHERE item_id = i.id)) AS judged"
                                      " FROM items i WHERE i.dataset_id = ?1 AND i.key = ?2",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      local_read (&here, stmt);
      old_n_responses = _rounds_sql_int (stmt, "n_responses");
      judged = _rounds_sql_int (stmt, "judged") != 0;
    }
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return FALSE;

  item_id = here.id;
  state = local_state (run, &here, rev, hash, force);
  if (state == LOCAL_REPLACE && judged && old_n_responses != n_responses)
    state = LOCAL_CONFLICT;
  if (state == LOCAL_CONFLICT)
    return _rounds_sync_record_problem (run, ROUNDS_SYNC_PROBLEM_CONFLICT, doc_id, "conflict",
                             judged && old_n_responses != n_responses
                               ? _("The store changed how many responses an item has that has"
                                   " judgements here; this copy is kept")
                               : _("The item was changed both here and in the store; this copy is"
                                   " kept here until you choose one"),
                             rev, error);
  if (state == LOCAL_SAME)
    return keep_same (run, "UPDATE items SET remote_rev = ?2, published = 1 WHERE id = ?1",
                      &here, rev, error);

  if (state == LOCAL_NONE)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "INSERT INTO items (dataset_id, key, position, title,"
                                          " scenario, specialty, language,"
                                          " metadata_json, reference_json, content_hash, overlap,"
                                          " remote_rev, published)"
                                          " VALUES (?1, ?2,"
                                          " CASE WHEN ?3 >= 0 THEN ?3 ELSE (SELECT COALESCE (MAX"
                                          " (position) + 1, 0) FROM items WHERE dataset_id = ?1)"
                                          " END,"
                                          " ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                          " CASE WHEN ?11 > 0 THEN ?11 ELSE (SELECT overlap FROM"
                                          " datasets WHERE id = ?1) END,"
                                          " ?12, 1)", error)))
        return FALSE;
    }
  else if (!(stmt = _rounds_store_prepare (run->store,
                                           "UPDATE items SET position = CASE WHEN ?3 >= 0 THEN ?3"
                                           " ELSE position END,"
                                           " title = ?4, scenario = ?5, specialty = ?6, language"
                                           " = ?7, metadata_json = ?8,"
                                           " reference_json = ?9, content_hash = ?10,"
                                           " overlap = CASE WHEN ?11 > 0 THEN ?11 ELSE overlap END,"
                                           " remote_rev = ?12, published = 1"
                                           " WHERE dataset_id = ?1 AND key = ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, position);
  _rounds_store_bind_text (stmt, 4, _rounds_event_get_string (doc, "title"));
  _rounds_store_bind_text (stmt, 5, scenario);
  _rounds_store_bind_text (stmt, 6, _rounds_event_get_string (doc, "specialty"));
  _rounds_store_bind_text (stmt, 7, _rounds_event_get_string (doc, "language"));
  _rounds_store_bind_text (stmt, 8, metadata_json);
  _rounds_store_bind_text (stmt, 9, reference_json);
  _rounds_store_bind_text (stmt, 10, hash);
  sqlite3_bind_int64 (stmt, 11, overlap);
  _rounds_store_bind_text (stmt, 12, rev);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  if (item_id == 0)
    item_id = sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));

  if (!(stmt = _rounds_store_prepare (run->store, "DELETE FROM responses WHERE item_id = ?1",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO responses (item_id, idx, key, text, model,"
                                      " metadata_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  for (guint i = 0; i < n_responses; i++)
    {
      JsonObject *response = json_array_get_object_element (responses, i);
      g_autofree char *response_metadata = _rounds_event_member_json (response, "metadata");

      sqlite3_bind_int64 (stmt, 1, item_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _rounds_store_bind_text (stmt, 3, _rounds_event_get_string (response, "id"));
      _rounds_store_bind_text (stmt, 4, _rounds_event_get_string (response, "text"));
      _rounds_store_bind_text (stmt, 5, _rounds_event_get_string (response, "model"));
      _rounds_store_bind_text (stmt, 6, response_metadata);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  forget_item (run, dataset, key);
  run->result->n_pulled++;
  return _rounds_sync_clear_problem (run, doc_id, error);
}

/* Applies one pulled document inside a savepoint: a document that cannot be applied is
 * skipped whole, and only a failure of the local database stops the page. */
gboolean
_rounds_sync_apply_doc (Run         *run,
                        JsonObject  *doc,
                        gboolean     force,
                        gboolean    *parked,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *doc_id = _rounds_event_get_string (doc, "_id");
  const char *type = _rounds_event_get_string (doc, "type");
  RoundsEventType event_type;
  gint64 schema = 0;
  gboolean ok;

  *parked = FALSE;
  if (doc_id == NULL || g_str_has_prefix (doc_id, "_design/"))
    return TRUE;
  if (type == NULL || !_rounds_event_get_int (doc, "schema", &schema) || schema < 1)
    {
      g_debug ("%s: no type or schema; skipped", doc_id);
      run->result->n_skipped++;
      return TRUE;
    }
  if (schema > ROUNDS_SYNC_DOC_SCHEMA)
    {
      g_debug ("%s: schema %" G_GINT64_FORMAT " is newer than this client's %d; skipped",
               doc_id, schema, ROUNDS_SYNC_DOC_SCHEMA);
      run->result->n_skipped++;
      return TRUE;
    }

  if (!_rounds_store_exec (run->store, "SAVEPOINT doc", error))
    return FALSE;

  if (_rounds_event_type_from_string (type, &event_type))
    ok = apply_event (run, doc, doc_id, event_type, parked, &local_error);
  else if (g_str_equal (type, "dataset"))
    ok = apply_dataset (run, doc, doc_id, force, &local_error);
  else if (g_str_equal (type, "item"))
    ok = apply_item (run, doc, doc_id, force, &local_error);
  else if (g_str_equal (type, "annotator"))
    ok = apply_annotator (run, doc, doc_id, &local_error);
  else
    {
      g_debug ("%s: unknown type “%s”; skipped", doc_id, type);
      run->result->n_skipped++;
      ok = TRUE;
    }

  if (!ok)
    {
      int code = sqlite3_extended_errcode (_rounds_store_get_db (run->store)) & 0xff;
      gboolean bad_doc =
        g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT) ||
        g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT) ||
        (g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE) &&
         code == SQLITE_CONSTRAINT);

      _rounds_store_exec (run->store, "ROLLBACK TO doc", NULL);
      _rounds_store_exec (run->store, "RELEASE doc", NULL);
      if (!bad_doc)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _rounds_sync_refuse (run, doc_id, local_error->message);
      *parked = FALSE;
      return TRUE;
    }

  return _rounds_store_exec (run->store, "RELEASE doc", error);
}

/* Tries again the events that were waiting for their item. */
gboolean
_rounds_sync_unpark (Run     *run,
                     GError **error)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  guint n_parked = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT value FROM meta WHERE key >="
                                      " '" META_PARKED "' AND key < 'sync.parked;'",
                                      error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonNode *node = _rounds_sync_parse_json (_rounds_sql_text (stmt, "value"));

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (node)));
      g_clear_pointer (&node, json_node_unref);
    }
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return FALSE;

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      const char *doc_id = _rounds_event_get_string (doc, "_id");
      const char *dataset = _rounds_event_get_string (doc, "dataset");
      const char *key = _rounds_event_get_string (doc, "item");
      RoundsItem *item;
      gboolean parked = FALSE;

      if (doc_id == NULL || dataset == NULL || key == NULL)
        continue;
      if (!lookup_item (run, dataset, key, &item, error))
        return FALSE;
      if (item == NULL)
        {
          n_parked++;
          continue;
        }
      if (!_rounds_sync_apply_doc (run, doc, FALSE, &parked, error))
        return FALSE;
      if (parked)
        n_parked++;
      else
        {
          g_autofree char *meta_key = g_strconcat (META_PARKED, doc_id, NULL);

          if (!_rounds_sync_meta_delete (run->store, meta_key, error))
            return FALSE;
        }
    }
  run->result->n_parked = n_parked;
  return TRUE;
}

