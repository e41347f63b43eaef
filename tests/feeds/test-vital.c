/* test-vital.c: the .vital reader against the IntelliVue demo recordings and hand-made files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-test-feeds.h"
#include "tt-vital.h"

/* A tiny .vital writer for the hand-made cases. */
static void
put_u8 (GByteArray *b, guint8 v)
{
  g_byte_array_append (b, &v, 1);
}

static void
put_u16 (GByteArray *b, guint16 v)
{
  v = GUINT16_TO_LE (v);
  g_byte_array_append (b, (guint8 *) &v, 2);
}

static void
put_u32 (GByteArray *b, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (b, (guint8 *) &v, 4);
}

static void
put_f32 (GByteArray *b, float f)
{
  guint32 v;

  memcpy (&v, &f, 4);
  put_u32 (b, v);
}

static void
put_f64 (GByteArray *b, double d)
{
  guint64 v;

  memcpy (&v, &d, 8);
  v = GUINT64_TO_LE (v);
  g_byte_array_append (b, (guint8 *) &v, 8);
}

static void
put_str (GByteArray *b, const char *s)
{
  put_u32 (b, strlen (s));
  g_byte_array_append (b, (const guint8 *) s, strlen (s));
}

static void
put_packet (GByteArray *file, guint8 type, GByteArray *body)
{
  put_u8 (file, type);
  put_u32 (file, body->len);
  g_byte_array_append (file, body->data, body->len);
}

static GByteArray *
new_file (void)
{
  GByteArray *b = g_byte_array_new ();

  g_byte_array_append (b, (const guint8 *) "VITA", 4);
  put_u32 (b, 3);
  put_u16 (b, 10);
  for (int i = 0; i < 10; i++)
    put_u8 (b, 0);
  return b;
}

static void
add_device (GByteArray *file, guint32 did, const char *name)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  put_u32 (body, did);
  put_str (body, name);
  put_str (body, name);
  put_packet (file, 9, body);
}

/* A full track description; @full FALSE stops after the name (every later field is optional). */
static void
add_track (GByteArray *file, guint16 tid, guint8 type, guint8 fmt, const char *name,
           double srate, double gain, double offset, guint8 montype, guint32 did, gboolean full)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  put_u16 (body, tid);
  put_u8 (body, type);
  put_u8 (body, fmt);
  put_str (body, name);
  if (full)
    {
      put_str (body, "mmHg");
      put_f32 (body, 0);
      put_f32 (body, 300);
      put_u32 (body, 0xff0000);
      put_f32 (body, srate);
      put_f64 (body, gain);
      put_f64 (body, offset);
      put_u8 (body, montype);
      put_u32 (body, did);
    }
  put_packet (file, 0, body);
}

static GByteArray *
record_body (guint16 tid, double dt)
{
  GByteArray *body = g_byte_array_new ();

  put_u16 (body, 10);
  put_f64 (body, dt);
  put_u16 (body, tid);
  return body;
}

static void
add_float (GByteArray *file, guint16 tid, double dt, float value)
{
  g_autoptr(GByteArray) body = record_body (tid, dt);

  put_f32 (body, value);
  put_packet (file, 1, body);
}

static void
add_s16 (GByteArray *file, guint16 tid, double dt, gint16 value)
{
  g_autoptr(GByteArray) body = record_body (tid, dt);

  put_u16 (body, (guint16) value);
  put_packet (file, 1, body);
}

static void
add_wave_u16 (GByteArray *file, guint16 tid, double dt, const guint16 *points, guint n)
{
  g_autoptr(GByteArray) body = record_body (tid, dt);

  put_u32 (body, n);
  for (guint i = 0; i < n; i++)
    put_u16 (body, points[i]);
  put_packet (file, 1, body);
}

static GBytes *
finish (GByteArray *file)
{
  return tt_test_gzip (file->data, file->len);
}

