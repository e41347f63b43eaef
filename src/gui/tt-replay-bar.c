/* tt-replay-bar.c: the replay's transport controls. The feed plays; the bar only shows where it is
 * and turns clicks and keys into the feed's play, pause, seek and speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-format.h"
#include "tt-replay-bar.h"

struct _TtReplayBar
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkButton     *play_button;
  GtkLabel      *position_label;
  GtkScale      *scale;
  GtkAdjustment *adjustment;
  GtkWidget     *speed_box;

  /* owned */
  TtReplayFeed  *feed;
  GSignalGroup  *feed_signals;
  char          *position_text;
  gboolean       rewind;
};

enum {
  PROP_0,
  PROP_FEED,
  PROP_SPEED,
  PROP_REWIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static const double speeds[] = { TT_REPLAY_SPEEDS };

G_DEFINE_FINAL_TYPE (TtReplayBar, tt_replay_bar, GTK_TYPE_WIDGET)

GtkWidget *
tt_replay_bar_new (void)
{
  return g_object_new (TT_TYPE_REPLAY_BAR, NULL);
}

const char *
tt_replay_bar_get_position_text (TtReplayBar *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_BAR (self), NULL);
  return self->position_text;
}

static void
update_position (TtReplayBar *self)
{
  gint64 position = self->feed ? MAX (tt_replay_feed_get_position (self->feed), 0) : 0;
  gint64 duration = self->feed ? tt_replay_feed_get_duration (self->feed) : 0;
  g_autofree char *now = tt_format_clock (position);
  g_autofree char *end = tt_format_clock (duration);
  g_autofree char *spoken = NULL;

  g_free (self->position_text);
  /* Translators: replay position and length, "12:34 / 45:00". */
  self->position_text = g_strdup_printf (_("%s / %s"), now, end);
  gtk_label_set_text (self->position_label, self->position_text);

  gtk_adjustment_configure (self->adjustment, (double) position, 0, (double) MAX (duration, 1),
                            TT_REPLAY_BAR_STEP_MS, TT_REPLAY_BAR_PAGE_MS, 0);
  /* Translators: the replay position read out, "12:34 of 45:00". */
  spoken = g_strdup_printf (_("%s of %s"), now, end);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, spoken, -1);
}

static void
update_playing (TtReplayBar *self)
{
  gboolean playing = self->feed != NULL && tt_replay_feed_get_playing (self->feed);
  const char *label = playing ? _("Pause (Space)") : _("Play (Space)");

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause") : _("Play"), -1);
}

static void
speed_changed_cb (TtReplayBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

static void
update_sensitivity (TtReplayBar *self)
{
  gboolean has_feed = self->feed != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replay.toggle", has_feed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replay.seek", has_feed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replay.step", has_feed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replay.faster", has_feed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "replay.slower", has_feed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), has_feed);
  gtk_widget_set_sensitive (self->speed_box, has_feed);
}

TtReplayFeed *
tt_replay_bar_get_feed (TtReplayBar *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_BAR (self), NULL);
  return self->feed;
}

void
tt_replay_bar_set_feed (TtReplayBar  *self,
                        TtReplayFeed *feed)
{
  g_return_if_fail (TT_IS_REPLAY_BAR (self));
  g_return_if_fail (feed == NULL || TT_IS_REPLAY_FEED (feed));

  if (!g_set_object (&self->feed, feed))
    return;
  g_signal_group_set_target (self->feed_signals, feed);
  update_position (self);
  update_playing (self);
  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
tt_replay_bar_get_speed (TtReplayBar *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_BAR (self), 1.0);
  return self->feed != NULL ? tt_replay_feed_get_speed (self->feed) : 1.0;
}

void
tt_replay_bar_set_speed (TtReplayBar *self,
                         double       speed)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TT_IS_REPLAY_BAR (self));

  /* The feed notifies the change, which notifies ours. */
  if (self->feed != NULL && !tt_replay_feed_set_speed (self->feed, speed, &error))
    g_warning ("%s", error->message);
}

gboolean
tt_replay_bar_get_rewind (TtReplayBar *self)
{
  g_return_val_if_fail (TT_IS_REPLAY_BAR (self), TRUE);
  return self->rewind;
}

void
tt_replay_bar_set_rewind (TtReplayBar *self,
                          gboolean     rewind)
{
  g_return_if_fail (TT_IS_REPLAY_BAR (self));

  rewind = !!rewind;
  if (self->rewind == rewind)
    return;
  self->rewind = rewind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REWIND]);
}

/* Moves the replay to @t_ms, unless that is back in time and going back is not allowed. */
static void
seek (TtReplayBar *self,
      gint64       t_ms)
{
  if (self->feed == NULL)
    return;
  if (!self->rewind && t_ms < tt_replay_feed_get_position (self->feed))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      update_position (self);
      return;
    }
  tt_replay_feed_seek (self->feed, t_ms);
}

/* Seeks to where the user moved the scale (a drag, a click, the keys on the scale). */
static gboolean
change_value_cb (TtReplayBar   *self,
                 GtkScrollType  scroll,
                 double         value,
                 GtkRange      *range)
{
  seek (self, (gint64) value);
  return TRUE;
}

/* Actions */

static void
toggle_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtReplayBar *self = TT_REPLAY_BAR (widget);

  if (tt_replay_feed_get_playing (self->feed))
    tt_replay_feed_pause (self->feed);
  else
    tt_replay_feed_play (self->feed);
}

static void
seek_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TtReplayBar *self = TT_REPLAY_BAR (widget);

  seek (self, g_variant_get_int64 (parameter));
}

