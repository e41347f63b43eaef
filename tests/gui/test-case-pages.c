/* test-case-pages.c: a new case through the window's actions: setup errors on their fields, the
 * 10-fold guard's confirmation, the checklist's gating and override, and screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tt-application.h"
#include <unistd.h>

#include "tt-checklist-row.h"
#include "tt-test-gui.h"
#include "tt-window.h"

static TtApplication *app;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
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
checklist_child (const char *name)
{
  gpointer child =
    gtk_widget_get_template_child (GTK_WIDGET (tt_window_get_checklist_page (get_window ())),
                                   TT_TYPE_CHECKLIST_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static void
set_spin (const char *name,
          double      value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child (name)), value);
}

static void
set_label (const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (setup_child ("label_row")), text);
}

static void
activate (const char *action,
          GVariant   *parameter)
{
  GtkWidget *target = GTK_WIDGET (get_window ());

  /* Page actions are reached from the page (or a widget inside it), like its buttons do. */
  if (g_str_has_prefix (action, "setup."))
    target = GTK_WIDGET (tt_window_get_setup_page (get_window ()));
  else if (g_str_has_prefix (action, "checklist."))
    target = GTK_WIDGET (tt_window_get_checklist_page (get_window ()));
  g_assert_true (gtk_widget_activate_action_variant (target, action, parameter));
  tt_test_spin (50);
}

static TtCase *
current_case (void)
{
  TtSession *session = tt_window_get_session (get_window ());

  g_assert_nonnull (session);
  return tt_session_get_case (session);
}

static gboolean
case_action_enabled (const char *name)
{
  GActionGroup *group = tt_session_get_actions (tt_window_get_session (get_window ()));

  return g_action_group_get_action_enabled (group, name);
}

static void
screenshots (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light_name = g_strconcat (name, "-light", NULL);
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (get_window ()), light_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (get_window ()), dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  g_test_message ("screenshots: %s, %s", light, dark);
}

static void
test_live_without_monitor (void)
{
  TtWindow *window = get_window ();

  g_assert_false (g_settings_get_boolean (tt_application_get_settings (app), "hl7-enabled"));
  activate ("win.new-live-case", NULL);
  /* Nothing opens: a toast explains and offers Preferences. */
  g_assert_null (tt_window_get_session (window));
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  g_assert_null (tt_window_get_mode_mark (window));
}

static void
test_live_with_monitor (void)
{
  TtWindow *window = get_window ();
  GSettings *settings = tt_application_get_settings (app);

  int port = 20000 + (int) (getpid () % 20000);
  g_autofree char *source = g_strdup_printf ("HL7 monitor feed on 127.0.0.1:%d", port);

  /* A port of its own, so that parallel tests do not collide. */
  g_settings_set_boolean (settings, "hl7-enabled", TRUE);
  g_settings_set_int (settings, "hl7-port", port);
  activate ("win.new-live-case", NULL);
  g_assert_nonnull (tt_window_get_session (window));
  g_assert_false (tt_case_get_training (current_case ()));
  g_assert_cmpstr (tt_case_get_source (current_case ()), ==, source);
  g_assert_true (TT_IS_FEED (tt_session_get_feed (tt_window_get_session (window))));
  g_assert_cmpint (tt_feed_get_status (tt_session_get_feed (tt_window_get_session (window))), ==,
                   TT_FEED_STATUS_WAITING);
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "LIVE");
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");

  /* Closing the case before induction ends it and returns to the start page. */
  activate ("win.close-case", NULL);
  g_assert_null (tt_window_get_session (window));
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  g_settings_reset (settings, "hl7-enabled");
  g_settings_reset (settings, "hl7-port");
}

