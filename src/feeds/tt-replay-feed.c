/* tt-replay-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-replay-feed.h"

/* Samples per idle callback at the fastest speed: large enough to be quick, small enough that
 * the main loop still draws and answers between chunks. */
#define FAST_CHUNK 4096
#define DEFAULT_TICK_MS 100

struct _TtReplayFeed
{
  TtFeed           parent_instance;

  TtRecording     *recording;
  double           speed;
  guint            tick_ms;
  TtFeedClockFunc  clock;
  gpointer         clock_data;

  gboolean         playing;
  guint            source_id;
  gint64           position_ms;    /* everything at or before it has been emitted */
  gint64           base_position_ms;
  gint64           base_us;
  guint            next_sample;
  guint            next_event;
  gboolean         emitted_any;    /* position_ms is inclusive only once something was played */
};

G_DEFINE_FINAL_TYPE (TtReplayFeed, tt_replay_feed, TT_TYPE_FEED)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

enum {
  SEEKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static const double speeds[] = { TT_REPLAY_SPEEDS };

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gint64
sample_time (TtReplayFeed *self,
             guint         i)
{
  return g_array_index (self->recording->samples, TtSample, i).t_ms;
}

static gint64
event_time (TtReplayFeed *self,
            guint         i)
{
  return g_array_index (self->recording->events, TtRecordingEvent, i).t_ms;
}

gint64
tt_replay_feed_get_duration (TtReplayFeed *self)
{
  gint64 end = 0;

  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), 0);
  if (self->recording->samples->len > 0)
    end = sample_time (self, self->recording->samples->len - 1);
  if (self->recording->events->len > 0)
    end = MAX (end, event_time (self, self->recording->events->len - 1));
  return end;
}

static gboolean
at_end (TtReplayFeed *self)
{
  return self->next_sample >= self->recording->samples->len &&
         self->next_event >= self->recording->events->len;
}

