/* tt-feed-error.h: errors of the live feeds, their endpoints and the clock they read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_FEED_ERROR (tt_feed_error_quark ())

typedef enum {
  TT_FEED_ERROR_ENDPOINT,   /* "[ADDR:]PORT" malformed, or not a loopback/host address */
  TT_FEED_ERROR_LISTEN,     /* the port cannot be bound */
  TT_FEED_ERROR_LINE,       /* a line of a line stream is malformed */
  TT_FEED_ERROR_DEVICE,     /* a serial device or file cannot be opened */
  TT_FEED_ERROR_FORMAT,     /* a recording's format is not recognised */
  TT_FEED_ERROR_WAVEFORM,   /* MAP cannot be derived from a waveform */
} TtFeedError;

/* Microseconds on a monotonic clock; tests pass their own, the default is
 * g_get_monotonic_time(). */
typedef gint64 (*TtFeedClockFunc) (gpointer user_data);

GQuark   tt_feed_error_quark (void);

/* Parses "[ADDR:]PORT" ("2575", "127.0.0.1:2575", "[::1]:2575"); *address is NULL when the text
 * gives none. */
gboolean tt_endpoint_parse   (const char  *text,
                              char       **address,
                              guint16     *port,
                              GError     **error);

G_END_DECLS
