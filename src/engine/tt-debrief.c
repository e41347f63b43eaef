/* tt-debrief.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tt-debrief.h"
#include "tt-grid.h"
#include "tt-quality.h"

struct _TtDebrief
{
  GObject           parent_instance;

  /* owned */
  TtCase           *kase;
  GArray           *decisions;     /* of TtDecision */
  TtDebriefOutcome  outcomes[TT_N_TRAINING_ACTORS];
  gboolean          has_outcome[TT_N_TRAINING_ACTORS];

  /* state: a bolus that is part of an accepted advice is not an own bolus */
  guint             answer_boluses;
  gulong            log_handler;
  gulong            advice_handler;
};

enum {
  PROP_0,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtDebrief, tt_debrief, G_TYPE_OBJECT)

void
tt_debrief_outcome_compute (const TtCaseSetup *setup,
                            const TtSample    *samples,
                            gsize              n_samples,
                            gint64             induction_ms,
                            gint64             end_ms,
                            TtDebriefOutcome  *out)
{
  g_autoptr(GArray) classified = g_array_sized_new (FALSE, FALSE, sizeof (TtSample), n_samples);
  g_autoptr(GArray) points = NULL;
  TtMetricsConfig config;

  g_return_if_fail (setup != NULL && out != NULL);
  g_return_if_fail (samples != NULL || n_samples == 0);

  memset (out, 0, sizeof *out);
  for (gsize i = 0; i < n_samples && samples[i].t_ms < end_ms; i++)
    g_array_append_val (classified, samples[i]);
  tt_quality_classify_array (classified);
  points = tt_grid_resample ((const TtSample *) (gpointer) classified->data, classified->len,
                             TT_GRID_DEFAULT_STEP_MS);

  /* As TtMonitor configures the live metrics of a case. */
  tt_metrics_config_init (&config);
  config.grid_ms = TT_GRID_DEFAULT_STEP_MS;
  config.band_lo = setup->target_lo;
  config.band_hi = setup->target_hi;
  config.baseline = setup->baseline_map;
  out->grid_ms = config.grid_ms;
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    out->has[w] = tt_metrics_compute (&config, (const TtGridPoint *) (gpointer) points->data,
                                      points->len, induction_ms, w, &out->metrics[w]);
}

static void
decision_clear (gpointer data)
{
  TtDecision *decision = data;

  g_free (decision->advice_summary);
  g_free (decision->advice_reason);
  g_free (decision->decline_reason);
}

static TtDecision *
find_advice (TtDebrief *self,
             guint      id)
{
  for (guint i = self->decisions->len; i > 0; i--)
    {
      TtDecision *d = &g_array_index (self->decisions, TtDecision, i - 1);

      if (d->kind == TT_DECISION_ADVICE && d->advice_id == id)
        return d;
    }
  return NULL;
}

/* The advice the case holds now goes with an own action. */
static void
add_own (TtDebrief      *self,
         TtDecisionKind  kind,
         gint64          t_ms,
         double          rate,
         double          bolus_ug)
{
  const TtCaseAdvice *advice = tt_case_get_advice (self->kase);
  TtDecision d = {
    .kind = kind,
    .t_ms = t_ms,
    .end_ms = t_ms,
    .advice_rate = NAN,
    .answer = TT_ANSWER_NONE,
    .done_rate = rate,
    .done_bolus_ug = bolus_ug,
  };

  if (advice != NULL)
    {
      d.advice_id = advice->id;
      d.advice_summary = g_strdup (advice->summary);
      d.advice_reason = g_strdup (advice->reason);
      d.advice_rate = advice->rate;
      d.advice_bolus_ug = advice->bolus_ug;
    }
  g_array_append_val (self->decisions, d);
}

static double
lookup_double (GVariant   *details,
               const char *key)
{
  double value;

  return g_variant_lookup (details, key, "d", &value) ? value : NAN;
}

