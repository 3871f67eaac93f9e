/* rounds-rubric-grid.c: a score for every response on every criterion of a rubric
 *
 * One drop-down per response and criterion, offering "–" (not scored) and the criterion's
 * own min..max, so that a 0–10 rubric is scored 0–10. Responses are given in canonical
 * order; the columns follow the order on screen. A digit typed on a drop-down is its score
 * (two in a row make 10); the arrow keys move between criteria (up, down) and responses.
 *
 * A GtkDropDown is costly to build (its popover, list view and factory: about 2.5 ms each, a
 * dozen per item), and most are never opened, so each score starts as a plain button drawn
 * as the drop-down it becomes (.score-cell in style.css) and becomes one when it is first
 * used: given the focus (Tab, the rubric keys) or clicked, which opens its list at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-rubric-grid"

#include "config.h"

#include "rounds-rubric-grid.h"
#include "rounds-widget-util-private.h"

struct _RoundsRubricGrid
{
  GtkGrid        parent_instance;

  /* Owned */
  RoundsRubric  *rubric;
  guint          n_responses;
  guint         *order;         /* screen position → canonical response */
  GPtrArray     *cells;         /* canonical response × criterion: a GtkDropDown once used,
                                 * until then a button drawn as one */
  guint         *selected;      /* the same: the item chosen in a cell still a button */
  GtkWidget     *focused_cell;  /* a button given the focus, to become a drop-down */
  guint          use_idle_id;
  gboolean       dim_headings;
};

G_DEFINE_FINAL_TYPE (RoundsRubricGrid, rounds_rubric_grid, GTK_TYPE_GRID)

enum {
  PROP_0,
  PROP_DIM_HEADINGS,
  N_PROPS
};

enum {
  SCORE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static int
score_of_selection (const RoundsCriterion *criterion,
                    guint                  selected)
{
  /* Item 0 is "–", not scored. */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return criterion->min + (int) selected - 1;
}

static void
on_score_selected (GtkDropDown      *dropdown,
                   GParamSpec       *pspec,
                   RoundsRubricGrid *self)
{
  guint n_criteria = rounds_rubric_get_n_criteria (self->rubric);
  guint index;

  if (!g_ptr_array_find (self->cells, dropdown, &index))
    return;
  g_signal_emit (self, signals[SCORE_CHANGED], 0, index / n_criteria, index % n_criteria,
                 rounds_rubric_grid_get_score (self, index / n_criteria, index % n_criteria));
}

static gboolean on_arrow_pressed (GtkEventControllerKey *controller,
                                  guint                  keyval,
                                  guint                  keycode,
                                  GdkModifierType        state,
                                  RoundsRubricGrid      *self);

/* What a criterion's drop-down offers: "–" (not scored), then min..max. */
static GStrv
score_strings (const RoundsCriterion *criterion)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "–");
  for (int v = criterion->min; v <= criterion->max; v++)
    {
      g_autofree char *value = g_strdup_printf ("%d", v);

      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static const RoundsCriterion *
cell_criterion (RoundsRubricGrid *self,
                guint             index)
{
  return rounds_rubric_get_criterion (self->rubric,
                                      index % rounds_rubric_get_n_criteria (self->rubric));
}

/* The text of item @selected of a cell still a button: what the drop-down would show. */
static void
set_button_selected (GtkWidget             *button,
                     const RoundsCriterion *criterion,
                     guint                  selected)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_button_get_child (GTK_BUTTON (button)));
  g_autofree char *text = NULL;

  if (selected == 0)
    gtk_label_set_text (GTK_LABEL (label), "–");
  else
    {
      text = g_strdup_printf ("%d", criterion->min + (int) selected - 1);
      gtk_label_set_text (GTK_LABEL (label), text);
    }
}

/* Cell @index as a drop-down, made from its button the first time (the focus, if the button
 * had it, goes with it). */
static GtkWidget *
use_cell (RoundsRubricGrid *self,
          guint             index)
{
  GtkWidget *button = self->cells->pdata[index];
  g_auto(GStrv) values = NULL;
  GtkWidget *dropdown;
  GtkEventController *keys;
  int column, row, width, height;

  if (GTK_IS_DROP_DOWN (button))
    return button;

  values = score_strings (cell_criterion (self, index));
  dropdown = gtk_drop_down_new_from_strings ((const char * const *) values);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), self->selected[index]);
  gtk_widget_set_tooltip_text (dropdown, gtk_widget_get_tooltip_text (button));
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  g_object_get_data (G_OBJECT (button), "rounds-name"), -1);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_score_selected), self);
  _rounds_drop_down_take_digits (dropdown);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_arrow_pressed), self);
  gtk_widget_add_controller (dropdown, keys);

  gtk_grid_query_child (GTK_GRID (self), button, &column, &row, &width, &height);
  gtk_grid_attach (GTK_GRID (self), dropdown, column, row, width, height);
  self->cells->pdata[index] = dropdown;
  if (gtk_widget_has_focus (button))
    gtk_widget_grab_focus (dropdown);
  gtk_grid_remove (GTK_GRID (self), button);
  return dropdown;
}

