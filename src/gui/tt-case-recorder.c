/* tt-case-recorder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-case-recorder.h"

struct _TtCaseRecorder
{
  GObject         parent_instance;

  /* owned */
  TtStore        *store;
  TtCase         *kase;
  TtStoreSession *session;
  GSignalGroup   *case_signals;
  GSignalGroup   *monitor_signals;
  TtMonitor      *monitor;
  char           *error;

  /* the store's seq of the advice waiting for an answer (0: none), and of each active alert */
  guint           advice_seq;
  guint           alert_seq[TT_N_ALERT_KINDS];
};

G_DEFINE_FINAL_TYPE (TtCaseRecorder, tt_case_recorder, G_TYPE_OBJECT)

static void
begin (TtCaseRecorder *self)
{
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);
  const TtLimits *limits;
  g_autoptr(GError) error = NULL;
  TtStoreSetup s;

  if (self->session != NULL || setup == NULL)
    return;

  limits = &setup->limits[setup->line];
  tt_store_setup_init (&s);
  s.label = setup->label;
  s.mode = tt_case_get_training (self->kase) ? TT_STORE_MODE_TRAINING : TT_STORE_MODE_LIVE;
  s.start_unix_ms = tt_case_get_start_unix_ms (self->kase);
  s.weight_kg = setup->weight_kg;
  s.baseline_map = setup->baseline_map;
  s.band_low = setup->target_lo;
  s.band_high = setup->target_hi;
  s.critical_map = tt_case_setup_critical_map (setup);
  s.concentration_ug_ml = setup->concentration;
  s.line_type = (char *) (setup->line == TT_LINE_CENTRAL ? "central" : "peripheral");
  s.start_rate = setup->start_rate;
  s.bolus_dose_ug = setup->bolus_ug;
  s.rate_soft_max = limits->rate_soft_max;
  s.rate_hard_max = limits->rate_hard_max;
  s.bolus_soft_max_ug = limits->bolus_soft_max;
  s.bolus_hard_max_ug = limits->bolus_hard_max;
  s.source = (char *) tt_case_get_source (self->kase);

  self->session = tt_store_begin_session (self->store, &s, &error);
  g_clear_pointer (&self->error, g_free);
  if (self->session == NULL)
    self->error = g_strdup (error->message);
}

static void
sample_cb (TtCaseRecorder *self,
           const TtSample *sample)
{
  if (self->session != NULL)
    tt_store_add_samples (self->session, sample, 1);
}

static void
event_cb (TtCaseRecorder    *self,
          const TtCaseEvent *event)
{
  if (self->session == NULL)
    return;
  switch (event->kind)
    {
    case TT_CASE_EVENT_RATE:
      {
        GArray *rates = tt_case_get_rate_changes (self->kase);
        const TtRateChange *change = &g_array_index (rates, TtRateChange, rates->len - 1);

        tt_store_add_rate_change (self->session, event->t_ms, event->value, change->mlh,
                                  change->answer != TT_ANSWER_NONE ? self->advice_seq : 0);
        return;
      }
    case TT_CASE_EVENT_BOLUS:
      /* A bolus given while an advice waits is the advice's (the case applies it on Accept). */
      tt_store_add_bolus (self->session, event->t_ms, event->value,
                          tt_case_get_advice (self->kase) != NULL ? self->advice_seq : 0);
      return;
    case TT_CASE_EVENT_END:
      tt_store_add_event (self->session, event->t_ms,
                          tt_case_event_kind_to_string (event->kind), event->text);
      tt_store_end_session (self->session, event->t_ms);
      return;
    case TT_CASE_EVENT_INDUCTION:
    case TT_CASE_EVENT_INTUBATION:
    case TT_CASE_EVENT_INCISION:
    case TT_CASE_EVENT_POSITION:
    case TT_CASE_EVENT_NOTE:
    case TT_CASE_EVENT_SYRINGE:
    case TT_N_CASE_EVENTS:
    default:
      tt_store_add_event (self->session, event->t_ms,
                          tt_case_event_kind_to_string (event->kind), event->text);
      return;
    }
}

static void
add_advice (TtCaseRecorder *self,
            gint64          t_ms)
{
  const TtAdvice *advice = self->monitor != NULL ? tt_monitor_get_pending (self->monitor) : NULL;
  const TtCaseAdvice *offered = tt_case_get_advice (self->kase);
  g_autofree char *limits = NULL;
  TtStoreAdvice row = { 0 };

  row.t_ms = t_ms;
  row.rate_ug_kg_min = NAN;
  row.rate_ml_h = NAN;
  row.bolus_ug = NAN;
  if (advice != NULL)
    {
      limits = advice->limits != TT_LIMIT_NONE ? tt_limit_flags_to_string (advice->limits) : NULL;
      row.kind = (char *) tt_advice_kind_to_string (advice->kind);
      row.reason_code = (char *) tt_advice_reason_to_string (advice->reason);
      row.reason_text = advice->sentence;
      if (fabs (advice->change) > 1e-9)
        {
          row.rate_ug_kg_min = advice->rate;
          row.rate_ml_h = advice->ml_h;
        }
      if (advice->bolus)
        row.bolus_ug = advice->bolus_ug;
      row.limits = limits;
    }
  else
    {
      /* An advice set on the case by other means: what the case holds. */
      row.kind = (char *) "advice";
      row.reason_code = (char *) "";
      row.reason_text = offered->reason;
      row.rate_ug_kg_min = offered->rate;
      if (offered->bolus_ug > 0)
        row.bolus_ug = offered->bolus_ug;
    }
  self->advice_seq = tt_store_add_advice (self->session, &row);
}

