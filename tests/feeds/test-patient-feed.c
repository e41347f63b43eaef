/* test-patient-feed.c: the virtual patient as a live feed, on a clock the test controls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-patient-feed.h"

typedef struct {
  gint64  now_us;
  GArray *samples;
  guint   wave_points;
  gint64  induction_ms;
  guint   events;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now_us;
}

static void
samples_cb (TtFeed         *feed,
            const TtSample *samples,
            guint           n_samples,
            Fixture        *f)
{
  g_array_append_vals (f->samples, samples, n_samples);
}

static void
waveform_cb (TtPatientFeed     *feed,
             const TtWavePoint *points,
             guint              n_points,
             Fixture           *f)
{
  f->wave_points += n_points;
}

static void
event_cb (TtFeed     *feed,
          gint64      t_ms,
          const char *kind,
          const char *text,
          Fixture    *f)
{
  g_assert_cmpstr (kind, ==, "induction");
  f->induction_ms = t_ms;
  f->events++;
}

static TtPatientFeed *
new_feed (Fixture          *f,
          TtPatientScenario scenario)
{
  TtPatientFeed *feed = tt_patient_feed_new (scenario, 1);

  memset (f, 0, sizeof *f);
  f->now_us = 1000000;
  f->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  f->induction_ms = -1;
  tt_patient_feed_set_clock (feed, fake_clock, f);
  tt_patient_feed_set_tick_ms (feed, 1);
  g_signal_connect (feed, "samples", G_CALLBACK (samples_cb), f);
  g_signal_connect (feed, "waveform", G_CALLBACK (waveform_cb), f);
  g_signal_connect (feed, "event", G_CALLBACK (event_cb), f);
  return feed;
}

/* Moves the fake clock and lets the feed's timeout run once. */
static void
run (Fixture *f,
     gint64   wall_ms)
{
  gint64 before = f->samples->len;

  f->now_us += wall_ms * 1000;
  for (guint i = 0; i < 50 && (gint64) f->samples->len == before; i++)
    g_main_context_iteration (NULL, TRUE);
  /* One more tick for what a tick boundary might have left. */
  g_main_context_iteration (NULL, TRUE);
}

/* A feed going on with a patient restored at 2:00.5 (induced at 1:00) continues its clock and its
 * numbers exactly as the same patient advanced without a break, and does not announce the
 * induction again. */
static void
test_for_patient (void)
{
  TtPatientParams params;
  Fixture f;
  TtPatient *patient;
  g_autoptr(TtPatient) reference = NULL;
  g_autoptr(TtPatientFeed) feed = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GError) error = NULL;

  tt_patient_scenario_params (TT_PATIENT_SCENARIO_ELDERLY_SEVERE, &params);
  patient = tt_patient_new (&params, 31);
  reference = tt_patient_new (&params, 31);
  tt_patient_advance (patient, 120500, NULL, NULL);
  tt_patient_advance (reference, 120500, NULL, NULL);
  tt_patient_advance (reference, 5500, expected, NULL);

  feed = tt_patient_feed_new_for_patient (patient, "restored");
  memset (&f, 0, sizeof f);
  f.now_us = 5000000;
  f.samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  f.induction_ms = -1;
  tt_patient_feed_set_clock (feed, fake_clock, &f);
  tt_patient_feed_set_tick_ms (feed, 1);
  g_signal_connect (feed, "samples", G_CALLBACK (samples_cb), &f);
  g_signal_connect (feed, "event", G_CALLBACK (event_cb), &f);
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 120500);
  run (&f, 5500);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 126000);
  /* 2:01 to 2:06, one a second. */
  g_assert_cmpuint (f.samples->len, ==, 6);
  g_assert_cmpuint (expected->len, ==, 6);
  for (guint i = 0; i < f.samples->len; i++)
    {
      g_assert_cmpint (g_array_index (f.samples, TtSample, i).t_ms, ==, 121000 + i * 1000);
      g_assert_cmpfloat (g_array_index (f.samples, TtSample, i).map, ==,
                         g_array_index (expected, TtSample, i).map);
    }
  g_assert_cmpuint (f.events, ==, 0);
  g_array_unref (f.samples);
}

