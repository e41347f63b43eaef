/* tt-patient.c: the virtual patient's physiology, line and monitor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-dose.h"
#include "tt-patient.h"

/* Published figures (CLINICAL.md §2, §5). */
#define NE_VOLUME_L                 8.8    /* §2, Beloeil 2005 */
#define NE_CLEARANCE_TYPICAL        2.75   /* §2: 2–3 L/min; gives t½ 2.22 min, inside 2–2.4 */
#define NE_KE0_HALF_LIFE_TYPICAL    0.75   /* §5: 0.5–1 min */
#define NE_EMAX_TYPICAL             50.0   /* §5: 40–60 mmHg */
#define NE_RESPONSE_TYPICAL         7.5    /* §5: +5 to +10 mmHg per 0.05 µg/kg/min */
#define NE_REFERENCE_RATE           0.05   /* µg/kg/min, the rate the response is quoted at */
#define INDUCTION_FALL_TYPICAL      0.24   /* §5: 20–35 %, mean −23 mmHg at a baseline of 95 */
#define KAZAMA_YOUNG_AGE            30.0   /* middle of 20–39 years */
#define KAZAMA_YOUNG_HALF_TIME      5.7
#define KAZAMA_OLD_AGE              77.5   /* middle of 70–85 years */
#define KAZAMA_OLD_HALF_TIME        10.2

/* Estimates [est]: named here, documented in README "Virtual patient". */
#define PK_REFERENCE_WEIGHT_KG      70.0   /* [est] V and CL scale linearly with weight */
#define PROPOFOL_BOLUS_FRACTION     0.88   /* [est] share of the induction dose's plasma level that
                                            * redistributes; the rest is maintenance */
#define PROPOFOL_REDIST_HALF_MIN    2.0    /* [est] redistribution half-life of that share */
#define INTUBATION_RISE_S           20.0   /* [est] time constant of the rise */
#define INTUBATION_FADE_S           30.0   /* [est] time constant of the fade */
#define SURGERY_RISE_MIN            1.0    /* [est] time constant of the surgical rise */
#define DRIFT_TAU_S                 60.0   /* [est] correlation time of the slow drift … */
#define DRIFT_SMOOTH_S              10.0   /* [est] … smoothed again so that it does not move
                                            * beat to beat (it is a slow process, not noise) */
/* A bolus is injected faster than it mixes: it is first diluted in about the central blood volume
 * and mixes into the NE distribution volume (V) within a minute or so. Without this, a 10 µg
 * bolus through CLINICAL.md's one compartment (V 8.8 L) peaks at only +4 mmHg after 2 min, weaker
 * and slower than "acts in 30–60 s" (§2) and than the clinical effect of 5–20 µg boluses. These
 * two figures give +10 mmHg at 80 s for 10 µg in a typical patient (README "Virtual patient").
 * Pump rates change the arterial level slowly and stay with the one compartment of §2. */
#define NE_BOLUS_MIXING_VOLUME_L    2.0    /* [est] per 70 kg, the central blood volume */
#define NE_BOLUS_MIXING_HALF_LIFE   0.5    /* [est] min */
/* The monitor's MAP numeric is the average over the beats of the last few seconds (typical
 * monitors average over 5–10 s), not the last beat's value. An artifact is shown as it comes and
 * restarts the average, so that it looks as CLINICAL.md §6 describes it (a flush at ≥ 250 mmHg
 * at once, not smeared). */
#define MONITOR_AVERAGE_MS          8000   /* [est] */
#define MONITOR_MAX_BEATS           32     /* more than 8 s of beats at the highest heart rate */
#define HR_NOISE_SD                 1.0    /* [est] beats/min, beat to beat */
/* Beat-to-beat MAP variability, calibrated against the source trial: generalised ARV of MAP on
 * beat-level data was 19 ± 6 mmHg/min on a continuous infusion (CLINICAL.md §1), which leaves
 * about 0.3 mmHg of change per beat for everything (respiration, noise, drift, the induction fall,
 * intubation, the drug). The respiratory swing of §5 (2–5 mmHg) is mostly a pulse-pressure swing
 * over a steady diastolic level, and MAP ≈ DBP + PP/3 swings by about a third of it; the white
 * noise takes what is left (README "Virtual patient": the calibration and its result). */
#define RESP_MAP_FRACTION           0.2    /* [est] */
#define NOISE_SD_MMHG               0.1    /* [est] mmHg per beat */
#define HR_INDUCTION_FALL           0.08   /* [est] HR falls 8 % with the full propofol effect */
#define HR_PER_MMHG_STIMULUS        0.6    /* [est] beats/min per mmHg of intubation/surgery rise */
#define HR_PER_MMHG_NE              0.15   /* [est] baroreflex slowing per mmHg of NE effect */
#define MAP_FLOOR                   20.0   /* [est] the model never goes below this */
#define MAP_CEILING                 220.0
#define PP_RATIO_MIN                0.6    /* [est] pulse pressure follows MAP within these ratios */
#define PP_RATIO_MAX                1.4

/* Artifacts (CLINICAL.md §6; durations without a published figure are [est]). */
#define FLUSH_MIN_S                 1.0
#define FLUSH_MAX_S                 10.0
#define FLUSH_LEVEL_MIN             250.0
#define FLUSH_LEVEL_MAX             300.0
#define ZEROING_MIN_S               5.0    /* [est] */
#define ZEROING_MAX_S               20.0   /* [est] */
#define SAMPLING_MIN_S              10.0
#define SAMPLING_MAX_S              60.0
#define DAMPING_MIN_S               180.0  /* [est] until someone flushes the line */
#define DAMPING_MAX_S               600.0  /* [est] */
#define DAMPING_RAMP_S              120.0  /* [est] "over minutes" */
#define DAMPING_DEPTH_MIN           0.40
#define DAMPING_DEPTH_MAX           0.50
#define MOVEMENT_MIN_S              1.0    /* [est] */
#define MOVEMENT_MAX_S              3.0    /* [est] */
#define MOVEMENT_JUMP_MIN           35.0
#define MOVEMENT_JUMP_MAX           60.0   /* [est] */
#define SIGNAL_LOSS_MIN_S           10.0   /* [est] */
#define SIGNAL_LOSS_MAX_S           60.0   /* [est] */
#define FLAT_PULSE_MMHG             1.0    /* what is left of the pulse on a flat trace */

