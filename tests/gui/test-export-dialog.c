/* test-export-dialog.c: exporting the demo's rated pairs from the window, as a data engineer does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "rounds-application.h"
#include "rounds-export-dialog.h"
#include "rounds-importer.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

#define DEMO_DATASET "clinical-ethics-demo"

typedef struct
{
  RoundsTestWindow    base;
  RoundsExportDialog *dialog;    /* weak */
} Fixture;

static gboolean
counted (Fixture *fixture)
{
  return rounds_export_dialog_get_n_records (fixture->dialog) >= 0;
}

static gboolean
exported (Fixture *fixture)
{
  return !rounds_export_dialog_is_exporting (fixture->dialog);
}

static gboolean
dialog_gone (Fixture *fixture)
{
  return fixture->dialog == NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rounds_test_window_set_up_demo (&fixture->base, "dr-data", "Dr Data", ROUNDS_ROLE_CURATOR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  /* The dialog is freed once its last count or export has come back. */
  rounds_test_wait_until ((RoundsTestCondition) dialog_gone, fixture, 30);
  rounds_test_window_tear_down (&fixture->base, data);
}

/* Ctrl+E's action opens the dialog over the window; it counts at once. */
static void
open_dialog (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.export",
                                             NULL));
  fixture->dialog = (RoundsExportDialog *) rounds_test_find_toplevel (ROUNDS_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (fixture->dialog);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture->dialog)) ==
                 GTK_WINDOW (fixture->base.window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (fixture->dialog)));
  rounds_test_wait_until ((RoundsTestCondition) counted, fixture, 30);
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  GtkWidget *row = rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                            rounds_test_is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static void
export (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "export.run", NULL));
  g_assert_true (rounds_export_dialog_is_exporting (fixture->dialog));
  rounds_test_wait_until ((RoundsTestCondition) exported, fixture, 30);
  rounds_test_spin ();
}

/* Lines of a JSONL file, each checked to be an object. */
static guint
count_records (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        g_assert_true (g_str_has_prefix (lines[i], "{"));
        n++;
      }
  return n;
}

/* The count appears on its own, and Export writes exactly that many records. */
static void
test_preview_then_export (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "pairs.jsonl", NULL);
  g_autofree char *shown = NULL;
  const RoundsExportSummary *summary;
  gint64 n;

  open_dialog (fixture);
  n = rounds_export_dialog_get_n_records (fixture->dialog);
  g_test_message ("preview: %" G_GINT64_FORMAT " records", n);
  g_assert_cmpint (n, >, 0);
  /* What the person reads, not only what the dialog knows. */
  shown = g_strdup_printf ("%" G_GINT64_FORMAT " records", n);
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_starting, shown));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->dialog)));

  rounds_export_dialog_set_path (fixture->dialog, path);
  export (fixture);
  g_assert_null (rounds_export_dialog_get_error (fixture->dialog));
  summary = rounds_export_dialog_get_summary (fixture->dialog);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->n_written, ==, (guint64) n);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_records (path), ==, (guint) n);
}

/* Opened on a dataset, the dialog offers that dataset; a stricter threshold counts again. */
static void
test_current_dataset_and_live_count (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkWidget *dataset_row;
  GtkWidget *agreement;
  gint64 all, strict;

  rounds_window_open_dataset (fixture->base.window, DEMO_DATASET);
  rounds_test_spin ();
  open_dialog (fixture);
  dataset_row = find_row (fixture, "Dataset");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dataset_row)), ==, 1);
  all = rounds_export_dialog_get_n_records (fixture->dialog);
  g_assert_cmpint (all, >, 0);

  /* Every annotator must agree on the direction: the demo has disagreements. */
  agreement = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (find_row (fixture,
                                                                               "Minimum "
                                                                               "agreement")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (agreement), 1.0);
  g_assert_cmpint (rounds_export_dialog_get_n_records (fixture->dialog), ==, -1);
  rounds_test_wait_until ((RoundsTestCondition) counted, fixture, 30);
  strict = rounds_export_dialog_get_n_records (fixture->dialog);
  g_test_message ("all %" G_GINT64_FORMAT ", full agreement %" G_GINT64_FORMAT, all, strict);
  g_assert_cmpint (strict, <, all);
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_containing, "items skipped"));
}

