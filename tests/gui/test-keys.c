/* test-keys.c: the window's keys: no two shortcuts on one key, and real key presses (xdotool)
 *
 * The cases after the first send keys through the X server (XTest), as a keyboard does, so
 * that mnemonics, accelerators, bindings and the focus decide between them as they do for a
 * person; activating actions would go around all of that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-compare-page.h"
#include "rounds-insights-page.h"
#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

/* A pair with a rubric, a triple, and a pair three annotators disagree on. */
static const char fixture_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"pairs\", \"title\": \"Pairs\", \"overlap\": 1,"
  " \"required\": [\"preference\"],"
  " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 1, \"max\": 5}]}\n"
  "{\"id\": \"p1\", \"scenario\": \"What is the adult daily maximum of paracetamol?\","
  " \"responses\": [{\"text\": \"4 g a day.\"}, {\"text\": \"8 g a day.\"}]}\n"
  "{\"id\": \"p2\", \"scenario\": \"How often should feet be checked in diabetes?\","
  " \"responses\": [{\"text\": \"Every day.\"}, {\"text\": \"Once a year.\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"triple\", \"title\": \"Triple\", \"overlap\": 1}\n"
  "{\"id\": \"t1\", \"scenario\": \"Three answers\", \"responses\": [{\"text\": \"a\"},"
  " {\"text\": \"b\"}, {\"text\": \"c\"}]}\n"
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Ethics\", \"overlap\": 3}\n"
  "{\"id\": \"e1\", \"scenario\": \"A daughter asks for her father's diagnosis.\","
  " \"responses\": [{\"text\": \"Ask the father first.\"}, {\"text\": \"Tell her.\"}]}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": "
  "\"dr-amara\", \"preference\": -2}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": \"dr-lin\", "
  "\"preference\": 2}\n"
  "{\"type\": \"judgement\", \"dataset\": \"ethics\", \"item\": \"e1\", \"annotator\": "
  "\"dr-okafor\", \"preference\": 0}\n";

typedef RoundsTestWindow Fixture;

/* Signed in as a reviewer, or (@data non-NULL) at a first start: no profile yet. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up_as (fixture, fixture_jsonl, data ? NULL : "dr-rev", "Dr Reviewer",
                                ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
}

static void
press (Fixture    *fixture,
       const char *keys)
{
  rounds_test_xdotool (GTK_WINDOW (fixture->window), "key", "--clearmodifiers", keys, NULL);
}

/* Shortcuts -------------------------------------------------------------------------- */

/* Every key that does something on one page: key name → what it does. */
typedef struct
{
  GHashTable *keys;
  GPtrArray  *collisions;
  guint       n_mnemonics;
} KeyMap;

static void
key_map_add (KeyMap          *map,
             guint            keyval,
             GdkModifierType  modifiers,
             const char      *what)
{
  g_autofree char *name = NULL;
  const char *before;

  modifiers &= GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK;
  name = gtk_accelerator_name (gdk_keyval_to_lower (keyval), modifiers);
  before = g_hash_table_lookup (map->keys, name);
  /* The application's accelerators are also the window's shortcuts: the same thing twice. */
  if (before != NULL && !g_str_equal (before, what))
    g_ptr_array_add (map->collisions, g_strdup_printf ("%s: %s and %s", name, before, what));
  else if (before == NULL)
    g_hash_table_insert (map->keys, g_steal_pointer (&name), g_strdup (what));
}

static char *
describe_action (GtkShortcutAction *action,
                 GVariant          *arguments)
{
  g_autofree char *target = arguments ? g_variant_print (arguments, FALSE) : NULL;
  g_autofree char *name = NULL;

  if (GTK_IS_NAMED_ACTION (action))
    name = g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
  else
    name = gtk_shortcut_action_to_string (action);

  return target ? g_strdup_printf ("%s(%s)", name, target) : g_steal_pointer (&name);
}

static void
key_map_add_trigger (KeyMap             *map,
                     GtkShortcutTrigger *trigger,
                     const char         *what)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    key_map_add (map, gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                 gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)), what);
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      GtkAlternativeTrigger *alternative = GTK_ALTERNATIVE_TRIGGER (trigger);

      key_map_add_trigger (map, gtk_alternative_trigger_get_first (alternative), what);
      key_map_add_trigger (map, gtk_alternative_trigger_get_second (alternative), what);
    }
  /* Mnemonic triggers are the labels' own: they are read from the labels. */
}

/* The shortcuts of @widget's controllers: all of them on the window and the page (they act
 * wherever the focus is in it), only those not local to the focus elsewhere. */
