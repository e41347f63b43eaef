/* tt-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-start-page.h"
#include "tt-window.h"

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *primary_menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  TtStartPage          *start_page;
};

G_DEFINE_FINAL_TYPE (TtWindow, tt_window, ADW_TYPE_APPLICATION_WINDOW)

TtWindow *
tt_window_new (TtApplication *application)
{
  TtWindow *self = g_object_new (TT_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = tt_application_get_settings (application);

  /* The window's size is remembered between runs; bound, so no save-on-close code is needed. */
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  return self;
}

void
tt_window_show_page (TtWindow   *self,
                     const char *name)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
tt_window_get_visible_page (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
tt_window_add_toast (TtWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
tt_window_class_init (TtWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (TT_TYPE_START_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, start_page);
}

static void
tt_window_init (TtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
