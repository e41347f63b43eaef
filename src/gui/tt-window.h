/* tt-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-application.h"
#include "tt-checklist-page.h"
#include "tt-history-page.h"
#include "tt-review-page.h"
#include "tt-session.h"
#include "tt-setup-page.h"
#include "tt-training.h"

G_BEGIN_DECLS

#define TT_TYPE_WINDOW (tt_window_get_type ())

G_DECLARE_FINAL_TYPE (TtWindow, tt_window, TT, WINDOW, AdwApplicationWindow)

TtWindow   *tt_window_new              (TtApplication *application);
void        tt_window_show_page        (TtWindow      *self,
                                        const char    *name);
const char *tt_window_get_visible_page (TtWindow      *self);
void        tt_window_add_toast        (TtWindow      *self,
                                        AdwToast      *toast);
/* The text of the last toast the window itself showed (a refusal, a resume's notice), or NULL. */
const char *tt_window_get_last_toast   (TtWindow      *self);

/* The open case, or NULL on the start page. Actions: win.new-live-case, win.new-training-case,
 * win.open-recording, win.close-case; the session's case.* group is inserted as "case". */
TtSession       *tt_window_get_session        (TtWindow  *self);
void             tt_window_set_session        (TtWindow  *self,
                                               TtSession *session);
TtSetupPage     *tt_window_get_setup_page     (TtWindow  *self);
/* The session log's pages: win.show-history, win.review-session (x: session), win.back. */
TtHistoryPage   *tt_window_get_history_page   (TtWindow  *self);
TtReviewPage    *tt_window_get_review_page    (TtWindow  *self);
/* The transport of a training case replaying a recording (shown under the monitor). */
TtReplayBar     *tt_window_get_replay_bar     (TtWindow  *self);
TtChecklistPage *tt_window_get_checklist_page (TtWindow  *self);
/* What win.open-recording does once a file is chosen: loads it on a worker thread, then opens a
 * training case replaying it (or shows why it cannot be read). */
void             tt_window_open_recording     (TtWindow  *self,
                                               GFile     *file);
/* The training case's controller while a training case with the virtual patient is open, else
 * NULL. Actions: win.choose-training (the chooser page), win.start-training (opens the case
 * chosen there), win.show-start, win.instructor-panel (stateful, F9: the instructor's side pane),
 * win.show-summary and win.show-debrief (after the end of a training case). */
TtTraining      *tt_window_get_training       (TtWindow  *self);
/* How many alert sounds were played (the alert-sounds preference; high and medium priority). */
guint            tt_window_get_n_alert_sounds (TtWindow  *self);
/* "TRAINING" or "LIVE" as the header shows it, or NULL when no case is open. */
const char      *tt_window_get_mode_mark      (TtWindow  *self);
/* Why the session log is not being written (the header's mark and its tooltip), or NULL. Cases
 * get the application's log when it has opened. win.resume-interrupted (x: session) rebuilds an
 * interrupted case from the log and opens it again, logging into the same session. */
const char      *tt_window_get_log_problem    (TtWindow  *self);

G_END_DECLS
