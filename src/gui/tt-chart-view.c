/* tt-chart-view.c: the MAP trend chart on screen.
 *
 * The drawing is TtChart's (PLplot on the drawing area's cairo context, on the main thread); the
 * view only turns the widget's style into chart colours, the buttons and keys into window changes,
 * and the chart's state into an accessible description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-chart-view.h"

struct _TtChartView
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkWidget       *window_selector;
  GtkLabel        *position_label;
  GtkDrawingArea  *drawing_area;

  /* owned */
  TtChart         *chart;
  gulong           changed_id;
  char            *description;
  TtChartStyle     style;
  char            *error_message;

  int              window_minutes;
};

enum {
  PROP_0,
  PROP_CHART,
  PROP_WINDOW_MINUTES,
  PROP_SHOW_WINDOW_SELECTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtChartView, tt_chart_view, GTK_TYPE_WIDGET)

/* Style */

static TtChartColor
chart_color (const GdkRGBA *rgba)
{
  return (TtChartColor) { rgba->red, rgba->green, rgba->blue, rgba->alpha };
}

/* A named colour of the current style sheet (Adwaita's), or @fallback when it has none. GTK 4.8
 * has no replacement for the lookup; it is deprecated only from 4.10 on. */
static TtChartColor
lookup (GtkStyleContext *context,
        const char      *name,
        const char      *fallback)
{
  GdkRGBA rgba;

  if (!gtk_style_context_lookup_color (context, name, &rgba))
    gdk_rgba_parse (&rgba, fallback);
  return chart_color (&rgba);
}

static TtChartColor
over (TtChartColor top,
      TtChartColor bottom)
{
  double a = top.alpha + bottom.alpha * (1 - top.alpha);

  if (a <= 0)
    return top;
  return (TtChartColor) {
    (top.red * top.alpha + bottom.red * bottom.alpha * (1 - top.alpha)) / a,
    (top.green * top.alpha + bottom.green * bottom.alpha * (1 - top.alpha)) / a,
    (top.blue * top.alpha + bottom.blue * bottom.alpha * (1 - top.alpha)) / a,
    a,
  };
}

static TtChartColor
fade (TtChartColor color,
      double       alpha)
{
  color.alpha *= alpha;
  return color;
}

static void
compute_style (TtChartView  *self,
               TtChartStyle *style)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);
  gboolean high_contrast = adw_style_manager_get_high_contrast (manager);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  TtChartColor window_bg = lookup (context, "window_bg_color", dark ? "#242424" : "#fafafa");
  TtChartColor card_bg = lookup (context, "card_bg_color", dark ? "rgba(255,255,255,0.08)" : "#ffffff");
  TtChartColor fg = lookup (context, "window_fg_color", dark ? "#ffffff" : "rgba(0,0,0,0.8)");
  G_GNUC_END_IGNORE_DEPRECATIONS
  PangoFontDescription *font = pango_context_get_font_description (
    gtk_widget_get_pango_context (GTK_WIDGET (self)));
  double font_px = 14;

  if (font && pango_font_description_get_size (font) > 0)
    {
      font_px = pango_font_description_get_size (font) / (double) PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (font))
        font_px *= 96.0 / 72.0;
    }

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  *style = (TtChartStyle) {
    /* The view usually sits in a card: paint what the card shows, opaque, so that labels over
     * the data can sit on patches of it. */
    .background = over (card_bg, window_bg),
    .foreground = fg,
    .grid = fade (fg, high_contrast ? 0.3 : 0.1),
    .map = lookup (context, dark ? "blue_2" : "blue_4", dark ? "#62a0ea" : "#1c71d8"),
    .band = fade (lookup (context, "success_color", dark ? "#8ff0a4" : "#1b8553"),
                  high_contrast ? 0.35 : 0.2),
    .threshold = lookup (context, dark ? "red_1" : "red_3", dark ? "#f66151" : "#e01b24"),
    .critical = lookup (context, "error_color", dark ? "#ff7b63" : "#c01c28"),
    .rate = lookup (context, dark ? "purple_1" : "purple_3", dark ? "#dc8add" : "#9141ac"),
    .event = lookup (context, "warning_color", dark ? "#f8e45c" : "#9c6e03"),
    .excluded = fade (fg, 0.6),
    /* A little larger than the interface's text: the chart is read from across the room. */
    .font_px = CLAMP (font_px * 1.1, 12, 32),
    .line_px = high_contrast ? 3 : 2,
  };
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
tt_chart_view_get_style (TtChartView  *self,
                         TtChartStyle *style)
{
  g_return_if_fail (TT_IS_CHART_VIEW (self));
  g_return_if_fail (style != NULL);

  compute_style (self, style);
}

