/* test-case-log.c: a case written to the session log through TtCaseLog, read back row by row; the
 * mapping is complete (every kind the case logs has its row); a case that waits for the store;
 * an interrupted session rebuilt, resumed and ended in the same session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tt-case-log.h"
#include "tt-patient-feed.h"
#include "tt-test-store.h"

#define START_UNIX_MS G_GINT64_CONSTANT (1735732800000)   /* 2025-01-01 12:00:00 UTC */

/* What the case logged and what the pipeline classified, as the test saw them. */
typedef struct {
  gint64    t_ms;
  char     *kind;
  GVariant *details;
} Logged;

static void
logged_free (gpointer data)
{
  Logged *l = data;

  g_free (l->kind);
  g_variant_unref (l->details);
  g_free (l);
}

typedef struct {
  char      *dir;
  char      *path;
  TtStore   *store;
  TtCase    *kase;
  TtMonitor *monitor;
  TtCaseLog *log;
  GPtrArray *logged;     /* of Logged */
  GArray    *samples;    /* of TtSample, classified */
  gint64     now;        /* the test's clock: samples are pushed up to here */
} Fixture;

static void
log_cb (TtCase     *kase,
        gint64      t_ms,
        const char *kind,
        GVariant   *details,
        Fixture    *f)
{
  Logged *l = g_new0 (Logged, 1);

  l->t_ms = t_ms;
  l->kind = g_strdup (kind);
  l->details = g_variant_ref (details);
  g_ptr_array_add (f->logged, l);
}

static void
sample_cb (TtMonitor      *monitor,
           const TtSample *sample,
           Fixture        *f)
{
  g_array_append_vals (f->samples, sample, 1);
}

/* As TtSession does: a new setup, a new pipeline. */
static void
new_monitor (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->monitor);
  f->monitor = tt_monitor_new (f->kase, &error);
  g_assert_no_error (error);
  g_signal_connect (f->monitor, "sample", G_CALLBACK (sample_cb), f);
  tt_case_log_set_monitor (f->log, f->monitor);
}

static void
fixture_init (Fixture  *f,
              gboolean  with_store)
{
  g_autoptr(GError) error = NULL;

  f->dir = tt_test_tmpdir ();
  f->path = g_build_filename (f->dir, "sessions.db", NULL);
  f->store = tt_store_open (f->path, &error);
  g_assert_no_error (error);
  f->kase = tt_case_new (TRUE, "test feed", START_UNIX_MS);
  f->logged = g_ptr_array_new_with_free_func (logged_free);
  f->samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_signal_connect (f->kase, "log", G_CALLBACK (log_cb), f);
  f->log = tt_case_log_new (f->kase, TT_STORE_MODE_TRAINING);
  if (with_store)
    tt_case_log_set_store (f->log, f->store);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->log);
  g_clear_object (&f->monitor);
  g_clear_object (&f->kase);
  g_clear_object (&f->store);
  g_clear_pointer (&f->logged, g_ptr_array_unref);
  g_clear_pointer (&f->samples, g_array_unref);
  tt_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Valid beats at 1 Hz from the test's clock up to (not including) @until_ms: pulse pressure
 * 35 mmHg, HR 70. */
static void
feed (Fixture *f,
      gint64   until_ms,
      double   map)
{
  for (; f->now < until_ms; f->now += 1000)
    {
      TtSample s = tt_sample_init (f->now, map);

      s.sbp = map + 25;
      s.dbp = map - 10;
      s.hr = 70;
      tt_monitor_push (f->monitor, &s, 1);
    }
}

/* 80 kg, baseline 90 mmHg (band 72–92, critical 62), 20 µg/mL peripheral, 0.05 µg/kg/min. */
static void
set_setup (Fixture *f,
           double   bolus_ug,
           gint64   t_ms)
{
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  g_autoptr(GError) error = NULL;

  g_free (setup->label);
  setup->label = g_strdup ("glue 1");
  setup->weight_kg = 80;
  setup->baseline_map = 90;
  tt_case_setup_default_band (90, &setup->target_lo, &setup->target_hi);
  setup->bolus_ug = bolus_ug;
  g_assert_true (tt_case_set_setup (f->kase, setup, t_ms, &error));
  g_assert_no_error (error);
  new_monitor (f);
}

static void
ok (gboolean  result,
    GError   *error)
{
  g_assert_no_error (error);
  g_assert_true (result);
}

/* Everything a case does, up to (not including) its end. Returns the times of interest. */
typedef struct {
  gint64 advisor_advice_ms;
  gint64 accept_ms;
  gint64 change_ms;
  gint64 decline_ms;
  gint64 bolus_advice_ms;
  gint64 manual_bolus_ms;
  double advised_rate;
  double advised_mlh;
  char   advised_reason[256];
  char   advised_code[64];
} Times;

