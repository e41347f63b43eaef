/* tt-store-schema.h: the session log's schema and its forward migrations (private to src/store and
 * its tests).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The version this build writes; stored in PRAGMA user_version. Version history:
 *   1  sessions (setup snapshot), samples, events, checklist, advice and answers, rate changes,
 *      boluses.
 *   2  alerts with acknowledgement (table alerts), and sessions.source: the file a replay session
 *      was read from.
 *   3  sessions.syringe_ml, dead_space_ml; alerts.cleared_t_ms.
 *   4  sessions.patient, patient_seed, patient_title (a training case's virtual patient),
 *      source_path, source_size, source_mtime_us (a replay's recording), feed_offset_ms; table
 *      training_inputs. */
#define TT_STORE_SCHEMA_VERSION 4

/* Reads PRAGMA user_version; -1 with @error set when the file cannot be read. */
int      tt_store_schema_get_version (sqlite3     *db,
                                      GError     **error);

/* Brings @db from its current version up to @target (≤ TT_STORE_SCHEMA_VERSION), one step per
 * version, each step in its own transaction, so an interrupted migration leaves a consistent older
 * version behind. Fails with TT_STORE_ERROR_TOO_NEW when the file is newer than @target. */
gboolean tt_store_schema_migrate     (sqlite3     *db,
                                      int          target,
                                      GError     **error);

/* Sets the per-connection pragmas every connection needs (foreign keys, busy timeout). */
gboolean tt_store_schema_configure   (sqlite3     *db,
                                      GError     **error);

/* Runs one constant SQL statement through a prepared statement; for tests and the schema. */
gboolean tt_store_schema_exec        (sqlite3     *db,
                                      const char  *sql,
                                      GError     **error);

/* A GError from sqlite's current error on @db, with @what (“writing samples”) in front. */
void     tt_store_set_sqlite_error   (GError     **error,
                                      sqlite3     *db,
                                      int          rc,
                                      const char  *what);

G_END_DECLS
