/* rounds-import-archive.c: judgement, verdict and audit lines, as the full archive that
 * Rounds exports has them (judgement lines also bring labels made elsewhere)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-importer-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Judgements -------------------------------------------------------------------------- */

static int
response_index (RoundsImportRun  *run,
                RoundsItem       *item,
                const char       *key,
                const char       *field,
                GError          **error)
{
  int index = rounds_item_find_response (item, key);

  if (index < 0)
    _rounds_import_fail (run, error, field, _("item “%s” has no response “%s”"),
                         rounds_item_get_key (item), key);
  return index;
}

static gboolean
parse_preference (RoundsImportRun  *run,
                  JsonNode         *node,
                  int               k,
                  int              *preference,
                  GError          **error)
{
  static const char * const names[] = {
    "a-much-better", "a-better", "tie", "b-better", "b-much-better"
  };

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value < -k || value > k)
        return _rounds_import_fail (run, error, "preference",
                                    _("expected an integer from %d (the first response much "
                                      "better) to %d"),
                                    -k, k);
      *preference = (int) value;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    for (int i = 0; i < (int) G_N_ELEMENTS (names); i++)
      if (g_strcmp0 (json_node_get_string (node), names[i]) == 0)
        {
          /* The names are the points rounds_preference_get_label() calls so: "much
           * better" is the far end, "better" the point before it (on a 7-point scale ±1
           * is "somewhat better"); on a 3-point scale both are ±1. */
          int value = i - 2;

          if (k == 1 || value == 0)
            *preference = CLAMP (value, -1, 1);
          else if (ABS (value) == 2)
            *preference = value < 0 ? -k : k;
          else
            *preference = value * (k - 1);
          return TRUE;
        }
  return _rounds_import_fail (run, error, "preference",
                              _("expected an integer from %d to %d, or one of a-much-better, "
                                "a-better, tie, b-better, b-much-better"),
                              -k, k);
}

/* A map from response id to something, such as "scores": {"a": {…}}. */
static gboolean
for_each_response (RoundsImportRun  *run,
                   JsonObject       *object,
                   const char       *member,
                   RoundsItem       *item,
                   JsonObject      **out,
                   GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GList) keys = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _rounds_import_fail (run, error, member, _("expected an object keyed by response id"));
  keys = json_object_get_members (json_node_get_object (node));
  for (const GList *l = keys; l; l = l->next)
    {
      g_autofree char *field = g_strdup_printf ("%s.%s", member, (const char *) l->data);

      if (response_index (run, item, l->data, field, error) < 0)
        return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* An ISO 8601 time as the store keeps it: UTC with milliseconds. No time is the epoch. */
static gboolean
normalise_time (RoundsImportRun  *run,
                const char       *field,
                const char       *text,
                char            **out,
                GError          **error)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL)
    {
      *out = g_strdup ("1970-01-01T00:00:00.000Z");
      return TRUE;
    }
  if (!(parsed = g_date_time_new_from_iso8601 (text, NULL)))
    return _rounds_import_fail (run, error, field,
                                _("expected an ISO 8601 time such as 2026-10-01T09:30:00Z"));
  *out = _rounds_format_iso8601 (parsed);
  return TRUE;
}

/* "ranking": {"a": 1, "b": 2, "c": 3}, by response id, for items of three or more. */
static gboolean
parse_ranking (RoundsImportRun  *run,
               JsonObject       *object,
               RoundsItem       *item,
               const char       *item_key,
               int              *ranks,
               GError          **error)
{
  JsonNode *node;
  guint n = rounds_item_get_n_responses (item);

  if ((node = json_object_get_member (object, "ranking")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *ranking;
      g_autoptr(GList) keys = NULL;

      if (n == 2)
        return _rounds_import_fail (run, error, "ranking",
                                    _("item “%s” has two responses: give a “preference”"),
                                    item_key);
      if (!for_each_response (run, object, "ranking", item, &ranking, error))
        return FALSE;
      keys = json_object_get_members (ranking);
      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("ranking.%s", (const char *) l->data);
          JsonNode *rank = json_object_get_member (ranking, l->data);

          if (json_node_get_value_type (rank) != G_TYPE_INT64 ||
              json_node_get_int (rank) < 1 || json_node_get_int (rank) > n)
            return _rounds_import_fail (run, error, field,
                                        _("expected a rank from 1 (best) to %u"), n);
          ranks[rounds_item_find_response (item, l->data)] = (int) json_node_get_int (rank);
        }
    }
  return TRUE;
}

