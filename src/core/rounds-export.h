/* rounds-export.h: rated pairs out of the local store, for training and for the archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-store.h"

G_BEGIN_DECLS

/**
 * RoundsExportFormat:
 * @ROUNDS_EXPORT_TRL: TRL preference, standard form: {"prompt", "chosen", "rejected"} strings
 * @ROUNDS_EXPORT_TRL_CHAT: TRL preference, conversational form: lists of {"role", "content"}
 * @ROUNDS_EXPORT_KTO: TRL unpaired preference: {"prompt", "completion", "label"}
 * @ROUNDS_EXPORT_OPENAI: OpenAI preference fine-tuning: {"input", "preferred_output",
 *   "non_preferred_output"}
 * @ROUNDS_EXPORT_HH: Anthropic HH-RLHF: {"chosen", "rejected"} as "\n\nHuman: …\n\nAssistant: …"
 * @ROUNDS_EXPORT_CSV: one row per pair with the scores, for people and spreadsheets
 * @ROUNDS_EXPORT_FULL: every dataset, item, judgement edit, verdict edit and audit fact, as
 *   Rounds JSONL that `rounds-cli import` reads back
 */
typedef enum
{
  ROUNDS_EXPORT_TRL,
  ROUNDS_EXPORT_TRL_CHAT,
  ROUNDS_EXPORT_KTO,
  ROUNDS_EXPORT_OPENAI,
  ROUNDS_EXPORT_HH,
  ROUNDS_EXPORT_CSV,
  ROUNDS_EXPORT_FULL,
} RoundsExportFormat;

#define ROUNDS_EXPORT_N_FORMATS 7

/**
 * RoundsConsensusRule:
 * @ROUNDS_CONSENSUS_MEAN: the mean preference (two responses) or mean rank (more)
 * @ROUNDS_CONSENSUS_MAJORITY: the direction most annotators chose, pair by pair; no strict
 *   majority gives no label
 */
typedef enum
{
  ROUNDS_CONSENSUS_MEAN,
  ROUNDS_CONSENSUS_MAJORITY,
} RoundsConsensusRule;

/**
 * RoundsKtoRule:
 * @ROUNDS_KTO_WINNER: a response is desirable when it won: it is ranked first alone, or
 *   preferred in a two-response item
 * @ROUNDS_KTO_SCORE: a response is desirable when its mean rubric score reaches
 *   @kto_min_score and no one called it unacceptable
 */
typedef enum
{
  ROUNDS_KTO_WINNER,
  ROUNDS_KTO_SCORE,
} RoundsKtoRule;

/**
 * RoundsExportOptions:
 * @datasets: (nullable): dataset names to export, or %NULL for all
 * @min_annotators: consensus labels need this many submitted judgements (verdicts do not);
 *   %ROUNDS_EXPORT_DEFAULT_MIN_ANNOTATORS by default, so that one person's opinion is not
 *   exported as a consensus unless asked for (its provenance then says "annotator")
 * @min_agreement: consensus labels need this share of annotator pairs agreeing on the
 *   direction, from 0 to 1
 * @min_margin: pairs need this strength: |mean preference| on the dataset's scale for two
 *   responses, the rank gap for ranked ones
 * @exclude_flags: RoundsFlags: leave out records with a response any annotator flagged so
 * @real_names: name annotators by user name; by default they are pseudonyms made with
 *   @pseudonym_key (the database's own key when %NULL)
 * @include_reference: let an item's hidden reference label out: into the metadata and, for
 *   items nobody judged, as the label
 * @include_guardian: let the guardian's (machine annotators') judgements out: beside the
 *   label in each record's metadata, and as edits in the full dump. They never make a label.
 * @test_fraction: the share of scenarios for the test file, 0 for no split
 */
typedef struct
{
  RoundsExportFormat   format;
  char               **datasets;
  RoundsConsensusRule  rule;
  guint                min_annotators;
  double               min_agreement;
  double               min_margin;
  gboolean             exclude_ties;
  guint                exclude_flags;
  gboolean             only_adjudicated;
  gboolean             include_reference;
  gboolean             include_guardian;
  gboolean             real_names;
  char                *pseudonym_key;
  RoundsKtoRule        kto_rule;
  double               kto_min_score;
  double               test_fraction;
  guint64              seed;
  char                *actor;            /* who exports, for the audit log */
} RoundsExportOptions;

#define ROUNDS_EXPORT_DEFAULT_MIN_ANNOTATORS 2

void        rounds_export_options_init    (RoundsExportOptions        *options);
void        rounds_export_options_clear   (RoundsExportOptions        *options);
void        rounds_export_options_copy    (const RoundsExportOptions  *src,
                                           RoundsExportOptions        *dest);
gboolean    rounds_export_options_check   (const RoundsExportOptions  *options,
                                           GError                    **error);

const char *rounds_export_format_to_string   (RoundsExportFormat   format);
gboolean    rounds_export_format_from_string (const char          *name,
                                              RoundsExportFormat  *format);