static gboolean
use_focused_cell (gpointer user_data)
{
  RoundsRubricGrid *self = user_data;
  guint index;

  self->use_idle_id = 0;
  /* The focus may only have passed by, as when the page is built again. */
  if (g_ptr_array_find (self->cells, self->focused_cell, &index) &&
      gtk_widget_has_focus (self->focused_cell))
    use_cell (self, index);
  self->focused_cell = NULL;
  return G_SOURCE_REMOVE;
}

/* Not at once: GTK is still handing the focus over, to the button, which must stay until it
 * is done. At a high priority, before the next key press is handled. */
static void
on_cell_focus_enter (GtkEventControllerFocus *controller,
                     RoundsRubricGrid        *self)
{
  self->focused_cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  if (self->use_idle_id == 0)
    self->use_idle_id = g_idle_add_full (G_PRIORITY_HIGH, use_focused_cell, self, NULL);
}

/* A click opens the drop-down's list, as it would have on the drop-down. */
static void
on_cell_clicked (GtkButton        *button,
                 RoundsRubricGrid *self)
{
  GtkWidget *dropdown, *toggle;
  guint index;

  if (!g_ptr_array_find (self->cells, button, &index))
    return;
  dropdown = use_cell (self, index);
  gtk_widget_grab_focus (dropdown);
  if (GTK_IS_TOGGLE_BUTTON (toggle = gtk_widget_get_first_child (dropdown)))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
}

/* A score not used yet: a button with the drop-down's look (.score-cell), its label the item
 * chosen and its arrow. */
static GtkWidget *
new_cell (RoundsRubricGrid      *self,
          const RoundsCriterion *criterion,
          const char            *accessible)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new ("–");
  GtkEventController *focus = gtk_event_controller_focus_new ();

  /* The label takes the width the column gives, the arrow at the end, as in a drop-down;
   * the button itself does not ask the grid for more. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_hexpand (button, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("pan-down-symbolic"));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "score-cell");
  /* The click itself makes the drop-down and gives it the focus. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_tooltip_text (button, criterion->description);
  g_object_set_data_full (G_OBJECT (button), "rounds-name", g_strdup (accessible), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_cell_clicked), self);
  g_signal_connect (focus, "enter", G_CALLBACK (on_cell_focus_enter), self);
  gtk_widget_add_controller (button, focus);
  return button;
}

/* The cell (screen position, criterion) that has the focus; %FALSE when none has. */
gboolean
rounds_rubric_grid_get_focus_cell (RoundsRubricGrid *self,
                                   guint            *position,
                                   guint            *criterion)
{
  GtkRoot *root;
  GtkWidget *focus;
  guint n_criteria;

  g_return_val_if_fail (ROUNDS_IS_RUBRIC_GRID (self), FALSE);

  if (self->rubric == NULL || (root = gtk_widget_get_root (GTK_WIDGET (self))) == NULL ||
      (focus = gtk_root_get_focus (root)) == NULL)
    return FALSE;
  n_criteria = rounds_rubric_get_n_criteria (self->rubric);
  for (guint p = 0; p < self->n_responses; p++)
    for (guint c = 0; c < n_criteria; c++)
      if (gtk_widget_is_ancestor (focus, self->cells->pdata[self->order[p] * n_criteria + c]))
        {
          *position = p;
          *criterion = c;
          return TRUE;
        }
  return FALSE;
}

/* Gives the focus to the score of the response at screen @position on @criterion; with
 * @criterion -1, on its first criterion not yet scored (or the first). */
gboolean
rounds_rubric_grid_focus_cell (RoundsRubricGrid *self,
                               guint             position,
                               int               criterion)
{
  guint n_criteria;

  g_return_val_if_fail (ROUNDS_IS_RUBRIC_GRID (self), FALSE);

  if (self->rubric == NULL || position >= self->n_responses ||
      (n_criteria = rounds_rubric_get_n_criteria (self->rubric)) == 0 ||
      criterion >= (int) n_criteria)
    return FALSE;
  if (criterion < 0)
    {
      criterion = 0;
      for (guint c = 0; c < n_criteria; c++)
        if (rounds_rubric_grid_get_score (self, self->order[position], c) < 0)
          {
            criterion = (int) c;
            break;
          }
    }
  return gtk_widget_grab_focus (use_cell (self, self->order[position] * n_criteria +
                                                (guint) criterion));
}

