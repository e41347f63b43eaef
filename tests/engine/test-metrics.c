/* test-metrics.c: every metric against hand-worked values, and incremental == batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-metrics.h"
#include "tt-quality.h"

#define MIN_MS 60000

static TtGridPoint
pt (gint64       t_ms,
    TtGridStatus status,
    double       map)
{
  TtGridPoint p = { t_ms, map, status, TT_QUALITY_VALID };

  if (status == TT_GRID_ARTIFACT)
    p.quality = TT_QUALITY_FLUSH;
  if (status == TT_GRID_ARTIFACT || status == TT_GRID_GAP)
    p.map = NAN;
  return p;
}

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-9)

/* Both ways at once: the incremental result, checked against the batch one field by field. */
static void assert_same (const TtWindowMetrics *a, const TtWindowMetrics *b);

static void
get_both (const TtMetricsConfig *config,
          GArray                *points,
          gint64                 induction,
          TtMetricsWindow               window,
          TtWindowMetrics       *out)
{
  g_autoptr(TtMetrics) m = tt_metrics_new (config);
  TtWindowMetrics batch;
  gboolean ok_inc, ok_batch;

  if (induction >= 0)
    tt_metrics_set_induction (m, induction);
  for (guint i = 0; i < points->len; i++)
    tt_metrics_push (m, &g_array_index (points, TtGridPoint, i));
  ok_inc = tt_metrics_get (m, window, out);
  ok_batch = tt_metrics_compute (config, (const TtGridPoint *) (void *) points->data, points->len,
                                 induction, window, &batch);
  g_assert_true (ok_inc);
  g_assert_true (ok_batch);
  assert_same (out, &batch);
}

/*
 * A 1-minute grid, band 65–85, baseline 100 (relative threshold 80 % = 80 mmHg), target 75.
 *
 *   step (min)  0   1   2     3         4   5    6   7    8    9
 *   status      V   V   HELD  ARTIFACT  V   GAP  V   V    V    V
 *   MAP         70  62  58    –         50  –    90  105  125  64
 *
 * valid 8 min, artifact 1, gap 1, excluded 2.
 * mean = 624 / 8 = 78; squared deviations 64 + 256 + 400 + 784 + 144 + 729 + 2209 + 196 = 4782,
 *   sd = √(4782 / 7); cv = 100 · sd / 78; min 50, max 125.
 * ARV: adjacent valid pairs (0,1) 8, (1,2) 4, (6,7) 15, (7,8) 20, (8,9) 61: 108 / 5 min = 21.6.
 * in band [65, 85]: only 70: 1 / 8 = 12.5 %.
 * < 65: 62 58 50 64 → 4 min, AUT 3 + 7 + 15 + 1 = 26, TWA 26 / 8 = 3.25; episodes: 62-58-(artifact)-50
 *   is one run (the artifact does not split it), the gap ends it, 64 is a second: 2.
 * < 60: 58 50 → 2 min, AUT 2 + 10 = 12, TWA 1.5, one episode.  < 55: 50 → 1 min, AUT 5, TWA 0.625, 1.
 * < 50: none (50 is not below 50). < 40: none.
 * < 80 (relative): 70 62 58 50 64 → 5 min, AUT 10 + 18 + 22 + 30 + 16 = 96, TWA 12; episodes 2.
 * > 100: 105 125 → 2 min, area 5 + 25 = 30; > 110: 1 min, 15; > 120: 1 min, 5; > 140: 0.
 * lowest sustained (j = 1, 5, 10 steps): sorted 50 58 62 64 70 90 105 125 → 50, 70, none.
 * Varvel (target 75), in MAP terms then × 100 / 75: median MAP (64 + 70) / 2 = 67 → MDPE −8/75;
 *   |MAP − 75| = 5 13 17 25 15 30 50 11 → median (15 + 17) / 2 = 16 → MDAPE 16/75;
 *   |MAP − 67| = 3 5 9 17 23 38 58 3 → median (9 + 17) / 2 = 13 → wobble 13/75.
 */
