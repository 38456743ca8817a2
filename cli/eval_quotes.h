/* eval_quotes.h -- quotation scoring for `dyad eval`. */
#ifndef DYAD_CLI_EVAL_QUOTES_H
#define DYAD_CLI_EVAL_QUOTES_H

#include "dyad.h"

#include <stdbool.h>

typedef struct quote_score {
	long records, gold, found, spans, speakers, strict;
} quote_score;

/* Whether a JSON-lines file holds quotation gold ("quotes", no "events"). */
bool eval_is_quote_gold(const char *path);
/* Codes every record of path and adds to qs; -v prints the differences. */
int eval_quotes_file(const char *path, const dyad_model *m, quote_score *qs, bool verbose);
void eval_quotes_print(const quote_score *qs);

#endif
