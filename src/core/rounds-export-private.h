/* rounds-export-private.h: the exporter, an item's rows and labels, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "rounds-export.h"
#include "rounds-store-private.h"

G_BEGIN_DECLS

#define MAX_RESPONSES  8     /* as the importer allows */

typedef struct
{
  char *key;
  char *text;
  char *model;
} Response;

/* A judgement or a verdict: what the label is made of. */
typedef struct
{
  char     *name;                     /* as written out: a pseudonym unless asked */
  gboolean  has_preference;
  int       preference;
  gboolean  has_ranks;               /* a complete ranking of the item's responses */
  guint     n_ranks;
  int       ranks[MAX_RESPONSES];
  gboolean  unacceptable;
  char     *scores_json;
  guint     flags[MAX_RESPONSES];
  guint     shown[MAX_RESPONSES];
  guint     n_shown;
} Vote;

typedef struct
{
  gint64     id;
  char      *key;
  char      *scenario;
  char      *reference_json;
  guint      n;
  Response   responses[MAX_RESPONSES];
  GArray    *votes;                   /* Vote, by name: people only */
  GArray    *guardian;                /* Vote: machines', with include_guardian */
  gboolean   has_verdict;
  Vote       verdict;
} Item;


/* The exporter ------------------------------------------------------------------------ */

typedef struct
{
  RoundsStore               *store;
  const RoundsExportOptions *options;
  RoundsExportSummary       *summary;
  GCancellable              *cancellable;
  RoundsExportProgressFunc   progress;
  gpointer                   progress_data;
  guint64                    n_total_items;
  guint64                    n_items_done;
  gboolean                   counting;     /* a preview: nothing is built or written */

  FILE                      *files[2];     /* train (or all), test */
  char                      *temp_paths[2];
  GString                   *buffers[2];
  GString                   *record;       /* the buffer the record goes to */

  GHashTable                *pseudonyms;   /* user name → name written */
  char                      *key;

  /* The dataset being written. */
  RoundsDataset             *dataset;
  int                        rubric_version;
  GPtrArray                 *criteria;     /* CSV columns: criterion ids of every dataset */
  int                        criterion_map[32];   /* dataset criterion → column */
} Exporter;

typedef struct
{
  RoundsLabelSource source;
  gboolean          unacceptable;
  double            agreement;        /* NaN when fewer than two annotators compare */
  guint             n_voters;
  double            mean_preference;  /* two responses */
  double            mean_rank[MAX_RESPONSES];
  int               reference;        /* the preferred response, or -1 */
} ItemLabel;

/* The label of one pair i < j (canonical order): -1 when i is better, +1 when j is, 0 for
 * a tie, 2 when no majority decides. */
typedef struct
{
  int    direction;
  double margin;        /* |preference| for two responses, the rank gap otherwise */
  guint  votes[3];      /* i better, tie, j better */
} PairLabel;

#define NO_MAJORITY 2

/* A column's text by the index looked up once per statement, in the loops over many rows. */
static inline const char *
_rounds_export_text (sqlite3_stmt *stmt,
                     int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* rounds-export-options.c */
gboolean     _rounds_export_option_error       (GError          **error,
                                                const char       *format,
                                                ...) G_GNUC_PRINTF (2, 3);

/* rounds-export.c: the driver */
const char  *_rounds_export_written_name       (Exporter         *e,
                                                const char       *user_name);
gboolean     _rounds_export_prepare            (Exporter         *e,
                                                const char       *sql,
                                                sqlite3_stmt    **stmt,
                                                GError          **error);
gboolean     _rounds_export_is_test            (Exporter         *e,
                                                Item             *item);
gboolean     _rounds_export_emit               (Exporter         *e,
                                                gboolean          test,
                                                GError          **error);
gboolean     _rounds_export_skip               (Exporter         *e,
                                                RoundsExportSkip  reason,
                                                guint64           count);
gboolean     _rounds_export_item_done          (Exporter         *e,
                                                guint             every,
                                                GError          **error);

/* rounds-export-label.c: labels and the filters that leave items and records out */
double       _rounds_export_response_scores    (Exporter         *e,
                                                Item             *item,
                                                guint             r,
                                                double           *columns);
guint        _rounds_export_response_flags     (Item             *item,
                                                guint             r);
gboolean     _rounds_export_item               (Exporter         *e,
                                                Item             *item,
                                                GError          **error);

/* rounds-export-formats.c: the training formats' records */
void         _rounds_export_append_csv_header  (Exporter         *e,
                                                GString          *out);
void         _rounds_export_append_pair_record (Exporter         *e,
                                                Item             *item,
                                                const ItemLabel  *label,
                                                const PairLabel  *pair,
                                                guint             chosen,
                                                guint             rejected,
                                                const char       *verdict);
void         _rounds_export_append_kto_record  (Exporter         *e,
                                                Item             *item,
                                                const ItemLabel  *label,
                                                guint             r,
                                                gboolean          desirable);

/* rounds-export-archive.c: the full archive */
gboolean     _rounds_export_archive_header     (Exporter         *e,
                                                GError          **error);
gboolean     _rounds_export_archive_dataset    (Exporter         *e,
                                                GError          **error);
gboolean     _rounds_export_archive_audit      (Exporter         *e,
                                                GPtrArray        *datasets,
                                                GError          **error);

G_END_DECLS
