/* rounds-import-dialog.c: the progress of an import, with a way to cancel it
 *
 * The "cancel" response is the only one; whoever runs the import listens for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-import-dialog"

#include "config.h"

#include "rounds-import-dialog.h"

struct _RoundsImportDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkProgressBar   *progress;
};

G_DEFINE_FINAL_TYPE (RoundsImportDialog, rounds_import_dialog, ADW_TYPE_MESSAGE_DIALOG)

RoundsImportDialog *
rounds_import_dialog_new (GtkWindow  *parent,
                          const char *file_name)
{
  return g_object_new (ROUNDS_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       "body", file_name,
                       NULL);
}

void
rounds_import_dialog_set_fraction (RoundsImportDialog *self,
                                   double              fraction)
{
  g_return_if_fail (ROUNDS_IS_IMPORT_DIALOG (self));
  gtk_progress_bar_set_fraction (self->progress, fraction);
}

static void
rounds_import_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ROUNDS_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (rounds_import_dialog_parent_class)->dispose (object);
}

static void
rounds_import_dialog_class_init (RoundsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_import_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsImportDialog, progress);
}

static void
rounds_import_dialog_init (RoundsImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