/* A test share writes two files, named from the chosen one, that hold every record once. */
static void
test_split (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "pairs.jsonl", NULL);
  g_autofree char *train = g_build_filename (fixture->base.dir, "pairs.train.jsonl", NULL);
  g_autofree char *test = g_build_filename (fixture->base.dir, "pairs.test.jsonl", NULL);
  const RoundsExportSummary *summary;
  GtkWidget *share;
  gint64 n;

  open_dialog (fixture);
  share = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (find_row (fixture, "Test share")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (share), 0.5);
  rounds_test_wait_until ((RoundsTestCondition) counted, fixture, 30);
  n = rounds_export_dialog_get_n_records (fixture->dialog);
  g_assert_cmpint (n, >, 0);

  rounds_export_dialog_set_path (fixture->dialog, path);
  export (fixture);
  g_assert_null (rounds_export_dialog_get_error (fixture->dialog));
  summary = rounds_export_dialog_get_summary (fixture->dialog);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->n_written, ==, (guint64) n);
  g_assert_cmpuint (summary->n_test, >, 0);
  g_assert_cmpuint (summary->n_test, <, summary->n_written);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_records (train) + count_records (test), ==, (guint) n);
  g_assert_cmpuint (count_records (test), ==, (guint) summary->n_test);
}

static void
import_text (Fixture    *fixture,
             const char *jsonl)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "import.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, jsonl, -1, &error);
  g_assert_no_error (error);
  rounds_importer_run (importer, fixture->base.store, file, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Enough judged items that an export takes a while, so Cancel comes before the end: the
 * demo alone is written before the worker thread can see a cancel, and then the export
 * rightly reports that it was written. */
static void
import_bulk (Fixture *fixture,
             guint    n_items)
{
  g_autoptr(GString) text = g_string_new ("{\"type\": \"dataset\", \"id\": \"bulk\"}\n");

  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (text,
                            "{\"id\": \"b%u\", \"scenario\": \"Bulk scenario %u\", \"responses\": "
                            "[{\"text\": \"A%u\"}, {\"text\": \"B%u\"}]}\n"
                            "{\"type\": \"judgement\", \"item\": \"b%u\", \"annotator\": "
                            "\"dr-bulk\", \"preference\": -1}\n",
                            i, i, i, i, i);
  import_text (fixture, text->str);
}

/* Cancel leaves no file behind and says so. */
static void
test_cancel_writes_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "pairs.jsonl", NULL);

  import_bulk (fixture, 20000);
  open_dialog (fixture);
  rounds_export_dialog_set_path (fixture->dialog, path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "export.run", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "export.cancel", NULL));
  rounds_test_wait_until ((RoundsTestCondition) exported, fixture, 30);
  rounds_test_spin ();
  g_assert_null (rounds_export_dialog_get_error (fixture->dialog));
  g_assert_null (rounds_export_dialog_get_summary (fixture->dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_starting, "Export cancelled"));
}

/* A file that cannot be written is named in the dialog, in the core's words. */
static void
test_error_shown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->base.dir, "no-such-folder", "pairs.jsonl",
                                            NULL);
  const char *error;

  open_dialog (fixture);
  rounds_export_dialog_set_path (fixture->dialog, path);
  export (fixture);
  error = rounds_export_dialog_get_error (fixture->dialog);
  g_test_message ("error: %s", error);
  g_assert_nonnull (error);
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_starting, error));
  g_assert_null (rounds_export_dialog_get_summary (fixture->dialog));
}

/* Every format is named in full, in the row and in its popup: libadwaita's own items stop
 * at 20 characters ("TRL preference (pro…"). */
static gboolean
is_popover (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_POPOVER (widget);
}

