/* tt-export-vital.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tt-export-vital.h"

enum {
  PACKET_TRACK = 0,
  PACKET_RECORD = 1,
  PACKET_DEVICE = 9,
};

enum {
  TRACK_MAP = 1,
  TRACK_SBP,
  TRACK_DBP,
  TRACK_HR,
  TRACK_EVENT,
};

#define DEVICE_ID 1

static void
put_u8 (GByteArray *b,
        guint8      v)
{
  g_byte_array_append (b, &v, 1);
}

static void
put_u16 (GByteArray *b,
         guint16     v)
{
  guint16 le = GUINT16_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, 2);
}

static void
put_u32 (GByteArray *b,
         guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, 4);
}

static void
put_f32 (GByteArray *b,
         float       v)
{
  guint32 bits;

  memcpy (&bits, &v, 4);
  put_u32 (b, bits);
}

static void
put_f64 (GByteArray *b,
         double      v)
{
  guint64 bits;

  memcpy (&bits, &v, 8);
  bits = GUINT64_TO_LE (bits);
  g_byte_array_append (b, (const guint8 *) &bits, 8);
}

static void
put_string (GByteArray *b,
            const char *s)
{
  gsize len = s != NULL ? strlen (s) : 0;

  put_u32 (b, (guint32) len);
  if (len > 0)
    g_byte_array_append (b, (const guint8 *) s, (guint) len);
}

/* Starts a packet: type and a length patched by end_packet(). */
static guint
begin_packet (GByteArray *b,
              guint8      type)
{
  put_u8 (b, type);
  put_u32 (b, 0);
  return b->len;
}

static void
end_packet (GByteArray *b,
            guint       start)
{
  guint32 le = GUINT32_TO_LE (b->len - start);

  memcpy (b->data + start - 4, &le, 4);
}

static void
put_track (GByteArray *b,
           guint16     tid,
           guint8      rec_type,
           guint8      fmt,
           const char *name,
           const char *unit,
           float       minval,
           float       maxval,
           guint32     color,
           guint8      montype,
           guint32     did)
{
  guint start = begin_packet (b, PACKET_TRACK);

  put_u16 (b, tid);
  put_u8 (b, rec_type);
  put_u8 (b, fmt);
  put_string (b, name);
  put_string (b, unit);
  put_f32 (b, minval);
  put_f32 (b, maxval);
  put_u32 (b, color);
  put_f32 (b, 0);       /* srate: numeric tracks have none */
  put_f64 (b, 1.0);     /* adc_gain */
  put_f64 (b, 0.0);     /* adc_offset */
  put_u8 (b, montype);
  put_u32 (b, did);
  end_packet (b, start);
}

static void
put_numeric (GByteArray *b,
             guint16     tid,
             double      dt,
             double      value)
{
  guint start;

  if (!isfinite (value))
    return;
  start = begin_packet (b, PACKET_RECORD);
  put_u16 (b, 10);      /* infolen: dt and tid */
  put_f64 (b, dt);
  put_u16 (b, tid);
  put_f64 (b, value);
  end_packet (b, start);
}

static void
put_text (GByteArray *b,
          double      dt,
          const char *text)
{
  guint start = begin_packet (b, PACKET_RECORD);

  put_u16 (b, 10);
  put_f64 (b, dt);
  put_u16 (b, TRACK_EVENT);
  put_u32 (b, 0);       /* unused */
  put_string (b, text);
  end_packet (b, start);
}

static char *
event_text (const TtRecordingEvent *event)
{
  if (event->text == NULL || event->text[0] == '\0')
    return g_strdup (event->kind);
  return g_strdup_printf ("%s: %s", event->kind, event->text);
}

static gboolean
flush_bytes (GOutputStream  *out,
             GByteArray     *b,
             gboolean        force,
             GCancellable   *cancellable,
             GError        **error)
{
  if (!force && b->len < 64 * 1024)
    return TRUE;
  if (!g_output_stream_write_all (out, b->data, b->len, NULL, cancellable, error))
    return FALSE;
  g_byte_array_set_size (b, 0);
  return TRUE;
}

