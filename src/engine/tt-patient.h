/* tt-patient.h: a deterministic virtual patient for training, demonstration and in-silico trials.
 *
 * The patient is pure computation: it is created from its parameters and a seed, and moves forward
 * only when tt_patient_advance() is called with a time step (no clock, no I/O). The same parameters,
 * seed and calls give the same numbers to the last digit.
 *
 * Physiology (CLINICAL.md §2 and §5; figures marked [est] in tt-patient.c are estimates):
 *   MAP = baseline − propofol induction fall + intubation response + surgical stimulation
 *         + norepinephrine effect + slow drift + respiratory swing + beat-to-beat noise.
 * Norepinephrine (NE) goes from the pump through the line's dead space (an unprimed line delays it by
 * dead space / flow), into one compartment (V, CL), then to an effect site (ke0) driving a saturating
 * Emax response scaled by the patient's sensitivity. A bolus is first diluted in a small mixing
 * volume (the central blood volume) and mixes into the compartment within a minute [est]: that is
 * what makes a 10 µg bolus act within 30–60 s and by about +10 mmHg (README "Virtual patient").
 * The beat-to-beat parts (respiratory swing, noise, drift) are calibrated so that beat-level MAP
 * variability matches the source trial's ARV on steady infusion (CLINICAL.md §1).
 *
 * Output: 1 Hz monitor numerics (TtSample, as the transducer shows them: artifacts included and not
 * flagged; flagging is the engine's job), each the average of the beats of the last 8 s [est] as a
 * monitor's MAP numeric is, and, on request, a 125 Hz arterial waveform built beat by beat so that
 * the mean of each beat's samples is that beat's MAP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

#define TT_PATIENT_WAVE_HZ        125
#define TT_PATIENT_WAVE_PERIOD_MS 8

/* Artifacts of an arterial line (CLINICAL.md §6). */
typedef enum {
  TT_ARTIFACT_FLUSH = 0,     /* fast flush: ≥ 250 mmHg, pulse pressure ≈ 0, 1–10 s */
  TT_ARTIFACT_ZEROING,       /* open to air: ≈ 0 mmHg, flat */
  TT_ARTIFACT_SAMPLING,      /* blood sampling: flat trace, 10–60 s */
  TT_ARTIFACT_DAMPING,       /* overdamping: pulse pressure falls 40–50 % over minutes */
  TT_ARTIFACT_MOVEMENT,      /* movement: MAP jumps by 35–60 mmHg for 1–3 s */
  TT_ARTIFACT_SIGNAL_LOSS,   /* no signal at all */
  TT_N_ARTIFACTS,
  TT_ARTIFACT_NONE = TT_N_ARTIFACTS
} TtArtifact;

const char *tt_artifact_to_string   (TtArtifact   artifact);
gboolean    tt_artifact_from_string (const char  *name,
                                     TtArtifact  *artifact);

/* Everything that makes one patient. Fill with tt_patient_params_init_typical() and change fields;
 * a cohort (tt-cohort.h) draws them from a population. */
typedef struct {
  double   age_years;
  double   weight_kg;
  double   baseline_map;            /* mmHg, awake, before induction */
  double   baseline_hr;             /* beats/min */
  double   pulse_pressure;          /* mmHg at baseline */

  /* NE pharmacokinetics, for a 70 kg patient (scaled linearly with weight). */
  double   ne_volume_l;             /* ≈ 8.8 L */
  double   ne_clearance_l_min;      /* 2–3 L/min */
  double   ne_ke0_half_life_min;    /* effect site, 0.5–1 min */
  double   ne_bolus_mixing_volume_l;      /* [est] a bolus's initial dilution volume, ≈ 2 L */
  double   ne_bolus_mixing_half_life_min; /* [est] its mixing into the compartment, ≈ 0.5 min */
  /* NE pharmacodynamics. */
  double   ne_emax_mmhg;            /* 40–60 mmHg */
  double   ne_response_mmhg;        /* steady-state rise at 0.05 µg/kg/min for sensitivity 1 */
  double   ne_sensitivity;          /* multiplier on the effect-site concentration (1 = typical) */

  /* Propofol induction: the fall at the nadir of the drug effect, and its speed. */
  double   induction_fall;          /* fraction of baseline, 0.20–0.35 */
  double   induction_half_time_min; /* blood-pressure effect half-time, 5.7 (young)–10.2 (old) */
  gint64   induction_at_ms;         /* start of induction on the patient's clock; < 0: not yet */

  double   intubation_after_min;    /* from start of induction */
  double   intubation_rise_mmhg;
  double   intubation_duration_min;
  double   surgery_after_min;       /* surgical stimulation starts, from start of induction */
  double   surgery_rise_mmhg;

  double   resp_swing_mmhg;         /* systolic swing peak to peak, 2–5 mmHg */
  double   resp_map_fraction;       /* [est] share of the systolic swing that MAP shows (the rest
                                     * is a pulse-pressure swing on a steady diastolic level) */
  double   resp_rate_per_min;
  double   noise_sd_mmhg;           /* beat-to-beat MAP noise, SD */
  double   drift_sd_mmhg;           /* slow drift, stationary SD */

  /* The infusion line. */
  double   concentration_ug_ml;     /* syringe */
  double   dead_space_ml;           /* line volume between syringe and vein */
  gboolean line_primed;             /* FALSE: the dead space holds drug-free fluid */
  double   bolus_transit_s;         /* from the injection port to the vein */

  double   artifact_rate_per_h[TT_N_ARTIFACTS];
} TtPatientParams;

