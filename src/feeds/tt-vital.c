/* tt-vital.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tt-vital.h"

G_DEFINE_QUARK (tt-vital-error-quark, tt_vital_error)

#define CHUNK 65536

/* Record times are unix seconds; anything outside this range is damage, and keeping it out
 * also keeps the millisecond arithmetic far from overflow. */
#define MAX_UNIX_TIME 1e11

/* Names Titrate recognises, in order of preference, for monitors that do not set montype. */
static const char * const mean_names[] = {
  "ABP_MEAN", "ART_MBP", "ART_MEAN", "IBP1_MEAN", "IBP_MEAN", "AP_MEAN", "ABP_MBP", "ART1_MBP",
  "ART1_MEAN", "IBP1_MBP", "MAP", NULL
};
static const char * const sys_names[] = {
  "ABP_SYS", "ART_SBP", "ART_SYS", "IBP1_SYS", "IBP_SYS", "AP_SYS", "ABP_SBP", "ART1_SBP",
  "ART1_SYS", "IBP1_SBP", NULL
};
static const char * const dia_names[] = {
  "ABP_DIA", "ART_DBP", "ART_DIA", "IBP1_DIA", "IBP_DIA", "AP_DIA", "ABP_DBP", "ART1_DBP",
  "ART1_DIA", "IBP1_DBP", NULL
};
static const char * const hr_names[] = {
  "HR", "ECG_HR", "PLETH_HR", "PULSE", "PR", "PULSE_RATE", NULL
};
static const char * const wave_names[] = {
  "ABP", "ART", "IBP1", "IBP", "AP", "ART1", NULL
};

struct _TtVitalFile
{
  guint      version;
  gboolean   truncated;
  GPtrArray *tracks;      /* of TtVitalTrack *, in file order */
  GHashTable *by_tid;     /* tid → TtVitalTrack * */
  GHashTable *devices;    /* did → device name */
  guint64    n_values;
};

/* Pulls decompressed bytes out of a GZlibDecompressor on demand, so that only the packet being
 * parsed is in memory, never the whole decompressed file. */
typedef struct {
  GConverter   *converter;
  GInputStream *in;           /* NULL when reading from memory */
  GCancellable *cancellable;
  const guint8 *in_data;
  gsize         in_len;
  gsize         in_pos;
  guint8       *in_buffer;
  gboolean      in_eof;
  guint64       in_total;

  guint8       *out;
  gsize         out_len;
  gsize         out_pos;
  gsize         out_alloc;
  guint64       out_consumed; /* decompressed bytes before out[0] */
  gboolean      finished;
  gboolean      truncated;
} Inflater;

static void
inflater_init (Inflater     *inf,
               GInputStream *in,
               const guint8 *data,
               gsize         len,
               GCancellable *cancellable)
{
  memset (inf, 0, sizeof *inf);
  inf->converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  inf->cancellable = cancellable;
  if (in != NULL)
    {
      inf->in = in;
      inf->in_buffer = g_malloc (CHUNK);
      inf->in_data = inf->in_buffer;
    }
  else
    {
      inf->in_data = data;
      inf->in_len = len;
      inf->in_total = len;
      inf->in_eof = TRUE;
    }
}

static void
inflater_clear (Inflater *inf)
{
  g_clear_object (&inf->converter);
  g_clear_pointer (&inf->in_buffer, g_free);
  g_clear_pointer (&inf->out, g_free);
}

static gsize
inflater_available (const Inflater *inf)
{
  return inf->out_len - inf->out_pos;
}

static const guint8 *
inflater_peek (const Inflater *inf)
{
  return inf->out + inf->out_pos;
}

static guint64
inflater_offset (const Inflater *inf)
{
  return inf->out_consumed + inf->out_pos;
}

static void
inflater_skip (Inflater *inf,
               gsize     n)
{
  g_assert (n <= inflater_available (inf));
  inf->out_pos += n;
}

