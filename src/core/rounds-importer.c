/* rounds-importer.c: bringing datasets, items and judgements into the local store
 *
 * A file is read a record at a time (memory stays flat in file size) and written in one
 * transaction: a bad record anywhere rolls the whole file back, and the error names the
 * file, the line and the field. Every record is content-addressed, so importing the same
 * file twice changes nothing. Each input layout has a file of its own (rounds-import-*.c);
 * this one holds the importer, its options, the run over a file and its progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-store-private.h"
#include "rounds-worker-private.h"

struct _RoundsImporter
{
  GObject             parent_instance;

  RoundsImportFormat  format;
  char               *dataset;
  char               *actor;
  GPtrArray          *maps;             /* RoundsImportMap */
  gboolean            update;
  gboolean            no_header;

  double              fraction;         /* read and notified on the caller's thread */
};

G_DEFINE_FINAL_TYPE (RoundsImporter, rounds_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Progress ---------------------------------------------------------------------------- */

static void
set_fraction (RoundsImporter *self,
              double          fraction)
{
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
}

/* An async run reports through its worker, which brings the fraction to the caller's main
 * context; a run in the caller's thread sets it there and then. */
static void
report_progress (RoundsImportRun *run,
                 double           fraction)
{
  if (run->task != NULL)
    _rounds_worker_report (run->task, &fraction);
  else
    set_fraction (run->importer, fraction);
}

static void
progress_delivered (gpointer      source_object,
                    gconstpointer report,
                    gpointer      user_data)
{
  set_fraction (source_object, *(const double *) report);
}

/* After each record: every 256 records, a cancellation stops the run and the progress (by
 * how far into the file the reading is) is reported when it has gained a percent. */
gboolean
_rounds_import_checkpoint (RoundsImportRun  *run,
                           GCancellable     *cancellable,
                           GError          **error)
{
  guint percent;

  if ((run->result.n_records & 255) != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (run->size > 0 &&
      (percent = (guint) (g_seekable_tell (run->seekable) * 100 / run->size)) > run->reported)
    report_progress (run, (run->reported = percent) / 100.0);
  return TRUE;
}

/* Records ----------------------------------------------------------------------------- */

/* json-glib says "<data>:1:25: Parse error: …" of the one line it was given; the file and
 * line are in our prefix already, so keep the column and the reason. */
static const char *
json_error_without_place (const char *message)
{
  const char *reason = strstr (message, ": Parse error: ");

  if (g_str_has_prefix (message, "<data>:") && reason != NULL)
    return reason + strlen (": Parse error: ");
  return message;
}

/* One JSONL line, to the layout that reads it. */
static gboolean
import_json_record (RoundsImportRun  *run,
                    const char       *text,
                    gsize             length,
                    GError          **error)
{
  g_autoptr(GError) parse_error = NULL;
  RoundsImportFormat format = run->format;
  JsonObject *object;
  JsonNode *root;
  JsonNode *type_node;
  const char *type;

  if (!_rounds_import_scan_json (run, text, length, NULL, error))
    return FALSE;
  /* The parser checks the encoding too; only when it refuses is the line scanned again,
   * to say where the bad byte is. */
  if (!json_parser_load_from_data (run->parser, text, length, &parse_error))
    {
      g_autofree char *reason = NULL;
      const char *bad = NULL;

      if (!g_utf8_validate (text, length, &bad))
        return _rounds_import_fail (run, error, NULL,
                                    _("not valid UTF-8 text (at byte %ld of the line)"),
                                    (long) (bad - text) + 1);
      /* json-glib quotes the text it stopped at, cut at a byte count: it may end in half
       * a character. */
      reason = g_utf8_make_valid (json_error_without_place (parse_error->message), -1);
      return _rounds_import_fail (run, error, NULL, _("not valid JSON: %s"), reason);
    }
  root = json_parser_get_root (run->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return _rounds_import_fail (run, error, NULL, _("expected one JSON object on the line"));
  object = json_node_get_object (root);

  if (format == ROUNDS_IMPORT_FORMAT_MAPPED)
    return _rounds_import_mapped_record (run, root, error);

  type_node = json_object_get_member (object, "type");
  type = _rounds_event_get_string (object, "type");
  if (type == NULL && format != ROUNDS_IMPORT_FORMAT_TRL && type_node != NULL &&
      !JSON_NODE_HOLDS_NULL (type_node))
    return _rounds_import_fail (run, error, "type",
                                _("expected a string: dataset, item, judgement, verdict, audit "
                                  "or export"));
  if (format == ROUNDS_IMPORT_FORMAT_TRL ||
      (format == ROUNDS_IMPORT_FORMAT_AUTO && type == NULL &&
       json_object_has_member (object, "chosen") && json_object_has_member (object, "rejected")))
    return _rounds_import_trl_pair (run, object, error);

  if (type == NULL && json_object_has_member (object, "responses"))
    type = "item";
  if (g_strcmp0 (type, "item") == 0)
    return _rounds_import_jsonl_item (run, object, error);
  if (g_strcmp0 (type, "dataset") == 0)
    return _rounds_import_jsonl_dataset (run, object, error);
  if (g_strcmp0 (type, "judgement") == 0)
    return _rounds_import_archive_judgement (run, object, error);
  if (g_strcmp0 (type, "verdict") == 0)
    return _rounds_import_archive_verdict (run, object, error);
  if (g_strcmp0 (type, "audit") == 0)
    return _rounds_import_archive_audit (run, object, error);
  if (g_strcmp0 (type, "export") == 0)
    return TRUE;    /* the header of a full archive: how it was made, nothing to store */

  if (type != NULL)
    return _rounds_import_fail (run, error, "type",
                                _("unknown type “%s”: expected dataset, item, judgement, "
                                  "verdict, audit or export"),
                                type);
  return _rounds_import_fail (run, error, NULL,
                              _("not a Rounds record (it has no “type”) nor a TRL pair "
                                "(“prompt”, “chosen”, “rejected”): give --map to read "
                                "other layouts"));
}

/* Running ----------------------------------------------------------------------------- */

static gboolean
import_lines (RoundsImportRun   *run,
              GDataInputStream  *data,
              GCancellable      *cancellable,
              GError           **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *text = NULL;
      gsize length = 0;
      const char *p;

      text = g_data_input_stream_read_line (data, &length, cancellable, &local_error);
      if (text == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                          run->display);
              return FALSE;
            }
          break;
        }
      run->line++;
      if (length > 0 && text[length - 1] == '\r')
        text[--length] = '\0';
      if (run->line == 1 && g_str_has_prefix (text, "\xEF\xBB\xBF"))
        {
          memmove (text, text + 3, length - 2);
          length -= 3;
        }
      for (p = text; g_ascii_isspace (*p); p++)
        ;
      /* A NUL byte does not end a line: such a line is refused, not skipped as blank. */
      if (p == text + length || *p == '#')
        continue;

      run->result.n_records++;
      if (!import_json_record (run, text, length, error) ||
          !_rounds_import_checkpoint (run, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static char *
result_to_json (RoundsImportRun *run,
                const char      *path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const struct { const char *name; guint value; } counts[] = {
    { "records", run->result.n_records },
    { "datasets_added", run->result.n_datasets_added },
    { "datasets_updated", run->result.n_datasets_updated },
    { "items_added", run->result.n_items_added },
    { "items_updated", run->result.n_items_updated },
    { "items_unchanged", run->result.n_items_unchanged },
    { "judgements_added", run->result.n_judgements_added },
    { "judgements_unchanged", run->result.n_judgements_unchanged },
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      json_builder_set_member_name (builder, counts[i].name);
      json_builder_add_int_value (builder, counts[i].value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The run of rounds_importer_run(), and of the async run with its worker's @task. */
static gboolean
import_file (RoundsImporter      *self,
             RoundsStore         *store,
             GFile               *file,
             GTask               *task,
             RoundsImportResult  *result,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *detail = NULL;
  RoundsImportRun run = { 0 };
  gboolean ok = FALSE;
  char *dot;

  run.importer = self;
  run.task = task;
  run.store = store;
  run.format = self->maps->len > 0 ? ROUNDS_IMPORT_FORMAT_MAPPED : self->format;
  run.maps = self->maps;
  run.update = self->update;
  run.no_header = self->no_header;
  run.display = g_file_get_parse_name (file);
  run.datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        _rounds_import_dataset_free);
  /* Not immutable: sealing hashes every string of every line, a tenth of the import. */
  run.parser = json_parser_new ();
  basename = g_file_get_basename (file);
  run.is_csv = g_str_has_suffix (basename, ".csv") || g_str_has_suffix (basename, ".tsv");
  if ((dot = strchr (basename, '.')) != NULL)
    *dot = '\0';
  run.base_dataset = g_strdup (self->dataset ? self->dataset : basename);

  if (run.is_csv && self->maps->len == 0)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("%s: a CSV file needs field maps, such as --map scenario=question "
                     "--map responses=answer_a,answer_b"),
                   run.display);
      goto out;
    }
  if (self->no_header && !run.is_csv)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("%s: --no-header applies to CSV files"), run.display);
      goto out;
    }
  if (!_rounds_import_maps_check (self->maps, error))
    goto out;
  if (self->maps->len > 0 && self->format != ROUNDS_IMPORT_FORMAT_AUTO &&
      self->format != ROUNDS_IMPORT_FORMAT_MAPPED)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("field maps apply to other layouts, not to the %s format"),
                   self->format == ROUNDS_IMPORT_FORMAT_TRL ? "trl" : "rounds");
      goto out;
    }

  if (!(stream = g_file_read (file, cancellable, error)))
    goto out;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable,
                                         NULL);
  run.seekable = G_SEEKABLE (stream);
  run.size = info ? g_file_info_get_size (info) : 0;
  /* Large reads for a large file or one of unknown size; a small one needs no more than
   * its size (a longer line grows the buffer). */
  data = g_data_input_stream_new (G_INPUT_STREAM (stream));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data),
                                           run.size > 0 ? CLAMP (run.size + 1, 4096, 256 * 1024)
                                                        : 256 * 1024);

  /* One transaction per file. Durability of an import is that of a re-run, so it may
   * skip the per-commit sync that a judgement gets. */
  if (_rounds_store_exec (store, "PRAGMA synchronous = NORMAL", error) &&
      _rounds_store_begin (store, error))
    {
      ok = run.is_csv ? _rounds_import_csv_rows (&run, data, cancellable, error)
                      : import_lines (&run, data, cancellable, error);
      /* The stream is checked every few hundred records; a cancellation that came after
       * the last check must still keep the file out. */
      if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      if (ok)
        {
          detail = result_to_json (&run, run.display);
          ok = rounds_store_audit (store, self->actor, "import.file", run.display, detail,
                                   error) &&
               _rounds_store_commit (store, error);
        }
      if (!ok)
        _rounds_store_rollback (store);
    }
  _rounds_store_exec (store, "PRAGMA synchronous = FULL", NULL);

  if (ok)
    report_progress (&run, 1.0);
  if (ok && result != NULL)
    *result = run.result;

