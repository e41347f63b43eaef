/* tt-metrics.c: the metrics documented in tt-metrics.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tt-metrics.h"

const double tt_metrics_below_mmhg[TT_METRICS_N_BELOW] = { 65, 60, 55, 50, 40 };
const double tt_metrics_above_mmhg[TT_METRICS_N_ABOVE] = { 100, 110, 120, 140 };
const int tt_metrics_sustained_min[TT_METRICS_N_SUSTAINED] = { 1, 5, 10 };

/* The below thresholds, then the relative one. */
#define N_BELOW_ALL (TT_METRICS_N_BELOW + 1)

typedef enum { STEP_VALID, STEP_ARTIFACT, STEP_GAP } StepKind;

/* A max-heap holding the j smallest values seen: its top is the j-th smallest. */
typedef struct {
  double *v;
  guint   len;
  guint   cap;
} Heap;

typedef struct {
  guint64  n;
  double   sum;
  guint64  run;
  gboolean counted;
  guint    episodes;
} BelowAcc;

typedef struct {
  gboolean active;
  gint64   start;
  gint64   end;
  guint64  n_valid;
  guint64  n_artifact;
  guint64  n_gap;
  double   sum;
  double   w_mean;
  double   w_m2;
  double   min;
  double   max;
  double   arv_sum;
  guint64  arv_pairs;
  gboolean prev_valid;
  double   prev_map;
  guint64  n_band;
  BelowAcc below[N_BELOW_ALL];
  guint64  above_n[TT_METRICS_N_ABOVE];
  double   above_sum[TT_METRICS_N_ABOVE];
  Heap     low[TT_METRICS_N_SUSTAINED];
} Acc;

struct _TtMetrics {
  TtMetricsConfig config;
  double          thresholds[N_BELOW_ALL];   /* NAN for the relative one without a baseline */
  guint64         episode_steps;
  guint           sustained_steps[TT_METRICS_N_SUSTAINED];
  gint64          induction;
  GArray         *points;                    /* every step pushed, TtGridPoint */
  Acc             acc[TT_N_WINDOWS];
};

void
tt_metrics_config_init (TtMetricsConfig *config)
{
  g_return_if_fail (config != NULL);

  config->grid_ms = TT_GRID_DEFAULT_STEP_MS;
  config->band_lo = 65;
  config->band_hi = 85;
  config->target = NAN;
  config->baseline = NAN;
  config->relative_pct = TT_METRICS_DEFAULT_RELATIVE_PCT;
}

const char *
tt_window_to_string (TtMetricsWindow window)
{
  static const char *names[TT_N_WINDOWS] = { "first15", "induction", "case" };

  g_return_val_if_fail (window < TT_N_WINDOWS, "invalid");
  return names[window];
}

static guint64
steps_for (gint64 ms,
           gint64 grid_ms)
{
  return (guint64) ((ms + grid_ms - 1) / grid_ms);
}

static double
relative_threshold (const TtMetricsConfig *config)
{
  return isfinite (config->baseline) ? config->baseline * config->relative_pct / 100.0 : NAN;
}

static double
target_of (const TtMetricsConfig *config)
{
  return isfinite (config->target) ? config->target : (config->band_lo + config->band_hi) / 2.0;
}

/* ---- heaps ---------------------------------------------------------------------------------- */

static void
heap_init (Heap  *h,
           guint  cap)
{
  h->v = g_new (double, cap);
  h->len = 0;
  h->cap = cap;
}

static void
heap_push (Heap   *h,
           double  x)
{
  guint i;

  if (h->len < h->cap)
    {
      i = h->len++;
      while (i > 0 && h->v[(i - 1) / 2] < x)
        {
          h->v[i] = h->v[(i - 1) / 2];
          i = (i - 1) / 2;
        }
      h->v[i] = x;
      return;
    }
  if (!(x < h->v[0]))
    return;

  /* Replace the largest and sift down. */
  i = 0;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      double vm = x;

      if (l < h->len && h->v[l] > vm)
        {
          m = l;
          vm = h->v[l];
        }
      if (r < h->len && h->v[r] > vm)
        m = r;
      if (m == i)
        break;
      h->v[i] = h->v[m];
      i = m;
    }
  h->v[i] = x;
}