static void
assert_demo (const char *name, guint n_samples, guint n_wave, gint64 first_t_ms,
             gint64 start_unix_ms, guint n_events)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtVitalFile) file = NULL;
  g_autoptr(TtRecording) rec = NULL;
  const TtVitalTrack *abp;
  float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;

  if (bytes == NULL)
    return;
  file = tt_vital_file_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_vital_file_get_version (file), ==, 3);
  g_assert_false (tt_vital_file_get_truncated (file));
  abp = tt_vital_file_find_track (file, "Intellivue/ABP");
  g_assert_nonnull (abp);
  g_assert_cmpuint (abp->type, ==, TT_VITAL_TRACK_WAVE);
  g_assert_cmpuint (abp->fmt, ==, 6);
  g_assert_cmpfloat (abp->srate, ==, 125);
  g_assert_cmpfloat (abp->gain, ==, 0.0625);
  g_assert_cmpfloat (abp->offset, ==, -50);
  g_assert_true (abp->kept);
  /* The 500 Hz ECG is counted but not kept. */
  g_assert_false (tt_vital_file_find_track (file, "Intellivue/ECG_II")->kept);
  g_assert_cmpuint (tt_vital_file_find_track (file, "Intellivue/ABP_MEAN")->montype, ==, 7);

  rec = tt_vital_file_to_recording (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->format, ==, "vital");
  g_assert_cmpstr (rec->map_source, ==, "Intellivue/ABP_MEAN");
  g_assert_cmpuint (rec->samples->len, ==, n_samples);
  g_assert_cmpint (rec->start_unix_ms, ==, start_unix_ms);
  g_assert_cmpint (g_array_index (rec->samples, TtSample, 0).t_ms, ==, first_t_ms);
  for (guint i = 0; i < rec->samples->len; i++)
    {
      const TtSample *s = &g_array_index (rec->samples, TtSample, i);

      /* The demo mode's constant 120/70, mean 91 mmHg, 60 /min. */
      g_assert_cmpfloat (s->map, ==, 91);
      g_assert_cmpfloat (s->sbp, ==, 120);
      g_assert_cmpfloat (s->dbp, ==, 70);
      g_assert_cmpfloat (s->hr, ==, 60);
      if (i > 0)
        g_assert_cmpint (s->t_ms, >, g_array_index (rec->samples, TtSample, i - 1).t_ms);
    }
  g_assert_cmpfloat (rec->wave_hz, ==, 125);
  g_assert_cmpint (rec->wave_t0_ms, ==, 0);
  g_assert_cmpuint (rec->wave->len, ==, n_wave);
  for (guint i = 0; i < rec->wave->len; i++)
    {
      float v = g_array_index (rec->wave, float, i);

      g_assert_false (isnan (v));
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  /* raw × 0.0625 − 50: the waveform swings between the demo's 70 and 120 mmHg. */
  g_assert_cmpfloat (lo, ==, 70);
  g_assert_cmpfloat (hi, ==, 120.25);
  g_assert_cmpuint (rec->events->len, ==, n_events);
}

static void
test_demo1 (void)
{
  assert_demo ("vital/test_intellivue_demo1.vital", 25, 3200, 1664, 1561634055228, 0);
}

static void
test_demo2 (void)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes ("vital/test_intelliue_demo2.vital");
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  const TtRecordingEvent *event;

  if (bytes == NULL)
    return;
  assert_demo ("vital/test_intelliue_demo2.vital", 213, 27264, 1696, 1562838463407, 7);
  rec = tt_vital_parse (bytes, &error);
  g_assert_no_error (error);
  event = &g_array_index (rec->events, TtRecordingEvent, 0);
  g_assert_cmpstr (event->kind, ==, "note");
  g_assert_cmpstr (event->text, ==, "Start ventolator settings");
}

static void
test_stream (void)
{
  g_autofree char *path = tt_test_shared_file ("vital/test_intellivue_demo1.vital");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  rec = tt_vital_read (G_INPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rec->samples->len, ==, 25);
  g_assert_cmpuint (rec->wave->len, ==, 3200);
}

