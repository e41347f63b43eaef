/* tt-monitor.h: the live monitoring of one case. Each sample is classified (tt-quality), resampled
 * onto the grid (tt-grid); every grid step updates the metrics (tt-metrics), runs the advisor
 * (tt-advisor) and hands the signal state and the advice to the case (tt-case). The clinician's
 * answers reach the advisor back through the case's events, so the advisor always reasons from
 * the infusion the clinician confirmed.
 *
 * Pure engine: samples and times are arguments (case clock, ms), nothing is read from a clock or
 * a file. The screens, the tests, the benchmarks and the command-line tools drive the same object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-advisor.h"
#include "tt-case.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-sample.h"
#include "tt-signal.h"

G_BEGIN_DECLS

/* An advice waiting for an answer stays while the advisor's output around it settles: a hold, or
 * a different advice, replaces it only once it has lasted this long (an advice that comes and
 * goes within seconds on a noisy MAP cannot be read, let alone answered). A signal that turns bad
 * withdraws it at once, and a rescue bolus replaces an advice without one at once. [est] */
#define TT_MONITOR_SETTLE_MS 10000

#define TT_TYPE_MONITOR (tt_monitor_get_type ())

G_DECLARE_FINAL_TYPE (TtMonitor, tt_monitor, TT, MONITOR, GObject)

/* @kase must have its setup; the grid step is TT_GRID_DEFAULT_STEP_MS. */
TtMonitor           *tt_monitor_new               (TtCase          *kase,
                                                   GError         **error);
TtCase              *tt_monitor_get_case          (TtMonitor       *self);
gint64               tt_monitor_get_grid_ms       (TtMonitor       *self);

/* Samples in time order, as a feed delivers them (their quality is set here). Once the case has
 * ended, samples and time are ignored: the figures stay those of the case. */
void                 tt_monitor_push              (TtMonitor       *self,
                                                   const TtSample  *samples,
                                                   guint            n_samples);
/* The clock reached @now_ms without samples: closes grid steps (a dropout turns stale after 10 s)
 * and advances the case clock. */
void                 tt_monitor_advance           (TtMonitor       *self,
                                                   gint64           now_ms);

/* The latest sample received (classified), or NULL before the first. */
const TtSample      *tt_monitor_get_last_sample   (TtMonitor       *self);
/* The state of the latest grid step, or NULL before the first step closed. */
const TtSignalState *tt_monitor_get_signal        (TtMonitor       *self);
/* Artifact and gap time of the whole case so far. */
gint64               tt_monitor_get_excluded_ms   (TtMonitor       *self);
/* The metrics of a window; FALSE while it does not exist (no step yet, or no induction). */
gboolean             tt_monitor_get_metrics       (TtMonitor       *self,
                                                   TtMetricsWindow         window,
                                                   TtWindowMetrics *out);
/* The advisor's output at the latest grid step (a hold or "no advice" too), or NULL before
 * induction. */
const TtAdvice      *tt_monitor_get_advice        (TtMonitor       *self);
/* The advice the case holds for an answer, in full (rates in both units, bolus, limits), or NULL
 * when the case holds none. */
const TtAdvice      *tt_monitor_get_pending       (TtMonitor       *self);
/* How many grid steps and samples went through, and samples the grid dropped as out of order. */
guint64              tt_monitor_get_n_samples     (TtMonitor       *self);
guint64              tt_monitor_get_n_steps       (TtMonitor       *self);

G_END_DECLS
