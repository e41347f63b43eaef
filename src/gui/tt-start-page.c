/* tt-start-page.c: what the window shows when no case is open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-history-item.h"
#include "tt-start-page.h"

struct _TtStartPage
{
  GtkWidget   parent_instance;

  /* template widgets */
  AdwActionRow        *live_row;
  AdwActionRow        *training_row;
  AdwActionRow        *recording_row;
  GtkStack            *recent_stack;
  GtkListBox          *recent_list;
  AdwPreferencesGroup *interrupted_group;
  GtkListBox          *interrupted_list;

  /* owned */
  TtStore             *store;
  GListStore          *recent;        /* of TtHistoryItem */
  GListStore          *interrupted;   /* of TtHistoryItem */
  GCancellable        *listing;
  guint                pending;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtStartPage, tt_start_page, GTK_TYPE_WIDGET)

GListModel *
tt_start_page_get_recent (TtStartPage *self)
{
  g_return_val_if_fail (TT_IS_START_PAGE (self), NULL);
  return G_LIST_MODEL (self->recent);
}

GListModel *
tt_start_page_get_interrupted (TtStartPage *self)
{
  g_return_val_if_fail (TT_IS_START_PAGE (self), NULL);
  return G_LIST_MODEL (self->interrupted);
}

gboolean
tt_start_page_get_busy (TtStartPage *self)
{
  g_return_val_if_fail (TT_IS_START_PAGE (self), FALSE);
  return self->pending > 0;
}

static GtkWidget *
create_recent_row_cb (gpointer item,
                      gpointer user_data)
{
  TtHistoryItem *history_item = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 tt_history_item_get_title (history_item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tt_history_item_get_subtitle (history_item));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.review-session");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                          g_variant_new_int64 (tt_history_item_get_id (history_item)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  return row;
}

/* A touch-sized button of an interrupted case's row, acting on session @id. */
static GtkWidget *
session_button (const char *mnemonic,
                const char *action,
                gint64      id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "touch");
  return button;
}

static GtkWidget *
create_interrupted_row_cb (gpointer item,
                           gpointer user_data)
{
  TtHistoryItem *history_item = item;
  const TtStoreSessionInfo *info = tt_history_item_get_info (history_item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *review = session_button (_("_Review"), "win.review-session", info->id);
  GtkWidget *close = session_button (_("_Close Case"), "start.close-interrupted", info->id);
  GtkWidget *resume = session_button (_("R_esume"), "win.resume-interrupted", info->id);
  g_autofree char *started = tt_history_format_date (info->setup.start_unix_ms);
  g_autofree char *last = info->last_t_ms >= 0
                          ? tt_format_wall_time (info->setup.start_unix_ms, info->last_t_ms, FALSE)
                          : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *close_label = NULL;
  g_autofree char *resume_label = NULL;

  if (last != NULL)
    /* Translators: an interrupted case, "Started 28/11/26 08:12, last data at 08:40". */
    subtitle = g_strdup_printf (_("Started %s, last data at %s"), started, last);
  else
    subtitle = g_strdup_printf (_("Started %s, no data logged"), started);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 tt_history_item_get_title (history_item));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), review);

  gtk_widget_set_tooltip_text (close, _("End the case at its last logged sample; it stays in the "
                                        "history"));
  /* Translators: accessible name of the button closing an interrupted case, "Close case OR 3". */
  close_label = g_strdup_printf (_("Close case %s"), tt_history_item_get_title (history_item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  close_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), close);

  gtk_widget_add_css_class (resume, "suggested-action");
  gtk_widget_set_tooltip_text (resume, _("Open the case again as it was logged and go on "
                                         "recording it in the same session"));
  /* Translators: accessible name of the button resuming an interrupted case, "Resume case OR 3". */
  resume_label = g_strdup_printf (_("Resume case %s"), tt_history_item_get_title (history_item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (resume), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  resume_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), resume);
  return row;
}