/* A file still being written: the gzip stream stops mid-way. What is complete is read. */
static void
test_truncated (void)
{
  g_autoptr(GBytes) bytes = tt_test_shared_bytes ("vital/test_intelliue_demo2.vital");
  g_autoptr(GBytes) half = NULL;
  g_autoptr(GBytes) tiny = NULL;
  g_autoptr(TtVitalFile) file = NULL;
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;

  if (bytes == NULL)
    return;
  half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);
  file = tt_vital_file_parse (half, &error);
  g_assert_no_error (error);
  g_assert_true (tt_vital_file_get_truncated (file));
  rec = tt_vital_file_to_recording (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rec->samples->len, >, 50);
  g_assert_cmpuint (rec->samples->len, <, 213);
  g_assert_cmpfloat (g_array_index (rec->samples, TtSample, rec->samples->len - 1).map, ==, 91);

  /* Cut inside the gzip header: nothing usable, a clear error. */
  tiny = g_bytes_new_from_bytes (bytes, 0, 10);
  g_clear_pointer (&file, tt_vital_file_free);
  file = tt_vital_file_parse (tiny, &error);
  g_assert_null (file);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_TRUNCATED);
  g_assert_cmpstr (error->message, ==,
                   "The .vital file ends after 0 decompressed bytes, before the end of its "
                   "10-byte header");
}

static void
test_not_gzip (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = tt_vital_parse (bytes, &error);

  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_NOT_GZIP);
  g_assert_cmpstr (error->message, ==,
                   "Not a .vital file: it is not gzip-compressed (5 bytes, without the gzip "
                   "signature 1f 8b)");
}

static void
test_bad_magic (void)
{
  static const char text[] = "time,map\n0,80\n";
  g_autoptr(GBytes) bytes = tt_test_gzip (text, sizeof text - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = tt_vital_parse (bytes, &error);

  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_MAGIC);
  g_assert_cmpstr (error->message, ==,
                   "Not a .vital file: the decompressed data start with “time” instead of “VITA”");
}

static void
test_corrupt (void)
{
  /* A gzip header followed by a deflate block of the reserved type 3. */
  static const guint8 data[] = {
    0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = tt_vital_parse (bytes, &error);

  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_CORRUPT);
  g_assert_true (g_str_has_prefix (error->message, "The compressed data are damaged near byte "));
}

static void
test_absurd_length (void)
{
  g_autoptr(GByteArray) file = new_file ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = NULL;
  guint16 points[2] = { 1, 2 };

  put_u8 (file, 1);
  put_u32 (file, 0xfffffff0);
  bytes = finish (file);
  rec = tt_vital_parse (bytes, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET);
  g_assert_cmpstr (error->message, ==,
                   "The packet at byte 20 declares 4294967280 bytes; at most 67108864 are allowed");

  /* A waveform record claiming a billion points in a few bytes. */
  g_clear_error (&error);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_byte_array_set_size (file, 0);
  g_byte_array_unref (file);
  file = new_file ();
  add_track (file, 1, TT_VITAL_TRACK_WAVE, 6, "ABP", 125, 0.0625, -50, 4, 0, TRUE);
  {
    g_autoptr(GByteArray) body = record_body (1, 1.7e9);

    put_u32 (body, 1000000000);
    put_u16 (body, points[0]);
    put_u16 (body, points[1]);
    put_packet (file, 1, body);
  }
  bytes = finish (file);
  rec = tt_vital_parse (bytes, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET);
  g_assert_cmpstr (error->message, ==,
                   "The waveform record of track “ABP” at byte 81 declares 1000000000 points but "
                   "holds only 4 bytes");
}

/* A Solar 8000 style file: names without montype, integer formats with gain and offset, a track
 * described by its name alone, a second device, a gap in the waveform. */
