/* tt-test-case.h: a logged case with one of everything, written through the store and checked
 * field by field when read back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "config.h"

#include "tt-store.h"
#include "tt-test-store.h"

/* A case with one of everything: 600 samples at 1 Hz (some flagged, some without SBP), the
 * checklist with one override, three advice answered three ways, rate changes, a bolus, an alert. */
static inline TtStoreSession *
write_case (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  TtStoreSession *session;
  TtStoreAdvice advice = { 0 };
  TtStoreSetup setup;
  guint a1, a2, a3, alert;

  tt_test_setup (&setup);
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);

  tt_store_add_checklist (session, -120000, "pump-primed", NULL);
  tt_store_add_checklist (session, -90000, "rescue-bolus-drawn", "bolus syringe not available");
  tt_store_add_event (session, 0, "induction", NULL);
  for (int i = 0; i < 600; i++)
    {
      TtSample sample = tt_sample_init (i * 1000, 60 + (i % 40));

      if (i % 3 == 0)
        {
          sample.sbp = sample.map + 40;
          sample.dbp = sample.map - 15;
          sample.hr = 70;
        }
      if (i >= 100 && i < 110)
        sample.quality = TT_QUALITY_FLUSH;
      tt_store_add_samples (session, &sample, 1);
    }
  tt_store_add_event (session, 180000, "intubation", "grade 1");

  advice.t_ms = 60000;
  advice.kind = (char *) "increase";
  advice.reason_code = (char *) "below-band";
  advice.reason_text = (char *) "MAP 64 mmHg is below the band 72–92 mmHg.";
  advice.rate_ug_kg_min = 0.07;
  advice.rate_ml_h = 14.7;
  advice.bolus_ug = NAN;
  advice.limits = NULL;
  a1 = tt_store_add_advice (session, &advice);
  tt_store_answer_advice (session, a1, TT_STORE_ANSWER_ACCEPTED, 65000, NAN, NAN, NULL);
  tt_store_add_rate_change (session, 65000, 0.07, 14.7, a1);

  advice.t_ms = 120000;
  advice.rate_ug_kg_min = 0.12;
  advice.rate_ml_h = 25.2;
  advice.limits = (char *) "step limit 0.05 µg/kg/min";
  a2 = tt_store_add_advice (session, &advice);
  tt_store_answer_advice (session, a2, TT_STORE_ANSWER_CHANGED, 125000, 0.1, 21.0, NULL);
  tt_store_add_rate_change (session, 125000, 0.1, 21.0, a2);

  advice.t_ms = 240000;
  advice.kind = (char *) "bolus";
  advice.reason_code = (char *) "critical";
  advice.rate_ug_kg_min = NAN;
  advice.rate_ml_h = NAN;
  advice.bolus_ug = 10;
  advice.limits = NULL;
  a3 = tt_store_add_advice (session, &advice);
  tt_store_answer_advice (session, a3, TT_STORE_ANSWER_DECLINED, 242000, NAN, NAN,
                          "surgical stimulus imminent");
  tt_store_add_bolus (session, 250000, 5, 0);

  alert = tt_store_add_alert (session, 240000, "high", "critical-map", "MAP 55 mmHg");
  tt_store_ack_alert (session, alert, 243000);
  tt_store_clear_alert (session, alert, 250000);
  tt_store_add_alert (session, 400000, "low", "syringe", "Syringe empty within 15 min");

  g_assert_cmpuint (a1, ==, 1);
  g_assert_cmpuint (a3, ==, 3);
  return session;
}

