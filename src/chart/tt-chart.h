/* tt-chart.h: the MAP trend chart — a model of prepared data, drawn by PLplot on any cairo surface.
 *
 * The chart holds what it shows (MAP samples or a waveform, extra traces, the target band, the
 * thresholds, events, excluded segments, the NE rate) and a time window. tt_chart_prepare() turns
 * that into a TtChartFrame (pixel layout, min/max-reduced polylines, step line, ticks) without
 * calling PLplot, so it is testable without a display; tt_chart_draw() paints a frame on a cairo
 * context with PLplot's extcairo driver. Everything is validated before the first pl* call: PLplot
 * calls exit() on errors, and a chart must never end the application.
 *
 * Not thread-safe: PLplot has global state, so every TtChart is used from the main thread only.
 * The chart decides nothing clinical and reads no clock: the window's end time is an argument.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define TT_CHART_ERROR (tt_chart_error_quark ())

typedef enum {
  TT_CHART_ERROR_NO_DRIVER,   /* PLplot's extcairo driver is not installed */
  TT_CHART_ERROR_INVALID,     /* a value, range or window that cannot be drawn */
  TT_CHART_ERROR_TOO_SMALL,   /* the surface is too small for axes and labels */
  TT_CHART_ERROR_STREAMS,     /* PLplot has no free stream left */
  TT_CHART_ERROR_OUTPUT,      /* a PNG or PDF file could not be written */
} TtChartError;

/* How the time axis is labelled: minutes relative to the reference time (induction) such as
 * "-9 min", "+1 min", or the local clock time ("08:14") when a wall-clock start is known. */
typedef enum {
  TT_CHART_LABELS_RELATIVE,
  TT_CHART_LABELS_CLOCK,
} TtChartLabels;

/* A colour with components in 0..1 (the same layout as GdkRGBA, without depending on GTK). */
typedef struct {
  double red;
  double green;
  double blue;
  double alpha;
} TtChartColor;

/* Colours and sizes come from the caller (the GUI's light, dark or high-contrast style, or the
 * report's print style). A background with alpha 0 is not painted. */
typedef struct {
  TtChartColor background;
  TtChartColor foreground;   /* axes, tick labels, legend text */
  TtChartColor grid;
  TtChartColor map;          /* the MAP line */
  TtChartColor band;         /* the target band's fill (usually translucent) */
  TtChartColor threshold;    /* the hypotension threshold line */
  TtChartColor critical;     /* the critical threshold line */
  TtChartColor rate;         /* the NE rate step line and its axis */
  TtChartColor event;        /* event lines and labels */
  TtChartColor excluded;     /* hatching of excluded segments */
  double       font_px;      /* height of tick labels in pixels (points on a PDF surface) */
  double       line_px;      /* width of the MAP and rate lines */
} TtChartStyle;

void tt_chart_style_init_light (TtChartStyle *style);
void tt_chart_style_init_dark  (TtChartStyle *style);

/* A polyline in plot coordinates (x in minutes from the reference time, y in the axis' unit).
 * Breaks (gaps in the data, excluded segments) end one run and start the next. */
typedef struct {
  GArray *x;      /* of double */
  GArray *y;      /* of double */
  GArray *runs;   /* of guint: the number of points in each consecutive run */
} TtChartLine;

/* Where the label of an event or an excluded segment went: a row from the top of the plot, or
 * TT_CHART_NO_ROW when there was no room for even a shortened label (the line is still drawn). */
#define TT_CHART_NO_ROW G_MAXUINT

typedef struct {
  double  x;          /* minutes from the reference time */
  char     *label;    /* as given; what is drawn (perhaps shortened) is in the frame's labels */
  guint     row;      /* label row from the top of the plot, so that close labels do not overlap */
  gboolean  left;     /* the label sits left of the line (no room on its right) */
} TtChartFrameEvent;

