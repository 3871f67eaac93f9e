/* rounds-export-dialog.c: export rated pairs for training, with a live count of the records
 *
 * Every change of an option counts again, off the main thread, what the export would
 * write, so that the data engineer sees what a threshold costs before writing anything.
 * Only the newest count is shown: each new one cancels the one before. The export itself
 * runs on a connection of its own and writes to a temporary file that the core renames at
 * the end, so Cancel leaves nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-count.h"
#include "rounds-export-dialog.h"
#include "rounds-judgement.h"
#include "rounds-widget-util-private.h"

/* Options change in bursts (a spin button held down, a value typed): count once they rest. */
#define COUNT_DELAY_MS 150

struct _RoundsExportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  GtkWidget            *options_page;
  AdwComboRow          *format_row;
  AdwComboRow          *dataset_row;
  AdwComboRow          *rule_row;
  AdwActionRow         *annotators_row;
  GtkSpinButton        *annotators_spin;
  AdwActionRow         *agreement_row;
  GtkSpinButton        *agreement_spin;
  AdwActionRow         *margin_row;
  GtkSpinButton        *margin_spin;
  AdwActionRow         *adjudicated_row;
  GtkSwitch            *adjudicated_switch;
  AdwActionRow         *ties_row;
  GtkSwitch            *ties_switch;
  AdwActionRow         *unsafe_row;
  GtkSwitch            *unsafe_switch;
  GtkWidget            *kto_group;
  AdwComboRow          *kto_rule_row;
  AdwActionRow         *kto_score_row;
  GtkSpinButton        *kto_score_spin;
  AdwActionRow         *reference_row;
  GtkSwitch            *reference_switch;
  AdwActionRow         *guardian_row;
  GtkSwitch            *guardian_switch;
  AdwActionRow         *real_names_row;
  GtkSwitch            *real_names_switch;
  GtkWidget            *split_group;
  AdwActionRow         *test_share_row;
  GtkSpinButton        *test_share_spin;
  AdwActionRow         *seed_row;
  GtkSpinButton        *seed_spin;
  AdwActionRow         *file_row;
  GtkWidget            *cancel_button;
  GtkWidget            *export_button;
  AdwStatusPage        *done_page;
  GtkLabel             *summary_label;
  GtkLabel             *preview_label;
  GtkLabel             *message_label;
  GtkProgressBar       *progress_bar;
  GtkWidget            *status_box;

  /* Owned */
  char                 *db_path;
  char                 *actor;
  GPtrArray            *dataset_names;      /* char *, dataset_row position - 1 */
  char                 *path;
  char                 *export_path;        /* as @path when the last export started */
  RoundsExportFormat    format;             /* of the name suggested for @path */
  guint                 count_timeout_id;
  GCancellable         *count_cancellable;  /* of the newest count */
  GCancellable         *export_cancellable; /* while an export runs */
  gint64                n_records;          /* of the newest count, -1 until it is known */
  gboolean              options_valid;
  RoundsExportOptions   export_options;     /* of the running or last export */
  RoundsExportSummary   summary;
  gboolean              has_summary;
  char                 *error;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (RoundsExportDialog, rounds_export_dialog, ADW_TYPE_WINDOW)

static void schedule_count (RoundsExportDialog *self);

/* Options ---------------------------------------------------------------------------- */

static char *
suggested_name (RoundsExportFormat format)
{
  return g_strdup_printf ("rounds-%s.%s", rounds_export_format_to_string (format),
                          rounds_export_format_get_extension (format));
}

static RoundsExportFormat
selected_format (RoundsExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected < ROUNDS_EXPORT_N_FORMATS ? (RoundsExportFormat) selected : ROUNDS_EXPORT_TRL;
}

/* The full archive is never split: it is for keeping, not for training. */
static double
test_share (RoundsExportDialog *self)
{
  if (selected_format (self) == ROUNDS_EXPORT_FULL)
    return 0;
  return gtk_spin_button_get_value (self->test_share_spin);
}

