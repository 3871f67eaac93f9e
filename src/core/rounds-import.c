/* rounds-import.c: bringing datasets, items and judgements into the local store
 *
 * A file is read a record at a time (memory stays flat in file size) and written in one
 * transaction: a bad record anywhere rolls the whole file back, and the error names the
 * file, the line and the field. Every record is content-addressed, so importing the same
 * file twice changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-csv-private.h"
#include "rounds-error.h"
#include "rounds-field-path-private.h"
#include "rounds-import.h"
#include "rounds-store-private.h"
#include "rounds-util-private.h"

#define MAX_RESPONSES 8

typedef enum
{
  TARGET_ID,
  TARGET_DATASET,
  TARGET_TITLE,
  TARGET_SCENARIO,
  TARGET_SPECIALTY,
  TARGET_LANGUAGE,
  TARGET_RESPONSES,
  TARGET_MODEL,
  TARGET_RESPONSE_ID,
  TARGET_METADATA,
} Target;

static const struct { Target target; const char *name; gboolean list; } targets[] = {
  { TARGET_ID,          "id",          FALSE },
  { TARGET_DATASET,     "dataset",     FALSE },
  { TARGET_TITLE,       "title",       FALSE },
  { TARGET_SCENARIO,    "scenario",    FALSE },
  { TARGET_SPECIALTY,   "specialty",   FALSE },
  { TARGET_LANGUAGE,    "language",    FALSE },
  { TARGET_RESPONSES,   "responses",   TRUE },
  { TARGET_MODEL,       "model",       TRUE },
  { TARGET_RESPONSE_ID, "response_id", TRUE },
};

typedef struct
{
  Target      target;
  char       *metadata_name;   /* for metadata.NAME */
  GPtrArray  *paths;           /* RoundsFieldPath */
} FieldMap;

struct _RoundsImporter
{
  GObject             parent_instance;

  RoundsImportFormat  format;
  char               *dataset;
  char               *actor;
  GPtrArray          *maps;             /* FieldMap */
  gboolean            update;

  double              fraction;         /* read and notified on the caller's thread */
  GMainContext       *context;          /* where an async run reports progress */
};

G_DEFINE_FINAL_TYPE (RoundsImporter, rounds_importer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* What one run over one file keeps. */
typedef struct
{
  gint64        id;
  guint         next_position;
  int           scale_k;
  gboolean      has_judgements;
  RoundsRubric *rubric;
} DatasetInfo;

typedef struct
{
  char         *key;
  char         *text;
  char         *model;
  JsonNode     *metadata;
} ResponseData;

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
  GArray       *responses;      /* ResponseData */
} ItemData;

typedef struct
{
  RoundsImporter     *importer;
  RoundsStore        *store;
  char               *display;         /* the file, as error messages name it */
  char               *base_dataset;    /* --dataset, else the file's base name */
  char               *header_dataset;  /* the last dataset header read */
  guint               line;
  gboolean            is_csv;
  GPtrArray          *csv_header;
  GHashTable         *datasets;        /* name → DatasetInfo */
  JsonParser         *parser;
  RoundsImportResult  result;
} Run;

static void
dataset_info_free (gpointer data)
{
  DatasetInfo *info = data;

  g_clear_pointer (&info->rubric, rounds_rubric_unref);
  g_free (info);
}

static void
response_data_clear (gpointer data)
{
  ResponseData *response = data;

  g_free (response->key);
  g_free (response->text);
  g_free (response->model);
  g_clear_pointer (&response->metadata, json_node_unref);
}

static void
item_data_init (ItemData *item)
{
  memset (item, 0, sizeof *item);
  item->responses = g_array_new (FALSE, TRUE, sizeof (ResponseData));
  g_array_set_clear_func (item->responses, response_data_clear);
}

static void
item_data_clear (ItemData *item)
{
  g_free (item->dataset);
  g_free (item->key);
  g_free (item->title);
  g_free (item->scenario);
  g_free (item->specialty);
  g_free (item->language);
  g_clear_pointer (&item->metadata, json_node_unref);
  g_clear_pointer (&item->reference, json_node_unref);
  g_clear_pointer (&item->responses, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ItemData, item_data_clear)

static void
field_map_free (gpointer data)
{
  FieldMap *map = data;

  g_free (map->metadata_name);
  g_ptr_array_unref (map->paths);
  g_free (map);
}

/* Errors ------------------------------------------------------------------------------ */

static gboolean G_GNUC_PRINTF (4, 5)
fail (Run         *run,
      GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL)
    /* Translators: FILE:LINE: field “FIELD”: what is wrong */
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                 _("%s:%u: field “%s”: %s"), run->display, run->line, field, message);
  else
    g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                 "%s:%u: %s", run->display, run->line, message);
  return FALSE;
}

/* Prefixes an error from a lower layer with the file and line, keeping its code. */
static gboolean
fail_with (Run     *run,
           GError **error,
           GError  *cause)
{
  g_propagate_prefixed_error (error, cause, "%s:%u: ", run->display, run->line);
  return FALSE;
}

/* Field readers ----------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The text of a string node; %NULL for a missing node or any other kind, where json-glib's
 * string getters would warn. */
static const char *
node_string (JsonNode *node)
{
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_string (Run         *run,
            JsonObject  *object,
            const char  *member,
            const char  *field,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (run, error, field, _("missing: it is required"));
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (run, error, field, _("expected a string"));
  *out = g_strdup (json_node_get_string (node));
  if (required && is_blank (*out))
    return fail (run, error, field, _("empty: it is required"));
  return TRUE;
}

/* An identifier: a non-empty string, or an integer written as one. */
static gboolean
get_key (Run         *run,
         JsonObject  *object,
         const char  *member,
         const char  *field,
         gboolean     required,
         char       **out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (run, error, field, _("missing: it is required"));
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    *out = g_strdup (json_node_get_string (node));
  else
    return fail (run, error, field, _("expected a string or an integer"));

  if (**out == '\0' || strlen (*out) > 256)
    return fail (run, error, field, _("expected 1 to 256 characters"));
  for (const char *p = *out; *p; p++)
    if ((guchar) *p < 0x20)
      return fail (run, error, field, _("control characters are not allowed in an id"));
  return TRUE;
}

static gboolean
get_int (Run         *run,
         JsonObject  *object,
         const char  *member,
         const char  *field,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (run, error, field, _("expected an integer"));
  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    return fail (run, error, field, _("expected an integer from %lld to %lld"),
                 (long long) min, (long long) max);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_object (Run         *run,
            JsonObject  *object,
            const char  *member,
            const char  *field,
            JsonNode   **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (run, error, field, _("expected an object"));
  *out = json_node_copy (node);
  return TRUE;
}

static gboolean
check_members (Run                *run,
               JsonObject         *object,
               const char * const *allowed,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fail (run, error, l->data, _("unknown field: put extra data under “metadata”"));
  return TRUE;
}

static gboolean
valid_dataset_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static char *
node_to_json (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}

/* Datasets ---------------------------------------------------------------------------- */

static gboolean
step (Run           *run,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _rounds_store_set_sqlite_error (run->store, error);
  return TRUE;
}

/* Looks a dataset up, in this run's cache or the store. */
static DatasetInfo *
find_dataset (Run         *run,
              const char  *name,
              GError     **error)
{
  DatasetInfo *info = g_hash_table_lookup (run->datasets, name);
  sqlite3_stmt *stmt;
  int rc;

  if (info != NULL)
    return info;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT d.id, d.scale, d.rubric_json,"
                                      " (SELECT COALESCE (MAX (position), 0) FROM items WHERE dataset_id = d.id),"
                                      " EXISTS (SELECT 1 FROM annotations a JOIN items i ON i.id = a.item_id WHERE i.dataset_id = d.id)"
                                      " FROM datasets d WHERE d.name = ?1", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *rubric_json = (const char *) sqlite3_column_text (stmt, 2);

      info = g_new0 (DatasetInfo, 1);
      info->id = sqlite3_column_int64 (stmt, 0);
      info->scale_k = (sqlite3_column_int (stmt, 1) - 1) / 2;
      info->next_position = (guint) sqlite3_column_int64 (stmt, 3) + 1;
      info->has_judgements = sqlite3_column_int (stmt, 4) != 0;
      if (rubric_json != NULL)
        {
          g_autoptr(JsonNode) node = json_from_string (rubric_json, NULL);

          info->rubric = node ? rounds_rubric_new_from_json (node, NULL) : NULL;
        }
      if (info->rubric == NULL)
        info->rubric = rounds_rubric_new_default ();
      g_hash_table_insert (run->datasets, g_strdup (name), info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _rounds_store_set_sqlite_error (run->store, error);
  return info;
}

/* The dataset an item goes into, made with default settings if it does not exist. */
static DatasetInfo *
ensure_dataset (Run         *run,
                const char  *name,
                const char  *field,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  DatasetInfo *info;
  sqlite3_stmt *stmt;

  if ((info = find_dataset (run, name, &local_error)) || local_error)
    {
      if (local_error)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return info;
    }
  if (!valid_dataset_name (name))
    {
      fail (run, error, field,
            _("“%s” is not a dataset id: use up to 128 letters, digits, “-”, “_” or “.”"), name);
      return NULL;
    }

  now = _rounds_now_iso8601 ();
  /* "implicit": a header read later may still set this dataset up without --update. */
  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO datasets (name, content_hash, created_at, updated_at)"
                                      " VALUES (?1, 'implicit', ?2, ?2)", error)))
    return NULL;
  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, now);
  if (!step (run, stmt, error))
    return NULL;
  run->result.n_datasets_added++;
  return find_dataset (run, name, error);
}

