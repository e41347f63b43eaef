/* bench-advisor.c: the advisor over a generated 12-hour case at 1 Hz, the clinician accepting
 * every advice. Prints steps per second and the total time; never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-advisor.h"

#define HOURS 12
#define STEP_MS 1000

static void
run_case (gboolean texts)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(TtAdvisor) advisor = tt_advisor_new (NULL);
  gint64 n = (gint64) HOURS * 3600 * 1000 / STEP_MS;
  guint changes = 0, boluses = 0, no_advice = 0;
  gint64 start, elapsed;

  tt_advisor_set_infusion (advisor, 20, 72, 0.3);
  tt_advisor_set_band (advisor, 70, 90);
  tt_advisor_set_bolus (advisor, 10, 20);
  tt_advisor_rate_set (advisor, 0, 0.05);
  tt_advisor_set_texts (advisor, texts);

  start = g_get_monotonic_time ();
  for (gint64 i = 0; i < n; i++)
    {
      gint64 t = i * STEP_MS;
      double minutes = t / 60000.0;
      /* Slow waves through and around the band, noise, and an artifact now and then. */
      double map = 78 + 18 * sin (minutes / 9) + 6 * sin (minutes / 2.3) +
                   g_rand_double_range (rand, -2, 2);
      double slope = 2 * cos (minutes / 9) + 2.6 * cos (minutes / 2.3);
      TtSignalState signal = {
        .t_ms = t, .valid = TRUE, .map = map, .slope = slope, .quality = TT_QUALITY_VALID,
        .stale = FALSE, .last_valid_ms = t,
      };
      g_auto(TtAdvice) advice = { 0, };

      if (g_rand_int_range (rand, 0, 200) == 0)
        {
          signal.valid = FALSE;
          signal.map = NAN;
          signal.quality = TT_QUALITY_FLUSH;
        }

      tt_advisor_update (advisor, &signal, &advice);
      no_advice += advice.kind == TT_ADVICE_NO_ADVICE;
      if (advice.change != 0)
        {
          tt_advisor_rate_set (advisor, t, advice.rate);
          changes++;
        }
      if (advice.bolus)
        {
          tt_advisor_bolus_given (advisor, t);
          boluses++;
        }
    }
  elapsed = g_get_monotonic_time () - start;

  g_test_message ("advisor %s: %" G_GINT64_FORMAT " steps (%d h at %d ms) in %.3f s = %.0f "
                  "steps/s; %u rate changes, %u boluses, %u steps without advice",
                  texts ? "with texts" : "numbers only", n, HOURS, STEP_MS, elapsed / 1e6,
                  n / MAX (elapsed / 1e6, 1e-9), changes, boluses, no_advice);
  g_assert_cmpuint (changes, >, 0);
}

static void
bench_advisor (void)
{
  run_case (TRUE);
  run_case (FALSE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/advisor", bench_advisor);

  return g_test_run ();
}
