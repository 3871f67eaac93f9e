/* rounds-store-judgements.c: annotators' judgements, their edits and history, and drafts
 *
 * Every save of a judgement is a new immutable row of `annotations` with its own edit id;
 * is_current marks each annotator's newest edit of an item. A draft is the work in progress
 * on an item, one row per annotator and item, replaced on each change and never synced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Rows -------------------------------------------------------------------------------- */

/**
 * _rounds_store_judgement_columns_init:
 *
 * Looks up once where the columns of _ROUNDS_ANNOTATION_COLUMNS are in @stmt, for
 * _rounds_store_judgement_from_columns().
 */
void
_rounds_store_judgement_columns_init (RoundsJudgementColumns *columns,
                                      sqlite3_stmt           *stmt)
{
  columns->edit_id = _rounds_sql_column (stmt, "edit_id");
  columns->revision = _rounds_sql_column (stmt, "revision");
  columns->status = _rounds_sql_column (stmt, "status");
  columns->preference = _rounds_sql_column (stmt, "preference");
  columns->ranking_json = _rounds_sql_column (stmt, "ranking_json");
  columns->unacceptable = _rounds_sql_column (stmt, "unacceptable");
  columns->scores_json = _rounds_sql_column (stmt, "scores_json");
  columns->flags_json = _rounds_sql_column (stmt, "flags_json");
  columns->notes_json = _rounds_sql_column (stmt, "notes_json");
  columns->comment = _rounds_sql_column (stmt, "comment");
  columns->skip_reason = _rounds_sql_column (stmt, "skip_reason");
  columns->shown_order = _rounds_sql_column (stmt, "shown_order");
  columns->time_spent_ms = _rounds_sql_column (stmt, "time_spent_ms");
  columns->created_at = _rounds_sql_column (stmt, "created_at");
  columns->user_name = _rounds_sql_column (stmt, "user_name");
}

static inline const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* What @j holds of the row other than strings: its numbers and its JSON columns. */
static void
fill_from_columns (RoundsJudgement              *j,
                   sqlite3_stmt                 *stmt,
                   const RoundsJudgementColumns *columns)
{
  j->revision = sqlite3_column_int (stmt, columns->revision);
  if (!rounds_status_from_string (column_text (stmt, columns->status), &j->status))
    j->status = ROUNDS_STATUS_SUBMITTED;
  j->has_preference = sqlite3_column_type (stmt, columns->preference) != SQLITE_NULL;
  j->preference = sqlite3_column_int (stmt, columns->preference);
  j->unacceptable = sqlite3_column_int (stmt, columns->unacceptable) != 0;
  _rounds_judgement_fill_from_json (j, column_text (stmt, columns->ranking_json),
                                    column_text (stmt, columns->scores_json),
                                    column_text (stmt, columns->flags_json),
                                    column_text (stmt, columns->notes_json),
                                    column_text (stmt, columns->shown_order));
  j->time_spent_ms = sqlite3_column_int64 (stmt, columns->time_spent_ms);
}

/**
 * _rounds_store_judgement_from_row:
 *
 * Reads a row that has the columns of _ROUNDS_ANNOTATION_COLUMNS (more may follow, with
 * other names), for an item with @n_responses responses.
 */
RoundsJudgement *
_rounds_store_judgement_from_row (sqlite3_stmt *stmt,
                                  guint         n_responses,
                                  RoundsRubric *rubric)
{
  RoundsJudgementColumns columns;

  _rounds_store_judgement_columns_init (&columns, stmt);
  return _rounds_store_judgement_read (stmt, &columns, n_responses, rubric);
}

/**
 * _rounds_store_judgement_read:
 *
 * _rounds_store_judgement_from_row() with the columns where @columns found them, for
 * readers of many rows.
 */
RoundsJudgement *
_rounds_store_judgement_read (sqlite3_stmt                 *stmt,
                              const RoundsJudgementColumns *columns,
                              guint                         n_responses,
                              RoundsRubric                 *rubric)
{
  RoundsJudgement *j = rounds_judgement_new (n_responses, rubric);

  j->edit_id = g_strdup (column_text (stmt, columns->edit_id));
  fill_from_columns (j, stmt, columns);
  j->comment = g_strdup (column_text (stmt, columns->comment));
  j->skip_reason = g_strdup (column_text (stmt, columns->skip_reason));
  j->created_at = g_strdup (column_text (stmt, columns->created_at));
  j->annotator = g_strdup (column_text (stmt, columns->user_name));
  return j;
}

