/* tt-format.h: how the screens print numbers and case times (presentation only: every value comes
 * computed from the engine; these functions only turn it into text).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tt_format_number    (double      value,
                           int         max_decimals);
char *tt_format_signed    (double      value,
                           int         max_decimals);
char *tt_format_clock     (gint64      ms);
char *tt_format_wall_time (gint64      start_unix_ms,
                           gint64      t_ms,
                           gboolean    seconds);
char *tt_format_with_unit (double      value,
                           int         max_decimals,
                           const char *unit);

G_END_DECLS
