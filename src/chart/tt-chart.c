/* tt-chart.c: the MAP trend chart, prepared without PLplot and drawn with PLplot's extcairo driver.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <plplot.h>
#include <string.h>

#include "tt-chart.h"

/* Display choices, not clinical figures. */
#define GAP_MS              5000      /* a step longer than this between samples breaks the line */
#define DEFAULT_Y_MIN       40.0      /* the MAP axis shows at least 40–120 mmHg */
#define DEFAULT_Y_MAX       120.0
#define AXIS_MAX            300.0     /* a flush (≥ 250 mmHg) still fits; higher is clipped */
#define RATE_AXIS_MIN_TOP   0.5       /* µg/kg/min: the rate axis reaches at least this */
#define RATE_AXIS_HEADROOM  2.5       /* keep the step line in the lower part of the plot */
#define MIN_SPAN_MS         1000
#define MAX_SPAN_MS         (G_GINT64_CONSTANT (24) * 3600 * 1000)
#define MIN_PLOT_PX         40
#define MAX_SURFACE_PX      16384
#define MAX_LABEL_CHARS     60
#define TREND_MS            60000     /* the accessible description's trend covers the last minute */
#define SCRATCH_COLOR       15
#define DENSE_PER_COLUMN    4         /* more samples than this a column: draw an envelope */
#define ENVELOPE_ALPHA      0.5       /* the band and thresholds show through a waveform */
/* The cairo driver hands PLplot's character height to Pango in points, which Pango renders at
 * 96 dpi, not at the driver's 72: scale by 72/96 so that text is style.font_px tall. */
#define PANGO_POINTS        (72.0 / 96.0)

typedef struct {
  gint64 t_ms;
  double rate;
} RateChange;

typedef struct {
  gint64  t_ms;
  char   *label;
} Event;

typedef struct {
  gint64  start_ms;
  gint64  end_ms;
  char   *label;
} Segment;

typedef struct {
  char         *label;
  gboolean      has_color;
  TtChartColor  color;
  GArray       *t;   /* of gint64 */
  GArray       *v;   /* of double */
} Trace;

struct _TtChart
{
  GObject       parent_instance;

  GArray       *map_t;        /* of gint64 */
  GArray       *map_v;        /* of double */
  GPtrArray    *traces;       /* of Trace */
  GArray       *rates;        /* of RateChange, in time order */
  GArray       *events;       /* of Event, in time order */
  GArray       *excluded;     /* of Segment, by start time */
  double        rate_factor;
  double        band_lower;
  double        band_upper;
  double        threshold;
  double        critical;
  double        y_min;
  double        y_max;

  gint64        end_ms;
  gint64        span_ms;
  gboolean      follow;
  gint64        reference_ms;
  TtChartLabels labels;
  GDateTime    *case_start;
  char         *title;
  TtChartStyle  style;

  /* The PLplot stream, made for one surface size and re-made when the size changes. */
  int           stream;
  int           stream_width;
  int           stream_height;
  double        px_per_mm;
  cairo_t      *measure;        /* measures text in the driver's font */

  /* While a frame is drawn: its context and the context's matrix before PLplot flipped it. */
  cairo_t      *cr;
  cairo_matrix_t page_matrix;
};

G_DEFINE_FINAL_TYPE (TtChart, tt_chart, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (tt-chart-error-quark, tt_chart_error)

static void
trace_free (gpointer data)
{
  Trace *trace = data;

  g_free (trace->label);
  g_array_unref (trace->t);
  g_array_unref (trace->v);
  g_free (trace);
}

static void
event_clear (gpointer data)
{
  g_free (((Event *) data)->label);
}

static void
segment_clear (gpointer data)
{
  g_free (((Segment *) data)->label);
}

static void
emit_changed (TtChart *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tt_chart_finalize (GObject *object)
{
  TtChart *self = TT_CHART (object);

  if (self->stream >= 0)
    {
      plsstrm (self->stream);
      plend1 ();
    }
  g_array_unref (self->map_t);
  g_array_unref (self->map_v);
  g_ptr_array_unref (self->traces);
  g_array_unref (self->rates);
  g_array_unref (self->events);
  g_array_unref (self->excluded);
  g_clear_pointer (&self->case_start, g_date_time_unref);
  g_clear_pointer (&self->measure, cairo_destroy);
  g_free (self->title);

  G_OBJECT_CLASS (tt_chart_parent_class)->finalize (object);
}

static void
tt_chart_class_init (TtChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tt_chart_finalize;

  /* Emitted after any change of data, window or style: the widget redraws. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tt_chart_init (TtChart *self)
{
  self->map_t = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->map_v = g_array_new (FALSE, FALSE, sizeof (double));
  self->traces = g_ptr_array_new_with_free_func (trace_free);
  self->rates = g_array_new (FALSE, FALSE, sizeof (RateChange));
  self->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (self->events, event_clear);
  self->excluded = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_array_set_clear_func (self->excluded, segment_clear);
  self->rate_factor = NAN;
  self->band_lower = NAN;
  self->band_upper = NAN;
  self->threshold = NAN;
  self->critical = NAN;
  self->y_min = NAN;
  self->y_max = NAN;
  self->span_ms = 15 * 60 * 1000;
  self->follow = TRUE;
  self->labels = TT_CHART_LABELS_RELATIVE;
  self->stream = -1;
  tt_chart_style_init_light (&self->style);
}

TtChart *
tt_chart_new (void)
{
  return g_object_new (TT_TYPE_CHART, NULL);
}

/* Styles */

static TtChartColor
rgba (guint32 rgb,
      double  alpha)
{
  return (TtChartColor) {
    ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha
  };
}

/* Adwaita's palette, for the report and for tests; the GUI passes the colours of its own style. */
static TtChartColor
with_alpha (TtChartColor color,
            double       factor)
{
  color.alpha *= factor;
  return color;
}

void
tt_chart_style_init_light (TtChartStyle *style)
{
  *style = (TtChartStyle) {
    .background = rgba (0xffffff, 1.0),
    .foreground = rgba (0x241f31, 1.0),
    .grid = rgba (0x241f31, 0.12),
    .map = rgba (0x1c71d8, 1.0),
    .band = rgba (0x2ec27e, 0.22),
    .threshold = rgba (0xc01c28, 0.9),
    .critical = rgba (0xa51d2d, 0.9),
    .rate = rgba (0x813d9c, 1.0),
    .event = rgba (0x9c6e03, 1.0),
    .excluded = rgba (0x5e5c64, 0.7),
    .font_px = 14,
    .line_px = 2,
  };
}

void
tt_chart_style_init_dark (TtChartStyle *style)
{
  *style = (TtChartStyle) {
    .background = rgba (0x303030, 1.0),
    .foreground = rgba (0xffffff, 0.9),
    .grid = rgba (0xffffff, 0.1),
    .map = rgba (0x78aeed, 1.0),
    .band = rgba (0x2ec27e, 0.25),
    .threshold = rgba (0xff7b63, 0.9),
    .critical = rgba (0xf66151, 0.9),
    .rate = rgba (0xdc8add, 1.0),
    .event = rgba (0xf8e45c, 0.9),
    .excluded = rgba (0xc0bfbc, 0.6),
    .font_px = 14,
    .line_px = 2,
  };
}

/* Validation */

static gboolean
check_series (const char    *what,
              const gint64  *t_ms,
              const double  *values,
              gsize          n,
              gint64         previous_t,
              gboolean       has_previous,
              GError       **error)
{
  for (gsize i = 0; i < n; i++)
    {
      if (isinf (values[i]))
        {
          g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                       _("%s sample %zu: value %f is not a finite number"),
                       what, i, values[i]);
          return FALSE;
        }
      if ((i > 0 || has_previous) && t_ms[i] < previous_t)
        {
          g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                       _("%s sample %zu: time %" PRId64 " ms is before "
                         "the previous sample's %" PRId64 " ms; times must not decrease"),
                       what, i, t_ms[i], previous_t);
          return FALSE;
        }
      previous_t = t_ms[i];
    }
  return TRUE;
}

static gboolean
check_mmhg (const char  *what,
            double       value,
            GError     **error)
{
  if (isfinite (value) && value > 0 && value <= AXIS_MAX)
    return TRUE;
  g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
               _("%s %g mmHg cannot be drawn; it must be between 0 and %.0f mmHg"),
               what, value, AXIS_MAX);
  return FALSE;
}

/* Data */

gboolean
tt_chart_set_map (TtChart       *self,
                  const gint64  *t_ms,
                  const double  *values,
                  gsize          n,
                  GError       **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (n == 0 || (t_ms != NULL && values != NULL), FALSE);

  if (!check_series ("MAP", t_ms, values, n, 0, FALSE, error))
    return FALSE;
  g_array_set_size (self->map_t, 0);
  g_array_set_size (self->map_v, 0);
  g_array_append_vals (self->map_t, t_ms, n);
  g_array_append_vals (self->map_v, values, n);
  emit_changed (self);
  return TRUE;
}

gboolean
tt_chart_append_map (TtChart  *self,
                     gint64    t_ms,
                     double    value,
                     GError  **error)
{
  guint n;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  n = self->map_t->len;
  if (!check_series ("MAP", &t_ms, &value, 1,
                     n > 0 ? g_array_index (self->map_t, gint64, n - 1) : 0, n > 0, error))
    return FALSE;
  g_array_append_val (self->map_t, t_ms);
  g_array_append_val (self->map_v, value);
  emit_changed (self);
  return TRUE;
}

gsize
tt_chart_get_n_map (TtChart *self)
{
  g_return_val_if_fail (TT_IS_CHART (self), 0);

  return self->map_t->len;
}

gboolean
tt_chart_add_trace (TtChart             *self,
                    const char          *label,
                    const TtChartColor  *color,
                    const gint64        *t_ms,
                    const double        *values,
                    gsize                n,
                    GError             **error)
{
  Trace *trace;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (n == 0 || (t_ms != NULL && values != NULL), FALSE);

  if (!check_series (label ? label : "Trace", t_ms, values, n, 0, FALSE, error))
    return FALSE;
  trace = g_new0 (Trace, 1);
  trace->label = g_strdup (label);
  trace->has_color = color != NULL;
  if (color)
    trace->color = *color;
  trace->t = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  trace->v = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  g_array_append_vals (trace->t, t_ms, n);
  g_array_append_vals (trace->v, values, n);
  g_ptr_array_add (self->traces, trace);
  emit_changed (self);
  return TRUE;
}

