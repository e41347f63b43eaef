/* tt-debrief-page.c: lays out what the engine computed; it decides nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tt-debrief-page.h"
#include "tt-format.h"

/* The comparison's columns: the trainee and the advisor, 0–15 min then induction to the end. */
#define N_COLUMNS 4

struct _TtDebriefPage
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkStack      *status_stack;
  GtkSpinner    *spinner;
  GtkGrid       *outcome_grid;
  GtkLabel      *method_label;
  GtkLabel      *counts_label;
  GtkLabel      *no_decisions_label;
  GtkListBox    *decision_list;

  /* borrowed: the comparison's value cells, and the ARV row's name (it says the grid) */
  GtkLabel      *cells[TT_N_DEBRIEF_ROWS][N_COLUMNS];
  GtkLabel      *arv_label;

  /* owned */
  TtTraining    *training;
  GSignalGroup  *debrief_signals;
  GPtrArray     *decisions;
};

enum {
  PROP_0,
  PROP_TRAINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtDebriefPage, tt_debrief_page, GTK_TYPE_WIDGET)

static guint
column_of (TtTrainingActor actor,
           TtMetricsWindow window)
{
  return (window == TT_WINDOW_FIRST15 ? 0 : 2) + (actor == TT_TRAINING_ADVISOR ? 1 : 0);
}

static char *
format_value (TtDebriefRow            row,
              const TtDebriefOutcome *o,
              TtMetricsWindow         window)
{
  const TtWindowMetrics *m = &o->metrics[window];

  /* Drug totals are for the whole run: shown once, in the induction-to-end columns. */
  if (row == TT_DEBRIEF_ROW_NE || row == TT_DEBRIEF_ROW_BOLUSES ||
      row == TT_DEBRIEF_ROW_RATE_CHANGES)
    {
      if (window == TT_WINDOW_FIRST15)
        return g_strdup ("");
      if (row == TT_DEBRIEF_ROW_NE)
        return tt_format_with_unit (o->ne_ug_per_kg, 2, _("µg/kg"));
      return g_strdup_printf ("%u", row == TT_DEBRIEF_ROW_BOLUSES ? o->boluses : o->rate_changes);
    }
  if (!o->has[window])
    return g_strdup ("–");
  switch (row)
    {
    case TT_DEBRIEF_ROW_IN_BAND:
      return tt_format_with_unit (m->in_band_pct, 0, "%");
    case TT_DEBRIEF_ROW_BELOW_65:
      return tt_format_with_unit (m->below[0].time_min, 1, _("min"));
    case TT_DEBRIEF_ROW_AUT_65:
      return tt_format_with_unit (m->below[0].aut_mmhg_min, 1, _("mmHg·min"));
    case TT_DEBRIEF_ROW_ARV:
      return tt_format_with_unit (m->arv_mmhg_per_min, 1, _("mmHg/min"));
    case TT_DEBRIEF_ROW_LOWEST_1:
      return tt_format_with_unit (m->lowest_sustained_mmhg[0], 0, _("mmHg"));
    case TT_DEBRIEF_ROW_EXCLUDED:
      return tt_format_with_unit (m->excluded_min, 1, _("min"));
    case TT_DEBRIEF_ROW_NE:
    case TT_DEBRIEF_ROW_BOLUSES:
    case TT_DEBRIEF_ROW_RATE_CHANGES:
    case TT_N_DEBRIEF_ROWS:
    default:
      g_return_val_if_reached (g_strdup ("–"));
    }
}

/* "+2:10" from induction (a minus sign before it). */
static char *
from_induction (gint64 t_ms,
                gint64 t0_ms)
{
  g_autofree char *clock = tt_format_clock (t_ms - (t0_ms >= 0 ? t0_ms : 0));

  return t_ms >= t0_ms ? g_strconcat ("+", clock, NULL) : g_steal_pointer (&clock);
}

static char *
rate_both (const TtCaseSetup *setup,
           double             rate)
{
  return tt_dose_format_rate_both (rate, setup->weight_kg, setup->concentration);
}

static char *
after (gint64 from_ms,
       gint64 to_ms)
{
  g_autofree char *duration = tt_dose_format_duration (to_ms - from_ms);

  /* Translators: how long the trainee took to answer, e.g. "after 20 s". */
  return g_strdup_printf (_("after %s"), duration);
}

