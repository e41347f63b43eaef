/* tt-setup-page.c: the form only collects values and shows what the case model says about them;
 * the ranges, the messages and the 10-fold guard are the engine's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-application.h"
#include "tt-settings.h"
#include "tt-setup-page.h"

struct _TtSetupPage
{
  GtkWidget        parent_instance;

  /* template widgets */
  AdwEntryRow     *label_row;
  AdwActionRow    *weight_row;
  GtkSpinButton   *weight_spin;
  AdwActionRow    *baseline_row;
  GtkSpinButton   *baseline_spin;
  AdwActionRow    *lo_row;
  GtkSpinButton   *lo_spin;
  AdwActionRow    *hi_row;
  GtkSpinButton   *hi_spin;
  GtkLabel        *critical_label;
  AdwPreferencesGroup *band_group;
  AdwComboRow     *line_row;
  AdwComboRow     *concentration_row;
  AdwActionRow    *custom_row;
  GtkSpinButton   *custom_spin;
  AdwActionRow    *rate_row;
  GtkSpinButton   *rate_spin;
  AdwActionRow    *syringe_row;
  GtkSpinButton   *syringe_spin;
  AdwActionRow    *dead_space_row;
  GtkSpinButton   *dead_space_spin;
  AdwActionRow    *bolus_row;
  GtkSpinButton   *bolus_spin;
  GtkLabel        *soft_label;
  GtkLabel        *hard_label;
  GtkLabel        *bolus_limits_label;
  GtkWidget       *rate_confirm;
  GtkWidget       *bolus_confirm;
  GtkWidget       *error_rows[TT_N_SETUP_FIELDS];
  GtkLabel        *error_labels[TT_N_SETUP_FIELDS];

  /* borrowed: the row that shows each field, and the widget that takes focus for it */
  GtkWidget       *field_rows[TT_N_SETUP_FIELDS];
  GtkWidget       *field_focus[TT_N_SETUP_FIELDS];

  /* owned */
  TtSession       *session;
  GSignalGroup    *case_signals;
  TtCaseSetup     *draft;
  GArray          *concentrations;  /* of double: the ones offered, then "Custom…" */
  char            *errors[TT_N_SETUP_FIELDS];
  guint            touched;        /* bit per TtSetupField: show its error */
  gboolean         band_edited;    /* the band no longer follows the baseline */
  guint            loading;        /* > 0 while the form is written from the model */
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtSetupPage, tt_setup_page, GTK_TYPE_WIDGET)

#define ALL_FIELDS ((1u << TT_N_SETUP_FIELDS) - 1)

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text ? text : "");
}

/* Shows the previews that depend on the draft: mL/h, the bolus volume, the transport delay, the
 * critical threshold and the limits. */
