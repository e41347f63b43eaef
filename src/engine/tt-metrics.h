/* tt-metrics.h: hypotension, hypertension, variability and control metrics of a case
 * (CLINICAL.md §3 and §4), incrementally and in batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-grid.h"

G_BEGIN_DECLS

/*
 * Definitions. Every metric is computed on the grid of tt-grid.h (step g, default 2 s), never on
 * raw samples, so that every figure has one documented time base (ARV depends on it: CLINICAL.md
 * §3); print g with the figures.
 *
 * Δt_i: every grid step contributes exactly g to the time of its status. A step is *valid* when it
 * is VALID or HELD (tt-grid.h); its MAP_i is the step's value. ARTIFACT steps are *artifact* time,
 * GAP steps *gap* time; both are *excluded*: they appear in no numerator and no denominator.
 * A window holds the steps whose start lies in [start, end). With n valid steps in it:
 *
 *   valid_min      n · g                                    excluded_min = artifact_min + gap_min
 *   mean           Σ MAP_i / n                              (mmHg)
 *   sd             √(Σ (MAP_i − mean)² / (n − 1))           (mmHg; NAN for n < 2)
 *   cv_pct         100 · sd / mean                          (%)
 *   arv            Σ |MAP_{k+1} − MAP_k| / (m · g)          (mmHg/min) over the m pairs of adjacent
 *                  steps that are both valid: the generalised ARV Σ|Δ| / (t_N − t_1) of CLINICAL.md
 *                  §3 on the grid; a pair straddling an excluded step is left out of the sum *and*
 *                  of the time. NAN when m = 0.
 *   in_band_pct    100 · #{lo ≤ MAP_i ≤ hi} / n             (%)
 *   below θ        time_min = g · #{MAP_i < θ}; aut = g · Σ max(0, θ − MAP_i) (mmHg·min);
 *                  twa = aut / valid_min (mmHg), for θ = 65, 60, 55, 50, 40 and the relative
 *                  threshold relative_pct % of the baseline (default 80 %, i.e. 20 % below).
 *   episodes       runs of valid steps with MAP < θ lasting ≥ 1 min (run steps · g ≥ 60 s). An
 *                  ARTIFACT step neither ends nor lengthens a run (a flush in the middle of a low
 *                  period does not split it into two); a GAP step or a valid step with MAP ≥ θ ends
 *                  it. A run is counted once, when it reaches 1 min; runs are cut at window edges.
 *   above θ        time_min = g · #{MAP_i > θ}; area = g · Σ max(0, MAP_i − θ), θ = 100, 110, 120,
 *                  140 (min, mmHg·min).
 *   lowest_sustained[k]  for k = 1, 5, 10 min: the j-th smallest MAP_i with j = ⌈k · 60 s / g⌉,
 *                  the level at or below which MAP spent k cumulative minutes (CLINICAL.md §3's
 *                  "k-th minute order statistic"). NAN when n < j.
 *   Varvel         PE_i = 100 · (MAP_i − target) / target; mdpe = median PE_i, mdape = median
 *                  |PE_i|, wobble = median |PE_i − mdpe| (%). The median of an even count is the
 *                  mean of the two middle values. target defaults to the middle of the band.
 *
 * Windows (CLINICAL.md §3): FIRST15 = [induction, induction + 15 min), INDUCTION = [induction, end),
 * CASE = every step. The reported start is the nominal start (CASE: the first step); the reported
 * end is the nominal end or the end of the last step of the recording, whichever comes first (and
 * never before start).
 *
 * Cost: tt_metrics_push() does constant work per step (O(log j) for the three bounded heaps of the
 * order statistics, j ≤ 1200). tt_metrics_get() is O(1) except for Varvel's medians, which need
 * every PE_i: it sorts the window's values (O(n log n), about 1 ms for 12 h at 2 s). Batch
 * (tt_metrics_compute()) is an independent, direct implementation of the same definitions; tests
 * check that both agree on long generated series.
 */

#define TT_METRICS_N_BELOW              5
#define TT_METRICS_N_ABOVE              4
#define TT_METRICS_N_SUSTAINED          3
#define TT_METRICS_EPISODE_MS           60000
#define TT_METRICS_FIRST_WINDOW_MS      (15 * 60 * 1000)
/* CLINICAL.md §3: 20 % below baseline is the relative threshold. */
#define TT_METRICS_DEFAULT_RELATIVE_PCT 80.0

/* Without a measured baseline, the CLI and replay take the median of the valid steps in the
 * 5 min before induction [est], if they cover at least 1 min [est]. */