static GArray *
series_a (void)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  TtGridPoint p[] = {
    pt (0 * MIN_MS, TT_GRID_VALID, 70), pt (1 * MIN_MS, TT_GRID_VALID, 62),
    pt (2 * MIN_MS, TT_GRID_HELD, 58), pt (3 * MIN_MS, TT_GRID_ARTIFACT, 0),
    pt (4 * MIN_MS, TT_GRID_VALID, 50), pt (5 * MIN_MS, TT_GRID_GAP, 0),
    pt (6 * MIN_MS, TT_GRID_VALID, 90), pt (7 * MIN_MS, TT_GRID_VALID, 105),
    pt (8 * MIN_MS, TT_GRID_VALID, 125), pt (9 * MIN_MS, TT_GRID_VALID, 64),
  };

  g_array_append_vals (a, p, G_N_ELEMENTS (p));
  return a;
}

static void
config_a (TtMetricsConfig *c)
{
  tt_metrics_config_init (c);
  c->grid_ms = MIN_MS;
  c->band_lo = 65;
  c->band_hi = 85;
  c->baseline = 100;
}

static void
test_hand_case (void)
{
  g_autoptr(GArray) points = series_a ();
  TtMetricsConfig c;
  TtWindowMetrics w;

  config_a (&c);
  get_both (&c, points, -1, TT_WINDOW_CASE, &w);

  g_assert_cmpint (w.start_ms, ==, 0);
  g_assert_cmpint (w.end_ms, ==, 10 * MIN_MS);
  assert_near (w.valid_min, 8);
  assert_near (w.artifact_min, 1);
  assert_near (w.gap_min, 1);
  assert_near (w.excluded_min, 2);
  assert_near (w.mean_mmhg, 78);
  assert_near (w.sd_mmhg, sqrt (4782.0 / 7));
  assert_near (w.cv_pct, 100 * sqrt (4782.0 / 7) / 78);
  assert_near (w.min_mmhg, 50);
  assert_near (w.max_mmhg, 125);
  assert_near (w.arv_mmhg_per_min, 21.6);
  assert_near (w.in_band_pct, 12.5);

  assert_near (w.below[0].time_min, 4);
  assert_near (w.below[0].aut_mmhg_min, 26);
  assert_near (w.below[0].twa_mmhg, 3.25);
  g_assert_cmpuint (w.below[0].episodes, ==, 2);
  assert_near (w.below[1].time_min, 2);
  assert_near (w.below[1].aut_mmhg_min, 12);
  assert_near (w.below[1].twa_mmhg, 1.5);
  g_assert_cmpuint (w.below[1].episodes, ==, 1);
  assert_near (w.below[2].time_min, 1);
  assert_near (w.below[2].aut_mmhg_min, 5);
  assert_near (w.below[2].twa_mmhg, 0.625);
  g_assert_cmpuint (w.below[2].episodes, ==, 1);
  for (guint i = 3; i < 5; i++)
    {
      assert_near (w.below[i].time_min, 0);
      assert_near (w.below[i].aut_mmhg_min, 0);
      assert_near (w.below[i].twa_mmhg, 0);
      g_assert_cmpuint (w.below[i].episodes, ==, 0);
    }

  assert_near (w.relative_mmhg, 80);
  assert_near (w.below_relative.time_min, 5);
  assert_near (w.below_relative.aut_mmhg_min, 96);
  assert_near (w.below_relative.twa_mmhg, 12);
  g_assert_cmpuint (w.below_relative.episodes, ==, 2);

  assert_near (w.above[0].time_min, 2);
  assert_near (w.above[0].area_mmhg_min, 30);
  assert_near (w.above[1].time_min, 1);
  assert_near (w.above[1].area_mmhg_min, 15);
  assert_near (w.above[2].time_min, 1);
  assert_near (w.above[2].area_mmhg_min, 5);
  assert_near (w.above[3].time_min, 0);
  assert_near (w.above[3].area_mmhg_min, 0);

  assert_near (w.lowest_sustained_mmhg[0], 50);
  assert_near (w.lowest_sustained_mmhg[1], 70);
  g_assert_true (isnan (w.lowest_sustained_mmhg[2]));

  assert_near (w.target_mmhg, 75);
  assert_near (w.mdpe_pct, -800.0 / 75);
  assert_near (w.mdape_pct, 1600.0 / 75);
  assert_near (w.wobble_pct, 1300.0 / 75);
}