static void
update_previews (TtSetupPage *self)
{
  const TtCaseSetup *d = self->draft;
  gboolean pump = tt_dose_validate_weight (d->weight_kg, NULL) &&
                  tt_dose_validate_concentration (d->concentration, NULL);
  double mlh = tt_dose_ml_h (d->start_rate, d->weight_kg, d->concentration);
  TtLimits limits;
  gint64 delay_ms;
  g_autofree char *critical = tt_dose_format_number (tt_case_setup_critical_map (d), 0, 0);
  g_autofree char *offset = tt_dose_format_number (d->band_rule.critical_offset, 0, 1);
  g_autofree char *text = NULL;

  tt_case_setup_get_limits (d, &limits);

  /* Translators: the critical threshold, an engineering estimate: "55 mmHg (lower bound − 10)
   * [est]". */
  text = g_strdup_printf (_("%s mmHg (lower bound − %s) [est]"), critical, offset);
  gtk_label_set_label (self->critical_label, text);
  g_clear_pointer (&text, g_free);

  {
    const TtBandRule *r = &d->band_rule;
    g_autofree char *abs_lo = tt_dose_format_number (r->absolute_lo, 0, 1);
    g_autofree char *pct = tt_dose_format_number (r->relative_pct, 0, 1);
    g_autofree char *width = tt_dose_format_number (r->width, 0, 1);
    g_autofree char *lower = NULL;

    /* The rule the band follows the baseline by: the department's (preferences). */
    if (r->kind == TT_BAND_RULE_ABSOLUTE)
      lower = g_strdup_printf (_("%s mmHg"), abs_lo);
    else if (r->kind == TT_BAND_RULE_RELATIVE)
      lower = g_strdup_printf (_("%s %% of baseline"), pct);
    else
      /* Translators: "max(65, 80 % of baseline)". */
      lower = g_strdup_printf (_("max(%s, %s %% of baseline)"), abs_lo, pct);
    /* Translators: "Default from the baseline: lower bound max(65, 80 % of baseline), upper
     * bound lower + 20 mmHg [est]." */
    text = g_strdup_printf (_("Default from the baseline: lower bound %s, upper bound lower + %s "
                              "mmHg [est]."), lower, width);
    adw_preferences_group_set_description (self->band_group, text);
    g_clear_pointer (&text, g_free);
  }

  if (!pump)
    {
      const char *missing = _("Enter a valid weight and concentration to see mL/h");

      set_subtitle (self->rate_row, missing);
      set_subtitle (self->dead_space_row, missing);
      set_subtitle (self->bolus_row, missing);
      gtk_label_set_label (self->soft_label, "–");
      gtk_label_set_label (self->hard_label, "–");
      gtk_label_set_label (self->bolus_limits_label, "–");
      return;
    }

  text = tt_dose_format_rate_both (d->start_rate, d->weight_kg, d->concentration);
  set_subtitle (self->rate_row, text);
  g_clear_pointer (&text, g_free);

  if (tt_dose_transport_delay_ms (d->dead_space_ml, mlh, &delay_ms))
    {
      g_autofree char *ml = tt_dose_format_number (d->dead_space_ml, 0, 1);
      g_autofree char *delay = tt_dose_format_duration (delay_ms);
      g_autofree char *rate = tt_dose_format_ml_h (mlh);

      /* Translators: "If unprimed, 1 mL delays the drug ≈ 6 min at 10.8 mL/h". */
      text = g_strdup_printf (_("If unprimed, %s mL delays the drug ≈ %s at %s"), ml, delay, rate);
    }
  else
    text = g_strdup (_("No transport delay to show at a starting rate of 0"));
  set_subtitle (self->dead_space_row, text);
  g_clear_pointer (&text, g_free);

  {
    g_autofree char *bolus = tt_dose_format_bolus (d->bolus_ug, d->concentration);
    g_autofree char *c = tt_dose_format_number (d->concentration, 0, 1);

    /* Translators: "10 µg = 0.5 mL of 20 µg/mL". */
    text = g_strdup_printf (_("%s of %s µg/mL"), bolus, c);
    set_subtitle (self->bolus_row, text);
    g_clear_pointer (&text, g_free);
  }

  text = tt_dose_format_rate_both (limits.rate_soft_max, d->weight_kg, d->concentration);
  gtk_label_set_label (self->soft_label, text);
  g_clear_pointer (&text, g_free);
  text = tt_dose_format_rate_both (limits.rate_hard_max, d->weight_kg, d->concentration);
  gtk_label_set_label (self->hard_label, text);
  g_clear_pointer (&text, g_free);
  {
    g_autofree char *soft = tt_dose_format_bolus (limits.bolus_soft_max, d->concentration);
    g_autofree char *hard = tt_dose_format_bolus (limits.bolus_hard_max, d->concentration);

    /* Translators: "soft 20 µg = 1.0 mL · hard 50 µg = 2.5 mL". */
    text = g_strdup_printf (_("soft %s · hard %s"), soft, hard);
    gtk_label_set_label (self->bolus_limits_label, text);
  }
}

