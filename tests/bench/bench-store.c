/* bench-store.c: the session log's write path.
 *
 * 1. Sustained sample inserts per second through the store (queue, writer thread, batched
 *    commits) against a bare sqlite loop inserting the same rows with the same statement in one
 *    transaction. Target: the store reaches at least 70 % of the bare loop.
 * 2. The longest time the main thread spends in a store call during a 12-hour case at 125 Hz
 *    (5.4 million samples, pushed one second at a time as fast as the writer keeps up, with advice,
 *    answers, rate changes and events every minute). Target: below 5 ms.
 *
 * The default run simulates 2 hours to stay short on a shared machine; TITRATE_BENCH_HOURS=12 runs
 * the full 12-hour case (≈ 30 s). Beside the store calls the loop times a control section doing
 * the same copying without the store, so scheduler noise on a busy machine shows as such.
 *
 * Prints figures; never fails on speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt-store.h"
#include "tt-store-schema.h"

#define RATE_HZ 125
#define N_THROUGHPUT 200000

static TtSample
make_sample (guint i)
{
  TtSample sample = tt_sample_init ((gint64) i * 8, 75 + 10 * sin (i / 500.0));

  sample.sbp = sample.map + 40;
  sample.dbp = sample.map - 15;
  sample.hr = 72;
  return sample;
}

static void
setup_init (TtStoreSetup *setup)
{
  tt_store_setup_init (setup);
  setup->label = (char *) "bench";
  setup->weight_kg = 70;
  setup->band_low = 72;
  setup->band_high = 92;
  setup->concentration_ug_ml = 20;
  setup->line_type = (char *) "central";
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* The same rows, the same schema and pragmas, one transaction, one prepared statement. */
static double
bare_loop (const char *path)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start, end;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (tt_store_schema_configure (db, &error));
  g_assert_true (tt_store_schema_exec (db, "PRAGMA journal_mode = WAL", &error));
  g_assert_true (tt_store_schema_exec (db, "PRAGMA synchronous = FULL", &error));
  g_assert_true (tt_store_schema_migrate (db, TT_STORE_SCHEMA_VERSION, &error));
  g_assert_true (tt_store_schema_exec (db,
                                       "INSERT INTO sessions (mode, app_version, start_unix_ms,"
                                       " weight_kg, band_low, band_high, concentration_ug_ml,"
                                       " line_type) VALUES ('live', 'bench', 0, 70, 72, 92, 20,"
                                       " 'central')", &error));
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO samples (session_id, t_ms, map, sbp, dbp, hr,"
                                       " quality) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  g_assert_true (tt_store_schema_exec (db, "BEGIN IMMEDIATE", &error));
  for (guint i = 0; i < N_THROUGHPUT; i++)
    {
      TtSample s = make_sample (i);

      sqlite3_bind_int64 (stmt, 1, 1);
      sqlite3_bind_int64 (stmt, 2, s.t_ms);
      sqlite3_bind_double (stmt, 3, s.map);
      sqlite3_bind_double (stmt, 4, s.sbp);
      sqlite3_bind_double (stmt, 5, s.dbp);
      sqlite3_bind_double (stmt, 6, s.hr);
      sqlite3_bind_int (stmt, 7, 0);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (tt_store_schema_exec (db, "COMMIT", &error));
  end = g_get_monotonic_time ();

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return N_THROUGHPUT / ((end - start) / 1e6);
}

/* The same rows through the store, one second (125 samples) per call, until all are committed. */
static double
through_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  TtSample chunk[RATE_HZ];
  TtStoreSetup setup;
  gint64 start, end;

  g_assert_no_error (error);
  setup_init (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_true (tt_store_flush (store, &error));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_THROUGHPUT; i += RATE_HZ)
    {
      guint n = MIN (RATE_HZ, N_THROUGHPUT - i);

      for (guint k = 0; k < n; k++)
        chunk[k] = make_sample (i + k);
      tt_store_add_samples (session, chunk, n);
    }
  g_assert_true (tt_store_flush (store, &error));
  end = g_get_monotonic_time ();
  tt_store_end_session (session, (gint64) N_THROUGHPUT * 8);
  return N_THROUGHPUT / ((end - start) / 1e6);
}

typedef struct {
  gint64 longest;
  gint64 total;
  guint  calls;
  guint  over_1ms;
  guint  over_5ms;
} Waits;

static void
record_wait (gint64  start,
             Waits  *waits)
{
  gint64 wait = g_get_monotonic_time () - start;

  waits->longest = MAX (waits->longest, wait);
  waits->total += wait;
  waits->calls++;
  waits->over_1ms += wait > 1000;
  waits->over_5ms += wait > 5000;
}

