/* bench-engine.c: the signal pipeline over 12-hour cases. Prints samples per second and the total
 * time; never fails on speed.
 *
 *  1. A 12-hour case at 1 Hz (43,200 numeric samples): quality classification, the 2-s grid,
 *     incremental metrics in every window, and the advisor at every grid step.
 *  2. A 12-hour 125 Hz arterial waveform (5.4 million points), fed in 1-s chunks as a live feed
 *     would: beat detection (with per-beat classification), the grid, the metrics and the advisor.
 *
 * Generating the data is not timed. Times are the CPU time of this process (one core), so that a
 * busy shared machine does not inflate them, and each is the best of REPEATS runs. The figures go
 * to the TAP output (meson test --verbose).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <time.h>

#include "tt-advisor.h"
#include "tt-beats.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-quality.h"

#define HOURS 12
#define REPEATS 3

/* CPU time of the process in µs. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct {
  TtMetrics *metrics;
  TtAdvisor *advisor;
  guint64    steps;
  guint64    advices;
  guint64    changes;
} Pipeline;

static void
point_cb (const TtGridPoint *point,
          gpointer           user_data)
{
  Pipeline *p = user_data;

  tt_metrics_push (p->metrics, point);
  p->steps++;
}

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  Pipeline *p = user_data;
  g_auto(TtAdvice) advice = { 0, };

  if (p->advisor == NULL)
    return;
  tt_advisor_update (p->advisor, state, &advice);
  p->advices++;
  if (advice.change != 0)
    {
      tt_advisor_rate_set (p->advisor, state->t_ms, advice.rate);
      p->changes++;
    }
  if (advice.bolus)
    tt_advisor_bolus_given (p->advisor, state->t_ms);
}

static void
pipeline_init (Pipeline *p,
               gboolean  with_advisor)
{
  TtMetricsConfig config;

  tt_metrics_config_init (&config);
  config.band_lo = 70;
  config.band_hi = 90;
  config.baseline = 92;
  p->metrics = tt_metrics_new (&config);
  tt_metrics_set_induction (p->metrics, 10 * 60 * 1000);
  p->advisor = NULL;
  if (with_advisor)
    {
      p->advisor = tt_advisor_new (NULL);
      tt_advisor_set_infusion (p->advisor, 20, 72, 0.3);
      tt_advisor_set_band (p->advisor, 70, 90);
      tt_advisor_set_bolus (p->advisor, 10, 20);
      tt_advisor_set_texts (p->advisor, FALSE);
      tt_advisor_rate_set (p->advisor, 0, 0.05);
    }
  p->steps = p->advices = p->changes = 0;
}

static void
pipeline_clear (Pipeline *p)
{
  g_clear_pointer (&p->metrics, tt_metrics_free);
  g_clear_pointer (&p->advisor, tt_advisor_free);
}

static double
map_at (double t_s)
{
  double minutes = t_s / 60.0;

  return 80 + 15 * sin (minutes / 9) + 5 * sin (minutes / 2.3);
}

static void
bench_numeric (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  gsize n = (gsize) HOURS * 3600;
  g_autofree TtSample *samples = g_new (TtSample, n);

  for (gsize i = 0; i < n; i++)
    {
      double map = map_at (i) + g_rand_double_range (rand, -2, 2);

      samples[i] = tt_sample_init ((gint64) i * 1000, map);
      samples[i].sbp = map + 35;
      samples[i].dbp = map - 18;
      samples[i].hr = 70;
      if (g_rand_int_range (rand, 0, 500) == 0)
        samples[i].map = samples[i].sbp = samples[i].dbp = 300;   /* a flush */
    }

  for (int with_advisor = 0; with_advisor < 2; with_advisor++)
    for (int r = 0; r < REPEATS; r++)
    {
      g_autoptr(TtQualityClassifier) classifier = tt_quality_classifier_new ();
      g_autoptr(TtGrid) grid = NULL;
      Pipeline p;
      TtWindowMetrics w;
      gint64 start, elapsed;
      static gint64 best;

      if (r == 0)
        best = G_MAXINT64;
      pipeline_init (&p, with_advisor);
      grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, point_cb, state_cb, &p);
      start = cpu_now ();
      for (gsize i = 0; i < n; i++)
        {
          TtSample s = samples[i];

          tt_quality_classifier_push (classifier, &s);
          tt_grid_push (grid, &s);
        }
      tt_grid_finish (grid);
      for (TtMetricsWindow win = 0; win < TT_N_WINDOWS; win++)
        g_assert_true (tt_metrics_get (p.metrics, win, &w));
      elapsed = MAX (cpu_now () - start, 1);
      best = elapsed = MIN (best, elapsed);
      if (r < REPEATS - 1)
        {
          pipeline_clear (&p);
          continue;
        }

      g_test_message ("1 Hz, %d h: %" G_GSIZE_FORMAT " samples, %" G_GUINT64_FORMAT
                      " grid steps: quality + grid + metrics%s in %.4f s = %.2f M samples/s "
                      "(case: valid %.1f min, time < 65 %.1f min, ARV %.2f mmHg/min on 2 s)",
                      HOURS, n, p.steps, with_advisor ? " + advisor" : "", elapsed / 1e6,
                      n / (elapsed / 1e6) / 1e6, w.valid_min, w.below[0].time_min,
                      w.arv_mmhg_per_min);
      g_assert_cmpfloat (w.valid_min, >, HOURS * 60 * 0.95);
      pipeline_clear (&p);
    }
}

