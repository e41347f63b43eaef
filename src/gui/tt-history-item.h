/* tt-history-item.h: one logged session in the history list: what the store lists about it, and
 * its key metrics once the engine has computed them (on a worker thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tt-store-review.h"

G_BEGIN_DECLS

#define TT_TYPE_HISTORY_ITEM (tt_history_item_get_type ())

/* Properties (read-only, with notify): id, label, title (the label, or "Session N" without
 * one), subtitle (date · mode · duration · state), metrics-text (key metrics, "…" until they are
 * computed), details (subtitle and metrics-text on two lines), search-text (label, dates in several forms and the mode, for the search). */
G_DECLARE_FINAL_TYPE (TtHistoryItem, tt_history_item, TT, HISTORY_ITEM, GObject)

/* Takes @info. */
TtHistoryItem            *tt_history_item_new              (TtStoreSessionInfo         *info);
const TtStoreSessionInfo *tt_history_item_get_info         (TtHistoryItem              *self);
gint64                    tt_history_item_get_id           (TtHistoryItem              *self);
const char               *tt_history_item_get_title        (TtHistoryItem              *self);
const char               *tt_history_item_get_subtitle     (TtHistoryItem              *self);
const char               *tt_history_item_get_metrics_text (TtHistoryItem              *self);
const char               *tt_history_item_get_search_text  (TtHistoryItem              *self);
/* The session's length in ms: to its end, or to its last sample while not ended. */
gint64                    tt_history_item_get_duration_ms  (TtHistoryItem              *self);
gboolean                  tt_history_item_has_metrics      (TtHistoryItem              *self);
/* NULL @metrics: they could not be computed (@error_message says why). */
void                      tt_history_item_set_metrics      (TtHistoryItem              *self,
                                                            const TtStoreReviewMetrics *metrics,
                                                            const char                 *error_message);
/* "Live", "Training", "Replay". */
const char               *tt_history_mode_describe         (TtStoreMode                 mode);
/* The local date and time of a session's start, as the locale writes them. */
char                     *tt_history_format_date           (gint64                      unix_ms);

G_END_DECLS
