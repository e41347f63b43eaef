/* test-session-log.c: the application writes its cases to the session log. Two cases left open by
 * a "crash" are offered at start-up: one is closed (marked ended), one resumed (rebuilt from the
 * log, logging on into the same session). A training case run through the window's actions
 * (setup → checklist → induction → advice answered → bolus → end) is then read back from the
 * database row by row, and exported. A read-only and a full database show the header's mark while
 * the case goes on, and what was kept is written once the log can be written again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <sqlite3.h>

#include "tt-application.h"
#include "tt-case-log.h"
#include "tt-history-item.h"
#include "tt-instructor-panel.h"
#include "tt-line-feed.h"
#include "tt-patient-feed.h"
#include "tt-replay-feed.h"
#include "tt-recording-load.h"
#include "tt-start-page.h"
#include "tt-store-private.h"
#include "tt-summary-page.h"
#include "tt-test-gui.h"
#include "tt-test-sessions.h"
#include "tt-window.h"

static TtApplication *app;
static char *dir;
static char *db_path;
static gint64 prepared_start_unix_ms;
/* The training case of /session-log/training-case, for the export test. */
static gint64 training_id;
static guint training_samples;

static gint64
query_int (const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
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

static TtStore *
app_store (void)
{
  TtStore *store = tt_application_get_store (app);

  g_assert_nonnull (store);
  return store;
}

static TtSession *
current_session (void)
{
  TtSession *session = tt_window_get_session (get_window ());

  g_assert_nonnull (session);
  return session;
}

static TtCase *
current_case (void)
{
  return tt_session_get_case (current_session ());
}

static void
activate (GtkWidget  *target,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (target, action, parameter));
  tt_test_spin (20);
}

static void
flush (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_store_flush (app_store (), &error));
  g_assert_no_error (error);
}

static TtStoreCase *
load (gint64 id)
{
  g_autoptr(GError) error = NULL;
  TtStoreCase *c = tt_store_load_session (app_store (), id, &error);

  g_assert_no_error (error);
  return c;
}

static gint64
logged_id (void)
{
  TtStoreSession *session = tt_case_log_get_session (tt_session_get_case_log (current_session ()));

  g_assert_nonnull (session);
  return tt_store_session_get_id (session);
}

/* Valid beats at 1 Hz pushed into the case's live pipeline, as a feed delivers them. */
static gint64 push_ms;

static void
push (TtMonitor *monitor,
      gint64     until_ms,
      double     map)
{
  for (; push_ms < until_ms; push_ms += 1000)
    {
      TtSample s = tt_sample_init (push_ms, map);

      s.sbp = map + 25;
      s.dbp = map - 10;
      s.hr = 70;
      tt_monitor_push (monitor, &s, 1);
    }
}

/* Before the app starts: two cases left open as a killed Titrate leaves them (their locks free),
 * written through the same TtCaseLog the app uses. */
static gint64
write_open_case (TtStore     *store,
                 const char  *label,
                 TtStoreMode  mode,
                 gboolean     induction)
{
  g_autoptr(TtCase) kase = tt_case_new (mode != TT_STORE_MODE_LIVE,
                                        mode == TT_STORE_MODE_LIVE ? "line stream on 127.0.0.1:2576"
                                                                   : "virtual patient",
                                        prepared_start_unix_ms);
  g_autoptr(TtCaseLog) log = tt_case_log_new (kase, mode);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  tt_case_log_set_store (log, store);
  g_free (setup->label);
  setup->label = g_strdup (label);
  setup->weight_kg = 80;
  setup->baseline_map = 90;
  tt_case_setup_default_band (90, &setup->target_lo, &setup->target_hi);
  g_assert_true (tt_case_set_setup (kase, setup, 1000, &error));
  monitor = tt_monitor_new (kase, &error);
  g_assert_no_error (error);
  tt_case_log_set_monitor (log, monitor);
  push_ms = 2000;
  push (monitor, 10000, 85);
  for (TtChecklistId id_ = 0; id_ < TT_N_CHECKLIST_ITEMS; id_++)
    g_assert_true (tt_case_tick_item (kase, id_, 10000 + id_ * 1000, &error));
  if (induction)
    {
      push (monitor, 60000, 85);
      g_assert_true (tt_case_start_induction (kase, 60000, &error));
      push (monitor, 90000, 85);
      g_assert_true (tt_case_give_bolus (kase, 10, TRUE, 90000, &error));
      push (monitor, 100000, 85);
      g_assert_true (tt_case_add_event (kase, TT_CASE_EVENT_NOTE, "before the crash", 100000,
                                        &error));
      push (monitor, 110000, 85);
      g_assert_true (tt_case_set_rate (kase, 0.07, TRUE, 110000, &error));
      push (monitor, 121000, 85);
    }
  g_assert_no_error (error);
  g_assert_true (tt_store_flush (store, &error));
  id = tt_store_session_get_id (tt_case_log_get_session (log));
  g_assert_cmpint (id, >, 0);
  return id;
}

/* A training case with the elderly patient (seed 2026), its inputs given and logged as the app
 * gives and logs them: the trainee's induction at 1:00 with 0.05 µg/kg/min, the instructor's
 * severe fall at 1:30.5 and a flush at 1:40, a 10 µg bolus at 2:00, 0.08 µg/kg/min at 2:30; the
 * log ends at 3:01. */
#define PATIENT_SEED 2026u
#define PATIENT_TITLE "Elderly patient, severe fall"
#define TRAINING_LAST_MS 181000
static TtPatientParams patient_params;
static TtTrainingRun *patient_run;

static void
advance_patient (TtPatient *patient,
                 TtMonitor *monitor,
                 gint64     until_ms)
{
  g_autoptr(GArray) numerics = g_array_new (FALSE, FALSE, sizeof (TtSample));

  tt_patient_advance (patient, until_ms - tt_patient_get_time (patient), numerics, NULL);
  tt_monitor_push (monitor, (const TtSample *) (gpointer) numerics->data, numerics->len);
}

static void
give_input (TtPatient           *patient,
            TtCaseLog           *log,
            TtTrainingInputKind  kind,
            double               value,
            TtArtifact           artifact)
{
  TtTrainingInput input = {
    .t_ms = tt_patient_get_time (patient),
    .kind = kind,
    .value = value,
    .artifact = artifact,
  };

  tt_training_input_apply (&input, patient);
  tt_training_run_add (patient_run, &input);
  tt_case_log_add_training_input (log, &input);
}

