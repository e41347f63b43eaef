/* tt-store-schema.c: the schema, one forward migration per version. The README's "Session log"
 * section documents the tables; keep the two in step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tt-store.h"
#include "tt-store-schema.h"

/* Version 0 → 1: the first schema. Foreign keys cascade so deleting a session removes its rows. */
static const char * const migration_1[] = {
  "CREATE TABLE sessions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  mode TEXT NOT NULL CHECK (mode IN ('live', 'training', 'replay')),"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'ended', 'interrupted')),"
  "  app_version TEXT NOT NULL,"
  "  start_unix_ms INTEGER NOT NULL,"
  "  end_unix_ms INTEGER,"
  "  end_t_ms INTEGER,"
  "  weight_kg REAL CHECK (weight_kg > 0),"
  "  baseline_map REAL,"
  "  band_low REAL NOT NULL,"
  "  band_high REAL NOT NULL CHECK (band_high > band_low),"
  "  critical_map REAL,"
  "  concentration_ug_ml REAL CHECK (concentration_ug_ml > 0),"
  "  line_type TEXT,"
  "  start_rate REAL,"
  "  bolus_dose_ug REAL,"
  "  rate_soft_max REAL,"
  "  rate_hard_max REAL,"
  "  bolus_soft_max_ug REAL,"
  "  bolus_hard_max_ug REAL"
  ")",
  "CREATE TABLE samples ("
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  map REAL,"
  "  sbp REAL,"
  "  dbp REAL,"
  "  hr REAL,"
  "  quality INTEGER NOT NULL DEFAULT 0"
  ")",
  "CREATE INDEX samples_by_time ON samples (session_id, t_ms)",
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  text TEXT"
  ")",
  "CREATE INDEX events_by_session ON events (session_id, t_ms)",
  "CREATE TABLE checklist ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  item TEXT NOT NULL,"
  "  override_reason TEXT CHECK (override_reason IS NULL OR length (override_reason) > 0)"
  ")",
  "CREATE INDEX checklist_by_session ON checklist (session_id)",
  "CREATE TABLE advice ("
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  t_ms INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  reason_code TEXT,"
  "  reason_text TEXT,"
  "  rate_ug_kg_min REAL,"
  "  rate_ml_h REAL,"
  "  bolus_ug REAL,"
  "  limits TEXT,"
  "  answer TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (answer IN ('pending', 'accepted', 'changed', 'declined')),"
  "  answer_t_ms INTEGER,"
  "  actual_rate_ug_kg_min REAL,"
  "  actual_rate_ml_h REAL,"
  "  decline_reason TEXT,"
  "  PRIMARY KEY (session_id, seq)"
  ")",
  "CREATE TABLE rate_changes ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  rate_ug_kg_min REAL NOT NULL,"
  "  rate_ml_h REAL NOT NULL,"
  "  advice_seq INTEGER"
  ")",
  "CREATE INDEX rate_changes_by_session ON rate_changes (session_id)",
  "CREATE TABLE boluses ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  dose_ug REAL NOT NULL,"
  "  advice_seq INTEGER"
  ")",
  "CREATE INDEX boluses_by_session ON boluses (session_id)",
  NULL
};

/* Version 1 → 2: alerts with their acknowledgement, and the file a replay session came from
 * (titrate-cli analyze --save). */
static const char * const migration_2[] = {
  "CREATE TABLE alerts ("
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  t_ms INTEGER NOT NULL,"
  "  priority TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),"
  "  kind TEXT NOT NULL,"
  "  text TEXT,"
  "  ack_t_ms INTEGER,"
  "  PRIMARY KEY (session_id, seq)"
  ")",
  "ALTER TABLE sessions ADD COLUMN source TEXT",
  NULL
};

/* Version 2 → 3: the rest of the case setup (syringe volume and unprimed dead space), so that an
 * interrupted case can be rebuilt and resumed as it was; and when an alert's condition cleared. */
static const char * const migration_3[] = {
  "ALTER TABLE sessions ADD COLUMN syringe_ml REAL",
  "ALTER TABLE sessions ADD COLUMN dead_space_ml REAL",
  "ALTER TABLE alerts ADD COLUMN cleared_t_ms INTEGER",
  NULL
};