#define TICK_MS                     100    /* physiology step */
#define NUMERIC_MS                  1000   /* monitor numerics */
#define NUMERIC_MAX_AGE_MS          3000   /* no numeric from a beat older than this */
#define HR_MIN                      35.0
#define HR_MAX                      160.0

/* Beat shapes, one per beat length in samples. */
#define SHAPE_N_MIN                 40
#define SHAPE_N_MAX                 220
/* A beat starts where the last one ended: the difference fades over the first 80 ms [est]. */
#define JOINT_SAMPLES               10

static double shape_table[SHAPE_N_MAX + 1][SHAPE_N_MAX];
static double shape_mean[SHAPE_N_MAX + 1];

typedef struct {
  gint64 t_ms;
  double ug;
} Bolus;

typedef struct {
  gint64   start_ms;
  guint    n;          /* samples at 125 Hz */
  gboolean present;    /* FALSE during signal loss */
  double   map;        /* as the transducer shows it */
  double   level;      /* the diastolic level the beat's shape stands on */
  double   pp;
  double   joint;      /* previous beat's end minus level: fades over the upstroke */
  double   sbp;        /* highest and foot pressure of the beat as drawn */
  double   dbp;
  double   hr;
  double   map_true;
  TtArtifact artifact;
  gboolean after_artifact;  /* the beat before was an artifact or a signal loss */
} Beat;

struct _TtPatient
{
  TtPatientParams params;
  GRand   *noise_rand;
  GRand   *artifact_rand;

  gint64   t_ms;
  gint64   next_tick_ms;
  gint64   last_tick_ms;
  gint64   next_numeric_ms;

  /* derived */
  double   volume_l;
  double   clearance_l_min;
  double   ec50_ug_l;
  double   propofol_peak;
  double   tick_pk;           /* decay factors over one whole tick, computed once */
  double   tick_ke0;
  double   tick_drift;
  double   tick_drift_smooth;
  double   tick_mix;
  double   mix_volume_l;

  /* pump and line */
  double   rate;              /* µg/kg/min */
  gint64   pump_t_ms;         /* pumped volume is counted up to here */
  double   pending_ml;        /* pumped since the last tick */
  double   pumped_ml;
  double   drug_free_ml;
  double   bolus_ug;
  GArray  *boluses;           /* Bolus, in arrival order */

  /* state */
  double   ne_plasma;         /* the compartment, µg/L */
  double   ne_mixing_ug;      /* bolus not yet mixed into the compartment */
  double   ne_effect_site;
  double   drift_fast;
  double   drift;
  double   map_model;
  double   hr_model;
  double   induction_mmhg;
  double   intubation_mmhg;
  double   surgery_mmhg;
  double   ne_effect_mmhg;

  /* beats */
  Beat     beat;
  Beat     last_done;
  gboolean have_last_done;
  Beat     done[MONITOR_MAX_BEATS];  /* the last beats, a ring: done[n_done % MAX] is next */
  guint    n_done;
  TtPatientBeatFunc beat_func;
  gpointer beat_data;

  /* artifacts */
  TtArtifact artifact;
  gint64   artifact_start_ms;
  gint64   artifact_end_ms;
  double   artifact_level;
  gint64   artifact_next_ms[TT_N_ARTIFACTS];
};

static gpointer
init_shapes (gpointer data)
{
  for (guint n = SHAPE_N_MIN; n <= SHAPE_N_MAX; n++)
    {
      double period = n * (TT_PATIENT_WAVE_PERIOD_MS / 1000.0);
      /* Systole shortens less than the whole beat when the heart rate rises. */
      double f = sqrt (MIN (1.0, period / 0.857));
      double raw[SHAPE_N_MAX + 1];
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, sum = 0;

      for (guint i = 0; i <= n; i++)
        {
          double t = i * (TT_PATIENT_WAVE_PERIOD_MS / 1000.0);
          double g1 = (t - 0.11 * f) / (0.045 * f);
          double g2 = (t - 0.26 * f) / (0.070 * f);
          double g3 = (t - 0.42 * f) / (0.050 * f);
          double runoff = 0.5 * (1 - exp (-t / 0.05)) *
                          (exp (-t / 0.6) - exp (-period / 0.6)) / (1 - exp (-period / 0.6));

          raw[i] = exp (-0.5 * g1 * g1) + 0.55 * exp (-0.5 * g2 * g2) +
                   0.22 * exp (-0.5 * g3 * g3) + runoff;
        }
      /* The foot of one beat meets the foot of the next. */
      for (guint i = 0; i <= n; i++)
        raw[i] -= raw[0] + (raw[n] - raw[0]) * i / n;
      for (guint i = 0; i < n; i++)
        {
          lo = MIN (lo, raw[i]);
          hi = MAX (hi, raw[i]);
        }
      for (guint i = 0; i < n; i++)
        {
          shape_table[n][i] = (raw[i] - lo) / (hi - lo);
          sum += shape_table[n][i];
        }
      shape_mean[n] = sum / n;
    }
  return data;
}

static void
ensure_shapes (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_shapes, NULL);
}

const char *
tt_artifact_to_string (TtArtifact artifact)
{
  static const char *names[TT_N_ARTIFACTS + 1] = {
    [TT_ARTIFACT_FLUSH] = "flush",
    [TT_ARTIFACT_ZEROING] = "zeroing",
    [TT_ARTIFACT_SAMPLING] = "sampling",
    [TT_ARTIFACT_DAMPING] = "damping",
    [TT_ARTIFACT_MOVEMENT] = "movement",
    [TT_ARTIFACT_SIGNAL_LOSS] = "signal-loss",
    [TT_ARTIFACT_NONE] = "none",
  };

  g_return_val_if_fail (artifact <= TT_ARTIFACT_NONE, "invalid");
  return names[artifact];
}

