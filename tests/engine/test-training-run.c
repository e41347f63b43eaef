/* test-training-run.c: a training run re-simulated: the trainee's inputs give the live run back to
 * the last digit, the advisor's re-run is the in-silico trial's advisor arm, the instructor's
 * changes reach both; the debrief's decisions and outcome measurements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-debrief.h"
#include "tt-training-run.h"
#include "tt-trial.h"

#define S_MS  1000
#define MIN_MS (60 * S_MS)

static void
assert_same_samples (GArray *a,
                     GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const TtSample *x = &g_array_index (a, TtSample, i);
      const TtSample *y = &g_array_index (b, TtSample, i);

      /* Field by field: struct padding is undefined. */
      g_assert_cmpint (x->t_ms, ==, y->t_ms);
      g_assert_cmpfloat (x->map, ==, y->map);
      g_assert_cmpfloat (x->sbp, ==, y->sbp);
      g_assert_cmpfloat (x->dbp, ==, y->dbp);
      g_assert_cmpfloat (x->hr, ==, y->hr);
    }
}

/* Drives @patient as the live feed does (uneven ticks) and records what it is given. */
static void
live_advance (TtPatient *patient,
              gint64     until_ms,
              GArray    *samples)
{
  static const gint64 ticks[] = { 700, 3300, 6000, 100, 2900 };
  guint k = 0;

  while (tt_patient_get_time (patient) < until_ms)
    {
      gint64 tick = ticks[k++ % G_N_ELEMENTS (ticks)];
      gint64 dt = MIN (tick, until_ms - tt_patient_get_time (patient));

      tt_patient_advance (patient, dt, samples, NULL);
    }
}

static void
give (TtTrainingRun       *run,
      TtPatient           *patient,
      TtTrainingInputKind  kind,
      double               value,
      TtArtifact           artifact)
{
  TtTrainingInput input = {
    .t_ms = tt_patient_get_time (patient),
    .kind = kind,
    .value = value,
    .artifact = artifact,
  };

  tt_training_input_apply (&input, patient);
  tt_training_run_add (run, &input);
}

/* A live run: awake 70 s, induction with 0.05 µg/kg/min, a severe fall set at 2 min, a flush at
 * 5 min, sensitivity halved at 8 min, a 10 µg bolus at 9 min, 0.08 µg/kg/min at 10 min; 14 min. */
static TtTrainingRun *
live_run (GArray **samples_out,
          double  *ne_out)
{
  TtPatientParams params;
  TtTrainingRun *run;
  g_autoptr(TtPatient) patient = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  TtPatientTruth truth;

  tt_patient_params_init_typical (&params);
  params.induction_at_ms = -1;
  run = tt_training_run_new (&params, 4242);
  patient = tt_patient_new (&params, 4242);

  live_advance (patient, 70 * S_MS, samples);
  give (run, patient, TT_TRAINING_INPUT_INDUCTION, NAN, TT_ARTIFACT_NONE);
  give (run, patient, TT_TRAINING_INPUT_RATE, 0.05, TT_ARTIFACT_NONE);
  live_advance (patient, 2 * MIN_MS + 300, samples);
  give (run, patient, TT_TRAINING_INPUT_FALL, 0.32, TT_ARTIFACT_NONE);
  live_advance (patient, 5 * MIN_MS + 4100, samples);
  give (run, patient, TT_TRAINING_INPUT_ARTIFACT, NAN, TT_ARTIFACT_FLUSH);
  live_advance (patient, 8 * MIN_MS + 700, samples);
  give (run, patient, TT_TRAINING_INPUT_SENSITIVITY, 0.5, TT_ARTIFACT_NONE);
  live_advance (patient, 9 * MIN_MS, samples);
  give (run, patient, TT_TRAINING_INPUT_BOLUS, 10, TT_ARTIFACT_NONE);
  live_advance (patient, 10 * MIN_MS + 1500, samples);
  give (run, patient, TT_TRAINING_INPUT_RATE, 0.08, TT_ARTIFACT_NONE);
  live_advance (patient, 14 * MIN_MS, samples);

  tt_patient_get_truth (patient, &truth);
  *ne_out = truth.ne_pumped_ug + truth.ne_bolus_ug;
  *samples_out = samples;
  return run;
}

