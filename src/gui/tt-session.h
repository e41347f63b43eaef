/* tt-session.h: one open case in the window: the case model, the feed it runs from, the case clock
 * and the case.* actions the pages name. No clinical logic: every action calls the case, which
 * decides; an action the case refuses is reported through "error".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-case.h"
#include "tt-case-log.h"
#include "tt-chart.h"
#include "tt-feed.h"
#include "tt-monitor.h"

G_BEGIN_DECLS

#define TT_TYPE_SESSION (tt_session_get_type ())

G_DECLARE_FINAL_TYPE (TtSession, tt_session, TT, SESSION, GObject)

/* The case.* actions (insert the group as "case"):
 *   toggle-item (s: checklist item, e.g. "pump-primed"), override (s: reason),
 *   start-induction, edit-setup, event (s: "intubation", "incision" or "position"),
 *   note (s: text), bolus-given (the bolus drawn at the checklist), end,
 *   acknowledge-alert (s: alert kind, e.g. "map-critical"),
 *   accept-advice, change-advice ((db): the rate set in µg/kg/min, and whether the clinician
 *   confirmed what the 10-fold guard flagged), decline-advice (s: reason).
 * Each is enabled only in the case states where the case accepts it.
 *
 * Signals: "error" (const char *message): the case refused an action; show the message.
 *
 * With the virtual patient as feed, the session also tells the patient what the clinician
 * confirmed (start of induction, rate, bolus), so the simulated patient gets the drug the case
 * records, never the advice. */

/* @feed may be NULL (no feed yet). The case clock starts now. */
TtSession    *tt_session_new         (TtCase    *kase,
                                      TtFeed    *feed);
/* An interrupted case going on: @kase was rebuilt from @logged (tt_case_log_rebuild()) and
 * @store_session resumed (tt_store_resume_session()). The logged samples fill the trend and the
 * metrics again, the case clock goes on from @resume_ms (at least the case's last logged time),
 * the case is resumed and logs into the same session. @feed's own clock goes on from
 * @feed_from_ms: 0 for a new feed, the restored patient's time, the replay's position; its samples
 * are shifted by the difference (logged as the session's feed offset). A new virtual patient
 * (@feed_from_ms 0) is given the drug the case records as running. */
TtSession    *tt_session_new_resumed (TtCase            *kase,
                                      TtFeed            *feed,
                                      TtStore           *store,
                                      TtStoreSession    *store_session,
                                      const TtStoreCase *logged,
                                      gint64             resume_ms,
                                      gint64             feed_from_ms,
                                      GError           **error);
TtCase       *tt_session_get_case    (TtSession *self);
TtFeed       *tt_session_get_feed    (TtSession *self);
/* The case's trend as the monitor and the case fill it (samples, excluded segments, band, rate,
 * events), for the monitor's and the summary's chart views. */
TtChart      *tt_session_get_chart   (TtSession *self);
/* Writes the case to @store as it happens (TtCaseLog): given once, at any time (the window does
 * when the application's log has opened); what the case logged before waits for it. NULL: no log
 * could be opened, so the case is not recorded. */
void          tt_session_set_store    (TtSession *self,
                                       TtStore   *store);
gboolean      tt_session_has_store    (TtSession *self);
/* The case's session log; its mode (live, training, replay) comes from the feed. */
TtCaseLog    *tt_session_get_case_log (TtSession *self);
GActionGroup *tt_session_get_actions (TtSession *self);
/* The live pipeline (quality, grid, metrics, advisor → case), fed with the feed's samples; NULL
 * until the case has its setup, rebuilt when the setup changes (property "monitor", notify). */
TtMonitor    *tt_session_get_monitor (TtSession *self);
/* The case clock in ms: the session's monotonic clock, never behind the case (a training feed
 * faster than real time moves the case clock ahead). */
gint64        tt_session_now_ms      (TtSession *self);
/* What a new setup form starts from (e.g. the virtual patient's weight and baseline); NULL: the
 * model's defaults. */
const TtCaseSetup *tt_session_get_setup_defaults (TtSession         *self);
void               tt_session_set_setup_defaults (TtSession         *self,
                                                  const TtCaseSetup *defaults);

G_END_DECLS
