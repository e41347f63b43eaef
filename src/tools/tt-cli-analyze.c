/* tt-cli-analyze.c: titrate-cli analyze FILE — the metrics of a recording, per window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tt-advisor.h"
#include "tt-case.h"
#include "tt-cli.h"
#include "tt-csv.h"
#include "tt-feed-error.h"
#include "tt-grid.h"
#include "tt-metrics.h"
#include "tt-quality.h"
#include "tt-recording-load.h"
#include "tt-store.h"

#define COMMAND "analyze"

typedef struct {
  const char  *path;
  gboolean     json;
  double       induction_s;     /* NAN: from the file */
  const char  *map_column;
  double       grid_s;
  const char  *band;            /* "LO-HI" or NULL */
  double       baseline;        /* NAN: estimated */
  gboolean     advice;
  TtCaseSetup *setup;           /* weight, concentration, line, start rate, bolus, dead space */
} Options;

/* One step of the advisor, as the CLI reports it. */
typedef struct {
  gint64   t_ms;
  double   map;               /* the filtered MAP it saw, NAN when none */
  TtAdvice advice;
} Step;

/* What the analysis found, for both outputs. */
typedef struct {
  const Options    *options;
  TtRecording      *recording;
  guint             n_samples;
  guint             n_valid;
  guint             flagged[TT_N_QUALITIES];
  gint64            grid_ms;
  gint64            induction_ms;      /* -1: none */
  const char       *induction_source;  /* "file", "option" or NULL */
  double            baseline;
  const char       *baseline_source;   /* "option", "pre-induction median" or NULL */
  TtMetricsConfig   config;
  const char       *band_source;       /* "option", "default" */
  gboolean          have[TT_N_WINDOWS];
  TtWindowMetrics   windows[TT_N_WINDOWS];
  GArray           *states;            /* TtSignalState per grid step, with --advice */
  GArray           *steps;             /* Step, with --advice */
  gint64            advice_from_ms;    /* the infusion starts here: induction, or the first step */
  guint             n_changes;
  guint             n_boluses;
} Analysis;

static void
clear_step (gpointer data)
{
  tt_advice_clear (&((Step *) data)->advice);
}

/* ---- options -------------------------------------------------------------------------------- */

/* "70-90", also with an en dash and spaces. */
static gboolean
parse_band (const char  *text,
            double      *lo,
            double      *hi)
{
  g_auto(GStrv) dashed = g_strsplit (text, "–", -1);
  g_autofree char *norm = g_strjoinv ("-", dashed);
  g_auto(GStrv) parts = g_strsplit (norm, "-", -1);
  char *end;

  if (g_strv_length (parts) != 2)
    return FALSE;
  g_strstrip (parts[0]);
  g_strstrip (parts[1]);
  *lo = g_ascii_strtod (parts[0], &end);
  if (*parts[0] == '\0' || *end != '\0' || !isfinite (*lo))
    return FALSE;
  *hi = g_ascii_strtod (parts[1], &end);
  return *parts[1] != '\0' && *end == '\0' && isfinite (*hi);
}

static gboolean
parse_seconds (const char *text,
               double     *out)
{
  char *end;

  *out = g_ascii_strtod (text, &end);
  return *text != '\0' && *end == '\0' && isfinite (*out);
}

/* ---- analysis ------------------------------------------------------------------------------- */

typedef struct {
  GArray *points;
  GArray *states;
} Collect;

static void
push_point_cb (const TtGridPoint *point,
               gpointer           user_data)
{
  g_array_append_val (((Collect *) user_data)->points, *point);
}

static void
push_state_cb (const TtSignalState *state,
               gpointer             user_data)
{
  g_array_append_val (((Collect *) user_data)->states, *state);
}

/* The advisor over every grid step from the start of induction (or of the recording), as if it
 * had run live and the clinician had accepted every advice. The recorded MAP does not respond. */
static void
run_advisor (Analysis *a)
{
  const TtCaseSetup *setup = a->options->setup;
  TtAdvisorParams params;
  g_autoptr(TtAdvisor) advisor = NULL;
  gboolean started = FALSE;

  tt_advisor_params_init (&params, setup->line);
  advisor = tt_advisor_new (&params);
  tt_advisor_set_infusion (advisor, setup->concentration, setup->weight_kg, setup->dead_space_ml);
  tt_advisor_set_band (advisor, a->config.band_lo, a->config.band_hi);
  tt_advisor_set_bolus (advisor, setup->bolus_ug, setup->concentration);
  tt_advisor_set_start_rate (advisor, setup->start_rate);
  tt_advisor_set_texts (advisor, TRUE);

  a->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (a->steps, clear_step);
  a->advice_from_ms = a->induction_ms;
  for (guint i = 0; i < a->states->len; i++)
    {
      const TtSignalState *state = &g_array_index (a->states, TtSignalState, i);
      Step step = { state->t_ms, state->valid ? state->map : NAN, { 0, } };

      if (a->advice_from_ms >= 0 && state->t_ms < a->advice_from_ms)
        continue;
      if (!started)
        {
          started = TRUE;
          if (a->advice_from_ms < 0)
            a->advice_from_ms = state->t_ms;
          tt_advisor_rate_set (advisor, a->advice_from_ms, setup->start_rate);
        }
      tt_advisor_update (advisor, state, &step.advice);
      if (step.advice.change != 0)
        {
          tt_advisor_rate_set (advisor, state->t_ms, step.advice.rate);
          a->n_changes++;
        }
      if (step.advice.bolus)
        {
          tt_advisor_bolus_given (advisor, state->t_ms);
          a->n_boluses++;
        }
      g_array_append_val (a->steps, step);
    }
}

