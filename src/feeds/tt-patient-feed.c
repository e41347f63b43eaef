/* tt-patient-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-patient-feed.h"

#define DEFAULT_TICK_MS           100
/* [est] One minute awake before induction starts by itself, so the trainee sees a baseline. */
#define SCENARIO_INDUCTION_AT_MS  60000
/* After a suspend or a stalled main loop the patient catches up by at most this much at once. */
#define MAX_CATCH_UP_MS           (10 * 60 * 1000)

struct _TtPatientFeed
{
  TtFeed              parent_instance;

  TtPatient          *patient;
  GArray             *numerics;
  GArray             *wave;
  GSource            *source;
  TtPatientFeedClock  clock;
  gpointer            clock_data;
  double              speed;
  guint               tick_ms;
  gboolean            waveform;
  gint64              wall_base_us;
  gint64              sim_base_ms;
  gboolean            induction_announced;
};

G_DEFINE_FINAL_TYPE (TtPatientFeed, tt_patient_feed, TT_TYPE_FEED)

enum {
  PROP_0,
  PROP_SPEED,
  PROP_WAVEFORM,
  N_PROPS
};

enum {
  WAVEFORM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *scenario_names[TT_N_PATIENT_SCENARIOS] = {
  [TT_PATIENT_SCENARIO_TYPICAL] = "typical",
  [TT_PATIENT_SCENARIO_ELDERLY_SEVERE] = "elderly-severe",
  [TT_PATIENT_SCENARIO_HYPERTENSIVE] = "hypertensive",
  [TT_PATIENT_SCENARIO_ARTIFACT_HEAVY] = "artifact-heavy",
  [TT_PATIENT_SCENARIO_UNPRIMED_LINE] = "unprimed-line",
  [TT_PATIENT_SCENARIO_INSENSITIVE] = "insensitive",
  [TT_PATIENT_SCENARIO_HYPERSENSITIVE] = "hypersensitive",
};

const char *
tt_patient_scenario_to_string (TtPatientScenario scenario)
{
  g_return_val_if_fail (scenario < TT_N_PATIENT_SCENARIOS, "invalid");
  return scenario_names[scenario];
}

gboolean
tt_patient_scenario_from_string (const char        *name,
                                 TtPatientScenario *scenario)
{
  for (guint i = 0; i < TT_N_PATIENT_SCENARIOS; i++)
    if (g_strcmp0 (name, scenario_names[i]) == 0)
      {
        *scenario = i;
        return TRUE;
      }
  return FALSE;
}

const char *
tt_patient_scenario_describe (TtPatientScenario scenario)
{
  switch (scenario)
    {
    case TT_PATIENT_SCENARIO_TYPICAL:
      /* xgettext:no-c-format */
      return _("Typical patient: 66 years, MAP 95 mmHg, falls 24 % after induction");
    case TT_PATIENT_SCENARIO_ELDERLY_SEVERE:
      return _("Elderly patient, severe fall: 82 years, falls 34 %, slowly");
    case TT_PATIENT_SCENARIO_HYPERTENSIVE:
      return _("Hypertensive responses to intubation and surgery");
    case TT_PATIENT_SCENARIO_ARTIFACT_HEAVY:
      return _("Poor arterial line: frequent flushes, sampling, damping and movement");
    case TT_PATIENT_SCENARIO_UNPRIMED_LINE:
      return _("Unprimed line: 1 mL of drug-free fluid ahead of 80 µg/mL norepinephrine");
    case TT_PATIENT_SCENARIO_INSENSITIVE:
      return _("Insensitive to norepinephrine (0.2×)");
    case TT_PATIENT_SCENARIO_HYPERSENSITIVE:
      return _("Very sensitive to norepinephrine (5×)");
    case TT_N_PATIENT_SCENARIOS:
    default:
      g_return_val_if_reached ("");
    }
}

void
tt_patient_scenario_params (TtPatientScenario  scenario,
                            TtPatientParams   *p)
{
  g_return_if_fail (scenario < TT_N_PATIENT_SCENARIOS);
  g_return_if_fail (p != NULL);

  tt_patient_params_init_typical (p);
  p->induction_at_ms = SCENARIO_INDUCTION_AT_MS;
  /* [est] a usual arterial line: a few artifacts an hour */
  p->artifact_rate_per_h[TT_ARTIFACT_FLUSH] = 1;
  p->artifact_rate_per_h[TT_ARTIFACT_SAMPLING] = 1;
  p->artifact_rate_per_h[TT_ARTIFACT_MOVEMENT] = 1;

  switch (scenario)
    {
    case TT_PATIENT_SCENARIO_TYPICAL:
      break;
    case TT_PATIENT_SCENARIO_ELDERLY_SEVERE:
      p->age_years = 82;
      p->baseline_map = 100;
      p->pulse_pressure = 70;
      p->induction_fall = 0.34;
      p->induction_half_time_min = tt_patient_induction_half_time_for_age (82);
      break;
    case TT_PATIENT_SCENARIO_HYPERTENSIVE:
      p->baseline_map = 105;
      p->induction_fall = 0.22;
      p->intubation_rise_mmhg = 25;
      p->intubation_duration_min = 3;
      p->surgery_after_min = 12;
      p->surgery_rise_mmhg = 20;
      break;
    case TT_PATIENT_SCENARIO_ARTIFACT_HEAVY:
      /* [est] about the 8.7–14.7 % of unusable time of CLINICAL.md §6 */
      p->artifact_rate_per_h[TT_ARTIFACT_FLUSH] = 6;
      p->artifact_rate_per_h[TT_ARTIFACT_ZEROING] = 2;
      p->artifact_rate_per_h[TT_ARTIFACT_SAMPLING] = 4;
      p->artifact_rate_per_h[TT_ARTIFACT_DAMPING] = 2;
      p->artifact_rate_per_h[TT_ARTIFACT_MOVEMENT] = 8;
      p->artifact_rate_per_h[TT_ARTIFACT_SIGNAL_LOSS] = 3;
      break;
    case TT_PATIENT_SCENARIO_UNPRIMED_LINE:
      /* CLINICAL.md §2: 1 mL at 2.6 mL/h ≈ 23 min */
      p->line_primed = FALSE;
      p->dead_space_ml = 1.0;
      p->concentration_ug_ml = 80;
      break;
    case TT_PATIENT_SCENARIO_INSENSITIVE:
      p->ne_sensitivity = 0.2;
      break;
    case TT_PATIENT_SCENARIO_HYPERSENSITIVE:
      p->ne_sensitivity = 5;
      break;
    case TT_N_PATIENT_SCENARIOS:
    default:
      g_return_if_reached ();
    }
}

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static void
rebase (TtPatientFeed *self)
{
  self->wall_base_us = self->clock (self->clock_data);
  self->sim_base_ms = tt_patient_get_time (self->patient);
}

static void
announce_induction (TtPatientFeed *self)
{
  TtPatientTruth truth;

  if (self->induction_announced)
    return;
  tt_patient_get_truth (self->patient, &truth);
  if (truth.induction_ms >= 0 && truth.induction_ms <= truth.t_ms)
    {
      self->induction_announced = TRUE;
      tt_feed_emit_event (TT_FEED (self), truth.induction_ms, "induction",
                          _("Start of induction (virtual patient)"));
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  TtPatientFeed *self = TT_PATIENT_FEED (user_data);
  g_autoptr (TtPatientFeed) hold G_GNUC_UNUSED = g_object_ref (self);
  gint64 now = self->clock (self->clock_data);
  gint64 target = self->sim_base_ms +
                  (gint64) floor ((now - self->wall_base_us) / 1000.0 * self->speed);
  gint64 dt = target - tt_patient_get_time (self->patient);

  if (dt > MAX_CATCH_UP_MS)
    {
      dt = MAX_CATCH_UP_MS;
      self->sim_base_ms = tt_patient_get_time (self->patient) + dt;
      self->wall_base_us = now;
    }
  if (dt <= 0)
    return G_SOURCE_CONTINUE;

  g_array_set_size (self->numerics, 0);
  g_array_set_size (self->wave, 0);
  tt_patient_advance (self->patient, dt, self->numerics, self->waveform ? self->wave : NULL);
  announce_induction (self);
  if (self->wave->len > 0)
    g_signal_emit (self, signals[WAVEFORM], 0, self->wave->data, self->wave->len);
  /* A handler may have stopped the feed; the samples are still delivered. */
  tt_feed_emit_samples (TT_FEED (self), (const TtSample *) (gpointer) self->numerics->data,
                        self->numerics->len);
  return self->source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
remove_source (TtPatientFeed *self)
{
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
}

static void
add_source (TtPatientFeed *self)
{
  g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();

  remove_source (self);
  self->source = g_timeout_source_new (self->tick_ms);
  g_source_set_name (self->source, "[titrate] virtual patient");
  g_source_set_callback (self->source, tick_cb, self, NULL);
  g_source_attach (self->source, context);
}

static gboolean
tt_patient_feed_start (TtFeed  *feed,
                       GError **error)
{
  TtPatientFeed *self = TT_PATIENT_FEED (feed);

  rebase (self);
  add_source (self);
  return TRUE;
}

static void
tt_patient_feed_stop (TtFeed *feed)
{
  remove_source (TT_PATIENT_FEED (feed));
}

static void
tt_patient_feed_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtPatientFeed *self = TT_PATIENT_FEED (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_WAVEFORM:
      g_value_set_boolean (value, self->waveform);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_patient_feed_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtPatientFeed *self = TT_PATIENT_FEED (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      tt_patient_feed_set_speed (self, g_value_get_double (value));
      break;
    case PROP_WAVEFORM:
      tt_patient_feed_set_waveform (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_patient_feed_dispose (GObject *object)
{
  remove_source (TT_PATIENT_FEED (object));

  G_OBJECT_CLASS (tt_patient_feed_parent_class)->dispose (object);
}

static void
tt_patient_feed_finalize (GObject *object)
{
  TtPatientFeed *self = TT_PATIENT_FEED (object);

  g_clear_pointer (&self->patient, tt_patient_free);
  g_clear_pointer (&self->numerics, g_array_unref);
  g_clear_pointer (&self->wave, g_array_unref);

  G_OBJECT_CLASS (tt_patient_feed_parent_class)->finalize (object);
}

static void
tt_patient_feed_class_init (TtPatientFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TtFeedClass *feed_class = TT_FEED_CLASS (klass);

  object_class->get_property = tt_patient_feed_get_property;
  object_class->set_property = tt_patient_feed_set_property;
  object_class->dispose = tt_patient_feed_dispose;
  object_class->finalize = tt_patient_feed_finalize;
  feed_class->start = tt_patient_feed_start;
  feed_class->stop = tt_patient_feed_stop;

  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL,
                         TT_PATIENT_FEED_SPEED_MIN, TT_PATIENT_FEED_SPEED_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WAVEFORM] =
    g_param_spec_boolean ("waveform", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* 125 Hz arterial pressure (TtWavePoint array, valid during emission), before the numerics of
   * the same tick. */
  signals[WAVEFORM] =
    g_signal_new ("waveform", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
}

static void
tt_patient_feed_init (TtPatientFeed *self)
{
  self->numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  self->wave = g_array_new (FALSE, FALSE, sizeof (TtWavePoint));
  self->speed = 1.0;
  self->tick_ms = DEFAULT_TICK_MS;
  self->clock = monotonic_clock;
}

TtPatientFeed *
tt_patient_feed_new_with_params (const TtPatientParams *params,
                                 guint32                seed,
                                 const char            *description)
{
  TtPatientFeed *self;

  g_return_val_if_fail (params != NULL, NULL);

  self = g_object_new (TT_TYPE_PATIENT_FEED,
                       "training", TRUE,
                       "description", description,
                       NULL);
  self->patient = tt_patient_new (params, seed);
  return self;
}

TtPatientFeed *
tt_patient_feed_new_for_patient (TtPatient  *patient,
                                 const char *description)
{
  TtPatientFeed *self;
  TtPatientTruth truth;

  g_return_val_if_fail (patient != NULL, NULL);

  self = g_object_new (TT_TYPE_PATIENT_FEED,
                       "training", TRUE,
                       "description", description,
                       NULL);
  self->patient = patient;
  tt_patient_get_truth (patient, &truth);
  self->induction_announced = truth.induction_ms >= 0 && truth.induction_ms <= truth.t_ms;
  return self;
}

TtPatientFeed *
tt_patient_feed_new (TtPatientScenario scenario,
                     guint32           seed)
{
  TtPatientParams params;
  g_autofree char *description = NULL;

  g_return_val_if_fail (scenario < TT_N_PATIENT_SCENARIOS, NULL);

  tt_patient_scenario_params (scenario, &params);
  description = g_strdup_printf (_("Virtual patient (training): %s"),
                                 tt_patient_scenario_describe (scenario));
  return tt_patient_feed_new_with_params (&params, seed, description);
}

void
tt_patient_feed_set_waveform (TtPatientFeed *self,
                              gboolean       enabled)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  enabled = !!enabled;
  if (self->waveform == enabled)
    return;
  self->waveform = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAVEFORM]);
}

void
tt_patient_feed_set_speed (TtPatientFeed *self,
                           double         speed)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  speed = CLAMP (speed, TT_PATIENT_FEED_SPEED_MIN, TT_PATIENT_FEED_SPEED_MAX);
  if (self->speed == speed)
    return;
  /* What has run so far ran at the old speed. */
  if (self->source != NULL)
    tick_cb (self);
  rebase (self);
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
tt_patient_feed_get_speed (TtPatientFeed *self)
{
  g_return_val_if_fail (TT_IS_PATIENT_FEED (self), 1.0);
  return self->speed;
}

void
tt_patient_feed_set_clock (TtPatientFeed      *self,
                           TtPatientFeedClock  clock,
                           gpointer            user_data)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  self->clock = clock != NULL ? clock : monotonic_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
  rebase (self);
}

void
tt_patient_feed_set_tick_ms (TtPatientFeed *self,
                             guint          tick_ms)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));
  g_return_if_fail (tick_ms > 0);

