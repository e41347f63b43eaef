/* tt-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-monitor.h"
#include "tt-quality.h"

struct _TtMonitor
{
  GObject              parent_instance;

  /* owned */
  TtCase              *kase;
  TtQualityClassifier *classifier;
  TtGrid              *grid;
  TtMetrics           *metrics;
  TtAdvisor           *advisor;

  /* state */
  gboolean             has_sample;
  TtSample             last_sample;
  gboolean             has_signal;
  TtSignalState        signal;
  gboolean             has_advice;
  TtAdvice             advice;
  gboolean             has_pending;
  TtAdvice             pending;
  /* Since when the advisor has said something other than the pending advice (TT_MONITOR_SETTLE_MS),
   * or -1. */
  gint64               other_since_ms;
  /* A declined advice is not raised again in the same direction before the advisor's
   * re-evaluation time: the clinician said no, and asking every grid step would nag. */
  TtAdviceKind         declined_kind;
  gint64               declined_ms;
  guint                n_declined;
  gint64               excluded_ms;
  guint64              n_samples;
  guint64              n_steps;
  gboolean             ended;
  gulong               event_handler;
  gulong               advice_handler;
  TtChecklistItem     *primed_item;
  gulong               primed_handler;
};

enum {
  SIGNAL_SAMPLE,
  SIGNAL_POINT,
  SIGNAL_STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TtMonitor, tt_monitor, G_TYPE_OBJECT)

static gboolean
is_actionable (TtAdviceKind kind)
{
  return kind == TT_ADVICE_INCREASE || kind == TT_ADVICE_DECREASE ||
         kind == TT_ADVICE_STOP || kind == TT_ADVICE_RESCUE_BOLUS;
}

static gboolean
same_advice (const TtAdvice *a,
             const TtAdvice *b)
{
  return a->kind == b->kind && fabs (a->rate - b->rate) < 1e-9 &&
         a->bolus == b->bolus && fabs (a->bolus_ug - b->bolus_ug) < 1e-9;
}

static void
clear_pending (TtMonitor *self)
{
  if (self->has_pending)
    tt_advice_clear (&self->pending);
  self->has_pending = FALSE;
}

/* Keeps the case's advice in step with the advisor: a new actionable advice is offered at once;
 * while one waits for an answer, a hold or a different advice replaces it once the advisor has
 * said so for TT_MONITOR_SETTLE_MS, a rescue bolus at once; "no advice" (the signal turned bad,
 * the setup is invalid) withdraws it at once, so that an advice computed from a signal that has
 * since turned bad can never be accepted. */
static void
offer_advice (TtMonitor *self)
{
  const TtAdvice *advice = &self->advice;
  gint64 reeval_ms = tt_advisor_get_params (self->advisor)->reeval_ms;
  gboolean settled;

  /* The case drops its advice when it is answered. */
  if (tt_case_get_advice (self->kase) == NULL)
    clear_pending (self);

  if (self->has_pending && is_actionable (advice->kind) && same_advice (&self->pending, advice))
    {
      self->other_since_ms = -1;
      return;
    }
  if (self->has_pending && self->other_since_ms < 0)
    self->other_since_ms = advice->t_ms;
  settled = self->has_pending && advice->t_ms - self->other_since_ms >= TT_MONITOR_SETTLE_MS;

  if (!is_actionable (advice->kind))
    {
      if (self->has_pending && (advice->kind == TT_ADVICE_NO_ADVICE || settled))
        {
          clear_pending (self);
          tt_case_set_advice (self->kase, NULL);
        }
      return;
    }

  if (self->has_pending && !settled &&
      !(advice->kind == TT_ADVICE_RESCUE_BOLUS && !self->pending.bolus))
    return;
  if (!self->has_pending && self->declined_ms >= 0 && advice->kind == self->declined_kind &&
      advice->t_ms - self->declined_ms < reeval_ms)
    return;

  {
    double rate = fabs (advice->change) > 1e-9 ? advice->rate : NAN;
    g_autoptr(TtCaseAdvice) offer = tt_case_advice_new (advice->t_ms, rate,
                                                        advice->bolus ? advice->bolus_ug : 0,
                                                        advice->title, advice->sentence);

    clear_pending (self);
    tt_advice_copy (advice, &self->pending);
    self->has_pending = TRUE;
    self->other_since_ms = -1;
    tt_case_set_advice (self->kase, offer);
  }
}

static gboolean
is_running (TtMonitor *self)
{
  TtCaseState state = tt_case_get_state (self->kase);

  return state == TT_CASE_STATE_INDUCTION || state == TT_CASE_STATE_MAINTENANCE;
}

static void
grid_point_cb (const TtGridPoint *point,
               gpointer           user_data)
{
  TtMonitor *self = user_data;

  if (!tt_grid_point_is_valid (point))
    self->excluded_ms += tt_grid_get_step_ms (self->grid);
  tt_metrics_push (self->metrics, point);
  self->n_steps++;
  g_signal_emit (self, signals[SIGNAL_POINT], 0, point);
}