static int
analyze (Analysis *a,
         GError  **error)
{
  const Options *o = a->options;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (TtGridPoint));
  g_autoptr(TtQualityClassifier) classifier = tt_quality_classifier_new ();
  g_autoptr(TtGrid) grid = NULL;
  g_autoptr(TtMetrics) metrics = NULL;
  GArray *samples = a->recording->samples;
  Collect collect;

  a->grid_ms = (gint64) llround (o->grid_s * 1000.0);
  if (o->advice)
    a->states = g_array_new (FALSE, FALSE, sizeof (TtSignalState));
  collect.points = points;
  collect.states = a->states;
  grid = tt_grid_new (a->grid_ms, push_point_cb, o->advice ? push_state_cb : NULL, &collect);
  for (guint i = 0; i < samples->len; i++)
    {
      TtSample *s = &g_array_index (samples, TtSample, i);
      TtQuality q = tt_quality_classifier_push (classifier, s);

      a->n_samples++;
      if (q == TT_QUALITY_VALID)
        a->n_valid++;
      else
        a->flagged[q]++;
      tt_grid_push (grid, s);
    }
  tt_grid_finish (grid);

  /* Induction: the option wins over the file. */
  a->induction_ms = -1;
  if (!isnan (o->induction_s))
    {
      a->induction_ms = (gint64) llround (o->induction_s * 1000.0);
      a->induction_source = "option";
    }
  else if (tt_recording_find_event (a->recording, "induction") >= 0)
    {
      a->induction_ms = tt_recording_find_event (a->recording, "induction");
      a->induction_source = "file";
    }

  /* Baseline: the option, else the pre-induction median [est]. */
  a->baseline = NAN;
  if (!isnan (o->baseline))
    {
      a->baseline = o->baseline;
      a->baseline_source = "option";
    }
  else if (a->induction_ms >= 0)
    {
      a->baseline = tt_metrics_estimate_baseline ((const TtGridPoint *) (void *) points->data,
                                                  points->len, a->grid_ms, a->induction_ms);
      if (!isnan (a->baseline))
        a->baseline_source = "pre-induction median";
    }

  /* Band: the option, else the default rule of CLINICAL.md §3. */
  tt_metrics_config_init (&a->config);
  a->config.grid_ms = a->grid_ms;
  a->config.baseline = a->baseline;
  if (o->band != NULL)
    {
      g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();

      if (!parse_band (o->band, &setup->target_lo, &setup->target_hi))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--band: '%s' is not a band like 70-90 (mmHg)"), o->band);
          return TT_CLI_BAD_INPUT;
        }
      if (!tt_case_setup_check_field (setup, TT_SETUP_TARGET_LO, error) ||
          !tt_case_setup_check_field (setup, TT_SETUP_TARGET_HI, error))
        {
          g_prefix_error (error, "--band: ");
          return TT_CLI_BAD_INPUT;
        }
      a->config.band_lo = setup->target_lo;
      a->config.band_hi = setup->target_hi;
      a->band_source = "option";
    }
  else
    {
      if (!isnan (a->baseline))
        tt_case_setup_default_band (a->baseline, &a->config.band_lo, &a->config.band_hi);
      else
        {
          a->config.band_lo = TT_CASE_TARGET_ABSOLUTE_LO;
          a->config.band_hi = TT_CASE_TARGET_ABSOLUTE_LO + TT_CASE_TARGET_DEFAULT_WIDTH;
        }
      a->band_source = "default";
    }

  metrics = tt_metrics_new (&a->config);
  if (a->induction_ms >= 0)
    tt_metrics_set_induction (metrics, a->induction_ms);
  for (guint i = 0; i < points->len; i++)
    tt_metrics_push (metrics, &g_array_index (points, TtGridPoint, i));
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    a->have[w] = tt_metrics_get (metrics, w, &a->windows[w]);

  if (o->advice)
    run_advisor (a);

  return TT_CLI_OK;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static void
