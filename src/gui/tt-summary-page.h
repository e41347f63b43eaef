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

/* The rows of the metrics table (the review page shows the same figures). */
typedef enum {
  TT_SUMMARY_ROW_SPAN,
  TT_SUMMARY_ROW_VALID,
  TT_SUMMARY_ROW_EXCLUDED,
  TT_SUMMARY_ROW_IN_BAND,
  TT_SUMMARY_ROW_BELOW_65,
  TT_SUMMARY_ROW_AUT_65,
  TT_SUMMARY_ROW_TWA_65,
  TT_SUMMARY_ROW_EPISODES_65,
  TT_SUMMARY_ROW_BELOW_55,
  TT_SUMMARY_ROW_MEAN_SD,
  TT_SUMMARY_ROW_ARV,
  TT_SUMMARY_ROW_LOWEST_1,
  TT_SUMMARY_ROW_MDAPE,
  TT_N_SUMMARY_ROWS
} TtSummaryRow;

/* Fills @text (TT_N_SUMMARY_ROWS strings to free; NULL where there is nothing to show) with the
 * figures of window @m, its times counted from @t0 (from the window's start when @t0 < 0). ARV
 * carries its unit only. */
void tt_summary_page_format_metrics (const TtWindowMetrics  *m,
                                     gint64                  t0,
                                     char                  **text);

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
