/* test-replay-feed.c: replay with a clock in the test's hands, and opening recordings of every
 * format by their content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>

#include "tt-recording-load.h"
#include "tt-replay-feed.h"
#include "tt-test-feeds.h"

typedef struct {
  TtReplayFeed *feed;
  GArray       *times;     /* of gint64: sample times received, events as −(t + 1) */
  gint64        fake_us;
  gint64        seeked;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->fake_us;
}

static void
samples_cb (TtFeed *feed, const TtSample *samples, guint n, gpointer user_data)
{
  Fixture *fx = user_data;

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (samples[i].map, ==, 70 + samples[i].t_ms / 1000);
      g_array_append_val (fx->times, samples[i].t_ms);
    }
}

static void
event_cb (TtFeed *feed, gint64 t_ms, const char *kind, const char *text, gpointer user_data)
{
  Fixture *fx = user_data;
  gint64 marker = -(t_ms + 1);

  g_assert_cmpstr (kind, ==, "induction");
  g_array_append_val (fx->times, marker);
}

static void
seeked_cb (TtReplayFeed *feed, gint64 t_ms, gpointer user_data)
{
  ((Fixture *) user_data)->seeked = t_ms;
}

/* Ten samples a second apart, MAP 70 + t/1000, induction at 3 s. */
static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  TtRecording *rec = tt_recording_new ("csv");

  for (int i = 0; i < 10; i++)
    {
      TtSample s = tt_sample_init (i * 1000, 70 + i);

      g_array_append_val (rec->samples, s);
    }
  tt_recording_add_event (rec, 3000, "induction", NULL);
  fx->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  fx->feed = tt_replay_feed_new (rec);
  fx->fake_us = 5000000;
  fx->seeked = -1;
  tt_replay_feed_set_clock (fx->feed, fake_clock, fx);
  tt_replay_feed_set_tick_ms (fx->feed, 2);
  g_signal_connect (fx->feed, "samples", G_CALLBACK (samples_cb), fx);
  g_signal_connect (fx->feed, "event", G_CALLBACK (event_cb), fx);
  g_signal_connect (fx->feed, "seeked", G_CALLBACK (seeked_cb), fx);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_assert_finalize_object (fx->feed);
  g_array_unref (fx->times);
}

/* Lets a few ticks run at an unchanged fake time. */
static void
ticks (void)
{
  gint64 end = g_get_monotonic_time () + 30000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
assert_times (Fixture *fx, const gint64 *expected, guint n)
{
  g_assert_cmpuint (fx->times->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (fx->times, gint64, i), ==, expected[i]);
}

static void
test_timed (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  static const gint64 first[] = { 0, 1000, 2000 };
  static const gint64 second[] = { 0, 1000, 2000, -3001, 3000 };

  g_assert_true (tt_feed_get_training (TT_FEED (fx->feed)));
  g_assert_cmpint (tt_replay_feed_get_duration (fx->feed), ==, 9000);
  g_assert_true (tt_feed_start (TT_FEED (fx->feed), &error));
  g_assert_true (tt_replay_feed_get_playing (fx->feed));
  ticks ();
  assert_times (fx, first, 1);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_CONNECTED);

  fx->fake_us += 2500000;
  ticks ();
  assert_times (fx, first, 3);
  g_assert_cmpint (tt_replay_feed_get_position (fx->feed), ==, 2500);

  /* The induction event comes before the sample at the same time. */
  fx->fake_us += 500000;
  ticks ();
  assert_times (fx, second, 5);

  /* Paused: time passes, nothing is played; playing resumes where it paused. */
  tt_replay_feed_pause (fx->feed);
  g_assert_false (tt_replay_feed_get_playing (fx->feed));
  fx->fake_us += 10000000;
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 5);
  tt_replay_feed_play (fx->feed);
  fx->fake_us += 999000;
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 5);
  fx->fake_us += 1000;
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 6);
  g_assert_cmpint (g_array_index (fx->times, gint64, 5), ==, 4000);

  /* 60×: 100 ms of wall time is 6 s of recording, to the end. */
  g_assert_true (tt_replay_feed_set_speed (fx->feed, 60, &error));
  fx->fake_us += 100000;
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 11);
  g_assert_cmpint (g_array_index (fx->times, gint64, 10), ==, 9000);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_ENDED);
  g_assert_cmpstr (tt_feed_get_status_message (TT_FEED (fx->feed)), ==, "End of the recording");
  g_assert_false (tt_replay_feed_get_playing (fx->feed));
  g_assert_cmpint (tt_replay_feed_get_position (fx->feed), ==, 9000);
  tt_feed_stop (TT_FEED (fx->feed));
}

