/* rounds-store-review.c: the store's side of ethics review: disputes, verdicts, agreement
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
#include <math.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-model-private.h"
#include "rounds-review.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"
#include "rounds-worker-private.h"

/* Unit keys for alpha: an item and a response (or a pair of responses) within it. At most
 * 8 responses, so 28 pairs: 64 slots an item are plenty. */
#define UNIT(item_id, sub) ((item_id) * 64 + (sub))

#define MAX_OVERLAP 50

G_DEFINE_BOXED_TYPE (RoundsVerdict, rounds_verdict, rounds_verdict_copy, rounds_verdict_free)

/* Helpers ----------------------------------------------------------------------------- */

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
item_target (RoundsItem *item)
{
  return g_strdup_printf ("%s/%s", rounds_item_get_dataset_name (item), rounds_item_get_key (item));
}

/* Verdicts as values ------------------------------------------------------------------ */

RoundsVerdict *
rounds_verdict_new (guint n_responses)
{
  RoundsVerdict *self;

  g_return_val_if_fail (n_responses >= 2, NULL);

  self = g_new0 (RoundsVerdict, 1);
  self->n_responses = n_responses;
  self->ranks = g_new0 (int, n_responses);
  return self;
}

RoundsVerdict *
rounds_verdict_copy (const RoundsVerdict *self)
{
  RoundsVerdict *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->ranks = g_memdup2 (self->ranks, sizeof (int) * self->n_responses);
  copy->rationale = g_strdup (self->rationale);
  copy->resolves = g_strdupv (self->resolves);
  copy->edit_id = g_strdup (self->edit_id);
  copy->created_at = g_strdup (self->created_at);
  copy->reviewer = g_strdup (self->reviewer);
  copy->scores_json = g_strdup (self->scores_json);
  return copy;
}

void
rounds_verdict_free (RoundsVerdict *self)
{
  if (self == NULL)
    return;

  g_free (self->ranks);
  g_free (self->rationale);
  g_strfreev (self->resolves);
  g_free (self->edit_id);
  g_free (self->created_at);
  g_free (self->reviewer);
  g_free (self->scores_json);
  g_free (self);
}

void
rounds_item_judgements_free (RoundsItemJudgements *self)
{
  if (self == NULL)
    return;

  g_free (self->item_key);
  g_free (self->title);
  g_clear_pointer (&self->judgements, g_ptr_array_unref);
  g_free (self);
}

static void
criterion_agreement_clear (gpointer data)
{
  RoundsCriterionAgreement *c = data;

  g_free (c->id);
  g_free (c->name);
}

static void
pair_agreement_clear (gpointer data)
{
  RoundsPairAgreement *p = data;

  g_free (p->annotator_a);
  g_free (p->annotator_b);
}

void
rounds_agreement_report_free (RoundsAgreementReport *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->criteria, g_array_unref);
  g_clear_pointer (&self->pairs, g_array_unref);
  g_free (self);
}

/* Current judgements ------------------------------------------------------------------ */

/**
 * rounds_store_list_current_judgements:
 *
 * Every item of @dataset_id in dataset order, each with the current submitted judgement
 * of every annotator who has one (an item nobody has submitted has none). One query for
 * the whole dataset.
 *
 * Returns: (transfer full) (element-type RoundsItemJudgements): the items
 */
GPtrArray *
rounds_store_list_current_judgements (RoundsStore  *self,
                                      gint64        dataset_id,
                                      GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_item_judgements_free);
  g_autoptr(RoundsDataset) dataset = NULL;
  RoundsItemJudgements *current = NULL;
  RoundsRubric *rubric;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)))
    return NULL;
  rubric = rounds_dataset_get_rubric (dataset);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT " _ROUNDS_ANNOTATION_COLUMNS ","
                                      " i.id, i.key, i.title, i.overlap,"
                                      " (SELECT COUNT(*) FROM responses r WHERE r.item_id = i.id)"
                                      " FROM items i"
                                      " LEFT JOIN annotations a ON a.item_id = i.id AND a.is_current = 1"
                                      "  AND a.status = 'submitted'"
                                      " LEFT JOIN annotators an ON an.id = a.annotator_id"
                                      " WHERE i.dataset_id = ?1"
                                      " ORDER BY i.position, i.id, an.user_name", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (stmt, 15);

      if (current == NULL || current->item_id != item_id)
        {
          current = g_new0 (RoundsItemJudgements, 1);
          current->item_id = item_id;
          current->item_key = _rounds_store_column_dup (stmt, 16);
          current->title = _rounds_store_column_dup (stmt, 17);
          current->overlap = (guint) sqlite3_column_int (stmt, 18);
          current->n_responses = (guint) sqlite3_column_int (stmt, 19);
          current->judgements = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_judgement_free);
          g_ptr_array_add (items, current);
        }
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL && current->n_responses >= 2)
        g_ptr_array_add (current->judgements,
                         _rounds_store_judgement_from_row (stmt, current->n_responses, rubric));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* Disputes ---------------------------------------------------------------------------- */

