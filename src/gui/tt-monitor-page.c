/* tt-monitor-page.c: the live monitor. In reading order: the advisory banner, the current MAP with
 * its state, the trend, the advice card, then the 0–15 min metrics, the syringe and the event
 * buttons. It shows what the case and the engine computed; clicks become case events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-dose.h"
#include "tt-format.h"
#include "tt-chart-view.h"
#include "tt-monitor-page.h"

struct _TtMonitorPage
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkRevealer   *alert_revealer;
  GtkWidget     *alert_box;
  GtkLabel      *alert_label;
  GtkLabel      *alert_more_label;
  GtkButton     *alert_button;
  GtkLabel      *map_value_label;
  GtkLabel      *map_state_label;
  GtkLabel      *sys_dia_label;
  GtkLabel      *hr_label;
  GtkLabel      *band_label;
  GtkLabel      *trend_label;
  GtkWidget     *signal_box;
  GtkLabel      *signal_label;
  GtkLabel      *signal_detail_label;
  GtkLabel      *chart_title_label;
  TtChartView   *chart_view;
  TtAdviceCard  *advice_card;
  GtkLabel      *metrics_title_label;
  GtkWidget     *metrics_box;
  GtkLabel      *syringe_label;
  GtkLabel      *syringe_empty_label;
  GtkLabel      *syringe_total_label;
  GtkMenuButton *note_button;
  GtkPopover    *note_popover;
  GtkEntry      *note_entry;
  GtkLabel      *event_status_label;

  /* owned */
  TtSession     *session;
  TtCase        *kase;
  GSignalGroup  *session_signals;
  GSignalGroup  *monitor_signals;
  GSignalGroup  *case_signals;
  GSignalGroup  *alert_signals;
  GSignalGroup  *alerts_signals;

  /* borrowed: the value and note labels of the metrics strip */
  GtkLabel      *metric_labels[TT_N_MONITOR_METRICS];
  GtkLabel      *metric_notes[TT_N_MONITOR_METRICS];

  /* state */
  int            chart_window_min;
  char          *title;
  char          *subtitle;
  char          *case_summary;
  double         lower;
  double         upper;
  double         critical;
  double         map;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CHART_WINDOW_MIN,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_CASE_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtMonitorPage, tt_monitor_page, GTK_TYPE_WIDGET)

static const char *const alert_classes[] = { "alert-low", "alert-medium", "alert-high" };

TtAdviceCard *
tt_monitor_page_get_advice_card (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->advice_card;
}

int
tt_monitor_page_get_chart_window_min (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), 0);

  return self->chart_window_min;
}

void
tt_monitor_page_set_chart_window_min (TtMonitorPage *self,
                                      int            minutes)
{
  g_autofree char *title = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));
  g_return_if_fail (minutes >= 1 && minutes <= 24 * 60);

  if (self->chart_window_min == minutes)
    return;
  self->chart_window_min = minutes;
  /* Translators: the chart's title; the argument is a number of minutes. */
  title = g_strdup_printf (_("MAP, last %d min"), minutes);
  gtk_label_set_text (self->chart_title_label, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART_WINDOW_MIN]);
}

/* Where the MAP lies against the band, shown in colour, text and shape so that colour is never
 * the only cue. The comparison only places a number the engine computed against the band the
 * clinician set; it decides nothing. */
