/* tt-line-feed.h: a line stream, one sample per line, for bridges from other monitor protocols:
 *
 *   t_ms,map[,sbp,dbp,hr]
 *
 * t_ms is the bridge's clock in ms (whole, 0 or more, never decreasing); pressures in mmHg, heart
 * rate in /min; an empty field is a value not measured. Blank lines and lines starting with '#'
 * are skipped. The stream comes from TCP (a listener, like the MLLP feed), standard input or any
 * GInputStream, or a device path (a serial port, configured as raw 8N1 at the given baud rate
 * only when it is a terminal; a FIFO or a file is read as it is).
 *
 * Reading is asynchronous on the main context. A line longer than TT_LINE_MAX_BYTES or one that
 * does not parse is reported (the "bad-line" signal and the status message) and skipped; it never
 * stops the feed. Times in the samples are ms since the feed started: the first line is placed at
 * its arrival and the bridge's clock carries the spacing from there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-feed-error.h"
#include "tt-feed.h"

G_BEGIN_DECLS

/* [est] engineering limit: "t_ms,map,sbp,dbp,hr" is under 60 bytes. */
#define TT_LINE_MAX_BYTES 1024
#define TT_LINE_MAX_T_MS  G_GINT64_CONSTANT (100000000000000)   /* about 3,000 years */

typedef struct {
  guint  lines;
  guint  samples;
  guint  bad_lines;
  guint  connections_total;
  guint  connections_refused;
} TtLineStats;

#define TT_TYPE_LINE_FEED (tt_line_feed_get_type ())

G_DECLARE_FINAL_TYPE (TtLineFeed, tt_line_feed, TT, LINE_FEED, TtFeed)

/* A TCP listener on @address (NULL for 127.0.0.1) and @port (0: a free one). */
TtLineFeed *tt_line_feed_new_tcp    (const char       *address,
                                     guint16           port);
/* Standard input, or any stream: @stream is read until it ends. */
TtLineFeed *tt_line_feed_new_stream (GInputStream     *stream,
                                     const char       *description);
/* A serial device or other file path, opened when the feed starts; @baud is used for a
 * terminal (9600, 19200, 38400, 57600 or 115200). */
TtLineFeed *tt_line_feed_new_device (const char       *path,
                                     guint             baud);

guint16     tt_line_feed_get_port   (TtLineFeed       *self);
void        tt_line_feed_get_stats  (TtLineFeed       *self,
                                     TtLineStats      *stats);
void        tt_line_feed_set_clock  (TtLineFeed       *self,
                                     TtFeedClockFunc   clock,
                                     gpointer          user_data);

/* Parses one line (without its line end). Returns FALSE with an error naming the field for a
 * bad line; TRUE with *sample unset (t_ms −1) for a blank or comment line. */
gboolean    tt_line_parse           (const char       *line,
                                     gsize             len,
                                     TtSample         *sample,
                                     GError          **error);

G_END_DECLS
