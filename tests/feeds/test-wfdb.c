/* test-wfdb.c: the WFDB reader against the MIMIC-II records and hand-made headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>

#include "tt-test-feeds.h"
#include "tt-wfdb.h"

static void
test_waveform_header (void)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes ("wfdb/mimic2_s00001/3975656_0015.hea");
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GError) error = NULL;
  const TtWfdbSignal *abp;
  gsize len;
  const char *text;

  if (bytes == NULL)
    return;
  text = g_bytes_get_data (bytes, &len);
  header = tt_wfdb_header_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header->name, ==, "3975656_0015");
  g_assert_cmpuint (header->signals->len, ==, 3);
  g_assert_cmpfloat (header->frequency, ==, 125);
  g_assert_cmpuint (header->n_samples, ==, 37500);
  g_assert_cmpint (header->base_time_ms, ==, (8 * 3600 + 39 * 60 + 12) * 1000 + 811);
  g_assert_false (tt_wfdb_header_is_numerics (header));
  g_assert_cmpint (tt_wfdb_header_find_signal (header, (const char *[]) { "abp", NULL }), ==, 2);
  abp = g_ptr_array_index (header->signals, 2);
  g_assert_cmpstr (abp->file_name, ==, "3975656_0015.dat");
  g_assert_cmpuint (abp->format, ==, 80);
  g_assert_cmpfloat (abp->gain, ==, 0.833333);
  g_assert_cmpfloat (abp->baseline, ==, -100);
  g_assert_cmpstr (abp->units, ==, "mmHg");
  g_assert_cmpint (abp->adc_resolution, ==, 8);
  g_assert_cmpstr (abp->description, ==, "ABP");
  g_assert_cmpstr (((TtWfdbSignal *) g_ptr_array_index (header->signals, 0))->units, ==, "mV");
  g_assert_cmpfloat (((TtWfdbSignal *) g_ptr_array_index (header->signals, 1))->gain, ==, 55);
}

static void
test_waveform_record (void)
{
  g_autofree char *path = tt_test_shared_file ("wfdb/mimic2_s00001/3975656_0015.hea");
  g_autoptr(GBytes) hea = NULL, dat = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GArray) abp = NULL;
  g_autoptr(GError) error = NULL;
  double sum = 0, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  gsize len;
  const char *text;

  if (path == NULL)
    return;
  hea = tt_test_shared_bytes ("wfdb/mimic2_s00001/3975656_0015.hea");
  dat = tt_test_shared_bytes ("wfdb/mimic2_s00001/3975656_0015.dat");
  text = g_bytes_get_data (hea, &len);
  header = tt_wfdb_header_parse (text, len, &error);
  g_assert_no_error (error);
  abp = tt_wfdb_read_signal (header, 2, dat, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (abp->len, ==, 37500);
  for (guint i = 0; i < abp->len; i++)
    {
      double v = g_array_index (abp, float, i);

      g_assert_false (isnan (v));
      sum += v;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  /* The README's figures: a 5-minute mean of about 95 mmHg, range −3.6 to 270 (artifacts). */
  g_assert_cmpfloat_with_epsilon (sum / abp->len, 95.114, 0.001);
  g_assert_cmpfloat_with_epsilon (lo, -3.6, 0.001);
  g_assert_cmpfloat_with_epsilon (hi, 270.0, 0.001);
  /* Raw 0 is (0 + 100) / 0.833333 = 120.000048 mmHg. */
  g_assert_cmpfloat_with_epsilon (g_array_index (abp, float, 0),
                                  ((int) ((const guint8 *) g_bytes_get_data (dat, NULL))[2] - 128
                                   + 100) / 0.833333, 1e-4);
}

