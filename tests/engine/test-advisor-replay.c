/* test-advisor-replay.c: what the advisor would have said over a recorded case, and the recorded
 * decisions against it, on a hand-made recording with hand-checked advice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-advisor-replay.h"

#define MIN_MS (60 * 1000)

/* 72 kg, 20 µg/mL, peripheral line without dead space (no transport delay), band 70–90 (critical
 * 60), start 0.05 µg/kg/min, 10 µg bolus. */
static TtCaseSetup *
make_setup (void)
{
  TtCaseSetup *setup = tt_case_setup_new ();

  g_free (setup->label);
  setup->label = g_strdup ("R-17");
  setup->weight_kg = 72;
  setup->baseline_map = 95;
  setup->target_lo = 70;
  setup->target_hi = 90;
  setup->dead_space_ml = 0;
  return setup;
}

/* 1 Hz, pulse pressure 30 mmHg, HR 70: MAP 95 before induction (2 min), 85 after it until 6 min,
 * then falling 2 mmHg/min to 73 at 12 min, 73 until 13:30, then 78 (in the band's middle part,
 * 75–85 mmHg) until 30 min. */
static double
map_at (gint64 t)
{
  if (t < 2 * MIN_MS)
    return 95;
  if (t < 6 * MIN_MS)
    return 85;
  if (t < 12 * MIN_MS)
    return 85 - 2.0 * (t - 6 * MIN_MS) / MIN_MS;
  if (t < 13 * MIN_MS + 30000)
    return 73;
  return 78;
}

static GArray *
make_samples (void)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (TtSample));

  for (gint64 t = 0; t <= 30 * MIN_MS; t += 1000)
    {
      TtSample s = tt_sample_init (t, map_at (t));

      s.sbp = s.map + 20;
      s.dbp = s.map - 10;
      s.hr = 70;
      g_array_append_val (samples, s);
    }
  return samples;
}

static TtAdvisorReplay *
run (gboolean followed)
{
  g_autoptr(TtCaseSetup) setup = make_setup ();
  g_autoptr(GArray) samples = make_samples ();
  g_autoptr(GError) error = NULL;
  TtAdvisorReplay *replay = tt_advisor_replay_new (setup, &error);

  g_assert_no_error (error);
  g_assert_nonnull (replay);
  tt_advisor_replay_add_induction (replay, 2 * MIN_MS);
  /* The start rate logged with induction is the protocol, not a decision. */
  tt_advisor_replay_add_rate (replay, 2 * MIN_MS, 0.05);
  if (followed)
    tt_advisor_replay_add_rate (replay, 12 * MIN_MS + 30000, 0.06);
  /* Down to 0.04 at 20 min while MAP sits in the band. */
  tt_advisor_replay_add_rate (replay, 20 * MIN_MS, 0.04);
  g_assert_true (tt_advisor_replay_run (replay, (const TtSample *) samples->data, samples->len,
                                        &error));
  g_assert_no_error (error);
  return replay;
}

/* The first step (from @from on) whose advice is an increase. */
static gint64
first_increase (TtAdvisorReplay *replay,
                gint64           from)
{
  for (gint64 t = from; t <= 30 * MIN_MS; t += 2000)
    {
      const TtAdvice *advice = tt_advisor_replay_advice_at (replay, t);

      if (advice != NULL && advice->kind == TT_ADVICE_INCREASE)
        return t;
    }
  return -1;
}

