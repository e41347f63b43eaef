/* test-store-review.c: the metrics and the advisor's replay of a case written through the store
 * and read back, blocking and on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-store-review.h"
#include "tt-test-store.h"

#define MIN_MS (60 * 1000)

static void
test_setup (TtStoreSetup *setup,
            const char   *label)
{
  tt_store_setup_init (setup);
  setup->label = (char *) label;
  setup->mode = TT_STORE_MODE_LIVE;
  setup->start_unix_ms = G_GINT64_CONSTANT (1735732800000);   /* 2025-01-01 12:00:00 UTC */
  setup->weight_kg = 72;
  setup->baseline_map = 95;
  setup->band_low = 70;
  setup->band_high = 90;
  setup->critical_map = 60;
  setup->concentration_ug_ml = 20;
  setup->line_type = (char *) "peripheral";
  setup->start_rate = 0.05;
  setup->bolus_dose_ug = 10;
}

static void
add_map (TtStoreSession *session,
         gint64          t_ms,
         double          map)
{
  TtSample s = tt_sample_init (t_ms, map);

  s.sbp = map + 20;
  s.dbp = map - 10;
  s.hr = 70;
  tt_store_add_samples (session, &s, 1);
}

/* Induction at 0; MAP 80 for 10 min, 60 for 5 min, 80 for 5 min; band 70–90. */
static gint64
write_dip (TtStore    *store,
           const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreSetup setup;

  test_setup (&setup, label);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_event (session, 0, "induction", NULL);
  for (gint64 t = 0; t < 20 * MIN_MS; t += 1000)
    add_map (session, t, t >= 10 * MIN_MS && t < 15 * MIN_MS ? 60 : 80);
  tt_store_end_session (session, 20 * MIN_MS);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  return tt_store_session_get_id (session);
}

/* The advisor scenario of test-advisor-replay.c: induction at 2 min, MAP 95, 85, falling
 * 2 mmHg/min from 6 to 12 min, 73 until 13:30, 78 after; 0.06 set at 12:30 and 0.04 at 20 min. */
static gint64
write_fall (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreSetup setup;

  test_setup (&setup, "fall");
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_event (session, 2 * MIN_MS, "induction", NULL);
  tt_store_add_rate_change (session, 2 * MIN_MS, 0.05, 10.8, 0);
  tt_store_add_rate_change (session, 12 * MIN_MS + 30000, 0.06, 12.96, 0);
  tt_store_add_rate_change (session, 20 * MIN_MS, 0.04, 8.64, 0);
  for (gint64 t = 0; t <= 30 * MIN_MS; t += 1000)
    add_map (session, t, t < 2 * MIN_MS ? 95 : t < 6 * MIN_MS ? 85
                         : t < 12 * MIN_MS ? 85 - 2.0 * (t - 6 * MIN_MS) / MIN_MS
                         : t < 13 * MIN_MS + 30000 ? 73 : 78);
  tt_store_end_session (session, 30 * MIN_MS);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  return tt_store_session_get_id (session);
}

static void
test_review_metrics (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreCase) c = NULL;
  TtStoreReviewMetrics m;
  const TtWindowMetrics *w;
  gint64 id;

  g_assert_no_error (error);
  id = write_dip (store, "dip");
  c = tt_store_load_session (store, id, &error);
  g_assert_no_error (error);
  tt_store_review_metrics (c, &m);

  g_assert_cmpint (m.grid_ms, ==, 2000);
  g_assert_cmpint (m.induction_ms, ==, 0);
  g_assert_true (m.have[TT_WINDOW_FIRST15] && m.have[TT_WINDOW_INDUCTION] &&
                 m.have[TT_WINDOW_CASE]);
  /* 0–15 min: 450 steps, 300 at 80 and 150 at 60 mmHg. */
  w = &m.windows[TT_WINDOW_FIRST15];
  g_assert_cmpfloat_with_epsilon (w->valid_min, 15, 1e-9);
  g_assert_cmpfloat_with_epsilon (w->in_band_pct, 100.0 * 300 / 450, 1e-9);
  g_assert_cmpfloat_with_epsilon (w->below[0].time_min, 5, 1e-9);
  /* 5 mmHg below 65 for 5 min. */
  g_assert_cmpfloat_with_epsilon (w->below[0].aut_mmhg_min, 25, 1e-9);
  /* The whole case: 20 min, 15 of them in the band. */
  w = &m.windows[TT_WINDOW_CASE];
  g_assert_cmpfloat_with_epsilon (w->in_band_pct, 75, 1e-9);
  g_assert_cmpfloat_with_epsilon (w->below[0].aut_mmhg_min, 25, 1e-9);
  tt_test_rmdir (dir);
}

