/* tt-feed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tt-feed.h"

typedef struct
{
  TtFeedStatus  status;
  char         *status_message;
  char         *description;
  gboolean      training;
} TtFeedPrivate;

G_DEFINE_ENUM_TYPE (TtFeedStatus, tt_feed_status,
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_WAITING, "waiting"),
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_STALE, "stale"),
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_ENDED, "ended"),
  G_DEFINE_ENUM_VALUE (TT_FEED_STATUS_ERROR, "error"))

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TtFeed, tt_feed, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  PROP_TRAINING,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  SAMPLES,
  EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gboolean
tt_feed_start (TtFeed  *self,
               GError **error)
{
  g_return_val_if_fail (TT_IS_FEED (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!TT_FEED_GET_CLASS (self)->start (self, error))
    {
      tt_feed_set_status (self, TT_FEED_STATUS_ERROR, error && *error ? (*error)->message : NULL);
      return FALSE;
    }
  if (tt_feed_get_status (self) == TT_FEED_STATUS_STOPPED)
    tt_feed_set_status (self, TT_FEED_STATUS_WAITING, NULL);
  return TRUE;
}

void
tt_feed_stop (TtFeed *self)
{
  g_return_if_fail (TT_IS_FEED (self));

  if (TT_FEED_GET_CLASS (self)->stop != NULL)
    TT_FEED_GET_CLASS (self)->stop (self);
  tt_feed_set_status (self, TT_FEED_STATUS_STOPPED, NULL);
}

TtFeedStatus
tt_feed_get_status (TtFeed *self)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  g_return_val_if_fail (TT_IS_FEED (self), TT_FEED_STATUS_ERROR);
  return priv->status;
}

const char *
tt_feed_get_status_message (TtFeed *self)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  g_return_val_if_fail (TT_IS_FEED (self), NULL);
  return priv->status_message;
}

gboolean
tt_feed_get_training (TtFeed *self)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  g_return_val_if_fail (TT_IS_FEED (self), TRUE);
  return priv->training;
}

const char *
tt_feed_get_description (TtFeed *self)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  g_return_val_if_fail (TT_IS_FEED (self), NULL);
  return priv->description;
}

void
tt_feed_set_status (TtFeed       *self,
                    TtFeedStatus  status,
                    const char   *message)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  g_return_if_fail (TT_IS_FEED (self));

  if (g_strcmp0 (priv->status_message, message) != 0)
    {
      g_free (priv->status_message);
      priv->status_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MESSAGE]);
    }
  if (priv->status != status)
    {
      priv->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

void
tt_feed_set_status_message (TtFeed     *self,
                            const char *message)
{
  tt_feed_set_status (self, tt_feed_get_status (self), message);
}

void
tt_feed_emit_samples (TtFeed         *self,
                      const TtSample *samples,
                      guint           n_samples)
{
  g_return_if_fail (TT_IS_FEED (self));

  if (n_samples == 0)
    return;
  if (tt_feed_get_status (self) != TT_FEED_STATUS_CONNECTED)
    tt_feed_set_status (self, TT_FEED_STATUS_CONNECTED, NULL);
  g_signal_emit (self, signals[SAMPLES], 0, samples, n_samples);
}

void
tt_feed_emit_event (TtFeed     *self,
                    gint64      t_ms,
                    const char *kind,
                    const char *text)
{
  g_return_if_fail (TT_IS_FEED (self));

  g_signal_emit (self, signals[EVENT], 0, t_ms, kind, text);
}

static void
tt_feed_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TtFeed *self = TT_FEED (object);
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, priv->status);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, priv->status_message);
      break;
    case PROP_TRAINING:
      g_value_set_boolean (value, priv->training);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, priv->description);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_feed_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TtFeed *self = TT_FEED (object);
  TtFeedPrivate *priv = tt_feed_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_TRAINING:
      priv->training = g_value_get_boolean (value);
      break;
    case PROP_DESCRIPTION:
      g_free (priv->description);
      priv->description = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_feed_finalize (GObject *object)
{
  TtFeedPrivate *priv = tt_feed_get_instance_private (TT_FEED (object));

  g_free (priv->status_message);
  g_free (priv->description);

  G_OBJECT_CLASS (tt_feed_parent_class)->finalize (object);
}

static void
tt_feed_class_init (TtFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_feed_get_property;
  object_class->set_property = tt_feed_set_property;
  object_class->finalize = tt_feed_finalize;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, TT_TYPE_FEED_STATUS, TT_FEED_STATUS_STOPPED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* TRUE for whatever is not a live patient: the virtual patient and every replay. */
  properties[PROP_TRAINING] =
    g_param_spec_boolean ("training", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* What the header bar shows as the source, e.g. "live from HL7 monitor feed". */
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Samples in time order; the array is only valid during emission. */
  signals[SAMPLES] =
    g_signal_new ("samples", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (TtFeedClass, samples), NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
  /* An event the source carries, e.g. kind "induction" in a recording. */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (TtFeedClass, event), NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tt_feed_init (TtFeed *self)
{
}
