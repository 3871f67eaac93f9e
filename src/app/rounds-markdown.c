/* rounds-markdown.c: scenarios, responses and instructions written in Markdown, drawn
 *
 * cmark parses (CommonMark, with its safe mode: raw HTML is never passed on); the tree becomes
 * Pango markup for a label: headings, emphasis, strong, lists, code, block quotes and links.
 * Raw HTML is shown as the text it is, escaped, never interpreted.
 *
 * RoundsMarkdownView is such a label in a bin that Tab passes by: a text block is for reading
 * and selecting with the pointer, not a stop of the keyboard's way through the page's
 * controls. It still takes the focus when given it (a new item puts the focus on its
 * scenario), without selecting its text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-markdown"

#include "config.h"

#include <cmark.h>

#include "rounds-markdown.h"
#include "rounds-widget-util-private.h"

struct _RoundsMarkdownView
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
};

G_DEFINE_FINAL_TYPE (RoundsMarkdownView, rounds_markdown_view, GTK_TYPE_WIDGET)

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  g_string_append (out, escaped);
}

/* Where a block ends: a blank line before the block after it, none inside a tight list. */
static void
end_block (GString    *out,
           cmark_node *node)
{
  gboolean tight = FALSE;

  for (cmark_node *n = cmark_node_parent (node); n != NULL; n = cmark_node_parent (n))
    if (cmark_node_get_type (n) == CMARK_NODE_LIST)
      {
        tight = cmark_node_get_list_tight (n);
        break;
      }
  g_string_append (out, tight || cmark_node_next (node) == NULL ? "\n" : "\n\n");
}

/* The marker of a list item: a bullet, or its number, indented by its depth. */
static void
begin_item (GString    *out,
            cmark_node *item)
{
  cmark_node *list = cmark_node_parent (item);
  guint depth = 0;

  for (cmark_node *n = list; n != NULL; n = cmark_node_parent (n))
    if (cmark_node_get_type (n) == CMARK_NODE_LIST)
      depth++;
  for (guint d = 1; d < depth; d++)
    g_string_append (out, "    ");
  if (cmark_node_get_list_type (list) == CMARK_ORDERED_LIST)
    {
      int number = cmark_node_get_list_start (list);

      for (cmark_node *n = cmark_node_previous (item); n != NULL; n = cmark_node_previous (n))
        number++;
      g_string_append_printf (out, "%d. ", number);
    }
  else
    g_string_append (out, depth % 2 == 1 ? "• " : "◦ ");
}

static gboolean
in_block_quote (cmark_node *node)
{
  for (cmark_node *n = cmark_node_parent (node); n != NULL; n = cmark_node_parent (n))
    if (cmark_node_get_type (n) == CMARK_NODE_BLOCK_QUOTE)
      return TRUE;
  return FALSE;
}

static void
enter_node (GString    *out,
            cmark_node *node)
{
  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING:
      g_string_append_printf (out, "<span weight=\"bold\" size=\"%s\">",
                              cmark_node_get_heading_level (node) <= 1 ? "x-large"
                              : cmark_node_get_heading_level (node) == 2 ? "large" : "medium");
      break;
    case CMARK_NODE_PARAGRAPH:
      /* A paragraph of a list item follows its marker on the same line. */
      if (in_block_quote (node))
        g_string_append (out, "<span alpha=\"70%\">▎ <i>");
      break;
    case CMARK_NODE_ITEM:
      begin_item (out, node);
      break;
    case CMARK_NODE_CODE_BLOCK:
      g_string_append (out, "<tt>");
      append_escaped (out, cmark_node_get_literal (node));
      /* The literal ends with its newline. */
      if (out->len > 0 && out->str[out->len - 1] == '\n')
        g_string_truncate (out, out->len - 1);
      g_string_append (out, "</tt>");
      end_block (out, node);
      break;
    case CMARK_NODE_HTML_BLOCK:
      append_escaped (out, cmark_node_get_literal (node));
      if (out->len > 0 && out->str[out->len - 1] == '\n')
        g_string_truncate (out, out->len - 1);
      end_block (out, node);
      break;
    case CMARK_NODE_THEMATIC_BREAK:
      g_string_append (out, "――――――――");
      end_block (out, node);
      break;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE:
      append_escaped (out, cmark_node_get_literal (node));
      break;
    case CMARK_NODE_CODE:
      g_string_append (out, "<tt>");
      append_escaped (out, cmark_node_get_literal (node));
      g_string_append (out, "</tt>");
      break;
    case CMARK_NODE_SOFTBREAK:
      g_string_append_c (out, ' ');
      break;
    case CMARK_NODE_LINEBREAK:
      g_string_append_c (out, '\n');
      break;
    case CMARK_NODE_EMPH:
      g_string_append (out, "<i>");
      break;
    case CMARK_NODE_STRONG:
      g_string_append (out, "<b>");
      break;
    case CMARK_NODE_LINK:
      {
        const char *url = cmark_node_get_url (node);

        /* Only web and mail links are links; anything else is its text. */
        if (url != NULL && (g_str_has_prefix (url, "https://") ||
                            g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "mailto:")))
          {
            g_autofree char *href = g_markup_escape_text (url, -1);

            g_string_append_printf (out, "<a href=\"%s\">", href);
          }
        else
          g_string_append (out, "<span>");
      }
      break;
    case CMARK_NODE_IMAGE:
      /* An image is its description: nothing is fetched. */
      g_string_append (out, "<i>");
      break;
    default:
      break;
    }
}

