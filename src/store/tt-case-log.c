/* tt-case-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tt-case-log.h"
#include "tt-store-review.h"

/* Entries that arrive before the store is open wait in memory; a case normally starts long after
 * the log has opened, so these bounds are only reached when opening hangs. */
#define WAIT_MAX_SAMPLES TT_STORE_BACKLOG_MAX_SAMPLES
#define WAIT_MAX_ENTRIES 100000

typedef struct {
  gint64         t_ms;
  char          *kind;
  GVariant      *details;
  /* "setup": the case's setup at that moment, as the store keeps it. */
  gboolean       has_setup;
  TtStoreSetup   setup;
  /* "advice": the advisor's own words for it (kind, reason code, limits), when known. */
  char          *advice_kind;
  char          *advice_reason_code;
  char          *advice_limits;
} Entry;

struct _TtCaseLog
{
  GObject          parent_instance;

  /* owned */
  TtCase          *kase;
  TtStore         *store;
  TtMonitor       *monitor;
  TtStoreSession  *session;
  GError          *error;
  GPtrArray       *waiting;          /* of Entry, until the store is set */
  GArray          *waiting_samples;  /* of TtSample, likewise */
  GArray          *advice_seqs;      /* of guint: the store's seq by the case's advice id */
  GHashTable      *alert_seqs;       /* alert kind → the store's seq of the active alert */
  GArray          *waiting_inputs;   /* of TtTrainingInput, until the session begins */
  char            *patient;          /* the session's origin (tt_case_log_set_patient/recording) */
  gint64           patient_seed;
  char            *patient_title;
  char            *source_path;
  gint64           source_size;
  gint64           source_mtime_us;

  TtStoreMode      mode;
  gboolean         store_set;
  gboolean         ended;
  guint64          dropped_samples;
  gulong           log_handler;
  gulong           sample_handler;
  /* The advice just answered: the rate change and bolus the answer causes refer to it. */
  guint            answer_seq;
  gint64           answer_t_ms;
  gboolean         answer_accepted;
};

G_DEFINE_FINAL_TYPE (TtCaseLog, tt_case_log, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->kind);
  g_clear_pointer (&e->details, g_variant_unref);
  if (e->has_setup)
    tt_store_setup_clear (&e->setup);
  g_free (e->advice_kind);
  g_free (e->advice_reason_code);
  g_free (e->advice_limits);
  g_free (e);
}

/* Reading an entry's details */

static const char *
lookup_string (const Entry *e,
               const char  *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (e->details, key, "&s", &value))
    return NULL;
  return value;
}

static double
lookup_double (const Entry *e,
               const char  *key)
{
  double value;

  if (!g_variant_lookup (e->details, key, "d", &value))
    return NAN;
  return value;
}

static guint
lookup_uint (const Entry *e,
             const char  *key)
{
  guint value;

  if (!g_variant_lookup (e->details, key, "u", &value))
    return 0;
  return value;
}

/* The setup as the store keeps it. */
static void
store_setup_from_case (TtCaseLog    *self,
                       TtStoreSetup *out)
{
  const TtCaseSetup *s = tt_case_get_setup (self->kase);
  TtLimits limits;

  tt_store_setup_init (out);
  tt_case_setup_get_limits (s, &limits);
  out->label = g_strdup (s->label);
  out->mode = self->mode;
  out->start_unix_ms = tt_case_get_start_unix_ms (self->kase);
  out->weight_kg = s->weight_kg;
  out->baseline_map = s->baseline_map;
  out->band_low = s->target_lo;
  out->band_high = s->target_hi;
  out->critical_map = tt_case_setup_critical_map (s);
  out->concentration_ug_ml = s->concentration;
  out->line_type = g_strdup (s->line == TT_LINE_CENTRAL ? "central" : "peripheral");
  out->start_rate = s->start_rate;
  out->bolus_dose_ug = s->bolus_ug;
  out->rate_soft_max = limits.rate_soft_max;
  out->rate_hard_max = limits.rate_hard_max;
  out->bolus_soft_max_ug = limits.bolus_soft_max;
  out->bolus_hard_max_ug = limits.bolus_hard_max;
  out->source = g_strdup (tt_case_get_source (self->kase));
  out->syringe_ml = s->syringe_ml;
  out->dead_space_ml = s->dead_space_ml;
  out->patient = g_strdup (self->patient);
  out->patient_seed = self->patient_seed;
  out->patient_title = g_strdup (self->patient_title);
  out->source_path = g_strdup (self->source_path);
  out->source_size = self->source_size;
  out->source_mtime_us = self->source_mtime_us;
}

/* The mapping, one function per kind */

