/* test-line-feed.c: the line stream from a memory stream, TCP, a pseudo-terminal and a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "tt-line-feed.h"

typedef struct {
  GArray    *samples;
  GPtrArray *bad;
} Received;

static void
samples_cb (TtFeed *feed, const TtSample *samples, guint n, gpointer user_data)
{
  g_array_append_vals (((Received *) user_data)->samples, samples, n);
}

static void
bad_line_cb (TtLineFeed *feed, guint line, const char *message, gpointer user_data)
{
  g_ptr_array_add (((Received *) user_data)->bad, g_strdup (message));
}

static void
received_init (Received *r, TtLineFeed *feed)
{
  r->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  r->bad = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (feed, "samples", G_CALLBACK (samples_cb), r);
  g_signal_connect (feed, "bad-line", G_CALLBACK (bad_line_cb), r);
}

static void
received_clear (Received *r)
{
  g_array_unref (r->samples);
  g_ptr_array_unref (r->bad);
}

static gint64 fake_us = 7000000;

static gint64
fake_clock (gpointer user_data)
{
  return fake_us;
}

static void
assert_bad (const char *line, const char *message)
{
  g_autoptr(GError) error = NULL;
  TtSample s;

  g_assert_false (tt_line_parse (line, strlen (line), &s, &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LINE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  TtSample s;

  g_assert_true (tt_line_parse ("1500,72.5", 9, &s, &error));
  g_assert_cmpint (s.t_ms, ==, 1500);
  g_assert_cmpfloat (s.map, ==, 72.5);
  g_assert_true (isnan (s.sbp) && isnan (s.dbp) && isnan (s.hr));
  g_assert_true (tt_line_parse (" 2000 , 80 , 120 , , 64 ", 24, &s, &error));
  g_assert_cmpfloat (s.sbp, ==, 120);
  g_assert_true (isnan (s.dbp));
  g_assert_cmpfloat (s.hr, ==, 64);
  g_assert_true (tt_line_parse ("# header", 8, &s, &error));
  g_assert_cmpint (s.t_ms, ==, -1);
  g_assert_true (tt_line_parse ("   ", 3, &s, &error));
  g_assert_cmpint (s.t_ms, ==, -1);

  assert_bad ("abc,80", "time “abc” is not a whole number of ms from 0 to 100000000000000");
  assert_bad ("-5,80", "time “-5” is not a whole number of ms from 0 to 100000000000000");
  assert_bad ("5,eighty", "MAP value “eighty” is not a number");
  assert_bad ("5,80,1e999", "SBP value “1e999” is not a number");
  assert_bad ("5,80,120,x", "DBP value “x” is not a number");
  assert_bad ("5,,120", "the MAP value is missing");
  assert_bad ("5", "1 fields; expected t_ms,map[,sbp,dbp,hr]");
  assert_bad ("5,1,2,3,4,5", "6 fields; expected t_ms,map[,sbp,dbp,hr]");
  g_assert_false (tt_line_parse ("5,\xff\xfe", 4, &s, &error));
  g_assert_cmpstr (error->message, ==, "binary data, not a line of text");
}

static void
test_stream (void)
{
  g_autoptr(GString) text = g_string_new ("# t_ms,map,sbp,dbp,hr\n0,80\r\n1000,82,120,60,70\n\n2000,abc\n");
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(TtLineFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  TtLineStats stats;
  Received r;

  for (int i = 0; i < 2000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\n3000,,,,\n500,90\n4000,85");
  in = g_memory_input_stream_new_from_data (g_strdup (text->str), text->len, g_free);
  feed = tt_line_feed_new_stream (in, "test input");
  tt_line_feed_set_clock (feed, fake_clock, NULL);
  received_init (&r, feed);
  g_assert_false (tt_feed_get_training (TT_FEED (feed)));
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  while (tt_feed_get_status (TT_FEED (feed)) != TT_FEED_STATUS_ENDED)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (r.samples->len, ==, 3);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 0).t_ms, ==, 0);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 1).t_ms, ==, 1000);
  g_assert_cmpfloat (g_array_index (r.samples, TtSample, 1).dbp, ==, 60);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 2).t_ms, ==, 4000);
  g_assert_cmpfloat (g_array_index (r.samples, TtSample, 2).map, ==, 85);

  g_assert_cmpuint (r.bad->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (r.bad, 0), ==,
                   "test input, line 5: MAP value “abc” is not a number");
  g_assert_cmpstr (g_ptr_array_index (r.bad, 1), ==, "test input, line 6: longer than 1024 bytes");
  g_assert_cmpstr (g_ptr_array_index (r.bad, 2), ==, "test input, line 7: the MAP value is missing");
  g_assert_cmpstr (g_ptr_array_index (r.bad, 3), ==,
                   "test input, line 8: time 500 ms is earlier than the previous line’s 1000 ms");
  g_assert_cmpstr (tt_feed_get_status_message (TT_FEED (feed)), ==,
                   "test input: the input ended");
  tt_line_feed_get_stats (feed, &stats);
  g_assert_cmpuint (stats.lines, ==, 9);
  g_assert_cmpuint (stats.bad_lines, ==, 4);
  g_assert_cmpuint (stats.samples, ==, 3);
  received_clear (&r);
}

typedef struct {
  guint16 port;
  gint    done;
} Job;

static void
send_text (GSocketConnection *conn, const char *text, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), text, len, NULL,
                             NULL, &error);
  g_assert_no_error (error);
}

static gpointer
tcp_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GSocketConnection) conn =
        g_socket_client_connect_to_host (client, "127.0.0.1", job->port, NULL, &error);

      g_assert_no_error (error);
      if (round == 0)
        {
          /* A line split over two writes, and binary garbage. */
          send_text (conn, "100000,7", 8);
          g_usleep (30000);
          send_text (conn, "0,110,50\n\x01\x02\x00\xff\n101000,71\n", 24);
        }
      else
        send_text (conn, "5,90\n1006,91\n", 13);
      g_usleep (30000);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      g_usleep (30000);
    }
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_tcp (void)
{
  g_autoptr(TtLineFeed) feed = tt_line_feed_new_tcp (NULL, 0);
  g_autoptr(GError) error = NULL;
  Job job = { 0 };
  GThread *thread;
  Received r;

  tt_line_feed_set_clock (feed, fake_clock, NULL);
  received_init (&r, feed);
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_cmpint (tt_feed_get_status (TT_FEED (feed)), ==, TT_FEED_STATUS_WAITING);
  job.port = tt_line_feed_get_port (feed);
  thread = g_thread_new ("client", tcp_thread, &job);
  while (!g_atomic_int_get (&job.done))
    g_main_context_iteration (NULL, FALSE);
  g_thread_join (thread);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  /* Both clients' first lines are placed at their arrival (fake time 0): the second client's
   * first line is not newer than the first client's last and is left out. */
  g_assert_cmpuint (r.samples->len, ==, 3);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 0).t_ms, ==, 0);
  g_assert_cmpfloat (g_array_index (r.samples, TtSample, 0).map, ==, 70);
  g_assert_cmpfloat (g_array_index (r.samples, TtSample, 0).sbp, ==, 110);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 1).t_ms, ==, 1000);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 2).t_ms, ==, 1000 + 1);
  g_assert_cmpuint (r.bad->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (r.bad, 0),
                                   ", line 2: binary data, not a line of text"));
  g_assert_cmpint (tt_feed_get_status (TT_FEED (feed)), ==, TT_FEED_STATUS_CONNECTED);
  tt_feed_stop (TT_FEED (feed));
  received_clear (&r);
}

