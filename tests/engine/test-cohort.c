/* test-cohort.c: cohort files, allocation and the population drawn from a cohort.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "tt-cohort.h"

static void
assert_distribution_equal (const TtCohortDistribution *a,
                           const TtCohortDistribution *b)
{
  g_assert_cmpfloat (a->mean, ==, b->mean);
  g_assert_cmpfloat (a->sd, ==, b->sd);
  g_assert_cmpfloat (a->min, ==, b->min);
  g_assert_cmpfloat (a->max, ==, b->max);
}

/* Field by field: padding bytes of a struct copy are not defined. */
static void
assert_cohort_equal (const TtCohort *a,
                     const TtCohort *b)
{
  g_assert_cmpuint (a->patients, ==, b->patients);
  g_assert_cmpfloat (a->duration_min, ==, b->duration_min);
  g_assert_cmpmem (a->arm_weight, sizeof a->arm_weight, b->arm_weight, sizeof b->arm_weight);
  assert_distribution_equal (&a->age, &b->age);
  assert_distribution_equal (&a->weight, &b->weight);
  assert_distribution_equal (&a->baseline_map, &b->baseline_map);
  g_assert_cmpfloat (a->sensitivity_cv_pct, ==, b->sensitivity_cv_pct);
  g_assert_cmpfloat (a->multiplier_min, ==, b->multiplier_min);
  g_assert_cmpfloat (a->multiplier_max, ==, b->multiplier_max);
  g_assert_cmpmem (a->severity_weight, sizeof a->severity_weight,
                   b->severity_weight, sizeof b->severity_weight);
  g_assert_cmpmem (a->artifact_rate_per_h, sizeof a->artifact_rate_per_h,
                   b->artifact_rate_per_h, sizeof b->artifact_rate_per_h);
  g_assert_cmpfloat (a->dead_space_ml, ==, b->dead_space_ml);
  g_assert_cmpint (a->line_primed, ==, b->line_primed);
  g_assert_cmpfloat (a->concentration_ug_ml, ==, b->concentration_ug_ml);
  g_assert_cmpfloat (a->reaction_delay_s, ==, b->reaction_delay_s);
  g_assert_cmpfloat (a->bolus_dose_ug, ==, b->bolus_dose_ug);
  g_assert_cmpfloat (a->bolus_threshold_mmhg, ==, b->bolus_threshold_mmhg);
  g_assert_cmpfloat (a->bolus_interval_min, ==, b->bolus_interval_min);
  g_assert_cmpfloat (a->fixed_rate_ug_kg_min, ==, b->fixed_rate_ug_kg_min);
}

