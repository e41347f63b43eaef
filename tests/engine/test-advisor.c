/* test-advisor.c: the advisor's contract (DESIGN.md): its invariants as properties over generated
 * situations, and named clinical scenarios with hand-computed rates and reasons.
 *
 * Defaults used in the hand computations (tt_advisor_params_init): the band's middle part is the
 * middle ± a quarter of its width (75–85 mmHg in the band 70–90); re-evaluation 2 min, 4 min for a
 * correction in the band, 1 min when critical; bolus lockout 2 min; above the middle part 2 min
 * before reducing; step = 0.01 µg/kg/min per started 5 mmHg between the middle part and the
 * lower (increase) or higher (decrease) of MAP and its prediction (gain 0.002), at most 0.02 (0.04
 * when critical without a bolus); prediction 1 min ahead; critical threshold = lower bound − 10
 * (never below 50).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "tt-advisor.h"

#define RATE_EPS 1e-9

static TtSignalState
signal_at (gint64 t_ms,
           double map,
           double slope)
{
  return (TtSignalState) {
    .t_ms = t_ms,
    .valid = TRUE,
    .map = map,
    .slope = slope,
    .quality = TT_QUALITY_VALID,
    .stale = FALSE,
    .last_valid_ms = t_ms,
  };
}

/* The monitor wireframe's patient: 72 kg, 20 µg/mL on a peripheral line, band 70–90 mmHg,
 * 0.09 µg/kg/min running, a 10 µg bolus of 20 µg/mL drawn. */
static void
wireframe_input (TtAdvisorInput *in)
{
  tt_advisor_input_init (in);
  in->signal = signal_at (600000, 80, 0);
  in->rate = 0.09;
  in->concentration = 20;
  in->weight_kg = 72;
  in->unprimed_ml = 0;
  in->band_low = 70;
  in->band_high = 90;
  in->bolus_ug = 10;
  in->bolus_concentration = 20;
  in->since_change_ms = 300000;
  in->since_bolus_ms = -1;
  in->above_band_ms = 0;
}

static void
peripheral_params (TtAdvisorParams *p)
{
  tt_advisor_params_init (p, TT_LINE_PERIPHERAL);
  g_assert_true (tt_advisor_params_validate (p, NULL));
}

static void
test_params (void)
{
  TtAdvisorParams p;
  double lo, hi;

  tt_advisor_params_init (&p, TT_LINE_CENTRAL);
  g_assert_true (tt_advisor_params_validate (&p, NULL));
  g_assert_cmpint (p.reeval_ms, ==, 120000);
  g_assert_cmpint (p.critical_reeval_ms, ==, 60000);
  g_assert_cmpint (p.bolus_lockout_ms, ==, 120000);
  g_assert_cmpfloat (p.step_min, ==, 0.01);
  g_assert_cmpfloat (p.step_max, ==, 0.02);
  g_assert_cmpint (p.band_reeval_ms, ==, 240000);
  g_assert_cmpfloat (p.hold_fraction, ==, 0.25);
  g_assert_cmpfloat (p.horizon_min, ==, 1);
  g_assert_cmpfloat (p.coming_back, ==, 2);
  g_assert_cmpfloat (p.limits.rate_soft_max, ==, 0.3);

  /* CLINICAL.md §3: critical threshold = lower bound − 10, never below 50. */
  g_assert_cmpfloat (tt_advisor_critical_threshold (&p, 70), ==, 60);
  g_assert_cmpfloat (tt_advisor_critical_threshold (&p, 55), ==, 50);

  /* The checklist wireframe: baseline 96 gives 77–97 mmHg; a low baseline gives 65–85. */
  tt_advisor_default_band (96, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 77);
  g_assert_cmpfloat (hi, ==, 97);
  tt_advisor_default_band (70, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 65);
  g_assert_cmpfloat (hi, ==, 85);

  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_advisor_validate_band (50, 80, &error));
    g_assert_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_BAND);
    g_assert_cmpstr (error->message, ==, "Target band lower bound 50 mmHg is outside 55–100 mmHg");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_advisor_validate_band (70, 75, &error));
    g_assert_cmpstr (error->message, ==, "Target band upper bound 75 mmHg is outside 80–130 mmHg");
  }
  {
    g_autoptr(GError) error = NULL;
    p.step_max = 0.1;
    g_assert_false (tt_advisor_params_validate (&p, &error));
    g_assert_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_PARAMS);
    g_assert_cmpstr (error->message, ==,
                     "Advisor parameter largest step = 0.10 µg/kg/min: must be at most the step "
                     "limit");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_advisor_params_init (&p, TT_LINE_CENTRAL);
    p.reeval_ms = 30000;
    g_assert_false (tt_advisor_params_validate (&p, &error));
    g_assert_cmpstr (error->message, ==,
                     "Advisor parameter re-evaluation interval = 30 s: must be 1–10 min");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_advisor_params_init (&p, TT_LINE_CENTRAL);
    p.band_reeval_ms = 90000;
    g_assert_false (tt_advisor_params_validate (&p, &error));
    g_assert_cmpstr (error->message, ==,
                     "Advisor parameter re-evaluation interval in the band = 2 min: must be at "
                     "least the re-evaluation interval and at most 10 min");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_advisor_params_init (&p, TT_LINE_CENTRAL);
    p.hold_fraction = 0.6;
    g_assert_false (tt_advisor_params_validate (&p, &error));
    g_assert_cmpstr (error->message, ==,
                     "Advisor parameter middle part of the band = 0.6: must be 0–0.5 of the "
                     "band's width on each side of the middle");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_advisor_params_init (&p, TT_LINE_CENTRAL);
    p.hold_review_ms = 0;
    g_assert_false (tt_advisor_params_validate (&p, &error));
    g_assert_cmpstr (error->message, ==,
                     "Advisor parameter review interval of a hold = 0 s: must be 1 s–10 min");
  }
}

/* The advice card of the monitor wireframe, figure for figure. */
static void
test_wireframe (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;
  g_auto(TtAdvice) a = { 0, };

  peripheral_params (&p);
  wireframe_input (&in);
  in.signal = signal_at (600000, 53, -3);
  in.since_change_ms = 120000;

  tt_advisor_step (&p, &in, &a);

  g_assert_cmpint (a.kind, ==, TT_ADVICE_RESCUE_BOLUS);
  g_assert_cmpint (a.reason, ==, TT_REASON_CRITICAL);
  g_assert_cmpfloat (a.critical_mmhg, ==, 60);
  g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
  g_assert_cmpfloat_with_epsilon (a.ml_h, 23.76, 1e-9);
  g_assert_cmpfloat_with_epsilon (a.change, 0.02, RATE_EPS);
  g_assert_true (a.bolus);
  g_assert_cmpfloat (a.bolus_ug, ==, 10);
  g_assert_cmpfloat (a.bolus_ml, ==, 0.5);
  g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP);
  g_assert_cmpint (a.next_review_ms, ==, 660000);
  g_assert_cmpstr (a.title, ==, "Give rescue bolus, then increase");
  g_assert_cmpstr (a.bolus_text, ==, "10 µg = 0.5 mL of 20 µg/mL");
  g_assert_cmpstr (a.rate_text, ==, "0.11 µg/kg/min = 23.8 mL/h (now 0.09, +0.02 µg/kg/min)");
  g_assert_cmpstr (a.sentence, ==,
                   "MAP 53 mmHg is 17 mmHg below the band and falling 3 mmHg/min; last change "
                   "2 min ago.");
  g_assert_cmpstr (a.limit_text, ==, "Step capped at +0.02 µg/kg/min (max step [est]).");
}

