/* rounds-importer-private.h: what the importer and the readers of its input layouts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rounds-importer.h"
#include "rounds-dataset-private.h"
#include "rounds-item-private.h"

G_BEGIN_DECLS

/* A field map given with --map, defined in rounds-import-map.c. */
typedef struct _RoundsImportMap RoundsImportMap;

/* A dataset as one run over one file knows it. */
typedef struct
{
  gint64        id;
  guint         next_position;
  int           scale_k;
  gboolean      has_judgements;
  RoundsRubric *rubric;
} RoundsImportDataset;

typedef struct
{
  char         *key;
  char         *text;
  char         *model;
  JsonNode     *metadata;
} RoundsImportResponse;

/* An item as every layout reads it, before it is written. */
typedef struct
{
  char         *dataset;
  char         *key;
  char         *title;
  char         *scenario;
  char         *specialty;
  char         *language;
  JsonNode     *metadata;
  JsonNode     *reference;
  GArray       *responses;      /* RoundsImportResponse: none (awaiting responses), or 2 to 8 */
  /* A TRL pair as earlier Rounds keyed and ordered it: its id ("trl-" and a
   * digest of prompt, chosen, rejected), and whether its order was the reverse of this one.
   * An item stored that way keeps its id and order, so a re-import finds it. */
  char         *legacy_key;
  gboolean      legacy_reversed;
} RoundsImportItem;

/* What one run over one file keeps. */
typedef struct
{
  RoundsImporter     *importer;
  GTask              *task;            /* the worker's, when run async: progress goes there */
  RoundsStore        *store;
  RoundsImportFormat  format;          /* mapped whenever there are maps */
  GPtrArray          *maps;            /* RoundsImportMap, the importer's */
  gboolean            update;
  char               *display;         /* the file, as error messages name it */
  char               *base_dataset;    /* --dataset, else the file's base name */
  char               *header_dataset;  /* the last dataset header read */
  guint               line;
  gboolean            is_csv;
  gboolean            no_header;       /* CSV columns are 1, 2, …, and the first row is data */
  GPtrArray          *csv_header;
  GHashTable         *datasets;        /* name → RoundsImportDataset */
  JsonParser         *parser;
  GSeekable          *seekable;        /* how far into the file, for progress */
  goffset             size;
  guint               reported;        /* the last percentage reported */
  RoundsImportResult  result;
} RoundsImportRun;

/* A JSON object a layout reads members of: where it stands on its line names the fields in
 * errors. */
typedef struct
{
  RoundsImportRun    *run;
  JsonObject         *object;
  const char         *prefix;          /* its path on the line, as "responses[2]"; or NULL */
} RoundsImportRecord;

/* rounds-importer.c */
gboolean  _rounds_import_checkpoint        (RoundsImportRun      *run,
                                            GCancellable         *cancellable,
                                            GError              **error);

/* rounds-import-fields.c: reading a record's fields; errors that name file, line and field */
gboolean  _rounds_import_fail              (RoundsImportRun      *run,
                                            GError              **error,
                                            const char           *field,
                                            const char           *format,
                                            ...) G_GNUC_PRINTF (4, 5);
gboolean  _rounds_import_fail_with         (RoundsImportRun      *run,
                                            GError              **error,
                                            const char           *field,
                                            GError               *cause);
gboolean  _rounds_import_scan_json         (RoundsImportRun      *run,
                                            const char           *text,
                                            gsize                 length,
                                            const char           *field,
                                            GError              **error);
/* What every member of a line must be, as rounds-event checks a judgement's or a verdict's
 * too; an error says what is wrong, translated, without naming the member. A string is
 * copied, and must not be blank if it is @required; a key (an id) may be an integer
 * written as one, and has 1 to 256 characters and no control characters. A missing member
 * is %NULL, or leaves the integer alone. @unknown gets a member that @allowed does not list. */
gboolean  _rounds_import_member_text       (JsonObject           *object,
                                            const char           *member,
                                            gboolean              required,
                                            gboolean              is_key,
                                            char                **out,
                                            GError              **error);
gboolean  _rounds_import_member_int        (JsonObject           *object,
                                            const char           *member,
                                            gint64                min,
                                            gint64                max,
                                            gint64               *out,
                                            GError              **error);