/* ---- accumulators --------------------------------------------------------------------------- */

static void
acc_clear (Acc *a)
{
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    g_clear_pointer (&a->low[k].v, g_free);
  memset (a, 0, sizeof *a);
}

static void
acc_start (TtMetrics *self,
           Acc       *a,
           gint64     start,
           gint64     end)
{
  acc_clear (a);
  a->active = TRUE;
  a->start = start;
  a->end = end;
  a->min = INFINITY;
  a->max = -INFINITY;
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    heap_init (&a->low[k], self->sustained_steps[k]);
}

static void
below_step (BelowAcc *b,
            StepKind  kind,
            double    map,
            double    theta,
            guint64   episode_steps)
{
  if (kind == STEP_VALID)
    {
      if (map < theta)
        {
          b->n++;
          b->sum += theta - map;
          b->run++;
          if (!b->counted && b->run >= episode_steps)
            {
              b->episodes++;
              b->counted = TRUE;
            }
          return;
        }
    }
  else if (kind == STEP_ARTIFACT)
    return;

  b->run = 0;
  b->counted = FALSE;
}

static void
acc_step (TtMetrics *self,
          Acc       *a,
          StepKind   kind,
          double     map)
{
  for (guint i = 0; i < N_BELOW_ALL; i++)
    if (!isnan (self->thresholds[i]))
      below_step (&a->below[i], kind, map, self->thresholds[i], self->episode_steps);

  if (kind != STEP_VALID)
    {
      if (kind == STEP_ARTIFACT)
        a->n_artifact++;
      else
        a->n_gap++;
      a->prev_valid = FALSE;
      return;
    }

  a->n_valid++;
  a->sum += map;
  {
    double delta = map - a->w_mean;

    a->w_mean += delta / (double) a->n_valid;
    a->w_m2 += delta * (map - a->w_mean);
  }
  if (map < a->min)
    a->min = map;
  if (map > a->max)
    a->max = map;

  if (a->prev_valid)
    {
      a->arv_sum += fabs (map - a->prev_map);
      a->arv_pairs++;
    }
  a->prev_valid = TRUE;
  a->prev_map = map;

  if (map >= self->config.band_lo && map <= self->config.band_hi)
    a->n_band++;

  for (guint i = 0; i < TT_METRICS_N_ABOVE; i++)
    if (map > tt_metrics_above_mmhg[i])
      {
        a->above_n[i]++;
        a->above_sum[i] += map - tt_metrics_above_mmhg[i];
      }

  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    heap_push (&a->low[k], map);
}

static StepKind
kind_of (const TtGridPoint *p)
{
  if (tt_grid_point_is_valid (p))
    return isfinite (p->map) ? STEP_VALID : STEP_ARTIFACT;
  return p->status == TT_GRID_GAP ? STEP_GAP : STEP_ARTIFACT;
}

static void
feed (TtMetrics         *self,
      const TtGridPoint *p,
      guint              first_window)
{
  StepKind kind = kind_of (p);

  for (guint w = first_window; w < TT_N_WINDOWS; w++)
    {
      Acc *a = &self->acc[w];

      if (a->active && p->t_ms >= a->start && p->t_ms < a->end)
        acc_step (self, a, kind, p->map);
    }
}

/* ---- public --------------------------------------------------------------------------------- */

TtMetrics *
tt_metrics_new (const TtMetricsConfig *config)
{
  TtMetrics *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->grid_ms > 0, NULL);

  self = g_new0 (TtMetrics, 1);
  self->config = *config;
  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    self->thresholds[i] = tt_metrics_below_mmhg[i];
  self->thresholds[TT_METRICS_N_BELOW] = relative_threshold (config);
  self->episode_steps = steps_for (TT_METRICS_EPISODE_MS, config->grid_ms);
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    self->sustained_steps[k] = (guint) steps_for (tt_metrics_sustained_min[k] * 60000,
                                                  config->grid_ms);
  self->induction = -1;
  self->points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  return self;
}