static void
run_case (Fixture *f,
          Times   *times)
{
  GError *error = NULL;
  g_autoptr(TtCaseAdvice) change = NULL;
  g_autoptr(TtCaseAdvice) bolus = NULL;

  set_setup (f, 10, 1000);
  f->now = 2000;
  feed (f, 60000, 85);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_PUMP_PRIMED, 60000, &error), error);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_SYRINGE, 61000, &error), error);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_IV_ACCESS, 62000, &error), error);
  ok (tt_case_untick_item (f->kase, TT_CHECKLIST_IV_ACCESS, 63000, &error), error);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_IV_ACCESS, 64000, &error), error);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_RESCUE_BOLUS, 65000, &error), error);
  ok (tt_case_tick_item (f->kase, TT_CHECKLIST_ARTERIAL_LINE, 66000, &error), error);
  /* Back to the setup: a 12 µg bolus changes the rescue-bolus item, which is unticked. */
  ok (tt_case_edit_setup (f->kase, 67000, &error), error);
  set_setup (f, 12, 68000);
  f->now = 69000;
  ok (tt_case_override_checklist (f->kase, "surgeon waiting", 70000, &error), error);
  feed (f, 120000, 85);
  ok (tt_case_start_induction (f->kase, 120000, &error), error);
  ok (tt_case_acknowledge_alert (f->kase, TT_ALERT_CHECKLIST_OVERRIDE, 125000, &error), error);
  feed (f, 150000, 85);
  /* One flagged sample: a fast flush. */
  {
    TtSample flush = tt_sample_init (f->now, 300);

    flush.sbp = 305;
    flush.dbp = 295;
    flush.hr = 70;
    tt_monitor_push (f->monitor, &flush, 1);
    f->now += 1000;
  }
  feed (f, 180000, 85);
  ok (tt_case_add_event (f->kase, TT_CASE_EVENT_INTUBATION, "grade 1", 180000, &error), error);

  /* MAP drifting below the band (6 mmHg/min, too slow for a rescue bolus): the advisor asks for
   * a higher rate. */
  for (double map = 85; tt_case_get_advice (f->kase) == NULL; map = MAX (map - 0.1, 68))
    {
      g_assert_cmpint (f->now, <, 600000);
      feed (f, f->now + 1000, map);
    }
  times->advisor_advice_ms = tt_case_get_advice (f->kase)->t_ms;
  times->advised_rate = tt_case_get_advice (f->kase)->rate;
  times->advised_mlh = tt_dose_ml_h (times->advised_rate, 80, 20);
  g_strlcpy (times->advised_reason, tt_case_get_advice (f->kase)->reason,
             sizeof times->advised_reason);
  g_strlcpy (times->advised_code,
             tt_advice_reason_to_string (tt_monitor_get_pending (f->monitor)->reason),
             sizeof times->advised_code);
  g_assert_cmpint (tt_monitor_get_pending (f->monitor)->kind, ==, TT_ADVICE_INCREASE);
  times->accept_ms = f->now;
  ok (tt_case_accept_advice (f->kase, f->now, &error), error);

  /* Advice set on the case directly, answered the two other ways. */
  change = tt_case_advice_new (f->now + 1000, 0.12, 0, "Increase to 0.12 µg/kg/min", "test");
  tt_case_set_advice (f->kase, change);
  times->change_ms = f->now + 2000;
  ok (tt_case_change_advice (f->kase, 0.08, TRUE, times->change_ms, &error), error);
  bolus = tt_case_advice_new (times->change_ms + 1000, NAN, 10, "Give 10 µg", "critical");
  tt_case_set_advice (f->kase, bolus);
  times->decline_ms = times->change_ms + 2000;
  ok (tt_case_decline_advice (f->kase, "surgical stimulus imminent", times->decline_ms, &error),
      error);
  g_clear_pointer (&bolus, tt_case_advice_free);
  bolus = tt_case_advice_new (times->decline_ms + 1000, NAN, 10, "Give 10 µg", "critical");
  tt_case_set_advice (f->kase, bolus);
  times->bolus_advice_ms = times->decline_ms + 2000;
  ok (tt_case_accept_advice (f->kase, times->bolus_advice_ms, &error), error);
  times->manual_bolus_ms = times->bolus_advice_ms + 1000;
  ok (tt_case_give_bolus (f->kase, 12, TRUE, times->manual_bolus_ms, &error), error);

  /* Above the peripheral soft limit 0.2 µg/kg/min: an alert, cleared by the next rate. */
  f->now = times->manual_bolus_ms + 1000;
  ok (tt_case_set_rate (f->kase, 0.25, TRUE, f->now, &error), error);
  ok (tt_case_set_rate (f->kase, 0.1, TRUE, f->now + 5000, &error), error);
  ok (tt_case_replace_syringe (f->kase, 50, f->now + 6000, &error), error);
  ok (tt_case_add_event (f->kase, TT_CASE_EVENT_NOTE, "test note", f->now + 7000, &error), error);
  f->now += 8000;
  feed (f, f->now + 10000, 80);
  /* Critically low: the high alert, acknowledged, and left active. */
  feed (f, f->now + 10000, 55);
  g_assert_nonnull (tt_case_find_alert (f->kase, TT_ALERT_MAP_CRITICAL));
  ok (tt_case_acknowledge_alert (f->kase, TT_ALERT_MAP_CRITICAL, f->now, &error), error);
}

