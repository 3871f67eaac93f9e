/* rounds-test-gui.h: what the window tests share: set-up, the main loop, finding widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-application.h"
#include "rounds-window.h"

G_BEGIN_DECLS

/* A window test's main () is:
 *
 *   rounds_test_gui_init (&argc, &argv);
 *   g_test_add ("/rounds/<unit>/<case>", ...);
 *   return rounds_test_gui_run ();
 *
 * Set the locale, if the test needs another, before rounds_test_gui_init (). */
void               rounds_test_gui_init             (int              *argc,
                                                     char           ***argv);
int                rounds_test_gui_run              (void);

/* The one application of the run: it is exported on the session bus once, by the first
 * call. Owned by the helper. */
RoundsApplication *rounds_test_gui_app              (void);
/* A window of rounds_test_gui_app () on @store, presented and drawn. */
RoundsWindow      *rounds_test_gui_open_window      (RoundsStore      *store);

/* The fixture of a window test: a fresh database in a temporary folder with @jsonl imported,
 * the annotator "dr-test" signed in, and a window on it. Set up with
 * rounds_test_window_set_up () from the test's own set-up function; the tear-down closes the
 * window, checks that the store is finalised and removes the folder. */
typedef struct
{
  char              *dir;
  char              *db_path;
  RoundsStore       *store;
  RoundsApplication *app;
  RoundsWindow      *window;
} RoundsTestWindow;

void               rounds_test_window_set_up        (RoundsTestWindow *fixture,
                                                     const char       *jsonl);
/* The same, signed in as @user_name (@display_name, @roles), or at a first start (no profile
 * at all) when @user_name is NULL. */
void               rounds_test_window_set_up_as     (RoundsTestWindow *fixture,
                                                     const char       *jsonl,
                                                     const char       *user_name,
                                                     const char       *display_name,
                                                     RoundsRoles       roles);
/* The same on the bundled demo (data/demo), with @user_name signed in with @roles. */
void               rounds_test_window_set_up_demo   (RoundsTestWindow *fixture,
                                                     const char       *user_name,
                                                     const char       *display_name,
                                                     RoundsRoles       roles);
void               rounds_test_window_tear_down     (RoundsTestWindow *fixture,
                                                     gconstpointer     data);
/* Activates a win.* action of @window, which must exist and be enabled, and runs what it
 * started; the second, on the fixture's window. */
void               rounds_test_activate             (RoundsWindow     *window,
                                                     const char       *action,
                                                     GVariant         *parameter);
void               rounds_test_window_activate      (RoundsTestWindow *fixture,
                                                     const char       *action,
                                                     GVariant         *parameter);
/* The first column of the first row of @sql, read from the database file as another process
 * would, with @param bound to ?1; NULL when there is no row or the value is NULL. */
char              *rounds_test_window_query         (RoundsTestWindow *fixture,
                                                     const char       *sql,
                                                     const char       *param);
/* Real input: gives @window the X input focus, then runs `xdotool @command…` (e.g. "key",
 * "alt+s", NULL or "type", "Dr Lin", NULL), which sends the keys through the X server (XTest)
 * as a keyboard would, and runs the main loop until they have arrived. */
void               rounds_test_xdotool              (GtkWindow        *window,
                                                     const char       *command,
                                                     ...) G_GNUC_NULL_TERMINATED;
/* Runs the main loop for two frames of @widget (mapped): its layout, and any scrolling it
 * asks for, are done then. */
void               rounds_test_wait_frames          (GtkWidget        *widget);
/* The widget that has the keyboard focus in @window. */
GtkWidget         *rounds_test_focus                (GtkWindow        *window);

/* The label of @root that shows @text (mapped) shows all of it: nothing ellipsized, and its
 * text inside the label's width (its ink to a pixel). */
void               rounds_test_assert_label_whole   (GtkWidget        *root,
                                                     const char       *text);

/* Runs the main loop until @condition (@data) holds, @seconds at most, and fails the test if
 * it does not hold then. */
typedef gboolean (*RoundsTestCondition) (gpointer data);

void               rounds_test_wait_until           (RoundsTestCondition  condition,
                                                     gpointer             data,
                                                     guint                seconds);
/* The same until @window has finished syncing (60 s at most), then runs what is pending. */
void               rounds_test_wait_synced          (RoundsWindow        *window);

/* Runs the main loop until the review page has loaded what it shows. */
void               rounds_test_window_wait_review   (RoundsTestWindow *fixture);

typedef gboolean (*RoundsTestMatch) (GtkWidget     *widget,
                                     gconstpointer  data);

void       rounds_test_spin                 (void);
/* The first toplevel window of @type (a dialog, say) on screen, or %NULL. */
GtkWidget *rounds_test_find_toplevel        (GType            type);
GtkWidget *rounds_test_find_widget          (GtkWidget       *root,
                                             RoundsTestMatch  match,
                                             gconstpointer    data);

/* Matches for rounds_test_find_widget (); @data is the text or action name. */
gboolean   rounds_test_is_row_titled        (GtkWidget       *widget,
                                             gconstpointer    title);
gboolean   rounds_test_is_button_labelled   (GtkWidget       *widget,
                                             gconstpointer    label);
gboolean   rounds_test_is_button_for_action (GtkWidget       *widget,
                                             gconstpointer    action_name);
gboolean   rounds_test_is_label_starting    (GtkWidget       *widget,
                                             gconstpointer    prefix);
gboolean   rounds_test_is_label_containing  (GtkWidget       *widget,
                                             gconstpointer    text);
/* @data is the accessible name, e.g. "Response A: Accuracy". */
gboolean   rounds_test_is_named             (GtkWidget       *widget,
                                             gconstpointer    name);
gboolean   rounds_test_is_dropdown_named    (GtkWidget       *widget,
                                             gconstpointer    name);
/* Gives the focus to the widget named @name under @root, as Tab would, and returns the
 * drop-down of that name that then has it: a rubric score not used yet is a button until it
 * takes the focus. */
GtkWidget *rounds_test_focus_dropdown       (GtkWidget       *root,
                                             const char      *name);

/* A multi-line field (GtkTextView): its whole text (free it), and set all of it. */
char      *rounds_test_text_of              (GtkWidget       *view);
void       rounds_test_set_text             (GtkWidget       *view,
                                             const char      *text);

G_END_DECLS
