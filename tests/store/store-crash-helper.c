/* store-crash-helper.c: records a case into the session log at 125 Hz until it is killed. The
 * crash test (test-store) kills it with SIGKILL. Sample times are wall-clock milliseconds, so the
 * test can tell how much was lost.
 *
 * Usage: store-crash-helper DATABASE
 * Prints "session ID" once the session is committed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "tt-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  TtStoreSetup setup;
  gint64 start;

  if (argc != 2)
    {
      g_printerr ("usage: store-crash-helper DATABASE\n");
      return 2;
    }
  store = tt_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("store-crash-helper: %s\n", error->message);
      return 1;
    }

  tt_store_setup_init (&setup);
  setup.label = (char *) "crash test";
  setup.mode = TT_STORE_MODE_TRAINING;
  setup.start_unix_ms = g_get_real_time () / 1000;
  setup.weight_kg = 70;
  setup.band_low = 72;
  setup.band_high = 92;
  setup.concentration_ug_ml = 20;
  setup.line_type = (char *) "central";
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  tt_store_add_event (session, setup.start_unix_ms, "induction", NULL);
  if (!tt_store_flush (store, &error))
    {
      g_printerr ("store-crash-helper: %s\n", error->message);
      return 1;
    }
  printf ("session %" G_GINT64_FORMAT "\n", tt_store_session_get_id (session));
  fflush (stdout);

  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    {
      gint64 now_ms = g_get_real_time () / 1000;
      TtSample sample = tt_sample_init (now_ms, 80 + 10 * sin (now_ms / 1000.0));

      tt_store_add_samples (session, &sample, 1);
      g_usleep (8000);
    }
  g_printerr ("store-crash-helper: not killed within 60 s\n");
  return 1;
}