static void
test_pace (void)
{
  Fixture f;
  g_autoptr (TtPatientFeed) feed = new_feed (&f, TT_PATIENT_SCENARIO_TYPICAL);
  g_autoptr (GError) error = NULL;

  g_assert_true (tt_feed_get_training (TT_FEED (feed)));
  g_assert_nonnull (strstr (tt_feed_get_description (TT_FEED (feed)), "training"));
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_no_error (error);

  /* 1×: 10 s of wall time are 10 s of patient, 10 numerics. */
  run (&f, 10000);
  g_assert_cmpuint (f.samples->len, ==, 10);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 10000);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (feed)), ==, TT_FEED_STATUS_CONNECTED);
  for (guint i = 0; i < f.samples->len; i++)
    g_assert_cmpint (g_array_index (f.samples, TtSample, i).t_ms, ==, (i + 1) * 1000);

  /* 60×: 1 s of wall time is a minute. */
  tt_patient_feed_set_speed (feed, 60);
  run (&f, 1000);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 70000);
  g_assert_cmpuint (f.samples->len, ==, 70);
  /* Induction starts after a minute of baseline in every scenario, announced as an event. */
  g_assert_cmpuint (f.events, ==, 1);
  g_assert_cmpint (f.induction_ms, ==, 60000);

  /* 12.5×: 400 ms are 5 s. */
  tt_patient_feed_set_speed (feed, 12.5);
  run (&f, 400);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 75000);

  /* Out of 1–60: clamped. */
  tt_patient_feed_set_speed (feed, 500);
  g_assert_cmpfloat (tt_patient_feed_get_speed (feed), ==, 60);
  tt_patient_feed_set_speed (feed, 0);
  g_assert_cmpfloat (tt_patient_feed_get_speed (feed), ==, 1);
  run (&f, 2000);
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 77000);

  /* Stopped, the patient does not move. */
  tt_feed_stop (TT_FEED (feed));
  f.now_us += 5000000;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (tt_patient_feed_get_time (feed), ==, 77000);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (feed)), ==, TT_FEED_STATUS_STOPPED);
  g_array_unref (f.samples);
}

static void
test_controls (void)
{
  Fixture f;
  g_autoptr (TtPatientFeed) feed = new_feed (&f, TT_PATIENT_SCENARIO_TYPICAL);
  TtPatientTruth truth;
  guint before;

  g_assert_true (tt_feed_start (TT_FEED (feed), NULL));
  tt_patient_feed_set_waveform (feed, TRUE);
  tt_patient_feed_start_induction (feed);
  g_assert_cmpuint (f.events, ==, 1);
  g_assert_cmpint (f.induction_ms, ==, 0);
  run (&f, 2000);
  g_assert_cmpuint (f.wave_points, ==, 250);

  tt_patient_feed_set_rate (feed, 0.08);
  tt_patient_feed_give_bolus (feed, 10);
  tt_patient_feed_set_sensitivity (feed, 3);
  tt_patient_feed_set_severity (feed, TT_SEVERITY_SEVERE);
  tt_patient_get_truth (tt_patient_feed_get_patient (feed), &truth);
  g_assert_cmpfloat (truth.rate_ug_kg_min, ==, 0.08);
  g_assert_cmpfloat (truth.ne_bolus_ug, ==, 10);
  g_assert_cmpfloat (tt_patient_get_params (tt_patient_feed_get_patient (feed))->ne_sensitivity,
                     ==, 3);
  g_assert_cmpfloat_with_epsilon (
    tt_patient_get_params (tt_patient_feed_get_patient (feed))->induction_fall, 0.32, 1e-12);

  /* The instructor pulls the line: 20 s without a sample. */
  tt_patient_feed_inject_artifact (feed, TT_ARTIFACT_SIGNAL_LOSS, 20000);
  run (&f, 1500);
  before = f.samples->len;
  f.now_us += 15000 * 1000;
  g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f.samples->len, ==, before);
  run (&f, 10000);
  g_assert_cmpuint (f.samples->len, >, before);
  tt_feed_stop (TT_FEED (feed));
  g_array_unref (f.samples);
}

static void
test_scenarios (void)
{
  for (guint i = 0; i < TT_N_PATIENT_SCENARIOS; i++)
    {
      TtPatientScenario s = TT_N_PATIENT_SCENARIOS;
      TtPatientParams p;
      g_autoptr (TtPatient) patient = NULL;
      g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));

      g_assert_true (tt_patient_scenario_from_string (tt_patient_scenario_to_string (i), &s));
      g_assert_cmpuint (s, ==, i);
      g_assert_cmpstr (tt_patient_scenario_describe (i), !=, "");
      tt_patient_scenario_params (i, &p);
      patient = tt_patient_new (&p, 1);
      tt_patient_advance (patient, 600000, numerics, NULL);
      g_assert_cmpuint (numerics->len, >, 400);
    }
  {
    TtPatientScenario s;
    TtPatientParams p;

    g_assert_false (tt_patient_scenario_from_string ("nonesuch", &s));
    tt_patient_scenario_params (TT_PATIENT_SCENARIO_UNPRIMED_LINE, &p);
    g_assert_false (p.line_primed);
    /* 0.05 µg/kg/min, 70 kg, 80 µg/mL: 2.625 mL/h through 1 mL, 22.9 min */
    g_assert_cmpfloat_with_epsilon (p.dead_space_ml / tt_patient_params_flow_ml_h (&p, 0.05) * 60,
                                    22.857, 0.001);
    tt_patient_scenario_params (TT_PATIENT_SCENARIO_ELDERLY_SEVERE, &p);
    g_assert_cmpfloat (p.induction_half_time_min, ==, 10.2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/patient-feed/pace", test_pace);
  g_test_add_func ("/patient-feed/for-patient", test_for_patient);
  g_test_add_func ("/patient-feed/controls", test_controls);
  g_test_add_func ("/patient-feed/scenarios", test_scenarios);
  return g_test_run ();
}
