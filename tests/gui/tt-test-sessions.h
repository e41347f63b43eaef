/* tt-test-sessions.h: logged sessions written through the store for the GUI tests (header-only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <math.h>

#include "tt-store.h"

#define TT_TEST_MIN_MS (60 * 1000)

/* 72 kg, 20 µg/mL peripheral, band 70–90 (critical 60), 0.05 µg/kg/min, 10 µg bolus. */
static inline void
tt_test_session_setup (TtStoreSetup *setup,
                       const char   *label,
                       TtStoreMode   mode,
                       gint64        start_unix_ms)
{
  tt_store_setup_init (setup);
  setup->label = (char *) label;
  setup->mode = mode;
  setup->start_unix_ms = start_unix_ms;
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

static inline void
tt_test_add_map (TtStoreSession *session,
                 gint64          t_ms,
                 double          map)
{
  TtSample s = tt_sample_init (t_ms, map);

  s.sbp = map + 20;
  s.dbp = map - 10;
  s.hr = 70;
  tt_store_add_samples (session, &s, 1);
}

/* Induction at 0; MAP 80 for 10 min, 60 for 5 min, 80 for 5 min; band 70–90. Over 0–15 min: in
 * the band 10 of 15 min (67 %), 5 min below 65 mmHg by 5 mmHg (25 mmHg·min). */
static inline gint64
tt_test_write_dip (TtStore     *store,
                   const char  *label,
                   TtStoreMode  mode,
                   gint64       start_unix_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreSetup setup;

  tt_test_session_setup (&setup, label, mode, start_unix_ms);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_checklist (session, -60000, "pump-primed", NULL);
  tt_store_add_event (session, 0, "induction", NULL);
  tt_store_add_rate_change (session, 0, 0.05, 10.8, 0);
  for (gint64 t = 0; t < 20 * TT_TEST_MIN_MS; t += 1000)
    tt_test_add_map (session, t, t >= 10 * TT_TEST_MIN_MS && t < 15 * TT_TEST_MIN_MS ? 60 : 80);
  tt_store_end_session (session, 20 * TT_TEST_MIN_MS);
  g_assert_true (tt_store_flush (store, &error));
  g_assert_no_error (error);
  return tt_store_session_get_id (session);
}

static inline char *
tt_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("titrate-gui-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
tt_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        tt_test_rmdir (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}