/* Drawing */

static void
update_description (TtChartView *self)
{
  g_autofree char *text = tt_chart_describe (self->chart);

  if (g_strcmp0 (text, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drawing_area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description, -1);
}

static void
draw_message (cairo_t      *cr,
              GtkWidget    *widget,
              int           width,
              int           height,
              const char   *message)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, message);
  GdkRGBA color;
  int w, h;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  pango_layout_set_width (layout, MAX (1, width - 24) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_move_to (cr, 12, MAX (0, (height - h) / 2));
  pango_cairo_show_layout (cr, layout);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  TtChartView *self = user_data;
  g_autoptr(GError) error = NULL;

  compute_style (self, &self->style);
  tt_chart_set_style (self->chart, &self->style);
  if (!tt_chart_draw (self->chart, cr, width, height, &error))
    {
      /* Never a blank chart without a reason: say why it is not drawn. */
      if (g_strcmp0 (self->error_message, error->message) != 0)
        {
          g_free (self->error_message);
          self->error_message = g_strdup (error->message);
          g_message ("Chart not drawn: %s", error->message);
        }
      draw_message (cr, GTK_WIDGET (area), width, height, error->message);
    }
  else
    {
      g_clear_pointer (&self->error_message, g_free);
    }
  update_description (self);
}

static void
update_position (TtChartView *self)
{
  gboolean follow = tt_chart_get_follow (self->chart);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.scroll-forward", !follow);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.live", !follow);
  if (follow)
    {
      gtk_label_set_text (self->position_label, "");
    }
  else
    {
      gint64 end;
      g_autofree char *text = NULL;
      long minutes;

      tt_chart_get_window (self->chart, NULL, &end);
      minutes = (long) ((tt_chart_get_last_time (self->chart) - end + 30000) / 60000);
      /* Translators: shown when the chart is scrolled back from the latest data. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%ld min back", "%ld min back",
                                           minutes), minutes);
      gtk_label_set_text (self->position_label, text);
    }
}

static void
chart_changed_cb (TtChartView *self,
                  TtChart     *chart)
{
  update_position (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->drawing_area));
}

static void
style_changed_cb (TtChartView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->drawing_area));
}

/* Properties */

TtChart *
tt_chart_view_get_chart (TtChartView *self)
{
  g_return_val_if_fail (TT_IS_CHART_VIEW (self), NULL);

  return self->chart;
}

void
tt_chart_view_set_chart (TtChartView *self,
                         TtChart     *chart)
{
  g_autoptr(TtChart) own = NULL;

  g_return_if_fail (TT_IS_CHART_VIEW (self));
  g_return_if_fail (chart == NULL || TT_IS_CHART (chart));

  if (chart == NULL)
    chart = own = tt_chart_new ();
  if (self->chart == chart)
    return;
  if (self->chart)
    g_clear_signal_handler (&self->changed_id, self->chart);
  g_set_object (&self->chart, chart);
  self->changed_id = g_signal_connect_object (chart, "changed", G_CALLBACK (chart_changed_cb),
                                              self, G_CONNECT_SWAPPED);
  tt_chart_set_span (chart, (gint64) self->window_minutes * 60000, NULL);
  chart_changed_cb (self, chart);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}

int
tt_chart_view_get_window_minutes (TtChartView *self)
{
  g_return_val_if_fail (TT_IS_CHART_VIEW (self), 0);

  return self->window_minutes;
}

void
tt_chart_view_set_window_minutes (TtChartView *self,
                                  int          minutes)
{
  g_return_if_fail (TT_IS_CHART_VIEW (self));
  g_return_if_fail (minutes >= 1 && minutes <= 24 * 60);

  if (self->window_minutes == minutes)
    return;
  self->window_minutes = minutes;
  tt_chart_set_span (self->chart, (gint64) minutes * 60000, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW_MINUTES]);
}

void
tt_chart_view_set_show_window_selector (TtChartView *self,
                                        gboolean     show)
{
  g_return_if_fail (TT_IS_CHART_VIEW (self));

  show = !!show;
  if (gtk_widget_get_visible (self->window_selector) == show)
    return;
  gtk_widget_set_visible (self->window_selector, show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_WINDOW_SELECTOR]);
}