/* Checks every field against the case model and shows the errors of the touched ones. */
static void
update_errors (TtSetupPage *self)
{
  for (TtSetupField f = 0; f < TT_N_SETUP_FIELDS; f++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = tt_case_setup_check_field (self->draft, f, &error);
      gboolean show = !ok && (self->touched & (1u << f)) != 0;
      GtkWidget *confirm = f == TT_SETUP_START_RATE ? self->rate_confirm :
                           f == TT_SETUP_BOLUS ? self->bolus_confirm : NULL;

      g_clear_pointer (&self->errors[f], g_free);
      if (show)
        self->errors[f] = g_strdup (error->message);

      gtk_label_set_label (self->error_labels[f], show ? error->message : "");
      gtk_widget_set_visible (self->error_rows[f], show);
      if (show)
        gtk_widget_add_css_class (self->field_rows[f], "error");
      else
        gtk_widget_remove_css_class (self->field_rows[f], "error");
      if (confirm != NULL)
        gtk_widget_set_visible (confirm, show && g_error_matches (error, TT_CASE_ERROR,
                                                                 TT_CASE_ERROR_NEEDS_CONFIRMATION));
    }
}

static void
refresh (TtSetupPage *self)
{
  update_previews (self);
  update_errors (self);
}

/* Writes the draft into the widgets. */
static void
write_form (TtSetupPage *self)
{
  const TtCaseSetup *d = self->draft;
  guint n = self->concentrations->len;
  const double *conc = (const double *) (gpointer) self->concentrations->data;
  guint selected = n;

  self->loading++;
  gtk_editable_set_text (GTK_EDITABLE (self->label_row), d->label ? d->label : "");
  gtk_spin_button_set_value (self->weight_spin, d->weight_kg);
  gtk_spin_button_set_value (self->baseline_spin, d->baseline_map);
  gtk_spin_button_set_value (self->lo_spin, d->target_lo);
  gtk_spin_button_set_value (self->hi_spin, d->target_hi);
  adw_combo_row_set_selected (self->line_row, d->line == TT_LINE_CENTRAL ? 1 : 0);
  for (guint i = 0; i < n; i++)
    if (fabs (conc[i] - d->concentration) < 1e-9)
      selected = i;
  adw_combo_row_set_selected (self->concentration_row, selected);
  gtk_spin_button_set_value (self->custom_spin, d->concentration);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_row), selected == n);
  gtk_spin_button_set_value (self->rate_spin, d->start_rate);
  gtk_spin_button_set_value (self->syringe_spin, d->syringe_ml);
  gtk_spin_button_set_value (self->dead_space_spin, d->dead_space_ml);
  gtk_spin_button_set_value (self->bolus_spin, d->bolus_ug);
  self->loading--;
  refresh (self);
}

/* Reads the widgets into the draft. A new dose needs a new confirmation. */
static void
read_form (TtSetupPage *self)
{
  TtCaseSetup *d = self->draft;
  guint n = self->concentrations->len;
  const double *conc = (const double *) (gpointer) self->concentrations->data;
  guint selected = adw_combo_row_get_selected (self->concentration_row);
  double rate = gtk_spin_button_get_value (self->rate_spin);
  double bolus = gtk_spin_button_get_value (self->bolus_spin);

  g_free (d->label);
  d->label = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row)));
  d->weight_kg = gtk_spin_button_get_value (self->weight_spin);
  d->baseline_map = gtk_spin_button_get_value (self->baseline_spin);
  d->target_lo = gtk_spin_button_get_value (self->lo_spin);
  d->target_hi = gtk_spin_button_get_value (self->hi_spin);
  d->line = adw_combo_row_get_selected (self->line_row) == 1 ? TT_LINE_CENTRAL : TT_LINE_PERIPHERAL;
  d->concentration = selected < n ? conc[selected] : gtk_spin_button_get_value (self->custom_spin);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_row), selected >= n);
  if (rate != d->start_rate || bolus != d->bolus_ug)
    d->confirmed = FALSE;
  d->start_rate = rate;
  d->bolus_ug = bolus;
  d->syringe_ml = gtk_spin_button_get_value (self->syringe_spin);
  d->dead_space_ml = gtk_spin_button_get_value (self->dead_space_spin);
}

