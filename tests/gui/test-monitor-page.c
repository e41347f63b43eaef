/* test-monitor-page.c: the live monitor and its advice card, filled by hand with the wireframe's
 * figures (CLINICAL.md: 72 kg, 20 µg/mL, band 70–90, critical 60).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "tt-advice-card.h"
#include "tt-case.h"
#include "tt-chart-view.h"
#include "tt-session.h"
#include "tt-application.h"
#include "tt-monitor-page.h"
#include "tt-test-gui.h"

static TtApplication *app;
static GtkWindow *window;
static TtMonitorPage *page;

/* Every visible label's text under @widget, one per line. */
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

static char *
page_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static void
assert_shows (GtkWidget  *widget,
              const char *line)
{
  g_autofree char *text = page_text (widget);
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);
  g_autofree char *haystack = g_strconcat ("\n", text, NULL);

  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not shown; the page shows:\n%s", line, text);
}

/* 2025-03-10 08:14:00 UTC: the wireframe's "started 08:14" (the tests run with TZ=UTC). */
#define START_UNIX_MS G_GINT64_CONSTANT (1741594440000)
#define MIN_MS (60 * 1000)

/* The wireframe's case: 72 kg, 20 µg/mL, band 70–90 set at setup, running 0.09 µg/kg/min, a
 * 10 µg rescue bolus; induction at 6 min. */
static TtCase *
wireframe_case (void)
{
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(GError) error = NULL;
  TtCase *kase = tt_case_new (TRUE, "virtual patient", START_UNIX_MS);

  g_free (setup->label);
  setup->label = g_strdup ("Case 0427");
  setup->weight_kg = 72;
  setup->baseline_map = 96;
  setup->target_lo = 70;
  setup->target_hi = 90;
  setup->start_rate = 0.09;
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_no_error (error);
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    g_assert_true (tt_case_tick_item (kase, id, 1000 + id * 1000, NULL));
  g_assert_true (tt_case_start_induction (kase, 6 * MIN_MS, &error));
  g_assert_no_error (error);
  return kase;
}

static void
offer (TtCase     *kase,
       gint64      t_ms,
       double      rate,
       double      bolus_ug,
       const char *summary)
{
  g_autoptr(TtCaseAdvice) advice = tt_case_advice_new (t_ms, rate, bolus_ug, summary,
                                                       "MAP 53 is 17 below the band.");

  g_assert_true (tt_case_tick (kase, t_ms, NULL));
  tt_case_set_advice (kase, advice);
}

/* A session without a feed: its case.* actions are the window's, as in the application. */
static TtSession *
open_session (TtCase *kase)
{
  TtSession *session = tt_session_new (kase, NULL);

  gtk_widget_insert_action_group (GTK_WIDGET (window), "case", tt_session_get_actions (session));
  tt_monitor_page_set_session (page, session);
  return session;
}

static void
close_session (void)
{
  tt_monitor_page_set_session (page, NULL);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "case", NULL);
}

static void
fill_wireframe (TtCase *kase)
{
  TtAdviceCard *card = tt_monitor_page_get_advice_card (page);

  tt_monitor_page_set_alert (page, 2, "MAP 53 mmHg is below the critical threshold 60 mmHg — "
                             "rescue bolus advised", -1, 0);
  tt_monitor_page_set_band (page, 70, 90, 60);
  tt_monitor_page_set_pressures (page, 53, 84, 41, 71, -3);
  tt_monitor_page_set_signal (page, TRUE, NULL, 1000, 0);
  tt_monitor_page_set_metrics_title (page, 6 * 60000 + 32000);
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_IN_BAND, "41 %");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_BELOW_65, "2.6 min");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_AUT_65, "9.8 mmHg·min");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_TWA_65, "1.5 mmHg");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_ARV, "6.2 mmHg/min, 2 s grid");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_LOWEST_1MIN, "52 mmHg");
  tt_monitor_page_set_syringe (page, 41.6, 50, 105 * 60000, 23.8, 62, 0.86, 1);

  {
    /* The wireframe's advice, by hand: 0.11 µg/kg/min × 72 kg × 60 / 20 µg/mL = 23.76 mL/h;
     * 10 µg / 20 µg/mL = 0.5 mL; issued at 6:46 (08:20:46), next review 1:40 after the case
     * clock. */
    TtAdvice advice = {
      .t_ms = 6 * MIN_MS + 46000,
      .kind = TT_ADVICE_RESCUE_BOLUS,
      .reason = TT_REASON_CRITICAL,
      .limits = TT_LIMIT_STEP,
      .current_rate = 0.09,
      .current_ml_h = 19.44,
      .rate = 0.11,
      .ml_h = 23.76,
      .change = 0.02,
      .bolus = TRUE,
      .bolus_ug = 10,
      .bolus_ml = 0.5,
      .critical_mmhg = 60,
      .next_review_ms = tt_case_get_now_ms (kase) + 100000,
      .title = (char *) "Give rescue bolus, then increase",
      .sentence = (char *) "MAP 53 is 17 below the band and falling 3 mmHg/min; last change "
                           "2 min ago.",
      .limit_text = (char *) "step capped at +0.02 (max step).",
    };

    tt_advice_card_show_advice (card, &advice);
  }
}