/* The advice a decision was taken under, in the trainee's own-action rows. */
static char *
advice_then (const TtDecision *d)
{
  if (d->advice_summary == NULL)
    return g_strdup (_("no advice was pending"));
  /* Translators: an own action while an advice was pending: “Increase to 0.12 µg/kg/min”. */
  return g_strdup_printf (_("the advice then was “%s”"), d->advice_summary);
}

static void
describe_decision (const TtDecision  *d,
                   const TtCaseSetup *setup,
                   gint64             t0_ms,
                   char             **title,
                   char             **subtitle)
{
  g_autofree char *when = from_induction (d->t_ms, t0_ms);

  switch (d->kind)
    {
    case TT_DECISION_ADVICE:
      {
        g_autoptr(GString) what = g_string_new (NULL);
        g_autofree char *advised = NULL;

        /* The advice in figures: the rate in both units, the bolus in µg and mL. */
        if (isfinite (d->advice_rate))
          {
            g_autofree char *rate = tt_dose_format_rate (d->advice_rate);
            g_autofree char *both = rate_both (setup, d->advice_rate);
            g_autofree char *mlh = tt_dose_format_ml_h (tt_dose_ml_h (d->advice_rate,
                                                                      setup->weight_kg,
                                                                      setup->concentration));

            /* The advisor's words name the rate in µg/kg/min; the mL/h is added to them. */
            g_string_append (what, strstr (d->advice_summary, rate) != NULL ? mlh : both);
          }
        if (d->advice_bolus_ug > 0)
          {
            g_autofree char *bolus = tt_dose_format_bolus (d->advice_bolus_ug,
                                                           setup->concentration);

            g_string_append_printf (what, "%s%s", what->len > 0 ? "; " : "", bolus);
          }
        advised = what->len > 0 ? g_strdup_printf ("%s (%s)", d->advice_summary, what->str)
                                : g_strdup (d->advice_summary);
        /* Translators: "+2:10  Advised: Increase to 0.07 µg/kg/min (0.07 µg/kg/min = 15.1 mL/h)". */
        *title = g_strdup_printf (_("%s  Advised: %s"), when, advised);
        switch (d->answer)
          {
          case TT_ANSWER_ACCEPTED:
            {
              g_autofree char *delay = after (d->t_ms, d->end_ms);

              *subtitle = g_strdup_printf (_("✓ Accepted %s"), delay);
            }
            break;
          case TT_ANSWER_CHANGED:
            {
              g_autofree char *delay = after (d->t_ms, d->end_ms);
              g_autofree char *done = rate_both (setup, d->done_rate);

              /* Translators: "✎ Changed: set 0.10 µg/kg/min = 21.0 mL/h after 30 s". */
              *subtitle = g_strdup_printf (_("✎ Changed: set %s %s"), done, delay);
            }
            break;
          case TT_ANSWER_DECLINED:
            {
              g_autofree char *delay = after (d->t_ms, d->end_ms);

              *subtitle = g_strdup_printf (_("✕ Declined %s: %s"), delay,
                                           d->decline_reason ? d->decline_reason : "");
            }
            break;
          case TT_ANSWER_NONE:
          default:
            if (d->end_ms >= 0)
              {
                g_autofree char *delay = after (d->t_ms, d->end_ms);

                *subtitle = g_strdup_printf (_("○ Not answered: withdrawn by the advisor %s"),
                                             delay);
              }
            else
              *subtitle = g_strdup (_("○ Not answered before the end of the case"));
            break;
          }
      }
      break;
    case TT_DECISION_BOLUS:
      {
        g_autofree char *bolus = tt_dose_format_bolus (d->done_bolus_ug, setup->concentration);
        g_autofree char *then = advice_then (d);

        *title = g_strdup_printf (_("%s  Bolus %s given"), when, bolus);
        /* Translators: "◆ Your own decision: no advice was pending". */
        *subtitle = g_strdup_printf (_("◆ Your own decision: %s"), then);
      }
      break;
    case TT_DECISION_RATE:
    default:
      {
        g_autofree char *rate = rate_both (setup, d->done_rate);
        g_autofree char *then = advice_then (d);

        *title = g_strdup_printf (_("%s  Rate set to %s"), when, rate);
        if (d->t_ms == t0_ms && d->advice_summary == NULL)
          *subtitle = g_strdup (_("● The starting rate at induction, as set up"));
        else
          *subtitle = g_strdup_printf (_("◆ Your own decision: %s"), then);
      }
      break;
    }
}

