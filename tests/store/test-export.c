/* test-export.c: CSV and .vital exports of a logged case, read back by the feeds' readers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "tt-csv.h"
#include "tt-export-csv.h"
#include "tt-export-vital.h"
#include "tt-test-case.h"
#include "tt-vital.h"

typedef struct {
  char        *dir;
  char        *path;
  TtStoreCase *store_case;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStoreSession) session = NULL;

  f->dir = tt_test_tmpdir ();
  f->path = g_build_filename (f->dir, "sessions.db", NULL);
  store = tt_store_open (f->path, &error);
  g_assert_no_error (error);
  session = write_case (store);
  tt_store_add_event (session, 300000, "note", "arterial line, flushed");
  tt_store_end_session (session, 600000);
  f->store_case = tt_store_load_session (store, 1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tt_store_case_free (f->store_case);
  tt_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
test_csv_columns (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "case.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;
  guint header = 0;

  g_assert_true (tt_export_csv_to_file (f->store_case, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (csv, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);

  g_assert_cmpstr (lines[0], ==, "# Titrate session 1 (training), started 2025-01-01T12:00:00Z, "
                   "exported by Titrate " PACKAGE_VERSION);
  g_assert_cmpstr (lines[1], ==, "# label: OR 3 / case 1");
  g_assert_cmpstr (lines[2], ==, "# weight 70 kg; target band 72–92 mmHg; NE 20 µg/mL, central "
                   "line");
  while (lines[header] != NULL && lines[header][0] == '#')
    header++;
  g_assert_cmpstr (lines[header], ==, "time_s,map,sbp,dbp,hr,event,event_text,quality");
  /* Sample 0 has every value; the induction event follows the sample of the same time. */
  g_assert_cmpstr (lines[header + 1], ==, "0.000,60,100,45,70,,,valid");
  g_assert_cmpstr (lines[header + 2], ==, "0.000,,,,,induction,,");
  g_assert_cmpstr (lines[header + 3], ==, "1.000,61,,,,,,valid");
  g_assert_cmpstr (lines[header + 102], ==, "100.000,80,,,,,,flush");
  g_assert_cmpstr (lines[header + 104], ==, "102.000,82,122,67,70,,,flush");
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "180.000,,,,,intubation,grade 1,"));
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "300.000,,,,,\"arterial line, flushed\",\"arterial line, "
                                  "flushed\","));
  /* 600 samples, 3 events, the header and the comments, and the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, header + 1 + 600 + 3 + 1);
  g_assert_cmpstr (lines[header + 1 + 600 + 3], ==, "");
}

/* Read back by the CSV feed: the same samples (times, values) and the same events. */
static void
test_csv_roundtrip (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TtRecording) back = NULL;
  const GArray *samples = f->store_case->recording->samples;
  const char *expected_events[][3] = {
    { "0", "induction", NULL },
    { "180000", "intubation", NULL },
    { "300000", "note", "arterial line, flushed" },
  };

  g_assert_true (tt_export_csv_write (f->store_case, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  back = tt_csv_parse (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), NULL,
                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->samples->len, ==, samples->len);
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *a = &g_array_index (samples, TtSample, i);
      const TtSample *b = &g_array_index (back->samples, TtSample, i);

      g_assert_cmpint (b->t_ms, ==, a->t_ms);
      g_assert_cmpfloat (b->map, ==, a->map);
      g_assert_true (isnan (a->sbp) ? isnan (b->sbp) : b->sbp == a->sbp);
      g_assert_true (isnan (a->dbp) ? isnan (b->dbp) : b->dbp == a->dbp);
      g_assert_true (isnan (a->hr) ? isnan (b->hr) : b->hr == a->hr);
    }
  g_assert_cmpuint (back->events->len, ==, G_N_ELEMENTS (expected_events));
  for (guint i = 0; i < G_N_ELEMENTS (expected_events); i++)
    {
      const TtRecordingEvent *e = &g_array_index (back->events, TtRecordingEvent, i);

      g_assert_cmpint (e->t_ms, ==, g_ascii_strtoll (expected_events[i][0], NULL, 10));
      g_assert_cmpstr (e->kind, ==, expected_events[i][1]);
      g_assert_cmpstr (e->text, ==, expected_events[i][2]);
    }
}

