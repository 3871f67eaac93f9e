/* rounds-generate.c: responses for items awaiting them, from chat-completions endpoints
 *
 * An item awaits responses while it has fewer than two that did not come from generation.
 * Each awaiting item gets one response per endpoint and sample, keyed
 * "gen:<endpoint>:<parameters>:<sample>", where <parameters> hashes the model, the parameters
 * that change an answer and the system message. The key is unique within the item
 * (migration 4), and each response is saved in a transaction of its own as it arrives, so a
 * run that is killed, cut off from the network or cancelled leaves whole responses behind,
 * and a rerun asks only for the missing ones.
 *
 * The calling thread plans and saves; --jobs worker threads, each with a client per
 * endpoint, ask. An item that has judgements gets no more responses (a judgement is of the
 * responses it saw); nor does one that would pass eight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-generate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rounds-chat.h"
#include "rounds-couch.h"
#include "rounds-error.h"
#include "rounds-generate.h"
#include "rounds-sql-private.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"
#include "rounds-worker-private.h"

#define MAX_JOBS     64
#define MAX_SAMPLES  ROUNDS_GENERATE_MAX_RESPONSES
#define POLL_MS      250

struct _RoundsGenerator
{
  GObject                     parent_instance;

  char                       *dataset;
  GPtrArray                  *endpoints;   /* RoundsEndpoint */
  GPtrArray                  *keys;        /* char *, NULL for none; wiped */
  char                       *system;
  guint                       n_samples;
  guint                       jobs;
  char                       *actor;
  guint                       max_attempts;
  guint                       first_delay_ms;
  guint                       max_delay_ms;
  RoundsGenerateProgressFunc  progress;
  RoundsGenerateNoteFunc      note;
  gpointer                    user_data;
};

G_DEFINE_FINAL_TYPE (RoundsGenerator, rounds_generator, G_TYPE_OBJECT)

static void
rounds_generator_finalize (GObject *object)
{
  RoundsGenerator *self = (RoundsGenerator *)object;

  g_free (self->dataset);
  g_ptr_array_unref (self->endpoints);
  g_ptr_array_unref (self->keys);
  g_free (self->system);
  g_free (self->actor);

  G_OBJECT_CLASS (rounds_generator_parent_class)->finalize (object);
}

static void
rounds_generator_class_init (RoundsGeneratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_generator_finalize;
}

static void
rounds_generator_init (RoundsGenerator *self)
{
  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_endpoint_free);
  self->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_couch_password_free);
  self->n_samples = 1;
  self->jobs = 4;
}

/**
 * rounds_generator_new:
 * @dataset: the dataset whose awaiting items get responses
 */
RoundsGenerator *
rounds_generator_new (const char *dataset)
{
  RoundsGenerator *self;

  g_return_val_if_fail (dataset != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_GENERATOR, NULL);
  self->dataset = g_strdup (dataset);
  return self;
}

/**
 * rounds_generator_add_endpoint:
 * @endpoint: copied
 * @api_key: (nullable): its key; %NULL sends none
 */
void
rounds_generator_add_endpoint (RoundsGenerator      *self,
                               const RoundsEndpoint *endpoint,
                               const char           *api_key)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));
  g_return_if_fail (endpoint != NULL);

  g_ptr_array_add (self->endpoints, rounds_endpoint_copy (endpoint));
  g_ptr_array_add (self->keys, g_strdup (api_key));
}

/* The system message of every request; it is part of the responses' parameters. */
void
rounds_generator_set_system (RoundsGenerator *self,
                             const char      *system)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  g_free (self->system);
  self->system = system != NULL && *system != '\0' ? g_strdup (system) : NULL;
}

/* Responses per endpoint and item, 1 to 8 (default 1). */
void
rounds_generator_set_n_samples (RoundsGenerator *self,
                                guint            n_samples)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  self->n_samples = CLAMP (n_samples, 1, MAX_SAMPLES);
}

