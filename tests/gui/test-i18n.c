/* test-i18n.c: Rounds in Simplified Chinese: rounds-cli --help and the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "rounds-count.h"
#include "rounds-response-card.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"

static void
test_cli_help (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "zh_CN.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "zh_CN.UTF-8", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ROUNDS_CLI"), "--help", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "命令："));
  g_assert_nonnull (strstr (out, "从 JSONL 或 CSV 文件导入数据集、条目和评判"));
  g_assert_null (strstr (out, "Commands:"));
}

static void
test_window (RoundsTestStore *fixture,
             gconstpointer    data)
{
  g_autoptr(RoundsProfile) profile = rounds_profile_new ("dr-lin", "林医生", ROUNDS_ROLE_ANNOTATOR,
                                                         "急诊医学");
  g_autoptr(GError) error = NULL;
  RoundsWindow *window;

  rounds_store_add_profile (fixture->store, profile, &error);
  g_assert_no_error (error);
  rounds_store_set_current_profile (fixture->store, "dr-lin", &error);
  g_assert_no_error (error);

  window = rounds_test_gui_open_window (fixture->store);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Rounds");
  g_assert_cmpstr (rounds_window_get_sync_status (window), ==, "尚未设置");
  g_assert_cmpstr (rounds_window_get_page (window), ==, "empty");
  gtk_window_destroy (GTK_WINDOW (window));
  rounds_test_spin ();
}

/* "General" in the shortcuts window is the general group of keys (常规), translated apart,
 * by its context, from the compare page's item with no specialty (通用), not general
 * practice (全科). */
static void
test_shortcuts_general (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/rounds/Rounds/ui/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_autofree char *titles = NULL;
  /* Each title between bars; the builder lists its objects in no particular order. */
  GString *all = g_string_new ("|");

  for (GSList *o = objects; o != NULL; o = o->next)
    if (GTK_IS_SHORTCUTS_GROUP (o->data))
      {
        g_autofree char *title = NULL;

        g_object_get (o->data, "title", &title, NULL);
        g_string_append_printf (all, "%s|", title);
      }
  titles = g_string_free (all, FALSE);
  g_test_message ("%s", titles);
  g_assert_nonnull (strstr (titles, "|常规|"));
  g_assert_null (strstr (titles, "全科"));
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "shortcuts window", "General"), ==, "常规");
  g_assert_cmpstr (_("General"), ==, "通用");
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

/* Counts in Chinese: one plural form, digits grouped as zh_CN groups them. */
static void
test_counts (void)
{
  g_autofree char *items = rounds_format_counted (20000, "%s item", "%s items");
  g_autofree char *one = rounds_format_counted (1, "%s verdict", "%s verdicts");

  g_assert_cmpstr (items, ==, "20,000 个条目");
  g_assert_cmpstr (one, ==, "1 项裁定");
}

/* A label and its value are one string in Chinese, with the full-width colon and no space
 * after it: "名次：A=1", not "名次： A=1" (a colon and a space appended to the label). */
#define ASSERT_COLON(msgid, expected, ...) G_STMT_START { \
    g_autofree char *text = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, msgid), __VA_ARGS__); \
    g_assert_cmpstr (text, ==, expected); \
  } G_STMT_END

static void
test_colons (void)
{
  ASSERT_COLON ("Ranks: %s", "名次：X", "X");
  ASSERT_COLON ("Saw: %s", "所见顺序：X", "X");
  ASSERT_COLON ("Ranking: %s", "排名：X", "X");
  ASSERT_COLON ("Items left out: %s", "排除的条目：X", "X");
  ASSERT_COLON ("Responses left out: %s", "排除的回答：X", "X");
  ASSERT_COLON ("Pairs left out: %s", "排除的偏好对：X", "X");
  ASSERT_COLON ("%s %s: %s", "专科 心内科：X", "专科", "心内科", "X");
  ASSERT_COLON ("%c: %s", "A：X", 'A', "X");
}

