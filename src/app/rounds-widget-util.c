/* rounds-widget-util.c: small widget helpers shared by the pages and dialogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-widget-util"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-widget-util-private.h"

/* @position: on screen, or canonical where no order is shown */
char *
_rounds_response_label (guint position)
{
  /* TRANSLATORS: the label of a response on screen: Response A, Response B… */
  return g_strdup_printf (_("Response %c"), 'A' + position);
}

/* The width of @window: its allocation once it has one, its default width before (a window
 * is sized from outside; GTK 4.8 has no breakpoints, so the pages follow this). */
int
_rounds_window_width (GtkWindow *window)
{
  int width = 0, height = 0;

  gtk_window_get_default_size (window, &width, &height);
  if (gtk_widget_get_width (GTK_WIDGET (window)) > 0)
    width = gtk_widget_get_width (GTK_WIDGET (window));
  return width;
}

/* Whether @n_responses responses in a row @width pixels wide (0: not known yet) are stacked,
 * one above the other: side by side each needs a comfortable measure, about 360 px, and the
 * row its margins. */
gboolean
_rounds_responses_should_stack (int   width,
                                guint n_responses)
{
  return width > 0 && width < (int) (360 * n_responses + 80);
}

/* @responses (a box of response cards): one above the other, or side by side in columns of
 * one width. Stacked, each is as tall as its own text: a homogeneous box would give a short
 * response the height of the longest, a blank gap below its text. The compare page and the
 * review page both lay their responses out by this. */
void
_rounds_responses_set_stacked (GtkBox   *responses,
                               gboolean  stacked)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (responses),
                                  stacked ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_homogeneous (responses, !stacked);
}

gboolean
_rounds_responses_get_stacked (GtkBox *responses)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (responses)) == GTK_ORIENTATION_VERTICAL;
}

/* Empties @parent: a list box, a flow box or a box through its own remove, any other
 * widget by unparenting its children. */
void
_rounds_widget_remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else if (GTK_IS_FLOW_BOX (parent))
        gtk_flow_box_remove (GTK_FLOW_BOX (parent), child);
      else if (GTK_IS_BOX (parent))
        gtk_box_remove (GTK_BOX (parent), child);
      else
        gtk_widget_unparent (child);
    }
}

/* For a page whose template root is a child of the page (a bin layout). */
void
_rounds_widget_dispose_template (GtkWidget *widget,
                                 GType      widget_type)
{
  gtk_widget_dispose_template (widget, widget_type);
  /* The root of the template has no name to be cleared by. */
  _rounds_widget_remove_children (widget);
}

static void
page_dispose (GObject *object)
{
  GType type = G_OBJECT_TYPE (object);
  GObjectClass *parent_class = g_type_class_peek (g_type_parent (type));

  _rounds_widget_dispose_template (GTK_WIDGET (object), type);

  parent_class->dispose (object);
}

/* A page is a final GtkWidget filled by the root of its template @resource (a bin layout).
 * Its dispose clears the template, root included; a page with more to clear sets its own
 * dispose after this and calls _rounds_widget_dispose_template() itself. */
void
_rounds_page_class_init (GtkWidgetClass *widget_class,
                         const char     *resource)
{
  G_OBJECT_CLASS (widget_class)->dispose = page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, resource);
}

/* Reviewers and curators see the insights. */
gboolean
_rounds_profile_may_see_insights (RoundsProfile *profile)
{
  return profile != NULL && (rounds_profile_has_role (profile, ROUNDS_ROLE_REVIEWER) ||
                             rounds_profile_has_role (profile, ROUNDS_ROLE_CURATOR));
}

/* A toast in the window's overlay above @widget, or a message where there is none. */
void
_rounds_widget_toast (GtkWidget  *widget,
                      const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* @message: shown in @label, or %NULL or "" to hide it */
void
_rounds_label_show_message (GtkLabel   *label,
                            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && *message != '\0');
}

static void
on_entry_dialog_activate (GtkWidget        *entry,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, g_object_get_data (G_OBJECT (dialog), "rounds-response"));
}

/* Ctrl+Enter in a multi-line field, where Enter starts a new line */
static gboolean
on_text_dialog_key_pressed (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            AdwMessageDialog      *dialog)
{
  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & GDK_CONTROL_MASK) == 0)
    return GDK_EVENT_PROPAGATE;
  on_entry_dialog_activate (NULL, dialog);
  return GDK_EVENT_STOP;
}

/* A multi-line text field that looks like an entry and grows with its text, as the comment
 * and the notes: Tab leaves it, as it leaves an entry. */
GtkWidget *
_rounds_text_field_new (void)
{
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_add_css_class (view, "text-field");
  return view;
}

