/* rounds-export-archive.c: the full archive, as Rounds JSONL that the importer reads back
 *
 * Every dataset, item, judgement edit, verdict edit and audit fact of the datasets asked
 * for. Judgement and verdict events are written by one function per kind
 * (append_judgement_line, append_verdict_line) from plain structs, so that they can move to
 * the one event codec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export"

#include "config.h"

#include <string.h>

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

/* A canonical array column as an object keyed by response id, leaving out empty entries. */
static void
member_keyed (GString      *out,
              gboolean     *first,
              const char   *name,
              const char   *json,
              char * const *keys,
              guint         n)
{
  const char *starts[MAX_RESPONSES];
  guint lengths[MAX_RESPONSES];
  guint n_split;
  gboolean inner = TRUE;

  if (json == NULL)
    return;
  n_split = _rounds_json_split_array (json, starts, lengths, MAX_RESPONSES);
  _rounds_json_append_member (out, first, name);
  g_string_append_c (out, '{');
  for (guint r = 0; r < MIN (n, n_split); r++)
    {
      if (lengths[r] == 4 && strncmp (starts[r], "null", 4) == 0)
        continue;
      if (lengths[r] <= 2 && (*starts[r] == '{' || *starts[r] == '['))
        continue;
      _rounds_json_append_member (out, &inner, keys[r]);
      g_string_append_len (out, starts[r], lengths[r]);
    }
  g_string_append_c (out, '}');
}

