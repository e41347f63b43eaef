/* test-mllp-feed.c: the MLLP listener with real TCP clients on 127.0.0.1: a client thread with
 * blocking sockets, and the npm package node-hl7-client 3.2.0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-mllp-feed.h"
#include "tt-test-feeds.h"

static const char ge_text[] =
  "MSH|^~\\&|VSP^080019FFFE134535^EUI-64|GE Healthcare|||20130122134100||ORU^R01^ORU_R01|"
  "004097134535|P|2.6|||NE|AL||UNICODE UTF-8|||PCD_DEC_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
  "OBR|1|x|x|182777000^monitoring of patient^SCT|||20130122134100\r"
  "OBX|4|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC|1.13.1.1|112|266016^MDC_DIM_MMHG^MDC|||||R\r"
  "OBX|5|NM|150034^MDC_PRESS_BLD_ART_DIA^MDC|1.13.1.2|76|266016^MDC_DIM_MMHG^MDC|||||R\r"
  "OBX|6|NM|150035^MDC_PRESS_BLD_ART_MEAN^MDC|1.13.1.3|95|266016^MDC_DIM_MMHG^MDC|||||R\r"
  "OBX|7|NM|149522^MDC_BLD_PULS_RATE_INV^MDC|1.13.1.4|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r";

/* The GE message at another second and with another control id. */
static char *
ge_at (int second, const char *control_id)
{
  g_autoptr(GString) text = g_string_new (ge_text);
  g_autofree char *stamp = g_strdup_printf ("201301221341%02d", second);

  g_string_replace (text, "20130122134100", stamp, 0);
  g_string_replace (text, "004097134535", control_id, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GBytes *
frame (const char *text)
{
  GByteArray *b = g_byte_array_new ();

  g_byte_array_append (b, (const guint8 *) "\x0b", 1);
  g_byte_array_append (b, (const guint8 *) text, strlen (text));
  g_byte_array_append (b, (const guint8 *) "\x1c\x0d", 2);
  return g_byte_array_free_to_bytes (b);
}

/* Main-context side. */
typedef struct {
  TtMllpFeed *feed;
  GArray     *samples;
  guint16     port;
  gint64      fake_us;
} Fixture;

static void
samples_cb (TtFeed         *feed,
            const TtSample *samples,
            guint           n,
            gpointer        user_data)
{
  Fixture *fx = user_data;

  g_array_append_vals (fx->samples, samples, n);
}

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fx = user_data;

  return fx->fake_us;
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  fx->feed = tt_mllp_feed_new (NULL, 0);
  if (data != NULL)
    {
      fx->fake_us = 1000000;
      tt_mllp_feed_set_clock (fx->feed, fake_clock, fx);
    }
  g_signal_connect (fx->feed, "samples", G_CALLBACK (samples_cb), fx);
}

static void
fixture_start (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_feed_start (TT_FEED (fx->feed), &error));
  g_assert_no_error (error);
  fx->port = tt_mllp_feed_get_port (fx->feed);
  g_assert_cmpuint (fx->port, >, 0);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_WAITING);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  tt_feed_stop (TT_FEED (fx->feed));
  g_assert_finalize_object (fx->feed);
  g_array_unref (fx->samples);
}

/* Client side: blocking sockets on a thread, while the main thread runs the feed. */
typedef struct {
  guint16     port;
  GPtrArray  *acks;          /* of char *: the ACKs received, in order */
  guint       n_eof;         /* connections the server closed */
  guint       n_open;        /* connections still open after the wait */
  gint        done;
  gpointer    data;
} Job;

static GSocketConnection *
client_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  return conn;
}

