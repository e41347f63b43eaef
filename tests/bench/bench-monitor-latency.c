/* bench-monitor-latency.c: the time from a sample's arrival (the feed's "samples" signal) to the
 * end of the frame that shows it on the live monitor (the window's frame clock "after-paint"),
 * through everything in between: the session, the live pipeline (quality, grid, metrics, advisor,
 * case), the chart's data and the monitor page, in the application's window at 1280×800. Needs a
 * display (Xvfb); prints the median, 95th percentile and maximum. Never fails on the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tt-application.h"
#include "tt-patient-feed.h"
#include "tt-window.h"

#define N_SAMPLES 300

static gint64 fake_us;
static gint64 arrival_us = -1;
static GArray *latencies;
static gboolean have_display;

static gint64
fake_clock (gpointer user_data)
{
  return fake_us;
}

static void
samples_cb (TtFeed         *feed,
            const TtSample *samples,
            guint           n_samples)
{
  if (arrival_us < 0)
    arrival_us = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  double ms;

  if (arrival_us < 0)
    return;
  ms = (g_get_monotonic_time () - arrival_us) / 1000.0;
  g_array_append_val (latencies, ms);
  arrival_us = -1;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench_latency (void)
{
  g_autoptr(TtApplication) app = tt_application_new ();
  g_autoptr(TtPatientFeed) feed = tt_patient_feed_new (TT_PATIENT_SCENARIO_TYPICAL, 3);
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GdkFrameClock *clock;
  gulong handler;
  double *v;

  if (!have_display)
    {
      g_test_skip ("No display: run the bench suite under Xvfb to measure the frame latency");
      return;
    }

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_window_set_default_size (window, 1280, 800);

  /* A case under way, its patient on the bench's clock (one sample each time the clock moves
   * one patient second). */
  tt_patient_feed_set_clock (feed, fake_clock, NULL);
  tt_patient_feed_set_tick_ms (feed, 1);
  g_signal_connect (feed, "samples", G_CALLBACK (samples_cb), NULL);
  session = tt_session_new (kase, TT_FEED (feed));
  g_free (setup->label);
  setup->label = g_strdup ("Bench");
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_true (tt_case_override_checklist (kase, "benchmark", 0, &error));
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_no_error (error);
  tt_window_set_session (TT_WINDOW (window), session);
  gtk_widget_activate_action (GTK_WIDGET (window), "case.start-induction", NULL);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);

  latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  for (int i = 0; i < N_SAMPLES + 20; i++)
    {
      gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;
      guint before = latencies->len;

      fake_us += G_USEC_PER_SEC;
      while (latencies->len == before && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      /* The first frames pay for fonts and the chart's first stream. */
      if (i == 19)
        g_array_set_size (latencies, 0);
    }
  g_signal_handler_disconnect (clock, handler);

  g_array_sort (latencies, compare_double);
  v = (double *) latencies->data;
  g_test_message ("sample arrival → frame shown (monitor page, 1280×800, %u samples): median "
                  "%.1f ms, 95th percentile %.1f ms, max %.1f ms",
                  latencies->len, v[latencies->len / 2], v[latencies->len * 95 / 100],
                  v[latencies->len - 1]);
  g_assert_cmpuint (latencies->len, >=, N_SAMPLES * 9 / 10);
  g_clear_pointer (&latencies, g_array_unref);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-case", NULL);
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check ();

  g_test_add_func ("/bench/monitor/latency", bench_latency);

  return g_test_run ();
}
