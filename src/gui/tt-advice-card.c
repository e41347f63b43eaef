/* tt-advice-card.c: shows the advice the advisor computed, in µg/kg/min and mL/h (µg and mL for a
 * bolus), with its reason, the limit that capped it and the countdown to the next review; the
 * clinician answers inline (never a dialog over the trend).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-advice-card.h"
#include "tt-case.h"
#include "tt-dose.h"
#include "tt-format.h"

struct _TtAdviceCard
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *heading_label;
  GtkLabel      *title_label;
  GtkWidget     *bolus_box;
  GtkLabel      *bolus_label;
  GtkLabel      *bolus_detail_label;
  GtkWidget     *rate_box;
  GtkLabel      *rate_label;
  GtkLabel      *rate_detail_label;
  GtkLabel      *reason_label;
  GtkLabel      *limit_label;
  GtkLabel      *review_label;
  GtkLabel      *answer_label;
  GtkLabel      *error_label;
  GtkStack      *body_stack;
  GtkSpinButton *change_spin;
  GtkLabel      *change_preview_label;
  GtkLabel      *change_error_label;
  GtkCheckButton *change_confirm_check;
  GtkDropDown   *decline_dropdown;
  GtkStringList *decline_reasons;
  GtkEntry      *decline_entry;
  GtkLabel      *decline_error_label;

  /* owned */
  TtCase        *kase;
  GSignalGroup  *case_signals;

  /* state */
  double         rate;
};

enum {
  PROP_0,
  PROP_CASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtAdviceCard, tt_advice_card, GTK_TYPE_WIDGET)

static void
update_actions (TtAdviceCard *self)
{
  gboolean answerable = self->kase != NULL && tt_case_get_advice (self->kase) != NULL;
  gboolean editing = !g_str_equal (gtk_stack_get_visible_child_name (self->body_stack), "advice");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.accept", answerable && !editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.change", answerable && !editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.decline", answerable && !editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.save-change", answerable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.save-decline", answerable);
}

static void
close_forms (TtAdviceCard *self)
{
  gtk_stack_set_visible_child_name (self->body_stack, "advice");
  gtk_widget_set_visible (GTK_WIDGET (self->change_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->change_confirm_check), FALSE);
  gtk_check_button_set_active (self->change_confirm_check, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->decline_error_label), FALSE);
  update_actions (self);
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

GtkWidget *
tt_advice_card_new (void)
{
  return g_object_new (TT_TYPE_ADVICE_CARD, NULL);
}

/* The advice shown: @time_text is when it was issued (shown as "ADVICE · 08:20:46"), @title what
 * to do in a few words. Whether it can be answered is the case's business (its current advice). */
void
tt_advice_card_set_heading (TtAdviceCard *self,
                            const char   *time_text,
                            const char   *title)
{
  g_autofree char *heading = NULL;

  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  if (time_text != NULL && *time_text != '\0')
    heading = g_strdup_printf (_("ADVICE · %s"), time_text);
  else
    heading = g_strdup (_("ADVICE"));
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->title_label, title != NULL ? title : _("No advice yet"));
}

/* Shows the rescue bolus, or hides the box when @bolus_ug is not positive. */
void
tt_advice_card_set_bolus (TtAdviceCard *self,
                          double        bolus_ug,
                          double        bolus_ml,
                          double        concentration_ug_ml)
{
  g_autofree char *ug = NULL;
  g_autofree char *ml = NULL;
  g_autofree char *conc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  gtk_widget_set_visible (self->bolus_box, isfinite (bolus_ug) && bolus_ug > 0);
  if (!(isfinite (bolus_ug) && bolus_ug > 0))
    return;

  ug = tt_format_number (bolus_ug, 1);
  ml = tt_format_number (bolus_ml, 2);
  conc = tt_format_number (concentration_ug_ml, 1);
  /* Translators: a rescue bolus in µg and in mL of the syringe drawn at the checklist. */
  text = g_strdup_printf (_("Bolus %s µg = %s mL"), ug, ml);
  detail = g_strdup_printf (_("of %s µg/mL, as drawn at the checklist"), conc);
  gtk_label_set_text (self->bolus_label, text);
  gtk_label_set_text (self->bolus_detail_label, detail);
}

