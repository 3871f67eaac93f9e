/* rounds-store.c: the local SQLite store of datasets, items, judgements and verdicts
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
#include "rounds-model-private.h"
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
};

G_DEFINE_FINAL_TYPE (RoundsStore, rounds_store, G_TYPE_OBJECT)

#define DATASET_COLUMNS \
  "d.id, d.name, d.title, d.description, d.instructions, d.rubric_json, d.scale, d.overlap, " \
  "d.dispute_spread, d.required, d.metadata_json, " \
  "(SELECT COUNT(*) FROM items WHERE dataset_id = d.id)"

#define ANNOTATION_COLUMNS _ROUNDS_ANNOTATION_COLUMNS

static void
rounds_store_finalize (GObject *object)
{
  RoundsStore *self = (RoundsStore *)object;

  g_clear_pointer (&self->by_address, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Leave the WAL folded into the database so the file can be copied alone. */
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
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
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
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (self, error);
  return TRUE;
}

static gint64
lookup_annotator (RoundsStore  *self,
                  const char   *user_name,
                  GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, "SELECT id FROM annotators WHERE user_name = ?1", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                 _("No annotator profile “%s”: add it with “rounds-cli profile add %s”"),
                 user_name, user_name);
  else
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return id;
}

/* The id of annotator @user_name, adding a row (not a local profile) for a colleague
 * first seen in imported or pulled judgements. */
