/* test-training.c: training with the virtual patient through the window: the scenario chooser, a
 * run at 60× on a test clock with the instructor's panel (an injected flush, a halved
 * sensitivity, a severe fall), the trainee's answers, and the debrief, whose figures are checked
 * against the engine's own pipeline run independently here on the same samples (TtQuality →
 * TtGrid → TtMetrics, incremental) and on the advisor's re-run of the same patient. Screenshots
 * of the chooser, the instructor panel and the debrief in light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "tt-application.h"
#include "tt-debrief-page.h"
#include "tt-format.h"
#include "tt-grid.h"
#include "tt-instructor-panel.h"
#include "tt-metrics.h"
#include "tt-quality.h"
#include "tt-test-gui.h"
#include "tt-training-chooser.h"
#include "tt-window.h"

#define MIN_MS (60 * 1000)

static TtApplication *app;
static gint64 fake_us;
static GArray *seen;          /* every sample the feed delivered (TtSample) */

static gint64
fake_clock (gpointer user_data)
{
  return fake_us;
}

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static gpointer
window_child (const char *name)
{
  return tt_test_window_child (get_window (), name);
}

static TtCase *
current_case (void)
{
  return tt_session_get_case (tt_window_get_session (get_window ()));
}

static TtPatientFeed *
current_feed (void)
{
  return tt_training_get_feed (tt_window_get_training (get_window ()));
}

/* Activates @action from @widget (NULL: the window), as a button there would. */
static void
activate_on (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  if (!gtk_widget_activate_action_variant (widget ? widget : GTK_WIDGET (get_window ()), action,
                                           parameter))
    g_error ("Action “%s” not found", action);
  tt_test_spin (20);
}

static void
activate (const char *action,
          GVariant   *parameter)
{
  activate_on (NULL, action, parameter);
}

/* Lets the patient run @seconds of its time, 30 s at a time (60× a test clock). */
static void
run_patient (int seconds)
{
  tt_test_run_patient (current_feed (), &fake_us, seconds, 30);
}

static gboolean
run_until_advice (int max_s)
{
  for (int s = 0; s < max_s; s += 30)
    {
      if (tt_case_get_advice (current_case ()) != NULL)
        return TRUE;
      run_patient (30);
    }
  return tt_case_get_advice (current_case ()) != NULL;
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
screenshots (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light_name = g_strconcat (name, "-light", NULL);
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  GtkStack *stack = window_child ("stack");
  gint64 limit = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  /* The page, not a crossfade into it. */
  while (gtk_stack_get_transition_running (stack) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, FALSE);
  wait_mapped (GTK_WIDGET (get_window ()));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (get_window ()), light_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (get_window ()), dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("screenshots: %s, %s", light, dark);
}

static void
collect_cb (TtFeed         *feed,
            const TtSample *samples,
            guint           n_samples)
{
  g_array_append_vals (seen, samples, n_samples);
}

static void
point_cb (const TtGridPoint *point,
          gpointer           user_data)
{
  tt_metrics_push (user_data, point);
}

/* The engine's live pipeline run here on @samples, independently of the debrief: incremental
 * quality, grid and metrics, as TtMonitor runs them, with the case's band and baseline. */
static void
measure (const TtCaseSetup *setup,
         GArray            *samples,
         gint64             t0_ms,
         gint64             end_ms,
         TtMetricsWindow    window,
         TtWindowMetrics   *out)
{
  g_autoptr(TtQualityClassifier) quality = tt_quality_classifier_new ();
  g_autoptr(TtMetrics) metrics = NULL;
  g_autoptr(TtGrid) grid = NULL;
  TtMetricsConfig config;

  tt_metrics_config_init (&config);
  config.band_lo = setup->target_lo;
  config.band_hi = setup->target_hi;
  config.baseline = setup->baseline_map;
  metrics = tt_metrics_new (&config);
  tt_metrics_set_induction (metrics, t0_ms);
  grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, point_cb, NULL, metrics);
  for (guint i = 0; i < samples->len; i++)
    {
      TtSample sample = g_array_index (samples, TtSample, i);

      if (sample.t_ms >= end_ms)
        break;
      tt_quality_classifier_push (quality, &sample);
      tt_grid_push (grid, &sample);
    }
  tt_grid_finish (grid);
  g_assert_true (tt_metrics_get (metrics, window, out));
}

