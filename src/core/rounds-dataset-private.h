/* rounds-dataset-private.h: the insides of a dataset, for the store that fills it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-dataset.h"

G_BEGIN_DECLS

struct _RoundsDataset
{
  GObject        parent_instance;

  gint64         id;
  char          *name;
  char          *title;
  char          *description;
  char          *instructions;
  char          *metadata_json;
  RoundsRubric  *rubric;          /* NULL until asked for when the default applies */
  guint          overlap;
  guint          scale;
  guint          dispute_spread;
  gboolean       reveal_guardian;
  RoundsRequire  required;
};

G_END_DECLS