typedef struct {
  double  x0;
  double  x1;
  char   *label;      /* over the segment, in the same rows as the events' labels */
  double  label_x;    /* the label's centre: the segment's, moved inside the plot if need be */
  guint   row;
} TtChartFrameSegment;

typedef enum {
  TT_CHART_LABEL_THRESHOLD,   /* "65 mmHg" next to the hypotension threshold line */
  TT_CHART_LABEL_CRITICAL,    /* "60 mmHg critical" next to the critical line */
  TT_CHART_LABEL_EVENT,
  TT_CHART_LABEL_SEGMENT,
} TtChartLabelKind;

/* A label drawn over the plot on a patch of the background. The box (patch included) is in pixels
 * from the surface's top-left corner; boxes never overlap each other and stay inside the plot. */
typedef struct {
  TtChartLabelKind kind;
  char            *text;      /* shortened with "…" when the whole label had no room */
  double           x;
  double           y;
  double           width;
  double           height;
} TtChartFrameLabel;

/* What a legend entry shows left of its text. */
typedef enum {
  TT_CHART_SAMPLE_LINE,
  TT_CHART_SAMPLE_DASHED,
  TT_CHART_SAMPLE_DOTTED,
  TT_CHART_SAMPLE_BOX,
  TT_CHART_SAMPLE_HATCH,
} TtChartSample;

/* One legend entry under the time axis; the legend takes one row, or two when one is too narrow,
 * and drops or shortens entries rather than run past the surface's right edge. */
typedef struct {
  TtChartSample sample;
  TtChartColor  color;
  char         *text;
  double        x;          /* the sample's left edge in pixels */
  double        width;      /* sample, gap and text in pixels */
  guint         row;        /* from the top of the legend */
} TtChartFrameLegend;

typedef struct {
  TtChartLine  line;
  TtChartColor color;
  char        *label;       /* legend entry; NULL when the trace shares its group's entry */
} TtChartFrameTrace;

/* A prepared frame: everything tt_chart_draw() paints, in plot coordinates, plus the layout in
 * pixels. Produced without PLplot; the benchmark draws the same frame with bare cairo. */
typedef struct {
  int          width;
  int          height;
  /* The plot area in pixels from the top-left corner of the surface. */
  double       plot_x;
  double       plot_y;
  double       plot_w;
  double       plot_h;
  guint        columns;       /* pixel columns of the plot area: the resolution of the reduction */

  double       x_min;         /* minutes from the reference time */
  double       x_max;
  double       y_min;         /* mmHg */
  double       y_max;
  double       rate_max;      /* top of the rate axis in µg/kg/min; 0 when no rate is shown */
  double       x_tick;        /* minutes between labelled ticks */
  double       y_tick;        /* mmHg between labelled ticks */
  double       rate_tick;

  TtChartLine  map;           /* min/max-reduced MAP, one column at most two points */
  gboolean     map_dense;     /* many samples a column (a waveform): drawn as a filled envelope */
  GPtrArray   *traces;        /* of TtChartFrameTrace: the extra traces, reduced the same way */
  TtChartLine  rate;          /* the step line, already with its corners */
  double       rate_now;      /* the rate at the window's end, NAN when none is known */
  double       band_lower;    /* NAN when no band */
  double       band_upper;
  double       threshold;     /* NAN when none */
  double       critical;
  GArray      *events;        /* of TtChartFrameEvent, the visible ones */
  GArray      *excluded;      /* of TtChartFrameSegment, clipped to the window */
  GArray      *labels;        /* of TtChartFrameLabel: thresholds, events and segments */
  GArray      *legend;        /* of TtChartFrameLegend */
  guint        legend_rows;
  char        *title;         /* NULL when the caller shows its own title */
  TtChartStyle style;
} TtChartFrame;

void tt_chart_frame_free (TtChartFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtChartFrame, tt_chart_frame_free)

#define TT_TYPE_CHART (tt_chart_get_type ())
G_DECLARE_FINAL_TYPE (TtChart, tt_chart, TT, CHART, GObject)

