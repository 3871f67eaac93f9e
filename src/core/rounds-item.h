/* rounds-item.h: one scenario and its two or more model responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_ITEM (rounds_item_get_type ())

G_DECLARE_FINAL_TYPE (RoundsItem, rounds_item, ROUNDS, ITEM, GObject)

gint64      rounds_item_get_id                 (RoundsItem *self);
gint64      rounds_item_get_dataset_id         (RoundsItem *self);
const char *rounds_item_get_dataset_name       (RoundsItem *self);
const char *rounds_item_get_key                (RoundsItem *self);
const char *rounds_item_get_title              (RoundsItem *self);
const char *rounds_item_get_scenario           (RoundsItem *self);
const char *rounds_item_get_specialty          (RoundsItem *self);
const char *rounds_item_get_language           (RoundsItem *self);
const char *rounds_item_get_metadata_json      (RoundsItem *self);
guint       rounds_item_get_overlap            (RoundsItem *self);
guint       rounds_item_get_n_responses        (RoundsItem *self);
const char *rounds_item_get_response_key       (RoundsItem *self,
                                                guint       index);
const char *rounds_item_get_response_text      (RoundsItem *self,
                                                guint       index);
const char *rounds_item_get_response_model     (RoundsItem *self,
                                                guint       index);
int         rounds_item_find_response          (RoundsItem *self,
                                                const char *key);
guint      *rounds_item_dup_reviewer_order     (RoundsItem *self,
                                                const char *reviewer);

G_END_DECLS
