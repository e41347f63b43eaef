/* tt-test-store.h: helpers shared by the store's tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "tt-store.h"

/* A fresh temporary folder; removed with everything in it by tt_test_rmdir. */
static inline char *
tt_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("titrate-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
tt_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        tt_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* A typical adult case: 70 kg, baseline 90 mmHg, band 72–92, 20 µg/mL on a central line. */
static inline void
tt_test_setup (TtStoreSetup *setup)
{
  tt_store_setup_init (setup);
  setup->label = (char *) "OR 3 / case 1";
  setup->mode = TT_STORE_MODE_TRAINING;
  setup->start_unix_ms = G_GINT64_CONSTANT (1735732800000);   /* 2025-01-01 12:00:00 UTC */
  setup->weight_kg = 70;
  setup->baseline_map = 90;
  setup->band_low = 72;
  setup->band_high = 92;
  setup->critical_map = 62;
  setup->concentration_ug_ml = 20;
  setup->line_type = (char *) "central";
  setup->start_rate = 0.05;
  setup->bolus_dose_ug = 10;
  setup->rate_soft_max = 0.3;
  setup->rate_hard_max = 1.0;
  setup->bolus_soft_max_ug = 20;
  setup->bolus_hard_max_ug = 50;
  setup->syringe_ml = 50;
  setup->dead_space_ml = 0.6;
}

/* Runs one SQL query with one integer result on its own connection. */
static inline gint64
tt_test_query_int (const char *path,
                   const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Asserts that the first column of the first row of @sql is @expected. */
#define tt_test_assert_query(path, sql, expected) \
  G_STMT_START { \
    g_autofree char *tt_value_ = tt_test_query_text ((path), (sql)); \
    g_assert_cmpstr (tt_value_, ==, (expected)); \
  } G_STMT_END

static inline char *
tt_test_query_text (const char *path,
                    const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}
