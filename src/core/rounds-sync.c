/* rounds-sync.c: pushing local edits to the curation store and pulling the team's back
 *
 * Push: every judgement and verdict edit not yet in the store becomes an immutable event
 * document and goes up through _bulk_docs in batches; so do the profile of the person
 * syncing and, for a curator, the datasets and items they imported. Results are matched
 * by id. An answer that never came (a timeout, a reset) means the outcome is unknown, so
 * the same batch is sent again: an event that is there already comes back as a conflict,
 * and counts as pushed when the stored copy is ours. Datasets and items are mutable
 * documents with revision checks; a conflict on one is listed, never settled silently.
 *
 * Pull: _changes in pages from a checkpoint kept per server and database. A page is
 * applied and the checkpoint moved in one SQLite transaction, and applying is idempotent,
 * so a crash at any point costs at most a replay. The checkpoint is mirrored in a _local
 * document on the server; if the two disagree the server's is used, and if the server has
 * none (a database recreated under the same name) the feed is read from the start.
 *
 * Whatever cannot go through stays where it is, with the reason kept in the meta table
 * ("sync.problem:<doc id>") so the app can show it; pulled events whose item has not
 * arrived yet wait there too ("sync.parked:<doc id>").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rounds-couch.h"
#include "rounds-error.h"
#include "rounds-store-private.h"
#include "rounds-sync.h"
#include "rounds-util-private.h"

#define DEFAULT_BATCH_SIZE  500
#define MAX_BATCH_SIZE      1000
#define DEFAULT_PAGE_SIZE   500
#define DEFAULT_ATTEMPTS    4
#define DEFAULT_DELAY_MS    1000
#define MAX_RESPONSES       8

#define META_CLIENT_ID      "sync.client_id"
#define META_PROBLEM        "sync.problem:"
#define META_PARKED         "sync.parked:"
#define META_PROFILE        "sync.profile:"

typedef struct
{
  char                 *doc_id;
  RoundsSyncResolution  resolution;
} Resolution;

/* A snapshot of the settings, so a run in a thread never reads the object. */
typedef struct
{
  char                *url;
  char                *user;
  char                *password;
  char                *ca_file;
  char                *profile;
  RoundsSyncDirection  direction;
  guint                batch_size;
  guint                page_size;
  guint                connect_ms;
  guint                total_ms;
  guint                attempts;
  guint                delay_ms;
  GArray              *resolutions;     /* Resolution */
} Config;

struct _RoundsSync
{
  GObject          parent_instance;

  Config           config;
  char            *display_url;         /* config.url without credentials */
  RoundsSyncStage  stage;               /* read and notified on the caller's thread */
  double           fraction;
  GMainContext    *context;             /* where an async run reports progress */
};

G_DEFINE_FINAL_TYPE (RoundsSync, rounds_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_USER,
  PROP_STAGE,
  PROP_FRACTION,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

typedef enum
{
  KIND_DATASET,
  KIND_ITEM,
  KIND_PROFILE,
  KIND_JUDGEMENT,
  KIND_VERDICT,
  N_KINDS
} Kind;

/* One document on its way up. */
typedef struct
{
  Kind        kind;
  gint64      row_id;
  char       *doc_id;
  JsonObject *doc;
  char       *content_hash;   /* datasets and items: what was published */
} Outgoing;

/* One run: push, pull or both, on one store connection in one thread. */
typedef struct
{
  RoundsSync        *sync;
  Config            *config;
  RoundsStore       *store;
  RoundsCouch       *couch;
  GCancellable      *cancellable;
  RoundsSyncResult  *result;

  char              *server_uuid;
  char              *client_id;
  char              *profile;        /* whose work is pushed; NULL: nobody's */
  RoundsRoles        roles;
  guint              batch_size;     /* halved for the rest of the run on a 413 */

  /* Push: where each kind's outbox has been read up to. */
  Kind               kind;
  gint64             cursor;
  guint              n_total;
  guint              n_done;

  /* Pull: what the pages look up again and again. */
  GHashTable        *items;          /* "dataset\x1fkey" → RoundsItem */
  GHashTable        *rubrics;        /* dataset id → RoundsRubric */
} Run;

/* Results and problems ---------------------------------------------------------------- */

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
  g_free (self);
}

static RoundsSyncProblem *
problem_copy (const RoundsSyncProblem *problem)
{
  RoundsSyncProblem *copy = g_new0 (RoundsSyncProblem, 1);

  copy->kind = problem->kind;
  copy->doc_id = g_strdup (problem->doc_id);
  copy->error = g_strdup (problem->error);
  copy->reason = g_strdup (problem->reason);
  copy->server_rev = g_strdup (problem->server_rev);
  copy->at = g_strdup (problem->at);
  return copy;
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

RoundsSyncResult *
rounds_sync_result_new (void)
{
  RoundsSyncResult *self = g_new0 (RoundsSyncResult, 1);

  self->forbidden = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  self->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  return self;
}

RoundsSyncResult *
rounds_sync_result_copy (const RoundsSyncResult *self)
{
  RoundsSyncResult *copy = rounds_sync_result_new ();

  copy->n_pushed = self->n_pushed;
  copy->n_pulled = self->n_pulled;
  copy->n_unchanged = self->n_unchanged;
  copy->n_skipped = self->n_skipped;
  copy->n_parked = self->n_parked;
  copy->n_waiting = self->n_waiting;
  for (guint i = 0; i < self->forbidden->len; i++)
    g_ptr_array_add (copy->forbidden, problem_copy (g_ptr_array_index (self->forbidden, i)));
  for (guint i = 0; i < self->conflicts->len; i++)
    g_ptr_array_add (copy->conflicts, problem_copy (g_ptr_array_index (self->conflicts, i)));
  return copy;
}

void
rounds_sync_result_free (RoundsSyncResult *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->forbidden);
  g_ptr_array_unref (self->conflicts);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (RoundsSyncResult, rounds_sync_result, rounds_sync_result_copy, rounds_sync_result_free)

/* Config ------------------------------------------------------------------------------ */

static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      volatile char *p = *secret;

      while (*p)
        *p++ = '\0';
      g_clear_pointer (secret, g_free);
    }
}

static void
resolution_clear (gpointer data)
{
  g_free (((Resolution *) data)->doc_id);
}

static void
config_clear (Config *config)
{
  wipe (&config->url);
  g_clear_pointer (&config->user, g_free);
  wipe (&config->password);
  g_clear_pointer (&config->ca_file, g_free);
  g_clear_pointer (&config->profile, g_free);
  g_clear_pointer (&config->resolutions, g_array_unref);
}

static Config *
config_copy (const Config *config)
{
  Config *copy = g_new0 (Config, 1);

  *copy = *config;
  copy->url = g_strdup (config->url);
  copy->user = g_strdup (config->user);
  copy->password = g_strdup (config->password);
  copy->ca_file = g_strdup (config->ca_file);
  copy->profile = g_strdup (config->profile);
  copy->resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
  g_array_set_clear_func (copy->resolutions, resolution_clear);
  for (guint i = 0; config->resolutions && i < config->resolutions->len; i++)
    {
      Resolution r = g_array_index (config->resolutions, Resolution, i);

      r.doc_id = g_strdup (r.doc_id);
      g_array_append_val (copy->resolutions, r);
    }
  return copy;
}

static void
config_free (Config *config)
{
  config_clear (config);
  g_free (config);
}

/* Progress ---------------------------------------------------------------------------- */

typedef struct
{
  RoundsSync      *sync;
  RoundsSyncStage  stage;
  guint            done;
  guint            total;
} ProgressUpdate;

static gboolean
progress_dispatch (gpointer data)
{
  ProgressUpdate *update = data;
  RoundsSync *self = update->sync;
  double fraction;

  if (update->stage == ROUNDS_SYNC_STAGE_DONE)
    fraction = 1.0;
  else if (update->total > 0)
    fraction = MIN (1.0, (double) update->done / update->total);
  else
    fraction = 0.0;

  if (self->stage != update->stage)
    {
      self->stage = update->stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_signal_emit (self, signals[PROGRESS], 0, update->stage, update->done, update->total);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->sync);
  g_free (update);
}

static void
report (Run             *run,
        RoundsSyncStage  stage,
        guint            done,
        guint            total)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->sync = g_object_ref (run->sync);
  update->stage = stage;
  update->done = done;
  update->total = total;
  if (run->sync->context != NULL)
    g_main_context_invoke_full (run->sync->context, G_PRIORITY_DEFAULT, progress_dispatch,
                                update, progress_free);
  else
    {
      progress_dispatch (update);
      progress_free (update);
    }
}

/* SQL --------------------------------------------------------------------------------- */

static gboolean
meta_delete (RoundsStore  *store,
             const char   *key,
             GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (store, "DELETE FROM meta WHERE key = ?1", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, key);
  return _rounds_store_step_done (store, stmt, error);
}

