/* tt-dose.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tt-dose.h"

/* Rates are compared after rounding to this resolution, so that 0.1 + 0.2 equals 0.3 and an
 * entry of exactly the limit is within it. */
#define RATE_EPSILON 1e-9

/* CLINICAL.md §2: syringe and bag concentrations in use, µg/mL. */
static const double standard_concentrations[] = { 4, 5, 10, 16, 20, 40, 80 };

G_DEFINE_QUARK (tt-dose-error-quark, tt_dose_error)

void
tt_limits_init (TtLimits   *limits,
                TtLineType  line)
{
  g_return_if_fail (limits != NULL);

  *limits = (TtLimits) {
    .line = line,
    .rate_soft_min = 0.01,
    .rate_soft_max = line == TT_LINE_PERIPHERAL ? 0.2 : 0.3,
    .rate_hard_max = 1.0,
    .step_ratio = 2.0,
    .step_abs = 0.05,
    .bolus_soft_max = 20.0,
    .bolus_hard_max = 50.0,
    .guard_ratio = 5.0,
  };
}

const char *
tt_line_type_describe (TtLineType line)
{
  return line == TT_LINE_PERIPHERAL ? _("peripheral line") : _("central line");
}

char *
tt_dose_format_number (double value,
                       int    min_decimals,
                       int    max_decimals)
{
  double scale;
  g_autofree char *text = NULL;
  gsize len;
  int decimals = max_decimals;

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "NaN" : (value > 0 ? "∞" : "−∞"));

  /* Very large entries are typing errors; print them compactly rather than in full. */
  if (fabs (value) >= 1e7)
    return g_strdup_printf ("%.3g", value);

  scale = pow (10, max_decimals);
  value = round (value * scale) / scale;
  if (value == 0)
    value = 0;  /* no "-0" */

  text = g_strdup_printf ("%.*f", max_decimals, value);
  len = strlen (text);
  while (decimals > min_decimals && len > 0 && text[len - 1] == '0')
    {
      text[--len] = '\0';
      decimals--;
    }
  if (decimals == 0 && max_decimals > 0)
    return g_strdup_printf ("%.0f", value);
  return g_steal_pointer (&text);
}

/* Rates show two decimals, a third only when it matters (0.105). */
static char *
format_rate_number (double rate)
{
  return tt_dose_format_number (rate, 2, 3);
}

char *
tt_dose_format_rate (double rate_ug_kg_min)
{
  g_autofree char *number = format_rate_number (rate_ug_kg_min);

  return g_strdup_printf (_("%s µg/kg/min"), number);
}

char *
tt_dose_format_change (double change_ug_kg_min)
{
  g_autofree char *number = format_rate_number (fabs (change_ug_kg_min));

  /* The sign is part of the message: + for an increase, − for a decrease. */
  if (round (change_ug_kg_min * 1000) < 0)
    return g_strdup_printf (_("−%s µg/kg/min"), number);
  return g_strdup_printf (_("+%s µg/kg/min"), number);
}

char *
tt_dose_format_ml_h (double ml_h)
{
  double shown = tt_dose_round_ml_h (ml_h);
  g_autofree char *number = tt_dose_format_number (shown, shown >= 1 ? 1 : 2,
                                                   shown >= 1 ? 1 : 2);

  return g_strdup_printf (_("%s mL/h"), number);
}

char *
tt_dose_format_rate_both (double rate_ug_kg_min,
                          double weight_kg,
                          double concentration)
{
  g_autofree char *rate = tt_dose_format_rate (rate_ug_kg_min);
  g_autofree char *ml_h = tt_dose_format_ml_h (tt_dose_ml_h (rate_ug_kg_min, weight_kg,
                                                             concentration));

  return g_strdup_printf (_("%s = %s"), rate, ml_h);
}

char *
tt_dose_format_bolus (double bolus_ug,
                      double concentration)
{
  g_autofree char *ug = tt_dose_format_number (bolus_ug, 0, 1);
  g_autofree char *ml = tt_dose_format_number (tt_dose_bolus_ml (bolus_ug, concentration), 1, 2);

  return g_strdup_printf (_("%s µg = %s mL"), ug, ml);
}

char *
tt_dose_format_duration (gint64 ms)
{
  gint64 s = (MAX (ms, 0) + 500) / 1000;
  gint64 min = (s + 30) / 60;

  if (s < 60)
    return g_strdup_printf (_("%" PRId64 " s"), s);
  if (min < 60)
    return g_strdup_printf (_("%" PRId64 " min"), min);
  return g_strdup_printf (_("%" PRId64 " h %" PRId64 " min"), min / 60, min % 60);
}

