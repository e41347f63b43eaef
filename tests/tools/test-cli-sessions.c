/* test-cli-sessions.c: titrate-cli analyze --save and titrate-cli sessions list | show | export |
 * delete, run as a user would, on a session log in a temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "../store/tt-test-case.h"

/* One sample a minute; the first 15 min after induction on a 60-s grid: valid 5 min, excluded
 * 1 min (the flush), 3 min below 65 mmHg (test-cli-analyze works the figures out). */
static const char *case_csv =
  "time_s,map,event\n"
  "0,90,\n60,90,\n120,80,induction\n180,62,\n240,58,\n300,300,\n360,64,\n420,70,\n";

static int
run (const char * const *args,
     char              **out,
     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) g_getenv ("TITRATE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out,
                err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* analyze's JSON without its first key (the file name). */
static char *
metrics_json (const char *path)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *rest;

  g_assert_cmpint (run ((const char * const[]) { "analyze", path, "--grid", "60", "--json", NULL },
                        &out, &err), ==, 0);
  rest = strstr (out, "\"format\"");
  g_assert_nonnull (rest);
  return g_strdup (rest);
}

static void
test_sessions (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *csv = g_build_filename (dir, "case.csv", NULL);
  g_autofree char *db = g_build_filename (dir, "sessions.db", NULL);
  g_autofree char *out_csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *out_pdf = g_build_filename (dir, "out.pdf", NULL);
  g_autofree char *out_vital = g_build_filename (dir, "out.vital", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *original = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  if (g_getenv ("TITRATE_CLI") == NULL)
    {
      g_test_skip ("TITRATE_CLI is not set: run this test through meson test");
      return;
    }
  g_assert_true (g_file_set_contents (csv, case_csv, -1, NULL));

  /* analyze --save stores the recording as a replay session. */
  g_assert_cmpint (run ((const char * const[]) { "analyze", csv, "--grid", "60", "--save", "--db",
                                                 db, NULL }, &out, &err), ==, 0);
  expected = g_strdup_printf ("Saved as replay session 1 in %s\n", db);
  g_assert_cmpstr (err, ==, expected);
  g_assert_true (g_str_has_prefix (out, "Recording: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ((const char * const[]) { "sessions", "list", "--db", db, NULL }, &out,
                        &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "   ID  Started               Mode      State          Duration  Label\n"
                   "    1  1970-01-01 00:00 UTC  replay    ended           7.0 min  case.csv\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "show", "1", NULL }, &out,
                        &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Session 1: case.csv\n  Mode                   replay\n"
                                        "  State                  ended\n"));
  g_assert_nonnull (strstr (out, "  Weight                 —\n"));
  g_assert_nonnull (strstr (out, "  Target band            72–92 mmHg\n"));
  g_assert_nonnull (strstr (out, "  Samples                8 (7.0 min)\n"));
  g_assert_nonnull (strstr (out, "     120.0 s  induction\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Exports; the CSV measures like the original through analyze's own CSV reader. */
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "export", "1", "--csv",
                                                 out_csv, "--pdf", out_pdf, "--vital", out_vital,
                                                 NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_stat (out_pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (out_vital, &st), ==, 0);
  g_assert_true (g_file_get_contents (out_csv, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "time_s,map,sbp,dbp,hr,event,event_text,quality\n"
                                  "0.000,90,,,,,,valid\n"));
  g_assert_nonnull (strstr (text, "\n300.000,300,,,,,,flush\n"));
  original = metrics_json (csv);
  exported = metrics_json (out_csv);
  g_assert_cmpstr (exported, ==, original);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad input. */
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "show", "9", NULL }, &out,
                        &err), ==, 2);
  g_assert_cmpstr (err, ==, "titrate-cli sessions: There is no session 9 in the session log\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "show", "one", NULL },
                        &out, &err), ==, 2);
  g_assert_cmpstr (err, ==, "titrate-cli sessions: “one” is not a session ID (a whole number "
                   "from 1)\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "export", "1", NULL },
                        &out, &err), ==, 2);
  g_assert_cmpstr (err, ==, "titrate-cli sessions: export needs at least one of --csv FILE, "
                   "--pdf FILE, --vital FILE\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* delete asks on a terminal only; without one it needs --yes. */
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "delete", "1", NULL },
                        &out, &err), ==, 2);
  g_assert_cmpstr (err, ==, "titrate-cli sessions: delete asks for confirmation on a terminal; "
                   "add --yes to delete without asking\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "delete", "1", "--yes",
                                                 NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Session 1 deleted.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "list", NULL }, &out,
                        &err), ==, 0);
  g_assert_cmpstr (out, ==, "No sessions in the log.\n");

  tt_test_rmdir (dir);
}

/* sessions show on a case with its setup, advice and alerts (the store tests' case): the syringe,
 * the line and every alert with its acknowledgement and clearing. */
static void
test_show_alerts (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "sessions.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TtStore) store = tt_store_open (db, &error);
    g_autoptr(TtStoreSession) session = NULL;

    g_assert_no_error (error);
    session = write_case (store);
    tt_store_end_session (session, 600000);
    g_assert_true (tt_store_flush (store, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "show", "1", NULL }, &out,
                        &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "  Syringe at the start   50.0 mL\n"
                                 "  Unprimed line          0.6 mL\n"));
  g_assert_nonnull (strstr (out, "  Alerts                 2, 1 not acknowledged\n"
                                 "       240.0 s  high critical-map: MAP 55 mmHg (acknowledged at "
                                 "243.0 s, cleared at 250.0 s)\n"
                                 "       400.0 s  low syringe: Syringe empty within 15 min (not "
                                 "acknowledged, still active)\n"));
  tt_test_rmdir (dir);
}

/* sessions show on a training case names its virtual patient and counts its inputs; a replay's
 * recording is named as the case named it, never by its full path. */
static void
test_show_patient (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "sessions.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TtStore) store = tt_store_open (db, &error);
    g_autoptr(TtStoreSession) session = NULL;
    TtTrainingInput induction = { .t_ms = 60000, .kind = TT_TRAINING_INPUT_INDUCTION };
    TtTrainingInput rate = { .t_ms = 60000, .kind = TT_TRAINING_INPUT_RATE, .value = 0.05 };
    TtStoreSetup setup;

    g_assert_no_error (error);
    tt_test_setup (&setup);
    setup.mode = TT_STORE_MODE_TRAINING;
    setup.source = (char *) "virtual patient: Typical patient";
    setup.patient = (char *) "[patient]\n";
    setup.patient_seed = 7;
    setup.patient_title = (char *) "Typical patient";
    setup.source_path = (char *) "/home/someone/secret/case.csv";
    session = tt_store_begin_session (store, &setup, &error);
    g_assert_no_error (error);
    tt_store_add_training_input (session, &induction);
    tt_store_add_training_input (session, &rate);
    tt_store_end_session (session, 600000);
    g_assert_true (tt_store_flush (store, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (run ((const char * const[]) { "sessions", "--db", db, "show", "1", NULL }, &out,
                        &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "  Recorded from          virtual patient: Typical patient\n"
                                 "  Virtual patient        Typical patient (seed 7)\n"
                                 "  Patient inputs         2\n"));
  g_assert_null (strstr (out, "secret"));
  tt_test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/sessions", test_sessions);
  g_test_add_func ("/cli/sessions-show-alerts", test_show_alerts);
  g_test_add_func ("/cli/sessions-show-patient", test_show_patient);

  return g_test_run ();
}