static void
test_trainee_rerun (void)
{
  g_autoptr(GArray) live = NULL;
  g_autoptr(TtTrainingRun) run = NULL;
  g_autoptr(TtTrainingRun) copy = NULL;
  TtTrainingRerun rerun;
  double ne;
  guint n;

  run = live_run (&live, &ne);
  g_assert_nonnull (tt_training_run_get_inputs (run, &n));
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpuint (tt_training_run_get_seed (run), ==, 4242);

  /* The same patient, the same inputs at the same times: the same numbers, to the last digit. */
  copy = tt_training_run_copy (run);
  tt_training_run_simulate (copy, TT_TRAINING_TRAINEE, NULL, 14 * MIN_MS, &rerun);
  assert_same_samples (live, rerun.samples);
  g_assert_cmpfloat (rerun.ne_ug, ==, ne);
  g_assert_cmpuint (rerun.boluses, ==, 1);
  g_assert_cmpuint (rerun.rate_changes, ==, 2);
  g_assert_cmpint (rerun.induction_ms, ==, 70 * S_MS);
  /* 10 µg + 0.05 µg/kg/min × 70 kg from 70 s to 10:01.5 + 0.08 from there to 14:00. */
  g_assert_cmpfloat_with_epsilon (rerun.ne_ug, 10 + 3.5 * (601.5 - 70) / 60 + 5.6 * (840 - 601.5) / 60,
                                  1e-6);
  g_assert_cmpfloat_with_epsilon (rerun.ne_ug_per_kg, rerun.ne_ug / 70, 1e-12);
  tt_training_rerun_clear (&rerun);
  g_assert_null (rerun.samples);
}

/* A patient restored from the run at a time goes on as the live one did: up to that time it gives
 * the re-run's numbers, and advanced further (in uneven ticks, as the feed does) the re-run's
 * numbers from there. */
static void
test_restore (void)
{
  g_autoptr(GArray) live = NULL;
  g_autoptr(TtTrainingRun) run = NULL;
  g_autoptr(TtPatient) patient = NULL;
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GArray) after = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (TtSample));
  TtTrainingRerun rerun;
  TtTrainingInputKind kind;
  TtPatientTruth truth;
  double ne;
  guint split;

  run = live_run (&live, &ne);
  /* 9:30.25, between the bolus and the last rate change. */
  patient = tt_training_run_restore (run, 9 * MIN_MS + 30250, before);
  g_assert_cmpint (tt_patient_get_time (patient), ==, 9 * MIN_MS + 30250);
  tt_patient_get_truth (patient, &truth);
  g_assert_cmpfloat (truth.rate_ug_kg_min, ==, 0.05);
  g_assert_cmpfloat (truth.ne_bolus_ug, ==, 10);
  g_assert_cmpint (truth.induction_ms, ==, 70 * S_MS);
  g_assert_cmpfloat (tt_patient_get_params (patient)->ne_sensitivity, ==, 0.5);
  g_assert_cmpfloat (tt_patient_get_params (patient)->induction_fall, ==, 0.32);
  /* 1 Hz numerics from 1 s to 9:30. */
  g_assert_cmpuint (before->len, ==, 570);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpfloat (g_array_index (before, TtSample, i).map, ==,
                       g_array_index (live, TtSample, i).map);

  {
    TtTrainingInput input = { .t_ms = 10 * MIN_MS + 1500, .kind = TT_TRAINING_INPUT_RATE,
                              .value = 0.08 };

    live_advance (patient, input.t_ms, after);
    tt_training_input_apply (&input, patient);
    live_advance (patient, 14 * MIN_MS, after);
  }
  tt_training_run_simulate (run, TT_TRAINING_TRAINEE, NULL, 14 * MIN_MS, &rerun);
  split = before->len;
  g_array_append_vals (expected, &g_array_index (rerun.samples, TtSample, split),
                       rerun.samples->len - split);
  assert_same_samples (after, expected);
  tt_training_rerun_clear (&rerun);

  g_assert_true (tt_training_input_kind_from_string ("artifact", &kind));
  g_assert_cmpint (kind, ==, TT_TRAINING_INPUT_ARTIFACT);
  g_assert_false (tt_training_input_kind_from_string ("pause", &kind));
  g_assert_false (tt_training_input_kind_from_string (NULL, &kind));
}