void
tt_metrics_free (TtMetrics *self)
{
  if (self == NULL)
    return;
  for (guint w = 0; w < TT_N_WINDOWS; w++)
    acc_clear (&self->acc[w]);
  g_array_unref (self->points);
  g_free (self);
}

void
tt_metrics_set_induction (TtMetrics *self,
                          gint64     t_ms)
{
  g_return_if_fail (self != NULL);

  self->induction = t_ms;
  acc_start (self, &self->acc[TT_WINDOW_FIRST15], t_ms, t_ms + TT_METRICS_FIRST_WINDOW_MS);
  acc_start (self, &self->acc[TT_WINDOW_INDUCTION], t_ms, G_MAXINT64);

  for (guint i = 0; i < self->points->len; i++)
    {
      const TtGridPoint *p = &g_array_index (self->points, TtGridPoint, i);

      if (p->t_ms >= t_ms)
        {
          StepKind kind = kind_of (p);

          for (guint w = TT_WINDOW_FIRST15; w <= TT_WINDOW_INDUCTION; w++)
            if (p->t_ms < self->acc[w].end)
              acc_step (self, &self->acc[w], kind, p->map);
        }
    }
}

gint64
tt_metrics_get_induction (const TtMetrics *self)
{
  return self->induction;
}

void
tt_metrics_push (TtMetrics         *self,
                 const TtGridPoint *point)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (point != NULL);

  if (self->points->len == 0)
    acc_start (self, &self->acc[TT_WINDOW_CASE], point->t_ms, G_MAXINT64);
  else
    {
      const TtGridPoint *last = &g_array_index (self->points, TtGridPoint, self->points->len - 1);
      gint64 next = last->t_ms + self->config.grid_ms;

      g_return_if_fail (point->t_ms >= next);

      for (; next < point->t_ms; next += self->config.grid_ms)
        {
          TtGridPoint gap = { next, NAN, TT_GRID_GAP, TT_QUALITY_VALID };

          g_array_append_val (self->points, gap);
          feed (self, &gap, 0);
        }
    }

  g_array_append_val (self->points, *point);
  feed (self, point, 0);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The k-th smallest of v[0 … n-1] (0-based), by quickselect: afterwards v[0 … k-1] ≤ v[k] ≤
 * v[k+1 …]. O(n) on average; medians of three keep sorted input fast. */
static double
select_kth (double *v,
            gsize   n,
            gsize   k)
{
  gsize lo = 0, hi = n - 1;

  while (hi > lo)
    {
      gsize mid = lo + (hi - lo) / 2, i = lo, j = hi;
      double a = v[lo], b = v[mid], c = v[hi];
      double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              double t = v[i];

              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return v[k];
    }
  return v[k];
}

/* Median of v[0 … n-1] (reorders v); the mean of the two middle values for an even count. */
static double
median_select (double *v,
                gsize   n)
{
  double upper, lower;

  if (n == 0)
    return NAN;
  upper = select_kth (v, n, n / 2);
  if (n % 2 == 1)
    return upper;
  lower = v[0];
  for (gsize i = 1; i < n / 2; i++)
    lower = MAX (lower, v[i]);
  return (lower + upper) / 2.0;
}

/* Varvel's MDPE, MDAPE and wobble of the valid MAPs @maps (reordered). */
static void
varvel (double          *maps,
        gsize            n,
        double           target,
        TtWindowMetrics *out)
{
  g_autofree double *pe = g_new (double, MAX (n, 1));

  out->target_mmhg = target;
  if (n == 0 || !(target > 0))
    {
      out->mdpe_pct = out->mdape_pct = out->wobble_pct = NAN;
      return;
    }

  for (gsize i = 0; i < n; i++)
    pe[i] = 100.0 * (maps[i] - target) / target;
  out->mdpe_pct = median_select (pe, n);
  for (gsize i = 0; i < n; i++)
    pe[i] = fabs (pe[i] - out->mdpe_pct);
  out->wobble_pct = median_select (pe, n);
  for (gsize i = 0; i < n; i++)
    pe[i] = fabs (100.0 * (maps[i] - target) / target);
  out->mdape_pct = median_select (pe, n);
}

