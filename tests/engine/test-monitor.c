/* test-monitor.c: the live pipeline of a case: samples → quality → grid → metrics, advisor →
 * case, and the clinician's answers back to the advisor. Hand-made samples, hand-checked effects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-monitor.h"

#define MIN_MS (60 * 1000)

/* 72 kg, 20 µg/mL, peripheral, band 70–90 (critical 60), 0.05 µg/kg/min, 10 µg bolus. */
static TtCase *
ready_case (void)
{
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(GError) error = NULL;
  TtCase *kase = tt_case_new (TRUE, "virtual patient", 0);

  g_free (setup->label);
  setup->label = g_strdup ("Case 0427");
  setup->weight_kg = 72;
  setup->baseline_map = 96;
  setup->target_lo = 70;
  setup->target_hi = 90;
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_no_error (error);
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    g_assert_true (tt_case_tick_item (kase, id, 1000, NULL));
  return kase;
}

/* A valid beat: pulse pressure 30 mmHg, HR 70. */
static void
push_map (TtMonitor *monitor,
          gint64     t_ms,
          double     map)
{
  TtSample s = tt_sample_init (t_ms, map);

  s.sbp = map + 20;
  s.dbp = map - 10;
  s.hr = 70;
  tt_monitor_push (monitor, &s, 1);
}

/* A fast flush: 300 mmHg with no pulse pressure (CLINICAL.md §6). */
static void
push_flush (TtMonitor *monitor,
            gint64     t_ms)
{
  TtSample s = tt_sample_init (t_ms, 300);

  s.sbp = 300;
  s.dbp = 300;
  s.hr = 70;
  tt_monitor_push (monitor, &s, 1);
}

static void
test_monitor_needs_setup (void)
{
  g_autoptr(TtCase) kase = tt_case_new (FALSE, "HL7 monitor feed", 0);
  g_autoptr(GError) error = NULL;
  TtMonitor *monitor = tt_monitor_new (kase, &error);

  g_assert_null (monitor);
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "The case has no setup yet: enter it before monitoring.");
}

