/* rounds-assess.h: the guardian: an evaluator model's judgements of a dataset's items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rounds-chat.h"
#include "rounds-dataset.h"
#include "rounds-item.h"
#include "rounds-judgement.h"
#include "rounds-store.h"

G_BEGIN_DECLS

/**
 * RoundsAssessSummary:
 * @n_items: items with two or more responses
 * @n_skipped: of those, items this guardian had assessed already
 * @n_assessed: judgements stored by this run
 * @refusals: (element-type utf8): one line per refused reply, "ITEM: reason", in item
 *   order; nothing of a refused reply is stored
 */
typedef struct
{
  guint      n_items;
  guint      n_skipped;
  guint      n_assessed;
  GPtrArray *refusals;
} RoundsAssessSummary;

typedef void (*RoundsAssessProgressFunc) (guint       done,
                                          guint       total,
                                          const char *item_key,
                                          gpointer    user_data);

void             rounds_assess_summary_clear (RoundsAssessSummary  *summary);

JsonObject      *rounds_assess_build_schema  (RoundsDataset        *dataset,
                                              guint                 n_responses);
char            *rounds_assess_build_prompt  (RoundsDataset        *dataset,
                                              RoundsItem           *item);
RoundsJudgement *rounds_assess_read_reply    (RoundsDataset        *dataset,
                                              RoundsItem           *item,
                                              const char           *content,
                                              GError              **error);
gboolean         rounds_assess_run           (RoundsStore          *store,
                                              RoundsDataset        *dataset,
                                              RoundsChat           *chat,
                                              const char           *system,
                                              RoundsAssessProgressFunc progress,
                                              gpointer              progress_data,
                                              RoundsAssessSummary  *summary,
                                              GCancellable         *cancellable,
                                              GError              **error);

G_END_DECLS