/* Shows the advised infusion rate, or hides the box when @rate_ug_kg_min is NAN. */
void
tt_advice_card_set_rate (TtAdviceCard *self,
                         double        rate_ug_kg_min,
                         double        rate_ml_h,
                         double        current_ug_kg_min,
                         double        change_ug_kg_min)
{
  g_autofree char *rate = NULL;
  g_autofree char *ml_h = NULL;
  g_autofree char *now = NULL;
  g_autofree char *change = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  self->rate = rate_ug_kg_min;
  gtk_widget_set_visible (self->rate_box, isfinite (rate_ug_kg_min));
  if (!isfinite (rate_ug_kg_min))
    return;

  rate = tt_format_number (rate_ug_kg_min, 3);
  ml_h = tt_format_number (rate_ml_h, 1);
  now = tt_format_number (current_ug_kg_min, 3);
  change = tt_format_signed (change_ug_kg_min, 3);
  text = g_strdup_printf (_("Infusion %s µg/kg/min"), rate);
  /* Translators: "= 23.8 mL/h (now 0.09, +0.02)": the current rate and the change in µg/kg/min. */
  detail = g_strdup_printf (_("= %s mL/h (now %s, %s)"), ml_h, now, change);
  gtk_label_set_text (self->rate_label, text);
  gtk_label_set_text (self->rate_detail_label, detail);
}

/* The reason sentence and the limit that capped the advice (NULL or "" when none did). */
void
tt_advice_card_set_reason (TtAdviceCard *self,
                           const char   *reason,
                           const char   *limit)
{
  g_autofree char *why = NULL;
  g_autofree char *lim = NULL;

  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  if (reason != NULL && *reason != '\0')
    why = g_strdup_printf (_("Why: %s"), reason);
  if (limit != NULL && *limit != '\0')
    lim = g_strdup_printf (_("◆ Limit: %s"), limit);
  set_text (self->reason_label, why);
  set_text (self->limit_label, lim);
}

/* The countdown to the advisor's next look, in seconds; negative hides it. */
void
tt_advice_card_set_next_review (TtAdviceCard *self,
                                int           seconds)
{
  g_autofree char *clock = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  if (seconds >= 0)
    {
      clock = tt_format_clock ((gint64) seconds * 1000);
      text = g_strdup_printf (_("Next review in %s"), clock);
    }
  set_text (self->review_label, text);
}

gboolean
tt_advice_card_get_answerable (TtAdviceCard *self)
{
  g_return_val_if_fail (TT_IS_ADVICE_CARD (self), FALSE);

  return self->kase != NULL && tt_case_get_advice (self->kase) != NULL;
}

/* The case clock is the time of an answer: what the clinician answered, at the moment the
 * case has reached. */
static gint64
case_now (TtAdviceCard *self)
{
  return tt_case_get_now_ms (self->kase);
}

static char *
answer_clock (TtAdviceCard *self)
{
  return tt_format_wall_time (tt_case_get_start_unix_ms (self->kase), case_now (self), TRUE);
}

static void
show_answer (TtAdviceCard *self,
             const char   *text)
{
  set_text (self->answer_label, text);
  set_text (self->error_label, NULL);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  g_autoptr(GError) error = NULL;

  if (self->kase == NULL)
    return;
  if (!tt_case_accept_advice (self->kase, case_now (self), &error))
    {
      set_text (self->error_label, error->message);
      return;
    }
  {
    g_autofree char *clock = answer_clock (self);
    g_autofree char *text = g_strdup_printf (_("✓ Accepted at %s"), clock);

    show_answer (self, text);
  }
}