static void
client_send (GSocketConnection *conn, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
client_send_bytes (GSocketConnection *conn, GBytes *bytes)
{
  client_send (conn, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The next ACK (without framing), or NULL when the server closed the connection. */
static char *
client_read_ack (GSocketConnection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_autoptr(GString) ack = g_string_new (NULL);
  gboolean in_frame = FALSE;

  for (;;)
    {
      guint8 b;
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (in, &b, 1, NULL, &error);

      if (n <= 0)
        return NULL;
      if (b == 0x0b)
        in_frame = TRUE;
      else if (b == 0x1c)
        {
          g_input_stream_read (in, &b, 1, NULL, NULL);
          return g_string_free (g_steal_pointer (&ack), FALSE);
        }
      else if (in_frame)
        g_string_append_c (ack, b);
    }
}

static void
run_job (GThreadFunc func, Job *job)
{
  GThread *thread = g_thread_new ("client", func, job);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&job->done))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  g_thread_join (thread);
  /* Let the feed see the clients' last bytes and goodbyes. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static Job *
job_new (guint16 port)
{
  Job *job = g_new0 (Job, 1);

  job->port = port;
  job->acks = g_ptr_array_new_with_free_func (g_free);
  return job;
}

static void
job_free (Job *job)
{
  g_ptr_array_unref (job->acks);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static const char *
ack_msa (Job *job, guint i)
{
  const char *ack;

  g_assert_cmpuint (i, <, job->acks->len);
  ack = g_ptr_array_index (job->acks, i);
  return strstr (ack, "\rMSA|") + 1;
}

/* Several messages on one connection: one split over three writes, two in one write. */
static gpointer
round_trip_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketConnection) conn = client_connect (job->port);
  g_autoptr(GBytes) first = frame (ge_text);
  g_autofree char *t2 = ge_at (1, "MSG2");
  g_autofree char *t3 = ge_at (2, "MSG3");
  g_autoptr(GBytes) f2 = frame (t2);
  g_autoptr(GBytes) f3 = frame (t3);
  g_autoptr(GByteArray) both = g_byte_array_new ();
  const guint8 *p = g_bytes_get_data (first, NULL);
  gsize len = g_bytes_get_size (first);

  client_send (conn, p, 10);
  g_usleep (50000);
  client_send (conn, p + 10, len - 11);
  g_usleep (50000);
  client_send (conn, p + len - 1, 1);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  g_byte_array_append (both, g_bytes_get_data (f2, NULL), g_bytes_get_size (f2));
  g_byte_array_append (both, (const guint8 *) "\r\n", 2);   /* a line break between frames */
  g_byte_array_append (both, g_bytes_get_data (f3, NULL), g_bytes_get_size (f3));
  client_send (conn, both->data, both->len);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  g_ptr_array_add (job->acks, client_read_ack (conn));
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_round_trip (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  const TtSample *s;
  TtMllpStats stats;

  fixture_start (fx);
  job = job_new (fx->port);
  run_job (round_trip_thread, job);

  g_assert_cmpuint (job->acks->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (job->acks, 0), "MSH|^~\\&|Titrate|Titrate|"
                                   "VSP^080019FFFE134535^EUI-64|GE Healthcare|"));
  g_assert_cmpstr (ack_msa (job, 0), ==, "MSA|AA|004097134535\r");
  g_assert_cmpstr (ack_msa (job, 1), ==, "MSA|AA|MSG2\r");
  g_assert_cmpstr (ack_msa (job, 2), ==, "MSA|AA|MSG3\r");

  g_assert_cmpuint (fx->samples->len, ==, 3);
  s = &g_array_index (fx->samples, TtSample, 0);
  g_assert_cmpfloat (s->map, ==, 95);
  g_assert_cmpfloat (s->sbp, ==, 112);
  g_assert_cmpfloat (s->dbp, ==, 76);
  g_assert_cmpfloat (s->hr, ==, 80);
  g_assert_cmpint (s->t_ms, >=, 0);
  /* The monitor's clock carries the spacing. */
  g_assert_cmpint (g_array_index (fx->samples, TtSample, 1).t_ms - s->t_ms, ==, 1000);
  g_assert_cmpint (g_array_index (fx->samples, TtSample, 2).t_ms - s->t_ms, ==, 2000);

  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.messages, ==, 3);
  g_assert_cmpuint (stats.accepted, ==, 3);
  g_assert_cmpuint (stats.garbage_bytes, ==, 2);
  g_assert_cmpuint (stats.connections_open, ==, 0);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_CONNECTED);
}

