/* tt-export-vital.h: a logged session as a VitalDB .vital file (format version 3, the "Vital File
 * Format" of vitalutils), so that Vital Recorder, VitalDB's libraries and Titrate's own .vital feed
 * open our cases.
 *
 * One device "Titrate" (id 1) with the numeric tracks ART_MBP (monitor type 7, mmHg), ART_SBP (5),
 * ART_DBP (6) and HR (2, /min), in format 2 (double: the values exactly as logged): one record per sample with a value; the EVENT track
 * (device 0, strings) holds the case's events ("induction", "note: text", …) and the signal-quality
 * changes ("signal: flush" where an excluded segment starts, "signal: valid" where it ends).
 * Record times are Unix seconds: the session's UTC start plus the case clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* Writes the gzip-compressed file to @out. Blocking: call it from a worker thread in the GUI. */
gboolean tt_export_vital_write   (const TtStoreCase  *store_case,
                                  GOutputStream      *out,
                                  GCancellable       *cancellable,
                                  GError            **error);
/* Writes to @path atomically, mode 0600. */
gboolean tt_export_vital_to_file (const TtStoreCase  *store_case,
                                  const char         *path,
                                  GError            **error);

G_END_DECLS