/* Without an instructor and with induction at 0, the advisor's re-run is the trial's advisor arm:
 * same clinician, same pipeline, same numbers. */
static void
test_advisor_is_trial_arm (void)
{
  TtCohort cohort;
  TtPatientParams params;
  TtSeverity severity;
  TtTrialPatient trial;
  TtClinicianConfig config;
  TtTrainingRerun rerun;
  TtDebriefOutcome outcome;
  g_autoptr(TtTrainingRun) run = NULL;
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();

  tt_cohort_init_default (&cohort);
  cohort.duration_min = 20;
  tt_cohort_draw_patient (&cohort, 11, 3, &params, &severity);
  tt_trial_simulate (&cohort, &params, TT_ARM_ADVISOR, 977, FALSE, &trial);

  params.induction_at_ms = 0;
  run = tt_training_run_new (&params, 977);
  tt_clinician_config_init (&config, TT_ARM_ADVISOR, &cohort, params.weight_kg,
                            params.baseline_map);
  tt_training_run_simulate (run, TT_TRAINING_ADVISOR, &config, 20 * MIN_MS, &rerun);
  g_assert_cmpint (rerun.induction_ms, ==, 0);
  g_assert_cmpfloat (rerun.boluses, ==, trial.values[TT_TRIAL_WHOLE][TT_ENDPOINT_BOLUSES]);
  g_assert_cmpfloat_with_epsilon (rerun.ne_ug_per_kg, trial.values[TT_TRIAL_WHOLE][TT_ENDPOINT_NE_TOTAL],
                                  1e-9);

  setup->weight_kg = params.weight_kg;
  setup->baseline_map = params.baseline_map;
  setup->target_lo = config.band_low;
  setup->target_hi = config.band_high;
  /* The trial counts the sample at 20:00 too; a debrief counts samples before its end. */
  tt_debrief_outcome_compute (setup, (const TtSample *) (gpointer) rerun.samples->data,
                              rerun.samples->len, 0, 20 * MIN_MS + 1, &outcome);
  g_assert_true (outcome.has[TT_WINDOW_FIRST15]);
  g_assert_cmpint (outcome.grid_ms, ==, 2000);
  g_assert_cmpfloat_with_epsilon (outcome.metrics[TT_WINDOW_FIRST15].in_band_pct,
                                  trial.values[TT_TRIAL_FIRST15][TT_ENDPOINT_IN_BAND], 1e-9);
  g_assert_cmpfloat_with_epsilon (outcome.metrics[TT_WINDOW_FIRST15].below[0].aut_mmhg_min,
                                  trial.values[TT_TRIAL_FIRST15][TT_ENDPOINT_AUT65], 1e-9);
  g_assert_cmpfloat_with_epsilon (outcome.metrics[TT_WINDOW_FIRST15].arv_mmhg_per_min,
                                  trial.values[TT_TRIAL_FIRST15][TT_ENDPOINT_ARV], 1e-9);
  g_assert_cmpfloat_with_epsilon (outcome.metrics[TT_WINDOW_INDUCTION].in_band_pct,
                                  trial.values[TT_TRIAL_WHOLE][TT_ENDPOINT_IN_BAND], 1e-9);
  tt_training_rerun_clear (&rerun);
  tt_trial_patient_clear (&trial);
}

static double
mean_map (GArray *samples,
          gint64  from_ms,
          gint64  to_ms)
{
  double sum = 0;
  guint n = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *s = &g_array_index (samples, TtSample, i);

      if (s->t_ms >= from_ms && s->t_ms < to_ms)
        sum += s->map, n++;
    }
  g_assert_cmpuint (n, >, 0);
  return sum / n;
}

/* The advisor's re-run gets the trainee's induction and the instructor's changes at their times,
 * and none of the trainee's drug. */
