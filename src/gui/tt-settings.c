/* tt-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tt-settings.h"

static const char *
limits_key (TtLineType line)
{
  return line == TT_LINE_CENTRAL ? "limits-central" : "limits-peripheral";
}

gboolean
tt_settings_get_band_rule (GSettings   *settings,
                           TtBandRule  *rule,
                           GError     **error)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  tt_band_rule_init (rule);
  rule->kind = g_settings_get_enum (settings, "band-rule");
  rule->absolute_lo = g_settings_get_double (settings, "hypotension-mmhg");
  rule->relative_pct = g_settings_get_double (settings, "band-relative-pct");
  rule->width = g_settings_get_double (settings, "band-width-mmhg");
  rule->critical_offset = g_settings_get_double (settings, "critical-offset-mmhg");
  if (!tt_band_rule_validate (rule, error))
    {
      tt_band_rule_init (rule);
      return FALSE;
    }
  return TRUE;
}

/* The limits of @line as stored, unchecked. */
static void
read_limits (GSettings  *settings,
             TtLineType  line,
             TtLimits   *limits)
{
  tt_limits_init (limits, line);
  g_settings_get (settings, limits_key (line), "(ddd)", &limits->rate_soft_min,
                  &limits->rate_soft_max, &limits->rate_hard_max);
  g_settings_get (settings, "limits-bolus", "(dd)", &limits->bolus_soft_max,
                  &limits->bolus_hard_max);
}

/* tt-dose's message, with the line it is about. */
static gboolean
prefix_line (TtLineType   line,
             GError     **error)
{
  if (error != NULL && *error != NULL)
    /* Translators: "Peripheral line: Limit soft maximum rate = 0.50 µg/kg/min: must be …". */
    g_prefix_error (error, line == TT_LINE_CENTRAL ? _("Central line: ") : _("Peripheral line: "));
  return FALSE;
}

gboolean
tt_settings_get_limits (GSettings   *settings,
                        TtLineType   line,
                        TtLimits    *limits,
                        GError     **error)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  read_limits (settings, line, limits);
  if (!tt_limits_validate (limits, error))
    {
      tt_limits_init (limits, line);
      return prefix_line (line, error);
    }
  return TRUE;
}

gboolean
tt_settings_set_limits (GSettings       *settings,
                        const TtLimits  *limits,
                        GError         **error)
{
  TtLineType other_line;
  TtLimits other;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  if (!tt_limits_validate (limits, error))
    return prefix_line (limits->line, error);

  /* The bolus limits are shared: they must hold with the other line's rates too. */
  other_line = limits->line == TT_LINE_CENTRAL ? TT_LINE_PERIPHERAL : TT_LINE_CENTRAL;
  read_limits (settings, other_line, &other);
  other.bolus_soft_max = limits->bolus_soft_max;
  other.bolus_hard_max = limits->bolus_hard_max;
  if (!tt_limits_validate (&other, error))
    return prefix_line (other_line, error);

  g_settings_delay (settings);
  g_settings_set (settings, limits_key (limits->line), "(ddd)", limits->rate_soft_min,
                  limits->rate_soft_max, limits->rate_hard_max);
  g_settings_set (settings, "limits-bolus", "(dd)", limits->bolus_soft_max,
                  limits->bolus_hard_max);
  g_settings_apply (settings);
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

GArray *
tt_settings_get_concentrations (GSettings *settings)
{
  g_autoptr(GVariant) value = NULL;
  const double *stored;
  gsize n = 0;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (G_IS_SETTINGS (settings), out);

  value = g_settings_get_value (settings, "concentrations");
  stored = g_variant_get_fixed_array (value, &n, sizeof (double));
  for (gsize i = 0; i < n; i++)
    if (tt_dose_validate_concentration (stored[i], NULL))
      g_array_append_val (out, stored[i]);
  g_array_sort (out, compare_doubles);
  for (guint i = 1; i < out->len;)
    if (g_array_index (out, double, i) == g_array_index (out, double, i - 1))
      g_array_remove_index (out, i);
    else
      i++;
  /* An empty list would leave only "Custom…": offer CLINICAL.md's list instead. */
  if (out->len == 0)
    {
      guint n_standard;
      const double *standard = tt_dose_standard_concentrations (&n_standard);

      g_array_append_vals (out, standard, n_standard);
    }
  return out;
}

static void
add_problem (GString *problems,
             GError  *error)
{
  if (problems == NULL || error == NULL)
    return;
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, error->message);
}

void
tt_settings_load_case_defaults (GSettings   *settings,
                                TtCaseSetup *setup,
                                GString     *problems)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (setup != NULL);

  if (!tt_settings_get_band_rule (settings, &setup->band_rule, &error))
    add_problem (problems, error);
  g_clear_error (&error);
  tt_case_setup_apply_band_rule (setup);
  for (TtLineType line = TT_LINE_PERIPHERAL; line <= TT_LINE_CENTRAL; line++)
    {
      if (!tt_settings_get_limits (settings, line, &setup->limits[line], &error))
        add_problem (problems, error);
      g_clear_error (&error);
    }
  setup->bolus_ug = g_settings_get_double (settings, "default-bolus-ug");
  setup->concentration = g_settings_get_double (settings, "default-concentration");
}