/* Requests at once, 1 to 64 (default 4). */
void
rounds_generator_set_jobs (RoundsGenerator *self,
                           guint            jobs)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  self->jobs = CLAMP (jobs, 1, MAX_JOBS);
}

/* Who generates, for the audit log. */
void
rounds_generator_set_actor (RoundsGenerator *self,
                            const char      *actor)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  g_free (self->actor);
  self->actor = g_strdup (actor);
}

/* As rounds_chat_set_retries(), for every request of a run. */
void
rounds_generator_set_retries (RoundsGenerator *self,
                              guint            max_attempts,
                              guint            first_delay_ms,
                              guint            max_delay_ms)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  self->max_attempts = max_attempts;
  self->first_delay_ms = first_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

/**
 * rounds_generator_set_progress_func:
 * @progress: (nullable): called after each response and a few times a second
 * @note: (nullable): called for each refusal, empty answer, failure and skip, as it happens;
 *   rounds_generator_run() only (rounds_generator_run_finish() gives them all)
 *
 * Both are called in the thread that runs rounds_generator_run(), or for
 * rounds_generator_run_async() @progress on the caller's main context.
 */
void
rounds_generator_set_progress_func (RoundsGenerator            *self,
                                    RoundsGenerateProgressFunc  progress,
                                    RoundsGenerateNoteFunc      note,
                                    gpointer                    user_data)
{
  g_return_if_fail (ROUNDS_IS_GENERATOR (self));

  self->progress = progress;
  self->note = note;
  self->user_data = user_data;
}

/* The hash of the model, the parameters and the system message: what a response's key
 * holds, so that changing any of them asks for new responses. */
static char *
params_key (RoundsGenerator      *self,
            const RoundsEndpoint *endpoint)
{
  g_autofree char *params = rounds_endpoint_describe_params (endpoint);
  g_autofree char *text = g_strconcat (params, "\n", self->system ? self->system : "", NULL);
  char *hash = _rounds_sha256_hex (text, -1);

  hash[12] = '\0';
  return hash;
}

/**
 * rounds_generator_response_key:
 *
 * Returns: (transfer full): the key of the response that @endpoint's sample @sample gives an
 *   item: "gen:<endpoint>:<parameters>:<sample>"
 */
char *
rounds_generator_response_key (RoundsGenerator      *self,
                               const RoundsEndpoint *endpoint,
                               guint                 sample)
{
  g_autofree char *params = NULL;

  g_return_val_if_fail (ROUNDS_IS_GENERATOR (self), NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);

  params = params_key (self, endpoint);
  return g_strdup_printf ("gen:%s:%s:%u", endpoint->name, params, sample);
}

void
rounds_generate_note_free (RoundsGenerateNote *note)
{
  if (note == NULL)
    return;
  g_free (note->item);
  g_free (note->endpoint);
  g_free (note->reason);
  g_free (note);
}

/**
 * rounds_generate_note_to_string:
 *
 * Returns: (transfer full): one line a person reads: what happened, to which item, from which
 *   endpoint and sample, and why
 */
char *
rounds_generate_note_to_string (const RoundsGenerateNote *note)
{
  g_return_val_if_fail (note != NULL, NULL);

  switch (note->kind)
    {
    case ROUNDS_GENERATE_NOTE_REFUSED:
      return g_strdup_printf (_("Refused: item %s, endpoint %s, sample %u: %s"),
                              note->item, note->endpoint, note->sample + 1, note->reason);
    case ROUNDS_GENERATE_NOTE_EMPTY:
      return g_strdup_printf (_("Empty answer: item %s, endpoint %s, sample %u: %s"),
                              note->item, note->endpoint, note->sample + 1, note->reason);
    case ROUNDS_GENERATE_NOTE_FAILED:
      return g_strdup_printf (_("Failed: item %s, endpoint %s, sample %u: %s"),
                              note->item, note->endpoint, note->sample + 1, note->reason);
    case ROUNDS_GENERATE_NOTE_SKIPPED:
      return g_strdup_printf (_("Skipped: item %s, endpoint %s: %s"),
                              note->item, note->endpoint, note->reason);
    default:
      g_assert_not_reached ();
    }
}

