/* test-window.c: the application window, its menu actions and the start page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tt-about.h"
#include "tt-advice-card.h"
#include "tt-application.h"
#include "tt-monitor-page.h"
#include "tt-preferences-window.h"
#include "tt-test-gui.h"
#include "tt-window.h"

static TtApplication *app;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

/* Returns the first toplevel of @type other than the main window, or NULL. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
test_window_start_page (void)
{
  TtWindow *window = get_window ();

  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Titrate");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
test_window_preferences (void)
{
  GtkWindow *prefs;
  GSettings *settings = tt_application_get_settings (app);

  g_assert_null (find_toplevel (TT_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tt_test_spin (200);
  prefs = find_toplevel (TT_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (get_window ()));

  /* The rows are bound to the settings: a change of the key shows at once. */
  g_settings_set_int (settings, "hl7-port", 2600);
  g_settings_set_int (settings, "chart-window-min", 30);
  tt_test_spin (50);
  {
    g_autofree char *path = tt_test_screenshot (GTK_WIDGET (prefs), "preferences-light");
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  gtk_window_destroy (prefs);
  g_settings_reset (settings, "hl7-port");
  g_settings_reset (settings, "chart-window-min");
}

static void
test_window_shortcuts (void)
{
  GtkWindow *shortcuts;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (get_window ()), "show-help-overlay"));
  g_action_group_activate_action (G_ACTION_GROUP (get_window ()), "show-help-overlay", NULL);
  tt_test_spin (200);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);
}

static void
test_window_about (void)
{
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  tt_test_spin (200);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Titrate");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "The Titrate developers");
  g_assert_nonnull (strstr (adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (about)),
                            "<p>First release"));
  gtk_window_destroy (about);
}

