/* tt-review-page.h: a logged case after the fact. "Review": the whole trend with events, advice
 * and answers, the metrics per window, the checklist and the advice log. "Replay": the case played
 * again (1–60×, seek on the scale or by clicking the trend) with, at each moment, what was done
 * beside what the advisor would have said, and where they differ. Never live: the page carries
 * the TRAINING mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-replay-bar.h"
#include "tt-replay-feed.h"
#include "tt-store-review.h"

G_BEGIN_DECLS

#define TT_TYPE_REVIEW_PAGE (tt_review_page_get_type ())

/* Actions (group "review"): seek (x: ms, shows the replay), show (s: "overview" or "replay"),
 * export (s: "csv", "pdf" or "vital"), delete (asks first, then win.show-history). */
G_DECLARE_FINAL_TYPE (TtReviewPage, tt_review_page, TT, REVIEW_PAGE, GtkWidget)

TtStore             *tt_review_page_get_store      (TtReviewPage  *self);
void                 tt_review_page_set_store      (TtReviewPage  *self,
                                                    TtStore       *store);
/* Loads session @id from the store (on worker threads) and shows it. */
void                 tt_review_page_load           (TtReviewPage  *self,
                                                    gint64         id);
/* Shows @review (takes it). */
void                 tt_review_page_set_review     (TtReviewPage  *self,
                                                    TtStoreReview *review);
const TtStoreReview *tt_review_page_get_review     (TtReviewPage  *self);
/* "loading", "error" or "content". */
const char          *tt_review_page_get_state      (TtReviewPage  *self);
/* The case's title for the window header (property "title"). */
const char          *tt_review_page_get_title      (TtReviewPage  *self);
/* The replay of the case, NULL before one is shown. */
TtReplayFeed        *tt_review_page_get_feed       (TtReviewPage  *self);
TtReplayBar         *tt_review_page_get_replay_bar (TtReviewPage  *self);
/* What the replay shows at its position: what the advisor would say, what was done, and whether
 * they differ ("" when they agree or nothing was advised). */
const char          *tt_review_page_get_advisor_text (TtReviewPage *self);
const char          *tt_review_page_get_done_text    (TtReviewPage *self);
const char          *tt_review_page_get_differs_text (TtReviewPage *self);

G_END_DECLS
