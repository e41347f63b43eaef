/* test-beats.c: the beat detector on synthetic arterial waveforms whose every beat is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-beats.h"

typedef struct {
  double start;   /* s */
  double period;  /* s */
  double sbp;
  double dbp;
  double map;
} Truth;

typedef struct {
  double hr_mid;      /* /min */
  double hr_swing;    /* ± /min, slow */
  double noise;       /* mmHg, uniform ± */
} WaveSpec;

/*
 * A pulse: from the foot D_k a sin² upstroke to S_k in t_up = min(0.12 s, 0.3 × period); then an
 * exponential run-off that reaches the next foot D_{k+1} exactly at the end of the beat, with a
 * small dicrotic wave (8 % of the pulse pressure, 120 ms) where the beat is long enough. S and D
 * swing with respiration (0.25 Hz), HR slowly. The truth of each beat is measured on the
 * generated, noisy samples: SBP and MAP the highest and the mean sample over [start, next start),
 * DBP the lower of the two samples around the start (the foot), HR 60 / period.
 */
static float *
make_wave (const WaveSpec *spec,
           double          fs,
           double          seconds,
           guint32         seed,
           GArray         *truth)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize n = (gsize) (fs * seconds);
  float *x = g_new (float, n);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (double));
  double t = 0.1;
  guint k = 0;

  while (t < seconds + 5)
    {
      g_array_append_val (starts, t);
      t += 60.0 / (spec->hr_mid + spec->hr_swing * sin (2 * G_PI * t / 40.0));
    }

  for (gsize i = 0; i < n; i++)
    {
      double ti = i / fs, start, period, tau, s_k, d_k, d_next, t_up, p;

      while (k + 1 < starts->len && g_array_index (starts, double, k + 1) <= ti)
        k++;
      start = g_array_index (starts, double, k);
      period = g_array_index (starts, double, k + 1) - start;
      tau = ti - start;
      s_k = 120 + 8 * sin (2 * G_PI * 0.25 * start);
      d_k = 70 + 4 * sin (2 * G_PI * 0.25 * start + 0.5);
      d_next = 70 + 4 * sin (2 * G_PI * 0.25 * (start + period) + 0.5);
      t_up = MIN (0.12, 0.3 * period);
      if (ti < starts->len && ti < g_array_index (starts, double, 0))
        p = d_k;
      else if (tau < t_up)
        p = d_k + (s_k - d_k) * pow (sin (G_PI / 2 * tau / t_up), 2);
      else
        {
          double tau_d = 0.35;
          double e_end = exp (-(period - t_up) / tau_d);
          double decay = (exp (-(tau - t_up) / tau_d) - e_end) / (1 - e_end);

          p = d_next + (s_k - d_next) * decay;
          if (period > 0.6 && tau >= 0.30 && tau < 0.42)
            p += 0.08 * (s_k - d_k) * sin (G_PI * (tau - 0.30) / 0.12);
        }
      x[i] = (float) (p + g_rand_double_range (rand, -spec->noise, spec->noise));
    }

  for (guint b = 0; b + 1 < starts->len; b++)
    {
      double s0 = g_array_index (starts, double, b), s1 = g_array_index (starts, double, b + 1);
      gsize i0 = (gsize) ceil (s0 * fs), i1 = (gsize) ceil (s1 * fs);
      Truth tr = { s0, s1 - s0, -INFINITY, NAN, 0 };

      if (i1 > n)
        break;
      /* DBP is the pressure at the foot, where this beat's upstroke starts: the lower of the two
       * samples around it. */
      tr.dbp = i0 > 0 ? MIN (x[i0 - 1], x[i0]) : x[i0];
      for (gsize i = i0; i < i1; i++)
        {
          tr.sbp = MAX (tr.sbp, x[i]);
          tr.map += x[i];
        }
      tr.map /= (double) (i1 - i0);
      g_array_append_val (truth, tr);
    }
  return x;
}

/* Every true beat from 2.5 s (after learning) to 1 s before the end is found once, within 1 mmHg
 * and 1 /min; nothing else is found. */
