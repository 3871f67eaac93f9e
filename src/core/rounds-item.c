/* rounds-item.c: one scenario and its two or more model responses
 *
 * Model names are kept for export and review; the workstation never shows them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-item"

#include "config.h"

#include <string.h>

#include "rounds-item-private.h"

G_DEFINE_FINAL_TYPE (RoundsItem, rounds_item, G_TYPE_OBJECT)

static void
response_clear (gpointer data)
{
  RoundsResponse *response = data;

  g_free (response->key);
  g_free (response->text);
  g_free (response->model);
}

static void
rounds_item_finalize (GObject *object)
{
  RoundsItem *self = (RoundsItem *)object;

  g_free (self->dataset_name);
  g_free (self->key);
  g_free (self->title);
  g_free (self->scenario);
  g_free (self->specialty);
  g_free (self->language);
  g_free (self->metadata_json);
  g_clear_pointer (&self->responses, g_array_unref);

  G_OBJECT_CLASS (rounds_item_parent_class)->finalize (object);
}

static void
rounds_item_class_init (RoundsItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_item_finalize;
}

static void
rounds_item_init (RoundsItem *self)
{
  self->responses = g_array_new (FALSE, TRUE, sizeof (RoundsResponse));
  g_array_set_clear_func (self->responses, response_clear);
}

void
_rounds_item_add_response (RoundsItem *self,
                           const char *key,
                           const char *text,
                           const char *model)
{
  RoundsResponse response = { g_strdup (key), g_strdup (text), g_strdup (model) };

  g_array_append_val (self->responses, response);
}

gint64
rounds_item_get_id (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), 0);
  return self->id;
}

gint64
rounds_item_get_dataset_id (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), 0);
  return self->dataset_id;
}

const char *
rounds_item_get_dataset_name (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->dataset_name;
}

const char *
rounds_item_get_key (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->key;
}

/* The title, or the item's key where the data gave none. */
const char *
rounds_item_get_title (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->title && *self->title ? self->title : self->key;
}

const char *
rounds_item_get_scenario (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->scenario;
}

const char *
rounds_item_get_specialty (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->specialty;
}

const char *
rounds_item_get_language (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->language;
}

const char *
rounds_item_get_metadata_json (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  return self->metadata_json;
}

guint
rounds_item_get_overlap (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), 1);
  return self->overlap;
}

guint
rounds_item_get_n_responses (RoundsItem *self)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), 0);
  return self->responses->len;
}

/* The response at canonical @index, or NULL with a critical when there is none. */
static const RoundsResponse *
response_at (RoundsItem *self,
             guint       index)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), NULL);
  g_return_val_if_fail (index < self->responses->len, NULL);
  return &g_array_index (self->responses, RoundsResponse, index);
}

const char *
rounds_item_get_response_key (RoundsItem *self,
                              guint       index)
{
  const RoundsResponse *response = response_at (self, index);

  return response != NULL ? response->key : NULL;
}

const char *
rounds_item_get_response_text (RoundsItem *self,
                               guint       index)
{
  const RoundsResponse *response = response_at (self, index);

  return response != NULL ? response->text : NULL;
}

/* For export and for a reviewer who asks; never shown to annotators. */
const char *
rounds_item_get_response_model (RoundsItem *self,
                                guint       index)
{
  const RoundsResponse *response = response_at (self, index);

  return response != NULL ? response->model : NULL;
}

/* The canonical index of the response with @key, or -1. */
int
rounds_item_find_response (RoundsItem *self,
                           const char *key)
{
  g_return_val_if_fail (ROUNDS_IS_ITEM (self), -1);

  for (guint i = 0; i < self->responses->len; i++)
    if (g_strcmp0 (g_array_index (self->responses, RoundsResponse, i).key, key) == 0)
      return (int) i;
  return -1;
}

/**
 * rounds_item_dup_reviewer_order:
 *
 * Returns: (transfer full): @reviewer's order of @item's responses (screen position →
 *   canonical index): sorted by a digest of the reviewer, the item
 * and the response, so the same each time the reviewer opens the item and unrelated to the
 * canonical order or to another reviewer's.
 */
guint *
rounds_item_dup_reviewer_order (RoundsItem *item,
                                const char *reviewer)
{
  guint n = rounds_item_get_n_responses (item);
  guint *order = g_new (guint, n);
  g_auto(GStrv) digests = g_new0 (char *, n + 1);

  for (guint r = 0; r < n; r++)
    {
      g_autofree char *seed = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%u", reviewer,
                                               rounds_item_get_dataset_name (item),
                                               rounds_item_get_key (item), r);

      digests[r] = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
      order[r] = r;
    }
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && strcmp (digests[order[j - 1]], digests[order[j]]) > 0; j--)
      {
        guint swap = order[j];

        order[j] = order[j - 1];
        order[j - 1] = swap;
      }
  return order;
}