gint64
_rounds_store_ensure_annotator (RoundsStore  *self,
                                const char   *user_name,
                                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  id = lookup_annotator (self, user_name, &local_error);
  if (id != 0)
    return id;
  if (!g_error_matches (local_error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (!rounds_user_name_is_valid (user_name, error))
    return 0;

  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO annotators (user_name, created_at) VALUES (?1, ?2)",
                                      error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, user_name);
  _rounds_store_bind_text (stmt, 2, now);
  if (!_rounds_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/* Judgement encoding ------------------------------------------------------------------ */
/* The JSON columns hold arrays in canonical response order, so a researcher can read them
 * with sqlite3's json functions without knowing the screen. */

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
_rounds_judgement_ints_to_json (const int *values,
                                guint      n)
{
  GString *str = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (str, "%s%d", i ? "," : "", values[i]);
  g_string_append_c (str, ']');
  return g_string_free (str, FALSE);
}

char *
_rounds_judgement_order_to_json (const RoundsJudgement *judgement)
{
  GString *str = g_string_new ("[");

  for (guint i = 0; i < judgement->n_responses; i++)
    g_string_append_printf (str, "%s%u", i ? "," : "", judgement->shown_order[i]);
  g_string_append_c (str, ']');
  return g_string_free (str, FALSE);
}

/* [{"accuracy": 4, …}, …]; unscored criteria are left out. NULL when nothing is scored. */
char *
_rounds_judgement_scores_to_json (const RoundsJudgement *judgement)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  json_builder_begin_array (builder);
  for (guint r = 0; r < judgement->n_responses; r++)
    {
      json_builder_begin_object (builder);
      for (guint c = 0; c < judgement->n_criteria; c++)
        {
          int value = judgement->scores[r * judgement->n_criteria + c];

          if (value < 0)
            continue;
          any = TRUE;
          json_builder_set_member_name (builder, judgement->criteria[c]);
          json_builder_add_int_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (!any)
    return NULL;
  root = json_builder_get_root (builder);
  return node_to_string (root);
}

/* [["unsafe"], []]; NULL when nothing is flagged. */
char *
_rounds_judgement_flags_to_json (const RoundsJudgement *judgement)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  json_builder_begin_array (builder);
  for (guint r = 0; r < judgement->n_responses; r++)
    {
      json_builder_begin_array (builder);
      for (guint f = 0; f < ROUNDS_N_FLAGS; f++)
        if (judgement->flags[r] & (1u << f))
          {
            any = TRUE;
            json_builder_add_string_value (builder, rounds_flag_to_string (1u << f));
          }
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  if (!any)
    return NULL;
  root = json_builder_get_root (builder);
  return node_to_string (root);
}

/* [null, "note on B"]; NULL when there are no notes. */
char *
_rounds_judgement_notes_to_json (const RoundsJudgement *judgement)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  json_builder_begin_array (builder);
  for (guint r = 0; r < judgement->n_responses; r++)
    {
      if (judgement->notes[r] != NULL && *judgement->notes[r] != '\0')
        {
          any = TRUE;
          json_builder_add_string_value (builder, judgement->notes[r]);
        }
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_array (builder);

  if (!any)
    return NULL;
  root = json_builder_get_root (builder);
  return node_to_string (root);
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_array_ref (json_node_get_array (node));
}

static void
judgement_fill_arrays (RoundsJudgement *j,
                       const char      *ranking_json,
                       const char      *scores_json,
                       const char      *flags_json,
                       const char      *notes_json,
                       const char      *order_json)
{
  g_autoptr(JsonArray) ranking = parse_array (ranking_json);
  g_autoptr(JsonArray) scores = parse_array (scores_json);
  g_autoptr(JsonArray) flags = parse_array (flags_json);
  g_autoptr(JsonArray) notes = parse_array (notes_json);
  g_autoptr(JsonArray) order = parse_array (order_json);
  guint n = j->n_responses;

  for (guint r = 0; ranking && r < MIN (n, json_array_get_length (ranking)); r++)
    j->ranks[r] = (int) json_array_get_int_element (ranking, r);

  for (guint r = 0; scores && r < MIN (n, json_array_get_length (scores)); r++)
    {
      JsonNode *element = json_array_get_element (scores, r);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      for (guint c = 0; c < j->n_criteria; c++)
        {
          JsonObject *object = json_node_get_object (element);

          if (json_object_has_member (object, j->criteria[c]))
            j->scores[r * j->n_criteria + c] = (int) json_object_get_int_member (object, j->criteria[c]);
        }
    }

  for (guint r = 0; flags && r < MIN (n, json_array_get_length (flags)); r++)
    {
      JsonNode *element = json_array_get_element (flags, r);

      if (!JSON_NODE_HOLDS_ARRAY (element))
        continue;
      for (guint f = 0; f < json_array_get_length (json_node_get_array (element)); f++)
        j->flags[r] |= rounds_flag_from_string (json_array_get_string_element (json_node_get_array (element), f));
    }

  for (guint r = 0; notes && r < MIN (n, json_array_get_length (notes)); r++)
    {
      JsonNode *element = json_array_get_element (notes, r);

      if (JSON_NODE_HOLDS_VALUE (element))
        j->notes[r] = g_strdup (json_node_get_string (element));
    }

  if (order && json_array_get_length (order) == n)
    for (guint r = 0; r < n; r++)
      j->shown_order[r] = (guint) json_array_get_int_element (order, r);
}

/**
 * _rounds_store_judgement_from_row:
 *
 * Reads a row that starts with _ROUNDS_ANNOTATION_COLUMNS (more columns may follow), for
 * an item with @n_responses responses.
 */
RoundsJudgement *
_rounds_store_judgement_from_row (sqlite3_stmt *stmt,
                                  guint         n_responses,
                                  RoundsRubric *rubric)
{
  RoundsJudgement *j = rounds_judgement_new (n_responses, rubric);

  j->edit_id = _rounds_store_column_dup (stmt, 0);
  j->revision = sqlite3_column_int (stmt, 1);
  if (!rounds_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &j->status))
    j->status = ROUNDS_STATUS_SUBMITTED;
  j->has_preference = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
  j->preference = sqlite3_column_int (stmt, 3);
  j->unacceptable = sqlite3_column_int (stmt, 5) != 0;
  judgement_fill_arrays (j,
                         (const char *) sqlite3_column_text (stmt, 4),
                         (const char *) sqlite3_column_text (stmt, 6),
                         (const char *) sqlite3_column_text (stmt, 7),
                         (const char *) sqlite3_column_text (stmt, 8),
                         (const char *) sqlite3_column_text (stmt, 11));
  j->comment = _rounds_store_column_dup (stmt, 9);
  j->skip_reason = _rounds_store_column_dup (stmt, 10);
  j->time_spent_ms = sqlite3_column_int64 (stmt, 12);
  j->created_at = _rounds_store_column_dup (stmt, 13);
  j->annotator = _rounds_store_column_dup (stmt, 14);
  return j;
}

static RoundsJudgement *
judgement_from_row (sqlite3_stmt *stmt,
                    RoundsItem   *item,
                    RoundsRubric *rubric)
{
  return _rounds_store_judgement_from_row (stmt, rounds_item_get_n_responses (item), rubric);
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
    result = _rounds_store_column_dup (stmt, 0);
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
                   (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Audit ------------------------------------------------------------------------------- */

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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO audit_log (at, actor, action, target, detail_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, now);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  return _rounds_store_step_done (self, stmt, error);
}

/* Edits ------------------------------------------------------------------------------- */

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
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (self, error);
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
    value = _rounds_store_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
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

/* Profiles ---------------------------------------------------------------------------- */

static RoundsProfile *
profile_from_row (sqlite3_stmt *stmt)
{
  RoundsRoles roles = ROUNDS_ROLE_ANNOTATOR;

  rounds_roles_from_string ((const char *) sqlite3_column_text (stmt, 2), &roles, NULL);
  return rounds_profile_new ((const char *) sqlite3_column_text (stmt, 0),
                             (const char *) sqlite3_column_text (stmt, 1),
                             roles,
                             (const char *) sqlite3_column_text (stmt, 3));
}

/**
 * rounds_store_add_profile:
 *
 * Adds a profile for a person working on this machine, or updates the one with the same
 * user name. The first profile added becomes the current one.
 */
gboolean
rounds_store_add_profile (RoundsStore    *self,
                          RoundsProfile  *profile,
                          GError        **error)
{
  g_autofree char *roles = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_PROFILE (profile), FALSE);

  if (!rounds_user_name_is_valid (rounds_profile_get_user_name (profile), error))
    return FALSE;

  roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
  now = _rounds_now_iso8601 ();

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO annotators (user_name, display_name, roles, specialty, is_local, created_at)"
                                      " VALUES (?1, ?2, ?3, ?4, 1, ?5)"
                                      " ON CONFLICT (user_name) DO UPDATE SET display_name = ?2, roles = ?3,"
                                      " specialty = ?4, is_local = 1", error)))
    goto fail;
  _rounds_store_bind_text (stmt, 1, rounds_profile_get_user_name (profile));
  _rounds_store_bind_text (stmt, 2, rounds_profile_get_display_name (profile));
  _rounds_store_bind_text (stmt, 3, roles);
  _rounds_store_bind_text (stmt, 4, rounds_profile_get_specialty (profile));
  _rounds_store_bind_text (stmt, 5, now);
  if (!_rounds_store_step_done (self, stmt, error))
    goto fail;

  detail = g_strdup_printf ("{\"roles\":\"%s\"}", roles);
  if (!rounds_store_audit (self, rounds_profile_get_user_name (profile), "profile.add",
                           rounds_profile_get_user_name (profile), detail, error))
    goto fail;

  current = rounds_store_get_current_profile (self);
  if (current == NULL &&
      !rounds_store_set_current_profile (self, rounds_profile_get_user_name (profile), error))
    goto fail;

  return _rounds_store_commit (self, error);

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

/* The local profiles, a GListModel of RoundsProfile sorted by user name. */
GListModel *
rounds_store_list_profiles (RoundsStore  *self,
                            GError      **error)
{
  g_autoptr(GListStore) list = g_list_store_new (ROUNDS_TYPE_PROFILE);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT user_name, display_name, roles, specialty FROM annotators"
                                      " WHERE is_local = 1 ORDER BY user_name", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RoundsProfile) profile = profile_from_row (stmt);

      g_list_store_append (list, profile);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&list));
}

