/* rounds-review-entry.c: one disputed item in the review queue, as a list model's item
 *
 * The queue (#RoundsReviewQueue) makes one of these only when a row asks for it; a row widget
 * is made only for those on screen, and follows "has-verdict", so recording a verdict changes
 * one entry and the one row that shows it, not the queue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review-entry"

#include "config.h"

#include "rounds-review-entry.h"

struct _RoundsReviewEntry
{
  GObject        parent_instance;

  RoundsDispute *dispute;
  char          *rules;
};

G_DEFINE_FINAL_TYPE (RoundsReviewEntry, rounds_review_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HAS_VERDICT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rules an item breaks, most severe first, as a person reads them. */
static char *
rules_text (RoundsDisputeRules rules)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (RoundsDisputeRules rule = ROUNDS_DISPUTE_UNSAFE; rule <= ROUNDS_DISPUTE_GUARDIAN; rule <<= 1)
    if (rules & rule)
      {
        if (text->len > 0)
          g_string_append (text, " · ");
        g_string_append (text, rounds_dispute_rule_get_label (rule));
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* @dispute: (transfer full) */
RoundsReviewEntry *
rounds_review_entry_new (RoundsDispute *dispute)
{
  RoundsReviewEntry *self;

  g_return_val_if_fail (dispute != NULL, NULL);

  self = g_object_new (ROUNDS_TYPE_REVIEW_ENTRY, NULL);
  self->dispute = dispute;
  return self;
}

const RoundsDispute *
rounds_review_entry_get_dispute (RoundsReviewEntry *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_ENTRY (self), NULL);
  return self->dispute;
}

/* The item's title, or its key when it has none. */
const char *
rounds_review_entry_get_title (RoundsReviewEntry *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_ENTRY (self), NULL);
  return self->dispute->title ? self->dispute->title : self->dispute->item_key;
}

/* Made the first time it is asked for: most entries are never on screen. */
const char *
rounds_review_entry_get_rules (RoundsReviewEntry *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_ENTRY (self), NULL);
  if (self->rules == NULL)
    self->rules = rules_text (self->dispute->rules);
  return self->rules;
}

/* The row's second line: the rules, after a tick when the item has a verdict. */
char *
rounds_review_entry_dup_subtitle (RoundsReviewEntry *self)
{
  const char *rules;

  g_return_val_if_fail (ROUNDS_IS_REVIEW_ENTRY (self), NULL);
  rules = rounds_review_entry_get_rules (self);
  return self->dispute->has_verdict ? g_strdup_printf ("✓ %s", rules) : g_strdup (rules);
}

gboolean
rounds_review_entry_get_has_verdict (RoundsReviewEntry *self)
{
  g_return_val_if_fail (ROUNDS_IS_REVIEW_ENTRY (self), FALSE);
  return self->dispute->has_verdict;
}

void
rounds_review_entry_set_has_verdict (RoundsReviewEntry *self,
                                     gboolean           has_verdict)
{
  g_return_if_fail (ROUNDS_IS_REVIEW_ENTRY (self));

  has_verdict = !!has_verdict;
  if (self->dispute->has_verdict == has_verdict)
    return;
  self->dispute->has_verdict = has_verdict;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_VERDICT]);
}

static void
rounds_review_entry_finalize (GObject *object)
{
  RoundsReviewEntry *self = ROUNDS_REVIEW_ENTRY (object);

  g_clear_pointer (&self->dispute, rounds_dispute_free);
  g_free (self->rules);

  G_OBJECT_CLASS (rounds_review_entry_parent_class)->finalize (object);
}

static void
rounds_review_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RoundsReviewEntry *self = ROUNDS_REVIEW_ENTRY (object);

  switch (prop_id)
    {
    case PROP_HAS_VERDICT:
      g_value_set_boolean (value, self->dispute->has_verdict);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_review_entry_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RoundsReviewEntry *self = ROUNDS_REVIEW_ENTRY (object);

  switch (prop_id)
    {
    case PROP_HAS_VERDICT:
      rounds_review_entry_set_has_verdict (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_review_entry_class_init (RoundsReviewEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_review_entry_finalize;
  object_class->get_property = rounds_review_entry_get_property;
  object_class->set_property = rounds_review_entry_set_property;

  /* Whether the item has a current verdict; set when one is recorded. */
  properties[PROP_HAS_VERDICT] =
    g_param_spec_boolean ("has-verdict", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rounds_review_entry_init (RoundsReviewEntry *self)
{
}
