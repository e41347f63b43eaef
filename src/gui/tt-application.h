/* tt-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_APPLICATION (tt_application_get_type ())

G_DECLARE_FINAL_TYPE (TtApplication, tt_application, TT, APPLICATION, AdwApplication)

TtApplication *tt_application_new          (void);
GSettings     *tt_application_get_settings (TtApplication *self);
/* The session log, opened at start-up from $TITRATE_DB or else tt_store_default_path (); NULL
 * while it opens or when it cannot be opened (then the error says why). Property "store". */
TtStore       *tt_application_get_store       (TtApplication *self);
const char    *tt_application_get_store_error (TtApplication *self);

G_END_DECLS
