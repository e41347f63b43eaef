/* test-case-flow.c: a whole training case through the window's actions, driven by the virtual
 * patient on a test clock at 60×: setup errors, checklist gating and override, induction, advice
 * accepted, changed and declined, a bolus, an artifact burst that makes the advisor hold (and the
 * card say why), events, the end of the case and its summary; screenshots of the monitor and the
 * summary in light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#include "tt-application.h"
#include "tt-monitor-page.h"
#include "tt-patient-feed.h"
#include "tt-summary-page.h"
#include "tt-test-gui.h"
#include "tt-window.h"

#define MIN_MS (60 * 1000)

static TtApplication *app;
static TtPatientFeed *feed;
static TtStore *store;
static char *tmp_dir;
static gint64 fake_us;

static gint64
fake_clock (gpointer user_data)
{
  return fake_us;
}

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static gpointer
window_child (const char *name)
{
  return tt_test_window_child (get_window (), name);
}

static gpointer
setup_child (const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (tt_window_get_setup_page (get_window ())),
                                                  TT_TYPE_SETUP_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static gpointer
card_child (GtkWidget  *card,
            const char *name)
{
  gpointer child = gtk_widget_get_template_child (card, TT_TYPE_ADVICE_CARD, name);

  g_assert_nonnull (child);
  return child;
}

static TtMonitorPage *
monitor_page (void)
{
  return TT_MONITOR_PAGE (window_child ("monitor_page"));
}

static TtCase *
current_case (void)
{
  return tt_session_get_case (tt_window_get_session (get_window ()));
}

static TtMonitor *
current_monitor (void)
{
  return tt_session_get_monitor (tt_window_get_session (get_window ()));
}

static void
activate (GtkWidget  *target,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (target, action, parameter));
  tt_test_spin (20);
}

/* Lets the virtual patient run @seconds of its time (60 × the test clock), in steps of at most
 * 2 s so that the feed delivers in small batches as a live one would. */
static void
run_patient (int seconds)
{
  tt_test_run_patient (feed, &fake_us, seconds, 2);
}

/* Runs the patient until the case holds an advice to answer; FALSE after @max_s seconds. */
static gboolean
run_until_advice (int max_s)
{
  for (int s = 0; s < max_s; s += 2)
    {
      if (tt_case_get_advice (current_case ()) != NULL)
        return TRUE;
      run_patient (2);
    }
  return tt_case_get_advice (current_case ()) != NULL;
}

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
shown_text (GtkWidget *widget)
{
  GString *out = g_string_new ("\n");

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static void
assert_shows (GtkWidget  *widget,
              const char *line)
{
  g_autofree char *text = shown_text (widget);
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);

  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not shown; the widget shows:%s", line, text);
}

static void
screenshots (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light_name = g_strconcat (name, "-light", NULL);
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  tt_test_spin (300);
  light = tt_test_screenshot (GTK_WIDGET (get_window ()), light_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  tt_test_spin (300);
  dark = tt_test_screenshot (GTK_WIDGET (get_window ()), dark_name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  g_test_message ("screenshots: %s, %s", light, dark);
}

/* The case opens as "win.new-training-case" opens it, with a patient whose clock the test holds. */
static void
test_flow_open (void)
{
  TtWindow *window = get_window ();
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 1741594440000);
  g_autoptr(TtSession) session = NULL;
  g_autoptr(TtCaseSetup) defaults = tt_case_setup_new ();
  g_autoptr(GError) error = NULL;
  TtPatientParams params;

  feed = tt_patient_feed_new (TT_PATIENT_SCENARIO_ELDERLY_SEVERE, 7);
  tt_patient_feed_set_clock (feed, fake_clock, NULL);
  tt_patient_feed_set_tick_ms (feed, 1);
  tt_patient_feed_set_speed (feed, 60);
  tt_patient_scenario_params (TT_PATIENT_SCENARIO_ELDERLY_SEVERE, &params);
  defaults->weight_kg = params.weight_kg;
  defaults->baseline_map = params.baseline_map;
  tt_case_setup_default_band (defaults->baseline_map, &defaults->target_lo, &defaults->target_hi);

  session = tt_session_new (kase, TT_FEED (feed));
  tt_session_set_setup_defaults (session, defaults);
  /* The case is written to a session log of its own as it happens. */
  {
    g_autofree char *db = g_build_filename (tmp_dir, "sessions.db", NULL);

    store = tt_store_open (db, &error);
    g_assert_no_error (error);
    tt_session_set_store (session, store);
  }
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_no_error (error);
  tt_window_set_session (window, session);
  tt_test_spin (50);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "setup");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
}

