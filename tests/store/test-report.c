/* test-report.c: the PDF case report: its text (pdftotext) holds the case's setup, checklist,
 * metrics and advice log, and its pages render (pdftoppm).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-report.h"
#include "tt-test-case.h"

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

/* The line of the -layout text that starts with @label (after blanks). */
static const char *
find_row (char * const *lines,
          const char   *label)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (g_strchug (lines[i]), label))
      return lines[i];
  g_error ("no line starts with “%s”", label);
  return NULL;
}

/* The first line that starts with @label and holds @needle. */
static const char *
find_row_with (char * const *lines,
               const char   *label,
               const char   *needle)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (g_strchug (lines[i]), label) && strstr (lines[i], needle) != NULL)
      return lines[i];
  g_error ("no line starts with “%s” and holds “%s”", label, needle);
  return NULL;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
test_report (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "sessions.db", NULL);
  g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  g_autoptr(GArray) points = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GDir) d = NULL;
  TtMetricsConfig config;
  TtWindowMetrics first15, whole;
  char expected[64];
  const char *row, *name;
  guint pages = 0;
  GStatBuf st;

  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");

  if (pdftotext == NULL || pdftoppm == NULL)
    {
      g_test_skip ("pdftotext and pdftoppm (poppler-utils) are not installed");
      tt_test_rmdir (dir);
      return;
    }

  store = tt_store_open (db, &error);
  g_assert_no_error (error);
  session = write_case (store);
  tt_store_end_session (session, 600000);
  c = tt_store_load_session (store, 1, &error);
  g_assert_no_error (error);

  g_assert_true (tt_report_write_file (c, pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  text = run ((const char * const[]) { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL });
  lines = g_strsplit (text, "\n", -1);
  assert_contains (text, "Titrate case report, session 1");
  /* The trend's heading stands on the page of its chart (pdftotext ends each page with \f). */
  {
    g_auto(GStrv) page_texts = g_strsplit (text, "\f", -1);
    guint heading_page = G_MAXUINT, caption_page = G_MAXUINT;

    for (guint i = 0; page_texts[i] != NULL; i++)
      {
        if (strstr (page_texts[i], "MAP trend") != NULL && heading_page == G_MAXUINT)
          heading_page = i;
        if (strstr (page_texts[i], "Shaded: target band.") != NULL && caption_page == G_MAXUINT)
          caption_page = i;
      }
    g_assert_cmpuint (heading_page, !=, G_MAXUINT);
    g_assert_cmpuint (heading_page, ==, caption_page);
  }
  assert_contains (text, "TRAINING — not a live case");
  assert_contains (text, "not an alarm system");
  assert_contains (text, "adult");
  assert_contains (row = find_row (lines, "Weight"), "70.0 kg");
  assert_contains (row = find_row (lines, "Target band"), "72–92 mmHg");
  assert_contains (row = find_row (lines, "Starting rate"), "0.050 µg/kg/min (10.5 mL/h)");
  assert_contains (row = find_row (lines, "Syringe at the start"), "50.0 mL");
  assert_contains (row = find_row (lines, "Unprimed line"), "0.6 mL");
  assert_contains (text, "overridden: bolus syringe not available");
  g_assert_null (strstr (text, "could not be drawn"));

  /* The metrics, as the engine computes them on the grid, in the right columns. */
  points = tt_grid_resample ((const TtSample *) c->recording->samples->data,
                             c->recording->samples->len, TT_GRID_DEFAULT_STEP_MS);
  tt_metrics_config_init (&config);
  config.band_lo = 72;
  config.band_hi = 92;
  config.baseline = 90;
  g_assert_true (tt_metrics_compute (&config, (const TtGridPoint *) points->data, points->len, 0,
                                     TT_WINDOW_FIRST15, &first15));
  g_assert_true (tt_metrics_compute (&config, (const TtGridPoint *) points->data, points->len, 0,
                                     TT_WINDOW_CASE, &whole));
  /* 300 steps of 2 s, 5 of them flagged (the 10-s flush): 590 s valid = 9.8 min, 10 s excluded =
   * 0.2 min (hand-computed). */
  g_assert_cmpfloat_with_epsilon (whole.valid_min, 590.0 / 60, 1e-9);
  row = find_row (lines, "Valid monitored time");
  assert_contains (row, "9.8 min");
  row = find_row (lines, "Excluded time");
  assert_contains (row, "0.2 min");
  row = find_row (lines, "Mean MAP");
  g_snprintf (expected, sizeof expected, "%.1f mmHg", first15.mean_mmhg);
  assert_contains (row, expected);
  row = find_row (lines, "Area below 65 mmHg");
  g_snprintf (expected, sizeof expected, "%.1f mmHg·min", first15.below[0].aut_mmhg_min);
  assert_contains (row, expected);
  row = find_row (lines, "ARV");
  g_snprintf (expected, sizeof expected, "%.1f mmHg/min", whole.arv_mmhg_per_min);
  assert_contains (row, expected);
  assert_contains (text, "2-s grid");

  /* The advice log with the three answers. */
  assert_contains (text, "0.070 µg/kg/min (14.7 mL/h)");
  assert_contains (text, "changed to 0.100");
  assert_contains (text, "declined at +4:02");
  assert_contains (text, "surgical");
  assert_contains (text, "(capped by step limit");
  assert_contains (text, "bolus 5 µg");
  assert_contains (text, "critical-map: MAP 55 mmHg");
  /* The alerts' acknowledgement and clearing, case time from induction and clock time. */
  assert_contains (row = find_row_with (lines, "+4:00 (12:04:00 UTC)", "critical-map"), "high");
  assert_contains (row, "+4:03 (12:04:03)");
  assert_contains (row, "+4:10 (12:04:10)");
  assert_contains (row = find_row_with (lines, "+6:40 (12:06:40 UTC)", "syringe"), "low");
  assert_contains (row, "still active");

  /* Every page renders. */
  g_free (run ((const char * const[]) { "pdftoppm", "-r", "40", "-png", pdf, prefix, NULL }));
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "page") && g_str_has_suffix (name, ".png"))
      {
        g_autofree char *png = g_build_filename (dir, name, NULL);

        g_assert_cmpint (g_stat (png, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 1000);
        pages++;
      }
  g_test_message ("%u pages", pages);
  g_assert_cmpuint (pages, >=, 2);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/report/pdf", test_report);

  return g_test_run ();
}