static guint
count_logged (Fixture    *f,
              const char *kind)
{
  guint n = 0;

  for (guint i = 0; i < f->logged->len; i++)
    n += g_str_equal (((Logged *) g_ptr_array_index (f->logged, i))->kind, kind);
  return n;
}

/* Every kind the case logged in a case that does everything has a mapping, and every mapping
 * was used: a new kind in the engine makes this test fail until it is mapped. */
static void
test_kinds_complete (void)
{
  Fixture f = { 0 };
  Times times;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const *kinds = tt_case_log_get_kinds ();

  fixture_init (&f, TRUE);
  run_case (&f, &times);
  ok (tt_case_end (f.kase, f.now, NULL), NULL);

  for (guint i = 0; i < f.logged->len; i++)
    {
      const char *kind = ((Logged *) g_ptr_array_index (f.logged, i))->kind;

      if (!tt_case_log_handles_kind (kind))
        g_error ("The case logs “%s”, which the session log does not map", kind);
      g_hash_table_add (seen, (gpointer) kind);
    }
  for (guint i = 0; kinds[i] != NULL; i++)
    if (!g_hash_table_contains (seen, kinds[i]))
      g_error ("The mapping of “%s” was not exercised by the test case", kinds[i]);
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_strv_length ((char **) kinds));
  g_assert_cmpuint (g_strv_length ((char **) kinds), ==, 12);
  g_assert_false (tt_case_log_handles_kind ("bogus"));
  fixture_clear (&f);
}

static const TtStoreAlert *
find_alert (const TtStoreCase *c,
            const char        *kind)
{
  for (guint i = 0; i < c->alerts->len; i++)
    if (g_str_equal (g_array_index (c->alerts, TtStoreAlert, i).kind, kind))
      return &g_array_index (c->alerts, TtStoreAlert, i);
  return NULL;
}

