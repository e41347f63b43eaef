/* bench-feeds.c: parse throughput of the recording readers against the floor each one sits on,
 * measured in the same run on the same file; never fails on speed.
 *
 *  1. .vital (the IntelliVue demo, 101 kB gzip, 486 kB inside): tt_vital_parse against
 *     GZlibDecompressor alone decompressing the same bytes (what `gzip -dc` does), in MB/s of
 *     decompressed data and values/s (numerics plus waveform points kept). Target: within 2×.
 *  2. WFDB (the MIMIC-II 5-minute record, 3 signals × 37,500 samples, format 80): reading the
 *     header and the signal file and decoding every signal, against a plain read of the same two
 *     files, in MB/s and samples/s, for all three signals and for the arterial one alone (what a
 *     replay decodes); then the whole load with MAP per beat (the engine's beat detector), for
 *     scale. Target for the decoding: within 2×.
 *
 * Times are the CPU time of this process, the best of 5 rounds of at least 0.1 s each, the
 * contenders taking turns round after round, so a busy shared machine does not inflate them. Figures go to the TAP output (meson test --verbose).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <time.h>

#include "tt-vital.h"
#include "tt-wfdb.h"

#define REPEATS 5
#define MIN_RUN_US 100000

static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef void (*Work) (gpointer data);

typedef struct {
  Work     work;
  gpointer data;
  double   best_us;   /* out: the best time of one call */
} Contender;

/* The best time of one call of each contender in µs. The contenders take turns, round after
 * round, so a change in the machine's load between them touches all of them alike; in each
 * round every one repeats its work for at least MIN_RUN_US. */
static void
race (Contender *contenders,
      guint      n)
{
  for (guint i = 0; i < n; i++)
    contenders[i].best_us = G_MAXDOUBLE;
  for (int r = 0; r < REPEATS; r++)
    for (guint i = 0; i < n; i++)
      {
        gint64 start = cpu_now ();
        guint calls = 0;

        do
          {
            contenders[i].work (contenders[i].data);
            calls++;
          }
        while (cpu_now () - start < MIN_RUN_US);
        contenders[i].best_us = MIN (contenders[i].best_us,
                                     (double) (cpu_now () - start) / calls);
      }
}

