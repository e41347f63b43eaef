/* tt-checklist-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-checklist-page.h"
#include "tt-checklist-row.h"

struct _TtChecklistPage
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *summary_label;
  GtkListBox    *list;
  GtkButton     *start_button;
  GtkRevealer   *override_revealer;
  AdwEntryRow   *reason_row;
  GtkWidget     *override_error_row;
  GtkLabel      *override_error;

  /* owned */
  TtSession     *session;
  GSignalGroup  *case_signals;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtChecklistPage, tt_checklist_page, GTK_TYPE_WIDGET)

static TtCase *
get_case (TtChecklistPage *self)
{
  return self->session ? tt_session_get_case (self->session) : NULL;
}

/* "Case 0427 · 72 kg · baseline MAP 96 mmHg · target 77–97 mmHg · NE 20 µg/mL · peripheral line" */
static void
update_summary (TtChecklistPage *self)
{
  TtCase *kase = get_case (self);
  const TtCaseSetup *s = kase ? tt_case_get_setup (kase) : NULL;
  g_autofree char *weight = NULL;
  g_autofree char *baseline = NULL;
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;
  g_autofree char *conc = NULL;
  g_autofree char *text = NULL;

  if (s == NULL)
    {
      gtk_label_set_label (self->summary_label, "");
      return;
    }
  weight = tt_dose_format_number (s->weight_kg, 0, 1);
  baseline = tt_dose_format_number (s->baseline_map, 0, 0);
  lo = tt_dose_format_number (s->target_lo, 0, 0);
  hi = tt_dose_format_number (s->target_hi, 0, 0);
  conc = tt_dose_format_number (s->concentration, 0, 1);
  /* Translators: the case summary above the checklist. */
  text = g_strdup_printf (_("%s · %s kg · baseline MAP %s mmHg · target %s–%s mmHg · "
                            "NE %s µg/mL · %s"),
                          s->label, weight, baseline, lo, hi, conc,
                          tt_line_type_describe (s->line));
  gtk_label_set_label (self->summary_label, text);
}

static void
update_start (TtChecklistPage *self)
{
  TtCase *kase = get_case (self);
  guint done = kase ? tt_case_get_checklist_done (kase) : 0;
  g_autofree char *label = NULL;

  if (kase != NULL && tt_case_get_state (kase) == TT_CASE_STATE_READY &&
      done < TT_N_CHECKLIST_ITEMS)
    /* Translators: the checklist was overridden with a reason. */
    label = g_strdup_printf (_("Start Induction (override, %u of %d confirmed)"), done,
                             TT_N_CHECKLIST_ITEMS);
  else if (done == TT_N_CHECKLIST_ITEMS)
    label = g_strdup (_("Start Induction"));
  else
    label = g_strdup_printf (_("Start Induction (%u of %d confirmed)"), done,
                             TT_N_CHECKLIST_ITEMS);
  gtk_button_set_label (self->start_button, label);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  TtChecklistPage *self = user_data;

  return tt_checklist_row_new (TT_CHECKLIST_ITEM (item),
                               tt_case_get_start_unix_ms (get_case (self)));
}

static void
show_override_error (TtChecklistPage *self,
                     const char      *message)
{
  gtk_label_set_label (self->override_error, message ? message : "");
  gtk_widget_set_visible (self->override_error_row, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->reason_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->reason_row), "error");
}

static void
case_state_cb (TtChecklistPage *self)
{
  TtCase *kase = get_case (self);

  update_start (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.show-override",
                                 tt_case_get_state (kase) == TT_CASE_STATE_CHECKLIST);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checklist.override",
                                 tt_case_get_state (kase) == TT_CASE_STATE_CHECKLIST);
  if (tt_case_get_state (kase) != TT_CASE_STATE_CHECKLIST)
    gtk_revealer_set_reveal_child (self->override_revealer, FALSE);
}

static void
show_override_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TtChecklistPage *self = TT_CHECKLIST_PAGE (widget);

  gtk_revealer_set_reveal_child (self->override_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
}