/* The whole case, then the database compared with what the case logged, row by row. */
static void
test_training_case (void)
{
  Fixture f = { 0 };
  Times times;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  const TtStoreSetup *s;
  const TtStoreAdvice *a;
  const TtStoreAlert *alert;
  gint64 end_ms, id;
  guint n_flagged = 0;

  fixture_init (&f, TRUE);
  run_case (&f, &times);
  end_ms = f.now + 1000;
  ok (tt_case_end (f.kase, end_ms, &error), error);
  g_assert_true (tt_store_flush (f.store, &error));
  g_assert_no_error (error);
  id = tt_store_session_get_id (tt_case_log_get_session (f.log));
  g_assert_cmpint (id, ==, 1);
  c = tt_store_load_session (f.store, id, &error);
  g_assert_no_error (error);

  /* The setup snapshot: the second setup (12 µg bolus) replaced the first. */
  s = &c->info->setup;
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->end_t_ms, ==, end_ms);
  g_assert_cmpstr (s->label, ==, "glue 1");
  g_assert_cmpint (s->mode, ==, TT_STORE_MODE_TRAINING);
  g_assert_cmpint (s->start_unix_ms, ==, START_UNIX_MS);
  g_assert_cmpfloat (s->weight_kg, ==, 80);
  g_assert_cmpfloat (s->baseline_map, ==, 90);
  g_assert_cmpfloat (s->band_low, ==, 72);
  g_assert_cmpfloat (s->band_high, ==, 92);
  g_assert_cmpfloat (s->critical_map, ==, 62);
  g_assert_cmpfloat (s->concentration_ug_ml, ==, 20);
  g_assert_cmpstr (s->line_type, ==, "peripheral");
  g_assert_cmpfloat (s->start_rate, ==, 0.05);
  g_assert_cmpfloat (s->bolus_dose_ug, ==, 12);
  g_assert_cmpfloat (s->rate_soft_max, ==, 0.2);
  g_assert_cmpfloat (s->rate_hard_max, ==, 1.0);
  g_assert_cmpfloat (s->bolus_soft_max_ug, ==, 20);
  g_assert_cmpfloat (s->bolus_hard_max_ug, ==, 50);
  g_assert_cmpfloat (s->syringe_ml, ==, 50);
  g_assert_cmpfloat (s->dead_space_ml, ==, 1);
  g_assert_cmpstr (s->source, ==, "test feed");
  g_assert_cmpstr (s->app_version, ==, PACKAGE_VERSION);

  /* Every classified sample with its quality flag. */
  g_assert_cmpuint (c->recording->samples->len, ==, f.samples->len);
  for (guint i = 0; i < f.samples->len; i++)
    {
      const TtSample *want = &g_array_index (f.samples, TtSample, i);
      const TtSample *got = &g_array_index (c->recording->samples, TtSample, i);

      g_assert_cmpint (got->t_ms, ==, want->t_ms);
      g_assert_cmpfloat (got->map, ==, want->map);
      g_assert_cmpfloat (got->sbp, ==, want->sbp);
      g_assert_cmpfloat (got->dbp, ==, want->dbp);
      g_assert_cmpfloat (got->hr, ==, want->hr);
      g_assert_cmpint (got->quality, ==, want->quality);
      n_flagged += got->quality != TT_QUALITY_VALID;
    }
  g_assert_cmpuint (n_flagged, ==, 1);
  for (guint i = 0; i < c->recording->samples->len; i++)
    {
      const TtSample *got = &g_array_index (c->recording->samples, TtSample, i);

      if (got->quality != TT_QUALITY_VALID)
        {
          g_assert_cmpint (got->t_ms, ==, 150000);
          g_assert_cmpint (got->quality, ==, TT_QUALITY_FLUSH);
        }
    }

  /* Checklist: the ticks, then the two items left open, with the override's reason. */
  {
    static const struct { gint64 t; const char *item; const char *reason; } want[] = {
      { 60000, "pump-primed", NULL }, { 61000, "syringe", NULL }, { 62000, "iv-access", NULL },
      { 64000, "iv-access", NULL }, { 65000, "rescue-bolus", NULL },
      { 66000, "arterial-line", NULL }, { 70000, "rescue-bolus", "surgeon waiting" },
      { 70000, "map-target", "surgeon waiting" },
    };

    g_assert_cmpuint (c->checklist->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        const TtStoreChecklistItem *item = &g_array_index (c->checklist, TtStoreChecklistItem, i);

        g_assert_cmpint (item->t_ms, ==, want[i].t);
        g_assert_cmpstr (item->item, ==, want[i].item);
        g_assert_cmpstr (item->override_reason, ==, want[i].reason);
      }
  }

  /* Events in time order, with their texts. */
  {
    const struct { gint64 t; const char *kind; const char *text; } want[] = {
      { 63000, "checklist-untick", "iv-access" },
      { 68000, "setup", "weight 80 kg; baseline 90 mmHg; band 72–92 mmHg; 20 µg/mL peripheral "
                        "line; start 0.05 µg/kg/min; bolus 12 µg; syringe 50 mL; "
                        "dead space 1 mL" },
      { 68000, "checklist-untick", "rescue-bolus: setup changed" },
      { 120000, "induction", "surgeon waiting" },
      { 180000, "intubation", "grade 1" },
      { times.bolus_advice_ms, "bolus", "10 µg = 0.5 mL" },
      { times.manual_bolus_ms, "bolus", "12 µg = 0.6 mL" },
      { times.manual_bolus_ms + 7000, "syringe", "50 mL" },
      { times.manual_bolus_ms + 8000, "note", "test note" },
      { end_ms, "end", NULL },
    };

    g_assert_cmpuint (c->recording->events->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        const TtRecordingEvent *e = &g_array_index (c->recording->events, TtRecordingEvent, i);

        g_assert_cmpint (e->t_ms, ==, want[i].t);
        g_assert_cmpstr (e->kind, ==, want[i].kind);
        g_assert_cmpstr (e->text, ==, want[i].text);
      }
  }

  /* Advice: the advisor's own, then three set by hand, each with its answer. */
  g_assert_cmpuint (c->advice->len, ==, 4);
  a = tt_store_case_find_advice (c, 1);
  g_assert_cmpint (a->t_ms, ==, times.advisor_advice_ms);
  g_assert_cmpstr (a->kind, ==, "increase");
  g_assert_cmpstr (a->reason_code, ==, times.advised_code);
  g_assert_cmpstr (a->reason_text, ==, times.advised_reason);
  g_assert_cmpfloat (a->rate_ug_kg_min, ==, times.advised_rate);
  g_assert_cmpfloat_with_epsilon (a->rate_ml_h, times.advised_mlh, 1e-9);
  g_assert_true (isnan (a->bolus_ug));
  g_assert_cmpint (a->answer, ==, TT_STORE_ANSWER_ACCEPTED);
  g_assert_cmpint (a->answer_t_ms, ==, times.accept_ms);
  g_assert_true (isnan (a->actual_rate_ug_kg_min));
  a = tt_store_case_find_advice (c, 2);
  g_assert_cmpstr (a->kind, ==, "increase");
  g_assert_null (a->reason_code);
  g_assert_cmpstr (a->reason_text, ==, "test");
  g_assert_cmpfloat (a->rate_ug_kg_min, ==, 0.12);
  g_assert_cmpfloat_with_epsilon (a->rate_ml_h, 28.8, 1e-9);
  g_assert_cmpint (a->answer, ==, TT_STORE_ANSWER_CHANGED);
  g_assert_cmpint (a->answer_t_ms, ==, times.change_ms);
  g_assert_cmpfloat (a->actual_rate_ug_kg_min, ==, 0.08);
  g_assert_cmpfloat_with_epsilon (a->actual_rate_ml_h, 19.2, 1e-9);
  a = tt_store_case_find_advice (c, 3);
  g_assert_cmpstr (a->kind, ==, "rescue-bolus");
  g_assert_true (isnan (a->rate_ug_kg_min));
  g_assert_cmpfloat (a->bolus_ug, ==, 10);
  g_assert_cmpint (a->answer, ==, TT_STORE_ANSWER_DECLINED);
  g_assert_cmpint (a->answer_t_ms, ==, times.decline_ms);
  g_assert_cmpstr (a->decline_reason, ==, "surgical stimulus imminent");
  a = tt_store_case_find_advice (c, 4);
  g_assert_cmpint (a->answer, ==, TT_STORE_ANSWER_ACCEPTED);
  g_assert_cmpint (a->answer_t_ms, ==, times.bolus_advice_ms);

  /* Rate changes: induction's start rate, the two answers, two set by hand. */
  {
    const struct { gint64 t; double rate; double mlh; guint seq; } want[] = {
      { 120000, 0.05, 12.0, 0 },
      { times.accept_ms, times.advised_rate, times.advised_mlh, 1 },
      { times.change_ms, 0.08, 19.2, 2 },
      { times.manual_bolus_ms + 1000, 0.25, 60.0, 0 },
      { times.manual_bolus_ms + 6000, 0.1, 24.0, 0 },
    };

    g_assert_cmpuint (c->rate_changes->len, ==, G_N_ELEMENTS (want));
    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        const TtStoreRateChange *r = &g_array_index (c->rate_changes, TtStoreRateChange, i);

        g_assert_cmpint (r->t_ms, ==, want[i].t);
        g_assert_cmpfloat_with_epsilon (r->rate_ug_kg_min, want[i].rate, 1e-12);
        g_assert_cmpfloat_with_epsilon (r->rate_ml_h, want[i].mlh, 1e-9);
        g_assert_cmpuint (r->advice_seq, ==, want[i].seq);
      }
  }

  /* Boluses: the accepted advice's and the clinician's own. */
  g_assert_cmpuint (c->boluses->len, ==, 2);
  g_assert_cmpint (g_array_index (c->boluses, TtStoreBolus, 0).t_ms, ==, times.bolus_advice_ms);
  g_assert_cmpfloat (g_array_index (c->boluses, TtStoreBolus, 0).dose_ug, ==, 10);
  g_assert_cmpuint (g_array_index (c->boluses, TtStoreBolus, 0).advice_seq, ==, 4);
  g_assert_cmpint (g_array_index (c->boluses, TtStoreBolus, 1).t_ms, ==, times.manual_bolus_ms);
  g_assert_cmpfloat (g_array_index (c->boluses, TtStoreBolus, 1).dose_ug, ==, 12);
  g_assert_cmpuint (g_array_index (c->boluses, TtStoreBolus, 1).advice_seq, ==, 0);

  /* Alerts: one row per raised alert, with its acknowledgement and when it cleared. */
  g_assert_cmpuint (c->alerts->len, ==, count_logged (&f, "alert-raised"));
  alert = find_alert (c, "checklist-override");
  g_assert_cmpuint (alert->seq, ==, 1);
  g_assert_cmpint (alert->t_ms, ==, 70000);
  g_assert_cmpstr (alert->priority, ==, "low");
  g_assert_cmpstr (alert->text, ==, "Checklist overridden (4 of 6 confirmed): surgeon waiting");
  g_assert_cmpint (alert->ack_t_ms, ==, 125000);
  g_assert_cmpint (alert->cleared_t_ms, ==, 125000);
  alert = find_alert (c, "soft-limit");
  g_assert_cmpint (alert->t_ms, ==, times.manual_bolus_ms + 1000);
  g_assert_cmpstr (alert->priority, ==, "medium");
  g_assert_cmpint (alert->ack_t_ms, ==, -1);
  g_assert_cmpint (alert->cleared_t_ms, ==, times.manual_bolus_ms + 6000);
  alert = find_alert (c, "map-critical");
  g_assert_cmpstr (alert->priority, ==, "high");
  g_assert_cmpint (alert->ack_t_ms, >=, alert->t_ms);
  /* Still active at the end: cleared by it. */
  g_assert_cmpint (alert->cleared_t_ms, ==, end_ms);
  alert = find_alert (c, "no-signal");
  g_assert_nonnull (alert);
  g_assert_cmpstr (alert->priority, ==, "medium");
  g_assert_cmpint (alert->t_ms, >=, 148000);
  g_assert_cmpint (alert->cleared_t_ms, >, alert->t_ms);
  for (guint i = 0; i < c->alerts->len; i++)
    {
      const TtStoreAlert *x = &g_array_index (c->alerts, TtStoreAlert, i);

      g_assert_cmpuint (x->seq, ==, i + 1);
      g_assert_cmpint (x->cleared_t_ms, >=, x->t_ms);
    }

  fixture_clear (&f);
}

