/* tt-training-chooser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-cohort.h"
#include "tt-format.h"
#include "tt-patient-feed.h"
#include "tt-training-chooser.h"

/* The speeds offered (the patient feed runs 1–60×). */
static const double speeds[] = { 1, 2, 5, 10, 20, 30, 60 };

struct _TtTrainingChooser
{
  GtkWidget             parent_instance;

  /* template widgets */
  AdwPreferencesGroup  *scenario_group;
  GtkSpinButton        *seed_spin;
  AdwComboRow          *speed_row;

  /* borrowed: one check button per scenario, then the cohort's */
  GtkCheckButton       *checks[TT_N_PATIENT_SCENARIOS + 1];
  GtkSpinButton        *patient_spin;
};

enum {
  PROP_0,
  PROP_SCENARIO,
  PROP_SEED,
  PROP_COHORT_PATIENT,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtTrainingChooser, tt_training_chooser, GTK_TYPE_WIDGET)

static const char *
scenario_title (TtPatientScenario scenario)
{
  switch (scenario)
    {
    case TT_PATIENT_SCENARIO_TYPICAL:
      return _("Typical patient");
    case TT_PATIENT_SCENARIO_ELDERLY_SEVERE:
      return _("Elderly, severe fall");
    case TT_PATIENT_SCENARIO_HYPERTENSIVE:
      return _("Hypertensive responses");
    case TT_PATIENT_SCENARIO_ARTIFACT_HEAVY:
      return _("Artifact-heavy arterial line");
    case TT_PATIENT_SCENARIO_UNPRIMED_LINE:
      return _("Unprimed infusion line");
    case TT_PATIENT_SCENARIO_INSENSITIVE:
      return _("Insensitive to norepinephrine");
    case TT_PATIENT_SCENARIO_HYPERSENSITIVE:
      return _("Hypersensitive to norepinephrine");
    case TT_N_PATIENT_SCENARIOS:
    default:
      g_return_val_if_reached ("");
    }
}

/* The scenario's patient in figures, as the feed makes it. */
static char *
scenario_facts (TtPatientScenario scenario)
{
  TtPatientParams p;
  g_autofree char *age = NULL;
  g_autofree char *kg = NULL;
  g_autofree char *map = NULL;
  g_autofree char *fall = NULL;
  g_autofree char *sensitivity = NULL;
  g_autofree char *intubation = NULL;
  g_autofree char *artifacts = NULL;
  double per_hour = 0;
  GString *text = g_string_new (NULL);

  tt_patient_scenario_params (scenario, &p);
  for (guint i = 0; i < TT_N_ARTIFACTS; i++)
    per_hour += p.artifact_rate_per_h[i];
  age = tt_format_number (p.age_years, 0);
  kg = tt_format_number (p.weight_kg, 0);
  map = tt_format_number (p.baseline_map, 0);
  fall = tt_format_number (p.induction_fall * 100, 0);
  sensitivity = tt_format_number (p.ne_sensitivity, 1);
  intubation = tt_format_number (p.intubation_rise_mmhg, 0);
  artifacts = tt_format_number (per_hour, 0);
  /* Translators: "66 years · 70 kg · MAP 95 mmHg · falls 24 % · NE sensitivity 1× · intubation
   * +15 mmHg · 3 artifacts/h". */
  g_string_append_printf (text, _("%s years · %s kg · MAP %s mmHg · falls %s %% · NE sensitivity "
                                  "%s× · intubation +%s mmHg · %s artifacts/h"),
                          age, kg, map, fall, sensitivity, intubation, artifacts);
  if (!p.line_primed)
    {
      g_autofree char *ml = tt_format_number (p.dead_space_ml, 1);
      g_autofree char *c = tt_format_number (p.concentration_ug_ml, 0);

      /* Translators: " · unprimed line 1 mL, 80 µg/mL". */
      g_string_append_printf (text, _(" · unprimed line %s mL, %s µg/mL"), ml, c);
    }
  return g_string_free (text, FALSE);
}