static char *
node_to_string (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonNode *
parse_json (const char *text)
{
  if (text == NULL)
    return NULL;
  return json_from_string (text, NULL);
}

/* The id of this client, made once per database file: names its checkpoint document. */
static char *
ensure_client_id (RoundsStore  *store,
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

/* Problems, kept in meta until the document goes through ------------------------------ */

static RoundsSyncProblem *
problem_new (RoundsSyncProblemKind   kind,
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
static gboolean
persist_problem (Run                      *run,
                 const RoundsSyncProblem  *problem,
                 GError                  **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *key = g_strconcat (META_PROBLEM, problem->doc_id, NULL);
  g_autofree char *value = NULL;

  json_object_set_string_member (object, "kind", rounds_sync_problem_kind_to_string (problem->kind));
  json_object_set_string_member (object, "error", problem->error);
  json_object_set_string_member (object, "reason", problem->reason);
  if (problem->server_rev != NULL)
    json_object_set_string_member (object, "server_rev", problem->server_rev);
  json_object_set_string_member (object, "at", problem->at);
  value = object_to_string (object);
  g_debug ("%s: %s: %s", problem->doc_id, problem->error, problem->reason);
  return _rounds_store_set_meta (run->store, key, value, error);
}

/* Lists the problem in the run's result, which takes it. */
static void
list_problem (Run               *run,
              RoundsSyncProblem *problem)
{
  if (problem->kind == ROUNDS_SYNC_PROBLEM_CONFLICT)
    g_ptr_array_add (run->result->conflicts, problem);
  else
    g_ptr_array_add (run->result->forbidden, problem);
}

static gboolean
record_problem (Run                    *run,
                RoundsSyncProblemKind   kind,
                const char             *doc_id,
                const char             *err,
                const char             *reason,
                const char             *server_rev,
                GError                **error)
{
  RoundsSyncProblem *problem = problem_new (kind, doc_id, err, reason, server_rev);

  if (!persist_problem (run, problem, error))
    {
      rounds_sync_problem_free (problem);
      return FALSE;
    }
  list_problem (run, problem);
  return TRUE;
}

static gboolean
clear_problem (Run         *run,
               const char  *doc_id,
               GError     **error)
{
  g_autofree char *key = g_strconcat (META_PROBLEM, doc_id, NULL);

  return meta_delete (run->store, key, error);
}

/**
 * rounds_sync_list_problems:
 *
 * The documents that did not go through in earlier syncs and are still waiting: refused
 * edits and datasets or items in conflict, by document id.
 *
 * Returns: (transfer full) (element-type RoundsSyncProblem): the problems
 */
GPtrArray *
rounds_sync_list_problems (RoundsStore  *store,
                           GError      **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);

  if (!(stmt = _rounds_store_prepare (store,
                                      "SELECT key, value FROM meta WHERE key >= '" META_PROBLEM "'"
                                      " AND key < 'sync.problem;' ORDER BY key", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = parse_json ((const char *) sqlite3_column_text (stmt, 1));
      RoundsSyncProblem *problem;
      JsonObject *object;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      problem = g_new0 (RoundsSyncProblem, 1);
      problem->doc_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0) + strlen (META_PROBLEM));
      problem->kind = problem_kind_from_string (json_object_get_string_member_with_default (object, "kind", NULL));
      problem->error = g_strdup (json_object_get_string_member_with_default (object, "error", ""));
      problem->reason = g_strdup (json_object_get_string_member_with_default (object, "reason", ""));
      problem->server_rev = g_strdup (json_object_get_string_member_with_default (object, "server_rev", NULL));
      problem->at = g_strdup (json_object_get_string_member_with_default (object, "at", NULL));
      g_ptr_array_add (problems, problem);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&problems);
}

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
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_waiting != NULL, FALSE);

  if (!(stmt = _rounds_store_prepare (store,
                                      "SELECT (SELECT COUNT(*) FROM annotations a JOIN annotators an ON an.id = a.annotator_id"
                                      "        WHERE a.synced = 0 AND a.origin = 'local' AND (?1 IS NULL OR an.user_name = ?1))"
                                      " + (SELECT COUNT(*) FROM adjudications j JOIN annotators an ON an.id = j.reviewer_id"
                                      "    WHERE j.synced = 0 AND j.origin = 'local' AND (?1 IS NULL OR an.user_name = ?1))",
                                      error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  *n_waiting = rc == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (store, error);
  return TRUE;
}

/* Documents going up ------------------------------------------------------------------ */

static void
outgoing_free (gpointer data)
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

  if (!(stmt = _rounds_store_prepare (run->store, "SELECT key FROM responses WHERE item_id = ?1 ORDER BY idx", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (run->store, error);
      return NULL;
    }
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
  JsonNode *node = parse_json (json);

  if (node != NULL)
    json_object_set_member (doc, member, node);
}

/* The stored arrays are in canonical response order; the documents key them by response
 * id, as the Rounds JSONL format does, so that they read without knowing the order. */
static void
set_keyed (JsonObject         *doc,
           const char         *member,
           const char         *json,
           const char * const *keys,
           gboolean            skip_zero)
{
  g_autoptr(JsonNode) node = parse_json (json);
  g_autoptr(JsonObject) keyed = json_object_new ();
  guint n_keys = g_strv_length ((GStrv) keys);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < MIN (n_keys, json_array_get_length (array)); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (JSON_NODE_HOLDS_ARRAY (element) && json_array_get_length (json_node_get_array (element)) == 0)
        continue;
      if (JSON_NODE_HOLDS_OBJECT (element) && json_object_get_size (json_node_get_object (element)) == 0)
        continue;
      if (skip_zero && JSON_NODE_HOLDS_VALUE (element) && json_node_get_int (element) == 0)
        continue;
      json_object_set_member (keyed, keys[i], json_node_copy (element));
    }
  if (json_object_get_size (keyed) > 0)
    json_object_set_object_member (doc, member, json_object_ref (keyed));
}

static void
set_order (JsonObject         *doc,
           const char         *json,
           const char * const *keys)
{
  g_autoptr(JsonNode) node = parse_json (json);
  guint n_keys = g_strv_length ((GStrv) keys);
  JsonArray *order = json_array_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        gint64 index = json_array_get_int_element (json_node_get_array (node), i);

        if (index >= 0 && index < n_keys)
          json_array_add_string_element (order, keys[index]);
      }
  json_object_set_array_member (doc, "shown_order", order);
}

static void
set_keys (JsonObject         *doc,
          const char * const *keys)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; keys[i]; i++)
    json_array_add_string_element (array, keys[i]);
  json_object_set_array_member (doc, "responses", array);
}

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

/* Reads up to @max judgement edits of the outbox after @cursor into @batch. */
static gboolean
read_judgements (Run        *run,
                 GPtrArray  *batch,
                 guint       max,
                 GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT a.id, a.doc_id, a.edit_id, an.user_name, d.name, i.key, a.revision, a.status,"
                                      " a.preference, a.ranking_json, a.unacceptable, a.scores_json, a.flags_json,"
                                      " a.notes_json, a.comment, a.skip_reason, a.shown_order, a.time_spent_ms,"
                                      " a.created_at, a.item_id"
                                      " FROM annotations a JOIN annotators an ON an.id = a.annotator_id"
                                      " JOIN items i ON i.id = a.item_id JOIN datasets d ON d.id = i.dataset_id"
                                      " WHERE a.synced = 0 AND a.origin = 'local' AND a.id > ?2 AND an.user_name = ?1"
                                      " ORDER BY a.id LIMIT ?3", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, run->profile);
  sqlite3_bind_int64 (stmt, 2, run->cursor);
  sqlite3_bind_int (stmt, 3, (int) max);

  /* Collect the rows first: response_keys() needs the statement cache too. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *doc = new_doc ((const char *) sqlite3_column_text (stmt, 1), "judgement");
      Outgoing *out;

      set_text (doc, "annotator", (const char *) sqlite3_column_text (stmt, 3));
      set_text (doc, "dataset", (const char *) sqlite3_column_text (stmt, 4));
      set_text (doc, "item", (const char *) sqlite3_column_text (stmt, 5));
      set_text (doc, "edit", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_int_member (doc, "revision", sqlite3_column_int (stmt, 6));
      set_text (doc, "status", (const char *) sqlite3_column_text (stmt, 7));
      set_text (doc, "created_at", (const char *) sqlite3_column_text (stmt, 18));
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        json_object_set_int_member (doc, "preference", sqlite3_column_int (stmt, 8));
      json_object_set_boolean_member (doc, "unacceptable", sqlite3_column_int (stmt, 10) != 0);
      set_text (doc, "comment", (const char *) sqlite3_column_text (stmt, 14));
      set_text (doc, "skip_reason", (const char *) sqlite3_column_text (stmt, 15));
      json_object_set_int_member (doc, "time_spent_ms", sqlite3_column_int64 (stmt, 17));
      /* The canonical-order columns, converted below once the keys are known. */
      set_text (doc, "~ranking", (const char *) sqlite3_column_text (stmt, 9));
      set_text (doc, "~scores", (const char *) sqlite3_column_text (stmt, 11));
      set_text (doc, "~flags", (const char *) sqlite3_column_text (stmt, 12));
      set_text (doc, "~notes", (const char *) sqlite3_column_text (stmt, 13));
      set_text (doc, "~order", (const char *) sqlite3_column_text (stmt, 16));
      json_object_set_int_member (doc, "~item_id", sqlite3_column_int64 (stmt, 19));

      out = outgoing_new (KIND_JUDGEMENT, sqlite3_column_int64 (stmt, 0), doc);
      run->cursor = out->row_id;
      g_ptr_array_add (batch, out);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

/* Turns the canonical-order columns a reader left in @doc into keyed members. */
static gboolean
finish_event_doc (Run         *run,
                  JsonObject  *doc,
                  GError     **error)
{
  static const char * const members[] = { "ranking", "scores", "flags", "notes" };
  g_auto(GStrv) keys = NULL;

  if (!(keys = response_keys (run, json_object_get_int_member (doc, "~item_id"), error)))
    return FALSE;
  json_object_remove_member (doc, "~item_id");

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      g_autofree char *hidden = g_strconcat ("~", members[m], NULL);
      const char *json = json_object_get_string_member_with_default (doc, hidden, NULL);

      if (json != NULL)
        set_keyed (doc, members[m], json, (const char * const *) keys, m == 0);
      json_object_remove_member (doc, hidden);
    }
  if (json_object_has_member (doc, "~order"))
    {
      set_order (doc, json_object_get_string_member (doc, "~order"), (const char * const *) keys);
      json_object_remove_member (doc, "~order");
    }
  set_keys (doc, (const char * const *) keys);
  return TRUE;
}

