/* rounds-compare-page.h: one item, its responses side by side, and the judgement of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_COMPARE_PAGE (rounds_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (RoundsComparePage, rounds_compare_page, ROUNDS, COMPARE_PAGE, GtkWidget)

void             rounds_compare_page_show           (RoundsComparePage *self,
                                                     RoundsDataset     *dataset,
                                                     RoundsItem        *item,
                                                     RoundsJudgement   *judgement,
                                                     const guint       *order);
void             rounds_compare_page_clear          (RoundsComparePage *self);
void             rounds_compare_page_focus_scenario (RoundsComparePage *self);
void             rounds_compare_page_set_guardian   (RoundsComparePage *self,
                                                     GPtrArray         *judgements);
gboolean         rounds_compare_page_get_guardian_visible (RoundsComparePage *self);
RoundsItem      *rounds_compare_page_get_item       (RoundsComparePage *self);
RoundsJudgement *rounds_compare_page_get_judgement  (RoundsComparePage *self);
const char      *rounds_compare_page_get_comment    (RoundsComparePage *self);
void             rounds_compare_page_set_status     (RoundsComparePage *self,
                                                     const char        *status);
void             rounds_compare_page_set_stacked    (RoundsComparePage *self,
                                                     gboolean           stacked);
gboolean         rounds_compare_page_get_stacked    (RoundsComparePage *self);
void             rounds_compare_page_set_progress   (RoundsComparePage *self,
                                                     guint              n,
                                                     guint              total);
gboolean         rounds_compare_page_get_instructions_shown (RoundsComparePage *self);

/* What the keyboard does, in screen positions. */
void             rounds_compare_page_prefer         (RoundsComparePage *self,
                                                     int                key);
void             rounds_compare_page_toggle_unacceptable (RoundsComparePage *self);
void             rounds_compare_page_score          (RoundsComparePage *self,
                                                     int                position,
                                                     const char        *criterion_id,
                                                     int                score);
void             rounds_compare_page_rank           (RoundsComparePage *self,
                                                     int                position,
                                                     int                rank);
void             rounds_compare_page_toggle_flag    (RoundsComparePage *self,
                                                     int                position,
                                                     const char        *flag_name);
void             rounds_compare_page_select_response (RoundsComparePage *self,
                                                      int                position);
int              rounds_compare_page_get_current_response (RoundsComparePage *self);
void             rounds_compare_page_toggle_current_flag (RoundsComparePage *self,
                                                          const char        *flag_name);
void             rounds_compare_page_focus_rubric   (RoundsComparePage *self);

G_END_DECLS