/* A run ------------------------------------------------------------------------------- */

typedef struct
{
  gint64  item_id;
  char   *item_key;
  char   *prompt;
  guint   endpoint;
  guint   sample;
  char   *response_key;
} Job;

static void
job_free (Job *job)
{
  g_free (job->item_key);
  g_free (job->prompt);
  g_free (job->response_key);
  g_free (job);
}

typedef struct
{
  Job             *job;
  RoundsChatReply *reply;
  GError          *error;
  char            *finished_at;
} Outcome;

typedef struct
{
  RoundsGenerator  *self;
  RoundsStore      *store;
  GTask            *task;          /* the worker's, or NULL when run in the caller's thread */
  GPtrArray        *notes;         /* RoundsGenerateNote */
  RoundsGenerateProgress *progress;
  GAsyncQueue      *jobs;
  GAsyncQueue      *outcomes;
  GCancellable     *stop;          /* cancelled on a cancel or on an error that ends the run */
  gint              n_running;
  gint64            started;
  gint64            last_report;
} Run;

static void
report (Run      *run,
        gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - run->last_report < 200 * 1000)
    return;
  run->last_report = now;
  run->progress->elapsed_ms = (now - run->started) / 1000;
  if (run->task != NULL)
    _rounds_worker_report (run->task, run->progress);
  else if (run->self->progress != NULL)
    run->self->progress (run->progress, run->self->user_data);
}

static void
add_note (Run                    *run,
          RoundsGenerateNoteKind  kind,
          const char             *item,
          const char             *endpoint,
          guint                   sample,
          const char             *reason)
{
  RoundsGenerateNote *note = g_new0 (RoundsGenerateNote, 1);

  note->kind = kind;
  note->item = g_strdup (item);
  note->endpoint = g_strdup (endpoint);
  note->sample = sample;
  note->reason = g_strdup (reason);
  if (run->task == NULL && run->self->note != NULL)
    run->self->note (note, run->self->user_data);
  g_ptr_array_add (run->notes, note);
}

/* Whether @item_id has a response keyed @key. */
static gboolean
has_response (RoundsStore  *store,
              gint64        item_id,
              const char   *key,
              gboolean     *found,
              GError      **error)
{
  static const char sql[] = "SELECT 1 FROM responses WHERE item_id = ?1 AND key = ?2";
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _rounds_store_prepare (store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item_id);
  _rounds_store_bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  return _rounds_store_step_end (store, stmt, rc, error);
}

