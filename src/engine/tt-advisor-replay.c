/* tt-advisor-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-advisor-replay.h"
#include "tt-monitor.h"

/* Rates closer than this are the same rate (the advisor's resolution is 0.01 µg/kg/min). */
#define SAME_RATE 1e-6

typedef enum {
  ACTION_INDUCTION,
  ACTION_RATE,
  ACTION_BOLUS,
} ActionKind;

typedef struct {
  gint64      t_ms;
  ActionKind  kind;
  double      value;        /* µg/kg/min or µg */
  guint       order;        /* insertion order, to keep equal times stable */
  /* Filled by the run. */
  double      rate_before;
  gboolean    counts;       /* a decision: a real change the case accepted */
  gboolean    consumed;     /* answered an advised decision */
} Action;

typedef struct {
  TtSignalState signal;
  gboolean      has_advice;
  TtAdvice      advice;
} Step;

struct _TtAdvisorReplay
{
  TtCase    *kase;
  TtMonitor *monitor;
  GArray    *actions;       /* of Action */
  GArray    *steps;         /* of Step, in time order */
  GArray    *decisions;     /* of TtReplayDecision */
  GString   *warnings;
  gint64     induction_ms;
  gboolean   ran;
};

static void
step_clear (gpointer data)
{
  Step *step = data;

  if (step->has_advice)
    tt_advice_clear (&step->advice);
}

static void
decision_clear (gpointer data)
{
  TtReplayDecision *decision = data;

  g_clear_pointer (&decision->advice_title, g_free);
  g_clear_pointer (&decision->advice_reason, g_free);
}

static gboolean
is_actionable (TtAdviceKind kind)
{
  return kind == TT_ADVICE_INCREASE || kind == TT_ADVICE_DECREASE ||
         kind == TT_ADVICE_STOP || kind == TT_ADVICE_RESCUE_BOLUS;
}

TtAdvisorReplay *
tt_advisor_replay_new (const TtCaseSetup  *setup,
                       GError            **error)
{
  g_autoptr(TtCaseSetup) confirmed = NULL;
  g_autoptr(TtCase) kase = NULL;
  TtAdvisorReplay *self;

  g_return_val_if_fail (setup != NULL, NULL);

  confirmed = tt_case_setup_copy (setup);
  confirmed->confirmed = TRUE;
  kase = tt_case_new (TRUE, _("advisor replay"), 0);
  if (!tt_case_set_setup (kase, confirmed, 0, error))
    return NULL;

  self = g_new0 (TtAdvisorReplay, 1);
  self->kase = g_steal_pointer (&kase);
  self->actions = g_array_new (FALSE, TRUE, sizeof (Action));
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, step_clear);
  self->decisions = g_array_new (FALSE, TRUE, sizeof (TtReplayDecision));
  g_array_set_clear_func (self->decisions, decision_clear);
  self->warnings = g_string_new (NULL);
  self->induction_ms = -1;
  return self;
}

void
tt_advisor_replay_free (TtAdvisorReplay *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->monitor);
  g_clear_object (&self->kase);
  g_array_unref (self->actions);
  g_array_unref (self->steps);
  g_array_unref (self->decisions);
  g_string_free (self->warnings, TRUE);
  g_free (self);
}

static void
add_action (TtAdvisorReplay *self,
            gint64           t_ms,
            ActionKind       kind,
            double           value)
{
  Action action = { .t_ms = t_ms, .kind = kind, .value = value, .order = self->actions->len,
                    .rate_before = NAN };

  g_return_if_fail (!self->ran);
  g_array_append_val (self->actions, action);
}

void
tt_advisor_replay_add_induction (TtAdvisorReplay *self,
                                 gint64           t_ms)
{
  g_return_if_fail (self != NULL);
  add_action (self, t_ms, ACTION_INDUCTION, NAN);
}

void
tt_advisor_replay_add_rate (TtAdvisorReplay *self,
                            gint64           t_ms,
                            double           rate_ug_kg_min)
{
  g_return_if_fail (self != NULL);
  add_action (self, t_ms, ACTION_RATE, rate_ug_kg_min);
}

