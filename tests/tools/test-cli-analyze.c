/* test-cli-analyze.c: titrate-cli analyze on small CSV files: JSON keys and values, the table,
 * exit statuses and error messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("titrate-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Runs titrate-cli with @args (NULL-terminated); returns the exit status. */
static int
run (const char * const *args,
     char              **out,
     char              **err)
{
  const char *cli = g_getenv ("TITRATE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/*
 * One sample a minute, analysed on a 60-s grid (so each step holds one sample and none is empty):
 *   t (s)   0   60  120        180 240 300         360 420
 *   MAP     90  90  80 (ind.)  62  58  300 (flush) 64  70
 * Baseline: median of the steps in [−180, 120) s = 90 (2 min of data ≥ 1 min). Band: max(65,
 * 0.8 × 90 = 72) = 72 … 92. First 15 min = [120, 1020) s, ending with the data at 480 s: steps
 * 80 62 58 (flush) 64 70 → valid 5 min, excluded 1 min (artifact).
 *   mean 334 / 5 = 66.8; ARV (18 + 4 + 6) / 3 min = 9.333333333; in band (80 only) 20 %.
 *   < 65: 62 58 64 → 3 min, AUT 3 + 7 + 1 = 11, TWA 2.2, one episode (the flush does not split it).
 *   < 60: 58 → 1 min, AUT 2, TWA 0.4, 1 episode. < 55, 50, 40: none.
 *   < 72 (80 % of baseline): 62 58 64 70 → 4 min.
 *   > 100 … 140: none (the flush is excluded).
 * Whole case: valid 7 min, mean 514 / 7; ARV (0 + 10 + 18 + 4 + 6) / 5 min = 7.6.
 */
static const char *case_csv =
  "time_s,map,event\n"
  "0,90,\n60,90,\n120,80,induction\n180,62,\n240,58,\n300,300,\n360,64,\n420,70,\n";

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = write_file (f, "case.csv", case_csv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "analyze", path, "--json", "--grid", "60", NULL };
  g_autofree char *file_key = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_test_message ("%s", out);

  file_key = g_strdup_printf ("{\"file\":\"%s\",\"format\":\"csv\",\"map_source\":\"map\","
                              "\"grid_s\":60,", path);
  g_assert_true (g_str_has_prefix (out, file_key));
  g_assert_nonnull (strstr (out, "\"samples\":{\"total\":8,\"valid\":7,\"flagged\":{\"flush\":1}}"));
  g_assert_nonnull (strstr (out, "\"induction_s\":120,\"induction_source\":\"file\","
                                 "\"baseline_mmHg\":90,\"baseline_source\":\"pre-induction median\","
                                 "\"band\":{\"lo_mmHg\":72,\"hi_mmHg\":92,\"source\":\"default\"}"));
  g_assert_nonnull (strstr (out,
    "\"first15\":{\"start_s\":120,\"end_s\":480,\"valid_min\":5,\"excluded_min\":1,"
    "\"artifact_min\":1,\"gap_min\":0,\"mean_mmHg\":66.8,"));
  g_assert_nonnull (strstr (out, "\"arv_mmHg_per_min\":9.333333333,\"in_band_pct\":20,"
                                 "\"min_mmHg\":58,\"max_mmHg\":80,"));
  g_assert_nonnull (strstr (out,
    "\"below\":{\"65\":{\"time_min\":3,\"aut_mmHg_min\":11,\"twa_mmHg\":2.2,\"episodes\":1},"
    "\"60\":{\"time_min\":1,\"aut_mmHg_min\":2,\"twa_mmHg\":0.4,\"episodes\":1},"
    "\"55\":{\"time_min\":0,\"aut_mmHg_min\":0,\"twa_mmHg\":0,\"episodes\":0},"
    "\"50\":{\"time_min\":0,\"aut_mmHg_min\":0,\"twa_mmHg\":0,\"episodes\":0},"
    "\"40\":{\"time_min\":0,\"aut_mmHg_min\":0,\"twa_mmHg\":0,\"episodes\":0}},"
    "\"below_relative\":{\"threshold_mmHg\":72,\"time_min\":4,"));
  g_assert_nonnull (strstr (out,
    "\"above\":{\"100\":{\"time_min\":0,\"area_mmHg_min\":0},\"110\":{\"time_min\":0,"
    "\"area_mmHg_min\":0},\"120\":{\"time_min\":0,\"area_mmHg_min\":0},\"140\":{\"time_min\":0,"
    "\"area_mmHg_min\":0}}"));
  g_assert_nonnull (strstr (out, "\"induction\":{\"start_s\":120,\"end_s\":480,\"valid_min\":5,"));
  g_assert_nonnull (strstr (out, "\"case\":{\"start_s\":0,\"end_s\":480,\"valid_min\":7,"
                                 "\"excluded_min\":1,\"artifact_min\":1,\"gap_min\":0,"
                                 "\"mean_mmHg\":73.42857143,"));
  g_assert_true (g_str_has_suffix (out, "}}},\"advice\":null}\n"));
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* --advice: the advisor runs on every grid step from induction (120 s) to the end (6 steps at
 * 60 s), with the case setup's defaults; it never advises from the flush step. */
static void
test_advice (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "case.csv", case_csv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = NULL;
  const char *args[] = { "analyze", path, "--json", "--grid", "60", "--advice", NULL };
  const char *args_table[] = { "analyze", path, "--grid", "60", "--advice", "--weight", "80",
                               "--concentration", "16", "--line", "central", NULL };
  const char *flush;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, ",\"advice\":{\"weight_kg\":70,\"concentration_ug_per_ml\":20,"
                                 "\"line\":\"peripheral\",\"start_rate_ug_kg_min\":0.05,"
                                 "\"bolus_ug\":10,\"dead_space_ml\":1,\"start_s\":120,"));
  g_assert_cmpuint (count (out, "{\"t_s\":"), ==, 6);
  g_assert_nonnull (strstr (out, "\"steps\":[{\"t_s\":120,\"map_mmHg\":80,\"kind\":"));
  flush = strstr (out, "{\"t_s\":300,");
  g_assert_nonnull (flush);
  g_assert_true (g_str_has_prefix (flush, "{\"t_s\":300,\"map_mmHg\":null,\"kind\":\"no-advice\","));
  g_assert_true (g_str_has_suffix (out, "]}}\n"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (args_table, &table, &err), ==, 0);
  g_assert_nonnull (strstr (table, "\nAdvice at each grid step as if the advisor had run live"));
  g_assert_nonnull (strstr (table, "  80 kg, 16 µg/mL, central line, infusion started at 0.05 "
                                   "µg/kg/min at 120.0 s;"));
}

static void
test_json_no_induction (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = write_file (f, "we\"ird.csv", "time_s,map\n0,80\n1,82\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "analyze", "--json", path, NULL };
  g_autofree char *escaped = g_strdup_printf ("\"file\":\"%s/we\\\"ird.csv\"", f->dir);

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, escaped));
  g_assert_nonnull (strstr (out, "\"grid_s\":2,"));
  g_assert_nonnull (strstr (out, "\"induction_s\":null,\"induction_source\":null,"
                                 "\"baseline_mmHg\":null,\"baseline_source\":null,"
                                 "\"band\":{\"lo_mmHg\":65,\"hi_mmHg\":85,\"source\":\"default\"}"));
  g_assert_nonnull (strstr (out, "\"windows\":{\"first15\":null,\"induction\":null,\"case\":{"));
  /* One step (0–2 s, median of 80 and 82): SD needs two. No baseline: no relative threshold. */
  g_assert_nonnull (strstr (out, "\"valid_min\":0.03333333333,"));
  g_assert_nonnull (strstr (out, "\"mean_mmHg\":81,\"sd_mmHg\":null,\"cv_pct\":null,"
                                 "\"arv_mmHg_per_min\":null,\"in_band_pct\":100,"));
  g_assert_nonnull (strstr (out, "\"below_relative\":null,"));
}