/* A client that reconnects, a message resent after reconnecting (the same time: left out). */
static gpointer
reconnect_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GBytes) f1 = frame (ge_text);
  g_autofree char *t2 = ge_at (5, "MSG5");
  g_autoptr(GBytes) f2 = frame (t2);

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GSocketConnection) conn = client_connect (job->port);

      client_send_bytes (conn, f1);
      g_ptr_array_add (job->acks, client_read_ack (conn));
      if (i == 1)
        {
          client_send_bytes (conn, f2);
          g_ptr_array_add (job->acks, client_read_ack (conn));
        }
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_reconnect (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  TtMllpStats stats;

  fixture_start (fx);
  job = job_new (fx->port);
  run_job (reconnect_thread, job);
  g_assert_cmpuint (job->acks->len, ==, 3);
  g_assert_cmpstr (ack_msa (job, 0), ==, "MSA|AA|004097134535\r");
  g_assert_cmpstr (ack_msa (job, 1), ==, "MSA|AA|004097134535\r");
  g_assert_cmpstr (ack_msa (job, 2), ==, "MSA|AA|MSG5\r");
  g_assert_cmpuint (fx->samples->len, ==, 2);
  g_assert_cmpint (g_array_index (fx->samples, TtSample, 1).t_ms -
                   g_array_index (fx->samples, TtSample, 0).t_ms, ==, 5000);
  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.connections_total, ==, 2);
  g_assert_cmpuint (stats.accepted, ==, 3);
}

/* Binary garbage between frames and inside one, a message of another type, then a good one. */
static gpointer
garbage_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketConnection) conn = client_connect (job->port);
  g_autoptr(GBytes) good = frame (ge_text);
  g_autoptr(GBytes) adt = frame ("MSH|^~\\&|HIS|H|||20240201||ADT^A01|77|P|2.5\rPID|1\r");
  guint8 noise[1000];
  static const guint8 binary_frame[] = { 0x0b, 'M', 'S', 'H', '|', 0x00, 0xff, 0x1c, 0x0d };

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (i * 7 + 3) % 256 == 0x0b ? 0 : (i * 7 + 3) % 256;
  client_send (conn, noise, sizeof noise);
  client_send (conn, binary_frame, sizeof binary_frame);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  client_send_bytes (conn, adt);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  client_send_bytes (conn, good);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_garbage (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  TtMllpStats stats;

  fixture_start (fx);
  job = job_new (fx->port);
  run_job (garbage_thread, job);
  g_assert_cmpuint (job->acks->len, ==, 3);
  g_assert_cmpstr (ack_msa (job, 0), ==,
                   "MSA|AR||Not an HL7 message: it holds binary data (a NUL byte)\r"
                   "ERR|||207^Application internal error^HL70357|E||||Not an HL7 message: it holds "
                   "binary data (a NUL byte)\r");
  g_assert_true (g_str_has_prefix (ack_msa (job, 1), "MSA|AE|77|Message type “ADT\\S\\A01” is not "
                                   "supported; Titrate reads observations (ORU\\S\\R01)\r"));
  g_assert_cmpstr (ack_msa (job, 2), ==, "MSA|AA|004097134535\r");
  g_assert_cmpuint (fx->samples->len, ==, 1);
  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.garbage_bytes, ==, 1000);
  g_assert_cmpuint (stats.rejected, ==, 2);
  g_assert_cmpuint (stats.accepted, ==, 1);
}

