/* output.h -- where `dyad code|segment|actors` write their records. */
#ifndef DYAD_CLI_OUTPUT_H
#define DYAD_CLI_OUTPUT_H

#include "cli.h"

typedef struct run_opts {
	cli_model_opts model;
	dyad_options doc_opts;
	int input_format;
	int tsv;        /* --format tsv */
	unsigned only;  /* DYAD_OUT_EVENTS or DYAD_OUT_QUOTES, 0 = both */
	int one_a_day;
	int all;        /* segment: include boilerplate */
	int quiet;
	int jobs;
	const char *db; /* --db FILE */
} run_opts;

typedef struct output output;

/* Opens standard output (and the database, if asked). NULL on error,
 * reported on stderr. */
output *output_open(const char *cmd, const run_opts *o, const dyad_model *model);
/* Writes one document's records; adds to the event and quote counts of
 * what was written. Returns 0 or -1 on a write error. */
int output_doc(output *out, const dyad_doc *doc, long *events, long *quotes);
/* Flushes and closes; 0 or -1. */
int output_close(output *out);

#endif
