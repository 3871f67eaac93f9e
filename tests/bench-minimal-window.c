/* bench-minimal-window.c: the floor under Rounds' start: a libadwaita window and a label
 *
 * What build-aux/bench workstation compares Rounds' cold start and peak memory with: an
 * AdwApplication (non-unique, as Rounds is) whose AdwApplicationWindow, of Rounds' default
 * size, holds a header bar and a label. It prints the monotonic time of its first painted
 * frame and the renderer that painted it, as Rounds does with ROUNDS_BENCH_FIRST_FRAME, and
 * quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  g_print ("first-frame %" G_GINT64_FORMAT "\nrenderer %s\n", g_get_monotonic_time (),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("A 67-year-old asks whether she may take ibuprofen.");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 820);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (on_after_paint), window, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.rounds.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