static void
test_setup_errors (void)
{
  TtWindow *window = get_window ();
  TtSetupPage *page = tt_window_get_setup_page (window);

  activate ("win.new-training-case", NULL);
  g_assert_nonnull (tt_window_get_session (window));
  g_assert_true (tt_case_get_training (current_case ()));
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  /* The keyboard starts on the case label. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         setup_child ("label_row")));
  /* A second case cannot open over this one: the action is disabled. */
  {
    TtSession *session = tt_window_get_session (window);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.new-training-case", NULL);
    g_assert_true (tt_window_get_session (window) == session);
  }

  /* Untouched fields show nothing; the defaults come from the virtual patient and the
   * settings' default bolus. */
  g_assert_null (tt_setup_page_get_error (page, TT_SETUP_LABEL));
  g_assert_cmpfloat (tt_setup_page_get_draft (page)->bolus_ug, ==, 10);

  /* Continue checks every field: the empty label shows its error under its row. */
  activate ("setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_SETUP);
  g_assert_cmpstr (tt_setup_page_get_error (page, TT_SETUP_LABEL), ==,
                   "Case label: enter a pseudonymous label of 1–32 characters, never the "
                   "patient’s name.");
  g_assert_true (gtk_widget_get_visible (setup_child ("label_error_row")));
  g_assert_cmpstr (gtk_label_get_label (setup_child ("label_error")), ==,
                   tt_setup_page_get_error (page, TT_SETUP_LABEL));
  g_assert_true (gtk_widget_has_css_class (setup_child ("label_row"), "error"));

  set_label ("Case 0427");
  g_assert_null (tt_setup_page_get_error (page, TT_SETUP_LABEL));
  g_assert_false (gtk_widget_get_visible (setup_child ("label_error_row")));

  set_spin ("weight_spin", 500);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("weight_error")), ==,
                   "Weight 500 kg is outside 30–250 kg");
  g_assert_true (gtk_widget_has_css_class (setup_child ("weight_row"), "error"));
  set_spin ("weight_spin", 72);
  g_assert_false (gtk_widget_get_visible (setup_child ("weight_error_row")));

  /* The band follows the baseline until edited: 96 → 77–97. */
  set_spin ("baseline_spin", 96);
  g_assert_cmpfloat (gtk_spin_button_get_value (setup_child ("lo_spin")), ==, 77);
  g_assert_cmpfloat (gtk_spin_button_get_value (setup_child ("hi_spin")), ==, 97);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("critical_label")), ==,
                   "67 mmHg (lower bound − 10) [est]");
  set_spin ("hi_spin", 80);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("hi_error")), ==,
                   "Upper bound 80 mmHg is outside 87–130 mmHg");
  set_spin ("hi_spin", 97);

  /* Previews in µg/kg/min and mL/h: 0.05 × 72 × 60 / 20 = 10.8 mL/h; peripheral soft 0.2 →
   * 43.2 mL/h, hard 1.0 → 216.0 mL/h. */
  g_assert_cmpstr (adw_action_row_get_subtitle (setup_child ("rate_row")), ==,
                   "0.05 µg/kg/min = 10.8 mL/h");
  g_assert_cmpstr (gtk_label_get_label (setup_child ("soft_label")), ==,
                   "0.20 µg/kg/min = 43.2 mL/h");
  g_assert_cmpstr (gtk_label_get_label (setup_child ("hard_label")), ==,
                   "1.00 µg/kg/min = 216.0 mL/h");
  g_assert_cmpstr (adw_action_row_get_subtitle (setup_child ("bolus_row")), ==,
                   "10 µg = 0.5 mL of 20 µg/mL");

  /* The 10-fold guard: 0.5 typed for 0.05 asks for a confirmation on the field itself. */
  set_spin ("rate_spin", 0.5);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("rate_error")), ==,
                   "Starting rate 0.50 µg/kg/min = 108.0 mL/h: 0.50 µg/kg/min is above the soft "
                   "limit 0.20 µg/kg/min for a peripheral line. Confirm if intended.");
  g_assert_true (gtk_widget_get_visible (setup_child ("rate_confirm")));
  gtk_widget_grab_focus (setup_child ("rate_spin"));
  screenshots ("setup-errors");
  activate ("setup.confirm-dose", NULL);
  g_assert_null (tt_setup_page_get_error (page, TT_SETUP_START_RATE));
  g_assert_true (tt_setup_page_get_draft (page)->confirmed);
  /* A new entry needs a new confirmation; above the hard limit none is offered. */
  set_spin ("rate_spin", 2);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("rate_error")), ==,
                   "Rate 2.00 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  g_assert_false (gtk_widget_get_visible (setup_child ("rate_confirm")));
  g_assert_false (tt_setup_page_get_draft (page)->confirmed);
  set_spin ("rate_spin", 0.05);
  g_assert_null (tt_setup_page_get_error (page, TT_SETUP_START_RATE));

  /* A custom concentration outside the range. */
  adw_combo_row_set_selected (setup_child ("concentration_row"), 7);
  g_assert_true (gtk_widget_get_visible (setup_child ("custom_row")));
  set_spin ("custom_spin", 500);
  g_assert_cmpstr (gtk_label_get_label (setup_child ("concentration_error")), ==,
                   "Concentration 500 µg/mL is outside 1–200 µg/mL");
  adw_combo_row_set_selected (setup_child ("concentration_row"), 4);   /* 20 µg/mL */
  g_assert_false (gtk_widget_get_visible (setup_child ("custom_row")));
  g_assert_cmpfloat (tt_setup_page_get_draft (page)->concentration, ==, 20);
  screenshots ("setup");

  activate ("setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_CHECKLIST);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  g_assert_cmpstr (tt_case_get_setup (current_case ())->label, ==, "Case 0427");
  g_assert_cmpfloat (tt_case_get_setup (current_case ())->weight_kg, ==, 72);
}

