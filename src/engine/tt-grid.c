/* tt-grid.c: the resampling grid documented in tt-grid.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tt-grid.h"

struct _TtGrid {
  gint64           step;
  TtGridPointFunc  point_func;
  TtGridStateFunc  state_func;
  gpointer         user_data;

  gboolean         started;
  gint64           cur_start;        /* the step being filled */
  GArray          *vals;             /* valid MAPs in the current step */
  guint            n_flagged;        /* flagged samples in the current step */
  guint            flag_counts[TT_N_QUALITIES];

  gboolean         have_sample;
  gint64           last_sample_t;
  gboolean         have_valid;
  gint64           last_valid_t;

  /* The last step that held samples: what a short dropout repeats. */
  gboolean         have_prev;
  TtGridStatus     prev_status;
  double           prev_map;
  TtQuality        prev_quality;

  /* Empty steps closed while their dropout is still open. */
  guint            pending;
  gint64           pending_start;

  /* VALID steps of the last minute, for the slope: a ring buffer. */
  gint64          *slope_t;
  double          *slope_v;
  guint            slope_cap;
  guint            slope_head;
  guint            slope_len;

  guint64          dropped;
};

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

TtGrid *
tt_grid_new (gint64          step_ms,
             TtGridPointFunc point_func,
             TtGridStateFunc state_func,
             gpointer        user_data)
{
  TtGrid *self;

  g_return_val_if_fail (step_ms >= TT_GRID_MIN_STEP_MS && step_ms <= TT_GRID_MAX_STEP_MS, NULL);

  self = g_new0 (TtGrid, 1);
  self->step = step_ms;
  self->point_func = point_func;
  self->state_func = state_func;
  self->user_data = user_data;
  self->vals = g_array_new (FALSE, FALSE, sizeof (double));
  self->slope_cap = (guint) (TT_GRID_SLOPE_WINDOW_MS / step_ms) + 2;
  self->slope_t = g_new (gint64, self->slope_cap);
  self->slope_v = g_new (double, self->slope_cap);
  return self;
}

void
tt_grid_free (TtGrid *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->vals);
  g_free (self->slope_t);
  g_free (self->slope_v);
  g_free (self);
}

gint64
tt_grid_get_step_ms (const TtGrid *self)
{
  return self->step;
}

