/* rounds-store-schema.c: the tables of the local store and their forward migrations
 *
 * Each migration takes the database from version N-1 to N inside one transaction and sets
 * PRAGMA user_version. A database made by any earlier version opens by running them in
 * order; tests/fixtures keeps one database of every earlier version to prove it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-store-schema-private.h"

/* Version 1: the concepts of DESIGN.md. Judgements and verdicts are rows of edits that are
 * never changed (triggers enforce it), except for the flags that say which edit is current
 * and whether it has reached the curation store. */
static const char migration_1[] =
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE datasets ("
  "  id             INTEGER PRIMARY KEY,"
  "  name           TEXT NOT NULL UNIQUE,"
  "  title          TEXT,"
  "  description    TEXT,"
  "  instructions   TEXT,"
  "  rubric_json    TEXT,"                       /* NULL: the default clinical rubric */
  "  rubric_version INTEGER NOT NULL DEFAULT 1,"
  "  scale          INTEGER NOT NULL DEFAULT 5 CHECK (scale IN (3, 5, 7)),"
  "  overlap        INTEGER NOT NULL DEFAULT 1 CHECK (overlap BETWEEN 1 AND 50),"
  "  dispute_spread INTEGER NOT NULL DEFAULT 2 CHECK (dispute_spread >= 1),"
  "  required       TEXT NOT NULL DEFAULT 'preference',"
  "  metadata_json  TEXT,"
  "  content_hash   TEXT NOT NULL,"
  "  remote_rev     TEXT,"                       /* last known _rev in the curation store */
  "  published      INTEGER NOT NULL DEFAULT 0," /* this version has reached the store */
  "  created_at     TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL"
  ");"

  "CREATE TABLE items ("
  "  id             INTEGER PRIMARY KEY,"
  "  dataset_id     INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,"
  "  key            TEXT NOT NULL,"
  "  position       INTEGER NOT NULL,"
  "  title          TEXT,"
  "  scenario       TEXT NOT NULL,"
  "  specialty      TEXT,"
  "  language       TEXT,"
  "  metadata_json  TEXT,"
  "  reference_json TEXT,"                       /* hidden reference label: never shown */
  "  content_hash   TEXT NOT NULL,"
  "  overlap        INTEGER NOT NULL CHECK (overlap >= 1),"
  "  n_submitted    INTEGER NOT NULL DEFAULT 0," /* annotators with a submitted judgement */
  "  remote_rev     TEXT,"
  "  published      INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (dataset_id, key)"
  ");"
  "CREATE INDEX items_by_position ON items (dataset_id, position);"
  /* The queue: only items still wanting judgements, in dataset order. */
  "CREATE INDEX items_open ON items (dataset_id, position) WHERE n_submitted < overlap;"

  "CREATE TABLE responses ("
  "  id             INTEGER PRIMARY KEY,"
  "  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  idx            INTEGER NOT NULL,"           /* canonical position, from 0 */
  "  key            TEXT NOT NULL,"
  "  text           TEXT NOT NULL,"
  "  model          TEXT,"                       /* never shown to annotators */
  "  metadata_json  TEXT,"
  "  UNIQUE (item_id, idx)"
  ");"

  "CREATE TABLE annotators ("
  "  id             INTEGER PRIMARY KEY,"
  "  user_name      TEXT NOT NULL UNIQUE,"
  "  display_name   TEXT,"
  "  roles          TEXT NOT NULL DEFAULT 'annotator',"
  "  specialty      TEXT,"
  "  is_local       INTEGER NOT NULL DEFAULT 0," /* a profile on this machine */
  "  created_at     TEXT NOT NULL"
  ");"

  /* The order an annotator sees an item in, fixed the first time they open it. */
  "CREATE TABLE assignments ("
  "  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  annotator_id   INTEGER NOT NULL REFERENCES annotators (id),"
  "  slot           INTEGER NOT NULL,"
  "  shown_order    TEXT NOT NULL,"
  "  first_seen     TEXT NOT NULL,"
  "  PRIMARY KEY (item_id, annotator_id)"
  ") WITHOUT ROWID;"

  /* One row per saved edit: the history. Preferences are relative to canonical order. */
  "CREATE TABLE annotations ("
  "  id             INTEGER PRIMARY KEY,"
  "  edit_id        TEXT NOT NULL UNIQUE,"
  "  doc_id         TEXT NOT NULL UNIQUE,"
  "  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  annotator_id   INTEGER NOT NULL REFERENCES annotators (id),"
  "  revision       INTEGER NOT NULL CHECK (revision >= 1),"
  "  status         TEXT NOT NULL CHECK (status IN ('submitted', 'skipped')),"
  "  preference     INTEGER,"
  "  ranking_json   TEXT,"
  "  unacceptable   INTEGER NOT NULL DEFAULT 0,"
  "  scores_json    TEXT,"
  "  flags_json     TEXT,"
  "  notes_json     TEXT,"
  "  comment        TEXT,"
  "  skip_reason    TEXT,"
  "  shown_order    TEXT NOT NULL,"
  "  time_spent_ms  INTEGER NOT NULL DEFAULT 0,"
  "  created_at     TEXT NOT NULL,"
  "  origin         TEXT NOT NULL CHECK (origin IN ('local', 'import', 'remote')),"
  "  is_current     INTEGER NOT NULL DEFAULT 0," /* the annotator's newest edit of the item */
  "  synced         INTEGER NOT NULL DEFAULT 0"  /* has reached the curation store */
  ");"
  "CREATE INDEX annotations_by_item ON annotations (item_id, annotator_id, revision);"
  "CREATE INDEX annotations_by_annotator ON annotations (annotator_id, created_at);"
  "CREATE INDEX annotations_current ON annotations (item_id) WHERE is_current = 1;"
  "CREATE INDEX annotations_outbox ON annotations (id) WHERE synced = 0 AND origin = 'local';"

  /* Work in progress: never synced, replaced on every change, dropped on submit. */
  "CREATE TABLE drafts ("
  "  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  annotator_id   INTEGER NOT NULL REFERENCES annotators (id),"
  "  state_json     TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL,"
  "  PRIMARY KEY (item_id, annotator_id)"
  ") WITHOUT ROWID;"

  "CREATE TABLE adjudications ("
  "  id             INTEGER PRIMARY KEY,"
  "  edit_id        TEXT NOT NULL UNIQUE,"
  "  doc_id         TEXT NOT NULL UNIQUE,"
  "  item_id        INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  reviewer_id    INTEGER NOT NULL REFERENCES annotators (id),"
  "  revision       INTEGER NOT NULL CHECK (revision >= 1),"
  "  preference     INTEGER,"
  "  ranking_json   TEXT,"
  "  unacceptable   INTEGER NOT NULL DEFAULT 0,"
  "  scores_json    TEXT,"
  "  rationale      TEXT NOT NULL CHECK (length (trim (rationale)) > 0),"
  "  resolves_json  TEXT,"                       /* edit ids of the judgements it resolves */
  "  models_revealed INTEGER NOT NULL DEFAULT 0,"
  "  created_at     TEXT NOT NULL,"
  "  origin         TEXT NOT NULL CHECK (origin IN ('local', 'import', 'remote')),"
  "  is_current     INTEGER NOT NULL DEFAULT 0,"
  "  synced         INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX adjudications_by_item ON adjudications (item_id, revision);"
  "CREATE INDEX adjudications_outbox ON adjudications (id) WHERE synced = 0 AND origin = 'local';"

  "CREATE TABLE audit_log ("
  "  id             INTEGER PRIMARY KEY,"
  "  at             TEXT NOT NULL,"
  "  actor          TEXT,"
  "  action         TEXT NOT NULL,"
  "  target         TEXT,"
  "  detail_json    TEXT,"
  "  synced         INTEGER NOT NULL DEFAULT 0"
  ");"

  "CREATE TABLE sync_checkpoints ("
  "  server_uuid    TEXT NOT NULL,"
  "  db_name        TEXT NOT NULL,"
  "  since          TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL,"
  "  PRIMARY KEY (server_uuid, db_name)"
  ") WITHOUT ROWID;"

  /* History is append-only: only the bookkeeping flags may change. */
  "CREATE TRIGGER audit_log_append_only_update"
  " BEFORE UPDATE OF at, actor, action, target, detail_json ON audit_log"
  " BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log"
  " BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "CREATE TRIGGER annotations_immutable BEFORE UPDATE OF edit_id, doc_id, item_id, annotator_id,"
  " revision, status, preference, ranking_json, unacceptable, scores_json, flags_json, notes_json,"
  " comment, skip_reason, shown_order, time_spent_ms, created_at, origin ON annotations"
  " BEGIN SELECT RAISE (ABORT, 'an edit is never changed: save a new one'); END;"
  "CREATE TRIGGER adjudications_immutable BEFORE UPDATE OF edit_id, doc_id, item_id, reviewer_id,"
  " revision, preference, ranking_json, unacceptable, scores_json, rationale, resolves_json,"
  " models_revealed, created_at, origin ON adjudications"
  " BEGIN SELECT RAISE (ABORT, 'a verdict edit is never changed: save a new one'); END;";

/* Version 2: an edit cannot be deleted either, not even with its item, and
 * items.n_submitted counts the annotators whose current edit is a submission (version 1
 * counted anyone who had ever submitted, so a judgement turned into a skip kept the item
 * out of the queue). */
static const char migration_2[] =
  "CREATE TRIGGER annotations_append_only_delete BEFORE DELETE ON annotations"
  " BEGIN SELECT RAISE (ABORT, 'an edit is never deleted: save a new one'); END;"
  "CREATE TRIGGER adjudications_append_only_delete BEFORE DELETE ON adjudications"
  " BEGIN SELECT RAISE (ABORT, 'a verdict edit is never deleted: save a new one'); END;"
  "UPDATE items SET n_submitted = (SELECT COUNT(*) FROM annotations a"
  " WHERE a.item_id = items.id AND a.is_current = 1 AND a.status = 'submitted');";

/* Version 3: queue_epoch counts the changes that can put an item into a queue: an item
 * added, moved, or wanting more judgements than before, and an item's responses arriving.
 * Judgements only ever take items out of the queue of the one who made them, so while the
 * epoch stands an annotator's next item is never before the last one found
 * (rounds_store_next_item starts there instead of stepping over all they have done). */
#define BUMP_QUEUE_EPOCH " BEGIN UPDATE queue_epoch SET epoch = epoch + 1; END;"
static const char migration_3[] =
  "CREATE TABLE queue_epoch ("
  "  id             INTEGER PRIMARY KEY CHECK (id = 1),"
  "  epoch          INTEGER NOT NULL"
  ");"
  "INSERT INTO queue_epoch (id, epoch) VALUES (1, 0);"
  "CREATE TRIGGER items_queue_insert AFTER INSERT ON items" BUMP_QUEUE_EPOCH
  "CREATE TRIGGER items_queue_update AFTER UPDATE OF dataset_id, position, overlap, n_submitted"
  " ON items WHEN NEW.dataset_id IS NOT OLD.dataset_id OR NEW.position IS NOT OLD.position"
  " OR NEW.overlap > OLD.overlap OR NEW.n_submitted < OLD.n_submitted" BUMP_QUEUE_EPOCH
  "CREATE TRIGGER responses_queue_insert AFTER INSERT ON responses" BUMP_QUEUE_EPOCH
  "CREATE TRIGGER responses_queue_update AFTER UPDATE OF item_id, idx ON responses"
  BUMP_QUEUE_EPOCH;

/* Version 4: named chat-completions endpoints (their keys live in the keyring, never here),
 * and generated responses. A generated response's key is "gen:<endpoint>:<parameters>:<sample>"
 * (rounds-generate.c), unique within its item, so a rerun of generation after a kill or a
 * network fault adds only what is missing, here and on every machine the item reaches. */
static const char migration_4[] =
  "CREATE TABLE endpoints ("
  "  id             INTEGER PRIMARY KEY,"
  "  name           TEXT NOT NULL UNIQUE,"
  "  base_url       TEXT NOT NULL,"
  "  model          TEXT NOT NULL,"
  "  temperature    REAL,"                       /* NULL: the server's default */
  "  max_tokens     INTEGER CHECK (max_tokens IS NULL OR max_tokens >= 1),"
  "  seed           INTEGER,"
  "  extra_json     TEXT,"                       /* an object merged into every request */
  "  response_format INTEGER NOT NULL DEFAULT 0," /* the server takes response_format */
  "  ca_file        TEXT,"
  "  created_at     TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL"
  ");"
  "CREATE UNIQUE INDEX responses_generated ON responses (item_id, key)"
  " WHERE key GLOB 'gen:*';";

/* Version 5: machine annotators (the guardian, "guardian:<model>", which no person's user name
 * can be, having a colon) and the dataset's choice to show a clinician the guardian's
 * judgement of an item once their own is submitted. A machine's judgement never counts
 * towards an item's overlap, so items.n_submitted is counted again without them. */
static const char migration_5[] =
  "ALTER TABLE annotators ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'"
  " CHECK (kind IN ('person', 'machine'));"
  "UPDATE annotators SET kind = 'machine' WHERE user_name GLOB 'guardian:*';"
  "ALTER TABLE datasets ADD COLUMN reveal_guardian INTEGER NOT NULL DEFAULT 0;"
  "UPDATE items SET n_submitted = (SELECT COUNT(*) FROM annotations a"
  " JOIN annotators an ON an.id = a.annotator_id"
  " WHERE a.item_id = items.id AND a.is_current = 1 AND a.status = 'submitted'"
  " AND an.kind = 'person');";

/* A new version adds its migration here and a dump of a database of the version before it
 * as tests/fixtures/schema-vN.sql (see tests/test-migrations.c). */
static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ROUNDS_SCHEMA_VERSION);

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("Database error: %s"), message ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

int
_rounds_schema_get_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/**
 * _rounds_schema_migrate:
 *
 * Brings @db to %ROUNDS_SCHEMA_VERSION, one version a transaction, so a crash half way
 * leaves a database at some complete version. A database from a newer Rounds is refused
 * untouched.
 */
gboolean
_rounds_schema_migrate (sqlite3     *db,
                        const char  *path,
                        GError     **error)
{
  int version = _rounds_schema_get_version (db);

  if (version < 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_DATABASE,
                   _("%s: cannot read the schema version: %s"), path, sqlite3_errmsg (db));
      return FALSE;
    }

  if (version > ROUNDS_SCHEMA_VERSION)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_SCHEMA_TOO_NEW,
                   _("%s was written by a newer Rounds (schema %d; this one reads up to %d): "
                     "upgrade Rounds"),
                   path, version, ROUNDS_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version + 1; v <= ROUNDS_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v);

      g_debug ("Migrating %s to schema version %d", path, v);
      if (!exec_sql (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_sql (db, migrations[v - 1], error) ||
          !exec_sql (db, set_version, error) ||
          !exec_sql (db, "COMMIT", error))
        {
          g_prefix_error (error, _("%s: upgrading to schema version %d failed: "), path, v);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}
