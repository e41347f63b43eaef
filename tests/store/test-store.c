/* test-store.c: the session log: writing, reading back, crash safety, full disk, read-only,
 * damaged files, file modes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tt-store.h"
#include "tt-store-private.h"
#include "tt-test-store.h"
#include "tt-test-case.h"
#include "tt-grid.h"
#include "tt-metrics.h"

static void
measure (const GArray     *samples,
         gint64            induction_ms,
         TtWindowMetrics   out[TT_N_WINDOWS])
{
  g_autoptr(GArray) points = tt_grid_resample ((const TtSample *) samples->data, samples->len,
                                               TT_GRID_DEFAULT_STEP_MS);
  TtMetricsConfig config;

  tt_metrics_config_init (&config);
  config.band_lo = 72;
  config.band_hi = 92;
  config.baseline = 90;
  for (int w = 0; w < TT_N_WINDOWS; w++)
    {
      memset (&out[w], 0, sizeof out[w]);
      g_assert_true (tt_metrics_compute (&config, (const TtGridPoint *) points->data, points->len,
                                         induction_ms, w, &out[w]));
    }
}

#define assert_same(a, b) \
  g_assert_true ((isnan (a) && isnan (b)) || (a) == (b))

static void
assert_same_metrics (const TtWindowMetrics *a,
                     const TtWindowMetrics *b)
{
  g_assert_cmpint (a->start_ms, ==, b->start_ms);
  g_assert_cmpint (a->end_ms, ==, b->end_ms);
  assert_same (a->valid_min, b->valid_min);
  assert_same (a->excluded_min, b->excluded_min);
  assert_same (a->artifact_min, b->artifact_min);
  assert_same (a->gap_min, b->gap_min);
  assert_same (a->mean_mmhg, b->mean_mmhg);
  assert_same (a->sd_mmhg, b->sd_mmhg);
  assert_same (a->cv_pct, b->cv_pct);
  assert_same (a->arv_mmhg_per_min, b->arv_mmhg_per_min);
  assert_same (a->in_band_pct, b->in_band_pct);
  assert_same (a->min_mmhg, b->min_mmhg);
  assert_same (a->max_mmhg, b->max_mmhg);
  for (int i = 0; i < TT_METRICS_N_BELOW; i++)
    {
      assert_same (a->below[i].time_min, b->below[i].time_min);
      assert_same (a->below[i].aut_mmhg_min, b->below[i].aut_mmhg_min);
      assert_same (a->below[i].twa_mmhg, b->below[i].twa_mmhg);
      g_assert_cmpuint (a->below[i].episodes, ==, b->below[i].episodes);
    }
  assert_same (a->relative_mmhg, b->relative_mmhg);
  assert_same (a->below_relative.aut_mmhg_min, b->below_relative.aut_mmhg_min);
  for (int i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      assert_same (a->above[i].time_min, b->above[i].time_min);
      assert_same (a->above[i].area_mmhg_min, b->above[i].area_mmhg_min);
    }
  for (int i = 0; i < TT_METRICS_N_SUSTAINED; i++)
    assert_same (a->lowest_sustained_mmhg[i], b->lowest_sustained_mmhg[i]);
  assert_same (a->mdpe_pct, b->mdpe_pct);
  assert_same (a->mdape_pct, b->mdape_pct);
  assert_same (a->wobble_pct, b->wobble_pct);
}

/* A case written, reopened and measured gives the metrics of the case as it was recorded. MAP is
 * 90 mmHg before induction (at 5 min), 60 for the next 5 min, then 80 with a 20-s flush at 11:40:
 * in the first 15 min after induction, 5 min below 65 mmHg, an area of 5 × 5 = 25 mmHg·min, one
 * episode, 20 s excluded, 14.667 min valid, mean (60·150 + 80·290) / 440 steps = 73.18 mmHg. */
