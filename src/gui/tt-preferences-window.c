/* tt-preferences-window.c: the department's defaults for new cases and the monitor feeds. Rows
 * are bound to their GSettings keys; the limits, which must hold together, are checked by the
 * engine (tt_limits_validate() through tt-settings) before anything is stored, and a value that
 * fails is shown with the reason and never saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tt-format.h"
#include "tt-preferences-window.h"
#include "tt-settings.h"

/* The spin buttons of one line type's rate limits. */
typedef struct {
  GtkSpinButton *soft_min;
  GtkSpinButton *soft_max;
  GtkSpinButton *hard_max;
} LimitSpins;

struct _TtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwComboRow          *band_rule_row;
  GtkSpinButton        *hypotension_spin;
  GtkSpinButton        *relative_spin;
  GtkSpinButton        *width_spin;
  GtkSpinButton        *critical_spin;
  AdwActionRow         *band_preview_row;
  AdwExpanderRow       *concentrations_row;
  AdwComboRow          *default_concentration_row;
  GtkLabel             *concentrations_error_label;
  GtkSpinButton        *bolus_spin;
  AdwComboRow          *chart_window_row;
  GtkSwitch            *sounds_switch;
  GtkLabel             *limits_error_label;
  GtkSpinButton        *peripheral_soft_min_spin;
  GtkSpinButton        *peripheral_soft_max_spin;
  GtkSpinButton        *peripheral_hard_max_spin;
  GtkSpinButton        *central_soft_min_spin;
  GtkSpinButton        *central_soft_max_spin;
  GtkSpinButton        *central_hard_max_spin;
  GtkSpinButton        *bolus_soft_spin;
  GtkSpinButton        *bolus_hard_spin;
  GtkSwitch            *hl7_switch;
  AdwEntryRow          *hl7_address_row;
  AdwActionRow         *hl7_port_row;
  GtkSpinButton        *hl7_port_spin;
  GtkSwitch            *line_switch;
  AdwComboRow          *line_source_row;
  AdwEntryRow          *line_address_row;
  AdwActionRow         *line_port_row;
  GtkSpinButton        *line_port_spin;
  AdwEntryRow          *line_device_row;
  AdwComboRow          *line_baud_row;

  /* borrowed */
  LimitSpins            limits[TT_LINE_CENTRAL + 1];
  GPtrArray            *concentration_switches;  /* GtkSwitch, one per standard concentration */

  /* owned */
  GSettings            *settings;
  GArray               *default_choices;         /* double: the default combo's items */
  char                 *limits_error;
  guint                 loading;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtPreferencesWindow, tt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Combo rows hold a position; their keys hold a number (a zero-terminated list of choices) or an
 * enum nick (a NULL-terminated list). */
static gboolean
int_get_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const int *choices = user_data;
  int stored = g_variant_get_int32 (variant);

  for (guint i = 0; choices[i] != 0; i++)
    if (choices[i] == stored)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
int_set_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const int *choices = user_data;
  guint position = g_value_get_uint (value);

  for (guint i = 0; choices[i] != 0; i++)
    if (i == position)
      return g_variant_new_int32 (choices[i]);
  return NULL;
}

/* Enum keys: the combo row's position is the nick's index. */
static gboolean
nick_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *const *nicks = user_data;
  const char *stored = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], stored))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
nick_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char *const *nicks = user_data;
  guint position = g_value_get_uint (value);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (i == position)
      return g_variant_new_string (nicks[i]);
  return NULL;
}

