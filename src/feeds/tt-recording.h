/* tt-recording.h: a recording loaded into memory by one of the readers (CSV, .vital, WFDB, a logged
 * session), ready for analysis or replay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tt-sample.h"

G_BEGIN_DECLS

typedef struct {
  gint64  t_ms;
  char   *kind;   /* "induction", "intubation", "incision", "position", "note", "bolus", … */
  char   *text;   /* free text, may be NULL */
} TtRecordingEvent;

typedef struct {
  /* Numeric samples (MAP and, where present, SBP/DBP/HR), in time order, times in ms from the
   * recording's start. Absent values are NAN. */
  GArray *samples;          /* of TtSample */
  GArray *events;           /* of TtRecordingEvent, in time order */

  /* The arterial pressure waveform in mmHg where the source has one; NAN marks invalid points. */
  GArray *wave;             /* of float; NULL or empty when there is none */
  double  wave_hz;          /* sampling rate of wave, 0 when there is none */
  gint64  wave_t0_ms;       /* time of wave's first point, same clock as samples */

  char   *format;           /* "csv", "vital", "wfdb", "session" */
  char   *map_source;      /* where MAP came from, e.g. "Intellivue/ABP_MEAN" or "ABP (beats)" */
  gint64  start_unix_ms;    /* wall-clock start (UTC) if the source records it, else 0 */
} TtRecording;

TtRecording *tt_recording_new        (const char     *format);
void         tt_recording_free       (TtRecording    *recording);
void         tt_recording_add_event  (TtRecording    *recording,
                                      gint64          t_ms,
                                      const char     *kind,
                                      const char     *text);
/* Adds an event written as a label by an export: "induction", or "bolus: 10 µg" (a known kind,
 * optionally followed by ": " and a text); anything else becomes a note carrying the label. */
void         tt_recording_add_event_label (TtRecording *recording,
                                           gint64       t_ms,
                                           const char  *label);
/* Time of the first event of @kind, or -1. */
gint64       tt_recording_find_event (const TtRecording *recording,
                                      const char        *kind);

/* Fills recording->samples with one sample per beat of recording->wave (the engine's beat
 * detector, tt-beats.h), for a source with a waveform and no MAP numerics; map_source becomes
 * "@wave_name (beats)". Fails for a rate outside 50–2000 Hz or a waveform without beats. */
gboolean     tt_recording_map_from_wave (TtRecording    *recording,
                                         const char     *wave_name,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtRecording, tt_recording_free)

G_END_DECLS