void
tt_chart_clear_traces (TtChart *self)
{
  g_return_if_fail (TT_IS_CHART (self));

  g_ptr_array_set_size (self->traces, 0);
  emit_changed (self);
}

gboolean
tt_chart_append_rate (TtChart  *self,
                      gint64    t_ms,
                      double    ug_kg_min,
                      GError  **error)
{
  RateChange change = { t_ms, ug_kg_min };
  guint n;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  n = self->rates->len;
  if (!isfinite (ug_kg_min) || ug_kg_min < 0 || ug_kg_min > 100)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("NE rate %g µg/kg/min cannot be drawn; it must be between 0 and 100 µg/kg/min"),
                   ug_kg_min);
      return FALSE;
    }
  if (n > 0 && t_ms < g_array_index (self->rates, RateChange, n - 1).t_ms)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("NE rate change at %" PRId64 " ms is before the previous change at "
                     "%" PRId64 " ms; times must not decrease"),
                   t_ms, g_array_index (self->rates, RateChange, n - 1).t_ms);
      return FALSE;
    }
  g_array_append_val (self->rates, change);
  emit_changed (self);
  return TRUE;
}

gboolean
tt_chart_set_rate_ml_h_factor (TtChart  *self,
                               double    factor,
                               GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (!isnan (factor) && !(isfinite (factor) && factor > 0))
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("mL/h per µg/kg/min %g is not a positive number"), factor);
      return FALSE;
    }
  self->rate_factor = factor;
  emit_changed (self);
  return TRUE;
}

gboolean
tt_chart_set_band (TtChart  *self,
                   double    lower,
                   double    upper,
                   GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (!(isnan (lower) && isnan (upper)))
    {
      if (!check_mmhg (_("Target band lower bound"), lower, error) ||
          !check_mmhg (_("Target band upper bound"), upper, error))
        return FALSE;
      if (lower >= upper)
        {
          g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                       _("Target band %g–%g mmHg is inverted or empty; the lower bound must be "
                         "below the upper bound"), lower, upper);
          return FALSE;
        }
    }
  self->band_lower = lower;
  self->band_upper = upper;
  emit_changed (self);
  return TRUE;
}

gboolean
tt_chart_set_thresholds (TtChart  *self,
                         double    hypotension,
                         double    critical,
                         GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if ((!isnan (hypotension) && !check_mmhg (_("Hypotension threshold"), hypotension, error)) ||
      (!isnan (critical) && !check_mmhg (_("Critical threshold"), critical, error)))
    return FALSE;
  self->threshold = hypotension;
  self->critical = critical;
  emit_changed (self);
  return TRUE;
}

void
tt_chart_add_event (TtChart    *self,
                    gint64      t_ms,
                    const char *label)
{
  Event event = { t_ms, g_strdup (label ? label : "") };
  guint i;

  g_return_if_fail (TT_IS_CHART (self));

  for (i = self->events->len; i > 0; i--)
    if (g_array_index (self->events, Event, i - 1).t_ms <= t_ms)
      break;
  g_array_insert_val (self->events, i, event);
  emit_changed (self);
}

gboolean
tt_chart_add_excluded (TtChart     *self,
                       gint64       start_ms,
                       gint64       end_ms,
                       const char  *label,
                       GError     **error)
{
  Segment segment = { start_ms, end_ms, NULL };
  guint i;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (end_ms <= start_ms)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("Excluded segment %" PRId64 "–%" PRId64 " ms is inverted "
                     "or empty; its end must be after its start"), start_ms, end_ms);
      return FALSE;
    }
  segment.label = g_strdup (label);
  for (i = self->excluded->len; i > 0; i--)
    if (g_array_index (self->excluded, Segment, i - 1).start_ms <= start_ms)
      break;
  g_array_insert_val (self->excluded, i, segment);
  emit_changed (self);
  return TRUE;
}

void
tt_chart_clear (TtChart *self)
{
  g_return_if_fail (TT_IS_CHART (self));

  g_array_set_size (self->map_t, 0);
  g_array_set_size (self->map_v, 0);
  g_ptr_array_set_size (self->traces, 0);
  g_array_set_size (self->rates, 0);
  g_array_set_size (self->events, 0);
  g_array_set_size (self->excluded, 0);
  emit_changed (self);
}

/* Window */

static gboolean
check_span (gint64   span_ms,
            GError **error)
{
  if (span_ms >= MIN_SPAN_MS && span_ms <= MAX_SPAN_MS)
    return TRUE;
  g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
               _("Chart window of %" PRId64 " ms is empty, inverted or too long; it must "
                 "be between 1 s and 24 h"), span_ms);
  return FALSE;
}

gboolean
tt_chart_set_window (TtChart  *self,
                     gint64    end_ms,
                     gint64    span_ms,
                     GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (!check_span (span_ms, error))
    return FALSE;
  self->end_ms = end_ms;
  self->span_ms = span_ms;
  self->follow = FALSE;
  emit_changed (self);
  return TRUE;
}

gboolean
tt_chart_set_span (TtChart  *self,
                   gint64    span_ms,
                   GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (!check_span (span_ms, error))
    return FALSE;
  if (self->span_ms != span_ms)
    {
      self->span_ms = span_ms;
      emit_changed (self);
    }
  return TRUE;
}

void
tt_chart_set_follow (TtChart  *self,
                     gboolean  follow)
{
  g_return_if_fail (TT_IS_CHART (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  if (!follow)
    self->end_ms = tt_chart_get_last_time (self);
  self->follow = follow;
  emit_changed (self);
}

gboolean
tt_chart_get_follow (TtChart *self)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  return self->follow;
}

static gint64
first_time (TtChart *self)
{
  gint64 first = G_MAXINT64;

  if (self->map_t->len > 0)
    first = MIN (first, g_array_index (self->map_t, gint64, 0));
  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *trace = g_ptr_array_index (self->traces, i);

      if (trace->t->len > 0)
        first = MIN (first, g_array_index (trace->t, gint64, 0));
    }
  if (self->rates->len > 0)
    first = MIN (first, g_array_index (self->rates, RateChange, 0).t_ms);
  if (self->events->len > 0)
    first = MIN (first, g_array_index (self->events, Event, 0).t_ms);
  return first == G_MAXINT64 ? 0 : first;
}

gint64
tt_chart_get_last_time (TtChart *self)
{
  gint64 last = G_MININT64;

  g_return_val_if_fail (TT_IS_CHART (self), 0);

  if (self->map_t->len > 0)
    last = MAX (last, g_array_index (self->map_t, gint64, self->map_t->len - 1));
  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *trace = g_ptr_array_index (self->traces, i);

      if (trace->t->len > 0)
        last = MAX (last, g_array_index (trace->t, gint64, trace->t->len - 1));
    }
  if (self->rates->len > 0)
    last = MAX (last, g_array_index (self->rates, RateChange, self->rates->len - 1).t_ms);
  if (self->events->len > 0)
    last = MAX (last, g_array_index (self->events, Event, self->events->len - 1).t_ms);
  return last == G_MININT64 ? 0 : last;
}

void
tt_chart_scroll (TtChart *self,
                 gint64   delta_ms)
{
  gint64 end, last, earliest;

  g_return_if_fail (TT_IS_CHART (self));

  tt_chart_get_window (self, NULL, &end);
  last = tt_chart_get_last_time (self);
  /* Scrolling back stops when the window's end reaches the first data: an empty chart helps no one. */
  earliest = MIN (first_time (self) + self->span_ms / 4, last);
  end = CLAMP (end + delta_ms, earliest, MAX (last, earliest));
  if (end >= last)
    {
      self->follow = TRUE;
    }
  else
    {
      self->follow = FALSE;
      self->end_ms = end;
    }
  emit_changed (self);
}

void
tt_chart_get_window (TtChart *self,
                     gint64  *start_ms,
                     gint64  *end_ms)
{
  gint64 end;

  g_return_if_fail (TT_IS_CHART (self));

  end = self->follow ? tt_chart_get_last_time (self) : self->end_ms;
  if (start_ms)
    *start_ms = end - self->span_ms;
  if (end_ms)
    *end_ms = end;
}

gint64
tt_chart_get_span (TtChart *self)
{
  g_return_val_if_fail (TT_IS_CHART (self), 0);

  return self->span_ms;
}

gboolean
tt_chart_set_y_range (TtChart  *self,
                      double    y_min,
                      double    y_max,
                      GError  **error)
{
  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  if (!(isnan (y_min) && isnan (y_max)) &&
      !(isfinite (y_min) && isfinite (y_max) && y_min >= 0 && y_min < y_max && y_max <= 400))
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("MAP axis %g–%g mmHg is not a range that can be drawn; it must rise within "
                     "0–400 mmHg"), y_min, y_max);
      return FALSE;
    }
  self->y_min = y_min;
  self->y_max = y_max;
  emit_changed (self);
  return TRUE;
}

void
tt_chart_set_reference (TtChart *self,
                        gint64   t_ms)
{
  g_return_if_fail (TT_IS_CHART (self));

  self->reference_ms = t_ms;
  emit_changed (self);
}

void
tt_chart_set_labels (TtChart       *self,
                     TtChartLabels  labels,
                     GDateTime     *case_start)
{
  g_return_if_fail (TT_IS_CHART (self));

  self->labels = labels;
  g_clear_pointer (&self->case_start, g_date_time_unref);
  if (case_start)
    self->case_start = g_date_time_ref (case_start);
  emit_changed (self);
}

void
tt_chart_set_title (TtChart    *self,
                    const char *title)
{
  g_return_if_fail (TT_IS_CHART (self));

  g_free (self->title);
  self->title = g_strdup (title);
  emit_changed (self);
}

void
tt_chart_set_style (TtChart            *self,
                    const TtChartStyle *style)
{
  g_return_if_fail (TT_IS_CHART (self));
  g_return_if_fail (style != NULL);

  /* The widget sets its style before every draw: only a real change asks for a redraw. */
  if (memcmp (&self->style, style, sizeof *style) == 0)
    return;
  self->style = *style;
  emit_changed (self);
}

const TtChartStyle *
tt_chart_get_style (TtChart *self)
{
  g_return_val_if_fail (TT_IS_CHART (self), NULL);

  return &self->style;
}

/* Time labels */