static void
metrics_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TtStoreReviewMetrics *m = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_store_review_metrics_finish (TT_STORE (source), result, m, &error));
  g_assert_no_error (error);
}

static void
review_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TtStoreReview **review = user_data;
  g_autoptr(GError) error = NULL;

  *review = tt_store_review_load_finish (TT_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
missing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_null (tt_store_review_load_finish (TT_STORE (source), result, error));
}

static void
test_review_async (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreReview) review = NULL;
  GArray *decisions;
  const TtAdvice *advice;
  TtStoreReviewMetrics m = { 0 };
  gint64 dip, fall;

  g_assert_no_error (error);
  dip = write_dip (store, "dip");
  fall = write_fall (store);

  tt_store_review_metrics_async (store, dip, NULL, metrics_cb, &m);
  while (m.grid_ms == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat_with_epsilon (m.windows[TT_WINDOW_FIRST15].below[0].aut_mmhg_min, 25, 1e-9);

  tt_store_review_load_async (store, fall, NULL, review_cb, &review);
  while (review == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (review->store_case->info->setup.label, ==, "fall");
  g_assert_null (review->advisor_error);
  g_assert_nonnull (review->advisor);
  /* 30 min at 95, 85, 73 and 78 mmHg, induction at 2 min: the case window's mean. */
  g_assert_true (review->metrics.have[TT_WINDOW_CASE]);
  g_assert_cmpint (review->metrics.induction_ms, ==, 2 * MIN_MS);

  /* Where the recorded case was, the advisor advised 0.06 µg/kg/min before 12 min and the
   * clinician set it at 12:30; the decrease at 20 min came without advice. */
  advice = tt_advisor_replay_advice_at (review->advisor, 12 * MIN_MS);
  g_assert_nonnull (advice);
  g_assert_cmpint (advice->kind, ==, TT_ADVICE_INCREASE);
  g_assert_cmpstr (advice->title, ==, "Increase to 0.06 µg/kg/min");
  decisions = tt_advisor_replay_get_decisions (review->advisor);
  g_assert_cmpuint (decisions->len, ==, 2);
  g_assert_cmpint (g_array_index (decisions, TtReplayDecision, 0).match, ==, TT_REPLAY_AGREED);
  g_assert_cmpint (g_array_index (decisions, TtReplayDecision, 1).match, ==, TT_REPLAY_UNADVISED);

  /* A session that is not there. */
  tt_store_review_load_async (store, 999, NULL, missing_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
  tt_test_rmdir (dir);
}

static void
test_review_no_weight (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreReview) review = NULL;
  TtStoreCase *c;

  g_assert_no_error (error);
  c = tt_store_load_session (store, write_dip (store, "no weight"), &error);
  g_assert_no_error (error);
  /* A replayed recording logs no weight. */
  c->info->setup.weight_kg = NAN;
  review = tt_store_review_new (c);
  /* The metrics need no weight; the advisor does, and says so. */
  g_assert_cmpfloat_with_epsilon (review->metrics.windows[TT_WINDOW_CASE].in_band_pct, 75, 1e-9);
  g_assert_null (review->advisor);
  g_assert_cmpstr (review->advisor_error, ==,
                   "This case has no recorded weight or syringe concentration, so the advisor "
                   "cannot be replayed over it.");
  tt_test_rmdir (dir);
}

static void
test_review_chart (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreCase) c = NULL;
  g_autoptr(TtChart) chart = tt_chart_new ();
  g_autoptr(TtChartFrame) frame = NULL;
  gint64 start, end;

  g_assert_no_error (error);
  c = tt_store_load_session (store, write_fall (store), &error);
  g_assert_no_error (error);
  /* A flush of 10 s at 25 min: flagged samples are gaps and the grid's steps are excluded. */
  for (guint i = 0; i < c->recording->samples->len; i++)
    {
      TtSample *s = &g_array_index (c->recording->samples, TtSample, i);

      if (s->t_ms >= 25 * MIN_MS && s->t_ms < 25 * MIN_MS + 10000)
        s->quality = TT_QUALITY_FLUSH;
    }
  g_assert_true (tt_store_review_fill_chart (c, chart, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_chart_get_n_map (chart), ==, 1801);
  /* The whole case, 30 min, with induction (2 min) as time zero. */
  tt_chart_get_window (chart, &start, &end);
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 30 * MIN_MS);
  frame = tt_chart_prepare (chart, 1200, 400, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (frame->x_min, ==, -2);
  g_assert_cmpfloat (frame->x_max, ==, 28);
  g_assert_cmpfloat (frame->band_lower, ==, 70);
  g_assert_cmpfloat (frame->band_upper, ==, 90);
  g_assert_cmpfloat (frame->threshold, ==, 65);
  g_assert_cmpfloat (frame->critical, ==, 60);
  /* 0.04 µg/kg/min at the end. */
  g_assert_cmpfloat_with_epsilon (frame->rate_now, 0.04, 1e-12);
  g_assert_cmpuint (frame->events->len, ==, 1);
  g_assert_cmpstr (g_array_index (frame->events, TtChartFrameEvent, 0).label, ==, "Induction");
  g_assert_cmpuint (frame->excluded->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (frame->excluded, TtChartFrameSegment, 0).x0, 23,
                                  1e-9);
  g_assert_cmpstr (g_array_index (frame->excluded, TtChartFrameSegment, 0).label, ==,
                   tt_quality_describe (TT_QUALITY_FLUSH));
  tt_test_rmdir (dir);
}

static void
test_review_case_setup (void)
{
  TtStoreSetup setup;
  g_autoptr(TtCaseSetup) out = NULL;
  g_autoptr(GError) error = NULL;

  test_setup (&setup, "S");
  setup.line_type = (char *) "central";
  setup.band_low = NAN;
  setup.start_rate = NAN;
  out = tt_store_review_case_setup (&setup, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out->label, ==, "S");
  g_assert_cmpint (out->line, ==, TT_LINE_CENTRAL);
  g_assert_cmpfloat (out->weight_kg, ==, 72);
  g_assert_cmpfloat (out->concentration, ==, 20);
  /* No band: the default for baseline 95 (80 % = 76, up to 96). */
  g_assert_cmpfloat_with_epsilon (out->target_lo, 76, 1e-9);
  g_assert_cmpfloat_with_epsilon (out->target_hi, 96, 1e-9);
  g_assert_cmpfloat (out->start_rate, ==, 0.05);
  /* Not logged: the form's defaults. */
  g_assert_cmpfloat (out->dead_space_ml, ==, 1);
  g_assert_cmpfloat (out->syringe_ml, ==, 50);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-review/metrics", test_review_metrics);
  g_test_add_func ("/store-review/async", test_review_async);
  g_test_add_func ("/store-review/no-weight", test_review_no_weight);
  g_test_add_func ("/store-review/chart", test_review_chart);
  g_test_add_func ("/store-review/case-setup", test_review_case_setup);

  return g_test_run ();
}
