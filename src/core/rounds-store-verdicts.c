/* rounds-store-verdicts.c: reviewers' verdicts on disputed items, and sending items back
 *
 * Verdicts are kept like judgements: every save is a new immutable row of
 * `adjudications` with its own edit id, and the flags say which row is current. The
 * current verdict of an item is its newest edit (revision, then time, then edit id),
 * whoever recorded it: the rule the sync applies to verdicts pulled from the curation
 * store. So that rule picks the latest decision, the revision counts the item's verdict
 * edits, by any reviewer: a second reviewer's first verdict on an item that has had two is
 * revision 3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-item-private.h"
#include "rounds-review.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

#define MAX_OVERLAP 50

/* Verdicts ---------------------------------------------------------------------------- */

#define VERDICT_COLUMNS \
  "j.edit_id, j.revision, j.preference, j.ranking_json, j.unacceptable, j.rationale, " \
  "j.resolves_json, j.models_revealed, j.created_at, j.is_current, an.user_name, j.scores_json"

static RoundsVerdict *
verdict_from_row (sqlite3_stmt *stmt,
                  guint         n_responses)
{
  RoundsVerdict *v = rounds_verdict_new (n_responses);
  g_autoptr(JsonArray) ranking = NULL;
  g_autoptr(JsonArray) resolves = NULL;

  v->edit_id = _rounds_sql_dup (stmt, "edit_id");
  v->revision = _rounds_sql_int (stmt, "revision");
  v->has_preference = !_rounds_sql_is_null (stmt, "preference");
  v->preference = _rounds_sql_int (stmt, "preference");
  v->unacceptable = _rounds_sql_int (stmt, "unacceptable") != 0;
  v->rationale = _rounds_sql_dup (stmt, "rationale");
  v->models_revealed = _rounds_sql_int (stmt, "models_revealed") != 0;
  v->created_at = _rounds_sql_dup (stmt, "created_at");
  v->is_current = _rounds_sql_int (stmt, "is_current") != 0;
  v->reviewer = _rounds_sql_dup (stmt, "user_name");
  v->scores_json = _rounds_sql_dup (stmt, "scores_json");

  ranking = _rounds_json_parse_array (_rounds_sql_text (stmt, "ranking_json"));
  for (guint r = 0; ranking && r < MIN (n_responses, json_array_get_length (ranking)); r++)
    v->ranks[r] = (int) json_array_get_int_element (ranking, r);

  resolves = _rounds_json_parse_array (_rounds_sql_text (stmt, "resolves_json"));
  if (resolves != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (resolves); i++)
        {
          JsonNode *element = json_array_get_element (resolves, i);

          if (json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
      v->resolves = g_strv_builder_end (builder);
    }
  return v;
}

/* A corrected rubric: one object per canonical response, each score an integer on its
 * criterion's scale of the dataset's rubric. */
static gboolean
check_corrected_rubric (const RoundsVerdict  *verdict,
                        RoundsDataset        *dataset,
                        GError              **error)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (dataset);
  g_autoptr(JsonArray) responses = NULL;

  if (verdict->scores_json == NULL)
    return TRUE;
  responses = _rounds_json_parse_array (verdict->scores_json);
  if (responses == NULL || json_array_get_length (responses) != verdict->n_responses)
    goto invalid;
  for (guint r = 0; r < verdict->n_responses; r++)
    {
      JsonNode *element = json_array_get_element (responses, r);
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        goto invalid;
      members = json_object_get_members (json_node_get_object (element));
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (json_node_get_object (element), l->data);
          int index = rounds_rubric_find (rubric, l->data);
          const RoundsCriterion *criterion;
          gint64 score;

          if (index < 0 || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_INT64)
            goto invalid;
          criterion = rounds_rubric_get_criterion (rubric, index);
          score = json_node_get_int (value);
          if (score < criterion->min || score > criterion->max)
            goto invalid;
        }
    }
  return TRUE;

invalid:
  g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("The corrected rubric must give, for each response, scores on the "
                         "dataset’s criteria and scales"));
  return FALSE;
}