/* What the widgets say, over the core's defaults for what they do not show. */
static void
options_from_widgets (RoundsExportDialog  *self,
                      RoundsExportOptions *options)
{
  guint dataset = adw_combo_row_get_selected (self->dataset_row);

  rounds_export_options_init (options);
  options->format = selected_format (self);
  if (dataset != GTK_INVALID_LIST_POSITION && dataset > 0 && dataset <= self->dataset_names->len)
    {
      options->datasets = g_new0 (char *, 2);
      options->datasets[0] = g_strdup (g_ptr_array_index (self->dataset_names, dataset - 1));
    }
  options->rule = adw_combo_row_get_selected (self->rule_row) == 1 ? ROUNDS_CONSENSUS_MAJORITY
                                                                   : ROUNDS_CONSENSUS_MEAN;
  options->min_annotators = (guint) gtk_spin_button_get_value_as_int (self->annotators_spin);
  options->min_agreement = gtk_spin_button_get_value (self->agreement_spin);
  options->min_margin = gtk_spin_button_get_value (self->margin_spin);
  options->only_adjudicated = gtk_switch_get_active (self->adjudicated_switch);
  options->exclude_ties = gtk_switch_get_active (self->ties_switch);
  options->exclude_flags = (options->exclude_flags & ~(guint) ROUNDS_FLAG_UNSAFE) |
                           (gtk_switch_get_active (self->unsafe_switch) ? ROUNDS_FLAG_UNSAFE : 0);
  options->kto_rule = adw_combo_row_get_selected (self->kto_rule_row) == 1 ? ROUNDS_KTO_SCORE
                                                                          : ROUNDS_KTO_WINNER;
  options->kto_min_score = gtk_spin_button_get_value (self->kto_score_spin);
  options->include_reference = gtk_switch_get_active (self->reference_switch);
  options->include_guardian = gtk_switch_get_active (self->guardian_switch);
  options->real_names = gtk_switch_get_active (self->real_names_switch);
  options->test_fraction = test_share (self);
  options->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  g_free (options->actor);
  options->actor = g_strdup (self->actor);
}

static void
widgets_from_options (RoundsExportDialog        *self,
                      const RoundsExportOptions *options)
{
  adw_combo_row_set_selected (self->format_row, options->format);
  adw_combo_row_set_selected (self->rule_row, options->rule == ROUNDS_CONSENSUS_MAJORITY ? 1 : 0);
  gtk_spin_button_set_value (self->annotators_spin, options->min_annotators);
  gtk_spin_button_set_value (self->agreement_spin, options->min_agreement);
  gtk_spin_button_set_value (self->margin_spin, options->min_margin);
  gtk_switch_set_active (self->adjudicated_switch, options->only_adjudicated);
  gtk_switch_set_active (self->ties_switch, options->exclude_ties);
  gtk_switch_set_active (self->unsafe_switch, (options->exclude_flags & ROUNDS_FLAG_UNSAFE) != 0);
  adw_combo_row_set_selected (self->kto_rule_row, options->kto_rule == ROUNDS_KTO_SCORE ? 1 : 0);
  gtk_spin_button_set_value (self->kto_score_spin, options->kto_min_score);
  gtk_switch_set_active (self->reference_switch, options->include_reference);
  gtk_switch_set_active (self->guardian_switch, options->include_guardian);
  gtk_switch_set_active (self->real_names_switch, options->real_names);
  gtk_spin_button_set_value (self->test_share_spin, options->test_fraction);
  gtk_spin_button_set_value (self->seed_spin, (double) options->seed);
}

/* Status ----------------------------------------------------------------------------- */

static void
show_message (RoundsExportDialog *self,
              const char         *message,
              gboolean            is_error)
{
  _rounds_label_show_message (self->message_label, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
update_actions (RoundsExportDialog *self)
{
  gboolean exporting = self->export_cancellable != NULL;
  gboolean on_options = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "options") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.run",
                                 !exporting && self->options_valid && on_options);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-file", !exporting);
  gtk_widget_set_visible (self->cancel_button, exporting);
  gtk_widget_set_visible (self->export_button, on_options);
  gtk_widget_set_sensitive (self->options_page, !exporting);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), exporting);
  /* The summary on the done page says all the status bar would. */
  gtk_widget_set_visible (self->status_box, on_options);
}