static gboolean
inflater_read_input (Inflater  *inf,
                     GError   **error)
{
  gsize keep = inf->in_len - inf->in_pos;
  gssize n;

  if (inf->in == NULL || inf->in_eof)
    return TRUE;

  memmove (inf->in_buffer, inf->in_buffer + inf->in_pos, keep);
  inf->in_pos = 0;
  inf->in_len = keep;
  if (keep == CHUNK)
    return TRUE;
  n = g_input_stream_read (inf->in, inf->in_buffer + keep, CHUNK - keep, inf->cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    inf->in_eof = TRUE;
  inf->in_len += n;
  inf->in_total += n;
  return TRUE;
}

/* Makes at least @want decompressed bytes available, unless the stream ends first; whether it
 * did is told by inflater_available(). */
static gboolean
inflater_fill (Inflater  *inf,
               gsize      want,
               GError   **error)
{
  while (inflater_available (inf) < want && !inf->finished)
    {
      g_autoptr(GError) local_error = NULL;
      GConverterResult result;
      gsize bytes_read = 0, bytes_written = 0;

      if (inf->out_pos > 0)
        {
          memmove (inf->out, inf->out + inf->out_pos, inflater_available (inf));
          inf->out_consumed += inf->out_pos;
          inf->out_len -= inf->out_pos;
          inf->out_pos = 0;
        }
      if (inf->out_alloc - inf->out_len < CHUNK || inf->out_alloc < want)
        {
          inf->out_alloc = MAX (inf->out_len + CHUNK, MAX (want, inf->out_alloc * 2));
          inf->out = g_realloc (inf->out, inf->out_alloc);
        }
      if (inf->in_pos == inf->in_len && !inf->in_eof && !inflater_read_input (inf, error))
        return FALSE;

      result = g_converter_convert (inf->converter,
                                    inf->in_data + inf->in_pos, inf->in_len - inf->in_pos,
                                    inf->out + inf->out_len, inf->out_alloc - inf->out_len,
                                    inf->in_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, &local_error);
      inf->in_pos += bytes_read;
      inf->out_len += bytes_written;

      if (result == G_CONVERTER_FINISHED)
        {
          inf->finished = TRUE;
        }
      else if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            {
              if (inf->in_eof)
                {
                  inf->finished = TRUE;
                  inf->truncated = TRUE;
                }
              else if (!inflater_read_input (inf, error))
                return FALSE;
            }
          else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            {
              inf->out_alloc *= 2;
              inf->out = g_realloc (inf->out, inf->out_alloc);
            }
          else
            {
              g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_CORRUPT,
                           _("The compressed data are damaged near byte %" PRIu64
                             " of the file: %s"),
                           inf->in_total - (inf->in_len - inf->in_pos), local_error->message);
              return FALSE;
            }
        }
      else if (bytes_read == 0 && bytes_written == 0 && inf->in_eof)
        {
          inf->finished = TRUE;
          inf->truncated = TRUE;
        }
    }
  return TRUE;
}

/* A cursor over one packet's body; every read checks what remains. */
typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
} Cursor;

static gboolean
cursor_bytes (Cursor  *c,
              gsize    n,
              gpointer out)
{
  if (c->len - c->pos < n)
    return FALSE;
  if (out != NULL)
    memcpy (out, c->data + c->pos, n);
  c->pos += n;
  return TRUE;
}

static gboolean
cursor_u8 (Cursor *c,
           guint8 *out)
{
  return cursor_bytes (c, 1, out);
}

static gboolean
cursor_u16 (Cursor  *c,
            guint16 *out)
{
  guint16 v;

  if (!cursor_bytes (c, 2, &v))
    return FALSE;
  *out = GUINT16_FROM_LE (v);
  return TRUE;
}

static gboolean
cursor_u32 (Cursor  *c,
            guint32 *out)
{
  guint32 v;

  if (!cursor_bytes (c, 4, &v))
    return FALSE;
  *out = GUINT32_FROM_LE (v);
  return TRUE;
}

static gboolean
cursor_f32 (Cursor *c,
            double *out)
{
  guint32 v;
  float f;

  if (!cursor_u32 (c, &v))
    return FALSE;
  memcpy (&f, &v, 4);
  *out = f;
  return TRUE;
}

static gboolean
cursor_f64 (Cursor *c,
            double *out)
{
  guint64 v;

  if (!cursor_bytes (c, 8, &v))
    return FALSE;
  v = GUINT64_FROM_LE (v);
  memcpy (out, &v, 8);
  return TRUE;
}

/* A length-prefixed string, made valid UTF-8 because names end up in messages. */
static gboolean
cursor_string (Cursor  *c,
               char   **out)
{
  guint32 n;
  gsize start = c->pos;

  if (!cursor_u32 (c, &n) || c->len - c->pos < n)
    {
      c->pos = start;
      return FALSE;
    }
  *out = g_utf8_make_valid ((const char *) c->data + c->pos, n);
  c->pos += n;
  return TRUE;
}

static guint
format_size (guint8 fmt)
{
  static const guint sizes[] = { 0, 4, 8, 1, 1, 2, 2, 4, 4 };

  return fmt < G_N_ELEMENTS (sizes) ? sizes[fmt] : 0;
}

