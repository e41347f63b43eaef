/* tt-history-page.c: the session log as a list. The store lists and loads on its threads; the
 * engine computes each session's metrics on a worker thread, one session after the other, so a
 * long log never stalls the screen; the page only lays out what comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-history-actions.h"
#include "tt-history-item.h"
#include "tt-history-page.h"
#include "tt-store-review.h"

struct _TtHistoryPage
{
  GtkWidget           parent_instance;

  /* template widgets */
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkListBox         *list_box;
  GtkFilterListModel *filter_model;
  GtkLabel           *count_label;

  /* owned */
  TtStore            *store;
  GListStore         *items;          /* of TtHistoryItem, newest first */
  GHashTable         *metrics;        /* id → TtStoreReviewMetrics, kept across reloads */
  GCancellable       *listing;
  GCancellable       *computing;
  gboolean            loading;
  gboolean            failed;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtHistoryPage, tt_history_page, GTK_TYPE_WIDGET)

static void compute_next (TtHistoryPage *self);

const char *
tt_history_page_get_state (TtHistoryPage *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
tt_history_page_get_busy (TtHistoryPage *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_PAGE (self), FALSE);
  return self->loading || self->computing != NULL;
}

GListModel *
tt_history_page_get_model (TtHistoryPage *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

static void
update_state (TtHistoryPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  const char *state;
  g_autofree char *count = NULL;

  if (self->loading && total == 0)
    state = "loading";
  else if (self->failed && total == 0)
    state = "error";
  else if (total == 0)
    state = "empty";
  else if (shown == 0)
    state = "no-results";
  else
    state = "list";
  gtk_stack_set_visible_child_name (self->stack, state);

  if (shown == total)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session", "%u sessions", total),
                             total);
  else
    /* Translators: "3 of 12 sessions" match the search. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u session", "%u of %u sessions",
                                          total), shown, total);
  gtk_label_set_text (self->count_label, count);
}

static void
set_busy (TtHistoryPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Rows */

static GMenuModel *
row_menu (gint64 id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) files = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;
  static const struct { const char *label; const char *format; } exports[] = {
    { N_("Save PDF Report…"), "pdf" },
    { N_("Export as CSV…"), "csv" },
    { N_("Export as VitalDB File…"), "vital" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      g_autoptr(GMenuItem) export = g_menu_item_new (_(exports[i].label), NULL);

      g_menu_item_set_action_and_target_value (export, "history.export",
                                               g_variant_new ("(xs)", id, exports[i].format));
      g_menu_append_item (files, export);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (files));
  item = g_menu_item_new (_("_Delete…"), NULL);
  g_menu_item_set_action_and_target_value (item, "history.delete", g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  TtHistoryItem *history_item = item;
  gint64 id = tt_history_item_get_id (history_item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenuModel) menu = row_menu (id);
  g_autofree char *menu_label = NULL;

  /* Labels are plain text ("<" or "&" in a label are not markup). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_bind_property (history_item, "title", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (history_item, "details", row, "subtitle", G_BINDING_SYNC_CREATE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.review-session");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_int64 (id));

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Export or delete"));
  /* Translators: the accessible name of a session's menu button, "Export or delete OR 3". */
  menu_label = g_strdup_printf (_("Export or delete %s"), tt_history_item_get_title (history_item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  menu_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  return row;
}

/* Metrics, one session at a time */

static TtHistoryItem *
find_item (TtHistoryPage *self,
           gint64         id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (tt_history_item_get_id (item) == id)
        return item;
    }
  return NULL;
}

typedef struct {
  TtHistoryPage *self;
  gint64         id;
} ComputeData;

static void
metrics_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autofree ComputeData *data = user_data;
  TtHistoryPage *self = data->self;
  g_autoptr(GError) error = NULL;
  TtStoreReviewMetrics metrics;
  TtHistoryItem *item;
  gboolean ok = tt_store_review_metrics_finish (TT_STORE (source), result, &metrics, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->computing);
  item = find_item (self, data->id);
  if (ok)
    g_hash_table_insert (self->metrics, g_memdup2 (&data->id, sizeof data->id),
                         g_memdup2 (&metrics, sizeof metrics));
  if (item != NULL)
    tt_history_item_set_metrics (item, ok ? &metrics : NULL, ok ? NULL : error->message);
  compute_next (self);
  set_busy (self);
  g_object_unref (self);
}

static void
compute_next (TtHistoryPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  if (self->computing != NULL || self->store == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      ComputeData *data;

      if (tt_history_item_has_metrics (item))
        continue;
      data = g_new0 (ComputeData, 1);
      data->self = g_object_ref (self);
      data->id = tt_history_item_get_id (item);
      self->computing = g_cancellable_new ();
      tt_store_review_metrics_async (self->store, data->id, self->computing, metrics_cb, data);
      return;
    }
}

/* Listing */

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TtHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tt_store_list_sessions_finish (TT_STORE (source), result,
                                                                 &error);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->listing);
  self->loading = FALSE;
  self->failed = sessions == NULL;
  if (sessions == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      g_list_store_remove_all (self->items);
      update_state (self);
      set_busy (self);
      return;
    }

  /* Newest first. */
  for (guint i = sessions->len; i > 0; i--)
    {
      TtStoreSessionInfo *info = g_ptr_array_steal_index (sessions, i - 1);
      const TtStoreReviewMetrics *metrics = g_hash_table_lookup (self->metrics, &info->id);
      TtHistoryItem *item = tt_history_item_new (info);

      /* A session still being recorded changes: its figures are computed afresh each time. */
      if (metrics != NULL && info->state != TT_STORE_STATE_OPEN)
        tt_history_item_set_metrics (item, metrics, NULL);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  update_state (self);
  compute_next (self);
  set_busy (self);
}

void
tt_history_page_reload (TtHistoryPage *self)
{
  g_return_if_fail (TT_IS_HISTORY_PAGE (self));

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_cancellable_cancel (self->computing);
  g_clear_object (&self->computing);
  if (self->store == NULL)
    {
      self->loading = TRUE;
      update_state (self);
      return;
    }
  self->loading = TRUE;
  self->listing = g_cancellable_new ();
  tt_store_list_sessions_async (self->store, self->listing, listed_cb, g_object_ref (self));
  update_state (self);
  set_busy (self);
}

TtStore *
tt_history_page_get_store (TtHistoryPage *self)
{
  g_return_val_if_fail (TT_IS_HISTORY_PAGE (self), NULL);
  return self->store;
}

void
tt_history_page_set_store (TtHistoryPage *self,
                           TtStore       *store)
{
  g_return_if_fail (TT_IS_HISTORY_PAGE (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_hash_table_remove_all (self->metrics);
  g_list_store_remove_all (self->items);
  tt_history_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* Actions */

static void
reload_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  tt_history_page_reload (TT_HISTORY_PAGE (widget));
}

static void
search_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (widget);
  const char *format;
  TtHistoryItem *item;
  gint64 id;

  g_variant_get (parameter, "(x&s)", &id, &format);
  item = find_item (self, id);
  if (item == NULL || self->store == NULL)
    return;
  tt_history_actions_export (widget, self->store, id, tt_history_item_get_title (item),
                             tt_history_item_get_info (item)->setup.start_unix_ms, format);
}

static void
delete_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  TtHistoryItem *item = find_item (self, id);

  if (item == NULL || self->store == NULL)
    return;
  tt_history_actions_delete (widget, self->store, id, tt_history_item_get_title (item),
                             "history.reload");
}

/* GObject */

static void
tt_history_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, tt_history_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_history_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tt_history_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_history_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tt_history_page_parent_class)->map (widget);

  /* Cases logged since the page was last shown appear. */
  tt_history_page_reload (TT_HISTORY_PAGE (widget));
}

static void
tt_history_page_dispose (GObject *object)
{
  TtHistoryPage *self = TT_HISTORY_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_cancellable_cancel (self->computing);
  g_clear_object (&self->computing);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_HISTORY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->items);
  g_clear_pointer (&self->metrics, g_hash_table_unref);

  G_OBJECT_CLASS (tt_history_page_parent_class)->dispose (object);
}

static void
tt_history_page_class_init (TtHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_history_page_dispose;
  object_class->get_property = tt_history_page_get_property;
  object_class->set_property = tt_history_page_set_property;
  widget_class->map = tt_history_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TT_TYPE_HISTORY_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TtHistoryPage, count_label);

  gtk_widget_class_install_action (widget_class, "history.reload", NULL, reload_cb);
  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_cb);
  gtk_widget_class_install_action (widget_class, "history.export", "(xs)", export_cb);
  gtk_widget_class_install_action (widget_class, "history.delete", "x", delete_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "history.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "history.reload", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_history_page_init (TtHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (TT_TYPE_HISTORY_ITEM);
  self->metrics = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->items));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filter_model), create_row_cb,
                           self, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  self->loading = TRUE;
  update_state (self);
}