static gboolean
import_dataset (Run         *run,
                JsonObject  *object,
                GError     **error)
{
  static const char * const allowed[] = {
    "type", "id", "title", "description", "instructions", "overlap", "scale", "dispute_spread",
    "required", "rubric", "rubric_version", "metadata", NULL
  };
  g_autofree char *name = NULL, *title = NULL, *description = NULL, *instructions = NULL;
  g_autofree char *rubric_json = NULL, *metadata_json = NULL, *required_text = NULL;
  g_autofree char *hash = NULL, *old_hash = NULL, *old_rubric = NULL, *now = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(RoundsRubric) rubric = NULL;
  g_autoptr(GString) canonical = NULL;
  g_autoptr(GString) required = g_string_new (NULL);
  gint64 overlap = 1, scale = 5, spread = 2, rubric_version = 0;
  gint64 id = 0, old_overlap = 1, old_scale = 5;
  JsonNode *node;
  sqlite3_stmt *stmt;
  DatasetInfo *info;
  int rc;

  if (!check_members (run, object, allowed, error) ||
      !get_key (run, object, "id", "id", TRUE, &name, error) ||
      !get_string (run, object, "title", "title", FALSE, &title, error) ||
      !get_string (run, object, "description", "description", FALSE, &description, error) ||
      !get_string (run, object, "instructions", "instructions", FALSE, &instructions, error) ||
      !get_int (run, object, "rubric_version", "rubric_version", 1, G_MAXINT, &rubric_version, error) ||
      !get_int (run, object, "overlap", "overlap", 1, 50, &overlap, error) ||
      !get_int (run, object, "scale", "scale", 3, 7, &scale, error) ||
      !get_int (run, object, "dispute_spread", "dispute_spread", 1, 6, &spread, error) ||
      !get_object (run, object, "metadata", "metadata", &metadata, error))
    return FALSE;

  if (!valid_dataset_name (name))
    return fail (run, error, "id", _("“%s” is not a dataset id: use up to 128 letters, digits, “-”, “_” or “.”"), name);
  if (scale % 2 == 0)
    return fail (run, error, "scale", _("expected 3, 5 or 7 points"));

  if ((node = json_object_get_member (object, "required")) != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail (run, error, "required", _("expected an array of names"));
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          g_autofree char *field = g_strdup_printf ("required[%u]", i);
          const char *value;

          if (json_node_get_value_type (element) != G_TYPE_STRING ||
              rounds_require_from_string ((value = json_node_get_string (element))) == 0)
            return fail (run, error, field, _("expected one of preference, rubric, comment, notes"));
          if (required->len)
            g_string_append_c (required, ',');
          g_string_append (required, value);
        }
    }
  else
    g_string_append (required, "preference");
  required_text = g_strdup (required->str);

  if ((node = json_object_get_member (object, "rubric")) != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!(rubric = rounds_rubric_new_from_json (node, &local_error)))
        return fail_with (run, error, g_steal_pointer (&local_error));
      rubric_json = rounds_rubric_to_json (rubric);
    }
  metadata_json = node_to_json (metadata);

  canonical = g_string_new (NULL);
  g_string_append_printf (canonical, "%s\n%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%s",
                          name, title ? title : "", description ? description : "",
                          instructions ? instructions : "", overlap, scale, spread, required_text,
                          rubric_json ? rubric_json : "", metadata_json ? metadata_json : "");
  hash = _rounds_sha256_hex (canonical->str, canonical->len);

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT id, content_hash, overlap, scale, rubric_json FROM datasets WHERE name = ?1",
                                      error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      old_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      old_overlap = sqlite3_column_int (stmt, 2);
      old_scale = sqlite3_column_int (stmt, 3);
      old_rubric = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  g_free (run->header_dataset);
  run->header_dataset = g_strdup (name);
  now = _rounds_now_iso8601 ();

  if (id == 0)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "INSERT INTO datasets (name, title, description, instructions, rubric_json, scale,"
                                          " overlap, dispute_spread, required, metadata_json, content_hash, created_at, updated_at)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)", error)))
        return FALSE;
      run->result.n_datasets_added++;
    }
  else if (g_strcmp0 (old_hash, hash) == 0)
    return TRUE;
  else
    {
      if (!run->importer->update && g_strcmp0 (old_hash, "implicit") != 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                       _("%s:%u: field “id”: dataset “%s” already exists with other settings; import with --update to replace them"),
                       run->display, run->line, name);
          return FALSE;
        }
      info = find_dataset (run, name, error);
      if (info == NULL)
        return FALSE;
      if (info->has_judgements && scale != old_scale)
        return fail (run, error, "scale",
                     _("dataset “%s” has judgements on a %lld-point scale; its scale cannot change"),
                     name, (long long) old_scale);
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE datasets SET title = ?2, description = ?3, instructions = ?4, rubric_json = ?5,"
                                          " scale = ?6, overlap = ?7, dispute_spread = ?8, required = ?9, metadata_json = ?10,"
                                          " content_hash = ?11, updated_at = ?12, published = 0,"
                                          " rubric_version = rubric_version + (COALESCE (rubric_json, '') IS NOT COALESCE (?5, ''))"
                                          " WHERE name = ?1", error)))
        return FALSE;
      g_hash_table_remove (run->datasets, name);
      /* A dataset first made implicitly by its items counts as added, not updated. */
      if (g_strcmp0 (old_hash, "implicit") != 0)
        run->result.n_datasets_updated++;
    }

  _rounds_store_bind_text (stmt, 1, name);
  _rounds_store_bind_text (stmt, 2, title);
  _rounds_store_bind_text (stmt, 3, description);
  _rounds_store_bind_text (stmt, 4, instructions);
  _rounds_store_bind_text (stmt, 5, rubric_json);
  sqlite3_bind_int64 (stmt, 6, scale);
  sqlite3_bind_int64 (stmt, 7, overlap);
  sqlite3_bind_int64 (stmt, 8, spread);
  _rounds_store_bind_text (stmt, 9, required_text);
  _rounds_store_bind_text (stmt, 10, metadata_json);
  _rounds_store_bind_text (stmt, 11, hash);
  _rounds_store_bind_text (stmt, 12, now);
  if (!step (run, stmt, error))
    return FALSE;

  /* An archive says under which version of its rubric the scores were given. */
  if (rubric_version > 0)
    {
      if (!(stmt = _rounds_store_prepare (run->store, "UPDATE datasets SET rubric_version = ?2 WHERE name = ?1", error)))
        return FALSE;
      _rounds_store_bind_text (stmt, 1, name);
      sqlite3_bind_int64 (stmt, 2, rubric_version);
      if (!step (run, stmt, error))
        return FALSE;
    }

  /* Items follow the dataset's overlap, except those a reviewer sent back for more. */
  if (id != 0 && overlap != old_overlap)
    {
      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET overlap = ?2 WHERE dataset_id = ?1 AND overlap = ?3", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, overlap);
      sqlite3_bind_int64 (stmt, 3, old_overlap);
      if (!step (run, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Items ------------------------------------------------------------------------------- */

/* Each field goes in with a tag and its length, so no two different items can feed the
 * checksum the same bytes. The texts are hashed in place, never copied or re-serialised:
 * this runs once per imported line and the texts are most of the file. */
static void
hash_text (GChecksum  *checksum,
           const char *text)
{
  guint64 length;

  if (text == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "N", 1);
      return;
    }
  length = GUINT64_TO_BE (strlen (text));
  g_checksum_update (checksum, (const guchar *) "S", 1);
  g_checksum_update (checksum, (const guchar *) &length, sizeof length);
  g_checksum_update (checksum, (const guchar *) text, GUINT64_FROM_BE (length));
}

static void
hash_node (GChecksum *checksum,
           JsonNode  *node)
{
  g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : NULL;

  hash_text (checksum, text);
}

static char *
item_hash (ItemData *item)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  hash_text (checksum, item->title);
  hash_text (checksum, item->scenario);
  hash_text (checksum, item->specialty);
  hash_text (checksum, item->language);
  hash_node (checksum, item->metadata);
  hash_node (checksum, item->reference);
  for (guint i = 0; i < item->responses->len; i++)
    {
      ResponseData *r = &g_array_index (item->responses, ResponseData, i);

      hash_text (checksum, r->key);
      hash_text (checksum, r->text);
      hash_text (checksum, r->model);
      hash_node (checksum, r->metadata);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
insert_responses (Run          *run,
                  gint64        item_id,
                  ItemData     *item,
                  GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO responses (item_id, idx, key, text, model, metadata_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  for (guint i = 0; i < item->responses->len; i++)
    {
      ResponseData *r = &g_array_index (item->responses, ResponseData, i);
      g_autofree char *metadata = node_to_json (r->metadata);

      sqlite3_bind_int64 (stmt, 1, item_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      _rounds_store_bind_text (stmt, 3, r->key);
      _rounds_store_bind_text (stmt, 4, r->text);
      _rounds_store_bind_text (stmt, 5, r->model);
      _rounds_store_bind_text (stmt, 6, metadata);
      if (!step (run, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes an item that has been read and checked: new, unchanged, or (with --update)
 * replaced. */
static gboolean
store_item (Run         *run,
            ItemData    *item,
            const char  *dataset_field,
            GError     **error)
{
  g_autofree char *hash = item_hash (item);
  g_autofree char *old_hash = NULL;
  g_autofree char *metadata = node_to_json (item->metadata);
  g_autofree char *reference = node_to_json (item->reference);
  const char *dataset_name;
  DatasetInfo *info;
  sqlite3_stmt *stmt;
  gint64 item_id = 0;
  guint old_n_responses = 0;
  gboolean judged = FALSE;
  int rc;

  dataset_name = item->dataset ? item->dataset
               : run->header_dataset ? run->header_dataset
               : run->base_dataset;
  if (!(info = ensure_dataset (run, dataset_name, dataset_field, error)))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT i.id, i.content_hash, (SELECT COUNT(*) FROM responses WHERE item_id = i.id),"
                                      " EXISTS (SELECT 1 FROM annotations WHERE item_id = i.id)"
                                      " FROM items i WHERE i.dataset_id = ?1 AND i.key = ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  _rounds_store_bind_text (stmt, 2, item->key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item_id = sqlite3_column_int64 (stmt, 0);
      old_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      old_n_responses = sqlite3_column_int (stmt, 2);
      judged = sqlite3_column_int (stmt, 3) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  if (item_id != 0)
    {
      if (g_strcmp0 (old_hash, hash) == 0)
        {
          run->result.n_items_unchanged++;
          return TRUE;
        }
      if (!run->importer->update)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_CONFLICT,
                       _("%s:%u: field “id”: item “%s” of dataset “%s” already exists with other content; import with --update to replace it"),
                       run->display, run->line, item->key, dataset_name);
          return FALSE;
        }
      if (judged && old_n_responses != item->responses->len)
        return fail (run, error, "responses",
                     _("item “%s” has judgements of its %u responses; an update cannot change how many there are"),
                     item->key, old_n_responses);

      if (!(stmt = _rounds_store_prepare (run->store,
                                          "UPDATE items SET title = ?2, scenario = ?3, specialty = ?4, language = ?5,"
                                          " metadata_json = ?6, reference_json = ?7, content_hash = ?8, published = 0"
                                          " WHERE id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_id);
      _rounds_store_bind_text (stmt, 2, item->title);
      _rounds_store_bind_text (stmt, 3, item->scenario);
      _rounds_store_bind_text (stmt, 4, item->specialty);
      _rounds_store_bind_text (stmt, 5, item->language);
      _rounds_store_bind_text (stmt, 6, metadata);
      _rounds_store_bind_text (stmt, 7, reference);
      _rounds_store_bind_text (stmt, 8, hash);
      if (!step (run, stmt, error))
        return FALSE;
      if (!(stmt = _rounds_store_prepare (run->store, "DELETE FROM responses WHERE item_id = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item_id);
      if (!step (run, stmt, error) || !insert_responses (run, item_id, item, error))
        return FALSE;
      run->result.n_items_updated++;
      return TRUE;
    }

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO items (dataset_id, key, position, title, scenario, specialty, language,"
                                      " metadata_json, reference_json, content_hash, overlap)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                                      " (SELECT overlap FROM datasets WHERE id = ?1))", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  _rounds_store_bind_text (stmt, 2, item->key);
  sqlite3_bind_int64 (stmt, 3, info->next_position++);
  _rounds_store_bind_text (stmt, 4, item->title);
  _rounds_store_bind_text (stmt, 5, item->scenario);
  _rounds_store_bind_text (stmt, 6, item->specialty);
  _rounds_store_bind_text (stmt, 7, item->language);
  _rounds_store_bind_text (stmt, 8, metadata);
  _rounds_store_bind_text (stmt, 9, reference);
  _rounds_store_bind_text (stmt, 10, hash);
  if (!step (run, stmt, error))
    return FALSE;
  item_id = sqlite3_last_insert_rowid (_rounds_store_get_db (run->store));
  if (!insert_responses (run, item_id, item, error))
    return FALSE;

  run->result.n_items_added++;
  return TRUE;
}

static gboolean
check_responses (Run       *run,
                 ItemData  *item,
                 GError   **error)
{
  guint n = item->responses->len;

  if (n < 2 || n > MAX_RESPONSES)
    return fail (run, error, "responses", _("expected 2 to %d responses, found %u"), MAX_RESPONSES, n);

  for (guint i = 0; i < n; i++)
    {
      ResponseData *r = &g_array_index (item->responses, ResponseData, i);

      if (r->key == NULL)
        r->key = g_strdup_printf ("%c", 'a' + i);
      for (guint k = 0; k < i; k++)
        if (g_strcmp0 (g_array_index (item->responses, ResponseData, k).key, r->key) == 0)
          {
            g_autofree char *field = g_strdup_printf ("responses[%u].id", i);

            return fail (run, error, field, _("“%s” is used by another response of this item"), r->key);
          }
    }
  return TRUE;
}

static gboolean
import_item (Run         *run,
             JsonObject  *object,
             GError     **error)
{
  static const char * const allowed[] = {
    "type", "id", "dataset", "title", "scenario", "specialty", "language", "metadata",
    "responses", "reference", NULL
  };
  static const char * const response_allowed[] = { "id", "text", "model", "metadata", NULL };
  g_auto(ItemData) item;
  JsonNode *responses;

  item_data_init (&item);
  if (!check_members (run, object, allowed, error) ||
      !get_key (run, object, "id", "id", TRUE, &item.key, error) ||
      !get_key (run, object, "dataset", "dataset", FALSE, &item.dataset, error) ||
      !get_string (run, object, "title", "title", FALSE, &item.title, error) ||
      !get_string (run, object, "scenario", "scenario", TRUE, &item.scenario, error) ||
      !get_string (run, object, "specialty", "specialty", FALSE, &item.specialty, error) ||
      !get_string (run, object, "language", "language", FALSE, &item.language, error) ||
      !get_object (run, object, "metadata", "metadata", &item.metadata, error) ||
      !get_object (run, object, "reference", "reference", &item.reference, error))
    return FALSE;

  responses = json_object_get_member (object, "responses");
  if (responses == NULL)
    return fail (run, error, "responses", _("missing: it is required"));
  if (!JSON_NODE_HOLDS_ARRAY (responses))
    return fail (run, error, "responses", _("expected an array of responses"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (responses)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (responses), i);
      g_autofree char *prefix = g_strdup_printf ("responses[%u]", i);
      g_autofree char *f_id = g_strconcat (prefix, ".id", NULL);
      g_autofree char *f_text = g_strconcat (prefix, ".text", NULL);
      g_autofree char *f_model = g_strconcat (prefix, ".model", NULL);
      g_autofree char *f_metadata = g_strconcat (prefix, ".metadata", NULL);
      ResponseData r = { NULL };
      JsonObject *ro;
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (run, error, prefix, _("expected an object with “text”"));
      ro = json_node_get_object (element);
      members = json_object_get_members (ro);
      for (const GList *l = members; l; l = l->next)
        if (!g_strv_contains (response_allowed, l->data))
          {
            g_autofree char *field = g_strdup_printf ("%s.%s", prefix, (const char *) l->data);

            return fail (run, error, field, _("unknown field: put extra data under “metadata”"));
          }

      g_array_append_val (item.responses, r);
      if (!get_key (run, ro, "id", f_id, FALSE,
                    &g_array_index (item.responses, ResponseData, i).key, error) ||
          !get_string (run, ro, "text", f_text, TRUE,
                       &g_array_index (item.responses, ResponseData, i).text, error) ||
          !get_string (run, ro, "model", f_model, FALSE,
                       &g_array_index (item.responses, ResponseData, i).model, error) ||
          !get_object (run, ro, "metadata", f_metadata,
                       &g_array_index (item.responses, ResponseData, i).metadata, error))
        return FALSE;
    }

  if (!check_responses (run, &item, error))
    return FALSE;

  if (item.reference != NULL)
    {
      JsonObject *reference = json_node_get_object (item.reference);
      const char *preferred = NULL;
      gboolean found = FALSE;

      if (json_object_has_member (reference, "preferred"))
        {
          JsonNode *node = json_object_get_member (reference, "preferred");

          if (json_node_get_value_type (node) != G_TYPE_STRING)
            return fail (run, error, "reference.preferred", _("expected the id of a response"));
          preferred = json_node_get_string (node);
          for (guint i = 0; i < item.responses->len; i++)
            found |= g_strcmp0 (g_array_index (item.responses, ResponseData, i).key, preferred) == 0;
          if (!found)
            return fail (run, error, "reference.preferred", _("no response has the id “%s”"), preferred);
        }
    }

  return store_item (run, &item, "dataset", error);
}

/* TRL preference pairs ---------------------------------------------------------------- */

/* A TRL field: a string, or a list of {"role", "content"} messages. */
static gboolean
read_messages (Run         *run,
               JsonObject  *object,
               const char  *member,
               JsonArray  **messages,
               char       **text,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *messages = NULL;
  *text = NULL;
  if (node == NULL)
    return fail (run, error, member, _("missing: it is required"));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *text = g_strdup (json_node_get_string (node));
      if (**text == '\0')
        return fail (run, error, member, _("empty: it is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (run, error, member, _("expected a string or a list of messages"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);
      JsonObject *message;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (run, error, field, _("expected a message with “role” and “content”"));
      message = json_node_get_object (element);
      if (node_string (json_object_get_member (message, "role")) == NULL)
        {
          g_autofree char *role = g_strconcat (field, ".role", NULL);

          return fail (run, error, role, _("expected a string"));
        }
      if (node_string (json_object_get_member (message, "content")) == NULL)
        {
          g_autofree char *content = g_strconcat (field, ".content", NULL);

          return fail (run, error, content, _("expected a string"));
        }
    }
  *messages = json_array_ref (json_node_get_array (node));
  return TRUE;
}

/* A conversation as one readable text; one lone user message is shown as itself. */
static char *
messages_to_text (JsonArray *messages)
{
  GString *text = g_string_new (NULL);
  guint n = json_array_get_length (messages);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *role = json_object_get_string_member (message, "role");
      const char *content = json_object_get_string_member (message, "content");

      if (text->len)
        g_string_append (text, "\n\n");
      if (n == 1 && g_strcmp0 (role, "user") == 0)
        g_string_append (text, content);
      else
        {
          g_autofree char *label = g_strdup (role);

          label[0] = g_ascii_toupper (label[0]);
          g_string_append_printf (text, "%s: %s", label, content);
        }
    }
  return g_string_free (text, FALSE);
}

static gboolean
import_trl (Run         *run,
            JsonObject  *object,
            GError     **error)
{
  g_auto(ItemData) item;
  g_autoptr(JsonArray) prompt_messages = NULL, chosen_messages = NULL, rejected_messages = NULL;
  g_autofree char *prompt = NULL, *chosen = NULL, *rejected = NULL;
  g_autofree char *hash_input = NULL, *hash = NULL;
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  g_autoptr(JsonBuilder) reference = json_builder_new ();
  g_autoptr(GList) members = NULL;
  ResponseData pair[2] = { { NULL }, { NULL } };
  gboolean chosen_first;
  gboolean conversational;

  item_data_init (&item);
  if (!read_messages (run, object, "chosen", &chosen_messages, &chosen, error) ||
      !read_messages (run, object, "rejected", &rejected_messages, &rejected, error))
    return FALSE;
  conversational = chosen_messages != NULL;
  if ((rejected_messages != NULL) != conversational)
    return fail (run, error, "rejected", _("expected the same form as “chosen”: both text or both messages"));

  if (json_object_has_member (object, "prompt"))
    {
      if (!read_messages (run, object, "prompt", &prompt_messages, &prompt, error))
        return FALSE;
      if (conversational && prompt_messages == NULL)
        return fail (run, error, "prompt", _("expected a list of messages, like “chosen”"));
    }
  else if (conversational)
    {
      /* The implicit prompt: the conversation before the last message. */
      guint n = json_array_get_length (chosen_messages);

      if (n < 2 || json_array_get_length (rejected_messages) != n)
        return fail (run, error, "prompt", _("missing, and “chosen” and “rejected” do not share the conversation before their last messages"));
      prompt_messages = json_array_new ();
      for (guint i = 0; i + 1 < n; i++)
        {
          g_autofree char *a = json_to_string (json_array_get_element (chosen_messages, i), FALSE);
          g_autofree char *b = json_to_string (json_array_get_element (rejected_messages, i), FALSE);

          if (g_strcmp0 (a, b) != 0)
            return fail (run, error, "prompt", _("missing, and “chosen” and “rejected” do not share the conversation before their last messages"));
          json_array_add_element (prompt_messages, json_node_copy (json_array_get_element (chosen_messages, i)));
        }
      {
        /* Keep only the final messages as the responses. */
        g_autoptr(JsonArray) last_chosen = json_array_new ();
        g_autoptr(JsonArray) last_rejected = json_array_new ();

        json_array_add_element (last_chosen, json_node_copy (json_array_get_element (chosen_messages, n - 1)));
        json_array_add_element (last_rejected, json_node_copy (json_array_get_element (rejected_messages, n - 1)));
        g_clear_pointer (&chosen_messages, json_array_unref);
        g_clear_pointer (&rejected_messages, json_array_unref);
        chosen_messages = g_steal_pointer (&last_chosen);
        rejected_messages = g_steal_pointer (&last_rejected);
      }
    }
  else
    return fail (run, error, "prompt", _("missing: text pairs need a prompt"));

  if (conversational)
    {
      g_free (prompt);
      prompt = messages_to_text (prompt_messages);
      chosen = messages_to_text (chosen_messages);
      rejected = messages_to_text (rejected_messages);
      /* A lone assistant reply reads as itself, not as "Assistant: …". */
      if (json_array_get_length (chosen_messages) == 1)
        {
          g_free (chosen);
          chosen = g_strdup (json_object_get_string_member (json_array_get_object_element (chosen_messages, 0), "content"));
        }
      if (json_array_get_length (rejected_messages) == 1)
        {
          g_free (rejected);
          rejected = g_strdup (json_object_get_string_member (json_array_get_object_element (rejected_messages, 0), "content"));
        }
    }

  hash_input = g_strjoin ("\x1f", prompt, chosen, rejected, NULL);
  hash = _rounds_sha256_hex (hash_input, -1);

  if (!get_key (run, object, "id", "id", FALSE, &item.key, error))
    return FALSE;
  if (item.key == NULL)
    item.key = g_strdup_printf ("trl-%.16s", hash);

  /* The canonical order comes from the content, not from which side was chosen, so
   * neither the order nor anything an annotator sees tells the reference label. */
  chosen_first = (g_ascii_xdigit_value (hash[63]) & 1) == 0;
  pair[chosen_first ? 0 : 1].text = g_steal_pointer (&chosen);
  pair[chosen_first ? 1 : 0].text = g_steal_pointer (&rejected);
  for (guint i = 0; i < 2; i++)
    {
      pair[i].key = g_strdup_printf ("%c", 'a' + i);
      g_array_append_val (item.responses, pair[i]);
    }
  item.scenario = g_steal_pointer (&prompt);

  /* Everything else on the line is kept: label-bearing fields in the hidden reference. */
  json_builder_begin_object (metadata);
  json_builder_begin_object (reference);
  json_builder_set_member_name (reference, "source");
  json_builder_add_string_value (reference, "trl");
  json_builder_set_member_name (reference, "preferred");
  json_builder_add_string_value (reference, chosen_first ? "a" : "b");
  if (conversational)
    {
      json_builder_set_member_name (metadata, "prompt_messages");
      json_builder_add_value (metadata, json_node_init_array (json_node_alloc (), prompt_messages));
    }
  members = json_object_get_members (object);
  for (const GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonBuilder *builder;

      if (g_str_equal (name, "prompt") || g_str_equal (name, "chosen") ||
          g_str_equal (name, "rejected") || g_str_equal (name, "id"))
        continue;
      builder = strstr (name, "chosen") || strstr (name, "rejected") || g_str_equal (name, "label")
              ? reference : metadata;
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (object, name)));
    }
  json_builder_end_object (metadata);
  json_builder_end_object (reference);
  item.metadata = json_builder_get_root (metadata);
  item.reference = json_builder_get_root (reference);
  if (json_object_get_size (json_node_get_object (item.metadata)) == 0)
    g_clear_pointer (&item.metadata, json_node_unref);

  return store_item (run, &item, NULL, error);
}

/* Mapped records ---------------------------------------------------------------------- */

/* The values a map finds in a record, as strings, with the path of each. */
static gboolean
map_values (Run        *run,
            FieldMap   *map,
            JsonNode   *record,
            GPtrArray  *values,
            GPtrArray  *names,
            GError    **error)
{
  for (guint p = 0; p < map->paths->len; p++)
    {
      RoundsFieldPath *path = g_ptr_array_index (map->paths, p);
      g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (run->is_csv)
        {
          JsonObject *object = json_node_get_object (record);
          JsonNode *node = json_object_get_member (object, _rounds_field_path_get_text (path));

          if (node == NULL)
            return fail (run, error, _rounds_field_path_get_text (path),
                         _("no such column in the header"));
          g_ptr_array_add (nodes, node);
          g_ptr_array_add (found, g_strdup (_rounds_field_path_get_text (path)));
        }
      else
        _rounds_field_path_eval (path, record, nodes, found);

      for (guint i = 0; i < nodes->len; i++)
        {
          JsonNode *node = g_ptr_array_index (nodes, i);
          const char *name = g_ptr_array_index (found, i);
          GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (type == G_TYPE_STRING)
            g_ptr_array_add (values, g_strdup (json_node_get_string (node)));
          else if (type == G_TYPE_INT64)
            g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
          else if (map->target == TARGET_METADATA)
            g_ptr_array_add (values, json_to_string (node, FALSE));
          else
            return fail (run, error, name, _("expected a string (mapped to “%s”)"),
                         targets[map->target].name);
          g_ptr_array_add (names, g_strdup (name));
        }
    }
  return TRUE;
}

static gboolean
import_mapped (Run       *run,
               JsonNode  *record,
               GError   **error)
{
  g_auto(ItemData) item;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  gboolean has_metadata = FALSE;
  GPtrArray *maps = run->importer->maps;

  item_data_init (&item);
  json_builder_begin_object (metadata);

  for (guint m = 0; m < maps->len; m++)
    {
      FieldMap *map = g_ptr_array_index (maps, m);
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *first_path = _rounds_field_path_get_text (g_ptr_array_index (map->paths, 0));
      char **single = NULL;

      if (!map_values (run, map, record, values, names, error))
        return FALSE;

      switch (map->target)
        {
        case TARGET_RESPONSES:
          for (guint i = 0; i < values->len; i++)
            {
              ResponseData r = { NULL };

              if (*(const char *) g_ptr_array_index (values, i) == '\0')
                return fail (run, error, g_ptr_array_index (names, i), _("empty (mapped to “responses”)"));
              r.text = g_strdup (g_ptr_array_index (values, i));
              g_array_append_val (item.responses, r);
            }
          continue;
        case TARGET_MODEL:
          g_ptr_array_extend_and_steal (models, g_steal_pointer (&values));
          continue;
        case TARGET_RESPONSE_ID:
          g_ptr_array_extend_and_steal (ids, g_steal_pointer (&values));
          continue;
        case TARGET_METADATA:
          if (values->len > 0)
            {
              g_autoptr(JsonNode) parsed = json_from_string (g_ptr_array_index (values, 0), NULL);

              json_builder_set_member_name (metadata, map->metadata_name);
              if (parsed != NULL && !JSON_NODE_HOLDS_VALUE (parsed))
                json_builder_add_value (metadata, g_steal_pointer (&parsed));
              else
                json_builder_add_string_value (metadata, g_ptr_array_index (values, 0));
              has_metadata = TRUE;
            }
          continue;
        case TARGET_ID: single = &item.key; break;
        case TARGET_DATASET: single = &item.dataset; break;
        case TARGET_TITLE: single = &item.title; break;
        case TARGET_SCENARIO: single = &item.scenario; break;
        case TARGET_SPECIALTY: single = &item.specialty; break;
        case TARGET_LANGUAGE: single = &item.language; break;
        default: g_assert_not_reached ();
        }

      if (values->len > 1)
        return fail (run, error, first_path, _("found %u values for “%s”, which takes one"),
                     values->len, targets[map->target].name);
      if (values->len == 1)
        *single = g_strdup (g_ptr_array_index (values, 0));
    }
  json_builder_end_object (metadata);

  if (item.scenario == NULL || *item.scenario == '\0')
    {
      FieldMap *map = NULL;

      for (guint m = 0; m < maps->len && !map; m++)
        if (((FieldMap *) g_ptr_array_index (maps, m))->target == TARGET_SCENARIO)
          map = g_ptr_array_index (maps, m);
      return fail (run, error,
                   map ? _rounds_field_path_get_text (g_ptr_array_index (map->paths, 0)) : "scenario",
                   _("missing or empty (mapped to “scenario”)"));
    }
  if (models->len > 0 && models->len != item.responses->len)
    return fail (run, error, "model", _("found %u models for %u responses"), models->len, item.responses->len);
  if (ids->len > 0 && ids->len != item.responses->len)
    return fail (run, error, "response_id", _("found %u response ids for %u responses"), ids->len, item.responses->len);
  for (guint i = 0; i < item.responses->len; i++)
    {
      ResponseData *r = &g_array_index (item.responses, ResponseData, i);

      if (i < models->len)
        r->model = g_strdup (g_ptr_array_index (models, i));
      if (i < ids->len)
        r->key = g_strdup (g_ptr_array_index (ids, i));
    }
  if (has_metadata)
    item.metadata = json_builder_get_root (metadata);
  if (!check_responses (run, &item, error))
    return FALSE;

  if (item.key == NULL)
    {
      g_autofree char *hash = item_hash (&item);

      item.key = g_strdup_printf ("item-%.16s", hash);
    }
  return store_item (run, &item, "dataset", error);
}

/* Judgements -------------------------------------------------------------------------- */

static int
response_index (Run         *run,
                RoundsItem  *item,
                const char  *key,
                const char  *field,
                GError     **error)
{
  int index = rounds_item_find_response (item, key);

  if (index < 0)
    fail (run, error, field, _("item “%s” has no response “%s”"), rounds_item_get_key (item), key);
  return index;
}

static gboolean
parse_preference (Run         *run,
                  JsonNode    *node,
                  int          k,
                  int         *preference,
                  GError     **error)
{
  static const char * const names[] = { "a-much-better", "a-better", "tie", "b-better", "b-much-better" };

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value < -k || value > k)
        return fail (run, error, "preference",
                     _("expected an integer from %d (the first response much better) to %d"), -k, k);
      *preference = (int) value;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    for (int i = 0; i < (int) G_N_ELEMENTS (names); i++)
      if (g_strcmp0 (json_node_get_string (node), names[i]) == 0)
        {
          /* The names are the points rounds_preference_get_label() calls so: "much
           * better" is the far end, "better" the point before it (on a 7-point scale ±1
           * is "somewhat better"); on a 3-point scale both are ±1. */
          int value = i - 2;

          if (k == 1 || value == 0)
            *preference = CLAMP (value, -1, 1);
          else if (ABS (value) == 2)
            *preference = value < 0 ? -k : k;
          else
            *preference = value * (k - 1);
          return TRUE;
        }
  return fail (run, error, "preference",
               _("expected an integer from %d to %d, or one of a-much-better, a-better, tie, b-better, b-much-better"),
               -k, k);
}

/* A map from response id to something, such as "scores": {"a": {…}}. */
static gboolean
for_each_response (Run         *run,
                   JsonObject  *object,
                   const char  *member,
                   RoundsItem  *item,
                   JsonObject **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GList) keys = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (run, error, member, _("expected an object keyed by response id"));
  keys = json_object_get_members (json_node_get_object (node));
  for (const GList *l = keys; l; l = l->next)
    {
      g_autofree char *field = g_strdup_printf ("%s.%s", member, (const char *) l->data);

      if (response_index (run, item, l->data, field, error) < 0)
        return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* An ISO 8601 time as the store keeps it: UTC with milliseconds. No time is the epoch. */
static gboolean
normalise_time (Run         *run,
                const char  *field,
                const char  *text,
                char       **out,
                GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL)
    {
      *out = g_strdup ("1970-01-01T00:00:00.000Z");
      return TRUE;
    }
  if (!(parsed = g_date_time_new_from_iso8601 (text, NULL)))
    return fail (run, error, field, _("expected an ISO 8601 time such as 2026-10-01T09:30:00Z"));
  *out = _rounds_format_iso8601 (parsed);
  return TRUE;
}

/* "ranking": {"a": 1, "b": 2, "c": 3}, by response id, for items of three or more. */
static gboolean
parse_ranking (Run         *run,
               JsonObject  *object,
               RoundsItem  *item,
               const char  *item_key,
               int         *ranks,
               GError     **error)
{
  JsonNode *node;
  guint n = rounds_item_get_n_responses (item);

  if ((node = json_object_get_member (object, "ranking")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObject *ranking;
      g_autoptr(GList) keys = NULL;

      if (n == 2)
        return fail (run, error, "ranking", _("item “%s” has two responses: give a “preference”"), item_key);
      if (!for_each_response (run, object, "ranking", item, &ranking, error))
        return FALSE;
      keys = json_object_get_members (ranking);
      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("ranking.%s", (const char *) l->data);
          JsonNode *rank = json_object_get_member (ranking, l->data);

          if (json_node_get_value_type (rank) != G_TYPE_INT64 ||
              json_node_get_int (rank) < 1 || json_node_get_int (rank) > n)
            return fail (run, error, field, _("expected a rank from 1 (best) to %u"), n);
          ranks[rounds_item_find_response (item, l->data)] = (int) json_node_get_int (rank);
        }
    }
  return TRUE;
}

/* "scores": {"a": {"accuracy": 4, …}, …}, checked against the dataset's rubric. */
static gboolean
parse_scores (Run              *run,
              JsonObject       *object,
              RoundsItem       *item,
              DatasetInfo      *info,
              RoundsJudgement  *j,
              GError          **error)
{
  JsonObject *scores;

  if (!for_each_response (run, object, "scores", item, &scores, error))
    return FALSE;
  if (scores != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (scores);

      for (const GList *l = keys; l; l = l->next)
        {
          JsonNode *per = json_object_get_member (scores, l->data);
          g_autoptr(GList) criteria = NULL;
          int r = rounds_item_find_response (item, l->data);

          if (!JSON_NODE_HOLDS_OBJECT (per))
            {
              g_autofree char *field = g_strdup_printf ("scores.%s", (const char *) l->data);

              return fail (run, error, field, _("expected an object from criterion to score"));
            }
          criteria = json_object_get_members (json_node_get_object (per));
          for (const GList *c = criteria; c; c = c->next)
            {
              g_autofree char *field = g_strdup_printf ("scores.%s.%s", (const char *) l->data, (const char *) c->data);
              JsonNode *value = json_object_get_member (json_node_get_object (per), c->data);
              int index = rounds_rubric_find (info->rubric, c->data);
              const RoundsCriterion *criterion;

              if (index < 0)
                return fail (run, error, field, _("the dataset’s rubric has no criterion “%s”"),
                             (const char *) c->data);
              criterion = rounds_rubric_get_criterion (info->rubric, index);
              if (json_node_get_value_type (value) != G_TYPE_INT64 ||
                  json_node_get_int (value) < criterion->min || json_node_get_int (value) > criterion->max)
                return fail (run, error, field, _("expected an integer from %d to %d"),
                             criterion->min, criterion->max);
              *rounds_judgement_score (j, r, index) = (int) json_node_get_int (value);
            }
        }
    }
  return TRUE;
}

/* The item a judgement or verdict line is about, in the line's dataset (or the file's),
 * and the user who made it, checked. */
static gboolean
find_judged_item (Run          *run,
                  char        **dataset,
                  const char   *item_key,
                  const char   *user_field,
                  const char   *user,
                  DatasetInfo **info,
                  RoundsItem  **item,
                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (*dataset == NULL)
    *dataset = g_strdup (run->header_dataset ? run->header_dataset : run->base_dataset);
  if (!(*info = find_dataset (run, *dataset, error)))
    {
      if (error && *error)
        return FALSE;
      return fail (run, error, "dataset", _("no dataset “%s”: import its items first"), *dataset);
    }
  if (!(*item = rounds_store_find_item (run->store, *dataset, item_key, &local_error)))
    return fail (run, error, "item", _("no item “%s” in dataset “%s”: import its items first"), item_key, *dataset);
  if (!rounds_user_name_is_valid (user, NULL))
    return fail (run, error, user_field,
                 _("“%s” is not a user name: use letters, digits, “.”, “_”, “@” or “-”"), user);
  return TRUE;
}

static gboolean
get_bool (Run         *run,
          JsonObject  *object,
          const char  *member,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (run, error, member, _("expected true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* "preference", for an item of two responses only. */
static gboolean
get_preference (Run          *run,
                JsonObject   *object,
                const char   *item_key,
                guint         n,
                DatasetInfo  *info,
                gboolean     *has_preference,
                int          *preference,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, "preference");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (n != 2)
    return fail (run, error, "preference", _("item “%s” has %u responses: give a “ranking”"), item_key, n);
  if (!parse_preference (run, node, info->scale_k, preference, error))
    return FALSE;
  *has_preference = TRUE;
  return TRUE;
}

static gboolean
import_judgement (Run         *run,
                  JsonObject  *object,
                  GError     **error)
{
  static const char * const allowed[] = {
    "type", "dataset", "item", "annotator", "status", "preference", "ranking", "unacceptable",
    "scores", "flags", "comment", "notes", "skip_reason", "shown_order", "time_spent_ms",
    "created_at", "revision", "edit", NULL
  };
  g_autofree char *dataset = NULL, *item_key = NULL, *annotator = NULL, *status = NULL;
  g_autofree char *edit = NULL, *created_at = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) j = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *flags, *notes;
  JsonNode *node;
  DatasetInfo *info;
  gint64 annotator_id;
  gint64 revision = 1, time_spent = 0;
  guint n;
  gboolean inserted;

  if (!check_members (run, object, allowed, error) ||
      !get_key (run, object, "dataset", "dataset", FALSE, &dataset, error) ||
      !get_key (run, object, "item", "item", TRUE, &item_key, error) ||
      !get_key (run, object, "annotator", "annotator", TRUE, &annotator, error) ||
      !get_string (run, object, "status", "status", FALSE, &status, error) ||
      !get_key (run, object, "edit", "edit", FALSE, &edit, error) ||
      !get_string (run, object, "created_at", "created_at", FALSE, &created_at, error) ||
      !get_int (run, object, "revision", "revision", 1, G_MAXINT, &revision, error) ||
      !get_int (run, object, "time_spent_ms", "time_spent_ms", 0, G_MAXINT64, &time_spent, error))
    return FALSE;

  if (!find_judged_item (run, &dataset, item_key, "annotator", annotator, &info, &item, error))
    return FALSE;

  n = rounds_item_get_n_responses (item);
  j = rounds_judgement_new (n, info->rubric);
  j->status = ROUNDS_STATUS_SUBMITTED;
  if (status != NULL && (!rounds_status_from_string (status, &j->status) || j->status == ROUNDS_STATUS_DRAFT))
    return fail (run, error, "status", _("expected “submitted” or “skipped”"));
  j->revision = (int) revision;
  j->time_spent_ms = time_spent;

  if (!get_bool (run, object, "unacceptable", &j->unacceptable, error) ||
      !get_preference (run, object, item_key, n, info, &j->has_preference, &j->preference, error) ||
      !parse_ranking (run, object, item, item_key, j->ranks, error))
    return FALSE;

  if (j->status == ROUNDS_STATUS_SUBMITTED && !rounds_judgement_has_verdict (j))
    return fail (run, error, n == 2 ? "preference" : "ranking",
                 n == 2 ? _("missing: a submitted judgement needs a preference, or “unacceptable”: true")
                        : _("every response must be ranked, or “unacceptable”: true"));

  if (!parse_scores (run, object, item, info, j, error))
    return FALSE;

  if (!for_each_response (run, object, "flags", item, &flags, error))
    return FALSE;
  if (flags != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (flags);

      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("flags.%s", (const char *) l->data);
          JsonNode *list = json_object_get_member (flags, l->data);
          int r = rounds_item_find_response (item, l->data);

          if (!JSON_NODE_HOLDS_ARRAY (list))
            return fail (run, error, field, _("expected a list of flags"));
          for (guint f = 0; f < json_array_get_length (json_node_get_array (list)); f++)
            {
              const char *name = node_string (json_array_get_element (json_node_get_array (list), f));
              RoundsFlags flag = rounds_flag_from_string (name);

              if (name == NULL)
                return fail (run, error, field, _("expected a list of flag names"));
              if (flag == ROUNDS_FLAG_NONE)
                return fail (run, error, field,
                             _("unknown flag “%s”: use unsafe, factually-wrong, outdated, privacy or bias"),
                             name ? name : "");
              j->flags[r] |= flag;
            }
        }
    }

  if (!for_each_response (run, object, "notes", item, &notes, error))
    return FALSE;
  if (notes != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (notes);

      for (const GList *l = keys; l; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("notes.%s", (const char *) l->data);
          char *text = NULL;

          if (!get_string (run, notes, l->data, field, FALSE, &text, error))
            return FALSE;
          j->notes[rounds_item_find_response (item, l->data)] = text;
        }
    }

  if (!get_string (run, object, "comment", "comment", FALSE, &j->comment, error) ||
      !get_string (run, object, "skip_reason", "skip_reason", FALSE, &j->skip_reason, error))
    return FALSE;

  if ((node = json_object_get_member (object, "shown_order")) != NULL)
    {
      guint seen = 0;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != n)
        return fail (run, error, "shown_order", _("expected a list of the %u response ids"), n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *field = g_strdup_printf ("shown_order[%u]", i);
          const char *key = node_string (json_array_get_element (json_node_get_array (node), i));
          int r;

          if (key == NULL || (r = response_index (run, item, key, field, error)) < 0)
            return key == NULL ? fail (run, error, field, _("expected a response id")) : FALSE;
          if (seen & (1u << r))
            return fail (run, error, field, _("response “%s” is listed twice"), key);
          seen |= 1u << r;
          j->shown_order[i] = (guint) r;
        }
    }

  if (!normalise_time (run, "created_at", created_at, &j->created_at, error))
    return FALSE;

  j->annotator = g_strdup (annotator);
  if (edit != NULL)
    j->edit_id = g_steal_pointer (&edit);
  else
    {
      /* Derived from the content, so the same line imported twice is the same edit. */
      g_autoptr(JsonNode) record = json_node_init_object (json_node_alloc (), object);
      g_autofree char *line = json_to_string (record, FALSE);
      g_autofree char *input = g_strjoin ("\x1f", dataset, line, NULL);
      g_autofree char *hash = _rounds_sha256_hex (input, -1);

      j->edit_id = g_strdup_printf ("import-%.32s", hash);
    }

  if (!(annotator_id = _rounds_store_ensure_annotator (run->store, annotator, &local_error)))
    return fail_with (run, error, g_steal_pointer (&local_error));
  if (!_rounds_store_insert_judgement (run->store, item, annotator_id, j, ROUNDS_ORIGIN_IMPORT, &inserted, error))
    return FALSE;

  info->has_judgements = TRUE;
  if (inserted)
    run->result.n_judgements_added++;
  else
    run->result.n_judgements_unchanged++;
  return TRUE;
}

/* A reviewer's verdict edit, as the full export writes it. Edits are immutable: one
 * that is there already is left alone. */
static gboolean
import_verdict (Run         *run,
                JsonObject  *object,
                GError     **error)
{
  static const char * const allowed[] = {
    "type", "dataset", "item", "reviewer", "edit", "revision", "preference", "ranking",
    "unacceptable", "scores", "rationale", "resolves", "models_revealed", "created_at", NULL
  };
  g_autofree char *dataset = NULL, *item_key = NULL, *reviewer = NULL, *edit = NULL;
  g_autofree char *created_at = NULL, *resolves_json = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autoptr(RoundsJudgement) scores = NULL;
  g_autoptr(RoundsVerdict) verdict = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;
  DatasetInfo *info;
  gint64 reviewer_id, revision = 1;
  gboolean inserted;
  guint n;

  if (!check_members (run, object, allowed, error) ||
      !get_key (run, object, "dataset", "dataset", FALSE, &dataset, error) ||
      !get_key (run, object, "item", "item", TRUE, &item_key, error) ||
      !get_key (run, object, "reviewer", "reviewer", TRUE, &reviewer, error) ||
      !get_key (run, object, "edit", "edit", TRUE, &edit, error) ||
      !get_string (run, object, "created_at", "created_at", TRUE, &created_at, error) ||
      !get_int (run, object, "revision", "revision", 1, G_MAXINT, &revision, error))
    return FALSE;

  if (!find_judged_item (run, &dataset, item_key, "reviewer", reviewer, &info, &item, error))
    return FALSE;

  n = rounds_item_get_n_responses (item);
  verdict = rounds_verdict_new (n);
  verdict->revision = (int) revision;
  verdict->edit_id = g_steal_pointer (&edit);
  verdict->reviewer = g_strdup (reviewer);
  if (!normalise_time (run, "created_at", created_at, &verdict->created_at, error) ||
      !get_string (run, object, "rationale", "rationale", TRUE, &verdict->rationale, error))
    return FALSE;
  {
    g_autofree char *stripped = g_strstrip (g_strdup (verdict->rationale));

    if (*stripped == '\0')
      return fail (run, error, "rationale", _("a verdict needs a rationale"));
  }
  if (!get_bool (run, object, "unacceptable", &verdict->unacceptable, error) ||
      !get_bool (run, object, "models_revealed", &verdict->models_revealed, error) ||
      !get_preference (run, object, item_key, n, info, &verdict->has_preference, &verdict->preference, error) ||
      !parse_ranking (run, object, item, item_key, verdict->ranks, error))
    return FALSE;
  if (!verdict->has_preference && !verdict->unacceptable && (n == 2 || verdict->ranks[0] == 0))
    return fail (run, error, n == 2 ? "preference" : "ranking",
                 _("missing: a verdict needs a preference, a ranking or “unacceptable”: true"));

  scores = rounds_judgement_new (n, info->rubric);
  if (!parse_scores (run, object, item, info, scores, error))
    return FALSE;
  verdict->scores_json = _rounds_judgement_scores_to_json (scores);

  if ((node = json_object_get_member (object, "resolves")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        if (node_string (json_array_get_element (array, i)) == NULL)
          array = NULL;
      if (array == NULL)
        return fail (run, error, "resolves", _("expected a list of judgement edit ids"));
      resolves_json = json_to_string (node, FALSE);
    }

  if (!(reviewer_id = _rounds_store_ensure_annotator (run->store, reviewer, &local_error)))
    return fail_with (run, error, g_steal_pointer (&local_error));
  if (!_rounds_store_insert_verdict (run->store, item, reviewer_id, verdict, resolves_json,
                                     ROUNDS_ORIGIN_IMPORT, &inserted, error))
    return FALSE;
  if (inserted)
    run->result.n_verdicts_added++;
  else
    run->result.n_verdicts_unchanged++;
  return TRUE;
}

/* A fact of the audit trail, as the full export writes it. The log is append-only, so a
 * fact is added once: the same line imported again changes nothing. */
static gboolean
import_audit (Run         *run,
              JsonObject  *object,
              GError     **error)
{
  static const char * const allowed[] = { "type", "at", "actor", "action", "target", "detail", NULL };
  g_autofree char *at = NULL, *actor = NULL, *action = NULL, *target = NULL, *detail_json = NULL;
  g_autofree char *time = NULL;
  JsonNode *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!check_members (run, object, allowed, error) ||
      !get_string (run, object, "at", "at", TRUE, &at, error) ||
      !get_string (run, object, "actor", "actor", FALSE, &actor, error) ||
      !get_string (run, object, "action", "action", TRUE, &action, error) ||
      !get_string (run, object, "target", "target", FALSE, &target, error) ||
      !get_object (run, object, "detail", "detail", &detail, error))
    return FALSE;
  if (detail != NULL)
    detail_json = json_to_string (detail, FALSE);
  g_clear_pointer (&detail, json_node_unref);
  if (!normalise_time (run, "at", at, &time, error))
    return FALSE;

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "SELECT 1 FROM audit_log WHERE at = ?1 AND actor IS ?2 AND action = ?3"
                                      " AND target IS ?4 AND detail_json IS ?5", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, time);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return _rounds_store_set_sqlite_error (run->store, error);

  if (!(stmt = _rounds_store_prepare (run->store,
                                      "INSERT INTO audit_log (at, actor, action, target, detail_json)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  _rounds_store_bind_text (stmt, 1, time);
  _rounds_store_bind_text (stmt, 2, actor);
  _rounds_store_bind_text (stmt, 3, action);
  _rounds_store_bind_text (stmt, 4, target);
  _rounds_store_bind_text (stmt, 5, detail_json);
  if (!_rounds_store_step_done (run->store, stmt, error))
    return FALSE;
  run->result.n_audit_added++;
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

static gboolean
import_json_record (Run         *run,
                    const char  *text,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  RoundsImportFormat format = run->importer->format;
  JsonObject *object;
  JsonNode *root;
  const char *type;

  /* The parser checks the encoding too; only when it refuses is the line scanned again,
   * to say where the bad byte is. */
  if (!json_parser_load_from_data (run->parser, text, length, &parse_error))
    {
      const char *bad = NULL;

      if (!g_utf8_validate (text, length, &bad))
        return fail (run, error, NULL, _("not valid UTF-8 text (at byte %ld of the line)"),
                     (long) (bad - text) + 1);
      return fail (run, error, NULL, _("not valid JSON: %s"), json_error_without_place (parse_error->message));
    }
  root = json_parser_get_root (run->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (run, error, NULL, _("expected one JSON object on the line"));
  object = json_node_get_object (root);

  if (format == ROUNDS_IMPORT_FORMAT_MAPPED)
    return import_mapped (run, root, error);

  type = node_string (json_object_get_member (object, "type"));
  if (type == NULL && format != ROUNDS_IMPORT_FORMAT_TRL && json_object_has_member (object, "type") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "type")))
    return fail (run, error, "type", _("expected a string: dataset, item, judgement, verdict, audit or export"));
  if (format == ROUNDS_IMPORT_FORMAT_TRL ||
      (format == ROUNDS_IMPORT_FORMAT_AUTO && type == NULL &&
       json_object_has_member (object, "chosen") && json_object_has_member (object, "rejected")))
    return import_trl (run, object, error);

  if (type == NULL && json_object_has_member (object, "responses"))
    type = "item";
  if (g_strcmp0 (type, "item") == 0)
    return import_item (run, object, error);
  if (g_strcmp0 (type, "dataset") == 0)
    return import_dataset (run, object, error);
  if (g_strcmp0 (type, "judgement") == 0)
    return import_judgement (run, object, error);
  if (g_strcmp0 (type, "verdict") == 0)
    return import_verdict (run, object, error);
  if (g_strcmp0 (type, "audit") == 0)
    return import_audit (run, object, error);
  if (g_strcmp0 (type, "export") == 0)
    return TRUE;    /* the header of a full archive: how it was made, nothing to store */

  if (type != NULL)
    return fail (run, error, "type", _("unknown type “%s”: expected dataset, item, judgement, verdict, audit or export"), type);
  return fail (run, error, NULL,
               _("not a Rounds record (it has no “type”) nor a TRL pair (“prompt”, “chosen”, “rejected”): give --map to read other layouts"));
}

static gboolean
import_csv_record (Run        *run,
                   GPtrArray  *fields,
                   GError    **error)
{
  g_autoptr(JsonNode) record = NULL;
  JsonObject *object;

  if (fields->len != run->csv_header->len)
    return fail (run, error, NULL, _("expected %u fields, as in the header, found %u"),
                 run->csv_header->len, fields->len);

  object = json_object_new ();
  for (guint i = 0; i < fields->len; i++)
    {
      const char *value = g_ptr_array_index (fields, i);

      if (!g_utf8_validate (value, -1, NULL))
        return fail (run, error, g_ptr_array_index (run->csv_header, i), _("not valid UTF-8 text"));
      json_object_set_string_member (object, g_ptr_array_index (run->csv_header, i), value);
    }
  record = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return import_mapped (run, record, error);
}

/* Progress ---------------------------------------------------------------------------- */

typedef struct
{
  RoundsImporter *importer;
  double          fraction;
} ProgressUpdate;

static gboolean
progress_dispatch (gpointer data)
{
  ProgressUpdate *update = data;

  if (update->importer->fraction != update->fraction)
    {
      update->importer->fraction = update->fraction;
      g_object_notify_by_pspec (G_OBJECT (update->importer), properties[PROP_FRACTION]);
    }
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->importer);
  g_free (update);
}

static void
report_progress (RoundsImporter *self,
                 double          fraction)
{
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->importer = g_object_ref (self);
  update->fraction = fraction;
  if (self->context != NULL)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, progress_dispatch, update, progress_free);
  else
    {
      progress_dispatch (update);
      progress_free (update);
    }
}

/* Running ----------------------------------------------------------------------------- */

static gboolean
import_stream (Run               *run,
               GDataInputStream  *data,
               GSeekable         *seekable,
               goffset            size,
               GCancellable      *cancellable,
               GError           **error)
{
  guint reported = 0;

  if (run->is_csv)
    {
      g_autoptr(RoundsCsvReader) reader = _rounds_csv_reader_new (data, g_str_has_suffix (run->display, ".tsv") ? '\t' : ',');
      g_autoptr(GError) local_error = NULL;

      run->csv_header = _rounds_csv_reader_next (reader, &run->line, cancellable, &local_error);
      if (run->csv_header == NULL)
        {
          if (local_error != NULL && local_error->domain != ROUNDS_ERROR)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", run->display);
              return FALSE;
            }
          run->line = MAX (run->line, 1);
          if (local_error)
            return fail (run, error, NULL, "%s", local_error->message);
          return fail (run, error, NULL, _("the file is empty: expected a header row"));
        }

      for (;;)
        {
          g_autoptr(GPtrArray) fields = _rounds_csv_reader_next (reader, &run->line, cancellable, &local_error);

          if (fields == NULL)
            {
              if (local_error != NULL && local_error->domain != ROUNDS_ERROR)
                {
                  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", run->display);
                  return FALSE;
                }
              if (local_error != NULL)
                {
                  guint column = _rounds_csv_reader_get_error_field (reader);

                  return fail (run, error,
                               column >= 1 && column <= run->csv_header->len
                               ? g_ptr_array_index (run->csv_header, column - 1) : NULL,
                               "%s", local_error->message);
                }
              break;
            }
          run->result.n_records++;
          if (!import_csv_record (run, fields, error))
            return FALSE;
          if ((run->result.n_records & 255) == 0)
            {
              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              if (size > 0 && (guint) (g_seekable_tell (seekable) * 100 / size) > reported)
                report_progress (run->importer, (reported = g_seekable_tell (seekable) * 100 / size) / 100.0);
            }
        }
      return TRUE;
    }

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
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", run->display);
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
      if (*p == '\0' || *p == '#')
        continue;

      run->result.n_records++;
      if (!import_json_record (run, text, length, error))
        return FALSE;

      if ((run->result.n_records & 255) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (size > 0 && (guint) (g_seekable_tell (seekable) * 100 / size) > reported)
            report_progress (run->importer, (reported = g_seekable_tell (seekable) * 100 / size) / 100.0);
        }
    }

  return TRUE;
}

static char *
result_to_json (Run        *run,
                const char *path)
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
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *detail = NULL;
  Run run = { 0 };
  gboolean ok = FALSE;
  char *dot;

  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  run.importer = self;
  run.store = store;
  run.display = g_file_get_parse_name (file);
  run.datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, dataset_info_free);
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
                   _("%s: a CSV file needs field maps, such as --map scenario=question --map responses=answer_a,answer_b"),
                   run.display);
      goto out;
    }
  if (self->maps->len > 0 && self->format != ROUNDS_IMPORT_FORMAT_AUTO && self->format != ROUNDS_IMPORT_FORMAT_MAPPED)
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("field maps apply to other layouts, not to the %s format"),
                   self->format == ROUNDS_IMPORT_FORMAT_TRL ? "trl" : "rounds");
      goto out;
    }

  if (!(stream = g_file_read (file, cancellable, error)))
    goto out;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  data = g_data_input_stream_new (G_INPUT_STREAM (stream));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data), 256 * 1024);

  {
    RoundsImportFormat saved = self->format;

    if (self->maps->len > 0)
      self->format = ROUNDS_IMPORT_FORMAT_MAPPED;

    /* One transaction per file. Durability of an import is that of a re-run, so it may
     * skip the per-commit sync that a judgement gets. */
    if (_rounds_store_exec (store, "PRAGMA synchronous = NORMAL", error) &&
        _rounds_store_begin (store, error))
      {
        ok = import_stream (&run, data, G_SEEKABLE (stream), info ? g_file_info_get_size (info) : 0,
                            cancellable, error);
        /* The stream is checked every few hundred records; a cancellation that came after
         * the last check must still keep the file out. */
        if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
          ok = FALSE;
        if (ok)
          {
            detail = result_to_json (&run, run.display);
            ok = rounds_store_audit (store, self->actor, "import.file", run.display, detail, error) &&
                 _rounds_store_commit (store, error);
          }
        if (!ok)
          _rounds_store_rollback (store);
      }
    _rounds_store_exec (store, "PRAGMA synchronous = FULL", NULL);
    self->format = saved;
  }

  if (ok)
    report_progress (self, 1.0);
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

