/* rounds-dataset-row.c: one dataset in the list: its title, progress and a way to review it
 *
 * The row activates win.open-dataset, its Review button win.review-dataset, its Insights
 * button win.show-insights and its Generate button win.generate-responses, all with the
 * dataset's name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-dataset-row"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-count.h"
#include "rounds-dataset-row.h"
#include "rounds-widget-util-private.h"

struct _RoundsDatasetRow
{
  AdwActionRow  parent_instance;

  /* Template widgets */
  GtkLevelBar  *level;
  GtkWidget    *review_button;
  GtkWidget    *insights_button;
  GtkWidget    *generate_button;
};

G_DEFINE_FINAL_TYPE (RoundsDatasetRow, rounds_dataset_row, ADW_TYPE_ACTION_ROW)

/* @profile: who is working: a reviewer gets the Review button, a reviewer or a curator the
 * Insights button, a curator the Generate button where items await responses */
GtkWidget *
rounds_dataset_row_new (RoundsDataset        *dataset,
                        const RoundsProgress *progress,
                        RoundsProfile        *profile)
{
  RoundsDatasetRow *self = g_object_new (ROUNDS_TYPE_DATASET_ROW, NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *done = rounds_format_count (progress->n_mine);
  g_autofree char *to_do = rounds_format_count (progress->n_mine_open);
  g_autofree char *submitted = rounds_format_count (progress->n_submitted);
  g_autofree char *wanted = rounds_format_counted (progress->n_wanted, "%s judgement",
                                                   "%s judgements");

  /* TRANSLATORS: progress of a dataset: mine, then everyone's: how many of how many
   * judgements ("40 judgements"), and the annotators wanted per item */
  subtitle = g_strdup_printf (_("Mine: %s done, %s to do · Everyone: %s of %s (%u per item)"),
                              done, to_do, submitted, wanted,
                              rounds_dataset_get_overlap (dataset));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), rounds_dataset_get_title (dataset));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", rounds_dataset_get_name (dataset));
  gtk_level_bar_set_value (self->level, progress->n_wanted
                                          ? (double) progress->n_submitted / progress->n_wanted
                                          : 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->review_button), "s",
                                    rounds_dataset_get_name (dataset));
  gtk_widget_set_visible (self->review_button,
                          rounds_profile_has_role (profile, ROUNDS_ROLE_REVIEWER));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->insights_button), "s",
                                    rounds_dataset_get_name (dataset));
  gtk_widget_set_visible (self->insights_button, _rounds_profile_may_see_insights (profile));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->generate_button), "s",
                                    rounds_dataset_get_name (dataset));
  gtk_widget_set_visible (self->generate_button,
                          progress->n_awaiting > 0 &&
                          rounds_profile_has_role (profile, ROUNDS_ROLE_CURATOR));
  return GTK_WIDGET (self);
}

static void
rounds_dataset_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ROUNDS_TYPE_DATASET_ROW);

  G_OBJECT_CLASS (rounds_dataset_row_parent_class)->dispose (object);
}

static void
rounds_dataset_row_class_init (RoundsDatasetRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_dataset_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-dataset-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsDatasetRow, level);
  gtk_widget_class_bind_template_child (widget_class, RoundsDatasetRow, review_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsDatasetRow, insights_button);
  gtk_widget_class_bind_template_child (widget_class, RoundsDatasetRow, generate_button);
}

static void
rounds_dataset_row_init (RoundsDatasetRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
