/* tt-advice-card.c: shows the advice the advisor computed, in µg/kg/min and mL/h (µg and mL for a
 * bolus), with its reason, the limit that capped it and the countdown to the next review; the
 * clinician answers inline through the case.* actions (never a dialog over the trend). What the
 * case logged as the answer is shown under the advice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-advice-card.h"
#include "tt-dose.h"
#include "tt-format.h"

struct _TtAdviceCard
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkLabel       *heading_label;
  GtkLabel       *title_label;
  GtkStack       *body_stack;
  GtkWidget      *bolus_box;
  GtkLabel       *bolus_label;
  GtkLabel       *bolus_detail_label;
  GtkWidget      *rate_box;
  GtkLabel       *rate_label;
  GtkLabel       *rate_detail_label;
  GtkLabel       *reason_label;
  GtkLabel       *limit_label;
  GtkLabel       *review_label;
  GtkLabel       *answer_label;
  GtkLabel       *error_label;
  GtkSpinButton  *change_spin;
  GtkLabel       *change_preview_label;
  GtkLabel       *change_error_label;
  GtkCheckButton *change_confirm_check;
  GtkDropDown    *decline_dropdown;
  GtkStringList  *decline_reasons;
  GtkEntry       *decline_entry;
  GtkLabel       *decline_error_label;

  /* owned */
  TtCase         *kase;
  GSignalGroup   *case_signals;
  TtAdvice        advice;
  gboolean        has_advice;
};

enum {
  PROP_0,
  PROP_CASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtAdviceCard, tt_advice_card, GTK_TYPE_WIDGET)

static void
set_text (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static gboolean
is_editing (TtAdviceCard *self)
{
  return !g_str_equal (gtk_stack_get_visible_child_name (self->body_stack), "advice");
}

gboolean
tt_advice_card_get_answerable (TtAdviceCard *self)
{
  g_return_val_if_fail (TT_IS_ADVICE_CARD (self), FALSE);

  return self->kase != NULL && tt_case_get_advice (self->kase) != NULL;
}

static void
update_actions (TtAdviceCard *self)
{
  gboolean answerable = tt_advice_card_get_answerable (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.change",
                                 answerable && !is_editing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.decline",
                                 answerable && !is_editing (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.save-change", answerable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "advice.save-decline", answerable);
}

static void
close_forms (TtAdviceCard *self)
{
  gtk_stack_set_visible_child_name (self->body_stack, "advice");
  set_text (self->change_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->change_confirm_check), FALSE);
  gtk_check_button_set_active (self->change_confirm_check, FALSE);
  set_text (self->decline_error_label, NULL);
  update_actions (self);
}

static char *
case_time (TtAdviceCard *self,
           gint64        t_ms)
{
  return tt_format_wall_time (tt_case_get_start_unix_ms (self->kase), t_ms, TRUE);
}

/* The countdown to the advisor's next look, from the case clock. */
static void
update_review (TtAdviceCard *self)
{
  g_autofree char *text = NULL;

  if (self->has_advice && self->kase != NULL && self->advice.next_review_ms > 0)
    {
      gint64 left = MAX (0, self->advice.next_review_ms - tt_case_get_now_ms (self->kase));
      g_autofree char *clock = tt_format_clock (left);

      text = g_strdup_printf (_("Next review in %s"), clock);
    }
  set_text (self->review_label, text);
}

static void
render (TtAdviceCard *self)
{
  const TtAdvice *a = self->has_advice ? &self->advice : NULL;
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autofree char *heading = NULL;
  g_autofree char *why = NULL;
  g_autofree char *limit = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "advice-hold");
  if (a == NULL)
    {
      gtk_label_set_text (self->heading_label, _("ADVICE"));
      gtk_label_set_text (self->title_label, _("Advice starts with induction"));
      gtk_widget_set_visible (self->bolus_box, FALSE);
      gtk_widget_set_visible (self->rate_box, FALSE);
      set_text (self->reason_label, NULL);
      set_text (self->limit_label, NULL);
      update_review (self);
      return;
    }

  if (self->kase != NULL)
    {
      g_autofree char *clock = case_time (self, a->t_ms);

      heading = g_strdup_printf (_("ADVICE · %s"), clock);
    }
  gtk_label_set_text (self->heading_label, heading != NULL ? heading : _("ADVICE"));
  gtk_label_set_text (self->title_label, a->title != NULL ? a->title : "");
  /* No advice because the signal cannot be trusted: the title says so in the warning colour,
   * and the sentence says why. */
  if (a->kind == TT_ADVICE_NO_ADVICE)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "advice-hold");

  gtk_widget_set_visible (self->bolus_box, a->bolus);
  if (a->bolus)
    {
      g_autofree char *ug = tt_format_number (a->bolus_ug, 1);
      g_autofree char *ml = tt_format_number (a->bolus_ml, 2);
      g_autofree char *conc = tt_format_number (setup != NULL ? setup->concentration : NAN, 1);
      g_autofree char *text = g_strdup_printf (_("Bolus %s µg = %s mL"), ug, ml);
      g_autofree char *detail = g_strdup_printf (_("of %s µg/mL, as drawn at the checklist"),
                                                 conc);

      gtk_label_set_text (self->bolus_label, text);
      gtk_label_set_text (self->bolus_detail_label, detail);
    }

  {
    gboolean changes = fabs (a->change) > 1e-9;
    g_autofree char *rate = tt_dose_format_number (a->rate, 2, 3);
    g_autofree char *ml_h = tt_dose_format_ml_h (a->ml_h);
    g_autofree char *now = tt_dose_format_number (a->current_rate, 2, 3);
    g_autofree char *change = tt_format_signed (a->change, 3);
    g_autofree char *text = g_strdup_printf (_("Infusion %s µg/kg/min"), rate);
    g_autofree char *detail = NULL;

    if (changes)
      /* Translators: "= 23.8 mL/h (now 0.09, +0.02)": the running rate and the change, both in
       * µg/kg/min. */
      detail = g_strdup_printf (_("= %s (now %s, %s)"), ml_h, now, change);
    else
      detail = g_strdup_printf (_("= %s (unchanged)"), ml_h);
    gtk_widget_set_visible (self->rate_box, TRUE);
    gtk_label_set_text (self->rate_label, text);
    gtk_label_set_text (self->rate_detail_label, detail);
  }

  if (a->sentence != NULL && *a->sentence != '\0')
    why = g_strdup_printf (_("Why: %s"), a->sentence);
  if (a->limit_text != NULL && *a->limit_text != '\0')
    limit = g_strdup_printf (_("◆ Limit: %s"), a->limit_text);
  set_text (self->reason_label, why);
  set_text (self->limit_label, limit);
  update_review (self);
}