static void
update_change_preview (TtAdviceCard *self)
{
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autofree char *text = NULL;

  if (setup != NULL)
    {
      double rate = gtk_spin_button_get_value (self->change_spin);

      text = tt_dose_format_rate_both (rate, setup->weight_kg, setup->concentration);
    }
  gtk_label_set_text (self->change_preview_label, text != NULL ? text : "");
}

static void
change_value_changed_cb (TtAdviceCard *self)
{
  /* A new value needs its own confirmation. */
  gtk_widget_set_visible (GTK_WIDGET (self->change_confirm_check), FALSE);
  gtk_check_button_set_active (self->change_confirm_check, FALSE);
  set_text (self->change_error_label, NULL);
  update_change_preview (self);
}

static void
change_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);

  close_forms (self);
  gtk_spin_button_set_value (self->change_spin, isfinite (self->rate) ? self->rate : 0);
  change_value_changed_cb (self);
  gtk_stack_set_visible_child_name (self->body_stack, "change");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->change_spin));
}

static void
decline_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);

  close_forms (self);
  gtk_drop_down_set_selected (self->decline_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->decline_entry), "");
  gtk_stack_set_visible_child_name (self->body_stack, "decline");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->decline_dropdown));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  close_forms (TT_ADVICE_CARD (widget));
}

/* The rate actually set goes to the case, which applies the 10-fold guard: a rate it flags is
 * taken only once the clinician ticks the confirmation shown with the reason. */
static void
save_change_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  g_autoptr(GError) error = NULL;
  gboolean confirmed;
  double rate;

  if (self->kase == NULL)
    return;
  gtk_spin_button_update (self->change_spin);
  rate = gtk_spin_button_get_value (self->change_spin);
  confirmed = gtk_widget_get_visible (GTK_WIDGET (self->change_confirm_check)) &&
              gtk_check_button_get_active (self->change_confirm_check);

  if (!tt_case_change_advice (self->kase, rate, confirmed, case_now (self), &error))
    {
      set_text (self->change_error_label, error->message);
      if (g_error_matches (error, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION))
        gtk_widget_set_visible (GTK_WIDGET (self->change_confirm_check), TRUE);
      return;
    }
  close_forms (self);
  {
    g_autofree char *clock = answer_clock (self);
    g_autofree char *rate_text = tt_dose_format_rate (rate);
    /* Translators: "✓ Changed at 08:21:02: 0.08 µg/kg/min set". */
    g_autofree char *text = g_strdup_printf (_("✓ Changed at %s: %s set"), clock, rate_text);

    show_answer (self, text);
  }
}

static void
save_decline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  guint selected = gtk_drop_down_get_selected (self->decline_dropdown);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->decline_reasons));
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->decline_entry))));
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (self->kase == NULL)
    return;
  /* The last entry of the list is "Other": then the typed text is the reason, and it is required.
   * Typed text always wins: it is what the clinician wrote. */
  if (*typed != '\0')
    reason = g_steal_pointer (&typed);
  else if (selected + 1 < n)
    reason = g_strdup (gtk_string_list_get_string (self->decline_reasons, selected));

  if (reason == NULL)
    {
      set_text (self->decline_error_label, _("Type the reason for declining."));
      gtk_widget_grab_focus (GTK_WIDGET (self->decline_entry));
      return;
    }
  if (!tt_case_decline_advice (self->kase, reason, case_now (self), &error))
    {
      set_text (self->decline_error_label, error->message);
      return;
    }
  close_forms (self);
  {
    g_autofree char *clock = answer_clock (self);
    g_autofree char *text = g_strdup_printf (_("✗ Declined at %s"), clock);

    show_answer (self, text);
  }
}

