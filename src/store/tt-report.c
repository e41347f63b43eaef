/* tt-report.c: the PDF case report, laid out with Pango on a cairo PDF surface; the trend is the
 * screen's chart (tt-chart) replayed from a cairo recording surface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "tt-chart.h"
#include "tt-dose.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-report.h"

#define MARGIN 42.0
#define CONTENT_WIDTH (TT_REPORT_PAGE_WIDTH_PT - 2 * MARGIN)
#define CHART_HEIGHT 250.0
#define FONT "Sans"
/* The hypotension threshold drawn on the trend: 65 mmHg (CLINICAL.md §3, Salmasi 2017). */
#define REPORT_THRESHOLD_MMHG 65.0

typedef struct {
  cairo_t           *cr;
  PangoLayout       *layout;
  double             y;
  guint              page;
  const TtStoreCase *c;
} Report;

typedef struct {
  const char *title;
  double      width;   /* fraction of the content width */
} Column;

static void
page_footer (Report *r)
{
  g_autofree char *text = g_strdup_printf (_("Titrate %s · session %" PRId64 " · page %u · "
                                             "decision support, not an alarm system"),
                                           PACKAGE_VERSION, r->c->info->id, r->page);
  PangoFontDescription *font = pango_font_description_from_string (FONT " 7");

  pango_layout_set_font_description (r->layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (r->layout, (int) (CONTENT_WIDTH * PANGO_SCALE));
  pango_layout_set_markup (r->layout, "", -1);
  pango_layout_set_text (r->layout, text, -1);
  cairo_set_source_rgb (r->cr, 0.35, 0.35, 0.35);
  cairo_move_to (r->cr, MARGIN, TT_REPORT_PAGE_HEIGHT_PT - MARGIN + 12);
  pango_cairo_show_layout (r->cr, r->layout);
  cairo_set_source_rgb (r->cr, 0, 0, 0);
}

static void
new_page (Report *r)
{
  page_footer (r);
  cairo_show_page (r->cr);
  r->page++;
  r->y = MARGIN;
}

static void
ensure_room (Report *r,
             double  height)
{
  if (r->y + height > TT_REPORT_PAGE_HEIGHT_PT - MARGIN)
    new_page (r);
}

/* Lays out @text (Pango markup when @markup) at (x, y) in @width; returns its height. */
static double
layout_text (Report     *r,
             const char *text,
             gboolean    markup,
             const char *font,
             double      width)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (r->layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (r->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (r->layout, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup (r->layout, text, -1);
  else
    {
      pango_layout_set_attributes (r->layout, NULL);
      pango_layout_set_text (r->layout, text, -1);
    }
  pango_layout_get_size (r->layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
paragraph (Report     *r,
           const char *text,
           gboolean    markup,
           const char *font,
           double      space_after)
{
  double height = layout_text (r, text, markup, font, CONTENT_WIDTH);

  ensure_room (r, height);
  layout_text (r, text, markup, font, CONTENT_WIDTH);
  cairo_move_to (r->cr, MARGIN, r->y);
  pango_cairo_show_layout (r->cr, r->layout);
  r->y += height + space_after;
}

static void
heading (Report     *r,
         const char *text)
{
  /* Keep a heading with at least a few lines of what follows. */
  ensure_room (r, 60);
  r->y += 6;
  paragraph (r, text, FALSE, FONT " Bold 11", 4);
}

/* One table row; a header row is bold with a rule below. */
static void
table_row (Report             *r,
           const Column       *columns,
           guint               n_columns,
           const char * const *cells,
           gboolean            header)
{
  const char *font = header ? FONT " Bold 7.5" : FONT " 7.5";
  double height = 0, x = MARGIN;

  for (guint i = 0; i < n_columns; i++)
    height = MAX (height, layout_text (r, cells[i] != NULL ? cells[i] : "", FALSE, font,
                                       columns[i].width * CONTENT_WIDTH - 4));
  ensure_room (r, height + 3);
  for (guint i = 0; i < n_columns; i++)
    {
      layout_text (r, cells[i] != NULL ? cells[i] : "", FALSE, font,
                   columns[i].width * CONTENT_WIDTH - 4);
      cairo_move_to (r->cr, x, r->y);
      pango_cairo_show_layout (r->cr, r->layout);
      x += columns[i].width * CONTENT_WIDTH;
    }
  r->y += height + 2;
  if (header)
    {
      cairo_set_line_width (r->cr, 0.5);
      cairo_move_to (r->cr, MARGIN, r->y);
      cairo_line_to (r->cr, MARGIN + CONTENT_WIDTH, r->y);
      cairo_stroke (r->cr);
      r->y += 2;
    }
}

static void
table_header (Report       *r,
              const Column *columns,
              guint         n_columns)
{
  const char *cells[16];

  g_assert (n_columns <= G_N_ELEMENTS (cells));
  for (guint i = 0; i < n_columns; i++)
    cells[i] = _(columns[i].title);
  table_row (r, columns, n_columns, cells, TRUE);
}

/* Formatting: every number with its unit; "—" where there is none. */

static char *
fmt (double      value,
     int         decimals,
     const char *unit)
{
  if (!isfinite (value))
    return g_strdup ("—");
  return g_strdup_printf ("%.*f%s%s", decimals, value, unit[0] != '\0' ? " " : "", unit);
}

static char *
fmt_rate (const TtStoreSetup *s,
          double              ug_kg_min)
{
  if (!isfinite (ug_kg_min))
    return g_strdup ("—");
  /* mL/h needs the weight and the syringe, which a replayed recording may not have. */
  if (!(s->weight_kg > 0 && s->concentration_ug_ml > 0))
    return g_strdup_printf (_("%.3f µg/kg/min (mL/h unknown: no weight or syringe)"), ug_kg_min);
  return g_strdup_printf (_("%.3f µg/kg/min (%.1f mL/h)"), ug_kg_min,
                          tt_dose_ml_h (ug_kg_min, s->weight_kg, s->concentration_ug_ml));
}

/* Case time as "mm:ss" from the start of induction (or from the case start without one), and the
 * UTC clock time ("+4:03 (12:04:03 UTC)", or without " UTC" where the row already says it). */
static char *
fmt_time_utc (const Report *r,
              gint64        t_ms,
              gboolean      say_utc)
{
  gint64 induction = tt_recording_find_event (r->c->recording, "induction");
  gint64 rel = t_ms - MAX (induction, 0);
  gint64 abs_rel = ABS (rel) / 1000;
  g_autoptr(GDateTime) clock =
    g_date_time_new_from_unix_utc ((r->c->info->setup.start_unix_ms + t_ms) / 1000);
  g_autofree char *clock_text = clock != NULL ? g_date_time_format (clock, "%H:%M:%S") : NULL;

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02d (%s%s)",
                          rel < 0 ? "−" : induction >= 0 ? "+" : "",
                          abs_rel / 60, (int) (abs_rel % 60), clock_text != NULL ? clock_text : "?",
                          say_utc ? " UTC" : "");
}

static char *
fmt_time (const Report *r,
          gint64        t_ms)
{
  return fmt_time_utc (r, t_ms, TRUE);
}

static void
setup_section (Report *r)
{
  const TtStoreSessionInfo *info = r->c->info;
  const TtStoreSetup *s = &info->setup;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (s->start_unix_ms / 1000);
  g_autofree char *start_text = start != NULL ? g_date_time_format (start, "%Y-%m-%d %H:%M:%S UTC")
                                              : g_strdup ("?");
  g_autofree char *weight = fmt (s->weight_kg, 1, "kg");
  g_autofree char *baseline = fmt (s->baseline_map, 0, "mmHg");
  g_autofree char *critical = fmt (s->critical_map, 0, "mmHg");
  g_autofree char *conc = fmt (s->concentration_ug_ml, 0, "µg/mL");
  g_autofree char *start_rate = fmt_rate (s, s->start_rate);
  g_autofree char *soft = fmt_rate (s, s->rate_soft_max);
  g_autofree char *hard = fmt_rate (s, s->rate_hard_max);
  g_autofree char *bolus = fmt (s->bolus_dose_ug, 0, "µg");
  g_autofree char *bolus_soft = fmt (s->bolus_soft_max_ug, 0, "µg");
  g_autofree char *bolus_hard = fmt (s->bolus_hard_max_ug, 0, "µg");
  g_autofree char *band = g_strdup_printf ("%.0f–%.0f mmHg", s->band_low, s->band_high);
  g_autofree char *duration = info->last_t_ms >= 0
                              ? g_strdup_printf (_("%.1f min of samples"), info->last_t_ms / 60000.0)
                              : g_strdup (_("no samples"));
  g_autofree char *rate_limits = g_strdup_printf (_("soft %s, hard %s"), soft, hard);
  g_autofree char *bolus_limits = g_strdup_printf (_("soft %s, hard %s"), bolus_soft, bolus_hard);
  g_autofree char *syringe = fmt (s->syringe_ml, 1, "mL");
  g_autofree char *dead_space = !isfinite (s->dead_space_ml) ? g_strdup ("—")
                                : s->dead_space_ml > 0 ? fmt (s->dead_space_ml, 1, "mL")
                                : g_strdup (_("none (primed to the cannula)"));
  const Column columns[] = { { N_("Setting"), 0.3 }, { N_("Value"), 0.7 } };
  const char *rows[][2] = {
    { N_("Label"), s->label },
    { N_("Mode"), s->mode == TT_STORE_MODE_LIVE ? _("live case")
                  : s->mode == TT_STORE_MODE_TRAINING ? _("TRAINING (virtual patient)")
                  : _("TRAINING (replay of a recording)") },
    { N_("Started"), start_text },
    { N_("State"), info->state == TT_STORE_STATE_ENDED ? _("ended")
                   : info->state == TT_STORE_STATE_INTERRUPTED ? _("interrupted (not ended)")
                   : _("open") },
    { N_("Duration"), duration },
    { N_("Weight"), weight },
    { N_("Baseline MAP"), baseline },
    { N_("Target band"), band },
    { N_("Critical MAP"), critical },
    { N_("Norepinephrine"), conc },
    { N_("Syringe at the start"), syringe },
    { N_("Unprimed line"), dead_space },
    { N_("Line"), s->line_type },
    { N_("Starting rate"), start_rate },
    { N_("Rescue bolus"), bolus },
    { N_("Rate limits"), rate_limits },
    { N_("Bolus limits"), bolus_limits },
    { N_("Recorded from"), s->source },
    { N_("Titrate version"), s->app_version },
  };

  heading (r, _("Setup"));
  table_header (r, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *cells[2] = { _(rows[i][0]), rows[i][1] };

      if (cells[1] != NULL)
        table_row (r, columns, 2, cells, FALSE);
    }
}

static void
checklist_section (Report *r)
{
  const Column columns[] = { { N_("Time"), 0.28 }, { N_("Item"), 0.32 }, { N_("Result"), 0.4 } };

  heading (r, _("Readiness checklist"));
  if (r->c->checklist->len == 0)
    {
      paragraph (r, _("No checklist item was logged."), FALSE, FONT " 8", 4);
      return;
    }
  table_header (r, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < r->c->checklist->len; i++)
    {
      const TtStoreChecklistItem *item = &g_array_index (r->c->checklist, TtStoreChecklistItem, i);
      g_autofree char *time = fmt_time (r, item->t_ms);
      g_autofree char *result = item->override_reason != NULL
                                ? g_strdup_printf (_("overridden: %s"), item->override_reason)
                                : g_strdup (_("checked"));
      const char *cells[] = { time, item->item, result };

      table_row (r, columns, G_N_ELEMENTS (columns), cells, FALSE);
    }
}

/* The trend: drawn into a recording surface (PLplot sets the context's matrix itself) and
 * replayed at the current position, so the PDF keeps it as vectors. */
static void
chart_section (Report      *r,
               const GArray *points)
{
  const TtStoreCase *c = r->c;
  const TtStoreSetup *s = &c->info->setup;
  const GArray *samples = c->recording->samples;
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *times = g_new (gint64, MAX (samples->len, 1));
  g_autofree double *values = g_new (double, MAX (samples->len, 1));
  gint64 induction = tt_recording_find_event (c->recording, "induction");
  gint64 last = 0;
  TtChartStyle style;
  cairo_surface_t *recording;
  cairo_t *cr;
  gboolean ok;

  /* The heading goes to the next page with the chart when the chart does not fit under it. */
  ensure_room (r, CHART_HEIGHT + 70);
  heading (r, _("MAP trend"));
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *sample = &g_array_index (samples, TtSample, i);

      times[i] = sample->t_ms;
      /* Flagged samples are shown as excluded segments, not as values. */
      values[i] = sample->quality == TT_QUALITY_VALID ? sample->map : NAN;
      last = MAX (last, sample->t_ms);
    }

  tt_chart_style_init_light (&style);
  style.font_px = 8;
  style.line_px = 1;
  tt_chart_set_style (chart, &style);
  ok = tt_chart_set_map (chart, times, values, samples->len, &error) &&
       tt_chart_set_band (chart, s->band_low, s->band_high, &error) &&
       tt_chart_set_thresholds (chart, REPORT_THRESHOLD_MMHG, s->critical_map, &error) &&
       (!(s->weight_kg > 0 && s->concentration_ug_ml > 0) ||
        tt_chart_set_rate_ml_h_factor (chart, s->weight_kg * 60 / s->concentration_ug_ml,
                                       &error));
  for (guint i = 0; ok && i < c->rate_changes->len; i++)
    {
      const TtStoreRateChange *change = &g_array_index (c->rate_changes, TtStoreRateChange, i);

      ok = tt_chart_append_rate (chart, change->t_ms, change->rate_ug_kg_min, &error);
      last = MAX (last, change->t_ms);
    }
  for (guint i = 0; ok && i < c->recording->events->len; i++)
    {
      const TtRecordingEvent *event = &g_array_index (c->recording->events, TtRecordingEvent, i);

      tt_chart_add_event (chart, event->t_ms, event->kind);
      last = MAX (last, event->t_ms);
    }
  /* Excluded segments: runs of grid steps the metrics leave out. */
  for (guint i = 0; ok && i < points->len;)
    {
      const TtGridPoint *p = &g_array_index (points, TtGridPoint, i);
      guint j = i;

      if (tt_grid_point_is_valid (p))
        {
          i++;
          continue;
        }
      while (j + 1 < points->len &&
             g_array_index (points, TtGridPoint, j + 1).status == p->status)
        j++;
      ok = tt_chart_add_excluded (chart, p->t_ms,
                                  g_array_index (points, TtGridPoint, j).t_ms +
                                  TT_GRID_DEFAULT_STEP_MS,
                                  p->status == TT_GRID_GAP ? _("no signal")
                                                           : tt_quality_describe (p->quality),
                                  &error);
      i = j + 1;
    }
  if (induction >= 0)
    tt_chart_set_reference (chart, induction);
  if (ok)
    ok = tt_chart_set_window (chart, MAX (last, 60000), MAX (last, 60000), &error);

  recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                              &(cairo_rectangle_t) { 0, 0, CONTENT_WIDTH,
                                                                     CHART_HEIGHT });
  cr = cairo_create (recording);
  if (ok)
    ok = tt_chart_draw (chart, cr, (int) CONTENT_WIDTH, (int) CHART_HEIGHT, &error);
  cairo_destroy (cr);
  if (ok)
    {
      cairo_save (r->cr);
      cairo_set_source_surface (r->cr, recording, MARGIN, r->y);
      cairo_rectangle (r->cr, MARGIN, r->y, CONTENT_WIDTH, CHART_HEIGHT);
      cairo_fill (r->cr);
      cairo_restore (r->cr);
      r->y += CHART_HEIGHT + 4;
      paragraph (r, _("Shaded: target band. Lines: hypotension threshold 65 mmHg and the critical "
                      "MAP. Hatched: excluded (artifact or no signal). Time in minutes from the "
                      "start of induction; right axis: norepinephrine in µg/kg/min."),
                 FALSE, FONT " 7", 4);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("The trend could not be drawn: %s"),
                                               error->message);

      paragraph (r, text, FALSE, FONT " 9", 4);
    }
  cairo_surface_destroy (recording);
}

static void
metrics_section (Report       *r,
                 const GArray *points)
{
  const TtStoreSetup *s = &r->c->info->setup;
  gint64 induction = tt_recording_find_event (r->c->recording, "induction");
  const Column columns[] = {
    { N_("Metric"), 0.34 }, { N_("0–15 min after induction"), 0.22 },
    { N_("Induction to end"), 0.22 }, { N_("Whole case"), 0.22 },
  };
  TtWindowMetrics m[TT_N_WINDOWS];
  gboolean have[TT_N_WINDOWS];
  TtMetricsConfig config;
  g_autofree char *grid = NULL;

  tt_metrics_config_init (&config);
  config.band_lo = s->band_low;
  config.band_hi = s->band_high;
  config.baseline = s->baseline_map;
  for (int w = 0; w < TT_N_WINDOWS; w++)
    have[w] = points->len > 0 &&
              tt_metrics_compute (&config, (const TtGridPoint *) points->data, points->len,
                                  induction, w, &m[w]);

  heading (r, _("Metrics"));
  grid = g_strdup_printf (_("Computed on a %.0f-s grid (ARV depends on it); artifact and no-signal "
                            "time is excluded from numerators and denominators (CLINICAL.md §3)."),
                          config.grid_ms / 1000.0);
  paragraph (r, grid, FALSE, FONT " 7.5", 3);
  table_header (r, columns, G_N_ELEMENTS (columns));

#define ROW(label, expr, decimals, unit)                                  \
  G_STMT_START {                                                          \
    g_autofree char *v0 = have[0] ? fmt ((m[0]).expr, decimals, unit) : g_strdup ("—"); \
    g_autofree char *v1 = have[1] ? fmt ((m[1]).expr, decimals, unit) : g_strdup ("—"); \
    g_autofree char *v2 = have[2] ? fmt ((m[2]).expr, decimals, unit) : g_strdup ("—"); \
    const char *cells[] = { label, v0, v1, v2 };                          \
    table_row (r, columns, 4, cells, FALSE);                              \
  } G_STMT_END

  ROW (_("Valid monitored time"), valid_min, 1, "min");
  ROW (_("Excluded time"), excluded_min, 1, "min");
  ROW (_("Mean MAP"), mean_mmhg, 1, "mmHg");
  ROW (_("Lowest MAP"), min_mmhg, 0, "mmHg");
  ROW (_("Highest MAP"), max_mmhg, 0, "mmHg");
  ROW (_("SD"), sd_mmhg, 1, "mmHg");
  ROW (_("CV"), cv_pct, 1, "%");
  ROW (_("ARV"), arv_mmhg_per_min, 1, "mmHg/min");
  ROW (_("Time in target band"), in_band_pct, 1, "%");
  for (int i = 0; i < TT_METRICS_N_BELOW; i++)
    {
      g_autofree char *time = g_strdup_printf (_("Time below %.0f mmHg"), tt_metrics_below_mmhg[i]);
      g_autofree char *aut = g_strdup_printf (_("Area below %.0f mmHg"), tt_metrics_below_mmhg[i]);
      g_autofree char *twa = g_strdup_printf (_("TWA below %.0f mmHg"), tt_metrics_below_mmhg[i]);
      g_autofree char *episodes = g_strdup_printf (_("Episodes below %.0f mmHg (≥ 1 min)"),
                                                   tt_metrics_below_mmhg[i]);

      ROW (time, below[i].time_min, 1, "min");
      ROW (aut, below[i].aut_mmhg_min, 1, "mmHg·min");
      if (i == 0)
        ROW (twa, below[i].twa_mmhg, 2, "mmHg");
      ROW (episodes, below[i].episodes * 1.0, 0, "");
    }
  if (isfinite (s->baseline_map))
    {
      g_autofree char *label = g_strdup_printf (_("Area below 80 %% of baseline (%.0f mmHg)"),
                                                s->baseline_map * 0.8);

      ROW (label, below_relative.aut_mmhg_min, 1, "mmHg·min");
    }
  for (int i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Time above %.0f mmHg"),
                                                tt_metrics_above_mmhg[i]);

      ROW (label, above[i].time_min, 1, "min");
    }
  for (int i = 0; i < TT_METRICS_N_SUSTAINED; i++)
    {
      g_autofree char *label = g_strdup_printf (_("Lowest MAP sustained %d min"),
                                                tt_metrics_sustained_min[i]);

      ROW (label, lowest_sustained_mmhg[i], 0, "mmHg");
    }
  ROW (_("MDPE (Varvel)"), mdpe_pct, 1, "%");
  ROW (_("MDAPE (Varvel)"), mdape_pct, 1, "%");
  ROW (_("Wobble (Varvel)"), wobble_pct, 1, "%");
#undef ROW
  if (induction < 0)
    paragraph (r, _("No start of induction was logged: only the whole case is measured."), FALSE,
               FONT " 7.5", 3);
}

