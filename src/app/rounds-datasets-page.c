/* rounds-datasets-page.c: the datasets of this database, with my progress and everyone's
 *
 * The first dataset has the focus when the page is shown, so that Enter opens it (and not
 * whatever of the header had the focus last).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-datasets-page"

#include "config.h"

#include "rounds-dataset-row.h"
#include "rounds-datasets-page.h"
#include "rounds-widget-util-private.h"

struct _RoundsDatasetsPage
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkListBox *datasets_list;

  guint       focus_idle_id;
};

G_DEFINE_FINAL_TYPE (RoundsDatasetsPage, rounds_datasets_page, GTK_TYPE_WIDGET)

static void
focus_first_row (RoundsDatasetsPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->datasets_list, 0);

  if (first != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

static gboolean
focus_first_row_later (gpointer user_data)
{
  RoundsDatasetsPage *self = user_data;

  self->focus_idle_id = 0;
  focus_first_row (self);
  return G_SOURCE_REMOVE;
}

/* Once the page is on screen and settled: the stack's switch, which maps the page, may move
 * the focus after the page's own map handler has run. */
static void
on_map (RoundsDatasetsPage *self)
{
  focus_first_row (self);
  if (self->focus_idle_id == 0)
    self->focus_idle_id = g_idle_add (focus_first_row_later, self);
}

/* A row per dataset, with the progress of @profile; a Review button where @profile reviews,
 * an Insights button where @profile reviews or curates. */
gboolean
rounds_datasets_page_load (RoundsDatasetsPage  *self,
                           RoundsStore         *store,
                           RoundsProfile       *profile,
                           guint               *n_datasets,
                           GError             **error)
{
  g_autoptr(GListModel) datasets = NULL;

  g_return_val_if_fail (ROUNDS_IS_DATASETS_PAGE (self), FALSE);

  *n_datasets = 0;
  _rounds_widget_remove_children (GTK_WIDGET (self->datasets_list));
  if (!(datasets = rounds_store_list_datasets (store, error)))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(RoundsDataset) dataset = g_list_model_get_item (datasets, i);
      RoundsProgress progress = { 0 };

      rounds_store_get_progress (store, rounds_dataset_get_id (dataset),
                                 rounds_profile_get_user_name (profile), &progress, NULL);
      gtk_list_box_append (self->datasets_list,
                           rounds_dataset_row_new (dataset, &progress, profile));
    }
  *n_datasets = g_list_model_get_n_items (datasets);
  focus_first_row (self);
  return TRUE;
}

static void
rounds_datasets_page_dispose (GObject *object)
{
  RoundsDatasetsPage *self = ROUNDS_DATASETS_PAGE (object);

  g_clear_handle_id (&self->focus_idle_id, g_source_remove);
  _rounds_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_DATASETS_PAGE);

  G_OBJECT_CLASS (rounds_datasets_page_parent_class)->dispose (object);
}

static void
rounds_datasets_page_class_init (RoundsDatasetsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  _rounds_page_class_init (widget_class, RESOURCE_PREFIX "/ui/rounds-datasets-page.ui");
  G_OBJECT_CLASS (klass)->dispose = rounds_datasets_page_dispose;
  gtk_widget_class_bind_template_child (widget_class, RoundsDatasetsPage, datasets_list);
}

static void
rounds_datasets_page_init (RoundsDatasetsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}
