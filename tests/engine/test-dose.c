/* test-dose.c: dose arithmetic, validation messages, limits and the 10-fold guard, against the
 * worked examples of CLINICAL.md §2 and the monitor wireframe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-dose.h"

static void
test_rate_examples (void)
{
  g_autofree char *both = NULL;
  g_autofree char *at80 = NULL;

  /* CLINICAL.md §2: 70 kg, 0.05 µg/kg/min = 3.5 µg/min = 10.5 mL/h at 20 µg/mL, 2.6 at 80. */
  g_assert_cmpfloat_with_epsilon (tt_dose_ug_min (0.05, 70), 3.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_ml_h (0.05, 70, 20), 10.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_ml_h (0.05, 70, 80), 2.625, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_round_ml_h (2.625), 2.6, 1e-12);
  at80 = tt_dose_format_ml_h (tt_dose_ml_h (0.05, 70, 80));
  g_assert_cmpstr (at80, ==, "2.6 mL/h");

  /* And back. */
  g_assert_cmpfloat_with_epsilon (tt_dose_rate_from_ml_h (10.5, 70, 20), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_rate_from_ug_min (3.5, 70), 0.05, 1e-12);

  /* The wireframe: 72 kg, 20 µg/mL, 0.11 µg/kg/min = 23.76 ≈ 23.8 mL/h. */
  g_assert_cmpfloat_with_epsilon (tt_dose_ml_h (0.11, 72, 20), 23.76, 1e-9);
  g_assert_cmpfloat_with_epsilon (tt_dose_round_ml_h (23.76), 23.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_rate_from_ml_h (23.76, 72, 20), 0.11, 1e-12);
  both = tt_dose_format_rate_both (0.11, 72, 20);
  g_assert_cmpstr (both, ==, "0.11 µg/kg/min = 23.8 mL/h");

  /* No division by zero from an unset concentration or weight. */
  g_assert_cmpfloat (tt_dose_ml_h (0.05, 70, 0), ==, 0);
  g_assert_cmpfloat (tt_dose_rate_from_ml_h (10, 0, 20), ==, 0);
}

static void
test_bolus_examples (void)
{
  g_autofree char *text = NULL;

  /* The wireframe: a 10 µg bolus of 20 µg/mL is 0.5 mL. */
  g_assert_cmpfloat_with_epsilon (tt_dose_bolus_ml (10, 20), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_bolus_ug (0.5, 20), 10, 1e-12);
  text = tt_dose_format_bolus (10, 20);
  g_assert_cmpstr (text, ==, "10 µg = 0.5 mL");
  g_clear_pointer (&text, g_free);
  /* 5 µg of 80 µg/mL: 0.0625 mL, shown to 0.01 mL. */
  text = tt_dose_format_bolus (5, 80);
  g_assert_cmpstr (text, ==, "5 µg = 0.06 mL");
}

