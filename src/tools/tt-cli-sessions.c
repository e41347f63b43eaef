/* tt-cli-sessions.c: titrate-cli sessions list | show ID | export ID | delete ID — the session log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "tt-cli.h"
#include "tt-export-csv.h"
#include "tt-export-vital.h"
#include "tt-report.h"
#include "tt-store.h"

#define COMMAND "sessions"

static int
store_error (GError *error)
{
  g_printerr ("titrate-cli %s: %s\n", COMMAND, error->message);
  return g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND) ||
         g_error_matches (error, TT_STORE_ERROR, TT_STORE_ERROR_IN_USE)
         ? TT_CLI_BAD_INPUT : TT_CLI_FAILED;
}

static char *
format_utc (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static const char *
mode_text (TtStoreMode mode)
{
  switch (mode)
    {
    case TT_STORE_MODE_TRAINING:
      return _("training");
    case TT_STORE_MODE_REPLAY:
      return _("replay");
    case TT_STORE_MODE_LIVE:
    default:
      return _("live");
    }
}

static const char *
state_text (TtStoreState state)
{
  switch (state)
    {
    case TT_STORE_STATE_ENDED:
      return _("ended");
    case TT_STORE_STATE_INTERRUPTED:
      return _("interrupted");
    case TT_STORE_STATE_OPEN:
    default:
      return _("open");
    }
}

static char *
format_duration (gint64 last_t_ms)
{
  if (last_t_ms < 0)
    return g_strdup (_("no samples"));
  return g_strdup_printf ("%.1f min", last_t_ms / 60000.0);
}

static int
list (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = tt_store_list_sessions (store, &error);

  if (sessions == NULL)
    return store_error (error);
  if (sessions->len == 0)
    {
      printf ("%s\n", _("No sessions in the log."));
      return TT_CLI_OK;
    }
  printf ("%5s  %-20s  %-8s  %-11s  %10s  %s\n", "ID", _("Started"), _("Mode"), _("State"),
          _("Duration"), _("Label"));
  for (guint i = 0; i < sessions->len; i++)
    {
      const TtStoreSessionInfo *info = g_ptr_array_index (sessions, i);
      g_autofree char *start = format_utc (info->setup.start_unix_ms);
      g_autofree char *duration = format_duration (info->last_t_ms);

      printf ("%5" G_GINT64_FORMAT "  %-20s  %-8s  %-11s  %10s  %s\n", info->id, start,
              mode_text (info->setup.mode), state_text (info->state), duration,
              info->setup.label);
    }
  return TT_CLI_OK;
}

static void
print_value (const char *label,
             double      value,
             int         decimals,
             const char *unit)
{
  if (isfinite (value))
    printf ("  %-22s %.*f %s\n", label, decimals, value, unit);
  else
    printf ("  %-22s —\n", label);
}

static void
print_rate (const TtStoreSetup *s,
            const char         *label,
            double              rate)
{
  if (!isfinite (rate))
    printf ("  %-22s —\n", label);
  else if (s->weight_kg > 0 && s->concentration_ug_ml > 0)
    printf ("  %-22s %.3f µg/kg/min (%.1f mL/h)\n", label, rate,
            rate * s->weight_kg * 60 / s->concentration_ug_ml);
  else
    printf ("  %-22s %.3f µg/kg/min (%s)\n", label, rate, _("mL/h unknown"));
}

static int
show (TtStore *store,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreCase) c = tt_store_load_session (store, id, &error);
  const TtStoreSetup *s;
  g_autofree char *start = NULL;
  g_autofree char *duration = NULL;
  guint answers[TT_STORE_ANSWER_DECLINED + 1] = { 0 };
  guint unacked = 0;

  if (c == NULL)
    return store_error (error);
  s = &c->info->setup;
  start = format_utc (s->start_unix_ms);
  duration = format_duration (c->info->last_t_ms);

  printf (_("Session %" PRId64 ": %s\n"), id, s->label);
  printf ("  %-22s %s\n", _("Mode"), mode_text (s->mode));
  printf ("  %-22s %s\n", _("State"), state_text (c->info->state));
  printf ("  %-22s %s\n", _("Started"), start);
  printf ("  %-22s %s\n", _("Titrate version"), s->app_version);
  if (s->source != NULL)
    printf ("  %-22s %s\n", _("Recorded from"), s->source);
  /* A training case's virtual patient, as the log keeps it to resume the case. */
  if (s->patient_title != NULL && s->patient_seed >= 0)
    {
      /* Translators: the virtual patient's title and seed, e.g. "Typical patient (seed 7)". */
      g_autofree char *patient = g_strdup_printf (_("%s (seed %" PRId64 ")"), s->patient_title,
                                                  s->patient_seed);

      printf ("  %-22s %s\n", _("Virtual patient"), patient);
      printf ("  %-22s %u\n", _("Patient inputs"), c->training_inputs->len);
    }
  print_value (_("Weight"), s->weight_kg, 1, "kg");
  print_value (_("Baseline MAP"), s->baseline_map, 0, "mmHg");
  printf ("  %-22s %.0f–%.0f mmHg\n", _("Target band"), s->band_low, s->band_high);
  print_value (_("Critical MAP"), s->critical_map, 0, "mmHg");
  print_value (_("Concentration"), s->concentration_ug_ml, 0, "µg/mL");
  print_value (_("Syringe at the start"), s->syringe_ml, 1, "mL");
  print_value (_("Unprimed line"), s->dead_space_ml, 1, "mL");
  printf ("  %-22s %s\n", _("Line"), s->line_type != NULL ? s->line_type : "—");
  print_rate (s, _("Starting rate"), s->start_rate);
  print_rate (s, _("Rate soft limit"), s->rate_soft_max);
  print_rate (s, _("Rate hard limit"), s->rate_hard_max);
  print_value (_("Rescue bolus"), s->bolus_dose_ug, 0, "µg");

  for (guint i = 0; i < c->advice->len; i++)
    answers[g_array_index (c->advice, TtStoreAdvice, i).answer]++;
  for (guint i = 0; i < c->alerts->len; i++)
    unacked += g_array_index (c->alerts, TtStoreAlert, i).ack_t_ms < 0;

  printf ("  %-22s %u (%s)\n", _("Samples"), c->recording->samples->len, duration);
  printf ("  %-22s %u\n", _("Events"), c->recording->events->len);
  printf ("  %-22s %u\n", _("Checklist items"), c->checklist->len);
  printf (_("  %-22s %u: %u accepted, %u changed, %u declined, %u not answered\n"), _("Advice"),
          c->advice->len, answers[TT_STORE_ANSWER_ACCEPTED], answers[TT_STORE_ANSWER_CHANGED],
          answers[TT_STORE_ANSWER_DECLINED], answers[TT_STORE_ANSWER_PENDING]);
  printf ("  %-22s %u\n", _("Rate changes"), c->rate_changes->len);
  printf ("  %-22s %u\n", _("Boluses"), c->boluses->len);
  printf (_("  %-22s %u, %u not acknowledged\n"), _("Alerts"), c->alerts->len, unacked);
  for (guint i = 0; i < c->alerts->len; i++)
    {
      const TtStoreAlert *a = &g_array_index (c->alerts, TtStoreAlert, i);
      g_autofree char *ack = a->ack_t_ms >= 0
                             ? g_strdup_printf (_("acknowledged at %.1f s"), a->ack_t_ms / 1000.0)
                             : g_strdup (_("not acknowledged"));
      g_autofree char *cleared = a->cleared_t_ms >= 0
                                 ? g_strdup_printf (_("cleared at %.1f s"),
                                                    a->cleared_t_ms / 1000.0)
                                 : g_strdup (_("still active"));

      printf ("    %8.1f s  %s %s%s%s (%s, %s)\n", a->t_ms / 1000.0, a->priority, a->kind,
              a->text != NULL ? ": " : "", a->text != NULL ? a->text : "", ack, cleared);
    }
  for (guint i = 0; i < c->recording->events->len; i++)
    {
      const TtRecordingEvent *e = &g_array_index (c->recording->events, TtRecordingEvent, i);

      printf ("    %8.1f s  %s%s%s\n", e->t_ms / 1000.0, e->kind, e->text != NULL ? ": " : "",
              e->text != NULL ? e->text : "");
    }
  return TT_CLI_OK;
}