static void
set_exporting (RoundsExportDialog *self,
               GCancellable       *cancellable)
{
  g_set_object (&self->export_cancellable, cancellable);
  update_actions (self);
}

/* "tied" when it is the only reason of its kind, "3 tied, 2 flagged" when there are more. */
static void
append_reasons (GString                   *text,
                const RoundsExportSummary *summary,
                gboolean                   items)
{
  guint n_reasons = 0;

  for (guint i = 0; i < ROUNDS_EXPORT_N_SKIPS; i++)
    n_reasons += rounds_export_skip_counts_items (i) == items && summary->n_skipped[i] > 0;
  for (guint i = 0, listed = 0; i < ROUNDS_EXPORT_N_SKIPS; i++)
    {
      if (rounds_export_skip_counts_items (i) != items || summary->n_skipped[i] == 0)
        continue;
      if (listed++ > 0)
        g_string_append (text, _(", "));
      if (n_reasons == 1)
        g_string_append (text, rounds_export_skip_get_label (i));
      else
        {
          g_autofree char *n = rounds_format_count (summary->n_skipped[i]);

          /* TRANSLATORS: how many were left out, and why: "3 tied" */
          g_string_append_printf (text, _("%s %s"), n, rounds_export_skip_get_label (i));
        }
    }
}

/* "N records (M items skipped: …; K records left out: …)", from a count or an export. */
static char *
describe_summary (const RoundsExportSummary *summary,
                  double                     test_fraction)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *written = rounds_format_count (summary->n_written);
  g_autofree char *n_test = rounds_format_count (summary->n_test);
  guint64 n_item_skips = 0, n_record_skips = 0;

  for (guint i = 0; i < ROUNDS_EXPORT_N_SKIPS; i++)
    {
      if (rounds_export_skip_counts_items (i))
        n_item_skips += summary->n_skipped[i];
      else
        n_record_skips += summary->n_skipped[i];
    }

  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE, "%s record", "%s records",
                                       summary->n_written),
                          written);
  if (test_fraction > 0)
    {
      g_string_append (text, _(", "));
      /* TRANSLATORS: of the records, how many go to the test file */
      g_string_append_printf (text, _("%s for testing"), n_test);
    }
  if (n_item_skips > 0)
    {
      g_autofree char *n = rounds_format_count (n_item_skips);

      g_string_append_printf (detail,
                              g_dngettext (GETTEXT_PACKAGE, "%s item skipped",
                                           "%s items skipped", n_item_skips),
                              n);
      g_string_append (detail, _(": "));
      append_reasons (detail, summary, TRUE);
    }
  if (n_record_skips > 0)
    {
      g_autofree char *n = rounds_format_count (n_record_skips);

      if (detail->len > 0)
        g_string_append (detail, _("; "));
      g_string_append_printf (detail,
                              g_dngettext (GETTEXT_PACKAGE, "%s record left out",
                                           "%s records left out", n_record_skips),
                              n);
      g_string_append (detail, _(": "));
      append_reasons (detail, summary, FALSE);
    }
  if (detail->len > 0)
    {
      g_autofree char *head = g_string_free (g_steal_pointer (&text), FALSE);

      /* TRANSLATORS: the records, then why others were left out, in brackets */
      return g_strdup_printf (_("%s (%s)"), head, detail->str);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The names to show of the training and test files that a split makes of @path. */
static void
split_display_names (const char  *path,
                     char       **train_name,
                     char       **test_name)
{
  g_autofree char *train = rounds_export_split_path (path, "train");
  g_autofree char *test = rounds_export_split_path (path, "test");

  *train_name = g_filename_display_name (train);
  *test_name = g_filename_display_name (test);
}

/* The file row says where the export goes: one file, or the two of a split. */
static void
update_file_row (RoundsExportDialog *self)
{
  g_autofree char *subtitle = NULL;

  if (self->path == NULL)
    subtitle = g_strdup (_("Not chosen yet: Export asks for it"));
  else if (test_share (self) > 0)
    {
      g_autofree char *train_name = NULL;
      g_autofree char *test_name = NULL;

      split_display_names (self->path, &train_name, &test_name);
      /* TRANSLATORS: the two files of a split: training, then test */
      subtitle = g_strdup_printf (_("%s and %s"), train_name, test_name);
    }
  else
    subtitle = g_filename_display_name (self->path);
  adw_action_row_set_subtitle (self->file_row, subtitle);
}

/* The live count ---------------------------------------------------------------------- */

typedef struct
{
  RoundsExportDialog *self;
  GCancellable       *cancellable;
  double              test_fraction;
} CountRequest;

static void
count_request_free (CountRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CountRequest, count_request_free)

static void
on_counted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CountRequest) request = user_data;
  RoundsExportDialog *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  RoundsExportSummary summary = { 0 };
  gboolean ok = rounds_export_count_finish (result, &summary, &error);

  /* A newer count is on its way, or the dialog is gone. */
  if (self->disposed || request->cancellable != self->count_cancellable)
    return;
  g_clear_object (&self->count_cancellable);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->preview_label, "");
      show_message (self, error->message, TRUE);
      return;
    }

  text = describe_summary (&summary, request->test_fraction);
  gtk_label_set_text (self->preview_label, text);
  self->n_records = (gint64) summary.n_written;
}

