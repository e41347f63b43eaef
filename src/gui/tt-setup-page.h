/* tt-setup-page.h: the case setup form. Each field shows its own error with the allowed range, as
 * the case model words it; the resulting limits are previewed in µg/kg/min and mL/h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-session.h"

G_BEGIN_DECLS

#define TT_TYPE_SETUP_PAGE (tt_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (TtSetupPage, tt_setup_page, TT, SETUP_PAGE, GtkWidget)

/* The page edits the case of @session (NULL: nothing). Actions: setup.continue (checks every
 * field, then hands the setup to the case), setup.confirm-dose (the 10-fold guard's
 * confirmation). */
TtSession         *tt_setup_page_get_session (TtSetupPage  *self);
void               tt_setup_page_set_session (TtSetupPage  *self,
                                              TtSession    *session);
/* The setup as the form holds it now. */
const TtCaseSetup *tt_setup_page_get_draft   (TtSetupPage  *self);
/* The error shown under @field, or NULL when it shows none. */
const char        *tt_setup_page_get_error   (TtSetupPage  *self,
                                              TtSetupField  field);

G_END_DECLS
