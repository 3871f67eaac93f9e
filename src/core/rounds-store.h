/* rounds-store.h: the local SQLite store of datasets, items, judgements and verdicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-dataset.h"
#include "rounds-item.h"
#include "rounds-judgement.h"
#include "rounds-profile.h"

G_BEGIN_DECLS

#define ROUNDS_SCHEMA_VERSION 5

#define ROUNDS_TYPE_STORE (rounds_store_get_type ())

G_DECLARE_FINAL_TYPE (RoundsStore, rounds_store, ROUNDS, STORE, GObject)

typedef struct
{
  guint n_items;           /* items in the dataset, those awaiting responses included */
  guint n_complete;        /* items whose overlap is met */
  guint n_wanted;          /* judgements wanted: the sum of the overlap of every item that
                            * has responses */
  guint n_submitted;       /* annotator-item pairs with a submitted judgement, up to overlap */
  guint n_mine;            /* items this annotator submitted */
  guint n_mine_skipped;    /* items this annotator skipped */
  guint n_mine_open;       /* items still in this annotator's queue */
  guint n_awaiting;        /* items awaiting responses: in no queue until they have two */
} RoundsProgress;

typedef struct
{
  char   *user_name;
  char   *display_name;
  guint   n_submitted;
  guint   n_skipped;
  guint   n_revised;       /* items with more than one edit */
  gint64  time_spent_ms;   /* over current submitted judgements */
  char   *last_at;
} RoundsAnnotatorStats;

typedef struct
{
  gint64        item_id;
  char         *item_key;
  char         *title;
  char         *edit_id;
  int           revision;
  RoundsStatus  status;
  char         *created_at;
} RoundsHistoryEntry;

RoundsStore      *rounds_store_open                  (const char       *path,
                                                      GError          **error);
char             *rounds_store_default_path          (void);
const char       *rounds_store_get_path              (RoundsStore      *self);
int               rounds_store_get_schema_version    (RoundsStore      *self);
gboolean          rounds_store_check_integrity       (RoundsStore      *self,
                                                      GError          **error);

/* Profiles: the people who work on this machine. */
gboolean          rounds_store_add_profile           (RoundsStore      *self,
                                                      RoundsProfile    *profile,
                                                      GError          **error);
GListModel       *rounds_store_list_profiles         (RoundsStore      *self,
                                                      GError          **error);
RoundsProfile    *rounds_store_get_profile           (RoundsStore      *self,
                                                      const char       *user_name,
                                                      GError          **error);
gboolean          rounds_store_set_current_profile   (RoundsStore      *self,
                                                      const char       *user_name,
                                                      GError          **error);
RoundsProfile    *rounds_store_get_current_profile   (RoundsStore      *self);

/* Datasets and items. */
GListModel       *rounds_store_list_datasets         (RoundsStore      *self,
                                                      GError          **error);
RoundsDataset    *rounds_store_get_dataset           (RoundsStore      *self,
                                                      const char       *name,
                                                      GError          **error);
GPtrArray        *rounds_store_get_datasets          (RoundsStore        *self,
                                                      const char * const *names,
                                                      GError            **error);
RoundsDataset    *rounds_store_get_dataset_by_id     (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      GError          **error);
gboolean          rounds_store_count_items           (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      guint            *n_items,
                                                      GError          **error);
RoundsItem       *rounds_store_get_item              (RoundsStore      *self,
                                                      gint64            item_id,
                                                      GError          **error);
RoundsItem       *rounds_store_find_item             (RoundsStore      *self,
                                                      const char       *dataset,
                                                      const char       *key,
                                                      GError          **error);

/* The queue and the order on screen. */
RoundsItem       *rounds_store_next_item             (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      const char       *annotator,
                                                      GError          **error);
gboolean          rounds_store_get_shown_order       (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      guint            *order,
                                                      GError          **error);

/* Judgements: every save is an edit of its own. */
gboolean          rounds_store_save_judgement        (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      RoundsJudgement  *judgement,
                                                      GError          **error);
RoundsJudgement  *rounds_store_get_judgement         (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      GError          **error);
GPtrArray        *rounds_store_list_edits            (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      GError          **error);
GArray           *rounds_store_list_history          (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      const char       *annotator,
                                                      GError          **error);
gboolean          rounds_store_save_draft            (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      RoundsJudgement  *judgement,
                                                      GError          **error);
RoundsJudgement  *rounds_store_get_draft             (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      GError          **error);
gboolean          rounds_store_discard_draft         (RoundsStore      *self,
                                                      RoundsItem       *item,
                                                      const char       *annotator,
                                                      GError          **error);

/* Progress. */
gboolean          rounds_store_get_progress          (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      const char       *annotator,
                                                      RoundsProgress   *progress,
                                                      GError          **error);
gboolean          rounds_store_get_my_progress       (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      const char       *annotator,
                                                      RoundsProgress   *progress,
                                                      GError          **error);
GArray           *rounds_store_list_annotator_stats  (RoundsStore      *self,
                                                      gint64            dataset_id,
                                                      GError          **error);

gboolean          rounds_store_audit                 (RoundsStore      *self,
                                                      const char       *actor,
                                                      const char       *action,
                                                      const char       *target,
                                                      const char       *detail_json,
                                                      GError          **error);

G_END_DECLS