static void
test_metainfo_parse (void)
{
  static const char xml[] =
    "<component><id>x</id><name>Name</name><name xml:lang=\"de\">Nom</name>"
    "<summary>Sum</summary><developer id=\"d\"><name>Dev</name></developer>"
    "<project_license>GPL-3.0-or-later</project_license>"
    "<url type=\"homepage\">https://h</url><url type=\"bugtracker\">https://b</url>"
    "<releases><release version=\"2.0\"><description><p>New &amp; better</p>"
    "<p xml:lang=\"de\">Neu</p><ul><li>One</li></ul></description></release>"
    "<release version=\"1.0\"><description><p>Old</p></description></release></releases>"
    "</component>";
  g_auto(TtMetainfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_metainfo_parse (xml, -1, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.name, ==, "Name");
  g_assert_cmpstr (info.summary, ==, "Sum");
  g_assert_cmpstr (info.developer, ==, "Dev");
  g_assert_cmpstr (info.license, ==, "GPL-3.0-or-later");
  g_assert_cmpstr (info.homepage, ==, "https://h");
  g_assert_cmpstr (info.issue_url, ==, "https://b");
  g_assert_cmpstr (info.version, ==, "2.0");
  g_assert_cmpstr (info.release_notes, ==, "<p>New &amp; better</p><ul><li>One</li></ul>");
}

static void
test_metainfo_invalid (void)
{
  g_auto(TtMetainfo) info = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (tt_metainfo_parse ("<component><name>X</name></component>", -1, &info, &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE);
  g_clear_error (&error);
  g_assert_false (tt_metainfo_parse ("<component><name>", -1, &info, &error));
  g_assert_nonnull (error);
  g_assert_null (info.name);
}

/* The window fits a 1280×800 touch screen: GtkStack asks for the largest of its pages, so every
 * page's minimum, with the header bar above it, stays within 1280 × 800; the monitor does so
 * with everything it can show at once (a banner, a bad signal, the longest advice) and with the
 * replay bar of a replayed recording under it. */
#define SCREEN_WIDTH  1280
#define SCREEN_HEIGHT 800

static void
fill_monitor (TtMonitorPage *monitor)
{
  TtAdvice advice = {
    .t_ms = 406000,
    .kind = TT_ADVICE_RESCUE_BOLUS,
    .reason = TT_REASON_CRITICAL,
    .limits = TT_LIMIT_STEP | TT_LIMIT_LINE_DELAY,
    .current_rate = 0.09,
    .current_ml_h = 19.44,
    .rate = 0.11,
    .ml_h = 23.76,
    .change = 0.02,
    .bolus = TRUE,
    .bolus_ug = 10,
    .bolus_ml = 0.5,
    .critical_mmhg = 60,
    .title = (char *) "Give rescue bolus, then increase",
    .sentence = (char *) "MAP 53 is 17 below the band and falling 3 mmHg/min; critical 60 mmHg "
                         "reached; last change 2 min ago.",
    .limit_text = (char *) "Line delay 4 min (0.68 mL drug-free at 10.8 mL/h): prime the line to "
                           "the cannula or use a carrier flow; step capped at +0.02 (max step).",
  };

  tt_monitor_page_set_alert (monitor, 2, "MAP 53 mmHg is below the critical threshold 60 mmHg — "
                             "rescue bolus advised", -1, 2);
  tt_monitor_page_set_band (monitor, 70, 90, 60);
  tt_monitor_page_set_pressures (monitor, 53, 84, 41, 71, -3);
  tt_monitor_page_set_signal (monitor, FALSE, "fast flush", 3000, 30000);
  tt_monitor_page_set_metrics_title (monitor, 392000);
  tt_monitor_page_set_metric (monitor, TT_MONITOR_METRIC_AUT_65, "129.8", "mmHg·min", NULL);
  tt_monitor_page_set_metric (monitor, TT_MONITOR_METRIC_ARV, "16.2", "mmHg/min", "2 s grid");
  tt_monitor_page_set_syringe (monitor, 41.6, 50, 105 * 60000, 23.8, 62, 0.86, 1);
  tt_advice_card_show_advice (tt_monitor_page_get_advice_card (monitor), &advice);
}

static void
test_window_fits_screen (void)
{
  TtWindow *window = get_window ();
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                TT_TYPE_WINDOW, "stack"));
  GtkWidget *header = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                 TT_TYPE_WINDOW,
                                                                 "header_bar"));
  GtkWidget *bar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                              TT_TYPE_WINDOW, "replay_bar"));
  GtkWidget *monitor = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                  TT_TYPE_WINDOW,
                                                                  "monitor_page"));
  int header_min = 0, bar_min = 0, stack_w = 0, stack_h = 0, monitor_h = 0;

  fill_monitor (TT_MONITOR_PAGE (monitor));
  gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, SCREEN_WIDTH, &header_min, NULL, NULL,
                      NULL);
  gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, SCREEN_WIDTH, &bar_min, NULL, NULL, NULL);
  g_assert_cmpint (header_min, >, 0);
  g_assert_cmpint (bar_min, >=, 44);
  for (GtkWidget *page = gtk_widget_get_first_child (stack); page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      const char *name = gtk_stack_page_get_name (gtk_stack_get_page (GTK_STACK (stack), page));
      int min_w = 0, min_h = 0;

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, SCREEN_WIDTH, &min_h, NULL, NULL, NULL);
      g_test_message ("page %s: at least %d × %d px", name, min_w, min_h);
      if (min_w > SCREEN_WIDTH || min_h > SCREEN_HEIGHT - header_min)
        g_test_fail_printf ("page %s needs %d × %d px, more than %d × %d under a %d px header",
                            name, min_w, min_h, SCREEN_WIDTH, SCREEN_HEIGHT - header_min,
                            header_min);
    }
  gtk_widget_measure (stack, GTK_ORIENTATION_HORIZONTAL, -1, &stack_w, NULL, NULL, NULL);
  gtk_widget_measure (stack, GTK_ORIENTATION_VERTICAL, SCREEN_WIDTH, &stack_h, NULL, NULL, NULL);
  gtk_widget_measure (monitor, GTK_ORIENTATION_VERTICAL, SCREEN_WIDTH, &monitor_h, NULL, NULL,
                      NULL);
  g_test_message ("stack: at least %d × %d px; header %d px, replay bar %d px", stack_w, stack_h,
                  header_min, bar_min);
  g_assert_cmpint (stack_w, <=, SCREEN_WIDTH);
  g_assert_cmpint (header_min + stack_h, <=, SCREEN_HEIGHT);
  g_assert_cmpint (header_min + monitor_h + bar_min, <=, SCREEN_HEIGHT);
  tt_monitor_page_set_alert (TT_MONITOR_PAGE (monitor), 0, NULL, -1, 0);
  tt_advice_card_show_advice (tt_monitor_page_get_advice_card (TT_MONITOR_PAGE (monitor)), NULL);
}

static void
test_window_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  TtWindow *window = get_window ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (window), "start-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (window), "start-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  g_test_message ("screenshots: %s, %s", light, dark);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  tt_test_spin (300);

  g_test_add_func ("/window/start-page", test_window_start_page);
  g_test_add_func ("/window/preferences", test_window_preferences);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/window/about", test_window_about);
  g_test_add_func ("/window/fits-screen", test_window_fits_screen);
  g_test_add_func ("/window/screenshots", test_window_screenshots);
  g_test_add_func ("/metainfo/parse", test_metainfo_parse);
  g_test_add_func ("/metainfo/invalid", test_metainfo_invalid);

  status = g_test_run ();

  tt_test_app_free (&app);
  return status;
}
