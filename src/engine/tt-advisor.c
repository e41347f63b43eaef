/* tt-advisor.c
 *
 * The advisor is a short ladder of rules, each one a sentence a clinician can check. It aims at
 * the middle of the band: the band's middle part (the middle ± a quarter of the band's width [est],
 * 81–91 mmHg in a band of 76–96) is where it holds.
 *
 *   1. No advice from an untrustworthy signal or an invalid setup.
 *   2. MAP below the critical threshold: rescue bolus (unless locked out) and an increase, even
 *      within the usual re-evaluation interval (a shorter one applies).
 *   3. MAP above the middle part for long enough (2 min: not for the intubation's rise) and not
 *      predicted back in it within 2 min: decrease; above the band down to a stop, in the band
 *      not below the soft minimum.
 *   4. MAP below the middle part and not predicted back in it within 2 min, or predicted below
 *      the band: increase, unless the drug has not reached the patient yet (an unprimed line),
 *      the last change has not acted yet (NE's time course), the rate is at the soft maximum, or,
 *      in the band, MAP was above the band less than 2 min ago (the descent after intubation is
 *      not a fall). A stopped infusion is restarted only below the band or falling out of it.
 *   5. Otherwise hold.
 *   A fall fast enough to reach the critical threshold within a minute adds a rescue bolus.
 *
 * Steps are proportional to the distance between the middle part and the lower (for an increase)
 * or higher (for a decrease) of MAP and its prediction, in multiples of the smallest step, and
 * capped. Each rule only ever raises the rate more when MAP is lower, and the rules meet at the
 * same thresholds, which is what makes the advice monotonic in MAP (a property the tests check).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-advisor.h"

#define EPS 1e-9
#define MS_PER_MIN 60000.0

G_DEFINE_QUARK (tt-advisor-error-quark, tt_advisor_error)

void
tt_advisor_params_init (TtAdvisorParams *params,
                        TtLineType       line)
{
  g_return_if_fail (params != NULL);

  *params = (TtAdvisorParams) {
    .reeval_ms = 120000,
    .band_reeval_ms = 240000,
    .critical_reeval_ms = 60000,
    .bolus_lockout_ms = 120000,
    .above_band_hold_ms = 120000,
    .above_band_hysteresis = 3,
    .hold_fraction = 0.25,
    .line_delay_warn_ms = 120000,
    .hold_review_ms = 30000,
    .step_min = 0.01,
    .step_max = 0.02,
    .critical_step_max = 0.04,
    .gain = 0.002,
    .horizon_min = 1,
    .slope_clamp = 10,
    .coming_back = 2,
    .fast_fall = 5,
    .fast_fall_horizon_min = 1,
    .critical_offset = 10,
    .critical_floor = 50,
  };
  tt_limits_init (&params->limits, line);
}

static gboolean
params_error (GError     **error,
              const char  *what,
              char        *value,
              const char  *rule)
{
  g_autofree char *owned = value;

  /* Translators: e.g. "Advisor parameter max step = 0.10 µg/kg/min: must be …". */
  g_set_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_PARAMS,
               _("Advisor parameter %s = %s: %s"), what, owned, rule);
  return FALSE;
}

static char *
format_ms (gint64 ms)
{
  return tt_dose_format_duration (ms);
}

static char *
format_mmhg (double value)
{
  g_autofree char *number = tt_dose_format_number (value, 0, 0);

  return g_strdup_printf (_("%s mmHg"), number);
}

static char *
format_slope (double value)
{
  g_autofree char *number = tt_dose_format_number (value, 0, 0);

  return g_strdup_printf (_("%s mmHg/min"), number);
}

gboolean
tt_advisor_params_validate (const TtAdvisorParams  *p,
                            GError                **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  if (!tt_limits_validate (&p->limits, error))
    return FALSE;
  /* CLINICAL.md §2: re-evaluate no sooner than every 1–2 min. */
  if (!(p->reeval_ms >= 60000 && p->reeval_ms <= 600000))
    return params_error (error, _("re-evaluation interval"), format_ms (p->reeval_ms),
                         _("must be 1–10 min"));
  if (!(p->band_reeval_ms >= p->reeval_ms && p->band_reeval_ms <= 600000))
    return params_error (error, _("re-evaluation interval in the band"),
                         format_ms (p->band_reeval_ms),
                         _("must be at least the re-evaluation interval and at most 10 min"));
  if (!(p->critical_reeval_ms >= 30000 && p->critical_reeval_ms <= p->reeval_ms))
    return params_error (error, _("critical re-evaluation interval"),
                         format_ms (p->critical_reeval_ms),
                         _("must be at least 30 s and at most the re-evaluation interval"));
  if (!(p->bolus_lockout_ms >= 60000 && p->bolus_lockout_ms <= 600000))
    return params_error (error, _("bolus lockout"), format_ms (p->bolus_lockout_ms),
                         _("must be 1–10 min"));
  if (!(p->above_band_hold_ms >= 0 && p->above_band_hold_ms <= 600000))
    return params_error (error, _("time above the band before reducing"),
                         format_ms (p->above_band_hold_ms), _("must be 0–10 min"));
  if (!(p->above_band_hysteresis >= 0 && p->above_band_hysteresis <= TT_BAND_WIDTH_MIN))
    return params_error (error, _("hysteresis above the band"),
                         format_mmhg (p->above_band_hysteresis), _("must be 0–10 mmHg"));
  if (!(p->hold_fraction >= 0 && p->hold_fraction <= 0.5))
    return params_error (error, _("middle part of the band"),
                         tt_dose_format_number (p->hold_fraction, 0, 2),
                         _("must be 0–0.5 of the band's width on each side of the middle"));
  if (!(p->line_delay_warn_ms >= 0))
    return params_error (error, _("line delay warning"), format_ms (p->line_delay_warn_ms),
                         _("must be at least 0 s"));
  if (!(p->hold_review_ms >= 1000 && p->hold_review_ms <= 600000))
    return params_error (error, _("review interval of a hold"), format_ms (p->hold_review_ms),
                         _("must be 1 s–10 min"));
  if (!(p->step_min >= 0.001 && p->step_min <= p->step_max))
    return params_error (error, _("smallest step"), tt_dose_format_rate (p->step_min),
                         _("must be at least 0.001 µg/kg/min and at most the largest step"));
  if (!(p->step_max <= p->limits.step_abs + EPS))
    return params_error (error, _("largest step"), tt_dose_format_rate (p->step_max),
                         _("must be at most the step limit"));
  if (!(p->critical_step_max >= p->step_max && p->critical_step_max <= p->limits.step_abs + EPS))
    return params_error (error, _("largest critical step"),
                         tt_dose_format_rate (p->critical_step_max),
                         _("must be between the largest step and the step limit"));
  if (!(p->gain > 0 && p->gain <= 0.1))
    return params_error (error, _("gain"), tt_dose_format_number (p->gain, 1, 4),
                         _("must be above 0 and at most 0.1 µg/kg/min per mmHg"));
  if (!(p->horizon_min >= 0 && p->horizon_min <= 10 && p->fast_fall_horizon_min >= 0 &&
        p->fast_fall_horizon_min <= 10))
    return params_error (error, _("prediction horizon"),
                         tt_dose_format_number (p->horizon_min, 0, 1),
                         _("must be 0–10 min"));
  if (!(p->slope_clamp > 0 && p->slope_clamp <= 60 && p->fast_fall > 0 && p->coming_back >= 0 &&
        p->coming_back <= 60))
    return params_error (error, _("slope limit"), format_slope (p->slope_clamp),
                         _("must be above 0 and at most 60 mmHg/min"));
  if (!(p->critical_offset >= 0 && p->critical_offset <= 30 && p->critical_floor >= 40 &&
        p->critical_floor <= TT_BAND_LOW_MIN))
    return params_error (error, _("critical threshold"), format_mmhg (p->critical_floor),
                         _("offset must be 0–30 mmHg and floor 40–55 mmHg"));
  return TRUE;
}

