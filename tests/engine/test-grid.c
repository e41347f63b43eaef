/* test-grid.c: resampling onto the grid, dropouts, gaps and the live signal state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-grid.h"

static TtSample
smp (gint64    t_ms,
     double    map,
     TtQuality quality)
{
  TtSample s = tt_sample_init (t_ms, map);

  s.quality = quality;
  return s;
}

typedef struct {
  GArray *points;
  GArray *states;
} Collect;

static void
point_cb (const TtGridPoint *point,
          gpointer           user_data)
{
  g_array_append_val (((Collect *) user_data)->points, *point);
}

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  g_array_append_val (((Collect *) user_data)->states, *state);
}

static void
assert_point (const TtGridPoint *p,
              gint64             t,
              TtGridStatus       status,
              double             map,
              TtQuality          quality)
{
  g_test_message ("point at %" G_GINT64_FORMAT " ms", p->t_ms);
  g_assert_cmpint (p->t_ms, ==, t);
  g_assert_cmpint (p->status, ==, status);
  if (isnan (map))
    g_assert_true (isnan (p->map));
  else
    g_assert_cmpfloat_with_epsilon (p->map, map, 1e-12);
  g_assert_cmpint (p->quality, ==, quality);
}

/*
 * Hand-worked, step 2 s:
 *   step 0      80, 90 valid                       → VALID, median (80 + 90) / 2 = 85
 *   step 2000   70, 74, 75 valid                   → VALID 74
 *   step 4000   300 flush, 60 valid                → 1 valid vs 1 flagged: not a majority → ARTIFACT flush
 *   step 6000   empty; dropout 5000 → 9000 = 4 s   → repeats ARTIFACT flush
 *   step 8000   66                                 → VALID 66
 *   step 10000  60                                 → VALID 60
 *   12000…22000 empty; dropout 10500 → 25000 = 14.5 s > 10 s → 6 × GAP
 *   step 24000  50                                 → VALID 50
 *   26000, 28000 empty; dropout 25000 → 31000 = 6 s → HELD 50
 *   step 30000  52                                 → VALID 52
 */
static void
test_resample (void)
{
  TtSample samples[] = {
    smp (0, 80, TT_QUALITY_VALID), smp (1000, 90, TT_QUALITY_VALID),
    smp (2000, 70, TT_QUALITY_VALID), smp (3500, 74, TT_QUALITY_VALID),
    smp (3900, 75, TT_QUALITY_VALID),
    smp (4000, 300, TT_QUALITY_FLUSH), smp (5000, 60, TT_QUALITY_VALID),
    smp (9000, 66, TT_QUALITY_VALID),
    smp (10500, 60, TT_QUALITY_VALID),
    smp (25000, 50, TT_QUALITY_VALID),
    smp (31000, 52, TT_QUALITY_VALID),
  };
  g_autoptr(GArray) pts = tt_grid_resample (samples, G_N_ELEMENTS (samples), 2000);
  const TtGridPoint *p = (const TtGridPoint *) (void *) pts->data;

  g_assert_cmpuint (pts->len, ==, 16);
  assert_point (&p[0], 0, TT_GRID_VALID, 85, TT_QUALITY_VALID);
  assert_point (&p[1], 2000, TT_GRID_VALID, 74, TT_QUALITY_VALID);
  assert_point (&p[2], 4000, TT_GRID_ARTIFACT, NAN, TT_QUALITY_FLUSH);
  assert_point (&p[3], 6000, TT_GRID_ARTIFACT, NAN, TT_QUALITY_FLUSH);
  assert_point (&p[4], 8000, TT_GRID_VALID, 66, TT_QUALITY_VALID);
  assert_point (&p[5], 10000, TT_GRID_VALID, 60, TT_QUALITY_VALID);
  for (guint i = 0; i < 6; i++)
    assert_point (&p[6 + i], 12000 + 2000 * i, TT_GRID_GAP, NAN, TT_QUALITY_VALID);
  assert_point (&p[12], 24000, TT_GRID_VALID, 50, TT_QUALITY_VALID);
  assert_point (&p[13], 26000, TT_GRID_HELD, 50, TT_QUALITY_VALID);
  assert_point (&p[14], 28000, TT_GRID_HELD, 50, TT_QUALITY_VALID);
  assert_point (&p[15], 30000, TT_GRID_VALID, 52, TT_QUALITY_VALID);
  g_assert_true (tt_grid_point_is_valid (&p[13]));
  g_assert_false (tt_grid_point_is_valid (&p[6]));
}