static void
key_map_add_controllers (KeyMap    *map,
                         GtkWidget *widget,
                         gboolean   all)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          (!all && gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) ==
                   GTK_SHORTCUT_SCOPE_LOCAL))
        continue;
      for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)); s++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);
          g_autofree char *what = describe_action (gtk_shortcut_get_action (shortcut),
                                                   gtk_shortcut_get_arguments (shortcut));

          key_map_add_trigger (map, gtk_shortcut_get_trigger (shortcut), what);
        }
    }
}

/* The mnemonics (Alt+letter) and shortcuts of what is on screen under @widget. */
static void
key_map_add_tree (KeyMap    *map,
                  GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      /* An entry row's title is drawn by two labels for one entry: one mnemonic. */
      GtkWidget *target = gtk_label_get_mnemonic_widget (GTK_LABEL (widget));
      g_autofree char *what = g_strdup_printf ("the mnemonic of “%s” (for %s %p)",
                                               gtk_label_get_label (GTK_LABEL (widget)),
                                               G_OBJECT_TYPE_NAME (target ? target : widget),
                                               (gpointer) (target ? target : widget));

      map->n_mnemonics++;
      key_map_add (map, gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)), GDK_ALT_MASK, what);
    }
  key_map_add_controllers (map, widget, FALSE);
  /* Of a stack, the page on screen: the one before stays mapped while the transition runs. */
  if (GTK_IS_STACK (widget))
    {
      if (gtk_stack_get_visible_child (GTK_STACK (widget)) != NULL)
        key_map_add_tree (map, gtk_stack_get_visible_child (GTK_STACK (widget)));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    key_map_add_tree (map, child);
}

static gboolean
is_menu_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget);
}

/* Fails on any key that two things on the page on screen answer to. */
static void
assert_no_collisions (Fixture    *fixture,
                      const char *page_name)
{
  GtkApplication *app = GTK_APPLICATION (fixture->app);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *page = gtk_widget_get_parent (GTK_WIDGET (rounds_window_get_review_page
                                                       (fixture->window)));
  KeyMap map = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_ptr_array_new_with_free_func (g_free),
    0
  };

  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, page_name);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint a = 0; accels[a] != NULL; a++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[a], &keyval, &modifiers));
          key_map_add (&map, keyval, modifiers, actions[i]);
        }
    }
  key_map_add_controllers (&map, window, TRUE);
  page = gtk_stack_get_visible_child (GTK_STACK (page));
  key_map_add_controllers (&map, page, TRUE);
  key_map_add_tree (&map, window);

  g_test_message ("%s: %u keys, %u mnemonics", page_name, g_hash_table_size (map.keys),
                  map.n_mnemonics);
  for (guint i = 0; i < map.collisions->len; i++)
    g_test_message ("%s: %s", page_name, (char *) map.collisions->pdata[i]);
  /* The list is real: Alt+S (Skip) and Ctrl+Enter (Submit) are in it on every page. */
  g_assert_true (g_hash_table_contains (map.keys, "<Alt>s"));
  g_assert_true (g_hash_table_contains (map.keys, "<Control>Return"));
  g_assert_cmpuint (map.collisions->len, ==, 0);
  g_hash_table_unref (map.keys);
  g_ptr_array_unref (map.collisions);
}

/* The main menu, open: its mnemonics are its own (the popover is a keyboard scope apart). */
static void
assert_menu_mnemonics_differ (Fixture *fixture)
{
  GtkWidget *button = rounds_test_find_widget (GTK_WIDGET (fixture->window), is_menu_button,
                                               NULL);
  GtkWidget *popover;
  KeyMap map = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_ptr_array_new_with_free_func (g_free),
    0
  };

  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  rounds_test_wait_frames (popover);
  key_map_add_tree (&map, popover);
  g_test_message ("main menu: %u mnemonics", map.n_mnemonics);
  for (guint i = 0; i < map.collisions->len; i++)
    g_test_message ("main menu: %s", (char *) map.collisions->pdata[i]);
  g_assert_cmpuint (map.n_mnemonics, >=, 9);
  g_assert_cmpuint (map.collisions->len, ==, 0);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  rounds_test_spin ();
  g_hash_table_unref (map.keys);
  g_ptr_array_unref (map.collisions);
}

