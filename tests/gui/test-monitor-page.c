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
static GtkWidget *header;
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
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_IN_BAND, "41", "%", NULL);
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_BELOW_65, "2.6", "min", NULL);
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_AUT_65, "9.8", "mmHg·min", NULL);
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_TWA_65, "1.5", "mmHg", NULL);
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_ARV, "6.2", "mmHg/min", "2 s grid");
  tt_monitor_page_set_metric (page, TT_MONITOR_METRIC_LOWEST_1MIN, "52", "mmHg", NULL);
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
  /* The ARV with its grid in small print under it. */
  assert_shows (w, "ARV\n6.2 mmHg/min\n2 s grid");
  assert_shows (w, "AUT < 65\n9.8 mmHg·min");
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

/* Shows the banner and waits until it is fully revealed (slow under sanitizers). */
static void
show_banner (int         priority,
             const char *text,
             gint64      acknowledged_ms)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                       TT_TYPE_MONITOR_PAGE,
                                                                       "alert_revealer"));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  tt_monitor_page_set_alert (page, priority, text, acknowledged_ms, 0);
  do
    tt_test_spin (50);
  while ((!gtk_revealer_get_child_revealed (revealer) ||
          gtk_widget_get_width (gtk_revealer_get_child (revealer)) == 0) &&
         g_get_monotonic_time () < end);
  g_assert_true (gtk_revealer_get_child_revealed (revealer));
}

static GtkWidget *
find_by_action (GtkWidget  *widget,
                const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The longest advice the card shows at once, with the banner up and the signal in trouble, fits
 * a 1280×800 screen under the header bar: the page asks for no more, and in the window the
 * advice card's body shows all of it (it would scroll otherwise) above buttons 44 px high. */
static void
test_monitor_fits_screen (void)
{
  TtAdviceCard *card = tt_monitor_page_get_advice_card (page);
  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session G_GNUC_UNUSED = open_session (kase);
  GtkScrolledWindow *body;
  GtkAdjustment *adjustment;
  int header_h = 0, min_w = 0, min_h = 0;
  TtAdvice advice = {
    .t_ms = 6 * MIN_MS + 46000,
    .kind = TT_ADVICE_RESCUE_BOLUS,
    .reason = TT_REASON_CRITICAL,
    .limits = TT_LIMIT_STEP | TT_LIMIT_LINE_DELAY,
    .current_rate = 0.09,
    .current_ml_h = 19.44,
    .rate = 0.11,
    .ml_h = 23.76,
    .change = 0.02,
    .bolus = TRUE,
    .bolus_ug = 10,
    .bolus_ml = 0.5,
    .critical_mmhg = 60,
    .next_review_ms = tt_case_get_now_ms (kase) + 345000,
    .title = (char *) "Give rescue bolus, then increase",
    .sentence = (char *) "MAP 53 is 17 below the band and falling 3 mmHg/min; critical 60 mmHg "
                         "reached; last change 2 min ago.",
    .limit_text = (char *) "Line delay 4 min (0.68 mL drug-free at 10.8 mL/h): prime the line to "
                           "the cannula or use a carrier flow; step capped at +0.02 (max step).",
  };

  fill_wireframe (kase);
  show_banner (2, "MAP 53 mmHg is below the critical threshold 60 mmHg — rescue bolus advised", -1);
  tt_monitor_page_set_signal (page, FALSE, "fast flush", 3000, 30000);
  tt_advice_card_show_advice (card, &advice);
  tt_test_spin (400);
  assert_shows (GTK_WIDGET (card), "Next review in 5:45");

  gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, 1280, &header_h, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_VERTICAL, 1280, &min_h, NULL, NULL,
                      NULL);
  g_test_message ("monitor page: at least %d × %d px under a %d px header", min_w, min_h,
                  header_h);
  g_assert_cmpint (min_w, <=, 1280);
  g_assert_cmpint (min_h, <=, 800 - header_h);


  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, 800);
  body = GTK_SCROLLED_WINDOW (find_by_type (GTK_WIDGET (card), GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (body);
  g_test_message ("advice body: %.0f px of %.0f shown", gtk_adjustment_get_page_size (adjustment),
                  gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), <=,
                     gtk_adjustment_get_page_size (adjustment) + 0.5);
  {
    GtkWidget *accept = find_by_action (GTK_WIDGET (card), "case.accept-advice");
    GtkWidget *answers = gtk_widget_get_parent (accept);
    GtkWidget *bolus = find_by_action (GTK_WIDGET (card), "case.bolus-given");
    guint n = 0;

    g_assert_true (GTK_IS_BUTTON (bolus));
    g_assert_cmpint (gtk_widget_get_height (bolus), >=, 44);
    for (GtkWidget *w = gtk_widget_get_first_child (answers); w != NULL;
         w = gtk_widget_get_next_sibling (w), n++)
      g_assert_cmpint (gtk_widget_get_height (w), >=, 44);
    g_assert_cmpuint (n, ==, 3);
  }
  {
    g_autofree char *path = tt_test_screenshot (GTK_WIDGET (window), "monitor-page-long-advice");

    g_test_message ("screenshot: %s", path);
  }
  close_session ();
}