static void
exit_node (GString    *out,
           cmark_node *node)
{
  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING:
      g_string_append (out, "</span>");
      end_block (out, node);
      break;
    case CMARK_NODE_PARAGRAPH:
      if (in_block_quote (node))
        g_string_append (out, "</i></span>");
      end_block (out, node);
      break;
    case CMARK_NODE_LIST:
    case CMARK_NODE_BLOCK_QUOTE:
      /* Its last child ended without a blank line: the block after it gets one. */
      if (cmark_node_next (node) != NULL)
        g_string_append_c (out, '\n');
      break;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_IMAGE:
      g_string_append (out, "</i>");
      break;
    case CMARK_NODE_STRONG:
      g_string_append (out, "</b>");
      break;
    case CMARK_NODE_LINK:
      {
        const char *url = cmark_node_get_url (node);

        g_string_append (out, url != NULL && (g_str_has_prefix (url, "https://") ||
                                              g_str_has_prefix (url, "http://") ||
                                              g_str_has_prefix (url, "mailto:"))
                              ? "</a>" : "</span>");
      }
      break;
    default:
      break;
    }
}

/**
 * rounds_markdown_to_pango:
 * @markdown: CommonMark text, or %NULL
 *
 * Returns: (transfer full): Pango markup for a GtkLabel, without a trailing newline
 */
char *
rounds_markdown_to_pango (const char *markdown)
{
  cmark_node *document;
  cmark_iter *iter;
  cmark_event_type event;
  GString *out = g_string_new (NULL);

  if (markdown == NULL || *markdown == '\0')
    return g_string_free (out, FALSE);
  document = cmark_parse_document (markdown, strlen (markdown), CMARK_OPT_SAFE);
  iter = cmark_iter_new (document);
  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      if (event == CMARK_EVENT_ENTER)
        enter_node (out, node);
      else if (event == CMARK_EVENT_EXIT)
        exit_node (out, node);
    }
  cmark_iter_free (iter);
  cmark_node_free (document);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* The view ------------------------------------------------------------------------------ */

/* @markdown: drawn, or %NULL for nothing */
void
rounds_markdown_view_set_markdown (RoundsMarkdownView *self,
                                   const char         *markdown)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (ROUNDS_IS_MARKDOWN_VIEW (self));

  markup = rounds_markdown_to_pango (markdown);
  gtk_label_set_markup (self->label, markup);
}

GtkLabel *
rounds_markdown_view_get_label (RoundsMarkdownView *self)
{
  g_return_val_if_fail (ROUNDS_IS_MARKDOWN_VIEW (self), NULL);
  return self->label;
}

GtkWidget *
rounds_markdown_view_new (void)
{
  return g_object_new (ROUNDS_TYPE_MARKDOWN_VIEW, NULL);
}

/* Tab and the arrows pass by; a label that has the focus gives it on. */
static gboolean
rounds_markdown_view_focus (GtkWidget        *widget,
                            GtkDirectionType  direction)
{
  return FALSE;
}

static gboolean
rounds_markdown_view_grab_focus (GtkWidget *widget)
{
  RoundsMarkdownView *self = ROUNDS_MARKDOWN_VIEW (widget);

  _rounds_label_focus_quietly (self->label);
  return gtk_widget_has_focus (GTK_WIDGET (self->label));
}

static void
rounds_markdown_view_dispose (GObject *object)
{
  RoundsMarkdownView *self = ROUNDS_MARKDOWN_VIEW (object);

  if (self->label != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->label));
  self->label = NULL;

  G_OBJECT_CLASS (rounds_markdown_view_parent_class)->dispose (object);
}

static void
rounds_markdown_view_class_init (RoundsMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_markdown_view_dispose;
  widget_class->focus = rounds_markdown_view_focus;
  widget_class->grab_focus = rounds_markdown_view_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
rounds_markdown_view_init (RoundsMarkdownView *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (self->label, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->label), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
}