static gboolean
count_now (gpointer user_data)
{
  RoundsExportDialog *self = user_data;
  RoundsExportOptions options;
  g_autoptr(GError) error = NULL;
  CountRequest *request;

  self->count_timeout_id = 0;
  /* Whatever the count before this one finds is out of date. */
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  options_from_widgets (self, &options);
  self->options_valid = rounds_export_options_check (&options, &error);
  update_actions (self);
  if (!self->options_valid)
    {
      gtk_label_set_text (self->preview_label, "");
      show_message (self, error->message, TRUE);
      rounds_export_options_clear (&options);
      return G_SOURCE_REMOVE;
    }
  if (self->export_cancellable == NULL)
    show_message (self, NULL, FALSE);

  self->count_cancellable = g_cancellable_new ();

  request = g_new0 (CountRequest, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->count_cancellable);
  request->test_fraction = options.test_fraction;
  gtk_label_set_text (self->preview_label, _("Counting…"));
  rounds_export_count_async (self->db_path, &options, self->count_cancellable,
                             on_counted, request);
  rounds_export_options_clear (&options);
  return G_SOURCE_REMOVE;
}

static void
schedule_count (RoundsExportDialog *self)
{
  self->n_records = -1;
  g_clear_handle_id (&self->count_timeout_id, g_source_remove);
  self->count_timeout_id = g_timeout_add (COUNT_DELAY_MS, count_now, self);
}

/* The Ties switch is offered only where a tie can be written, and says why it is not. */
static void
update_ties_row (RoundsExportDialog *self,
                 RoundsExportFormat  format)
{
  const char *subtitle;

  if (rounds_export_format_has_ties (format))
    subtitle = _("Pairs with no preferred response");
  else if (format == ROUNDS_EXPORT_FULL)
    subtitle = _("The full archive keeps every judgement as it was");
  else if (format == ROUNDS_EXPORT_KTO)
    subtitle = _("Unpaired labels have no ties: each response is desirable or not");
  else
    subtitle = _("Always left out: a pair in this format needs a chosen and a rejected response");
  gtk_widget_set_sensitive (GTK_WIDGET (self->ties_row), rounds_export_format_has_ties (format));
  adw_action_row_set_subtitle (self->ties_row, subtitle);
}

static void
on_option_changed (RoundsExportDialog *self)
{
  RoundsExportFormat format = selected_format (self);

  gtk_widget_set_visible (self->kto_group, format == ROUNDS_EXPORT_KTO);
  gtk_widget_set_sensitive (self->split_group, format != ROUNDS_EXPORT_FULL);
  update_ties_row (self, format);
  /* A name we suggested follows the format; a name the person typed stays. */
  if (format != self->format && self->path != NULL)
    {
      g_autofree char *old_name = suggested_name (self->format);
      g_autofree char *base = g_path_get_basename (self->path);

      if (g_str_equal (base, old_name))
        {
          g_autofree char *dir = g_path_get_dirname (self->path);
          g_autofree char *new_name = suggested_name (format);
          g_autofree char *path = g_build_filename (dir, new_name, NULL);

          rounds_export_dialog_set_path (self, path);
        }
    }
  self->format = format;
  update_file_row (self);
  schedule_count (self);
}

