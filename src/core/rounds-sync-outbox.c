/* rounds-sync-outbox.c: what waits to go up to the curation store, and marking it pushed
 *
 * The outboxes are the judgement and verdict edits not yet in the store, the profile of the
 * person syncing when it changed, and, for a curator, the datasets and items not yet
 * published. A push reads them kind after kind, in batches, from a cursor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-sql-private.h"
#include "rounds-sync-private.h"
#include "rounds-util-private.h"

/**
 * rounds_sync_count_waiting:
 * @user_name: (nullable): only this person's edits, or everybody's on this machine
 *
 * How many judgement and verdict edits have not reached the store yet.
 */
gboolean
rounds_sync_count_waiting (RoundsStore  *store,
                           const char   *user_name,
                           guint        *n_waiting,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_waiting != NULL, FALSE);

  if (!(stmt = _rounds_store_prepare (store,
                                      "SELECT (SELECT COUNT(*) FROM annotations a"
                                      "         JOIN annotators an ON an.id = a.annotator_id"
                                      "         WHERE a.synced = 0 AND a.origin = 'local'"
                                      "         AND (?1 IS NULL OR an.user_name = ?1"
                                      "              OR an.kind = 'machine'))"
                                      " + (SELECT COUNT(*) FROM adjudications j"
                                      "    JOIN annotators an ON an.id = j.reviewer_id"
                                      "    WHERE j.synced = 0 AND j.origin = 'local'"
                                      "    AND (?1 IS NULL OR an.user_name = ?1)) AS n_waiting",
                                      error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, user_name);
  *n_waiting = 0;
  if (!_rounds_store_step_row (store, stmt, error))
    return FALSE;
  *n_waiting = (guint) _rounds_sql_int64 (stmt, "n_waiting");
  sqlite3_reset (stmt);
  return TRUE;
}

/* Documents going up ------------------------------------------------------------------ */

void
_rounds_sync_outgoing_free (gpointer data)
{
  Outgoing *out = data;

  g_free (out->doc_id);
  g_clear_pointer (&out->doc, json_object_unref);
  g_free (out->content_hash);
  g_free (out);
}

static GStrv
response_keys (Run     *run,
               gint64   item_id,
               GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT key FROM responses WHERE item_id = ?1 ORDER BY idx",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _rounds_sql_text (stmt, "key"));
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return NULL;
  return g_strv_builder_end (builder);
}

static void
set_text (JsonObject *doc,
          const char *member,
          const char *text)
{
  if (text != NULL)
    json_object_set_string_member (doc, member, text);
}

/* A JSON column as a member, parsed; left out when NULL or unreadable. */
static void
set_json (JsonObject *doc,
          const char *member,
          const char *json)
{
  JsonNode *node = _rounds_sync_parse_json (json);

  if (node != NULL)
    json_object_set_member (doc, member, node);
}

/* A comma-separated list of names, as stored for roles and requirements, as a JSON array. */
static JsonArray *
names_to_array (const char *list)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; names[i]; i++)
    if (*names[i] != '\0')
      json_array_add_string_element (array, names[i]);
  return array;
}

/* The stored arrays are in canonical response order; the documents key them by response
 * id, as the Rounds JSONL format does, so that they read without knowing the order. */

static JsonObject *
new_doc (const char *doc_id,
         const char *type)
{
  JsonObject *doc = json_object_new ();

  json_object_set_string_member (doc, "_id", doc_id);
  json_object_set_string_member (doc, "type", type);
  json_object_set_int_member (doc, "schema", ROUNDS_SYNC_DOC_SCHEMA);
  return doc;
}

static Outgoing *
outgoing_new (Kind        kind,
              gint64      row_id,
              JsonObject *doc)
{
  Outgoing *out = g_new0 (Outgoing, 1);

  out->kind = kind;
  out->row_id = row_id;
  out->doc = doc;
  out->doc_id = g_strdup (json_object_get_string_member (doc, "_id"));
  return out;
}

