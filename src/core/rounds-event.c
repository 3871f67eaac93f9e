/* rounds-event.c: the judgement and verdict event documents, built and read
 *
 * The store keeps a judgement's per-response arrays (ranking, scores, flags, notes, the
 * order shown) in the item's canonical response order; the documents key them by response
 * id, as the Rounds JSONL format does, so that they read without knowing the order, and
 * an item that changed under a judgement cannot shift its labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-event"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rounds-error.h"
#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-judgement-private.h"
#include "rounds-profile.h"
#include "rounds-sql-private.h"
#include "rounds-sync.h"
#include "rounds-util-private.h"

const char *
_rounds_event_type_to_string (RoundsEventType type)
{
  return type == ROUNDS_EVENT_VERDICT ? "verdict" : "judgement";
}

gboolean
_rounds_event_type_from_string (const char      *text,
                                RoundsEventType *type)
{
  if (g_strcmp0 (text, "judgement") == 0)
    *type = ROUNDS_EVENT_JUDGEMENT;
  else if (g_strcmp0 (text, "verdict") == 0)
    *type = ROUNDS_EVENT_VERDICT;
  else
    return FALSE;
  return TRUE;
}

/* Type-checked members ---------------------------------------------------------------- */

gboolean
_rounds_event_invalid (GError     **error,
                       const char  *doc_id,
                       const char  *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                                                format, args));
  va_end (args);
  g_prefix_error (error, "%s: ", doc_id);
  return FALSE;
}

char *
_rounds_event_member_json (JsonObject *doc,
                           const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_to_string (node, FALSE);
}

gboolean
_rounds_event_valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
_rounds_event_valid_key (const char *key)
{
  if (key == NULL || *key == '\0' || strlen (key) > 256)
    return FALSE;
  for (const char *p = key; *p; p++)
    if ((guchar) *p < 0x20)
      return FALSE;
  return TRUE;
}

/* Building ---------------------------------------------------------------------------- */

static JsonNode *
parse_json (const char *text)
{
  if (text == NULL)
    return NULL;
  return json_from_string (text, NULL);
}

static void
set_text (JsonObject   *doc,
          const char   *member,
          sqlite3_stmt *row,
          const char   *column)
{
  const char *text = _rounds_sql_text (row, column);

  if (text != NULL)
    json_object_set_string_member (doc, member, text);
}

/* A canonical-order array column as an object keyed by response id, leaving out empty
 * entries (and, for a ranking, unranked ones). The store leaves an object with nothing in
 * it out; the archive writes it whenever the column is set. */
static void
set_keyed (JsonObject         *doc,
           const char         *member,
           sqlite3_stmt       *row,
           const char         *column,
           const char * const *keys,
           guint               n_keys,
           gboolean            ranking,
           RoundsEventFlags    flags)
{
  g_autoptr(JsonNode) node = parse_json (_rounds_sql_text (row, column));
  g_autoptr(JsonObject) keyed = json_object_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < MIN (n_keys, json_array_get_length (array)); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (JSON_NODE_HOLDS_ARRAY (element) &&
          json_array_get_length (json_node_get_array (element)) == 0)
        continue;
      if (JSON_NODE_HOLDS_OBJECT (element) &&
          json_object_get_size (json_node_get_object (element)) == 0)
        continue;
      if (ranking && (json_node_get_value_type (element) != G_TYPE_INT64 ||
                      json_node_get_int (element) <= 0))
        continue;
      json_object_set_member (keyed, keys[i], json_node_copy (element));
    }
  if (json_object_get_size (keyed) > 0 || (flags & ROUNDS_EVENT_ARCHIVE))
    json_object_set_object_member (doc, member, json_object_ref (keyed));
}

/* The order shown, as response ids. The store always names one (empty when unknown); the
 * archive only when there is one, with "?" for a position the item does not have. */
static void
set_order (JsonObject         *doc,
           sqlite3_stmt       *row,
           const char * const *keys,
           guint               n_keys,
           RoundsEventFlags    flags)
{
  g_autoptr(JsonNode) node = parse_json (_rounds_sql_text (row, "shown_order"));
  JsonArray *order;

  if ((flags & ROUNDS_EVENT_ARCHIVE) && _rounds_sql_is_null (row, "shown_order"))
    return;
  order = json_array_new ();
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        JsonNode *element = json_array_get_element (json_node_get_array (node), i);
        gint64 index = json_node_get_value_type (element) == G_TYPE_INT64
                         ? json_node_get_int (element) : -1;

        if (index >= 0 && index < n_keys)
          json_array_add_string_element (order, keys[index]);
        else if (flags & ROUNDS_EVENT_ARCHIVE)
          json_array_add_string_element (order, "?");
      }
  json_object_set_array_member (doc, "shown_order", order);
}

static void
set_flag (JsonObject       *doc,
          const char       *member,
          sqlite3_stmt     *row,
          RoundsEventFlags  flags)
{
  gboolean value = _rounds_sql_int (row, member) != 0;

  if (value || !(flags & ROUNDS_EVENT_ARCHIVE))
    json_object_set_boolean_member (doc, member, value);
}