/* A waveform record without numerics: MAP per beat from the engine's beat detector. */
static void
test_waveform_beats (void)
{
  g_autofree char *path = tt_test_shared_file ("wfdb/mimic2_s00001/3975656_0015.hea");
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  double all = 0, valid = 0, valid_ms = 0, hr = 0;
  guint n_valid = 0;
  gint64 span;

  if (path == NULL)
    return;
  rec = tt_wfdb_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->map_source, ==, "ABP (beats)");
  g_assert_cmpfloat (rec->wave_hz, ==, 125);
  g_assert_cmpuint (rec->wave->len, ==, 37500);
  /* About one beat a second for 5 minutes. */
  g_assert_cmpuint (rec->samples->len, >=, 280);
  g_assert_cmpuint (rec->samples->len, <=, 330);
  for (guint i = 0; i + 1 < rec->samples->len; i++)
    {
      const TtSample *s = &g_array_index (rec->samples, TtSample, i);
      double d = (s + 1)->t_ms - s->t_ms;

      all += s->map * d;
      if (s->quality == TT_QUALITY_VALID)
        {
          valid += s->map * d;
          valid_ms += d;
          hr += s->hr;
          n_valid++;
        }
    }
  span = g_array_index (rec->samples, TtSample, rec->samples->len - 1).t_ms -
         g_array_index (rec->samples, TtSample, 0).t_ms;
  /* Each beat's MAP is the mean of its points: weighted by duration they give the waveform's
   * 5-minute mean of about 95 mmHg; without the flagged beats (the flush) a little more. */
  g_assert_cmpfloat_with_epsilon (all / span, 95.1, 1.0);
  g_assert_cmpfloat_with_epsilon (valid / valid_ms, 95.0, 3.0);
  g_assert_cmpuint (n_valid, >, rec->samples->len * 9 / 10);
  g_assert_cmpfloat_with_epsilon (hr / n_valid, 60, 5);
}

static void
test_numerics_record (void)
{
  g_autofree char *path = tt_test_shared_file ("wfdb/mimic2_s00001/s00001-2896-10-10-00-31n.hea");
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  const TtSample *s;
  g_autoptr(GDateTime) start = NULL;

  if (path == NULL)
    return;
  rec = tt_wfdb_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->format, ==, "wfdb");
  g_assert_cmpstr (rec->map_source, ==, "ABPMean");
  g_assert_cmpuint (rec->wave->len, ==, 0);
  /* ABPMean is 0 (no arterial line) for 1,923 minutes: absent, so no samples there; the line
   * reads from minute 1923 on, minute 1926 excepted. */
  g_assert_cmpuint (rec->samples->len, ==, 8);
  s = &g_array_index (rec->samples, TtSample, 0);
  g_assert_cmpint (s->t_ms, ==, 1923 * 60000);
  g_assert_cmpfloat_with_epsilon (s->map, 25.3, 1e-5);
  g_assert_true (isnan (s->sbp));
  g_assert_true (isnan (s->dbp));
  g_assert_cmpfloat_with_epsilon (s->hr, 60.1, 1e-5);
  s = &g_array_index (rec->samples, TtSample, 1);
  g_assert_cmpint (s->t_ms, ==, 1924 * 60000);
  g_assert_cmpfloat_with_epsilon (s->map, 76.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (s->sbp, 129.3, 1e-5);
  g_assert_cmpfloat_with_epsilon (s->dbp, 59.3, 1e-5);
  g_assert_cmpfloat_with_epsilon (s->hr, 59.6, 1e-5);
  g_assert_cmpint (g_array_index (rec->samples, TtSample, 3).t_ms, ==, 1927 * 60000);
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->samples, TtSample, 7).map, 90.2, 1e-5);
  for (guint i = 0; i < rec->samples->len; i++)
    g_assert_cmpfloat (g_array_index (rec->samples, TtSample, i).map, >, 0);

  /* 10/10/2896 00:31:25.894 UTC (the dates are shifted for de-identification). */
  start = g_date_time_new_utc (2896, 10, 10, 0, 31, 25.894);
  g_assert_cmpint (rec->start_unix_ms, ==, g_date_time_to_unix (start) * 1000 + 894);
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Format 212 (two 12-bit samples in three bytes) and 16, multi-signal, kPa, invalid values. */
static void
test_format_212 (void)
{
  g_autoptr(GBytes) hea = text_bytes ("# a comment\r\n"
                                      "rec 2 100 3\r\n"
                                      "rec.dat 212 10(-20)/kPa 12 0 0 0 0 ART\r\n"
                                      "rec.dat 212 2/bpm 12 0 0 0 0 HR\r\n");
  /* Samples: ART 100, HR 130, ART -2048 (invalid), HR 4, ART 2047, HR -1. */
  const int raw[6] = { 100, 130, -2048, 4, 2047, -1 };
  guint8 data[9];
  g_autoptr(GBytes) dat = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GArray) art = NULL, hr = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text = g_bytes_get_data (hea, &len);

  for (int i = 0; i < 3; i++)
    {
      int a = raw[2 * i] & 0xfff, b = raw[2 * i + 1] & 0xfff;

      data[3 * i] = a & 0xff;
      data[3 * i + 1] = ((a >> 8) & 0x0f) | ((b >> 4) & 0xf0);
      data[3 * i + 2] = b & 0xff;
    }
  dat = g_bytes_new (data, sizeof data);
  header = tt_wfdb_header_parse (text, len, &error);
  g_assert_no_error (error);
  art = tt_wfdb_read_signal (header, 0, dat, &error);
  g_assert_no_error (error);
  hr = tt_wfdb_read_signal (header, 1, dat, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (art->len, ==, 3);
  g_assert_cmpfloat (g_array_index (art, float, 0), ==, 12);        /* (100 + 20) / 10 kPa */
  g_assert_true (isnan (g_array_index (art, float, 1)));
  g_assert_cmpfloat (g_array_index (art, float, 2), ==, 206.7f);
  g_assert_cmpfloat (g_array_index (hr, float, 0), ==, 65);
  g_assert_cmpfloat (g_array_index (hr, float, 1), ==, 2);
  g_assert_cmpfloat (g_array_index (hr, float, 2), ==, -0.5);
}