GQuark        tt_chart_error_quark     (void);

/* Checks once that PLplot has the extcairo driver; call it at start-up to report a clear error
 * rather than a chart that stays blank. tt_chart_draw() checks it too. */
gboolean      tt_chart_check_driver    (GError            **error);

TtChart      *tt_chart_new             (void);

/* The MAP series: times in ms on the case clock, ascending; values in mmHg, NAN marks a gap.
 * A 125 Hz waveform is as welcome as 1 Hz numerics: frames are reduced per pixel column. */
gboolean      tt_chart_set_map         (TtChart            *self,
                                        const gint64       *t_ms,
                                        const double       *values,
                                        gsize               n,
                                        GError            **error);
gboolean      tt_chart_append_map      (TtChart            *self,
                                        gint64              t_ms,
                                        double              value,
                                        GError            **error);
gsize         tt_chart_get_n_map       (TtChart            *self);

/* Extra traces drawn like the MAP line, e.g. every virtual patient of a trial arm. Traces with
 * the same non-NULL label share one legend entry; @color NULL uses the style's MAP colour. */
gboolean      tt_chart_add_trace       (TtChart            *self,
                                        const char         *label,
                                        const TtChartColor *color,
                                        const gint64       *t_ms,
                                        const double       *values,
                                        gsize               n,
                                        GError            **error);
void          tt_chart_clear_traces    (TtChart            *self);

/* The NE infusion rate in µg/kg/min from @t_ms on, until the next change (a step line). */
gboolean      tt_chart_append_rate     (TtChart            *self,
                                        gint64              t_ms,
                                        double              ug_kg_min,
                                        GError            **error);
/* mL/h per µg/kg/min for the loaded syringe (weight × 60 / concentration), so that the rate's
 * label shows both units; NAN when unknown. */
gboolean      tt_chart_set_rate_ml_h_factor (TtChart       *self,
                                        double              factor,
                                        GError            **error);

/* Band and thresholds in mmHg; NAN removes them. */
gboolean      tt_chart_set_band        (TtChart            *self,
                                        double              lower,
                                        double              upper,
                                        GError            **error);
gboolean      tt_chart_set_thresholds  (TtChart            *self,
                                        double              hypotension,
                                        double              critical,
                                        GError            **error);
void          tt_chart_add_event       (TtChart            *self,
                                        gint64              t_ms,
                                        const char         *label);
gboolean      tt_chart_add_excluded    (TtChart            *self,
                                        gint64              start_ms,
                                        gint64              end_ms,
                                        const char         *label,
                                        GError            **error);
/* Removes events, excluded segments, rates, MAP and traces (the style and window stay). */
void          tt_chart_clear           (TtChart            *self);

/* The time window: its span, and either a fixed end (scrolled back) or following the latest
 * data (live). tt_chart_set_window() fixes both; tt_chart_scroll() moves the end by @delta_ms
 * within the data and follows again once it reaches the latest time. */
gboolean      tt_chart_set_window      (TtChart            *self,
                                        gint64              end_ms,
                                        gint64              span_ms,
                                        GError            **error);
gboolean      tt_chart_set_span        (TtChart            *self,
                                        gint64              span_ms,
                                        GError            **error);
void          tt_chart_set_follow      (TtChart            *self,
                                        gboolean            follow);
gboolean      tt_chart_get_follow      (TtChart            *self);
void          tt_chart_scroll          (TtChart            *self,
                                        gint64              delta_ms);
/* The window in effect: @start_ms and @end_ms may be NULL. */
void          tt_chart_get_window      (TtChart            *self,
                                        gint64             *start_ms,
                                        gint64             *end_ms);
gint64        tt_chart_get_span        (TtChart            *self);
/* The latest time of any MAP sample, trace, rate change or event; 0 when there is none. */
gint64        tt_chart_get_last_time   (TtChart            *self);
/* Fixed MAP axis in mmHg; NAN, NAN chooses it from the data (at least 40–120). */
gboolean      tt_chart_set_y_range     (TtChart            *self,
                                        double              y_min,
                                        double              y_max,
                                        GError            **error);