static gboolean
clock_labels (TtChart *self)
{
  return self->labels == TT_CHART_LABELS_CLOCK && self->case_start != NULL;
}

/* Plot x is minutes from the reference time, or minutes since the local midnight of the case's
 * first day for clock labels, so that the ticks fall on round clock minutes. */
static gint64
x_origin_ms (TtChart *self)
{
  if (clock_labels (self))
    {
      gint64 since_midnight = (gint64) g_date_time_get_hour (self->case_start) * 3600000 +
                              (gint64) g_date_time_get_minute (self->case_start) * 60000 +
                              (gint64) (g_date_time_get_seconds (self->case_start) * 1000.0);
      return -since_midnight;
    }
  return self->reference_ms;
}

char *
tt_chart_format_time (TtChart *self,
                      double   minutes)
{
  long m;

  g_return_val_if_fail (TT_IS_CHART (self), NULL);

  m = lround (minutes);
  if (clock_labels (self))
    {
      long day = ((m % 1440) + 1440) % 1440;

      return g_strdup_printf ("%02ld:%02ld", day / 60, day % 60);
    }
  if (m == 0)
    return g_strdup ("0");
  /* A plain hyphen: every font PLplot may pick has it. */
  return g_strdup_printf ("%s%ld min", m > 0 ? "+" : "-", labs (m));
}

/* Preparation */

