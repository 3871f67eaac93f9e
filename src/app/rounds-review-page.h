/* rounds-review-page.h: the ethics reviewer's page: disputed items, every side, a verdict
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_REVIEW_PAGE (rounds_review_page_get_type ())

G_DECLARE_FINAL_TYPE (RoundsReviewPage, rounds_review_page, ROUNDS, REVIEW_PAGE, GtkWidget)

GtkWidget  *rounds_review_page_new          (void);
gboolean    rounds_review_page_load         (RoundsReviewPage  *self,
                                             RoundsStore       *store,
                                             RoundsDataset     *dataset,
                                             RoundsProfile     *reviewer,
                                             GError           **error);
gboolean    rounds_review_page_get_loading  (RoundsReviewPage  *self);
guint       rounds_review_page_get_n_items  (RoundsReviewPage  *self);
GListModel *rounds_review_page_get_queue    (RoundsReviewPage  *self);
RoundsItem *rounds_review_page_get_item     (RoundsReviewPage  *self);
gboolean    rounds_review_page_get_item_whole (RoundsReviewPage *self);
const guint *rounds_review_page_get_order   (RoundsReviewPage  *self);
gboolean    rounds_review_page_get_stacked  (RoundsReviewPage  *self);
RoundsDataset *rounds_review_page_get_dataset (RoundsReviewPage *self);
gboolean    rounds_review_page_select       (RoundsReviewPage  *self,
                                             guint              position);
void        rounds_review_page_set_correction (RoundsReviewPage *self,
                                               guint             response,
                                               const char       *criterion_id,
                                               int               score);
void        rounds_review_page_set_verdict  (RoundsReviewPage  *self,
                                             int                preference,
                                             const char        *rationale);

G_END_DECLS
