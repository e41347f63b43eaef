/* tt-instructor-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-format.h"
#include "tt-instructor-panel.h"

static const double speeds[] = { 1, 5, 10, 30, 60 };
/* Around CLINICAL.md §5's robustness range of 0.1–10× sensitivity. */
static const double sensitivities[] = { 0.2, 0.5, 1, 2, 5 };

struct _TtInstructorPanel
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *patient_label;
  GtkBox        *speed_box;
  GtkBox        *sensitivity_box;
  GtkBox        *severity_box;
  GtkGrid       *inject_grid;
  GtkLabel      *truth_label;
  GtkLabel      *log_empty_label;
  GtkListBox    *log_list;

  /* owned */
  TtTraining    *training;
  GSignalGroup  *training_signals;
  GSignalGroup  *feed_signals;
  GPtrArray     *log;
  char          *truth;
};

enum {
  PROP_0,
  PROP_TRAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtInstructorPanel, tt_instructor_panel, GTK_TYPE_WIDGET)

static const char *
artifact_describe (TtArtifact artifact)
{
  switch (artifact)
    {
    case TT_ARTIFACT_FLUSH:
      return _("flush");
    case TT_ARTIFACT_ZEROING:
      return _("zeroing");
    case TT_ARTIFACT_SAMPLING:
      return _("blood sampling");
    case TT_ARTIFACT_DAMPING:
      return _("damping");
    case TT_ARTIFACT_MOVEMENT:
      return _("movement");
    case TT_ARTIFACT_SIGNAL_LOSS:
      return _("signal loss");
    case TT_ARTIFACT_NONE:
    default:
      return _("none");
    }
}

/* What the monitor cannot show: the model's MAP, the drug's effect, the line. */
static void
update_truth (TtInstructorPanel *self)
{
  TtPatientFeed *feed = self->training ? tt_training_get_feed (self->training) : NULL;
  TtPatient *patient;
  TtPatientTruth t;
  g_autofree char *map = NULL;
  g_autofree char *model = NULL;
  g_autofree char *effect = NULL;
  g_autofree char *plasma = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *free_ml = NULL;
  g_autofree char *sensitivity = NULL;
  g_autofree char *fall = NULL;

  g_clear_pointer (&self->truth, g_free);
  if (feed == NULL)
    {
      gtk_label_set_text (self->truth_label, "–");
      return;
    }
  patient = tt_patient_feed_get_patient (feed);
  tt_patient_get_truth (patient, &t);
  map = tt_format_number (t.map, 0);
  model = tt_format_number (t.map_model, 0);
  effect = tt_format_signed (t.ne_effect_mmhg, 1);
  plasma = tt_format_number (t.ne_plasma_ug_l, 2);
  rate = tt_dose_format_rate_both (t.rate_ug_kg_min, tt_patient_get_params (patient)->weight_kg,
                                   tt_patient_get_params (patient)->concentration_ug_ml);
  free_ml = tt_format_number (t.line_drug_free_ml, 2);
  sensitivity = tt_format_number (tt_patient_get_params (patient)->ne_sensitivity, 2);
  fall = tt_format_number (tt_patient_get_params (patient)->induction_fall * 100, 1);
  self->truth = g_strdup_printf (_("True MAP %s mmHg (model %s mmHg)\n"
                                   "NE effect %s mmHg · plasma %s µg/L\n"
                                   "Pump %s · drug-free line %s mL\n"
                                   "Sensitivity %s× · induction fall %s %%\n"
                                   "Artifact: %s"),
                                 map, model, effect, plasma, rate, free_ml, sensitivity, fall,
                                 artifact_describe (t.artifact));
  gtk_label_set_text (self->truth_label, self->truth);
}

static void
input_added_cb (TtInstructorPanel     *self,
                const TtTrainingInput *input)
{
  g_autofree char *what = tt_training_input_describe (input);
  g_autofree char *when = tt_format_clock (input->t_ms);
  GtkWidget *row = adw_action_row_new ();
  char *entry = g_strdup_printf ("%s  %s", when, what);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  gtk_list_box_append (self->log_list, row);
  g_ptr_array_add (self->log, entry);
  gtk_widget_set_visible (GTK_WIDGET (self->log_list), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->log_empty_label), FALSE);
  update_truth (self);
}

static void
clear_log (TtInstructorPanel *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->log_list))) != NULL)
    gtk_list_box_remove (self->log_list, row);
  g_ptr_array_set_size (self->log, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->log_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->log_empty_label), TRUE);
}

TtTraining *
tt_instructor_panel_get_training (TtInstructorPanel *self)
{
  g_return_val_if_fail (TT_IS_INSTRUCTOR_PANEL (self), NULL);
  return self->training;
}