static void
clear_decisions (TtDebriefPage *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->decision_list))) != NULL)
    gtk_list_box_remove (self->decision_list, row);
  g_ptr_array_set_size (self->decisions, 0);
}

static void
show_decisions (TtDebriefPage *self,
                TtDebrief     *debrief)
{
  TtCase *kase = tt_debrief_get_case (debrief);
  const TtCaseSetup *setup = tt_case_get_setup (kase);
  gint64 t0 = tt_case_get_t0_ms (kase);
  GArray *decisions = tt_debrief_get_decisions (debrief);
  g_autofree char *counts = NULL;

  clear_decisions (self);
  for (guint i = 0; i < decisions->len; i++)
    {
      const TtDecision *d = &g_array_index (decisions, TtDecision, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      guint run = 1;

      describe_decision (d, setup, t0, &title, &subtitle);
      /* The advisor may offer the same advice again and again while nobody answers (it withdraws
       * it when the signal turns bad, and offers it anew): one row says so. */
      while (d->kind == TT_DECISION_ADVICE && d->answer == TT_ANSWER_NONE &&
             i + run < decisions->len)
        {
          const TtDecision *next = &g_array_index (decisions, TtDecision, i + run);

          if (next->kind != TT_DECISION_ADVICE || next->answer != TT_ANSWER_NONE ||
              g_strcmp0 (next->advice_summary, d->advice_summary) != 0)
            break;
          run++;
        }
      if (run > 1)
        {
          const TtDecision *last = &g_array_index (decisions, TtDecision, i + run - 1);
          g_autofree char *from = from_induction (d->t_ms, t0);
          g_autofree char *to = from_induction (last->t_ms, t0);

          g_free (subtitle);
          /* Translators: "○ Not answered: offered 5 times from +6:34 to +7:40". */
          subtitle = g_strdup_printf (ngettext ("○ Not answered: offered %u time from %s to %s",
                                                "○ Not answered: offered %u times from %s to %s",
                                                run),
                                      run, from, to);
          i += run - 1;
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->decision_list, row);
      g_ptr_array_add (self->decisions, g_strdup_printf ("%s\n%s", title, subtitle));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->decision_list), decisions->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_decisions_label), decisions->len == 0);

  counts = g_strdup_printf (_("Advice accepted %u · changed %u · declined %u · not answered %u · "
                              "own boluses %u · own rate changes %u"),
                            tt_debrief_count_answers (debrief, TT_ANSWER_ACCEPTED),
                            tt_debrief_count_answers (debrief, TT_ANSWER_CHANGED),
                            tt_debrief_count_answers (debrief, TT_ANSWER_DECLINED),
                            tt_debrief_count_answers (debrief, TT_ANSWER_NONE),
                            tt_debrief_count_own (debrief, TT_DECISION_BOLUS),
                            tt_debrief_count_own (debrief, TT_DECISION_RATE));
  gtk_label_set_text (self->counts_label, counts);
}

