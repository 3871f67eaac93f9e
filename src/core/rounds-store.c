/* rounds-store.c: the local SQLite store: opening, statements, transactions, meta, audit
 *
 * The store's concepts live beside the tables they own: rounds-store-profiles.c,
 * rounds-store-items.c (datasets, items, the queue), rounds-store-judgements.c (judgements and
 * drafts), rounds-store-verdicts.c, rounds-store-disputes.c and rounds-store-agreement.c.
 *
 * One RoundsStore is one SQLite connection, to be used from one thread; work in a thread
 * opens a store of its own on the same path. Every write that records a person's work is
 * committed before the call returns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-store-schema-private.h"
#include "rounds-util-private.h"

struct _RoundsStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt, prepared once */
  GHashTable *by_address;   /* SQL text's address → sqlite3_stmt: a fast path, checked */
  RoundsQueueMark queue_mark;
  gboolean    skip_optimize;
};

G_DEFINE_FINAL_TYPE (RoundsStore, rounds_store, G_TYPE_OBJECT)

static void
rounds_store_finalize (GObject *object)
{
  RoundsStore *self = (RoundsStore *)object;

  g_clear_pointer (&self->by_address, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Leave the WAL folded into the database so the file can be copied alone. */
      if (!self->skip_optimize)
        sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_free (self->path);

  G_OBJECT_CLASS (rounds_store_parent_class)->finalize (object);
}

static void
rounds_store_class_init (RoundsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_store_finalize;
}

static void
statement_free (gpointer data)
{
  sqlite3_finalize (data);
}

static void
rounds_store_init (RoundsStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  self->by_address = g_hash_table_new (NULL, NULL);
}

/* Internal API ------------------------------------------------------------------------ */

sqlite3 *
_rounds_store_get_db (RoundsStore *self)
{
  return self->db;
}

RoundsQueueMark *
_rounds_store_get_queue_mark (RoundsStore *self)
{
  return &self->queue_mark;
}

gboolean
_rounds_store_set_sqlite_error (RoundsStore  *self,
                                GError      **error)
{
  int code = sqlite3_extended_errcode (self->db);

  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
               _("Database error in %s: %s (%d)"), self->path, sqlite3_errmsg (self->db), code);
  return FALSE;
}

