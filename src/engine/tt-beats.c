/* tt-beats.c: the beat detector documented in tt-beats.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-beats.h"
#include "tt-quality.h"

struct _TtBeats {
  double    fs;
  gint64    t0_ms;
  guint64   n;               /* absolute index of the next point */

  float    *ring;            /* the last points, for the per-beat pass */
  guint64   mask;

  /* Filters, restarted after NAN points. */
  guint     smooth_len;
  guint     smooth_count;
  double    smooth_sum;
  double    y_prev;
  double   *slopes;          /* the last ssf_len positive slopes */
  guint     ssf_len;
  guint     slope_pos;
  double    ssf;
  gboolean  in_nan;
  guint64   restart;         /* first point after the last NAN run */
  guint64   warm_until;      /* detection starts at this point */

  /* Threshold. */
  gboolean  learning;
  double    learn_max;
  double    typical;         /* typical upstroke SSF, mmHg */
  gboolean  armed;
  double    cur_max;         /* SSF maximum of the current upstroke */
  gboolean  have_detect;
  guint64   last_detect;

  /* Beats. */
  gboolean  pending;
  guint64   pending_at;
  gboolean  have_prev;
  guint64   prev_start;      /* where the previous beat's upstroke passed 10 % */
  double    prev_foot_v;     /* its end-diastolic pressure */
  double    prev_fid;
  gboolean  have_anchor;
  guint64   anchor;          /* start of the stretch without a beat */

  guint     refractory;
  guint     foot_search;
  guint     lookahead;
  guint     max_period;

  TtQualityClassifier *classifier;
  guint64   n_beats;
  guint64   n_segments;
};

static guint
samples_for (double fs,
             double seconds)
{
  return MAX (1u, (guint) lround (fs * seconds));
}

TtBeats *
tt_beats_new (double fs_hz,
              gint64 t0_ms)
{
  TtBeats *self;
  guint64 size = 1;

  g_return_val_if_fail (fs_hz >= TT_BEATS_MIN_HZ && fs_hz <= TT_BEATS_MAX_HZ, NULL);

  self = g_new0 (TtBeats, 1);
  self->fs = fs_hz;
  self->t0_ms = t0_ms;
  self->smooth_len = samples_for (fs_hz, TT_BEATS_SMOOTH_S);
  self->ssf_len = samples_for (fs_hz, TT_BEATS_SSF_WINDOW_S);
  self->slopes = g_new0 (double, self->ssf_len);
  self->refractory = samples_for (fs_hz, TT_BEATS_REFRACTORY_S);
  self->foot_search = samples_for (fs_hz, TT_BEATS_FOOT_SEARCH_S);
  self->lookahead = samples_for (fs_hz, TT_BEATS_LOOKAHEAD_S);
  self->max_period = samples_for (fs_hz, TT_BEATS_MAX_PERIOD_S);

  /* A beat plus the search and look-ahead fit with room to spare. */
  while (size < (guint64) (4 * (self->max_period + self->foot_search + self->lookahead)))
    size <<= 1;
  self->ring = g_new (float, size);
  self->mask = size - 1;

  self->learning = TRUE;
  self->warm_until = samples_for (fs_hz, TT_BEATS_LEARN_S);
  self->armed = TRUE;
  self->in_nan = TRUE;   /* so that the first point starts the filters */
  self->classifier = tt_quality_classifier_new ();
  return self;
}

void
tt_beats_free (TtBeats *self)
{
  if (self == NULL)
    return;
  g_free (self->ring);
  g_free (self->slopes);
  tt_quality_classifier_free (self->classifier);
  g_free (self);
}

guint64
tt_beats_get_n_beats (const TtBeats *self)
{
  return self->n_beats;
}

guint64
tt_beats_get_n_segments (const TtBeats *self)
{
  return self->n_segments;
}

static inline float
at (const TtBeats *self,
    guint64        i)
{
  return self->ring[i & self->mask];
}