static TtChecklistRow *
checklist_row (int index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (checklist_child ("list"), index);

  g_assert_true (TT_IS_CHECKLIST_ROW (row));
  return TT_CHECKLIST_ROW (row);
}

static void
test_checklist (void)
{
  TtWindow *window = get_window ();
  TtChecklistPage *page = tt_window_get_checklist_page (window);
  TtChecklistRow *row;

  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  g_assert_cmpstr (tt_checklist_page_get_summary (page), ==,
                   "Case 0427 · 72 kg · baseline MAP 96 mmHg · target 77–97 mmHg · NE 20 µg/mL · "
                   "peripheral line");
  g_assert_cmpstr (tt_checklist_page_get_start_label (page), ==,
                   "Start Induction (0 of 6 confirmed)");
  g_assert_false (case_action_enabled ("start-induction"));
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");

  /* Each row says what exactly is confirmed. */
  row = checklist_row (1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Syringe preloaded: 1 mg in 50 mL = 20 µg/mL");
  g_assert_cmpstr (tt_checklist_row_get_state_text (row), ==, "tap to confirm");
  row = checklist_row (3);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Rescue bolus drawn: 10 µg in 0.5 mL");
  row = checklist_row (0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Starting rate 10.8 mL/h: each unprimed mL delays the drug ≈ 6 min");

  /* Activating a row (a tap, Enter or Space) ticks it and shows the time of day. */
  gtk_widget_activate (GTK_WIDGET (checklist_row (0)));
  tt_test_spin (50);
  g_assert_true (tt_checklist_item_get_done (tt_checklist_row_get_item (checklist_row (0))));
  g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}$",
                                       tt_checklist_row_get_state_text (checklist_row (0)), 0, 0));
  activate ("case.toggle-item", g_variant_new_string ("syringe"));
  activate ("case.toggle-item", g_variant_new_string ("iv-access"));
  g_assert_cmpstr (tt_checklist_page_get_start_label (page), ==,
                   "Start Induction (3 of 6 confirmed)");
  g_assert_false (case_action_enabled ("start-induction"));
  screenshots ("checklist");

  /* Back to the setup and forward again: the values and the ticks stay. */
  activate ("case.edit-setup", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  g_assert_cmpstr (gtk_editable_get_text (setup_child ("label_row")), ==, "Case 0427");
  activate ("setup.continue", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  g_assert_cmpuint (tt_case_get_checklist_done (current_case ()), ==, 3);

  /* Untick and tick again through the action. */
  activate ("case.toggle-item", g_variant_new_string ("iv-access"));
  g_assert_cmpuint (tt_case_get_checklist_done (current_case ()), ==, 2);
  activate ("case.toggle-item", g_variant_new_string ("iv-access"));

  /* The override needs a typed reason, shown on the reason field. */
  activate ("checklist.show-override", NULL);
  g_assert_true (gtk_revealer_get_reveal_child (checklist_child ("override_revealer")));
  activate ("checklist.override", NULL);
  g_assert_cmpstr (tt_checklist_page_get_override_error (page), ==,
                   "Override: type the reason why induction starts with the checklist "
                   "incomplete; it is logged and shown in the report.");
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_CHECKLIST);
  screenshots ("checklist-override");

  gtk_editable_set_text (checklist_child ("reason_row"), "Arterial line after induction");
  activate ("checklist.override", NULL);
  g_assert_cmpstr (tt_case_get_override_reason (current_case ()), ==,
                   "Arterial line after induction");
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "monitor");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_nonnull (tt_case_find_alert (current_case (), TT_ALERT_CHECKLIST_OVERRIDE));
  g_assert_cmpfloat (tt_case_get_rate (current_case ()), ==, 0.05);

  activate ("win.close-case", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
}

