/* tt-checklist-page.h: the readiness checklist before induction (wireframes/checklist.png).
 * "Start induction" names case.start-induction, which the case enables only when every item is
 * confirmed or the checklist was overridden with a typed reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-session.h"

G_BEGIN_DECLS

#define TT_TYPE_CHECKLIST_PAGE (tt_checklist_page_get_type ())

G_DECLARE_FINAL_TYPE (TtChecklistPage, tt_checklist_page, TT, CHECKLIST_PAGE, GtkWidget)

/* Actions: checklist.show-override (reveals the reason entry), checklist.override (overrides with
 * the typed reason, then starts induction). Keys 1–6 toggle the items. */
TtSession  *tt_checklist_page_get_session       (TtChecklistPage *self);
void        tt_checklist_page_set_session       (TtChecklistPage *self,
                                                 TtSession       *session);
const char *tt_checklist_page_get_summary       (TtChecklistPage *self);
const char *tt_checklist_page_get_start_label   (TtChecklistPage *self);
/* The message shown under the reason entry, or "" when none. */
const char *tt_checklist_page_get_override_error (TtChecklistPage *self);

G_END_DECLS
