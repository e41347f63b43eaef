/* tt-report.h: the PDF case report of a logged session.
 *
 * A4 pages: the intended-use statement; the setup (weight, baseline, band, thresholds, syringe,
 * line, limits, rates in µg/kg/min and mL/h); the checklist with its times and override reasons;
 * the MAP trend drawn by the same chart code as the screen (band, thresholds, events, excluded
 * segments, NE rate); the metrics per window on the documented 2-s grid; the advice log with the
 * clinician's answers; rate changes, boluses and alerts with their acknowledgement.
 *
 * The trend is drawn by PLplot, which has global state: render on the main thread (it takes tens
 * of milliseconds), and write the returned bytes with GIO's async file functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* A4 in points. */
#define TT_REPORT_PAGE_WIDTH_PT  595.276
#define TT_REPORT_PAGE_HEIGHT_PT 841.890

/* The PDF document. */
GBytes   *tt_report_render        (const TtStoreCase  *store_case,
                                   GError            **error);
/* Renders and writes to @path atomically, mode 0600 (titrate-cli). */
gboolean  tt_report_write_file    (const TtStoreCase  *store_case,
                                   const char         *path,
                                   GError            **error);

G_END_DECLS
