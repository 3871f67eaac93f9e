/* rounds-import-trl.c: preference pairs in the layout of TRL's datasets, plain or
 * conversational, as unlabelled items with the label kept hidden
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

gboolean
_rounds_import_trl_pair (RoundsImportRun  *run,
                         JsonObject       *object,
                         GError          **error)
{
  g_auto(RoundsImportItem) item;
  g_autoptr(JsonArray) prompt_messages = NULL, chosen_messages = NULL, rejected_messages = NULL;
  g_autofree char *prompt = NULL, *chosen = NULL, *rejected = NULL;
  g_autofree char *hash_input = NULL, *hash = NULL;
  g_autoptr(JsonBuilder) metadata = json_builder_new ();
  g_autoptr(JsonBuilder) reference = json_builder_new ();
  g_autoptr(GList) members = NULL;
  RoundsImportResponse pair[2] = { { NULL }, { NULL } };
  RoundsImportRecord record = { run, object, NULL };
  gboolean chosen_first;
  gboolean conversational;

  _rounds_import_item_init (&item);
  if (!read_messages (run, object, "chosen", &chosen_messages, &chosen, error) ||
      !read_messages (run, object, "rejected", &rejected_messages, &rejected, error))
    return FALSE;
  conversational = chosen_messages != NULL;
  if ((rejected_messages != NULL) != conversational)
    return _rounds_import_fail (run, error, "rejected",
                                _("expected the same form as “chosen”: both text or both "
                                  "messages"));

  if (json_object_has_member (object, "prompt"))
    {
      if (!read_messages (run, object, "prompt", &prompt_messages, &prompt, error))
        return FALSE;
      if (conversational && prompt_messages == NULL)
        return _rounds_import_fail (run, error, "prompt",
                                    _("expected a list of messages, like “chosen”"));
    }
  else if (conversational)
    {
      /* The implicit prompt: the conversation before the last message. */
      guint n = json_array_get_length (chosen_messages);
      gboolean shared = n >= 2 && json_array_get_length (rejected_messages) == n;

      prompt_messages = json_array_new ();
      for (guint i = 0; shared && i + 1 < n; i++)
        {
          JsonNode *message = json_array_get_element (chosen_messages, i);
          g_autofree char *a = json_to_string (message, FALSE);
          g_autofree char *b = json_to_string (json_array_get_element (rejected_messages, i),
                                               FALSE);

          shared = g_strcmp0 (a, b) == 0;
          json_array_add_element (prompt_messages, json_node_copy (message));
        }
      if (!shared)
        return _rounds_import_fail (run, error, "prompt",
                                    _("missing, and “chosen” and “rejected” do not share "
                                      "the conversation before their last messages"));
      {
        /* Keep only the final messages as the responses. */
        g_autoptr(JsonArray) last_chosen = json_array_new ();
        g_autoptr(JsonArray) last_rejected = json_array_new ();

        json_array_add_element (last_chosen,
                                json_node_copy (json_array_get_element (chosen_messages, n - 1)));
        json_array_add_element (last_rejected,
                                json_node_copy (json_array_get_element (rejected_messages,
                                                                        n - 1)));
        g_clear_pointer (&chosen_messages, json_array_unref);
        g_clear_pointer (&rejected_messages, json_array_unref);
        chosen_messages = g_steal_pointer (&last_chosen);
        rejected_messages = g_steal_pointer (&last_rejected);
      }
    }
  else
    return _rounds_import_fail (run, error, "prompt", _("missing: text pairs need a prompt"));

  if (conversational)
    {
      g_free (prompt);
      prompt = messages_to_text (prompt_messages);
      chosen = messages_to_text (chosen_messages);
      rejected = messages_to_text (rejected_messages);
      /* A lone assistant reply reads as itself, not as "Assistant: …". */
      if (json_array_get_length (chosen_messages) == 1)
        {
          JsonObject *reply = json_array_get_object_element (chosen_messages, 0);

          g_free (chosen);
          chosen = g_strdup (json_object_get_string_member (reply, "content"));
        }
      if (json_array_get_length (rejected_messages) == 1)
        {
          JsonObject *reply = json_array_get_object_element (rejected_messages, 0);

          g_free (rejected);
          rejected = g_strdup (json_object_get_string_member (reply, "content"));
        }
    }

  hash_input = g_strjoin ("\x1f", prompt, chosen, rejected, NULL);
  hash = _rounds_sha256_hex (hash_input, -1);

  if (!_rounds_import_get_key (&record, "id", FALSE, &item.key, error))
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

  return _rounds_import_store_item (run, &item, NULL, error);
}
