/* tt-case-chart.h: keeps a TtChart in step with a live case: the MAP of every sample (flagged ones
 * as gaps), the excluded segments, the target band and thresholds, the confirmed NE rate as a step
 * line and the case's events. Data preparation only: no GTK, no drawing, no clinical decision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-chart.h"
#include "tt-monitor.h"

G_BEGIN_DECLS

#define TT_TYPE_CASE_CHART (tt_case_chart_get_type ())

G_DECLARE_FINAL_TYPE (TtCaseChart, tt_case_chart, TT, CASE_CHART, GObject)

TtCaseChart *tt_case_chart_new         (void);
TtChart     *tt_case_chart_get_chart   (TtCaseChart *self);
TtMonitor   *tt_case_chart_get_monitor (TtCaseChart *self);
/* Follows @monitor and its case from now on; the chart starts over. NULL stops following. */
void         tt_case_chart_set_monitor (TtCaseChart *self,
                                        TtMonitor   *monitor);

G_END_DECLS
