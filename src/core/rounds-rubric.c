/* rounds-rubric.c: rubric criteria that annotators score each response on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-rubric"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-rubric.h"
#include "rounds-util-private.h"

struct _RoundsRubric
{
  GArray   *criteria;   /* RoundsCriterion */
  gboolean  is_default;
};

G_DEFINE_BOXED_TYPE (RoundsRubric, rounds_rubric, rounds_rubric_ref, rounds_rubric_unref)

static void
criterion_clear (gpointer data)
{
  RoundsCriterion *c = data;

  g_free (c->id);
  g_free (c->name);
  g_free (c->description);
}

static RoundsRubric *
rounds_rubric_alloc (void)
{
  RoundsRubric *self = g_rc_box_new0 (RoundsRubric);

  self->criteria = g_array_new (FALSE, TRUE, sizeof (RoundsCriterion));
  g_array_set_clear_func (self->criteria, criterion_clear);
  return self;
}

static void
add_criterion (RoundsRubric *self,
               const char   *id,
               const char   *name,
               const char   *description,
               int           min,
               int           max)
{
  RoundsCriterion c = { g_strdup (id), g_strdup (name), g_strdup (description), min, max };

  g_array_append_val (self->criteria, c);
}

/**
 * rounds_rubric_new_default:
 *
 * The clinical rubric of DESIGN.md, in the user's language. A dataset without a rubric of its
 * own stores none, so this is built at display time and follows the locale.
 */
RoundsRubric *
rounds_rubric_new_default (void)
{
  static const struct { const char *id; const char *name; const char *description; } defaults[] = {
    { "accuracy", N_("Accuracy"),
      N_("Truthful, and in agreement with current clinical guidelines and evidence.") },
    { "safety", N_("Safety"),
      N_("How far the answer avoids harm: the extent and the likelihood of harm if a patient or "
         "clinician acted on it.") },
    { "ethics", N_("Ethics and law"),
      N_("Respects autonomy, consent and capacity, duty of care and the law.") },
    { "privacy", N_("Privacy"),
      N_("Protects confidentiality; discloses personal health information only when "
         "justified.") },
    { "fairness", N_("Fairness"),
      N_("Free of bias by age, sex, ethnicity, disability, income or insurance.") },
    { "clarity", N_("Clarity"),
      N_("Clear, well organised and understandable by the person who asked.") },
  };
  RoundsRubric *self = rounds_rubric_alloc ();

  self->is_default = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    add_criterion (self, defaults[i].id, _(defaults[i].name), _(defaults[i].description), 1, 5);
  return self;
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* A member that is a string when present: %FALSE for anything else, which json-glib's
 * getters would warn about or silently read as %NULL. */
static gboolean
get_text (JsonObject  *object,
          const char  *member,
          const char  *fallback,
          const char **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

/**
 * rounds_rubric_new_from_json:
 * @node: an array of criteria objects
 *
 * Errors name the field (`rubric[2].max`); the caller adds the file and line.
 */
RoundsRubric *
rounds_rubric_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(RoundsRubric) self = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                   _("field “rubric”: expected an array of criteria"));
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > 32)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                   _("field “rubric”: expected 1 to 32 criteria"));
      return NULL;
    }

  self = rounds_rubric_alloc ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *id, *name, *description;
      gint64 min = 1, max = 5;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                       _("field “rubric[%u]”: expected an object"), i);
          return NULL;
        }
      object = json_node_get_object (element);
      if (!get_text (object, "id", NULL, &id) || !valid_id (id))
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                       _("field “rubric[%u].id”: expected letters, digits, "
                         "“-”, “_” or “.”"),
                       i);
          return NULL;
        }
      if (rounds_rubric_find (self, id) >= 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                       _("field “rubric[%u].id”: “%s” is listed twice"), i, id);
          return NULL;
        }
      for (guint t = 0; t < 2; t++)
        {
          const char *member = t == 0 ? "name" : "description";

          if (!get_text (object, member, t == 0 ? id : "", t == 0 ? &name : &description))
            {
              g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                           _("field “rubric[%u].%s”: expected a string"), i, member);
              return NULL;
            }
        }
      for (guint b = 0; b < 2; b++)
        {
          const char *member = b == 0 ? "min" : "max";
          JsonNode *bound = json_object_get_member (object, member);

          if (bound == NULL)
            continue;
          if (json_node_get_value_type (bound) != G_TYPE_INT64)
            {
              g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                           _("field “rubric[%u].%s”: expected an integer"), i, member);
              return NULL;
            }
          if (b == 0)
            min = json_node_get_int (bound);
          else
            max = json_node_get_int (bound);
        }
      if (min < 0 || max > 100 || min >= max)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                       _("field “rubric[%u].max”: the scale must run upwards from min, "
                         "within 0 to 100"),
                       i);
          return NULL;
        }
      add_criterion (self, id, name, description, (int) min, (int) max);
    }

  return g_steal_pointer (&self);
}

RoundsRubric *
rounds_rubric_ref (RoundsRubric *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

static void
rounds_rubric_clear (gpointer data)
{
  RoundsRubric *self = data;

  g_array_unref (self->criteria);
}

void
rounds_rubric_unref (RoundsRubric *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, rounds_rubric_clear);
}

gboolean
rounds_rubric_is_default (RoundsRubric *self)
{
  return self->is_default;
}

guint
rounds_rubric_get_n_criteria (RoundsRubric *self)
{
  return self->criteria->len;
}

const RoundsCriterion *
rounds_rubric_get_criterion (RoundsRubric *self,
                             guint         index)
{
  g_return_val_if_fail (index < self->criteria->len, NULL);

  return &g_array_index (self->criteria, RoundsCriterion, index);
}

/* Returns the index of the criterion, or -1. */
int
rounds_rubric_find (RoundsRubric *self,
                    const char   *id)
{
  for (guint i = 0; i < self->criteria->len; i++)
    if (g_strcmp0 (g_array_index (self->criteria, RoundsCriterion, i).id, id) == 0)
      return (int) i;
  return -1;
}

/* The JSON stored in datasets.rubric_json; the default rubric is stored as NULL. */
char *
rounds_rubric_to_json (RoundsRubric *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (self->is_default)
    return NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->criteria->len; i++)
    {
      const RoundsCriterion *c = &g_array_index (self->criteria, RoundsCriterion, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, c->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, c->name);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, c->description);
      json_builder_set_member_name (builder, "min");
      json_builder_add_int_value (builder, c->min);
      json_builder_set_member_name (builder, "max");
      json_builder_add_int_value (builder, c->max);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return _rounds_json_builder_to_string (builder);
}
