/* tt-instructor-panel.h: the instructor's side of a training session, shown beside the trainee's
 * screens only when asked for (win.instructor-panel, F9): the patient's speed, its norepinephrine
 * sensitivity and induction fall, artifacts and signal loss to inject, what the model knows that
 * the monitor does not, and a log of what was changed. Every button names a training.* action.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-training.h"

G_BEGIN_DECLS

#define TT_TYPE_INSTRUCTOR_PANEL (tt_instructor_panel_get_type ())

G_DECLARE_FINAL_TYPE (TtInstructorPanel, tt_instructor_panel, TT, INSTRUCTOR_PANEL, GtkWidget)

TtTraining *tt_instructor_panel_get_training (TtInstructorPanel *self);
void        tt_instructor_panel_set_training (TtInstructorPanel *self,
                                              TtTraining        *training);
/* The entries of the log, newest last, as shown ("4:12  Flush injected"). */
guint       tt_instructor_panel_get_n_log    (TtInstructorPanel *self);
const char *tt_instructor_panel_get_log      (TtInstructorPanel *self,
                                              guint              index);
const char *tt_instructor_panel_get_truth    (TtInstructorPanel *self);

G_END_DECLS