/* "scores": {"a": {"accuracy": 4, …}, …}, checked against the dataset's rubric. */
static gboolean
parse_scores (RoundsImportRun      *run,
              JsonObject           *object,
              RoundsItem           *item,
              RoundsImportDataset  *info,
              RoundsJudgement      *j,
              GError              **error)
{
  JsonObject *scores;

  if (!for_each_response (run, object, "scores", item, &scores, error))
    return FALSE;
  if (scores != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (scores);

      for (const GList *l = keys; l; l = l->next)
        {
          JsonNode *per = json_object_get_member (scores, l->data);
          g_autoptr(GList) criteria = NULL;
          int r = rounds_item_find_response (item, l->data);

          if (!JSON_NODE_HOLDS_OBJECT (per))
            {
              g_autofree char *field = g_strdup_printf ("scores.%s", (const char *) l->data);

              return _rounds_import_fail (run, error, field,
                                          _("expected an object from criterion to score"));
            }
          criteria = json_object_get_members (json_node_get_object (per));
          for (const GList *c = criteria; c; c = c->next)
            {
              g_autofree char *field = g_strdup_printf ("scores.%s.%s", (const char *) l->data,
                                                        (const char *) c->data);
              JsonNode *value = json_object_get_member (json_node_get_object (per), c->data);
              int index = rounds_rubric_find (info->rubric, c->data);
              const RoundsCriterion *criterion;

              if (index < 0)
                return _rounds_import_fail (run, error, field,
                                            _("the dataset’s rubric has no criterion “%s”"),
                                            (const char *) c->data);
              criterion = rounds_rubric_get_criterion (info->rubric, index);
              if (json_node_get_value_type (value) != G_TYPE_INT64 ||
                  json_node_get_int (value) < criterion->min ||
                  json_node_get_int (value) > criterion->max)
                return _rounds_import_fail (run, error, field,
                                            _("expected an integer from %d to %d"),
                                            criterion->min, criterion->max);
              *rounds_judgement_score (j, r, index) = (int) json_node_get_int (value);
            }
        }
    }
  return TRUE;
}

/* The item a judgement or verdict line is about, in the line's dataset (or the file's),
 * and the user who made it, checked. */
static gboolean
find_judged_item (RoundsImportRun      *run,
                  char                **dataset,
                  const char           *item_key,
                  const char           *user_field,
                  const char           *user,
                  RoundsImportDataset **info,
                  RoundsItem          **item,
                  GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  if (*dataset == NULL)
    *dataset = g_strdup (run->header_dataset ? run->header_dataset : run->base_dataset);
  if (!(*info = _rounds_import_find_dataset (run, *dataset, error)))
    {
      if (error && *error)
        return FALSE;
      return _rounds_import_fail (run, error, "dataset",
                                  _("no dataset “%s”: import its items first"), *dataset);
    }
  if (!(*item = rounds_store_find_item (run->store, *dataset, item_key, &local_error)))
    return _rounds_import_fail (run, error, "item",
                                _("no item “%s” in dataset “%s”: import its items first"),
                                item_key, *dataset);
  if (!rounds_user_name_is_valid (user, NULL))
    return _rounds_import_fail (run, error, user_field,
                                _("“%s” is not a user name: use letters, digits, “.”, "
                                  "“_”, “@” or “-”"),
                                user);
  return TRUE;
}