/*
 * The same series with induction at 4 min: FIRST15 = [4, 19) min holds steps 4–9 and ends with the
 * data at 10 min. Valid 50 90 105 125 64 (5 min), gap 1.
 * mean 434 / 5 = 86.8; ARV pairs (6,7) 15, (7,8) 20, (8,9) 61 → 96 / 3 = 32.
 * < 65: 50 64 → 2 min, AUT 15 + 1 = 16, TWA 3.2, episodes 2 (the gap separates them).
 * Induction at 4 min 10 s (not on the grid): the window starts with step 5 (starts in [4:10, …)).
 */
static void
test_hand_windows (void)
{
  g_autoptr(GArray) points = series_a ();
  TtMetricsConfig c;
  TtWindowMetrics w, w2;

  config_a (&c);
  get_both (&c, points, 4 * MIN_MS, TT_WINDOW_FIRST15, &w);
  g_assert_cmpint (w.start_ms, ==, 4 * MIN_MS);
  g_assert_cmpint (w.end_ms, ==, 10 * MIN_MS);
  assert_near (w.valid_min, 5);
  assert_near (w.gap_min, 1);
  assert_near (w.artifact_min, 0);
  assert_near (w.mean_mmhg, 86.8);
  assert_near (w.arv_mmhg_per_min, 32);
  assert_near (w.below[0].time_min, 2);
  assert_near (w.below[0].aut_mmhg_min, 16);
  assert_near (w.below[0].twa_mmhg, 3.2);
  g_assert_cmpuint (w.below[0].episodes, ==, 2);

  get_both (&c, points, 4 * MIN_MS, TT_WINDOW_INDUCTION, &w2);
  g_assert_cmpint (w2.start_ms, ==, 4 * MIN_MS);
  g_assert_cmpint (w2.end_ms, ==, 10 * MIN_MS);
  assert_near (w2.valid_min, 5);

  get_both (&c, points, 4 * MIN_MS + 10000, TT_WINDOW_FIRST15, &w);
  g_assert_cmpint (w.start_ms, ==, 4 * MIN_MS + 10000);
  assert_near (w.valid_min, 4);
  assert_near (w.gap_min, 1);
  assert_near (w.below[0].time_min, 1);
  assert_near (w.below[0].aut_mmhg_min, 1);

  /* Without an induction mark the induction windows do not exist. */
  {
    g_autoptr(TtMetrics) m = tt_metrics_new (&c);

    tt_metrics_push (m, &g_array_index (points, TtGridPoint, 0));
    g_assert_false (tt_metrics_get (m, TT_WINDOW_FIRST15, &w));
    g_assert_false (tt_metrics_get (m, TT_WINDOW_INDUCTION, &w));
    g_assert_true (tt_metrics_get (m, TT_WINDOW_CASE, &w));
    g_assert_cmpint (tt_metrics_get_induction (m), ==, -1);
    g_assert_false (tt_metrics_compute (&c, (const TtGridPoint *) (void *) points->data,
                                        points->len, -1, TT_WINDOW_FIRST15, &w));
  }
  /* An induction after the end of the recording: an empty window, start = end. */
  get_both (&c, points, 30 * MIN_MS, TT_WINDOW_FIRST15, &w);
  g_assert_cmpint (w.start_ms, ==, 30 * MIN_MS);
  g_assert_cmpint (w.end_ms, ==, 30 * MIN_MS);
  assert_near (w.valid_min, 0);
  g_assert_true (isnan (w.mean_mmhg));
  g_assert_true (isnan (w.below[0].twa_mmhg));
  g_assert_true (isnan (w.in_band_pct));
  g_assert_true (isnan (w.mdpe_pct));
}

/* 2-s grid, 20 min of MAP 60, induction at 120 s: FIRST15 = steps 60 … 509 (450 steps, 15 min),
 * below 65: 15 min, AUT 5 · 15 = 75, TWA 5, one episode; the case: 20 min, AUT 100. */
