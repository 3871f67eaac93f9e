/* rounds-sync.c: pushing local edits to the curation store and pulling the team's back
 *
 * The sync object holds the settings; a run takes a snapshot of them and goes: connect,
 * settle the conflicts the person chose, push the outbox (rounds-sync-outbox.c,
 * rounds-sync-push.c), pull the changes (rounds-sync-pull.c, rounds-sync-apply.c). What
 * does not go through is kept and listed (rounds-sync-problems.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-sync"

#include "config.h"

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-sync-private.h"
#include "rounds-worker-private.h"

#define DEFAULT_BATCH_SIZE  500
#define MAX_BATCH_SIZE      1000
#define DEFAULT_PAGE_SIZE   500
#define DEFAULT_ATTEMPTS    4
#define DEFAULT_DELAY_MS    1000

struct _RoundsSync
{
  GObject          parent_instance;

  Config           config;
  char            *display_url;         /* config.url without credentials */
  RoundsSyncStage  stage;               /* read and notified on the caller's thread */
  double           fraction;
};

G_DEFINE_FINAL_TYPE (RoundsSync, rounds_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STAGE,
  PROP_FRACTION,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Results ----------------------------------------------------------------------------- */

RoundsSyncResult *
rounds_sync_result_new (void)
{
  RoundsSyncResult *self = g_new0 (RoundsSyncResult, 1);

  self->forbidden = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  self->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  self->refused = g_ptr_array_new_with_free_func ((GDestroyNotify) rounds_sync_problem_free);
  return self;
}

void
rounds_sync_result_free (RoundsSyncResult *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->forbidden);
  g_ptr_array_unref (self->conflicts);
  g_ptr_array_unref (self->refused);
  g_free (self);
}

/* Config ------------------------------------------------------------------------------ */

static void
resolution_clear (gpointer data)
{
  g_free (((Resolution *) data)->doc_id);
}

static void
config_clear (Config *config)
{
  g_clear_pointer (&config->url, rounds_couch_password_free);
  g_clear_pointer (&config->user, g_free);
  g_clear_pointer (&config->password, rounds_couch_password_free);
  g_clear_pointer (&config->ca_file, g_free);
  g_clear_pointer (&config->profile, g_free);
  g_clear_pointer (&config->resolutions, g_array_unref);
}

static Config *
config_copy (const Config *config)
{
  Config *copy = g_new0 (Config, 1);

  *copy = *config;
  copy->url = g_strdup (config->url);
  copy->user = g_strdup (config->user);
  copy->password = g_strdup (config->password);
  copy->ca_file = g_strdup (config->ca_file);
  copy->profile = g_strdup (config->profile);
  copy->resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
  g_array_set_clear_func (copy->resolutions, resolution_clear);
  for (guint i = 0; config->resolutions && i < config->resolutions->len; i++)
    {
      Resolution r = g_array_index (config->resolutions, Resolution, i);

      r.doc_id = g_strdup (r.doc_id);
      g_array_append_val (copy->resolutions, r);
    }
  return copy;
}

static void
config_free (Config *config)
{
  config_clear (config);
  g_free (config);
}

/* Progress ---------------------------------------------------------------------------- */

typedef struct
{
  RoundsSyncStage  stage;
  guint            done;
  guint            total;
} ProgressReport;