static void
update_map_state (TtMonitorPage *self)
{
  GtkWidget *value = GTK_WIDGET (self->map_value_label);
  GtkWidget *state = GTK_WIDGET (self->map_state_label);
  const char *css = NULL;
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (value, "map-critical");
  gtk_widget_remove_css_class (value, "map-low");
  gtk_widget_remove_css_class (value, "map-in-band");
  gtk_widget_remove_css_class (value, "map-high");
  gtk_widget_remove_css_class (value, "map-invalid");

  if (!isfinite (self->lower) || !isfinite (self->upper))
    text = g_strdup (_("mmHg"));
  else if (!isfinite (self->map))
    {
      css = "map-invalid";
      text = g_strdup (_("mmHg ◆ no valid reading"));
    }
  else if (isfinite (self->critical) && self->map < self->critical)
    {
      g_autofree char *critical = tt_format_number (self->critical, 0);

      css = "map-critical";
      text = g_strdup_printf (_("mmHg ▼ below critical %s"), critical);
    }
  else if (self->map < self->lower)
    {
      css = "map-low";
      text = g_strdup (_("mmHg ▼ below band"));
    }
  else if (self->map > self->upper)
    {
      css = "map-high";
      text = g_strdup (_("mmHg ▲ above band"));
    }
  else
    {
      css = "map-in-band";
      text = g_strdup (_("mmHg ● in band"));
    }

  if (css != NULL)
    gtk_widget_add_css_class (value, css);
  gtk_widget_remove_css_class (state, "map-critical");
  gtk_widget_remove_css_class (state, "map-low");
  gtk_widget_remove_css_class (state, "map-in-band");
  gtk_widget_remove_css_class (state, "map-high");
  gtk_widget_remove_css_class (state, "map-invalid");
  if (css != NULL)
    gtk_widget_add_css_class (state, css);
  gtk_label_set_text (self->map_state_label, text);
}

void
tt_monitor_page_set_pressures (TtMonitorPage *self,
                               double         map,
                               double         sbp,
                               double         dbp,
                               double         hr,
                               double         slope)
{
  g_autofree char *map_text = NULL;
  g_autofree char *sbp_text = NULL;
  g_autofree char *dbp_text = NULL;
  g_autofree char *hr_text = NULL;
  g_autofree char *slope_text = NULL;
  g_autofree char *sys_dia = NULL;
  g_autofree char *hr_line = NULL;
  g_autofree char *trend = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  self->map = map;
  map_text = tt_format_number (round (map), 0);
  sbp_text = tt_format_number (round (sbp), 0);
  dbp_text = tt_format_number (round (dbp), 0);
  hr_text = tt_format_number (round (hr), 0);
  slope_text = tt_format_signed (slope, isfinite (slope) && fabs (slope) < 10 ? 1 : 0);
  sys_dia = g_strdup_printf (_("%s / %s mmHg"), sbp_text, dbp_text);
  hr_line = g_strdup_printf (_("%s /min"), hr_text);
  trend = g_strdup_printf (_("%s mmHg/min"), slope_text);

  gtk_label_set_text (self->map_value_label, map_text);
  gtk_label_set_text (self->sys_dia_label, sys_dia);
  gtk_label_set_text (self->hr_label, hr_line);
  gtk_label_set_text (self->trend_label, trend);
  update_map_state (self);
}

void
tt_monitor_page_set_band (TtMonitorPage *self,
                          double         lower,
                          double         upper,
                          double         critical)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  self->lower = lower;
  self->upper = upper;
  self->critical = critical;
  lo = tt_format_number (lower, 0);
  hi = tt_format_number (upper, 0);
  text = g_strdup_printf (_("%s – %s mmHg"), lo, hi);
  gtk_label_set_text (self->band_label, text);
  update_map_state (self);
}

/* The arterial line's state: @valid with the time since the last sample and the excluded time, or
 * the @problem the signal stage found (a short phrase such as "fast flush"). */
void
tt_monitor_page_set_signal (TtMonitorPage *self,
                            gboolean       valid,
                            const char    *problem,
                            gint64         since_last_ms,
                            gint64         excluded_ms)
{
  g_autofree char *title = NULL;
  g_autofree char *since = NULL;
  g_autofree char *excluded = NULL;
  g_autofree char *detail = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  if (valid)
    title = g_strdup (_("● Arterial line: good signal"));
  else
    title = g_strdup_printf (_("◆ Arterial line: %s — advice on hold"),
                             problem != NULL ? problem : _("no valid signal"));
  since = since_last_ms >= 0 ? tt_dose_format_duration (since_last_ms) : g_strdup (_("never"));
  excluded = tt_dose_format_duration (excluded_ms);
  if (since_last_ms >= 0)
    /* Translators: "last valid sample 1 s ago · 0 s excluded". */
    detail = g_strdup_printf (_("last valid sample %s ago · %s excluded"), since, excluded);
  else
    detail = g_strdup_printf (_("no valid sample yet · %s excluded"), excluded);

  gtk_label_set_text (self->signal_label, title);
  gtk_label_set_text (self->signal_detail_label, detail);
  gtk_widget_remove_css_class (self->signal_box, valid ? "signal-bad" : "signal-good");
  gtk_widget_add_css_class (self->signal_box, valid ? "signal-good" : "signal-bad");
}

