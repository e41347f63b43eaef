/* test-closed-loop.c: the advisor driving the virtual patient through the real signal path
 * (patient → quality classifier → 2 s grid → advisor → a clinician who answers after 30 s →
 * pump), at 0.1×, 1× and 10× NE sensitivity (CLINICAL.md §4–5), against the same patient on a
 * fixed 0.05 µg/kg/min. The invariants are checked at every step of the loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-advisor.h"
#include "tt-grid.h"
#include "tt-patient.h"
#include "tt-quality.h"

#define INDUCTION_MS   60000
#define DURATION_MS    (INDUCTION_MS + 30 * 60000)
#define REACTION_MS    30000

typedef struct {
  TtPatient       *patient;
  TtAdvisor       *advisor;     /* NULL: the fixed-rate arm */
  const TtAdvisorParams *params;
  gint64           due_ms;      /* when the clinician answers the advice on screen; -1: none */
  TtAdvice         shown;       /* numbers only */
  guint            changes;
  guint            boluses;
  guint            no_advice;
  double           max_rate;
  gint64           last_change_ms;
} Loop;

/* The patient: typical (CLINICAL.md §5) or with a deep, slow induction fall. */
typedef struct {
  double sensitivity;
  double induction_fall;
  double age_years;
  double artifacts_per_h;
  gboolean unprimed;          /* 1 mL of drug-free line at 80 µg/mL */
} Case;

typedef struct {
  double below_65_min;
  double above_band_min;
  double in_band_pct;
  double max_rate;
  double final_rate;
  guint  changes;
  guint  boluses;
  guint  no_advice;
} Outcome;

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  Loop *loop = user_data;
  const TtLimits *limits = &loop->params->limits;
  TtAdvice advice;
  gint64 t = state->t_ms;

  if (loop->advisor == NULL)
    return;

  tt_advisor_update (loop->advisor, state, &advice);

  /* The contract, in the loop. */
  g_assert_true (isfinite (advice.rate) && isfinite (advice.ml_h) && isfinite (advice.change));
  g_assert_cmpfloat (advice.rate, <=, limits->rate_hard_max);
  if (!state->valid || state->stale || state->quality != TT_QUALITY_VALID)
    {
      g_assert_cmpint (advice.kind, ==, TT_ADVICE_NO_ADVICE);
      loop->no_advice++;
    }

  if (advice.kind != TT_ADVICE_HOLD && advice.kind != TT_ADVICE_NO_ADVICE && loop->due_ms < 0)
    loop->due_ms = t + REACTION_MS;

  /* The clinician acts on what the screen shows when they get to it. */
  if (loop->due_ms >= 0 && t >= loop->due_ms)
    {
      loop->due_ms = -1;
      if (advice.kind == TT_ADVICE_HOLD || advice.kind == TT_ADVICE_NO_ADVICE)
        return;
      if (advice.change != 0)
        {
          if (loop->last_change_ms >= 0 && state->map >= advice.critical_mmhg)
            g_assert_cmpint (t - loop->last_change_ms, >=, loop->params->reeval_ms);
          tt_advisor_rate_set (loop->advisor, t, advice.rate);
          tt_patient_set_rate (loop->patient, advice.rate);
          loop->max_rate = MAX (loop->max_rate, advice.rate);
          loop->last_change_ms = t;
          loop->changes++;
        }
      if (advice.bolus)
        {
          tt_advisor_bolus_given (loop->advisor, t);
          tt_patient_give_bolus (loop->patient, advice.bolus_ug);
          loop->boluses++;
        }
    }
}