static void
set_error (TtCaseLog *self,
           GError    *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
write_waiting_samples (TtCaseLog *self)
{
  if (self->session != NULL && !self->ended && self->waiting_samples->len > 0)
    tt_store_add_samples (self->session, (const TtSample *) (gpointer) self->waiting_samples->data,
                          self->waiting_samples->len);
  g_array_set_size (self->waiting_samples, 0);
}

/* The first setup begins the session with its snapshot; a later one (back from the checklist)
 * replaces the snapshot and leaves an event, so the timeline shows that it changed. */
static void
write_setup (TtCaseLog   *self,
             const Entry *e)
{
  GError *error = NULL;

  if (!e->has_setup)
    return;
  if (self->session == NULL)
    {
      self->session = tt_store_begin_session (self->store, &e->setup, &error);
      if (self->session == NULL)
        set_error (self, error);
      else if (self->error != NULL)
        set_error (self, NULL);
      if (self->session != NULL)
        for (guint i = 0; i < self->waiting_inputs->len; i++)
          tt_store_add_training_input (self->session,
                                       &g_array_index (self->waiting_inputs, TtTrainingInput, i));
      g_array_set_size (self->waiting_inputs, 0);
      return;
    }
  if (!tt_store_update_setup (self->session, &e->setup, &error))
    {
      set_error (self, error);
      return;
    }
  {
    const TtStoreSetup *s = &e->setup;
    char v[9][G_ASCII_DTOSTR_BUF_SIZE];
    const double values[9] = {
      s->weight_kg, s->baseline_map, s->band_low, s->band_high, s->concentration_ug_ml,
      s->start_rate, s->bolus_dose_ug, s->syringe_ml, s->dead_space_ml,
    };
    g_autofree char *text = NULL;

    /* The log is read by programs too: its numbers keep the C locale's decimal point. */
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      g_ascii_formatd (v[i], sizeof v[i], "%g", values[i]);
    text = g_strdup_printf ("weight %s kg; baseline %s mmHg; band %s–%s mmHg; %s µg/mL %s line; "
                            "start %s µg/kg/min; bolus %s µg; syringe %s mL; dead space %s mL",
                            v[0], v[1], v[2], v[3], v[4], s->line_type, v[5], v[6], v[7], v[8]);
    tt_store_add_event (self->session, e->t_ms, "setup", text);
  }
}

/* States other than the end are not rows of their own: checklist → ready follows from the
 * checklist rows, induction is its event, maintenance is induction + 15 min, interrupted is the
 * store's own finding. The end ends the session, after the alerts still active are cleared. */
static void
write_state (TtCaseLog   *self,
             const Entry *e)
{
  GHashTableIter iter;
  gpointer seq;

  if (g_strcmp0 (lookup_string (e, "to"), tt_case_state_to_string (TT_CASE_STATE_ENDED)) != 0 ||
      self->ended)
    return;
  g_hash_table_iter_init (&iter, self->alert_seqs);
  while (g_hash_table_iter_next (&iter, NULL, &seq))
    tt_store_clear_alert (self->session, GPOINTER_TO_UINT (seq), e->t_ms);
  g_hash_table_remove_all (self->alert_seqs);
  write_waiting_samples (self);
  tt_store_end_session (self->session, e->t_ms);
  self->ended = TRUE;
}

static void
write_checklist_tick (TtCaseLog   *self,
                      const Entry *e)
{
  const char *item = lookup_string (e, "item");

  if (item != NULL)
    tt_store_add_checklist (self->session, e->t_ms, item, NULL);
}

/* The checklist table holds what was confirmed; taking a tick back is an event: "ITEM" or
 * "ITEM: why" (tt_case_log_rebuild() reads it back). */
static void
write_checklist_untick (TtCaseLog   *self,
                        const Entry *e)
{
  const char *item = lookup_string (e, "item");
  const char *why = lookup_string (e, "why");
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = why != NULL ? g_strdup_printf ("%s: %s", item, why) : g_strdup (item);
  tt_store_add_event (self->session, e->t_ms, "checklist-untick", text);
}

/* Every item still open is logged with the reason it was skipped. */
static void
write_checklist_override (TtCaseLog   *self,
                          const Entry *e)
{
  const char *reason = lookup_string (e, "reason");

  if (reason == NULL || *reason == '\0')
    return;
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    {
      const char *item = tt_checklist_id_to_string (id);

      if (lookup_string (e, item) != NULL)
        tt_store_add_checklist (self->session, e->t_ms, item, reason);
    }
}

/* Events keep the case's kind and text. A bolus is also a row of its own (with the advice it
 * answered); a rate change is only the "rate" entry's row. */
static void
write_event (TtCaseLog   *self,
             const Entry *e)
{
  const char *kind = lookup_string (e, "event");
  const char *text = lookup_string (e, "text");

  if (kind == NULL)
    return;
  if (g_str_equal (kind, tt_case_event_kind_to_string (TT_CASE_EVENT_RATE)))
    return;
  if (g_str_equal (kind, tt_case_event_kind_to_string (TT_CASE_EVENT_BOLUS)))
    {
      double dose = lookup_double (e, "value");

      if (isfinite (dose))
        tt_store_add_bolus (self->session, e->t_ms, dose,
                            self->answer_accepted ? self->answer_seq : 0);
    }
  tt_store_add_event (self->session, e->t_ms, kind, text);
}

static void
write_rate (TtCaseLog   *self,
            const Entry *e)
{
  double rate = lookup_double (e, "rate_ug_kg_min");
  double mlh = lookup_double (e, "mlh");
  const char *answer = lookup_string (e, "answer");
  gboolean answered = answer != NULL &&
                      !g_str_equal (answer, tt_answer_to_string (TT_ANSWER_NONE));

  if (isfinite (rate) && isfinite (mlh))
    tt_store_add_rate_change (self->session, e->t_ms, rate, mlh,
                              answered ? self->answer_seq : 0);
}

static void
write_advice (TtCaseLog   *self,
              const Entry *e)
{
  guint id = lookup_uint (e, "advice");
  double bolus = lookup_double (e, "bolus_ug");
  TtStoreAdvice advice = {
    .t_ms = e->t_ms,
    .reason_code = e->advice_reason_code,
    .reason_text = (char *) lookup_string (e, "reason"),
    .rate_ug_kg_min = lookup_double (e, "rate_ug_kg_min"),
    .rate_ml_h = lookup_double (e, "mlh"),
    .bolus_ug = bolus,
    .limits = e->advice_limits,
  };
  guint seq;

  advice.kind = e->advice_kind;
  seq = tt_store_add_advice (self->session, &advice);
  if (id >= self->advice_seqs->len)
    g_array_set_size (self->advice_seqs, id + 1);
  g_array_index (self->advice_seqs, guint, id) = seq;
}

static void
write_answer (TtCaseLog   *self,
              const Entry *e)
{
  guint id = lookup_uint (e, "advice");
  guint seq = id < self->advice_seqs->len ? g_array_index (self->advice_seqs, guint, id) : 0;
  const char *answer = lookup_string (e, "answer");
  TtStoreAnswer code;

  if (seq == 0 || answer == NULL)
    return;
  if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_ACCEPTED)))
    code = TT_STORE_ANSWER_ACCEPTED;
  else if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_CHANGED)))
    code = TT_STORE_ANSWER_CHANGED;
  else if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_DECLINED)))
    code = TT_STORE_ANSWER_DECLINED;
  else
    return;
  /* The rate actually set is stored for a change only; an accepted advice's rate is the one
   * advised. */
  tt_store_answer_advice (self->session, seq, code, e->t_ms,
                          code == TT_STORE_ANSWER_CHANGED ? lookup_double (e, "rate_ug_kg_min")
                                                          : NAN,
                          code == TT_STORE_ANSWER_CHANGED ? lookup_double (e, "mlh") : NAN,
                          code == TT_STORE_ANSWER_DECLINED ? lookup_string (e, "reason") : NULL);
  self->answer_seq = seq;
  self->answer_t_ms = e->t_ms;
  self->answer_accepted = code == TT_STORE_ANSWER_ACCEPTED;
}

