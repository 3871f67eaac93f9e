/* rounds-dataset.h: a named set of items with its rubric, scale and overlap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rounds-judgement.h"
#include "rounds-rubric.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_DATASET (rounds_dataset_get_type ())

G_DECLARE_FINAL_TYPE (RoundsDataset, rounds_dataset, ROUNDS, DATASET, GObject)

gint64         rounds_dataset_get_id             (RoundsDataset *self);
const char    *rounds_dataset_get_name           (RoundsDataset *self);
const char    *rounds_dataset_get_title          (RoundsDataset *self);
const char    *rounds_dataset_get_description    (RoundsDataset *self);
const char    *rounds_dataset_get_instructions   (RoundsDataset *self);
guint          rounds_dataset_get_overlap        (RoundsDataset *self);
guint          rounds_dataset_get_scale          (RoundsDataset *self);
int            rounds_dataset_get_scale_k        (RoundsDataset *self);
guint          rounds_dataset_get_dispute_spread (RoundsDataset *self);
gboolean       rounds_dataset_get_reveal_guardian (RoundsDataset *self);
RoundsRequire  rounds_dataset_get_required       (RoundsDataset *self);
RoundsRubric  *rounds_dataset_get_rubric         (RoundsDataset *self);

G_END_DECLS
