/* tt-patient-feed.h: the virtual patient as a live feed for training (always training = TRUE).
 *
 * The patient runs on the main context of the thread that started the feed, at 1×–60× speed: every
 * tick the feed reads its clock, moves the patient forward by the elapsed time × speed and emits
 * the 1 Hz numerics (and, when asked, the 125 Hz waveform). Times in the samples are the patient's
 * clock: ms since the feed was created. The trainee answers with the rate and the boluses they
 * confirm; the instructor changes sensitivity and severity and injects artifacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tt-cohort.h"
#include "tt-feed.h"
#include "tt-patient.h"

G_BEGIN_DECLS

#define TT_PATIENT_FEED_SPEED_MIN 1.0
#define TT_PATIENT_FEED_SPEED_MAX 60.0

typedef enum {
  TT_PATIENT_SCENARIO_TYPICAL = 0,
  TT_PATIENT_SCENARIO_ELDERLY_SEVERE,    /* 82 years, falls 34 % slowly */
  TT_PATIENT_SCENARIO_HYPERTENSIVE,      /* strong intubation and surgical responses */
  TT_PATIENT_SCENARIO_ARTIFACT_HEAVY,    /* a poor arterial line */
  TT_PATIENT_SCENARIO_UNPRIMED_LINE,     /* 1 mL of drug-free line at 80 µg/mL */
  TT_PATIENT_SCENARIO_INSENSITIVE,       /* 0.2× NE sensitivity */
  TT_PATIENT_SCENARIO_HYPERSENSITIVE,    /* 5× NE sensitivity */
  TT_N_PATIENT_SCENARIOS
} TtPatientScenario;

const char *tt_patient_scenario_to_string   (TtPatientScenario  scenario);
gboolean    tt_patient_scenario_from_string (const char        *name,
                                             TtPatientScenario *scenario);
const char *tt_patient_scenario_describe    (TtPatientScenario  scenario);
void        tt_patient_scenario_params      (TtPatientScenario  scenario,
                                             TtPatientParams   *params);

/* Microseconds on a monotonic clock; tests pass their own. */
typedef gint64 (*TtPatientFeedClock) (gpointer user_data);

#define TT_TYPE_PATIENT_FEED (tt_patient_feed_get_type ())

G_DECLARE_FINAL_TYPE (TtPatientFeed, tt_patient_feed, TT, PATIENT_FEED, TtFeed)

TtPatientFeed *tt_patient_feed_new              (TtPatientScenario      scenario,
                                                 guint32                seed);
TtPatientFeed *tt_patient_feed_new_with_params  (const TtPatientParams *params,
                                                 guint32                seed,
                                                 const char            *description);
/* Goes on with @patient (taken over) from its own time, e.g. a patient restored for a resumed
 * training case (tt_training_run_restore()): its samples carry the patient's clock, and a start
 * of induction it had already is not announced again. */
TtPatientFeed *tt_patient_feed_new_for_patient  (TtPatient             *patient,
                                                 const char            *description);

/* The waveform signal ("waveform", a TtWavePoint array and its length) is emitted only when
 * enabled; it costs 125 points a simulated second. */
void          tt_patient_feed_set_waveform      (TtPatientFeed         *self,
                                                 gboolean               enabled);
void          tt_patient_feed_set_speed         (TtPatientFeed         *self,
                                                 double                 speed);
double        tt_patient_feed_get_speed         (TtPatientFeed         *self);
void          tt_patient_feed_set_clock         (TtPatientFeed         *self,
                                                 TtPatientFeedClock     clock,
                                                 gpointer               user_data);
/* Wall-clock ms between ticks (default 100). */
void          tt_patient_feed_set_tick_ms       (TtPatientFeed         *self,
                                                 guint                  tick_ms);

/* The trainee. */
void          tt_patient_feed_start_induction   (TtPatientFeed         *self);
void          tt_patient_feed_set_rate          (TtPatientFeed         *self,
                                                 double                 rate_ug_kg_min);
void          tt_patient_feed_give_bolus        (TtPatientFeed         *self,
                                                 double                 ug);

/* The instructor. */
void          tt_patient_feed_set_sensitivity   (TtPatientFeed         *self,
                                                 double                 multiplier);
void          tt_patient_feed_set_severity      (TtPatientFeed         *self,
                                                 TtSeverity             severity);
void          tt_patient_feed_inject_artifact   (TtPatientFeed         *self,
                                                 TtArtifact             artifact,
                                                 gint64                 duration_ms);

/* The model behind the feed (borrowed), e.g. for an instructor's view of the truth. */
TtPatient    *tt_patient_feed_get_patient       (TtPatientFeed         *self);
gint64        tt_patient_feed_get_time          (TtPatientFeed         *self);

G_END_DECLS
