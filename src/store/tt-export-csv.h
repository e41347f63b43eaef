/* tt-export-csv.h: a logged session as CSV, readable back by the CSV feed (tt-csv.h).
 *
 * Columns (the README's "Session log" section lists them too):
 *   time_s      seconds on the case clock, three decimals (ms)
 *   map, sbp, dbp   mmHg; empty when not measured
 *   hr          beats/min; empty when not measured
 *   event       on event rows (no pressures): the event's kind (induction, intubation, incision,
 *               position, bolus), the text of a note, or "kind: text" for any other kind
 *   event_text  the event's free text, if any
 *   quality     the sample's signal-quality flag (valid, flush, zeroing, …; tt_quality_to_string)
 * Lines starting with '#' before the header say what the file is (session, start in UTC, setup).
 * Rows are in time order; an event comes after the samples of the same time. Times are never
 * negative: when the case has rows before its time 0 (a checklist run before the clock started)
 * every time is shifted, and a comment line says by how much.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* Writes @store_case to @out. Blocking: call it from a worker thread (GTask) in the GUI. */
gboolean tt_export_csv_write   (const TtStoreCase  *store_case,
                                GOutputStream      *out,
                                GCancellable       *cancellable,
                                GError            **error);
/* Writes to @path atomically (a temporary file renamed over it), mode 0600. */
gboolean tt_export_csv_to_file (const TtStoreCase  *store_case,
                                const char         *path,
                                GError            **error);

G_END_DECLS