static gboolean
read_verdicts (Run        *run,
               GPtrArray  *batch,
               guint       max,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT j.id, j.doc_id, j.edit_id, an.user_name, d.name, i.key, j.revision,"
                                      " j.preference, j.ranking_json, j.unacceptable, j.scores_json, j.rationale,"
                                      " j.resolves_json, j.models_revealed, j.created_at, j.item_id"
                                      " FROM adjudications j JOIN annotators an ON an.id = j.reviewer_id"
                                      " JOIN items i ON i.id = j.item_id JOIN datasets d ON d.id = i.dataset_id"
                                      " WHERE j.synced = 0 AND j.origin = 'local' AND j.id > ?2 AND an.user_name = ?1"
                                      " ORDER BY j.id LIMIT ?3", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, run->profile);
  sqlite3_bind_int64 (stmt, 2, run->cursor);
  sqlite3_bind_int (stmt, 3, (int) max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *doc = new_doc ((const char *) sqlite3_column_text (stmt, 1), "verdict");
      Outgoing *out;

      set_text (doc, "reviewer", (const char *) sqlite3_column_text (stmt, 3));
      set_text (doc, "dataset", (const char *) sqlite3_column_text (stmt, 4));
      set_text (doc, "item", (const char *) sqlite3_column_text (stmt, 5));
      set_text (doc, "edit", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_int_member (doc, "revision", sqlite3_column_int (stmt, 6));
      set_text (doc, "created_at", (const char *) sqlite3_column_text (stmt, 14));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        json_object_set_int_member (doc, "preference", sqlite3_column_int (stmt, 7));
      json_object_set_boolean_member (doc, "unacceptable", sqlite3_column_int (stmt, 9) != 0);
      set_text (doc, "rationale", (const char *) sqlite3_column_text (stmt, 11));
      set_json (doc, "resolves", (const char *) sqlite3_column_text (stmt, 12));
      json_object_set_boolean_member (doc, "models_revealed", sqlite3_column_int (stmt, 13) != 0);
      set_text (doc, "~ranking", (const char *) sqlite3_column_text (stmt, 8));
      set_text (doc, "~scores", (const char *) sqlite3_column_text (stmt, 10));
      json_object_set_int_member (doc, "~item_id", sqlite3_column_int64 (stmt, 15));

      out = outgoing_new (KIND_VERDICT, sqlite3_column_int64 (stmt, 0), doc);
      run->cursor = out->row_id;
      g_ptr_array_add (batch, out);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

static gboolean
read_datasets (Run        *run,
               GPtrArray  *batch,
               guint       max,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT id, name, title, description, instructions, rubric_json, scale, overlap,"
                                      " dispute_spread, required, metadata_json, content_hash, remote_rev"
                                      " FROM datasets WHERE published = 0 AND id > ?1 ORDER BY id LIMIT ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->cursor);
  sqlite3_bind_int (stmt, 2, (int) max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      g_autofree char *doc_id = _rounds_doc_id ("dataset", name, NULL);
      g_auto(GStrv) required = g_strsplit ((const char *) sqlite3_column_text (stmt, 9), ",", -1);
      JsonObject *doc = new_doc (doc_id, "dataset");
      JsonArray *required_array = json_array_new ();
      Outgoing *out;

      if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
        json_object_set_string_member (doc, "_rev", (const char *) sqlite3_column_text (stmt, 12));
      set_text (doc, "id", name);
      set_text (doc, "title", (const char *) sqlite3_column_text (stmt, 2));
      set_text (doc, "description", (const char *) sqlite3_column_text (stmt, 3));
      set_text (doc, "instructions", (const char *) sqlite3_column_text (stmt, 4));
      set_json (doc, "rubric", (const char *) sqlite3_column_text (stmt, 5));
      json_object_set_int_member (doc, "scale", sqlite3_column_int (stmt, 6));
      json_object_set_int_member (doc, "overlap", sqlite3_column_int (stmt, 7));
      json_object_set_int_member (doc, "dispute_spread", sqlite3_column_int (stmt, 8));
      for (guint i = 0; required[i]; i++)
        if (*required[i] != '\0')
          json_array_add_string_element (required_array, required[i]);
      json_object_set_array_member (doc, "required", required_array);
      set_json (doc, "metadata", (const char *) sqlite3_column_text (stmt, 10));
      set_text (doc, "content_hash", (const char *) sqlite3_column_text (stmt, 11));

      out = outgoing_new (KIND_DATASET, sqlite3_column_int64 (stmt, 0), doc);
      out->content_hash = _rounds_store_column_dup (stmt, 11);
      run->cursor = out->row_id;
      g_ptr_array_add (batch, out);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
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
                                      "SELECT key, text, model, metadata_json FROM responses WHERE item_id = ?1 ORDER BY idx",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, out->row_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *response = json_object_new ();

      set_text (response, "id", (const char *) sqlite3_column_text (stmt, 0));
      set_text (response, "text", (const char *) sqlite3_column_text (stmt, 1));
      set_text (response, "model", (const char *) sqlite3_column_text (stmt, 2));
      set_json (response, "metadata", (const char *) sqlite3_column_text (stmt, 3));
      json_array_add_object_element (responses, response);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

static gboolean
read_items (Run        *run,
            GPtrArray  *batch,
            guint       max,
            GError    **error)
{
  sqlite3_stmt *stmt;
  guint first = batch->len;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id, d.name, i.key, i.position, i.title, i.scenario, i.specialty, i.language,"
                                      " i.metadata_json, i.reference_json, i.content_hash, i.overlap, i.remote_rev"
                                      " FROM items i JOIN datasets d ON d.id = i.dataset_id"
                                      " WHERE i.published = 0 AND i.id > ?1 ORDER BY i.id LIMIT ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->cursor);
  sqlite3_bind_int (stmt, 2, (int) max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *doc_id = _rounds_doc_id ("item", (const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2), NULL);
      JsonObject *doc = new_doc (doc_id, "item");
      Outgoing *out;

      if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
        json_object_set_string_member (doc, "_rev", (const char *) sqlite3_column_text (stmt, 12));
      set_text (doc, "dataset", (const char *) sqlite3_column_text (stmt, 1));
      set_text (doc, "id", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_int_member (doc, "position", sqlite3_column_int64 (stmt, 3));
      set_text (doc, "title", (const char *) sqlite3_column_text (stmt, 4));
      set_text (doc, "scenario", (const char *) sqlite3_column_text (stmt, 5));
      set_text (doc, "specialty", (const char *) sqlite3_column_text (stmt, 6));
      set_text (doc, "language", (const char *) sqlite3_column_text (stmt, 7));
      set_json (doc, "metadata", (const char *) sqlite3_column_text (stmt, 8));
      set_json (doc, "reference", (const char *) sqlite3_column_text (stmt, 9));
      json_object_set_int_member (doc, "overlap", sqlite3_column_int (stmt, 11));
      set_text (doc, "content_hash", (const char *) sqlite3_column_text (stmt, 10));

      out = outgoing_new (KIND_ITEM, sqlite3_column_int64 (stmt, 0), doc);
      out->content_hash = _rounds_store_column_dup (stmt, 10);
      run->cursor = out->row_id;
      g_ptr_array_add (batch, out);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  for (guint i = first; i < batch->len; i++)
    if (!add_item_responses (run, g_ptr_array_index (batch, i), error))
      return FALSE;
  return TRUE;
}

/* The profile of the person syncing, when it differs from what was last pushed. */
static gboolean
read_profile (Run        *run,
              GPtrArray  *batch,
              GError    **error)
{
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *state = NULL;
  g_autofree char *content = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonNode) state_node = NULL;
  g_autofree char *roles = NULL;
  g_auto(GStrv) role_names = NULL;
  JsonArray *role_array;
  JsonObject *doc;
  Outgoing *out;

  if (!(profile = rounds_store_get_profile (run->store, run->profile, &local_error)))
    {
      if (g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  doc_id = _rounds_doc_id ("annotator", run->profile, NULL);
  doc = new_doc (doc_id, "annotator");
  set_text (doc, "user", rounds_profile_get_user_name (profile));
  set_text (doc, "display_name", rounds_profile_get_display_name (profile));
  set_text (doc, "specialty", rounds_profile_get_specialty (profile));
  roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
  role_names = g_strsplit (roles, ",", -1);
  role_array = json_array_new ();
  for (guint i = 0; role_names[i]; i++)
    if (*role_names[i])
      json_array_add_string_element (role_array, role_names[i]);
  json_object_set_array_member (doc, "roles", role_array);

  content = object_to_string (doc);
  hash = _rounds_sha256_hex (content, -1);
  key = g_strdup_printf ("%s%s/%s:%s", META_PROFILE, run->server_uuid,
                         rounds_couch_get_db_name (run->couch), run->profile);
  if (!(state = _rounds_store_get_meta (run->store, key, &local_error)) && local_error)
    {
      json_object_unref (doc);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  state_node = parse_json (state);
  if (state_node != NULL && JSON_NODE_HOLDS_OBJECT (state_node))
    {
      JsonObject *object = json_node_get_object (state_node);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "hash", NULL), hash) == 0)
        {
          json_object_unref (doc);
          return TRUE;
        }
      if (json_object_has_member (object, "rev"))
        json_object_set_string_member (doc, "_rev", json_object_get_string_member (object, "rev"));
    }

  out = outgoing_new (KIND_PROFILE, 0, doc);
  out->content_hash = g_steal_pointer (&hash);
  g_ptr_array_add (batch, out);
  return TRUE;
}

/* Fills @batch up to the batch size from the outboxes, kind after kind. */
static gboolean
fill_batch (Run        *run,
            GPtrArray  *batch,
            GError    **error)
{
  while (batch->len < run->batch_size && run->kind < N_KINDS)
    {
      guint before = batch->len;
      guint room = run->batch_size - batch->len;
      gboolean ok = TRUE;

      switch (run->kind)
        {
        case KIND_DATASET:
          ok = !(run->roles & ROUNDS_ROLE_CURATOR) || read_datasets (run, batch, room, error);
          break;
        case KIND_ITEM:
          ok = !(run->roles & ROUNDS_ROLE_CURATOR) || read_items (run, batch, room, error);
          break;
        case KIND_PROFILE:
          ok = read_profile (run, batch, error);
          break;
        case KIND_JUDGEMENT:
          ok = read_judgements (run, batch, room, error);
          break;
        case KIND_VERDICT:
          ok = read_verdicts (run, batch, room, error);
          break;
        case N_KINDS:
        default:
          g_assert_not_reached ();
        }
      if (!ok)
        return FALSE;

      for (guint i = before; i < batch->len; i++)
        {
          Outgoing *out = g_ptr_array_index (batch, i);

          if ((out->kind == KIND_JUDGEMENT || out->kind == KIND_VERDICT) &&
              !finish_event_doc (run, out->doc, error))
            return FALSE;
        }

      /* A kind is done when it gave less than was room for; the profile is one read. */
      if (run->kind == KIND_PROFILE || batch->len - before < room)
        {
          run->kind++;
          run->cursor = 0;
        }
    }
  return TRUE;
}

/* Results ----------------------------------------------------------------------------- */

/* Whether the store's copy is ours: the same members, leaving out _rev and the like. */
static gboolean
same_content (JsonObject *ours,
              JsonObject *theirs)
{
  g_autoptr(GList) members = NULL;
  guint n_ours = 0, n_theirs = 0;

  members = json_object_get_members (ours);
  for (const GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node;

      if (*name == '_')
        continue;
      n_ours++;
      node = json_object_get_member (theirs, name);
      if (node == NULL || !json_node_equal (json_object_get_member (ours, name), node))
        return FALSE;
    }
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (theirs);
  for (const GList *l = members; l; l = l->next)
    if (*(const char *) l->data != '_')
      n_theirs++;
  return n_ours == n_theirs;
}

/* Marks one document as in the store, at revision @rev. */
static gboolean
mark_pushed (Run         *run,
             Outgoing    *out,
             const char  *rev,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  switch (out->kind)
    {
    case KIND_JUDGEMENT:
      if (!(stmt = _rounds_store_prepare (run->store, "UPDATE annotations SET synced = 1 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, out->row_id);
      break;
    case KIND_VERDICT:
      if (!(stmt = _rounds_store_prepare (run->store, "UPDATE adjudications SET synced = 1 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, out->row_id);
      break;
    case KIND_DATASET:
    case KIND_ITEM:
      /* Published only if nobody re-imported it meanwhile; else the next push sends the
       * newer version, on top of this revision. */
      if (!(stmt = _rounds_store_prepare (run->store,
                                          out->kind == KIND_DATASET
                                            ? "UPDATE datasets SET remote_rev = ?2, published = (content_hash IS ?3) WHERE id = ?1"
                                            : "UPDATE items SET remote_rev = ?2, published = (content_hash IS ?3) WHERE id = ?1",
                                          error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, out->row_id);
      _rounds_store_bind_text (stmt, 2, rev);
      _rounds_store_bind_text (stmt, 3, out->content_hash);
      break;
    case KIND_PROFILE:
      {
        g_autoptr(JsonObject) state = json_object_new ();
        g_autofree char *key = g_strdup_printf ("%s%s/%s:%s", META_PROFILE, run->server_uuid,
                                                rounds_couch_get_db_name (run->couch), run->profile);
        g_autofree char *value = NULL;

        json_object_set_string_member (state, "rev", rev);
        json_object_set_string_member (state, "hash", out->content_hash);
        value = object_to_string (state);
        if (!_rounds_store_set_meta (run->store, key, value, error))
          return FALSE;
      }
      break;
    case N_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (stmt != NULL && !_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  return clear_problem (run, out->doc_id, error);
}

/* What became of one document of a batch. */
typedef struct
{
  enum { OUTCOME_UNKNOWN, OUTCOME_PUSHED, OUTCOME_PROBLEM } outcome;
  char                  *rev;
  RoundsSyncProblemKind  kind;
  char                  *error;
  char                  *reason;
  char                  *server_rev;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->rev);
  g_free (outcome->error);
  g_free (outcome->reason);
  g_free (outcome->server_rev);
}

static void
set_problem (Outcome               *outcome,
             RoundsSyncProblemKind  kind,
             const char            *err,
             const char            *reason,
             const char            *server_rev)
{
  outcome->outcome = OUTCOME_PROBLEM;
  outcome->kind = kind;
  outcome->error = g_strdup (err);
  outcome->reason = g_strdup (reason);
  outcome->server_rev = g_strdup (server_rev);
}

/* Looks at the store's copies of the documents whose outcome is not known yet: a conflict,
 * or no result at all. One that is ours went through on an earlier try (the answer was
 * lost). Network only: the local transaction comes after, so the app never waits on it. */
static gboolean
verify (Run       *run,
        Outgoing **docs,
        Outcome   *outcomes,
        guint      n,
        GError   **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    if (outcomes[i].outcome == OUTCOME_UNKNOWN)
      g_ptr_array_add (keys, docs[i]->doc_id);
  if (keys->len == 0)
    return TRUE;
  g_ptr_array_add (keys, NULL);

  if (!(rows = rounds_couch_all_docs (run->couch, (const char * const *) keys->pdata, TRUE,
                                      run->cancellable, error)))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      key = json_object_get_string_member_with_default (json_node_get_object (row), "key", NULL);
      if (key != NULL)
        g_hash_table_insert (by_id, (gpointer) key, json_node_get_object (row));
    }

  for (guint i = 0; i < n; i++)
    {
      Outgoing *out = docs[i];
      Outcome *outcome = &outcomes[i];
      JsonObject *row = g_hash_table_lookup (by_id, out->doc_id);
      JsonObject *stored = NULL;
      const char *server_rev = NULL;

      if (outcome->outcome != OUTCOME_UNKNOWN)
        continue;
      if (row != NULL && json_object_has_member (row, "doc") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (row, "doc")))
        {
          stored = json_object_get_object_member (row, "doc");
          server_rev = json_object_get_string_member_with_default (stored, "_rev", NULL);
        }

      if (stored != NULL && same_content (out->doc, stored))
        {
          outcome->outcome = OUTCOME_PUSHED;
          outcome->rev = g_strdup (server_rev);
          continue;
        }

      switch (out->kind)
        {
        case KIND_JUDGEMENT:
        case KIND_VERDICT:
          if (stored == NULL)
            g_debug ("%s: no answer and not in the store; it stays in the outbox", out->doc_id);
          else
            set_problem (outcome, ROUNDS_SYNC_PROBLEM_CONFLICT, "conflict",
                         _("A different document with this id is in the store; this edit stays here"),
                         server_rev);
          break;
        case KIND_DATASET:
        case KIND_ITEM:
          if (stored == NULL)
            g_debug ("%s: no answer and not in the store; it stays unpublished", out->doc_id);
          else
            set_problem (outcome, ROUNDS_SYNC_PROBLEM_CONFLICT, "conflict",
                         out->kind == KIND_DATASET
                           ? _("The dataset was changed in the store since this copy was published or pulled; this copy is kept here until you choose one")
                           : _("The item was changed in the store since this copy was published or pulled; this copy is kept here until you choose one"),
                         server_rev);
          break;
        case KIND_PROFILE:
          /* A profile is its owner's alone: the newest save wins. */
          {
            g_autoptr(GError) local_error = NULL;
            char *rev;

            if (server_rev != NULL)
              json_object_set_string_member (out->doc, "_rev", server_rev);
            else if (json_object_has_member (out->doc, "_rev"))
              json_object_remove_member (out->doc, "_rev");
            if ((rev = rounds_couch_put_doc (run->couch, out->doc_id, out->doc, run->cancellable, &local_error)))
              {
                outcome->outcome = OUTCOME_PUSHED;
                outcome->rev = rev;
              }
            else
              g_debug ("%s: %s", out->doc_id, local_error->message);
          }
          break;
        case N_KINDS:
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

/* Applies the per-document results of one _bulk_docs, matched by id, not by position:
 * a server may list the errors first. */
static gboolean
apply_results (Run        *run,
               Outgoing  **docs,
               guint       n,
               JsonArray  *results,
               GError    **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree Outcome *outcomes = g_new0 (Outcome, n);
  g_autoptr(GPtrArray) problems = NULL;
  guint n_pushed = 0;
  gboolean ok = FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = json_object_get_string_member_with_default (json_node_get_object (element), "id", NULL);
      if (id != NULL)
        g_hash_table_insert (by_id, (gpointer) id, json_node_get_object (element));
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *result = g_hash_table_lookup (by_id, docs[i]->doc_id);
      const char *err, *reason, *rev;

      if (result == NULL)
        continue;
      err = json_object_get_string_member_with_default (result, "error", NULL);
      reason = json_object_get_string_member_with_default (result, "reason", NULL);
      rev = json_object_get_string_member_with_default (result, "rev", NULL);

      if (err == NULL && rev != NULL)
        {
          outcomes[i].outcome = OUTCOME_PUSHED;
          outcomes[i].rev = g_strdup (rev);
        }
      else if (g_strcmp0 (err, "conflict") == 0)
        ;
      else if (g_strcmp0 (err, "forbidden") == 0 || g_strcmp0 (err, "unauthorized") == 0)
        set_problem (&outcomes[i], ROUNDS_SYNC_PROBLEM_FORBIDDEN, err, reason, NULL);
      else
        set_problem (&outcomes[i], ROUNDS_SYNC_PROBLEM_REJECTED, err ? err : "unknown",
                     reason ? reason : _("The store gave no result for this document"), NULL);
    }

  if (!verify (run, docs, outcomes, n, error))
    goto out;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  if (!_rounds_store_begin (run->store, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      gboolean done = TRUE;

      if (outcomes[i].outcome == OUTCOME_PUSHED)
        {
          done = mark_pushed (run, docs[i], outcomes[i].rev, error);
          n_pushed++;
        }
      else if (outcomes[i].outcome == OUTCOME_PROBLEM)
        {
          RoundsSyncProblem *problem = problem_new (outcomes[i].kind, docs[i]->doc_id, outcomes[i].error,
                                                    outcomes[i].reason, outcomes[i].server_rev);

          g_ptr_array_add (problems, problem);
          done = persist_problem (run, problem, error);
        }
      if (!done)
        {
          _rounds_store_rollback (run->store);
          goto out;
        }
    }
  if (!(ok = _rounds_store_commit (run->store, error)))
    {
      _rounds_store_rollback (run->store);
      goto out;
    }

  /* Counted once committed: a batch that goes again is not counted twice. */
  run->result->n_pushed += n_pushed;
  for (guint i = 0; i < problems->len; i++)
    list_problem (run, g_steal_pointer (&problems->pdata[i]));
  g_ptr_array_set_free_func (problems, NULL);

out:
  for (guint i = 0; i < n; i++)
    outcome_clear (&outcomes[i]);
  return ok;
}

static gboolean
is_transient (const GError *error)
{
  return rounds_couch_error_is_unknown_outcome (error) ||
         g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE);
}

/* Waits before a resend, or returns FALSE when cancelled meanwhile. */
static gboolean
back_off (Run     *run,
          guint    attempt,
          GError **error)
{
  guint64 delay = (guint64) run->config->delay_ms << MIN (attempt, 5u);
  gint64 until = g_get_monotonic_time () + delay * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (MIN ((guint64) 50 * 1000, (guint64) (until - g_get_monotonic_time ()) + 1));
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

/* Sends @n documents; on 413 in halves, on an unknown outcome again, the same batch. */
static gboolean
push_docs (Run        *run,
           Outgoing  **docs,
           guint       n,
           GError    **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < n; i++)
    json_array_add_object_element (array, json_object_ref (docs[i]->doc));

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonArray) results = NULL;

      results = rounds_couch_bulk_docs (run->couch, array, run->cancellable, &local_error);
      /* Checking the unsure ones may fail the same ways: then the batch goes again. */
      if (results != NULL && apply_results (run, docs, n, results, &local_error))
        return TRUE;

      if (results == NULL && g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TOO_LARGE))
        {
          guint half = n / 2;

          if (n == 1)
            {
              gboolean ok;

              if (!_rounds_store_begin (run->store, error))
                return FALSE;
              if (!(ok = record_problem (run, ROUNDS_SYNC_PROBLEM_REJECTED, docs[0]->doc_id, "too_large",
                                         _("The document is larger than the store takes"), NULL, error) &&
                         _rounds_store_commit (run->store, error)))
                _rounds_store_rollback (run->store);
              return ok;
            }
          run->batch_size = MAX (1, half);
          g_debug ("413 for %u documents: sending %u and %u", n, half, n - half);
          return push_docs (run, docs, half, error) && push_docs (run, docs + half, n - half, error);
        }

      if (!is_transient (local_error) || attempt >= run->config->attempts)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Sending %u documents again (try %u): %s", n, attempt + 1, local_error->message);
      if (!back_off (run, attempt, error))
        return FALSE;
    }
}

static gboolean
count_outbox (Run     *run,
              GError **error)
{
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  if (!rounds_sync_count_waiting (run->store, run->profile, &n, error))
    return FALSE;
  run->n_total = n;
  if (run->roles & ROUNDS_ROLE_CURATOR)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "SELECT (SELECT COUNT(*) FROM datasets WHERE published = 0)"
                                          " + (SELECT COUNT(*) FROM items WHERE published = 0)", error)))
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        run->n_total += (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return _rounds_store_set_sqlite_error (run->store, error);
    }
  return TRUE;
}

/* The audit rows of the edits that reached the store are in the store too, as events. */
static gboolean
mark_audit_synced (Run     *run,
                   GError **error)
{
  return _rounds_store_exec (run->store,
                             "UPDATE audit_log SET synced = 1 WHERE synced = 0"
                             " AND action IN ('judgement.submit', 'judgement.revise', 'judgement.skip')"
                             " AND json_valid (detail_json)"
                             " AND json_extract (detail_json, '$.edit') IN (SELECT edit_id FROM annotations WHERE synced = 1)",
                             error);
}

static gboolean
push (Run     *run,
      GError **error)
{
  if (run->profile == NULL)
    {
      g_debug ("No local profile to push for");
      return TRUE;
    }
  if (!count_outbox (run, error))
    return FALSE;

  run->kind = 0;
  run->cursor = 0;
  report (run, ROUNDS_SYNC_STAGE_PUSHING, 0, run->n_total);

  while (run->kind < N_KINDS)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (outgoing_free);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error) ||
          !fill_batch (run, batch, error))
        return FALSE;
      if (batch->len == 0)
        continue;
      if (!push_docs (run, (Outgoing **) batch->pdata, batch->len, error))
        return FALSE;
      run->n_done += batch->len;
      report (run, ROUNDS_SYNC_STAGE_PUSHING, MIN (run->n_done, run->n_total), run->n_total);
    }

  return mark_audit_synced (run, error);
}

/* Documents coming down --------------------------------------------------------------- */

/* An error in one pulled document: it is skipped, the rest of the page goes on. */
static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError     **error,
         const char  *doc_id,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT, "%s: %s", doc_id, message);
  return FALSE;
}

static const char *
get_string (JsonObject *doc,
            const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *doc,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static JsonObject *
get_object (JsonObject *doc,
            const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *doc,
           const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static char *
member_json (JsonObject *doc,
             const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node_to_string (node);
}

static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
valid_key (const char *key)
{
  if (key == NULL || *key == '\0' || strlen (key) > 256)
    return FALSE;
  for (const char *p = key; *p; p++)
    if ((guchar) *p < 0x20)
      return FALSE;
  return TRUE;
}

static char *
item_cache_key (const char *dataset,
                const char *key)
{
  return g_strconcat (dataset, "\x1f", key, NULL);
}

/* The local item, or %NULL without an error when it has not arrived. */
static RoundsItem *
lookup_item (Run         *run,
             const char  *dataset,
             const char  *key,
             GError     **error)
{
  g_autofree char *cache_key = item_cache_key (dataset, key);
  g_autoptr(GError) local_error = NULL;
  RoundsItem *item = g_hash_table_lookup (run->items, cache_key);

  if (item != NULL)
    return item;
  if (!(item = rounds_store_find_item (run->store, dataset, key, &local_error)))
    {
      if (!g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_hash_table_insert (run->items, g_steal_pointer (&cache_key), item);
  return item;
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

/* Checks that the event names the item's responses in the order we have them: an item
 * that changed under a judgement must not have its labels shifted. */
static gboolean
check_responses (JsonObject  *doc,
                 const char  *doc_id,
                 RoundsItem  *item,
                 GError     **error)
{
  JsonArray *keys = get_array (doc, "responses");
  guint n = rounds_item_get_n_responses (item);

  if (keys == NULL)
    return TRUE;
  if (json_array_get_length (keys) != n)
    return invalid (error, doc_id, "it names %u responses, the item here has %u",
                    json_array_get_length (keys), n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (json_array_get_string_element (keys, i), rounds_item_get_response_key (item, i)) != 0)
      return invalid (error, doc_id, "its responses differ from the item's here");
  return TRUE;
}

/* A keyed {"a": 1, "c": 2} as the canonical-order array "[1,0,2]". */
static gboolean
keyed_ints (JsonObject  *keyed,
            const char  *doc_id,
            RoundsItem  *item,
            int         *values,
            GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (keyed);

  for (const GList *l = members; l; l = l->next)
    {
      int index = rounds_item_find_response (item, l->data);
      JsonNode *node = json_object_get_member (keyed, l->data);

      if (index < 0)
        return invalid (error, doc_id, "no response “%s”", (const char *) l->data);
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return invalid (error, doc_id, "expected a number for response “%s”", (const char *) l->data);
      values[index] = (int) json_node_get_int (node);
    }
  return TRUE;
}

/* Keyed scores {"a": {"accuracy": 4}} as the stored array [{"accuracy": 4}, {}]. */
static char *
keyed_scores_to_json (JsonObject  *keyed,
                      const char  *doc_id,
                      RoundsItem  *item,
                      GError     **error)
{
  guint n = rounds_item_get_n_responses (item);
  g_autoptr(GList) members = json_object_get_members (keyed);
  g_autofree JsonNode **slots = g_new0 (JsonNode *, n);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (const GList *l = members; l; l = l->next)
    {
      int index = rounds_item_find_response (item, l->data);
      JsonNode *scores = json_object_get_member (keyed, l->data);

      if (index < 0 || !JSON_NODE_HOLDS_OBJECT (scores))
        {
          invalid (error, doc_id, "unreadable scores of response “%s”", (const char *) l->data);
          return NULL;
        }
      slots[index] = scores;
    }
  for (guint i = 0; i < n; i++)
    {
      if (slots[i] != NULL)
        json_array_add_element (array, json_node_copy (slots[i]));
      else
        json_array_add_object_element (array, json_object_new ());
    }
  node = json_node_init_array (json_node_alloc (), array);
  return node_to_string (node);
}

static RoundsJudgement *
judgement_from_doc (JsonObject   *doc,
                    const char   *doc_id,
                    RoundsItem   *item,
                    RoundsRubric *rubric,
                    GError      **error)
{
  g_autoptr(RoundsJudgement) j = NULL;
  const char *annotator = get_string (doc, "annotator");
  const char *edit = get_string (doc, "edit");
  const char *created_at = get_string (doc, "created_at");
  const char *status = get_string (doc, "status");
  guint n = rounds_item_get_n_responses (item);
  JsonObject *object;
  JsonArray *order;
  gint64 value;

  if (!check_responses (doc, doc_id, item, error))
    return NULL;
  if (!rounds_user_name_is_valid (annotator, NULL))
    return invalid (error, doc_id, "no valid “annotator”"), NULL;
  if (edit == NULL || *edit == '\0' || created_at == NULL)
    return invalid (error, doc_id, "“edit” and “created_at” are required"), NULL;

  j = rounds_judgement_new (n, rubric);
  j->annotator = g_strdup (annotator);
  j->edit_id = g_strdup (edit);
  j->created_at = g_strdup (created_at);
  if (!get_int (doc, "revision", &value) || value < 1 || value > G_MAXINT)
    return invalid (error, doc_id, "“revision” must be a whole number from 1"), NULL;
  j->revision = (int) value;
  if (status == NULL)
    j->status = ROUNDS_STATUS_SUBMITTED;
  else if (!rounds_status_from_string (status, &j->status) || j->status == ROUNDS_STATUS_DRAFT)
    return invalid (error, doc_id, "unknown “status” “%s”", status), NULL;

  if (get_int (doc, "preference", &value))
    {
      if (value < -3 || value > 3)
        return invalid (error, doc_id, "“preference” %" G_GINT64_FORMAT " is off every scale", value), NULL;
      j->has_preference = TRUE;
      j->preference = (int) value;
    }
  if ((object = get_object (doc, "ranking")) && !keyed_ints (object, doc_id, item, j->ranks, error))
    return NULL;
  j->unacceptable = json_object_get_boolean_member_with_default (doc, "unacceptable", FALSE);

  if ((object = get_object (doc, "scores")))
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l; l = l->next)
        {
          int r = rounds_item_find_response (item, l->data);
          JsonObject *scores = get_object (object, l->data);
          g_autoptr(GList) criteria = NULL;

          if (r < 0 || scores == NULL)
            return invalid (error, doc_id, "unreadable scores of response “%s”", (const char *) l->data), NULL;
          criteria = json_object_get_members (scores);
          for (const GList *c = criteria; c; c = c->next)
            {
              int index = rounds_rubric_find (rubric, c->data);

              if (index >= 0 && get_int (scores, c->data, &value))
                j->scores[r * j->n_criteria + index] = (int) value;
            }
        }
    }

  if ((object = get_object (doc, "flags")))
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l; l = l->next)
        {
          int r = rounds_item_find_response (item, l->data);
          JsonArray *flags = get_array (object, l->data);

          if (r < 0 || flags == NULL)
            return invalid (error, doc_id, "unreadable flags of response “%s”", (const char *) l->data), NULL;
          for (guint f = 0; f < json_array_get_length (flags); f++)
            {
              JsonNode *flag = json_array_get_element (flags, f);

              if (json_node_get_value_type (flag) == G_TYPE_STRING)
                j->flags[r] |= rounds_flag_from_string (json_node_get_string (flag));
            }
        }
    }

  if ((object = get_object (doc, "notes")))
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l; l = l->next)
        {
          int r = rounds_item_find_response (item, l->data);
          const char *note = get_string (object, l->data);

          if (r < 0 || note == NULL)
            return invalid (error, doc_id, "unreadable note on response “%s”", (const char *) l->data), NULL;
          g_free (j->notes[r]);
          j->notes[r] = g_strdup (note);
        }
    }

  j->comment = g_strdup (get_string (doc, "comment"));
  j->skip_reason = g_strdup (get_string (doc, "skip_reason"));
  if (get_int (doc, "time_spent_ms", &value) && value >= 0)
    j->time_spent_ms = value;

  if ((order = get_array (doc, "shown_order")) && json_array_get_length (order) == n)
    {
      guint seen = 0;
      g_autofree guint *indices = g_new0 (guint, n);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (order, i);
          int index = json_node_get_value_type (element) == G_TYPE_STRING
                        ? rounds_item_find_response (item, json_node_get_string (element)) : -1;

          if (index < 0 || (seen & (1u << index)))
            return invalid (error, doc_id, "“shown_order” is not an order of the item's responses"), NULL;
          seen |= 1u << index;
          indices[i] = (guint) index;
        }
      memcpy (j->shown_order, indices, n * sizeof (guint));
    }

  return g_steal_pointer (&j);
}

/* Saves @doc under "sync.parked:" until its item arrives. */
static gboolean
park (Run         *run,
      const char  *doc_id,
      JsonObject  *doc,
      GError     **error)
{
  g_autofree char *key = g_strconcat (META_PARKED, doc_id, NULL);
  g_autofree char *value = object_to_string (doc);

  g_debug ("%s: its item is not here yet; keeping it until it is", doc_id);
  return _rounds_store_set_meta (run->store, key, value, error);
}

static gboolean
apply_judgement (Run         *run,
                 JsonObject  *doc,
                 const char  *doc_id,
                 gboolean    *parked,
                 GError     **error)
{
  g_autoptr(RoundsJudgement) j = NULL;
  g_autofree char *expected_id = NULL;
  const char *dataset = get_string (doc, "dataset");
  const char *key = get_string (doc, "item");
  g_autoptr(GError) local_error = NULL;
  RoundsRubric *rubric;
  RoundsItem *item;
  gboolean inserted = FALSE;
  gint64 annotator_id;

  if (!valid_name (dataset) || !valid_key (key))
    return invalid (error, doc_id, "no valid “dataset” and “item”");
  expected_id = _rounds_doc_id ("judgement", get_string (doc, "annotator") ? get_string (doc, "annotator") : "",
                                dataset, key, get_string (doc, "edit") ? get_string (doc, "edit") : "", NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return invalid (error, doc_id, "the id does not match its annotator, dataset, item and edit");

  if (!(item = lookup_item (run, dataset, key, &local_error)))
    {
      if (local_error != NULL)
        return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
      *parked = TRUE;
      return park (run, doc_id, doc, error);
    }
  if (!(rubric = lookup_rubric (run, item, error)) ||
      !(j = judgement_from_doc (doc, doc_id, item, rubric, error)))
    return FALSE;
  if (!(annotator_id = _rounds_store_ensure_annotator (run->store, j->annotator, error)) ||
      !_rounds_store_insert_judgement (run->store, item, annotator_id, j, ROUNDS_ORIGIN_REMOTE, &inserted, error))
    return FALSE;
  if (inserted)
    run->result->n_pulled++;
  else
    run->result->n_unchanged++;
  return TRUE;
}

/* A verdict: a new edit, and the item's current verdict is its newest edit (revision,
 * then time, then edit id), whoever recorded it, the same rule as for judgements. */
static gboolean
apply_verdict (Run         *run,
               JsonObject  *doc,
               const char  *doc_id,
               gboolean    *parked,
               GError     **error)
{
  g_autofree char *expected_id = NULL;
  g_autofree char *resolves_json = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *dataset = get_string (doc, "dataset");
  const char *key = get_string (doc, "item");
  const char *reviewer = get_string (doc, "reviewer");
  const char *edit = get_string (doc, "edit");
  const char *created_at = get_string (doc, "created_at");
  const char *rationale = get_string (doc, "rationale");
  JsonObject *object;
  JsonArray *resolves;
  RoundsItem *item;
  gint64 reviewer_id, revision, preference = 0;
  gboolean inserted, found;

  if (!valid_name (dataset) || !valid_key (key) || !rounds_user_name_is_valid (reviewer, NULL) ||
      edit == NULL || *edit == '\0' || created_at == NULL)
    return invalid (error, doc_id, "“dataset”, “item”, “reviewer”, “edit” and “created_at” are required");
  expected_id = _rounds_doc_id ("verdict", dataset, key, reviewer, edit, NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return invalid (error, doc_id, "the id does not match its dataset, item, reviewer and edit");
  if (!get_int (doc, "revision", &revision) || revision < 1 || revision > G_MAXINT)
    return invalid (error, doc_id, "“revision” must be a whole number from 1");
  {
    g_autofree char *stripped = g_strstrip (g_strdup (rationale ? rationale : ""));

    if (*stripped == '\0')
      return invalid (error, doc_id, "a verdict needs a rationale");
  }

  if (!_rounds_store_has_edit (run->store, "adjudications", edit, &found, error))
    return FALSE;
  if (found)
    {
      run->result->n_unchanged++;
      return TRUE;
    }

  if (!(item = lookup_item (run, dataset, key, &local_error)))
    {
      if (local_error != NULL)
        return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
      *parked = TRUE;
      return park (run, doc_id, doc, error);
    }
  if (!check_responses (doc, doc_id, item, error))
    return FALSE;

  verdict = rounds_verdict_new (rounds_item_get_n_responses (item));
  verdict->has_preference = get_int (doc, "preference", &preference);
  if (verdict->has_preference && (preference < -3 || preference > 3))
    return invalid (error, doc_id, "“preference” is off every scale");
  verdict->preference = (int) preference;
  if ((object = get_object (doc, "ranking")) && !keyed_ints (object, doc_id, item, verdict->ranks, error))
    return FALSE;
  if ((object = get_object (doc, "scores")) &&
      !(verdict->scores_json = keyed_scores_to_json (object, doc_id, item, error)))
    return FALSE;
  if ((resolves = get_array (doc, "resolves")))
    resolves_json = member_json (doc, "resolves");
  verdict->unacceptable = json_object_get_boolean_member_with_default (doc, "unacceptable", FALSE);
  verdict->models_revealed = json_object_get_boolean_member_with_default (doc, "models_revealed", FALSE);
  verdict->rationale = g_strdup (rationale);
  verdict->edit_id = g_strdup (edit);
  verdict->revision = (int) revision;
  verdict->created_at = g_strdup (created_at);
  verdict->reviewer = g_strdup (reviewer);
  if (!(reviewer_id = _rounds_store_ensure_annotator (run->store, reviewer, error)) ||
      !_rounds_store_insert_verdict (run->store, item, reviewer_id, verdict, resolves_json,
                                     ROUNDS_ORIGIN_REMOTE, &inserted, error))
    return FALSE;
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
  const char *user = get_string (doc, "user");
  JsonArray *role_array = get_array (doc, "roles");
  sqlite3_stmt *stmt;

  if (!rounds_user_name_is_valid (user, NULL))
    return invalid (error, doc_id, "no valid “user”");
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
                                      "INSERT INTO annotators (user_name, display_name, roles, specialty, created_at)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)"
                                      " ON CONFLICT (user_name) DO UPDATE SET display_name = ?2, roles = ?3, specialty = ?4"
                                      " WHERE is_local = 0 AND (display_name IS NOT ?2 OR roles IS NOT ?3 OR specialty IS NOT ?4)",
                                      error)))
    return FALSE;
  {
    g_autofree char *now = _rounds_now_iso8601 ();

    _rounds_store_bind_text (stmt, 1, user);
    _rounds_store_bind_text (stmt, 2, get_string (doc, "display_name"));
    _rounds_store_bind_text (stmt, 3, roles->str);
    _rounds_store_bind_text (stmt, 4, get_string (doc, "specialty"));
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
  const char *hash = get_string (doc, "content_hash");
  g_autoptr(JsonObject) copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GList) members = NULL;

  if (hash != NULL && *hash != '\0')
    return g_strdup (hash);
  copy = json_object_new ();
  members = json_object_get_members (doc);
  for (const GList *l = members; l; l = l->next)
    if (*(const char *) l->data != '_')
      json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (doc, l->data)));
  text = object_to_string (copy);
  return _rounds_sha256_hex (text, -1);
}

