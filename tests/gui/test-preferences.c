/* test-preferences.c: the preferences change the defaults of a new case (band rule, thresholds,
 * concentrations, bolus, limits per line type), the schema's defaults are the engine's, the
 * department's limits are checked by the engine before they are stored (exact messages, nothing
 * stored), and screenshots of every preferences page in light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <unistd.h>

#include "tt-application.h"
#include "tt-monitor-page.h"
#include "tt-preferences-window.h"
#include "tt-settings.h"
#include "tt-test-gui.h"
#include "tt-window.h"

static TtApplication *app;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static GSettings *
settings (void)
{
  return tt_application_get_settings (app);
}

static void
activate (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  if (!gtk_widget_activate_action_variant (widget, action, parameter))
    g_error ("Action “%s” not found", action);
  tt_test_spin (20);
}

static gpointer
setup_child (const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (tt_window_get_setup_page (get_window ())),
                                                  TT_TYPE_SETUP_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
prefs_child (TtPreferencesWindow *prefs,
             const char          *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (prefs), TT_TYPE_PREFERENCES_WINDOW,
                                                  name);

  g_assert_nonnull (child);
  return child;
}

static void
reset_all (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings (), "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings (), keys[i]);
}

/* The schema's defaults are CLINICAL.md's, as the engine holds them. */
static void
test_defaults (void)
{
  TtBandRule rule, engine_rule;
  TtLimits limits, engine_limits;
  g_autoptr(GArray) offered = tt_settings_get_concentrations (settings ());
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtCaseSetup) engine = tt_case_setup_new ();
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n;
  const double *standard = tt_dose_standard_concentrations (&n);

  g_assert_true (tt_settings_get_band_rule (settings (), &rule, NULL));
  tt_band_rule_init (&engine_rule);
  g_assert_cmpint (rule.kind, ==, engine_rule.kind);
  g_assert_cmpfloat (rule.absolute_lo, ==, engine_rule.absolute_lo);
  g_assert_cmpfloat (rule.relative_pct, ==, engine_rule.relative_pct);
  g_assert_cmpfloat (rule.width, ==, engine_rule.width);
  g_assert_cmpfloat (rule.critical_offset, ==, engine_rule.critical_offset);
  for (TtLineType line = TT_LINE_PERIPHERAL; line <= TT_LINE_CENTRAL; line++)
    {
      g_assert_true (tt_settings_get_limits (settings (), line, &limits, NULL));
      tt_limits_init (&engine_limits, line);
      g_assert_cmpfloat (limits.rate_soft_min, ==, engine_limits.rate_soft_min);
      g_assert_cmpfloat (limits.rate_soft_max, ==, engine_limits.rate_soft_max);
      g_assert_cmpfloat (limits.rate_hard_max, ==, engine_limits.rate_hard_max);
      g_assert_cmpfloat (limits.bolus_soft_max, ==, engine_limits.bolus_soft_max);
      g_assert_cmpfloat (limits.bolus_hard_max, ==, engine_limits.bolus_hard_max);
    }
  g_assert_cmpuint (offered->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (g_array_index (offered, double, i), ==, standard[i]);

  /* A new case from the untouched preferences is the engine's default case. */
  tt_settings_load_case_defaults (settings (), setup, problems);
  g_assert_cmpstr (problems->str, ==, "");
  g_assert_cmpfloat (setup->target_lo, ==, engine->target_lo);
  g_assert_cmpfloat (setup->target_hi, ==, engine->target_hi);
  g_assert_cmpfloat (setup->bolus_ug, ==, engine->bolus_ug);
  g_assert_cmpfloat (setup->concentration, ==, engine->concentration);
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, tt_case_setup_critical_map (engine));
}

