/* tt-test-gui.h: shared helpers of the GUI tests (header-only, one copy per test binary).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "tt-application.h"
#include "tt-patient-feed.h"
#include "tt-window.h"

/* Every GUI test starts with an empty session log of its own (TITRATE_DB, set per test by
 * tests/gui/meson.build in a folder named NAME.session-log), so that the cases an earlier run left
 * open are not found interrupted. Runs before main(), before the application opens the log. */
__attribute__((constructor)) static void
tt_test_empty_session_log (void)
{
  const char *db = g_getenv ("TITRATE_DB");
  g_autofree char *dir = db != NULL ? g_path_get_dirname (db) : NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL || !g_str_has_suffix (dir, ".session-log"))
    return;
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

/* Runs the main loop until @done is TRUE or @timeout_ms passes; returns whether it is done. */
static inline gboolean
tt_test_wait_until (gboolean *done,
                    guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return *done;
}

/* The application as the tests start it: not unique (tests run side by side), registered. */
static inline TtApplication *
tt_test_app_new (void)
{
  TtApplication *app = tt_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

/* Spins until @app's session log has opened, for at most 10 s; returns it (NULL if it did not). */
static inline TtStore *
tt_test_app_wait_store (TtApplication *app)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (tt_application_get_store (app) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return tt_application_get_store (app);
}

/* @app's window: the active one, which must be a TtWindow. */
static inline TtWindow *
tt_test_app_window (TtApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TT_IS_WINDOW (window));
  return TT_WINDOW (window);
}

/* The child of @window's template with the id @name, which must exist. */
static inline gpointer
tt_test_window_child (TtWindow   *window,
                      const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (window), TT_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

/* Lets go of the application as the end of g_application_run() would: its windows destroyed and
 * its session log closed, which joins the log's writer thread. GTK keeps a reference to a started
 * application until its "shutdown", which a test that never runs it does not reach, so the
 * application (and the log it owns) outlived the test: the writer thread went on while the process
 * exited, and the C library's teardown could meet it ("free(): invalid size", once in ten runs). */
static inline void
tt_test_app_free (TtApplication **app)
{
  GList *windows;

  if (*app == NULL)
    return;
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (*app))) != NULL)
    gtk_window_destroy (windows->data);
  if (tt_application_get_store (*app) != NULL)
    g_object_run_dispose (G_OBJECT (tt_application_get_store (*app)));
  g_clear_object (app);
}

/* Spins the main loop for @ms milliseconds so that layout and drawing happen. */
static inline void
tt_test_spin (guint ms)
{
  gboolean never = FALSE;

  tt_test_wait_until (&never, ms);
}

/* Lets @feed's virtual patient run @seconds of its time, @step_s at a time: each step moves the
 * test clock *@clock_us on (the feed runs at 60× it) and spins until the feed has caught up, for
 * at most 2 s a step. */
static inline void
tt_test_run_patient (TtPatientFeed *feed,
                     gint64        *clock_us,
                     int            seconds,
                     int            step_s)
{
  for (int done = 0; done < seconds; done += step_s)
    {
      int step = MIN (step_s, seconds - done);
      gint64 target = tt_patient_feed_get_time (feed) + step * 1000;
      gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      *clock_us += step * G_USEC_PER_SEC / 60;
      while (tt_patient_feed_get_time (feed) < target && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, FALSE);
    }
  tt_test_spin (10);
}

/* Renders @widget as it is on screen (its current style and animation frame) into a texture.
 * A widget caught between two frames (a style change on a loaded machine, under sanitizers) can
 * give an empty snapshot: it is taken again after the next frames, for at most 5 s. */
static inline GdkTexture *
tt_test_render (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  do
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        tt_test_spin (50);
    }
  while (node == NULL && g_get_monotonic_time () < end);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Renders @widget as it is on screen into a PNG file in the build directory and returns its path. */
static inline char *
tt_test_screenshot (GtkWidget  *widget,
                    const char *name)
{
  g_autoptr(GdkTexture) texture = tt_test_render (widget);
  const char *dir = g_getenv ("TITRATE_BUILD_DIR");
  g_autofree char *shots = g_build_filename (dir ? dir : ".", "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (shots, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (shots, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}
