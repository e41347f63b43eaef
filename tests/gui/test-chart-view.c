/* test-chart-view.c: the chart widget in light and dark style, its window and scroll actions, its
 * keys and its accessible description; screenshots go to $TITRATE_BUILD_DIR/screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tt-application.h"
#include "tt-chart-view.h"
#include "tt-test-gui.h"
#include "../chart/tt-test-chart.h"

static TtApplication *app;
static GtkWindow *window;
static TtChartView *view;

static void
show_view (void)
{
  window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  view = TT_CHART_VIEW (tt_chart_view_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (view), 12);
  gtk_widget_add_css_class (GTK_WIDGET (view), "card");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (window, 900, 440);
  tt_test_chart_fill (tt_chart_view_get_chart (view), 1, 16.5);
  gtk_window_present (window);
  tt_test_spin (300);
}

/* Counts the pixels of a PNG whose colour is within 40 of @rgb in every channel. */
static guint
count_pixels_like (const char *path,
                   guint32     rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint count = 0;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + x * 4);
        gboolean like = TRUE;

        for (int shift = 0; shift < 24; shift += 8)
          if (ABS ((int) ((p >> shift) & 0xff) - (int) ((rgb >> shift) & 0xff)) > 40)
            like = FALSE;
        count += like;
      }
  cairo_surface_destroy (surface);
  return count;
}

static guint32
rgb_of (const TtChartColor *color)
{
  return ((guint32) (color->red * 255 + 0.5) << 16) | ((guint32) (color->green * 255 + 0.5) << 8) |
         (guint32) (color->blue * 255 + 0.5);
}

static void
test_chart_view_styles (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  TtChartStyle light, dark;
  g_autofree char *light_path = NULL;
  g_autofree char *dark_path = NULL;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (200);
  tt_chart_view_get_style (view, &light);
  light_path = tt_test_screenshot (GTK_WIDGET (window), "chart-view-light");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  tt_chart_view_get_style (view, &dark);
  dark_path = tt_test_screenshot (GTK_WIDGET (window), "chart-view-dark");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  tt_test_spin (100);

  /* The colours follow Adwaita: a light and a dark card, the accent blues for MAP. */
  g_assert_cmpfloat (light.background.red, >, 0.9);
  g_assert_cmpfloat (dark.background.red, <, 0.3);
  g_assert_cmpfloat (light.background.alpha, ==, 1);
  g_assert_cmpuint (rgb_of (&light.map), ==, 0x1c71d8);
  g_assert_cmpuint (rgb_of (&dark.map), ==, 0x62a0ea);
  g_assert_cmpfloat (light.font_px, >=, 12);

  /* Each screenshot shows the chart in its own style: a large area of its background, and the
   * MAP line in its colour; the other style's background is nowhere in it. */
  g_assert_cmpuint (count_pixels_like (light_path, rgb_of (&light.background)), >, 100000);
  g_assert_cmpuint (count_pixels_like (light_path, rgb_of (&light.map)), >, 1000);
  g_assert_cmpuint (count_pixels_like (dark_path, rgb_of (&dark.background)), >, 100000);
  g_assert_cmpuint (count_pixels_like (dark_path, rgb_of (&dark.map)), >, 1000);
  g_assert_cmpuint (count_pixels_like (dark_path, rgb_of (&dark.background)), >,
                    10 * count_pixels_like (light_path, rgb_of (&dark.background)));
  g_assert_cmpuint (count_pixels_like (light_path, rgb_of (&light.background)), >,
                    10 * count_pixels_like (dark_path, rgb_of (&light.background)));
}

static void
test_chart_view_window_and_scroll (void)
{
  TtChart *chart = tt_chart_view_get_chart (view);
  gint64 end;

  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 15);
  g_assert_cmpint (tt_chart_get_span (chart), ==, 15 * 60000);
  gtk_widget_activate_action (GTK_WIDGET (view), "chart.window", "i", 5);
  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 5);
  g_assert_cmpint (tt_chart_get_span (chart), ==, 5 * 60000);

  g_assert_true (tt_chart_get_follow (chart));
  gtk_widget_activate_action (GTK_WIDGET (view), "chart.scroll-back", NULL);
  g_assert_false (tt_chart_get_follow (chart));
  tt_chart_get_window (chart, NULL, &end);
  /* Half a 5 min window back from the last sample at 16 min 29 s. */
  g_assert_cmpint (end, ==, 989000 - 150000);
  gtk_widget_activate_action (GTK_WIDGET (view), "chart.live", NULL);
  g_assert_true (tt_chart_get_follow (chart));
  gtk_widget_activate_action (GTK_WIDGET (view), "chart.window", "i", 15);
  tt_test_spin (100);
}

/* Runs the view's shortcut for @keyval as a key press would. */
static void
press (guint keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              found = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                    GTK_WIDGET (view),
                                                    gtk_shortcut_get_arguments (shortcut));
            }
        }
    }
  g_assert_true (found);
}

static void
test_chart_view_keys (void)
{
  TtChart *chart = tt_chart_view_get_chart (view);

  press (GDK_KEY_Page_Up);
  g_assert_false (tt_chart_get_follow (chart));
  press (GDK_KEY_Page_Down);
  g_assert_true (tt_chart_get_follow (chart));
  press (GDK_KEY_Left);
  g_assert_false (tt_chart_get_follow (chart));
  press (GDK_KEY_End);
  g_assert_true (tt_chart_get_follow (chart));
  press (GDK_KEY_4);
  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 60);
  press (GDK_KEY_2);
  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 15);
}

static void
test_chart_view_description (void)
{
  TtChart *chart = tt_chart_view_get_chart (view);
  g_autoptr(GError) error = NULL;

  /* The fixture ends on a noisy 52 mmHg plateau (last sample 51 mmHg), on 0.09 µg/kg/min of
   * 20 µg/mL for 72 kg. */
  g_assert_cmpstr (tt_chart_view_get_description (view), ==,
                   "MAP 51 mmHg, below the target band 70–90 mmHg, below the critical threshold "
                   "60 mmHg, steady; NE 0.09 µg/kg/min (19.4 mL/h)");
  g_assert_true (tt_chart_append_map (chart, 990000, 75, &error));
  g_assert_no_error (error);
  tt_test_spin (100);
  g_assert_nonnull (strstr (tt_chart_view_get_description (view),
                            "MAP 75 mmHg, in the target band 70–90 mmHg"));
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);

  /* The application loads the resources and style sheets, as in the real program. */
  app = tt_test_app_new ();

  show_view ();
  g_test_add_func ("/chart-view/styles", test_chart_view_styles);
  g_test_add_func ("/chart-view/window-and-scroll", test_chart_view_window_and_scroll);
  g_test_add_func ("/chart-view/keys", test_chart_view_keys);
  g_test_add_func ("/chart-view/description", test_chart_view_description);
  status = g_test_run ();
  gtk_window_destroy (window);
  tt_test_app_free (&app);
  return status;
}
