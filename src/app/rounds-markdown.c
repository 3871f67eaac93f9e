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

/* Where the conversion is: the output, and for each list, list item and block quote being
 * converted, where it began in the output (and for a list, the number of its next item). */
typedef struct
{
  GString *out;
  GArray  *open;
} Converter;

typedef struct
{
  gsize offset;
  int   number;
} OpenBlock;

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  g_string_append (out, escaped);
}

/* Only web and mail links are links; anything else is its text. */
static gboolean
is_link (cmark_node *node)
{
  const char *url = cmark_node_get_url (node);

  return url != NULL && (g_ascii_strncasecmp (url, "https://", 8) == 0 ||
                         g_ascii_strncasecmp (url, "http://", 7) == 0 ||
                         g_ascii_strncasecmp (url, "mailto:", 7) == 0);
}

static void
trim_newline (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
}

/* A list item or a block quote starts on a line of its own, even where it is the first
 * thing of the item it is in (a list in a list, an empty item). */
static void
begin_line (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
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

/* Puts @prefix at the start of every line from @offset on that has text: a list item's
 * paragraphs, code and lists after its first line are indented under it, and each line
 * of a block quote gets its bar, however deep the block that made the line. */
static void
prefix_lines (GString    *out,
              gsize       offset,
              const char *prefix)
{
  g_autoptr(GString) lines = g_string_sized_new (out->len - offset + 64);

  for (gsize i = offset; i < out->len; i++)
    {
      if ((i == offset || out->str[i - 1] == '\n') && out->str[i] != '\n')
        g_string_append (lines, prefix);
      g_string_append_c (lines, out->str[i]);
    }
  g_string_truncate (out, offset);
  g_string_append_len (out, lines->str, lines->len);
}

static void
open_block (Converter *self,
            int        number)
{
  OpenBlock block = { self->out->len, number };

  g_array_append_val (self->open, block);
}

static OpenBlock *
innermost (Converter *self)
{
  g_assert (self->open->len > 0);
  return &g_array_index (self->open, OpenBlock, self->open->len - 1);
}

/* The marker of a list item: a bullet, or its number. */
static void
begin_item (Converter  *self,
            cmark_node *item)
{
  cmark_node *list = cmark_node_parent (item);
  OpenBlock *list_block = innermost (self);
  guint depth = 0;

  for (cmark_node *n = list; n != NULL; n = cmark_node_parent (n))
    if (cmark_node_get_type (n) == CMARK_NODE_LIST)
      depth++;
  begin_line (self->out);
  if (cmark_node_get_list_type (list) == CMARK_ORDERED_LIST)
    g_string_append_printf (self->out, "%d. ", list_block->number++);
  else
    g_string_append (self->out, depth % 2 == 1 ? "• " : "◦ ");
  open_block (self, 0);
}

static void
end_item (Converter  *self,
          cmark_node *item)
{
  gsize offset = innermost (self)->offset;
  const char *first_line_end = strchr (self->out->str + offset, '\n');
  gsize rest = first_line_end != NULL ? (gsize) (first_line_end + 1 - self->out->str) : 0;

  g_array_set_size (self->open, self->open->len - 1);
  begin_line (self->out);
  /* The marker is on the first line; the lines after it go under the item's text. */
  if (rest > 0)
    prefix_lines (self->out, rest, "    ");
  if (!cmark_node_get_list_tight (cmark_node_parent (item)) && cmark_node_next (item) != NULL)
    g_string_append_c (self->out, '\n');
}

static void
end_block_quote (Converter  *self,
                 cmark_node *node)
{
  gsize offset = innermost (self)->offset;

  g_array_set_size (self->open, self->open->len - 1);
  while (self->out->len > offset && self->out->str[self->out->len - 1] == '\n')
    trim_newline (self->out);
  if (self->out->len == offset)
    return;
  prefix_lines (self->out, offset, "▎ ");
  g_string_insert (self->out, offset, "<span alpha=\"70%\"><i>");
  g_string_append (self->out, "</i></span>\n");
  /* Its last block ended without a blank line: the block after it gets one. */
  if (cmark_node_next (node) != NULL)
    g_string_append_c (self->out, '\n');
}

static void
enter_node (Converter  *self,
            cmark_node *node)
{
  GString *out = self->out;

  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING:
      g_string_append_printf (out, "<span weight=\"bold\" size=\"%s\">",
                              cmark_node_get_heading_level (node) <= 1 ? "x-large"
                              : cmark_node_get_heading_level (node) == 2 ? "large" : "medium");
      break;
    case CMARK_NODE_LIST:
      begin_line (out);
      open_block (self, cmark_node_get_list_start (node));
      break;
    case CMARK_NODE_ITEM:
      begin_item (self, node);
      break;
    case CMARK_NODE_BLOCK_QUOTE:
      begin_line (out);
      open_block (self, 0);
      break;
    case CMARK_NODE_CODE_BLOCK:
      g_string_append (out, "<tt>");
      append_escaped (out, cmark_node_get_literal (node));
      /* The literal ends with its newline. */
      trim_newline (out);
      g_string_append (out, "</tt>");
      end_block (out, node);
      break;
    case CMARK_NODE_HTML_BLOCK:
      append_escaped (out, cmark_node_get_literal (node));
      trim_newline (out);
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
      if (is_link (node))
        {
          g_autofree char *href = g_markup_escape_text (cmark_node_get_url (node), -1);

          g_string_append_printf (out, "<a href=\"%s\">", href);
        }
      else
        g_string_append (out, "<span>");
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
exit_node (Converter  *self,
           cmark_node *node)
{
  GString *out = self->out;

  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_HEADING:
      g_string_append (out, "</span>");
      end_block (out, node);
      break;
    case CMARK_NODE_PARAGRAPH:
      end_block (out, node);
      break;
    case CMARK_NODE_ITEM:
      end_item (self, node);
      break;
    case CMARK_NODE_LIST:
      g_array_set_size (self->open, self->open->len - 1);
      /* Its last item ended without a blank line: the block after it gets one. */
      if (cmark_node_next (node) != NULL)
        g_string_append_c (out, '\n');
      break;
    case CMARK_NODE_BLOCK_QUOTE:
      end_block_quote (self, node);
      break;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_IMAGE:
      g_string_append (out, "</i>");
      break;
    case CMARK_NODE_STRONG:
      g_string_append (out, "</b>");
      break;
    case CMARK_NODE_LINK:
      g_string_append (out, is_link (node) ? "</a>" : "</span>");
      break;
    default:
      break;
    }
}

/**
 * rounds_markdown_to_pango:
 * @markdown: CommonMark text, or %NULL; text that is not valid UTF-8 has its faults
 *   replaced by U+FFFD
 *
 * Returns: (transfer full): markup for a GtkLabel (Pango markup and `<a href>` links),
 *   without a trailing newline
 */
char *
rounds_markdown_to_pango (const char *markdown)
{
  g_autofree char *valid = NULL;
  cmark_node *document;
  cmark_iter *iter;
  cmark_event_type event;
  Converter self = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (OpenBlock)) };

  if (markdown == NULL || *markdown == '\0')
    {
      g_array_unref (self.open);
      return g_string_free (self.out, FALSE);
    }
  valid = g_utf8_make_valid (markdown, -1);
  document = cmark_parse_document (valid, strlen (valid), CMARK_OPT_SAFE);
  iter = cmark_iter_new (document);
  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      if (event == CMARK_EVENT_ENTER)
        enter_node (&self, node);
      else if (event == CMARK_EVENT_EXIT)
        exit_node (&self, node);
    }
  cmark_iter_free (iter);
  cmark_node_free (document);
  g_assert (self.open->len == 0);
  g_array_unref (self.open);
  while (self.out->len > 0 && self.out->str[self.out->len - 1] == '\n')
    trim_newline (self.out);
  return g_string_free (self.out, FALSE);
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