#define TT_METRICS_BASELINE_WINDOW_MS   (5 * 60 * 1000)
#define TT_METRICS_BASELINE_MIN_VALID_MS 60000

extern const double tt_metrics_below_mmhg[TT_METRICS_N_BELOW];       /* 65, 60, 55, 50, 40 */
extern const double tt_metrics_above_mmhg[TT_METRICS_N_ABOVE];       /* 100, 110, 120, 140 */
extern const int    tt_metrics_sustained_min[TT_METRICS_N_SUSTAINED]; /* 1, 5, 10 */

typedef enum {
  TT_WINDOW_FIRST15 = 0,
  TT_WINDOW_INDUCTION,
  TT_WINDOW_CASE,
  TT_N_WINDOWS
} TtMetricsWindow;

typedef struct {
  gint64 grid_ms;         /* the grid the points come on */
  double band_lo;         /* target band, mmHg */
  double band_hi;
  double target;          /* Varvel target, mmHg; NAN: (band_lo + band_hi) / 2 */
  double baseline;        /* baseline MAP, mmHg; NAN: no relative threshold */
  double relative_pct;    /* relative threshold in % of baseline */
} TtMetricsConfig;

typedef struct {
  double   time_min;
  double   aut_mmhg_min;
  double   twa_mmhg;      /* NAN without valid time */
  guint    episodes;
} TtBelowMetrics;

typedef struct {
  double   time_min;
  double   area_mmhg_min;
} TtAboveMetrics;

typedef struct {
  gint64         start_ms;
  gint64         end_ms;
  double         valid_min;
  double         excluded_min;
  double         artifact_min;
  double         gap_min;
  double         mean_mmhg;          /* NAN without valid time (likewise every ratio below) */
  double         sd_mmhg;
  double         cv_pct;
  double         arv_mmhg_per_min;
  double         in_band_pct;
  double         min_mmhg;
  double         max_mmhg;
  TtBelowMetrics below[TT_METRICS_N_BELOW];
  double         relative_mmhg;      /* relative threshold, NAN without a baseline */
  TtBelowMetrics below_relative;     /* zeros and NAN without a baseline */
  TtAboveMetrics above[TT_METRICS_N_ABOVE];
  double         lowest_sustained_mmhg[TT_METRICS_N_SUSTAINED];
  double         target_mmhg;
  double         mdpe_pct;
  double         mdape_pct;
  double         wobble_pct;
} TtWindowMetrics;

typedef struct _TtMetrics TtMetrics;

/* grid 2 s, band 65–85 mmHg, target NAN (middle of the band), no baseline, relative 80 %. */
void         tt_metrics_config_init    (TtMetricsConfig       *config);
const char  *tt_window_to_string       (TtMetricsWindow               window);

TtMetrics   *tt_metrics_new            (const TtMetricsConfig *config);
void         tt_metrics_free           (TtMetrics             *self);
/* Marks the start of induction. May come at any time (live: when it happens): steps already
 * pushed are replayed into the induction windows (O(steps) once). */
void         tt_metrics_set_induction  (TtMetrics             *self,
                                        gint64                 t_ms);
gint64       tt_metrics_get_induction  (const TtMetrics       *self);  /* -1 when unset */
/* Adds the next grid step. Steps come in order, one per grid step (as tt-grid emits them); a
 * skipped step counts as GAP. */
void         tt_metrics_push           (TtMetrics             *self,
                                        const TtGridPoint     *point);
/* Fills @out; FALSE (and @out zeroed) when the window does not exist yet: no step pushed, or
 * FIRST15/INDUCTION without an induction mark. */
gboolean     tt_metrics_get            (TtMetrics             *self,
                                        TtMetricsWindow               window,
                                        TtWindowMetrics       *out);

/* Batch: the same definitions computed directly from the whole series @points (every step of the
 * recording, in order), for @window given the induction time (-1 for none). */
gboolean     tt_metrics_compute        (const TtMetricsConfig *config,
                                        const TtGridPoint     *points,
                                        gsize                  n_points,
                                        gint64                 induction_ms,
                                        TtMetricsWindow               window,
                                        TtWindowMetrics       *out);

/* The baseline estimate above from a whole series; NAN when it cannot be made. */
double       tt_metrics_estimate_baseline (const TtGridPoint *points,
                                           gsize              n_points,
                                           gint64             grid_ms,
                                           gint64             induction_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtMetrics, tt_metrics_free)

G_END_DECLS