static void
test_replay_advice (void)
{
  g_autoptr(TtAdvisorReplay) replay = run (TRUE);
  const TtAdvice *advice;
  const TtSignalState *signal;
  gint64 t;

  g_assert_cmpint (tt_advisor_replay_get_induction (replay), ==, 2 * MIN_MS);
  /* 30 min on the 2 s grid. */
  g_assert_cmpuint (tt_advisor_replay_get_n_steps (replay), >=, 900);
  g_assert_null (tt_advisor_replay_advice_at (replay, 60000));
  signal = tt_advisor_replay_signal_at (replay, 60000);
  g_assert_nonnull (signal);
  g_assert_cmpfloat_with_epsilon (signal->map, 95, 1e-9);

  /* In the band at 85 mmHg with the start rate running: hold. */
  advice = tt_advisor_replay_advice_at (replay, 5 * MIN_MS);
  g_assert_nonnull (advice);
  g_assert_cmpint (advice->kind, ==, TT_ADVICE_HOLD);
  g_assert_cmpfloat_with_epsilon (advice->current_rate, 0.05, 1e-12);

  /* Falling 2 mmHg/min: below the band's middle part (75) from 11:00, predicted 1 min later
   * 2 mmHg lower, more than 4 min after the start: one started 5 mmHg below it, +0.01. */
  t = first_increase (replay, 0);
  g_assert_cmpint (t, >=, 11 * MIN_MS);
  g_assert_cmpint (t, <=, 11 * MIN_MS + 10000);
  advice = tt_advisor_replay_advice_at (replay, t);
  g_assert_cmpfloat_with_epsilon (advice->rate, 0.06, 1e-12);
  /* 0.06 µg/kg/min × 72 kg × 60 / 20 µg/mL = 12.96 mL/h. */
  g_assert_cmpfloat_with_epsilon (advice->ml_h, 12.96, 1e-9);
  g_assert_cmpstr (advice->title, ==, "Increase to 0.06 µg/kg/min");

  /* After the clinician set 0.06 at 12:30 the advisor reasons from 0.06 and holds. */
  advice = tt_advisor_replay_advice_at (replay, 14 * MIN_MS);
  g_assert_cmpint (advice->kind, ==, TT_ADVICE_HOLD);
  g_assert_cmpfloat_with_epsilon (advice->current_rate, 0.06, 1e-12);
  advice = tt_advisor_replay_advice_at (replay, 25 * MIN_MS);
  g_assert_cmpfloat_with_epsilon (advice->current_rate, 0.04, 1e-12);
  g_assert_null (tt_advisor_replay_get_warnings (replay));
}

static void
test_replay_decisions (void)
{
  g_autoptr(TtAdvisorReplay) replay = run (TRUE);
  GArray *decisions = tt_advisor_replay_get_decisions (replay);
  const TtReplayDecision *d;

  g_assert_cmpuint (decisions->len, ==, 2);

  /* The increase, answered at 12:30 with 0.06. */
  d = &g_array_index (decisions, TtReplayDecision, 0);
  g_assert_cmpint (d->match, ==, TT_REPLAY_AGREED);
  g_assert_cmpint (d->advice_kind, ==, TT_ADVICE_INCREASE);
  g_assert_cmpint (d->t_ms, ==, first_increase (replay, 0));
  g_assert_cmpfloat_with_epsilon (d->advice_rate, 0.06, 1e-12);
  g_assert_cmpfloat_with_epsilon (d->rate_before, 0.05, 1e-12);
  g_assert_cmpint (d->done_t_ms, ==, 12 * MIN_MS + 30000);
  g_assert_cmpfloat_with_epsilon (d->done_rate, 0.06, 1e-12);
  g_assert_cmpfloat (d->done_bolus_ug, ==, 0);

  /* The decrease at 20 min: MAP 78 in the band's middle part, the advisor said hold. */
  d = &g_array_index (decisions, TtReplayDecision, 1);
  g_assert_cmpint (d->match, ==, TT_REPLAY_UNADVISED);
  g_assert_cmpint (d->advice_kind, ==, TT_ADVICE_HOLD);
  g_assert_cmpint (d->t_ms, ==, 20 * MIN_MS);
  g_assert_cmpfloat_with_epsilon (d->rate_before, 0.06, 1e-12);
  g_assert_cmpfloat_with_epsilon (d->done_rate, 0.04, 1e-12);
  /* What it said just before: hold the 0.06 running then. */
  g_assert_cmpfloat_with_epsilon (d->advice_rate, 0.06, 1e-12);
  g_assert_cmpstr (d->advice_title, ==, "Hold 0.06 µg/kg/min");

  g_assert_cmpuint (tt_advisor_replay_count (replay, TT_REPLAY_AGREED), ==, 1);
  g_assert_cmpuint (tt_advisor_replay_count (replay, TT_REPLAY_UNADVISED), ==, 1);
  g_assert_cmpuint (tt_advisor_replay_count (replay, TT_REPLAY_NOT_DONE), ==, 0);
  g_assert_cmpstr (tt_replay_match_to_string (TT_REPLAY_NOT_DONE), ==, "not-done");
  g_assert_cmpstr (tt_replay_match_describe (TT_REPLAY_UNADVISED), ==, "Done without advice");
}