/* Format 80 (one offset byte per sample) over frame counts that are and are not a multiple of
 * the decoder's four-frame step, with a signal of two samples per frame beside it. */
static void
test_format_80 (void)
{
  /* ECG (2 samples a frame) and ABP interleaved: E E A, seven frames. */
  g_autoptr(GBytes) hea = text_bytes ("rec 2 125 7\n"
                                      "rec.dat 80x2 200/mV 8 0 0 0 0 ECG\n"
                                      "rec.dat 80 2(-100)/mmHg 8 0 0 0 0 ABP\n");
  guint8 data[21];
  g_autoptr(GBytes) dat = NULL;
  g_autoptr(GBytes) short_dat = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text = g_bytes_get_data (hea, &len);

  for (int f = 0; f < 7; f++)
    {
      data[3 * f] = 128 + 20 * f;       /* ECG: 0.1 mV steps */
      data[3 * f + 1] = 128 - 20 * f;
      data[3 * f + 2] = 128 + 10 * f;   /* ABP: (raw + 100) / 2 = 50, 55, … 80 mmHg */
    }
  data[3 * 4 + 2] = 0;                  /* raw -128: invalid */
  dat = g_bytes_new (data, sizeof data);
  short_dat = g_bytes_new (data, 4 * 3 + 2);   /* four whole frames and part of a fifth */
  header = tt_wfdb_header_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((TtWfdbSignal *) g_ptr_array_index (header->signals, 0))->samples_per_frame,
                    ==, 2);

  {
    g_autoptr(GArray) abp = tt_wfdb_read_signal (header, 1, dat, &error);
    g_autoptr(GArray) ecg = tt_wfdb_read_signal (header, 0, dat, &error);
    const float expected[7] = { 50, 55, 60, 65, NAN, 75, 80 };

    g_assert_no_error (error);
    g_assert_cmpuint (abp->len, ==, 7);
    for (int f = 0; f < 7; f++)
      if (isnan (expected[f]))
        g_assert_true (isnan (g_array_index (abp, float, f)));
      else
        g_assert_cmpfloat (g_array_index (abp, float, f), ==, expected[f]);
    g_assert_cmpuint (ecg->len, ==, 14);
    g_assert_cmpfloat (g_array_index (ecg, float, 12), ==, 0.6f);
    g_assert_cmpfloat (g_array_index (ecg, float, 13), ==, -0.6f);
  }
  {
    g_autoptr(GArray) abp = tt_wfdb_read_signal (header, 1, short_dat, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (abp->len, ==, 4);
    g_assert_cmpfloat (g_array_index (abp, float, 3), ==, 65);
  }
}