static void
field_edited (TtSetupPage *self,
              GtkWidget   *sender)
{
  if (self->loading > 0)
    return;

  for (TtSetupField f = 0; f < TT_N_SETUP_FIELDS; f++)
    if (self->field_focus[f] == sender)
      self->touched |= 1u << f;
  if (sender == GTK_WIDGET (self->lo_spin) || sender == GTK_WIDGET (self->hi_spin))
    self->band_edited = TRUE;
  if (sender == GTK_WIDGET (self->lo_spin))
    self->touched |= 1u << TT_SETUP_TARGET_HI;
  if (sender == GTK_WIDGET (self->concentration_row))
    self->touched |= 1u << TT_SETUP_CONCENTRATION;

  read_form (self);

  /* Until the clinician edits the band, it follows the baseline (CLINICAL.md §3). */
  if (sender == GTK_WIDGET (self->baseline_spin) && !self->band_edited)
    {
      tt_case_setup_apply_band_rule (self->draft);
      self->loading++;
      gtk_spin_button_set_value (self->lo_spin, self->draft->target_lo);
      gtk_spin_button_set_value (self->hi_spin, self->draft->target_hi);
      self->loading--;
    }
  refresh (self);
}

static void
spin_changed_cb (TtSetupPage   *self,
                 GtkSpinButton *spin)
{
  field_edited (self, GTK_WIDGET (spin));
}

static void
entry_changed_cb (TtSetupPage *self,
                  GtkEditable *editable)
{
  field_edited (self, GTK_WIDGET (editable));
}

static void
combo_changed_cb (TtSetupPage *self,
                  GParamSpec  *pspec,
                  AdwComboRow *row)
{
  field_edited (self, GTK_WIDGET (row));
}

static GSettings *
get_settings (void)
{
  GApplication *app = g_application_get_default ();

  return TT_IS_APPLICATION (app) ? tt_application_get_settings (TT_APPLICATION (app)) : NULL;
}

/* The concentrations the preferences offer (CLINICAL.md's list without them), then "Custom…". */
static void
set_concentrations (TtSetupPage *self)
{
  GSettings *settings = get_settings ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->concentrations, g_array_unref);
  if (settings != NULL)
    self->concentrations = tt_settings_get_concentrations (settings);
  else
    {
      guint n;
      const double *standard = tt_dose_standard_concentrations (&n);

      self->concentrations = g_array_new (FALSE, FALSE, sizeof (double));
      g_array_append_vals (self->concentrations, standard, n);
    }
  for (guint i = 0; i < self->concentrations->len; i++)
    {
      g_autofree char *number = tt_dose_format_number (g_array_index (self->concentrations,
                                                                      double, i), 0, 1);
      g_autofree char *item = g_strdup_printf (_("%s µg/mL"), number);

      gtk_string_list_append (names, item);
    }
  gtk_string_list_append (names, _("Custom…"));
  self->loading++;
  adw_combo_row_set_model (self->concentration_row, G_LIST_MODEL (names));
  self->loading--;
}

/* Loads the case's setup (back from the checklist) or the defaults (a new case). */
static void
load (TtSetupPage *self)
{
  TtCase *kase = self->session ? tt_session_get_case (self->session) : NULL;
  const TtCaseSetup *setup = kase ? tt_case_get_setup (kase) : NULL;

  g_clear_pointer (&self->draft, tt_case_setup_free);
  if (setup != NULL)
    {
      self->draft = tt_case_setup_copy (setup);
      self->touched = ALL_FIELDS;
      self->band_edited = TRUE;
    }
  else if (self->session != NULL && tt_session_get_setup_defaults (self->session) != NULL)
    {
      self->draft = tt_case_setup_copy (tt_session_get_setup_defaults (self->session));
      self->touched = 0;
      self->band_edited = FALSE;
    }
  else
    {
      GSettings *settings = get_settings ();

      self->draft = tt_case_setup_new ();
      if (settings != NULL)
        tt_settings_load_case_defaults (settings, self->draft, NULL);
      self->touched = 0;
      self->band_edited = FALSE;
    }
  set_concentrations (self);
  write_form (self);
}