static void
test_monitor_wireframe (void)
{
  GtkWidget *w = GTK_WIDGET (page);
  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session G_GNUC_UNUSED = open_session (kase);

  fill_wireframe (kase);
  tt_test_spin (100);

  assert_shows (w, "▲ HIGH · MAP 53 mmHg is below the critical threshold 60 mmHg — rescue bolus advised");
  assert_shows (w, "53");
  assert_shows (w, "mmHg ▼ below critical 60");
  assert_shows (w, "84 / 41 mmHg");
  assert_shows (w, "71 /min");
  assert_shows (w, "70 – 90 mmHg");
  assert_shows (w, "−3 mmHg/min");
  assert_shows (w, "● Arterial line: good signal");
  assert_shows (w, "last valid sample 1 s ago · 0 s excluded");
  assert_shows (w, "MAP, last 15 min");
  assert_shows (w, "0–15 min after induction (6:32 so far)");
  assert_shows (w, "6.2 mmHg/min, 2 s grid");
  assert_shows (w, "41.6 mL left of 50 mL");
  assert_shows (w, "empty in 1 h 45 min at 23.8 mL/h");
  assert_shows (w, "Total NE 62 µg (0.86 µg/kg) · 1 bolus");
  assert_shows (w, "ADVICE · 08:20:46");
  assert_shows (w, "Bolus 10 µg = 0.5 mL");
  assert_shows (w, "of 20 µg/mL, as drawn at the checklist");
  assert_shows (w, "Infusion 0.11 µg/kg/min");
  assert_shows (w, "= 23.8 mL/h (now 0.09, +0.02)");
  assert_shows (w, "◆ Limit: step capped at +0.02 (max step).");
  assert_shows (w, "Next review in 1:40");

  /* Band position in text and shape as well as colour. */
  tt_monitor_page_set_pressures (page, 64, 90, 50, 70, 0.5);
  assert_shows (w, "mmHg ▼ below band");
  tt_monitor_page_set_pressures (page, 80, 110, 62, 70, 0);
  assert_shows (w, "mmHg ● in band");
  assert_shows (w, "0 mmHg/min");
  tt_monitor_page_set_pressures (page, 96, 130, 75, 70, 1.26);
  assert_shows (w, "mmHg ▲ above band");
  assert_shows (w, "+1.3 mmHg/min");
  tt_monitor_page_set_pressures (page, 53, 84, 41, 71, -3);
  close_session ();
}

