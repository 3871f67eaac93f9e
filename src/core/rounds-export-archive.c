/* rounds-export-archive.c: the full archive, as Rounds JSONL that the importer reads back
 *
 * Every dataset, item, judgement edit, verdict edit and audit fact of the datasets asked
 * for. Judgement and verdict lines are built by the event codec (rounds-event), which
 * also builds the curation store's documents of them and reads both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <string.h>

#include "rounds-event-private.h"
#include "rounds-export-private.h"
#include "rounds-json-writer-private.h"
#include "rounds-sql-private.h"

/* Members from values as the store keeps them; a NULL column leaves its member out. ------ */

static void
member_text (GString    *out,
             gboolean   *first,
             const char *name,
             const char *value)
{
  if (value == NULL)
    return;
  _rounds_json_append_member (out, first, name);
  _rounds_json_append_string (out, value);
}

static void
member_raw (GString    *out,
            gboolean   *first,
            const char *name,
            const char *json)
{
  if (json == NULL)
    return;
  _rounds_json_append_member (out, first, name);
  _rounds_json_append_raw (out, json);
}

static gboolean
step_error (Exporter  *e,
            int        rc,
            GError   **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;
  return _rounds_store_set_sqlite_error (e->store, error);
}

static gboolean
write_line (Exporter  *e,
            GString   *line,
            GError   **error)
{
  if (!e->counting)
    g_string_append_len (e->record, line->str, line->len);
  return _rounds_export_emit (e, FALSE, error);
}

/* Judgement and verdict lines ----------------------------------------------------------- */

/* The item a judgement or verdict line is about. */
typedef struct
{
  const char   *dataset;
  const char   *key;
  char * const *keys;           /* response ids, in canonical order */
  guint         n;
} ArchiveItem;

/* An event as the codec builds it, with its strings escaped as in every other line: a
 * control character always as \uXXXX, which json-glib's writer leaves raw for U+001F. */
static void
append_json (GString  *out,
             JsonNode *node)
{
  gboolean first = TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (const GList *l = members; l; l = l->next)
        {
          _rounds_json_append_member (out, &first, l->data);
          append_json (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    _rounds_json_append_string (out, json_node_get_string (node));
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/* Sorting an item's edits. */
typedef struct
{
  char *name;
  int   revision;
  char *created_at;
  char *edit;
  char *line;
} Line;

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->name);
  g_free (line->created_at);
  g_free (line->edit);
  g_free (line->line);
  g_free (line);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const Line *x = *(const Line * const *) a, *y = *(const Line * const *) b;
  int cmp;

  if ((cmp = strcmp (x->name, y->name)) != 0)
    return cmp;
  if (x->revision != y->revision)
    return x->revision < y->revision ? -1 : 1;
  if ((cmp = strcmp (x->created_at, y->created_at)) != 0)
    return cmp;
  return strcmp (x->edit, y->edit);
}

/* Every edit of one item's judgements (@type) or verdict, as the importer reads them,
 * oldest first per annotator: the order does not depend on the names being pseudonyms, so
 * an archive imported elsewhere exports the same again. @line and @lines are buffers. */
static gboolean
write_edits (Exporter          *e,
             sqlite3_stmt      *stmt,
             RoundsEventType    type,
             gint64             item_id,
             const ArchiveItem *item,
             GString           *line,
             GPtrArray         *lines,
             GError           **error)
{
  int rc;

  g_ptr_array_set_size (lines, 0);
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 2, item_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsEventKey key = {
        .type = type,
        .dataset = item->dataset,
        .item = item->key,
        .person = _rounds_export_written_name (e, _rounds_sql_text (stmt, "user_name")),
        .edit = _rounds_sql_text (stmt, "edit_id"),
      };
      g_autoptr(JsonObject) event = _rounds_event_build (&key, stmt,
                                                         (const char * const *) item->keys,
                                                         item->n, ROUNDS_EVENT_ARCHIVE);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);
      Line *l = g_new0 (Line, 1);

      l->name = g_strdup (key.person);
      l->revision = _rounds_sql_int (stmt, "revision");
      l->created_at = _rounds_sql_dup (stmt, "created_at");
      l->edit = g_strdup (key.edit);
      g_string_truncate (line, 0);
      append_json (line, node);
      g_string_append_c (line, '\n');
      l->line = g_strdup (line->str);
      g_ptr_array_add (lines, l);
    }
  if (!step_error (e, rc, error))
    return FALSE;

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_assign (line, ((Line *) g_ptr_array_index (lines, i))->line);
      if (!write_line (e, line, error))
        return FALSE;
    }
  return TRUE;
}

