/* tt-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TT_TYPE_PREFERENCES_WINDOW (tt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, TT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TtPreferencesWindow *tt_preferences_window_new (GSettings *settings);

G_END_DECLS
