/* tt-wfdb.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tt-wfdb.h"

G_DEFINE_QUARK (tt-wfdb-error-quark, tt_wfdb_error)

/* WFDB's default gain (ADC units per physical unit) where a header gives none or 0. */
#define WFDB_DEFAULT_GAIN 200.0
/* A record sampled at most once a second is a numerics record. */
#define NUMERICS_MAX_HZ 1.0
#define KPA_TO_MMHG 7.50062

/* Signal names, case-insensitive, in order of preference. */
static const char * const wave_names[] = { "ABP", "ART", "AP", "IBP1", "IBP", "ART1", "ABP1", NULL };
static const char * const mean_names[] = {
  "ABPMean", "ABP Mean", "ABPM", "ARTMean", "ART Mean", "ABP_MEAN", "MAP", "IBP1 Mean", NULL
};
static const char * const sys_names[] = {
  "ABPSys", "ABP Sys", "ABPS", "ARTSys", "ART Sys", "ABP_SYS", "IBP1 Sys", NULL
};
static const char * const dia_names[] = {
  "ABPDias", "ABPDia", "ABP Dias", "ABP Dia", "ABPD", "ARTDias", "ARTDia", "ART Dia", "ABP_DIA",
  "IBP1 Dia", NULL
};
static const char * const hr_names[] = { "HR", "PULSE", "Pulse", "PR", NULL };

static void
signal_free (gpointer data)
{
  TtWfdbSignal *signal = data;

  g_free (signal->file_name);
  g_free (signal->units);
  g_free (signal->description);
  g_free (signal);
}

void
tt_wfdb_header_free (TtWfdbHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_clear_pointer (&header->signals, g_ptr_array_unref);
  g_free (header);
}

static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

static gboolean
field_error (GError     **error,
             guint        line,
             const char  *field,
             const char  *value,
             const char  *expected)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
               _("Header line %u, field “%s”: “%s” is not %s"), line, field, valid, expected);
  return FALSE;
}

/* "HH:MM:SS.sss", "MM:SS" or "SS" → milliseconds since midnight. */
static gboolean
parse_time_of_day (const char *text,
                   gint64     *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  double seconds;
  gint64 hours = 0, minutes = 0;

  if (n < 1 || n > 3 || !parse_double (parts[n - 1], &seconds) || seconds < 0 || seconds >= 61)
    return FALSE;
  if (n >= 2 && !parse_int (parts[n - 2], 0, 59, &minutes))
    return FALSE;
  if (n == 3 && !parse_int (parts[0], 0, 23, &hours))
    return FALSE;
  *out = (hours * 3600 + minutes * 60) * 1000 + (gint64) llround (seconds * 1000);
  return TRUE;
}

static gboolean
parse_record_line (TtWfdbHeader  *header,
                   char         **tokens,
                   guint          line,
                   GError       **error)
{
  guint n = g_strv_length (tokens);
  const char *slash;
  gint64 value;

  header->name = g_utf8_make_valid (tokens[0], -1);
  slash = strchr (tokens[0], '/');
  if (slash != NULL)
    {
      if (!parse_int (slash + 1, 1, G_MAXINT, &value))
        return field_error (error, line, _("number of segments"), slash + 1,
                            _("a whole number of at least 1"));
      header->n_segments = value;
    }
  if (n < 2)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
                   _("Header line %u: the record line has no number of signals"), line);
      return FALSE;
    }
  if (!parse_int (tokens[1], 0, TT_WFDB_MAX_SIGNALS, &value))
    return field_error (error, line, _("number of signals"), tokens[1],
                        _("a whole number from 0 to 256"));
  g_ptr_array_set_size (header->signals, 0);
  header->frequency = 250;   /* WFDB's default */
  if (n >= 3)
    {
      /* "fs[/counterfreq[(basecounter)]]" */
      g_autofree char *fs = g_strdup (tokens[2]);
      char *counter = strchr (fs, '/');
      char *paren;

      if (counter != NULL)
        {
          *counter++ = '\0';
          paren = strchr (counter, '(');
          if (paren != NULL)
            *paren = '\0';
          if (!parse_double (counter, &header->counter_frequency) ||
              header->counter_frequency <= 0)
            return field_error (error, line, _("counter frequency"), counter,
                                _("a positive number"));
        }
      if (!parse_double (fs, &header->frequency) || header->frequency <= 0 ||
          header->frequency > 1e6)
        return field_error (error, line, _("sampling frequency"), fs,
                            _("a number of samples per second above 0 and at most 1000000"));
    }
  if (n >= 4)
    {
      if (!parse_int (tokens[3], 0, G_MAXINT64, &value))
        return field_error (error, line, _("number of samples"), tokens[3],
                            _("a whole number of at least 0"));
      header->n_samples = value;
    }
  header->base_time_ms = -1;
  if (n >= 5 && !parse_time_of_day (tokens[4], &header->base_time_ms))
    return field_error (error, line, _("base time"), tokens[4], _("a time HH:MM:SS"));
  if (n >= 6)
    {
      g_auto(GStrv) parts = g_strsplit (tokens[5], "/", -1);
      gint64 d, m, y;

      if (g_strv_length (parts) != 3 || !parse_int (parts[0], 1, 31, &d) ||
          !parse_int (parts[1], 1, 12, &m) || !parse_int (parts[2], 1, 9999, &y))
        return field_error (error, line, _("base date"), tokens[5], _("a date DD/MM/YYYY"));
      header->base_day = d;
      header->base_month = m;
      header->base_year = y;
    }
  (void) value;
  return TRUE;
}