static void
test_format_16_recording (void)
{
  /* A numerics record in kPa whose MAP is converted to mmHg; the file is one frame short. */
  g_autoptr(GBytes) hea = text_bytes ("num 2 1 4 10:00:00 01/02/2024\n"
                                      "num.dat 16 100/kPa 16 0 0 0 0 ABP Mean\n"
                                      "num.dat 16 1/bpm 16 0 0 0 0 HR\n");
  const gint16 raw[6] = { 1200, 70, 0, 72, -32768, 0 };
  g_autoptr(GBytes) dat = NULL;
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  guint8 data[12];

  for (int i = 0; i < 6; i++)
    {
      data[2 * i] = (guint16) raw[i] & 0xff;
      data[2 * i + 1] = (guint16) raw[i] >> 8;
    }
  dat = g_bytes_new (data, sizeof data);
  rec = tt_wfdb_parse (hea, dat, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->map_source, ==, "ABP Mean");
  g_assert_cmpuint (rec->samples->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->samples, TtSample, 0).map, 12 * 7.50062,
                                  1e-4);
  g_assert_cmpfloat (g_array_index (rec->samples, TtSample, 0).hr, ==, 70);
  g_assert_cmpint (rec->start_unix_ms, ==, 1706781600000);
}

static void
assert_header_error (const char *text, int code, const char *message)
{
  g_autoptr(TtWfdbHeader) header = NULL;
  g_autoptr(GError) error = NULL;

  header = tt_wfdb_header_parse (text, strlen (text), &error);
  g_assert_null (header);
  g_assert_error (error, TT_WFDB_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad_headers (void)
{
  assert_header_error ("", TT_WFDB_ERROR_HEADER, "Not a WFDB header: it has no record line");
  assert_header_error ("rec abc 125\n", TT_WFDB_ERROR_HEADER,
                       "Header line 1, field “number of signals”: “abc” is not a whole number "
                       "from 0 to 256");
  assert_header_error ("rec 99999999999 125\n", TT_WFDB_ERROR_HEADER,
                       "Header line 1, field “number of signals”: “99999999999” is not a whole "
                       "number from 0 to 256");
  assert_header_error ("rec 1 -5\n", TT_WFDB_ERROR_HEADER,
                       "Header line 1, field “sampling frequency”: “-5” is not a number of "
                       "samples per second above 0 and at most 1000000");
  assert_header_error ("rec 2 125 100\nrec.dat 16 200/mmHg 16 0 0 0 0 ABP\n", TT_WFDB_ERROR_HEADER,
                       "The header of “rec” declares 2 signals but describes 1");
  assert_header_error ("rec 1 125\nrec.dat 16 x/mmHg\n", TT_WFDB_ERROR_HEADER,
                       "Header line 2, field “gain”: “x” is not a number of ADC units per "
                       "physical unit (0 or more)");
  assert_header_error ("rec 1 125\nrec.dat 16 200(12/mmHg\n", TT_WFDB_ERROR_HEADER,
                       "Header line 2, field “baseline”: “12” is not a number in parentheses");
  assert_header_error ("multi/3 2 125 1000\n", TT_WFDB_ERROR_UNSUPPORTED,
                       "“multi/3” is a multi-segment record (3 segments); open the header of one "
                       "of its segments instead");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tt_wfdb_header_parse ("rec 1\0 1", 8, &error));
    g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_HEADER);
    g_assert_cmpstr (error->message, ==, "Not a WFDB header: it holds binary data (a NUL byte)");
  }
}

