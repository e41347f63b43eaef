/* test-locale.c: under a German locale the screens print decimal commas, while what programs read
 * (the session log's text, the CSV export, the CLI's JSON) keeps the C locale's decimal point and
 * is byte for byte what the C locale writes; a case logged in German is rebuilt with its syringe
 * volume intact.
 *
 * Needs the de_DE.UTF-8 locale (build-aux/dev test generates it with localedef); without it every
 * test skips and says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tt-case-log.h"
#include "tt-dose.h"
#include "tt-export-csv.h"
#include "tt-test-store.h"

#define GERMAN        "de_DE.UTF-8"
#define START_UNIX_MS G_GINT64_CONSTANT (1735732800000)   /* 2025-01-01 12:00:00 UTC */

static gboolean
use_locale (const char *name)
{
  if (setlocale (LC_ALL, name) != NULL)
    return TRUE;
  g_test_skip_printf ("the locale %s is not installed (build-aux/dev test generates it with "
                      "localedef)", name);
  return FALSE;
}

/* The screens follow the locale: the number helpers print a decimal comma in German. */
static void
test_display (void)
{
  g_autofree char *rate_c = NULL;
  g_autofree char *bolus_c = NULL;
  g_autofree char *rate_de = NULL;
  g_autofree char *bolus_de = NULL;
  g_autofree char *number_de = NULL;

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  rate_c = tt_dose_format_rate (0.05);
  bolus_c = tt_dose_format_bolus (10, 20);
  g_assert_cmpstr (rate_c, ==, "0.05 µg/kg/min");
  g_assert_cmpstr (bolus_c, ==, "10 µg = 0.5 mL");
  if (!use_locale (GERMAN))
    return;
  rate_de = tt_dose_format_rate (0.05);
  bolus_de = tt_dose_format_bolus (10, 20);
  number_de = tt_dose_format_number (52.5, 0, 1);
  setlocale (LC_ALL, "C.UTF-8");
  g_assert_cmpstr (rate_de, ==, "0,05 µg/kg/min");
  g_assert_cmpstr (bolus_de, ==, "10 µg = 0,5 mL");
  g_assert_cmpstr (number_de, ==, "52,5");
}

typedef struct {
  char      *dir;
  char      *path;
  TtStore   *store;
  TtCase    *kase;
  TtMonitor *monitor;
  TtCaseLog *log;
} Fixture;

static void
set_setup (Fixture *f,
           gint64   t_ms)
{
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(GError) error = NULL;

  g_free (setup->label);
  setup->label = g_strdup ("locale 1");
  setup->weight_kg = 80.5;
  setup->baseline_map = 90;
  tt_case_setup_default_band (90, &setup->target_lo, &setup->target_hi);
  setup->concentration = 16;
  setup->start_rate = 0.05;
  setup->bolus_ug = 12.5;
  setup->dead_space_ml = 0.5;
  g_assert_true (tt_case_set_setup (f->kase, setup, t_ms, &error));
  g_assert_no_error (error);
  g_clear_object (&f->monitor);
  f->monitor = tt_monitor_new (f->kase, &error);
  g_assert_no_error (error);
  tt_case_log_set_monitor (f->log, f->monitor);
}

/* Beats at 1 Hz with a MAP that has decimals, from @from_ms up to (not including) @to_ms. */
static void
feed (Fixture *f,
      gint64   from_ms,
      gint64   to_ms)
{
  for (gint64 t = from_ms; t < to_ms; t += 1000)
    {
      TtSample s = tt_sample_init (t, 80.25 + (t / 1000 % 4) * 0.5);

      s.sbp = s.map + 25.5;
      s.dbp = s.map - 10.25;
      s.hr = 71;
      tt_monitor_push (f->monitor, &s, 1);
    }
}

/* A case run entirely in German: setup (then changed once, which logs a "setup" event), the
 * checklist overridden, induction, a 52.5 mL syringe, and samples with decimals. The process then
 * dies without ending it. */