void
tt_advisor_input_init (TtAdvisorInput *input)
{
  g_return_if_fail (input != NULL);

  *input = (TtAdvisorInput) {
    .signal = {
      .t_ms = 0,
      .valid = FALSE,
      .map = NAN,
      .slope = NAN,
      .quality = TT_QUALITY_VALID,
      .stale = FALSE,
      .last_valid_ms = -1,
    },
    .rate = 0,
    .concentration = 0,
    .weight_kg = 0,
    .unprimed_ml = 0,
    .band_low = 65,
    .band_high = 85,
    .start_rate = TT_ADVISOR_START_RATE,
    .bolus_ug = TT_ADVISOR_BOLUS_UG,
    .bolus_concentration = 0,
    .since_change_ms = -1,
    .since_bolus_ms = -1,
    .above_band_ms = 0,
    .high_ms = 0,
    .since_above_band_ms = -1,
  };
}

void
tt_advisor_default_band (double  baseline_map,
                         double *low,
                         double *high)
{
  double lo = 65;

  if (isfinite (baseline_map))
    lo = MAX (65, round (0.8 * baseline_map));
  lo = MIN (lo, TT_BAND_LOW_MAX);
  if (low != NULL)
    *low = lo;
  if (high != NULL)
    *high = MIN (lo + 20, TT_BAND_HIGH_MAX);
}

gboolean
tt_advisor_validate_band (double   low,
                          double   high,
                          GError **error)
{
  if (!(low >= TT_BAND_LOW_MIN && low <= TT_BAND_LOW_MAX))
    {
      g_autofree char *value = tt_dose_format_number (low, 0, 1);
      g_set_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_BAND,
                   _("Target band lower bound %s mmHg is outside 55–100 mmHg"), value);
      return FALSE;
    }
  if (!(high >= low + TT_BAND_WIDTH_MIN && high <= TT_BAND_HIGH_MAX))
    {
      g_autofree char *value = tt_dose_format_number (high, 0, 1);
      g_autofree char *min = tt_dose_format_number (low + TT_BAND_WIDTH_MIN, 0, 1);
      g_set_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_BAND,
                   _("Target band upper bound %s mmHg is outside %s–130 mmHg"), value, min);
      return FALSE;
    }
  return TRUE;
}

double
tt_advisor_critical_threshold (const TtAdvisorParams *params,
                               double                 band_low)
{
  g_return_val_if_fail (params != NULL, 0);

  return MAX (params->critical_floor, band_low - params->critical_offset);
}

static double
bolus_concentration (const TtAdvisorInput *in)
{
  return in->bolus_concentration > 0 ? in->bolus_concentration : in->concentration;
}

gboolean
tt_advisor_validate_input (const TtAdvisorParams  *p,
                           const TtAdvisorInput   *in,
                           GError                **error)
{
  g_return_val_if_fail (p != NULL && in != NULL, FALSE);

  if (!tt_dose_validate_weight (in->weight_kg, error) ||
      !tt_dose_validate_concentration (in->concentration, error) ||
      !tt_dose_validate_rate (&p->limits, in->rate, error) ||
      !tt_dose_validate_dead_space (in->unprimed_ml, error) ||
      !tt_advisor_validate_band (in->band_low, in->band_high, error))
    return FALSE;

  if (!(in->start_rate >= p->limits.rate_soft_min - EPS &&
        in->start_rate <= p->limits.rate_soft_max + EPS))
    {
      g_autofree char *value = tt_dose_format_rate (in->start_rate);
      g_autofree char *min = tt_dose_format_number (p->limits.rate_soft_min, 2, 3);
      g_autofree char *max = tt_dose_format_rate (p->limits.rate_soft_max);
      g_set_error (error, TT_ADVISOR_ERROR, TT_ADVISOR_ERROR_START_RATE,
                   _("Starting rate %s is outside %s–%s"), value, min, max);
      return FALSE;
    }

  /* A bolus of 0 µg means none was drawn; otherwise it must be a valid bolus. */
  if (in->bolus_ug != 0 &&
      (!tt_dose_validate_bolus (&p->limits, in->bolus_ug, error) ||
       !tt_dose_validate_concentration (bolus_concentration (in), error)))
    return FALSE;

  return TRUE;
}

/* The wording of a flagged signal inside a sentence. */
static const char *
quality_phrase (TtQuality quality)
{
  switch (quality)
    {
    case TT_QUALITY_OUT_OF_RANGE:
      return _("value out of range");
    case TT_QUALITY_FLUSH:
      return _("line flush");
    case TT_QUALITY_ZEROING:
      return _("zeroing or open to air");
    case TT_QUALITY_FLAT:
      return _("flat trace, blood sampling?");
    case TT_QUALITY_DAMPED:
      return _("damped trace");
    case TT_QUALITY_JUMP:
      return _("sudden jump, movement?");
    case TT_QUALITY_DISCONNECTED:
      return _("transducer disconnected");
    case TT_QUALITY_VALID:
    case TT_N_QUALITIES:
    default:
      return _("no valid MAP");
    }
}

static gint64
add_ms (gint64 t,
        gint64 d)
{
  if (d > 0 && t > G_MAXINT64 - d)
    return G_MAXINT64;
  return t + d;
}

/* "Never" is as long ago as can be. */
static gint64
since_or_never (gint64 since)
{
  return since < 0 ? G_MAXINT64 : since;
}

static gint64
line_delay_ms (const TtAdvisorInput *in,
               double                rate)
{
  gint64 ms = 0;

  if (rate <= 0 || in->unprimed_ml <= 0)
    return 0;
  if (!tt_dose_transport_delay_ms (in->unprimed_ml,
                                   tt_dose_ml_h (rate, in->weight_kg, in->concentration), &ms))
    return 0;
  return ms;
}

static double
step_for (const TtAdvisorParams *p,
          double                 distance)
{
  double units = ceil (p->gain * MAX (distance, 0) / p->step_min - 1e-6);

  return MAX (1.0, units) * p->step_min;
}

