/* test-beats-data.c: the beat detector on a real arterial waveform from ../shared/data: the
 * MIMIC-II record 3975656_0015 (PhysioNet, via MIT-LCP/wfdb-python), 5 min of ABP at 125 Hz whose
 * mean is about 95 mmHg and which holds a line event (range −3.6 to 270 mmHg).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-beats.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-wfdb.h"

static GBytes *
load (const char *dir,
      const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_mimic_abp (void)
{
  const char *shared = g_getenv ("TITRATE_SHARED_DATA");
  g_autofree char *dir = NULL;
  g_autofree char *hea_path = NULL;
  g_autoptr(GBytes) hea = NULL;
  g_autoptr(GBytes) dat = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GArray) wave = NULL;
  g_autoptr(GArray) beats = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  TtMetricsConfig config;
  TtWindowMetrics w;
  double raw_mean = 0;
  guint n_raw = 0, n_valid = 0, n_flagged = 0;
  int abp;

  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("TITRATE_SHARED_DATA is not set or not a folder: the shared recordings are "
                   "absent");
      return;
    }
  dir = g_build_filename (shared, "wfdb", "mimic2_s00001", NULL);
  hea_path = g_build_filename (dir, "3975656_0015.hea", NULL);
  if (!g_file_test (hea_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("wfdb/mimic2_s00001/3975656_0015.hea is absent from the shared data");
      return;
    }

  hea = load (dir, "3975656_0015.hea");
  header = tt_wfdb_header_parse (g_bytes_get_data (hea, NULL), g_bytes_get_size (hea), &error);
  g_assert_no_error (error);
  abp = tt_wfdb_header_find_signal (header, (const char *[]) { "ABP", NULL });
  g_assert_cmpint (abp, >=, 0);
  g_assert_cmpfloat (header->frequency, ==, 125);
  dat = load (dir, "3975656_0015.dat");
  wave = tt_wfdb_read_signal (header, abp, dat, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wave->len, ==, 37500);

  for (guint i = 0; i < wave->len; i++)
    if (!isnan (g_array_index (wave, float, i)))
      {
        raw_mean += g_array_index (wave, float, i);
        n_raw++;
      }
  raw_mean /= n_raw;

  beats = tt_beats_detect ((const float *) (void *) wave->data, wave->len, 125, 0);
  for (guint i = 0; i < beats->len; i++)
    {
      const TtSample *s = &g_array_index (beats, TtSample, i);

      if (s->quality == TT_QUALITY_VALID)
        n_valid++;
      else
        n_flagged++;
    }
  points = tt_grid_resample ((const TtSample *) (void *) beats->data, beats->len, 2000);
  tt_metrics_config_init (&config);
  g_assert_true (tt_metrics_compute (&config, (const TtGridPoint *) (void *) points->data,
                                     points->len, -1, TT_WINDOW_CASE, &w));
  g_test_message ("ABP: raw mean %.2f mmHg over %u points; %u beats (%u valid, %u flagged); "
                  "valid %.2f min, excluded %.2f min, mean MAP %.2f mmHg, SD %.2f, MAP range "
                  "%.1f–%.1f mmHg", raw_mean, n_raw, beats->len, n_valid, n_flagged,
                  w.valid_min, w.excluded_min, w.mean_mmhg, w.sd_mmhg, w.min_mmhg, w.max_mmhg);

  /* The record's own 5-minute mean is about 95 mmHg (95.1 over every point). The beats' mean
   * (96.9 here) leaves out the flat zero trace of the first 2 s and the line event at 7–12 s, which
   * the raw mean includes and which roughly cancel: they must agree within 3 mmHg, and at least 4
   * of the 5 minutes must be valid. */
  g_assert_cmpfloat (fabs (raw_mean - 95), <, 1);
  g_assert_cmpfloat (fabs (w.mean_mmhg - 95), <, 3);
  g_assert_cmpfloat (w.valid_min, >, 4);
  /* The line event (up to 270 mmHg) is flagged, not averaged in. */
  g_assert_cmpuint (n_flagged, >, 0);
  g_assert_cmpfloat (w.max_mmhg, <, 200);
  /* About 60 beats a minute for the 4.8 valid minutes. */
  g_assert_cmpuint (n_valid, >, 250);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/beats/data/mimic-abp", test_mimic_abp);

  return g_test_run ();
}