static char *
answer_text (const Report        *r,
             const TtStoreAdvice *a)
{
  const TtStoreSetup *s = &r->c->info->setup;
  g_autofree char *when = a->answer_t_ms >= 0 ? fmt_time (r, a->answer_t_ms) : NULL;

  switch (a->answer)
    {
    case TT_STORE_ANSWER_ACCEPTED:
      return g_strdup_printf (_("accepted at %s"), when);
    case TT_STORE_ANSWER_CHANGED:
      {
        g_autofree char *rate = isfinite (a->actual_rate_ug_kg_min)
                                ? fmt_rate (s, a->actual_rate_ug_kg_min) : g_strdup ("—");

        return g_strdup_printf (_("changed to %s at %s"), rate, when);
      }
    case TT_STORE_ANSWER_DECLINED:
      return g_strdup_printf (_("declined at %s because: %s"), when,
                              a->decline_reason != NULL ? a->decline_reason : _("no reason given"));
    case TT_STORE_ANSWER_PENDING:
    default:
      return g_strdup (_("not answered"));
    }
}

static void
advice_section (Report *r)
{
  const TtStoreSetup *s = &r->c->info->setup;
  const Column columns[] = {
    { N_("Time"), 0.17 }, { N_("Advice"), 0.31 }, { N_("Reason"), 0.25 }, { N_("Answer"), 0.27 },
  };

  heading (r, _("Advice and answers"));
  if (r->c->advice->len == 0)
    {
      paragraph (r, _("No advice was given."), FALSE, FONT " 8", 4);
      return;
    }
  table_header (r, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < r->c->advice->len; i++)
    {
      const TtStoreAdvice *a = &g_array_index (r->c->advice, TtStoreAdvice, i);
      g_autofree char *time = fmt_time (r, a->t_ms);
      g_autofree char *rate = fmt_rate (s, a->rate_ug_kg_min);
      g_autofree char *what = isfinite (a->bolus_ug)
                              ? g_strdup_printf (_("%s\nbolus %.0f µg"), a->kind, a->bolus_ug)
                              : isfinite (a->rate_ug_kg_min)
                              ? g_strdup_printf ("%s\n%s", a->kind, rate)
                              : g_strdup (a->kind);
      g_autofree char *reason = a->limits != NULL
                                ? g_strdup_printf (_("%s (capped by %s)"),
                                                   a->reason_text != NULL ? a->reason_text
                                                                          : a->reason_code,
                                                   a->limits)
                                : g_strdup (a->reason_text != NULL ? a->reason_text
                                                                   : a->reason_code);
      g_autofree char *answer = answer_text (r, a);
      const char *cells[] = { time, what, reason, answer };

      table_row (r, columns, G_N_ELEMENTS (columns), cells, FALSE);
    }
}