/* A judgement (or verdict) edit of the outbox, as an event document. */
static Outgoing *
event_from_row (Run           *run,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  RoundsEventKey key = {
    .type = run->kind == KIND_JUDGEMENT ? ROUNDS_EVENT_JUDGEMENT : ROUNDS_EVENT_VERDICT,
    .doc_id = _rounds_sql_text (stmt, "doc_id"),
    .dataset = _rounds_sql_text (stmt, "dataset"),
    .item = _rounds_sql_text (stmt, "item_key"),
    .person = _rounds_sql_text (stmt, "user_name"),
    .edit = _rounds_sql_text (stmt, "edit_id"),
  };
  g_auto(GStrv) keys = NULL;

  /* Another statement while this one steps: a different one of the store's cache. */
  if (!(keys = response_keys (run, _rounds_sql_int64 (stmt, "item_id"), error)))
    return NULL;
  return outgoing_new (run->kind, _rounds_sql_int64 (stmt, "id"),
                       _rounds_event_build (&key, stmt, (const char * const *) keys,
                                            g_strv_length (keys), ROUNDS_EVENT_STORE));
}

static Outgoing *
dataset_from_row (Run           *run,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  const char *name = _rounds_sql_text (stmt, "name");
  g_autofree char *doc_id = _rounds_doc_id ("dataset", name, NULL);
  JsonObject *doc = new_doc (doc_id, "dataset");
  Outgoing *out;

  set_text (doc, "_rev", _rounds_sql_text (stmt, "remote_rev"));
  set_text (doc, "id", name);
  set_text (doc, "title", _rounds_sql_text (stmt, "title"));
  set_text (doc, "description", _rounds_sql_text (stmt, "description"));
  set_text (doc, "instructions", _rounds_sql_text (stmt, "instructions"));
  set_json (doc, "rubric", _rounds_sql_text (stmt, "rubric_json"));
  json_object_set_int_member (doc, "scale", _rounds_sql_int (stmt, "scale"));
  json_object_set_int_member (doc, "overlap", _rounds_sql_int (stmt, "overlap"));
  json_object_set_int_member (doc, "dispute_spread", _rounds_sql_int (stmt, "dispute_spread"));
  if (_rounds_sql_int (stmt, "reveal_guardian"))
    json_object_set_boolean_member (doc, "reveal_guardian", TRUE);
  json_object_set_array_member (doc, "required",
                                names_to_array (_rounds_sql_text (stmt, "required")));
  set_json (doc, "metadata", _rounds_sql_text (stmt, "metadata_json"));
  set_text (doc, "content_hash", _rounds_sql_text (stmt, "content_hash"));

  out = outgoing_new (KIND_DATASET, _rounds_sql_int64 (stmt, "id"), doc);
  out->content_hash = _rounds_sql_dup (stmt, "content_hash");
  return out;
}

static gboolean
add_item_responses (Run         *run,
                    Outgoing    *out,
                    GError     **error)
{
  JsonArray *responses = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  json_object_set_array_member (out->doc, "responses", responses);
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT key, text, model, metadata_json FROM responses"
                                      " WHERE item_id = ?1 ORDER BY idx", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, out->row_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *response = json_object_new ();

      set_text (response, "id", _rounds_sql_text (stmt, "key"));
      set_text (response, "text", _rounds_sql_text (stmt, "text"));
      set_text (response, "model", _rounds_sql_text (stmt, "model"));
      set_json (response, "metadata", _rounds_sql_text (stmt, "metadata_json"));
      json_array_add_object_element (responses, response);
    }
  return _rounds_store_step_end (run->store, stmt, rc, error);
}