static void
case_log_cb (TtCase     *kase,
             gint64      t_ms,
             const char *kind,
             GVariant   *details,
             TtDebrief  *self)
{
  guint id = 0;

  if (g_str_equal (kind, "advice") && g_variant_lookup (details, "advice", "u", &id))
    {
      double bolus = lookup_double (details, "bolus_ug");
      TtDecision d = {
        .kind = TT_DECISION_ADVICE,
        .t_ms = t_ms,
        .end_ms = -1,
        .advice_id = id,
        .advice_rate = lookup_double (details, "rate_ug_kg_min"),
        .advice_bolus_ug = isfinite (bolus) ? bolus : 0,
        .answer = TT_ANSWER_NONE,
        .done_rate = NAN,
      };

      /* An advice replaced by the next one was not answered. */
      for (guint i = 0; i < self->decisions->len; i++)
        {
          TtDecision *open = &g_array_index (self->decisions, TtDecision, i);

          if (open->kind == TT_DECISION_ADVICE && open->end_ms < 0)
            open->end_ms = t_ms;
        }
      g_variant_lookup (details, "summary", "s", &d.advice_summary);
      g_variant_lookup (details, "reason", "s", &d.advice_reason);
      g_array_append_val (self->decisions, d);
    }
  else if (g_str_equal (kind, "answer") && g_variant_lookup (details, "advice", "u", &id))
    {
      TtDecision *d = find_advice (self, id);
      const char *answer = NULL;

      if (d == NULL || !g_variant_lookup (details, "answer", "&s", &answer))
        return;
      d->end_ms = t_ms;
      if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_ACCEPTED)))
        {
          d->answer = TT_ANSWER_ACCEPTED;
          d->done_rate = d->advice_rate;
          d->done_bolus_ug = d->advice_bolus_ug;
          if (d->advice_bolus_ug > 0)
            self->answer_boluses++;
        }
      else if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_CHANGED)))
        {
          d->answer = TT_ANSWER_CHANGED;
          d->done_rate = lookup_double (details, "rate_ug_kg_min");
        }
      else if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_DECLINED)))
        {
          d->answer = TT_ANSWER_DECLINED;
          g_variant_lookup (details, "reason", "s", &d->decline_reason);
        }
    }
  else if (g_str_equal (kind, "rate"))
    {
      const char *answer = NULL;

      /* Rates set by an answer belong to the advice; the others are the trainee's own. */
      if (g_variant_lookup (details, "answer", "&s", &answer) &&
          g_str_equal (answer, tt_answer_to_string (TT_ANSWER_NONE)))
        add_own (self, TT_DECISION_RATE, t_ms, lookup_double (details, "rate_ug_kg_min"), 0);
    }
  else if (g_str_equal (kind, "event"))
    {
      const char *event = NULL;

      if (!g_variant_lookup (details, "event", "&s", &event) ||
          !g_str_equal (event, tt_case_event_kind_to_string (TT_CASE_EVENT_BOLUS)))
        return;
      if (self->answer_boluses > 0)
        self->answer_boluses--;
      else
        add_own (self, TT_DECISION_BOLUS, t_ms, NAN, lookup_double (details, "value"));
    }
}

/* An advice that leaves the case without an answer was withdrawn (the advisor changed its mind
 * or the signal turned bad). */
static void
case_advice_cb (TtCase     *kase,
                GParamSpec *pspec,
                TtDebrief  *self)
{
  if (tt_case_get_advice (kase) != NULL)
    return;
  for (guint i = 0; i < self->decisions->len; i++)
    {
      TtDecision *d = &g_array_index (self->decisions, TtDecision, i);

      if (d->kind == TT_DECISION_ADVICE && d->end_ms < 0)
        d->end_ms = tt_case_get_now_ms (kase);
    }
}