TtPreferencesWindow *
tt_preferences_window_new (GSettings *settings)
{
  return g_object_new (TT_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/* What the band rule gives for two baselines, as the engine computes it. */
static void
update_band_preview (TtPreferencesWindow *self)
{
  static const double baselines[] = { 80, 110 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  TtBandRule rule;

  if (!tt_settings_get_band_rule (self->settings, &rule, &error))
    {
      adw_action_row_set_subtitle (self->band_preview_row, error->message);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    {
      g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
      g_autofree char *baseline = NULL;
      g_autofree char *lo = NULL;
      g_autofree char *hi = NULL;
      g_autofree char *critical = NULL;

      setup->band_rule = rule;
      setup->baseline_map = baselines[i];
      tt_case_setup_apply_band_rule (setup);
      baseline = tt_format_number (baselines[i], 0);
      lo = tt_format_number (setup->target_lo, 0);
      hi = tt_format_number (setup->target_hi, 0);
      critical = tt_format_number (tt_case_setup_critical_map (setup), 0);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: "Baseline 80 mmHg: band 65–85 mmHg, critical 55 mmHg". */
      g_string_append_printf (text, _("Baseline %s mmHg: band %s–%s mmHg, critical %s mmHg"),
                              baseline, lo, hi, critical);
    }
  adw_action_row_set_subtitle (self->band_preview_row, text->str);
}

/* Limits */

static void
show_limits_error (TtPreferencesWindow *self,
                   const char          *message)
{
  g_clear_pointer (&self->limits_error, g_free);
  if (message != NULL)
    /* Translators: a limit that fails the checks, e.g. "Not saved. Peripheral line: Limit …". */
    self->limits_error = g_strdup_printf (_("Not saved. %s"), message);
  gtk_label_set_text (self->limits_error_label, self->limits_error ? self->limits_error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->limits_error_label), message != NULL);
}

/* Rates are shown in mL/h too: for a 70 kg patient [est] and the default concentration. */
#define EXAMPLE_WEIGHT_KG 70.0

static void
update_limit_subtitles (TtPreferencesWindow *self)
{
  double concentration = g_settings_get_double (self->settings, "default-concentration");
  g_autofree char *kg = tt_format_number (EXAMPLE_WEIGHT_KG, 0);
  g_autofree char *c = tt_format_number (concentration, 1);

  for (TtLineType line = TT_LINE_PERIPHERAL; line <= TT_LINE_CENTRAL; line++)
    {
      GtkSpinButton *spins[] = {
        self->limits[line].soft_min, self->limits[line].soft_max, self->limits[line].hard_max,
      };
      const char *rules[] = {
        _("Below it (but above 0) asks for confirmation"),
        _("Above it asks for confirmation and raises an alert"),
        _("Above it is refused"),
      };

      for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
        {
          GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spins[i]), ADW_TYPE_ACTION_ROW);
          g_autofree char *both = tt_dose_format_rate_both (gtk_spin_button_get_value (spins[i]),
                                                            EXAMPLE_WEIGHT_KG, concentration);
          /* Translators: "Above it is refused · 1.00 µg/kg/min = 210.0 mL/h at 70 kg,
           * 20 µg/mL". */
          g_autofree char *text = g_strdup_printf (_("%s · %s at %s kg, %s µg/mL"), rules[i],
                                                   both, kg, c);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
        }
    }
}

static void
load_limits (TtPreferencesWindow *self)
{
  self->loading++;
  for (TtLineType line = TT_LINE_PERIPHERAL; line <= TT_LINE_CENTRAL; line++)
    {
      TtLimits limits;

      /* Stored figures that do not hold are shown as stored, with the reason. */
      g_settings_get (self->settings, line == TT_LINE_CENTRAL ? "limits-central"
                                                              : "limits-peripheral",
                      "(ddd)", &limits.rate_soft_min, &limits.rate_soft_max,
                      &limits.rate_hard_max);
      gtk_spin_button_set_value (self->limits[line].soft_min, limits.rate_soft_min);
      gtk_spin_button_set_value (self->limits[line].soft_max, limits.rate_soft_max);
      gtk_spin_button_set_value (self->limits[line].hard_max, limits.rate_hard_max);
    }
  {
    double soft, hard;

    g_settings_get (self->settings, "limits-bolus", "(dd)", &soft, &hard);
    gtk_spin_button_set_value (self->bolus_soft_spin, soft);
    gtk_spin_button_set_value (self->bolus_hard_spin, hard);
  }
  self->loading--;
}

/* The limits of @line as the form holds them. */
static void
read_limits (TtPreferencesWindow *self,
             TtLineType           line,
             TtLimits            *limits)
{
  tt_limits_init (limits, line);
  limits->rate_soft_min = gtk_spin_button_get_value (self->limits[line].soft_min);
  limits->rate_soft_max = gtk_spin_button_get_value (self->limits[line].soft_max);
  limits->rate_hard_max = gtk_spin_button_get_value (self->limits[line].hard_max);
  limits->bolus_soft_max = gtk_spin_button_get_value (self->bolus_soft_spin);
  limits->bolus_hard_max = gtk_spin_button_get_value (self->bolus_hard_spin);
}

static void
limit_changed_cb (TtPreferencesWindow *self,
                  GtkSpinButton       *spin)
{
  TtLineType line = TT_LINE_PERIPHERAL;
  TtLimits limits;
  g_autoptr(GError) error = NULL;

  update_limit_subtitles (self);
  if (self->loading > 0)
    return;
  if (spin == self->limits[TT_LINE_CENTRAL].soft_min ||
      spin == self->limits[TT_LINE_CENTRAL].soft_max ||
      spin == self->limits[TT_LINE_CENTRAL].hard_max)
    line = TT_LINE_CENTRAL;
  read_limits (self, line, &limits);
  if (!tt_settings_set_limits (self->settings, &limits, &error))
    {
      show_limits_error (self, error->message);
      return;
    }
  /* The other line may have been held back by a value this one now allows. */
  read_limits (self, line == TT_LINE_CENTRAL ? TT_LINE_PERIPHERAL : TT_LINE_CENTRAL, &limits);
  g_clear_error (&error);
  if (!tt_settings_set_limits (self->settings, &limits, &error))
    {
      show_limits_error (self, error->message);
      return;
    }
  show_limits_error (self, NULL);
}

static void
limits_key_changed_cb (TtPreferencesWindow *self)
{
  if (self->loading == 0)
    load_limits (self);
}

static void
reset_limits_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (widget);

  self->loading++;
  g_settings_reset (self->settings, "limits-peripheral");
  g_settings_reset (self->settings, "limits-central");
  g_settings_reset (self->settings, "limits-bolus");
  self->loading--;
  load_limits (self);
  show_limits_error (self, NULL);
}