out:
  g_free (run.display);
  g_free (run.base_dataset);
  g_free (run.header_dataset);
  g_clear_pointer (&run.csv_header, g_ptr_array_unref);
  g_hash_table_unref (run.datasets);
  g_object_unref (run.parser);
  return ok;
}

/**
 * rounds_importer_run:
 * @result: (out) (optional): what the file brought
 *
 * Imports @file into @store in one transaction: on any error nothing of the file is
 * written, and the error names the file, line and field.
 */
gboolean
rounds_importer_run (RoundsImporter      *self,
                     RoundsStore         *store,
                     GFile               *file,
                     RoundsImportResult  *result,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return import_file (self, store, file, NULL, result, cancellable, error);
}

/* Async ------------------------------------------------------------------------------- */

typedef struct
{
  GFile              *file;
  RoundsImportResult  result;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run_data = data;

  g_object_unref (run_data->file);
  g_free (run_data);
}

static gboolean
run_in_worker (GTask         *task,
               RoundsStore   *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  RunData *run_data = data;

  return import_file (g_task_get_source_object (task), store, run_data->file, task,
                      &run_data->result, cancellable, error);
}

/**
 * rounds_importer_run_async:
 * @db_path: the store to import into; the import opens a connection of its own
 *
 * Imports in a thread; #RoundsImporter:fraction follows it on the caller's main context.
 */
