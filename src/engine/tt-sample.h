/* tt-sample.h: one observation of arterial pressure and its signal quality.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why a sample cannot be used (CLINICAL.md §6). Order matters only for display. */
typedef enum {
  TT_QUALITY_VALID = 0,
  TT_QUALITY_OUT_OF_RANGE,   /* MAP < 20 or > 200 mmHg, HR outside 20–200 /min */
  TT_QUALITY_FLUSH,          /* fast flush: pressure ≥ 250 mmHg, pulse pressure ≈ 0 */
  TT_QUALITY_ZEROING,        /* open to air: pressure within ±5 mmHg of 0 */
  TT_QUALITY_FLAT,           /* blood sampling: pulse pressure < 5 mmHg */
  TT_QUALITY_DAMPED,         /* MPOG pulse-pressure rules for damping */
  TT_QUALITY_JUMP,           /* movement: |ΔMAP| > 35 mmHg within 2 s */
  TT_QUALITY_DISCONNECTED,   /* SBP or DBP ≤ 10 mmHg, or SBP = DBP = MAP */
  TT_N_QUALITIES
} TtQuality;

/* A sample. Times are milliseconds on the case's monotonic clock; pressures in mmHg, heart rate
 * in beats/min. A value the source did not provide is NAN. */
typedef struct {
  gint64    t_ms;
  double    map;
  double    sbp;
  double    dbp;
  double    hr;
  TtQuality quality;
} TtSample;

TtSample     tt_sample_init          (gint64 t_ms,
                                      double map);
gboolean     tt_sample_has_pressures (const TtSample *sample);
const char  *tt_quality_to_string    (TtQuality quality);
const char  *tt_quality_describe     (TtQuality quality);

G_END_DECLS
