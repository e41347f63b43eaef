/* tt-replay-bar.h: play, pause, seek and speed of a replay feed (a recording or a logged case).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-replay-feed.h"

G_BEGIN_DECLS

/* How far the arrow keys and Page Up/Down move the replay. */
#define TT_REPLAY_BAR_STEP_MS      (30 * 1000)
#define TT_REPLAY_BAR_PAGE_MS      (5 * 60 * 1000)

#define TT_TYPE_REPLAY_BAR (tt_replay_bar_get_type ())

/* Actions (group "replay"): toggle (play/pause; Space), seek (x: ms), step (x: ms forward, or back
 * when negative; ←/→ 30 s, Page Up/Down 5 min, Home/End), speed (d: 1, 2, 5, 10, 30 or 60),
 * faster and slower (+ and −). */
G_DECLARE_FINAL_TYPE (TtReplayBar, tt_replay_bar, TT, REPLAY_BAR, GtkWidget)

GtkWidget    *tt_replay_bar_new       (void);
TtReplayFeed *tt_replay_bar_get_feed  (TtReplayBar  *self);
void          tt_replay_bar_set_feed  (TtReplayBar  *self,
                                       TtReplayFeed *feed);
double        tt_replay_bar_get_speed (TtReplayBar  *self);
void          tt_replay_bar_set_speed (TtReplayBar  *self,
                                       double        speed);
/* Whether the replay may go back (default TRUE). A running training case cannot: its clock only
 * goes forward, so its replay may be skipped ahead, never back. Property "rewind". */
gboolean      tt_replay_bar_get_rewind (TtReplayBar *self);
void          tt_replay_bar_set_rewind (TtReplayBar *self,
                                        gboolean     rewind);
/* "12:34 / 45:00": the position and the length of the replay. */
const char   *tt_replay_bar_get_position_text (TtReplayBar *self);

G_END_DECLS