/* A prepared statement for @sql, reset and with its bindings cleared. */
sqlite3_stmt *
_rounds_store_prepare (RoundsStore  *self,
                       const char   *sql,
                       GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->by_address, sql);

  /* SQL is nearly always a string literal, so its address finds the statement without
   * hashing a few hundred bytes per row of a bulk import; a string built at run time
   * may reuse an address, hence the check against the statement's own text. */
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      stmt = g_hash_table_lookup (self->statements, sql);
      if (stmt != NULL)
        g_hash_table_insert (self->by_address, (gpointer) sql, stmt);
    }

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                              NULL) != SQLITE_OK)
        {
          _rounds_store_set_sqlite_error (self, error);
          g_prefix_error (error, "%s: ", sql);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
      g_hash_table_insert (self->by_address, (gpointer) sql, stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

gboolean
_rounds_store_exec (RoundsStore  *self,
                    const char   *sql,
                    GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _rounds_store_set_sqlite_error (self, error);
  return TRUE;
}

gboolean
_rounds_store_begin (RoundsStore  *self,
                     GError      **error)
{
  return _rounds_store_exec (self, "BEGIN IMMEDIATE", error);
}

/* A read transaction: what the statements until the rollback read is one state of the store. */
gboolean
_rounds_store_begin_read (RoundsStore  *self,
                          GError      **error)
{
  return _rounds_store_exec (self, "BEGIN DEFERRED", error);
}

gboolean
_rounds_store_commit (RoundsStore  *self,
                      GError      **error)
{
  return _rounds_store_exec (self, "COMMIT", error);
}

void
_rounds_store_rollback (RoundsStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

void
_rounds_store_bind_text (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
_rounds_store_column_dup (sqlite3_stmt *stmt,
                          int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

/* Steps a statement that returns no row; %FALSE with the error set on failure. */
gboolean
_rounds_store_step_done (RoundsStore   *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  return _rounds_store_step_end (self, stmt, sqlite3_step (stmt), error);
}

/**
 * _rounds_store_step_done_lazily:
 *
 * As _rounds_store_step_done(), for a write that may wait for the next durable commit: in
 * autocommit it commits without waiting for the disk (synchronous=NORMAL, which in WAL mode
 * still survives the app being killed) and without checkpointing the write-ahead log. The
 * next commit with synchronous=FULL syncs the log, this write with it, so nothing saved
 * after it is durable without it; and that commit checkpoints if the log has grown.
 */
gboolean
_rounds_store_step_done_lazily (RoundsStore   *self,
                                sqlite3_stmt  *stmt,
                                GError       **error)
{
  gboolean done;

  if (!sqlite3_get_autocommit (self->db))
    return _rounds_store_step_done (self, stmt, error);

  if (!_rounds_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  sqlite3_wal_autocheckpoint (self->db, 0);
  done = _rounds_store_step_done (self, stmt, error);
  sqlite3_wal_autocheckpoint (self->db, 1000);  /* SQLite's default */
  if (!_rounds_store_exec (self, "PRAGMA synchronous = FULL", done ? error : NULL))
    return FALSE;
  return done;
}

/**
 * _rounds_store_list_objects:
 * @stmt: prepared and bound
 * @from_row: makes a new object of @type from the current row
 *
 * Returns: (transfer full): a GListModel of what @from_row makes of each row of @stmt
 */
GListModel *
_rounds_store_list_objects (RoundsStore           *self,
                            sqlite3_stmt          *stmt,
                            GType                  type,
                            RoundsObjectFromRow    from_row,
                            GError               **error)
{
  g_autoptr(GListStore) list = g_list_store_new (type);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GObject) object = from_row (stmt);

      g_list_store_append (list, object);
    }
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

/* Steps a statement that always gives one row, such as an aggregate: %TRUE with the row to
 * read, the caller resetting @stmt after; %FALSE with the error set and @stmt reset. */
gboolean
_rounds_store_step_row (RoundsStore   *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return TRUE;
  _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return FALSE;
}

/* Resets @stmt after its last step returned @rc: %FALSE with the error set unless that
 * step gave a row or ran out of rows. */
gboolean
_rounds_store_step_end (RoundsStore   *self,
                        sqlite3_stmt  *stmt,
                        int            rc,
                        GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (self, error);
  return TRUE;
}

/* Opening ----------------------------------------------------------------------------- */

/**
 * rounds_store_default_path:
 *
 * `$XDG_DATA_HOME/rounds/rounds.db`, the store the app and rounds-cli share by default.
 */
char *
rounds_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "rounds", "rounds.db", NULL);
}

/**
 * rounds_store_open:
 * @path: the database file; created, with its folder, if missing
 *
 * Opens the store in WAL mode with foreign keys on, and upgrades its schema.
 */
RoundsStore *
rounds_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(RoundsStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (ROUNDS_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("Cannot open the database %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 10000);

  /* A store from a newer Rounds is refused before anything writes to it: even turning
   * WAL on rewrites the file's header. The migration refuses it with the error. */
  if (_rounds_schema_get_version (self->db) > ROUNDS_SCHEMA_VERSION)
    {
      _rounds_schema_migrate (self->db, path, error);
      goto fail;
    }

  /* synchronous=FULL: a judgement that was reported saved survives a power cut too. */
  if (!_rounds_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_rounds_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_rounds_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !_rounds_store_exec (self, "PRAGMA trusted_schema = OFF", error) ||
      !_rounds_schema_migrate (self->db, path, error))
    goto fail;

  return g_steal_pointer (&self);

fail:
  /* Closed here, so that finalize does not run PRAGMA optimize on a store it refused. */
  g_hash_table_remove_all (self->by_address);
  g_hash_table_remove_all (self->statements);
  sqlite3_close_v2 (self->db);
  self->db = NULL;
  return NULL;
}

/* For a short-lived connection of a worker whose work is small beside what PRAGMA optimize
 * may do on close (an ANALYZE of the tables its queries touched: 300 ms on a dataset of
 * 60 000 judgements, after a verdict that took 20 ms): the connection that lives on does it. */
void
_rounds_store_skip_optimize (RoundsStore *self)
{
  g_return_if_fail (ROUNDS_IS_STORE (self));
  self->skip_optimize = TRUE;
}

const char *
rounds_store_get_path (RoundsStore *self)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  return self->path;
}

int
rounds_store_get_schema_version (RoundsStore *self)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), -1);
  return _rounds_schema_get_version (self->db);
}

/* PRAGMA integrity_check and foreign_key_check, both of which must find nothing. */
gboolean
rounds_store_check_integrity (RoundsStore  *self,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *result = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);

  if (!(stmt = _rounds_store_prepare (self, "PRAGMA integrity_check", error)))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = _rounds_sql_dup (stmt, "integrity_check");
  sqlite3_reset (stmt);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("%s is damaged: %s"), self->path, result ? result : sqlite3_errmsg (self->db));
      return FALSE;
    }

  if (!(stmt = _rounds_store_prepare (self, "PRAGMA foreign_key_check", error)))
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("%s has a row in %s that points at nothing"), self->path,
                   _rounds_sql_text (stmt, "table"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Audit ------------------------------------------------------------------------------- */

/* Adds a fact to the audit log at @at (UTC, with milliseconds); with @once, only where the
 * same fact is not there already, as for an archive imported again. */
gboolean
_rounds_store_add_audit (RoundsStore  *self,
                         const char   *at,
                         const char   *actor,
                         const char   *action,
                         const char   *target,
                         const char   *detail_json,
                         gboolean      once,
                         GError      **error)
{
  static const char sql[] =
    "INSERT INTO audit_log (at, actor, action, target, detail_json) VALUES (?1, ?2, ?3, ?4, ?5)";
  static const char sql_once[] =
    "INSERT INTO audit_log (at, actor, action, target, detail_json)"
    " SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS"
    " (SELECT 1 FROM audit_log"
    "  WHERE at = ?1 AND actor IS ?2 AND action = ?3 AND target IS ?4 AND detail_json IS ?5)";
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, once ? sql_once : sql, error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, at);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  return _rounds_store_step_done (self, stmt, error);
}