void
rounds_importer_run_async (RoundsImporter      *self,
                           const char          *db_path,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  RunData *run_data;

  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (G_IS_FILE (file));

  self->fraction = 0;

  run_data = g_new0 (RunData, 1);
  run_data->file = g_object_ref (file);

  task = _rounds_worker_new (self, db_path, ROUNDS_WORKER_DEFAULT, cancellable, callback,
                             user_data, rounds_importer_run_async);
  _rounds_worker_set_progress (task, sizeof (double), progress_delivered, NULL);
  _rounds_worker_run (task, run_in_worker, run_data, run_data_free);
}

gboolean
rounds_importer_run_finish (RoundsImporter      *self,
                            GAsyncResult        *result,
                            RoundsImportResult  *import_result,
                            GError             **error)
{
  RunData *run_data;

  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);

  run_data = _rounds_worker_finish (result, self, rounds_importer_run_async, error);
  if (run_data == NULL)
    return FALSE;
  if (import_result != NULL)
    *import_result = run_data->result;
  return TRUE;
}

/* Object ------------------------------------------------------------------------------ */

static void
rounds_importer_finalize (GObject *object)
{
  RoundsImporter *self = (RoundsImporter *)object;

  g_free (self->dataset);
  g_free (self->actor);
  g_ptr_array_unref (self->maps);

  G_OBJECT_CLASS (rounds_importer_parent_class)->finalize (object);
}