/* The export -------------------------------------------------------------------------- */

static GtkWidget *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast_overlay (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_export_progress (double   fraction,
                    gpointer user_data)
{
  RoundsExportDialog *self = user_data;

  if (!self->disposed && self->export_cancellable != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RoundsExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  RoundsExportSummary summary = { 0 };
  GtkWindow *parent;
  GtkWidget *overlay;

  if (!rounds_export_write_finish (result, &summary, &error))
    {
      if (self->disposed)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, _("Export cancelled: nothing was written"), FALSE);
      else
        {
          g_free (self->error);
          self->error = g_strdup (error->message);
          show_message (self, error->message, TRUE);
        }
      set_exporting (self, NULL);
      return;
    }
  if (self->disposed)
    return;

  self->summary = summary;
  self->has_summary = TRUE;
  text = rounds_export_summary_to_string (&summary, &self->export_options);
  gtk_label_set_text (self->summary_label, text);
  written = rounds_format_count (summary.n_written);
  path = g_filename_display_name (self->export_path);
  if (self->export_options.test_fraction > 0)
    {
      g_autofree char *train_name = NULL;
      g_autofree char *test_name = NULL;

      split_display_names (self->export_path, &train_name, &test_name);
      /* TRANSLATORS: the records written, then the training and test files */
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record in %s and %s",
                                                  "%s records in %s and %s", summary.n_written),
                                     written, train_name, test_name);
    }
  else
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record in %s",
                                                "%s records in %s", summary.n_written),
                                   written, path);
  adw_status_page_set_description (self->done_page, description);
  gtk_stack_set_visible_child_name (self->stack, "done");
  show_message (self, NULL, FALSE);
  update_actions (self);

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL && (overlay = find_toast_overlay (GTK_WIDGET (parent))) != NULL)
    {
      g_autofree char *toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Exported %s record",
                                                             "Exported %s records",
                                                             summary.n_written),
                                                written);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (toast));
    }
  set_exporting (self, NULL);
}

static void
start_export (RoundsExportDialog *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *test_path = NULL;

  g_assert (self->path != NULL);
  rounds_export_options_clear (&self->export_options);
  options_from_widgets (self, &self->export_options);
  if (!rounds_export_options_check (&self->export_options, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  if (self->export_options.test_fraction > 0)
    {
      path = rounds_export_split_path (self->path, "train");
      test_path = rounds_export_split_path (self->path, "test");
    }
  else
    path = g_strdup (self->path);
  g_free (self->export_path);
  self->export_path = g_strdup (self->path);

  g_clear_pointer (&self->error, g_free);
  show_message (self, NULL, FALSE);
  self->has_summary = FALSE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  set_exporting (self, cancellable);
  rounds_export_write_async (self->db_path, &self->export_options, path, test_path,
                             on_export_progress, self,
                             cancellable, on_exported, g_object_ref (self));
}

static void
on_file_chosen (GtkNativeDialog    *chooser,
                int                 response,
                RoundsExportDialog *self)
{
  gboolean then_export = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "then-export"));

  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          rounds_export_dialog_set_path (self, path);
          if (then_export && self->export_cancellable == NULL)
            start_export (self);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_file (RoundsExportDialog *self,
             gboolean            then_export)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE,
                                 then_export ? _("_Export") : _("_Select"),
                                 _("_Cancel"));
  g_autofree char *name = suggested_name (selected_format (self));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (self->path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);
      g_autofree char *base = g_path_get_basename (self->path);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
      g_free (name);
      name = g_steal_pointer (&base);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "then-export", GINT_TO_POINTER (then_export));
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions ----------------------------------------------------------------------------- */

/* export.run: writes the file, asking for it first when none is chosen. */
static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (widget);

  if (self->export_cancellable != NULL)
    return;
  if (self->path == NULL)
    choose_file (self, TRUE);
  else
    start_export (self);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