static void
step_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TtReplayBar *self = TT_REPLAY_BAR (widget);
  gint64 delta = g_variant_get_int64 (parameter);
  gint64 position = MAX (tt_replay_feed_get_position (self->feed), 0);

  /* Home and End step by the whole length; the feed clamps. */
  seek (self, delta < 0 ? MAX (position + delta, 0) : position + delta);
}

static void
faster_slower (TtReplayBar *self,
               int          direction)
{
  double speed = tt_replay_feed_get_speed (self->feed);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (speeds) && speeds[i] != speed; i++)
    ;
  if (i == G_N_ELEMENTS (speeds))
    i = direction > 0 ? G_N_ELEMENTS (speeds) - 1 : 0;   /* fastest: back to the ladder */
  else if (direction > 0 && i + 1 < G_N_ELEMENTS (speeds))
    i++;
  else if (direction < 0 && i > 0)
    i--;
  tt_replay_bar_set_speed (self, speeds[i]);
}

static void
faster_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  faster_slower (TT_REPLAY_BAR (widget), +1);
}

static void
slower_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  faster_slower (TT_REPLAY_BAR (widget), -1);
}

/* GObject */

static void
tt_replay_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtReplayBar *self = TT_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_FEED:
      g_value_set_object (value, self->feed);
      break;
    case PROP_SPEED:
      g_value_set_double (value, tt_replay_bar_get_speed (self));
      break;
    case PROP_REWIND:
      g_value_set_boolean (value, self->rewind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_replay_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtReplayBar *self = TT_REPLAY_BAR (object);

  switch (prop_id)
    {
    case PROP_FEED:
      tt_replay_bar_set_feed (self, g_value_get_object (value));
      break;
    case PROP_SPEED:
      tt_replay_bar_set_speed (self, g_value_get_double (value));
      break;
    case PROP_REWIND:
      tt_replay_bar_set_rewind (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_replay_bar_dispose (GObject *object)
{
  TtReplayBar *self = TT_REPLAY_BAR (object);
  GtkWidget *child;

  if (self->feed_signals != NULL)
    g_signal_group_set_target (self->feed_signals, NULL);
  g_clear_object (&self->feed_signals);
  g_clear_object (&self->feed);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_REPLAY_BAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_replay_bar_parent_class)->dispose (object);
}

static void
tt_replay_bar_finalize (GObject *object)
{
  g_free (TT_REPLAY_BAR (object)->position_text);

  G_OBJECT_CLASS (tt_replay_bar_parent_class)->finalize (object);
}

static void
add_step_binding (GtkWidgetClass *widget_class,
                  guint           key,
                  gint64          delta)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "replay.step", "x", delta);
}

static void
add_bindings (GtkWidgetClass *widget_class)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "replay.toggle", NULL);
  add_step_binding (widget_class, GDK_KEY_Left, -TT_REPLAY_BAR_STEP_MS);
  add_step_binding (widget_class, GDK_KEY_Right, TT_REPLAY_BAR_STEP_MS);
  add_step_binding (widget_class, GDK_KEY_Page_Up, -TT_REPLAY_BAR_PAGE_MS);
  add_step_binding (widget_class, GDK_KEY_Page_Down, TT_REPLAY_BAR_PAGE_MS);
  add_step_binding (widget_class, GDK_KEY_Home, G_MININT64 / 2);
  add_step_binding (widget_class, GDK_KEY_End, G_MAXINT64 / 2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "replay.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "replay.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "replay.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "replay.slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "replay.slower",
                                       NULL);
}

static void
tt_replay_bar_class_init (TtReplayBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_replay_bar_dispose;
  object_class->finalize = tt_replay_bar_finalize;
  object_class->get_property = tt_replay_bar_get_property;
  object_class->set_property = tt_replay_bar_set_property;

  properties[PROP_FEED] =
    g_param_spec_object ("feed", NULL, NULL, TT_TYPE_REPLAY_FEED,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, 60, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REWIND] =
    g_param_spec_boolean ("rewind", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-replay-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TtReplayBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, TtReplayBar, position_label);
  gtk_widget_class_bind_template_child (widget_class, TtReplayBar, scale);
  gtk_widget_class_bind_template_child (widget_class, TtReplayBar, adjustment);
  gtk_widget_class_bind_template_child (widget_class, TtReplayBar, speed_box);
  gtk_widget_class_bind_template_callback (widget_class, change_value_cb);

  gtk_widget_class_install_action (widget_class, "replay.toggle", NULL, toggle_cb);
  gtk_widget_class_install_action (widget_class, "replay.seek", "x", seek_cb);
  gtk_widget_class_install_action (widget_class, "replay.step", "x", step_cb);
  gtk_widget_class_install_action (widget_class, "replay.faster", NULL, faster_cb);
  gtk_widget_class_install_action (widget_class, "replay.slower", NULL, slower_cb);
  gtk_widget_class_install_property_action (widget_class, "replay.speed", "speed");

  add_bindings (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "replaybar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
tt_replay_bar_init (TtReplayBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rewind = TRUE;
  self->feed_signals = g_signal_group_new (TT_TYPE_REPLAY_FEED);
  g_signal_group_connect_swapped (self->feed_signals, "notify::position",
                                  G_CALLBACK (update_position), self);
  g_signal_group_connect_swapped (self->feed_signals, "notify::playing",
                                  G_CALLBACK (update_playing), self);
  g_signal_group_connect_swapped (self->feed_signals, "notify::speed",
                                  G_CALLBACK (speed_changed_cb), self);
  update_position (self);
  update_playing (self);
  update_sensitivity (self);
}
