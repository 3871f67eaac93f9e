/* rounds-sync-push.c: sending the outbox to the curation store through _bulk_docs
 *
 * Results are matched by id. An answer that never came (a timeout, a reset) means the
 * outcome is unknown, so the same batch is sent again: an event that is there already
 * comes back as a conflict, and counts as pushed when the stored copy is ours. Datasets and
 * items are mutable documents with revision checks; a conflict on one is listed, never
 * settled silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-sync-private.h"

/* Results ----------------------------------------------------------------------------- */

/* Whether the store's copy is ours: the same members, leaving out _rev and the like. */
static gboolean
same_content (JsonObject *ours,
              JsonObject *theirs)
{
  g_autoptr(GList) members = NULL;
  guint n_ours = 0, n_theirs = 0;

  members = json_object_get_members (ours);
  for (const GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node;

      if (*name == '_')
        continue;
      n_ours++;
      node = json_object_get_member (theirs, name);
      if (node == NULL || !json_node_equal (json_object_get_member (ours, name), node))
        return FALSE;
    }
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (theirs);
  for (const GList *l = members; l; l = l->next)
    if (*(const char *) l->data != '_')
      n_theirs++;
  return n_ours == n_theirs;
}

/* The objects of @array by their string @member: a server's rows and results come in any
 * order. The table borrows from @array. */
static GHashTable *
index_objects (JsonArray  *array,
               const char *member)
{
  GHashTable *by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = _rounds_event_get_string (json_node_get_object (element), member);
      if (id != NULL)
        g_hash_table_insert (by_id, (gpointer) id, json_node_get_object (element));
    }
  return by_id;
}

/* What became of one document of a batch. */
typedef struct
{
  enum { OUTCOME_UNKNOWN, OUTCOME_PUSHED, OUTCOME_PROBLEM } outcome;
  char               *rev;
  RoundsSyncProblem  *problem;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->rev);
  rounds_sync_problem_free (outcome->problem);
}

static void
set_problem (Outcome               *outcome,
             RoundsSyncProblemKind  kind,
             const char            *doc_id,
             const char            *err,
             const char            *reason,
             const char            *server_rev)
{
  outcome->outcome = OUTCOME_PROBLEM;
  outcome->problem = _rounds_sync_problem_new (kind, doc_id, err, reason, server_rev);
}

/* Why a document that is in the store in another version stays here. */
static const char *
conflict_reason (Kind kind)
{
  switch (kind)
    {
    case KIND_DATASET:
      return _("The dataset was changed in the store since this copy was published or "
               "pulled; this copy is kept here until you choose one");
    case KIND_ITEM:
      return _("The item was changed in the store since this copy was published or pulled; "
               "this copy is kept here until you choose one");
    case KIND_JUDGEMENT:
    case KIND_VERDICT:
    case KIND_PROFILE:
    case N_KINDS:
    default:
      return _("A different document with this id is in the store; this edit stays here");
    }
}

/* A profile is its owner's alone: the newest save wins, on top of the store's revision. */
static void
put_profile (Run         *run,
             Outgoing    *out,
             const char  *server_rev,
             Outcome     *outcome)
{
  g_autoptr(GError) local_error = NULL;
  char *rev;

  if (server_rev != NULL)
    json_object_set_string_member (out->doc, "_rev", server_rev);
  else if (json_object_has_member (out->doc, "_rev"))
    json_object_remove_member (out->doc, "_rev");
  if ((rev = rounds_couch_put_doc (run->couch, out->doc_id, out->doc, run->cancellable,
                                   &local_error)))
    {
      outcome->outcome = OUTCOME_PUSHED;
      outcome->rev = rev;
    }
  else
    g_debug ("%s: %s", out->doc_id, local_error->message);
}

/* Looks at the store's copies of the documents whose outcome is not known yet: a conflict,
 * or no result at all. One that is ours went through on an earlier try (the answer was
 * lost). Network only: the local transaction comes after, so the app never waits on it. */
