/* tt-sample.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-sample.h"

TtSample
tt_sample_init (gint64 t_ms,
                double map)
{
  return (TtSample) {
    .t_ms = t_ms,
    .map = map,
    .sbp = NAN,
    .dbp = NAN,
    .hr = NAN,
    .quality = TT_QUALITY_VALID,
  };
}

gboolean
tt_sample_has_pressures (const TtSample *sample)
{
  return isfinite (sample->sbp) && isfinite (sample->dbp);
}

/* Stable identifiers for logs, the database and JSON; never translated. */
const char *
tt_quality_to_string (TtQuality quality)
{
  static const char *names[TT_N_QUALITIES] = {
    [TT_QUALITY_VALID] = "valid",
    [TT_QUALITY_OUT_OF_RANGE] = "out-of-range",
    [TT_QUALITY_FLUSH] = "flush",
    [TT_QUALITY_ZEROING] = "zeroing",
    [TT_QUALITY_FLAT] = "flat",
    [TT_QUALITY_DAMPED] = "damped",
    [TT_QUALITY_JUMP] = "jump",
    [TT_QUALITY_DISCONNECTED] = "disconnected",
  };

  g_return_val_if_fail (quality < TT_N_QUALITIES, "invalid");
  return names[quality];
}

/* What a clinician reads beside an excluded segment. */
const char *
tt_quality_describe (TtQuality quality)
{
  switch (quality)
    {
    case TT_QUALITY_VALID:
      return _("Good signal");
    case TT_QUALITY_OUT_OF_RANGE:
      return _("Value out of physiological range");
    case TT_QUALITY_FLUSH:
      return _("Line flush");
    case TT_QUALITY_ZEROING:
      return _("Zeroing or open to air");
    case TT_QUALITY_FLAT:
      return _("Flat trace (blood sampling?)");
    case TT_QUALITY_DAMPED:
      return _("Damped trace");
    case TT_QUALITY_JUMP:
      return _("Sudden jump (movement?)");
    case TT_QUALITY_DISCONNECTED:
      return _("Transducer disconnected");
    case TT_N_QUALITIES:
    default:
      break;
    }
  g_return_val_if_reached (_("Unknown signal state"));
}
