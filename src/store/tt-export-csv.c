/* tt-export-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tt-export-csv.h"

/* The shortest decimal that reads back as the same double, so exported cases measure the same. */
static void
append_number (GString *line,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return;
  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (line, buffer);
}

static void
append_field (GString    *line,
              const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",;\t\"\r\n") == NULL && text[0] != '#')
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
append_time (GString *line,
             gint64   t_ms)
{
  g_string_append_printf (line, "%s%" G_GINT64_FORMAT ".%03d", t_ms < 0 ? "-" : "",
                          ABS (t_ms) / 1000, (int) (ABS (t_ms) % 1000));
}

/* What the reader's event column understands: its own kinds as they are, a note as its text. */
static char *
event_cell (const TtRecordingEvent *event)
{
  static const char * const kinds[] = {
    "induction", "intubation", "incision", "position", "bolus", NULL,
  };

  if (g_strv_contains (kinds, event->kind))
    return g_strdup (event->kind);
  if (g_strcmp0 (event->kind, "note") == 0 && event->text != NULL && event->text[0] != '\0')
    return g_strdup (event->text);
  if (event->text != NULL && event->text[0] != '\0')
    return g_strdup_printf ("%s: %s", event->kind, event->text);
  return g_strdup (event->kind);
}

static void
append_header (GString           *out,
               const TtStoreCase *c,
               gint64             shift_ms)
{
  const TtStoreSetup *s = &c->info->setup;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (s->start_unix_ms / 1000);
  g_autofree char *start_text = start != NULL ? g_date_time_format_iso8601 (start) : NULL;
  g_autofree char *label = g_strdelimit (g_strdup (s->label != NULL ? s->label : ""), "\r\n", ' ');

  g_string_append_printf (out, "# Titrate session %" G_GINT64_FORMAT " (%s), started %s, "
                          "exported by Titrate %s\n",
                          c->info->id, tt_store_mode_to_string (s->mode),
                          start_text != NULL ? start_text : "?", PACKAGE_VERSION);
  g_string_append (out, "# label: ");
  g_string_append (out, label);
  g_string_append (out, "\n# weight ");
  if (isfinite (s->weight_kg))
    append_number (out, s->weight_kg);
  else
    g_string_append_c (out, '?');
  g_string_append (out, " kg; target band ");
  append_number (out, s->band_low);
  g_string_append (out, "–");
  append_number (out, s->band_high);
  g_string_append (out, " mmHg; NE ");
  if (isfinite (s->concentration_ug_ml))
    append_number (out, s->concentration_ug_ml);
  else
    g_string_append_c (out, '?');
  g_string_append_printf (out, " µg/mL, %s line\n", s->line_type != NULL ? s->line_type : "?");
  g_string_append (out, "# time_s: seconds on the case clock; map, sbp, dbp: mmHg; hr: beats/min;"
                        " quality: the sample's signal flag\n");
  if (shift_ms != 0)
    g_string_append_printf (out, "# times are shifted by %+.3f s so that none is negative\n",
                            shift_ms / 1000.0);
  g_string_append (out, "time_s,map,sbp,dbp,hr,event,event_text,quality\n");
}

gboolean
tt_export_csv_write (const TtStoreCase  *c,
                     GOutputStream      *out,
                     GCancellable       *cancellable,
                     GError            **error)
{
  const GArray *samples = c->recording->samples;
  const GArray *events = c->recording->events;
  g_autoptr(GString) text = g_string_sized_new (64 * 1024);
  gint64 first = 0, shift_ms;
  guint i = 0, k = 0;

  if (samples->len > 0)
    first = MIN (first, g_array_index (samples, TtSample, 0).t_ms);
  if (events->len > 0)
    first = MIN (first, g_array_index (events, TtRecordingEvent, 0).t_ms);
  shift_ms = -first;
  append_header (text, c, shift_ms);

  while (i < samples->len || k < events->len)
    {
      gboolean take_sample =
        k == events->len ||
        (i < samples->len && g_array_index (samples, TtSample, i).t_ms <=
                             g_array_index (events, TtRecordingEvent, k).t_ms);

      if (take_sample)
        {
          const TtSample *s = &g_array_index (samples, TtSample, i++);

          append_time (text, s->t_ms + shift_ms);
          g_string_append_c (text, ',');
          append_number (text, s->map);
          g_string_append_c (text, ',');
          append_number (text, s->sbp);
          g_string_append_c (text, ',');
          append_number (text, s->dbp);
          g_string_append_c (text, ',');
          append_number (text, s->hr);
          g_string_append (text, ",,,");
          g_string_append (text, tt_quality_to_string (s->quality));
        }
      else
        {
          const TtRecordingEvent *e = &g_array_index (events, TtRecordingEvent, k++);
          g_autofree char *cell = event_cell (e);

          append_time (text, e->t_ms + shift_ms);
          g_string_append (text, ",,,,,");
          append_field (text, cell);
          g_string_append_c (text, ',');
          append_field (text, e->text);
          g_string_append_c (text, ',');
        }
      g_string_append_c (text, '\n');

      if (text->len >= 60 * 1024)
        {
          if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (text, 0);
        }
    }
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

gboolean
tt_export_csv_to_file (const TtStoreCase  *c,
                       const char         *path,
                       GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                        NULL, error);
  if (out == NULL)
    return FALSE;
  if (!tt_export_csv_write (c, G_OUTPUT_STREAM (out), NULL, error))
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      /* Closing a cancelled replace leaves the old file (or none) in place. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
