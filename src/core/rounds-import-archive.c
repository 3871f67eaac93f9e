/* rounds-import-archive.c: judgement, verdict and audit lines, as the full archive that
 * Rounds exports has them (judgement lines also bring labels made elsewhere)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

/* Judgements and verdicts ------------------------------------------------------------- */

/* Events are read by rounds-event, strictly, as a file's lines must be. */
#define STRICT (ROUNDS_EVENT_ARCHIVE | ROUNDS_EVENT_STRICT)

/* The key of a judgement or verdict line, and the item it is about, in the line's dataset
 * (or the file's), which gives the scale and rubric the rest of the line is checked by. */
static gboolean
find_judged_item (RoundsImportRun      *run,
                  JsonObject           *object,
                  RoundsEventType       type,
                  RoundsEventKey       *key,
                  RoundsImportDataset **info,
                  RoundsItem          **item,
                  GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!_rounds_event_read_key (object, type, STRICT, key, &local_error))
    return _rounds_import_fail_with (run, error, key->field, g_steal_pointer (&local_error));
  if (key->dataset == NULL)
    key->dataset = run->header_dataset ? run->header_dataset : run->base_dataset;
  if (!(*info = _rounds_import_find_dataset (run, key->dataset, error)))
    {
      if (error && *error)
        return FALSE;
      return _rounds_import_fail (run, error, "dataset",
                                  _("no dataset “%s”: import its items first"), key->dataset);
    }
  if (!(*item = rounds_store_find_item (run->store, key->dataset, key->item, &local_error)))
    return _rounds_import_fail (run, error, "item",
                                _("no item “%s” in dataset “%s”: import its items first"),
                                key->item, key->dataset);
  if (rounds_item_get_n_responses (*item) < 2)
    {
      g_clear_object (item);
      return _rounds_import_fail (run, error, "item",
                                  _("item “%s” of dataset “%s” awaits its responses: it cannot "
                                    "be judged yet"),
                                  key->item, key->dataset);
    }
  key->scale_k = (*info)->scale_k;
  key->rubric = (*info)->rubric;
  return TRUE;
}

gboolean
_rounds_import_archive_judgement (RoundsImportRun  *run,
                                  JsonObject       *object,
                                  GError          **error)
{
  g_auto(RoundsEventKey) key = { 0 };
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) j = NULL;
  g_autoptr(GError) local_error = NULL;
  RoundsImportDataset *info;
  gint64 annotator_id;
  gboolean inserted;

  if (!find_judged_item (run, object, ROUNDS_EVENT_JUDGEMENT, &key, &info, &item, error))
    return FALSE;
  if (!(j = _rounds_event_read_judgement (object, &key, item, info->rubric, STRICT,
                                          &local_error)))
    return _rounds_import_fail_with (run, error, key.field, g_steal_pointer (&local_error));
  if (!(annotator_id = _rounds_store_ensure_annotator (run->store, j->annotator, &local_error)))
    return _rounds_import_fail_with (run, error, NULL, g_steal_pointer (&local_error));
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

/* A reviewer's verdict edit, as the full export writes it. Edits are immutable: one
 * that is there already is left alone. */
gboolean
_rounds_import_archive_verdict (RoundsImportRun  *run,
                                JsonObject       *object,
                                GError          **error)
{
  g_auto(RoundsEventKey) key = { 0 };
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *resolves_json = NULL;
  RoundsImportDataset *info;
  gint64 reviewer_id;
  gboolean inserted;

  if (!find_judged_item (run, object, ROUNDS_EVENT_VERDICT, &key, &info, &item, error))
    return FALSE;
  if (!(verdict = _rounds_event_read_verdict (object, &key, item, STRICT, &resolves_json,
                                              &local_error)))
    return _rounds_import_fail_with (run, error, key.field, g_steal_pointer (&local_error));
  if (!(reviewer_id = _rounds_store_ensure_annotator (run->store, verdict->reviewer,
                                                      &local_error)))
    return _rounds_import_fail_with (run, error, NULL, g_steal_pointer (&local_error));
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
  g_autoptr(GDateTime) parsed = NULL;
  RoundsImportRecord record = { run, object, NULL };
  JsonNode *detail = NULL;

  if (!_rounds_import_check_members (&record, allowed, error) ||
      !_rounds_import_get_string (&record, "at", TRUE, &at, error) ||
      !_rounds_import_get_string (&record, "actor", FALSE, &actor, error) ||
      !_rounds_import_get_string (&record, "action", TRUE, &action, error) ||
      !_rounds_import_get_string (&record, "target", FALSE, &target, error) ||
      !_rounds_import_get_object (&record, "detail", &detail, error))
    return FALSE;
  detail_json = _rounds_import_node_to_json (detail);
  g_clear_pointer (&detail, json_node_unref);
  /* As the store keeps times: UTC with milliseconds. */
  if (!(parsed = g_date_time_new_from_iso8601 (at, NULL)))
    return _rounds_import_fail (run, error, "at",
                                _("expected an ISO 8601 time such as 2026-10-01T09:30:00Z"));
  time = _rounds_format_iso8601 (parsed);

  if (!_rounds_store_add_audit (run->store, time, actor, action, target, detail_json, TRUE,
                                error))
    return FALSE;
  if (sqlite3_changes (_rounds_store_get_db (run->store)) > 0)
    run->result.n_audit_added++;
  return TRUE;
}
