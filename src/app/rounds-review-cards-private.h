/* rounds-review-cards-private.h: an item's judgements on the review page: a card per
 * annotator and the rubric as a criteria × annotators table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-dataset.h"
#include "rounds-item.h"
#include "rounds-judgement.h"

G_BEGIN_DECLS

/* What the review page shows of its item, all borrowed. */
typedef struct
{
  RoundsDataset *dataset;
  RoundsItem    *item;
  const guint   *order;        /* screen position → canonical response */
  GPtrArray     *judgements;   /* RoundsJudgement, the people's, or NULL */
  GPtrArray     *guardian;     /* the guardian's judgements, or NULL */
  gboolean       show_names;   /* the annotators' user names, not "Annotator N" */
} RoundsReviewShown;

int        _rounds_review_screen_preference  (const guint             *order,
                                              int                      preference);
GtkWidget *_rounds_review_judgement_card_new (const RoundsReviewShown *shown,
                                              const RoundsJudgement   *judgement,
                                              guint                    index,
                                              gboolean                 machine);
GtkWidget *_rounds_review_criteria_table_new (const RoundsReviewShown *shown);

G_END_DECLS