static void
write_alert_raised (TtCaseLog   *self,
                    const Entry *e)
{
  const char *kind = lookup_string (e, "alert");
  const char *priority = lookup_string (e, "priority");
  guint seq;

  if (kind == NULL || priority == NULL)
    return;
  seq = tt_store_add_alert (self->session, e->t_ms, priority, kind, lookup_string (e, "text"));
  if (seq > 0)
    g_hash_table_insert (self->alert_seqs, g_strdup (kind), GUINT_TO_POINTER (seq));
}

static void
write_alert_acknowledged (TtCaseLog   *self,
                          const Entry *e)
{
  const char *kind = lookup_string (e, "alert");
  guint seq = kind != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->alert_seqs, kind)) : 0;

  if (seq > 0)
    tt_store_ack_alert (self->session, seq, e->t_ms);
}

static void
write_alert_cleared (TtCaseLog   *self,
                     const Entry *e)
{
  const char *kind = lookup_string (e, "alert");
  guint seq = kind != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->alert_seqs, kind)) : 0;

  if (seq == 0)
    return;
  tt_store_clear_alert (self->session, seq, e->t_ms);
  g_hash_table_remove (self->alert_seqs, kind);
}

typedef void (*WriteFunc) (TtCaseLog   *self,
                           const Entry *e);

static const struct {
  const char *kind;
  WriteFunc   write;
} mapping[] = {
  { "setup", write_setup },
  { "state", write_state },
  { "checklist-tick", write_checklist_tick },
  { "checklist-untick", write_checklist_untick },
  { "checklist-override", write_checklist_override },
  { "event", write_event },
  { "rate", write_rate },
  { "advice", write_advice },
  { "answer", write_answer },
  { "alert-raised", write_alert_raised },
  { "alert-acknowledged", write_alert_acknowledged },
  { "alert-cleared", write_alert_cleared },
};

static WriteFunc
find_write (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (mapping); i++)
    if (g_strcmp0 (mapping[i].kind, kind) == 0)
      return mapping[i].write;
  return NULL;
}

