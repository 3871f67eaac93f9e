/* rounds-review-entry.h: one disputed item in the review queue, as a list model's item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rounds-review.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_REVIEW_ENTRY (rounds_review_entry_get_type ())

G_DECLARE_FINAL_TYPE (RoundsReviewEntry, rounds_review_entry, ROUNDS, REVIEW_ENTRY, GObject)

RoundsReviewEntry   *rounds_review_entry_new             (RoundsDispute     *dispute);
const RoundsDispute *rounds_review_entry_get_dispute     (RoundsReviewEntry *self);
const char          *rounds_review_entry_get_title       (RoundsReviewEntry *self);
const char          *rounds_review_entry_get_rules       (RoundsReviewEntry *self);
char                *rounds_review_entry_dup_subtitle    (RoundsReviewEntry *self);
gboolean             rounds_review_entry_get_has_verdict (RoundsReviewEntry *self);
void                 rounds_review_entry_set_has_verdict (RoundsReviewEntry *self,
                                                          gboolean           has_verdict);

G_END_DECLS
