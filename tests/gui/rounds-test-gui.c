/* rounds-test-gui.c: what the window tests share: set-up, the main loop, finding widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk/x11/gdkx.h>
#include <sqlite3.h>
#include <string.h>

#include "rounds-review-page.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"

static RoundsApplication *shared_app;

void
rounds_test_gui_init (int    *argc,
                      char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

int
rounds_test_gui_run (void)
{
  int status = g_test_run ();

  g_clear_object (&shared_app);
  return status;
}

RoundsApplication *
rounds_test_gui_app (void)
{
  if (shared_app == NULL)
    {
      g_autoptr(GError) error = NULL;

      shared_app = rounds_application_new ();
      g_application_register (G_APPLICATION (shared_app), NULL, &error);
      g_assert_no_error (error);
    }
  return shared_app;
}

RoundsWindow *
rounds_test_gui_open_window (RoundsStore *store)
{
  RoundsWindow *window = rounds_window_new (rounds_test_gui_app (), store, NULL);

  gtk_window_present (GTK_WINDOW (window));
  rounds_test_spin ();
  return window;
}

static void
open_store (RoundsTestWindow *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = rounds_test_make_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "rounds.db", NULL);
  fixture->store = rounds_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
}

static void
open_window (RoundsTestWindow *fixture)
{
  fixture->app = g_object_ref (rounds_test_gui_app ());
  fixture->window = rounds_test_gui_open_window (fixture->store);
}

void
rounds_test_window_set_up_as (RoundsTestWindow *fixture,
                              const char       *jsonl,
                              const char       *user_name,
                              const char       *display_name,
                              RoundsRoles       roles)
{
  open_store (fixture);
  rounds_test_store_import_text (fixture->store, fixture->dir, "fixture.jsonl", jsonl);
  if (user_name != NULL)
    rounds_test_store_sign_in (fixture->store, user_name, display_name, roles);
  open_window (fixture);
}

void
rounds_test_window_set_up (RoundsTestWindow *fixture,
                           const char       *jsonl)
{
  rounds_test_window_set_up_as (fixture, jsonl, "dr-test", "Dr Test", ROUNDS_ROLE_ANNOTATOR);
}

void
rounds_test_window_set_up_demo (RoundsTestWindow *fixture,
                                const char       *user_name,
                                const char       *display_name,
                                RoundsRoles       roles)
{
  open_store (fixture);
  rounds_test_store_import_demo (fixture->store);
  rounds_test_store_sign_in (fixture->store, user_name, display_name, roles);
  open_window (fixture);
}

void
rounds_test_window_tear_down (RoundsTestWindow *fixture,
                              gconstpointer     data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  rounds_test_spin ();
  g_clear_object (&fixture->app);
  g_assert_finalize_object (fixture->store);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

void
rounds_test_activate (RoundsWindow *window,
                      const char   *action,
                      GVariant     *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, parameter));
  rounds_test_spin ();
}

void
rounds_test_window_activate (RoundsTestWindow *fixture,
                             const char       *action,
                             GVariant         *parameter)
{
  rounds_test_activate (fixture->window, action, parameter);
}

char *
rounds_test_window_query (RoundsTestWindow *fixture,
                          const char       *sql,
                          const char       *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
on_xdotool_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

/* Runs xdotool with @argv, lets the main loop run meanwhile, and waits until the X server
 * has delivered what it sent. */
static void
run_xdotool (GtkWindow          *window,
             const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gboolean done = FALSE;

  if (!g_find_program_in_path ("xdotool"))
    g_error ("xdotool is needed for the tests of real input (build-aux/deps.sh installs it)");
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, on_xdotool_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  /* A round trip: every event the server made of the keys is then in our queue. */
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (window)));
  rounds_test_spin ();
}

void
rounds_test_xdotool (GtkWindow  *window,
                     const char *command,
                     ...)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  {
    const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };

    run_xdotool (window, focus);
  }

  g_ptr_array_add (argv, (gpointer) "xdotool");
  g_ptr_array_add (argv, (gpointer) command);
  va_start (args, command);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  run_xdotool (window, (const char * const *) argv->pdata);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  guint *n_frames = user_data;

  (*n_frames)++;
  return G_SOURCE_CONTINUE;
}

void
rounds_test_wait_frames (GtkWidget *widget)
{
  guint n_frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, on_tick, &n_frames, NULL);

  while (n_frames < 2)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  rounds_test_spin ();
}

