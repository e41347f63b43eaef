/* tt-clinician.h: models of the clinician in each arm of the in-silico trial.
 *
 * A clinician sees what a monitor shows, through the engine's own pipeline (signal quality → grid →
 * TtSignalState), never the patient's true MAP, and answers with pump rates and boluses:
 *   advisor  runs an infusion from the start of induction at the advisor's start rate and accepts
 *            every advice (rate change, stop, rescue bolus) after the reaction delay;
 *   bolus    gives a bolus when MAP is below the threshold, no sooner than the interval after the
 *            last one (the source trial's control arm), after the same reaction delay;
 *   fixed    runs a fixed rate from the start of induction and never changes it;
 *   none     gives nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-advisor.h"
#include "tt-cohort.h"
#include "tt-signal.h"

G_BEGIN_DECLS

typedef struct {
  TtArm  arm;
  double weight_kg;
  double concentration_ug_ml;
  double dead_space_ml;
  double band_low;              /* mmHg, the advisor's target band */
  double band_high;
  gint64 reaction_delay_ms;     /* from what the clinician sees to the pump */
  double bolus_dose_ug;         /* bolus arm */
  double bolus_threshold_mmhg;
  gint64 bolus_interval_ms;
  double fixed_rate;            /* µg/kg/min, fixed arm */
  TtAdvisorParams advisor;      /* advisor arm: limits, line type, timings (peripheral defaults) */
  double start_rate;            /* advisor arm: µg/kg/min at induction (TT_ADVISOR_START_RATE) */
} TtClinicianConfig;

/* What the clinician does at one moment. */
typedef struct {
  gboolean set_rate;
  double   rate;                /* µg/kg/min when set_rate */
  double   bolus_ug;            /* 0: none */
} TtClinicianAction;

typedef struct _TtClinician TtClinician;

/* Fills @config for @arm from the cohort and the patient's weight and baseline MAP (the band is
 * the advisor's default for that baseline). */
void         tt_clinician_config_init (TtClinicianConfig       *config,
                                       TtArm                    arm,
                                       const TtCohort          *cohort,
                                       double                   weight_kg,
                                       double                   baseline_map);

TtClinician *tt_clinician_new         (const TtClinicianConfig *config);
void         tt_clinician_free        (TtClinician             *self);

/* Start of induction at @t_ms: the infusion arms start their pump. */
void         tt_clinician_start       (TtClinician             *self,
                                       gint64                   t_ms,
                                       TtClinicianAction       *action);
/* A grid step's signal state, as the engine computed it. */
void         tt_clinician_observe     (TtClinician             *self,
                                       const TtSignalState     *state);
/* What is due by @t_ms: call it after every observation and whenever time passes. */
void         tt_clinician_act         (TtClinician             *self,
                                       gint64                   t_ms,
                                       TtClinicianAction       *action);

guint        tt_clinician_get_n_advice (TtClinician            *self);
guint        tt_clinician_get_n_accepted (TtClinician          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtClinician, tt_clinician_free)

G_END_DECLS