/* Majority, flag choice and alignment: the grid is aligned to 0 ms, not to the first sample. */
static void
test_majority_and_alignment (void)
{
  TtSample samples[] = {
    /* step 2000: 2 valid (100, 104), 1 jump → VALID, median 102 */
    smp (3100, 100, TT_QUALITY_VALID), smp (3300, 150, TT_QUALITY_JUMP),
    smp (3500, 104, TT_QUALITY_VALID),
    /* step 4000: 1 valid, 2 damped, 1 flat → ARTIFACT; damped is the most frequent flag */
    smp (4000, 90, TT_QUALITY_VALID), smp (4500, 90, TT_QUALITY_DAMPED),
    smp (5000, 90, TT_QUALITY_FLAT), smp (5500, 90, TT_QUALITY_DAMPED),
    /* step 6000: one flat, one damped → tie goes to the lower code: flat (4) before damped (5) */
    smp (6000, 90, TT_QUALITY_DAMPED), smp (6001, 90, TT_QUALITY_FLAT),
    /* step 8000: a VALID sample with a NAN MAP counts as flagged (out of range) */
    smp (8000, NAN, TT_QUALITY_VALID),
  };
  g_autoptr(GArray) pts = tt_grid_resample (samples, G_N_ELEMENTS (samples), 2000);
  const TtGridPoint *p = (const TtGridPoint *) (void *) pts->data;

  g_assert_cmpuint (pts->len, ==, 4);
  assert_point (&p[0], 2000, TT_GRID_VALID, 102, TT_QUALITY_VALID);
  assert_point (&p[1], 4000, TT_GRID_ARTIFACT, NAN, TT_QUALITY_DAMPED);
  assert_point (&p[2], 6000, TT_GRID_ARTIFACT, NAN, TT_QUALITY_FLAT);
  assert_point (&p[3], 8000, TT_GRID_ARTIFACT, NAN, TT_QUALITY_OUT_OF_RANGE);
}

/* The exact 10 s edge: a dropout of exactly 10 s is bridged, 10.001 s is a gap. */
static void
test_hold_edge (void)
{
  TtSample a[] = { smp (1000, 70, TT_QUALITY_VALID), smp (11000, 72, TT_QUALITY_VALID) };
  TtSample b[] = { smp (1000, 70, TT_QUALITY_VALID), smp (11001, 72, TT_QUALITY_VALID) };
  g_autoptr(GArray) pa = tt_grid_resample (a, 2, 2000);
  g_autoptr(GArray) pb = tt_grid_resample (b, 2, 2000);

  /* steps 0 (70), 2000…8000 (4 empty), 10000 (72) */
  g_assert_cmpuint (pa->len, ==, 6);
  g_assert_cmpuint (pb->len, ==, 6);
  for (guint i = 1; i < 5; i++)
    {
      assert_point (&g_array_index (pa, TtGridPoint, i), 2000 * i, TT_GRID_HELD, 70, TT_QUALITY_VALID);
      assert_point (&g_array_index (pb, TtGridPoint, i), 2000 * i, TT_GRID_GAP, NAN, TT_QUALITY_VALID);
    }
}

