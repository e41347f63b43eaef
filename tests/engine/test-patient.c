/* test-patient.c: the virtual patient's pharmacology, line, physiology and output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tt-beats.h"
#include "tt-patient.h"
#include "tt-quality.h"

/* A typical patient with nothing but the drug: no induction, no noise, no artifacts. */
static void
quiet_params (TtPatientParams *p)
{
  tt_patient_params_init_typical (p);
  p->induction_at_ms = -1;
  p->resp_swing_mmhg = 0;
  p->noise_sd_mmhg = 0;
  p->drift_sd_mmhg = 0;
}

static TtPatientTruth
truth_after (TtPatient *patient,
             gint64     dt_ms)
{
  TtPatientTruth truth;

  tt_patient_advance (patient, dt_ms, NULL, NULL);
  tt_patient_get_truth (patient, &truth);
  return truth;
}

/* CLINICAL.md §2: V ≈ 8.8 L, CL 2–3 L/min, t½ ≈ 2–2.4 min. */
static void
test_half_life (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  TtPatientTruth truth;
  double c0, t_half = -1;

  quiet_params (&p);
  /* ln 2 × 8.8 / 2.75 = 2.2181 min */
  g_assert_cmpfloat_with_epsilon (tt_patient_params_ne_half_life_min (&p), 2.2181, 0.0001);

  patient = tt_patient_new (&p, 1);
  tt_patient_set_rate (patient, 0.1);
  truth = truth_after (patient, 60 * 60000);
  c0 = truth.ne_plasma_ug_l;
  /* 0.1 µg/kg/min × 70 kg / 2.75 L/min = 2.545 µg/L */
  g_assert_cmpfloat_with_epsilon (c0, 2.5455, 0.0026);
  tt_patient_set_rate (patient, 0);
  for (guint i = 1; i <= 6000; i++)
    {
      truth = truth_after (patient, 100);
      if (truth.ne_plasma_ug_l <= c0 / 2)
        {
          t_half = i / 600.0;
          break;
        }
    }
  g_test_message ("measured NE half-life %.3f min", t_half);
  g_assert_cmpfloat (fabs (t_half - 2.2181) / 2.2181, <, 0.05);
  g_assert_cmpfloat (t_half, >=, 2.0 * 0.95);
  g_assert_cmpfloat (t_half, <=, 2.4 * 1.05);
}

/* CLINICAL.md §5: +5 to +10 mmHg per 0.05 µg/kg/min at steady state (typical: 7.5); §2: steady
 * effect ≈ 8–10 min after a rate change. The weight does not change the response to a dose per kg. */
static void
test_steady_state (void)
{
  TtPatientParams p;
  double weights[] = { 70, 50, 120 };

  for (guint w = 0; w < G_N_ELEMENTS (weights); w++)
    {
      g_autoptr (TtPatient) patient = NULL;
      TtPatientTruth truth;
      double t90 = -1;

      quiet_params (&p);
      p.weight_kg = weights[w];
      g_assert_cmpfloat_with_epsilon (tt_patient_params_ne_steady_mmhg (&p, 0.05), 7.5, 1e-9);
      patient = tt_patient_new (&p, 1);
      tt_patient_set_rate (patient, 0.05);
      for (guint i = 1; i <= 600 * 60; i++)
        {
          truth = truth_after (patient, 100);
          if (t90 < 0 && truth.ne_effect_mmhg >= 0.9 * 7.5)
            t90 = i / 600.0;
        }
      g_test_message ("%.0f kg: steady effect %.3f mmHg, 90 %% after %.2f min", weights[w],
                      truth.ne_effect_mmhg, t90);
      g_assert_cmpfloat (fabs (truth.ne_effect_mmhg - 7.5) / 7.5, <, 0.05);
      g_assert_cmpfloat (truth.map_model - p.baseline_map, >=, 5.0);
      g_assert_cmpfloat (truth.map_model - p.baseline_map, <=, 10.0);
      /* 0.05 × 70 / 2.75 = 1.2727 µg/L, whatever the weight */
      g_assert_cmpfloat_with_epsilon (truth.ne_plasma_ug_l, 1.2727, 0.0013);
      g_assert_cmpfloat (t90, >=, 8.0);
      g_assert_cmpfloat (t90, <=, 10.0);
    }
}