static Outgoing *
item_from_row (Run           *run,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autofree char *doc_id = _rounds_doc_id ("item", _rounds_sql_text (stmt, "dataset"),
                                            _rounds_sql_text (stmt, "key"), NULL);
  JsonObject *doc = new_doc (doc_id, "item");
  Outgoing *out;

  set_text (doc, "_rev", _rounds_sql_text (stmt, "remote_rev"));
  set_text (doc, "dataset", _rounds_sql_text (stmt, "dataset"));
  set_text (doc, "id", _rounds_sql_text (stmt, "key"));
  json_object_set_int_member (doc, "position", _rounds_sql_int64 (stmt, "position"));
  set_text (doc, "title", _rounds_sql_text (stmt, "title"));
  set_text (doc, "scenario", _rounds_sql_text (stmt, "scenario"));
  set_text (doc, "specialty", _rounds_sql_text (stmt, "specialty"));
  set_text (doc, "language", _rounds_sql_text (stmt, "language"));
  set_json (doc, "metadata", _rounds_sql_text (stmt, "metadata_json"));
  set_json (doc, "reference", _rounds_sql_text (stmt, "reference_json"));
  json_object_set_int_member (doc, "overlap", _rounds_sql_int (stmt, "overlap"));
  set_text (doc, "content_hash", _rounds_sql_text (stmt, "content_hash"));

  out = outgoing_new (KIND_ITEM, _rounds_sql_int64 (stmt, "id"), doc);
  out->content_hash = _rounds_sql_dup (stmt, "content_hash");
  /* Another statement while this one steps: a different one of the store's cache. */
  if (!add_item_responses (run, out, error))
    return _rounds_sync_outgoing_free (out), NULL;
  return out;
}

typedef Outgoing *(*OutboxRowFunc) (Run           *run,
                                    sqlite3_stmt  *stmt,
                                    GError       **error);

/* The outboxes read row by row: ?1 is the cursor, ?2 how many rows at most and ?3, for the
 * edits, whose. A pushed row is marked with ?1 its id and, for datasets and items, ?2 its new
 * revision and ?3 the content pushed: it is published only if nobody re-imported it
 * meanwhile; else the next push sends the newer version, on top of this revision. The
 * profile is no table of its own. */
static const struct
{
  const char    *sql;
  OutboxRowFunc  from_row;
  const char    *pushed_sql;
} outboxes[N_KINDS] = {
  [KIND_DATASET] = {
    "SELECT id, name, title, description, instructions,"
    " rubric_json, scale, overlap, dispute_spread, reveal_guardian, required,"
    " metadata_json, content_hash, remote_rev"
    " FROM datasets WHERE published = 0 AND id > ?1"
    " ORDER BY id LIMIT ?2",
    dataset_from_row,
    "UPDATE datasets SET remote_rev = ?2, published = (content_hash IS ?3) WHERE id = ?1" },
  [KIND_ITEM] = {
    "SELECT i.id, d.name AS dataset, i.key, i.position, i.title,"
    " i.scenario, i.specialty, i.language, i.metadata_json,"
    " i.reference_json, i.content_hash, i.overlap, i.remote_rev"
    " FROM items i JOIN datasets d ON d.id = i.dataset_id"
    " WHERE i.published = 0 AND i.id > ?1"
    /* An item awaiting responses stays here until it has them. */
    "   AND EXISTS (SELECT 1 FROM responses r WHERE r.item_id = i.id AND r.idx = 1)"
    " ORDER BY i.id LIMIT ?2",
    item_from_row,
    "UPDATE items SET remote_rev = ?2, published = (content_hash IS ?3) WHERE id = ?1" },
  [KIND_JUDGEMENT] = {
    "SELECT a.id, a.doc_id, a.edit_id, an.user_name,"
    " d.name AS dataset, i.key AS item_key, a.revision, a.status,"
    " a.preference,"
    " a.ranking_json, a.unacceptable, a.scores_json, a.flags_json,"
    " a.notes_json, a.comment, a.skip_reason, a.shown_order,"
    " a.time_spent_ms, a.created_at, a.item_id"
    " FROM annotations a"
    " JOIN annotators an ON an.id = a.annotator_id"
    " JOIN items i ON i.id = a.item_id"
    " JOIN datasets d ON d.id = i.dataset_id"
    " WHERE a.synced = 0 AND a.origin = 'local' AND a.id > ?1"
    /* A machine's judgements (the guardian's) go with whoever syncs: the store lets only a
     * curator write them, and keeps the rest in the outbox, named. */
    " AND (an.user_name = ?3 OR an.kind = 'machine')"
    " ORDER BY a.id LIMIT ?2",
    event_from_row,
    "UPDATE annotations SET synced = 1 WHERE id = ?1" },
  [KIND_VERDICT] = {
    "SELECT j.id, j.doc_id, j.edit_id, an.user_name,"
    " d.name AS dataset, i.key AS item_key, j.revision,"
    " j.preference, j.ranking_json,"
    " j.unacceptable, j.scores_json, j.rationale, j.resolves_json,"
    " j.models_revealed, j.created_at, j.item_id"
    " FROM adjudications j"
    " JOIN annotators an ON an.id = j.reviewer_id"
    " JOIN items i ON i.id = j.item_id"
    " JOIN datasets d ON d.id = i.dataset_id"
    " WHERE j.synced = 0 AND j.origin = 'local' AND j.id > ?1"
    " AND an.user_name = ?3"
    " ORDER BY j.id LIMIT ?2",
    event_from_row,
    "UPDATE adjudications SET synced = 1 WHERE id = ?1" },
};