static void
test_in_band (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;
  g_auto(TtAdvice) a = { 0, };

  peripheral_params (&p);
  wireframe_input (&in);
  in.signal = signal_at (600000, 78, 0.2);
  tt_advisor_step (&p, &in, &a);

  g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
  g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
  g_assert_cmpfloat (a.rate, ==, 0.09);
  g_assert_cmpfloat (a.change, ==, 0);
  g_assert_false (a.bolus);
  g_assert_null (a.bolus_text);
  g_assert_null (a.limit_text);
  g_assert_cmpint (a.next_review_ms, ==, 630000);
  g_assert_cmpstr (a.title, ==, "Hold 0.09 µg/kg/min");
  g_assert_cmpstr (a.rate_text, ==, "0.09 µg/kg/min = 19.4 mL/h (unchanged)");
  g_assert_cmpstr (a.sentence, ==, "MAP 78 mmHg is in the band 70–90 mmHg and steady.");
}

/* Below the middle part: a step proportional to the distance between the middle part and the lower
 * of MAP and its 1-min prediction, waiting for the last change, or holding when MAP is coming back
 * to the middle part by itself. */
static void
test_below_band (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;

  peripheral_params (&p);
  wireframe_input (&in);

  /* 72 steady: 3 mmHg below the middle part, in the band: one step of 0.01, and the next
   * correction in the band 4 min later. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 72, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_LOW_IN_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.10, RATE_EPS);
    g_assert_null (a.limit_text);
    g_assert_cmpint (a.next_review_ms, ==, 840000);
    g_assert_cmpstr (a.title, ==, "Increase to 0.10 µg/kg/min");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 72 mmHg is in the band 70–90 mmHg and steady; aiming for 75–85 mmHg, the "
                     "middle of the band; last change 5 min ago.");
  }
  /* 67 steady: below the band, 8 mmHg below the middle part: two steps, next review in 2 min. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 67, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_BELOW_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
    g_assert_null (a.limit_text);
    g_assert_cmpint (a.next_review_ms, ==, 720000);
    g_assert_cmpstr (a.title, ==, "Increase to 0.11 µg/kg/min");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 67 mmHg is 3 mmHg below the band and steady; last change 5 min ago.");
  }
  /* 64 steady: 11 below, three steps wanted, capped at two. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 64, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP);
    g_assert_cmpstr (a.limit_text, ==, "Step capped at +0.02 µg/kg/min (max step [est]).");
  }
  /* 74 falling 2 mmHg/min: predicted 72, 3 below the middle part: one step. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 74, -2);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.reason, ==, TT_REASON_LOW_IN_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.10, RATE_EPS);
  }
  /* 78 in the middle part but falling 9 mmHg/min: predicted 69, below the band within 1 min:
   * increase early, 6 mmHg from the prediction to the middle part: two steps. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 78, -9);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_FALLING);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 78 mmHg is in the band 70–90 mmHg and falling 9 mmHg/min; last change "
                     "5 min ago.");
  }
  /* 73 rising 2 mmHg/min: predicted 75, back in the middle part within a minute: hold. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 73, 2);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
    g_assert_cmpstr (a.sentence, ==, "MAP 73 mmHg is in the band 70–90 mmHg and rising 2 mmHg/min.");
  }
  /* 68 rising 8 mmHg/min: predicted 76: hold, in the band within 15 s. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 68, 8);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_RISING);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 68 mmHg is 2 mmHg below the band and rising 8 mmHg/min; expected in the "
                     "band within 15 s.");
  }
  /* 65 rising 4 mmHg/min: predicted 69, not back in the middle part: 6 mmHg, two steps. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 65, 4);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.reason, ==, TT_REASON_BELOW_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
  }
  /* The last change 1 min ago: wait for it (NE's time course), next review 1 min later. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 64, 0);
    in.since_change_ms = 60000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_WAITING);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_REEVAL);
    g_assert_cmpint (a.next_review_ms, ==, 660000);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 64 mmHg is 6 mmHg below the band and steady; the change 1 min ago needs "
                     "2 min to act.");
    g_assert_cmpstr (a.limit_text, ==, "No rate change within 2 min of the last [est].");
  }
  /* In the band a correction waits 4 min: 72 steady, last change 3 min ago. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 72, 0);
    in.since_change_ms = 180000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_WAITING);
    g_assert_cmpint (a.next_review_ms, ==, 660000);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 72 mmHg is in the band 70–90 mmHg and steady; the change 3 min ago needs "
                     "4 min to act.");
    g_assert_cmpstr (a.limit_text, ==, "No rate change within 4 min of the last [est].");
    in.since_change_ms = 300000;
  }
  /* At the peripheral soft maximum: hold and say so. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 67, 0);
    in.rate = 0.2;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_AT_LIMIT);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_SOFT_MAX);
    g_assert_cmpfloat (a.rate, ==, 0.2);
    g_assert_cmpstr (a.limit_text, ==,
                     "Capped at the soft limit 0.20 µg/kg/min for a peripheral line.");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 67 mmHg is 3 mmHg below the band and steady; the rate is at the soft "
                     "limit 0.20 µg/kg/min: consider other causes.");
  }
  /* Just below the soft maximum: capped at it. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0.19;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.2, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_SOFT_MAX);
  }
  /* A small rate may at most double in one step (CLINICAL.md §2 step flag). */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0.015;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.03, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP_RATIO);
    g_assert_cmpstr (a.limit_text, ==,
                     "Step capped at +0.015 µg/kg/min (at most 2× the current rate).");
  }
  /* A stopped infusion starts at the starting rate. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_START);
    g_assert_cmpfloat (a.rate, ==, 0.05);
    g_assert_cmpstr (a.title, ==, "Start at 0.05 µg/kg/min");
    g_assert_cmpstr (a.rate_text, ==, "0.05 µg/kg/min = 10.8 mL/h (now 0.00, +0.05 µg/kg/min)");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 67 mmHg is 3 mmHg below the band and steady; the infusion is stopped.");
  }
}

/* The advisor aims at the middle of the band: it holds in the middle part (75–85 mmHg in the band
 * 70–90) and corrects from the outer parts by small steps, 4 min apart, when MAP is not coming
 * back by itself. */