/* Up and Down: the criterion before or after, of the same response; Left and Right: the
 * response beside, on the same criterion. At an edge the key goes on (to the window's move). */
static gboolean
on_arrow_pressed (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  RoundsRubricGrid      *self)
{
  guint position, criterion;
  int p, c;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_SHIFT_MASK)) != 0 ||
      !rounds_rubric_grid_get_focus_cell (self, &position, &criterion))
    return GDK_EVENT_PROPAGATE;
  p = (int) position;
  c = (int) criterion;
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      c--;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      c++;
      break;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      p--;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      p++;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  if (p < 0 || c < 0 || (guint) p >= self->n_responses ||
      (guint) c >= rounds_rubric_get_n_criteria (self->rubric))
    return GDK_EVENT_PROPAGATE;
  rounds_rubric_grid_focus_cell (self, (guint) p, c);
  return GDK_EVENT_STOP;
}

void
rounds_rubric_grid_clear (RoundsRubricGrid *self)
{
  GtkWidget *child;

  g_return_if_fail (ROUNDS_IS_RUBRIC_GRID (self));

  g_clear_handle_id (&self->use_idle_id, g_source_remove);
  self->focused_cell = NULL;
  g_ptr_array_set_size (self->cells, 0);
  g_clear_pointer (&self->selected, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_grid_remove (GTK_GRID (self), child);
  g_clear_pointer (&self->rubric, rounds_rubric_unref);
  g_clear_pointer (&self->order, g_free);
  self->n_responses = 0;
}

/* @order: screen position → canonical response, or NULL when the screen shows them in
 * canonical order. Every score starts unscored. */
void
rounds_rubric_grid_set_rubric (RoundsRubricGrid *self,
                               RoundsRubric     *rubric,
                               guint             n_responses,
                               const guint      *order)
{
  guint n_criteria;

  g_return_if_fail (ROUNDS_IS_RUBRIC_GRID (self));
  g_return_if_fail (rubric != NULL);

  rounds_rubric_grid_clear (self);
  self->rubric = rounds_rubric_ref (rubric);
  self->n_responses = n_responses;
  self->order = g_new (guint, n_responses);
  for (guint position = 0; position < n_responses; position++)
    self->order[position] = order != NULL ? order[position] : position;
  n_criteria = rounds_rubric_get_n_criteria (rubric);

  for (guint position = 0; position < n_responses; position++)
    {
      g_autofree char *label = _rounds_response_label (position);
      GtkWidget *heading = gtk_label_new (label);

      if (self->dim_headings)
        gtk_widget_add_css_class (heading, "dim-label");
      gtk_grid_attach (GTK_GRID (self), heading, position + 1, 0, 1, 1);
    }

  g_ptr_array_set_size (self->cells, n_responses * n_criteria);
  self->selected = g_new0 (guint, n_responses * n_criteria);
  for (guint c = 0; c < n_criteria; c++)
    {
      const RoundsCriterion *criterion = rounds_rubric_get_criterion (rubric, c);
      GtkWidget *name = gtk_label_new (criterion->name);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_tooltip_text (name, criterion->description);
      gtk_grid_attach (GTK_GRID (self), name, 0, c + 1, 1, 1);

      for (guint position = 0; position < n_responses; position++)
        {
          guint index = order != NULL ? order[position] : position;
          g_autofree char *response = _rounds_response_label (position);
          g_autofree char *accessible = g_strdup_printf ("%s: %s", response, criterion->name);
          GtkWidget *cell = new_cell (self, criterion, accessible);

          gtk_grid_attach (GTK_GRID (self), cell, position + 1, c + 1, 1, 1);
          g_ptr_array_index (self->cells, index * n_criteria + c) = cell;
        }
    }
}

/* -1 when not scored. */
int
rounds_rubric_grid_get_score (RoundsRubricGrid *self,
                              guint             response,
                              guint             criterion)
{
  GtkWidget *cell;
  guint n_criteria, index;

  g_return_val_if_fail (ROUNDS_IS_RUBRIC_GRID (self), -1);
  g_return_val_if_fail (response < self->n_responses, -1);

  n_criteria = rounds_rubric_get_n_criteria (self->rubric);
  g_return_val_if_fail (criterion < n_criteria, -1);
  index = response * n_criteria + criterion;
  cell = self->cells->pdata[index];
  return score_of_selection (rounds_rubric_get_criterion (self->rubric, criterion),
                             GTK_IS_DROP_DOWN (cell)
                               ? gtk_drop_down_get_selected (GTK_DROP_DOWN (cell))
                               : self->selected[index]);
}

/* A score outside the criterion's range clears it. */
void
rounds_rubric_grid_set_score (RoundsRubricGrid *self,
                              guint             response,
                              guint             criterion,
                              int               score)
{
  const RoundsCriterion *c;
  GtkWidget *cell;
  guint n_criteria, index, selected;

  g_return_if_fail (ROUNDS_IS_RUBRIC_GRID (self));
  g_return_if_fail (response < self->n_responses);

  n_criteria = rounds_rubric_get_n_criteria (self->rubric);
  g_return_if_fail (criterion < n_criteria);
  c = rounds_rubric_get_criterion (self->rubric, criterion);
  selected = score < c->min || score > c->max ? 0 : (guint) (score - c->min + 1);
  index = response * n_criteria + criterion;
  cell = self->cells->pdata[index];
  if (GTK_IS_DROP_DOWN (cell))
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (cell), selected);
      return;
    }
  /* As the drop-down's notify::selected would: only a change is told. */
  if (self->selected[index] == selected)
    return;
  self->selected[index] = selected;
  set_button_selected (cell, c, selected);
  g_signal_emit (self, signals[SCORE_CHANGED], 0, response, criterion,
                 score_of_selection (c, selected));
}