static void
test_negative_time_and_dropped (void)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  Collect c = { points, NULL };
  g_autoptr(TtGrid) grid = tt_grid_new (2000, point_cb, NULL, &c);
  TtSample s;

  s = smp (-1500, 80, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  s = smp (500, 82, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  /* Earlier than the step being filled (0 … 2000): dropped. */
  s = smp (-100, 10, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  tt_grid_finish (grid);

  g_assert_cmpuint (tt_grid_get_n_dropped (grid), ==, 1);
  g_assert_cmpint (tt_grid_get_step_ms (grid), ==, 2000);
  g_assert_cmpuint (points->len, ==, 2);
  assert_point (&g_array_index (points, TtGridPoint, 0), -2000, TT_GRID_VALID, 80, TT_QUALITY_VALID);
  assert_point (&g_array_index (points, TtGridPoint, 1), 0, TT_GRID_VALID, 82, TT_QUALITY_VALID);
}

/* Live states and advance(): hold for up to 10 s, then stale; the points of the dropout come out as
 * GAP once advance() passes 10 s after the last sample. */
static void
test_live_states (void)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TtSignalState));
  Collect c = { points, states };
  g_autoptr(TtGrid) grid = tt_grid_new (2000, point_cb, state_cb, &c);
  const TtSignalState *st;
  TtSample s;

  s = smp (0, 80, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  s = smp (2500, 300, TT_QUALITY_FLUSH);
  tt_grid_push (grid, &s);
  s = smp (4500, 78, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  /* Nothing after 4500 ms. advance (12000) closes steps 4000, 6000, 8000, 10000. */
  tt_grid_advance (grid, 12000);
  g_assert_cmpuint (states->len, ==, 6);
  /* Only steps 0, 2000 and 4000 have points; 6000… wait for the end of the dropout. */
  g_assert_cmpuint (points->len, ==, 3);

  st = &g_array_index (states, TtSignalState, 0);
  g_assert_cmpint (st->t_ms, ==, 0);
  g_assert_true (st->valid);
  g_assert_false (st->stale);
  g_assert_cmpfloat (st->map, ==, 80);
  g_assert_cmpint (st->last_valid_ms, ==, 0);

  st = &g_array_index (states, TtSignalState, 1);
  g_assert_false (st->valid);
  g_assert_false (st->stale);       /* end 4000 − last valid 0 = 4 s */
  g_assert_cmpint (st->quality, ==, TT_QUALITY_FLUSH);
  g_assert_true (isnan (st->map));
  g_assert_true (isnan (st->slope));

  st = &g_array_index (states, TtSignalState, 2);   /* step 4000: 78 */
  g_assert_true (st->valid);
  g_assert_cmpfloat (st->map, ==, 78);
  g_assert_true (isnan (st->slope));  /* two valid steps cover 4 s < 30 s */

  st = &g_array_index (states, TtSignalState, 3);   /* step 6000, empty: end 8000 − 4500 = 3.5 s */
  g_assert_true (st->valid);
  g_assert_cmpfloat (st->map, ==, 78);
  st = &g_array_index (states, TtSignalState, 4);   /* step 8000: end 10000 − 4500 = 5.5 s */
  g_assert_true (st->valid);
  st = &g_array_index (states, TtSignalState, 5);   /* step 10000: end 12000 − 4500 = 7.5 s */
  g_assert_true (st->valid);

  tt_grid_advance (grid, 16000);   /* steps 12000, 14000; 16000 − 4500 = 11.5 s > 10 s */
  st = &g_array_index (states, TtSignalState, 6);   /* step 12000: end 14000 − 4500 = 9.5 s */
  g_assert_true (st->valid);
  g_assert_false (st->stale);
  st = &g_array_index (states, TtSignalState, 7);   /* step 14000: end 16000 − 4500 = 11.5 s */
  g_assert_false (st->valid);
  g_assert_true (st->stale);
  g_assert_cmpint (st->quality, ==, TT_QUALITY_VALID);
  g_assert_cmpint (st->last_valid_ms, ==, 4500);

  /* The dropout is now known to be longer than 10 s: steps 6000 … 14000 are gaps. */
  g_assert_cmpuint (points->len, ==, 3 + 5);
  for (guint i = 3; i < 8; i++)
    assert_point (&g_array_index (points, TtGridPoint, i), 6000 + 2000 * (i - 3), TT_GRID_GAP, NAN,
                  TT_QUALITY_VALID);

  s = smp (16500, 70, TT_QUALITY_VALID);
  tt_grid_push (grid, &s);
  tt_grid_finish (grid);
  g_assert_cmpuint (points->len, ==, 9);
  assert_point (&g_array_index (points, TtGridPoint, 8), 16000, TT_GRID_VALID, 70, TT_QUALITY_VALID);
}

/* A ramp of 0.5 mmHg/s sampled at 1 Hz: every step's median is on the line, so the least-squares
 * slope is exactly 30 mmHg/min, reported once the valid steps in the last minute cover 30 s. */
static void
test_slope (void)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TtSignalState));
  Collect c = { NULL, states };
  g_autoptr(TtGrid) grid = tt_grid_new (2000, NULL, state_cb, &c);

  for (gint64 t = 0; t <= 200000; t += 1000)
    {
      TtSample s = smp (t, 60 + 0.5 * t / 1000.0, TT_QUALITY_VALID);

      tt_grid_push (grid, &s);
    }
  tt_grid_finish (grid);

  g_assert_cmpuint (states->len, ==, 101);
  for (guint i = 0; i < states->len; i++)
    {
      const TtSignalState *st = &g_array_index (states, TtSignalState, i);

      g_assert_cmpint (st->t_ms, ==, 2000 * i);
      /* step i: median of 60 + 0.5·2i and 60 + 0.5·(2i + 1) */
      if (i < 100)
        g_assert_cmpfloat_with_epsilon (st->map, 60 + i + 0.25, 1e-9);
      /* steps 0 … 13 cover 28 s at most; from step 14 (15 steps: 30 s) the slope is known; from
       * step 30 on, the window (t − 60 s, t] holds 30 steps. */
      if (i < 14)
        g_assert_true (isnan (st->slope));
      else if (i < 100)
        g_assert_cmpfloat_with_epsilon (st->slope, 30.0, 1e-9);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/grid/resample", test_resample);
  g_test_add_func ("/grid/majority-and-alignment", test_majority_and_alignment);
  g_test_add_func ("/grid/hold-edge", test_hold_edge);
  g_test_add_func ("/grid/negative-time-and-dropped", test_negative_time_and_dropped);
  g_test_add_func ("/grid/live-states", test_live_states);
  g_test_add_func ("/grid/slope", test_slope);

  return g_test_run ();
}