/* Dataset and item lines ---------------------------------------------------------------- */

/* The dataset, as the importer reads it. */
static gboolean
write_dataset_line (Exporter      *e,
                    sqlite3_stmt  *dataset,
                    GError       **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_auto(GStrv) required = NULL;
  gboolean first = TRUE;
  int rc;

  if ((rc = sqlite3_step (dataset)) != SQLITE_ROW)
    {
      step_error (e, rc, error);
      return FALSE;
    }
  g_string_append_c (line, '{');
  _rounds_json_append_member (line, &first, "type");
  _rounds_json_append_string (line, "dataset");
  _rounds_json_append_member (line, &first, "id");
  _rounds_json_append_string (line, _rounds_sql_text (dataset, "name"));
  member_text (line, &first, "title", _rounds_sql_text (dataset, "title"));
  member_text (line, &first, "description", _rounds_sql_text (dataset, "description"));
  member_text (line, &first, "instructions", _rounds_sql_text (dataset, "instructions"));
  g_string_append_printf (line, ",\"overlap\":%d,\"scale\":%d,\"dispute_spread\":%d,\"required\":[",
                          _rounds_sql_int (dataset, "overlap"), _rounds_sql_int (dataset, "scale"),
                          _rounds_sql_int (dataset, "dispute_spread"));
  if (_rounds_sql_int (dataset, "reveal_guardian"))
    g_string_insert (line, line->len - strlen (",\"required\":["), ",\"reveal_guardian\":true");
  required = g_strsplit (_rounds_sql_text (dataset, "required"), ",", -1);
  for (guint i = 0; required[i] != NULL; i++)
    {
      if (i)
        g_string_append_c (line, ',');
      _rounds_json_append_string (line, required[i]);
    }
  g_string_append_c (line, ']');
  member_raw (line, &first, "rubric", _rounds_sql_text (dataset, "rubric_json"));
  ROUNDS_JSON_APPEND_LITERAL (line, ",\"rubric_version\":");
  _rounds_json_append_uint (line, e->rubric_version);
  member_raw (line, &first, "metadata", _rounds_sql_text (dataset, "metadata_json"));
  ROUNDS_JSON_APPEND_LITERAL (line, "}\n");
  return write_line (e, line, error);
}

/* The statements of one dataset, and the columns read in their loops. */
typedef struct
{
  sqlite3_stmt *dataset;
  sqlite3_stmt *items;
  sqlite3_stmt *responses;
  sqlite3_stmt *edits;
  sqlite3_stmt *verdicts;
  int           item_id, item_key, item_title, item_scenario, item_specialty, item_language,
                item_metadata, item_reference;
  int           response_key, response_text, response_model, response_metadata;
} Statements;

static void
statements_finalize (Statements *s)
{
  sqlite3_finalize (s->dataset);
  sqlite3_finalize (s->items);
  sqlite3_finalize (s->responses);
  sqlite3_finalize (s->edits);
  sqlite3_finalize (s->verdicts);
}

static gboolean
statements_prepare (Exporter    *e,
                    Statements  *s,
                    GError     **error)
{
  if (!_rounds_export_prepare (e, "SELECT name, title, description, instructions, overlap, scale,"
                                  " dispute_spread, reveal_guardian, required, rubric_json,"
                                  " metadata_json"
                                  " FROM datasets WHERE id = ?1", &s->dataset, error) ||
      !_rounds_export_prepare (e, "SELECT id, key, title, scenario, specialty, language,"
                                  " metadata_json, reference_json"
                                  " FROM items WHERE dataset_id = ?1 ORDER BY position, id",
                               &s->items, error) ||
      !_rounds_export_prepare (e, "SELECT r.idx, r.key, r.text, r.model, r.metadata_json"
                                  " FROM responses r WHERE r.item_id = ?2 ORDER BY r.idx",
                               &s->responses, error) ||
      !_rounds_export_prepare (e, "SELECT an.user_name, a.revision, a.created_at, a.edit_id,"
                                  " a.status, a.preference, a.ranking_json, a.unacceptable,"
                                  " a.scores_json, a.flags_json, a.notes_json, a.comment,"
                                  " a.skip_reason, a.shown_order, a.time_spent_ms"
                                  " FROM annotations a"
                                  " JOIN annotators an ON an.id = a.annotator_id"
                                  " WHERE a.item_id = ?2"
                                  " AND (an.kind = 'person' OR ?3)", &s->edits, error) ||
      !_rounds_export_prepare (e, "SELECT an.user_name, j.revision, j.created_at, j.edit_id,"
                                  " j.preference, j.ranking_json, j.unacceptable, j.scores_json,"
                                  " j.rationale, j.resolves_json, j.models_revealed"
                                  " FROM adjudications j"
                                  " JOIN annotators an ON an.id = j.reviewer_id"
                                  " WHERE j.item_id = ?2", &s->verdicts, error))
    return FALSE;

  sqlite3_bind_int (s->edits, 3, e->options->include_guardian ? 1 : 0);
  s->item_id = _rounds_sql_column (s->items, "id");
  s->item_key = _rounds_sql_column (s->items, "key");
  s->item_title = _rounds_sql_column (s->items, "title");
  s->item_scenario = _rounds_sql_column (s->items, "scenario");
  s->item_specialty = _rounds_sql_column (s->items, "specialty");
  s->item_language = _rounds_sql_column (s->items, "language");
  s->item_metadata = _rounds_sql_column (s->items, "metadata_json");
  s->item_reference = _rounds_sql_column (s->items, "reference_json");
  s->response_key = _rounds_sql_column (s->responses, "key");
  s->response_text = _rounds_sql_column (s->responses, "text");
  s->response_model = _rounds_sql_column (s->responses, "model");
  s->response_metadata = _rounds_sql_column (s->responses, "metadata_json");
  return TRUE;
}