/* One value of format @fmt at @p; integer formats are scaled, float formats are not. */
static double
decode_value (const guint8 *p,
              guint8        fmt,
              double        gain,
              double        offset)
{
  switch (fmt)
    {
    case 1:
      {
        guint32 v;
        float f;
        memcpy (&v, p, 4);
        v = GUINT32_FROM_LE (v);
        memcpy (&f, &v, 4);
        return f;
      }
    case 2:
      {
        guint64 v;
        double d;
        memcpy (&v, p, 8);
        v = GUINT64_FROM_LE (v);
        memcpy (&d, &v, 8);
        return d;
      }
    case 3:
      return (gint8) p[0] * gain + offset;
    case 4:
      return p[0] * gain + offset;
    case 5:
      return (gint16) (p[0] | (p[1] << 8)) * gain + offset;
    case 6:
      return (guint16) (p[0] | (p[1] << 8)) * gain + offset;
    case 7:
      return (gint32) ((guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
                       ((guint32) p[3] << 24)) * gain + offset;
    case 8:
      return ((guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
              ((guint32) p[3] << 24)) * gain + offset;
    default:
      g_assert_not_reached ();
    }
}

static void
track_free (gpointer data)
{
  TtVitalTrack *track = data;

  g_free (track->name);
  g_free (track->unit);
  g_clear_pointer (&track->times, g_array_unref);
  g_clear_pointer (&track->counts, g_array_unref);
  g_clear_pointer (&track->values, g_array_unref);
  g_clear_pointer (&track->strings, g_ptr_array_unref);
  g_free (track);
}

static gboolean
name_in (const char         *name,
         const char * const *names)
{
  return g_strv_contains (names, name);
}

/* Whether Titrate needs this track's values; everything else is only counted, so that a file
 * with many high-rate waveforms (ECG at 500 Hz) costs no memory. */
static gboolean
track_wanted (const TtVitalTrack *track)
{
  switch (track->type)
    {
    case TT_VITAL_TRACK_NUMERIC:
      return track->montype == TT_VITAL_MONTYPE_ART_MEAN ||
             track->montype == TT_VITAL_MONTYPE_ART_SYS ||
             track->montype == TT_VITAL_MONTYPE_ART_DIA ||
             track->montype == TT_VITAL_MONTYPE_ECG_HR ||
             track->montype == TT_VITAL_MONTYPE_PLETH_HR ||
             name_in (track->name, mean_names) || name_in (track->name, sys_names) ||
             name_in (track->name, dia_names) || name_in (track->name, hr_names);
    case TT_VITAL_TRACK_WAVE:
      return (track->montype == TT_VITAL_MONTYPE_ART_WAVE || name_in (track->name, wave_names)) &&
             track->srate > 0 && track->srate <= 100000;
    case TT_VITAL_TRACK_STRING:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
parse_device (TtVitalFile  *file,
              Cursor       *c,
              guint64       offset,
              GError      **error)
{
  guint32 did;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;

  if (!cursor_u32 (c, &did))
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("The device packet at byte %" PRIu64 " holds %zu"
                     " bytes; it needs at least 4"), offset, c->len);
      return FALSE;
    }
  /* Every field after the device id is optional. */
  if (cursor_string (c, &type))
    cursor_string (c, &name);
  if (name != NULL && name[0] != '\0')
    g_hash_table_replace (file->devices, GUINT_TO_POINTER (did), g_steal_pointer (&name));
  else if (type != NULL && type[0] != '\0')
    g_hash_table_replace (file->devices, GUINT_TO_POINTER (did), g_steal_pointer (&type));
  return TRUE;
}

static gboolean
parse_track (TtVitalFile  *file,
             Cursor       *c,
             guint64       offset,
             GError      **error)
{
  TtVitalTrack *track;
  guint16 tid;
  guint8 type, fmt;
  char *name = NULL;
  double minval, maxval, srate, gain, off;
  guint32 color, did;
  guint8 montype;

  if (!cursor_u16 (c, &tid) || !cursor_u8 (c, &type) || !cursor_u8 (c, &fmt) ||
      !cursor_string (c, &name))
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("The track packet at byte %" PRIu64 " is too short (%zu"
                     " bytes) to hold a track id, type, format and name"), offset, c->len);
      return FALSE;
    }
  if (g_hash_table_contains (file->by_tid, GUINT_TO_POINTER (tid)))
    {
      /* A track described twice keeps its first description and its values. */
      g_free (name);
      return TRUE;
    }

  track = g_new0 (TtVitalTrack, 1);
  track->tid = tid;
  track->type = type;
  track->fmt = fmt;
  track->name = name;
  track->gain = 1.0;
  track->offset = 0.0;
  g_ptr_array_add (file->tracks, track);
  g_hash_table_insert (file->by_tid, GUINT_TO_POINTER (tid), track);

  /* Every field after the name is optional: read while bytes remain. */
  if (!cursor_string (c, &track->unit))
    track->unit = g_strdup ("");
  else if (cursor_f32 (c, &minval) && cursor_f32 (c, &maxval) && cursor_u32 (c, &color) &&
           cursor_f32 (c, &srate))
    {
      track->srate = isfinite (srate) ? srate : 0;
      if (cursor_f64 (c, &gain))
        {
          track->gain = isfinite (gain) ? gain : 1.0;
          if (cursor_f64 (c, &off))
            {
              track->offset = isfinite (off) ? off : 0.0;
              if (cursor_u8 (c, &montype))
                {
                  track->montype = montype;
                  if (cursor_u32 (c, &did))
                    {
                      const char *device = g_hash_table_lookup (file->devices,
                                                                GUINT_TO_POINTER (did));
                      if (device != NULL)
                        {
                          track->name = g_strdup_printf ("%s/%s", device, name);
                          g_free (name);
                        }
                    }
                }
            }
        }
    }

  /* Decide on the short name: device names vary, track names do not. */
  {
    const char *slash = strrchr (track->name, '/');
    TtVitalTrack probe = *track;

    probe.name = (char *) (slash != NULL ? slash + 1 : track->name);
    track->kept = track_wanted (&probe);
  }
  if (track->kept && track->type != TT_VITAL_TRACK_STRING && format_size (track->fmt) == 0)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("Track “%s” (packet at byte %" PRIu64 ") has value format %u; "
                     "the formats are 1 to 8"), track->name, offset, track->fmt);
      return FALSE;
    }
  if (track->kept)
    {
      track->times = g_array_new (FALSE, FALSE, sizeof (double));
      if (track->type == TT_VITAL_TRACK_WAVE)
        {
          track->counts = g_array_new (FALSE, FALSE, sizeof (guint));
          track->values = g_array_new (FALSE, FALSE, sizeof (float));
        }
      else if (track->type == TT_VITAL_TRACK_NUMERIC)
        track->values = g_array_new (FALSE, FALSE, sizeof (double));
      else
        track->strings = g_ptr_array_new_with_free_func (g_free);
    }
  return TRUE;
}