typedef enum
{
  LOCAL_NONE,        /* not here: insert */
  LOCAL_SAME,        /* here at this revision or with this content: nothing to do */
  LOCAL_REPLACE,     /* here, and the store's version wins */
  LOCAL_CONFLICT,    /* changed here and in the store: keep ours, list it */
} LocalState;

static LocalState
local_state (Run        *run,
             gboolean    exists,
             const char *local_rev,
             gboolean    published,
             const char *local_hash,
             const char *rev,
             const char *hash,
             gboolean    force)
{
  if (!exists)
    return LOCAL_NONE;
  if (force)
    return LOCAL_REPLACE;
  if (local_rev != NULL && g_strcmp0 (local_rev, rev) == 0)
    return LOCAL_SAME;
  if (g_strcmp0 (local_hash, hash) == 0)
    return LOCAL_SAME;
  /* Only a curator's unpublished change is theirs to defend; anybody else's local copy
   * gives way to what the curators published. */
  if (!published && (run->roles & ROUNDS_ROLE_CURATOR) && g_strcmp0 (local_hash, "implicit") != 0)
    return LOCAL_CONFLICT;
  return LOCAL_REPLACE;
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
  g_autofree char *local_rev = NULL;
  g_autofree char *local_hash = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GString) required = g_string_new (NULL);
  const char *name = get_string (doc, "id");
  const char *rev = get_string (doc, "_rev");
  JsonArray *required_array = get_array (doc, "required");
  JsonNode *rubric_node = json_object_get_member (doc, "rubric");
  gint64 overlap = 1, scale = 5, spread = 2, id = 0, old_overlap = 1;
  gboolean published = FALSE;
  sqlite3_stmt *stmt;
  LocalState state;
  int rc;

  if (!valid_name (name))
    return invalid (error, doc_id, "no valid dataset “id”");
  expected_id = _rounds_doc_id ("dataset", name, NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return invalid (error, doc_id, "the id does not match the dataset's “id”");
  if (json_object_has_member (doc, "overlap") && (!get_int (doc, "overlap", &overlap) || overlap < 1 || overlap > 50))
    return invalid (error, doc_id, "“overlap” must be 1 to 50");
  if (json_object_has_member (doc, "scale") && (!get_int (doc, "scale", &scale) || (scale != 3 && scale != 5 && scale != 7)))
    return invalid (error, doc_id, "“scale” must be 3, 5 or 7");
  if (json_object_has_member (doc, "dispute_spread") && (!get_int (doc, "dispute_spread", &spread) || spread < 1))
    return invalid (error, doc_id, "“dispute_spread” must be 1 or more");
  for (guint i = 0; required_array && i < json_array_get_length (required_array); i++)
    {
      JsonNode *element = json_array_get_element (required_array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING ||
          rounds_require_from_string (json_node_get_string (element)) == 0)
        return invalid (error, doc_id, "unknown requirement in “required”");
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
        return invalid (error, doc_id, "%s", rubric_error->message);
      rubric_json = rounds_rubric_to_json (rubric);
    }
  metadata_json = member_json (doc, "metadata");

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT id, remote_rev, published, content_hash, overlap FROM datasets WHERE name = ?1",
                                      error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      local_rev = _rounds_store_column_dup (stmt, 1);
      published = sqlite3_column_int (stmt, 2) != 0;
      local_hash = _rounds_store_column_dup (stmt, 3);
      old_overlap = sqlite3_column_int (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  state = local_state (run, id != 0, local_rev, published, local_hash, rev, hash, force);
  if (state == LOCAL_CONFLICT)
    {
      return record_problem (run, ROUNDS_SYNC_PROBLEM_CONFLICT, doc_id, "conflict",
                             _("The dataset was changed both here and in the store; this copy is kept here until you choose one"),
                             rev, error);
    }
  if (state == LOCAL_SAME)
    {
      run->result->n_unchanged++;
      if (g_strcmp0 (local_rev, rev) == 0)
        return TRUE;
      /* The same content under a revision we did not know: remember it. */
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE datasets SET remote_rev = ?2, published = 1 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      _rounds_store_bind_text (stmt, 2, rev);
      return _rounds_store_step_done (run->store, stmt, error);
    }

  now = _rounds_now_iso8601 ();
  if (state == LOCAL_NONE)
    stmt = _rounds_store_prepare (run->store,
                                  "INSERT INTO datasets (name, title, description, instructions, rubric_json, scale,"
                                  " overlap, dispute_spread, required, metadata_json, content_hash, remote_rev, published,"
                                  " created_at, updated_at)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?13)", error);
  else
    stmt = _rounds_store_prepare (run->store,
                                  "UPDATE datasets SET title = ?2, description = ?3, instructions = ?4, rubric_json = ?5,"
                                  " scale = ?6, overlap = ?7, dispute_spread = ?8, required = ?9, metadata_json = ?10,"
                                  " content_hash = ?11, remote_rev = ?12, published = 1, updated_at = ?13,"
                                  " rubric_version = rubric_version + (COALESCE (rubric_json, '') IS NOT COALESCE (?5, ''))"
                                  " WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, get_string (doc, "title"));
  _rounds_store_bind_text (stmt, 3, get_string (doc, "description"));
  _rounds_store_bind_text (stmt, 4, get_string (doc, "instructions"));
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

  /* Items follow the dataset's overlap, except those a reviewer sent back for more. */
  if (state == LOCAL_REPLACE && overlap != old_overlap)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET overlap = ?2 WHERE dataset_id = ?1 AND overlap = ?3", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, overlap);
      sqlite3_bind_int64 (stmt, 3, old_overlap);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  if (id != 0)
    g_hash_table_remove (run->rubrics, &id);
  run->result->n_pulled++;
  return clear_problem (run, doc_id, error);
}

/* The dataset an item goes into, made with default settings if its own document has not
 * arrived yet; that one fills it in when it does. */
static gint64
ensure_dataset (Run         *run,
                const char  *name,
                GError     **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store, "SELECT id FROM datasets WHERE name = ?1", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error), 0;
  if (id != 0)
    return id;

  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO datasets (name, content_hash, published, created_at, updated_at)"
                                      " VALUES (?1, 'implicit', 1, ?2, ?2)", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, now);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));
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
  g_autofree char *metadata_json = member_json (doc, "metadata");
  g_autofree char *reference_json = member_json (doc, "reference");
  g_autofree char *local_rev = NULL;
  g_autofree char *local_hash = NULL;
  const char *dataset = get_string (doc, "dataset");
  const char *key = get_string (doc, "id");
  const char *rev = get_string (doc, "_rev");
  const char *scenario = get_string (doc, "scenario");
  JsonArray *responses = get_array (doc, "responses");
  gint64 dataset_id, item_id = 0, position = -1, overlap = 0;
  guint n_responses, old_n_responses = 0;
  gboolean published = FALSE, judged = FALSE;
  sqlite3_stmt *stmt;
  LocalState state;
  int rc;

  if (!valid_name (dataset) || !valid_key (key))
    return invalid (error, doc_id, "no valid “dataset” and “id”");
  expected_id = _rounds_doc_id ("item", dataset, key, NULL);
  if (g_strcmp0 (expected_id, doc_id) != 0)
    return invalid (error, doc_id, "the id does not match the item's “dataset” and “id”");
  if (scenario == NULL || *scenario == '\0')
    return invalid (error, doc_id, "“scenario” is required");
  n_responses = responses ? json_array_get_length (responses) : 0;
  if (n_responses < 2 || n_responses > MAX_RESPONSES)
    return invalid (error, doc_id, "expected 2 to %d responses, found %u", MAX_RESPONSES, n_responses);
  for (guint i = 0; i < n_responses; i++)
    {
      JsonNode *element = json_array_get_element (responses, i);
      JsonObject *response = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (response == NULL || !valid_key (get_string (response, "id")) || get_string (response, "text") == NULL)
        return invalid (error, doc_id, "response %u needs an “id” and a “text”", i);
      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (get_string (json_array_get_object_element (responses, k), "id"),
                       get_string (response, "id")) == 0)
          return invalid (error, doc_id, "two responses have the id “%s”", get_string (response, "id"));
    }
  if (json_object_has_member (doc, "overlap") && (!get_int (doc, "overlap", &overlap) || overlap < 1))
    return invalid (error, doc_id, "“overlap” must be 1 or more");
  if (json_object_has_member (doc, "position") && (!get_int (doc, "position", &position) || position < 0))
    return invalid (error, doc_id, "“position” must be 0 or more");

  if (!(dataset_id = ensure_dataset (run, dataset, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id, i.remote_rev, i.published, i.content_hash,"
                                      " (SELECT COUNT(*) FROM responses WHERE item_id = i.id),"
                                      " EXISTS (SELECT 1 FROM annotations WHERE item_id = i.id)"
                                      " OR EXISTS (SELECT 1 FROM adjudications WHERE item_id = i.id)"
                                      " FROM items i WHERE i.dataset_id = ?1 AND i.key = ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item_id = sqlite3_column_int64 (stmt, 0);
      local_rev = _rounds_store_column_dup (stmt, 1);
      published = sqlite3_column_int (stmt, 2) != 0;
      local_hash = _rounds_store_column_dup (stmt, 3);
      old_n_responses = sqlite3_column_int (stmt, 4);
      judged = sqlite3_column_int (stmt, 5) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  state = local_state (run, item_id != 0, local_rev, published, local_hash, rev, hash, force);
  if (state == LOCAL_REPLACE && judged && old_n_responses != n_responses)
    state = LOCAL_CONFLICT;
  if (state == LOCAL_CONFLICT)
    {
      return record_problem (run, ROUNDS_SYNC_PROBLEM_CONFLICT, doc_id, "conflict",
                             judged && old_n_responses != n_responses
                               ? _("The store changed how many responses an item has that has judgements here; this copy is kept")
                               : _("The item was changed both here and in the store; this copy is kept here until you choose one"),
                             rev, error);
    }
  if (state == LOCAL_SAME)
    {
      run->result->n_unchanged++;
      if (g_strcmp0 (local_rev, rev) == 0)
        return TRUE;
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET remote_rev = ?2, published = 1 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_id);
      _rounds_store_bind_text (stmt, 2, rev);
      return _rounds_store_step_done (run->store, stmt, error);
    }

  if (state == LOCAL_NONE)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "INSERT INTO items (dataset_id, key, position, title, scenario, specialty, language,"
                                          " metadata_json, reference_json, content_hash, overlap, remote_rev, published)"
                                          " VALUES (?1, ?2,"
                                          " CASE WHEN ?3 >= 0 THEN ?3 ELSE (SELECT COALESCE (MAX (position) + 1, 0) FROM items WHERE dataset_id = ?1) END,"
                                          " ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                          " CASE WHEN ?11 > 0 THEN ?11 ELSE (SELECT overlap FROM datasets WHERE id = ?1) END,"
                                          " ?12, 1)", error)))
        return FALSE;
    }
  else if (!(stmt = _rounds_store_prepare (run->store,
                                           "UPDATE items SET position = CASE WHEN ?3 >= 0 THEN ?3 ELSE position END,"
                                           " title = ?4, scenario = ?5, specialty = ?6, language = ?7, metadata_json = ?8,"
                                           " reference_json = ?9, content_hash = ?10,"
                                           " overlap = CASE WHEN ?11 > 0 THEN ?11 ELSE overlap END,"
                                           " remote_rev = ?12, published = 1"
                                           " WHERE dataset_id = ?1 AND key = ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, position);
  _rounds_store_bind_text (stmt, 4, get_string (doc, "title"));
  _rounds_store_bind_text (stmt, 5, scenario);
  _rounds_store_bind_text (stmt, 6, get_string (doc, "specialty"));
  _rounds_store_bind_text (stmt, 7, get_string (doc, "language"));
  _rounds_store_bind_text (stmt, 8, metadata_json);
  _rounds_store_bind_text (stmt, 9, reference_json);
  _rounds_store_bind_text (stmt, 10, hash);
  sqlite3_bind_int64 (stmt, 11, overlap);
  _rounds_store_bind_text (stmt, 12, rev);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  if (item_id == 0)
    item_id = sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));

  if (!(stmt = _rounds_store_prepare (run->store, "DELETE FROM responses WHERE item_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO responses (item_id, idx, key, text, model, metadata_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  for (guint i = 0; i < n_responses; i++)
    {
      JsonObject *response = json_array_get_object_element (responses, i);
      g_autofree char *response_metadata = member_json (response, "metadata");

      sqlite3_bind_int64 (stmt, 1, item_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _rounds_store_bind_text (stmt, 3, get_string (response, "id"));
      _rounds_store_bind_text (stmt, 4, get_string (response, "text"));
      _rounds_store_bind_text (stmt, 5, get_string (response, "model"));
      _rounds_store_bind_text (stmt, 6, response_metadata);
      if (!_rounds_store_step_done (run->store, stmt, error))
        return FALSE;
    }

  forget_item (run, dataset, key);
  run->result->n_pulled++;
  return clear_problem (run, doc_id, error);
}

/* Applies one pulled document inside a savepoint: a document that cannot be applied is
 * skipped whole, and only a failure of the local database stops the page. */
static gboolean
apply_doc (Run         *run,
           JsonObject  *doc,
           gboolean     force,
           gboolean    *parked,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *doc_id = get_string (doc, "_id");
  const char *type = get_string (doc, "type");
  gint64 schema = 0;
  gboolean ok;

  *parked = FALSE;
  if (doc_id == NULL || g_str_has_prefix (doc_id, "_design/"))
    return TRUE;
  if (type == NULL || !get_int (doc, "schema", &schema) || schema < 1)
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

  if (g_str_equal (type, "judgement"))
    ok = apply_judgement (run, doc, doc_id, parked, &local_error);
  else if (g_str_equal (type, "verdict"))
    ok = apply_verdict (run, doc, doc_id, parked, &local_error);
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
      gboolean bad_doc = g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT) ||
                         g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT) ||
                         (g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE) && code == SQLITE_CONSTRAINT);

      _rounds_store_exec (run->store, "ROLLBACK TO doc", NULL);
      _rounds_store_exec (run->store, "RELEASE doc", NULL);
      if (!bad_doc)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Skipped: %s", local_error->message);
      run->result->n_skipped++;
      *parked = FALSE;
      return TRUE;
    }

  return _rounds_store_exec (run->store, "RELEASE doc", error);
}