/* The advice being built: the decision first (numbers and flags), the words at the end. */
typedef struct {
  const TtAdvisorParams *p;
  const TtAdvisorInput  *in;
  double                 map;
  double                 slope;          /* clamped; 0 when unknown */
  double                 crit;
  TtAdviceReason         reason;
  double                 rate;
  gboolean               bolus;
  double                 bolus_ug;
  TtLimitFlags           flags;
  double                 step_cap;       /* the step TT_LIMIT_STEP allowed, signed */
  gboolean               critical_cap;   /* … and it was the critical max step */
  double                 ratio_step;     /* the step TT_LIMIT_STEP_RATIO allowed */
  gboolean               critical_wait;  /* TT_LIMIT_REEVAL was the critical interval */
  double                 line_rate;      /* the rate TT_LIMIT_LINE_DELAY is about */
  gint64                 line_delay_ms;
  gint64                 next_review_ms;
  gint64                 wait_ms;        /* the interval a hold waits for, for the sentence */
} Decision;

static double
floor_rate (double rate)
{
  return floor (rate * 1000 + 1e-6) / 1000;
}

static double
ceil_rate (double rate)
{
  return ceil (rate * 1000 - 1e-6) / 1000;
}

static double
start_rate (Decision *d)
{
  const TtLimits *limits = &d->p->limits;

  if (d->in->start_rate > limits->step_abs + EPS)
    {
      d->flags |= TT_LIMIT_START;
      return limits->step_abs;
    }
  return d->in->start_rate;
}

/* Raises the rate by a step proportional to @distance below the band, within the caps; returns
 * the new rate (equal to the current one when a limit allows no increase). */
static double
increase (Decision *d,
          double    distance,
          gboolean  critical)
{
  const TtAdvisorParams *p = d->p;
  const TtLimits *limits = &p->limits;
  double r = d->in->rate;
  double step = step_for (p, distance);
  gboolean wide = critical && !d->bolus;   /* no bolus to bridge: allow a larger step */
  double cap = wide ? p->critical_step_max : p->step_max;
  double ceiling = critical ? limits->rate_hard_max : limits->rate_soft_max;
  double rate;

  /* A stopped infusion starts at the starting rate, whatever the distance. */
  if (r <= 0)
    return MIN (start_rate (d), ceiling);

  if (step > cap + EPS)
    {
      step = cap;
      d->flags |= TT_LIMIT_STEP;
      d->step_cap = cap;
      d->critical_cap = wide;
    }
  if (wide && step > p->step_max + EPS)
    d->flags |= TT_LIMIT_CRITICAL_STEP;
  if (!wide && r > 0 && step > r * (limits->step_ratio - 1) + EPS)
    {
      step = r * (limits->step_ratio - 1);
      d->flags |= TT_LIMIT_STEP_RATIO;
      d->ratio_step = step;
    }

  rate = r + step;

  if (rate > ceiling + EPS)
    {
      rate = ceiling;
      d->flags |= critical ? TT_LIMIT_HARD_MAX : TT_LIMIT_SOFT_MAX;
    }

  rate = MAX (floor_rate (rate), r);
  if (critical && rate > limits->rate_soft_max + EPS)
    d->flags |= TT_LIMIT_ABOVE_SOFT_MAX;
  return rate;
}

/* Lowers the rate by a step proportional to @distance; @may_stop: below the soft minimum the
 * infusion stops (above the band), else the rate stays at the soft minimum at least (in it). */
static double
decrease (Decision *d,
          double    distance,
          gboolean  may_stop)
{
  const TtAdvisorParams *p = d->p;
  const TtLimits *limits = &p->limits;
  double r = d->in->rate;
  double step = step_for (p, distance);
  double rate;

  if (step > p->step_max + EPS)
    {
      step = p->step_max;
      d->flags |= TT_LIMIT_STEP;
      d->step_cap = -p->step_max;
    }

  rate = r - step;
  if (rate < limits->rate_soft_min - EPS && !may_stop)
    {
      if (r > limits->rate_soft_min + EPS)
        d->flags |= TT_LIMIT_SOFT_MIN;
      return MIN (MAX (r, 0.0), MAX (limits->rate_soft_min, 0.0));
    }
  if (rate < limits->rate_soft_min - EPS)
    {
      d->flags |= TT_LIMIT_SOFT_MIN;
      /* Stopping from a small rate is a small step; from a larger one, reduce to the soft
       * minimum first so that no single change is larger than the max step allows. */
      if (r <= p->step_max + EPS || r <= limits->rate_soft_min + EPS)
        return 0;
      rate = limits->rate_soft_min;
    }
  return MIN (ceil_rate (rate), r);
}

/* A rate change is wanted but the running rate has not acted yet: hold and say until when.
 * While drug-free fluid is still ahead of the drug (an unprimed line), no rate has reached the
 * patient at all; once the line is full of drug, a new rate reaches the vein at once and only
 * NE's own time course is waited for. */
static gboolean
must_wait (Decision *d,
           gint64    since,
           gint64    reeval_ms,
           gint64    delay_ms)
{
  gint64 t = d->in->signal.t_ms;

  if (delay_ms > 0)
    {
      d->reason = TT_REASON_LINE_DELAY;
      d->wait_ms = delay_ms;
      d->next_review_ms = add_ms (t, add_ms (delay_ms, reeval_ms));
      return TRUE;
    }
  if (since >= reeval_ms)
    return FALSE;

  d->reason = TT_REASON_WAITING;
  d->flags |= TT_LIMIT_REEVAL;
  d->wait_ms = reeval_ms;
  d->next_review_ms = add_ms (t, reeval_ms - since);
  return TRUE;
}

