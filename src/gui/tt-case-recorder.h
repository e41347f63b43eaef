/* tt-case-recorder.h: writes a live case to the session log as it happens: the setup, the
 * checklist, every sample, the events, the advice with the clinician's answers, rate changes,
 * boluses and alerts. It only copies what the case and the live pipeline report; every call into
 * the store returns at once (the store writes on its own thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-monitor.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_CASE_RECORDER (tt_case_recorder_get_type ())

G_DECLARE_FINAL_TYPE (TtCaseRecorder, tt_case_recorder, TT, CASE_RECORDER, GObject)

/* Records @kase into @store from the moment the case has its setup. */
TtCaseRecorder *tt_case_recorder_new            (TtStore        *store,
                                                 TtCase         *kase);
TtStore        *tt_case_recorder_get_store      (TtCaseRecorder *self);
/* The live pipeline whose samples and full advice are logged (it changes when the setup does). */
void            tt_case_recorder_set_monitor    (TtCaseRecorder *self,
                                                 TtMonitor      *monitor);
/* The session's id in the store once the writer has inserted it; 0 before (or without a setup). */
gint64          tt_case_recorder_get_session_id (TtCaseRecorder *self);
/* Why the session could not be started, or NULL. */
const char     *tt_case_recorder_get_error      (TtCaseRecorder *self);

G_END_DECLS
