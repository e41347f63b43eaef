/* bench-trial.c: the in-silico trial's targets (issue 4), printed, never failed on.
 *
 *   1. seeds 1–10, default cohort: advisor vs bolus ARV (on the 2 s grid, and beat to beat as the
 *      source trial measured it) and AUT < 65 (0–15 min) with p;
 *   2. advisor arm: median % time in the band and % time below 65 mmHg;
 *   3. Varvel MDAPE and wobble of the advisor arm at 0.1×, 1× and 10× NE sensitivity;
 *   4. wall time of the 71-patient, 30-minute trial (target < 2 s).
 *
 * If a target is out of reach with an honest model, these are the figures that say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-trial.h"

#define N_SEEDS 10

static double
median_of (TtTrial       *trial,
           TtArm          arm,
           TtTrialWindow  window,
           TtEndpoint     endpoint)
{
  TtStatsSummary s;

  tt_trial_summarize (trial, arm, window, endpoint, &s);
  return s.median;
}

static void
bench_arms (void)
{
  TtCohort cohort;
  guint arv_wins = 0, aut_wins = 0, beat_wins = 0;
  g_autoptr (GArray) beat_a = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) beat_b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) in_band = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) below = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) in_band30 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) below30 = g_array_new (FALSE, FALSE, sizeof (double));
  TtStatsSummary s;

  tt_cohort_init_default (&cohort);
  g_test_message ("Default cohort (71: 36 advisor, 35 bolus), 0-15 min, 2 s grid");
  g_test_message ("seed | ARV 2 s grid advisor / bolus mmHg/min (Welch p, MW p) | ARV beat to "
                  "beat | AUT<65 advisor / bolus mmHg*min mean (Welch p, MW p)");
  for (guint32 seed = 1; seed <= N_SEEDS; seed++)
    {
      g_autoptr (TtTrial) trial = tt_trial_run (&cohort, seed, 0, FALSE);
      TtStatsSummary arv_a, arv_b, aut_a, aut_b, bt_a, bt_b;
      double arv_w, arv_m, aut_w, aut_m, bt_w, bt_m;

      tt_trial_summarize (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_ARV, &arv_a);
      tt_trial_summarize (trial, TT_ARM_BOLUS, TT_TRIAL_FIRST15, TT_ENDPOINT_ARV, &arv_b);
      tt_trial_summarize (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_AUT65, &aut_a);
      tt_trial_summarize (trial, TT_ARM_BOLUS, TT_TRIAL_FIRST15, TT_ENDPOINT_AUT65, &aut_b);
      tt_trial_compare (trial, TT_ARM_ADVISOR, TT_ARM_BOLUS, TT_TRIAL_FIRST15, TT_ENDPOINT_ARV,
                        &arv_w, &arv_m);
      tt_trial_compare (trial, TT_ARM_ADVISOR, TT_ARM_BOLUS, TT_TRIAL_FIRST15, TT_ENDPOINT_AUT65,
                        &aut_w, &aut_m);
      tt_trial_summarize (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_ARV_BEAT, &bt_a);
      tt_trial_summarize (trial, TT_ARM_BOLUS, TT_TRIAL_FIRST15, TT_ENDPOINT_ARV_BEAT, &bt_b);
      tt_trial_compare (trial, TT_ARM_ADVISOR, TT_ARM_BOLUS, TT_TRIAL_FIRST15,
                        TT_ENDPOINT_ARV_BEAT, &bt_w, &bt_m);
      g_array_append_val (beat_a, bt_a.mean);
      g_array_append_val (beat_b, bt_b.mean);
      arv_wins += arv_a.mean < arv_b.mean && arv_w < 0.05 && arv_m < 0.05;
      beat_wins += bt_a.mean < bt_b.mean && bt_w < 0.05 && bt_m < 0.05;
      aut_wins += aut_a.mean < aut_b.mean && aut_w < 0.05 && aut_m < 0.05;
      g_test_message ("%4u | %5.1f / %5.1f (%.3f, %.3f) | %5.1f / %5.1f (%.3f, %.3f) | "
                      "%6.3f / %6.3f (%.3f, %.3f)", seed, arv_a.mean, arv_b.mean, arv_w, arv_m,
                      bt_a.mean, bt_b.mean, bt_w, bt_m, aut_a.mean, aut_b.mean, aut_w, aut_m);
      {
        double v;

        v = median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_IN_BAND);
        g_array_append_val (in_band, v);
        v = median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_TIME_BELOW65_PCT);
        g_array_append_val (below, v);
        v = median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_IN_BAND);
        g_array_append_val (in_band30, v);
        v = median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_TIME_BELOW65_PCT);
        g_array_append_val (below30, v);
      }
    }
  g_test_message ("TARGET advisor ARV lower, p < 0.05 (both tests): %u of %d seeds on the 2 s grid, "
                  "%u of %d beat to beat", arv_wins, N_SEEDS, beat_wins, N_SEEDS);
  {
    TtStatsSummary a, b;

    tt_stats_summarize ((double *) (gpointer) beat_a->data, beat_a->len, &a);
    tt_stats_summarize ((double *) (gpointer) beat_b->data, beat_b->len, &b);
    g_test_message ("       beat-to-beat ARV, mean of the seeds' means: advisor %.1f, bolus %.1f "
                    "mmHg/min (source trial: 19 +- 6 infusion, 25 +- 7 bolus)", a.mean, b.mean);
  }
  g_test_message ("TARGET advisor AUT<65 lower, p < 0.05 (both tests): %u of %d seeds", aut_wins,
                  N_SEEDS);
  tt_stats_summarize ((double *) (gpointer) in_band->data, in_band->len, &s);
  g_test_message ("TARGET advisor median %% time in band >= 90 %%: per-seed medians %.1f "
                  "(%.1f-%.1f) %% over 0-15 min", s.median, s.min, s.max);
  tt_stats_summarize ((double *) (gpointer) in_band30->data, in_band30->len, &s);
  g_test_message ("                                              %.1f (%.1f-%.1f) %% over 0-30 min",
                  s.median, s.min, s.max);
  tt_stats_summarize ((double *) (gpointer) below->data, below->len, &s);
  g_test_message ("TARGET advisor median %% time < 65 mmHg <= 0.5 %%: per-seed medians %.2f "
                  "(%.2f-%.2f) %% over 0-15 min", s.median, s.min, s.max);
  tt_stats_summarize ((double *) (gpointer) below30->data, below30->len, &s);
  g_test_message ("                                              %.2f (%.2f-%.2f) %% over 0-30 min",
                  s.median, s.min, s.max);
}

static void
bench_sensitivity (void)
{
  double multipliers[] = { 0.1, 1, 10 };

  g_test_message ("Advisor arm alone, 36 patients, seed 1, NE sensitivity multiplier (on top of "
                  "the log-normal CV 80 %%): median Varvel MDAPE / wobble, target < 5 %% each");
  for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
    {
      TtCohort cohort;
      g_autoptr (TtTrial) trial = NULL;

      tt_cohort_init_default (&cohort);
      cohort.arm_weight[TT_ARM_BOLUS] = 0;
      cohort.multiplier_min = cohort.multiplier_max = multipliers[i];
      trial = tt_trial_run (&cohort, 1, 36, FALSE);
      g_test_message ("TARGET %4.1fx: 0-15 min MDAPE %.1f %%, wobble %.1f %%; 0-30 min MDAPE "
                      "%.1f %%, wobble %.1f %%; in band %.0f %% (0-15), %.0f %% (0-30); NE %.2f "
                      "ug/kg (0-30)",
                      multipliers[i],
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_MDAPE),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_WOBBLE),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_MDAPE),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_WOBBLE),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_FIRST15, TT_ENDPOINT_IN_BAND),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_IN_BAND),
                      median_of (trial, TT_ARM_ADVISOR, TT_TRIAL_WHOLE, TT_ENDPOINT_NE_TOTAL));

      /* The same patients on INDUCT's fixed 0.05 µg/kg/min: what the advisor adds. */
      tt_trial_free (g_steal_pointer (&trial));
      cohort.arm_weight[TT_ARM_ADVISOR] = 0;
      cohort.arm_weight[TT_ARM_FIXED] = 1;
      trial = tt_trial_run (&cohort, 1, 36, FALSE);
      g_test_message ("       fixed 0.05 ug/kg/min, same patients: 0-15 min MDAPE %.1f %%, wobble "
                      "%.1f %%; 0-30 min MDAPE %.1f %%; in band %.0f %% (0-15), %.0f %% (0-30)",
                      median_of (trial, TT_ARM_FIXED, TT_TRIAL_FIRST15, TT_ENDPOINT_MDAPE),
                      median_of (trial, TT_ARM_FIXED, TT_TRIAL_FIRST15, TT_ENDPOINT_WOBBLE),
                      median_of (trial, TT_ARM_FIXED, TT_TRIAL_WHOLE, TT_ENDPOINT_MDAPE),
                      median_of (trial, TT_ARM_FIXED, TT_TRIAL_FIRST15, TT_ENDPOINT_IN_BAND),
                      median_of (trial, TT_ARM_FIXED, TT_TRIAL_WHOLE, TT_ENDPOINT_IN_BAND));
    }
}

static void
bench_wall_time (void)
{
  TtCohort cohort;
  gint64 best = G_MAXINT64;

  tt_cohort_init_default (&cohort);
  for (guint i = 0; i < 3; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (TtTrial) trial = tt_trial_run (&cohort, 1, 0, FALSE);

      best = MIN (best, g_get_monotonic_time () - start);
      g_assert_cmpuint (tt_trial_get_n_patients (trial), ==, 71);
    }
  g_test_message ("TARGET 71 patients x 30 min in < 2 s: %.3f s (best of 3)", best / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench/trial/arms", bench_arms);
  g_test_add_func ("/bench/trial/sensitivity", bench_sensitivity);
  g_test_add_func ("/bench/trial/wall-time", bench_wall_time);
  return g_test_run ();
}