static int
compare_disputes (gconstpointer a,
                  gconstpointer b)
{
  return rounds_dispute_compare (*(RoundsDispute * const *) a, *(RoundsDispute * const *) b);
}

/* The items of @dataset_id that have a current verdict. */
static GHashTable *
items_with_verdicts (RoundsStore  *self,
                     gint64        dataset_id,
                     GError      **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT DISTINCT j.item_id FROM adjudications j JOIN items i ON i.id = j.item_id"
                                      " WHERE i.dataset_id = ?1 AND j.is_current = 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&set);
}

/**
 * rounds_store_list_disputes:
 * @filter: which items to list; 0 lists the disputed ones
 *
 * Applies the rules of rounds_dispute_evaluate() to every item of @dataset_id with the
 * dataset's dispute spread, and returns the items @filter asks for in the order a
 * reviewer works in (rounds_dispute_compare()).
 *
 * Returns: (transfer full) (element-type RoundsDispute): the items
 */
GPtrArray *
rounds_store_list_disputes (RoundsStore          *self,
                            gint64                dataset_id,
                            RoundsDisputeFilter   filter,
                            GError              **error)
{
  g_autoptr(GPtrArray) disputes = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_dispute_free);
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) resolved = NULL;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);

  if ((filter & (ROUNDS_DISPUTE_FILTER_DISPUTED | ROUNDS_DISPUTE_FILTER_WAITING | ROUNDS_DISPUTE_FILTER_AGREED)) == 0)
    filter |= ROUNDS_DISPUTE_FILTER_DISPUTED;

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)) ||
      !(items = rounds_store_list_current_judgements (self, dataset_id, error)) ||
      !(resolved = items_with_verdicts (self, dataset_id, error)))
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);
      g_autoptr(RoundsDispute) dispute = rounds_dispute_new ();
      RoundsDisputeFilter wanted;

      rounds_dispute_evaluate ((RoundsJudgement * const *) item->judgements->pdata, item->judgements->len,
                               item->overlap, rounds_dataset_get_dispute_spread (dataset), dispute);
      dispute->item_id = item->item_id;
      dispute->has_verdict = g_hash_table_contains (resolved, &item->item_id);

      switch (dispute->state)
        {
        case ROUNDS_DISPUTE_STATE_WAITING:
          wanted = ROUNDS_DISPUTE_FILTER_WAITING;
          break;
        case ROUNDS_DISPUTE_STATE_AGREED:
          wanted = ROUNDS_DISPUTE_FILTER_AGREED;
          break;
        case ROUNDS_DISPUTE_STATE_DISPUTED:
        default:
          wanted = ROUNDS_DISPUTE_FILTER_DISPUTED;
          break;
        }
      if (!(filter & wanted) || ((filter & ROUNDS_DISPUTE_FILTER_UNRESOLVED) && dispute->has_verdict))
        continue;

      dispute->item_key = g_strdup (item->item_key);
      dispute->title = g_strdup (item->title);
      g_ptr_array_add (disputes, g_steal_pointer (&dispute));
    }

  g_ptr_array_sort (disputes, compare_disputes);
  return g_steal_pointer (&disputes);
}

/* Verdicts ---------------------------------------------------------------------------- */

#define VERDICT_COLUMNS \
  "j.edit_id, j.revision, j.preference, j.ranking_json, j.unacceptable, j.rationale, " \
  "j.resolves_json, j.models_revealed, j.created_at, j.is_current, an.user_name, j.scores_json"