static void
test_bad_data (void)
{
  g_autoptr(GBytes) hea = text_bytes ("rec 1 125 10\nrec.dat 310 200/mmHg 10 0 0 0 0 ABP\n");
  g_autoptr(GBytes) hea2 = text_bytes ("rec 1 125 10\nrec.dat 16+100 200/mmHg 16 0 0 0 0 ABP\n");
  g_autoptr(GBytes) hea3 = text_bytes ("rec 1 125 10\nrec.dat 16 200/mV 16 0 0 0 0 ECG\n");
  g_autoptr(GBytes) hea4 = text_bytes ("rec 1 125 10\nrec.dat 16 200/mV 16 0 0 0 0 ABP\n");
  g_autoptr(GBytes) dat = g_bytes_new_static ("\1\2\3\4", 4);
  g_autoptr(GError) error = NULL;
  TtRecording *rec;

  rec = tt_wfdb_parse (hea, dat, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "Signal “ABP” is stored in WFDB format 310; Titrate reads formats 16, 80 and 212");
  g_clear_error (&error);
  rec = tt_wfdb_parse (hea2, dat, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_DATA);
  g_assert_cmpstr (error->message, ==,
                   "The signal file “rec.dat” has 4 bytes, fewer than the byte offset 100 its "
                   "header gives");
  g_clear_error (&error);
  rec = tt_wfdb_parse (hea3, dat, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_NO_PRESSURE);
  g_assert_cmpstr (error->message, ==,
                   "The record “rec” has no arterial pressure signal (ABP, ART, AP, ABPMean …); "
                   "its signals: ECG");
  g_clear_error (&error);
  rec = tt_wfdb_parse (hea4, dat, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_DATA);
  g_assert_cmpstr (error->message, ==,
                   "Signal “ABP” is in “mV”; an arterial pressure must be in mmHg or kPa");
}

static void
test_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-wfdb-XXXXXX", NULL);
  g_autofree char *hea = g_build_filename (dir, "rec.hea", NULL);
  g_autofree char *evil = g_build_filename (dir, "evil.hea", NULL);
  g_autoptr(GError) error = NULL;
  TtRecording *rec;

  g_assert_true (g_file_set_contents (hea, "rec 1 1 10\nrec.dat 16 10/mmHg 16 0 0 0 0 ABPMean\n",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (evil, "evil 1 1 10\n../x.dat 16 10/mmHg 16 0 0 0 0 MAP\n",
                                      -1, NULL));
  rec = tt_wfdb_load_file (hea, NULL, &error);
  g_assert_null (rec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  rec = tt_wfdb_load_file (evil, NULL, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_WFDB_ERROR, TT_WFDB_ERROR_FILE);
  g_assert_cmpstr (error->message, ==,
                   "The signal file “../x.dat” is not a plain file name beside the header");
  g_unlink (hea);
  g_unlink (evil);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wfdb/waveform-header", test_waveform_header);
  g_test_add_func ("/wfdb/waveform-record", test_waveform_record);
  g_test_add_func ("/wfdb/waveform-beats", test_waveform_beats);
  g_test_add_func ("/wfdb/numerics-record", test_numerics_record);
  g_test_add_func ("/wfdb/format-212", test_format_212);
  g_test_add_func ("/wfdb/format-80", test_format_80);
  g_test_add_func ("/wfdb/format-16-recording", test_format_16_recording);
  g_test_add_func ("/wfdb/bad-headers", test_bad_headers);
  g_test_add_func ("/wfdb/bad-data", test_bad_data);
  g_test_add_func ("/wfdb/missing-file", test_missing_file);

  return g_test_run ();
}