GtkWidget *
tt_advice_card_new (void)
{
  return g_object_new (TT_TYPE_ADVICE_CARD, NULL);
}

void
tt_advice_card_show_advice (TtAdviceCard   *self,
                            const TtAdvice *advice)
{
  g_return_if_fail (TT_IS_ADVICE_CARD (self));

  if (self->has_advice)
    tt_advice_clear (&self->advice);
  self->has_advice = advice != NULL;
  if (advice != NULL)
    tt_advice_copy (advice, &self->advice);
  render (self);
}

/* The 10-fold guard, asked before the case is: a rate it flags needs the clinician's tick on the
 * confirmation shown with the reason; a rate it refuses is not sent. The case checks again. */
static void
save_change_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  TtLimits limits;
  TtDoseCheck check;
  gboolean confirmed;
  double rate;

  if (setup == NULL)
    return;
  gtk_spin_button_update (self->change_spin);
  rate = gtk_spin_button_get_value (self->change_spin);
  confirmed = gtk_widget_get_visible (GTK_WIDGET (self->change_confirm_check)) &&
              gtk_check_button_get_active (self->change_confirm_check);

  tt_limits_init (&limits, setup->line);
  check = tt_dose_check_rate (&limits, tt_case_get_rate (self->kase), rate, &reason, &error);
  if (check == TT_DOSE_CHECK_REFUSED)
    {
      set_text (self->change_error_label, error->message);
      return;
    }
  if (check == TT_DOSE_CHECK_CONFIRM && !confirmed)
    {
      set_text (self->change_error_label, reason);
      gtk_widget_set_visible (GTK_WIDGET (self->change_confirm_check), TRUE);
      return;
    }
  gtk_widget_activate_action (widget, "case.change-advice", "(db)", rate,
                              check == TT_DOSE_CHECK_CONFIRM);
}

static void
update_change_preview (TtAdviceCard *self)
{
  const TtCaseSetup *setup = self->kase != NULL ? tt_case_get_setup (self->kase) : NULL;
  g_autofree char *text = NULL;

  if (setup != NULL)
    text = tt_dose_format_rate_both (gtk_spin_button_get_value (self->change_spin),
                                     setup->weight_kg, setup->concentration);
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
  const TtCaseAdvice *offered = self->kase != NULL ? tt_case_get_advice (self->kase) : NULL;
  double start = offered != NULL && isfinite (offered->rate) ? offered->rate
                 : self->kase != NULL ? tt_case_get_rate (self->kase) : 0;

  close_forms (self);
  gtk_spin_button_set_value (self->change_spin, start);
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

static void
save_decline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtAdviceCard *self = TT_ADVICE_CARD (widget);
  guint selected = gtk_drop_down_get_selected (self->decline_dropdown);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->decline_reasons));
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->decline_entry))));
  const char *reason = NULL;

  /* The last entry of the list is "Other": then the typed text is the reason, and it is required.
   * Typed text always wins: it is what the clinician wrote. */
  if (*typed != '\0')
    reason = typed;
  else if (selected + 1 < n)
    reason = gtk_string_list_get_string (self->decline_reasons, selected);

  if (reason == NULL)
    {
      set_text (self->decline_error_label, _("Type the reason for declining."));
      gtk_widget_grab_focus (GTK_WIDGET (self->decline_entry));
      return;
    }
  gtk_widget_activate_action (widget, "case.decline-advice", "s", reason);
}