static void
test_syringe_and_line (void)
{
  gint64 ms = 0;
  g_autofree char *delay = NULL;
  g_autofree char *empty = NULL;

  /* CLINICAL.md §2: 1 mL of unprimed line at 2.6 mL/h ≈ 23 min (1/2.6 h = 1 384 615 ms). */
  g_assert_true (tt_dose_transport_delay_ms (1.0, 2.6, &ms));
  g_assert_cmpint (ms, ==, 1384615);
  delay = tt_dose_format_duration (ms);
  g_assert_cmpstr (delay, ==, "23 min");
  g_assert_false (tt_dose_transport_delay_ms (1.0, 0, &ms));

  /* 50 mL at 10.5 mL/h for one hour leaves 39.5 mL, empty after 39.5/10.5 h = 3 h 46 min. */
  g_assert_cmpfloat_with_epsilon (tt_dose_volume_ml (10.5, 3600000), 10.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (tt_dose_syringe_left_ml (50, 10.5, 3600000), 39.5, 1e-12);
  g_assert_cmpfloat (tt_dose_syringe_left_ml (5, 10.5, 3600000), ==, 0);
  g_assert_true (tt_dose_time_to_empty_ms (39.5, 10.5, &ms));
  g_assert_cmpint (ms, ==, 13542857);
  empty = tt_dose_format_duration (ms);
  g_assert_cmpstr (empty, ==, "3 h 46 min");
  g_clear_pointer (&empty, g_free);

  /* The wireframe: 41.6 mL left at 23.8 mL/h, empty in 1 h 45 min. */
  g_assert_true (tt_dose_time_to_empty_ms (41.6, 23.8, &ms));
  empty = tt_dose_format_duration (ms);
  g_assert_cmpstr (empty, ==, "1 h 45 min");
  g_clear_pointer (&empty, g_free);
  empty = tt_dose_format_duration (40400);
  g_assert_cmpstr (empty, ==, "40 s");

  /* A stopped pump never empties the syringe. */
  g_assert_false (tt_dose_time_to_empty_ms (41.6, 0, &ms));
  g_assert_false (tt_dose_time_to_empty_ms (41.6, NAN, &ms));
}

static void
test_formatting (void)
{
  struct { double rate; const char *text; } rates[] = {
    { 0.11, "0.11 µg/kg/min" },
    { 1.0, "1.00 µg/kg/min" },
    { 0.105, "0.105 µg/kg/min" },
    { 0.09 + 0.02, "0.11 µg/kg/min" },
    { -0.0, "0.00 µg/kg/min" },
  };
  struct { double change; const char *text; } changes[] = {
    { 0.02, "+0.02 µg/kg/min" },
    { -0.02, "−0.02 µg/kg/min" },
    { 0, "+0.00 µg/kg/min" },
  };
  struct { double ml_h; const char *text; } volumes[] = {
    { 23.76, "23.8 mL/h" },
    { 0.75, "0.75 mL/h" },
    { 0.045, "0.05 mL/h" },
    { 10.5, "10.5 mL/h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      g_autofree char *text = tt_dose_format_rate (rates[i].rate);
      g_assert_cmpstr (text, ==, rates[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autofree char *text = tt_dose_format_change (changes[i].change);
      g_assert_cmpstr (text, ==, changes[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (volumes); i++)
    {
      g_autofree char *text = tt_dose_format_ml_h (volumes[i].ml_h);
      g_assert_cmpstr (text, ==, volumes[i].text);
    }
}

static void
assert_error (GError     *error,
              int         code,
              const char *message)
{
  g_assert_error (error, TT_DOSE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_validation (void)
{
  TtLimits central;
  TtLimits peripheral;
  struct { double value; const char *message; } weights[] = {
    { 300, "Weight 300 kg is outside 30–250 kg" },
    { 29.5, "Weight 29.5 kg is outside 30–250 kg" },
    { -70, "Weight -70 kg is outside 30–250 kg" },
    { NAN, "Weight NaN kg is outside 30–250 kg" },
  };
  struct { double value; const char *message; } concentrations[] = {
    { 250, "Concentration 250 µg/mL is outside 1–200 µg/mL" },
    { 0.5, "Concentration 0.5 µg/mL is outside 1–200 µg/mL" },
    { 0, "Concentration 0 µg/mL is outside 1–200 µg/mL" },
  };

  tt_limits_init (&central, TT_LINE_CENTRAL);
  tt_limits_init (&peripheral, TT_LINE_PERIPHERAL);

  g_assert_true (tt_dose_validate_weight (30, NULL));
  g_assert_true (tt_dose_validate_weight (72, NULL));
  g_assert_true (tt_dose_validate_weight (250, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (tt_dose_validate_weight (weights[i].value, &error));
      assert_error (error, TT_DOSE_ERROR_WEIGHT, weights[i].message);
    }

  g_assert_true (tt_dose_validate_concentration (1, NULL));
  g_assert_true (tt_dose_validate_concentration (200, NULL));
  g_assert_true (tt_dose_validate_concentration (33.3, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (concentrations); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (tt_dose_validate_concentration (concentrations[i].value, &error));
      assert_error (error, TT_DOSE_ERROR_CONCENTRATION, concentrations[i].message);
    }

  {
    guint n = 0;
    const double *list = tt_dose_standard_concentrations (&n);
    const double expected[] = { 4, 5, 10, 16, 20, 40, 80 };

    g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < n; i++)
      {
        g_assert_cmpfloat (list[i], ==, expected[i]);
        g_assert_true (tt_dose_is_standard_concentration (expected[i]));
      }
    g_assert_false (tt_dose_is_standard_concentration (33.3));
  }

  g_assert_true (tt_dose_validate_rate (&central, 0, NULL));
  g_assert_true (tt_dose_validate_rate (&central, 1.0, NULL));
  g_assert_true (tt_dose_validate_rate (&peripheral, 0.5, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_rate (&central, 1.2, &error));
    assert_error (error, TT_DOSE_ERROR_RATE,
                  "Rate 1.20 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_rate (&central, -0.05, &error));
    assert_error (error, TT_DOSE_ERROR_RATE,
                  "Rate -0.05 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_rate (&central, NAN, &error));
    assert_error (error, TT_DOSE_ERROR_RATE,
                  "Rate NaN µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  }

  g_assert_true (tt_dose_validate_bolus (&central, 1, NULL));
  g_assert_true (tt_dose_validate_bolus (&central, 50, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_bolus (&central, 60, &error));
    assert_error (error, TT_DOSE_ERROR_BOLUS, "Bolus 60 µg is outside 1–50 µg (hard limit)");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_bolus (&central, 0.5, &error));
    assert_error (error, TT_DOSE_ERROR_BOLUS, "Bolus 0.5 µg is outside 1–50 µg (hard limit)");
  }

  g_assert_true (tt_dose_validate_dead_space (0, NULL));
  g_assert_true (tt_dose_validate_dead_space (10, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (tt_dose_validate_dead_space (12, &error));
    assert_error (error, TT_DOSE_ERROR_DEAD_SPACE, "Dead space 12 mL is outside 0–10 mL");
  }
}

static void
test_limits (void)
{
  TtLimits limits;

  tt_limits_init (&limits, TT_LINE_PERIPHERAL);
  g_assert_cmpint (limits.line, ==, TT_LINE_PERIPHERAL);
  g_assert_cmpfloat (limits.rate_soft_min, ==, 0.01);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.2);
  g_assert_cmpfloat (limits.rate_hard_max, ==, 1.0);
  g_assert_cmpfloat (limits.step_ratio, ==, 2);
  g_assert_cmpfloat (limits.step_abs, ==, 0.05);
  g_assert_cmpfloat (limits.bolus_soft_max, ==, 20);
  g_assert_cmpfloat (limits.bolus_hard_max, ==, 50);
  g_assert_cmpfloat (limits.guard_ratio, ==, 5);
  g_assert_true (tt_limits_validate (&limits, NULL));

  tt_limits_init (&limits, TT_LINE_CENTRAL);
  g_assert_cmpfloat (limits.rate_soft_max, ==, 0.3);
  g_assert_true (tt_limits_validate (&limits, NULL));

  {
    g_autoptr(GError) error = NULL;
    limits.rate_hard_max = 0.4;
    limits.rate_soft_max = 0.5;
    g_assert_false (tt_limits_validate (&limits, &error));
    assert_error (error, TT_DOSE_ERROR_LIMITS,
                  "Limit soft maximum rate = 0.50 µg/kg/min: must be above 0 and at most the "
                  "hard maximum");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_limits_init (&limits, TT_LINE_CENTRAL);
    limits.rate_hard_max = 2.0;
    g_assert_false (tt_limits_validate (&limits, &error));
    assert_error (error, TT_DOSE_ERROR_LIMITS,
                  "Limit hard maximum rate = 2.00 µg/kg/min: must be above 0 and at most "
                  "1.00 µg/kg/min");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_limits_init (&limits, TT_LINE_CENTRAL);
    limits.bolus_soft_max = 30;
    limits.bolus_hard_max = 25;
    g_assert_false (tt_limits_validate (&limits, &error));
    assert_error (error, TT_DOSE_ERROR_LIMITS,
                  "Limit soft maximum bolus = 30 µg: must be at least 1 µg and at most the hard "
                  "maximum");
  }
  {
    g_autoptr(GError) error = NULL;
    tt_limits_init (&limits, TT_LINE_CENTRAL);
    limits.guard_ratio = 1;
    g_assert_false (tt_limits_validate (&limits, &error));
    assert_error (error, TT_DOSE_ERROR_LIMITS,
                  "Limit 10-fold guard ratio = 1×: must be above 1× and at most 10×");
  }
}

static void
test_rate_guard (void)
{
  TtLimits central;
  TtLimits peripheral;

  tt_limits_init (&central, TT_LINE_CENTRAL);
  tt_limits_init (&peripheral, TT_LINE_PERIPHERAL);

  /* An ordinary step, and the INDUCT starting rate from a stopped pump. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.05, 0.07, &reason, NULL), ==,
                     TT_DOSE_CHECK_OK);
    g_assert_null (reason);
    g_assert_cmpint (tt_dose_check_rate (&central, 0, 0.05, &reason, NULL), ==,
                     TT_DOSE_CHECK_OK);
    g_assert_cmpint (tt_dose_check_rate (&central, 0.05, 0, &reason, NULL), ==,
                     TT_DOSE_CHECK_OK);
  }

  /* The decimal error CLINICAL.md §2 describes: 0.8 typed for 0.08. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.08, 0.8, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==,
                     "0.80 µg/kg/min is 10× the current 0.08 µg/kg/min: check for a decimal "
                     "error. 0.80 µg/kg/min is above the soft limit 0.30 µg/kg/min for a central "
                     "line. A change of +0.72 µg/kg/min is more than 2× or 0.05 µg/kg/min in one "
                     "step.");
  }

  /* Exactly 5× the current rate is enough for the guard. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.01, 0.05, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==,
                     "0.05 µg/kg/min is 5× the current 0.01 µg/kg/min: check for a decimal "
                     "error. A change of +0.04 µg/kg/min is more than 2× or 0.05 µg/kg/min in "
                     "one step.");
  }

  /* Above the peripheral soft limit only. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&peripheral, 0.19, 0.22, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==,
                     "0.22 µg/kg/min is above the soft limit 0.20 µg/kg/min for a peripheral "
                     "line.");
    g_clear_pointer (&reason, g_free);
    g_assert_cmpint (tt_dose_check_rate (&central, 0.19, 0.22, &reason, NULL), ==,
                     TT_DOSE_CHECK_OK);
  }

  /* Below the soft minimum. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.02, 0.005, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==, "0.005 µg/kg/min is below the soft minimum 0.01 µg/kg/min.");
  }

  /* A large decrease is a large step too. */
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.2, 0.1, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==,
                     "A change of −0.10 µg/kg/min is more than 2× or 0.05 µg/kg/min in one step.");
  }

  /* Above the hard limit: refused, whatever the current rate. */
  {
    g_autofree char *reason = NULL;
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (tt_dose_check_rate (&central, 0.5, 1.5, &reason, &error), ==,
                     TT_DOSE_CHECK_REFUSED);
    g_assert_null (reason);
    assert_error (error, TT_DOSE_ERROR_RATE,
                  "Rate 1.50 µg/kg/min is outside 0–1.00 µg/kg/min (hard limit)");
  }
}

static void
test_bolus_guard (void)
{
  TtLimits limits;

  tt_limits_init (&limits, TT_LINE_PERIPHERAL);

  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_bolus (&limits, 10, 10, &reason, NULL), ==, TT_DOSE_CHECK_OK);
    g_assert_cmpint (tt_dose_check_bolus (&limits, 10, 20, &reason, NULL), ==, TT_DOSE_CHECK_OK);
    g_assert_null (reason);
  }
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_bolus (&limits, 10, 25, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==, "25 µg is above the bolus soft limit 20 µg.");
  }
  {
    g_autofree char *reason = NULL;
    g_assert_cmpint (tt_dose_check_bolus (&limits, 10, 50, &reason, NULL), ==,
                     TT_DOSE_CHECK_CONFIRM);
    g_assert_cmpstr (reason, ==,
                     "50 µg is 5× the 10 µg drawn: check for a decimal error. 50 µg is above the "
                     "bolus soft limit 20 µg.");
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (tt_dose_check_bolus (&limits, 10, 100, NULL, &error), ==,
                     TT_DOSE_CHECK_REFUSED);
    assert_error (error, TT_DOSE_ERROR_BOLUS, "Bolus 100 µg is outside 1–50 µg (hard limit)");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dose/rate-examples", test_rate_examples);
  g_test_add_func ("/dose/bolus-examples", test_bolus_examples);
  g_test_add_func ("/dose/syringe-and-line", test_syringe_and_line);
  g_test_add_func ("/dose/formatting", test_formatting);
  g_test_add_func ("/dose/validation", test_validation);
  g_test_add_func ("/dose/limits", test_limits);
  g_test_add_func ("/dose/rate-guard", test_rate_guard);
  g_test_add_func ("/dose/bolus-guard", test_bolus_guard);

  return g_test_run ();
}