gboolean
tt_artifact_from_string (const char *name,
                         TtArtifact *artifact)
{
  for (guint i = 0; i <= TT_ARTIFACT_NONE; i++)
    if (g_strcmp0 (name, tt_artifact_to_string (i)) == 0)
      {
        *artifact = i;
        return TRUE;
      }
  return FALSE;
}

double
tt_patient_induction_half_time_for_age (double age_years)
{
  double f = (age_years - KAZAMA_YOUNG_AGE) / (KAZAMA_OLD_AGE - KAZAMA_YOUNG_AGE);

  f = CLAMP (f, 0.0, 1.0);
  return KAZAMA_YOUNG_HALF_TIME + f * (KAZAMA_OLD_HALF_TIME - KAZAMA_YOUNG_HALF_TIME);
}

void
tt_patient_params_init_typical (TtPatientParams *p)
{
  g_return_if_fail (p != NULL);

  *p = (TtPatientParams) {
    .age_years = 66,                    /* §5: mean of the trial */
    .weight_kg = 70,
    .baseline_map = 95,                 /* §5: middle of 85–105 */
    .baseline_hr = 70,                  /* [est] */
    .pulse_pressure = 50,               /* [est] */
    .ne_volume_l = NE_VOLUME_L,
    .ne_clearance_l_min = NE_CLEARANCE_TYPICAL,
    .ne_ke0_half_life_min = NE_KE0_HALF_LIFE_TYPICAL,
    .ne_bolus_mixing_volume_l = NE_BOLUS_MIXING_VOLUME_L,
    .ne_bolus_mixing_half_life_min = NE_BOLUS_MIXING_HALF_LIFE,
    .ne_emax_mmhg = NE_EMAX_TYPICAL,
    .ne_response_mmhg = NE_RESPONSE_TYPICAL,
    .ne_sensitivity = 1.0,
    .induction_fall = INDUCTION_FALL_TYPICAL,
    .induction_half_time_min = tt_patient_induction_half_time_for_age (66),
    .induction_at_ms = 0,
    .intubation_after_min = 4.0,        /* §5: 3–5 min [est] */
    .intubation_rise_mmhg = 17.5,       /* §5: 10–25 mmHg [est] */
    .intubation_duration_min = 2.0,     /* §5: 1–3 min [est] */
    .surgery_after_min = 20.0,          /* [est] */
    .surgery_rise_mmhg = 10.0,          /* [est] */
    .resp_swing_mmhg = 3.0,             /* §5: 2–5 mmHg (systolic) */
    .resp_map_fraction = RESP_MAP_FRACTION,
    .resp_rate_per_min = 12.0,          /* [est] ventilator */
    .noise_sd_mmhg = NOISE_SD_MMHG,
    .drift_sd_mmhg = 1.5,               /* [est] */
    .concentration_ug_ml = 20.0,        /* §2 */
    .dead_space_ml = 0.5,               /* [est] */
    .line_primed = TRUE,
    .bolus_transit_s = 15.0,            /* [est] so that a bolus acts in 30–60 s (§2) */
    .artifact_rate_per_h = { 0 },
  };
}

/* The number fields of TtPatientParams by name, for the text form (the session log). */
#define PARAM(field) { #field, G_STRUCT_OFFSET (TtPatientParams, field) }
static const struct {
  const char *key;
  glong       offset;
} param_doubles[] = {
  PARAM (age_years), PARAM (weight_kg), PARAM (baseline_map), PARAM (baseline_hr),
  PARAM (pulse_pressure), PARAM (ne_volume_l), PARAM (ne_clearance_l_min),
  PARAM (ne_ke0_half_life_min), PARAM (ne_bolus_mixing_volume_l),
  PARAM (ne_bolus_mixing_half_life_min), PARAM (ne_emax_mmhg), PARAM (ne_response_mmhg),
  PARAM (ne_sensitivity), PARAM (induction_fall), PARAM (induction_half_time_min),
  PARAM (intubation_after_min), PARAM (intubation_rise_mmhg), PARAM (intubation_duration_min),
  PARAM (surgery_after_min), PARAM (surgery_rise_mmhg), PARAM (resp_swing_mmhg),
  PARAM (resp_map_fraction), PARAM (resp_rate_per_min), PARAM (noise_sd_mmhg),
  PARAM (drift_sd_mmhg), PARAM (concentration_ug_ml), PARAM (dead_space_ml),
  PARAM (bolus_transit_s),
};
#undef PARAM

#define PARAMS_GROUP "patient"

char *
tt_patient_params_to_string (const TtPatientParams *p)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (p != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (param_doubles); i++)
    g_key_file_set_double (file, PARAMS_GROUP, param_doubles[i].key,
                           G_STRUCT_MEMBER (double, p, param_doubles[i].offset));
  g_key_file_set_int64 (file, PARAMS_GROUP, "induction_at_ms", p->induction_at_ms);
  g_key_file_set_boolean (file, PARAMS_GROUP, "line_primed", p->line_primed);
  for (TtArtifact a = 0; a < TT_N_ARTIFACTS; a++)
    {
      g_autofree char *key = g_strconcat ("artifact_rate_per_h.", tt_artifact_to_string (a), NULL);

      g_key_file_set_double (file, PARAMS_GROUP, key, p->artifact_rate_per_h[a]);
    }
  return g_key_file_to_data (file, NULL, NULL);
}