static void
decide_rate (Decision *d)
{
  const TtAdvisorParams *p = d->p;
  const TtAdvisorInput *in = d->in;
  const TtLimits *limits = &p->limits;
  gint64 t = in->signal.t_ms;
  double r = in->rate;
  double lo = in->band_low;
  double hi = in->band_high;
  double map = d->map;
  double pred = map + d->slope * p->horizon_min;
  double low_map = MIN (map, pred);
  double high_map = MAX (map, pred);
  double upper = (lo + hi) / 2 + p->hold_fraction * (hi - lo);
  double lower = (lo + hi) / 2 - p->hold_fraction * (hi - lo);
  gboolean critical = map < d->crit;
  gboolean fast_fall = d->slope <= -p->fast_fall &&
                       map + d->slope * p->fast_fall_horizon_min < d->crit;
  gint64 since = since_or_never (in->since_change_ms);
  gint64 since_bolus = since_or_never (in->since_bolus_ms);
  gint64 delay = line_delay_ms (in, r);

  d->rate = r;
  d->next_review_ms = add_ms (t, p->hold_review_ms);

  /* The rescue bolus: whenever MAP is critical, or about to be. */
  if (critical || fast_fall)
    {
      if (in->bolus_ug <= 0)
        d->flags |= TT_LIMIT_NO_BOLUS;
      else if (since_bolus < p->bolus_lockout_ms)
        d->flags |= TT_LIMIT_BOLUS_LOCKOUT;
      else
        {
          d->bolus = TRUE;
          d->bolus_ug = in->bolus_ug;
          if (d->bolus_ug > limits->bolus_soft_max + EPS)
            {
              d->bolus_ug = limits->bolus_soft_max;
              d->flags |= TT_LIMIT_BOLUS_SOFT_MAX;
            }
        }
    }

  if (critical)
    {
      d->reason = TT_REASON_CRITICAL;
      if (since < p->critical_reeval_ms)
        {
          d->wait_ms = p->critical_reeval_ms;
          d->next_review_ms = add_ms (t, p->critical_reeval_ms - since);
          d->flags |= TT_LIMIT_REEVAL;
          d->critical_wait = TRUE;
          return;
        }
      d->rate = increase (d, lower - low_map, TRUE);
      d->next_review_ms = add_ms (t, p->critical_reeval_ms);
      return;
    }

  /* Above the middle part: reduce once it has lasted (a stimulus such as intubation passes) and
   * MAP is not coming back to the middle part by itself. */
  if (map > upper)
    {
      gboolean above = map > hi;

      if (r <= 0)
        d->reason = above ? TT_REASON_STOPPED : TT_REASON_IN_BAND;
      else if (in->high_ms < p->above_band_hold_ms)
        {
          d->reason = TT_REASON_IN_BAND;
          if (above)
            {
              d->reason = TT_REASON_ABOVE_BAND_BRIEF;
              d->next_review_ms = add_ms (t, p->above_band_hold_ms - MAX (in->high_ms, 0));
            }
        }
      else if (pred <= upper || d->slope <= -p->coming_back)
        d->reason = above ? TT_REASON_ABOVE_BAND_FALLING : TT_REASON_IN_BAND;
      else if (!must_wait (d, since, above ? p->reeval_ms : p->band_reeval_ms, delay))
        {
          d->reason = above ? TT_REASON_ABOVE_BAND : TT_REASON_HIGH_IN_BAND;
          d->rate = decrease (d, high_map - upper, above);
          if (d->rate >= r - EPS)
            d->reason = TT_REASON_IN_BAND;
          else
            d->next_review_ms = add_ms (t, above ? p->reeval_ms : p->band_reeval_ms);
        }
      return;
    }

  /* Below the middle part and not coming back to it, or falling out of the band: increase. In
   * the band, not when MAP is coming down from above the band (intubation): its slope still shows
   * the descent for a minute after it has settled; and a stopped infusion is restarted only when
   * MAP is below the band or falling out of it. */
  if ((map < lower && pred < lower) || pred < lo)
    {
      gboolean in_band = map >= lo;

      if (in_band && (since_or_never (in->since_above_band_ms) < p->above_band_hold_ms ||
                      (r <= 0 && pred >= lo)))
        {
          d->reason = r <= 0 ? TT_REASON_STOPPED : TT_REASON_IN_BAND;
          return;
        }
      if (r <= 0)
        d->reason = TT_REASON_START;
      else if (!in_band)
        d->reason = TT_REASON_BELOW_BAND;
      else if (pred < lo)
        d->reason = TT_REASON_FALLING;
      else
        d->reason = TT_REASON_LOW_IN_BAND;

      /* In the band nothing is urgent: a correction waits until the last change has mostly
       * acted, so that steps do not pile up while NE is still coming to its effect. */
      if (must_wait (d, since, in_band ? p->band_reeval_ms : p->reeval_ms, delay))
        return;

      d->rate = increase (d, lower - low_map, FALSE);
      if (d->rate <= r + EPS)
        {
          if (d->flags & TT_LIMIT_SOFT_MAX)
            d->reason = TT_REASON_AT_LIMIT;
        }
      else
        d->next_review_ms = add_ms (t, add_ms (in_band ? p->band_reeval_ms : p->reeval_ms,
                                               line_delay_ms (in, d->rate)));
      return;
    }

  if (r <= 0)
    d->reason = TT_REASON_STOPPED;
  else if (map < lo)
    d->reason = TT_REASON_RISING;
  else
    d->reason = TT_REASON_IN_BAND;
}

static void
decide (Decision *d)
{
  decide_rate (d);
  /* A bolus for a fast fall is the headline, whatever the rate does. */
  if (d->bolus && d->reason != TT_REASON_CRITICAL)
    d->reason = TT_REASON_FALLING_FAST;
}

/* "MAP 53 mmHg is 17 mmHg below the band" and its siblings. */
static char *
position_phrase (Decision *d)
{
  double map = d->map;
  double lo = d->in->band_low;
  double hi = d->in->band_high;
  g_autofree char *value = format_mmhg (map);

  if (map < lo)
    {
      g_autofree char *below = format_mmhg (lo - map);
      if (round (lo - map) < 1)
        return g_strdup_printf (_("MAP %s is just below the band"), value);
      return g_strdup_printf (_("MAP %s is %s below the band"), value, below);
    }
  if (map > hi)
    {
      g_autofree char *above = format_mmhg (map - hi);
      if (round (map - hi) < 1)
        return g_strdup_printf (_("MAP %s is just above the band"), value);
      return g_strdup_printf (_("MAP %s is %s above the band"), value, above);
    }
  {
    g_autofree char *low = tt_dose_format_number (lo, 0, 0);
    g_autofree char *high = format_mmhg (hi);
    return g_strdup_printf (_("MAP %s is in the band %s–%s"), value, low, high);
  }
}

static char *
trend_phrase (const TtAdvisorInput *in)
{
  double slope = in->signal.slope;
  g_autofree char *value = NULL;

  if (!isfinite (slope))
    return g_strdup (_(", trend unknown"));
  if (fabs (slope) < 0.5)
    return g_strdup (_(" and steady"));
  value = format_slope (fabs (slope));
  if (slope < 0)
    return g_strdup_printf (_(" and falling %s"), value);
  return g_strdup_printf (_(" and rising %s"), value);
}

static char *
last_change_phrase (const TtAdvisorInput *in)
{
  g_autofree char *ago = NULL;

  if (in->since_change_ms < 0)
    return g_strdup (_("no rate change yet"));
  ago = format_ms (in->since_change_ms);
  return g_strdup_printf (_("last change %s ago"), ago);
}