TtDebrief *
tt_debrief_new (TtCase *kase)
{
  TtDebrief *self;

  g_return_val_if_fail (TT_IS_CASE (kase), NULL);

  self = g_object_new (TT_TYPE_DEBRIEF, NULL);
  self->kase = g_object_ref (kase);
  self->log_handler = g_signal_connect (kase, "log", G_CALLBACK (case_log_cb), self);
  self->advice_handler = g_signal_connect (kase, "notify::advice", G_CALLBACK (case_advice_cb),
                                           self);
  return self;
}

TtCase *
tt_debrief_get_case (TtDebrief *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF (self), NULL);
  return self->kase;
}

GArray *
tt_debrief_get_decisions (TtDebrief *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF (self), NULL);
  return self->decisions;
}

guint
tt_debrief_count_answers (TtDebrief *self,
                          TtAnswer   answer)
{
  guint n = 0;

  g_return_val_if_fail (TT_IS_DEBRIEF (self), 0);

  for (guint i = 0; i < self->decisions->len; i++)
    {
      const TtDecision *d = &g_array_index (self->decisions, TtDecision, i);

      n += d->kind == TT_DECISION_ADVICE && d->answer == answer;
    }
  return n;
}

guint
tt_debrief_count_own (TtDebrief      *self,
                      TtDecisionKind  kind)
{
  guint n = 0;

  g_return_val_if_fail (TT_IS_DEBRIEF (self), 0);
  g_return_val_if_fail (kind != TT_DECISION_ADVICE, 0);

  for (guint i = 0; i < self->decisions->len; i++)
    n += g_array_index (self->decisions, TtDecision, i).kind == kind;
  return n;
}

void
tt_debrief_set_outcome (TtDebrief              *self,
                        TtTrainingActor         actor,
                        const TtDebriefOutcome *outcome)
{
  gboolean was_complete;

  g_return_if_fail (TT_IS_DEBRIEF (self));
  g_return_if_fail (actor < TT_N_TRAINING_ACTORS);
  g_return_if_fail (outcome != NULL);

  was_complete = tt_debrief_get_complete (self);
  self->outcomes[actor] = *outcome;
  self->has_outcome[actor] = TRUE;
  if (!was_complete && tt_debrief_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const TtDebriefOutcome *
tt_debrief_get_outcome (TtDebrief       *self,
                        TtTrainingActor  actor)
{
  g_return_val_if_fail (TT_IS_DEBRIEF (self), NULL);
  g_return_val_if_fail (actor < TT_N_TRAINING_ACTORS, NULL);

  return self->has_outcome[actor] ? &self->outcomes[actor] : NULL;
}

gboolean
tt_debrief_get_complete (TtDebrief *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF (self), FALSE);

  for (guint i = 0; i < TT_N_TRAINING_ACTORS; i++)
    if (!self->has_outcome[i])
      return FALSE;
  return TRUE;
}

static void
tt_debrief_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TtDebrief *self = TT_DEBRIEF (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, tt_debrief_get_complete (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_debrief_dispose (GObject *object)
{
  TtDebrief *self = TT_DEBRIEF (object);

  if (self->kase != NULL)
    {
      g_clear_signal_handler (&self->log_handler, self->kase);
      g_clear_signal_handler (&self->advice_handler, self->kase);
    }
  g_clear_object (&self->kase);

  G_OBJECT_CLASS (tt_debrief_parent_class)->dispose (object);
}

static void
tt_debrief_finalize (GObject *object)
{
  TtDebrief *self = TT_DEBRIEF (object);

  g_clear_pointer (&self->decisions, g_array_unref);

  G_OBJECT_CLASS (tt_debrief_parent_class)->finalize (object);
}

static void
tt_debrief_class_init (TtDebriefClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_debrief_get_property;
  object_class->dispose = tt_debrief_dispose;
  object_class->finalize = tt_debrief_finalize;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_debrief_init (TtDebrief *self)
{
  self->decisions = g_array_new (FALSE, FALSE, sizeof (TtDecision));
  g_array_set_clear_func (self->decisions, decision_clear);
}
