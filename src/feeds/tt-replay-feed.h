/* tt-replay-feed.h: a recording played back as a feed, for training and review (training = TRUE).
 *
 * Play, pause, seek, and speeds of 1×, 2×, 5×, 10×, 30× and 60×, or as fast as possible for
 * analysis (TT_REPLAY_SPEED_FASTEST: chunks of samples from idle callbacks, so the main loop stays
 * responsive). The clock is injectable for tests. Samples keep the recording's times; after a
 * seek the "seeked" signal tells consumers that time restarts at the new position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tt-feed-error.h"
#include "tt-feed.h"
#include "tt-recording.h"

G_BEGIN_DECLS

#define TT_REPLAY_SPEED_FASTEST 0.0
/* The speeds offered, besides the fastest. */
#define TT_REPLAY_SPEEDS 1.0, 2.0, 5.0, 10.0, 30.0, 60.0

#define TT_TYPE_REPLAY_FEED (tt_replay_feed_get_type ())

G_DECLARE_FINAL_TYPE (TtReplayFeed, tt_replay_feed, TT, REPLAY_FEED, TtFeed)

/* Takes ownership of @recording. */
TtReplayFeed      *tt_replay_feed_new           (TtRecording      *recording);
const TtRecording *tt_replay_feed_get_recording (TtReplayFeed     *self);

void               tt_replay_feed_play          (TtReplayFeed     *self);
void               tt_replay_feed_pause         (TtReplayFeed     *self);
gboolean           tt_replay_feed_get_playing   (TtReplayFeed     *self);
/* Moves to @t_ms (clamped to the recording); samples from there on are played next. */
void               tt_replay_feed_seek          (TtReplayFeed     *self,
                                                 gint64            t_ms);
gint64             tt_replay_feed_get_position  (TtReplayFeed     *self);
gint64             tt_replay_feed_get_duration  (TtReplayFeed     *self);
/* One of TT_REPLAY_SPEEDS or TT_REPLAY_SPEED_FASTEST; anything else is refused. */
gboolean           tt_replay_feed_set_speed     (TtReplayFeed     *self,
                                                 double            speed,
                                                 GError          **error);
double             tt_replay_feed_get_speed     (TtReplayFeed     *self);
void               tt_replay_feed_set_clock     (TtReplayFeed     *self,
                                                 TtFeedClockFunc   clock,
                                                 gpointer          user_data);
/* Wall-clock ms between ticks at a timed speed (default 100). */
void               tt_replay_feed_set_tick_ms   (TtReplayFeed     *self,
                                                 guint             tick_ms);

G_END_DECLS
