/* tt-beats.h: beats, and per beat SBP, DBP, MAP, pulse pressure and heart rate, from an arterial
 * pressure waveform, streaming.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

/*
 * Method (after Zong et al., "An open-source algorithm to detect onset of arterial blood pressure
 * pulses", Computers in Cardiology 2003, written here from the description):
 *
 *  1. y = moving average of the pressure over 20 ms; the slope sum function SSF(n) = Σ max(0, Δy)
 *     over the last 128 ms. SSF rises steeply on each systolic upstroke, and is about the upstroke's
 *     height in mmHg.
 *  2. Detection: SSF crossing the threshold max(3 mmHg [est], 40 % [est] of the typical upstroke
 *     SSF), at least 300 ms after the previous detection (HR ≤ 200 /min) and only after SSF fell
 *     below the threshold again. The typical upstroke is learnt over the first 2 s, then follows
 *     each beat (exponential average, weight 0.25, a single beat counting at most twice the current
 *     value), and halves after 3 s without a beat so that the detector finds smaller pulses again
 *     (damping, after a flush).
 *  3. 150 ms after a detection: the foot is the lowest pressure in the 250 ms before it (the
 *     end-diastolic pressure); the fiducial point is where the upstroke crosses half-way from the
 *     foot to the systolic peak (the highest pressure in the 150 ms after the detection), linearly
 *     interpolated between samples; the beat starts at the first sample of the upstroke above 10 %
 *     of its height (steep, so it does not wander with noise as the lowest point of a flat
 *     diastole does).
 *  4. Beat k spans [start_k, start_{k+1}): SBP = its highest sample, MAP = the mean of its samples
 *     (the mean over one whole period), DBP = its foot's pressure, PP = SBP − DBP.
 *     HR = 60 / (fiducial_{k+1} − fiducial_k in s), from the sub-sample fiducials. The beat's
 *     sample is timed at start_k.
 *  5. No beat for 3 s (60 / HR 20, CLINICAL.md §6): the 3 s are summarised as one sample with the
 *     segment's highest, lowest and mean pressure and HR 0, so that a flush, zeroing or flat trace
 *     reaches the quality rules instead of vanishing; HR 0 keeps such a segment from ever being valid.
 *  6. NAN points: no sample covers them (a gap for tt-grid); detection restarts after them.
 *
 * Every sample is classified by a TtQualityClassifier (tt-quality.h) before it is returned.
 * Cost: constant work per point plus one pass over each beat's points when it closes.
 */

#define TT_BEATS_MIN_HZ 50.0
#define TT_BEATS_MAX_HZ 2000.0

/* The detector's settings, as described above. */
#define TT_BEATS_SMOOTH_S        0.020   /* moving average [est] */
#define TT_BEATS_SSF_WINDOW_S    0.128   /* slope-sum window (Zong 2003) */
#define TT_BEATS_THRESHOLD_MIN   3.0     /* mmHg of upstroke [est] */
#define TT_BEATS_THRESHOLD_FRAC  0.4     /* of the typical upstroke [est] */
#define TT_BEATS_LEARN_S         2.0     /* [est] */
#define TT_BEATS_REFRACTORY_S    0.300   /* HR ≤ 200 /min (CLINICAL.md §6) */
#define TT_BEATS_FOOT_SEARCH_S   0.250   /* [est] */
#define TT_BEATS_LOOKAHEAD_S     0.150   /* [est] */
#define TT_BEATS_MAX_PERIOD_S    3.0     /* HR ≥ 20 /min (CLINICAL.md §6) */

typedef struct _TtBeats TtBeats;

/* @t0_ms: the time of the first point fed; points are 1/@fs_hz apart. */
TtBeats *tt_beats_new        (double       fs_hz,
                              gint64       t0_ms);
void     tt_beats_free       (TtBeats     *self);
/* Feeds @n points (mmHg; NAN = invalid) and appends to @out (a GArray of TtSample) the samples
 * they completed. Returns how many were appended. Chunk sizes do not change the result. */
guint    tt_beats_feed       (TtBeats     *self,
                              const float *x,
                              gsize        n,
                              GArray      *out);
guint64  tt_beats_get_n_beats    (const TtBeats *self);
guint64  tt_beats_get_n_segments (const TtBeats *self);

/* Batch helper: a new GArray of TtSample for a whole waveform. */
GArray  *tt_beats_detect     (const float *x,
                              gsize        n,
                              double       fs_hz,
                              gint64       t0_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtBeats, tt_beats_free)

G_END_DECLS