static void
test_middle (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;

  peripheral_params (&p);
  wireframe_input (&in);
  in.high_ms = 180000;

  /* 88 steady, above the middle part for 3 min: 3 mmHg above it, one step down. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 88, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_DECREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_HIGH_IN_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.08, RATE_EPS);
    g_assert_cmpint (a.next_review_ms, ==, 840000);
    g_assert_null (a.limit_text);
    g_assert_cmpstr (a.title, ==, "Decrease to 0.08 µg/kg/min");
    g_assert_cmpstr (a.rate_text, ==, "0.08 µg/kg/min = 17.3 mL/h (now 0.09, −0.01 µg/kg/min)");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 88 mmHg is in the band 70–90 mmHg and steady; aiming for 75–85 mmHg, the "
                     "middle of the band; last change 5 min ago.");
  }
  /* 88 rising 2 mmHg/min: the higher of MAP and its prediction, 90, is 5 above: still one step. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 88, 2);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.08, RATE_EPS);
  }
  /* The same, above the middle part for only 90 s (a stimulus may pass): hold. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 88, 0);
    in.high_ms = 90000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
    in.high_ms = 180000;
  }
  /* Falling 3 mmHg/min: coming back by itself, hold. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 88, -3);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
  }
  /* Last change 3 min ago: a correction in the band waits 4 min. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 88, 0);
    in.since_change_ms = 180000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_WAITING);
    g_assert_cmpint (a.next_review_ms, ==, 660000);
    in.since_change_ms = 300000;
  }
  /* In the band the rate goes down to the soft minimum, never to a stop. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0.015;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_DECREASE);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.01, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_SOFT_MIN);
    g_assert_cmpstr (a.limit_text, ==, "Reduced to the soft minimum 0.01 µg/kg/min first.");
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0.01;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
    g_assert_cmpfloat (a.rate, ==, 0.01);
  }
  /* Above the band from 0.01: stop. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 93, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_STOP);
    g_assert_cmpint (a.reason, ==, TT_REASON_ABOVE_BAND);
    g_assert_cmpstr (a.title, ==, "Stop the infusion");
    in.rate = 0.09;
  }
  /* Above the band but falling 2 mmHg/min: coming back, hold and say when. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 93, -2);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_ABOVE_BAND_FALLING);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 93 mmHg is 3 mmHg above the band and falling 2 mmHg/min; expected back in "
                     "the band within 2 min.");
  }
  /* In the middle part: hold, whichever way it drifts slowly. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 84, 1);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
  }
  /* Below the middle part less than 2 min after MAP was above the band (the descent after
   * intubation): no correction in the band; below the band there is one. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 72, -1);
    in.since_above_band_ms = 60000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_IN_BAND);
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 69, -1);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_BELOW_BAND);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
    in.since_above_band_ms = -1;
  }
  /* A stopped infusion is restarted only below the band or falling out of it. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0;
    in.signal = signal_at (600000, 72, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_STOPPED);
    g_assert_cmpstr (a.title, ==, "Keep the infusion stopped");
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 72 mmHg is in the band 70–90 mmHg and steady; the infusion is stopped.");
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 72, -3);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_START);
    g_assert_cmpfloat (a.rate, ==, 0.05);
  }
}

/* Critically low: a bolus and an increase even within the re-evaluation interval; while the
 * bolus is locked out the increase may exceed the usual max step. */
static void
test_critical (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;

  peripheral_params (&p);
  wireframe_input (&in);

  /* 55 steady, last change 70 s ago, last bolus 60 s ago: no bolus; 20 below the middle part →
   * 0.04, the critical max step. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 55, 0);
    in.since_change_ms = 70000;
    in.since_bolus_ms = 60000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpint (a.reason, ==, TT_REASON_CRITICAL);
    g_assert_false (a.bolus);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.13, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_BOLUS_LOCKOUT | TT_LIMIT_CRITICAL_STEP);
    g_assert_cmpint (a.next_review_ms, ==, 660000);
    g_assert_cmpstr (a.limit_text, ==,
                     "Next bolus possible in 1 min (2 min between boluses [est]). Larger than the "
                     "usual 0.02 µg/kg/min: MAP is critically low and no bolus can be given.");
  }
  /* 45: 30 below → 0.06 wanted, capped at the critical max step 0.04. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 45, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.13, RATE_EPS);
    g_assert_cmpuint (a.limits, ==,
                      TT_LIMIT_BOLUS_LOCKOUT | TT_LIMIT_STEP | TT_LIMIT_CRITICAL_STEP);
  }
  /* The bolus is available again after 2 min: bolus, and the usual max step. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.since_bolus_ms = 120000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_RESCUE_BOLUS);
    g_assert_true (a.bolus);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP);
  }
  /* Last change 30 s ago: the bolus now, the rate only after 1 min. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.since_change_ms = 30000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_RESCUE_BOLUS);
    g_assert_cmpfloat (a.change, ==, 0);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_REEVAL);
    g_assert_cmpint (a.next_review_ms, ==, 630000);
    g_assert_cmpstr (a.title, ==, "Give rescue bolus");
    g_assert_cmpstr (a.limit_text, ==,
                     "No rate change within 1 min of the last, even when critical [est].");
  }
  /* Critical and locked out and just changed: hold, with both reasons shown. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.since_bolus_ms = 30000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_CRITICAL);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_BOLUS_LOCKOUT | TT_LIMIT_REEVAL);
  }
  /* A large bolus drawn is capped at the bolus soft maximum. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.since_bolus_ms = -1;
    in.bolus_ug = 30;
    tt_advisor_step (&p, &in, &a);
    g_assert_true (a.bolus);
    g_assert_cmpfloat (a.bolus_ug, ==, 20);
    g_assert_cmpfloat (a.bolus_ml, ==, 1.0);
    g_assert_true (a.limits & TT_LIMIT_BOLUS_SOFT_MAX);
  }
  /* No bolus drawn at all: say so, and allow the larger step. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.bolus_ug = 0;
    in.since_change_ms = 300000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.13, RATE_EPS);
    g_assert_true (a.limits & TT_LIMIT_NO_BOLUS);
  }
  /* Above the soft maximum only when critical, and flagged for confirmation. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.bolus_ug = 10;
    in.rate = 0.19;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.21, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP | TT_LIMIT_ABOVE_SOFT_MAX);
  }
  /* Never above the hard maximum. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 0.99;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat (a.rate, ==, 1.0);
    g_assert_true (a.limits & TT_LIMIT_HARD_MAX);
  }
}

/* A fall fast enough to reach the critical threshold within a minute gets a bolus first. */
static void
test_falling_fast (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;
  g_auto(TtAdvice) a = { 0, };

  peripheral_params (&p);
  wireframe_input (&in);
  in.signal = signal_at (600000, 68, -9);
  tt_advisor_step (&p, &in, &a);

  g_assert_cmpint (a.kind, ==, TT_ADVICE_RESCUE_BOLUS);
  g_assert_cmpint (a.reason, ==, TT_REASON_FALLING_FAST);
  g_assert_cmpfloat_with_epsilon (a.rate, 0.11, RATE_EPS);
  g_assert_cmpstr (a.sentence, ==,
                   "MAP 68 mmHg is 2 mmHg below the band and falling 9 mmHg/min; critical 60 mmHg "
                   "within 1 min at this rate of fall.");
}

/* Never advice from flagged or stale samples (CLINICAL.md §6). */
static void
test_signal_quality (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;
  struct { TtQuality quality; double map; const char *sentence; } flagged[] = {
    { TT_QUALITY_FLUSH, 280, "Signal quality low (line flush): no advice until the trace is clean." },
    { TT_QUALITY_ZEROING, 1, "Signal quality low (zeroing or open to air): no advice until the "
                             "trace is clean." },
    { TT_QUALITY_FLAT, 45, "Signal quality low (flat trace, blood sampling?): no advice until the "
                           "trace is clean." },
    { TT_QUALITY_DAMPED, 50, "Signal quality low (damped trace): no advice until the trace is "
                             "clean." },
  };

  peripheral_params (&p);
  wireframe_input (&in);

  for (guint i = 0; i < G_N_ELEMENTS (flagged); i++)
    {
      g_auto(TtAdvice) a = { 0, };
      in.signal = signal_at (600000, flagged[i].map, -20);
      in.signal.valid = FALSE;
      in.signal.quality = flagged[i].quality;
      tt_advisor_step (&p, &in, &a);
      g_assert_cmpint (a.kind, ==, TT_ADVICE_NO_ADVICE);
      g_assert_cmpint (a.reason, ==, TT_REASON_SIGNAL_FLAGGED);
      g_assert_false (a.bolus);
      g_assert_cmpfloat (a.rate, ==, 0.09);
      g_assert_cmpfloat (a.change, ==, 0);
      g_assert_cmpstr (a.title, ==, "No advice: signal quality low");
      g_assert_cmpstr (a.sentence, ==, flagged[i].sentence);
    }

  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, NAN, NAN);
    in.signal.valid = FALSE;
    in.signal.stale = TRUE;
    in.signal.last_valid_ms = 586000;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_NO_ADVICE);
    g_assert_cmpint (a.reason, ==, TT_REASON_SIGNAL_STALE);
    g_assert_cmpstr (a.title, ==, "No advice: no valid signal");
    g_assert_cmpstr (a.sentence, ==, "No valid MAP for 14 s: check the arterial line.");
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal.last_valid_ms = -1;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpstr (a.sentence, ==, "No valid MAP yet: check the arterial line.");
  }
}