/* A case that starts before the log is open: its entries wait, then are written in order. */
static void
test_waits_for_store (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreCase) c = NULL;

  fixture_init (&f, FALSE);
  set_setup (&f, 10, 1000);
  f.now = 2000;
  feed (&f, 12000, 85);
  ok (tt_case_tick_item (f.kase, TT_CHECKLIST_PUMP_PRIMED, 12000, &error), NULL);
  g_assert_null (tt_case_log_get_session (f.log));
  tt_case_log_set_store (f.log, f.store);
  g_assert_nonnull (tt_case_log_get_session (f.log));
  feed (&f, 20000, 85);
  ok (tt_case_end (f.kase, 20000, &error), NULL);
  g_assert_true (tt_store_flush (f.store, &error));
  c = tt_store_load_session (f.store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->recording->samples->len, ==, 18);
  g_assert_cmpint (g_array_index (c->recording->samples, TtSample, 0).t_ms, ==, 2000);
  g_assert_cmpint (g_array_index (c->recording->samples, TtSample, 17).t_ms, ==, 19000);
  g_assert_cmpuint (c->checklist->len, ==, 1);
  g_assert_cmpint (c->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (c->info->end_t_ms, ==, 20000);
  fixture_clear (&f);
}

/* A training case's patient and a replay's recording are kept with the session; the patient's
 * inputs given before the session began (the instructor may act before the setup is confirmed)
 * wait for it, in order. */