/**
 * _rounds_store_judgement_from_columns:
 * @scratch: a judgement of rounds_judgement_new() for the item's number of responses and
 *   rubric, whose arrays this overwrites; reuse it from row to row
 * @arena: where the judgement goes
 * @criteria: (nullable): as for _rounds_judgement_copy_packed()
 *
 * _rounds_store_judgement_read() without a block per string: the same judgement, the whole
 * in one block of @arena (_rounds_judgement_copy_packed(): it goes with the arena).
 */
RoundsJudgement *
_rounds_store_judgement_from_columns (sqlite3_stmt                 *stmt,
                                      const RoundsJudgementColumns *columns,
                                      RoundsJudgement              *scratch,
                                      RoundsArena                  *arena,
                                      char                        **criteria)
{
  RoundsJudgement *j = scratch;
  RoundsJudgement *packed;

  /* As rounds_judgement_new() left it. */
  for (guint r = 0; r < j->n_responses; r++)
    {
      j->ranks[r] = 0;
      j->flags[r] = 0;
      j->shown_order[r] = r;
      g_clear_pointer (&j->notes[r], g_free);
    }
  for (guint i = 0; i < j->n_responses * j->n_criteria; i++)
    j->scores[i] = -1;

  fill_from_columns (j, stmt, columns);

  /* The strings are the row's, for as long as the copy takes. */
  j->comment = (char *) sqlite3_column_text (stmt, columns->comment);
  j->skip_reason = (char *) sqlite3_column_text (stmt, columns->skip_reason);
  j->edit_id = (char *) sqlite3_column_text (stmt, columns->edit_id);
  j->created_at = (char *) sqlite3_column_text (stmt, columns->created_at);
  j->annotator = (char *) sqlite3_column_text (stmt, columns->user_name);
  packed = _rounds_judgement_copy_packed (j, arena, criteria);
  j->comment = j->skip_reason = j->edit_id = j->created_at = j->annotator = NULL;
  return packed;
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
  static const char current_sql[] =
    "SELECT id, revision, created_at, edit_id, status = 'submitted' AS submitted"
    " FROM annotations"
    " WHERE item_id = ?1 AND annotator_id = ?2 AND is_current = 1";
  static const char insert_sql[] =
    "INSERT INTO annotations (edit_id, doc_id, item_id, annotator_id, revision, status,"
    " preference, ranking_json, unacceptable, scores_json, flags_json, notes_json,"
    " comment, skip_reason, shown_order, time_spent_ms, created_at, origin,"
    " is_current, synced)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20)";
  static const char count_sql[] =
    "UPDATE items SET n_submitted = n_submitted + ?2 WHERE id = ?1";
  g_autofree char *doc_id = NULL;
  g_autofree char *ranking = NULL;
  g_autofree char *scores = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *order = NULL;
  sqlite3_stmt *stmt;
  gboolean current_submitted;
  gboolean newest, found;

  g_assert (j->edit_id != NULL && j->created_at != NULL && j->annotator != NULL);
  g_assert (j->status != ROUNDS_STATUS_DRAFT);

  if (inserted)
    *inserted = FALSE;

  if (!_rounds_store_has_edit (self, "annotations", j->edit_id, &found, error))
    return FALSE;
  if (found)
    return TRUE;

  if (!(stmt = _rounds_store_prepare (self, current_sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 2, annotator_id);
  if (!_rounds_store_supersede (self, "annotations", stmt, j->revision, j->created_at,
                                j->edit_id, &newest, &current_submitted, error))
    return FALSE;

  doc_id = _rounds_doc_id ("judgement", j->annotator, rounds_item_get_dataset_name (item),
                           rounds_item_get_key (item), j->edit_id, NULL);
  if (j->n_responses > 2)
    ranking = _rounds_judgement_ints_to_json (j->ranks, j->n_responses);
  scores = _rounds_judgement_scores_to_json (j);
  flags = _rounds_judgement_flags_to_json (j);
  notes = _rounds_judgement_notes_to_json (j);
  order = _rounds_judgement_order_to_json (j);

  if (!(stmt = _rounds_store_prepare (self, insert_sql, error)))
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
  _rounds_store_bind_text (stmt, 18, _rounds_origin_to_string (origin));
  sqlite3_bind_int (stmt, 19, newest ? 1 : 0);
  /* Events pulled from the store are there already. */
  sqlite3_bind_int (stmt, 20, origin == ROUNDS_ORIGIN_REMOTE ? 1 : 0);
  if (!_rounds_store_step_done (self, stmt, error))
    return FALSE;

  /* items.n_submitted counts the annotators whose current edit is a submission, so a
   * judgement turned into a skip gives the item back to the others' queues. A machine's
   * judgement is no annotator's: it never fills an item's overlap. */
  if (newest && (j->status == ROUNDS_STATUS_SUBMITTED) != current_submitted &&
      !rounds_annotator_is_machine (j->annotator))
    {
      if (!(stmt = _rounds_store_prepare (self, count_sql, error)))
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
  static const char sql[] =
    "DELETE FROM drafts WHERE item_id = ?1 AND annotator_id = ?2";
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
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
  static const char revision_sql[] =
    "SELECT COALESCE (MAX (revision), 0) + 1 AS revision,"
    " (SELECT edit_id FROM annotations"
    "  WHERE item_id = ?1 AND annotator_id = ?2 AND is_current = 1)"
    "  AS previous_edit"
    " FROM annotations WHERE item_id = ?1 AND annotator_id = ?2";
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autofree char *previous_edit = NULL;
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
  /* A machine has no profile: its row is made on its first judgement. */
  if (!(annotator_id = rounds_annotator_is_machine (annotator)
                       ? _rounds_store_ensure_annotator (self, annotator, error)
                       : _rounds_store_lookup_annotator (self, annotator, error)))
    goto fail;

  if (!_rounds_store_next_revision (self, revision_sql, rounds_item_get_id (item), annotator_id,
                                    &judgement->revision, &previous_edit, error))
    goto fail;

  _rounds_store_stamp_edit (&judgement->edit_id, &judgement->created_at, &judgement->annotator,
                            annotator);

  if (!_rounds_store_insert_judgement (self, item, annotator_id, judgement, ROUNDS_ORIGIN_LOCAL,
                                       NULL, error) ||
      !delete_draft (self, rounds_item_get_id (item), annotator_id, error))
    goto fail;

  if (judgement->status == ROUNDS_STATUS_SKIPPED)
    action = "judgement.skip";
  else if (judgement->revision > 1)
    action = "judgement.revise";
  else
    action = "judgement.submit";

  if (!_rounds_store_audit_edit (self, item, annotator, action, judgement->edit_id,
                                 judgement->revision, previous_edit, error))
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
  g_autoptr(RoundsDataset) dataset = NULL;

  dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error);

  return dataset ? rounds_rubric_ref (rounds_dataset_get_rubric (dataset)) : NULL;
}

/* The edits of @item by ?2 the annotator that @sql selects, in its order: a GPtrArray of
 * RoundsJudgement. */
static GPtrArray *
query_edits (RoundsStore  *self,
             const char   *sql,
             RoundsItem   *item,
             const char   *annotator,
             GError      **error)
{
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  sqlite3_stmt *stmt;
  int rc;

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
  if (!(rubric = rubric_for_item (self, item, error)) ||
      !(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (edits, _rounds_store_judgement_from_row (stmt,
                                                              rounds_item_get_n_responses (item),
                                                              rubric));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&edits);
}

/* The annotator's current judgement of @item, or %NULL without an error if there is none. */
RoundsJudgement *
rounds_store_get_judgement (RoundsStore  *self,
                            RoundsItem   *item,
                            const char   *annotator,
                            GError      **error)
{
  static const char sql[] =
    "SELECT " _ROUNDS_ANNOTATION_COLUMNS " FROM annotations a"
    " JOIN annotators an ON an.id = a.annotator_id"
    " WHERE a.item_id = ?1 AND an.user_name = ?2 AND a.is_current = 1";
  g_autoptr(GPtrArray) current = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(current = query_edits (self, sql, item, annotator, error)) || current->len == 0)
    return NULL;
  return g_ptr_array_steal_index (current, 0);
}

/* Every edit of @item by @annotator, oldest first: a GPtrArray of RoundsJudgement. */
GPtrArray *
rounds_store_list_edits (RoundsStore  *self,
                         RoundsItem   *item,
                         const char   *annotator,
                         GError      **error)
{
  static const char sql[] =
    "SELECT " _ROUNDS_ANNOTATION_COLUMNS " FROM annotations a"
    " JOIN annotators an ON an.id = a.annotator_id"
    " WHERE a.item_id = ?1 AND an.user_name = ?2"
    " ORDER BY a.revision, a.created_at, a.edit_id";

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  return query_edits (self, sql, item, annotator, error);
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
  static const char sql[] =
    "SELECT a.item_id, i.key, i.title, a.edit_id, a.revision, a.status, a.created_at,"
    " (SELECT MIN (b.created_at) FROM annotations b"
    "  WHERE b.item_id = a.item_id AND b.annotator_id = a.annotator_id) AS first_at"
    " FROM annotations a JOIN items i ON i.id = a.item_id"
    " JOIN annotators an ON an.id = a.annotator_id"
    " WHERE an.user_name = ?2 AND a.is_current = 1 AND i.dataset_id = ?1"
    " ORDER BY first_at, a.item_id";
  g_autoptr(GArray) history = g_array_new (FALSE, TRUE, sizeof (RoundsHistoryEntry));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  g_array_set_clear_func (history, history_entry_clear);
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  _rounds_store_bind_text (stmt, 2, annotator);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsHistoryEntry entry = {
        .item_id = _rounds_sql_int64 (stmt, "item_id"),
        .item_key = _rounds_sql_dup (stmt, "key"),
        .title = _rounds_sql_dup (stmt, "title"),
        .edit_id = _rounds_sql_dup (stmt, "edit_id"),
        .revision = _rounds_sql_int (stmt, "revision"),
        .created_at = _rounds_sql_dup (stmt, "created_at"),
      };

      if (!rounds_status_from_string (_rounds_sql_text (stmt, "status"), &entry.status))
        entry.status = ROUNDS_STATUS_SUBMITTED;
      g_array_append_val (history, entry);
    }
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&history);
}