double
tt_dose_ug_min (double rate_ug_kg_min,
                double weight_kg)
{
  return rate_ug_kg_min * weight_kg;
}

double
tt_dose_ml_h (double rate_ug_kg_min,
              double weight_kg,
              double concentration)
{
  if (!(concentration > 0))
    return 0;
  return rate_ug_kg_min * weight_kg * 60.0 / concentration;
}

double
tt_dose_rate_from_ml_h (double ml_h,
                        double weight_kg,
                        double concentration)
{
  if (!(weight_kg > 0))
    return 0;
  return ml_h * concentration / (60.0 * weight_kg);
}

double
tt_dose_rate_from_ug_min (double ug_min,
                          double weight_kg)
{
  if (!(weight_kg > 0))
    return 0;
  return ug_min / weight_kg;
}

double
tt_dose_bolus_ml (double bolus_ug,
                  double concentration)
{
  if (!(concentration > 0))
    return 0;
  return bolus_ug / concentration;
}

double
tt_dose_bolus_ug (double bolus_ml,
                  double concentration)
{
  return bolus_ml * concentration;
}

double
tt_dose_round_ml_h (double ml_h)
{
  double hundredths = round (ml_h * 100) / 100;

  if (fabs (hundredths) >= 1)
    return round (ml_h * 10) / 10;
  return hundredths;
}

double
tt_dose_volume_ml (double ml_h,
                   gint64 duration_ms)
{
  if (!(ml_h > 0) || duration_ms <= 0)
    return 0;
  return ml_h * (double) duration_ms / 3600000.0;
}

double
tt_dose_syringe_left_ml (double volume_ml,
                         double ml_h,
                         gint64 duration_ms)
{
  return MAX (0.0, volume_ml - tt_dose_volume_ml (ml_h, duration_ms));
}

static gboolean
duration_at_rate (double  volume_ml,
                  double  ml_h,
                  gint64 *out_ms)
{
  double ms;

  if (!(ml_h > 0) || !isfinite (volume_ml))
    return FALSE;
  ms = MAX (0.0, volume_ml) / ml_h * 3600000.0;
  if (!(ms < (double) G_MAXINT64 / 2))
    return FALSE;
  if (out_ms != NULL)
    *out_ms = (gint64) llround (ms);
  return TRUE;
}

gboolean
tt_dose_time_to_empty_ms (double  volume_ml,
                          double  ml_h,
                          gint64 *out_ms)
{
  return duration_at_rate (volume_ml, ml_h, out_ms);
}

gboolean
tt_dose_transport_delay_ms (double  dead_space_ml,
                            double  ml_h,
                            gint64 *out_ms)
{
  return duration_at_rate (dead_space_ml, ml_h, out_ms);
}

gboolean
tt_dose_validate_weight (double   weight_kg,
                         GError **error)
{
  g_autofree char *value = NULL;

  if (weight_kg >= TT_DOSE_WEIGHT_MIN_KG && weight_kg <= TT_DOSE_WEIGHT_MAX_KG)
    return TRUE;

  value = tt_dose_format_number (weight_kg, 0, 1);
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_WEIGHT,
               _("Weight %s kg is outside 30–250 kg"), value);
  return FALSE;
}

gboolean
tt_dose_validate_concentration (double   concentration,
                                GError **error)
{
  g_autofree char *value = NULL;

  if (concentration >= TT_DOSE_CONCENTRATION_MIN && concentration <= TT_DOSE_CONCENTRATION_MAX)
    return TRUE;

  value = tt_dose_format_number (concentration, 0, 2);
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_CONCENTRATION,
               _("Concentration %s µg/mL is outside 1–200 µg/mL"), value);
  return FALSE;
}

gboolean
tt_dose_is_standard_concentration (double concentration)
{
  for (guint i = 0; i < G_N_ELEMENTS (standard_concentrations); i++)
    if (fabs (concentration - standard_concentrations[i]) < RATE_EPSILON)
      return TRUE;
  return FALSE;
}

const double *
tt_dose_standard_concentrations (guint *n)
{
  if (n != NULL)
    *n = G_N_ELEMENTS (standard_concentrations);
  return standard_concentrations;
}

gboolean
tt_dose_validate_rate (const TtLimits  *limits,
                       double           rate_ug_kg_min,
                       GError         **error)
{
  g_autofree char *value = NULL;
  g_autofree char *hard = NULL;

  g_return_val_if_fail (limits != NULL, FALSE);

  if (rate_ug_kg_min >= 0 && rate_ug_kg_min <= limits->rate_hard_max + RATE_EPSILON)
    return TRUE;

  value = format_rate_number (rate_ug_kg_min);
  hard = format_rate_number (limits->rate_hard_max);
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_RATE,
               _("Rate %s µg/kg/min is outside 0–%s µg/kg/min (hard limit)"), value, hard);
  return FALSE;
}

