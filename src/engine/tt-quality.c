/* tt-quality.c: the rules of CLINICAL.md §6, as documented in tt-quality.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-quality.h"

/* A double-ended queue of (time, MAP) pairs, used as a monotonic queue: the running minimum and
 * maximum of the valid MAPs of the last 2 s in O(1) amortised per sample. */
typedef struct {
  gint64 *t;
  double *v;
  guint   cap;    /* a power of two */
  guint   head;
  guint   len;
} Deque;

/* The valid samples with SBP and DBP of one case-clock minute. */
typedef struct {
  gint64  minute;        /* t_ms / 60000; G_MININT64 while unused */
  double  pp_sum;
  double  map_sum;
  guint   n;
} Minute;

#define N_MINUTES (TT_QUALITY_DAMPING_REF_TO + 1)

struct _TtQualityClassifier {
  gint64  last_t;        /* time of the previous sample, G_MININT64 before the first */
  gint64  zero_start;    /* first sample of the current near-zero run, or -1 */
  gint64  flat_start;    /* first sample of the current PP < 5 run, or -1 */
  Deque   min_q;         /* increasing MAPs: the front is the minimum */
  Deque   max_q;         /* decreasing MAPs: the front is the maximum */
  /* Overdamping (rule 10) */
  Minute  minutes[N_MINUTES];   /* indexed by minute % N_MINUTES */
  gint64  mean_t;        /* time of the last sample in the exponential means, or -1 */
  double  pp_mean;
  double  map_mean;
};

static void
deque_init (Deque *q)
{
  q->cap = 16;
  q->t = g_new (gint64, q->cap);
  q->v = g_new (double, q->cap);
  q->head = 0;
  q->len = 0;
}

static void
deque_clear (Deque *q)
{
  g_clear_pointer (&q->t, g_free);
  g_clear_pointer (&q->v, g_free);
}

static inline guint
deque_at (const Deque *q,
          guint        i)
{
  return (q->head + i) & (q->cap - 1);
}

static void
deque_push_back (Deque  *q,
                 gint64  t,
                 double  v)
{
  if (q->len == q->cap)
    {
      guint cap = q->cap * 2;
      gint64 *nt = g_new (gint64, cap);
      double *nv = g_new (double, cap);

      for (guint i = 0; i < q->len; i++)
        {
          nt[i] = q->t[deque_at (q, i)];
          nv[i] = q->v[deque_at (q, i)];
        }
      g_free (q->t);
      g_free (q->v);
      q->t = nt;
      q->v = nv;
      q->cap = cap;
      q->head = 0;
    }
  q->t[deque_at (q, q->len)] = t;
  q->v[deque_at (q, q->len)] = v;
  q->len++;
}

static void
deque_expire (Deque  *q,
              gint64  oldest)
{
  while (q->len > 0 && q->t[q->head] < oldest)
    {
      q->head = (q->head + 1) & (q->cap - 1);
      q->len--;
    }
}

TtQualityClassifier *
tt_quality_classifier_new (void)
{
  TtQualityClassifier *self = g_new0 (TtQualityClassifier, 1);

  deque_init (&self->min_q);
  deque_init (&self->max_q);
  tt_quality_classifier_reset (self);
  return self;
}

void
tt_quality_classifier_free (TtQualityClassifier *self)
{
  if (self == NULL)
    return;
  deque_clear (&self->min_q);
  deque_clear (&self->max_q);
  g_free (self);
}

void
tt_quality_classifier_reset (TtQualityClassifier *self)
{
  g_return_if_fail (self != NULL);

  self->last_t = G_MININT64;
  self->zero_start = -1;
  self->flat_start = -1;
  self->min_q.len = 0;
  self->max_q.len = 0;
  for (guint i = 0; i < N_MINUTES; i++)
    self->minutes[i] = (Minute) { .minute = G_MININT64 };
  self->mean_t = -1;
}

static gboolean
near_zero (double v)
{
  return fabs (v) <= TT_QUALITY_ZERO_BAND;
}

/* The MPOG pulse-pressure rules for damping and flushing. */
static gboolean
mpog_damped (double sbp,
             double pp)
{
  if (sbp > 200)
    return pp < 50;
  if (sbp > 150)
    return pp < 30;
  if (sbp >= 100)
    return pp < 15;
  return pp < 10;
}

static TtQuality
classify (const TtSample *s,
          gboolean        zero_held,
          gboolean        flat_held,
          double          ref_min,
          double          ref_max)
{
  gboolean has_bp = tt_sample_has_pressures (s);
  double pp = has_bp ? s->sbp - s->dbp : NAN;
  double top;

  if (!isfinite (s->map))
    return TT_QUALITY_OUT_OF_RANGE;

  if (zero_held)
    return TT_QUALITY_ZEROING;

  top = isfinite (s->sbp) ? s->sbp : s->map;
  if (top >= TT_QUALITY_FLUSH_MIN && (!has_bp || pp < TT_QUALITY_FLUSH_PP_MAX))
    return TT_QUALITY_FLUSH;

  if ((isfinite (s->sbp) && s->sbp <= TT_QUALITY_DISCONNECTED_MAX) ||
      (isfinite (s->dbp) && s->dbp <= TT_QUALITY_DISCONNECTED_MAX) ||
      (has_bp && s->sbp == s->dbp && s->dbp == s->map))
    return TT_QUALITY_DISCONNECTED;

  if (s->map < TT_QUALITY_MAP_MIN || s->map > TT_QUALITY_MAP_MAX)
    return TT_QUALITY_OUT_OF_RANGE;

  if (flat_held)
    return TT_QUALITY_FLAT;

  if (has_bp && mpog_damped (s->sbp, pp))
    return TT_QUALITY_DAMPED;

  if (!isnan (s->hr) && !(s->hr >= TT_QUALITY_HR_MIN && s->hr <= TT_QUALITY_HR_MAX))
    return TT_QUALITY_OUT_OF_RANGE;

  if (s->map - ref_min > TT_QUALITY_JUMP_MMHG || ref_max - s->map > TT_QUALITY_JUMP_MMHG)
    return TT_QUALITY_JUMP;

  return TT_QUALITY_VALID;
}

