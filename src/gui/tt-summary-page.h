/* tt-summary-page.h: the end of a case: the whole-case chart, the metrics per window, the advice
 * adherence and the exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-case.h"
#include "tt-metrics.h"
#include "tt-session.h"

G_BEGIN_DECLS

#define TT_TYPE_SUMMARY_PAGE (tt_summary_page_get_type ())

G_DECLARE_FINAL_TYPE (TtSummaryPage, tt_summary_page, TT, SUMMARY_PAGE, GtkWidget)

TtSession *tt_summary_page_get_session (TtSummaryPage         *self);
void       tt_summary_page_set_session (TtSummaryPage         *self,
                                        TtSession             *session);
TtCase    *tt_summary_page_get_case    (TtSummaryPage         *self);
/* The metrics of one window as the engine computed them; NULL: the window does not exist (no
 * induction mark). @grid_ms is the grid they were computed on (printed with ARV). */
void      tt_summary_page_set_metrics (TtSummaryPage         *self,
                                       TtMetricsWindow               window,
                                       const TtWindowMetrics *metrics,
                                       gint64                 grid_ms);

void       tt_summary_page_export      (TtSummaryPage         *self,
                                        const char            *format,
                                        GFile                 *file);

G_END_DECLS
