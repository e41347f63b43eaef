/* tt-recording-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tt-feed-error.h"
#include "tt-recording-load.h"
#include "tt-vital.h"
#include "tt-wfdb.h"

/* A CSV or WFDB header is read whole; a larger file is not a recording of one case. */
#define MAX_TEXT_BYTES (512u * 1024 * 1024)
#define HEAD_BYTES 4096

/* A WFDB record line: "name nsig [fs …]", name without separators, nsig a number. */
static gboolean
looks_like_wfdb (const char *text,
                 gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_auto(GStrv) tokens = NULL;
      guint n = 0;

      if (*line == '\0' || *line == '#')
        continue;
      if (strpbrk (line, ",;\"") != NULL)
        return FALSE;
      tokens = g_strsplit_set (line, " \t", -1);
      for (guint k = 0; tokens[k] != NULL; k++)
        if (*tokens[k] != '\0')
          {
            if (n == 1)
              return g_ascii_string_to_unsigned (tokens[k], 10, 0, TT_WFDB_MAX_SIGNALS, NULL, NULL);
            n++;
          }
      return FALSE;
    }
  return FALSE;
}

/* UTF-8 text without control characters other than tabs and line ends (a character cut at the
 * end of the head is fine). */
static gboolean
looks_like_text (const guint8 *head,
                 gsize         len)
{
  const char *end = NULL;

  for (gsize i = 0; i < len; i++)
    if (head[i] < 0x20 && head[i] != '\t' && head[i] != '\r' && head[i] != '\n')
      return FALSE;
  return g_utf8_validate ((const char *) head, len, &end) ||
         (gsize) (end - (const char *) head) + 4 > len;
}

const char *
tt_recording_load_detect_format (const guint8 *head,
                                 gsize         len)
{
  if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    return "vital";
  if (len == 0 || !looks_like_text (head, len))
    return NULL;
  if (looks_like_wfdb ((const char *) head, len))
    return "wfdb";
  /* A header line with a field separator. */
  {
    const guint8 *end = memchr (head, '\n', len);
    gsize line = end != NULL ? (gsize) (end - head) : len;

    for (gsize i = 0; i < line; i++)
      if (head[i] == ',' || head[i] == ';' || head[i] == '\t')
        return "csv";
  }
  return NULL;
}

static gboolean
read_head (GFile         *file,
           guint8        *head,
           gsize         *len,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);

  return stream != NULL &&
         g_input_stream_read_all (G_INPUT_STREAM (stream), head, HEAD_BYTES, len, cancellable,
                                  error);
}

TtRecording *
tt_recording_load_file_full (const char          *path,
                             const TtCsvOptions  *csv_options,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree guint8 *head = g_malloc (HEAD_BYTES);
  gsize len = 0;
  const char *format;

  g_return_val_if_fail (path != NULL, NULL);

  if (!read_head (file, head, &len, cancellable, error))
    return NULL;
  format = tt_recording_load_detect_format (head, len);

  if (g_strcmp0 (format, "vital") == 0)
    {
      g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);

      return stream != NULL ? tt_vital_read (G_INPUT_STREAM (stream), cancellable, error) : NULL;
    }
  if (g_strcmp0 (format, "wfdb") == 0)
    return tt_wfdb_load_file (path, cancellable, error);
  if (g_strcmp0 (format, "csv") == 0)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, cancellable, error);
      g_autoptr(GBytes) bytes = NULL;
      gsize size;
      const char *data;

      if (info == NULL)
        return NULL;
      if (g_file_info_get_size (info) > MAX_TEXT_BYTES)
        {
          g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT,
                       _("“%s” is larger than %u MB, more than one case’s recording"), path,
                       MAX_TEXT_BYTES / (1024 * 1024));
          return NULL;
        }
      bytes = g_file_load_bytes (file, cancellable, NULL, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      return tt_csv_parse (data != NULL ? data : "", size, csv_options, error);
    }

  {
    g_autofree char *dirname = g_path_get_dirname (path);
    g_autofree char *basename = g_path_get_basename (path);
    char *dot = strrchr (basename, '.');
    g_autofree char *hea = NULL;

    /* The signal file of a WFDB record rather than its header: say which file to open. */
    if (dot != NULL && g_str_equal (dot, ".dat"))
      {
        *dot = '\0';
        hea = g_strdup_printf ("%s/%s.hea", dirname, basename);
      }
    if (hea != NULL && g_file_test (hea, G_FILE_TEST_IS_REGULAR))
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT,
                   _("“%s” is the signal file of a WFDB record: open its header “%s”"), path, hea);
    else
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT,
                   _("“%s” is not a recording Titrate reads: expected a VitalDB .vital file, a "
                     "WFDB header (.hea) or a CSV file with a header line"), path);
  }
  return NULL;
}

TtRecording *
tt_recording_load_file (const char  *path,
                        GError     **error)
{
  return tt_recording_load_file_full (path, NULL, NULL, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TtRecording *recording = tt_recording_load_file_full (task_data, NULL, cancellable, &error);

  if (recording == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, recording, (GDestroyNotify) tt_recording_free);
}

void
tt_recording_load_file_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tt_recording_load_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

TtRecording *
tt_recording_load_file_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