static void
test_window_edges (void)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  TtMetricsConfig c;
  TtWindowMetrics w;

  tt_metrics_config_init (&c);
  for (guint i = 0; i < 600; i++)
    {
      TtGridPoint p = pt (2000 * i, TT_GRID_VALID, 60);

      g_array_append_val (points, p);
    }

  get_both (&c, points, 120000, TT_WINDOW_FIRST15, &w);
  g_assert_cmpint (w.start_ms, ==, 120000);
  g_assert_cmpint (w.end_ms, ==, 1020000);
  assert_near (w.valid_min, 15);
  assert_near (w.below[0].time_min, 15);
  assert_near (w.below[0].aut_mmhg_min, 75);
  assert_near (w.below[0].twa_mmhg, 5);
  g_assert_cmpuint (w.below[0].episodes, ==, 1);
  assert_near (w.sd_mmhg, 0);
  assert_near (w.arv_mmhg_per_min, 0);
  assert_near (w.lowest_sustained_mmhg[2], 60);   /* 300 steps of 60 */

  get_both (&c, points, 120000, TT_WINDOW_INDUCTION, &w);
  g_assert_cmpint (w.end_ms, ==, 1200000);
  assert_near (w.valid_min, 18);

  get_both (&c, points, 120000, TT_WINDOW_CASE, &w);
  g_assert_cmpint (w.start_ms, ==, 0);
  g_assert_cmpint (w.end_ms, ==, 1200000);
  assert_near (w.valid_min, 20);
  assert_near (w.below[0].aut_mmhg_min, 100);
  /* No baseline: no relative threshold. */
  g_assert_true (isnan (w.relative_mmhg));
  g_assert_true (isnan (w.below_relative.twa_mmhg));
  assert_near (w.below_relative.time_min, 0);
}

/* Episodes on a 2-s grid need 30 steps (60 s): 29 are not enough; an artifact inside a run does not
 * split it (15 + artifact + 15 = 30 valid steps: one episode); a gap does (15 + gap + 15: none). */
static void
test_episodes (void)
{
  struct { const char *pattern; guint episodes; } cases[] = {
    { "H29H", 0 },
    { "H30H", 1 },
    { "H29H30H", 1 },
    { "H15A15H", 1 },
    { "H15G15H", 0 },
    { "H60H", 1 },
    { "H30H30H", 2 },
  };
  TtMetricsConfig c;

  tt_metrics_config_init (&c);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
      TtWindowMetrics w;
      const char *s = cases[k].pattern;

      /* H: one step at 70; A: one artifact; G: one gap; a number: that many steps at 60. */
      while (*s)
        {
          TtGridPoint p;

          if (g_ascii_isdigit (*s))
            {
              char *end;
              guint n = (guint) strtoul (s, &end, 10);

              for (guint i = 0; i < n; i++)
                {
                  p = pt (2000 * points->len, TT_GRID_VALID, 60);
                  g_array_append_val (points, p);
                }
              s = end;
              continue;
            }
          p = pt (2000 * points->len, *s == 'H' ? TT_GRID_VALID : *s == 'A' ? TT_GRID_ARTIFACT
                                                                             : TT_GRID_GAP, 70);
          g_array_append_val (points, p);
          s++;
        }
      get_both (&c, points, -1, TT_WINDOW_CASE, &w);
      g_test_message ("pattern %s", cases[k].pattern);
      g_assert_cmpuint (w.below[0].episodes, ==, cases[k].episodes);
    }
}

