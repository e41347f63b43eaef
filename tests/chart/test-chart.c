/* test-chart.c: the chart's data preparation, validation and offscreen rendering (no display).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tt-chart.h"
#include "tt-test-chart.h"

static TtChartLine
line_new (void)
{
  return (TtChartLine) {
    g_array_new (FALSE, FALSE, sizeof (double)),
    g_array_new (FALSE, FALSE, sizeof (double)),
    g_array_new (FALSE, FALSE, sizeof (guint)),
  };
}

static void
line_free (TtChartLine *line)
{
  g_array_unref (line->x);
  g_array_unref (line->y);
  g_array_unref (line->runs);
}

static double
x_ms (const TtChartLine *line,
      guint              i)
{
  return round (g_array_index (line->x, double, i) * 60000);
}

static double
y_at (const TtChartLine *line,
      guint              i)
{
  return g_array_index (line->y, double, i);
}

static guint
run_at (const TtChartLine *line,
        guint              i)
{
  return g_array_index (line->runs, guint, i);
}

static void
test_reduce_by_hand (void)
{
  /* Two columns of four samples: column 0 keeps its minimum (1 at 1 ms) and maximum (9 at 2 ms)
   * in time order; column 1 is flat and keeps one point. */
  const gint64 t[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  const double v[] = { 5, 1, 9, 3, 4, 4, 4, 4 };
  TtChartLine line = line_new ();

  tt_chart_reduce (t, v, G_N_ELEMENTS (t), 0, 8, 2, 1000, 0, &line);
  g_assert_cmpuint (line.x->len, ==, 3);
  g_assert_cmpfloat (x_ms (&line, 0), ==, 1);
  g_assert_cmpfloat (y_at (&line, 0), ==, 1);
  g_assert_cmpfloat (x_ms (&line, 1), ==, 2);
  g_assert_cmpfloat (y_at (&line, 1), ==, 9);
  g_assert_cmpfloat (x_ms (&line, 2), ==, 4);
  g_assert_cmpfloat (y_at (&line, 2), ==, 4);
  g_assert_cmpuint (line.runs->len, ==, 1);
  g_assert_cmpuint (run_at (&line, 0), ==, 3);

  /* Maximum before minimum stays in that order. */
  g_array_set_size (line.x, 0);
  g_array_set_size (line.y, 0);
  g_array_set_size (line.runs, 0);
  {
    const double w[] = { 5, 9, 1, 3 };

    tt_chart_reduce (t, w, 4, 0, 4, 1, 1000, 0, &line);
    g_assert_cmpuint (line.x->len, ==, 2);
    g_assert_cmpfloat (y_at (&line, 0), ==, 9);
    g_assert_cmpfloat (y_at (&line, 1), ==, 1);
  }
  line_free (&line);
}

static void
test_reduce_keeps_extremes (void)
{
  /* A 60-minute 125 Hz waveform onto 1000 columns: every column's minimum and maximum survive
   * exactly, and nothing else does. */
  const gsize n = 60 * 60 * 125;
  const guint columns = 1000;
  const gint64 start = 0, end = 3600000;
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *v = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree double *lo = g_new (double, columns);
  g_autofree double *hi = g_new (double, columns);
  g_autofree guint *count = g_new0 (guint, columns);
  TtChartLine line = line_new ();

  for (guint c = 0; c < columns; c++)
    {
      lo[c] = INFINITY;
      hi[c] = -INFINITY;
    }
  for (gsize i = 0; i < n; i++)
    {
      guint c;

      t[i] = (gint64) i * 8;
      v[i] = 80 + 25 * sin (i * 0.06) + g_rand_double_range (rand, -5, 5);
      c = (guint) (t[i] * columns / (end - start));
      lo[c] = MIN (lo[c], v[i]);
      hi[c] = MAX (hi[c], v[i]);
    }

  tt_chart_reduce (t, v, n, start, end, columns, 1000, 0, &line);
  g_assert_cmpuint (line.x->len, ==, 2 * columns);
  g_assert_cmpuint (line.runs->len, ==, 1);
  for (guint i = 0; i < line.x->len; i++)
    {
      guint c = (guint) (x_ms (&line, i) * columns / (end - start));
      double y = y_at (&line, i);

      g_assert_true (y == lo[c] || y == hi[c]);
      count[c]++;
    }
  for (guint i = 0; i < line.x->len; i += 2)
    {
      guint c = (guint) (x_ms (&line, i) * columns / (end - start));

      g_assert_cmpuint (count[c], ==, 2);
      g_assert_cmpfloat (MIN (y_at (&line, i), y_at (&line, i + 1)), ==, lo[c]);
      g_assert_cmpfloat (MAX (y_at (&line, i), y_at (&line, i + 1)), ==, hi[c]);
    }
  line_free (&line);
}

static void
test_reduce_edges_and_gaps (void)
{
  /* 1 Hz samples, window [10 s, 20 s) on 10 columns: one sample each side is kept so the line
   * reaches the edges; a NAN at 14 s and a 7 s gap after 17 s break the line. */
  const gint64 t[] = { 0, 9000, 10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000,
                       24000, 30000 };
  const double v[] = { 1, 2, 3, 4, 5, 6, NAN, 8, 9, 10, 11, 12 };
  TtChartLine line = line_new ();

  tt_chart_reduce (t, v, G_N_ELEMENTS (t), 10000, 20000, 10, 5000, 10000, &line);
  /* Runs: 9 s … 13 s (5 points), 15 s … 17 s (3 points), 24 s alone (1 point). */
  g_assert_cmpuint (line.runs->len, ==, 3);
  g_assert_cmpuint (run_at (&line, 0), ==, 5);
  g_assert_cmpuint (run_at (&line, 1), ==, 3);
  g_assert_cmpuint (run_at (&line, 2), ==, 1);
  g_assert_cmpfloat (x_ms (&line, 0), ==, -1000);
  g_assert_cmpfloat (y_at (&line, 0), ==, 2);
  g_assert_cmpfloat (x_ms (&line, 4), ==, 3000);
  g_assert_cmpfloat (x_ms (&line, 5), ==, 5000);
  g_assert_cmpfloat (x_ms (&line, 8), ==, 14000);
  g_assert_cmpfloat (y_at (&line, 8), ==, 11);
  line_free (&line);
}