/* Nominal [start, end) of @window; FALSE when it does not exist. */
static gboolean
window_bounds (TtMetricsWindow  window,
               gint64    induction,
               gint64    first_t,
               gint64   *start,
               gint64   *end)
{
  switch (window)
    {
    case TT_WINDOW_FIRST15:
      if (induction < 0)
        return FALSE;
      *start = induction;
      *end = induction + TT_METRICS_FIRST_WINDOW_MS;
      return TRUE;
    case TT_WINDOW_INDUCTION:
      if (induction < 0)
        return FALSE;
      *start = induction;
      *end = G_MAXINT64;
      return TRUE;
    case TT_WINDOW_CASE:
      *start = first_t;
      *end = G_MAXINT64;
      return TRUE;
    case TT_N_WINDOWS:
    default:
      break;
    }
  g_return_val_if_reached (FALSE);
}

static void
set_reported_bounds (TtWindowMetrics *out,
                     gint64           start,
                     gint64           end,
                     gint64           data_end)
{
  out->start_ms = start;
  out->end_ms = MAX (start, MIN (end, data_end));
}

/* The parts every window shares once its counts and sums are known. */
static void
finish_common (const TtMetricsConfig *config,
               guint64                n_valid,
               guint64                n_artifact,
               guint64                n_gap,
               TtWindowMetrics       *out)
{
  double g_min = config->grid_ms / 60000.0;

  out->valid_min = n_valid * g_min;
  out->artifact_min = n_artifact * g_min;
  out->gap_min = n_gap * g_min;
  out->excluded_min = out->artifact_min + out->gap_min;
}

static void
fill_below (TtBelowMetrics *b,
            guint64         n,
            double          sum,
            guint           episodes,
            double          g_min,
            double          valid_min)
{
  b->time_min = n * g_min;
  b->aut_mmhg_min = sum * g_min;
  b->twa_mmhg = valid_min > 0 ? b->aut_mmhg_min / valid_min : NAN;
  b->episodes = episodes;
}

