/* tt-trial.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-clinician.h"
#include "tt-quality.h"
#include "tt-trial.h"

#define NUMERIC_STEP_MS 1000

struct _TtTrial
{
  TtCohort        cohort;
  guint32         seed;
  guint           n_patients;
  TtTrialPatient *patients;
};

/* Beat-to-beat ARV over one window. */
typedef struct {
  gint64 end_ms;
  double sum;
  double minutes;
} BeatArv;

typedef struct {
  TtClinician *clinician;
  TtMetrics   *metrics;
  GArray      *trace;
  BeatArv      beat_arv[TT_N_TRIAL_WINDOWS];
  gboolean     have_prev;
  gint64       prev_ms;
  double       prev_map;
} Run;

static const struct {
  const char *key;
  const char *label;
  const char *unit;
} endpoints[TT_N_ENDPOINTS] = {
  [TT_ENDPOINT_ARV] = { "arv_mmHg_per_min", N_("ARV of MAP"), "mmHg/min" },
  [TT_ENDPOINT_AUT65] = { "aut65_mmHg_min", N_("Area under 65 mmHg"), "mmHg·min" },
  [TT_ENDPOINT_TIME_BELOW65] = { "time_below65_min", N_("Time below 65 mmHg"), "min" },
  [TT_ENDPOINT_TIME_BELOW65_PCT] = { "time_below65_pct", N_("Time below 65 mmHg"), "%" },
  [TT_ENDPOINT_TWA65] = { "twa65_mmHg", N_("TWA below 65 mmHg"), "mmHg" },
  [TT_ENDPOINT_IN_BAND] = { "in_band_pct", N_("Time in target band"), "%" },
  [TT_ENDPOINT_ANY_BELOW55] = { "any_below55_pct", N_("Patients with any MAP < 55 mmHg"), "%" },
  [TT_ENDPOINT_TIME_ABOVE100] = { "time_above100_min", N_("Time above 100 mmHg"), "min" },
  [TT_ENDPOINT_TIME_ABOVE120] = { "time_above120_min", N_("Time above 120 mmHg"), "min" },
  [TT_ENDPOINT_MDAPE] = { "mdape_pct", N_("Varvel MDAPE"), "%" },
  [TT_ENDPOINT_WOBBLE] = { "wobble_pct", N_("Varvel wobble"), "%" },
  [TT_ENDPOINT_NE_TOTAL] = { "ne_total_ug_per_kg", N_("Total norepinephrine"), "µg/kg" },
  [TT_ENDPOINT_BOLUSES] = { "boluses", N_("Boluses given"), "" },
  [TT_ENDPOINT_ARV_BEAT] = { "arv_beat_mmHg_per_min", N_("ARV of MAP, beat to beat"), "mmHg/min" },
};

const char *
tt_endpoint_key (TtEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < TT_N_ENDPOINTS, "invalid");
  return endpoints[endpoint].key;
}

const char *
tt_endpoint_label (TtEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < TT_N_ENDPOINTS, "invalid");
  return _(endpoints[endpoint].label);
}

const char *
tt_endpoint_unit (TtEndpoint endpoint)
{
  g_return_val_if_fail (endpoint < TT_N_ENDPOINTS, "");
  return endpoints[endpoint].unit;
}

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  Run *run = user_data;

  tt_clinician_observe (run->clinician, state);
}

static void
point_cb (const TtGridPoint *point,
          gpointer           user_data)
{
  Run *run = user_data;

  tt_metrics_push (run->metrics, point);
  if (run->trace != NULL)
    g_array_append_val (run->trace, *point);
}

/* The source trial measured ARV on beat-level data (CLINICAL.md §1): here from the beats as the
 * patient built them (the engine's beat detector recovers them from the waveform within 0.1 mmHg),
 * clean beats only; a pair across an artifact or a signal loss is left out. */
static void
beat_cb (const TtPatientBeat *beat,
         gpointer             user_data)
{
  Run *run = user_data;

  if (!beat->present || beat->artifact != TT_ARTIFACT_NONE)
    {
      run->have_prev = FALSE;
      return;
    }
  if (run->have_prev)
    for (guint w = 0; w < TT_N_TRIAL_WINDOWS; w++)
      if (beat->t_ms <= run->beat_arv[w].end_ms)
        {
          run->beat_arv[w].sum += fabs (beat->map - run->prev_map);
          run->beat_arv[w].minutes += (beat->t_ms - run->prev_ms) / 60000.0;
        }
  run->have_prev = TRUE;
  run->prev_ms = beat->t_ms;
  run->prev_map = beat->map;
}

static double
beat_arv (const BeatArv *arv)
{
  return arv->minutes > 0 ? arv->sum / arv->minutes : NAN;
}

static void
apply (TtPatient               *patient,
       const TtClinicianAction *action,
       guint                   *boluses)
{
  if (action->set_rate)
    tt_patient_set_rate (patient, action->rate);
  if (action->bolus_ug > 0)
    {
      tt_patient_give_bolus (patient, action->bolus_ug);
      (*boluses)++;
    }
}