static void
test_replay_not_done (void)
{
  g_autoptr(TtAdvisorReplay) replay = run (FALSE);
  GArray *decisions = tt_advisor_replay_get_decisions (replay);
  const TtReplayDecision *d;

  g_assert_cmpuint (decisions->len, ==, 2);
  /* Nobody answered the increase: once MAP was back at 78 mmHg the advisor held again. */
  d = &g_array_index (decisions, TtReplayDecision, 0);
  g_assert_cmpint (d->match, ==, TT_REPLAY_NOT_DONE);
  g_assert_cmpint (d->advice_kind, ==, TT_ADVICE_INCREASE);
  g_assert_cmpint (d->done_t_ms, ==, -1);
  g_assert_true (isnan (d->done_rate));
  g_assert_cmpint (d->end_ms, >, d->t_ms);
  g_assert_cmpint (d->end_ms, <, 14 * MIN_MS);
  /* The advice held the rate at 0.05 meanwhile. */
  g_assert_cmpfloat_with_epsilon (tt_advisor_replay_advice_at (replay, 16 * MIN_MS)->current_rate,
                                  0.05, 1e-12);
  d = &g_array_index (decisions, TtReplayDecision, 1);
  g_assert_cmpint (d->match, ==, TT_REPLAY_UNADVISED);
  g_assert_cmpfloat_with_epsilon (d->rate_before, 0.05, 1e-12);
}

static void
test_replay_refused (void)
{
  g_autoptr(TtCaseSetup) setup = make_setup ();
  g_autoptr(GArray) samples = make_samples ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtAdvisorReplay) replay = NULL;

  /* A setup the case refuses is refused with the case's own message. */
  setup->weight_kg = 500;
  g_assert_null (tt_advisor_replay_new (setup, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A recorded rate above the hard maximum cannot be replayed: said, and left out. */
  setup->weight_kg = 72;
  replay = tt_advisor_replay_new (setup, &error);
  g_assert_no_error (error);
  tt_advisor_replay_add_induction (replay, 2 * MIN_MS);
  tt_advisor_replay_add_rate (replay, 3 * MIN_MS, 5.0);
  g_assert_true (tt_advisor_replay_run (replay, (const TtSample *) samples->data, samples->len,
                                        &error));
  g_assert_nonnull (tt_advisor_replay_get_warnings (replay));
  g_assert_true (g_str_has_prefix (tt_advisor_replay_get_warnings (replay), "at 3 min: "));
  g_assert_cmpfloat_with_epsilon (tt_advisor_replay_advice_at (replay, 4 * MIN_MS)->current_rate,
                                  0.05, 1e-12);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/advisor-replay/advice", test_replay_advice);
  g_test_add_func ("/advisor-replay/decisions", test_replay_decisions);
  g_test_add_func ("/advisor-replay/not-done", test_replay_not_done);
  g_test_add_func ("/advisor-replay/refused", test_replay_refused);

  return g_test_run ();
}
