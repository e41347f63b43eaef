/* tt-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-stats.h"

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The finite values of @values, sorted. */
static double *
finite_sorted (const double *values,
               gsize         n,
               gsize        *n_out)
{
  double *v = g_new (double, MAX (n, 1));
  gsize k = 0;

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      v[k++] = values[i];
  qsort (v, k, sizeof (double), cmp_double);
  *n_out = k;
  return v;
}

static double
quantile (const double *sorted,
          gsize         n,
          double        p)
{
  double h = (n - 1) * p;
  gsize lo = (gsize) floor (h);

  if (lo + 1 >= n)
    return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

void
tt_stats_summarize (const double   *values,
                    gsize           n,
                    TtStatsSummary *out)
{
  g_autofree double *v = NULL;
  double sum = 0, sq = 0;
  gsize k;

  g_return_if_fail (out != NULL);

  v = finite_sorted (values, n, &k);
  *out = (TtStatsSummary) { 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
  out->n = k;
  if (k == 0)
    return;
  for (gsize i = 0; i < k; i++)
    sum += v[i];
  out->mean = sum / k;
  for (gsize i = 0; i < k; i++)
    sq += (v[i] - out->mean) * (v[i] - out->mean);
  out->sd = k >= 2 ? sqrt (sq / (k - 1)) : NAN;
  out->median = quantile (v, k, 0.5);
  out->q1 = quantile (v, k, 0.25);
  out->q3 = quantile (v, k, 0.75);
  out->min = v[0];
  out->max = v[k - 1];
}

/* The continued fraction of the regularised incomplete beta function (modified Lentz). */
static double
beta_fraction (double a,
               double b,
               double x)
{
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1), h;

  d = fabs (d) < tiny ? tiny : d;
  d = 1 / d;
  h = d;
  for (int m = 1; m <= 300; m++)
    {
      double m2 = 2.0 * m, aa, delta;

      aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + aa * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + aa * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1 / d;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1) < 1e-15)
        break;
    }
  return h;
}

static double
incomplete_beta (double a,
                 double b,
                 double x)
{
  double front;

  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
  if (x < (a + 1) / (a + b + 2))
    return front * beta_fraction (a, b, x) / a;
  return 1 - front * beta_fraction (b, a, 1 - x) / b;
}

double
tt_stats_t_two_sided_p (double t,
                        double df)
{
  g_return_val_if_fail (df > 0, NAN);

  if (!isfinite (t))
    return isnan (t) ? NAN : 0.0;
  return incomplete_beta (df / 2, 0.5, df / (df + t * t));
}

double
tt_stats_welch_p (const double *a,
                  gsize         n_a,
                  const double *b,
                  gsize         n_b)
{
  TtStatsSummary sa, sb;
  double va, vb, se2, t, df;

  tt_stats_summarize (a, n_a, &sa);
  tt_stats_summarize (b, n_b, &sb);
  if (sa.n < 2 || sb.n < 2)
    return NAN;
  va = sa.sd * sa.sd / sa.n;
  vb = sb.sd * sb.sd / sb.n;
  se2 = va + vb;
  if (se2 == 0)
    return sa.mean == sb.mean ? 1.0 : 0.0;
  t = (sa.mean - sb.mean) / sqrt (se2);
  df = se2 * se2 / (va * va / (sa.n - 1) + vb * vb / (sb.n - 1));
  return tt_stats_t_two_sided_p (t, df);
}

typedef struct {
  double value;
  guint  group;
} Ranked;

static int
cmp_ranked (gconstpointer a,
            gconstpointer b)
{
  return cmp_double (&((const Ranked *) a)->value, &((const Ranked *) b)->value);
}

double
tt_stats_mann_whitney_p (const double *a,
                         gsize         n_a,
                         const double *b,
                         gsize         n_b)
{
  g_autofree Ranked *all = g_new (Ranked, n_a + n_b + 1);
  double rank_sum_a = 0, ties = 0, mu, sigma, u, z, n1 = 0, n2 = 0, n;
  gsize k = 0;

  for (gsize i = 0; i < n_a; i++)
    if (isfinite (a[i]))
      all[k++] = (Ranked) { a[i], 0 }, n1++;
  for (gsize i = 0; i < n_b; i++)
    if (isfinite (b[i]))
      all[k++] = (Ranked) { b[i], 1 }, n2++;
  if (n1 == 0 || n2 == 0)
    return NAN;
  qsort (all, k, sizeof (Ranked), cmp_ranked);
  for (gsize i = 0; i < k;)
    {
      gsize j = i;
      double mid, t;

      while (j + 1 < k && all[j + 1].value == all[i].value)
        j++;
      mid = (i + j) / 2.0 + 1;   /* ranks start at 1 */
      for (gsize m = i; m <= j; m++)
        if (all[m].group == 0)
          rank_sum_a += mid;
      t = j - i + 1;
      ties += t * t * t - t;
      i = j + 1;
    }
  n = n1 + n2;
  u = rank_sum_a - n1 * (n1 + 1) / 2;
  mu = n1 * n2 / 2;
  sigma = sqrt (n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))));
  if (!(sigma > 0))
    return 1.0;
  z = (fabs (u - mu) - 0.5) / sigma;
  if (z < 0)
    z = 0;
  return MIN (1.0, erfc (z / G_SQRT2));
}