static void
test_pty (void)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  g_autoptr(TtLineFeed) feed = NULL;
  g_autoptr(TtLineFeed) bad = NULL;
  g_autoptr(GError) error = NULL;
  struct termios tio;
  const char *slave;
  int fd;
  Received r;

  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0)
    {
      g_test_skip ("no pseudo-terminal available");
      return;
    }
  slave = ptsname (master);
  feed = tt_line_feed_new_device (slave, 115200);
  received_init (&r, feed);
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  g_assert_no_error (error);

  /* Configured raw at 115200 baud. */
  fd = open (slave, O_RDONLY | O_NOCTTY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (tcgetattr (fd, &tio), ==, 0);
  g_assert_cmpint (cfgetispeed (&tio), ==, B115200);
  g_assert_cmpint (tio.c_lflag & ICANON, ==, 0);
  close (fd);

  g_assert_cmpint (write (master, "10,75,100,60,80\n20,76\n", 22), ==, 22);
  while (r.samples->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (g_array_index (r.samples, TtSample, 1).map, ==, 76);
  g_assert_cmpint (g_array_index (r.samples, TtSample, 1).t_ms -
                   g_array_index (r.samples, TtSample, 0).t_ms, ==, 10);
  tt_feed_stop (TT_FEED (feed));

  bad = tt_line_feed_new_device (slave, 1234);
  g_assert_false (tt_feed_start (TT_FEED (bad), &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_DEVICE);
  g_assert_cmpstr (error->message, ==,
                   "Baud rate 1234 is not offered; choose 9600, 19200, 38400, 57600 or 115200");
  close (master);
  received_clear (&r);
}

static void
test_file_device (void)
{
  g_autofree char *dir = g_dir_make_tmp ("titrate-line-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bridge.txt", NULL);
  g_autoptr(TtLineFeed) feed = NULL;
  g_autoptr(TtLineFeed) missing = tt_line_feed_new_device ("/nonexistent/ttyUSB9", 9600);
  g_autoptr(GError) error = NULL;
  Received r;

  g_assert_true (g_file_set_contents (path, "0,80\n1000,81\n", -1, NULL));
  feed = tt_line_feed_new_device (path, 9600);
  received_init (&r, feed);
  g_assert_true (tt_feed_start (TT_FEED (feed), &error));
  while (tt_feed_get_status (TT_FEED (feed)) != TT_FEED_STATUS_ENDED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.samples->len, ==, 2);

  g_assert_false (tt_feed_start (TT_FEED (missing), &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_DEVICE);
  g_assert_cmpstr (error->message, ==,
                   "Cannot open “/nonexistent/ttyUSB9”: No such file or directory");
  g_assert_cmpint (tt_feed_get_status (TT_FEED (missing)), ==, TT_FEED_STATUS_ERROR);
  g_unlink (path);
  g_rmdir (dir);
  received_clear (&r);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/line/parse", test_parse);
  g_test_add_func ("/line/stream", test_stream);
  g_test_add_func ("/line/tcp", test_tcp);
  g_test_add_func ("/line/pty", test_pty);
  g_test_add_func ("/line/file-device", test_file_device);

  return g_test_run ();
}