static void
test_monitor_case (void)
{
  g_autoptr(TtCase) kase = ready_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtMonitor) monitor = tt_monitor_new (kase, &error);
  const TtAdvice *pending;
  const TtCaseAdvice *offered;
  TtWindowMetrics m;
  double advised;
  gint64 t;

  g_assert_no_error (error);
  g_assert_cmpint (tt_monitor_get_grid_ms (monitor), ==, 2000);

  /* Two minutes at 95 mmHg before induction: signal, no advice. */
  for (t = 2000; t <= 2 * MIN_MS; t += 1000)
    push_map (monitor, t, 95);
  g_assert_nonnull (tt_monitor_get_signal (monitor));
  g_assert_true (tt_monitor_get_signal (monitor)->valid);
  g_assert_cmpfloat (tt_monitor_get_last_sample (monitor)->map, ==, 95);
  g_assert_null (tt_monitor_get_advice (monitor));
  g_assert_null (tt_case_get_advice (kase));
  g_assert_false (tt_monitor_get_metrics (monitor, TT_WINDOW_FIRST15, &m));
  g_assert_true (tt_monitor_get_metrics (monitor, TT_WINDOW_CASE, &m));
  g_assert_cmpfloat_with_epsilon (m.mean_mmhg, 95, 1e-9);

  /* Induction at 2 min; the infusion starts at 0.05 µg/kg/min and the advisor runs. */
  g_assert_true (tt_case_start_induction (kase, t, &error));
  g_assert_no_error (error);

  /* MAP falls 3 mmHg/min from 95: below the band (70) after 8 min 20 s. Wait for an advice. */
  pending = NULL;
  for (; t <= 14 * MIN_MS && pending == NULL; t += 1000)
    {
      push_map (monitor, t, 95 - 3.0 * (t - 2 * MIN_MS) / MIN_MS);
      pending = tt_monitor_get_pending (monitor);
    }
  g_assert_nonnull (pending);
  g_assert_true (pending->kind == TT_ADVICE_INCREASE || pending->kind == TT_ADVICE_RESCUE_BOLUS);
  g_assert_cmpfloat (pending->rate, >, 0.05);
  offered = tt_case_get_advice (kase);
  g_assert_nonnull (offered);
  g_assert_cmpstr (offered->summary, ==, pending->title);
  g_assert_cmpstr (offered->reason, ==, pending->sentence);
  g_assert_cmpfloat_with_epsilon (offered->rate, pending->rate, 1e-12);
  advised = pending->rate;
  g_assert_true (tt_monitor_get_metrics (monitor, TT_WINDOW_FIRST15, &m));

  /* Accepted: the case's rate is the advice, and the advisor knows it (it waits, it does not
   * advise the same step again). MAP levels off just inside the band. */
  g_assert_true (tt_case_accept_advice (kase, t, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (kase), advised, 1e-12);
  g_assert_null (tt_monitor_get_pending (monitor));
  for (gint64 end = t + 20000; t < end; t += 1000)
    push_map (monitor, t, 72);
  g_assert_nonnull (tt_monitor_get_advice (monitor));
  g_assert_cmpint (tt_monitor_get_advice (monitor)->kind, ==, TT_ADVICE_HOLD);
  g_assert_cmpfloat_with_epsilon (tt_monitor_get_advice (monitor)->current_rate, advised, 1e-12);
  g_assert_null (tt_case_get_advice (kase));

  /* An artifact burst: 6 s of flush. The advisor holds and says why, nothing can be accepted,
   * the case raises the medium "no signal" advisory, and the time is excluded. */
  if (t % 2000 != 0)
    {
      push_map (monitor, t, 72);
      t += 1000;
    }
  {
    gint64 excluded = tt_monitor_get_excluded_ms (monitor);

    for (gint64 end = t + 6000; t < end; t += 1000)
      push_flush (monitor, t);
    g_assert_cmpint (tt_monitor_get_advice (monitor)->kind, ==, TT_ADVICE_NO_ADVICE);
    g_assert_cmpint (tt_monitor_get_advice (monitor)->reason, ==, TT_REASON_SIGNAL_FLAGGED);
    g_assert_false (tt_monitor_get_signal (monitor)->valid);
    g_assert_cmpint (tt_monitor_get_signal (monitor)->quality, ==, TT_QUALITY_FLUSH);
    g_assert_null (tt_case_get_advice (kase));
    g_assert_nonnull (tt_case_find_alert (kase, TT_ALERT_NO_SIGNAL));
    push_map (monitor, t, 72);
    t += 1000;
    push_map (monitor, t, 72);
    t += 1000;
    /* The burst starts on a step boundary: three steps of 2 s hold the six flushed samples. */
    g_assert_cmpint (tt_monitor_get_excluded_ms (monitor) - excluded, ==, 6000);
  }

  /* Below the band after the wait: a new advice; declined, the same kind is not raised again
   * before the re-evaluation time (2 min). */
  pending = NULL;
  for (gint64 end = t + 4 * MIN_MS; t < end && pending == NULL; t += 1000)
    {
      push_map (monitor, t, 64);
      pending = tt_monitor_get_pending (monitor);
    }
  g_assert_nonnull (pending);
  {
    TtAdviceKind kind = pending->kind;
    gint64 declined_at = t;

    g_assert_true (tt_case_decline_advice (kase, "surgeon asks to wait", t, &error));
    g_assert_no_error (error);
    for (; t < declined_at + 2 * MIN_MS - 2000; t += 1000)
      {
        push_map (monitor, t, 64);
        if (tt_monitor_get_advice (monitor)->kind == kind)
          g_assert_null (tt_case_get_advice (kase));
      }
    /* Critically low: an advice is offered again (of the declined kind only after 2 min). */
    for (gint64 end = t + 5 * MIN_MS; t < end && tt_case_get_advice (kase) == NULL; t += 1000)
      push_map (monitor, t, 55);
    g_assert_nonnull (tt_case_get_advice (kase));
    g_assert_true (tt_monitor_get_pending (monitor)->kind != kind ||
                   tt_case_get_advice (kase)->t_ms >= declined_at + 2 * MIN_MS);
  }

  /* One sample a second from 2 s on. */
  g_assert_cmpuint (tt_monitor_get_n_samples (monitor), ==, (guint64) (t / 1000 - 2));

  /* At the end of the case the last grid step closes and the figures stay the case's. */
  {
    guint64 steps = tt_monitor_get_n_steps (monitor);
    guint64 samples = tt_monitor_get_n_samples (monitor);

    g_assert_true (tt_case_end (kase, t, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tt_monitor_get_n_steps (monitor), ==, steps + 1);
    push_map (monitor, t + 1000, 80);
    tt_monitor_advance (monitor, t + 60000);
    g_assert_cmpuint (tt_monitor_get_n_samples (monitor), ==, samples);
    g_assert_cmpuint (tt_monitor_get_n_steps (monitor), ==, steps + 1);
  }
}

/* Pushes one sample a second from *t, MAP gliding from @from to @to at 2 mmHg/min (not a fast
 * fall) and then staying there, until the case holds an advice (at most @max_ms); returns it. */
static const TtCaseAdvice *
until_offered (TtMonitor *monitor,
               TtCase    *kase,
               gint64    *t,
               double     from,
               double     to,
               gint64     max_ms)
{
  gint64 start = *t;

  for (gint64 end = *t + max_ms; *t < end && tt_case_get_advice (kase) == NULL; *t += 1000)
    push_map (monitor, *t, MAX (to, from - 2.0 * (*t - start) / MIN_MS));
  return tt_case_get_advice (kase);
}

/* An offered advice stays while the advisor's output settles: a hold withdraws it only after
 * TT_MONITOR_SETTLE_MS of holding, a bad signal at once; a rescue bolus replaces it at once. */
static void
test_monitor_settle (void)
{
  g_autoptr(TtCase) kase = ready_case ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtMonitor) monitor = tt_monitor_new (kase, &error);
  const TtCaseAdvice *offered;
  gint64 t, hold_from = -1;
  guint id;

  g_assert_no_error (error);
  for (t = 2000; t <= 2 * MIN_MS; t += 1000)
    push_map (monitor, t, 80);
  g_assert_true (tt_case_start_induction (kase, t, &error));

  /* Below the band: an increase. Then MAP is back in the middle of the band: the advisor holds
   * at once, the advice stays for 10 s of holding and goes at the first step after. */
  offered = until_offered (monitor, kase, &t, 80, 66, 10 * MIN_MS);
  g_assert_nonnull (offered);
  g_assert_cmpint (tt_monitor_get_pending (monitor)->kind, ==, TT_ADVICE_INCREASE);
  id = offered->id;
  for (gint64 end = t + 30000; t < end; t += 1000)
    {
      const TtAdvice *now;

      push_map (monitor, t, 80);
      now = tt_monitor_get_advice (monitor);
      if (now->kind == TT_ADVICE_HOLD && hold_from < 0)
        hold_from = now->t_ms;
      if (hold_from >= 0 && now->t_ms < hold_from + TT_MONITOR_SETTLE_MS)
        {
          g_assert_nonnull (tt_case_get_advice (kase));
          g_assert_cmpuint (tt_case_get_advice (kase)->id, ==, id);
        }
      else if (hold_from >= 0)
        g_assert_null (tt_case_get_advice (kase));
    }
  g_assert_cmpint (hold_from, >=, 0);
  g_assert_null (tt_case_get_advice (kase));

  /* Offered again; a flush withdraws it at the first flagged step. */
  offered = until_offered (monitor, kase, &t, 80, 66, 10 * MIN_MS);
  g_assert_nonnull (offered);
  if (t % 2000 != 0)
    {
      push_map (monitor, t, 66);
      t += 1000;
    }
  push_flush (monitor, t);
  push_flush (monitor, t + 1000);
  push_flush (monitor, t + 2000);
  t += 3000;
  g_assert_cmpint (tt_monitor_get_advice (monitor)->kind, ==, TT_ADVICE_NO_ADVICE);
  g_assert_null (tt_case_get_advice (kase));

  /* Offered again; MAP critically low: the rescue bolus replaces the increase at once. */
  offered = until_offered (monitor, kase, &t, 72, 66, 10 * MIN_MS);
  g_assert_nonnull (offered);
  g_assert_cmpfloat (offered->bolus_ug, ==, 0);
  id = offered->id;
  for (gint64 end = t + 20000; t < end; t += 1000)
    {
      push_map (monitor, t, 50);
      if (tt_monitor_get_advice (monitor)->kind == TT_ADVICE_RESCUE_BOLUS)
        break;
    }
  g_assert_cmpint (tt_monitor_get_advice (monitor)->kind, ==, TT_ADVICE_RESCUE_BOLUS);
  g_assert_cmpuint (tt_case_get_advice (kase)->id, ==, id + 1);
  g_assert_cmpfloat (tt_case_get_advice (kase)->bolus_ug, ==, 10);
}

