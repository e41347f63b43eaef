/* test-monitor-page.c: the live monitor and its advice card, filled by hand with the wireframe's
 * figures (CLINICAL.md: 72 kg, 20 µg/mL, band 70–90, critical 60).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "tt-advice-card.h"
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

static void
fill_wireframe (void)
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

  tt_advice_card_set_heading (card, "08:20:46", "Give rescue bolus, then increase");
  tt_advice_card_set_bolus (card, 10, 0.5, 20);
  tt_advice_card_set_rate (card, 0.11, 23.76, 0.09, 0.02);
  tt_advice_card_set_reason (card, "MAP 53 is 17 below the band and falling 3 mmHg/min; "
                             "last change 2 min ago.", "step capped at +0.02 (max step).");
  tt_advice_card_set_next_review (card, 100);
}

static void
test_monitor_wireframe (void)
{
  GtkWidget *w = GTK_WIDGET (page);

  fill_wireframe ();
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
}

static void
test_monitor_chart_window (void)
{
  g_assert_cmpint (tt_monitor_page_get_chart_window_min (page), ==, 15);
  gtk_widget_activate_action (GTK_WIDGET (page), "monitor.chart-window", "i", 5);
  g_assert_cmpint (tt_monitor_page_get_chart_window_min (page), ==, 5);
  assert_shows (GTK_WIDGET (page), "MAP, last 5 min");
  gtk_widget_activate_action (GTK_WIDGET (page), "monitor.chart-window", "i", 15);
  assert_shows (GTK_WIDGET (page), "MAP, last 15 min");
}

static void
record_event_cb (TtMonitorPage *p,
                 const char    *kind,
                 const char    *text,
                 GString       *log)
{
  g_string_append_printf (log, "%s:%s;", kind, text != NULL ? text : "");
}

static void
test_monitor_events (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  gulong id = g_signal_connect (page, "mark-event", G_CALLBACK (record_event_cb), log);

  gtk_widget_activate_action (GTK_WIDGET (page), "monitor.mark-event", "s", "intubation");
  g_assert_cmpstr (log->str, ==, "intubation:;");
  g_signal_handler_disconnect (page, id);
}

static void
record_answer_cb (TtAdviceCard *card,
                  GString      *log)
{
  g_string_append (log, "accepted;");
}

static void
record_change_cb (TtAdviceCard *card,
                  double        rate,
                  GString      *log)
{
  g_string_append_printf (log, "changed %.3f;", rate);
}

static void
record_decline_cb (TtAdviceCard *card,
                   const char   *reason,
                   GString      *log)
{
  g_string_append_printf (log, "declined %s;", reason);
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
  g_autoptr(GString) log = g_string_new (NULL);
  GtkSpinButton *spin;
  GtkEntry *entry;
  GtkDropDown *dropdown;

  fill_wireframe ();
  g_signal_connect (card, "accepted", G_CALLBACK (record_answer_cb), log);
  g_signal_connect (card, "changed", G_CALLBACK (record_change_cb), log);
  g_signal_connect (card, "declined", G_CALLBACK (record_decline_cb), log);

  g_assert_true (tt_advice_card_get_answerable (card));
  g_assert_true (gtk_widget_activate_action (w, "advice.accept", NULL));
  g_assert_cmpstr (log->str, ==, "accepted;");

  /* Change: the form opens with the advised rate; the answer buttons wait meanwhile. */
  gtk_widget_activate_action (w, "advice.change", NULL);
  spin = GTK_SPIN_BUTTON (find_by_type (w, GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 0.11, 1e-9);
  gtk_widget_activate_action (w, "advice.accept", NULL);
  g_assert_cmpstr (log->str, ==, "accepted;");
  gtk_spin_button_set_value (spin, 0.08);
  gtk_widget_activate_action (w, "advice.save-change", NULL);
  g_assert_cmpstr (log->str, ==, "accepted;changed 0.080;");

  /* Decline: "Other" needs a typed reason; a picked reason is taken as it is. */
  gtk_widget_activate_action (w, "advice.cancel", NULL);
  gtk_widget_activate_action (w, "advice.decline", NULL);
  dropdown = GTK_DROP_DOWN (find_by_type (w, GTK_TYPE_DROP_DOWN));
  entry = GTK_ENTRY (find_by_type (w, GTK_TYPE_ENTRY));
  gtk_drop_down_set_selected (dropdown, 4);
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  g_assert_cmpstr (log->str, ==, "accepted;changed 0.080;");
  assert_shows (w, "Type the reason for declining.");
  gtk_editable_set_text (GTK_EDITABLE (entry), "  surgeon asks to wait  ");
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  g_assert_cmpstr (log->str, ==, "accepted;changed 0.080;declined surgeon asks to wait;");
  gtk_widget_activate_action (w, "advice.cancel", NULL);
  gtk_widget_activate_action (w, "advice.decline", NULL);
  gtk_drop_down_set_selected (dropdown, 1);
  gtk_widget_activate_action (w, "advice.save-decline", NULL);
  g_assert_true (g_str_has_suffix (log->str, "declined Surgical stimulus expected soon;"));

  /* Once answered, the card says so and the answers wait for the next advice. */
  tt_advice_card_set_answer (card, "Declined at 6:40");
  assert_shows (w, "Declined at 6:40");
  g_assert_false (tt_advice_card_get_answerable (card));
  g_string_truncate (log, 0);
  gtk_widget_activate_action (w, "advice.accept", NULL);
  g_assert_cmpstr (log->str, ==, "");

  /* A hold without a rate or a bolus hides both boxes. */
  tt_advice_card_set_heading (card, "08:22:00", "Hold 0.11 µg/kg/min");
  tt_advice_card_set_bolus (card, 0, 0, 20);
  tt_advice_card_set_rate (card, NAN, NAN, 0.11, 0);
  g_assert_true (tt_advice_card_get_answerable (card));
  {
    g_autofree char *text = page_text (w);

    g_assert_null (strstr (text, "Bolus 10"));
    g_assert_null (strstr (text, "Infusion"));
  }
  g_signal_handlers_disconnect_by_data (card, log);
}

static void
test_monitor_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  fill_wireframe ();
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
}

int
main (int argc, char *argv[])
{
  int status;

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
  g_test_add_func ("/monitor-page/events", test_monitor_events);
  g_test_add_func ("/monitor-page/advice-answers", test_advice_card_answers);
  g_test_add_func ("/monitor-page/screenshots", test_monitor_screenshots);

  status = g_test_run ();
  gtk_window_destroy (window);
  g_clear_object (&app);
  return status;
}