static void
line_init (TtChartLine *line)
{
  line->x = g_array_new (FALSE, FALSE, sizeof (double));
  line->y = g_array_new (FALSE, FALSE, sizeof (double));
  line->runs = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
line_clear (TtChartLine *line)
{
  g_clear_pointer (&line->x, g_array_unref);
  g_clear_pointer (&line->y, g_array_unref);
  g_clear_pointer (&line->runs, g_array_unref);
}

static void
line_add (TtChartLine *line,
          double       x,
          double       y)
{
  g_array_append_val (line->x, x);
  g_array_append_val (line->y, y);
}

/* Ends the current run at the line's end; @run_start is where it began. */
static void
line_end_run (TtChartLine *line,
              guint       *run_start)
{
  guint n = line->x->len - *run_start;

  if (n > 0)
    g_array_append_val (line->runs, n);
  *run_start = line->x->len;
}

static void
trace_frame_free (gpointer data)
{
  TtChartFrameTrace *trace = data;

  line_clear (&trace->line);
  g_free (trace->label);
  g_free (trace);
}

static void
frame_event_clear (gpointer data)
{
  g_free (((TtChartFrameEvent *) data)->label);
}

static void
frame_segment_clear (gpointer data)
{
  g_free (((TtChartFrameSegment *) data)->label);
}

static void
frame_label_clear (gpointer data)
{
  g_free (((TtChartFrameLabel *) data)->text);
}

static void
frame_legend_clear (gpointer data)
{
  g_free (((TtChartFrameLegend *) data)->text);
}

void
tt_chart_frame_free (TtChartFrame *frame)
{
  if (frame == NULL)
    return;
  line_clear (&frame->map);
  line_clear (&frame->rate);
  g_clear_pointer (&frame->traces, g_ptr_array_unref);
  g_clear_pointer (&frame->events, g_array_unref);
  g_clear_pointer (&frame->excluded, g_array_unref);
  g_clear_pointer (&frame->labels, g_array_unref);
  g_clear_pointer (&frame->legend, g_array_unref);
  g_free (frame->title);
  g_free (frame);
}

/* First index with t >= @t, by bisection (times are ascending). */
static gsize
lower_bound (const gint64 *t_ms,
             gsize         n,
             gint64        t)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (t_ms[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

typedef struct {
  TtChartLine  *line;
  const gint64 *t;
  const double *v;
  gint64        t_ref;
  gssize        min_i;     /* -1 while the column is empty */
  gssize        max_i;
  guint         run_start;
} Reducer;

static void
reducer_add (Reducer *r,
             gsize    i)
{
  line_add (r->line, (r->t[i] - r->t_ref) / 60000.0, r->v[i]);
}

static void
reducer_flush (Reducer *r)
{
  if (r->min_i < 0)
    return;
  if (r->min_i == r->max_i)
    {
      reducer_add (r, r->min_i);
    }
  else
    {
      reducer_add (r, MIN (r->min_i, r->max_i));
      reducer_add (r, MAX (r->min_i, r->max_i));
    }
  r->min_i = r->max_i = -1;
}

static void
reduce_excluding (const gint64  *t_ms,
                  const double  *values,
                  gsize          n,
                  gint64         x_start,
                  gint64         x_end,
                  guint          columns,
                  gint64         max_gap_ms,
                  gint64         t_ref_ms,
                  const Segment *excluded,
                  gsize          n_excluded,
                  TtChartLine   *line)
{
  Reducer r = { line, t_ms, values, t_ref_ms, -1, -1, line->x->len };
  gsize lo, hi, first, end, seg = 0;
  gint64 span = x_end - x_start;
  gint64 current_column = -1;
  gboolean have_previous = FALSE;
  gint64 previous_t = 0;

  if (n == 0 || columns == 0 || span <= 0)
    return;
  lo = lower_bound (t_ms, n, x_start);
  hi = lower_bound (t_ms, n, x_end);
  first = lo > 0 ? lo - 1 : 0;
  end = hi < n ? hi + 1 : n;

  for (gsize i = first; i < end; i++)
    {
      gint64 t = t_ms[i];
      gboolean in_window = t >= x_start && t < x_end;
      gboolean is_excluded = FALSE;

      while (seg < n_excluded && excluded[seg].end_ms <= t)
        seg++;
      for (gsize s = seg; s < n_excluded && excluded[s].start_ms <= t; s++)
        if (t < excluded[s].end_ms)
          {
            is_excluded = TRUE;
            break;
          }

      if (isnan (values[i]) || is_excluded ||
          (have_previous && t - previous_t > max_gap_ms))
        {
          reducer_flush (&r);
          current_column = -1;
          line_end_run (line, &r.run_start);
          if (isnan (values[i]) || is_excluded)
            {
              have_previous = FALSE;
              continue;
            }
        }
      have_previous = TRUE;
      previous_t = t;

      if (!in_window)
        {
          reducer_flush (&r);
          current_column = -1;
          reducer_add (&r, i);
          continue;
        }

      {
        gint64 column = (gint64) ((double) (t - x_start) * columns / (double) span);

        if (column != current_column)
          {
            reducer_flush (&r);
            current_column = column;
            r.min_i = r.max_i = (gssize) i;
          }
        else
          {
            /* Strict comparisons keep the first of equal extremes. */
            if (values[i] < values[r.min_i])
              r.min_i = (gssize) i;
            if (values[i] > values[r.max_i])
              r.max_i = (gssize) i;
          }
      }
    }
  reducer_flush (&r);
  line_end_run (line, &r.run_start);
}

void
tt_chart_reduce (const gint64 *t_ms,
                 const double *values,
                 gsize         n,
                 gint64        x_start,
                 gint64        x_end,
                 guint         columns,
                 gint64        max_gap_ms,
                 gint64        t_ref_ms,
                 TtChartLine  *line)
{
  g_return_if_fail (n == 0 || (t_ms != NULL && values != NULL));
  g_return_if_fail (line != NULL && line->x != NULL);

  reduce_excluding (t_ms, values, n, x_start, x_end, columns, max_gap_ms, t_ref_ms, NULL, 0, line);
}

static void
line_y_extent (const TtChartLine *line,
               double             x_min,
               double             x_max,
               double            *lo,
               double            *hi)
{
  for (guint i = 0; i < line->x->len; i++)
    {
      double x = g_array_index (line->x, double, i);
      double y = g_array_index (line->y, double, i);

      if (x >= x_min && x <= x_max)
        {
          *lo = MIN (*lo, y);
          *hi = MAX (*hi, y);
        }
    }
}

/* PLplot cannot measure text drawn by the cairo driver's Pango layouts: measure it with cairo in
 * the same font family and size. */
static double
text_px (TtChart    *self,
         double      font_px,
         const char *text)
{
  cairo_text_extents_t extents;

  if (self->measure == NULL)
    {
      cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
      /* The family PLplot's cairo driver draws with (main.c may choose the desktop's). */
      const char *family = g_getenv ("PLPLOT_FREETYPE_SANS_FAMILY");

      self->measure = cairo_create (scratch);
      cairo_surface_destroy (scratch);
      cairo_select_font_face (self->measure, family != NULL ? family : "sans",
                              CAIRO_FONT_SLANT_NORMAL,
                              CAIRO_FONT_WEIGHT_NORMAL);
    }
  cairo_set_font_size (self->measure, font_px);
  cairo_text_extents (self->measure, text, &extents);
  return extents.x_advance;
}

/* Labels over the plot: each is placed where its box (text and background patch) keeps clear of
 * the boxes already placed and stays inside the plot, or shortened with "…" until it does, or left
 * out; a label that hides another one would mislead more than a missing one. */

#define LABEL_PAD     0.2     /* font heights between a label's text and its patch's edge */
#define LABEL_GAP     0.2     /* font heights kept free between two patches */
#define LABEL_ROW     1.4     /* font heights from one label row to the next */
#define LABEL_MIN_CHARS 3     /* a shortened label keeps at least this many characters */
#define MARGIN_LABEL_GAP 0.5  /* font heights from the plot's right edge to a margin label */

typedef struct {
  double x0;
  double y0;
  double x1;
  double y1;
} Box;

/* Pixels from the top of the page of @value on a vertical axis from @lo (the plot's bottom) to @hi. */
static double
plot_y_px (const TtChartFrame *frame,
           double              value,
           double              lo,
           double              hi)
{
  return frame->plot_y + (1 - (value - lo) / (hi - lo)) * frame->plot_h;
}

/* The patch of a label whose text starts at @x_text, centred vertically on @y_mid. */
static Box
label_box (double x_text,
           double y_mid,
           double text_w,
           double f)
{
  return (Box) { x_text - LABEL_PAD * f, y_mid - 0.5 * f,
                 x_text + text_w + LABEL_PAD * f, y_mid + 0.5 * f };
}

static gboolean
box_fits (const TtChartFrame *frame,
          const GArray       *placed,
          Box                 box)
{
  double gap = LABEL_GAP * frame->style.font_px;

  if (box.x0 < frame->plot_x || box.x1 > frame->plot_x + frame->plot_w ||
      box.y0 < frame->plot_y || box.y1 > frame->plot_y + frame->plot_h)
    return FALSE;
  for (guint i = 0; i < placed->len; i++)
    {
      const TtChartFrameLabel *other = &g_array_index (placed, TtChartFrameLabel, i);

      if (box.x0 < other->x + other->width + gap && box.x1 + gap > other->x &&
          box.y0 < other->y + other->height + gap && box.y1 + gap > other->y)
        return FALSE;
    }
  return TRUE;
}

static void
add_label (GArray           *labels,
           TtChartLabelKind  kind,
           const char       *text,
           Box               box)
{
  TtChartFrameLabel label = { kind, g_strdup (text), box.x0, box.y0, box.x1 - box.x0,
                              box.y1 - box.y0 };

  g_array_append_val (labels, label);
}

typedef enum {
  ANCHOR_RIGHT,    /* the text starts just right of the anchor (an event's line) */
  ANCHOR_LEFT,     /* the text ends just left of it */
  ANCHOR_CENTRE,   /* centred on it, moved inside the plot (an excluded segment) */
} Anchor;

/* Tries the rows from the top of the plot, each on the preferred side first, for a text @text_w
 * wide; returns the row (and the side taken in @left) or TT_CHART_NO_ROW. */
static guint
find_row (const TtChartFrame *frame,
          const GArray       *placed,
          double              anchor_px,
          Anchor              anchor,
          double              text_w,
          guint               n_rows,
          gboolean           *left,
          Box                *found)
{
  double f = frame->style.font_px;
  double plot_left = frame->plot_x + LABEL_PAD * f;
  double plot_right = frame->plot_x + frame->plot_w - LABEL_PAD * f;
  gboolean prefer_left = anchor == ANCHOR_LEFT;

  for (guint r = 0; r < n_rows; r++)
    {
      double y_mid = frame->plot_y + (0.8 + LABEL_ROW * r) * f;

      if (anchor == ANCHOR_CENTRE)
        {
          double x = CLAMP (anchor_px - text_w / 2, plot_left, MAX (plot_left, plot_right - text_w));
          Box box = label_box (x, y_mid, text_w, f);

          if (box_fits (frame, placed, box))
            {
              *found = box;
              *left = FALSE;
              return r;
            }
          continue;
        }
      for (guint side = 0; side < 2; side++)
        {
          gboolean on_left = side == 0 ? prefer_left : !prefer_left;
          double x = on_left ? anchor_px - 0.3 * f - text_w : anchor_px + 0.3 * f;
          Box box = label_box (x, y_mid, text_w, f);

          if (box_fits (frame, placed, box))
            {
              *found = box;
              *left = on_left;
              return r;
            }
        }
    }
  return TT_CHART_NO_ROW;
}

/* The first @n_chars characters of @text followed by "…". */
static char *
shortened (const char *text,
           glong       n_chars)
{
  g_autofree char *head = g_utf8_substring (text, 0, n_chars);

  return g_strconcat (head, "…", NULL);
}

/* Places a label of @kind in the rows from the top of the plot: whole if it fits anywhere, else
 * the longest shortened form that fits. Returns the row, or TT_CHART_NO_ROW when not even
 * LABEL_MIN_CHARS characters have room. */
static guint
place_row_label (TtChart          *self,
                 TtChartFrame     *frame,
                 TtChartLabelKind  kind,
                 const char       *text,
                 double            anchor_px,
                 Anchor            anchor,
                 guint             n_rows,
                 gboolean         *left,
                 double           *centre_px)
{
  double f = frame->style.font_px;
  double w = text_px (self, f, text);
  glong length = g_utf8_strlen (text, -1);
  glong lo = LABEL_MIN_CHARS, hi = length - 1, best = -1;
  Box box, best_box = { 0 };
  gboolean best_left = FALSE;
  guint row, best_row = TT_CHART_NO_ROW;

  *left = FALSE;
  row = find_row (frame, frame->labels, anchor_px, anchor, w, n_rows, left, &box);
  if (row != TT_CHART_NO_ROW)
    {
      add_label (frame->labels, kind, text, box);
      *centre_px = (box.x0 + box.x1) / 2;
      return row;
    }
  /* A shorter text has a box inside the longer one's, so what fits is found by bisection. */
  while (lo <= hi)
    {
      glong mid = (lo + hi) / 2;
      g_autofree char *cut = shortened (text, mid);

      row = find_row (frame, frame->labels, anchor_px, anchor, text_px (self, f, cut), n_rows,
                      left, &box);
      if (row != TT_CHART_NO_ROW)
        {
          best = mid;
          best_row = row;
          best_box = box;
          best_left = *left;
          lo = mid + 1;
        }
      else
        hi = mid - 1;
    }
  *left = best_left;
  if (best < 0)
    return TT_CHART_NO_ROW;
  {
    g_autofree char *cut = shortened (text, best);

    add_label (frame->labels, kind, cut, best_box);
  }
  *centre_px = (best_box.x0 + best_box.x1) / 2;
  return best_row;
}

/* The threshold lines' values in the right margin, at the end of their lines next to the live
 * end of the trace (as in the monitor's wireframe), where they hide no data. Labels of close lines
 * (65 and a critical 70) move apart just enough not to overlap; the rate axis' tick labels make
 * way for them (tt_chart_draw_frame leaves out the ones they would cover). */
static void
place_threshold_labels (TtChart      *self,
                        TtChartFrame *frame)
{
  typedef struct {
    double           value;
    TtChartLabelKind kind;
    char            *text;
    double           y_mid;
  } Line;
  double f = frame->style.font_px;
  double x = frame->plot_x + frame->plot_w + MARGIN_LABEL_GAP * f;
  double pitch = (1 + LABEL_GAP) * f;
  Line lines[2];
  guint n = 0;

  /* A threshold on the critical line needs no label of its own. */
  if (!isnan (frame->critical))
    lines[n++] = (Line) { frame->critical, TT_CHART_LABEL_CRITICAL, NULL, 0 };
  if (!isnan (frame->threshold) &&
      !(!isnan (frame->critical) && fabs (frame->threshold - frame->critical) < 0.5))
    lines[n++] = (Line) { frame->threshold, TT_CHART_LABEL_THRESHOLD, NULL, 0 };
  if (n == 2 && lines[1].value > lines[0].value)
    {
      Line top = lines[1];

      lines[1] = lines[0];
      lines[0] = top;
    }
  for (guint i = 0; i < n; i++)
    lines[i].y_mid = plot_y_px (frame, lines[i].value, frame->y_min, frame->y_max);
  /* lines[0] is the higher one: push the two apart around their middle. */
  if (n == 2 && lines[1].y_mid - lines[0].y_mid < pitch)
    {
      double middle = (lines[0].y_mid + lines[1].y_mid) / 2;

      lines[0].y_mid = middle - pitch / 2;
      lines[1].y_mid = middle + pitch / 2;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;

      if (lines[i].value < frame->y_min || lines[i].value > frame->y_max)
        continue;
      text = g_strdup_printf ("%.0f", lines[i].value);
      add_label (frame->labels, lines[i].kind, text,
                 label_box (x, lines[i].y_mid, text_px (self, f, text), f));
    }
}

typedef struct {
  TtChartSample sample;
  TtChartColor  color;
  char         *text;
  int           drop;     /* entries with the highest drop go first when space is short; 0 stays */
} LegendEntry;

static void
legend_entry_clear (gpointer data)
{
  g_free (((LegendEntry *) data)->text);
}

static void
add_entry (GArray             *entries,
           TtChartSample       sample,
           const TtChartColor *color,
           char               *text,
           int                 drop)
{
  LegendEntry entry = { sample, *color, text, drop };

  g_array_append_val (entries, entry);
}

#define LEGEND_SAMPLE   1.8     /* font heights: the sample line or box */
#define LEGEND_TEXT_GAP 0.4     /* between the sample and its text */
#define LEGEND_SPACING  1.2     /* between two entries */

static double
legend_item_width (TtChart    *self,
                   double      f,
                   const char *text)
{
  return (LEGEND_SAMPLE + LEGEND_TEXT_GAP) * f + text_px (self, f, text);
}

/* Lays out @entries (those with @use set) left to right from the plot's left edge in at most
 * @max_rows rows, and @rate (if any) right-aligned on the last row or on a row of its own.
 * Appends to frame->legend and returns TRUE when everything fits. */
static gboolean
legend_layout (TtChart            *self,
               TtChartFrame       *frame,
               const GArray       *entries,
               const gboolean     *use,
               const LegendEntry  *rate,
               guint               max_rows)
{
  double f = frame->style.font_px;
  double left = frame->plot_x;
  double right = frame->width - 0.6 * f;
  double x = left;
  guint row = 0;
  gboolean any_on_row = FALSE;

  g_array_set_size (frame->legend, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      const LegendEntry *entry = &g_array_index (entries, LegendEntry, i);
      double w;
      TtChartFrameLegend item;

      if (!use[i])
        continue;
      w = legend_item_width (self, f, entry->text);
      if (any_on_row && x + w > right)
        {
          row++;
          x = left;
        }
      if (row >= max_rows || x + w > right)
        return FALSE;
      item = (TtChartFrameLegend) { entry->sample, entry->color, g_strdup (entry->text), x, w,
                                    row };
      g_array_append_val (frame->legend, item);
      x += w + LEGEND_SPACING * f;
      any_on_row = TRUE;
    }
  if (rate != NULL)
    {
      double w = legend_item_width (self, f, rate->text);
      TtChartFrameLegend item;

      if (any_on_row && x + w > right)
        {
          row++;
          x = left;
        }
      if (row >= max_rows || x + w > right)
        return FALSE;
      item = (TtChartFrameLegend) { rate->sample, rate->color, g_strdup (rate->text), right - w,
                                    w, row };
      g_array_append_val (frame->legend, item);
    }
  frame->legend_rows = frame->legend->len > 0 ? row + 1 : 0;
  return TRUE;
}

/* The legend: what the lines are on the left, the NE rate on the right (in both units when the
 * syringe is known). To keep one row, the rate shortens to its axis' name ("NE µg/kg/min") and
 * the least needed entries are left out (excluded, which the segments' labels say too, then
 * critical, then threshold, whose values stand at their lines); else it takes two rows; on a
 * very narrow chart entries go from the end: it never runs past the right edge. */
static void
prepare_legend (TtChart      *self,
                TtChartFrame *frame,
                gboolean      has_map,
                gboolean      has_rate,
                gboolean      has_excluded)
{
  const TtChartStyle *style = &frame->style;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (LegendEntry));
  g_autofree gboolean *use = NULL;
  g_autofree char *rate_full = NULL;
  LegendEntry rate = { TT_CHART_SAMPLE_LINE, style->rate, NULL, 0 };
  const char *rate_texts[3] = { NULL, NULL, NULL };
  /* Which entries stay (those whose drop is at most limit) with which rate text (full, short,
   * none), in order of preference. */
  static const struct { int limit; guint variant; } steps[] = {
    { 3, 0 }, { 2, 0 }, { 2, 1 }, { 1, 1 }, { 0, 1 }, { 0, 2 },
  };

  g_array_set_clear_func (entries, legend_entry_clear);
  frame->legend = g_array_new (FALSE, FALSE, sizeof (TtChartFrameLegend));
  g_array_set_clear_func (frame->legend, frame_legend_clear);
  frame->legend_rows = 0;

  if (has_map)
    add_entry (entries, TT_CHART_SAMPLE_LINE, &style->map, g_strdup (_("MAP")), 0);
  for (guint i = 0; i < frame->traces->len; i++)
    {
      TtChartFrameTrace *trace = g_ptr_array_index (frame->traces, i);

      if (trace->label)
        add_entry (entries, TT_CHART_SAMPLE_LINE, &trace->color, g_strdup (trace->label), 0);
    }
  if (!isnan (frame->band_lower))
    {
      TtChartColor band = with_alpha (style->band, 2.0);

      add_entry (entries, TT_CHART_SAMPLE_BOX, &band,
                 g_strdup_printf (_("target %.0f–%.0f mmHg"), frame->band_lower,
                                  frame->band_upper),
                 0);
    }
  if (!isnan (frame->threshold))
    add_entry (entries, TT_CHART_SAMPLE_DASHED, &style->threshold,
               g_strdup_printf ("%.0f mmHg", frame->threshold), 1);
  if (!isnan (frame->critical))
    add_entry (entries, TT_CHART_SAMPLE_DOTTED, &style->critical,
               g_strdup_printf (_("%.0f mmHg critical"), frame->critical), 2);
  if (has_excluded)
    add_entry (entries, TT_CHART_SAMPLE_HATCH, &style->excluded, g_strdup (_("excluded")), 3);

  if (has_rate)
    {
      if (isnan (frame->rate_now))
        rate_full = g_strdup (_("NE µg/kg/min"));
      else if (isnan (self->rate_factor))
        rate_full = g_strdup_printf (_("NE %.2f µg/kg/min"), frame->rate_now);
      else
        rate_full = g_strdup_printf (_("NE %.2f µg/kg/min · %.1f mL/h"), frame->rate_now,
                                     frame->rate_now * self->rate_factor);
      rate_texts[0] = rate_full;
      rate_texts[1] = _("NE µg/kg/min");
    }

  /* One row before two: the plot keeps its height. To keep one row, "excluded" goes first (the
   * segments' labels say it too), then the rate shortens, then the critical and the threshold
   * entries go (their values stand at their lines); only two rows may leave the rate out. */
  use = g_new (gboolean, MAX (1, entries->len));
  for (guint rows = 1; rows <= 2; rows++)
    for (guint step = 0; step < G_N_ELEMENTS (steps); step++)
      {
        guint variant = steps[step].variant;

        if ((variant > 0 && !has_rate) || (variant == 2 && rows == 1))
          continue;
        for (guint i = 0; i < entries->len; i++)
          use[i] = g_array_index (entries, LegendEntry, i).drop <= steps[step].limit;
        rate.text = (char *) rate_texts[variant];
        if (legend_layout (self, frame, entries, use, rate.text ? &rate : NULL, rows))
          return;
      }
  /* A very narrow chart: whatever fits of the first entries. */
  for (guint i = 0; i < entries->len; i++)
    use[i] = TRUE;
  for (guint n = entries->len; n > 0; n--)
    {
      use[n - 1] = FALSE;
      if (legend_layout (self, frame, entries, use, NULL, 2))
        return;
    }
  g_array_set_size (frame->legend, 0);
  frame->legend_rows = 0;
}

/* The smallest of @steps (ascending) that divides @range into at most @max_labels intervals. */
static double
pick_tick (double        range,
           double        max_labels,
           const double *steps,
           gsize         n_steps)
{
  for (gsize i = 0; i < n_steps; i++)
    if (range / steps[i] <= max_labels)
      return steps[i];
  return steps[n_steps - 1];
}

static double
rate_at (TtChart *self,
         gint64   t_ms)
{
  double rate = NAN;

  for (guint i = 0; i < self->rates->len; i++)
    {
      RateChange *change = &g_array_index (self->rates, RateChange, i);

      if (change->t_ms > t_ms)
        break;
      rate = change->rate;
    }
  return rate;
}

static void
prepare_rate (TtChart      *self,
              TtChartFrame *frame,
              gint64        start,
              gint64        end,
              gint64        origin)
{
  guint run_start = 0;
  double current = rate_at (self, start);
  double x_end = (end - origin) / 60000.0;

  if (!isnan (current))
    line_add (&frame->rate, (start - origin) / 60000.0, current);
  for (guint i = 0; i < self->rates->len; i++)
    {
      RateChange *change = &g_array_index (self->rates, RateChange, i);
      double x = (change->t_ms - origin) / 60000.0;

      if (change->t_ms <= start)
        continue;
      if (change->t_ms >= end)
        break;
      if (!isnan (current))
        line_add (&frame->rate, x, current);
      line_add (&frame->rate, x, change->rate);
      current = change->rate;
    }
  if (!isnan (current))
    line_add (&frame->rate, x_end, current);
  line_end_run (&frame->rate, &run_start);
  frame->rate_now = rate_at (self, end);
}

/* GLib 2.74's g_utf8_substring() reads past the string when end_pos exceeds its length. */
static char *
truncate_label (const char *label)
{
  return g_utf8_substring (label, 0, MIN (g_utf8_strlen (label, -1), MAX_LABEL_CHARS));
}

void
tt_chart_frame_envelope (const TtChartFrame *frame,
                         const TtChartLine  *line,
                         TtChartLine        *polygons)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) highs = g_array_new (FALSE, FALSE, sizeof (double));
  double scale = frame->columns / (frame->x_max - frame->x_min);
  guint start = 0, run_start = polygons->x->len;

  for (guint r = 0; r < line->runs->len; r++)
    {
      guint n = g_array_index (line->runs, guint, r);
      double column = NAN;

      g_array_set_size (xs, 0);
      g_array_set_size (lows, 0);
      g_array_set_size (highs, 0);
      for (guint i = start; i < start + n; i++)
        {
          double x = g_array_index (line->x, double, i);
          double y = g_array_index (line->y, double, i);
          double c = floor ((x - frame->x_min) * scale);

          if (c == column)
            {
              double *low = &g_array_index (lows, double, lows->len - 1);
              double *high = &g_array_index (highs, double, highs->len - 1);

              *low = MIN (*low, y);
              *high = MAX (*high, y);
              continue;
            }
          column = c;
          g_array_append_val (xs, x);
          g_array_append_val (lows, y);
          g_array_append_val (highs, y);
        }
      for (guint i = 0; i < xs->len; i++)
        line_add (polygons, g_array_index (xs, double, i), g_array_index (highs, double, i));
      for (guint i = xs->len; i > 0; i--)
        line_add (polygons, g_array_index (xs, double, i - 1), g_array_index (lows, double, i - 1));
      line_end_run (polygons, &run_start);
      start += n;
    }
}