static void
progress_dispatch (gpointer       source_object,
                   gconstpointer  data,
                   gpointer       user_data)
{
  const ProgressReport *update = data;
  RoundsSync *self = source_object;
  double fraction;

  if (update->stage == ROUNDS_SYNC_STAGE_DONE)
    fraction = 1.0;
  else if (update->total > 0)
    fraction = MIN (1.0, (double) update->done / update->total);
  else
    fraction = 0.0;

  if (self->stage != update->stage)
    {
      self->stage = update->stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_signal_emit (self, signals[PROGRESS], 0, update->stage, update->done, update->total);
}

/* From an async run, the report reaches the caller's main context in order; a blocking run
 * reports on its own thread. */
void
_rounds_sync_report (Run             *run,
                     RoundsSyncStage  stage,
                     guint            done,
                     guint            total)
{
  ProgressReport update = { stage, done, total };

  if (run->task != NULL)
    _rounds_worker_report (run->task, &update);
  else
    progress_dispatch (run->sync, &update, NULL);
}

/* SQL --------------------------------------------------------------------------------- */

gboolean
_rounds_sync_meta_delete (RoundsStore  *store,
                          const char   *key,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (store, "DELETE FROM meta WHERE key = ?1", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, key);
  return _rounds_store_step_done (store, stmt, error);
}


char *
_rounds_sync_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

JsonNode *
_rounds_sync_parse_json (const char *text)
{
  if (text == NULL)
    return NULL;
  return json_from_string (text, NULL);
}

gboolean
_rounds_sync_is_transient (const GError *error)
{
  return rounds_couch_error_is_unknown_outcome (error) ||
         g_error_matches (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNREACHABLE);
}

/* Waits before a resend, or returns FALSE when cancelled meanwhile. */
gboolean
_rounds_sync_back_off (Run     *run,
                       guint    attempt,
                       GError **error)
{
  guint64 delay = (guint64) run->config->delay_ms << MIN (attempt, 5u);
  gint64 until = g_get_monotonic_time () + delay * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (MIN ((guint64) 50 * 1000, (guint64) (until - g_get_monotonic_time ()) + 1));
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}
/* Running ----------------------------------------------------------------------------- */

static gboolean
audit_run (Run          *run,
           const GError *failure)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autofree char *detail_json = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (detail, "direction",
                                 run->config->direction == ROUNDS_SYNC_BOTH ? "both"
                                 : run->config->direction == ROUNDS_SYNC_PUSH ? "push" : "pull");
  if (run->couch != NULL && rounds_couch_get_user (run->couch) != NULL)
    json_object_set_string_member (detail, "user", rounds_couch_get_user (run->couch));
  json_object_set_int_member (detail, "pushed", run->result->n_pushed);
  json_object_set_int_member (detail, "pulled", run->result->n_pulled);
  json_object_set_int_member (detail, "unchanged", run->result->n_unchanged);
  json_object_set_int_member (detail, "skipped", run->result->n_skipped);
  json_object_set_int_member (detail, "parked", run->result->n_parked);
  json_object_set_int_member (detail, "forbidden", run->result->forbidden->len);
  json_object_set_int_member (detail, "conflicts", run->result->conflicts->len);
  if (failure != NULL)
    json_object_set_string_member (detail, "error", failure->message);
  detail_json = _rounds_sync_object_to_string (detail);

  if (!rounds_store_audit (run->store, run->profile, failure ? "sync.fail" : "sync.run",
                           rounds_couch_get_url (run->couch),
                           detail_json, &error))
    {
      g_debug ("Cannot audit the sync: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
choose_profile (Run     *run,
                GError **error)
{
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;

  if (run->config->profile != NULL)
    {
      if (!(profile = rounds_store_get_profile (run->store, run->config->profile, error)))
        return FALSE;
    }
  else if (rounds_couch_get_user (run->couch) != NULL &&
           (profile = rounds_store_get_profile (run->store, rounds_couch_get_user (run->couch),
                                                &local_error)))
    ;
  else
    profile = rounds_store_get_current_profile (run->store);

  if (profile != NULL)
    {
      run->profile = g_strdup (rounds_profile_get_user_name (profile));
      run->roles = rounds_profile_get_roles (profile);
    }
  return TRUE;
}

static gboolean
run_sync (Run     *run,
          GError **error)
{
  g_autoptr(JsonObject) info = NULL;
  const char *uuid;

  if (!(run->couch = rounds_couch_new (run->config->url, error)))
    return FALSE;
  if (run->config->user != NULL)
    rounds_couch_set_credentials (run->couch, run->config->user, run->config->password);
  rounds_couch_set_ca_file (run->couch, run->config->ca_file);
  rounds_couch_set_timeouts (run->couch, run->config->connect_ms, run->config->total_ms);

  if (!choose_profile (run, error) ||
      !(run->client_id = _rounds_sync_ensure_client_id (run->store, error)))
    return FALSE;

  _rounds_sync_report (run, ROUNDS_SYNC_STAGE_CONNECTING, 0, 0);
  /* The database first: its answer tells a wrong password or a missing database apart
   * before anything is sent. */
  if (!(info = rounds_couch_get_db_info (run->couch, run->cancellable, error)))
    return FALSE;
  g_clear_pointer (&info, json_object_unref);
  if (!(info = rounds_couch_get_server_info (run->couch, run->cancellable, error)))
    return FALSE;
  uuid = _rounds_event_get_string (info, "uuid");
  run->server_uuid = g_strdup (uuid ? uuid : rounds_couch_get_server_url (run->couch));

  for (guint i = 0; i < run->config->resolutions->len; i++)
    if (!_rounds_sync_resolve_one (run, &g_array_index (run->config->resolutions, Resolution, i),
                                   error))
      return FALSE;

  if ((run->config->direction & ROUNDS_SYNC_PUSH) && !_rounds_sync_push (run, error))
    return FALSE;
  if ((run->config->direction & ROUNDS_SYNC_PULL) && !_rounds_sync_pull (run, error))
    return FALSE;
  return TRUE;
}

static gboolean
sync_run (RoundsSync         *self,
          GTask              *task,
          Config             *config,
          RoundsStore        *store,
          RoundsSyncResult  **result,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(RoundsSyncResult) run_result = rounds_sync_result_new ();
  g_autoptr(GError) local_error = NULL;
  Run run = { 0 };
  gboolean ok;

  run.sync = self;
  run.task = task;
  run.config = config;
  run.store = store;
  run.cancellable = cancellable;
  run.result = run_result;
  run.batch_size = config->batch_size;
  run.items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  run.rubrics = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) rounds_rubric_unref);

  ok = run_sync (&run, &local_error);
  if (!rounds_sync_count_waiting (store, NULL, &run_result->n_waiting, ok ? &local_error : NULL))
    ok = FALSE;
  if (run.couch != NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    audit_run (&run, local_error);
  _rounds_sync_report (&run, ok ? ROUNDS_SYNC_STAGE_DONE : ROUNDS_SYNC_STAGE_IDLE, 0, 0);

  g_hash_table_unref (run.items);
  g_hash_table_unref (run.rubrics);
  g_clear_object (&run.couch);
  g_free (run.server_uuid);
  g_free (run.client_id);
  g_free (run.profile);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (result != NULL)
    *result = g_steal_pointer (&run_result);
  return TRUE;
}

static Config *
take_config (RoundsSync *self)
{
  Config *config = config_copy (&self->config);

  /* Resolutions are for the next run only. */
  g_array_set_size (self->config.resolutions, 0);
  return config;
}

/**
 * rounds_sync_run:
 * @store: the local store, used on this thread
 * @result: (out) (optional) (transfer full): what the run did
 *
 * Pushes and pulls, blocking: for rounds-cli and tests. The app uses
 * rounds_sync_run_async(). What a run committed stays committed if it fails later on, and
 * the next run goes on from there.
 */
gboolean
rounds_sync_run (RoundsSync         *self,
                 RoundsStore        *store,
                 RoundsSyncResult  **result,
                 GCancellable       *cancellable,
                 GError            **error)
{
  Config *config;
  gboolean ok;

  g_return_val_if_fail (ROUNDS_IS_SYNC (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);

  config = take_config (self);
  ok = sync_run (self, NULL, config, store, result, cancellable, error);
  config_free (config);
  return ok;
}

typedef struct
{
  Config            *config;
  RoundsSyncResult  *result;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *task_data = data;

  config_free (task_data->config);
  rounds_sync_result_free (task_data->result);
  g_free (task_data);
}

static gboolean
run_thread (GTask         *task,
            RoundsStore   *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  TaskData *task_data = data;

  return sync_run (g_task_get_source_object (task), task, task_data->config, store,
                   &task_data->result, cancellable, error);
}

/**
 * rounds_sync_run_async:
 * @db_path: the local store; the run opens a connection of its own in its thread
 *
 * Pushes and pulls in a thread. #RoundsSync:stage, #RoundsSync:fraction and
 * #RoundsSync::progress follow it on the caller's main context; cancelling stops it
 * between two requests, keeping what was committed.
 */
void
rounds_sync_run_async (RoundsSync          *self,
                       const char          *db_path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  TaskData *task_data;
  GTask *task;

  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail (db_path != NULL);

  task_data = g_new0 (TaskData, 1);
  task_data->config = take_config (self);

  task = _rounds_worker_new (self, db_path, ROUNDS_WORKER_DEFAULT, cancellable, callback,
                             user_data, rounds_sync_run_async);
  _rounds_worker_set_progress (task, sizeof (ProgressReport), progress_dispatch, NULL);
  _rounds_worker_run (task, run_thread, task_data, task_data_free);
}

/**
 * rounds_sync_run_finish:
 *
 * Returns: (transfer full): what the run did, or %NULL with the error
 */
RoundsSyncResult *
rounds_sync_run_finish (RoundsSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  TaskData *task_data;

  g_return_val_if_fail (ROUNDS_IS_SYNC (self), NULL);

  if (!(task_data = _rounds_worker_finish (result, self, rounds_sync_run_async, error)))
    return NULL;
  return g_steal_pointer (&task_data->result);
}

/* Object ------------------------------------------------------------------------------ */

static void
rounds_sync_finalize (GObject *object)
{
  RoundsSync *self = (RoundsSync *)object;

  g_clear_pointer (&self->config.url, rounds_couch_password_free);
  config_clear (&self->config);
  g_free (self->display_url);

  G_OBJECT_CLASS (rounds_sync_parent_class)->finalize (object);
}

static void
rounds_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RoundsSync *self = ROUNDS_SYNC (object);

  switch (prop_id)
    {
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_sync_class_init (RoundsSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_sync_finalize;
  object_class->get_property = rounds_sync_get_property;

  /**
   * RoundsSync:stage:
   *
   * What a run is doing: a #RoundsSyncStage.
   */
  properties [PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, ROUNDS_SYNC_STAGE_IDLE, ROUNDS_SYNC_STAGE_DONE,
                      ROUNDS_SYNC_STAGE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * RoundsSync:fraction:
   *
   * How far the current stage is, from 0 to 1; 0 while the total is unknown.
   */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RoundsSync::progress:
   * @stage: a #RoundsSyncStage
   * @done: documents pushed, or changes read, so far in this stage
   * @total: how many there are, or 0 when unknown
   */
  signals [PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
rounds_sync_init (RoundsSync *self)
{
  self->config.direction = ROUNDS_SYNC_BOTH;
  self->config.batch_size = DEFAULT_BATCH_SIZE;
  self->config.page_size = DEFAULT_PAGE_SIZE;
  self->config.attempts = DEFAULT_ATTEMPTS;
  self->config.delay_ms = DEFAULT_DELAY_MS;
  self->config.resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
  g_array_set_clear_func (self->config.resolutions, resolution_clear);
}

/**
 * rounds_sync_new:
 * @url: the curation store database, `https://HOST[:PORT]/DATABASE`
 */
RoundsSync *
rounds_sync_new (const char *url)
{
  RoundsSync *self;
  g_autoptr(RoundsCouch) couch = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_SYNC, NULL);
  /* Credentials written into the URL are used, never shown: the URL that messages and the
   * audit log show has none. The run parses the URL again and reports a bad one. */
  self->config.url = g_strdup (url);
  if ((couch = rounds_couch_new (url, NULL)) != NULL)
    self->display_url = g_strdup (rounds_couch_get_url (couch));
  else
    self->display_url = g_strdup ("…");
  return self;
}

const char *
rounds_sync_get_url (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), NULL);
  return self->display_url;
}

/**
 * rounds_sync_set_credentials:
 * @user: (nullable): the CouchDB user; %NULL for anonymous
 * @password: (nullable): kept in memory only, wiped when replaced or finalized
 */
void
rounds_sync_set_credentials (RoundsSync *self,
                             const char *user,
                             const char *password)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  g_free (self->config.user);
  self->config.user = g_strdup (user);
  g_clear_pointer (&self->config.password, rounds_couch_password_free);
  self->config.password = g_strdup (password);
}

void
rounds_sync_set_ca_file (RoundsSync *self,
                         const char *ca_file)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  g_free (self->config.ca_file);
  self->config.ca_file = g_strdup (ca_file);
}

/**
 * rounds_sync_set_profile:
 * @user_name: (nullable): the local profile whose edits are pushed
 *
 * By default, the profile named like the user syncing, else the current profile. The
 * store takes a judgement only from the annotator it names, so on a shared machine each
 * person's edits go up when they sync.
 */
void
rounds_sync_set_profile (RoundsSync *self,
                         const char *user_name)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  g_free (self->config.profile);
  self->config.profile = g_strdup (user_name);
}

void
rounds_sync_set_direction (RoundsSync          *self,
                           RoundsSyncDirection  direction)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail ((direction & ROUNDS_SYNC_BOTH) != 0);

  self->config.direction = direction & ROUNDS_SYNC_BOTH;
}

