/* tt-cli-trial.c: `titrate-cli trial`, the in-silico replica of the source trial.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include <gio/gio.h>

#include "tt-advisor.h"
#include "tt-chart.h"
#include "tt-cli.h"
#include "tt-dose.h"
#include "tt-trial.h"

#define PLOT_WIDTH   1200
#define PLOT_HEIGHT  420

/* The endpoints printed and written, in the order of the issue (and the beat-to-beat ARV, the
 * source trial's own measure, after the grid's). */
static const TtEndpoint shown[] = {
  TT_ENDPOINT_ARV, TT_ENDPOINT_ARV_BEAT, TT_ENDPOINT_AUT65, TT_ENDPOINT_TIME_BELOW65, TT_ENDPOINT_TIME_BELOW65_PCT,
  TT_ENDPOINT_TWA65, TT_ENDPOINT_IN_BAND, TT_ENDPOINT_ANY_BELOW55, TT_ENDPOINT_TIME_ABOVE100,
  TT_ENDPOINT_TIME_ABOVE120, TT_ENDPOINT_MDAPE, TT_ENDPOINT_WOBBLE, TT_ENDPOINT_NE_TOTAL,
  TT_ENDPOINT_BOLUSES,
};

static void
json_number (GString *out,
             double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

static char *
to_json (TtTrial *trial)
{
  GString *out = g_string_new (NULL);
  gboolean first_arm = TRUE;

  g_string_append_printf (out, "{\n  \"seed\": %u,\n  \"patients\": %u,\n",
                          tt_trial_get_seed (trial), tt_trial_get_n_patients (trial));
  g_string_append_printf (out, "  \"grid_s\": %d,\n  \"window_min\": [0, 15],\n",
                          TT_GRID_DEFAULT_STEP_MS / 1000);
  g_string_append (out, "  \"duration_min\": ");
  json_number (out, tt_trial_get_cohort (trial)->duration_min);
  g_string_append (out, ",\n  \"arms\": {");
  for (guint a = 0; a < TT_N_ARMS; a++)
    {
      guint n = tt_trial_get_arm_size (trial, a);

      if (n == 0)
        continue;
      g_string_append_printf (out, "%s\n    \"%s\": {\n      \"n\": %u", first_arm ? "" : ",",
                              tt_arm_to_string (a), n);
      first_arm = FALSE;
      for (guint e = 0; e < G_N_ELEMENTS (shown); e++)
        {
          TtStatsSummary s;

          tt_trial_summarize (trial, a, TT_TRIAL_FIRST15, shown[e], &s);
          g_string_append_printf (out, ",\n      \"%s\": { \"mean\": ", tt_endpoint_key (shown[e]));
          json_number (out, s.mean);
          g_string_append (out, ", \"sd\": ");
          json_number (out, s.sd);
          g_string_append (out, ", \"median\": ");
          json_number (out, s.median);
          g_string_append (out, ", \"q1\": ");
          json_number (out, s.q1);
          g_string_append (out, ", \"q3\": ");
          json_number (out, s.q3);
          g_string_append (out, " }");
        }
      g_string_append (out, "\n    }");
    }
  g_string_append (out, "\n  }");
  if (tt_trial_get_arm_size (trial, TT_ARM_ADVISOR) > 0 &&
      tt_trial_get_arm_size (trial, TT_ARM_BOLUS) > 0)
    {
      g_string_append (out, ",\n  \"comparison\": {");
      for (guint e = 0; e < G_N_ELEMENTS (shown); e++)
        {
          double welch, mw;

          tt_trial_compare (trial, TT_ARM_ADVISOR, TT_ARM_BOLUS, TT_TRIAL_FIRST15, shown[e],
                            &welch, &mw);
          g_string_append_printf (out, "%s\n    \"%s\": { \"welch_p\": ", e ? "," : "",
                                  tt_endpoint_key (shown[e]));
          json_number (out, welch);
          g_string_append (out, ", \"mannwhitney_p\": ");
          json_number (out, mw);
          g_string_append (out, " }");
        }
      g_string_append (out, "\n  }");
    }
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}

/* @text padded with spaces to @width characters (not bytes: units hold “·” and “µ”). */
static char *
pad (const char *text,
     guint       width)
{
  glong n = g_utf8_strlen (text, -1);
  GString *s = g_string_new (text);

  while (n++ < (glong) width)
    g_string_append_c (s, ' ');
  return g_string_free (s, FALSE);
}

static char *
format_p (double p)
{
  if (!isfinite (p))
    return g_strdup ("–");
  if (p < 0.001)
    return g_strdup ("< 0.001");
  return g_strdup_printf ("%.3f", p);
}

static void
print_table (TtTrial *trial)
{
  const TtCohort *cohort = tt_trial_get_cohort (trial);
  gboolean compare = tt_trial_get_arm_size (trial, TT_ARM_ADVISOR) > 0 &&
                     tt_trial_get_arm_size (trial, TT_ARM_BOLUS) > 0;
  g_autofree char *fixed_ml_h = tt_dose_format_rate_both (cohort->fixed_rate_ug_kg_min,
                                                          cohort->weight.mean,
                                                          cohort->concentration_ug_ml);

  printf (_("In-silico trial: %u virtual patients, seed %u, 0–%g min from the start of induction.\n"),
          tt_trial_get_n_patients (trial), tt_trial_get_seed (trial), cohort->duration_min);
  printf (_("Endpoints over 0–15 min from induction, on the %d s grid (one ARV beat to beat); mean ± "
            "SD and median (IQR).\n"),
          TT_GRID_DEFAULT_STEP_MS / 1000);
  printf (_("Arms: advisor (infusion from %.2f µg/kg/min, advice accepted after %g s), "
            "bolus (%g µg when MAP < %g mmHg, ≥ %g min apart), fixed (%s at %g kg), none.\n\n"),
          TT_ADVISOR_START_RATE, cohort->reaction_delay_s, cohort->bolus_dose_ug,
          cohort->bolus_threshold_mmhg, cohort->bolus_interval_min, fixed_ml_h,
          cohort->weight.mean);

  for (guint a = 0; a < TT_N_ARMS; a++)
    {
      guint n = tt_trial_get_arm_size (trial, a);

      if (n == 0)
        continue;
      printf ("%s (%s), n = %u\n", tt_arm_to_string (a), tt_arm_describe (a), n);
      for (guint e = 0; e < G_N_ELEMENTS (shown); e++)
        {
          TtStatsSummary s;
          const char *unit = tt_endpoint_unit (shown[e]);
          g_autofree char *label = unit[0] ? g_strdup_printf ("%s (%s)", tt_endpoint_label (shown[e]),
                                                              unit)
                                           : g_strdup (tt_endpoint_label (shown[e]));

          g_autofree char *padded = pad (label, 36);

          tt_trial_summarize (trial, a, TT_TRIAL_FIRST15, shown[e], &s);
          if (shown[e] == TT_ENDPOINT_ANY_BELOW55)
            printf ("  %s %u of %u (%.0f %%)\n", padded, (guint) lround (s.mean * s.n / 100), s.n,
                    s.mean);
          else
            printf ("  %s %8.2f ± %-7.2f %8.2f (%.2f–%.2f)\n", padded, s.mean, s.sd, s.median,
                    s.q1, s.q3);
        }
      printf ("\n");
    }

  if (!compare)
    return;
  printf (_("Advisor against bolus: Welch's t test p, Mann–Whitney U test p (normal approximation, "
            "tie-corrected)\n"));
  for (guint e = 0; e < G_N_ELEMENTS (shown); e++)
    {
      double welch, mw;
      g_autofree char *pw = NULL;
      g_autofree char *pm = NULL;

      if (shown[e] == TT_ENDPOINT_ANY_BELOW55)
        continue;
      tt_trial_compare (trial, TT_ARM_ADVISOR, TT_ARM_BOLUS, TT_TRIAL_FIRST15, shown[e], &welch,
                        &mw);
      pw = format_p (welch);
      pm = format_p (mw);
      printf ("  %-28s %-18s p = %-8s p = %s\n", tt_endpoint_label (shown[e]),
              tt_endpoint_key (shown[e]), pw, pm);
    }
  printf ("\n%s\n", _("Source trial (Vokuhl 2025): ARV 19 ± 6 vs 25 ± 7 mmHg/min on beat-level data; "
                      "ARV depends on the grid."));
}

static void
arm_color (TtArm         arm,
           TtChartColor *color)
{
  static const TtChartColor colors[TT_N_ARMS] = {
    [TT_ARM_ADVISOR] = { 0.11, 0.44, 0.85, 0.45 },
    [TT_ARM_BOLUS] = { 0.85, 0.33, 0.10, 0.45 },
    [TT_ARM_FIXED] = { 0.20, 0.60, 0.30, 0.45 },
    [TT_ARM_NONE] = { 0.45, 0.45, 0.45, 0.45 },
  };

  *color = colors[arm];
}

static TtChart *
arm_chart (TtTrial  *trial,
           TtArm     arm,
           GError  **error)
{
  const TtCohort *cohort = tt_trial_get_cohort (trial);
  g_autoptr (TtChart) chart = tt_chart_new ();
  g_autofree char *title = NULL;
  gint64 duration_ms = (gint64) (cohort->duration_min * 60000);
  TtChartStyle style;
  TtChartColor color;
  double lo, hi;
  guint n = 0;

  tt_chart_style_init_light (&style);
  tt_chart_set_style (chart, &style);
  arm_color (arm, &color);
  for (guint i = 0; i < tt_trial_get_n_patients (trial); i++)
    {
      const TtTrialPatient *p = tt_trial_get_patient (trial, i);
      g_autofree gint64 *t = NULL;
      g_autofree double *map = NULL;

      if (p->arm != arm || p->trace == NULL || p->trace->len == 0)
        continue;
      t = g_new (gint64, p->trace->len);
      map = g_new (double, p->trace->len);
      for (guint k = 0; k < p->trace->len; k++)
        {
          const TtGridPoint *g = &g_array_index (p->trace, TtGridPoint, k);

          t[k] = g->t_ms;
          map[k] = tt_grid_point_is_valid (g) ? g->map : NAN;
        }
      if (!tt_chart_add_trace (chart, tt_arm_to_string (arm), &color, t, map, p->trace->len,
                               error))
        return NULL;
      n++;
    }
  /* The band of a patient with the cohort's mean baseline; each patient's own band differs. */
  tt_advisor_default_band (cohort->baseline_map.mean, &lo, &hi);
  if (!tt_chart_set_band (chart, lo, hi, error) ||
      !tt_chart_set_thresholds (chart, 65, NAN, error) ||
      !tt_chart_set_y_range (chart, 40, 160, error) ||
      !tt_chart_set_window (chart, duration_ms, duration_ms, error))
    return NULL;
  tt_chart_set_reference (chart, 0);
  title = g_strdup_printf (_("%s: MAP of %u virtual patients (grid %d s), band %.0f–%.0f mmHg at "
                             "baseline %.0f mmHg, threshold 65 mmHg"),
                           tt_arm_describe (arm), n, TT_GRID_DEFAULT_STEP_MS / 1000, lo, hi,
                           cohort->baseline_map.mean);
  tt_chart_set_title (chart, title);
  return g_steal_pointer (&chart);
}

static gboolean
write_plot (TtTrial     *trial,
            const char  *path,
            GError     **error)
{
  gboolean pdf = g_str_has_suffix (path, ".pdf");
  guint n_arms = 0, k = 0;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok = TRUE;

  if (!pdf && !g_str_has_suffix (path, ".png"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--plot %s: the file name must end in .pdf or .png"), path);
      return FALSE;
    }
  if (!tt_chart_check_driver (error))
    return FALSE;
  for (guint a = 0; a < TT_N_ARMS; a++)
    n_arms += tt_trial_get_arm_size (trial, a) > 0;

  /* PDF: a page per arm. PNG: the arms one under the other. */
  if (pdf)
    surface = cairo_pdf_surface_create (path, PLOT_WIDTH, PLOT_HEIGHT);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, PLOT_WIDTH, PLOT_HEIGHT * n_arms);
  cr = cairo_create (surface);
  if (!pdf)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  for (guint a = 0; a < TT_N_ARMS && ok; a++)
    {
      g_autoptr (TtChart) chart = NULL;

      if (tt_trial_get_arm_size (trial, a) == 0)
        continue;
      chart = arm_chart (trial, a, error);
      if (chart == NULL)
        {
          ok = FALSE;
          break;
        }
      cairo_save (cr);
      if (!pdf)
        cairo_translate (cr, 0, PLOT_HEIGHT * k);
      ok = tt_chart_draw (chart, cr, PLOT_WIDTH, PLOT_HEIGHT, error);
      cairo_restore (cr);
      if (pdf)
        cairo_show_page (cr);
      k++;
    }
  cairo_destroy (cr);
  if (ok && !pdf)
    {
      status = cairo_surface_write_to_png (surface, path);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot write %s: %s"), path,
                       cairo_status_to_string (status));
          ok = FALSE;
        }
    }
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot write %s: %s"), path,
                   cairo_status_to_string (status));
      ok = FALSE;
    }
  cairo_surface_destroy (surface);
  return ok;
}