static void
infusion_section (Report *r)
{
  const TtStoreSetup *s = &r->c->info->setup;
  const Column columns[] = { { N_("Time"), 0.25 }, { N_("Given"), 0.5 }, { N_("Advice"), 0.25 } };

  heading (r, _("Infusion rate changes and boluses"));
  if (r->c->rate_changes->len == 0 && r->c->boluses->len == 0)
    {
      paragraph (r, _("No rate change or bolus was logged."), FALSE, FONT " 8", 4);
      return;
    }
  table_header (r, columns, G_N_ELEMENTS (columns));
  for (guint i = 0, k = 0; i < r->c->rate_changes->len || k < r->c->boluses->len;)
    {
      const TtStoreRateChange *change = i < r->c->rate_changes->len
        ? &g_array_index (r->c->rate_changes, TtStoreRateChange, i) : NULL;
      const TtStoreBolus *bolus = k < r->c->boluses->len
        ? &g_array_index (r->c->boluses, TtStoreBolus, k) : NULL;
      g_autofree char *time = NULL;
      g_autofree char *given = NULL;
      g_autofree char *advice = NULL;
      guint seq;

      if (change != NULL && (bolus == NULL || change->t_ms <= bolus->t_ms))
        {
          g_autofree char *rate = fmt_rate (s, change->rate_ug_kg_min);

          time = fmt_time (r, change->t_ms);
          given = g_strdup_printf (_("rate %s"), rate);
          seq = change->advice_seq;
          i++;
        }
      else
        {
          time = fmt_time (r, bolus->t_ms);
          given = g_strdup_printf (_("bolus %.0f µg"), bolus->dose_ug);
          seq = bolus->advice_seq;
          k++;
        }
      advice = seq > 0 ? g_strdup_printf (_("answer to advice %u"), seq)
                       : g_strdup (_("clinician's own"));
      {
        const char *cells[] = { time, given, advice };

        table_row (r, columns, G_N_ELEMENTS (columns), cells, FALSE);
      }
    }
}