static void
test_advisor_rerun (void)
{
  g_autoptr(GArray) live = NULL;
  g_autoptr(TtTrainingRun) run = NULL;
  g_autoptr(TtTrainingRun) without = NULL;
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  TtClinicianConfig config;
  TtTrainingRerun advisor, plain;
  const TtTrainingInput *inputs;
  double ne;
  guint n;
  gboolean flush = FALSE;

  run = live_run (&live, &ne);
  tt_case_setup_apply_band_rule (setup);
  setup->bolus_ug = 10;
  tt_training_advisor_config (setup, &config);
  g_assert_cmpint (config.arm, ==, TT_ARM_ADVISOR);
  g_assert_cmpfloat (config.band_low, ==, setup->target_lo);
  g_assert_cmpfloat (config.band_high, ==, setup->target_hi);
  g_assert_cmpfloat (config.weight_kg, ==, 70);
  g_assert_cmpfloat (config.concentration_ug_ml, ==, 20);
  g_assert_cmpint (config.reaction_delay_ms, ==, 30 * S_MS);

  tt_training_run_simulate (run, TT_TRAINING_ADVISOR, &config, 14 * MIN_MS, &advisor);
  g_assert_cmpint (advisor.induction_ms, ==, 70 * S_MS);
  /* Before induction nothing differs from the trainee's run. */
  for (guint i = 0; i < live->len && g_array_index (live, TtSample, i).t_ms <= 70 * S_MS; i++)
    g_assert_cmpfloat (g_array_index (live, TtSample, i).map, ==,
                       g_array_index (advisor.samples, TtSample, i).map);
  /* The instructor's flush at 5:04.1 is in the advisor's run too: MAP ≥ 250 mmHg within 10 s. */
  for (guint i = 0; i < advisor.samples->len; i++)
    {
      const TtSample *s = &g_array_index (advisor.samples, TtSample, i);

      if (s->t_ms > 5 * MIN_MS + 4100 && s->t_ms <= 5 * MIN_MS + 15 * S_MS && s->map >= 250)
        flush = TRUE;
    }
  g_assert_true (flush);
  /* The advisor started 0.05 µg/kg/min at induction and titrated from there. */
  g_assert_cmpuint (advisor.rate_changes, >=, 1);
  g_assert_cmpfloat (advisor.ne_ug, >, 0);

  /* Without the instructor's severe fall and halved sensitivity, the same advisor keeps MAP
   * higher after 8 min: the changes reached the re-run. */
  without = tt_training_run_new (tt_training_run_get_params (run), tt_training_run_get_seed (run));
  inputs = tt_training_run_get_inputs (run, &n);
  for (guint i = 0; i < n; i++)
    if (inputs[i].kind != TT_TRAINING_INPUT_FALL && inputs[i].kind != TT_TRAINING_INPUT_SENSITIVITY)
      tt_training_run_add (without, &inputs[i]);
  tt_training_run_simulate (without, TT_TRAINING_ADVISOR, &config, 14 * MIN_MS, &plain);
  g_assert_cmpfloat (mean_map (plain.samples, 3 * MIN_MS, 14 * MIN_MS), >,
                     mean_map (advisor.samples, 3 * MIN_MS, 14 * MIN_MS));
  tt_training_rerun_clear (&advisor);
  tt_training_rerun_clear (&plain);
}

/* The re-run's advisor has the case's line type, limits, critical offset and starting rate, as
 * the live advisor had them: a department's low ceiling caps what it gives. */