gboolean
tt_chart_time_at (TtChart *self,
                  int      width,
                  int      height,
                  double   x,
                  gint64  *t_ms)
{
  g_autoptr(TtChartFrame) frame = NULL;
  double minutes;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (t_ms != NULL, FALSE);

  frame = tt_chart_prepare (self, width, height, NULL);
  if (frame == NULL || !(frame->plot_w > 0))
    return FALSE;
  minutes = frame->x_min + CLAMP ((x - frame->plot_x) / frame->plot_w, 0, 1) *
                           (frame->x_max - frame->x_min);
  *t_ms = x_origin_ms (self) + (gint64) llround (minutes * 60000.0);
  return TRUE;
}

TtChartFrame *
tt_chart_prepare (TtChart  *self,
                  int       width,
                  int       height,
                  GError  **error)
{
  static const double x_steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 180, 360 };
  static const double y_steps[] = { 5, 10, 20, 25, 50, 100 };
  static const double rate_steps[] = { 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5,
                                       5, 10, 20, 25, 50, 100 };
  g_autoptr(TtChartFrame) frame = NULL;
  const TtChartStyle *style = &self->style;
  double f = style->font_px;
  gint64 start, end, origin;
  double lo = INFINITY, hi = -INFINITY, max_rate = 0;
  gboolean has_rate;
  guint n_rows;
  double max_y_labels;

  g_return_val_if_fail (TT_IS_CHART (self), NULL);

  if (width < 4 * MIN_PLOT_PX || height < 3 * MIN_PLOT_PX ||
      width > MAX_SURFACE_PX || height > MAX_SURFACE_PX)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL,
                   _("Chart size %d × %d pixels cannot be drawn; it must be between %d × %d and "
                     "%d × %d"), width, height, 4 * MIN_PLOT_PX, 3 * MIN_PLOT_PX,
                   MAX_SURFACE_PX, MAX_SURFACE_PX);
      return NULL;
    }
  if (!(isfinite (f) && f >= 4 && f <= 200 && isfinite (style->line_px) && style->line_px > 0 &&
        style->line_px <= 50))
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("Chart style: font %g px or line %g px is out of range (font 4–200 px, "
                     "line 0–50 px)"), f, style->line_px);
      return NULL;
    }

  tt_chart_get_window (self, &start, &end);
  origin = x_origin_ms (self);
  for (guint i = 0; i < self->rates->len; i++)
    {
      RateChange *change = &g_array_index (self->rates, RateChange, i);

      if (change->t_ms < end)
        max_rate = MAX (max_rate, change->rate);
    }
  has_rate = self->rates->len > 0 && g_array_index (self->rates, RateChange, 0).t_ms < end;

  frame = g_new0 (TtChartFrame, 1);
  frame->width = width;
  frame->height = height;
  frame->style = *style;
  frame->title = g_strdup (self->title);
  frame->plot_x = ceil (3.4 * f);
  frame->plot_y = ceil (self->title ? 3.0 * f : 2.0 * f);
  /* Without a rate axis the margin still holds half of the last time label ("+30 min"). */
  frame->plot_w = floor (width - frame->plot_x - (has_rate ? 3.4 * f : 2.8 * f));
  /* The legend's height is known once its entries are (below); one row until then. */
  frame->plot_h = floor (height - frame->plot_y - 3.9 * f);
  if (frame->plot_w < MIN_PLOT_PX || frame->plot_h < MIN_PLOT_PX)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL,
                   _("Chart size %d × %d pixels leaves no room for the plot at a %.0f px font"),
                   width, height, f);
      return NULL;
    }
  frame->columns = (guint) frame->plot_w;
  frame->x_min = (start - origin) / 60000.0;
  frame->x_max = (end - origin) / 60000.0;
  frame->band_lower = self->band_lower;
  frame->band_upper = self->band_upper;
  frame->threshold = self->threshold;
  frame->critical = self->critical;

  line_init (&frame->map);
  line_init (&frame->rate);
  reduce_excluding ((const gint64 *) self->map_t->data, (const double *) self->map_v->data,
                    self->map_t->len, start, end, frame->columns, GAP_MS, origin,
                    (const Segment *) self->excluded->data, self->excluded->len, &frame->map);
  line_y_extent (&frame->map, frame->x_min, frame->x_max, &lo, &hi);
  {
    const gint64 *t = (const gint64 *) self->map_t->data;
    gsize in_window = lower_bound (t, self->map_t->len, end) -
                      lower_bound (t, self->map_t->len, start);

    frame->map_dense = in_window > DENSE_PER_COLUMN * frame->columns;
  }

  frame->traces = g_ptr_array_new_with_free_func (trace_frame_free);
  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *trace = g_ptr_array_index (self->traces, i);
      TtChartFrameTrace *ft = g_new0 (TtChartFrameTrace, 1);
      gboolean first_of_label = trace->label != NULL;

      for (guint j = 0; j < i && first_of_label; j++)
        {
          Trace *other = g_ptr_array_index (self->traces, j);

          if (g_strcmp0 (other->label, trace->label) == 0)
            first_of_label = FALSE;
        }
      line_init (&ft->line);
      ft->color = trace->has_color ? trace->color : style->map;
      ft->label = first_of_label ? g_strdup (trace->label) : NULL;
      reduce_excluding ((const gint64 *) trace->t->data, (const double *) trace->v->data,
                        trace->t->len, start, end, frame->columns, GAP_MS, origin, NULL, 0,
                        &ft->line);
      line_y_extent (&ft->line, frame->x_min, frame->x_max, &lo, &hi);
      g_ptr_array_add (frame->traces, ft);
    }

  /* The legend, in one or two rows under the time axis; the plot gives up the second one. */
  {
    gboolean has_map = frame->map.x->len > 0 || frame->traces->len == 0;
    gboolean has_excluded = FALSE;

    for (guint i = 0; i < self->excluded->len && !has_excluded; i++)
      {
        Segment *segment = &g_array_index (self->excluded, Segment, i);

        has_excluded = segment->end_ms > start && segment->start_ms < end;
      }
    frame->rate_now = has_rate ? rate_at (self, end) : NAN;
    prepare_legend (self, frame, has_map, has_rate, has_excluded);
    if (frame->legend_rows > 1)
      frame->plot_h -= ceil (LABEL_ROW * f * (frame->legend_rows - 1));
    if (frame->plot_h < MIN_PLOT_PX)
      {
        g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_TOO_SMALL,
                     _("Chart size %d × %d pixels leaves no room for the plot at a %.0f px font"),
                     width, height, f);
        return NULL;
      }
  }
  max_y_labels = MAX (1, MIN (6, frame->plot_h / (2.4 * f)));

  if (isnan (self->y_min))
    {
      lo = MIN (lo, DEFAULT_Y_MIN);
      hi = MAX (hi, DEFAULT_Y_MAX);
      if (!isnan (self->band_lower))
        {
          lo = MIN (lo, self->band_lower);
          hi = MAX (hi, self->band_upper);
        }
      if (!isnan (self->threshold))
        lo = MIN (lo, self->threshold);
      if (!isnan (self->critical))
        lo = MIN (lo, self->critical);
      lo = MAX (0, lo);
      hi = MIN (AXIS_MAX, hi);
      /* Axis ends on labelled ticks, so the rate axis' ticks can share the grid lines. */
      frame->y_tick = pick_tick (hi - lo, max_y_labels, y_steps, G_N_ELEMENTS (y_steps));
      frame->y_min = floor (lo / frame->y_tick) * frame->y_tick;
      frame->y_max = ceil (hi / frame->y_tick) * frame->y_tick;
    }
  else
    {
      frame->y_min = self->y_min;
      frame->y_max = self->y_max;
      frame->y_tick = pick_tick (frame->y_max - frame->y_min, max_y_labels, y_steps,
                                 G_N_ELEMENTS (y_steps));
    }

  frame->x_tick = pick_tick (frame->x_max - frame->x_min,
                             MIN (8, frame->plot_w / (5.5 * f)), x_steps, G_N_ELEMENTS (x_steps));

  if (has_rate)
    {
      double intervals = MAX (1, round ((frame->y_max - frame->y_min) / frame->y_tick));
      double need = MAX (RATE_AXIS_MIN_TOP, max_rate * RATE_AXIS_HEADROOM) / intervals;

      frame->rate_tick = pick_tick (need, 1, rate_steps, G_N_ELEMENTS (rate_steps));
      frame->rate_max = frame->rate_tick * intervals;
      prepare_rate (self, frame, start, end, origin);
    }

  /* Labels over the plot: the thresholds' first, then the events' and the excluded segments'
   * in rows from the top of the plot (at most half of its height), none over another. */
  frame->labels = g_array_new (FALSE, FALSE, sizeof (TtChartFrameLabel));
  g_array_set_clear_func (frame->labels, frame_label_clear);
  place_threshold_labels (self, frame);
  n_rows = (guint) CLAMP (floor (frame->plot_h / 2 / (LABEL_ROW * f)), 1, 6);

  frame->events = g_array_new (FALSE, FALSE, sizeof (TtChartFrameEvent));
  g_array_set_clear_func (frame->events, frame_event_clear);
  for (guint i = 0; i < self->events->len; i++)
    {
      Event *event = &g_array_index (self->events, Event, i);
      TtChartFrameEvent fe;
      double x_px, w, centre;

      if (event->t_ms < start || event->t_ms > end)
        continue;
      fe.x = (event->t_ms - origin) / 60000.0;
      fe.label = truncate_label (event->label);
      x_px = frame->plot_x + (fe.x - frame->x_min) / (frame->x_max - frame->x_min) * frame->plot_w;
      w = text_px (self, f, fe.label);
      /* Right of the line, unless it would run off the plot. */
      fe.row = place_row_label (self, frame, TT_CHART_LABEL_EVENT, fe.label, x_px,
                                x_px + (0.3 + LABEL_PAD) * f + w >
                                  frame->plot_x + frame->plot_w ? ANCHOR_LEFT : ANCHOR_RIGHT,
                                n_rows, &fe.left, &centre);
      g_array_append_val (frame->events, fe);
    }

  frame->excluded = g_array_new (FALSE, FALSE, sizeof (TtChartFrameSegment));
  g_array_set_clear_func (frame->excluded, frame_segment_clear);
  for (guint i = 0; i < self->excluded->len; i++)
    {
      Segment *segment = &g_array_index (self->excluded, Segment, i);
      TtChartFrameSegment fs = { 0 };

      if (segment->end_ms <= start || segment->start_ms >= end)
        continue;
      fs.x0 = (MAX (segment->start_ms, start) - origin) / 60000.0;
      fs.x1 = (MIN (segment->end_ms, end) - origin) / 60000.0;
      fs.label = segment->label ? truncate_label (segment->label) : NULL;
      fs.row = TT_CHART_NO_ROW;
      fs.label_x = (fs.x0 + fs.x1) / 2;
      if (fs.label)
        {
          double centre = frame->plot_x + ((fs.x0 + fs.x1) / 2 - frame->x_min) /
                                          (frame->x_max - frame->x_min) * frame->plot_w;
          gboolean left;

          fs.row = place_row_label (self, frame, TT_CHART_LABEL_SEGMENT, fs.label, centre,
                                    ANCHOR_CENTRE, n_rows, &left, &centre);
          fs.label_x = frame->x_min + (centre - frame->plot_x) / frame->plot_w *
                                      (frame->x_max - frame->x_min);
        }
      g_array_append_val (frame->excluded, fs);
    }

  return g_steal_pointer (&frame);
}

