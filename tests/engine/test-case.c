/* test-case.c: the case model: setup checks, state machine, checklist, infusion arithmetic,
 * answers and alerts. Figures are computed by hand in the comments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-case.h"

#define MIN_MS (60 * 1000)
#define EPS 1e-9

/* The wireframe's case (CLINICAL.md, wireframes/README.md): 72 kg, baseline 96 mmHg, default band
 * 77–97, 20 µg/mL in 50 mL, peripheral line, 0.05 µg/kg/min, 10 µg bolus. */
static TtCaseSetup *
wireframe_setup (void)
{
  TtCaseSetup *setup = tt_case_setup_new ();

  g_free (setup->label);
  setup->label = g_strdup ("Case 0427");
  setup->weight_kg = 72;
  setup->baseline_map = 96;
  tt_case_setup_default_band (96, &setup->target_lo, &setup->target_hi);
  return setup;
}

typedef struct {
  GPtrArray *kinds;
  GPtrArray *details;
} LogRecorder;

static void
log_cb (TtCase      *kase,
        gint64       t_ms,
        const char  *kind,
        GVariant    *details,
        LogRecorder *rec)
{
  g_assert_true (g_variant_is_of_type (details, G_VARIANT_TYPE_VARDICT));
  g_ptr_array_add (rec->kinds, g_strdup (kind));
  g_ptr_array_add (rec->details, g_variant_ref (details));
}

static guint
count_kind (LogRecorder *rec,
            const char  *kind)
{
  guint n = 0;

  for (guint i = 0; i < rec->kinds->len; i++)
    n += g_str_equal (rec->kinds->pdata[i], kind);
  return n;
}

static GVariant *
last_of_kind (LogRecorder *rec,
              const char  *kind)
{
  for (guint i = rec->kinds->len; i > 0; i--)
    if (g_str_equal (rec->kinds->pdata[i - 1], kind))
      return rec->details->pdata[i - 1];
  return NULL;
}

static void
recorder_init (LogRecorder *rec,
               TtCase      *kase)
{
  rec->kinds = g_ptr_array_new_with_free_func (g_free);
  rec->details = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_signal_connect (kase, "log", G_CALLBACK (log_cb), rec);
}

static void
recorder_clear (LogRecorder *rec)
{
  g_clear_pointer (&rec->kinds, g_ptr_array_unref);
  g_clear_pointer (&rec->details, g_ptr_array_unref);
}

static void
tick_all (TtCase *kase,
          gint64  t_ms)
{
  g_autoptr(GError) error = NULL;

  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    {
      g_assert_true (tt_case_tick_item (kase, id, t_ms, &error));
      g_assert_no_error (error);
    }
}

/* A case in induction at t0 = 1 min with the wireframe's setup. */
static TtCase *
running_case (const TtCaseSetup *setup)
{
  TtCase *kase = tt_case_new (TRUE, "test", 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_no_error (error);
  tick_all (kase, 0);
  g_assert_true (tt_case_start_induction (kase, MIN_MS, &error));
  g_assert_no_error (error);
  return kase;
}

static void
test_default_band (void)
{
  double lo, hi;
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();

  /* 80 % of 96 = 76.8 → 77; upper 77 + 20. */
  tt_case_setup_default_band (96, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 77);
  g_assert_cmpfloat (hi, ==, 97);
  /* 80 % of 70 = 56 < 65 → 65. */
  tt_case_setup_default_band (70, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 65);
  g_assert_cmpfloat (hi, ==, 85);
  /* 80 % of 130 = 104 > 100 → 100. */
  tt_case_setup_default_band (130, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 100);
  g_assert_cmpfloat (hi, ==, 120);

  /* Critical threshold: lower − 10, never below 50. */
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 67);
  setup->target_lo = 70;
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 60);
  setup->target_lo = 55;
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 50);
}

static void
test_limits (void)
{
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  TtLimits limits;

  /* The limits follow the line type (CLINICAL.md §2 [est]). */
  tt_case_setup_get_limits (setup, &limits);
  g_assert_cmpint (limits.line, ==, TT_LINE_PERIPHERAL);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.2);
  setup->line = TT_LINE_CENTRAL;
  tt_case_setup_get_limits (setup, &limits);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.3);
  g_assert_cmpfloat (limits.rate_hard_max, ==, 1.0);
}