static void
check_recovery (const WaveSpec *spec,
                double          fs,
                double          seconds)
{
  g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (Truth));
  g_autofree float *x = make_wave (spec, fs, seconds, 11, truth);
  g_autoptr(GArray) beats = tt_beats_detect (x, (gsize) (fs * seconds), fs, 0);
  guint matched = 0, expected = 0;
  double worst_map = 0, worst_sbp = 0, worst_dbp = 0, worst_hr = 0;

  for (guint b = 0; b < truth->len; b++)
    {
      const Truth *tr = &g_array_index (truth, Truth, b);
      const TtSample *found = NULL;

      if (tr->start < 2.5 || tr->start + tr->period > seconds - 1)
        continue;
      expected++;
      for (guint i = 0; i < beats->len; i++)
        {
          const TtSample *s = &g_array_index (beats, TtSample, i);

          if (fabs (s->t_ms / 1000.0 - tr->start) < 0.05)
            {
              g_assert_null (found);
              found = s;
            }
        }
      if (found == NULL)
        {
          for (guint i = 0; i < beats->len; i++)
            {
              const TtSample *s = &g_array_index (beats, TtSample, i);

              if (fabs (s->t_ms / 1000.0 - tr->start) < 3)
                g_test_message ("near: t %.3f map %.1f sbp %.1f dbp %.1f hr %.1f q %d",
                                s->t_ms / 1000.0, s->map, s->sbp, s->dbp, s->hr, s->quality);
            }
          g_test_message ("missing true beat at %.3f s (period %.3f)", tr->start, tr->period);
        }
      g_assert_nonnull (found);
      matched++;
      g_assert_cmpint (found->quality, ==, TT_QUALITY_VALID);
      worst_sbp = MAX (worst_sbp, fabs (found->sbp - tr->sbp));
      worst_dbp = MAX (worst_dbp, fabs (found->dbp - tr->dbp));
      worst_map = MAX (worst_map, fabs (found->map - tr->map));
      worst_hr = MAX (worst_hr, fabs (found->hr - 60.0 / tr->period));
    }
  g_test_message ("%.0f Hz, HR %.0f ± %.0f: %u beats; worst errors SBP %.3f, DBP %.3f, MAP %.3f mmHg, "
                  "HR %.3f /min", fs, spec->hr_mid, spec->hr_swing, matched, worst_sbp, worst_dbp,
                  worst_map, worst_hr);
  g_assert_cmpuint (matched, ==, expected);
  g_assert_cmpuint (matched, >, seconds * spec->hr_mid / 60 * 0.8);
  g_assert_cmpfloat (worst_sbp, <=, 1.0);
  g_assert_cmpfloat (worst_dbp, <=, 1.0);
  g_assert_cmpfloat (worst_map, <=, 1.0);
  g_assert_cmpfloat (worst_hr, <=, 1.0);
  /* No extra beats: every beat found is one of the true beats (a true start within 50 ms). */
  for (guint i = 0; i < beats->len; i++)
    {
      const TtSample *s = &g_array_index (beats, TtSample, i);
      gboolean known = FALSE;

      g_assert_cmpfloat (s->hr, >, 0);
      for (guint b = 0; b < truth->len && !known; b++)
        known = fabs (s->t_ms / 1000.0 - g_array_index (truth, Truth, b).start) < 0.05;
      g_assert_true (known);
    }
}

static void
test_recover_125 (void)
{
  WaveSpec spec = { 75, 15, 0.25 };

  check_recovery (&spec, 125, 300);
}

static void
test_recover_500 (void)
{
  WaveSpec spec = { 75, 15, 0.25 };

  check_recovery (&spec, 500, 120);
}

static void
test_recover_slow_fast (void)
{
  WaveSpec slow = { 40, 0, 0.2 };
  WaveSpec fast = { 170, 10, 0.2 };

  check_recovery (&slow, 125, 180);
  check_recovery (&fast, 125, 120);
  check_recovery (&fast, 250, 60);
}

/* Chunk sizes do not change anything. */
static void
test_chunks (void)
{
  WaveSpec spec = { 80, 20, 0.3 };
  g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (Truth));
  gsize n = 125 * 120;
  g_autofree float *x = make_wave (&spec, 125, 120, 5, truth);
  g_autoptr(GArray) whole = tt_beats_detect (x, n, 125, 1000);
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(TtBeats) beats = tt_beats_new (125, 1000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gsize pos = 0;

  while (pos < n)
    {
      gsize want = (gsize) g_rand_int_range (rand, 0, 300);
      gsize len = MIN (n - pos, want);

      tt_beats_feed (beats, x + pos, len, parts);
      pos += len;
    }
  g_assert_cmpuint (parts->len, ==, whole->len);
  g_assert_cmpuint (tt_beats_get_n_beats (beats), ==, whole->len);
  g_assert_cmpuint (tt_beats_get_n_segments (beats), ==, 0);
  for (guint i = 0; i < whole->len; i++)
    {
      const TtSample *a = &g_array_index (whole, TtSample, i);
      const TtSample *b = &g_array_index (parts, TtSample, i);

      g_assert_cmpint (a->t_ms, ==, b->t_ms);
      g_assert_cmpfloat (a->map, ==, b->map);
      g_assert_cmpfloat (a->sbp, ==, b->sbp);
      g_assert_cmpfloat (a->dbp, ==, b->dbp);
      g_assert_cmpfloat (a->hr, ==, b->hr);
      g_assert_cmpint (a->quality, ==, b->quality);
    }
  /* t0 = 1000 ms shifts every time by 1 s. */
  g_assert_cmpint (g_array_index (whole, TtSample, 0).t_ms, >=, 1000 + 2000);
}

