/* tt-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-case-chart.h"
#include "tt-monitor.h"
#include "tt-patient-feed.h"
#include "tt-replay-feed.h"
#include "tt-session.h"

struct _TtSession
{
  GObject              parent_instance;

  /* owned */
  TtCase              *kase;
  TtFeed              *feed;
  GSimpleActionGroup  *actions;
  TtCaseSetup         *defaults;
  TtMonitor           *monitor;
  TtCaseChart         *case_chart;
  TtCaseLog           *case_log;
  GArray              *shifted;          /* of TtSample: a resumed case's feed, on its clock */
  guint                advance_id;
  gint64               origin_us;
  gint64               feed_offset_ms;
  gboolean             store_given;
};

G_DEFINE_FINAL_TYPE (TtSession, tt_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CASE,
  PROP_FEED,
  PROP_MONITOR,
  N_PROPS
};

/* How often the monitor's clock moves on without samples, so that a silent feed turns stale. */
#define ADVANCE_INTERVAL_MS 1000

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gint64
tt_session_now_ms (TtSession *self)
{
  gint64 own;

  g_return_val_if_fail (TT_IS_SESSION (self), 0);

  own = (g_get_monotonic_time () - self->origin_us) / 1000;
  return MAX (own, tt_case_get_now_ms (self->kase));
}

TtCase *
tt_session_get_case (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return self->kase;
}

TtFeed *
tt_session_get_feed (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return self->feed;
}

TtMonitor *
tt_session_get_monitor (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return self->monitor;
}

void
tt_session_set_store (TtSession *self,
                      TtStore   *store)
{
  g_return_if_fail (TT_IS_SESSION (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));
  g_return_if_fail (!self->store_given);

  self->store_given = TRUE;
  tt_case_log_set_store (self->case_log, store);
}

gboolean
tt_session_has_store (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), FALSE);
  return self->store_given;
}

TtCaseLog *
tt_session_get_case_log (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return self->case_log;
}

TtChart *
tt_session_get_chart (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return tt_case_chart_get_chart (self->case_chart);
}

static void
samples_cb (TtSession      *self,
            const TtSample *samples,
            guint           n_samples)
{
  if (self->monitor == NULL)
    return;
  /* A resumed case's feed starts its own clock at 0: its samples go on from the resume. */
  if (self->feed_offset_ms != 0)
    {
      g_array_set_size (self->shifted, 0);
      g_array_append_vals (self->shifted, samples, n_samples);
      for (guint i = 0; i < n_samples; i++)
        g_array_index (self->shifted, TtSample, i).t_ms += self->feed_offset_ms;
      samples = (const TtSample *) (gpointer) self->shifted->data;
    }
  tt_monitor_push (self->monitor, samples, n_samples);
}

/* The log refused the case (its setup cannot be stored): the case goes on, unrecorded. */
static void
case_log_error_cb (TtSession *self)
{
  const GError *error = tt_case_log_get_error (self->case_log);
  g_autofree char *message = NULL;

  if (error == NULL)
    return;
  /* Translators: the reason follows, e.g. "…: Session setup: weight …". */
  message = g_strdup_printf (_("This case is not being recorded: %s"), error->message);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
}

static TtStoreMode
mode_for (TtCase *kase,
          TtFeed *feed)
{
  if (TT_IS_REPLAY_FEED (feed))
    return TT_STORE_MODE_REPLAY;
  if (feed != NULL ? tt_feed_get_training (feed) : tt_case_get_training (kase))
    return TT_STORE_MODE_TRAINING;
  return TT_STORE_MODE_LIVE;
}

