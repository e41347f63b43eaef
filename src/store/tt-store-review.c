/* tt-store-review.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tt-grid.h"
#include "tt-store-review.h"

void
tt_store_review_metrics (const TtStoreCase    *store_case,
                         TtStoreReviewMetrics *out)
{
  const TtStoreSetup *s;
  const GArray *samples;
  g_autoptr(GArray) points = NULL;
  TtMetricsConfig config;

  g_return_if_fail (store_case != NULL && store_case->info != NULL);
  g_return_if_fail (out != NULL);

  s = &store_case->info->setup;
  samples = store_case->recording->samples;
  memset (out, 0, sizeof *out);
  out->grid_ms = TT_GRID_DEFAULT_STEP_MS;
  out->induction_ms = tt_recording_find_event (store_case->recording, "induction");

  tt_metrics_config_init (&config);
  config.grid_ms = out->grid_ms;
  config.band_lo = s->band_low;
  config.band_hi = s->band_high;
  config.baseline = s->baseline_map;
  points = tt_grid_resample ((const TtSample *) (void *) samples->data, samples->len,
                             out->grid_ms);
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    out->have[w] = points->len > 0 &&
                   tt_metrics_compute (&config, (const TtGridPoint *) (void *) points->data,
                                       points->len, out->induction_ms, w, &out->windows[w]);
}

static const char *
event_label (const char *kind)
{
  for (TtCaseEventKind k = 0; k < TT_N_CASE_EVENTS; k++)
    if (g_strcmp0 (kind, tt_case_event_kind_to_string (k)) == 0)
      return tt_case_event_kind_describe (k);
  return kind;
}

gboolean
tt_store_review_fill_chart (const TtStoreCase  *c,
                            TtChart            *chart,
                            GError            **error)
{
  const TtStoreSetup *s;
  const GArray *samples;
  g_autoptr(GArray) points = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  gint64 induction, last = 0;

  g_return_val_if_fail (c != NULL && c->info != NULL, FALSE);
  g_return_val_if_fail (TT_IS_CHART (chart), FALSE);

  s = &c->info->setup;
  samples = c->recording->samples;
  times = g_new (gint64, MAX (samples->len, 1));
  values = g_new (double, MAX (samples->len, 1));
  for (guint i = 0; i < samples->len; i++)
    {
      const TtSample *sample = &g_array_index (samples, TtSample, i);

      times[i] = sample->t_ms;
      /* Flagged samples are shown as excluded segments, not as values. */
      values[i] = sample->quality == TT_QUALITY_VALID ? sample->map : NAN;
      last = MAX (last, sample->t_ms);
    }

  tt_chart_clear (chart);
  if (!tt_chart_set_map (chart, times, values, samples->len, error) ||
      !tt_chart_set_band (chart, s->band_low, s->band_high, error) ||
      !tt_chart_set_thresholds (chart, tt_metrics_below_mmhg[0], s->critical_map, error))
    return FALSE;
  if (isfinite (s->weight_kg) && isfinite (s->concentration_ug_ml) && s->concentration_ug_ml > 0 &&
      !tt_chart_set_rate_ml_h_factor (chart, s->weight_kg * 60 / s->concentration_ug_ml, error))
    return FALSE;
  for (guint i = 0; i < c->rate_changes->len; i++)
    {
      const TtStoreRateChange *change = &g_array_index (c->rate_changes, TtStoreRateChange, i);

      if (!tt_chart_append_rate (chart, change->t_ms, change->rate_ug_kg_min, error))
        return FALSE;
      last = MAX (last, change->t_ms);
    }
  for (guint i = 0; i < c->recording->events->len; i++)
    {
      const TtRecordingEvent *event = &g_array_index (c->recording->events, TtRecordingEvent, i);

      tt_chart_add_event (chart, event->t_ms, event_label (event->kind));
      last = MAX (last, event->t_ms);
    }

  /* Excluded segments: the runs of grid steps the metrics leave out. */
  points = tt_grid_resample ((const TtSample *) (void *) samples->data, samples->len,
                             TT_GRID_DEFAULT_STEP_MS);
  for (guint i = 0; i < points->len;)
    {
      const TtGridPoint *p = &g_array_index (points, TtGridPoint, i);
      guint j = i;

      if (tt_grid_point_is_valid (p))
        {
          i++;
          continue;
        }
      while (j + 1 < points->len && g_array_index (points, TtGridPoint, j + 1).status == p->status)
        j++;
      if (!tt_chart_add_excluded (chart, p->t_ms,
                                  g_array_index (points, TtGridPoint, j).t_ms +
                                  TT_GRID_DEFAULT_STEP_MS,
                                  p->status == TT_GRID_GAP ? _("no signal")
                                                           : tt_quality_describe (p->quality),
                                  error))
        return FALSE;
      i = j + 1;
    }

  induction = tt_recording_find_event (c->recording, "induction");
  tt_chart_set_reference (chart, MAX (induction, 0));
  if (!tt_chart_set_span (chart, MAX (last, 60000), error))
    return FALSE;
  tt_chart_set_follow (chart, TRUE);
  return TRUE;
}

