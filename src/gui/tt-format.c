/* tt-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tt-format.h"

/* Prints @value with at most @max_decimals decimals and no trailing zeros ("0.5", "23.8", "10"),
 * with the locale's decimal mark; "–" when the value is unknown. */
char *
tt_format_number (double value,
                  int    max_decimals)
{
  char *text;
  char *point;

  if (!isfinite (value))
    return g_strdup ("–");

  max_decimals = CLAMP (max_decimals, 0, 6);
  /* Round first so that -0.001 printed with two decimals does not read "-0". */
  if (fabs (value) < 0.5 * pow (10, -max_decimals))
    value = 0;
  text = g_strdup_printf ("%.*f", max_decimals, value);
  point = strpbrk (text, ".,");
  if (point != NULL)
    {
      char *end = text + strlen (text) - 1;

      while (end > point && *end == '0')
        *end-- = '\0';
      if (end == point)
        *end = '\0';
    }
  return text;
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

/* A duration in words with units: "45 s", "12 min", "1 h 45 min". */
char *
tt_format_duration (gint64 ms)
{
  gint64 s = MAX (ms, 0) / 1000;

  if (s < 60)
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s / 60 % 60));
}