static void
test_no_collisions (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  assert_no_collisions (fixture, "datasets");
  assert_menu_mnemonics_differ (fixture);
  rounds_test_window_activate (fixture, "win.switch-profile", NULL);
  assert_no_collisions (fixture, "profile");
  rounds_test_window_activate (fixture, "win.use-profile", g_variant_new_string ("dr-rev"));
  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  assert_no_collisions (fixture, "compare");
  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("triple"));
  assert_no_collisions (fixture, "compare");
  g_assert_true (rounds_window_review_dataset (fixture->window, "ethics", &error));
  g_assert_no_error (error);
  rounds_test_window_wait_review (fixture);
  assert_no_collisions (fixture, "review");
  rounds_test_window_activate (fixture, "win.show-insights", g_variant_new_string ("ethics"));
  while (rounds_insights_page_get_loading (ROUNDS_INSIGHTS_PAGE
                                             (rounds_window_get_insights_page (fixture->window))))
    g_main_context_iteration (NULL, TRUE);
  rounds_test_spin ();
  assert_no_collisions (fixture, "insights");
  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("triple"));
  rounds_test_window_activate (fixture, "win.rank", g_variant_new ("(ii)", 0, 1));
  rounds_test_window_activate (fixture, "win.rank", g_variant_new ("(ii)", 1, 2));
  rounds_test_window_activate (fixture, "win.rank", g_variant_new ("(ii)", 2, 3));
  rounds_test_window_activate (fixture, "win.submit", NULL);
  assert_no_collisions (fixture, "finished");
}

/* Real keys ---------------------------------------------------------------------------- */

static gboolean
is_compare_page (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ROUNDS_IS_COMPARE_PAGE (widget);
}

static RoundsComparePage *
compare_page (Fixture *fixture)
{
  return ROUNDS_COMPARE_PAGE (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                                       is_compare_page, NULL));
}

static char *
query_status (Fixture    *fixture,
              const char *key)
{
  return rounds_test_window_query (fixture, "SELECT a.status FROM annotations a JOIN items i"
                                            " ON i.id = a.item_id WHERE i.key = ?1"
                                            " AND a.is_current", key);
}

/* Alt+S is Skip, as the shortcuts window and the tooltip say, not the Submit button's
 * mnemonic: with a preference chosen it asks for a reason and saves nothing until given. The
 * reason is a multi-line field, as the comment: Enter starts a line, Ctrl+Enter skips, and
 * Escape cancels, saving nothing. */
static void
test_alt_s_skips (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *none = NULL;
  g_autofree char *not_yet = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  RoundsJudgement *judgement;
  GtkWidget *dialog;

  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p1");
  press (fixture, "2");
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  g_assert_true (judgement->has_preference);

  press (fixture, "alt+s");
  /* Kept past its close. */
  dialog = g_object_ref (rounds_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  rounds_test_xdotool (GTK_WINDOW (dialog), "type", "Not sure", NULL);
  rounds_test_xdotool (GTK_WINDOW (dialog), "key", "Escape", NULL);
  g_object_unref (dialog);
  g_assert_null (rounds_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  cancelled = query_status (fixture, "p1");
  g_assert_null (cancelled);

  press (fixture, "alt+s");
  none = query_status (fixture, "p1");
  g_assert_null (none);
  dialog = rounds_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (GTK_IS_TEXT_VIEW (adw_message_dialog_get_extra_child (
                                     ADW_MESSAGE_DIALOG (dialog))));
  rounds_test_xdotool (GTK_WINDOW (dialog), "type", "Outside my specialty", NULL);
  rounds_test_xdotool (GTK_WINDOW (dialog), "key", "Return", NULL);
  not_yet = query_status (fixture, "p1");
  g_assert_null (not_yet);
  rounds_test_xdotool (GTK_WINDOW (dialog), "type", "ask neurology", NULL);
  rounds_test_xdotool (GTK_WINDOW (dialog), "key", "ctrl+Return", NULL);
  status = query_status (fixture, "p1");
  g_assert_cmpstr (status, ==, "skipped");
  reason = rounds_test_window_query (fixture, "SELECT a.skip_reason FROM annotations a JOIN"
                                              " items i ON i.id = a.item_id WHERE i.key = ?1"
                                              " AND a.is_current", "p1");
  g_assert_cmpstr (reason, ==, "Outside my specialty\nask neurology");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
}

/* Gives the focus to the drop-down named @name, as Tab would. */
static GtkWidget *
focus_dropdown (Fixture    *fixture,
                const char *name)
{
  return rounds_test_focus_dropdown (GTK_WIDGET (fixture->window), name);
}

/* A digit on a focused score drop-down is that score ("4" means score 4), not the overall
 * preference; one the criterion does not offer is ignored. On a rank drop-down it is the
 * rank. */
static void
test_digit_on_dropdown (Fixture       *fixture,
                        gconstpointer  data)
{
  RoundsJudgement *judgement;
  guint order[2];
  GtkWidget *dropdown;

  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  g_assert_true (rounds_store_get_shown_order (fixture->store,
                                               rounds_window_get_item (fixture->window),
                                               "dr-rev", order, NULL));
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  dropdown = focus_dropdown (fixture, "Response A: Accuracy");
  press (fixture, "4");
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 4);
  press (fixture, "KP_2");
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 2);
  press (fixture, "7");
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 2);
  g_assert_false (judgement->has_preference);
  g_assert_cmpint (*rounds_judgement_score (judgement, order[1], 0), ==, -1);

  /* Elsewhere a digit is the preference still. */
  rounds_compare_page_focus_scenario (compare_page (fixture));
  press (fixture, "2");
  g_assert_true (judgement->has_preference);

  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("triple"));
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  focus_dropdown (fixture, "Response B");
  press (fixture, "3");
  g_assert_true (rounds_store_get_shown_order (fixture->store,
                                               rounds_window_get_item (fixture->window),
                                               "dr-rev", order, NULL));
  g_assert_cmpint (judgement->ranks[order[1]], ==, 3);
}

