/* test-cli-listen.c: titrate-cli listen on standard input, HL7/MLLP and a TCP line stream
 * (loopback only), its errors, and titrate-cli analyze on every recording format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

static int
run (const char * const *args,
     const char         *input,
     char              **out,
     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("TITRATE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_stdin (void)
{
  g_autoptr(GString) input = g_string_new ("# t_ms,map\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "listen", "--stdin", "--seconds", "10", "--json", "--advice", "--weight",
                         "70", "--concentration", "20", "--rate", "0.05", NULL };

  /* A constant 80 mmHg for 20 s, in the band 65–85: mean 80, SD 0, 100 % in band, nothing
   * below 65, and the advice is to hold 0.05 µg/kg/min = 0.05 × 70 × 60 / 20 = 10.5 mL/h. */
  for (int i = 0; i <= 10; i++)
    g_string_append_printf (input, "%d,80\n", i * 2000);
  g_string_append (input, "not a line\n");
  g_assert_cmpint (run (args, input->str, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"source\":\"stdin\""));
  g_assert_nonnull (strstr (out, "\"samples\":11,"));
  g_assert_nonnull (strstr (out, "\"received\":\"13 lines, 1 bad\""));
  g_assert_nonnull (strstr (out, "\"feed_status\":\"standard input: the input ended\""));
  g_assert_nonnull (strstr (out, "\"mean_mmHg\":80,\"sd_mmHg\":0,\"cv_pct\":0,\"arv_mmHg_per_min\":0,"
                                 "\"in_band_pct\":100,\"min_mmHg\":80,\"max_mmHg\":80,"
                                 "\"time_below_65_min\":0,\"aut_65_mmHg_min\":0,\"twa_65_mmHg\":0}"));
  g_assert_nonnull (strstr (out, "\"advice\":{\"kind\":\"hold\",\"reason\":\"in-band\","
                                 "\"rate_ug_kg_min\":0.05,\"rate_ml_h\":10.5,"));
  g_assert_nonnull (strstr (out, "\"rate_text\":\"0.05 µg/kg/min = 10.5 mL/h (unchanged)\""));
}

static void
test_stdin_table (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "listen", "--stdin", "--seconds", "10", NULL };

  g_assert_cmpint (run (args, "0,80\n2000,80\n4000,80\n", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Received:   3 samples (3 lines, 0 bad)\n"));
  g_assert_nonnull (strstr (out, "Mean MAP                       mmHg       80.0\n"));
  g_assert_nonnull (strstr (out, "Area under 65                  mmHg·min   0.00\n"));
  g_assert_null (strstr (out, "Advice"));
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* Starts titrate-cli listen, waits until it says it listens, sends @payload from a TCP client and
 * returns what it answered (up to the end of an MLLP frame, or nothing for a line stream). */
static char *
listen_and_send (const char *option,
                 guint16     port,
                 const char *payload,
                 gsize       len,
                 gboolean    expect_ack,
                 char      **out)
{
  g_autofree char *endpoint = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = { g_getenv ("TITRATE_CLI"), "listen", option, endpoint, "--seconds", "2",
                         "--json", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) ack = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (line, "Waiting for"));

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), payload, len,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  if (expect_ack)
    for (;;)
      {
        guint8 b;

        if (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), &b, 1, NULL,
                                 &error) != 1 || b == 0x1c)
          break;
        if (b != 0x0b)
          g_string_append_c (ack, b);
      }
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_string_free (g_steal_pointer (&ack), FALSE);
}

static void
test_mllp (void)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *out = NULL;
  const char *dir = g_getenv ("TITRATE_SHARED_DATA");
  gsize len = 0;

  path = g_build_filename (dir != NULL ? dir : "", "hl7", "ge_b40_pcd01_ibp.mllp", NULL);
  if (dir == NULL || !g_file_get_contents (path, &message, &len, NULL))
    {
      g_test_skip ("TITRATE_SHARED_DATA/hl7/ge_b40_pcd01_ibp.mllp is absent: skipped");
      return;
    }
  ack = listen_and_send ("--mllp", free_port (), message, len, TRUE, &out);
  g_assert_nonnull (strstr (ack, "\rMSA|AA|004097134535\r"));
  g_assert_nonnull (strstr (out, "\"source\":\"mllp\",\"address\":\"127.0.0.1\""));
  g_assert_nonnull (strstr (out, "\"samples\":1,"));
  g_assert_nonnull (strstr (out, "\"received\":\"1 messages: 1 accepted, 0 refused\""));
  g_assert_nonnull (strstr (out, "\"min_mmHg\":95,\"max_mmHg\":95,"));
}

static void
test_tcp (void)
{
  static const char lines[] = "0,70\n1000,72\n2000,74\n";
  g_autofree char *ack = NULL;
  g_autofree char *out = NULL;

  ack = listen_and_send ("--tcp", free_port (), lines, strlen (lines), FALSE, &out);
  g_assert_nonnull (strstr (out, "\"source\":\"tcp\""));
  g_assert_nonnull (strstr (out, "\"samples\":3,"));
  g_assert_nonnull (strstr (out, "\"received\":\"3 lines, 0 bad\""));
}