gboolean
tt_metrics_get (TtMetrics       *self,
                TtMetricsWindow         window,
                TtWindowMetrics *out)
{
  const TtMetricsConfig *config;
  const Acc *a;
  double g_min;
  gint64 data_end;
  g_autofree double *maps = NULL;
  gsize n_maps = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (window < TT_N_WINDOWS, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  a = &self->acc[window];
  if (!a->active || self->points->len == 0)
    return FALSE;

  config = &self->config;
  g_min = config->grid_ms / 60000.0;
  data_end = g_array_index (self->points, TtGridPoint, self->points->len - 1).t_ms + config->grid_ms;
  set_reported_bounds (out, a->start, a->end, data_end);
  finish_common (config, a->n_valid, a->n_artifact, a->n_gap, out);

  out->mean_mmhg = a->n_valid > 0 ? a->sum / (double) a->n_valid : NAN;
  out->sd_mmhg = a->n_valid > 1 ? sqrt (a->w_m2 / (double) (a->n_valid - 1)) : NAN;
  out->cv_pct = 100.0 * out->sd_mmhg / out->mean_mmhg;
  out->arv_mmhg_per_min = a->arv_pairs > 0 ? a->arv_sum / (a->arv_pairs * g_min) : NAN;
  out->in_band_pct = a->n_valid > 0 ? 100.0 * (double) a->n_band / (double) a->n_valid : NAN;
  out->min_mmhg = a->n_valid > 0 ? a->min : NAN;
  out->max_mmhg = a->n_valid > 0 ? a->max : NAN;

  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    fill_below (&out->below[i], a->below[i].n, a->below[i].sum, a->below[i].episodes, g_min,
                out->valid_min);
  out->relative_mmhg = self->thresholds[TT_METRICS_N_BELOW];
  if (isnan (out->relative_mmhg))
    out->below_relative.twa_mmhg = NAN;
  else
    fill_below (&out->below_relative, a->below[TT_METRICS_N_BELOW].n,
                a->below[TT_METRICS_N_BELOW].sum, a->below[TT_METRICS_N_BELOW].episodes, g_min,
                out->valid_min);

  for (guint i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      out->above[i].time_min = a->above_n[i] * g_min;
      out->above[i].area_mmhg_min = a->above_sum[i] * g_min;
    }

  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    out->lowest_sustained_mmhg[k] = a->low[k].len == a->low[k].cap ? a->low[k].v[0] : NAN;

  maps = g_new (double, MAX (a->n_valid, 1));
  for (guint i = 0; i < self->points->len; i++)
    {
      const TtGridPoint *p = &g_array_index (self->points, TtGridPoint, i);

      if (p->t_ms >= a->start && p->t_ms < a->end && kind_of (p) == STEP_VALID)
        maps[n_maps++] = p->map;
    }
  g_assert (n_maps == a->n_valid);
  varvel (maps, n_maps, target_of (config), out);
  return TRUE;
}

/* ---- batch ---------------------------------------------------------------------------------- */

gboolean
tt_metrics_compute (const TtMetricsConfig *config,
                    const TtGridPoint     *points,
                    gsize                  n_points,
                    gint64                 induction_ms,
                    TtMetricsWindow               window,
                    TtWindowMetrics       *out)
{
  gint64 start, end, data_end, g;
  double g_min, thresholds[N_BELOW_ALL];
  guint64 episode_steps;
  g_autoptr(GArray) steps = NULL;   /* the window's steps, skipped ones filled in as GAP */
  g_autofree double *maps = NULL;
  gsize n = 0;
  guint64 n_artifact = 0, n_gap = 0;

  g_return_val_if_fail (config != NULL && config->grid_ms > 0, FALSE);
  g_return_val_if_fail (window < TT_N_WINDOWS, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (n_points == 0 || !window_bounds (window, induction_ms, points[0].t_ms, &start, &end))
    return FALSE;

  g = config->grid_ms;
  g_min = g / 60000.0;
  data_end = points[n_points - 1].t_ms + g;
  set_reported_bounds (out, start, end, data_end);

  steps = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  for (gsize i = 0; i < n_points; i++)
    {
      if (i > 0)
        for (gint64 t = points[i - 1].t_ms + g; t < points[i].t_ms; t += g)
          if (t >= start && t < end)
            {
              TtGridPoint gap = { t, NAN, TT_GRID_GAP, TT_QUALITY_VALID };

              g_array_append_val (steps, gap);
            }
      if (points[i].t_ms >= start && points[i].t_ms < end)
        g_array_append_val (steps, points[i]);
    }

  maps = g_new (double, MAX (steps->len, 1));
  for (guint i = 0; i < steps->len; i++)
    {
      const TtGridPoint *p = &g_array_index (steps, TtGridPoint, i);

      switch (kind_of (p))
        {
        case STEP_VALID:
          maps[n++] = p->map;
          break;
        case STEP_ARTIFACT:
          n_artifact++;
          break;
        case STEP_GAP:
        default:
          n_gap++;
          break;
        }
    }
  finish_common (config, n, n_artifact, n_gap, out);

  /* Mean, SD (two passes), min, max, band. */
  {
    double sum = 0, ss = 0, lo = INFINITY, hi = -INFINITY;
    gsize in_band = 0;

    for (gsize i = 0; i < n; i++)
      {
        sum += maps[i];
        lo = MIN (lo, maps[i]);
        hi = MAX (hi, maps[i]);
        if (maps[i] >= config->band_lo && maps[i] <= config->band_hi)
          in_band++;
      }
    out->mean_mmhg = n > 0 ? sum / (double) n : NAN;
    for (gsize i = 0; i < n; i++)
      ss += (maps[i] - out->mean_mmhg) * (maps[i] - out->mean_mmhg);
    out->sd_mmhg = n > 1 ? sqrt (ss / (double) (n - 1)) : NAN;
    out->cv_pct = 100.0 * out->sd_mmhg / out->mean_mmhg;
    out->min_mmhg = n > 0 ? lo : NAN;
    out->max_mmhg = n > 0 ? hi : NAN;
    out->in_band_pct = n > 0 ? 100.0 * (double) in_band / (double) n : NAN;
  }

  /* ARV over adjacent valid pairs. */
  {
    double arv = 0;
    guint64 pairs = 0;

    for (guint i = 1; i < steps->len; i++)
      {
        const TtGridPoint *a = &g_array_index (steps, TtGridPoint, i - 1);
        const TtGridPoint *b = &g_array_index (steps, TtGridPoint, i);

        if (kind_of (a) == STEP_VALID && kind_of (b) == STEP_VALID)
          {
            arv += fabs (b->map - a->map);
            pairs++;
          }
      }
    out->arv_mmhg_per_min = pairs > 0 ? arv / (pairs * g_min) : NAN;
  }

  /* Below thresholds, with episodes. */
  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    thresholds[i] = tt_metrics_below_mmhg[i];
  thresholds[TT_METRICS_N_BELOW] = relative_threshold (config);
  out->relative_mmhg = thresholds[TT_METRICS_N_BELOW];
  out->below_relative.twa_mmhg = NAN;
  episode_steps = steps_for (TT_METRICS_EPISODE_MS, g);
  for (guint k = 0; k < N_BELOW_ALL; k++)
    {
      double theta = thresholds[k], sum = 0;
      guint64 count = 0, run = 0;
      guint episodes = 0;

      if (isnan (theta))
        continue;
      for (guint i = 0; i < steps->len; i++)
        {
          const TtGridPoint *p = &g_array_index (steps, TtGridPoint, i);
          StepKind kind = kind_of (p);

          if (kind == STEP_VALID && p->map < theta)
            {
              count++;
              sum += theta - p->map;
              if (++run == episode_steps)
                episodes++;
            }
          else if (kind != STEP_ARTIFACT)
            run = 0;
        }
      fill_below (k < TT_METRICS_N_BELOW ? &out->below[k] : &out->below_relative,
                  count, sum, episodes, g_min, out->valid_min);
    }

  /* Above thresholds. */
  for (guint k = 0; k < TT_METRICS_N_ABOVE; k++)
    {
      double theta = tt_metrics_above_mmhg[k], sum = 0;
      guint64 count = 0;

      for (gsize i = 0; i < n; i++)
        if (maps[i] > theta)
          {
            count++;
            sum += maps[i] - theta;
          }
      out->above[k].time_min = count * g_min;
      out->above[k].area_mmhg_min = sum * g_min;
    }

  /* Order statistics: sort a copy. Varvel reorders maps, so this comes first. */
  {
    g_autofree double *sorted = g_memdup2 (maps, MAX (n, 1) * sizeof (double));

    qsort (sorted, n, sizeof (double), cmp_double);
    for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
      {
        guint64 j = steps_for (tt_metrics_sustained_min[k] * 60000, g);

        out->lowest_sustained_mmhg[k] = n >= j ? sorted[j - 1] : NAN;
      }
  }

  varvel (maps, n, target_of (config), out);
  return TRUE;
}

double
tt_metrics_estimate_baseline (const TtGridPoint *points,
                              gsize              n_points,
                              gint64             grid_ms,
                              gint64             induction_ms)
{
  g_autofree double *maps = g_new (double, MAX (n_points, 1));
  gsize n = 0;

  g_return_val_if_fail (grid_ms > 0, NAN);

  for (gsize i = 0; i < n_points; i++)
    if (points[i].t_ms >= induction_ms - TT_METRICS_BASELINE_WINDOW_MS &&
        points[i].t_ms < induction_ms && kind_of (&points[i]) == STEP_VALID)
      maps[n++] = points[i].map;

  if ((gint64) n * grid_ms < TT_METRICS_BASELINE_MIN_VALID_MS)
    return NAN;
  return median_select (maps, n);
}