static void
fill_values (double                 *values,
             const TtWindowMetrics  *m,
             double                  ne_ug_per_kg,
             guint                   boluses,
             double                  arv_beat)
{
  /* tt_metrics_below_mmhg = { 65, 60, 55, … }, tt_metrics_above_mmhg = { 100, 110, 120, … } */
  values[TT_ENDPOINT_ARV] = m->arv_mmhg_per_min;
  values[TT_ENDPOINT_AUT65] = m->below[0].aut_mmhg_min;
  values[TT_ENDPOINT_TIME_BELOW65] = m->below[0].time_min;
  values[TT_ENDPOINT_TIME_BELOW65_PCT] = m->valid_min > 0 ?
                                         100 * m->below[0].time_min / m->valid_min : NAN;
  values[TT_ENDPOINT_TWA65] = m->below[0].twa_mmhg;
  values[TT_ENDPOINT_IN_BAND] = m->in_band_pct;
  values[TT_ENDPOINT_ANY_BELOW55] = m->below[2].time_min > 0 ? 100 : 0;
  values[TT_ENDPOINT_TIME_ABOVE100] = m->above[0].time_min;
  values[TT_ENDPOINT_TIME_ABOVE120] = m->above[2].time_min;
  values[TT_ENDPOINT_MDAPE] = m->mdape_pct;
  values[TT_ENDPOINT_WOBBLE] = m->wobble_pct;
  values[TT_ENDPOINT_NE_TOTAL] = ne_ug_per_kg;
  values[TT_ENDPOINT_BOLUSES] = boluses;
  values[TT_ENDPOINT_ARV_BEAT] = arv_beat;
}

void
tt_trial_simulate (const TtCohort        *cohort,
                   const TtPatientParams *params,
                   TtArm                  arm,
                   guint32                patient_seed,
                   gboolean               keep_trace,
                   TtTrialPatient        *out)
{
  g_autoptr (TtPatient) patient = NULL;
  g_autoptr (TtQualityClassifier) quality = tt_quality_classifier_new ();
  g_autoptr (TtGrid) grid = NULL;
  g_autoptr (TtMetrics) metrics = NULL;
  g_autoptr (TtClinician) clinician = NULL;
  g_autoptr (GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  TtClinicianConfig config;
  TtMetricsConfig metrics_config;
  TtClinicianAction action;
  TtPatientParams p = *params;
  gint64 duration_ms = (gint64) (cohort->duration_min * 60000);
  gint64 first_ms = MIN (duration_ms, TT_METRICS_FIRST_WINDOW_MS);
  double ne_first = 0, ne_whole;
  guint boluses = 0, boluses_first = 0;
  TtPatientTruth truth;
  Run run;

  g_return_if_fail (cohort != NULL && params != NULL && out != NULL);
  g_return_if_fail (arm < TT_N_ARMS);

  memset (out, 0, sizeof *out);
  out->arm = arm;
  out->params = *params;
  out->seed = patient_seed;

  /* Time 0 is the start of induction. */
  p.induction_at_ms = 0;
  patient = tt_patient_new (&p, patient_seed);
  tt_clinician_config_init (&config, arm, cohort, p.weight_kg, p.baseline_map);
  clinician = tt_clinician_new (&config);
  out->band_low = config.band_low;
  out->band_high = config.band_high;

  tt_metrics_config_init (&metrics_config);
  metrics_config.grid_ms = TT_GRID_DEFAULT_STEP_MS;
  metrics_config.band_lo = config.band_low;
  metrics_config.band_hi = config.band_high;
  metrics_config.baseline = p.baseline_map;
  metrics = tt_metrics_new (&metrics_config);
  tt_metrics_set_induction (metrics, 0);

  memset (&run, 0, sizeof run);
  run.clinician = clinician;
  run.metrics = metrics;
  run.trace = keep_trace ? g_array_new (FALSE, FALSE, sizeof (TtGridPoint)) : NULL;
  run.beat_arv[TT_TRIAL_FIRST15].end_ms = first_ms;
  run.beat_arv[TT_TRIAL_WHOLE].end_ms = duration_ms;
  tt_patient_set_beat_func (patient, beat_cb, &run);
  grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, point_cb, state_cb, &run);

  tt_clinician_start (clinician, 0, &action);
  apply (patient, &action, &boluses);

  for (gint64 t = NUMERIC_STEP_MS; t <= duration_ms; t += NUMERIC_STEP_MS)
    {
      g_array_set_size (numerics, 0);
      tt_patient_advance (patient, NUMERIC_STEP_MS, numerics, NULL);
      for (guint i = 0; i < numerics->len; i++)
        {
          TtSample *s = &g_array_index (numerics, TtSample, i);

          tt_quality_classifier_push (quality, s);
          tt_grid_push (grid, s);
        }
      tt_grid_advance (grid, t);
      tt_clinician_act (clinician, t, &action);
      apply (patient, &action, &boluses);
      if (t == first_ms)
        {
          tt_patient_get_truth (patient, &truth);
          ne_first = (truth.ne_pumped_ug + truth.ne_bolus_ug) / p.weight_kg;
          boluses_first = boluses;
        }
    }
  tt_grid_finish (grid);
  tt_patient_get_truth (patient, &truth);
  ne_whole = (truth.ne_pumped_ug + truth.ne_bolus_ug) / p.weight_kg;

  tt_metrics_get (metrics, TT_WINDOW_FIRST15, &out->metrics[TT_TRIAL_FIRST15]);
  tt_metrics_get (metrics, TT_WINDOW_INDUCTION, &out->metrics[TT_TRIAL_WHOLE]);
  fill_values (out->values[TT_TRIAL_FIRST15], &out->metrics[TT_TRIAL_FIRST15], ne_first,
               boluses_first, beat_arv (&run.beat_arv[TT_TRIAL_FIRST15]));
  fill_values (out->values[TT_TRIAL_WHOLE], &out->metrics[TT_TRIAL_WHOLE], ne_whole, boluses,
               beat_arv (&run.beat_arv[TT_TRIAL_WHOLE]));
  out->n_advice = tt_clinician_get_n_advice (clinician);
  out->n_accepted = tt_clinician_get_n_accepted (clinician);
  out->trace = run.trace;
}

