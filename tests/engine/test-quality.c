/* test-quality.c: the signal-quality rules of CLINICAL.md §6, value by value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-quality.h"

static TtSample
bp (gint64 t_ms,
    double sbp,
    double dbp,
    double map,
    double hr)
{
  TtSample s = tt_sample_init (t_ms, map);

  s.sbp = sbp;
  s.dbp = dbp;
  s.hr = hr;
  return s;
}

/* One sample through a fresh classifier: the stateless rules only. */
static TtQuality
one (TtSample s)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();

  return tt_quality_classifier_push (c, &s);
}

static void
test_range (void)
{
  g_assert_cmpint (one (bp (0, 120, 60, 80, 70)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (tt_sample_init (0, NAN)), ==, TT_QUALITY_OUT_OF_RANGE);
  g_assert_cmpint (one (tt_sample_init (0, INFINITY)), ==, TT_QUALITY_OUT_OF_RANGE);
  /* MAP < 20 or > 200 is out of range; 20 and 200 themselves are not. */
  g_assert_cmpint (one (tt_sample_init (0, 19.9)), ==, TT_QUALITY_OUT_OF_RANGE);
  g_assert_cmpint (one (tt_sample_init (0, 20)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (tt_sample_init (0, 200)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (tt_sample_init (0, 200.1)), ==, TT_QUALITY_OUT_OF_RANGE);
  /* HR outside 20–200. */
  g_assert_cmpint (one (bp (0, 120, 60, 80, 19)), ==, TT_QUALITY_OUT_OF_RANGE);
  g_assert_cmpint (one (bp (0, 120, 60, 80, 20)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (bp (0, 120, 60, 80, 200)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (bp (0, 120, 60, 80, 201)), ==, TT_QUALITY_OUT_OF_RANGE);
  g_assert_cmpint (one (bp (0, 120, 60, 80, 0)), ==, TT_QUALITY_OUT_OF_RANGE);
}

static void
test_flush (void)
{
  g_assert_cmpint (one (tt_sample_init (0, 260)), ==, TT_QUALITY_FLUSH);
  g_assert_cmpint (one (tt_sample_init (0, 250)), ==, TT_QUALITY_FLUSH);
  g_assert_cmpint (one (tt_sample_init (0, 249)), ==, TT_QUALITY_OUT_OF_RANGE);
  /* SBP 300/260: PP 40 < 50. */
  g_assert_cmpint (one (bp (0, 300, 260, 280, NAN)), ==, TT_QUALITY_FLUSH);
  /* SBP 260/100, MAP 150: a wide pulse is a real (if alarming) pressure, not a flush. */
  g_assert_cmpint (one (bp (0, 260, 100, 150, 80)), ==, TT_QUALITY_VALID);
  /* SBP 260/100 but MAP 210: out of range. */
  g_assert_cmpint (one (bp (0, 260, 100, 210, 80)), ==, TT_QUALITY_OUT_OF_RANGE);
}

static void
test_disconnected (void)
{
  g_assert_cmpint (one (bp (0, 10, 5, 40, 70)), ==, TT_QUALITY_DISCONNECTED);
  g_assert_cmpint (one (bp (0, 120, 10, 40, 70)), ==, TT_QUALITY_DISCONNECTED);
  g_assert_cmpint (one (bp (0, 120, 11, 40, 70)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (bp (0, 80, 80, 80, 70)), ==, TT_QUALITY_DISCONNECTED);
  /* SBP = DBP but MAP differs: not the disconnected pattern; PP 0 < 10 is damped (MPOG). */
  g_assert_cmpint (one (bp (0, 80, 80, 81, 70)), ==, TT_QUALITY_DAMPED);
}

static void
test_mpog (void)
{
  /* SBP > 200 and PP < 50 */
  g_assert_cmpint (one (bp (0, 210, 161, 177, 70)), ==, TT_QUALITY_DAMPED);
  g_assert_cmpint (one (bp (0, 210, 160, 177, 70)), ==, TT_QUALITY_VALID);
  /* 150 < SBP ≤ 200 and PP < 30 */
  g_assert_cmpint (one (bp (0, 200, 171, 180, 70)), ==, TT_QUALITY_DAMPED);
  g_assert_cmpint (one (bp (0, 200, 170, 180, 70)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (bp (0, 151, 122, 130, 70)), ==, TT_QUALITY_DAMPED);
  /* 100 ≤ SBP ≤ 150 and PP < 15 */
  g_assert_cmpint (one (bp (0, 150, 136, 140, 70)), ==, TT_QUALITY_DAMPED);
  g_assert_cmpint (one (bp (0, 150, 135, 140, 70)), ==, TT_QUALITY_VALID);
  g_assert_cmpint (one (bp (0, 100, 86, 90, 70)), ==, TT_QUALITY_DAMPED);
  g_assert_cmpint (one (bp (0, 100, 85, 90, 70)), ==, TT_QUALITY_VALID);
  /* SBP < 100 and PP < 10 */
  g_assert_cmpint (one (bp (0, 99, 90, 93, 70)), ==, TT_QUALITY_DAMPED);
  g_assert_cmpint (one (bp (0, 99, 89, 93, 70)), ==, TT_QUALITY_VALID);
}

static void
test_zeroing (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  TtSample s;

  /* MAP 2 from t = 0: zeroing once the run is longer than 2 s; before, MAP < 20 flags it. */
  s = tt_sample_init (0, 2);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_OUT_OF_RANGE);
  s = tt_sample_init (1000, -3);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_OUT_OF_RANGE);
  s = tt_sample_init (2000, 5);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_OUT_OF_RANGE);
  s = tt_sample_init (2001, 1);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_ZEROING);
  g_assert_cmpint (s.quality, ==, TT_QUALITY_ZEROING);
  /* 5.5 is outside ±5: the run ends and starts again. */
  s = tt_sample_init (3000, 5.5);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_OUT_OF_RANGE);
  s = tt_sample_init (4000, 0);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_OUT_OF_RANGE);
  s = tt_sample_init (6001, 0);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_ZEROING);

  /* With SBP/DBP near zero the first 2 s are "disconnected" (SBP ≤ 10). */
  tt_quality_classifier_reset (c);
  s = bp (0, 3, -1, 1, NAN);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DISCONNECTED);
  s = bp (2500, 3, -1, 1, NAN);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_ZEROING);
  /* SBP 7 is outside ±5 of 0: not zeroing. */
  s = bp (3000, 7, -1, 1, NAN);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DISCONNECTED);
}

