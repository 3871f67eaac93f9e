/* rounds-dataset.c: a named set of items with its rubric, scale and overlap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-dataset"

#include "config.h"

#include "rounds-dataset-private.h"

G_DEFINE_FINAL_TYPE (RoundsDataset, rounds_dataset, G_TYPE_OBJECT)

static void
rounds_dataset_finalize (GObject *object)
{
  RoundsDataset *self = (RoundsDataset *)object;

  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->instructions);
  g_free (self->metadata_json);
  g_clear_pointer (&self->rubric, rounds_rubric_unref);

  G_OBJECT_CLASS (rounds_dataset_parent_class)->finalize (object);
}

static void
rounds_dataset_class_init (RoundsDatasetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_dataset_finalize;
}

static void
rounds_dataset_init (RoundsDataset *self)
{
  self->overlap = 1;
  self->scale = 5;
  self->dispute_spread = 2;
  self->required = ROUNDS_REQUIRE_PREFERENCE;
}

gint64
rounds_dataset_get_id (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 0);
  return self->id;
}

const char *
rounds_dataset_get_name (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), NULL);
  return self->name;
}

const char *
rounds_dataset_get_title (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), NULL);
  return self->title && *self->title ? self->title : self->name;
}

const char *
rounds_dataset_get_description (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), NULL);
  return self->description;
}

const char *
rounds_dataset_get_instructions (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), NULL);
  return self->instructions;
}

guint
rounds_dataset_get_overlap (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 1);
  return self->overlap;
}

/* The number of points on the two-response preference scale: 3, 5 or 7. */
guint
rounds_dataset_get_scale (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 5);
  return self->scale;
}

/* The largest preference on either side: 2 on a 5-point scale. */
int
rounds_dataset_get_scale_k (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 2);
  return (int) (self->scale - 1) / 2;
}

guint
rounds_dataset_get_dispute_spread (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 2);
  return self->dispute_spread;
}

/* Whether a clinician sees the guardian's judgement of an item once theirs is submitted. */
gboolean
rounds_dataset_get_reveal_guardian (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), FALSE);
  return self->reveal_guardian;
}

RoundsRequire
rounds_dataset_get_required (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), 0);
  return self->required;
}

/* The dataset's rubric, or the clinical default in the user's language. */
RoundsRubric *
rounds_dataset_get_rubric (RoundsDataset *self)
{
  g_return_val_if_fail (ROUNDS_IS_DATASET (self), NULL);

  if (self->rubric == NULL)
    self->rubric = rounds_rubric_new_default ();
  return self->rubric;
}