static void
assert_fails (const char * const *args,
              int                 status,
              const char         *message)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (args, NULL, &out, &err), ==, status);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, message);
}

static void
test_errors (void)
{
  g_autoptr(GSocketListener) busy = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint16 port;

  assert_fails ((const char *[]) { "listen", "--seconds", "5", NULL }, 2,
                "titrate-cli listen: choose one source: --mllp, --tcp or --stdin\n");
  assert_fails ((const char *[]) { "listen", "--stdin", "--tcp", "2575", "--seconds", "5", NULL }, 2,
                "titrate-cli listen: choose one source: --mllp, --tcp or --stdin\n");
  assert_fails ((const char *[]) { "listen", "--stdin", NULL }, 2,
                "titrate-cli listen: --seconds: give a duration from 1 to 86400 s\n");
  assert_fails ((const char *[]) { "listen", "--mllp", "127.0.0.1:99999", "--seconds", "5", NULL },
                2, "titrate-cli listen: --mllp: Port “99999” is not a number from 1 to 65535\n");
  assert_fails ((const char *[]) { "listen", "--tcp", "monitor:2575", "--seconds", "5", NULL }, 2,
                "titrate-cli listen: --tcp: “monitor” is not an IP address (for example "
                "127.0.0.1 or ::1)\n");
  assert_fails ((const char *[]) { "listen", "--stdin", "--seconds", "5", "--advice", NULL }, 2,
                "titrate-cli listen: --advice needs --weight (kg) and --concentration (µg/mL)\n");
  assert_fails ((const char *[]) { "listen", "--stdin", "--seconds", "5", "--band", "50-70", NULL },
                2, "titrate-cli listen: --band: Target band lower bound 50 mmHg is outside 55–100 mmHg\n");

  /* A port already taken: a failure (exit 1), not bad input. */
  port = g_socket_listener_add_any_inet_port (busy, NULL, &error);
  g_assert_no_error (error);
  endpoint = g_strdup_printf ("127.0.0.1:%u", port);
  g_assert_cmpint (run ((const char *[]) { "listen", "--mllp", endpoint, "--seconds", "1", NULL },
                        NULL, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "titrate-cli listen: Cannot listen for HL7 on 127.0.0.1 "
                                        "port "));

  /* Nothing received: no metrics, exit 1. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *[]) { "listen", "--stdin", "--seconds", "5", NULL }, "",
                        &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "Received:   0 samples (0 lines, 0 bad)\n"));
  g_assert_nonnull (strstr (out, "No valid samples: no metrics.\n"));
}

/* analyze reads every format, recognised by content. */
static void
test_analyze_formats (void)
{
  const char *dir = g_getenv ("TITRATE_SHARED_DATA");
  g_autofree char *vital = NULL, *hea = NULL, *hl7 = NULL, *out = NULL, *err = NULL;
  g_autofree char *expected = NULL;

  if (dir == NULL)
    {
      g_test_skip ("TITRATE_SHARED_DATA is not set: the recordings are absent");
      return;
    }
  vital = g_build_filename (dir, "vital", "test_intellivue_demo1.vital", NULL);
  hea = g_build_filename (dir, "wfdb", "mimic2_s00001", "s00001-2896-10-10-00-31n.hea", NULL);
  hl7 = g_build_filename (dir, "hl7", "ge_b40_pcd01_ibp.hl7", NULL);
  if (!g_file_test (vital, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared recordings are absent");
      return;
    }
  g_assert_cmpint (run ((const char *[]) { "analyze", vital, "--json", NULL }, NULL, &out, &err),
                   ==, 0);
  g_assert_nonnull (strstr (out, "\"map_source\":\"Intellivue/ABP_MEAN\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *[]) { "analyze", hea, NULL }, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "MAP from:   ABPMean (wfdb)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *[]) { "analyze", hl7, NULL }, NULL, &out, &err), ==, 2);
  expected = g_strdup_printf ("titrate-cli analyze: “%s” is not a recording Titrate reads: "
                              "expected a VitalDB .vital file, a WFDB header (.hea) or a CSV file "
                              "with a header line\n", hl7);
  g_assert_cmpstr (err, ==, expected);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TITRATE_CLI") == NULL)
    {
      g_test_skip ("TITRATE_CLI is not set: run this test through meson test");
      return g_test_run ();
    }
  g_test_add_func ("/cli/listen/stdin", test_stdin);
  g_test_add_func ("/cli/listen/stdin-table", test_stdin_table);
  g_test_add_func ("/cli/listen/mllp", test_mllp);
  g_test_add_func ("/cli/listen/tcp", test_tcp);
  g_test_add_func ("/cli/listen/errors", test_errors);
  g_test_add_func ("/cli/analyze/formats", test_analyze_formats);

  return g_test_run ();
}