static void
override_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TtChecklistPage *self = TT_CHECKLIST_PAGE (widget);
  TtCase *kase = get_case (self);
  g_autoptr(GError) error = NULL;
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));

  if (kase == NULL)
    return;
  if (!tt_case_override_checklist (kase, reason, tt_session_now_ms (self->session), &error))
    {
      show_override_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
      return;
    }
  show_override_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), "");
  /* The clinician asked for both at once: "Override and start induction". */
  if (!tt_case_start_induction (kase, tt_session_now_ms (self->session), &error))
    g_signal_emit_by_name (self->session, "error", error->message);
}

static void
reason_activated_cb (TtChecklistPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "checklist.override", NULL);
}

TtSession *
tt_checklist_page_get_session (TtChecklistPage *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_PAGE (self), NULL);
  return self->session;
}

void
tt_checklist_page_set_session (TtChecklistPage *self,
                               TtSession       *session)
{
  TtCase *kase;

  g_return_if_fail (TT_IS_CHECKLIST_PAGE (self));
  g_return_if_fail (session == NULL || TT_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  kase = get_case (self);
  g_signal_group_set_target (self->case_signals, kase);
  gtk_list_box_bind_model (self->list, kase ? tt_case_get_checklist (kase) : NULL,
                           kase ? create_row_cb : NULL, self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), "");
  show_override_error (self, NULL);
  gtk_revealer_set_reveal_child (self->override_revealer, FALSE);
  update_summary (self);
  update_start (self);
  if (kase != NULL)
    case_state_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
tt_checklist_page_get_summary (TtChecklistPage *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_PAGE (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

const char *
tt_checklist_page_get_start_label (TtChecklistPage *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_PAGE (self), NULL);
  return gtk_button_get_label (self->start_button);
}

const char *
tt_checklist_page_get_override_error (TtChecklistPage *self)
{
  g_return_val_if_fail (TT_IS_CHECKLIST_PAGE (self), NULL);
  return gtk_label_get_label (self->override_error);
}

static void
tt_checklist_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TtChecklistPage *self = TT_CHECKLIST_PAGE (object);

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
tt_checklist_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TtChecklistPage *self = TT_CHECKLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tt_checklist_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_checklist_page_dispose (GObject *object)
{
  TtChecklistPage *self = TT_CHECKLIST_PAGE (object);
  GtkWidget *child;

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->case_signals);
  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->session);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_checklist_page_parent_class)->dispose (object);
}

static void
add_item_key (GtkWidgetClass *widget_class,
              guint           keyval,
              TtChecklistId   id)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "case.toggle-item", "s",
                                       tt_checklist_id_to_string (id));
}

static void
tt_checklist_page_class_init (TtChecklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_checklist_page_get_property;
  object_class->set_property = tt_checklist_page_set_property;
  object_class->dispose = tt_checklist_page_dispose;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tt-checklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, list);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, override_revealer);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, reason_row);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, override_error_row);
  gtk_widget_class_bind_template_child (widget_class, TtChecklistPage, override_error);
  gtk_widget_class_bind_template_callback (widget_class, reason_activated_cb);

  gtk_widget_class_install_action (widget_class, "checklist.show-override", NULL,
                                   show_override_action);
  gtk_widget_class_install_action (widget_class, "checklist.override", NULL, override_action);

  add_item_key (widget_class, GDK_KEY_1, TT_CHECKLIST_PUMP_PRIMED);
  add_item_key (widget_class, GDK_KEY_2, TT_CHECKLIST_SYRINGE);
  add_item_key (widget_class, GDK_KEY_3, TT_CHECKLIST_IV_ACCESS);
  add_item_key (widget_class, GDK_KEY_4, TT_CHECKLIST_RESCUE_BOLUS);
  add_item_key (widget_class, GDK_KEY_5, TT_CHECKLIST_ARTERIAL_LINE);
  add_item_key (widget_class, GDK_KEY_6, TT_CHECKLIST_MAP_TARGET);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_checklist_page_init (TtChecklistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_state_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::checklist-done",
                                  G_CALLBACK (update_start), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::setup",
                                  G_CALLBACK (update_summary), self);
  update_start (self);
}
