/* tt-debrief.h: what a training case came to, against what the advisor would have achieved on the
 * same patient.
 *
 * Decisions. A TtDebrief follows a TtCase through its "log" signal and keeps every advice the case
 * held with what the trainee answered (accepted, changed to another rate, declined with a reason,
 * or not answered before the advisor withdrew it or the case ended), and every bolus or rate the
 * trainee gave on their own, with the advice the case held at that moment (if any). The start rate
 * set at induction is one of those own rates: the protocol, not an answer.
 *
 * Outcomes. tt_debrief_outcome_compute() measures one run from its 1 Hz samples as the monitor
 * measures a case: signal quality (tt-quality), the 2 s grid (tt-grid), the metrics (tt-metrics)
 * with the case's band and baseline, windows from the case's start of induction (0–15 min, then
 * induction to the end). The trainee's run and the advisor's re-run (tt-training-run) are measured
 * by the same function, so the two columns of a debrief differ only by who answered the patient.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-case.h"
#include "tt-metrics.h"
#include "tt-sample.h"
#include "tt-training-run.h"

G_BEGIN_DECLS

typedef enum {
  TT_DECISION_ADVICE = 0,   /* an advice the case held, and its answer (or none) */
  TT_DECISION_BOLUS,        /* a bolus the trainee gave without being advised to */
  TT_DECISION_RATE,         /* a rate the trainee set without an advice (the start rate too) */
} TtDecisionKind;

typedef struct {
  TtDecisionKind kind;
  gint64    t_ms;             /* when the advice came; for an own action, when it was done */
  gint64    end_ms;           /* when it was answered or left the case; -1 while it holds */
  guint     advice_id;        /* the case's advice id; 0 when no advice was held */
  char     *advice_summary;   /* "Increase to 0.07 µg/kg/min"; NULL when none was held */
  char     *advice_reason;
  double    advice_rate;      /* µg/kg/min; NAN when the advice did not change the rate */
  double    advice_bolus_ug;  /* 0 when the advice had no bolus */
  TtAnswer  answer;           /* TT_ANSWER_NONE for an unanswered advice and for own actions */
  double    done_rate;        /* µg/kg/min set (accepted, changed or own); NAN when none */
  double    done_bolus_ug;    /* µg given; 0 when none */
  char     *decline_reason;
} TtDecision;

typedef struct {
  gboolean         has[TT_N_WINDOWS];       /* FALSE: the window does not exist (no induction) */
  TtWindowMetrics  metrics[TT_N_WINDOWS];
  gint64           grid_ms;
  double           ne_ug_per_kg;            /* NE given, infusion and boluses */
  guint            boluses;
  guint            rate_changes;
} TtDebriefOutcome;

/* Measures @samples (raw, in time order; they are classified here) up to @end_ms with @setup's
 * band and baseline, induction at @induction_ms (−1: none). Totals are left at 0. */
void        tt_debrief_outcome_compute   (const TtCaseSetup      *setup,
                                          const TtSample         *samples,
                                          gsize                   n_samples,
                                          gint64                  induction_ms,
                                          gint64                  end_ms,
                                          TtDebriefOutcome       *out);

#define TT_TYPE_DEBRIEF (tt_debrief_get_type ())

G_DECLARE_FINAL_TYPE (TtDebrief, tt_debrief, TT, DEBRIEF, GObject)

/* Follows @kase from now on. Property "complete" (notify) turns TRUE once both outcomes are set. */
TtDebrief              *tt_debrief_new            (TtCase                 *kase);
TtCase                 *tt_debrief_get_case       (TtDebrief              *self);
/* Of TtDecision, in time order. */
GArray                 *tt_debrief_get_decisions  (TtDebrief              *self);
/* Advices by answer (TT_ANSWER_NONE: not answered). */
guint                   tt_debrief_count_answers  (TtDebrief              *self,
                                                   TtAnswer                answer);
guint                   tt_debrief_count_own      (TtDebrief              *self,
                                                   TtDecisionKind          kind);

void                    tt_debrief_set_outcome    (TtDebrief              *self,
                                                   TtTrainingActor         actor,
                                                   const TtDebriefOutcome *outcome);
/* NULL until set. */
const TtDebriefOutcome *tt_debrief_get_outcome    (TtDebrief              *self,
                                                   TtTrainingActor         actor);
gboolean                tt_debrief_get_complete   (TtDebrief              *self);

G_END_DECLS
