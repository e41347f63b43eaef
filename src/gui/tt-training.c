/* tt-training.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-format.h"
#include "tt-training.h"

struct _TtTraining
{
  GObject              parent_instance;

  /* owned */
  TtSession           *session;
  TtPatientFeed       *feed;
  TtCase              *kase;
  GSimpleActionGroup  *actions;
  TtTrainingRun       *run;
  TtDebrief           *debrief;
  GArray              *samples;
  GCancellable        *cancellable;
  char                *title;
  guint32              seed;
  gint64               end_ms;
  gulong               samples_handler;
};

enum {
  PROP_0,
  PROP_DEBRIEF,
  N_PROPS
};

enum {
  SIGNAL_INPUT_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TtTraining, tt_training, G_TYPE_OBJECT)

static gboolean
is_over (TtTraining *self)
{
  return tt_case_get_state (self->kase) == TT_CASE_STATE_ENDED;
}

static void
add_input (TtTraining          *self,
           TtTrainingInputKind  kind,
           double               value,
           TtArtifact           artifact)
{
  TtTrainingInput input = {
    .t_ms = tt_patient_feed_get_time (self->feed),
    .kind = kind,
    .value = value,
    .artifact = artifact,
  };

  tt_training_run_add (self->run, &input);
  /* Logged too, so that a case resumed after a crash gets the same patient back. */
  tt_case_log_add_training_input (tt_session_get_case_log (self->session), &input);
  g_signal_emit (self, signals[SIGNAL_INPUT_ADDED], 0, &input);
}