/* Saturation (Emax 50 mmHg) and sensitivity: 10× sensitivity at 0.05 µg/kg/min gives
 * 50 × 10c / (EC50 + 10c) with EC50 = c × (50 / 7.5 − 1): 50 × 10 / (5.667 + 10) = 31.91 mmHg, and 0.1× gives 50 × 0.1 / 5.767 = 0.867. */
static void
test_saturation (void)
{
  TtPatientParams p;

  quiet_params (&p);
  g_assert_cmpfloat_with_epsilon (tt_patient_params_ne_steady_mmhg (&p, 5.0), 50.0 * 100 / 105.667,
                                  1e-3);
  p.ne_sensitivity = 10;
  g_assert_cmpfloat_with_epsilon (tt_patient_params_ne_steady_mmhg (&p, 0.05), 31.915, 1e-3);
  p.ne_sensitivity = 0.1;
  g_assert_cmpfloat_with_epsilon (tt_patient_params_ne_steady_mmhg (&p, 0.05), 0.8671, 1e-3);
}

/* CLINICAL.md §2: delay = dead space / rate; 1 mL at 2.6 mL/h ≈ 23 min. Here 0.05 µg/kg/min for
 * 70 kg at 80 µg/mL is 2.625 mL/h, so 1 mL takes 60 / 2.625 = 22.857 min. */
static void
test_unprimed_line (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) primed = NULL;
  g_autoptr (TtPatient) unprimed = NULL;
  double delay_min = 60.0 / 2.625;
  gint64 delay_ms = (gint64) (delay_min * 60000);
  double primed_effect[3];
  guint checks[3] = { 2, 5, 10 };

  quiet_params (&p);
  p.concentration_ug_ml = 80;
  p.dead_space_ml = 1;
  g_assert_cmpfloat_with_epsilon (tt_patient_params_flow_ml_h (&p, 0.05), 2.625, 1e-9);

  primed = tt_patient_new (&p, 1);
  tt_patient_set_rate (primed, 0.05);
  for (guint i = 0; i < 3; i++)
    primed_effect[i] = truth_after (primed, (checks[i] - (i ? checks[i - 1] : 0)) * 60000)
                         .ne_effect_mmhg;

  p.line_primed = FALSE;
  unprimed = tt_patient_new (&p, 1);
  tt_patient_set_rate (unprimed, 0.05);
  /* Nothing reaches the patient before the line has been flushed, then it comes at once. */
  g_assert_cmpfloat (truth_after (unprimed, delay_ms - 200).ne_plasma_ug_l, ==, 0.0);
  g_assert_cmpfloat (truth_after (unprimed, 0).line_drug_free_ml, >, 0.0);
  g_assert_cmpfloat (truth_after (unprimed, 400).ne_plasma_ug_l, >, 0.0);
  g_assert_cmpfloat (truth_after (unprimed, 0).line_drug_free_ml, ==, 0.0);
  tt_patient_free (g_steal_pointer (&unprimed));

  /* The whole response is the primed line's, shifted by the transport time. */
  unprimed = tt_patient_new (&p, 1);
  tt_patient_set_rate (unprimed, 0.05);
  tt_patient_advance (unprimed, delay_ms, NULL, NULL);
  for (guint i = 0; i < 3; i++)
    {
      double e = truth_after (unprimed, (checks[i] - (i ? checks[i - 1] : 0)) * 60000)
                   .ne_effect_mmhg;

      g_test_message ("%u min after the drug arrives: %.3f mmHg (primed line %.3f)", checks[i], e,
                      primed_effect[i]);
      g_assert_cmpfloat_with_epsilon (e, primed_effect[i], 0.02);
    }
}

/* CLINICAL.md §2: a bolus acts in 30–60 s and wears off in a few minutes. A 10 µg bolus is first
 * diluted in about 2 L (the central blood volume) and mixes into V within a minute [est]: about
 * +10 mmHg at its peak in a typical patient (through V = 8.8 L alone it would be +4 mmHg at 2 min);
 * all of it ends in the compartment, so the pump's kinetics stay CLINICAL.md's. */