const char *
tt_chart_view_get_description (TtChartView *self)
{
  g_return_val_if_fail (TT_IS_CHART_VIEW (self), NULL);

  update_description (self);
  return self->description;
}

gboolean
tt_chart_view_time_at (TtChartView *self,
                       double       x,
                       double       y,
                       gint64      *t_ms)
{
  GtkWidget *area;
  double ax, ay;

  g_return_val_if_fail (TT_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (t_ms != NULL, FALSE);

  area = GTK_WIDGET (self->drawing_area);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self), area, x, y, &ax, &ay) ||
      !gtk_widget_contains (area, ax, ay))
    return FALSE;
  return tt_chart_time_at (self->chart, gtk_widget_get_width (area),
                           gtk_widget_get_height (area), ax, t_ms);
}

/* Actions */

static void
scroll_back_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TtChartView *self = TT_CHART_VIEW (widget);

  tt_chart_scroll (self->chart, -tt_chart_get_span (self->chart) / 2);
}

static void
scroll_forward_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TtChartView *self = TT_CHART_VIEW (widget);

  tt_chart_scroll (self->chart, tt_chart_get_span (self->chart) / 2);
}

static void
live_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  tt_chart_set_follow (TT_CHART_VIEW (widget)->chart, TRUE);
}

/* GObject */

static void
tt_chart_view_dispose (GObject *object)
{
  TtChartView *self = TT_CHART_VIEW (object);
  GtkWidget *child;

  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->chart)
    g_clear_signal_handler (&self->changed_id, self->chart);
  g_clear_object (&self->chart);

  G_OBJECT_CLASS (tt_chart_view_parent_class)->dispose (object);
}

static void
tt_chart_view_finalize (GObject *object)
{
  TtChartView *self = TT_CHART_VIEW (object);

  g_free (self->description);
  g_free (self->error_message);

  G_OBJECT_CLASS (tt_chart_view_parent_class)->finalize (object);
}

static void
tt_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtChartView *self = TT_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, self->chart);
      break;
    case PROP_WINDOW_MINUTES:
      g_value_set_int (value, self->window_minutes);
      break;
    case PROP_SHOW_WINDOW_SELECTOR:
      g_value_set_boolean (value, gtk_widget_get_visible (self->window_selector));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtChartView *self = TT_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      tt_chart_view_set_chart (self, g_value_get_object (value));
      break;
    case PROP_WINDOW_MINUTES:
      tt_chart_view_set_window_minutes (self, g_value_get_int (value));
      break;
    case PROP_SHOW_WINDOW_SELECTOR:
      tt_chart_view_set_show_window_selector (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_chart_view_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (tt_chart_view_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (GTK_WIDGET (TT_CHART_VIEW (widget)->drawing_area));
}

static void
tt_chart_view_class_init (TtChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_chart_view_dispose;
  object_class->finalize = tt_chart_view_finalize;
  object_class->get_property = tt_chart_view_get_property;
  object_class->set_property = tt_chart_view_set_property;
  widget_class->css_changed = tt_chart_view_css_changed;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL, TT_TYPE_CHART,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WINDOW_MINUTES] =
    g_param_spec_int ("window-minutes", NULL, NULL, 1, 24 * 60, 15,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_WINDOW_SELECTOR] =
    g_param_spec_boolean ("show-window-selector", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-chart-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TtChartView, window_selector);
  gtk_widget_class_bind_template_child (widget_class, TtChartView, position_label);
  gtk_widget_class_bind_template_child (widget_class, TtChartView, drawing_area);

  gtk_widget_class_install_property_action (widget_class, "chart.window", "window-minutes");
  gtk_widget_class_install_action (widget_class, "chart.scroll-back", NULL, scroll_back_cb);
  gtk_widget_class_install_action (widget_class, "chart.scroll-forward", NULL, scroll_forward_cb);
  gtk_widget_class_install_action (widget_class, "chart.live", NULL, live_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "chart.scroll-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.scroll-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "chart.scroll-forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.scroll-forward",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.live", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "chart.window", "i", 5);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, 0, "chart.window", "i", 15);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, 0, "chart.window", "i", 30);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, 0, "chart.window", "i", 60);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "chartview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_chart_view_init (TtChartView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->window_minutes = 15;
  gtk_drawing_area_set_draw_func (self->drawing_area, draw_cb, self, NULL);
  tt_chart_view_set_chart (self, NULL);
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
tt_chart_view_new (void)
{
  return g_object_new (TT_TYPE_CHART_VIEW, NULL);
}
