/* test-review-page.c: a logged case reviewed and replayed in the window. The case is a known
 * recording (a CSV file read by tt_recording_load_file) logged through the store with its setup,
 * checklist, rate changes and advice; the replay runs on the replay feed's injected clock; the
 * advisor's replay gives hand-checked advice at known times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tt-application.h"
#include "tt-chart-view.h"
#include "tt-recording-load.h"
#include "tt-test-gui.h"
#include "tt-test-sessions.h"
#include "tt-window.h"

/* 2026-03-10 08:14:00 UTC. */
#define START_UNIX_MS G_GINT64_CONSTANT (1773130440000)
#define MIN_MS TT_TEST_MIN_MS

static TtApplication *app;
static char *dir;
static gint64 case_id;
static gint64 fake_now_us;

static TtWindow *
get_window (void)
{
  return tt_test_app_window (app);
}

static TtReviewPage *
review (void)
{
  return tt_window_get_review_page (get_window ());
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

static void
assert_shows (const char *line)
{
  g_autoptr(GString) out = g_string_new ("\n");
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);

  collect_text (GTK_WIDGET (review ()), out);
  if (strstr (out->str, needle) == NULL)
    g_error ("“%s” is not shown; the page shows:%s", line, out->str);
}

static gint64
fake_clock (gpointer user_data)
{
  return fake_now_us;
}

/* Lets the feed's timer run with the clock where the test put it. */
static void
tick (void)
{
  tt_test_spin (40);
}

static gint64
position (void)
{
  return tt_replay_feed_get_position (tt_review_page_get_feed (review ()));
}

static void
bar_action (const char *name,
            GVariant   *parameter)
{
  GtkWidget *bar = GTK_WIDGET (tt_review_page_get_replay_bar (review ()));

  g_assert_true (gtk_widget_activate_action_variant (bar, name, parameter));
  tick ();
}

static void
test_review_overview (void)
{
  const TtStoreReview *r = tt_review_page_get_review (review ());

  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "review");
  g_assert_cmpstr (tt_review_page_get_state (review ()), ==, "content");
  g_assert_cmpstr (tt_review_page_get_title (review ()), ==, "R-17");
  g_assert_cmpstr (tt_window_get_mode_mark (get_window ()), ==, "TRAINING");
  assert_shows ("03/10/26 08:14 · Live · 30 min");

  /* The metrics the engine computed from the log: MAP 95 above the band for the 2 min before
   * induction, then in the band: 28 of 30 min for the whole case, all of 0–15 min. */
  g_assert_true (r->metrics.have[TT_WINDOW_FIRST15]);
  assert_shows ("93 %");
  assert_shows ("100 %");
  assert_shows ("0:00 – 15:00");
  /* The whole case ends with its last 2-s step. */
  assert_shows ("−2:00 – 28:02");
  /* The checklist with its override, and the advice with its answer. */
  assert_shows ("✓ Confirmed at 08:14 (−2:00)");
  assert_shows ("▲ Overridden at 08:15 (−1:00): bolus syringe not available");
  assert_shows ("Pump primed, line primed to the cannula");
  assert_shows ("Rescue bolus drawn: 10 µg in 0.5 mL");
  assert_shows ("A1 · 08:25 (+9:50) · Increase to 0.06 µg/kg/min = 13.0 mL/h");
  assert_shows ("Accepted at 08:26 (+10:30)");
}