/* Time zero of the relative labels (the start of induction). */
void          tt_chart_set_reference   (TtChart            *self,
                                        gint64              t_ms);
/* Clock labels need the wall-clock time (with its zone) of case time 0; NULL falls back to
 * relative labels. */
void          tt_chart_set_labels      (TtChart            *self,
                                        TtChartLabels       labels,
                                        GDateTime          *case_start);
void          tt_chart_set_title       (TtChart            *self,
                                        const char         *title);
void          tt_chart_set_style       (TtChart            *self,
                                        const TtChartStyle *style);
const TtChartStyle *tt_chart_get_style (TtChart            *self);

/* Formats a tick value of the time axis as it is drawn, e.g. "-9 min", "0", "+5 min", "08:14". */
char         *tt_chart_format_time     (TtChart            *self,
                                        double              minutes);

/* A sentence describing what the chart shows now, for assistive technologies, e.g. "MAP 53 mmHg,
 * below the target band 70–90 mmHg, falling 3 mmHg/min; NE 0.09 µg/kg/min (19.4 mL/h)". */
char         *tt_chart_describe        (TtChart            *self);

/* Min/max reduction of samples in [@x_start, @x_end) onto @columns pixel columns: in every column
 * the smallest and the largest value, in their time order (one point when they coincide), so a
 * 60-minute 125 Hz waveform draws with as many points as 1 Hz numerics. One sample before and
 * after the window are kept unreduced so that the line reaches the edges. A NAN value or a time
 * step above @max_gap_ms breaks the line. Points are appended to @line as (minutes from
 * @t_ref_ms, value). */
void          tt_chart_reduce          (const gint64       *t_ms,
                                        const double       *values,
                                        gsize               n,
                                        gint64              x_start,
                                        gint64              x_end,
                                        guint               columns,
                                        gint64              max_gap_ms,
                                        gint64              t_ref_ms,
                                        TtChartLine        *line);

/* The envelope of a reduced @line in @frame: for every run, one closed polygon through each
 * column's maximum from left to right and back through each column's minimum. Filling it costs
 * far less than stroking a zigzag through a 125 Hz waveform. Points are appended to @polygons. */
void          tt_chart_frame_envelope  (const TtChartFrame *frame,
                                        const TtChartLine  *line,
                                        TtChartLine        *polygons);

TtChartFrame *tt_chart_prepare         (TtChart            *self,
                                        int                 width,
                                        int                 height,
                                        GError            **error);
/* The case time under @x pixels from the left of a @width × @height drawing of the chart as it is
 * now, clamped to the plotted window (a click on the trend); FALSE when it cannot be drawn. */
gboolean      tt_chart_time_at         (TtChart            *self,
                                        int                 width,
                                        int                 height,
                                        double              x,
                                        gint64             *t_ms);

/* Draws the chart filling (0, 0, @width, @height) of @cr (screen, image or PDF surface). The
 * context's state is restored afterwards. */
gboolean      tt_chart_draw            (TtChart            *self,
                                        cairo_t            *cr,
                                        int                 width,
                                        int                 height,
                                        GError            **error);
gboolean      tt_chart_draw_frame      (TtChart            *self,
                                        const TtChartFrame *frame,
                                        cairo_t            *cr,
                                        GError            **error);

/* Writes the chart to a PNG (pixels) or PDF (points) file. */
gboolean      tt_chart_write_png       (TtChart            *self,
                                        const char         *path,
                                        int                 width,
                                        int                 height,
                                        GError            **error);
gboolean      tt_chart_write_pdf       (TtChart            *self,
                                        const char         *path,
                                        double              width_pt,
                                        double              height_pt,
                                        GError            **error);

G_END_DECLS