static inline void
check_case (const TtStoreCase *c)
{
  const TtStoreSetup *s = &c->info->setup;
  const TtStoreAdvice *advice;
  const TtSample *sample;
  const TtStoreAlert *alert;

  g_assert_cmpstr (s->label, ==, "OR 3 / case 1");
  g_assert_cmpint (s->mode, ==, TT_STORE_MODE_TRAINING);
  g_assert_cmpint (s->start_unix_ms, ==, G_GINT64_CONSTANT (1735732800000));
  g_assert_cmpfloat (s->weight_kg, ==, 70);
  g_assert_cmpfloat (s->baseline_map, ==, 90);
  g_assert_cmpfloat (s->band_low, ==, 72);
  g_assert_cmpfloat (s->band_high, ==, 92);
  g_assert_cmpfloat (s->critical_map, ==, 62);
  g_assert_cmpfloat (s->concentration_ug_ml, ==, 20);
  g_assert_cmpstr (s->line_type, ==, "central");
  g_assert_cmpfloat (s->start_rate, ==, 0.05);
  g_assert_cmpfloat (s->bolus_dose_ug, ==, 10);
  g_assert_cmpfloat (s->rate_soft_max, ==, 0.3);
  g_assert_cmpfloat (s->rate_hard_max, ==, 1.0);
  g_assert_cmpfloat (s->bolus_soft_max_ug, ==, 20);
  g_assert_cmpfloat (s->bolus_hard_max_ug, ==, 50);
  g_assert_cmpfloat (s->syringe_ml, ==, 50);
  g_assert_cmpfloat (s->dead_space_ml, ==, 0.6);
  g_assert_cmpstr (s->app_version, ==, PACKAGE_VERSION);
  g_assert_null (s->source);
  g_assert_cmpint (c->info->last_t_ms, ==, 599000);

  g_assert_cmpstr (c->recording->format, ==, "session");
  g_assert_cmpint (c->recording->start_unix_ms, ==, G_GINT64_CONSTANT (1735732800000));
  g_assert_cmpuint (c->recording->samples->len, ==, 600);
  for (guint i = 0; i < 600; i++)
    {
      sample = &g_array_index (c->recording->samples, TtSample, i);
      g_assert_cmpint (sample->t_ms, ==, i * 1000);
      g_assert_cmpfloat (sample->map, ==, 60 + (i % 40));
      if (i % 3 == 0)
        {
          g_assert_cmpfloat (sample->sbp, ==, sample->map + 40);
          g_assert_cmpfloat (sample->dbp, ==, sample->map - 15);
          g_assert_cmpfloat (sample->hr, ==, 70);
        }
      else
        g_assert_true (isnan (sample->sbp) && isnan (sample->dbp) && isnan (sample->hr));
      g_assert_cmpint (sample->quality, ==,
                       i >= 100 && i < 110 ? TT_QUALITY_FLUSH : TT_QUALITY_VALID);
    }

  g_assert_cmpuint (c->recording->events->len, ==, 2);
  g_assert_cmpstr (g_array_index (c->recording->events, TtRecordingEvent, 0).kind, ==,
                   "induction");
  g_assert_cmpint (tt_recording_find_event (c->recording, "intubation"), ==, 180000);
  g_assert_cmpstr (g_array_index (c->recording->events, TtRecordingEvent, 1).text, ==, "grade 1");

  g_assert_cmpuint (c->checklist->len, ==, 2);
  g_assert_cmpint (g_array_index (c->checklist, TtStoreChecklistItem, 0).t_ms, ==, -120000);
  g_assert_null (g_array_index (c->checklist, TtStoreChecklistItem, 0).override_reason);
  g_assert_cmpstr (g_array_index (c->checklist, TtStoreChecklistItem, 1).item, ==,
                   "rescue-bolus-drawn");
  g_assert_cmpstr (g_array_index (c->checklist, TtStoreChecklistItem, 1).override_reason, ==,
                   "bolus syringe not available");

  g_assert_cmpuint (c->advice->len, ==, 3);
  advice = tt_store_case_find_advice (c, 1);
  g_assert_cmpstr (advice->kind, ==, "increase");
  g_assert_cmpstr (advice->reason_text, ==, "MAP 64 mmHg is below the band 72–92 mmHg.");
  g_assert_cmpfloat (advice->rate_ug_kg_min, ==, 0.07);
  g_assert_cmpfloat (advice->rate_ml_h, ==, 14.7);
  g_assert_true (isnan (advice->bolus_ug));
  g_assert_null (advice->limits);
  g_assert_cmpint (advice->answer, ==, TT_STORE_ANSWER_ACCEPTED);
  g_assert_cmpint (advice->answer_t_ms, ==, 65000);
  advice = tt_store_case_find_advice (c, 2);
  g_assert_cmpint (advice->answer, ==, TT_STORE_ANSWER_CHANGED);
  g_assert_cmpfloat (advice->actual_rate_ug_kg_min, ==, 0.1);
  g_assert_cmpfloat (advice->actual_rate_ml_h, ==, 21.0);
  g_assert_cmpstr (advice->limits, ==, "step limit 0.05 µg/kg/min");
  advice = tt_store_case_find_advice (c, 3);
  g_assert_cmpint (advice->answer, ==, TT_STORE_ANSWER_DECLINED);
  g_assert_cmpstr (advice->decline_reason, ==, "surgical stimulus imminent");
  g_assert_cmpfloat (advice->bolus_ug, ==, 10);
  g_assert_null (tt_store_case_find_advice (c, 4));

  g_assert_cmpuint (c->rate_changes->len, ==, 2);
  g_assert_cmpfloat (g_array_index (c->rate_changes, TtStoreRateChange, 1).rate_ml_h, ==, 21.0);
  g_assert_cmpuint (g_array_index (c->rate_changes, TtStoreRateChange, 1).advice_seq, ==, 2);
  g_assert_cmpuint (c->boluses->len, ==, 1);
  g_assert_cmpfloat (g_array_index (c->boluses, TtStoreBolus, 0).dose_ug, ==, 5);
  g_assert_cmpuint (g_array_index (c->boluses, TtStoreBolus, 0).advice_seq, ==, 0);

  g_assert_cmpuint (c->alerts->len, ==, 2);
  alert = &g_array_index (c->alerts, TtStoreAlert, 0);
  g_assert_cmpstr (alert->priority, ==, "high");
  g_assert_cmpstr (alert->text, ==, "MAP 55 mmHg");
  g_assert_cmpint (alert->ack_t_ms, ==, 243000);
  g_assert_cmpint (alert->cleared_t_ms, ==, 250000);
  g_assert_cmpint (g_array_index (c->alerts, TtStoreAlert, 1).ack_t_ms, ==, -1);
  g_assert_cmpint (g_array_index (c->alerts, TtStoreAlert, 1).cleared_t_ms, ==, -1);
}