void
tt_trial_patient_clear (TtTrialPatient *patient)
{
  g_return_if_fail (patient != NULL);

  g_clear_pointer (&patient->trace, g_array_unref);
}

/* A patient's noise seed: different for every patient, reproducible from the trial's seed. */
static guint32
patient_seed (guint32 seed,
              guint   index)
{
  guint32 h = seed * 2654435761u ^ (index + 1) * 2246822519u;

  h ^= h >> 15;
  h *= 3266489917u;
  h ^= h >> 13;
  return h;
}

TtTrial *
tt_trial_run (const TtCohort *cohort,
              guint32         seed,
              guint           n_patients,
              gboolean        keep_traces)
{
  TtTrial *self;
  g_autofree TtArm *arms = NULL;

  g_return_val_if_fail (cohort != NULL, NULL);

  self = g_new0 (TtTrial, 1);
  self->cohort = *cohort;
  self->seed = seed;
  self->n_patients = n_patients > 0 ? n_patients : cohort->patients;
  self->patients = g_new0 (TtTrialPatient, self->n_patients);
  arms = tt_cohort_allocate (cohort, self->n_patients, seed);
  for (guint i = 0; i < self->n_patients; i++)
    {
      TtPatientParams params;
      TtSeverity severity;

      tt_cohort_draw_patient (cohort, seed, i, &params, &severity);
      tt_trial_simulate (cohort, &params, arms[i], patient_seed (seed, i), keep_traces,
                         &self->patients[i]);
      self->patients[i].index = i;
      self->patients[i].severity = severity;
    }
  return self;
}

void
tt_trial_free (TtTrial *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_patients; i++)
    tt_trial_patient_clear (&self->patients[i]);
  g_free (self->patients);
  g_free (self);
}

guint32
tt_trial_get_seed (TtTrial *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->seed;
}

guint
tt_trial_get_n_patients (TtTrial *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_patients;
}

const TtTrialPatient *
tt_trial_get_patient (TtTrial *self,
                      guint    index)
{
  g_return_val_if_fail (self != NULL && index < self->n_patients, NULL);
  return &self->patients[index];
}

const TtCohort *
tt_trial_get_cohort (TtTrial *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->cohort;
}

guint
tt_trial_get_arm_size (TtTrial *self,
                       TtArm    arm)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->n_patients; i++)
    n += self->patients[i].arm == arm;
  return n;
}

GArray *
tt_trial_get_values (TtTrial       *self,
                     TtArm          arm,
                     TtTrialWindow  window,
                     TtEndpoint     endpoint)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (self != NULL, values);
  g_return_val_if_fail (window < TT_N_TRIAL_WINDOWS && endpoint < TT_N_ENDPOINTS, values);

  for (guint i = 0; i < self->n_patients; i++)
    if (self->patients[i].arm == arm)
      g_array_append_val (values, self->patients[i].values[window][endpoint]);
  return values;
}

void
tt_trial_summarize (TtTrial        *self,
                    TtArm           arm,
                    TtTrialWindow   window,
                    TtEndpoint      endpoint,
                    TtStatsSummary *out)
{
  g_autoptr (GArray) values = tt_trial_get_values (self, arm, window, endpoint);

  tt_stats_summarize ((const double *) (gpointer) values->data, values->len, out);
}

void
tt_trial_compare (TtTrial       *self,
                  TtArm          a,
                  TtArm          b,
                  TtTrialWindow  window,
                  TtEndpoint     endpoint,
                  double        *welch_p,
                  double        *mann_whitney_p)
{
  g_autoptr (GArray) va = tt_trial_get_values (self, a, window, endpoint);
  g_autoptr (GArray) vb = tt_trial_get_values (self, b, window, endpoint);
  const double *da = (const double *) (gpointer) va->data;
  const double *db = (const double *) (gpointer) vb->data;

  if (welch_p != NULL)
    *welch_p = tt_stats_welch_p (da, va->len, db, vb->len);
  if (mann_whitney_p != NULL)
    *mann_whitney_p = tt_stats_mann_whitney_p (da, va->len, db, vb->len);
}
