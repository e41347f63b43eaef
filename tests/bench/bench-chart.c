/* bench-chart.c: frame time of the trend chart at 1280×400 for a 60-minute window, with 1 Hz
 * numerics and with a 125 Hz waveform, against bare cairo drawing the same reduced frame in the
 * same run. Prints figures; never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "tt-chart.h"
#include "../chart/tt-test-chart.h"

#define WIDTH   1280
#define HEIGHT  400
#define FRAMES  15

typedef struct {
  double prepare_ms;    /* data preparation alone (reduction, layout) */
  double plplot_ms;     /* PLplot drawing a prepared frame */
  double cairo_ms;      /* bare cairo drawing the same prepared frame */
  double frame_ms;      /* tt_chart_draw(): preparation and drawing, what the screen pays */
  guint  points;        /* MAP points drawn after the reduction */
} Figures;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *ms,
        guint   n)
{
  qsort (ms, n, sizeof (double), compare_doubles);
  return ms[n / 2];
}

static double
px_x (const TtChartFrame *f,
      double              x)
{
  return f->plot_x + (x - f->x_min) / (f->x_max - f->x_min) * f->plot_w;
}

static double
px_y (const TtChartFrame *f,
      double              y,
      double              lo,
      double              hi)
{
  return f->plot_y + (1 - (y - lo) / (hi - lo)) * f->plot_h;
}