  self->tick_ms = tick_ms;
  if (self->source != NULL)
    add_source (self);
}

void
tt_patient_feed_start_induction (TtPatientFeed *self)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  tt_patient_start_induction (self->patient);
  announce_induction (self);
}

void
tt_patient_feed_set_rate (TtPatientFeed *self,
                          double         rate_ug_kg_min)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  tt_patient_set_rate (self->patient, rate_ug_kg_min);
}

void
tt_patient_feed_give_bolus (TtPatientFeed *self,
                            double         ug)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  tt_patient_give_bolus (self->patient, ug);
}

void
tt_patient_feed_set_sensitivity (TtPatientFeed *self,
                                 double         multiplier)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));

  tt_patient_set_sensitivity (self->patient, CLAMP (multiplier, 0.1, 10.0));
}

void
tt_patient_feed_set_severity (TtPatientFeed *self,
                              TtSeverity     severity)
{
  double lo, hi;

  g_return_if_fail (TT_IS_PATIENT_FEED (self));
  g_return_if_fail (severity < TT_N_SEVERITIES);

  tt_severity_fall_range (severity, &lo, &hi);
  tt_patient_set_induction_fall (self->patient, (lo + hi) / 2);
}

void
tt_patient_feed_inject_artifact (TtPatientFeed *self,
                                 TtArtifact     artifact,
                                 gint64         duration_ms)
{
  g_return_if_fail (TT_IS_PATIENT_FEED (self));
  g_return_if_fail (artifact < TT_N_ARTIFACTS);

  tt_patient_inject_artifact (self->patient, artifact, duration_ms);
}

TtPatient *
tt_patient_feed_get_patient (TtPatientFeed *self)
{
  g_return_val_if_fail (TT_IS_PATIENT_FEED (self), NULL);
  return self->patient;
}

gint64
tt_patient_feed_get_time (TtPatientFeed *self)
{
  g_return_val_if_fail (TT_IS_PATIENT_FEED (self), 0);
  return tt_patient_get_time (self->patient);
}