static gint64
write_training_case (TtStore *store)
{
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient: " PATIENT_TITLE,
                                        prepared_start_unix_ms);
  g_autoptr(TtCaseLog) log = tt_case_log_new (kase, TT_STORE_MODE_TRAINING);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtMonitor) monitor = NULL;
  g_autoptr(TtPatient) patient = NULL;
  g_autoptr(GError) error = NULL;

  tt_patient_scenario_params (TT_PATIENT_SCENARIO_ELDERLY_SEVERE, &patient_params);
  /* The trainee starts induction. */
  patient_params.induction_at_ms = -1;
  patient_run = tt_training_run_new (&patient_params, PATIENT_SEED);
  patient = tt_patient_new (&patient_params, PATIENT_SEED);
  tt_case_log_set_patient (log, &patient_params, PATIENT_SEED, PATIENT_TITLE);
  tt_case_log_set_store (log, store);
  g_free (setup->label);
  setup->label = g_strdup ("Left open 4");
  setup->weight_kg = patient_params.weight_kg;
  setup->baseline_map = patient_params.baseline_map;
  tt_case_setup_default_band (patient_params.baseline_map, &setup->target_lo, &setup->target_hi);
  g_assert_true (tt_case_set_setup (kase, setup, 1000, &error));
  monitor = tt_monitor_new (kase, &error);
  g_assert_no_error (error);
  tt_case_log_set_monitor (log, monitor);
  advance_patient (patient, monitor, 10000);
  for (TtChecklistId id_ = 0; id_ < TT_N_CHECKLIST_ITEMS; id_++)
    g_assert_true (tt_case_tick_item (kase, id_, 10000 + id_ * 1000, &error));
  advance_patient (patient, monitor, 60000);
  g_assert_true (tt_case_start_induction (kase, 60000, &error));
  give_input (patient, log, TT_TRAINING_INPUT_INDUCTION, NAN, TT_ARTIFACT_NONE);
  give_input (patient, log, TT_TRAINING_INPUT_RATE, 0.05, TT_ARTIFACT_NONE);
  advance_patient (patient, monitor, 90500);
  give_input (patient, log, TT_TRAINING_INPUT_FALL, 0.34, TT_ARTIFACT_NONE);
  advance_patient (patient, monitor, 100000);
  give_input (patient, log, TT_TRAINING_INPUT_ARTIFACT, NAN, TT_ARTIFACT_FLUSH);
  advance_patient (patient, monitor, 120000);
  g_assert_true (tt_case_give_bolus (kase, 10, TRUE, 120000, &error));
  give_input (patient, log, TT_TRAINING_INPUT_BOLUS, 10, TT_ARTIFACT_NONE);
  advance_patient (patient, monitor, 150000);
  g_assert_true (tt_case_set_rate (kase, 0.08, TRUE, 150000, &error));
  give_input (patient, log, TT_TRAINING_INPUT_RATE, 0.08, TT_ARTIFACT_NONE);
  advance_patient (patient, monitor, TRAINING_LAST_MS);
  g_assert_no_error (error);
  g_assert_true (tt_store_flush (store, &error));
  return tt_store_session_get_id (tt_case_log_get_session (log));
}

/* A recording of 10 min at 1 Hz, MAP 70 + (s mod 17) mmHg, replayed as training; the log ends at
 * 3:20 of it. */
#define REPLAY_LAST_MS 200000
static char *recording_path;
static char *gone_path;
static char *changed_path;
static char *played_path;

static double
recorded_map (gint64 t_ms)
{
  return 70 + (t_ms / 1000) % 17;
}

static gint64
write_replay_case (TtStore    *store,
                   const char *path,
                   const char *label)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *source = g_strdup_printf ("replay of %s", name);
  g_autoptr(TtCase) kase = tt_case_new (TRUE, source, prepared_start_unix_ms);
  g_autoptr(TtCaseLog) log = tt_case_log_new (kase, TT_STORE_MODE_REPLAY);
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(TtMonitor) monitor = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  tt_case_log_set_recording (log, path, g_file_info_get_size (info),
                             (gint64) g_file_info_get_attribute_uint64 (
                               info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
                             g_file_info_get_attribute_uint32 (
                               info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC));
  tt_case_log_set_store (log, store);
  g_free (setup->label);
  setup->label = g_strdup (label);
  setup->weight_kg = 80;
  setup->baseline_map = 90;
  tt_case_setup_default_band (90, &setup->target_lo, &setup->target_hi);
  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  monitor = tt_monitor_new (kase, &error);
  g_assert_no_error (error);
  tt_case_log_set_monitor (log, monitor);
  for (gint64 t = 0; t <= REPLAY_LAST_MS; t += 1000)
    {
      TtSample sample = tt_sample_init (t, recorded_map (t));

      tt_monitor_push (monitor, &sample, 1);
    }
  g_assert_true (tt_case_override_checklist (kase, "replay drill", REPLAY_LAST_MS, &error));
  g_assert_no_error (error);
  g_assert_true (tt_store_flush (store, &error));
  return tt_store_session_get_id (tt_case_log_get_session (log));
}

static gint64 to_close;
static gint64 to_resume;
static gint64 to_resume_live;
static gint64 to_resume_patient;
static gint64 to_resume_replay;
static gint64 to_resume_gone;
static gint64 to_resume_changed;
static gint64 to_resume_played;