choose_file_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  choose_file (ROUNDS_EXPORT_DIALOG (widget), FALSE);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (widget);

  gtk_stack_set_visible_child_name (self->stack, "options");
  update_actions (self);
  schedule_count (self);
}

/* ------------------------------------------------------------------------------------- */

RoundsExportDialog *
rounds_export_dialog_new (GtkWindow     *parent,
                          RoundsStore   *store,
                          RoundsDataset *current,
                          const char    *actor)
{
  RoundsExportDialog *self;
  g_autoptr(GtkStringList) datasets = gtk_string_list_new (NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ROUNDS_IS_STORE (store), NULL);
  g_return_val_if_fail (current == NULL || ROUNDS_IS_DATASET (current), NULL);

  self = g_object_new (ROUNDS_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  /* The work runs on connections of its own: the store itself is not kept. */
  self->db_path = g_strdup (rounds_store_get_path (store));
  self->actor = g_strdup (actor);

  gtk_string_list_append (datasets, _("All datasets"));
  if ((list = rounds_store_list_datasets (store, &error)) == NULL)
    show_message (self, error->message, TRUE);
  for (guint i = 0; list != NULL && i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(RoundsDataset) dataset = g_list_model_get_item (list, i);
      const char *name = rounds_dataset_get_name (dataset);

      gtk_string_list_append (datasets, rounds_dataset_get_title (dataset));
      g_ptr_array_add (self->dataset_names, g_strdup (name));
      if (current != NULL && g_str_equal (name, rounds_dataset_get_name (current)))
        selected = i + 1;
    }
  adw_combo_row_set_model (self->dataset_row, G_LIST_MODEL (datasets));
  adw_combo_row_set_selected (self->dataset_row, selected);
  g_signal_connect_swapped (self->dataset_row, "notify::selected",
                            G_CALLBACK (on_option_changed), self);

  /* Count at once: the person opened the dialog to see this number. */
  g_clear_handle_id (&self->count_timeout_id, g_source_remove);
  count_now (self);
  return self;
}

const char *
rounds_export_dialog_get_path (RoundsExportDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_EXPORT_DIALOG (self), NULL);
  return self->path;
}

/* Where Export writes, without asking; with a split, the train and test files are made
 * from it by rounds_export_split_path(). */
void
rounds_export_dialog_set_path (RoundsExportDialog *self,
                               const char         *path)
{
  g_return_if_fail (ROUNDS_IS_EXPORT_DIALOG (self));

  if (path != NULL && *path == '\0')
    path = NULL;
  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_free (self->path);
  self->path = g_strdup (path);
  update_file_row (self);
}

/* The records the newest count found, or -1 while it runs. */
gint64
rounds_export_dialog_get_n_records (RoundsExportDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_EXPORT_DIALOG (self), -1);
  return self->n_records;
}

gboolean
rounds_export_dialog_is_exporting (RoundsExportDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_EXPORT_DIALOG (self), FALSE);
  return self->export_cancellable != NULL;
}

/* Why the last export failed, or %NULL. */
const char *
rounds_export_dialog_get_error (RoundsExportDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_EXPORT_DIALOG (self), NULL);
  return self->error;
}

/* What the last export wrote, or %NULL when none has finished. */
const RoundsExportSummary *
rounds_export_dialog_get_summary (RoundsExportDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_EXPORT_DIALOG (self), NULL);
  return self->has_summary ? &self->summary : NULL;
}

static gboolean
rounds_export_dialog_close_request (GtkWindow *window)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (window);

  /* Closing stops the export; the core leaves no partial file. */
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  return GTK_WINDOW_CLASS (rounds_export_dialog_parent_class)->close_request (window);
}

static void
rounds_export_dialog_dispose (GObject *object)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (object);

  self->disposed = TRUE;
  g_clear_handle_id (&self->count_timeout_id, g_source_remove);
  if (self->count_cancellable != NULL)
    g_cancellable_cancel (self->count_cancellable);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (rounds_export_dialog_parent_class)->dispose (object);
}