static void
test_replay_clock (void)
{
  TtReplayFeed *feed = tt_review_page_get_feed (review ());
  TtReplayBar *bar = tt_review_page_get_replay_bar (review ());
  TtChart *chart;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review ()), "review.show", "s", "replay"));
  tick ();
  chart = tt_chart_view_get_chart (TT_CHART_VIEW (gtk_widget_get_template_child (
                                     GTK_WIDGET (review ()), TT_TYPE_REVIEW_PAGE, "replay_chart")));
  tt_replay_feed_set_clock (feed, fake_clock, NULL);
  tt_replay_feed_set_tick_ms (feed, 1);
  g_assert_cmpint (position (), ==, 0);
  g_assert_cmpstr (tt_replay_bar_get_position_text (bar), ==, "0:00 / 30:00");

  /* 1×: one second of the clock is one second of the case. */
  bar_action ("replay.toggle", NULL);
  g_assert_true (tt_replay_feed_get_playing (feed));
  g_assert_cmpint (position (), ==, 0);
  fake_now_us += G_USEC_PER_SEC;
  tick ();
  g_assert_cmpint (position (), ==, 1000);
  g_assert_cmpuint (tt_chart_get_n_map (chart), ==, 2);

  /* 10×, then + to 30× and − back to 10×. */
  bar_action ("replay.speed", g_variant_new_double (10));
  g_assert_cmpfloat (tt_replay_bar_get_speed (bar), ==, 10);
  fake_now_us += G_USEC_PER_SEC;
  tick ();
  g_assert_cmpint (position (), ==, 11000);
  bar_action ("replay.faster", NULL);
  g_assert_cmpfloat (tt_replay_feed_get_speed (feed), ==, 30);
  fake_now_us += G_USEC_PER_SEC;
  tick ();
  g_assert_cmpint (position (), ==, 41000);
  g_assert_cmpuint (tt_chart_get_n_map (chart), ==, 42);
  bar_action ("replay.slower", NULL);
  bar_action ("replay.slower", NULL);
  bar_action ("replay.slower", NULL);
  g_assert_cmpfloat (tt_replay_feed_get_speed (feed), ==, 2);

  /* Paused, the clock moves on and the replay does not. */
  bar_action ("replay.toggle", NULL);
  g_assert_false (tt_replay_feed_get_playing (feed));
  fake_now_us += 5 * G_USEC_PER_SEC;
  tick ();
  g_assert_cmpint (position (), ==, 41000);

  /* Seeking: 30 s on, 5 min back (clamped at the start), to 12:00 and to a decision. */
  bar_action ("replay.step", g_variant_new_int64 (30000));
  g_assert_cmpint (position (), ==, 71000);
  bar_action ("replay.step", g_variant_new_int64 (-5 * MIN_MS));
  g_assert_cmpint (position (), ==, 0);
  bar_action ("replay.seek", g_variant_new_int64 (12 * MIN_MS));
  g_assert_cmpint (position (), ==, 12 * MIN_MS);
  g_assert_cmpstr (tt_replay_bar_get_position_text (bar), ==, "12:00 / 30:00");
  /* The replayed MAP reaches the position: samples 0 … 719 s. */
  g_assert_cmpuint (tt_chart_get_n_map (chart), ==, 720);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review ()), "review.seek", "x",
                                             (gint64) 20 * MIN_MS));
  tick ();
  g_assert_cmpint (position (), ==, 20 * MIN_MS);

  /* A click on the trend: the middle of the whole-case chart is between 10 and 20 min. */
  {
    GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (review ()),
                                                                 TT_TYPE_REVIEW_PAGE,
                                                                 "replay_chart"));
    int w = gtk_widget_get_width (view), h = gtk_widget_get_height (view);
    gint64 t = -1;

    g_assert_true (tt_chart_view_time_at (TT_CHART_VIEW (view), w / 2.0, h / 2.0, &t));
    g_assert_cmpint (t, >, 10 * MIN_MS);
    g_assert_cmpint (t, <, 20 * MIN_MS);
    g_assert_false (tt_chart_view_time_at (TT_CHART_VIEW (view), -5, h / 2.0, &t));
  }
}

/* Runs what @widget's own key bindings do for @keyval, as a key press would. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              gboolean done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                            GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                            gtk_shortcut_get_arguments (shortcut));

              tick ();
              return done;
            }
        }
    }
  return FALSE;
}

static void
test_replay_keys (void)
{
  TtReplayFeed *feed = tt_review_page_get_feed (review ());
  GtkWidget *page = GTK_WIDGET (review ());

  /* Anywhere on the replay tab: Space plays and pauses, ← → move 30 s, Page Up/Down 5 min,
   * + and − change the speed. */
  bar_action ("replay.seek", g_variant_new_int64 (10 * MIN_MS));
  bar_action ("replay.speed", g_variant_new_double (5));
  g_assert_true (press_key (page, GDK_KEY_space));
  g_assert_true (tt_replay_feed_get_playing (feed));
  g_assert_true (press_key (page, GDK_KEY_space));
  g_assert_false (tt_replay_feed_get_playing (feed));
  g_assert_true (press_key (page, GDK_KEY_Right));
  g_assert_cmpint (position (), ==, 10 * MIN_MS + 30000);
  g_assert_true (press_key (page, GDK_KEY_Left));
  g_assert_true (press_key (page, GDK_KEY_Left));
  g_assert_cmpint (position (), ==, 10 * MIN_MS - 30000);
  g_assert_true (press_key (page, GDK_KEY_Page_Down));
  g_assert_cmpint (position (), ==, 15 * MIN_MS - 30000);
  g_assert_true (press_key (page, GDK_KEY_plus));
  g_assert_cmpfloat (tt_replay_feed_get_speed (feed), ==, 10);
  g_assert_true (press_key (page, GDK_KEY_minus));
  g_assert_true (press_key (page, GDK_KEY_minus));
  g_assert_cmpfloat (tt_replay_feed_get_speed (feed), ==, 2);
  /* The bar's own keys: Home and End. */
  g_assert_true (press_key (GTK_WIDGET (tt_review_page_get_replay_bar (review ())), GDK_KEY_End));
  g_assert_cmpint (position (), ==, 30 * MIN_MS);
  g_assert_true (press_key (GTK_WIDGET (tt_review_page_get_replay_bar (review ())), GDK_KEY_Home));
  g_assert_cmpint (position (), ==, 0);

  /* Not on the review tab: the keys are left to the focused control. */
  g_assert_true (gtk_widget_activate_action (page, "review.show", "s", "overview"));
  tick ();
  g_assert_false (press_key (page, GDK_KEY_space));
  g_assert_false (tt_replay_feed_get_playing (feed));
  g_assert_true (gtk_widget_activate_action (page, "review.show", "s", "replay"));
  tick ();
}

