/* rounds-judgement-private.h: a judgement's JSON columns, as the store writes and reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rounds-judgement.h"
#include "rounds-util-private.h"

G_BEGIN_DECLS

char     *_rounds_judgement_ints_to_json    (const int              *values,
                                             guint                   n);
char     *_rounds_judgement_scores_to_json  (const RoundsJudgement  *judgement);
char     *_rounds_judgement_flags_to_json   (const RoundsJudgement  *judgement);
char     *_rounds_judgement_notes_to_json   (const RoundsJudgement  *judgement);
char     *_rounds_judgement_order_to_json   (const RoundsJudgement  *judgement);
void      _rounds_judgement_fill_from_json  (RoundsJudgement        *judgement,
                                             const char             *ranking_json,
                                             const char             *scores_json,
                                             const char             *flags_json,
                                             const char             *notes_json,
                                             const char             *order_json);
gboolean  _rounds_judgement_order_from_json (const char             *order_json,
                                             guint                   n,
                                             guint                  *order);
int       _rounds_judgement_ints_from_json  (const char             *json,
                                             int                    *values,
                                             guint                   max);
gboolean  _rounds_judgement_scores_from_json (RoundsJudgement       *judgement,
                                              const char            *json);
RoundsJudgement *_rounds_judgement_copy_packed (const RoundsJudgement *self,
                                                RoundsArena           *arena,
                                                char                 **criteria);

G_END_DECLS