static void
prepare_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (db_path, &error);

  g_assert_no_error (error);
  /* Started five minutes ago: a resumed case's clock goes on as the wall clock did. */
  prepared_start_unix_ms = g_get_real_time () / 1000 - 5 * 60000;
  to_close = write_open_case (store, "Left open 1", TT_STORE_MODE_TRAINING, FALSE);
  to_resume = write_open_case (store, "Left open 2", TT_STORE_MODE_TRAINING, TRUE);
  to_resume_live = write_open_case (store, "Left open 3", TT_STORE_MODE_LIVE, TRUE);
  to_resume_patient = write_training_case (store);
  {
    g_autoptr(GString) csv = g_string_new ("time_s,map\n");

    for (gint64 t = 0; t <= 600000; t += 1000)
      g_string_append_printf (csv, "%" G_GINT64_FORMAT ",%g\n", t / 1000, recorded_map (t));
    recording_path = g_build_filename (dir, "recording.csv", NULL);
    gone_path = g_build_filename (dir, "gone.csv", NULL);
    g_assert_true (g_file_set_contents (recording_path, csv->str, -1, &error));
    g_assert_true (g_file_set_contents (gone_path, csv->str, -1, &error));
  }
  to_resume_replay = write_replay_case (store, recording_path, "Left open 5");
  to_resume_gone = write_replay_case (store, gone_path, "Left open 6");
  g_assert_cmpint (g_unlink (gone_path), ==, 0);
  /* Another file of the same name now: one more line. */
  changed_path = g_build_filename (dir, "changed.csv", NULL);
  g_assert_true (g_file_set_contents (changed_path, "time_s,map\n0,80\n", -1, &error));
  to_resume_changed = write_replay_case (store, changed_path, "Left open 7");
  g_assert_true (g_file_set_contents (changed_path, "time_s,map\n0,80\n1,81\n", -1, &error));
  /* A recording the log had played to its last sample (3:20). */
  {
    g_autoptr(GString) csv = g_string_new ("time_s,map\n");

    for (gint64 t = 0; t <= REPLAY_LAST_MS; t += 1000)
      g_string_append_printf (csv, "%" G_GINT64_FORMAT ",%g\n", t / 1000, recorded_map (t));
    played_path = g_build_filename (dir, "played.csv", NULL);
    g_assert_true (g_file_set_contents (played_path, csv->str, -1, &error));
  }
  to_resume_played = write_replay_case (store, played_path, "Left open 8");
}

static void
wait_start_page (void)
{
  TtStartPage *start = window_child ("start_page");
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((tt_start_page_get_busy (start) ||
          g_list_model_get_n_items (tt_start_page_get_interrupted (start)) == 0) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  tt_test_spin (50);
}

static void
test_interrupted_offered (void)
{
  TtStartPage *start = window_child ("start_page");
  GListModel *interrupted;
  gint64 sum = 0;

  wait_start_page ();
  interrupted = tt_start_page_get_interrupted (start);
  g_assert_cmpuint (g_list_model_get_n_items (interrupted), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(TtHistoryItem) item = g_list_model_get_item (interrupted, i);

      sum += tt_history_item_get_id (item);
    }
  g_assert_cmpint (sum, ==, to_close + to_resume + to_resume_live + to_resume_patient +
                            to_resume_replay + to_resume_gone + to_resume_changed +
                            to_resume_played);
  g_assert_cmpint (query_int ("SELECT count (*) FROM sessions WHERE state = 'interrupted'"), ==, 8);
}

/* Closing one marks it ended at its last sample. */
static void
test_close_interrupted (void)
{
  TtStartPage *start = window_child ("start_page");
  g_autoptr(TtStoreCase) c = NULL;

  activate (GTK_WIDGET (start), "start.close-interrupted", g_variant_new_int64 (to_close));
  flush ();
  c = load (to_close);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->end_t_ms, ==, 9000);
  g_assert_cmpint (c->info->end_t_ms, ==, c->info->last_t_ms);
}

/* Resuming one rebuilds its case from the log and goes on recording into the same session. */
static void
test_resume_interrupted (void)
{
  TtWindow *window = get_window ();
  g_autoptr(TtStoreCase) before = load (to_resume);
  g_autoptr(TtStoreCase) after = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  TtCase *kase;
  GArray *events;
  gint64 resumed_at;
  guint new_samples = 0;

  activate (GTK_WIDGET (window), "win.resume-interrupted", g_variant_new_int64 (to_resume));
  while (tt_window_get_session (window) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  kase = current_case ();
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "monitor");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpstr (tt_case_get_setup (kase)->label, ==, "Left open 2");
  g_assert_cmpfloat (tt_case_get_setup (kase)->weight_kg, ==, 80);
  g_assert_cmpuint (tt_case_get_checklist_done (kase), ==, 6);
  g_assert_cmpint (tt_case_get_t0_ms (kase), ==, 60000);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.07);
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 1);
  events = tt_case_get_events (kase);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 0).kind, ==, TT_CASE_EVENT_INDUCTION);
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 1).kind, ==, TT_CASE_EVENT_RATE);
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 2).kind, ==, TT_CASE_EVENT_BOLUS);
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 3).kind, ==, TT_CASE_EVENT_NOTE);
  g_assert_cmpstr (g_array_index (events, TtCaseEvent, 3).text, ==, "before the crash");
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 4).kind, ==, TT_CASE_EVENT_RATE);
  g_assert_cmpint (g_array_index (events, TtCaseEvent, 4).t_ms, ==, 110000);
  /* Logged without its patient (as by an older Titrate): a new typical patient, and a toast. */
  g_assert_cmpstr (tt_window_get_last_toast (window), ==,
                   "This training case was logged without its virtual patient (by an older "
                   "Titrate): it goes on with a new typical patient.");
  g_assert_true (TT_IS_PATIENT_FEED (tt_session_get_feed (current_session ())));
  g_assert_null (tt_window_get_training (window));
  /* The clock goes on from the wall clock: the case started five minutes ago. */
  resumed_at = tt_case_get_now_ms (kase);
  g_assert_cmpint (resumed_at, >=, 5 * 60000);
  g_assert_cmpint (logged_id (), ==, to_resume);
  /* The logged trend is back on the chart. */
  g_assert_cmpuint (tt_chart_get_n_map (tt_session_get_chart (current_session ())), >=, 119);

  /* A new virtual patient feeds the case; its samples follow the resume. */
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (tt_monitor_get_n_samples (tt_session_get_monitor (current_session ())) <
         before->recording->samples->len + 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  activate (GTK_WIDGET (window), "case.event", g_variant_new_string ("intubation"));
  activate (GTK_WIDGET (window), "case.end", NULL);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_ENDED);
  flush ();

  after = load (to_resume);
  g_assert_cmpint (after->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (after->info->end_t_ms, ==, tt_case_get_now_ms (kase));
  g_assert_cmpint (query_int ("SELECT count (*) FROM sessions"), ==, 8);
  /* Nothing logged before is written twice. */
  g_assert_cmpuint (after->checklist->len, ==, 6);
  g_assert_cmpuint (after->rate_changes->len, ==, 2);
  g_assert_cmpuint (after->boluses->len, ==, 1);
  g_assert_cmpuint (after->recording->events->len, ==, before->recording->events->len + 2);
  g_assert_cmpstr (g_array_index (after->recording->events, TtRecordingEvent,
                                  after->recording->events->len - 2).kind, ==, "intubation");
  g_assert_cmpstr (g_array_index (after->recording->events, TtRecordingEvent,
                                  after->recording->events->len - 1).kind, ==, "end");
  for (guint i = 0; i < after->recording->samples->len; i++)
    {
      const TtSample *s = &g_array_index (after->recording->samples, TtSample, i);

      if (i < before->recording->samples->len)
        g_assert_cmpint (s->t_ms, ==,
                         g_array_index (before->recording->samples, TtSample, i).t_ms);
      else
        {
          g_assert_cmpint (s->t_ms, >=, resumed_at);
          new_samples++;
        }
    }
  g_assert_cmpuint (new_samples, >=, 2);

  activate (GTK_WIDGET (window), "win.close-case", NULL);
  g_assert_null (tt_window_get_session (window));
}

