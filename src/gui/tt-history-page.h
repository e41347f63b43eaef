/* tt-history-page.h: every logged session, newest first, searchable by label and date, each opened
 * for review (win.review-session), exported or deleted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_HISTORY_PAGE (tt_history_page_get_type ())

/* Actions (group "history"): reload, search (Ctrl+F: to the search field), export ((xs): session
 * and "csv", "pdf" or "vital"), delete (x: asks first). */
G_DECLARE_FINAL_TYPE (TtHistoryPage, tt_history_page, TT, HISTORY_PAGE, GtkWidget)

TtStore    *tt_history_page_get_store  (TtHistoryPage *self);
void        tt_history_page_set_store  (TtHistoryPage *self,
                                        TtStore       *store);
/* Lists the sessions again (also done whenever the page is shown). */
void        tt_history_page_reload     (TtHistoryPage *self);
/* The sessions shown (of TtHistoryItem), after the search. */
GListModel *tt_history_page_get_model  (TtHistoryPage *self);
/* "loading", "empty", "no-results", "error" or "list". */
const char *tt_history_page_get_state  (TtHistoryPage *self);
/* Whether every listed session has its metrics (they are computed one after the other). */
gboolean    tt_history_page_get_busy   (TtHistoryPage *self);

G_END_DECLS
