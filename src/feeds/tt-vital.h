/* tt-vital.h: reader of VitalDB's .vital files (Vital Recorder), format version 3.
 *
 * A .vital file is one gzip stream holding a header and packets (device, track, record, command).
 * The reader decompresses with GIO's GZlibDecompressor packet by packet, keeps only the tracks
 * Titrate needs (arterial mean, systolic, diastolic, heart rate, the arterial waveform and string
 * tracks as events) and tolerates a file cut short while it was being recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-recording.h"

G_BEGIN_DECLS

#define TT_VITAL_ERROR (tt_vital_error_quark ())

typedef enum {
  TT_VITAL_ERROR_NOT_GZIP,      /* the data do not start with the gzip magic */
  TT_VITAL_ERROR_CORRUPT,       /* the gzip stream is damaged */
  TT_VITAL_ERROR_TRUNCATED,     /* the data end before anything usable */
  TT_VITAL_ERROR_BAD_MAGIC,     /* decompressed, but not "VITA" */
  TT_VITAL_ERROR_BAD_PACKET,    /* a packet's length or content is impossible */
  TT_VITAL_ERROR_TOO_LARGE,     /* more data than the limits below */
  TT_VITAL_ERROR_NO_PRESSURE,   /* no arterial pressure track */
} TtVitalError;

/* Engineering limits that keep a damaged or hostile file from exhausting memory. A real packet
 * is a few kilobytes (one second of a 500 Hz waveform is 2 kB). */
#define TT_VITAL_MAX_PACKET      (64u * 1024 * 1024)
/* Values kept over all retained tracks: 50 million is 111 h of a 125 Hz waveform. */
#define TT_VITAL_MAX_VALUES      (50u * 1000 * 1000)

/* Track record types and value formats, as the format document numbers them. */
typedef enum {
  TT_VITAL_TRACK_WAVE = 1,
  TT_VITAL_TRACK_NUMERIC = 2,
  TT_VITAL_TRACK_STRING = 5,
} TtVitalTrackType;

/* Monitor types (montype) Titrate looks at. */
enum {
  TT_VITAL_MONTYPE_ECG_HR = 2,
  TT_VITAL_MONTYPE_ART_WAVE = 4,
  TT_VITAL_MONTYPE_ART_SYS = 5,
  TT_VITAL_MONTYPE_ART_DIA = 6,
  TT_VITAL_MONTYPE_ART_MEAN = 7,
  TT_VITAL_MONTYPE_PLETH_HR = 9,
};

typedef struct {
  guint16  tid;
  char    *name;        /* "Device/TRACK", or "TRACK" when the track has no device */
  char    *unit;        /* "" when absent */
  guint8   type;        /* TtVitalTrackType */
  guint8   fmt;         /* 1 float, 2 double, 3 s8, 4 u8, 5 s16, 6 u16, 7 s32, 8 u32 */
  guint8   montype;
  double   srate;       /* Hz, waveforms only */
  double   gain;        /* integer formats: value = raw × gain + offset */
  double   offset;
  guint    n_records;   /* records seen, kept or not */
  gboolean kept;        /* whether its values were kept (see the header comment) */

  /* Kept values. Numeric: one time (unix s) and one value per record. Waveform: one time per
   * record (its first point), the number of points of each record, and all points. */
  GArray  *times;       /* of double */
  GArray  *counts;      /* of guint, waveforms only */
  GArray  *values;      /* of double (numeric) or float (waveform) */
  GPtrArray *strings;   /* of char *, string tracks only */
} TtVitalTrack;

typedef struct _TtVitalFile TtVitalFile;

GQuark              tt_vital_error_quark        (void);

/* Reads a whole .vital file from @stream (the compressed bytes). */
TtVitalFile        *tt_vital_file_read          (GInputStream       *stream,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
TtVitalFile        *tt_vital_file_parse         (GBytes             *bytes,
                                                 GError            **error);
void                tt_vital_file_free          (TtVitalFile        *file);

guint               tt_vital_file_get_version   (const TtVitalFile  *file);
/* TRUE when the gzip stream or the last packet was cut short (a file still being recorded). */
gboolean            tt_vital_file_get_truncated (const TtVitalFile  *file);
guint               tt_vital_file_get_n_tracks  (const TtVitalFile  *file);
const TtVitalTrack *tt_vital_file_get_track     (const TtVitalFile  *file,
                                                 guint               index);
const TtVitalTrack *tt_vital_file_find_track    (const TtVitalFile  *file,
                                                 const char         *name);

/* The arterial pressure as a recording: MAP from the mean track (montype 7, else by name:
 * ABP_MEAN, ART_MBP, …) with SBP, DBP and HR of the nearest records; the arterial waveform in
 * recording->wave; string tracks as "note" events. Without a mean track, MAP per beat from the
 * waveform. */
TtRecording        *tt_vital_file_to_recording  (const TtVitalFile  *file,
                                                 GError            **error);

/* Shortcuts: parse and convert in one go. */
TtRecording        *tt_vital_parse              (GBytes             *bytes,
                                                 GError            **error);
TtRecording        *tt_vital_read               (GInputStream       *stream,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtVitalFile, tt_vital_file_free)

G_END_DECLS
