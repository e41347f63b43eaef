/* tt-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-dose.h"
#include "tt-format.h"

/* Prints @value with at most @max_decimals decimals and no trailing zeros ("0.5", "23.8", "10"),
 * as the dose arithmetic prints it; "–" when the value is unknown. */
char *
tt_format_number (double value,
                  int    max_decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  return tt_dose_format_number (value, 0, CLAMP (max_decimals, 0, 6));
}

/* Like tt_format_number () with an explicit sign: "+0.02", "−0.01" (a real minus sign), "0". */
char *
tt_format_signed (double value,
                  int    max_decimals)
{
  g_autofree char *number = tt_format_number (fabs (value), max_decimals);

  if (!isfinite (value) || g_str_equal (number, "0"))
    return g_steal_pointer (&number);
  return g_strconcat (value > 0 ? "+" : "−", number, NULL);
}

/* A case-clock time: "6:32" under an hour, "1:05:09" after; negative times get a minus sign. */
char *
tt_format_clock (gint64 ms)
{
  gint64 s = (ms < 0 ? -ms : ms) / 1000;
  const char *sign = ms < 0 ? "−" : "";

  if (s >= 3600)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT ":%02d:%02d", sign, s / 3600,
                            (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%s%d:%02d", sign, (int) (s / 60), (int) (s % 60));
}

/* The local wall-clock time of case time @t_ms, given the case's start in UTC: "08:20:46" (or
 * "08:20" without @seconds). */
char *
tt_format_wall_time (gint64   start_unix_ms,
                     gint64   t_ms,
                     gboolean seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((start_unix_ms + t_ms) / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("–");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, seconds ? "%H:%M:%S" : "%H:%M");
}

/* A figure with its unit ("2.6 min", "41 %"), or "–" when it is unknown (NAN: no valid time). */
char *
tt_format_with_unit (double      value,
                     int         max_decimals,
                     const char *unit)
{
  g_autofree char *number = NULL;

  if (!isfinite (value))
    return g_strdup ("–");
  number = tt_format_number (value, max_decimals);
  return g_strdup_printf ("%s %s", number, unit);
}