static guint
count_in (GArray    *samples,
          double     from_s,
          double     to_s,
          TtQuality  quality)
{
  guint n = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *s = &g_array_index (samples, TtSample, i);

      if (s->t_ms >= from_s * 1000 && s->t_ms < to_s * 1000 && s->quality == quality)
        n++;
    }
  return n;
}

/* A flush (300 mmHg, 5 s), zeroing (0 mmHg, 10 s), a NAN gap (10 s) and a flat trace (80 mmHg,
 * 20 s): each is flagged as what it is (or at least flagged), nothing is counted from the NAN gap,
 * and valid beats come back after each. */
static void
test_artifacts (void)
{
  WaveSpec spec = { 70, 0, 0.2 };
  g_autoptr(GArray) truth = g_array_new (FALSE, FALSE, sizeof (Truth));
  double fs = 125;
  gsize n = (gsize) (fs * 300);
  g_autofree float *x = make_wave (&spec, fs, 300, 9, truth);
  g_autoptr(GArray) out = NULL;

  for (gsize i = 60 * 125; i < 65 * 125; i++)
    x[i] = 300;
  for (gsize i = 100 * 125; i < 110 * 125; i++)
    x[i] = (float) ((i % 7) * 0.3);
  for (gsize i = 150 * 125; i < 160 * 125; i++)
    x[i] = NAN;
  for (gsize i = 200 * 125; i < 220 * 125; i++)
    x[i] = 80.0f + (float) ((i % 5) * 0.2);

  out = tt_beats_detect (x, n, fs, 0);

  for (guint i = 0; i < out->len; i++)
    {
      const TtSample *s = &g_array_index (out, TtSample, i);

      if (i > 0)
        g_assert_cmpint (s->t_ms, >=, g_array_index (out, TtSample, i - 1).t_ms);
      /* Nothing inside the NAN gap, and nothing valid inside any artifact. */
      g_assert_false (s->t_ms >= 150000 && s->t_ms < 160000);
      if ((s->t_ms >= 60000 && s->t_ms < 65000) || (s->t_ms >= 100000 && s->t_ms < 110000) ||
          (s->t_ms >= 200000 && s->t_ms < 220000))
        g_assert_cmpint (s->quality, !=, TT_QUALITY_VALID);
    }
  g_assert_cmpuint (count_in (out, 59, 66, TT_QUALITY_FLUSH), >=, 1);
  g_assert_cmpuint (count_in (out, 99, 111, TT_QUALITY_ZEROING), >=, 1);
  g_assert_cmpuint (count_in (out, 199, 221, TT_QUALITY_FLAT), >=, 3);
  /* Beats resume within 10 s after each artifact. */
  g_assert_cmpuint (count_in (out, 65, 75, TT_QUALITY_VALID), >=, 5);
  g_assert_cmpuint (count_in (out, 110, 120, TT_QUALITY_VALID), >=, 5);
  g_assert_cmpuint (count_in (out, 160, 170, TT_QUALITY_VALID), >=, 5);
  g_assert_cmpuint (count_in (out, 220, 230, TT_QUALITY_VALID), >=, 5);
  /* Far from the artifacts, every beat is valid. */
  g_assert_cmpuint (count_in (out, 30, 59, TT_QUALITY_VALID), >=, 30);
  g_assert_cmpuint (count_in (out, 240, 299, TT_QUALITY_VALID), >=, 60);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beats/recover-125hz", test_recover_125);
  g_test_add_func ("/beats/recover-500hz", test_recover_500);
  g_test_add_func ("/beats/recover-slow-fast", test_recover_slow_fast);
  g_test_add_func ("/beats/chunks", test_chunks);
  g_test_add_func ("/beats/artifacts", test_artifacts);

  return g_test_run ();
}