static void
grid_state_cb (const TtSignalState *state,
               gpointer             user_data)
{
  TtMonitor *self = user_data;

  self->signal = *state;
  self->has_signal = TRUE;
  tt_case_update_signal (self->kase, state);

  if (is_running (self))
    {
      if (self->has_advice)
        tt_advice_clear (&self->advice);
      tt_advisor_update (self->advisor, state, &self->advice);
      self->has_advice = TRUE;
      offer_advice (self);
    }
  g_signal_emit (self, signals[SIGNAL_STEP], 0, state);
}

/* The case reports what the clinician did; the advisor reasons from that, not from its advice. */
static void
case_event_added_cb (TtCase            *kase,
                     const TtCaseEvent *event,
                     TtMonitor         *self)
{
  switch (event->kind)
    {
    case TT_CASE_EVENT_INDUCTION:
      tt_metrics_set_induction (self->metrics, event->t_ms);
      break;
    case TT_CASE_EVENT_RATE:
      tt_advisor_rate_set (self->advisor, event->t_ms, event->value);
      break;
    case TT_CASE_EVENT_BOLUS:
      tt_advisor_bolus_given (self->advisor, event->t_ms);
      break;
    case TT_CASE_EVENT_END:
      /* The case's figures are final at its end: the last grid step closes (as a batch
       * computation over the recording closes it), and later samples are not the case's. */
      self->ended = TRUE;
      tt_grid_finish (self->grid);
      break;
    default:
      break;
    }
}

/* An answered advice is gone from the case; a decline is remembered so that the same advice is not
 * raised again at once. The case logs the answer itself. */
static void
case_advice_cb (TtCase     *kase,
                GParamSpec *pspec,
                TtMonitor  *self)
{
  guint declined;

  if (tt_case_get_advice (kase) != NULL || !self->has_pending)
    return;
  declined = tt_case_get_answer_count (kase, TT_ANSWER_DECLINED);
  if (declined > self->n_declined)
    {
      self->declined_kind = self->pending.kind;
      self->declined_ms = tt_case_get_now_ms (kase);
    }
  self->n_declined = declined;
  clear_pending (self);
}

/* The setup's dead space is the line volume that may hold no drug. Once the checklist confirms
 * the line is primed to the cannula, nothing is drug-free: the advisor must not wait for, or
 * warn about, a delay that the clinician has just ruled out. */
static void
update_infusion (TtMonitor *self)
{
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);
  double unprimed = tt_checklist_item_get_done (self->primed_item) ? 0 : setup->dead_space_ml;

  tt_advisor_set_infusion (self->advisor, setup->concentration, setup->weight_kg, unprimed);
}

TtMonitor *
tt_monitor_new (TtCase  *kase,
                GError **error)
{
  const TtCaseSetup *setup;
  TtAdvisorParams params;
  TtMetricsConfig config;
  TtMonitor *self;

  g_return_val_if_fail (TT_IS_CASE (kase), NULL);

  setup = tt_case_get_setup (kase);
  if (setup == NULL)
    {
      g_set_error_literal (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE,
                           _("The case has no setup yet: enter it before monitoring."));
      return NULL;
    }

  tt_advisor_params_init (&params, setup->line);
  /* The department's limits and critical offset, as the case was set up with them. */
  tt_case_setup_get_limits (setup, &params.limits);
  params.critical_offset = setup->band_rule.critical_offset;
  if (!tt_advisor_params_validate (&params, error))
    return NULL;

  self = g_object_new (TT_TYPE_MONITOR, NULL);
  self->kase = g_object_ref (kase);
  self->classifier = tt_quality_classifier_new ();
  self->grid = tt_grid_new (TT_GRID_DEFAULT_STEP_MS, grid_point_cb, grid_state_cb, self);

  tt_metrics_config_init (&config);
  config.grid_ms = TT_GRID_DEFAULT_STEP_MS;
  config.band_lo = setup->target_lo;
  config.band_hi = setup->target_hi;
  config.baseline = setup->baseline_map;
  self->metrics = tt_metrics_new (&config);

  self->advisor = tt_advisor_new (&params);
  self->primed_item = g_object_ref (tt_case_get_checklist_item (kase, TT_CHECKLIST_PUMP_PRIMED));
  self->primed_handler = g_signal_connect_swapped (self->primed_item, "notify::done",
                                                   G_CALLBACK (update_infusion), self);
  update_infusion (self);
  tt_advisor_set_band (self->advisor, setup->target_lo, setup->target_hi);
  tt_advisor_set_start_rate (self->advisor, setup->start_rate);
  tt_advisor_set_bolus (self->advisor, setup->bolus_ug, setup->concentration);
  if (tt_case_get_t0_ms (kase) >= 0)
    tt_metrics_set_induction (self->metrics, tt_case_get_t0_ms (kase));
  if (tt_case_get_rate (kase) > 0)
    tt_advisor_rate_set (self->advisor, tt_case_get_last_rate_change_ms (kase),
                         tt_case_get_rate (kase));

  self->n_declined = tt_case_get_answer_count (kase, TT_ANSWER_DECLINED);
  self->event_handler = g_signal_connect (kase, "event-added",
                                          G_CALLBACK (case_event_added_cb), self);
  self->advice_handler = g_signal_connect (kase, "notify::advice",
                                           G_CALLBACK (case_advice_cb), self);
  return self;
}

