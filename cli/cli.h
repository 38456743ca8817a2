/* cli.h -- shared between the files of the dyad program (public API only). */
#ifndef DYAD_CLI_H
#define DYAD_CLI_H

#include "dyad.h"

#include <stdio.h>

/* Options every command that builds a model accepts. */
typedef struct cli_model_opts {
	const char *dicts[32]; /* --dict PATH, in order */
	int formats[32];       /* the --dict-format in force before each */
	int n_dicts;
	int dict_format;       /* --dict-format dyad|tabari|petrarch */
	int no_builtin;        /* --no-builtin */
} cli_model_opts;

/* Parses --dict / --dict-format / --no-builtin at argv[*i]; returns 1 if it
 * consumed an option (advancing *i), 0 if not, -1 on a usage error. */
int cli_model_option(cli_model_opts *o, int argc, char **argv, int *i);
/* Builds the model, printing problems as "file:line: message" to stderr.
 * *problems gets their count. NULL on a fatal error (message printed). */
dyad_model *cli_model_build(const cli_model_opts *o, int *problems);

/* Prints "file:line: message" (or "file: message") to stderr. */
void cli_report(const dyad_error *e);
void cli_diag(void *ctx, const dyad_error *e);

/* Subcommands: each returns the process exit code (0 ok, 1 records
 * skipped or mismatches, 2 usage or fatal error). */
int cmd_eval(int argc, char **argv);
int cmd_dict(int argc, char **argv);

#endif