/* Description */

static gboolean
is_excluded (TtChart *self,
             gint64   t_ms)
{
  for (guint i = 0; i < self->excluded->len; i++)
    {
      Segment *segment = &g_array_index (self->excluded, Segment, i);

      if (t_ms >= segment->start_ms && t_ms < segment->end_ms)
        return TRUE;
    }
  return FALSE;
}

char *
tt_chart_describe (TtChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const gint64 *t = (const gint64 *) self->map_t->data;
  const double *v = (const double *) self->map_v->data;
  gssize last = -1;
  double rate;

  g_return_val_if_fail (TT_IS_CHART (self), NULL);

  for (gssize i = (gssize) self->map_t->len - 1; i >= 0 && last < 0; i--)
    if (!isnan (v[i]) && !is_excluded (self, t[i]))
      last = i;

  if (last < 0)
    {
      g_string_append (text, _("No MAP yet"));
    }
  else
    {
      double map = v[last];
      double sum_t = 0, sum_v = 0, sum_tt = 0, sum_tv = 0;
      gint64 first_t = t[last];
      guint n = 0;

      g_string_append_printf (text, _("MAP %.0f mmHg"), map);
      if (!isnan (self->band_lower))
        {
          if (map < self->band_lower)
            g_string_append_printf (text, _(", below the target band %.0f–%.0f mmHg"),
                                    self->band_lower, self->band_upper);
          else if (map > self->band_upper)
            g_string_append_printf (text, _(", above the target band %.0f–%.0f mmHg"),
                                    self->band_lower, self->band_upper);
          else
            g_string_append_printf (text, _(", in the target band %.0f–%.0f mmHg"),
                                    self->band_lower, self->band_upper);
        }
      if (!isnan (self->critical) && map < self->critical)
        g_string_append_printf (text, _(", below the critical threshold %.0f mmHg"), self->critical);

      /* The slope of a least-squares line through the last minute, as the eye reads the trace. */
      for (gssize i = last; i >= 0 && t[last] - t[i] <= TREND_MS; i--)
        {
          double x;

          if (isnan (v[i]) || is_excluded (self, t[i]))
            continue;
          x = (t[i] - t[last]) / 60000.0;
          sum_t += x;
          sum_v += v[i];
          sum_tt += x * x;
          sum_tv += x * v[i];
          first_t = t[i];
          n++;
        }
      if (n >= 2 && t[last] - first_t >= TREND_MS / 3)
        {
          double slope = (n * sum_tv - sum_t * sum_v) / (n * sum_tt - sum_t * sum_t);
          long rounded = lround (fabs (slope));

          if (rounded == 0)
            g_string_append (text, _(", steady"));
          else if (slope < 0)
            g_string_append_printf (text, _(", falling %ld mmHg/min"), rounded);
          else
            g_string_append_printf (text, _(", rising %ld mmHg/min"), rounded);
        }
    }

  rate = rate_at (self, tt_chart_get_last_time (self));
  if (!isnan (rate))
    {
      g_string_append_printf (text, _("; NE %.2f µg/kg/min"), rate);
      if (!isnan (self->rate_factor))
        g_string_append_printf (text, _(" (%.1f mL/h)"), rate * self->rate_factor);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Drawing */

gboolean
tt_chart_check_driver (GError **error)
{
  static int available = -1;

  if (available < 0)
    {
      /* plgDevs fills the caller's arrays with at most n − 1 drivers. */
      int n = 256;
      const char **menu = g_new0 (const char *, n);
      const char **names = g_new0 (const char *, n);

      plgDevs (&menu, &names, &n);
      available = 0;
      for (int i = 0; i < n; i++)
        if (g_strcmp0 (names[i], "extcairo") == 0)
          available = 1;
      g_free (menu);
      g_free (names);
    }
  if (!available)
    {
      g_set_error_literal (error, TT_CHART_ERROR, TT_CHART_ERROR_NO_DRIVER,
                           _("The chart cannot be drawn: PLplot's extcairo driver is missing. "
                             "Install the package plplot-driver-cairo."));
      return FALSE;
    }
  return TRUE;
}

static PLINT
component (double value)
{
  return isfinite (value) ? (PLINT) lround (CLAMP (value, 0.0, 1.0) * 255) : 0;
}

static void
set_color (const TtChartColor *color)
{
  plscol0a (SCRATCH_COLOR, component (color->red), component (color->green),
            component (color->blue), isfinite (color->alpha) ? CLAMP (color->alpha, 0.0, 1.0) : 1.0);
  plcol0 (SCRATCH_COLOR);
}

/* PLplot reads '#' as the start of an escape sequence: double it so labels print as typed. */
static char *
pl_text (const char *text)
{
  g_autofree char *cut = g_utf8_make_valid (text, -1);
  g_auto(GStrv) parts = g_strsplit (cut, "#", -1);

  return g_strjoinv ("##", parts);
}

static void
label_cb (PLINT            axis,
          PLFLT            value,
          PLCHAR_NC_VECTOR label,
          PLINT            length,
          PLPointer        data)
{
  TtChart *self = data;
  g_autofree char *text = NULL;

  if (axis == PL_X_AXIS)
    text = tt_chart_format_time (self, value);
  else
    text = g_strdup_printf ("%.0f", value);
  g_strlcpy (label, text, length);
}

static gboolean
ensure_stream (TtChart  *self,
               int       width,
               int       height,
               GError  **error)
{
  PLINT stream = -1;
  PLFLT x0, x1, y0, y1;

  if (self->stream >= 0 && self->stream_width == width && self->stream_height == height)
    {
      plsstrm (self->stream);
      return TRUE;
    }
  if (self->stream >= 0)
    {
      plsstrm (self->stream);
      plend1 ();
      self->stream = -1;
    }
  plmkstrm (&stream);
  if (stream < 0)
    {
      g_set_error_literal (error, TT_CHART_ERROR, TT_CHART_ERROR_STREAMS,
                           _("The chart cannot be drawn: PLplot has no free stream left "
                             "(too many charts are open)"));
      return FALSE;
    }
  plsdev ("extcairo");
  /* The page size is fixed by plinit(), so it is set before; a resize re-makes the stream. */
  plspage (0, 0, width, height, 0, 0);
  plscmap0n (16);
  plinit ();
  plgspa (&x0, &x1, &y0, &y1);
  self->px_per_mm = x1 > x0 ? width / (x1 - x0) : 72 / 25.4;
  self->stream = stream;
  self->stream_width = width;
  self->stream_height = height;
  return TRUE;
}

/* Coordinate systems: the plot area in minutes and mmHg (or µg/kg/min), and the whole page in
 * pixels from the bottom-left corner for everything around the plot. */
static void
use_plot (const TtChartFrame *frame,
          double              y_min,
          double              y_max)
{
  plvpor (frame->plot_x / frame->width, (frame->plot_x + frame->plot_w) / frame->width,
          1 - (frame->plot_y + frame->plot_h) / frame->height, 1 - frame->plot_y / frame->height);
  plwind (frame->x_min, frame->x_max, y_min, y_max);
}

static void
use_page (const TtChartFrame *frame)
{
  plvpor (0, 1, 0, 1);
  plwind (0, frame->width, 0, frame->height);
}

/* Text centred vertically on @y_px (pixels from the top), with @just 0 left, 0.5 centre, 1 right. */
static void
page_text (const TtChartFrame *frame,
           double              x_px,
           double              y_px,
           double              just,
           const char         *text)
{
  g_autofree char *escaped = pl_text (text);

  plptex (x_px, frame->height - y_px, 1, 0, just, escaped);
}

static void
fill_rect (double x0,
           double x1,
           double y0,
           double y1)
{
  PLFLT xs[4] = { x0, x1, x1, x0 };
  PLFLT ys[4] = { y0, y0, y1, y1 };

  plfill (4, xs, ys);
}

typedef enum {
  LINE_SOLID,
  LINE_DASHED,
  LINE_DOTTED,
} LineKind;

/* Mark and space of a dashed and a dotted line, in pixels. */
static const double dash_px[][2] = { [LINE_DASHED] = { 8, 5 }, [LINE_DOTTED] = { 2, 4 } };

static void
set_line (TtChart  *self,
          LineKind  kind,
          double    width_px)
{
  /* Dash lengths are in micrometres of PLplot's page. */
  PLINT mark = (PLINT) lround (dash_px[kind][0] * 1000 / self->px_per_mm);
  PLINT space = (PLINT) lround (dash_px[kind][1] * 1000 / self->px_per_mm);

  plwidth (width_px);
  if (kind == LINE_SOLID)
    plstyl (0, NULL, NULL);
  else
    plstyl (1, &mark, &space);
}

static void
draw_line (const TtChartLine *line)
{
  guint start = 0;

  for (guint r = 0; r < line->runs->len; r++)
    {
      guint n = g_array_index (line->runs, guint, r);

      if (n >= 2)
        plline ((PLINT) n, &g_array_index (line->x, double, start),
                &g_array_index (line->y, double, start));
      start += n;
    }
}

/* A threshold across the plot, dashed or dotted, drawn by cairo on the frame's context (PLplot
 * draws in order, so it lies above the grid and under the data). PLplot's cairo driver has no
 * dashes: PLplot cuts a dashed line into one line per dash, each stroked on its own (some 300
 * strokes, 0.8 ms of a frame, for the two thresholds); cairo strokes the dashed line at once. */
static void
dashed_hline (TtChart            *self,
              const TtChartFrame *frame,
              double              value,
              const TtChartColor *color,
              LineKind            kind,
              double              width_px)
{
  cairo_t *cr = self->cr;
  double y;

  if (!(value >= frame->y_min && value <= frame->y_max))
    return;
  y = plot_y_px (frame, value, frame->y_min, frame->y_max);
  cairo_save (cr);
  cairo_set_matrix (cr, &self->page_matrix);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue,
                         isfinite (color->alpha) ? CLAMP (color->alpha, 0.0, 1.0) : 1.0);
  cairo_set_line_width (cr, width_px);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash (cr, dash_px[kind], 2, 0);
  cairo_move_to (cr, frame->plot_x, y);
  cairo_line_to (cr, frame->plot_x + frame->plot_w, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
hatch_rect (TtChart *self,
            double   x0,
            double   x1,
            double   y0,
            double   y1)
{
  PLINT angle = 450;
  PLINT spacing = (PLINT) lround (7 * 1000 / self->px_per_mm);

  plpat (1, &angle, &spacing);
  fill_rect (x0, x1, y0, y1);
  plpsty (0);
}

/* One legend entry: its sample and text, on its row under the time axis. */
static void
draw_legend_item (TtChart                  *self,
                  const TtChartFrame       *frame,
                  const TtChartFrameLegend *item)
{
  const TtChartStyle *style = &frame->style;
  double f = style->font_px;
  double y = frame->height - 0.95 * f - LABEL_ROW * f * (frame->legend_rows - 1 - item->row);
  double w = LEGEND_SAMPLE * f;
  double x_px = item->x;
  double y_pl = frame->height - y;

  set_color (&item->color);
  switch (item->sample)
    {
    case TT_CHART_SAMPLE_LINE:
    case TT_CHART_SAMPLE_DASHED:
    case TT_CHART_SAMPLE_DOTTED:
      {
        PLFLT xs[2] = { x_px, x_px + w };
        PLFLT ys[2] = { y_pl, y_pl };

        set_line (self, item->sample == TT_CHART_SAMPLE_LINE ? LINE_SOLID :
                        item->sample == TT_CHART_SAMPLE_DASHED ? LINE_DASHED : LINE_DOTTED,
                  style->line_px);
        plline (2, xs, ys);
        set_line (self, LINE_SOLID, 1);
      }
      break;
    case TT_CHART_SAMPLE_BOX:
      fill_rect (x_px, x_px + w, y_pl - 0.4 * f, y_pl + 0.4 * f);
      break;
    case TT_CHART_SAMPLE_HATCH:
      plwidth (1);
      hatch_rect (self, x_px, x_px + w, y_pl - 0.4 * f, y_pl + 0.4 * f);
      break;
    default:
      g_assert_not_reached ();
    }
  set_color (&style->foreground);
  page_text (frame, x_px + w + LEGEND_TEXT_GAP * f, y, 0, item->text);
}

static void
draw_plot (TtChart            *self,
           const TtChartFrame *frame)
{
  const TtChartStyle *style = &frame->style;
  double f = style->font_px;
  gboolean has_rate = frame->rate_max > 0;

  plslabelfunc (label_cb, self);
  plschr (f / self->px_per_mm * PANGO_POINTS, 1.0);
  set_line (self, LINE_SOLID, 1);
  use_plot (frame, frame->y_min, frame->y_max);

  /* Back to front: band, excluded time, grid, thresholds, events, data, axes, labels. */
  if (!isnan (frame->band_lower))
    {
      set_color (&style->band);
      fill_rect (frame->x_min, frame->x_max, frame->band_lower, frame->band_upper);
    }
  for (guint i = 0; i < frame->excluded->len; i++)
    {
      TtChartFrameSegment *segment = &g_array_index (frame->excluded, TtChartFrameSegment, i);
      TtChartColor shade = with_alpha (style->excluded, 0.25);

      set_color (&shade);
      fill_rect (segment->x0, segment->x1, frame->y_min, frame->y_max);
      set_color (&style->excluded);
      hatch_rect (self, segment->x0, segment->x1, frame->y_min, frame->y_max);
    }

  set_color (&style->grid);
  plbox ("g", frame->x_tick, 0, "g", frame->y_tick, 0);

  plflush ();   /* what PLplot drew so far is on the context */
  dashed_hline (self, frame, frame->critical, &style->critical, LINE_DOTTED,
                MAX (1, style->line_px * 0.75));
  dashed_hline (self, frame, frame->threshold, &style->threshold, LINE_DASHED,
                MAX (1, style->line_px * 0.75));
  set_color (&style->event);
  set_line (self, LINE_SOLID, 1);
  for (guint i = 0; i < frame->events->len; i++)
    {
      TtChartFrameEvent *event = &g_array_index (frame->events, TtChartFrameEvent, i);
      PLFLT xs[2] = { event->x, event->x };
      PLFLT ys[2] = { frame->y_min, frame->y_max };

      plline (2, xs, ys);
    }

  for (guint i = 0; i < frame->traces->len; i++)
    {
      TtChartFrameTrace *trace = g_ptr_array_index (frame->traces, i);

      set_color (&trace->color);
      set_line (self, LINE_SOLID, MAX (1, style->line_px * 0.5));
      draw_line (&trace->line);
    }
  set_color (&style->map);
  set_line (self, LINE_SOLID, style->line_px);
  if (frame->map_dense)
    {
      /* A waveform: fill its envelope. The cairo driver strokes the outline of every filled
       * polygon with the pen, which keeps a narrow envelope visible: a 1 px pen (a pen as wide
       * as the MAP line cost 1.5 ms more a frame, for an outline no one needs thicker). */
      TtChartLine envelope;
      TtChartColor fill = with_alpha (style->map, ENVELOPE_ALPHA);
      guint start = 0;

      set_color (&fill);
      set_line (self, LINE_SOLID, 1);
      line_init (&envelope);
      tt_chart_frame_envelope (frame, &frame->map, &envelope);
      for (guint r = 0; r < envelope.runs->len; r++)
        {
          guint n = g_array_index (envelope.runs, guint, r);

          if (n >= 3)
            plfill ((PLINT) n, &g_array_index (envelope.x, double, start),
                    &g_array_index (envelope.y, double, start));
          start += n;
        }
      line_clear (&envelope);
    }
  else
    {
      draw_line (&frame->map);
    }

  if (has_rate)
    {
      use_plot (frame, 0, frame->rate_max);
      set_color (&style->rate);
      draw_line (&frame->rate);
      set_line (self, LINE_SOLID, 1);
      plbox ("", 0, 0, "ct", frame->rate_tick, 0);
      use_plot (frame, frame->y_min, frame->y_max);
    }

  set_color (&style->foreground);
  set_line (self, LINE_SOLID, 1);
  plbox ("bnot", frame->x_tick, 0, "bnotv", frame->y_tick, 0);

  /* Labels inside and around the plot, in page pixels, each on a patch of the background so
   * that it stays legible over the lines. */
  use_page (frame);
  for (guint i = 0; i < frame->labels->len; i++)
    {
      TtChartFrameLabel *label = &g_array_index (frame->labels, TtChartFrameLabel, i);
      const TtChartColor *color = label->kind == TT_CHART_LABEL_THRESHOLD ? &style->threshold :
                                  label->kind == TT_CHART_LABEL_CRITICAL ? &style->critical :
                                  label->kind == TT_CHART_LABEL_EVENT ? &style->event :
                                  &style->foreground;
      double y_pl = frame->height - label->y - label->height;
      gboolean in_plot = label->kind == TT_CHART_LABEL_EVENT ||
                         label->kind == TT_CHART_LABEL_SEGMENT;

      if (in_plot && style->background.alpha > 0)
        {
          TtChartColor patch = with_alpha (style->background, 0.8);

          set_color (&patch);
          fill_rect (label->x, label->x + label->width, y_pl, y_pl + label->height);
        }
      set_color (color);
      page_text (frame, label->x + LABEL_PAD * f, label->y + label->height / 2, 0,
                 label->text);
    }

  /* The rate axis' tick labels, but none under a threshold's value in the same margin. */
  if (has_rate)
    {
      set_color (&style->rate);
      for (guint k = 0; k * frame->rate_tick <= frame->rate_max * (1 + 1e-9); k++)
        {
          double value = k * frame->rate_tick;
          double y = plot_y_px (frame, value, 0, frame->rate_max);
          g_autofree char *text = g_strdup_printf ("%g", round (value * 1000) / 1000);
          Box box = label_box (frame->plot_x + frame->plot_w + MARGIN_LABEL_GAP * f, y,
                               text_px (self, f, text), f);
          gboolean covered = FALSE;

          for (guint i = 0; i < frame->labels->len && !covered; i++)
            {
              TtChartFrameLabel *label = &g_array_index (frame->labels, TtChartFrameLabel, i);

              covered = (label->kind == TT_CHART_LABEL_THRESHOLD ||
                         label->kind == TT_CHART_LABEL_CRITICAL) &&
                        box.y0 < label->y + label->height && box.y1 > label->y;
            }
          if (!covered)
            page_text (frame, box.x0 + LABEL_PAD * f, y, 0, text);
        }
    }

  /* Units above the axes, the title, and the legend below the time labels. */
  set_color (&style->foreground);
  page_text (frame, frame->plot_x, frame->plot_y - 1.1 * f, 0.5, "mmHg");
  if (frame->title)
    page_text (frame, frame->plot_x - 1.5 * f, frame->plot_y - 2.3 * f, 0, frame->title);
  if (has_rate)
    {
      set_color (&style->rate);
      page_text (frame, frame->width - 0.2 * f, frame->plot_y - 1.1 * f, 1, "µg/kg/min");
    }

  for (guint i = 0; i < frame->legend->len; i++)
    draw_legend_item (self, frame, &g_array_index (frame->legend, TtChartFrameLegend, i));
}

gboolean
tt_chart_draw_frame (TtChart             *self,
                     const TtChartFrame  *frame,
                     cairo_t             *cr,
                     GError             **error)
{
  const TtChartColor *bg = &frame->style.background;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_OUTPUT,
                   _("The chart cannot be drawn on a failed cairo context: %s"),
                   cairo_status_to_string (cairo_status (cr)));
      return FALSE;
    }
  if (!tt_chart_check_driver (error) ||
      !ensure_stream (self, frame->width, frame->height, error))
    return FALSE;

  /* extcairo paints no background and flips the context's y axis on every DEVINIT. */
  cairo_save (cr);
  if (bg->alpha > 0)
    {
      cairo_set_source_rgba (cr, bg->red, bg->green, bg->blue, bg->alpha);
      cairo_rectangle (cr, 0, 0, frame->width, frame->height);
      cairo_fill (cr);
    }
  self->cr = cr;
  cairo_get_matrix (cr, &self->page_matrix);
  pl_cmd (PLESC_DEVINIT, cr);
  pladv (0);
  draw_plot (self, frame);
  plflush ();
  self->cr = NULL;
  cairo_restore (cr);
  return TRUE;
}

gboolean
tt_chart_draw (TtChart  *self,
               cairo_t  *cr,
               int       width,
               int       height,
               GError  **error)
{
  g_autoptr(TtChartFrame) frame = NULL;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);

  frame = tt_chart_prepare (self, width, height, error);
  return frame != NULL && tt_chart_draw_frame (self, frame, cr, error);
}