/* The item line of the current row of @s->items, built in @line; fills @keys with its
 * response ids. */
static gboolean
write_item_line (Exporter      *e,
                 Statements    *s,
                 GString       *line,
                 char         **keys,
                 guint         *n,
                 GError      **error)
{
  sqlite3_stmt *items = s->items, *responses = s->responses;
  gboolean first = TRUE;
  int rc;

  g_string_truncate (line, 0);
  g_string_append_c (line, '{');
  _rounds_json_append_member (line, &first, "type");
  _rounds_json_append_string (line, "item");
  _rounds_json_append_member (line, &first, "dataset");
  _rounds_json_append_string (line, rounds_dataset_get_name (e->dataset));
  _rounds_json_append_member (line, &first, "id");
  _rounds_json_append_string (line, _rounds_export_text (items, s->item_key));
  member_text (line, &first, "title", _rounds_export_text (items, s->item_title));
  member_text (line, &first, "scenario", _rounds_export_text (items, s->item_scenario));
  member_text (line, &first, "specialty", _rounds_export_text (items, s->item_specialty));
  member_text (line, &first, "language", _rounds_export_text (items, s->item_language));
  member_raw (line, &first, "metadata", _rounds_export_text (items, s->item_metadata));
  _rounds_json_append_member (line, &first, "responses");
  g_string_append_c (line, '[');
  sqlite3_reset (responses);
  sqlite3_bind_int64 (responses, 2, sqlite3_column_int64 (items, s->item_id));
  while ((rc = sqlite3_step (responses)) == SQLITE_ROW)
    {
      gboolean inner = TRUE;

      if (*n < MAX_RESPONSES)
        keys[(*n)++] = g_strdup (_rounds_export_text (responses, s->response_key));
      g_string_append (line, *n > 1 ? ",{" : "{");
      member_text (line, &inner, "id", _rounds_export_text (responses, s->response_key));
      member_text (line, &inner, "text", _rounds_export_text (responses, s->response_text));
      member_text (line, &inner, "model", _rounds_export_text (responses, s->response_model));
      member_raw (line, &inner, "metadata", _rounds_export_text (responses, s->response_metadata));
      g_string_append_c (line, '}');
    }
  if (!step_error (e, rc, error))
    return FALSE;
  g_string_append_c (line, ']');
  if (e->options->include_reference)
    member_raw (line, &first, "reference", _rounds_export_text (items, s->item_reference));
  ROUNDS_JSON_APPEND_LITERAL (line, "}\n");
  return write_line (e, line, error);
}

/**
 * _rounds_export_archive_dataset:
 *
 * The dataset's line, then each item's line followed by every edit of every judgement of
 * it, then of its verdict.
 */
