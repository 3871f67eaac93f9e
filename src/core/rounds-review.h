/* rounds-review.h: what ethics review needs of the store: disputes, verdicts, agreement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-agreement.h"
#include "rounds-dispute.h"
#include "rounds-store.h"

G_BEGIN_DECLS

/**
 * RoundsVerdict:
 *
 * A reviewer's decision on an item, relative to its canonical response order like a
 * judgement: @preference on the dataset's scale for two responses, @ranks (1 is best) for
 * more, or @unacceptable. @rationale is required. @resolves lists the edit ids of the
 * judgements the verdict settles; left %NULL, the store fills in the item's current
 * submitted judgements when the verdict is saved.
 */
typedef struct
{
  guint      n_responses;
  gboolean   has_preference;
  int        preference;
  int       *ranks;              /* n_responses */
  gboolean   unacceptable;
  char      *rationale;
  char     **resolves;           /* NULL-terminated edit ids, or NULL */
  gboolean   models_revealed;    /* the reviewer saw the model names */
  char      *scores_json;        /* an optional corrected rubric, as annotations.scores_json:
                                  * [{"accuracy": 4, …}, …] per canonical response, or NULL */

  /* Set by the store when the verdict is saved or read back. */
  char      *edit_id;
  int        revision;
  char      *created_at;
  char      *reviewer;
  gboolean   is_current;
} RoundsVerdict;

RoundsVerdict *rounds_verdict_new       (guint                 n_responses);
void           rounds_verdict_free      (RoundsVerdict        *self);

/**
 * RoundsItemJudgements:
 * @judgements: (element-type RoundsJudgement): the current submitted judgement of every
 *   annotator who submitted one, by user name; never a machine's
 * @guardian: (element-type RoundsJudgement): the machine annotators' (the guardian's)
 *   current judgements, apart, so nothing that counts the annotators counts them
 *
 * One item with its judgements, for analysis.
 */
typedef struct
{
  gint64     item_id;
  char      *item_key;
  char      *title;
  guint      overlap;
  guint      n_responses;
  GPtrArray *judgements;
  GPtrArray *guardian;
} RoundsItemJudgements;

void           rounds_item_judgements_free (RoundsItemJudgements *self);

/**
 * RoundsDisputeFilter:
 * @ROUNDS_DISPUTE_FILTER_DISPUTED: list disputed items
 * @ROUNDS_DISPUTE_FILTER_WAITING: list items still waiting for their overlap
 * @ROUNDS_DISPUTE_FILTER_AGREED: list items whose judgements agree
 * @ROUNDS_DISPUTE_FILTER_UNRESOLVED: leave out items that have a verdict
 */
typedef enum
{
  ROUNDS_DISPUTE_FILTER_DISPUTED   = 1 << 0,
  ROUNDS_DISPUTE_FILTER_WAITING    = 1 << 1,
  ROUNDS_DISPUTE_FILTER_AGREED     = 1 << 2,
  ROUNDS_DISPUTE_FILTER_UNRESOLVED = 1 << 3,
} RoundsDisputeFilter;

/**
 * RoundsAgreementMeasure:
 * @alpha: Krippendorff's alpha and the units and values it rests on
 * @n_items: the items behind it: those with at least one pairable unit
 */
typedef struct
{
  RoundsAlphaResult alpha;
  guint             n_items;
} RoundsAgreementMeasure;

typedef struct
{
  char                   *id;
  char                   *name;
  RoundsAgreementMeasure  measure;    /* interval; units are (item, response) */
} RoundsCriterionAgreement;

/**
 * RoundsPairAgreement:
 * @n_items: two-response items both annotators gave a preference for
 * @alpha: ordinal alpha over those items and these two annotators
 * @kappa_linear, @kappa_quadratic: Cohen's weighted kappa on the same items (NaN when
 *   undefined)
 */
typedef struct
{
  char              *annotator_a;
  char              *annotator_b;
  guint              n_items;
  RoundsAlphaResult  alpha;
  double             kappa_linear;
  double             kappa_quadratic;
} RoundsPairAgreement;

/**
 * RoundsGuardianAgreement:
 * @name: the machine annotator, "guardian:<model>"
 * @n_items: items it judged that an annotator judged too
 * @preference: ordinal alpha on the preference scale with the guardian as one more rater,
 *   over the two-response items (as the report's @preference)
 * @criteria: (element-type RoundsCriterionAgreement): interval alpha per rubric criterion
 *   with the guardian as one more rater, in rubric order
 * @n_compared: pairs of responses (an item's two, or each pair of a ranked item) where the
 *   annotators' consensus and the guardian both have a direction (ties count as one)
 * @n_agreed: of those, where the guardian's direction is the sign of the annotators' mean
 * @mean_distance: the mean of |guardian's preference - annotators' mean preference| over
 *   the two-response items, NaN without one
 *
 * How far one guardian agrees with the annotators.
 */
typedef struct
{
  char                   *name;
  guint                   n_items;
  RoundsAgreementMeasure  preference;
  GArray                 *criteria;
  guint                   n_compared;
  guint                   n_agreed;
  double                  mean_distance;
} RoundsGuardianAgreement;