static void
test_setup_invalid (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;

  peripheral_params (&p);
  wireframe_input (&in);
  in.signal = signal_at (600000, 50, 0);

  {
    g_auto(TtAdvice) a = { 0, };
    in.weight_kg = 300;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_NO_ADVICE);
    g_assert_cmpint (a.reason, ==, TT_REASON_SETUP_INVALID);
    g_assert_false (a.bolus);
    g_assert_cmpfloat (a.ml_h, ==, 0);
    g_assert_cmpstr (a.title, ==, "No advice: check the infusion settings");
    g_assert_cmpstr (a.sentence, ==, "Weight 300 kg is outside 30–250 kg: no advice.");
    in.weight_kg = 72;
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.rate = 1.5;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpfloat (a.rate, ==, 0);
    g_assert_cmpstr (a.sentence, ==,
                     "Rate 1.50 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit): no advice.");
    in.rate = 0.09;
  }
  {
    g_auto(TtAdvice) a = { 0, };
    in.start_rate = 0.5;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpstr (a.sentence, ==,
                     "Starting rate 0.50 µg/kg/min is outside 0.01–0.20 µg/kg/min: no advice.");
  }
}

/* CLINICAL.md §2: an unprimed line at a low mL/h holds the drug back for many minutes. 50 kg,
 * 80 µg/mL, 0.05 µg/kg/min = 1.875 mL/h; 1 mL of drug-free fluid ahead of the drug takes 32 min. */
static void
test_line_delay (void)
{
  TtAdvisorParams p;
  TtAdvisorInput in;

  peripheral_params (&p);
  wireframe_input (&in);
  in.weight_kg = 50;
  in.concentration = 80;
  in.rate = 0.05;
  in.unprimed_ml = 1.0;
  in.since_change_ms = 180000;

  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 66, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_LINE_DELAY);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_LINE_DELAY);
    /* The drug arrives in 32 min; its effect is judged 2 min later. */
    g_assert_cmpint (a.next_review_ms, ==, 600000 + 1920000 + 120000);
    g_assert_cmpstr (a.sentence, ==,
                     "MAP 66 mmHg is 4 mmHg below the band and steady; the drug reaches the "
                     "patient only in 32 min (unprimed line).");
    g_assert_cmpstr (a.limit_text, ==,
                     "Line delay 32 min (1.0 mL drug-free at 1.9 mL/h): prime the line to the "
                     "cannula or use a carrier flow.");
  }
  /* Primed to the cannula: a new rate reaches the vein at once; the usual 2 min apply. 9 mmHg
   * below the middle part: two steps. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.unprimed_ml = 0;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.07, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_NONE);
    g_assert_cmpint (a.next_review_ms, ==, 720000);
    in.unprimed_ml = 1.0;
  }
  /* A short unprimed stretch (0.05 mL: 96 s) is not worth a warning, but is still waited for. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.unprimed_ml = 0.05;
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.reason, ==, TT_REASON_LINE_DELAY);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_NONE);
    g_assert_cmpint (a.next_review_ms, ==, 600000 + 96000 + 120000);
    in.unprimed_ml = 1.0;
  }
  /* Critically low overrides the wait: bolus and increase, and the delay is still said. */
  {
    g_auto(TtAdvice) a = { 0, };
    in.signal = signal_at (600000, 55, 0);
    tt_advisor_step (&p, &in, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_RESCUE_BOLUS);
    g_assert_cmpfloat_with_epsilon (a.rate, 0.07, RATE_EPS);
    g_assert_cmpuint (a.limits, ==, TT_LIMIT_STEP | TT_LIMIT_LINE_DELAY);
    /* 0.07 µg/kg/min = 2.625 mL/h: 1 mL takes 23 min (CLINICAL.md §2). */
    g_assert_cmpstr (a.limit_text, ==,
                     "Step capped at +0.02 µg/kg/min (max step [est]). Line delay 23 min (1.0 mL "
                     "drug-free at 2.6 mL/h): prime the line to the cannula or use a carrier "
                     "flow.");
  }
}

/* The wrapper pushes the running rate through the unprimed line: the advisor holds until the
 * drug arrives (32 min at 1.875 mL/h), then waits the usual 2 min for it to act. */
static void
test_unprimed_line_run (void)
{
  TtAdvisorParams p;
  g_autoptr(TtAdvisor) advisor = NULL;
  gint64 first_increase = -1;

  peripheral_params (&p);
  advisor = tt_advisor_new (&p);
  tt_advisor_set_infusion (advisor, 80, 50, 1.0);
  tt_advisor_set_band (advisor, 70, 90);
  tt_advisor_set_bolus (advisor, 10, 20);
  tt_advisor_rate_set (advisor, 0, 0.05);

  for (gint64 t = 0; t <= 2100000 && first_increase < 0; t += 2000)
    {
      TtSignalState signal = signal_at (t, 66, 0);
      g_auto(TtAdvice) a = { 0, };

      tt_advisor_update (advisor, &signal, &a);
      if (t == 600000)
        {
          /* 10 min at 1.875 mL/h pushed 0.3125 mL: 0.6875 mL left, 22 min. */
          g_assert_cmpfloat_with_epsilon (tt_advisor_get_unprimed_ml (advisor), 0.6875, 1e-9);
          g_assert_cmpint (a.reason, ==, TT_REASON_LINE_DELAY);
          g_assert_cmpint (a.next_review_ms, ==, 2040000);
          g_assert_cmpstr (a.sentence, ==,
                           "MAP 66 mmHg is 4 mmHg below the band and steady; the drug reaches "
                           "the patient only in 22 min (unprimed line).");
        }
      if (t == 1930000)
        {
          g_assert_cmpfloat (tt_advisor_get_unprimed_ml (advisor), ==, 0);
          g_assert_cmpint (a.reason, ==, TT_REASON_WAITING);
        }
      if (a.kind != TT_ADVICE_HOLD)
        {
          first_increase = t;
          g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
          g_assert_cmpfloat_with_epsilon (a.rate, 0.07, RATE_EPS);
        }
      else if (t < 1920000)
        g_assert_cmpint (a.reason, ==, TT_REASON_LINE_DELAY);
    }
  g_assert_cmpint (first_increase, ==, 2040000);
}