static void
test_metrics_roundtrip (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  TtWindowMetrics before[TT_N_WINDOWS], after[TT_N_WINDOWS];
  const TtWindowMetrics *first15 = &before[TT_WINDOW_FIRST15];
  TtStoreSetup setup;

  for (int t = 0; t < 1500; t++)
    {
      TtSample sample = tt_sample_init (t * 1000, t < 300 ? 90 : t < 600 ? 60 : 80);

      sample.hr = 64 + t % 7;
      if (t >= 700 && t < 720)
        {
          sample.map = 300;
          sample.quality = TT_QUALITY_FLUSH;
        }
      g_array_append_val (samples, sample);
    }
  measure (samples, 300000, before);
  g_assert_cmpfloat_with_epsilon (first15->below[0].time_min, 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (first15->below[0].aut_mmhg_min, 25.0, 1e-9);
  g_assert_cmpuint (first15->below[0].episodes, ==, 1);
  g_assert_cmpfloat_with_epsilon (first15->excluded_min, 20.0 / 60, 1e-9);
  g_assert_cmpfloat_with_epsilon (first15->valid_min, 880.0 / 60, 1e-9);
  g_assert_cmpfloat_with_epsilon (first15->mean_mmhg, (60.0 * 150 + 80.0 * 290) / 440, 1e-9);

  tt_test_setup (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  for (guint i = 0; i < samples->len; i += 25)
    tt_store_add_samples (session, &g_array_index (samples, TtSample, i), 25);
  tt_store_add_event (session, 300000, "induction", NULL);
  tt_store_end_session (session, 1500000);
  g_clear_object (&store);

  store = tt_store_open (path, &error);
  c = tt_store_load_session (store, 1, &error);
  g_assert_no_error (error);
  measure (c->recording->samples, tt_recording_find_event (c->recording, "induction"), after);
  for (int w = 0; w < TT_N_WINDOWS; w++)
    assert_same_metrics (&before[w], &after[w]);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

static void
test_roundtrip (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  const TtStoreSessionInfo *info;

  g_assert_no_error (error);
  session = write_case (store);
  g_assert_cmpint (tt_store_session_get_id (session), ==, 0);
  tt_store_end_session (session, 600000);
  g_clear_object (&store);

  /* Reopened: everything is there, with the state ended. */
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_store_session_get_id (session), ==, 1);
  sessions = tt_store_list_sessions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);
  info = g_ptr_array_index (sessions, 0);
  g_assert_cmpint (info->id, ==, 1);
  g_assert_cmpint (info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (info->end_t_ms, ==, 600000);
  g_assert_cmpint (info->end_unix_ms, >, G_GINT64_CONSTANT (1735732800000));
  c = tt_store_load_session (store, 1, &error);
  g_assert_no_error (error);
  check_case (c);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);

  g_assert_null (tt_store_load_session (store, 42, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no session 42 in the session log");

  g_clear_object (&store);
  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
  tt_test_assert_query (path, "PRAGMA journal_mode", "wal");
  tt_test_rmdir (dir);
}

/* The async forms deliver on the caller's main context; the store commits without being asked. */
typedef struct {
  GMainLoop   *loop;
  TtStore     *store;
  GPtrArray   *sessions;
  TtStoreCase *store_case;
  GThread     *thread;
} AsyncData;

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->store = tt_store_open_finish (result, &error);
  g_assert_no_error (error);
  data->thread = g_thread_self ();
  g_main_loop_quit (data->loop);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->sessions = tt_store_list_sessions_finish (TT_STORE (source), result, &error);
  g_assert_no_error (error);
  data->thread = g_thread_self ();
  g_main_loop_quit (data->loop);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->store_case = tt_store_load_session_finish (TT_STORE (source), result, &error);
  g_assert_no_error (error);
  data->thread = g_thread_self ();
  g_main_loop_quit (data->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_async (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TtStoreSession) session = NULL;
  AsyncData data = { loop, NULL, NULL, NULL, NULL };

  tt_store_open_async (path, NULL, opened_cb, &data);
  g_main_loop_run (loop);
  g_assert_nonnull (data.store);
  g_assert_true (data.thread == g_thread_self ());

  session = write_case (data.store);
  /* Committed by the writer within the commit interval, without a flush. */
  g_timeout_add (TT_STORE_COMMIT_INTERVAL_MS * 3, quit_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpint (tt_store_session_get_id (session), ==, 1);
  g_assert_cmpuint (tt_store_get_pending_samples (data.store), ==, 0);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM samples"), ==, 600);

  data.thread = NULL;
  tt_store_list_sessions_async (data.store, NULL, listed_cb, &data);
  g_main_loop_run (loop);
  g_assert_true (data.thread == g_thread_self ());
  g_assert_cmpuint (data.sessions->len, ==, 1);
  g_assert_cmpint (((TtStoreSessionInfo *) g_ptr_array_index (data.sessions, 0))->state, ==,
                   TT_STORE_STATE_OPEN);

  data.thread = NULL;
  tt_store_load_session_async (data.store, 1, NULL, loaded_cb, &data);
  g_main_loop_run (loop);
  g_assert_true (data.thread == g_thread_self ());
  check_case (data.store_case);

  tt_store_end_session (session, 600000);
  g_clear_pointer (&data.sessions, g_ptr_array_unref);
  g_clear_pointer (&data.store_case, tt_store_case_free);
  g_clear_object (&data.store);
  tt_test_rmdir (dir);
}

static void
test_file_mode (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "titrate", NULL);
  g_autofree char *path = g_build_filename (folder, "sessions.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtSample sample = tt_sample_init (0, 80);
  TtStoreSetup setup;
  GStatBuf st;

  umask (022);
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  tt_test_setup (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  tt_store_add_samples (session, &sample, 1);
  g_assert_true (tt_store_flush (store, NULL));

  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  tt_store_end_session (session, 1000);
  g_clear_object (&store);

  /* An existing file with a loose mode is made private again. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

static void
test_default_path (void)
{
  g_autofree char *path = tt_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "titrate", "sessions.db",
                                                NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_invalid_setup (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  TtStoreSetup setup;

  tt_test_setup (&setup);
  setup.band_high = 70;
  g_assert_null (tt_store_begin_session (store, &setup, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Session setup: target band upper bound 70 mmHg cannot be "
                   "stored (allowed: 73 to 400 mmHg)");
  g_clear_error (&error);

  tt_test_setup (&setup);
  setup.weight_kg = NAN;
  g_assert_null (tt_store_begin_session (store, &setup, &error));
  g_assert_cmpstr (error->message, ==, "Session setup: weight nan kg cannot be stored "
                   "(allowed: 0.1 to 1000 kg)");
  g_clear_error (&error);

  tt_test_setup (&setup);
  setup.line_type = NULL;
  g_assert_null (tt_store_begin_session (store, &setup, &error));
  g_assert_cmpstr (error->message, ==, "Session setup: the line type is missing (allowed: "
                   "central, peripheral)");
  g_clear_error (&error);

  /* A changed setup is checked the same way, and a refused one leaves the snapshot alone. */
  {
    g_autoptr(TtStoreSession) session = NULL;
    g_autoptr(TtStoreCase) c = NULL;

    tt_test_setup (&setup);
    session = tt_store_begin_session (store, &setup, &error);
    g_assert_no_error (error);
    setup.concentration_ug_ml = 0;
    g_assert_false (tt_store_update_setup (session, &setup, &error));
    g_assert_cmpstr (error->message, ==, "Session setup: concentration 0 µg/mL cannot be stored "
                     "(allowed: 0.001 to 100000 µg/mL)");
    tt_store_end_session (session, 0);
    c = tt_store_load_session (store, 1, NULL);
    g_assert_cmpfloat (c->info->setup.concentration_ug_ml, ==, 20);
  }
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

/* A session dropped without being ended, its lock free: found interrupted by the next open, then
 * resumed where it stopped, or closed. */
static void
test_interrupted_resume (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStore) other = NULL;
  g_autoptr(TtStoreSession) kept = NULL;
  g_autoptr(TtStoreSession) resumed = NULL;
  g_autoptr(GPtrArray) interrupted = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  TtStoreSession *dropped;
  TtStoreSetup setup;
  TtSample samples[10];
  TtStoreAdvice advice = { .kind = (char *) "hold", .rate_ug_kg_min = NAN, .rate_ml_h = NAN,
                           .bolus_ug = NAN };

  tt_test_setup (&setup);
  for (int i = 0; i < 10; i++)
    samples[i] = tt_sample_init (i * 1000, 70 + i);

  dropped = tt_store_begin_session (store, &setup, &error);
  tt_store_add_samples (dropped, samples, 5);
  tt_store_add_advice (dropped, &advice);
  tt_store_add_alert (dropped, 1000, "medium", "no-signal", NULL);
  kept = tt_store_begin_session (store, &setup, &error);
  tt_store_add_samples (kept, samples, 3);
  g_assert_true (tt_store_flush (store, &error));
  tt_store_session_unref (dropped);

  /* Another opener (the next start) marks only the session nobody records any more. */
  other = tt_store_open (path, &error);
  g_assert_no_error (error);
  interrupted = tt_store_find_interrupted (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (interrupted->len, ==, 1);
  g_assert_cmpint (((TtStoreSessionInfo *) g_ptr_array_index (interrupted, 0))->id, ==, 1);
  g_assert_cmpint (((TtStoreSessionInfo *) g_ptr_array_index (interrupted, 0))->last_t_ms, ==,
                   4000);
  g_clear_pointer (&interrupted, g_ptr_array_unref);

  /* Deleting the one being recorded is refused. */
  g_assert_false (tt_store_delete_session (other, 2, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE);
  g_assert_cmpstr (error->message, ==, "Session 2 is being recorded and cannot be deleted; end it "
                   "first");
  g_clear_error (&error);

  resumed = tt_store_resume_session (other, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_store_session_get_id (resumed), ==, 1);
  tt_store_add_samples (resumed, samples + 5, 5);
  g_assert_cmpuint (tt_store_add_advice (resumed, &advice), ==, 2);
  g_assert_cmpuint (tt_store_add_alert (resumed, 9000, "low", "syringe", NULL), ==, 2);
  g_assert_true (tt_store_flush (other, &error));
  g_assert_null (tt_store_resume_session (other, 1, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE);
  g_assert_cmpstr (error->message, ==, "Session 1 cannot be resumed: it is open, not interrupted");
  g_clear_error (&error);
  tt_store_end_session (resumed, 10000);

  c = tt_store_load_session (other, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpuint (c->recording->samples->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (g_array_index (c->recording->samples, TtSample, i).t_ms, ==, i * 1000);
  g_assert_cmpuint (c->advice->len, ==, 2);
  g_assert_cmpuint (c->alerts->len, ==, 2);
  g_clear_pointer (&c, tt_store_case_free);

  /* The kept session: dropped too, found at the next open, closed at its last sample. */
  g_clear_pointer (&kept, tt_store_session_unref);
  g_clear_object (&store);
  g_clear_object (&other);
  store = tt_store_open (path, &error);
  interrupted = tt_store_find_interrupted (store, &error);
  g_assert_cmpuint (interrupted->len, ==, 1);
  g_assert_cmpint (((TtStoreSessionInfo *) g_ptr_array_index (interrupted, 0))->id, ==, 2);
  tt_store_close_interrupted (store, 2);
  c = tt_store_load_session (store, 2, &error);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->end_t_ms, ==, 2000);

  /* Deleted with everything in it. */
  g_assert_true (tt_store_delete_session (store, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM samples WHERE session_id = 2"),
                   ==, 0);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM samples WHERE session_id = 1"),
                   ==, 10);
  g_assert_false (tt_store_delete_session (store, 2, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

/* SIGKILL mid-case: at most a second lost, the file sound, the case found interrupted. */
static void
test_crash (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  const char *argv[] = { STORE_CRASH_HELPER, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GPtrArray) interrupted = NULL;
  g_autoptr(TtStoreSession) resumed = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out_fd, status;
  gint64 kill_ms, last_ms, id;
  TtSample sample;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, NULL, &error), ==,
                   G_IO_STATUS_NORMAL);
  g_assert_true (sscanf (line, "session %" G_GINT64_FORMAT, &id) == 1);
  g_assert_cmpint (id, ==, 1);

  /* Let it record 1.7 s, at 125 Hz, then kill it. */
  g_usleep (1700 * 1000);
  kill_ms = g_get_real_time () / 1000;
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);

  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
  last_ms = tt_test_query_int (path, "SELECT max (t_ms) FROM samples");
  g_test_message ("samples stored: %" G_GINT64_FORMAT "; last one %" G_GINT64_FORMAT
                  " ms before the kill",
                  tt_test_query_int (path, "SELECT count (*) FROM samples"), kill_ms - last_ms);
  g_assert_cmpint (kill_ms - last_ms, <=, 1000);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM samples"), >=, 100);

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  interrupted = tt_store_find_interrupted (store, &error);
  g_assert_cmpuint (interrupted->len, ==, 1);
  g_assert_cmpint (((TtStoreSessionInfo *) g_ptr_array_index (interrupted, 0))->last_t_ms, ==,
                   last_ms);

  resumed = tt_store_resume_session (store, id, &error);
  g_assert_no_error (error);
  sample = tt_sample_init (last_ms + 5000, 75);
  tt_store_add_samples (resumed, &sample, 1);
  tt_store_end_session (resumed, last_ms + 5000);
  c = tt_store_load_session (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->last_t_ms, ==, last_ms + 5000);
  g_assert_cmpint (tt_recording_find_event (c->recording, "induction"), ==,
                   c->info->setup.start_unix_ms);
  g_clear_object (&store);
  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
  tt_test_rmdir (dir);
}

static GThread *main_thread;

/* The state the writer publishes reaches the main context's thread only: GTK answers there. */
static void
error_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  g_assert_true (g_thread_self () == main_thread);
  (*count)++;
}

static void
wait_for_notify (guint *count,
                 guint  expected)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*count < expected && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (*count, ==, expected);
}

/* The disk fills up (sqlite's page limit) or the file turns read-only during a case: the rows stay
 * in memory, the error is published, what was written stays sound, and writing resumes. */
static void
check_write_failure (const char *fail_sql,
                     const char *recover_sql,
                     int         code,
                     const char *message)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(TtStoreCase) c = NULL;
  TtStoreSetup setup;
  guint notified = 0;

  g_signal_connect (store, "notify::error", G_CALLBACK (error_notify_cb), &notified);
  for (int i = 0; i < 20000; i++)
    {
      TtSample sample = tt_sample_init (i * 8, 80);

      g_array_append_val (samples, sample);
    }

  tt_test_setup (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  tt_store_add_samples (session, (TtSample *) samples->data, 1000);
  g_assert_true (tt_store_flush (store, &error));

  tt_store_exec_on_writer_for_testing (store, fail_sql);
  tt_store_add_samples (session, &g_array_index (samples, TtSample, 1000), 18000);
  tt_store_add_event (session, 8000, "intubation", NULL);
  g_assert_false (tt_store_flush (store, &error));
  g_assert_error (error, TT_STORE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  /* Visible on the main context; the case goes on in memory. */
  wait_for_notify (&notified, 1);
  g_assert_error (tt_store_get_error (store), TT_STORE_ERROR, code);
  g_assert_cmpuint (tt_store_get_pending_samples (store), ==, 18000);
  tt_store_add_samples (session, &g_array_index (samples, TtSample, 19000), 1000);
  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM samples"), ==, 1000);

  tt_store_exec_on_writer_for_testing (store, recover_sql);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  wait_for_notify (&notified, 2);
  g_assert_null (tt_store_get_error (store));
  g_assert_cmpuint (tt_store_get_pending_samples (store), ==, 0);

  tt_store_end_session (session, 160000);
  c = tt_store_load_session (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->recording->samples->len, ==, 20000);
  g_assert_cmpint (g_array_index (c->recording->samples, TtSample, 19999).t_ms, ==, 19999 * 8);
  g_assert_cmpint (tt_recording_find_event (c->recording, "intubation"), ==, 8000);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_clear_object (&store);
  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
  tt_test_rmdir (dir);
}

static void
test_disk_full (void)
{
  /* max_page_count never goes below the current size: 1 means "no more pages". */
  check_write_failure ("PRAGMA max_page_count = 1", "PRAGMA max_page_count = 1073741823",
                       TT_STORE_ERROR_DISK_FULL,
                       "Writing the session log: database or disk is full");
}

static void
test_read_only (void)
{
  check_write_failure ("PRAGMA query_only = ON", "PRAGMA query_only = OFF",
                       TT_STORE_ERROR_READ_ONLY,
                       "Session log statement “BEGIN IMMEDIATE…”: attempt to write a readonly "
                       "database");
}

/* While the disk stays full, the backlog keeps at most TT_STORE_BACKLOG_MAX_SAMPLES; what was
 * dropped is logged as a gap once writing resumes. */
static void
test_backlog_bound (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  g_autofree TtSample *chunk = g_new (TtSample, 1000);
  const guint n_chunks = TT_STORE_BACKLOG_MAX_SAMPLES / 1000 + 50;
  const TtRecordingEvent *gap;
  TtStoreSetup setup;

  tt_test_setup (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_true (tt_store_flush (store, &error));
  tt_store_exec_on_writer_for_testing (store, "PRAGMA max_page_count = 1");
  for (guint k = 0; k < n_chunks; k++)
    {
      for (guint i = 0; i < 1000; i++)
        chunk[i] = tt_sample_init ((k * 1000 + i) * 8, 80);
      tt_store_add_samples (session, chunk, 1000);
    }
  g_assert_false (tt_store_flush (store, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_DISK_FULL);
  g_assert_cmpuint (tt_store_get_pending_samples (store), <=, TT_STORE_BACKLOG_MAX_SAMPLES);
  g_assert_cmpuint (tt_store_get_pending_samples (store), >=,
                    TT_STORE_BACKLOG_MAX_SAMPLES - TT_STORE_SAMPLE_CHUNK);

  tt_store_exec_on_writer_for_testing (store, "PRAGMA max_page_count = 1073741823");
  g_assert_true (tt_store_flush (store, NULL));
  c = tt_store_load_session (store, 1, NULL);
  g_assert_cmpuint (c->recording->samples->len, ==, tt_test_query_int (path,
                                                      "SELECT count (*) FROM samples"));
  g_assert_cmpuint (c->recording->samples->len, <=, TT_STORE_BACKLOG_MAX_SAMPLES);
  /* The newest samples are kept; the oldest are reported lost. */
  g_assert_cmpint (g_array_index (c->recording->samples, TtSample,
                                  c->recording->samples->len - 1).t_ms, ==,
                   (n_chunks * 1000 - 1) * 8);
  g_assert_cmpuint (c->recording->events->len, ==, 1);
  gap = &g_array_index (c->recording->events, TtRecordingEvent, 0);
  g_assert_cmpstr (gap->kind, ==, "log-gap");
  g_assert_cmpint (gap->t_ms, ==, 0);
  g_assert_true (g_str_has_suffix (gap->text, "could not be written (the disk was full or "
                                               "read-only)"));
  g_test_message ("%s", gap->text);
  tt_store_end_session (session, 1);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

static void
check_damaged (const char *path,
               const char *problem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) aside = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = NULL;
  g_autofree char *expected_start = NULL;
  g_autofree char *expected_end = NULL;
  const char *name;

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tt_store_get_notice (store));
  g_test_message ("%s", tt_store_get_notice (store));

  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (strstr (name, ".damaged-") != NULL && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      g_ptr_array_add (aside, g_build_filename (dir, name, NULL));
  g_assert_cmpuint (aside->len, ==, 1);

  expected_start = g_strdup_printf ("The session log %s was damaged (%s", path, problem);
  expected_end = g_strdup_printf ("). It was kept as %s and a new, empty session log was started.",
                                  (char *) g_ptr_array_index (aside, 0));
  g_assert_true (g_str_has_prefix (tt_store_get_notice (store), expected_start));
  g_assert_true (g_str_has_suffix (tt_store_get_notice (store), expected_end));
  sessions = tt_store_list_sessions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 0);
  g_clear_object (&store);
  tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
}

static void
test_corrupt_not_a_database (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autofree char *junk = g_strnfill (8192, 'x');
  g_autofree char *kept = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_assert_true (g_file_set_contents (path, junk, -1, NULL));
  check_damaged (path, "Reading the session log’s version: file is not a database)");

  /* Kept, byte for byte. */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (strstr (name, ".damaged-") != NULL)
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);

        g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
      }
  g_assert_cmpstr (kept, ==, junk);
  tt_test_rmdir (dir);
}

static void
test_corrupt_page (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = write_case (store);
  g_autofree char *contents = NULL;
  gsize length;

  tt_store_end_session (session, 600000);
  g_clear_object (&store);
  /* Fold the WAL into the file, then scribble over the pages after the first. */
  g_assert_cmpint (tt_test_query_int (path, "PRAGMA page_count"), >, 4);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* The root page of the samples table: the schema (whose pages are not all at the start of the
   * file once it has grown) stays readable, so the damage is found by the integrity check. */
  {
    gint64 root = tt_test_query_int (path, "SELECT rootpage FROM sqlite_master"
                                           " WHERE name = 'samples'");

    g_assert_cmpint (root, >, 1);
    g_assert_cmpuint (length, >=, (gsize) root * 4096);
    memset (contents + (gsize) (root - 1) * 4096, 0xA5, 4096);
  }
  g_assert_true (g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE,
                                           0600, NULL));
  check_damaged (path, "integrity check: Page ");
  tt_test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/store/roundtrip", test_roundtrip);
  g_test_add_func ("/store/metrics-roundtrip", test_metrics_roundtrip);
  g_test_add_func ("/store/async", test_async);
  g_test_add_func ("/store/file-mode", test_file_mode);
  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/invalid-setup", test_invalid_setup);
  g_test_add_func ("/store/interrupted-resume", test_interrupted_resume);
  g_test_add_func ("/store/crash", test_crash);
  g_test_add_func ("/store/disk-full", test_disk_full);
  g_test_add_func ("/store/read-only", test_read_only);
  g_test_add_func ("/store/backlog-bound", test_backlog_bound);
  g_test_add_func ("/store/corrupt/not-a-database", test_corrupt_not_a_database);
  g_test_add_func ("/store/corrupt/page", test_corrupt_page);

  return g_test_run ();
}