static void
set_position (TtReplayFeed *self,
              gint64        position_ms)
{
  if (self->position_ms == position_ms)
    return;
  self->position_ms = position_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

/* Emits events and samples up to and including @until, at most @max_samples samples; returns
 * whether it stopped because of the limit. */
static gboolean
emit_until (TtReplayFeed *self,
            gint64        until,
            guint         max_samples)
{
  GArray *samples = self->recording->samples;
  GArray *events = self->recording->events;
  guint emitted = 0;

  while (emitted < max_samples)
    {
      guint first = self->next_sample;
      guint last = first;
      gboolean has_event = self->next_event < events->len;
      gint64 next_event_t = has_event ? event_time (self, self->next_event) : G_MAXINT64;

      /* Events first at equal times: "induction" at t belongs before the sample at t. */
      if (has_event && next_event_t <= until &&
          (first >= samples->len || next_event_t <= sample_time (self, first)))
        {
          const TtRecordingEvent *event = &g_array_index (events, TtRecordingEvent,
                                                          self->next_event);

          self->next_event++;
          tt_feed_emit_event (TT_FEED (self), event->t_ms, event->kind, event->text);
          continue;
        }
      while (last < samples->len && last - first < max_samples - emitted &&
             sample_time (self, last) <= until &&
             (!has_event || sample_time (self, last) < next_event_t))
        last++;
      if (last == first)
        return FALSE;
      self->next_sample = last;
      emitted += last - first;
      tt_feed_emit_samples (TT_FEED (self), &g_array_index (samples, TtSample, first), last - first);
      /* A handler may have paused, seeked or stopped the replay. */
      if (self->next_sample != last)
        return FALSE;
    }
  return TRUE;
}

static void
stop_source (TtReplayFeed *self)
{
  g_clear_handle_id (&self->source_id, g_source_remove);
}

static void
finish (TtReplayFeed *self)
{
  stop_source (self);
  if (self->playing)
    {
      self->playing = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }
  tt_feed_set_status (TT_FEED (self), TT_FEED_STATUS_ENDED, _("End of the recording"));
}

static gboolean
tick_cb (gpointer user_data)
{
  TtReplayFeed *self = TT_REPLAY_FEED (user_data);
  g_autoptr(TtReplayFeed) hold G_GNUC_UNUSED = g_object_ref (self);
  gint64 now = self->clock (self->clock_data);
  guint id = self->source_id;
  gint64 target;

  target = self->base_position_ms + (gint64) floor ((now - self->base_us) / 1000.0 * self->speed);
  target = MIN (target, tt_replay_feed_get_duration (self));
  emit_until (self, target, G_MAXUINT);
  if (self->source_id != id)
    return G_SOURCE_REMOVE;   /* paused, seeked or stopped by a handler: this source is gone */
  set_position (self, MAX (self->position_ms, target));
  if (at_end (self))
    {
      self->source_id = 0;
      finish (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
fast_cb (gpointer user_data)
{
  TtReplayFeed *self = TT_REPLAY_FEED (user_data);
  g_autoptr(TtReplayFeed) hold G_GNUC_UNUSED = g_object_ref (self);
  guint before = self->next_sample;
  guint id = self->source_id;

  emit_until (self, G_MAXINT64, FAST_CHUNK);
  if (self->source_id != id)
    return G_SOURCE_REMOVE;
  if (self->next_sample > before)
    set_position (self, sample_time (self, self->next_sample - 1));
  if (at_end (self))
    {
      set_position (self, tt_replay_feed_get_duration (self));
      self->source_id = 0;
      finish (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_source (TtReplayFeed *self)
{
  stop_source (self);
  self->base_us = self->clock (self->clock_data);
  self->base_position_ms = self->position_ms;
  if (self->speed == TT_REPLAY_SPEED_FASTEST)
    self->source_id = g_idle_add (fast_cb, self);
  else
    self->source_id = g_timeout_add (self->tick_ms, tick_cb, self);
}

void
tt_replay_feed_play (TtReplayFeed *self)
{
  g_return_if_fail (TT_IS_REPLAY_FEED (self));

  if (at_end (self))
    tt_replay_feed_seek (self, 0);
  if (!self->playing)
    {
      self->playing = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }
  start_source (self);
  tt_feed_set_status (TT_FEED (self), self->emitted_any ? TT_FEED_STATUS_CONNECTED
                                                        : TT_FEED_STATUS_WAITING, NULL);
}

void
tt_replay_feed_pause (TtReplayFeed *self)
{
  g_return_if_fail (TT_IS_REPLAY_FEED (self));

  stop_source (self);
  if (self->playing)
    {
      self->playing = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
      tt_feed_set_status_message (TT_FEED (self), _("Paused"));
    }
}

gboolean
tt_replay_feed_get_playing (TtReplayFeed *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), FALSE);
  return self->playing;
}

void
tt_replay_feed_seek (TtReplayFeed *self,
                     gint64        t_ms)
{
  GArray *samples, *events;
  guint lo, hi;

  g_return_if_fail (TT_IS_REPLAY_FEED (self));

  samples = self->recording->samples;
  events = self->recording->events;
  t_ms = CLAMP (t_ms, 0, tt_replay_feed_get_duration (self));
  /* The first sample and event at or after t_ms are the next to play. */
  for (lo = 0, hi = samples->len; lo < hi;)
    {
      guint mid = lo + (hi - lo) / 2;

      if (sample_time (self, mid) < t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  self->next_sample = lo;
  for (lo = 0, hi = events->len; lo < hi;)
    {
      guint mid = lo + (hi - lo) / 2;

      if (event_time (self, mid) < t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  self->next_event = lo;
  self->position_ms = -1;
  set_position (self, t_ms);
  if (tt_feed_get_status (TT_FEED (self)) == TT_FEED_STATUS_ENDED)
    tt_feed_set_status (TT_FEED (self), TT_FEED_STATUS_CONNECTED, NULL);
  g_signal_emit (self, signals[SEEKED], 0, t_ms);
  if (self->source_id != 0)
    start_source (self);
}

gint64
tt_replay_feed_get_position (TtReplayFeed *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), 0);
  return self->position_ms;
}

gboolean
tt_replay_feed_set_speed (TtReplayFeed  *self,
                          double         speed,
                          GError       **error)
{
  gboolean allowed = speed == TT_REPLAY_SPEED_FASTEST;

  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    allowed |= speed == speeds[i];
  if (!allowed)
    {
      g_set_error (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT,
                   _("Replay speed %g× is not offered; choose 1×, 2×, 5×, 10×, 30×, 60× or as fast "
                     "as possible"), speed);
      return FALSE;
    }
  if (self->speed == speed)
    return TRUE;
  self->speed = speed;
  if (self->source_id != 0)
    start_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
  return TRUE;
}

double
tt_replay_feed_get_speed (TtReplayFeed *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), 1.0);
  return self->speed;
}

void
tt_replay_feed_set_clock (TtReplayFeed    *self,
                          TtFeedClockFunc  clock,
                          gpointer         user_data)
{
  g_return_if_fail (TT_IS_REPLAY_FEED (self));
  self->clock = clock != NULL ? clock : monotonic_clock;
  self->clock_data = user_data;
  if (self->source_id != 0)
    start_source (self);
}

void
tt_replay_feed_set_tick_ms (TtReplayFeed *self,
                            guint         tick_ms)
{
  g_return_if_fail (TT_IS_REPLAY_FEED (self));
  self->tick_ms = MAX (tick_ms, 1);
  if (self->source_id != 0)
    start_source (self);
}

const TtRecording *
tt_replay_feed_get_recording (TtReplayFeed *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_FEED (self), NULL);
  return self->recording;
}

static void
samples_class_cb (TtFeed         *feed,
                  const TtSample *samples,
                  guint           n_samples)
{
  TT_REPLAY_FEED (feed)->emitted_any = TRUE;
}

static gboolean
tt_replay_feed_start (TtFeed  *feed,
                      GError **error)
{
  tt_replay_feed_play (TT_REPLAY_FEED (feed));
  return TRUE;
}

static void
tt_replay_feed_stop (TtFeed *feed)
{
  TtReplayFeed *self = TT_REPLAY_FEED (feed);

  stop_source (self);
  if (self->playing)
    {
      self->playing = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }
}

static void
tt_replay_feed_dispose (GObject *object)
{
  stop_source (TT_REPLAY_FEED (object));
  G_OBJECT_CLASS (tt_replay_feed_parent_class)->dispose (object);
}

static void
tt_replay_feed_finalize (GObject *object)
{
  TtReplayFeed *self = TT_REPLAY_FEED (object);

  g_clear_pointer (&self->recording, tt_recording_free);
  G_OBJECT_CLASS (tt_replay_feed_parent_class)->finalize (object);
}

static void
tt_replay_feed_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtReplayFeed *self = TT_REPLAY_FEED (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_int64 (value, self->position_ms);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_replay_feed_class_init (TtReplayFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TtFeedClass *feed_class = TT_FEED_CLASS (klass);

  object_class->dispose = tt_replay_feed_dispose;
  object_class->finalize = tt_replay_feed_finalize;
  object_class->get_property = tt_replay_feed_get_property;
  feed_class->start = tt_replay_feed_start;
  feed_class->stop = tt_replay_feed_stop;
  feed_class->samples = samples_class_cb;

  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, 60, 1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After a seek: the next samples start at this time (ms), not after the last ones. */
  signals[SEEKED] =
    g_signal_new ("seeked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
tt_replay_feed_init (TtReplayFeed *self)
{
  self->speed = 1.0;
  self->tick_ms = DEFAULT_TICK_MS;
  self->clock = monotonic_clock;
}

TtReplayFeed *
tt_replay_feed_new (TtRecording *recording)
{
  TtReplayFeed *self;
  g_autofree char *description = NULL;

  g_return_val_if_fail (recording != NULL, NULL);

  description = g_strdup_printf (_("replay of a %s recording"),
                                 recording->format != NULL ? recording->format : "");
  self = g_object_new (TT_TYPE_REPLAY_FEED, "training", TRUE, "description", description, NULL);
  self->recording = recording;
  return self;
}