static char *
tail_phrase (Decision *d)
{
  const TtAdvisorInput *in = d->in;
  const TtAdvisorParams *p = d->p;

  switch (d->reason)
    {
    case TT_REASON_RISING:
      {
        double minutes = d->slope > 0 ? (in->band_low - d->map) / d->slope : 0;
        g_autofree char *when = format_ms ((gint64) (minutes * MS_PER_MIN));
        return g_strdup_printf (_("expected in the band within %s"), when);
      }
    case TT_REASON_ABOVE_BAND_FALLING:
      {
        double minutes = d->slope < 0 ? (d->map - in->band_high) / -d->slope : 0;
        g_autofree char *when = format_ms ((gint64) (minutes * MS_PER_MIN));
        return g_strdup_printf (_("expected back in the band within %s"), when);
      }
    case TT_REASON_WAITING:
      {
        g_autofree char *ago = format_ms (in->since_change_ms);
        g_autofree char *needs = format_ms (d->wait_ms);
        return g_strdup_printf (_("the change %s ago needs %s to act"), ago, needs);
      }
    case TT_REASON_LINE_DELAY:
      {
        g_autofree char *delay = format_ms (d->wait_ms);
        return g_strdup_printf (_("the drug reaches the patient only in %s (unprimed line)"),
                                delay);
      }
    case TT_REASON_AT_LIMIT:
      {
        g_autofree char *soft = tt_dose_format_rate (p->limits.rate_soft_max);
        return g_strdup_printf (_("the rate is at the soft limit %s: consider other causes"),
                                soft);
      }
    case TT_REASON_FALLING_FAST:
      {
        g_autofree char *crit = format_mmhg (d->crit);
        return g_strdup_printf (_("critical %s within 1 min at this rate of fall"), crit);
      }
    case TT_REASON_ABOVE_BAND:
      {
        g_autofree char *above = format_ms (in->above_band_ms);
        g_autofree char *change = last_change_phrase (in);
        return g_strdup_printf (_("above for %s, %s"), above, change);
      }
    case TT_REASON_ABOVE_BAND_BRIEF:
      {
        g_autofree char *high = format_ms (MAX (in->high_ms, 0));
        g_autofree char *hold = format_ms (p->above_band_hold_ms);
        return g_strdup_printf (_("high for %s only: rises shorter than %s (intubation) are "
                                  "not treated [est]"), high, hold);
      }
    case TT_REASON_LOW_IN_BAND:
    case TT_REASON_HIGH_IN_BAND:
      {
        double hold = p->hold_fraction * (in->band_high - in->band_low);
        double middle = (in->band_low + in->band_high) / 2;
        g_autofree char *lower = tt_dose_format_number (middle - hold, 0, 0);
        g_autofree char *upper = format_mmhg (middle + hold);
        g_autofree char *change = last_change_phrase (in);
        /* Translators: e.g. "aiming for 81–91 mmHg, the middle of the band; last change 5 min
         * ago". */
        return g_strdup_printf (_("aiming for %s–%s, the middle of the band; %s"), lower, upper,
                                change);
      }
    case TT_REASON_START:
    case TT_REASON_STOPPED:
      return g_strdup (_("the infusion is stopped"));
    case TT_REASON_IN_BAND:
      return NULL;
    case TT_REASON_CRITICAL:
    case TT_REASON_BELOW_BAND:
    case TT_REASON_FALLING:
    case TT_REASON_SIGNAL_FLAGGED:
    case TT_REASON_SIGNAL_STALE:
    case TT_REASON_NO_SIGNAL:
    case TT_REASON_SETUP_INVALID:
    case TT_N_REASONS:
    default:
      return last_change_phrase (in);
    }
}

static char *
decision_sentence (Decision *d)
{
  g_autofree char *position = position_phrase (d);
  g_autofree char *trend = trend_phrase (d->in);
  g_autofree char *tail = tail_phrase (d);

  if (tail == NULL)
    return g_strdup_printf (_("%s%s."), position, trend);
  /* Translators: position, trend, then what follows from them, e.g. "MAP 53 mmHg is 17 mmHg
   * below the band" " and falling 3 mmHg/min" "last change 2 min ago". */
  return g_strdup_printf (_("%s%s; %s."), position, trend, tail);
}

static char *
rate_text (const TtAdvice *a)
{
  g_autofree char *both = NULL;
  g_autofree char *rate = tt_dose_format_rate (a->rate);
  g_autofree char *ml_h = tt_dose_format_ml_h (a->ml_h);

  both = g_strdup_printf (_("%s = %s"), rate, ml_h);
  if (fabs (a->change) < EPS)
    return g_strdup_printf (_("%s (unchanged)"), both);
  {
    g_autofree char *now = tt_dose_format_number (a->current_rate, 2, 3);
    g_autofree char *change = tt_dose_format_change (a->change);
    return g_strdup_printf (_("%s (now %s, %s)"), both, now, change);
  }
}

static char *
title_text (const TtAdvice *a)
{
  g_autofree char *rate = tt_dose_format_rate (a->rate);

  switch (a->kind)
    {
    case TT_ADVICE_INCREASE:
      if (a->current_rate <= 0)
        return g_strdup_printf (_("Start at %s"), rate);
      return g_strdup_printf (_("Increase to %s"), rate);
    case TT_ADVICE_DECREASE:
      return g_strdup_printf (_("Decrease to %s"), rate);
    case TT_ADVICE_STOP:
      return g_strdup (_("Stop the infusion"));
    case TT_ADVICE_RESCUE_BOLUS:
      if (a->change > EPS)
        return g_strdup (_("Give rescue bolus, then increase"));
      return g_strdup (_("Give rescue bolus"));
    case TT_ADVICE_NO_ADVICE:
      if (a->reason == TT_REASON_SETUP_INVALID)
        return g_strdup (_("No advice: check the infusion settings"));
      if (a->reason == TT_REASON_SIGNAL_FLAGGED)
        return g_strdup (_("No advice: signal quality low"));
      return g_strdup (_("No advice: no valid signal"));
    case TT_ADVICE_HOLD:
    case TT_N_ADVICE_KINDS:
    default:
      if (a->current_rate <= 0)
        return g_strdup (_("Keep the infusion stopped"));
      return g_strdup_printf (_("Hold %s"), rate);
    }
}

static void
finish (const TtAdvisorInput *in,
        TtAdvice             *out,
        gboolean              texts)
{
  double weight = in->weight_kg;
  double concentration = in->concentration;

  out->current_ml_h = tt_dose_ml_h (out->current_rate, weight, concentration);
  out->ml_h = tt_dose_ml_h (out->rate, weight, concentration);
  out->change = out->rate - out->current_rate;
  if (fabs (out->change) < EPS)
    out->change = 0;
  if (out->bolus)
    out->bolus_ml = tt_dose_bolus_ml (out->bolus_ug, bolus_concentration (in));
  if (!texts)
    return;
  out->title = title_text (out);
  out->rate_text = rate_text (out);
  if (out->bolus)
    {
      g_autofree char *dose = tt_dose_format_bolus (out->bolus_ug, bolus_concentration (in));
      g_autofree char *concentration_text =
        tt_dose_format_number (bolus_concentration (in), 0, 1);
      out->bolus_text = g_strdup_printf (_("%s of %s µg/mL"), dose, concentration_text);
    }
}

static void
no_advice (const TtAdvisorInput *in,
           TtAdvice             *out,
           TtAdviceReason        reason,
           char                 *sentence,
           gint64                next_review_ms)
{
  out->kind = TT_ADVICE_NO_ADVICE;
  out->reason = reason;
  out->sentence = sentence;
  out->rate = out->current_rate;
  out->next_review_ms = next_review_ms;
  finish (in, out, sentence != NULL);
}