static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = write_file (f, "case.csv", case_csv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "analyze", path, "--json", "--grid", "60", "--induction-at", "180",
                         "--band", "60–80", "--baseline", "100", NULL };

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"induction_s\":180,\"induction_source\":\"option\","
                                 "\"baseline_mmHg\":100,\"baseline_source\":\"option\","
                                 "\"band\":{\"lo_mmHg\":60,\"hi_mmHg\":80,\"source\":\"option\"}"));
  /* From 180 s: 62 58 (flush) 64 70: in band [60, 80]: 62 64 70 → 75 %; relative 80 mmHg. */
  g_assert_nonnull (strstr (out, "\"first15\":{\"start_s\":180,\"end_s\":480,\"valid_min\":4,"));
  g_assert_nonnull (strstr (out, "\"in_band_pct\":75,"));
  g_assert_nonnull (strstr (out, "\"below_relative\":{\"threshold_mmHg\":80,"));
}

static char **
table_row (const char *out,
           const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label) && lines[i][strlen (label)] == ' ')
      {
        g_autofree char *rest = g_strdup (lines[i] + strlen (label));

        return g_regex_split_simple ("\\s+", g_strstrip (rest), 0, 0);
      }
  return NULL;
}

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = write_file (f, "case.csv", case_csv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "analyze", path, "--grid", "60", NULL };
  g_auto(GStrv) below = NULL;
  g_auto(GStrv) valid = NULL;
  g_auto(GStrv) arv = NULL;
  g_auto(GStrv) episodes = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "  Grid:       60 s (every figure below is computed on this "
                                 "grid; ARV depends on it)\n"));
  g_assert_nonnull (strstr (out, "  Band:       72–92 mmHg (default: lower = max(65, 80 % of "
                                 "baseline), upper = lower + 20 [est])\n"));

  below = table_row (out, "Time below 65");
  g_assert_nonnull (below);
  g_assert_cmpstrv (below, ((const char *[]) { "min", "3.00", "3.00", "3.00", NULL }));
  valid = table_row (out, "Valid time");
  g_assert_cmpstrv (valid, ((const char *[]) { "min", "5.00", "5.00", "7.00", NULL }));
  arv = table_row (out, "ARV (60 s grid)");
  g_assert_cmpstrv (arv, ((const char *[]) { "mmHg/min", "9.3", "9.3", "7.6", NULL }));
  episodes = table_row (out, "Episodes below 65 (≥ 1 min)");
  g_assert_cmpstrv (episodes, ((const char *[]) { "count", "1", "1", "1", NULL }));
}