/* A live case resumes on the monitor feed the preferences set up, here the line stream (not a
 * virtual patient, and not nothing because HL7 is off); it stays LIVE. */
static void
test_resume_live (void)
{
  TtWindow *window = get_window ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(TtStoreCase) after = NULL;
  TtFeed *feed;

  g_settings_set_boolean (settings, "hl7-enabled", FALSE);
  g_settings_set_boolean (settings, "line-enabled", TRUE);
  g_settings_set_string (settings, "line-address", "127.0.0.1");
  activate (GTK_WIDGET (window), "win.resume-interrupted", g_variant_new_int64 (to_resume_live));
  while (tt_window_get_session (window) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (tt_case_get_setup (current_case ())->label, ==, "Left open 3");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "LIVE");
  g_assert_false (tt_case_get_training (current_case ()));
  feed = tt_session_get_feed (current_session ());
  g_assert_nonnull (feed);
  g_assert_true (TT_IS_LINE_FEED (feed));
  tt_feed_stop (feed);
  activate (GTK_WIDGET (window), "case.end", NULL);
  flush ();
  after = load (to_resume_live);
  g_assert_cmpint (after->info->state, ==, TT_STORE_STATE_ENDED);
  activate (GTK_WIDGET (window), "win.close-case", NULL);
  g_assert_null (tt_window_get_session (window));
  g_settings_reset (settings, "line-enabled");
  g_settings_reset (settings, "line-address");
}

static void
wait_session (void)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (tt_window_get_session (get_window ()) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (tt_window_get_session (get_window ()));
}

/* A training case resumes with its own patient: the same parameters and seed, every logged input,
 * the instructor's panel and its run; the patient is where the re-simulation puts it at the resume
 * time, and its first samples after the resume are the re-simulation's, to the last digit. */
static void
test_resume_patient (void)
{
  TtWindow *window = get_window ();
  TtInstructorPanel *panel = window_child ("instructor_panel");
  TtTraining *training;
  TtPatientFeed *feed;
  TtPatientTruth truth;
  TtTrainingRerun rerun;
  const TtTrainingInput *inputs, *expected;
  GArray *samples;
  gint64 resumed_at, end;
  guint n, n_expected, before = 0, after = 0;

  activate (GTK_WIDGET (window), "win.resume-interrupted", g_variant_new_int64 (to_resume_patient));
  wait_session ();
  g_assert_cmpstr (tt_case_get_setup (current_case ())->label, ==, "Left open 4");
  g_assert_cmpstr (tt_window_get_mode_mark (window), ==, "TRAINING");
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpfloat (tt_case_get_rate (current_case ()), ==, 0.08);
  resumed_at = tt_case_get_now_ms (current_case ());
  g_assert_cmpint (resumed_at, >=, 5 * 60000);

  /* The instructor's panel has the case's training, made from the logged patient. */
  training = tt_window_get_training (window);
  g_assert_nonnull (training);
  g_assert_true (tt_instructor_panel_get_training (panel) == training);
  g_assert_true (tt_training_get_session (training) == current_session ());
  g_assert_cmpuint (tt_training_get_seed (training), ==, PATIENT_SEED);
  g_assert_cmpstr (tt_training_get_title (training), ==, PATIENT_TITLE);
  g_assert_true (tt_patient_params_equal (
    tt_training_run_get_params (tt_training_get_run (training)), &patient_params));
  inputs = tt_training_run_get_inputs (tt_training_get_run (training), &n);
  expected = tt_training_run_get_inputs (patient_run, &n_expected);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (inputs[i].t_ms, ==, expected[i].t_ms);
      g_assert_cmpint (inputs[i].kind, ==, expected[i].kind);
      g_assert_cmpint (inputs[i].artifact, ==, expected[i].artifact);
    }
  g_assert_cmpint (inputs[2].kind, ==, TT_TRAINING_INPUT_FALL);
  g_assert_cmpfloat (inputs[2].value, ==, 0.34);
  g_assert_true (gtk_widget_get_visible (window_child ("instructor_button")));

  /* The feed is that patient, brought to the resume time: induced at 1:00, the instructor's
   * severe fall, the bolus and the last rate given. */
  feed = tt_training_get_feed (training);
  g_assert_true (tt_session_get_feed (current_session ()) == TT_FEED (feed));
  g_assert_cmpint (tt_patient_feed_get_time (feed), >=, resumed_at);
  tt_patient_get_truth (tt_patient_feed_get_patient (feed), &truth);
  g_assert_cmpint (truth.induction_ms, ==, 60000);
  g_assert_cmpfloat (truth.rate_ug_kg_min, ==, 0.08);
  g_assert_cmpfloat (truth.ne_bolus_ug, ==, 10);
  g_assert_cmpfloat (tt_patient_get_params (tt_patient_feed_get_patient (feed))->induction_fall,
                     ==, 0.34);
  g_assert_cmpfloat (tt_patient_get_params (tt_patient_feed_get_patient (feed))->age_years, ==,
                     82);

  /* Three samples after the resume (1×: about three seconds). */
  samples = tt_training_get_samples (training);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((samples->len == 0 ||
          g_array_index (samples, TtSample, samples->len - 1).t_ms < resumed_at + 3000) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  /* The same patient run again on the same inputs: the samples before the crash and after the
   * resume are its samples, to the last digit. */
  tt_training_run_simulate (patient_run, TT_TRAINING_TRAINEE, NULL,
                            g_array_index (samples, TtSample, samples->len - 1).t_ms, &rerun);
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *got = &g_array_index (samples, TtSample, i);
      const TtSample *want = NULL;

      for (guint j = 0; j < rerun.samples->len && want == NULL; j++)
        if (g_array_index (rerun.samples, TtSample, j).t_ms == got->t_ms)
          want = &g_array_index (rerun.samples, TtSample, j);
      g_assert_nonnull (want);
      g_assert_cmpfloat (got->map, ==, want->map);
      g_assert_cmpfloat (got->sbp, ==, want->sbp);
      g_assert_cmpfloat (got->dbp, ==, want->dbp);
      g_assert_cmpfloat (got->hr, ==, want->hr);
      if (got->t_ms <= TRAINING_LAST_MS)
        before++;
      else
        {
          /* Nothing from the time the app was down. */
          g_assert_cmpint (got->t_ms, >, resumed_at);
          if (after == 0)
            g_assert_cmpint (got->t_ms, <=, resumed_at + 1000);
          after++;
        }
    }
  tt_training_rerun_clear (&rerun);
  g_assert_cmpuint (before, ==, TRAINING_LAST_MS / 1000);
  g_assert_cmpuint (after, >=, 3);
  /* And the monitor takes them on the case clock, which moves on with them. */
  g_assert_cmpuint (tt_monitor_get_n_samples (tt_session_get_monitor (current_session ())), >=,
                    TRAINING_LAST_MS / 1000 + 3);
  g_assert_cmpint (tt_case_get_now_ms (current_case ()), >, resumed_at);

  /* After the end the debrief is there. */
  activate (GTK_WIDGET (window), "case.end", NULL);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "debrief");
  g_assert_cmpint (tt_training_get_end_ms (training), ==, tt_case_get_now_ms (current_case ()));
  flush ();
  {
    g_autoptr(TtStoreCase) c = load (to_resume_patient);

    g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
    /* The end set the pump to 0: an input of its own. */
    g_assert_cmpuint (c->training_inputs->len, ==, 7);
    g_assert_cmpint (g_array_index (c->training_inputs, TtTrainingInput, 6).kind, ==,
                     TT_TRAINING_INPUT_RATE);
    g_assert_cmpfloat (g_array_index (c->training_inputs, TtTrainingInput, 6).value, ==, 0);
    g_assert_cmpint (c->info->setup.feed_offset_ms, ==, 0);
  }
  activate (GTK_WIDGET (window), "win.close-case", NULL);
  g_assert_null (tt_window_get_session (window));
}