static gboolean
verify (Run       *run,
        Outgoing **docs,
        Outcome   *outcomes,
        guint      n,
        GError   **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GHashTable) by_id = NULL;

  for (guint i = 0; i < n; i++)
    if (outcomes[i].outcome == OUTCOME_UNKNOWN)
      g_ptr_array_add (keys, docs[i]->doc_id);
  if (keys->len == 0)
    return TRUE;
  g_ptr_array_add (keys, NULL);

  if (!(rows = rounds_couch_all_docs (run->couch, (const char * const *) keys->pdata, TRUE,
                                      run->cancellable, error)))
    return FALSE;
  by_id = index_objects (rows, "key");

  for (guint i = 0; i < n; i++)
    {
      Outgoing *out = docs[i];
      Outcome *outcome = &outcomes[i];
      JsonObject *row = g_hash_table_lookup (by_id, out->doc_id);
      JsonObject *stored = NULL;
      const char *server_rev = NULL;

      if (outcome->outcome != OUTCOME_UNKNOWN)
        continue;
      if (row != NULL && (stored = _rounds_event_get_object (row, "doc")) != NULL)
        server_rev = _rounds_event_get_string (stored, "_rev");

      if (stored != NULL && same_content (out->doc, stored))
        {
          outcome->outcome = OUTCOME_PUSHED;
          outcome->rev = g_strdup (server_rev);
          continue;
        }

      if (out->kind == KIND_PROFILE)
        put_profile (run, out, server_rev, outcome);
      else if (stored == NULL)
        g_debug ("%s: no answer and not in the store; it stays %s", out->doc_id,
                 out->kind == KIND_DATASET || out->kind == KIND_ITEM ? "unpublished"
                                                                     : "in the outbox");
      else
        set_problem (outcome, ROUNDS_SYNC_PROBLEM_CONFLICT, out->doc_id, "conflict",
                     conflict_reason (out->kind), server_rev);
    }
  return TRUE;
}

/* Applies the per-document results of one _bulk_docs, matched by id, not by position:
 * a server may list the errors first. */
static gboolean
apply_results (Run        *run,
               Outgoing  **docs,
               guint       n,
               JsonArray  *results,
               GError    **error)
{
  g_autoptr(GHashTable) by_id = index_objects (results, "id");
  g_autofree Outcome *outcomes = g_new0 (Outcome, n);
  guint n_pushed = 0;
  gboolean ok = FALSE;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *result = g_hash_table_lookup (by_id, docs[i]->doc_id);
      const char *err, *reason, *rev;

      if (result == NULL)
        continue;
      err = _rounds_event_get_string (result, "error");
      reason = _rounds_event_get_string (result, "reason");
      rev = _rounds_event_get_string (result, "rev");

      if (err == NULL && rev != NULL)
        {
          outcomes[i].outcome = OUTCOME_PUSHED;
          outcomes[i].rev = g_strdup (rev);
        }
      else if (g_strcmp0 (err, "conflict") == 0)
        ;
      else if (g_strcmp0 (err, "forbidden") == 0 || g_strcmp0 (err, "unauthorized") == 0)
        set_problem (&outcomes[i], ROUNDS_SYNC_PROBLEM_FORBIDDEN, docs[i]->doc_id, err, reason,
                     NULL);
      else if (err == NULL)
        /* A member of the wrong type reads as missing: the document stays in the outbox. */
        set_problem (&outcomes[i], ROUNDS_SYNC_PROBLEM_REJECTED, docs[i]->doc_id, "unreadable",
                     _("The store's result for this document has neither a revision nor an "
                       "error; it stays here"), NULL);
      else
        set_problem (&outcomes[i], ROUNDS_SYNC_PROBLEM_REJECTED, docs[i]->doc_id, err,
                     reason ? reason : _("The store gave no result for this document"), NULL);
    }

  if (!verify (run, docs, outcomes, n, error))
    goto out;

  if (!_rounds_store_begin (run->store, error))
    goto out;
  for (guint i = 0; i < n; i++)
    {
      gboolean done = TRUE;

      if (outcomes[i].outcome == OUTCOME_PUSHED)
        {
          done = _rounds_sync_mark_pushed (run, docs[i], outcomes[i].rev, error);
          n_pushed++;
        }
      else if (outcomes[i].outcome == OUTCOME_PROBLEM)
        done = _rounds_sync_persist_problem (run, outcomes[i].problem, error);
      if (!done)
        {
          _rounds_store_rollback (run->store);
          goto out;
        }
    }
  if (!(ok = _rounds_store_commit (run->store, error)))
    {
      _rounds_store_rollback (run->store);
      goto out;
    }

  /* Counted once committed: a batch that goes again is not counted twice. */
  run->result->n_pushed += n_pushed;
  for (guint i = 0; i < n; i++)
    if (outcomes[i].problem != NULL)
      _rounds_sync_list_problem (run, g_steal_pointer (&outcomes[i].problem));

