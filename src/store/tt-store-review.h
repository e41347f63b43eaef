/* tt-store-review.h: what the history and the review of a logged case need from it, computed by
 * the engine: the metrics per window (on the default 2-s grid, as the PDF report prints them) and
 * what the advisor would have said at each moment given what was done (tt-advisor-replay.h).
 * Loading and computing run on a worker thread: the main thread never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tt-advisor-replay.h"
#include "tt-case.h"
#include "tt-chart.h"
#include "tt-metrics.h"
#include "tt-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64          grid_ms;
  gint64          induction_ms;          /* -1: no induction mark */
  gboolean        have[TT_N_WINDOWS];    /* FALSE: the window does not exist (no data, no mark) */
  TtWindowMetrics windows[TT_N_WINDOWS];
} TtStoreReviewMetrics;

typedef struct {
  TtStoreCase          *store_case;
  TtStoreReviewMetrics  metrics;
  TtAdvisorReplay      *advisor;         /* NULL when it cannot run: advisor_error says why */
  char                 *advisor_error;
} TtStoreReview;

/* The metrics of @store_case per window: band and baseline from its setup. */
void           tt_store_review_metrics             (const TtStoreCase     *store_case,
                                                    TtStoreReviewMetrics  *out);
/* Loads session @id and computes its metrics on a worker thread (the history list). */
void           tt_store_review_metrics_async       (TtStore               *store,
                                                    gint64                 id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean       tt_store_review_metrics_finish      (TtStore               *store,
                                                    GAsyncResult          *result,
                                                    TtStoreReviewMetrics  *out,
                                                    GError               **error);

/* Puts the whole case on @chart: MAP (flagged samples as gaps), the band, the 65 mmHg and
 * critical thresholds, the NE rate as it was set, the events (named in the user's language),
 * excluded segments (the grid's artifact and no-signal runs) and induction as time zero; the
 * window spans the whole case. */
gboolean       tt_store_review_fill_chart          (const TtStoreCase     *store_case,
                                                    TtChart               *chart,
                                                    GError               **error);

/* The engine's setup for a logged one. Dead space and syringe volume are logged since schema
 * version 3: for older sessions the setup form's defaults stand in for them; a missing baseline,
 * band, start rate or bolus likewise. A
 * case without its weight or syringe concentration (a replayed recording) cannot be advised on:
 * NULL and an error saying so. */
TtCaseSetup   *tt_store_review_case_setup          (const TtStoreSetup    *setup,
                                                    GError               **error);

/* Takes @store_case; computes the metrics and runs the advisor over it (blocking). */
TtStoreReview *tt_store_review_new                 (TtStoreCase           *store_case);
void           tt_store_review_free                (TtStoreReview         *review);
/* Loads session @id and does the same on a worker thread. */
void           tt_store_review_load_async          (TtStore               *store,
                                                    gint64                 id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
TtStoreReview *tt_store_review_load_finish         (TtStore               *store,
                                                    GAsyncResult          *result,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtStoreReview, tt_store_review_free)

G_END_DECLS