guint64
tt_grid_get_n_dropped (const TtGrid *self)
{
  return self->dropped;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (double *v,
           guint   n)
{
  if (n <= 32)
    {
      for (guint i = 1; i < n; i++)
        {
          double x = v[i];
          guint j = i;

          for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
          v[j] = x;
        }
    }
  else
    qsort (v, n, sizeof (double), cmp_double);

  return (n % 2 == 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static void
emit_point (TtGrid       *self,
            gint64        t,
            TtGridStatus  status,
            double        map,
            TtQuality     quality)
{
  TtGridPoint point = { t, map, status, quality };

  if (self->point_func != NULL)
    self->point_func (&point, self->user_data);
}

static double
slope_at (TtGrid *self,
          gint64  t)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0, n, den;

  while (self->slope_len > 0 && self->slope_t[self->slope_head] <= t - TT_GRID_SLOPE_WINDOW_MS)
    {
      self->slope_head = (self->slope_head + 1) % self->slope_cap;
      self->slope_len--;
    }
  if ((gint64) self->slope_len * self->step < TT_GRID_SLOPE_MIN_COVER_MS)
    return NAN;

  for (guint i = 0; i < self->slope_len; i++)
    {
      guint k = (self->slope_head + i) % self->slope_cap;
      double x = (double) (self->slope_t[k] - t) / 60000.0;
      double y = self->slope_v[k];

      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
  n = self->slope_len;
  den = n * sxx - sx * sx;
  if (den <= 0)
    return NAN;
  return (n * sxy - sx * sy) / den;
}

static void
emit_state (TtGrid    *self,
            gint64     t,
            gboolean   has_data,
            gboolean   valid,
            double     map,
            TtQuality  quality)
{
  TtSignalState state;
  gint64 end = t + self->step;

  if (self->state_func == NULL)
    return;

  state.t_ms = t;
  /* A step whose valid samples carry it is never stale, even on a grid coarser than 10 s. */
  state.stale = !(valid && has_data) &&
                (!self->have_valid || end - self->last_valid_t > TT_SIGNAL_STALE_MS);
  state.valid = valid && !state.stale;
  state.map = state.valid ? map : NAN;
  state.quality = state.valid ? TT_QUALITY_VALID : quality;
  state.slope = state.valid ? slope_at (self, t) : NAN;
  state.last_valid_ms = self->have_valid ? self->last_valid_t : -1;
  self->state_func (&state, self->user_data);
}

/* Closes the step being filled and moves on to the next one. */
static void
close_step (TtGrid *self)
{
  gint64 t = self->cur_start;
  guint n_valid = self->vals->len;

  if (n_valid + self->n_flagged > 0)
    {
      g_assert (self->pending == 0);

      if (n_valid > self->n_flagged)
        {
          double map = median_of ((double *) (void *) self->vals->data, n_valid);
          guint k;

          if (self->slope_len == self->slope_cap)
            {
              self->slope_head = (self->slope_head + 1) % self->slope_cap;
              self->slope_len--;
            }
          k = (self->slope_head + self->slope_len) % self->slope_cap;
          self->slope_t[k] = t;
          self->slope_v[k] = map;
          self->slope_len++;

          self->prev_status = TT_GRID_VALID;
          self->prev_map = map;
          self->prev_quality = TT_QUALITY_VALID;
        }
      else
        {
          TtQuality flag = TT_QUALITY_OUT_OF_RANGE;

          for (guint q = 1; q < TT_N_QUALITIES; q++)
            if (self->flag_counts[q] > self->flag_counts[flag])
              flag = q;

          self->prev_status = TT_GRID_ARTIFACT;
          self->prev_map = NAN;
          self->prev_quality = flag;
        }
      self->have_prev = TRUE;

      emit_point (self, t, self->prev_status, self->prev_map, self->prev_quality);
      emit_state (self, t, TRUE, self->prev_status == TT_GRID_VALID, self->prev_map, self->prev_quality);

      g_array_set_size (self->vals, 0);
      self->n_flagged = 0;
      memset (self->flag_counts, 0, sizeof self->flag_counts);
    }
  else
    {
      /* An empty step: its point waits for the end of the dropout. */
      if (self->pending == 0)
        self->pending_start = t;
      self->pending++;
      emit_state (self, t, FALSE,
                  self->have_prev && self->prev_status == TT_GRID_VALID,
                  self->prev_map,
                  self->have_prev ? self->prev_quality : TT_QUALITY_VALID);
    }

  self->cur_start += self->step;
}

static void
resolve_pending (TtGrid   *self,
                 gboolean  bridged)
{
  for (guint i = 0; i < self->pending; i++)
    {
      gint64 t = self->pending_start + (gint64) i * self->step;

      if (bridged && self->have_prev)
        emit_point (self, t,
                    self->prev_status == TT_GRID_VALID ? TT_GRID_HELD : TT_GRID_ARTIFACT,
                    self->prev_map, self->prev_quality);
      else
        emit_point (self, t, TT_GRID_GAP, NAN, TT_QUALITY_VALID);
    }
  self->pending = 0;
}

void
tt_grid_push (TtGrid         *self,
              const TtSample *sample)
{
  gint64 t;
  gboolean valid;

  g_return_if_fail (self != NULL);
  g_return_if_fail (sample != NULL);

  t = sample->t_ms;
  valid = sample->quality == TT_QUALITY_VALID && isfinite (sample->map);

  if (!self->started)
    {
      self->started = TRUE;
      self->cur_start = floor_div (t, self->step) * self->step;
    }
  if (t < self->cur_start)
    {
      self->dropped++;
      return;
    }

  while (t >= self->cur_start + self->step)
    close_step (self);
  if (self->pending > 0)
    resolve_pending (self, self->have_sample && t - self->last_sample_t <= TT_GRID_MAX_HOLD_MS);

  if (valid)
    g_array_append_val (self->vals, sample->map);
  else
    {
      self->n_flagged++;
      self->flag_counts[sample->quality < TT_N_QUALITIES && sample->quality != TT_QUALITY_VALID
                        ? sample->quality : TT_QUALITY_OUT_OF_RANGE]++;
    }

  self->have_sample = TRUE;
  self->last_sample_t = t;
  if (valid)
    {
      self->have_valid = TRUE;
      self->last_valid_t = t;
    }
}

void
tt_grid_advance (TtGrid *self,
                 gint64  now_ms)
{
  g_return_if_fail (self != NULL);

  if (!self->started)
    return;

  while (self->cur_start + self->step <= now_ms)
    close_step (self);
  if (self->pending > 0 && now_ms - self->last_sample_t > TT_GRID_MAX_HOLD_MS)
    resolve_pending (self, FALSE);
}

void
tt_grid_finish (TtGrid *self)
{
  g_return_if_fail (self != NULL);

  if (!self->started)
    return;
  if (self->vals->len + self->n_flagged > 0)
    close_step (self);
  self->pending = 0;
}

static void
append_point_cb (const TtGridPoint *point,
                 gpointer           user_data)
{
  g_array_append_val ((GArray *) user_data, *point);
}

GArray *
tt_grid_resample (const TtSample *samples,
                  gsize           n_samples,
                  gint64          step_ms)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  g_autoptr(TtGrid) grid = tt_grid_new (step_ms, append_point_cb, NULL, points);

  g_return_val_if_fail (grid != NULL, points);

  for (gsize i = 0; i < n_samples; i++)
    tt_grid_push (grid, &samples[i]);
  tt_grid_finish (grid);
  return points;
}