gboolean
tt_case_log_handles_kind (const char *kind)
{
  return find_write (kind) != NULL;
}

const char * const *
tt_case_log_get_kinds (void)
{
  static const char *kinds[G_N_ELEMENTS (mapping) + 1];

  if (kinds[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (mapping); i++)
      kinds[i] = mapping[i].kind;
  return kinds;
}

/* Whether @e is what an answer just did: its bolus or its rate change, at the answer's time. */
static gboolean
follows_answer (TtCaseLog   *self,
                const Entry *e)
{
  if (self->answer_seq == 0 || e->t_ms != self->answer_t_ms)
    return FALSE;
  if (g_str_equal (e->kind, "rate"))
    return TRUE;
  return g_str_equal (e->kind, "event") &&
         g_strcmp0 (lookup_string (e, "event"),
                    tt_case_event_kind_to_string (TT_CASE_EVENT_BOLUS)) == 0;
}

static void
write_entry (TtCaseLog   *self,
             const Entry *e)
{
  WriteFunc write = find_write (e->kind);

  if (!follows_answer (self, e))
    self->answer_seq = 0;
  if (self->store == NULL || (self->session == NULL && write != write_setup))
    return;
  if (self->ended)
    return;
  if (write != NULL)
    write (self, e);
  else
    {
      /* A kind this code does not know yet: kept, never lost. */
      g_autofree char *kind = g_strconcat ("log:", e->kind, NULL);
      g_autofree char *text = g_variant_print (e->details, FALSE);

      tt_store_add_event (self->session, e->t_ms, kind, text);
    }
}

/* Listening */

static void
log_cb (TtCase     *kase,
        gint64      t_ms,
        const char *kind,
        GVariant   *details,
        TtCaseLog  *self)
{
  Entry *e = g_new0 (Entry, 1);

  e->t_ms = t_ms;
  e->kind = g_strdup (kind);
  e->details = g_variant_ref (details);
  /* What the entry refers to is read now: the case and the advisor move on. */
  if (g_str_equal (kind, "setup") && tt_case_get_setup (kase) != NULL)
    {
      e->has_setup = TRUE;
      store_setup_from_case (self, &e->setup);
    }
  if (g_str_equal (kind, "advice") && self->monitor != NULL)
    {
      const TtAdvice *advice = tt_monitor_get_pending (self->monitor);

      if (advice != NULL)
        {
          e->advice_kind = g_strdup (tt_advice_kind_to_string (advice->kind));
          e->advice_reason_code = g_strdup (tt_advice_reason_to_string (advice->reason));
          e->advice_limits = advice->limits != TT_LIMIT_NONE
                             ? tt_limit_flags_to_string (advice->limits) : NULL;
        }
    }
  if (g_str_equal (kind, "advice") && e->advice_kind == NULL)
    {
      /* Without the advisor's own words (an advice set on the case directly), the kind is what
       * the advice asks for against the rate running now. */
      double rate = lookup_double (e, "rate_ug_kg_min");
      double now = tt_case_get_rate (kase);
      TtAdviceKind advice_kind = TT_ADVICE_HOLD;

      if (isfinite (lookup_double (e, "bolus_ug")))
        advice_kind = TT_ADVICE_RESCUE_BOLUS;
      else if (isfinite (rate) && rate == 0)
        advice_kind = TT_ADVICE_STOP;
      else if (isfinite (rate) && rate > now)
        advice_kind = TT_ADVICE_INCREASE;
      else if (isfinite (rate) && rate < now)
        advice_kind = TT_ADVICE_DECREASE;
      e->advice_kind = g_strdup (tt_advice_kind_to_string (advice_kind));
    }

  if (!self->store_set)
    {
      if (self->waiting->len < WAIT_MAX_ENTRIES)
        g_ptr_array_add (self->waiting, g_steal_pointer (&e));
      else
        entry_free (e);
      return;
    }
  write_entry (self, e);
  entry_free (e);
}

static void
sample_cb (TtMonitor      *monitor,
           const TtSample *sample,
           TtCaseLog      *self)
{
  if (self->ended)
    return;
  if (self->session != NULL)
    tt_store_add_samples (self->session, sample, 1);
  else if (!self->store_set)
    {
      if (self->waiting_samples->len < WAIT_MAX_SAMPLES)
        g_array_append_vals (self->waiting_samples, sample, 1);
      else
        self->dropped_samples++;
    }
}

TtCaseLog *
tt_case_log_new (TtCase      *kase,
                 TtStoreMode  mode)
{
  TtCaseLog *self;

  g_return_val_if_fail (TT_IS_CASE (kase), NULL);

  self = g_object_new (TT_TYPE_CASE_LOG, NULL);
  self->kase = g_object_ref (kase);
  self->mode = mode;
  self->log_handler = g_signal_connect (kase, "log", G_CALLBACK (log_cb), self);
  return self;
}

TtCaseLog *
tt_case_log_new_resumed (TtCase            *kase,
                         TtStore           *store,
                         TtStoreSession    *session,
                         const TtStoreCase *logged)
{
  TtCaseLog *self;
  GListModel *alerts;
  gint64 now;

  g_return_val_if_fail (TT_IS_CASE (kase), NULL);
  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (logged != NULL && logged->info != NULL, NULL);

  self = tt_case_log_new (kase, logged->info->setup.mode);
  self->store = g_object_ref (store);
  self->store_set = TRUE;
  self->session = tt_store_session_ref (session);
  now = tt_case_get_now_ms (kase);

  /* tt_case_log_rebuild() replays every advice in order, so the case's ids are the log's seqs. */
  for (guint i = 0; i < logged->advice->len; i++)
    {
      guint seq = g_array_index (logged->advice, TtStoreAdvice, i).seq;

      if (seq >= self->advice_seqs->len)
        g_array_set_size (self->advice_seqs, seq + 1);
      g_array_index (self->advice_seqs, guint, seq) = seq;
    }

  /* The alerts the log has still active: followed when the case has them too, else over. */
  for (guint i = 0; i < logged->alerts->len; i++)
    {
      const TtStoreAlert *a = &g_array_index (logged->alerts, TtStoreAlert, i);

      if (a->cleared_t_ms >= 0 || a->kind == NULL)
        continue;
      if (g_hash_table_contains (self->alert_seqs, a->kind))
        tt_store_clear_alert (session, GPOINTER_TO_UINT (g_hash_table_lookup (self->alert_seqs,
                                                                               a->kind)), now);
      g_hash_table_insert (self->alert_seqs, g_strdup (a->kind), GUINT_TO_POINTER (a->seq));
    }
  {
    GHashTableIter iter;
    gpointer key, seq;

    g_hash_table_iter_init (&iter, self->alert_seqs);
    while (g_hash_table_iter_next (&iter, &key, &seq))
      {
        gboolean active = FALSE;

        for (TtAlertKind kind = 0; kind < TT_N_ALERT_KINDS; kind++)
          if (g_str_equal (key, tt_alert_kind_to_string (kind)))
            active = tt_case_find_alert (kase, kind) != NULL;
        if (!active)
          {
            tt_store_clear_alert (session, GPOINTER_TO_UINT (seq), now);
            g_hash_table_iter_remove (&iter);
          }
      }
  }
  alerts = tt_case_get_alerts (kase);
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(TtAlert) alert = g_list_model_get_item (alerts, i);
      const char *kind = tt_alert_kind_to_string (tt_alert_get_kind (alert));
      guint seq;

      if (g_hash_table_contains (self->alert_seqs, kind))
        continue;
      seq = tt_store_add_alert (session, now,
                                tt_alert_priority_to_string (tt_alert_get_priority (alert)),
                                kind, tt_alert_get_text (alert));
      g_hash_table_insert (self->alert_seqs, g_strdup (kind), GUINT_TO_POINTER (seq));
    }
  return self;
}