gboolean
rounds_rubric_grid_get_dim_headings (RoundsRubricGrid *self)
{
  g_return_val_if_fail (ROUNDS_IS_RUBRIC_GRID (self), FALSE);
  return self->dim_headings;
}

/* Dim column headings (Response A, B…), for a page where the rubric is not the main thing. */
void
rounds_rubric_grid_set_dim_headings (RoundsRubricGrid *self,
                                     gboolean          dim_headings)
{
  g_return_if_fail (ROUNDS_IS_RUBRIC_GRID (self));

  dim_headings = !!dim_headings;
  if (self->dim_headings == dim_headings)
    return;
  self->dim_headings = dim_headings;
  for (guint position = 0; position < self->n_responses; position++)
    {
      GtkWidget *heading = gtk_grid_get_child_at (GTK_GRID (self), position + 1, 0);

      if (dim_headings)
        gtk_widget_add_css_class (heading, "dim-label");
      else
        gtk_widget_remove_css_class (heading, "dim-label");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIM_HEADINGS]);
}

static void
rounds_rubric_grid_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RoundsRubricGrid *self = ROUNDS_RUBRIC_GRID (object);

  switch (prop_id)
    {
    case PROP_DIM_HEADINGS:
      g_value_set_boolean (value, self->dim_headings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_rubric_grid_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RoundsRubricGrid *self = ROUNDS_RUBRIC_GRID (object);

  switch (prop_id)
    {
    case PROP_DIM_HEADINGS:
      rounds_rubric_grid_set_dim_headings (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rounds_rubric_grid_dispose (GObject *object)
{
  RoundsRubricGrid *self = ROUNDS_RUBRIC_GRID (object);

  rounds_rubric_grid_clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROUNDS_TYPE_RUBRIC_GRID);

  G_OBJECT_CLASS (rounds_rubric_grid_parent_class)->dispose (object);
}

static void
rounds_rubric_grid_finalize (GObject *object)
{
  RoundsRubricGrid *self = ROUNDS_RUBRIC_GRID (object);

  g_clear_pointer (&self->cells, g_ptr_array_unref);

  G_OBJECT_CLASS (rounds_rubric_grid_parent_class)->finalize (object);
}

static void
rounds_rubric_grid_class_init (RoundsRubricGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = rounds_rubric_grid_get_property;
  object_class->set_property = rounds_rubric_grid_set_property;
  object_class->dispose = rounds_rubric_grid_dispose;
  object_class->finalize = rounds_rubric_grid_finalize;

  properties[PROP_DIM_HEADINGS] =
    g_param_spec_boolean ("dim-headings", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RoundsRubricGrid::score-changed:
   * @response: the response, canonical
   * @criterion: the index of the criterion in the rubric
   * @score: the score, or -1 when cleared
   */
  signals[SCORE_CHANGED] =
    g_signal_new ("score-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rounds-rubric-grid.ui");
}

static void
rounds_rubric_grid_init (RoundsRubricGrid *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cells = g_ptr_array_new ();
}
