/* test-markdown.c: Markdown in scenarios, responses and instructions becomes markup a label
 * takes (Pango markup and its links), every character of the text shown as written
 *
 * No display is needed: the conversion is text to text. What GtkLabel does with the result
 * is checked the way it does it: its `<a href>` links taken out, the rest parsed by Pango.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <pango/pango.h>

#include "rounds-markdown.h"

/* GtkLabel takes `<a href="…">` out of the markup before Pango sees it; the same here, with
 * each link's target (unescaped) kept in @hrefs. */
typedef struct
{
  GString   *markup;
  GPtrArray *hrefs;
} Unlinked;

static void
unlink_start (GMarkupParseContext  *context,
              const char           *element,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  Unlinked *self = user_data;

  if (g_str_equal (element, "markup"))
    return;
  if (g_str_equal (element, "a"))
    {
      g_assert_cmpstr (names[0], ==, "href");
      g_assert_null (names[1]);
      g_ptr_array_add (self->hrefs, g_strdup (values[0]));
      return;
    }
  g_string_append_printf (self->markup, "<%s", element);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = g_markup_escape_text (values[i], -1);

      g_string_append_printf (self->markup, " %s=\"%s\"", names[i], value);
    }
  g_string_append_c (self->markup, '>');
}

static void
unlink_end (GMarkupParseContext  *context,
            const char           *element,
            gpointer              user_data,
            GError              **error)
{
  Unlinked *self = user_data;

  if (!g_str_equal (element, "markup") && !g_str_equal (element, "a"))
    g_string_append_printf (self->markup, "</%s>", element);
}

static void
unlink_text (GMarkupParseContext  *context,
             const char           *text,
             gsize                 length,
             gpointer              user_data,
             GError              **error)
{
  Unlinked *self = user_data;
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (self->markup, escaped);
}

/* The text a label built from @markup shows, after checking that the markup is what
 * gtk_label_set_markup() accepts; @hrefs (optional) gets its links' targets. */