static void
test_band_rule (void)
{
  TtBandRule rule;
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(GError) error = NULL;
  double lo, hi;

  /* The default rule is CLINICAL.md's: max (65, 80 % of baseline), width 20, critical − 10. */
  tt_band_rule_init (&rule);
  g_assert_cmpint (rule.kind, ==, TT_BAND_RULE_LARGER);
  g_assert_cmpfloat (rule.absolute_lo, ==, 65);
  g_assert_cmpfloat (rule.relative_pct, ==, 80);
  g_assert_cmpfloat (rule.width, ==, 20);
  g_assert_cmpfloat (rule.critical_offset, ==, 10);
  g_assert_true (tt_band_rule_validate (&rule, NULL));

  /* A department's rule: 70 mmHg or 85 % of baseline, 15 mmHg wide. 85 % of 96 = 81.6 → 82. */
  rule.absolute_lo = 70;
  rule.relative_pct = 85;
  rule.width = 15;
  tt_band_rule_apply (&rule, 96, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 82);
  g_assert_cmpfloat (hi, ==, 97);
  rule.kind = TT_BAND_RULE_ABSOLUTE;
  tt_band_rule_apply (&rule, 96, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 70);
  g_assert_cmpfloat (hi, ==, 85);
  /* Relative alone may go below 65: 85 % of 70 = 59.5 → 60 (rounded half away from zero). */
  rule.kind = TT_BAND_RULE_RELATIVE;
  tt_band_rule_apply (&rule, 70, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 60);
  g_assert_cmpfloat (hi, ==, 75);
  /* … but never below the editable lower bound 55: 60 % of 80 = 48 → 55. */
  rule.relative_pct = 60;
  tt_band_rule_apply (&rule, 80, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 55);

  /* The setup carries its rule: the band and the critical threshold follow it. */
  setup->band_rule = rule;
  setup->band_rule.kind = TT_BAND_RULE_LARGER;
  setup->band_rule.relative_pct = 85;
  setup->band_rule.critical_offset = 15;
  tt_case_setup_apply_band_rule (setup);
  g_assert_cmpfloat (setup->target_lo, ==, 82);
  g_assert_cmpfloat (setup->target_hi, ==, 97);
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 67);
  setup->target_lo = 60;
  g_assert_cmpfloat (tt_case_setup_critical_map (setup), ==, 50);

  /* Out-of-range figures are named with their value and range. */
  tt_band_rule_init (&rule);
  rule.absolute_lo = 50;
  g_assert_false (tt_band_rule_validate (&rule, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Hypotension threshold 50 mmHg is outside 55–100 mmHg");
  g_clear_error (&error);
  tt_band_rule_init (&rule);
  rule.relative_pct = 101;
  g_assert_false (tt_band_rule_validate (&rule, &error));
  g_assert_cmpstr (error->message, ==, "Lower bound of baseline 101 % is outside 50–100 %");
  g_clear_error (&error);
  tt_band_rule_init (&rule);
  rule.width = 8;
  g_assert_false (tt_band_rule_validate (&rule, &error));
  g_assert_cmpstr (error->message, ==, "Band width 8 mmHg is outside 10–40 mmHg");
  g_clear_error (&error);
  tt_band_rule_init (&rule);
  rule.critical_offset = 35;
  g_assert_false (tt_band_rule_validate (&rule, &error));
  g_assert_cmpstr (error->message, ==, "Critical offset 35 mmHg is outside 5–30 mmHg");
  g_clear_error (&error);

  g_assert_cmpstr (tt_band_rule_kind_to_string (TT_BAND_RULE_RELATIVE), ==, "relative");
  {
    TtBandRuleKind kind;

    g_assert_true (tt_band_rule_kind_from_string ("absolute", &kind));
    g_assert_cmpint (kind, ==, TT_BAND_RULE_ABSOLUTE);
    g_assert_false (tt_band_rule_kind_from_string ("median", &kind));
  }
}

static void
test_limits_override (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = NULL;
  g_autoptr(GError) error = NULL;
  TtLimits limits;

  /* A department that caps peripheral infusions at 0.15 and any infusion at 0.8 µg/kg/min. */
  setup->limits[TT_LINE_PERIPHERAL].rate_soft_max = 0.15;
  setup->limits[TT_LINE_PERIPHERAL].rate_hard_max = 0.8;
  tt_case_setup_get_limits (setup, &limits);
  g_assert_cmpint (limits.line, ==, TT_LINE_PERIPHERAL);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.15);
  g_assert_cmpfloat (limits.rate_hard_max, ==, 0.8);
  setup->line = TT_LINE_CENTRAL;
  tt_case_setup_get_limits (setup, &limits);
  g_assert_cmpint (limits.line, ==, TT_LINE_CENTRAL);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.3);
  setup->line = TT_LINE_PERIPHERAL;

  /* The starting rate is checked against the department's soft maximum. */
  setup->start_rate = 0.18;
  g_assert_false (tt_case_setup_check_field (setup, TT_SETUP_START_RATE, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION);
  g_clear_error (&error);
  setup->start_rate = 0.05;

  /* The case refuses a rate above the department's hard maximum. */
  kase = running_case (setup);
  g_assert_false (tt_case_set_rate (kase, 0.9, TRUE, 2 * MIN_MS, &error));
  g_assert_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_RATE);
  g_clear_error (&error);
  g_assert_true (tt_case_set_rate (kase, 0.07, FALSE, 2 * MIN_MS, &error));
  g_assert_no_error (error);

  /* Limits outside CLINICAL.md's never reach a case, whoever built the setup. */
  {
    g_autoptr(TtCase) other = tt_case_new (FALSE, "test", 0);

    setup->limits[TT_LINE_CENTRAL].rate_hard_max = 1.5;
    g_assert_false (tt_case_set_setup (other, setup, 0, &error));
    g_assert_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_LIMITS);
    g_assert_cmpstr (error->message, ==, "Limit hard maximum rate = 1.50 µg/kg/min: must be "
                     "above 0 and at most 1.00 µg/kg/min");
    g_clear_error (&error);
    setup->limits[TT_LINE_CENTRAL].rate_hard_max = 1.0;
    setup->band_rule.width = 50;
    g_assert_false (tt_case_set_setup (other, setup, 0, &error));
    g_assert_cmpstr (error->message, ==, "Band width 50 mmHg is outside 10–40 mmHg");
    g_assert_cmpint (tt_case_get_state (other), ==, TT_CASE_STATE_SETUP);
  }
}