/* The rescue bolus drawn at the checklist was given (with or without an advice). */
static void
bolus_given_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autoptr(GError) error = NULL;

  if (setup == NULL)
    return;
  /* The dose is the one checked at setup and drawn at the checklist: its guard was answered
   * there, so it counts as confirmed. */
  if (!tt_case_give_bolus (self->kase, setup->bolus_ug, TRUE, case_now (self), &error))
    {
      set_text (self->error_label, error->message);
      return;
    }
  {
    g_autofree char *clock = answer_clock (self);
    g_autofree char *bolus = tt_dose_format_bolus (setup->bolus_ug, setup->concentration);
    /* Translators: "✓ Bolus 10 µg = 0.5 mL given at 08:21:02". */
    g_autofree char *text = g_strdup_printf (_("✓ Bolus %s given at %s"), bolus, clock);

    show_answer (self, text);
  }
}

static void
case_advice_cb (TtAdviceCard *self)
{
  /* A new advice to answer clears the note of the previous answer. */
  if (tt_case_get_advice (self->kase) != NULL)
    set_text (self->answer_label, NULL);
  else
    close_forms (self);
  update_actions (self);
}

static void
case_state_cb (TtAdviceCard *self)
{
  TtCaseState state = tt_case_get_state (self->kase);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.bolus-given",
                                 state == TT_CASE_STATE_INDUCTION ||
                                 state == TT_CASE_STATE_MAINTENANCE);
}

TtCase *
tt_advice_card_get_case (TtAdviceCard *self)
{
  g_return_val_if_fail (TT_IS_ADVICE_CARD (self), NULL);

  return self->kase;
}

void
tt_advice_card_set_case (TtAdviceCard *self,
                         TtCase       *kase)
{
  g_return_if_fail (TT_IS_ADVICE_CARD (self));
  g_return_if_fail (kase == NULL || TT_IS_CASE (kase));

  if (!g_set_object (&self->kase, kase))
    return;
  g_signal_group_set_target (self->case_signals, kase);
  set_text (self->answer_label, NULL);
  set_text (self->error_label, NULL);
  close_forms (self);
  if (kase != NULL)
    case_state_cb (self);
  else
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.bolus-given", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
}

static void
tt_advice_card_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtAdviceCard *self = TT_ADVICE_CARD (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_advice_card_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtAdviceCard *self = TT_ADVICE_CARD (object);

  switch (prop_id)
    {
    case PROP_CASE:
      tt_advice_card_set_case (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_advice_card_dispose (GObject *object)
{
  TtAdviceCard *self = TT_ADVICE_CARD (object);
  GtkWidget *child;

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->kase);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_advice_card_parent_class)->dispose (object);
}

static void
tt_advice_card_class_init (TtAdviceCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_advice_card_dispose;

  object_class->get_property = tt_advice_card_get_property;
  object_class->set_property = tt_advice_card_set_property;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, TT_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-advice-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, bolus_box);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, bolus_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, bolus_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, rate_box);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, rate_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, rate_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, reason_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, limit_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, review_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, answer_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, body_stack);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, change_spin);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, change_preview_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, change_error_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, change_confirm_check);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, decline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, decline_reasons);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, decline_entry);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, decline_error_label);
  gtk_widget_class_bind_template_callback (widget_class, change_value_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "advicecard");

  gtk_widget_class_install_action (widget_class, "advice.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "advice.change", NULL, change_action);
  gtk_widget_class_install_action (widget_class, "advice.decline", NULL, decline_action);
  gtk_widget_class_install_action (widget_class, "advice.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "advice.save-change", NULL, save_change_action);
  gtk_widget_class_install_action (widget_class, "advice.save-decline", NULL,
                                   save_decline_action);
  gtk_widget_class_install_action (widget_class, "advice.bolus-given", NULL, bolus_given_action);
}

static void
tt_advice_card_init (TtAdviceCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rate = NAN;

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::advice",
                                  G_CALLBACK (case_advice_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (case_state_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.bolus-given", FALSE);
  update_actions (self);
}