static gboolean
count_values (TtVitalFile  *file,
              guint64       n,
              GError      **error)
{
  file->n_values += n;
  if (file->n_values > TT_VITAL_MAX_VALUES)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_TOO_LARGE,
                   _("The recording holds more than %u values of arterial pressure and heart "
                     "rate, more than Titrate reads from one file"), TT_VITAL_MAX_VALUES);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_record (TtVitalFile  *file,
              Cursor       *c,
              guint64       offset,
              GError      **error)
{
  TtVitalTrack *track;
  guint16 infolen, tid;
  double dt;
  guint size;

  if (!cursor_u16 (c, &infolen) || !cursor_f64 (c, &dt) || !cursor_u16 (c, &tid) ||
      infolen < 10)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("The record packet at byte %" PRIu64 " is too short (%zu"
                     " bytes) to hold its time and track id"), offset, c->len);
      return FALSE;
    }
  track = g_hash_table_lookup (file->by_tid, GUINT_TO_POINTER (tid));
  if (track == NULL)
    return TRUE;   /* a record of a track never described: nothing to interpret it with */
  track->n_records++;
  if (!track->kept)
    return TRUE;

  if (!isfinite (dt) || dt < 0 || dt > MAX_UNIX_TIME)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("The record of track “%s” at byte %" PRIu64 " has the time %g s; "
                     "allowed is 0 to %g s since 1970"), track->name, offset, dt, MAX_UNIX_TIME);
      return FALSE;
    }
  c->pos = 2 + (gsize) infolen;
  if (c->pos > c->len)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                   _("The record of track “%s” at byte %" PRIu64 " declares a header of "
                     "%u bytes in a packet of %zu"), track->name, offset, infolen,
                   c->len);
      return FALSE;
    }

  size = format_size (track->fmt);
  switch (track->type)
    {
    case TT_VITAL_TRACK_NUMERIC:
      {
        double value;

        if (c->len - c->pos < size)
          {
            g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                         _("The record of track “%s” at byte %" PRIu64 " has no room "
                           "for its %u-byte value"), track->name, offset, size);
            return FALSE;
          }
        if (!count_values (file, 1, error))
          return FALSE;
        value = decode_value (c->data + c->pos, track->fmt, track->gain, track->offset);
        g_array_append_val (track->times, dt);
        g_array_append_val (track->values, value);
        break;
      }
    case TT_VITAL_TRACK_WAVE:
      {
        guint32 n;
        guint old;
        const guint8 *p;

        if (!cursor_u32 (c, &n) || (c->len - c->pos) / size < n)
          {
            g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                         _("The waveform record of track “%s” at byte %" PRIu64
                           " declares %u points but holds only %zu bytes"),
                         track->name, offset, n, c->len - MIN (c->pos, c->len));
            return FALSE;
          }
        if (!count_values (file, n, error))
          return FALSE;
        g_array_append_val (track->times, dt);
        g_array_append_val (track->counts, n);
        old = track->values->len;
        g_array_set_size (track->values, old + n);
        p = c->data + c->pos;
        if (track->fmt == 1)
          {
            /* Float points are stored as they are, without gain or offset. */
            memcpy (&g_array_index (track->values, float, old), p, (gsize) n * 4);
#if G_BYTE_ORDER == G_BIG_ENDIAN
            for (guint i = 0; i < n; i++)
              {
                guint32 *v = (guint32 *) &g_array_index (track->values, float, old + i);
                *v = GUINT32_FROM_LE (*v);
              }
#endif
          }
        else
          {
            float *out = &g_array_index (track->values, float, old);

            for (guint i = 0; i < n; i++)
              out[i] = decode_value (p + (gsize) i * size, track->fmt, track->gain, track->offset);
          }
        break;
      }
    case TT_VITAL_TRACK_STRING:
      {
        char *text = NULL;

        if (!cursor_bytes (c, 4, NULL) || !cursor_string (c, &text))
          {
            g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                         _("The text record of track “%s” at byte %" PRIu64
                           " is cut short"), track->name, offset);
            return FALSE;
          }
        if (!count_values (file, 1, error))
          {
            g_free (text);
            return FALSE;
          }
        g_array_append_val (track->times, dt);
        g_ptr_array_add (track->strings, text);
        break;
      }
    default:
      break;
    }
  return TRUE;
}