gboolean
tt_dose_validate_bolus (const TtLimits  *limits,
                        double           bolus_ug,
                        GError         **error)
{
  g_autofree char *value = NULL;
  g_autofree char *hard = NULL;

  g_return_val_if_fail (limits != NULL, FALSE);

  if (bolus_ug >= TT_DOSE_BOLUS_MIN_UG && bolus_ug <= limits->bolus_hard_max + RATE_EPSILON)
    return TRUE;

  value = tt_dose_format_number (bolus_ug, 0, 1);
  hard = tt_dose_format_number (limits->bolus_hard_max, 0, 1);
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_BOLUS,
               _("Bolus %s µg is outside 1–%s µg (hard limit)"), value, hard);
  return FALSE;
}

gboolean
tt_dose_validate_dead_space (double   dead_space_ml,
                             GError **error)
{
  g_autofree char *value = NULL;

  if (dead_space_ml >= 0 && dead_space_ml <= TT_DOSE_DEAD_SPACE_MAX_ML)
    return TRUE;

  value = tt_dose_format_number (dead_space_ml, 0, 2);
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_DEAD_SPACE,
               _("Dead space %s mL is outside 0–10 mL"), value);
  return FALSE;
}

static gboolean
limits_error (GError     **error,
              const char  *what,
              char        *value,
              const char  *rule)
{
  g_autofree char *owned = value;

  /* Translators: e.g. "Limit soft maximum rate = 0.50 µg/kg/min: must be at most the hard
   * maximum". */
  g_set_error (error, TT_DOSE_ERROR, TT_DOSE_ERROR_LIMITS, _("Limit %s = %s: %s"), what, owned,
               rule);
  return FALSE;
}

static char *
format_ratio (double ratio)
{
  g_autofree char *number = tt_dose_format_number (ratio, 0, 1);

  return g_strdup_printf (_("%s×"), number);
}

static char *
format_ug (double ug)
{
  g_autofree char *number = tt_dose_format_number (ug, 0, 1);

  return g_strdup_printf (_("%s µg"), number);
}

gboolean
tt_limits_validate (const TtLimits  *limits,
                    GError         **error)
{
  g_return_val_if_fail (limits != NULL, FALSE);

  /* The hard maximum may be lowered, never raised above CLINICAL.md's 1.0 µg/kg/min. */
  if (!(limits->rate_hard_max > 0 && limits->rate_hard_max <= 1.0))
    return limits_error (error, _("hard maximum rate"), tt_dose_format_rate (limits->rate_hard_max),
                         _("must be above 0 and at most 1.00 µg/kg/min"));
  if (!(limits->rate_soft_max > 0 && limits->rate_soft_max <= limits->rate_hard_max))
    return limits_error (error, _("soft maximum rate"), tt_dose_format_rate (limits->rate_soft_max),
                         _("must be above 0 and at most the hard maximum"));
  if (!(limits->rate_soft_min >= 0 && limits->rate_soft_min < limits->rate_soft_max))
    return limits_error (error, _("soft minimum rate"), tt_dose_format_rate (limits->rate_soft_min),
                         _("must be at least 0 and below the soft maximum"));
  if (!(limits->step_ratio > 1 && limits->step_ratio <= 10))
    return limits_error (error, _("step ratio"), format_ratio (limits->step_ratio),
                         _("must be above 1× and at most 10×"));
  if (!(limits->step_abs > 0 && limits->step_abs <= limits->rate_hard_max))
    return limits_error (error, _("step size"), tt_dose_format_rate (limits->step_abs),
                         _("must be above 0 and at most the hard maximum"));
  if (!(limits->bolus_hard_max >= TT_DOSE_BOLUS_MIN_UG && limits->bolus_hard_max <= 50))
    return limits_error (error, _("hard maximum bolus"), format_ug (limits->bolus_hard_max),
                         _("must be between 1 and 50 µg"));
  if (!(limits->bolus_soft_max >= TT_DOSE_BOLUS_MIN_UG &&
        limits->bolus_soft_max <= limits->bolus_hard_max))
    return limits_error (error, _("soft maximum bolus"), format_ug (limits->bolus_soft_max),
                         _("must be at least 1 µg and at most the hard maximum"));
  if (!(limits->guard_ratio > 1 && limits->guard_ratio <= 10))
    return limits_error (error, _("10-fold guard ratio"), format_ratio (limits->guard_ratio),
                         _("must be above 1× and at most 10×"));
  return TRUE;
}