RoundsProfile *
rounds_store_get_profile (RoundsStore  *self,
                          const char   *user_name,
                          GError      **error)
{
  RoundsProfile *profile = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT user_name, display_name, roles, specialty FROM annotators"
                                      " WHERE user_name = ?1 AND is_local = 1", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    profile = profile_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                 _("No profile “%s” on this machine: add it with “rounds-cli profile add %s”"),
                 user_name, user_name);
  else
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return profile;
}

gboolean
rounds_store_set_current_profile (RoundsStore  *self,
                                  const char   *user_name,
                                  GError      **error)
{
  g_autoptr(RoundsProfile) profile = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);

  if (!(profile = rounds_store_get_profile (self, user_name, error)))
    return FALSE;
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO meta (key, value) VALUES ('current_profile', ?1)"
                                      " ON CONFLICT (key) DO UPDATE SET value = ?1", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, user_name);
  return _rounds_store_step_done (self, stmt, error);
}

/* The profile chosen last, or %NULL when none has been added. */
RoundsProfile *
rounds_store_get_current_profile (RoundsStore *self)
{
  g_autofree char *user_name = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, "SELECT value FROM meta WHERE key = 'current_profile'", NULL)))
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user_name = _rounds_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return user_name ? rounds_store_get_profile (self, user_name, NULL) : NULL;
}

/* Datasets and items ------------------------------------------------------------------ */

static RoundsRequire
parse_required (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text ? text : "", ",", -1);
  RoundsRequire required = 0;

  for (guint i = 0; names[i]; i++)
    required |= rounds_require_from_string (names[i]);
  return required;
}

/* Reads a row selected with DATASET_COLUMNS. */
RoundsDataset *
_rounds_dataset_new_from_row (sqlite3_stmt *stmt)
{
  RoundsDataset *dataset = g_object_new (ROUNDS_TYPE_DATASET, NULL);
  const char *rubric_json = (const char *) sqlite3_column_text (stmt, 5);

  dataset->id = sqlite3_column_int64 (stmt, 0);
  dataset->name = _rounds_store_column_dup (stmt, 1);
  dataset->title = _rounds_store_column_dup (stmt, 2);
  dataset->description = _rounds_store_column_dup (stmt, 3);
  dataset->instructions = _rounds_store_column_dup (stmt, 4);
  if (rubric_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (rubric_json, NULL);

      if (node != NULL)
        dataset->rubric = rounds_rubric_new_from_json (node, NULL);
      if (dataset->rubric == NULL)
        g_warning ("Dataset %s has an unreadable rubric; using the clinical default", dataset->name);
    }
  dataset->scale = sqlite3_column_int (stmt, 6);
  dataset->overlap = sqlite3_column_int (stmt, 7);
  dataset->dispute_spread = sqlite3_column_int (stmt, 8);
  dataset->required = parse_required ((const char *) sqlite3_column_text (stmt, 9));
  dataset->metadata_json = _rounds_store_column_dup (stmt, 10);
  dataset->n_items = sqlite3_column_int (stmt, 11);
  return dataset;
}

/* Every dataset, by name, as a GListModel of RoundsDataset. */
GListModel *
rounds_store_list_datasets (RoundsStore  *self,
                            GError      **error)
{
  g_autoptr(GListStore) list = g_list_store_new (ROUNDS_TYPE_DATASET);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(stmt = _rounds_store_prepare (self, "SELECT " DATASET_COLUMNS " FROM datasets d ORDER BY d.name", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(RoundsDataset) dataset = _rounds_dataset_new_from_row (stmt);

      g_list_store_append (list, dataset);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&list));
}

static RoundsDataset *
get_dataset (RoundsStore  *self,
             const char   *sql,
             const char   *name,
             gint64        id,
             GError      **error)
{
  RoundsDataset *dataset = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  if (name != NULL)
    _rounds_store_bind_text (stmt, 1, name);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    dataset = _rounds_dataset_new_from_row (stmt);
  else if (rc == SQLITE_DONE && name != NULL)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No dataset “%s”: “rounds-cli datasets” lists them"), name);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No dataset with id %lld"), (long long) id);
  else
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return dataset;
}

RoundsDataset *
rounds_store_get_dataset (RoundsStore  *self,
                          const char   *name,
                          GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return get_dataset (self, "SELECT " DATASET_COLUMNS " FROM datasets d WHERE d.name = ?1",
                      name, 0, error);
}

RoundsDataset *
rounds_store_get_dataset_by_id (RoundsStore  *self,
                                gint64        dataset_id,
                                GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  return get_dataset (self, "SELECT " DATASET_COLUMNS " FROM datasets d WHERE d.id = ?1",
                      NULL, dataset_id, error);
}