/* The setup's 1 mL dead space delays the drug only while the line is not confirmed primed: at
 * 0.05 µg/kg/min, 72 kg and 20 µg/mL (10.8 mL/h) it takes 5.6 min to clear, above the advisor's
 * warning, so an unconfirmed line carries the line-delay limit and a confirmed one never does. */
static void
run_in_band (TtCase    *kase,
             gboolean  *saw_delay)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtMonitor) monitor = tt_monitor_new (kase, &error);
  gint64 t;

  g_assert_no_error (error);
  for (t = 2000; t <= MIN_MS; t += 1000)
    push_map (monitor, t, 80);
  g_assert_true (tt_case_start_induction (kase, t, &error));
  g_assert_no_error (error);
  *saw_delay = FALSE;
  for (; t <= 3 * MIN_MS; t += 1000)
    {
      push_map (monitor, t, 80);
      if (tt_monitor_get_advice (monitor) != NULL &&
          (tt_monitor_get_advice (monitor)->limits & TT_LIMIT_LINE_DELAY) != 0)
        *saw_delay = TRUE;
    }
  g_assert_nonnull (tt_monitor_get_advice (monitor));
}

static void
test_monitor_primed_line (void)
{
  g_autoptr(TtCase) primed = ready_case ();
  g_autoptr(TtCase) unprimed = ready_case ();
  g_autoptr(GError) error = NULL;
  gboolean saw_delay;

  g_assert_cmpfloat (tt_case_get_setup (primed)->dead_space_ml, ==, 1.0);
  run_in_band (primed, &saw_delay);
  g_assert_false (saw_delay);

  g_assert_true (tt_case_untick_item (unprimed, TT_CHECKLIST_PUMP_PRIMED, 1500, &error));
  g_assert_no_error (error);
  g_assert_true (tt_case_override_checklist (unprimed, "Line primed after induction", 1600,
                                             &error));
  g_assert_no_error (error);
  run_in_band (unprimed, &saw_delay);
  g_assert_true (saw_delay);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/monitor/needs-setup", test_monitor_needs_setup);
  g_test_add_func ("/monitor/case", test_monitor_case);
  g_test_add_func ("/monitor/settle", test_monitor_settle);
  g_test_add_func ("/monitor/primed-line", test_monitor_primed_line);

  return g_test_run ();
}