/* The words for one limit flag, with the figures the decision recorded. */
static char *
limit_sentence (const Decision *d,
                TtLimitFlags    flag)
{
  const TtAdvisorParams *p = d->p;
  const TtLimits *limits = &p->limits;
  const char *line = tt_line_type_describe (limits->line);

  switch (flag)
    {
    case TT_LIMIT_NO_BOLUS:
      return g_strdup (_("No rescue bolus was drawn."));
    case TT_LIMIT_BOLUS_LOCKOUT:
      {
        g_autofree char *left = format_ms (p->bolus_lockout_ms - d->in->since_bolus_ms);
        g_autofree char *lockout = format_ms (p->bolus_lockout_ms);
        return g_strdup_printf (_("Next bolus possible in %s (%s between boluses [est])."), left,
                                lockout);
      }
    case TT_LIMIT_BOLUS_SOFT_MAX:
      {
        g_autofree char *soft = tt_dose_format_number (limits->bolus_soft_max, 0, 1);
        return g_strdup_printf (_("Bolus capped at the soft limit %s µg."), soft);
      }
    case TT_LIMIT_START:
      {
        g_autofree char *cap = tt_dose_format_rate (limits->step_abs);
        return g_strdup_printf (_("Start capped at %s (step limit)."), cap);
      }
    case TT_LIMIT_STEP:
      {
        g_autofree char *capped = tt_dose_format_change (d->step_cap);
        if (d->critical_cap)
          return g_strdup_printf (_("Step capped at %s (critical max step [est])."), capped);
        return g_strdup_printf (_("Step capped at %s (max step [est])."), capped);
      }
    case TT_LIMIT_CRITICAL_STEP:
      {
        g_autofree char *usual = tt_dose_format_rate (p->step_max);
        return g_strdup_printf (_("Larger than the usual %s: MAP is critically low and no bolus "
                                  "can be given."), usual);
      }
    case TT_LIMIT_STEP_RATIO:
      {
        g_autofree char *capped = tt_dose_format_change (d->ratio_step);
        g_autofree char *ratio = tt_dose_format_number (limits->step_ratio, 0, 1);
        return g_strdup_printf (_("Step capped at %s (at most %s× the current rate)."), capped,
                                ratio);
      }
    case TT_LIMIT_SOFT_MAX:
      {
        g_autofree char *soft = tt_dose_format_rate (limits->rate_soft_max);
        return g_strdup_printf (_("Capped at the soft limit %s for a %s."), soft, line);
      }
    case TT_LIMIT_HARD_MAX:
      {
        g_autofree char *hard = tt_dose_format_rate (limits->rate_hard_max);
        return g_strdup_printf (_("Capped at the hard limit %s."), hard);
      }
    case TT_LIMIT_ABOVE_SOFT_MAX:
      {
        g_autofree char *soft = tt_dose_format_rate (limits->rate_soft_max);
        return g_strdup_printf (_("Above the soft limit %s for a %s: confirm on the pump."), soft,
                                line);
      }
    case TT_LIMIT_SOFT_MIN:
      {
        g_autofree char *soft = tt_dose_format_rate (limits->rate_soft_min);
        if (d->rate <= 0)
          return g_strdup_printf (_("Below the soft minimum %s: stop instead."), soft);
        return g_strdup_printf (_("Reduced to the soft minimum %s first."), soft);
      }
    case TT_LIMIT_REEVAL:
      {
        g_autofree char *interval = format_ms (d->wait_ms);
        if (d->critical_wait)
          return g_strdup_printf (_("No rate change within %s of the last, even when critical "
                                    "[est]."), interval);
        return g_strdup_printf (_("No rate change within %s of the last [est]."), interval);
      }
    case TT_LIMIT_LINE_DELAY:
      {
        const TtAdvisorInput *in = d->in;
        g_autofree char *delay = format_ms (d->line_delay_ms);
        g_autofree char *dead = tt_dose_format_number (in->unprimed_ml, 1, 2);
        g_autofree char *ml_h = tt_dose_format_ml_h (tt_dose_ml_h (d->line_rate, in->weight_kg,
                                                                   in->concentration));
        return g_strdup_printf (_("Line delay %s (%s mL drug-free at %s): prime the line to the "
                                  "cannula or use a carrier flow."), delay, dead, ml_h);
      }
    case TT_LIMIT_NONE:
    case TT_N_LIMIT_FLAGS:
    default:
      return NULL;
    }
}

static char *
limit_text (const Decision *d)
{
  /* The bolus first (it is what to do now), then what shaped the rate, then the waits. */
  static const TtLimitFlags order[] = {
    TT_LIMIT_NO_BOLUS, TT_LIMIT_BOLUS_LOCKOUT, TT_LIMIT_BOLUS_SOFT_MAX, TT_LIMIT_START,
    TT_LIMIT_STEP, TT_LIMIT_CRITICAL_STEP, TT_LIMIT_STEP_RATIO, TT_LIMIT_SOFT_MAX,
    TT_LIMIT_HARD_MAX, TT_LIMIT_ABOVE_SOFT_MAX, TT_LIMIT_SOFT_MIN, TT_LIMIT_REEVAL,
    TT_LIMIT_LINE_DELAY,
  };
  GString *text;

  G_STATIC_ASSERT (G_N_ELEMENTS (order) == TT_N_LIMIT_FLAGS);

  if (d->flags == TT_LIMIT_NONE)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (d->flags & order[i])
      {
        g_autofree char *sentence = limit_sentence (d, order[i]);
        if (text->len > 0)
          g_string_append_c (text, ' ');
        g_string_append (text, sentence);
      }
  return g_string_free (text, FALSE);
}