/* WCAG 2 relative luminance of an 8-bit sRGB colour (0xRRGGBB). */
static double
luminance (guint32 rgb)
{
  double sum = 0;
  static const double weights[] = { 0.2126, 0.7152, 0.0722 };

  for (guint i = 0; i < 3; i++)
    {
      double c = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;

      sum += weights[i] * (c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4));
    }
  return sum;
}

static double
colour_distance (guint32 a,
                 guint32 b)
{
  double sum = 0;

  for (int shift = 0; shift <= 16; shift += 8)
    {
      double d = (double) ((a >> shift) & 0xff) - (double) ((b >> shift) & 0xff);

      sum += d * d;
    }
  return sqrt (sum);
}

#define MIN_TEXT_DISTANCE 60   /* RGB distance between the banner's colour and its text's */

/* The banner's text against the banner as drawn now: the banner's colour is the commonest one in
 * the text's area. Returns the WCAG contrast ratio. */
static double
banner_contrast (guint32 *background)
{
  GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                              TT_TYPE_MONITOR_PAGE, "alert_box"));
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                TT_TYPE_MONITOR_PAGE,
                                                                "alert_label"));
  g_autoptr(GdkTexture) texture = tt_test_render (box);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  graphene_rect_t area;
  guint32 common = 0, text = 0;
  guint best = 0;

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  g_assert_true (gtk_widget_compute_bounds (label, box, &area));
  for (int y = (int) area.origin.y; y < (int) (area.origin.y + area.size.height); y++)
    for (int x = (int) area.origin.x; x < (int) (area.origin.x + area.size.width); x++)
      {
        guint32 p = pixels[y * width + x] & 0xffffff;
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (p))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (p), GUINT_TO_POINTER (n));
        if (n > best)
          {
            best = n;
            common = p;
          }
      }
  /* The text's colour: the commonest one clearly unlike the banner's (the cores of its strokes;
   * antialiased edges spread over many colours). */
  best = 0;
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, counts);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (GPOINTER_TO_UINT (value) > best &&
          colour_distance (GPOINTER_TO_UINT (key), common) > MIN_TEXT_DISTANCE)
        {
          best = GPOINTER_TO_UINT (value);
          text = GPOINTER_TO_UINT (key);
        }
  }
  g_assert_cmpuint (best, >, 20);
  *background = common;
  {
    double a = luminance (common), b = luminance (text);

    return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
  }
}

/* Samples the banner for @ms, or until it has shown @enough colours: returns the number of banner
 * colours seen and the lowest contrast of its text in any of them. */
static guint
sample_banner (guint   ms,
               guint   enough,
               double *lowest)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  *lowest = INFINITY;
  while (g_get_monotonic_time () < end && g_hash_table_size (seen) < enough)
    {
      guint32 background = 0;

      *lowest = MIN (*lowest, banner_contrast (&background));
      g_hash_table_add (seen, GUINT_TO_POINTER (background));
      tt_test_spin (40);
    }
  return g_hash_table_size (seen);
}

/* The advisory banner in light and dark: its text keeps at least 4.5:1 (WCAG AA) against the
 * banner in both phases of the flashing; high and medium flash until acknowledged (IEC
 * 60601-1-8: 2 Hz and 0.625 Hz), low stays steady, and nothing flashes when the desktop asks for
 * no animations. The priority is in the text and the shape as well as the colour. */