const char *
tt_preferences_window_get_limits_error (TtPreferencesWindow *self)
{
  g_return_val_if_fail (TT_IS_PREFERENCES_WINDOW (self), NULL);
  return self->limits_error;
}

/* Concentrations */

static char *
concentration_text (double concentration)
{
  g_autofree char *number = tt_format_number (concentration, 1);

  return g_strdup_printf (_("%s µg/mL"), number);
}

static void
show_concentrations_error (TtPreferencesWindow *self,
                           const char          *message)
{

  gtk_label_set_text (self->concentrations_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->concentrations_error_label), message != NULL);
}

static void
load_concentrations (TtPreferencesWindow *self)
{
  g_autoptr(GArray) offered = tt_settings_get_concentrations (self->settings);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  double current = g_settings_get_double (self->settings, "default-concentration");
  guint n_standard;
  const double *standard = tt_dose_standard_concentrations (&n_standard);
  guint selected = GTK_INVALID_LIST_POSITION;

  self->loading++;
  for (guint i = 0; i < n_standard; i++)
    {
      gboolean on = FALSE;

      for (guint j = 0; j < offered->len; j++)
        on = on || g_array_index (offered, double, j) == standard[i];
      gtk_switch_set_active (g_ptr_array_index (self->concentration_switches, i), on);
    }

  g_array_set_size (self->default_choices, 0);
  g_array_append_vals (self->default_choices, offered->data, offered->len);
  for (guint i = 0; i < self->default_choices->len; i++)
    if (g_array_index (self->default_choices, double, i) == current)
      selected = i;
  /* A default outside the list (set before the list changed) stays visible and chosen. */
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_array_append_val (self->default_choices, current);
      selected = self->default_choices->len - 1;
    }
  for (guint i = 0; i < self->default_choices->len; i++)
    {
      g_autofree char *text = concentration_text (g_array_index (self->default_choices, double, i));

      gtk_string_list_append (names, text);
    }
  adw_combo_row_set_model (self->default_concentration_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->default_concentration_row, selected);
  self->loading--;
}

static void
concentration_toggled_cb (TtPreferencesWindow *self,
                          GParamSpec          *pspec,
                          GtkSwitch           *sender)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (double));
  double current = g_settings_get_double (self->settings, "default-concentration");
  guint n_standard;
  const double *standard = tt_dose_standard_concentrations (&n_standard);
  gboolean has_default = FALSE;

  if (self->loading > 0)
    return;
  for (guint i = 0; i < n_standard; i++)
    if (gtk_switch_get_active (g_ptr_array_index (self->concentration_switches, i)))
      {
        g_array_append_val (chosen, standard[i]);
        has_default = has_default || standard[i] == current;
      }
  /* A switch put back by load_concentrations () reports after it: nothing changed then. */
  {
    g_autoptr(GArray) stored = tt_settings_get_concentrations (self->settings);

    if (stored->len == chosen->len &&
        memcmp (stored->data, chosen->data, chosen->len * sizeof (double)) == 0)
      return;
  }
  /* Only what a new case can still be set up with is stored. */
  if (chosen->len == 0)
    {
      show_concentrations_error (self, _("Not saved: offer at least one concentration."));
      load_concentrations (self);
      return;
    }
  if (!has_default && tt_dose_is_standard_concentration (current))
    {
      g_autofree char *text = concentration_text (current);
      g_autofree char *message =
        g_strdup_printf (_("Not saved: %s is the default concentration; choose another default "
                           "first."), text);

      show_concentrations_error (self, message);
      load_concentrations (self);
      return;
    }
  show_concentrations_error (self, NULL);
  g_settings_set_value (self->settings, "concentrations",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, chosen->data,
                                                   chosen->len, sizeof (double)));
}