static void
test_bolus (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  double peak = 0, e30, e60, e600 = 0;
  guint t_peak = 0;

  quiet_params (&p);
  patient = tt_patient_new (&p, 1);
  tt_patient_give_bolus (patient, 10);
  e30 = truth_after (patient, 30000).ne_effect_mmhg;
  e60 = truth_after (patient, 30000).ne_effect_mmhg;
  for (guint s = 61; s <= 600; s++)
    {
      double e = truth_after (patient, 1000).ne_effect_mmhg;

      if (e > peak)
        peak = e, t_peak = s;
      e600 = e;
    }
  g_test_message ("10 ug bolus: %.2f mmHg at 30 s, %.2f at 60 s, peak %.2f at %u s, %.2f at 10 min",
                  e30, e60, peak, t_peak, e600);
  g_assert_cmpfloat (e30, >, 0.5 * peak);
  g_assert_cmpfloat (e60, >, 0.9 * peak);
  g_assert_cmpuint (t_peak, >=, 60);
  g_assert_cmpuint (t_peak, <=, 100);
  g_assert_cmpfloat (peak, >=, 9.0);
  g_assert_cmpfloat (peak, <=, 11.0);
  g_assert_cmpfloat (e600, <, 0.1 * peak);
  g_assert_cmpfloat_with_epsilon (truth_after (patient, 0).ne_bolus_ug, 10, 1e-12);
  /* Half an hour later the bolus is gone: mixed into V and cleared, 1.14 µg/L × 2^(−30 / 2.22). */
  g_assert_cmpfloat (truth_after (patient, 20 * 60000).ne_plasma_ug_l, <, 2e-4);
}

/* CLINICAL.md §5 (Kazama 1999): the nadir of the propofol effect comes 4–10 min after the start of
 * induction, later in older patients; the fall at the nadir is the patient's fraction of baseline. */
static void
test_induction (void)
{
  double ages[] = { 47, 66, 86 };
  double last_nadir_min = 0;

  for (guint a = 0; a < G_N_ELEMENTS (ages); a++)
    {
      TtPatientParams p;
      g_autoptr (TtPatient) patient = NULL;
      double lowest = G_MAXDOUBLE, lowest_min = 0;

      quiet_params (&p);
      p.induction_at_ms = 0;
      p.intubation_rise_mmhg = 0;
      p.age_years = ages[a];
      p.induction_half_time_min = tt_patient_induction_half_time_for_age (ages[a]);
      patient = tt_patient_new (&p, 1);
      for (guint s = 1; s <= 1800; s++)
        {
          TtPatientTruth t = truth_after (patient, 1000);

          if (t.map_model < lowest)
            lowest = t.map_model, lowest_min = s / 60.0;
        }
      g_test_message ("age %.0f: half-time %.2f min, nadir %.1f mmHg at %.2f min", ages[a],
                      p.induction_half_time_min, lowest, lowest_min);
      g_assert_cmpfloat (lowest_min, >=, 4.0);
      g_assert_cmpfloat (lowest_min, <=, 10.0);
      g_assert_cmpfloat (lowest_min, >, last_nadir_min);
      g_assert_cmpfloat_with_epsilon (lowest, 95 * (1 - 0.24), 0.05);
      last_nadir_min = lowest_min;
    }
  g_assert_cmpfloat (tt_patient_induction_half_time_for_age (25), ==, 5.7);
  g_assert_cmpfloat (tt_patient_induction_half_time_for_age (80), ==, 10.2);
}