void
tt_case_log_set_patient (TtCaseLog             *self,
                         const TtPatientParams *params,
                         guint32                seed,
                         const char            *title)
{
  g_return_if_fail (TT_IS_CASE_LOG (self));
  g_return_if_fail (params != NULL);

  g_free (self->patient);
  self->patient = tt_patient_params_to_string (params);
  self->patient_seed = seed;
  g_free (self->patient_title);
  self->patient_title = g_strdup (title);
}

void
tt_case_log_set_recording (TtCaseLog  *self,
                           const char *path,
                           gint64      size,
                           gint64      mtime_us)
{
  g_return_if_fail (TT_IS_CASE_LOG (self));
  g_return_if_fail (path == NULL || g_path_is_absolute (path));

  g_free (self->source_path);
  self->source_path = g_strdup (path);
  self->source_size = size;
  self->source_mtime_us = mtime_us;
}

void
tt_case_log_add_training_input (TtCaseLog             *self,
                                const TtTrainingInput *input)
{
  g_return_if_fail (TT_IS_CASE_LOG (self));
  g_return_if_fail (input != NULL);

  if (self->ended || (self->store_set && self->store == NULL))
    return;
  if (self->session != NULL)
    tt_store_add_training_input (self->session, input);
  else if (self->waiting_inputs->len < WAIT_MAX_ENTRIES)
    g_array_append_val (self->waiting_inputs, *input);
}

void
tt_case_log_set_store (TtCaseLog *self,
                       TtStore   *store)
{
  g_return_if_fail (TT_IS_CASE_LOG (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));
  g_return_if_fail (!self->store_set);

  self->store_set = TRUE;
  g_set_object (&self->store, store);
  for (guint i = 0; i < self->waiting->len; i++)
    write_entry (self, g_ptr_array_index (self->waiting, i));
  g_ptr_array_set_size (self->waiting, 0);
  write_waiting_samples (self);
  if (self->dropped_samples > 0 && self->session != NULL && !self->ended)
    {
      g_autofree char *text =
        g_strdup_printf ("%" G_GUINT64_FORMAT " samples not logged: the session log was not "
                         "open yet", self->dropped_samples);

      tt_store_add_event (self->session, tt_case_get_now_ms (self->kase), "log-gap", text);
    }
  self->dropped_samples = 0;
}