static char *
shared_path (const char *relative)
{
  const char *dir = g_getenv ("TITRATE_SHARED_DATA");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("TITRATE_SHARED_DATA is not set: the recordings are absent");
      return NULL;
    }
  path = g_build_filename (dir, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf ("%s is absent: skipped", path);

      g_test_skip (message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

typedef struct {
  GBytes *bytes;
  gsize   decompressed;
  guint64 values;
} Vital;

static void
gunzip_work (gpointer data)
{
  Vital *v = data;
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  static guint8 out[65536];
  gsize len, pos = 0, total = 0;
  const guint8 *in = g_bytes_get_data (v->bytes, &len);

  for (;;)
    {
      gsize r = 0, w = 0;
      GConverterResult result = g_converter_convert (G_CONVERTER (z), in + pos, len - pos, out,
                                                     sizeof out, G_CONVERTER_INPUT_AT_END, &r, &w,
                                                     NULL);

      pos += r;
      total += w;
      if (result == G_CONVERTER_FINISHED || result == G_CONVERTER_ERROR)
        break;
    }
  v->decompressed = total;
}

static void
vital_work (gpointer data)
{
  Vital *v = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec = tt_vital_parse (v->bytes, &error);

  g_assert_no_error (error);
  v->values = rec->samples->len + rec->wave->len;
}

static void
bench_vital (void)
{
  g_autofree char *path = shared_path ("vital/test_intelliue_demo2.vital");
  g_autoptr(GError) error = NULL;
  Vital v = { 0 };
  double base, ours;
  char *contents;
  gsize len;

  if (path == NULL)
    return;
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  v.bytes = g_bytes_new_take (contents, len);

  Contender c[] = { { gunzip_work, &v, 0 }, { vital_work, &v, 0 } };

  race (c, G_N_ELEMENTS (c));
  base = c[0].best_us;
  ours = c[1].best_us;
  g_test_message (".vital %s: %zu bytes, %zu decompressed, %" G_GUINT64_FORMAT " values kept",
                  path, len, v.decompressed, v.values);
  g_test_message ("  GZlibDecompressor alone: %8.1f µs  %7.1f MB/s (decompressed)",
                  base, v.decompressed / base);
  g_test_message ("  tt_vital_parse:          %8.1f µs  %7.1f MB/s  %6.1f M values/s",
                  ours, v.decompressed / ours, v.values / ours);
  g_test_message ("  ratio parse / decompress: %.2f× (target ≤ 2×)", ours / base);
  g_bytes_unref (v.bytes);
}

typedef struct {
  const char *hea;
  const char *dat;
  gsize       bytes;
  guint64     samples;
  gboolean    abp_only;
} Wfdb;

static void
read_work (gpointer data)
{
  Wfdb *w = data;
  g_autoptr(GFile) hea = g_file_new_for_path (w->hea);
  g_autoptr(GFile) dat = g_file_new_for_path (w->dat);
  g_autoptr(GBytes) a = g_file_load_bytes (hea, NULL, NULL, NULL);
  g_autoptr(GBytes) b = g_file_load_bytes (dat, NULL, NULL, NULL);

  w->bytes = g_bytes_get_size (a) + g_bytes_get_size (b);
}

static void
decode_work (gpointer data)
{
  Wfdb *w = data;
  g_autoptr(GFile) hea = g_file_new_for_path (w->hea);
  g_autoptr(GFile) dat = g_file_new_for_path (w->dat);
  g_autoptr(GBytes) a = g_file_load_bytes (hea, NULL, NULL, NULL);
  g_autoptr(GBytes) b = g_file_load_bytes (dat, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtWfdbHeader) header = NULL;
  gsize len;
  const char *text = g_bytes_get_data (a, &len);

  header = tt_wfdb_header_parse (text, len, &error);
  g_assert_no_error (error);
  w->samples = 0;
  for (guint i = w->abp_only ? 2 : 0; i < header->signals->len; i++)
    {
      g_autoptr(GArray) values = tt_wfdb_read_signal (header, i, b, &error);

      g_assert_no_error (error);
      w->samples += values->len;
    }
}

static void
load_work (gpointer data)
{
  Wfdb *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) rec G_GNUC_UNUSED = tt_wfdb_load_file (w->hea, NULL, &error);

  g_assert_no_error (error);
}

static void
bench_wfdb (void)
{
  g_autofree char *hea = shared_path ("wfdb/mimic2_s00001/3975656_0015.hea");
  g_autofree char *dat = shared_path ("wfdb/mimic2_s00001/3975656_0015.dat");
  Wfdb w = { 0 }, a = { 0 };
  double base, decode, abp, load;

  if (hea == NULL || dat == NULL)
    return;
  w = (Wfdb) { .hea = hea, .dat = dat };
  a = (Wfdb) { .hea = hea, .dat = dat, .abp_only = TRUE };
  {
    Contender c[] = {
      { read_work, &w, 0 }, { decode_work, &w, 0 }, { decode_work, &a, 0 }, { load_work, &w, 0 },
    };

    race (c, G_N_ELEMENTS (c));
    base = c[0].best_us;
    decode = c[1].best_us;
    abp = c[2].best_us;
    load = c[3].best_us;
  }
  g_test_message ("WFDB %s: %zu bytes, %" G_GUINT64_FORMAT " samples (3 signals, format 80)",
                  hea, w.bytes, w.samples);
  g_test_message ("  plain read of .hea + .dat: %8.1f µs  %7.1f MB/s", base, w.bytes / base);
  g_test_message ("  read + decode all signals: %8.1f µs  %7.1f MB/s  %6.1f M samples/s",
                  decode, w.bytes / decode, w.samples / decode);
  g_test_message ("  read + decode ABP only:    %8.1f µs  %7.1f MB/s  %6.1f M samples/s",
                  abp, w.bytes / abp, a.samples / abp);
  g_test_message ("  ratio decode / read: %.2f× all signals, %.2f× ABP only (target ≤ 2×)",
                  decode / base, abp / base);
  g_test_message ("  tt_wfdb_load_file with MAP per beat: %8.1f µs (%.1f× the read; the beat "
                  "detector's share)", load, load / base);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/feeds/vital", bench_vital);
  g_test_add_func ("/bench/feeds/wfdb", bench_wfdb);

  return g_test_run ();
}