static void
rounds_importer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RoundsImporter *self = ROUNDS_IMPORTER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_importer_class_init (RoundsImporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rounds_importer_finalize;
  object_class->get_property = rounds_importer_get_property;

  /**
   * RoundsImporter:fraction:
   *
   * How much of the file has been read, from 0 to 1.
   */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rounds_importer_init (RoundsImporter *self)
{
  self->maps = g_ptr_array_new_with_free_func (_rounds_import_map_free);
}

RoundsImporter *
rounds_importer_new (void)
{
  return g_object_new (ROUNDS_TYPE_IMPORTER, NULL);
}

void
rounds_importer_set_format (RoundsImporter     *self,
                            RoundsImportFormat  format)
{
  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  self->format = format;
}

/* "auto", "rounds", "trl" or "mapped", as rounds-cli's --format takes them. */
gboolean
rounds_importer_set_format_name (RoundsImporter  *self,
                                 const char      *name,
                                 GError         **error)
{
  static const char * const names[] = { "auto", "rounds", "trl", "mapped" };

  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        self->format = (RoundsImportFormat) i;
        return TRUE;
      }
  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
               _("Unknown import format “%s”: use auto, rounds, trl or mapped"), name);
  return FALSE;
}

/* The dataset for items that name none, where the file has no header. */
void
rounds_importer_set_dataset (RoundsImporter *self,
                             const char     *dataset)
{
  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  g_free (self->dataset);
  self->dataset = g_strdup (dataset);
}

/* Whether an item or dataset that exists with other content is replaced (else refused). */
void
rounds_importer_set_update (RoundsImporter *self,
                            gboolean        update)
{
  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  self->update = update;
}

/* Whether a CSV file's first row is its header (the default) or data; without a header
 * the columns are named 1, 2, … */
void
rounds_importer_set_csv_header (RoundsImporter *self,
                                gboolean        has_header)
{
  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  self->no_header = !has_header;
}

/* Who the audit log says imported. */
void
rounds_importer_set_actor (RoundsImporter *self,
                           const char     *actor)
{
  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  g_free (self->actor);
  self->actor = g_strdup (actor);
}

/**
 * rounds_importer_add_map:
 * @spec: "TARGET=PATH[,PATH…]", as in "responses=answers[].text" or
 *   "responses=answer_a,answer_b" or "metadata.source=origin"
 *
 * Adds a field map; with any map, JSONL lines and CSV rows are read through the maps.
 * Targets: id, dataset, title, scenario, specialty, language, responses, model,
 * response_id, chosen, rejected, reference, reference.NAME and metadata.NAME. A target
 * takes one map; chosen and rejected do not go with responses.
 */
gboolean
rounds_importer_add_map (RoundsImporter  *self,
                         const char      *spec,
                         GError         **error)
{
  RoundsImportMap *map;

  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);

  if (!(map = _rounds_import_map_new (spec, error)))
    return FALSE;
  if (!_rounds_import_map_check_new (self->maps, map, spec, error))
    {
      _rounds_import_map_free (map);
      return FALSE;
    }
  g_ptr_array_add (self->maps, map);
  return TRUE;
}

double
rounds_importer_get_fraction (RoundsImporter *self)
{
  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), 0);
  return self->fraction;
}
