/* tt-alert.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tt-alert.h"

struct _TtAlert
{
  GObject      parent_instance;

  TtAlertKind  kind;
  char        *text;
  gint64       raised_ms;
  gint64       acknowledged_ms;
};

G_DEFINE_FINAL_TYPE (TtAlert, tt_alert, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TtAlertPriority, tt_alert_priority,
  G_DEFINE_ENUM_VALUE (TT_ALERT_PRIORITY_LOW, "low"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_PRIORITY_MEDIUM, "medium"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_PRIORITY_HIGH, "high"))

G_DEFINE_ENUM_TYPE (TtAlertKind, tt_alert_kind,
  G_DEFINE_ENUM_VALUE (TT_ALERT_MAP_CRITICAL, "map-critical"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_NO_SIGNAL, "no-signal"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_SOFT_LIMIT, "soft-limit"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_SYRINGE_EMPTY, "syringe-empty"),
  G_DEFINE_ENUM_VALUE (TT_ALERT_CHECKLIST_OVERRIDE, "checklist-override"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_PRIORITY,
  PROP_TEXT,
  PROP_RAISED_MS,
  PROP_ACKNOWLEDGED,
  PROP_ACKNOWLEDGED_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TtAlertPriority
tt_alert_kind_get_priority (TtAlertKind kind)
{
  switch (kind)
    {
    case TT_ALERT_MAP_CRITICAL:
      return TT_ALERT_PRIORITY_HIGH;
    case TT_ALERT_NO_SIGNAL:
    case TT_ALERT_SOFT_LIMIT:
      return TT_ALERT_PRIORITY_MEDIUM;
    case TT_ALERT_SYRINGE_EMPTY:
    case TT_ALERT_CHECKLIST_OVERRIDE:
    case TT_N_ALERT_KINDS:
    default:
      return TT_ALERT_PRIORITY_LOW;
    }
}

const char *
tt_alert_kind_to_string (TtAlertKind kind)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TT_TYPE_ALERT_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  return value != NULL ? value->value_nick : "invalid";
}

const char *
tt_alert_priority_to_string (TtAlertPriority priority)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TT_TYPE_ALERT_PRIORITY);
  GEnumValue *value = g_enum_get_value (klass, priority);

  return value != NULL ? value->value_nick : "invalid";
}

const char *
tt_alert_priority_describe (TtAlertPriority priority)
{
  switch (priority)
    {
    case TT_ALERT_PRIORITY_HIGH:
      return C_("alert priority", "HIGH");
    case TT_ALERT_PRIORITY_MEDIUM:
      return C_("alert priority", "MEDIUM");
    case TT_ALERT_PRIORITY_LOW:
    default:
      return C_("alert priority", "LOW");
    }
}

TtAlert *
tt_alert_new (TtAlertKind  kind,
              gint64       t_ms,
              const char  *text)
{
  TtAlert *self;

  g_return_val_if_fail (kind < TT_N_ALERT_KINDS, NULL);

  self = g_object_new (TT_TYPE_ALERT, NULL);
  self->kind = kind;
  self->raised_ms = t_ms;
  self->text = g_strdup (text);
  return self;
}

TtAlertKind
tt_alert_get_kind (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), TT_N_ALERT_KINDS);
  return self->kind;
}

TtAlertPriority
tt_alert_get_priority (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), TT_ALERT_PRIORITY_LOW);
  return tt_alert_kind_get_priority (self->kind);
}

const char *
tt_alert_get_text (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), NULL);
  return self->text;
}

void
tt_alert_set_text (TtAlert    *self,
                   const char *text)
{
  g_return_if_fail (TT_IS_ALERT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

gint64
tt_alert_get_raised_ms (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), -1);
  return self->raised_ms;
}

gboolean
tt_alert_get_acknowledged (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), FALSE);
  return self->acknowledged_ms >= 0;
}

gint64
tt_alert_get_acknowledged_ms (TtAlert *self)
{
  g_return_val_if_fail (TT_IS_ALERT (self), -1);
  return self->acknowledged_ms;
}

void
tt_alert_acknowledge (TtAlert *self,
                      gint64   t_ms)
{
  g_return_if_fail (TT_IS_ALERT (self));

  if (self->acknowledged_ms >= 0)
    return;
  self->acknowledged_ms = t_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKNOWLEDGED_MS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACKNOWLEDGED]);
}

static void
tt_alert_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TtAlert *self = TT_ALERT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, tt_alert_get_priority (self));
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_RAISED_MS:
      g_value_set_int64 (value, self->raised_ms);
      break;
    case PROP_ACKNOWLEDGED:
      g_value_set_boolean (value, tt_alert_get_acknowledged (self));
      break;
    case PROP_ACKNOWLEDGED_MS:
      g_value_set_int64 (value, self->acknowledged_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_alert_finalize (GObject *object)
{
  TtAlert *self = TT_ALERT (object);

  g_free (self->text);

  G_OBJECT_CLASS (tt_alert_parent_class)->finalize (object);
}

static void
tt_alert_class_init (TtAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = tt_alert_get_property;
  object_class->finalize = tt_alert_finalize;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TT_TYPE_ALERT_KIND, TT_ALERT_MAP_CRITICAL, flags);
  properties[PROP_PRIORITY] =
    g_param_spec_enum ("priority", NULL, NULL, TT_TYPE_ALERT_PRIORITY, TT_ALERT_PRIORITY_LOW,
                       flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_RAISED_MS] =
    g_param_spec_int64 ("raised-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ACKNOWLEDGED] =
    g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE, flags);
  properties[PROP_ACKNOWLEDGED_MS] =
    g_param_spec_int64 ("acknowledged-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_alert_init (TtAlert *self)
{
  self->raised_ms = -1;
  self->acknowledged_ms = -1;
}