static gboolean
parse_signal_line (TtWfdbHeader  *header,
                   const char    *text,
                   guint          line,
                   GError       **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  TtWfdbSignal *signal = g_new0 (TtWfdbSignal, 1);
  const char *p = text;
  gint64 value;
  char *spec, *plus, *colon, *x;

  g_ptr_array_add (header->signals, signal);
  signal->units = g_strdup ("");
  signal->description = g_strdup ("");
  signal->samples_per_frame = 1;
  signal->gain = WFDB_DEFAULT_GAIN;

  /* Eight whitespace-separated fields, then the description (which may hold spaces). */
  while (fields->len < 8)
    {
      const char *start;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
      g_ptr_array_add (fields, g_strndup (start, p - start));
    }
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    {
      g_free (signal->description);
      signal->description = g_utf8_make_valid (p, -1);
      g_strchomp (signal->description);
    }

  if (fields->len < 2)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
                   _("Header line %u: a signal line needs at least a file name and a format"),
                   line);
      return FALSE;
    }
  signal->file_name = g_utf8_make_valid (g_ptr_array_index (fields, 0), -1);

  /* "format[xsamples][:skew][+offset]" */
  spec = g_ptr_array_index (fields, 1);
  plus = strchr (spec, '+');
  if (plus != NULL)
    {
      *plus++ = '\0';
      if (!parse_int (plus, 0, G_MAXINT64, &value))
        return field_error (error, line, _("byte offset"), plus, _("a whole number of bytes"));
      signal->byte_offset = value;
    }
  colon = strchr (spec, ':');
  if (colon != NULL)
    *colon = '\0';   /* skew: a fraction of a frame, irrelevant to a trend */
  x = strchr (spec, 'x');
  if (x != NULL)
    {
      *x++ = '\0';
      if (!parse_int (x, 1, 1024, &value))
        return field_error (error, line, _("samples per frame"), x,
                            _("a whole number from 1 to 1024"));
      signal->samples_per_frame = value;
    }
  if (!parse_int (spec, 0, 1000, &value))
    return field_error (error, line, _("format"), spec, _("a WFDB format number"));
  signal->format = value;

  if (fields->len >= 3)
    {
      /* "gain[(baseline)][/units]" */
      g_autofree char *gain = g_strdup (g_ptr_array_index (fields, 2));
      char *units = strchr (gain, '/');
      char *paren;
      gboolean has_baseline = FALSE;

      if (units != NULL)
        {
          *units++ = '\0';
          g_free (signal->units);
          signal->units = g_utf8_make_valid (units, -1);
        }
      paren = strchr (gain, '(');
      if (paren != NULL)
        {
          char *close = strchr (paren, ')');

          *paren++ = '\0';
          if (close == NULL || close[1] != '\0')
            return field_error (error, line, _("baseline"), paren, _("a number in parentheses"));
          *close = '\0';
          if (!parse_int (paren, G_MININT32, G_MAXINT32, &value))
            return field_error (error, line, _("baseline"), paren, _("a whole number"));
          signal->baseline = value;
          has_baseline = TRUE;
        }
      if (!parse_double (gain, &signal->gain) || signal->gain < 0)
        return field_error (error, line, _("gain"), gain,
                            _("a number of ADC units per physical unit (0 or more)"));
      if (signal->gain == 0)
        signal->gain = WFDB_DEFAULT_GAIN;
      if (fields->len >= 4 && !parse_int (g_ptr_array_index (fields, 3), 0, 64, &value))
        return field_error (error, line, _("ADC resolution"), g_ptr_array_index (fields, 3),
                            _("a number of bits from 0 to 64"));
      signal->adc_resolution = fields->len >= 4 ? value : 0;
      if (fields->len >= 5)
        {
          if (!parse_int (g_ptr_array_index (fields, 4), G_MININT32, G_MAXINT32, &value))
            return field_error (error, line, _("ADC zero"), g_ptr_array_index (fields, 4),
                                _("a whole number"));
          signal->adc_zero = value;
        }
      if (!has_baseline)
        signal->baseline = signal->adc_zero;
    }
  return TRUE;
}

