/* tt-training-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tt-grid.h"
#include "tt-quality.h"
#include "tt-training-run.h"

/* The simulated clinician looks at the monitor and acts once a second, as in tt-trial. */
#define ACT_STEP_MS 1000

struct _TtTrainingRun
{
  TtPatientParams  params;
  guint32          seed;
  GArray          *inputs;   /* of TtTrainingInput, in time order */
};

static const char *input_names[TT_N_TRAINING_INPUTS] = {
  [TT_TRAINING_INPUT_INDUCTION] = "induction",
  [TT_TRAINING_INPUT_RATE] = "rate",
  [TT_TRAINING_INPUT_BOLUS] = "bolus",
  [TT_TRAINING_INPUT_SENSITIVITY] = "sensitivity",
  [TT_TRAINING_INPUT_FALL] = "fall",
  [TT_TRAINING_INPUT_ARTIFACT] = "artifact",
};

const char *
tt_training_input_kind_to_string (TtTrainingInputKind kind)
{
  g_return_val_if_fail (kind < TT_N_TRAINING_INPUTS, "invalid");
  return input_names[kind];
}

gboolean
tt_training_input_kind_from_string (const char          *name,
                                    TtTrainingInputKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (TtTrainingInputKind k = 0; k < TT_N_TRAINING_INPUTS; k++)
    if (g_strcmp0 (name, input_names[k]) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

gboolean
tt_training_input_is_instructor (TtTrainingInputKind kind)
{
  return kind == TT_TRAINING_INPUT_SENSITIVITY || kind == TT_TRAINING_INPUT_FALL ||
         kind == TT_TRAINING_INPUT_ARTIFACT;
}

void
tt_training_input_apply (const TtTrainingInput *input,
                         TtPatient             *patient)
{
  g_return_if_fail (input != NULL && patient != NULL);

  switch (input->kind)
    {
    case TT_TRAINING_INPUT_INDUCTION:
      tt_patient_start_induction (patient);
      break;
    case TT_TRAINING_INPUT_RATE:
      tt_patient_set_rate (patient, input->value);
      break;
    case TT_TRAINING_INPUT_BOLUS:
      tt_patient_give_bolus (patient, input->value);
      break;
    case TT_TRAINING_INPUT_SENSITIVITY:
      tt_patient_set_sensitivity (patient, input->value);
      break;
    case TT_TRAINING_INPUT_FALL:
      tt_patient_set_induction_fall (patient, input->value);
      break;
    case TT_TRAINING_INPUT_ARTIFACT:
      tt_patient_inject_artifact (patient, input->artifact, input->duration_ms);
      break;
    case TT_N_TRAINING_INPUTS:
    default:
      g_return_if_reached ();
    }
}

void
tt_training_rerun_clear (TtTrainingRerun *rerun)
{
  g_return_if_fail (rerun != NULL);

  g_clear_pointer (&rerun->samples, g_array_unref);
}

TtTrainingRun *
tt_training_run_new (const TtPatientParams *params,
                     guint32                seed)
{
  TtTrainingRun *self;

  g_return_val_if_fail (params != NULL, NULL);

  self = g_new0 (TtTrainingRun, 1);
  self->params = *params;
  self->seed = seed;
  self->inputs = g_array_new (FALSE, FALSE, sizeof (TtTrainingInput));
  return self;
}

void
tt_training_run_free (TtTrainingRun *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->inputs);
  g_free (self);
}

TtTrainingRun *
tt_training_run_copy (const TtTrainingRun *self)
{
  TtTrainingRun *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = tt_training_run_new (&self->params, self->seed);
  g_array_append_vals (copy->inputs, self->inputs->data, self->inputs->len);
  return copy;
}

const TtPatientParams *
tt_training_run_get_params (const TtTrainingRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->params;
}

guint32
tt_training_run_get_seed (const TtTrainingRun *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->seed;
}

void
tt_training_run_add (TtTrainingRun         *self,
                     const TtTrainingInput *input)
{
  g_return_if_fail (self != NULL && input != NULL);
  g_return_if_fail (input->kind < TT_N_TRAINING_INPUTS);

  if (self->inputs->len > 0 &&
      input->t_ms < g_array_index (self->inputs, TtTrainingInput, self->inputs->len - 1).t_ms)
    {
      g_warning ("Training input “%s” at %" G_GINT64_FORMAT " ms is earlier than the last one",
                 tt_training_input_kind_to_string (input->kind), input->t_ms);
      return;
    }
  g_array_append_val (self->inputs, *input);
}

const TtTrainingInput *
tt_training_run_get_inputs (const TtTrainingRun *self,
                            guint               *n_inputs)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_inputs != NULL)
    *n_inputs = self->inputs->len;
  return (const TtTrainingInput *) (gpointer) self->inputs->data;
}

TtPatient *
tt_training_run_restore (const TtTrainingRun *self,
                         gint64               end_ms,
                         GArray              *samples)
{
  TtPatient *patient;
  const TtTrainingInput *inputs;
  guint n_inputs, next = 0;
  gint64 t = 0;

  g_return_val_if_fail (self != NULL, NULL);

  inputs = tt_training_run_get_inputs (self, &n_inputs);
  patient = tt_patient_new (&self->params, self->seed);
  for (;;)
    {
      gint64 stop;

      for (; next < n_inputs && inputs[next].t_ms <= t; next++)
        tt_training_input_apply (&inputs[next], patient);
      if (t >= end_ms)
        break;
      stop = MIN ((t / ACT_STEP_MS + 1) * ACT_STEP_MS, end_ms);
      if (next < n_inputs && inputs[next].t_ms < stop)
        stop = inputs[next].t_ms;
      tt_patient_advance (patient, stop - t, samples, NULL);
      t = stop;
    }
  return patient;
}

