/* test-store-schema.c: the schema and its migrations, from every older version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tt-store.h"
#include "tt-store-schema.h"
#include "tt-test-store.h"

static sqlite3 *
raw_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (tt_store_schema_configure (db, &error));
  g_assert_no_error (error);
  return db;
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_store_schema_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* Builds a file at @version with one ended session of three samples, an advice and a rate change,
 * written the way that version's Titrate wrote them. */
static char *
make_old_file (const char *dir,
               int         version)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("v%d.db", version);
  char *path = g_build_filename (dir, name, NULL);
  sqlite3 *db = raw_open (path);

  g_assert_true (tt_store_schema_migrate (db, version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_store_schema_get_version (db, NULL), ==, version);

  if (version >= 1)
    {
      exec (db, "INSERT INTO sessions (id, label, mode, state, app_version, start_unix_ms,"
                " end_unix_ms, end_t_ms, weight_kg, baseline_map, band_low, band_high,"
                " critical_map, concentration_ug_ml, line_type, start_rate)"
                " VALUES (7, 'old case', 'live', 'ended', '0.0.9', 1700000000000, 1700000900000,"
                " 900000, 82.5, 95, 76, 96, 66, 80, 'peripheral', 0.02)");
      exec (db, "INSERT INTO samples (session_id, t_ms, map, sbp, dbp, hr, quality) VALUES"
                " (7, 0, 90, 130, 70, 60, 0), (7, 1000, 85, NULL, NULL, NULL, 0),"
                " (7, 2000, 250, 260, 255, 61, 2)");
      exec (db, "INSERT INTO advice (session_id, seq, t_ms, kind, reason_code, rate_ug_kg_min,"
                " rate_ml_h, answer, answer_t_ms) VALUES"
                " (7, 1, 1000, 'increase', 'below-band', 0.03, 1.86, 'accepted', 1500)");
      exec (db, "INSERT INTO rate_changes (session_id, t_ms, rate_ug_kg_min, rate_ml_h,"
                " advice_seq) VALUES (7, 1500, 0.03, 1.86, 1)");
    }
  sqlite3_close (db);
  return path;
}