TtWfdbHeader *
tt_wfdb_header_parse (const char  *text,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(TtWfdbHeader) header = g_new0 (TtWfdbHeader, 1);
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean have_record = FALSE;
  guint n_signals = 0;

  header->signals = g_ptr_array_new_with_free_func (signal_free);
  header->base_time_ms = -1;
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
                   _("Not a WFDB header: it holds binary data (a NUL byte)"));
      return NULL;
    }
  copy = g_strndup (text, len);
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL && (!have_record || header->signals->len < n_signals); i++)
    {
      char *l = g_strstrip (lines[i]);

      if (*l == '\0' || *l == '#')
        continue;
      if (!have_record)
        {
          g_auto(GStrv) tokens = g_strsplit_set (l, " \t", -1);
          g_autoptr(GPtrArray) nonempty = g_ptr_array_new ();

          for (guint k = 0; tokens[k] != NULL; k++)
            if (*tokens[k] != '\0')
              g_ptr_array_add (nonempty, tokens[k]);
          g_ptr_array_add (nonempty, NULL);
          if (!parse_record_line (header, (char **) nonempty->pdata, i + 1, error))
            return NULL;
          have_record = TRUE;
          n_signals = g_ascii_strtoull (((char **) nonempty->pdata)[1], NULL, 10);
          if (header->n_segments > 0)
            {
              g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_UNSUPPORTED,
                           _("“%s” is a multi-segment record (%u segments); open the header of "
                             "one of its segments instead"), header->name, header->n_segments);
              return NULL;
            }
          continue;
        }
      if (!parse_signal_line (header, l, i + 1, error))
        return NULL;
    }
  if (!have_record)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
                   _("Not a WFDB header: it has no record line"));
      return NULL;
    }
  if (header->signals->len < n_signals)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER,
                   _("The header of “%s” declares %u signals but describes %u"),
                   header->name, n_signals, header->signals->len);
      return NULL;
    }
  return g_steal_pointer (&header);
}

int
tt_wfdb_header_find_signal (const TtWfdbHeader *header,
                            const char * const *names)
{
  for (guint n = 0; names[n] != NULL; n++)
    for (guint i = 0; i < header->signals->len; i++)
      {
        const TtWfdbSignal *signal = g_ptr_array_index (header->signals, i);

        if (g_ascii_strcasecmp (signal->description, names[n]) == 0)
          return i;
      }
  return -1;
}

gboolean
tt_wfdb_header_is_numerics (const TtWfdbHeader *header)
{
  return header->frequency <= NUMERICS_MAX_HZ;
}

static guint
bits_per_sample (guint format)
{
  switch (format)
    {
    case 16:
      return 16;
    case 80:
      return 8;
    case 212:
      return 12;
    default:
      return 0;
    }
}

/* The raw sample number @k (counting across the interleaved signals of a file) of format 212:
 * two 12-bit samples packed in three bytes. */
static inline int
raw_sample_212 (const guint8 *data,
                guint64       k)
{
  const guint8 *p = data + (k / 2) * 3;
  int v = (k % 2 == 0) ? (p[0] | ((p[1] & 0x0f) << 8)) : (p[2] | ((p[1] & 0xf0) << 4));

  return v >= 2048 ? v - 4096 : v;
}