/**
 * RoundsAgreementReport:
 * @n_items: items with at least one submitted judgement
 * @preference: ordinal alpha on the preference scale, over two-response items (units are
 *   items): the headline, since the scale's points are ordered but not evenly spaced
 * @preference_nominal, @preference_interval: the same values as unordered categories and as
 *   evenly spaced numbers, as other studies report them
 * @direction: nominal alpha on {first better, tie, second better}: two-response items by
 *   the sign of the preference (units are items) and ranked items by every pair of
 *   responses (units are (item, pair))
 * @ranking: ordinal alpha on the ranks of items with more than two responses (units are
 *   (item, response))
 * @criteria: (element-type RoundsCriterionAgreement): per rubric criterion, in rubric order
 * @pairs: (element-type RoundsPairAgreement): per pair of annotators with an item in
 *   common, ordered by user names
 * @guardians: (element-type RoundsGuardianAgreement): per machine annotator, by name; none
 *   of the measures above counts them
 */
typedef struct
{
  gint64                  dataset_id;
  guint                   n_items;
  guint                   n_judgements;
  guint                   n_annotators;
  RoundsAgreementMeasure  preference;
  RoundsAgreementMeasure  preference_nominal;
  RoundsAgreementMeasure  preference_interval;
  RoundsAgreementMeasure  direction;
  RoundsAgreementMeasure  ranking;
  GArray                 *criteria;
  GArray                 *pairs;
  GArray                 *guardians;
} RoundsAgreementReport;

void           rounds_agreement_report_free (RoundsAgreementReport *self);

/**
 * RoundsReviewSnapshot:
 * @disputes: (element-type RoundsDispute): the items the filter asks for, in review order
 * @items: (element-type RoundsItemJudgements): every item of the dataset with its current
 *   judgements
 *
 * What the review of a dataset shows, read at one moment.
 */
typedef struct
{
  GPtrArray              *disputes;
  GPtrArray              *items;
} RoundsReviewSnapshot;

void           rounds_review_snapshot_free  (RoundsReviewSnapshot  *self);

/* The guardian's judgements, for an annotator who has submitted theirs. */
gboolean       rounds_store_reveal_guardian (RoundsStore              *self,
                                             RoundsItem               *item,
                                             const char               *annotator,
                                             GPtrArray               **judgements,
                                             GError                  **error);

/* Disputes and analysis. */
GPtrArray     *rounds_store_list_current_judgements (RoundsStore              *self,
                                                     gint64                    dataset_id,
                                                     GError                  **error);
GPtrArray     *rounds_store_list_disputes           (RoundsStore              *self,
                                                     gint64                    dataset_id,
                                                     RoundsDisputeFilter       filter,
                                                     GError                  **error);
gboolean       rounds_store_compute_agreement       (RoundsStore              *self,
                                                     gint64                    dataset_id,
                                                     RoundsAgreementReport   **out,
                                                     GError                  **error);

/* Verdicts: every save is an edit of its own. */
gboolean       rounds_store_save_verdict            (RoundsStore              *self,
                                                     RoundsItem               *item,
                                                     const char               *reviewer,
                                                     RoundsVerdict            *verdict,
                                                     GError                  **error);
RoundsVerdict *rounds_store_get_verdict             (RoundsStore              *self,
                                                     RoundsItem               *item,
                                                     GError                  **error);
GPtrArray     *rounds_store_list_verdicts           (RoundsStore              *self,
                                                     RoundsItem               *item,
                                                     GError                  **error);
gboolean       rounds_store_send_back               (RoundsStore              *self,
                                                     RoundsItem               *item,
                                                     guint                     new_overlap,
                                                     const char               *actor,
                                                     GError                  **error);

/* The slow ones in a thread, on a connection of their own to @db_path. */
void           rounds_review_list_disputes_async    (const char               *db_path,
                                                     gint64                    dataset_id,
                                                     RoundsDisputeFilter       filter,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
GPtrArray     *rounds_review_list_disputes_finish   (GAsyncResult             *result,
                                                     GError                  **error);
void           rounds_review_compute_agreement_async (const char              *db_path,
                                                     gint64                    dataset_id,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
RoundsAgreementReport *rounds_review_compute_agreement_finish (GAsyncResult       *result,
                                                     GError                  **error);
void           rounds_review_load_queue_async       (const char               *db_path,
                                                     gint64                    dataset_id,
                                                     RoundsDisputeFilter       filter,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
RoundsReviewSnapshot *rounds_review_load_queue_finish (GAsyncResult           *result,
                                                     GError                  **error);
void           rounds_review_measure_agreement_async (RoundsDataset           *dataset,
                                                     GPtrArray                *items,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
RoundsAgreementReport *rounds_review_measure_agreement_finish (GAsyncResult      *result,
                                                     GError                  **error);
void           rounds_review_save_verdict_async     (const char               *db_path,
                                                     RoundsItem               *item,
                                                     const char               *reviewer,
                                                     RoundsVerdict            *verdict,
                                                     GCancellable             *cancellable,
                                                     GAsyncReadyCallback       callback,
                                                     gpointer                  user_data);
gboolean       rounds_review_save_verdict_finish    (GAsyncResult             *result,
                                                     GError                  **error);
char          *rounds_agreement_measure_to_string   (const RoundsAgreementMeasure *measure);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsVerdict, rounds_verdict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsItemJudgements, rounds_item_judgements_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsAgreementReport, rounds_agreement_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RoundsReviewSnapshot, rounds_review_snapshot_free)

G_END_DECLS