static void
test_advisor_rerun_limits (void)
{
  g_autoptr(GArray) live = NULL;
  g_autoptr(TtTrainingRun) run = NULL;
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  TtClinicianConfig config;
  TtTrainingRerun open, capped;
  double ne;

  run = live_run (&live, &ne);
  tt_case_setup_apply_band_rule (setup);
  setup->bolus_ug = 10;
  tt_training_advisor_config (setup, &config);
  tt_training_run_simulate (run, TT_TRAINING_ADVISOR, &config, 14 * MIN_MS, &open);

  setup->line = TT_LINE_CENTRAL;
  setup->start_rate = 0.03;
  setup->limits[TT_LINE_CENTRAL].rate_soft_max = 0.05;
  setup->limits[TT_LINE_CENTRAL].rate_hard_max = 0.06;
  setup->band_rule.critical_offset = 5;
  tt_training_advisor_config (setup, &config);
  g_assert_cmpint (config.advisor.limits.line, ==, TT_LINE_CENTRAL);
  g_assert_cmpfloat (config.advisor.limits.rate_soft_max, ==, 0.05);
  g_assert_cmpfloat (config.advisor.limits.rate_hard_max, ==, 0.06);
  g_assert_cmpfloat (config.advisor.critical_offset, ==, 5);
  g_assert_cmpfloat (config.start_rate, ==, 0.03);
  tt_training_run_simulate (run, TT_TRAINING_ADVISOR, &config, 14 * MIN_MS, &capped);

  /* The severe fall drives the open advisor above 0.06 µg/kg/min; the capped one gives at most
   * 0.06 µg/kg/min × 70 kg from induction (70 s) to 14 min, plus its rescue boluses. */
  g_assert_cmpfloat (capped.ne_ug, <, open.ne_ug);
  g_assert_cmpfloat (capped.ne_ug, <=, 0.06 * 70 * (14 * 60 - 70) / 60.0 + 10 * capped.boluses + 1e-9);
  tt_training_rerun_clear (&open);
  tt_training_rerun_clear (&capped);
}

/* Hand-computed: 1 Hz MAP 60 mmHg for 5 min, then 70 for 5 min, a 4 s flush at 100 s; band 65–85,
 * induction at 0. On the 2 s grid: 300 steps, 2 of them the flush (excluded); 148 valid steps at
 * 60 and 150 at 70. */
static void
test_outcome (void)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  TtDebriefOutcome out;
  const TtWindowMetrics *m;

  for (gint64 t = 0; t < 10 * MIN_MS; t += S_MS)
    {
      TtSample s = tt_sample_init (t, t < 5 * MIN_MS ? 60 : 70);

      if (t >= 100 * S_MS && t < 104 * S_MS)
        s.map = 300;
      g_array_append_val (samples, s);
    }
  setup->target_lo = 65;
  setup->target_hi = 85;
  tt_debrief_outcome_compute (setup, (const TtSample *) (gpointer) samples->data, samples->len, 0,
                              10 * MIN_MS, &out);
  g_assert_true (out.has[TT_WINDOW_FIRST15]);
  m = &out.metrics[TT_WINDOW_FIRST15];
  g_assert_cmpfloat_with_epsilon (m->valid_min, 298 * 2 / 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->excluded_min, 4 / 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->in_band_pct, 100.0 * 150 / 298, 1e-9);
  /* AUT = 148 steps × 2 s × 5 mmHg = 24.67 mmHg·min; ARV = 10 mmHg over 296 pairs × 2 s. */
  g_assert_cmpfloat_with_epsilon (m->below[0].aut_mmhg_min, 148 * 5 / 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->below[0].time_min, 148 / 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->arv_mmhg_per_min, 10 * 30.0 / 296, 1e-9);

  /* Samples from @end_ms on are not counted; without induction there are no induction windows. */
  tt_debrief_outcome_compute (setup, (const TtSample *) (gpointer) samples->data, samples->len, -1,
                              5 * MIN_MS, &out);
  g_assert_false (out.has[TT_WINDOW_FIRST15]);
  g_assert_true (out.has[TT_WINDOW_CASE]);
  g_assert_cmpfloat_with_epsilon (out.metrics[TT_WINDOW_CASE].in_band_pct, 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.metrics[TT_WINDOW_CASE].valid_min, 148 * 2 / 60.0, 1e-9);
}

