/* rounds-judgement.h: one annotator's judgement of one item, as edited and as stored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rounds-rubric.h"

G_BEGIN_DECLS

typedef enum
{
  ROUNDS_STATUS_DRAFT,
  ROUNDS_STATUS_SUBMITTED,
  ROUNDS_STATUS_SKIPPED,
} RoundsStatus;

typedef enum
{
  ROUNDS_FLAG_NONE            = 0,
  ROUNDS_FLAG_UNSAFE          = 1 << 0,
  ROUNDS_FLAG_FACTUALLY_WRONG = 1 << 1,
  ROUNDS_FLAG_OUTDATED        = 1 << 2,
  ROUNDS_FLAG_PRIVACY         = 1 << 3,
  ROUNDS_FLAG_BIAS            = 1 << 4,
} RoundsFlags;

#define ROUNDS_N_FLAGS 5

/* What a dataset may require before a judgement can be submitted. */
typedef enum
{
  ROUNDS_REQUIRE_PREFERENCE     = 1 << 0,
  ROUNDS_REQUIRE_RUBRIC         = 1 << 1,
  ROUNDS_REQUIRE_COMMENT        = 1 << 2,
  ROUNDS_REQUIRE_NOTES          = 1 << 3,
} RoundsRequire;

#define ROUNDS_N_REQUIRE 4

/**
 * RoundsJudgement:
 *
 * Everything is relative to the item's canonical response order: response 0 is "A" in the
 * data, whatever the screen showed. @preference runs from -k (the first response much
 * better) through 0 (a tie) to +k; @ranks holds one rank per response (1 is best, equal
 * ranks are ties, 0 is not ranked yet) and is used when there are more than two responses.
 * @scores holds -1 for a criterion not scored. @shown_order lists canonical indices in
 * screen order, left to right.
 */
typedef struct
{
  RoundsStatus  status;
  guint         n_responses;
  guint         n_criteria;

  gboolean      has_preference;
  int           preference;
  int          *ranks;            /* n_responses */
  gboolean      unacceptable;
  int          *scores;           /* n_responses × n_criteria, row per response */
  char        **criteria;         /* n_criteria ids, NULL-terminated */
  guint        *flags;            /* n_responses RoundsFlags */
  char        **notes;            /* n_responses, entries may be NULL */
  char         *comment;
  char         *skip_reason;
  guint        *shown_order;      /* n_responses */
  gint64        time_spent_ms;

  /* Set by the store when the judgement is saved or read back. */
  char         *edit_id;
  int           revision;
  char         *created_at;
  char         *annotator;
} RoundsJudgement;

#define ROUNDS_TYPE_JUDGEMENT (rounds_judgement_get_type ())

GType            rounds_judgement_get_type        (void) G_GNUC_CONST;
RoundsJudgement *rounds_judgement_new             (guint                   n_responses,
                                                   RoundsRubric           *rubric);
RoundsJudgement *rounds_judgement_copy            (const RoundsJudgement  *self);
void             rounds_judgement_free            (RoundsJudgement        *self);
int             *rounds_judgement_score           (RoundsJudgement        *self,
                                                   guint                   response,
                                                   guint                   criterion);
gboolean         rounds_judgement_get_pair_value  (const RoundsJudgement  *self,
                                                   guint                   r,
                                                   guint                   s,
                                                   int                    *value);
gboolean         rounds_judgement_has_verdict     (const RoundsJudgement  *self);
gboolean         rounds_judgement_check_complete  (const RoundsJudgement  *self,
                                                   RoundsRequire           required,
                                                   GError                **error);

const char      *rounds_flag_to_string            (RoundsFlags             flag);
RoundsFlags      rounds_flag_from_string          (const char             *name);
const char      *rounds_flag_get_label            (RoundsFlags             flag);
const char      *rounds_status_to_string          (RoundsStatus            status);
gboolean         rounds_status_from_string        (const char             *name,
                                                   RoundsStatus           *status);
RoundsRequire    rounds_require_from_string       (const char             *name);
const char      *rounds_preference_get_label      (int                     preference,
                                                   int                     k);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsJudgement, rounds_judgement_free)

G_END_DECLS