/* The same seed gives the same numbers; asking for the waveform changes none of them. */
static void
test_deterministic (void)
{
  TtPatientParams p;
  g_autoptr (GArray) a = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) b = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) c = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) wave = g_array_new (FALSE, FALSE, sizeof (TtWavePoint));
  g_autoptr (TtPatient) pa = NULL;
  g_autoptr (TtPatient) pb = NULL;
  g_autoptr (TtPatient) pc = NULL;

  tt_patient_params_init_typical (&p);
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    p.artifact_rate_per_h[i] = 6;
  pa = tt_patient_new (&p, 42);
  pb = tt_patient_new (&p, 42);
  pc = tt_patient_new (&p, 43);
  for (guint i = 0; i < 600; i++)
    {
      tt_patient_advance (pa, 3000, a, NULL);
      tt_patient_advance (pb, 1000, b, wave);
      tt_patient_advance (pb, 2000, b, NULL);
      tt_patient_advance (pc, 3000, c, NULL);
      if (i == 100)
        {
          tt_patient_set_rate (pa, 0.07);
          tt_patient_set_rate (pb, 0.07);
          tt_patient_give_bolus (pa, 10);
          tt_patient_give_bolus (pb, 10);
        }
    }
  g_assert_cmpuint (a->len, >, 1500);
  g_assert_cmpuint (a->len, ==, b->len);
  /* Field by field, to the last bit (a struct's padding is not defined). */
  for (guint i = 0; i < a->len; i++)
    {
      const TtSample *x = &g_array_index (a, TtSample, i);
      const TtSample *y = &g_array_index (b, TtSample, i);

      g_assert_cmpint (x->t_ms, ==, y->t_ms);
      g_assert_cmpmem (&x->map, sizeof (double), &y->map, sizeof (double));
      g_assert_cmpmem (&x->sbp, sizeof (double), &y->sbp, sizeof (double));
      g_assert_cmpmem (&x->dbp, sizeof (double), &y->dbp, sizeof (double));
      g_assert_cmpmem (&x->hr, sizeof (double), &y->hr, sizeof (double));
      g_assert_cmpint (x->quality, ==, y->quality);
    }
  {
    gboolean same = a->len == c->len;

    for (guint i = 0; same && i < a->len; i++)
      same = g_array_index (a, TtSample, i).map == g_array_index (c, TtSample, i).map;
    g_assert_false (same);
  }
  /* One second in three, less the signal losses. */
  g_assert_cmpuint (wave->len, <, 600 * 125);
  g_assert_cmpuint (wave->len, >, 500 * 125);
}

static void
collect_beat_cb (const TtPatientBeat *beat,
                 gpointer             user_data)
{
  g_array_append_val ((GArray *) user_data, *beat);
}

/* Each beat of the waveform has the beat's MAP as its mean, SBP as its peak, DBP as its foot; the
 * numerics average the beats. */
static void
test_waveform (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) wave = g_array_new (FALSE, FALSE, sizeof (TtWavePoint));
  g_autoptr (GArray) beats = g_array_new (FALSE, FALSE, sizeof (TtPatientBeat));
  double wave_sum = 0, map_sum = 0, hi = -G_MAXDOUBLE, lo = G_MAXDOUBLE;
  double sbp_max = -G_MAXDOUBLE, dbp_min = G_MAXDOUBLE;

  quiet_params (&p);
  patient = tt_patient_new (&p, 7);
  tt_patient_set_beat_func (patient, collect_beat_cb, beats);
  tt_patient_advance (patient, 60000, numerics, wave);
  g_assert_cmpuint (wave->len, ==, 7500);
  g_assert_cmpuint (numerics->len, ==, 60);
  for (guint i = 0; i < wave->len; i++)
    {
      TtWavePoint *w = &g_array_index (wave, TtWavePoint, i);

      g_assert_cmpint (w->t_ms, ==, i * 8);
      wave_sum += w->mmhg;
      hi = MAX (hi, w->mmhg);
      lo = MIN (lo, w->mmhg);
      if (i > 0)
        g_assert_cmpfloat (fabs (w->mmhg - (w - 1)->mmhg), <, 15);
    }
  for (guint i = 0; i < beats->len; i++)
    {
      TtPatientBeat *b = &g_array_index (beats, TtPatientBeat, i);

      g_assert_cmpfloat_with_epsilon (b->map, 95, 1e-9);
      sbp_max = MAX (sbp_max, b->sbp);
      dbp_min = MIN (dbp_min, b->dbp);
    }
  for (guint i = 0; i < numerics->len; i++)
    {
      TtSample *s = &g_array_index (numerics, TtSample, i);

      g_assert_cmpint (s->t_ms, ==, (i + 1) * 1000);
      g_assert_cmpfloat_with_epsilon (s->map, 95, 1e-9);
      map_sum += s->map;
      /* Beats of different lengths stand on slightly different levels (the trace is continuous). */
      g_assert_cmpfloat_with_epsilon (s->sbp - s->dbp, 50, 1.0);
      g_assert_cmpfloat (s->hr, >, 60);
      g_assert_cmpfloat (s->hr, <, 80);
    }
  /* A quiet patient: every beat has MAP 95, so the whole trace's mean is 95 up to the part-beat
   * at the end. */
  g_assert_cmpfloat_with_epsilon (wave_sum / wave->len, 95, 0.3);
  g_assert_cmpfloat_with_epsilon (hi, sbp_max, 1e-9);
  g_assert_cmpfloat_with_epsilon (lo, dbp_min, 1.0);
  g_test_message ("beat: %.1f/%.1f (%.1f) mmHg", sbp_max, dbp_min, map_sum / numerics->len);
}

