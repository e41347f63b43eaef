/* tt-trial.h: the in-silico replica of the source trial (issue 4).
 *
 * Patients drawn from a cohort are randomised to arms and simulated from the start of induction
 * for the cohort's duration. Each is watched through the engine's own pipeline: the patient's 1 Hz
 * numerics go through signal quality (tt-quality) onto the 2 s grid (tt-grid); the clinician of the
 * arm sees the grid's signal state, and the outcome metrics (tt-metrics) are computed on the grid
 * points, exactly as for a real case. Same cohort and seed, same trial to the last digit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-cohort.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-stats.h"

G_BEGIN_DECLS

/* The endpoints, per patient, over a window (0–15 min from induction, or the whole run). */
typedef enum {
  TT_ENDPOINT_ARV = 0,          /* generalised ARV of MAP on the grid, mmHg/min */
  TT_ENDPOINT_AUT65,            /* area under 65 mmHg, mmHg·min */
  TT_ENDPOINT_TIME_BELOW65,     /* time below 65 mmHg, min */
  TT_ENDPOINT_TIME_BELOW65_PCT, /* the same, % of valid time */
  TT_ENDPOINT_TWA65,            /* time-weighted average below 65, mmHg */
  TT_ENDPOINT_IN_BAND,          /* % of valid time in the target band */
  TT_ENDPOINT_ANY_BELOW55,      /* 100 when any MAP < 55 mmHg, else 0: its mean is % of patients */
  TT_ENDPOINT_TIME_ABOVE100,    /* min */
  TT_ENDPOINT_TIME_ABOVE120,    /* min */
  TT_ENDPOINT_MDAPE,            /* Varvel, %, target the middle of the band */
  TT_ENDPOINT_WOBBLE,           /* Varvel, % */
  TT_ENDPOINT_NE_TOTAL,         /* NE given (pump and boluses), µg/kg */
  TT_ENDPOINT_BOLUSES,          /* boluses given */
  TT_ENDPOINT_ARV_BEAT,         /* generalised ARV of MAP beat to beat (the source trial's
                                 * resolution), from the beats the patient built: clean beats
                                 * only, pairs across an artifact or a gap left out, mmHg/min */
  TT_N_ENDPOINTS
} TtEndpoint;

typedef enum {
  TT_TRIAL_FIRST15 = 0,         /* 0–15 min from induction, the trial's window */
  TT_TRIAL_WHOLE,               /* the whole simulated run */
  TT_N_TRIAL_WINDOWS
} TtTrialWindow;

typedef struct {
  guint            index;
  TtArm            arm;
  TtSeverity       severity;
  TtPatientParams  params;
  guint32          seed;                 /* the patient's own noise seed */
  double           band_low;
  double           band_high;
  double           values[TT_N_TRIAL_WINDOWS][TT_N_ENDPOINTS];
  TtWindowMetrics  metrics[TT_N_TRIAL_WINDOWS];
  guint            n_advice;             /* advisor arm: advices with a change */
  guint            n_accepted;           /* actions taken */
  GArray          *trace;                /* TtGridPoint of the run, when kept; else NULL */
} TtTrialPatient;

typedef struct _TtTrial TtTrial;

/* Simulates one patient in @arm. @out->trace is filled when @keep_trace; free it with
 * tt_trial_patient_clear(). */
void          tt_trial_simulate           (const TtCohort        *cohort,
                                           const TtPatientParams *params,
                                           TtArm                  arm,
                                           guint32                patient_seed,
                                           gboolean               keep_trace,
                                           TtTrialPatient        *out);
void          tt_trial_patient_clear      (TtTrialPatient        *patient);

/* @n_patients 0 takes the cohort's size. */
TtTrial      *tt_trial_run                (const TtCohort        *cohort,
                                           guint32                seed,
                                           guint                  n_patients,
                                           gboolean               keep_traces);
void          tt_trial_free               (TtTrial               *self);

guint32       tt_trial_get_seed           (TtTrial               *self);
guint         tt_trial_get_n_patients     (TtTrial               *self);
const TtTrialPatient *
              tt_trial_get_patient        (TtTrial               *self,
                                           guint                  index);
const TtCohort *
              tt_trial_get_cohort         (TtTrial               *self);
guint         tt_trial_get_arm_size       (TtTrial               *self,
                                           TtArm                  arm);
/* The values of @endpoint over the patients of @arm, in patient order (a new array). */
GArray       *tt_trial_get_values         (TtTrial               *self,
                                           TtArm                  arm,
                                           TtTrialWindow          window,
                                           TtEndpoint             endpoint);
void          tt_trial_summarize          (TtTrial               *self,
                                           TtArm                  arm,
                                           TtTrialWindow          window,
                                           TtEndpoint             endpoint,
                                           TtStatsSummary        *out);
void          tt_trial_compare            (TtTrial               *self,
                                           TtArm                  a,
                                           TtArm                  b,
                                           TtTrialWindow          window,
                                           TtEndpoint             endpoint,
                                           double                *welch_p,
                                           double                *mann_whitney_p);

const char   *tt_endpoint_key             (TtEndpoint             endpoint);  /* JSON key */
const char   *tt_endpoint_label           (TtEndpoint             endpoint);  /* translated */
const char   *tt_endpoint_unit            (TtEndpoint             endpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtTrial, tt_trial_free)

G_END_DECLS