char *
tt_training_input_describe (const TtTrainingInput *input)
{
  g_return_val_if_fail (input != NULL, NULL);

  switch (input->kind)
    {
    case TT_TRAINING_INPUT_INDUCTION:
      return g_strdup (_("Start of induction"));
    case TT_TRAINING_INPUT_RATE:
      {
        g_autofree char *rate = tt_dose_format_rate (input->value);

        /* Translators: the trainee set the pump, e.g. "Rate 0.07 µg/kg/min". */
        return g_strdup_printf (_("Rate %s"), rate);
      }
    case TT_TRAINING_INPUT_BOLUS:
      {
        g_autofree char *ug = tt_format_number (input->value, 1);

        return g_strdup_printf (_("Bolus %s µg"), ug);
      }
    case TT_TRAINING_INPUT_SENSITIVITY:
      {
        g_autofree char *x = tt_format_number (input->value, 2);

        /* Translators: the instructor changed the patient's norepinephrine sensitivity. */
        return g_strdup_printf (_("Sensitivity %s×"), x);
      }
    case TT_TRAINING_INPUT_FALL:
      {
        g_autofree char *pct = tt_format_number (input->value * 100, 1);

        /* Translators: the instructor changed how far MAP falls after induction. */
        return g_strdup_printf (_("Induction fall %s %% of baseline"), pct);
      }
    case TT_TRAINING_INPUT_ARTIFACT:
      switch (input->artifact)
        {
        case TT_ARTIFACT_FLUSH:
          return g_strdup (_("Flush injected"));
        case TT_ARTIFACT_ZEROING:
          return g_strdup (_("Zeroing injected"));
        case TT_ARTIFACT_SAMPLING:
          return g_strdup (_("Blood sampling injected"));
        case TT_ARTIFACT_DAMPING:
          return g_strdup (_("Damping injected"));
        case TT_ARTIFACT_MOVEMENT:
          return g_strdup (_("Movement injected"));
        case TT_ARTIFACT_SIGNAL_LOSS:
          return g_strdup (_("Signal loss injected"));
        case TT_ARTIFACT_NONE:
        default:
          break;
        }
      break;
    case TT_N_TRAINING_INPUTS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

/* Instructor actions */

static void
speed_change_cb (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  TtTraining *self = user_data;

  tt_patient_feed_set_speed (self->feed, g_variant_get_double (value));
  g_simple_action_set_state (action,
                             g_variant_new_double (tt_patient_feed_get_speed (self->feed)));
}

static void
sensitivity_change_cb (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  TtTraining *self = user_data;
  double applied;

  tt_patient_feed_set_sensitivity (self->feed, g_variant_get_double (value));
  /* What the patient took (the feed keeps it within 0.1–10×) is what a re-run repeats. */
  applied = tt_patient_get_params (tt_patient_feed_get_patient (self->feed))->ne_sensitivity;
  g_simple_action_set_state (action, g_variant_new_double (applied));
  add_input (self, TT_TRAINING_INPUT_SENSITIVITY, applied, TT_ARTIFACT_NONE);
}

static void
severity_change_cb (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  TtTraining *self = user_data;
  const char *name = g_variant_get_string (value, NULL);

  for (TtSeverity s = 0; s < TT_N_SEVERITIES; s++)
    if (g_str_equal (name, tt_severity_to_string (s)))
      {
        const TtPatientParams *params;

        tt_patient_feed_set_severity (self->feed, s);
        params = tt_patient_get_params (tt_patient_feed_get_patient (self->feed));
        g_simple_action_set_state (action, value);
        add_input (self, TT_TRAINING_INPUT_FALL, params->induction_fall, TT_ARTIFACT_NONE);
        return;
      }
  g_warning ("training.severity: unknown severity “%s”", name);
}

static void
inject_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  TtTraining *self = user_data;
  TtArtifact artifact;

  if (!tt_artifact_from_string (g_variant_get_string (parameter, NULL), &artifact) ||
      artifact >= TT_N_ARTIFACTS)
    {
      g_warning ("training.inject: unknown artifact “%s”", g_variant_get_string (parameter, NULL));
      return;
    }
  /* The model's own duration (CLINICAL.md §6 ranges); a re-run draws the same one. */
  tt_patient_feed_inject_artifact (self->feed, artifact, 0);
  add_input (self, TT_TRAINING_INPUT_ARTIFACT, NAN, artifact);
}

static const GActionEntry training_actions[] = {
  { "speed", NULL, "d", "1.0", speed_change_cb },
  { "sensitivity", NULL, "d", "1.0", sensitivity_change_cb },
  { "severity", NULL, "s", "'moderate'", severity_change_cb },
  { "inject", inject_cb, "s" },
};

/* The patient's severity class, for the panel's initial state. */
static const char *
severity_of (double fall)
{
  TtSeverity best = TT_SEVERITY_MODERATE;
  double best_distance = G_MAXDOUBLE;

  for (TtSeverity s = 0; s < TT_N_SEVERITIES; s++)
    {
      double lo, hi, distance;

      tt_severity_fall_range (s, &lo, &hi);
      /* Ranges meet at their ends (0.24 ends mild and starts moderate): the upper class. */
      distance = fall < lo ? lo - fall : fall >= hi ? fall - hi + 1e-9 : 0;
      if (distance < best_distance)
        best = s, best_distance = distance;
    }
  return tt_severity_to_string (best);
}

/* What the trainee gave reaches the patient through the session; the run keeps it too. */
static void
event_added_cb (TtTraining        *self,
                const TtCaseEvent *event)
{
  switch (event->kind)
    {
    case TT_CASE_EVENT_INDUCTION:
      add_input (self, TT_TRAINING_INPUT_INDUCTION, NAN, TT_ARTIFACT_NONE);
      break;
    case TT_CASE_EVENT_RATE:
      add_input (self, TT_TRAINING_INPUT_RATE, event->value, TT_ARTIFACT_NONE);
      break;
    case TT_CASE_EVENT_BOLUS:
      add_input (self, TT_TRAINING_INPUT_BOLUS, event->value, TT_ARTIFACT_NONE);
      break;
    case TT_CASE_EVENT_END:
      add_input (self, TT_TRAINING_INPUT_RATE, 0, TT_ARTIFACT_NONE);
      break;
    case TT_CASE_EVENT_INTUBATION:
    case TT_CASE_EVENT_INCISION:
    case TT_CASE_EVENT_POSITION:
    case TT_CASE_EVENT_NOTE:
    case TT_CASE_EVENT_SYRINGE:
    case TT_N_CASE_EVENTS:
    default:
      break;
    }
}

static void
samples_cb (TtTraining     *self,
            const TtSample *samples,
            guint           n_samples)
{
  if (self->end_ms < 0)
    g_array_append_vals (self->samples, samples, n_samples);
}

/* The debrief's re-simulation, on a worker thread: it owns copies of everything it reads. */
typedef struct {
  TtTrainingRun    *run;
  TtCaseSetup      *setup;
  GArray           *samples;
  gint64            t0_ms;
  gint64            end_ms;
  TtDebriefOutcome  outcomes[TT_N_TRAINING_ACTORS];
} DebriefJob;

static void
debrief_job_free (DebriefJob *job)
{
  tt_training_run_free (job->run);
  tt_case_setup_free (job->setup);
  g_array_unref (job->samples);
  g_free (job);
}

static void
debrief_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DebriefJob *job = task_data;
  TtClinicianConfig config;
  TtTrainingRerun rerun;
  TtDebriefOutcome *advisor = &job->outcomes[TT_TRAINING_ADVISOR];

  tt_debrief_outcome_compute (job->setup, (const TtSample *) (gpointer) job->samples->data,
                              job->samples->len, job->t0_ms, job->end_ms,
                              &job->outcomes[TT_TRAINING_TRAINEE]);

  tt_training_advisor_config (job->setup, &config);
  tt_training_run_simulate (job->run, TT_TRAINING_ADVISOR, &config, job->end_ms, &rerun);
  tt_debrief_outcome_compute (job->setup, (const TtSample *) (gpointer) rerun.samples->data,
                              rerun.samples->len, job->t0_ms, job->end_ms, advisor);
  advisor->ne_ug_per_kg = rerun.ne_ug_per_kg;
  advisor->boluses = rerun.boluses;
  advisor->rate_changes = rerun.rate_changes;
  tt_training_rerun_clear (&rerun);
  g_task_return_boolean (task, TRUE);
}