static gint64
time_of (const TtBeats *self,
         double         index)
{
  return self->t0_ms + (gint64) llround (index * 1000.0 / self->fs);
}

/* Summarises points [a, b) as a sample; @dbp NAN: the lowest point. */
static void
emit (TtBeats *self,
      guint64  a,
      guint64  b,
      double   dbp,
      double   hr,
      GArray  *out)
{
  double hi = -INFINITY, lo = INFINITY, sum = 0;
  TtSample s;

  for (guint64 i = a; i < b; i++)
    {
      double v = at (self, i);

      sum += v;
      if (v > hi)
        hi = v;
      if (v < lo)
        lo = v;
    }
  s = tt_sample_init (time_of (self, (double) a), sum / (double) (b - a));
  s.sbp = hi;
  s.dbp = isnan (dbp) ? lo : dbp;
  s.hr = hr;
  tt_quality_classifier_push (self->classifier, &s);
  g_array_append_val (out, s);
}

/* The look-ahead after a detection has arrived: find the foot, the start of the upstroke and the
 * fiducial point, and close the previous beat. */
static guint
finalize (TtBeats *self,
          GArray  *out)
{
  guint64 c = self->pending_at;
  guint64 lo = c >= self->foot_search ? c - self->foot_search : 0;
  guint64 end = c + self->lookahead;
  guint64 foot, start, half = c;
  double foot_v, peak = -INFINITY, level, level10, fid = (double) c;
  guint emitted = 0;

  self->pending = FALSE;
  lo = MAX (lo, self->restart);
  if (self->have_anchor)
    lo = MAX (lo, self->anchor);
  if (self->have_prev)
    lo = MAX (lo, self->prev_start + 1);

  /* The foot: the lowest point before the detection (end-diastolic pressure). */
  foot = lo;
  foot_v = at (self, lo);
  for (guint64 i = lo + 1; i <= c; i++)
    if (at (self, i) < foot_v)
      {
        foot_v = at (self, i);
        foot = i;
      }
  for (guint64 i = c; i <= end; i++)
    peak = MAX (peak, at (self, i));

  /* The fiducial: half-way up, interpolated; steep, so precise even with noise. */
  level = (foot_v + peak) / 2;
  for (guint64 i = foot + 1; i <= end; i++)
    if (at (self, i) >= level)
      {
        double a = at (self, i - 1), b = at (self, i);

        half = i;
        fid = (double) (i - 1) + (b > a ? (level - a) / (b - a) : 0.0);
        break;
      }
  /* The beat starts where the upstroke passes 10 % of its height: unlike the lowest point of a
   * flat diastole, this does not wander with noise. */
  level10 = foot_v + 0.1 * (peak - foot_v);
  start = half;
  while (start > foot + 1 && at (self, start - 1) >= level10)
    start--;

  if (self->have_prev)
    {
      emit (self, self->prev_start, start, self->prev_foot_v,
            60.0 * self->fs / (fid - self->prev_fid), out);
      self->n_beats++;
      emitted++;
    }
  self->have_prev = TRUE;
  self->prev_start = start;
  self->prev_foot_v = foot_v;
  self->prev_fid = fid;
  self->have_anchor = TRUE;
  self->anchor = start;
  return emitted;
}

static void
restart_filters (TtBeats *self)
{
  self->smooth_count = 0;
  self->smooth_sum = 0;
  self->y_prev = 0;
  for (guint i = 0; i < self->ssf_len; i++)
    self->slopes[i] = 0;
  self->slope_pos = 0;
  self->ssf = 0;
  self->restart = self->n;
  self->warm_until = MAX (self->warm_until, self->n + self->smooth_len + self->ssf_len);
  self->armed = FALSE;   /* wait for SSF to sit below the threshold once */
  self->pending = FALSE;
  self->have_prev = FALSE;
  self->have_anchor = TRUE;
  self->anchor = self->n;
}