/* Drafts ------------------------------------------------------------------------------ */

/* Drafts are whole judgements in one JSON object, replaced on each change. */
static char *
draft_to_json (const RoundsJudgement *j)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
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

  return _rounds_json_builder_to_string (builder);
}

static char *
member_to_string (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node ? json_to_string (node, FALSE) : NULL;
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
  static const char sql[] =
    "INSERT INTO drafts (item_id, annotator_id, state_json, updated_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (item_id, annotator_id)"
    " DO UPDATE SET state_json = ?3, updated_at = ?4";
  g_autofree char *state = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 annotator_id;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (judgement != NULL, FALSE);

  if (!(annotator_id = _rounds_store_lookup_annotator (self, annotator, error)))
    return FALSE;

  state = draft_to_json (judgement);
  now = _rounds_now_iso8601 ();
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
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
  static const char sql[] =
    "SELECT d.state_json FROM drafts d JOIN annotators an ON an.id = d.annotator_id"
    " WHERE d.item_id = ?1 AND an.user_name = ?2";
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *state = NULL;
  RoundsJudgement *j;
  JsonObject *object;
  sqlite3_stmt *stmt;
  g_autofree char *ranking = NULL, *scores = NULL, *flags = NULL, *notes = NULL, *order = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  _rounds_store_bind_text (stmt, 2, annotator);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = _rounds_sql_dup (stmt, "state_json");
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
  j->skip_reason = g_strdup (json_object_get_string_member_with_default (object, "skip_reason",
                                                                        NULL));
  j->time_spent_ms = json_object_get_int_member_with_default (object, "time_spent_ms", 0);
  ranking = member_to_string (object, "ranking");
  scores = member_to_string (object, "scores");
  flags = member_to_string (object, "flags");
  notes = member_to_string (object, "notes");
  order = member_to_string (object, "shown_order");
  _rounds_judgement_fill_from_json (j, ranking, scores, flags, notes, order);
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

  if (!(annotator_id = _rounds_store_lookup_annotator (self, annotator, error)))
    return FALSE;
  return delete_draft (self, rounds_item_get_id (item), annotator_id, error);
}

