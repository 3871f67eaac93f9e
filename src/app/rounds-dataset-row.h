/* rounds-dataset-row.h: one dataset in the list: its title, progress and a way to review it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_DATASET_ROW (rounds_dataset_row_get_type ())

G_DECLARE_FINAL_TYPE (RoundsDatasetRow, rounds_dataset_row, ROUNDS, DATASET_ROW, AdwActionRow)

GtkWidget *rounds_dataset_row_new (RoundsDataset        *dataset,
                                   const RoundsProgress *progress,
                                   RoundsProfile        *profile);

G_END_DECLS
