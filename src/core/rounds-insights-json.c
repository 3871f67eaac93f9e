/* rounds-insights-json.c: the insights as one JSON object, the schema of
 * `rounds-cli insights --json` (documented in the README); NaN is written as null
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "rounds-insights-private.h"

/* JSON ------------------------------------------------------------------------------------ */

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_uint (JsonBuilder *builder,
          const char  *name,
          guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* An array of the strings of @strings, as member @name. */
static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint s = 0; s < strings->len; s++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, s));
  json_builder_end_array (builder);
}

/* Writes one element of an array into the object the caller began. */
typedef void (*WriteFunc) (JsonBuilder   *builder,
                           gconstpointer  element,
                           gconstpointer  data);

/* An array of objects, one per element of @elements, as member @name (NULL: as a value). */
static void
add_objects (JsonBuilder   *builder,
             const char    *name,
             GPtrArray     *elements,
             WriteFunc      write,
             gconstpointer  data)
{
  if (name != NULL)
    json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint e = 0; e < elements->len; e++)
    {
      json_builder_begin_object (builder);
      write (builder, g_ptr_array_index (elements, e), data);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
write_rating (JsonBuilder   *builder,
              gconstpointer  element,
              gconstpointer  data)
{
  const RoundsModelRating *rating = element;

  add_string (builder, "model", rating->model);
  add_number (builder, "rating", rating->rating);
  add_number (builder, "lower", rating->lower);
  add_number (builder, "upper", rating->upper);
  add_uint (builder, "rank", rating->rank);
  add_uint (builder, "wins", rating->wins);
  add_uint (builder, "ties", rating->ties);
  add_uint (builder, "losses", rating->losses);
  add_uint (builder, "unacceptable", rating->unacceptable);
  add_uint (builder, "comparisons", rating->n_comparisons);
}

static void
write_score (JsonBuilder   *builder,
             gconstpointer  element,
             gconstpointer  data)
{
  const RoundsCriterionScore *score = element;

  add_string (builder, "criterion", score->criterion);
  add_string (builder, "label", score->label);
  add_string (builder, "model", score->model);
  add_number (builder, "mean", score->mean);
  add_number (builder, "lower", score->lower);
  add_number (builder, "upper", score->upper);
  add_uint (builder, "n", score->n);
}

static void
write_group (JsonBuilder   *builder,
             gconstpointer  element,
             gconstpointer  data)
{
  const RoundsGroupRating *group = element;

  add_string (builder, "group", group->group);
  add_string (builder, "value", group->value);
  add_objects (builder, "ratings", group->ratings, write_rating, NULL);
}

static void
write_bias (JsonBuilder   *builder,
            gconstpointer  element,
            gconstpointer  data)
{
  const RoundsPositionBias *bias = element;

  add_string (builder, "annotator", bias->annotator);
  add_uint (builder, "decisive", bias->decisive);
  add_uint (builder, "first_preferred", bias->first_preferred);
  add_number (builder, "share", bias->share);
  add_number (builder, "p_value", bias->p_value);
}

static void
write_time (JsonBuilder   *builder,
            gconstpointer  element,
            gconstpointer  data)
{
  const RoundsTimeOnTask *time = element;

  add_string (builder, "annotator", time->annotator);
  add_uint (builder, "n", time->n);
  add_number (builder, "median_s", time->median_s);
  add_number (builder, "p10_s", time->p10_s);
  add_number (builder, "p90_s", time->p90_s);
  json_builder_set_member_name (builder, "seconds");
  json_builder_begin_array (builder);
  for (guint s = 0; s < time->seconds->len; s++)
    json_builder_add_double_value (builder, g_array_index (time->seconds, double, s));
  json_builder_end_array (builder);
  add_uint (builder, "n_fast", time->n_fast);
  add_strings (builder, "fast", time->fast);
}

static void
write_agreement (JsonBuilder   *builder,
                 gconstpointer  element,
                 gconstpointer  data)
{
  const RoundsAnnotatorAgreement *agreement = element;

  add_string (builder, "annotator", agreement->annotator);
  add_uint (builder, "n", agreement->n);
  add_number (builder, "alpha_with", agreement->alpha_with);
  add_number (builder, "alpha_without", agreement->alpha_without);
}

/* @data: the name of the member that holds the period ("criterion", "week") */
static void
write_period (JsonBuilder   *builder,
              gconstpointer  element,
              gconstpointer  data)
{
  const RoundsPeriodAgreement *period = element;

  add_string (builder, data, period->period);
  add_number (builder, "alpha", period->alpha);
  add_uint (builder, "n", period->n);
}

/**
 * rounds_insights_to_json:
 *
 * Returns: (transfer full): the insights as one JSON object, pretty-printed; the members
 *   are documented in the README ("rounds-cli insights")
 */
char *
rounds_insights_to_json (const RoundsInsights *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);

  n = self->ratings->len;
  json_builder_begin_object (builder);

  add_strings (builder, "datasets", self->datasets);
  add_uint (builder, "rubric_version", self->rubric_version);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  add_uint (builder, "items", self->n_items);
  add_uint (builder, "judgements", self->n_judgements);
  add_uint (builder, "annotators", self->n_annotators);
  add_uint (builder, "verdicts", self->n_verdicts);
  add_uint (builder, "unacceptable", self->n_unacceptable);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  add_uint (builder, "bootstrap", self->options.bootstrap);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) self->options.seed);
  json_builder_set_member_name (builder, "graded");
  json_builder_add_boolean_value (builder, self->options.graded);
  add_number (builder, "ridge", self->options.ridge);
  add_number (builder, "confidence", self->options.confidence);
  json_builder_end_object (builder);

  add_objects (builder, "ratings", self->ratings, write_rating, NULL);

  /* The matrix with its models, in leaderboard order. */
  json_builder_set_member_name (builder, "matrix");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint a = 0; a < n; a++)
    {
      RoundsModelRating *rating = g_ptr_array_index (self->ratings, a);

      json_builder_add_string_value (builder, rating->model);
    }
  json_builder_end_array (builder);
  for (guint which = 0; which < 2; which++)
    {
      const double *values = which == 0 ? self->matrix : self->matrix_count;

      json_builder_set_member_name (builder, which == 0 ? "wins" : "comparisons");
      json_builder_begin_array (builder);
      for (guint a = 0; a < n; a++)
        {
          json_builder_begin_array (builder);
          for (guint b = 0; b < n; b++)
            json_builder_add_double_value (builder, values[a * n + b]);
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  add_objects (builder, "criteria", self->criteria, write_score, NULL);
  add_objects (builder, "groups", self->groups, write_group, NULL);
  add_objects (builder, "position_bias", self->position, write_bias, NULL);
  add_objects (builder, "time_on_task", self->time, write_time, NULL);
  add_objects (builder, "agreement", self->agreement, write_agreement, NULL);
  add_objects (builder, "criterion_alpha", self->criterion_alpha, write_period, "criterion");
  add_objects (builder, "weekly_alpha", self->weekly, write_period, "week");
  add_number (builder, "alpha", self->alpha);

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}
