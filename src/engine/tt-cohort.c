/* tt-cohort.c: cohort files and drawing patients from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "tt-cohort.h"

G_DEFINE_QUARK (tt-cohort-error-quark, tt_cohort_error)

/* Induction fall at the nadir by severity, fraction of baseline (CLINICAL.md §5: 20–35 %, mean
 * −23 mmHg; the split into classes is [est]). Within its class a patient falls further the older
 * he is (Kazama 1999). */
static const double severity_fall[TT_N_SEVERITIES][2] = {
  [TT_SEVERITY_MILD] = { 0.20, 0.24 },
  [TT_SEVERITY_MODERATE] = { 0.24, 0.29 },
  [TT_SEVERITY_SEVERE] = { 0.29, 0.35 },
};
#define FALL_AGE_YOUNG            47.0   /* CLINICAL.md §5: the trial's age range */
#define FALL_AGE_OLD              86.0
#define INDUCTION_HALF_TIME_JITTER 0.10  /* [est] ±10 % around Kazama's age figure */
#define HR_MEAN                   72.0   /* [est] */
#define HR_SD                     10.0   /* [est] */
#define PP_AT_47                  42.0   /* [est] pulse pressure widens with age */
#define PP_PER_YEAR               0.5    /* [est] */
#define PP_SD                     6.0    /* [est] */
#define SURGERY_AFTER_MIN         15.0   /* [est] surgical stimulation 15–25 min after induction */
#define SURGERY_AFTER_MAX         25.0
#define SURGERY_RISE_MIN          5.0    /* [est] 5–15 mmHg */
#define SURGERY_RISE_MAX          15.0

typedef enum {
  KEY_DOUBLE,
  KEY_UINT,
  KEY_BOOLEAN,
} KeyType;

typedef struct {
  const char *group;
  const char *key;
  KeyType     type;
  gsize       offset;
  double      min;
  double      max;
  const char *unit;
} KeySpec;

#define D(g, k, field, lo, hi, u) { g, k, KEY_DOUBLE, G_STRUCT_OFFSET (TtCohort, field), lo, hi, u }
#define DIST(g, field, lo, hi, sd_hi, u) \
  D (g, "mean", field.mean, lo, hi, u), D (g, "sd", field.sd, 0, sd_hi, u), \
  D (g, "min", field.min, lo, hi, u), D (g, "max", field.max, lo, hi, u)

static const KeySpec keys[] = {
  { "cohort", "patients", KEY_UINT, G_STRUCT_OFFSET (TtCohort, patients), 1, 10000, "" },
  D ("cohort", "duration_min", duration_min, 1, 240, "min"),
  D ("arms", "advisor", arm_weight[TT_ARM_ADVISOR], 0, 10000, ""),
  D ("arms", "bolus", arm_weight[TT_ARM_BOLUS], 0, 10000, ""),
  D ("arms", "fixed", arm_weight[TT_ARM_FIXED], 0, 10000, ""),
  D ("arms", "none", arm_weight[TT_ARM_NONE], 0, 10000, ""),
  DIST ("age", age, 18, 100, 50, "years"),
  DIST ("weight", weight, 30, 250, 100, "kg"),
  DIST ("baseline_map", baseline_map, 50, 150, 50, "mmHg"),
  D ("sensitivity", "cv_pct", sensitivity_cv_pct, 0, 200, "%"),
  D ("sensitivity", "multiplier_min", multiplier_min, 0.1, 10, "×"),
  D ("sensitivity", "multiplier_max", multiplier_max, 0.1, 10, "×"),
  D ("severity", "mild", severity_weight[TT_SEVERITY_MILD], 0, 10000, ""),
  D ("severity", "moderate", severity_weight[TT_SEVERITY_MODERATE], 0, 10000, ""),
  D ("severity", "severe", severity_weight[TT_SEVERITY_SEVERE], 0, 10000, ""),
  D ("artifacts", "flush_per_h", artifact_rate_per_h[TT_ARTIFACT_FLUSH], 0, 60, "per hour"),
  D ("artifacts", "zeroing_per_h", artifact_rate_per_h[TT_ARTIFACT_ZEROING], 0, 60, "per hour"),
  D ("artifacts", "sampling_per_h", artifact_rate_per_h[TT_ARTIFACT_SAMPLING], 0, 60, "per hour"),
  D ("artifacts", "damping_per_h", artifact_rate_per_h[TT_ARTIFACT_DAMPING], 0, 60, "per hour"),
  D ("artifacts", "movement_per_h", artifact_rate_per_h[TT_ARTIFACT_MOVEMENT], 0, 60, "per hour"),
  D ("artifacts", "signal_loss_per_h", artifact_rate_per_h[TT_ARTIFACT_SIGNAL_LOSS], 0, 60,
     "per hour"),
  D ("line", "dead_space_ml", dead_space_ml, 0, 10, "mL"),
  { "line", "primed", KEY_BOOLEAN, G_STRUCT_OFFSET (TtCohort, line_primed), 0, 1, "" },
  D ("line", "concentration_ug_ml", concentration_ug_ml, 1, 200, "µg/mL"),
  D ("clinician", "reaction_delay_s", reaction_delay_s, 0, 600, "s"),
  D ("bolus_arm", "dose_ug", bolus_dose_ug, 1, 50, "µg"),
  D ("bolus_arm", "threshold_mmhg", bolus_threshold_mmhg, 40, 90, "mmHg"),
  D ("bolus_arm", "interval_min", bolus_interval_min, 0.5, 30, "min"),
  D ("fixed_arm", "rate_ug_kg_min", fixed_rate_ug_kg_min, 0.01, 1.0, "µg/kg/min"),
};