/* The banner: one advisory, @priority 0 low, 1 medium, 2 high (TtAlertPriority order); NULL
 * @text hides it. Once acknowledged it stays while the condition lasts, without the button. */
void
tt_monitor_page_set_alert (TtMonitorPage *self,
                           int            priority,
                           const char    *text,
                           gint64         acknowledged_ms,
                           guint          n_more)
{
  static const char *const shapes[] = { "●", "◆", "▲" };
  g_autofree char *line = NULL;
  const char *word;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));
  g_return_if_fail (priority >= 0 && priority <= 2);

  for (guint i = 0; i < G_N_ELEMENTS (alert_classes); i++)
    gtk_widget_remove_css_class (self->alert_box, alert_classes[i]);
  gtk_widget_remove_css_class (self->alert_box, "acknowledged");

  gtk_revealer_set_reveal_child (self->alert_revealer, text != NULL);
  if (text == NULL)
    return;

  word = priority == 2 ? _("HIGH") : priority == 1 ? _("MEDIUM") : _("LOW");
  /* Translators: "▲ HIGH · MAP 53 mmHg is below the critical threshold 60". */
  line = g_strdup_printf (_("%s %s · %s"), shapes[priority], word, text);
  gtk_label_set_text (self->alert_label, line);
  gtk_widget_add_css_class (self->alert_box, alert_classes[priority]);
  if (acknowledged_ms >= 0)
    {
      g_autofree char *clock = tt_format_clock (acknowledged_ms);
      g_autofree char *ack = g_strdup_printf (_("Acknowledged at %s"), clock);

      gtk_widget_add_css_class (self->alert_box, "acknowledged");
      gtk_button_set_label (self->alert_button, ack);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.acknowledge-alert", FALSE);
    }
  else
    {
      gtk_button_set_label (self->alert_button, _("Ac_knowledge"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.acknowledge-alert", TRUE);
    }

  if (n_more > 0)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("+%u more advisory", "+%u more advisories",
                                                         n_more), n_more);
      gtk_label_set_text (self->alert_more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alert_more_label), n_more > 0);
}

/* "0–15 min after induction (6:32 so far)"; a negative @elapsed_ms means induction has not
 * started. */
void
tt_monitor_page_set_metrics_title (TtMonitorPage *self,
                                   gint64         elapsed_ms)
{
  g_autofree char *title = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  if (elapsed_ms < 0)
    title = g_strdup (_("0–15 min after induction (not started)"));
  else
    {
      g_autofree char *clock = tt_format_clock (MIN (elapsed_ms, 15 * 60 * 1000));

      title = g_strdup_printf (elapsed_ms < 15 * 60 * 1000
                                 ? _("0–15 min after induction (%s so far)")
                                 : _("0–15 min after induction (complete, %s)"),
                               clock);
    }
  gtk_label_set_text (self->metrics_title_label, title);
}

void
tt_monitor_page_set_metric (TtMonitorPage  *self,
                            TtMonitorMetric metric,
                            const char     *value,
                            const char     *unit,
                            const char     *note)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));
  g_return_if_fail (metric < TT_N_MONITOR_METRICS);

  /* The figure reads first from across the room; its unit stays with it, smaller. */
  if (value == NULL)
    markup = g_strdup ("–");
  else if (unit == NULL || *unit == '\0')
    markup = g_markup_escape_text (value, -1);
  else
    markup = g_markup_printf_escaped ("%s <span size=\"smaller\" weight=\"normal\">%s</span>",
                                      value, unit);
  gtk_label_set_markup (self->metric_labels[metric], markup);
  gtk_label_set_text (self->metric_notes[metric], note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->metric_notes[metric]),
                          value != NULL && note != NULL && *note != '\0');
}

