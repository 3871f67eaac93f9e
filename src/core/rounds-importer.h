/* rounds-importer.h: bringing datasets, items and judgements into the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rounds-store.h"

G_BEGIN_DECLS

typedef enum
{
  /* By line: Rounds JSONL, or TRL pairs; mapped when maps are given. */
  ROUNDS_IMPORT_FORMAT_AUTO,
  ROUNDS_IMPORT_FORMAT_ROUNDS,
  ROUNDS_IMPORT_FORMAT_TRL,
  ROUNDS_IMPORT_FORMAT_MAPPED,   /* any JSONL or CSV through field maps */
} RoundsImportFormat;

typedef struct
{
  guint n_records;
  guint n_datasets_added;
  guint n_datasets_updated;
  guint n_items_added;
  guint n_items_updated;
  guint n_items_unchanged;
  guint n_judgements_added;
  guint n_judgements_unchanged;
  guint n_verdicts_added;
  guint n_verdicts_unchanged;
  guint n_audit_added;
} RoundsImportResult;

#define ROUNDS_TYPE_IMPORTER (rounds_importer_get_type ())

G_DECLARE_FINAL_TYPE (RoundsImporter, rounds_importer, ROUNDS, IMPORTER, GObject)

RoundsImporter     *rounds_importer_new            (void);
void                rounds_importer_set_format     (RoundsImporter      *self,
                                                    RoundsImportFormat   format);
gboolean            rounds_importer_set_format_name (RoundsImporter     *self,
                                                    const char          *name,
                                                    GError             **error);
void                rounds_importer_set_dataset    (RoundsImporter      *self,
                                                    const char          *dataset);
void                rounds_importer_set_update     (RoundsImporter      *self,
                                                    gboolean             update);
void                rounds_importer_set_csv_header (RoundsImporter      *self,
                                                    gboolean             has_header);
void                rounds_importer_set_actor      (RoundsImporter      *self,
                                                    const char          *actor);
gboolean            rounds_importer_add_map        (RoundsImporter      *self,
                                                    const char          *spec,
                                                    GError             **error);
double              rounds_importer_get_fraction   (RoundsImporter      *self);
gboolean            rounds_importer_run            (RoundsImporter      *self,
                                                    RoundsStore         *store,
                                                    GFile               *file,
                                                    RoundsImportResult  *result,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
void                rounds_importer_run_async      (RoundsImporter      *self,
                                                    const char          *db_path,
                                                    GFile               *file,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            rounds_importer_run_finish     (RoundsImporter      *self,
                                                    GAsyncResult        *result,
                                                    RoundsImportResult  *import_result,
                                                    GError             **error);

G_END_DECLS