static void
test_replay_advisor (void)
{
  bar_action ("replay.seek", g_variant_new_int64 (5 * MIN_MS));
  /* In the band at 85 mmHg with the start rate running. */
  g_assert_cmpstr (tt_review_page_get_advisor_text (review ()), ==, "Hold 0.05 µg/kg/min");
  g_assert_cmpstr (tt_review_page_get_done_text (review ()), ==,
                   "Norepinephrine 0.05 µg/kg/min = 10.8 mL/h");
  g_assert_cmpstr (tt_review_page_get_differs_text (review ()), ==, "");

  /* 12:00: falling 2 mmHg/min at 73 mmHg, below the band's middle part (75–85): +0.01. The
   * clinician set 0.06 at 12:30, as advised. */
  bar_action ("replay.seek", g_variant_new_int64 (12 * MIN_MS));
  g_assert_cmpstr (tt_review_page_get_advisor_text (review ()), ==, "Increase to 0.06 µg/kg/min");
  g_assert_cmpstr (tt_review_page_get_done_text (review ()), ==,
                   "Norepinephrine 0.05 µg/kg/min = 10.8 mL/h");
  g_assert_cmpstr (tt_review_page_get_differs_text (review ()), ==, "● Done as advised");
  assert_shows ("At 08:26 (+10:00) · MAP 73 mmHg");

  /* 20:00: the rate went down to 0.04 while the advisor said hold. */
  bar_action ("replay.seek", g_variant_new_int64 (20 * MIN_MS));
  g_assert_cmpstr (tt_review_page_get_differs_text (review ()), ==,
                   "▲ Differs: Done without advice");
  g_assert_cmpstr (tt_review_page_get_done_text (review ()), ==,
                   "Norepinephrine 0.04 µg/kg/min = 8.6 mL/h");
  assert_shows ("2 decisions: 1 as advised, 1 different");
  assert_shows ("≠1 · 08:34 (+18:00) · Done without advice");
  assert_shows ("Advisor: Hold 0.06 µg/kg/min. Done: rate 0.04 µg/kg/min = 8.6 mL/h at 08:34 "
                "(+18:00)");
  assert_shows ("Advisor: Increase to 0.06 µg/kg/min. Done: rate 0.06 µg/kg/min = 13.0 mL/h at "
                "08:26 (+10:30)");
}

static void
test_review_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  static const char *schemes[] = { "light", "dark" };

  bar_action ("replay.seek", g_variant_new_int64 (12 * MIN_MS + 30000));
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *overview = g_strconcat ("review-", schemes[i], NULL);
      g_autofree char *replay = g_strconcat ("replay-", schemes[i], NULL);
      g_autofree char *path1 = NULL;
      g_autofree char *path2 = NULL;

      adw_style_manager_set_color_scheme (style, i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review ()), "review.show", "s",
                                                 "overview"));
      tt_test_spin (400);
      path1 = tt_test_screenshot (GTK_WIDGET (get_window ()), overview);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review ()), "review.show", "s",
                                                 "replay"));
      tt_test_spin (400);
      path2 = tt_test_screenshot (GTK_WIDGET (get_window ()), replay);
      g_test_message ("screenshots: %s, %s", path1, path2);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* "Open a recording…" makes a training case replaying it: the window shows the same transport
 * under the monitor, forward only (the case's clock never goes back). */
static void
test_training_replay_bar (void)
{
  g_autofree char *path = g_build_filename (dir, "fall.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TtReplayBar *bar = tt_window_get_replay_bar (get_window ());
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_parent (GTK_WIDGET (bar)));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  TtReplayFeed *feed;

  g_assert_null (tt_replay_bar_get_feed (bar));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  tt_window_open_recording (get_window (), file);
  while (tt_window_get_session (get_window ()) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (tt_window_get_session (get_window ()));
  feed = TT_REPLAY_FEED (tt_session_get_feed (tt_window_get_session (get_window ())));
  g_assert_true (tt_replay_bar_get_feed (bar) == feed);
  g_assert_false (tt_replay_bar_get_rewind (bar));
  /* Not on the setup page: under the monitor only. */
  g_assert_cmpstr (tt_window_get_visible_page (get_window ()), ==, "setup");
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  tt_replay_feed_pause (feed);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "replay.seek", "x",
                                             (gint64) 5 * MIN_MS));
  g_assert_cmpint (tt_replay_feed_get_position (feed), ==, 5 * MIN_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "replay.step", "x",
                                             (gint64) -30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "replay.seek", "x", (gint64) 0));
  g_assert_cmpint (tt_replay_feed_get_position (feed), ==, 5 * MIN_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "replay.speed", "d", 60.0));
  g_assert_cmpfloat (tt_replay_feed_get_speed (feed), ==, 60);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.close-case", NULL));
  tt_test_spin (100);
  g_assert_null (tt_replay_bar_get_feed (bar));
}