static const char *groups[] = {
  "cohort", "arms", "age", "weight", "baseline_map", "sensitivity", "severity", "artifacts",
  "line", "clinician", "bolus_arm", "fixed_arm", NULL,
};

const char *
tt_arm_to_string (TtArm arm)
{
  static const char *names[TT_N_ARMS] = {
    [TT_ARM_ADVISOR] = "advisor",
    [TT_ARM_BOLUS] = "bolus",
    [TT_ARM_FIXED] = "fixed",
    [TT_ARM_NONE] = "none",
  };

  g_return_val_if_fail (arm < TT_N_ARMS, "invalid");
  return names[arm];
}

const char *
tt_arm_describe (TtArm arm)
{
  switch (arm)
    {
    case TT_ARM_ADVISOR:
      return _("Infusion following the advisor");
    case TT_ARM_BOLUS:
      return _("Manual boluses when MAP is low");
    case TT_ARM_FIXED:
      return _("Fixed-rate infusion");
    case TT_ARM_NONE:
      return _("No vasopressor");
    case TT_N_ARMS:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
tt_severity_to_string (TtSeverity severity)
{
  static const char *names[TT_N_SEVERITIES] = { "mild", "moderate", "severe" };

  g_return_val_if_fail (severity < TT_N_SEVERITIES, "invalid");
  return names[severity];
}

void
tt_severity_fall_range (TtSeverity  severity,
                        double     *min,
                        double     *max)
{
  g_return_if_fail (severity < TT_N_SEVERITIES);

  *min = severity_fall[severity][0];
  *max = severity_fall[severity][1];
}

void
tt_cohort_init_default (TtCohort *c)
{
  g_return_if_fail (c != NULL);

  /* Keep in step with data/cohorts/trial.ini (a test compares them). */
  *c = (TtCohort) {
    .patients = 71,                                  /* CLINICAL.md §1 */
    .duration_min = 30,
    .arm_weight = { [TT_ARM_ADVISOR] = 36, [TT_ARM_BOLUS] = 35 },
    .age = { 66, 9, 47, 86 },                        /* §5; SD [est] */
    .weight = { 78, 15, 50, 120 },                   /* §5; mean and SD [est] */
    .baseline_map = { 95, 6, 85, 105 },              /* §5; SD [est] */
    .sensitivity_cv_pct = 80,                        /* §5: 60–100 % */
    .multiplier_min = 1,
    .multiplier_max = 1,
    .severity_weight = { 0.5, 0.35, 0.15 },          /* [est] */
    .artifact_rate_per_h = {                         /* [est] */
      [TT_ARTIFACT_FLUSH] = 1,
      [TT_ARTIFACT_ZEROING] = 0.3,
      [TT_ARTIFACT_SAMPLING] = 1,
      [TT_ARTIFACT_DAMPING] = 0.3,
      [TT_ARTIFACT_MOVEMENT] = 2,
      [TT_ARTIFACT_SIGNAL_LOSS] = 0.5,
    },
    .dead_space_ml = 0.5,                            /* [est] */
    .line_primed = TRUE,
    .concentration_ug_ml = 20,                       /* §2 */
    .reaction_delay_s = 30,                          /* [est] */
    .bolus_dose_ug = 10,                             /* §1 */
    .bolus_threshold_mmhg = 65,                      /* §1, issue 4 */
    .bolus_interval_min = 2,                         /* issue 4 */
    .fixed_rate_ug_kg_min = 0.05,                    /* §1 (INDUCT) */
  };
}

static char *
fmt (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", value));
}

static char *
allowed (const KeySpec *spec)
{
  g_autofree char *lo = fmt (spec->min);
  g_autofree char *hi = fmt (spec->max);

  if (spec->unit[0] == '\0')
    return g_strdup_printf ("%s–%s", lo, hi);
  return g_strdup_printf ("%s–%s %s", lo, hi, spec->unit);
}

static const KeySpec *
find_key (const char *group,
          const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].key, key))
      return &keys[i];
  return NULL;
}

