/* titrate-cli: the engine, feeds and store from a terminal (no GTK).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>

#include "tt-cli.h"

/* Subcommands, in the order --help lists them. */
static const TtCliCommand commands[] = {
  { "analyze", N_("Metrics of a recording (CSV, .vital, WFDB) per window, as a table or JSON"),
    tt_cli_analyze },
  { "listen", N_("Metrics (and advice) of a live feed: HL7/MLLP, TCP line stream or stdin"),
    tt_cli_listen },
  { "trial", N_("Run the in-silico trial of virtual patients"), tt_cli_trial },
  { "sessions", N_("The session log: list, show, export (CSV, PDF, .vital) or delete cases"),
    tt_cli_sessions },
  { NULL, NULL, NULL },
};

int
tt_cli_usage_error (const char *command,
                    const char *message)
{
  g_printerr ("titrate-cli %s: %s\n", command, message);
  return TT_CLI_BAD_INPUT;
}

void
tt_cli_json_number (GString *out,
                    double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  if (v == 0)
    v = 0;   /* no "-0" */
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

static void
print_help (FILE *out)
{
  fprintf (out,
           "%s\n\n%s\n  titrate-cli [--help | --version]\n  titrate-cli COMMAND [OPTIONS…]\n\n",
           _("Titrate: norepinephrine infusion decision support, from the command line."),
           _("Usage:"));
  if (commands[0].name != NULL)
    {
      fprintf (out, "%s\n", _("Commands:"));
      for (guint i = 0; commands[i].name != NULL; i++)
        fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
      fprintf (out, "\n%s\n", _("Run “titrate-cli COMMAND --help” for the options of a command."));
    }
  fprintf (out, "%s\n",
           _("Decision support only: it never drives a pump and is not an alarm system."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_help (stderr);
      return TT_CLI_BAD_INPUT;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return TT_CLI_OK;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V"))
    {
      printf ("titrate-cli %s\n", PACKAGE_VERSION);
      return TT_CLI_OK;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf (_("unknown command “%s”; see titrate-cli --help"),
                                                argv[1]);
    g_printerr ("titrate-cli: %s\n", message);
  }
  return TT_CLI_BAD_INPUT;
}
