/* rounds-insights-page.c: which model the clinicians prefer, and how far to trust the labels
 *
 * The page computes the figures of one dataset (or every dataset) in a thread, with a spinner
 * and Cancel, then shows the leaderboard, the win matrix, the rubric criteria, position bias
 * and time on task as charts, every figure as text below them, Copy Figures and Export
 * Report…. Annotators are pseudonyms, made as exports make them, until Show Names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-insights-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-export.h"
#include "rounds-insights-charts.h"
#include "rounds-insights-page.h"
#include "rounds-insights-report.h"
#include "rounds-widget-util-private.h"

struct _RoundsInsightsPage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkStack         *stack;
  GtkSpinner       *spinner;
  AdwStatusPage    *stopped_page;
  GtkLabel         *summary_label;
  GtkToggleButton  *names_toggle;
  GtkBox           *charts_box;
  GtkLabel         *text_label;

  /* Borrowed */
  RoundsStore      *store;

  /* Owned */
  char            **datasets;        /* %NULL for every dataset */
  RoundsInsights   *insights;
  GHashTable       *pseudonyms;
  GCancellable     *cancellable;     /* of the computation in flight, %NULL when none is */

  /* The charts, in kind order, children of charts_box */
  GtkWidget        *charts[ROUNDS_INSIGHTS_N_CHARTS];
};

G_DEFINE_FINAL_TYPE (RoundsInsightsPage, rounds_insights_page, GTK_TYPE_WIDGET)

/* The names the figures show: pseudonyms, unless Show Names is on. */
static GHashTable *
shown_names (RoundsInsightsPage *self)
{
  return gtk_toggle_button_get_active (self->names_toggle) ? NULL : self->pseudonyms;
}

static void
set_charts (RoundsInsightsPage *self)
{
  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    rounds_insights_chart_set_insights (ROUNDS_INSIGHTS_CHART (self->charts[kind]),
                                        self->insights, shown_names (self));
}

static void
show_figures (RoundsInsightsPage *self)
{
  g_autofree char *text = NULL;
  char *end;

  set_charts (self);
  text = rounds_insights_describe (self->insights, shown_names (self));
  gtk_label_set_text (self->text_label, text);
  /* The summary is the text's head: what was counted and how. */
  if ((end = strstr (text, "\n\n")) != NULL)
    *end = '\0';
  gtk_label_set_text (self->summary_label, text);
  gtk_stack_set_visible_child_name (self->stack, "figures");
}

static void
clear_insights (RoundsInsightsPage *self)
{
  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    if (self->charts[kind] != NULL)
      rounds_insights_chart_set_insights (ROUNDS_INSIGHTS_CHART (self->charts[kind]), NULL, NULL);
  g_clear_pointer (&self->insights, rounds_insights_free);
  g_clear_pointer (&self->pseudonyms, g_hash_table_unref);
}

static void
show_stopped (RoundsInsightsPage *self,
              const char         *title,
              const char         *description)
{
  gtk_spinner_stop (self->spinner);
  adw_status_page_set_title (self->stopped_page, title);
  adw_status_page_set_description (self->stopped_page, description);
  gtk_stack_set_visible_child_name (self->stack, "stopped");
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RoundsInsightsPage *self = user_data;
  g_autoptr(RoundsInsights) insights = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  /* Cancelled when the page went away, by Cancel or by a newer computation: then @self may
   * be gone, or has shown what it wants, so it is not touched. */
  insights = rounds_store_compute_insights_finish (ROUNDS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (insights == NULL)
    {
      show_stopped (self, _("No Figures"), error->message);
      return;
    }
  gtk_spinner_stop (self->spinner);
  /* The database's own key: the same pseudonyms as its exports. */
  if (!(key = rounds_store_get_pseudonym_key (self->store, &error)))
    {
      show_stopped (self, _("No Figures"), error->message);
      return;
    }
  if (insights->n_judgements == 0 && insights->n_verdicts == 0)
    {
      show_stopped (self, _("No Judgements Yet"),
                    _("The figures appear once annotators have submitted judgements."));
      return;
    }
  self->insights = g_steal_pointer (&insights);
  self->pseudonyms = rounds_insights_pseudonyms (self->insights, key);
  show_figures (self);
}

static void
compute (RoundsInsightsPage *self)
{
  RoundsInsightsOptions options;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_insights (self);
  if (self->store == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "computing");
  rounds_insights_options_init (&options);
  rounds_store_compute_insights_async (self->store, (const char *const *) self->datasets,
                                       &options, self->cancellable, on_computed, self);
}

/**
 * rounds_insights_page_load:
 * @datasets: (nullable): the datasets' names, %NULL for every dataset
 *
 * Computes the figures in a thread (see rounds_insights_page_get_loading()), then shows them.
 */
void
rounds_insights_page_load (RoundsInsightsPage *self,
                           RoundsStore        *store,
                           const char *const  *datasets)
{
  g_return_if_fail (ROUNDS_IS_INSIGHTS_PAGE (self));
  g_return_if_fail (ROUNDS_IS_STORE (store));

  self->store = store;
  g_strfreev (self->datasets);
  self->datasets = g_strdupv ((char **) datasets);
  gtk_toggle_button_set_active (self->names_toggle, FALSE);
  compute (self);
}

/* Whether the figures are being computed. */
gboolean
rounds_insights_page_get_loading (RoundsInsightsPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_INSIGHTS_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/* The figures shown, %NULL while none are. */
const RoundsInsights *
rounds_insights_page_get_insights (RoundsInsightsPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_INSIGHTS_PAGE (self), NULL);
  return self->insights;
}

/* The figures as the page shows them as text (and copies them). */
char *
rounds_insights_page_get_text (RoundsInsightsPage *self)
{
  g_return_val_if_fail (ROUNDS_IS_INSIGHTS_PAGE (self), NULL);
  return self->insights ? g_strdup (gtk_label_get_text (self->text_label)) : NULL;
}

/* The report of the figures shown, with the names shown (pseudonyms unless Show Names). */
gboolean
rounds_insights_page_write_report (RoundsInsightsPage  *self,
                                   const char          *path,
                                   GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (ROUNDS_IS_INSIGHTS_PAGE (self), FALSE);
  g_return_val_if_fail (self->insights != NULL, FALSE);

  return rounds_insights_write_pdf (self->insights, shown_names (self), now, path, error);
}

/* Actions ----------------------------------------------------------------------------- */

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsInsightsPage *self = ROUNDS_INSIGHTS_PAGE (widget);

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_stopped (self, _("Cancelled"), _("The figures were not computed."));
}