static void
test_monitor_banner (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSettings *settings = gtk_settings_get_default ();
  static const char *const texts[] = {
    "● LOW · Syringe empty within 15 min",
    "◆ MEDIUM · Artifact: line flush; advice held",
    "▲ HIGH · MAP 53 mmHg is below the critical threshold 60 mmHg",
  };
  static const char *const messages[] = {
    "Syringe empty within 15 min", "Artifact: line flush; advice held",
    "MAP 53 mmHg is below the critical threshold 60 mmHg",
  };
  gboolean animations = TRUE;

  g_object_get (settings, "gtk-enable-animations", &animations, NULL);
  g_assert_true (animations);
  for (guint dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (int priority = 2; priority >= 0; priority--)
        {
          double lowest;
          guint colours;

          show_banner (priority, messages[priority], -1);
          assert_shows (GTK_WIDGET (page), texts[priority]);
          /* Flashing: both colours within a few periods (the high one's is 0.5 s, the medium
           * one's 1.6 s); steady: one colour for longer than the medium's period. */
          colours = sample_banner (priority > 0 ? 5000 : 1700, 2, &lowest);
          g_test_message ("%s priority %d: %u colours, contrast at least %.2f",
                          dark ? "dark" : "light", priority, colours, lowest);
          g_assert_cmpfloat (lowest, >=, 4.5);
          if (priority > 0)
            g_assert_cmpuint (colours, ==, 2);
          else
            {
              guint32 background = 0;

              g_assert_cmpuint (colours, ==, 1);
              /* Low is cyan (#1a7383), not the accent colour, in both styles. */
              banner_contrast (&background);
              g_assert_cmpuint (colour_distance (background, 0x1a7383), <=, 3);
            }
        }
      /* Acknowledged: steady, and as readable. */
      {
        double lowest;

        show_banner (2, messages[2], 5000);
        g_assert_cmpuint (sample_banner (1200, 2, &lowest), ==, 1);
        g_assert_cmpfloat (lowest, >=, 4.5);
      }
    }

  /* Reduced motion: GTK runs no CSS animation, the banner stays in its steady colour. */
  g_object_set (settings, "gtk-enable-animations", FALSE, NULL);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  show_banner (1, messages[1], -1);
  show_banner (2, messages[2], -1);
  {
    double lowest;

    g_assert_cmpuint (sample_banner (1200, 2, &lowest), ==, 1);
    g_assert_cmpfloat (lowest, >=, 4.5);
  }
  g_object_set (settings, "gtk-enable-animations", TRUE, NULL);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  tt_monitor_page_set_alert (page, 0, NULL, -1, 0);
}

/* libadwaita 1.2 follows the desktop's high-contrast setting: through the settings portal, or
 * where there is none (as here) the GSettings key org.gnome.desktop.a11y.interface high-contrast
 * (gsettings-desktop-schemas), which the tests' memory backend lets us set. Returns the settings
 * to reset, or NULL when the schema is not installed. */
static GSettings *
force_high_contrast (gboolean on)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettings *a11y;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.a11y.interface", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "high-contrast"))
    return NULL;
  a11y = g_settings_new ("org.gnome.desktop.a11y.interface");
  g_settings_set_boolean (a11y, "high-contrast", on);
  return a11y;
}

static void
test_monitor_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const struct { const char *name; AdwColorScheme scheme; gboolean high_contrast; } shots[] = {
    { "monitor-page-light", ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE },
    { "monitor-page-dark", ADW_COLOR_SCHEME_FORCE_DARK, FALSE },
    { "monitor-page-hc-light", ADW_COLOR_SCHEME_FORCE_LIGHT, TRUE },
    { "monitor-page-hc-dark", ADW_COLOR_SCHEME_FORCE_DARK, TRUE },
  };
  g_autoptr(TtCase) kase = wireframe_case ();
  g_autoptr(TtSession) session G_GNUC_UNUSED = open_session (kase);
  g_autoptr(GSettings) a11y = NULL;

  fill_wireframe (kase);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *path = NULL;

      if (shots[i].high_contrast && a11y == NULL)
        {
          a11y = force_high_contrast (TRUE);
          if (a11y == NULL)
            {
              g_test_message ("no high-contrast screenshots: the schema "
                              "org.gnome.desktop.a11y.interface is not installed");
              break;
            }
          tt_test_spin (100);
          /* With a settings portal on the session bus, libadwaita follows the portal instead. */
          if (!adw_style_manager_get_high_contrast (style))
            {
              g_test_message ("no high-contrast screenshots: libadwaita follows a settings "
                              "portal here, not the GSettings key");
              break;
            }
        }
      adw_style_manager_set_color_scheme (style, shots[i].scheme);
      tt_test_spin (300);
      path = tt_test_screenshot (GTK_WIDGET (window), shots[i].name);
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      g_test_message ("screenshot: %s", path);
    }
  if (a11y != NULL)
    {
      g_settings_reset (a11y, "high-contrast");
      tt_test_spin (100);
      g_assert_false (adw_style_manager_get_high_contrast (style));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
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
  app = tt_test_app_new ();

  /* Under a header bar, as in the application's window. */
  window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  page = g_object_new (TT_TYPE_MONITOR_PAGE, NULL);
  header = adw_header_bar_new ();
  {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    gtk_box_append (GTK_BOX (box), header);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (page));
    gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
    adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  }
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  tt_test_spin (300);

  g_test_add_func ("/monitor-page/wireframe", test_monitor_wireframe);
  g_test_add_func ("/monitor-page/chart-window", test_monitor_chart_window);
  g_test_add_func ("/monitor-page/advice-answers", test_advice_card_answers);
  g_test_add_func ("/monitor-page/case", test_monitor_case);
  g_test_add_func ("/monitor-page/fits-screen", test_monitor_fits_screen);
  g_test_add_func ("/monitor-page/banner", test_monitor_banner);
  g_test_add_func ("/monitor-page/screenshots", test_monitor_screenshots);

  status = g_test_run ();
  gtk_window_destroy (window);
  tt_test_app_free (&app);
  return status;
}