/* A raw sample in physical units: NAN for the format's invalid value and, in a numerics record,
 * for zero (not measured). */
static inline float
physical (const TtWfdbSignal *signal,
          int                 raw,
          int                 invalid,
          gboolean            numerics)
{
  if (raw == invalid || (numerics && raw == signal->baseline))
    return NAN;
  return (raw - signal->baseline) / signal->gain;
}

GArray *
tt_wfdb_read_signal (const TtWfdbHeader  *header,
                     guint                index,
                     GBytes              *dat,
                     GError             **error)
{
  const TtWfdbSignal *signal;
  g_autoptr(GArray) values = NULL;
  guint group_width = 0, position = 0, bits;
  guint64 n_frames, available, declared;
  gsize len;
  const guint8 *data;
  gboolean numerics = tt_wfdb_header_is_numerics (header);

  g_return_val_if_fail (index < header->signals->len, NULL);
  signal = g_ptr_array_index (header->signals, index);
  bits = bits_per_sample (signal->format);
  if (bits == 0)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_UNSUPPORTED,
                   _("Signal “%s” is stored in WFDB format %u; Titrate reads formats 16, 80 and "
                     "212"), signal->description, signal->format);
      return NULL;
    }

  /* The signals that share this file are interleaved frame by frame, in header order. */
  for (guint i = 0; i < header->signals->len; i++)
    {
      const TtWfdbSignal *other = g_ptr_array_index (header->signals, i);

      if (!g_str_equal (other->file_name, signal->file_name))
        continue;
      if (other->format != signal->format || other->byte_offset != signal->byte_offset)
        {
          g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_UNSUPPORTED,
                       _("Signals “%s” and “%s” share the file “%s” with different formats or "
                         "offsets"), signal->description, other->description, signal->file_name);
          return NULL;
        }
      if (i < index)
        position += other->samples_per_frame;
      group_width += other->samples_per_frame;
    }

  data = g_bytes_get_data (dat, &len);
  if (signal->byte_offset > len)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_DATA,
                   _("The signal file “%s” has %zu bytes, fewer than the byte "
                     "offset %" PRIu64 " its header gives"), signal->file_name, len,
                   signal->byte_offset);
      return NULL;
    }
  data += signal->byte_offset;
  len -= signal->byte_offset;
  /* Whole frames present in the file; a shorter file than declared is read as far as it goes. */
  available = (guint64) len * 8 / bits / group_width;
  declared = header->n_samples > 0 ? header->n_samples : available;
  n_frames = MIN (available, declared);
  if (n_frames * signal->samples_per_frame > TT_WFDB_MAX_FRAMES)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_DATA,
                   _("The record “%s” has %" PRIu64 " frames, more than the %u Titrate "
                     "reads"), header->name, n_frames, TT_WFDB_MAX_FRAMES);
      return NULL;
    }

  values = g_array_sized_new (FALSE, FALSE, sizeof (float),
                              (guint) n_frames * signal->samples_per_frame);
  g_array_set_size (values, (guint) n_frames * signal->samples_per_frame);
  {
    float *out = (float *) (gpointer) values->data;
    guint spf = signal->samples_per_frame;

    /* Formats 80 and 16 step a pointer through the frames (one frame = group_width samples);
     * indexing every sample by f * group_width + position + s made decoding twice as slow. */
    if (signal->format == 80)
      {
        /* One byte per sample: a table of the 256 physical values makes decoding a lookup. */
        const guint8 *in = data + position;
        float table[256];

        for (int b = 0; b < 256; b++)
          table[b] = physical (signal, b - 128, -128, numerics);
        if (spf == 1)
          {
            guint64 f = 0;

            /* Four frames a turn: the loads no longer wait on the previous store (2.3× faster
             * where the output and input buffers alias in the cache). */
            for (; f + 4 <= n_frames; f += 4, in += 4 * (gsize) group_width)
              {
                float a = table[in[0]], b = table[in[group_width]];
                float c = table[in[2 * group_width]], d = table[in[3 * group_width]];

                out[f] = a;
                out[f + 1] = b;
                out[f + 2] = c;
                out[f + 3] = d;
              }
            for (; f < n_frames; f++, in += group_width)
              out[f] = table[*in];
          }
        else
          for (guint64 f = 0; f < n_frames; f++, in += group_width)
            for (guint s = 0; s < spf; s++)
              *out++ = table[in[s]];
      }
    else if (signal->format == 16)
      {
        const guint8 *in = data + 2 * (gsize) position;

        for (guint64 f = 0; f < n_frames; f++, in += 2 * (gsize) group_width)
          for (guint s = 0; s < spf; s++)
            *out++ = physical (signal, (gint16) (in[2 * s] | (in[2 * s + 1] << 8)), -32768,
                               numerics);
      }
    else
      {
        for (guint64 f = 0; f < n_frames; f++)
          for (guint s = 0; s < spf; s++)
            *out++ = physical (signal, raw_sample_212 (data, f * group_width + position + s),
                               -2048, numerics);
      }
  }
  return g_steal_pointer (&values);
}