static void
run_german_case (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->dir = tt_test_tmpdir ();
  f->path = g_build_filename (f->dir, "sessions.db", NULL);
  f->store = tt_store_open (f->path, &error);
  g_assert_no_error (error);
  f->kase = tt_case_new (TRUE, "test feed", START_UNIX_MS);
  f->log = tt_case_log_new (f->kase, TT_STORE_MODE_TRAINING);
  tt_case_log_set_store (f->log, f->store);

  set_setup (f, 1000);
  g_assert_true (tt_case_edit_setup (f->kase, 2000, &error));
  g_assert_no_error (error);
  set_setup (f, 3000);
  feed (f, 4000, 60000);
  g_assert_true (tt_case_override_checklist (f->kase, "locale test", 60000, &error));
  g_assert_no_error (error);
  g_assert_true (tt_case_start_induction (f->kase, 60000, &error));
  g_assert_no_error (error);
  feed (f, 60000, 120000);
  g_assert_true (tt_case_replace_syringe (f->kase, 52.5, 120000, &error));
  g_assert_no_error (error);
  feed (f, 120000, 180000);
  g_assert_true (tt_store_flush (f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&f->log);
  g_clear_object (&f->store);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->log);
  g_clear_object (&f->monitor);
  g_clear_object (&f->kase);
  g_clear_object (&f->store);
  tt_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static TtStoreCase *
load (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TtStoreCase *c;

  f->store = tt_store_open (f->path, &error);
  g_assert_no_error (error);
  c = tt_store_load_session (f->store, 1, &error);
  g_assert_no_error (error);
  return c;
}

static const TtRecordingEvent *
find_event (const TtStoreCase *c,
            const char        *kind)
{
  for (guint i = 0; i < c->recording->events->len; i++)
    {
      const TtRecordingEvent *e = &g_array_index (c->recording->events, TtRecordingEvent, i);

      if (g_strcmp0 (e->kind, kind) == 0)
        return e;
    }
  g_assert_not_reached ();
}

/* The session log's texts keep the decimal point; the syringe event says what the screen said,
 * and the rebuilt case still has 52.5 mL, not 52. */
static void
test_case_log (void)
{
  Fixture f = { 0 };
  g_autoptr(TtStoreCase) logged = NULL;
  g_autoptr(TtCase) rebuilt = NULL;
  g_autoptr(GError) error = NULL;

  if (!use_locale (GERMAN))
    return;
  run_german_case (&f);
  logged = load (&f);
  g_assert_cmpstr (find_event (logged, "setup")->text, ==,
                   "weight 80.5 kg; baseline 90 mmHg; band 72–92 mmHg; 16 µg/mL peripheral line; "
                   "start 0.05 µg/kg/min; bolus 12.5 µg; syringe 50 mL; dead space 0.5 mL");
  g_assert_cmpstr (find_event (logged, "syringe")->text, ==, "52,5 mL");

  rebuilt = tt_case_log_rebuild (logged, &error);
  g_assert_no_error (error);
  /* 52.5 mL at 120 s, then 0.05 µg/kg/min × 80.5 kg / 16 µg/mL = 0.2515625 mL/min until the
   * case's clock, in the case as it ran and as rebuilt (a "52,5" read as 52 is 0.5 mL short). */
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (f.kase),
                                  52.5 - 0.2515625 * (tt_case_get_now_ms (f.kase) - 120000) / 60000.0,
                                  1e-9);
  g_assert_cmpint (tt_case_get_now_ms (rebuilt), >, 120000);
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (rebuilt),
                                  52.5 - 0.2515625 * (tt_case_get_now_ms (rebuilt) - 120000) / 60000.0,
                                  1e-9);
  setlocale (LC_ALL, "C.UTF-8");
  fixture_clear (&f);
}

static char *
export_csv (const TtStoreCase *c)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_export_csv_write (c, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* Runs titrate-cli with @args under @locale and returns its standard output. */
static char *
run_cli (const char  *locale,
         const char **args)
{
  const char *cli = g_getenv ("TITRATE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "LC_ALL", locale, TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("titrate-cli failed under %s: %s\n%s", locale, error->message, err);
  return g_steal_pointer (&out);
}

/* The CSV export and the CLI's JSON are the same bytes in German as in the C locale. */
static void
test_machine_outputs (void)
{
  Fixture f = { 0 };
  g_autoptr(TtStoreCase) logged = NULL;
  g_autofree char *csv_de = NULL;
  g_autofree char *csv_c = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *json_de = NULL;
  g_autofree char *json_c = NULL;
  g_autoptr(GError) error = NULL;
  const char *analyze[] = { "analyze", NULL, "--json", "--grid", "2.5", NULL };

  if (!use_locale (GERMAN))
    return;
  run_german_case (&f);
  logged = load (&f);
  csv_de = export_csv (logged);
  setlocale (LC_ALL, "C.UTF-8");
  csv_c = export_csv (logged);
  g_assert_cmpstr (csv_de, ==, csv_c);
  g_assert_nonnull (strstr (csv_de, "# weight 80.5 kg; target band 72–92 mmHg; NE 16 µg/mL"));
  g_assert_nonnull (strstr (csv_de, "\n4.000,80.25,105.75,70,71,,,valid\n"));

  csv_path = g_build_filename (f.dir, "case.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, csv_c, -1, &error));
  g_assert_no_error (error);
  analyze[1] = csv_path;
  json_de = run_cli (GERMAN, analyze);
  json_c = run_cli ("C.UTF-8", analyze);
  g_assert_cmpstr (json_de, ==, json_c);
  g_assert_true (g_regex_match_simple ("\"grid_s\": *2\\.5", json_de, 0, 0));
  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/locale/display", test_display);
  g_test_add_func ("/locale/case-log", test_case_log);
  g_test_add_func ("/locale/machine-outputs", test_machine_outputs);
  return g_test_run ();
}