/*
 * Raw samples, unequal spacing, through the classifier and the 2-s grid:
 *   t (s)  0    0.5  3    7          8    9.9  20.5
 *   MAP    70   66   60   300 flush  64   62   61
 * steps: [0,2) 68 · [2,4) 60 · [4,6) empty, dropout 3 → 7 s = 4 s → HELD 60 · [6,8) flush →
 *   ARTIFACT · [8,10) (64 + 62) / 2 = 63 · [10,20) five empty steps, dropout 9.9 → 20.5 = 10.6 s
 *   > 10 s → GAP · [20,22) 61.
 * valid 5 steps = 10 s = 1/6 min; artifact 2 s, gap 10 s → excluded 12 s = 0.2 min.
 * mean (68 + 60 + 60 + 63 + 61) / 5 = 62.4.
 * < 65: 60 60 63 61 → 8 s = 2/15 min; AUT (5 + 5 + 2 + 4) · 2 s = 32 mmHg·s = 8/15 mmHg·min;
 *   TWA (8/15) / (1/6) = 3.2 mmHg.
 * ARV: pairs (0,2) 8 and (2,4) 0 → 8 mmHg over 4 s = 120 mmHg/min.
 */
static void
test_from_samples (void)
{
  struct { gint64 t; double map; } raw[] = {
    { 0, 70 }, { 500, 66 }, { 3000, 60 }, { 7000, 300 }, { 8000, 64 }, { 9900, 62 }, { 20500, 61 },
  };
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GArray) points = NULL;
  TtMetricsConfig c;
  TtWindowMetrics w;

  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    {
      TtSample s = tt_sample_init (raw[i].t, raw[i].map);

      g_array_append_val (samples, s);
    }
  tt_quality_classify_array (samples);
  g_assert_cmpint (g_array_index (samples, TtSample, 3).quality, ==, TT_QUALITY_FLUSH);
  points = tt_grid_resample ((const TtSample *) (void *) samples->data, samples->len, 2000);
  g_assert_cmpuint (points->len, ==, 11);

  tt_metrics_config_init (&c);
  get_both (&c, points, -1, TT_WINDOW_CASE, &w);
  g_assert_cmpint (w.end_ms, ==, 22000);
  assert_near (w.valid_min, 1.0 / 6);
  assert_near (w.artifact_min, 2.0 / 60);
  assert_near (w.gap_min, 10.0 / 60);
  assert_near (w.excluded_min, 0.2);
  assert_near (w.mean_mmhg, 62.4);
  assert_near (w.below[0].time_min, 2.0 / 15);
  assert_near (w.below[0].aut_mmhg_min, 8.0 / 15);
  assert_near (w.below[0].twa_mmhg, 3.2);
  g_assert_cmpuint (w.below[0].episodes, ==, 0);
  assert_near (w.arv_mmhg_per_min, 120);
}

static void
assert_same (const TtWindowMetrics *a,
             const TtWindowMetrics *b)
{
#define SAME(field) \
  G_STMT_START { \
    if (!(isnan (a->field) && isnan (b->field))) \
      g_assert_cmpfloat (a->field, ==, b->field); \
  } G_STMT_END
#define CLOSE(field) \
  G_STMT_START { \
    if (!(isnan (a->field) && isnan (b->field))) \
      g_assert_cmpfloat_with_epsilon (a->field, b->field, 1e-9 * MAX (1.0, fabs (b->field))); \
  } G_STMT_END

  g_assert_cmpint (a->start_ms, ==, b->start_ms);
  g_assert_cmpint (a->end_ms, ==, b->end_ms);
  SAME (valid_min);
  SAME (excluded_min);
  SAME (artifact_min);
  SAME (gap_min);
  SAME (mean_mmhg);
  CLOSE (sd_mmhg);     /* Welford's update against two passes: equal to rounding */
  CLOSE (cv_pct);
  SAME (arv_mmhg_per_min);
  SAME (in_band_pct);
  SAME (min_mmhg);
  SAME (max_mmhg);
  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    {
      SAME (below[i].time_min);
      SAME (below[i].aut_mmhg_min);
      SAME (below[i].twa_mmhg);
      g_assert_cmpuint (a->below[i].episodes, ==, b->below[i].episodes);
    }
  SAME (relative_mmhg);
  SAME (below_relative.time_min);
  SAME (below_relative.aut_mmhg_min);
  SAME (below_relative.twa_mmhg);
  g_assert_cmpuint (a->below_relative.episodes, ==, b->below_relative.episodes);
  for (guint i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      SAME (above[i].time_min);
      SAME (above[i].area_mmhg_min);
    }
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    SAME (lowest_sustained_mmhg[k]);
  SAME (target_mmhg);
  SAME (mdpe_pct);
  SAME (mdape_pct);
  SAME (wobble_pct);
#undef SAME
#undef CLOSE
}