static void
test_monitor_chart_window (void)
{
  TtChartView *view = (TtChartView *) gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                     TT_TYPE_MONITOR_PAGE,
                                                                     "chart_view");

  /* The chart's own 5/15/30/60 buttons and the page's title follow one property. */
  g_assert_cmpint (tt_monitor_page_get_chart_window_min (page), ==, 15);
  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 15);
  gtk_widget_activate_action (GTK_WIDGET (view), "chart.window", "i", 5);
  g_assert_cmpint (tt_monitor_page_get_chart_window_min (page), ==, 5);
  assert_shows (GTK_WIDGET (page), "MAP, last 5 min");
  tt_monitor_page_set_chart_window_min (page, 15);
  g_assert_cmpint (tt_chart_view_get_window_minutes (view), ==, 15);
  assert_shows (GTK_WIDGET (page), "MAP, last 15 min");
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_advice_card_answers (void)
{
  TtAdviceCard *card = tt_monitor_page_get_advice_card (page);
  GtkWidget *w = GTK_WIDGET (card);
  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session G_GNUC_UNUSED = open_session (kase);
  GtkSpinButton *spin;
  GtkEntry *entry;
  GtkDropDown *dropdown;
  GtkWidget *confirm;

  g_assert_false (tt_advice_card_get_answerable (card));

  /* Accept: the bolus and the rate of the advice reach the infusion state. */
  offer (kase, 6 * MIN_MS + 46000, 0.11, 10, "Give rescue bolus, then increase");
  g_assert_true (tt_advice_card_get_answerable (card));
  gtk_widget_activate_action (w, "case.accept-advice", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_ACCEPTED), ==, 1);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (kase), 0.11, 1e-9);
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 1);
  g_assert_false (tt_advice_card_get_answerable (card));
  assert_shows (w, "✓ Accepted at 08:20:46");

  /* Change: the form opens on the advised rate with both units; a 10-fold entry needs the
   * confirmation the case asks for; the corrected rate goes through. */
  offer (kase, 9 * MIN_MS, 0.13, 0, "Increase to 0.13 µg/kg/min");
  gtk_widget_activate_action (w, "advice.change", NULL);
  spin = GTK_SPIN_BUTTON (find_by_type (w, GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 0.13, 1e-9);
  assert_shows (w, "0.13 µg/kg/min = 28.1 mL/h");

  gtk_spin_button_set_value (spin, 0.8);
  assert_shows (w, "0.80 µg/kg/min = 172.8 mL/h");
  gtk_widget_activate_action (w, "advice.save-change", NULL);
  confirm = find_by_type (w, GTK_TYPE_CHECK_BUTTON);
  g_assert_true (gtk_widget_get_visible (confirm));
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_CHANGED), ==, 0);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (kase), 0.11, 1e-9);
  gtk_spin_button_set_value (spin, 0.08);
  g_assert_false (gtk_widget_get_visible (confirm));
  gtk_widget_activate_action (w, "advice.save-change", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_CHANGED), ==, 1);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (kase), 0.08, 1e-9);
  assert_shows (w, "✓ Changed at 08:23:00: 0.08 µg/kg/min set");

  /* Decline: "Other" needs a typed reason; typed text is taken as written. */
  offer (kase, 10 * MIN_MS, 0.10, 0, "Increase to 0.10 µg/kg/min");
  gtk_widget_activate_action (w, "advice.decline", NULL);
  dropdown = GTK_DROP_DOWN (find_by_type (w, GTK_TYPE_DROP_DOWN));
  entry = GTK_ENTRY (find_by_type (w, GTK_TYPE_ENTRY));
  gtk_drop_down_set_selected (dropdown, 4);
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  assert_shows (w, "Type the reason for declining.");
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_DECLINED), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  surgeon asks to wait  ");
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_DECLINED), ==, 1);
  assert_shows (w, "✗ Declined at 08:24:00");
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (kase), 0.08, 1e-9);

  /* A picked reason. */
  offer (kase, 11 * MIN_MS, 0.10, 0, "Increase to 0.10 µg/kg/min");
  gtk_widget_activate_action (w, "advice.decline", NULL);
  gtk_drop_down_set_selected (dropdown, 1);
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_DECLINED), ==, 2);

  /* Bolus given without an advice: the drawn 10 µg. */
  g_assert_true (tt_case_tick (kase, 12 * MIN_MS, NULL));
  gtk_widget_activate_action (w, "case.bolus-given", NULL);
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 2);
  g_assert_cmpfloat_with_epsilon (tt_case_get_bolus_total_ug (kase), 20, 1e-9);
  assert_shows (w, "✓ Bolus 10 µg = 0.5 mL given at 08:26:00");

  /* A hold: no bolus box; the rate with both units, unchanged. */
  {
    TtAdvice hold = {
      .t_ms = 12 * MIN_MS, .kind = TT_ADVICE_HOLD, .reason = TT_REASON_WAITING,
      .current_rate = 0.08, .current_ml_h = 17.28, .rate = 0.08, .ml_h = 17.28,
      .next_review_ms = 13 * MIN_MS,
      .title = (char *) "Hold 0.08 µg/kg/min", .sentence = (char *) "Waiting for the last change.",
    };
    g_autofree char *text = NULL;

    tt_advice_card_show_advice (card, &hold);
    text = page_text (w);
    g_assert_null (strstr (text, "\nBolus 10 µg = 0.5 mL\n"));
    assert_shows (w, "Infusion 0.08 µg/kg/min");
    assert_shows (w, "= 17.3 mL/h (unchanged)");
    assert_shows (w, "Next review in 1:00");
  }
  close_session ();
}