static gboolean
get_bool (RoundsImportRun  *run,
          JsonObject       *object,
          const char       *member,
          gboolean         *out,
          GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _rounds_import_fail (run, error, member, _("expected true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* "preference", for an item of two responses only. */
static gboolean
get_preference (RoundsImportRun      *run,
                JsonObject           *object,
                const char           *item_key,
                guint                 n,
                RoundsImportDataset  *info,
                gboolean             *has_preference,
                int                  *preference,
                GError              **error)
{
  JsonNode *node = json_object_get_member (object, "preference");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (n != 2)
    return _rounds_import_fail (run, error, "preference",
                                _("item “%s” has %u responses: give a “ranking”"),
                                item_key, n);
  if (!parse_preference (run, node, info->scale_k, preference, error))
    return FALSE;
  *has_preference = TRUE;
  return TRUE;
}

/* The judgement of a judgement line, checked against the item it is about, which is looked up
 * (with its dataset) on the way. The archive's one decoder of judgements. */
static gboolean
judgement_from_json (RoundsImportRun       *run,
                     JsonObject            *object,
                     RoundsItem           **item_out,
                     RoundsImportDataset  **info_out,
                     RoundsJudgement      **judgement_out,
                     GError               **error)
{
  static const char * const allowed[] = {
    "type", "dataset", "item", "annotator", "status", "preference", "ranking", "unacceptable",
    "scores", "flags", "comment", "notes", "skip_reason", "shown_order", "time_spent_ms",
    "created_at", "revision", "edit", NULL
  };
  g_autofree char *dataset = NULL, *item_key = NULL, *annotator = NULL, *status = NULL;
  g_autofree char *edit = NULL, *created_at = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) j = NULL;
  JsonObject *flags, *notes;
  JsonNode *node;
  RoundsImportDataset *info;
  gint64 revision = 1, time_spent = 0;
  guint n;

  if (!_rounds_import_check_members (run, object, allowed, error) ||
      !_rounds_import_get_key (run, object, "dataset", "dataset", FALSE, &dataset, error) ||
      !_rounds_import_get_key (run, object, "item", "item", TRUE, &item_key, error) ||
      !_rounds_import_get_key (run, object, "annotator", "annotator", TRUE, &annotator, error) ||
      !_rounds_import_get_string (run, object, "status", "status", FALSE, &status, error) ||
      !_rounds_import_get_key (run, object, "edit", "edit", FALSE, &edit, error) ||
      !_rounds_import_get_string (run, object, "created_at", "created_at", FALSE, &created_at,
                                  error) ||
      !_rounds_import_get_int (run, object, "revision", "revision", 1, G_MAXINT, &revision,
                               error) ||
      !_rounds_import_get_int (run, object, "time_spent_ms", "time_spent_ms", 0, G_MAXINT64,
                               &time_spent, error))
    return FALSE;

  if (!find_judged_item (run, &dataset, item_key, "annotator", annotator, &info, &item, error))
    return FALSE;

  n = rounds_item_get_n_responses (item);
  j = rounds_judgement_new (n, info->rubric);
  j->status = ROUNDS_STATUS_SUBMITTED;
  if (status != NULL &&
      (!rounds_status_from_string (status, &j->status) || j->status == ROUNDS_STATUS_DRAFT))
    return _rounds_import_fail (run, error, "status",
                                _("expected “submitted” or “skipped”"));
  j->revision = (int) revision;
  j->time_spent_ms = time_spent;

  if (!get_bool (run, object, "unacceptable", &j->unacceptable, error) ||
      !get_preference (run, object, item_key, n, info, &j->has_preference, &j->preference,
                       error) ||
      !parse_ranking (run, object, item, item_key, j->ranks, error))
    return FALSE;

  if (j->status == ROUNDS_STATUS_SUBMITTED && !rounds_judgement_has_verdict (j))
    return _rounds_import_fail (run, error, n == 2 ? "preference" : "ranking",
                                n == 2 ? _("missing: a submitted judgement needs a preference, "
                                           "or “unacceptable”: true")
                                       : _("every response must be ranked, or “unacceptable”: "
                                           "true"));

  if (!parse_scores (run, object, item, info, j, error))
    return FALSE;

  if (!for_each_response (run, object, "flags", item, &flags, error))
    return FALSE;
  if (flags != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (flags);

      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("flags.%s", (const char *) l->data);
          JsonNode *list = json_object_get_member (flags, l->data);
          int r = rounds_item_find_response (item, l->data);

          if (!JSON_NODE_HOLDS_ARRAY (list))
            return _rounds_import_fail (run, error, field, _("expected a list of flags"));
          for (guint f = 0; f < json_array_get_length (json_node_get_array (list)); f++)
            {
              JsonNode *element = json_array_get_element (json_node_get_array (list), f);
              const char *name = _rounds_import_node_string (element);
              RoundsFlags flag = rounds_flag_from_string (name);

              if (name == NULL)
                return _rounds_import_fail (run, error, field,
                                            _("expected a list of flag names"));
              if (flag == ROUNDS_FLAG_NONE)
                return _rounds_import_fail (run, error, field,
                                            _("unknown flag “%s”: use unsafe, factually-wrong, "
                                              "outdated, privacy or bias"),
                                            name ? name : "");
              j->flags[r] |= flag;
            }
        }
    }

  if (!for_each_response (run, object, "notes", item, &notes, error))
    return FALSE;
  if (notes != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (notes);

      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("notes.%s", (const char *) l->data);
          char *text = NULL;

          if (!_rounds_import_get_string (run, notes, l->data, field, FALSE, &text, error))
            return FALSE;
          j->notes[rounds_item_find_response (item, l->data)] = text;
        }
    }

  if (!_rounds_import_get_string (run, object, "comment", "comment", FALSE, &j->comment,
                                  error) ||
      !_rounds_import_get_string (run, object, "skip_reason", "skip_reason", FALSE,
                                  &j->skip_reason, error))
    return FALSE;

  if ((node = json_object_get_member (object, "shown_order")) != NULL)
    {
      guint seen = 0;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != n)
        return _rounds_import_fail (run, error, "shown_order",
                                    _("expected a list of the %u response ids"), n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *field = g_strdup_printf ("shown_order[%u]", i);
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          const char *key = _rounds_import_node_string (element);
          int r;

          if (key == NULL)
            return _rounds_import_fail (run, error, field, _("expected a response id"));
          if ((r = response_index (run, item, key, field, error)) < 0)
            return FALSE;
          if (seen & (1u << r))
            return _rounds_import_fail (run, error, field, _("response “%s” is listed twice"),
                                        key);
          seen |= 1u << r;
          j->shown_order[i] = (guint) r;
        }
    }

  if (!normalise_time (run, "created_at", created_at, &j->created_at, error))
    return FALSE;

  j->annotator = g_strdup (annotator);
  if (edit != NULL)
    j->edit_id = g_steal_pointer (&edit);
  else
    {
      /* Derived from the content, so the same line imported twice is the same edit. */
      g_autoptr(JsonNode) record = json_node_init_object (json_node_alloc (), object);
      g_autofree char *line = json_to_string (record, FALSE);
      g_autofree char *input = g_strjoin ("\x1f", dataset, line, NULL);
      g_autofree char *hash = _rounds_sha256_hex (input, -1);

      j->edit_id = g_strdup_printf ("import-%.32s", hash);
    }

  *item_out = g_steal_pointer (&item);
  *info_out = info;
  *judgement_out = g_steal_pointer (&j);
  return TRUE;
}

