/* tt-advisor-replay.h: what the advisor would have said at every moment of a recorded case, and
 * where the recorded decisions differed from it.
 *
 * The recorded signal goes through the same live pipeline as in theatre (TtMonitor: quality, grid,
 * advisor, case) with the recorded setup; the infusion is the one the clinician actually ran (the
 * recorded induction, rate changes and boluses, applied at their times), so at each grid step the
 * advisor reasons exactly as it would have live from what was really done. Pure engine: samples
 * and actions are arguments, no clock, no file.
 *
 * Decisions. Each run of grid steps over which the advisor keeps advising the same change (an
 * increase, a decrease, a stop or a rescue bolus) is one advised decision. The recorded actions
 * from its first step until TT_ADVISOR_REPLAY_RESPONSE_MS after its last answer it:
 *   agreed      a rate change in the advised direction (a stop: to 0), or for a bolus a bolus;
 *   other       something else was done (the other direction, a bolus for a rate, a rate for a
 *               bolus);
 *   not done    nothing was done.
 * A recorded rate change or bolus that answers no advised decision is "unadvised", reported with
 * what the advisor said at that moment (hold, no advice …). The start rate set at induction is
 * part of the protocol, not a decision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-advisor.h"
#include "tt-case.h"
#include "tt-sample.h"
#include "tt-signal.h"

G_BEGIN_DECLS

/* How long after the advisor stops advising a change an action still counts as its answer: the
 * advisor's own re-evaluation interval (TtAdvisorParams.reeval_ms, 2 min [est]), the time within
 * which it would not have asked again. */
#define TT_ADVISOR_REPLAY_RESPONSE_MS (2 * 60 * 1000)

typedef enum {
  TT_REPLAY_AGREED,
  TT_REPLAY_OTHER,
  TT_REPLAY_NOT_DONE,
  TT_REPLAY_UNADVISED,
  TT_N_REPLAY_MATCHES
} TtReplayMatch;

typedef struct {
  gint64         t_ms;           /* first step of the advice; for an unadvised action its time */
  gint64         end_ms;         /* last step of the advice (= t_ms for an unadvised action) */
  TtAdviceKind   advice_kind;    /* what the advisor said */
  double         advice_rate;    /* µg/kg/min it advised (= the running rate when it holds) */
  double         advice_ml_h;
  double         advice_bolus_ug;/* 0 when it advised no bolus */
  char          *advice_title;   /* "Increase to 0.07 µg/kg/min"; "–" when the case had no advice */
  char          *advice_reason;  /* the advisor's sentence at t_ms */
  double         rate_before;    /* µg/kg/min running at t_ms */
  gint64         done_t_ms;      /* the recorded action's time, -1 when nothing was done */
  double         done_rate;      /* µg/kg/min set, NAN when no rate was set */
  double         done_bolus_ug;  /* 0 when no bolus was given */
  TtReplayMatch  match;
} TtReplayDecision;

typedef struct _TtAdvisorReplay TtAdvisorReplay;

/* @setup is checked as a case would check it (the 10-fold guard counts as confirmed: it was, when
 * the case ran). */
TtAdvisorReplay     *tt_advisor_replay_new           (const TtCaseSetup  *setup,
                                                      GError            **error);
void                 tt_advisor_replay_free          (TtAdvisorReplay    *self);

/* What was done. In any order; applied in time order by tt_advisor_replay_run (). */
void                 tt_advisor_replay_add_induction (TtAdvisorReplay    *self,
                                                      gint64              t_ms);
void                 tt_advisor_replay_add_rate      (TtAdvisorReplay    *self,
                                                      gint64              t_ms,
                                                      double              rate_ug_kg_min);
void                 tt_advisor_replay_add_bolus     (TtAdvisorReplay    *self,
                                                      gint64              t_ms,
                                                      double              dose_ug);

/* Runs the recorded @samples (in time order) through the pipeline. Once only. */
gboolean             tt_advisor_replay_run           (TtAdvisorReplay    *self,
                                                      const TtSample     *samples,
                                                      gsize               n_samples,
                                                      GError            **error);

gint64               tt_advisor_replay_get_induction (TtAdvisorReplay    *self);
guint                tt_advisor_replay_get_n_steps   (TtAdvisorReplay    *self);
/* The advisor's output at the grid step that holds @t_ms (the latest step starting at or before
 * it), or NULL before induction and before the first step. */
const TtAdvice      *tt_advisor_replay_advice_at     (TtAdvisorReplay    *self,
                                                      gint64              t_ms);
/* The signal state at that step, or NULL likewise. */
const TtSignalState *tt_advisor_replay_signal_at     (TtAdvisorReplay    *self,
                                                      gint64              t_ms);
/* Of TtReplayDecision, in time order. */
GArray              *tt_advisor_replay_get_decisions (TtAdvisorReplay    *self);
guint                tt_advisor_replay_count         (TtAdvisorReplay    *self,
                                                      TtReplayMatch       match);
/* Recorded actions the case refused (e.g. a rate above the hard limit), in words; NULL if none. */
const char          *tt_advisor_replay_get_warnings  (TtAdvisorReplay    *self);

const char          *tt_replay_match_to_string       (TtReplayMatch       match);
const char          *tt_replay_match_describe        (TtReplayMatch       match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtAdvisorReplay, tt_advisor_replay_free)

G_END_DECLS