/* The page shows what the engine computed, formatted as the page formats it. */
static void
assert_column (TtDebriefPage         *page,
               TtTrainingActor        actor,
               TtMetricsWindow        window,
               const TtWindowMetrics *m)
{
  g_autofree char *in_band = tt_format_with_unit (m->in_band_pct, 0, "%");
  g_autofree char *below = tt_format_with_unit (m->below[0].time_min, 1, "min");
  g_autofree char *aut = tt_format_with_unit (m->below[0].aut_mmhg_min, 1, "mmHg·min");
  g_autofree char *arv = tt_format_with_unit (m->arv_mmhg_per_min, 1, "mmHg/min");

  g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_IN_BAND, actor, window), ==,
                   in_band);
  g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_BELOW_65, actor, window), ==,
                   below);
  g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_AUT_65, actor, window), ==,
                   aut);
  g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_ARV, actor, window), ==, arv);
}

static void
assert_same_metrics (const TtWindowMetrics *a,
                     const TtWindowMetrics *b)
{
  g_assert_cmpfloat_with_epsilon (a->in_band_pct, b->in_band_pct, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->below[0].time_min, b->below[0].time_min, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->below[0].aut_mmhg_min, b->below[0].aut_mmhg_min, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->arv_mmhg_per_min, b->arv_mmhg_per_min, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->valid_min, b->valid_min, 1e-9);
}