gboolean
tt_patient_params_from_string (const char       *text,
                               TtPatientParams  *p,
                               GError          **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  TtPatientParams out;
  GError *local_error = NULL;

  g_return_val_if_fail (text != NULL && p != NULL, FALSE);

  if (!g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, error))
    return FALSE;
  if (!g_key_file_has_group (file, PARAMS_GROUP))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   _("Patient parameters: no group [%s]"), PARAMS_GROUP);
      return FALSE;
    }
  tt_patient_params_init_typical (&out);
  for (guint i = 0; i < G_N_ELEMENTS (param_doubles) && local_error == NULL; i++)
    if (g_key_file_has_key (file, PARAMS_GROUP, param_doubles[i].key, NULL))
      G_STRUCT_MEMBER (double, &out, param_doubles[i].offset) =
        g_key_file_get_double (file, PARAMS_GROUP, param_doubles[i].key, &local_error);
  if (local_error == NULL && g_key_file_has_key (file, PARAMS_GROUP, "induction_at_ms", NULL))
    out.induction_at_ms = g_key_file_get_int64 (file, PARAMS_GROUP, "induction_at_ms",
                                                &local_error);
  if (local_error == NULL && g_key_file_has_key (file, PARAMS_GROUP, "line_primed", NULL))
    out.line_primed = g_key_file_get_boolean (file, PARAMS_GROUP, "line_primed", &local_error);
  for (TtArtifact a = 0; a < TT_N_ARTIFACTS && local_error == NULL; a++)
    {
      g_autofree char *key = g_strconcat ("artifact_rate_per_h.", tt_artifact_to_string (a), NULL);

      if (g_key_file_has_key (file, PARAMS_GROUP, key, NULL))
        out.artifact_rate_per_h[a] = g_key_file_get_double (file, PARAMS_GROUP, key,
                                                            &local_error);
    }
  if (local_error != NULL)
    {
      /* Translators: GLib's reason follows, naming the key. */
      g_propagate_prefixed_error (error, local_error, "%s", _("Patient parameters: "));
      return FALSE;
    }
  *p = out;
  return TRUE;
}

gboolean
tt_patient_params_equal (const TtPatientParams *a,
                         const TtPatientParams *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (param_doubles); i++)
    if (G_STRUCT_MEMBER (double, a, param_doubles[i].offset) !=
        G_STRUCT_MEMBER (double, b, param_doubles[i].offset))
      return FALSE;
  for (TtArtifact x = 0; x < TT_N_ARTIFACTS; x++)
    if (a->artifact_rate_per_h[x] != b->artifact_rate_per_h[x])
      return FALSE;
  return a->induction_at_ms == b->induction_at_ms && !a->line_primed == !b->line_primed;
}

static double
weight_scale (const TtPatientParams *p)
{
  return p->weight_kg / PK_REFERENCE_WEIGHT_KG;
}

/* The slow drift is a first-order process (DRIFT_TAU_S) smoothed by a second (DRIFT_SMOOTH_S);
 * the first's SD is scaled so that the drift itself has the stationary SD asked for:
 * var = σ² τ1 / (τ1 + τ2) for an Ornstein–Uhlenbeck process through a first-order filter. */
static double
drift_input_sd (const TtPatientParams *p)
{
  return p->drift_sd_mmhg * sqrt ((DRIFT_TAU_S + DRIFT_SMOOTH_S) / DRIFT_TAU_S);
}

double
tt_patient_params_ne_half_life_min (const TtPatientParams *p)
{
  return G_LN2 * p->ne_volume_l / p->ne_clearance_l_min;
}

double
tt_patient_params_ne_steady_ug_l (const TtPatientParams *p,
                                  double                 rate_ug_kg_min)
{
  return rate_ug_kg_min * p->weight_kg / (p->ne_clearance_l_min * weight_scale (p));
}

static double
ec50 (const TtPatientParams *p)
{
  double c_ref = tt_patient_params_ne_steady_ug_l (p, NE_REFERENCE_RATE);

  return c_ref * (p->ne_emax_mmhg / p->ne_response_mmhg - 1.0);
}

static double
emax_effect (const TtPatientParams *p,
             double                 ec50_ug_l,
             double                 c_ug_l)
{
  double s = p->ne_sensitivity * MAX (c_ug_l, 0.0);

  return p->ne_emax_mmhg * s / (ec50_ug_l + s);
}

double
tt_patient_params_ne_steady_mmhg (const TtPatientParams *p,
                                  double                 rate_ug_kg_min)
{
  return emax_effect (p, ec50 (p), tt_patient_params_ne_steady_ug_l (p, rate_ug_kg_min));
}

double
tt_patient_params_flow_ml_h (const TtPatientParams *p,
                             double                 rate_ug_kg_min)
{
  return tt_dose_ml_h (rate_ug_kg_min, p->weight_kg, p->concentration_ug_ml);
}

/* The propofol effect-site level after a bolus that partly redistributes (not normalised). */
static double
propofol_effect (const TtPatientParams *p,
                 double                 tau_min)
{
  double ke0 = G_LN2 / p->induction_half_time_min;
  double k = G_LN2 / PROPOFOL_REDIST_HALF_MIN;
  double a = PROPOFOL_BOLUS_FRACTION;
  double bolus;

  if (tau_min <= 0)
    return 0;
  if (fabs (ke0 - k) < 1e-9)
    bolus = ke0 * tau_min * exp (-k * tau_min);
  else
    bolus = ke0 / (ke0 - k) * (exp (-k * tau_min) - exp (-ke0 * tau_min));
  return (1 - a) * (1 - exp (-ke0 * tau_min)) + a * bolus;
}

static double
exp_uniform (GRand  *rand,
             double  rate_per_h)
{
  double u = g_rand_double (rand);

  return -log (1.0 - u) / rate_per_h * 3600e3;
}

static gint64
next_artifact_time (TtPatient *self,
                    TtArtifact artifact,
                    gint64     from_ms)
{
  double rate = self->params.artifact_rate_per_h[artifact];

  if (rate <= 0)
    return G_MAXINT64;
  return from_ms + (gint64) exp_uniform (self->artifact_rand, rate);
}

double
tt_patient_draw_normal (GRand *rand)
{
  /* Box–Muller: two uniforms, one normal; deterministic for a given stream. */
  double u1 = g_rand_double (rand);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (1.0 - u1)) * cos (2 * G_PI * u2);
}