/**
 * _rounds_event_build:
 *
 * The curation store's document for one edit, or its line in the full archive (to be
 * written with json_to_string() and a newline).
 *
 * Returns: (transfer full): the document
 */
JsonObject *
_rounds_event_build (const RoundsEventKey *key,
                     sqlite3_stmt         *row,
                     const char * const   *keys,
                     guint                 n_keys,
                     RoundsEventFlags      flags)
{
  gboolean judgement = key->type == ROUNDS_EVENT_JUDGEMENT;
  gboolean store = !(flags & ROUNDS_EVENT_ARCHIVE);
  JsonObject *doc = json_object_new ();

  if (store)
    json_object_set_string_member (doc, "_id", key->doc_id);
  json_object_set_string_member (doc, "type", _rounds_event_type_to_string (key->type));
  if (store)
    json_object_set_int_member (doc, "schema", ROUNDS_SYNC_DOC_SCHEMA);
  json_object_set_string_member (doc, "dataset", key->dataset);
  json_object_set_string_member (doc, "item", key->item);
  json_object_set_string_member (doc, judgement ? "annotator" : "reviewer", key->person);
  json_object_set_string_member (doc, "edit", key->edit);
  json_object_set_int_member (doc, "revision", _rounds_sql_int (row, "revision"));
  if (judgement)
    set_text (doc, "status", row, "status");

  /* The decision, what judgements and verdicts share. */
  if (!_rounds_sql_is_null (row, "preference"))
    json_object_set_int_member (doc, "preference", _rounds_sql_int (row, "preference"));
  set_keyed (doc, "ranking", row, "ranking_json", keys, n_keys, TRUE, flags);
  set_flag (doc, "unacceptable", row, flags);
  set_keyed (doc, "scores", row, "scores_json", keys, n_keys, FALSE, flags);

  if (judgement)
    {
      set_keyed (doc, "flags", row, "flags_json", keys, n_keys, FALSE, flags);
      set_keyed (doc, "notes", row, "notes_json", keys, n_keys, FALSE, flags);
      set_text (doc, "comment", row, "comment");
      set_text (doc, "skip_reason", row, "skip_reason");
      set_order (doc, row, keys, n_keys, flags);
      json_object_set_int_member (doc, "time_spent_ms", _rounds_sql_int64 (row, "time_spent_ms"));
    }
  else
    {
      JsonNode *resolves = parse_json (_rounds_sql_text (row, "resolves_json"));

      set_text (doc, "rationale", row, "rationale");
      if (resolves != NULL)
        json_object_set_member (doc, "resolves", resolves);
      set_flag (doc, "models_revealed", row, flags);
    }
  set_text (doc, "created_at", row, "created_at");

  if (store)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < n_keys; i++)
        json_array_add_string_element (array, keys[i]);
      json_object_set_array_member (doc, "responses", array);
    }
  return doc;
}

/* Strict members ---------------------------------------------------------------------- */

/* Keeps the member a strict reading failed on, for the caller to name (with the file and
 * line it knows). */
static gboolean
failed_at (RoundsEventKey *key,
           const char     *member)
{
  g_free (key->field);
  key->field = g_strdup (member);
  return FALSE;
}

/* A strict reading's error: translated, and about one member, which the key keeps. */
static G_GNUC_PRINTF (4, 5) gboolean
refuse (RoundsEventKey  *key,
        GError         **error,
        const char      *field,
        const char      *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT,
                                                format, args));
  va_end (args);
  return failed_at (key, field);
}

void
_rounds_event_key_clear (RoundsEventKey *key)
{
  g_clear_pointer (&key->field, g_free);
  g_clear_pointer (&key->names, g_ptr_array_unref);
}

/* A string member, which must not be blank if it is @required; or, with @name, one of the
 * key's names: a non-empty string, or an integer written as one, which the key keeps. */
static gboolean
strict_text (RoundsEventKey  *key,
             JsonObject      *doc,
             const char      *member,
             gboolean         required,
             const char     **name,
             GError         **error)
{
  g_autofree char *text = NULL;

  if (!_rounds_import_member_text (doc, member, required, name != NULL, &text, error))
    return failed_at (key, member);
  if (name != NULL && text != NULL)
    {
      *name = text;
      g_ptr_array_add (key->names, g_steal_pointer (&text));
    }
  return TRUE;
}

static gboolean
strict_int (RoundsEventKey  *key,
            JsonObject      *doc,
            const char      *member,
            gint64           min,
            gint64           max,
            GError         **error)
{
  gint64 value;

  return _rounds_import_member_int (doc, member, min, max, &value, error) ||
         failed_at (key, member);
}

/* The JSON type of each member of an event document, as _rounds_event_build() writes it. A
 * lenient reading reads what it does not know past, but a member of another type was not
 * written by a client of this format: the document is refused whole, never read in part. */