/* Tries again the events that were waiting for their item. */
static gboolean
unpark (Run     *run,
        GError **error)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt;
  guint n_parked = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT value FROM meta WHERE key >= '" META_PARKED "' AND key < 'sync.parked;'",
                                      error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonNode *node = parse_json ((const char *) sqlite3_column_text (stmt, 0));

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (node)));
      g_clear_pointer (&node, json_node_unref);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);
      const char *doc_id = get_string (doc, "_id");
      const char *dataset = get_string (doc, "dataset");
      const char *key = get_string (doc, "item");
      g_autoptr(GError) local_error = NULL;
      gboolean parked = FALSE;

      if (doc_id == NULL || dataset == NULL || key == NULL)
        continue;
      if (!lookup_item (run, dataset, key, &local_error))
        {
          if (local_error != NULL)
            return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
          n_parked++;
          continue;
        }
      if (!apply_doc (run, doc, FALSE, &parked, error))
        return FALSE;
      if (parked)
        n_parked++;
      else
        {
          g_autofree char *meta_key = g_strconcat (META_PARKED, doc_id, NULL);

          if (!meta_delete (run->store, meta_key, error))
            return FALSE;
        }
    }
  run->result->n_parked = n_parked;
  return TRUE;
}

/* Pull -------------------------------------------------------------------------------- */

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
                                      "SELECT since FROM sync_checkpoints WHERE server_uuid = ?1 AND db_name = ?2", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, run->server_uuid);
  _rounds_store_bind_text (stmt, 2, rounds_couch_get_db_name (run->couch));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *since = _rounds_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

