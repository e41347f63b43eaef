/* tt-review-page.c: a logged case reviewed and replayed. Every figure comes from the store and the
 * engine (tt-store-review: metrics, the advisor replayed over the case); the page lays them out
 * and moves the replay feed where the user asks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tt-chart-view.h"
#include "tt-case.h"
#include "tt-dose.h"
#include "tt-format.h"
#include "tt-history-actions.h"
#include "tt-history-item.h"
#include "tt-review-page.h"
#include "tt-summary-page.h"

/* The recorded trace still ahead of the replay: the MAP's blue (Adwaita blue 3), faded, so that
 * it reads as the same line to come on light and dark, and apart from the grey grid. */
static const TtChartColor ahead_color = { 0.208, 0.518, 0.894, 0.45 };

struct _TtReviewPage
{
  GtkWidget       parent_instance;

  /* template widgets */
  GtkStack       *stack;
  AdwStatusPage  *error_page;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  AdwViewStack   *view_stack;
  TtChartView    *overview_chart;
  GtkGrid        *metrics_grid;
  GtkLabel       *metrics_note_label;
  AdwPreferencesGroup *checklist_group;
  AdwPreferencesGroup *advice_group;
  TtChartView    *replay_chart;
  TtReplayBar    *replay_bar;
  GtkLabel       *moment_label;
  GtkLabel       *done_label;
  GtkLabel       *done_detail_label;
  GtkLabel       *advisor_label;
  GtkLabel       *advisor_detail_label;
  GtkLabel       *differs_label;
  GtkLabel       *decisions_label;
  GtkListBox     *decisions_list;

  /* borrowed: the table's value cells, the rows added to the groups */
  GtkLabel       *cells[TT_N_SUMMARY_ROWS][TT_N_WINDOWS];
  GPtrArray      *group_rows;

  /* owned */
  TtStore        *store;
  TtStoreReview  *review;
  TtReplayFeed   *feed;
  GSignalGroup   *feed_signals;
  GCancellable   *loading;
  char           *title;
  char           *advisor_text;
  char           *done_text;
  char           *differs_text;
  /* The MAP shown on the replay chart up to the position: flagged samples as gaps. */
  gint64         *times;
  double         *values;
  guint           n_values;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TtReviewPage, tt_review_page, GTK_TYPE_WIDGET)

/* Formatting */

static gint64
induction_ms (TtReviewPage *self)
{
  return self->review->metrics.induction_ms;
}

/* "08:22 (+10:02)": the local clock time and the time from induction, as the chart labels it. */
static char *
format_time (TtReviewPage *self,
             gint64        t_ms)
{
  gint64 start = self->review->store_case->info->setup.start_unix_ms;
  g_autofree char *wall = tt_format_wall_time (start, t_ms, FALSE);
  g_autofree char *rel = NULL;

  if (induction_ms (self) < 0)
    return g_steal_pointer (&wall);
  rel = tt_format_clock (t_ms - induction_ms (self));
  /* Translators: clock time and time from induction, "08:22 (+10:02)". */
  return g_strdup_printf (_("%s (%s%s)"), wall, t_ms >= induction_ms (self) ? "+" : "", rel);
}

static char *
format_rate (TtReviewPage *self,
             double        rate,
             double        ml_h)
{
  const TtStoreSetup *s = &self->review->store_case->info->setup;
  g_autofree char *ug = tt_dose_format_rate (rate);
  g_autofree char *mlh = NULL;

  if (!isfinite (ml_h))
    ml_h = tt_dose_ml_h (rate, s->weight_kg, s->concentration_ug_ml);
  if (!isfinite (ml_h))
    return g_steal_pointer (&ug);
  mlh = tt_dose_format_ml_h (ml_h);
  return g_strdup_printf (_("%s = %s"), ug, mlh);
}