static double
minutes_since_induction (TtPatient *self,
                         gint64     t_ms)
{
  if (self->params.induction_at_ms < 0 || t_ms < self->params.induction_at_ms)
    return -1;
  return (t_ms - self->params.induction_at_ms) / 60000.0;
}

/* What the arterial blood carries to the effect site: the compartment, and a bolus that has not
 * mixed yet at its higher concentration. */
static double
arterial_ug_l (TtPatient *self)
{
  return self->ne_plasma + self->ne_mixing_ug / self->mix_volume_l;
}

static void
update_model (TtPatient *self)
{
  const TtPatientParams *p = &self->params;
  double tau = minutes_since_induction (self, self->t_ms);
  double g = tau > 0 ? propofol_effect (p, tau) / self->propofol_peak : 0;
  double ti = tau - p->intubation_after_min;
  double ts = tau - p->surgery_after_min;
  double map;

  self->induction_mmhg = -p->induction_fall * p->baseline_map * g;
  self->intubation_mmhg = 0;
  if (tau >= 0 && ti > 0)
    {
      double d = p->intubation_duration_min;
      double rise = 1 - exp (-MIN (ti, d) * 60.0 / INTUBATION_RISE_S);

      self->intubation_mmhg = p->intubation_rise_mmhg * rise;
      if (ti > d)
        self->intubation_mmhg *= exp (-(ti - d) * 60.0 / INTUBATION_FADE_S);
    }
  self->surgery_mmhg = 0;
  if (tau >= 0 && ts > 0)
    self->surgery_mmhg = p->surgery_rise_mmhg * (1 - exp (-ts / SURGERY_RISE_MIN));
  self->ne_effect_mmhg = emax_effect (p, self->ec50_ug_l, self->ne_effect_site);

  map = p->baseline_map + self->induction_mmhg + self->intubation_mmhg + self->surgery_mmhg +
        self->ne_effect_mmhg;
  self->map_model = CLAMP (map, MAP_FLOOR, MAP_CEILING);
  self->hr_model = p->baseline_hr * (1 - HR_INDUCTION_FALL * g) +
                   HR_PER_MMHG_STIMULUS * (self->intubation_mmhg + self->surgery_mmhg) -
                   HR_PER_MMHG_NE * self->ne_effect_mmhg;
  self->hr_model = CLAMP (self->hr_model, HR_MIN, HR_MAX);
}

static void
count_pumped (TtPatient *self)
{
  double flow = tt_patient_params_flow_ml_h (&self->params, self->rate);

  self->pending_ml += flow * (self->t_ms - self->pump_t_ms) / 3600e3;
  self->pump_t_ms = self->t_ms;
}

static void
start_artifact (TtPatient *self,
                TtArtifact artifact,
                gint64     duration_ms)
{
  GRand *r = self->artifact_rand;
  double lo_s = 0, hi_s = 0;

  switch (artifact)
    {
    case TT_ARTIFACT_FLUSH:
      lo_s = FLUSH_MIN_S, hi_s = FLUSH_MAX_S;
      self->artifact_level = g_rand_double_range (r, FLUSH_LEVEL_MIN, FLUSH_LEVEL_MAX);
      break;
    case TT_ARTIFACT_ZEROING:
      lo_s = ZEROING_MIN_S, hi_s = ZEROING_MAX_S;
      self->artifact_level = g_rand_double_range (r, -3.0, 3.0);
      break;
    case TT_ARTIFACT_SAMPLING:
      lo_s = SAMPLING_MIN_S, hi_s = SAMPLING_MAX_S;
      self->artifact_level = self->beat.map_true;
      break;
    case TT_ARTIFACT_DAMPING:
      lo_s = DAMPING_MIN_S, hi_s = DAMPING_MAX_S;
      self->artifact_level = g_rand_double_range (r, DAMPING_DEPTH_MIN, DAMPING_DEPTH_MAX);
      break;
    case TT_ARTIFACT_MOVEMENT:
      lo_s = MOVEMENT_MIN_S, hi_s = MOVEMENT_MAX_S;
      self->artifact_level = g_rand_double_range (r, MOVEMENT_JUMP_MIN, MOVEMENT_JUMP_MAX) *
                             (g_rand_boolean (r) ? 1 : -1);
      break;
    case TT_ARTIFACT_SIGNAL_LOSS:
      lo_s = SIGNAL_LOSS_MIN_S, hi_s = SIGNAL_LOSS_MAX_S;
      break;
    case TT_ARTIFACT_NONE:
    default:
      g_return_if_reached ();
    }
  if (duration_ms <= 0)
    duration_ms = (gint64) (g_rand_double_range (r, lo_s, hi_s) * 1000);
  self->artifact = artifact;
  self->artifact_start_ms = self->t_ms;
  self->artifact_end_ms = self->t_ms + duration_ms;
}

static void
update_artifacts (TtPatient *self)
{
  if (self->artifact != TT_ARTIFACT_NONE && self->t_ms >= self->artifact_end_ms)
    {
      TtArtifact done = self->artifact;

      self->artifact = TT_ARTIFACT_NONE;
      self->artifact_next_ms[done] = next_artifact_time (self, done, self->t_ms);
    }
  if (self->artifact == TT_ARTIFACT_NONE)
    {
      TtArtifact due = TT_ARTIFACT_NONE;

      /* One at a time: an artifact that falls due during another starts after it. */
      for (guint i = 0; i < TT_N_ARTIFACTS; i++)
        if (self->artifact_next_ms[i] <= self->t_ms &&
            (due == TT_ARTIFACT_NONE || self->artifact_next_ms[i] < self->artifact_next_ms[due]))
          due = i;
      if (due != TT_ARTIFACT_NONE)
        start_artifact (self, due, 0);
    }
}

