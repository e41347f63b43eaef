/* tt-preferences-window.h: the preferences: defaults of new cases (band rule and thresholds,
 * concentrations, rescue bolus, chart window, alert sounds), the department's limits per line
 * type, and the monitor feeds (HL7 listener, line stream). Action: prefs.reset-limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TT_TYPE_PREFERENCES_WINDOW (tt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, TT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TtPreferencesWindow *tt_preferences_window_new              (GSettings           *settings);
/* The message shown for limits that were not saved, or NULL. */
const char          *tt_preferences_window_get_limits_error (TtPreferencesWindow *self);

G_END_DECLS