/* A 2 MB "line": answered AE, its memory bounded, the connection still usable. */
static gpointer
oversized_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketConnection) conn = client_connect (job->port);
  g_autoptr(GBytes) good = frame (ge_text);
  static const char head[] = "\x0bMSH|^~\\&|BIG|X|||20240201||ORU^R01|HUGE1|P|2.6\rOBX|1|ST|x||";
  gsize big = 2 * 1024 * 1024;
  g_autofree char *filler = g_malloc (big);

  memset (filler, 'A', big);
  client_send (conn, head, strlen (head));
  client_send (conn, filler, big);
  client_send (conn, "\x1c\x0d", 2);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  client_send_bytes (conn, good);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_oversized (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  TtMllpStats stats;

  fixture_start (fx);
  job = job_new (fx->port);
  run_job (oversized_thread, job);
  g_assert_cmpuint (job->acks->len, ==, 2);
  g_assert_true (g_str_has_prefix (ack_msa (job, 0),
                                   "MSA|AE|HUGE1|The message is larger than 1048576 bytes\r"));
  g_assert_cmpstr (ack_msa (job, 1), ==, "MSA|AA|004097134535\r");
  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.oversized, ==, 1);
  g_assert_cmpuint (stats.accepted, ==, 1);
}

/* A client that starts a frame and never finishes it is disconnected after the frame timeout. */
static gpointer
unfinished_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketConnection) conn = client_connect (job->port);
  static const char partial[] = "\x0bMSH|^~\\&|SLOW|X|||20240201||ORU^R01|1|P|2.6\rOBX|1|NM|150035||9";

  client_send (conn, partial, strlen (partial));
  if (client_read_ack (conn) == NULL)
    job->n_eof++;
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_unfinished_frame (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  TtMllpStats stats;

  g_object_set (fx->feed, "frame-timeout-ms", 300, NULL);
  fixture_start (fx);
  job = job_new (fx->port);
  run_job (unfinished_thread, job);
  g_assert_cmpuint (job->n_eof, ==, 1);
  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.connections_timed_out, ==, 1);
  g_assert_cmpuint (stats.connections_open, ==, 0);
  g_assert_cmpuint (stats.messages, ==, 0);
  g_assert_true (g_str_has_suffix (tt_feed_get_status_message (TT_FEED (fx->feed)),
                                   "closed: a message was not finished within 0.3 s"));
}

/* A flood of connections: beyond max-connections they are closed at once; then a normal client
 * is served again. */
static gpointer
flood_thread (gpointer data)
{
  Job *job = data;
  GSocketConnection *conns[6];
  g_autoptr(GBytes) good = frame (ge_text);

  for (int i = 0; i < 6; i++)
    {
      conns[i] = client_connect (job->port);
      /* Give the listener time to take each in turn. */
      g_usleep (20000);
    }
  for (int i = 0; i < 6; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (conns[i]);
      guint8 b;
      g_autoptr(GError) error = NULL;

      g_socket_set_timeout (socket, 1);
      if (g_socket_receive (socket, (char *) &b, 1, NULL, &error) == 0)
        job->n_eof++;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        job->n_open++;
    }
  for (int i = 0; i < 6; i++)
    {
      g_io_stream_close (G_IO_STREAM (conns[i]), NULL, NULL);
      g_object_unref (conns[i]);
    }
  g_usleep (100000);
  {
    g_autoptr(GSocketConnection) conn = client_connect (job->port);

    client_send_bytes (conn, good);
    g_ptr_array_add (job->acks, client_read_ack (conn));
  }
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
test_flood (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  TtMllpStats stats;

  g_object_set (fx->feed, "max-connections", 2, NULL);
  fixture_start (fx);
  job = job_new (fx->port);
  run_job (flood_thread, job);
  g_assert_cmpuint (job->n_open, ==, 2);
  g_assert_cmpuint (job->n_eof, ==, 4);
  g_assert_cmpuint (job->acks->len, ==, 1);
  g_assert_cmpstr (ack_msa (job, 0), ==, "MSA|AA|004097134535\r");
  tt_mllp_feed_get_stats (fx->feed, &stats);
  g_assert_cmpuint (stats.connections_refused, ==, 4);
  g_assert_cmpuint (stats.connections_total, ==, 7);
}

/* Status over time, with the feed's clock in the test's hands. */
static gpointer
one_message_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GSocketConnection) conn = client_connect (job->port);
  g_autoptr(GBytes) good = frame (ge_text);

  client_send_bytes (conn, good);
  g_ptr_array_add (job->acks, client_read_ack (conn));
  /* Stay connected until the test says so. */
  while (!g_atomic_int_get ((gint *) job->data))
    g_usleep (1000);
  if (client_read_ack (conn) == NULL)
    job->n_eof++;
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