/* Integrates the interval since the last tick with the inputs that held during it. */
static void
tick (TtPatient *self)
{
  const TtPatientParams *p = &self->params;
  double h_min = (self->t_ms - self->last_tick_ms) / 60000.0;
  double drug_ml, input_ug_min = 0, c_old = arterial_ug_l (self), e, phi, psi;

  count_pumped (self);
  drug_ml = self->pending_ml;
  if (self->drug_free_ml > 0)
    {
      double flushed = MIN (self->drug_free_ml, drug_ml);

      self->drug_free_ml -= flushed;
      drug_ml -= flushed;
    }
  self->pumped_ml += self->pending_ml;
  self->pending_ml = 0;

  if (h_min > 0)
    {
      gboolean whole = self->t_ms - self->last_tick_ms == TICK_MS;
      double ke0;

      double mixed, mix;

      /* What mixes in during the tick enters the compartment like an infusion over the tick. */
      mix = whole ? self->tick_mix
                  : 1 - exp (-G_LN2 / p->ne_bolus_mixing_half_life_min * h_min);
      mixed = self->ne_mixing_ug * mix;
      self->ne_mixing_ug -= mixed;
      input_ug_min = (drug_ml * p->concentration_ug_ml + mixed) / h_min;
      e = whole ? self->tick_pk : exp (-self->clearance_l_min / self->volume_l * h_min);
      ke0 = whole ? self->tick_ke0 : 1 - exp (-G_LN2 / p->ne_ke0_half_life_min * h_min);
      self->ne_plasma = self->ne_plasma * e + input_ug_min / self->clearance_l_min * (1 - e);
      self->ne_effect_site += ((c_old + arterial_ug_l (self)) / 2 - self->ne_effect_site) * ke0;
      phi = whole ? self->tick_drift : exp (-h_min * 60.0 / DRIFT_TAU_S);
      psi = whole ? self->tick_drift_smooth : exp (-h_min * 60.0 / DRIFT_SMOOTH_S);
      self->drift_fast = self->drift_fast * phi + drift_input_sd (p) * sqrt (1 - phi * phi) *
                                                  tt_patient_draw_normal (self->noise_rand);
      self->drift = self->drift * psi + self->drift_fast * (1 - psi);
    }
  while (self->boluses->len > 0 && g_array_index (self->boluses, Bolus, 0).t_ms <= self->t_ms)
    {
      self->ne_mixing_ug += g_array_index (self->boluses, Bolus, 0).ug;
      g_array_remove_index (self->boluses, 0);
    }

  self->last_tick_ms = self->t_ms;
  update_model (self);
  update_artifacts (self);
}

static gboolean
is_step (TtArtifact artifact)
{
  return artifact == TT_ARTIFACT_FLUSH || artifact == TT_ARTIFACT_ZEROING ||
         artifact == TT_ARTIFACT_SAMPLING;
}

static double
joint_weight (guint i)
{
  return i < JOINT_SAMPLES ? 1.0 - (double) i / JOINT_SAMPLES : 0.0;
}

static double
beat_sample (const Beat *b,
             guint       i)
{
  return b->level + b->pp * shape_table[b->n][MIN (i, b->n - 1)] + b->joint * joint_weight (i);
}

static void
start_beat (TtPatient *self)
{
  const TtPatientParams *p = &self->params;
  Beat *b = &self->beat;
  double t_s = self->t_ms / 1000.0;
  double breath = sin (2 * G_PI * p->resp_rate_per_min / 60.0 * t_s);
  double noise = p->noise_sd_mmhg * tt_patient_draw_normal (self->noise_rand);
  double hr = self->hr_model + HR_NOISE_SD * tt_patient_draw_normal (self->noise_rand);
  double ratio, resp_map, resp_pp;

  hr = CLAMP (hr, HR_MIN, HR_MAX);
  b->start_ms = self->t_ms;
  b->n = (guint) CLAMP (lround (60.0 * TT_PATIENT_WAVE_HZ / hr), SHAPE_N_MIN, SHAPE_N_MAX);
  b->hr = 60.0 * TT_PATIENT_WAVE_HZ / b->n;
  /* The systolic swing is split: MAP takes its share, the pulse pressure the rest, so that SBP
   * (the peak, MAP + PP × (1 − shape mean)) still swings by resp_swing_mmhg. */
  resp_map = p->resp_swing_mmhg * p->resp_map_fraction / 2 * breath;
  resp_pp = p->resp_swing_mmhg * (1 - p->resp_map_fraction) / (1 - shape_mean[b->n]) / 2 * breath;
  b->map_true = CLAMP (self->map_model + self->drift + resp_map + noise, MAP_FLOOR, MAP_CEILING);
  ratio = CLAMP (b->map_true / p->baseline_map, PP_RATIO_MIN, PP_RATIO_MAX);
  b->pp = MAX (p->pulse_pressure * ratio + resp_pp, FLAT_PULSE_MMHG);
  b->map = b->map_true;
  b->present = TRUE;
  b->artifact = self->artifact;

  switch (self->artifact)
    {
    case TT_ARTIFACT_FLUSH:
    case TT_ARTIFACT_ZEROING:
    case TT_ARTIFACT_SAMPLING:
      b->map = self->artifact_level;
      b->pp = FLAT_PULSE_MMHG;
      break;
    case TT_ARTIFACT_DAMPING:
      {
        double ramp = (self->t_ms - self->artifact_start_ms) / (DAMPING_RAMP_S * 1000);

        b->pp *= 1 - self->artifact_level * MIN (ramp, 1.0);
      }
      break;
    case TT_ARTIFACT_MOVEMENT:
      b->map += self->artifact_level;
      break;
    case TT_ARTIFACT_SIGNAL_LOSS:
      b->present = FALSE;
      break;
    case TT_ARTIFACT_NONE:
    default:
      break;
    }
  /* The waveform is continuous: the beat starts at the level where the last one ended, and the
   * level is set so that the beat's samples still average to its MAP exactly. A flush, zeroing or
   * blood sampling is a step of the transducer's pressure (a valve turned): it starts and ends
   * without a joint. */
  {
    const Beat *prev = &self->last_done;
    double q = 0, lo, hi;

    b->after_artifact = self->have_last_done &&
                        (!prev->present || prev->artifact != TT_ARTIFACT_NONE);
    for (guint i = 0; i < JOINT_SAMPLES; i++)
      q += joint_weight (i);
    q /= b->n;
    if (self->have_last_done && prev->present && b->present && !is_step (prev->artifact) &&
        !is_step (b->artifact))
      {
        double end = prev->level;

        b->level = (b->map - b->pp * shape_mean[b->n] - end * q) / (1 - q);
        b->joint = end - b->level;
      }
    else
      {
        b->level = b->map - b->pp * shape_mean[b->n];
        b->joint = 0;
      }
    /* SBP: the peak. DBP: the foot before the upstroke, as a beat detector reads it. */
    lo = hi = beat_sample (b, 0);
    for (guint i = 1; i < b->n; i++)
      {
        double v = beat_sample (b, i);

        hi = MAX (hi, v);
        if (i < b->n / 4)
          lo = MIN (lo, v);
      }
    b->sbp = hi;
    b->dbp = lo;
  }
}