gboolean
_rounds_import_archive_judgement (RoundsImportRun  *run,
                                  JsonObject       *object,
                                  GError          **error)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) j = NULL;
  g_autoptr(GError) local_error = NULL;
  RoundsImportDataset *info;
  gint64 annotator_id;
  gboolean inserted;

  if (!judgement_from_json (run, object, &item, &info, &j, error))
    return FALSE;
  if (!(annotator_id = _rounds_store_ensure_annotator (run->store, j->annotator, &local_error)))
    return _rounds_import_fail_with (run, error, g_steal_pointer (&local_error));
  if (!_rounds_store_insert_judgement (run->store, item, annotator_id, j, ROUNDS_ORIGIN_IMPORT,
                                      &inserted, error))
    return FALSE;

  info->has_judgements = TRUE;
  if (inserted)
    run->result.n_judgements_added++;
  else
    run->result.n_judgements_unchanged++;
  return TRUE;
}

/* The verdict of a verdict line, and the judgement edits it resolves as JSON, checked against
 * the item it is about. The archive's one decoder of verdicts. */
static gboolean
verdict_from_json (RoundsImportRun  *run,
                   JsonObject       *object,
                   RoundsItem      **item_out,
                   RoundsVerdict   **verdict_out,
                   char            **resolves_out,
                   GError          **error)
{
  static const char * const allowed[] = {
    "type", "dataset", "item", "reviewer", "edit", "revision", "preference", "ranking",
    "unacceptable", "scores", "rationale", "resolves", "models_revealed", "created_at", NULL
  };
  g_autofree char *dataset = NULL, *item_key = NULL, *reviewer = NULL, *edit = NULL;
  g_autofree char *created_at = NULL, *resolves_json = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) scores = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  JsonNode *node;
  RoundsImportDataset *info;
  gint64 revision = 1;
  guint n;

  if (!_rounds_import_check_members (run, object, allowed, error) ||
      !_rounds_import_get_key (run, object, "dataset", "dataset", FALSE, &dataset, error) ||
      !_rounds_import_get_key (run, object, "item", "item", TRUE, &item_key, error) ||
      !_rounds_import_get_key (run, object, "reviewer", "reviewer", TRUE, &reviewer, error) ||
      !_rounds_import_get_key (run, object, "edit", "edit", TRUE, &edit, error) ||
      !_rounds_import_get_string (run, object, "created_at", "created_at", TRUE, &created_at,
                                  error) ||
      !_rounds_import_get_int (run, object, "revision", "revision", 1, G_MAXINT, &revision,
                               error))
    return FALSE;

  if (!find_judged_item (run, &dataset, item_key, "reviewer", reviewer, &info, &item, error))
    return FALSE;

  n = rounds_item_get_n_responses (item);
  verdict = rounds_verdict_new (n);
  verdict->revision = (int) revision;
  verdict->edit_id = g_steal_pointer (&edit);
  verdict->reviewer = g_strdup (reviewer);
  if (!normalise_time (run, "created_at", created_at, &verdict->created_at, error) ||
      !_rounds_import_get_string (run, object, "rationale", "rationale", TRUE,
                                  &verdict->rationale, error))
    return FALSE;
  {
    g_autofree char *stripped = g_strstrip (g_strdup (verdict->rationale));

    if (*stripped == '\0')
      return _rounds_import_fail (run, error, "rationale", _("a verdict needs a rationale"));
  }
  if (!get_bool (run, object, "unacceptable", &verdict->unacceptable, error) ||
      !get_bool (run, object, "models_revealed", &verdict->models_revealed, error) ||
      !get_preference (run, object, item_key, n, info, &verdict->has_preference,
                       &verdict->preference, error) ||
      !parse_ranking (run, object, item, item_key, verdict->ranks, error))
    return FALSE;
  if (!verdict->has_preference && !verdict->unacceptable && (n == 2 || verdict->ranks[0] == 0))
    return _rounds_import_fail (run, error, n == 2 ? "preference" : "ranking",
                                _("missing: a verdict needs a preference, a ranking or "
                                  "“unacceptable”: true"));

  scores = rounds_judgement_new (n, info->rubric);
  if (!parse_scores (run, object, item, info, scores, error))
    return FALSE;
  verdict->scores_json = _rounds_judgement_scores_to_json (scores);

  if ((node = json_object_get_member (object, "resolves")) != NULL &&
      !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        if (_rounds_import_node_string (json_array_get_element (array, i)) == NULL)
          array = NULL;
      if (array == NULL)
        return _rounds_import_fail (run, error, "resolves",
                                    _("expected a list of judgement edit ids"));
      resolves_json = json_to_string (node, FALSE);
    }

  *item_out = g_steal_pointer (&item);
  *verdict_out = g_steal_pointer (&verdict);
  *resolves_out = g_steal_pointer (&resolves_json);
  return TRUE;
}

