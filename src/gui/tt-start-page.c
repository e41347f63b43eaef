/* tt-start-page.c: what the window shows when no case is open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-start-page.h"

struct _TtStartPage
{
  GtkWidget   parent_instance;

  /* template widgets */
  AdwActionRow *live_row;
  AdwActionRow *training_row;
  AdwActionRow *recording_row;
  GtkStack     *recent_stack;
  GtkListBox   *recent_list;
};

G_DEFINE_FINAL_TYPE (TtStartPage, tt_start_page, GTK_TYPE_WIDGET)

static void
tt_start_page_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_start_page_parent_class)->dispose (object);
}

static void
tt_start_page_class_init (TtStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_start_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, live_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, training_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recording_row);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recent_stack);
  gtk_widget_class_bind_template_child (widget_class, TtStartPage, recent_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_start_page_init (TtStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