int
tt_training_chooser_get_scenario (TtTrainingChooser *self)
{
  g_return_val_if_fail (TT_IS_TRAINING_CHOOSER (self), 0);

  for (int i = 0; i < TT_N_PATIENT_SCENARIOS; i++)
    if (gtk_check_button_get_active (self->checks[i]))
      return i;
  return TT_TRAINING_CHOOSER_COHORT;
}

void
tt_training_chooser_set_scenario (TtTrainingChooser *self,
                                  int                scenario)
{
  g_return_if_fail (TT_IS_TRAINING_CHOOSER (self));
  g_return_if_fail (scenario == TT_TRAINING_CHOOSER_COHORT ||
                    (scenario >= 0 && scenario < TT_N_PATIENT_SCENARIOS));

  gtk_check_button_set_active (self->checks[scenario < 0 ? TT_N_PATIENT_SCENARIOS : scenario],
                               TRUE);
}

guint32
tt_training_chooser_get_seed (TtTrainingChooser *self)
{
  g_return_val_if_fail (TT_IS_TRAINING_CHOOSER (self), 0);
  return (guint32) gtk_spin_button_get_value_as_int (self->seed_spin);
}

void
tt_training_chooser_set_seed (TtTrainingChooser *self,
                              guint32            seed)
{
  g_return_if_fail (TT_IS_TRAINING_CHOOSER (self));
  gtk_spin_button_set_value (self->seed_spin, seed % G_MAXINT32);
}

guint
tt_training_chooser_get_cohort_patient (TtTrainingChooser *self)
{
  g_return_val_if_fail (TT_IS_TRAINING_CHOOSER (self), 1);
  return (guint) gtk_spin_button_get_value_as_int (self->patient_spin);
}

void
tt_training_chooser_set_cohort_patient (TtTrainingChooser *self,
                                        guint              number)
{
  g_return_if_fail (TT_IS_TRAINING_CHOOSER (self));
  gtk_spin_button_set_value (self->patient_spin, number);
}

double
tt_training_chooser_get_speed (TtTrainingChooser *self)
{
  guint selected;

  g_return_val_if_fail (TT_IS_TRAINING_CHOOSER (self), 1);

  selected = adw_combo_row_get_selected (self->speed_row);
  return selected < G_N_ELEMENTS (speeds) ? speeds[selected] : 1;
}

void
tt_training_chooser_set_speed (TtTrainingChooser *self,
                               double             speed)
{
  g_return_if_fail (TT_IS_TRAINING_CHOOSER (self));

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i] == speed)
      {
        adw_combo_row_set_selected (self->speed_row, i);
        return;
      }
  g_warning ("Training speed %g× is not offered", speed);
}

void
tt_training_chooser_get_patient (TtTrainingChooser  *self,
                                 TtPatientParams    *params,
                                 guint32            *seed,
                                 char              **title)
{
  int scenario;

  g_return_if_fail (TT_IS_TRAINING_CHOOSER (self));
  g_return_if_fail (params != NULL && seed != NULL && title != NULL);

  scenario = tt_training_chooser_get_scenario (self);
  *seed = tt_training_chooser_get_seed (self);
  if (scenario >= 0)
    {
      tt_patient_scenario_params (scenario, params);
      *title = g_strdup (scenario_title (scenario));
    }
  else
    {
      TtCohort cohort;
      TtSeverity severity;
      guint number = tt_training_chooser_get_cohort_patient (self);
      g_autofree char *age = NULL;

      tt_cohort_init_default (&cohort);
      tt_cohort_draw_patient (&cohort, *seed, number - 1, params, &severity);
      age = tt_format_number (params->age_years, 0);
      /* Translators: "Source trial patient 12, 71 years". */
      *title = g_strdup_printf (_("Source trial patient %u, %s years"), number, age);
    }
  /* The trainee starts induction: the patient waits awake until then. */
  params->induction_at_ms = -1;
}

static void
check_toggled_cb (TtTrainingChooser *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->patient_spin),
                            tt_training_chooser_get_scenario (self) == TT_TRAINING_CHOOSER_COHORT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENARIO]);
}

static AdwActionRow *
add_choice (TtTrainingChooser *self,
            guint              index,
            const char        *title,
            const char        *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (index > 0)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->checks[0]);
  adw_action_row_add_prefix (row, check);
  adw_action_row_set_activatable_widget (row, check);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  self->checks[index] = GTK_CHECK_BUTTON (check);
  adw_preferences_group_add (self->scenario_group, GTK_WIDGET (row));
  return row;
}