static void
test_flat (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  TtSample s;

  /* PP 3 (82/79): damped by MPOG until the run lasts more than 2 s, then flat. */
  s = bp (0, 82, 79, 80, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DAMPED);
  s = bp (1000, 82, 79, 80, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DAMPED);
  s = bp (2000, 82, 79, 80, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DAMPED);
  s = bp (2500, 82, 78, 80, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_FLAT);
  /* PP 5 is not < 5: the run ends; PP 5 at SBP 85 is still damped (< 10). */
  s = bp (3000, 85, 80, 82, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DAMPED);
  s = bp (4000, 84, 80, 82, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_DAMPED);
  /* The pulse returns: no valid reference within 2 s, so no jump either. */
  s = bp (5000, 120, 60, 80, 70);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
}

static void
test_jump (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  struct { gint64 t; double map; TtQuality q; } seq[] = {
    { 0, 80, TT_QUALITY_VALID },
    { 1000, 116, TT_QUALITY_JUMP },      /* 116 − 80 = 36 > 35 */
    { 1500, 115, TT_QUALITY_VALID },     /* 115 − 80 = 35: not above 35 */
    { 2000, 116, TT_QUALITY_JUMP },      /* 80 at t = 0 is exactly 2 s old: still a reference */
    { 2001, 116, TT_QUALITY_VALID },     /* 80 is now older than 2 s; 115 is the reference */
    { 3000, 79, TT_QUALITY_JUMP },       /* 116 − 79 = 37 */
    { 3100, 81, TT_QUALITY_VALID },      /* references since 1100 ms: 115 and 116; 116 − 81 = 35 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (seq); i++)
    {
      TtSample s = tt_sample_init (seq[i].t, seq[i].map);

      g_test_message ("t = %" G_GINT64_FORMAT " ms, MAP %g", seq[i].t, seq[i].map);
      g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, seq[i].q);
    }
}

static void
test_no_jump_after_flush (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  TtSample s;

  s = tt_sample_init (0, 90);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
  s = tt_sample_init (1000, 300);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_FLUSH);
  /* Back to 90: the flush was not a valid reference, so this is not a jump. */
  s = tt_sample_init (1500, 92);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
}

static void
test_out_of_order (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  TtSample s;

  s = tt_sample_init (5000, 80);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
  /* Earlier than the previous sample: stateless rules only (no jump check against 80). */
  s = tt_sample_init (4000, 150);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
  /* … and it did not enter the history: 120 vs 80 at t = 5000 is a jump. */
  s = tt_sample_init (6000, 120);
  g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_JUMP);
}