/* A replay resumes on the same file, from where its log stopped, on the resumed case clock. */
static void
test_resume_replay (void)
{
  TtWindow *window = get_window ();
  TtReplayFeed *feed;
  TtMonitor *monitor;
  gint64 resumed_at, end;
  guint logged;

  activate (GTK_WIDGET (window), "win.resume-interrupted", g_variant_new_int64 (to_resume_replay));
  wait_session ();
  g_assert_null (tt_window_get_training (window));
  g_assert_cmpstr (tt_case_get_setup (current_case ())->label, ==, "Left open 5");
  g_assert_cmpstr (tt_case_get_source (current_case ()), ==, "replay of recording.csv");
  g_assert_true (TT_IS_REPLAY_FEED (tt_session_get_feed (current_session ())));
  feed = TT_REPLAY_FEED (tt_session_get_feed (current_session ()));
  g_assert_cmpuint (tt_replay_feed_get_recording (feed)->samples->len, ==, 601);
  g_assert_cmpint (tt_replay_feed_get_position (feed), >=, REPLAY_LAST_MS + 1);
  g_assert_cmpint (tt_replay_feed_get_position (feed), <, REPLAY_LAST_MS + 3000);
  g_assert_true (tt_replay_feed_get_playing (feed));
  resumed_at = tt_case_get_now_ms (current_case ());
  g_assert_cmpint (resumed_at, >=, 5 * 60000);
  /* Its checklist was overridden, induction not started yet. */
  g_assert_cmpint (tt_case_get_state (current_case ()), ==, TT_CASE_STATE_READY);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "checklist");

  /* The next samples of the file, 3:21 and on, at the resume + 1 s and on. */
  monitor = tt_session_get_monitor (current_session ());
  logged = REPLAY_LAST_MS / 1000 + 1;
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (tt_monitor_get_n_samples (monitor) < logged + 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (tt_monitor_get_n_samples (monitor), >=, logged + 2);
  activate (GTK_WIDGET (window), "case.end", NULL);
  flush ();
  {
    g_autoptr(TtStoreCase) c = load (to_resume_replay);
    const TtSample *first = &g_array_index (c->recording->samples, TtSample, logged);
    const TtSample *second = &g_array_index (c->recording->samples, TtSample, logged + 1);

    g_assert_cmpint (c->info->setup.feed_offset_ms, ==, resumed_at - REPLAY_LAST_MS);
    g_assert_cmpstr (c->info->setup.source_path, ==, recording_path);
    g_assert_cmpint (first->t_ms, ==, resumed_at + 1000);
    g_assert_cmpfloat (first->map, ==, recorded_map (REPLAY_LAST_MS + 1000));
    g_assert_cmpint (second->t_ms, ==, resumed_at + 2000);
    g_assert_cmpfloat (second->map, ==, recorded_map (REPLAY_LAST_MS + 2000));
  }
  activate (GTK_WIDGET (window), "win.close-case", NULL);
}

/* Resumes case @id, which must come back as @label without a feed, and says so in @toast; ends it. */
static void
assert_resumes_without_feed (gint64      id,
                             const char *label,
                             const char *toast)
{
  TtWindow *window = get_window ();

  activate (GTK_WIDGET (window), "win.resume-interrupted", g_variant_new_int64 (id));
  wait_session ();
  g_assert_cmpstr (tt_case_get_setup (current_case ())->label, ==, label);
  g_assert_null (tt_session_get_feed (current_session ()));
  g_assert_cmpstr (tt_window_get_last_toast (window), ==, toast);
  activate (GTK_WIDGET (window), "case.end", NULL);
  activate (GTK_WIDGET (window), "win.close-case", NULL);
}

/* A replay whose file is gone resumes without a feed, and a toast names the file. */
static void
test_resume_replay_gone (void)
{
  g_autofree char *expected = g_strdup_printf ("The recording %s is not there any more: the case "
                                               "resumes without its samples.", gone_path);

  assert_resumes_without_feed (to_resume_gone, "Left open 6", expected);
}