/* The 0–15 min strip from the engine's metrics of that window; NULL shows dashes. */
void
tt_monitor_page_show_metrics (TtMonitorPage         *self,
                              const TtWindowMetrics *metrics,
                              gint64                 grid_ms)
{
  static const char *const units[TT_N_MONITOR_METRICS] = {
    [TT_MONITOR_METRIC_IN_BAND] = "%",
    [TT_MONITOR_METRIC_BELOW_65] = N_("min"),
    [TT_MONITOR_METRIC_AUT_65] = N_("mmHg·min"),
    [TT_MONITOR_METRIC_TWA_65] = N_("mmHg"),
    [TT_MONITOR_METRIC_ARV] = N_("mmHg/min"),
    [TT_MONITOR_METRIC_LOWEST_1MIN] = N_("mmHg"),
  };
  double values[TT_N_MONITOR_METRICS];
  static const int decimals[TT_N_MONITOR_METRICS] = { 0, 1, 1, 2, 1, 0 };
  g_autofree char *grid_note = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  for (guint i = 0; i < TT_N_MONITOR_METRICS; i++)
    values[i] = NAN;
  if (metrics != NULL)
    {
      g_autofree char *grid = tt_format_number (grid_ms / 1000.0, 1);

      /* Index 0 of below[] is 65 mmHg (tt_metrics_below_mmhg); index 0 of the sustained
       * minima is 1 min. */
      values[TT_MONITOR_METRIC_IN_BAND] = metrics->in_band_pct;
      values[TT_MONITOR_METRIC_BELOW_65] = metrics->below[0].time_min;
      values[TT_MONITOR_METRIC_AUT_65] = metrics->below[0].aut_mmhg_min;
      values[TT_MONITOR_METRIC_TWA_65] = metrics->below[0].twa_mmhg;
      values[TT_MONITOR_METRIC_ARV] = metrics->arv_mmhg_per_min;
      values[TT_MONITOR_METRIC_LOWEST_1MIN] = metrics->lowest_sustained_mmhg[0];
      /* Translators: ARV always comes with the grid it was computed on: "2 s grid". */
      grid_note = g_strdup_printf (_("%s s grid"), grid);
    }
  for (guint i = 0; i < TT_N_MONITOR_METRICS; i++)
    {
      g_autofree char *number = isfinite (values[i]) ? tt_format_number (values[i], decimals[i])
                                                     : NULL;

      tt_monitor_page_set_metric (self, i, number, _(units[i]),
                                  i == TT_MONITOR_METRIC_ARV ? grid_note : NULL);
    }
}

void
tt_monitor_page_set_syringe (TtMonitorPage *self,
                             double         left_ml,
                             double         volume_ml,
                             gint64         time_to_empty_ms,
                             double         rate_ml_h,
                             double         total_ug,
                             double         total_ug_per_kg,
                             guint          n_boluses)
{
  g_autofree char *left = tt_format_number (left_ml, 1);
  g_autofree char *volume = tt_format_number (volume_ml, 1);
  g_autofree char *mlh = tt_format_number (rate_ml_h, 1);
  g_autofree char *total = tt_format_number (round (total_ug), 0);
  g_autofree char *per_kg = tt_format_number (total_ug_per_kg, 2);
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));

  line1 = g_strdup_printf (_("%s mL left of %s mL"), left, volume);
  if (time_to_empty_ms >= 0)
    {
      g_autofree char *empty = tt_dose_format_duration (time_to_empty_ms);

      line2 = g_strdup_printf (_("empty in %s at %s mL/h"), empty, mlh);
    }
  else
    line2 = g_strdup (_("infusion stopped (0 mL/h)"));
  line3 = g_strdup_printf (ngettext ("Total NE %s µg (%s µg/kg) · %u bolus",
                                     "Total NE %s µg (%s µg/kg) · %u boluses", n_boluses),
                           total, per_kg, n_boluses);
  gtk_label_set_text (self->syringe_label, line1);
  gtk_label_set_text (self->syringe_empty_label, line2);
  gtk_label_set_text (self->syringe_total_label, line3);
}

