/* test-summary-page.c: the end-of-case summary with metrics the engine computed on a hand-made
 * series, and the case's adherence figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "tt-application.h"
#include "tt-summary-page.h"
#include "tt-test-gui.h"

#define MIN_MS (60 * 1000)
#define START_UNIX_MS G_GINT64_CONSTANT (1741594440000)

static TtApplication *app;
static GtkWindow *window;
static TtSummaryPage *page;

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static void
assert_shows (const char *line)
{
  g_autoptr(GString) out = g_string_new ("\n");
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);

  collect_text (GTK_WIDGET (page), out);
  if (strstr (out->str, needle) == NULL)
    g_error ("“%s” is not shown; the page shows:%s", line, out->str);
}

/* 20 minutes from induction (t = 0) on the 2 s grid: MAP 80 for 10 min, 60 for 5 min, 80 again;
 * band 70–90. */
static GArray *
make_points (void)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));

  for (gint64 t = 0; t < 20 * MIN_MS; t += 2000)
    {
      TtGridPoint p = { t, (t >= 10 * MIN_MS && t < 15 * MIN_MS) ? 60 : 80, TT_GRID_VALID,
                        TT_QUALITY_VALID };

      g_array_append_val (points, p);
    }
  return points;
}

static void
test_summary_metrics (void)
{
  g_autoptr(GArray) points = make_points ();
  TtMetricsConfig config;
  TtWindowMetrics m;

  tt_metrics_config_init (&config);
  config.band_lo = 70;
  config.band_hi = 90;
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    {
      g_assert_true (tt_metrics_compute (&config, (TtGridPoint *) points->data, points->len, 0, w,
                                         &m));
      tt_summary_page_set_metrics (page, w, &m, config.grid_ms);
    }
  tt_test_spin (50);

  /* 0–15 min: 10 min at 80 (in band), 5 min at 60: below 65 for 5 min, AUT 5 × 5 = 25 mmHg·min,
   * TWA 25 / 15 = 1.67 mmHg, in band 10 / 15 = 67 %, one episode, lowest minute 60 mmHg.
   * Mean (10 × 80 + 5 × 60) / 15 = 73.3. ARV: one step of 20 mmHg over 449 pairs × 2 s
   * = 14.97 min: 1.3 mmHg/min. */
  assert_shows ("0:00 – 15:00");
  assert_shows ("15 min");
  assert_shows ("67 %");
  assert_shows ("5 min");
  assert_shows ("25 mmHg·min");
  assert_shows ("1.67 mmHg");
  assert_shows ("73 ± 9.4 mmHg");
  assert_shows ("1.3 mmHg/min, 2 s grid");
  assert_shows ("60 mmHg");
  /* Whole case: 20 min, below 65 still 5 min, TWA 25 / 20 = 1.25 mmHg; in band 15 / 20 = 75 %.
   * ARV: two steps of 20 over 599 pairs × 2 s = 19.97 min: 2.0 mmHg/min. */
  assert_shows ("0:00 – 20:00");
  assert_shows ("1.25 mmHg");
  assert_shows ("75 %");
  assert_shows ("2 mmHg/min, 2 s grid");
}

static void
test_summary_case (void)
{
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", START_UNIX_MS);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtCaseAdvice) advice = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtSession) session = NULL;

  g_free (setup->label);
  setup->label = g_strdup ("Case 0427");
  setup->weight_kg = 72;
  setup->target_lo = 70;
  setup->target_hi = 90;
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_true (tt_case_override_checklist (kase, "arterial line in theatre only", 1000, &error));
  g_assert_no_error (error);
  g_assert_true (tt_case_start_induction (kase, 2 * MIN_MS, &error));
  session = tt_session_new (kase, NULL);
  tt_summary_page_set_session (page, session);

  advice = tt_case_advice_new (3 * MIN_MS, 0.07, 0, "Increase to 0.07 µg/kg/min", "Low.");
  tt_case_set_advice (kase, advice);
  g_assert_true (tt_case_accept_advice (kase, 3 * MIN_MS, &error));
  tt_case_set_advice (kase, advice);
  g_assert_true (tt_case_decline_advice (kase, "surgeon asks to wait", 4 * MIN_MS, &error));
  g_assert_true (tt_case_give_bolus (kase, 10, TRUE, 5 * MIN_MS, &error));
  g_assert_true (tt_case_end (kase, 12 * MIN_MS, &error));
  g_assert_no_error (error);

  /* 0.05 µg/kg/min × 72 kg for 1 min + 0.07 × 72 for 9 min = 3.6 + 45.36 = 48.96 µg, plus the
   * 10 µg bolus: 59 µg, 0.82 µg/kg. Infused: 48.96 µg / 20 µg/mL = 2.4 mL. */
  assert_shows ("Case 0427 · started 08:14 · 12:00 · Ended");
  assert_shows ("2 advices answered");
  assert_shows ("Accepted 1 · changed 0 · declined 1");
  assert_shows ("Total NE 59 µg (0.82 µg/kg) · infused 2.4 mL · 1 bolus");
  assert_shows ("◆ Checklist overridden: arterial line in theatre only");
  tt_summary_page_set_session (page, NULL);
}

static void
test_summary_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (window), "summary-page-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (window), "summary-page-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = tt_test_app_new ();

  window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  page = g_object_new (TT_TYPE_SUMMARY_PAGE, NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  tt_test_spin (300);

  g_test_add_func ("/summary-page/metrics", test_summary_metrics);
  g_test_add_func ("/summary-page/case", test_summary_case);
  g_test_add_func ("/summary-page/screenshots", test_summary_screenshots);

  status = g_test_run ();
  gtk_window_destroy (window);
  tt_test_app_free (&app);
  return status;
}