static void
tt_training_chooser_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TtTrainingChooser *self = TT_TRAINING_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_int (value, tt_training_chooser_get_scenario (self));
      break;
    case PROP_SEED:
      g_value_set_uint (value, tt_training_chooser_get_seed (self));
      break;
    case PROP_COHORT_PATIENT:
      g_value_set_uint (value, tt_training_chooser_get_cohort_patient (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, tt_training_chooser_get_speed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_training_chooser_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TtTrainingChooser *self = TT_TRAINING_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      tt_training_chooser_set_scenario (self, g_value_get_int (value));
      break;
    case PROP_SEED:
      tt_training_chooser_set_seed (self, g_value_get_uint (value));
      break;
    case PROP_COHORT_PATIENT:
      tt_training_chooser_set_cohort_patient (self, g_value_get_uint (value));
      break;
    case PROP_SPEED:
      tt_training_chooser_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_training_chooser_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_training_chooser_parent_class)->dispose (object);
}

static void
tt_training_chooser_class_init (TtTrainingChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_training_chooser_get_property;
  object_class->set_property = tt_training_chooser_set_property;
  object_class->dispose = tt_training_chooser_dispose;

  properties[PROP_SCENARIO] =
    g_param_spec_int ("scenario", NULL, NULL, TT_TRAINING_CHOOSER_COHORT,
                      TT_N_PATIENT_SCENARIOS - 1, TT_PATIENT_SCENARIO_TYPICAL,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXINT32, 1,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COHORT_PATIENT] =
    g_param_spec_uint ("cohort-patient", NULL, NULL, 1, 10000, 1,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 1, 60, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-training-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, TtTrainingChooser, scenario_group);
  gtk_widget_class_bind_template_child (widget_class, TtTrainingChooser, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, TtTrainingChooser, speed_row);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_training_chooser_init (TtTrainingChooser *self)
{
  g_autoptr(GtkStringList) speed_names = gtk_string_list_new (NULL);
  AdwActionRow *cohort_row;
  g_autofree char *cohort_text = NULL;
  TtCohort cohort;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training with a virtual patient"), -1);

  for (TtPatientScenario s = 0; s < TT_N_PATIENT_SCENARIOS; s++)
    {
      g_autofree char *facts = scenario_facts (s);

      add_choice (self, s, scenario_title (s), facts);
    }

  tt_cohort_init_default (&cohort);
  {
    g_autofree char *age_lo = tt_format_number (cohort.age.min, 0);
    g_autofree char *age_hi = tt_format_number (cohort.age.max, 0);
    g_autofree char *map_lo = tt_format_number (cohort.baseline_map.min, 0);
    g_autofree char *map_hi = tt_format_number (cohort.baseline_map.max, 0);

    /* Translators: the population of data/cohorts/trial.ini. */
    cohort_text = g_strdup_printf (_("Drawn from the source trial’s population "
                                     "(data/cohorts/trial.ini): %s–%s years, baseline MAP %s–%s "
                                     "mmHg, varied sensitivity and fall"),
                                   age_lo, age_hi, map_lo, map_hi);
  }
  cohort_row = add_choice (self, TT_N_PATIENT_SCENARIOS, _("Patient from the trial population"),
                           cohort_text);
  self->patient_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 10000, 1));
  gtk_widget_set_valign (GTK_WIDGET (self->patient_spin), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->patient_spin), _("Patient number"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->patient_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Patient number"), -1);
  adw_action_row_add_suffix (cohort_row, GTK_WIDGET (self->patient_spin));

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *number = tt_format_number (speeds[i], 0);
      g_autofree char *text = g_strdup_printf (_("%s×"), number);

      gtk_string_list_append (speed_names, text);
    }
  adw_combo_row_set_model (self->speed_row, G_LIST_MODEL (speed_names));

  gtk_check_button_set_active (self->checks[TT_PATIENT_SCENARIO_TYPICAL], TRUE);
  check_toggled_cb (self);
}