static void
update (TtDebriefPage *self)
{
  TtDebrief *debrief = self->training ? tt_training_get_debrief (self->training) : NULL;
  TtCase *kase = debrief ? tt_debrief_get_case (debrief) : NULL;
  gboolean ready = debrief != NULL && tt_debrief_get_complete (debrief);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  gtk_spinner_set_spinning (self->spinner, debrief != NULL && !ready);
  gtk_stack_set_visible_child_name (self->status_stack, ready ? "ready" : "computing");
  if (debrief == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->subtitle_label, "");
      return;
    }

  /* Translators: "Debrief · Elderly, severe fall". */
  title = g_strdup_printf (_("Debrief · %s"), tt_training_get_title (self->training));
  gtk_label_set_text (self->title_label, title);
  {
    gint64 t0 = tt_case_get_t0_ms (kase);
    gint64 end = tt_training_get_end_ms (self->training);
    g_autofree char *length = t0 >= 0 && end >= t0 ? tt_format_clock (end - t0) : g_strdup ("–");
    const TtPatientParams *p = tt_training_run_get_params (tt_training_get_run (self->training));
    g_autofree char *age = tt_format_number (p->age_years, 0);
    g_autofree char *kg = tt_format_number (p->weight_kg, 0);
    g_autofree char *map = tt_format_number (p->baseline_map, 0);

    /* Translators: "Seed 7 · 82 years, 70 kg, baseline MAP 100 mmHg · 18:20 from induction to
     * the end". */
    subtitle = g_strdup_printf (_("Seed %u · %s years, %s kg, baseline MAP %s mmHg · %s from "
                                  "induction to the end"),
                                tt_training_get_seed (self->training), age, kg, map, length);
    gtk_label_set_text (self->subtitle_label, subtitle);
  }
  if (!ready)
    return;

  for (TtTrainingActor a = 0; a < TT_N_TRAINING_ACTORS; a++)
    {
      const TtDebriefOutcome *o = tt_debrief_get_outcome (debrief, a);

      for (guint row = 0; row < TT_N_DEBRIEF_ROWS; row++)
        {
          g_autofree char *first = format_value (row, o, TT_WINDOW_FIRST15);
          g_autofree char *whole = format_value (row, o, TT_WINDOW_INDUCTION);

          gtk_label_set_text (self->cells[row][column_of (a, TT_WINDOW_FIRST15)], first);
          gtk_label_set_text (self->cells[row][column_of (a, TT_WINDOW_INDUCTION)], whole);
        }
    }
  {
    const TtCaseSetup *setup = tt_case_get_setup (kase);
    const TtDebriefOutcome *o = tt_debrief_get_outcome (debrief, TT_TRAINING_TRAINEE);
    TtClinicianConfig advisor;
    g_autofree char *lo = tt_format_number (setup->target_lo, 0);
    g_autofree char *hi = tt_format_number (setup->target_hi, 0);
    g_autofree char *grid = tt_format_number (o->grid_ms / 1000.0, 1);
    g_autofree char *arv = NULL;
    g_autofree char *delay = NULL;
    g_autofree char *method = NULL;

    tt_training_advisor_config (setup, &advisor);
    delay = tt_dose_format_duration (advisor.reaction_delay_ms);
    /* Translators: the ARV row's name with the grid it was computed on, "ARV (2 s grid)". */
    arv = g_strdup_printf (_("ARV (%s s grid)"), grid);
    gtk_label_set_text (self->arv_label, arv);
    /* Translators: how the debrief's figures were made. */
    method = g_strdup_printf (_("Target band %s–%s mmHg. Both columns are measured alike: signal "
                                "quality, then a %s s grid; flagged time is excluded. The "
                                "advisor’s column is the same patient run again, with your start "
                                "of induction and the instructor’s changes at the same times, "
                                "every advice followed %s after it came [est]."),
                              lo, hi, grid, delay);
    gtk_label_set_text (self->method_label, method);
  }
  show_decisions (self, debrief);
}

TtTraining *
tt_debrief_page_get_training (TtDebriefPage *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), NULL);
  return self->training;
}

void
tt_debrief_page_set_training (TtDebriefPage *self,
                              TtTraining    *training)
{
  g_return_if_fail (TT_IS_DEBRIEF_PAGE (self));
  g_return_if_fail (training == NULL || TT_IS_TRAINING (training));

  if (!g_set_object (&self->training, training))
    return;
  g_signal_group_set_target (self->debrief_signals,
                             training ? tt_training_get_debrief (training) : NULL);
  clear_decisions (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINING]);
}

gboolean
tt_debrief_page_get_ready (TtDebriefPage *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), FALSE);
  return self->training != NULL && tt_debrief_get_complete (tt_training_get_debrief (self->training));
}

const char *
tt_debrief_page_get_value (TtDebriefPage   *self,
                           TtDebriefRow     row,
                           TtTrainingActor  actor,
                           TtMetricsWindow  window)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), NULL);
  g_return_val_if_fail (row < TT_N_DEBRIEF_ROWS && actor < TT_N_TRAINING_ACTORS, NULL);
  g_return_val_if_fail (window == TT_WINDOW_FIRST15 || window == TT_WINDOW_INDUCTION, NULL);

  return gtk_label_get_text (self->cells[row][column_of (actor, window)]);
}

guint
tt_debrief_page_get_n_decisions (TtDebriefPage *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), 0);
  return self->decisions->len;
}

