/* rounds-sync-private.h: what the parts of a sync run share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rounds-couch.h"
#include "rounds-store-private.h"
#include "rounds-sync.h"

G_BEGIN_DECLS

#define META_CLIENT_ID      "sync.client_id"
#define META_PROBLEM        "sync.problem:"
#define META_PARKED         "sync.parked:"
#define META_PROFILE        "sync.profile:"

typedef struct
{
  char                 *doc_id;
  RoundsSyncResolution  resolution;
} Resolution;

/* A snapshot of the settings, so a run in a thread never reads the object. */
typedef struct
{
  char                *url;
  char                *user;
  char                *password;
  char                *ca_file;
  char                *profile;
  RoundsSyncDirection  direction;
  guint                batch_size;
  guint                page_size;
  guint                connect_ms;
  guint                total_ms;
  guint                attempts;
  guint                delay_ms;
  GArray              *resolutions;     /* Resolution */
} Config;

/* The outboxes, in the order a push reads them. */
typedef enum
{
  KIND_DATASET,
  KIND_ITEM,
  KIND_PROFILE,
  KIND_JUDGEMENT,
  KIND_VERDICT,
  N_KINDS
} Kind;

/* One document on its way up. */
typedef struct
{
  Kind        kind;
  gint64      row_id;
  char       *doc_id;
  JsonObject *doc;
  char       *content_hash;   /* datasets and items: what was published */
} Outgoing;

/* One run: push, pull or both, on one store connection in one thread. */
typedef struct
{
  RoundsSync        *sync;
  GTask             *task;           /* an async run's, for its progress; NULL: blocking */
  Config            *config;
  RoundsStore       *store;
  RoundsCouch       *couch;
  GCancellable      *cancellable;
  RoundsSyncResult  *result;

  char              *server_uuid;
  char              *client_id;
  char              *profile;        /* whose work is pushed; NULL: nobody's */
  RoundsRoles        roles;
  guint              batch_size;     /* halved for the rest of the run on a 413 */

  /* Push: where each kind's outbox has been read up to. */
  Kind               kind;
  gint64             cursor;
  guint              n_total;
  guint              n_done;

  /* Pull: what the pages look up again and again. */
  GHashTable        *items;          /* "dataset\x1fkey" → RoundsItem */
  GHashTable        *rubrics;        /* dataset id → RoundsRubric */
} Run;

/* rounds-sync.c */
void                _rounds_sync_report            (Run                      *run,
                                                    RoundsSyncStage           stage,
                                                    guint                     done,
                                                    guint                     total);
gboolean            _rounds_sync_is_transient      (const GError             *error);
gboolean            _rounds_sync_back_off          (Run                      *run,
                                                    guint                     attempt,
                                                    GError                  **error);
char               *_rounds_sync_object_to_string  (JsonObject               *object);
JsonNode           *_rounds_sync_parse_json        (const char               *text);
gboolean            _rounds_sync_meta_delete       (RoundsStore              *store,
                                                    const char               *key,
                                                    GError                  **error);

/* rounds-sync-outbox.c */
void                _rounds_sync_outgoing_free     (gpointer                  data);
gboolean            _rounds_sync_count_outbox      (Run                      *run,
                                                    GError                  **error);
gboolean            _rounds_sync_fill_batch        (Run                      *run,
                                                    GPtrArray                *batch,
                                                    GError                  **error);
gboolean            _rounds_sync_mark_pushed       (Run                      *run,
                                                    Outgoing                 *out,
                                                    const char               *rev,
                                                    GError                  **error);
gboolean            _rounds_sync_mark_audit_synced (Run                      *run,
                                                    GError                  **error);

/* rounds-sync-push.c */
gboolean            _rounds_sync_push              (Run                      *run,
                                                    GError                  **error);

/* rounds-sync-pull.c */
gboolean            _rounds_sync_pull              (Run                      *run,
                                                    GError                  **error);
char               *_rounds_sync_ensure_client_id  (RoundsStore              *store,
                                                    GError                  **error);

/* rounds-sync-apply.c */
gboolean            _rounds_sync_apply_doc         (Run                      *run,
                                                    JsonObject               *doc,
                                                    gboolean                  force,
                                                    gboolean                 *parked,
                                                    GError                  **error);
gboolean            _rounds_sync_unpark            (Run                      *run,
                                                    GError                  **error);

/* rounds-sync-problems.c */
RoundsSyncProblem  *_rounds_sync_problem_new       (RoundsSyncProblemKind     kind,
                                                    const char               *doc_id,
                                                    const char               *err,
                                                    const char               *reason,
                                                    const char               *server_rev);
gboolean            _rounds_sync_persist_problem   (Run                      *run,
                                                    const RoundsSyncProblem  *problem,
                                                    GError                  **error);
void                _rounds_sync_list_problem      (Run                      *run,
                                                    RoundsSyncProblem        *problem);
void                _rounds_sync_refuse            (Run                      *run,
                                                    const char               *doc_id,
                                                    const char               *message);
gboolean            _rounds_sync_record_problem    (Run                      *run,
                                                    RoundsSyncProblemKind     kind,
                                                    const char               *doc_id,
                                                    const char               *err,
                                                    const char               *reason,
                                                    const char               *server_rev,
                                                    GError                  **error);
gboolean            _rounds_sync_clear_problem     (Run                      *run,
                                                    const char               *doc_id,
                                                    GError                  **error);
gboolean            _rounds_sync_resolve_one       (Run                      *run,
                                                    const Resolution         *resolution,
                                                    GError                  **error);

G_END_DECLS
