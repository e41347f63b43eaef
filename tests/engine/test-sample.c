/* test-sample.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-sample.h"

static void
test_sample_init (void)
{
  TtSample s = tt_sample_init (1500, 72.5);

  g_assert_cmpint (s.t_ms, ==, 1500);
  g_assert_cmpfloat (s.map, ==, 72.5);
  g_assert_true (isnan (s.sbp));
  g_assert_true (isnan (s.dbp));
  g_assert_true (isnan (s.hr));
  g_assert_cmpint (s.quality, ==, TT_QUALITY_VALID);
  g_assert_false (tt_sample_has_pressures (&s));

  s.sbp = 110;
  s.dbp = 60;
  g_assert_true (tt_sample_has_pressures (&s));
}

static void
test_quality_names (void)
{
  g_assert_cmpstr (tt_quality_to_string (TT_QUALITY_VALID), ==, "valid");
  g_assert_cmpstr (tt_quality_to_string (TT_QUALITY_FLUSH), ==, "flush");
  g_assert_cmpstr (tt_quality_to_string (TT_QUALITY_DISCONNECTED), ==, "disconnected");
  g_assert_cmpstr (tt_quality_describe (TT_QUALITY_ZEROING), ==, "Zeroing or open to air");

  for (int q = 0; q < TT_N_QUALITIES; q++)
    {
      g_assert_nonnull (tt_quality_to_string (q));
      g_assert_nonnull (tt_quality_describe (q));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sample/init", test_sample_init);
  g_test_add_func ("/sample/quality-names", test_quality_names);

  return g_test_run ();
}
