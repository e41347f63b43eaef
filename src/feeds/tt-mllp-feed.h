/* tt-mllp-feed.h: the live feed from a patient monitor or its gateway: HL7 v2 ORU^R01 messages
 * over MLLP (0x0B message 0x1C 0x0D) on a TCP listener, each answered with an original-mode ACK.
 *
 * The listener runs on the main context with asynchronous GIO and never blocks it. It binds to
 * 127.0.0.1 unless another address is configured, takes several messages per connection, frames
 * split over reads, reconnects and several monitors at once, and bounds what a client can make it
 * hold: a message larger than max-message-bytes is answered AE and dropped, a frame left open
 * longer than frame-timeout-ms or a connection silent longer than idle-timeout-ms is closed, and
 * connections beyond max-connections are closed at once. Times in the samples are ms since the
 * feed was started, the monitor's own clock carrying the spacing (see TtHl7Clock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tt-feed-error.h"
#include "tt-feed.h"

G_BEGIN_DECLS

/* Engineering limits [est], all configurable as properties. */
#define TT_MLLP_DEFAULT_ADDRESS          "127.0.0.1"
#define TT_MLLP_DEFAULT_MAX_MESSAGE      (1024 * 1024)
#define TT_MLLP_DEFAULT_MAX_CONNECTIONS  8
#define TT_MLLP_DEFAULT_FRAME_TIMEOUT_MS 30000
#define TT_MLLP_DEFAULT_IDLE_TIMEOUT_MS  120000

typedef struct {
  guint  connections_open;
  guint  connections_total;
  guint  connections_refused;   /* beyond max-connections */
  guint  connections_timed_out;
  guint  messages;              /* complete frames received */
  guint  accepted;              /* answered AA */
  guint  rejected;              /* answered AE or AR */
  guint  oversized;             /* larger than max-message-bytes */
  guint  samples;
  gsize  garbage_bytes;         /* bytes outside any frame */
} TtMllpStats;

#define TT_TYPE_MLLP_FEED (tt_mllp_feed_get_type ())

G_DECLARE_FINAL_TYPE (TtMllpFeed, tt_mllp_feed, TT, MLLP_FEED, TtFeed)

/* @address NULL for 127.0.0.1; @port 0 for a free port the system picks (see get_port). */
TtMllpFeed *tt_mllp_feed_new         (const char          *address,
                                      guint16              port);
/* The port it listens on once started. */
guint16     tt_mllp_feed_get_port    (TtMllpFeed          *self);
void        tt_mllp_feed_get_stats   (TtMllpFeed          *self,
                                      TtMllpStats         *stats);
/* Arterial channel labels (NULL-terminated) beside the MDC and LOINC codes; NULL: defaults. */
void        tt_mllp_feed_set_labels  (TtMllpFeed          *self,
                                      const char * const  *labels);
void        tt_mllp_feed_set_clock   (TtMllpFeed          *self,
                                      TtFeedClockFunc      clock,
                                      gpointer             user_data);

G_END_DECLS