/* A generated case: a random walk with hypotensive dips, artifacts, held steps, gaps and skipped
 * steps; incremental (induction marked before, or after the fact) equals batch in every window. */
static void
test_incremental_equals_batch (void)
{
  for (guint seed = 1; seed <= 6; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
      TtMetricsConfig c;
      gint64 grid = seed % 2 ? 2000 : 1000;
      guint n = 20000 + g_rand_int_range (rand, 0, 20000);
      double map = 85;
      gint64 t = 2000 * g_rand_int_range (rand, -50, 50);
      gint64 induction;

      tt_metrics_config_init (&c);
      c.grid_ms = grid;
      c.baseline = seed % 3 ? 95 : NAN;
      c.band_lo = 70;
      c.band_hi = 90;
      c.target = seed == 4 ? 80 : NAN;

      for (guint i = 0; i < n; i++)
        {
          double r = g_rand_double (rand);
          TtGridPoint p;

          map += g_rand_double_range (rand, -3, 3) + (80 - map) * 0.01;
          if (r < 0.002)
            map -= 30;   /* a dip */
          map = CLAMP (map, 25, 190);
          if (r < 0.01)
            p = pt (t, TT_GRID_ARTIFACT, 0);
          else if (r < 0.02)
            p = pt (t, TT_GRID_GAP, 0);
          else if (r < 0.05)
            p = pt (t, TT_GRID_HELD, map);
          else
            p = pt (t, TT_GRID_VALID, map);
          g_array_append_val (points, p);
          t += grid;
          if (r > 0.999)
            t += grid * g_rand_int_range (rand, 1, 20);   /* skipped steps count as gaps */
        }

      induction = g_array_index (points, TtGridPoint, 0).t_ms + g_rand_int_range (rand, 0, 3000000);
      for (int late = 0; late < 2; late++)
        {
          g_autoptr(TtMetrics) m = tt_metrics_new (&c);

          if (!late)
            tt_metrics_set_induction (m, induction);
          for (guint i = 0; i < points->len; i++)
            tt_metrics_push (m, &g_array_index (points, TtGridPoint, i));
          if (late)
            tt_metrics_set_induction (m, induction);

          for (TtMetricsWindow win = 0; win < TT_N_WINDOWS; win++)
            {
              TtWindowMetrics inc, batch;

              g_test_message ("seed %u, %s, window %s", seed, late ? "late mark" : "early mark",
                              tt_window_to_string (win));
              g_assert_true (tt_metrics_get (m, win, &inc));
              g_assert_true (tt_metrics_compute (&c, (const TtGridPoint *) (void *) points->data,
                                                 points->len, induction, win, &batch));
              assert_same (&inc, &batch);
              g_assert_cmpfloat (inc.valid_min, >, 0);
            }
        }
    }
}

/* The live use: metrics read while the case runs match batch over the steps so far. */
static void
test_incremental_midway (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  g_autoptr(TtMetrics) m = NULL;
  TtMetricsConfig c;
  double map = 75;

  tt_metrics_config_init (&c);
  c.baseline = 90;
  m = tt_metrics_new (&c);
  tt_metrics_set_induction (m, 100000);
  for (guint i = 0; i < 3000; i++)
    {
      TtGridPoint p;

      map = CLAMP (map + g_rand_double_range (rand, -4, 4), 30, 150);
      p = pt (2000 * i, g_rand_double (rand) < 0.05 ? TT_GRID_ARTIFACT : TT_GRID_VALID, map);
      g_array_append_val (points, p);
      tt_metrics_push (m, &p);
      if (i % 499 == 0)
        for (TtMetricsWindow win = 0; win < TT_N_WINDOWS; win++)
          {
            TtWindowMetrics inc, batch;
            gboolean ok = tt_metrics_get (m, win, &inc);

            g_assert_cmpint (ok, ==, tt_metrics_compute (&c, (const TtGridPoint *) (void *) points->data,
                                                         points->len, 100000, win, &batch));
            if (ok)
              assert_same (&inc, &batch);
          }
    }
}