/* Pressures in mmHg: kPa converted, anything else refused. */
static gboolean
pressure_scale (const TtWfdbSignal  *signal,
                double              *scale,
                GError             **error)
{
  if (signal->units[0] == '\0' || g_ascii_strcasecmp (signal->units, "mmHg") == 0)
    *scale = 1.0;
  else if (g_ascii_strcasecmp (signal->units, "kPa") == 0)
    *scale = KPA_TO_MMHG;
  else
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_DATA,
                   _("Signal “%s” is in “%s”; an arterial pressure must be in mmHg or kPa"),
                   signal->description, signal->units);
      return FALSE;
    }
  return TRUE;
}

typedef GBytes *(*DatLookup) (const char  *file_name,
                              gpointer     user_data,
                              GError     **error);

static GArray *
read_named (const TtWfdbHeader  *header,
            int                  index,
            gboolean             pressure,
            DatLookup            lookup,
            gpointer             user_data,
            GError             **error)
{
  const TtWfdbSignal *signal;
  g_autoptr(GBytes) dat = NULL;
  g_autoptr(GArray) values = NULL;
  double scale = 1.0;

  if (index < 0)
    return g_array_new (FALSE, FALSE, sizeof (float));
  signal = g_ptr_array_index (header->signals, index);
  if (signal->samples_per_frame != 1)
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_UNSUPPORTED,
                   _("Signal “%s” has %u samples per frame; Titrate reads one"),
                   signal->description, signal->samples_per_frame);
      return NULL;
    }
  if (pressure && !pressure_scale (signal, &scale, error))
    return NULL;
  dat = lookup (signal->file_name, user_data, error);
  if (dat == NULL)
    return NULL;
  values = tt_wfdb_read_signal (header, index, dat, error);
  if (values != NULL && scale != 1.0)
    for (guint i = 0; i < values->len; i++)
      g_array_index (values, float, i) *= scale;
  return g_steal_pointer (&values);
}

static double
value_at (GArray *values,
          guint   i)
{
  return i < values->len ? g_array_index (values, float, i) : NAN;
}

static gint64
frame_ms (const TtWfdbHeader *header,
          guint64             frame)
{
  return (gint64) llround (frame * 1000.0 / header->frequency);
}