static void
assert_fails (const char * const *args,
              int                 status,
              const char         *message)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, status);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, message);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *good = write_file (f, "good.csv", case_csv);
  g_autofree char *bad = write_file (f, "bad.csv", "time_s,map\n0,80\n1,abc\n");
  g_autofree char *missing = g_build_filename (f->dir, "missing.csv", NULL);
  g_autofree char *m1 = g_strdup_printf ("titrate-cli analyze: %s: line 3, column 2: MAP value "
                                         "'abc' is not a number\n", bad);
  g_autofree char *m2 = g_strdup_printf ("titrate-cli analyze: %s: line 1: no column named 'ABP'; "
                                         "the columns are: time_s, map, event\n", good);

  assert_fails ((const char *[]) { "analyze", bad, NULL }, 2, m1);
  assert_fails ((const char *[]) { "analyze", bad, "--json", NULL }, 2, m1);
  assert_fails ((const char *[]) { "analyze", good, "--map-column", "ABP", NULL }, 2, m2);
  assert_fails ((const char *[]) { "analyze", NULL }, 2,
                "titrate-cli analyze: name one FILE to analyze\n");
  assert_fails ((const char *[]) { "analyze", good, good, NULL }, 2,
                "titrate-cli analyze: name only one FILE to analyze\n");
  assert_fails ((const char *[]) { "analyze", good, "--grid", "0.1", NULL }, 2,
                "titrate-cli analyze: --grid: '0.1' is outside the allowed range 0.5–60 s\n");
  assert_fails ((const char *[]) { "analyze", good, "--grid", "two", NULL }, 2,
                "titrate-cli analyze: --grid: 'two' is outside the allowed range 0.5–60 s\n");
  assert_fails ((const char *[]) { "analyze", good, "--induction-at", "-5", NULL }, 2,
                "titrate-cli analyze: --induction-at: '-5' is not a time in seconds (0 or more)\n");
  assert_fails ((const char *[]) { "analyze", good, "--band", "seventy", NULL }, 2,
                "titrate-cli analyze: --band: 'seventy' is not a band like 70-90 (mmHg)\n");
  assert_fails ((const char *[]) { "analyze", good, "--baseline", "x", NULL }, 2,
                "titrate-cli analyze: --baseline: 'x' is not a number (mmHg)\n");
  assert_fails ((const char *[]) { "analyze", good, "--weight", "80", NULL }, 2,
                "titrate-cli analyze: --weight, --concentration and --line go with --advice\n");
  assert_fails ((const char *[]) { "analyze", good, "--advice", "--weight", "300", NULL }, 2,
                "titrate-cli analyze: --weight: Weight 300 kg is outside 30–250 kg\n");
  assert_fails ((const char *[]) { "analyze", good, "--advice", "--weight", "heavy", NULL }, 2,
                "titrate-cli analyze: --weight: 'heavy' is not a number (kg)\n");
  assert_fails ((const char *[]) { "analyze", good, "--advice", "--line", "arterial", NULL }, 2,
                "titrate-cli analyze: --line: 'arterial' is neither peripheral nor central\n");
  assert_fails ((const char *[]) { "analyze", good, "--frobnicate", NULL }, 2,
                "titrate-cli analyze: Unknown option --frobnicate\n");

  /* The limits of the band and baseline come from the case setup (CLINICAL.md §3): lower 55–100,
   * upper at least lower + 10 and at most 130. */
  assert_fails ((const char *[]) { "analyze", good, "--band", "50-70", NULL }, 2,
                "titrate-cli analyze: --band: Lower bound 50 mmHg is outside 55–100 mmHg\n");
  assert_fails ((const char *[]) { "analyze", good, "--band", "70-75", NULL }, 2,
                "titrate-cli analyze: --band: Upper bound 75 mmHg is outside 80–130 mmHg\n");
  assert_fails ((const char *[]) { "analyze", good, "--band", "80-140", NULL }, 2,
                "titrate-cli analyze: --band: Upper bound 140 mmHg is outside 90–130 mmHg\n");
  assert_fails ((const char *[]) { "analyze", good, "--baseline", "300", NULL }, 2,
                "titrate-cli analyze: --baseline: Baseline MAP 300 mmHg is outside 40–160 mmHg\n");

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    /* An unreadable file is not bad input but a failure: exit 1. */
    g_assert_cmpint (run ((const char *[]) { "analyze", missing, NULL }, &out, &err), ==, 1);
    g_assert_true (g_str_has_prefix (err, "titrate-cli analyze: "));
    g_assert_nonnull (strstr (err, "missing.csv"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TITRATE_CLI") == NULL)
    {
      g_test_skip ("TITRATE_CLI is not set: run this test through meson test");
      return g_test_run ();
    }

  g_test_add ("/cli/analyze/json", Fixture, NULL, fixture_setup, test_json, fixture_teardown);
  g_test_add ("/cli/analyze/json-no-induction", Fixture, NULL, fixture_setup,
              test_json_no_induction, fixture_teardown);
  g_test_add ("/cli/analyze/options", Fixture, NULL, fixture_setup, test_options,
              fixture_teardown);
  g_test_add ("/cli/analyze/advice", Fixture, NULL, fixture_setup, test_advice, fixture_teardown);
  g_test_add ("/cli/analyze/table", Fixture, NULL, fixture_setup, test_table, fixture_teardown);
  g_test_add ("/cli/analyze/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);

  return g_test_run ();
}