static void
case_state_cb (TtSetupPage *self)
{
  TtCase *kase = tt_session_get_case (self->session);

  if (tt_case_get_state (kase) == TT_CASE_STATE_SETUP)
    load (self);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TtSetupPage *self = TT_SETUP_PAGE (widget);
  g_autoptr(GError) error = NULL;
  TtSetupField bad;

  if (self->session == NULL)
    return;

  read_form (self);
  self->touched = ALL_FIELDS;
  refresh (self);
  if (!tt_case_setup_check (self->draft, &bad, NULL))
    {
      gtk_widget_grab_focus (self->field_focus[bad]);
      return;
    }
  if (!tt_case_set_setup (tt_session_get_case (self->session), self->draft,
                          tt_session_now_ms (self->session), &error))
    g_signal_emit_by_name (self->session, "error", error->message);
}

static void
confirm_dose_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtSetupPage *self = TT_SETUP_PAGE (widget);

  self->draft->confirmed = TRUE;
  refresh (self);
}

TtSession *
tt_setup_page_get_session (TtSetupPage *self)
{
  g_return_val_if_fail (TT_IS_SETUP_PAGE (self), NULL);
  return self->session;
}

void
tt_setup_page_set_session (TtSetupPage *self,
                           TtSession   *session)
{
  g_return_if_fail (TT_IS_SETUP_PAGE (self));
  g_return_if_fail (session == NULL || TT_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->case_signals,
                             session ? tt_session_get_case (session) : NULL);
  load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const TtCaseSetup *
tt_setup_page_get_draft (TtSetupPage *self)
{
  g_return_val_if_fail (TT_IS_SETUP_PAGE (self), NULL);
  return self->draft;
}

const char *
tt_setup_page_get_error (TtSetupPage  *self,
                         TtSetupField  field)
{
  g_return_val_if_fail (TT_IS_SETUP_PAGE (self), NULL);
  g_return_val_if_fail (field < TT_N_SETUP_FIELDS, NULL);
  return self->errors[field];
}

static void
tt_setup_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtSetupPage *self = TT_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_setup_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtSetupPage *self = TT_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tt_setup_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_setup_page_dispose (GObject *object)
{
  TtSetupPage *self = TT_SETUP_PAGE (object);
  GtkWidget *child;

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_setup_page_parent_class)->dispose (object);
}