/* A stateful run: the clinician accepts every advice at once. */
typedef struct {
  gint64         t_ms;
  TtAdviceKind   kind;
  TtAdviceReason reason;
  double         rate;
  gboolean       bolus;
} Event;

typedef void (*SignalFunc) (gint64         t_ms,
                            TtSignalState *signal);

static GArray *
run (TtAdvisor  *advisor,
     SignalFunc  func,
     gint64      from_ms,
     gint64      to_ms,
     GPtrArray  *log)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (Event));

  for (gint64 t = from_ms; t <= to_ms; t += 2000)
    {
      TtSignalState signal;
      g_auto(TtAdvice) a = { 0, };

      func (t, &signal);
      tt_advisor_update (advisor, &signal, &a);
      if (log != NULL)
        g_ptr_array_add (log, g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", t,
                                               tt_advice_kind_to_string (a.kind),
                                               tt_advice_reason_to_string (a.reason)));
      if (a.kind == TT_ADVICE_HOLD || a.kind == TT_ADVICE_NO_ADVICE)
        continue;
      g_array_append_val (events, ((Event) { t, a.kind, a.reason, a.rate, a.bolus }));
      tt_advisor_rate_set (advisor, t, a.rate);
      if (a.bolus)
        tt_advisor_bolus_given (advisor, t);
    }
  return events;
}

static void
assert_events (GArray      *events,
               const Event *expected,
               guint        n)
{
  for (guint i = 0; i < events->len; i++)
    {
      const Event *e = &g_array_index (events, Event, i);
      g_test_message ("event %u: %" G_GINT64_FORMAT " ms %s %s %.3f%s", i, e->t_ms,
                      tt_advice_kind_to_string (e->kind), tt_advice_reason_to_string (e->reason),
                      e->rate, e->bolus ? " + bolus" : "");
    }
  for (guint i = 0; i < MIN (events->len, n); i++)
    {
      const Event *e = &g_array_index (events, Event, i);
      g_assert_cmpint (e->t_ms, ==, expected[i].t_ms);
      g_assert_cmpint (e->kind, ==, expected[i].kind);
      g_assert_cmpint (e->reason, ==, expected[i].reason);
      g_assert_cmpfloat_with_epsilon (e->rate, expected[i].rate, RATE_EPS);
      g_assert_cmpint (e->bolus, ==, expected[i].bolus);
    }
  g_assert_cmpuint (events->len, ==, n);
}

static TtAdvisor *
wireframe_advisor (double rate)
{
  TtAdvisorParams p;
  TtAdvisor *advisor;

  peripheral_params (&p);
  advisor = tt_advisor_new (&p);
  tt_advisor_set_infusion (advisor, 20, 72, 0);
  tt_advisor_set_band (advisor, 70, 90);
  tt_advisor_set_bolus (advisor, 10, 20);
  tt_advisor_set_start_rate (advisor, 0.05);
  tt_advisor_rate_set (advisor, 0, rate);
  return advisor;
}

/* Post-induction fall: MAP 88 falling 3 mmHg/min for 10 min to 58, then flat (the NE has no
 * effect on this constructed trace, so the advisor's full ladder shows). */
static void
post_induction_signal (gint64         t_ms,
                       TtSignalState *signal)
{
  double minutes = t_ms / 60000.0;

  if (t_ms <= 600000)
    *signal = signal_at (t_ms, 88 - 3 * minutes, -3);
  else
    *signal = signal_at (t_ms, 58, 0);
}

static void
test_scenario_post_induction (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.05);
  g_autoptr(GArray) events = NULL;
  /* Until 120 s MAP is above the middle part (85) for less than 2 min: hold. 262 s: MAP 74.9 is
   * below the middle part, predicted 71.9 in 1 min, and the start is more than 4 min ago: one
   * step (3.1 mmHg). 382 s: 68.9 below the band, predicted 65.9, 9.1 below the middle part: two
   * steps, 2 min after the last. 502 s: 62.9 → 59.9, 15.1 below: capped at 0.02. 562 s: 59.9 is
   * below the critical 60, 60 s after the last change: bolus + 0.02. 622 s: MAP 58 flat, bolus
   * locked out: 17 below → 0.04 (the critical max step). 682 s: bolus again + 0.02. 742 s:
   * locked out, + 0.04 to 0.22, above the peripheral soft limit. 802 s: bolus + 0.02 to 0.24. */
  static const Event expected[] = {
    { 262000, TT_ADVICE_INCREASE, TT_REASON_LOW_IN_BAND, 0.06, FALSE },
    { 382000, TT_ADVICE_INCREASE, TT_REASON_BELOW_BAND, 0.08, FALSE },
    { 502000, TT_ADVICE_INCREASE, TT_REASON_BELOW_BAND, 0.10, FALSE },
    { 562000, TT_ADVICE_RESCUE_BOLUS, TT_REASON_CRITICAL, 0.12, TRUE },
    { 622000, TT_ADVICE_INCREASE, TT_REASON_CRITICAL, 0.16, FALSE },
    { 682000, TT_ADVICE_RESCUE_BOLUS, TT_REASON_CRITICAL, 0.18, TRUE },
    { 742000, TT_ADVICE_INCREASE, TT_REASON_CRITICAL, 0.22, FALSE },
    { 802000, TT_ADVICE_RESCUE_BOLUS, TT_REASON_CRITICAL, 0.24, TRUE },
  };

  events = run (advisor, post_induction_signal, 0, 840000, NULL);
  assert_events (events, expected, G_N_ELEMENTS (expected));
  g_assert_cmpfloat_with_epsilon (tt_advisor_get_rate (advisor), 0.24, RATE_EPS);
}

/* Intubation: MAP 82, then up to 107 within 30 s (at 10 min), 80 s plateau, back to 82 over
 * 60 s; the slope is the change over the last minute, as the signal stage computes it. A rise
 * shorter than 2 min, or one already coming back, is not treated; nor is the descent, which
 * ends in the upper half of the band. */
static double
intubation_map (gint64 t_ms)
{
  double s = (t_ms - 600000) / 1000.0;

  if (s < 0)
    return 82;
  if (s < 30)
    return 82 + 25 * s / 30;
  if (s < 110)
    return 107;
  if (s < 170)
    return 107 - 25 * (s - 110) / 60;
  return 82;
}

static void
intubation_signal (gint64         t_ms,
                   TtSignalState *signal)
{
  double map = intubation_map (t_ms);

  *signal = signal_at (t_ms, map, map - intubation_map (t_ms - 60000));
}

static void
test_scenario_intubation (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.05);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) events = NULL;

  events = run (advisor, intubation_signal, 0, 1200000, log);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpfloat (tt_advisor_get_rate (advisor), ==, 0.05);

  /* Index = t / 2 s. Above the band from 610 s (MAP 90.3). */
  g_assert_cmpstr (g_ptr_array_index (log, 300), ==, "600000 hold in-band");
  g_assert_cmpstr (g_ptr_array_index (log, 330), ==, "660000 hold above-band-brief");
  /* 740 s: 130 s above the band, MAP 94.5 but 12.5 mmHg down from a minute ago: coming back. */
  g_assert_cmpstr (g_ptr_array_index (log, 370), ==, "740000 hold above-band-falling");
  g_assert_cmpstr (g_ptr_array_index (log, 400), ==, "800000 hold in-band");
}

