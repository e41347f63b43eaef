/* tt-recording-load.h: open a recording file of any format Titrate reads, recognised by its
 * content, not its name: gzip (a .vital file), a WFDB header (the .hea of a PhysioNet record,
 * whose signal files are read from beside it) or CSV (Titrate's own and VitalDB exports).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-csv.h"
#include "tt-recording.h"

G_BEGIN_DECLS

/* What the first bytes of a file look like: "vital", "wfdb", "csv", or NULL when none of them. */
const char  *tt_recording_load_detect_format (const guint8        *head,
                                              gsize                len);

/* Blocking: call it from a worker thread (the async variant does) or a command-line tool. */
TtRecording *tt_recording_load_file          (const char          *path,
                                              GError             **error);
/* @csv_options (may be NULL) choose the MAP column of a CSV file. */
TtRecording *tt_recording_load_file_full     (const char          *path,
                                              const TtCsvOptions  *csv_options,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* Loads on a worker thread; the callback runs on the caller's main context. */
void         tt_recording_load_file_async    (const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TtRecording *tt_recording_load_file_finish   (GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