static gboolean
save_checkpoint (Run         *run,
                 const char  *since,
                 GError     **error)
{
  g_autofree char *now = _rounds_now_iso8601 ();
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO sync_checkpoints (server_uuid, db_name, since, updated_at)"
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
  g_autoptr(JsonObject) doc = rounds_couch_get_doc (run->couch, doc_id, run->cancellable, &local_error);

  *since = NULL;
  *rev = NULL;
  if (doc == NULL)
    {
      if (g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *since = g_strdup (get_string (doc, "since"));
  *rev = g_strdup (get_string (doc, "_rev"));
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

static gboolean
pull (Run     *run,
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

  report (run, ROUNDS_SYNC_STAGE_PULLING, 0, 0);
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
          if (!is_transient (local_error) || attempt >= run->config->attempts)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Reading the changes again (try %u): %s", attempt + 1, local_error->message);
          if (!back_off (run, attempt, error))
            return FALSE;
        }

      results = get_array (page, "results");
      n = json_array_get_length (results);
      last_seq = rounds_couch_seq_to_string (json_object_get_member (page, "last_seq"));
      get_int (page, "pending", &pending);

      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          JsonObject *change = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          JsonObject *doc = change ? get_object (change, "doc") : NULL;
          gboolean parked = FALSE;

          if (change == NULL || json_object_get_boolean_member_with_default (change, "deleted", FALSE) || doc == NULL)
            continue;
          if (!apply_doc (run, doc, FALSE, &parked, error))
            goto fail;
        }
      if (!unpark (run, error) ||
          (last_seq != NULL && !save_checkpoint (run, last_seq, error)) ||
          !_rounds_store_commit (run->store, error))
        goto fail;

      /* Items and rubrics may have changed under the caches with this page. */
      g_hash_table_remove_all (run->items);

      done += n;
      report (run, ROUNDS_SYNC_STAGE_PULLING, done, pending >= 0 ? done + (guint) pending : 0);

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

static gboolean
resolve_one (Run               *run,
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
    if (g_str_equal (((RoundsSyncProblem *) g_ptr_array_index (problems, i))->doc_id, resolution->doc_id))
      problem = g_ptr_array_index (problems, i);
  if (problem == NULL || problem->kind != ROUNDS_SYNC_PROBLEM_CONFLICT)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                   _("%s is not in conflict"), resolution->doc_id);
      return FALSE;
    }

  if (resolution->resolution == ROUNDS_SYNC_TAKE_THEIRS)
    {
      g_autoptr(JsonObject) doc = rounds_couch_get_doc (run->couch, resolution->doc_id, run->cancellable, error);
      gboolean parked = FALSE;

      if (doc == NULL)
        return FALSE;
      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      ok = apply_doc (run, doc, TRUE, &parked, error) &&
           clear_problem (run, resolution->doc_id, error) &&
           _rounds_store_commit (run->store, error);
    }
  else
    {
      g_autoptr(JsonObject) doc = NULL;
      g_autofree char *rev = g_strdup (problem->server_rev);
      sqlite3_stmt *stmt;

      /* Ours goes up on top of the store's current revision. */
      if ((doc = rounds_couch_get_doc (run->couch, resolution->doc_id, run->cancellable, NULL)))
        {
          g_free (rev);
          rev = g_strdup (get_string (doc, "_rev"));
        }
      if (!_rounds_store_begin (run->store, error))
        return FALSE;
      if (is_dataset)
        stmt = _rounds_store_prepare (run->store,
                                      "UPDATE datasets SET remote_rev = ?2, published = 0"
                                      " WHERE 'dataset:' || replace (replace (name, '%', '%25'), ':', '%3A') = ?1", error);
      else
        stmt = _rounds_store_prepare (run->store,
                                      "UPDATE items SET remote_rev = ?2, published = 0 WHERE id = (SELECT i.id FROM items i"
                                      " JOIN datasets d ON d.id = i.dataset_id WHERE 'item:'"
                                      " || replace (replace (d.name, '%', '%25'), ':', '%3A') || ':'"
                                      " || replace (replace (i.key, '%', '%25'), ':', '%3A') = ?1)", error);
      ok = stmt != NULL;
      if (ok)
        {
          _rounds_store_bind_text (stmt, 1, resolution->doc_id);
          _rounds_store_bind_text (stmt, 2, rev);
          ok = _rounds_store_step_done (run->store, stmt, error);
        }
      ok = ok && clear_problem (run, resolution->doc_id, error) && _rounds_store_commit (run->store, error);
    }
  if (!ok)
    _rounds_store_rollback (run->store);
  return ok;
}