static int
export (TtStore    *store,
        gint64      id,
        const char *csv,
        const char *pdf,
        const char *vital)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStoreCase) c = NULL;

  if (csv == NULL && pdf == NULL && vital == NULL)
    return tt_cli_usage_error (COMMAND, _("export needs at least one of --csv FILE, --pdf FILE, "
                                          "--vital FILE"));
  c = tt_store_load_session (store, id, &error);
  if (c == NULL)
    return store_error (error);
  if ((csv != NULL && !tt_export_csv_to_file (c, csv, &error)) ||
      (pdf != NULL && !tt_report_write_file (c, pdf, &error)) ||
      (vital != NULL && !tt_export_vital_to_file (c, vital, &error)))
    {
      g_printerr ("titrate-cli %s: %s\n", COMMAND, error->message);
      return TT_CLI_FAILED;
    }
  return TT_CLI_OK;
}

static int
delete (TtStore  *store,
        gint64    id,
        gboolean  yes)
{
  g_autoptr(GError) error = NULL;

  if (!yes)
    {
      g_autoptr(TtStoreCase) c = NULL;
      g_autofree char *start = NULL;
      char answer[16] = { 0 };

      if (!isatty (STDIN_FILENO))
        return tt_cli_usage_error (COMMAND, _("delete asks for confirmation on a terminal; add "
                                              "--yes to delete without asking"));
      c = tt_store_load_session (store, id, &error);
      if (c == NULL)
        return store_error (error);
      start = format_utc (c->info->setup.start_unix_ms);
      printf (_("Delete session %" PRId64 " “%s” (%s, %u samples) for good? [y/N] "), id,
              c->info->setup.label, start, c->recording->samples->len);
      fflush (stdout);
      if (fgets (answer, sizeof answer, stdin) == NULL ||
          (answer[0] != 'y' && answer[0] != 'Y'))
        {
          printf ("%s\n", _("Nothing was deleted."));
          return TT_CLI_FAILED;
        }
    }
  if (!tt_store_delete_session (store, id, &error))
    return store_error (error);
  printf (_("Session %" PRId64 " deleted.\n"), id);
  return TT_CLI_OK;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

int
tt_cli_sessions (int    argc,
                 char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *vital = NULL;
  gboolean yes = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      N_("The session log to use (default: ~/.local/share/titrate/sessions.db)"), N_("PATH") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("export: write samples and events as CSV"),
      N_("FILE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("export: write the PDF case report"),
      N_("FILE") },
    { "vital", 0, 0, G_OPTION_ARG_FILENAME, &vital, N_("export: write a VitalDB .vital file"),
      N_("FILE") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("delete: do not ask for confirmation"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("list | show ID | export ID --csv F --pdf F --vital F | delete ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  const char *action;
  gint64 id = 0;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("The session log: list the logged cases, show one, "
                                           "export it or delete it."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tt_cli_usage_error (COMMAND, error->message);
  if (argc < 2)
    return tt_cli_usage_error (COMMAND, _("name an action: list, show ID, export ID or delete ID"));
  action = argv[1];
  if (!g_str_equal (action, "list") && !g_str_equal (action, "show") &&
      !g_str_equal (action, "export") && !g_str_equal (action, "delete"))
    {
      g_autofree char *m = g_strdup_printf (_("unknown action “%s”; the actions are list, show, "
                                              "export and delete"), action);

      return tt_cli_usage_error (COMMAND, m);
    }
  if (g_str_equal (action, "list") ? argc != 2 : argc != 3)
    {
      g_autofree char *m = g_str_equal (action, "list")
                           ? g_strdup (_("list takes no further argument"))
                           : g_strdup_printf (_("%s needs one session ID"), action);

      return tt_cli_usage_error (COMMAND, m);
    }
  if (argc == 3 && !parse_id (argv[2], &id))
    {
      g_autofree char *m = g_strdup_printf (_("“%s” is not a session ID (a whole number from 1)"),
                                            argv[2]);

      return tt_cli_usage_error (COMMAND, m);
    }

  store = tt_store_open (db, &error);
  if (store == NULL)
    return store_error (error);
  if (tt_store_get_notice (store) != NULL)
    g_printerr ("titrate-cli %s: %s\n", COMMAND, tt_store_get_notice (store));

  if (g_str_equal (action, "list"))
    status = list (store);
  else if (g_str_equal (action, "show"))
    status = show (store, id);
  else if (g_str_equal (action, "export"))
    status = export (store, id, csv, pdf, vital);
  else
    status = delete (store, id, yes);
  return status;
}