static void
test_names_and_formats (void)
{
  g_autoptr(GByteArray) file = new_file ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = NULL;
  const guint16 points[4] = { 1000, 1100, 1200, 1300 };
  const TtSample *s;

  add_device (file, 7, "Solar8000");
  add_device (file, 8, "Bx50");
  /* Another monitor's mean first: the Solar's ART_MBP ranks first by name, the other's "MAP" last. */
  add_track (file, 9, TT_VITAL_TRACK_NUMERIC, 1, "MAP", 1, 1, 0, 0, 8, TRUE);
  add_track (file, 1, TT_VITAL_TRACK_NUMERIC, 5, "ART_MBP", 1, 0.5, 10, 0, 7, TRUE);
  add_track (file, 2, TT_VITAL_TRACK_NUMERIC, 1, "ART_SBP", 1, 1, 0, 0, 7, TRUE);
  add_track (file, 3, TT_VITAL_TRACK_NUMERIC, 1, "HR", 0, 1, 0, 0, 7, TRUE);
  add_track (file, 4, TT_VITAL_TRACK_WAVE, 6, "ART", 100, 0.1, -20, 0, 7, TRUE);
  add_track (file, 5, TT_VITAL_TRACK_NUMERIC, 1, "ART_DBP", 0, 0, 0, 0, 0, FALSE);

  add_float (file, 9, 1000.0, 50);
  add_s16 (file, 1, 1000.0, 140);     /* 140 × 0.5 + 10 = 80 mmHg */
  add_float (file, 2, 1000.2, 120);
  add_s16 (file, 1, 1010.0, 150);     /* 85 mmHg; the SBP 9.8 s away is too far to pair */
  add_float (file, 3, 1010.1, 72);
  add_float (file, 5, 1010.0, 55);
  add_wave_u16 (file, 4, 999.5, points, 2);
  add_wave_u16 (file, 4, 999.55, points + 2, 2);   /* 3 points later: one point of gap */
  bytes = finish (file);

  rec = tt_vital_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->map_source, ==, "Solar8000/ART_MBP");
  g_assert_cmpuint (rec->samples->len, ==, 2);
  g_assert_cmpint (rec->start_unix_ms, ==, 999500);
  s = &g_array_index (rec->samples, TtSample, 0);
  g_assert_cmpint (s->t_ms, ==, 500);
  g_assert_cmpfloat (s->map, ==, 80);
  g_assert_cmpfloat (s->sbp, ==, 120);
  g_assert_true (isnan (s->dbp));
  g_assert_true (isnan (s->hr));
  s = &g_array_index (rec->samples, TtSample, 1);
  g_assert_cmpint (s->t_ms, ==, 10500);
  g_assert_cmpfloat (s->map, ==, 85);
  g_assert_true (isnan (s->sbp));
  g_assert_cmpfloat (s->hr, ==, 72);
  /* The name-only track has no device and float values. */
  g_assert_cmpfloat (s->dbp, ==, 55);

  g_assert_cmpfloat (rec->wave_hz, ==, 100);
  g_assert_cmpint (rec->wave_t0_ms, ==, 0);
  g_assert_cmpuint (rec->wave->len, ==, 7);
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->wave, float, 0), 80, 1e-4);
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->wave, float, 1), 90, 1e-4);
  g_assert_true (isnan (g_array_index (rec->wave, float, 2)));
  g_assert_true (isnan (g_array_index (rec->wave, float, 4)));
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->wave, float, 5), 100, 1e-4);
  g_assert_cmpfloat_with_epsilon (g_array_index (rec->wave, float, 6), 110, 1e-4);
}