void
tt_vital_file_free (TtVitalFile *file)
{
  if (file == NULL)
    return;
  g_ptr_array_unref (file->tracks);
  g_hash_table_unref (file->by_tid);
  g_hash_table_unref (file->devices);
  g_free (file);
}

static TtVitalFile *
parse (Inflater  *inf,
       GError   **error)
{
  g_autoptr(TtVitalFile) file = g_new0 (TtVitalFile, 1);
  const guint8 *p;
  guint32 version;
  guint16 headerlen;

  file->tracks = g_ptr_array_new_with_free_func (track_free);
  file->by_tid = g_hash_table_new (g_direct_hash, g_direct_equal);
  file->devices = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  if (!inflater_fill (inf, 10, error))
    return NULL;
  if (inflater_available (inf) >= 4 && memcmp (inflater_peek (inf), "VITA", 4) != 0)
    {
      char head[5] = { 0 };
      g_autofree char *valid = NULL;
      g_autofree char *escaped = NULL;

      memcpy (head, inflater_peek (inf), 4);
      valid = g_utf8_make_valid (head, -1);
      escaped = g_strescape (valid, NULL);
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_MAGIC,
                   _("Not a .vital file: the decompressed data start with “%s” instead of "
                     "“VITA”"), escaped);
      return NULL;
    }
  if (inflater_available (inf) < 10)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_TRUNCATED,
                   _("The .vital file ends after %zu decompressed bytes, before "
                     "the end of its 10-byte header"), inflater_available (inf));
      return NULL;
    }
  p = inflater_peek (inf);
  memcpy (&version, p + 4, 4);
  memcpy (&headerlen, p + 8, 2);
  file->version = GUINT32_FROM_LE (version);
  headerlen = GUINT16_FROM_LE (headerlen);
  inflater_skip (inf, 10);
  if (!inflater_fill (inf, headerlen, error))
    return NULL;
  if (inflater_available (inf) < headerlen)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_TRUNCATED,
                   _("The .vital file ends inside its header, which declares %u bytes"), headerlen);
      return NULL;
    }
  inflater_skip (inf, headerlen);

  for (;;)
    {
      Cursor c;
      guint8 type;
      guint32 len;
      guint64 offset = inflater_offset (inf);
      gboolean ok = TRUE;

      if (!inflater_fill (inf, 5, error))
        return NULL;
      if (inflater_available (inf) == 0)
        break;
      if (inflater_available (inf) < 5)
        {
          file->truncated = TRUE;
          break;
        }
      p = inflater_peek (inf);
      type = p[0];
      memcpy (&len, p + 1, 4);
      len = GUINT32_FROM_LE (len);
      if (len > TT_VITAL_MAX_PACKET)
        {
          g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET,
                       _("The packet at byte %" PRIu64 " declares %u bytes; at most %u "
                         "are allowed"), offset, len, TT_VITAL_MAX_PACKET);
          return NULL;
        }
      if (!inflater_fill (inf, 5 + (gsize) len, error))
        return NULL;
      if (inflater_available (inf) < 5 + (gsize) len)
        {
          /* The last packet of a file still being written. */
          file->truncated = TRUE;
          break;
        }
      c = (Cursor) { inflater_peek (inf) + 5, len, 0 };
      switch (type)
        {
        case 9:
          ok = parse_device (file, &c, offset, error);
          break;
        case 0:
          ok = parse_track (file, &c, offset, error);
          break;
        case 1:
          ok = parse_record (file, &c, offset, error);
          break;
        default:
          break;   /* commands (6) and packet types this reader does not need */
        }
      if (!ok)
        return NULL;
      inflater_skip (inf, 5 + (gsize) len);
    }
  file->truncated |= inf->truncated;
  return g_steal_pointer (&file);
}