static void
alerts_section (Report *r)
{
  const Column columns[] = {
    { N_("Time"), 0.22 }, { N_("Priority"), 0.1 }, { N_("Alert"), 0.32 },
    { N_("Acknowledged"), 0.18 }, { N_("Cleared"), 0.18 },
  };

  heading (r, _("Alerts (advisories)"));
  if (r->c->alerts->len == 0)
    {
      paragraph (r, _("No alert was raised."), FALSE, FONT " 8", 4);
      return;
    }
  table_header (r, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < r->c->alerts->len; i++)
    {
      const TtStoreAlert *a = &g_array_index (r->c->alerts, TtStoreAlert, i);
      g_autofree char *time = fmt_time (r, a->t_ms);
      g_autofree char *text = a->text != NULL ? g_strdup_printf ("%s: %s", a->kind, a->text)
                                              : g_strdup (a->kind);
      g_autofree char *ack = a->ack_t_ms >= 0 ? fmt_time_utc (r, a->ack_t_ms, FALSE)
                                              : g_strdup (_("no"));
      g_autofree char *cleared = a->cleared_t_ms >= 0 ? fmt_time_utc (r, a->cleared_t_ms, FALSE)
                                                      : g_strdup (_("still active"));
      const char *cells[] = { time, a->priority, text, ack, cleared };

      table_row (r, columns, G_N_ELEMENTS (columns), cells, FALSE);
    }
}