static void
test_seek (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_replay_feed_set_speed (fx->feed, 5, &error));
  g_assert_true (tt_feed_start (TT_FEED (fx->feed), &error));
  fx->fake_us += 1000000;    /* 5 s at 5× */
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 7);   /* 0–5 s and the induction */

  /* Back to 1.5 s: the next sample is the one at 2 s. */
  tt_replay_feed_seek (fx->feed, 1500);
  g_assert_cmpint (fx->seeked, ==, 1500);
  g_assert_cmpint (tt_replay_feed_get_position (fx->feed), ==, 1500);
  fx->fake_us += 100000;     /* 0.5 s at 5× */
  ticks ();
  g_assert_cmpuint (fx->times->len, ==, 8);
  g_assert_cmpint (g_array_index (fx->times, gint64, 7), ==, 2000);

  /* Beyond the end is clamped. */
  tt_replay_feed_seek (fx->feed, 99999);
  g_assert_cmpint (tt_replay_feed_get_position (fx->feed), ==, 9000);
  ticks ();
  g_assert_cmpint (g_array_index (fx->times, gint64, fx->times->len - 1), ==, 9000);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_ENDED);

  /* Play after the end starts again from the beginning. */
  tt_replay_feed_play (fx->feed);
  g_assert_cmpint (fx->seeked, ==, 0);
  ticks ();
  g_assert_cmpint (g_array_index (fx->times, gint64, fx->times->len - 1), ==, 0);
  tt_feed_stop (TT_FEED (fx->feed));
}