/* A 125 Hz pressure waveform around map_at (t): HR 60–90, sin² upstroke, exponential run-off,
 * respiratory swing, noise, and a flush every 20 min. */
static float *
make_wave (gsize n,
           double fs)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  float *x = g_new (float, n);
  double start = 0, period = 0.8, d = 70, s = 110, d_next = 70;

  for (gsize i = 0; i < n; i++)
    {
      double t = i / fs, tau = t - start, p;

      if (tau >= period)
        {
          start += period;
          tau = t - start;
          period = 60.0 / (75 + 15 * sin (t / 300));
          d = d_next;
          s = map_at (t) + 25 + 4 * sin (2 * G_PI * 0.25 * t);
          d_next = map_at (t + period) - 12 + 3 * sin (2 * G_PI * 0.25 * t + 0.5);
        }
      if (tau < 0.12)
        p = d + (s - d) * pow (sin (G_PI / 2 * tau / 0.12), 2);
      else
        {
          double e_end = exp (-(period - 0.12) / 0.35);

          p = d_next + (s - d_next) * (exp (-(tau - 0.12) / 0.35) - e_end) / (1 - e_end);
        }
      if (fmod (t, 1200) < 4 && t > 60)
        p = 300;
      x[i] = (float) (p + g_rand_double_range (rand, -0.3, 0.3));
    }
  return x;
}

static void
bench_waveform (void)
{
  const double fs = 125;
  gsize n = (gsize) (HOURS * 3600 * fs);
  g_autofree float *x = make_wave (n, fs);

  for (int with_advisor = 0; with_advisor < 2; with_advisor++)
    for (int r = 0; r < REPEATS; r++)
    {
      g_autoptr(TtBeats) beats = tt_beats_new (fs, 0);
      g_autoptr(TtGrid) grid = NULL;
      g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (TtSample));
      Pipeline p;
      TtWindowMetrics w;
      gint64 start, elapsed, beats_only;
      guint64 n_valid = 0;
      static gint64 best, best_beats;

      if (r == 0)
        best = best_beats = G_MAXINT64;

      /* Beat detection alone, for the split. */
      start = cpu_now ();
      {
        g_autoptr(TtBeats) alone = tt_beats_new (fs, 0);
        g_autoptr(GArray) tmp = g_array_new (FALSE, FALSE, sizeof (TtSample));

        for (gsize pos = 0; pos < n; pos += (gsize) fs)
          {
            tt_beats_feed (alone, x + pos, MIN ((gsize) fs, n - pos), tmp);
            g_array_set_size (tmp, 0);
          }
      }
      beats_only = MAX (cpu_now () - start, 1);

      pipeline_init (&p, with_advisor);
      grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, point_cb, state_cb, &p);
      start = cpu_now ();
      for (gsize pos = 0; pos < n; pos += (gsize) fs)
        {
          tt_beats_feed (beats, x + pos, MIN ((gsize) fs, n - pos), out);
          for (guint i = 0; i < out->len; i++)
            {
              const TtSample *s = &g_array_index (out, TtSample, i);

              n_valid += s->quality == TT_QUALITY_VALID;
              tt_grid_push (grid, s);
            }
          g_array_set_size (out, 0);
        }
      tt_grid_finish (grid);
      for (TtMetricsWindow win = 0; win < TT_N_WINDOWS; win++)
        g_assert_true (tt_metrics_get (p.metrics, win, &w));
      elapsed = MAX (cpu_now () - start, 1);
      best = elapsed = MIN (best, elapsed);
      best_beats = beats_only = MIN (best_beats, beats_only);
      if (r < REPEATS - 1)
        {
          pipeline_clear (&p);
          continue;
        }

      g_test_message ("125 Hz waveform, %d h: %" G_GSIZE_FORMAT " points, %" G_GUINT64_FORMAT
                      " beats (%" G_GUINT64_FORMAT " valid), %" G_GUINT64_FORMAT " segments: beats + "
                      "grid + metrics%s in %.3f s = %.1f M points/s (beat detection alone %.3f s)",
                      HOURS, n, tt_beats_get_n_beats (beats), n_valid,
                      tt_beats_get_n_segments (beats), with_advisor ? " + advisor" : "",
                      elapsed / 1e6, n / (elapsed / 1e6) / 1e6, beats_only / 1e6);
      g_test_message ("  case: valid %.1f min, excluded %.1f min, mean %.1f mmHg, ARV %.2f mmHg/min "
                      "on 2 s, %" G_GUINT64_FORMAT " advices, %" G_GUINT64_FORMAT " rate changes",
                      w.valid_min, w.excluded_min, w.mean_mmhg, w.arv_mmhg_per_min, p.advices,
                      p.changes);
      /* ~75 beats/min for 12 h. */
      g_assert_cmpuint (tt_beats_get_n_beats (beats), >, HOURS * 60 * 60);
      g_assert_cmpfloat (w.valid_min, >, HOURS * 60 * 0.95);
      pipeline_clear (&p);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/engine/numeric-1hz-12h", bench_numeric);
  g_test_add_func ("/bench/engine/waveform-125hz-12h", bench_waveform);

  return g_test_run ();
}