/**
 * rounds_store_audit:
 * @action: what happened, as "noun.verb": "judgement.submit", "import.file"
 * @detail_json: (nullable): a JSON object with the facts
 *
 * Appends to the audit log; the table refuses updates and deletes.
 */
gboolean
rounds_store_audit (RoundsStore  *self,
                    const char   *actor,
                    const char   *action,
                    const char   *target,
                    const char   *detail_json,
                    GError      **error)
{
  g_autofree char *now = _rounds_now_iso8601 ();

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  return _rounds_store_add_audit (self, now, actor, action, target, detail_json, FALSE, error);
}

/* The audit target of anything about @item: "dataset/key". */
char *
_rounds_store_item_target (RoundsItem *item)
{
  return g_strdup_printf ("%s/%s", rounds_item_get_dataset_name (item),
                          rounds_item_get_key (item));
}

/* The audit detail of a new judgement or verdict edit: {"edit", "revision", "previous_edit"}. */
static char *
edit_detail (const char *edit_id,
             int         revision,
             const char *previous_edit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "edit");
  json_builder_add_string_value (builder, edit_id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  if (previous_edit != NULL)
    {
      json_builder_set_member_name (builder, "previous_edit");
      json_builder_add_string_value (builder, previous_edit);
    }
  json_builder_end_object (builder);
  return _rounds_json_builder_to_string (builder);
}

/* Appends a new judgement or verdict edit of @item to the audit log. */
gboolean
_rounds_store_audit_edit (RoundsStore  *self,
                          RoundsItem   *item,
                          const char   *actor,
                          const char   *action,
                          const char   *edit_id,
                          int           revision,
                          const char   *previous_edit,
                          GError      **error)
{
  g_autofree char *detail_json = edit_detail (edit_id, revision, previous_edit);
  g_autofree char *target = _rounds_store_item_target (item);

  return rounds_store_audit (self, actor, action, target, detail_json, error);
}

/* Edits ------------------------------------------------------------------------------- */

/* annotations.origin and adjudications.origin */
const char *
_rounds_origin_to_string (RoundsOrigin origin)
{
  static const char * const origins[] = { "local", "import", "remote" };

  g_assert (origin < G_N_ELEMENTS (origins));
  return origins[origin];
}

/**
 * _rounds_store_has_edit:
 * @table: "annotations" or "adjudications"
 *
 * Whether the edit is stored already: an edit is immutable, so applying it again (a
 * replayed feed, a file imported twice) is a no-op.
 */
gboolean
_rounds_store_has_edit (RoundsStore  *self,
                        const char   *table,
                        const char   *edit_id,
                        gboolean     *found,
                        GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE edit_id = ?1", table);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_str_equal (table, "annotations") || g_str_equal (table, "adjudications"));

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, edit_id);
  rc = sqlite3_step (stmt);
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return FALSE;
  *found = rc == SQLITE_ROW;
  return TRUE;
}

/* DESIGN.md's rule for the current edit of a judgement or a verdict: the higher revision,
 * then the later time, then the greater edit id, so every machine picks the same one. */
