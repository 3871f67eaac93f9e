/* rounds-store-private.h: what import, export and sync need of the store's insides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "rounds-judgement-private.h"
#include "rounds-review.h"
#include "rounds-store.h"

G_BEGIN_DECLS

typedef enum
{
  ROUNDS_ORIGIN_LOCAL,
  ROUNDS_ORIGIN_IMPORT,
  ROUNDS_ORIGIN_REMOTE,
} RoundsOrigin;

typedef gpointer (*RoundsObjectFromRow) (sqlite3_stmt *stmt);

/* Where an annotator's last queue search ended, at which queue_epoch (rounds-store-items.c) */
typedef struct
{
  gint64 dataset_id;
  gint64 annotator_id;
  gint64 epoch;
  gint64 position;
} RoundsQueueMark;

sqlite3      *_rounds_store_get_db            (RoundsStore      *self);
RoundsQueueMark *_rounds_store_get_queue_mark (RoundsStore      *self);
void          _rounds_store_bind_text        (sqlite3_stmt     *stmt,
                                             int               index,
                                             const char       *text);
char         *_rounds_store_column_dup       (sqlite3_stmt     *stmt,
                                             int               index);
gboolean      _rounds_store_step_done        (RoundsStore      *self,
                                             sqlite3_stmt     *stmt,
                                             GError          **error);
gboolean      _rounds_store_step_done_lazily (RoundsStore      *self,
                                             sqlite3_stmt     *stmt,
                                             GError          **error);
GListModel   *_rounds_store_list_objects     (RoundsStore          *self,
                                             sqlite3_stmt         *stmt,
                                             GType                 type,
                                             RoundsObjectFromRow   from_row,
                                             GError              **error);
gboolean      _rounds_store_step_row         (RoundsStore      *self,
                                             sqlite3_stmt     *stmt,
                                             GError          **error);
gboolean      _rounds_store_step_end         (RoundsStore      *self,
                                             sqlite3_stmt     *stmt,
                                             int               rc,
                                             GError          **error);
sqlite3_stmt *_rounds_store_prepare           (RoundsStore      *self,
                                               const char       *sql,
                                               GError          **error);
gboolean      _rounds_store_exec              (RoundsStore      *self,
                                               const char       *sql,
                                               GError          **error);
gboolean      _rounds_store_set_sqlite_error  (RoundsStore      *self,
                                               GError          **error);
gboolean      _rounds_store_begin             (RoundsStore      *self,
                                               GError          **error);
gboolean      _rounds_store_begin_read        (RoundsStore      *self,
                                               GError          **error);
gboolean      _rounds_store_commit            (RoundsStore      *self,
                                               GError          **error);
void          _rounds_store_rollback          (RoundsStore      *self);
char         *_rounds_store_get_meta          (RoundsStore      *self,
                                               const char       *key,
                                               GError          **error);
gboolean      _rounds_store_set_meta          (RoundsStore      *self,
                                               const char       *key,
                                               const char       *value,
                                               GError          **error);
gint64        _rounds_store_lookup_annotator  (RoundsStore      *self,
                                               const char       *user_name,
                                               GError          **error);
gint64        _rounds_store_ensure_annotator  (RoundsStore      *self,
                                               const char       *user_name,
                                               GError          **error);
gint64        _rounds_store_lookup_reviewer   (RoundsStore      *self,
                                               const char       *user_name,
                                               GError          **error);
const char   *_rounds_origin_to_string        (RoundsOrigin      origin);
char         *_rounds_store_item_target       (RoundsItem       *item);
gboolean      _rounds_store_add_audit         (RoundsStore      *self,
                                               const char       *at,
                                               const char       *actor,
                                               const char       *action,
                                               const char       *target,
                                               const char       *detail_json,
                                               gboolean          once,
                                               GError          **error);
gboolean      _rounds_store_audit_edit        (RoundsStore      *self,
                                               RoundsItem       *item,
                                               const char       *actor,
                                               const char       *action,
                                               const char       *edit_id,
                                               int               revision,
                                               const char       *previous_edit,
                                               GError          **error);
void          _rounds_store_stamp_edit        (char            **edit_id,
                                               char            **created_at,
                                               char            **author,
                                               const char       *user_name);
gboolean      _rounds_store_next_revision     (RoundsStore      *self,
                                               const char       *sql,
                                               gint64            item_id,
                                               gint64            person_id,
                                               int              *revision,
                                               char            **previous_edit,
                                               GError          **error);