static void
run (const Case *c,
     gboolean    with_advisor,
     Outcome    *out)
{
  TtPatientParams pp;
  TtAdvisorParams ap;
  g_autoptr(TtPatient) patient = NULL;
  g_autoptr(TtAdvisor) advisor = NULL;
  g_autoptr(TtGrid) grid = NULL;
  g_autoptr(TtQualityClassifier) classifier = tt_quality_classifier_new ();
  g_autoptr(GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  Loop loop = { 0, };
  guint seconds = 0, in_band = 0;
  double band_low, band_high;

  tt_patient_params_init_typical (&pp);
  pp.ne_sensitivity = c->sensitivity;
  pp.induction_fall = c->induction_fall;
  pp.age_years = c->age_years;
  pp.induction_half_time_min = tt_patient_induction_half_time_for_age (c->age_years);
  pp.induction_at_ms = INDUCTION_MS;
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    pp.artifact_rate_per_h[i] = c->artifacts_per_h;
  if (c->unprimed)
    {
      pp.line_primed = FALSE;
      pp.dead_space_ml = 1.0;
      pp.concentration_ug_ml = 80;
    }
  patient = tt_patient_new (&pp, 2025);
  tt_advisor_default_band (pp.baseline_map, &band_low, &band_high);

  tt_advisor_params_init (&ap, TT_LINE_PERIPHERAL);
  if (with_advisor)
    {
      advisor = tt_advisor_new (&ap);
      tt_advisor_set_texts (advisor, FALSE);
      tt_advisor_set_infusion (advisor, pp.concentration_ug_ml, pp.weight_kg,
                               pp.line_primed ? 0 : pp.dead_space_ml);
      tt_advisor_set_band (advisor, band_low, band_high);
      tt_advisor_set_bolus (advisor, 10, pp.concentration_ug_ml);
    }
  loop.patient = patient;
  loop.advisor = advisor;
  loop.params = &ap;
  loop.due_ms = -1;
  loop.last_change_ms = -1;
  grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, NULL, state_cb, &loop);

  *out = (Outcome) { 0, };
  for (gint64 t = 0; t < DURATION_MS; t += 1000)
    {
      TtPatientTruth truth;

      /* INDUCT: the infusion starts with induction at 0.05 µg/kg/min. */
      if (t == INDUCTION_MS)
        {
          tt_patient_set_rate (patient, 0.05);
          loop.max_rate = 0.05;
          if (advisor != NULL)
            tt_advisor_rate_set (advisor, t, 0.05);
          loop.last_change_ms = t;
        }

      g_array_set_size (numerics, 0);
      tt_patient_advance (patient, 1000, numerics, NULL);
      for (guint i = 0; i < numerics->len; i++)
        {
          TtSample *sample = &g_array_index (numerics, TtSample, i);
          tt_quality_classifier_push (classifier, sample);
          tt_grid_push (grid, sample);
        }
      tt_grid_advance (grid, t + 1000);

      tt_patient_get_truth (patient, &truth);
      /* The advisor's account of the line agrees with the patient's. */
      if (advisor != NULL && (t + 1000) % 60000 == 0)
        g_assert_cmpfloat_with_epsilon (tt_advisor_get_unprimed_ml (advisor),
                                        truth.line_drug_free_ml, 0.01);
      if (t >= INDUCTION_MS)
        {
          seconds++;
          out->below_65_min += truth.map_model < 65 ? 1 / 60.0 : 0;
          out->above_band_min += truth.map_model > band_high ? 1 / 60.0 : 0;
          in_band += truth.map_model >= band_low && truth.map_model <= band_high;
        }
    }

  out->in_band_pct = 100.0 * in_band / MAX (seconds, 1);
  out->max_rate = loop.max_rate;
  out->final_rate = tt_patient_get_rate (patient);
  out->changes = loop.changes;
  out->boluses = loop.boluses;
  out->no_advice = loop.no_advice;
  g_test_message ("sensitivity %.1f×, fall %.0f %%, age %.0f, %s: below 65 %.1f min, above the "
                  "band %.1f min, in band %.0f %%, max %.2f, final %.2f µg/kg/min, %u changes, %u "
                  "boluses, %u steps without advice", c->sensitivity, c->induction_fall * 100,
                  c->age_years, with_advisor ? "advisor" : "fixed 0.05", out->below_65_min,
                  out->above_band_min, out->in_band_pct, out->max_rate, out->final_rate,
                  out->changes, out->boluses, out->no_advice);
}

static const Case typical = { 1.0, 0.23, 66, 0, FALSE };
static const Case deep = { 1.0, 0.35, 80, 0, FALSE };

/* A typical patient stays in the band on the starting rate: the advisor leaves it nearly
 * alone. */
static void
test_typical (void)
{
  Outcome advised, fixed;

  run (&typical, TRUE, &advised);
  run (&typical, FALSE, &fixed);
  g_assert_cmpfloat (advised.below_65_min, ==, 0);
  g_assert_cmpuint (advised.changes, <=, 6);
  g_assert_cmpuint (advised.boluses, ==, 0);
}

/* An old patient with a deep induction fall: more time in the band than on the fixed rate. */
static void
test_deep_fall (void)
{
  Outcome advised, fixed;

  run (&deep, TRUE, &advised);
  run (&deep, FALSE, &fixed);
  g_assert_cmpfloat (advised.below_65_min, <=, fixed.below_65_min);
  g_assert_cmpfloat (advised.in_band_pct, >, fixed.in_band_pct + 10);
}

/* 10× less sensitive (CLINICAL.md §5 robustness range): the advisor climbs and gives boluses. */
static void
test_insensitive (void)
{
  Case c = deep;
  Outcome advised, fixed;

  c.sensitivity = 0.1;
  run (&c, TRUE, &advised);
  run (&c, FALSE, &fixed);
  g_assert_cmpfloat (advised.below_65_min, <, fixed.below_65_min * 0.75);
  g_assert_cmpfloat (advised.max_rate, >, 0.1);
  g_assert_cmpuint (advised.boluses, >, 0);
}

/* 10× more sensitive: the advisor reduces and stops the infusion instead of leaving MAP high. */
static void
test_sensitive (void)
{
  Case c = typical;
  Outcome advised, fixed;

  c.sensitivity = 10;
  run (&c, TRUE, &advised);
  run (&c, FALSE, &fixed);
  g_assert_cmpfloat (advised.above_band_min, <, fixed.above_band_min - 5);
  g_assert_cmpfloat (advised.final_rate, <, 0.05);
}

/* Every kind of artifact several times an hour: no advice from flagged signal (checked at every
 * step in state_cb), and no worse below 65 than the fixed rate. */
static void
test_artifacts (void)
{
  Case c = deep;
  Outcome advised, fixed;

  c.artifacts_per_h = 6;
  run (&c, TRUE, &advised);
  run (&c, FALSE, &fixed);
  g_assert_cmpuint (advised.no_advice, >, 0);
  g_assert_cmpfloat (advised.below_65_min, <=, fixed.below_65_min);
}

/* An unprimed line at 2.6 mL/h: the drug arrives after 23 min; the advisor's account of the line
 * matches the patient's every minute (checked in run), and it does not pile up rate changes
 * before the drug has arrived. */
static void
test_unprimed (void)
{
  Case c = deep;
  Outcome advised;

  c.unprimed = TRUE;
  run (&c, TRUE, &advised);
  g_assert_cmpuint (advised.changes, <=, 8);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/closed-loop/typical", test_typical);
  g_test_add_func ("/closed-loop/deep-fall", test_deep_fall);
  g_test_add_func ("/closed-loop/insensitive", test_insensitive);
  g_test_add_func ("/closed-loop/sensitive", test_sensitive);
  g_test_add_func ("/closed-loop/artifacts", test_artifacts);
  g_test_add_func ("/closed-loop/unprimed-line", test_unprimed);

  return g_test_run ();
}