static char *
keys_of (const char *group)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].group, group))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", keys[i].key);
  return g_string_free (s, FALSE);
}

static gboolean
read_key (TtCohort       *c,
          GKeyFile       *file,
          const KeySpec  *spec,
          GError        **error)
{
  g_autofree char *raw = g_key_file_get_value (file, spec->group, spec->key, NULL);
  g_autofree char *range = allowed (spec);
  char *text, *end = NULL;
  double value;

  text = g_strstrip (raw);
  if (spec->type == KEY_BOOLEAN)
    {
      if (g_str_equal (text, "true") || g_str_equal (text, "false"))
        {
          G_STRUCT_MEMBER (gboolean, c, spec->offset) = g_str_equal (text, "true");
          return TRUE;
        }
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_VALUE,
                   _("cohort file: [%s] %s = “%s” is not true or false"),
                   spec->group, spec->key, text);
      return FALSE;
    }

  value = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || end == NULL || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_VALUE,
                   _("cohort file: [%s] %s = “%s” is not a number (allowed %s)"),
                   spec->group, spec->key, text, range);
      return FALSE;
    }
  if (value < spec->min || value > spec->max)
    {
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_RANGE,
                   _("cohort file: [%s] %s = %s is out of range (allowed %s)"),
                   spec->group, spec->key, text, range);
      return FALSE;
    }
  if (spec->type == KEY_UINT)
    {
      if (value != floor (value))
        {
          g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_VALUE,
                       _("cohort file: [%s] %s = %s is not a whole number (allowed %s)"),
                       spec->group, spec->key, text, range);
          return FALSE;
        }
      G_STRUCT_MEMBER (guint, c, spec->offset) = (guint) value;
      return TRUE;
    }
  G_STRUCT_MEMBER (double, c, spec->offset) = value;
  return TRUE;
}

static gboolean
check_distribution (const char                 *group,
                    const TtCohortDistribution *d,
                    GError                    **error)
{
  g_autofree char *mean = fmt (d->mean);
  g_autofree char *min = fmt (d->min);
  g_autofree char *max = fmt (d->max);

  if (d->min > d->max)
    {
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_RANGE,
                   _("cohort file: [%s] min = %s is above max = %s"), group, min, max);
      return FALSE;
    }
  if (d->mean < d->min || d->mean > d->max)
    {
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_RANGE,
                   _("cohort file: [%s] mean = %s is outside min–max (%s–%s)"),
                   group, mean, min, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_weights (const char   *group,
               const double *weights,
               guint         n,
               GError      **error)
{
  for (guint i = 0; i < n; i++)
    if (weights[i] > 0)
      return TRUE;
  g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_RANGE,
               _("cohort file: [%s] every weight is 0; give at least one a positive weight"),
               group);
  return FALSE;
}