const char *
tt_debrief_page_get_decision (TtDebriefPage *self,
                              guint          index)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), NULL);
  g_return_val_if_fail (index < self->decisions->len, NULL);
  return g_ptr_array_index (self->decisions, index);
}

const char *
tt_debrief_page_get_counts (TtDebriefPage *self)
{
  g_return_val_if_fail (TT_IS_DEBRIEF_PAGE (self), NULL);
  return gtk_label_get_text (self->counts_label);
}

static GtkLabel *
add_cell (TtDebriefPage *self,
          const char    *text,
          int            column,
          int            row,
          const char    *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, column > 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (self->outcome_grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
build_grid (TtDebriefPage *self)
{
  const char *rows[TT_N_DEBRIEF_ROWS] = {
    [TT_DEBRIEF_ROW_IN_BAND] = _("Time in the target band"),
    [TT_DEBRIEF_ROW_BELOW_65] = _("Time below 65 mmHg"),
    [TT_DEBRIEF_ROW_AUT_65] = _("Area below 65 mmHg (AUT)"),
    [TT_DEBRIEF_ROW_ARV] = _("ARV"),
    [TT_DEBRIEF_ROW_LOWEST_1] = _("Lowest MAP sustained 1 min"),
    [TT_DEBRIEF_ROW_EXCLUDED] = _("Excluded (artifact, gap)"),
    [TT_DEBRIEF_ROW_NE] = _("Norepinephrine given"),
    [TT_DEBRIEF_ROW_BOLUSES] = _("Boluses"),
    [TT_DEBRIEF_ROW_RATE_CHANGES] = _("Rate changes"),
  };
  const char *headers[N_COLUMNS] = {
    _("You, 0–15 min"),
    _("Advisor, 0–15 min"),
    _("You, induction to end"),
    _("Advisor, induction to end"),
  };

  add_cell (self, "", 0, 0, NULL);
  for (guint c = 0; c < N_COLUMNS; c++)
    add_cell (self, headers[c], 1 + c, 0, "heading");
  for (guint r = 0; r < TT_N_DEBRIEF_ROWS; r++)
    {
      GtkLabel *name = add_cell (self, rows[r], 0, 1 + r, "dim-label");

      if (r == TT_DEBRIEF_ROW_ARV)
        self->arv_label = name;
      for (guint c = 0; c < N_COLUMNS; c++)
        self->cells[r][c] = add_cell (self, "–", 1 + c, 1 + r, "numeric");
    }
}

static void
tt_debrief_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtDebriefPage *self = TT_DEBRIEF_PAGE (object);

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
tt_debrief_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtDebriefPage *self = TT_DEBRIEF_PAGE (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      tt_debrief_page_set_training (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_debrief_page_dispose (GObject *object)
{
  TtDebriefPage *self = TT_DEBRIEF_PAGE (object);
  GtkWidget *child;

  if (self->debrief_signals != NULL)
    g_signal_group_set_target (self->debrief_signals, NULL);
  g_clear_object (&self->debrief_signals);
  g_clear_object (&self->training);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tt_debrief_page_parent_class)->dispose (object);
}

static void
tt_debrief_page_finalize (GObject *object)
{
  TtDebriefPage *self = TT_DEBRIEF_PAGE (object);

  g_clear_pointer (&self->decisions, g_ptr_array_unref);

  G_OBJECT_CLASS (tt_debrief_page_parent_class)->finalize (object);
}

static void
tt_debrief_page_class_init (TtDebriefPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_debrief_page_get_property;
  object_class->set_property = tt_debrief_page_set_property;
  object_class->dispose = tt_debrief_page_dispose;
  object_class->finalize = tt_debrief_page_finalize;

  properties[PROP_TRAINING] =
    g_param_spec_object ("training", NULL, NULL, TT_TYPE_TRAINING,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-debrief-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, outcome_grid);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, method_label);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, no_decisions_label);
  gtk_widget_class_bind_template_child (widget_class, TtDebriefPage, decision_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_debrief_page_init (TtDebriefPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Debrief"), -1);
  self->decisions = g_ptr_array_new_with_free_func (g_free);
  build_grid (self);

  self->debrief_signals = g_signal_group_new (TT_TYPE_DEBRIEF);
  g_signal_group_connect_swapped (self->debrief_signals, "notify::complete", G_CALLBACK (update),
                                  self);
  update (self);
}