static void
debrief_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TtTraining *self = TT_TRAINING (source);
  DebriefJob *job = g_task_get_task_data (G_TASK (result));
  TtDebriefOutcome *trainee = &job->outcomes[TT_TRAINING_TRAINEE];

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  /* The trainee's drug is what the case recorded as given. */
  trainee->ne_ug_per_kg = tt_case_get_total_ug_per_kg (self->kase);
  trainee->boluses = tt_case_get_bolus_count (self->kase);
  trainee->rate_changes = tt_case_get_rate_changes (self->kase)->len;
  tt_debrief_set_outcome (self->debrief, TT_TRAINING_TRAINEE, trainee);
  tt_debrief_set_outcome (self->debrief, TT_TRAINING_ADVISOR, &job->outcomes[TT_TRAINING_ADVISOR]);
}

static void
case_state_cb (TtTraining *self)
{
  g_autoptr(GTask) task = NULL;
  DebriefJob *job;

  if (!is_over (self) || self->end_ms >= 0)
    return;

  self->end_ms = tt_case_get_now_ms (self->kase);
  for (guint i = 0; i < G_N_ELEMENTS (training_actions); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
      G_ACTION_MAP (self->actions), training_actions[i].name)), FALSE);
  if (tt_case_get_setup (self->kase) == NULL)
    return;

  job = g_new0 (DebriefJob, 1);
  job->run = tt_training_run_copy (self->run);
  job->setup = tt_case_setup_copy (tt_case_get_setup (self->kase));
  job->samples = g_array_copy (self->samples);
  job->t0_ms = tt_case_get_t0_ms (self->kase);
  job->end_ms = self->end_ms;
  task = g_task_new (self, self->cancellable, debrief_done_cb, NULL);
  g_task_set_source_tag (task, case_state_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) debrief_job_free);
  g_task_run_in_thread (task, debrief_thread);
}