static void
append_reason (GString    *reasons,
               const char *sentence)
{
  if (reasons->len > 0)
    g_string_append_c (reasons, ' ');
  g_string_append (reasons, sentence);
}

static TtDoseCheck
finish_check (GString  *reasons,
              char    **reason)
{
  if (reasons->len == 0)
    {
      if (reason != NULL)
        *reason = NULL;
      return TT_DOSE_CHECK_OK;
    }
  if (reason != NULL)
    *reason = g_strdup (reasons->str);
  return TT_DOSE_CHECK_CONFIRM;
}

TtDoseCheck
tt_dose_check_rate (const TtLimits  *limits,
                    double           current,
                    double           entered,
                    char           **reason,
                    GError         **error)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *entered_text = NULL;
  double change;

  g_return_val_if_fail (limits != NULL, TT_DOSE_CHECK_REFUSED);

  if (reason != NULL)
    *reason = NULL;
  if (!tt_dose_validate_rate (limits, entered, error))
    return TT_DOSE_CHECK_REFUSED;

  entered_text = tt_dose_format_rate (entered);
  change = entered - (current > 0 ? current : 0);

  if (current > 0 && entered >= limits->guard_ratio * current - RATE_EPSILON)
    {
      g_autofree char *ratio = tt_dose_format_number (entered / current, 0, 1);
      g_autofree char *now = tt_dose_format_rate (current);
      g_autofree char *sentence =
        g_strdup_printf (_("%s is %s× the current %s: check for a decimal error."),
                         entered_text, ratio, now);
      append_reason (reasons, sentence);
    }

  if (entered > limits->rate_soft_max + RATE_EPSILON)
    {
      g_autofree char *soft = tt_dose_format_rate (limits->rate_soft_max);
      g_autofree char *sentence =
        g_strdup_printf (_("%s is above the soft limit %s for a %s."), entered_text, soft,
                         tt_line_type_describe (limits->line));
      append_reason (reasons, sentence);
    }
  else if (entered > 0 && entered < limits->rate_soft_min - RATE_EPSILON)
    {
      g_autofree char *soft = tt_dose_format_rate (limits->rate_soft_min);
      g_autofree char *sentence =
        g_strdup_printf (_("%s is below the soft minimum %s."), entered_text, soft);
      append_reason (reasons, sentence);
    }

  if (fabs (change) > limits->step_abs + RATE_EPSILON ||
      (current > 0 && entered > limits->step_ratio * current + RATE_EPSILON))
    {
      g_autofree char *step = tt_dose_format_change (change);
      g_autofree char *ratio = tt_dose_format_number (limits->step_ratio, 0, 1);
      g_autofree char *abs_step = tt_dose_format_rate (limits->step_abs);
      g_autofree char *sentence =
        g_strdup_printf (_("A change of %s is more than %s× or %s in one step."),
                         step, ratio, abs_step);
      append_reason (reasons, sentence);
    }

  return finish_check (reasons, reason);
}

TtDoseCheck
tt_dose_check_bolus (const TtLimits  *limits,
                     double           current,
                     double           entered,
                     char           **reason,
                     GError         **error)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *entered_text = NULL;

  g_return_val_if_fail (limits != NULL, TT_DOSE_CHECK_REFUSED);

  if (reason != NULL)
    *reason = NULL;
  if (!tt_dose_validate_bolus (limits, entered, error))
    return TT_DOSE_CHECK_REFUSED;

  entered_text = tt_dose_format_number (entered, 0, 1);

  if (current > 0 && entered >= limits->guard_ratio * current - RATE_EPSILON)
    {
      g_autofree char *ratio = tt_dose_format_number (entered / current, 0, 1);
      g_autofree char *drawn = tt_dose_format_number (current, 0, 1);
      g_autofree char *sentence =
        g_strdup_printf (_("%s µg is %s× the %s µg drawn: check for a decimal error."),
                         entered_text, ratio, drawn);
      append_reason (reasons, sentence);
    }

  if (entered > limits->bolus_soft_max + RATE_EPSILON)
    {
      g_autofree char *soft = tt_dose_format_number (limits->bolus_soft_max, 0, 1);
      g_autofree char *sentence =
        g_strdup_printf (_("%s µg is above the bolus soft limit %s µg."), entered_text, soft);
      append_reason (reasons, sentence);
    }

  return finish_check (reasons, reason);
}
