/* rounds-review-queue.c: the review queue, a list model that makes its entries when asked,
 * and its rows
 *
 * The queue of a large dataset has tens of thousands of disputed items, and a list view asks
 * for the few on screen: an entry (a #RoundsReviewEntry) is made the first time it is asked
 * for and kept, so that it stays the same object for as long as the queue holds it. Filling
 * the queue is one items-changed, whatever its length, and nothing else on the main thread.
 * A row's two lines are GtkInscriptions, sized by the font, not by their text: GTK 4.8's list
 * view makes and measures up to 200 rows at once, and two labels a row took about 40 ms to
 * shape for that measure (build-aux/bench review).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-review-queue"

#include "config.h"

#include "rounds-review-queue.h"

struct _RoundsReviewQueue
{
  GObject    parent_instance;

  GPtrArray *disputes;     /* RoundsDispute, queue order; NULL once given to its entry */
  GPtrArray *entries;      /* RoundsReviewEntry or NULL, as many as disputes */
};

static void rounds_review_queue_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RoundsReviewQueue, rounds_review_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      rounds_review_queue_model_init))

/* An entry not made yet is NULL. */
static void
entry_free (gpointer entry)
{
  if (entry != NULL)
    g_object_unref (entry);
}

static GType
rounds_review_queue_get_item_type (GListModel *model)
{
  return ROUNDS_TYPE_REVIEW_ENTRY;
}

static guint
rounds_review_queue_get_n_items (GListModel *model)
{
  return ROUNDS_REVIEW_QUEUE (model)->entries->len;
}

static gpointer
rounds_review_queue_get_item (GListModel *model,
                              guint       position)
{
  RoundsReviewQueue *self = ROUNDS_REVIEW_QUEUE (model);

  if (position >= self->entries->len)
    return NULL;
  if (self->entries->pdata[position] == NULL)
    self->entries->pdata[position] =
      rounds_review_entry_new (g_steal_pointer (&self->disputes->pdata[position]));
  return g_object_ref (self->entries->pdata[position]);
}

static void
rounds_review_queue_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rounds_review_queue_get_item_type;
  iface->get_n_items = rounds_review_queue_get_n_items;
  iface->get_item = rounds_review_queue_get_item;
}

/**
 * rounds_review_queue_set_disputes:
 * @disputes: (transfer full) (nullable) (element-type RoundsDispute): the queue in review
 *   order, its free function rounds_dispute_free() or none; %NULL empties the queue
 *
 * Replaces what the queue holds.
 */
void
rounds_review_queue_set_disputes (RoundsReviewQueue *self,
                                  GPtrArray         *disputes)
{
  guint removed;

  g_return_if_fail (ROUNDS_IS_REVIEW_QUEUE (self));

  removed = self->entries->len;
  g_ptr_array_unref (self->disputes);
  g_ptr_array_unref (self->entries);
  self->disputes = disputes != NULL ? disputes : g_ptr_array_new ();
  g_ptr_array_set_free_func (self->disputes, (GDestroyNotify) rounds_dispute_free);
  self->entries = g_ptr_array_new_full (self->disputes->len, entry_free);
  g_ptr_array_set_size (self->entries, (int) self->disputes->len);
  if (removed > 0 || self->entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->entries->len);
}

RoundsReviewQueue *
rounds_review_queue_new (void)
{
  return g_object_new (ROUNDS_TYPE_REVIEW_QUEUE, NULL);
}

static void
rounds_review_queue_finalize (GObject *object)
{
  RoundsReviewQueue *self = ROUNDS_REVIEW_QUEUE (object);

  g_ptr_array_unref (self->disputes);
  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (rounds_review_queue_parent_class)->finalize (object);
}

static void
rounds_review_queue_class_init (RoundsReviewQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rounds_review_queue_finalize;
}

static void
rounds_review_queue_init (RoundsReviewQueue *self)
{
  self->disputes = g_ptr_array_new ();
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

/* The queue's rows ------------------------------------------------------------------------ */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_inscription_new (NULL);
  GtkWidget *subtitle = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (title),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (subtitle),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
update_subtitle (RoundsReviewEntry *entry,
                 GParamSpec        *pspec,
                 GtkInscription    *subtitle)
{
  g_autofree char *text = rounds_review_entry_dup_subtitle (entry);

  gtk_inscription_set_text (subtitle, text);
  /* What a screen reader says of the row: its title, then this. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (subtitle))),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  RoundsReviewEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *subtitle = gtk_widget_get_last_child (box);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_widget_get_first_child (box)),
                            rounds_review_entry_get_title (entry));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rounds_review_entry_get_title (entry), -1);
  update_subtitle (entry, NULL, GTK_INSCRIPTION (subtitle));
  g_signal_connect_object (entry, "notify::has-verdict", G_CALLBACK (update_subtitle), subtitle,
                           0);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item)
{
  RoundsReviewEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  if (entry != NULL)
    g_signal_handlers_disconnect_by_func (entry, update_subtitle, gtk_widget_get_last_child (box));
}

/**
 * rounds_review_queue_row_factory_new:
 *
 * Returns: (transfer full): a factory of the queue's rows, a title and a subtitle that
 *   follows the entry's verdict (also the row's accessible label and description); a list
 *   view makes them for the entries about the screen only, and gives them to others as the
 *   list scrolls
 */
GtkListItemFactory *
rounds_review_queue_row_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  return factory;
}
