/* tt-stats.h: descriptive statistics and two-sample tests for the in-silico trial.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint  n;        /* finite values counted; NAN values are left out */
  double mean;
  double sd;       /* sample SD (n − 1); NAN for n < 2 */
  double median;
  double q1;       /* quartiles by linear interpolation between order statistics */
  double q3;       /* (Hyndman & Fan type 7, as R's and NumPy's default) */
  double min;
  double max;
} TtStatsSummary;

void   tt_stats_summarize       (const double   *values,
                                 gsize           n,
                                 TtStatsSummary *out);

/* Two-sided p of Welch's unequal-variance t test; NAN when a group has fewer than 2 values. */
double tt_stats_welch_p         (const double   *a,
                                 gsize           n_a,
                                 const double   *b,
                                 gsize           n_b);

/* Two-sided p of the Mann–Whitney U test by the normal approximation, with mid-ranks for ties,
 * the tie-corrected variance and a continuity correction of 0.5; NAN for an empty group. */
double tt_stats_mann_whitney_p  (const double   *a,
                                 gsize           n_a,
                                 const double   *b,
                                 gsize           n_b);

/* Student's t distribution: P(|T| ≥ |t|) with @df degrees of freedom (df > 0). */
double tt_stats_t_two_sided_p   (double          t,
                                 double          df);

G_END_DECLS
