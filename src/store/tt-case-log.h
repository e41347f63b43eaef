/* tt-case-log.h: writes a running case into the session log. It listens to the case's "log"
 * signal and to the live pipeline's classified samples and turns each entry into the store's
 * rows (tt-store.h); the case knows nothing of sqlite, the store nothing of the case.
 *
 * Every kind the case logs has its own row (tt_case_log_handles_kind() says which are known; the
 * mapping is in the README's "Session log" section). An unknown kind is never lost: it becomes an
 * event "log:KIND" whose text is the entry's details. Until a store is given the entries wait in
 * memory (bounded like the store's own backlog), so a case may start before the log has opened.
 *
 * tt_case_log_rebuild() does the reverse for an interrupted session: it replays the logged setup,
 * checklist, events, infusion, advice and answers through the case's own API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-case.h"
#include "tt-monitor.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_CASE_LOG (tt_case_log_get_type ())

G_DECLARE_FINAL_TYPE (TtCaseLog, tt_case_log, TT, CASE_LOG, GObject)

/* Logs @kase from now on, as a session of @mode that begins when the case gets its setup. */
TtCaseLog      *tt_case_log_new            (TtCase            *kase,
                                            TtStoreMode        mode);
/* Continues an interrupted session: @kase was rebuilt from @logged (tt_case_log_rebuild()) and
 * @session comes from tt_store_resume_session(). Alerts still active in the log and no longer in
 * the case are cleared; those the case has are followed under their logged numbers. */
TtCaseLog      *tt_case_log_new_resumed    (TtCase            *kase,
                                            TtStore           *store,
                                            TtStoreSession    *session,
                                            const TtStoreCase *logged);

/* Where the case's samples come from, kept with the session when it begins so that an interrupted
 * case can go on as it was: a training case's virtual patient (parameters, seed, title), or a
 * replay's recording (absolute path, size in bytes, modification time in µs). Call before the case
 * gets its setup; later calls change nothing already written. */
void            tt_case_log_set_patient    (TtCaseLog             *self,
                                            const TtPatientParams *params,
                                            guint32                seed,
                                            const char            *title);
void            tt_case_log_set_recording  (TtCaseLog             *self,
                                            const char            *path,
                                            gint64                 size,
                                            gint64                 mtime_us);
/* An input the virtual patient received (the trainee's or the instructor's, on the patient's
 * clock); those given before the session begins wait for it. */
void            tt_case_log_add_training_input (TtCaseLog             *self,
                                                const TtTrainingInput *input);

/* Where to write. Set once; the entries that waited are written then. NULL: no log is available
 * (it could not be opened): what waited is dropped and nothing more is kept. */
void            tt_case_log_set_store      (TtCaseLog         *self,
                                            TtStore           *store);
TtStore        *tt_case_log_get_store      (TtCaseLog         *self);
/* The pipeline whose classified samples (with their quality flags) are written; NULL: none. */
void            tt_case_log_set_monitor    (TtCaseLog         *self,
                                            TtMonitor         *monitor);
TtCase         *tt_case_log_get_case       (TtCaseLog         *self);
TtStoreMode     tt_case_log_get_mode       (TtCaseLog         *self);
/* The store's session, or NULL before the case has its setup and a store. */
TtStoreSession *tt_case_log_get_session    (TtCaseLog         *self);
/* Why this case is not being logged (the store refused its setup), or NULL; property "error". */
const GError   *tt_case_log_get_error      (TtCaseLog         *self);

/* Whether the case's log kind @kind has a mapping of its own. */
gboolean        tt_case_log_handles_kind   (const char        *kind);
/* Every kind with a mapping, NULL-terminated. */
const char * const *tt_case_log_get_kinds  (void);

/* A case rebuilt from an interrupted session, in the state "interrupted" with its clock at the
 * last logged time: resume it with tt_case_resume(). The setup (syringe and dead space from
 * schema version 3 on), the checklist ticks and override, the events, the rate changes, the
 * boluses, every advice with its answer and the acknowledgements are replayed in time order; a
 * still unanswered advice is dropped (it was computed from a signal that is gone). Fails when the
 * session has no weight or concentration (a replayed recording) or its setup is refused. */
TtCase         *tt_case_log_rebuild        (const TtStoreCase *logged,
                                            GError           **error);

G_END_DECLS