static void
test_flow_setup (void)
{
  TtWindow *window = get_window ();
  GtkWidget *page = GTK_WIDGET (tt_window_get_setup_page (window));

  /* An empty label is refused on its field; then the case goes on to the checklist. */
  activate (page, "setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_SETUP);
  g_assert_nonnull (tt_setup_page_get_error (TT_SETUP_PAGE (page), TT_SETUP_LABEL));
  gtk_editable_set_text (GTK_EDITABLE (setup_child ("label_row")), "Sim 0427");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("weight_spin")), 500);
  activate (page, "setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_SETUP);
  g_assert_cmpstr (tt_setup_page_get_error (TT_SETUP_PAGE (page), TT_SETUP_WEIGHT), ==,
                   "Weight 500 kg is outside 30–250 kg");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("weight_spin")), 72);
  activate (page, "setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_CHECKLIST);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");
  /* With the setup, the live pipeline starts and the patient's samples reach it. */
  g_assert_nonnull (current_monitor ());
  run_patient (120);
  g_assert_cmpuint (tt_monitor_get_n_samples (current_monitor ()), >=, 119);
}

static void
test_flow_checklist (void)
{
  TtWindow *window = get_window ();
  GtkWidget *w = GTK_WIDGET (window);
  GActionGroup *actions = tt_session_get_actions (tt_window_get_session (window));
  static const char *items[] = { "pump-primed", "syringe", "iv-access", "rescue-bolus", "map-target" };

  /* Induction waits for the checklist: five of six is not enough. */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    activate (w, "case.toggle-item", g_variant_new_string (items[i]));
  g_assert_cmpuint (tt_case_get_checklist_done (current_case ()), ==, 5);
  g_assert_false (g_action_group_get_action_enabled (actions, "start-induction"));
  /* The override needs a reason; it is logged and raises a low advisory. */
  activate (w, "case.override", g_variant_new_string ("Arterial line zeroed by the nurse"));
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_READY);
  g_assert_true (g_action_group_get_action_enabled (actions, "start-induction"));
  g_assert_nonnull (tt_case_find_alert (current_case (), TT_ALERT_CHECKLIST_OVERRIDE));
}

static void
test_flow_induction (void)
{
  TtWindow *window = get_window ();
  TtMonitorPage *page = monitor_page ();

  /* The event button on the monitor (Alt+I) names case.start-induction. */
  activate (GTK_WIDGET (page), "case.start-induction", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "monitor");
  g_assert_cmpfloat (tt_case_get_rate (current_case ()), ==, 0.05);
  run_patient (10);
  /* The header is the case clock; the case line and End case beside it. */
  g_assert_true (g_str_has_prefix (adw_window_title_get_title (window_child ("window_title")),
                                   "Induction + 0:"));
  g_assert_true (g_str_has_prefix (adw_window_title_get_subtitle (window_child ("window_title")),
                                   "started 08:14, training with virtual patient"));
  g_assert_cmpstr (gtk_label_get_text (window_child ("case_label")), ==,
                   "Sim 0427 · 72 kg · NE 20 µg/mL · peripheral line");
  g_assert_true (gtk_widget_get_visible (window_child ("end_button")));
  /* The override's advisory is on the banner: low, cyan, a circle and the word. */
  {
    g_autofree char *text = shown_text (GTK_WIDGET (page));

    g_assert_nonnull (strstr (text, "\n● LOW · "));
  }
  activate (GTK_WIDGET (page), "monitor.acknowledge-alert", NULL);
  g_assert_null (tt_case_find_alert (current_case (), TT_ALERT_CHECKLIST_OVERRIDE));

  /* The live figures: the big MAP, a good line, the metrics strip under way. */
  assert_shows (GTK_WIDGET (page), "● Arterial line: good signal");
  {
    g_autofree char *map = g_strdup_printf ("%.0f", round (tt_monitor_get_signal (current_monitor ())->map));

    assert_shows (GTK_WIDGET (page), map);
  }
  g_assert_cmpuint (tt_chart_get_n_map (tt_session_get_chart (tt_window_get_session (window))),
                    >=, 125);
}