/* A logged advice in words: "Increase to 0.06 µg/kg/min = 13 mL/h". */
static char *
describe_advice (TtReviewPage        *self,
                 const TtStoreAdvice *a)
{
  g_autofree char *rate = isfinite (a->rate_ug_kg_min)
                          ? format_rate (self, a->rate_ug_kg_min, a->rate_ml_h) : NULL;
  g_autofree char *bolus = isfinite (a->bolus_ug) ? tt_format_number (a->bolus_ug, 1) : NULL;

  if (g_strcmp0 (a->kind, "increase") == 0 && rate != NULL)
    return g_strdup_printf (_("Increase to %s"), rate);
  if (g_strcmp0 (a->kind, "decrease") == 0 && rate != NULL)
    return g_strdup_printf (_("Decrease to %s"), rate);
  if (g_strcmp0 (a->kind, "stop") == 0)
    return g_strdup (_("Stop the infusion"));
  if ((g_strcmp0 (a->kind, "rescue-bolus") == 0 || g_strcmp0 (a->kind, "bolus") == 0) &&
      bolus != NULL)
    {
      if (rate != NULL)
        return g_strdup_printf (_("Rescue bolus %s µg and increase to %s"), bolus, rate);
      return g_strdup_printf (_("Rescue bolus %s µg"), bolus);
    }
  if (g_strcmp0 (a->kind, "hold") == 0)
    return g_strdup (_("Hold the rate"));
  if (g_strcmp0 (a->kind, "no-advice") == 0)
    return g_strdup (_("No advice"));
  return g_strdup (a->kind);
}

static char *
describe_answer (TtReviewPage        *self,
                 const TtStoreAdvice *a)
{
  g_autofree char *when = a->answer_t_ms >= 0 ? format_time (self, a->answer_t_ms) : NULL;
  g_autofree char *rate = NULL;

  switch (a->answer)
    {
    case TT_STORE_ANSWER_ACCEPTED:
      return g_strdup_printf (_("Accepted at %s"), when);
    case TT_STORE_ANSWER_CHANGED:
      rate = format_rate (self, a->actual_rate_ug_kg_min, a->actual_rate_ml_h);
      return g_strdup_printf (_("Changed to %s at %s"), rate, when);
    case TT_STORE_ANSWER_DECLINED:
      return g_strdup_printf (_("Declined at %s: %s"), when,
                              a->decline_reason != NULL ? a->decline_reason : "");
    case TT_STORE_ANSWER_PENDING:
    default:
      return g_strdup (_("Not answered"));
    }
}

/* The table */

static const char *
row_title (TtSummaryRow row)
{
  switch (row)
    {
    case TT_SUMMARY_ROW_SPAN: return _("Window (from induction)");
    case TT_SUMMARY_ROW_VALID: return _("Valid monitored time");
    case TT_SUMMARY_ROW_EXCLUDED: return _("Excluded (artifact, no signal)");
    case TT_SUMMARY_ROW_IN_BAND: return _("Time in target band");
    case TT_SUMMARY_ROW_BELOW_65: return _("Time below 65 mmHg");
    case TT_SUMMARY_ROW_AUT_65: return _("Area under 65 mmHg (AUT)");
    case TT_SUMMARY_ROW_TWA_65: return _("Time-weighted average below 65 mmHg");
    case TT_SUMMARY_ROW_EPISODES_65: return _("Episodes below 65 mmHg ≥ 1 min");
    case TT_SUMMARY_ROW_BELOW_55: return _("Time below 55 mmHg");
    case TT_SUMMARY_ROW_MEAN_SD: return _("Mean MAP ± SD");
    case TT_SUMMARY_ROW_ARV: return _("Average real variability (ARV)");
    case TT_SUMMARY_ROW_LOWEST_1: return _("Lowest MAP sustained 1 min");
    case TT_SUMMARY_ROW_MDAPE: return _("Median absolute performance error");
    case TT_N_SUMMARY_ROWS:
    default: return "";
    }
}

static void
build_table (TtReviewPage *self)
{
  const char *heads[TT_N_WINDOWS] = {
    _("0–15 min after induction"), _("Induction to end"), _("Whole case"),
  };

  for (int w = 0; w < TT_N_WINDOWS; w++)
    {
      GtkWidget *head = gtk_label_new (heads[w]);

      gtk_label_set_xalign (GTK_LABEL (head), 1);
      gtk_label_set_wrap (GTK_LABEL (head), TRUE);
      gtk_widget_add_css_class (head, "heading");
      gtk_grid_attach (self->metrics_grid, head, w + 1, 0, 1, 1);
    }
  for (TtSummaryRow row = 0; row < TT_N_SUMMARY_ROWS; row++)
    {
      GtkWidget *title = gtk_label_new (row_title (row));

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_grid_attach (self->metrics_grid, title, 0, row + 1, 1, 1);
      for (int w = 0; w < TT_N_WINDOWS; w++)
        {
          GtkWidget *cell = gtk_label_new ("–");

          gtk_label_set_xalign (GTK_LABEL (cell), 1);
          gtk_widget_add_css_class (cell, "numeric");
          gtk_grid_attach (self->metrics_grid, cell, w + 1, row + 1, 1, 1);
          self->cells[row][w] = GTK_LABEL (cell);
        }
    }
}

