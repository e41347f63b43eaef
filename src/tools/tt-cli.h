/* tt-cli.h: the subcommands of titrate-cli. Each lives in its own tt-cli-<name>.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  TT_CLI_OK = 0,
  TT_CLI_FAILED = 1,      /* the work could not be done (I/O, database) */
  TT_CLI_BAD_INPUT = 2,   /* bad arguments or malformed input */
};

typedef struct {
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} TtCliCommand;

/* Prints "titrate-cli <name>: <message>" on stderr and returns TT_CLI_BAD_INPUT. */
int tt_cli_usage_error (const char *command,
                        const char *message);

/* Appends @v as a JSON number, or null when it is not finite: locale-independent, "%.10g", never
 * "-0" (the JSON of analyze and listen). */
void tt_cli_json_number (GString *out,
                         double   v);

/* titrate-cli listen: metrics of a live feed (tt-cli-listen.c). */
int tt_cli_listen (int    argc,
                   char **argv);

/* titrate-cli analyze FILE: the metrics of a recording (tt-cli-analyze.c). */
int tt_cli_analyze (int    argc,
                    char **argv);

/* titrate-cli trial: the in-silico trial (tt-cli-trial.c). */
int tt_cli_trial (int    argc,
                  char **argv);

int tt_cli_sessions (int    argc,
                     char **argv);

G_END_DECLS