/* Baseline: the median of the valid steps in [induction − 5 min, induction), if they cover ≥ 1 min.
 * 2-s grid, induction at 400 s: the window is [100, 400) s = steps 50 … 199. Steps 0 … 49 (before
 * the window) are 200; in the window, steps 50 … 149 are 90, 150 … 198 are 100, 199 is 300 but an
 * artifact. Valid in the window: 100 × 90 and 49 × 100 → median is the 75th of 149 sorted = 90. */
static void
test_baseline (void)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  const TtGridPoint *p;

  for (guint i = 0; i < 260; i++)
    {
      TtGridPoint q = pt (2000 * i, i == 199 ? TT_GRID_ARTIFACT : TT_GRID_VALID,
                          i < 50 ? 200 : i < 150 ? 90 : i < 199 ? 100 : 60);

      g_array_append_val (points, q);
    }
  p = (const TtGridPoint *) (void *) points->data;
  assert_near (tt_metrics_estimate_baseline (p, points->len, 2000, 400000), 90);
  /* Induction at 20 s: steps 0 … 9 only (20 s of data < 1 min): no baseline. */
  g_assert_true (isnan (tt_metrics_estimate_baseline (p, points->len, 2000, 20000)));
  /* Induction at 60 s: steps 0 … 29, 60 s of 200 → 200. */
  assert_near (tt_metrics_estimate_baseline (p, points->len, 2000, 60000), 200);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Varvel's medians (by selection) against sorting, on random series of odd and even length with
 * many ties: MDPE = 100 (median − target) / target, MDAPE and wobble likewise. */
static void
test_varvel_medians (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (guint round = 0; round < 200; round++)
    {
      guint n = g_rand_int_range (rand, 1, 400);
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
      g_autofree double *maps = g_new (double, n);
      g_autofree double *dev = g_new (double, n);
      TtMetricsConfig c;
      TtWindowMetrics w;
      double target = 75, med, mdpe;

      tt_metrics_config_init (&c);
      for (guint i = 0; i < n; i++)
        {
          TtGridPoint p = pt (2000 * i, TT_GRID_VALID,
                              round % 2 ? g_rand_int_range (rand, 60, 70)
                                        : g_rand_double_range (rand, 40, 120));

          g_array_append_val (points, p);
          maps[i] = p.map;
        }
      g_assert_true (tt_metrics_compute (&c, (const TtGridPoint *) (void *) points->data, n, -1,
                                         TT_WINDOW_CASE, &w));
      qsort (maps, n, sizeof (double), cmp_double);
      med = n % 2 ? maps[n / 2] : (maps[n / 2 - 1] + maps[n / 2]) / 2;
      mdpe = 100 * (med - target) / target;
      assert_near (w.mdpe_pct, mdpe);
      for (guint i = 0; i < n; i++)
        dev[i] = fabs (100 * (maps[i] - target) / target - mdpe);
      qsort (dev, n, sizeof (double), cmp_double);
      assert_near (w.wobble_pct, n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2);
      for (guint i = 0; i < n; i++)
        dev[i] = fabs (100 * (maps[i] - target) / target);
      qsort (dev, n, sizeof (double), cmp_double);
      assert_near (w.mdape_pct, n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/hand-case", test_hand_case);
  g_test_add_func ("/metrics/hand-windows", test_hand_windows);
  g_test_add_func ("/metrics/window-edges", test_window_edges);
  g_test_add_func ("/metrics/episodes", test_episodes);
  g_test_add_func ("/metrics/from-samples", test_from_samples);
  g_test_add_func ("/metrics/incremental-equals-batch", test_incremental_equals_batch);
  g_test_add_func ("/metrics/incremental-midway", test_incremental_midway);
  g_test_add_func ("/metrics/baseline", test_baseline);
  g_test_add_func ("/metrics/varvel-medians", test_varvel_medians);

  return g_test_run ();
}