/* A replay the log had played to the end of its file does not start over: no new samples. */
static void
test_resume_replay_played (void)
{
  g_autofree char *expected = g_strdup_printf ("The recording %s had been played to its end: the "
                                               "case resumes without new samples.", played_path);

  assert_resumes_without_feed (to_resume_played, "Left open 8", expected);
}

/* A replay whose file has changed since (another size) resumes without it, and says so. */
static void
test_resume_replay_changed (void)
{
  g_autofree char *expected = g_strdup_printf ("The recording %s has changed since the case "
                                               "began: the case resumes without its samples.",
                                               changed_path);

  assert_resumes_without_feed (to_resume_changed, "Left open 7", expected);
}

static gpointer
setup_child (const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (tt_window_get_setup_page (get_window ())),
                                                  TT_TYPE_SETUP_PAGE, name);

  g_assert_nonnull (child);
  return child;
}

static const TtStoreAlert *
find_alert (const TtStoreCase *c,
            const char        *kind)
{
  for (guint i = 0; i < c->alerts->len; i++)
    if (g_str_equal (g_array_index (c->alerts, TtStoreAlert, i).kind, kind))
      return &g_array_index (c->alerts, TtStoreAlert, i);
  return NULL;
}

/* A recording opened in the window: the session keeps its absolute path, size and modification
 * time (to find it again after a crash) and shows only its name. */
static void
test_replay_logs_recording (void)
{
  TtWindow *window = get_window ();
  g_autoptr(GFile) file = g_file_new_for_path (recording_path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                 G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                                 G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(TtStoreCase) c = NULL;

  g_assert_nonnull (info);
  tt_window_open_recording (window, file);
  wait_session ();
  tt_feed_stop (tt_session_get_feed (current_session ()));
  gtk_editable_set_text (GTK_EDITABLE (setup_child ("label_row")), "Replayed");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("weight_spin")), 80);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("baseline_spin")), 90);
  activate (GTK_WIDGET (tt_window_get_setup_page (window)), "setup.continue", NULL);
  activate (GTK_WIDGET (window), "case.end", NULL);
  flush ();
  c = load (logged_id ());
  g_assert_cmpint (c->info->setup.mode, ==, TT_STORE_MODE_REPLAY);
  g_assert_cmpstr (c->info->setup.source, ==, "replay of recording.csv");
  g_assert_cmpstr (c->info->setup.source_path, ==, recording_path);
  g_assert_cmpint (c->info->setup.source_size, ==, g_file_info_get_size (info));
  g_assert_cmpint (c->info->setup.source_mtime_us, ==,
                   (gint64) g_file_info_get_attribute_uint64 (info,
                                                              G_FILE_ATTRIBUTE_TIME_MODIFIED) *
                   G_USEC_PER_SEC +
                   g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC));
  g_assert_null (c->info->setup.patient);
  activate (GTK_WIDGET (window), "win.close-case", NULL);
}

/* A training case through the window's actions, then the database row by row. The feed is
 * stopped and the test pushes the samples, so that every time and value is known. */
