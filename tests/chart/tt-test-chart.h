/* tt-test-chart.h: the chart of the monitor wireframe, filled the same way by the chart tests, the
 * GUI test and the benchmark (header-only, one copy per test binary).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "tt-chart.h"

#define TT_TEST_INDUCTION_MS  (G_GINT64_CONSTANT (600000))   /* induction at 10 min of case time */

/* MAP around induction: a baseline of 96 mmHg, a fall after induction, a brief recovery after the
 * bolus, then 52 mmHg; noise from a fixed seed so that every run draws the same picture. With
 * @hz 125 the series is a pressure waveform (systole and diastole around the same MAP). */
static inline double
tt_test_chart_map_at (double minutes)
{
  double m = minutes - TT_TEST_INDUCTION_MS / 60000.0;

  if (m < 0)
    return 96;
  if (m < 3)
    return 96 - m * 10;
  if (m < 4.5)
    return 66 + 5 * sin ((m - 3) * 2.1);
  return 52 + 2 * exp (-(m - 4.5));
}

static inline void
tt_test_chart_fill (TtChart *chart,
                    double   hz,
                    double   minutes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize n = (gsize) (minutes * 60 * hz);
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *v = g_new (double, n);
  gint64 induction = TT_TEST_INDUCTION_MS;

  for (gsize i = 0; i < n; i++)
    {
      double minute = i / (60 * hz);
      double noise = g_rand_double_range (rand, -2.5, 2.5);

      t[i] = (gint64) llround (i * 1000.0 / hz);
      v[i] = tt_test_chart_map_at (minute) + noise;
      if (hz > 10)
        v[i] += 20 * sin (2 * G_PI * 1.2 * i / hz);
    }
  g_assert_true (tt_chart_set_map (chart, t, v, n, &error));
  g_assert_no_error (error);
  g_assert_true (tt_chart_set_band (chart, 70, 90, &error));
  g_assert_true (tt_chart_set_thresholds (chart, 65, 60, &error));
  g_assert_true (tt_chart_set_rate_ml_h_factor (chart, 72 * 60 / 20.0, &error));
  tt_chart_set_reference (chart, induction);
  tt_chart_add_event (chart, induction, "Induction");
  tt_chart_add_event (chart, induction + 150000, "Intubation");
  tt_chart_add_event (chart, induction + 330000, "Bolus 10 µg");
  g_assert_true (tt_chart_add_excluded (chart, induction + 80000, induction + 95000,
                                        "flush, excluded", &error));
  g_assert_true (tt_chart_append_rate (chart, induction, 0.05, &error));
  g_assert_true (tt_chart_append_rate (chart, induction + 120000, 0.07, &error));
  g_assert_true (tt_chart_append_rate (chart, induction + 270000, 0.09, &error));
  g_assert_no_error (error);
}
