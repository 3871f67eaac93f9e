/* rounds-preference-scale.h: which response is better, or a ranking of more than two
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ROUNDS_TYPE_PREFERENCE_SCALE (rounds_preference_scale_get_type ())

G_DECLARE_FINAL_TYPE (RoundsPreferenceScale, rounds_preference_scale, ROUNDS, PREFERENCE_SCALE,
                      GtkBox)

void     rounds_preference_scale_set_pair    (RoundsPreferenceScale *self,
                                              int                    k);
void     rounds_preference_scale_set_ranking (RoundsPreferenceScale *self,
                                              guint                  n_responses);
void     rounds_preference_scale_clear       (RoundsPreferenceScale *self);
gboolean rounds_preference_scale_is_pair     (RoundsPreferenceScale *self);
gboolean rounds_preference_scale_is_ranking  (RoundsPreferenceScale *self);
void     rounds_preference_scale_show_choice (RoundsPreferenceScale *self,
                                              gboolean               has_preference,
                                              int                    screen_preference,
                                              gboolean               unacceptable);
void     rounds_preference_scale_set_rank    (RoundsPreferenceScale *self,
                                              guint                  position,
                                              int                    rank);

G_END_DECLS