static gboolean
check_verdict (const RoundsVerdict  *verdict,
               RoundsDataset        *dataset,
               GError              **error)
{
  g_autofree char *rationale = g_strstrip (g_strdup (verdict->rationale ? verdict->rationale : ""));
  gboolean decided;
  int k = rounds_dataset_get_scale_k (dataset);

  if (*rationale == '\0')
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                           _("A verdict needs a rationale: say why, for the annotators and "
                             "the record"));
      return FALSE;
    }

  if (verdict->n_responses == 2)
    decided = verdict->has_preference;
  else
    {
      decided = TRUE;
      for (guint r = 0; r < verdict->n_responses; r++)
        decided = decided && verdict->ranks[r] > 0;
    }
  if (!decided && !verdict->unacceptable)
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INCOMPLETE,
                           verdict->n_responses == 2
                           ? _("A verdict needs a preference, or “all unacceptable”")
                           : _("A verdict needs every response ranked, or “all unacceptable”"));
      return FALSE;
    }

  if (verdict->n_responses == 2 && verdict->has_preference && ABS (verdict->preference) > k)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("Preference %d is off the dataset’s %u-point scale"),
                   verdict->preference, rounds_dataset_get_scale (dataset));
      return FALSE;
    }
  for (guint r = 0; verdict->n_responses > 2 && r < verdict->n_responses; r++)
    if (verdict->ranks[r] < 0 || verdict->ranks[r] > (int) verdict->n_responses)
      {
        g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                     _("Rank %d is not between 1 and %u"), verdict->ranks[r], verdict->n_responses);
        return FALSE;
      }
  return check_corrected_rubric (verdict, dataset, error);
}

/* The edit ids of the item's current submitted judgements: what the reviewer saw. */
static char **
current_edit_ids (RoundsStore  *self,
                  RoundsItem   *item,
                  GError      **error)
{
  static const char sql[] =
    "SELECT edit_id FROM annotations WHERE item_id = ?1 AND is_current = 1"
    " AND status = 'submitted' ORDER BY edit_id";
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _rounds_sql_text (stmt, "edit_id"));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_strv_builder_end (builder);
}

static char *
strv_to_json (char **strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  return _rounds_json_builder_to_string (builder);
}

/* Adds a verdict edit, with @ranking_json as its ranking, inside the caller's transaction;
 * see _rounds_store_insert_verdict(). */
static gboolean
insert_verdict (RoundsStore          *self,
                RoundsItem           *item,
                gint64                reviewer_id,
                const RoundsVerdict  *verdict,
                const char           *ranking_json,
                const char           *resolves_json,
                RoundsOrigin          origin,
                gboolean             *inserted,
                GError              **error)
{
  static const char insert_sql[] =
    "INSERT INTO adjudications (edit_id, doc_id, item_id, reviewer_id, revision,"
    " preference, ranking_json, unacceptable, scores_json, rationale, resolves_json,"
    " models_revealed, created_at, origin, is_current, synced)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
  g_autofree char *doc_id = NULL;
  sqlite3_stmt *stmt;
  gboolean newest, found;

  *inserted = FALSE;
  if (!_rounds_store_has_edit (self, "adjudications", verdict->edit_id, &found, error))
    return FALSE;
  if (found)
    return TRUE;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT id, revision, created_at, edit_id FROM adjudications"
                                      " WHERE item_id = ?1 AND is_current = 1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  if (!_rounds_store_supersede (self, "adjudications", stmt, verdict->revision,
                                verdict->created_at, verdict->edit_id, &newest, NULL, error))
    return FALSE;

  doc_id = _rounds_doc_id ("verdict", rounds_item_get_dataset_name (item),
                           rounds_item_get_key (item), verdict->reviewer, verdict->edit_id,
                           NULL);
  if (!(stmt = _rounds_store_prepare (self, insert_sql, error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, verdict->edit_id);
  _rounds_store_bind_text (stmt, 2, doc_id);
  sqlite3_bind_int64 (stmt, 3, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 4, reviewer_id);
  sqlite3_bind_int64 (stmt, 5, verdict->revision);
  if (verdict->has_preference && verdict->n_responses == 2)
    sqlite3_bind_int64 (stmt, 6, verdict->preference);
  _rounds_store_bind_text (stmt, 7, ranking_json);
  sqlite3_bind_int (stmt, 8, verdict->unacceptable ? 1 : 0);
  _rounds_store_bind_text (stmt, 9, verdict->scores_json);
  _rounds_store_bind_text (stmt, 10, verdict->rationale);
  _rounds_store_bind_text (stmt, 11, resolves_json);
  sqlite3_bind_int (stmt, 12, verdict->models_revealed ? 1 : 0);
  _rounds_store_bind_text (stmt, 13, verdict->created_at);
  _rounds_store_bind_text (stmt, 14, _rounds_origin_to_string (origin));
  sqlite3_bind_int (stmt, 15, newest ? 1 : 0);
  /* Pulled edits are in the curation store already; imported and local ones are not. */
  sqlite3_bind_int (stmt, 16, origin == ROUNDS_ORIGIN_REMOTE ? 1 : 0);
  if (!_rounds_store_step_done (self, stmt, error))
    return FALSE;
  *inserted = TRUE;
  return TRUE;
}

/**
 * rounds_store_save_verdict:
 * @reviewer: a profile with the reviewer role
 * @verdict: its edit id, revision, created_at and reviewer are set to the new edit's, as
 *   save_judgement does, and on success its resolves to what was stored
 *
 * Records a new verdict edit, makes it the item's current verdict and appends
 * "verdict.submit" (the item's first) or "verdict.revise" to the audit log, in one
 * transaction. The rationale is required (%ROUNDS_ERROR_INCOMPLETE), and so is a
 * decision: a preference, a full ranking or "all unacceptable".
 */
gboolean
rounds_store_save_verdict (RoundsStore    *self,
                           RoundsItem     *item,
                           const char     *reviewer,
                           RoundsVerdict  *verdict,
                           GError        **error)
{
  static const char revision_sql[] =
    "SELECT COALESCE (MAX (revision), 0) + 1 AS revision,"
    " (SELECT edit_id FROM adjudications WHERE item_id = ?1 AND is_current = 1)"
    "  AS previous_edit"
    " FROM adjudications WHERE item_id = ?1";
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autofree char *previous_edit = NULL;
  g_autofree char *ranking_json = NULL;
  g_autofree char *resolves_json = NULL;
  g_auto(GStrv) resolves = NULL;
  gint64 reviewer_id;
  gboolean inserted;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (reviewer != NULL, FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);
  g_return_val_if_fail (verdict->n_responses == rounds_item_get_n_responses (item), FALSE);

  dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error);
  if (dataset == NULL ||
      !check_verdict (verdict, dataset, error))
    return FALSE;

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(reviewer_id = _rounds_store_lookup_reviewer (self, reviewer, error)))
    goto fail;

  if (!_rounds_store_next_revision (self, revision_sql, rounds_item_get_id (item), 0,
                                    &verdict->revision, &previous_edit, error))
    goto fail;

  if (verdict->resolves != NULL)
    resolves = g_strdupv (verdict->resolves);
  else if (!(resolves = current_edit_ids (self, item, error)))
    goto fail;

  _rounds_store_stamp_edit (&verdict->edit_id, &verdict->created_at, &verdict->reviewer,
                            reviewer);
  if (verdict->n_responses > 2)
    ranking_json = _rounds_judgement_ints_to_json (verdict->ranks, verdict->n_responses);
  resolves_json = strv_to_json (resolves);

  /* The new edit has the highest revision of the item, so it becomes the current one. */
  if (!insert_verdict (self, item, reviewer_id, verdict, ranking_json, resolves_json,
                       ROUNDS_ORIGIN_LOCAL, &inserted, error) ||
      !_rounds_store_audit_edit (self, item, reviewer,
                                 verdict->revision > 1 ? "verdict.revise" : "verdict.submit",
                                 verdict->edit_id, verdict->revision, previous_edit, error) ||
      !_rounds_store_commit (self, error))
    goto fail;

  g_strfreev (verdict->resolves);
  verdict->resolves = g_steal_pointer (&resolves);
  verdict->is_current = TRUE;
  return TRUE;

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