json_string (GString    *out,
             const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_key (GString    *out,
          const char *key)
{
  json_string (out, key);
  g_string_append_c (out, ':');
}

static void
json_below_fields (GString              *out,
                   const TtBelowMetrics *b)
{
  g_string_append (out, "\"time_min\":");
  tt_cli_json_number (out, b->time_min);
  g_string_append (out, ",\"aut_mmHg_min\":");
  tt_cli_json_number (out, b->aut_mmhg_min);
  g_string_append (out, ",\"twa_mmHg\":");
  tt_cli_json_number (out, b->twa_mmhg);
  g_string_append_printf (out, ",\"episodes\":%u", b->episodes);
}

static void
json_window (GString               *out,
             const TtWindowMetrics *w)
{
  char key[16];

  g_string_append (out, "{\"start_s\":");
  tt_cli_json_number (out, w->start_ms / 1000.0);
  g_string_append (out, ",\"end_s\":");
  tt_cli_json_number (out, w->end_ms / 1000.0);
#define NUM(name, field) \
  G_STMT_START { \
    g_string_append (out, ",\"" name "\":"); \
    tt_cli_json_number (out, w->field); \
  } G_STMT_END
  NUM ("valid_min", valid_min);
  NUM ("excluded_min", excluded_min);
  NUM ("artifact_min", artifact_min);
  NUM ("gap_min", gap_min);
  NUM ("mean_mmHg", mean_mmhg);
  NUM ("sd_mmHg", sd_mmhg);
  NUM ("cv_pct", cv_pct);
  NUM ("arv_mmHg_per_min", arv_mmhg_per_min);
  NUM ("in_band_pct", in_band_pct);
  NUM ("min_mmHg", min_mmhg);
  NUM ("max_mmHg", max_mmhg);
#undef NUM

  g_string_append (out, ",\"below\":{");
  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    {
      g_snprintf (key, sizeof key, "%g", tt_metrics_below_mmhg[i]);
      if (i > 0)
        g_string_append_c (out, ',');
      json_key (out, key);
      g_string_append_c (out, '{');
      json_below_fields (out, &w->below[i]);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "},\"below_relative\":");
  if (isnan (w->relative_mmhg))
    g_string_append (out, "null");
  else
    {
      g_string_append (out, "{\"threshold_mmHg\":");
      tt_cli_json_number (out, w->relative_mmhg);
      g_string_append_c (out, ',');
      json_below_fields (out, &w->below_relative);
      g_string_append_c (out, '}');
    }

  g_string_append (out, ",\"above\":{");
  for (guint i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      g_snprintf (key, sizeof key, "%g", tt_metrics_above_mmhg[i]);
      if (i > 0)
        g_string_append_c (out, ',');
      json_key (out, key);
      g_string_append (out, "{\"time_min\":");
      tt_cli_json_number (out, w->above[i].time_min);
      g_string_append (out, ",\"area_mmHg_min\":");
      tt_cli_json_number (out, w->above[i].area_mmhg_min);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "},\"lowest_sustained_mmHg\":{");
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    {
      g_snprintf (key, sizeof key, "%d", tt_metrics_sustained_min[k]);
      if (k > 0)
        g_string_append_c (out, ',');
      json_key (out, key);
      tt_cli_json_number (out, w->lowest_sustained_mmhg[k]);
    }
  g_string_append (out, "},\"varvel\":{\"target_mmHg\":");
  tt_cli_json_number (out, w->target_mmhg);
  g_string_append (out, ",\"mdpe_pct\":");
  tt_cli_json_number (out, w->mdpe_pct);
  g_string_append (out, ",\"mdape_pct\":");
  tt_cli_json_number (out, w->mdape_pct);
  g_string_append (out, ",\"wobble_pct\":");
  tt_cli_json_number (out, w->wobble_pct);
  g_string_append (out, "}}");
}

static void
json_optional_string (GString    *out,
                      const char *s)
{
  if (s == NULL)
    g_string_append (out, "null");
  else
    json_string (out, s);
}

static void
json_advice (GString        *out,
             const Analysis *a)
{
  const TtCaseSetup *setup = a->options->setup;

  g_string_append (out, "{\"weight_kg\":");
  tt_cli_json_number (out, setup->weight_kg);
  g_string_append (out, ",\"concentration_ug_per_ml\":");
  tt_cli_json_number (out, setup->concentration);
  g_string_append (out, ",\"line\":");
  json_string (out, setup->line == TT_LINE_CENTRAL ? "central" : "peripheral");
  g_string_append (out, ",\"start_rate_ug_kg_min\":");
  tt_cli_json_number (out, setup->start_rate);
  g_string_append (out, ",\"bolus_ug\":");
  tt_cli_json_number (out, setup->bolus_ug);
  g_string_append (out, ",\"dead_space_ml\":");
  tt_cli_json_number (out, setup->dead_space_ml);
  g_string_append (out, ",\"start_s\":");
  tt_cli_json_number (out, a->advice_from_ms / 1000.0);
  g_string_append_printf (out, ",\"rate_changes\":%u,\"boluses\":%u,\"steps\":[",
                          a->n_changes, a->n_boluses);
  for (guint i = 0; i < a->steps->len; i++)
    {
      const Step *st = &g_array_index (a->steps, Step, i);
      const TtAdvice *ad = &st->advice;
      g_autofree char *limits = tt_limit_flags_to_string (ad->limits);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"t_s\":");
      tt_cli_json_number (out, st->t_ms / 1000.0);
      g_string_append (out, ",\"map_mmHg\":");
      tt_cli_json_number (out, st->map);
      g_string_append (out, ",\"kind\":");
      json_string (out, tt_advice_kind_to_string (ad->kind));
      g_string_append (out, ",\"reason\":");
      json_string (out, tt_advice_reason_to_string (ad->reason));
      g_string_append (out, ",\"rate_ug_kg_min\":");
      tt_cli_json_number (out, ad->rate);
      g_string_append (out, ",\"ml_h\":");
      tt_cli_json_number (out, ad->ml_h);
      g_string_append (out, ",\"change_ug_kg_min\":");
      tt_cli_json_number (out, ad->change);
      g_string_append (out, ",\"bolus_ug\":");
      tt_cli_json_number (out, ad->bolus ? ad->bolus_ug : 0);
      g_string_append (out, ",\"limits\":");
      json_optional_string (out, limits);
      g_string_append (out, ",\"title\":");
      json_optional_string (out, ad->title);
      g_string_append (out, ",\"sentence\":");
      json_optional_string (out, ad->sentence);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
}

static char *
to_json (const Analysis *a)
{
  g_autoptr(GString) out = g_string_new ("{");
  gboolean first = TRUE;

  json_key (out, "file");
  json_string (out, a->options->path);
  g_string_append_c (out, ',');
  json_key (out, "format");
  json_optional_string (out, a->recording->format);
  g_string_append_c (out, ',');
  json_key (out, "map_source");
  json_optional_string (out, a->recording->map_source);
  g_string_append (out, ",\"grid_s\":");
  tt_cli_json_number (out, a->grid_ms / 1000.0);
  g_string_append_printf (out, ",\"samples\":{\"total\":%u,\"valid\":%u,\"flagged\":{",
                          a->n_samples, a->n_valid);
  for (guint q = 1; q < TT_N_QUALITIES; q++)
    {
      if (a->flagged[q] == 0)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      json_key (out, tt_quality_to_string (q));
      g_string_append_printf (out, "%u", a->flagged[q]);
    }
  g_string_append (out, "}},\"induction_s\":");
  tt_cli_json_number (out, a->induction_ms >= 0 ? a->induction_ms / 1000.0 : NAN);
  g_string_append (out, ",\"induction_source\":");
  json_optional_string (out, a->induction_source);
  g_string_append (out, ",\"baseline_mmHg\":");
  tt_cli_json_number (out, a->baseline);
  g_string_append (out, ",\"baseline_source\":");
  json_optional_string (out, a->baseline_source);
  g_string_append (out, ",\"band\":{\"lo_mmHg\":");
  tt_cli_json_number (out, a->config.band_lo);
  g_string_append (out, ",\"hi_mmHg\":");
  tt_cli_json_number (out, a->config.band_hi);
  g_string_append (out, ",\"source\":");
  json_string (out, a->band_source);
  g_string_append (out, "},\"relative_pct\":");
  tt_cli_json_number (out, a->config.relative_pct);
  g_string_append (out, ",\"windows\":{");
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    {
      if (w > 0)
        g_string_append_c (out, ',');
      json_key (out, tt_window_to_string (w));
      if (a->have[w])
        json_window (out, &a->windows[w]);
      else
        g_string_append (out, "null");
    }
  g_string_append (out, "},\"advice\":");
  if (a->steps != NULL)
    json_advice (out, a);
  else
    g_string_append (out, "null");
  g_string_append (out, "}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- table ---------------------------------------------------------------------------------- */

#define LABEL_WIDTH 40
#define UNIT_WIDTH  10
#define VALUE_WIDTH 15

static void
pad (GString    *out,
     const char *text,
     int         width)
{
  glong n = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = n; i < width; i++)
    g_string_append_c (out, ' ');
}

typedef double (*Getter) (const TtWindowMetrics *w, gconstpointer data);

static void
row (GString        *out,
     const Analysis *a,
     const char     *label,
     const char     *unit,
     int             decimals,
     Getter          get,
     gconstpointer   data)
{
  pad (out, label, LABEL_WIDTH);
  pad (out, unit, UNIT_WIDTH);
  for (TtMetricsWindow w = 0; w < TT_N_WINDOWS; w++)
    {
      g_autofree char *cell = NULL;
      double v = a->have[w] ? get (&a->windows[w], data) : NAN;

      cell = isfinite (v) ? g_strdup_printf ("%.*f", decimals, v) : g_strdup ("—");
      pad (out, cell, VALUE_WIDTH);
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

#define FIELD_GETTER(name, expr) \
  static double name (const TtWindowMetrics *w, gconstpointer data) { (void) data; return (expr); }

FIELD_GETTER (get_start, w->start_ms / 1000.0)
FIELD_GETTER (get_end, w->end_ms / 1000.0)
FIELD_GETTER (get_valid, w->valid_min)
FIELD_GETTER (get_excluded, w->excluded_min)
FIELD_GETTER (get_artifact, w->artifact_min)
FIELD_GETTER (get_gap, w->gap_min)
FIELD_GETTER (get_mean, w->mean_mmhg)
FIELD_GETTER (get_sd, w->sd_mmhg)
FIELD_GETTER (get_cv, w->cv_pct)
FIELD_GETTER (get_arv, w->arv_mmhg_per_min)
FIELD_GETTER (get_min, w->min_mmhg)
FIELD_GETTER (get_max, w->max_mmhg)
FIELD_GETTER (get_band, w->in_band_pct)
FIELD_GETTER (get_rel_time, w->below_relative.time_min)
FIELD_GETTER (get_rel_aut, w->below_relative.aut_mmhg_min)
FIELD_GETTER (get_rel_twa, w->below_relative.twa_mmhg)
FIELD_GETTER (get_rel_episodes, w->below_relative.episodes)
FIELD_GETTER (get_mdpe, w->mdpe_pct)
FIELD_GETTER (get_mdape, w->mdape_pct)
FIELD_GETTER (get_wobble, w->wobble_pct)

static double
get_below_time (const TtWindowMetrics *w, gconstpointer data)
{
  return w->below[GPOINTER_TO_UINT (data)].time_min;
}

static double
get_below_aut (const TtWindowMetrics *w, gconstpointer data)
{
  return w->below[GPOINTER_TO_UINT (data)].aut_mmhg_min;
}

static double
get_below_twa (const TtWindowMetrics *w, gconstpointer data)
{
  return w->below[GPOINTER_TO_UINT (data)].twa_mmhg;
}

static double
get_below_episodes (const TtWindowMetrics *w, gconstpointer data)
{
  return w->below[GPOINTER_TO_UINT (data)].episodes;
}

static double
get_above_time (const TtWindowMetrics *w, gconstpointer data)
{
  return w->above[GPOINTER_TO_UINT (data)].time_min;
}

static double
get_above_area (const TtWindowMetrics *w, gconstpointer data)
{
  return w->above[GPOINTER_TO_UINT (data)].area_mmhg_min;
}

static double
get_sustained (const TtWindowMetrics *w, gconstpointer data)
{
  return w->lowest_sustained_mmhg[GPOINTER_TO_UINT (data)];
}

static char *
to_table (const Analysis *a)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autofree char *grid = g_strdup_printf ("%g", a->grid_ms / 1000.0);

  g_string_append_printf (out, "%s %s\n", _("Recording:"), a->options->path);
  g_string_append_printf (out, _("  MAP from:   %s (%s)\n"),
                          a->recording->map_source ? a->recording->map_source : "—",
                          a->recording->format);
  for (guint q = 1; q < TT_N_QUALITIES; q++)
    if (a->flagged[q] > 0)
      g_string_append_printf (flags, "%s%s %u", flags->len ? ", " : "",
                              tt_quality_to_string (q), a->flagged[q]);
  g_string_append_printf (out, _("  Samples:    %u, %u valid, %u flagged%s%s%s\n"), a->n_samples,
                          a->n_valid, a->n_samples - a->n_valid, flags->len ? " (" : "",
                          flags->str, flags->len ? ")" : "");
  g_string_append_printf (out, _("  Grid:       %s s (every figure below is computed on this grid; "
                                 "ARV depends on it)\n"), grid);
  if (a->induction_ms >= 0)
    g_string_append_printf (out, _("  Induction:  %.1f s (%s)\n"), a->induction_ms / 1000.0,
                            g_str_equal (a->induction_source, "option")
                              ? _("--induction-at") : _("event in the file"));
  else
    g_string_append_printf (out, "%s\n", _("  Induction:  none (no 'induction' event and no "
                                           "--induction-at): the first 15 min and induction "
                                           "windows are not available"));
  if (!isnan (a->baseline))
    g_string_append_printf (out, _("  Baseline:   %.1f mmHg (%s)\n"), a->baseline,
                            g_str_equal (a->baseline_source, "option")
                              ? _("--baseline")
                              : _("median of the valid MAP in the 5 min before induction [est]"));
  else
    g_string_append_printf (out, "%s\n", _("  Baseline:   none (no relative threshold)"));
  g_string_append_printf (out, _("  Band:       %.0f–%.0f mmHg (%s)\n"), a->config.band_lo,
                          a->config.band_hi,
                          g_str_equal (a->band_source, "option")
                            ? _("--band")
                            : isnan (a->baseline)
                              ? _("default without a baseline: 65–85 [est]")
                              /* xgettext:no-c-format */
                              : _("default: lower = max(65, 80 % of baseline), upper = lower + 20 "
                                  "[est]"));
  g_string_append_printf (out, _("  Target:     %.1f mmHg (middle of the band; for MDPE, MDAPE, "
                                 "wobble)\n\n"),
                          (a->config.band_lo + a->config.band_hi) / 2.0);

  pad (out, _("Metric"), LABEL_WIDTH);
  pad (out, _("Unit"), UNIT_WIDTH);
  pad (out, _("First 15 min"), VALUE_WIDTH);
  pad (out, _("Induction–end"), VALUE_WIDTH);
  g_string_append_printf (out, "%s\n", _("Whole case"));

  row (out, a, _("Window start"), "s", 1, get_start, NULL);
  row (out, a, _("Window end"), "s", 1, get_end, NULL);
  row (out, a, _("Valid time"), "min", 2, get_valid, NULL);
  row (out, a, _("Excluded time"), "min", 2, get_excluded, NULL);
  row (out, a, _("  of which artifact"), "min", 2, get_artifact, NULL);
  row (out, a, _("  of which gap (no data > 10 s)"), "min", 2, get_gap, NULL);
  row (out, a, _("Mean MAP"), "mmHg", 1, get_mean, NULL);
  row (out, a, _("SD"), "mmHg", 1, get_sd, NULL);
  row (out, a, _("CV"), "%", 1, get_cv, NULL);
  {
    g_autofree char *label = g_strdup_printf (_("ARV (%s s grid)"), grid);

    row (out, a, label, "mmHg/min", 1, get_arv, NULL);
  }
  row (out, a, _("Lowest MAP"), "mmHg", 1, get_min, NULL);
  row (out, a, _("Highest MAP"), "mmHg", 1, get_max, NULL);
  {
    g_autofree char *label = g_strdup_printf (_("Time in band %.0f–%.0f"), a->config.band_lo,
                                              a->config.band_hi);

    row (out, a, label, "%", 1, get_band, NULL);
  }
  for (guint i = 0; i < TT_METRICS_N_BELOW; i++)
    {
      g_autofree char *t = g_strdup_printf (_("Time below %g"), tt_metrics_below_mmhg[i]);
      g_autofree char *u = g_strdup_printf (_("Area below %g (AUT)"), tt_metrics_below_mmhg[i]);
      g_autofree char *v = g_strdup_printf (_("TWA below %g"), tt_metrics_below_mmhg[i]);
      g_autofree char *e = g_strdup_printf (_("Episodes below %g (≥ 1 min)"),
                                            tt_metrics_below_mmhg[i]);

      row (out, a, t, "min", 2, get_below_time, GUINT_TO_POINTER (i));
      row (out, a, u, "mmHg·min", 2, get_below_aut, GUINT_TO_POINTER (i));
      row (out, a, v, "mmHg", 2, get_below_twa, GUINT_TO_POINTER (i));
      row (out, a, e, _("count"), 0, get_below_episodes, GUINT_TO_POINTER (i));
    }
  if (!isnan (a->baseline))
    {
      double rel = a->baseline * a->config.relative_pct / 100.0;
      g_autofree char *t = g_strdup_printf (_("Time below %.1f (%g %% of baseline)"), rel,
                                            a->config.relative_pct);
      g_autofree char *u = g_strdup_printf (_("Area below %.1f (AUT)"), rel);
      g_autofree char *v = g_strdup_printf (_("TWA below %.1f"), rel);
      g_autofree char *e = g_strdup_printf (_("Episodes below %.1f (≥ 1 min)"), rel);

      row (out, a, t, "min", 2, get_rel_time, NULL);
      row (out, a, u, "mmHg·min", 2, get_rel_aut, NULL);
      row (out, a, v, "mmHg", 2, get_rel_twa, NULL);
      row (out, a, e, _("count"), 0, get_rel_episodes, NULL);
    }
  for (guint i = 0; i < TT_METRICS_N_ABOVE; i++)
    {
      g_autofree char *t = g_strdup_printf (_("Time above %g"), tt_metrics_above_mmhg[i]);
      g_autofree char *u = g_strdup_printf (_("Area above %g"), tt_metrics_above_mmhg[i]);

      row (out, a, t, "min", 2, get_above_time, GUINT_TO_POINTER (i));
      row (out, a, u, "mmHg·min", 2, get_above_area, GUINT_TO_POINTER (i));
    }
  for (guint k = 0; k < TT_METRICS_N_SUSTAINED; k++)
    {
      g_autofree char *t = g_strdup_printf (_("Lowest MAP sustained %d min"),
                                            tt_metrics_sustained_min[k]);

      row (out, a, t, "mmHg", 1, get_sustained, GUINT_TO_POINTER (k));
    }
  row (out, a, _("MDPE (Varvel)"), "%", 1, get_mdpe, NULL);
  row (out, a, _("MDAPE (Varvel)"), "%", 1, get_mdape, NULL);
  row (out, a, _("Wobble (Varvel)"), "%", 1, get_wobble, NULL);
  g_string_append_printf (out, "\n%s\n",
                          _("Artifact and gap time is excluded from every numerator and "
                            "denominator. — : not available."));

  if (a->steps != NULL)
    {
      const TtCaseSetup *setup = a->options->setup;
      TtAdviceKind last_kind = TT_N_ADVICE_KINDS;
      TtAdviceReason last_reason = TT_N_REASONS;

      g_string_append_printf (out, "\n%s\n",
                              _("Advice at each grid step as if the advisor had run live and every "
                                "advice had been accepted (the recorded MAP does not respond to it); "
                                "shown when it changes:"));
      g_string_append_printf (out, _("  %.0f kg, %g µg/mL, %s line, infusion started at %g "
                                     "µg/kg/min at %.1f s; rate changes: %u, boluses: %u\n"),
                              setup->weight_kg, setup->concentration,
                              setup->line == TT_LINE_CENTRAL ? _("central") : _("peripheral"),
                              setup->start_rate, a->advice_from_ms / 1000.0, a->n_changes,
                              a->n_boluses);
      for (guint i = 0; i < a->steps->len; i++)
        {
          const Step *st = &g_array_index (a->steps, Step, i);
          const TtAdvice *ad = &st->advice;
          g_autofree char *map = isfinite (st->map) ? g_strdup_printf ("%.0f mmHg", st->map)
                                                    : g_strdup ("—");

          if (ad->kind == last_kind && ad->reason == last_reason && ad->change == 0 && !ad->bolus)
            continue;
          last_kind = ad->kind;
          last_reason = ad->reason;
          g_string_append_printf (out, "  %8.1f s  MAP %-9s %s", st->t_ms / 1000.0, map,
                                  ad->title ? ad->title : tt_advice_kind_to_string (ad->kind));
          if (ad->rate_text != NULL)
            g_string_append_printf (out, ": %s", ad->rate_text);
          if (ad->bolus_text != NULL)
            g_string_append_printf (out, "; %s", ad->bolus_text);
          if (ad->sentence != NULL)
            g_string_append_printf (out, ". %s", ad->sentence);
          if (ad->limit_text != NULL)
            g_string_append_printf (out, " %s", ad->limit_text);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- entry point ---------------------------------------------------------------------------- */

/* ---- --save -------------------------------------------------------------------------------- */

/* Stores the recording, classified, as a replay session (no patient: weight and syringe unknown). */
static int
save_session (const Analysis *a,
              const char     *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (db, &error);
  g_autoptr(TtStoreSession) session = NULL;
  g_autofree char *label = NULL;
  const GArray *samples = a->recording->samples;
  const GArray *events = a->recording->events;
  TtStoreSetup setup;
  gint64 end_ms = 0;

  if (store != NULL)
    {
      label = g_path_get_basename (a->options->path);
      tt_store_setup_init (&setup);
      setup.label = label;
      setup.mode = TT_STORE_MODE_REPLAY;
      setup.start_unix_ms = a->recording->start_unix_ms;
      setup.baseline_map = a->baseline;
      setup.band_low = a->config.band_lo;
      setup.band_high = a->config.band_hi;
      setup.source = (char *) a->options->path;
      session = tt_store_begin_session (store, &setup, &error);
    }
  if (session == NULL)
    {
      g_printerr ("titrate-cli %s --save: %s\n", COMMAND, error->message);
      return TT_CLI_FAILED;
    }
  tt_store_add_samples (session, (const TtSample *) (const void *) samples->data, samples->len);
  for (guint i = 0; i < events->len; i++)
    {
      const TtRecordingEvent *e = &g_array_index (events, TtRecordingEvent, i);

      tt_store_add_event (session, e->t_ms, e->kind, e->text);
      end_ms = MAX (end_ms, e->t_ms);
    }
  if (samples->len > 0)
    end_ms = MAX (end_ms, g_array_index (samples, TtSample, samples->len - 1).t_ms);
  tt_store_end_session (session, end_ms);
  if (!tt_store_flush (store, &error))
    {
      g_printerr ("titrate-cli %s --save: %s\n", COMMAND, error->message);
      return TT_CLI_FAILED;
    }
  g_printerr (_("Saved as replay session %" PRId64 " in %s\n"),
              tt_store_session_get_id (session), tt_store_get_path (store));
  return TT_CLI_OK;
}

int
tt_cli_analyze (int    argc,
                char **argv)
{
  g_autofree char *induction = NULL;
  g_autofree char *map_column = NULL;
  g_autofree char *grid = NULL;
  g_autofree char *band = NULL;
  g_autofree char *baseline = NULL;
  g_autofree char *weight = NULL;
  g_autofree char *concentration = NULL;
  g_autofree char *line = NULL;
  g_autoptr(TtCaseSetup) setup = tt_case_setup_new ();
  gboolean json = FALSE;
  gboolean advice = FALSE;
  gboolean save = FALSE;
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (keys in the README)"), NULL },
    { "induction-at", 0, 0, G_OPTION_ARG_STRING, &induction,
      N_("Start of induction in seconds (overrides an 'induction' event)"), N_("SECONDS") },
    { "map-column", 0, 0, G_OPTION_ARG_STRING, &map_column,
      N_("Column holding MAP (default: the first of map, ART_MBP, ABP_MEAN, …)"), N_("NAME") },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid,
      N_("Resampling grid in seconds, 0.5–60 (default 2)"), N_("SECONDS") },
    { "band", 0, 0, G_OPTION_ARG_STRING, &band,
      /* xgettext:no-c-format */
      N_("Target band in mmHg (default: lower = max(65, 80 % of baseline), upper = lower + 20)"),
      N_("LO-HI") },
    { "baseline", 0, 0, G_OPTION_ARG_STRING, &baseline,
      N_("Baseline MAP in mmHg (default: median of the 5 min before induction)"), N_("MMHG") },
    { "advice", 0, 0, G_OPTION_ARG_NONE, &advice,
      N_("Also print the advisor's advice at each grid step, as if it had run live"), NULL },
    { "weight", 0, 0, G_OPTION_ARG_STRING, &weight,
      N_("With --advice: patient weight in kg (default 70)"), N_("KG") },
    { "concentration", 0, 0, G_OPTION_ARG_STRING, &concentration,
      N_("With --advice: syringe concentration in µg/mL (default 20)"), N_("UG_PER_ML") },
    { "line", 0, 0, G_OPTION_ARG_STRING, &line,
      N_("With --advice: peripheral or central (default peripheral)"), N_("TYPE") },
    { "save", 0, 0, G_OPTION_ARG_NONE, &save,
      N_("Also store the recording in the session log as a replay session"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_("--save: the session log to use (default: ~/.local/share/titrate/sessions.db)"),
      N_("PATH") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — metrics of a recording"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) recording = NULL;
  Options o = { NULL, FALSE, NAN, NULL, TT_GRID_DEFAULT_STEP_MS / 1000.0, NULL, NAN, FALSE, NULL };
  Analysis a = { 0 };
  TtCsvOptions csv_options = { NULL, NULL };
  g_autofree char *text = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Prints hypotension, variability and control metrics per window "
                                  "(first 15 min after induction, induction to end, whole case)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tt_cli_usage_error (COMMAND, error->message);
  if (argc != 2)
    return tt_cli_usage_error (COMMAND, argc < 2 ? _("name one FILE to analyze")
                                                 : _("name only one FILE to analyze"));
  o.path = argv[1];
  o.json = json;
  o.map_column = map_column;
  o.band = band;
  o.advice = advice;
  o.setup = setup;

  if (weight != NULL || concentration != NULL || line != NULL)
    {
      if (!advice)
        return tt_cli_usage_error (COMMAND, _("--weight, --concentration and --line go with "
                                              "--advice"));
      if (weight != NULL && !parse_seconds (weight, &setup->weight_kg))
        {
          g_autofree char *m = g_strdup_printf (_("--weight: '%s' is not a number (kg)"), weight);

          return tt_cli_usage_error (COMMAND, m);
        }
      if (concentration != NULL && !parse_seconds (concentration, &setup->concentration))
        {
          g_autofree char *m = g_strdup_printf (_("--concentration: '%s' is not a number (µg/mL)"),
                                                concentration);

          return tt_cli_usage_error (COMMAND, m);
        }
      if (line != NULL)
        {
          if (g_ascii_strcasecmp (line, "peripheral") == 0)
            setup->line = TT_LINE_PERIPHERAL;
          else if (g_ascii_strcasecmp (line, "central") == 0)
            setup->line = TT_LINE_CENTRAL;
          else
            {
              g_autofree char *m = g_strdup_printf (_("--line: '%s' is neither peripheral nor "
                                                      "central"), line);

              return tt_cli_usage_error (COMMAND, m);
            }
        }
      if (!tt_case_setup_check_field (setup, TT_SETUP_WEIGHT, &error))
        {
          g_autofree char *m = g_strdup_printf ("--weight: %s", error->message);

          return tt_cli_usage_error (COMMAND, m);
        }
      if (!tt_case_setup_check_field (setup, TT_SETUP_CONCENTRATION, &error))
        {
          g_autofree char *m = g_strdup_printf ("--concentration: %s", error->message);

          return tt_cli_usage_error (COMMAND, m);
        }
    }

  if (grid != NULL)
    {
      if (!parse_seconds (grid, &o.grid_s) ||
          o.grid_s * 1000 < TT_GRID_MIN_STEP_MS - 1e-9 || o.grid_s * 1000 > TT_GRID_MAX_STEP_MS + 1e-9)
        {
          g_autofree char *m = g_strdup_printf (_("--grid: '%s' is outside the allowed range "
                                                  "0.5–60 s"), grid);

          return tt_cli_usage_error (COMMAND, m);
        }
    }
  if (induction != NULL && (!parse_seconds (induction, &o.induction_s) || o.induction_s < 0 ||
                            o.induction_s > TT_CSV_MAX_TIME_S))
    {
      g_autofree char *m = g_strdup_printf (_("--induction-at: '%s' is not a time in seconds "
                                              "(0 or more)"), induction);

      return tt_cli_usage_error (COMMAND, m);
    }
  if (baseline != NULL)
    {
      if (!parse_seconds (baseline, &o.baseline))
        {
          g_autofree char *m = g_strdup_printf (_("--baseline: '%s' is not a number (mmHg)"),
                                                baseline);

          return tt_cli_usage_error (COMMAND, m);
        }
      setup->baseline_map = o.baseline;
      if (!tt_case_setup_check_field (setup, TT_SETUP_BASELINE, &error))
        {
          g_autofree char *m = g_strdup_printf ("--baseline: %s", error->message);

          return tt_cli_usage_error (COMMAND, m);
        }
    }

  /* Every format Titrate reads, recognised by its content (.vital, WFDB header, CSV). */
  csv_options.map_column = map_column;
  recording = tt_recording_load_file_full (o.path, &csv_options, NULL, &error);
  if (recording == NULL && error->domain == G_IO_ERROR)
    {
      g_printerr ("titrate-cli %s: %s\n", COMMAND, error->message);
      return TT_CLI_FAILED;
    }
  if (recording == NULL && g_error_matches (error, TT_FEED_ERROR, TT_FEED_ERROR_FORMAT))
    return tt_cli_usage_error (COMMAND, error->message);
  if (recording == NULL)
    {
      g_autofree char *m = g_strdup_printf ("%s: %s", o.path, error->message);

      return tt_cli_usage_error (COMMAND, m);
    }

  /* Every reader bounds its input, but a damaged clock (a jump of years) must not become billions
   * of grid steps. */
  if (recording->samples->len > 1)
    {
      gint64 span = g_array_index (recording->samples, TtSample, recording->samples->len - 1).t_ms -
                    g_array_index (recording->samples, TtSample, 0).t_ms;

      if (span > TT_GRID_MAX_SPAN_MS || span < 0)
        {
          g_autofree char *m = g_strdup_printf (_("%s: the samples span %.1f days; at most %d days "
                                                  "are analysed"), o.path, span / 86400000.0,
                                                (int) (TT_GRID_MAX_SPAN_MS / 86400000));

          return tt_cli_usage_error (COMMAND, m);
        }
    }

  a.options = &o;
  a.recording = recording;
  status = analyze (&a, &error);
  if (status != TT_CLI_OK)
    return tt_cli_usage_error (COMMAND, error->message);

  text = o.json ? to_json (&a) : to_table (&a);
  fputs (text, stdout);
  status = save ? save_session (&a, db) : TT_CLI_OK;
  g_clear_pointer (&a.states, g_array_unref);
  g_clear_pointer (&a.steps, g_array_unref);
  return status;
}