static void
compute_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  compute (ROUNDS_INSIGHTS_PAGE (widget));
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsInsightsPage *self = ROUNDS_INSIGHTS_PAGE (widget);
  g_autofree char *text = rounds_insights_page_get_text (self);

  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  _rounds_widget_toast (widget, _("Figures copied"));
}

static void
on_report_chosen (GtkNativeDialog    *chooser,
                  int                 response,
                  RoundsInsightsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->insights != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        _rounds_widget_toast (GTK_WIDGET (self),
                              _("The report can only be written to a local file"));
      else if (!rounds_insights_page_write_report (self, path, &error))
        _rounds_widget_toast (GTK_WIDGET (self), error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Report written: %s"), name);

          _rounds_widget_toast (GTK_WIDGET (self), message);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_report_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  RoundsInsightsPage *self = ROUNDS_INSIGHTS_PAGE (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;
  g_autofree char *name = NULL;

  if (self->insights == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export the Insights Report"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  name = g_strdup_printf ("insights-%s.pdf",
                          self->insights->datasets->len == 1
                            ? (const char *) self->insights->datasets->pdata[0] : "all");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_report_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_names_toggled (RoundsInsightsPage *self)
{
  if (self->insights != NULL)
    show_figures (self);
}

/* ------------------------------------------------------------------------------------- */

GtkWidget *
rounds_insights_page_new (void)
{
  return g_object_new (ROUNDS_TYPE_INSIGHTS_PAGE, NULL);
}

static void
rounds_insights_page_dispose (GObject *object)
{
  RoundsInsightsPage *self = ROUNDS_INSIGHTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _rounds_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_INSIGHTS_PAGE);
  memset (self->charts, 0, sizeof self->charts);
  clear_insights (self);
  g_clear_pointer (&self->datasets, g_strfreev);

  G_OBJECT_CLASS (rounds_insights_page_parent_class)->dispose (object);
}

static void
rounds_insights_page_class_init (RoundsInsightsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-insights-page.ui");
  object_class->dispose = rounds_insights_page_dispose;

  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, stopped_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, names_toggle);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, charts_box);
  gtk_widget_class_bind_template_child (widget_class, RoundsInsightsPage, text_label);

  gtk_widget_class_install_action (widget_class, "insights.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "insights.compute", NULL, compute_activated);
  gtk_widget_class_install_action (widget_class, "insights.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "insights.export-report", NULL,
                                   export_report_activated);
}

static void
rounds_insights_page_init (RoundsInsightsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint kind = 0; kind < ROUNDS_INSIGHTS_N_CHARTS; kind++)
    {
      GtkWidget *heading = gtk_label_new (rounds_insights_chart_kind_get_title (kind));

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "title-4");
      gtk_widget_set_margin_top (heading, kind > 0 ? 18 : 6);
      gtk_box_append (self->charts_box, heading);
      self->charts[kind] = rounds_insights_chart_new (kind);
      gtk_box_append (self->charts_box, self->charts[kind]);
    }
  g_signal_connect_swapped (self->names_toggle, "toggled", G_CALLBACK (on_names_toggled), self);
}