static char *
shown_text (const char  *markup,
            GPtrArray  **hrefs)
{
  static const GMarkupParser parser = { unlink_start, unlink_end, unlink_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  Unlinked unlinked = { g_string_new (NULL), g_ptr_array_new_with_free_func (g_free) };
  char *text = NULL;

  g_assert_true (g_utf8_validate (markup, -1, NULL));
  context = g_markup_parse_context_new (&parser, 0, &unlinked, NULL);
  g_markup_parse_context_parse (context, wrapped, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  pango_parse_markup (unlinked.markup->str, -1, 0, NULL, &text, NULL, &error);
  g_assert_no_error (error);
  g_string_free (unlinked.markup, TRUE);
  if (hrefs != NULL)
    *hrefs = unlinked.hrefs;
  else
    g_ptr_array_unref (unlinked.hrefs);
  return text;
}

/* Inputs that differ only in their text: the markup made, and the text a person sees. */
static const struct
{
  const char *path;
  const char *markdown;
  const char *markup;
  const char *text;
} cases[] = {
  { "headings", "# Case\n## History\n### Drugs\n#### Doses\nSetext\n===\ntext",
    "<span weight=\"bold\" size=\"x-large\">Case</span>\n\n"
    "<span weight=\"bold\" size=\"large\">History</span>\n\n"
    "<span weight=\"bold\" size=\"medium\">Drugs</span>\n\n"
    "<span weight=\"bold\" size=\"medium\">Doses</span>\n\n"
    "<span weight=\"bold\" size=\"x-large\">Setext</span>\n\ntext",
    "Case\n\nHistory\n\nDrugs\n\nDoses\n\nSetext\n\ntext" },
  { "emphasis", "*it* _it_ **bold** __bold__ ***both*** *a **b** c* **a *b* c**",
    "<i>it</i> <i>it</i> <b>bold</b> <b>bold</b> <i><b>both</b></i> <i>a <b>b</b> c</i> "
    "<b>a <i>b</i> c</b>",
    "it it bold bold both a b c a b c" },
  { "inline-code", "Give `a < b && c > d` or ``x `y` z``",
    "Give <tt>a &lt; b &amp;&amp; c &gt; d</tt> or <tt>x `y` z</tt>",
    "Give a < b && c > d or x `y` z" },
  { "paragraphs", "First line\nsame paragraph.\n\n\n\nSecond  \nhard break\\\nand another",
    "First line same paragraph.\n\nSecond\nhard break\nand another",
    "First line same paragraph.\n\nSecond\nhard break\nand another" },
  { "lists/bullets", "- a\n- b\n  - c\n    - d\n- e\n\nafter",
    "• a\n• b\n    ◦ c\n        • d\n• e\n\nafter",
    "• a\n• b\n    ◦ c\n        • d\n• e\n\nafter" },
  { "lists/ordered", "3. three\n4. four\n   1. sub one\n   2. sub two\n5. five",
    "3. three\n4. four\n    1. sub one\n    2. sub two\n5. five",
    "3. three\n4. four\n    1. sub one\n    2. sub two\n5. five" },
  { "lists/parenthesis", "1) one\n2) two", "1. one\n2. two", "1. one\n2. two" },
  /* A loose list keeps its blank lines; an item's later paragraphs stay under it. */
  { "lists/loose", "1. first\n\n   more of first\n\n2. second\n\nafter",
    "1. first\n\n    more of first\n\n2. second\n\nafter",
    "1. first\n\n    more of first\n\n2. second\n\nafter" },
  { "lists/hard-break", "- a  \n  continued\n- b", "• a\n    continued\n• b",
    "• a\n    continued\n• b" },
  /* An empty item is a line of its own, as is a list that is the first thing of an item. */
  { "lists/empty-items", "- \n- b\n\n1.\n2. x", "• \n• b\n\n1. \n2. x", "• \n• b\n\n1. \n2. x" },
  { "lists/list-first-in-item", "- - a\n  - b", "• \n    ◦ a\n    ◦ b", "• \n    ◦ a\n    ◦ b" },
  { "code-blocks", "```\nint a < b;\n\"q\" & 'a'\n```\n\n    indented <code>\n\nafter",
    "<tt>int a &lt; b;\n&quot;q&quot; &amp; &apos;a&apos;</tt>\n\n"
    "<tt>indented &lt;code&gt;</tt>\n\nafter",
    "int a < b;\n\"q\" & 'a'\n\nindented <code>\n\nafter" },
  { "code-blocks/in-item", "- item\n\n  ```\n  line 1\n  line 2\n  ```\n- next",
    "• item\n\n    <tt>line 1\n    line 2</tt>\n\n• next",
    "• item\n\n    line 1\n    line 2\n\n• next" },
  { "block-quotes", "> quoted *it*\n> more\n\n> second\nlazy\n\nafter",
    "<span alpha=\"70%\"><i>▎ quoted <i>it</i> more</i></span>\n\n"
    "<span alpha=\"70%\"><i>▎ second lazy</i></span>\n\nafter",
    "▎ quoted it more\n\n▎ second lazy\n\nafter" },
  /* Every line of a quote has its bar, whatever block made the line. */
  { "block-quotes/blocks", "> # Plan\n> - rest\n> - fluids\n>\n> > nested",
    "<span alpha=\"70%\"><i>▎ <span weight=\"bold\" size=\"x-large\">Plan</span>\n\n"
    "▎ • rest\n▎ • fluids\n\n"
    "▎ <span alpha=\"70%\"><i>▎ nested</i></span></i></span>",
    "▎ Plan\n\n▎ • rest\n▎ • fluids\n\n▎ ▎ nested" },
  { "block-quotes/empty", ">\n\ntext", "text", "text" },
  { "thematic-break", "a\n\n---\n\nb", "a\n\n――――――――\n\nb", "a\n\n――――――――\n\nb" },
  /* Raw HTML is text, never markup: Pango would take <b> and <span> as its own. */
  { "raw-html", "<b>bold?</b> <span size=\"99999\">x</span>\n\n<div>\nblock & html\n</div>\n\n"
    "<!-- note -->",
    "&lt;b&gt;bold?&lt;/b&gt; &lt;span size=&quot;99999&quot;&gt;x&lt;/span&gt;\n\n"
    "&lt;div&gt;\nblock &amp; html\n&lt;/div&gt;\n\n&lt;!-- note --&gt;",
    "<b>bold?</b> <span size=\"99999\">x</span>\n\n<div>\nblock & html\n</div>\n\n"
    "<!-- note -->" },
  { "special-characters", "a < b & c > d \"q\" 'a' &amp; &lt; &copy; &#x41; \\*",
    "a &lt; b &amp; c &gt; d &quot;q&quot; &apos;a&apos; &amp; &lt; © A *",
    "a < b & c > d \"q\" 'a' & < © A *" },
  { "cjk", "# 病例\n\n患者，男，65岁。**胸痛** 2 小时，*伴出汗*。\n\n1. 心电图\n2. 肌钙蛋白",
    "<span weight=\"bold\" size=\"x-large\">病例</span>\n\n"
    "患者，男，65岁。<b>胸痛</b> 2 小时，<i>伴出汗</i>。\n\n1. 心电图\n2. 肌钙蛋白",
    "病例\n\n患者，男，65岁。胸痛 2 小时，伴出汗。\n\n1. 心电图\n2. 肌钙蛋白" },
  { "images", "![alt *em* <x>](https://example.org/x.png \"title\")",
    "<i>alt <i>em</i> &lt;x&gt;</i>", "alt em <x>" },
  { "empty/blank", "   \n\t\n", "", "" },
  { "malformed/unclosed", "**unclosed *nested [link]( `code\n\n> \n\n-",
    "**unclosed *nested [link]( `code\n\n• ", "**unclosed *nested [link]( `code\n\n• " },
  /* CommonMark's reading of crossed delimiters, whatever it is, is markup that nests. */
  { "malformed/crossed", "*a **b* c** _x*", "<i>a <i><i>b</i> c</i></i> _x*", "a b c _x*" },
  /* Not UTF-8: each bad byte becomes U+FFFD rather than markup a label refuses whole. */
  { "malformed/not-utf8", "ok \xff\xfe **still**", "ok \xef\xbf\xbd\xef\xbf\xbd <b>still</b>",
    "ok \xef\xbf\xbd\xef\xbf\xbd still" },
};

static void
test_case (gconstpointer data)
{
  const __typeof__ (cases[0]) *c = data;
  g_autofree char *markup = rounds_markdown_to_pango (c->markdown);
  g_autofree char *text = shown_text (markup, NULL);

  g_assert_cmpstr (markup, ==, c->markup);
  g_assert_cmpstr (text, ==, c->text);
}

static void
test_empty (void)
{
  g_autofree char *from_null = rounds_markdown_to_pango (NULL);
  g_autofree char *from_empty = rounds_markdown_to_pango ("");

  g_assert_cmpstr (from_null, ==, "");
  g_assert_cmpstr (from_empty, ==, "");
}

/* Links to the web and to mail are links, their targets escaped in the attribute; any other
 * target (a script, a file, a relative path) leaves only the link's text. */
static void
test_links (void)
{
  g_autofree char *markup = rounds_markdown_to_pango (
    "[guide](https://example.org/?a=1&b=\"2\") [mail](mailto:ward@example.org) "
    "[SHOUT](HTTPS://EXAMPLE.ORG) <https://auto.example.org> [**bold**](http://e.org) "
    "[bad](javascript:alert(1)) [file](file:///etc/passwd) [rel](notes.md) [none]()");
  g_autoptr(GPtrArray) hrefs = NULL;
  g_autofree char *text = shown_text (markup, &hrefs);

  g_assert_cmpstr (text, ==, "guide mail SHOUT https://auto.example.org bold bad file rel none");
  g_assert_cmpuint (hrefs->len, ==, 5);
  /* The quotes and the & of a target are escaped in the attribute, and read back whole. */
  g_assert_cmpstr (hrefs->pdata[0], ==, "https://example.org/?a=1&b=\"2\"");
  g_assert_cmpstr (hrefs->pdata[1], ==, "mailto:ward@example.org");
  g_assert_cmpstr (hrefs->pdata[2], ==, "HTTPS://EXAMPLE.ORG");
  g_assert_cmpstr (hrefs->pdata[3], ==, "https://auto.example.org");
  g_assert_cmpstr (hrefs->pdata[4], ==, "http://e.org");
  g_assert_nonnull (strstr (markup, "<a href=\"http://e.org\"><b>bold</b></a>"));
  g_assert_null (strstr (markup, "javascript"));
  g_assert_null (strstr (markup, "file:"));
}

/* A long ordered list is numbered through, a long paragraph and a long quote come out
 * whole, and every line of the quote has its bar. */
static void
test_long (void)
{
  const guint n = 20000;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) quote = g_string_new (NULL);
  g_autoptr(GString) paragraph = g_string_new (NULL);
  g_autofree char *list_markup = NULL, *list_text = NULL, *quote_text = NULL;
  g_autofree char *quote_markup = NULL, *paragraph_markup = NULL, *paragraph_text = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (list, "%u. item <%u> & more\n", i, i);
  list_markup = rounds_markdown_to_pango (list->str);
  list_text = shown_text (list_markup, NULL);
  lines = g_strsplit (list_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u. item <%u> & more", i + 1, i + 1);

      g_assert_cmpstr (lines[i], ==, expected);
    }
  g_clear_pointer (&lines, g_strfreev);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (quote, "> line %u  \n", i);
  quote_markup = rounds_markdown_to_pango (quote->str);
  quote_text = shown_text (quote_markup, NULL);
  lines = g_strsplit (quote_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strdup_printf ("▎ line %u", i);

      g_assert_cmpstr (lines[i], ==, expected);
    }

  for (guint i = 0; i < 100000; i++)
    g_string_append (paragraph, "患者 *a* <b> ");
  paragraph_markup = rounds_markdown_to_pango (paragraph->str);
  paragraph_text = shown_text (paragraph_markup, NULL);
  g_assert_cmpuint (strlen (paragraph_text), ==, 100000 * strlen ("患者 a <b> ") - 1);
  g_assert_true (g_str_has_prefix (paragraph_text, "患者 a <b> 患者 a <b> "));
}

/* Quotes and lists nested far deeper than anyone writes still make markup a label takes. */
static void
test_deep (void)
{
  g_autoptr(GString) quotes = g_string_new (NULL);
  g_autoptr(GString) bars = g_string_new (NULL);
  g_autoptr(GString) lists = g_string_new (NULL);
  g_autofree char *quote_markup = NULL, *quote_text = NULL, *list_markup = NULL;
  g_autofree char *list_text = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      g_string_append (quotes, "> ");
      g_string_append (bars, "▎ ");
    }
  g_string_append (quotes, "x");
  g_string_append (bars, "x");
  quote_markup = rounds_markdown_to_pango (quotes->str);
  quote_text = shown_text (quote_markup, NULL);
  g_assert_cmpstr (quote_text, ==, bars->str);

  for (guint i = 0; i < 300; i++)
    g_string_append (lists, "- ");
  g_string_append (lists, "deep");
  list_markup = rounds_markdown_to_pango (lists->str);
  list_text = shown_text (list_markup, NULL);
  g_assert_true (g_str_has_suffix (list_text, "deep"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/rounds/markdown/", cases[i].path, NULL);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/rounds/markdown/empty", test_empty);
  g_test_add_func ("/rounds/markdown/links", test_links);
  g_test_add_func ("/rounds/markdown/long", test_long);
  g_test_add_func ("/rounds/markdown/deep", test_deep);
  return g_test_run ();
}