static void
source (cairo_t            *cr,
        const TtChartColor *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

static void
cairo_path (cairo_t            *cr,
            const TtChartFrame *f,
            const TtChartLine  *line,
            double              lo,
            double              hi)
{
  guint start = 0;

  for (guint r = 0; r < line->runs->len; r++)
    {
      guint n = g_array_index (line->runs, guint, r);

      for (guint i = 0; i < n; i++)
        {
          double x = px_x (f, g_array_index (line->x, double, start + i));
          double y = px_y (f, g_array_index (line->y, double, start + i), lo, hi);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      start += n;
    }
}

static void
cairo_line (cairo_t            *cr,
            const TtChartFrame *f,
            const TtChartLine  *line,
            double              lo,
            double              hi)
{
  guint start = 0;

  for (guint r = 0; r < line->runs->len; r++)
    {
      guint n = g_array_index (line->runs, guint, r);

      for (guint i = 0; i < n; i++)
        {
          double x = px_x (f, g_array_index (line->x, double, start + i));
          double y = px_y (f, g_array_index (line->y, double, start + i), lo, hi);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      start += n;
    }
  cairo_stroke (cr);
}

/* Text through Pango, as a GTK widget draws it (and as PLplot's cairo driver does). */
static void
text (cairo_t    *cr,
      double      x,
      double      y,
      const char *s)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("sans 10.5");

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, s, -1);
  cairo_move_to (cr, x, y - 14);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

/* The same elements as the PLplot drawing: background, band, excluded hatching, grid, thresholds,
 * events, MAP, rate, axes, tick labels, event labels and the legend. */
static void
draw_with_cairo (const TtChartFrame *f,
                 cairo_t            *cr)
{
  const TtChartStyle *s = &f->style;
  double x0 = f->plot_x, x1 = f->plot_x + f->plot_w;
  double y0 = f->plot_y, y1 = f->plot_y + f->plot_h;
  static const double dash[] = { 8, 5 };

  cairo_save (cr);
  source (cr, &s->background);
  cairo_paint (cr);
  cairo_rectangle (cr, x0, y0, f->plot_w, f->plot_h);
  cairo_clip (cr);

  source (cr, &s->band);
  cairo_rectangle (cr, x0, px_y (f, f->band_upper, f->y_min, f->y_max), f->plot_w,
                   px_y (f, f->band_lower, f->y_min, f->y_max) -
                   px_y (f, f->band_upper, f->y_min, f->y_max));
  cairo_fill (cr);
  for (guint i = 0; i < f->excluded->len; i++)
    {
      TtChartFrameSegment *seg = &g_array_index (f->excluded, TtChartFrameSegment, i);
      double a = px_x (f, seg->x0), b = px_x (f, seg->x1);

      source (cr, &s->excluded);
      cairo_set_line_width (cr, 1);
      for (double y = y0 - (b - a); y < y1; y += 7)
        {
          cairo_move_to (cr, a, y + (b - a));
          cairo_line_to (cr, b, y);
        }
      cairo_stroke (cr);
    }
  source (cr, &s->grid);
  for (double y = f->y_min; y <= f->y_max; y += f->y_tick)
    {
      cairo_move_to (cr, x0, px_y (f, y, f->y_min, f->y_max));
      cairo_line_to (cr, x1, px_y (f, y, f->y_min, f->y_max));
    }
  for (double x = ceil (f->x_min / f->x_tick) * f->x_tick; x <= f->x_max; x += f->x_tick)
    {
      cairo_move_to (cr, px_x (f, x), y0);
      cairo_line_to (cr, px_x (f, x), y1);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, dash, 2, 0);
  source (cr, &s->threshold);
  cairo_move_to (cr, x0, px_y (f, f->threshold, f->y_min, f->y_max));
  cairo_line_to (cr, x1, px_y (f, f->threshold, f->y_min, f->y_max));
  cairo_stroke (cr);
  source (cr, &s->critical);
  cairo_move_to (cr, x0, px_y (f, f->critical, f->y_min, f->y_max));
  cairo_line_to (cr, x1, px_y (f, f->critical, f->y_min, f->y_max));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  source (cr, &s->event);
  for (guint i = 0; i < f->events->len; i++)
    {
      TtChartFrameEvent *event = &g_array_index (f->events, TtChartFrameEvent, i);

      cairo_move_to (cr, px_x (f, event->x), y0);
      cairo_line_to (cr, px_x (f, event->x), y1);
      cairo_stroke (cr);
      text (cr, px_x (f, event->x) + 4, y0 + (1.2 + 1.4 * event->row) * s->font_px, event->label);
    }
  cairo_set_line_width (cr, s->line_px);
  source (cr, &s->map);
  if (f->map_dense)
    {
      /* The same envelope as the chart: filled, then outlined as PLplot's cairo driver does. */
      TtChartLine envelope = {
        g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
        g_array_new (FALSE, FALSE, sizeof (guint)),
      };

      tt_chart_frame_envelope (f, &f->map, &envelope);
      cairo_set_source_rgba (cr, s->map.red, s->map.green, s->map.blue, s->map.alpha / 2);
      cairo_path (cr, f, &envelope, f->y_min, f->y_max);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      g_array_unref (envelope.x);
      g_array_unref (envelope.y);
      g_array_unref (envelope.runs);
    }
  else
    {
      cairo_line (cr, f, &f->map, f->y_min, f->y_max);
    }
  source (cr, &s->rate);
  cairo_line (cr, f, &f->rate, 0, f->rate_max);
  cairo_reset_clip (cr);

  cairo_set_line_width (cr, 1);
  source (cr, &s->foreground);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x0, y1);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  for (double y = f->y_min; y <= f->y_max; y += f->y_tick)
    {
      g_autofree char *label = g_strdup_printf ("%.0f", y);

      text (cr, 4, px_y (f, y, f->y_min, f->y_max) + s->font_px / 3, label);
    }
  for (double x = ceil (f->x_min / f->x_tick) * f->x_tick; x <= f->x_max; x += f->x_tick)
    {
      g_autofree char *label = g_strdup_printf ("%+.0f min", x);

      text (cr, px_x (f, x) - 2 * s->font_px, y1 + 1.4 * s->font_px, label);
    }
  source (cr, &s->rate);
  for (double r = 0; r <= f->rate_max + 1e-9; r += f->rate_tick)
    {
      g_autofree char *label = g_strdup_printf ("%g", r);

      text (cr, x1 + 6, px_y (f, r, 0, f->rate_max) + s->font_px / 3, label);
    }
  source (cr, &s->foreground);
  text (cr, x0, HEIGHT - 0.6 * s->font_px,
        "MAP   target 70–90 mmHg   65 mmHg   60 mmHg critical   excluded");
  text (cr, x1 - 20 * s->font_px, HEIGHT - 0.6 * s->font_px, "NE 0.09 µg/kg/min · 19.4 mL/h");
  cairo_restore (cr);
}

static Figures
measure (TtChart *chart)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  double prepare[FRAMES], plplot[FRAMES], bare[FRAMES], frame_ms[FRAMES];
  Figures figures = { 0 };

  for (int i = -3; i < FRAMES; i++)   /* three frames to warm up (stream, fonts, caches) */
    {
      g_autoptr(TtChartFrame) frame = NULL;
      g_autoptr(GError) error = NULL;
      gint64 t0, t1, t2, t3, t4;

      t0 = g_get_monotonic_time ();
      frame = tt_chart_prepare (chart, WIDTH, HEIGHT, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      g_assert_true (tt_chart_draw_frame (chart, frame, cr, &error));
      cairo_surface_flush (surface);
      t2 = g_get_monotonic_time ();
      draw_with_cairo (frame, cr);
      cairo_surface_flush (surface);
      t3 = g_get_monotonic_time ();
      g_assert_true (tt_chart_draw (chart, cr, WIDTH, HEIGHT, &error));
      cairo_surface_flush (surface);
      t4 = g_get_monotonic_time ();
      if (i >= 0)
        {
          prepare[i] = (t1 - t0) / 1000.0;
          plplot[i] = (t2 - t1) / 1000.0;
          bare[i] = (t3 - t2) / 1000.0;
          frame_ms[i] = (t4 - t3) / 1000.0;
        }
      figures.points = frame->map.x->len;
    }
  figures.prepare_ms = median (prepare, FRAMES);
  figures.plplot_ms = median (plplot, FRAMES);
  figures.cairo_ms = median (bare, FRAMES);
  figures.frame_ms = median (frame_ms, FRAMES);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return figures;
}

/* The chart's share of the time from a sample's arrival to the frame that shows it: append the
 * sample to a live chart (15-min window following the data) and draw the frame. */
static double
arrival_to_frame (TtChart *chart)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  double ms[FRAMES];
  gint64 t = tt_chart_get_last_time (chart);

  g_assert_true (tt_chart_set_span (chart, 15 * 60000, NULL));
  for (int i = -3; i < FRAMES; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      t += 1000;
      g_assert_true (tt_chart_append_map (chart, t, 52, NULL));
      g_assert_true (tt_chart_draw (chart, cr, WIDTH, HEIGHT, NULL));
      cairo_surface_flush (surface);
      if (i >= 0)
        ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return median (ms, FRAMES);
}

static void
report (const char    *name,
        const Figures *f,
        gsize          samples)
{
  g_test_message ("%-28s %7" G_GSIZE_FORMAT " samples → %5u points; prepare %6.2f ms, "
                  "PLplot %6.2f ms, bare cairo %6.2f ms (PLplot/cairo %.2f×); "
                  "frame (prepare + PLplot) %6.2f ms",
                  name, samples, f->points, f->prepare_ms, f->plplot_ms, f->cairo_ms,
                  f->plplot_ms / f->cairo_ms, f->frame_ms);
}

static void
bench_chart (void)
{
  g_autoptr(TtChart) numerics = tt_chart_new ();
  g_autoptr(TtChart) waveform = tt_chart_new ();
  Figures one_hz, wave;

  tt_test_chart_fill (numerics, 1, 60);
  tt_test_chart_fill (waveform, 125, 60);
  g_assert_true (tt_chart_set_span (numerics, 60 * 60000, NULL));
  g_assert_true (tt_chart_set_span (waveform, 60 * 60000, NULL));

  one_hz = measure (numerics);
  wave = measure (waveform);

  g_test_message ("chart at %d×%d, 60-minute window, median of %d frames:", WIDTH, HEIGHT, FRAMES);
  report ("1 Hz numerics", &one_hz, tt_chart_get_n_map (numerics));
  report ("125 Hz waveform", &wave, tt_chart_get_n_map (waveform));
  g_test_message ("PLplot vs bare cairo (target ≤ 1.5×): 1 Hz %.2f×, waveform %.2f×",
                  one_hz.plplot_ms / one_hz.cairo_ms, wave.plplot_ms / wave.cairo_ms);
  g_test_message ("waveform frame vs 1 Hz frame (target ≤ 1.5×): %.2f×",
                  wave.frame_ms / one_hz.frame_ms);
  g_test_message ("sample arrival to drawn frame (live, 15-min window, 1 Hz): %.2f ms",
                  arrival_to_frame (numerics));
  g_test_minimized_result (one_hz.frame_ms, "1 Hz frame %.2f ms", one_hz.frame_ms);
  g_test_minimized_result (wave.frame_ms, "waveform frame %.2f ms", wave.frame_ms);

  /* The reduction bounds the work: at most two points per pixel column, plus the edges. */
  g_assert_cmpuint (wave.points, <=, 2 * WIDTH + 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/chart", bench_chart);

  return g_test_run ();
}
