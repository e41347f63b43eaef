/* fuzz-csv.c: the CSV reader (tt-csv, the engine's format and VitalDB exports) on arbitrary bytes,
 * and the engine behind it: whatever the bytes, parsing fails with a valid UTF-8 message or yields
 * samples that the quality rules, the grid and the metrics take without crashing, leaking or
 * reading out of bounds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "tt-csv.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-quality.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) recording = tt_csv_parse ((const char *) data, size, NULL, &error);
  g_autoptr(GArray) points = NULL;
  g_autoptr(TtMetrics) metrics = NULL;
  TtMetricsConfig config;
  TtWindowMetrics w;

  g_assert (recording != NULL || (error != NULL && g_utf8_validate (error->message, -1, NULL)));
  if (recording == NULL)
    return 0;

  /* The reader bounds the span (a week), so the grid below stays bounded too. */
  g_assert (g_array_index (recording->samples, TtSample, recording->samples->len - 1).t_ms -
            g_array_index (recording->samples, TtSample, 0).t_ms <= TT_GRID_MAX_SPAN_MS);
  tt_quality_classify_array (recording->samples);
  points = tt_grid_resample ((const TtSample *) (void *) recording->samples->data,
                             recording->samples->len, TT_GRID_DEFAULT_STEP_MS);
  tt_metrics_config_init (&config);
  config.baseline = 90;
  metrics = tt_metrics_new (&config);
  if (tt_recording_find_event (recording, "induction") >= 0)
    tt_metrics_set_induction (metrics, tt_recording_find_event (recording, "induction"));
  for (guint i = 0; i < points->len; i++)
    tt_metrics_push (metrics, &g_array_index (points, TtGridPoint, i));
  for (TtMetricsWindow win = 0; win < TT_N_WINDOWS; win++)
    tt_metrics_get (metrics, win, &w);
  return 0;
}
