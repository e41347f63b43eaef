/* tt-clinician.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-clinician.h"

/* [est] The rescue bolus syringe of the advisor arm: 10 µg/mL, a usual dilution for boluses. */
#define BOLUS_SYRINGE_UG_ML 10.0

typedef struct {
  gboolean pending;
  gint64   due_ms;
  TtClinicianAction action;
} Pending;

struct _TtClinician
{
  TtClinicianConfig config;
  TtAdvisor        *advisor;     /* advisor arm only */
  Pending           pending;
  gint64            last_bolus_ms;
  double            rate;
  guint             n_advice;
  guint             n_accepted;
};

void
tt_clinician_config_init (TtClinicianConfig *config,
                          TtArm              arm,
                          const TtCohort    *cohort,
                          double             weight_kg,
                          double             baseline_map)
{
  g_return_if_fail (config != NULL && cohort != NULL);

  *config = (TtClinicianConfig) {
    .arm = arm,
    .weight_kg = weight_kg,
    .concentration_ug_ml = cohort->concentration_ug_ml,
    .dead_space_ml = cohort->dead_space_ml,
    .reaction_delay_ms = (gint64) (cohort->reaction_delay_s * 1000),
    .bolus_dose_ug = cohort->bolus_dose_ug,
    .bolus_threshold_mmhg = cohort->bolus_threshold_mmhg,
    .bolus_interval_ms = (gint64) (cohort->bolus_interval_min * 60000),
    .fixed_rate = cohort->fixed_rate_ug_kg_min,
    .start_rate = TT_ADVISOR_START_RATE,
  };
  tt_advisor_params_init (&config->advisor, TT_LINE_PERIPHERAL);
  tt_advisor_default_band (baseline_map, &config->band_low, &config->band_high);
}

TtClinician *
tt_clinician_new (const TtClinicianConfig *config)
{
  TtClinician *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->arm < TT_N_ARMS, NULL);

  self = g_new0 (TtClinician, 1);
  self->config = *config;
  self->last_bolus_ms = -1;
  if (config->arm == TT_ARM_ADVISOR)
    {
      self->advisor = tt_advisor_new (&config->advisor);
      /* A simulated clinician reads the decision, not the sentences: skip rendering them. */
      tt_advisor_set_texts (self->advisor, FALSE);
      tt_advisor_set_infusion (self->advisor, config->concentration_ug_ml, config->weight_kg,
                               config->dead_space_ml);
      tt_advisor_set_band (self->advisor, config->band_low, config->band_high);
      tt_advisor_set_start_rate (self->advisor, config->start_rate);
      tt_advisor_set_bolus (self->advisor, config->bolus_dose_ug, BOLUS_SYRINGE_UG_ML);
    }
  return self;
}

void
tt_clinician_free (TtClinician *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->advisor, tt_advisor_free);
  g_free (self);
}

static void
no_action (TtClinicianAction *action)
{
  *action = (TtClinicianAction) { FALSE, NAN, 0 };
}

void
tt_clinician_start (TtClinician       *self,
                    gint64             t_ms,
                    TtClinicianAction *action)
{
  g_return_if_fail (self != NULL && action != NULL);

  no_action (action);
  switch (self->config.arm)
    {
    case TT_ARM_ADVISOR:
      /* As in the source trial, the infusion runs from the start of induction; the advisor
       * titrates it from there. */
      action->set_rate = TRUE;
      action->rate = TT_ADVISOR_START_RATE;
      tt_advisor_rate_set (self->advisor, t_ms, action->rate);
      break;
    case TT_ARM_FIXED:
      action->set_rate = TRUE;
      action->rate = self->config.fixed_rate;
      break;
    case TT_ARM_BOLUS:
    case TT_ARM_NONE:
    case TT_N_ARMS:
    default:
      break;
    }
  if (action->set_rate)
    self->rate = action->rate;
}

static void
schedule (TtClinician             *self,
          gint64                   t_ms,
          const TtClinicianAction *action)
{
  self->pending.pending = TRUE;
  self->pending.due_ms = t_ms + self->config.reaction_delay_ms;
  self->pending.action = *action;
}

void
tt_clinician_observe (TtClinician         *self,
                      const TtSignalState *state)
{
  g_return_if_fail (self != NULL && state != NULL);

  switch (self->config.arm)
    {
    case TT_ARM_ADVISOR:
      {
        g_auto (TtAdvice) advice = { 0 };
        TtClinicianAction action;

        /* The advisor sees every step, also while the clinician is busy with the last advice. */
        tt_advisor_update (self->advisor, state, &advice);
        if (advice.kind != TT_ADVICE_INCREASE && advice.kind != TT_ADVICE_DECREASE &&
            advice.kind != TT_ADVICE_STOP && advice.kind != TT_ADVICE_RESCUE_BOLUS)
          return;
        self->n_advice++;
        if (self->pending.pending)
          return;
        no_action (&action);
        if (fabs (advice.rate - self->rate) > 1e-9)
          {
            action.set_rate = TRUE;
            action.rate = advice.rate;
          }
        if (advice.bolus)
          action.bolus_ug = advice.bolus_ug;
        if (action.set_rate || action.bolus_ug > 0)
          schedule (self, state->t_ms, &action);
      }
      break;
    case TT_ARM_BOLUS:
      if (!self->pending.pending && state->valid && !state->stale && isfinite (state->map) &&
          state->map < self->config.bolus_threshold_mmhg &&
          (self->last_bolus_ms < 0 ||
           state->t_ms + self->config.reaction_delay_ms - self->last_bolus_ms >=
             self->config.bolus_interval_ms))
        {
          TtClinicianAction action;

          no_action (&action);
          action.bolus_ug = self->config.bolus_dose_ug;
          schedule (self, state->t_ms, &action);
        }
      break;
    case TT_ARM_FIXED:
    case TT_ARM_NONE:
    case TT_N_ARMS:
    default:
      break;
    }
}

void
tt_clinician_act (TtClinician       *self,
                  gint64             t_ms,
                  TtClinicianAction *action)
{
  g_return_if_fail (self != NULL && action != NULL);

  no_action (action);
  if (!self->pending.pending || t_ms < self->pending.due_ms)
    return;
  *action = self->pending.action;
  self->pending.pending = FALSE;
  self->n_accepted++;
  if (action->set_rate)
    {
      self->rate = action->rate;
      if (self->advisor != NULL)
        tt_advisor_rate_set (self->advisor, t_ms, action->rate);
    }
  if (action->bolus_ug > 0)
    {
      self->last_bolus_ms = t_ms;
      if (self->advisor != NULL)
        tt_advisor_bolus_given (self->advisor, t_ms);
    }
}

guint
tt_clinician_get_n_advice (TtClinician *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_advice;
}

guint
tt_clinician_get_n_accepted (TtClinician *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_accepted;
}