static RoundsItem *
load_item (RoundsStore  *self,
           const char   *sql,
           gint64        item_id,
           const char   *dataset,
           const char   *key,
           GError      **error)
{
  g_autoptr(RoundsItem) item = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  if (key != NULL)
    {
      _rounds_store_bind_text (stmt, 1, dataset);
      _rounds_store_bind_text (stmt, 2, key);
    }
  else
    sqlite3_bind_int64 (stmt, 1, item_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item = g_object_new (ROUNDS_TYPE_ITEM, NULL);
      item->id = sqlite3_column_int64 (stmt, 0);
      item->dataset_id = sqlite3_column_int64 (stmt, 1);
      item->dataset_name = _rounds_store_column_dup (stmt, 2);
      item->key = _rounds_store_column_dup (stmt, 3);
      item->title = _rounds_store_column_dup (stmt, 4);
      item->scenario = _rounds_store_column_dup (stmt, 5);
      item->specialty = _rounds_store_column_dup (stmt, 6);
      item->language = _rounds_store_column_dup (stmt, 7);
      item->metadata_json = _rounds_store_column_dup (stmt, 8);
      item->overlap = sqlite3_column_int (stmt, 9);
    }
  else if (rc == SQLITE_DONE)
    {
      if (key != NULL)
        g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                     _("No item “%s” in dataset “%s”"), key, dataset);
      else
        g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                     _("No item with id %lld"), (long long) item_id);
    }
  else
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  if (item == NULL)
    return NULL;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT key, text, model FROM responses WHERE item_id = ?1 ORDER BY idx",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, item->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _rounds_item_add_response (item,
                               (const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1),
                               (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&item);
}

#define ITEM_COLUMNS \
  "i.id, i.dataset_id, d.name, i.key, i.title, i.scenario, i.specialty, i.language, " \
  "i.metadata_json, i.overlap FROM items i JOIN datasets d ON d.id = i.dataset_id"

RoundsItem *
rounds_store_get_item (RoundsStore  *self,
                       gint64        item_id,
                       GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  return load_item (self, "SELECT " ITEM_COLUMNS " WHERE i.id = ?1", item_id, NULL, NULL, error);
}

RoundsItem *
rounds_store_find_item (RoundsStore  *self,
                        const char   *dataset,
                        const char   *key,
                        GError      **error)
{
  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (dataset != NULL && key != NULL, NULL);

  return load_item (self, "SELECT " ITEM_COLUMNS " WHERE d.name = ?1 AND i.key = ?2",
                    0, dataset, key, error);
}

/* The queue --------------------------------------------------------------------------- */

/**
 * rounds_store_next_item:
 *
 * The item @annotator should do next in @dataset_id: first one they left with a draft,
 * then the first in dataset order that still wants judgements (fewer annotators have
 * submitted it than its overlap) and that they have neither submitted nor skipped.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL without an error when the
 *   annotator's queue is empty.
 */
