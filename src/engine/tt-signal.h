/* tt-signal.h: the state of the arterial signal at one step of the resampling grid, as the signal
 * quality stage (tt-grid) produces it and the advisor consumes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

/* Stale: no valid sample for longer than this (CLINICAL.md §6, DESIGN.md "Alerts"). */
#define TT_SIGNAL_STALE_MS 10000

typedef struct {
  gint64    t_ms;           /* time of this grid step, case clock */
  gboolean  valid;          /* a trustworthy MAP exists at this step */
  double    map;            /* filtered MAP in mmHg; NAN when !valid */
  double    slope;          /* MAP trend in mmHg/min over the last minute; NAN when unknown */
  TtQuality quality;        /* TT_QUALITY_VALID, or the flag that made the signal untrustworthy */
  gboolean  stale;          /* no valid sample for more than TT_SIGNAL_STALE_MS */
  gint64    last_valid_ms;  /* time of the last valid sample, or -1 if none yet */
} TtSignalState;

G_END_DECLS
