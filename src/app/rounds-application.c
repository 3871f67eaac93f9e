/* rounds-application.c: the Rounds application: its store, its actions, its windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-application"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-application.h"
#include "rounds-renderer-private.h"
#include "rounds-window.h"

struct _RoundsApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  char           *dataset;
  char           *review;
  char           *insights;
  RoundsStore    *store;
};

G_DEFINE_FINAL_TYPE (RoundsApplication, rounds_application, ADW_TYPE_APPLICATION)

RoundsApplication *
rounds_application_new (void)
{
  return g_object_new (ROUNDS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

static int
rounds_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  RoundsApplication *self = ROUNDS_APPLICATION (app);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("rounds %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "db", "^&ay", &path))
    self->db_path = g_strdup (path);
  g_variant_dict_lookup (options, "dataset", "s", &self->dataset);
  g_variant_dict_lookup (options, "review", "s", &self->review);
  g_variant_dict_lookup (options, "insights", "s", &self->insights);
  return -1;
}

/* For build-aux/bench workstation: with ROUNDS_BENCH_FIRST_FRAME set, the monotonic time of
 * the first frame painted with an item on the compare page goes to standard output, with the
 * renderer that painted it (the bench checks the minimal window's was the same), and the
 * app quits. */
static void
on_bench_after_paint (GdkFrameClock *clock,
                      RoundsWindow  *window)
{
  if (g_strcmp0 (rounds_window_get_page (window), "compare") != 0)
    return;
  g_signal_handlers_disconnect_by_func (clock, on_bench_after_paint, window);
  g_print ("first-frame %" G_GINT64_FORMAT "\nrenderer %s\n", g_get_monotonic_time (),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));
}

static void
rounds_application_activate (GApplication *app)
{
  RoundsApplication *self = ROUNDS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    {
      if (self->store == NULL)
        {
          g_autofree char *path = self->db_path ? g_strdup (self->db_path)
                                                : rounds_store_default_path ();

          self->store = rounds_store_open (path, &error);
        }
      window = GTK_WINDOW (rounds_window_new (self, self->store, error));
      if (self->dataset == NULL)
        {
          g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
          g_autofree char *preferred = g_settings_get_string (settings, "default-dataset");

          if (*preferred != '\0')
            self->dataset = g_steal_pointer (&preferred);
          /* Else the dataset that was open when Rounds last closed or was stopped: its
           * queue starts at the item with the draft. */
          else if (self->review == NULL && self->insights == NULL)
            {
              g_autofree char *open = g_settings_get_string (settings, "open-dataset");

              if (*open != '\0')
                self->dataset = g_steal_pointer (&open);
            }
        }
      if (self->store != NULL && self->dataset != NULL)
        {
          g_autoptr(RoundsProfile) profile = rounds_store_get_current_profile (self->store);

          /* At first start the profile comes first. */
          if (profile != NULL)
            rounds_window_open_dataset (ROUNDS_WINDOW (window), self->dataset);
        }
      if (self->store != NULL && self->review != NULL &&
          !rounds_window_review_dataset (ROUNDS_WINDOW (window), self->review, &error))
        g_printerr ("rounds: %s\n", error->message);
      g_clear_error (&error);
      if (self->store != NULL && self->insights != NULL &&
          !rounds_window_show_insights (ROUNDS_WINDOW (window), self->insights, &error))
        g_printerr ("rounds: %s\n", error->message);
    }
  gtk_window_present (window);
  if (g_getenv ("ROUNDS_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                             G_CALLBACK (on_bench_after_paint), window, 0);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Rounds developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Rounds"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Judge language-model answers to clinical scenarios"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "website", "https://github.com/rounds/rounds",
                         "issue-url", "https://github.com/rounds/rounds/issues",
                         "copyright", "© 2026 The Rounds developers",
                         /* TRANSLATORS: your name(s), one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing each window first lets it keep its draft. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "quit", quit_activated },
};

static const struct
{
  const char *action;
  const char *accels[4];   /* NULL-terminated */
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.submit", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "win.show-datasets", { "<Alt>Home", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.import", { "<Control>o", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.show-insights('')", { "<Control>i", NULL } },
  { "win.sync", { "<Control>r", NULL } },
  { "win.preferences", { "<Control>comma", NULL } },
  { "win.show-help-overlay", { "<Control>question", "question", NULL } },
  { "win.zoom-reset", { "<Control>0", NULL } },
};

static void
rounds_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (rounds_application_parent_class)->startup (app);

  /* Before the first window is realized, which makes GTK choose its renderer. */
  if (gdk_display_get_default () != NULL)
    _rounds_renderer_init (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), app_accels[i].action,
                                           app_accels[i].accels);
}

static void
rounds_application_finalize (GObject *object)
{
  RoundsApplication *self = ROUNDS_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->dataset, g_free);
  g_clear_pointer (&self->review, g_free);
  g_clear_pointer (&self->insights, g_free);

  G_OBJECT_CLASS (rounds_application_parent_class)->finalize (object);
}

static void
rounds_application_class_init (RoundsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rounds_application_finalize;
  app_class->handle_local_options = rounds_application_handle_local_options;
  app_class->activate = rounds_application_activate;
  app_class->startup = rounds_application_startup;
}

static void
rounds_application_init (RoundsApplication *self)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("The local database (default: ~/.local/share/rounds/rounds.db)"), N_("PATH") },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open this dataset at the next item"), N_("NAME") },
    { "review", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the review of this dataset’s disagreements (reviewers)"), N_("NAME") },
    { "insights", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the insights of this dataset (reviewers and curators)"), N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