/* The items awaiting responses, in dataset order, and the responses each lacks. */
static gboolean
plan (Run      *run,
      gint64    dataset_id,
      GError  **error)
{
  static const char sql[] =
    "SELECT i.id, i.key, i.scenario,"
    " (SELECT COUNT(*) FROM responses r WHERE r.item_id = i.id) AS n_responses,"
    " (SELECT COUNT(*) FROM responses r WHERE r.item_id = i.id AND r.key NOT GLOB 'gen:*')"
    "   AS n_given,"
    " (EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = i.id)"
    "  OR EXISTS (SELECT 1 FROM adjudications j WHERE j.item_id = i.id)) AS judged"
    " FROM items i WHERE i.dataset_id = ?1 ORDER BY i.position, i.id";
  RoundsGenerator *self = run->self;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* The items first, the keys after: one statement at a time on the connection's cache. */
  if (!(stmt = _rounds_store_prepare (run->store, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dataset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Job *item;
      guint c[2];

      if (_rounds_sql_int (stmt, "n_given") >= 2)
        continue;
      item = g_new0 (Job, 1);
      item->item_id = _rounds_sql_int64 (stmt, "id");
      item->item_key = _rounds_sql_dup (stmt, "key");
      item->prompt = _rounds_sql_dup (stmt, "scenario");
      c[0] = (guint) _rounds_sql_int (stmt, "n_responses");
      c[1] = (guint) _rounds_sql_int (stmt, "judged");
      g_ptr_array_add (items, item);
      g_array_append_vals (counts, c, 1);
    }
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    return FALSE;

  for (guint e = 0; e < self->endpoints->len; e++)
    g_ptr_array_add (keys, params_key (self, g_ptr_array_index (self->endpoints, e)));

  run->progress->n_items = items->len;
  for (guint i = 0; i < items->len; i++)
    {
      Job *item = g_ptr_array_index (items, i);
      const guint *c = &g_array_index (counts, guint, 2 * i);
      g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);

      for (guint e = 0; e < self->endpoints->len; e++)
        for (guint s = 0; s < self->n_samples; s++)
          {
            const RoundsEndpoint *endpoint = g_ptr_array_index (self->endpoints, e);
            g_autofree char *key = g_strdup_printf ("gen:%s:%s:%u", endpoint->name,
                                                    (char *) g_ptr_array_index (keys, e), s);
            gboolean found;
            Job *job;

            if (!has_response (run->store, item->item_id, key, &found, error))
              return FALSE;
            if (found)
              {
                run->progress->n_present++;
                continue;
              }
            job = g_new0 (Job, 1);
            job->item_id = item->item_id;
            job->item_key = g_strdup (item->item_key);
            job->prompt = g_strdup (item->prompt);
            job->endpoint = e;
            job->sample = s;
            job->response_key = g_steal_pointer (&key);
            g_ptr_array_add (missing, job);
          }
      if (missing->len == 0)
        continue;

      if (c[1] || c[0] + missing->len > ROUNDS_GENERATE_MAX_RESPONSES)
        {
          g_autofree char *reason =
            c[1] ? g_strdup (_("it has judgements already: a judgement is of the responses it "
                               "saw"))
                 : g_strdup_printf (_("it would have %u responses, more than %d"),
                                    c[0] + missing->len, ROUNDS_GENERATE_MAX_RESPONSES);

          for (guint e = 0; e < self->endpoints->len; e++)
            add_note (run, ROUNDS_GENERATE_NOTE_SKIPPED, item->item_key,
                      ((RoundsEndpoint *) g_ptr_array_index (self->endpoints, e))->name, 0,
                      reason);
          run->progress->n_skipped += missing->len;
          continue;
        }
      run->progress->n_planned += missing->len;
      while (missing->len > 0)
        g_async_queue_push (run->jobs, g_ptr_array_steal_index (missing, 0));
    }
  return TRUE;
}

/* The workers ------------------------------------------------------------------------- */

/* An error no other request would escape: a wrong key, an unreachable server, TLS. */
static gboolean
ends_the_run (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         (error->domain == ROUNDS_CHAT_ERROR &&
          (error->code == ROUNDS_CHAT_ERROR_INVALID_URL ||
           error->code == ROUNDS_CHAT_ERROR_UNREACHABLE ||
           error->code == ROUNDS_CHAT_ERROR_TLS ||
           error->code == ROUNDS_CHAT_ERROR_UNAUTHORIZED));
}

static void
clear_object (gpointer object)
{
  g_clear_object (&object);
}

static gpointer
work (gpointer data)
{
  Run *run = data;
  RoundsGenerator *self = run->self;
  g_autoptr(GPtrArray) chats = g_ptr_array_new_with_free_func (clear_object);
  Job *job;

  /* A client per endpoint, made on its first request. */
  for (guint e = 0; e < self->endpoints->len; e++)
    g_ptr_array_add (chats, NULL);

  while (!g_cancellable_is_cancelled (run->stop) && (job = g_async_queue_try_pop (run->jobs)))
    {
      Outcome *outcome = g_new0 (Outcome, 1);
      RoundsChat *chat = g_ptr_array_index (chats, job->endpoint);
      RoundsChatRequest request = { .system = self->system, .prompt = job->prompt,
                                    .sample = job->sample };

      outcome->job = job;
      if (chat == NULL &&
          (chat = rounds_chat_new (g_ptr_array_index (self->endpoints, job->endpoint),
                                   g_ptr_array_index (self->keys, job->endpoint),
                                   &outcome->error)))
        {
          rounds_chat_set_retries (chat, self->max_attempts, self->first_delay_ms,
                                   self->max_delay_ms);
          g_ptr_array_index (chats, job->endpoint) = chat;
        }
      if (chat != NULL)
        outcome->reply = rounds_chat_complete (chat, &request, run->stop, &outcome->error);
      outcome->finished_at = _rounds_now_iso8601 ();
      /* No more requests after one that every request would meet. */
      if (outcome->error != NULL && ends_the_run (outcome->error))
        g_cancellable_cancel (run->stop);
      g_async_queue_push (run->outcomes, outcome);
    }

  g_atomic_int_dec_and_test (&run->n_running);
  return NULL;
}

/* Saving ------------------------------------------------------------------------------ */

static void
add_count (JsonBuilder *builder,
           const char  *name,
           gint64       value)
{
  if (value < 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* {"generation": {…}}: the endpoint, model, parameters, seed, outcome, usage, latency and
 * time of one generated response. */
static char *
response_metadata (RoundsGenerator       *self,
                   const RoundsEndpoint  *endpoint,
                   const Outcome         *outcome)
{
  const RoundsChatReply *reply = outcome->reply;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *params = rounds_endpoint_describe_params (endpoint);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generation");
  json_builder_begin_object (builder);
  add_string (builder, "endpoint", endpoint->name);
  add_string (builder, "base_url", endpoint->base_url);
  add_string (builder, "model", reply->model);
  add_string (builder, "requested_model", endpoint->model);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_from_string (params, NULL));
  add_string (builder, "system", self->system);
  add_count (builder, "sample", outcome->job->sample);
  if (reply->has_seed)
    add_count (builder, "seed", reply->seed);
  add_string (builder, "outcome", rounds_chat_outcome_to_string (reply->outcome));
  add_string (builder, "refusal", reply->refusal);
  add_string (builder, "finish_reason", reply->finish_reason);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  add_count (builder, "prompt_tokens", reply->prompt_tokens);
  add_count (builder, "completion_tokens", reply->completion_tokens);
  add_count (builder, "total_tokens", reply->total_tokens);
  json_builder_end_object (builder);
  add_count (builder, "latency_ms", reply->latency_ms);
  add_count (builder, "attempts", reply->attempts);
  add_string (builder, "generated_at", outcome->finished_at);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return _rounds_json_builder_to_string (builder);
}

/* Saves one response in a transaction of its own: *saved is %FALSE when it was there
 * already, or its item has been judged meanwhile. The item's content hash moves on and it
 * is published again, so the curation store gets its responses. */
static gboolean
save_response (Run            *run,
               const Outcome  *outcome,
               gboolean       *saved,
               GError        **error)
{
  static const char judged_sql[] =
    "SELECT (EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = ?1)"
    " OR EXISTS (SELECT 1 FROM adjudications j WHERE j.item_id = ?1)) AS judged,"
    " content_hash FROM items WHERE id = ?1";
  static const char insert_sql[] =
    "INSERT OR IGNORE INTO responses (item_id, idx, key, text, model, metadata_json)"
    " SELECT ?1, COALESCE (MAX (idx) + 1, 0), ?2, ?3, ?4, ?5 FROM responses WHERE item_id = ?1";
  static const char item_sql[] =
    "UPDATE items SET content_hash = ?2, published = 0 WHERE id = ?1";
  const RoundsChatReply *reply = outcome->reply;
  const Job *job = outcome->job;
  const RoundsEndpoint *endpoint = g_ptr_array_index (run->self->endpoints, job->endpoint);
  g_autofree char *metadata = response_metadata (run->self, endpoint, outcome);
  g_autofree char *old_hash = NULL;
  g_autofree char *hash_input = NULL;
  g_autofree char *hash = NULL;
  const char *text;
  gboolean judged = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  *saved = FALSE;
  /* A refusal with no text of its own is shown as the model's reason. */
  text = reply->outcome == ROUNDS_CHAT_REFUSED && *reply->content == '\0' ? reply->refusal
                                                                           : reply->content;
  if (!_rounds_store_begin (run->store, error))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store, judged_sql, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->item_id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      judged = _rounds_sql_int (stmt, "judged") != 0;
      old_hash = _rounds_sql_dup (stmt, "content_hash");
    }
  if (!_rounds_store_step_end (run->store, stmt, rc, error))
    goto fail;
  if (judged || old_hash == NULL)
    {
      _rounds_store_rollback (run->store);
      return TRUE;
    }

  if (!(stmt = _rounds_store_prepare (run->store, insert_sql, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->item_id);
  _rounds_store_bind_text (stmt, 2, job->response_key);
  _rounds_store_bind_text (stmt, 3, text);
  _rounds_store_bind_text (stmt, 4, reply->model);
  _rounds_store_bind_text (stmt, 5, metadata);
  if (!_rounds_store_step_done (run->store, stmt, error))
    goto fail;
  if (sqlite3_changes (_rounds_store_get_db (run->store)) == 0)
    {
      _rounds_store_rollback (run->store);
      return TRUE;
    }

  hash_input = g_strjoin ("\n", old_hash, job->response_key, text,
                          reply->model ? reply->model : "", metadata, NULL);
  hash = _rounds_sha256_hex (hash_input, -1);
  if (!(stmt = _rounds_store_prepare (run->store, item_sql, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, job->item_id);
  _rounds_store_bind_text (stmt, 2, hash);
  if (!_rounds_store_step_done (run->store, stmt, error) ||
      !_rounds_store_commit (run->store, error))
    goto fail;
  *saved = TRUE;
  return TRUE;

fail:
  _rounds_store_rollback (run->store);
  return FALSE;
}

/* One outcome: saved, noted, or the end of the run (%FALSE with @error). */
static gboolean
take_outcome (Run      *run,
              Outcome  *outcome,
              GError  **error)
{
  const Job *job = outcome->job;
  const RoundsEndpoint *endpoint = g_ptr_array_index (run->self->endpoints, job->endpoint);
  RoundsChatReply *reply = outcome->reply;
  gboolean saved = FALSE;

  if (reply == NULL)
    {
      if (g_error_matches (outcome->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return TRUE;
      run->progress->n_failed++;
      add_note (run, ROUNDS_GENERATE_NOTE_FAILED, job->item_key, endpoint->name, job->sample,
                outcome->error->message);
      if (ends_the_run (outcome->error))
        {
          g_propagate_error (error, g_steal_pointer (&outcome->error));
          return FALSE;
        }
      return TRUE;
    }

  if (!save_response (run, outcome, &saved, error))
    return FALSE;
  if (!saved)
    {
      run->progress->n_skipped++;
      add_note (run, ROUNDS_GENERATE_NOTE_SKIPPED, job->item_key, endpoint->name, job->sample,
                _("the item was judged, or got this response, while it was being generated"));
      return TRUE;
    }
  switch (reply->outcome)
    {
    case ROUNDS_CHAT_ANSWERED:
      run->progress->n_answered++;
      break;
    case ROUNDS_CHAT_REFUSED:
      run->progress->n_refused++;
      add_note (run, ROUNDS_GENERATE_NOTE_REFUSED, job->item_key, endpoint->name, job->sample,
                reply->refusal);
      break;
    case ROUNDS_CHAT_EMPTY:
      run->progress->n_empty++;
      add_note (run, ROUNDS_GENERATE_NOTE_EMPTY, job->item_key, endpoint->name, job->sample,
                reply->finish_reason != NULL
                ? reply->finish_reason : _("the model answered nothing"));
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static void
outcome_free (Outcome *outcome)
{
  job_free (outcome->job);
  g_clear_pointer (&outcome->reply, rounds_chat_reply_free);
  g_clear_error (&outcome->error);
  g_free (outcome->finished_at);
  g_free (outcome);
}

static gboolean
audit_run (Run      *run,
           GError  **error)
{
  const RoundsGenerateProgress *p = run->progress;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *detail = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_array (builder);
  for (guint e = 0; e < run->self->endpoints->len; e++)
    json_builder_add_string_value (builder,
                                   ((RoundsEndpoint *) g_ptr_array_index (run->self->endpoints,
                                                                          e))->name);
  json_builder_end_array (builder);
  add_count (builder, "samples", run->self->n_samples);
  add_count (builder, "planned", p->n_planned);
  add_count (builder, "answered", p->n_answered);
  add_count (builder, "refused", p->n_refused);
  add_count (builder, "empty", p->n_empty);
  add_count (builder, "failed", p->n_failed);
  add_count (builder, "skipped", p->n_skipped);
  json_builder_end_object (builder);
  detail = _rounds_json_builder_to_string (builder);
  return rounds_store_audit (run->store, run->self->actor, "generate", run->self->dataset,
                             detail, error);
}

static void
on_cancelled (GCancellable *cancellable,
              GCancellable *stop)
{
  g_cancellable_cancel (stop);
}

static gboolean
run_generation (RoundsGenerator         *self,
                RoundsStore             *store,
                GTask                   *task,
                GCancellable            *cancellable,
                RoundsGenerateProgress  *progress,
                GPtrArray               *notes,
                GError                 **error)
{
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GError) run_error = NULL;
  Run run = { 0 };
  gulong handler = 0;
  guint n_jobs, n_taken = 0;
  Job *left;

  if (self->endpoints->len == 0)
    {
      g_set_error_literal (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                           _("Name at least one endpoint to generate with"));
      return FALSE;
    }
  if (!(dataset = rounds_store_get_dataset (store, self->dataset, error)))
    return FALSE;

  memset (progress, 0, sizeof *progress);
  run.self = self;
  run.store = store;
  run.task = task;
  run.notes = notes;
  run.progress = progress;
  run.jobs = g_async_queue_new_full ((GDestroyNotify) job_free);
  run.outcomes = g_async_queue_new_full ((GDestroyNotify) outcome_free);
  run.stop = g_cancellable_new ();
  run.started = g_get_monotonic_time ();

  if (!plan (&run, rounds_dataset_get_id (dataset), &run_error))
    goto out;
  report (&run, TRUE);

  n_jobs = g_async_queue_length (run.jobs);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                     g_object_ref (run.stop), g_object_unref);
  run.n_running = (gint) MIN (self->jobs, MAX (n_jobs, 1));
  for (gint t = 0; n_jobs > 0 && t < run.n_running; t++)
    g_ptr_array_add (threads, g_thread_new ("rounds-generate", work, &run));
  if (n_jobs == 0)
    run.n_running = 0;

  /* Outcomes are saved as they come; a cancel or an error that ends the run stops the
   * workers, and what they still bring is saved or dropped. */
  while (n_taken < n_jobs)
    {
      Outcome *outcome = g_async_queue_timeout_pop (run.outcomes, POLL_MS * 1000);

      if (outcome == NULL)
        {
          if (g_atomic_int_get (&run.n_running) == 0 && g_async_queue_length (run.outcomes) <= 0)
            break;
          report (&run, FALSE);
          continue;
        }
      n_taken++;
      if (run_error == NULL && !take_outcome (&run, outcome, &run_error))
        g_cancellable_cancel (run.stop);
      outcome_free (outcome);
      report (&run, TRUE);
    }

  g_cancellable_cancel (run.stop);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  while ((left = g_async_queue_try_pop (run.jobs)))
    job_free (left);

out:
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  report (&run, TRUE);
  if (progress->n_planned > 0 || progress->n_skipped > 0)
    {
      g_autoptr(GError) audit_error = NULL;

      if (!audit_run (&run, &audit_error) && run_error == NULL)
        run_error = g_steal_pointer (&audit_error);
    }
  g_async_queue_unref (run.jobs);
  g_async_queue_unref (run.outcomes);
  g_object_unref (run.stop);

  if (run_error == NULL && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (run_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&run_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * rounds_generator_run:
 * @store: the store, used from this thread only
 * @result: (out caller-allocates): what the run did, also when it fails or is cancelled
 *
 * Generates what the awaiting items of the dataset lack, in this thread (with worker
 * threads for the requests). Refusals, empty answers and failures of one request do not
 * stop it: they are counted and noted. It stops with an error on one that every request
 * would meet (a wrong key, an unreachable server, a certificate that cannot be verified)
 * and on a cancel (%G_IO_ERROR_CANCELLED); what was saved stays.
 */
gboolean
rounds_generator_run (RoundsGenerator         *self,
                      RoundsStore             *store,
                      GCancellable            *cancellable,
                      RoundsGenerateProgress  *result,
                      GError                 **error)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               rounds_generate_note_free);
  RoundsGenerateProgress progress;

  g_return_val_if_fail (ROUNDS_IS_GENERATOR (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);

  if (!run_generation (self, store, NULL, cancellable, &progress, notes, error))
    {
      if (result != NULL)
        *result = progress;
      return FALSE;
    }
  if (result != NULL)
    *result = progress;
  return TRUE;
}

typedef struct
{
  RoundsGenerateProgress  progress;
  GPtrArray              *notes;
  GError                 *error;
} RunData;

static void
run_data_free (RunData *data)
{
  g_ptr_array_unref (data->notes);
  g_clear_error (&data->error);
  g_free (data);
}

static void
progress_delivered (gpointer      source_object,
                    gconstpointer report_data,
                    gpointer      user_data)
{
  RoundsGenerator *self = source_object;

  if (self->progress != NULL)
    self->progress (report_data, self->user_data);
}

static gboolean
run_in_worker (GTask         *task,
               RoundsStore   *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  RunData *run_data = data;

  /* A run that ends early still tells what it did: the notes and counts go to the finish
   * call with the error. */
  if (!run_generation (g_task_get_source_object (task), store, task, cancellable,
                       &run_data->progress, run_data->notes, &run_data->error))
    {
      if (g_error_matches (run_data->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&run_data->error));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * rounds_generator_run_async:
 * @db_path: the store; the run opens a connection of its own
 *
 * As rounds_generator_run(), in a thread; progress reaches the progress function on the
 * caller's main context.
 */
void
rounds_generator_run_async (RoundsGenerator     *self,
                            const char          *db_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  RunData *run_data;

  g_return_if_fail (ROUNDS_IS_GENERATOR (self));
  g_return_if_fail (db_path != NULL);

  run_data = g_new0 (RunData, 1);
  run_data->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_generate_note_free);
  task = _rounds_worker_new (self, db_path, ROUNDS_WORKER_RESULT_OVER_CANCEL, cancellable,
                             callback, user_data, rounds_generator_run_async);
  _rounds_worker_set_progress (task, sizeof (RoundsGenerateProgress), progress_delivered,
                               NULL);
  _rounds_worker_run (task, run_in_worker, run_data, (GDestroyNotify) run_data_free);
}

/**
 * rounds_generator_run_finish:
 * @progress: (out caller-allocates) (optional): what the run did
 * @notes: (out) (transfer container) (optional) (element-type RoundsGenerateNote): every
 *   refusal, empty answer, failure and skip
 *
 * Returns: %TRUE when the run went through; else %FALSE with the error, and what it did
 *   before it stopped in @progress and @notes (not when it was cancelled)
 */
gboolean
rounds_generator_run_finish (RoundsGenerator         *self,
                             GAsyncResult            *result,
                             RoundsGenerateProgress  *progress,
                             GPtrArray              **notes,
                             GError                 **error)
{
  RunData *run_data;

  g_return_val_if_fail (ROUNDS_IS_GENERATOR (self), FALSE);

  run_data = _rounds_worker_finish (result, self, rounds_generator_run_async, error);
  if (run_data == NULL)
    return FALSE;
  if (progress != NULL)
    *progress = run_data->progress;
  if (notes != NULL)
    *notes = g_ptr_array_ref (run_data->notes);
  if (run_data->error != NULL)
    {
      g_propagate_error (error, g_error_copy (run_data->error));
      return FALSE;
    }
  return TRUE;
}
