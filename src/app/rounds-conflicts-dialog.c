/* rounds-conflicts-dialog.c: datasets and items changed both here and in the curation store
 *
 * The list comes from what the local store keeps (rounds_sync_list_problems_async(), with
 * the titles this computer has, in one query off the main thread), not from the last run
 * alone, so it is the same after a restart. A choice is not made here: the dialog
 * says which one the person picked ("resolve") and the window hands it to the next sync,
 * which settles it and clears the row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-conflicts-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-conflicts-dialog.h"
#include "rounds-widget-util-private.h"

struct _RoundsConflictsDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkStack    *stack;
  GtkListBox  *list;
  GtkLabel    *message_label;

  /* Owned */
  GHashTable   *buttons;       /* "<resolution>:<doc id>" → GtkButton, borrowed from the rows */
  GHashTable   *chosen;        /* doc id → resolution + 1, waiting for their sync */
  GPtrArray    *problems;      /* RoundsSyncProblem, as last loaded */
  GCancellable *cancellable;   /* the load in flight, %NULL when none is */
  guint         n_conflicts;
};

G_DEFINE_FINAL_TYPE (RoundsConflictsDialog, rounds_conflicts_dialog, ADW_TYPE_WINDOW)

enum {
  RESOLVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
button_key (const char           *doc_id,
            RoundsSyncResolution  resolution)
{
  return g_strdup_printf ("%d:%s", (int) resolution, doc_id);
}

/* A heading a person can read for "dataset:<name>" or "item:<dataset>:<key>", whose parts
 * have ":" and "%" escaped. */
static char *
describe (const char *doc_id)
{
  g_auto(GStrv) parts = g_strsplit (doc_id, ":", -1);
  guint n = g_strv_length (parts);

  for (guint i = 1; i < n; i++)
    {
      char *unescaped = g_uri_unescape_string (parts[i], NULL);

      if (unescaped != NULL)
        {
          g_free (parts[i]);
          parts[i] = unescaped;
        }
    }

  if (n == 2 && g_str_equal (parts[0], "dataset"))
    return g_strdup_printf (_("Dataset “%s”"), parts[1]);
  if (n == 3 && g_str_equal (parts[0], "item"))
    return g_strdup_printf (_("Item “%s” of “%s”"), parts[2], parts[1]);
  return g_strdup (doc_id);
}

/* "at" is ISO 8601 in UTC; shown in local time. */
static char *
format_when (const char *at)
{
  g_autoptr(GDateTime) utc = at ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (at ? at : "");
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: a date and time, as in strftime () */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static GtkWidget *
choice_button (RoundsConflictsDialog *self,
               const char            *label,
               const char            *tooltip,
               const char            *action,
               const char            *doc_id,
               RoundsSyncResolution   resolution)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", doc_id);
  g_hash_table_insert (self->buttons, button_key (doc_id, resolution), button);
  return button;
}

static GtkWidget *
conflict_row (RoundsConflictsDialog   *self,
              const RoundsSyncProblem *problem,
              int                      chosen)
{
  const char *local_title = problem->title;
  g_autofree char *heading = describe (problem->doc_id);
  g_autofree char *when = format_when (problem->at);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  if (local_title != NULL)
    g_string_append_printf (subtitle, _("Here: “%s”"), local_title);
  if (problem->reason != NULL && *problem->reason != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "", problem->reason);
  g_string_append (subtitle, subtitle->len ? "\n" : "");
  g_string_append_printf (subtitle, _("Seen %s"), when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), heading);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, problem->doc_id);

  if (chosen > 0)
    {
      /* Chosen, waiting for the sync that settles it. */
      GtkWidget *label = gtk_label_new (chosen - 1 == ROUNDS_SYNC_KEEP_MINE
                                          ? _("Keeping mine…")
                                          : _("Taking theirs…"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  else
    {
      gtk_box_append (GTK_BOX (box),
                      choice_button (self, _("_Keep Mine"),
                                     _("The next sync replaces the store’s version with the one "
                                       "on this computer"),
                                     "conflict.keep-mine", problem->doc_id,
                                     ROUNDS_SYNC_KEEP_MINE));
      gtk_box_append (GTK_BOX (box),
                      choice_button (self, _("_Take Theirs"),
                                     _("The store’s version replaces the one on this computer "
                                       "now"),
                                     "conflict.take-theirs", problem->doc_id,
                                     ROUNDS_SYNC_TAKE_THEIRS));
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  return row;
}

/* Lists the conflicts of the last load, with the choices made so far. */
static void
show_problems (RoundsConflictsDialog *self)
{
  g_hash_table_remove_all (self->buttons);
  _rounds_widget_remove_children (GTK_WIDGET (self->list));
  self->n_conflicts = 0;

  for (guint i = 0; self->problems != NULL && i < self->problems->len; i++)
    {
      const RoundsSyncProblem *problem = g_ptr_array_index (self->problems, i);
      int resolution = GPOINTER_TO_INT (g_hash_table_lookup (self->chosen, problem->doc_id));

      if (problem->kind != ROUNDS_SYNC_PROBLEM_CONFLICT)
        continue;
      gtk_list_box_append (self->list, conflict_row (self, problem, resolution));
      self->n_conflicts++;
    }
  gtk_stack_set_visible_child_name (self->stack, self->n_conflicts > 0 ? "list" : "empty");
}

static void
problems_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RoundsConflictsDialog *self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled in dispose, or replaced by a newer load: the dialog may be gone. */
  if (!(problems = rounds_sync_list_problems_finish (result, &error)) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_steal_pointer (&problems);
  show_problems (self);
  if (error != NULL)
    rounds_conflicts_dialog_set_message (self, error->message);
}

/**
 * rounds_conflicts_dialog_update:
 * @store: the local store, whose file is read off the main thread
 * @chosen: (nullable): doc id → resolution + 1 for the conflicts already chosen, waiting
 *   for their sync
 *
 * Lists the conflicts the local store keeps now. The choices show at once; the list follows
 * when it is loaded.
 */
void
rounds_conflicts_dialog_update (RoundsConflictsDialog *self,
                                RoundsStore           *store,
                                GHashTable            *chosen)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (ROUNDS_IS_CONFLICTS_DIALOG (self));
  g_return_if_fail (ROUNDS_IS_STORE (store));

  g_hash_table_remove_all (self->chosen);
  if (chosen != NULL)
    {
      g_hash_table_iter_init (&iter, chosen);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->chosen, g_strdup (key), value);
    }
  if (self->problems != NULL)
    show_problems (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  rounds_sync_list_problems_async (rounds_store_get_path (store), self->cancellable,
                                   problems_loaded, self);
}

/* An error of the last sync, shown under the list; %NULL hides it. */
void
rounds_conflicts_dialog_set_message (RoundsConflictsDialog *self,
                                     const char            *message)
{
  g_return_if_fail (ROUNDS_IS_CONFLICTS_DIALOG (self));

  _rounds_label_show_message (self->message_label, message);
}

guint
rounds_conflicts_dialog_get_n_conflicts (RoundsConflictsDialog *self)
{
  g_return_val_if_fail (ROUNDS_IS_CONFLICTS_DIALOG (self), 0);
  return self->n_conflicts;
}

/* The "Keep Mine" or "Take Theirs" button of a listed conflict, for tests; %NULL when the
 * conflict is not listed or its choice is made already. */
GtkWidget *
rounds_conflicts_dialog_find_button (RoundsConflictsDialog *self,
                                     const char            *doc_id,
                                     RoundsSyncResolution   resolution)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (ROUNDS_IS_CONFLICTS_DIALOG (self), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  key = button_key (doc_id, resolution);
  return g_hash_table_lookup (self->buttons, key);
}

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RoundsConflictsDialog *self = ROUNDS_CONFLICTS_DIALOG (widget);
  RoundsSyncResolution resolution = g_str_equal (action_name, "conflict.keep-mine")
                                      ? ROUNDS_SYNC_KEEP_MINE : ROUNDS_SYNC_TAKE_THEIRS;

  rounds_conflicts_dialog_set_message (self, NULL);
  g_signal_emit (self, signals[RESOLVE], 0, g_variant_get_string (parameter, NULL),
                 (int) resolution);
}

RoundsConflictsDialog *
rounds_conflicts_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (ROUNDS_TYPE_CONFLICTS_DIALOG, "transient-for", parent, NULL);
}