/**
 * _rounds_store_insert_verdict:
 * @resolves_json: (nullable): the edit ids it resolves, as a JSON array
 * @inserted: (out): whether the edit was new
 *
 * Adds a verdict edit made elsewhere (pulled or imported), inside the caller's
 * transaction. An edit that is there already is left alone, so a replayed feed or a file
 * imported twice changes nothing. The item's current verdict is its newest edit: revision,
 * then time, then edit id, whoever recorded it, the rule of judgements.
 */
gboolean
_rounds_store_insert_verdict (RoundsStore          *self,
                              RoundsItem           *item,
                              gint64                reviewer_id,
                              const RoundsVerdict  *verdict,
                              const char           *resolves_json,
                              RoundsOrigin          origin,
                              gboolean             *inserted,
                              GError              **error)
{
  g_autofree char *ranking_json = NULL;

  if (verdict->n_responses > 2 && verdict->ranks != NULL && verdict->ranks[0] > 0)
    ranking_json = _rounds_judgement_ints_to_json (verdict->ranks, verdict->n_responses);
  return insert_verdict (self, item, reviewer_id, verdict, ranking_json, resolves_json, origin,
                         inserted, error);
}

/* The verdict edits of @item that @sql selects, in its order: a GPtrArray of RoundsVerdict. */
static GPtrArray *
query_verdicts (RoundsStore  *self,
                const char   *sql,
                RoundsItem   *item,
                GError      **error)
{
  g_autoptr(GPtrArray) verdicts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_verdict_free);
  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (verdicts, verdict_from_row (stmt, rounds_item_get_n_responses (item)));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&verdicts);
}