static void
test_training_case (void)
{
  TtWindow *window = get_window ();
  GtkWidget *w = GTK_WIDGET (window);
  static const char *items[] = {
    "pump-primed", "syringe", "iv-access", "rescue-bolus", "arterial-line", "map-target",
  };
  g_autoptr(TtStoreCase) c = NULL;
  TtCase *kase;
  TtMonitor *monitor;
  const TtStoreSetup *s;
  const TtStoreAdvice *a;
  const TtCaseAdvice *offered;
  GArray *events;
  gint64 advice_ms, accept_ms, bolus_ms, end_ms;
  double advised_rate;
  g_autofree char *advised_reason = NULL;

  activate (w, "win.new-training-case", NULL);
  tt_feed_stop (tt_session_get_feed (current_session ()));
  kase = current_case ();
  gtk_editable_set_text (GTK_EDITABLE (setup_child ("label_row")), "Glue 0427");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("weight_spin")), 80);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (setup_child ("baseline_spin")), 90);
  activate (GTK_WIDGET (tt_window_get_setup_page (window)), "setup.continue", NULL);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);
  monitor = tt_session_get_monitor (current_session ());

  /* Ten minutes of the case clock ahead of the session's own, so that every action happens at
   * the time of the last grid step. */
  push_ms = 10 * 60000;
  push (monitor, 11 * 60000, 85);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      activate (w, "case.toggle-item", g_variant_new_string (items[i]));
      push (monitor, push_ms + 4000, 85);
    }
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);
  activate (w, "case.start-induction", NULL);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);

  /* MAP drifting below the band: the advisor asks for more; accepted. */
  for (double map = 85; tt_case_get_advice (kase) == NULL; map = MAX (map - 0.1, 68))
    {
      g_assert_cmpint (push_ms, <, 30 * 60000);
      push (monitor, push_ms + 1000, map);
    }
  offered = tt_case_get_advice (kase);
  advice_ms = offered->t_ms;
  advised_rate = offered->rate;
  advised_reason = g_strdup (offered->reason);
  g_assert_cmpint (tt_monitor_get_pending (monitor)->kind, ==, TT_ADVICE_INCREASE);
  accept_ms = tt_session_now_ms (current_session ());
  activate (w, "case.accept-advice", NULL);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, advised_rate);
  push (monitor, push_ms + 10000, 72);
  bolus_ms = tt_session_now_ms (current_session ());
  activate (w, "case.bolus-given", NULL);
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 1);
  push (monitor, push_ms + 10000, 80);
  end_ms = tt_session_now_ms (current_session ());
  activate (w, "case.end", NULL);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_ENDED);

  flush ();
  training_id = logged_id ();
  c = load (training_id);
  s = &c->info->setup;
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->end_t_ms, ==, end_ms);
  g_assert_cmpstr (s->label, ==, "Glue 0427");
  g_assert_cmpint (s->mode, ==, TT_STORE_MODE_TRAINING);
  g_assert_cmpint (s->start_unix_ms, ==, tt_case_get_start_unix_ms (kase));
  g_assert_cmpfloat (s->weight_kg, ==, 80);
  g_assert_cmpfloat (s->baseline_map, ==, 90);
  g_assert_cmpfloat (s->band_low, ==, 72);
  g_assert_cmpfloat (s->band_high, ==, 92);
  g_assert_cmpfloat (s->critical_map, ==, 62);
  g_assert_cmpfloat (s->concentration_ug_ml, ==, tt_case_get_setup (kase)->concentration);
  g_assert_cmpstr (s->line_type, ==, "peripheral");
  g_assert_cmpfloat (s->start_rate, ==, 0.05);
  g_assert_cmpfloat (s->bolus_dose_ug, ==, tt_case_get_setup (kase)->bolus_ug);
  g_assert_cmpfloat (s->syringe_ml, ==, tt_case_get_setup (kase)->syringe_ml);
  g_assert_cmpstr (s->source, ==, tt_case_get_source (kase));
  g_assert_true (g_str_has_prefix (s->source, "virtual patient"));

  /* Every sample pushed, with its quality. */
  training_samples = c->recording->samples->len;
  g_assert_cmpuint (training_samples, ==, (push_ms - 10 * 60000) / 1000);
  for (guint i = 0; i < training_samples; i++)
    {
      const TtSample *x = &g_array_index (c->recording->samples, TtSample, i);

      g_assert_cmpint (x->t_ms, ==, 10 * 60000 + i * 1000);
      g_assert_cmpfloat (x->sbp, ==, x->map + 25);
      g_assert_cmpint (x->quality, ==, TT_QUALITY_VALID);
    }

  /* The checklist at the case's own tick times. */
  g_assert_cmpuint (c->checklist->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const TtStoreChecklistItem *item = &g_array_index (c->checklist, TtStoreChecklistItem, i);
      TtChecklistId id;

      g_assert_true (tt_checklist_id_from_string (item->item, &id));
      g_assert_cmpstr (item->item, ==, items[i]);
      g_assert_null (item->override_reason);
      g_assert_cmpint (item->t_ms, ==,
                       tt_checklist_item_get_ticked_ms (tt_case_get_checklist_item (kase, id)));
      /* Samples up to 10:59 close the grid step 10:56–10:58: the case clock is at 10:56. */
      g_assert_cmpint (item->t_ms, ==, 11 * 60000 - 4000 + i * 4000);
    }

  /* Events: induction, bolus, end, at the case's times. */
  events = tt_case_get_events (kase);
  g_assert_cmpuint (c->recording->events->len, ==, 3);
  g_assert_cmpstr (g_array_index (c->recording->events, TtRecordingEvent, 0).kind, ==,
                   "induction");
  g_assert_cmpint (g_array_index (c->recording->events, TtRecordingEvent, 0).t_ms, ==,
                   tt_case_get_t0_ms (kase));
  g_assert_cmpstr (g_array_index (c->recording->events, TtRecordingEvent, 1).kind, ==, "bolus");
  g_assert_cmpint (g_array_index (c->recording->events, TtRecordingEvent, 1).t_ms, ==, bolus_ms);
  g_assert_cmpstr (g_array_index (c->recording->events, TtRecordingEvent, 2).kind, ==, "end");
  g_assert_cmpint (g_array_index (c->recording->events, TtRecordingEvent, 2).t_ms, ==, end_ms);
  g_assert_cmpuint (events->len, ==, 5);   /* induction, its rate, the accepted rate, bolus, end */

  /* The advice, the advisor's words, the answer. */
  g_assert_cmpuint (c->advice->len, ==, 1);
  a = tt_store_case_find_advice (c, 1);
  g_assert_cmpint (a->t_ms, ==, advice_ms);
  g_assert_cmpstr (a->kind, ==, "increase");
  g_assert_cmpstr (a->reason_text, ==, advised_reason);
  g_assert_cmpfloat (a->rate_ug_kg_min, ==, advised_rate);
  g_assert_cmpfloat_with_epsilon (a->rate_ml_h, advised_rate * 80 * 60 / s->concentration_ug_ml,
                                  1e-9);
  g_assert_cmpint (a->answer, ==, TT_STORE_ANSWER_ACCEPTED);
  g_assert_cmpint (a->answer_t_ms, ==, accept_ms);

  /* Rate changes: the start rate at induction, the accepted one; the bolus given by hand. */
  g_assert_cmpuint (c->rate_changes->len, ==, 2);
  g_assert_cmpint (g_array_index (c->rate_changes, TtStoreRateChange, 0).t_ms, ==,
                   tt_case_get_t0_ms (kase));
  g_assert_cmpfloat (g_array_index (c->rate_changes, TtStoreRateChange, 0).rate_ug_kg_min, ==,
                     0.05);
  g_assert_cmpfloat_with_epsilon (g_array_index (c->rate_changes, TtStoreRateChange, 0).rate_ml_h,
                                  0.05 * 80 * 60 / s->concentration_ug_ml, 1e-9);
  g_assert_cmpuint (g_array_index (c->rate_changes, TtStoreRateChange, 0).advice_seq, ==, 0);
  g_assert_cmpint (g_array_index (c->rate_changes, TtStoreRateChange, 1).t_ms, ==, accept_ms);
  g_assert_cmpfloat (g_array_index (c->rate_changes, TtStoreRateChange, 1).rate_ug_kg_min, ==,
                     advised_rate);
  g_assert_cmpuint (g_array_index (c->rate_changes, TtStoreRateChange, 1).advice_seq, ==, 1);
  g_assert_cmpuint (c->boluses->len, ==, 1);
  g_assert_cmpint (g_array_index (c->boluses, TtStoreBolus, 0).t_ms, ==, bolus_ms);
  g_assert_cmpfloat (g_array_index (c->boluses, TtStoreBolus, 0).dose_ug, ==,
                     tt_case_get_setup (kase)->bolus_ug);
  g_assert_cmpuint (g_array_index (c->boluses, TtStoreBolus, 0).advice_seq, ==, 0);

  /* Alerts: every one the case raised, ended with the case at the latest. */
  for (guint i = 0; i < c->alerts->len; i++)
    {
      const TtStoreAlert *x = &g_array_index (c->alerts, TtStoreAlert, i);

      g_assert_cmpint (x->cleared_t_ms, >=, x->t_ms);
      g_assert_cmpint (x->cleared_t_ms, <=, end_ms);
    }
  g_assert_null (find_alert (c, "checklist-override"));
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