/* A message dialog over @parent that asks for a text in @entry (@entry_label names it for
 * screen readers): Cancel (or Escape), or @response (@response_label), the default. The entry
 * has the focus, so that a person types at once. Enter in a one-line entry answers @response
 * (an entry's activates-default does not reach the message dialog's default response);
 * in a multi-line field (a GtkTextView) Enter starts a new line and Ctrl+Enter answers. */
GtkWidget *
_rounds_entry_dialog_new (GtkWindow  *parent,
                          const char *heading,
                          const char *body,
                          GtkWidget  *entry,
                          const char *entry_label,
                          const char *response,
                          const char *response_label)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  entry_label, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    response, response_label, NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), response);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "map", G_CALLBACK (gtk_widget_grab_focus), entry,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_object_set_data_full (G_OBJECT (dialog), "rounds-response", g_strdup (response), g_free);
  if (GTK_IS_TEXT_VIEW (entry))
    {
      GtkEventController *keys = gtk_event_controller_key_new ();

      /* before the field, which would take Ctrl+Enter for a new line */
      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_text_dialog_key_pressed),
                               dialog, 0);
      gtk_widget_add_controller (entry, keys);
    }
  else
    g_signal_connect_object (entry, "activate", G_CALLBACK (on_entry_dialog_activate), dialog,
                             0);
  return dialog;
}

/* The string of @model's item @i, or "" */
static const char *
drop_down_string (GListModel *model,
                  guint       i)
{
  if (!GTK_IS_STRING_LIST (model) || i >= g_list_model_get_n_items (model))
    return "";
  return gtk_string_list_get_string (GTK_STRING_LIST (model), i);
}

static gboolean
select_drop_down_string (GtkDropDown *dropdown,
                         const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (drop_down_string (model, i), text))
      {
        gtk_drop_down_set_selected (dropdown, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
on_drop_down_key_pressed (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkDropDown           *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  const char *shown = drop_down_string (model, gtk_drop_down_get_selected (dropdown));
  const char *typed = g_object_get_data (G_OBJECT (dropdown), "rounds-typed");
  gunichar c = gdk_keyval_to_unicode (keyval);
  char digit[2] = { 0 };
  g_autofree char *longer = NULL;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (keyval == GDK_KEY_BackSpace || keyval == GDK_KEY_Delete)
    {
      /* Item 0 is "–", nothing chosen. */
      gtk_drop_down_set_selected (dropdown, 0);
      return GDK_EVENT_STOP;
    }
  if (c < '0' || c > '9')
    return GDK_EVENT_PROPAGATE;
  digit[0] = (char) c;
  /* Digits typed one after the other make one number when the drop-down has it ("1" then "0"
   * is 10 on a 0–10 scale); otherwise the digit starts again. */
  if (typed != NULL && g_str_equal (typed, shown))
    longer = g_strconcat (typed, digit, NULL);
  if (longer != NULL && select_drop_down_string (dropdown, longer))
    g_object_set_data_full (G_OBJECT (dropdown), "rounds-typed", g_steal_pointer (&longer), g_free);
  else if (select_drop_down_string (dropdown, digit))
    g_object_set_data_full (G_OBJECT (dropdown), "rounds-typed", g_strdup (digit), g_free);
  /* A digit the drop-down does not offer is ignored: it must not reach the window, where
   * digits mean the preference. */
  return GDK_EVENT_STOP;
}

/* A digit typed while @dropdown (of strings) has the focus chooses the item that is that
 * digit, as a person who looks at a score means, and digits typed in a row the item that is
 * that number (10); Backspace or Delete chooses the first item ("–", none). A digit never
 * goes on to the window's keys. */
void
_rounds_drop_down_take_digits (GtkWidget *dropdown)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_drop_down_key_pressed), dropdown);
  gtk_widget_add_controller (dropdown, keys);
}

static gboolean
on_page_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkWidget             *target)
{
  GtkWidget *page = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (keyval != GDK_KEY_Escape || focus == NULL ||
      !(GTK_IS_TEXT (focus) || GTK_IS_TEXT_VIEW (focus)) || !gtk_widget_is_ancestor (focus, page))
    return GDK_EVENT_PROPAGATE;
  if (GTK_IS_LABEL (target))
    _rounds_label_focus_quietly (GTK_LABEL (target));
  else
    gtk_widget_grab_focus (target);
  return GDK_EVENT_STOP;
}

/* Escape in a text field of @page leaves it for @target, a selectable label of the page (or a
 * widget that takes the focus as quietly, such as a RoundsMarkdownView), so that the page's
 * own keys (digits, letters) work again. */
void
_rounds_page_leave_text_on_escape (GtkWidget *page,
                                   GtkWidget *target)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_page_key_pressed), target);
  gtk_widget_add_controller (page, keys);
}