gboolean
_rounds_edit_is_newer (int         revision,
                       const char *created_at,
                       const char *edit_id,
                       int         than_revision,
                       const char *than_created_at,
                       const char *than_edit_id)
{
  int cmp;

  if (revision != than_revision)
    return revision > than_revision;
  if ((cmp = g_strcmp0 (created_at, than_created_at)) != 0)
    return cmp > 0;
  return g_strcmp0 (edit_id, than_edit_id) > 0;
}

/* Gives a new edit made here its id, made once so that a retried push can never duplicate
 * it, its time and its author. */
void
_rounds_store_stamp_edit (char       **edit_id,
                          char       **created_at,
                          char       **author,
                          const char  *user_name)
{
  g_free (*edit_id);
  *edit_id = g_uuid_string_random ();
  g_free (*created_at);
  *created_at = _rounds_now_iso8601 ();
  g_free (*author);
  *author = g_strdup (user_name);
}

/**
 * _rounds_store_next_revision:
 * @sql: a query of one row with the columns "revision" (the new edit's) and "previous_edit"
 *   (the current one's, if any), for ?1 the item and ?2 the person when @person_id is not 0
 *
 * What a new edit made here revises, inside the caller's transaction.
 */
gboolean
_rounds_store_next_revision (RoundsStore  *self,
                             const char   *sql,
                             gint64        item_id,
                             gint64        person_id,
                             int          *revision,
                             char        **previous_edit,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  if (person_id != 0)
    sqlite3_bind_int64 (stmt, 2, person_id);
  if (!_rounds_store_step_row (self, stmt, error))
    return FALSE;
  *revision = _rounds_sql_int (stmt, "revision");
  *previous_edit = _rounds_sql_dup (stmt, "previous_edit");
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * _rounds_store_supersede:
 * @table: "annotations" or "adjudications"
 * @current: the statement that selects the current edit the new one competes with (its id,
 *   revision, created_at and edit_id; "submitted" too when @current_submitted is wanted),
 *   bound by the caller
 * @newest: (out): whether the new edit is the newest, so the one to make current
 * @current_submitted: (out) (optional): whether the current edit was a submission
 *
 * Judgements and verdicts share the rule of _rounds_edit_is_newer(): the current edit is
 * retired, inside the caller's transaction, when the new one is newer.
 */
gboolean
_rounds_store_supersede (RoundsStore   *self,
                         const char    *table,
                         sqlite3_stmt  *current,
                         int            revision,
                         const char    *created_at,
                         const char    *edit_id,
                         gboolean      *newest,
                         gboolean      *current_submitted,
                         GError       **error)
{
  g_autofree char *current_at = NULL;
  g_autofree char *current_edit = NULL;
  sqlite3_stmt *stmt;
  gint64 current_id = 0;
  int current_revision = 0;
  gboolean submitted = FALSE;

  g_assert (g_str_equal (table, "annotations") || g_str_equal (table, "adjudications"));

  if (sqlite3_step (current) == SQLITE_ROW)
    {
      current_id = _rounds_sql_int64 (current, "id");
      current_revision = _rounds_sql_int (current, "revision");
      current_at = _rounds_sql_dup (current, "created_at");
      current_edit = _rounds_sql_dup (current, "edit_id");
      if (current_submitted != NULL)
        submitted = _rounds_sql_int (current, "submitted") != 0;
    }
  sqlite3_reset (current);

  if (current_submitted != NULL)
    *current_submitted = submitted;
  *newest = current_id == 0 ||
            _rounds_edit_is_newer (revision, created_at, edit_id,
                                   current_revision, current_at, current_edit);
  if (!*newest || current_id == 0)
    return TRUE;

  if (!(stmt = _rounds_store_prepare (self,
                                      g_str_equal (table, "annotations")
                                      ? "UPDATE annotations SET is_current = 0 WHERE id = ?1"
                                      : "UPDATE adjudications SET is_current = 0 WHERE id = ?1",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, current_id);
  return _rounds_store_step_done (self, stmt, error);
}

/* The meta table: small facts about this database, by key. */
char *
_rounds_store_get_meta (RoundsStore  *self,
                        const char   *key,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = _rounds_sql_dup (stmt, "value");
  _rounds_store_step_end (self, stmt, rc, error);
  return value;
}

gboolean
_rounds_store_set_meta (RoundsStore  *self,
                        const char   *key,
                        const char   *value,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                                      " ON CONFLICT (key) DO UPDATE SET value = ?2", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, key);
  _rounds_store_bind_text (stmt, 2, value);
  return _rounds_store_step_done (self, stmt, error);
}