/* Reads up to @max rows of the current kind's outbox after the cursor into @batch. */
static gboolean
read_outbox (Run        *run,
             GPtrArray  *batch,
             guint       max,
             GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store, outboxes[run->kind].sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->cursor);
  sqlite3_bind_int (stmt, 2, (int) max);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _rounds_store_bind_text (stmt, 3, run->profile);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Outgoing *out = outboxes[run->kind].from_row (run, stmt, error);

      if (out == NULL)
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      run->cursor = out->row_id;
      g_ptr_array_add (batch, out);
    }
  return _rounds_store_step_end (run->store, stmt, rc, error);
}

/* Where the meta table keeps what was last pushed of the profile to this server and
 * database: {"rev", "hash"}. */
static char *
profile_state_key (Run *run)
{
  return g_strdup_printf ("%s%s/%s:%s", META_PROFILE, run->server_uuid,
                          rounds_couch_get_db_name (run->couch), run->profile);
}

static JsonObject *
profile_doc (Run           *run,
             RoundsProfile *profile)
{
  g_autofree char *doc_id = _rounds_doc_id ("annotator", run->profile, NULL);
  g_autofree char *roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
  JsonObject *doc = new_doc (doc_id, "annotator");

  set_text (doc, "user", rounds_profile_get_user_name (profile));
  set_text (doc, "display_name", rounds_profile_get_display_name (profile));
  set_text (doc, "specialty", rounds_profile_get_specialty (profile));
  json_object_set_array_member (doc, "roles", names_to_array (roles));
  return doc;
}