static void
set_case_log (TtSession *self,
              TtCaseLog *case_log)
{
  if (self->case_log != NULL)
    g_signal_handlers_disconnect_by_data (self->case_log, self);
  g_set_object (&self->case_log, case_log);
  if (case_log != NULL)
    {
      tt_case_log_set_monitor (case_log, self->monitor);
      g_signal_connect_object (case_log, "notify::error", G_CALLBACK (case_log_error_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static gboolean
advance_cb (gpointer user_data)
{
  TtSession *self = user_data;

  if (self->monitor != NULL)
    tt_monitor_advance (self->monitor, tt_session_now_ms (self));
  return G_SOURCE_CONTINUE;
}

/* The monitor reads the band and the infusion from the setup: a new setup, a new monitor. */
static void
setup_changed_cb (TtSession *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->monitor);
  if (tt_case_get_setup (self->kase) != NULL)
    {
      self->monitor = tt_monitor_new (self->kase, &error);
      if (self->monitor == NULL)
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
    }
  tt_case_chart_set_monitor (self->case_chart, self->monitor);
  if (self->case_log != NULL)
    tt_case_log_set_monitor (self->case_log, self->monitor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

const TtCaseSetup *
tt_session_get_setup_defaults (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return self->defaults;
}

void
tt_session_set_setup_defaults (TtSession         *self,
                               const TtCaseSetup *defaults)
{
  g_return_if_fail (TT_IS_SESSION (self));

  g_clear_pointer (&self->defaults, tt_case_setup_free);
  if (defaults != NULL)
    self->defaults = tt_case_setup_copy (defaults);
}

/* The virtual patient receives what the case records as given. */
static void
event_added_cb (TtSession         *self,
                const TtCaseEvent *event)
{
  TtPatientFeed *patient = TT_PATIENT_FEED (self->feed);

  switch (event->kind)
    {
    case TT_CASE_EVENT_INDUCTION:
      tt_patient_feed_start_induction (patient);
      break;
    case TT_CASE_EVENT_RATE:
      tt_patient_feed_set_rate (patient, event->value);
      break;
    case TT_CASE_EVENT_BOLUS:
      tt_patient_feed_give_bolus (patient, event->value);
      break;
    case TT_CASE_EVENT_END:
      tt_patient_feed_set_rate (patient, 0);
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

GActionGroup *
tt_session_get_actions (TtSession *self)
{
  g_return_val_if_fail (TT_IS_SESSION (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/* Reports what the case refused; returns whether it went through. */
static gboolean
report (TtSession *self,
        gboolean   ok,
        GError    *error)
{
  if (!ok && error != NULL)
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
  g_clear_error (&error);
  return ok;
}

static void
toggle_item_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TtSession *self = user_data;
  TtChecklistId id;
  GError *error = NULL;
  gboolean ok;

  if (!tt_checklist_id_from_string (g_variant_get_string (parameter, NULL), &id))
    {
      g_warning ("case.toggle-item: unknown checklist item “%s”",
                 g_variant_get_string (parameter, NULL));
      return;
    }
  if (tt_checklist_item_get_done (tt_case_get_checklist_item (self->kase, id)))
    ok = tt_case_untick_item (self->kase, id, tt_session_now_ms (self), &error);
  else
    ok = tt_case_tick_item (self->kase, id, tt_session_now_ms (self), &error);
  report (self, ok, error);
}

static void
override_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_override_checklist (self->kase, g_variant_get_string (parameter, NULL),
                                            tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
start_induction_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_start_induction (self->kase, tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
edit_setup_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_edit_setup (self->kase, tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
event_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  TtSession *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  static const TtCaseEventKind allowed[] = {
    TT_CASE_EVENT_INTUBATION, TT_CASE_EVENT_INCISION, TT_CASE_EVENT_POSITION,
  };
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (g_str_equal (name, tt_case_event_kind_to_string (allowed[i])))
      {
        report (self, tt_case_add_event (self->kase, allowed[i], NULL, tt_session_now_ms (self),
                                         &error), error);
        return;
      }
  g_warning ("case.event: unknown event “%s”", name);
}

static void
note_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_add_event (self->kase, TT_CASE_EVENT_NOTE,
                                   g_variant_get_string (parameter, NULL),
                                   tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
bolus_given_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TtSession *self = user_data;
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);
  GError *error = NULL;
  gboolean ok;

  /* The bolus drawn at the checklist, which the setup already checked. */
  ok = tt_case_give_bolus (self->kase, setup->bolus_ug, TRUE, tt_session_now_ms (self), &error);
  report (self, ok, error);
}

static void
end_cb (GSimpleAction *action,
        GVariant      *parameter,
        gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_end (self->kase, tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
acknowledge_alert_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  TtSession *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  GError *error = NULL;

  for (TtAlertKind kind = 0; kind < TT_N_ALERT_KINDS; kind++)
    if (g_str_equal (name, tt_alert_kind_to_string (kind)))
      {
        report (self, tt_case_acknowledge_alert (self->kase, kind, tt_session_now_ms (self),
                                                 &error), error);
        return;
      }
  g_warning ("case.acknowledge-alert: unknown alert “%s”", name);
}

static void
accept_advice_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_accept_advice (self->kase, tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
change_advice_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  double rate;
  gboolean confirmed;
  gboolean ok;

  /* The rate the clinician set on the pump, and whether they confirmed what the 10-fold guard
   * flagged (the page asks first, then sends TRUE). */
  g_variant_get (parameter, "(db)", &rate, &confirmed);
  ok = tt_case_change_advice (self->kase, rate, confirmed, tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static void
decline_advice_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TtSession *self = user_data;
  GError *error = NULL;
  gboolean ok = tt_case_decline_advice (self->kase, g_variant_get_string (parameter, NULL),
                                        tt_session_now_ms (self), &error);

  report (self, ok, error);
}

static const GActionEntry case_actions[] = {
  { "toggle-item", toggle_item_cb, "s" },
  { "override", override_cb, "s" },
  { "start-induction", start_induction_cb },
  { "edit-setup", edit_setup_cb },
  { "event", event_cb, "s" },
  { "note", note_cb, "s" },
  { "bolus-given", bolus_given_cb },
  { "end", end_cb },
  { "acknowledge-alert", acknowledge_alert_cb, "s" },
  { "accept-advice", accept_advice_cb },
  { "change-advice", change_advice_cb, "(db)" },
  { "decline-advice", decline_advice_cb, "s" },
};

static void
set_enabled (TtSession  *self,
             const char *name,
             gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The actions follow the case's state, so that buttons naming them are insensitive exactly when
 * the case would refuse. */
static void
update_actions (TtSession *self)
{
  TtCaseState state = tt_case_get_state (self->kase);
  gboolean checklist = state == TT_CASE_STATE_CHECKLIST || state == TT_CASE_STATE_READY;
  gboolean running = state == TT_CASE_STATE_INDUCTION || state == TT_CASE_STATE_MAINTENANCE;
  gboolean open = state >= TT_CASE_STATE_CHECKLIST && state <= TT_CASE_STATE_MAINTENANCE;
  gboolean advice = running && tt_case_get_advice (self->kase) != NULL;

  set_enabled (self, "toggle-item", checklist);
  set_enabled (self, "override", state == TT_CASE_STATE_CHECKLIST);
  set_enabled (self, "start-induction", state == TT_CASE_STATE_READY);
  set_enabled (self, "edit-setup", checklist);
  set_enabled (self, "event", open);
  set_enabled (self, "note", open);
  set_enabled (self, "bolus-given", state >= TT_CASE_STATE_READY && open);
  set_enabled (self, "end", state != TT_CASE_STATE_ENDED);
  set_enabled (self, "acknowledge-alert",
               g_list_model_get_n_items (tt_case_get_alerts (self->kase)) > 0);
  set_enabled (self, "accept-advice", advice);
  set_enabled (self, "change-advice", advice);
  set_enabled (self, "decline-advice", advice);
}

static void
case_changed_cb (TtSession *self)
{
  update_actions (self);
}

TtSession *
tt_session_new (TtCase *kase,
                TtFeed *feed)
{
  g_return_val_if_fail (TT_IS_CASE (kase), NULL);
  g_return_val_if_fail (feed == NULL || TT_IS_FEED (feed), NULL);

  return g_object_new (TT_TYPE_SESSION, "case", kase, "feed", feed, NULL);
}

TtSession *
tt_session_new_resumed (TtCase             *kase,
                        TtFeed             *feed,
                        TtStore            *store,
                        TtStoreSession     *store_session,
                        const TtStoreCase  *logged,
                        gint64              resume_ms,
                        gint64              feed_from_ms,
                        GError            **error)
{
  g_autoptr(TtSession) self = NULL;
  g_autoptr(TtCaseLog) case_log = NULL;
  const GArray *history;

  g_return_val_if_fail (TT_IS_CASE (kase), NULL);
  g_return_val_if_fail (tt_case_get_state (kase) == TT_CASE_STATE_INTERRUPTED, NULL);
  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (store_session != NULL && logged != NULL, NULL);

  resume_ms = MAX (resume_ms, tt_case_get_now_ms (kase));
  self = tt_session_new (kase, feed);
  self->origin_us = g_get_monotonic_time () - resume_ms * 1000;
  self->feed_offset_ms = resume_ms - feed_from_ms;
  /* The logged samples are in the log already: the trend and the metrics take them again while
   * the case, still interrupted, ignores them. */
  set_case_log (self, NULL);
  history = logged->recording->samples;
  if (self->monitor != NULL && history->len > 0)
    tt_monitor_push (self->monitor, (const TtSample *) (gpointer) history->data, history->len);
  case_log = tt_case_log_new_resumed (kase, store, store_session, logged);
  set_case_log (self, case_log);
  self->store_given = TRUE;
  if (!tt_case_resume (kase, resume_ms, error))
    return NULL;
  tt_store_set_feed_offset (store_session, self->feed_offset_ms);
  /* A new virtual patient gets the drug the case records as running; a restored one has it. */
  if (TT_IS_PATIENT_FEED (feed) && feed_from_ms == 0 && tt_case_get_t0_ms (kase) >= 0)
    {
      tt_patient_feed_start_induction (TT_PATIENT_FEED (feed));
      tt_patient_feed_set_rate (TT_PATIENT_FEED (feed), tt_case_get_rate (kase));
    }
  return g_steal_pointer (&self);
}

static void
tt_session_constructed (GObject *object)
{
  TtSession *self = TT_SESSION (object);

  G_OBJECT_CLASS (tt_session_parent_class)->constructed (object);

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), case_actions,
                                   G_N_ELEMENTS (case_actions), self);
  g_signal_connect_object (self->kase, "notify::state", G_CALLBACK (case_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kase, "notify::advice", G_CALLBACK (case_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tt_case_get_alerts (self->kase), "items-changed",
                           G_CALLBACK (case_changed_cb), self, G_CONNECT_SWAPPED);
  if (TT_IS_PATIENT_FEED (self->feed))
    g_signal_connect_object (self->kase, "event-added", G_CALLBACK (event_added_cb), self,
                             G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kase, "notify::setup", G_CALLBACK (setup_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->feed != NULL)
    g_signal_connect_object (self->feed, "samples", G_CALLBACK (samples_cb), self,
                             G_CONNECT_SWAPPED);
  self->advance_id = g_timeout_add (ADVANCE_INTERVAL_MS, advance_cb, self);
  /* A case that has its setup already (a rebuilt one) gets its pipeline at once. */
  if (tt_case_get_setup (self->kase) != NULL)
    setup_changed_cb (self);
  {
    g_autoptr(TtCaseLog) case_log = tt_case_log_new (self->kase,
                                                     mode_for (self->kase, self->feed));

    set_case_log (self, case_log);
  }
  update_actions (self);
}

static void
tt_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TtSession *self = TT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_FEED:
      g_value_set_object (value, self->feed);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TtSession *self = TT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CASE:
      self->kase = g_value_dup_object (value);
      break;
    case PROP_FEED:
      self->feed = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_session_dispose (GObject *object)
{
  TtSession *self = TT_SESSION (object);

  g_clear_handle_id (&self->advance_id, g_source_remove);
  if (self->feed != NULL)
    tt_feed_stop (self->feed);
  g_clear_object (&self->case_chart);
  set_case_log (self, NULL);
  g_clear_object (&self->monitor);
  g_clear_object (&self->feed);
  g_clear_object (&self->kase);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->defaults, tt_case_setup_free);

  G_OBJECT_CLASS (tt_session_parent_class)->dispose (object);
}

static void
tt_session_finalize (GObject *object)
{
  TtSession *self = TT_SESSION (object);

  g_array_unref (self->shifted);

  G_OBJECT_CLASS (tt_session_parent_class)->finalize (object);
}

static void
tt_session_class_init (TtSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tt_session_constructed;
  object_class->finalize = tt_session_finalize;
  object_class->get_property = tt_session_get_property;
  object_class->set_property = tt_session_set_property;
  object_class->dispose = tt_session_dispose;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, TT_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEED] =
    g_param_spec_object ("feed", NULL, NULL, TT_TYPE_FEED,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, TT_TYPE_MONITOR,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tt_session_init (TtSession *self)
{
  self->actions = g_simple_action_group_new ();
  self->case_chart = tt_case_chart_new ();
  self->shifted = g_array_new (FALSE, FALSE, sizeof (TtSample));
  self->origin_us = g_get_monotonic_time ();
}