static void
tt_setup_page_finalize (GObject *object)
{
  TtSetupPage *self = TT_SETUP_PAGE (object);

  g_clear_pointer (&self->draft, tt_case_setup_free);
  for (guint i = 0; i < TT_N_SETUP_FIELDS; i++)
    g_free (self->errors[i]);

  G_OBJECT_CLASS (tt_setup_page_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TtSetupPage, name)
#define BIND_ERROR(field, name) \
  gtk_widget_class_bind_template_child_full (widget_class, name "_error_row", FALSE, \
    G_STRUCT_OFFSET (TtSetupPage, error_rows) + (field) * sizeof (GtkWidget *)); \
  gtk_widget_class_bind_template_child_full (widget_class, name "_error", FALSE, \
    G_STRUCT_OFFSET (TtSetupPage, error_labels) + (field) * sizeof (GtkLabel *))

static void
tt_setup_page_class_init (TtSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_setup_page_get_property;
  object_class->set_property = tt_setup_page_set_property;
  object_class->dispose = tt_setup_page_dispose;
  object_class->finalize = tt_setup_page_finalize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-setup-page.ui");
  BIND (label_row);
  BIND (weight_row);
  BIND (weight_spin);
  BIND (baseline_row);
  BIND (baseline_spin);
  BIND (lo_row);
  BIND (lo_spin);
  BIND (hi_row);
  BIND (hi_spin);
  BIND (critical_label);
  BIND (band_group);
  BIND (line_row);
  BIND (concentration_row);
  BIND (custom_row);
  BIND (custom_spin);
  BIND (rate_row);
  BIND (rate_spin);
  BIND (syringe_row);
  BIND (syringe_spin);
  BIND (dead_space_row);
  BIND (dead_space_spin);
  BIND (bolus_row);
  BIND (bolus_spin);
  BIND (soft_label);
  BIND (hard_label);
  BIND (bolus_limits_label);
  BIND (rate_confirm);
  BIND (bolus_confirm);
  BIND_ERROR (TT_SETUP_LABEL, "label");
  BIND_ERROR (TT_SETUP_WEIGHT, "weight");
  BIND_ERROR (TT_SETUP_BASELINE, "baseline");
  BIND_ERROR (TT_SETUP_TARGET_LO, "lo");
  BIND_ERROR (TT_SETUP_TARGET_HI, "hi");
  BIND_ERROR (TT_SETUP_CONCENTRATION, "concentration");
  BIND_ERROR (TT_SETUP_START_RATE, "rate");
  BIND_ERROR (TT_SETUP_BOLUS, "bolus");
  BIND_ERROR (TT_SETUP_SYRINGE, "syringe");
  BIND_ERROR (TT_SETUP_DEAD_SPACE, "dead_space");
  gtk_widget_class_bind_template_callback (widget_class, spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, combo_changed_cb);

  gtk_widget_class_install_action (widget_class, "setup.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "setup.confirm-dose", NULL,
                                   confirm_dose_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_setup_page_init (TtSetupPage *self)
{
  self->draft = tt_case_setup_new ();
  self->loading++;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading--;
  set_concentrations (self);

  self->field_rows[TT_SETUP_LABEL] = GTK_WIDGET (self->label_row);
  self->field_rows[TT_SETUP_WEIGHT] = GTK_WIDGET (self->weight_row);
  self->field_rows[TT_SETUP_BASELINE] = GTK_WIDGET (self->baseline_row);
  self->field_rows[TT_SETUP_TARGET_LO] = GTK_WIDGET (self->lo_row);
  self->field_rows[TT_SETUP_TARGET_HI] = GTK_WIDGET (self->hi_row);
  self->field_rows[TT_SETUP_CONCENTRATION] = GTK_WIDGET (self->custom_row);
  self->field_rows[TT_SETUP_START_RATE] = GTK_WIDGET (self->rate_row);
  self->field_rows[TT_SETUP_BOLUS] = GTK_WIDGET (self->bolus_row);
  self->field_rows[TT_SETUP_SYRINGE] = GTK_WIDGET (self->syringe_row);
  self->field_rows[TT_SETUP_DEAD_SPACE] = GTK_WIDGET (self->dead_space_row);

  self->field_focus[TT_SETUP_LABEL] = GTK_WIDGET (self->label_row);
  self->field_focus[TT_SETUP_WEIGHT] = GTK_WIDGET (self->weight_spin);
  self->field_focus[TT_SETUP_BASELINE] = GTK_WIDGET (self->baseline_spin);
  self->field_focus[TT_SETUP_TARGET_LO] = GTK_WIDGET (self->lo_spin);
  self->field_focus[TT_SETUP_TARGET_HI] = GTK_WIDGET (self->hi_spin);
  self->field_focus[TT_SETUP_CONCENTRATION] = GTK_WIDGET (self->custom_spin);
  self->field_focus[TT_SETUP_START_RATE] = GTK_WIDGET (self->rate_spin);
  self->field_focus[TT_SETUP_BOLUS] = GTK_WIDGET (self->bolus_spin);
  self->field_focus[TT_SETUP_SYRINGE] = GTK_WIDGET (self->syringe_spin);
  self->field_focus[TT_SETUP_DEAD_SPACE] = GTK_WIDGET (self->dead_space_spin);

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_state_cb), self);

  write_form (self);
}