static void
assert_field_error (TtCaseSetup  *setup,
                    TtSetupField  field,
                    GQuark        domain,
                    int           code,
                    const char   *message)
{
  g_autoptr(GError) error = NULL;
  TtSetupField bad = TT_N_SETUP_FIELDS;

  g_assert_false (tt_case_setup_check_field (setup, field, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);
  g_assert_false (tt_case_setup_check (setup, &bad, &error));
  g_assert_cmpint (bad, ==, field);
}

static void
test_setup_check (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_case_setup_check (setup, NULL, &error));
  g_assert_no_error (error);

  g_free (setup->label);
  setup->label = g_strdup ("   ");
  assert_field_error (setup, TT_SETUP_LABEL, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                      "Case label: enter a pseudonymous label of 1–32 characters, never the "
                      "patient’s name.");
  g_free (setup->label);
  setup->label = g_strdup ("OR 3 · Case 0427");
  g_assert_true (tt_case_setup_check_field (setup, TT_SETUP_LABEL, NULL));

  /* tt-dose's own checks and messages. */
  setup->weight_kg = 500;
  assert_field_error (setup, TT_SETUP_WEIGHT, TT_DOSE_ERROR, TT_DOSE_ERROR_WEIGHT,
                      "Weight 500 kg is outside 30–250 kg");
  setup->weight_kg = NAN;
  g_assert_false (tt_case_setup_check_field (setup, TT_SETUP_WEIGHT, NULL));
  setup->weight_kg = 72;

  setup->baseline_map = 200;
  assert_field_error (setup, TT_SETUP_BASELINE, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                      "Baseline MAP 200 mmHg is outside 40–160 mmHg");
  setup->baseline_map = 96;
  setup->target_lo = 50;
  assert_field_error (setup, TT_SETUP_TARGET_LO, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                      "Lower bound 50 mmHg is outside 55–100 mmHg");
  setup->target_lo = 77;
  /* The upper bound must be at least lower + 10 = 87. */
  setup->target_hi = 80;
  assert_field_error (setup, TT_SETUP_TARGET_HI, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                      "Upper bound 80 mmHg is outside 87–130 mmHg");
  setup->target_hi = 97;

  setup->concentration = 0.5;
  assert_field_error (setup, TT_SETUP_CONCENTRATION, TT_DOSE_ERROR, TT_DOSE_ERROR_CONCENTRATION,
                      "Concentration 0.5 µg/mL is outside 1–200 µg/mL");
  setup->concentration = 20;

  /* The 10-fold guard: 0.5 typed for 0.05. 0.5 × 72 × 60 / 20 = 108 mL/h. */
  setup->start_rate = 0.5;
  assert_field_error (setup, TT_SETUP_START_RATE, TT_CASE_ERROR,
                      TT_CASE_ERROR_NEEDS_CONFIRMATION,
                      "Starting rate 0.50 µg/kg/min = 108.0 mL/h: 0.50 µg/kg/min is above the "
                      "soft limit 0.20 µg/kg/min for a peripheral line. Confirm if intended.");
  setup->confirmed = TRUE;
  g_assert_true (tt_case_setup_check_field (setup, TT_SETUP_START_RATE, NULL));
  /* A starting rate of 0.08 (observational practice) is within the limits: no step applies. */
  setup->confirmed = FALSE;
  setup->start_rate = 0.08;
  g_assert_true (tt_case_setup_check_field (setup, TT_SETUP_START_RATE, NULL));
  /* Above the hard limit confirmation does not help. */
  setup->confirmed = TRUE;
  setup->start_rate = 2;
  assert_field_error (setup, TT_SETUP_START_RATE, TT_DOSE_ERROR, TT_DOSE_ERROR_RATE,
                      "Rate 2.00 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  setup->confirmed = FALSE;
  setup->start_rate = 0.05;

  /* 30 µg at 20 µg/mL = 1.5 mL. */
  setup->bolus_ug = 30;
  assert_field_error (setup, TT_SETUP_BOLUS, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION,
                      "Rescue bolus 30 µg = 1.5 mL: 30 µg is above the bolus soft limit 20 µg. "
                      "Confirm if intended.");
  setup->bolus_ug = 60;
  assert_field_error (setup, TT_SETUP_BOLUS, TT_DOSE_ERROR, TT_DOSE_ERROR_BOLUS,
                      "Bolus 60 µg is outside 1–50 µg (hard limit)");
  setup->bolus_ug = 10;

  setup->syringe_ml = 200;
  assert_field_error (setup, TT_SETUP_SYRINGE, TT_CASE_ERROR, TT_CASE_ERROR_INVALID,
                      "Syringe volume 200 mL is outside 5–100 mL");
  setup->syringe_ml = 50;
  setup->dead_space_ml = 12;
  assert_field_error (setup, TT_SETUP_DEAD_SPACE, TT_DOSE_ERROR, TT_DOSE_ERROR_DEAD_SPACE,
                      "Dead space 12 mL is outside 0–10 mL");
}

static void
test_checklist_text (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  g_autoptr(GError) error = NULL;
  static const char *expected[][2] = {
    /* 0.05 × 72 × 60 / 20 = 10.8 mL/h; 60 / 10.8 = 5.6 → ≈ 6 min per mL. */
    { "Pump primed, line primed to the cannula",
      "Starting rate 10.8 mL/h: each unprimed mL delays the drug ≈ 6 min" },
    /* 20 µg/mL × 50 mL = 1000 µg = 1 mg. */
    { "Syringe preloaded: 1 mg in 50 mL = 20 µg/mL", "Matches the concentration in setup" },
    { "IV access secured and patent", "Carrier flow running" },
    { "Rescue bolus drawn: 10 µg in 0.5 mL", "Of 20 µg/mL, labelled, within reach" },
    { "Arterial line zeroed and levelled", "High-risk patient: invasive monitoring required" },
    { "MAP target agreed with the team: 77–97 mmHg",
      "Critical threshold 67 mmHg (lower bound − 10) [est]" },
  };

  g_assert_true (tt_case_set_setup (kase, setup, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tt_case_get_checklist (kase)), ==,
                    TT_N_CHECKLIST_ITEMS);
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    {
      TtChecklistItem *item = tt_case_get_checklist_item (kase, id);

      g_assert_cmpint (tt_checklist_item_get_id (item), ==, id);
      g_assert_cmpstr (tt_checklist_item_get_title (item), ==, expected[id][0]);
      g_assert_cmpstr (tt_checklist_item_get_detail (item), ==, expected[id][1]);
      g_assert_false (tt_checklist_item_get_done (item));
    }
  g_assert_cmpstr (tt_checklist_id_to_string (TT_CHECKLIST_RESCUE_BOLUS), ==, "rescue-bolus");
  {
    TtChecklistId id;

    g_assert_true (tt_checklist_id_from_string ("map-target", &id));
    g_assert_cmpint (id, ==, TT_CHECKLIST_MAP_TARGET);
    g_assert_false (tt_checklist_id_from_string ("coffee", &id));
  }
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_states (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = tt_case_new (FALSE, "HL7 monitor feed", 1700000000000);
  g_autoptr(GError) error = NULL;
  LogRecorder rec;
  guint state_notifies = 0;

  recorder_init (&rec, kase);
  g_signal_connect (kase, "notify::state", G_CALLBACK (notify_count_cb), &state_notifies);

  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_SETUP);
  g_assert_false (tt_case_get_training (kase));
  g_assert_cmpint (tt_case_get_start_unix_ms (kase), ==, 1700000000000);
  g_assert_null (tt_case_get_setup (kase));

  /* Nothing but the setup is possible in setup. */
  g_assert_false (tt_case_tick_item (kase, TT_CHECKLIST_IV_ACCESS, 0, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "Checklist: not possible while the case is in Setup.");
  g_clear_error (&error);
  g_assert_false (tt_case_start_induction (kase, 0, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_clear_error (&error);

  /* An invalid setup is refused and changes nothing. */
  setup->weight_kg = 10;
  g_assert_false (tt_case_set_setup (kase, setup, 1000, &error));
  g_assert_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_WEIGHT);
  g_clear_error (&error);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_SETUP);
  setup->weight_kg = 72;

  g_assert_true (tt_case_set_setup (kase, setup, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);
  g_assert_cmpstr (tt_case_get_setup (kase)->label, ==, "Case 0427");
  g_assert_cmpint (count_kind (&rec, "setup"), ==, 1);

  g_assert_false (tt_case_start_induction (kase, 2000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "Start induction: 0 of 6 checklist items are confirmed; "
                   "confirm the rest or override with a reason.");
  g_clear_error (&error);

  /* Ticks carry their time; the last one makes the case ready; an untick takes it back. */
  for (TtChecklistId id = 0; id < TT_N_CHECKLIST_ITEMS; id++)
    g_assert_true (tt_case_tick_item (kase, id, 2000 + id * 1000, NULL));
  g_assert_cmpint (tt_checklist_item_get_ticked_ms (tt_case_get_checklist_item (kase, 2)), ==,
                   4000);
  g_assert_cmpuint (tt_case_get_checklist_done (kase), ==, 6);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);
  g_assert_true (tt_case_untick_item (kase, TT_CHECKLIST_ARTERIAL_LINE, 9000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);
  g_assert_cmpint (tt_checklist_item_get_ticked_ms (tt_case_get_checklist_item (kase, 4)), ==,
                   -1);
  g_assert_true (tt_case_tick_item (kase, TT_CHECKLIST_ARTERIAL_LINE, 10000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);
  g_assert_cmpint (count_kind (&rec, "checklist-tick"), ==, 7);
  g_assert_cmpint (count_kind (&rec, "checklist-untick"), ==, 1);

  /* Times never go backwards. */
  g_assert_false (tt_case_start_induction (kase, 5000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_TIME);
  g_assert_cmpstr (error->message, ==, "Time 5000 ms is before the case clock (10000 ms); case "
                   "times never go backwards.");
  g_clear_error (&error);

  g_assert_true (tt_case_start_induction (kase, 60000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);
  g_assert_cmpint (tt_case_get_t0_ms (kase), ==, 60000);
  g_assert_cmpint (tt_case_get_events (kase)->len, ==, 2);   /* induction, rate */
  g_assert_cmpint (g_array_index (tt_case_get_events (kase), TtCaseEvent, 0).kind, ==,
                   TT_CASE_EVENT_INDUCTION);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.05);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate_mlh (kase), 10.8, EPS);

  g_assert_true (tt_case_add_event (kase, TT_CASE_EVENT_INTUBATION, NULL, 240000, NULL));
  g_assert_false (tt_case_add_event (kase, TT_CASE_EVENT_NOTE, "  ", 250000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Note: type the text of the note.");
  g_clear_error (&error);
  g_assert_false (tt_case_add_event (kase, TT_CASE_EVENT_BOLUS, NULL, 250000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tt_case_add_event (kase, TT_CASE_EVENT_NOTE, " arm repositioned ", 250000,
                                    NULL));
  g_assert_cmpstr (g_array_index (tt_case_get_events (kase), TtCaseEvent, 3).text, ==,
                   "arm repositioned");
  g_assert_cmpuint (g_array_index (tt_case_get_events (kase), TtCaseEvent, 3).id, ==, 4);

  /* 15 min after t0 the induction window ends. */
  g_assert_true (tt_case_tick (kase, 60000 + 15 * MIN_MS - 1, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INDUCTION);
  g_assert_true (tt_case_tick (kase, 60000 + 15 * MIN_MS, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_MAINTENANCE);

  /* Crash recovery: interrupted, then resumed where it was. */
  tt_case_interrupt (kase);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_INTERRUPTED);
  g_assert_false (tt_case_set_rate (kase, 0.06, FALSE, 60000 + 16 * MIN_MS, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (tt_case_resume (kase, 60000 + 20 * MIN_MS, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_MAINTENANCE);

  g_assert_true (tt_case_end (kase, 60000 + 30 * MIN_MS, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_ENDED);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0);
  g_assert_cmpint (tt_case_get_time_to_empty_ms (kase), ==, -1);
  /* 30 min at 10.8 mL/h = 5.4 mL = 108 µg. */
  g_assert_cmpfloat_with_epsilon (tt_case_get_infused_ml (kase), 5.4, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 108, EPS);
  g_assert_false (tt_case_add_event (kase, TT_CASE_EVENT_INCISION, NULL, 60000 + 31 * MIN_MS,
                                     &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "Incision: not possible while the case is in Ended.");
  g_clear_error (&error);
  g_assert_false (tt_case_end (kase, 60000 + 31 * MIN_MS, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_clear_error (&error);

  /* setup → checklist → ready → checklist → ready → induction → maintenance → interrupted →
   * maintenance → ended. */
  g_assert_cmpuint (state_notifies, ==, 9);
  g_assert_cmpint (count_kind (&rec, "state"), ==, 9);
  g_assert_cmpint (count_kind (&rec, "event"), ==, 4);  /* induction, intubation, note, end */
  g_assert_cmpint (count_kind (&rec, "rate"), ==, 1);
  recorder_clear (&rec);
}

static void
test_override (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  g_autoptr(GError) error = NULL;
  LogRecorder rec;
  GVariant *details;
  const char *reason;
  TtAlert *alert;

  recorder_init (&rec, kase);
  g_assert_true (tt_case_set_setup (kase, setup, 0, NULL));
  for (TtChecklistId id = 0; id < 3; id++)
    g_assert_true (tt_case_tick_item (kase, id, 1000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);

  g_assert_false (tt_case_override_checklist (kase, " \t", 2000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Override: type the reason why induction starts with the "
                   "checklist incomplete; it is logged and shown in the report.");
  g_clear_error (&error);
  g_assert_null (tt_case_get_override_reason (kase));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);

  g_assert_true (tt_case_override_checklist (kase, " Emergency: bleeding ", 3000, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tt_case_get_override_reason (kase), ==, "Emergency: bleeding");
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);
  details = last_of_kind (&rec, "checklist-override");
  g_assert_nonnull (details);
  g_assert_true (g_variant_lookup (details, "reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "Emergency: bleeding");
  g_assert_true (g_variant_lookup (details, "rescue-bolus", "&s", &reason));
  g_assert_cmpstr (reason, ==, "open");

  /* The override is a low-priority alert until acknowledged. */
  alert = tt_case_find_alert (kase, TT_ALERT_CHECKLIST_OVERRIDE);
  g_assert_nonnull (alert);
  g_assert_cmpint (tt_alert_get_priority (alert), ==, TT_ALERT_PRIORITY_LOW);
  g_assert_cmpstr (tt_alert_get_text (alert), ==,
                   "Checklist overridden (3 of 6 confirmed): Emergency: bleeding");

  /* Unticking does not undo an override; a second override is not possible. */
  g_assert_true (tt_case_untick_item (kase, TT_CHECKLIST_SYRINGE, 3500, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);
  g_assert_false (tt_case_override_checklist (kase, "again", 3600, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (tt_case_start_induction (kase, 4000, NULL));
  g_assert_cmpstr (g_array_index (tt_case_get_events (kase), TtCaseEvent, 0).text, ==,
                   "Emergency: bleeding");
  g_assert_true (tt_case_acknowledge_alert (kase, TT_ALERT_CHECKLIST_OVERRIDE, 5000, NULL));
  g_assert_null (tt_case_find_alert (kase, TT_ALERT_CHECKLIST_OVERRIDE));
  g_assert_cmpint (count_kind (&rec, "alert-raised"), ==, 1);
  g_assert_cmpint (count_kind (&rec, "alert-acknowledged"), ==, 1);
  g_assert_false (tt_case_acknowledge_alert (kase, TT_ALERT_CHECKLIST_OVERRIDE, 5000, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  recorder_clear (&rec);
}

static void
test_edit_setup (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = tt_case_new (TRUE, "virtual patient", 0);
  guint label_notifies = 0;

  g_signal_connect (kase, "notify::label", G_CALLBACK (notify_count_cb), &label_notifies);
  g_assert_true (tt_case_set_setup (kase, setup, 0, NULL));
  tick_all (kase, 1000);
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);

  g_assert_true (tt_case_edit_setup (kase, 2000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_SETUP);
  /* Unchanged setup: every tick holds. */
  g_assert_true (tt_case_set_setup (kase, setup, 3000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_READY);

  /* A new concentration changes what the pump, syringe and bolus items confirmed. */
  g_assert_true (tt_case_edit_setup (kase, 4000, NULL));
  setup->concentration = 80;
  g_assert_true (tt_case_set_setup (kase, setup, 5000, NULL));
  g_assert_cmpint (tt_case_get_state (kase), ==, TT_CASE_STATE_CHECKLIST);
  g_assert_cmpuint (tt_case_get_checklist_done (kase), ==, 3);
  g_assert_false (tt_checklist_item_get_done (tt_case_get_checklist_item (kase, 0)));
  g_assert_false (tt_checklist_item_get_done (tt_case_get_checklist_item (kase, 1)));
  g_assert_true (tt_checklist_item_get_done (tt_case_get_checklist_item (kase, 2)));
  g_assert_false (tt_checklist_item_get_done (tt_case_get_checklist_item (kase, 3)));
  g_assert_cmpint (tt_checklist_item_get_ticked_ms (tt_case_get_checklist_item (kase, 5)), ==,
                   1000);
  /* 80 µg/mL × 50 mL = 4 mg; 10 µg = 0.125 mL, shown to 0.01 mL. */
  g_assert_cmpstr (tt_checklist_item_get_title (tt_case_get_checklist_item (kase, 1)), ==,
                   "Syringe preloaded: 4 mg in 50 mL = 80 µg/mL");
  g_assert_cmpstr (tt_checklist_item_get_title (tt_case_get_checklist_item (kase, 3)), ==,
                   "Rescue bolus drawn: 10 µg in 0.13 mL");
  /* 0.05 × 72 × 60 / 80 = 2.7 mL/h; 60 / 2.7 = 22.2 → 22 min. */
  g_assert_cmpstr (tt_checklist_item_get_detail (tt_case_get_checklist_item (kase, 0)), ==,
                   "Starting rate 2.7 mL/h: each unprimed mL delays the drug ≈ 22 min");
  g_assert_cmpuint (label_notifies, ==, 1);
}

static void
test_infusion (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = running_case (setup);
  g_autoptr(GError) error = NULL;
  GArray *changes;
  gint64 t0 = MIN_MS;

  /* 0.05 µg/kg/min × 72 kg = 3.6 µg/min = 10.8 mL/h at 20 µg/mL. 10 min: 1.8 mL = 36 µg. */
  g_assert_true (tt_case_tick (kase, t0 + 10 * MIN_MS, NULL));
  g_assert_cmpfloat_with_epsilon (tt_case_get_infused_ml (kase), 1.8, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 36, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug_per_kg (kase), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (kase), 48.2, EPS);
  /* 48.2 mL / 10.8 mL/h = 4.46296 h = 16 066 667 ms. */
  g_assert_cmpint (tt_case_get_time_to_empty_ms (kase), ==, 16066667);

  /* Doubling is allowed without confirmation (not more than 2×, not more than 0.05). */
  g_assert_true (tt_case_set_rate (kase, 0.1, FALSE, t0 + 10 * MIN_MS, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate_mlh (kase), 21.6, EPS);
  /* 5 min at 21.6 mL/h = 1.8 mL; total 3.6 mL = 72 µg; a 10 µg bolus → 82 µg = 1.1389 µg/kg. */
  g_assert_true (tt_case_give_bolus (kase, 10, FALSE, t0 + 15 * MIN_MS, NULL));
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 1);
  g_assert_cmpint (tt_case_get_last_bolus_ms (kase), ==, t0 + 15 * MIN_MS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_infused_ml (kase), 3.6, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 82, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug_per_kg (kase), 82.0 / 72.0, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (kase), 46.4, EPS);
  /* 46.4 / 21.6 h = 2.148148 h = 7 733 333 ms. */
  g_assert_cmpint (tt_case_get_time_to_empty_ms (kase), ==, 7733333);

  /* The 10-fold guard on a direct change: 0.1 → 0.2 is 0.1 µg/kg/min at once. */
  g_assert_false (tt_case_set_rate (kase, 0.2, FALSE, t0 + 16 * MIN_MS, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION);
  g_assert_cmpstr (error->message, ==, "Rate 0.20 µg/kg/min = 43.2 mL/h: A change of "
                   "+0.10 µg/kg/min is more than 2× or 0.05 µg/kg/min in one step. Confirm if "
                   "intended.");
  g_clear_error (&error);
  g_assert_false (tt_case_set_rate (kase, 1.5, TRUE, t0 + 16 * MIN_MS, &error));
  g_assert_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_RATE);
  g_assert_cmpstr (error->message, ==, "Rate 1.50 µg/kg/min is outside 0–1.00 µg/kg/min (hard "
                   "limit)");
  g_clear_error (&error);
  g_assert_false (tt_case_give_bolus (kase, 25, FALSE, t0 + 16 * MIN_MS, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_NEEDS_CONFIRMATION);
  g_clear_error (&error);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.1);

  /* Above the soft limit with confirmation: a medium alert while it lasts. 0.25 → 54 mL/h. */
  g_assert_true (tt_case_set_rate (kase, 0.25, TRUE, t0 + 16 * MIN_MS, NULL));
  g_assert_cmpstr (tt_alert_get_text (tt_case_find_alert (kase, TT_ALERT_SOFT_LIMIT)), ==,
                   "Rate 0.25 µg/kg/min = 54.0 mL/h is above the soft limit 0.20 µg/kg/min = "
                   "43.2 mL/h");
  g_assert_true (tt_case_set_rate (kase, 0.2, FALSE, t0 + 17 * MIN_MS, NULL));
  g_assert_null (tt_case_find_alert (kase, TT_ALERT_SOFT_LIMIT));
  /* Stopping is a change like any other: 0.2 → 0 is more than 0.05, so it needs confirmation. */
  g_assert_true (tt_case_set_rate (kase, 0, TRUE, t0 + 18 * MIN_MS, NULL));
  g_assert_cmpint (tt_case_get_time_to_empty_ms (kase), ==, -1);

  changes = tt_case_get_rate_changes (kase);
  g_assert_cmpuint (changes->len, ==, 5);
  g_assert_cmpint (g_array_index (changes, TtRateChange, 0).t_ms, ==, t0);
  g_assert_cmpfloat (g_array_index (changes, TtRateChange, 1).rate, ==, 0.1);
  g_assert_cmpint (g_array_index (changes, TtRateChange, 4).t_ms, ==, t0 + 18 * MIN_MS);
  g_assert_cmpint (tt_case_get_last_rate_change_ms (kase), ==, t0 + 18 * MIN_MS);
}

static void
test_syringe (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = NULL;
  TtAlert *alert;
  gint64 t0 = MIN_MS;

  setup->syringe_ml = 5;
  kase = running_case (setup);
  /* 5 mL at 10.8 mL/h lasts 27.8 min: no alert yet. */
  g_assert_null (tt_case_find_alert (kase, TT_ALERT_SYRINGE_EMPTY));
  /* After 13 min: 5 − 2.34 = 2.66 mL left, empty in 2.66 / 10.8 h = 14.8 min → "15 min". */
  g_assert_true (tt_case_tick (kase, t0 + 13 * MIN_MS, NULL));
  alert = tt_case_find_alert (kase, TT_ALERT_SYRINGE_EMPTY);
  g_assert_nonnull (alert);
  g_assert_cmpint (tt_alert_get_priority (alert), ==, TT_ALERT_PRIORITY_LOW);
  g_assert_cmpstr (tt_alert_get_text (alert), ==,
                   "Syringe empty in 15 min at 10.8 mL/h (2.7 mL left)");
  /* After 40 min the syringe is empty: delivery stops at 5 mL = 100 µg. */
  g_assert_true (tt_case_tick (kase, t0 + 40 * MIN_MS, NULL));
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (kase), 0, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 100, EPS);
  g_assert_cmpint (tt_case_get_time_to_empty_ms (kase), ==, 0);
  g_assert_cmpstr (tt_alert_get_text (alert), ==,
                   "Syringe empty at 10.8 mL/h: the infusion is not running");
  /* A new 50 mL syringe: the alert clears; another 10 min add 1.8 mL = 36 µg. */
  g_assert_true (tt_case_replace_syringe (kase, 50, t0 + 41 * MIN_MS, NULL));
  g_assert_null (tt_case_find_alert (kase, TT_ALERT_SYRINGE_EMPTY));
  g_assert_true (tt_case_tick (kase, t0 + 51 * MIN_MS, NULL));
  g_assert_cmpfloat_with_epsilon (tt_case_get_syringe_left_ml (kase), 48.2, EPS);
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 136, EPS);
}

static void
test_answers (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = running_case (setup);
  g_autoptr(TtCaseAdvice) advice = NULL;
  g_autoptr(GError) error = NULL;
  LogRecorder rec;
  GVariant *details;
  const char *text;
  GArray *changes;
  gint64 t0 = MIN_MS;

  recorder_init (&rec, kase);
  g_assert_false (tt_case_accept_advice (kase, t0, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_STATE);
  g_assert_cmpstr (error->message, ==, "Accept: there is no advice to answer.");
  g_clear_error (&error);

  /* Accepted: the advised rate becomes the infusion. */
  advice = tt_case_advice_new (t0 + MIN_MS, 0.07, 0, "Increase to 0.07 µg/kg/min",
                               "MAP 74 is below the band and falling");
  tt_case_set_advice (kase, advice);
  g_assert_cmpuint (tt_case_get_advice (kase)->id, ==, 1);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.05);   /* advice alone changes nothing */
  g_assert_true (tt_case_accept_advice (kase, t0 + MIN_MS, NULL));
  g_assert_null (tt_case_get_advice (kase));
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.07);
  /* 0.07 × 72 × 60 / 20 = 15.12 mL/h. */
  g_assert_cmpfloat_with_epsilon (tt_case_get_rate_mlh (kase), 15.12, EPS);

  /* Changed: the rate the clinician actually set, not the advised one. */
  g_clear_pointer (&advice, tt_case_advice_free);
  advice = tt_case_advice_new (t0 + 3 * MIN_MS, 0.09, 0, "Increase to 0.09 µg/kg/min", "…");
  tt_case_set_advice (kase, advice);
  g_assert_true (tt_case_change_advice (kase, 0.08, FALSE, t0 + 3 * MIN_MS, NULL));
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.08);

  /* Declined: a reason is required; the infusion stays. */
  g_clear_pointer (&advice, tt_case_advice_free);
  advice = tt_case_advice_new (t0 + 5 * MIN_MS, 0.12, 0, "Increase to 0.12 µg/kg/min", "…");
  tt_case_set_advice (kase, advice);
  g_assert_false (tt_case_decline_advice (kase, "", t0 + 5 * MIN_MS, &error));
  g_assert_error (error, TT_CASE_ERROR, TT_CASE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Decline: pick or type a reason; it is logged.");
  g_clear_error (&error);
  g_assert_nonnull (tt_case_get_advice (kase));
  g_assert_true (tt_case_decline_advice (kase, "Surgical stimulation expected", t0 + 5 * MIN_MS,
                                         NULL));
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.08);
  details = last_of_kind (&rec, "answer");
  g_assert_true (g_variant_lookup (details, "answer", "&s", &text));
  g_assert_cmpstr (text, ==, "declined");
  g_assert_true (g_variant_lookup (details, "reason", "&s", &text));
  g_assert_cmpstr (text, ==, "Surgical stimulation expected");

  /* A bolus advice accepted gives the bolus; the rate stays. */
  g_clear_pointer (&advice, tt_case_advice_free);
  advice = tt_case_advice_new (t0 + 6 * MIN_MS, NAN, 10, "Give rescue bolus 10 µg", "MAP 53");
  tt_case_set_advice (kase, advice);
  g_assert_cmpuint (tt_case_get_advice (kase)->id, ==, 4);
  g_assert_true (tt_case_accept_advice (kase, t0 + 6 * MIN_MS, NULL));
  g_assert_cmpuint (tt_case_get_bolus_count (kase), ==, 1);
  g_assert_cmpfloat (tt_case_get_rate (kase), ==, 0.08);

  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_ACCEPTED), ==, 2);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_CHANGED), ==, 1);
  g_assert_cmpuint (tt_case_get_answer_count (kase, TT_ANSWER_DECLINED), ==, 1);
  changes = tt_case_get_rate_changes (kase);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpint (g_array_index (changes, TtRateChange, 1).answer, ==, TT_ANSWER_ACCEPTED);
  g_assert_cmpint (g_array_index (changes, TtRateChange, 2).answer, ==, TT_ANSWER_CHANGED);
  /* Delivered: 1 min at 10.8, 2 min at 15.12, 3 min at 17.28 mL/h = 0.18 + 0.504 + 0.864 =
   * 1.548 mL = 30.96 µg, plus the 10 µg bolus = 40.96 µg. */
  g_assert_cmpfloat_with_epsilon (tt_case_get_total_ug (kase), 40.96, 1e-9);
  g_assert_cmpint (count_kind (&rec, "advice"), ==, 4);
  g_assert_cmpint (count_kind (&rec, "answer"), ==, 4);
  recorder_clear (&rec);
}

static void
test_signal_alerts (void)
{
  g_autoptr(TtCaseSetup) setup = wireframe_setup ();
  g_autoptr(TtCase) kase = running_case (setup);
  GListModel *alerts = tt_case_get_alerts (kase);
  TtSignalState s = { .valid = TRUE, .quality = TT_QUALITY_VALID, .last_valid_ms = 0 };
  g_autoptr(TtAlert) first = NULL;

  s.t_ms = 2 * MIN_MS;
  s.map = 70;
  tt_case_update_signal (kase, &s);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 0);

  s.t_ms += 1000;
  s.map = 55;
  tt_case_update_signal (kase, &s);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 1);
  g_assert_cmpstr (tt_alert_get_text (tt_case_find_alert (kase, TT_ALERT_MAP_CRITICAL)), ==,
                   "MAP 55 mmHg is below the critical threshold 67 mmHg");
  g_assert_true (tt_case_acknowledge_alert (kase, TT_ALERT_MAP_CRITICAL, s.t_ms, NULL));
  g_assert_true (tt_alert_get_acknowledged (tt_case_find_alert (kase, TT_ALERT_MAP_CRITICAL)));

  /* 12 s without a valid sample: the medium alert comes after the high one. */
  s.last_valid_ms = s.t_ms;
  s.t_ms += 12000;
  s.valid = FALSE;
  s.stale = TRUE;
  s.map = NAN;
  tt_case_update_signal (kase, &s);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 2);
  first = g_list_model_get_item (alerts, 0);
  g_assert_cmpint (tt_alert_get_kind (first), ==, TT_ALERT_MAP_CRITICAL);
  g_assert_cmpstr (tt_alert_get_text (tt_case_find_alert (kase, TT_ALERT_NO_SIGNAL)), ==,
                   "No valid arterial signal for 12 s: advice held");

  s.stale = FALSE;
  s.quality = TT_QUALITY_FLUSH;
  s.t_ms += 1000;
  tt_case_update_signal (kase, &s);
  g_assert_cmpstr (tt_alert_get_text (tt_case_find_alert (kase, TT_ALERT_NO_SIGNAL)), ==,
                   "Artifact: Line flush; advice held");

  /* A late step is ignored; a valid MAP in range clears both. */
  s.t_ms -= 5000;
  s.valid = TRUE;
  s.map = 80;
  tt_case_update_signal (kase, &s);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 2);
  s.t_ms += 10000;
  tt_case_update_signal (kase, &s);
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 0);
  g_assert_cmpint (tt_case_get_now_ms (kase), ==, s.t_ms);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case/default-band", test_default_band);
  g_test_add_func ("/case/limits", test_limits);
  g_test_add_func ("/case/band-rule", test_band_rule);
  g_test_add_func ("/case/limits-override", test_limits_override);
  g_test_add_func ("/case/setup-check", test_setup_check);
  g_test_add_func ("/case/checklist-text", test_checklist_text);
  g_test_add_func ("/case/states", test_states);
  g_test_add_func ("/case/override", test_override);
  g_test_add_func ("/case/edit-setup", test_edit_setup);
  g_test_add_func ("/case/infusion", test_infusion);
  g_test_add_func ("/case/syringe", test_syringe);
  g_test_add_func ("/case/answers", test_answers);
  g_test_add_func ("/case/signal-alerts", test_signal_alerts);

  return g_test_run ();
}