/* Async ------------------------------------------------------------------------------- */

typedef struct
{
  char  *db_path;
  GFile *file;
  RoundsImportResult result;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run_data = data;

  g_free (run_data->db_path);
  g_object_unref (run_data->file);
  g_free (run_data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RoundsImporter *self = source_object;
  RunData *run_data = task_data;
  g_autoptr(RoundsStore) store = NULL;
  GError *error = NULL;

  if (!(store = rounds_store_open (run_data->db_path, &error)) ||
      !rounds_importer_run (self, store, run_data->file, &run_data->result, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;
  RunData *run_data;

  g_return_if_fail (ROUNDS_IS_IMPORTER (self));
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (G_IS_FILE (file));

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->fraction = 0;

  run_data = g_new0 (RunData, 1);
  run_data->db_path = g_strdup (db_path);
  run_data->file = g_object_ref (file);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rounds_importer_run_async);
  g_task_set_task_data (task, run_data, run_data_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
rounds_importer_run_finish (RoundsImporter      *self,
                            GAsyncResult        *result,
                            RoundsImportResult  *import_result,
                            GError             **error)
{
  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (import_result != NULL)
    *import_result = ((RunData *) g_task_get_task_data (G_TASK (result)))->result;
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
  g_clear_pointer (&self->context, g_main_context_unref);

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
  self->maps = g_ptr_array_new_with_free_func (field_map_free);
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
 * response_id and metadata.NAME.
 */
gboolean
rounds_importer_add_map (RoundsImporter  *self,
                         const char      *spec,
                         GError         **error)
{
  g_autofree char *target = NULL;
  g_auto(GStrv) paths = NULL;
  FieldMap *map;
  const char *eq;
  int found = -1;

  g_return_val_if_fail (ROUNDS_IS_IMPORTER (self), FALSE);

  eq = strchr (spec, '=');
  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                   _("--map “%s”: write TARGET=PATH, as in scenario=question"), spec);
      return FALSE;
    }
  target = g_strndup (spec, eq - spec);
  paths = g_strsplit (eq + 1, ",", -1);

  map = g_new0 (FieldMap, 1);
  map->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) _rounds_field_path_free);
  if (g_str_has_prefix (target, "metadata.") && target[9] != '\0')
    {
      map->target = TARGET_METADATA;
      map->metadata_name = g_strdup (target + 9);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        if (g_str_equal (target, targets[i].name))
          found = (int) i;
      if (found < 0)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: unknown target “%s”: use id, dataset, title, scenario, specialty, language, responses, model, response_id or metadata.NAME"),
                       spec, target);
          field_map_free (map);
          return FALSE;
        }
      map->target = targets[found].target;
    }

  for (guint i = 0; paths[i]; i++)
    {
      g_autoptr(GError) local_error = NULL;
      RoundsFieldPath *path = _rounds_field_path_parse (g_strstrip (paths[i]), &local_error);

      if (path == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "--map “%s”: ", spec);
          field_map_free (map);
          return FALSE;
        }
      if (_rounds_field_path_is_list (path) && found >= 0 && !targets[found].list)
        {
          g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_ARGUMENT,
                       _("--map “%s”: “%s” takes one value, but “%s” is a list"),
                       spec, target, paths[i]);
          _rounds_field_path_free (path);
          field_map_free (map);
          return FALSE;
        }
      g_ptr_array_add (map->paths, path);
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