static void
default_concentration_cb (TtPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->default_concentration_row);

  if (self->loading > 0 || selected >= self->default_choices->len)
    return;
  show_concentrations_error (self, NULL);
  g_settings_set_double (self->settings, "default-concentration",
                         g_array_index (self->default_choices, double, selected));
}

static void
concentrations_key_changed_cb (TtPreferencesWindow *self)
{
  if (self->loading == 0)
    load_concentrations (self);
}

static void
build_concentration_rows (TtPreferencesWindow *self)
{
  guint n;
  const double *standard = tt_dose_standard_concentrations (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = concentration_text (standard[i]);
      g_autofree char *name = g_strdup_printf ("concentration-%g", standard[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      /* A name for tests and tools to find the switch by. */
      gtk_widget_set_name (toggle, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      adw_expander_row_add_row (self->concentrations_row, row);
      g_ptr_array_add (self->concentration_switches, toggle);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (concentration_toggled_cb),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
tt_preferences_window_constructed (GObject *object)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);
  static const struct {
    const char *key;
    const char *property;
    gsize       widget;
  } bound[] = {
    { "hypotension-mmhg", "value", G_STRUCT_OFFSET (TtPreferencesWindow, hypotension_spin) },
    { "band-relative-pct", "value", G_STRUCT_OFFSET (TtPreferencesWindow, relative_spin) },
    { "band-width-mmhg", "value", G_STRUCT_OFFSET (TtPreferencesWindow, width_spin) },
    { "critical-offset-mmhg", "value", G_STRUCT_OFFSET (TtPreferencesWindow, critical_spin) },
    { "default-bolus-ug", "value", G_STRUCT_OFFSET (TtPreferencesWindow, bolus_spin) },
    { "alert-sounds", "active", G_STRUCT_OFFSET (TtPreferencesWindow, sounds_switch) },
    { "hl7-enabled", "active", G_STRUCT_OFFSET (TtPreferencesWindow, hl7_switch) },
    { "hl7-address", "text", G_STRUCT_OFFSET (TtPreferencesWindow, hl7_address_row) },
    { "hl7-port", "value", G_STRUCT_OFFSET (TtPreferencesWindow, hl7_port_spin) },
    { "line-enabled", "active", G_STRUCT_OFFSET (TtPreferencesWindow, line_switch) },
    { "line-address", "text", G_STRUCT_OFFSET (TtPreferencesWindow, line_address_row) },
    { "line-port", "value", G_STRUCT_OFFSET (TtPreferencesWindow, line_port_spin) },
    { "line-device", "text", G_STRUCT_OFFSET (TtPreferencesWindow, line_device_row) },
  };
  static const int chart_choices[] = { 5, 15, 30, 60, 0 };
  static const int baud_choices[] = { 9600, 19200, 38400, 57600, 115200, 0 };
  static const char *band_rule_nicks[] = { "larger", "absolute", "relative", NULL };
  static const char *line_source_nicks[] = { "tcp", "device", NULL };

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
    g_settings_bind (self->settings, bound[i].key,
                     G_STRUCT_MEMBER (gpointer, self, bound[i].widget), bound[i].property,
                     G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "chart-window-min", self->chart_window_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, int_get_mapping,
                                int_set_mapping, (gpointer) chart_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "line-baud", self->line_baud_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, int_get_mapping, int_set_mapping,
                                (gpointer) baud_choices, NULL);
  g_settings_bind_with_mapping (self->settings, "band-rule", self->band_rule_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_get_mapping, nick_set_mapping,
                                (gpointer) band_rule_nicks, NULL);
  g_settings_bind_with_mapping (self->settings, "line-source", self->line_source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_get_mapping, nick_set_mapping,
                                (gpointer) line_source_nicks, NULL);
  /* A feed's details matter only when it is on. */
  g_settings_bind (self->settings, "hl7-enabled", self->hl7_address_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "hl7-enabled", self->hl7_port_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "line-enabled", self->line_port_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "line-enabled", self->line_source_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "line-enabled", self->line_address_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "line-enabled", self->line_device_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "line-enabled", self->line_baud_row, "sensitive",
                   G_SETTINGS_BIND_GET);

  load_limits (self);
  update_limit_subtitles (self);
  load_concentrations (self);
  update_band_preview (self);
  g_signal_connect_object (self->settings, "changed::limits-peripheral",
                           G_CALLBACK (limits_key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::limits-central",
                           G_CALLBACK (limits_key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::limits-bolus",
                           G_CALLBACK (limits_key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::concentrations",
                           G_CALLBACK (concentrations_key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-concentration",
                           G_CALLBACK (concentrations_key_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-concentration",
                           G_CALLBACK (update_limit_subtitles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->default_concentration_row, "notify::selected",
                           G_CALLBACK (default_concentration_cb), self, G_CONNECT_SWAPPED);
  {
    static const char *band_keys[] = {
      "changed::band-rule", "changed::hypotension-mmhg", "changed::band-relative-pct",
      "changed::band-width-mmhg", "changed::critical-offset-mmhg",
    };

    for (guint i = 0; i < G_N_ELEMENTS (band_keys); i++)
      g_signal_connect_object (self->settings, band_keys[i], G_CALLBACK (update_band_preview),
                               self, G_CONNECT_SWAPPED);
  }

  for (TtLineType line = TT_LINE_PERIPHERAL; line <= TT_LINE_CENTRAL; line++)
    {
      g_signal_connect_object (self->limits[line].soft_min, "value-changed",
                               G_CALLBACK (limit_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->limits[line].soft_max, "value-changed",
                               G_CALLBACK (limit_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->limits[line].hard_max, "value-changed",
                               G_CALLBACK (limit_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->bolus_soft_spin, "value-changed",
                           G_CALLBACK (limit_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bolus_hard_spin, "value-changed",
                           G_CALLBACK (limit_changed_cb), self, G_CONNECT_SWAPPED);
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
tt_preferences_window_finalize (GObject *object)
{
  TtPreferencesWindow *self = TT_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->concentration_switches, g_ptr_array_unref);
  g_clear_pointer (&self->default_choices, g_array_unref);
  g_free (self->limits_error);

  G_OBJECT_CLASS (tt_preferences_window_parent_class)->finalize (object);
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
  object_class->finalize = tt_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TtPreferencesWindow, name)
  BIND (band_rule_row);
  BIND (hypotension_spin);
  BIND (relative_spin);
  BIND (width_spin);
  BIND (critical_spin);
  BIND (band_preview_row);
  BIND (concentrations_row);
  BIND (default_concentration_row);
  BIND (concentrations_error_label);
  BIND (bolus_spin);
  BIND (chart_window_row);
  BIND (sounds_switch);
  BIND (limits_error_label);
  BIND (peripheral_soft_min_spin);
  BIND (peripheral_soft_max_spin);
  BIND (peripheral_hard_max_spin);
  BIND (central_soft_min_spin);
  BIND (central_soft_max_spin);
  BIND (central_hard_max_spin);
  BIND (bolus_soft_spin);
  BIND (bolus_hard_spin);
  BIND (hl7_switch);
  BIND (hl7_address_row);
  BIND (hl7_port_row);
  BIND (hl7_port_spin);
  BIND (line_switch);
  BIND (line_source_row);
  BIND (line_address_row);
  BIND (line_port_row);
  BIND (line_port_spin);
  BIND (line_device_row);
  BIND (line_baud_row);
#undef BIND

  gtk_widget_class_install_action (widget_class, "prefs.reset-limits", NULL, reset_limits_action);
}

static void
tt_preferences_window_init (TtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->concentration_switches = g_ptr_array_new ();
  self->default_choices = g_array_new (FALSE, FALSE, sizeof (double));
  self->limits[TT_LINE_PERIPHERAL] = (LimitSpins) {
    self->peripheral_soft_min_spin, self->peripheral_soft_max_spin, self->peripheral_hard_max_spin,
  };
  self->limits[TT_LINE_CENTRAL] = (LimitSpins) {
    self->central_soft_min_spin, self->central_soft_max_spin, self->central_hard_max_spin,
  };
  build_concentration_rows (self);
}