/* The monitor's numerics average the beats that ended in the last 8 s [est], as a monitor's MAP
 * numeric does: each numeric is the mean of those beats, to the last bit of rounding, and the
 * averaging takes the beat-to-beat swing out of them. The respiratory swing is a systolic swing
 * (CLINICAL.md §5, 3 mmHg here) of which MAP shows a fifth [est]. */
static void
test_monitor_average (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) beats = g_array_new (FALSE, FALSE, sizeof (TtPatientBeat));
  double beat_lo = G_MAXDOUBLE, beat_hi = -G_MAXDOUBLE, sbp_lo = G_MAXDOUBLE;
  double sbp_hi = -G_MAXDOUBLE, num_lo = G_MAXDOUBLE, num_hi = -G_MAXDOUBLE;
  guint first = 0;

  quiet_params (&p);
  p.resp_swing_mmhg = 3;
  patient = tt_patient_new (&p, 11);
  tt_patient_set_beat_func (patient, collect_beat_cb, beats);
  tt_patient_advance (patient, 60000, numerics, NULL);
  g_assert_cmpuint (numerics->len, ==, 60);
  for (guint i = 0; i < numerics->len; i++)
    {
      const TtSample *s = &g_array_index (numerics, TtSample, i);
      double map = 0, sbp = 0;
      guint n = 0;

      for (guint k = first; k < beats->len; k++)
        {
          const TtPatientBeat *b = &g_array_index (beats, TtPatientBeat, k);
          gint64 end = b->t_ms + b->duration_ms;

          if (end > s->t_ms)
            break;
          if (end <= s->t_ms - 8000)
            {
              first = k + 1;
              continue;
            }
          map += b->map, sbp += b->sbp, n++;
        }
      g_assert_cmpuint (n, >, 0);
      g_assert_cmpfloat_with_epsilon (s->map, map / n, 1e-9);
      g_assert_cmpfloat_with_epsilon (s->sbp, sbp / n, 1e-9);
      if (s->t_ms >= 10000)
        {
          num_lo = MIN (num_lo, s->map);
          num_hi = MAX (num_hi, s->map);
        }
    }
  for (guint k = 0; k < beats->len; k++)
    {
      const TtPatientBeat *b = &g_array_index (beats, TtPatientBeat, k);

      beat_lo = MIN (beat_lo, b->map), beat_hi = MAX (beat_hi, b->map);
      sbp_lo = MIN (sbp_lo, b->sbp), sbp_hi = MAX (sbp_hi, b->sbp);
    }
  g_test_message ("beats: MAP swings %.2f, SBP %.2f mmHg; 8 s numerics: MAP %.2f mmHg",
                  beat_hi - beat_lo, sbp_hi - sbp_lo, num_hi - num_lo);
  /* 3 × 0.2 = 0.6 mmHg in MAP, 3 in SBP (sampled by beats: a little less; SBP also moves with the
   * beat length); the numerics' swing is much smaller. */
  g_assert_cmpfloat (beat_hi - beat_lo, >, 0.5);
  g_assert_cmpfloat (beat_hi - beat_lo, <=, 0.6 + 1e-9);
  g_assert_cmpfloat (sbp_hi - sbp_lo, >, 2.5);
  g_assert_cmpfloat (sbp_hi - sbp_lo, <, 4.0);
  g_assert_cmpfloat (num_hi - num_lo, <, 0.25);
}