/* Rule 10 for a sample valid by rules 1–9 that has SBP and DBP: updates the current means and
 * tells whether PP has fallen by 40 % or more from the reference minute's while MAP has not moved
 * by more than 10 mmHg. */
static gboolean
overdamped (TtQualityClassifier *self,
            const TtSample      *s)
{
  gint64 minute = s->t_ms / 60000;
  const Minute *ref = NULL;
  double ref_pp = 0;

  if (self->mean_t < 0)
    {
      self->pp_mean = s->sbp - s->dbp;
      self->map_mean = s->map;
    }
  else
    {
      double w = 1 - exp (-(double) (s->t_ms - self->mean_t) / TT_QUALITY_DAMPING_TAU_MS);

      self->pp_mean += w * (s->sbp - s->dbp - self->pp_mean);
      self->map_mean += w * (s->map - self->map_mean);
    }
  self->mean_t = s->t_ms;

  for (gint64 m = minute - TT_QUALITY_DAMPING_REF_TO; m <= minute - TT_QUALITY_DAMPING_REF_FROM; m++)
    {
      const Minute *b = &self->minutes[((m % N_MINUTES) + N_MINUTES) % N_MINUTES];

      if (b->minute == m && b->n > 0 && (ref == NULL || b->pp_sum / b->n > ref_pp))
        {
          ref = b;
          ref_pp = b->pp_sum / b->n;
        }
    }
  return ref != NULL && ref_pp > 0 &&
         self->pp_mean <= (1 - TT_QUALITY_DAMPING_FALL) * ref_pp &&
         fabs (self->map_mean - ref->map_sum / ref->n) <= TT_QUALITY_DAMPING_MAP_MMHG;
}

static void
minute_add (TtQualityClassifier *self,
            const TtSample      *s)
{
  gint64 minute = s->t_ms / 60000;
  Minute *b = &self->minutes[((minute % N_MINUTES) + N_MINUTES) % N_MINUTES];

  if (b->minute != minute)
    *b = (Minute) { .minute = minute };
  b->pp_sum += s->sbp - s->dbp;
  b->map_sum += s->map;
  b->n++;
}

TtQuality
tt_quality_classifier_push (TtQualityClassifier *self,
                            TtSample            *sample)
{
  gint64 t = sample->t_ms;
  gboolean zero_cond, flat_cond;
  double ref_min = INFINITY, ref_max = -INFINITY;

  g_return_val_if_fail (self != NULL, TT_QUALITY_OUT_OF_RANGE);
  g_return_val_if_fail (sample != NULL, TT_QUALITY_OUT_OF_RANGE);

  if (t < self->last_t)
    {
      /* Out of order: the stateless rules only; the history is left as it was. */
      sample->quality = classify (sample, FALSE, FALSE, INFINITY, -INFINITY);
      return sample->quality;
    }
  self->last_t = t;

  zero_cond = isfinite (sample->map) && near_zero (sample->map) &&
              (isnan (sample->sbp) || near_zero (sample->sbp)) &&
              (isnan (sample->dbp) || near_zero (sample->dbp));
  if (!zero_cond)
    self->zero_start = -1;
  else if (self->zero_start < 0)
    self->zero_start = t;

  flat_cond = tt_sample_has_pressures (sample) && sample->sbp - sample->dbp < TT_QUALITY_FLAT_PP;
  if (!flat_cond)
    self->flat_start = -1;
  else if (self->flat_start < 0)
    self->flat_start = t;

  deque_expire (&self->min_q, t - TT_QUALITY_JUMP_WINDOW_MS);
  deque_expire (&self->max_q, t - TT_QUALITY_JUMP_WINDOW_MS);
  if (self->min_q.len > 0)
    ref_min = self->min_q.v[self->min_q.head];
  if (self->max_q.len > 0)
    ref_max = self->max_q.v[self->max_q.head];

  sample->quality = classify (sample,
                              zero_cond && t - self->zero_start > TT_QUALITY_FLAT_MIN_MS,
                              flat_cond && t - self->flat_start > TT_QUALITY_FLAT_MIN_MS,
                              ref_min, ref_max);
  if (sample->quality == TT_QUALITY_VALID && tt_sample_has_pressures (sample))
    {
      if (overdamped (self, sample))
        sample->quality = TT_QUALITY_DAMPED;
      else
        minute_add (self, sample);
    }

  if (sample->quality == TT_QUALITY_VALID)
    {
      double v = sample->map;

      while (self->min_q.len > 0 && self->min_q.v[deque_at (&self->min_q, self->min_q.len - 1)] >= v)
        self->min_q.len--;
      deque_push_back (&self->min_q, t, v);
      while (self->max_q.len > 0 && self->max_q.v[deque_at (&self->max_q, self->max_q.len - 1)] <= v)
        self->max_q.len--;
      deque_push_back (&self->max_q, t, v);
    }

  return sample->quality;
}

void
tt_quality_classify_array (GArray *samples)
{
  g_autoptr(TtQualityClassifier) classifier = tt_quality_classifier_new ();

  g_return_if_fail (samples != NULL);

  for (guint i = 0; i < samples->len; i++)
    tt_quality_classifier_push (classifier, &g_array_index (samples, TtSample, i));
}