const char *rounds_export_format_get_label   (RoundsExportFormat   format);
const char *rounds_export_format_get_extension (RoundsExportFormat format);
gboolean    rounds_export_format_has_ties    (RoundsExportFormat   format);

/**
 * RoundsExportSkip:
 *
 * Why a candidate was left out. Item reasons count items; pair reasons count the records
 * the item would have given.
 */
typedef enum
{
  ROUNDS_EXPORT_SKIP_UNLABELLED,       /* item: no verdict and no submitted judgement */
  ROUNDS_EXPORT_SKIP_NOT_ADJUDICATED,  /* item: --only-adjudicated */
  ROUNDS_EXPORT_SKIP_FEW_ANNOTATORS,   /* item */
  ROUNDS_EXPORT_SKIP_LOW_AGREEMENT,    /* item */
  ROUNDS_EXPORT_SKIP_UNACCEPTABLE,     /* item: all unacceptable, in a pair format */
  ROUNDS_EXPORT_SKIP_NO_MAJORITY,      /* record */
  ROUNDS_EXPORT_SKIP_TIE,              /* record */
  ROUNDS_EXPORT_SKIP_LOW_MARGIN,       /* record */
  ROUNDS_EXPORT_SKIP_FLAGGED,          /* record */
  ROUNDS_EXPORT_SKIP_UNSCORED,         /* record: KTO by score, and nobody scored it */
} RoundsExportSkip;

#define ROUNDS_EXPORT_N_SKIPS 10

typedef enum
{
  ROUNDS_LABEL_VERDICT,
  ROUNDS_LABEL_CONSENSUS,
  ROUNDS_LABEL_REFERENCE,
} RoundsLabelSource;

#define ROUNDS_N_LABEL_SOURCES 3

/**
 * RoundsExportSummary:
 * @n_items: items looked at
 * @n_written: records written, @n_test of them to the test file
 * @n_labelled: items by where their label came from
 * @n_single_annotator: of the items labelled by %ROUNDS_LABEL_CONSENSUS, those that one
 *   annotator alone judged (with @min_annotators 1): no consensus, and not called one
 */
typedef struct
{
  guint64 n_items;
  guint64 n_written;
  guint64 n_test;
  guint64 n_skipped[ROUNDS_EXPORT_N_SKIPS];
  guint64 n_labelled[ROUNDS_N_LABEL_SOURCES];
  guint64 n_single_annotator;
} RoundsExportSummary;

char       *rounds_export_pseudonym        (const char                *key,
                                            const char                *user_name);
char       *rounds_store_get_pseudonym_key (RoundsStore               *store,
                                            GError                   **error);

const char *rounds_export_skip_to_string   (RoundsExportSkip  skip);
const char *rounds_export_skip_get_label   (RoundsExportSkip  skip);
gboolean    rounds_export_skip_counts_items (RoundsExportSkip skip);
char       *rounds_export_summary_to_string (const RoundsExportSummary *summary,
                                             const RoundsExportOptions *options);

/* Called now and then from the exporting thread with the share of items done. */
typedef void (*RoundsExportProgressFunc) (double   fraction,
                                          gpointer user_data);

gboolean    rounds_export_count   (RoundsStore                *store,
                                   const RoundsExportOptions  *options,
                                   RoundsExportSummary        *summary,
                                   GCancellable               *cancellable,
                                   GError                    **error);
gboolean    rounds_export_write   (RoundsStore                *store,
                                   const RoundsExportOptions  *options,
                                   const char                 *path,
                                   const char                 *test_path,
                                   RoundsExportSummary        *summary,
                                   RoundsExportProgressFunc    progress,
                                   gpointer                    progress_data,
                                   GCancellable               *cancellable,
                                   GError                    **error);
char       *rounds_export_split_path (const char              *path,
                                      const char              *part);

/* Off the main thread, on a connection of its own to the database at @db_path, with a copy
 * of @options. @progress (no destroy function: @progress_data must outlive the call) is
 * called on the calling thread's main context, never after @callback. A cancel reported
 * as an error means nothing was written. */
void        rounds_export_write_async  (const char                 *db_path,
                                        const RoundsExportOptions  *options,
                                        const char                 *path,
                                        const char                 *test_path,
                                        RoundsExportProgressFunc    progress,
                                        gpointer                    progress_data,
                                        GCancellable               *cancellable,
                                        GAsyncReadyCallback         callback,
                                        gpointer                    user_data);
gboolean    rounds_export_write_finish (GAsyncResult               *result,
                                        RoundsExportSummary        *summary,
                                        GError                    **error);
void        rounds_export_count_async  (const char                 *db_path,
                                        const RoundsExportOptions  *options,
                                        GCancellable               *cancellable,
                                        GAsyncReadyCallback         callback,
                                        gpointer                    user_data);
gboolean    rounds_export_count_finish (GAsyncResult               *result,
                                        RoundsExportSummary        *summary,
                                        GError                    **error);

G_END_DECLS
