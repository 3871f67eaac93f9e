/* rounds-model-private.h: the insides of the model objects, for the store that fills them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-dataset.h"
#include "rounds-item.h"

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
  RoundsRequire  required;
  guint          n_items;
};

typedef struct
{
  char *key;
  char *text;
  char *model;
} RoundsResponse;

struct _RoundsItem
{
  GObject  parent_instance;

  gint64   id;
  gint64   dataset_id;
  char    *dataset_name;
  char    *key;
  char    *title;
  char    *scenario;
  char    *specialty;
  char    *language;
  char    *metadata_json;
  guint    overlap;
  GArray  *responses;             /* RoundsResponse, canonical order */
};

void _rounds_item_add_response (RoundsItem *self,
                                const char *key,
                                const char *text,
                                const char *model);

G_END_DECLS