static void
fill_table (TtReviewPage *self)
{
  const TtStoreReviewMetrics *metrics = &self->review->metrics;
  g_autofree char *grid = tt_format_number (metrics->grid_ms / 1000.0, 1);
  g_autofree char *note = NULL;

  for (int w = 0; w < TT_N_WINDOWS; w++)
    {
      const TtWindowMetrics *m = &metrics->windows[w];
      char *text[TT_N_SUMMARY_ROWS] = { NULL };

      if (metrics->have[w])
        tt_summary_page_format_metrics (m, induction_ms (self), text);
      for (TtSummaryRow row = 0; row < TT_N_SUMMARY_ROWS; row++)
        {
          gtk_label_set_text (self->cells[row][w], text[row] != NULL ? text[row] : "–");
          g_free (text[row]);
        }
    }
  note = g_strdup_printf (_("Computed on a %s-s grid (ARV depends on it); artifact and no-signal "
                            "time are left out of every figure. – : the window does not exist "
                            "(no induction mark or no data)."), grid);
  gtk_label_set_text (self->metrics_note_label, note);
}

/* The checklist and the advice log */

static void
clear_groups (TtReviewPage *self)
{
  for (guint i = 0; i < self->group_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->group_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->group_rows, 0);
}

static GtkWidget *
add_row (TtReviewPage        *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->group_rows, row);
  return row;
}

static void
fill_checklist (TtReviewPage *self)
{
  const GArray *items = self->review->store_case->checklist;
  g_autoptr(TtCaseSetup) setup = tt_store_review_case_setup (&self->review->store_case->info->setup,
                                                             NULL);
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "", 0);

  /* The items are named as the case named them, from its setup (a syringe's contents …). */
  if (setup != NULL)
    {
      setup->confirmed = TRUE;
      if (!tt_case_set_setup (kase, setup, 0, NULL))
        g_clear_object (&kase);
    }
  else
    {
      g_clear_object (&kase);
    }

  if (items->len == 0)
    add_row (self, self->checklist_group, _("No checklist was logged for this case."), NULL, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      const TtStoreChecklistItem *item = &g_array_index (items, TtStoreChecklistItem, i);
      g_autofree char *when = format_time (self, item->t_ms);
      g_autofree char *state = NULL;
      TtChecklistId id;
      const char *title = item->item;

      if (kase != NULL && tt_checklist_id_from_string (item->item, &id))
        title = tt_checklist_item_get_title (tt_case_get_checklist_item (kase, id));
      if (item->override_reason != NULL)
        /* Translators: "▲ Overridden at 08:10 (−2:00): bolus syringe not available". */
        state = g_strdup_printf (_("▲ Overridden at %s: %s"), when, item->override_reason);
      else
        state = g_strdup_printf (_("✓ Confirmed at %s"), when);
      add_row (self, self->checklist_group, title, state, NULL);
    }
}

static void
fill_advice (TtReviewPage *self)
{
  const GArray *advice = self->review->store_case->advice;

  if (advice->len == 0)
    add_row (self, self->advice_group, _("No advice was logged for this case."), NULL, NULL);
  for (guint i = 0; i < advice->len; i++)
    {
      const TtStoreAdvice *a = &g_array_index (advice, TtStoreAdvice, i);
      g_autofree char *when = format_time (self, a->t_ms);
      g_autofree char *what = describe_advice (self, a);
      g_autofree char *answer = describe_answer (self, a);
      /* Translators: an advice in the log, "A2 · 08:22 (+10:02) · Increase to 0.06 µg/kg/min". */
      g_autofree char *title = g_strdup_printf (_("A%u · %s · %s"), a->seq, when, what);

      add_row (self, self->advice_group, title, a->reason_text, answer);
    }
}

/* Charts */

static const char *
answer_word (TtStoreAnswer answer)
{
  switch (answer)
    {
    case TT_STORE_ANSWER_ACCEPTED:
      return C_("advice answer", "accepted");
    case TT_STORE_ANSWER_CHANGED:
      return C_("advice answer", "changed");
    case TT_STORE_ANSWER_DECLINED:
      return C_("advice answer", "declined");
    case TT_STORE_ANSWER_PENDING:
    default:
      return C_("advice answer", "unanswered");
    }
}

static GArray *
decisions (TtReviewPage *self)
{
  return self->review->advisor != NULL ? tt_advisor_replay_get_decisions (self->review->advisor)
                                       : NULL;
}