/* Takes @run. */
static TtTraining *
training_new (TtSession     *session,
              TtTrainingRun *run,
              const char    *title)
{
  TtTraining *self;
  const TtPatientParams *now;

  self = g_object_new (TT_TYPE_TRAINING, NULL);
  self->session = g_object_ref (session);
  self->feed = g_object_ref (TT_PATIENT_FEED (tt_session_get_feed (session)));
  self->kase = g_object_ref (tt_session_get_case (session));
  self->run = run;
  self->debrief = tt_debrief_new (self->kase);
  self->title = g_strdup (title);
  self->seed = tt_training_run_get_seed (run);
  /* The patient as it is now: a resumed one may have had the instructor's changes already. */
  now = tt_patient_get_params (tt_patient_feed_get_patient (self->feed));

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), training_actions,
                                   G_N_ELEMENTS (training_actions), self);
  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "speed",
                                      g_variant_new_double (tt_patient_feed_get_speed (self->feed)));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (
                               G_ACTION_MAP (self->actions), "sensitivity")),
                             g_variant_new_double (now->ne_sensitivity));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (
                               G_ACTION_MAP (self->actions), "severity")),
                             g_variant_new_string (severity_of (now->induction_fall)));

  self->samples_handler = g_signal_connect_swapped (self->feed, "samples",
                                                    G_CALLBACK (samples_cb), self);
  g_signal_connect_object (self->kase, "event-added", G_CALLBACK (event_added_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kase, "notify::state", G_CALLBACK (case_state_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

TtTraining *
tt_training_new (TtSession             *session,
                 const TtPatientParams *params,
                 guint32                seed,
                 const char            *title)
{
  g_return_val_if_fail (TT_IS_SESSION (session), NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (TT_IS_PATIENT_FEED (tt_session_get_feed (session)), NULL);

  /* The session keeps the patient, so that the case can be resumed with it after a crash. */
  tt_case_log_set_patient (tt_session_get_case_log (session), params, seed, title);
  return training_new (session, tt_training_run_new (params, seed), title);
}

TtTraining *
tt_training_new_resumed (TtSession           *session,
                         const TtTrainingRun *run,
                         const char          *title,
                         GArray              *samples)
{
  TtTraining *self;

  g_return_val_if_fail (TT_IS_SESSION (session), NULL);
  g_return_val_if_fail (run != NULL && samples != NULL, NULL);
  g_return_val_if_fail (TT_IS_PATIENT_FEED (tt_session_get_feed (session)), NULL);

  self = training_new (session, tt_training_run_copy (run), title);
  g_array_append_vals (self->samples, samples->data, samples->len);
  return self;
}

TtSession *
tt_training_get_session (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->session;
}

TtPatientFeed *
tt_training_get_feed (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->feed;
}

GActionGroup *
tt_training_get_actions (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

TtDebrief *
tt_training_get_debrief (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->debrief;
}

const TtTrainingRun *
tt_training_get_run (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->run;
}

const char *
tt_training_get_title (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->title;
}

guint32
tt_training_get_seed (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), 0);
  return self->seed;
}

GArray *
tt_training_get_samples (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), NULL);
  return self->samples;
}

gint64
tt_training_get_end_ms (TtTraining *self)
{
  g_return_val_if_fail (TT_IS_TRAINING (self), -1);
  return self->end_ms;
}

static void
tt_training_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtTraining *self = TT_TRAINING (object);

  switch (prop_id)
    {
    case PROP_DEBRIEF:
      g_value_set_object (value, self->debrief);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_training_dispose (GObject *object)
{
  TtTraining *self = TT_TRAINING (object);

  g_cancellable_cancel (self->cancellable);
  if (self->feed != NULL)
    g_clear_signal_handler (&self->samples_handler, self->feed);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->debrief);
  g_clear_object (&self->kase);
  g_clear_object (&self->feed);
  g_clear_object (&self->session);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (tt_training_parent_class)->dispose (object);
}

static void
tt_training_finalize (GObject *object)
{
  TtTraining *self = TT_TRAINING (object);

  g_clear_pointer (&self->run, tt_training_run_free);
  g_clear_pointer (&self->samples, g_array_unref);
  g_free (self->title);

  G_OBJECT_CLASS (tt_training_parent_class)->finalize (object);
}

static void
tt_training_class_init (TtTrainingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_training_get_property;
  object_class->dispose = tt_training_dispose;
  object_class->finalize = tt_training_finalize;

  properties[PROP_DEBRIEF] =
    g_param_spec_object ("debrief", NULL, NULL, TT_TYPE_DEBRIEF,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_INPUT_ADDED] =
    g_signal_new ("input-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
tt_training_init (TtTraining *self)
{
  self->actions = g_simple_action_group_new ();
  self->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  self->cancellable = g_cancellable_new ();
  self->end_ms = -1;
}