gboolean
tt_export_vital_write (const TtStoreCase  *c,
                       GOutputStream      *out,
                       GCancellable       *cancellable,
                       GError            **error)
{
  const GArray *samples = c->recording->samples;
  const GArray *events = c->recording->events;
  const double t0 = c->info->setup.start_unix_ms / 1000.0;
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) gz = g_converter_output_stream_new (out, G_CONVERTER (compressor));
  g_autoptr(GByteArray) b = g_byte_array_sized_new (80 * 1024);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  double first = t0, last = t0;
  TtQuality quality = TT_QUALITY_VALID;
  guint i = 0, k = 0;

  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (gz), FALSE);
  if (samples->len > 0)
    {
      first = t0 + g_array_index (samples, TtSample, 0).t_ms / 1000.0;
      last = t0 + g_array_index (samples, TtSample, samples->len - 1).t_ms / 1000.0;
    }
  if (events->len > 0)
    {
      first = MIN (first, t0 + g_array_index (events, TtRecordingEvent, 0).t_ms / 1000.0);
      last = MAX (last, t0 + g_array_index (events, TtRecordingEvent, events->len - 1).t_ms
                        / 1000.0);
    }

  /* Header: version 3 with dtstart and dtend (headerlen 26). tzbias: UTC = local + bias. */
  g_byte_array_append (b, (const guint8 *) "VITA", 4);
  put_u32 (b, 3);
  put_u16 (b, 26);
  put_u16 (b, (guint16) (gint16) (-g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE));
  put_u32 (b, 0);       /* inst_id */
  put_u32 (b, 0);       /* prog_ver */
  put_f64 (b, first);
  put_f64 (b, last);

  {
    guint start = begin_packet (b, PACKET_DEVICE);

    put_u32 (b, DEVICE_ID);
    put_string (b, "Titrate");
    put_string (b, "Titrate");
    put_string (b, "");
    end_packet (b, start);
  }
  put_track (b, TRACK_MAP, 2, 2, "ART_MBP", "mmHg", 0, 200, 0xFFFF0000, 7, DEVICE_ID);
  put_track (b, TRACK_SBP, 2, 2, "ART_SBP", "mmHg", 0, 200, 0xFFFF0000, 5, DEVICE_ID);
  put_track (b, TRACK_DBP, 2, 2, "ART_DBP", "mmHg", 0, 200, 0xFFFF0000, 6, DEVICE_ID);
  put_track (b, TRACK_HR, 2, 2, "HR", "/min", 0, 200, 0xFF00FF00, 2, DEVICE_ID);
  put_track (b, TRACK_EVENT, 5, 0, "EVENT", "", 0, 0, 0xFFFFFFFF, 0, 0);

  while (i < samples->len || k < events->len)
    {
      if (k == events->len ||
          (i < samples->len && g_array_index (samples, TtSample, i).t_ms <=
                               g_array_index (events, TtRecordingEvent, k).t_ms))
        {
          const TtSample *s = &g_array_index (samples, TtSample, i++);
          double dt = t0 + s->t_ms / 1000.0;

          if (s->quality != quality)
            {
              g_autofree char *text = g_strdup_printf ("signal: %s",
                                                       tt_quality_to_string (s->quality));

              put_text (b, dt, text);
              quality = s->quality;
            }
          put_numeric (b, TRACK_MAP, dt, s->map);
          put_numeric (b, TRACK_SBP, dt, s->sbp);
          put_numeric (b, TRACK_DBP, dt, s->dbp);
          put_numeric (b, TRACK_HR, dt, s->hr);
        }
      else
        {
          const TtRecordingEvent *e = &g_array_index (events, TtRecordingEvent, k++);
          g_autofree char *text = event_text (e);

          put_text (b, t0 + e->t_ms / 1000.0, text);
        }
      if (!flush_bytes (gz, b, FALSE, cancellable, error))
        return FALSE;
    }
  return flush_bytes (gz, b, TRUE, cancellable, error) &&
         g_output_stream_close (gz, cancellable, error);
}

gboolean
tt_export_vital_to_file (const TtStoreCase  *c,
                         const char         *path,
                         GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_replace (file, NULL, FALSE,
                        G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;
  if (!tt_export_vital_write (c, G_OUTPUT_STREAM (out), NULL, error))
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