static const struct
{
  const char   *member;
  JsonNodeType  node_type;
  GType         value_type;   /* of a JSON_NODE_VALUE */
} member_types[] = {
  { "_id", JSON_NODE_VALUE, G_TYPE_STRING },
  { "_rev", JSON_NODE_VALUE, G_TYPE_STRING },
  { "type", JSON_NODE_VALUE, G_TYPE_STRING },
  { "schema", JSON_NODE_VALUE, G_TYPE_INT64 },
  { "dataset", JSON_NODE_VALUE, G_TYPE_STRING },
  { "item", JSON_NODE_VALUE, G_TYPE_STRING },
  { "annotator", JSON_NODE_VALUE, G_TYPE_STRING },
  { "reviewer", JSON_NODE_VALUE, G_TYPE_STRING },
  { "edit", JSON_NODE_VALUE, G_TYPE_STRING },
  { "revision", JSON_NODE_VALUE, G_TYPE_INT64 },
  { "status", JSON_NODE_VALUE, G_TYPE_STRING },
  { "preference", JSON_NODE_VALUE, G_TYPE_INT64 },
  { "ranking", JSON_NODE_OBJECT, G_TYPE_INVALID },
  { "unacceptable", JSON_NODE_VALUE, G_TYPE_BOOLEAN },
  { "scores", JSON_NODE_OBJECT, G_TYPE_INVALID },
  { "flags", JSON_NODE_OBJECT, G_TYPE_INVALID },
  { "notes", JSON_NODE_OBJECT, G_TYPE_INVALID },
  { "comment", JSON_NODE_VALUE, G_TYPE_STRING },
  { "skip_reason", JSON_NODE_VALUE, G_TYPE_STRING },
  { "shown_order", JSON_NODE_ARRAY, G_TYPE_INVALID },
  { "time_spent_ms", JSON_NODE_VALUE, G_TYPE_INT64 },
  { "rationale", JSON_NODE_VALUE, G_TYPE_STRING },
  { "resolves", JSON_NODE_ARRAY, G_TYPE_INVALID },
  { "models_revealed", JSON_NODE_VALUE, G_TYPE_BOOLEAN },
  { "created_at", JSON_NODE_VALUE, G_TYPE_STRING },
  { "responses", JSON_NODE_ARRAY, G_TYPE_INVALID },
};

static gboolean
check_member_types (JsonObject  *doc,
                    const char  *label,
                    GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (member_types); i++)
    {
      JsonNode *node = json_object_get_member (doc, member_types[i].member);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (JSON_NODE_TYPE (node) != member_types[i].node_type ||
          (member_types[i].node_type == JSON_NODE_VALUE &&
           json_node_get_value_type (node) != member_types[i].value_type))
        return _rounds_event_invalid (error, label, "“%s” is of the wrong type",
                                      member_types[i].member);
    }
  return TRUE;
}

/* What a line of a file to import must be before its item is looked up. */
static gboolean
read_key_strict (JsonObject      *doc,
                 RoundsEventKey  *key,
                 GError         **error)
{
  static const char * const judgement_members[] = {
    "type", "dataset", "item", "annotator", "status", "preference", "ranking", "unacceptable",
    "scores", "flags", "comment", "notes", "skip_reason", "shown_order", "time_spent_ms",
    "created_at", "revision", "edit", NULL
  };
  static const char * const verdict_members[] = {
    "type", "dataset", "item", "reviewer", "edit", "revision", "preference", "ranking",
    "unacceptable", "scores", "rationale", "resolves", "models_revealed", "created_at", NULL
  };
  gboolean judgement = key->type == ROUNDS_EVENT_JUDGEMENT;
  const char *unknown = NULL;

  if (!_rounds_import_member_names (doc, judgement ? judgement_members : verdict_members,
                                    &unknown, error))
    return failed_at (key, unknown);
  if (!strict_text (key, doc, "dataset", FALSE, &key->dataset, error) ||
      !strict_text (key, doc, "item", TRUE, &key->item, error) ||
      !strict_text (key, doc, judgement ? "annotator" : "reviewer", TRUE, &key->person, error))
    return FALSE;
  if (judgement)
    return strict_text (key, doc, "status", FALSE, NULL, error) &&
           strict_text (key, doc, "edit", FALSE, &key->edit, error) &&
           strict_text (key, doc, "created_at", FALSE, NULL, error) &&
           strict_int (key, doc, "revision", 1, G_MAXINT, error) &&
           strict_int (key, doc, "time_spent_ms", 0, G_MAXINT64, error);
  return strict_text (key, doc, "edit", TRUE, &key->edit, error) &&
         strict_text (key, doc, "created_at", TRUE, NULL, error) &&
         strict_int (key, doc, "revision", 1, G_MAXINT, error);
}

/* Reading ----------------------------------------------------------------------------- */

/**
 * _rounds_event_read_key:
 *
 * A judgement's dataset and item, and a verdict's names, edit, time, revision and
 * rationale, are checked here, before its item is looked up; in the store, also that the
 * id is made of them. Read strictly, every member the document has is checked here that
 * can be without the item, and the dataset may be missing (the caller's to default).
 */
