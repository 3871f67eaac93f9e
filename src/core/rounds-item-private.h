/* rounds-item-private.h: the insides of an item, for the store that fills it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-item.h"

G_BEGIN_DECLS

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