static void
test_flow_advice (void)
{
  TtMonitorPage *page = monitor_page ();
  TtAdviceCard *card = tt_monitor_page_get_advice_card (page);
  GtkWidget *w = GTK_WIDGET (card);
  const TtAdvice *pending;
  double rate;

  /* The induction fall brings an advice; the card shows it in both units, the case holds it. */
  g_assert_true (run_until_advice (15 * 60));
  pending = tt_monitor_get_pending (current_monitor ());
  g_assert_nonnull (pending);
  g_assert_true (tt_advice_card_get_answerable (card));
  assert_shows (w, pending->title);
  {
    g_autofree char *rate_text = tt_dose_format_number (pending->rate, 2, 3);
    g_autofree char *line = g_strdup_printf ("Infusion %s µg/kg/min", rate_text);

    assert_shows (w, line);
  }
  screenshots ("case-monitor");

  /* Accepted: the case (and the patient) get the advised rate. */
  rate = pending->rate;
  activate (w, "case.accept-advice", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (current_case (), TT_ANSWER_ACCEPTED), ==, 1);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (current_case ()), rate, 1e-9);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (card_child (w, "answer_label")),
                                   "✓ Accepted at "));

  /* The next advice is changed: the rate actually set is entered on the card. */
  g_assert_true (run_until_advice (10 * 60));
  activate (w, "advice.change", NULL);
  rate = tt_case_get_rate (current_case ()) + 0.01;
  gtk_spin_button_set_value (card_child (w, "change_spin"), rate);
  activate (w, "advice.save-change", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (current_case (), TT_ANSWER_CHANGED), ==, 1);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate (current_case ()), rate, 1e-9);

  /* The next one is declined with a picked reason. */
  g_assert_true (run_until_advice (10 * 60));
  activate (w, "advice.decline", NULL);
  gtk_drop_down_set_selected (card_child (w, "decline_dropdown"), 1);
  activate (w, "advice.save-decline", NULL);
  g_assert_cmpuint (tt_case_get_answer_count (current_case (), TT_ANSWER_DECLINED), ==, 1);

  /* A bolus given by hand. */
  {
    guint boluses = tt_case_get_bolus_count (current_case ());

    activate (w, "case.bolus-given", NULL);
    g_assert_cmpuint (tt_case_get_bolus_count (current_case ()), ==, boluses + 1);
  }
}

static void
test_flow_artifact (void)
{
  TtMonitorPage *page = monitor_page ();
  GtkWidget *card = GTK_WIDGET (tt_monitor_page_get_advice_card (page));
  const TtAdvice *advice;

  /* A fast flush: the advisor holds and the card says why; nothing can be accepted; the line's
   * box and the medium advisory say it too. */
  tt_patient_feed_inject_artifact (feed, TT_ARTIFACT_FLUSH, 8000);
  run_patient (6);
  advice = tt_monitor_get_advice (current_monitor ());
  g_assert_cmpint (advice->kind, ==, TT_ADVICE_NO_ADVICE);
  g_assert_null (tt_case_get_advice (current_case ()));
  g_assert_false (tt_advice_card_get_answerable (TT_ADVICE_CARD (card)));
  assert_shows (card, advice->title);
  {
    g_autofree char *why = g_strdup_printf ("Why: %s", advice->sentence);

    assert_shows (card, why);
  }
  {
    const TtSignalState *state = tt_monitor_get_signal (current_monitor ());
    g_autofree char *problem = g_utf8_strdown (tt_quality_describe (state->quality), -1);
    g_autofree char *line = g_strdup_printf ("◆ Arterial line: %s — advice on hold", problem);

    g_assert_false (state->valid);
    g_assert_cmpint (state->quality, !=, TT_QUALITY_VALID);
    assert_shows (GTK_WIDGET (page), line);
  }
  g_assert_nonnull (tt_case_find_alert (current_case (), TT_ALERT_NO_SIGNAL));
  {
    g_autofree char *text = shown_text (GTK_WIDGET (page));

    g_assert_nonnull (strstr (text, "\n◆ MEDIUM · "));
  }
  screenshots ("case-monitor-artifact");
  run_patient (20);
  g_assert_null (tt_case_find_alert (current_case (), TT_ALERT_NO_SIGNAL));
  g_assert_cmpint (tt_monitor_get_excluded_ms (current_monitor ()), >=, 6000);

  /* Events at the case clock (Alt+T, Alt+S, Alt+P name these). */
  activate (GTK_WIDGET (page), "case.event", g_variant_new_string ("intubation"));
  activate (GTK_WIDGET (page), "case.event", g_variant_new_string ("incision"));
  {
    GArray *events = tt_case_get_events (current_case ());
    const TtCaseEvent *last = &g_array_index (events, TtCaseEvent, events->len - 1);

    g_assert_cmpint (last->kind, ==, TT_CASE_EVENT_INCISION);
  }
}