RoundsItem *
rounds_store_next_item (RoundsStore  *self,
                        gint64        dataset_id,
                        const char   *annotator,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 annotator_id;
  gint64 item_id = 0;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (annotator != NULL, NULL);

  if (!(annotator_id = lookup_annotator (self, annotator, error)))
    return NULL;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT dr.item_id FROM drafts dr JOIN items i ON i.id = dr.item_id"
                                      " WHERE dr.annotator_id = ?2 AND i.dataset_id = ?1"
                                      "   AND NOT EXISTS (SELECT 1 FROM annotations a"
                                      "                   WHERE a.item_id = dr.item_id AND a.annotator_id = ?2)"
                                      " ORDER BY i.position LIMIT 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }

  if (item_id == 0)
    {
      if (!(stmt = _rounds_store_prepare (self,
                                          "SELECT i.id FROM items i INDEXED BY items_open"
                                          " WHERE i.dataset_id = ?1 AND i.n_submitted < i.overlap"
                                          "   AND NOT EXISTS (SELECT 1 FROM annotations a"
                                          "                   WHERE a.item_id = i.id AND a.annotator_id = ?2)"
                                          " ORDER BY i.position LIMIT 1", error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, dataset_id);
      sqlite3_bind_int64 (stmt, 2, annotator_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        item_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _rounds_store_set_sqlite_error (self, error);
          return NULL;
        }
    }

  if (item_id == 0)
    return NULL;
  return rounds_store_get_item (self, item_id, error);
}

/**
 * rounds_store_get_shown_order:
 * @order: (out caller-allocates): one canonical index per screen position
 *
 * The order @annotator sees @item's responses in. It is fixed the first time they open
 * the item, so it is the same on every return. Successive annotators of an item get
 * successive rotations (a Latin square), so each response stands in each position equally
 * often; where the rotation starts depends on the item, so the first annotator's order is
 * random across items.
 */
gboolean
rounds_store_get_shown_order (RoundsStore  *self,
                              RoundsItem   *item,
                              const char   *annotator,
                              guint        *order,
                              GError      **error)
{
  guint n = rounds_item_get_n_responses (item);
  g_autofree char *stored = NULL;
  g_autofree char *key = NULL;
  g_autofree char *order_json = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 annotator_id;
  guint slot = 0;
  guint rotation;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (!(annotator_id = lookup_annotator (self, annotator, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT shown_order FROM assignments WHERE item_id = ?1 AND annotator_id = ?2",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    stored = _rounds_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  if (stored != NULL)
    {
      g_autoptr(JsonArray) array = parse_array (stored);
      gboolean valid = array != NULL && json_array_get_length (array) == n;

      for (guint i = 0; valid && i < n; i++)
        {
          order[i] = (guint) json_array_get_int_element (array, i);
          valid = order[i] < n;
        }
      if (valid)
        return TRUE;
      g_warning ("Stored order %s of item %s is unreadable; assigning a new one", stored,
                 rounds_item_get_key (item));
    }

  /* The slot counts the annotators before this one, here or from other machines. */
  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT COUNT(*) FROM (SELECT annotator_id FROM assignments WHERE item_id = ?1"
                                      " UNION SELECT annotator_id FROM annotations WHERE item_id = ?1)",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    slot = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  key = g_strconcat (rounds_item_get_dataset_name (item), "\n", rounds_item_get_key (item), NULL);
  rotation = (g_str_hash (key) + slot) % n;
  for (guint i = 0; i < n; i++)
    order[i] = (i + rotation) % n;

  order_json = _rounds_judgement_ints_to_json ((const int *) order, n);
  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT OR REPLACE INTO assignments (item_id, annotator_id, slot, shown_order, first_seen)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  sqlite3_bind_int (stmt, 3, (int) slot);
  _rounds_store_bind_text (stmt, 4, order_json);
  _rounds_store_bind_text (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (self, error);
  return TRUE;
}

/* Judgements -------------------------------------------------------------------------- */

/**
 * _rounds_store_insert_judgement:
 * @judgement: with edit_id, revision, created_at and annotator set
 * @inserted: (out) (optional): %FALSE when an edit with this id was there already
 *
 * Records one edit, inside the caller's transaction. Replaying an edit is a no-op, so a
 * pull or an import can be repeated. The annotator's current judgement of the item is
 * their newest edit: the highest revision, then the latest time, then the larger edit id,
 * so every machine picks the same one whatever order the edits arrive in.
 */
gboolean
_rounds_store_insert_judgement (RoundsStore      *self,
                                RoundsItem       *item,
                                gint64            annotator_id,
                                RoundsJudgement  *j,
                                RoundsOrigin      origin,
                                gboolean         *inserted,
                                GError          **error)
{
  static const char * const origins[] = { "local", "import", "remote" };
  g_autofree char *doc_id = NULL;
  g_autofree char *ranking = NULL;
  g_autofree char *scores = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *order = NULL;
  g_autofree char *current_at = NULL;
  g_autofree char *current_edit = NULL;
  sqlite3_stmt *stmt;
  gint64 current_id = 0;
  int current_revision = 0;
  gboolean current_submitted = FALSE;
  gboolean newest, found;

  g_assert (j->edit_id != NULL && j->created_at != NULL && j->annotator != NULL);
  g_assert (j->status != ROUNDS_STATUS_DRAFT);

  if (inserted)
    *inserted = FALSE;

  if (!_rounds_store_has_edit (self, "annotations", j->edit_id, &found, error))
    return FALSE;
  if (found)
    return TRUE;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT id, revision, created_at, edit_id, status = 'submitted' FROM annotations"
                                      " WHERE item_id = ?1 AND annotator_id = ?2 AND is_current = 1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      current_id = sqlite3_column_int64 (stmt, 0);
      current_revision = sqlite3_column_int (stmt, 1);
      current_at = _rounds_store_column_dup (stmt, 2);
      current_edit = _rounds_store_column_dup (stmt, 3);
      current_submitted = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);

  newest = current_id == 0 ||
           _rounds_edit_is_newer (j->revision, j->created_at, j->edit_id, current_revision, current_at, current_edit);

  if (newest && current_id != 0)
    {
      if (!(stmt = _rounds_store_prepare (self, "UPDATE annotations SET is_current = 0 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, current_id);
      if (!_rounds_store_step_done (self, stmt, error))
        return FALSE;
    }

  doc_id = _rounds_doc_id ("judgement", j->annotator, rounds_item_get_dataset_name (item),
                           rounds_item_get_key (item), j->edit_id, NULL);
  if (j->n_responses > 2)
    ranking = _rounds_judgement_ints_to_json (j->ranks, j->n_responses);
  scores = _rounds_judgement_scores_to_json (j);
  flags = _rounds_judgement_flags_to_json (j);
  notes = _rounds_judgement_notes_to_json (j);
  order = _rounds_judgement_order_to_json (j);

  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO annotations (edit_id, doc_id, item_id, annotator_id, revision, status,"
                                      " preference, ranking_json, unacceptable, scores_json, flags_json, notes_json,"
                                      " comment, skip_reason, shown_order, time_spent_ms, created_at, origin,"
                                      " is_current, synced)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                                      " ?17, ?18, ?19, ?20)", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, j->edit_id);
  _rounds_store_bind_text (stmt, 2, doc_id);
  sqlite3_bind_int64 (stmt, 3, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 4, annotator_id);
  sqlite3_bind_int (stmt, 5, j->revision);
  _rounds_store_bind_text (stmt, 6, rounds_status_to_string (j->status));
  if (j->has_preference && j->n_responses == 2)
    sqlite3_bind_int (stmt, 7, j->preference);
  _rounds_store_bind_text (stmt, 8, ranking);
  sqlite3_bind_int (stmt, 9, j->unacceptable ? 1 : 0);
  _rounds_store_bind_text (stmt, 10, scores);
  _rounds_store_bind_text (stmt, 11, flags);
  _rounds_store_bind_text (stmt, 12, notes);
  _rounds_store_bind_text (stmt, 13, j->comment && *j->comment ? j->comment : NULL);
  _rounds_store_bind_text (stmt, 14, j->skip_reason && *j->skip_reason ? j->skip_reason : NULL);
  _rounds_store_bind_text (stmt, 15, order);
  sqlite3_bind_int64 (stmt, 16, MAX (j->time_spent_ms, 0));
  _rounds_store_bind_text (stmt, 17, j->created_at);
  _rounds_store_bind_text (stmt, 18, origins[origin]);
  sqlite3_bind_int (stmt, 19, newest ? 1 : 0);
  /* Events pulled from the store are there already. */
  sqlite3_bind_int (stmt, 20, origin == ROUNDS_ORIGIN_REMOTE ? 1 : 0);
  if (!_rounds_store_step_done (self, stmt, error))
    return FALSE;

  /* items.n_submitted counts the annotators whose current edit is a submission, so a
   * judgement turned into a skip gives the item back to the others' queues. */
  if (newest && (j->status == ROUNDS_STATUS_SUBMITTED) != current_submitted)
    {
      if (!(stmt = _rounds_store_prepare (self,
                                          "UPDATE items SET n_submitted = n_submitted + ?2 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
      sqlite3_bind_int (stmt, 2, current_submitted ? -1 : 1);
      if (!_rounds_store_step_done (self, stmt, error))
        return FALSE;
    }

  if (inserted)
    *inserted = TRUE;
  return TRUE;
}

static gboolean
delete_draft (RoundsStore  *self,
              gint64        item_id,
              gint64        annotator_id,
              GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, "DELETE FROM drafts WHERE item_id = ?1 AND annotator_id = ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  return _rounds_store_step_done (self, stmt, error);
}

/**
 * rounds_store_save_judgement:
 * @judgement: a submitted or skipped judgement; on success its edit_id, revision,
 *   created_at and annotator are set to what was stored
 *
 * Records a new edit and its audit row in one transaction, and drops the draft. A
 * submitted judgement must have what the dataset requires (%ROUNDS_ERROR_INCOMPLETE).
 * The edit id is made here, once, so a retried push can never duplicate it.
 */
gboolean
rounds_store_save_judgement (RoundsStore      *self,
                             RoundsItem       *item,
                             const char       *annotator,
                             RoundsJudgement  *judgement,
                             GError          **error)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *detail_json = NULL;
  g_autofree char *previous_edit = NULL;
  g_autofree char *target = NULL;
  sqlite3_stmt *stmt;
  gint64 annotator_id;
  const char *action;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (annotator != NULL, FALSE);
  g_return_val_if_fail (judgement != NULL, FALSE);
  g_return_val_if_fail (judgement->status == ROUNDS_STATUS_SUBMITTED ||
                        judgement->status == ROUNDS_STATUS_SKIPPED, FALSE);
  g_return_val_if_fail (judgement->n_responses == rounds_item_get_n_responses (item), FALSE);

  if (!(dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error)))
    return FALSE;
  if (judgement->status == ROUNDS_STATUS_SUBMITTED &&
      !rounds_judgement_check_complete (judgement, rounds_dataset_get_required (dataset), error))
    return FALSE;
  if (judgement->status == ROUNDS_STATUS_SUBMITTED && judgement->has_preference &&
      ABS (judgement->preference) > rounds_dataset_get_scale_k (dataset))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Preference %d is off the dataset’s %u-point scale"),
                   judgement->preference, rounds_dataset_get_scale (dataset));
      return FALSE;
    }

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(annotator_id = lookup_annotator (self, annotator, error)))
    goto fail;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT COALESCE (MAX (revision), 0) + 1,"
                                      " (SELECT edit_id FROM annotations WHERE item_id = ?1 AND annotator_id = ?2 AND is_current = 1)"
                                      " FROM annotations WHERE item_id = ?1 AND annotator_id = ?2", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rounds_store_set_sqlite_error (self, error);
      sqlite3_reset (stmt);
      goto fail;
    }
  judgement->revision = sqlite3_column_int (stmt, 0);
  previous_edit = _rounds_store_column_dup (stmt, 1);
  sqlite3_reset (stmt);

  g_free (judgement->edit_id);
  judgement->edit_id = g_uuid_string_random ();
  g_free (judgement->created_at);
  judgement->created_at = _rounds_now_iso8601 ();
  g_free (judgement->annotator);
  judgement->annotator = g_strdup (annotator);

  if (!_rounds_store_insert_judgement (self, item, annotator_id, judgement, ROUNDS_ORIGIN_LOCAL, NULL, error) ||
      !delete_draft (self, rounds_item_get_id (item), annotator_id, error))
    goto fail;

  if (judgement->status == ROUNDS_STATUS_SKIPPED)
    action = "judgement.skip";
  else if (judgement->revision > 1)
    action = "judgement.revise";
  else
    action = "judgement.submit";

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "edit");
  json_builder_add_string_value (builder, judgement->edit_id);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, judgement->revision);
  if (previous_edit != NULL)
    {
      json_builder_set_member_name (builder, "previous_edit");
      json_builder_add_string_value (builder, previous_edit);
    }
  json_builder_end_object (builder);
  detail = json_builder_get_root (builder);
  detail_json = node_to_string (detail);
  target = g_strdup_printf ("%s/%s", rounds_item_get_dataset_name (item), rounds_item_get_key (item));

  if (!rounds_store_audit (self, annotator, action, target, detail_json, error))
    goto fail;

  return _rounds_store_commit (self, error);

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

static RoundsRubric *
rubric_for_item (RoundsStore  *self,
                 RoundsItem   *item,
                 GError      **error)
{
  g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error);

  return dataset ? rounds_rubric_ref (rounds_dataset_get_rubric (dataset)) : NULL;
}

/* The annotator's current judgement of @item, or %NULL without an error if there is none. */
RoundsJudgement *
rounds_store_get_judgement (RoundsStore  *self,
                            RoundsItem   *item,
                            const char   *annotator,
                            GError      **error)
{
  g_autoptr(RoundsRubric) rubric = NULL;
  RoundsJudgement *judgement = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(rubric = rubric_for_item (self, item, error)))
    return NULL;
  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT " ANNOTATION_COLUMNS " FROM annotations a"
                                      " JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE a.item_id = ?1 AND an.user_name = ?2 AND a.is_current = 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    judgement = judgement_from_row (stmt, item, rubric);
  else if (rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return judgement;
}

/* Every edit of @item by @annotator, oldest first: a GPtrArray of RoundsJudgement. */
GPtrArray *
rounds_store_list_edits (RoundsStore  *self,
                         RoundsItem   *item,
                         const char   *annotator,
                         GError      **error)
{
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(rubric = rubric_for_item (self, item, error)))
    return NULL;
  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT " ANNOTATION_COLUMNS " FROM annotations a"
                                      " JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE a.item_id = ?1 AND an.user_name = ?2"
                                      " ORDER BY a.revision, a.created_at, a.edit_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (edits, judgement_from_row (stmt, item, rubric));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&edits);
}

static void
history_entry_clear (gpointer data)
{
  RoundsHistoryEntry *entry = data;

  g_free (entry->item_key);
  g_free (entry->title);
  g_free (entry->edit_id);
  g_free (entry->created_at);
}

/**
 * rounds_store_list_history:
 *
 * The items @annotator has judged or skipped in @dataset_id, in the order they first did
 * them, each with its current edit: what Back and Forward walk through.
 *
 * Returns: (transfer full): a GArray of RoundsHistoryEntry
 */
GArray *
rounds_store_list_history (RoundsStore  *self,
                           gint64        dataset_id,
                           const char   *annotator,
                           GError      **error)
{
  g_autoptr(GArray) history = g_array_new (FALSE, TRUE, sizeof (RoundsHistoryEntry));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  g_array_set_clear_func (history, history_entry_clear);
  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT a.item_id, i.key, i.title, a.edit_id, a.revision, a.status, a.created_at,"
                                      " (SELECT MIN (b.created_at) FROM annotations b"
                                      "  WHERE b.item_id = a.item_id AND b.annotator_id = a.annotator_id) AS first_at"
                                      " FROM annotations a JOIN items i ON i.id = a.item_id"
                                      " JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE an.user_name = ?2 AND a.is_current = 1 AND i.dataset_id = ?1"
                                      " ORDER BY first_at, a.item_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsHistoryEntry entry = {
        .item_id = sqlite3_column_int64 (stmt, 0),
        .item_key = _rounds_store_column_dup (stmt, 1),
        .title = _rounds_store_column_dup (stmt, 2),
        .edit_id = _rounds_store_column_dup (stmt, 3),
        .revision = sqlite3_column_int (stmt, 4),
        .created_at = _rounds_store_column_dup (stmt, 6),
      };

      if (!rounds_status_from_string ((const char *) sqlite3_column_text (stmt, 5), &entry.status))
        entry.status = ROUNDS_STATUS_SUBMITTED;
      g_array_append_val (history, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&history);
}

/* Drafts ------------------------------------------------------------------------------ */

/* Drafts are whole judgements in one JSON object, replaced on each change. */
static char *
draft_to_json (const RoundsJudgement *j)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *ranks = _rounds_judgement_ints_to_json (j->ranks, j->n_responses);
  g_autofree char *scores = _rounds_judgement_scores_to_json (j);
  g_autofree char *flags = _rounds_judgement_flags_to_json (j);
  g_autofree char *notes = _rounds_judgement_notes_to_json (j);
  g_autofree char *order = _rounds_judgement_order_to_json (j);
  const char *names[] = { "ranking", "scores", "flags", "notes", "shown_order" };
  const char *values[] = { ranks, scores, flags, notes, order };

  json_builder_begin_object (builder);
  if (j->has_preference)
    {
      json_builder_set_member_name (builder, "preference");
      json_builder_add_int_value (builder, j->preference);
    }
  json_builder_set_member_name (builder, "unacceptable");
  json_builder_add_boolean_value (builder, j->unacceptable);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      {
        json_builder_set_member_name (builder, names[i]);
        json_builder_add_value (builder, json_from_string (values[i], NULL));
      }
  if (j->comment != NULL)
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, j->comment);
    }
  if (j->skip_reason != NULL)
    {
      json_builder_set_member_name (builder, "skip_reason");
      json_builder_add_string_value (builder, j->skip_reason);
    }
  json_builder_set_member_name (builder, "time_spent_ms");
  json_builder_add_int_value (builder, j->time_spent_ms);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return node_to_string (root);
}