/**
 * rounds_sync_set_batch_size:
 * @batch_size: documents per _bulk_docs, up to 1000; 0 for the default, 500
 *
 * CouchDB does best with 500 to 1000; smaller batches are for tests.
 */
void
rounds_sync_set_batch_size (RoundsSync *self,
                            guint       batch_size)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.batch_size = batch_size ? MIN (batch_size, MAX_BATCH_SIZE) : DEFAULT_BATCH_SIZE;
}

/* Changes per page of the pull; 0 for the default, 500. */
void
rounds_sync_set_page_size (RoundsSync *self,
                           guint       page_size)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.page_size = page_size ? MIN (page_size, 10000u) : DEFAULT_PAGE_SIZE;
}

/* See rounds_couch_set_timeouts(). */
void
rounds_sync_set_timeouts (RoundsSync *self,
                          guint       connect_ms,
                          guint       total_ms)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.connect_ms = connect_ms;
  self->config.total_ms = total_ms;
}

/**
 * rounds_sync_set_retries:
 * @attempts: how often a request whose outcome is unknown is sent, in all; at least 1
 * @delay_ms: the wait before the first resend, doubled for each further one
 */
void
rounds_sync_set_retries (RoundsSync *self,
                         guint       attempts,
                         guint       delay_ms)
{
  g_return_if_fail (ROUNDS_IS_SYNC (self));

  self->config.attempts = MAX (attempts, 1);
  self->config.delay_ms = delay_ms;
}

/**
 * rounds_sync_resolve:
 * @doc_id: a dataset or item listed as in conflict
 *
 * Settles the conflict at the start of the next run: %ROUNDS_SYNC_TAKE_THEIRS replaces
 * the local copy with the store's; %ROUNDS_SYNC_KEEP_MINE publishes the local copy over
 * the store's current revision.
 */
void
rounds_sync_resolve (RoundsSync           *self,
                     const char           *doc_id,
                     RoundsSyncResolution  resolution)
{
  Resolution r;

  g_return_if_fail (ROUNDS_IS_SYNC (self));
  g_return_if_fail (doc_id != NULL);

  r.doc_id = g_strdup (doc_id);
  r.resolution = resolution;
  g_array_append_val (self->config.resolutions, r);
}

RoundsSyncStage
rounds_sync_get_stage (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), ROUNDS_SYNC_STAGE_IDLE);
  return self->stage;
}

double
rounds_sync_get_fraction (RoundsSync *self)
{
  g_return_val_if_fail (ROUNDS_IS_SYNC (self), 0);
  return self->fraction;
}