/* A reviewer's verdict edit, as the full export writes it. Edits are immutable: one
 * that is there already is left alone. */
gboolean
_rounds_import_archive_verdict (RoundsImportRun  *run,
                                JsonObject       *object,
                                GError          **error)
{
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *resolves_json = NULL;
  gint64 reviewer_id;
  gboolean inserted;

  if (!verdict_from_json (run, object, &item, &verdict, &resolves_json, error))
    return FALSE;
  if (!(reviewer_id = _rounds_store_ensure_annotator (run->store, verdict->reviewer,
                                                      &local_error)))
    return _rounds_import_fail_with (run, error, g_steal_pointer (&local_error));
  if (!_rounds_store_insert_verdict (run->store, item, reviewer_id, verdict, resolves_json,
                                     ROUNDS_ORIGIN_IMPORT, &inserted, error))
    return FALSE;
  if (inserted)
    run->result.n_verdicts_added++;
  else
    run->result.n_verdicts_unchanged++;
  return TRUE;
}

/* A fact of the audit trail, as the full export writes it. The log is append-only, so a
 * fact is added once: the same line imported again changes nothing. */
gboolean
_rounds_import_archive_audit (RoundsImportRun  *run,
                              JsonObject       *object,
                              GError          **error)
{
  static const char * const allowed[] = {
    "type", "at", "actor", "action", "target", "detail", NULL
  };
  g_autofree char *at = NULL, *actor = NULL, *action = NULL, *target = NULL, *detail_json = NULL;
  g_autofree char *time = NULL;
  JsonNode *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!_rounds_import_check_members (run, object, allowed, error) ||
      !_rounds_import_get_string (run, object, "at", "at", TRUE, &at, error) ||
      !_rounds_import_get_string (run, object, "actor", "actor", FALSE, &actor, error) ||
      !_rounds_import_get_string (run, object, "action", "action", TRUE, &action, error) ||
      !_rounds_import_get_string (run, object, "target", "target", FALSE, &target, error) ||
      !_rounds_import_get_object (run, object, "detail", "detail", &detail, error))
    return FALSE;
  if (detail != NULL)
    detail_json = json_to_string (detail, FALSE);
  g_clear_pointer (&detail, json_node_unref);
  if (!normalise_time (run, "at", at, &time, error))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT 1 FROM audit_log"
                                      " WHERE at = ?1 AND actor IS ?2 AND action = ?3"
                                      " AND target IS ?4 AND detail_json IS ?5", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, time);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO audit_log"
                                      " (at, actor, action, target, detail_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, time);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  run->result.n_audit_added++;
  return TRUE;
}
