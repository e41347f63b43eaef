/* tt-checklist-row.h: one readiness item: what exactly is confirmed, and when it was ticked.
 * Activating the row toggles the item through case.toggle-item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-checklist-item.h"

G_BEGIN_DECLS

#define TT_TYPE_CHECKLIST_ROW (tt_checklist_row_get_type ())

G_DECLARE_FINAL_TYPE (TtChecklistRow, tt_checklist_row, TT, CHECKLIST_ROW, AdwActionRow)

/* @start_unix_ms is the case's wall-clock start, to show tick times as the time of day. */
GtkWidget       *tt_checklist_row_new       (TtChecklistItem *item,
                                             gint64           start_unix_ms);
TtChecklistItem *tt_checklist_row_get_item  (TtChecklistRow  *self);
/* What the row shows at its end: the tick's time of day, or "tap to confirm". */
const char      *tt_checklist_row_get_state_text (TtChecklistRow *self);

G_END_DECLS