static TtChart *
chart_with_map (gsize n)
{
  TtChart *chart = tt_chart_new ();
  g_autofree gint64 *t = g_new (gint64, n);
  g_autofree double *v = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      t[i] = (gint64) i * 1000;
      v[i] = 80;
    }
  g_assert_true (tt_chart_set_map (chart, t, v, n, NULL));
  return chart;
}

static void
test_prepare_layout (void)
{
  g_autoptr(TtChart) chart = chart_with_map (16 * 60 + 1);
  g_autoptr(TtChartFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  TtChartStyle style;

  tt_chart_style_init_light (&style);
  style.font_px = 10;
  tt_chart_set_style (chart, &style);
  tt_chart_set_reference (chart, 600000);
  frame = tt_chart_prepare (chart, 1280, 400, &error);
  g_assert_no_error (error);

  /* Following the data: the window ends at the last sample (16 min), 15 min long; x is in
   * minutes from the reference at 10 min. Margins: 3.4, 2.8 font heights left and right (no rate),
   * 2 above and 3.9 below. */
  g_assert_cmpfloat (frame->x_min, ==, -9);
  g_assert_cmpfloat (frame->x_max, ==, 6);
  g_assert_cmpfloat (frame->plot_x, ==, 34);
  g_assert_cmpfloat (frame->plot_y, ==, 20);
  g_assert_cmpfloat (frame->plot_w, ==, 1280 - 34 - 28);
  g_assert_cmpfloat (frame->plot_h, ==, 400 - 20 - 39);
  g_assert_cmpuint (frame->columns, ==, 1218);
  /* A flat 80 mmHg stays on the default 40–120 mmHg axis with a label every 20 mmHg; 15 min get
   * a label every 2 min. */
  g_assert_cmpfloat (frame->y_min, ==, 40);
  g_assert_cmpfloat (frame->y_max, ==, 120);
  g_assert_cmpfloat (frame->y_tick, ==, 20);
  g_assert_cmpfloat (frame->x_tick, ==, 2);
  g_assert_cmpfloat (frame->rate_max, ==, 0);
  g_assert_true (isnan (frame->band_lower));
  /* 901 samples in the window plus the one before it; each second falls in its own column. */
  g_assert_cmpuint (frame->map.x->len, ==, 902);

  /* A click on the trend: the plot's left edge is 1 min (10 min − 9), its right edge 16 min, its
   * middle 8.5 min; left of the plot clamps to its edge. */
  {
    gint64 t = -1;

    g_assert_true (tt_chart_time_at (chart, 1280, 400, 34, &t));
    g_assert_cmpint (t, ==, 60000);
    g_assert_true (tt_chart_time_at (chart, 1280, 400, 34 + 1218, &t));
    g_assert_cmpint (t, ==, 960000);
    g_assert_true (tt_chart_time_at (chart, 1280, 400, 34 + 609, &t));
    g_assert_cmpint (t, ==, 510000);
    g_assert_true (tt_chart_time_at (chart, 1280, 400, 0, &t));
    g_assert_cmpint (t, ==, 60000);
    g_assert_false (tt_chart_time_at (chart, 10, 10, 5, &t));
  }
}

static void
test_prepare_y_range (void)
{
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(TtChartFrame) frame = NULL;
  const gint64 t[] = { 0, 1000, 2000, 3000 };
  const double v[] = { 150, 33, 90, 300 };

  /* The 300 mmHg sample is inside an excluded flush and does not stretch the axis; 33 and 150
   * extend it to 20–160 with a label every 20 mmHg. */
  g_assert_true (tt_chart_set_map (chart, t, v, 4, NULL));
  g_assert_true (tt_chart_add_excluded (chart, 2500, 3500, "flush", NULL));
  g_assert_true (tt_chart_set_window (chart, 4000, 60000, NULL));
  frame = tt_chart_prepare (chart, 800, 300, NULL);
  g_assert_nonnull (frame);
  g_assert_cmpfloat (frame->y_min, ==, 20);
  g_assert_cmpfloat (frame->y_max, ==, 160);
  g_assert_cmpfloat (frame->y_tick, ==, 20);
  g_assert_cmpuint (frame->map.runs->len, ==, 1);
  g_assert_cmpuint (run_at (&frame->map, 0), ==, 3);
  g_assert_cmpuint (frame->excluded->len, ==, 1);
  g_assert_cmpfloat (round (g_array_index (frame->excluded, TtChartFrameSegment, 0).x0 * 60000),
                     ==, 2500);
  /* Clipped to the window's end at 4 s. */
  g_assert_cmpfloat (round (g_array_index (frame->excluded, TtChartFrameSegment, 0).x1 * 60000),
                     ==, 3500);

  /* A fixed axis is kept as given. */
  g_assert_true (tt_chart_set_y_range (chart, 50, 100, NULL));
  g_clear_pointer (&frame, tt_chart_frame_free);
  frame = tt_chart_prepare (chart, 800, 300, NULL);
  g_assert_cmpfloat (frame->y_min, ==, 50);
  g_assert_cmpfloat (frame->y_max, ==, 100);
  g_assert_cmpfloat (frame->y_tick, ==, 10);
}

static void
test_prepare_step_line (void)
{
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(TtChartFrame) frame = NULL;

  /* 0.05 from 0, 0.07 from 2 min, 0.09 from 4 min; the window 1–5 min starts inside the first
   * step and ends in the last. */
  g_assert_true (tt_chart_append_rate (chart, 0, 0.05, NULL));
  g_assert_true (tt_chart_append_rate (chart, 120000, 0.07, NULL));
  g_assert_true (tt_chart_append_rate (chart, 240000, 0.09, NULL));
  g_assert_true (tt_chart_set_window (chart, 300000, 240000, NULL));
  frame = tt_chart_prepare (chart, 800, 300, NULL);
  g_assert_nonnull (frame);

  g_assert_cmpuint (frame->rate.x->len, ==, 6);
  {
    const double xs[] = { 1, 2, 2, 4, 4, 5 };
    const double ys[] = { 0.05, 0.05, 0.07, 0.07, 0.09, 0.09 };

    for (guint i = 0; i < 6; i++)
      {
        g_assert_cmpfloat (g_array_index (frame->rate.x, double, i), ==, xs[i]);
        g_assert_cmpfloat (g_array_index (frame->rate.y, double, i), ==, ys[i]);
      }
  }
  g_assert_cmpfloat (frame->rate_now, ==, 0.09);
  /* The axis holds 2.5 × 0.09 at least 0.5 µg/kg/min over the MAP axis' four grid intervals:
   * 0.125 a tick rounds up to 0.2, so the axis reaches 0.8. */
  g_assert_cmpfloat (frame->rate_tick, ==, 0.2);
  g_assert_cmpfloat (frame->rate_max, ==, 0.8);

  /* A window before the first change shows no line. */
  g_assert_true (tt_chart_set_window (chart, -1000, 60000, NULL));
  g_clear_pointer (&frame, tt_chart_frame_free);
  frame = tt_chart_prepare (chart, 800, 300, NULL);
  g_assert_cmpfloat (frame->rate_max, ==, 0);
  g_assert_cmpuint (frame->rate.x->len, ==, 0);
}

static void
test_window_follow_and_scroll (void)
{
  g_autoptr(TtChart) chart = chart_with_map (3601);   /* 0 … 60 min */
  gint64 start, end;

  g_assert_true (tt_chart_set_span (chart, 5 * 60000, NULL));
  g_assert_true (tt_chart_get_follow (chart));
  tt_chart_get_window (chart, &start, &end);
  g_assert_cmpint (start, ==, 55 * 60000);
  g_assert_cmpint (end, ==, 60 * 60000);

  tt_chart_scroll (chart, -10 * 60000);
  g_assert_false (tt_chart_get_follow (chart));
  tt_chart_get_window (chart, &start, &end);
  g_assert_cmpint (end, ==, 50 * 60000);

  /* A new sample does not move a window that was scrolled back. */
  g_assert_true (tt_chart_append_map (chart, 3601000, 81, NULL));
  tt_chart_get_window (chart, NULL, &end);
  g_assert_cmpint (end, ==, 50 * 60000);

  /* Scrolling back stops a quarter window after the first sample. */
  tt_chart_scroll (chart, -100 * 60000);
  tt_chart_get_window (chart, NULL, &end);
  g_assert_cmpint (end, ==, 75000);

  /* Scrolling past the latest data follows again. */
  tt_chart_scroll (chart, 200 * 60000);
  g_assert_true (tt_chart_get_follow (chart));
  tt_chart_get_window (chart, NULL, &end);
  g_assert_cmpint (end, ==, 3601000);
}

static void
test_events_and_labels (void)
{
  g_autoptr(TtChart) chart = chart_with_map (601);
  g_autoptr(TtChartFrame) frame = NULL;
  TtChartFrameEvent *event;

  tt_chart_set_reference (chart, 300000);
  tt_chart_add_event (chart, 360000, "Intubation");
  tt_chart_add_event (chart, 300000, "Induction");
  tt_chart_add_event (chart, 305000, "Bolus 10 µg");
  tt_chart_add_event (chart, 100000, "Too early");
  tt_chart_add_event (chart, 599000, "Note");
  g_assert_true (tt_chart_set_span (chart, 5 * 60000, NULL));
  frame = tt_chart_prepare (chart, 800, 300, NULL);

  /* Visible and in time order; labels that would collide move down a row, and the label at the
   * right edge sits left of its line. */
  g_assert_cmpuint (frame->events->len, ==, 4);
  event = &g_array_index (frame->events, TtChartFrameEvent, 0);
  g_assert_cmpstr (event->label, ==, "Induction");
  g_assert_cmpfloat (event->x, ==, 0);
  g_assert_cmpuint (event->row, ==, 0);
  g_assert_false (event->left);
  event = &g_array_index (frame->events, TtChartFrameEvent, 1);
  g_assert_cmpstr (event->label, ==, "Bolus 10 µg");
  g_assert_cmpuint (event->row, ==, 1);
  event = &g_array_index (frame->events, TtChartFrameEvent, 2);
  g_assert_cmpstr (event->label, ==, "Intubation");
  g_assert_cmpfloat (event->x, ==, 1);
  g_assert_cmpuint (event->row, ==, 0);
  event = &g_array_index (frame->events, TtChartFrameEvent, 3);
  g_assert_cmpstr (event->label, ==, "Note");
  g_assert_true (event->left);

  {
    g_autofree char *minus = tt_chart_format_time (chart, -9);
    g_autofree char *zero = tt_chart_format_time (chart, 0);
    g_autofree char *plus = tt_chart_format_time (chart, 1);

    g_assert_cmpstr (minus, ==, "-9 min");
    g_assert_cmpstr (zero, ==, "0");
    g_assert_cmpstr (plus, ==, "+1 min");
  }
  {
    g_autoptr(GDateTime) start = g_date_time_new_utc (2025, 3, 4, 23, 50, 30);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    /* Clock labels count minutes from midnight of the case's first day, so the ticks are whole
     * clock minutes; the case started at 23:50:30, so case time 10 min is 00:00:30 tomorrow. */
    tt_chart_set_labels (chart, TT_CHART_LABELS_CLOCK, start);
    g_clear_pointer (&frame, tt_chart_frame_free);
    g_assert_true (tt_chart_set_window (chart, 600000, 600000, NULL));
    frame = tt_chart_prepare (chart, 800, 300, NULL);
    g_assert_cmpfloat (frame->x_min, ==, 23 * 60 + 50.5);
    g_assert_cmpfloat (frame->x_max, ==, 24 * 60 + 0.5);
    before = tt_chart_format_time (chart, 23 * 60 + 58);
    after = tt_chart_format_time (chart, 24 * 60 + 1);
    g_assert_cmpstr (before, ==, "23:58");
    g_assert_cmpstr (after, ==, "00:01");
  }
}

static void
test_traces (void)
{
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(TtChartFrame) frame = NULL;
  const gint64 t[] = { 0, 60000, 120000 };
  const double a[] = { 80, 70, 75 };
  const double b[] = { 85, 64, 72 };
  const double c[] = { 90, 130, 72 };
  TtChartColor blue = { 0.1, 0.4, 0.8, 0.5 };
  TtChartColor red = { 0.8, 0.2, 0.1, 0.5 };
  TtChartFrameTrace *trace;

  g_assert_true (tt_chart_add_trace (chart, "Infusion", &blue, t, a, 3, NULL));
  g_assert_true (tt_chart_add_trace (chart, "Infusion", &blue, t, b, 3, NULL));
  g_assert_true (tt_chart_add_trace (chart, "Boluses", &red, t, c, 3, NULL));
  g_assert_true (tt_chart_set_span (chart, 120000, NULL));
  frame = tt_chart_prepare (chart, 800, 300, NULL);

  g_assert_cmpuint (frame->traces->len, ==, 3);
  trace = g_ptr_array_index (frame->traces, 0);
  g_assert_cmpstr (trace->label, ==, "Infusion");
  g_assert_cmpfloat (trace->color.blue, ==, 0.8);
  g_assert_cmpuint (trace->line.x->len, ==, 3);
  trace = g_ptr_array_index (frame->traces, 1);
  g_assert_null (trace->label);
  trace = g_ptr_array_index (frame->traces, 2);
  g_assert_cmpstr (trace->label, ==, "Boluses");
  g_assert_cmpuint (frame->map.x->len, ==, 0);
  /* 130 mmHg stretches the axis to 140 with a label every 20 mmHg. */
  g_assert_cmpfloat (frame->y_max, ==, 140);

  tt_chart_clear_traces (chart);
  g_clear_pointer (&frame, tt_chart_frame_free);
  frame = tt_chart_prepare (chart, 800, 300, NULL);
  g_assert_cmpuint (frame->traces->len, ==, 0);
}

static void
test_validation (void)
{
  g_autoptr(TtChart) chart = chart_with_map (10);
  g_autoptr(GError) error = NULL;
  const gint64 backwards[] = { 0, 2000, 1000 };
  const double values[] = { 80, 81, 82 };
  const double infinite[] = { 80, INFINITY, 82 };
  const gint64 forwards[] = { 0, 1000, 2000 };

  g_assert_false (tt_chart_set_map (chart, backwards, values, 3, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "MAP sample 2: time 1000 ms is before the previous "
                   "sample's 2000 ms; times must not decrease");
  g_clear_error (&error);
  /* The chart kept its data. */
  g_assert_cmpuint (tt_chart_get_n_map (chart), ==, 10);

  g_assert_false (tt_chart_set_map (chart, forwards, infinite, 3, &error));
  g_assert_cmpstr (error->message, ==, "MAP sample 1: value inf is not a finite number");
  g_clear_error (&error);

  g_assert_false (tt_chart_append_map (chart, 5000, 80, &error));
  g_assert_cmpstr (error->message, ==, "MAP sample 0: time 5000 ms is before the previous "
                   "sample's 9000 ms; times must not decrease");
  g_clear_error (&error);

  g_assert_false (tt_chart_set_band (chart, NAN, 90, &error));
  g_assert_cmpstr (error->message, ==, "Target band lower bound nan mmHg cannot be drawn; it must "
                   "be between 0 and 300 mmHg");
  g_clear_error (&error);
  g_assert_false (tt_chart_set_band (chart, 90, 70, &error));
  g_assert_cmpstr (error->message, ==, "Target band 90–70 mmHg is inverted or empty; the lower "
                   "bound must be below the upper bound");
  g_clear_error (&error);
  g_assert_false (tt_chart_set_thresholds (chart, 65, -1, &error));
  g_assert_cmpstr (error->message, ==, "Critical threshold -1 mmHg cannot be drawn; it must be "
                   "between 0 and 300 mmHg");
  g_clear_error (&error);

  g_assert_false (tt_chart_set_window (chart, 10000, 0, &error));
  g_assert_cmpstr (error->message, ==, "Chart window of 0 ms is empty, inverted or too long; it "
                   "must be between 1 s and 24 h");
  g_clear_error (&error);
  g_assert_false (tt_chart_set_span (chart, -60000, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (tt_chart_set_y_range (chart, NAN, 120, &error));
  g_assert_cmpstr (error->message, ==, "MAP axis nan–120 mmHg is not a range that can be drawn; "
                   "it must rise within 0–400 mmHg");
  g_clear_error (&error);
  g_assert_false (tt_chart_set_y_range (chart, 120, 40, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (tt_chart_append_rate (chart, 0, NAN, &error));
  g_assert_cmpstr (error->message, ==, "NE rate nan µg/kg/min cannot be drawn; it must be between "
                   "0 and 100 µg/kg/min");
  g_clear_error (&error);
  g_assert_false (tt_chart_add_excluded (chart, 5000, 5000, "flush", &error));
  g_assert_cmpstr (error->message, ==, "Excluded segment 5000–5000 ms is inverted or empty; its "
                   "end must be after its start");
  g_clear_error (&error);

  /* Nothing reaches PLplot from a surface too small for the axes. */
  g_assert_null (tt_chart_prepare (chart, 100, 50, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL);
  g_assert_cmpstr (error->message, ==, "Chart size 100 × 50 pixels cannot be drawn; it must be "
                   "between 160 × 120 and 16384 × 16384");
  g_clear_error (&error);
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
    cairo_t *cr = cairo_create (surface);

    g_assert_false (tt_chart_draw (chart, cr, 0, -5, &error));
    g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL);
    g_clear_error (&error);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  {
    TtChartStyle style;

    tt_chart_style_init_light (&style);
    style.font_px = NAN;
    tt_chart_set_style (chart, &style);
    g_assert_null (tt_chart_prepare (chart, 800, 300, &error));
    g_assert_cmpstr (error->message, ==, "Chart style: font nan px or line 2 px is out of range "
                     "(font 4–200 px, line 0–50 px)");
  }
}

static void
test_describe (void)
{
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autofree char *empty = tt_chart_describe (chart);
  g_autofree char *text = NULL;
  g_autofree char *steady = NULL;

  g_assert_cmpstr (empty, ==, "No MAP yet");

  /* MAP falls 3 mmHg/min over the last minute to 53 mmHg; the last sample (40 mmHg) is in an
   * excluded segment and does not count. */
  for (int s = 0; s <= 60; s++)
    g_assert_true (tt_chart_append_map (chart, 60000 + s * 1000, 56 - 3 * s / 60.0, NULL));
  g_assert_true (tt_chart_append_map (chart, 121000, 40, NULL));
  g_assert_true (tt_chart_add_excluded (chart, 120500, 122000, "flush", NULL));
  g_assert_true (tt_chart_set_band (chart, 70, 90, NULL));
  g_assert_true (tt_chart_set_thresholds (chart, 65, 50, NULL));
  g_assert_true (tt_chart_append_rate (chart, 0, 0.07, NULL));
  g_assert_true (tt_chart_append_rate (chart, 100000, 0.09, NULL));
  text = tt_chart_describe (chart);
  g_assert_cmpstr (text, ==, "MAP 53 mmHg, below the target band 70–90 mmHg, falling 3 mmHg/min; "
                   "NE 0.09 µg/kg/min");

  g_clear_pointer (&text, g_free);
  g_assert_true (tt_chart_set_rate_ml_h_factor (chart, 72 * 60 / 20.0, NULL));
  g_assert_true (tt_chart_set_thresholds (chart, 65, 60, NULL));
  text = tt_chart_describe (chart);
  g_assert_cmpstr (text, ==, "MAP 53 mmHg, below the target band 70–90 mmHg, below the critical "
                   "threshold 60 mmHg, falling 3 mmHg/min; NE 0.09 µg/kg/min (19.4 mL/h)");

  g_assert_true (tt_chart_append_map (chart, 130000, 80, NULL));
  g_assert_true (tt_chart_set_band (chart, 75, 95, NULL));
  steady = tt_chart_describe (chart);
  g_assert_nonnull (strstr (steady, "MAP 80 mmHg, in the target band 75–95 mmHg, rising "));
}

/* Rendering */

static char *
build_path (const char *name)
{
  const char *dir = g_getenv ("TITRATE_BUILD_DIR");
  g_autofree char *charts = g_build_filename (dir ? dir : ".", "chart", NULL);

  g_assert_cmpint (g_mkdir_with_parents (charts, 0755), ==, 0);
  return g_build_filename (charts, name, NULL);
}

static cairo_surface_t *
render (TtChart *chart,
        int      width,
        int      height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_chart_draw (chart, cr, width, height, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
}

/* Fraction of pixels whose colour differs by more than @tolerance (0–255) in some channel. */
static double
compare_images (cairo_surface_t *a,
                cairo_surface_t *b,
                int              tolerance)
{
  int width = cairo_image_surface_get_width (a);
  int height = cairo_image_surface_get_height (a);
  guint64 differing = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = pixel (a, x, y), q = pixel (b, x, y);

        for (int shift = 0; shift < 32; shift += 8)
          if (ABS ((int) ((p >> shift) & 0xff) - (int) ((q >> shift) & 0xff)) > tolerance)
            {
              differing++;
              break;
            }
      }
  return (double) differing / ((double) width * height);
}

static void
test_golden (gconstpointer data)
{
  const char *name = data;
  gboolean dark = g_str_has_suffix (name, "dark");
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *golden_path = g_build_filename (TEST_SOURCE_DIR, "chart", "golden", file,
                                                   NULL);
  g_autofree char *current_path = build_path (file);
  cairo_surface_t *current, *golden;
  double differing;
  TtChartStyle style;

  if (dark)
    tt_chart_style_init_dark (&style);
  else
    tt_chart_style_init_light (&style);
  tt_chart_set_style (chart, &style);
  tt_test_chart_fill (chart, 1, 16.5);
  current = render (chart, 960, 360);
  /* The current rendering is always written next to the build, to look at or to adopt. */
  g_assert_cmpint (cairo_surface_write_to_png (current, current_path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("current rendering: %s", current_path);

  golden = cairo_image_surface_create_from_png (golden_path);
  if (cairo_surface_status (golden) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (current);
      cairo_surface_destroy (golden);
      g_test_fail_printf ("golden image %s cannot be read; to adopt the current rendering, copy %s",
                          golden_path, current_path);
      return;
    }
  /* Fonts differ slightly between machines: a pixel counts as different beyond 32 of 255 in a
   * channel, and up to 2 % of the pixels may differ. */
  differing = compare_images (current, golden, 32);
  g_test_message ("%.3f %% of the pixels differ from %s", differing * 100, golden_path);
  if (differing > 0.02)
    g_test_fail_printf ("%.2f %% of the pixels differ from the golden image %s (at most 2 %%); "
                        "the current rendering is %s", differing * 100, golden_path, current_path);

  /* The background is the style's, and the MAP line's colour is where the line is. */
  {
    guint32 corner = pixel (current, 2, 2);

    g_assert_cmpuint ((corner >> 16) & 0xff, ==, (guint) lround (style.background.red * 255));
    g_assert_cmpuint ((corner >> 8) & 0xff, ==, (guint) lround (style.background.green * 255));
  }
  cairo_surface_destroy (current);
  cairo_surface_destroy (golden);
}

static void
test_golden_detects_change (void)
{
  /* The comparison is not blind: moving the band is more than the tolerance allows. */
  g_autoptr(TtChart) chart = tt_chart_new ();
  cairo_surface_t *a, *b;

  tt_test_chart_fill (chart, 1, 16.5);
  a = render (chart, 960, 360);
  g_assert_true (tt_chart_set_band (chart, 60, 100, NULL));
  b = render (chart, 960, 360);
  g_assert_cmpfloat (compare_images (a, a, 32), ==, 0);
  g_assert_cmpfloat (compare_images (a, b, 32), >, 0.02);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
test_resize_and_streams (void)
{
  /* More charts than PLplot has streams, each drawn at two sizes: streams are re-made on resize
   * and given back when a chart is finalized. */
  for (int i = 0; i < 120; i++)
    {
      g_autoptr(TtChart) chart = chart_with_map (120);
      cairo_surface_t *small = render (chart, 400, 200);
      cairo_surface_t *large = render (chart, 640, 320);

      g_assert_cmpuint (pixel (small, 1, 1), ==, 0xffffffff);
      g_assert_cmpuint (pixel (large, 639, 319), ==, 0xffffffff);
      cairo_surface_destroy (small);
      cairo_surface_destroy (large);
    }
}

static void
test_files (void)
{
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = build_path ("chart.pdf");
  g_autofree char *png = build_path ("chart.png");
  g_autofree char *contents = NULL;
  gsize length;

  tt_test_chart_fill (chart, 1, 16.5);
  tt_chart_set_title (chart, "MAP, last 15 min");
  g_assert_true (tt_chart_write_pdf (chart, pdf, 842, 300, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  g_assert_true (tt_chart_write_png (chart, png, 1280, 400, &error));
  g_assert_no_error (error);
  {
    cairo_surface_t *surface = cairo_image_surface_create_from_png (png);

    g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1280);
    cairo_surface_destroy (surface);
  }

  g_assert_false (tt_chart_write_png (chart, "/nonexistent/dir/chart.png", 640, 300, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_OUTPUT);
  g_assert_cmpstr (error->message, ==, "The chart could not be written to “/nonexistent/dir/"
                   "chart.png”: error while writing to output stream");
  g_clear_error (&error);
  g_assert_false (tt_chart_write_pdf (chart, "/nonexistent/dir/chart.pdf", 600, 300, &error));
  g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_OUTPUT);
}


/* No label over another: boxes apart by at least @gap pixels. In-plot labels stay inside the
 * plot, threshold values in the right margin inside the surface. */
static void
assert_labels_apart (const TtChartFrame *frame,
                     double              gap)
{
  for (guint i = 0; i < frame->labels->len; i++)
    {
      const TtChartFrameLabel *a = &g_array_index (frame->labels, TtChartFrameLabel, i);
      gboolean in_plot = a->kind == TT_CHART_LABEL_EVENT || a->kind == TT_CHART_LABEL_SEGMENT;

      g_assert_nonnull (a->text);
      g_assert_cmpfloat (a->width, >, 0);
      g_assert_cmpfloat (a->x + a->width, <=, frame->width);
      if (in_plot)
        {
          g_assert_cmpfloat (a->x, >=, frame->plot_x);
          g_assert_cmpfloat (a->x + a->width, <=, frame->plot_x + frame->plot_w);
          g_assert_cmpfloat (a->y, >=, frame->plot_y);
          g_assert_cmpfloat (a->y + a->height, <=, frame->plot_y + frame->plot_h);
        }
      else
        g_assert_cmpfloat (a->x, >=, frame->plot_x + frame->plot_w);
      for (guint j = i + 1; j < frame->labels->len; j++)
        {
          const TtChartFrameLabel *b = &g_array_index (frame->labels, TtChartFrameLabel, j);
          gboolean apart = a->x + a->width + gap <= b->x || b->x + b->width + gap <= a->x ||
                           a->y + a->height + gap <= b->y || b->y + b->height + gap <= a->y;

          if (!apart)
            g_error ("labels “%s” (%.1f, %.1f, %.1f × %.1f) and “%s” (%.1f, %.1f, %.1f × %.1f) "
                     "overlap", a->text, a->x, a->y, a->width, a->height, b->text, b->x, b->y,
                     b->width, b->height);
        }
    }
}

static const TtChartFrameLabel *
find_label (const TtChartFrame *frame,
            const char         *text)
{
  for (guint i = 0; i < frame->labels->len; i++)
    if (g_strcmp0 (g_array_index (frame->labels, TtChartFrameLabel, i).text, text) == 0)
      return &g_array_index (frame->labels, TtChartFrameLabel, i);
  return NULL;
}

/* Close thresholds: a critical 70 over the hypotension line at 65, as with a band of 80–100. */
static void
test_threshold_labels (void)
{
  g_autoptr(TtChart) chart = chart_with_map (601);
  g_autoptr(TtChartFrame) frame = NULL;
  const TtChartFrameLabel *critical, *threshold;
  TtChartStyle style;

  tt_chart_style_init_light (&style);
  style.font_px = 10;
  tt_chart_set_style (chart, &style);
  g_assert_true (tt_chart_set_thresholds (chart, 65, 70, NULL));
  frame = tt_chart_prepare (chart, 600, 300, NULL);

  /* The values stand in the right margin, 0.5 font heights right of the plot (34 + 538) with
   * their patch 0.2 wider, 1 font height tall and centred on their lines: on the 40–120 mmHg axis
   * over 241 px, 70 is at 20 + 50/80 × 241 = 170.625 px and 65 at 185.6875 px; 15 px apart is
   * more than a label and its gap (12 px) need, so they stay on their lines. */
  g_assert_cmpfloat (frame->plot_x + frame->plot_w, ==, 572);
  g_assert_cmpfloat (frame->plot_h, ==, 241);
  critical = find_label (frame, "70");
  threshold = find_label (frame, "65");
  g_assert_nonnull (critical);
  g_assert_nonnull (threshold);
  g_assert_cmpint (critical->kind, ==, TT_CHART_LABEL_CRITICAL);
  g_assert_cmpint (threshold->kind, ==, TT_CHART_LABEL_THRESHOLD);
  g_assert_cmpfloat (critical->x, ==, 575);
  g_assert_cmpfloat (threshold->x, ==, 575);
  g_assert_cmpfloat_with_epsilon (critical->y, 165.625, 1e-9);
  g_assert_cmpfloat_with_epsilon (threshold->y, 180.6875, 1e-9);
  g_assert_cmpfloat (critical->height, ==, 10);
  assert_labels_apart (frame, 2);
  g_clear_pointer (&frame, tt_chart_frame_free);

  /* 160 px high, the plot is 101 px: the lines are 6.3 px apart, so the labels move apart around
   * their middle (83.125 + 89.4375) / 2 = 86.28 px to 12 px between their centres. */
  frame = tt_chart_prepare (chart, 600, 160, NULL);
  g_assert_cmpfloat (frame->plot_h, ==, 101);
  critical = find_label (frame, "70");
  threshold = find_label (frame, "65");
  g_assert_cmpfloat_with_epsilon (critical->y, 86.28125 - 6 - 5, 1e-9);
  g_assert_cmpfloat_with_epsilon (threshold->y, 86.28125 + 6 - 5, 1e-9);
  assert_labels_apart (frame, 2);
  g_clear_pointer (&frame, tt_chart_frame_free);

  /* A threshold on the critical line: one label, the critical one. */
  g_assert_true (tt_chart_set_thresholds (chart, 65, 65, NULL));
  frame = tt_chart_prepare (chart, 600, 300, NULL);
  g_assert_cmpuint (frame->labels->len, ==, 1);
  g_assert_cmpint (g_array_index (frame->labels, TtChartFrameLabel, 0).kind, ==,
                   TT_CHART_LABEL_CRITICAL);
  g_assert_cmpstr (g_array_index (frame->labels, TtChartFrameLabel, 0).text, ==, "65");
}

/* A label longer than the plot is wide is shortened with "…" to what fits, not drawn past the
 * plot's edge or over its neighbour. */
static void
test_label_shortened (void)
{
  g_autoptr(TtChart) chart = chart_with_map (601);
  g_autoptr(TtChartFrame) frame = NULL;
  const TtChartFrameEvent *event;
  const TtChartFrameLabel *label;
  TtChartStyle style;

  tt_chart_style_init_light (&style);
  style.font_px = 10;
  tt_chart_set_style (chart, &style);
  tt_chart_set_reference (chart, 300000);
  g_assert_true (tt_chart_set_span (chart, 5 * 60000, NULL));
  tt_chart_add_event (chart, 300000, "Note: the surgeon asks for a lower pressure now");
  frame = tt_chart_prepare (chart, 200, 300, NULL);

  g_assert_cmpuint (frame->events->len, ==, 1);
  event = &g_array_index (frame->events, TtChartFrameEvent, 0);
  g_assert_cmpstr (event->label, ==, "Note: the surgeon asks for a lower pressure now");
  g_assert_cmpuint (event->row, ==, 0);
  g_assert_false (event->left);
  g_assert_cmpuint (frame->labels->len, ==, 1);
  label = &g_array_index (frame->labels, TtChartFrameLabel, 0);
  g_assert_true (g_str_has_prefix (label->text, "Note: the"));
  g_assert_true (g_str_has_suffix (label->text, "…"));
  assert_labels_apart (frame, 2);
}

/* Many events, segments and thresholds in random places and sizes: never two labels over each
 * other, never one outside its place; a label without room is shortened, never garbled. */
static void
test_labels_never_overlap (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint n_labels = 0, n_shortened = 0, n_left_out = 0;

  for (guint round_ = 0; round_ < 200; round_++)
    {
      g_autoptr(TtChart) chart = chart_with_map (1801);
      g_autoptr(TtChartFrame) frame = NULL;
      g_autoptr(GError) error = NULL;
      static const char *const names[] = {
        "Induction", "Intubation", "Bolus 10 µg", "Incision", "Position", "End of case",
        "Note: surgeon asks for a lower pressure", "A1 accepted", "≠2",
      };
      guint n_events = g_rand_int_range (rand, 0, 25);
      guint n_segments = g_rand_int_range (rand, 0, 6);
      int width = g_rand_int_range (rand, 200, 1400);
      int height = g_rand_int_range (rand, 160, 500);
      double critical = g_rand_int_range (rand, 50, 90);
      TtChartStyle style;

      tt_chart_style_init_dark (&style);
      style.font_px = g_rand_double_range (rand, 9, 20);
      tt_chart_set_style (chart, &style);
      g_assert_true (tt_chart_set_band (chart, critical + 10, critical + 30, NULL));
      g_assert_true (tt_chart_set_thresholds (chart, 65, critical, NULL));
      g_assert_true (tt_chart_append_rate (chart, 60000, 0.05, NULL));
      g_assert_true (tt_chart_set_rate_ml_h_factor (chart, 10.8 / 0.05, NULL));
      for (guint i = 0; i < n_events; i++)
        tt_chart_add_event (chart, g_rand_int_range (rand, 0, 1800) * 1000,
                            names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))]);
      for (guint i = 0; i < n_segments; i++)
        {
          gint64 t0 = g_rand_int_range (rand, 0, 1790) * 1000;

          g_assert_true (tt_chart_add_excluded (chart, t0, t0 + g_rand_int_range (rand, 1, 60) * 1000,
                                                i % 2 ? "Flat trace (blood sampling?), excluded"
                                                      : "Line flush, excluded", NULL));
        }
      frame = tt_chart_prepare (chart, width, height, &error);
      if (frame == NULL)
        {
          g_assert_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL);
          continue;
        }
      assert_labels_apart (frame, 0.2 * style.font_px - 1e-9);
      for (guint i = 0; i < frame->labels->len; i++)
        {
          const TtChartFrameLabel *label = &g_array_index (frame->labels, TtChartFrameLabel, i);
          gboolean known = g_str_has_suffix (label->text, "…") || g_ascii_isdigit (label->text[0]);

          for (guint k = 0; k < G_N_ELEMENTS (names) && !known; k++)
            known = strcmp (label->text, names[k]) == 0;
          known = known || g_str_has_suffix (label->text, ", excluded");
          g_assert_true (known);
          n_labels++;
          n_shortened += g_str_has_suffix (label->text, "…");
        }
      for (guint i = 0; i < frame->events->len; i++)
        n_left_out += g_array_index (frame->events, TtChartFrameEvent, i).row == TT_CHART_NO_ROW;
      /* The legend stays on the surface, in at most two rows, and never loses the MAP. */
      g_assert_cmpuint (frame->legend_rows, <=, 2);
      for (guint i = 0; i < frame->legend->len; i++)
        {
          const TtChartFrameLegend *item = &g_array_index (frame->legend, TtChartFrameLegend, i);

          g_assert_cmpfloat (item->x, >=, 0);
          g_assert_cmpfloat (item->x + item->width, <=, frame->width);
          g_assert_cmpuint (item->row, <, frame->legend_rows);
        }
    }
  /* The rounds did crowd the plot: some labels had to be shortened or left out. */
  g_test_message ("%u labels, %u shortened, %u events without a label", n_labels, n_shortened,
                  n_left_out);
  g_assert_cmpuint (n_shortened, >, 0);
  g_assert_cmpuint (n_left_out, >, 0);
}

static char *
legend_text (const TtChartFrame *frame)
{
  GString *items = g_string_new (NULL);

  for (guint i = 0; i < frame->legend->len; i++)
    {
      const TtChartFrameLegend *item = &g_array_index (frame->legend, TtChartFrameLegend, i);

      g_assert_cmpfloat (item->x + item->width, <=, frame->width);
      g_string_append_printf (items, "%s%u:%s", i > 0 ? " | " : "", item->row, item->text);
    }
  return g_string_free (items, FALSE);
}

/* The legend under a wide chart in one row with the rate in both units; narrower, it leaves out
 * "excluded" (the segment says it), shortens the rate to its axis' name, then leaves out what
 * stands at the lines; with more entries than one row holds, two rows, and a plot one row lower. */
static void
test_legend_layout (void)
{
  static const struct { int width; const char *legend; } cases[] = {
    { 960, "0:MAP | 0:target 70–90 mmHg | 0:65 mmHg | 0:60 mmHg critical | "
           "0:NE 0.09 µg/kg/min · 19.4 mL/h" },
    { 640, "0:MAP | 0:target 70–90 mmHg | 0:65 mmHg | 0:NE µg/kg/min" },
    { 520, "0:MAP | 0:target 70–90 mmHg | 0:NE µg/kg/min" },
  };
  TtChartStyle style;

  tt_chart_style_init_light (&style);
  style.font_px = 14;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(TtChart) chart = tt_chart_new ();
      g_autoptr(TtChartFrame) frame = NULL;
      g_autofree char *legend = NULL;

      tt_chart_set_style (chart, &style);
      tt_test_chart_fill (chart, 1, 16.5);
      frame = tt_chart_prepare (chart, cases[c].width, 360, NULL);
      legend = legend_text (frame);
      g_assert_cmpstr (legend, ==, cases[c].legend);
      g_assert_cmpuint (frame->legend_rows, ==, 1);
      /* 360 − 2 − 3.9 font heights: the plot keeps its height. */
      g_assert_cmpfloat (frame->plot_h, ==, 360 - 28 - 55);
    }

  /* A trial's two arms, the band and the rate: two rows; the second row's 1.4 font heights
   * come off the plot. */
  {
    g_autoptr(TtChart) chart = tt_chart_new ();
    g_autoptr(TtChartFrame) frame = NULL;
    g_autofree char *legend = NULL;
    const gint64 t[] = { 0, 60000 };
    const double v[] = { 80, 70 };

    tt_chart_set_style (chart, &style);
    g_assert_true (tt_chart_add_trace (chart, "Advisor arm (36 patients)", NULL, t, v, 2, NULL));
    g_assert_true (tt_chart_add_trace (chart, "Manual arm (35 patients)", NULL, t, v, 2, NULL));
    g_assert_true (tt_chart_set_band (chart, 70, 90, NULL));
    g_assert_true (tt_chart_append_rate (chart, 0, 0.05, NULL));
    frame = tt_chart_prepare (chart, 640, 360, NULL);
    legend = legend_text (frame);
    g_assert_cmpstr (legend, ==, "0:Advisor arm (36 patients) | 0:Manual arm (35 patients) | "
                                 "1:target 70–90 mmHg | 1:NE 0.05 µg/kg/min");
    g_assert_cmpuint (frame->legend_rows, ==, 2);
    g_assert_cmpfloat (frame->plot_h, ==, 360 - 28 - 55 - 20);
  }
}

static void
test_driver (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_chart_check_driver (&error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/reduce/by-hand", test_reduce_by_hand);
  g_test_add_func ("/chart/reduce/keeps-extremes", test_reduce_keeps_extremes);
  g_test_add_func ("/chart/reduce/edges-and-gaps", test_reduce_edges_and_gaps);
  g_test_add_func ("/chart/prepare/layout", test_prepare_layout);
  g_test_add_func ("/chart/prepare/y-range", test_prepare_y_range);
  g_test_add_func ("/chart/prepare/step-line", test_prepare_step_line);
  g_test_add_func ("/chart/prepare/events-and-labels", test_events_and_labels);
  g_test_add_func ("/chart/prepare/traces", test_traces);
  g_test_add_func ("/chart/prepare/threshold-labels", test_threshold_labels);
  g_test_add_func ("/chart/prepare/labels-never-overlap", test_labels_never_overlap);
  g_test_add_func ("/chart/prepare/label-shortened", test_label_shortened);
  g_test_add_func ("/chart/prepare/legend", test_legend_layout);
  g_test_add_func ("/chart/window", test_window_follow_and_scroll);
  g_test_add_func ("/chart/validation", test_validation);
  g_test_add_func ("/chart/describe", test_describe);
  g_test_add_func ("/chart/draw/driver", test_driver);
  g_test_add_data_func ("/chart/draw/golden-light", "chart-light", test_golden);
  g_test_add_data_func ("/chart/draw/golden-dark", "chart-dark", test_golden);
  g_test_add_func ("/chart/draw/golden-detects-change", test_golden_detects_change);
  g_test_add_func ("/chart/draw/resize-and-streams", test_resize_and_streams);
  g_test_add_func ("/chart/draw/files", test_files);

  return g_test_run ();
}