static RoundsVerdict *
verdict_from_row (sqlite3_stmt *stmt,
                  guint         n_responses)
{
  RoundsVerdict *v = rounds_verdict_new (n_responses);
  const char *ranking = (const char *) sqlite3_column_text (stmt, 3);
  const char *resolves = (const char *) sqlite3_column_text (stmt, 6);

  v->edit_id = _rounds_store_column_dup (stmt, 0);
  v->revision = sqlite3_column_int (stmt, 1);
  v->has_preference = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
  v->preference = sqlite3_column_int (stmt, 2);
  v->unacceptable = sqlite3_column_int (stmt, 4) != 0;
  v->rationale = _rounds_store_column_dup (stmt, 5);
  v->models_revealed = sqlite3_column_int (stmt, 7) != 0;
  v->created_at = _rounds_store_column_dup (stmt, 8);
  v->is_current = sqlite3_column_int (stmt, 9) != 0;
  v->reviewer = _rounds_store_column_dup (stmt, 10);
  v->scores_json = _rounds_store_column_dup (stmt, 11);

  if (ranking != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (ranking, NULL);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint r = 0; r < MIN (n_responses, json_array_get_length (array)); r++)
            v->ranks[r] = (int) json_array_get_int_element (array, r);
        }
    }

  if (resolves != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (resolves, NULL);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (json_node_get_value_type (element) == G_TYPE_STRING)
                g_strv_builder_add (builder, json_node_get_string (element));
            }
          v->resolves = g_strv_builder_end (builder);
        }
    }
  return v;
}

/* The id of @user_name, who must hold the reviewer role. */
static gint64
lookup_reviewer (RoundsStore  *self,
                 const char   *user_name,
                 GError      **error)
{
  RoundsRoles roles = ROUNDS_ROLE_NONE;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!(stmt = _rounds_store_prepare (self, "SELECT id, roles FROM annotators WHERE user_name = ?1", error)))
    return 0;
  _rounds_store_bind_text (stmt, 1, user_name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      rounds_roles_from_string ((const char *) sqlite3_column_text (stmt, 1), &roles, NULL);
    }
  else if (rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return 0;

  if (id == 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NO_PROFILE,
                   _("No profile “%s”: add it with “rounds-cli profile add %s --role reviewer”"),
                   user_name, user_name);
      return 0;
    }
  if (!(roles & ROUNDS_ROLE_REVIEWER))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a reviewer: only a profile with the reviewer role records verdicts"),
                   user_name);
      return 0;
    }
  return id;
}

/* A corrected rubric: one object per canonical response, each score an integer on its
 * criterion's scale of the dataset's rubric. */
static gboolean
check_corrected_rubric (const RoundsVerdict  *verdict,
                        RoundsDataset        *dataset,
                        GError              **error)
{
  RoundsRubric *rubric = rounds_dataset_get_rubric (dataset);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *responses;

  if (verdict->scores_json == NULL)
    return TRUE;
  root = json_from_string (verdict->scores_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (responses = json_node_get_array (root)) != verdict->n_responses)
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

          if (index < 0 || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
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
                       _("The corrected rubric must give, for each response, scores on the dataset’s criteria and scales"));
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
                           _("A verdict needs a rationale: say why, for the annotators and the record"));
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
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT edit_id FROM annotations WHERE item_id = ?1 AND is_current = 1"
                                      " AND status = 'submitted' ORDER BY edit_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
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
  return builder_to_string (builder);
}