/* Statistics -------------------------------------------------------------------------- */

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
  static const char sql[] =
    "SELECT an.user_name, an.display_name,"
    " TOTAL (a.status = 'submitted') AS n_submitted,"
    " TOTAL (a.status = 'skipped') AS n_skipped,"
    " TOTAL (a.revision > 1) AS n_revised,"
    " TOTAL (CASE WHEN a.status = 'submitted' THEN a.time_spent_ms END)"
    "  AS submitted_time_ms,"
    " MAX (a.created_at) AS last_at"
    " FROM annotations a JOIN items i ON i.id = a.item_id"
    " JOIN annotators an ON an.id = a.annotator_id"
    " WHERE a.is_current = 1 AND i.dataset_id = ?1"
    " GROUP BY an.id ORDER BY an.user_name";
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (RoundsAnnotatorStats));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  g_array_set_clear_func (list, annotator_stats_clear);
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RoundsAnnotatorStats stats = {
        .user_name = _rounds_sql_dup (stmt, "user_name"),
        .display_name = _rounds_sql_dup (stmt, "display_name"),
        .n_submitted = (guint) _rounds_sql_double (stmt, "n_submitted"),
        .n_skipped = (guint) _rounds_sql_double (stmt, "n_skipped"),
        .n_revised = (guint) _rounds_sql_double (stmt, "n_revised"),
        .time_spent_ms = (gint64) _rounds_sql_double (stmt, "submitted_time_ms"),
        .last_at = _rounds_sql_dup (stmt, "last_at"),
      };

      g_array_append_val (list, stats);
    }
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}