static char *
export_to (const char *format)
{
  TtSummaryPage *page = window_child ("summary_page");
  g_autofree char *name = g_strconcat ("case.", format, NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;
  gulong id = g_signal_connect (page, "exported", G_CALLBACK (exported_cb), &done);

  tt_summary_page_export (page, format, file);
  g_assert_true (tt_test_wait_until (&done, 20000));
  g_signal_handler_disconnect (page, id);
  return path;
}

/* The summary's exports read the logged session: every sample of it. */
static void
test_export (void)
{
  g_autofree char *csv = export_to ("csv");
  g_autofree char *vital = export_to ("vital");
  g_autofree char *pdf = export_to ("pdf");
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) recording = NULL;
  guint sample_rows = 0;
  gsize length;

  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_isdigit (lines[i][0]) && g_str_has_suffix (lines[i], ",valid"))
      sample_rows++;
  g_assert_cmpuint (sample_rows, ==, training_samples);
  g_assert_nonnull (strstr (text, "# label: Glue 0427\n"));
  g_assert_nonnull (strstr (text, ",induction,"));

  recording = tt_recording_load_file (vital, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recording->samples->len, ==, training_samples);

  g_assert_true (g_file_get_contents (pdf, &head, &length, &error));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (head, "%PDF-"));
  activate (GTK_WIDGET (get_window ()), "win.close-case", NULL);
}

static void
wait_log_problem (gboolean problem)
{
  gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while ((tt_window_get_log_problem (get_window ()) != NULL) != problem &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (tt_window_get_log_problem (get_window ()) != NULL, ==, problem);
}

/* The log becomes unwritable mid-case: the header says why, the case goes on, and what the case
 * did meanwhile is in the log once it can be written again. */
static void
check_write_failure (const char *fail_sql,
                     const char *heal_sql,
                     const char *reason)
{
  TtWindow *window = get_window ();
  GtkWidget *w = GTK_WIDGET (window);
  GtkWidget *mark = window_child ("log_label");
  g_autoptr(TtStoreCase) c = NULL;
  g_autofree char *expected = NULL;
  TtMonitor *monitor;
  TtCase *kase;
  gint64 id;
  guint n_events;

  activate (w, "win.new-training-case", NULL);
  tt_feed_stop (tt_session_get_feed (current_session ()));
  kase = current_case ();
  gtk_editable_set_text (GTK_EDITABLE (setup_child ("label_row")), "Disk trouble");
  activate (GTK_WIDGET (tt_window_get_setup_page (window)), "setup.continue", NULL);
  monitor = tt_session_get_monitor (current_session ());
  push_ms = 10 * 60000;
  push (monitor, push_ms + 5000, 85);
  activate (w, "case.override", g_variant_new_string ("drill"));
  activate (w, "case.start-induction", NULL);
  flush ();
  id = logged_id ();
  g_assert_null (tt_window_get_log_problem (window));
  g_assert_false (gtk_widget_get_visible (mark));

  /* Ten minutes of samples: more than the pages the file has free. */
  tt_store_exec_on_writer_for_testing (app_store (), fail_sql);
  push (monitor, push_ms + 10 * 60000, 85);
  wait_log_problem (TRUE);
  expected = g_strdup_printf ("The session log cannot be written: %s. The case goes on; what is "
                              "not written yet is kept and written as soon as possible.", reason);
  g_assert_cmpstr (tt_window_get_log_problem (window), ==, expected);
  g_assert_true (gtk_widget_get_visible (mark));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (mark)), ==, "▲ NOT SAVED");

  /* The case goes on. */
  activate (w, "case.event", g_variant_new_string ("incision"));
  n_events = tt_case_get_events (kase)->len;
  g_assert_cmpint (g_array_index (tt_case_get_events (kase), TtCaseEvent, n_events - 1).kind, ==,
                   TT_CASE_EVENT_INCISION);
  push (monitor, push_ms + 5000, 80);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpstr (tt_window_get_visible_page (window), ==, "monitor");

  tt_store_exec_on_writer_for_testing (app_store (), heal_sql);
  wait_log_problem (FALSE);
  g_assert_false (gtk_widget_get_visible (mark));
  activate (w, "case.end", NULL);
  flush ();
  c = load (id);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpuint (c->recording->samples->len, ==, 5 + 600 + 5);
  g_assert_cmpint (tt_recording_find_event (c->recording, "incision"), >=, 0);
  activate (w, "win.close-case", NULL);
}

static void
test_read_only (void)
{
  check_write_failure ("PRAGMA query_only = ON", "PRAGMA query_only = OFF",
                       "Session log statement “BEGIN IMMEDIATE…”: attempt to write a readonly "
                       "database");
}

static void
test_disk_full (void)
{
  check_write_failure ("PRAGMA max_page_count = 1", "PRAGMA max_page_count = 1073741823",
                       "Writing the session log: database or disk is full");
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  dir = tt_test_tmpdir ();
  db_path = g_build_filename (dir, "sessions.db", NULL);
  prepare_log ();
  g_setenv ("TITRATE_DB", db_path, TRUE);

  app = tt_test_app_new ();
  g_application_activate (G_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (get_window ()), 1280, 800);
  tt_test_app_wait_store (app);
  g_assert_cmpstr (tt_store_get_path (app_store ()), ==, db_path);
  tt_test_spin (100);

  g_test_add_func ("/session-log/interrupted-offered", test_interrupted_offered);
  g_test_add_func ("/session-log/close-interrupted", test_close_interrupted);
  g_test_add_func ("/session-log/resume-interrupted", test_resume_interrupted);
  g_test_add_func ("/session-log/resume-live", test_resume_live);
  g_test_add_func ("/session-log/resume-patient", test_resume_patient);
  g_test_add_func ("/session-log/resume-replay", test_resume_replay);
  g_test_add_func ("/session-log/resume-replay-gone", test_resume_replay_gone);
  g_test_add_func ("/session-log/resume-replay-changed", test_resume_replay_changed);
  g_test_add_func ("/session-log/resume-replay-played", test_resume_replay_played);
  g_test_add_func ("/session-log/replay-logs-recording", test_replay_logs_recording);
  g_test_add_func ("/session-log/training-case", test_training_case);
  g_test_add_func ("/session-log/export", test_export);
  g_test_add_func ("/session-log/read-only", test_read_only);
  g_test_add_func ("/session-log/disk-full", test_disk_full);

  status = g_test_run ();

  tt_test_app_free (&app);
  tt_test_rmdir (dir);
  g_clear_pointer (&patient_run, tt_training_run_free);
  g_free (recording_path);
  g_free (gone_path);
  g_free (changed_path);
  g_free (played_path);
  g_free (db_path);
  g_free (dir);
  return status;
}