static char *
member_to_string (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node ? node_to_string (node) : NULL;
}

/**
 * rounds_store_save_draft:
 *
 * Keeps the work in progress on @item, so that leaving it or closing the window loses
 * nothing. It is local only and is dropped when the judgement is saved.
 */
gboolean
rounds_store_save_draft (RoundsStore      *self,
                         RoundsItem       *item,
                         const char       *annotator,
                         RoundsJudgement  *judgement,
                         GError          **error)
{
  g_autofree char *state = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 annotator_id;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (judgement != NULL, FALSE);

  if (!(annotator_id = lookup_annotator (self, annotator, error)))
    return FALSE;

  state = draft_to_json (judgement);
  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO drafts (item_id, annotator_id, state_json, updated_at)"
                                      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (item_id, annotator_id)"
                                      " DO UPDATE SET state_json = ?3, updated_at = ?4", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  _rounds_store_bind_text (stmt, 3, state);
  _rounds_store_bind_text (stmt, 4, now);
  return _rounds_store_step_done (self, stmt, error);
}

/* The annotator's draft of @item, or %NULL without an error if there is none. */
RoundsJudgement *
rounds_store_get_draft (RoundsStore  *self,
                        RoundsItem   *item,
                        const char   *annotator,
                        GError      **error)
{
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *state = NULL;
  RoundsJudgement *j;
  JsonObject *object;
  sqlite3_stmt *stmt;
  g_autofree char *ranking = NULL, *scores = NULL, *flags = NULL, *notes = NULL, *order = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT d.state_json FROM drafts d JOIN annotators an ON an.id = d.annotator_id"
                                      " WHERE d.item_id = ?1 AND an.user_name = ?2", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = _rounds_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (state == NULL)
    return NULL;

  node = json_from_string (state, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_warning ("Unreadable draft of item %s; ignoring it", rounds_item_get_key (item));
      return NULL;
    }
  if (!(rubric = rubric_for_item (self, item, error)))
    return NULL;

  object = json_node_get_object (node);
  j = rounds_judgement_new (rounds_item_get_n_responses (item), rubric);
  j->status = ROUNDS_STATUS_DRAFT;
  j->annotator = g_strdup (annotator);
  j->has_preference = json_object_has_member (object, "preference");
  j->preference = (int) json_object_get_int_member_with_default (object, "preference", 0);
  j->unacceptable = json_object_get_boolean_member_with_default (object, "unacceptable", FALSE);
  j->comment = g_strdup (json_object_get_string_member_with_default (object, "comment", NULL));
  j->skip_reason = g_strdup (json_object_get_string_member_with_default (object, "skip_reason", NULL));
  j->time_spent_ms = json_object_get_int_member_with_default (object, "time_spent_ms", 0);
  ranking = member_to_string (object, "ranking");
  scores = member_to_string (object, "scores");
  flags = member_to_string (object, "flags");
  notes = member_to_string (object, "notes");
  order = member_to_string (object, "shown_order");
  judgement_fill_arrays (j, ranking, scores, flags, notes, order);
  return j;
}