TtVitalFile *
tt_vital_file_parse (GBytes  *bytes,
                     GError **error)
{
  Inflater inf;
  TtVitalFile *file;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_return_val_if_fail (bytes != NULL, NULL);

  if (len < 2 || data[0] != 0x1f || data[1] != 0x8b)
    {
      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_NOT_GZIP,
                   _("Not a .vital file: it is not gzip-compressed (%zu bytes, "
                     "without the gzip signature 1f 8b)"), len);
      return NULL;
    }
  inflater_init (&inf, NULL, data, len, NULL);
  file = parse (&inf, error);
  inflater_clear (&inf);
  return file;
}

TtVitalFile *
tt_vital_file_read (GInputStream  *stream,
                    GCancellable  *cancellable,
                    GError       **error)
{
  Inflater inf;
  TtVitalFile *file = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  inflater_init (&inf, stream, NULL, 0, cancellable);
  if (inflater_read_input (&inf, error))
    {
      while (inf.in_len < 2 && !inf.in_eof)
        if (!inflater_read_input (&inf, error))
          goto out;
      if (inf.in_len < 2 || inf.in_data[0] != 0x1f || inf.in_data[1] != 0x8b)
        g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_NOT_GZIP,
                     _("Not a .vital file: it is not gzip-compressed (no gzip signature 1f 8b)"));
      else
        file = parse (&inf, error);
    }
out:
  inflater_clear (&inf);
  return file;
}

guint
tt_vital_file_get_version (const TtVitalFile *file)
{
  return file->version;
}

gboolean
tt_vital_file_get_truncated (const TtVitalFile *file)
{
  return file->truncated;
}

guint
tt_vital_file_get_n_tracks (const TtVitalFile *file)
{
  return file->tracks->len;
}

const TtVitalTrack *
tt_vital_file_get_track (const TtVitalFile *file,
                         guint              index)
{
  g_return_val_if_fail (index < file->tracks->len, NULL);
  return g_ptr_array_index (file->tracks, index);
}

const TtVitalTrack *
tt_vital_file_find_track (const TtVitalFile *file,
                          const char        *name)
{
  for (guint i = 0; i < file->tracks->len; i++)
    {
      const TtVitalTrack *track = g_ptr_array_index (file->tracks, i);

      if (g_str_equal (track->name, name))
        return track;
    }
  return NULL;
}

typedef struct {
  double t;
  double v;
} Point;

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const Point *pa = a, *pb = b;

  return (pa->t > pb->t) - (pa->t < pb->t);
}

static GArray *
sorted_points (const TtVitalTrack *track)
{
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (Point), track ? track->times->len : 0);

  if (track == NULL)
    return points;
  for (guint i = 0; i < track->times->len; i++)
    {
      Point p = { g_array_index (track->times, double, i), g_array_index (track->values, double, i) };
      g_array_append_val (points, p);
    }
  g_array_sort (points, compare_points);
  return points;
}

/* Records of different tracks of one monitor carry the same time, give or take the moment the
 * recorder polled them: pair values no further apart than this. */
#define PAIR_TOLERANCE_S 1.5

/* The value of @points nearest to @t within the tolerance, else NAN; @t must not decrease from
 * one call to the next (a merge walk). */