/* The shipped default cohort file says exactly what tt_cohort_init_default() says. */
static void
test_default_file (void)
{
  g_autofree char *path = g_build_filename (TEST_SOURCE_DIR, "..", "data", "cohorts",
                                            "trial.ini", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  TtCohort defaults, parsed;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  tt_cohort_init_default (&defaults);
  memset (&parsed, 0, sizeof parsed);
  parsed.multiplier_max = 1;
  parsed.age = defaults.age;
  parsed.weight = defaults.weight;
  parsed.baseline_map = defaults.baseline_map;
  g_assert_true (tt_cohort_parse (&parsed, text, -1, &error));
  g_assert_no_error (error);
  assert_cohort_equal (&parsed, &defaults);
  g_assert_cmpuint (defaults.patients, ==, 71);
}

static void
test_partial (void)
{
  g_autoptr (GError) error = NULL;
  TtCohort c;

  tt_cohort_init_default (&c);
  g_assert_true (tt_cohort_parse (&c, "# only a few keys\n[arms]\nnone = 1\n[line]\nprimed=false\n"
                                  "[age]\nmean = 70.5\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (c.arm_weight[TT_ARM_NONE], ==, 1);
  g_assert_cmpfloat (c.arm_weight[TT_ARM_ADVISOR], ==, 36);
  g_assert_false (c.line_primed);
  g_assert_cmpfloat (c.age.mean, ==, 70.5);
  g_assert_cmpfloat (c.age.sd, ==, 9);
}

static void
test_errors (void)
{
  static const struct {
    const char *text;
    int         code;
    const char *message;
  } cases[] = {
    { "patients = 3\n", TT_COHORT_ERROR_SYNTAX,
      "cohort file: Key file does not start with a group" },
    { "[cohorts]\npatients = 3\n", TT_COHORT_ERROR_UNKNOWN,
      "cohort file: unknown group [cohorts] (known groups: cohort, arms, age, weight, "
      "baseline_map, sensitivity, severity, artifacts, line, clinician, bolus_arm, fixed_arm)" },
    { "[age]\nmaen = 60\n", TT_COHORT_ERROR_UNKNOWN,
      "cohort file: [age] maen: unknown key (known keys: mean, sd, min, max)" },
    { "[age]\nmean = sixty\n", TT_COHORT_ERROR_VALUE,
      "cohort file: [age] mean = “sixty” is not a number (allowed 18–100 years)" },
    { "[age]\nmean = 12\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [age] mean = 12 is out of range (allowed 18–100 years)" },
    { "[age]\nmin = 80\nmax = 60\nmean = 70\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [age] min = 80 is above max = 60" },
    { "[age]\nmean = 90\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [age] mean = 90 is outside min–max (47–86)" },
    { "[weight]\nsd = -1\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [weight] sd = -1 is out of range (allowed 0–100 kg)" },
    { "[weight]\nmax = 300\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [weight] max = 300 is out of range (allowed 30–250 kg)" },
    { "[baseline_map]\nmin = 40\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [baseline_map] min = 40 is out of range (allowed 50–150 mmHg)" },
    { "[cohort]\npatients = 0\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [cohort] patients = 0 is out of range (allowed 1–10000)" },
    { "[cohort]\npatients = 7.5\n", TT_COHORT_ERROR_VALUE,
      "cohort file: [cohort] patients = 7.5 is not a whole number (allowed 1–10000)" },
    { "[cohort]\nduration_min = 300\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [cohort] duration_min = 300 is out of range (allowed 1–240 min)" },
    { "[cohort]\nduration_min =\n", TT_COHORT_ERROR_VALUE,
      "cohort file: [cohort] duration_min = “” is not a number (allowed 1–240 min)" },
    { "[arms]\nadvisor = 0\nbolus = 0\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [arms] every weight is 0; give at least one a positive weight" },
    { "[arms]\nbolus = -35\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [arms] bolus = -35 is out of range (allowed 0–10000)" },
    { "[severity]\nmild = 0\nmoderate = 0\nsevere = 0\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [severity] every weight is 0; give at least one a positive weight" },
    { "[sensitivity]\ncv_pct = 250\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [sensitivity] cv_pct = 250 is out of range (allowed 0–200 %)" },
    { "[sensitivity]\nmultiplier_min = 0.05\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [sensitivity] multiplier_min = 0.05 is out of range (allowed 0.1–10 ×)" },
    { "[sensitivity]\nmultiplier_min = 2\nmultiplier_max = 0.5\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [sensitivity] multiplier_min = 2 is above multiplier_max = 0.5" },
    { "[artifacts]\nflush_per_h = 61\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [artifacts] flush_per_h = 61 is out of range (allowed 0–60 per hour)" },
    { "[artifacts]\nsignal_loss_per_h = nan\n", TT_COHORT_ERROR_VALUE,
      "cohort file: [artifacts] signal_loss_per_h = “nan” is not a number (allowed 0–60 per hour)" },
    { "[line]\ndead_space_ml = 12\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [line] dead_space_ml = 12 is out of range (allowed 0–10 mL)" },
    { "[line]\nprimed = yes\n", TT_COHORT_ERROR_VALUE,
      "cohort file: [line] primed = “yes” is not true or false" },
    { "[line]\nconcentration_ug_ml = 0\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [line] concentration_ug_ml = 0 is out of range (allowed 1–200 µg/mL)" },
    { "[clinician]\nreaction_delay_s = 601\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [clinician] reaction_delay_s = 601 is out of range (allowed 0–600 s)" },
    { "[bolus_arm]\ndose_ug = 100\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [bolus_arm] dose_ug = 100 is out of range (allowed 1–50 µg)" },
    { "[bolus_arm]\nthreshold_mmhg = 30\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [bolus_arm] threshold_mmhg = 30 is out of range (allowed 40–90 mmHg)" },
    { "[bolus_arm]\ninterval_min = 0.1\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [bolus_arm] interval_min = 0.1 is out of range (allowed 0.5–30 min)" },
    { "[fixed_arm]\nrate_ug_kg_min = 0.8e1\n", TT_COHORT_ERROR_RANGE,
      "cohort file: [fixed_arm] rate_ug_kg_min = 0.8e1 is out of range "
      "(allowed 0.01–1 µg/kg/min)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      TtCohort c, before;

      tt_cohort_init_default (&c);
      before = c;
      g_assert_false (tt_cohort_parse (&c, cases[i].text, -1, &error));
      g_assert_error (error, TT_COHORT_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      /* A bad file leaves the cohort as it was. */
      assert_cohort_equal (&c, &before);
    }
}

static void
test_allocate (void)
{
  TtCohort c;
  struct { guint n; guint advisor, bolus; } cases[] = { { 71, 36, 35 }, { 20, 10, 10 }, { 1, 1, 0 } };
  g_autofree TtArm *a = NULL;
  g_autofree TtArm *b = NULL;
  g_autofree TtArm *d = NULL;

  tt_cohort_init_default (&c);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree TtArm *arms = tt_cohort_allocate (&c, cases[i].n, 1);
      guint count[TT_N_ARMS] = { 0 };

      for (guint k = 0; k < cases[i].n; k++)
        count[arms[k]]++;
      g_assert_cmpuint (count[TT_ARM_ADVISOR], ==, cases[i].advisor);
      g_assert_cmpuint (count[TT_ARM_BOLUS], ==, cases[i].bolus);
      g_assert_cmpuint (count[TT_ARM_FIXED] + count[TT_ARM_NONE], ==, 0);
    }

  /* 1:1:1:1 over 10: 3, 3, 2, 2 (largest remainder, ties to the earlier arm). */
  for (guint k = 0; k < TT_N_ARMS; k++)
    c.arm_weight[k] = 1;
  d = tt_cohort_allocate (&c, 10, 9);
  {
    guint count[TT_N_ARMS] = { 0 };

    for (guint k = 0; k < 10; k++)
      count[d[k]]++;
    g_assert_cmpuint (count[0], ==, 3);
    g_assert_cmpuint (count[1], ==, 3);
    g_assert_cmpuint (count[2], ==, 2);
    g_assert_cmpuint (count[3], ==, 2);
  }

  tt_cohort_init_default (&c);
  a = tt_cohort_allocate (&c, 71, 5);
  b = tt_cohort_allocate (&c, 71, 5);
  g_assert_cmpmem (a, 71 * sizeof (TtArm), b, 71 * sizeof (TtArm));
  g_free (b);
  b = tt_cohort_allocate (&c, 71, 6);
  g_assert_true (memcmp (a, b, 71 * sizeof (TtArm)) != 0);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The population (CLINICAL.md §5): ages 47–86 around 66, weights 50–120 kg, baselines 85–105,
 * NE half-life 2–2.4 min, CL 2–3 L/min, log-normal sensitivity with median 1 and CV 80 %. */
static void
test_population (void)
{
  TtCohort c;
  enum { N = 2000 };
  double age_sum = 0, fall_mmhg = 0, sens[N], log_sum = 0, log_sq = 0;
  guint n_sev[TT_N_SEVERITIES] = { 0 };
  TtPatientParams p, q;

  tt_cohort_init_default (&c);
  for (guint i = 0; i < N; i++)
    {
      TtSeverity s;
      double lo, hi, ln;

      tt_cohort_draw_patient (&c, 11, i, &p, &s);
      g_assert_cmpfloat (p.age_years, >=, 47);
      g_assert_cmpfloat (p.age_years, <=, 86);
      g_assert_cmpfloat (p.weight_kg, >=, 50);
      g_assert_cmpfloat (p.weight_kg, <=, 120);
      g_assert_cmpfloat (p.baseline_map, >=, 85);
      g_assert_cmpfloat (p.baseline_map, <=, 105);
      g_assert_cmpfloat (p.ne_clearance_l_min, >=, 2);
      g_assert_cmpfloat (p.ne_clearance_l_min, <=, 3);
      g_assert_cmpfloat (tt_patient_params_ne_half_life_min (&p), >=, 2.0 - 1e-9);
      g_assert_cmpfloat (tt_patient_params_ne_half_life_min (&p), <=, 2.4 + 1e-9);
      g_assert_cmpfloat (p.ne_ke0_half_life_min, >=, 0.5);
      g_assert_cmpfloat (p.ne_ke0_half_life_min, <=, 1.0);
      g_assert_cmpfloat (p.ne_emax_mmhg, >=, 40);
      g_assert_cmpfloat (p.ne_emax_mmhg, <=, 60);
      g_assert_cmpfloat (p.intubation_after_min, >=, 3);
      g_assert_cmpfloat (p.intubation_after_min, <=, 5);
      g_assert_cmpfloat (p.intubation_rise_mmhg, >=, 10);
      g_assert_cmpfloat (p.intubation_rise_mmhg, <=, 25);
      g_assert_cmpfloat (p.resp_swing_mmhg, >=, 2);
      g_assert_cmpfloat (p.resp_swing_mmhg, <=, 5);
      tt_severity_fall_range (s, &lo, &hi);
      g_assert_cmpfloat (p.induction_fall, >=, lo);
      g_assert_cmpfloat (p.induction_fall, <=, hi);
      g_assert_cmpfloat (p.induction_fall, >=, 0.20);
      g_assert_cmpfloat (p.induction_fall, <=, 0.35);
      age_sum += p.age_years;
      fall_mmhg += p.induction_fall * p.baseline_map;
      n_sev[s]++;
      sens[i] = p.ne_sensitivity;
      ln = log (p.ne_sensitivity);
      log_sum += ln;
      log_sq += ln * ln;
    }
  qsort (sens, N, sizeof (double), cmp_double);
  {
    double sigma = sqrt (log_sq / N - pow (log_sum / N, 2));
    double cv = sqrt (exp (sigma * sigma) - 1);

    g_test_message ("mean age %.1f, mean fall %.1f mmHg, sensitivity median %.2f CV %.0f %%, "
                    "severity %u/%u/%u", age_sum / N, fall_mmhg / N, sens[N / 2], cv * 100,
                    n_sev[0], n_sev[1], n_sev[2]);
    g_assert_cmpfloat (fabs (age_sum / N - 66), <, 1.0);
    /* Saugel 2022: mean −23 mmHg. */
    g_assert_cmpfloat (fabs (fall_mmhg / N - 23), <, 1.5);
    g_assert_cmpfloat (fabs (sens[N / 2] - 1), <, 0.1);
    g_assert_cmpfloat (fabs (cv - 0.8), <, 0.08);
  }
  /* Severity mix 0.5 / 0.35 / 0.15 */
  g_assert_cmpfloat (fabs (n_sev[0] / (double) N - 0.5), <, 0.04);
  g_assert_cmpfloat (fabs (n_sev[2] / (double) N - 0.15), <, 0.03);

  /* Reproducible, and the index matters. */
  tt_cohort_draw_patient (&c, 11, 7, &p, NULL);
  tt_cohort_draw_patient (&c, 11, 7, &q, NULL);
  g_assert_cmpfloat (p.age_years, ==, q.age_years);
  g_assert_cmpfloat (p.weight_kg, ==, q.weight_kg);
  g_assert_cmpfloat (p.baseline_map, ==, q.baseline_map);
  g_assert_cmpfloat (p.ne_clearance_l_min, ==, q.ne_clearance_l_min);
  g_assert_cmpfloat (p.ne_volume_l, ==, q.ne_volume_l);
  g_assert_cmpfloat (p.ne_sensitivity, ==, q.ne_sensitivity);
  g_assert_cmpfloat (p.induction_fall, ==, q.induction_fall);
  g_assert_cmpfloat (p.intubation_rise_mmhg, ==, q.intubation_rise_mmhg);
  g_assert_cmpfloat (p.surgery_after_min, ==, q.surgery_after_min);
  tt_cohort_draw_patient (&c, 11, 8, &q, NULL);
  g_assert_cmpfloat (p.age_years, !=, q.age_years);

  /* The cohort multiplier: 10× moves the median sensitivity to 10. */
  c.multiplier_min = c.multiplier_max = 10;
  for (guint i = 0; i < N; i++)
    {
      tt_cohort_draw_patient (&c, 11, i, &p, NULL);
      sens[i] = p.ne_sensitivity;
    }
  qsort (sens, N, sizeof (double), cmp_double);
  g_assert_cmpfloat (fabs (sens[N / 2] - 10), <, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cohort/default-file", test_default_file);
  g_test_add_func ("/cohort/partial", test_partial);
  g_test_add_func ("/cohort/errors", test_errors);
  g_test_add_func ("/cohort/allocate", test_allocate);
  g_test_add_func ("/cohort/population", test_population);
  return g_test_run ();
}
