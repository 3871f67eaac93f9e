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

#include "rounds-error.h"
#include "rounds-event-private.h"
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
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ROUNDS_ERROR, ROUNDS_ERROR_INVALID_INPUT, "%s: %s", doc_id, message);
  return FALSE;
}

const char *
_rounds_event_get_string (JsonObject *doc,
                          const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
_rounds_event_get_int (JsonObject *doc,
                       const char *member,
                       gint64     *value)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
_rounds_event_get_bool (JsonObject *doc,
                        const char *member,
                        gboolean    default_value)
{
  JsonNode *node = json_object_get_member (doc, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

JsonObject *
_rounds_event_get_object (JsonObject *doc,
                          const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_rounds_event_get_array (JsonObject *doc,
                         const char *member)
{
  JsonNode *node = json_object_get_member (doc, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
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

/* Reading ----------------------------------------------------------------------------- */

/**
 * _rounds_event_read_key:
 *
 * A judgement's dataset and item, and a verdict's names, edit, time, revision and
 * rationale, are checked here, before its item is looked up; in the store, also that the
 * id is made of them.
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

  key->type = type;
  key->doc_id = doc_id;
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

/* A keyed {"a": 1, "c": 2} as the canonical-order values [1, 0, 2]. */
static gboolean
keyed_ints (JsonObject  *keyed,
            const char  *doc_id,
            RoundsItem  *item,
            int         *values,
            GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (keyed);

  for (const GList *l = members; l; l = l->next)
    {
      int index = rounds_item_find_response (item, l->data);
      JsonNode *node = json_object_get_member (keyed, l->data);

      if (index < 0)
        return _rounds_event_invalid (error, doc_id, "no response “%s”",
                                      (const char *) l->data);
      if (json_node_get_value_type (node) != G_TYPE_INT64)
        return _rounds_event_invalid (error, doc_id, "expected a number for response “%s”",
                                      (const char *) l->data);
      values[index] = (int) json_node_get_int (node);
    }
  return TRUE;
}

/* Keyed scores {"a": {"accuracy": 4}} as the stored array [{"accuracy": 4}, {}]. */
static char *
keyed_scores_to_json (JsonObject  *keyed,
                      const char  *doc_id,
                      RoundsItem  *item,
                      GError     **error)
{
  guint n = rounds_item_get_n_responses (item);
  g_autoptr(GList) members = json_object_get_members (keyed);
  g_autofree JsonNode **slots = g_new0 (JsonNode *, n);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (const GList *l = members; l; l = l->next)
    {
      int index = rounds_item_find_response (item, l->data);
      JsonNode *scores = json_object_get_member (keyed, l->data);

      if (index < 0 || !JSON_NODE_HOLDS_OBJECT (scores))
        {
          _rounds_event_invalid (error, doc_id, "unreadable scores of response “%s”",
                                 (const char *) l->data);
          return NULL;
        }
      slots[index] = scores;
    }
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
read_scores (JsonObject       *doc,
             const char       *doc_id,
             RoundsItem       *item,
             RoundsRubric     *rubric,
             RoundsJudgement  *j,
             GError          **error)
{
  JsonObject *object = _rounds_event_get_object (doc, "scores");
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return TRUE;
  members = json_object_get_members (object);
  for (const GList *l = members; l; l = l->next)
    {
      int r = rounds_item_find_response (item, l->data);
      JsonObject *scores = _rounds_event_get_object (object, l->data);
      g_autoptr(GList) criteria = NULL;
      gint64 value;

      if (r < 0 || scores == NULL)
        return _rounds_event_invalid (error, doc_id, "unreadable scores of response “%s”",
                                      (const char *) l->data);
      criteria = json_object_get_members (scores);
      for (const GList *c = criteria; c; c = c->next)
        {
          int index = rounds_rubric_find (rubric, c->data);

          if (index >= 0 && _rounds_event_get_int (scores, c->data, &value))
            j->scores[r * j->n_criteria + index] = (int) value;
        }
    }
  return TRUE;
}

static gboolean
read_flags (JsonObject       *doc,
            const char       *doc_id,
            RoundsItem       *item,
            RoundsJudgement  *j,
            GError          **error)
{
  JsonObject *object = _rounds_event_get_object (doc, "flags");
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return TRUE;
  members = json_object_get_members (object);
  for (const GList *l = members; l; l = l->next)
    {
      int r = rounds_item_find_response (item, l->data);
      JsonArray *flags = _rounds_event_get_array (object, l->data);

      if (r < 0 || flags == NULL)
        return _rounds_event_invalid (error, doc_id, "unreadable flags of response “%s”",
                                      (const char *) l->data);
      for (guint f = 0; f < json_array_get_length (flags); f++)
        {
          JsonNode *flag = json_array_get_element (flags, f);

          if (json_node_get_value_type (flag) == G_TYPE_STRING)
            j->flags[r] |= rounds_flag_from_string (json_node_get_string (flag));
        }
    }
  return TRUE;
}

static gboolean
read_notes (JsonObject       *doc,
            const char       *doc_id,
            RoundsItem       *item,
            RoundsJudgement  *j,
            GError          **error)
{
  JsonObject *object = _rounds_event_get_object (doc, "notes");
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return TRUE;
  members = json_object_get_members (object);
  for (const GList *l = members; l; l = l->next)
    {
      int r = rounds_item_find_response (item, l->data);
      const char *note = _rounds_event_get_string (object, l->data);

      if (r < 0 || note == NULL)
        return _rounds_event_invalid (error, doc_id, "unreadable note on response “%s”",
                                      (const char *) l->data);
      g_free (j->notes[r]);
      j->notes[r] = g_strdup (note);
    }
  return TRUE;
}

static gboolean
read_order (JsonObject       *doc,
            const char       *doc_id,
            RoundsItem       *item,
            RoundsJudgement  *j,
            GError          **error)
{
  JsonArray *order = _rounds_event_get_array (doc, "shown_order");
  guint n = rounds_item_get_n_responses (item);
  g_autofree guint *indices = NULL;
  guint seen = 0;

  if (order == NULL || json_array_get_length (order) != n)
    return TRUE;
  indices = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (order, i);
      int index = json_node_get_value_type (element) == G_TYPE_STRING
                    ? rounds_item_find_response (item, json_node_get_string (element)) : -1;

      if (index < 0 || (seen & (1u << index)))
        return _rounds_event_invalid (error, doc_id,
                                      "“shown_order” is not an order of the item's responses");
      seen |= 1u << index;
      indices[i] = (guint) index;
    }
  memcpy (j->shown_order, indices, n * sizeof (guint));
  return TRUE;
}

/**
 * _rounds_event_read_judgement:
 * @key: from _rounds_event_read_key()
 * @item: the item it judges, here
 * @rubric: the item's dataset's rubric; scores of criteria it does not have are left out
 *
 * Returns: (transfer full): the judgement, or %NULL with @error set
 */
RoundsJudgement *
_rounds_event_read_judgement (JsonObject        *doc,
                              const RoundsEventKey *key,
                              RoundsItem        *item,
                              RoundsRubric      *rubric,
                              RoundsEventFlags   flags,
                              GError           **error)
{
  g_autoptr(RoundsJudgement) j = NULL;
  const char *doc_id = key_label (key);
  const char *created_at = _rounds_event_get_string (doc, "created_at");
  const char *status = _rounds_event_get_string (doc, "status");
  JsonObject *object;
  gint64 value;

  if (!check_responses (doc, doc_id, item, error))
    return NULL;
  if (!rounds_user_name_is_valid (key->person, NULL))
    return _rounds_event_invalid (error, doc_id, "no valid “annotator”"), NULL;
  if (key->edit == NULL || *key->edit == '\0' || created_at == NULL)
    return _rounds_event_invalid (error, doc_id,
                                  "“edit” and “created_at” are required"), NULL;

  j = rounds_judgement_new (rounds_item_get_n_responses (item), rubric);
  j->annotator = g_strdup (key->person);
  j->edit_id = g_strdup (key->edit);
  j->created_at = g_strdup (created_at);
  if (!_rounds_event_get_int (doc, "revision", &value) || value < 1 || value > G_MAXINT)
    return _rounds_event_invalid (error, doc_id,
                                  "“revision” must be a whole number from 1"), NULL;
  j->revision = (int) value;
  if (status == NULL)
    j->status = ROUNDS_STATUS_SUBMITTED;
  else if (!rounds_status_from_string (status, &j->status) || j->status == ROUNDS_STATUS_DRAFT)
    return _rounds_event_invalid (error, doc_id, "unknown “status” “%s”", status), NULL;

  if (_rounds_event_get_int (doc, "preference", &value))
    {
      if (value < -3 || value > 3)
        return _rounds_event_invalid (error, doc_id, "“preference” %" G_GINT64_FORMAT
                                      " is off every scale", value), NULL;
      j->has_preference = TRUE;
      j->preference = (int) value;
    }
  if ((object = _rounds_event_get_object (doc, "ranking")) &&
      !keyed_ints (object, doc_id, item, j->ranks, error))
    return NULL;
  j->unacceptable = _rounds_event_get_bool (doc, "unacceptable", FALSE);

  if (!read_scores (doc, doc_id, item, rubric, j, error) ||
      !read_flags (doc, doc_id, item, j, error) ||
      !read_notes (doc, doc_id, item, j, error))
    return NULL;

  j->comment = g_strdup (_rounds_event_get_string (doc, "comment"));
  j->skip_reason = g_strdup (_rounds_event_get_string (doc, "skip_reason"));
  if (_rounds_event_get_int (doc, "time_spent_ms", &value) && value >= 0)
    j->time_spent_ms = value;

  if (!read_order (doc, doc_id, item, j, error))
    return NULL;
  return g_steal_pointer (&j);
}

/**
 * _rounds_event_read_verdict:
 * @key: from _rounds_event_read_key(), which checked the names, revision and rationale
 * @resolves_json: (out) (transfer full) (nullable): the judgement edits it resolves
 *
 * Returns: (transfer full): the verdict, or %NULL with @error set
 */
RoundsVerdict *
_rounds_event_read_verdict (JsonObject            *doc,
                            const RoundsEventKey  *key,
                            RoundsItem            *item,
                            RoundsEventFlags       flags,
                            char                 **resolves_json,
                            GError               **error)
{
  g_autoptr(RoundsVerdict) verdict = NULL;
  const char *doc_id = key_label (key);
  JsonObject *object;
  gint64 revision = 1, preference = 0;

  *resolves_json = NULL;
  if (!check_responses (doc, doc_id, item, error))
    return NULL;

  verdict = rounds_verdict_new (rounds_item_get_n_responses (item));
  verdict->has_preference = _rounds_event_get_int (doc, "preference", &preference);
  if (verdict->has_preference && (preference < -3 || preference > 3))
    return _rounds_event_invalid (error, doc_id, "“preference” is off every scale"), NULL;
  verdict->preference = (int) preference;
  if ((object = _rounds_event_get_object (doc, "ranking")) &&
      !keyed_ints (object, doc_id, item, verdict->ranks, error))
    return NULL;
  if ((object = _rounds_event_get_object (doc, "scores")) &&
      !(verdict->scores_json = keyed_scores_to_json (object, doc_id, item, error)))
    return NULL;
  if (_rounds_event_get_array (doc, "resolves") != NULL)
    *resolves_json = _rounds_event_member_json (doc, "resolves");
  verdict->unacceptable = _rounds_event_get_bool (doc, "unacceptable", FALSE);
  verdict->models_revealed = _rounds_event_get_bool (doc, "models_revealed", FALSE);
  verdict->rationale = g_strdup (_rounds_event_get_string (doc, "rationale"));
  verdict->edit_id = g_strdup (key->edit);
  _rounds_event_get_int (doc, "revision", &revision);
  verdict->revision = (int) revision;
  verdict->created_at = g_strdup (_rounds_event_get_string (doc, "created_at"));
  verdict->reviewer = g_strdup (key->person);
  return g_steal_pointer (&verdict);
}