static void
log_cb (TtCaseRecorder *self,
        gint64          t_ms,
        const char     *kind,
        GVariant       *details)
{
  if (g_str_equal (kind, "setup"))
    begin (self);
  if (self->session == NULL)
    return;

  if (g_str_equal (kind, "checklist-tick"))
    {
      const char *item;

      if (g_variant_lookup (details, "item", "&s", &item))
        tt_store_add_checklist (self->session, t_ms, item, NULL);
    }
  else if (g_str_equal (kind, "checklist-override"))
    {
      const char *reason = tt_case_get_override_reason (self->kase);

      for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
        if (!tt_checklist_item_get_done (tt_case_get_checklist_item (self->kase, id)))
          tt_store_add_checklist (self->session, t_ms, tt_checklist_id_to_string (id), reason);
    }
  else if (g_str_equal (kind, "advice"))
    add_advice (self, t_ms);
  else if (g_str_equal (kind, "answer") && self->advice_seq > 0)
    {
      const char *answer = NULL;
      const char *reason = NULL;
      double rate = NAN;
      double mlh = NAN;
      TtStoreAnswer stored = TT_STORE_ANSWER_ACCEPTED;

      g_variant_lookup (details, "answer", "&s", &answer);
      g_variant_lookup (details, "reason", "&s", &reason);
      g_variant_lookup (details, "rate_ug_kg_min", "d", &rate);
      g_variant_lookup (details, "mlh", "d", &mlh);
      if (g_strcmp0 (answer, tt_answer_to_string (TT_ANSWER_CHANGED)) == 0)
        stored = TT_STORE_ANSWER_CHANGED;
      else if (g_strcmp0 (answer, tt_answer_to_string (TT_ANSWER_DECLINED)) == 0)
        stored = TT_STORE_ANSWER_DECLINED;
      tt_store_answer_advice (self->session, self->advice_seq, stored, t_ms,
                              stored == TT_STORE_ANSWER_CHANGED ? rate : NAN,
                              stored == TT_STORE_ANSWER_CHANGED ? mlh : NAN, reason);
    }
  else if (g_str_equal (kind, "alert-raised") || g_str_equal (kind, "alert-acknowledged"))
    {
      const char *name = NULL;
      TtAlertKind alert;

      if (!g_variant_lookup (details, "alert", "&s", &name))
        return;
      for (alert = 0; alert < TT_N_ALERT_KINDS; alert++)
        if (g_str_equal (name, tt_alert_kind_to_string (alert)))
          break;
      if (alert == TT_N_ALERT_KINDS)
        return;
      if (g_str_equal (kind, "alert-raised"))
        {
          const char *priority = "low";
          const char *text = "";

          g_variant_lookup (details, "priority", "&s", &priority);
          g_variant_lookup (details, "text", "&s", &text);
          self->alert_seq[alert] = tt_store_add_alert (self->session, t_ms, priority, name, text);
        }
      else if (self->alert_seq[alert] > 0)
        tt_store_ack_alert (self->session, self->alert_seq[alert], t_ms);
    }
}

TtCaseRecorder *
tt_case_recorder_new (TtStore *store,
                      TtCase  *kase)
{
  TtCaseRecorder *self;

  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (TT_IS_CASE (kase), NULL);

  self = g_object_new (TT_TYPE_CASE_RECORDER, NULL);
  self->store = g_object_ref (store);
  self->kase = g_object_ref (kase);
  g_signal_group_set_target (self->case_signals, kase);
  begin (self);
  return self;
}

TtStore *
tt_case_recorder_get_store (TtCaseRecorder *self)
{
  g_return_val_if_fail (TT_IS_CASE_RECORDER (self), NULL);

  return self->store;
}

void
tt_case_recorder_set_monitor (TtCaseRecorder *self,
                              TtMonitor      *monitor)
{
  g_return_if_fail (TT_IS_CASE_RECORDER (self));
  g_return_if_fail (monitor == NULL || TT_IS_MONITOR (monitor));

  if (g_set_object (&self->monitor, monitor))
    g_signal_group_set_target (self->monitor_signals, monitor);
}

gint64
tt_case_recorder_get_session_id (TtCaseRecorder *self)
{
  g_return_val_if_fail (TT_IS_CASE_RECORDER (self), 0);

  return self->session != NULL ? tt_store_session_get_id (self->session) : 0;
}

const char *
tt_case_recorder_get_error (TtCaseRecorder *self)
{
  g_return_val_if_fail (TT_IS_CASE_RECORDER (self), NULL);

  return self->error;
}

static void
tt_case_recorder_dispose (GObject *object)
{
  TtCaseRecorder *self = TT_CASE_RECORDER (object);

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->session, tt_store_session_unref);
  g_clear_object (&self->kase);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tt_case_recorder_parent_class)->dispose (object);
}

static void
tt_case_recorder_finalize (GObject *object)
{
  TtCaseRecorder *self = TT_CASE_RECORDER (object);

  g_free (self->error);

  G_OBJECT_CLASS (tt_case_recorder_parent_class)->finalize (object);
}

static void
tt_case_recorder_class_init (TtCaseRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tt_case_recorder_dispose;
  object_class->finalize = tt_case_recorder_finalize;
}

static void
tt_case_recorder_init (TtCaseRecorder *self)
{
  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "log", G_CALLBACK (log_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "event-added", G_CALLBACK (event_cb),
                                  self);
  self->monitor_signals = g_signal_group_new (TT_TYPE_MONITOR);
  g_signal_group_connect_swapped (self->monitor_signals, "sample", G_CALLBACK (sample_cb), self);
}