void
tt_advisor_replay_add_bolus (TtAdvisorReplay *self,
                             gint64           t_ms,
                             double           dose_ug)
{
  g_return_if_fail (self != NULL);
  add_action (self, t_ms, ACTION_BOLUS, dose_ug);
}

static int
compare_actions (gconstpointer a,
                 gconstpointer b)
{
  const Action *x = a;
  const Action *y = b;

  if (x->t_ms != y->t_ms)
    return x->t_ms < y->t_ms ? -1 : 1;
  /* Induction first at equal times: the infusion starts with it. */
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void
step_cb (TtMonitor           *monitor,
         const TtSignalState *state,
         TtAdvisorReplay     *self)
{
  TtCaseState case_state = tt_case_get_state (self->kase);
  const TtAdvice *advice = tt_monitor_get_advice (monitor);
  Step step = { .signal = *state };

  if (advice != NULL &&
      (case_state == TT_CASE_STATE_INDUCTION || case_state == TT_CASE_STATE_MAINTENANCE))
    {
      tt_advice_copy (advice, &step.advice);
      step.has_advice = TRUE;
    }
  g_array_append_val (self->steps, step);
}

static void
warn (TtAdvisorReplay *self,
      gint64           t_ms,
      const GError    *error)
{
  g_autofree char *when = tt_dose_format_duration (t_ms);

  if (self->warnings->len > 0)
    g_string_append_c (self->warnings, '\n');
  /* Translators: "at 12 min 4 s: Rate: 1.5 µg/kg/min is above the hard maximum …". */
  g_string_append_printf (self->warnings, _("at %s: %s"), when, error->message);
}

static void
apply (TtAdvisorReplay *self,
       Action          *action)
{
  gint64 t = MAX (action->t_ms, tt_case_get_now_ms (self->kase));
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  tt_monitor_advance (self->monitor, t);
  action->rate_before = tt_case_get_rate (self->kase);
  switch (action->kind)
    {
    case ACTION_INDUCTION:
      if (self->induction_ms < 0)
        {
          ok = tt_case_start_induction (self->kase, t, &error);
          if (ok)
            self->induction_ms = t;
        }
      break;
    case ACTION_RATE:
      if (fabs (action->value - action->rate_before) < SAME_RATE)
        break;
      ok = tt_case_set_rate (self->kase, action->value, TRUE, t, &error);
      action->counts = ok;
      break;
    case ACTION_BOLUS:
      ok = tt_case_give_bolus (self->kase, action->value, TRUE, t, &error);
      action->counts = ok;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    warn (self, action->t_ms, error);
}

static guint
step_index_at (TtAdvisorReplay *self,
               gint64           t_ms,
               gboolean        *found)
{
  guint lo = 0, hi = self->steps->len;

  /* The first step starting after t_ms; the one before it holds t_ms. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->steps, Step, mid).signal.t_ms <= t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo > 0;
  return lo > 0 ? lo - 1 : 0;
}

static const Step *
step_at (TtAdvisorReplay *self,
         gint64           t_ms)
{
  gboolean found;
  guint i = step_index_at (self, t_ms, &found);

  return found ? &g_array_index (self->steps, Step, i) : NULL;
}

static void
fill_advice (TtReplayDecision *decision,
             const Step       *step)
{
  if (step != NULL && step->has_advice)
    {
      decision->advice_kind = step->advice.kind;
      decision->advice_rate = step->advice.rate;
      decision->advice_ml_h = step->advice.ml_h;
      decision->advice_bolus_ug = step->advice.bolus ? step->advice.bolus_ug : 0;
      decision->advice_title = g_strdup (step->advice.title);
      decision->advice_reason = g_strdup (step->advice.sentence);
    }
  else
    {
      decision->advice_kind = TT_ADVICE_NO_ADVICE;
      decision->advice_rate = NAN;
      decision->advice_ml_h = NAN;
      decision->advice_title = g_strdup ("–");
      decision->advice_reason = g_strdup (_("The advisor runs from the start of induction."));
    }
}

static gboolean
follows (const TtAdvice *advice,
         const Action   *action)
{
  switch (advice->kind)
    {
    case TT_ADVICE_INCREASE:
      return action->kind == ACTION_RATE && action->value > action->rate_before + SAME_RATE;
    case TT_ADVICE_DECREASE:
      return action->kind == ACTION_RATE && action->value < action->rate_before - SAME_RATE;
    case TT_ADVICE_STOP:
      return action->kind == ACTION_RATE && action->value < SAME_RATE;
    case TT_ADVICE_RESCUE_BOLUS:
      return action->kind == ACTION_BOLUS;
    case TT_ADVICE_HOLD:
    case TT_ADVICE_NO_ADVICE:
    case TT_N_ADVICE_KINDS:
    default:
      return FALSE;
    }
}

static void
set_done (TtReplayDecision *decision,
          Action           *action)
{
  action->consumed = TRUE;
  if (decision->done_t_ms < 0)
    decision->done_t_ms = action->t_ms;
  if (action->kind == ACTION_RATE)
    decision->done_rate = action->value;
  else
    decision->done_bolus_ug += action->value;
}

/* One advised decision: steps @first … @last advise the same change; actions up to @until answer
 * it. */
static void
judge (TtAdvisorReplay *self,
       guint            first,
       guint            last,
       gint64           until)
{
  const Step *start = &g_array_index (self->steps, Step, first);
  gint64 t0 = start->signal.t_ms;
  TtReplayDecision decision = { 0 };
  Action *other = NULL;

  fill_advice (&decision, start);
  decision.t_ms = t0;
  decision.end_ms = g_array_index (self->steps, Step, last).signal.t_ms;
  decision.rate_before = start->advice.current_rate;
  decision.done_t_ms = -1;
  decision.done_rate = NAN;
  decision.match = TT_REPLAY_NOT_DONE;

  for (guint i = 0; i < self->actions->len; i++)
    {
      Action *action = &g_array_index (self->actions, Action, i);

      if (!action->counts || action->consumed || action->t_ms < t0 || action->t_ms >= until)
        continue;
      if (follows (&start->advice, action))
        {
          set_done (&decision, action);
          decision.match = TT_REPLAY_AGREED;
          break;
        }
      if (other == NULL)
        other = action;
    }
  /* A rescue bolus that also raised the rate is answered by the bolus and the increase. */
  if (decision.match == TT_REPLAY_AGREED && start->advice.kind == TT_ADVICE_RESCUE_BOLUS &&
      start->advice.change > SAME_RATE)
    for (guint i = 0; i < self->actions->len; i++)
      {
        Action *action = &g_array_index (self->actions, Action, i);

        if (action->counts && !action->consumed && action->t_ms >= t0 && action->t_ms < until &&
            action->kind == ACTION_RATE && action->value > action->rate_before + SAME_RATE)
          {
            set_done (&decision, action);
            break;
          }
      }
  if (decision.match != TT_REPLAY_AGREED && other != NULL)
    {
      set_done (&decision, other);
      decision.match = TT_REPLAY_OTHER;
    }
  g_array_append_val (self->decisions, decision);
}

static int
compare_decisions (gconstpointer a,
                   gconstpointer b)
{
  const TtReplayDecision *x = a;
  const TtReplayDecision *y = b;

  return x->t_ms < y->t_ms ? -1 : x->t_ms > y->t_ms;
}

static void
compare (TtAdvisorReplay *self)
{
  guint n = self->steps->len;

  for (guint i = 0; i < n;)
    {
      const Step *step = &g_array_index (self->steps, Step, i);
      guint j = i;
      gint64 until;

      if (!step->has_advice || !is_actionable (step->advice.kind))
        {
          i++;
          continue;
        }
      while (j + 1 < n && g_array_index (self->steps, Step, j + 1).has_advice &&
             g_array_index (self->steps, Step, j + 1).advice.kind == step->advice.kind)
        j++;
      until = g_array_index (self->steps, Step, j).signal.t_ms + TT_ADVISOR_REPLAY_RESPONSE_MS;
      /* The next advised change starts a decision of its own. */
      for (guint k = j + 1; k < n; k++)
        {
          const Step *next = &g_array_index (self->steps, Step, k);

          if (next->signal.t_ms >= until)
            break;
          if (next->has_advice && is_actionable (next->advice.kind))
            {
              until = next->signal.t_ms;
              break;
            }
        }
      judge (self, i, j, until);
      i = j + 1;
    }

  for (guint i = 0; i < self->actions->len; i++)
    {
      Action *action = &g_array_index (self->actions, Action, i);
      TtReplayDecision decision = { 0 };

      if (!action->counts || action->consumed)
        continue;
      /* What the advisor said when the clinician acted: the step before the action. */
      fill_advice (&decision, step_at (self, action->t_ms - 1));
      decision.t_ms = action->t_ms;
      decision.end_ms = action->t_ms;
      decision.rate_before = action->rate_before;
      decision.done_t_ms = -1;
      decision.done_rate = NAN;
      set_done (&decision, action);
      decision.match = TT_REPLAY_UNADVISED;
      g_array_append_val (self->decisions, decision);
    }
  g_array_sort (self->decisions, compare_decisions);
}

gboolean
tt_advisor_replay_run (TtAdvisorReplay  *self,
                       const TtSample   *samples,
                       gsize             n_samples,
                       GError          **error)
{
  guint next = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (samples != NULL || n_samples == 0, FALSE);
  g_return_val_if_fail (!self->ran, FALSE);

  self->ran = TRUE;
  /* The checklist was done (or overridden) when the case ran; the replay starts ready. */
  if (!tt_case_override_checklist (self->kase, _("Replay of a recorded case"), 0, error))
    return FALSE;
  self->monitor = tt_monitor_new (self->kase, error);
  if (self->monitor == NULL)
    return FALSE;
  g_signal_connect (self->monitor, "step", G_CALLBACK (step_cb), self);

  g_array_sort (self->actions, compare_actions);
  for (gsize i = 0; i < n_samples; i++)
    {
      while (next < self->actions->len &&
             g_array_index (self->actions, Action, next).t_ms <= samples[i].t_ms)
        apply (self, &g_array_index (self->actions, Action, next++));
      tt_monitor_push (self->monitor, &samples[i], 1);
    }
  while (next < self->actions->len)
    apply (self, &g_array_index (self->actions, Action, next++));
  if (n_samples > 0)
    tt_monitor_advance (self->monitor, samples[n_samples - 1].t_ms + tt_monitor_get_grid_ms (self->monitor));

  compare (self);
  return TRUE;
}

gint64
tt_advisor_replay_get_induction (TtAdvisorReplay *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->induction_ms;
}

guint
tt_advisor_replay_get_n_steps (TtAdvisorReplay *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->steps->len;
}

const TtAdvice *
tt_advisor_replay_advice_at (TtAdvisorReplay *self,
                             gint64           t_ms)
{
  const Step *step;

  g_return_val_if_fail (self != NULL, NULL);

  step = step_at (self, t_ms);
  return step != NULL && step->has_advice ? &step->advice : NULL;
}

const TtSignalState *
tt_advisor_replay_signal_at (TtAdvisorReplay *self,
                             gint64           t_ms)
{
  const Step *step;

  g_return_val_if_fail (self != NULL, NULL);

  step = step_at (self, t_ms);
  return step != NULL ? &step->signal : NULL;
}

GArray *
tt_advisor_replay_get_decisions (TtAdvisorReplay *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->decisions;
}

guint
tt_advisor_replay_count (TtAdvisorReplay *self,
                         TtReplayMatch    match)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->decisions->len; i++)
    n += g_array_index (self->decisions, TtReplayDecision, i).match == match;
  return n;
}

const char *
tt_advisor_replay_get_warnings (TtAdvisorReplay *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->warnings->len > 0 ? self->warnings->str : NULL;
}

const char *
tt_replay_match_to_string (TtReplayMatch match)
{
  static const char *names[] = { "agreed", "other", "not-done", "unadvised" };

  g_return_val_if_fail (match < TT_N_REPLAY_MATCHES, NULL);
  return names[match];
}

const char *
tt_replay_match_describe (TtReplayMatch match)
{
  g_return_val_if_fail (match < TT_N_REPLAY_MATCHES, NULL);

  switch (match)
    {
    case TT_REPLAY_AGREED:
      return _("Done as advised");
    case TT_REPLAY_OTHER:
      return _("Something else was done");
    case TT_REPLAY_NOT_DONE:
      return _("Advised, not done");
    case TT_REPLAY_UNADVISED:
      return _("Done without advice");
    case TT_N_REPLAY_MATCHES:
    default:
      g_assert_not_reached ();
    }
}