TtStore *
tt_case_log_get_store (TtCaseLog *self)
{
  g_return_val_if_fail (TT_IS_CASE_LOG (self), NULL);
  return self->store;
}

void
tt_case_log_set_monitor (TtCaseLog *self,
                         TtMonitor *monitor)
{
  g_return_if_fail (TT_IS_CASE_LOG (self));
  g_return_if_fail (monitor == NULL || TT_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->sample_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    self->sample_handler = g_signal_connect (monitor, "sample", G_CALLBACK (sample_cb), self);
}

TtCase *
tt_case_log_get_case (TtCaseLog *self)
{
  g_return_val_if_fail (TT_IS_CASE_LOG (self), NULL);
  return self->kase;
}

TtStoreMode
tt_case_log_get_mode (TtCaseLog *self)
{
  g_return_val_if_fail (TT_IS_CASE_LOG (self), TT_STORE_MODE_LIVE);
  return self->mode;
}

TtStoreSession *
tt_case_log_get_session (TtCaseLog *self)
{
  g_return_val_if_fail (TT_IS_CASE_LOG (self), NULL);
  return self->session;
}

const GError *
tt_case_log_get_error (TtCaseLog *self)
{
  g_return_val_if_fail (TT_IS_CASE_LOG (self), NULL);
  return self->error;
}

/* Rebuilding a case from its log */

typedef enum {
  STEP_TICK,
  STEP_UNTICK,
  STEP_OVERRIDE,
  STEP_INDUCTION,
  STEP_ADVICE,
  STEP_ANSWER,
  STEP_RATE,
  STEP_BOLUS,
  STEP_EVENT,
  STEP_ACK,
} StepType;

typedef struct {
  gint64   t_ms;
  StepType type;
  guint    index;
} Step;

/* In time order; at the same time, in the order the case itself does things. */
static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *x = a;
  const Step *y = b;

  if (x->t_ms != y->t_ms)
    return x->t_ms < y->t_ms ? -1 : 1;
  if (x->type != y->type)
    return (int) x->type - (int) y->type;
  return (x->index > y->index) - (x->index < y->index);
}

static void
add_step (GArray   *steps,
          gint64    t_ms,
          StepType  type,
          guint     index)
{
  Step step = { t_ms, type, index };

  g_array_append_val (steps, step);
}