static gboolean
is_reading_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* The label itself, or the one a Markdown view draws its text with. */
  return GTK_IS_LABEL (widget) &&
         (gtk_widget_has_css_class (widget, "reading") ||
          (parent != NULL && gtk_widget_has_css_class (parent, "reading")));
}

/* Every line of @label's layout ends inside the label's content, which is at least @padding
 * px narrower than the label (its CSS padding and border, on both sides together). */
static void
assert_lines_inside (GtkWidget *label,
                     int        padding)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  GtkAllocation allocation;
  int x, y;

  gtk_widget_get_allocation (label, &allocation);
  g_test_message ("label %d px, its content %d px", allocation.width,
                  gtk_widget_get_width (label));
  g_assert_cmpint (allocation.width - gtk_widget_get_width (label), >=, padding);
  gtk_label_get_layout_offsets (GTK_LABEL (label), &x, &y);
  do
    {
      PangoRectangle ink, logical;

      pango_layout_iter_get_line_extents (iter, &ink, &logical);
      g_test_message ("text from %d; line %d to %d (ink to %d)", x, PANGO_PIXELS (logical.x),
                      PANGO_PIXELS (logical.x + logical.width), PANGO_PIXELS (ink.x + ink.width));
      g_assert_cmpint (x + PANGO_PIXELS (logical.x), >=, 0);
      g_assert_cmpint (x + PANGO_PIXELS_CEIL (logical.x + logical.width), <=,
                       gtk_widget_get_width (label));
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* The last character of a wrapped Chinese line is drawn whole, in a response card and in a
 * label drawn as a card (the review page's judgements), which keeps its text off its rounded
 * edges; at widths that wrap the text differently. */
static void
test_cjk_line_ends (void)
{
  const char *text = "王先生，58岁，退休中学教师，因“反复上腹部不适2个月”入院。胃镜病理提示胃窦腺癌，"
                     "增强CT未见远处转移，拟行腹腔镜根治性远端胃大部切除术。患者神志清楚，交流正常，"
                     "生活完全自理。术前谈话前，患者的儿子把主管医生拉到走廊说：“我爸心理承受能力差，"
                     "千万别告诉他是癌，就说是胃溃疡要切一部分。同意书我来签，出了事我负责。”";

  rounds_test_gui_app ();    /* its style sheet */
  for (int width = 300; width <= 900; width += 75)
    {
      GtkWidget *window = gtk_window_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *card = rounds_response_card_new (0, text, 0, NULL);
      GtkWidget *judgement = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (judgement), TRUE);
      gtk_label_set_xalign (GTK_LABEL (judgement), 0);
      gtk_widget_add_css_class (judgement, "card");
      gtk_box_append (GTK_BOX (box), card);
      gtk_box_append (GTK_BOX (box), judgement);
      gtk_window_set_child (GTK_WINDOW (window), box);
      gtk_window_set_default_size (GTK_WINDOW (window), width, 900);
      gtk_window_present (GTK_WINDOW (window));
      rounds_test_wait_frames (box);
      assert_lines_inside (rounds_test_find_widget (card, is_reading_label, NULL), 0);
      assert_lines_inside (judgement, 24);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

int
main (int    argc,
      char **argv)
{
  /* The whole process in Chinese, as under LANG=zh_CN.UTF-8 on a desktop. */
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, "zh_CN.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ROUNDS_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  rounds_test_gui_init (&argc, &argv);
  g_test_add_func ("/rounds/i18n/cli-help", test_cli_help);
  g_test_add_func ("/rounds/i18n/shortcuts-general", test_shortcuts_general);
  g_test_add_func ("/rounds/i18n/counts", test_counts);
  g_test_add_func ("/rounds/i18n/colons", test_colons);
  g_test_add_func ("/rounds/i18n/cjk-line-ends", test_cjk_line_ends);
  g_test_add ("/rounds/i18n/window", RoundsTestStore, NULL,
              rounds_test_store_set_up, test_window, rounds_test_store_tear_down);
  return rounds_test_gui_run ();
}