static void
member_ranking (GString      *out,
                gboolean     *first,
                const char   *json,
                char * const *keys,
                guint         n)
{
  int ranks[MAX_RESPONSES];
  guint n_ranks;
  gboolean inner = TRUE;

  if (json == NULL)
    return;
  n_ranks = _rounds_json_parse_ints (json, ranks, MAX_RESPONSES);
  _rounds_json_append_member (out, first, "ranking");
  g_string_append_c (out, '{');
  for (guint r = 0; r < MIN (n, n_ranks); r++)
    if (ranks[r] > 0)
      {
        _rounds_json_append_member (out, &inner, keys[r]);
        g_string_append_printf (out, "%d", ranks[r]);
      }
  g_string_append_c (out, '}');
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

/* What a judgement edit and a verdict edit share, as the store keeps it. */
typedef struct
{
  const char *name;             /* the annotator or reviewer, as written out */
  const char *edit_id;
  int         revision;
  const char *created_at;
  gboolean    has_preference;
  int         preference;
  const char *ranking_json;
  gboolean    unacceptable;
  const char *scores_json;
} ArchiveEdit;

typedef struct
{
  ArchiveEdit  edit;
  const char  *status;
  const char  *flags_json;
  const char  *notes_json;
  const char  *comment;
  const char  *skip_reason;
  const char  *shown_order;
  gint64       time_spent_ms;
} ArchiveJudgement;

typedef struct
{
  ArchiveEdit  edit;
  const char  *rationale;
  const char  *resolves_json;
  gboolean     models_revealed;
} ArchiveVerdict;

/* The item a judgement or verdict line is about. */
typedef struct
{
  const char   *dataset;
  const char   *key;
  char * const *keys;           /* response ids, in canonical order */
  guint         n;
} ArchiveItem;

/* The start of a judgement or verdict line, up to its revision. */
static void
append_edit_head (GString           *line,
                  gboolean          *first,
                  const char        *type,
                  const char        *person,
                  const ArchiveItem *item,
                  const ArchiveEdit *edit)
{
  g_string_append_c (line, '{');
  _rounds_json_append_member (line, first, "type");
  _rounds_json_append_string (line, type);
  _rounds_json_append_member (line, first, "dataset");
  _rounds_json_append_string (line, item->dataset);
  _rounds_json_append_member (line, first, "item");
  _rounds_json_append_string (line, item->key);
  _rounds_json_append_member (line, first, person);
  _rounds_json_append_string (line, edit->name);
  _rounds_json_append_member (line, first, "edit");
  _rounds_json_append_string (line, edit->edit_id);
  g_string_append_printf (line, ",\"revision\":%d", edit->revision);
}

/* A preference, ranking, "unacceptable" and scores: what judgement and verdict lines
 * share. */
static void
append_decision (GString           *line,
                 gboolean          *first,
                 const ArchiveItem *item,
                 const ArchiveEdit *edit)
{
  if (edit->has_preference)
    g_string_append_printf (line, ",\"preference\":%d", edit->preference);
  member_ranking (line, first, edit->ranking_json, item->keys, item->n);
  if (edit->unacceptable)
    ROUNDS_JSON_APPEND_LITERAL (line, ",\"unacceptable\":true");
  member_keyed (line, first, "scores", edit->scores_json, item->keys, item->n);
}

static void
append_edit_tail (GString           *line,
                  gboolean          *first,
                  const ArchiveEdit *edit)
{
  _rounds_json_append_member (line, first, "created_at");
  _rounds_json_append_string (line, edit->created_at);
  ROUNDS_JSON_APPEND_LITERAL (line, "}\n");
}

/* One judgement edit as a "judgement" line of the archive. */
static void
append_judgement_line (GString                *line,
                       const ArchiveItem      *item,
                       const ArchiveJudgement *judgement)
{
  gboolean first = TRUE;

  append_edit_head (line, &first, "judgement", "annotator", item, &judgement->edit);
  member_text (line, &first, "status", judgement->status);
  append_decision (line, &first, item, &judgement->edit);
  member_keyed (line, &first, "flags", judgement->flags_json, item->keys, item->n);
  member_keyed (line, &first, "notes", judgement->notes_json, item->keys, item->n);
  member_text (line, &first, "comment", judgement->comment);
  member_text (line, &first, "skip_reason", judgement->skip_reason);
  if (judgement->shown_order != NULL)
    {
      int shown[MAX_RESPONSES];
      guint n_shown = _rounds_json_parse_ints (judgement->shown_order, shown, MAX_RESPONSES);

      ROUNDS_JSON_APPEND_LITERAL (line, ",\"shown_order\":[");
      for (guint k = 0; k < n_shown; k++)
        {
          if (k)
            g_string_append_c (line, ',');
          _rounds_json_append_string (line, shown[k] >= 0 && (guint) shown[k] < item->n
                                            ? item->keys[shown[k]] : "?");
        }
      g_string_append_c (line, ']');
    }
  g_string_append_printf (line, ",\"time_spent_ms\":%" G_GINT64_FORMAT,
                          judgement->time_spent_ms);
  append_edit_tail (line, &first, &judgement->edit);
}

/* One verdict edit as a "verdict" line of the archive. */
static void
append_verdict_line (GString              *line,
                     const ArchiveItem    *item,
                     const ArchiveVerdict *verdict)
{
  gboolean first = TRUE;

  append_edit_head (line, &first, "verdict", "reviewer", item, &verdict->edit);
  append_decision (line, &first, item, &verdict->edit);
  member_text (line, &first, "rationale", verdict->rationale);
  member_raw (line, &first, "resolves", verdict->resolves_json);
  if (verdict->models_revealed)
    ROUNDS_JSON_APPEND_LITERAL (line, ",\"models_revealed\":true");
  append_edit_tail (line, &first, &verdict->edit);
}

/* The columns of the edits statements, looked up once per statement. */
typedef struct
{
  int user_name, revision, created_at, edit_id;
  int preference, ranking_json, unacceptable, scores_json;
  int status, flags_json, notes_json, comment, skip_reason, shown_order, time_spent_ms;
  int rationale, resolves_json, models_revealed;
} EditColumns;

static void
edit_columns_init (EditColumns  *c,
                   sqlite3_stmt *stmt,
                   gboolean      judgement)
{
  c->user_name = _rounds_sql_column (stmt, "user_name");
  c->revision = _rounds_sql_column (stmt, "revision");
  c->created_at = _rounds_sql_column (stmt, "created_at");
  c->edit_id = _rounds_sql_column (stmt, "edit_id");
  c->preference = _rounds_sql_column (stmt, "preference");
  c->ranking_json = _rounds_sql_column (stmt, "ranking_json");
  c->unacceptable = _rounds_sql_column (stmt, "unacceptable");
  c->scores_json = _rounds_sql_column (stmt, "scores_json");
  if (judgement)
    {
      c->status = _rounds_sql_column (stmt, "status");
      c->flags_json = _rounds_sql_column (stmt, "flags_json");
      c->notes_json = _rounds_sql_column (stmt, "notes_json");
      c->comment = _rounds_sql_column (stmt, "comment");
      c->skip_reason = _rounds_sql_column (stmt, "skip_reason");
      c->shown_order = _rounds_sql_column (stmt, "shown_order");
      c->time_spent_ms = _rounds_sql_column (stmt, "time_spent_ms");
    }
  else
    {
      c->rationale = _rounds_sql_column (stmt, "rationale");
      c->resolves_json = _rounds_sql_column (stmt, "resolves_json");
      c->models_revealed = _rounds_sql_column (stmt, "models_revealed");
    }
}

static void
edit_from_row (Exporter          *e,
               sqlite3_stmt      *stmt,
               const EditColumns *c,
               ArchiveEdit       *edit)
{
  edit->name = _rounds_export_written_name (e, _rounds_export_text (stmt, c->user_name));
  edit->revision = sqlite3_column_int (stmt, c->revision);
  edit->created_at = _rounds_export_text (stmt, c->created_at);
  edit->edit_id = _rounds_export_text (stmt, c->edit_id);
  edit->has_preference = sqlite3_column_type (stmt, c->preference) != SQLITE_NULL;
  edit->preference = sqlite3_column_int (stmt, c->preference);
  edit->ranking_json = _rounds_export_text (stmt, c->ranking_json);
  edit->unacceptable = sqlite3_column_int (stmt, c->unacceptable) != 0;
  edit->scores_json = _rounds_export_text (stmt, c->scores_json);
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

/* Every edit of one item's judgements (@judgement) or verdict, as the importer reads them,
 * oldest first per annotator: the order does not depend on the names being pseudonyms, so
 * an archive imported elsewhere exports the same again. @line and @lines are buffers. */
static gboolean
write_edits (Exporter          *e,
             sqlite3_stmt      *stmt,
             const EditColumns *c,
             gboolean           judgement,
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
      Line *l = g_new0 (Line, 1);
      const ArchiveEdit *edit;
      ArchiveJudgement j = { { NULL } };
      ArchiveVerdict v = { { NULL } };

      g_string_truncate (line, 0);
      if (judgement)
        {
          edit_from_row (e, stmt, c, &j.edit);
          j.status = _rounds_export_text (stmt, c->status);
          j.flags_json = _rounds_export_text (stmt, c->flags_json);
          j.notes_json = _rounds_export_text (stmt, c->notes_json);
          j.comment = _rounds_export_text (stmt, c->comment);
          j.skip_reason = _rounds_export_text (stmt, c->skip_reason);
          j.shown_order = _rounds_export_text (stmt, c->shown_order);
          j.time_spent_ms = sqlite3_column_int64 (stmt, c->time_spent_ms);
          append_judgement_line (line, item, &j);
          edit = &j.edit;
        }
      else
        {
          edit_from_row (e, stmt, c, &v.edit);
          v.rationale = _rounds_export_text (stmt, c->rationale);
          v.resolves_json = _rounds_export_text (stmt, c->resolves_json);
          v.models_revealed = sqlite3_column_int (stmt, c->models_revealed) != 0;
          append_verdict_line (line, item, &v);
          edit = &v.edit;
        }
      l->name = g_strdup (edit->name);
      l->revision = edit->revision;
      l->created_at = g_strdup (edit->created_at);
      l->edit = g_strdup (edit->edit_id);
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
  EditColumns   edit_columns;
  EditColumns   verdict_columns;
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
                                  " dispute_spread, required, rubric_json, metadata_json"
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
                                  " WHERE a.item_id = ?2", &s->edits, error) ||
      !_rounds_export_prepare (e, "SELECT an.user_name, j.revision, j.created_at, j.edit_id,"
                                  " j.preference, j.ranking_json, j.unacceptable, j.scores_json,"
                                  " j.rationale, j.resolves_json, j.models_revealed"
                                  " FROM adjudications j"
                                  " JOIN annotators an ON an.id = j.reviewer_id"
                                  " WHERE j.item_id = ?2", &s->verdicts, error))
    return FALSE;

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
  edit_columns_init (&s->edit_columns, s->edits, TRUE);
  edit_columns_init (&s->verdict_columns, s->verdicts, FALSE);
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
      if (!write_edits (e, s.edits, &s.edit_columns, TRUE,
                        sqlite3_column_int64 (s.items, s.item_id), &item, line, lines, error) ||
          !write_edits (e, s.verdicts, &s.verdict_columns, FALSE,
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
  g_string_append_printf (line, ",\"annotators\":\"%s\",\"reference\":%s}\n",
                          e->options->real_names ? "user-names" : "pseudonyms",
                          e->options->include_reference ? "true" : "false");
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