/* The profile of the person syncing, when it differs from what was last pushed. */
static gboolean
read_profile (Run        *run,
              GPtrArray  *batch,
              GError    **error)
{
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonNode) state_node = NULL;
  g_autofree char *key = NULL;
  g_autofree char *state = NULL;
  g_autofree char *content = NULL;
  g_autofree char *hash = NULL;
  Outgoing *out;

  if (!(profile = rounds_store_get_profile (run->store, run->profile, &local_error)))
    {
      if (g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  doc = profile_doc (run, profile);
  content = _rounds_sync_object_to_string (doc);
  hash = _rounds_sha256_hex (content, -1);
  key = profile_state_key (run);
  if (!(state = _rounds_store_get_meta (run->store, key, &local_error)) && local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  state_node = _rounds_sync_parse_json (state);
  if (state_node != NULL && JSON_NODE_HOLDS_OBJECT (state_node))
    {
      JsonObject *object = json_node_get_object (state_node);

      if (g_strcmp0 (_rounds_event_get_string (object, "hash"), hash) == 0)
        return TRUE;
      set_text (doc, "_rev", _rounds_event_get_string (object, "rev"));
    }

  out = outgoing_new (KIND_PROFILE, 0, g_steal_pointer (&doc));
  out->content_hash = g_steal_pointer (&hash);
  g_ptr_array_add (batch, out);
  return TRUE;
}

/* Fills @batch up to the batch size from the outboxes, kind after kind. */
gboolean
_rounds_sync_fill_batch (Run        *run,
                         GPtrArray  *batch,
                         GError    **error)
{
  while (batch->len < run->batch_size && run->kind < N_KINDS)
    {
      guint before = batch->len;
      guint room = run->batch_size - batch->len;
      gboolean ok;

      if (run->kind == KIND_PROFILE)
        ok = read_profile (run, batch, error);
      else if (run->kind == KIND_DATASET || run->kind == KIND_ITEM)
        ok = !(run->roles & ROUNDS_ROLE_CURATOR) || read_outbox (run, batch, room, error);
      else
        ok = read_outbox (run, batch, room, error);
      if (!ok)
        return FALSE;

      /* A kind is done when it gave less than was room for; the profile is one read. */
      if (run->kind == KIND_PROFILE || batch->len - before < room)
        {
          run->kind++;
          run->cursor = 0;
        }
    }
  return TRUE;
}

/* Marks one document as in the store, at revision @rev. */
gboolean
_rounds_sync_mark_pushed (Run         *run,
                          Outgoing    *out,
                          const char  *rev,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  if (out->kind == KIND_PROFILE)
    {
      g_autoptr(JsonObject) state = json_object_new ();
      g_autofree char *key = profile_state_key (run);
      g_autofree char *value = NULL;

      json_object_set_string_member (state, "rev", rev);
      json_object_set_string_member (state, "hash", out->content_hash);
      value = _rounds_sync_object_to_string (state);
      if (!_rounds_store_set_meta (run->store, key, value, error))
        return FALSE;
    }
  else
    {
      if (!(stmt = _rounds_store_prepare (run->store, outboxes[out->kind].pushed_sql, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, out->row_id);
      if (sqlite3_bind_parameter_count (stmt) >= 3)
        {
          _rounds_store_bind_text (stmt, 2, rev);
          _rounds_store_bind_text (stmt, 3, out->content_hash);
        }
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }
  return _rounds_sync_clear_problem (run, out->doc_id, error);
}

gboolean
_rounds_sync_count_outbox (Run     *run,
                           GError **error)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  if (!rounds_sync_count_waiting (run->store, run->profile, &n, error))
    return FALSE;
  run->n_total = n;
  if (run->roles & ROUNDS_ROLE_CURATOR)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "SELECT (SELECT COUNT(*) FROM datasets"
                                          "         WHERE published = 0)"
                                          " + (SELECT COUNT(*) FROM items i"
                                          "    WHERE published = 0 AND EXISTS (SELECT 1"
                                          "    FROM responses r WHERE r.item_id = i.id"
                                          "    AND r.idx = 1))"
                                          " AS n_unpublished", error)) ||
          !_rounds_store_step_row (run->store, stmt, error))
        return FALSE;
      run->n_total += (guint) _rounds_sql_int64 (stmt, "n_unpublished");
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* The audit rows of the edits that reached the store are in the store too, as events. */
gboolean
_rounds_sync_mark_audit_synced (Run     *run,
                                GError **error)
{
  return _rounds_store_exec (run->store,
                             "UPDATE audit_log SET synced = 1 WHERE synced = 0"
                             " AND action IN ('judgement.submit', 'judgement.revise',"
                             " 'judgement.skip')"
                             " AND json_valid (detail_json)"
                             " AND json_extract (detail_json, '$.edit') IN"
                             " (SELECT edit_id FROM annotations WHERE synced = 1)",
                             error);
}