static void
fill_charts (TtReviewPage *self)
{
  TtChart *overview = tt_chart_view_get_chart (self->overview_chart);
  TtChart *replay = tt_chart_view_get_chart (self->replay_chart);
  const TtStoreCase *c = self->review->store_case;
  GArray *list = decisions (self);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!tt_store_review_fill_chart (c, overview, &error))
    {
      g_message ("Review chart: %s", error->message);
      g_clear_error (&error);
    }
  /* The advice and the clinician's answer at the time it was given. */
  for (guint i = 0; i < c->advice->len; i++)
    {
      const TtStoreAdvice *a = &g_array_index (c->advice, TtStoreAdvice, i);
      /* Translators: an advice marked on the trend with its answer, "A2 accepted". */
      g_autofree char *label = g_strdup_printf (_("A%u %s"), a->seq, answer_word (a->answer));

      tt_chart_add_event (overview, a->t_ms, label);
    }

  if (!tt_store_review_fill_chart (c, replay, &error))
    {
      g_message ("Replay chart: %s", error->message);
      g_clear_error (&error);
    }
  /* The whole recording faintly, so that a click can aim anywhere; the replayed MAP over it. */
  tt_chart_add_trace (replay, _("Recorded"), &ahead_color, self->times, self->values,
                      self->n_values, NULL);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const TtReplayDecision *d = &g_array_index (list, TtReplayDecision, i);

      if (d->match != TT_REPLAY_AGREED)
        {
          /* Translators: where what was done differs from the advisor, marked on the trend. */
          g_autofree char *label = g_strdup_printf (_("≠%u"), ++n);

          tt_chart_add_event (replay, d->t_ms, label);
        }
    }
}

/* The replayed MAP up to @position. */
static void
show_replay_until (TtReviewPage *self,
                   gint64        position)
{
  TtChart *replay = tt_chart_view_get_chart (self->replay_chart);
  guint n = 0;

  while (n < self->n_values && self->times[n] <= position)
    n++;
  tt_chart_set_map (replay, self->times, self->values, n, NULL);
}

static void
feed_samples_cb (TtReviewPage   *self,
                 const TtSample *samples,
                 guint           n_samples)
{
  TtChart *replay = tt_chart_view_get_chart (self->replay_chart);

  for (guint i = 0; i < n_samples; i++)
    tt_chart_append_map (replay, samples[i].t_ms,
                         samples[i].quality == TT_QUALITY_VALID ? samples[i].map : NAN, NULL);
}

static void
feed_seeked_cb (TtReviewPage *self,
                gint64        t_ms)
{
  /* The sample at the new position is played next. */
  show_replay_until (self, t_ms - 1);
}

/* What happened at the replay's position */

static const TtStoreAdvice *
recorded_advice_at (TtReviewPage *self,
                    gint64        t_ms)
{
  const GArray *advice = self->review->store_case->advice;
  const TtStoreAdvice *found = NULL;

  for (guint i = 0; i < advice->len; i++)
    {
      const TtStoreAdvice *a = &g_array_index (advice, TtStoreAdvice, i);

      if (a->t_ms <= t_ms)
        found = a;
    }
  return found;
}

static const TtReplayDecision *
decision_at (TtReviewPage *self,
             gint64        t_ms)
{
  GArray *list = decisions (self);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const TtReplayDecision *d = &g_array_index (list, TtReplayDecision, i);
      gint64 until = MAX (d->end_ms, d->done_t_ms) + TT_GRID_DEFAULT_STEP_MS;

      if (d->t_ms <= t_ms && t_ms < until)
        return d;
    }
  return NULL;
}

