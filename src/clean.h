/* clean.h -- the cleaning rules of a model (clean.c); not installed.
 *
 * The rules come from the files data/clean/NAME.txt (data/clean/README.md).
 * model.c and the dictionary loader call dyad__load_clean_rules() once per
 * file; after each call the model's compiled matcher covers every rule
 * loaded so far, so the model can be shared as soon as loading is done.
 */
#ifndef DYAD_CLEAN_H
#define DYAD_CLEAN_H

#include "internal.h"

/* Adds the rules in `data` (`len` bytes, the file named `name`, e.g.
 * "data/clean/boilerplate.txt") to m->clean_rules. Every bad line is
 * reported through `diag` (may be NULL) as DYAD_E_DICT with file and line,
 * and skipped. Returns the number of problems reported, or DYAD_E_NOMEM
 * (the rules loaded before the call stay usable). Not thread-safe. */
int dyad__load_clean_rules(dyad_model *m, const char *name, const char *data, size_t len,
                           dyad_diag_fn diag, void *ctx);

/* Frees what the rules own outside m->a (the rule array and the compiled
 * matcher) and empties m->clean_rules. Safe on a model without rules. */
void dyad__free_clean_rules(dyad_model *m);

#endif