static void
iterate_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_status (Fixture *fx, gconstpointer data)
{
  g_autoptr(Job) job = NULL;
  gint release = 0;
  GThread *thread;

  g_object_set (fx->feed, "idle-timeout-ms", 60000, NULL);
  fixture_start (fx);
  job = job_new (fx->port);
  job->data = &release;
  thread = g_thread_new ("client", one_message_thread, job);
  while (fx->samples->len == 0)
    iterate_ms (5);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_CONNECTED);

  fx->fake_us += 9 * G_USEC_PER_SEC;
  iterate_ms (300);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_CONNECTED);
  fx->fake_us += 2 * G_USEC_PER_SEC;
  iterate_ms (300);
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_STALE);
  g_assert_cmpstr (tt_feed_get_status_message (TT_FEED (fx->feed)), ==,
                   "No values from the monitor for 10 s");

  /* Silent for more than the idle timeout: disconnected. */
  fx->fake_us += 50 * G_USEC_PER_SEC;
  g_atomic_int_set (&release, 1);
  while (!g_atomic_int_get (&job->done))
    iterate_ms (5);
  g_thread_join (thread);
  g_assert_cmpuint (job->n_eof, ==, 1);
  g_assert_true (g_str_has_suffix (tt_feed_get_status_message (TT_FEED (fx->feed)),
                                   "closed: nothing received for 60.0 s"));

  tt_feed_stop (TT_FEED (fx->feed));
  g_assert_cmpint (tt_feed_get_status (TT_FEED (fx->feed)), ==, TT_FEED_STATUS_STOPPED);
}

static void
test_listen_errors (void)
{
  g_autoptr(TtMllpFeed) first = tt_mllp_feed_new ("127.0.0.1", 0);
  g_autoptr(TtMllpFeed) second = NULL;
  g_autoptr(TtMllpFeed) bad = tt_mllp_feed_new ("localhost", 2575);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_false (tt_feed_get_training (TT_FEED (first)));
  g_assert_true (tt_feed_start (TT_FEED (first), &error));
  second = tt_mllp_feed_new ("127.0.0.1", tt_mllp_feed_get_port (first));
  g_assert_false (tt_feed_start (TT_FEED (second), &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_LISTEN);
  expected = g_strdup_printf ("Cannot listen for HL7 on 127.0.0.1 port %u: ",
                              tt_mllp_feed_get_port (first));
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpint (tt_feed_get_status (TT_FEED (second)), ==, TT_FEED_STATUS_ERROR);
  g_clear_error (&error);

  g_assert_false (tt_feed_start (TT_FEED (bad), &error));
  g_assert_error (error, TT_FEED_ERROR, TT_FEED_ERROR_ENDPOINT);
  g_assert_cmpstr (error->message, ==,
                   "“localhost” is not an IP address (for example 127.0.0.1 or ::1)");
  tt_feed_stop (TT_FEED (first));
}

static void
test_endpoint (void)
{
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  g_assert_true (tt_endpoint_parse ("2575", &address, &port, &error));
  g_assert_null (address);
  g_assert_cmpuint (port, ==, 2575);
  g_assert_true (tt_endpoint_parse ("127.0.0.1:6000", &address, &port, &error));
  g_assert_cmpstr (address, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 6000);
  g_clear_pointer (&address, g_free);
  g_assert_true (tt_endpoint_parse ("[::1]:7", &address, &port, &error));
  g_assert_cmpstr (address, ==, "::1");
  g_clear_pointer (&address, g_free);
  g_assert_false (tt_endpoint_parse ("127.0.0.1:70000", &address, &port, &error));
  g_assert_cmpstr (error->message, ==, "Port “70000” is not a number from 1 to 65535");
  g_clear_error (&error);
  g_assert_false (tt_endpoint_parse ("monitor:2575", &address, &port, &error));
  g_assert_cmpstr (error->message, ==, "“monitor” is not an IP address (for example 127.0.0.1 or ::1)");
  g_clear_error (&error);
  g_assert_false (tt_endpoint_parse ("[::1]2575", &address, &port, &error));
  g_assert_cmpstr (error->message, ==, "“[::1]2575” is not [ADDRESS]:PORT");
}

/* The real client: node-hl7-client 3.2.0 sends the GE message and reads our ACK. */
static void
node_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **output = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &output[0], &err, &error);
  g_assert_no_error (error);
  output[1] = g_strdup_printf ("%d", g_subprocess_get_exit_status (G_SUBPROCESS (source)));
  if (err != NULL && *err != '\0')
    g_test_message ("node: %s", err);
}