void
tt_training_advisor_config (const TtCaseSetup *setup,
                            TtClinicianConfig *config)
{
  TtCohort cohort;

  g_return_if_fail (setup != NULL && config != NULL);

  tt_cohort_init_default (&cohort);
  tt_clinician_config_init (config, TT_ARM_ADVISOR, &cohort, setup->weight_kg,
                            setup->baseline_map);
  config->band_low = setup->target_lo;
  config->band_high = setup->target_hi;
  config->concentration_ug_ml = setup->concentration;
  config->dead_space_ml = setup->dead_space_ml;
  config->bolus_dose_ug = setup->bolus_ug;
  config->start_rate = setup->start_rate;
  /* The department's limits, line type and critical offset, as the live advisor had them. */
  tt_advisor_params_init (&config->advisor, setup->line);
  tt_case_setup_get_limits (setup, &config->advisor.limits);
  config->advisor.critical_offset = setup->band_rule.critical_offset;
}

typedef struct {
  TtPatient       *patient;
  TtTrainingRerun *out;
} Rerun;

static void
apply_action (Rerun                   *rerun,
              const TtClinicianAction *action)
{
  if (action->set_rate)
    {
      tt_patient_set_rate (rerun->patient, action->rate);
      rerun->out->rate_changes++;
    }
  if (action->bolus_ug > 0)
    {
      tt_patient_give_bolus (rerun->patient, action->bolus_ug);
      rerun->out->boluses++;
    }
}

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  tt_clinician_observe (user_data, state);
}

void
tt_training_run_simulate (const TtTrainingRun     *self,
                          TtTrainingActor          actor,
                          const TtClinicianConfig *config,
                          gint64                   end_ms,
                          TtTrainingRerun         *out)
{
  g_autoptr(TtPatient) patient = NULL;
  g_autoptr(TtClinician) clinician = NULL;
  g_autoptr(TtQualityClassifier) quality = NULL;
  g_autoptr(TtGrid) grid = NULL;
  const TtTrainingInput *inputs;
  TtClinicianAction action;
  TtPatientTruth truth;
  gboolean started = FALSE;
  guint n_inputs, next = 0;
  gint64 t = 0;
  Rerun rerun;

  g_return_if_fail (self != NULL && out != NULL);
  g_return_if_fail (actor < TT_N_TRAINING_ACTORS);
  g_return_if_fail (actor != TT_TRAINING_ADVISOR || (config != NULL &&
                                                     config->arm == TT_ARM_ADVISOR));

  memset (out, 0, sizeof *out);
  out->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  out->induction_ms = -1;
  inputs = tt_training_run_get_inputs (self, &n_inputs);
  patient = tt_patient_new (&self->params, self->seed);
  rerun.patient = patient;
  rerun.out = out;

  if (actor == TT_TRAINING_ADVISOR)
    {
      clinician = tt_clinician_new (config);
      quality = tt_quality_classifier_new ();
      grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, NULL, state_cb, clinician);
    }

  for (;;)
    {
      guint first = out->samples->len;
      gint64 stop;

      /* What is due now, in the order it was given. */
      for (; next < n_inputs && inputs[next].t_ms <= t; next++)
        {
          const TtTrainingInput *input = &inputs[next];

          if (actor == TT_TRAINING_TRAINEE || tt_training_input_is_instructor (input->kind) ||
              input->kind == TT_TRAINING_INPUT_INDUCTION)
            tt_training_input_apply (input, patient);
          if (actor == TT_TRAINING_TRAINEE && input->kind == TT_TRAINING_INPUT_RATE)
            out->rate_changes++;
          if (actor == TT_TRAINING_TRAINEE && input->kind == TT_TRAINING_INPUT_BOLUS &&
              input->value > 0)
            out->boluses++;
        }

      if (clinician != NULL)
        {
          tt_patient_get_truth (patient, &truth);
          /* The advisor arm starts its infusion at the start of induction, as in the trial. */
          if (!started && truth.induction_ms >= 0 && truth.induction_ms <= t)
            {
              started = TRUE;
              tt_clinician_start (clinician, t, &action);
              apply_action (&rerun, &action);
            }
          if (t % ACT_STEP_MS == 0)
            {
              tt_grid_advance (grid, t);
              tt_clinician_act (clinician, t, &action);
              apply_action (&rerun, &action);
            }
        }

      if (t >= end_ms)
        break;
      stop = MIN ((t / ACT_STEP_MS + 1) * ACT_STEP_MS, end_ms);
      if (next < n_inputs && inputs[next].t_ms < stop)
        stop = inputs[next].t_ms;
      tt_patient_advance (patient, stop - t, out->samples, NULL);
      t = stop;

      if (grid != NULL)
        for (guint i = first; i < out->samples->len; i++)
          {
            TtSample sample = g_array_index (out->samples, TtSample, i);

            tt_quality_classifier_push (quality, &sample);
            tt_grid_push (grid, &sample);
          }
    }

  tt_patient_get_truth (patient, &truth);
  out->ne_ug = truth.ne_pumped_ug + truth.ne_bolus_ug;
  out->ne_ug_per_kg = out->ne_ug / self->params.weight_kg;
  out->induction_ms = truth.induction_ms >= 0 && truth.induction_ms <= t ? truth.induction_ms : -1;
}