/* Running ----------------------------------------------------------------------------- */

static gboolean
audit_run (Run          *run,
           const GError *failure)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *detail_json = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (detail, "direction",
                                 run->config->direction == ROUNDS_SYNC_BOTH ? "both"
                                 : run->config->direction == ROUNDS_SYNC_PUSH ? "push" : "pull");
  if (run->couch != NULL && rounds_couch_get_user (run->couch) != NULL)
    json_object_set_string_member (detail, "user", rounds_couch_get_user (run->couch));
  json_object_set_int_member (detail, "pushed", run->result->n_pushed);
  json_object_set_int_member (detail, "pulled", run->result->n_pulled);
  json_object_set_int_member (detail, "unchanged", run->result->n_unchanged);
  json_object_set_int_member (detail, "skipped", run->result->n_skipped);
  json_object_set_int_member (detail, "parked", run->result->n_parked);
  json_object_set_int_member (detail, "forbidden", run->result->forbidden->len);
  json_object_set_int_member (detail, "conflicts", run->result->conflicts->len);
  if (failure != NULL)
    json_object_set_string_member (detail, "error", failure->message);
  detail_json = object_to_string (detail);

  if (!rounds_store_audit (run->store, run->profile, failure ? "sync.fail" : "sync.run",
                           rounds_couch_get_url (run->couch),
                           detail_json, &error))
    {
      g_debug ("Cannot audit the sync: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
choose_profile (Run     *run,
                GError **error)
{
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;

  if (run->config->profile != NULL)
    {
      if (!(profile = rounds_store_get_profile (run->store, run->config->profile, error)))
        return FALSE;
    }
  else if (rounds_couch_get_user (run->couch) != NULL &&
           (profile = rounds_store_get_profile (run->store, rounds_couch_get_user (run->couch), &local_error)))
    ;
  else
    profile = rounds_store_get_current_profile (run->store);

  if (profile != NULL)
    {
      run->profile = g_strdup (rounds_profile_get_user_name (profile));
      run->roles = rounds_profile_get_roles (profile);
    }
  return TRUE;
}

static gboolean
run_sync (Run     *run,
          GError **error)
{
  g_autoptr(JsonObject) info = NULL;
  const char *uuid;

  if (!(run->couch = rounds_couch_new (run->config->url, error)))
    return FALSE;
  if (run->config->user != NULL)
    rounds_couch_set_credentials (run->couch, run->config->user, run->config->password);
  rounds_couch_set_ca_file (run->couch, run->config->ca_file);
  rounds_couch_set_timeouts (run->couch, run->config->connect_ms, run->config->total_ms);

  if (!choose_profile (run, error) ||
      !(run->client_id = ensure_client_id (run->store, error)))
    return FALSE;

  report (run, ROUNDS_SYNC_STAGE_CONNECTING, 0, 0);
  /* The database first: its answer tells a wrong password or a missing database apart
   * before anything is sent. */
  if (!(info = rounds_couch_get_db_info (run->couch, run->cancellable, error)))
    return FALSE;
  g_clear_pointer (&info, json_object_unref);
  if (!(info = rounds_couch_get_server_info (run->couch, run->cancellable, error)))
    return FALSE;
  uuid = get_string (info, "uuid");
  run->server_uuid = g_strdup (uuid ? uuid : rounds_couch_get_server_url (run->couch));

  for (guint i = 0; i < run->config->resolutions->len; i++)
    if (!resolve_one (run, &g_array_index (run->config->resolutions, Resolution, i), error))
      return FALSE;

  if ((run->config->direction & ROUNDS_SYNC_PUSH) && !push (run, error))
    return FALSE;
  if ((run->config->direction & ROUNDS_SYNC_PULL) && !pull (run, error))
    return FALSE;
  return TRUE;
}

static gboolean
sync_run (RoundsSync         *self,
          Config             *config,
          RoundsStore        *store,
          RoundsSyncResult  **result,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(RoundsSyncResult) run_result = rounds_sync_result_new ();
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };
  gboolean ok;

  run.sync = self;
  run.config = config;
  run.store = store;
  run.cancellable = cancellable;
  run.result = run_result;
  run.batch_size = config->batch_size;
  run.items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  run.rubrics = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) rounds_rubric_unref);

  ok = run_sync (&run, &local_error);
  if (!rounds_sync_count_waiting (store, NULL, &run_result->n_waiting, ok ? &local_error : NULL))
    ok = FALSE;
  if (run.couch != NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    audit_run (&run, local_error);
  report (&run, ok ? ROUNDS_SYNC_STAGE_DONE : ROUNDS_SYNC_STAGE_IDLE, 0, 0);

  g_hash_table_unref (run.items);
  g_hash_table_unref (run.rubrics);
  g_clear_object (&run.couch);
  g_free (run.server_uuid);
  g_free (run.client_id);
  g_free (run.profile);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (result != NULL)
    *result = g_steal_pointer (&run_result);
  return TRUE;
}