static void
test_chooser (void)
{
  TtWindow *window = get_window ();
  TtTrainingChooser *chooser = window_child ("training_chooser");
  TtPatientParams params;
  g_autofree char *title = NULL;
  guint32 seed;

  /* The start page's "Training with a virtual patient" leads to the chooser. */
  activate ("win.choose-training", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "training");
  g_assert_cmpstr (adw_window_title_get_title (window_child ("window_title")), ==,
                   "Training with a Virtual Patient");
  g_assert_cmpint (tt_training_chooser_get_scenario (chooser), ==, TT_PATIENT_SCENARIO_TYPICAL);

  /* A scenario: the feed's parameters, induction left to the trainee. */
  g_object_set (chooser, "scenario", TT_PATIENT_SCENARIO_ELDERLY_SEVERE, "seed", 7, "speed", 60.0,
                NULL);
  tt_training_chooser_get_patient (chooser, &params, &seed, &title);
  g_assert_cmpstr (title, ==, "Elderly, severe fall");
  g_assert_cmpuint (seed, ==, 7);
  g_assert_cmpfloat (params.age_years, ==, 82);
  g_assert_cmpfloat (params.induction_fall, ==, 0.34);
  g_assert_cmpint (params.induction_at_ms, ==, -1);
  g_assert_cmpfloat (tt_training_chooser_get_speed (chooser), ==, 60);
  g_clear_pointer (&title, g_free);

  /* A cohort patient: patient 12 of the source trial's population, drawn with the seed. */
  tt_training_chooser_set_scenario (chooser, TT_TRAINING_CHOOSER_COHORT);
  tt_training_chooser_set_cohort_patient (chooser, 12);
  tt_training_chooser_get_patient (chooser, &params, &seed, &title);
  {
    TtCohort cohort;
    TtPatientParams expected;
    TtSeverity severity;
    g_autofree char *age = NULL;
    g_autofree char *expected_title = NULL;

    tt_cohort_init_default (&cohort);
    tt_cohort_draw_patient (&cohort, 7, 11, &expected, &severity);
    g_assert_cmpfloat (params.age_years, ==, expected.age_years);
    g_assert_cmpfloat (params.ne_sensitivity, ==, expected.ne_sensitivity);
    g_assert_cmpfloat (params.induction_fall, ==, expected.induction_fall);
    age = tt_format_number (expected.age_years, 0);
    expected_title = g_strdup_printf ("Source trial patient 12, %s years", age);
    g_assert_cmpstr (title, ==, expected_title);
  }
  tt_training_chooser_set_scenario (chooser, TT_PATIENT_SCENARIO_ELDERLY_SEVERE);
  screenshots ("training-chooser");

  /* Back to the start page, and in again. */
  activate ("win.show-start", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  activate ("win.choose-training", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "training");
}

static void
test_run_and_debrief (void)
{
  TtWindow *window = get_window ();
  TtTrainingChooser *chooser = window_child ("training_chooser");
  TtInstructorPanel *panel = window_child ("instructor_panel");
  TtDebriefPage *page = window_child ("debrief_page");
  TtTraining *training;
  const TtCaseSetup *setup;
  const TtTrainingInput *inputs;
  TtWindowMetrics mine, engine;
  gint64 t0, end, flush_ms;
  guint n_inputs;
  gboolean found = FALSE;

  g_object_set (chooser, "scenario", TT_PATIENT_SCENARIO_ELDERLY_SEVERE, "seed", 7, "speed", 60.0,
                NULL);
  activate ("win.start-training", NULL);
  training = tt_window_get_training (window);
  g_assert_nonnull (training);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_cmpfloat (tt_patient_feed_get_speed (current_feed ()), ==, 60);
  g_assert_cmpstr (tt_case_get_source (current_case ()), ==,
                   "virtual patient: Elderly, severe fall");
  /* The instructor's panel is hidden from the trainee's view until asked for. */
  g_assert_false (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_true (gtk_widget_get_visible (window_child ("instructor_button")));

  /* The test holds the patient's clock; every sample delivered is kept to check the debrief. */
  tt_patient_feed_set_clock (current_feed (), fake_clock, NULL);
  tt_patient_feed_set_tick_ms (current_feed (), 1);
  seen = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_signal_connect (current_feed (), "samples", G_CALLBACK (collect_cb), NULL);

  /* The setup starts from the patient: 82 years, baseline 100 mmHg → band 80–100. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (tt_window_get_setup_page (window)), TT_TYPE_SETUP_PAGE,
                           "label_row")), "Sim 7");
  g_assert_cmpfloat (tt_setup_page_get_draft (tt_window_get_setup_page (window))->target_lo, ==, 80);
  activate_on (GTK_WIDGET (tt_window_get_setup_page (window)), "setup.continue", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  run_patient (60);
  /* Alert sounds (a preference): the override's low advisory is silent. */
  g_settings_set_boolean (tt_application_get_settings (app), "alert-sounds", TRUE);
  activate ("case.override", g_variant_new_string ("Simulation"));
  g_assert_nonnull (tt_case_find_alert (current_case (), TT_ALERT_CHECKLIST_OVERRIDE));
  g_assert_cmpuint (tt_window_get_n_alert_sounds (window), ==, 0);
  activate ("case.start-induction", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_INDUCTION);
  t0 = tt_case_get_t0_ms (current_case ());

  /* F9's action shows the panel beside the monitor. */
  activate ("win.instructor-panel", NULL);
  g_assert_true (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_true (tt_instructor_panel_get_training (panel) == training);
  g_assert_cmpuint (tt_instructor_panel_get_n_log (panel), ==, 2);
  g_assert_true (g_str_has_suffix (tt_instructor_panel_get_log (panel, 0), "  Start of induction"));

  /* The trainee answers the first advice; the instructor makes the patient harder. */
  g_assert_true (run_until_advice (10 * 60));
  activate ("case.accept-advice", NULL);
  activate ("training.severity", g_variant_new_string ("severe"));
  activate ("training.sensitivity", g_variant_new_double (0.5));
  g_assert_cmpfloat (tt_patient_get_params (tt_patient_feed_get_patient (current_feed ()))
                     ->ne_sensitivity, ==, 0.5);
  run_patient (60);
  flush_ms = tt_patient_feed_get_time (current_feed ());
  activate ("training.inject", g_variant_new_string ("flush"));
  g_assert_true (g_str_has_suffix (tt_instructor_panel_get_log (
                   panel, tt_instructor_panel_get_n_log (panel) - 1), "  Flush injected"));
  run_patient (20);
  {
    /* The flush reached the monitor: MAP ≥ 250 mmHg within 10 s, flagged by the engine. */
    for (guint i = 0; i < seen->len; i++)
      {
        const TtSample *s = &g_array_index (seen, TtSample, i);

        found = found || (s->t_ms > flush_ms && s->t_ms <= flush_ms + 10000 && s->map >= 250);
      }
    g_assert_true (found);
  }
  /* Medium and high advisories since then (the flush among them) sounded. */
  g_assert_cmpuint (tt_window_get_n_alert_sounds (window), >=, 1);
  g_settings_reset (tt_application_get_settings (app), "alert-sounds");
  screenshots ("training-instructor");

  /* A bolus of the trainee's own, then the rest of the 15 min; a later advice is declined. */
  activate ("case.bolus-given", NULL);
  if (run_until_advice (5 * 60))
    activate ("case.decline-advice", g_variant_new_string ("Trainee: waiting for the bolus"));
  run_patient ((int) ((t0 + 16 * MIN_MS - tt_patient_feed_get_time (current_feed ())) / 1000));

  activate ("case.end", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_ENDED);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "debrief");
  end = tt_training_get_end_ms (training);
  /* The case clock follows the grid steps, a few seconds behind the patient's. */
  g_assert_cmpint (end, >=, t0 + 15 * MIN_MS);
  {
    gboolean ready = FALSE;
    gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!(ready = tt_debrief_page_get_ready (page)) && g_get_monotonic_time () < limit)
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (ready);
  }
  setup = tt_case_get_setup (current_case ());

  /* The run kept what the instructor did, on the patient's clock. */
  inputs = tt_training_run_get_inputs (tt_training_get_run (training), &n_inputs);
  found = FALSE;
  for (guint i = 0; i < n_inputs; i++)
    found = found || (inputs[i].kind == TT_TRAINING_INPUT_ARTIFACT &&
                      inputs[i].artifact == TT_ARTIFACT_FLUSH && inputs[i].t_ms == flush_ms);
  g_assert_true (found);

  /* The trainee's column: the engine's pipeline on the same samples gives the same figures. */
  for (TtMetricsWindow w = TT_WINDOW_FIRST15; w <= TT_WINDOW_INDUCTION; w++)
    {
      const TtDebriefOutcome *outcome =
        tt_debrief_get_outcome (tt_training_get_debrief (training), TT_TRAINING_TRAINEE);

      measure (setup, seen, t0, end, w, &mine);
      assert_same_metrics (&mine, &outcome->metrics[w]);
      assert_column (page, TT_TRAINING_TRAINEE, w, &mine);
    }
  /* The flush is excluded from the trainee's figures. */
  g_assert_cmpfloat (mine.artifact_min, >, 0);

  /* The advisor's column: the same patient re-run with the advisor arm, measured the same way. */
  {
    TtClinicianConfig config;
    TtTrainingRerun rerun;
    g_autofree char *ne = NULL;
    const TtDebriefOutcome *outcome =
      tt_debrief_get_outcome (tt_training_get_debrief (training), TT_TRAINING_ADVISOR);

    tt_training_advisor_config (setup, &config);
    tt_training_run_simulate (tt_training_get_run (training), TT_TRAINING_ADVISOR, &config, end,
                              &rerun);
    for (TtMetricsWindow w = TT_WINDOW_FIRST15; w <= TT_WINDOW_INDUCTION; w++)
      {
        measure (setup, rerun.samples, t0, end, w, &engine);
        assert_same_metrics (&engine, &outcome->metrics[w]);
        assert_column (page, TT_TRAINING_ADVISOR, w, &engine);
      }
    ne = tt_format_with_unit (rerun.ne_ug_per_kg, 2, "µg/kg");
    g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_NE, TT_TRAINING_ADVISOR,
                                                TT_WINDOW_INDUCTION), ==, ne);
    tt_training_rerun_clear (&rerun);
  }
  {
    g_autofree char *ne = tt_format_with_unit (tt_case_get_total_ug_per_kg (current_case ()), 2,
                                               "µg/kg");
    g_autofree char *boluses = g_strdup_printf ("%u", tt_case_get_bolus_count (current_case ()));

    g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_NE, TT_TRAINING_TRAINEE,
                                                TT_WINDOW_INDUCTION), ==, ne);
    g_assert_cmpstr (tt_debrief_page_get_value (page, TT_DEBRIEF_ROW_BOLUSES, TT_TRAINING_TRAINEE,
                                                TT_WINDOW_INDUCTION), ==, boluses);
  }

  /* Each decision against the advice at the time: the start rate, the accepted advice, the
   * trainee's own bolus (with what the advisor said then). */
  g_assert_cmpuint (tt_debrief_page_get_n_decisions (page), >=, 3);
  g_assert_true (g_str_has_prefix (tt_debrief_page_get_decision (page, 0), "+0:00  Rate set to "));
  g_assert_true (g_str_has_suffix (tt_debrief_page_get_decision (page, 0),
                                   "\n● The starting rate at induction, as set up"));
  found = FALSE;
  for (guint i = 0; i < tt_debrief_page_get_n_decisions (page); i++)
    found = found || (strstr (tt_debrief_page_get_decision (page, i), "  Advised: ") != NULL &&
                      strstr (tt_debrief_page_get_decision (page, i), "\n✓ Accepted after ") != NULL);
  g_assert_true (found);
  found = FALSE;
  for (guint i = 0; i < tt_debrief_page_get_n_decisions (page); i++)
    found = found || strstr (tt_debrief_page_get_decision (page, i),
                             "  Bolus 10 µg = 0.5 mL given\n◆ Your own decision: ") != NULL;
  g_assert_true (found);
  g_assert_true (g_str_has_prefix (tt_debrief_page_get_counts (page), "Advice accepted 1 · "));
  screenshots ("training-debrief");

  /* The summary and the debrief lead to each other. */
  activate ("win.show-summary", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "summary");
  g_assert_true (gtk_widget_get_visible (window_child ("debrief_button")));
  activate ("win.show-debrief", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "debrief");

  activate ("win.close-case", NULL);
  g_assert_null (tt_window_get_training (window));
  g_assert_false (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "start");
  g_clear_pointer (&seen, g_array_unref);
}

