/* test-stats.c: summaries and the two-sample tests of the in-silico trial, against values
 * computed by hand (and by direct numerical integration of Student's t density).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-stats.h"

static void
test_summary (void)
{
  double v[] = { 7, 1, NAN, 3, 5, 9, 11 };
  TtStatsSummary s;

  tt_stats_summarize (v, G_N_ELEMENTS (v), &s);
  g_assert_cmpuint (s.n, ==, 6);
  g_assert_cmpfloat_with_epsilon (s.mean, 6, 1e-12);
  /* Σ(x − 6)² = 25 + 9 + 1 + 1 + 9 + 25 = 70; √(70 / 5) */
  g_assert_cmpfloat_with_epsilon (s.sd, sqrt (14), 1e-12);
  g_assert_cmpfloat_with_epsilon (s.median, 6, 1e-12);
  /* type 7: h = 5 × 0.25 = 1.25 → 3 + 0.25 × 2; h = 3.75 → 7 + 0.75 × 2 */
  g_assert_cmpfloat_with_epsilon (s.q1, 3.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.q3, 8.5, 1e-12);
  g_assert_cmpfloat (s.min, ==, 1);
  g_assert_cmpfloat (s.max, ==, 11);

  tt_stats_summarize (v, 1, &s);
  g_assert_cmpuint (s.n, ==, 1);
  g_assert_cmpfloat (s.median, ==, 7);
  g_assert_true (isnan (s.sd));
  tt_stats_summarize (NULL, 0, &s);
  g_assert_cmpuint (s.n, ==, 0);
  g_assert_true (isnan (s.mean));
}

static void
test_t (void)
{
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (0, 5), 1.0, 1e-12);
  /* Cauchy: P(|T| ≥ 1) = 1/2; df 2: 1 − t / √(2 + t²) */
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (1, 1), 0.5, 1e-10);
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (2, 2), 0.183503419, 1e-8);
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (2, 10), 0.073388035, 1e-8);
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (-2.228139, 10), 0.05, 1e-7);
  /* Large df: the normal, 2 × Φ(−1.959964) = 0.05 */
  g_assert_cmpfloat_with_epsilon (tt_stats_t_two_sided_p (1.959964, 1e7), 0.05, 1e-6);
}

static void
test_welch (void)
{
  double a[] = { 1, 2, 3, 4, 5 };
  double b[] = { 2, 4, 6, 8, 10, 12 };
  double c[] = { 4, 4, 4 };
  double d[] = { 5, 5, 5 };

  /* t = −4 / √(2.5/5 + 14/6) = −2.37635, df = 6.97226 */
  g_assert_cmpfloat_with_epsilon (tt_stats_welch_p (a, 5, b, 6), 0.0492843, 1e-6);
  g_assert_cmpfloat_with_epsilon (tt_stats_welch_p (b, 6, a, 5), 0.0492843, 1e-6);
  g_assert_cmpfloat (tt_stats_welch_p (c, 3, c, 3), ==, 1.0);
  g_assert_cmpfloat (tt_stats_welch_p (c, 3, d, 3), ==, 0.0);
  g_assert_true (isnan (tt_stats_welch_p (a, 1, b, 6)));
}

static void
test_mann_whitney (void)
{
  double a[] = { 1, 2, 3 };
  double b[] = { 4, 5, 6 };
  double c[] = { 1, 2, 2 };
  double d[] = { 2, 3, 4 };
  double e[] = { 0, 0, 0 };

  /* U = 0, μ = 4.5, σ² = 9/12 × 7: z = (4.5 − 0.5) / 2.29129 */
  g_assert_cmpfloat_with_epsilon (tt_stats_mann_whitney_p (a, 3, b, 3), 0.0808556, 1e-6);
  g_assert_cmpfloat_with_epsilon (tt_stats_mann_whitney_p (b, 3, a, 3), 0.0808556, 1e-6);
  /* Three tied 2s share rank 3: U = 1, σ² = 9/12 × (7 − 24/30): z = 3 / 2.15639 */
  g_assert_cmpfloat_with_epsilon (tt_stats_mann_whitney_p (c, 3, d, 3), 0.1641597, 1e-6);
  g_assert_cmpfloat (tt_stats_mann_whitney_p (e, 3, e, 3), ==, 1.0);
  g_assert_true (isnan (tt_stats_mann_whitney_p (a, 0, b, 3)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/summary", test_summary);
  g_test_add_func ("/stats/t", test_t);
  g_test_add_func ("/stats/welch", test_welch);
  g_test_add_func ("/stats/mann-whitney", test_mann_whitney);
  return g_test_run ();
}