static TtRecording *
to_recording (const TtWfdbHeader  *header,
              DatLookup            lookup,
              gpointer             user_data,
              GError             **error)
{
  g_autoptr(TtRecording) recording = tt_recording_new ("wfdb");
  int mean_i = tt_wfdb_header_find_signal (header, mean_names);
  int wave_i = tt_wfdb_header_find_signal (header, wave_names);

  if (header->base_year > 0 && header->base_time_ms >= 0)
    {
      g_autoptr(GDateTime) date = g_date_time_new_utc (header->base_year, header->base_month,
                                                       header->base_day, 0, 0, 0);

      if (date != NULL)
        recording->start_unix_ms = g_date_time_to_unix (date) * 1000 + header->base_time_ms;
    }

  if (mean_i >= 0)
    {
      g_autoptr(GArray) map = NULL, sys = NULL, dia = NULL, hr = NULL;
      const TtWfdbSignal *signal = g_ptr_array_index (header->signals, mean_i);

      if ((map = read_named (header, mean_i, TRUE, lookup, user_data, error)) == NULL ||
          (sys = read_named (header, tt_wfdb_header_find_signal (header, sys_names), TRUE,
                             lookup, user_data, error)) == NULL ||
          (dia = read_named (header, tt_wfdb_header_find_signal (header, dia_names), TRUE,
                             lookup, user_data, error)) == NULL ||
          (hr = read_named (header, tt_wfdb_header_find_signal (header, hr_names), FALSE,
                            lookup, user_data, error)) == NULL)
        return NULL;
      recording->map_source = g_strdup (signal->description);
      for (guint i = 0; i < map->len; i++)
        {
          TtSample sample;

          /* No MAP in this frame (absent in a numerics record, or invalid): no sample. */
          if (isnan (value_at (map, i)))
            continue;
          sample = tt_sample_init (frame_ms (header, i), value_at (map, i));
          sample.sbp = value_at (sys, i);
          sample.dbp = value_at (dia, i);
          sample.hr = value_at (hr, i);
          g_array_append_val (recording->samples, sample);
        }
    }

  if (wave_i >= 0 && !tt_wfdb_header_is_numerics (header))
    {
      g_autoptr(GArray) wave = read_named (header, wave_i, TRUE, lookup, user_data, error);

      if (wave == NULL)
        return NULL;
      g_array_unref (recording->wave);
      recording->wave = g_steal_pointer (&wave);
      recording->wave_hz = header->frequency;
      recording->wave_t0_ms = 0;
    }

  if (mean_i < 0 && recording->wave->len == 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < header->signals->len; i++)
        {
          const TtWfdbSignal *signal = g_ptr_array_index (header->signals, i);

          g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", signal->description);
        }
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_NO_PRESSURE,
                   _("The record “%s” has no arterial pressure signal (ABP, ART, AP, ABPMean …); "
                     "its signals: %s"), header->name, names->len > 0 ? names->str : _("none"));
      return NULL;
    }
  /* Only the waveform: MAP per beat. */
  if (mean_i < 0 &&
      !tt_recording_map_from_wave (recording,
                                   ((TtWfdbSignal *) g_ptr_array_index (header->signals,
                                                                        wave_i))->description,
                                   error))
    return NULL;
  return g_steal_pointer (&recording);
}

static GBytes *
single_lookup (const char  *file_name,
               gpointer     user_data,
               GError     **error)
{
  return g_bytes_ref (user_data);
}

TtRecording *
tt_wfdb_parse (GBytes  *header_bytes,
               GBytes  *dat,
               GError **error)
{
  g_autoptr(TtWfdbHeader) header = NULL;
  gsize len;
  const char *text = g_bytes_get_data (header_bytes, &len);

  header = tt_wfdb_header_parse (text != NULL ? text : "", len, error);
  if (header == NULL)
    return NULL;
  return to_recording (header, single_lookup, dat, error);
}

typedef struct {
  GFile        *folder;
  GCancellable *cancellable;
  GHashTable   *loaded;   /* file name → GBytes */
} FileLookup;

static GBytes *
file_lookup (const char  *file_name,
             gpointer     user_data,
             GError     **error)
{
  FileLookup *self = user_data;
  g_autoptr(GFile) file = NULL;
  GBytes *bytes;

  bytes = g_hash_table_lookup (self->loaded, file_name);
  if (bytes != NULL)
    return g_bytes_ref (bytes);
  /* Signal files live beside the header; a name reaching elsewhere is refused. */
  if (strchr (file_name, '/') != NULL || strchr (file_name, '\\') != NULL ||
      g_str_equal (file_name, "..") || g_str_equal (file_name, "."))
    {
      g_set_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_FILE,
                   _("The signal file “%s” is not a plain file name beside the header"),
                   file_name);
      return NULL;
    }
  file = g_file_get_child (self->folder, file_name);
  bytes = g_file_load_bytes (file, self->cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  g_hash_table_insert (self->loaded, g_strdup (file_name), g_bytes_ref (bytes));
  return bytes;
}

TtRecording *
tt_wfdb_load_file (const char    *header_path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (header_path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GHashTable) loaded = NULL;
  FileLookup lookup;
  gsize len;
  const char *text;

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &len);
  header = tt_wfdb_header_parse (text != NULL ? text : "", len, error);
  if (header == NULL)
    return NULL;
  loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_bytes_unref);
  lookup = (FileLookup) { g_file_get_parent (file), cancellable, loaded };
  {
    TtRecording *recording = to_recording (header, file_lookup, &lookup, error);

    g_object_unref (lookup.folder);
    return recording;
  }
}