gboolean      _rounds_store_insert_judgement  (RoundsStore      *self,
                                               RoundsItem       *item,
                                               gint64            annotator_id,
                                               RoundsJudgement  *judgement,
                                               RoundsOrigin      origin,
                                               gboolean         *inserted,
                                               GError          **error);
gboolean      _rounds_store_has_edit          (RoundsStore      *self,
                                               const char       *table,
                                               const char       *edit_id,
                                               gboolean         *found,
                                               GError          **error);
gboolean      _rounds_edit_is_newer           (int               revision,
                                               const char       *created_at,
                                               const char       *edit_id,
                                               int               than_revision,
                                               const char       *than_created_at,
                                               const char       *than_edit_id);
gboolean      _rounds_store_supersede         (RoundsStore      *self,
                                               const char       *table,
                                               sqlite3_stmt     *current,
                                               int               revision,
                                               const char       *created_at,
                                               const char       *edit_id,
                                               gboolean         *newest,
                                               gboolean         *current_submitted,
                                               GError          **error);
gboolean      _rounds_store_insert_verdict    (RoundsStore          *self,
                                               RoundsItem           *item,
                                               gint64                reviewer_id,
                                               const RoundsVerdict  *verdict,
                                               const char           *resolves_json,
                                               RoundsOrigin          origin,
                                               gboolean             *inserted,
                                               GError              **error);
GHashTable   *_rounds_store_list_current_verdicts (RoundsStore     *self,
                                                  gint64           dataset_id,
                                                  GError         **error);
void          _rounds_store_skip_optimize     (RoundsStore      *self);
GPtrArray    *_rounds_store_disputes_from_items (RoundsStore          *self,
                                                RoundsDataset        *dataset,
                                                GPtrArray            *items,
                                                RoundsDisputeFilter   filter,
                                                GError              **error);
gboolean      _rounds_agreement_from_items    (RoundsDataset           *dataset,
                                               GPtrArray               *items,
                                               RoundsAgreementReport  **out,
                                               GError                 **error);
RoundsDataset *_rounds_dataset_new_from_row   (sqlite3_stmt     *stmt);
gint64        _rounds_store_add_implicit_dataset (RoundsStore  *self,
                                                  const char   *name,
                                                  gboolean      published,
                                                  GError      **error);

gboolean      _rounds_store_set_reveal_guardian (RoundsStore   *self,
                                                 const char    *dataset,
                                                 gboolean       reveal,
                                                 GError       **error);
gboolean      _rounds_store_guardian_agreement (GPtrArray     *items,
                                                RoundsRubric  *rubric,
                                                GArray       **guardians,
                                                GError       **error);

/* The columns of one judgement edit, from "annotations a JOIN annotators an"; read by name,
 * so a query that adds columns must not reuse these names. */
#define _ROUNDS_ANNOTATION_COLUMNS \
  "a.edit_id, a.revision, a.status, a.preference, a.ranking_json, a.unacceptable, " \
  "a.scores_json, a.flags_json, a.notes_json, a.comment, a.skip_reason, a.shown_order, " \
  "a.time_spent_ms, a.created_at, an.user_name"

RoundsJudgement *_rounds_store_judgement_from_row (sqlite3_stmt     *stmt,
                                                   guint             n_responses,
                                                   RoundsRubric     *rubric);

/* Where the columns of _ROUNDS_ANNOTATION_COLUMNS are in a statement. */
typedef struct
{
  int edit_id, revision, status, preference, ranking_json, unacceptable, scores_json;
  int flags_json, notes_json, comment, skip_reason, shown_order, time_spent_ms, created_at;
  int user_name;
} RoundsJudgementColumns;

void             _rounds_store_judgement_columns_init (RoundsJudgementColumns       *columns,
                                                       sqlite3_stmt                 *stmt);
RoundsJudgement *_rounds_store_judgement_read         (sqlite3_stmt                 *stmt,
                                                       const RoundsJudgementColumns *columns,
                                                       guint                         n_responses,
                                                       RoundsRubric                 *rubric);
RoundsJudgement *_rounds_store_judgement_from_columns (sqlite3_stmt                 *stmt,
                                                       const RoundsJudgementColumns *columns,
                                                       RoundsJudgement              *scratch,
                                                       RoundsArena                  *arena,
                                                       char                        **criteria);

G_END_DECLS