static void
set_text (char      **field,
          GtkLabel   *label,
          char       *text)
{
  g_free (*field);
  *field = text;
  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
update_moment (TtReviewPage *self)
{
  gint64 position;
  const TtAdvice *advice = NULL;
  const TtSignalState *signal = NULL;
  const TtStoreAdvice *recorded;
  const TtReplayDecision *decision;
  g_autofree char *when = NULL;
  g_autofree char *moment = NULL;
  g_autofree char *map = NULL;
  g_autoptr(GString) done_detail = g_string_new (NULL);
  g_autoptr(GString) advisor_detail = g_string_new (NULL);
  char *done = NULL;
  char *advisor = NULL;
  char *differs = NULL;

  if (self->review == NULL || self->feed == NULL)
    return;
  position = MAX (tt_replay_feed_get_position (self->feed), 0);
  when = format_time (self, position);
  if (self->review->advisor != NULL)
    {
      advice = tt_advisor_replay_advice_at (self->review->advisor, position);
      signal = tt_advisor_replay_signal_at (self->review->advisor, position);
    }
  if (signal != NULL && signal->valid)
    {
      g_autofree char *value = tt_format_number (signal->map, 0);

      map = g_strdup_printf (_("MAP %s mmHg"), value);
    }
  else if (signal != NULL)
    map = g_strdup_printf (_("No valid MAP (%s)"), signal->stale ? _("no signal")
                                                                 : tt_quality_describe (signal->quality));
  /* Translators: "At 08:22 (+10:02) · MAP 74 mmHg". */
  moment = map != NULL ? g_strdup_printf (_("At %s · %s"), when, map)
                       : g_strdup_printf (_("At %s"), when);
  gtk_label_set_text (self->moment_label, moment);

  /* What was done: the infusion the clinician had set, and the logged advice and answer. */
  if (advice != NULL)
    {
      g_autofree char *rate = format_rate (self, advice->current_rate, advice->current_ml_h);

      done = g_strdup_printf (_("Norepinephrine %s"), rate);
    }
  else
    {
      done = g_strdup (_("No infusion yet: the case starts at induction"));
    }
  recorded = recorded_advice_at (self, position);
  if (recorded != NULL)
    {
      g_autofree char *at = format_time (self, recorded->t_ms);
      g_autofree char *what = describe_advice (self, recorded);
      g_autofree char *answer = describe_answer (self, recorded);

      /* Translators: "Titrate advised at 08:22 (+10:02): Increase to … — Accepted at 08:23". */
      g_string_append_printf (done_detail, _("Titrate advised at %s: %s — %s"), at, what, answer);
    }
  set_text (&self->done_text, self->done_label, done);
  gtk_label_set_text (self->done_detail_label, done_detail->str);
  gtk_widget_set_visible (GTK_WIDGET (self->done_detail_label), done_detail->len > 0);

  /* What the advisor would have said then. */
  if (self->review->advisor == NULL)
    {
      advisor = g_strdup (_("The advisor cannot be replayed"));
      g_string_append (advisor_detail, self->review->advisor_error);
    }
  else if (advice == NULL)
    {
      advisor = g_strdup (_("No advice before induction"));
      g_string_append (advisor_detail, _("The advisor runs from the start of induction."));
    }
  else
    {
      advisor = g_strdup (advice->title);
      if (advice->kind != TT_ADVICE_HOLD && advice->kind != TT_ADVICE_NO_ADVICE)
        g_string_append_printf (advisor_detail, "%s\n", advice->rate_text);
      if (advice->bolus_text != NULL)
        g_string_append_printf (advisor_detail, "%s\n", advice->bolus_text);
      g_string_append (advisor_detail, advice->sentence);
      if (advice->limit_text != NULL)
        g_string_append_printf (advisor_detail, "\n%s", advice->limit_text);
    }
  set_text (&self->advisor_text, self->advisor_label, advisor);
  gtk_label_set_text (self->advisor_detail_label, advisor_detail->str);

  /* Where they differ: text, a shape and a colour. */
  decision = decision_at (self, position);
  if (decision != NULL && decision->match != TT_REPLAY_AGREED)
    /* Translators: "▲ Differs: Advised, not done". */
    differs = g_strdup_printf (_("▲ Differs: %s"), tt_replay_match_describe (decision->match));
  else if (decision != NULL)
    differs = g_strdup_printf (_("● %s"), tt_replay_match_describe (decision->match));
  set_text (&self->differs_text, self->differs_label, differs);
  gtk_widget_remove_css_class (GTK_WIDGET (self->differs_label), "differs");
  gtk_widget_remove_css_class (GTK_WIDGET (self->differs_label), "agrees");
  if (decision != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->differs_label),
                              decision->match == TT_REPLAY_AGREED ? "agrees" : "differs");
}

/* The list of decisions */