/* The item's current verdict, or %NULL without an error when it has none. */
RoundsVerdict *
rounds_store_get_verdict (RoundsStore  *self,
                          RoundsItem   *item,
                          GError      **error)
{
  static const char sql[] =
    "SELECT " VERDICT_COLUMNS " FROM adjudications j"
    " JOIN annotators an ON an.id = j.reviewer_id"
    " WHERE j.item_id = ?1 AND j.is_current = 1";
  g_autoptr(GPtrArray) current = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(current = query_verdicts (self, sql, item, error)) || current->len == 0)
    return NULL;
  return g_ptr_array_steal_index (current, 0);
}

/**
 * _rounds_store_list_current_verdicts:
 *
 * The current verdict of every item of @dataset_id that has one, in one query.
 *
 * Returns: (transfer full): item id (gint64) → RoundsVerdict
 */
GHashTable *
_rounds_store_list_current_verdicts (RoundsStore  *self,
                                     gint64        dataset_id,
                                     GError      **error)
{
  static const char sql[] =
    "SELECT " VERDICT_COLUMNS ", j.item_id,"
    " (SELECT COUNT(*) FROM responses r WHERE r.item_id = j.item_id) AS n_responses"
    " FROM adjudications j"
    " JOIN items i ON i.id = j.item_id"
    " JOIN annotators an ON an.id = j.reviewer_id"
    " WHERE i.dataset_id = ?1 AND j.is_current = 1";
  g_autoptr(GHashTable) verdicts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, sql, error)))
    return NULL;
  verdicts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                    (GDestroyNotify) rounds_verdict_free);
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (verdicts,
                         g_memdup2 (&(gint64) { _rounds_sql_int64 (stmt, "item_id") },
                                    sizeof (gint64)),
                         verdict_from_row (stmt, (guint) _rounds_sql_int (stmt, "n_responses")));
  if (!_rounds_store_step_end (self, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&verdicts);
}

/**
 * rounds_store_list_verdicts:
 *
 * Every verdict edit of @item by any reviewer, oldest first: the history a reviewer reads
 * before revising.
 *
 * Returns: (transfer full) (element-type RoundsVerdict): the edits
 */
GPtrArray *
rounds_store_list_verdicts (RoundsStore  *self,
                            RoundsItem   *item,
                            GError      **error)
{
  static const char sql[] =
    "SELECT " VERDICT_COLUMNS " FROM adjudications j"
    " JOIN annotators an ON an.id = j.reviewer_id"
    " WHERE j.item_id = ?1"
    " ORDER BY j.revision, j.created_at, j.edit_id";

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  return query_verdicts (self, sql, item, error);
}

/**
 * rounds_store_send_back:
 * @new_overlap: how many annotators the item wants now: more than before, at most 50
 * @actor: who sends it back, for the audit log
 *
 * Raises the item's overlap so it goes back into annotators' queues for more judgements,
 * and appends "item.send-back" to the audit log, in one transaction. @item's overlap is
 * updated too. The change stays in this store: items are the curators' documents in the
 * curation store.
 */
gboolean
rounds_store_send_back (RoundsStore  *self,
                        RoundsItem   *item,
                        guint         new_overlap,
                        const char   *actor,
                        GError      **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *detail_json = NULL;
  g_autofree char *target = NULL;
  sqlite3_stmt *stmt;
  guint old_overlap = 0;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (new_overlap > MAX_OVERLAP)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("An item can want at most %u annotators, not %u"), MAX_OVERLAP, new_overlap);
      return FALSE;
    }

  if (!_rounds_store_begin (self, error))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (self, "SELECT overlap FROM items WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    old_overlap = (guint) _rounds_sql_int (stmt, "overlap");
  if (!_rounds_store_step_end (self, stmt, rc, error))
    goto fail;
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                   _("No item with id %lld"), (long long) rounds_item_get_id (item));
      goto fail;
    }

  if (new_overlap <= old_overlap)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("“%s” already wants %u annotators: send it back with more"),
                   rounds_item_get_key (item), old_overlap);
      goto fail;
    }

  if (!(stmt = _rounds_store_prepare (self, "UPDATE items SET overlap = ?2 WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  sqlite3_bind_int (stmt, 2, (int) new_overlap);
  if (!_rounds_store_step_done (self, stmt, error))
    goto fail;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "overlap");
  json_builder_add_int_value (builder, new_overlap);
  json_builder_set_member_name (builder, "previous_overlap");
  json_builder_add_int_value (builder, old_overlap);
  json_builder_end_object (builder);
  detail_json = _rounds_json_builder_to_string (builder);
  target = _rounds_store_item_target (item);

  if (!rounds_store_audit (self, actor, "item.send-back", target, detail_json, error) ||
      !_rounds_store_commit (self, error))
    goto fail;

  item->overlap = new_overlap;
  return TRUE;

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