/* Version 3 → 4: what an interrupted training or replay case needs to go on as it was: the
 * virtual patient (its parameters as text, seed and title) and every input it received (the
 * trainee's and the instructor's, on the patient's clock); a replay's recording (absolute path,
 * size and modification time, to find it again and see that it is the same file); and the case
 * clock minus the feed's own clock since the last resume. */
static const char * const migration_4[] = {
  "ALTER TABLE sessions ADD COLUMN patient TEXT",
  "ALTER TABLE sessions ADD COLUMN patient_seed INTEGER",
  "ALTER TABLE sessions ADD COLUMN patient_title TEXT",
  "ALTER TABLE sessions ADD COLUMN source_path TEXT",
  "ALTER TABLE sessions ADD COLUMN source_size INTEGER",
  "ALTER TABLE sessions ADD COLUMN source_mtime_us INTEGER",
  "ALTER TABLE sessions ADD COLUMN feed_offset_ms INTEGER",
  "CREATE TABLE training_inputs ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  t_ms INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  value REAL,"
  "  artifact TEXT,"
  "  duration_ms INTEGER"
  ")",
  "CREATE INDEX training_inputs_by_session ON training_inputs (session_id, t_ms)",
  NULL
};

static const char * const * const migrations[TT_STORE_SCHEMA_VERSION] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
};

/* PRAGMA user_version takes no bound parameter, so each version has its own constant statement. */
static const char * const set_version[TT_STORE_SCHEMA_VERSION] = {
  "PRAGMA user_version = 1",
  "PRAGMA user_version = 2",
  "PRAGMA user_version = 3",
  "PRAGMA user_version = 4",
};

void
tt_store_set_sqlite_error (GError     **error,
                           sqlite3     *db,
                           int          rc,
                           const char  *what)
{
  int code = TT_STORE_ERROR_FAILED;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = TT_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_FULL:
      code = TT_STORE_ERROR_DISK_FULL;
      break;
    case SQLITE_READONLY:
      code = TT_STORE_ERROR_READ_ONLY;
      break;
    default:
      break;
    }
  g_set_error (error, TT_STORE_ERROR, code, "%s: %s", what, message);
}

gboolean
tt_store_schema_exec (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("Session log statement “%.40s…”"), sql);

      tt_store_set_sqlite_error (error, db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

int
tt_store_schema_get_version (sqlite3  *db,
                             GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  int version = -1;

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    tt_store_set_sqlite_error (error, db, rc, _("Reading the session log’s version"));
  sqlite3_finalize (stmt);
  return version;
}

gboolean
tt_store_schema_configure (sqlite3  *db,
                           GError  **error)
{
  sqlite3_busy_timeout (db, 5000);
  return tt_store_schema_exec (db, "PRAGMA foreign_keys = ON", error);
}

gboolean
tt_store_schema_migrate (sqlite3  *db,
                         int       target,
                         GError  **error)
{
  int version;

  g_return_val_if_fail (target >= 0 && target <= TT_STORE_SCHEMA_VERSION, FALSE);

  /* Each step re-reads the version inside its write transaction, so two processes opening the same
   * new file cannot both apply a step. */
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (!tt_store_schema_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      version = tt_store_schema_get_version (db, &local_error);
      if (version > target)
        g_set_error (&local_error, TT_STORE_ERROR, TT_STORE_ERROR_TOO_NEW,
                     _("The session log has version %d, newer than this Titrate understands "
                       "(version %d); it was left unchanged. Update Titrate to read it."),
                     version, target);
      if (local_error == NULL && version == target)
        return tt_store_schema_exec (db, "COMMIT", error);
      for (guint i = 0; local_error == NULL && migrations[version][i] != NULL; i++)
        tt_store_schema_exec (db, migrations[version][i], &local_error);
      if (local_error == NULL)
        tt_store_schema_exec (db, set_version[version], &local_error);
      if (local_error == NULL)
        tt_store_schema_exec (db, "COMMIT", &local_error);
      if (local_error != NULL)
        {
          if (!sqlite3_get_autocommit (db))
            tt_store_schema_exec (db, "ROLLBACK", NULL);
          if (version >= 0 && version < target)
            g_prefix_error (&local_error, _("Updating the session log to version %d: "),
                            version + 1);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}