/* The known recording: 1 Hz, MAP 95 for 2 min, induction, 85 until 6 min, falling 2 mmHg/min to 73
 * at 12 min, 73 until 13:30, 78 until 30 min (as in test-advisor-replay.c). */
static char *
write_recording (void)
{
  g_autoptr(GString) csv = g_string_new ("time_s,map,sbp,dbp,hr,event\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "fall.csv", NULL);

  for (int s = 0; s <= 30 * 60; s++)
    {
      double map = s < 120 ? 95 : s < 360 ? 85 : s < 720 ? 85 - 2.0 * (s - 360) / 60
                 : s < 810 ? 73 : 78;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (s == 120)
        g_string_append (csv, "120,,,,,induction\n");
      g_ascii_dtostr (buf, sizeof buf, map);
      g_string_append_printf (csv, "%d,%s,%g,%g,70,\n", s, buf, map + 20, map - 10);
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, &error));
  g_assert_no_error (error);
  return path;
}

static void
write_log (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = write_recording ();
  g_autoptr(TtRecording) recording = tt_recording_load_file (csv, &error);
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreAdvice advice = { 0 };
  TtStoreSetup setup;
  guint seq;

  g_assert_no_error (error);
  g_assert_cmpuint (recording->samples->len, ==, 1801);
  g_assert_cmpint (tt_recording_find_event (recording, "induction"), ==, 120000);

  store = tt_store_open (db_path, &error);
  g_assert_no_error (error);
  tt_test_session_setup (&setup, "R-17", TT_STORE_MODE_LIVE, START_UNIX_MS);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_checklist (session, 0, "pump-primed", NULL);
  tt_store_add_checklist (session, 60000, "rescue-bolus", "bolus syringe not available");
  tt_store_add_event (session, 120000, "induction", NULL);
  tt_store_add_samples (session, (const TtSample *) (void *) recording->samples->data,
                        recording->samples->len);
  tt_store_add_rate_change (session, 2 * MIN_MS, 0.05, 10.8, 0);

  advice.t_ms = 11 * MIN_MS + 50000;
  advice.kind = (char *) "increase";
  advice.reason_code = (char *) "falling";
  advice.reason_text = (char *) "MAP 74 mmHg is falling 2 mmHg/min toward the band's lower bound.";
  advice.rate_ug_kg_min = 0.06;
  advice.rate_ml_h = 12.96;
  advice.bolus_ug = NAN;
  seq = tt_store_add_advice (session, &advice);
  tt_store_answer_advice (session, seq, TT_STORE_ANSWER_ACCEPTED, 12 * MIN_MS + 30000, NAN, NAN,
                          NULL);
  tt_store_add_rate_change (session, 12 * MIN_MS + 30000, 0.06, 12.96, seq);
  tt_store_add_rate_change (session, 20 * MIN_MS, 0.04, 8.64, 0);
  tt_store_end_session (session, 30 * MIN_MS);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  case_id = tt_store_session_get_id (session);
}

int
main (int argc, char *argv[])
{
  g_autofree char *db_path = NULL;
  gint64 end;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  dir = tt_test_tmpdir ();
  db_path = g_build_filename (dir, "sessions.db", NULL);
  write_log (db_path);
  g_setenv ("TITRATE_DB", db_path, TRUE);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  g_assert_nonnull (tt_test_app_wait_store (app));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.review-session",
                                             "x", case_id));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 (tt_review_page_get_state (review ()), "content") != 0 &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  tt_test_spin (300);

  g_test_add_func ("/review/overview", test_review_overview);
  g_test_add_func ("/review/replay-clock", test_replay_clock);
  g_test_add_func ("/review/replay-keys", test_replay_keys);
  g_test_add_func ("/review/replay-advisor", test_replay_advisor);
  g_test_add_func ("/review/screenshots", test_review_screenshots);
  g_test_add_func ("/review/training-replay-bar", test_training_replay_bar);

  status = g_test_run ();

  tt_test_app_free (&app);
  tt_test_rmdir (dir);
  g_free (dir);
  return status;
}