static void
test_checklist_complete (void)
{
  TtWindow *window = get_window ();
  static const char *items[] = {
    "pump-primed", "syringe", "iv-access", "rescue-bolus", "arterial-line", "map-target",
  };

  activate ("win.new-training-case", NULL);
  g_assert_null (tt_session_get_monitor (tt_window_get_session (window)));
  set_label ("Sim 1");
  activate ("setup.continue", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  /* The keyboard starts on the first item; Tab goes down the items, then to the buttons. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (checklist_row (0)));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (checklist_row (1)));
  /* With the setup the session builds the monitor, and the virtual patient's samples reach it. */
  g_assert_nonnull (tt_session_get_monitor (tt_window_get_session (window)));
  tt_test_spin (1500);
  g_assert_cmpuint (tt_monitor_get_n_samples (tt_session_get_monitor (tt_window_get_session (window))),
                    >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    activate ("case.toggle-item", g_variant_new_string (items[i]));
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_READY);
  g_assert_cmpstr (tt_checklist_page_get_start_label (tt_window_get_checklist_page (window)), ==,
                   "Start Induction");
  g_assert_true (case_action_enabled ("start-induction"));
  g_assert_false (case_action_enabled ("override"));
  activate ("case.start-induction", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "monitor");
  activate ("win.close-case", NULL);
}

/* Spins until the window has a session, or @timeout_ms passes. */
static gboolean
wait_for_session (guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (tt_window_get_session (get_window ()) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return tt_window_get_session (get_window ()) != NULL;
}

static void
test_open_recording (void)
{
  TtWindow *window = get_window ();
  const char *shared = g_getenv ("TITRATE_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  /* A file that is no recording: nothing opens (a toast says why). */
  fd = g_file_open_tmp ("titrate-XXXXXX.csv", &bad, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (bad, "\x01\x02 not a recording\n", -1, &error));
  bad_file = g_file_new_for_path (bad);
  tt_window_open_recording (window, bad_file);
  g_assert_false (wait_for_session (2000));
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  g_unlink (bad);

  if (shared == NULL)
    {
      g_test_skip ("TITRATE_SHARED_DATA is not set: no recording to replay");
      return;
    }
  path = g_build_filename (shared, "vital", "test_intellivue_demo1.vital", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("test_intellivue_demo1.vital is not in TITRATE_SHARED_DATA");
      return;
    }
  file = g_file_new_for_path (path);
  tt_window_open_recording (window, file);
  g_assert_true (wait_for_session (10000));
  g_assert_true (tt_case_get_training (current_case ()));
  g_assert_cmpstr (tt_case_get_source (current_case ()), ==,
                   "replay of test_intellivue_demo1.vital");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  activate ("win.close-case", NULL);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  tt_test_spin (300);

  g_test_add_func ("/case-pages/setup-errors", test_setup_errors);
  g_test_add_func ("/case-pages/checklist", test_checklist);
  g_test_add_func ("/case-pages/checklist-complete", test_checklist_complete);
  g_test_add_func ("/case-pages/live-with-monitor", test_live_with_monitor);
  g_test_add_func ("/case-pages/open-recording", test_open_recording);
  /* Last: its toast stays until dismissed and would cover the other screenshots. */
  g_test_add_func ("/case-pages/live-without-monitor", test_live_without_monitor);

  status = g_test_run ();

  tt_test_app_free (&app);
  return status;
}