out:
  for (guint i = 0; i < n; i++)
    outcome_clear (&outcomes[i]);
  return ok;
}


/* Sends @n documents; on 413 in halves, on an unknown outcome again, the same batch. */
static gboolean
push_docs (Run        *run,
           Outgoing  **docs,
           guint       n,
           GError    **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < n; i++)
    json_array_add_object_element (array, json_object_ref (docs[i]->doc));

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonArray) results = NULL;

      results = rounds_couch_bulk_docs (run->couch, array, run->cancellable, &local_error);
      /* Checking the unsure ones may fail the same ways: then the batch goes again. */
      if (results != NULL && apply_results (run, docs, n, results, &local_error))
        return TRUE;

      if (results == NULL &&
          g_error_matches (local_error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_TOO_LARGE))
        {
          guint half = n / 2;

          if (n == 1)
            {
              gboolean ok;

              if (!_rounds_store_begin (run->store, error))
                return FALSE;
              if (!(ok = _rounds_sync_record_problem (run, ROUNDS_SYNC_PROBLEM_REJECTED,
                                                      docs[0]->doc_id, "too_large",
                                                      _("The document is larger than the "
                                                        "store takes"), NULL, error) &&
                         _rounds_store_commit (run->store, error)))
                _rounds_store_rollback (run->store);
              return ok;
            }
          run->batch_size = MAX (1, half);
          g_debug ("413 for %u documents: sending %u and %u", n, half, n - half);
          return push_docs (run, docs, half, error) &&
                 push_docs (run, docs + half, n - half, error);
        }

      if (!_rounds_sync_is_transient (local_error) || attempt >= run->config->attempts)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Sending %u documents again (try %u): %s", n, attempt + 1, local_error->message);
      if (!_rounds_sync_back_off (run, attempt, error))
        return FALSE;
    }
}

gboolean
_rounds_sync_push (Run     *run,
                   GError **error)
{
  if (run->profile == NULL)
    {
      g_debug ("No local profile to push for");
      return TRUE;
    }
  if (!_rounds_sync_count_outbox (run, error))
    return FALSE;

  run->kind = 0;
  run->cursor = 0;
  _rounds_sync_report (run, ROUNDS_SYNC_STAGE_PUSHING, 0, run->n_total);

  while (run->kind < N_KINDS)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (_rounds_sync_outgoing_free);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error) ||
          !_rounds_sync_fill_batch (run, batch, error))
        return FALSE;
      if (batch->len == 0)
        continue;
      if (!push_docs (run, (Outgoing **) batch->pdata, batch->len, error))
        return FALSE;
      run->n_done += batch->len;
      _rounds_sync_report (run, ROUNDS_SYNC_STAGE_PUSHING, MIN (run->n_done, run->n_total),
                           run->n_total);
    }

  return _rounds_sync_mark_audit_synced (run, error);
}

