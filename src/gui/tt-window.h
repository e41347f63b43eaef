/* tt-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tt-application.h"

G_BEGIN_DECLS

#define TT_TYPE_WINDOW (tt_window_get_type ())

G_DECLARE_FINAL_TYPE (TtWindow, tt_window, TT, WINDOW, AdwApplicationWindow)

TtWindow   *tt_window_new              (TtApplication *application);
void        tt_window_show_page        (TtWindow      *self,
                                        const char    *name);
const char *tt_window_get_visible_page (TtWindow      *self);
void        tt_window_add_toast        (TtWindow      *self,
                                        AdwToast      *toast);

G_END_DECLS
