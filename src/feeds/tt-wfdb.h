/* tt-wfdb.h: reader of PhysioNet WFDB records: the header (.hea, text) and the signal files
 * (.dat, binary) in formats 16, 80 and 212.
 *
 * A numerics record (one frame a minute or so, sampling rate at most 1 Hz) becomes samples: a
 * zero there means "not measured" (no arterial line yet), never a pressure of 0 mmHg. A waveform
 * record (125 Hz and more) becomes the arterial waveform, from which MAP is derived per beat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-recording.h"

G_BEGIN_DECLS

#define TT_WFDB_ERROR (tt_wfdb_error_quark ())

typedef enum {
  TT_WFDB_ERROR_HEADER,        /* the header text is malformed; the message names line and field */
  TT_WFDB_ERROR_UNSUPPORTED,   /* a valid feature this reader does not read (format, segments) */
  TT_WFDB_ERROR_DATA,          /* the signal file does not match the header */
  TT_WFDB_ERROR_NO_PRESSURE,   /* no arterial pressure signal */
  TT_WFDB_ERROR_FILE,          /* a file of the record cannot be read */
} TtWfdbError;

/* At most this many signals in one record (real records have a few dozen). */
#define TT_WFDB_MAX_SIGNALS 256
/* At most this many frames are read (a day at 1 kHz). */
#define TT_WFDB_MAX_FRAMES (86400u * 1000u)

typedef struct {
  char    *file_name;     /* the signal file, relative to the header's folder */
  guint    format;        /* 16, 80 or 212 (others are parsed and refused when read) */
  guint    samples_per_frame;
  guint64  byte_offset;
  double   gain;          /* ADC units per physical unit; 200 where the header gives 0 or none */
  double   baseline;      /* ADC value of physical 0; adczero where the header gives none */
  char    *units;         /* "mV", "mmHg", "bpm"; "" when absent */
  int      adc_resolution;
  int      adc_zero;
  char    *description;   /* the signal's name: "ABP", "ABPMean", "HR"; "" when absent */
} TtWfdbSignal;

typedef struct {
  char     *name;
  guint     n_segments;   /* 0: a single-segment record */
  double    frequency;    /* frames per second */
  double    counter_frequency;
  guint64   n_samples;    /* per signal; 0 when the header does not say */
  gint64    base_time_ms; /* time of day of sample 0 in ms, or -1 */
  int       base_day, base_month, base_year;   /* 0 when absent */
  GPtrArray *signals;     /* of TtWfdbSignal * */
} TtWfdbHeader;

GQuark        tt_wfdb_error_quark        (void);

TtWfdbHeader *tt_wfdb_header_parse       (const char          *text,
                                          gsize                len,
                                          GError             **error);
void          tt_wfdb_header_free        (TtWfdbHeader        *header);
/* The index of the first signal whose description is one of @names (case-insensitive), or -1. */
int           tt_wfdb_header_find_signal (const TtWfdbHeader  *header,
                                          const char * const  *names);
/* TRUE for a numerics record (at most one frame a second). */
gboolean      tt_wfdb_header_is_numerics (const TtWfdbHeader  *header);

/* The physical values of signal @index from its signal file's bytes: NAN where the sample is
 * the format's invalid value, and, in a numerics record, where it is zero (absent). A file
 * shorter than the header says yields the frames it holds. */
GArray       *tt_wfdb_read_signal        (const TtWfdbHeader  *header,
                                          guint                index,
                                          GBytes              *dat,
                                          GError             **error);

/* A recording from a header and the bytes of its signal file (every signal the recording uses
 * must be in that one file, which is how PhysioNet records are laid out). */
TtRecording  *tt_wfdb_parse              (GBytes              *header,
                                          GBytes              *dat,
                                          GError             **error);
/* Reads the header at @header_path and the signal files it names from the same folder. */
TtRecording  *tt_wfdb_load_file          (const char          *header_path,
                                          GCancellable        *cancellable,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtWfdbHeader, tt_wfdb_header_free)

G_END_DECLS