gboolean
tt_cohort_parse (TtCohort    *cohort,
                 const char  *data,
                 gssize       length,
                 GError     **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) file_groups = NULL;
  TtCohort c;

  g_return_val_if_fail (cohort != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_key_file_load_from_data (file, data, length < 0 ? strlen (data) : (gsize) length,
                                  G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_SYNTAX, _("cohort file: %s"),
                   local_error->message);
      return FALSE;
    }

  c = *cohort;
  file_groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; file_groups[g] != NULL; g++)
    {
      const char *group = file_groups[g];
      g_auto (GStrv) file_keys = NULL;
      gboolean known = FALSE;

      for (guint i = 0; groups[i] != NULL; i++)
        known = known || g_str_equal (groups[i], group);
      if (!known)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) groups);

          g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_UNKNOWN,
                       _("cohort file: unknown group [%s] (known groups: %s)"), group, list);
          return FALSE;
        }
      file_keys = g_key_file_get_keys (file, group, NULL, NULL);
      for (guint k = 0; file_keys != NULL && file_keys[k] != NULL; k++)
        {
          const KeySpec *spec = find_key (group, file_keys[k]);

          if (spec == NULL)
            {
              g_autofree char *list = keys_of (group);

              g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_UNKNOWN,
                           _("cohort file: [%s] %s: unknown key (known keys: %s)"),
                           group, file_keys[k], list);
              return FALSE;
            }
          if (!read_key (&c, file, spec, error))
            return FALSE;
        }
    }

  if (!check_distribution ("age", &c.age, error) ||
      !check_distribution ("weight", &c.weight, error) ||
      !check_distribution ("baseline_map", &c.baseline_map, error) ||
      !check_weights ("arms", c.arm_weight, TT_N_ARMS, error) ||
      !check_weights ("severity", c.severity_weight, TT_N_SEVERITIES, error))
    return FALSE;
  if (c.multiplier_min > c.multiplier_max)
    {
      g_autofree char *lo = fmt (c.multiplier_min);
      g_autofree char *hi = fmt (c.multiplier_max);

      g_set_error (error, TT_COHORT_ERROR, TT_COHORT_ERROR_RANGE,
                   _("cohort file: [sensitivity] multiplier_min = %s is above multiplier_max = %s"),
                   lo, hi);
      return FALSE;
    }

  *cohort = c;
  return TRUE;
}

TtArm *
tt_cohort_allocate (const TtCohort *cohort,
                    guint           n_patients,
                    guint32         seed)
{
  guint32 seeds[2] = { seed, 0x616c6c6f };
  g_autoptr (GRand) rand = g_rand_new_with_seed_array (seeds, 2);
  TtArm *arms = g_new (TtArm, MAX (n_patients, 1));
  guint count[TT_N_ARMS] = { 0 }, given = 0, k = 0;
  double remainder[TT_N_ARMS], total = 0;

  g_return_val_if_fail (cohort != NULL, arms);

  for (guint a = 0; a < TT_N_ARMS; a++)
    total += cohort->arm_weight[a];
  for (guint a = 0; a < TT_N_ARMS && total > 0; a++)
    {
      double exact = n_patients * cohort->arm_weight[a] / total;

      count[a] = (guint) floor (exact);
      remainder[a] = exact - count[a];
      given += count[a];
    }
  while (given < n_patients && total > 0)
    {
      guint best = 0;

      for (guint a = 1; a < TT_N_ARMS; a++)
        if (remainder[a] > remainder[best])
          best = a;
      count[best]++;
      remainder[best] = -1;
      given++;
    }
  for (guint a = 0; a < TT_N_ARMS; a++)
    for (guint i = 0; i < count[a]; i++)
      arms[k++] = a;
  for (guint i = k; i < n_patients; i++)
    arms[i] = TT_ARM_NONE;
  /* Fisher–Yates, so that the order of patients says nothing about their arm. */
  for (guint i = n_patients; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      TtArm t = arms[i - 1];

      arms[i - 1] = arms[j];
      arms[j] = t;
    }
  return arms;
}

static double
draw_truncated (GRand                      *rand,
                const TtCohortDistribution *d)
{
  for (guint i = 0; i < 1000; i++)
    {
      double x = d->mean + d->sd * tt_patient_draw_normal (rand);

      if (x >= d->min && x <= d->max)
        return x;
    }
  return d->mean;
}