static gboolean
surface_ok (cairo_surface_t  *surface,
            const char       *path,
            GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_OUTPUT,
               _("The chart could not be written to “%s”: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
tt_chart_write_png (TtChart     *self,
                    const char  *path,
                    int          width,
                    int          height,
                    GError     **error)
{
  g_autoptr(TtChartFrame) frame = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  frame = tt_chart_prepare (self, width, height, error);
  if (frame == NULL)
    return FALSE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  ok = tt_chart_draw_frame (self, frame, cr, error);
  cairo_destroy (cr);
  if (ok)
    {
      cairo_status_t status = cairo_surface_write_to_png (surface, path);

      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_OUTPUT,
                       _("The chart could not be written to “%s”: %s"), path,
                       cairo_status_to_string (status));
          ok = FALSE;
        }
    }
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
tt_chart_write_pdf (TtChart     *self,
                    const char  *path,
                    double       width_pt,
                    double       height_pt,
                    GError     **error)
{
  g_autoptr(TtChartFrame) frame = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (TT_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!(isfinite (width_pt) && isfinite (height_pt)))
    {
      g_set_error (error, TT_CHART_ERROR, TT_CHART_ERROR_INVALID,
                   _("PDF page %g × %g pt is not a size"), width_pt, height_pt);
      return FALSE;
    }
  frame = tt_chart_prepare (self, (int) ceil (width_pt), (int) ceil (height_pt), error);
  if (frame == NULL)
    return FALSE;
  surface = cairo_pdf_surface_create (path, width_pt, height_pt);
  if (!surface_ok (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cr = cairo_create (surface);
  ok = tt_chart_draw_frame (self, frame, cr, error);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (ok)
    ok = surface_ok (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}