static void
fill_decisions (TtReviewPage *self)
{
  GArray *list = decisions (self);
  GtkWidget *child;
  g_autofree char *summary = NULL;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->decisions_list))) != NULL)
    gtk_list_box_remove (self->decisions_list, child);

  if (list == NULL)
    {
      gtk_label_set_text (self->decisions_label, self->review->advisor_error);
      gtk_widget_set_visible (GTK_WIDGET (self->decisions_list), FALSE);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const TtReplayDecision *d = &g_array_index (list, TtReplayDecision, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (d->match == TT_REPLAY_AGREED
                                                      ? "emblem-ok-symbolic"
                                                      : "dialog-warning-symbolic");
      g_autofree char *when = format_time (self, d->t_ms);
      g_autofree char *title = NULL;
      g_autofree char *done = NULL;
      g_autofree char *subtitle = NULL;

      if (d->match != TT_REPLAY_AGREED)
        /* Translators: a difference in the list, numbered as on the trend: "≠2 · 08:22 (+10:02) · Advised, not done". */
        title = g_strdup_printf (_("≠%u · %s · %s"), ++n, when,
                                 tt_replay_match_describe (d->match));
      else
        title = g_strdup_printf (_("%s · %s"), when, tt_replay_match_describe (d->match));

      if (d->done_t_ms < 0)
        done = g_strdup (_("nothing"));
      else
        {
          g_autofree char *at = format_time (self, d->done_t_ms);
          g_autofree char *rate = isfinite (d->done_rate) ? format_rate (self, d->done_rate, NAN)
                                                          : NULL;
          g_autofree char *bolus = d->done_bolus_ug > 0 ? tt_format_number (d->done_bolus_ug, 1)
                                                        : NULL;

          if (rate != NULL && bolus != NULL)
            done = g_strdup_printf (_("rate %s and a %s µg bolus at %s"), rate, bolus, at);
          else if (rate != NULL)
            done = g_strdup_printf (_("rate %s at %s"), rate, at);
          else
            done = g_strdup_printf (_("a %s µg bolus at %s"), bolus, at);
        }
      /* Translators: "Advisor: Increase to 0.06 µg/kg/min. Done: nothing". */
      subtitle = g_strdup_printf (_("Advisor: %s. Done: %s"), d->advice_title, done);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (icon, d->match == TT_REPLAY_AGREED ? "success" : "warning");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "review.seek");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                              g_variant_new_int64 (d->t_ms));
      gtk_widget_set_tooltip_text (row, _("Replay from here"));
      gtk_list_box_append (self->decisions_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->decisions_list), list->len > 0);
  if (list->len == 0)
    summary = g_strdup (_("The advisor advised no change, and none was made without advice."));
  else
    /* Translators: "5 decisions: 3 as advised, 2 different". */
    summary = g_strdup_printf (_("%u decisions: %u as advised, %u different"), list->len,
                               tt_advisor_replay_count (self->review->advisor, TT_REPLAY_AGREED),
                               list->len - tt_advisor_replay_count (self->review->advisor,
                                                                    TT_REPLAY_AGREED));
  gtk_label_set_text (self->decisions_label, summary);
}

/* Loading */

static TtRecording *
copy_recording (const TtRecording *source)
{
  TtRecording *copy = tt_recording_new (source->format);

  g_array_append_vals (copy->samples, source->samples->data, source->samples->len);
  for (guint i = 0; i < source->events->len; i++)
    {
      const TtRecordingEvent *e = &g_array_index (source->events, TtRecordingEvent, i);

      tt_recording_add_event (copy, e->t_ms, e->kind, e->text);
    }
  copy->start_unix_ms = source->start_unix_ms;
  return copy;
}