static void
check_migrated (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreCase) old_case = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtStoreCase) new_case = NULL;
  TtStoreSetup setup;
  TtSample sample = tt_sample_init (0, 80);
  gint64 new_id;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_null (tt_store_get_notice (store));
  g_assert_cmpint (tt_test_query_int (path, "PRAGMA user_version"), ==, TT_STORE_SCHEMA_VERSION);

  sessions = tt_store_list_sessions (store, &error);
  g_assert_no_error (error);
  if (sessions->len == 1)
    {
      old_case = tt_store_load_session (store, 7, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (old_case->info->setup.label, ==, "old case");
      g_assert_cmpstr (old_case->info->setup.app_version, ==, "0.0.9");
      g_assert_cmpint (old_case->info->state, ==, TT_STORE_STATE_ENDED);
      g_assert_cmpfloat (old_case->info->setup.weight_kg, ==, 82.5);
      g_assert_cmpstr (old_case->info->setup.line_type, ==, "peripheral");
      g_assert_true (isnan (old_case->info->setup.bolus_dose_ug));
      /* Added in version 2: empty for old sessions. */
      g_assert_null (old_case->info->setup.source);
      /* Added in version 3: unknown for old sessions. */
      g_assert_true (isnan (old_case->info->setup.syringe_ml));
      g_assert_true (isnan (old_case->info->setup.dead_space_ml));
      /* Added in version 4: no patient, no recording, no offset, no inputs. */
      g_assert_null (old_case->info->setup.patient);
      g_assert_cmpint (old_case->info->setup.patient_seed, ==, -1);
      g_assert_null (old_case->info->setup.patient_title);
      g_assert_null (old_case->info->setup.source_path);
      g_assert_cmpint (old_case->info->setup.source_size, ==, -1);
      g_assert_cmpint (old_case->info->setup.source_mtime_us, ==, -1);
      g_assert_cmpint (old_case->info->setup.feed_offset_ms, ==, 0);
      g_assert_cmpuint (old_case->training_inputs->len, ==, 0);
      g_assert_cmpuint (old_case->alerts->len, ==, 0);
      g_assert_cmpuint (old_case->recording->samples->len, ==, 3);
      g_assert_cmpint (g_array_index (old_case->recording->samples, TtSample, 2).quality, ==,
                       TT_QUALITY_FLUSH);
      g_assert_true (isnan (g_array_index (old_case->recording->samples, TtSample, 1).sbp));
      g_assert_cmpuint (old_case->advice->len, ==, 1);
      g_assert_cmpint (g_array_index (old_case->advice, TtStoreAdvice, 0).answer, ==,
                       TT_STORE_ANSWER_ACCEPTED);
      g_assert_cmpuint (old_case->rate_changes->len, ==, 1);
    }
  else
    g_assert_cmpuint (sessions->len, ==, 0);

  /* What versions 2, 3 and 4 added works on the migrated file. */
  tt_test_setup (&setup);
  setup.mode = TT_STORE_MODE_REPLAY;
  setup.source = (char *) "case.csv";
  setup.syringe_ml = 50;
  setup.dead_space_ml = 1.5;
  setup.source_path = (char *) "/data/recordings/case.csv";
  setup.source_size = 123456;
  setup.source_mtime_us = 1700000000123456;
  setup.patient = (char *) "[patient]\nweight_kg=61.5\n";
  setup.patient_seed = 4000000000;
  setup.patient_title = (char *) "Elderly patient, severe fall";
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_samples (session, &sample, 1);
  {
    TtTrainingInput inputs[] = {
      { .t_ms = 60000, .kind = TT_TRAINING_INPUT_INDUCTION, .value = NAN },
      { .t_ms = 61000, .kind = TT_TRAINING_INPUT_RATE, .value = 0.05 },
      { .t_ms = 90500, .kind = TT_TRAINING_INPUT_ARTIFACT, .value = NAN,
        .artifact = TT_ARTIFACT_SIGNAL_LOSS, .duration_ms = 7000 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
      tt_store_add_training_input (session, &inputs[i]);
  }
  tt_store_set_feed_offset (session, 250000);
  {
    guint seq = tt_store_add_alert (session, 0, "high", "critical", "MAP 48");

    tt_store_ack_alert (session, seq, 2000);
    tt_store_clear_alert (session, seq, 2500);
  }
  setup.bolus_dose_ug = 12;
  setup.syringe_ml = 20;
  g_assert_true (tt_store_update_setup (session, &setup, &error));
  g_assert_no_error (error);
  tt_store_end_session (session, 1000);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  new_id = tt_store_session_get_id (session);
  /* AUTOINCREMENT: a new session never takes an old id. */
  g_assert_cmpint (new_id, ==, sessions->len == 1 ? 8 : 1);
  new_case = tt_store_load_session (store, new_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (new_case->info->setup.source, ==, "case.csv");
  g_assert_cmpuint (new_case->alerts->len, ==, 1);
  g_assert_cmpint (g_array_index (new_case->alerts, TtStoreAlert, 0).ack_t_ms, ==, 2000);
  g_assert_cmpint (g_array_index (new_case->alerts, TtStoreAlert, 0).cleared_t_ms, ==, 2500);
  g_assert_cmpfloat (new_case->info->setup.bolus_dose_ug, ==, 12);
  g_assert_cmpfloat (new_case->info->setup.syringe_ml, ==, 20);
  g_assert_cmpfloat (new_case->info->setup.dead_space_ml, ==, 1.5);
  g_assert_cmpint (new_case->info->setup.mode, ==, TT_STORE_MODE_REPLAY);
  g_assert_cmpstr (new_case->info->setup.source_path, ==, "/data/recordings/case.csv");
  g_assert_cmpint (new_case->info->setup.source_size, ==, 123456);
  g_assert_cmpint (new_case->info->setup.source_mtime_us, ==, 1700000000123456);
  g_assert_cmpstr (new_case->info->setup.patient, ==, "[patient]\nweight_kg=61.5\n");
  g_assert_cmpint (new_case->info->setup.patient_seed, ==, 4000000000);
  g_assert_cmpstr (new_case->info->setup.patient_title, ==, "Elderly patient, severe fall");
  g_assert_cmpint (new_case->info->setup.feed_offset_ms, ==, 250000);
  g_assert_cmpuint (new_case->training_inputs->len, ==, 3);
  {
    const TtTrainingInput *in = (const TtTrainingInput *) (gpointer)
                                new_case->training_inputs->data;

    g_assert_cmpint (in[0].kind, ==, TT_TRAINING_INPUT_INDUCTION);
    g_assert_cmpint (in[0].t_ms, ==, 60000);
    g_assert_true (isnan (in[0].value));
    g_assert_cmpint (in[1].kind, ==, TT_TRAINING_INPUT_RATE);
    g_assert_cmpfloat (in[1].value, ==, 0.05);
    g_assert_cmpint (in[2].kind, ==, TT_TRAINING_INPUT_ARTIFACT);
    g_assert_cmpint (in[2].artifact, ==, TT_ARTIFACT_SIGNAL_LOSS);
    g_assert_cmpint (in[2].duration_ms, ==, 7000);
    g_assert_cmpint (in[2].t_ms, ==, 90500);
  }
  /* Deleting the session takes its inputs with it. */
  g_assert_true (tt_store_delete_session (store, new_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM training_inputs"), ==, 0);
  g_assert_cmpstr (g_array_index (new_case->alerts, TtStoreAlert, 0).priority, ==, "high");
}

static void
test_migrate_from_every_version (void)
{
  g_autofree char *dir = tt_test_tmpdir ();

  for (int version = 0; version < TT_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *path = make_old_file (dir, version);

      g_test_message ("migrating from version %d", version);
      check_migrated (path);
      tt_test_assert_query (path, "PRAGMA integrity_check", "ok");
    }
  tt_test_rmdir (dir);
}

/* A file migrated step by step has exactly the tables and columns of a new one. */
static void
test_migrated_schema_matches (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *fresh = g_build_filename (dir, "fresh.db", NULL);
  g_autofree char *old = make_old_file (dir, 1);
  const char *sql = "SELECT group_concat (m.name || '.' || p.name || ':' || p.type, ' ')"
                    " FROM sqlite_master m JOIN pragma_table_info (m.name) p"
                    " WHERE m.type = 'table' ORDER BY m.name, p.cid";
  g_autofree char *fresh_columns = NULL;
  g_autofree char *old_columns = NULL;

  g_object_unref (tt_store_open (fresh, NULL));
  g_object_unref (tt_store_open (old, NULL));
  fresh_columns = tt_test_query_text (fresh, sql);
  old_columns = tt_test_query_text (old, sql);
  g_assert_nonnull (strstr (fresh_columns, "sessions.source:TEXT"));
  g_assert_nonnull (strstr (fresh_columns, "alerts.ack_t_ms:INTEGER"));
  g_assert_nonnull (strstr (fresh_columns, "sessions.patient_seed:INTEGER"));
  g_assert_nonnull (strstr (fresh_columns, "training_inputs.duration_ms:INTEGER"));
  g_assert_cmpstr (old_columns, ==, fresh_columns);
  tt_test_rmdir (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = make_old_file (dir, TT_STORE_SCHEMA_VERSION);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  sqlite3 *db = raw_open (path);
  g_autofree char *expected = NULL;

  exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);

  store = tt_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TOO_NEW);
  expected = g_strdup_printf ("The session log has version 99, newer than this Titrate "
                              "understands (version %d); it was left unchanged. Update Titrate "
                              "to read it.", TT_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (error->message, ==, expected);
  /* Left in place, untouched. */
  g_assert_cmpint (tt_test_query_int (path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (tt_test_query_int (path, "SELECT count (*) FROM sessions"), ==, 1);
  tt_test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/schema/migrate-from-every-version", test_migrate_from_every_version);
  g_test_add_func ("/store/schema/migrated-matches-new", test_migrated_schema_matches);
  g_test_add_func ("/store/schema/too-new", test_too_new);

  return g_test_run ();
}