gboolean
_rounds_export_archive_dataset (Exporter  *e,
                                GError   **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (line_free);
  g_autoptr(GString) line = g_string_new (NULL);
  Statements s = { NULL };
  gboolean ok = FALSE;
  char *keys[MAX_RESPONSES] = { NULL };
  guint n = 0;
  int rc;

  if (!statements_prepare (e, &s, error) || !write_dataset_line (e, s.dataset, error))
    goto out;

  while ((rc = sqlite3_step (s.items)) == SQLITE_ROW)
    {
      ArchiveItem item = { rounds_dataset_get_name (e->dataset), NULL, keys, 0 };

      e->summary->n_items++;
      for (guint r = 0; r < n; r++)
        g_clear_pointer (&keys[r], g_free);
      n = 0;

      if (!write_item_line (e, &s, line, keys, &n, error))
        goto out;

      item.key = _rounds_export_text (s.items, s.item_key);
      item.n = n;
      if (!write_edits (e, s.edits, ROUNDS_EVENT_JUDGEMENT,
                        sqlite3_column_int64 (s.items, s.item_id), &item, line, lines, error) ||
          !write_edits (e, s.verdicts, ROUNDS_EVENT_VERDICT,
                        sqlite3_column_int64 (s.items, s.item_id), &item, line, lines, error))
        goto out;

      if (!_rounds_export_item_done (e, 64, error))
        goto out;
    }
  ok = step_error (e, rc, error);

out:
  for (guint r = 0; r < n; r++)
    g_free (keys[r]);
  statements_finalize (&s);
  return ok;
}

/* Header and audit lines ---------------------------------------------------------------- */

/**
 * _rounds_export_archive_header:
 *
 * How the archive was made: what importing it cannot tell from the records. No time, so
 * the same database gives the same bytes.
 */
gboolean
_rounds_export_archive_header (Exporter  *e,
                               GError   **error)
{
  g_autoptr(GString) line = g_string_new ("{\"type\":\"export\",\"format\":\"full\","
                                          "\"rounds_version\":");

  _rounds_json_append_string (line, PACKAGE_VERSION);
  ROUNDS_JSON_APPEND_LITERAL (line, ",\"schema\":");
  _rounds_json_append_uint (line, (guint64) rounds_store_get_schema_version (e->store));
  g_string_append_printf (line, ",\"annotators\":\"%s\",\"reference\":%s,\"guardian\":%s}\n",
                          e->options->real_names ? "user-names" : "pseudonyms",
                          e->options->include_reference ? "true" : "false",
                          e->options->include_guardian ? "true" : "false");
  return write_line (e, line, error);
}

/**
 * _rounds_export_archive_audit:
 *
 * The audit facts about the labelled data: who submitted, revised, adjudicated, sent back
 * and revealed what. A machine's own log (files imported, sync runs, exports, profiles)
 * stays with that machine.
 */
gboolean
_rounds_export_archive_audit (Exporter   *e,
                              GPtrArray  *datasets,
                              GError    **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int at, actor, action, target_column, detail;
  int rc;

  if (sqlite3_prepare_v2 (_rounds_store_get_db (e->store),
                          "SELECT at, actor, action, target, detail_json FROM audit_log"
                          " WHERE action GLOB 'judgement.*' OR action GLOB 'verdict.*'"
                          " OR action GLOB 'item.*' OR action GLOB 'review.*'"
                          " ORDER BY at, id", -1, &stmt, NULL) != SQLITE_OK)
    return _rounds_store_set_sqlite_error (e->store, error);
  at = _rounds_sql_column (stmt, "at");
  actor = _rounds_sql_column (stmt, "actor");
  action = _rounds_sql_column (stmt, "action");
  target_column = _rounds_sql_column (stmt, "target");
  detail = _rounds_sql_column (stmt, "detail_json");

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *target = _rounds_export_text (stmt, target_column);
      const char *who = _rounds_export_text (stmt, actor);
      gboolean wanted = FALSE, first = TRUE;

      if (rounds_annotator_is_machine (who) && !e->options->include_guardian)
        continue;

      for (guint d = 0; d < datasets->len && !wanted; d++)
        {
          const char *name = rounds_dataset_get_name (g_ptr_array_index (datasets, d));
          gsize len = strlen (name);

          wanted = target != NULL && strncmp (target, name, len) == 0 &&
                   (target[len] == '/' || target[len] == '\0');
        }
      if (!wanted)
        continue;

      g_string_truncate (line, 0);
      g_string_append_c (line, '{');
      _rounds_json_append_member (line, &first, "type");
      _rounds_json_append_string (line, "audit");
      member_text (line, &first, "at", _rounds_export_text (stmt, at));
      if (who != NULL)
        member_text (line, &first, "actor", _rounds_export_written_name (e, who));
      member_text (line, &first, "action", _rounds_export_text (stmt, action));
      member_text (line, &first, "target", target);
      member_raw (line, &first, "detail", _rounds_export_text (stmt, detail));
      ROUNDS_JSON_APPEND_LITERAL (line, "}\n");
      if (!write_line (e, line, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return step_error (e, rc, error);
}
