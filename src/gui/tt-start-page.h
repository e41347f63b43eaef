/* tt-start-page.h: what the window shows when no case is open: how to start one, the latest
 * logged sessions (win.review-session, win.show-history) and the cases found interrupted at
 * start-up, to close or review.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-store.h"

G_BEGIN_DECLS

/* How many sessions the start page lists; the history has them all. */
#define TT_START_PAGE_RECENT 5

#define TT_TYPE_START_PAGE (tt_start_page_get_type ())

/* Actions (group "start"): close-interrupted (x: session; it is marked ended at its last sample
 * and stays in the history). */
G_DECLARE_FINAL_TYPE (TtStartPage, tt_start_page, TT, START_PAGE, GtkWidget)

TtStore *tt_start_page_get_store        (TtStartPage *self);
void     tt_start_page_set_store        (TtStartPage *self,
                                         TtStore     *store);
/* Lists the sessions again (also done whenever the page is shown). */
void     tt_start_page_reload           (TtStartPage *self);
/* The recent sessions and the interrupted ones shown, for tests: of TtHistoryItem. */
GListModel *tt_start_page_get_recent      (TtStartPage *self);
GListModel *tt_start_page_get_interrupted (TtStartPage *self);
/* Whether a listing is under way. */
gboolean tt_start_page_get_busy         (TtStartPage *self);

G_END_DECLS
