/* tt-recording.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tt-beats.h"
#include "tt-feed-error.h"
#include <string.h>

#include "tt-recording.h"

static void
clear_event (gpointer data)
{
  TtRecordingEvent *event = data;

  g_clear_pointer (&event->kind, g_free);
  g_clear_pointer (&event->text, g_free);
}

TtRecording *
tt_recording_new (const char *format)
{
  TtRecording *recording = g_new0 (TtRecording, 1);

  recording->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  recording->events = g_array_new (FALSE, FALSE, sizeof (TtRecordingEvent));
  g_array_set_clear_func (recording->events, clear_event);
  recording->wave = g_array_new (FALSE, FALSE, sizeof (float));
  recording->format = g_strdup (format);
  return recording;
}

void
tt_recording_free (TtRecording *recording)
{
  if (recording == NULL)
    return;
  g_array_unref (recording->samples);
  g_array_unref (recording->events);
  g_clear_pointer (&recording->wave, g_array_unref);
  g_free (recording->format);
  g_free (recording->map_source);
  g_free (recording);
}

void
tt_recording_add_event (TtRecording *recording,
                        gint64       t_ms,
                        const char  *kind,
                        const char  *text)
{
  TtRecordingEvent event = { t_ms, g_strdup (kind), g_strdup (text) };
  guint i = recording->events->len;

  /* Keep time order; events mostly arrive in order, so search from the end. */
  while (i > 0 && g_array_index (recording->events, TtRecordingEvent, i - 1).t_ms > t_ms)
    i--;
  g_array_insert_val (recording->events, i, event);
}

/* The event kinds that exports write as plain labels and readers map back. */
static const char * const label_kinds[] = {
  "induction", "intubation", "incision", "position", "bolus", "note", NULL,
};

void
tt_recording_add_event_label (TtRecording *recording,
                              gint64       t_ms,
                              const char  *label)
{
  g_autofree char *valid = g_utf8_make_valid (label, -1);

  for (guint k = 0; label_kinds[k] != NULL; k++)
    {
      gsize n = strlen (label_kinds[k]);

      if (g_ascii_strncasecmp (valid, label_kinds[k], n) != 0)
        continue;
      if (valid[n] == '\0')
        {
          tt_recording_add_event (recording, t_ms, label_kinds[k], NULL);
          return;
        }
      if (valid[n] == ':' && valid[n + 1] == ' ')
        {
          tt_recording_add_event (recording, t_ms, label_kinds[k], valid + n + 2);
          return;
        }
    }
  tt_recording_add_event (recording, t_ms, "note", valid);
}

gint64
tt_recording_find_event (const TtRecording *recording,
                         const char        *kind)
{
  for (guint i = 0; i < recording->events->len; i++)
    {
      const TtRecordingEvent *event = &g_array_index (recording->events, TtRecordingEvent, i);

      if (g_strcmp0 (event->kind, kind) == 0)
        return event->t_ms;
    }
  return -1;
}

gboolean
tt_recording_map_from_wave (TtRecording  *recording,
                            const char   *wave_name,
                            GError      **error)
{
  g_autoptr(GArray) beats = NULL;

  if (recording->wave == NULL || recording->wave->len == 0)
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_WAVEFORM,
                   _("The arterial waveform “%s” holds no points"), wave_name);
      return FALSE;
    }
  if (!(recording->wave_hz >= TT_BEATS_MIN_HZ && recording->wave_hz <= TT_BEATS_MAX_HZ))
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_WAVEFORM,
                   _("The arterial waveform “%s” is sampled at %g Hz; beats are detected at 50 "
                     "to 2000 Hz"), wave_name, recording->wave_hz);
      return FALSE;
    }
  beats = tt_beats_detect ((const float *) (gpointer) recording->wave->data, recording->wave->len,
                           recording->wave_hz, recording->wave_t0_ms);
  if (beats->len == 0)
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_WAVEFORM,
                   _("No beats found in the arterial waveform “%s” (%.0f s)"), wave_name,
                   recording->wave->len / recording->wave_hz);
      return FALSE;
    }
  g_array_set_size (recording->samples, 0);
  g_array_append_vals (recording->samples, beats->data, beats->len);
  g_free (recording->map_source);
  recording->map_source = g_strdup_printf ("%s (beats)", wave_name);
  return TRUE;
}
