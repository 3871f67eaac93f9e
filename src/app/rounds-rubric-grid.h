/* rounds-rubric-grid.h: a score for every response on every criterion of a rubric
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-rubric.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_RUBRIC_GRID (rounds_rubric_grid_get_type ())

G_DECLARE_FINAL_TYPE (RoundsRubricGrid, rounds_rubric_grid, ROUNDS, RUBRIC_GRID, GtkGrid)

void     rounds_rubric_grid_set_rubric       (RoundsRubricGrid *self,
                                              RoundsRubric     *rubric,
                                              guint             n_responses,
                                              const guint      *order);
void     rounds_rubric_grid_clear            (RoundsRubricGrid *self);
int      rounds_rubric_grid_get_score        (RoundsRubricGrid *self,
                                              guint             response,
                                              guint             criterion);
void     rounds_rubric_grid_set_score        (RoundsRubricGrid *self,
                                              guint             response,
                                              guint             criterion,
                                              int               score);
gboolean rounds_rubric_grid_get_focus_cell   (RoundsRubricGrid *self,
                                              guint            *position,
                                              guint            *criterion);
gboolean rounds_rubric_grid_focus_cell       (RoundsRubricGrid *self,
                                              guint             position,
                                              int               criterion);
gboolean rounds_rubric_grid_get_dim_headings (RoundsRubricGrid *self);
void     rounds_rubric_grid_set_dim_headings (RoundsRubricGrid *self,
                                              gboolean          dim_headings);

G_END_DECLS