/* The department sets its figures; the next case starts from them. */
static void
test_new_case_defaults (void)
{
  TtWindow *window = get_window ();
  GtkWidget *page = GTK_WIDGET (tt_window_get_setup_page (window));
  const TtCaseSetup *draft;
  const TtCaseSetup *setup;
  int port = 20000 + (int) ((getpid () + 7) % 20000);
  static const double offered[] = { 10, 40, 80 };
  g_autofree char *soft = NULL;

  g_settings_set_string (settings (), "band-rule", "relative");
  g_settings_set_double (settings (), "band-relative-pct", 85);
  g_settings_set_double (settings (), "band-width-mmhg", 15);
  g_settings_set_double (settings (), "critical-offset-mmhg", 15);
  g_settings_set_double (settings (), "default-bolus-ug", 5);
  g_settings_set_value (settings (), "concentrations",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, offered, 3,
                                                   sizeof (double)));
  g_settings_set_double (settings (), "default-concentration", 40);
  g_settings_set (settings (), "limits-peripheral", "(ddd)", 0.02, 0.15, 0.8);
  g_settings_set (settings (), "limits-bolus", "(dd)", 15.0, 40.0);
  g_settings_set_boolean (settings (), "hl7-enabled", TRUE);
  g_settings_set_int (settings (), "hl7-port", port);
  g_settings_set_int (settings (), "chart-window-min", 30);

  activate (GTK_WIDGET (window), "win.new-live-case", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  draft = tt_setup_page_get_draft (tt_window_get_setup_page (window));
  /* Baseline 90 mmHg: 85 % is 76.5 → 77 mmHg, 15 mmHg wide, critical 77 − 15 = 62 mmHg. */
  g_assert_cmpfloat (draft->baseline_map, ==, 90);
  g_assert_cmpfloat (draft->target_lo, ==, 77);
  g_assert_cmpfloat (draft->target_hi, ==, 92);
  g_assert_cmpstr (gtk_label_get_text (setup_child ("critical_label")), ==,
                   "62 mmHg (lower bound − 15) [est]");
  g_assert_cmpfloat (draft->bolus_ug, ==, 5);
  g_assert_cmpfloat (draft->concentration, ==, 40);
  g_assert_cmpint (tt_monitor_page_get_chart_window_min (TT_MONITOR_PAGE (
                     gtk_widget_get_template_child (GTK_WIDGET (window), TT_TYPE_WINDOW,
                                                    "monitor_page"))), ==, 30);
  g_assert_cmpfloat (draft->limits[TT_LINE_PERIPHERAL].rate_soft_max, ==, 0.15);
  g_assert_cmpfloat (draft->limits[TT_LINE_PERIPHERAL].bolus_soft_max, ==, 15);
  g_assert_cmpfloat (draft->limits[TT_LINE_CENTRAL].rate_soft_max, ==, 0.3);
  /* The concentrations offered are the department's, the default chosen. */
  {
    GListModel *model = adw_combo_row_get_model (setup_child ("concentration_row"));

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "10 µg/mL");
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 3), ==, "Custom…");
    g_assert_cmpuint (adw_combo_row_get_selected (setup_child ("concentration_row")), ==, 1);
  }
  /* The limits shown are the department's: 0.15 µg/kg/min = 15.8 mL/h at 70 kg and 40 µg/mL. */
  soft = tt_dose_format_rate_both (0.15, 70, 40);
  g_assert_cmpstr (soft, ==, "0.15 µg/kg/min = 15.8 mL/h");
  g_assert_cmpstr (gtk_label_get_text (setup_child ("soft_label")), ==, soft);

  /* Until the band is edited it follows the baseline by the department's rule. */
  gtk_spin_button_set_value (setup_child ("baseline_spin"), 110);
  g_assert_cmpfloat (draft->target_lo, ==, 94);
  g_assert_cmpfloat (draft->target_hi, ==, 109);

  /* The case keeps them: its limits and critical threshold are the department's. */
  gtk_editable_set_text (setup_child ("label_row"), "Prefs 1");
  activate (page, "setup.continue", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  setup = tt_case_get_setup (tt_session_get_case (tt_window_get_session (window)));
  g_assert_cmpfloat (setup->limits[TT_LINE_PERIPHERAL].rate_hard_max, ==, 0.8);
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 94 - 15);
  activate (GTK_WIDGET (window), "win.close-case", NULL);

  /* A training case too, with the patient's weight and baseline. */
  activate (GTK_WIDGET (window), "win.new-training-case", NULL);
  draft = tt_setup_page_get_draft (tt_window_get_setup_page (window));
  g_assert_cmpfloat (draft->bolus_ug, ==, 5);
  g_assert_cmpfloat (draft->band_rule.relative_pct, ==, 85);
  g_assert_cmpfloat (draft->target_lo, ==, MAX (55, round (0.85 * draft->baseline_map)));
  g_assert_cmpfloat (draft->limits[TT_LINE_PERIPHERAL].rate_soft_max, ==, 0.15);
  activate (GTK_WIDGET (window), "win.close-case", NULL);

  /* A stored figure outside CLINICAL.md's bounds never reaches a case: the default is used
   * and the reason given. */
  {
    g_autoptr(TtCaseSetup) loaded = tt_case_setup_new ();
    g_autoptr(GString) problems = g_string_new (NULL);

    g_settings_set (settings (), "limits-central", "(ddd)", 0.01, 0.5, 0.4);
    tt_settings_load_case_defaults (settings (), loaded, problems);
    g_assert_cmpstr (problems->str, ==, "Central line: Limit soft maximum rate = 0.50 µg/kg/min: "
                     "must be above 0 and at most the hard maximum");
    g_assert_cmpfloat (loaded->limits[TT_LINE_CENTRAL].rate_soft_max, ==, 0.3);
    g_assert_cmpfloat (loaded->limits[TT_LINE_PERIPHERAL].rate_soft_max, ==, 0.15);
  }
  reset_all ();
}

