/* tt-training-chooser.h: the start of a training session: a scenario of the virtual patient (the
 * patient feed's scenarios) or a patient drawn from the source trial's population
 * (data/cohorts/trial.ini, the engine's default cohort), a seed and the speed. The Start button
 * names win.start-training, which reads the choice from here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-patient.h"

G_BEGIN_DECLS

#define TT_TYPE_TRAINING_CHOOSER (tt_training_chooser_get_type ())

G_DECLARE_FINAL_TYPE (TtTrainingChooser, tt_training_chooser, TT, TRAINING_CHOOSER, GtkWidget)

/* Properties: "scenario" (int: a TtPatientScenario, or TT_TRAINING_CHOOSER_COHORT), "seed"
 * (uint), "cohort-patient" (uint, 1-based), "speed" (double, one of the offered speeds). */
#define TT_TRAINING_CHOOSER_COHORT (-1)

int      tt_training_chooser_get_scenario       (TtTrainingChooser *self);
void     tt_training_chooser_set_scenario       (TtTrainingChooser *self,
                                                 int                scenario);
guint32  tt_training_chooser_get_seed           (TtTrainingChooser *self);
void     tt_training_chooser_set_seed           (TtTrainingChooser *self,
                                                 guint32            seed);
guint    tt_training_chooser_get_cohort_patient (TtTrainingChooser *self);
void     tt_training_chooser_set_cohort_patient (TtTrainingChooser *self,
                                                 guint              number);
double   tt_training_chooser_get_speed          (TtTrainingChooser *self);
void     tt_training_chooser_set_speed          (TtTrainingChooser *self,
                                                 double             speed);
/* The patient chosen: its parameters (induction left to the trainee), the seed of its noise and
 * a title for the header and the debrief. */
void     tt_training_chooser_get_patient        (TtTrainingChooser *self,
                                                 TtPatientParams   *params,
                                                 guint32           *seed,
                                                 char             **title);

G_END_DECLS