/* MAP above the band for good: after 2 min, reduce 0.05 → 0.03 → 0.01, then stop, each 2 min
 * after the last (15 mmHg above the middle part: three steps wanted, two each time). */
static void
hypertension_signal (gint64         t_ms,
                     TtSignalState *signal)
{
  *signal = signal_at (t_ms, t_ms < 600000 ? 80 : 100, 0);
}

static void
test_scenario_above_band (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.05);
  g_autoptr(GArray) events = NULL;
  static const Event expected[] = {
    { 720000, TT_ADVICE_DECREASE, TT_REASON_ABOVE_BAND, 0.03, FALSE },
    { 840000, TT_ADVICE_DECREASE, TT_REASON_ABOVE_BAND, 0.01, FALSE },
    { 960000, TT_ADVICE_STOP, TT_REASON_ABOVE_BAND, 0, FALSE },
  };

  events = run (advisor, hypertension_signal, 0, 1500000, NULL);
  assert_events (events, expected, G_N_ELEMENTS (expected));

  {
    TtSignalState signal = signal_at (1502000, 100, 0);
    g_auto(TtAdvice) a = { 0, };
    tt_advisor_update (advisor, &signal, &a);
    g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
    g_assert_cmpint (a.reason, ==, TT_REASON_STOPPED);
    g_assert_cmpstr (a.title, ==, "Keep the infusion stopped");
  }
}

/* A flush and a zeroing in the middle of a decline: no advice during them, no bolus from the
 * zeroing's 0 mmHg, and the above-the-band clock is not reset by them. */
static void
artifact_signal (gint64         t_ms,
                 TtSignalState *signal)
{
  *signal = signal_at (t_ms, 100, 0);
  if (t_ms >= 650000 && t_ms < 656000)
    {
      signal->valid = FALSE;
      signal->map = NAN;
      signal->quality = TT_QUALITY_FLUSH;
    }
  else if (t_ms >= 680000 && t_ms < 700000)
    {
      signal->valid = FALSE;
      signal->map = 1;
      signal->quality = TT_QUALITY_ZEROING;
      signal->last_valid_ms = 678000;
    }
}

static void
test_scenario_artifacts (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.05);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) events = NULL;
  static const Event expected[] = {
    { 720000, TT_ADVICE_DECREASE, TT_REASON_ABOVE_BAND, 0.03, FALSE },
  };

  events = run (advisor, artifact_signal, 600000, 800000, log);
  assert_events (events, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (g_ptr_array_index (log, 25), ==, "650000 no-advice signal-flagged");
  g_assert_cmpstr (g_ptr_array_index (log, 28), ==, "656000 hold above-band-brief");
  g_assert_cmpstr (g_ptr_array_index (log, 45), ==, "690000 no-advice signal-flagged");
}

/* Signal loss: 30 s without a valid sample. No advice while it lasts (stale after 10 s); advice
 * resumes with the first valid sample. */
static void
loss_signal (gint64         t_ms,
             TtSignalState *signal)
{
  *signal = signal_at (t_ms, 75, 0);
  if (t_ms > 610000 && t_ms <= 640000)
    {
      signal->valid = FALSE;
      signal->map = NAN;
      signal->slope = NAN;
      signal->stale = t_ms - 610000 > TT_SIGNAL_STALE_MS;
      signal->last_valid_ms = 610000;
    }
}

static void
test_scenario_signal_loss (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.09);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) events = NULL;

  events = run (advisor, loss_signal, 600000, 660000, log);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (log, 3), ==, "606000 hold in-band");
  g_assert_cmpstr (g_ptr_array_index (log, 6), ==, "612000 no-advice no-signal");
  g_assert_cmpstr (g_ptr_array_index (log, 11), ==, "622000 no-advice signal-stale");
  g_assert_cmpstr (g_ptr_array_index (log, 21), ==, "642000 hold in-band");
}

/* The virtual-patient clinician model accepts advice after a delay: the advisor repeats the same
 * advice until the answer arrives, and then waits from the time of the answer. */
static void
test_delayed_acceptance (void)
{
  g_autoptr(TtAdvisor) advisor = wireframe_advisor (0.09);
  gint64 advised_at = -1;
  double advised_rate = 0;

  for (gint64 t = 600000; t <= 900000; t += 2000)
    {
      TtSignalState signal = signal_at (t, 64, 0);
      g_auto(TtAdvice) a = { 0, };

      tt_advisor_update (advisor, &signal, &a);
      if (a.kind == TT_ADVICE_INCREASE && advised_at < 0)
        {
          advised_at = t;
          advised_rate = a.rate;
        }
      if (advised_at >= 0 && t < advised_at + 30000)
        {
          /* Unanswered: the same advice, step after step. */
          g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
          g_assert_cmpfloat (a.rate, ==, advised_rate);
        }
      if (advised_at >= 0 && t == advised_at + 30000)
        tt_advisor_rate_set (advisor, t, a.rate);
      if (t > advised_at + 30000 && t < advised_at + 30000 + 120000)
        g_assert_cmpint (a.kind, ==, TT_ADVICE_HOLD);
      if (t == advised_at + 30000 + 120000)
        {
          g_assert_cmpint (a.kind, ==, TT_ADVICE_INCREASE);
          g_assert_cmpfloat_with_epsilon (a.rate, 0.13, RATE_EPS);
        }
    }
  g_assert_cmpint (advised_at, ==, 600000);
  g_assert_cmpfloat_with_epsilon (advised_rate, 0.11, RATE_EPS);
}

/* Generated situations, seeded so that a failure can be replayed. */
static const double concentrations[] = { 4, 5, 10, 16, 20, 40, 80 };

