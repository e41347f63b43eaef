/* tt-cli-listen.c: titrate-cli listen — receive a live feed for a while, then print its metrics
 * and, on request, the advice the engine would give at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "tt-advisor.h"
#include "tt-case.h"
#include "tt-cli.h"
#include "tt-feed-error.h"
#include "tt-grid.h"
#include "tt-line-feed.h"
#include "tt-metrics.h"
#include "tt-mllp-feed.h"

#define COMMAND "listen"
#define MAX_SECONDS 86400

typedef struct {
  GMainLoop  *loop;
  GArray     *samples;
  gint64      start_us;
  guint       timeout_id;
  gboolean    interrupted;
} Listen;

static void
samples_cb (TtFeed         *feed,
            const TtSample *samples,
            guint           n,
            gpointer        user_data)
{
  g_array_append_vals (((Listen *) user_data)->samples, samples, n);
}

static void
status_cb (TtFeed     *feed,
           GParamSpec *pspec,
           gpointer    user_data)
{
  Listen *l = user_data;

  /* Standard input that ended: nothing more will come. */
  if (tt_feed_get_status (feed) == TT_FEED_STATUS_ENDED)
    g_main_loop_quit (l->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Listen *l = user_data;

  l->timeout_id = 0;
  g_main_loop_quit (l->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Listen *l = user_data;

  l->interrupted = TRUE;
  g_main_loop_quit (l->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*out);
}

static void
json_string (GString    *out,
             const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
format_value (double v,
              int    decimals)
{
  return isfinite (v) ? g_strdup_printf ("%.*f", decimals, v) : g_strdup ("—");
}

/* Columns padded by characters, not bytes ("mmHg·min", translations). */
static void
append_padded (GString    *out,
               const char *text,
               glong       width)
{
  g_string_append (out, text);
  for (glong n = g_utf8_strlen (text, -1); n < width; n++)
    g_string_append_c (out, ' ');
}

static void
append_row (GString    *out,
            const char *name,
            const char *unit,
            const char *value)
{
  append_padded (out, name, 31);
  append_padded (out, unit, 11);
  g_string_append_printf (out, "%s\n", value);
}

typedef struct {
  gboolean        have;
  TtSignalState   state;
} LastState;

static void
state_cb (const TtSignalState *state,
          gpointer             user_data)
{
  LastState *last = user_data;

  last->have = TRUE;
  last->state = *state;
}

int
tt_cli_listen (int    argc,
               char **argv)
{
  g_autofree char *mllp = NULL, *tcp = NULL, *band = NULL, *weight_text = NULL;
  g_autofree char *concentration_text = NULL, *rate_text = NULL, *line_text = NULL;
  g_autofree char *grid_text = NULL, *feed_message = NULL, *counts = NULL;
  gboolean use_stdin = FALSE, json = FALSE, advice = FALSE;
  int seconds = 0;
  GOptionEntry entries[] = {
    { "mllp", 0, 0, G_OPTION_ARG_STRING, &mllp,
      N_("Listen for HL7 v2 over MLLP on [ADDR:]PORT (default address 127.0.0.1)"),
      N_("[ADDR:]PORT") },
    { "tcp", 0, 0, G_OPTION_ARG_STRING, &tcp,
      N_("Listen for a line stream (t_ms,map[,sbp,dbp,hr]) on [ADDR:]PORT"), N_("[ADDR:]PORT") },
    { "stdin", 0, 0, G_OPTION_ARG_NONE, &use_stdin,
      N_("Read the line stream from standard input"), NULL },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds,
      N_("How long to listen (1–86400 s; standard input also stops at its end)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a table"), NULL },
    { "band", 0, 0, G_OPTION_ARG_STRING, &band,
      N_("Target band in mmHg (default 65-85 [est])"), N_("LO-HI") },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid_text,
      N_("Resampling grid in seconds (0.5–60, default 2)"), N_("S") },
    { "advice", 0, 0, G_OPTION_ARG_NONE, &advice,
      N_("Also print the advice at the end (needs --weight and --concentration)"), NULL },
    { "weight", 0, 0, G_OPTION_ARG_STRING, &weight_text, N_("Patient weight in kg"), N_("KG") },
    { "concentration", 0, 0, G_OPTION_ARG_STRING, &concentration_text,
      N_("Norepinephrine concentration in µg/mL"), N_("UG_ML") },
    { "rate", 0, 0, G_OPTION_ARG_STRING, &rate_text,
      N_("Infusion rate running now in µg/kg/min (default 0: stopped)"), N_("UG_KG_MIN") },
    { "line", 0, 0, G_OPTION_ARG_STRING, &line_text,
      N_("Line type: central or peripheral (default peripheral)"), N_("TYPE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— metrics of a live feed"));
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autoptr(TtFeed) feed = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autoptr(GArray) points = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(TtAdvice) the_advice = { 0 };
  TtMetricsConfig config;
  TtWindowMetrics m = { 0 };
  gboolean have_metrics = FALSE;
  const char *source;
  guint16 port = 0;
  double grid_s = TT_GRID_DEFAULT_STEP_MS / 1000.0;
  double weight = NAN, concentration = NAN, rate = 0;
  TtLineType line = TT_LINE_PERIPHERAL;
  Listen l = { 0 };
  guint sigint_id, sigterm_id;
  gint64 end_ms;
  LastState last = { FALSE };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Receives a live feed (HL7 over MLLP, a TCP line stream or "
                                  "standard input) for N seconds, then prints its metrics."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tt_cli_usage_error (COMMAND, error->message);
  if (argc != 1)
    return tt_cli_usage_error (COMMAND, _("unexpected argument; see titrate-cli listen --help"));
  if ((mllp != NULL) + (tcp != NULL) + (use_stdin != FALSE) != 1)
    return tt_cli_usage_error (COMMAND, _("choose one source: --mllp, --tcp or --stdin"));
  if (seconds < 1 || seconds > MAX_SECONDS)
    return tt_cli_usage_error (COMMAND, _("--seconds: give a duration from 1 to 86400 s"));
  if (grid_text != NULL &&
      (!parse_number (grid_text, &grid_s) || grid_s * 1000 < TT_GRID_MIN_STEP_MS - 1e-9 ||
       grid_s * 1000 > TT_GRID_MAX_STEP_MS + 1e-9))
    {
      g_autofree char *m2 = g_strdup_printf (_("--grid: '%s' is outside the allowed range 0.5–60 s"),
                                             grid_text);

      return tt_cli_usage_error (COMMAND, m2);
    }

  tt_metrics_config_init (&config);
  config.grid_ms = (gint64) llround (grid_s * 1000);
  config.band_lo = TT_CASE_TARGET_ABSOLUTE_LO;
  config.band_hi = TT_CASE_TARGET_ABSOLUTE_LO + TT_CASE_TARGET_DEFAULT_WIDTH;
  config.baseline = NAN;
  if (band != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (band, "-", 2);

      if (g_strv_length (parts) != 2 || !parse_number (parts[0], &config.band_lo) ||
          !parse_number (parts[1], &config.band_hi))
        {
          g_autofree char *m2 = g_strdup_printf (_("--band: '%s' is not a band like 70-90 (mmHg)"),
                                                 band);

          return tt_cli_usage_error (COMMAND, m2);
        }
      if (!tt_advisor_validate_band (config.band_lo, config.band_hi, &error))
        {
          g_autofree char *m2 = g_strdup_printf ("--band: %s", error->message);

          return tt_cli_usage_error (COMMAND, m2);
        }
    }
  if (advice)
    {
      if (weight_text == NULL || concentration_text == NULL)
        return tt_cli_usage_error (COMMAND, _("--advice needs --weight (kg) and --concentration "
                                              "(µg/mL)"));
      if (!parse_number (weight_text, &weight))
        {
          g_autofree char *m2 = g_strdup_printf (_("--weight: '%s' is not a number (kg)"),
                                                 weight_text);
          return tt_cli_usage_error (COMMAND, m2);
        }
      if (!parse_number (concentration_text, &concentration))
        {
          g_autofree char *m2 = g_strdup_printf (_("--concentration: '%s' is not a number (µg/mL)"),
                                                 concentration_text);
          return tt_cli_usage_error (COMMAND, m2);
        }
      if (rate_text != NULL && !parse_number (rate_text, &rate))
        {
          g_autofree char *m2 = g_strdup_printf (_("--rate: '%s' is not a number (µg/kg/min)"),
                                                 rate_text);
          return tt_cli_usage_error (COMMAND, m2);
        }
      if (line_text != NULL && g_str_equal (line_text, "central"))
        line = TT_LINE_CENTRAL;
      else if (line_text != NULL && !g_str_equal (line_text, "peripheral"))
        {
          g_autofree char *m2 = g_strdup_printf (_("--line: '%s' is not central or peripheral"),
                                                 line_text);
          return tt_cli_usage_error (COMMAND, m2);
        }
    }

  if (mllp != NULL || tcp != NULL)
    {
      if (!tt_endpoint_parse (mllp != NULL ? mllp : tcp, &address, &port, &error))
        {
          g_autofree char *m2 = g_strdup_printf ("%s: %s", mllp != NULL ? "--mllp" : "--tcp",
                                                 error->message);
          return tt_cli_usage_error (COMMAND, m2);
        }
      if (mllp != NULL)
        feed = TT_FEED (tt_mllp_feed_new (address, port));
      else
        feed = TT_FEED (tt_line_feed_new_tcp (address, port));
      source = mllp != NULL ? "mllp" : "tcp";
    }
  else
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);

      feed = TT_FEED (tt_line_feed_new_stream (in, _("standard input")));
      source = "stdin";
    }

  loop = g_main_loop_new (NULL, FALSE);
  l.loop = loop;
  l.samples = samples;
  g_signal_connect (feed, "samples", G_CALLBACK (samples_cb), &l);
  g_signal_connect (feed, "notify::status", G_CALLBACK (status_cb), &l);
  if (!tt_feed_start (feed, &error))
    {
      g_printerr ("titrate-cli %s: %s\n", COMMAND, error->message);
      return TT_CLI_FAILED;
    }
  /* Where it listens, so that a script can wait for it before sending. */
  g_printerr ("titrate-cli %s: %s\n", COMMAND, tt_feed_get_status_message (feed));

  l.start_us = g_get_monotonic_time ();
  l.timeout_id = g_timeout_add_seconds (seconds, timeout_cb, &l);
  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &l);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, &l);
  if (tt_feed_get_status (feed) != TT_FEED_STATUS_ENDED)
    g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&l.timeout_id, g_source_remove);
  end_ms = (g_get_monotonic_time () - l.start_us) / 1000;
  feed_message = g_strdup (tt_feed_get_status_message (feed));
  if (TT_IS_MLLP_FEED (feed))
    {
      TtMllpStats stats;

      tt_mllp_feed_get_stats (TT_MLLP_FEED (feed), &stats);
      counts = g_strdup_printf (_("%u messages: %u accepted, %u refused"), stats.messages,
                                stats.accepted, stats.rejected);
    }
  else
    {
      TtLineStats stats;

      tt_line_feed_get_stats (TT_LINE_FEED (feed), &stats);
      counts = g_strdup_printf (_("%u lines, %u bad"), stats.lines, stats.bad_lines);
    }
  tt_feed_stop (feed);

  if (samples->len > 0)
    {
      end_ms = MAX (end_ms, g_array_index (samples, TtSample, samples->len - 1).t_ms);
      points = tt_grid_resample ((const TtSample *) (gpointer) samples->data, samples->len,
                                 config.grid_ms);
      have_metrics = tt_metrics_compute (&config, (const TtGridPoint *) (gpointer) points->data,
                                         points->len, -1, TT_WINDOW_CASE, &m);
    }

  if (advice)
    {
      g_autoptr(TtGrid) grid = tt_grid_new (config.grid_ms, NULL, state_cb, &last);
      TtAdvisorParams params;
      TtAdvisorInput input;

      for (guint i = 0; i < samples->len; i++)
        tt_grid_push (grid, &g_array_index (samples, TtSample, i));
      tt_grid_advance (grid, end_ms);
      tt_advisor_params_init (&params, line);
      tt_advisor_input_init (&input);
      if (last.have)
        input.signal = last.state;
      else
        {
          input.signal.t_ms = end_ms;
          input.signal.valid = FALSE;
          input.signal.map = NAN;
          input.signal.slope = NAN;
          input.signal.stale = TRUE;
          input.signal.last_valid_ms = -1;
        }
      input.rate = rate;
      input.concentration = concentration;
      input.weight_kg = weight;
      input.band_low = config.band_lo;
      input.band_high = config.band_hi;
      input.start_rate = TT_ADVISOR_START_RATE;
      if (!tt_advisor_validate_input (&params, &input, &error))
        return tt_cli_usage_error (COMMAND, error->message);
      tt_advisor_step (&params, &input, &the_advice);
    }

  if (json)
    {
      g_string_append (out, "{\"source\":");
      json_string (out, source);
      g_string_append (out, ",\"address\":");
      json_string (out, use_stdin ? NULL : (address != NULL ? address : "127.0.0.1"));
      g_string_append_printf (out, ",\"port\":%u,\"seconds\":", use_stdin ? 0 : port);
      tt_cli_json_number (out, end_ms / 1000.0);
      g_string_append_printf (out, ",\"interrupted\":%s,\"samples\":%u,\"grid_s\":",
                              l.interrupted ? "true" : "false", samples->len);
      tt_cli_json_number (out, config.grid_ms / 1000.0);
      g_string_append (out, ",\"band\":{\"lo_mmHg\":");
      tt_cli_json_number (out, config.band_lo);
      g_string_append (out, ",\"hi_mmHg\":");
      tt_cli_json_number (out, config.band_hi);
      g_string_append (out, "},\"received\":");
      json_string (out, counts);
      g_string_append (out, ",\"feed_status\":");
      json_string (out, feed_message);
      g_string_append (out, ",\"metrics\":");
      if (!have_metrics)
        g_string_append (out, "null");
      else
        {
          g_string_append (out, "{\"valid_min\":");
          tt_cli_json_number (out, m.valid_min);
          g_string_append (out, ",\"excluded_min\":");
          tt_cli_json_number (out, m.excluded_min);
          g_string_append (out, ",\"mean_mmHg\":");
          tt_cli_json_number (out, m.mean_mmhg);
          g_string_append (out, ",\"sd_mmHg\":");
          tt_cli_json_number (out, m.sd_mmhg);
          g_string_append (out, ",\"cv_pct\":");
          tt_cli_json_number (out, m.cv_pct);
          g_string_append (out, ",\"arv_mmHg_per_min\":");
          tt_cli_json_number (out, m.arv_mmhg_per_min);
          g_string_append (out, ",\"in_band_pct\":");
          tt_cli_json_number (out, m.in_band_pct);
          g_string_append (out, ",\"min_mmHg\":");
          tt_cli_json_number (out, m.min_mmhg);
          g_string_append (out, ",\"max_mmHg\":");
          tt_cli_json_number (out, m.max_mmhg);
          g_string_append (out, ",\"time_below_65_min\":");
          tt_cli_json_number (out, m.below[0].time_min);
          g_string_append (out, ",\"aut_65_mmHg_min\":");
          tt_cli_json_number (out, m.below[0].aut_mmhg_min);
          g_string_append (out, ",\"twa_65_mmHg\":");
          tt_cli_json_number (out, m.below[0].twa_mmhg);
          g_string_append (out, "}");
        }
      if (advice)
        {
          g_string_append (out, ",\"advice\":{\"kind\":");
          json_string (out, tt_advice_kind_to_string (the_advice.kind));
          g_string_append (out, ",\"reason\":");
          json_string (out, tt_advice_reason_to_string (the_advice.reason));
          g_string_append (out, ",\"rate_ug_kg_min\":");
          tt_cli_json_number (out, the_advice.rate);
          g_string_append (out, ",\"rate_ml_h\":");
          tt_cli_json_number (out, the_advice.ml_h);
          g_string_append (out, ",\"bolus_ug\":");
          tt_cli_json_number (out, the_advice.bolus_ug);
          g_string_append (out, ",\"title\":");
          json_string (out, the_advice.title);
          g_string_append (out, ",\"rate_text\":");
          json_string (out, the_advice.rate_text);
          g_string_append (out, ",\"sentence\":");
          json_string (out, the_advice.sentence);
          g_string_append (out, "}");
        }
      g_string_append (out, "}\n");
    }
  else
    {
      g_autofree char *where = use_stdin ? g_strdup (_("standard input"))
                                         : g_strdup_printf ("%s %s:%u",
                                                            mllp != NULL ? "HL7/MLLP" : "TCP",
                                                            address != NULL ? address : "127.0.0.1",
                                                            port);

      g_string_append_printf (out, _("Listened:   %.1f s to %s%s\n"), end_ms / 1000.0, where,
                              l.interrupted ? _(" (interrupted)") : "");
      g_string_append_printf (out, _("Received:   %u samples (%s)\n"), samples->len, counts);
      g_string_append_printf (out, _("Feed:       %s\n"), feed_message != NULL ? feed_message : "—");
      g_string_append_printf (out, _("Grid:       %g s (the figures below are computed on this "
                                     "grid; ARV depends on it)\n"), config.grid_ms / 1000.0);
      g_string_append_printf (out, _("Band:       %g–%g mmHg\n"), config.band_lo, config.band_hi);
      if (!have_metrics)
        g_string_append (out, _("No valid samples: no metrics.\n"));
      else
        {
          struct { const char *name; const char *unit; double value; int decimals; } rows[] = {
            { N_("Valid time"), "min", m.valid_min, 2 },
            { N_("Excluded (artifact or gap)"), "min", m.excluded_min, 2 },
            { N_("Mean MAP"), "mmHg", m.mean_mmhg, 1 },
            { N_("SD"), "mmHg", m.sd_mmhg, 1 },
            { N_("CV"), "%", m.cv_pct, 1 },
            { N_("ARV"), "mmHg/min", m.arv_mmhg_per_min, 2 },
            { N_("Time in band"), "%", m.in_band_pct, 1 },
            { N_("Lowest MAP"), "mmHg", m.min_mmhg, 1 },
            { N_("Highest MAP"), "mmHg", m.max_mmhg, 1 },
            { N_("Time below 65"), "min", m.below[0].time_min, 2 },
            { N_("Area under 65"), "mmHg·min", m.below[0].aut_mmhg_min, 2 },
            { N_("TWA below 65"), "mmHg", m.below[0].twa_mmhg, 2 },
          };

          g_string_append_c (out, '\n');
          append_row (out, _("Metric"), _("Unit"), _("Value"));
          for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
            {
              g_autofree char *value = format_value (rows[i].value, rows[i].decimals);

              append_row (out, _(rows[i].name), rows[i].unit, value);
            }
        }
      if (advice)
        {
          g_string_append_printf (out, _("\nAdvice at the end: %s\n"), the_advice.title);
          if (the_advice.rate_text != NULL)
            g_string_append_printf (out, "  %s\n", the_advice.rate_text);
          if (the_advice.bolus_text != NULL)
            g_string_append_printf (out, "  %s\n", the_advice.bolus_text);
          g_string_append_printf (out, "  %s\n", the_advice.sentence);
          if (the_advice.limit_text != NULL)
            g_string_append_printf (out, "  %s\n", the_advice.limit_text);
        }
    }
  fputs (out->str, stdout);
  return samples->len > 0 ? TT_CLI_OK : TT_CLI_FAILED;
}