static void
emit_wave (TtPatient *self,
           gint64     until_ms,
           GArray    *wave)
{
  const Beat *b = &self->beat;
  gint64 first = (self->t_ms + TT_PATIENT_WAVE_PERIOD_MS - 1) / TT_PATIENT_WAVE_PERIOD_MS *
                 TT_PATIENT_WAVE_PERIOD_MS;

  if (!b->present)
    return;
  for (gint64 t = first; t < until_ms; t += TT_PATIENT_WAVE_PERIOD_MS)
    {
      guint i = (guint) ((t - b->start_ms) / TT_PATIENT_WAVE_PERIOD_MS);
      TtWavePoint point = { t, beat_sample (b, i) };

      g_array_append_val (wave, point);
    }
}

/* The monitor's numerics: the mean of the clean beats that ended in the last MONITOR_AVERAGE_MS,
 * back to the last artifact. During an artifact the numeric is the last beat's, so that artifacts
 * look as CLINICAL.md §6 describes them. The first clean beat after an artifact (it starts from
 * the artifact's level: a movement's jump) counts only while it is the only one. */
static void
emit_numeric (TtPatient *self,
              GArray    *numerics)
{
  const Beat *last = &self->last_done;
  double map = 0, sbp = 0, dbp = 0, hr = 0;
  guint n = 0;
  TtSample s;

  if (!self->have_last_done || !last->present || self->t_ms - last->start_ms > NUMERIC_MAX_AGE_MS)
    return;
  for (guint k = 0; k < MIN (self->n_done, MONITOR_MAX_BEATS); k++)
    {
      const Beat *b = &self->done[(self->n_done - 1 - k) % MONITOR_MAX_BEATS];
      gint64 end = b->start_ms + (gint64) b->n * TT_PATIENT_WAVE_PERIOD_MS;

      if (k > 0 && (last->artifact != TT_ARTIFACT_NONE || self->t_ms - end >= MONITOR_AVERAGE_MS ||
                    !b->present || b->artifact != TT_ARTIFACT_NONE || b->after_artifact))
        break;
      map += b->map;
      sbp += b->sbp;
      dbp += b->dbp;
      hr += b->hr;
      n++;
    }
  s = tt_sample_init (self->t_ms, map / n);
  s.dbp = dbp / n;
  s.sbp = sbp / n;
  s.hr = hr / n;
  g_array_append_val (numerics, s);
}

TtPatient *
tt_patient_new (const TtPatientParams *params,
                guint32                seed)
{
  TtPatient *self;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (params->weight_kg > 0 && params->ne_volume_l > 0, NULL);
  g_return_val_if_fail (params->ne_clearance_l_min > 0 && params->ne_ke0_half_life_min > 0, NULL);
  g_return_val_if_fail (params->ne_bolus_mixing_volume_l > 0 &&
                        params->ne_bolus_mixing_half_life_min > 0, NULL);
  g_return_val_if_fail (params->resp_map_fraction >= 0 && params->resp_map_fraction <= 1, NULL);
  g_return_val_if_fail (params->ne_response_mmhg > 0, NULL);
  g_return_val_if_fail (params->ne_response_mmhg < params->ne_emax_mmhg, NULL);
  g_return_val_if_fail (params->induction_half_time_min > 0, NULL);
  g_return_val_if_fail (params->concentration_ug_ml > 0 && params->dead_space_ml >= 0, NULL);
  g_return_val_if_fail (params->baseline_map > 0 && params->baseline_hr > 0, NULL);

  ensure_shapes ();

  self = g_new0 (TtPatient, 1);
  self->params = *params;
  /* Separate streams: changing artifact rates does not change the physiology's noise. */
  self->noise_rand = g_rand_new_with_seed (seed);
  self->artifact_rand = g_rand_new_with_seed (seed ^ 0x5bd1e995u);
  self->boluses = g_array_new (FALSE, FALSE, sizeof (Bolus));

  self->volume_l = params->ne_volume_l * weight_scale (params);
  self->clearance_l_min = params->ne_clearance_l_min * weight_scale (params);
  self->ec50_ug_l = ec50 (params);
  self->tick_pk = exp (-self->clearance_l_min / self->volume_l * TICK_MS / 60000.0);
  self->tick_ke0 = 1 - exp (-G_LN2 / params->ne_ke0_half_life_min * TICK_MS / 60000.0);
  self->tick_drift = exp (-TICK_MS / 1000.0 / DRIFT_TAU_S);
  self->tick_drift_smooth = exp (-TICK_MS / 1000.0 / DRIFT_SMOOTH_S);
  self->mix_volume_l = params->ne_bolus_mixing_volume_l * weight_scale (params);
  self->tick_mix = 1 - exp (-G_LN2 / params->ne_bolus_mixing_half_life_min * TICK_MS / 60000.0);
  self->drug_free_ml = params->line_primed ? 0 : params->dead_space_ml;
  /* Start the drift in its stationary state: the smoothed level, and the fast process around it
   * with the variance left (σ² τ2 / (τ1 + τ2) for the difference). */
  self->drift = params->drift_sd_mmhg * tt_patient_draw_normal (self->noise_rand);
  self->drift_fast = self->drift + params->drift_sd_mmhg * sqrt (DRIFT_SMOOTH_S / DRIFT_TAU_S) *
                                   tt_patient_draw_normal (self->noise_rand);

  self->propofol_peak = 0;
  for (guint i = 1; i <= 3600; i++)
    self->propofol_peak = MAX (self->propofol_peak, propofol_effect (params, i / 60.0));

  self->artifact = TT_ARTIFACT_NONE;
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    self->artifact_next_ms[i] = next_artifact_time (self, i, 0);

  tick (self);
  start_beat (self);
  self->next_tick_ms = TICK_MS;
  self->next_numeric_ms = NUMERIC_MS;
  return self;
}

