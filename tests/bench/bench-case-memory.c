/* bench-case-memory.c: memory (RSS) of a 12-hour case run at full speed through what the live
 * screens run — the virtual patient, the case, the live pipeline (quality, grid, metrics, advisor)
 * and the chart's data (every sample appended, a 15-min frame prepared each simulated minute) —
 * with every advice accepted. Prints RSS at 1 h, 6 h and 12 h; the growth after the first hour is
 * what the chart keeps (one MAP value and time per sample). Never fails on the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tt-case-chart.h"
#include "tt-monitor.h"
#include "tt-patient.h"

#define HOUR_MS (3600 * 1000)

/* VmRSS of this process in kB, or -1 where /proc is not there. */
static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* The clinician: accepts whatever the case holds, so the patient gets the advisor's rates. */
static void
answer (TtCase    *kase,
        TtPatient *patient)
{
  const TtCaseAdvice *advice = tt_case_get_advice (kase);
  double bolus_ug;

  if (advice == NULL)
    return;
  /* The case lets go of the advice once it is answered. */
  bolus_ug = advice->bolus_ug;
  if (tt_case_accept_advice (kase, tt_case_get_now_ms (kase), NULL))
    {
      tt_patient_set_rate (patient, tt_case_get_rate (kase));
      if (bolus_ug > 0)
        tt_patient_give_bolus (patient, bolus_ug);
    }
}

static void
bench_twelve_hours (void)
{
  TtPatientParams params;
  g_autoptr(TtPatient) patient = NULL;
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtMonitor) monitor = NULL;
  g_autoptr(TtCaseChart) case_chart = tt_case_chart_new ();
  g_autoptr(GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GError) error = NULL;
  long rss[13] = { 0 };
  gint64 start_us;
  double seconds;

  tt_patient_params_init_typical (&params);
  patient = tt_patient_new (&params, 42);
  g_free (setup->label);
  setup->label = g_strdup ("Bench");
  setup->weight_kg = params.weight_kg;
  setup->baseline_map = params.baseline_map;
  tt_case_setup_default_band (setup->baseline_map, &setup->target_lo, &setup->target_hi);
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_no_error (error);
  g_assert_true (tt_case_override_checklist (kase, "benchmark", 0, &error));
  monitor = tt_monitor_new (kase, &error);
  g_assert_no_error (error);
  tt_case_chart_set_monitor (case_chart, monitor);
  tt_chart_set_span (tt_case_chart_get_chart (case_chart), 15 * 60 * 1000, NULL);

  start_us = g_get_monotonic_time ();
  for (gint64 t = 0; t < 12 * HOUR_MS; t += 1000)
    {
      g_array_set_size (numerics, 0);
      tt_patient_advance (patient, 1000, numerics, NULL);
      if (numerics->len > 0)
        tt_monitor_push (monitor, (TtSample *) numerics->data, numerics->len);
      tt_monitor_advance (monitor, t + 1000);
      if (t == 5 * 60 * 1000)
        {
          g_assert_true (tt_case_start_induction (kase, tt_case_get_now_ms (kase), &error));
          tt_patient_start_induction (patient);
          tt_patient_set_rate (patient, tt_case_get_rate (kase));
        }
      answer (kase, patient);
      /* What the screen draws each frame: one prepared 15-min frame per simulated minute. */
      if (t % 60000 == 0)
        {
          TtChartFrame *frame = tt_chart_prepare (tt_case_chart_get_chart (case_chart), 800, 400,
                                                  NULL);

          g_assert_nonnull (frame);
          tt_chart_frame_free (frame);
        }
      if ((t + 1000) % HOUR_MS == 0)
        rss[(t + 1000) / HOUR_MS] = rss_kb ();
    }
  seconds = (g_get_monotonic_time () - start_us) / 1e6;

  g_test_message ("12-hour case (1 Hz virtual patient, pipeline, case, chart data): %.2f s "
                  "(%.0f× real time), %" G_GUINT64_FORMAT " samples, %" G_GUINT64_FORMAT
                  " grid steps, %u answers",
                  seconds, 12 * 3600 / seconds, tt_monitor_get_n_samples (monitor),
                  tt_monitor_get_n_steps (monitor),
                  tt_case_get_answer_count (kase, TT_ANSWER_ACCEPTED));
  g_test_message ("RSS at 1 h: %ld kB, 6 h: %ld kB, 12 h: %ld kB (growth 1 h → 12 h: %ld kB; "
                  "the chart keeps %zu MAP samples of 16 bytes)",
                  rss[1], rss[6], rss[12], rss[12] - rss[1],
                  tt_chart_get_n_map (tt_case_chart_get_chart (case_chart)));
  printf ("# rss_kb 1h=%ld 6h=%ld 12h=%ld\n", rss[1], rss[6], rss[12]);
  g_assert_cmpuint (tt_monitor_get_n_samples (monitor), >, 12 * 3600 * 9 / 10);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/case-memory/12h", bench_twelve_hours);

  return g_test_run ();
}