static void
test_format_names_whole (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *format_row;
  GtkWidget *popup;

  open_dialog (fixture);
  format_row = find_row (fixture, "Format");
  rounds_test_wait_frames (format_row);
  rounds_test_assert_label_whole (format_row, rounds_export_format_get_label (ROUNDS_EXPORT_TRL));
  adw_action_row_activate (ADW_ACTION_ROW (format_row));
  rounds_test_wait_frames (format_row);
  for (guint f = 0; f < ROUNDS_EXPORT_N_FORMATS; f++)
    rounds_test_assert_label_whole (format_row, rounds_export_format_get_label (f));
  popup = rounds_test_find_widget (format_row, is_popover, NULL);
  g_assert_nonnull (popup);
  gtk_popover_popdown (GTK_POPOVER (popup));
  rounds_test_wait_frames (format_row);
}

/* Ties can be left out only where a format can hold one; elsewhere the row says why not. */
static void
test_ties_only_where_possible (Fixture       *fixture,
                               gconstpointer  data)
{
  AdwComboRow *format_row;
  GtkWidget *ties_row;
  g_autofree char *csv_subtitle = NULL;

  open_dialog (fixture);
  format_row = ADW_COMBO_ROW (find_row (fixture, "Format"));
  ties_row = find_row (fixture, "Ties");
  adw_combo_row_set_selected (format_row, ROUNDS_EXPORT_CSV);
  g_assert_true (gtk_widget_is_sensitive (ties_row));
  csv_subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (ties_row)));
  for (guint f = 0; f < ROUNDS_EXPORT_N_FORMATS; f++)
    {
      const char *subtitle;

      adw_combo_row_set_selected (format_row, f);
      subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (ties_row));
      g_test_message ("%s: %s", rounds_export_format_to_string (f), subtitle);
      g_assert_cmpint (gtk_widget_is_sensitive (ties_row), ==, f == ROUNDS_EXPORT_CSV);
      g_assert_cmpint (g_strcmp0 (subtitle, csv_subtitle) == 0, ==, f == ROUNDS_EXPORT_CSV);
    }
}

/* One annotator's judgement is no consensus: the dialog asks for two, as rounds-cli does, and
 * an item that one person judged is left out for it. */
static void
test_two_annotators_by_default (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *annotators;
  gint64 by_default, with_one;

  /* An open item of the demo, judged by one annotator only. */
  import_text (fixture, "{\"type\": \"judgement\", \"dataset\": \"" DEMO_DATASET "\", "
                        "\"item\": \"en-11\", \"annotator\": \"dr-one\", \"status\": "
                        "\"submitted\", \"ranking\": {\"a\": 1, \"b\": 2, \"c\": 3}}\n");
  open_dialog (fixture);
  annotators = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (find_row (fixture,
                                                                                "Minimum "
                                                                                "annotators")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (annotators)), ==, 2);
  g_assert_cmpint (ROUNDS_EXPORT_DEFAULT_MIN_ANNOTATORS, ==, 2);
  by_default = rounds_export_dialog_get_n_records (fixture->dialog);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (annotators), 1);
  rounds_test_wait_until ((RoundsTestCondition) counted, fixture, 30);
  with_one = rounds_export_dialog_get_n_records (fixture->dialog);
  g_test_message ("two annotators: %" G_GINT64_FORMAT " records, one: %" G_GINT64_FORMAT,
                  by_default, with_one);
  g_assert_cmpint (by_default, <, with_one);
}

int
main (int    argc,
      char **argv)
{
  rounds_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rounds/export-dialog/preview-then-export", test_preview_then_export);
  ADD ("/rounds/export-dialog/current-dataset-and-live-count", test_current_dataset_and_live_count);
  ADD ("/rounds/export-dialog/split", test_split);
  ADD ("/rounds/export-dialog/cancel-writes-nothing", test_cancel_writes_nothing);
  ADD ("/rounds/export-dialog/error-shown", test_error_shown);
  ADD ("/rounds/export-dialog/format-names-whole", test_format_names_whole);
  ADD ("/rounds/export-dialog/ties-only-where-possible", test_ties_only_where_possible);
  ADD ("/rounds/export-dialog/two-annotators-by-default", test_two_annotators_by_default);
#undef ADD

  return rounds_test_gui_run ();
}