static void
set_title (TtReviewPage *self,
           const char   *title)
{
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
tt_review_page_set_review (TtReviewPage  *self,
                           TtStoreReview *review)
{
  const TtStoreSessionInfo *info;
  const GArray *samples;
  g_autoptr(TtReplayFeed) feed = NULL;
  g_autofree char *date = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *subtitle = NULL;
  gint64 length;

  g_return_if_fail (TT_IS_REVIEW_PAGE (self));
  g_return_if_fail (review != NULL);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->feed != NULL)
    tt_replay_feed_pause (self->feed);
  g_clear_pointer (&self->review, tt_store_review_free);
  self->review = review;
  info = review->store_case->info;

  samples = review->store_case->recording->samples;
  g_free (self->times);
  g_free (self->values);
  self->n_values = samples->len;
  self->times = g_new (gint64, MAX (samples->len, 1));
  self->values = g_new (double, MAX (samples->len, 1));
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *s = &g_array_index (samples, TtSample, i);

      self->times[i] = s->t_ms;
      self->values[i] = s->quality == TT_QUALITY_VALID ? s->map : NAN;
    }

  if (info->setup.label != NULL && *info->setup.label != '\0')
    set_title (self, info->setup.label);
  else
    {
      g_autofree char *title = g_strdup_printf (_("Session %" PRId64), info->id);

      set_title (self, title);
    }
  gtk_label_set_text (self->title_label, self->title);
  date = tt_history_format_date (info->setup.start_unix_ms);
  length = info->end_t_ms >= 0 ? info->end_t_ms : MAX (info->last_t_ms, 0);
  duration = tt_dose_format_duration (length);
  /* Translators: "28/11/26 08:12 · Live · 45 min". */
  subtitle = g_strdup_printf (_("%s · %s · %s"), date, tt_history_mode_describe (info->setup.mode),
                              duration);
  if (info->setup.source != NULL)
    {
      char *with_source = g_strdup_printf (_("%s · %s"), subtitle, info->setup.source);

      g_free (subtitle);
      subtitle = with_source;
    }
  gtk_label_set_text (self->subtitle_label, subtitle);

  fill_table (self);
  clear_groups (self);
  fill_checklist (self);
  fill_advice (self);
  fill_charts (self);
  fill_decisions (self);

  feed = tt_replay_feed_new (copy_recording (review->store_case->recording));
  g_set_object (&self->feed, feed);
  g_signal_group_set_target (self->feed_signals, feed);
  tt_replay_bar_set_feed (self->replay_bar, feed);
  show_replay_until (self, -1);
  update_moment (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TtReviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TtStoreReview *review = tt_store_review_load_finish (TT_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  if (review == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  tt_review_page_set_review (self, review);
}

void
tt_review_page_load (TtReviewPage *self,
                     gint64        id)
{
  g_return_if_fail (TT_IS_REVIEW_PAGE (self));
  g_return_if_fail (self->store != NULL);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->feed != NULL)
    tt_replay_feed_pause (self->feed);
  self->loading = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  adw_view_stack_set_visible_child_name (self->view_stack, "overview");
  tt_store_review_load_async (self->store, id, self->loading, loaded_cb, g_object_ref (self));
}

/* Getters */

TtStore *
tt_review_page_get_store (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->store;
}

void
tt_review_page_set_store (TtReviewPage *self,
                          TtStore      *store)
{
  g_return_if_fail (TT_IS_REVIEW_PAGE (self));
  g_return_if_fail (store == NULL || TT_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

const TtStoreReview *
tt_review_page_get_review (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->review;
}

const char *
tt_review_page_get_state (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
tt_review_page_get_title (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->title;
}

TtReplayFeed *
tt_review_page_get_feed (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->feed;
}

TtReplayBar *
tt_review_page_get_replay_bar (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->replay_bar;
}

const char *
tt_review_page_get_advisor_text (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->advisor_text;
}

const char *
tt_review_page_get_done_text (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->done_text;
}

const char *
tt_review_page_get_differs_text (TtReviewPage *self)
{
  g_return_val_if_fail (TT_IS_REVIEW_PAGE (self), NULL);
  return self->differs_text != NULL ? self->differs_text : "";
}

/* Actions and input */

static void
seek_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TtReviewPage *self = TT_REVIEW_PAGE (widget);

  if (self->feed == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "replay");
  tt_replay_feed_seek (self->feed, g_variant_get_int64 (parameter));
}

static void
show_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TtReviewPage *self = TT_REVIEW_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (parameter, NULL));
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtReviewPage *self = TT_REVIEW_PAGE (widget);

  if (self->review == NULL || self->store == NULL)
    return;
  tt_history_actions_export (widget, self->store, self->review->store_case->info->id, self->title,
                             self->review->store_case->info->setup.start_unix_ms,
                             g_variant_get_string (parameter, NULL));
}

static void
delete_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TtReviewPage *self = TT_REVIEW_PAGE (widget);

  if (self->review == NULL || self->store == NULL)
    return;
  tt_history_actions_delete (widget, self->store, self->review->store_case->info->id, self->title,
                             "win.show-history");
}

/* A click on either trend replays from there. */
static void
chart_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  TtReviewPage    *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  gint64 t_ms;

  if (self->feed == NULL || !tt_chart_view_time_at (TT_CHART_VIEW (view), x, y, &t_ms))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "replay");
  tt_replay_feed_seek (self->feed, t_ms);
}

static void
add_click (TtReviewPage *self,
           TtChartView  *view)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (chart_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (click));
}

/* The replay's keys work anywhere on the replay tab, not only on the bar. */
static gboolean
replay_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  TtReviewPage *self = TT_REVIEW_PAGE (widget);
  const char *action;
  gint64 value;

  if (self->feed == NULL ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "replay") != 0)
    return FALSE;
  g_variant_get (args, "(&sx)", &action, &value);
  if (g_str_equal (action, "replay.step"))
    return gtk_widget_activate_action (GTK_WIDGET (self->replay_bar), action, "x", value);
  return gtk_widget_activate_action (GTK_WIDGET (self->replay_bar), action, NULL);
}