static void
test_node_client (Fixture *fx, gconstpointer data)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *module = NULL;
  g_autofree char *script = g_build_filename (TEST_SOURCE_DIR, "feeds", "hl7-send.cjs", NULL);
  g_autofree char *message_file = tt_test_shared_file ("hl7/ge_b40_pcd01_ibp.hl7");
  g_autofree char *port = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *output[2] = { NULL, NULL };
  const char *build = g_getenv ("TITRATE_BUILD_DIR");

  if (message_file == NULL)
    return;
  if (node == NULL)
    {
      g_test_skip ("node is not installed: the round trip with node-hl7-client is skipped");
      return;
    }
  module = g_build_filename (build != NULL ? build : ".", "node", "node_modules",
                             "node-hl7-client", NULL);
  if (!g_file_test (module, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *message =
        g_strdup_printf ("%s is absent (build-aux/dev test installs it with npm install --prefix "
                         "_build/node node-hl7-client@3.2.0): skipped", module);
      g_test_skip (message);
      return;
    }

  fixture_start (fx);
  port = g_strdup_printf ("%u", fx->port);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, node, script, module, port, message_file, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, node_done_cb, output);
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (output[1] == NULL)
      {
        g_main_context_iteration (NULL, TRUE);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      }
  }
  g_assert_cmpstr (output[1], ==, "0");
  g_assert_cmpstr (output[0], ==,
                   "{\"msa1\":\"AA\",\"msa2\":\"004097134535\",\"msh9\":\"ACK\"}\n");
  g_assert_cmpuint (fx->samples->len, ==, 1);
  g_assert_cmpfloat (g_array_index (fx->samples, TtSample, 0).map, ==, 95);
  g_assert_cmpfloat (g_array_index (fx->samples, TtSample, 0).hr, ==, 80);
  g_free (output[0]);
  g_free (output[1]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/mllp/round-trip", test_round_trip, NULL);
  ADD ("/mllp/reconnect", test_reconnect, NULL);
  ADD ("/mllp/garbage", test_garbage, NULL);
  ADD ("/mllp/oversized", test_oversized, NULL);
  ADD ("/mllp/unfinished-frame", test_unfinished_frame, NULL);
  ADD ("/mllp/flood", test_flood, NULL);
  ADD ("/mllp/status", test_status, "fake clock");
  ADD ("/mllp/node-client", test_node_client, NULL);
#undef ADD
  g_test_add_func ("/mllp/listen-errors", test_listen_errors);
  g_test_add_func ("/mllp/endpoint", test_endpoint);

  return g_test_run ();
}