static void
test_vital_roundtrip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *vital = g_build_filename (f->dir, "case.vital", NULL);
  g_autofree char *compressed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TtRecording) back = NULL;
  g_autoptr(TtVitalFile) file = NULL;
  const TtVitalTrack *track;
  const GArray *samples = f->store_case->recording->samples;
  /* Known kinds come back as themselves; the signal-state labels, which no reader knows, come
   * back as notes carrying the label. */
  const char *expected_events[][3] = {
    { "0", "induction", NULL },
    { "100000", "note", "signal: flush" },
    { "110000", "note", "signal: valid" },
    { "180000", "intubation", "grade 1" },
    { "300000", "note", "arterial line, flushed" },
  };
  gsize length;
  GStatBuf st;

  g_assert_true (tt_export_vital_to_file (f->store_case, vital, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (vital, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (vital, &compressed, &length, NULL));
  /* One gzip stream. */
  g_assert_cmpuint (length, >, 10);
  g_assert_cmpint ((guint8) compressed[0], ==, 0x1f);
  g_assert_cmpint ((guint8) compressed[1], ==, 0x8b);
  bytes = g_bytes_new_take (g_steal_pointer (&compressed), length);

  file = tt_vital_file_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_vital_file_get_version (file), ==, 3);
  g_assert_false (tt_vital_file_get_truncated (file));
  track = tt_vital_file_find_track (file, "Titrate/ART_MBP");
  g_assert_nonnull (track);
  g_assert_cmpuint (track->montype, ==, 7);
  g_assert_cmpstr (track->unit, ==, "mmHg");
  g_assert_cmpuint (track->n_records, ==, 600);
  track = tt_vital_file_find_track (file, "Titrate/ART_SBP");
  g_assert_cmpuint (track->n_records, ==, 200);
  g_assert_nonnull (tt_vital_file_find_track (file, "EVENT"));

  back = tt_vital_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->map_source, ==, "Titrate/ART_MBP");
  g_assert_cmpint (back->start_unix_ms, ==, G_GINT64_CONSTANT (1735732800000));
  g_assert_cmpuint (back->samples->len, ==, samples->len);
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *a = &g_array_index (samples, TtSample, i);
      const TtSample *b = &g_array_index (back->samples, TtSample, i);

      g_assert_cmpint (b->t_ms, ==, a->t_ms);
      g_assert_cmpfloat (b->map, ==, a->map);
      if (i % 3 == 0)
        {
          g_assert_cmpfloat (b->sbp, ==, a->sbp);
          g_assert_cmpfloat (b->dbp, ==, a->dbp);
          g_assert_cmpfloat (b->hr, ==, a->hr);
        }
    }
  g_assert_cmpuint (back->events->len, ==, G_N_ELEMENTS (expected_events));
  for (guint i = 0; i < G_N_ELEMENTS (expected_events); i++)
    {
      const TtRecordingEvent *e = &g_array_index (back->events, TtRecordingEvent, i);

      g_assert_cmpint (e->t_ms, ==, g_ascii_strtoll (expected_events[i][0], NULL, 10));
      g_assert_cmpstr (e->kind, ==, expected_events[i][1]);
      g_assert_cmpstr (e->text, ==, expected_events[i][2]);
    }
}

/* The decompressed header, byte by byte, as the format document describes it. */
static void
test_vital_header (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GBytes) compressed = NULL;
  guint8 header[36];
  guint16 headerlen;
  guint32 version;
  double dtstart, dtend;
  gsize n;

  g_assert_true (tt_export_vital_write (f->store_case, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  base = g_memory_input_stream_new_from_bytes (compressed);
  in = g_converter_input_stream_new (base, G_CONVERTER (decompressor));
  g_assert_true (g_input_stream_read_all (in, header, sizeof header, &n, NULL, &error));
  g_assert_cmpuint (n, ==, sizeof header);

  g_assert_cmpmem (header, 4, "VITA", 4);
  memcpy (&version, header + 4, 4);
  memcpy (&headerlen, header + 8, 2);
  memcpy (&dtstart, header + 20, 8);
  memcpy (&dtend, header + 28, 8);
  g_assert_cmpuint (GUINT32_FROM_LE (version), ==, 3);
  g_assert_cmpuint (GUINT16_FROM_LE (headerlen), ==, 26);
  g_assert_cmpfloat (dtstart, ==, 1735732800.0);
  g_assert_cmpfloat (dtend, ==, 1735732800.0 + 599);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/export/csv-columns", Fixture, NULL, fixture_set_up, test_csv_columns,
              fixture_tear_down);
  g_test_add ("/store/export/csv-roundtrip", Fixture, NULL, fixture_set_up, test_csv_roundtrip,
              fixture_tear_down);
  g_test_add ("/store/export/vital-roundtrip", Fixture, NULL, fixture_set_up, test_vital_roundtrip,
              fixture_tear_down);
  g_test_add ("/store/export/vital-header", Fixture, NULL, fixture_set_up, test_vital_header,
              fixture_tear_down);

  return g_test_run ();
}