TtCase *
tt_monitor_get_case (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), NULL);

  return self->kase;
}

gint64
tt_monitor_get_grid_ms (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), 0);

  return tt_grid_get_step_ms (self->grid);
}

void
tt_monitor_push (TtMonitor      *self,
                 const TtSample *samples,
                 guint           n_samples)
{
  g_return_if_fail (TT_IS_MONITOR (self));
  g_return_if_fail (samples != NULL || n_samples == 0);

  if (self->ended)
    return;
  for (guint i = 0; i < n_samples; i++)
    {
      TtSample sample = samples[i];

      tt_quality_classifier_push (self->classifier, &sample);
      self->last_sample = sample;
      self->has_sample = TRUE;
      self->n_samples++;
      g_signal_emit (self, signals[SIGNAL_SAMPLE], 0, &sample);
      tt_grid_push (self->grid, &sample);
    }
}

void
tt_monitor_advance (TtMonitor *self,
                    gint64     now_ms)
{
  g_return_if_fail (TT_IS_MONITOR (self));

  if (self->ended)
    return;
  tt_grid_advance (self->grid, now_ms);
  if (now_ms > tt_case_get_now_ms (self->kase))
    tt_case_tick (self->kase, now_ms, NULL);
}

const TtSample *
tt_monitor_get_last_sample (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), NULL);

  return self->has_sample ? &self->last_sample : NULL;
}

const TtSignalState *
tt_monitor_get_signal (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), NULL);

  return self->has_signal ? &self->signal : NULL;
}

gint64
tt_monitor_get_excluded_ms (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), 0);

  return self->excluded_ms;
}

gboolean
tt_monitor_get_metrics (TtMonitor       *self,
                        TtMetricsWindow         window,
                        TtWindowMetrics *out)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return tt_metrics_get (self->metrics, window, out);
}

const TtAdvice *
tt_monitor_get_advice (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), NULL);

  return self->has_advice ? &self->advice : NULL;
}

const TtAdvice *
tt_monitor_get_pending (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), NULL);

  if (tt_case_get_advice (self->kase) == NULL)
    return NULL;
  return self->has_pending ? &self->pending : NULL;
}

guint64
tt_monitor_get_n_samples (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), 0);

  return self->n_samples;
}

guint64
tt_monitor_get_n_steps (TtMonitor *self)
{
  g_return_val_if_fail (TT_IS_MONITOR (self), 0);

  return self->n_steps;
}

static void
tt_monitor_dispose (GObject *object)
{
  TtMonitor *self = TT_MONITOR (object);

  if (self->kase != NULL)
    {
      g_clear_signal_handler (&self->event_handler, self->kase);
      g_clear_signal_handler (&self->advice_handler, self->kase);
    }
  if (self->primed_item != NULL)
    g_clear_signal_handler (&self->primed_handler, self->primed_item);
  g_clear_object (&self->primed_item);
  g_clear_object (&self->kase);

  G_OBJECT_CLASS (tt_monitor_parent_class)->dispose (object);
}

static void
tt_monitor_finalize (GObject *object)
{
  TtMonitor *self = TT_MONITOR (object);

  g_clear_pointer (&self->grid, tt_grid_free);
  g_clear_pointer (&self->classifier, tt_quality_classifier_free);
  g_clear_pointer (&self->metrics, tt_metrics_free);
  g_clear_pointer (&self->advisor, tt_advisor_free);
  if (self->has_advice)
    tt_advice_clear (&self->advice);
  clear_pending (self);

  G_OBJECT_CLASS (tt_monitor_parent_class)->finalize (object);
}

static void
tt_monitor_class_init (TtMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_monitor_dispose;
  object_class->finalize = tt_monitor_finalize;

  /* Every classified sample (the chart draws them), every grid point (metrics, excluded time),
   * and every closed grid step once the case and the advisor have seen it (the screen refreshes). */
  signals[SIGNAL_SAMPLE] = g_signal_new ("sample", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_POINT] = g_signal_new ("point", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
tt_monitor_init (TtMonitor *self)
{
  self->declined_ms = -1;
  self->declined_kind = TT_ADVICE_HOLD;
  self->other_since_ms = -1;
}