static void
test_flow_end (void)
{
  TtWindow *window = get_window ();
  GtkWidget *summary = window_child ("summary_page");
  TtWindowMetrics m;

  run_patient (60);
  activate (GTK_WIDGET (window), "case.end", NULL);
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_ENDED);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "summary");
  g_assert_false (gtk_widget_get_visible (window_child ("end_button")));

  /* The summary shows the engine's figures for the 0–15 min window and the answers given. */
  g_assert_true (tt_monitor_get_metrics (current_monitor (), TT_WINDOW_FIRST15, &m));
  {
    g_autofree char *band = g_strdup_printf ("%.0f %%", m.in_band_pct);
    g_autofree char *aut = NULL;

    assert_shows (summary, band);
    if (isfinite (m.below[0].aut_mmhg_min))
      {
        g_autofree char *number = tt_dose_format_number (m.below[0].aut_mmhg_min, 0, 1);

        aut = g_strdup_printf ("%s mmHg·min", number);
        assert_shows (summary, aut);
      }
  }
  assert_shows (summary, "3 advices answered");
  assert_shows (summary, "Accepted 1 · changed 1 · declined 1");
  assert_shows (summary, "◆ Checklist overridden: Arterial line zeroed by the nurse");
  screenshots ("case-summary");
}

static void
exported_cb (TtSummaryPage *page,
             GFile         *file,
             const GError  *error,
             gboolean      *done)
{
  g_assert_no_error ((GError *) error);
  *done = TRUE;
}

static void
export_to (const char *format)
{
  TtSummaryPage *page = window_child ("summary_page");
  g_autofree char *name = g_strconcat ("case.", format, NULL);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;
  gulong id = g_signal_connect (page, "exported", G_CALLBACK (exported_cb), &done);
  GStatBuf st;

  tt_summary_page_export (page, format, file);
  g_assert_true (tt_test_wait_until (&done, 20000));
  g_signal_handler_disconnect (page, id);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 100);
  {
    g_autofree char *saved = g_strdup_printf ("Saved %s", name);

    assert_shows (GTK_WIDGET (page), saved);
  }
}

/* The case read back from the log: CSV, .vital, and the PDF report whose text holds the
 * summary's figures. */
static void
test_flow_export (void)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdf = g_build_filename (tmp_dir, "case.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *csv = g_build_filename (tmp_dir, "case.csv", NULL);
  g_autoptr(GError) error = NULL;
  TtWindowMetrics m;
  int status;

  export_to ("csv");
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, &error));
  g_assert_nonnull (strstr (csv_text, "time_s,map,sbp,dbp,hr,event,event_text,quality"));
  g_assert_nonnull (strstr (csv_text, ",induction,"));
  export_to ("vital");
  export_to ("pdf");
  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: the report's text is not checked");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char *[]) { pdftotext, (char *) "-layout", (char *) "-enc",
                                                  (char *) "UTF-8", pdf, (char *) "-", NULL },
                               NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "Sim 0427"));
  g_assert_nonnull (strstr (out, "overridden: Arterial line zeroed by the"));
  /* The report's 0–15 min ARV (recomputed from the log) is the live one the summary shows, to
   * the 0.1 mmHg/min it is printed with. */
  g_assert_true (tt_monitor_get_metrics (current_monitor (), TT_WINDOW_FIRST15, &m));
  {
    const char *row = strstr (out, "\nARV ");
    double arv = NAN;

    g_assert_nonnull (row);
    g_assert_cmpint (sscanf (row, "\nARV %lf mmHg/min", &arv), ==, 1);
    g_assert_cmpfloat_with_epsilon (arv, m.arv_mmhg_per_min, 0.051);
  }
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("titrate-flow-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  tt_test_spin (300);

  g_test_add_func ("/case-flow/open", test_flow_open);
  g_test_add_func ("/case-flow/setup", test_flow_setup);
  g_test_add_func ("/case-flow/checklist", test_flow_checklist);
  g_test_add_func ("/case-flow/induction", test_flow_induction);
  g_test_add_func ("/case-flow/advice", test_flow_advice);
  g_test_add_func ("/case-flow/artifact", test_flow_artifact);
  g_test_add_func ("/case-flow/end", test_flow_end);
  g_test_add_func ("/case-flow/export", test_flow_export);

  status = g_test_run ();

  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.close-case", NULL);
  g_clear_object (&feed);
  tt_test_app_free (&app);
  g_clear_object (&store);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return status;
}