static void
note_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_menu_button_popup (self->note_button);
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (*text == '\0')
    return;
  gtk_widget_activate_action (widget, "case.note", "s", text);
  gtk_popover_popdown (self->note_popover);
}

/* The banner's button acknowledges the advisory the banner shows. */
static void
acknowledge_alert_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (widget);
  g_autoptr(TtAlert) alert = NULL;

  if (self->kase == NULL)
    return;
  alert = g_list_model_get_item (tt_case_get_alerts (self->kase), 0);
  if (alert != NULL)
    gtk_widget_activate_action (widget, "case.acknowledge-alert", "s",
                                tt_alert_kind_to_string (tt_alert_get_kind (alert)));
}

/* Every event the case records is confirmed under the buttons, with its time. */
static void
case_event_cb (TtMonitorPage     *self,
               const TtCaseEvent *event)
{
  g_autofree char *clock = NULL;
  g_autofree char *status = NULL;

  if (event->kind == TT_CASE_EVENT_RATE || event->kind == TT_CASE_EVENT_SYRINGE)
    return;
  clock = tt_format_wall_time (tt_case_get_start_unix_ms (self->kase), event->t_ms, TRUE);
  /* Translators: "Intubation marked at 08:17:03." */
  status = g_strdup_printf (_("%s marked at %s."), tt_case_event_kind_describe (event->kind),
                            clock);
  gtk_label_set_text (self->event_status_label, status);
}

/* Case bindings */

static void
set_string_property (TtMonitorPage  *self,
                     char          **field,
                     char           *value,
                     guint           prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_header (TtMonitorPage *self)
{
  char *title = NULL;
  char *subtitle = NULL;
  char *summary = NULL;

  if (self->kase != NULL)
    {
      TtCaseState state = tt_case_get_state (self->kase);
      gint64 now = tt_case_get_now_ms (self->kase);
      gint64 t0 = tt_case_get_t0_ms (self->kase);
      const TtCaseSetup *setup = tt_case_get_setup (self->kase);
      g_autofree char *started = tt_format_wall_time (tt_case_get_start_unix_ms (self->kase), 0,
                                                      FALSE);

      if (t0 >= 0 && state != TT_CASE_STATE_ENDED)
        {
          g_autofree char *clock = tt_format_clock (now - t0);

          /* Translators: the case clock, "Induction + 06:32". */
          title = g_strdup_printf (_("%s + %s"), C_("case clock", "Induction"), clock);
        }
      else
        title = g_strdup (tt_case_state_describe (state));

      if (tt_case_get_training (self->kase))
        /* Translators: "started 08:14, training with virtual patient". */
        subtitle = g_strdup_printf (_("started %s, training with %s"), started,
                                    tt_case_get_source (self->kase));
      else
        /* Translators: "started 08:14, live from HL7 monitor feed". */
        subtitle = g_strdup_printf (_("started %s, live from %s"), started,
                                    tt_case_get_source (self->kase));

      if (setup != NULL)
        {
          g_autofree char *kg = tt_format_number (setup->weight_kg, 1);
          g_autofree char *conc = tt_format_number (setup->concentration, 1);

          /* Translators: "Case 0427 · 72 kg · NE 20 µg/mL · peripheral line". */
          summary = g_strdup_printf (_("%s · %s kg · NE %s µg/mL · %s"), setup->label, kg, conc,
                                     tt_line_type_describe (setup->line));
        }

      tt_monitor_page_set_metrics_title (self, t0 >= 0 ? now - t0 : -1);
    }

  set_string_property (self, &self->title, title, PROP_TITLE);
  set_string_property (self, &self->subtitle, subtitle, PROP_SUBTITLE);
  set_string_property (self, &self->case_summary, summary, PROP_CASE_SUMMARY);
}

static void
update_setup (TtMonitorPage *self)
{
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);

  if (setup != NULL)
    tt_monitor_page_set_band (self, setup->target_lo, setup->target_hi,
                              tt_case_setup_critical_map (setup));
  update_header (self);
}