static void
test_array (void)
{
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (TtSample));
  TtSample s;

  s = tt_sample_init (0, 80);
  g_array_append_val (a, s);
  s = tt_sample_init (1000, 300);
  g_array_append_val (a, s);
  s = tt_sample_init (2000, 130);
  g_array_append_val (a, s);
  tt_quality_classify_array (a);
  g_assert_cmpint (g_array_index (a, TtSample, 0).quality, ==, TT_QUALITY_VALID);
  g_assert_cmpint (g_array_index (a, TtSample, 1).quality, ==, TT_QUALITY_FLUSH);
  g_assert_cmpint (g_array_index (a, TtSample, 2).quality, ==, TT_QUALITY_JUMP);
}

/* A long stream with many valid samples in the 2 s window: the monotonic queues must agree with a
 * brute-force scan of the window. */
static void
test_jump_matches_brute_force (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double map = 80;

  for (gint64 t = 0; t < 600000; t += g_rand_int_range (rand, 5, 400))
    {
      TtSample s;
      TtQuality expected = TT_QUALITY_VALID;

      map += g_rand_double_range (rand, -12, 12);
      map = CLAMP (map, 40, 160);
      s = tt_sample_init (t, map);
      for (guint i = 0; i < a->len; i++)
        {
          const TtSample *r = &g_array_index (a, TtSample, i);

          if (r->quality == TT_QUALITY_VALID && t - r->t_ms <= 2000 && fabs (r->map - map) > 35)
            expected = TT_QUALITY_JUMP;
        }
      g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, expected);
      g_array_append_val (a, s);
      if (a->len > 1000)
        g_array_remove_range (a, 0, 500);
    }
}

/* Ten minutes of 120/70 (PP 50), MAP 87, one sample a second, then from t = 600 s @sbp/@dbp/@map
 * until @until_s; returns the first second flagged DAMPED (and every quality in @q), or -1. */
static int
run_pp_step (double         sbp,
             double         dbp,
             double         map,
             int            until_s,
             TtQuality     *q)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();
  int first = -1;

  for (int t = 0; t < until_s; t++)
    {
      TtSample s = t < 600 ? bp (t * 1000, 120, 70, 87, 70) : bp (t * 1000, sbp, dbp, map, 70);

      q[t] = tt_quality_classifier_push (c, &s);
      if (q[t] == TT_QUALITY_DAMPED && first < 0)
        first = t;
      if (t < 600)
        g_assert_cmpint (q[t], ==, TT_QUALITY_VALID);
    }
  return first;
}