void
tt_instructor_panel_set_training (TtInstructorPanel *self,
                                  TtTraining        *training)
{
  g_return_if_fail (TT_IS_INSTRUCTOR_PANEL (self));
  g_return_if_fail (training == NULL || TT_IS_TRAINING (training));

  if (!g_set_object (&self->training, training))
    return;
  g_signal_group_set_target (self->training_signals, training);
  g_signal_group_set_target (self->feed_signals,
                             training ? tt_training_get_feed (training) : NULL);
  clear_log (self);
  if (training != NULL)
    {
      /* Translators: "Patient: Elderly, severe fall · seed 7". */
      g_autofree char *text = g_strdup_printf (_("Patient: %s · seed %u. Hidden from the "
                                                 "trainee’s view; F9 shows or hides it."),
                                               tt_training_get_title (training),
                                               tt_training_get_seed (training));
      const TtTrainingInput *inputs;
      guint n;

      gtk_label_set_text (self->patient_label, text);
      inputs = tt_training_run_get_inputs (tt_training_get_run (training), &n);
      for (guint i = 0; i < n; i++)
        input_added_cb (self, &inputs[i]);
    }
  else
    gtk_label_set_text (self->patient_label, "");
  update_truth (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

guint
tt_instructor_panel_get_n_log (TtInstructorPanel *self)
{
  g_return_val_if_fail (TT_IS_INSTRUCTOR_PANEL (self), 0);
  return self->log->len;
}

const char *
tt_instructor_panel_get_log (TtInstructorPanel *self,
                             guint              index)
{
  g_return_val_if_fail (TT_IS_INSTRUCTOR_PANEL (self), NULL);
  g_return_val_if_fail (index < self->log->len, NULL);
  return g_ptr_array_index (self->log, index);
}

const char *
tt_instructor_panel_get_truth (TtInstructorPanel *self)
{
  g_return_val_if_fail (TT_IS_INSTRUCTOR_PANEL (self), NULL);
  return self->truth;
}

static GtkWidget *
action_button (const char *label,
               const char *action,
               GVariant   *target,
               gboolean    toggle)
{
  GtkWidget *button = toggle ? gtk_toggle_button_new_with_label (label)
                             : gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_widget_add_css_class (button, "touch");
  return button;
}

static void
tt_instructor_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TtInstructorPanel *self = TT_INSTRUCTOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      g_value_set_object (value, self->training);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_instructor_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TtInstructorPanel *self = TT_INSTRUCTOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      tt_instructor_panel_set_training (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_instructor_panel_dispose (GObject *object)
{
  TtInstructorPanel *self = TT_INSTRUCTOR_PANEL (object);
  GtkWidget *child;

  if (self->training_signals != NULL)
    g_signal_group_set_target (self->training_signals, NULL);
  if (self->feed_signals != NULL)
    g_signal_group_set_target (self->feed_signals, NULL);
  g_clear_object (&self->training_signals);
  g_clear_object (&self->feed_signals);
  g_clear_object (&self->training);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_instructor_panel_parent_class)->dispose (object);
}

static void
tt_instructor_panel_finalize (GObject *object)
{
  TtInstructorPanel *self = TT_INSTRUCTOR_PANEL (object);

  g_clear_pointer (&self->log, g_ptr_array_unref);
  g_free (self->truth);

  G_OBJECT_CLASS (tt_instructor_panel_parent_class)->finalize (object);
}

static void
tt_instructor_panel_class_init (TtInstructorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_instructor_panel_get_property;
  object_class->set_property = tt_instructor_panel_set_property;
  object_class->dispose = tt_instructor_panel_dispose;
  object_class->finalize = tt_instructor_panel_finalize;

  properties[PROP_TRAINING] =
    g_param_spec_object ("training", NULL, NULL, TT_TYPE_TRAINING,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-instructor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, patient_label);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, speed_box);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, sensitivity_box);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, severity_box);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, inject_grid);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, truth_label);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, log_empty_label);
  gtk_widget_class_bind_template_child (widget_class, TtInstructorPanel, log_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "instructorpanel");
}

static void
tt_instructor_panel_init (TtInstructorPanel *self)
{
  static const struct {
    const char *artifact;
    const char *label;
  } injections[] = {
    { "flush", N_("_Flush") },
    { "zeroing", N_("_Zeroing") },
    { "sampling", N_("Blood _sampling") },
    { "damping", N_("_Damping") },
    { "movement", N_("_Movement") },
    { "signal-loss", N_("Signal _loss") },
  };
  static const struct {
    const char *severity;
    const char *label;
  } severities[] = {
    { "mild", N_("Mild") },
    { "moderate", N_("Moderate") },
    { "severe", N_("Severe") },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Instructor panel"), -1);
  self->log = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *number = tt_format_number (speeds[i], 0);
      g_autofree char *label = g_strdup_printf (_("%s×"), number);

      gtk_box_append (self->speed_box, action_button (label, "training.speed",
                                                      g_variant_new_double (speeds[i]), TRUE));
    }
  for (guint i = 0; i < G_N_ELEMENTS (sensitivities); i++)
    {
      g_autofree char *number = tt_format_number (sensitivities[i], 1);
      g_autofree char *label = g_strdup_printf (_("%s×"), number);

      gtk_box_append (self->sensitivity_box,
                      action_button (label, "training.sensitivity",
                                     g_variant_new_double (sensitivities[i]), TRUE));
    }
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    gtk_box_append (self->severity_box,
                    action_button (_(severities[i].label), "training.severity",
                                   g_variant_new_string (severities[i].severity), TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      GtkWidget *button = action_button (_(injections[i].label), "training.inject",
                                         g_variant_new_string (injections[i].artifact), FALSE);

      gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
      gtk_grid_attach (self->inject_grid, button, i % 2, i / 2, 1, 1);
    }

  self->training_signals = g_signal_group_new (TT_TYPE_TRAINING);
  g_signal_group_connect_swapped (self->training_signals, "input-added",
                                  G_CALLBACK (input_added_cb), self);
  self->feed_signals = g_signal_group_new (TT_TYPE_PATIENT_FEED);
  g_signal_group_connect_swapped (self->feed_signals, "samples", G_CALLBACK (update_truth), self);
  update_truth (self);
}