/* Only the arterial waveform (the demo's, written again as raw u16): MAP per beat. */
static void
test_waveform_only (void)
{
  g_autoptr(GBytes) demo = tt_test_shared_bytes ("vital/test_intellivue_demo1.vital");
  g_autoptr(TtVitalFile) parsed = NULL;
  g_autoptr(GByteArray) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  const TtVitalTrack *abp;
  guint offset = 0, n_valid = 0;

  if (demo == NULL)
    return;
  parsed = tt_vital_file_parse (demo, &error);
  g_assert_no_error (error);
  abp = tt_vital_file_find_track (parsed, "Intellivue/ABP");
  file = new_file ();
  add_device (file, 3, "Intellivue");
  add_track (file, 16, TT_VITAL_TRACK_WAVE, 6, "ABP", 125, 0.0625, -50, 4, 3, TRUE);
  for (guint r = 0; r < abp->times->len; r++)
    {
      guint n = g_array_index (abp->counts, guint, r);
      g_autofree guint16 *raw = g_new (guint16, n);

      for (guint k = 0; k < n; k++)
        raw[k] = (guint16) lround ((g_array_index (abp->values, float, offset + k) + 50) / 0.0625);
      add_wave_u16 (file, 16, g_array_index (abp->times, double, r), raw, n);
      offset += n;
    }
  bytes = finish (file);
  rec = tt_vital_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->map_source, ==, "Intellivue/ABP (beats)");
  g_assert_cmpint (rec->start_unix_ms, ==, 1561634055228);
  g_assert_cmpuint (rec->wave->len, ==, 3200);
  /* 25 s of the demo's 120/70 at 60 /min: about 24 beats, each with a mean near 91 mmHg. */
  g_assert_cmpuint (rec->samples->len, >=, 20);
  g_assert_cmpuint (rec->samples->len, <=, 26);
  for (guint i = 0; i < rec->samples->len; i++)
    {
      const TtSample *s = &g_array_index (rec->samples, TtSample, i);

      if (s->quality != TT_QUALITY_VALID)
        continue;
      n_valid++;
      g_assert_cmpfloat_with_epsilon (s->map, 91.2, 2.0);
      g_assert_cmpfloat_with_epsilon (s->sbp, 120.25, 0.5);
      g_assert_cmpfloat_with_epsilon (s->dbp, 70, 0.5);
    }
  g_assert_cmpuint (n_valid, >=, 18);
}

static void
test_no_pressure (void)
{
  g_autoptr(GByteArray) file = new_file ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = NULL;

  add_device (file, 1, "Primus");
  add_track (file, 1, TT_VITAL_TRACK_NUMERIC, 1, "ETCO2", 1, 1, 0, 0, 1, TRUE);
  add_float (file, 1, 1000, 35);
  bytes = finish (file);
  rec = tt_vital_parse (bytes, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_NO_PRESSURE);
  g_assert_cmpstr (error->message, ==,
                   "The .vital file has no arterial pressure: no track with monitor type 7 "
                   "(arterial mean) or named ABP_MEAN, ART_MBP, ART_MEAN, IBP1_MEAN …, and no "
                   "arterial waveform (ABP, ART, IBP1 …). Its tracks: Primus/ETCO2");
}

static void
test_bad_time (void)
{
  g_autoptr(GByteArray) file = new_file ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = NULL;

  add_track (file, 1, TT_VITAL_TRACK_NUMERIC, 1, "ABP_MEAN", 1, 1, 0, 7, 0, TRUE);
  add_float (file, 1, NAN, 35);
  bytes = finish (file);
  rec = tt_vital_parse (bytes, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_VITAL_ERROR, TT_VITAL_ERROR_BAD_PACKET);
  g_assert_cmpstr (error->message, ==,
                   "The record of track “ABP_MEAN” at byte 86 has the time nan s; allowed is 0 to "
                   "1e+11 s since 1970");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vital/demo1", test_demo1);
  g_test_add_func ("/vital/demo2", test_demo2);
  g_test_add_func ("/vital/stream", test_stream);
  g_test_add_func ("/vital/truncated", test_truncated);
  g_test_add_func ("/vital/not-gzip", test_not_gzip);
  g_test_add_func ("/vital/bad-magic", test_bad_magic);
  g_test_add_func ("/vital/corrupt", test_corrupt);
  g_test_add_func ("/vital/absurd-length", test_absurd_length);
  g_test_add_func ("/vital/names-and-formats", test_names_and_formats);
  g_test_add_func ("/vital/waveform-only", test_waveform_only);
  g_test_add_func ("/vital/no-pressure", test_no_pressure);
  g_test_add_func ("/vital/bad-time", test_bad_time);

  return g_test_run ();
}