gboolean
_rounds_event_read_key (JsonObject        *doc,
                        RoundsEventType    type,
                        RoundsEventFlags   flags,
                        RoundsEventKey    *key,
                        GError           **error)
{
  gboolean judgement = type == ROUNDS_EVENT_JUDGEMENT;
  gboolean store = !(flags & ROUNDS_EVENT_ARCHIVE);
  const char *doc_id = store ? _rounds_event_get_string (doc, "_id") : NULL;
  const char *label = doc_id ? doc_id : _rounds_event_type_to_string (type);
  g_autofree char *expected_id = NULL;
  gint64 revision;

  *key = (RoundsEventKey) { .type = type, .doc_id = doc_id };
  if (flags & ROUNDS_EVENT_STRICT)
    {
      key->names = g_ptr_array_new_with_free_func (g_free);
      return read_key_strict (doc, key, error);
    }
  if (!check_member_types (doc, label, error))
    return FALSE;
  key->dataset = _rounds_event_get_string (doc, "dataset");
  key->item = _rounds_event_get_string (doc, "item");
  key->person = _rounds_event_get_string (doc, judgement ? "annotator" : "reviewer");
  key->edit = _rounds_event_get_string (doc, "edit");

  if (judgement)
    {
      if (!_rounds_event_valid_name (key->dataset) || !_rounds_event_valid_key (key->item))
        return _rounds_event_invalid (error, label, "no valid “dataset” and “item”");
      if (!store)
        return TRUE;
      expected_id = _rounds_doc_id ("judgement", key->person ? key->person : "", key->dataset,
                                    key->item, key->edit ? key->edit : "", NULL);
      if (g_strcmp0 (expected_id, doc_id) != 0)
        return _rounds_event_invalid (error, label, "the id does not match its annotator, "
                                      "dataset, item and edit");
      return TRUE;
    }

  if (!_rounds_event_valid_name (key->dataset) || !_rounds_event_valid_key (key->item) ||
      !rounds_user_name_is_valid (key->person, NULL) ||
      key->edit == NULL || *key->edit == '\0' ||
      _rounds_event_get_string (doc, "created_at") == NULL)
    return _rounds_event_invalid (error, label, "“dataset”, “item”, “reviewer”, “edit” "
                                  "and “created_at” are required");
  if (store)
    {
      expected_id = _rounds_doc_id ("verdict", key->dataset, key->item, key->person, key->edit,
                                    NULL);
      if (g_strcmp0 (expected_id, doc_id) != 0)
        return _rounds_event_invalid (error, label,
                                      "the id does not match its dataset, item, reviewer and edit");
    }
  if (!_rounds_event_get_int (doc, "revision", &revision) || revision < 1 || revision > G_MAXINT)
    return _rounds_event_invalid (error, label, "“revision” must be a whole number from 1");
  {
    const char *rationale = _rounds_event_get_string (doc, "rationale");
    g_autofree char *stripped = g_strstrip (g_strdup (rationale ? rationale : ""));

    if (*stripped == '\0')
      return _rounds_event_invalid (error, label, "a verdict needs a rationale");
  }
  return TRUE;
}

static const char *
key_label (const RoundsEventKey *key)
{
  return key->doc_id ? key->doc_id : _rounds_event_type_to_string (key->type);
}

/* Checks that the event names the item's responses in the order we have them: an item
 * that changed under a judgement must not have its labels shifted. */
static gboolean
check_responses (JsonObject  *doc,
                 const char  *doc_id,
                 RoundsItem  *item,
                 GError     **error)
{
  JsonArray *keys = _rounds_event_get_array (doc, "responses");
  guint n = rounds_item_get_n_responses (item);

  if (keys == NULL)
    return TRUE;
  if (json_array_get_length (keys) != n)
    return _rounds_event_invalid (error, doc_id, "it names %u responses, the item here has %u",
                                  json_array_get_length (keys), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (keys, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING ||
          g_strcmp0 (json_node_get_string (element), rounds_item_get_response_key (item, i)) != 0)
        return _rounds_event_invalid (error, doc_id, "its responses differ from the item's here");
    }
  return TRUE;
}

/* One reading of a document against the item it is about. */
typedef struct
{
  JsonObject      *doc;
  RoundsEventKey  *key;
  RoundsItem      *item;
  RoundsRubric    *rubric;
  gboolean         strict;
  const char      *label;      /* what a lenient reading's errors start with */
} Reading;

static gboolean
no_response (Reading     *r,
             const char  *field,
             const char  *name,
             GError     **error)
{
  return refuse (r->key, error, field, _("item “%s” has no response “%s”"),
                 rounds_item_get_key (r->item), name);
}

/* A lenient reading's error about the entry of one response in a keyed member. */
static gboolean
unreadable (Reading     *r,
            const char  *member,
            const char  *name,
            GError     **error)
{
  if (g_str_equal (member, "ranking"))
    return _rounds_event_invalid (error, r->label, "no response “%s”", name);
  if (g_str_equal (member, "notes"))
    return _rounds_event_invalid (error, r->label, "unreadable note on response “%s”", name);
  return _rounds_event_invalid (error, r->label, "unreadable %s of response “%s”", member, name);
}