static GtkWidget *
find_dropdown (Fixture    *fixture,
               const char *name)
{
  return rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_dropdown_named,
                                  name);
}

/* A rubric score is a plain button drawn as a drop-down until it is first used, since a
 * GtkDropDown is slow to build: the focus (Tab, or an arrow key from the score beside) makes
 * it the drop-down, which then takes digits as before; a click makes it one and opens its
 * list; a score kept in a draft shows on the button. */
static void
test_score_dropdown_on_use (Fixture       *fixture,
                            gconstpointer  data)
{
  RoundsJudgement *judgement;
  GtkWidget *cell, *dropdown, *toggle;
  guint order[2];

  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  g_assert_true (rounds_store_get_shown_order (fixture->store,
                                               rounds_window_get_item (fixture->window),
                                               "dr-rev", order, NULL));
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  g_assert_null (find_dropdown (fixture, "Response A: Accuracy"));
  g_assert_null (find_dropdown (fixture, "Response B: Accuracy"));
  cell = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                  "Response A: Accuracy");
  g_assert_true (GTK_IS_BUTTON (cell));

  dropdown = focus_dropdown (fixture, "Response A: Accuracy");
  g_assert_true (find_dropdown (fixture, "Response A: Accuracy") == dropdown);
  press (fixture, "4");
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 4);
  g_assert_null (find_dropdown (fixture, "Response B: Accuracy"));

  /* Right, a real key: the score beside on the same criterion, now a drop-down too. */
  press (fixture, "Right");
  dropdown = find_dropdown (fixture, "Response B: Accuracy");
  g_assert_nonnull (dropdown);
  g_assert_true (gtk_widget_is_ancestor (rounds_test_focus (GTK_WINDOW (fixture->window)),
                                         dropdown));
  press (fixture, "2");
  g_assert_cmpint (*rounds_judgement_score (judgement, order[1], 0), ==, 2);

  /* Back on the item: its draft's scores on buttons again. */
  rounds_test_window_activate (fixture, "win.show-datasets", NULL);
  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
  g_assert_null (find_dropdown (fixture, "Response A: Accuracy"));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                             rounds_test_is_label_starting, "4"));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->window),
                                             rounds_test_is_label_starting, "2"));

  /* A click: the drop-down, focused, its list open, its score kept. */
  cell = rounds_test_find_widget (GTK_WIDGET (fixture->window), rounds_test_is_named,
                                  "Response A: Accuracy");
  g_assert_true (GTK_IS_BUTTON (cell));
  g_signal_emit_by_name (cell, "clicked");
  dropdown = find_dropdown (fixture, "Response A: Accuracy");
  g_assert_nonnull (dropdown);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 4);
  g_assert_true (gtk_widget_is_ancestor (rounds_test_focus (GTK_WINDOW (fixture->window)),
                                         dropdown));
  toggle = gtk_widget_get_first_child (dropdown);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  rounds_test_spin ();
  g_assert_cmpint (*rounds_judgement_score (judgement, order[0], 0), ==, 4);
}

static void
assert_text (GtkWidget  *view,
             const char *expected)
{
  g_autofree char *text = rounds_test_text_of (view);

  g_assert_cmpstr (text, ==, expected);
}

