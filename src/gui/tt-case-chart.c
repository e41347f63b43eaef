/* tt-case-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-case-chart.h"
#include "tt-dose.h"

struct _TtCaseChart
{
  GObject       parent_instance;

  /* owned */
  TtChart      *chart;
  TtMonitor    *monitor;
  GSignalGroup *monitor_signals;
  GSignalGroup *case_signals;

  /* the excluded run being built: its start, or -1 */
  gint64        excluded_start;
  gint64        excluded_end;
  TtQuality     excluded_quality;
};

enum {
  PROP_0,
  PROP_CHART,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtCaseChart, tt_case_chart, G_TYPE_OBJECT)

TtCaseChart *
tt_case_chart_new (void)
{
  return g_object_new (TT_TYPE_CASE_CHART, NULL);
}

TtChart *
tt_case_chart_get_chart (TtCaseChart *self)
{
  g_return_val_if_fail (TT_IS_CASE_CHART (self), NULL);

  return self->chart;
}

TtMonitor *
tt_case_chart_get_monitor (TtCaseChart *self)
{
  g_return_val_if_fail (TT_IS_CASE_CHART (self), NULL);

  return self->monitor;
}

/* Flagged samples are gaps in the line; the excluded segments say why. */
static void
sample_cb (TtCaseChart    *self,
           const TtSample *sample)
{
  double map = sample->quality == TT_QUALITY_VALID ? sample->map : NAN;

  /* A sample the chart cannot take (out of order) is left out of the drawing only; the engine
   * has it. */
  tt_chart_append_map (self->chart, sample->t_ms, map, NULL);
}

static void
close_excluded (TtCaseChart *self)
{
  g_autofree char *label = NULL;

  if (self->excluded_start < 0)
    return;
  /* A gap (no sample for longer than the grid bridges) is kept as TT_N_QUALITIES. */
  if (self->excluded_quality == TT_N_QUALITIES)
    label = g_strdup (_("No signal, excluded"));
  else
    /* Translators: the label of an excluded segment on the chart, e.g. "Line flush, excluded". */
    label = g_strdup_printf (_("%s, excluded"), tt_quality_describe (self->excluded_quality));
  tt_chart_add_excluded (self->chart, self->excluded_start, self->excluded_end, label, NULL);
  self->excluded_start = -1;
}

static void
point_cb (TtCaseChart       *self,
          const TtGridPoint *point)
{
  gint64 step = tt_monitor_get_grid_ms (self->monitor);

  if (tt_grid_point_is_valid (point))
    {
      close_excluded (self);
      return;
    }
  /* A gap gets its own label; a run of one artifact kind stays one segment. */
  if (self->excluded_start >= 0 &&
      (point->t_ms != self->excluded_end ||
       (point->status == TT_GRID_GAP) != (self->excluded_quality == TT_N_QUALITIES) ||
       (point->status != TT_GRID_GAP && point->quality != self->excluded_quality)))
    close_excluded (self);
  if (self->excluded_start < 0)
    {
      self->excluded_start = point->t_ms;
      self->excluded_quality = point->status == TT_GRID_GAP ? TT_N_QUALITIES : point->quality;
    }
  self->excluded_end = point->t_ms + step;
}

static void
setup_cb (TtCaseChart *self)
{
  TtCase *kase = tt_monitor_get_case (self->monitor);
  const TtCaseSetup *setup = tt_case_get_setup (kase);

  if (setup == NULL)
    return;
  tt_chart_set_band (self->chart, setup->target_lo, setup->target_hi, NULL);
  /* The hypotension threshold of the metrics (CLINICAL.md §3) and the case's critical one. */
  tt_chart_set_thresholds (self->chart, 65, tt_case_setup_critical_map (setup), NULL);
  tt_chart_set_rate_ml_h_factor (self->chart, tt_dose_ml_h (1, setup->weight_kg,
                                                            setup->concentration), NULL);
}