static void
update_syringe (TtMonitorPage *self)
{
  const TtCaseSetup *setup = tt_case_get_setup (self->kase);

  if (setup == NULL)
    return;
  tt_monitor_page_set_syringe (self,
                               tt_case_get_syringe_left_ml (self->kase),
                               setup->syringe_ml,
                               tt_case_get_time_to_empty_ms (self->kase),
                               tt_case_get_rate_mlh (self->kase),
                               tt_case_get_total_ug (self->kase),
                               tt_case_get_total_ug_per_kg (self->kase),
                               tt_case_get_bolus_count (self->kase));
}

/* The banner shows the first active alert (the case keeps them highest priority first). */
static void
update_alert (TtMonitorPage *self)
{
  GListModel *alerts = tt_case_get_alerts (self->kase);
  g_autoptr(TtAlert) alert = g_list_model_get_item (alerts, 0);
  guint n = g_list_model_get_n_items (alerts);

  g_signal_group_set_target (self->alert_signals, alert);
  if (alert == NULL)
    {
      tt_monitor_page_set_alert (self, 0, NULL, -1, 0);
      return;
    }
  tt_monitor_page_set_alert (self, (int) tt_alert_get_priority (alert), tt_alert_get_text (alert),
                             tt_alert_get_acknowledged_ms (alert), n - 1);
}

static void
case_clock_cb (TtMonitorPage *self)
{
  update_header (self);
  update_syringe (self);
}

/* The live figures of the latest grid step: the filtered MAP (never a flagged value), the last
 * valid sample's SBP, DBP and HR, the trend, the line's state, the 0–15 min metrics and the
 * advice. */
static void
monitor_step_cb (TtMonitorPage *self)
{
  TtMonitor *monitor = tt_session_get_monitor (self->session);
  const TtSignalState *state = tt_monitor_get_signal (monitor);
  const TtSample *sample = tt_monitor_get_last_sample (monitor);
  const TtAdvice *advice = tt_monitor_get_pending (monitor);
  TtWindowMetrics metrics;
  gboolean valid;
  gint64 now;

  if (state == NULL)
    return;
  valid = state->valid && !state->stale;
  now = state->t_ms + tt_monitor_get_grid_ms (monitor);
  if (valid && sample != NULL && sample->quality == TT_QUALITY_VALID)
    tt_monitor_page_set_pressures (self, state->map, sample->sbp, sample->dbp, sample->hr,
                                   state->slope);
  else
    tt_monitor_page_set_pressures (self, valid ? state->map : NAN, NAN, NAN,
                                   sample != NULL && sample->quality == TT_QUALITY_VALID
                                   ? sample->hr : NAN, valid ? state->slope : NAN);

  if (valid)
    tt_monitor_page_set_signal (self, TRUE, NULL,
                                state->last_valid_ms >= 0 ? now - state->last_valid_ms : -1,
                                tt_monitor_get_excluded_ms (monitor));
  else
    {
      g_autofree char *problem = NULL;

      if (state->stale)
        problem = g_strdup (_("no valid signal for more than 10 s"));
      else
        problem = g_utf8_strdown (tt_quality_describe (state->quality), -1);
      tt_monitor_page_set_signal (self, FALSE, problem,
                                  state->last_valid_ms >= 0 ? now - state->last_valid_ms : -1,
                                  tt_monitor_get_excluded_ms (monitor));
    }

  if (tt_monitor_get_metrics (monitor, TT_WINDOW_FIRST15, &metrics))
    tt_monitor_page_show_metrics (self, &metrics, tt_monitor_get_grid_ms (monitor));
  else
    tt_monitor_page_show_metrics (self, NULL, 0);

  /* The advice waiting for an answer stays as it was issued; otherwise the latest look. */
  tt_advice_card_show_advice (self->advice_card,
                              advice != NULL ? advice : tt_monitor_get_advice (monitor));
}

