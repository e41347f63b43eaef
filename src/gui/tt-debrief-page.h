/* tt-debrief-page.h: the end of a training session with the virtual patient: the trainee's time in
 * band, time and area below 65 mmHg and ARV against what the advisor would have achieved on the
 * same patient (re-simulated with the instructor's changes at the same times), and each decision
 * against the advice at the time. Every figure is the engine's (tt-debrief, tt-training-run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-training.h"

G_BEGIN_DECLS

#define TT_TYPE_DEBRIEF_PAGE (tt_debrief_page_get_type ())

G_DECLARE_FINAL_TYPE (TtDebriefPage, tt_debrief_page, TT, DEBRIEF_PAGE, GtkWidget)

/* The rows of the comparison, in the order shown. */
typedef enum {
  TT_DEBRIEF_ROW_IN_BAND,
  TT_DEBRIEF_ROW_BELOW_65,
  TT_DEBRIEF_ROW_AUT_65,
  TT_DEBRIEF_ROW_ARV,
  TT_DEBRIEF_ROW_LOWEST_1,
  TT_DEBRIEF_ROW_EXCLUDED,
  TT_DEBRIEF_ROW_NE,
  TT_DEBRIEF_ROW_BOLUSES,
  TT_DEBRIEF_ROW_RATE_CHANGES,
  TT_N_DEBRIEF_ROWS
} TtDebriefRow;

TtTraining *tt_debrief_page_get_training (TtDebriefPage   *self);
void        tt_debrief_page_set_training (TtDebriefPage   *self,
                                          TtTraining      *training);
/* TRUE once the re-simulation is done and the figures are shown. */
gboolean    tt_debrief_page_get_ready    (TtDebriefPage   *self);
/* The text of one cell: @window is TT_WINDOW_FIRST15 or TT_WINDOW_INDUCTION. */
const char *tt_debrief_page_get_value    (TtDebriefPage   *self,
                                          TtDebriefRow     row,
                                          TtTrainingActor  actor,
                                          TtMetricsWindow  window);
/* The decisions as listed: "title\nsubtitle" per row. */
guint       tt_debrief_page_get_n_decisions (TtDebriefPage *self);
const char *tt_debrief_page_get_decision    (TtDebriefPage *self,
                                             guint          index);
const char *tt_debrief_page_get_counts      (TtDebriefPage *self);

G_END_DECLS