void   tt_patient_params_init_typical     (TtPatientParams *params);
/* The parameters as text (a key file, group "patient", one key per field, numbers written so that
 * they read back as the same double), for the session log; and back. Keys absent from @text keep
 * the typical patient's value and keys this version does not know are ignored; a value that is
 * not a number (or a boolean for line_primed) fails with a G_KEY_FILE_ERROR naming the key. */
char    *tt_patient_params_to_string      (const TtPatientParams *params);
gboolean tt_patient_params_from_string    (const char            *text,
                                           TtPatientParams       *params,
                                           GError               **error);
/* Field by field (struct padding is undefined, so never memcmp two of them). */
gboolean tt_patient_params_equal          (const TtPatientParams *a,
                                           const TtPatientParams *b);
/* Kazama 1999: 5.7 min at 20–39 years, 10.2 min at 70–85 years, linear in between. */
double tt_patient_induction_half_time_for_age (double age_years);

/* Derived quantities of the model (tests, docs and the trial's tables use them). */
double tt_patient_params_ne_half_life_min (const TtPatientParams *params);
double tt_patient_params_ne_steady_ug_l   (const TtPatientParams *params,
                                           double                 rate_ug_kg_min);
double tt_patient_params_ne_steady_mmhg   (const TtPatientParams *params,
                                           double                 rate_ug_kg_min);
double tt_patient_params_flow_ml_h        (const TtPatientParams *params,
                                           double                 rate_ug_kg_min);

/* What the model knows and a monitor does not. */
typedef struct {
  gint64     t_ms;
  double     map_model;          /* smooth model MAP: no drift, respiration or noise */
  double     map;                /* MAP of the current beat before artifacts */
  double     hr;
  double     ne_plasma_ug_l;     /* arterial: the compartment plus a bolus not yet mixed */
  double     ne_effect_site_ug_l;
  double     ne_effect_mmhg;
  double     induction_mmhg;     /* the fall, as a negative number */
  double     intubation_mmhg;
  double     surgery_mmhg;
  double     rate_ug_kg_min;     /* pump */
  double     line_drug_free_ml;  /* drug-free fluid still ahead of the drug in the line */
  double     ne_pumped_ug;       /* from the syringe, total */
  double     ne_bolus_ug;        /* given as boluses, total */
  TtArtifact artifact;
  gint64     induction_ms;       /* -1 before induction */
} TtPatientTruth;

typedef struct {
  gint64 t_ms;
  double mmhg;
} TtWavePoint;

/* One beat of the waveform as it was built: its samples average to map exactly. */
typedef struct {
  gint64     t_ms;          /* the foot, where the beat starts */
  gint64     duration_ms;
  double     map;           /* as the transducer shows it (artifacts included) */
  double     sbp;
  double     dbp;
  double     hr;
  double     map_true;      /* before artifacts */
  TtArtifact artifact;
  gboolean   present;       /* FALSE during signal loss: no waveform */
} TtPatientBeat;

typedef void (*TtPatientBeatFunc) (const TtPatientBeat *beat,
                                   gpointer             user_data);

typedef struct _TtPatient TtPatient;

TtPatient  *tt_patient_new              (const TtPatientParams *params,
                                         guint32                seed);
void        tt_patient_free             (TtPatient             *self);
const TtPatientParams *
            tt_patient_get_params       (TtPatient             *self);
gint64      tt_patient_get_time         (TtPatient             *self);

/* Moves time forward by dt_ms. Numerics (TtSample, one per second while there is a signal) are
 * appended to numerics and waveform points (TtWavePoint, 125 Hz) to wave; either may be NULL.
 * Asking for the waveform or not does not change any number. */
void        tt_patient_advance          (TtPatient             *self,
                                         gint64                 dt_ms,
                                         GArray                *numerics,
                                         GArray                *wave);

/* Called from tt_patient_advance() for every beat that ends. */
void        tt_patient_set_beat_func    (TtPatient             *self,
                                         TtPatientBeatFunc      func,
                                         gpointer               user_data);

/* Starts induction now, unless it has started already (a later scheduled start is brought
 * forward). */
void        tt_patient_start_induction  (TtPatient             *self);
/* The pump's rate from now on; negative rates count as 0. */
void        tt_patient_set_rate         (TtPatient             *self,
                                         double                 rate_ug_kg_min);
double      tt_patient_get_rate         (TtPatient             *self);
void        tt_patient_give_bolus       (TtPatient             *self,
                                         double                 ug);

/* Instructor controls: they change the patient from now on. */
void        tt_patient_set_sensitivity  (TtPatient             *self,
                                         double                 multiplier);
void        tt_patient_set_induction_fall (TtPatient           *self,
                                         double                 fraction);
void        tt_patient_inject_artifact  (TtPatient             *self,
                                         TtArtifact             artifact,
                                         gint64                 duration_ms);

void        tt_patient_get_truth        (TtPatient             *self,
                                         TtPatientTruth        *truth);

/* A standard normal draw from @rand (Box–Muller), the same for a given stream: the patient's
 * noise and the cohort's patients draw with it. */
double      tt_patient_draw_normal      (GRand                 *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtPatient, tt_patient_free)

G_END_DECLS
