/* tt-monitor-page.h: the live monitor during induction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-advice-card.h"
#include "tt-case.h"
#include "tt-metrics.h"
#include "tt-session.h"

G_BEGIN_DECLS

#define TT_TYPE_MONITOR_PAGE (tt_monitor_page_get_type ())

G_DECLARE_FINAL_TYPE (TtMonitorPage, tt_monitor_page, TT, MONITOR_PAGE, GtkWidget)

/* The metrics strip, in the order shown. */
typedef enum {
  TT_MONITOR_METRIC_IN_BAND,
  TT_MONITOR_METRIC_BELOW_65,
  TT_MONITOR_METRIC_AUT_65,
  TT_MONITOR_METRIC_TWA_65,
  TT_MONITOR_METRIC_ARV,
  TT_MONITOR_METRIC_LOWEST_1MIN,
  TT_N_MONITOR_METRICS
} TtMonitorMetric;

TtSession    *tt_monitor_page_get_session     (TtMonitorPage *self);
void          tt_monitor_page_set_session     (TtMonitorPage *self,
                                               TtSession     *session);
TtCase       *tt_monitor_page_get_case        (TtMonitorPage *self);
const char   *tt_monitor_page_get_title       (TtMonitorPage *self);
const char   *tt_monitor_page_get_subtitle    (TtMonitorPage *self);
const char   *tt_monitor_page_get_case_summary (TtMonitorPage *self);
TtAdviceCard *tt_monitor_page_get_advice_card (TtMonitorPage *self);
int           tt_monitor_page_get_chart_window_min (TtMonitorPage *self);
void          tt_monitor_page_set_chart_window_min (TtMonitorPage *self,
                                                    int            minutes);

/* Current figures: MAP, SBP, DBP, HR (NAN when unknown), the trend in mmHg/min. */
void          tt_monitor_page_set_pressures  (TtMonitorPage *self,
                                              double         map,
                                              double         sbp,
                                              double         dbp,
                                              double         hr,
                                              double         slope);
void          tt_monitor_page_set_band       (TtMonitorPage *self,
                                              double         lower,
                                              double         upper,
                                              double         critical);
void          tt_monitor_page_set_signal     (TtMonitorPage *self,
                                              gboolean       valid,
                                              const char    *problem,
                                              gint64         since_last_ms,
                                              gint64         excluded_ms);
void          tt_monitor_page_set_alert      (TtMonitorPage *self,
                                              int            priority,
                                              const char    *text,
                                              gint64         acknowledged_ms,
                                              guint          n_more);
void          tt_monitor_page_set_metrics_title (TtMonitorPage *self,
                                                 gint64         elapsed_ms);
/* One cell of the 0–15 min strip: @value large with its @unit smaller beside it ("9.8 mmHg·min"),
 * and an optional @note in small print under it (the ARV's "2 s grid"); a NULL @value shows a
 * dash. */
void          tt_monitor_page_set_metric     (TtMonitorPage  *self,
                                              TtMonitorMetric metric,
                                              const char     *value,
                                              const char     *unit,
                                              const char     *note);
void          tt_monitor_page_show_metrics (TtMonitorPage         *self,
                                            const TtWindowMetrics *metrics,
                                            gint64                 grid_ms);
void          tt_monitor_page_set_syringe    (TtMonitorPage *self,
                                              double         left_ml,
                                              double         volume_ml,
                                              gint64         time_to_empty_ms,
                                              double         rate_ml_h,
                                              double         total_ug,
                                              double         total_ug_per_kg,
                                              guint          n_boluses);

G_END_DECLS