GtkWidget *
rounds_test_focus (GtkWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

void
rounds_test_window_wait_review (RoundsTestWindow *fixture)
{
  GtkWidget *page = rounds_window_get_review_page (fixture->window);

  while (rounds_review_page_get_loading (ROUNDS_REVIEW_PAGE (page)))
    g_main_context_iteration (NULL, TRUE);
  rounds_test_spin ();
}

GtkWidget *
rounds_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

void
rounds_test_wait_until (RoundsTestCondition condition,
                        gpointer            data,
                        guint               seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (condition (data));
}

static gboolean
window_synced (gpointer window)
{
  return !rounds_window_is_syncing (window);
}

void
rounds_test_wait_synced (RoundsWindow *window)
{
  rounds_test_wait_until (window_synced, window, 60);
  rounds_test_spin ();
}

/* Runs what is pending in the main loop, without waiting. */
void
rounds_test_spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first widget under @root, itself included, that @match accepts. */
GtkWidget *
rounds_test_find_widget (GtkWidget       *root,
                         RoundsTestMatch  match,
                         gconstpointer    data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = rounds_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
rounds_test_is_row_titled (GtkWidget     *widget,
                           gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

gboolean
rounds_test_is_button_labelled (GtkWidget     *widget,
                                gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
rounds_test_is_button_for_action (GtkWidget     *widget,
                                  gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

gboolean
rounds_test_is_label_starting (GtkWidget     *widget,
                               gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

gboolean
rounds_test_is_label_containing (GtkWidget     *widget,
                                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

gboolean
rounds_test_is_named (GtkWidget     *widget,
                      gconstpointer  name)
{
  g_autofree char *differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                 name);

  return differs == NULL;
}

gboolean
rounds_test_is_dropdown_named (GtkWidget     *widget,
                               gconstpointer  name)
{
  return GTK_IS_DROP_DOWN (widget) && rounds_test_is_named (widget, name);
}

static gboolean
is_focusable_named (GtkWidget     *widget,
                    gconstpointer  name)
{
  return gtk_widget_get_focusable (widget) && rounds_test_is_named (widget, name);
}

GtkWidget *
rounds_test_focus_dropdown (GtkWidget  *root,
                            const char *name)
{
  GtkWidget *widget = rounds_test_find_widget (root, is_focusable_named, name);
  GtkWidget *dropdown;

  if (widget == NULL)
    widget = rounds_test_find_widget (root, rounds_test_is_dropdown_named, name);
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_grab_focus (widget));
  rounds_test_spin ();
  dropdown = rounds_test_find_widget (root, rounds_test_is_dropdown_named, name);
  g_assert_nonnull (dropdown);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (root)),
                                         dropdown));
  return dropdown;
}

static gboolean
is_label_mapped (GtkWidget     *widget,
                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

void
rounds_test_assert_label_whole (GtkWidget  *root,
                                const char *text)
{
  GtkWidget *label = rounds_test_find_widget (root, is_label_mapped, text);
  PangoLayout *layout;
  PangoRectangle ink, logical;
  int x, y;

  g_assert_nonnull (label);
  layout = gtk_label_get_layout (GTK_LABEL (label));
  gtk_label_get_layout_offsets (GTK_LABEL (label), &x, &y);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  g_test_message ("%s in %s", G_OBJECT_TYPE_NAME (label),
                  G_OBJECT_TYPE_NAME (gtk_widget_get_parent (gtk_widget_get_parent (label))));
  g_test_message ("“%s”: from %d, %d px wide (ink to %d), in %d px; %d lines", text, x,
                  logical.width, x + ink.x + ink.width, gtk_widget_get_width (label),
                  pango_layout_get_line_count (layout));
  g_assert_false (pango_layout_is_ellipsized (layout));
  g_assert_cmpint (x + logical.x + logical.width, <=, gtk_widget_get_width (label));
  /* A glyph's ink may overhang its advance by a pixel ("r", italics); no more. */
  g_assert_cmpint (x + ink.x + ink.width, <=, gtk_widget_get_width (label) + 1);
}

char *
rounds_test_text_of (GtkWidget *view)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
rounds_test_set_text (GtkWidget  *view,
                      const char *text)
{
  g_assert_true (GTK_IS_TEXT_VIEW (view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}
