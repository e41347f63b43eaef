/* tt-checklist-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tt-checklist-item.h"

struct _TtChecklistItem
{
  GObject        parent_instance;

  TtChecklistId  id;
  char          *title;
  char          *detail;
  gint64         ticked_ms;
};

G_DEFINE_FINAL_TYPE (TtChecklistItem, tt_checklist_item, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TtChecklistId, tt_checklist_id,
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_PUMP_PRIMED, "pump-primed"),
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_SYRINGE, "syringe"),
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_IV_ACCESS, "iv-access"),
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_RESCUE_BOLUS, "rescue-bolus"),
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_ARTERIAL_LINE, "arterial-line"),
  G_DEFINE_ENUM_VALUE (TT_CHECKLIST_MAP_TARGET, "map-target"))

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DETAIL,
  PROP_DONE,
  PROP_TICKED_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tt_checklist_id_to_string (TtChecklistId id)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TT_TYPE_CHECKLIST_ID);
  GEnumValue *value = g_enum_get_value (klass, id);

  return value != NULL ? value->value_nick : "invalid";
}

gboolean
tt_checklist_id_from_string (const char    *name,
                             TtChecklistId *id)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TT_TYPE_CHECKLIST_ID);
  GEnumValue *value = name != NULL ? g_enum_get_value_by_nick (klass, name) : NULL;

  if (value == NULL)
    return FALSE;
  *id = value->value;
  return TRUE;
}

TtChecklistItem *
tt_checklist_item_new (TtChecklistId id)
{
  TtChecklistItem *self;

  g_return_val_if_fail (id < TT_N_CHECKLIST_ITEMS, NULL);

  self = g_object_new (TT_TYPE_CHECKLIST_ITEM, NULL);
  self->id = id;
  return self;
}

TtChecklistId
tt_checklist_item_get_id (TtChecklistItem *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (self), TT_N_CHECKLIST_ITEMS);
  return self->id;
}

const char *
tt_checklist_item_get_title (TtChecklistItem *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (self), NULL);
  return self->title;
}

const char *
tt_checklist_item_get_detail (TtChecklistItem *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (self), NULL);
  return self->detail;
}

gboolean
tt_checklist_item_get_done (TtChecklistItem *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (self), FALSE);
  return self->ticked_ms >= 0;
}

gint64
tt_checklist_item_get_ticked_ms (TtChecklistItem *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_ITEM (self), -1);
  return self->ticked_ms;
}

void
tt_checklist_item_set_text (TtChecklistItem *self,
                            const char      *title,
                            const char      *detail)
{
  g_return_if_fail (TT_IS_CHECKLIST_ITEM (self));

  if (g_strcmp0 (self->title, title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (g_strcmp0 (self->detail, detail) != 0)
    {
      g_free (self->detail);
      self->detail = g_strdup (detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }
}

void
tt_checklist_item_set_ticked_ms (TtChecklistItem *self,
                                 gint64           t_ms)
{
  gboolean was_done;

  g_return_if_fail (TT_IS_CHECKLIST_ITEM (self));

  t_ms = MAX (t_ms, -1);
  if (self->ticked_ms == t_ms)
    return;
  was_done = self->ticked_ms >= 0;
  self->ticked_ms = t_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKED_MS]);
  if (was_done != (t_ms >= 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
}

static void
tt_checklist_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TtChecklistItem *self = TT_CHECKLIST_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_enum (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, tt_checklist_item_get_done (self));
      break;
    case PROP_TICKED_MS:
      g_value_set_int64 (value, self->ticked_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_checklist_item_finalize (GObject *object)
{
  TtChecklistItem *self = TT_CHECKLIST_ITEM (object);

  g_free (self->title);
  g_free (self->detail);

  G_OBJECT_CLASS (tt_checklist_item_parent_class)->finalize (object);
}

static void
tt_checklist_item_class_init (TtChecklistItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = tt_checklist_item_get_property;
  object_class->finalize = tt_checklist_item_finalize;

  properties[PROP_ID] =
    g_param_spec_enum ("id", NULL, NULL, TT_TYPE_CHECKLIST_ID, TT_CHECKLIST_PUMP_PRIMED, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_DONE] = g_param_spec_boolean ("done", NULL, NULL, FALSE, flags);
  properties[PROP_TICKED_MS] =
    g_param_spec_int64 ("ticked-ms", NULL, NULL, -1, G_MAXINT64, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_checklist_item_init (TtChecklistItem *self)
{
  self->ticked_ms = -1;
}