static void
advise (const TtAdvisorParams *p,
        const TtAdvisorInput  *in,
        TtAdvice              *out,
        gboolean               texts)
{
  g_autoptr(GError) error = NULL;
  const TtSignalState *signal;
  gint64 t;
  Decision d = { 0, };

  g_return_if_fail (p != NULL && in != NULL && out != NULL);

  signal = &in->signal;
  t = signal->t_ms;
  *out = (TtAdvice) { .t_ms = t, .kind = TT_ADVICE_NO_ADVICE };

  if (!tt_advisor_validate_input (p, in, texts ? &error : NULL))
    {
      /* The numbers shown must not be NaN or absurd: show what runs only when it is valid. */
      TtAdvisorInput shown = *in;
      if (!tt_dose_validate_rate (&p->limits, in->rate, NULL))
        shown.rate = 0;
      if (!tt_dose_validate_weight (in->weight_kg, NULL) ||
          !tt_dose_validate_concentration (in->concentration, NULL))
        shown.weight_kg = shown.concentration = 0;
      out->current_rate = shown.rate;
      if (tt_advisor_validate_band (in->band_low, in->band_high, NULL))
        out->critical_mmhg = tt_advisor_critical_threshold (p, in->band_low);
      no_advice (&shown, out, TT_REASON_SETUP_INVALID,
                 texts ? g_strdup_printf (_("%s: no advice."), error->message) : NULL,
                 add_ms (t, p->hold_review_ms));
      return;
    }

  out->current_rate = in->rate;
  out->critical_mmhg = tt_advisor_critical_threshold (p, in->band_low);

  /* CLINICAL.md §6: never raise a recommendation from flagged samples. */
  if (signal->stale)
    {
      char *sentence = NULL;
      if (!texts)
        ;
      else if (signal->last_valid_ms >= 0 && signal->last_valid_ms <= t)
        {
          g_autofree char *gap = format_ms (t - signal->last_valid_ms);
          sentence = g_strdup_printf (_("No valid MAP for %s: check the arterial line."), gap);
        }
      else
        sentence = g_strdup (_("No valid MAP yet: check the arterial line."));
      no_advice (in, out, TT_REASON_SIGNAL_STALE, sentence, add_ms (t, p->hold_review_ms));
      return;
    }
  if (signal->quality != TT_QUALITY_VALID)
    {
      no_advice (in, out, TT_REASON_SIGNAL_FLAGGED,
                 texts ? g_strdup_printf (_("Signal quality low (%s): no advice until the trace "
                                            "is clean."), quality_phrase (signal->quality))
                       : NULL,
                 add_ms (t, p->hold_review_ms));
      return;
    }
  if (!signal->valid || !isfinite (signal->map))
    {
      no_advice (in, out, TT_REASON_NO_SIGNAL,
                 texts ? g_strdup (_("No valid MAP yet: check the arterial line.")) : NULL,
                 add_ms (t, p->hold_review_ms));
      return;
    }

  d.p = p;
  d.in = in;
  d.map = signal->map;
  d.slope = isfinite (signal->slope) ? CLAMP (signal->slope, -p->slope_clamp, p->slope_clamp) : 0;
  d.crit = out->critical_mmhg;

  decide (&d);

  /* Whatever was decided, say so when the line holds the drug back for long. */
  d.line_rate = d.rate > 0 ? d.rate : in->rate;
  d.line_delay_ms = line_delay_ms (in, d.line_rate);
  if (d.line_delay_ms > p->line_delay_warn_ms)
    d.flags |= TT_LIMIT_LINE_DELAY;

  out->reason = d.reason;
  out->rate = d.rate;
  out->bolus = d.bolus;
  out->bolus_ug = d.bolus ? d.bolus_ug : 0;
  out->limits = d.flags;
  out->next_review_ms = d.next_review_ms;
  if (d.bolus)
    out->kind = TT_ADVICE_RESCUE_BOLUS;
  else if (d.rate > in->rate + EPS)
    out->kind = TT_ADVICE_INCREASE;
  else if (d.rate <= 0 && in->rate > 0)
    out->kind = TT_ADVICE_STOP;
  else if (d.rate < in->rate - EPS)
    out->kind = TT_ADVICE_DECREASE;
  else
    out->kind = TT_ADVICE_HOLD;
  if (texts)
    {
      out->sentence = decision_sentence (&d);
      out->limit_text = limit_text (&d);
    }
  finish (in, out, texts);
}

void
tt_advisor_step (const TtAdvisorParams *params,
                 const TtAdvisorInput  *input,
                 TtAdvice              *out)
{
  advise (params, input, out, TRUE);
}

void
tt_advisor_decide (const TtAdvisorParams *params,
                   const TtAdvisorInput  *input,
                   TtAdvice              *out)
{
  advise (params, input, out, FALSE);
}

void
tt_advice_clear (TtAdvice *advice)
{
  g_return_if_fail (advice != NULL);

  g_clear_pointer (&advice->title, g_free);
  g_clear_pointer (&advice->rate_text, g_free);
  g_clear_pointer (&advice->bolus_text, g_free);
  g_clear_pointer (&advice->sentence, g_free);
  g_clear_pointer (&advice->limit_text, g_free);
}

void
tt_advice_copy (const TtAdvice *src,
                TtAdvice       *dest)
{
  g_return_if_fail (src != NULL && dest != NULL && src != dest);

  *dest = *src;
  dest->title = g_strdup (src->title);
  dest->rate_text = g_strdup (src->rate_text);
  dest->bolus_text = g_strdup (src->bolus_text);
  dest->sentence = g_strdup (src->sentence);
  dest->limit_text = g_strdup (src->limit_text);
}

/* Stable identifiers for logs, the database and JSON; never translated. */
const char *
tt_advice_kind_to_string (TtAdviceKind kind)
{
  static const char *names[TT_N_ADVICE_KINDS] = {
    [TT_ADVICE_HOLD] = "hold",
    [TT_ADVICE_INCREASE] = "increase",
    [TT_ADVICE_DECREASE] = "decrease",
    [TT_ADVICE_STOP] = "stop",
    [TT_ADVICE_RESCUE_BOLUS] = "rescue-bolus",
    [TT_ADVICE_NO_ADVICE] = "no-advice",
  };

  g_return_val_if_fail (kind < TT_N_ADVICE_KINDS, "invalid");
  return names[kind];
}

const char *
tt_advice_reason_to_string (TtAdviceReason reason)
{
  static const char *names[TT_N_REASONS] = {
    [TT_REASON_SIGNAL_FLAGGED] = "signal-flagged",
    [TT_REASON_SIGNAL_STALE] = "signal-stale",
    [TT_REASON_NO_SIGNAL] = "no-signal",
    [TT_REASON_SETUP_INVALID] = "setup-invalid",
    [TT_REASON_IN_BAND] = "in-band",
    [TT_REASON_BELOW_BAND] = "below-band",
    [TT_REASON_FALLING] = "falling",
    [TT_REASON_START] = "start",
    [TT_REASON_RISING] = "rising",
    [TT_REASON_WAITING] = "waiting",
    [TT_REASON_LINE_DELAY] = "line-delay",
    [TT_REASON_AT_LIMIT] = "at-limit",
    [TT_REASON_CRITICAL] = "critical",
    [TT_REASON_FALLING_FAST] = "falling-fast",
    [TT_REASON_ABOVE_BAND] = "above-band",
    [TT_REASON_ABOVE_BAND_BRIEF] = "above-band-brief",
    [TT_REASON_ABOVE_BAND_FALLING] = "above-band-falling",
    [TT_REASON_STOPPED] = "stopped",
    [TT_REASON_LOW_IN_BAND] = "low-in-band",
    [TT_REASON_HIGH_IN_BAND] = "high-in-band",
  };

  g_return_val_if_fail (reason < TT_N_REASONS, "invalid");
  return names[reason];
}

