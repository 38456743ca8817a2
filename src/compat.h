/* compat.h -- what compat_actors.c and compat_verbs.c share; not installed.
 *
 * The two files read TABARI and PETRARCH-2 dictionaries into a dyad model
 * (docs/compat.md). The entry points, dyad__load_tabari_file() and
 * dyad__load_petrarch_file() in internal.h, are in compat_actors.c; it
 * hands verbs files to compat_load_verbs(). State that outlives one file
 * (synsets, interned words, cached word forms) hangs off m->compat.
 */
#ifndef DYAD_COMPAT_H
#define DYAD_COMPAT_H

#include "internal.h"

enum dialect { TABARI = 0, PETRARCH = 1 };

/* Per-word flags: how a dictionary word expands into the token forms it
 * matches. */
#define W_STEM (1u << 0)     /* TABARI stem: also common suffixes */
#define W_EXACT (1u << 1)    /* the word as written, nothing else */
#define W_NOPLURAL (1u << 2) /* no noun plural (PETRARCH "_" / "&SET_") */
#define W_EQUALS (1u << 3)   /* TABARI "BAN=": no endings at all */
#define W_TILDE (1u << 4)    /* TABARI "REAL~": a stem however short */

typedef struct synset {
	const char *name; /* without '&' and a final '_' */
	const char **members; /* the '+' lines as written */
	uint32_t n, cap;
	bool no_plural;
	pat_elem cache[2]; /* union of the one-word members [0], and of every
	                      member's last word [1] */
	bool cached[2];
} synset;

typedef struct form_set {
	const char **v;
	uint16_t n;
} form_set;

typedef struct compat_state {
	strmap synset_index; /* name -> index + 1 */
	synset *synsets;
	size_t n_synsets, cap_synsets;
	strmap interned; /* form -> index + 1 into istr */
	const char **istr;
	size_t n_istr, cap_istr;
	strmap form_index; /* flag byte + norm word -> index + 1 into forms */
	form_set *forms;
	size_t n_forms, cap_forms;
} compat_state;

typedef struct csrc {
	dyad_model *m;
	compat_state *cs;
	const char *name;
	long line;
	dyad_diag_fn diag;
	void *ctx;
	int problems;
	int dialect;
	arena tmp;        /* scratch for a line's parse */
	size_t tmp_bytes; /* allocated from tmp since it was last freed */
} csrc;

#define PROBLEM(c, ...)                                                                 \
	((c)->problems += dyad__report((c)->diag, (c)->ctx, DYAD_E_DICT, (c)->name, (c)->line, \
	                               __VA_ARGS__))

typedef struct line_iter {
	const char *p, *end;
	long line;
	bool in_comment; /* inside a multi-line <!-- ... --> */
	dbuf buf;        /* the current line, comments removed */
} line_iter;

/* A growing list of interned forms without repeats (interned strings are
 * equal exactly when their pointers are). */
typedef struct form_acc {
	csrc *c;
	const char **v;
	size_t n, cap;
	const char **set; /* open addressing over v's pointers */
	size_t set_cap;
	int rc;
} form_acc;

/* ---- compat_actors.c: lines, codes, word forms, discards ------------------ */

/* The next line, comments removed and trimmed, in [*s, *e). Returns 1, 0 at
 * the end, or DYAD_E_NOMEM. *nul says the line held a NUL byte. */
int compat_next_line(line_iter *it, const char **s, const char **e, bool *nul);
/* A section tag on a line of its own: "<NOUN>", "</TIME>". */
bool compat_is_tag(const char *s, const char *e);
/* Skips lines up to the closing tag of the section opened at [s, e). */
int compat_skip_section(line_iter *it, const char *s, const char *e);
/* "---", "###" and "+++" code nothing (see docs/compat.md). */
bool compat_is_null_code(const char *s, size_t n);

/* The one copy of [s, s+n) in the model arena; NULL when out of memory. */
const char *compat_intern(csrc *c, const char *s, size_t n);
/* Adds an interned form to `fa`. */
void compat_acc_put(form_acc *fa, const char *w);
/* Interns [s, s+n) and adds it to the form_acc `ctx`. */
void compat_acc_add(void *ctx, const char *s, size_t n);
/* Frees what `fa` holds (not the interned forms). */
void compat_acc_free(form_acc *fa);
/* Adds the regular noun plural of w. */
void compat_add_plural(form_acc *fa, const char *w, size_t n);
/* Every form of a normalised dictionary word under W_* `flags`. */
void compat_expand_forms(form_acc *fa, const char *w, size_t n, unsigned flags);
/* A discard phrase [s, e) as an ENTRY_DISCARD entry. `stem` adds endings
 * to its last word: TABARI's verb endings if `verb`, else the noun plural.
 * Returns 0, or a negative DYAD_E_* code. */
int compat_add_discard(csrc *c, const char *s, const char *e, bool stem, bool verb);

/* ---- compat_verbs.c: synsets, patterns, verb blocks -------------------------- */

/* "file:line" of the current line, in the model arena. */
const char *compat_where_str(csrc *c);
/* TABARI's regular verb endings of w. */
void compat_tabari_endings(form_acc *fa, const char *w, size_t n);
/* A verbs file: its synsets first, then its verb blocks. Returns 0 (the
 * problems are counted in c->problems) or a negative DYAD_E_* code. */
int compat_load_verbs(csrc *c, const char *data, size_t len);

#endif