static void
add_replay_key (GtkWidgetClass *widget_class,
                guint           key,
                const char     *action,
                gint64          value)
{
  gtk_widget_class_add_binding (widget_class, key, 0, replay_key_cb, "(sx)", action, value);
}

static void
unmap_cb (TtReviewPage *self)
{
  /* A replay never runs unseen. */
  if (self->feed != NULL)
    tt_replay_feed_pause (self->feed);
}

/* GObject */

static void
tt_review_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtReviewPage *self = TT_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_review_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtReviewPage *self = TT_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tt_review_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_review_page_dispose (GObject *object)
{
  TtReviewPage *self = TT_REVIEW_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->feed_signals != NULL)
    g_signal_group_set_target (self->feed_signals, NULL);
  g_clear_object (&self->feed_signals);
  if (self->feed != NULL)
    tt_feed_stop (TT_FEED (self->feed));
  g_clear_object (&self->feed);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_REVIEW_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->review, tt_store_review_free);
  g_clear_pointer (&self->group_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tt_review_page_parent_class)->dispose (object);
}

static void
tt_review_page_finalize (GObject *object)
{
  TtReviewPage *self = TT_REVIEW_PAGE (object);

  g_free (self->title);
  g_free (self->advisor_text);
  g_free (self->done_text);
  g_free (self->differs_text);
  g_free (self->times);
  g_free (self->values);

  G_OBJECT_CLASS (tt_review_page_parent_class)->finalize (object);
}

static void
tt_review_page_class_init (TtReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_review_page_dispose;
  object_class->finalize = tt_review_page_finalize;
  object_class->get_property = tt_review_page_get_property;
  object_class->set_property = tt_review_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TT_TYPE_CHART_VIEW);
  g_type_ensure (TT_TYPE_REPLAY_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tt-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, overview_chart);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, metrics_grid);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, metrics_note_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, advice_group);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, replay_chart);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, replay_bar);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, moment_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, done_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, done_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, advisor_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, advisor_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, differs_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, decisions_label);
  gtk_widget_class_bind_template_child (widget_class, TtReviewPage, decisions_list);

  gtk_widget_class_install_action (widget_class, "review.seek", "x", seek_cb);
  gtk_widget_class_install_action (widget_class, "review.show", "s", show_cb);
  gtk_widget_class_install_action (widget_class, "review.export", "s", export_cb);
  gtk_widget_class_install_action (widget_class, "review.delete", NULL, delete_cb);

  add_replay_key (widget_class, GDK_KEY_space, "replay.toggle", 0);
  add_replay_key (widget_class, GDK_KEY_Left, "replay.step", -TT_REPLAY_BAR_STEP_MS);
  add_replay_key (widget_class, GDK_KEY_Right, "replay.step", TT_REPLAY_BAR_STEP_MS);
  add_replay_key (widget_class, GDK_KEY_Page_Up, "replay.step", -TT_REPLAY_BAR_PAGE_MS);
  add_replay_key (widget_class, GDK_KEY_Page_Down, "replay.step", TT_REPLAY_BAR_PAGE_MS);
  add_replay_key (widget_class, GDK_KEY_plus, "replay.faster", 0);
  add_replay_key (widget_class, GDK_KEY_KP_Add, "replay.faster", 0);
  add_replay_key (widget_class, GDK_KEY_equal, "replay.faster", 0);
  add_replay_key (widget_class, GDK_KEY_minus, "replay.slower", 0);
  add_replay_key (widget_class, GDK_KEY_KP_Subtract, "replay.slower", 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "review.show", "s",
                                       "overview");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "review.show", "s",
                                       "replay");

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tt_review_page_init (TtReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->group_rows = g_ptr_array_new ();
  build_table (self);
  tt_chart_view_set_show_window_selector (self->overview_chart, FALSE);
  tt_chart_view_set_show_window_selector (self->replay_chart, FALSE);
  add_click (self, self->overview_chart);
  add_click (self, self->replay_chart);

  self->feed_signals = g_signal_group_new (TT_TYPE_REPLAY_FEED);
  g_signal_group_connect_swapped (self->feed_signals, "samples", G_CALLBACK (feed_samples_cb),
                                  self);
  g_signal_group_connect_swapped (self->feed_signals, "seeked", G_CALLBACK (feed_seeked_cb), self);
  g_signal_group_connect_swapped (self->feed_signals, "notify::position",
                                  G_CALLBACK (update_moment), self);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
}
