/* rounds-import-trl.c: preference pairs in the layout of TRL's datasets, plain or
 * conversational, and HH-RLHF transcripts, as unlabelled items with the label kept hidden;
 * mapped layouts with chosen and rejected fields read their pairs here too
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rounds-event-private.h"
#include "rounds-importer-private.h"
#include "rounds-util-private.h"

/* A TRL field: a string, or a list of {"role", "content"} messages. */
static gboolean
read_messages (RoundsImportRun  *run,
               JsonObject       *object,
               const char       *member,
               JsonArray       **messages,
               char            **text,
               GError          **error)
{
  static const char * const message_members[] = { "role", "content" };
  JsonNode *node = json_object_get_member (object, member);

  *messages = NULL;
  *text = NULL;
  if (node == NULL)
    return _rounds_import_fail (run, error, member, _("missing: it is required"));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *text = g_strdup (json_node_get_string (node));
      if (**text == '\0')
        return _rounds_import_fail (run, error, member, _("empty: it is required"));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return _rounds_import_fail (run, error, member, _("expected a string or a list of messages"));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);
      JsonObject *message;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _rounds_import_fail (run, error, field,
                                    _("expected a message with “role” and “content”"));
      message = json_node_get_object (element);
      for (guint m = 0; m < G_N_ELEMENTS (message_members); m++)
        if (_rounds_event_get_string (message, message_members[m]) == NULL)
          {
            g_autofree char *path = g_strconcat (field, ".", message_members[m], NULL);

            return _rounds_import_fail (run, error, path, _("expected a string"));
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

/* An HH-RLHF transcript pair ("\n\nHuman: …\n\nAssistant: …" turns): the conversation the
 * two share, up to the last "Assistant:" turn they both have, is the prompt, and what each
 * says from there its answer (usually its last turn; the turns after it where the two went
 * different ways before). %FALSE when they share no "Assistant:" turn. */
#define HH_HUMAN "\n\nHuman: "
#define HH_ASSISTANT "\n\nAssistant:"

static gboolean
split_transcripts (const char  *chosen,
                   const char  *rejected,
                   char       **prompt,
                   char       **chosen_answer,
                   char       **rejected_answer)
{
  const char *start = chosen;
  const char *split;
  gsize shared = 0;
  const char *answers[2];

  while (chosen[shared] != '\0' && chosen[shared] == rejected[shared])
    shared++;
  if ((split = g_strrstr_len (chosen, shared, HH_ASSISTANT)) == NULL ||
      (gsize) (split - chosen) + strlen (HH_ASSISTANT) > shared)
    return FALSE;
  if (g_str_has_prefix (chosen, HH_HUMAN))
    start += strlen (HH_HUMAN);
  *prompt = g_strndup (start, MAX (split - start, 0));
  answers[0] = split + strlen (HH_ASSISTANT);
  answers[1] = rejected + (answers[0] - chosen);
  for (guint i = 0; i < 2; i++)
    if (*answers[i] == ' ')
      answers[i]++;
  *chosen_answer = g_strdup (answers[0]);
  *rejected_answer = g_strdup (answers[1]);
  return TRUE;
}

/* The last message of a conversation, alone. */
static JsonArray *
last_message (JsonArray *messages)
{
  JsonArray *last = json_array_new ();

  json_array_add_element (last,
                          json_node_copy (json_array_get_element (messages,
                                                                  json_array_get_length (messages)
                                                                  - 1)));
  return last;
}

/* An answer as text: a lone assistant reply reads as itself, not as "Assistant: …". */
static char *
answer_to_text (JsonArray *messages)
{
  if (json_array_get_length (messages) == 1)
    return g_strdup (json_object_get_string_member (json_array_get_object_element (messages, 0),
                                                    "content"));
  return messages_to_text (messages);
}

/**
 * _rounds_import_read_pair:
 * @prompt_member: (nullable): the member with the prompt; without it, or when @object lacks
 *   it, the prompt is what the two answers share (a conversation before its last message,
 *   or an HH-RLHF transcript before its last "Assistant:" turn)
 * @prompt_messages: (out): the prompt as messages, for a conversation; else %NULL
 *
 * Reads a preference pair: @item gets the prompt as its scenario and the chosen and the
 * rejected answer, in that order, as its responses; errors name the members.
 */
gboolean
_rounds_import_read_pair (RoundsImportRun   *run,
                          JsonObject        *object,
                          const char        *prompt_member,
                          const char        *chosen_member,
                          const char        *rejected_member,
                          RoundsImportItem  *item,
                          JsonArray        **prompt_messages,
                          GError           **error)
{
  g_autoptr(JsonArray) prompt_list = NULL, chosen_messages = NULL, rejected_messages = NULL;
  g_autofree char *prompt = NULL, *chosen = NULL, *rejected = NULL;
  RoundsImportResponse pair[2] = { { NULL }, { NULL } };
  gboolean conversational;

  *prompt_messages = NULL;
  if (!read_messages (run, object, chosen_member, &chosen_messages, &chosen, error) ||
      !read_messages (run, object, rejected_member, &rejected_messages, &rejected, error))
    return FALSE;
  conversational = chosen_messages != NULL;
  if ((rejected_messages != NULL) != conversational)
    return _rounds_import_fail (run, error, rejected_member,
                                _("expected the same form as “%s”: both text or both "
                                  "messages"), chosen_member);

  if (prompt_member != NULL && json_object_has_member (object, prompt_member))
    {
      if (!read_messages (run, object, prompt_member, &prompt_list, &prompt, error))
        return FALSE;
      if (conversational && prompt_list == NULL)
        return _rounds_import_fail (run, error, prompt_member,
                                    _("expected a list of messages, like “%s”"), chosen_member);
      if (!conversational && prompt_list != NULL)
        return _rounds_import_fail (run, error, prompt_member,
                                    _("expected text, like “%s”: a list of messages goes with "
                                      "answers that are lists of messages"), chosen_member);
    }
  else if (conversational)
    {
      /* The implicit prompt: the conversation before the last message. */
      guint n = json_array_get_length (chosen_messages);
      gboolean shared = n >= 2 && json_array_get_length (rejected_messages) == n;
      JsonArray *last;

      prompt_list = json_array_new ();
      for (guint i = 0; shared && i + 1 < n; i++)
        {
          JsonNode *message = json_array_get_element (chosen_messages, i);
          g_autofree char *a = json_to_string (message, FALSE);
          g_autofree char *b = json_to_string (json_array_get_element (rejected_messages, i),
                                               FALSE);

          shared = g_strcmp0 (a, b) == 0;
          json_array_add_element (prompt_list, json_node_copy (message));
        }
      if (!shared)
        return _rounds_import_fail (run, error, prompt_member ? prompt_member : "prompt",
                                    _("missing, and “%s” and “%s” do not share "
                                      "the conversation before their last messages"),
                                    chosen_member, rejected_member);
      /* Keep only the final messages as the responses. */
      last = last_message (chosen_messages);
      g_clear_pointer (&chosen_messages, json_array_unref);
      chosen_messages = last;
      last = last_message (rejected_messages);
      g_clear_pointer (&rejected_messages, json_array_unref);
      rejected_messages = last;
    }
  else
    {
      g_autofree char *hh_prompt = NULL, *hh_chosen = NULL, *hh_rejected = NULL;

      if (!split_transcripts (chosen, rejected, &hh_prompt, &hh_chosen, &hh_rejected))
        return _rounds_import_fail (run, error, prompt_member ? prompt_member : "prompt",
                                    _("missing: text pairs need a prompt, unless they are "
                                      "transcripts that share an “Assistant:” turn"));
      g_free (chosen);
      g_free (rejected);
      prompt = g_steal_pointer (&hh_prompt);
      chosen = g_steal_pointer (&hh_chosen);
      rejected = g_steal_pointer (&hh_rejected);
      if (*prompt == '\0')
        return _rounds_import_fail (run, error, chosen_member,
                                    _("no conversation before the “Assistant:” turn"));
      for (guint i = 0; i < 2; i++)
        if (*(i == 0 ? chosen : rejected) == '\0')
          return _rounds_import_fail (run, error, i == 0 ? chosen_member : rejected_member,
                                      _("empty: the “Assistant:” turn has no text"));
    }

  if (conversational)
    {
      g_free (prompt);
      prompt = messages_to_text (prompt_list);
      g_free (chosen);
      chosen = answer_to_text (chosen_messages);
      g_free (rejected);
      rejected = answer_to_text (rejected_messages);
      *prompt_messages = g_steal_pointer (&prompt_list);
    }

  item->scenario = g_steal_pointer (&prompt);
  pair[0].text = g_steal_pointer (&chosen);
  pair[1].text = g_steal_pointer (&rejected);
  g_array_append_vals (item->responses, pair, 2);
  return TRUE;
}

/**
 * _rounds_import_label_pair:
 * @chosen: the index of the chosen response
 *
 * Orders the responses of an item that comes with a label by their content, names them
 * `a`, `b`, … where they have no id, and gives the item, when it has none, an id from its
 * content in any order: nothing but the hidden reference tells which was chosen.
 *
 * Returns: the id of the chosen response
 */
const char *
_rounds_import_label_pair (RoundsImportItem *item,
                           guint             chosen)
{
  guint at = _rounds_import_order_by_content (item, chosen);

  for (guint i = 0; i < item->responses->len; i++)
    {
      RoundsImportResponse *r = &g_array_index (item->responses, RoundsImportResponse, i);

      if (r->key == NULL)
        r->key = g_strdup_printf ("%c", 'a' + i);
    }
  if (item->key == NULL)
    item->key = _rounds_import_pair_key (item);
  return g_array_index (item->responses, RoundsImportResponse, at).key;
}

gboolean
_rounds_import_trl_pair (RoundsImportRun  *run,
                         JsonObject       *object,
                         GError          **error)
{
  g_auto(RoundsImportItem) item;
  g_autoptr(JsonArray) prompt_messages = NULL;
  g_autofree char *old_input = NULL, *old_hash = NULL;
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  g_autoptr(JsonBuilder) reference = json_builder_new ();
  g_autoptr(GList) members = NULL;
  RoundsImportRecord record = { run, object, NULL };
  const char *preferred;
  gboolean old_chosen_first;
  gboolean had_key;

  _rounds_import_item_init (&item);
  if (!_rounds_import_read_pair (run, object, "prompt", "chosen", "rejected", &item,
                                 &prompt_messages, error) ||
      !_rounds_import_get_key (&record, "id", FALSE, &item.key, error))
    return FALSE;

  /* Earlier Rounds keyed a pair by a digest of prompt, chosen and rejected, in that order,
   * and ordered it by that digest: anyone with the texts and the id could tell the label.
   * The id and order are now the content's alone; an item stored the old way keeps its
   * own, so that re-importing the file finds it. */
  old_input = g_strjoin ("\x1f", item.scenario,
                         g_array_index (item.responses, RoundsImportResponse, 0).text,
                         g_array_index (item.responses, RoundsImportResponse, 1).text, NULL);
  old_hash = _rounds_sha256_hex (old_input, -1);
  old_chosen_first = (g_ascii_xdigit_value (old_hash[63]) & 1) == 0;
  had_key = item.key != NULL;
  preferred = _rounds_import_label_pair (&item, 0);
  if (!had_key)
    item.legacy_key = g_strdup_printf ("trl-%.16s", old_hash);
  item.legacy_reversed = old_chosen_first != g_str_equal (preferred, "a");

  /* Everything else on the line is kept: label-bearing fields in the hidden reference. */
  json_builder_begin_object (metadata);
  json_builder_begin_object (reference);
  json_builder_set_member_name (reference, "source");
  json_builder_add_string_value (reference, "trl");
  json_builder_set_member_name (reference, "preferred");
  json_builder_add_string_value (reference, preferred);
  if (prompt_messages != NULL)
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

  return _rounds_import_store_item (run, &item, NULL, error);
}