static void
rounds_conflicts_dialog_dispose (GObject *object)
{
  RoundsConflictsDialog *self = ROUNDS_CONFLICTS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->buttons != NULL)
    g_hash_table_remove_all (self->buttons);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_CONFLICTS_DIALOG);

  G_OBJECT_CLASS (rounds_conflicts_dialog_parent_class)->dispose (object);
}

static void
rounds_conflicts_dialog_finalize (GObject *object)
{
  RoundsConflictsDialog *self = ROUNDS_CONFLICTS_DIALOG (object);

  g_clear_pointer (&self->buttons, g_hash_table_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (rounds_conflicts_dialog_parent_class)->finalize (object);
}

static void
rounds_conflicts_dialog_class_init (RoundsConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rounds_conflicts_dialog_dispose;
  object_class->finalize = rounds_conflicts_dialog_finalize;
  /**
   * RoundsConflictsDialog::resolve:
   * @doc_id: the dataset or item
   * @resolution: a #RoundsSyncResolution
   *
   * The person chose how to settle a conflict.
   */
  signals[RESOLVE] = g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-conflicts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RoundsConflictsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RoundsConflictsDialog, list);
  gtk_widget_class_bind_template_child (widget_class, RoundsConflictsDialog, message_label);

  gtk_widget_class_install_action (widget_class, "conflict.keep-mine", "s", choose_activated);
  gtk_widget_class_install_action (widget_class, "conflict.take-theirs", "s", choose_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rounds_conflicts_dialog_init (RoundsConflictsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