/* The patient's overdamping (PP 40–50 % less over 2 minutes, MAP kept) is what the classifier's
 * rule 10 flags: the numerics are damped once the ramp is done, until the line is flushed. */
static void
test_damping_flagged (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (TtQualityClassifier) classifier = tt_quality_classifier_new ();
  guint damped_in_ramp = 0;

  quiet_params (&p);
  patient = tt_patient_new (&p, 3);
  tt_patient_advance (patient, 12 * 60000, numerics, NULL);
  tt_patient_inject_artifact (patient, TT_ARTIFACT_DAMPING, 300000);
  tt_patient_advance (patient, 360000, numerics, NULL);
  for (guint i = 0; i < numerics->len; i++)
    {
      TtSample *s = &g_array_index (numerics, TtSample, i);
      TtQuality q = tt_quality_classifier_push (classifier, s);
      gint64 since = s->t_ms - 12 * 60000;

      if (since < 60000)
        g_assert_cmpint (q, ==, TT_QUALITY_VALID);          /* before, and PP < 25 % less */
      else if (since < 140000)
        damped_in_ramp += q == TT_QUALITY_DAMPED;
      else if (since < 300000)
        g_assert_cmpint (q, ==, TT_QUALITY_DAMPED);         /* the ramp done: 40–50 % less */
      else if (since >= 310000)
        g_assert_cmpint (q, ==, TT_QUALITY_VALID);          /* flushed */
    }
  /* Flagged from a 40 % fall on: at 80–100 % of the ramp (96–120 s) plus the 10-s mean's lag;
   * this patient's depth (seed 3) is reached from 134 s. */
  g_assert_cmpuint (damped_in_ramp, ==, 6);
}

static void
test_artifacts (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr (GArray) wave = g_array_new (FALSE, FALSE, sizeof (TtWavePoint));
  guint starts[TT_N_ARTIFACTS] = { 0 };
  TtArtifact last = TT_ARTIFACT_NONE;
  TtSample *s;

  quiet_params (&p);
  patient = tt_patient_new (&p, 3);
  tt_patient_advance (patient, 10000, NULL, NULL);

  tt_patient_inject_artifact (patient, TT_ARTIFACT_FLUSH, 5000);
  tt_patient_advance (patient, 4000, numerics, NULL);
  s = &g_array_index (numerics, TtSample, numerics->len - 1);
  g_assert_cmpfloat (s->map, >=, 250);
  g_assert_cmpfloat (s->sbp - s->dbp, <, 5);
  /* A flush is a step (the valve): every numeric after it is the clean trace again, also the
   * averaged SBP and DBP. */
  g_array_set_size (numerics, 0);
  tt_patient_advance (patient, 6000, numerics, NULL);
  s = &g_array_index (numerics, TtSample, numerics->len - 4);
  g_assert_cmpfloat_with_epsilon (s->map, 95, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->sbp - s->dbp, 50, 1.0);

  tt_patient_inject_artifact (patient, TT_ARTIFACT_ZEROING, 10000);
  g_array_set_size (numerics, 0);
  tt_patient_advance (patient, 8000, numerics, NULL);
  s = &g_array_index (numerics, TtSample, numerics->len - 1);
  g_assert_cmpfloat (fabs (s->map), <=, 5);
  g_assert_cmpfloat (s->sbp - s->dbp, <, 5);
  tt_patient_advance (patient, 6000, NULL, NULL);

  tt_patient_inject_artifact (patient, TT_ARTIFACT_SIGNAL_LOSS, 20000);
  tt_patient_advance (patient, 4000, NULL, NULL);
  g_array_set_size (numerics, 0);
  tt_patient_advance (patient, 15000, numerics, wave);
  g_assert_cmpuint (numerics->len, ==, 0);
  g_assert_cmpuint (wave->len, ==, 0);
  tt_patient_advance (patient, 5000, numerics, wave);
  g_assert_cmpuint (numerics->len, >, 0);
  g_assert_cmpuint (wave->len, >, 0);

  /* Rates per hour: over 40 h at 3/h each type starts about 120 times (Poisson: 95 % in 99–141,
   * a little less because they never overlap). */
  quiet_params (&p);
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    p.artifact_rate_per_h[i] = 3;
  tt_patient_free (g_steal_pointer (&patient));
  patient = tt_patient_new (&p, 5);
  for (guint i = 0; i < 40 * 3600; i++)
    {
      TtPatientTruth t = truth_after (patient, 1000);

      if (t.artifact != last && t.artifact != TT_ARTIFACT_NONE)
        starts[t.artifact]++;
      last = t.artifact;
    }
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    {
      g_test_message ("%s: %u in 40 h", tt_artifact_to_string (i), starts[i]);
      g_assert_cmpuint (starts[i], >=, 80);
      g_assert_cmpuint (starts[i], <=, 145);
    }
}