guint
tt_beats_feed (TtBeats     *self,
               const float *x,
               gsize        n,
               GArray      *out)
{
  guint emitted = 0;
  double thr;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (x != NULL || n == 0, 0);
  g_return_val_if_fail (out != NULL, 0);

  thr = MAX (TT_BEATS_THRESHOLD_MIN, TT_BEATS_THRESHOLD_FRAC * self->typical);

  for (gsize k = 0; k < n; k++)
    {
      float v = x[k];
      guint64 i = self->n;
      double y, dy;

      if (G_UNLIKELY (isnan (v)))
        {
          self->in_nan = TRUE;
          self->have_prev = FALSE;
          self->have_anchor = FALSE;
          self->pending = FALSE;
          self->ring[i & self->mask] = v;
          self->n++;
          continue;
        }
      if (G_UNLIKELY (self->in_nan))
        {
          self->in_nan = FALSE;
          restart_filters (self);
        }

      self->ring[i & self->mask] = v;

      if (self->smooth_count < self->smooth_len)
        {
          self->smooth_sum += v;
          self->smooth_count++;
        }
      else
        self->smooth_sum += (double) v - (double) at (self, i - self->smooth_len);
      y = self->smooth_sum / self->smooth_count;
      dy = i > self->restart ? y - self->y_prev : 0.0;
      self->y_prev = y;
      dy = dy > 0 ? dy : 0.0;
      self->ssf += dy - self->slopes[self->slope_pos];
      self->slopes[self->slope_pos] = dy;
      if (++self->slope_pos == self->ssf_len)
        self->slope_pos = 0;
      self->n++;

      if (G_UNLIKELY (i < self->warm_until))
        {
          if (self->learning)
            self->learn_max = MAX (self->learn_max, self->ssf);
          continue;
        }
      if (G_UNLIKELY (self->learning))
        {
          self->learning = FALSE;
          self->typical = self->learn_max;
          /* Nothing could be detected while learning: the stretch without beats starts now. */
          self->anchor = i;
          thr = MAX (TT_BEATS_THRESHOLD_MIN, TT_BEATS_THRESHOLD_FRAC * self->typical);
        }

      if (self->pending)
        {
          if (i >= self->pending_at + self->lookahead)
            emitted += finalize (self, out);
        }
      else if (self->armed && self->ssf >= thr &&
               (!self->have_detect || i - self->last_detect >= self->refractory))
        {
          self->pending = TRUE;
          self->pending_at = i;
          self->have_detect = TRUE;
          self->last_detect = i;
          self->armed = FALSE;
          self->cur_max = self->ssf;
        }

      if (!self->armed)
        {
          if (self->ssf > self->cur_max)
            self->cur_max = self->ssf;
          if (self->ssf < thr)
            {
              self->armed = TRUE;
              if (self->cur_max > 0)
                {
                  self->typical = 0.75 * self->typical +
                                  0.25 * MIN (self->cur_max, 2 * self->typical);
                  thr = MAX (TT_BEATS_THRESHOLD_MIN, TT_BEATS_THRESHOLD_FRAC * self->typical);
                }
              self->cur_max = 0;
            }
        }

      if (G_UNLIKELY (self->have_anchor && !self->pending && i + 1 - self->anchor >= self->max_period))
        {
          emit (self, self->anchor, self->anchor + self->max_period, NAN, 0.0, out);
          emitted++;
          self->n_segments++;
          self->anchor += self->max_period;
          self->have_prev = FALSE;
          self->typical *= 0.5;
          thr = MAX (TT_BEATS_THRESHOLD_MIN, TT_BEATS_THRESHOLD_FRAC * self->typical);
        }
    }
  return emitted;
}

GArray *
tt_beats_detect (const float *x,
                 gsize        n,
                 double       fs_hz,
                 gint64       t0_ms)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(TtBeats) beats = tt_beats_new (fs_hz, t0_ms);

  g_return_val_if_fail (beats != NULL, out);
  tt_beats_feed (beats, x, n, out);
  return out;
}
