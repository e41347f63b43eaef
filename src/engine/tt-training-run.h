/* tt-training-run.h: a training run with the virtual patient, kept as the patient it started from
 * and the inputs it received on the patient's clock, so that the same patient can be run again:
 * with the trainee's own inputs (which gives the same numbers to the last digit), or with the
 * advisor-following clinician of the in-silico trial (tt-clinician) in the trainee's place and the
 * instructor's changes at the same times. That second run is what the debrief compares the trainee
 * with: what the advisor would have achieved on the same patient.
 *
 * Pure engine: no clock, no I/O. Times are ms on the patient's clock (time 0 is the patient's
 * creation), which is also the case clock of a training case (the samples carry it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-case.h"
#include "tt-clinician.h"
#include "tt-patient.h"
#include "tt-sample.h"

G_BEGIN_DECLS

typedef enum {
  TT_TRAINING_INPUT_INDUCTION = 0,  /* trainee: start of induction */
  TT_TRAINING_INPUT_RATE,           /* trainee: pump rate, value in µg/kg/min */
  TT_TRAINING_INPUT_BOLUS,          /* trainee: bolus, value in µg */
  TT_TRAINING_INPUT_SENSITIVITY,    /* instructor: NE sensitivity, value × typical */
  TT_TRAINING_INPUT_FALL,           /* instructor: induction fall, value a fraction of baseline */
  TT_TRAINING_INPUT_ARTIFACT,       /* instructor: artifact for duration_ms (0: the model's own) */
  TT_N_TRAINING_INPUTS
} TtTrainingInputKind;

typedef struct {
  gint64              t_ms;
  TtTrainingInputKind kind;
  double              value;
  TtArtifact          artifact;     /* TT_TRAINING_INPUT_ARTIFACT only */
  gint64              duration_ms;  /* TT_TRAINING_INPUT_ARTIFACT only */
} TtTrainingInput;

/* Who answers the patient in a re-run. */
typedef enum {
  TT_TRAINING_TRAINEE = 0,   /* the trainee's recorded inputs */
  TT_TRAINING_ADVISOR,       /* the advisor arm of tt-clinician, from the start of induction */
  TT_N_TRAINING_ACTORS
} TtTrainingActor;

/* What a re-run gave. */
typedef struct {
  GArray  *samples;          /* TtSample, the 1 Hz numerics as the monitor received them */
  double   ne_ug;            /* NE given: pumped from the syringe and boluses, µg */
  double   ne_ug_per_kg;
  guint    boluses;
  guint    rate_changes;     /* pump rate set, the start of the infusion included */
  gint64   induction_ms;     /* on the patient's clock, -1 when there was none */
} TtTrainingRerun;

void         tt_training_rerun_clear          (TtTrainingRerun        *rerun);

/* True when @kind is the instructor's (the advisor's re-run receives those too). */
gboolean     tt_training_input_is_instructor  (TtTrainingInputKind     kind);
/* Gives @input to @patient now (the caller has advanced it to input->t_ms). */
void         tt_training_input_apply          (const TtTrainingInput  *input,
                                               TtPatient              *patient);
const char  *tt_training_input_kind_to_string (TtTrainingInputKind     kind);
gboolean     tt_training_input_kind_from_string (const char           *name,
                                                 TtTrainingInputKind  *kind);

typedef struct _TtTrainingRun TtTrainingRun;

/* @params and @seed exactly as the live patient was created (tt_patient_new()). */
TtTrainingRun *tt_training_run_new          (const TtPatientParams *params,
                                             guint32                seed);
void           tt_training_run_free         (TtTrainingRun         *self);
TtTrainingRun *tt_training_run_copy         (const TtTrainingRun   *self);
const TtPatientParams *
               tt_training_run_get_params   (const TtTrainingRun   *self);
guint32        tt_training_run_get_seed     (const TtTrainingRun   *self);

/* Inputs in time order (an input earlier than the last is refused with a warning). */
void           tt_training_run_add          (TtTrainingRun         *self,
                                             const TtTrainingInput *input);
const TtTrainingInput *
               tt_training_run_get_inputs   (const TtTrainingRun   *self,
                                             guint                 *n_inputs);

/* Runs the patient again from time 0 to @end_ms. The instructor's inputs are applied at their
 * times in both cases. TT_TRAINING_TRAINEE applies the trainee's inputs too; TT_TRAINING_ADVISOR
 * applies the trainee's start of induction only (the patient is induced when the trainee induced
 * it) and lets the clinician of @config (arm TT_ARM_ADVISOR) run the infusion from there, watching
 * the engine's own pipeline (signal quality → grid) every second as in tt-trial. @config is
 * ignored for the trainee. Fills @out; free it with tt_training_rerun_clear(). */
void           tt_training_run_simulate     (const TtTrainingRun     *self,
                                             TtTrainingActor          actor,
                                             const TtClinicianConfig *config,
                                             gint64                   end_ms,
                                             TtTrainingRerun         *out);

/* The patient of the run as it was at @end_ms: made again from the run's parameters and seed and
 * given the inputs up to @end_ms at their times, stepping exactly as tt_training_run_simulate()
 * does for the trainee, so that it goes on as the live patient did (a training case resumed after
 * a crash). The numerics up to @end_ms are appended to @samples (may be NULL). */
TtPatient     *tt_training_run_restore      (const TtTrainingRun     *self,
                                             gint64                   end_ms,
                                             GArray                  *samples);

/* The advisor arm's clinician for a case set up as @setup: tt-clinician's defaults (reaction
 * delay) with the case's band, weight, syringe, dead space, rescue bolus, starting rate, line
 * type, limits and critical offset, so that it knows what the live advisor knew. */
void           tt_training_advisor_config   (const TtCaseSetup       *setup,
                                             TtClinicianConfig       *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtTrainingRun, tt_training_run_free)

G_END_DECLS
