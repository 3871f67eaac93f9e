/* rounds-review-queue.h: the review queue, a list model that makes its entries when asked,
 * and its rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "rounds-review-entry.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_REVIEW_QUEUE (rounds_review_queue_get_type ())

G_DECLARE_FINAL_TYPE (RoundsReviewQueue, rounds_review_queue, ROUNDS, REVIEW_QUEUE, GObject)

RoundsReviewQueue  *rounds_review_queue_new             (void);
void                rounds_review_queue_set_disputes    (RoundsReviewQueue *self,
                                                         GPtrArray         *disputes);
GtkListItemFactory *rounds_review_queue_row_factory_new (void);

G_END_DECLS