static void
generate (GRand           *rand,
          TtAdvisorParams *p,
          TtAdvisorInput  *in)
{
  double roll;

  tt_advisor_params_init (p, g_rand_boolean (rand) ? TT_LINE_PERIPHERAL : TT_LINE_CENTRAL);
  tt_advisor_input_init (in);

  in->signal = signal_at (g_rand_int_range (rand, 0, 4 * 3600) * 1000LL,
                          g_rand_double_range (rand, 20, 200),
                          g_rand_double_range (rand, -30, 30));
  roll = g_rand_double (rand);
  if (roll < 0.05)
    in->signal.slope = NAN;
  roll = g_rand_double (rand);
  if (roll < 0.08)
    {
      in->signal.valid = FALSE;
      in->signal.quality = g_rand_int_range (rand, 1, TT_N_QUALITIES);
      if (g_rand_boolean (rand))
        in->signal.map = NAN;
    }
  else if (roll < 0.12)
    {
      in->signal.valid = FALSE;
      in->signal.stale = TRUE;
      in->signal.map = NAN;
      in->signal.last_valid_ms = in->signal.t_ms - g_rand_int_range (rand, 10001, 60000);
    }
  else if (roll < 0.13)
    in->signal.map = NAN;

  roll = g_rand_double (rand);
  if (roll < 0.1)
    in->rate = 0;
  else if (roll < 0.12)
    in->rate = g_rand_double_range (rand, 1.0, 3.0);
  else
    in->rate = g_rand_double_range (rand, 0, p->limits.rate_hard_max);
  if (g_rand_int_range (rand, 0, 4) == 0)
    in->rate = round (in->rate * 100) / 100;

  roll = g_rand_double (rand);
  if (roll < 0.7)
    in->concentration = concentrations[g_rand_int_range (rand, 0, G_N_ELEMENTS (concentrations))];
  else if (roll < 0.97)
    in->concentration = g_rand_double_range (rand, 1, 200);
  else
    in->concentration = g_rand_double_range (rand, -10, 400);

  in->weight_kg = g_rand_double (rand) < 0.97 ? g_rand_double_range (rand, 30, 250)
                                              : g_rand_double_range (rand, 0, 400);
  in->unprimed_ml = g_rand_boolean (rand) ? 0 : g_rand_double_range (rand, 0, 3);

  in->band_low = g_rand_double_range (rand, 55, 100);
  in->band_high = in->band_low + g_rand_double_range (rand, 10, 40);
  if (g_rand_double (rand) < 0.03)
    in->band_low = g_rand_double_range (rand, 30, 140);
  if (g_rand_double (rand) < 0.3)
    {
      in->band_low = round (in->band_low);
      in->band_high = round (in->band_high);
    }

  in->start_rate = g_rand_double_range (rand, 0.01, 0.1);
  in->bolus_ug = (double[]) { 0, 5, 10, 10, 20, 30, 40 }[g_rand_int_range (rand, 0, 7)];
  in->bolus_concentration = g_rand_boolean (rand) ? 0 : concentrations[g_rand_int_range (rand, 0, 7)];
  in->since_change_ms = g_rand_double (rand) < 0.2 ? -1 : g_rand_int_range (rand, 0, 900) * 1000LL;
  in->since_bolus_ms = g_rand_double (rand) < 0.3 ? -1 : g_rand_int_range (rand, 0, 600) * 1000LL;
  in->above_band_ms = g_rand_int_range (rand, 0, 600) * 1000LL;
  in->high_ms = g_rand_int_range (rand, 0, 600) * 1000LL;
  in->since_above_band_ms = g_rand_boolean (rand) ? -1 : g_rand_int_range (rand, 0, 600) * 1000LL;
}

static gboolean
signal_trustworthy (const TtSignalState *s)
{
  return s->valid && !s->stale && s->quality == TT_QUALITY_VALID && isfinite (s->map);
}

static void
assert_same_advice (const TtAdvice *a,
                    const TtAdvice *b)
{
  g_assert_cmpint (a->t_ms, ==, b->t_ms);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->reason, ==, b->reason);
  g_assert_cmpuint (a->limits, ==, b->limits);
  g_assert_cmpfloat (a->current_rate, ==, b->current_rate);
  g_assert_cmpfloat (a->rate, ==, b->rate);
  g_assert_cmpfloat (a->ml_h, ==, b->ml_h);
  g_assert_cmpfloat (a->change, ==, b->change);
  g_assert_cmpint (a->bolus, ==, b->bolus);
  g_assert_cmpfloat (a->bolus_ug, ==, b->bolus_ug);
  g_assert_cmpfloat (a->bolus_ml, ==, b->bolus_ml);
  g_assert_cmpint (a->next_review_ms, ==, b->next_review_ms);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->rate_text, ==, b->rate_text);
  g_assert_cmpstr (a->bolus_text, ==, b->bolus_text);
  g_assert_cmpstr (a->sentence, ==, b->sentence);
  g_assert_cmpstr (a->limit_text, ==, b->limit_text);
}

static void
check_invariants (const TtAdvisorParams *p,
                  const TtAdvisorInput  *in,
                  const TtAdvice        *a)
{
  const TtLimits *limits = &p->limits;
  gboolean valid_setup = tt_advisor_validate_input (p, in, NULL);
  gboolean trustworthy = signal_trustworthy (&in->signal);
  double crit = tt_advisor_critical_threshold (p, in->band_low);
  gboolean critical = trustworthy && in->signal.map < crit;
  double values[] = { a->current_rate, a->current_ml_h, a->rate, a->ml_h, a->change,
                      a->bolus_ug, a->bolus_ml, a->critical_mmhg };

  /* No NaN (or infinity) anywhere; every text present and valid UTF-8. */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_true (isfinite (values[i]));
  g_assert_nonnull (a->title);
  g_assert_nonnull (a->rate_text);
  g_assert_nonnull (a->sentence);
  g_assert_true (g_utf8_validate (a->title, -1, NULL));
  g_assert_true (g_utf8_validate (a->sentence, -1, NULL));
  g_assert_true (a->limit_text == NULL || g_utf8_validate (a->limit_text, -1, NULL));
  g_assert_true ((a->bolus_text != NULL) == a->bolus);
  g_assert_null (strstr (a->sentence, "nan"));
  g_assert_null (strstr (a->rate_text, "nan"));

  /* Never above the hard limit, never negative. */
  g_assert_cmpfloat (a->rate, >=, 0);
  g_assert_cmpfloat (a->rate, <=, limits->rate_hard_max + RATE_EPS);

  /* Never advice from flagged, stale or missing samples, nor from an invalid setup. */
  if (!trustworthy || !valid_setup)
    {
      g_assert_cmpint (a->kind, ==, TT_ADVICE_NO_ADVICE);
      g_assert_false (a->bolus);
      g_assert_cmpfloat (a->change, ==, 0);
      return;
    }
  g_assert_cmpint (a->kind, !=, TT_ADVICE_NO_ADVICE);

  /* The kind says what the numbers do. */
  if (a->kind == TT_ADVICE_INCREASE)
    g_assert_cmpfloat (a->change, >, 0);
  if (a->kind == TT_ADVICE_DECREASE)
    g_assert_cmpfloat (a->change, <, 0);
  if (a->kind == TT_ADVICE_STOP)
    g_assert_cmpfloat (a->rate, ==, 0);
  if (a->kind == TT_ADVICE_HOLD)
    g_assert_cmpfloat (a->change, ==, 0);
  g_assert_cmpint (a->kind == TT_ADVICE_RESCUE_BOLUS, ==, a->bolus);

  /* Never a step above the step limit unless MAP is critically low. A stopped infusion starts
   * at the starting rate, itself capped at the step limit. */
  if (in->rate <= 0)
    g_assert_cmpfloat (a->rate, <=, MIN (in->start_rate, limits->step_abs) + RATE_EPS);
  else if (critical)
    g_assert_cmpfloat (fabs (a->change), <=, p->critical_step_max + RATE_EPS);
  else
    {
      g_assert_cmpfloat (fabs (a->change), <=, p->step_max + RATE_EPS);
      g_assert_cmpfloat (a->rate, <=, in->rate * limits->step_ratio + RATE_EPS);
    }
  g_assert_cmpfloat (fabs (a->change), <=, limits->step_abs + RATE_EPS);
  if (!critical)
    g_assert_cmpfloat (a->rate, <=, MAX (in->rate, limits->rate_soft_max) + RATE_EPS);

  /* NE's time course: no rate change within the re-evaluation interval of the last one unless
   * MAP is critically low, and not even then within the shorter critical interval; in the band,
   * none within the longer interval of a correction. */
  if (in->since_change_ms >= 0 && in->since_change_ms < p->reeval_ms && !critical)
    g_assert_cmpfloat (a->change, ==, 0);
  if (in->since_change_ms >= 0 && in->since_change_ms < p->critical_reeval_ms)
    g_assert_cmpfloat (a->change, ==, 0);
  if (in->since_change_ms >= 0 && in->since_change_ms < p->band_reeval_ms &&
      in->signal.map >= in->band_low && in->signal.map <= in->band_high)
    g_assert_cmpfloat (a->change, ==, 0);

  /* Aiming at the middle: a decrease only above the band's middle part, and never a stop in the
   * band; an increase (unless critical) only when MAP or its prediction is below the middle part,
   * and from inside the middle part only when MAP is predicted below the band. */
  {
    double slope = isfinite (in->signal.slope) ? CLAMP (in->signal.slope, -p->slope_clamp,
                                                        p->slope_clamp) : 0;
    double pred = in->signal.map + slope * p->horizon_min;
    double middle = (in->band_low + in->band_high) / 2;
    double half = p->hold_fraction * (in->band_high - in->band_low);

    if (a->change < 0)
      g_assert_cmpfloat (in->signal.map, >, middle + half);
    if (a->change < 0 && in->signal.map <= in->band_high)
      g_assert_cmpfloat (a->rate, >=, MIN (in->rate, limits->rate_soft_min) - RATE_EPS);
    if (a->change > 0 && !critical)
      g_assert_cmpfloat (MIN (in->signal.map, pred), <, middle - half);
    if (a->change > 0 && !critical && in->signal.map >= middle - half)
      g_assert_cmpfloat (pred, <, in->band_low);
  }

  /* A bolus only when critical or falling fast, never within the lockout, never above the soft
   * maximum. */
  if (a->bolus)
    {
      g_assert_true (critical || (isfinite (in->signal.slope) && in->signal.slope <= -p->fast_fall));
      g_assert_true (in->since_bolus_ms < 0 || in->since_bolus_ms >= p->bolus_lockout_ms);
      g_assert_cmpfloat (a->bolus_ug, <=, limits->bolus_soft_max);
      g_assert_cmpfloat (a->bolus_ug, >, 0);
    }

  /* The next review is never in the past. */
  g_assert_cmpint (a->next_review_ms, >=, a->t_ms);
}