static void
print_waits (const char  *what,
             const Waits *waits)
{
  printf ("# %s: %u calls, longest %.3f ms, mean %.4f ms, %u over 1 ms, %u over 5 ms\n",
          what, waits->calls, waits->longest / 1000.0, waits->total / 1000.0 / waits->calls,
          waits->over_1ms, waits->over_5ms);
}

/* A long case as fast as the writer keeps up: when more than a minute of samples waits, the
 * simulated clock pauses (the real clock would pause too: samples come at 125 Hz). */
static void
long_case (const char *path,
           double      hours)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  const guint seconds = (guint) (hours * 3600);
  TtSample chunk[RATE_HZ];
  TtStoreSetup setup;
  TtStoreAdvice advice = { .kind = (char *) "increase", .reason_code = (char *) "below-band",
                           .reason_text = (char *) "MAP below the band", .rate_ug_kg_min = 0.06,
                           .rate_ml_h = 12.6, .bolus_ug = NAN };
  static TtSample control[RATE_HZ * 64];
  Waits waits = { 0 }, noise = { 0 };
  gint64 start, t0;
  guint paused = 0;

  g_assert_no_error (error);
  setup_init (&setup);

  t0 = g_get_monotonic_time ();
  start = g_get_monotonic_time ();
  session = tt_store_begin_session (store, &setup, &error);
  record_wait (start, &waits);

  for (guint s = 0; s < seconds; s++)
    {
      for (guint k = 0; k < RATE_HZ; k++)
        chunk[k] = make_sample (s * RATE_HZ + k);
      while (tt_store_get_pending_samples (store) > 600 * RATE_HZ)
        {
          g_usleep (500);
          paused++;
        }
      start = g_get_monotonic_time ();
      tt_store_add_samples (session, chunk, RATE_HZ);
      record_wait (start, &waits);

      start = g_get_monotonic_time ();
      memcpy (control + (s % 64) * RATE_HZ, chunk, sizeof chunk);
      record_wait (start, &noise);

      if (s % 60 == 30)
        {
          guint seq;

          start = g_get_monotonic_time ();
          advice.t_ms = (gint64) s * 1000;
          seq = tt_store_add_advice (session, &advice);
          tt_store_answer_advice (session, seq, TT_STORE_ANSWER_ACCEPTED, advice.t_ms + 4000,
                                  NAN, NAN, NULL);
          tt_store_add_rate_change (session, advice.t_ms + 4000, 0.06, 12.6, seq);
          tt_store_add_event (session, advice.t_ms, "note", "bench");
          record_wait (start, &waits);
        }
    }
  start = g_get_monotonic_time ();
  tt_store_end_session (session, (gint64) seconds * 1000);
  record_wait (start, &waits);
  g_assert_true (tt_store_flush (store, &error));

  printf ("# %.1f-hour case at %d Hz: %u samples written in %.1f s (simulated %.0f× real time)\n",
          hours, RATE_HZ, seconds * RATE_HZ, (g_get_monotonic_time () - t0) / 1e6,
          seconds / ((g_get_monotonic_time () - t0) / 1e6));
  print_waits ("main-thread store calls (target: longest < 5 ms)", &waits);
  print_waits ("control sections without the store (scheduler noise)", &noise);
  printf ("# the producer paused %u times for the writer (more than 10 min of samples waiting)\n",
          paused);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-bench-XXXXXX", NULL);
  g_autofree char *bare_path = g_build_filename (dir, "bare.db", NULL);
  g_autofree char *store_path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *long_path = g_build_filename (dir, "long.db", NULL);
  const char *hours_env = g_getenv ("TITRATE_BENCH_HOURS");
  double hours = hours_env != NULL ? g_ascii_strtod (hours_env, NULL) : 2;
  double bare, store;

  g_test_init (&argc, &argv, NULL);
  printf ("1..1\n");

  /* Best of three of each, alternating, so a busy moment of the machine hurts neither side. */
  bare = store = 0;
  for (int round = 0; round < 3; round++)
    {
      remove_db (bare_path);
      remove_db (store_path);
      bare = MAX (bare, bare_loop (bare_path));
      store = MAX (store, through_store (store_path));
    }
  printf ("# inserts (best of 3, %d rows): bare sqlite loop %.0f rows/s, through the store "
          "%.0f rows/s = %.0f %% (target ≥ 70 %%)\n", N_THROUGHPUT, bare, store,
          100 * store / bare);

  long_case (long_path, hours > 0 ? hours : 2);
  printf ("ok 1 bench-store\n");

  remove_db (bare_path);
  remove_db (store_path);
  remove_db (long_path);
  g_rmdir (dir);
  return 0;
}