/* titrate --training: a typical patient at once, the same training controls. */
static void
test_quick_start (void)
{
  TtWindow *window = get_window ();

  activate ("win.new-training-case", NULL);
  g_assert_nonnull (tt_window_get_training (window));
  g_assert_cmpstr (tt_training_get_title (tt_window_get_training (window)), ==, "Typical patient");
  g_assert_cmpfloat (tt_patient_feed_get_speed (current_feed ()), ==, 1);
  /* The patient waits awake for the trainee's induction. */
  g_assert_cmpint (tt_patient_get_params (tt_patient_feed_get_patient (current_feed ()))
                   ->induction_at_ms, ==, -1);
  activate ("win.close-case", NULL);
  g_assert_null (tt_window_get_training (window));
  /* Without a training case there is no instructor and no panel to show. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.instructor-panel", NULL);
  tt_test_spin (20);
  g_assert_false (adw_flap_get_reveal_flap (window_child ("flap")));
  g_assert_false (gtk_widget_get_visible (window_child ("instructor_button")));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  tt_test_spin (300);

  g_test_add_func ("/training/chooser", test_chooser);
  g_test_add_func ("/training/run-and-debrief", test_run_and_debrief);
  g_test_add_func ("/training/quick-start", test_quick_start);

  status = g_test_run ();

  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.close-case", NULL);
  tt_test_app_free (&app);
  return status;
}