/* Rule 10: PP falls 40 % or more with the MAP kept. */
static void
test_overdamping (void)
{
  g_autofree TtQuality *q = g_new (TtQuality, 1300);

  /* PP 50 → 28 (44 % less) at MAP 87; 101/73 is not damped by MPOG (PP 28 ≥ 15). The 10-s mean
   * after n samples is 28 + 22 e^(−n/10), at most 30 (60 % of the reference 50) from n = 24
   * (10 ln 11 = 23.98): t = 623 s. The reference is minutes 2–10 before; the damped samples never
   * become one, and the valid PP-50 minutes 0–9 leave the range at minute 20 (t = 1200 s). There
   * the reference is minute 10, PP 28 (its first 23 samples): the trace is valid again. */
  g_assert_cmpint (run_pp_step (101, 73, 87, 1300, q), ==, 623);
  g_assert_cmpint (q[622], ==, TT_QUALITY_VALID);
  for (int t = 623; t < 1200; t++)
    g_assert_cmpint (q[t], ==, TT_QUALITY_DAMPED);
  for (int t = 1200; t < 1300; t++)
    g_assert_cmpint (q[t], ==, TT_QUALITY_VALID);

  /* PP falls with the MAP (87 → 66; induction): when the PP mean reaches 30 the MAP mean is
   * 66 + 21 e^(−2.4) = 67.9, 19 mmHg from the reference's 87: not damping. */
  g_assert_cmpint (run_pp_step (85, 57, 66, 900, q), ==, -1);
  /* PP 50 → 35 (30 % less): not enough. */
  g_assert_cmpint (run_pp_step (105, 70, 87, 900, q), ==, -1);
  /* PP 50 → 30 exactly (40 %): the mean 30 + 20 e^(−n/10) never quite reaches 30 … */
  g_assert_cmpint (run_pp_step (102, 72, 87, 900, q), ==, -1);
  /* … while 29.9 does, at n = 10 ln (20.1 / 0.1) = 53.03: n = 54, t = 653 s. */
  g_assert_cmpint (run_pp_step (102, 72.1, 87, 900, q), ==, 653);
}

/* Without SBP and DBP, or in the first minutes (no reference), rule 10 does not apply. */
static void
test_overdamping_needs_reference (void)
{
  g_autoptr(TtQualityClassifier) c = tt_quality_classifier_new ();

  /* 2 minutes of PP 50, then PP 20 at the same MAP: minute 2 looks at minutes −8 … 0: PP 50. */
  for (int t = 0; t < 120; t++)
    {
      TtSample s = bp (t * 1000, 120, 70, 87, 70);

      g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
    }
  {
    TtSample s = bp (120000, 100, 80, 87, 70);

    /* The 10-s mean after one sample: 20 + 30 e^(−0.1) = 47.1, not yet. */
    g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
  }
  tt_quality_classifier_reset (c);
  /* After a reset there is no reference: PP 20 at once is valid (MPOG: 100/80 has PP 20 ≥ 15). */
  for (int t = 0; t < 60; t++)
    {
      TtSample s = bp (600000 + t * 1000, 100, 80, 87, 70);

      g_assert_cmpint (tt_quality_classifier_push (c, &s), ==, TT_QUALITY_VALID);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/quality/range", test_range);
  g_test_add_func ("/quality/flush", test_flush);
  g_test_add_func ("/quality/disconnected", test_disconnected);
  g_test_add_func ("/quality/mpog", test_mpog);
  g_test_add_func ("/quality/zeroing", test_zeroing);
  g_test_add_func ("/quality/flat", test_flat);
  g_test_add_func ("/quality/jump", test_jump);
  g_test_add_func ("/quality/no-jump-after-flush", test_no_jump_after_flush);
  g_test_add_func ("/quality/out-of-order", test_out_of_order);
  g_test_add_func ("/quality/array", test_array);
  g_test_add_func ("/quality/overdamping", test_overdamping);
  g_test_add_func ("/quality/overdamping-needs-reference", test_overdamping_needs_reference);
  g_test_add_func ("/quality/jump-brute-force", test_jump_matches_brute_force);

  return g_test_run ();
}
