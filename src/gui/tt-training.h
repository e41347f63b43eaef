/* tt-training.h: a training case with the virtual patient: the instructor's controls as actions,
 * the run kept for its debrief (the patient it started from, what it was given and when, what
 * the monitor received), and the debrief computed when the case ends. No clinical logic: the
 * re-simulation and every figure are the engine's (tt-training-run, tt-debrief).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-debrief.h"
#include "tt-patient-feed.h"
#include "tt-session.h"
#include "tt-training-run.h"

G_BEGIN_DECLS

#define TT_TYPE_TRAINING (tt_training_get_type ())

G_DECLARE_FINAL_TYPE (TtTraining, tt_training, TT, TRAINING, GObject)

/* The training.* actions (insert the group as "training"), enabled until the case ends:
 *   speed (d, stateful): the patient's speed, 1–60×;
 *   sensitivity (d, stateful): NE sensitivity, 0.1–10× the typical patient;
 *   severity (s, stateful): "mild", "moderate" or "severe" induction fall;
 *   inject (s): an artifact ("flush", "zeroing", "sampling", "damping", "movement") or
 *     "signal-loss", for the model's own duration.
 * Signals: "input-added" (const TtTrainingInput *): an instructor's or the trainee's input, as
 * the patient received it (the instructor panel lists them).
 * Property "debrief" (TtDebrief): follows the case from the start; its outcomes are computed on
 * a worker thread once the case has ended ("complete" turns TRUE). */

/* @session's feed must be the TtPatientFeed made from @params and @seed; @title names the
 * patient for the debrief ("Elderly patient, severe fall", "Source trial patient 12, seed 7"). */
TtTraining     *tt_training_new         (TtSession             *session,
                                         const TtPatientParams *params,
                                         guint32                seed,
                                         const char            *title);
/* A training case resumed after a crash: @session's feed goes on with the patient restored from
 * @run (tt_training_run_restore()), whose inputs so far the run keeps; @samples are what the
 * monitor had received before the crash (TtSample, on the patient's clock). The patient and its
 * inputs are in the session log already. */
TtTraining     *tt_training_new_resumed (TtSession             *session,
                                         const TtTrainingRun   *run,
                                         const char            *title,
                                         GArray                *samples);
TtSession      *tt_training_get_session (TtTraining            *self);
TtPatientFeed  *tt_training_get_feed    (TtTraining            *self);
GActionGroup   *tt_training_get_actions (TtTraining            *self);
TtDebrief      *tt_training_get_debrief (TtTraining            *self);
const TtTrainingRun *
                tt_training_get_run     (TtTraining            *self);
const char     *tt_training_get_title   (TtTraining            *self);
guint32         tt_training_get_seed    (TtTraining            *self);
/* The 1 Hz samples the monitor received from the start to the end of the case (TtSample). */
GArray         *tt_training_get_samples (TtTraining            *self);
/* The end of the case on its clock, or -1 while it runs. */
gint64          tt_training_get_end_ms  (TtTraining            *self);

/* Words for an input, for the instructor's log ("Flush injected", "Sensitivity 0.5×"). */
char           *tt_training_input_describe (const TtTrainingInput *input);

G_END_DECLS