static void
test_monitor_case (void)
{
  GtkWidget *w = GTK_WIDGET (page);
  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session = NULL;
  TtSignalState low = { 0 };
  GArray *events;
  const TtCaseEvent *last;

  g_assert_true (tt_case_tick (kase, 12 * MIN_MS + 32000, NULL));
  session = open_session (kase);
  g_assert_cmpstr (tt_monitor_page_get_title (page), ==, "Induction + 6:32");
  g_assert_cmpstr (tt_monitor_page_get_subtitle (page), ==,
                   "started 08:14, training with virtual patient");
  g_assert_cmpstr (tt_monitor_page_get_case_summary (page), ==,
                   "Case 0427 · 72 kg · NE 20 µg/mL · peripheral line");
  assert_shows (w, "0–15 min after induction (6:32 so far)");
  assert_shows (w, "70 – 90 mmHg");
  /* 0.09 µg/kg/min × 72 kg × 60 / 20 µg/mL = 19.44 mL/h for 6.5333 min = 2.117 mL infused:
   * 47.9 mL left, empty in 47.883 mL / 19.44 mL/h = 2 h 28 min. NE 0.09 × 72 × 6.5333 = 42.3 µg,
   * 0.59 µg/kg. */
  assert_shows (w, "47.9 mL left of 50 mL");
  assert_shows (w, "empty in 2 h 28 min at 19.4 mL/h");
  assert_shows (w, "Total NE 42 µg (0.59 µg/kg) · 0 boluses");

  /* A MAP below the critical threshold 60 raises the high-priority advisory. */
  low.t_ms = 12 * MIN_MS + 34000;
  low.valid = TRUE;
  low.map = 53;
  low.slope = -3;
  low.quality = TT_QUALITY_VALID;
  low.last_valid_ms = low.t_ms;
  tt_case_update_signal (kase, &low);
  assert_shows (w, "▲ HIGH · MAP 53 mmHg is below the critical threshold 60 mmHg");
  g_assert_true (gtk_widget_activate_action (w, "monitor.acknowledge-alert", NULL));
  g_assert_true (tt_alert_get_acknowledged (tt_case_find_alert (kase, TT_ALERT_MAP_CRITICAL)));
  assert_shows (w, "Acknowledged at 12:34");
  /* It stays up, acknowledged, while the MAP is low; it goes when the MAP recovers. */
  low.t_ms += 2000;
  low.map = 72;
  tt_case_update_signal (kase, &low);
  g_assert_null (tt_case_find_alert (kase, TT_ALERT_MAP_CRITICAL));

  /* Events at the case clock, by action and by key. */
  gtk_widget_activate_action (w, "case.event", "s", "intubation");
  events = tt_case_get_events (kase);
  last = &g_array_index (events, TtCaseEvent, events->len - 1);
  g_assert_cmpint (last->kind, ==, TT_CASE_EVENT_INTUBATION);
  g_assert_cmpint (last->t_ms, ==, 12 * MIN_MS + 36000);
  assert_shows (w, "Intubation marked at 08:26:36.");
  /* Induction is done: its action is off, as the button. */
  g_assert_false (gtk_widget_activate_action (w, "case.start-induction", NULL) &&
                  tt_case_get_events (kase)->len != events->len);

  close_session ();
}

static void
test_monitor_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session G_GNUC_UNUSED = open_session (kase);

  fill_wireframe (kase);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (window), "monitor-page-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (window), "monitor-page-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  g_test_message ("screenshots: %s, %s", light, dark);
  close_session ();
}

int
main (int argc, char *argv[])
{
  int status;

  /* Wall-clock times on the screen are local: pin the zone so that they are exact. */
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  /* The application loads the style sheets from the resource, as in the real program. */
  app = tt_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  page = g_object_new (TT_TYPE_MONITOR_PAGE, NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  tt_test_spin (300);

  g_test_add_func ("/monitor-page/wireframe", test_monitor_wireframe);
  g_test_add_func ("/monitor-page/chart-window", test_monitor_chart_window);
  g_test_add_func ("/monitor-page/advice-answers", test_advice_card_answers);
  g_test_add_func ("/monitor-page/case", test_monitor_case);
  g_test_add_func ("/monitor-page/screenshots", test_monitor_screenshots);

  status = g_test_run ();
  gtk_window_destroy (window);
  g_clear_object (&app);
  return status;
}