static double
nearest (GArray *points,
         guint  *cursor,
         double  t)
{
  const Point *p = (const Point *) (gpointer) points->data;
  guint i = *cursor;

  if (points->len == 0)
    return NAN;
  while (i + 1 < points->len && fabs (p[i + 1].t - t) <= fabs (p[i].t - t))
    i++;
  *cursor = i;
  return fabs (p[i].t - t) <= PAIR_TOLERANCE_S ? p[i].v : NAN;
}

static char *
device_of (const char *name)
{
  const char *slash = strrchr (name, '/');

  return slash != NULL ? g_strndup (name, slash - name) : g_strdup ("");
}

static const char *
short_name (const char *name)
{
  const char *slash = strrchr (name, '/');

  return slash != NULL ? slash + 1 : name;
}

/* The best track of @type: montype first, then the name list's order, the device of the mean
 * track preferred, more records breaking ties. */
static const TtVitalTrack *
choose_track (const TtVitalFile  *file,
              guint8              type,
              const guint8       *montypes,
              guint               n_montypes,
              const char * const *names,
              const char         *device)
{
  const TtVitalTrack *best = NULL;
  guint best_rank = G_MAXUINT;

  for (guint i = 0; i < file->tracks->len; i++)
    {
      const TtVitalTrack *track = g_ptr_array_index (file->tracks, i);
      guint rank = G_MAXUINT;

      if (!track->kept || track->type != type || track->times->len == 0)
        continue;
      for (guint m = 0; m < n_montypes && rank == G_MAXUINT; m++)
        if (track->montype == montypes[m])
          rank = m;
      for (guint n = 0; names[n] != NULL && rank == G_MAXUINT; n++)
        if (g_str_equal (short_name (track->name), names[n]))
          rank = 10 + n;
      if (rank == G_MAXUINT)
        continue;
      if (device != NULL)
        {
          g_autofree char *own = device_of (track->name);

          if (!g_str_equal (own, device))
            rank += 100;
        }
      if (rank < best_rank || (rank == best_rank && track->times->len > best->times->len))
        {
          best = track;
          best_rank = rank;
        }
    }
  return best;
}

static gboolean
assemble_wave (const TtVitalTrack  *track,
               TtRecording         *recording,
               double               t0,
               GError             **error)
{
  double wave_t0 = G_MAXDOUBLE;
  guint offset = 0;

  for (guint i = 0; i < track->times->len; i++)
    wave_t0 = MIN (wave_t0, g_array_index (track->times, double, i));

  recording->wave_hz = track->srate;
  recording->wave_t0_ms = (gint64) llround ((wave_t0 - t0) * 1000.0);
  g_array_set_size (recording->wave, 0);

  for (guint i = 0; i < track->times->len; i++)
    {
      double t = g_array_index (track->times, double, i);
      guint n = g_array_index (track->counts, guint, i);
      double start = round ((t - wave_t0) * track->srate);
      guint old = recording->wave->len;

      if (start + n > TT_VITAL_MAX_VALUES)
        {
          g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_TOO_LARGE,
                       _("The waveform “%s” spans %.1f h, longer than Titrate reads from one "
                         "file (%u points)"), track->name, (start + n) / track->srate / 3600.0,
                       TT_VITAL_MAX_VALUES);
          return FALSE;
        }
      /* Gaps between records become NAN (invalid); overlapping records overwrite. */
      if ((guint) start + n > old)
        {
          g_array_set_size (recording->wave, (guint) start + n);
          for (guint k = old; k < (guint) start; k++)
            g_array_index (recording->wave, float, k) = NAN;
        }
      memcpy (&g_array_index (recording->wave, float, (guint) start),
              &g_array_index (track->values, float, offset), (gsize) n * sizeof (float));
      offset += n;
    }
  return TRUE;
}

static char *
list_tracks (const TtVitalFile *file)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < file->tracks->len; i++)
    {
      const TtVitalTrack *track = g_ptr_array_index (file->tracks, i);

      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", track->name);
    }
  if (list->len == 0)
    g_string_append (list, _("none"));
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static void
add_string_events (const TtVitalFile *file,
                   TtRecording       *recording,
                   double             t0)
{
  for (guint i = 0; i < file->tracks->len; i++)
    {
      const TtVitalTrack *track = g_ptr_array_index (file->tracks, i);

      if (!track->kept || track->type != TT_VITAL_TRACK_STRING)
        continue;
      for (guint k = 0; k < track->times->len; k++)
        {
          double t = g_array_index (track->times, double, k);

          tt_recording_add_event_label (recording, (gint64) llround ((t - t0) * 1000.0),
                                        g_ptr_array_index (track->strings, k));
        }
    }
}