static cairo_status_t
append_bytes_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
tt_report_render (const TtStoreCase  *c,
                  GError            **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autoptr(GArray) points = NULL;
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Report r = { 0 };

  g_return_val_if_fail (c != NULL && c->info != NULL, NULL);

  points = tt_grid_resample ((const TtSample *) c->recording->samples->data,
                             c->recording->samples->len, TT_GRID_DEFAULT_STEP_MS);
  surface = cairo_pdf_surface_create_for_stream (append_bytes_cb, pdf, TT_REPORT_PAGE_WIDTH_PT,
                                                 TT_REPORT_PAGE_HEIGHT_PT);
  title = g_strdup_printf (_("Titrate case report, session %" PRId64), c->info->id);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Titrate " PACKAGE_VERSION);
  r.cr = cairo_create (surface);
  r.layout = pango_cairo_create_layout (r.cr);
  r.c = c;
  r.y = MARGIN;
  r.page = 1;

  paragraph (&r, title, FALSE, FONT " Bold 16", 4);
  if (c->info->setup.mode != TT_STORE_MODE_LIVE)
    paragraph (&r, _("<span foreground=\"#c01c28\" weight=\"bold\">TRAINING — not a live case: "
                     "no patient was treated.</span>"), TRUE, FONT " 11", 4);
  paragraph (&r, _("<b>Intended use.</b> Titrate is decision support for a qualified anaesthetist "
                   "giving norepinephrine by infusion around induction of general anaesthesia in "
                   "<b>adult</b> patients; not for use in children. It never drives a pump: the "
                   "clinician confirms every change, and what the clinician answered, not what "
                   "Titrate advised, is logged as given. It is <b>not an alarm system</b>: the "
                   "bedside monitor stays the primary monitor and alarm. Figures marked [est] are "
                   "engineering estimates."),
             TRUE, FONT " 8", 8);

  setup_section (&r);
  checklist_section (&r);
  chart_section (&r, points);
  metrics_section (&r, points);
  advice_section (&r);
  infusion_section (&r);
  alerts_section (&r);

  page_footer (&r);
  cairo_show_page (r.cr);
  g_object_unref (r.layout);
  cairo_destroy (r.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The PDF report could not be made: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

gboolean
tt_report_write_file (const TtStoreCase  *c,
                      const char         *path,
                      GError            **error)
{
  g_autoptr(GBytes) pdf = tt_report_render (c, error);
  g_autoptr(GFile) file = NULL;

  if (pdf == NULL)
    return FALSE;
  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL,
                                  FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}