static void
rounds_export_dialog_finalize (GObject *object)
{
  RoundsExportDialog *self = ROUNDS_EXPORT_DIALOG (object);

  g_clear_pointer (&self->db_path, g_free);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->dataset_names, g_ptr_array_unref);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->export_path, g_free);
  g_clear_pointer (&self->error, g_free);
  rounds_export_options_clear (&self->export_options);

  G_OBJECT_CLASS (rounds_export_dialog_parent_class)->finalize (object);
}

static void
rounds_export_dialog_class_init (RoundsExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rounds_export_dialog_dispose;
  object_class->finalize = rounds_export_dialog_finalize;
  window_class->close_request = rounds_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, options_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, dataset_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, rule_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, annotators_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, annotators_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, agreement_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, agreement_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, margin_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, margin_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, adjudicated_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, adjudicated_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, ties_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, ties_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, unsafe_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, unsafe_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, kto_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, kto_rule_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, kto_score_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, kto_score_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, reference_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, reference_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, guardian_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, guardian_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, real_names_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, real_names_switch);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, split_group);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, test_share_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, test_share_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, seed_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, preview_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RoundsExportDialog, status_box);

  gtk_widget_class_install_action (widget_class, "export.run", NULL, run_activated);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "export.choose-file", NULL, choose_file_activated);
  gtk_widget_class_install_action (widget_class, "export.back", NULL, back_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rounds_export_dialog_init (RoundsExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);
  RoundsExportOptions defaults;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->dataset_names = g_ptr_array_new_with_free_func (g_free);
  self->n_records = -1;

  for (guint f = 0; f < ROUNDS_EXPORT_N_FORMATS; f++)
    gtk_string_list_append (formats, rounds_export_format_get_label (f));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  _rounds_combo_row_show_whole (self->format_row);
  _rounds_combo_row_show_whole (self->dataset_row);
  _rounds_combo_row_show_whole (self->rule_row);
  _rounds_combo_row_show_whole (self->kto_rule_row);

  rounds_export_options_init (&defaults);
  widgets_from_options (self, &defaults);
  self->format = defaults.format;
  gtk_widget_set_visible (self->kto_group, defaults.format == ROUNDS_EXPORT_KTO);
  update_ties_row (self, defaults.format);
  rounds_export_options_clear (&defaults);
  rounds_export_options_init (&self->export_options);
  update_file_row (self);
  update_actions (self);

  {
    AdwComboRow *combo_rows[] = { self->format_row, self->rule_row, self->kto_rule_row };

    /* Each control is named by its row, for screen readers. */
    const struct { AdwActionRow *row; GtkWidget *control; } rows[] = {
      { self->annotators_row, GTK_WIDGET (self->annotators_spin) },
      { self->agreement_row, GTK_WIDGET (self->agreement_spin) },
      { self->margin_row, GTK_WIDGET (self->margin_spin) },
      { self->adjudicated_row, GTK_WIDGET (self->adjudicated_switch) },
      { self->ties_row, GTK_WIDGET (self->ties_switch) },
      { self->unsafe_row, GTK_WIDGET (self->unsafe_switch) },
      { self->kto_score_row, GTK_WIDGET (self->kto_score_spin) },
      { self->reference_row, GTK_WIDGET (self->reference_switch) },
      { self->guardian_row, GTK_WIDGET (self->guardian_switch) },
      { self->real_names_row, GTK_WIDGET (self->real_names_switch) },
      { self->test_share_row, GTK_WIDGET (self->test_share_spin) },
      { self->seed_row, GTK_WIDGET (self->seed_spin) },
    };

    for (guint i = 0; i < G_N_ELEMENTS (combo_rows); i++)
      g_signal_connect_swapped (combo_rows[i], "notify::selected",
                                G_CALLBACK (on_option_changed), self);
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[i].row));
        const char *signal = GTK_IS_SPIN_BUTTON (rows[i].control) ? "value-changed"
                                                                  : "notify::active";

        gtk_accessible_update_property (GTK_ACCESSIBLE (rows[i].control),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
        g_signal_connect_swapped (rows[i].control, signal, G_CALLBACK (on_option_changed), self);
      }
  }
}