gboolean
rounds_store_discard_draft (RoundsStore  *self,
                            RoundsItem   *item,
                            const char   *annotator,
                            GError      **error)
{
  gint64 annotator_id;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);

  if (!(annotator_id = lookup_annotator (self, annotator, error)))
    return FALSE;
  return delete_draft (self, rounds_item_get_id (item), annotator_id, error);
}

/* Progress ---------------------------------------------------------------------------- */

gboolean
rounds_store_get_progress (RoundsStore     *self,
                           gint64           dataset_id,
                           const char      *annotator,
                           RoundsProgress  *progress,
                           GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  memset (progress, 0, sizeof *progress);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT COUNT(*), TOTAL (n_submitted >= overlap), TOTAL (overlap),"
                                      " TOTAL (MIN (n_submitted, overlap)) FROM items WHERE dataset_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      progress->n_items = sqlite3_column_int (stmt, 0);
      progress->n_complete = (guint) sqlite3_column_double (stmt, 1);
      progress->n_wanted = (guint) sqlite3_column_double (stmt, 2);
      progress->n_submitted = (guint) sqlite3_column_double (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (self, error);

  if (annotator == NULL)
    return TRUE;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT TOTAL (a.status = 'submitted'), TOTAL (a.status = 'skipped')"
                                      " FROM annotations a JOIN items i ON i.id = a.item_id"
                                      " JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE an.user_name = ?2 AND a.is_current = 1 AND i.dataset_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      progress->n_mine = (guint) sqlite3_column_double (stmt, 0);
      progress->n_mine_skipped = (guint) sqlite3_column_double (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (self, error);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT COUNT(*) FROM items i INDEXED BY items_open"
                                      " WHERE i.dataset_id = ?1 AND i.n_submitted < i.overlap"
                                      "   AND NOT EXISTS (SELECT 1 FROM annotations a JOIN annotators an ON an.id = a.annotator_id"
                                      "                   WHERE a.item_id = i.id AND an.user_name = ?2)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    progress->n_mine_open = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (self, error);

  return TRUE;
}

static void
annotator_stats_clear (gpointer data)
{
  RoundsAnnotatorStats *stats = data;

  g_free (stats->user_name);
  g_free (stats->display_name);
  g_free (stats->last_at);
}

/**
 * rounds_store_list_annotator_stats:
 *
 * Returns: (transfer full): a GArray of RoundsAnnotatorStats, one per annotator with a
 *   judgement in @dataset_id, by user name
 */
GArray *
rounds_store_list_annotator_stats (RoundsStore  *self,
                                   gint64        dataset_id,
                                   GError      **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (RoundsAnnotatorStats));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  g_array_set_clear_func (list, annotator_stats_clear);
  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT an.user_name, an.display_name, TOTAL (a.status = 'submitted'),"
                                      " TOTAL (a.status = 'skipped'), TOTAL (a.revision > 1),"
                                      " TOTAL (CASE WHEN a.status = 'submitted' THEN a.time_spent_ms END),"
                                      " MAX (a.created_at)"
                                      " FROM annotations a JOIN items i ON i.id = a.item_id"
                                      " JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE a.is_current = 1 AND i.dataset_id = ?1"
                                      " GROUP BY an.id ORDER BY an.user_name", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsAnnotatorStats stats = {
        .user_name = _rounds_store_column_dup (stmt, 0),
        .display_name = _rounds_store_column_dup (stmt, 1),
        .n_submitted = (guint) sqlite3_column_double (stmt, 2),
        .n_skipped = (guint) sqlite3_column_double (stmt, 3),
        .n_revised = (guint) sqlite3_column_double (stmt, 4),
        .time_spent_ms = (gint64) sqlite3_column_double (stmt, 5),
        .last_at = _rounds_store_column_dup (stmt, 6),
      };

      g_array_append_val (list, stats);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