static void
test_origin (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  TtPatientParams params, back;
  const TtTrainingInput *in;
  TtTrainingInput fall = { .t_ms = 1500, .kind = TT_TRAINING_INPUT_FALL, .value = 0.32 };
  TtTrainingInput flush = { .t_ms = 3000, .kind = TT_TRAINING_INPUT_ARTIFACT, .value = NAN,
                            .artifact = TT_ARTIFACT_FLUSH };
  TtTrainingInput rate = { .t_ms = 12500, .kind = TT_TRAINING_INPUT_RATE, .value = 0.07 };

  fixture_init (&f, FALSE);
  tt_patient_scenario_params (TT_PATIENT_SCENARIO_HYPERTENSIVE, &params);
  tt_case_log_set_patient (f.log, &params, 2718281828u, "Hypertensive responses");
  tt_case_log_set_recording (f.log, "/recordings/case 1.vital", 4096, 1700000000000001);
  tt_case_log_add_training_input (f.log, &fall);
  tt_case_log_set_store (f.log, f.store);
  tt_case_log_add_training_input (f.log, &flush);
  g_assert_null (tt_case_log_get_session (f.log));
  set_setup (&f, 10, 5000);
  g_assert_nonnull (tt_case_log_get_session (f.log));
  tt_case_log_add_training_input (f.log, &rate);
  ok (tt_case_end (f.kase, 20000, &error), NULL);
  /* After the end nothing more is logged. */
  rate.t_ms = 21000;
  tt_case_log_add_training_input (f.log, &rate);
  g_assert_true (tt_store_flush (f.store, &error));
  g_assert_no_error (error);

  c = tt_store_load_session (f.store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->info->setup.patient_seed, ==, 2718281828);
  g_assert_cmpstr (c->info->setup.patient_title, ==, "Hypertensive responses");
  g_assert_true (tt_patient_params_from_string (c->info->setup.patient, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (back.baseline_map, ==, 105);
  g_assert_cmpfloat (back.intubation_rise_mmhg, ==, 25);
  g_assert_cmpint (back.induction_at_ms, ==, 60000);
  g_assert_true (tt_patient_params_equal (&back, &params));
  g_assert_cmpstr (c->info->setup.source_path, ==, "/recordings/case 1.vital");
  g_assert_cmpint (c->info->setup.source_size, ==, 4096);
  g_assert_cmpint (c->info->setup.source_mtime_us, ==, 1700000000000001);
  /* Shown where the samples came from: the case's own words, never the path. */
  g_assert_cmpstr (c->info->setup.source, ==, "test feed");
  g_assert_cmpuint (c->training_inputs->len, ==, 3);
  in = (const TtTrainingInput *) (gpointer) c->training_inputs->data;
  g_assert_cmpint (in[0].kind, ==, TT_TRAINING_INPUT_FALL);
  g_assert_cmpfloat (in[0].value, ==, 0.32);
  g_assert_cmpint (in[0].t_ms, ==, 1500);
  g_assert_cmpint (in[1].kind, ==, TT_TRAINING_INPUT_ARTIFACT);
  g_assert_cmpint (in[1].artifact, ==, TT_ARTIFACT_FLUSH);
  g_assert_cmpint (in[1].duration_ms, ==, 0);
  g_assert_cmpint (in[2].kind, ==, TT_TRAINING_INPUT_RATE);
  g_assert_cmpfloat (in[2].value, ==, 0.07);
  g_assert_cmpint (in[2].t_ms, ==, 12500);
  fixture_clear (&f);
}

/* Without a log (it could not be opened) the case runs and nothing is kept. */
static void
test_no_store (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  fixture_init (&f, FALSE);
  set_setup (&f, 10, 1000);
  f.now = 2000;
  feed (&f, 5000, 85);
  tt_case_log_set_store (f.log, NULL);
  feed (&f, 8000, 85);
  ok (tt_case_end (f.kase, 8000, &error), NULL);
  g_assert_null (tt_case_log_get_session (f.log));
  g_assert_null (tt_case_log_get_error (f.log));
  g_assert_cmpint (tt_test_query_int (f.path, "SELECT count (*) FROM sessions"), ==, 0);
  fixture_clear (&f);
}

/* Killed mid-case, found interrupted, rebuilt: the case is as it was; resumed, it goes on in the
 * same session. */
static void
test_rebuild_resume (void)
{
  Fixture f = { 0 };
  Times times;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) interrupted = NULL;
  g_autoptr(TtStoreCase) logged = NULL;
  g_autoptr(TtStoreCase) after = NULL;
  g_autoptr(TtCase) rebuilt = NULL;
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtCaseLog) resumed = NULL;
  GArray *want_events, *got_events;
  gint64 crash_ms, resume_ms;
  const TtStoreAlert *alert;

  fixture_init (&f, TRUE);
  run_case (&f, &times);
  crash_ms = tt_case_get_now_ms (f.kase);
  /* The process dies: nothing ends the session. */
  g_assert_true (tt_store_flush (f.store, &error));
  g_clear_object (&f.log);
  g_clear_object (&f.store);

  f.store = tt_store_open (f.path, &error);
  g_assert_no_error (error);
  interrupted = tt_store_find_interrupted (f.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (interrupted->len, ==, 1);
  logged = tt_store_load_session (f.store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (logged->info->state, ==, TT_STORE_STATE_INTERRUPTED);

  rebuilt = tt_case_log_rebuild (logged, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rebuilt);
  g_assert_cmpint (tt_case_get_state (rebuilt), ==, TT_CASE_STATE_INTERRUPTED);
  g_assert_true (tt_case_get_training (rebuilt));
  g_assert_cmpstr (tt_case_get_source (rebuilt), ==, "test feed");
  g_assert_cmpint (tt_case_get_start_unix_ms (rebuilt), ==, START_UNIX_MS);
  g_assert_cmpint (tt_case_get_now_ms (rebuilt), ==, crash_ms);
  g_assert_cmpint (tt_case_get_t0_ms (rebuilt), ==, 120000);
  g_assert_cmpfloat (tt_case_get_setup (rebuilt)->bolus_ug, ==, 12);
  g_assert_cmpfloat (tt_case_get_setup (rebuilt)->syringe_ml, ==, 50);
  g_assert_cmpstr (tt_case_get_override_reason (rebuilt), ==, "surgeon waiting");
  g_assert_cmpuint (tt_case_get_checklist_done (rebuilt), ==, 4);
  g_assert_cmpfloat (tt_case_get_rate (rebuilt), ==, 0.1);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate_mlh (rebuilt), 24.0, 1e-9);
  g_assert_cmpuint (tt_case_get_bolus_count (rebuilt), ==, 2);
  g_assert_cmpfloat (tt_case_get_bolus_total_ug (rebuilt), ==, 22);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (rebuilt), tt_case_get_total_ug (f.kase),
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (rebuilt),
                                  tt_case_get_syringe_left_ml (f.kase), 1e-9);
  g_assert_cmpuint (tt_case_get_answer_count (rebuilt, TT_ANSWER_ACCEPTED), ==, 2);
  g_assert_cmpuint (tt_case_get_answer_count (rebuilt, TT_ANSWER_CHANGED), ==, 1);
  g_assert_cmpuint (tt_case_get_answer_count (rebuilt, TT_ANSWER_DECLINED), ==, 1);
  g_assert_null (tt_case_get_advice (rebuilt));
  /* The timeline is the one the case had. */
  want_events = tt_case_get_events (f.kase);
  got_events = tt_case_get_events (rebuilt);
  g_assert_cmpuint (got_events->len, ==, want_events->len);
  for (guint i = 0; i < want_events->len; i++)
    {
      const TtCaseEvent *want = &g_array_index (want_events, TtCaseEvent, i);
      const TtCaseEvent *got = &g_array_index (got_events, TtCaseEvent, i);

      g_assert_cmpint (got->t_ms, ==, want->t_ms);
      g_assert_cmpint (got->kind, ==, want->kind);
      g_assert_cmpstr (got->text, ==, want->text);
    }

  /* Resumed: logging goes on in session 1. */
  session = tt_store_resume_session (f.store, 1, &error);
  g_assert_no_error (error);
  resumed = tt_case_log_new_resumed (rebuilt, f.store, session, logged);
  resume_ms = crash_ms + 60000;
  ok (tt_case_resume (rebuilt, resume_ms, &error), NULL);
  ok (tt_case_add_event (rebuilt, TT_CASE_EVENT_NOTE, "after the crash", resume_ms + 1000, &error),
      NULL);
  {
    g_autoptr(TtCaseAdvice) advice = tt_case_advice_new (resume_ms + 2000, 0.12, 0, "Increase",
                                                         "resumed");

    tt_case_set_advice (rebuilt, advice);
    ok (tt_case_accept_advice (rebuilt, resume_ms + 3000, &error), NULL);
  }
  ok (tt_case_end (rebuilt, resume_ms + 4000, &error), NULL);
  g_assert_true (tt_store_flush (f.store, &error));

  g_assert_cmpint (tt_test_query_int (f.path, "SELECT count (*) FROM sessions"), ==, 1);
  after = tt_store_load_session (f.store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->info->state, ==, TT_STORE_STATE_ENDED);
  g_assert_cmpint (after->info->end_t_ms, ==, resume_ms + 4000);
  g_assert_cmpuint (after->recording->samples->len, ==, logged->recording->samples->len);
  g_assert_cmpuint (after->recording->events->len, ==, logged->recording->events->len + 2);
  g_assert_cmpstr (g_array_index (after->recording->events, TtRecordingEvent,
                                  after->recording->events->len - 2).text, ==, "after the crash");
  /* The new advice continues the numbering; its rate change refers to it. */
  g_assert_cmpuint (after->advice->len, ==, 5);
  g_assert_cmpint (tt_store_case_find_advice (after, 5)->answer, ==, TT_STORE_ANSWER_ACCEPTED);
  g_assert_cmpuint (g_array_index (after->rate_changes, TtStoreRateChange,
                                   after->rate_changes->len - 1).advice_seq, ==, 5);
  /* The critical MAP alert was active at the crash; the resumed case has no such signal yet. */
  alert = find_alert (after, "map-critical");
  g_assert_cmpint (alert->cleared_t_ms, ==, crash_ms);
  for (guint i = 0; i < after->alerts->len; i++)
    g_assert_cmpint (g_array_index (after->alerts, TtStoreAlert, i).cleared_t_ms, >=, 0);

  g_clear_object (&resumed);
  fixture_clear (&f);
}

/* A session that cannot be rebuilt: a replayed recording has no weight. */
static void
test_rebuild_refused (void)
{
  g_autofree char *dir = tt_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sessions.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autoptr(TtStoreCase) c = NULL;
  TtStoreSetup setup;

  tt_test_setup (&setup);
  setup.mode = TT_STORE_MODE_REPLAY;
  setup.weight_kg = NAN;
  session = tt_store_begin_session (store, &setup, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_flush (store, &error));
  c = tt_store_load_session (store, 1, &error);
  g_assert_null (tt_case_log_rebuild (c, &error));
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID);
  tt_store_end_session (session, 0);
  g_clear_object (&store);
  tt_test_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case-log/kinds-complete", test_kinds_complete);
  g_test_add_func ("/case-log/training-case", test_training_case);
  g_test_add_func ("/case-log/waits-for-store", test_waits_for_store);
  g_test_add_func ("/case-log/no-store", test_no_store);
  g_test_add_func ("/case-log/origin", test_origin);
  g_test_add_func ("/case-log/rebuild-resume", test_rebuild_resume);
  g_test_add_func ("/case-log/rebuild-refused", test_rebuild_refused);

  return g_test_run ();
}