int
tt_cli_trial (int    argc,
              char **argv)
{
  g_autofree char *cohort_path = NULL;
  g_autofree char *plot_path = NULL;
  gint64 seed = 1, patients = -1;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "cohort", 0, 0, G_OPTION_ARG_FILENAME, &cohort_path,
      N_("Cohort file (.ini); default: the source trial's cohort"), N_("FILE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (0–4294967295, default 1)"), "N" },
    { "patients", 0, 0, G_OPTION_ARG_INT64, &patients,
      N_("Number of patients (1–10000; default: the cohort's)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot_path,
      N_("Draw every arm's MAP traces to a .pdf or .png file"), N_("FILE") },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TtTrial) trial = NULL;
  TtCohort cohort;

  g_option_context_set_summary (context,
                                _("Simulates virtual patients randomised to the arms of the cohort "
                                  "and prints the source trial's endpoints per arm."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tt_cli_usage_error ("trial", error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[1]);

      return tt_cli_usage_error ("trial", message);
    }
  if (seed < 0 || seed > G_MAXUINT32)
    {
      g_autofree char *message = g_strdup_printf (
        _("--seed %" PRId64 " is out of range (allowed 0–4294967295)"), seed);

      return tt_cli_usage_error ("trial", message);
    }
  if (patients != -1 && (patients < 1 || patients > 10000))
    {
      g_autofree char *message = g_strdup_printf (
        _("--patients %" PRId64 " is out of range (allowed 1–10000)"), patients);

      return tt_cli_usage_error ("trial", message);
    }

  if (plot_path != NULL && !g_str_has_suffix (plot_path, ".pdf") &&
      !g_str_has_suffix (plot_path, ".png"))
    {
      g_autofree char *message = g_strdup_printf (
        _("--plot %s: the file name must end in .pdf or .png"), plot_path);

      return tt_cli_usage_error ("trial", message);
    }

  tt_cohort_init_default (&cohort);
  if (cohort_path != NULL)
    {
      g_autofree char *text = NULL;
      gsize length;

      if (!g_file_get_contents (cohort_path, &text, &length, &error))
        {
          g_printerr ("titrate-cli trial: %s\n", error->message);
          return TT_CLI_FAILED;
        }
      if (!tt_cohort_parse (&cohort, text, length, &error))
        {
          g_printerr ("titrate-cli trial: %s: %s\n", cohort_path, error->message);
          return TT_CLI_BAD_INPUT;
        }
    }

  trial = tt_trial_run (&cohort, (guint32) seed, patients < 0 ? 0 : (guint) patients,
                        plot_path != NULL);
  if (json)
    {
      g_autofree char *text = to_json (trial);

      fputs (text, stdout);
    }
  else
    print_table (trial);

  if (plot_path != NULL && !write_plot (trial, plot_path, &error))
    {
      g_printerr ("titrate-cli trial: %s\n", error->message);
      return TT_CLI_FAILED;
    }
  return TT_CLI_OK;
}