static void
on_expander_expanded (GtkExpander *expander)
{
  GtkWidget *child = gtk_expander_get_child (expander);

  if (child != NULL)
    gtk_widget_set_can_focus (child, gtk_expander_get_expanded (expander));
}

/* Tab passes a collapsed @expander by. GTK 4.8's GtkExpander takes its child out of the widget
 * tree when collapsed but still offers it the focus on Tab; the child, without a root, then
 * asks gtk_window_get_focus() of no window (Gtk-CRITICAL, "GTK_IS_WINDOW (window)"). The child
 * takes no focus while collapsed, so it is never asked. */
void
_rounds_expander_focus_child_when_expanded (GtkExpander *expander)
{
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (on_expander_expanded), NULL);
  on_expander_expanded (expander);
}

/* Gives @label (selectable) the focus without selecting its text, as a focused selectable
 * label otherwise would. */
void
_rounds_label_focus_quietly (GtkLabel *label)
{
  gtk_widget_grab_focus (GTK_WIDGET (label));
  gtk_label_select_region (label, 0, 0);
}

/* Combo rows that show their choices whole ---------------------------------------------- */

static GtkWidget *
combo_item_label (GtkListItem *item)
{
  return gtk_widget_get_first_child (gtk_list_item_get_child (item));
}

static void
on_combo_item_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  in_popup)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  /* libadwaita's own items are ellipsized at 20 characters; these wrap at 40 instead. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_hexpand (label, in_popup != NULL);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  if (in_popup != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_item_set_child (item, box);
}

/* The popup's check mark is on the chosen item only. */
static void
on_combo_selected_item (AdwComboRow *row,
                        GParamSpec  *pspec,
                        GtkListItem *item)
{
  GtkWidget *icon = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (icon, adw_combo_row_get_selected_item (row) ==
                                gtk_list_item_get_item (item) ? 1.0 : 0.0);
}

static void
on_combo_item_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    AdwComboRow              *row)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (combo_item_label (item)),
                      GTK_IS_STRING_OBJECT (string) ? gtk_string_object_get_string (string) : "");
  if (gtk_widget_get_last_child (gtk_list_item_get_child (item)) == combo_item_label (item))
    return;
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (on_combo_selected_item), item);
  on_combo_selected_item (row, NULL, item);
}

static void
on_combo_item_unbind (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, on_combo_selected_item, item);
}

static GtkListItemFactory *
combo_factory_new (AdwComboRow *row,
                   gboolean     in_popup)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_combo_item_setup),
                    in_popup ? GINT_TO_POINTER (1) : NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_combo_item_bind), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_combo_item_unbind), row);
  return factory;
}

/* @row (of a GtkStringList) shows its choices in full, wrapped when long, in the row and in
 * its popup, where libadwaita 1.2 cuts them at 20 characters. */
void
_rounds_combo_row_show_whole (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = combo_factory_new (row, FALSE);
  g_autoptr(GtkListItemFactory) list_factory = combo_factory_new (row, TRUE);
  g_autoptr(GtkExpression) string = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                                 "string");

  /* The subtitle, when the row uses it, is the string itself. */
  adw_combo_row_set_expression (row, string);
  adw_combo_row_set_factory (row, factory);
  adw_combo_row_set_list_factory (row, list_factory);
}

/* The whole text of a multi-line field. */
char *
_rounds_text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* @text: or %NULL for none */
void
_rounds_text_view_set_text (GtkTextView *view,
                            const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

typedef struct
{
  GSourceFunc func;
  gpointer    data;
  gboolean    drawn;
} AfterFrame;

static gboolean
after_frame_tick (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  AfterFrame *after = user_data;

  /* The first tick is of the frame that draws what was changed before the wait. */
  if (!after->drawn)
    {
      after->drawn = TRUE;
      return G_SOURCE_CONTINUE;
    }
  after->func (after->data);
  return G_SOURCE_REMOVE;
}

/**
 * _rounds_widget_after_frame:
 *
 * Calls @func with @data once the next frame of @widget has been drawn, so that what was
 * changed before and what @func changes are drawn in frames of their own: two frames' work
 * in one would keep the main loop from everything else twice as long. @func's return value
 * is ignored.
 *
 * A widget not shown yet (a page about to be switched to, or of a window not yet presented)
 * waits for the first frame that draws it: its ticks start when it is realized.
 *
 * Returns: the tick callback's id, for gtk_widget_remove_tick_callback()
 */
guint
_rounds_widget_after_frame (GtkWidget   *widget,
                            GSourceFunc  func,
                            gpointer     data)
{
  AfterFrame *after;

  after = g_new0 (AfterFrame, 1);
  after->func = func;
  after->data = data;
  return gtk_widget_add_tick_callback (widget, after_frame_tick, after, g_free);
}