/* The entry of one response in a keyed member. */
typedef struct
{
  JsonNode    *value;
  int          index;
  const char  *name;    /* the response's id */
  const char  *field;   /* what a strict error calls it */
} Entry;

typedef gboolean (*ReadEntry) (Reading      *r,
                               const Entry  *e,
                               gpointer      data,
                               GError      **error);

/* A member keyed by response id, such as "scores": {"a": {…}}, one entry at a time. Read
 * strictly, it must be such an object, and every id the item's before any entry is read. */
static gboolean
each_response (Reading     *r,
               const char  *member,
               ReadEntry    read_entry,
               gpointer     data,
               GError     **error)
{
  JsonNode *node = json_object_get_member (r->doc, member);
  g_autoptr(GList) names = NULL;
  JsonObject *keyed;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return !r->strict || refuse (r->key, error, member,
                                 _("expected an object keyed by response id"));
  keyed = json_node_get_object (node);
  names = json_object_get_members (keyed);
  for (int pass = r->strict ? 0 : 1; pass < 2; pass++)
    for (const GList *l = names; l; l = l->next)
      {
        g_autofree char *field = g_strdup_printf ("%s.%s", member, (const char *) l->data);
        int index = rounds_item_find_response (r->item, l->data);
        Entry entry = { json_object_get_member (keyed, l->data), index, l->data, field };

        if (index < 0)
          return r->strict ? no_response (r, field, l->data, error)
                           : unreadable (r, member, l->data, error);
        if (pass == 1 && !read_entry (r, &entry, data, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
read_rank (Reading      *r,
           const Entry  *e,
           gpointer      data,
           GError      **error)
{
  int *ranks = data;
  guint n = rounds_item_get_n_responses (r->item);
  gboolean number = json_node_get_value_type (e->value) == G_TYPE_INT64;
  gint64 rank = number ? json_node_get_int (e->value) : 0;

  if (r->strict && (rank < 1 || rank > n))
    return refuse (r->key, error, e->field, _("expected a rank from 1 (best) to %u"), n);
  if (!number)
    return _rounds_event_invalid (error, r->label, "expected a number for response “%s”",
                                  e->name);
  ranks[e->index] = (int) rank;
  return TRUE;
}

/* Scores of one response into a judgement, by the rubric's criteria; read leniently, those
 * of a criterion it does not have are left out. */
static gboolean
read_scores_of (Reading      *r,
                const Entry  *e,
                gpointer      data,
                GError      **error)
{
  RoundsJudgement *j = data;
  g_autoptr(GList) criteria = NULL;
  JsonObject *scores;

  if (!JSON_NODE_HOLDS_OBJECT (e->value))
    return r->strict ? refuse (r->key, error, e->field,
                               _("expected an object from criterion to score"))
                     : unreadable (r, "scores", e->name, error);
  scores = json_node_get_object (e->value);
  criteria = json_object_get_members (scores);
  for (const GList *c = criteria; c; c = c->next)
    {
      int criterion = rounds_rubric_find (r->rubric, c->data);
      JsonNode *score = json_object_get_member (scores, c->data);
      gboolean number = json_node_get_value_type (score) == G_TYPE_INT64;

      if (r->strict)
        {
          g_autofree char *score_field = g_strdup_printf ("%s.%s", e->field,
                                                          (const char *) c->data);
          const RoundsCriterion *range;

          if (criterion < 0)
            return refuse (r->key, error, score_field,
                           _("the dataset’s rubric has no criterion “%s”"),
                           (const char *) c->data);
          range = rounds_rubric_get_criterion (r->rubric, criterion);
          if (!number || json_node_get_int (score) < range->min ||
              json_node_get_int (score) > range->max)
            return refuse (r->key, error, score_field, _("expected an integer from %d to %d"),
                           range->min, range->max);
        }
      if (criterion >= 0 && number)
        *rounds_judgement_score (j, e->index, criterion) = (int) json_node_get_int (score);
    }
  return TRUE;
}

/* Scores of one response kept as they are, for a verdict read leniently. */
static gboolean
keep_scores_of (Reading      *r,
                const Entry  *e,
                gpointer      data,
                GError      **error)
{
  JsonNode **slots = data;

  if (!JSON_NODE_HOLDS_OBJECT (e->value))
    return unreadable (r, "scores", e->name, error);
  slots[e->index] = e->value;
  return TRUE;
}

static gboolean
read_flags_of (Reading      *r,
               const Entry  *e,
               gpointer      data,
               GError      **error)
{
  RoundsJudgement *j = data;
  JsonArray *list;

  if (!JSON_NODE_HOLDS_ARRAY (e->value))
    return r->strict ? refuse (r->key, error, e->field, _("expected a list of flags"))
                     : unreadable (r, "flags", e->name, error);
  list = json_node_get_array (e->value);
  for (guint f = 0; f < json_array_get_length (list); f++)
    {
      JsonNode *element = json_array_get_element (list, f);
      const char *flag_name = json_node_get_value_type (element) == G_TYPE_STRING
                                ? json_node_get_string (element) : NULL;
      RoundsFlags flag = flag_name ? rounds_flag_from_string (flag_name) : ROUNDS_FLAG_NONE;

      if (r->strict && flag_name == NULL)
        return refuse (r->key, error, e->field, _("expected a list of flag names"));
      if (r->strict && flag == ROUNDS_FLAG_NONE)
        return refuse (r->key, error, e->field,
                       _("unknown flag “%s”: use unsafe, factually-wrong, outdated, privacy "
                         "or bias"),
                       flag_name);
      j->flags[e->index] |= flag;
    }
  return TRUE;
}

static gboolean
read_note_on (Reading      *r,
              const Entry  *e,
              gpointer      data,
              GError      **error)
{
  RoundsJudgement *j = data;

  if (json_node_get_value_type (e->value) != G_TYPE_STRING)
    {
      if (!r->strict)
        return unreadable (r, "notes", e->name, error);
      if (!JSON_NODE_HOLDS_NULL (e->value))
        return refuse (r->key, error, e->field, _("expected a string"));
      return TRUE;
    }
  g_free (j->notes[e->index]);
  j->notes[e->index] = g_strdup (json_node_get_string (e->value));
  return TRUE;
}

/* Keyed scores {"a": {"accuracy": 4}} as the stored array [{"accuracy": 4}, {}]. */
static char *
keyed_scores_to_json (Reading  *r,
                      GError  **error)
{
  guint n = rounds_item_get_n_responses (r->item);
  g_autofree JsonNode **slots = g_new0 (JsonNode *, n);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  if (!each_response (r, "scores", keep_scores_of, slots, error))
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      if (slots[i] != NULL)
        json_array_add_element (array, json_node_copy (slots[i]));
      else
        json_array_add_object_element (array, json_object_new ());
    }
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}

static gboolean
check_person (Reading  *r,
              GError  **error)
{
  if (rounds_user_name_is_valid (r->key->person, NULL))
    return TRUE;
  /* The guardian writes judgements, never verdicts. */
  if (r->key->type == ROUNDS_EVENT_JUDGEMENT && rounds_machine_name_is_valid (r->key->person, NULL))
    return TRUE;
  if (!r->strict)
    return _rounds_event_invalid (error, r->label, "no valid “annotator”");
  return refuse (r->key, error,
                 r->key->type == ROUNDS_EVENT_JUDGEMENT ? "annotator" : "reviewer",
                 _("“%s” is not a user name: use letters, digits, “.”, “_”, “@” or “-”"),
                 r->key->person);
}

static gboolean
read_bool (Reading     *r,
           const char  *member,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (r->doc, member);

  if (r->strict && node != NULL && json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return refuse (r->key, error, member, _("expected true or false"));
  *out = _rounds_event_get_bool (r->doc, member, FALSE);
  return TRUE;
}

/* An ISO 8601 time as the store keeps it: UTC with milliseconds. A file's line without a
 * time is at the epoch. */
static gboolean
read_time (Reading  *r,
           char    **out,
           GError  **error)
{
  const char *text = _rounds_event_get_string (r->doc, "created_at");
  g_autoptr(GDateTime) parsed = NULL;

  if (!r->strict || text == NULL)
    {
      *out = g_strdup (r->strict ? "1970-01-01T00:00:00.000Z" : text);
      return TRUE;
    }
  if (!(parsed = g_date_time_new_from_iso8601 (text, NULL)))
    return refuse (r->key, error, "created_at",
                   _("expected an ISO 8601 time such as 2026-10-01T09:30:00Z"));
  *out = _rounds_format_iso8601 (parsed);
  return TRUE;
}

/* A preference given as a point of the scale, or, in a file, by its name. */
static gboolean
parse_preference (Reading   *r,
                  JsonNode  *node,
                  int       *preference,
                  GError   **error)
{
  static const char * const names[] = {
    "a-much-better", "a-better", "tie", "b-better", "b-much-better"
  };
  int k = r->key->scale_k;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value < -k || value > k)
        return refuse (r->key, error, "preference",
                       _("expected an integer from %d (the first response much better) to %d"),
                       -k, k);
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
  return refuse (r->key, error, "preference",
                 _("expected an integer from %d to %d, or one of a-much-better, a-better, "
                   "tie, b-better, b-much-better"),
                 -k, k);
}

/* "preference", which a file may give for an item of two responses only. */
static gboolean
read_preference (Reading   *r,
                 gboolean  *has_preference,
                 int       *preference,
                 GError   **error)
{
  JsonNode *node = json_object_get_member (r->doc, "preference");
  guint n = rounds_item_get_n_responses (r->item);
  gint64 value;

  if (r->strict)
    {
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      if (n != 2)
        return refuse (r->key, error, "preference",
                       _("item “%s” has %u responses: give a “ranking”"), r->key->item, n);
      return (*has_preference = parse_preference (r, node, preference, error));
    }
  if (!_rounds_event_get_int (r->doc, "preference", &value))
    return TRUE;
  if (value < -3 || value > 3)
    return r->key->type == ROUNDS_EVENT_VERDICT
             ? _rounds_event_invalid (error, r->label, "“preference” is off every scale")
             : _rounds_event_invalid (error, r->label, "“preference” %" G_GINT64_FORMAT
                                      " is off every scale", value);
  *has_preference = TRUE;
  *preference = (int) value;
  return TRUE;
}

/* "ranking": {"a": 1, "b": 2, "c": 3}, which a file may give for items of three or more. */
static gboolean
read_ranking (Reading  *r,
              int      *ranks,
              GError  **error)
{
  JsonNode *node = json_object_get_member (r->doc, "ranking");

  if (r->strict && node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      rounds_item_get_n_responses (r->item) == 2)
    return refuse (r->key, error, "ranking",
                   _("item “%s” has two responses: give a “preference”"), r->key->item);
  return each_response (r, "ranking", read_rank, ranks, error);
}

/* The order shown, as the item's response ids. Read leniently, one of another length is
 * left out. */
static gboolean
read_order (Reading          *r,
            RoundsJudgement  *j,
            GError          **error)
{
  JsonNode *node = json_object_get_member (r->doc, "shown_order");
  JsonArray *order = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = rounds_item_get_n_responses (r->item);
  g_autofree guint *indices = NULL;
  guint seen = 0;

  if (order == NULL || json_array_get_length (order) != n)
    return !r->strict || node == NULL ||
           refuse (r->key, error, "shown_order", _("expected a list of the %u response ids"), n);
  indices = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = g_strdup_printf ("shown_order[%u]", i);
      JsonNode *element = json_array_get_element (order, i);
      const char *name = json_node_get_value_type (element) == G_TYPE_STRING
                           ? json_node_get_string (element) : NULL;
      int index = name ? rounds_item_find_response (r->item, name) : -1;

      if (index >= 0 && !(seen & (1u << index)))
        {
          seen |= 1u << index;
          indices[i] = (guint) index;
          continue;
        }
      if (!r->strict)
        return _rounds_event_invalid (error, r->label,
                                      "“shown_order” is not an order of the item's responses");
      if (name == NULL)
        return refuse (r->key, error, field, _("expected a response id"));
      if (index < 0)
        return no_response (r, field, name, error);
      return refuse (r->key, error, field, _("response “%s” is listed twice"), name);
    }
  memcpy (j->shown_order, indices, n * sizeof (guint));
  return TRUE;
}

/* A file's judgement without an edit id: one derived from the content, so that the same
 * line imported twice is the same edit. */
static char *
derived_edit (Reading *r)
{
  g_autoptr(JsonNode) record = json_node_init_object (json_node_alloc (), r->doc);
  g_autofree char *line = json_to_string (record, FALSE);
  g_autofree char *input = g_strjoin ("\x1f", r->key->dataset, line, NULL);
  g_autofree char *hash = _rounds_sha256_hex (input, -1);

  return g_strdup_printf ("import-%.32s", hash);
}

/**
 * _rounds_event_read_judgement:
 * @key: from _rounds_event_read_key(), with the dataset set when read strictly
 * @item: the item it judges, here
 * @rubric: the item's dataset's rubric; read leniently, scores of criteria it does not have
 *   are left out
 *
 * Returns: (transfer full): the judgement, or %NULL with @error set
 */
RoundsJudgement *
_rounds_event_read_judgement (JsonObject        *doc,
                              RoundsEventKey    *key,
                              RoundsItem        *item,
                              RoundsRubric      *rubric,
                              RoundsEventFlags   flags,
                              GError           **error)
{
  g_autoptr(RoundsJudgement) j = NULL;
  const char *status = _rounds_event_get_string (doc, "status");
  guint n = rounds_item_get_n_responses (item);
  Reading r = { doc, key, item, rubric, (flags & ROUNDS_EVENT_STRICT) != 0, key_label (key) };
  gint64 value;

  if (!check_responses (doc, r.label, item, error) || !check_person (&r, error))
    return NULL;
  if (!r.strict && (key->edit == NULL || *key->edit == '\0' ||
                    _rounds_event_get_string (doc, "created_at") == NULL))
    return _rounds_event_invalid (error, r.label,
                                  "“edit” and “created_at” are required"), NULL;

  j = rounds_judgement_new (n, rubric);
  j->annotator = g_strdup (key->person);
  /* A file's line was checked when its key was read, and may leave the revision out. */
  if (!_rounds_event_get_int (doc, "revision", &value))
    value = r.strict ? 1 : 0;
  if (value < 1 || value > G_MAXINT)
    return _rounds_event_invalid (error, r.label,
                                  "“revision” must be a whole number from 1"), NULL;
  j->revision = (int) value;
  if (status == NULL)
    j->status = ROUNDS_STATUS_SUBMITTED;
  else if (!rounds_status_from_string (status, &j->status) || j->status == ROUNDS_STATUS_DRAFT)
    return (r.strict ? refuse (key, error, "status", _("expected “submitted” or “skipped”"))
                     : _rounds_event_invalid (error, r.label, "unknown “status” “%s”", status)),
           NULL;

  if (!read_bool (&r, "unacceptable", &j->unacceptable, error) ||
      !read_preference (&r, &j->has_preference, &j->preference, error) ||
      !read_ranking (&r, j->ranks, error))
    return NULL;
  if (r.strict && j->status == ROUNDS_STATUS_SUBMITTED && !rounds_judgement_has_verdict (j))
    return refuse (key, error, n == 2 ? "preference" : "ranking",
                   n == 2 ? _("missing: a submitted judgement needs a preference, "
                              "or “unacceptable”: true")
                          : _("every response must be ranked, or “unacceptable”: true")), NULL;

  if (!each_response (&r, "scores", read_scores_of, j, error) ||
      !each_response (&r, "flags", read_flags_of, j, error) ||
      !each_response (&r, "notes", read_note_on, j, error))
    return NULL;

  if (r.strict && (!strict_text (key, doc, "comment", FALSE, NULL, error) ||
                   !strict_text (key, doc, "skip_reason", FALSE, NULL, error)))
    return NULL;
  j->comment = g_strdup (_rounds_event_get_string (doc, "comment"));
  j->skip_reason = g_strdup (_rounds_event_get_string (doc, "skip_reason"));
  if (_rounds_event_get_int (doc, "time_spent_ms", &value) && value >= 0)
    j->time_spent_ms = value;

  if (!read_order (&r, j, error) || !read_time (&r, &j->created_at, error))
    return NULL;
  j->edit_id = key->edit ? g_strdup (key->edit) : derived_edit (&r);
  return g_steal_pointer (&j);
}

/* A verdict's "resolves": the judgement edits it settles, which a file must give by id. */
static gboolean
read_resolves (Reading  *r,
               char    **resolves_json,
               GError  **error)
{
  JsonNode *node = json_object_get_member (r->doc, "resolves");
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (r->strict && node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        if (json_node_get_value_type (json_array_get_element (array, i)) != G_TYPE_STRING)
          array = NULL;
      if (array == NULL)
        return refuse (r->key, error, "resolves", _("expected a list of judgement edit ids"));
    }
  if (array != NULL)
    *resolves_json = json_to_string (node, FALSE);
  return TRUE;
}

/**
 * _rounds_event_read_verdict:
 * @key: from _rounds_event_read_key(), which checked the names, revision and rationale
 *   (read strictly: with the dataset, scale and rubric set)
 * @resolves_json: (out) (transfer full) (nullable): the judgement edits it resolves
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set
 */
RoundsVerdict *
_rounds_event_read_verdict (JsonObject            *doc,
                            RoundsEventKey        *key,
                            RoundsItem            *item,
                            RoundsEventFlags       flags,
                            char                 **resolves_json,
                            GError               **error)
{
  g_autoptr(RoundsVerdict) verdict = NULL;
  guint n = rounds_item_get_n_responses (item);
  gint64 revision = 1;
  Reading r = { doc, key, item, key->rubric, (flags & ROUNDS_EVENT_STRICT) != 0,
                key_label (key) };

  *resolves_json = NULL;
  if (!check_responses (doc, r.label, item, error) || !check_person (&r, error))
    return NULL;

  verdict = rounds_verdict_new (n);
  verdict->reviewer = g_strdup (key->person);
  verdict->edit_id = g_strdup (key->edit);
  _rounds_event_get_int (doc, "revision", &revision);
  verdict->revision = (int) revision;
  if (!read_time (&r, &verdict->created_at, error))
    return NULL;
  if (r.strict && !strict_text (key, doc, "rationale", TRUE, NULL, error))
    return NULL;
  verdict->rationale = g_strdup (_rounds_event_get_string (doc, "rationale"));
  if (r.strict)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (verdict->rationale));

      if (*stripped == '\0')
        return refuse (key, error, "rationale", _("a verdict needs a rationale")), NULL;
    }

  if (!read_bool (&r, "unacceptable", &verdict->unacceptable, error) ||
      !read_bool (&r, "models_revealed", &verdict->models_revealed, error) ||
      !read_preference (&r, &verdict->has_preference, &verdict->preference, error) ||
      !read_ranking (&r, verdict->ranks, error))
    return NULL;
  if (r.strict && !verdict->has_preference && !verdict->unacceptable &&
      (n == 2 || verdict->ranks[0] == 0))
    return refuse (key, error, n == 2 ? "preference" : "ranking",
                   _("missing: a verdict needs a preference, a ranking or “unacceptable”: "
                     "true")), NULL;

  if (r.strict)
    {
      g_autoptr(RoundsJudgement) scores = rounds_judgement_new (n, key->rubric);

      if (!each_response (&r, "scores", read_scores_of, scores, error))
        return NULL;
      verdict->scores_json = _rounds_judgement_scores_to_json (scores);
    }
  else if (_rounds_event_get_object (doc, "scores") != NULL &&
           !(verdict->scores_json = keyed_scores_to_json (&r, error)))
    return NULL;

  if (!read_resolves (&r, resolves_json, error))
    return NULL;
  return g_steal_pointer (&verdict);
}
