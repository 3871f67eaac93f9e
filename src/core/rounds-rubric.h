/* rounds-rubric.h: rubric criteria that annotators score each response on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *name;
  char *description;
  int   min;
  int   max;
} RoundsCriterion;

#define ROUNDS_TYPE_RUBRIC (rounds_rubric_get_type ())

typedef struct _RoundsRubric RoundsRubric;

GType                  rounds_rubric_get_type        (void) G_GNUC_CONST;
RoundsRubric          *rounds_rubric_new_default     (void);
RoundsRubric          *rounds_rubric_new_from_json   (JsonNode      *node,
                                                      GError       **error);
RoundsRubric          *rounds_rubric_ref             (RoundsRubric  *self);
void                   rounds_rubric_unref           (RoundsRubric  *self);
gboolean               rounds_rubric_is_default      (RoundsRubric  *self);
guint                  rounds_rubric_get_n_criteria  (RoundsRubric  *self);
const RoundsCriterion *rounds_rubric_get_criterion   (RoundsRubric  *self,
                                                      guint          index);
int                    rounds_rubric_find            (RoundsRubric  *self,
                                                      const char    *id);
char                  *rounds_rubric_to_json         (RoundsRubric  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsRubric, rounds_rubric_unref)

G_END_DECLS