/* The engine's beat detector (tt-beats) recovers, from the 125 Hz waveform alone, each beat's MAP,
 * SBP, DBP and HR as the patient built it: through induction, intubation, respiratory swing and
 * beat-to-beat noise. */
static void
test_beats_recovered (void)
{
  TtPatientParams p;
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (GArray) built = g_array_new (FALSE, FALSE, sizeof (TtPatientBeat));
  g_autoptr (GArray) wave = g_array_new (FALSE, FALSE, sizeof (TtWavePoint));
  g_autoptr (GArray) detected = NULL;
  g_autofree float *x = NULL;
  guint matched = 0, k = 0;
  double worst_map = 0, worst_sbp = 0, worst_dbp = 0, worst_hr = 0;

  tt_patient_params_init_typical (&p);
  p.intubation_after_min = 1;
  patient = tt_patient_new (&p, 21);
  tt_patient_set_beat_func (patient, collect_beat_cb, built);
  tt_patient_set_rate (patient, 0.1);
  tt_patient_advance (patient, 4 * 60000, NULL, wave);
  x = g_new (float, wave->len);
  for (guint i = 0; i < wave->len; i++)
    x[i] = g_array_index (wave, TtWavePoint, i).mmhg;
  detected = tt_beats_detect (x, wave->len, TT_PATIENT_WAVE_HZ, 0);

  for (guint i = 0; i < detected->len; i++)
    {
      const TtSample *s = &g_array_index (detected, TtSample, i);
      const TtPatientBeat *b = NULL;

      if (s->quality != TT_QUALITY_VALID)
        continue;
      /* The detector starts a beat on its upstroke, a few samples after the foot. */
      while (k < built->len && g_array_index (built, TtPatientBeat, k).t_ms < s->t_ms - 80)
        k++;
      if (k >= built->len)
        break;
      b = &g_array_index (built, TtPatientBeat, k);
      if (b->t_ms > s->t_ms)
        continue;
      matched++;
      worst_map = MAX (worst_map, fabs (s->map - b->map));
      worst_sbp = MAX (worst_sbp, fabs (s->sbp - b->sbp));
      worst_dbp = MAX (worst_dbp, fabs (s->dbp - b->dbp));
      worst_hr = MAX (worst_hr, fabs (s->hr - b->hr));
    }
  g_test_message ("%u beats built, %u detected, %u matched; worst |diff| MAP %.2f, SBP %.2f, "
                  "DBP %.2f mmHg, HR %.2f /min", built->len, detected->len, matched, worst_map,
                  worst_sbp, worst_dbp, worst_hr);
  /* All but the first beats (the detector learns for 2 s) and the last (not closed yet). */
  g_assert_cmpuint (matched, >=, built->len - 5);
  g_assert_cmpfloat (worst_map, <, 1.0);
  g_assert_cmpfloat (worst_sbp, <, 1.0);
  g_assert_cmpfloat (worst_dbp, <, 1.0);
  g_assert_cmpfloat (worst_hr, <, 2.0);
}