static TtPreferencesWindow *
open_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  tt_test_spin (200);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TT_IS_PREFERENCES_WINDOW (window))
        return TT_PREFERENCES_WINDOW (window);
    }
  g_assert_not_reached ();
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_spin (TtPreferencesWindow *prefs,
          const char          *name,
          double               value)
{
  gtk_spin_button_set_value (prefs_child (prefs, name), value);
  tt_test_spin (10);
}

static void
assert_peripheral (double soft_min,
                   double soft_max,
                   double hard_max)
{
  double a, b, c;

  g_settings_get (settings (), "limits-peripheral", "(ddd)", &a, &b, &c);
  g_assert_cmpfloat (a, ==, soft_min);
  g_assert_cmpfloat (b, ==, soft_max);
  g_assert_cmpfloat (c, ==, hard_max);
}

/* Limits outside CLINICAL.md's bounds or inconsistent get tt_limits_validate ()'s exact message
 * and are never stored. */
static void
test_limits_validation (void)
{
  TtPreferencesWindow *prefs = open_preferences ();
  double soft, hard;

  g_assert_null (tt_preferences_window_get_limits_error (prefs));
  g_assert_cmpfloat (gtk_spin_button_get_value (prefs_child (prefs, "peripheral_soft_max_spin")),
                     ==, 0.2);

  set_spin (prefs, "peripheral_soft_max_spin", 1.2);
  g_assert_cmpstr (tt_preferences_window_get_limits_error (prefs), ==,
                   "Not saved. Peripheral line: Limit soft maximum rate = 1.20 µg/kg/min: must be "
                   "above 0 and at most the hard maximum");
  g_assert_true (gtk_widget_get_visible (prefs_child (prefs, "limits_error_label")));
  assert_peripheral (0.01, 0.2, 1.0);

  set_spin (prefs, "peripheral_hard_max_spin", 1.5);
  g_assert_cmpstr (tt_preferences_window_get_limits_error (prefs), ==,
                   "Not saved. Peripheral line: Limit hard maximum rate = 1.50 µg/kg/min: must be "
                   "above 0 and at most 1.00 µg/kg/min");
  assert_peripheral (0.01, 0.2, 1.0);

  /* Once the line's limits hold together, they are stored at once. */
  set_spin (prefs, "peripheral_hard_max_spin", 0.9);
  g_assert_nonnull (tt_preferences_window_get_limits_error (prefs));
  set_spin (prefs, "peripheral_soft_max_spin", 0.25);
  g_assert_null (tt_preferences_window_get_limits_error (prefs));
  g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "limits_error_label")));
  assert_peripheral (0.01, 0.25, 0.9);

  set_spin (prefs, "central_soft_min_spin", 0.4);
  g_assert_cmpstr (tt_preferences_window_get_limits_error (prefs), ==,
                   "Not saved. Central line: Limit soft minimum rate = 0.40 µg/kg/min: must be "
                   "at least 0 and below the soft maximum");
  set_spin (prefs, "central_soft_min_spin", 0.01);
  g_assert_null (tt_preferences_window_get_limits_error (prefs));

  set_spin (prefs, "bolus_hard_spin", 60);
  g_assert_cmpstr (tt_preferences_window_get_limits_error (prefs), ==,
                   "Not saved. Peripheral line: Limit hard maximum bolus = 60 µg: must be between 1 "
                   "and 50 µg");
  set_spin (prefs, "bolus_hard_spin", 15);
  g_assert_cmpstr (tt_preferences_window_get_limits_error (prefs), ==,
                   "Not saved. Peripheral line: Limit soft maximum bolus = 20 µg: must be at least "
                   "1 µg and at most the hard maximum");
  g_settings_get (settings (), "limits-bolus", "(dd)", &soft, &hard);
  g_assert_cmpfloat (soft, ==, 20);
  g_assert_cmpfloat (hard, ==, 50);

  /* CLINICAL.md's limits come back with one action. */
  activate (GTK_WIDGET (prefs), "prefs.reset-limits", NULL);
  g_assert_null (tt_preferences_window_get_limits_error (prefs));
  assert_peripheral (0.01, 0.2, 1.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (prefs_child (prefs, "bolus_hard_spin")), ==, 50);

  /* The concentration list keeps the default in it. */
  {
    GtkWidget *row = prefs_child (prefs, "concentrations_row");
    GtkWidget *switch_20 = find_named (row, "concentration-20");
    GtkWidget *switch_4 = find_named (row, "concentration-4");
    g_autoptr(GArray) offered = NULL;

    g_assert_nonnull (switch_4);
    g_assert_nonnull (switch_20);
    gtk_switch_set_active (GTK_SWITCH (switch_20), FALSE);
    tt_test_spin (10);
    g_assert_cmpstr (gtk_label_get_text (prefs_child (prefs, "concentrations_error_label")), ==,
                     "Not saved: 20 µg/mL is the default concentration; choose another default "
                     "first.");
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (switch_20)));
    gtk_switch_set_active (GTK_SWITCH (switch_4), FALSE);
    tt_test_spin (10);
    g_assert_false (gtk_widget_get_visible (prefs_child (prefs, "concentrations_error_label")));
    offered = tt_settings_get_concentrations (settings ());
    g_assert_cmpuint (offered->len, ==, 6);
    g_assert_cmpfloat (g_array_index (offered, double, 0), ==, 5);
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  reset_all ();
}

