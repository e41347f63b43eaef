/* tt-chart-view.h: the MAP trend chart on screen — a TtChart drawn in the widget's own style, with
 * the window selector (5, 15, 30, 60 min), scrolling back and forth, and a spoken description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-chart.h"

G_BEGIN_DECLS

#define TT_TYPE_CHART_VIEW (tt_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (TtChartView, tt_chart_view, TT, CHART_VIEW, GtkWidget)

GtkWidget   *tt_chart_view_new                      (void);
/* The chart shown; the view redraws whenever it changes. Never NULL: a view starts with an empty
 * chart of its own. */
TtChart     *tt_chart_view_get_chart                (TtChartView  *self);
void         tt_chart_view_set_chart                (TtChartView  *self,
                                                     TtChart      *chart);
int          tt_chart_view_get_window_minutes       (TtChartView  *self);
void         tt_chart_view_set_window_minutes       (TtChartView  *self,
                                                     int           minutes);
/* Whether the view shows its own 5/15/30/60 min buttons (a page with its own can hide them and
 * bind "window-minutes" instead). */
void         tt_chart_view_set_show_window_selector (TtChartView  *self,
                                                     gboolean      show);
/* What the chart shows, in words; also the drawing's accessible description. */
const char  *tt_chart_view_get_description          (TtChartView  *self);
/* The case time under the point (@x, @y) of the view (a click on the trend); FALSE outside the
 * drawing or when the chart cannot be drawn. */
gboolean     tt_chart_view_time_at                  (TtChartView  *self,
                                                     double        x,
                                                     double        y,
                                                     gint64       *t_ms);
/* The style the view drew with last, derived from the widget's colours (light, dark, high
 * contrast). */
void         tt_chart_view_get_style                (TtChartView  *self,
                                                     TtChartStyle *style);

G_END_DECLS