static void
test_fastest (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  static const gint64 all[] = { 0, 1000, 2000, -3001, 3000, 4000, 5000, 6000, 7000, 8000, 9000 };

  g_assert_false (tt_replay_feed_set_speed (fx->feed, 3, &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "Replay speed 3× is not offered; choose 1×, 2×, 5×, 10×, 30×, 60× or as fast as "
                   "possible");
  g_clear_error (&error);
  g_assert_true (tt_replay_feed_set_speed (fx->feed, TT_REPLAY_SPEED_FASTEST, &error));
  g_assert_true (tt_feed_start (TT_FEED (fx->feed), &error));
  while (tt_feed_get_status (TT_FEED (fx->feed)) != TT_FEED_STATUS_ENDED)
    g_main_context_iteration (NULL, TRUE);
  assert_times (fx, all, G_N_ELEMENTS (all));
  g_assert_cmpint (tt_replay_feed_get_position (fx->feed), ==, 9000);
}

/* The fastest replay of a long recording comes in chunks, with the main loop running between. */
static gboolean
count_idle_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
count_cb (TtFeed *feed, const TtSample *samples, guint n, gpointer user_data)
{
  *(guint *) user_data += n;
}

static void
test_fastest_chunks (void)
{
  TtRecording *rec = tt_recording_new ("wfdb");
  g_autoptr(TtReplayFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  guint received = 0, other = 0, id;

  for (int i = 0; i < 50000; i++)
    {
      TtSample s = tt_sample_init (i * 8, 80);

      g_array_append_val (rec->samples, s);
    }
  feed = tt_replay_feed_new (rec);
  g_signal_connect (feed, "samples", G_CALLBACK (count_cb), &received);
  tt_replay_feed_set_speed (feed, TT_REPLAY_SPEED_FASTEST, &error);
  id = g_idle_add (count_idle_cb, &other);
  tt_feed_start (TT_FEED (feed), &error);
  while (tt_feed_get_status (TT_FEED (feed)) != TT_FEED_STATUS_ENDED)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_cmpuint (received, ==, 50000);
  g_assert_cmpuint (other, >=, 10);
}

static void
test_detect (void)
{
  g_assert_cmpstr (tt_recording_load_detect_format ((const guint8 *) "\x1f\x8b\x08", 3), ==, "vital");
  g_assert_cmpstr (tt_recording_load_detect_format ((const guint8 *) "# c\nrec 3 125 100\nx", 18),
                   ==, "wfdb");
  g_assert_cmpstr (tt_recording_load_detect_format ((const guint8 *) "time,map\n0,80\n", 14), ==,
                   "csv");
  g_assert_cmpstr (tt_recording_load_detect_format ((const guint8 *) "Time;ART_MBP\n", 13), ==,
                   "csv");
  g_assert_null (tt_recording_load_detect_format ((const guint8 *) "hello world\n", 12));
  g_assert_null (tt_recording_load_detect_format ((const guint8 *) "a,b\0c", 5));
  g_assert_null (tt_recording_load_detect_format ((const guint8 *) "", 0));
}

static void
test_load_formats (void)
{
  g_autofree char *vital = tt_test_shared_file ("vital/test_intellivue_demo1.vital");
  g_autofree char *hea = tt_test_shared_file ("wfdb/mimic2_s00001/s00001-2896-10-10-00-31n.hea");
  g_autofree char *dat = tt_test_shared_file ("wfdb/mimic2_s00001/3975656_0015.dat");
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *folder = NULL;

  if (vital == NULL || hea == NULL || dat == NULL)
    return;
  rec = tt_recording_load_file (vital, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->format, ==, "vital");
  g_assert_cmpuint (rec->samples->len, ==, 25);
  g_clear_pointer (&rec, tt_recording_free);

  rec = tt_recording_load_file (hea, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->format, ==, "wfdb");
  g_assert_cmpuint (rec->samples->len, ==, 8);
  g_clear_pointer (&rec, tt_recording_free);

  folder = g_path_get_dirname (dat);
  rec = tt_recording_load_file (dat, &error);
  g_assert_null (rec);
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT);
  expected = g_strdup_printf ("“%s” is the signal file of a WFDB record: open its header "
                              "“%s/3975656_0015.hea”", dat, folder);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TtRecording **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tt_recording_load_file_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_load_csv_and_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-load-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "case.txt", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.vital", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(TtRecording) rec = NULL;
  g_autoptr(GError) error = NULL;

  /* Content decides, not the name: a CSV called .txt, junk called .vital. */
  g_assert_true (g_file_set_contents (csv, "time_s,map\n0,80\n1,82\n", -1, NULL));
  g_assert_true (g_file_set_contents (junk, "just some words\n", -1, NULL));
  tt_recording_load_file_async (csv, NULL, loaded_cb, &rec);
  while (rec == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (rec->format, ==, "csv");
  g_assert_cmpuint (rec->samples->len, ==, 2);

  g_assert_null (tt_recording_load_file (junk, &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT);
  expected = g_strdup_printf ("“%s” is not a recording Titrate reads: expected a VitalDB .vital "
                              "file, a WFDB header (.hea) or a CSV file with a header line", junk);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_null (tt_recording_load_file (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_unlink (csv);
  g_unlink (junk);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/replay/timed", Fixture, NULL, fixture_setup, test_timed, fixture_teardown);
  g_test_add ("/replay/seek", Fixture, NULL, fixture_setup, test_seek, fixture_teardown);
  g_test_add ("/replay/fastest", Fixture, NULL, fixture_setup, test_fastest, fixture_teardown);
  g_test_add_func ("/replay/fastest-chunks", test_fastest_chunks);
  g_test_add_func ("/recording-load/detect", test_detect);
  g_test_add_func ("/recording-load/formats", test_load_formats);
  g_test_add_func ("/recording-load/csv-and-errors", test_load_csv_and_errors);

  return g_test_run ();
}