/* The band preview is the engine's band for two baselines. */
static void
test_band_preview (void)
{
  TtPreferencesWindow *prefs = open_preferences ();

  g_assert_cmpstr (adw_action_row_get_subtitle (prefs_child (prefs, "band_preview_row")), ==,
                   "Baseline 80 mmHg: band 65–85 mmHg, critical 55 mmHg\n"
                   "Baseline 110 mmHg: band 88–108 mmHg, critical 78 mmHg");
  set_spin (prefs, "hypotension_spin", 70);
  g_assert_cmpfloat (g_settings_get_double (settings (), "hypotension-mmhg"), ==, 70);
  g_assert_cmpstr (adw_action_row_get_subtitle (prefs_child (prefs, "band_preview_row")), ==,
                   "Baseline 80 mmHg: band 70–90 mmHg, critical 60 mmHg\n"
                   "Baseline 110 mmHg: band 88–108 mmHg, critical 78 mmHg");
  adw_combo_row_set_selected (prefs_child (prefs, "band_rule_row"), 1);
  tt_test_spin (10);
  {
    g_autofree char *rule = g_settings_get_string (settings (), "band-rule");

    g_assert_cmpstr (rule, ==, "absolute");
  }
  g_assert_cmpstr (adw_action_row_get_subtitle (prefs_child (prefs, "band_preview_row")), ==,
                   "Baseline 80 mmHg: band 70–90 mmHg, critical 60 mmHg\n"
                   "Baseline 110 mmHg: band 70–90 mmHg, critical 60 mmHg");
  gtk_window_destroy (GTK_WINDOW (prefs));
  reset_all ();
}

/* A window just presented may take a while to be mapped on a loaded machine (or under the
 * sanitizers): screenshots wait for it. */
static void
wait_mapped (GtkWidget *widget)
{
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
screenshot_page (TtPreferencesWindow *prefs,
                 const char          *page)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light_name = g_strdup_printf ("preferences-%s-light", page);
  g_autofree char *dark_name = g_strdup_printf ("preferences-%s-dark", page);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), page);
  wait_mapped (GTK_WIDGET (prefs));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (prefs), light_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (prefs), dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("screenshots: %s, %s", light, dark);
}

static void
test_screenshots (void)
{
  TtPreferencesWindow *prefs = open_preferences ();

  screenshot_page (prefs, "cases");
  set_spin (prefs, "peripheral_soft_max_spin", 1.2);
  screenshot_page (prefs, "limits");
  screenshot_page (prefs, "monitor");
  gtk_window_destroy (GTK_WINDOW (prefs));
  reset_all ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  tt_test_spin (300);

  g_test_add_func ("/preferences/defaults", test_defaults);
  g_test_add_func ("/preferences/new-case-defaults", test_new_case_defaults);
  g_test_add_func ("/preferences/limits-validation", test_limits_validation);
  g_test_add_func ("/preferences/band-preview", test_band_preview);
  g_test_add_func ("/preferences/screenshots", test_screenshots);

  status = g_test_run ();

  tt_test_app_free (&app);
  return status;
}
