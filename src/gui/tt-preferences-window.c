/* tt-preferences-window.c: every row is bound to its GSettings key; nothing is saved by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-preferences-window.h"

struct _TtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwComboRow          *chart_window_row;
  GtkSpinButton        *bolus_spin;
  GtkSwitch            *hl7_switch;
  AdwEntryRow          *hl7_address_row;
  GtkSpinButton        *hl7_port_spin;

  /* owned */
  GSettings            *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The chart-window key holds minutes (5, 15, 30, 60); the combo row holds a position. */
static const int chart_windows_min[] = { 5, 15, 30, 60 };

static gboolean
chart_window_get_mapping (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  int minutes = g_variant_get_int32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (chart_windows_min); i++)
    if (chart_windows_min[i] == minutes)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
chart_window_set_mapping (const GValue       *value,
                          const GVariantType *expected_type,
                          gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (chart_windows_min))
    return NULL;
  return g_variant_new_int32 (chart_windows_min[position]);
}

TtPreferencesWindow *
tt_preferences_window_new (GSettings *settings)
{
  return g_object_new (TT_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

static void
tt_preferences_window_constructed (GObject *object)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "chart-window-min",
                                self->chart_window_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                chart_window_get_mapping, chart_window_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "default-bolus-ug", self->bolus_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "hl7-enabled", self->hl7_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "hl7-address", self->hl7_address_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "hl7-port", self->hl7_port_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
tt_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_preferences_window_dispose (GObject *object)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->dispose (object);
}

static void
tt_preferences_window_class_init (TtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_preferences_window_constructed;
  object_class->set_property = tt_preferences_window_set_property;
  object_class->get_property = tt_preferences_window_get_property;
  object_class->dispose = tt_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, chart_window_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, bolus_spin);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, hl7_switch);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, hl7_address_row);
  gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, hl7_port_spin);
}

static void
tt_preferences_window_init (TtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