static void
session_monitor_cb (TtMonitorPage *self)
{
  TtMonitor *monitor = self->session != NULL ? tt_session_get_monitor (self->session) : NULL;

  g_signal_group_set_target (self->monitor_signals, monitor);
  tt_advice_card_show_advice (self->advice_card, NULL);
  if (monitor != NULL)
    monitor_step_cb (self);
}

TtCase *
tt_monitor_page_get_case (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->kase;
}

TtSession *
tt_monitor_page_get_session (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->session;
}

void
tt_monitor_page_set_session (TtMonitorPage *self,
                             TtSession     *session)
{
  TtCase *kase;

  g_return_if_fail (TT_IS_MONITOR_PAGE (self));
  g_return_if_fail (session == NULL || TT_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  kase = session != NULL ? tt_session_get_case (session) : NULL;
  g_set_object (&self->kase, kase);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->case_signals, kase);
  g_signal_group_set_target (self->alerts_signals, kase != NULL ? tt_case_get_alerts (kase) : NULL);
  tt_advice_card_set_case (self->advice_card, kase);
  gtk_label_set_text (self->event_status_label,
                      _("All times are case clock; every action is logged."));
  tt_monitor_page_set_pressures (self, NAN, NAN, NAN, NAN, NAN);
  tt_monitor_page_show_metrics (self, NULL, 0);
  if (kase != NULL)
    {
      update_setup (self);
      update_syringe (self);
      update_alert (self);
    }
  else
    {
      g_signal_group_set_target (self->alert_signals, NULL);
      tt_monitor_page_set_alert (self, 0, NULL, -1, 0);
      update_header (self);
    }
  if (session != NULL)
    tt_chart_view_set_chart (self->chart_view, tt_session_get_chart (session));
  else
    {
      g_autoptr(TtChart) empty = tt_chart_new ();

      tt_chart_view_set_chart (self->chart_view, empty);
    }
  session_monitor_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
tt_monitor_page_get_title (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->title;
}

const char *
tt_monitor_page_get_subtitle (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->subtitle;
}

const char *
tt_monitor_page_get_case_summary (TtMonitorPage *self)
{
  g_return_val_if_fail (TT_IS_MONITOR_PAGE (self), NULL);

  return self->case_summary;
}

static void
note_entry_activate_cb (TtMonitorPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "monitor.add-note", NULL);
}

static void
add_metric (TtMonitorPage   *self,
            TtMonitorMetric  metric,
            const char      *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("–");
  GtkWidget *note = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 24);
  gtk_widget_set_visible (note, FALSE);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (value, "metric-value");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (note, "caption");
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), note);
  gtk_box_append (GTK_BOX (self->metrics_box), box);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, note, NULL, -1);
  self->metric_labels[metric] = GTK_LABEL (value);
  self->metric_notes[metric] = GTK_LABEL (note);
}

static void
tt_monitor_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CHART_WINDOW_MIN:
      g_value_set_int (value, self->chart_window_min);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_CASE_SUMMARY:
      g_value_set_string (value, self->case_summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_monitor_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tt_monitor_page_set_session (self, g_value_get_object (value));
      break;
    case PROP_CHART_WINDOW_MIN:
      tt_monitor_page_set_chart_window_min (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_monitor_page_dispose (GObject *object)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (object);
  GtkWidget *child;

  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->session);
  if (self->alert_signals != NULL)
    g_signal_group_set_target (self->alert_signals, NULL);
  if (self->alerts_signals != NULL)
    g_signal_group_set_target (self->alerts_signals, NULL);
  g_clear_object (&self->alerts_signals);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->alert_signals);
  g_clear_object (&self->kase);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_monitor_page_parent_class)->dispose (object);
}

static void
tt_monitor_page_finalize (GObject *object)
{
  TtMonitorPage *self = TT_MONITOR_PAGE (object);

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->case_summary);

  G_OBJECT_CLASS (tt_monitor_page_parent_class)->finalize (object);
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              const char            *action,
              GVariant              *target)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, GDK_ALT_MASK),
                                            gtk_named_action_new (action));

  if (target != NULL)
    gtk_shortcut_set_arguments (shortcut, target);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