static Config *
take_config (RoundsSync *self)
{
  Config *config = config_copy (&self->config);

  /* Resolutions are for the next run only. */
  g_array_set_size (self->config.resolutions, 0);
  return config;
}

/**
 * rounds_sync_run:
 * @store: the local store, used on this thread
 * @result: (out) (optional) (transfer full): what the run did
 *
 * Pushes and pulls, blocking: for rounds-cli and tests. The app uses
 * rounds_sync_run_async(). What a run committed stays committed if it fails later on, and
 * the next run goes on from there.
 */
gboolean
rounds_sync_run (RoundsSync         *self,
                 RoundsStore        *store,
                 RoundsSyncResult  **result,
                 GCancellable       *cancellable,
                 GError            **error)
{
  Config *config;
  gboolean ok;

  g_return_val_if_fail (ROUNDS_IS_SYNC (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);

  g_clear_pointer (&self->context, g_main_context_unref);
  config = take_config (self);
  ok = sync_run (self, config, store, result, cancellable, error);
  config_free (config);
  return ok;
}

typedef struct
{
  char              *db_path;
  Config            *config;
  RoundsSyncResult  *result;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *task_data = data;

  g_free (task_data->db_path);
  config_free (task_data->config);
  rounds_sync_result_free (task_data->result);
  g_free (task_data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      data,
            GCancellable *cancellable)
{
  TaskData *task_data = data;
  g_autoptr(RoundsStore) store = NULL;
  GError *error = NULL;

  if (!(store = rounds_store_open (task_data->db_path, &error)) ||
      !sync_run (source_object, task_data->config, store, &task_data->result, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * rounds_sync_run_async:
 * @db_path: the local store; the run opens a connection of its own in its thread
 *
 * Pushes and pulls in a thread. #RoundsSync:stage, #RoundsSync:fraction and
 * #RoundsSync::progress follow it on the caller's main context; cancelling stops it
 * between two requests, keeping what was committed.
 */
void
rounds_sync_run_async (RoundsSync          *self,
                       const char          *db_path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *task_data;

  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail (db_path != NULL);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();

  task_data = g_new0 (TaskData, 1);
  task_data->db_path = g_strdup (db_path);
  task_data->config = take_config (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rounds_sync_run_async);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * rounds_sync_run_finish:
 *
 * Returns: (transfer full): what the run did, or %NULL with the error
 */
RoundsSyncResult *
rounds_sync_run_finish (RoundsSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  TaskData *task_data;

  g_return_val_if_fail (ROUNDS_IS_SYNC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  task_data = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&task_data->result);
}

/* Object ------------------------------------------------------------------------------ */

static void
rounds_sync_finalize (GObject *object)
{
  RoundsSync *self = (RoundsSync *)object;

  wipe (&self->config.url);
  config_clear (&self->config);
  g_free (self->display_url);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (rounds_sync_parent_class)->finalize (object);
}

static void
rounds_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RoundsSync *self = ROUNDS_SYNC (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->display_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->config.user);
      break;
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_sync_set_url (RoundsSync *self,
                     const char *url)
{
  g_autoptr(RoundsCouch) couch = NULL;

  /* Credentials written into the URL are used, never shown: the URL that messages and the
   * audit log show has none. The run parses the URL again and reports a bad one. */
  self->config.url = g_strdup (url);
  if (url != NULL && (couch = rounds_couch_new (url, NULL)) != NULL)
    self->display_url = g_strdup (rounds_couch_get_url (couch));
  else
    self->display_url = g_strdup ("…");
}

static void
rounds_sync_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  RoundsSync *self = ROUNDS_SYNC (object);

  switch (prop_id)
    {
    case PROP_URL:
      rounds_sync_set_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_sync_class_init (RoundsSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_sync_finalize;
  object_class->get_property = rounds_sync_get_property;
  object_class->set_property = rounds_sync_set_property;

  /**
   * RoundsSync:url:
   *
   * The curation store database, without credentials.
   */
  properties [PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RoundsSync:stage:
   *
   * What a run is doing: a #RoundsSyncStage.
   */
  properties [PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, ROUNDS_SYNC_STAGE_IDLE, ROUNDS_SYNC_STAGE_DONE, ROUNDS_SYNC_STAGE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RoundsSync:fraction:
   *
   * How far the current stage is, from 0 to 1; 0 while the total is unknown.
   */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RoundsSync::progress:
   * @stage: a #RoundsSyncStage
   * @done: documents pushed, or changes read, so far in this stage
   * @total: how many there are, or 0 when unknown
   */
  signals [PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
rounds_sync_init (RoundsSync *self)
{
  self->config.direction = ROUNDS_SYNC_BOTH;
  self->config.batch_size = DEFAULT_BATCH_SIZE;
  self->config.page_size = DEFAULT_PAGE_SIZE;
  self->config.attempts = DEFAULT_ATTEMPTS;
  self->config.delay_ms = DEFAULT_DELAY_MS;
  self->config.resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
  g_array_set_clear_func (self->config.resolutions, resolution_clear);
}

/**
 * rounds_sync_new:
 * @url: the curation store database, `https://HOST[:PORT]/DATABASE`
 */
RoundsSync *
rounds_sync_new (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);
  return g_object_new (ROUNDS_TYPE_SYNC, "url", url, NULL);
}

const char *
rounds_sync_get_url (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), NULL);
  return self->display_url;
}

const char *
rounds_sync_get_user (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), NULL);
  return self->config.user;
}

/**
 * rounds_sync_set_credentials:
 * @user: (nullable): the CouchDB user; %NULL for anonymous
 * @password: (nullable): kept in memory only, wiped when replaced or finalized
 */
void
rounds_sync_set_credentials (RoundsSync *self,
                             const char *user,
                             const char *password)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  if (g_strcmp0 (self->config.user, user) != 0)
    {
      g_free (self->config.user);
      self->config.user = g_strdup (user);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
  wipe (&self->config.password);
  self->config.password = g_strdup (password);
}

void
rounds_sync_set_ca_file (RoundsSync *self,
                         const char *ca_file)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  g_free (self->config.ca_file);
  self->config.ca_file = g_strdup (ca_file);
}

/**
 * rounds_sync_set_profile:
 * @user_name: (nullable): the local profile whose edits are pushed
 *
 * By default, the profile named like the user syncing, else the current profile. The
 * store takes a judgement only from the annotator it names, so on a shared machine each
 * person's edits go up when they sync.
 */
void
rounds_sync_set_profile (RoundsSync *self,
                         const char *user_name)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  g_free (self->config.profile);
  self->config.profile = g_strdup (user_name);
}

void
rounds_sync_set_direction (RoundsSync          *self,
                           RoundsSyncDirection  direction)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail ((direction & ROUNDS_SYNC_BOTH) != 0);

  self->config.direction = direction & ROUNDS_SYNC_BOTH;
}

/**
 * rounds_sync_set_batch_size:
 * @batch_size: documents per _bulk_docs, up to 1000; 0 for the default, 500
 *
 * CouchDB does best with 500 to 1000; smaller batches are for tests.
 */
void
rounds_sync_set_batch_size (RoundsSync *self,
                            guint       batch_size)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.batch_size = batch_size ? MIN (batch_size, MAX_BATCH_SIZE) : DEFAULT_BATCH_SIZE;
}

/* Changes per page of the pull; 0 for the default, 500. */
void
rounds_sync_set_page_size (RoundsSync *self,
                           guint       page_size)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.page_size = page_size ? MIN (page_size, 10000u) : DEFAULT_PAGE_SIZE;
}

/* See rounds_couch_set_timeouts(). */
void
rounds_sync_set_timeouts (RoundsSync *self,
                          guint       connect_ms,
                          guint       total_ms)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.connect_ms = connect_ms;
  self->config.total_ms = total_ms;
}

/**
 * rounds_sync_set_retries:
 * @attempts: how often a request whose outcome is unknown is sent, in all; at least 1
 * @delay_ms: the wait before the first resend, doubled for each further one
 */
void
rounds_sync_set_retries (RoundsSync *self,
                         guint       attempts,
                         guint       delay_ms)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.attempts = MAX (attempts, 1);
  self->config.delay_ms = delay_ms;
}

/**
 * rounds_sync_resolve:
 * @doc_id: a dataset or item listed as in conflict
 *
 * Settles the conflict at the start of the next run: %ROUNDS_SYNC_TAKE_THEIRS replaces
 * the local copy with the store's; %ROUNDS_SYNC_KEEP_MINE publishes the local copy over
 * the store's current revision.
 */
void
rounds_sync_resolve (RoundsSync           *self,
                     const char           *doc_id,
                     RoundsSyncResolution  resolution)
{
  Resolution r;

  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail (doc_id != NULL);

  r.doc_id = g_strdup (doc_id);
  r.resolution = resolution;
  g_array_append_val (self->config.resolutions, r);
}

RoundsSyncStage
rounds_sync_get_stage (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), ROUNDS_SYNC_STAGE_IDLE);
  return self->stage;
}

double
rounds_sync_get_fraction (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), 0);
  return self->fraction;
}
