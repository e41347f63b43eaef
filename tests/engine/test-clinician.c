/* test-clinician.c: the clinician of each arm, driven by hand-made signal states.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-clinician.h"

static TtSignalState
state_at (gint64 t_ms,
          double map)
{
  return (TtSignalState) {
    .t_ms = t_ms,
    .valid = TRUE,
    .map = map,
    .slope = 0,
    .quality = TT_QUALITY_VALID,
    .stale = FALSE,
    .last_valid_ms = t_ms,
  };
}

static TtClinician *
new_clinician (TtArm arm)
{
  TtCohort cohort;
  TtClinicianConfig config;

  tt_cohort_init_default (&cohort);
  tt_clinician_config_init (&config, arm, &cohort, 70, 95);
  /* CLINICAL.md §3 [est]: max(65, 0.8 × 95) = 76, + 20 */
  g_assert_cmpfloat (config.band_low, ==, 76);
  g_assert_cmpfloat (config.band_high, ==, 96);
  g_assert_cmpint (config.reaction_delay_ms, ==, 30000);
  return tt_clinician_new (&config);
}

/* 10 µg when MAP < 65, after the reaction delay, no sooner than 2 min after the last bolus. */
static void
test_bolus_arm (void)
{
  g_autoptr (TtClinician) c = new_clinician (TT_ARM_BOLUS);
  TtClinicianAction a;
  TtSignalState s;

  tt_clinician_start (c, 0, &a);
  g_assert_false (a.set_rate);
  g_assert_cmpfloat (a.bolus_ug, ==, 0);

  s = state_at (10000, 66);
  tt_clinician_observe (c, &s);
  tt_clinician_act (c, 40000, &a);
  g_assert_cmpfloat (a.bolus_ug, ==, 0);

  s = state_at (42000, 64);
  tt_clinician_observe (c, &s);
  tt_clinician_act (c, 71000, &a);
  g_assert_cmpfloat (a.bolus_ug, ==, 0);
  tt_clinician_act (c, 72000, &a);
  g_assert_cmpfloat (a.bolus_ug, ==, 10);
  g_assert_false (a.set_rate);

  /* Given at 72 s: the next may be given from 192 s, so seen from 162 s. */
  for (gint64 t = 74000; t < 162000; t += 2000)
    {
      s = state_at (t, 55);
      tt_clinician_observe (c, &s);
      tt_clinician_act (c, t, &a);
      g_assert_cmpfloat (a.bolus_ug, ==, 0);
    }
  s = state_at (162000, 55);
  tt_clinician_observe (c, &s);
  tt_clinician_act (c, 192000, &a);
  g_assert_cmpfloat (a.bolus_ug, ==, 10);

  /* Nothing from a flagged or stale signal, whatever it says. */
  s = state_at (400000, 30);
  s.valid = FALSE;
  s.map = NAN;
  s.quality = TT_QUALITY_FLUSH;
  tt_clinician_observe (c, &s);
  tt_clinician_act (c, 500000, &a);
  g_assert_cmpfloat (a.bolus_ug, ==, 0);
  g_assert_cmpuint (tt_clinician_get_n_accepted (c), ==, 2);
}

static void
test_fixed_and_none (void)
{
  g_autoptr (TtClinician) fixed = new_clinician (TT_ARM_FIXED);
  g_autoptr (TtClinician) none = new_clinician (TT_ARM_NONE);
  TtClinicianAction a;

  tt_clinician_start (fixed, 0, &a);
  g_assert_true (a.set_rate);
  g_assert_cmpfloat (a.rate, ==, 0.05);
  tt_clinician_start (none, 0, &a);
  g_assert_false (a.set_rate);
  for (gint64 t = 2000; t < 600000; t += 2000)
    {
      TtSignalState s = state_at (t, t < 300000 ? 50 : 130);

      tt_clinician_observe (fixed, &s);
      tt_clinician_observe (none, &s);
      tt_clinician_act (fixed, t, &a);
      g_assert_false (a.set_rate);
      g_assert_cmpfloat (a.bolus_ug, ==, 0);
      tt_clinician_act (none, t, &a);
      g_assert_false (a.set_rate);
      g_assert_cmpfloat (a.bolus_ug, ==, 0);
    }
}

/* The advisor arm starts the infusion at induction and takes the advisor's changes after the
 * reaction delay, one at a time. */
static void
test_advisor_arm (void)
{
  g_autoptr (TtClinician) c = new_clinician (TT_ARM_ADVISOR);
  TtClinicianAction a;
  double rate;
  gint64 first_change = -1;

  tt_clinician_start (c, 0, &a);
  g_assert_true (a.set_rate);
  g_assert_cmpfloat (a.rate, ==, TT_ADVISOR_START_RATE);
  rate = a.rate;

  /* MAP 70, below the band 76–96 and flat, for 10 min: the rate goes up, step by step. */
  for (gint64 t = 2000; t <= 600000; t += 2000)
    {
      TtSignalState s = state_at (t, 70);

      tt_clinician_observe (c, &s);
      tt_clinician_act (c, t, &a);
      if (a.set_rate)
        {
          g_assert_cmpfloat (a.rate, >, rate);
          /* CLINICAL.md §2 [est]: steps of 0.01–0.02 µg/kg/min */
          g_assert_cmpfloat (a.rate - rate, <=, 0.02 + 1e-9);
          rate = a.rate;
          if (first_change < 0)
            first_change = t;
        }
    }
  g_test_message ("rate after 10 min at 70 mmHg: %.3f ug/kg/min, first change at %.0f s", rate,
                  first_change / 1000.0);
  g_assert_cmpfloat (rate, >, TT_ADVISOR_START_RATE);
  /* The advisor waits for its re-evaluation time after the start, then the clinician 30 s. */
  g_assert_cmpint (first_change, >=, 30000);
  g_assert_cmpuint (tt_clinician_get_n_accepted (c), >=, 2);
  g_assert_cmpuint (tt_clinician_get_n_advice (c), >=, tt_clinician_get_n_accepted (c));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clinician/bolus", test_bolus_arm);
  g_test_add_func ("/clinician/fixed-and-none", test_fixed_and_none);
  g_test_add_func ("/clinician/advisor", test_advisor_arm);
  return g_test_run ();
}
