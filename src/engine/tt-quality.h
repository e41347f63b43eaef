/* tt-quality.h: signal-quality classification of arterial pressure samples (CLINICAL.md §6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

/* Figures of CLINICAL.md §6 (all pressures in mmHg). */
#define TT_QUALITY_MAP_MIN           20.0   /* range: MAP < 20 is out of range */
#define TT_QUALITY_MAP_MAX           200.0  /* range: MAP > 200 is out of range */
#define TT_QUALITY_HR_MIN            20.0   /* range: HR outside 20–200 /min */
#define TT_QUALITY_HR_MAX            200.0
#define TT_QUALITY_FLUSH_MIN         250.0  /* flush: pressure jumps to ≥ 250 mmHg … */
#define TT_QUALITY_FLUSH_PP_MAX      50.0   /* … with PP ≈ 0: we use the MPOG bound for SBP > 200 */
#define TT_QUALITY_ZERO_BAND         5.0    /* zeroing: pressure within ±5 of 0 … */
#define TT_QUALITY_FLAT_PP           5.0    /* … and PP < 5 (also the flat trace of blood sampling) */
#define TT_QUALITY_FLAT_MIN_MS       2000   /* … for more than 2 s */
#define TT_QUALITY_DISCONNECTED_MAX  10.0   /* disconnected: SBP ≤ 10 or DBP ≤ 10 */
#define TT_QUALITY_JUMP_WINDOW_MS    2000   /* movement: |ΔMAP| above the limit within 2 s */
/* Movement: CLINICAL.md gives 30–40 mmHg within 2 s; we take the middle. [est] */
#define TT_QUALITY_JUMP_MMHG         35.0
/* Overdamping: "PP falls 40–50 % over minutes" (CLINICAL.md §6); flagged from a 40 % fall. How the
 * fall is measured is ours: */
#define TT_QUALITY_DAMPING_FALL      0.40
#define TT_QUALITY_DAMPING_REF_FROM  2      /* [est] reference: the minutes 2 to 10 before … */
#define TT_QUALITY_DAMPING_REF_TO    10     /* [est] … (their valid samples' mean PP per minute) */
#define TT_QUALITY_DAMPING_TAU_MS    10000  /* [est] current PP and MAP: 10-s exponential means */
#define TT_QUALITY_DAMPING_MAP_MMHG  10.0   /* [est] damping keeps the mean: MAP within ±10 */

/*
 * The rules, applied in this order; the first that matches names the flag:
 *
 *  1. OUT_OF_RANGE   MAP missing (NAN or infinite).
 *  2. ZEROING        every pressure present (MAP, and SBP/DBP when given) within ±5 mmHg of 0, and
 *                    this has held for more than 2 s (from the first sample of the run to this one).
 *                    The first 2 s of such a run fall to the rules below (disconnected or out of
 *                    range), so they are flagged too: zeroing never counts as hypotension.
 *  3. FLUSH          the highest pressure present (SBP, else MAP) ≥ 250 mmHg and, when SBP and DBP
 *                    are given, PP < 50 mmHg.
 *  4. DISCONNECTED   SBP ≤ 10 or DBP ≤ 10, or SBP = DBP = MAP (all three given, exactly equal).
 *  5. OUT_OF_RANGE   MAP < 20 or MAP > 200 mmHg.
 *  6. FLAT           SBP and DBP given and PP < 5 mmHg, held for more than 2 s (blood sampling).
 *  7. DAMPED         the MPOG pulse-pressure rules (SBP and DBP given, PP = SBP − DBP):
 *                    SBP > 200 and PP < 50; 150 < SBP ≤ 200 and PP < 30; 100 ≤ SBP ≤ 150 and PP < 15;
 *                    SBP < 100 and PP < 10. (The first 2 s of a flat run land here, since PP < 5.)
 *  8. OUT_OF_RANGE   HR given and outside 20–200 /min.
 *  9. JUMP           |MAP − MAP_j| > 35 mmHg [est] for a *valid* earlier sample j with
 *                    t − t_j ≤ 2000 ms. Only valid samples are references, so the first sample after
 *                    a flush is not flagged for returning to normal, and a sustained step becomes
 *                    valid once the pre-step samples are older than 2 s.
 * 10. DAMPED         overdamping, a sample valid by the rules above and with SBP and DBP: the current
 *                    PP (the 10-s [est] exponential mean of such samples' PP) has fallen by 40 % or
 *                    more from the reference PP, while the current MAP (likewise) stays within
 *                    ±10 mmHg [est] of the reference MAP. The reference is the case-clock minute,
 *                    among the 2nd to 10th [est] before this one, whose valid samples have the highest
 *                    mean PP (its MAP is that minute's mean MAP). A fall of PP with the MAP (induction,
 *                    bleeding) is not damping; without valid minutes in that range (the first minutes,
 *                    or a trace damped for 10 minutes, which then becomes the reference) the rule
 *                    does not apply.
 *
 * Rules 2, 6, 9 and 10 need earlier samples: use a TtQualityClassifier and push samples in time order.
 * A sample earlier than the previous one is classified by the stateless rules only and does not
 * change the classifier's history. Staleness (no valid sample for 10 s) is a property of the
 * stream, not of a sample: tt-grid reports it.
 */

typedef struct _TtQualityClassifier TtQualityClassifier;

TtQualityClassifier *tt_quality_classifier_new   (void);
void                 tt_quality_classifier_free  (TtQualityClassifier *self);
void                 tt_quality_classifier_reset (TtQualityClassifier *self);
/* Classifies @sample, stores the result in sample->quality and returns it. */
TtQuality            tt_quality_classifier_push  (TtQualityClassifier *self,
                                                  TtSample            *sample);

/* Classifies every sample of @samples (a GArray of TtSample in time order) in place. */
void                 tt_quality_classify_array   (GArray              *samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtQualityClassifier, tt_quality_classifier_free)

G_END_DECLS