/* The text form the session log keeps gives the same parameters back, to the last bit. */
static void
test_params_text (void)
{
  TtPatientParams p, back;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  tt_patient_params_init_typical (&p);
  p.age_years = 82;
  p.weight_kg = 61.3;
  p.ne_sensitivity = 0.1 + 0.2;            /* 0.30000000000000004: not a short decimal */
  p.induction_fall = 0.34;
  p.induction_half_time_min = tt_patient_induction_half_time_for_age (82);
  p.induction_at_ms = 60000;
  p.line_primed = FALSE;
  p.dead_space_ml = 1.0;
  p.artifact_rate_per_h[TT_ARTIFACT_SIGNAL_LOSS] = 3;
  text = tt_patient_params_to_string (&p);
  g_assert_nonnull (strstr (text, "[patient]\n"));
  /* 17 significant digits: what reads back as the same double. */
  g_assert_nonnull (strstr (text, "\nweight_kg=61.299999999999997\n"));
  g_assert_nonnull (strstr (text, "\nline_primed=false\n"));
  g_assert_nonnull (strstr (text, "\nartifact_rate_per_h.signal-loss=3\n"));
  g_assert_true (tt_patient_params_from_string (text, &back, &error));
  g_assert_no_error (error);
  g_assert_true (tt_patient_params_equal (&back, &p));
  g_assert_cmpfloat (back.ne_sensitivity, ==, 0.1 + 0.2);
  g_assert_cmpfloat (back.weight_kg, ==, 61.3);
  g_assert_cmpint (back.induction_at_ms, ==, 60000);
  g_assert_false (back.line_primed);
  g_assert_cmpfloat (back.artifact_rate_per_h[TT_ARTIFACT_SIGNAL_LOSS], ==, 3);
  /* Equality sees every field. */
  back.artifact_rate_per_h[TT_ARTIFACT_DAMPING] = 0.5;
  g_assert_false (tt_patient_params_equal (&back, &p));
  back.artifact_rate_per_h[TT_ARTIFACT_DAMPING] = 0;
  back.bolus_transit_s += 1e-12;
  g_assert_false (tt_patient_params_equal (&back, &p));
  back.bolus_transit_s = p.bolus_transit_s;
  back.line_primed = TRUE;
  g_assert_false (tt_patient_params_equal (&back, &p));

  /* Absent keys are the typical patient's; a bad value names its key. */
  g_assert_true (tt_patient_params_from_string ("[patient]\nweight_kg=90\nfuture_key=1\n",
                                                &back, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (back.weight_kg, ==, 90);
  g_assert_cmpfloat (back.baseline_map, ==, 95);
  g_assert_false (tt_patient_params_from_string ("[patient]\nbaseline_map=high\n", &back,
                                                 &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "Patient parameters: Key file contains key “baseline_map” "
                   "in group “patient” which has a value that cannot be interpreted.");
  g_clear_error (&error);
  g_assert_false (tt_patient_params_from_string ("[cohort]\nweight_kg=90\n", &back, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Patient parameters: no group [patient]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/patient/half-life", test_half_life);
  g_test_add_func ("/patient/steady-state", test_steady_state);
  g_test_add_func ("/patient/saturation", test_saturation);
  g_test_add_func ("/patient/unprimed-line", test_unprimed_line);
  g_test_add_func ("/patient/bolus", test_bolus);
  g_test_add_func ("/patient/induction", test_induction);
  g_test_add_func ("/patient/deterministic", test_deterministic);
  g_test_add_func ("/patient/waveform", test_waveform);
  g_test_add_func ("/patient/monitor-average", test_monitor_average);
  g_test_add_func ("/patient/artifacts", test_artifacts);
  g_test_add_func ("/patient/damping-flagged", test_damping_flagged);
  g_test_add_func ("/patient/beats-recovered", test_beats_recovered);
  g_test_add_func ("/patient/params-text", test_params_text);
  return g_test_run ();
}
