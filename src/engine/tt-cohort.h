/* tt-cohort.h: a population of virtual patients and the arms they are randomised to, described by
 * a cohort file (GKeyFile .ini, parsed from a string: the engine reads no files).
 *
 * The format is documented in README.md, "Cohort files"; data/cohorts/trial.ini is the default
 * cohort (the source trial, CLINICAL.md §1 and §5) and holds the same values as
 * tt_cohort_init_default().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-patient.h"

G_BEGIN_DECLS

#define TT_COHORT_ERROR (tt_cohort_error_quark ())

typedef enum {
  TT_COHORT_ERROR_SYNTAX,      /* not a key file */
  TT_COHORT_ERROR_UNKNOWN,     /* a group or key this version does not know */
  TT_COHORT_ERROR_VALUE,       /* not a number / not a boolean */
  TT_COHORT_ERROR_RANGE,       /* outside the allowed range, or inconsistent with another key */
} TtCohortError;

/* The arms of the in-silico trial (issue 4). */
typedef enum {
  TT_ARM_ADVISOR = 0,   /* continuous infusion following the advisor */
  TT_ARM_BOLUS,         /* manual 10 µg boluses when MAP < 65, ≥ 2 min apart (the trial's control) */
  TT_ARM_FIXED,         /* fixed infusion 0.05 µg/kg/min, never titrated */
  TT_ARM_NONE,          /* no vasopressor */
  TT_N_ARMS
} TtArm;

typedef enum {
  TT_SEVERITY_MILD = 0,
  TT_SEVERITY_MODERATE,
  TT_SEVERITY_SEVERE,
  TT_N_SEVERITIES
} TtSeverity;

/* A truncated normal distribution. */
typedef struct {
  double mean;
  double sd;
  double min;
  double max;
} TtCohortDistribution;

typedef struct {
  guint                patients;
  double               duration_min;
  double               arm_weight[TT_N_ARMS];      /* allocation ratio */
  TtCohortDistribution age;                        /* years */
  TtCohortDistribution weight;                     /* kg */
  TtCohortDistribution baseline_map;               /* mmHg */
  double               sensitivity_cv_pct;         /* log-normal inter-patient CV of NE sensitivity */
  double               multiplier_min;             /* whole-cohort sensitivity multiplier, drawn */
  double               multiplier_max;             /* log-uniformly in [min, max] */
  double               severity_weight[TT_N_SEVERITIES];
  double               artifact_rate_per_h[TT_N_ARTIFACTS];
  double               dead_space_ml;
  gboolean             line_primed;
  double               concentration_ug_ml;
  double               reaction_delay_s;           /* advisor arm: from advice to pump */
  double               bolus_dose_ug;              /* bolus arm */
  double               bolus_threshold_mmhg;
  double               bolus_interval_min;
  double               fixed_rate_ug_kg_min;       /* fixed arm */
} TtCohort;

GQuark       tt_cohort_error_quark     (void);

const char  *tt_arm_to_string          (TtArm             arm);
const char  *tt_arm_describe           (TtArm             arm);
const char  *tt_severity_to_string     (TtSeverity        severity);

void         tt_cohort_init_default    (TtCohort         *cohort);
/* Keys absent from @data keep their default. */
gboolean     tt_cohort_parse           (TtCohort         *cohort,
                                        const char       *data,
                                        gssize            length,
                                        GError          **error);

/* Splits @n_patients over the arms by the allocation ratio (largest remainder; ties to the earlier
 * arm) and shuffles them with @seed. Returns a new array of @n_patients TtArm. */
TtArm       *tt_cohort_allocate        (const TtCohort   *cohort,
                                        guint             n_patients,
                                        guint32           seed);

/* Patient @index of the cohort drawn with @seed: the same for every arm it could be allocated to. */
void         tt_cohort_draw_patient    (const TtCohort   *cohort,
                                        guint32           seed,
                                        guint             index,
                                        TtPatientParams  *params,
                                        TtSeverity       *severity);

/* The fall of MAP at the nadir of induction, as a fraction of baseline, for a severity class. */
void         tt_severity_fall_range    (TtSeverity        severity,
                                        double           *min,
                                        double           *max);

G_END_DECLS