TtRecording *
tt_vital_file_to_recording (const TtVitalFile  *file,
                            GError            **error)
{
  static const guint8 mean_types[] = { TT_VITAL_MONTYPE_ART_MEAN };
  static const guint8 sys_types[] = { TT_VITAL_MONTYPE_ART_SYS };
  static const guint8 dia_types[] = { TT_VITAL_MONTYPE_ART_DIA };
  static const guint8 hr_types[] = { TT_VITAL_MONTYPE_ECG_HR, TT_VITAL_MONTYPE_PLETH_HR };
  static const guint8 wave_types[] = { TT_VITAL_MONTYPE_ART_WAVE };
  g_autoptr(TtRecording) recording = tt_recording_new ("vital");
  g_autofree char *device = NULL;
  g_autoptr(GArray) map = NULL, sys = NULL, dia = NULL, hr = NULL;
  const TtVitalTrack *mean_track, *wave_track;
  guint sys_i = 0, dia_i = 0, hr_i = 0;
  double t0 = G_MAXDOUBLE;

  mean_track = choose_track (file, TT_VITAL_TRACK_NUMERIC, mean_types, 1, mean_names, NULL);
  device = mean_track != NULL ? device_of (mean_track->name) : NULL;
  wave_track = choose_track (file, TT_VITAL_TRACK_WAVE, wave_types, 1, wave_names, device);
  if (mean_track == NULL && wave_track == NULL)
    {
      g_autofree char *tracks = list_tracks (file);

      g_set_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_NO_PRESSURE,
                   _("The .vital file has no arterial pressure: no track with monitor type 7 "
                     "(arterial mean) or named ABP_MEAN, ART_MBP, ART_MEAN, IBP1_MEAN …, and no "
                     "arterial waveform (ABP, ART, IBP1 …). Its tracks: %s"), tracks);
      return NULL;
    }
  if (mean_track == NULL)
    {
      /* Only the waveform: MAP per beat. */
      double t0w = G_MAXDOUBLE;

      for (guint i = 0; i < wave_track->times->len; i++)
        t0w = MIN (t0w, g_array_index (wave_track->times, double, i));
      recording->start_unix_ms = (gint64) llround (t0w * 1000.0);
      if (!assemble_wave (wave_track, recording, t0w, error) ||
          !tt_recording_map_from_wave (recording, wave_track->name, error))
        return NULL;
      add_string_events (file, recording, t0w);
      return g_steal_pointer (&recording);
    }

  map = sorted_points (mean_track);
  sys = sorted_points (choose_track (file, TT_VITAL_TRACK_NUMERIC, sys_types, 1, sys_names,
                                     device));
  dia = sorted_points (choose_track (file, TT_VITAL_TRACK_NUMERIC, dia_types, 1, dia_names,
                                     device));
  hr = sorted_points (choose_track (file, TT_VITAL_TRACK_NUMERIC, hr_types, 2, hr_names, device));

  if (map->len > 0)
    t0 = g_array_index (map, Point, 0).t;
  if (wave_track != NULL)
    for (guint i = 0; i < wave_track->times->len; i++)
      t0 = MIN (t0, g_array_index (wave_track->times, double, i));

  recording->start_unix_ms = (gint64) llround (t0 * 1000.0);
  recording->map_source = g_strdup (mean_track->name);
  g_array_set_size (recording->samples, 0);
  for (guint i = 0; i < map->len; i++)
    {
      const Point *p = &g_array_index (map, Point, i);
      TtSample sample = tt_sample_init ((gint64) llround ((p->t - t0) * 1000.0), p->v);

      sample.sbp = nearest (sys, &sys_i, p->t);
      sample.dbp = nearest (dia, &dia_i, p->t);
      sample.hr = nearest (hr, &hr_i, p->t);
      g_array_append_val (recording->samples, sample);
    }

  if (wave_track != NULL && !assemble_wave (wave_track, recording, t0, error))
    return NULL;

  add_string_events (file, recording, t0);
  return g_steal_pointer (&recording);
}

TtRecording *
tt_vital_parse (GBytes  *bytes,
                GError **error)
{
  g_autoptr(TtVitalFile) file = tt_vital_file_parse (bytes, error);

  return file != NULL ? tt_vital_file_to_recording (file, error) : NULL;
}

TtRecording *
tt_vital_read (GInputStream  *stream,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(TtVitalFile) file = tt_vital_file_read (stream, cancellable, error);

  return file != NULL ? tt_vital_file_to_recording (file, error) : NULL;
}