char *
tt_limit_flags_to_string (TtLimitFlags flags)
{
  static const char *names[TT_N_LIMIT_FLAGS] = {
    "step", "step-ratio", "critical-step", "start", "soft-max", "above-soft-max", "hard-max",
    "soft-min", "reeval", "line-delay", "bolus-lockout", "bolus-soft-max", "no-bolus",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < TT_N_LIMIT_FLAGS; i++)
    if (flags & (1u << i))
      {
        if (text->len > 0)
          g_string_append_c (text, ',');
        g_string_append (text, names[i]);
      }
  return g_string_free (text, FALSE);
}

/* The stateful wrapper. */
struct _TtAdvisor {
  TtAdvisorParams params;
  TtAdvisorInput  input;
  gint64          last_change_ms;   /* -1: none */
  gint64          last_bolus_ms;    /* -1: none */
  gint64          above_since_ms;   /* -1: MAP not above the band */
  gint64          high_since_ms;    /* -1: MAP not above the band's middle part */
  gint64          above_last_ms;    /* the last time MAP was above the band; -1: never */
  gint64          flow_ms;          /* the line's volume is accounted up to here; -1: not yet */
  gboolean        texts;            /* FALSE: numbers only (simulations) */
};

TtAdvisor *
tt_advisor_new (const TtAdvisorParams *params)
{
  TtAdvisor *self = g_new0 (TtAdvisor, 1);

  if (params != NULL)
    self->params = *params;
  else
    tt_advisor_params_init (&self->params, TT_LINE_PERIPHERAL);
  tt_advisor_input_init (&self->input);
  self->last_change_ms = -1;
  self->last_bolus_ms = -1;
  self->above_since_ms = -1;
  self->high_since_ms = -1;
  self->above_last_ms = -1;
  self->flow_ms = -1;
  self->texts = TRUE;
  return self;
}

void
tt_advisor_free (TtAdvisor *self)
{
  g_free (self);
}

const TtAdvisorParams *
tt_advisor_get_params (TtAdvisor *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->params;
}

void
tt_advisor_set_infusion (TtAdvisor *self,
                         double     concentration,
                         double     weight_kg,
                         double     unprimed_ml)
{
  g_return_if_fail (self != NULL);

  self->input.concentration = concentration;
  self->input.weight_kg = weight_kg;
  self->input.unprimed_ml = unprimed_ml;
}

/* Pushes the running rate's volume through the line up to @t_ms. When the last drug-free fluid
 * leaves the line, the drug reaches the patient: for the advisor that moment is when the running
 * rate starts to act, so it counts as the last rate change. */
static void
advance_line (TtAdvisor *self,
              gint64     t_ms)
{
  TtAdvisorInput *in = &self->input;
  double ml_h;

  if (self->flow_ms < 0 || t_ms <= self->flow_ms)
    {
      self->flow_ms = MAX (self->flow_ms, t_ms);
      return;
    }

  ml_h = tt_dose_ml_h (in->rate, in->weight_kg, in->concentration);
  if (in->unprimed_ml > 0 && ml_h > 0 && isfinite (ml_h))
    {
      double pushed = tt_dose_volume_ml (ml_h, t_ms - self->flow_ms);

      if (pushed >= in->unprimed_ml)
        {
          gint64 arrival = self->flow_ms;
          gint64 ms = 0;

          if (tt_dose_transport_delay_ms (in->unprimed_ml, ml_h, &ms))
            arrival = add_ms (self->flow_ms, ms);
          in->unprimed_ml = 0;
          self->last_change_ms = MAX (self->last_change_ms, MIN (arrival, t_ms));
        }
      else
        in->unprimed_ml -= pushed;
    }
  self->flow_ms = t_ms;
}

void
tt_advisor_set_band (TtAdvisor *self,
                     double     low,
                     double     high)
{
  g_return_if_fail (self != NULL);

  self->input.band_low = low;
  self->input.band_high = high;
  self->above_since_ms = -1;
  self->high_since_ms = -1;
  self->above_last_ms = -1;
}

void
tt_advisor_set_start_rate (TtAdvisor *self,
                           double     start_rate)
{
  g_return_if_fail (self != NULL);

  self->input.start_rate = start_rate;
}

void
tt_advisor_set_bolus (TtAdvisor *self,
                      double     bolus_ug,
                      double     concentration)
{
  g_return_if_fail (self != NULL);

  self->input.bolus_ug = bolus_ug;
  self->input.bolus_concentration = concentration;
}

void
tt_advisor_set_texts (TtAdvisor *self,
                      gboolean   texts)
{
  g_return_if_fail (self != NULL);

  self->texts = !!texts;
}

void
tt_advisor_rate_set (TtAdvisor *self,
                     gint64     t_ms,
                     double     rate)
{
  g_return_if_fail (self != NULL);

  advance_line (self, t_ms);
  if (fabs (rate - self->input.rate) > EPS || isnan (rate) != isnan (self->input.rate))
    self->last_change_ms = t_ms;
  self->input.rate = rate;
}

void
tt_advisor_bolus_given (TtAdvisor *self,
                        gint64     t_ms)
{
  g_return_if_fail (self != NULL);

  self->last_bolus_ms = t_ms;
}

double
tt_advisor_get_rate (TtAdvisor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->input.rate;
}

double
tt_advisor_get_unprimed_ml (TtAdvisor *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->input.unprimed_ml;
}

static gint64
since (gint64 t,
       gint64 event)
{
  return event < 0 ? -1 : MAX (0, t - event);
}

void
tt_advisor_update (TtAdvisor           *self,
                   const TtSignalState *signal,
                   TtAdvice            *out)
{
  TtAdvisorInput *in;
  gint64 t;

  g_return_if_fail (self != NULL && signal != NULL && out != NULL);

  in = &self->input;
  t = signal->t_ms;
  in->signal = *signal;
  advance_line (self, t);

  /* Only trustworthy samples move the "above the band" clocks; artifacts leave them. A MAP
   * wavering around the upper bound counts as above until it is clearly back in the band. */
  if (signal->valid && !signal->stale && signal->quality == TT_QUALITY_VALID &&
      isfinite (signal->map))
    {
      double upper = (in->band_low + in->band_high) / 2 +
                     self->params.hold_fraction * (in->band_high - in->band_low);

      if (signal->map > in->band_high)
        {
          if (self->above_since_ms < 0)
            self->above_since_ms = t;
          self->above_last_ms = t;
        }
      else if (signal->map <= in->band_high - self->params.above_band_hysteresis)
        self->above_since_ms = -1;
      if (signal->map > upper)
        {
          if (self->high_since_ms < 0)
            self->high_since_ms = t;
        }
      else if (signal->map <= upper - self->params.above_band_hysteresis)
        self->high_since_ms = -1;
    }

  in->since_change_ms = since (t, self->last_change_ms);
  in->since_bolus_ms = since (t, self->last_bolus_ms);
  in->above_band_ms = self->above_since_ms < 0 ? 0 : MAX (0, t - self->above_since_ms);
  in->high_ms = self->high_since_ms < 0 ? 0 : MAX (0, t - self->high_since_ms);
  in->since_above_band_ms = since (t, self->above_last_ms);

  advise (&self->params, in, out, self->texts);
}