static TtCaseAdvice *
advice (gint64      t_ms,
        double      rate,
        double      bolus_ug,
        const char *summary)
{
  return tt_case_advice_new (t_ms, rate, bolus_ug, summary, "MAP below the band");
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Every advice with its answer, and the trainee's own actions with the advice held then. */
static void
test_decisions (void)
{
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtDebrief) debrief = NULL;
  g_autoptr(GError) error = NULL;
  GArray *decisions;
  const TtDecision *d;

  g_free (setup->label);
  setup->label = g_strdup ("Sim 1");
  debrief = tt_debrief_new (kase);
  g_assert_true (tt_debrief_get_case (debrief) == kase);
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_true (tt_case_override_checklist (kase, "simulation", 0, &error));
  g_assert_true (tt_case_start_induction (kase, MIN_MS, &error));
  g_assert_no_error (error);

  /* 1. Increase, accepted 20 s later. */
  {
    g_autoptr(TtCaseAdvice) a = advice (2 * MIN_MS, 0.07, 0, "Increase to 0.07 µg/kg/min");

    tt_case_set_advice (kase, a);
  }
  g_assert_true (tt_case_accept_advice (kase, 2 * MIN_MS + 20 * S_MS, &error));
  /* 2. Rescue bolus with an increase, accepted: the bolus is the answer's, not an own bolus. */
  {
    g_autoptr(TtCaseAdvice) a = advice (4 * MIN_MS, 0.09, 10, "Give 10 µg, increase to 0.09");

    tt_case_set_advice (kase, a);
  }
  g_assert_true (tt_case_accept_advice (kase, 4 * MIN_MS + 5 * S_MS, &error));
  /* 3. Increase, changed to 0.1. */
  {
    g_autoptr(TtCaseAdvice) a = advice (6 * MIN_MS, 0.11, 0, "Increase to 0.11 µg/kg/min");

    tt_case_set_advice (kase, a);
  }
  g_assert_true (tt_case_change_advice (kase, 0.1, FALSE, 6 * MIN_MS + 30 * S_MS, &error));
  /* 4. Decrease, declined. */
  {
    g_autoptr(TtCaseAdvice) a = advice (8 * MIN_MS, 0.08, 0, "Decrease to 0.08 µg/kg/min");

    tt_case_set_advice (kase, a);
  }
  g_assert_true (tt_case_decline_advice (kase, "surgical stimulus coming", 8 * MIN_MS + 10 * S_MS,
                                         &error));
  /* 5. An advice the trainee left alone, withdrawn at 10:40; an own bolus while it held. */
  {
    g_autoptr(TtCaseAdvice) a = advice (10 * MIN_MS, 0.12, 0, "Increase to 0.12 µg/kg/min");

    tt_case_set_advice (kase, a);
  }
  g_assert_true (tt_case_give_bolus (kase, 10, TRUE, 10 * MIN_MS + 20 * S_MS, &error));
  g_assert_true (tt_case_tick (kase, 10 * MIN_MS + 40 * S_MS, &error));
  tt_case_set_advice (kase, NULL);
  /* 6. An own rate change with no advice held. */
  g_assert_true (tt_case_set_rate (kase, 0.09, FALSE, 12 * MIN_MS, &error));
  g_assert_no_error (error);

  decisions = tt_debrief_get_decisions (debrief);
  g_assert_cmpuint (decisions->len, ==, 8);

  d = &g_array_index (decisions, TtDecision, 0);
  g_assert_cmpint (d->kind, ==, TT_DECISION_RATE);
  g_assert_cmpint (d->t_ms, ==, MIN_MS);
  g_assert_cmpfloat (d->done_rate, ==, 0.05);
  g_assert_null (d->advice_summary);

  d = &g_array_index (decisions, TtDecision, 1);
  g_assert_cmpint (d->kind, ==, TT_DECISION_ADVICE);
  g_assert_cmpint (d->t_ms, ==, 2 * MIN_MS);
  g_assert_cmpint (d->end_ms, ==, 2 * MIN_MS + 20 * S_MS);
  g_assert_cmpint (d->answer, ==, TT_ANSWER_ACCEPTED);
  g_assert_cmpstr (d->advice_summary, ==, "Increase to 0.07 µg/kg/min");
  g_assert_cmpstr (d->advice_reason, ==, "MAP below the band");
  g_assert_cmpfloat (d->advice_rate, ==, 0.07);
  g_assert_cmpfloat (d->done_rate, ==, 0.07);

  d = &g_array_index (decisions, TtDecision, 2);
  g_assert_cmpint (d->answer, ==, TT_ANSWER_ACCEPTED);
  g_assert_cmpfloat (d->advice_bolus_ug, ==, 10);
  g_assert_cmpfloat (d->done_bolus_ug, ==, 10);
  g_assert_cmpfloat (d->done_rate, ==, 0.09);

  d = &g_array_index (decisions, TtDecision, 3);
  g_assert_cmpint (d->answer, ==, TT_ANSWER_CHANGED);
  g_assert_cmpfloat (d->advice_rate, ==, 0.11);
  g_assert_cmpfloat (d->done_rate, ==, 0.1);

  d = &g_array_index (decisions, TtDecision, 4);
  g_assert_cmpint (d->answer, ==, TT_ANSWER_DECLINED);
  g_assert_cmpstr (d->decline_reason, ==, "surgical stimulus coming");
  g_assert_true (isnan (d->done_rate));

  d = &g_array_index (decisions, TtDecision, 5);
  g_assert_cmpint (d->kind, ==, TT_DECISION_ADVICE);
  g_assert_cmpint (d->answer, ==, TT_ANSWER_NONE);
  g_assert_cmpint (d->t_ms, ==, 10 * MIN_MS);
  g_assert_cmpint (d->end_ms, ==, 10 * MIN_MS + 40 * S_MS);

  d = &g_array_index (decisions, TtDecision, 6);
  g_assert_cmpint (d->kind, ==, TT_DECISION_BOLUS);
  g_assert_cmpint (d->t_ms, ==, 10 * MIN_MS + 20 * S_MS);
  g_assert_cmpfloat (d->done_bolus_ug, ==, 10);
  g_assert_cmpstr (d->advice_summary, ==, "Increase to 0.12 µg/kg/min");
  g_assert_cmpfloat (d->advice_bolus_ug, ==, 0);

  d = &g_array_index (decisions, TtDecision, 7);
  g_assert_cmpint (d->kind, ==, TT_DECISION_RATE);
  g_assert_cmpfloat (d->done_rate, ==, 0.09);
  g_assert_null (d->advice_summary);

  g_assert_cmpuint (tt_debrief_count_answers (debrief, TT_ANSWER_ACCEPTED), ==, 2);
  g_assert_cmpuint (tt_debrief_count_answers (debrief, TT_ANSWER_CHANGED), ==, 1);
  g_assert_cmpuint (tt_debrief_count_answers (debrief, TT_ANSWER_DECLINED), ==, 1);
  g_assert_cmpuint (tt_debrief_count_answers (debrief, TT_ANSWER_NONE), ==, 1);
  g_assert_cmpuint (tt_debrief_count_own (debrief, TT_DECISION_BOLUS), ==, 1);
  g_assert_cmpuint (tt_debrief_count_own (debrief, TT_DECISION_RATE), ==, 2);

  /* Complete once both outcomes are in, notified once. */
  {
    TtDebriefOutcome outcome = { .grid_ms = 2000 };
    guint notified = 0;

    g_signal_connect_swapped (debrief, "notify::complete", G_CALLBACK (count_cb), &notified);
    g_assert_null (tt_debrief_get_outcome (debrief, TT_TRAINING_ADVISOR));
    tt_debrief_set_outcome (debrief, TT_TRAINING_TRAINEE, &outcome);
    g_assert_false (tt_debrief_get_complete (debrief));
    g_assert_cmpuint (notified, ==, 0);
    tt_debrief_set_outcome (debrief, TT_TRAINING_ADVISOR, &outcome);
    g_assert_true (tt_debrief_get_complete (debrief));
    g_assert_cmpuint (notified, ==, 1);
    tt_debrief_set_outcome (debrief, TT_TRAINING_ADVISOR, &outcome);
    g_assert_cmpuint (notified, ==, 1);
    g_assert_cmpint (tt_debrief_get_outcome (debrief, TT_TRAINING_ADVISOR)->grid_ms, ==, 2000);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/training-run/trainee-rerun", test_trainee_rerun);
  g_test_add_func ("/training-run/restore", test_restore);
  g_test_add_func ("/training-run/advisor-is-trial-arm", test_advisor_is_trial_arm);
  g_test_add_func ("/training-run/advisor-rerun", test_advisor_rerun);
  g_test_add_func ("/training-run/advisor-rerun-limits", test_advisor_rerun_limits);
  g_test_add_func ("/debrief/outcome", test_outcome);
  g_test_add_func ("/debrief/decisions", test_decisions);

  return g_test_run ();
}