static gboolean
is_scroller (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

static GtkAdjustment *
page_adjustment (Fixture *fixture)
{
  GtkWidget *scroller = rounds_test_find_widget (GTK_WIDGET (compare_page (fixture)), is_scroller,
                                                 NULL);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static double
scrolled_to (Fixture *fixture)
{
  return gtk_adjustment_get_value (page_adjustment (fixture));
}

/* Where a person is who has scrolled down to the comment and Submit. */
static void
scroll_to_bottom (Fixture *fixture)
{
  GtkAdjustment *adjustment = page_adjustment (fixture);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

/* Escape leaves the comment, so that the digit keys choose again; after Ctrl+Enter the next
 * item is read from the top, with the focus on its scenario, not in the comment. */
static void
test_focus_after_submit (Fixture       *fixture,
                         gconstpointer  data)
{
  RoundsJudgement *judgement;
  GtkWidget *comment;
  GtkWidget *focus;
  g_autofree char *status = NULL;

  /* Short, so that the page scrolls (Xvfb has no window manager to resize a window). */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = rounds_window_new (fixture->app, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 420);
  gtk_window_present (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  rounds_test_window_activate (fixture, "win.open-dataset", g_variant_new_string ("pairs"));
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  comment = rounds_test_find_widget (GTK_WIDGET (compare_page (fixture)), rounds_test_is_named,
                                     "Comment");
  g_assert_true (GTK_IS_TEXT_VIEW (comment));

  g_assert_true (gtk_widget_grab_focus (comment));
  rounds_test_xdotool (GTK_WINDOW (fixture->window), "type", "abc", NULL);
  assert_text (comment, "abc");
  press (fixture, "Escape");
  focus = rounds_test_focus (GTK_WINDOW (fixture->window));
  g_assert_false (gtk_widget_is_ancestor (focus, comment));
  press (fixture, "4");
  assert_text (comment, "abc");
  g_assert_true (judgement->has_preference);

  /* Back in the comment, at the bottom of the page: Ctrl+Enter. */
  g_assert_true (gtk_widget_grab_focus (comment));
  rounds_test_wait_frames (comment);
  scroll_to_bottom (fixture);
  g_assert_cmpfloat (scrolled_to (fixture), >, 0);
  press (fixture, "ctrl+Return");
  status = query_status (fixture, "p1");
  g_assert_cmpstr (status, ==, "submitted");
  g_assert_cmpstr (rounds_item_get_key (rounds_window_get_item (fixture->window)), ==, "p2");
  focus = rounds_test_focus (GTK_WINDOW (fixture->window));
  g_assert_true (GTK_IS_LABEL (focus));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (focus)), ==,
                   "How often should feet be checked in diabetes?");
  rounds_test_wait_frames (comment);
  g_assert_cmpfloat (scrolled_to (fixture), ==, 0);
  assert_text (comment, "");
  press (fixture, "1");
  judgement = rounds_compare_page_get_judgement (compare_page (fixture));
  g_assert_true (judgement->has_preference);
}

/* At a first start the focus is in the Name field; typing the form and Enter starts; Enter
 * again opens the first dataset. */
static void
test_first_start (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *name = NULL;
  GtkWidget *focus = rounds_test_focus (GTK_WINDOW (fixture->window));

  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "profile");
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_TEXT (focus));
  g_assert_true (ADW_IS_ENTRY_ROW (gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW)));
  g_assert_cmpstr (adw_preferences_row_get_title
                     (ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW))),
                   ==, "_Name");

  rounds_test_xdotool (GTK_WINDOW (fixture->window), "type", "Dr Lin", NULL);
  press (fixture, "Tab");
  rounds_test_xdotool (GTK_WINDOW (fixture->window), "type", "dr-lin", NULL);
  press (fixture, "Return");
  name = rounds_test_window_query (fixture, "SELECT display_name FROM annotators"
                                            " WHERE user_name = ?1", "dr-lin");
  g_assert_cmpstr (name, ==, "Dr Lin");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "datasets");

  /* The focus is on the first dataset, so Enter opens it: Ethics, by name, whose overlap is
   * met, so there is nothing more for this annotator. */
  press (fixture, "Return");
  g_assert_cmpstr (rounds_window_get_page (fixture->window), ==, "finished");
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_set_up, func, \
                                          rounds_test_window_tear_down)
  ADD ("/rounds/keys/no-collisions", test_no_collisions, NULL);
  ADD ("/rounds/keys/alt-s-skips", test_alt_s_skips, NULL);
  ADD ("/rounds/keys/digit-on-dropdown", test_digit_on_dropdown, NULL);
  ADD ("/rounds/keys/score-dropdown-on-use", test_score_dropdown_on_use, NULL);
  ADD ("/rounds/keys/focus-after-submit", test_focus_after_submit, NULL);
  ADD ("/rounds/keys/first-start", test_first_start, "first start");
#undef ADD

  return rounds_test_gui_run ();
}