void
tt_cohort_draw_patient (const TtCohort  *cohort,
                        guint32          seed,
                        guint            index,
                        TtPatientParams *p,
                        TtSeverity      *severity)
{
  guint32 seeds[3] = { seed, index, 0x70617469 };
  g_autoptr (GRand) rand = g_rand_new_with_seed_array (seeds, 3);
  double total = 0, pick, age_pos, half_life, sigma, lo, hi, hr_z, pp_z;
  TtSeverity sev = TT_SEVERITY_MODERATE;

  g_return_if_fail (cohort != NULL && p != NULL);

  tt_patient_params_init_typical (p);
  p->age_years = draw_truncated (rand, &cohort->age);
  p->weight_kg = draw_truncated (rand, &cohort->weight);
  p->baseline_map = draw_truncated (rand, &cohort->baseline_map);
  /* One draw each, kept in a variable: CLAMP evaluates its argument more than once. */
  hr_z = tt_patient_draw_normal (rand);
  pp_z = tt_patient_draw_normal (rand);
  p->baseline_hr = CLAMP (HR_MEAN + HR_SD * hr_z, 50, 100);
  p->pulse_pressure = CLAMP (PP_AT_47 + PP_PER_YEAR * (p->age_years - 47) + PP_SD * pp_z, 30, 80);

  /* CLINICAL.md §2: CL 2–3 L/min and t½ 2–2.4 min; V follows from both. */
  p->ne_clearance_l_min = g_rand_double_range (rand, 2.0, 3.0);
  half_life = g_rand_double_range (rand, 2.0, 2.4);
  p->ne_volume_l = half_life * p->ne_clearance_l_min / G_LN2;
  p->ne_ke0_half_life_min = g_rand_double_range (rand, 0.5, 1.0);
  p->ne_emax_mmhg = g_rand_double_range (rand, 40, 60);
  /* Log-normal with median 1 and the cohort's coefficient of variation, times the cohort's
   * multiplier drawn log-uniformly. */
  sigma = sqrt (log (1 + pow (cohort->sensitivity_cv_pct / 100, 2)));
  p->ne_sensitivity = exp (sigma * tt_patient_draw_normal (rand)) *
                      exp (g_rand_double_range (rand, log (cohort->multiplier_min),
                                                log (cohort->multiplier_max) + 1e-12));

  for (guint s = 0; s < TT_N_SEVERITIES; s++)
    total += cohort->severity_weight[s];
  pick = g_rand_double (rand) * total;
  for (guint s = 0; s < TT_N_SEVERITIES; s++)
    {
      if (cohort->severity_weight[s] > 0 && pick < cohort->severity_weight[s])
        {
          sev = s;
          break;
        }
      pick -= cohort->severity_weight[s];
      if (cohort->severity_weight[s] > 0)
        sev = s;
    }
  tt_severity_fall_range (sev, &lo, &hi);
  age_pos = CLAMP ((p->age_years - FALL_AGE_YOUNG) / (FALL_AGE_OLD - FALL_AGE_YOUNG), 0, 1);
  p->induction_fall = lo + (hi - lo) * (0.5 * age_pos + 0.5 * g_rand_double (rand));
  p->induction_half_time_min = tt_patient_induction_half_time_for_age (p->age_years) *
                               (1 + INDUCTION_HALF_TIME_JITTER *
                                    g_rand_double_range (rand, -1, 1));

  p->intubation_after_min = g_rand_double_range (rand, 3, 5);
  p->intubation_rise_mmhg = g_rand_double_range (rand, 10, 25);
  p->intubation_duration_min = g_rand_double_range (rand, 1, 3);
  p->surgery_after_min = g_rand_double_range (rand, SURGERY_AFTER_MIN, SURGERY_AFTER_MAX);
  p->surgery_rise_mmhg = g_rand_double_range (rand, SURGERY_RISE_MIN, SURGERY_RISE_MAX);
  p->resp_swing_mmhg = g_rand_double_range (rand, 2, 5);

  p->concentration_ug_ml = cohort->concentration_ug_ml;
  p->dead_space_ml = cohort->dead_space_ml;
  p->line_primed = cohort->line_primed;
  for (guint a = 0; a < TT_N_ARTIFACTS; a++)
    p->artifact_rate_per_h[a] = cohort->artifact_rate_per_h[a];

  if (severity != NULL)
    *severity = sev;
}