void
tt_patient_free (TtPatient *self)
{
  if (self == NULL)
    return;
  g_rand_free (self->noise_rand);
  g_rand_free (self->artifact_rand);
  g_array_unref (self->boluses);
  g_free (self);
}

const TtPatientParams *
tt_patient_get_params (TtPatient *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->params;
}

gint64
tt_patient_get_time (TtPatient *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->t_ms;
}

void
tt_patient_advance (TtPatient *self,
                    gint64     dt_ms,
                    GArray    *numerics,
                    GArray    *wave)
{
  gint64 target;

  g_return_if_fail (self != NULL);
  g_return_if_fail (dt_ms >= 0);

  target = self->t_ms + dt_ms;
  while (self->t_ms < target)
    {
      gint64 beat_end = self->beat.start_ms + (gint64) self->beat.n * TT_PATIENT_WAVE_PERIOD_MS;
      gint64 next = MIN (MIN (target, self->next_tick_ms), MIN (beat_end, self->next_numeric_ms));

      if (wave != NULL)
        emit_wave (self, next, wave);
      self->t_ms = next;
      if (self->t_ms == self->next_tick_ms)
        {
          tick (self);
          self->next_tick_ms += TICK_MS;
        }
      if (self->t_ms == beat_end)
        {
          if (self->beat_func != NULL)
            {
              const Beat *b = &self->beat;
              TtPatientBeat done = {
                .t_ms = b->start_ms,
                .duration_ms = (gint64) b->n * TT_PATIENT_WAVE_PERIOD_MS,
                .map = b->map,
                .sbp = b->sbp,
                .dbp = b->dbp,
                .hr = b->hr,
                .map_true = b->map_true,
                .artifact = b->artifact,
                .present = b->present,
              };

              self->beat_func (&done, self->beat_data);
            }
          self->last_done = self->beat;
          self->have_last_done = TRUE;
          self->done[self->n_done % MONITOR_MAX_BEATS] = self->beat;
          self->n_done++;
          start_beat (self);
        }
      if (self->t_ms == self->next_numeric_ms)
        {
          if (numerics != NULL)
            emit_numeric (self, numerics);
          self->next_numeric_ms += NUMERIC_MS;
        }
    }
}

void
tt_patient_set_beat_func (TtPatient         *self,
                          TtPatientBeatFunc  func,
                          gpointer           user_data)
{
  g_return_if_fail (self != NULL);

  self->beat_func = func;
  self->beat_data = user_data;
}

void
tt_patient_start_induction (TtPatient *self)
{
  g_return_if_fail (self != NULL);

  if (self->params.induction_at_ms < 0 || self->params.induction_at_ms > self->t_ms)
    self->params.induction_at_ms = self->t_ms;
}

void
tt_patient_set_rate (TtPatient *self,
                     double     rate_ug_kg_min)
{
  g_return_if_fail (self != NULL);

  count_pumped (self);
  self->rate = isfinite (rate_ug_kg_min) ? MAX (rate_ug_kg_min, 0.0) : 0.0;
}

double
tt_patient_get_rate (TtPatient *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rate;
}

void
tt_patient_give_bolus (TtPatient *self,
                       double     ug)
{
  Bolus bolus;

  g_return_if_fail (self != NULL);

  if (!isfinite (ug) || ug <= 0)
    return;
  bolus.t_ms = self->t_ms + (gint64) (self->params.bolus_transit_s * 1000);
  bolus.ug = ug;
  g_array_append_val (self->boluses, bolus);
  self->bolus_ug += ug;
}

void
tt_patient_set_sensitivity (TtPatient *self,
                            double     multiplier)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (multiplier > 0);

  self->params.ne_sensitivity = multiplier;
  update_model (self);
}

void
tt_patient_set_induction_fall (TtPatient *self,
                               double     fraction)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (fraction >= 0 && fraction < 1);

  self->params.induction_fall = fraction;
  update_model (self);
}

void
tt_patient_inject_artifact (TtPatient *self,
                            TtArtifact artifact,
                            gint64     duration_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (artifact < TT_N_ARTIFACTS);

  start_artifact (self, artifact, duration_ms);
}

void
tt_patient_get_truth (TtPatient      *self,
                      TtPatientTruth *truth)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (truth != NULL);

  *truth = (TtPatientTruth) {
    .t_ms = self->t_ms,
    .map_model = self->map_model,
    .map = self->beat.map_true,
    .hr = self->beat.hr,
    .ne_plasma_ug_l = arterial_ug_l (self),
    .ne_effect_site_ug_l = self->ne_effect_site,
    .ne_effect_mmhg = self->ne_effect_mmhg,
    .induction_mmhg = self->induction_mmhg,
    .intubation_mmhg = self->intubation_mmhg,
    .surgery_mmhg = self->surgery_mmhg,
    .rate_ug_kg_min = self->rate,
    .line_drug_free_ml = self->drug_free_ml,
    .ne_pumped_ug = (self->pumped_ml + self->pending_ml) * self->params.concentration_ug_ml,
    .ne_bolus_ug = self->bolus_ug,
    .artifact = self->artifact,
    .induction_ms = self->params.induction_at_ms,
  };
}
