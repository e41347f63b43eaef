/* tt-test-feeds.h: helpers shared by the feed tests (header-only, static functions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <string.h>

/* The path of @relative under TITRATE_SHARED_DATA, or NULL after marking the test skipped
 * (visibly, with the reason) when the folder or the file is absent. */
static inline char *
tt_test_shared_file (const char *relative)
{
  const char *dir = g_getenv ("TITRATE_SHARED_DATA");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("TITRATE_SHARED_DATA is not set: the third-party recordings are absent");
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

static inline GBytes *
tt_test_shared_bytes (const char *relative)
{
  g_autofree char *path = tt_test_shared_file (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (path == NULL)
    return NULL;
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* @data compressed as one gzip stream. */
static inline GBytes *
tt_test_gzip (const void *data,
              gsize       len)
{
  g_autoptr(GZlibCompressor) compressor =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_pos = 0;

  for (;;)
    {
      guint8 buffer[4096];
      gsize bytes_read = 0, bytes_written = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (compressor), (const guint8 *) data + in_pos,
                                    len - in_pos, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written,
                                    &error);
      g_assert_no_error (error);
      in_pos += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
