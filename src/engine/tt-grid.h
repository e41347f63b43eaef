/* tt-grid.h: resampling classified samples onto a fixed time grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"
#include "tt-signal.h"

G_BEGIN_DECLS

/* The default grid step. Every metric is computed on this grid (ARV depends on it: CLINICAL.md §3),
 * so it is printed with every figure. */
#define TT_GRID_DEFAULT_STEP_MS  2000
#define TT_GRID_MIN_STEP_MS      500
#define TT_GRID_MAX_STEP_MS      60000
/* Dropouts up to this long are bridged; longer ones are gaps (CLINICAL.md §6, stale after 10 s). */
#define TT_GRID_MAX_HOLD_MS      TT_SIGNAL_STALE_MS
/* The longest stretch analysed in one piece: a week [est]. Beyond it a recording is damaged (a
 * clock jump of years would make billions of gap steps), not a case. */
#define TT_GRID_MAX_SPAN_MS      (G_GINT64_CONSTANT (7) * 24 * 3600 * 1000)
/* The slope is a least-squares fit over this window … */
#define TT_GRID_SLOPE_WINDOW_MS  60000
/* … and is reported only when the steps with data in it cover at least half of it. [est] */
#define TT_GRID_SLOPE_MIN_COVER_MS 30000

/*
 * The grid. Step k covers [k·step, (k+1)·step) on the case clock (so steps are aligned to 0 ms,
 * not to the first sample) and is labelled with its start time. The first step is the one holding
 * the first sample; there is one step for every step interval from then on, without holes.
 *
 * A step that holds samples:
 *   - VALID when it holds more valid than flagged samples (strict majority). Its value (the
 *     "filtered MAP") is the median of the valid samples' MAP in the step (the mean of the two middle
 *     ones for an even count): one residual artefact among several beats cannot move it.
 *   - ARTIFACT otherwise; its quality is the most frequent flag among its samples (ties go to the
 *     lower TtQuality code).
 * A step that holds no sample lies in a dropout: the time from the last sample before it to the
 * first sample after it (of any quality).
 *   - Dropout ≤ 10 s: the step repeats the state of the last step with samples: HELD (valid, same
 *     value) after a VALID step, ARTIFACT (same flag) after an ARTIFACT step.
 *   - Dropout > 10 s: GAP. Nothing is invented across it.
 * Because a dropout's length is known only when it ends, the final points of empty steps are
 * emitted when the next sample arrives, or as GAP as soon as tt_grid_advance() passes 10 s after
 * the last sample: points lag the samples by at most 10 s, and only during dropouts.
 *
 * Live state (TtSignalState, for the advisor and the screen) is emitted for every step as soon as
 * the step closes, at t_ms + step:
 *   - valid: the step is VALID, or it is empty, the last step with samples was VALID and a valid
 *     sample came no more than 10 s before the step's end (then map is the held value);
 *   - quality: TT_QUALITY_VALID when valid, else the step's flag (an empty step: the flag of the
 *     last step with samples, or TT_QUALITY_VALID when that was valid and the signal went stale);
 *   - stale: no valid sample in the 10 s before the step's end (or none yet), unless the step is
 *     VALID (which matters only on grids coarser than 10 s); stale implies !valid;
 *   - slope: least-squares slope (mmHg/min) of the values of the VALID steps (not HELD) whose start
 *     lies in (t_ms − 60 s, t_ms], reported when those steps cover at least 30 s [est] and the
 *     state is valid; NAN otherwise.
 *
 * Samples must come in time order; a sample earlier than the step being filled is dropped and
 * counted (tt_grid_get_n_dropped()).
 */

typedef enum {
  TT_GRID_VALID = 0,   /* filtered MAP of the step's valid samples */
  TT_GRID_HELD,        /* empty step in a dropout ≤ 10 s after a VALID step: its value repeated */
  TT_GRID_ARTIFACT,    /* flagged: excluded from numerators and denominators */
  TT_GRID_GAP,         /* no data (dropout > 10 s): excluded */
} TtGridStatus;

typedef struct {
  gint64       t_ms;     /* start of the step */
  double       map;      /* mmHg; NAN unless VALID or HELD */
  TtGridStatus status;
  TtQuality    quality;  /* TT_QUALITY_VALID, or the flag of an ARTIFACT step */
} TtGridPoint;

static inline gboolean
tt_grid_point_is_valid (const TtGridPoint *point)
{
  return point->status == TT_GRID_VALID || point->status == TT_GRID_HELD;
}

typedef struct _TtGrid TtGrid;

typedef void (*TtGridPointFunc) (const TtGridPoint   *point,
                                 gpointer             user_data);
typedef void (*TtGridStateFunc) (const TtSignalState *state,
                                 gpointer             user_data);

/* @step_ms must lie in TT_GRID_MIN_STEP_MS … TT_GRID_MAX_STEP_MS. Either callback may be NULL. */
TtGrid      *tt_grid_new           (gint64           step_ms,
                                    TtGridPointFunc  point_func,
                                    TtGridStateFunc  state_func,
                                    gpointer         user_data);
void         tt_grid_free          (TtGrid          *self);
gint64       tt_grid_get_step_ms   (const TtGrid    *self);
guint64      tt_grid_get_n_dropped (const TtGrid    *self);
/* Adds a classified sample (sample->quality is trusted; a non-finite MAP counts as flagged). */
void         tt_grid_push          (TtGrid          *self,
                                    const TtSample  *sample);
/* The clock has reached @now_ms: closes every step that ended at or before it. */
void         tt_grid_advance       (TtGrid          *self,
                                    gint64           now_ms);
/* End of the recording: closes the step holding the last sample. Empty steps after the last sample
 * whose dropout is still open (closed by tt_grid_advance() less than 10 s after it) get no point:
 * the recording ends with its last sample's step, or with the GAP points already emitted. */
void         tt_grid_finish        (TtGrid          *self);

/* Batch helper: classified @samples (in time order) → a new GArray of TtGridPoint. */
GArray      *tt_grid_resample      (const TtSample  *samples,
                                    gsize            n_samples,
                                    gint64           step_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtGrid, tt_grid_free)

G_END_DECLS