TtCaseSetup *
tt_store_review_case_setup (const TtStoreSetup  *setup,
                            GError             **error)
{
  g_autoptr(TtCaseSetup) out = NULL;

  g_return_val_if_fail (setup != NULL, NULL);

  if (!isfinite (setup->weight_kg) || !isfinite (setup->concentration_ug_ml))
    {
      g_set_error_literal (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID,
                           _("This case has no recorded weight or syringe concentration, so the "
                             "advisor cannot be replayed over it."));
      return NULL;
    }

  out = tt_case_setup_new ();
  g_free (out->label);
  out->label = g_strdup (setup->label != NULL ? setup->label : "");
  out->weight_kg = setup->weight_kg;
  out->concentration = setup->concentration_ug_ml;
  out->line = g_strcmp0 (setup->line_type, "central") == 0 ? TT_LINE_CENTRAL : TT_LINE_PERIPHERAL;
  if (isfinite (setup->baseline_map))
    out->baseline_map = setup->baseline_map;
  if (isfinite (setup->band_low) && isfinite (setup->band_high))
    {
      out->target_lo = setup->band_low;
      out->target_hi = setup->band_high;
    }
  else
    {
      tt_case_setup_default_band (out->baseline_map, &out->target_lo, &out->target_hi);
    }
  if (isfinite (setup->start_rate))
    out->start_rate = setup->start_rate;
  if (isfinite (setup->bolus_dose_ug))
    out->bolus_ug = setup->bolus_dose_ug;
  if (isfinite (setup->syringe_ml))
    out->syringe_ml = setup->syringe_ml;
  if (isfinite (setup->dead_space_ml))
    out->dead_space_ml = setup->dead_space_ml;
  return g_steal_pointer (&out);
}

static TtAdvisorReplay *
replay_advisor (const TtStoreCase  *c,
                GError            **error)
{
  g_autoptr(TtCaseSetup) setup = tt_store_review_case_setup (&c->info->setup, error);
  g_autoptr(TtAdvisorReplay) replay = NULL;
  gint64 induction = tt_recording_find_event (c->recording, "induction");
  const GArray *samples = c->recording->samples;

  if (setup == NULL)
    return NULL;
  replay = tt_advisor_replay_new (setup, error);
  if (replay == NULL)
    {
      g_prefix_error (error, _("The advisor cannot be replayed over this case: "));
      return NULL;
    }
  if (induction >= 0)
    tt_advisor_replay_add_induction (replay, induction);
  for (guint i = 0; i < c->rate_changes->len; i++)
    {
      const TtStoreRateChange *change = &g_array_index (c->rate_changes, TtStoreRateChange, i);

      tt_advisor_replay_add_rate (replay, change->t_ms, change->rate_ug_kg_min);
    }
  for (guint i = 0; i < c->boluses->len; i++)
    {
      const TtStoreBolus *bolus = &g_array_index (c->boluses, TtStoreBolus, i);

      tt_advisor_replay_add_bolus (replay, bolus->t_ms, bolus->dose_ug);
    }
  if (!tt_advisor_replay_run (replay, (const TtSample *) (void *) samples->data, samples->len,
                              error))
    return NULL;
  return g_steal_pointer (&replay);
}

TtStoreReview *
tt_store_review_new (TtStoreCase *store_case)
{
  TtStoreReview *review;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (store_case != NULL && store_case->info != NULL, NULL);

  review = g_new0 (TtStoreReview, 1);
  review->store_case = store_case;
  tt_store_review_metrics (store_case, &review->metrics);
  review->advisor = replay_advisor (store_case, &error);
  if (review->advisor == NULL)
    review->advisor_error = g_strdup (error->message);
  return review;
}

void
tt_store_review_free (TtStoreReview *review)
{
  if (review == NULL)
    return;
  g_clear_pointer (&review->store_case, tt_store_case_free);
  g_clear_pointer (&review->advisor, tt_advisor_replay_free);
  g_free (review->advisor_error);
  g_free (review);
}

/* Worker threads: the store's blocking reads open a connection of their own, so they are safe
 * here. */

static void
metrics_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  gint64 id = *(gint64 *) task_data;
  GError *error = NULL;
  g_autoptr(TtStoreCase) store_case = tt_store_load_session (TT_STORE (source_object), id, &error);
  TtStoreReviewMetrics *metrics;

  if (store_case == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  metrics = g_new0 (TtStoreReviewMetrics, 1);
  tt_store_review_metrics (store_case, metrics);
  g_task_return_pointer (task, metrics, g_free);
}

static void
run_task (TtStore             *store,
          gint64               id,
          GTaskThreadFunc      func,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, func);
}

void
tt_store_review_metrics_async (TtStore             *store,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (store));
  run_task (store, id, metrics_thread, tt_store_review_metrics_async, cancellable, callback,
            user_data);
}

gboolean
tt_store_review_metrics_finish (TtStore               *store,
                                GAsyncResult          *result,
                                TtStoreReviewMetrics  *out,
                                GError               **error)
{
  g_autofree TtStoreReviewMetrics *metrics = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  metrics = g_task_propagate_pointer (G_TASK (result), error);
  if (metrics == NULL)
    return FALSE;
  *out = *metrics;
  return TRUE;
}

static void
review_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  gint64 id = *(gint64 *) task_data;
  GError *error = NULL;
  TtStoreCase *store_case = tt_store_load_session (TT_STORE (source_object), id, &error);

  if (store_case == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, tt_store_review_new (store_case),
                         (GDestroyNotify) tt_store_review_free);
}

void
tt_store_review_load_async (TtStore             *store,
                            gint64               id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (TT_IS_STORE (store));
  run_task (store, id, review_thread, tt_store_review_load_async, cancellable, callback,
            user_data);
}

TtStoreReview *
tt_store_review_load_finish (TtStore       *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
