/* rounds-sync.h: pushing local edits to the curation store and pulling the team's back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/* The newest document schema this client reads and writes; newer ones are skipped. */
#define ROUNDS_SYNC_DOC_SCHEMA 1

typedef enum
{
  ROUNDS_SYNC_PUSH = 1 << 0,
  ROUNDS_SYNC_PULL = 1 << 1,
  ROUNDS_SYNC_BOTH = ROUNDS_SYNC_PUSH | ROUNDS_SYNC_PULL,
} RoundsSyncDirection;

typedef enum
{
  ROUNDS_SYNC_STAGE_IDLE,
  ROUNDS_SYNC_STAGE_CONNECTING,
  ROUNDS_SYNC_STAGE_PUSHING,
  ROUNDS_SYNC_STAGE_PULLING,
  ROUNDS_SYNC_STAGE_DONE,
} RoundsSyncStage;

typedef enum
{
  ROUNDS_SYNC_PROBLEM_FORBIDDEN,   /* the store refused the document: see the reason */
  ROUNDS_SYNC_PROBLEM_CONFLICT,    /* a dataset or item changed both here and in the store */
  ROUNDS_SYNC_PROBLEM_REJECTED,    /* any other refusal of one document */
} RoundsSyncProblemKind;

/* How a curator settles a conflict on a dataset or item. */
typedef enum
{
  ROUNDS_SYNC_KEEP_MINE,           /* the next push replaces the store's version with ours */
  ROUNDS_SYNC_TAKE_THEIRS,         /* the store's version replaces ours now */
} RoundsSyncResolution;

/**
 * RoundsSyncProblem:
 * @doc_id: the document, e.g. "judgement:dr-lin:ethics:c1:…"
 * @error: the store's error name ("forbidden", "conflict", …)
 * @reason: the store's reason, to show to the person
 * @server_rev: (nullable): for a conflict, the store's revision
 * @at: when it was seen, ISO 8601
 * @title: (nullable): for a dataset or item, the title this computer has for it: a
 *   dataset's when other than its name, an item's title or else its key
 *
 * A document that did not go through. It stays in the outbox (or, for a conflict, keeps
 * its local version) and is listed until a later sync gets it through or it is resolved.
 */
typedef struct
{
  RoundsSyncProblemKind  kind;
  char                  *doc_id;
  char                  *error;
  char                  *reason;
  char                  *server_rev;
  char                  *at;
  char                  *title;
} RoundsSyncProblem;

/**
 * RoundsSyncResult:
 * @n_pushed: documents the store accepted in this run (or had already, after a resend)
 * @n_pulled: documents applied here: new edits, new or changed datasets, items, profiles
 * @n_unchanged: pulled documents that were here already (a replay, or our own)
 * @n_skipped: pulled documents of an unknown type, a newer schema, or unreadable
 * @n_parked: pulled judgements and verdicts waiting for their item to arrive
 * @n_waiting: local edits still waiting to reach the store after the run
 * @forbidden: (element-type RoundsSyncProblem): documents the store refused in this run
 * @conflicts: (element-type RoundsSyncProblem): datasets and items in conflict
 * @refused: (element-type RoundsSyncProblem): pulled documents this client could not read
 *   (a member missing, out of range or of the wrong type, or a change without its
 *   document), with the reason; each is kept out, counted in @n_skipped, and the pull goes
 *   on with the rest
 */
typedef struct
{
  guint       n_pushed;
  guint       n_pulled;
  guint       n_unchanged;
  guint       n_skipped;
  guint       n_parked;
  guint       n_waiting;
  GPtrArray  *forbidden;
  GPtrArray  *conflicts;
  GPtrArray  *refused;
} RoundsSyncResult;

#define ROUNDS_TYPE_SYNC (rounds_sync_get_type ())

G_DECLARE_FINAL_TYPE (RoundsSync, rounds_sync, ROUNDS, SYNC, GObject)

RoundsSyncResult  *rounds_sync_result_new         (void);
void               rounds_sync_result_free        (RoundsSyncResult       *self);
void               rounds_sync_problem_free       (RoundsSyncProblem      *self);
const char        *rounds_sync_problem_kind_to_string (RoundsSyncProblemKind kind);

RoundsSync        *rounds_sync_new                (const char             *url);
const char        *rounds_sync_get_url            (RoundsSync             *self);
void               rounds_sync_set_credentials    (RoundsSync             *self,
                                                   const char             *user,
                                                   const char             *password);
void               rounds_sync_set_ca_file        (RoundsSync             *self,
                                                   const char             *ca_file);
void               rounds_sync_set_profile        (RoundsSync             *self,
                                                   const char             *user_name);
void               rounds_sync_set_direction      (RoundsSync             *self,
                                                   RoundsSyncDirection     direction);
void               rounds_sync_set_batch_size     (RoundsSync             *self,
                                                   guint                   batch_size);
void               rounds_sync_set_page_size      (RoundsSync             *self,
                                                   guint                   page_size);
void               rounds_sync_set_timeouts       (RoundsSync             *self,
                                                   guint                   connect_ms,
                                                   guint                   total_ms);
void               rounds_sync_set_retries        (RoundsSync             *self,
                                                   guint                   attempts,
                                                   guint                   delay_ms);
void               rounds_sync_resolve            (RoundsSync             *self,
                                                   const char             *doc_id,
                                                   RoundsSyncResolution    resolution);
RoundsSyncStage    rounds_sync_get_stage          (RoundsSync             *self);
double             rounds_sync_get_fraction       (RoundsSync             *self);

gboolean           rounds_sync_run                (RoundsSync             *self,
                                                   RoundsStore            *store,
                                                   RoundsSyncResult      **result,
                                                   GCancellable           *cancellable,
                                                   GError                **error);
void               rounds_sync_run_async          (RoundsSync             *self,
                                                   const char             *db_path,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
RoundsSyncResult  *rounds_sync_run_finish         (RoundsSync             *self,
                                                   GAsyncResult           *result,
                                                   GError                **error);

/* What the local store knows, for a status line, without the network. */
gboolean           rounds_sync_count_waiting      (RoundsStore            *store,
                                                   const char             *user_name,
                                                   guint                  *n_waiting,
                                                   GError                **error);
GPtrArray         *rounds_sync_list_problems      (RoundsStore            *store,
                                                   GError                **error);
void               rounds_sync_list_problems_async  (const char           *db_path,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray         *rounds_sync_list_problems_finish (GAsyncResult         *result,
                                                     GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsSyncResult, rounds_sync_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsSyncProblem, rounds_sync_problem_free)

G_END_DECLS