/* What the case logged as the answer is what the card confirms: the rate set, or the reason. */
static void
case_log_cb (TtAdviceCard *self,
             gint64        t_ms,
             const char   *kind,
             GVariant     *details)
{
  g_autofree char *clock = NULL;
  g_autofree char *text = NULL;
  const char *answer = NULL;
  double rate;

  if (!g_str_equal (kind, "answer") || !g_variant_lookup (details, "answer", "&s", &answer))
    return;
  clock = case_time (self, t_ms);
  if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_ACCEPTED)))
    text = g_strdup_printf (_("✓ Accepted at %s"), clock);
  else if (g_str_equal (answer, tt_answer_to_string (TT_ANSWER_CHANGED)) &&
           g_variant_lookup (details, "rate_ug_kg_min", "d", &rate))
    {
      g_autofree char *set = tt_dose_format_rate (rate);

      /* Translators: "✓ Changed at 08:21:02: 0.08 µg/kg/min set". */
      text = g_strdup_printf (_("✓ Changed at %s: %s set"), clock, set);
    }
  else
    text = g_strdup_printf (_("✗ Declined at %s"), clock);
  close_forms (self);
  set_text (self->answer_label, text);
  set_text (self->error_label, NULL);
}

static void
case_event_cb (TtAdviceCard      *self,
               const TtCaseEvent *event)
{
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);
  g_autofree char *clock = NULL;
  g_autofree char *bolus = NULL;
  g_autofree char *text = NULL;

  /* A bolus given with an accepted advice is said by the answer already (the case logs the
   * answer and the bolus before it lets go of the advice). */
  if (event->kind != TT_CASE_EVENT_BOLUS || setup == NULL || tt_case_get_advice (self->kase) != NULL)
    return;
  clock = case_time (self, event->t_ms);
  bolus = tt_dose_format_bolus (event->value, setup->concentration);
  /* Translators: "✓ Bolus 10 µg = 0.5 mL given at 08:21:02". */
  text = g_strdup_printf (_("✓ Bolus %s given at %s"), bolus, clock);
  set_text (self->answer_label, text);
}

static void
case_advice_cb (TtAdviceCard *self)
{
  /* A new advice to answer clears the note of the previous answer; an advice withdrawn (the
   * signal turned bad) closes the forms. */
  if (tt_case_get_advice (self->kase) != NULL)
    set_text (self->answer_label, NULL);
  else
    close_forms (self);
  update_actions (self);
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
  tt_advice_card_show_advice (self, NULL);
  close_forms (self);
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
tt_advice_card_finalize (GObject *object)
{
  TtAdviceCard *self = TT_ADVICE_CARD (object);

  if (self->has_advice)
    tt_advice_clear (&self->advice);

  G_OBJECT_CLASS (tt_advice_card_parent_class)->finalize (object);
}

static void
tt_advice_card_class_init (TtAdviceCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_advice_card_get_property;
  object_class->set_property = tt_advice_card_set_property;
  object_class->dispose = tt_advice_card_dispose;
  object_class->finalize = tt_advice_card_finalize;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, TT_TYPE_CASE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-advice-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtAdviceCard, body_stack);
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

  gtk_widget_class_install_action (widget_class, "advice.change", NULL, change_action);
  gtk_widget_class_install_action (widget_class, "advice.decline", NULL, decline_action);
  gtk_widget_class_install_action (widget_class, "advice.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "advice.save-change", NULL, save_change_action);
  gtk_widget_class_install_action (widget_class, "advice.save-decline", NULL,
                                   save_decline_action);
}

static void
tt_advice_card_init (TtAdviceCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::advice",
                                  G_CALLBACK (case_advice_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::now-ms",
                                  G_CALLBACK (update_review), self);
  g_signal_group_connect_swapped (self->case_signals, "log", G_CALLBACK (case_log_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "event-added",
                                  G_CALLBACK (case_event_cb), self);
  render (self);
  update_actions (self);
}