static void
event_cb (TtCaseChart       *self,
          const TtCaseEvent *event)
{
  g_autofree char *label = NULL;

  switch (event->kind)
    {
    case TT_CASE_EVENT_RATE:
      tt_chart_append_rate (self->chart, event->t_ms, event->value, NULL);
      return;
    case TT_CASE_EVENT_SYRINGE:
      return;
    case TT_CASE_EVENT_INDUCTION:
      tt_chart_set_reference (self->chart, event->t_ms);
      label = g_strdup (tt_case_event_kind_describe (event->kind));
      break;
    case TT_CASE_EVENT_BOLUS:
      {
        g_autofree char *ug = tt_dose_format_number (event->value, 0, 1);

        /* Translators: an event on the chart: "Bolus 10 µg". */
        label = g_strdup_printf (_("Bolus %s µg"), ug);
        break;
      }
    case TT_CASE_EVENT_NOTE:
      label = g_strdup (event->text != NULL ? event->text : tt_case_event_kind_describe (event->kind));
      break;
    case TT_CASE_EVENT_INTUBATION:
    case TT_CASE_EVENT_INCISION:
    case TT_CASE_EVENT_POSITION:
    case TT_CASE_EVENT_END:
    case TT_N_CASE_EVENTS:
    default:
      label = g_strdup (tt_case_event_kind_describe (event->kind));
      break;
    }
  tt_chart_add_event (self->chart, event->t_ms, label);
}

void
tt_case_chart_set_monitor (TtCaseChart *self,
                           TtMonitor   *monitor)
{
  TtCase *kase;

  g_return_if_fail (TT_IS_CASE_CHART (self));
  g_return_if_fail (monitor == NULL || TT_IS_MONITOR (monitor));

  if (!g_set_object (&self->monitor, monitor))
    return;
  tt_chart_clear (self->chart);
  self->excluded_start = -1;
  kase = monitor != NULL ? tt_monitor_get_case (monitor) : NULL;
  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_group_set_target (self->case_signals, kase);
  tt_chart_set_reference (self->chart, 0);
  if (kase != NULL)
    {
      GArray *events = tt_case_get_events (kase);
      GArray *rates = tt_case_get_rate_changes (kase);

      setup_cb (self);
      for (guint i = 0; i < rates->len; i++)
        {
          const TtRateChange *change = &g_array_index (rates, TtRateChange, i);

          tt_chart_append_rate (self->chart, change->t_ms, change->rate, NULL);
        }
      for (guint i = 0; i < events->len; i++)
        {
          const TtCaseEvent *event = &g_array_index (events, TtCaseEvent, i);

          if (event->kind != TT_CASE_EVENT_RATE)
            event_cb (self, event);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
tt_case_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtCaseChart *self = TT_CASE_CHART (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, self->chart);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_case_chart_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtCaseChart *self = TT_CASE_CHART (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      tt_case_chart_set_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_case_chart_dispose (GObject *object)
{
  TtCaseChart *self = TT_CASE_CHART (object);

  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  if (self->case_signals != NULL)
    g_signal_group_set_target (self->case_signals, NULL);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->case_signals);
  g_clear_object (&self->monitor);
  g_clear_object (&self->chart);

  G_OBJECT_CLASS (tt_case_chart_parent_class)->dispose (object);
}

static void
tt_case_chart_class_init (TtCaseChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_case_chart_get_property;
  object_class->set_property = tt_case_chart_set_property;
  object_class->dispose = tt_case_chart_dispose;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL, TT_TYPE_CHART,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, TT_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_case_chart_init (TtCaseChart *self)
{
  self->chart = tt_chart_new ();
  self->excluded_start = -1;

  self->monitor_signals = g_signal_group_new (TT_TYPE_MONITOR);
  g_signal_group_connect_swapped (self->monitor_signals, "sample", G_CALLBACK (sample_cb), self);
  g_signal_group_connect_swapped (self->monitor_signals, "point", G_CALLBACK (point_cb), self);
  self->case_signals = g_signal_group_new (TT_TYPE_CASE);
  g_signal_group_connect_swapped (self->case_signals, "notify::setup", G_CALLBACK (setup_cb),
                                  self);
  g_signal_group_connect_swapped (self->case_signals, "event-added", G_CALLBACK (event_cb), self);
}