/**
 * rounds_store_save_verdict:
 * @reviewer: a profile with the reviewer role
 * @verdict: on success its edit id, revision, created_at, reviewer and resolves are set to
 *   what was stored
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
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *detail_json = NULL;
  g_autofree char *previous_edit = NULL;
  g_autofree char *target = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *ranking_json = NULL;
  g_autofree char *resolves_json = NULL;
  g_auto(GStrv) resolves = NULL;
  g_autofree char *edit_id = NULL;
  g_autofree char *created_at = NULL;
  sqlite3_stmt *stmt;
  gint64 reviewer_id;
  int revision;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), FALSE);
  g_return_val_if_fail (reviewer != NULL, FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);
  g_return_val_if_fail (verdict->n_responses == rounds_item_get_n_responses (item), FALSE);

  if (!(dataset = rounds_store_get_dataset_by_id (self, rounds_item_get_dataset_id (item), error)) ||
      !check_verdict (verdict, dataset, error))
    return FALSE;

  if (!_rounds_store_begin (self, error))
    return FALSE;
  if (!(reviewer_id = lookup_reviewer (self, reviewer, error)))
    goto fail;

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT COALESCE (MAX (revision), 0) + 1,"
                                      " (SELECT edit_id FROM adjudications WHERE item_id = ?1 AND is_current = 1)"
                                      " FROM adjudications WHERE item_id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _rounds_store_set_sqlite_error (self, error);
      sqlite3_reset (stmt);
      goto fail;
    }
  revision = sqlite3_column_int (stmt, 0);
  previous_edit = _rounds_store_column_dup (stmt, 1);
  sqlite3_reset (stmt);

  if (verdict->resolves != NULL)
    resolves = g_strdupv (verdict->resolves);
  else if (!(resolves = current_edit_ids (self, item, error)))
    goto fail;

  edit_id = g_uuid_string_random ();
  created_at = _rounds_now_iso8601 ();
  doc_id = _rounds_doc_id ("verdict", rounds_item_get_dataset_name (item), rounds_item_get_key (item),
                           reviewer, edit_id, NULL);
  if (verdict->n_responses > 2)
    ranking_json = _rounds_judgement_ints_to_json (verdict->ranks, verdict->n_responses);
  resolves_json = strv_to_json (resolves);

  /* The new edit has the highest revision of the item, so it is the newest. */
  if (!(stmt = _rounds_store_prepare (self,
                                      "UPDATE adjudications SET is_current = 0 WHERE item_id = ?1 AND is_current = 1",
                                      error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  if (!_rounds_store_step_done (self, stmt, error))
    goto fail;

  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO adjudications (edit_id, doc_id, item_id, reviewer_id, revision,"
                                      " preference, ranking_json, unacceptable, scores_json, rationale, resolves_json,"
                                      " models_revealed, created_at, origin, is_current, synced)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?13, ?9, ?10, ?11, ?12, 'local', 1, 0)",
                                      error)))
    goto fail;
  _rounds_store_bind_text (stmt, 1, edit_id);
  _rounds_store_bind_text (stmt, 2, doc_id);
  sqlite3_bind_int64 (stmt, 3, rounds_item_get_id (item));
  sqlite3_bind_int64 (stmt, 4, reviewer_id);
  sqlite3_bind_int (stmt, 5, revision);
  if (verdict->n_responses == 2 && verdict->has_preference)
    sqlite3_bind_int (stmt, 6, verdict->preference);
  _rounds_store_bind_text (stmt, 7, ranking_json);
  sqlite3_bind_int (stmt, 8, verdict->unacceptable ? 1 : 0);
  _rounds_store_bind_text (stmt, 9, verdict->rationale);
  _rounds_store_bind_text (stmt, 10, resolves_json);
  sqlite3_bind_int (stmt, 11, verdict->models_revealed ? 1 : 0);
  _rounds_store_bind_text (stmt, 12, created_at);
  _rounds_store_bind_text (stmt, 13, verdict->scores_json);
  if (!_rounds_store_step_done (self, stmt, error))
    goto fail;

  builder = json_builder_new ();
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
  detail_json = builder_to_string (builder);
  target = item_target (item);

  if (!rounds_store_audit (self, reviewer, revision > 1 ? "verdict.revise" : "verdict.submit",
                           target, detail_json, error) ||
      !_rounds_store_commit (self, error))
    goto fail;

  g_free (verdict->edit_id);
  verdict->edit_id = g_steal_pointer (&edit_id);
  g_free (verdict->created_at);
  verdict->created_at = g_steal_pointer (&created_at);
  g_free (verdict->reviewer);
  verdict->reviewer = g_strdup (reviewer);
  g_strfreev (verdict->resolves);
  verdict->resolves = g_steal_pointer (&resolves);
  verdict->revision = revision;
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
  static const char * const origins[] = { "local", "import", "remote" };
  g_autofree char *doc_id = NULL;
  g_autofree char *ranking_json = NULL;
  g_autofree char *current_at = NULL;
  g_autofree char *current_edit = NULL;
  sqlite3_stmt *stmt;
  gint64 current_id = 0;
  int current_revision = 0;
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
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      current_id = sqlite3_column_int64 (stmt, 0);
      current_revision = sqlite3_column_int (stmt, 1);
      current_at = _rounds_store_column_dup (stmt, 2);
      current_edit = _rounds_store_column_dup (stmt, 3);
    }
  sqlite3_reset (stmt);

  newest = current_id == 0 ||
           _rounds_edit_is_newer (verdict->revision, verdict->created_at, verdict->edit_id,
                                  current_revision, current_at, current_edit);
  if (newest && current_id != 0)
    {
      if (!(stmt = _rounds_store_prepare (self, "UPDATE adjudications SET is_current = 0 WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, current_id);
      if (!_rounds_store_step_done (self, stmt, error))
        return FALSE;
    }

  doc_id = _rounds_doc_id ("verdict", rounds_item_get_dataset_name (item), rounds_item_get_key (item),
                           verdict->reviewer, verdict->edit_id, NULL);
  if (verdict->n_responses > 2 && verdict->ranks != NULL && verdict->ranks[0] > 0)
    ranking_json = _rounds_judgement_ints_to_json (verdict->ranks, verdict->n_responses);
  if (!(stmt = _rounds_store_prepare (self,
                                      "INSERT INTO adjudications (edit_id, doc_id, item_id, reviewer_id, revision,"
                                      " preference, ranking_json, unacceptable, scores_json, rationale, resolves_json,"
                                      " models_revealed, created_at, origin, is_current, synced)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                                      error)))
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
  _rounds_store_bind_text (stmt, 14, origins[origin]);
  sqlite3_bind_int (stmt, 15, newest ? 1 : 0);
  /* Pulled edits are in the curation store already; imported ones are not. */
  sqlite3_bind_int (stmt, 16, origin == ROUNDS_ORIGIN_REMOTE ? 1 : 0);
  if (!_rounds_store_step_done (self, stmt, error))
    return FALSE;
  *inserted = TRUE;
  return TRUE;
}

/* The item's current verdict, or %NULL without an error when it has none. */
RoundsVerdict *
rounds_store_get_verdict (RoundsStore  *self,
                          RoundsItem   *item,
                          GError      **error)
{
  RoundsVerdict *verdict = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT " VERDICT_COLUMNS " FROM adjudications j"
                                      " JOIN annotators an ON an.id = j.reviewer_id"
                                      " WHERE j.item_id = ?1 AND j.is_current = 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    verdict = verdict_from_row (stmt, rounds_item_get_n_responses (item));
  else if (rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return verdict;
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
  g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_verdict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), NULL);
  g_return_val_if_fail (ROUNDS_IS_ITEM (item), NULL);

  if (!(stmt = _rounds_store_prepare (self,
                                      "SELECT " VERDICT_COLUMNS " FROM adjudications j"
                                      " JOIN annotators an ON an.id = j.reviewer_id"
                                      " WHERE j.item_id = ?1 ORDER BY j.revision, j.created_at, j.edit_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rounds_item_get_id (item));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (verdicts, verdict_from_row (stmt, rounds_item_get_n_responses (item)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rounds_store_set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&verdicts);
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
    old_overlap = (guint) sqlite3_column_int (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND,
                 _("No item with id %lld"), (long long) rounds_item_get_id (item));
  else
    _rounds_store_set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    goto fail;

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
  detail_json = builder_to_string (builder);
  target = item_target (item);

  if (!rounds_store_audit (self, actor, "item.send-back", target, detail_json, error) ||
      !_rounds_store_commit (self, error))
    goto fail;

  item->overlap = new_overlap;
  return TRUE;

fail:
  _rounds_store_rollback (self);
  return FALSE;
}

/* Agreement --------------------------------------------------------------------------- */

typedef struct
{
  guint   a;
  guint   b;
  GArray *values_a;   /* double */
  GArray *values_b;
} PairData;

static void
pair_data_free (gpointer data)
{
  PairData *pair = data;

  g_array_unref (pair->values_a);
  g_array_unref (pair->values_b);
  g_free (pair);
}

static gboolean
measure (RoundsReliability       *data,
         RoundsMetric             metric,
         guint                    n_items,
         RoundsAgreementMeasure  *out,
         GError                 **error)
{
  out->n_items = n_items;
  return rounds_alpha_compute (data, metric, &out->alpha, error);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const RoundsPairAgreement *x = a;
  const RoundsPairAgreement *y = b;
  int cmp = g_strcmp0 (x->annotator_a, y->annotator_a);

  return cmp != 0 ? cmp : g_strcmp0 (x->annotator_b, y->annotator_b);
}

static inline int
sign (int value)
{
  return (value > 0) - (value < 0);
}

/**
 * rounds_store_compute_agreement:
 * @out: (out) (transfer full): the report
 *
 * Krippendorff's alpha for @dataset_id over the current submitted judgements: on the
 * preference scale (ordinal), on its direction (nominal), on rankings (ordinal), per
 * rubric criterion (interval, a unit per response of an item), and per pair of annotators
 * (ordinal alpha and Cohen's linear and quadratic kappa on their common two-response
 * items). Each measure says how many items it rests on.
 */
gboolean
rounds_store_compute_agreement (RoundsStore             *self,
                                gint64                   dataset_id,
                                RoundsAgreementReport  **out,
                                GError                 **error)
{
  g_autoptr(RoundsAgreementReport) report = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) coders = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, pair_data_free);
  g_autoptr(RoundsReliability) preference = rounds_reliability_new ();
  g_autoptr(RoundsReliability) direction = rounds_reliability_new ();
  g_autoptr(RoundsReliability) ranking = rounds_reliability_new ();
  g_autoptr(GPtrArray) criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_reliability_free);
  g_autofree guint *criterion_items = NULL;
  guint n_preference_items = 0, n_direction_items = 0, n_ranking_items = 0;
  RoundsRubric *rubric;
  guint n_criteria;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (ROUNDS_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!(dataset = rounds_store_get_dataset_by_id (self, dataset_id, error)) ||
      !(items = rounds_store_list_current_judgements (self, dataset_id, error)))
    return FALSE;
  rubric = rounds_dataset_get_rubric (dataset);
  n_criteria = rounds_rubric_get_n_criteria (rubric);
  for (guint c = 0; c < n_criteria; c++)
    g_ptr_array_add (criteria, rounds_reliability_new ());
  criterion_items = g_new0 (guint, MAX (n_criteria, 1));

  report = g_new0 (RoundsAgreementReport, 1);
  report->dataset_id = dataset_id;

  for (guint i = 0; i < items->len; i++)
    {
      RoundsItemJudgements *item = g_ptr_array_index (items, i);
      guint n = item->judgements->len;
      g_autofree guint *coder_of = g_new (guint, MAX (n, 1));
      guint n_pairs_placed = 0, n_preferences = 0;

      if (n == 0)
        continue;
      report->n_items++;
      report->n_judgements += n;

      for (guint j = 0; j < n; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
          gpointer index;

          if (!g_hash_table_lookup_extended (coders, judgement->annotator, NULL, &index))
            {
              index = GUINT_TO_POINTER (names->len);
              g_ptr_array_add (names, judgement->annotator);
              g_hash_table_insert (coders, judgement->annotator, index);
            }
          coder_of[j] = GPOINTER_TO_UINT (index);
        }

      for (guint j = 0; j < n; j++)
        {
          RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
          gint64 coder = coder_of[j];

          if (item->n_responses == 2)
            {
              if (!judgement->has_preference)
                continue;
              n_preferences++;
              rounds_reliability_add (preference, item->item_id, coder, judgement->preference);
              rounds_reliability_add (direction, UNIT (item->item_id, 0), coder, sign (judgement->preference));
            }
          else
            {
              guint p = 0;
              gboolean placed = FALSE;

              for (guint r = 0; r < item->n_responses; r++)
                if (judgement->ranks[r] > 0)
                  rounds_reliability_add (ranking, UNIT (item->item_id, r), coder, judgement->ranks[r]);
              for (guint r = 0; r < item->n_responses; r++)
                for (guint s = r + 1; s < item->n_responses; s++, p++)
                  if (judgement->ranks[r] > 0 && judgement->ranks[s] > 0)
                    {
                      rounds_reliability_add (direction, UNIT (item->item_id, p), coder,
                                              sign (judgement->ranks[r] - judgement->ranks[s]));
                      placed = TRUE;
                    }
              n_pairs_placed += placed ? 1 : 0;
            }
        }
      if (n_preferences >= 2)
        {
          n_preference_items++;
          n_direction_items++;
        }
      if (n_pairs_placed >= 2)
        {
          n_ranking_items++;
          n_direction_items++;
        }

      /* Rubric: judgements of one dataset share its rubric, in its order. */
      for (guint c = 0; c < n_criteria; c++)
        {
          gboolean pairable = FALSE;

          for (guint r = 0; r < item->n_responses; r++)
            {
              guint scored = 0;

              for (guint j = 0; j < n; j++)
                {
                  RoundsJudgement *judgement = g_ptr_array_index (item->judgements, j);
                  int score;

                  if (c >= judgement->n_criteria)
                    continue;
                  score = judgement->scores[r * judgement->n_criteria + c];
                  if (score < 0)
                    continue;
                  rounds_reliability_add (g_ptr_array_index (criteria, c), UNIT (item->item_id, r), coder_of[j], score);
                  scored++;
                }
              pairable = pairable || scored >= 2;
            }
          criterion_items[c] += pairable ? 1 : 0;
        }

      /* Annotator pairs, on two-response items both gave a preference for. */
      if (item->n_responses == 2)
        for (guint j = 0; j < n; j++)
          for (guint l = 0; l < n; l++)
            {
              RoundsJudgement *x = g_ptr_array_index (item->judgements, j);
              RoundsJudgement *y = g_ptr_array_index (item->judgements, l);
              gint64 key;
              PairData *pair;
              double vx, vy;

              if (j == l || !x->has_preference || !y->has_preference ||
                  g_strcmp0 (x->annotator, y->annotator) >= 0)
                continue;
              key = ((gint64) coder_of[j] << 32) | coder_of[l];
              if (!(pair = g_hash_table_lookup (pairs, &key)))
                {
                  pair = g_new0 (PairData, 1);
                  pair->a = coder_of[j];
                  pair->b = coder_of[l];
                  pair->values_a = g_array_new (FALSE, FALSE, sizeof (double));
                  pair->values_b = g_array_new (FALSE, FALSE, sizeof (double));
                  g_hash_table_insert (pairs, g_memdup2 (&key, sizeof key), pair);
                }
              vx = x->preference;
              vy = y->preference;
              g_array_append_val (pair->values_a, vx);
              g_array_append_val (pair->values_b, vy);
            }
    }
  report->n_annotators = names->len;

  if (!measure (preference, ROUNDS_METRIC_ORDINAL, n_preference_items, &report->preference, error) ||
      !measure (direction, ROUNDS_METRIC_NOMINAL, n_direction_items, &report->direction, error) ||
      !measure (ranking, ROUNDS_METRIC_ORDINAL, n_ranking_items, &report->ranking, error))
    return FALSE;

  report->criteria = g_array_sized_new (FALSE, TRUE, sizeof (RoundsCriterionAgreement), n_criteria);
  g_array_set_clear_func (report->criteria, criterion_agreement_clear);
  for (guint c = 0; c < n_criteria; c++)
    {
      const RoundsCriterion *criterion = rounds_rubric_get_criterion (rubric, c);
      RoundsCriterionAgreement entry = { 0 };

      entry.id = g_strdup (criterion->id);
      entry.name = g_strdup (criterion->name);
      g_array_append_val (report->criteria, entry);
      if (!measure (g_ptr_array_index (criteria, c), ROUNDS_METRIC_INTERVAL, criterion_items[c],
                    &g_array_index (report->criteria, RoundsCriterionAgreement, c).measure, error))
        return FALSE;
    }

  report->pairs = g_array_new (FALSE, TRUE, sizeof (RoundsPairAgreement));
  g_array_set_clear_func (report->pairs, pair_agreement_clear);
  g_hash_table_iter_init (&iter, pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PairData *pair = value;
      g_autoptr(RoundsReliability) data = rounds_reliability_new ();
      RoundsPairAgreement entry = { 0 };
      const double *a = (const double *) (gpointer) pair->values_a->data;
      const double *b = (const double *) (gpointer) pair->values_b->data;

      for (guint u = 0; u < pair->values_a->len; u++)
        {
          rounds_reliability_add (data, u, 0, a[u]);
          rounds_reliability_add (data, u, 1, b[u]);
        }
      entry.annotator_a = g_strdup (g_ptr_array_index (names, pair->a));
      entry.annotator_b = g_strdup (g_ptr_array_index (names, pair->b));
      entry.n_items = pair->values_a->len;
      entry.kappa_linear = rounds_kappa_compute (a, b, entry.n_items, ROUNDS_KAPPA_LINEAR, NULL);
      entry.kappa_quadratic = rounds_kappa_compute (a, b, entry.n_items, ROUNDS_KAPPA_QUADRATIC, NULL);
      g_array_append_val (report->pairs, entry);
      if (!rounds_alpha_compute (data, ROUNDS_METRIC_ORDINAL,
                                 &g_array_index (report->pairs, RoundsPairAgreement, report->pairs->len - 1).alpha,
                                 error))
        return FALSE;
    }
  g_array_sort (report->pairs, compare_pairs);

  *out = g_steal_pointer (&report);
  return TRUE;
}

/* In a thread ------------------------------------------------------------------------- */

typedef struct
{
  gint64                 dataset_id;
  RoundsDisputeFilter    filter;
  GPtrArray             *disputes;
  RoundsAgreementReport *report;
} ReviewTask;

static void
review_task_free (gpointer data)
{
  ReviewTask *task = data;

  g_clear_pointer (&task->disputes, g_ptr_array_unref);
  g_clear_pointer (&task->report, rounds_agreement_report_free);
  g_free (task);
}

static gboolean
list_disputes_thread (GTask         *task,
                      RoundsStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ReviewTask *review = data;

  review->disputes = rounds_store_list_disputes (store, review->dataset_id, review->filter, error);
  return review->disputes != NULL;
}

/**
 * rounds_review_list_disputes_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 *
 * rounds_store_list_disputes() off the main thread.
 */
void
rounds_review_list_disputes_async (const char          *db_path,
                                   gint64               dataset_id,
                                   RoundsDisputeFilter  filter,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  ReviewTask *review;

  g_return_if_fail (db_path != NULL);

  review = g_new0 (ReviewTask, 1);
  review->dataset_id = dataset_id;
  review->filter = filter;

  task = _rounds_worker_new (NULL, db_path, ROUNDS_WORKER_RETURN_ON_CANCEL, cancellable,
                             callback, user_data, rounds_review_list_disputes_async);
  _rounds_worker_run (task, list_disputes_thread, review, review_task_free);
}

/* Returns: (transfer full) (element-type RoundsDispute) */
GPtrArray *
rounds_review_list_disputes_finish (GAsyncResult  *result,
                                    GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL, rounds_review_list_disputes_async,
                                              error);

  return review != NULL ? g_steal_pointer (&review->disputes) : NULL;
}

static gboolean
compute_agreement_thread (GTask         *task,
                          RoundsStore   *store,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  ReviewTask *review = data;

  return rounds_store_compute_agreement (store, review->dataset_id, &review->report, error);
}

/**
 * rounds_review_compute_agreement_async:
 * @db_path: the store; the work opens a connection of its own in a thread
 *
 * rounds_store_compute_agreement() off the main thread.
 */
void
rounds_review_compute_agreement_async (const char          *db_path,
                                       gint64               dataset_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  ReviewTask *review;

  g_return_if_fail (db_path != NULL);

  review = g_new0 (ReviewTask, 1);
  review->dataset_id = dataset_id;

  task = _rounds_worker_new (NULL, db_path, ROUNDS_WORKER_RETURN_ON_CANCEL, cancellable,
                             callback, user_data, rounds_review_compute_agreement_async);
  _rounds_worker_run (task, compute_agreement_thread, review, review_task_free);
}

RoundsAgreementReport *
rounds_review_compute_agreement_finish (GAsyncResult  *result,
                                        GError       **error)
{
  ReviewTask *review = _rounds_worker_finish (result, NULL,
                                              rounds_review_compute_agreement_async, error);

  return review != NULL ? g_steal_pointer (&review->report) : NULL;
}