static void
test_properties (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250625);
  guint n = 20000, n_advice = 0, n_changes = 0, n_boluses = 0;

  for (guint i = 0; i < n; i++)
    {
      TtAdvisorParams p;
      TtAdvisorInput in;
      TtAdvisorInput lower;
      g_auto(TtAdvice) a = { 0, };
      g_auto(TtAdvice) again = { 0, };
      g_auto(TtAdvice) b = { 0, };

      generate (rand, &p, &in);
      tt_advisor_step (&p, &in, &a);
      check_invariants (&p, &in, &a);

      /* Deterministic: the same input gives the same advice, text included. */
      tt_advisor_step (&p, &in, &again);
      assert_same_advice (&a, &again);

      /* The numbers-only variant decides the same. */
      {
        TtAdvice quiet;
        tt_advisor_decide (&p, &in, &quiet);
        g_assert_cmpint (quiet.kind, ==, a.kind);
        g_assert_cmpint (quiet.reason, ==, a.reason);
        g_assert_cmpuint (quiet.limits, ==, a.limits);
        g_assert_cmpfloat (quiet.rate, ==, a.rate);
        g_assert_cmpfloat (quiet.ml_h, ==, a.ml_h);
        g_assert_cmpfloat (quiet.change, ==, a.change);
        g_assert_cmpfloat (quiet.bolus_ug, ==, a.bolus_ug);
        g_assert_cmpfloat (quiet.bolus_ml, ==, a.bolus_ml);
        g_assert_cmpint (quiet.next_review_ms, ==, a.next_review_ms);
        g_assert_null (quiet.title);
        g_assert_null (quiet.rate_text);
        g_assert_null (quiet.bolus_text);
        g_assert_null (quiet.sentence);
        g_assert_null (quiet.limit_text);
      }

      /* Monotonic: a lower MAP, everything else equal, never gives a lower rate. */
      lower = in;
      lower.signal.map = in.signal.map - g_rand_double_range (rand, 0.01, 40);
      tt_advisor_step (&p, &lower, &b);
      check_invariants (&p, &lower, &b);
      if (signal_trustworthy (&in.signal) && tt_advisor_validate_input (&p, &in, NULL))
        {
          if (b.rate < a.rate - RATE_EPS)
            g_error ("case %u: MAP %.3f → rate %.4f but MAP %.3f → rate %.4f", i, in.signal.map,
                     a.rate, lower.signal.map, b.rate);
          n_advice++;
          n_changes += a.change != 0;
          n_boluses += a.bolus;
        }
    }

  /* The generator must reach the interesting cases, or the properties prove little. */
  g_test_message ("%u situations: %u with advice, %u rate changes, %u boluses", n, n_advice,
                  n_changes, n_boluses);
  g_assert_cmpuint (n_advice, >, n / 2);
  g_assert_cmpuint (n_changes, >, n / 10);
  g_assert_cmpuint (n_boluses, >, n / 20);
}

/* Monotonic over a dense sweep: for fixed circumstances, the advised rate never rises with MAP. */
static void
test_monotonic_sweep (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint swept = 0;

  for (guint i = 0; i < 600; i++)
    {
      TtAdvisorParams p;
      TtAdvisorInput in;
      double previous = G_MAXDOUBLE;

      generate (rand, &p, &in);
      in.signal.valid = TRUE;
      in.signal.stale = FALSE;
      in.signal.quality = TT_QUALITY_VALID;
      if (!tt_advisor_validate_input (&p, &in, NULL))
        continue;
      swept++;
      for (double map = 20; map <= 200; map += 0.25)
        {
          TtAdvice a;
          in.signal.map = map;
          tt_advisor_decide (&p, &in, &a);
          if (a.rate > previous + RATE_EPS)
            g_error ("sweep %u: rate rises from %.4f to %.4f at MAP %.2f", i, previous, a.rate,
                     map);
          previous = a.rate;
        }
    }
  g_assert_cmpuint (swept, >, 400);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/advisor/params", test_params);
  g_test_add_func ("/advisor/wireframe", test_wireframe);
  g_test_add_func ("/advisor/in-band", test_in_band);
  g_test_add_func ("/advisor/below-band", test_below_band);
  g_test_add_func ("/advisor/middle", test_middle);
  g_test_add_func ("/advisor/critical", test_critical);
  g_test_add_func ("/advisor/falling-fast", test_falling_fast);
  g_test_add_func ("/advisor/signal-quality", test_signal_quality);
  g_test_add_func ("/advisor/setup-invalid", test_setup_invalid);
  g_test_add_func ("/advisor/line-delay", test_line_delay);
  g_test_add_func ("/advisor/scenario/unprimed-line", test_unprimed_line_run);
  g_test_add_func ("/advisor/scenario/post-induction", test_scenario_post_induction);
  g_test_add_func ("/advisor/scenario/intubation", test_scenario_intubation);
  g_test_add_func ("/advisor/scenario/above-band", test_scenario_above_band);
  g_test_add_func ("/advisor/scenario/artifacts", test_scenario_artifacts);
  g_test_add_func ("/advisor/scenario/signal-loss", test_scenario_signal_loss);
  g_test_add_func ("/advisor/delayed-acceptance", test_delayed_acceptance);
  g_test_add_func ("/advisor/properties", test_properties);
  g_test_add_func ("/advisor/monotonic-sweep", test_monotonic_sweep);

  return g_test_run ();
}
