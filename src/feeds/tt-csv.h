/* tt-csv.h: reader of CSV recordings: Titrate's own format and VitalDB-style track exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-recording.h"

G_BEGIN_DECLS

/*
 * The parser works on bytes in memory (the caller reads the file), so it never blocks and is easy
 * to fuzz.
 *
 * Format: a header line, then one row per time. Fields are separated by commas, semicolons or tabs
 * (the most frequent of the three in the header); a field may be quoted with "…" ("" inside is a
 * quote). Blank lines and lines starting with '#' are skipped; a UTF-8 byte-order mark is ignored;
 * CRLF line ends are accepted. With semicolons, a decimal comma is accepted ("91,5").
 *
 * Columns, matched case-insensitively, either on the whole header name or on the part after its
 * last '/' (so "ART_MBP" matches "Solar8000/ART_MBP"):
 *   time   time_s, time, timestamp, datetime: seconds (a number ≥ 0, taken as is), or an ISO 8601
 *          date and time ("2024-03-01T08:15:02.5Z"; a space for the T is accepted; without a zone
 *          the time is UTC); dates are counted from the first row, whose instant becomes
 *          start_unix_ms. Every row must use the same kind as the first.
 *   MAP    an explicit column name (options->map_column), or the first of options->map_columns
 *          (default tt_csv_default_map_columns) that the header has.
 *   SBP, DBP, HR   the first of the lists below; a column of the same device ("Solar8000/…") as the
 *          MAP column is preferred.
 *   event  event: "induction" (any case) marks the start of induction; intubation, incision,
 *          position and bolus become events of that kind; any other text a "note" event.
 * Other columns are ignored. Empty cells, "nan", "NA" and "null" are missing values; a row without
 * a MAP value gives no sample (its event is still read). Times must not decrease, and the last row
 * may lie at most TT_GRID_MAX_SPAN_MS (a week [est]) after the first.
 *
 * Samples are appended unclassified (quality VALID): classification is the engine's job.
 * Errors name the line (1-based, counting every line of the file) and the column (1-based field
 * number), e.g. "line 12, column 2: MAP value 'abc' is not a number".
 */

#define TT_CSV_ERROR (tt_csv_error_quark ())

typedef enum {
  TT_CSV_ERROR_EMPTY,        /* no header line */
  TT_CSV_ERROR_ENCODING,     /* binary data (a NUL byte) */
  TT_CSV_ERROR_HEADER,       /* no time or no MAP column */
  TT_CSV_ERROR_FIELDS,       /* a row with a different number of fields, an unclosed quote */
  TT_CSV_ERROR_VALUE,        /* a value that is not a number or not a time */
  TT_CSV_ERROR_TIME_ORDER,   /* a time earlier than the previous row's, or too long after the first */
  TT_CSV_ERROR_NO_DATA,      /* no row has a MAP value */
} TtCsvError;

/* Times in seconds above this are refused (they would overflow the millisecond clock). */
#define TT_CSV_MAX_TIME_S 1e10

extern const char * const tt_csv_default_map_columns[];   /* NULL-terminated */
extern const char * const tt_csv_time_columns[];
extern const char * const tt_csv_sbp_columns[];
extern const char * const tt_csv_dbp_columns[];
extern const char * const tt_csv_hr_columns[];

typedef struct {
  const char         *map_column;    /* explicit MAP column, or NULL */
  const char * const *map_columns;   /* candidates in order of preference, or NULL for the default */
} TtCsvOptions;

GQuark        tt_csv_error_quark (void);

/* @options may be NULL. */
TtRecording  *tt_csv_parse       (const char         *data,
                                  gsize               length,
                                  const TtCsvOptions *options,
                                  GError            **error);

G_END_DECLS