static gboolean
event_kind_from_string (const char      *name,
                        TtCaseEventKind *kind)
{
  for (TtCaseEventKind k = 0; k < TT_N_CASE_EVENTS; k++)
    if (g_strcmp0 (name, tt_case_event_kind_to_string (k)) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

static gboolean
alert_kind_from_string (const char  *name,
                        TtAlertKind *kind)
{
  for (TtAlertKind k = 0; k < TT_N_ALERT_KINDS; k++)
    if (g_strcmp0 (name, tt_alert_kind_to_string (k)) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

/* One logged step through the case's API. A step the case refuses (a log written by another
 * version, a row lost to a full disk) is skipped: the rest of the case still stands. */
static void
replay_step (TtCase            *kase,
             const TtStoreCase *c,
             const Step        *step,
             gint64             induction_ms)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (step->type)
    {
    case STEP_TICK:
      {
        const TtStoreChecklistItem *item = &g_array_index (c->checklist, TtStoreChecklistItem,
                                                           step->index);
        TtChecklistId id;

        if (tt_checklist_id_from_string (item->item, &id))
          ok = tt_case_tick_item (kase, id, step->t_ms, &error);
        break;
      }
    case STEP_OVERRIDE:
      {
        const TtStoreChecklistItem *item = &g_array_index (c->checklist, TtStoreChecklistItem,
                                                           step->index);

        if (tt_case_get_override_reason (kase) == NULL)
          ok = tt_case_override_checklist (kase, item->override_reason, step->t_ms, &error);
        break;
      }
    case STEP_UNTICK:
      {
        const TtRecordingEvent *event = &g_array_index (c->recording->events, TtRecordingEvent,
                                                        step->index);
        g_autofree char *name = g_strdup (event->text != NULL ? event->text : "");
        char *colon = strchr (name, ':');
        TtChecklistId id;

        if (colon != NULL)
          *colon = '\0';
        if (tt_checklist_id_from_string (name, &id))
          ok = tt_case_untick_item (kase, id, step->t_ms, &error);
        break;
      }
    case STEP_INDUCTION:
      ok = tt_case_start_induction (kase, step->t_ms, &error);
      break;
    case STEP_ADVICE:
      {
        const TtStoreAdvice *a = &g_array_index (c->advice, TtStoreAdvice, step->index);
        g_autoptr(TtCaseAdvice) advice =
          tt_case_advice_new (a->t_ms, a->rate_ug_kg_min, isfinite (a->bolus_ug) ? a->bolus_ug : 0,
                              a->kind, a->reason_text);

        tt_case_set_advice (kase, advice);
        break;
      }
    case STEP_ANSWER:
      {
        const TtStoreAdvice *a = &g_array_index (c->advice, TtStoreAdvice, step->index);
        const TtCaseAdvice *current = tt_case_get_advice (kase);

        if (current == NULL || current->id != a->seq)
          break;
        if (a->answer == TT_STORE_ANSWER_ACCEPTED)
          ok = tt_case_accept_advice (kase, step->t_ms, &error);
        else if (a->answer == TT_STORE_ANSWER_CHANGED)
          ok = tt_case_change_advice (kase, a->actual_rate_ug_kg_min, TRUE, step->t_ms, &error);
        else if (a->answer == TT_STORE_ANSWER_DECLINED)
          ok = tt_case_decline_advice (kase, a->decline_reason, step->t_ms, &error);
        break;
      }
    case STEP_RATE:
      {
        const TtStoreRateChange *r = &g_array_index (c->rate_changes, TtStoreRateChange,
                                                     step->index);

        /* The rate induction itself starts is already running. */
        if (step->t_ms == induction_ms && fabs (r->rate_ug_kg_min - tt_case_get_rate (kase)) < 1e-12)
          break;
        ok = tt_case_set_rate (kase, r->rate_ug_kg_min, TRUE, step->t_ms, &error);
        break;
      }
    case STEP_BOLUS:
      {
        const TtStoreBolus *b = &g_array_index (c->boluses, TtStoreBolus, step->index);

        ok = tt_case_give_bolus (kase, b->dose_ug, TRUE, step->t_ms, &error);
        break;
      }
    case STEP_EVENT:
      {
        const TtRecordingEvent *event = &g_array_index (c->recording->events, TtRecordingEvent,
                                                        step->index);
        TtCaseEventKind kind;

        if (!event_kind_from_string (event->kind, &kind))
          break;
        if (kind == TT_CASE_EVENT_SYRINGE)
          {
            /* The case wrote the volume for the screen ("52,5 mL" in a German session). */
            g_autofree char *number = g_strdup (event->text != NULL ? event->text : "0");
            double ml = g_ascii_strtod (g_strdelimit (number, ",", '.'), NULL);

            ok = tt_case_replace_syringe (kase, ml, step->t_ms, &error);
          }
        else
          ok = tt_case_add_event (kase, kind, event->text, step->t_ms, &error);
        break;
      }
    case STEP_ACK:
      {
        const TtStoreAlert *a = &g_array_index (c->alerts, TtStoreAlert, step->index);
        TtAlertKind kind;

        if (alert_kind_from_string (a->kind, &kind) && tt_case_find_alert (kase, kind) != NULL)
          ok = tt_case_acknowledge_alert (kase, kind, step->t_ms, &error);
        break;
      }
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    g_debug ("Rebuilding session %" G_GINT64_FORMAT ": a step at %" G_GINT64_FORMAT " ms was "
             "skipped: %s", c->info->id, step->t_ms, error->message);
}

TtCase *
tt_case_log_rebuild (const TtStoreCase  *c,
                     GError            **error)
{
  const TtStoreSessionInfo *info;
  g_autoptr(TtCaseSetup) setup = NULL;
  g_autoptr(TtCase) kase = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));
  gint64 induction_ms = -1;
  gint64 last_ms;

  g_return_val_if_fail (c != NULL && c->info != NULL, NULL);

  info = c->info;
  setup = tt_store_review_case_setup (&info->setup, error);
  if (setup == NULL)
    return NULL;
  setup->confirmed = TRUE;
  kase = tt_case_new (info->setup.mode != TT_STORE_MODE_LIVE, info->setup.source,
                      info->setup.start_unix_ms);
  if (!tt_case_set_setup (kase, setup, 0, error))
    {
      g_prefix_error (error, _("Session %" PRId64 " cannot be rebuilt: "), info->id);
      return NULL;
    }

  last_ms = MAX (info->last_t_ms, 0);
  for (guint i = 0; i < c->checklist->len; i++)
    {
      const TtStoreChecklistItem *item = &g_array_index (c->checklist, TtStoreChecklistItem, i);

      add_step (steps, item->t_ms, item->override_reason != NULL ? STEP_OVERRIDE : STEP_TICK, i);
    }
  for (guint i = 0; i < c->recording->events->len; i++)
    {
      const TtRecordingEvent *event = &g_array_index (c->recording->events, TtRecordingEvent, i);

      if (g_strcmp0 (event->kind, "checklist-untick") == 0)
        add_step (steps, event->t_ms, STEP_UNTICK, i);
      else if (g_strcmp0 (event->kind, tt_case_event_kind_to_string (TT_CASE_EVENT_INDUCTION)) == 0)
        {
          if (induction_ms < 0)
            induction_ms = event->t_ms;
          add_step (steps, event->t_ms, STEP_INDUCTION, i);
        }
      /* Boluses and rates replay from their own rows; the end does not exist in an interrupted
       * case; a changed setup is already the session's setup. */
      else if (g_strcmp0 (event->kind, "intubation") == 0 ||
               g_strcmp0 (event->kind, "incision") == 0 ||
               g_strcmp0 (event->kind, "position") == 0 ||
               g_strcmp0 (event->kind, "note") == 0 ||
               g_strcmp0 (event->kind, "syringe") == 0)
        add_step (steps, event->t_ms, STEP_EVENT, i);
      last_ms = MAX (last_ms, event->t_ms);
    }
  for (guint i = 0; i < c->advice->len; i++)
    {
      const TtStoreAdvice *a = &g_array_index (c->advice, TtStoreAdvice, i);

      add_step (steps, a->t_ms, STEP_ADVICE, i);
      if (a->answer != TT_STORE_ANSWER_PENDING && a->answer_t_ms >= 0)
        {
          add_step (steps, a->answer_t_ms, STEP_ANSWER, i);
          last_ms = MAX (last_ms, a->answer_t_ms);
        }
      last_ms = MAX (last_ms, a->t_ms);
    }
  /* What an answer set is replayed by the answer. */
  for (guint i = 0; i < c->rate_changes->len; i++)
    {
      const TtStoreRateChange *r = &g_array_index (c->rate_changes, TtStoreRateChange, i);

      if (r->advice_seq == 0)
        add_step (steps, r->t_ms, STEP_RATE, i);
      last_ms = MAX (last_ms, r->t_ms);
    }
  for (guint i = 0; i < c->boluses->len; i++)
    {
      const TtStoreBolus *b = &g_array_index (c->boluses, TtStoreBolus, i);

      if (b->advice_seq == 0)
        add_step (steps, b->t_ms, STEP_BOLUS, i);
      last_ms = MAX (last_ms, b->t_ms);
    }
  for (guint i = 0; i < c->alerts->len; i++)
    {
      const TtStoreAlert *a = &g_array_index (c->alerts, TtStoreAlert, i);

      if (a->ack_t_ms >= 0)
        {
          add_step (steps, a->ack_t_ms, STEP_ACK, i);
          last_ms = MAX (last_ms, a->ack_t_ms);
        }
      last_ms = MAX (last_ms, a->t_ms);
    }
  for (guint i = 0; i < c->checklist->len; i++)
    last_ms = MAX (last_ms, g_array_index (c->checklist, TtStoreChecklistItem, i).t_ms);

  g_array_sort (steps, compare_steps);
  for (guint i = 0; i < steps->len; i++)
    replay_step (kase, c, &g_array_index (steps, Step, i), induction_ms);

  /* An advice left unanswered was computed from a signal that is gone. */
  tt_case_set_advice (kase, NULL);
  tt_case_tick (kase, last_ms, NULL);
  tt_case_interrupt (kase);
  return g_steal_pointer (&kase);
}

/* GObject */

static void
tt_case_log_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtCaseLog *self = TT_CASE_LOG (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_case_log_dispose (GObject *object)
{
  TtCaseLog *self = TT_CASE_LOG (object);

  if (self->monitor != NULL)
    g_clear_signal_handler (&self->sample_handler, self->monitor);
  if (self->kase != NULL)
    g_clear_signal_handler (&self->log_handler, self->kase);
  g_clear_object (&self->monitor);
  g_clear_object (&self->kase);
  g_clear_pointer (&self->session, tt_store_session_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tt_case_log_parent_class)->dispose (object);
}

static void
tt_case_log_finalize (GObject *object)
{
  TtCaseLog *self = TT_CASE_LOG (object);

  g_clear_error (&self->error);
  g_ptr_array_unref (self->waiting);
  g_array_unref (self->waiting_samples);
  g_array_unref (self->advice_seqs);
  g_hash_table_unref (self->alert_seqs);
  g_array_unref (self->waiting_inputs);
  g_free (self->patient);
  g_free (self->patient_title);
  g_free (self->source_path);

  G_OBJECT_CLASS (tt_case_log_parent_class)->finalize (object);
}

static void
tt_case_log_class_init (TtCaseLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_case_log_get_property;
  object_class->dispose = tt_case_log_dispose;
  object_class->finalize = tt_case_log_finalize;

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_case_log_init (TtCaseLog *self)
{
  self->waiting = g_ptr_array_new_with_free_func (entry_free);
  self->waiting_samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  self->advice_seqs = g_array_new (FALSE, TRUE, sizeof (guint));
  self->alert_seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting_inputs = g_array_new (FALSE, FALSE, sizeof (TtTrainingInput));
  self->patient_seed = -1;
  self->source_size = -1;
  self->source_mtime_us = -1;
}