tt_monitor_page_class_init (TtMonitorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (TT_TYPE_ADVICE_CARD);
  g_type_ensure (TT_TYPE_CHART_VIEW);

  object_class->get_property = tt_monitor_page_get_property;
  object_class->set_property = tt_monitor_page_set_property;
  object_class->dispose = tt_monitor_page_dispose;
  object_class->finalize = tt_monitor_page_finalize;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* What the window's header shows: "Induction + 06:32", "started 08:14, live from …" and
   * "Case 0427 · 72 kg · NE 20 µg/mL · peripheral line". */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_SUMMARY] =
    g_param_spec_string ("case-summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CHART_WINDOW_MIN] =
    g_param_spec_int ("chart-window-min", NULL, NULL, 1, 24 * 60, 15,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-monitor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, alert_revealer);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, alert_box);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, alert_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, alert_more_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, alert_button);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, map_value_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, map_state_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, sys_dia_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, hr_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, band_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, trend_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, signal_box);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, signal_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, signal_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, chart_title_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, advice_card);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, metrics_title_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, metrics_box);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, syringe_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, syringe_empty_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, syringe_total_label);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, note_button);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, note_popover);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, TtMonitorPage, event_status_label);
  gtk_widget_class_bind_template_callback (widget_class, note_entry_activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "monitor.note", NULL, note_action);
  gtk_widget_class_install_action (widget_class, "monitor.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "monitor.acknowledge-alert", NULL,
                                   acknowledge_alert_action);
}

static void
tt_monitor_page_init (TtMonitorPage *self)
{
  GtkEventController *shortcuts;
  static const struct { guint key; const char *event; } keys[] = {
    { GDK_KEY_t, "intubation" },
    { GDK_KEY_s, "incision" },
    { GDK_KEY_p, "position" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->chart_window_min = 0;
  self->lower = self->upper = self->critical = self->map = NAN;
  tt_monitor_page_set_chart_window_min (self, 15);

  add_metric (self, TT_MONITOR_METRIC_IN_BAND, _("In band"));
  add_metric (self, TT_MONITOR_METRIC_BELOW_65, _("Below 65"));
  add_metric (self, TT_MONITOR_METRIC_AUT_65, _("AUT < 65"));
  add_metric (self, TT_MONITOR_METRIC_TWA_65, _("TWA < 65"));
  add_metric (self, TT_MONITOR_METRIC_ARV, _("ARV"));
  add_metric (self, TT_MONITOR_METRIC_LOWEST_1MIN, _("Lowest 1 min"));
  tt_monitor_page_set_metrics_title (self, -1);

  /* The event keys work wherever the focus is in the window while the page is shown. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_i, "case.start-induction", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), keys[i].key, "case.event",
                  g_variant_new_string (keys[i].event));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_n, "monitor.note", NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "monitor.acknowledge-alert", FALSE);

  g_object_bind_property (self, "chart-window-min", self->chart_view, "window-minutes",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  self->session_signals = g_signal_group_new (TT_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::monitor",
                                  G_CALLBACK (session_monitor_cb), self);
  self->monitor_signals = g_signal_group_new (TT_TYPE_MONITOR);
  g_signal_group_connect_swapped (self->monitor_signals, "step",
                                  G_CALLBACK (monitor_step_cb), self);

  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "event-added",
                                  G_CALLBACK (case_event_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::setup",
                                  G_CALLBACK (update_setup), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::state",
                                  G_CALLBACK (update_header), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::now-ms",
                                  G_CALLBACK (case_clock_cb), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::rate",
                                  G_CALLBACK (update_syringe), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::bolus-count",
                                  G_CALLBACK (update_syringe), self);
  g_signal_group_connect_swapped (self->case_signals, "notify::syringe-left-ml",
                                  G_CALLBACK (update_syringe), self);
  self->alerts_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->alerts_signals, "items-changed",
                                  G_CALLBACK (update_alert), self);
  self->alert_signals = g_signal_group_new (TT_TYPE_ALERT);
  g_signal_group_connect_swapped (self->alert_signals, "notify",
                                  G_CALLBACK (update_alert), self);
}