gboolean  _rounds_import_member_names      (JsonObject           *object,
                                            const char * const   *allowed,
                                            const char          **unknown,
                                            GError              **error);
char     *_rounds_import_node_to_json      (JsonNode             *node);
gboolean  _rounds_import_get_string        (RoundsImportRecord   *record,
                                            const char           *member,
                                            gboolean              required,
                                            char                **out,
                                            GError              **error);
gboolean  _rounds_import_get_key           (RoundsImportRecord   *record,
                                            const char           *member,
                                            gboolean              required,
                                            char                **out,
                                            GError              **error);
gboolean  _rounds_import_get_int           (RoundsImportRecord   *record,
                                            const char           *member,
                                            gint64                min,
                                            gint64                max,
                                            gint64               *out,
                                            GError              **error);
gboolean  _rounds_import_get_object        (RoundsImportRecord   *record,
                                            const char           *member,
                                            JsonNode            **out,
                                            GError              **error);
gboolean  _rounds_import_check_members     (RoundsImportRecord   *record,
                                            const char * const   *allowed,
                                            GError              **error);

/* rounds-import-items.c: the datasets and items every layout yields, written to the store */
void      _rounds_import_dataset_free      (gpointer              data);
void      _rounds_import_item_init         (RoundsImportItem     *item);
void      _rounds_import_item_clear        (RoundsImportItem     *item);
gboolean  _rounds_import_check_dataset_id  (RoundsImportRun      *run,
                                            const char           *name,
                                            const char           *field,
                                            GError              **error);
RoundsImportDataset *
          _rounds_import_find_dataset      (RoundsImportRun      *run,
                                            const char           *name,
                                            GError              **error);
char     *_rounds_import_item_hash         (RoundsImportItem     *item);
guint     _rounds_import_order_by_content  (RoundsImportItem     *item,
                                            guint                 preferred);
char     *_rounds_import_pair_key          (RoundsImportItem     *item);
void      _rounds_import_swap_pair         (RoundsImportItem     *item);
gboolean  _rounds_import_check_responses   (RoundsImportRun      *run,
                                            RoundsImportItem     *item,
                                            GError              **error);
gboolean  _rounds_import_store_item        (RoundsImportRun      *run,
                                            RoundsImportItem     *item,
                                            const char           *dataset_field,
                                            GError              **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RoundsImportItem, _rounds_import_item_clear)

/* rounds-import-jsonl.c: Rounds JSONL dataset headers and items */
gboolean  _rounds_import_jsonl_dataset     (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);
gboolean  _rounds_import_jsonl_item        (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);

/* rounds-import-trl.c: TRL preference pairs, HH-RLHF transcripts */
gboolean  _rounds_import_trl_pair          (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);
gboolean  _rounds_import_read_pair         (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            const char           *prompt_member,
                                            const char           *chosen_member,
                                            const char           *rejected_member,
                                            RoundsImportItem     *item,
                                            JsonArray           **prompt_messages,
                                            GError              **error);
const char *
          _rounds_import_label_pair        (RoundsImportItem     *item,
                                            guint                 chosen);

/* rounds-import-map.c: any JSONL or CSV through field maps */
RoundsImportMap *
          _rounds_import_map_new           (const char           *spec,
                                            GError              **error);
void      _rounds_import_map_free          (gpointer              data);
gboolean  _rounds_import_map_check_new     (GPtrArray            *maps,
                                            RoundsImportMap      *map,
                                            const char           *spec,
                                            GError              **error);
gboolean  _rounds_import_maps_check        (GPtrArray            *maps,
                                            GError              **error);
gboolean  _rounds_import_mapped_record     (RoundsImportRun      *run,
                                            JsonNode             *record,
                                            GError              **error);
gboolean  _rounds_import_csv_rows          (RoundsImportRun      *run,
                                            GDataInputStream     *data,
                                            GCancellable         *cancellable,
                                            GError              **error);

/* rounds-import-archive.c: judgements, verdicts and audit facts, as the full archive has them */
gboolean  _rounds_import_archive_judgement (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);
gboolean  _rounds_import_archive_verdict   (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);
gboolean  _rounds_import_archive_audit     (RoundsImportRun      *run,
                                            JsonObject           *object,
                                            GError              **error);

G_END_DECLS