static void
done_one (TtStartPage *self)
{
  self->pending--;
  if (self->pending == 0)
    {
      g_clear_object (&self->listing);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
fill (GListStore *store,
      GPtrArray  *sessions,
      guint       max)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Newest first. */
  for (guint i = sessions->len; i > 0 && items->len < max; i--)
    g_ptr_array_add (items, tt_history_item_new (g_ptr_array_steal_index (sessions, i - 1)));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       items->pdata, items->len);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TtStartPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tt_store_list_sessions_finish (TT_STORE (source), result,
                                                                 &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sessions == NULL)
    g_message ("Recent sessions: %s", error->message);
  else
    fill (self->recent, sessions, TT_START_PAGE_RECENT);
  gtk_stack_set_visible_child_name (self->recent_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->recent)) > 0
                                    ? "list" : "empty");
  done_one (self);
}

static void
interrupted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TtStartPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tt_store_find_interrupted_finish (TT_STORE (source), result,
                                                                    &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sessions == NULL)
    g_message ("Interrupted sessions: %s", error->message);
  else
    fill (self->interrupted, sessions, G_MAXUINT);
  gtk_widget_set_visible (GTK_WIDGET (self->interrupted_group),
                          g_list_model_get_n_items (G_LIST_MODEL (self->interrupted)) > 0);
  done_one (self);
}

void
tt_start_page_reload (TtStartPage *self)
{
  g_return_if_fail (TT_IS_START_PAGE (self));

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  self->pending = 0;
  if (self->store == NULL)
    return;
  self->listing = g_cancellable_new ();
  self->pending = 2;
  tt_store_list_sessions_async (self->store, self->listing, listed_cb, g_object_ref (self));
  tt_store_find_interrupted_async (self->store, self->listing, interrupted_cb,
                                   g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

TtStore *
tt_start_page_get_store (TtStartPage *self)
{
  g_return_val_if_fail (TT_IS_START_PAGE (self), NULL);
  return self->store;
}

void
tt_start_page_set_store (TtStartPage *self,
                         TtStore     *store)
{
  g_return_if_fail (TT_IS_START_PAGE (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  tt_start_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TtStartPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tt_store_flush_finish (TT_STORE (source), result, &error))
    g_message ("Closing an interrupted case: %s", error->message);
  tt_start_page_reload (self);
}

static void
close_interrupted_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TtStartPage *self = TT_START_PAGE (widget);

  if (self->store == NULL)
    return;
  tt_store_close_interrupted (self->store, g_variant_get_int64 (parameter));
  tt_store_flush_async (self->store, NULL, flushed_cb, g_object_ref (self));
}

static void
tt_start_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tt_start_page_parent_class)->map (widget);

  /* A case just ended or deleted shows at once. */
  tt_start_page_reload (TT_START_PAGE (widget));
}

static void
tt_start_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtStartPage *self = TT_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_start_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtStartPage *self = TT_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tt_start_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_start_page_dispose (GObject *object)
{
  TtStartPage *self = TT_START_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_START_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->recent);
  g_clear_object (&self->interrupted);

  G_OBJECT_CLASS (tt_start_page_parent_class)->dispose (object);
}

static void
tt_start_page_class_init (TtStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_start_page_dispose;
  object_class->get_property = tt_start_page_get_property;
  object_class->set_property = tt_start_page_set_property;
  widget_class->map = tt_start_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, live_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, training_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recording_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recent_stack);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, interrupted_group);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, interrupted_list);

  gtk_widget_class_install_action (widget_class, "start.close-interrupted", "x",
                                   close_interrupted_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_start_page_init (TtStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recent = g_list_store_new (TT_TYPE_HISTORY_ITEM);
  self->interrupted = g_list_store_new (TT_TYPE_HISTORY_ITEM);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->recent), create_recent_row_cb,
                           NULL, NULL);
  gtk_list_box_bind_model (self->interrupted_list, G_LIST_MODEL (self->interrupted),
                           create_interrupted_row_cb, NULL, NULL);
}
