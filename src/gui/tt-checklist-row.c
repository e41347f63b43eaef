/* tt-checklist-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-checklist-row.h"

struct _TtChecklistRow
{
  AdwActionRow      parent_instance;

  /* template widgets */
  GtkImage         *check_image;
  GtkLabel         *state_label;

  /* owned */
  TtChecklistItem  *item;
  GBindingGroup    *bindings;
  gint64            start_unix_ms;
};

G_DEFINE_FINAL_TYPE (TtChecklistRow, tt_checklist_row, ADW_TYPE_ACTION_ROW)

static void
update_state (TtChecklistRow *self)
{
  gint64 ticked = tt_checklist_item_get_ticked_ms (self->item);
  gboolean done = ticked >= 0;

  if (done)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (0);
      g_autoptr(GDateTime) at = g_date_time_add (utc, (self->start_unix_ms + ticked) * 1000);
      g_autoptr(GDateTime) local = g_date_time_to_local (at);
      g_autofree char *text = g_date_time_format (local, "%H:%M:%S");

      gtk_label_set_label (self->state_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self), "done");
    }
  else
    {
      gtk_label_set_label (self->state_label, _("tap to confirm"));
      gtk_widget_remove_css_class (GTK_WIDGET (self), "done");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_CHECKED,
                               done ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

GtkWidget *
tt_checklist_row_new (TtChecklistItem *item,
                      gint64           start_unix_ms)
{
  TtChecklistRow *self;

  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (item), NULL);

  self = g_object_new (TT_TYPE_CHECKLIST_ROW, NULL);
  self->item = g_object_ref (item);
  self->start_unix_ms = start_unix_ms;
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s",
                                    tt_checklist_id_to_string (tt_checklist_item_get_id (item)));
  g_binding_group_set_source (self->bindings, item);
  g_signal_connect_object (item, "notify::ticked-ms", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  update_state (self);
  return GTK_WIDGET (self);
}

TtChecklistItem *
tt_checklist_row_get_item (TtChecklistRow *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ROW (self), NULL);
  return self->item;
}

const char *
tt_checklist_row_get_state_text (TtChecklistRow *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ROW (self), NULL);
  return gtk_label_get_label (self->state_label);
}

static void
tt_checklist_row_dispose (GObject *object)
{
  TtChecklistRow *self = TT_CHECKLIST_ROW (object);

  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  g_clear_object (&self->bindings);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (tt_checklist_row_parent_class)->dispose (object);
}

static void
tt_checklist_row_class_init (TtChecklistRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_checklist_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-checklist-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TtChecklistRow, check_image);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistRow, state_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_CHECKBOX);
}

static void
tt_checklist_row_init (TtChecklistRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "title", self, "title", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "detail", self, "subtitle", G_BINDING_SYNC_CREATE);
}
