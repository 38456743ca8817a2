/* compat.c -- TABARI and PETRARCH-2 dictionaries read into dyad's model:
 * actors with date restrictions, agents, and verb patterns with synsets.
 * docs/compat.md lists the syntax supported and how each construct maps;
 * every malformed line is reported with its file and line and skipped. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

enum dialect { TABARI = 0, PETRARCH = 1 };
enum file_kind { KIND_ACTORS, KIND_AGENTS, KIND_VERBS, KIND_DISCARDS, KIND_NONE };

/* Per-word flags: how a dictionary word expands into the token forms it
 * matches. */
#define W_STEM (1u << 0)     /* TABARI stem: also common suffixes */
#define W_EXACT (1u << 1)    /* the word as written, nothing else */
#define W_NOPLURAL (1u << 2) /* no noun plural (PETRARCH "_" / "&SET_") */
#define W_EQUALS (1u << 3)   /* TABARI "BAN=": no endings at all */
#define W_TILDE (1u << 4)    /* TABARI "REAL~": a stem however short */

#define MAX_ELEMS 32    /* per side of the verb, as in dict.c */
#define MAX_VARIANTS 16 /* multi-word alternatives expanded per line */
#define MAX_ALTS 4096   /* word sequences one item may stand for */

/* ---- state kept in the model between files ----------------------------- */

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

static void compat_state_free(void *p)
{
	compat_state *cs = p;
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n_synsets; i++)
		free(cs->synsets[i].members);
	free(cs->synsets);
	strmap_free(&cs->synset_index);
	strmap_free(&cs->interned);
	free(cs->istr);
	strmap_free(&cs->form_index);
	free(cs->forms);
	free(cs);
}

static compat_state *get_state(dyad_model *m)
{
	if (m->compat)
		return m->compat;
	if (m->compat_free) /* someone else's state: not ours to reuse */
		return NULL;
	compat_state *cs = calloc(1, sizeof *cs);
	if (!cs)
		return NULL;
	m->compat = cs;
	m->compat_free = compat_state_free;
	return cs;
}

/* ---- lines ----------------------------------------------------------------- */

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

/* Scratch memory for one line; freed between lines only once it has grown,
 * so that a file is not a malloc/free pair per line. */
static void *tmp_alloc(csrc *c, size_t n)
{
	c->tmp_bytes += n;
	return arena_alloc(&c->tmp, n);
}

static void tmp_reset(csrc *c)
{
	if (c->tmp_bytes > (1u << 20)) {
		arena_free(&c->tmp);
		c->tmp_bytes = 0;
	}
}

#define PROBLEM(c, ...)                                                                 \
	((c)->problems += dyad__report((c)->diag, (c)->ctx, DYAD_E_DICT, (c)->name, (c)->line, \
	                               __VA_ARGS__))

typedef struct line_iter {
	const char *p, *end;
	long line;
	bool in_comment; /* inside a multi-line <!-- ... --> */
	dbuf buf;        /* the current line, comments removed */
} line_iter;

static const char *find2(const char *p, const char *end, const char *pat, size_t n)
{
	for (; p + n <= end; p++)
		if (memcmp(p, pat, n) == 0)
			return p;
	return NULL;
}

/* Copies [p, end) into it->buf without comments: <!-- --> (also across
 * lines), '#' outside [...] and the legacy ';'. */
static int strip_comments(line_iter *it, const char *p, const char *end)
{
	int depth = 0;
	const char *q = p;
	while (q < end && isspace((unsigned char)*q))
		q++;
	if (!it->in_comment && end - q >= 2 && q[0] == '<' && q[1] == '!' &&
	    !(end - q >= 4 && memcmp(q, "<!--", 4) == 0))
		return 0; /* "<! -- ... -->": PETRARCH skips any line opening "<!" */
	while (p < end) {
		if (it->in_comment) {
			const char *close = find2(p, end, "-->", 3);
			if (!close)
				return 0;
			it->in_comment = false;
			p = close + 3;
			continue;
		}
		if (*p == '<' && end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			it->in_comment = true;
			p += 4;
			continue;
		}
		if ((*p == '#' && depth == 0) || *p == ';')
			return 0;
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		if (dbuf_putc(&it->buf, *p))
			return DYAD_E_NOMEM;
		p++;
	}
	return 0;
}

/* The next line, comments removed and trimmed, in [*s, *e). Returns 1, 0 at
 * the end, or DYAD_E_NOMEM. *nul says the line held a NUL byte. */
static int next_line(line_iter *it, const char **s, const char **e, bool *nul)
{
	if (it->p >= it->end)
		return 0;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	const char *le = nl ? nl : it->end;
	it->line++;
	it->buf.len = 0;
	if (dbuf_put(&it->buf, "", 0))
		return DYAD_E_NOMEM;
	*nul = memchr(it->p, '\0', (size_t)(le - it->p)) != NULL;
	if (!*nul && strip_comments(it, it->p, le))
		return DYAD_E_NOMEM;
	it->p = nl ? nl + 1 : it->end;
	const char *b = it->buf.ptr, *f = it->buf.ptr + it->buf.len;
	while (b < f && isspace((unsigned char)*b))
		b++;
	while (f > b && isspace((unsigned char)f[-1]))
		f--;
	*s = b;
	*e = f;
	return 1;
}

/* A section tag on a line of its own: "<NOUN>", "</TIME>". */
static bool is_tag(const char *s, const char *e)
{
	return e - s >= 3 && s[0] == '<' && e[-1] == '>' && s[1] != '!';
}

/* Skips lines up to the closing tag of the section opened at [s, e). */
static int skip_section(line_iter *it, const char *s, const char *e)
{
	char close[64];
	size_t n = 0;
	for (const char *p = s + 1; p < e - 1 && !isspace((unsigned char)*p) && n < 60; p++)
		close[n++] = (char)toupper((unsigned char)*p);
	const char *ls, *le;
	bool nul;
	int r;
	while ((r = next_line(it, &ls, &le, &nul)) == 1) {
		if (le - ls >= (long)n + 3 && ls[0] == '<' && ls[1] == '/') {
			size_t i = 0;
			while (i < n && toupper((unsigned char)ls[2 + i]) == close[i])
				i++;
			if (i == n)
				return 1;
		}
	}
	return r;
}

static bool is_tag_named(const char *s, const char *e, const char *tag)
{
	size_t n = strlen(tag);
	return (size_t)(e - s) == n && strncasecmp(s, tag, n) == 0;
}

/* ---- dates and codes -------------------------------------------------------- */

/* YYMMDD (years 00-30 are 20YY, as in KEDS/TABARI/PETRARCH) or YYYYMMDD. */
static uint32_t compat_date(const char *s, size_t n)
{
	if (n != 6 && n != 8)
		return 0;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (n == 6) {
		uint32_t yy = v / 10000;
		v += (yy <= 30 ? 2000u : 1900u) * 10000;
	}
	uint32_t mo = v / 100 % 100, d = v % 100;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || v / 10000 < 1000)
		return 0;
	return v;
}

/* "---", "###" and "+++" code nothing (see docs/compat.md). */
static bool is_null_code(const char *s, size_t n)
{
	return n == 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "###", 3) == 0 ||
	                  memcmp(s, "+++", 3) == 0);
}

/* Whether the inside of a "[...]" is `code` ("###"), blanks aside. */
static bool bracket_is(const char *s, const char *e, const char *code)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return (size_t)(e - s) == strlen(code) && memcmp(s, code, (size_t)(e - s)) == 0;
}

static bool is_actor_code(const char *s, size_t n)
{
	if (n < 1 || n > 24)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '~' && (i == 0 || i == n - 1) && n > 1)
			continue;
#ifdef DYAD_SPLIT_CODES
		if (c == '/' && i > 0 && i + 1 < n && s[i - 1] != '/')
			continue;
#endif
		if (!isalnum(c))
			return false;
	}
	return true;
}

/* Parses the restriction after an actor code: "<D", ">D", "D-D" (spaces
 * allowed around the signs). Returns 0 or -1 with a problem reported. */
static int parse_restriction(csrc *c, const char *s, const char *e, code_range *r)
{
	char buf[40];
	size_t n = 0;
	for (const char *p = s; p < e; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (n + 1 >= sizeof buf) {
			PROBLEM(c, "date restriction '%.*s' is too long", (int)(e - s), s);
			return -1;
		}
		buf[n++] = *p;
	}
	buf[n] = '\0';
	const char *dash = memchr(buf, '-', n);
	if (buf[0] == '<' || buf[0] == '>') {
		uint32_t d = compat_date(buf + 1, n - 1);
		if (!d)
			goto bad;
		if (buf[0] == '<')
			r->until = d;
		else
			r->from = d;
		return 0;
	}
	if (dash) {
		r->from = compat_date(buf, (size_t)(dash - buf));
		r->until = compat_date(dash + 1, n - (size_t)(dash - buf) - 1);
		if (!r->from || !r->until)
			goto bad;
		if (r->from > r->until) {
			PROBLEM(c, "date range '%s' ends before it starts", buf);
			return -1;
		}
		return 0;
	}
bad:
	PROBLEM(c, "bad date restriction '%s' (want <YYMMDD, >YYMMDD or YYMMDD-YYMMDD)", buf);
	return -1;
}

/* ---- words and their forms -------------------------------------------------- */

static const char *intern(csrc *c, const char *s, size_t n)
{
	compat_state *cs = c->cs;
	uint32_t *slot = strmap_put(&cs->interned, &c->m->a, s, n, 0);
	if (!slot)
		return NULL;
	if (*slot)
		return cs->istr[*slot - 1];
	if (vec_grow((void **)&cs->istr, &cs->cap_istr, cs->n_istr + 1, sizeof *cs->istr))
		return NULL;
	const char *copy = arena_strndup(&c->m->a, s, n);
	if (!copy)
		return NULL;
	cs->istr[cs->n_istr++] = copy;
	*slot = (uint32_t)cs->n_istr;
	return copy;
}

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

static size_t ptr_slot(const char *w, size_t cap)
{
	return (size_t)(((uint64_t)(uintptr_t)w * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
}

static bool acc_seen(form_acc *fa, const char *w)
{
	if (fa->n < 16) {
		for (size_t i = 0; i < fa->n; i++)
			if (fa->v[i] == w)
				return true;
		return false;
	}
	if (fa->set_cap < 2 * (fa->n + 1)) {
		size_t cap = fa->set_cap ? fa->set_cap * 2 : 64;
		while (cap < 2 * (fa->n + 1))
			cap *= 2;
		const char **set = calloc(cap, sizeof *set);
		if (!set) {
			fa->rc = DYAD_E_NOMEM;
			return true;
		}
		for (size_t i = 0; i < fa->n; i++) {
			size_t j = ptr_slot(fa->v[i], cap);
			while (set[j])
				j = (j + 1) & (cap - 1);
			set[j] = fa->v[i];
		}
		free(fa->set);
		fa->set = set;
		fa->set_cap = cap;
	}
	size_t j = ptr_slot(w, fa->set_cap);
	while (fa->set[j]) {
		if (fa->set[j] == w)
			return true;
		j = (j + 1) & (fa->set_cap - 1);
	}
	fa->set[j] = w;
	return false;
}

/* Adds an interned form. */
static void acc_put(form_acc *fa, const char *w)
{
	if (fa->rc || fa->n >= UINT16_MAX || acc_seen(fa, w) || fa->rc)
		return;
	if (vec_grow((void **)&fa->v, &fa->cap, fa->n + 1, sizeof *fa->v)) {
		fa->rc = DYAD_E_NOMEM;
		return;
	}
	fa->v[fa->n++] = w;
}

static void acc_add(void *ctx, const char *s, size_t n)
{
	form_acc *fa = ctx;
	if (fa->rc || n == 0)
		return;
	const char *w = intern(fa->c, s, n);
	if (!w)
		fa->rc = DYAD_E_NOMEM;
	else
		acc_put(fa, w);
}

static void acc_free(form_acc *fa)
{
	free(fa->v);
	free(fa->set);
	fa->v = NULL;
	fa->set = NULL;
}

/* Moves the forms into the model arena: *out and *n. */
static int acc_store(form_acc *fa, arena *a, const char ***out, size_t *n)
{
	int rc = fa->rc;
	*n = 0;
	*out = rc ? NULL : arena_alloc(a, sizeof **out * (fa->n ? fa->n : 1));
	if (!rc && !*out)
		rc = DYAD_E_NOMEM;
	if (!rc) {
		if (fa->n)
			memcpy(*out, fa->v, sizeof **out * fa->n);
		*n = fa->n;
	}
	acc_free(fa);
	return rc;
}

/* Endings a TABARI stem ("ARGENTIN", "NEGOTIAT") is given, since dyad
 * matches whole tokens. A heuristic; see docs/compat.md. */
static const char *const stem_suffixes[] = {
	"s", "es", "e", "ed", "d", "ing", "ion", "ions", "ation", "ations", "or", "ors",
	"er", "ers", "ment", "ments", "al", "ly", "y", "ies", "ity", "ive", "a", "an",
	"ans", "ia", "ian", "ians", "ese", "ic", "ish", "i", "is", "n", "ns", "o", "on",
	"est", "ary", "aries", "ist", "ists", "ism",
};

static void add_plural(form_acc *fa, const char *w, size_t n)
{
	char buf[300];
	if (n + 3 >= sizeof buf || n == 0 || !isalpha((unsigned char)w[n - 1]))
		return;
	memcpy(buf, w, n);
	if (w[n - 1] == 'y' && n > 2 && !strchr("aeiou", w[n - 2])) {
		memcpy(buf + n - 1, "ies", 3);
		acc_add(fa, buf, n + 2);
	} else if (strchr("sxz", w[n - 1]) || (n > 1 && w[n - 1] == 'h' && strchr("cs", w[n - 2]))) {
		memcpy(buf + n, "es", 2);
		acc_add(fa, buf, n + 2);
	} else {
		buf[n] = 's';
		acc_add(fa, buf, n + 1);
	}
}

/* Every form of a normalised dictionary word under `flags`. */
static void expand_forms(form_acc *fa, const char *w, size_t n, unsigned flags)
{
	acc_add(fa, w, n);
	if (flags & W_EXACT)
		return;
	char buf[300];
	if (n + 8 >= sizeof buf)
		return;
	memcpy(buf, w, n);
	buf[n] = '\0';
	const char *lemma = dyad__verb_lemma(buf, n);
	if (lemma && strcmp(lemma, buf) == 0)
		dyad__verb_forms(buf, acc_add, fa);
	if (!(flags & W_NOPLURAL) && !(lemma && strcmp(lemma, buf) != 0)) {
		size_t sl = dyad__noun_singular(w, n, buf);
		if (sl != n)
			acc_add(fa, buf, sl);
		else
			add_plural(fa, w, n);
	}
	/* short ones ("NOT", "TO") are words, unless "~" says otherwise */
	if ((flags & W_STEM) && (n >= 5 || (flags & W_TILDE)))
		for (size_t i = 0; i < sizeof stem_suffixes / sizeof stem_suffixes[0]; i++) {
			size_t sl = strlen(stem_suffixes[i]);
			memcpy(buf, w, n);
			memcpy(buf + n, stem_suffixes[i], sl);
			acc_add(fa, buf, n + sl);
		}
}

/* The cached forms of one word token as written. */
static const form_set *word_forms(csrc *c, const char *s, size_t n, unsigned flags)
{
	compat_state *cs = c->cs;
	dbuf key = {0};
	if (dbuf_putc(&key, (char)('0' + flags)) || dyad__norm(s, n, &key)) {
		dbuf_free(&key);
		return NULL;
	}
	uint32_t *slot = strmap_put(&cs->form_index, &c->m->a, key.ptr, key.len, 0);
	if (!slot || *slot) {
		dbuf_free(&key);
		return slot ? &cs->forms[*slot - 1] : NULL;
	}
	form_acc fa = {.c = c};
	expand_forms(&fa, key.ptr + 1, key.len - 1, flags);
	dbuf_free(&key);
	if (vec_grow((void **)&cs->forms, &cs->cap_forms, cs->n_forms + 1, sizeof *cs->forms)) {
		acc_free(&fa);
		return NULL;
	}
	form_set *fs = &cs->forms[cs->n_forms];
	size_t n_forms;
	if (acc_store(&fa, &c->m->a, &fs->v, &n_forms))
		return NULL;
	fs->n = (uint16_t)n_forms;
	*slot = (uint32_t)++cs->n_forms;
	return fs;
}

/* ---- pattern text to items ------------------------------------------------- */

/* One dictionary word: a single token as dyad's tokenizer sees it. */
typedef struct atom {
	const char *s;
	uint32_t len;
	unsigned flags; /* W_* */
	bool spaced;    /* a blank, not only '_', before it in its sequence */
} atom;

/* A word sequence (an alternative of an item). */
typedef struct aseq {
	atom *a;
	uint32_t n;
} aseq;

enum item_kind {
	IT_WORD = 0, IT_TARGET = 1, IT_SOURCE = 2, IT_GAP = 3, IT_VERB = 4, IT_COMPOUND = 5
};

typedef struct item {
	uint8_t kind;
	aseq *alts; /* IT_WORD: any one of these sequences */
	uint32_t n_alts;
	const synset *syn; /* IT_WORD made of one synset, for caching */
	bool spaced; /* a blank, not only '_', stands between it and what
	                precedes it: other words may intervene */
} item;

typedef struct seqlist {
	aseq *v;
	size_t n, cap;
	bool overflow;
} seqlist;

typedef struct lexer {
	csrc *c;
	const char *p, *e;
	bool ok;
} lexer;

static int seq_push(seqlist *l, aseq s)
{
	if (l->n >= MAX_ALTS) {
		l->overflow = true;
		return 0;
	}
	if (vec_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
		return DYAD_E_NOMEM;
	l->v[l->n++] = s;
	return 0;
}

static bool hard_stop(char ch)
{
	return isspace((unsigned char)ch) || strchr("_*(){}|[]", ch) != NULL;
}

typedef struct tok_ctx {
	csrc *c;
	const char *s;
	atom *out;
	uint32_t n, cap;
	unsigned flags;
} tok_ctx;

static int tok_atom(void *ctx, const raw_token *t)
{
	tok_ctx *tc = ctx;
	if (tc->n >= tc->cap)
		return 1;
	tc->out[tc->n++] = (atom){tc->s + t->start, (uint32_t)(t->end - t->start), 0, false};
	return 0;
}

/* Splits one written word into atoms (DIDN'T -> did n't); only the last
 * keeps the stem/exact flags. */
static int word_atoms(csrc *c, const char *s, size_t n, unsigned flags, aseq *out)
{
	atom buf[16];
	tok_ctx tc = {c, s, buf, 0, 16, flags};
	dyad__tokenize(s, n, tok_atom, &tc);
	if (tc.n == 0)
		return 1;
	out->a = tmp_alloc(c, sizeof *out->a * tc.n);
	if (!out->a)
		return DYAD_E_NOMEM;
	memcpy(out->a, buf, sizeof *buf * tc.n);
	out->n = tc.n;
	for (uint32_t i = 0; i + 1 < tc.n; i++)
		out->a[i].flags = flags & ~(unsigned)W_STEM;
	out->a[tc.n - 1].flags = flags;
	return 0;
}

static const synset *find_synset(compat_state *cs, const char *s, size_t n)
{
	uint32_t i = strmap_get(&cs->synset_index, s, n, 0);
	return i ? &cs->synsets[i - 1] : NULL;
}

/* At '&': the longest defined synset name ("&FIGHT_OF_WORDS" before
 * "&FIGHT"); advances lx->p past it. */
static const synset *lex_synset(lexer *lx)
{
	const char *s = lx->p + 1, *q = s;
	while (q < lx->e && (isalnum((unsigned char)*q) || *q == '_'))
		q++;
	char name[128];
	for (const char *end = q; end > s;) {
		size_t n = (size_t)(end - s);
		while (n && s[n - 1] == '_')
			n--;
		if (n && n < sizeof name) {
			for (size_t i = 0; i < n; i++)
				name[i] = (char)toupper((unsigned char)s[i]);
			const synset *ss = find_synset(lx->c->cs, name, n);
			if (ss) {
				lx->p = s + n;
				return ss;
			}
		}
		const char *us = NULL;
		for (const char *p = s; p < s + n; p++)
			if (*p == '_')
				us = p;
		if (!us)
			break;
		end = us;
	}
	PROBLEM(lx->c, "undefined synset '&%.*s'", (int)(q - s), s);
	lx->ok = false;
	lx->p = q;
	return NULL;
}

static int expand_synset(csrc *c, const synset *ss, int depth, seqlist *out);

/* Word sequences for a run of words and synsets (an alternative of
 * "{a | b}" or a synset member): their cartesian product. */
static int lex_words(csrc *c, const char *s, const char *e, int depth, unsigned extra,
                     seqlist *out)
{
	seqlist cur = {0};
	int rc = seq_push(&cur, (aseq){NULL, 0});
	lexer lx = {c, s, e, true};
	while (!rc && lx.ok) {
		bool spaced = false;
		while (lx.p < e && (isspace((unsigned char)*lx.p) || strchr("_(){}", *lx.p))) {
			spaced = spaced || isspace((unsigned char)*lx.p);
			lx.p++;
		}
		if (lx.p >= e)
			break;
		seqlist part = {0};
		if (*lx.p == '&') {
			const synset *ss = lex_synset(&lx);
			if (ss)
				rc = expand_synset(c, ss, depth + 1, &part);
		} else if (strchr("*$+%^|[]", *lx.p)) {
			PROBLEM(c, "'%c' is not allowed here (words and synsets only)", *lx.p);
			lx.ok = false;
		} else {
			const char *ws = lx.p;
			while (lx.p < e && !hard_stop(*lx.p) && *lx.p != '&')
				lx.p++;
			unsigned fl = extra;
			size_t wl = (size_t)(lx.p - ws);
			bool tilde = false;
			while (wl && (ws[wl - 1] == '~' || ws[wl - 1] == '=')) {
				tilde = tilde || ws[wl - 1] == '~';
				fl |= ws[wl - 1] == '=' ? W_EXACT : 0;
				wl--;
			}
			if (tilde) /* "NEAT~": a stem even before '_' */
				fl = (fl | W_STEM | W_TILDE) & ~(unsigned)W_EXACT;
			else if (lx.p < e && *lx.p == '_')
				fl = c->dialect == TABARI ? (fl | W_EXACT) & ~(unsigned)W_STEM
				                          : fl | W_NOPLURAL;
			else if (c->dialect == TABARI && !(fl & W_EXACT))
				fl |= W_STEM;
			aseq w;
			int r = wl ? word_atoms(c, ws, wl, fl, &w) : 1;
			if (r < 0)
				rc = r;
			else if (r == 0)
				rc = seq_push(&part, w);
		}
		if (rc || !lx.ok || part.n == 0) {
			free(part.v);
			continue;
		}
		seqlist next = {0};
		for (size_t i = 0; i < cur.n && !rc; i++)
			for (size_t j = 0; j < part.n && !rc; j++) {
				aseq x = {tmp_alloc(c, sizeof(atom) * (cur.v[i].n + part.v[j].n + 1)),
				          cur.v[i].n + part.v[j].n};
				if (!x.a) {
					rc = DYAD_E_NOMEM;
					break;
				}
				if (cur.v[i].n)
					memcpy(x.a, cur.v[i].a, sizeof(atom) * cur.v[i].n);
				memcpy(x.a + cur.v[i].n, part.v[j].a, sizeof(atom) * part.v[j].n);
				x.a[cur.v[i].n].spaced = spaced;
				rc = seq_push(&next, x);
			}
		free(part.v);
		free(cur.v);
		cur = next;
	}
	for (size_t i = 0; i < cur.n && !rc && lx.ok; i++)
		if (cur.v[i].n)
			rc = seq_push(out, cur.v[i]);
	if (cur.overflow)
		out->overflow = true;
	free(cur.v);
	return rc ? rc : lx.ok ? 0 : 1;
}

static int expand_synset(csrc *c, const synset *ss, int depth, seqlist *out)
{
	if (depth > 4) {
		PROBLEM(c, "synset '&%s' nests more than 4 deep", ss->name);
		return 1;
	}
	for (uint32_t i = 0; i < ss->n; i++) {
		const char *mem = ss->members[i];
		size_t n = strlen(mem);
		unsigned fl = ss->no_plural ? W_NOPLURAL : 0;
		int r = lex_words(c, mem, mem + n, depth, fl, out);
		if (r < 0)
			return r;
	}
	return 0;
}

typedef struct parsed {
	item pre[MAX_ELEMS * 2], post[MAX_ELEMS * 2];
	uint32_t n_pre, n_post;
	bool seen_verb;
	bool verb_spaced; /* a blank between the last item before '*' and it */
	bool spaced;      /* a blank since the last item (while parsing) */
} parsed;

static int push_item(csrc *c, parsed *ps, item it)
{
	it.spaced = ps->spaced;
	ps->spaced = false;
	if (it.kind == IT_VERB) {
		if (ps->seen_verb) {
			PROBLEM(c, "pattern has more than one '*'");
			return 1;
		}
		ps->seen_verb = true;
		ps->verb_spaced = it.spaced;
		return 0;
	}
	item *side = ps->seen_verb ? ps->post : ps->pre;
	uint32_t *n = ps->seen_verb ? &ps->n_post : &ps->n_pre;
	if (*n >= MAX_ELEMS * 2) {
		PROBLEM(c, "pattern has more than %d elements on one side of '*'", MAX_ELEMS);
		return 1;
	}
	side[(*n)++] = it;
	return 0;
}

static int item_from_list(csrc *c, parsed *ps, seqlist *l, const synset *ss)
{
	if (l->overflow)
		PROBLEM(c, "more than %d alternatives; the rest are dropped", MAX_ALTS);
	if (l->n == 0) {
		free(l->v);
		return 0;
	}
	item it = {IT_WORD, tmp_alloc(c, sizeof(aseq) * l->n), (uint32_t)l->n, ss, false};
	if (!it.alts) {
		free(l->v);
		return DYAD_E_NOMEM;
	}
	memcpy(it.alts, l->v, sizeof(aseq) * l->n);
	free(l->v);
	return push_item(c, ps, it);
}

/* Reads a pattern body ("SAID + MUST * POLICY", "* (TO {ARMS SHIPMENT})")
 * into items before and after the verb. Returns 0, 1 (reported) or a
 * negative code. */
static int parse_body(csrc *c, const char *s, const char *e, parsed *ps)
{
	lexer lx = {c, s, e, true};
	ps->spaced = true; /* the pattern's start */
	while (lx.p < e) {
		char ch = *lx.p;
		if (isspace((unsigned char)ch) || ch == '_' || ch == '(' || ch == ')' || ch == '}') {
			if (isspace((unsigned char)ch))
				ps->spaced = true;
			lx.p++;
			continue;
		}
		int r = 0;
		const char *kinds = "*+$^%";
		const char *k = strchr(kinds, ch);
		if (k) {
			static const uint8_t map[] = {IT_VERB, IT_TARGET, IT_SOURCE, IT_GAP, 0};
			item it = {map[k - kinds], NULL, 0, NULL, false};
			if (ch == '%') /* compound actor */
				it.kind = IT_COMPOUND;
			r = push_item(c, ps, it);
			lx.p++;
		} else if (ch == '{') {
			const char *close = memchr(lx.p, '}', (size_t)(e - lx.p));
			if (!close) {
				PROBLEM(c, "'{' without '}'");
				return 1;
			}
			if (!memchr(lx.p, '|', (size_t)(close - lx.p))) {
				lx.p++; /* PETRARCH noun phrase: its words in order */
				continue;
			}
			seqlist l = {0};
			for (const char *a = lx.p + 1; a <= close && !r;) {
				const char *bar = memchr(a, '|', (size_t)(close - a));
				if (!bar)
					bar = close;
				r = lex_words(c, a, bar, 0, 0, &l);
				a = bar + 1;
			}
			if (r) {
				free(l.v);
				return r;
			}
			r = item_from_list(c, ps, &l, NULL);
			lx.p = close + 1;
		} else if (ch == '|' || ch == '[' || ch == ']') {
			PROBLEM(c, "unexpected '%c' in pattern", ch);
			return 1;
		} else {
			/* a run of words and synsets up to the next special */
			const char *ws = lx.p;
			const synset *only = NULL;
			if (ch == '&') {
				lexer probe = lx;
				only = lex_synset(&probe);
				if (!only)
					return 1;
				lx.p = probe.p;
			} else {
				while (lx.p < e && !hard_stop(*lx.p) && *lx.p != '&')
					lx.p++;
				if (lx.p < e && *lx.p == '_')
					lx.p++; /* keep the connector: it marks the word exact */
			}
			seqlist l = {0};
			r = only ? expand_synset(c, only, 0, &l) : lex_words(c, ws, lx.p, 0, 0, &l);
			if (r) {
				free(l.v);
				return r;
			}
			r = item_from_list(c, ps, &l, only);
		}
		if (r)
			return r;
	}
	if (!ps->seen_verb) {
		PROBLEM(c, "pattern has no '*' for the verb");
		return 1;
	}
	return 0;
}

/* ---- items to pattern elements ---------------------------------------------- */

/* The PE_WORD element for the one-word alternatives of `it` (or for the
 * last word of every alternative when `heads` is set). */
static int word_elem(csrc *c, const item *it, bool heads, pat_elem *out)
{
	synset *ss = (synset *)it->syn;
	if (ss && ss->cached[heads]) {
		*out = ss->cache[heads];
		return 0;
	}
	form_acc fa = {.c = c};
	for (uint32_t i = 0; i < it->n_alts && !fa.rc; i++) {
		const aseq *q = &it->alts[i];
		if (q->n != 1 && !heads)
			continue;
		const atom *a = &q->a[q->n - 1];
		const form_set *fs = word_forms(c, a->s, a->len, a->flags);
		if (!fs) {
			fa.rc = DYAD_E_NOMEM;
			break;
		}
		for (uint16_t j = 0; j < fs->n; j++)
			acc_put(&fa, fs->v[j]);
	}
	size_t n;
	int rc = acc_store(&fa, &c->m->a, &out->alts, &n);
	if (rc)
		return rc;
	out->kind = PE_WORD;
	out->n_alts = (uint16_t)n;
	if (ss) {
		ss->cache[heads] = *out;
		ss->cached[heads] = true;
	}
	return 0;
}

static int atom_elem(csrc *c, const atom *a, pat_elem *out)
{
	const form_set *fs = word_forms(c, a->s, a->len, a->flags);
	if (!fs)
		return DYAD_E_NOMEM;
	*out = (pat_elem){.kind = PE_WORD, .n_alts = fs->n, .alts = fs->v};
	return 0;
}

static uint32_t n_multi(const item *it)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < it->n_alts; i++)
		n += it->alts[i].n > 1;
	return n;
}

static bool has_single(const item *it)
{
	for (uint32_t i = 0; i < it->n_alts; i++)
		if (it->alts[i].n == 1)
			return true;
	return false;
}

/* Elements of one side for one variant; `pick[k]` chooses, for item k,
 * 0 = its one-word alternatives, j > 0 = its j-th longer one. */
typedef struct side_out {
	pat_elem v[MAX_ELEMS];
	uint32_t n;
	bool overflow;
} side_out;

static int emit_elem(side_out *so, pat_elem pe)
{
	if (pe.kind == PE_GAP && so->n > 0 && so->v[so->n - 1].kind == PE_GAP)
		return 0; /* a doubled gap says nothing */
	if (so->n >= MAX_ELEMS) {
		so->overflow = true;
		return 0;
	}
	so->v[so->n++] = pe;
	return 0;
}

/* Whether pat_elem has the `adjacent` flag (events.c: the element stands
 * right next to its neighbour toward the verb, no word between). Until it
 * does, '_' is read like a blank with dyad's short gap. */
#ifdef DYAD_PAT_ADJACENT
#define SET_ADJ(e, v) ((e).adjacent = (v))
#else
#define SET_ADJ(e, v) ((void)(e), (void)(v))
#endif

/* '%', the compound actor whose members act on each other: PE_COMPOUND
 * where events.c has it, else approximated as a target slot on either
 * side of the verb (before it, the coder then takes the rest of the
 * compound as the subject: "Gondor and Osgiliath have delayed" codes
 * Gondor -> Osgiliath). */
static uint8_t compound_kind(bool pre)
{
	(void)pre;
#ifdef PE_COMPOUND
	return PE_COMPOUND;
#else
	return PE_TARGET;
#endif
}

/* '^', skip one actor: PE_SKIP where events.c has it (an actor mention
 * that fills no slot), else approximated as a gap. */
#ifdef PE_SKIP
#define SKIP_KIND PE_SKIP
#else
#define SKIP_KIND PE_GAP
#endif

/* A blank between two items lets other words stand between them: a gap
 * element. After the verb it goes before the item; before the verb, where
 * events.c widens the search for the element that FOLLOWS a gap (walking
 * back from the verb), before the item whose right-hand connector is
 * blank. `verb_spaced` is that connector for the last item before '*'. */
static bool gap_before(const item *items, uint32_t n, uint32_t k, bool pre, bool verb_spaced)
{
	if (items[k].kind == IT_GAP && SKIP_KIND == PE_GAP)
		return false;
	if (!pre)
		return items[k].spaced;
	return k + 1 < n ? items[k + 1].spaced : verb_spaced;
}

static int build_side(csrc *c, const item *items, uint32_t n, const uint32_t *pick,
                      const bool *approx, side_out *so, bool pre, bool verb_spaced)
{
	for (uint32_t k = 0; k < n; k++) {
		const item *it = &items[k];
		int rc = 0;
		bool gap = gap_before(items, n, k, pre, verb_spaced);
		if (gap)
			emit_elem(so, (pat_elem){.kind = PE_GAP});
		/* '_' alone between it and its neighbour (toward the verb): the
		 * words follow each other with nothing between */
		bool adj = (it->kind != IT_GAP || SKIP_KIND != PE_GAP) && !gap;
		if (it->kind != IT_WORD) {
			static const uint8_t pe[] = {PE_WORD, PE_TARGET, PE_SOURCE, PE_GAP};
			pat_elem e = {.kind = it->kind == IT_COMPOUND ? compound_kind(pre)
			                      : it->kind == IT_GAP  ? SKIP_KIND
			                                            : pe[it->kind]};
			SET_ADJ(e, adj);
			rc = emit_elem(so, e);
		} else if (approx[k] || pick[k] == 0) {
			pat_elem e;
			rc = word_elem(c, it, approx[k], &e);
			if (!rc && e.n_alts) {
				SET_ADJ(e, adj);
				rc = emit_elem(so, e);
			}
		} else {
			uint32_t j = 0, want = pick[k];
			for (uint32_t i = 0; i < it->n_alts; i++) {
				if (it->alts[i].n > 1 && ++j == want) {
					uint32_t na = it->alts[i].n;
					for (uint32_t t = 0; t < na && !rc; t++) {
						pat_elem e;
						rc = atom_elem(c, &it->alts[i].a[t], &e);
						if (rc)
							break;
						/* inside a sequence: PETRARCH's synset phrases are
						 * consecutive; TABARI's follow their connectors */
						const atom *at = it->alts[i].a;
						bool inner_pre = t + 1 < na &&
						                 (c->dialect == PETRARCH || !at[t + 1].spaced);
						bool inner_post = t > 0 && (c->dialect == PETRARCH || !at[t].spaced);
						SET_ADJ(e, pre ? (t + 1 < na ? inner_pre : adj)
						               : (t > 0 ? inner_post : adj));
						rc = emit_elem(so, e);
					}
					break;
				}
			}
		}
		if (rc)
			return rc;
	}
	while (so->n && so->v[so->n - 1].kind == PE_GAP)
		so->n--;
	return 0;
}

static pat_elem *arena_elems(arena *a, const pat_elem *v, uint32_t n)
{
	pat_elem *p = arena_alloc(a, sizeof *p * (n ? n : 1));
	if (p && n)
		memcpy(p, v, sizeof *p * n);
	return p;
}

/* ---- verb blocks ------------------------------------------------------------ */

typedef struct vdef {
	const char *lemma;
	bool noun;
	pat_elem *pre, *post; /* words of a multi-word verb around its head */
	uint32_t n_pre, n_post;
	const char *code, *pair;
	const char *where, *text;
	const char **forms; /* extra inflected forms ({...}, regular ones) */
	uint32_t n_forms;
	const char *discard_s, *discard_e; /* TABARI "SOCCER [###]": its words */
} vdef;

typedef struct pdef {
	pat_elem *pre, *post;
	uint32_t n_pre, n_post;
	const char *code, *pair;
	const char *where, *text;
} pdef;

typedef struct block {
	vdef *verbs;
	size_t n_verbs, cap_verbs;
	pdef *pats;
	size_t n_pats, cap_pats;
	const char *code, *pair; /* the "--- NAME [CODE] ---" default */
	long line;
	bool open;   /* has verbs or patterns, or a header */
	bool header; /* opened by a PETRARCH "--- NAME ---" line */
} block;

static const char *where_str(csrc *c)
{
	char w[300];
	snprintf(w, sizeof w, "%s:%ld", c->name, c->line);
	return arena_strdup(&c->m->a, w);
}

/* Adds the forms of a head to the model's form index: the first head to
 * list a form keeps it. */
static int add_head_forms(dyad_model *m, const vdef *v)
{
	uint32_t h = strmap_get(&m->pattern_heads, v->lemma, strlen(v->lemma), 0);
	if (!h)
		return 0;
	for (uint32_t i = 0; i < v->n_forms; i++) {
		uint32_t *slot = strmap_put(&m->head_forms, &m->a, v->forms[i], strlen(v->forms[i]), 0);
		if (!slot)
			return DYAD_E_NOMEM;
		if (!*slot)
			*slot = h;
	}
	return 0;
}

static pat_elem *concat(arena *a, const pat_elem *x, uint32_t nx, const pat_elem *y,
                        uint32_t ny)
{
	pat_elem *p = arena_alloc(a, sizeof *p * (nx + ny ? nx + ny : 1));
	if (!p)
		return NULL;
	if (nx)
		memcpy(p, x, sizeof *p * nx);
	if (ny)
		memcpy(p + nx, y, sizeof *p * ny);
	return p;
}

static int emit_pattern(csrc *c, const vdef *v, const pdef *p)
{
	verb_pattern vp = {0};
	vp.code = p ? p->code : v->code;
	vp.pair_code = p ? p->pair : v->pair;
	vp.head = v->lemma;
#ifdef DYAD_COMPAT_STYLE /* the coder reads TABARI/PETRARCH semantics from it */
	vp.style = (uint8_t)(c->dialect + 1);
#endif
	vp.noun_head = v->noun;
	vp.where = p ? p->where : v->where;
	vp.text = p ? p->text : v->text;
	if (!p) {
		vp.pre = v->pre;
		vp.n_pre = v->n_pre;
		vp.elems = v->post;
		vp.n_elems = v->n_post;
		return dyad__add_pattern(c->m, &vp);
	}
	vp.n_pre = p->n_pre + v->n_pre;
	vp.n_elems = v->n_post + p->n_post;
	vp.pre = v->n_pre ? concat(&c->m->a, p->pre, p->n_pre, v->pre, v->n_pre) : p->pre;
	vp.elems = v->n_post ? concat(&c->m->a, v->post, v->n_post, p->post, p->n_post) : p->post;
	if (!vp.pre || !vp.elems)
		return DYAD_E_NOMEM;
	return dyad__add_pattern(c->m, &vp);
}

static int add_discard(csrc *c, const char *s, const char *e, bool stem, bool verb);

/* Every verb of the block with every pattern of it. */
static int flush_block(csrc *c, block *b)
{
	int rc = 0;
	if (b->n_pats && !b->n_verbs) {
		size_t lines = 0; /* a line may have made several variants */
		for (size_t i = 0; i < b->n_pats; i++)
			lines += i == 0 || b->pats[i].where != b->pats[i - 1].where;
		long line = c->line;
		c->line = b->line;
		PROBLEM(c, "%zu pattern line(s) with no verb before them; skipped", lines);
		c->line = line;
	}
	for (size_t i = 0; i < b->n_verbs && !rc; i++) {
		/* a TABARI verb coded "###" with no patterns of its own discards
		 * the sentence it stands in */
		const vdef *v = &b->verbs[i];
		if (v->discard_s && !b->n_pats) {
			long line = c->line;
			c->line = b->line;
			rc = add_discard(c, v->discard_s, v->discard_e, true, true);
			c->line = line;
			if (rc)
				break;
		}
		rc = emit_pattern(c, &b->verbs[i], NULL);
		if (!rc)
			rc = add_head_forms(c->m, &b->verbs[i]);
		for (size_t j = 0; j < b->n_pats && !rc; j++)
			rc = emit_pattern(c, &b->verbs[i], &b->pats[j]);
	}
	b->n_verbs = b->n_pats = 0;
	b->code = b->pair = NULL;
	b->open = b->header = false;
	return rc;
}

static void block_free(block *b)
{
	free(b->verbs);
	free(b->pats);
}

/* "[032:033]", "[:173]", "[---]" -> code and pair (NULL = none). */
static int parse_event_codes(csrc *c, const char *s, const char *e, const char **code,
                             const char **pair)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	const char *colon = memchr(s, ':', (size_t)(e - s));
	const char *part[2] = {s, colon ? colon + 1 : e};
	const char *pend[2] = {colon ? colon : e, e};
	const char **out[2] = {code, pair};
	*code = *pair = NULL;
	for (int i = 0; i < 2; i++) {
		const char *a = part[i], *b = pend[i];
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		size_t n = (size_t)(b - a);
		if (n > 1 && (a[n - 1] == '!' || a[n - 1] == '?'))
			n--; /* TABARI coders' marks ("[100!]", "[010?]") */
		if (n == 0 && (i == 1 || colon))
			continue;
		if (is_null_code(a, n))
			continue;
		bool ok = n >= 1 && n <= 8;
		for (size_t k = 0; k < n && ok; k++)
			ok = isalnum((unsigned char)a[k]);
		if (!ok) {
			PROBLEM(c, "'%.*s' is not an event code", (int)(e - s), s);
			return 1;
		}
		*out[i] = intern(c, a, n);
		if (!*out[i])
			return DYAD_E_NOMEM;
	}
	return 0;
}

/* The last "[...]" of [s, e): its inside, and *body_end where it starts. */
static bool last_bracket(const char *s, const char *e, const char **in_s, const char **in_e,
                         const char **body_end)
{
	const char *close = NULL;
	for (const char *p = e; p > s; p--)
		if (p[-1] == ']') {
			close = p - 1;
			break;
		}
	if (!close)
		return false;
	for (const char *p = close + 1; p < e; p++)
		if (!isspace((unsigned char)*p))
			return false;
	const char *open = NULL;
	for (const char *p = close; p > s; p--)
		if (p[-1] == '[') {
			open = p - 1;
			break;
		}
	if (!open)
		return false;
	*in_s = open + 1;
	*in_e = close;
	*body_end = open;
	return true;
}

static int parse_pattern_line(csrc *c, block *b, const char *s, const char *e)
{
	const char *cs, *ce, *body_end;
	if (!last_bracket(s, e, &cs, &ce, &body_end)) {
		PROBLEM(c, "pattern has no [CODE] at its end");
		return 0;
	}
	pdef p = {0};
	int r = parse_event_codes(c, cs, ce, &p.code, &p.pair);
	if (r)
		return r < 0 ? r : 0;
	const char *body = s + 1; /* after '-' */
	parsed *ps = tmp_alloc(c, sizeof *ps);
	if (!ps)
		return DYAD_E_NOMEM;
	memset(ps, 0, sizeof *ps);
	r = parse_body(c, body, body_end, ps);
	if (r)
		return r < 0 ? r : 0;
	/* variants: multi-word alternatives become separate patterns while
	 * few; past MAX_VARIANTS an item stands for their last (head) words */
	item *all[2] = {ps->pre, ps->post};
	uint32_t cnt[2] = {ps->n_pre, ps->n_post};
	bool approx[2][MAX_ELEMS * 2] = {{0}};
	uint32_t branches[2][MAX_ELEMS * 2];
	for (;;) {
		uint64_t total = 1;
		uint32_t worst_side = 0, worst = 0, worst_n = 0;
		for (uint32_t sd = 0; sd < 2; sd++)
			for (uint32_t k = 0; k < cnt[sd]; k++) {
				const item *it = &all[sd][k];
				uint32_t nb = 1;
				if (it->kind == IT_WORD && !approx[sd][k])
					nb = n_multi(it) + has_single(it);
				branches[sd][k] = nb ? nb : 1;
				total *= branches[sd][k];
				if (branches[sd][k] > worst_n) {
					worst_n = branches[sd][k];
					worst_side = sd;
					worst = k;
				}
			}
		if (total <= MAX_VARIANTS || worst_n <= 1)
			break;
		approx[worst_side][worst] = true;
	}
	p.where = where_str(c);
	p.text = arena_strndup(&c->m->a, s, (size_t)(e - s));
	if (!p.where || !p.text)
		return DYAD_E_NOMEM;
	uint32_t pick[2][MAX_ELEMS * 2] = {{0}};
	for (;;) {
		side_out pre = {0}, post = {0};
		/* pick value 0 = singles when present; map branch index to pick */
		uint32_t pk[2][MAX_ELEMS * 2];
		for (uint32_t sd = 0; sd < 2; sd++)
			for (uint32_t k = 0; k < cnt[sd]; k++) {
				const item *it = &all[sd][k];
				bool single = it->kind == IT_WORD && has_single(it);
				pk[sd][k] = single ? pick[sd][k] : pick[sd][k] + 1;
				if (it->kind != IT_WORD || approx[sd][k])
					pk[sd][k] = 0;
			}
		r = build_side(c, all[0], cnt[0], pk[0], approx[0], &pre, true, ps->verb_spaced);
		if (!r)
			r = build_side(c, all[1], cnt[1], pk[1], approx[1], &post, false, false);
		if (r)
			return r;
		if (pre.overflow || post.overflow) {
			PROBLEM(c, "pattern has more than %d elements on one side of '*'", MAX_ELEMS);
			return 0;
		}
		pdef q = p;
		q.pre = arena_elems(&c->m->a, pre.v, pre.n);
		q.post = arena_elems(&c->m->a, post.v, post.n);
		q.n_pre = pre.n;
		q.n_post = post.n;
		if (!q.pre || !q.post ||
		    vec_grow((void **)&b->pats, &b->cap_pats, b->n_pats + 1, sizeof *b->pats))
			return DYAD_E_NOMEM;
		b->pats[b->n_pats++] = q;
		/* next combination (odometer) */
		uint32_t sd = 0, k = 0;
		bool done = true;
		for (sd = 0; sd < 2 && done; sd++)
			for (k = 0; k < cnt[sd]; k++) {
				if (++pick[sd][k] < branches[sd][k]) {
					done = false;
					break;
				}
				pick[sd][k] = 0;
			}
		if (done)
			break;
	}
	if (!b->open)
		b->line = c->line;
	b->open = true;
	return 0;
}

/* ---- verbs ------------------------------------------------------------------ */

/* The lemma a dictionary verb word stands for ("ABUS" -> abuse). */
static const char *verb_lemma_of(csrc *c, const char *norm, size_t n, bool stem)
{
	const char *l = dyad__verb_lemma(norm, n);
	if (l || !stem || n + 2 > 64)
		return l;
	char buf[64];
	memcpy(buf, norm, n);
	buf[n] = 'e';
	return dyad__verb_lemma(buf, n + 1);
}

typedef struct vwords {
	const char *s[MAX_ELEMS];
	uint32_t len[MAX_ELEMS];
	unsigned flags[MAX_ELEMS];
	uint32_t n;
	int plus; /* index of the word marked '+', or -1 */
} vwords;

static void split_verb_words(csrc *c, const char *s, const char *e, vwords *vw)
{
	vw->n = 0;
	vw->plus = -1;
	const char *p = s;
	while (p < e && vw->n < MAX_ELEMS) {
		while (p < e && (isspace((unsigned char)*p) || *p == '_'))
			p++;
		if (p >= e)
			break;
		if (*p == '+') {
			vw->plus = (int)vw->n;
			p++;
		}
		const char *ws = p;
		while (p < e && !isspace((unsigned char)*p) && *p != '_')
			p++;
		size_t wl = (size_t)(p - ws);
		unsigned fl = c->dialect == TABARI ? W_STEM : 0, eq = 0;
		while (wl && (ws[wl - 1] == '=' || ws[wl - 1] == '~')) {
			eq |= ws[wl - 1] == '=' ? W_EQUALS : 0;
			wl--;
		}
		if (p < e && *p == '_')
			fl = c->dialect == TABARI ? W_EXACT : W_NOPLURAL;
		fl |= eq;
		if (!wl)
			continue;
		vw->s[vw->n] = ws;
		vw->len[vw->n] = (uint32_t)wl;
		vw->flags[vw->n++] = fl;
	}
}

static int regular_forms(form_acc *fa, const char *w, size_t n)
{
	char buf[300];
	if (n == 0 || n + 4 >= sizeof buf)
		return 0;
	memcpy(buf, w, n);
	add_plural(fa, w, n);
	if (w[n - 1] == 'e') {
		buf[n] = 'd';
		acc_add(fa, buf, n + 1);
		memcpy(buf + n - 1, "ing", 3);
		acc_add(fa, buf, n + 2);
	} else {
		memcpy(buf + n, "ed", 2);
		acc_add(fa, buf, n + 2);
		memcpy(buf + n, "ing", 3);
		acc_add(fa, buf, n + 3);
	}
	return fa->rc;
}

/* TABARI's regular verb endings: -S -ES -ED -EN -ING, after a final E
 * also -D and the E dropped before -ING. */
static void tabari_endings(form_acc *fa, const char *w, size_t n)
{
	static const char *const endings[] = {"s", "es", "ed", "en", "ing"};
	char buf[300];
	if (n == 0 || n > 200)
		return;
	bool e = w[n - 1] == 'e';
	size_t base = e ? n - 1 : n;
	memcpy(buf, w, n);
	for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
		size_t el = strlen(endings[i]);
		memcpy(buf + base, endings[i], el);
		acc_add(fa, buf, base + el);
	}
	if (e) {
		memcpy(buf, w, n);
		buf[n] = 's';
		acc_add(fa, buf, n + 1);
		buf[n] = 'd';
		acc_add(fa, buf, n + 1);
	}
}

/* Elements for the words of a multi-word verb around its head. */
static int verb_extras(csrc *c, const vwords *vw, uint32_t from, uint32_t to, pat_elem **out,
                       uint32_t *n)
{
	pat_elem v[MAX_ELEMS];
	uint32_t k = 0;
	/* PETRARCH spells out each form of a multi-word verb: its other words
	 * ("CORDON_OFF", "RE_+ARREST") are taken as written */
	unsigned keep = c->dialect == PETRARCH ? W_EXACT : 0;
	for (uint32_t i = from; i < to; i++) {
		const form_set *fs =
			word_forms(c, vw->s[i], vw->len[i], keep | (vw->flags[i] & ~(unsigned)W_STEM));
		if (!fs)
			return DYAD_E_NOMEM;
		v[k++] = (pat_elem){.kind = PE_WORD, .n_alts = fs->n, .alts = fs->v};
	}
	*n = k;
	*out = arena_elems(&c->m->a, v, k);
	return *out ? 0 : DYAD_E_NOMEM;
}

/* The normalised form of word i of vw, NUL-terminated in *out. */
static int norm_word(const vwords *vw, uint32_t i, dbuf *out)
{
	out->len = 0;
	if (dyad__norm(vw->s[i], vw->len[i], out) || dbuf_putc(out, '\0'))
		return DYAD_E_NOMEM;
	out->len--;
	return 0;
}

/* Which word of a verb line is the verb: the one marked '+', else the
 * first WordNet verb (PETRARCH: the first word). *lemma is NULL when
 * WordNet does not know it; *head = -1 when there is none (TABARI
 * "EN_ROUTE"). Returns 0 or DYAD_E_NOMEM. */
static int find_head(csrc *c, const vwords *vw, dbuf *norm, const char **lemma, int *head)
{
	*lemma = NULL;
	*head = -1;
	for (uint32_t i = 0; i < vw->n; i++) {
		if (vw->plus >= 0 && (uint32_t)vw->plus != i)
			continue;
		if (norm_word(vw, i, norm))
			return DYAD_E_NOMEM;
		*lemma = verb_lemma_of(c, norm->ptr, norm->len, vw->flags[i] & W_STEM);
		if (*lemma || vw->plus >= 0 || c->dialect == PETRARCH) {
			*head = (int)i;
			return 0;
		}
	}
	return 0;
}

/* Forms listed in "{SAID SAYING}" (for multi-word verbs, the '+' word of
 * each: "{+CORDONED_OFF ...}"). */
static void listed_forms(csrc *c, form_acc *fa, const char *p, const char *e)
{
	while (p < e && !fa->rc) {
		while (p < e && (isspace((unsigned char)*p) || *p == '{' || *p == '}'))
			p++;
		const char *ws = p;
		while (p < e && !isspace((unsigned char)*p) && *p != '}')
			p++;
		if (p == ws)
			break;
		vwords fw;
		split_verb_words(c, ws, p, &fw);
		if (!fw.n)
			continue;
		uint32_t k = fw.plus >= 0 ? (uint32_t)fw.plus : 0;
		dbuf f = {0};
		if (norm_word(&fw, k, &f))
			fa->rc = DYAD_E_NOMEM;
		else
			acc_add(fa, f.ptr, f.len);
		dbuf_free(&f);
	}
}

/* A second line for the same verb in a block merges into the first. */
static vdef *same_verb(block *b, const vdef *v)
{
	for (size_t i = 0; i < b->n_verbs; i++) {
		vdef *o = &b->verbs[i];
		if (strcmp(o->lemma, v->lemma) == 0 && o->noun == v->noun && !o->n_pre && !o->n_post &&
		    !v->n_pre && !v->n_post && o->code == v->code && o->pair == v->pair)
			return o;
	}
	return NULL;
}

static int store_verb(csrc *c, block *b, vdef *v, form_acc *fa)
{
	vdef *o = same_verb(b, v);
	if (o)
		for (uint32_t i = 0; i < o->n_forms; i++)
			acc_put(fa, o->forms[i]);
	size_t n;
	const char **forms;
	int rc = acc_store(fa, &c->m->a, &forms, &n);
	if (rc)
		return rc;
	if (o) {
		o->forms = forms;
		o->n_forms = (uint32_t)n;
		return 0;
	}
	v->forms = forms;
	v->n_forms = (uint32_t)n;
	if (vec_grow((void **)&b->verbs, &b->cap_verbs, b->n_verbs + 1, sizeof *b->verbs))
		return DYAD_E_NOMEM;
	b->verbs[b->n_verbs++] = *v;
	if (!b->open)
		b->line = c->line;
	b->open = true;
	return 0;
}

/* A verb line: "SAY {SAID SAYING} [010]", "+CORDON_OFF {...}",
 * "RE_+ARREST", TABARI "ARREST AND_CHARGE [173]". */
static int parse_verb_line(csrc *c, block *b, const char *s, const char *e, bool own_block)
{
	const char *cs = NULL, *ce = NULL, *body_end = e;
	vdef v = {0};
	if (last_bracket(s, e, &cs, &ce, &body_end)) {
		int r = parse_event_codes(c, cs, ce, &v.code, &v.pair);
		if (r)
			return r < 0 ? r : 0;
		/* "###" discards the sentence wherever the word stands ("World Cup
		 * soccer finals"); "+++" (complex) only where it is the verb, which
		 * dyad cannot tell here: it stays a blocking verb */
		if (c->dialect == TABARI && bracket_is(cs, ce, "###")) {
			/* copied: the line buffer is reused before the block ends */
			const char *fb = memchr(s, '{', (size_t)(body_end - s));
			const char *de = fb ? fb : body_end;
			while (de > s && isspace((unsigned char)de[-1]))
				de--;
			v.discard_s = arena_strndup(&c->m->a, s, (size_t)(de - s));
			if (!v.discard_s)
				return DYAD_E_NOMEM;
			v.discard_e = v.discard_s + (de - s);
		}
	} else if (own_block && c->dialect == TABARI) {
		PROBLEM(c, "verb has no [CODE]");
		return 0;
	} else {
		v.code = b->code;
		v.pair = b->pair;
	}
	const char *fs = memchr(s, '{', (size_t)(body_end - s));
	const char *fe = fs ? memchr(fs, '}', (size_t)(body_end - fs)) : NULL;
	if (fs && !fe) {
		PROBLEM(c, "'{' without '}'");
		return 0;
	}
	vwords vw;
	split_verb_words(c, s, fs ? fs : body_end, &vw);
	if (vw.n == 0) {
		PROBLEM(c, "verb line has no verb");
		return 0;
	}
	dbuf norm = {0};
	const char *lemma;
	int head;
	if (find_head(c, &vw, &norm, &lemma, &head)) {
		dbuf_free(&norm);
		return DYAD_E_NOMEM;
	}
	if (head < 0) { /* no verb in it: the first word as a noun head */
		head = 0;
		v.noun = true;
		if (norm_word(&vw, 0, &norm)) {
			dbuf_free(&norm);
			return DYAD_E_NOMEM;
		}
	}
	bool letters = false;
	for (size_t i = 0; i < norm.len; i++)
		letters = letters || isalpha((unsigned char)norm.ptr[i]);
	if (!letters) {
		PROBLEM(c, "verb '%.*s' has no letters", (int)vw.len[head], vw.s[head]);
		dbuf_free(&norm);
		return 0;
	}
	form_acc fa = {.c = c};
	if (lemma) { /* TABARI "LEFT_" joins "LEAVE": one head per lemma */
		v.lemma = lemma;
		if (strcmp(lemma, norm.ptr) != 0)
			acc_add(&fa, norm.ptr, norm.len);
		/* TABARI adds its regular endings to the word as written, also
		 * where English has none ("departes", "departen"); not to "BAN=" */
		if (c->dialect == TABARI && !(vw.flags[head] & W_EQUALS))
			tabari_endings(&fa, norm.ptr, norm.len);
	} else {
		v.lemma = intern(c, norm.ptr, norm.len);
		if (!v.noun && !fs)
			regular_forms(&fa, norm.ptr, norm.len);
		if (vw.flags[head] & W_STEM) /* TABARI stem WordNet does not know */
			expand_forms(&fa, norm.ptr, norm.len, W_STEM);
	}
	dbuf_free(&norm);
	if (fs)
		listed_forms(c, &fa, fs + 1, fe);
	int r = v.lemma ? verb_extras(c, &vw, 0, (uint32_t)head, &v.pre, &v.n_pre) : DYAD_E_NOMEM;
	if (!r)
		r = verb_extras(c, &vw, (uint32_t)head + 1, vw.n, &v.post, &v.n_post);
	v.where = where_str(c);
	v.text = arena_strndup(&c->m->a, s, (size_t)(e - s));
	if (r || !v.where || !v.text) {
		acc_free(&fa);
		return DYAD_E_NOMEM;
	}
	return store_verb(c, b, &v, &fa);
}

/* TABARI "{ ACTING_ ACTXD_ }" after a verb: more forms of it. */
static int parse_forms_line(csrc *c, block *b, const char *s, const char *e)
{
	if (!b->n_verbs) {
		PROBLEM(c, "verb forms '{...}' with no verb before them");
		return 0;
	}
	vdef *v = &b->verbs[b->n_verbs - 1];
	form_acc fa = {.c = c};
	for (uint32_t i = 0; i < v->n_forms; i++)
		acc_put(&fa, v->forms[i]);
	listed_forms(c, &fa, s, e);
	size_t n;
	int rc = acc_store(&fa, &c->m->a, &v->forms, &n);
	v->n_forms = (uint32_t)n;
	return rc;
}

/* "--- NAME [CODE] ---": starts a PETRARCH block. */
static int parse_block_header(csrc *c, block *b, const char *s, const char *e)
{
	int rc = flush_block(c, b);
	if (rc)
		return rc;
	b->line = c->line;
	b->open = b->header = true;
	const char *os = memchr(s, '[', (size_t)(e - s));
	const char *oe = os ? memchr(os, ']', (size_t)(e - os)) : NULL;
	if (os && !oe) {
		PROBLEM(c, "'[' without ']' in block header");
		return 0;
	}
	if (os) {
		int r = parse_event_codes(c, os + 1, oe, &b->code, &b->pair);
		if (r)
			return r < 0 ? r : 0;
	}
	return 0;
}

static int define_synset(csrc *c, const char *s, const char *e, synset **cur)
{
	compat_state *cs = c->cs;
	const char *ns = s + 1, *ne = ns;
	while (ne < e && (isalnum((unsigned char)*ne) || *ne == '_'))
		ne++;
	bool no_plural = false;
	const char *nend = ne;
	while (nend > ns && nend[-1] == '_') {
		nend--;
		no_plural = true;
	}
	for (const char *p = ne; p < e; p++)
		if (!isspace((unsigned char)*p)) {
			PROBLEM(c, "synset name '%.*s' has stray text after it", (int)(e - s), s);
			*cur = NULL;
			return 0;
		}
	if (nend == ns || nend - ns > 100) {
		PROBLEM(c, "synset needs a name after '&'");
		*cur = NULL;
		return 0;
	}
	char name[128];
	size_t n = (size_t)(nend - ns);
	for (size_t i = 0; i < n; i++)
		name[i] = (char)toupper((unsigned char)ns[i]);
	uint32_t *slot = strmap_put(&cs->synset_index, &c->m->a, name, n, 0);
	if (!slot)
		return DYAD_E_NOMEM;
	if (!*slot) {
		if (vec_grow((void **)&cs->synsets, &cs->cap_synsets, cs->n_synsets + 1,
		             sizeof *cs->synsets))
			return DYAD_E_NOMEM;
		synset *ss = &cs->synsets[cs->n_synsets];
		memset(ss, 0, sizeof *ss);
		ss->name = arena_strndup(&c->m->a, name, n);
		if (!ss->name)
			return DYAD_E_NOMEM;
		*slot = (uint32_t)++cs->n_synsets;
	}
	synset *ss = &cs->synsets[*slot - 1];
	ss->n = 0; /* a later definition replaces an earlier one */
	ss->cached[0] = ss->cached[1] = false;
	ss->no_plural = no_plural;
	*cur = ss;
	return 0;
}

static int add_member(csrc *c, synset *ss, const char *s, const char *e)
{
	const char *m = s + 1;
	while (m < e && isspace((unsigned char)*m))
		m++;
	if (m == e) {
		PROBLEM(c, "empty synset member");
		return 0;
	}
	for (const char *p = m; p < e; p++)
		if (strchr("*$+%^[]", *p) && !(p > m && *p == '$' && p[-1] == '_' && p + 1 == e)) {
			PROBLEM(c, "synset member '%.*s' may hold only words and synsets", (int)(e - m), m);
			return 0;
		}
	/* TABARI's "+PESO_$" keeps the word: drop the stray '$' */
	const char *me = e;
	if (me - m >= 2 && me[-1] == '$' && me[-2] == '_')
		me--;
	const char *copy = arena_strndup(&c->m->a, m, (size_t)(me - m));
	size_t cap = ss->cap;
	if (!copy || vec_grow((void **)&ss->members, &cap, ss->n + 1, sizeof *ss->members))
		return DYAD_E_NOMEM;
	ss->cap = (uint32_t)cap;
	ss->members[ss->n++] = copy;
	return 0;
}

/* First pass over a verbs file: every synset, so a pattern may use one
 * defined further down (PETRARCH allows it). */
static int read_synsets(csrc *c, const char *data, size_t len)
{
	line_iter it = {data, data + len, 0, false, {0}};
	const char *s, *e;
	bool nul;
	int r;
	synset *cur = NULL;
	while ((r = next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		if (nul || s == e)
			continue;
		if (is_tag(s, e) && !is_tag_named(s, e, "<SYNSETS>") &&
		    !is_tag_named(s, e, "</SYNSETS>") && s[1] != '/') {
			cur = NULL;
			if ((r = skip_section(&it, s, e)) < 0)
				break;
			continue;
		}
		if (*s == '&') {
			if ((r = define_synset(c, s, e, &cur)) < 0)
				break;
		} else if (*s == '+' && cur) {
			if ((r = add_member(c, cur, s, e)) < 0)
				break;
		} else {
			cur = NULL;
		}
	}
	dbuf_free(&it.buf);
	return r < 0 ? r : 0;
}

static int load_verbs(csrc *c, const char *data, size_t len)
{
	int rc = read_synsets(c, data, len);
	if (rc)
		return rc;
	line_iter it = {data, data + len, 0, false, {0}};
	block b = {0};
	const char *s, *e;
	bool nul, in_synset = false;
	int r;
	while ((r = next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		tmp_reset(c);
		if (nul) {
			PROBLEM(c, "NUL byte in line");
			continue;
		}
		if (s == e)
			continue;
		rc = 0;
		if (is_tag(s, e)) {
			in_synset = false;
			if (is_tag_named(s, e, "<SYNSETS>") || s[1] == '/')
				continue;
			rc = flush_block(c, &b);
			if (!rc && (r = skip_section(&it, s, e)) < 0)
				break;
		} else if (*s == '&') {
			in_synset = true; /* read in the first pass */
		} else if (*s == '+' && in_synset) {
			continue;
		} else if (*s == '~') {
			in_synset = false; /* PETRARCH transformations, TABARI ~~FINISH */
		} else if (e - s >= 3 && memcmp(s, "---", 3) == 0) {
			in_synset = false;
			rc = parse_block_header(c, &b, s, e);
		} else if (*s == '-') {
			in_synset = false;
			rc = parse_pattern_line(c, &b, s, e);
		} else if (*s == '{') {
			rc = parse_forms_line(c, &b, s, e);
		} else {
			in_synset = false;
			/* TABARI: each verb heads its own patterns. PETRARCH: every
			 * verb of a "--- NAME ---" block shares all its patterns;
			 * outside one, a verb after patterns starts afresh. */
			if (c->dialect == TABARI || (!b.header && b.n_pats))
				rc = flush_block(c, &b);
			if (!rc)
				rc = parse_verb_line(c, &b, s, e, c->dialect == TABARI);
		}
		if (rc < 0)
			break;
	}
	if (r < 0)
		rc = r;
	c->line = it.line;
	if (rc >= 0)
		rc = flush_block(c, &b);
	block_free(&b);
	dbuf_free(&it.buf);
	arena_free(&c->tmp);
	return rc < 0 ? rc : 0;
}

/* ---- actors and agents ------------------------------------------------------- */

/* Common words of 2-4 letters: an all-capitals dictionary phrase equal to
 * one of them ("US", "IS", "WHO") keeps dyad's capitals-only rule; any
 * other ("IRAN", "NATO") matches in any case. */
static const char *const caps_words[] = {
	"a", "ad", "age", "aid", "ail", "air", "all", "also", "am", "an", "and", "any", "are", "arm",
	"art", "as", "at", "bad", "ban", "bank", "bar", "base", "be", "best", "bid", "big", "but",
	"by", "call", "can", "car", "care", "case", "city", "cold", "come", "cost", "cut", "day",
	"deal", "did", "do", "does", "end", "far", "few", "fire", "for", "free", "from", "fund",
	"gas", "get", "go", "god", "good", "got", "gun", "had", "has", "have", "he", "her", "here",
	"him", "his", "hit", "hot", "how", "if", "in", "into", "is", "it", "its", "just", "key",
	"law", "lead", "left", "less", "let", "life", "like", "line", "long", "lot", "low",
	"made", "make", "man", "many", "may", "me", "men", "met", "mid", "more", "most", "much",
	"must", "my", "new", "next", "no", "nor", "not", "now", "of", "off", "oil", "old", "on",
	"one", "only", "or", "our", "out", "over", "own", "part", "past", "pay", "per", "plan",
	"post", "put", "red", "rest", "role", "rule", "run", "said", "same", "say", "see", "set",
	"she", "side", "so", "some", "sun", "take", "tax", "ten", "than", "that", "the", "them",
	"then", "they", "this", "time", "to", "too", "top", "two", "up", "us", "use", "very",
	"vote", "war", "was", "way", "we", "well", "went", "were", "what", "when", "who", "why",
	"will", "win", "with", "work", "year", "yes", "yet", "you",
};

static bool is_caps_word(const char *w, size_t n)
{
	char low[8];
	if (n > 4)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	for (size_t i = 0; i < sizeof caps_words / sizeof caps_words[0]; i++)
		if (strlen(caps_words[i]) == n && memcmp(caps_words[i], low, n) == 0)
			return true;
	return false;
}

/* dyad's form of a dictionary phrase: words split on '_' and spaces, one
 * space between. *stem says the last word is a TABARI stem. */
static int build_phrase(csrc *c, const char *s, const char *e, dbuf *out, bool *stem,
                        bool *equals)
{
	out->len = 0;
	if (dbuf_put(out, "", 0))
		return DYAD_E_NOMEM;
	*stem = false;
	*equals = false;
	size_t words = 0;
	const char *p = s;
	while (p < e) {
		while (p < e && (isspace((unsigned char)*p) || *p == '_'))
			p++;
		if (p >= e)
			break;
		const char *ws = p;
		while (p < e && !isspace((unsigned char)*p) && *p != '_')
			p++;
		size_t wl = (size_t)(p - ws);
		bool exact = p < e && *p == '_', forced = false;
		*equals = false;
		while (wl && (ws[wl - 1] == '=' || ws[wl - 1] == '~')) {
			if (ws[wl - 1] == '=')
				exact = *equals = true;
			else
				forced = true;
			wl--;
		}
		if (!wl)
			continue;
		if (words++ && dbuf_putc(out, ' '))
			return DYAD_E_NOMEM;
		if (dbuf_put(out, ws, wl))
			return DYAD_E_NOMEM;
		*stem = c->dialect == TABARI && (forced || !exact);
	}
	/* TABARI and PETRARCH match without regard to case, and write their
	 * phrases in capitals: lower them, since a phrase written with a
	 * capital needs one in the text (dyad's "Turkey" / "turkey" rule).
	 * One all-capitals word of 2-4 letters that is a common English word
	 * ("US", "IS", "WHO") stays as written: dyad's capitals-only rule. */
	bool keep = false;
	if (words == 1 && out->len >= 2 && out->len <= 4) {
		bool letters = true;
		for (size_t i = 0; i < out->len; i++)
			letters = letters && isupper((unsigned char)out->ptr[i]);
		keep = letters && is_caps_word(out->ptr, out->len);
	}
	if (!keep)
		for (size_t i = 0; i < out->len; i++)
			out->ptr[i] = (char)tolower((unsigned char)out->ptr[i]);
	return 0;
}

typedef struct norm_tok_ctx {
	const char *s;
	dbuf *norms;
	size_t offs[64];
	unsigned flags[64];
	size_t n;
	int rc;
} norm_tok_ctx;

static int norm_tok(void *ctx, const raw_token *t)
{
	norm_tok_ctx *nc = ctx;
	if (nc->n >= 64)
		return 1;
	nc->offs[nc->n] = nc->norms->len;
	nc->flags[nc->n] = t->flags | DYAD_TOK_CAPS;
	if (dyad__norm(nc->s + t->start, t->end - t->start, nc->norms) || dbuf_putc(nc->norms, '\0'))
		return nc->rc = DYAD_E_NOMEM;
	nc->n++;
	return 0;
}

/* Whether the model already has exactly this phrase. */
static int phrase_known(dyad_model *m, const char *s, size_t n)
{
	dbuf norms = {0};
	norm_tok_ctx nc = {s, &norms, {0}, {0}, 0, 0};
	dyad__tokenize(s, n, norm_tok, &nc);
	if (nc.rc) {
		dbuf_free(&norms);
		return nc.rc;
	}
	const char *ptrs[64];
	for (size_t i = 0; i < nc.n; i++)
		ptrs[i] = norms.ptr + nc.offs[i];
	size_t got = 0;
	long e = nc.n ? dyad__trie_match(m, ptrs, nc.flags, nc.n, &got) : -1;
	dbuf_free(&norms);
	return e >= 0 && got == nc.n;
}

/* Adds one written phrase (and, for a TABARI stem or an agent, the forms
 * it implies that no other entry claims). */
static int add_noun_phrase(csrc *c, const char *s, const char *e, uint32_t entry, int plural)
{
	dbuf ph = {0}, var = {0};
	bool stem, equals;
	int rc = build_phrase(c, s, e, &ph, &stem, &equals);
	if (rc)
		goto out;
	if (ph.len == 0) {
		PROBLEM(c, "empty phrase");
		goto out;
	}
	rc = dyad__add_phrase(c->m, ph.ptr, ph.len, entry);
	if (rc == DYAD_E_DICT) {
		PROBLEM(c, "phrase '%s' has no words", ph.ptr);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	size_t last = ph.len;
	while (last && ph.ptr[last - 1] != ' ')
		last--;
	form_acc fa = {.c = c};
	if (stem) {
		static const char *const short_suffixes[] = {"s", "es", "ian", "ians", "ish", "ese"};
		char buf[300];
		size_t wl = ph.len - last;
		bool is_short = wl <= 3; /* "ENT": not "enter" */
		size_t ns = is_short ? sizeof short_suffixes / sizeof *short_suffixes
		                     : sizeof stem_suffixes / sizeof *stem_suffixes;
		for (size_t i = 0; i < ns && wl < 200; i++) {
			const char *suf = is_short ? short_suffixes[i] : stem_suffixes[i];
			size_t sl = strlen(suf);
			for (size_t k = 0; k < wl; k++)
				buf[k] = (char)tolower((unsigned char)ph.ptr[last + k]);
			memcpy(buf + wl, suf, sl);
			acc_add(&fa, buf, wl + sl);
		}
	}
	/* TABARI: a word ending in '_' still takes the regular noun endings
	 * ("LIBYA_" matches "Libyas"); only '=' refuses them ("MOUSE=") */
	if (plural || (c->dialect == TABARI && !stem && !equals)) {
		char buf[300];
		size_t wl = ph.len - last;
		for (size_t k = 0; k < wl && k < sizeof buf; k++)
			buf[k] = (char)tolower((unsigned char)ph.ptr[last + k]);
		if (wl < 200 && !(wl > 1 && buf[wl - 1] == 's' && buf[wl - 2] != 's'))
			add_plural(&fa, buf, wl);
	}
	for (size_t i = 0; i < fa.n && !rc && !fa.rc; i++) {
		var.len = 0;
		if (dbuf_put(&var, ph.ptr, last) || dbuf_puts(&var, fa.v[i])) {
			rc = DYAD_E_NOMEM;
			break;
		}
		int known = phrase_known(c->m, var.ptr, var.len);
		if (known < 0)
			rc = known;
		else if (!known)
			rc = dyad__add_phrase(c->m, var.ptr, var.len, entry);
		if (rc == DYAD_E_DICT)
			rc = 0;
	}
	if (fa.rc)
		rc = fa.rc;
	acc_free(&fa);
out:
	dbuf_free(&ph);
	dbuf_free(&var);
	return rc;
}

typedef struct subst {
	char name[32];
	const char *items[32];
	size_t len[32];
	size_t n;
} subst;

typedef struct noun_rec {
	long line;
	size_t phr[256]; /* phrases: offsets into text */
	size_t phr_len[256];
	int plural[256]; /* 1 = add the regular plural */
	size_t n;
	code_range codes[64];
	size_t n_codes;
	bool has_null;
	bool has_discard; /* TABARI: an undated "###" or "+++" */
	dbuf text; /* copies of the phrases until the record is stored */
} noun_rec;

/* One "[CODE restriction]" group. */
static int add_code_group(csrc *c, noun_rec *r, const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	const char *ce = s;
	while (ce < e && !isspace((unsigned char)*ce))
		ce++;
	if (s == ce || *s == '<' || *s == '>' || isdigit((unsigned char)*s) ||
	    (*s == '-' && !is_null_code(s, (size_t)(ce - s)))) {
		PROBLEM(c, "'[%.*s]' has no actor code", (int)(e - s), s);
		return 1;
	}
	size_t n = (size_t)(ce - s);
	/* "ELR/GAL", a compound actor: all its codes where events.c codes an
	 * event for each (DYAD_SPLIT_CODES), else the first */
	const char *slash = memchr(s, '/', n);
#ifndef DYAD_SPLIT_CODES
	if (slash)
		n = (size_t)(slash - s);
#else
	(void)slash;
#endif
	bool null = is_null_code(s, n);
	if (!null && !is_actor_code(s, n)) {
		PROBLEM(c, "'%.*s' is not an actor code", (int)n, s);
		return 1;
	}
	code_range cr = {0, 0, NULL};
	if (ce < e && parse_restriction(c, ce, e, &cr))
		return 1;
	if (null) {
		r->has_null = true;
		if (!cr.from && !cr.until) {
			/* TABARI's undated "###"/"+++": the sentence is not coded */
			if (c->dialect == TABARI && memcmp(s, "---", 3) != 0)
				r->has_discard = true;
			return 0; /* undated null: dyad's "no code" when nothing fits */
		}
	} else {
		cr.code = intern(c, s, n);
		if (!cr.code)
			return DYAD_E_NOMEM;
	}
	if (r->n_codes >= sizeof r->codes / sizeof r->codes[0]) {
		PROBLEM(c, "more than 64 codes for one actor");
		return 1;
	}
	r->codes[r->n_codes++] = cr;
	return 0;
}

/* Every "[...]" group in [s, e); returns where the first one starts. */
static int code_groups(csrc *c, noun_rec *r, const char *s, const char *e, const char **first)
{
	*first = e;
	const char *p = s;
	while (p < e) {
		const char *open = memchr(p, '[', (size_t)(e - p));
		if (!open)
			break;
		if (*first == e)
			*first = open;
		const char *close = memchr(open, ']', (size_t)(e - open));
		if (!close) {
			PROBLEM(c, "'[' without ']'");
			return 1;
		}
		int rc = add_code_group(c, r, open + 1, close);
		if (rc)
			return rc;
		p = close + 1;
	}
	for (const char *q = p; q < e; q++)
		if (!isspace((unsigned char)*q) && *first != e) {
			PROBLEM(c, "stray text '%.*s' after the codes", (int)(e - q), q);
			return 1;
		}
	return 0;
}

static int rec_phrase(csrc *c, noun_rec *r, const char *s, size_t n, int plural)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n) {
		PROBLEM(c, "empty phrase");
		return 1;
	}
	if (r->n >= sizeof r->phr / sizeof r->phr[0]) {
		PROBLEM(c, "more than 256 phrases for one entry");
		return 1;
	}
	r->phr[r->n] = r->text.len;
	if (dbuf_put(&r->text, s, n) || dbuf_putc(&r->text, '\0'))
		return DYAD_E_NOMEM;
	r->phr_len[r->n] = n;
	r->plural[r->n++] = plural;
	return 0;
}

/* A phrase with a "!NAME!" substitution: one phrase per item. */
static int rec_subst_phrase(csrc *c, noun_rec *r, const subst *subs, size_t n_subs,
                            const char *s, size_t n)
{
	const char *a = memchr(s, '!', n);
	const char *b = a ? memchr(a + 1, '!', (size_t)(s + n - a - 1)) : NULL;
	if (!b) {
		PROBLEM(c, "'!' without its closing '!'");
		return 1;
	}
	for (size_t i = 0; i < n_subs; i++) {
		if (strlen(subs[i].name) != (size_t)(b - a - 1) ||
		    memcmp(subs[i].name, a + 1, (size_t)(b - a - 1)) != 0)
			continue;
		for (size_t k = 0; k < subs[i].n; k++) {
			char buf[512];
			int len = snprintf(buf, sizeof buf, "%.*s%.*s%.*s", (int)(a - s), s,
			                   (int)subs[i].len[k], subs[i].items[k], (int)(s + n - b - 1), b + 1);
			if (len < 0 || (size_t)len >= sizeof buf) {
				PROBLEM(c, "phrase too long after substitution");
				return 1;
			}
			int rc = rec_phrase(c, r, buf, (size_t)len, 0);
			if (rc)
				return rc;
		}
		return 0;
	}
	PROBLEM(c, "substitution '!%.*s!' is not defined above", (int)(b - a - 1), a + 1);
	return 1;
}

static int define_subst(csrc *c, subst *subs, size_t *n_subs, const char *s, const char *e,
                        arena *a)
{
	const char *b = memchr(s + 1, '!', (size_t)(e - s - 1));
	const char *eq = b ? memchr(b, '=', (size_t)(e - b)) : NULL;
	if (!b || !eq || b - s - 1 >= 31 || b == s + 1) {
		PROBLEM(c, "bad substitution set (want !NAME! = a, b, c)");
		return 1;
	}
	if (*n_subs >= 32) {
		PROBLEM(c, "more than 32 substitution sets");
		return 1;
	}
	subst *sb = &subs[(*n_subs)++];
	memset(sb, 0, sizeof *sb);
	memcpy(sb->name, s + 1, (size_t)(b - s - 1));
	for (const char *p = eq + 1; p < e && sb->n < 32;) {
		const char *comma = memchr(p, ',', (size_t)(e - p));
		const char *ie = comma ? comma : e;
		const char *is = p;
		while (is < ie && isspace((unsigned char)*is))
			is++;
		const char *iend = ie;
		while (iend > is && isspace((unsigned char)iend[-1]))
			iend--;
		if (iend > is) {
			sb->items[sb->n] = arena_strndup(a, is, (size_t)(iend - is));
			if (!sb->items[sb->n])
				return DYAD_E_NOMEM;
			sb->len[sb->n++] = (size_t)(iend - is);
		}
		p = ie + 1;
	}
	return 0;
}

static bool is_agent_code(const char *code)
{
	size_t n = strlen(code);
	return code[0] == '~' || code[n - 1] == '~';
}

static const char *rec_text(const noun_rec *r, size_t i)
{
	return r->text.ptr + r->phr[i];
}

/* The entry for a record, or 1 (reported) / a negative code. */
static int rec_entry(csrc *c, const noun_rec *r, actor_entry *e)
{
	size_t agents = 0;
	bool real = false, dated = false;
	for (size_t i = 0; i < r->n_codes; i++) {
		agents += r->codes[i].code && is_agent_code(r->codes[i].code);
		real = real || r->codes[i].code;
		dated = dated || r->codes[i].from || r->codes[i].until;
	}
	if (r->n_codes == 0 && !r->has_null) {
		PROBLEM(c, "'%s' has no code", rec_text(r, 0));
		return 1;
	}
	if (agents && agents != r->n_codes) {
		PROBLEM(c, "'%s' mixes agent (~) and actor codes", rec_text(r, 0));
		return 1;
	}
	memset(e, 0, sizeof *e);
	e->kind = !real ? (r->has_discard ? ENTRY_DISCARD : ENTRY_STOP)
	                : agents ? ENTRY_AGENT : ENTRY_ACTOR;
#ifdef DYAD_COMPAT_STYLE
	e->style = (uint8_t)(c->dialect + 1);
#endif
	e->type = e->kind == ENTRY_ACTOR && dated ? TYPE_PERSON : TYPE_NONE;
	char where[300], name[300];
	snprintf(where, sizeof where, "%s:%ld", c->name, r->line);
	size_t nl = r->phr_len[0] < sizeof name - 1 ? r->phr_len[0] : sizeof name - 1;
	for (size_t i = 0; i < nl; i++)
		name[i] = rec_text(r, 0)[i] == '_' ? ' ' : rec_text(r, 0)[i];
	while (nl && name[nl - 1] == ' ')
		nl--;
	e->where = arena_strdup(&c->m->a, where);
	e->name = arena_strndup(&c->m->a, name, nl);
	e->n_codes = real ? (uint32_t)r->n_codes : 0;
	e->codes = arena_alloc(&c->m->a, sizeof(code_range) * (r->n_codes ? r->n_codes : 1));
	if (!e->where || !e->name || !e->codes)
		return DYAD_E_NOMEM;
	if (real)
		memcpy(e->codes, r->codes, sizeof(code_range) * r->n_codes);
	return 0;
}

/* Stores the record: an entry with its codes, then its phrases. */
static int flush_rec(csrc *c, noun_rec *r)
{
	int rc = 0;
	long line = c->line;
	c->line = r->line;
	actor_entry e;
	if (r->n && (rc = rec_entry(c, r, &e)) == 0) {
		long idx = dyad__add_entry(c->m, &e);
		if (idx < 0)
			rc = (int)idx;
		for (size_t i = 0; i < r->n && !rc; i++)
			rc = add_noun_phrase(c, rec_text(r, i), rec_text(r, i) + r->phr_len[i],
			                     (uint32_t)idx, r->plural[i]);
	}
	c->line = line;
	r->n = r->n_codes = 0;
	r->has_null = r->has_discard = false;
	r->text.len = 0;
	return rc < 0 ? rc : 0;
}

/* A head or '+' line: "PHRASE {PLURAL} [CODE ...] [CODE ...]". */
static int noun_line(csrc *c, noun_rec *r, const subst *subs, size_t n_subs, const char *s,
                     const char *e, bool agents)
{
	const char *first;
	int rc = code_groups(c, r, s, e, &first);
	if (rc)
		return rc;
	const char *pe = first;
	const char *brace = memchr(s, '{', (size_t)(pe - s));
	int plural = agents;
	if (brace) {
		const char *close = memchr(brace, '}', (size_t)(pe - brace));
		if (!close) {
			PROBLEM(c, "'{' without '}'");
			return 1;
		}
		plural = 0;
		const char *ps = brace + 1, *pend = close;
		while (ps < pend && isspace((unsigned char)*ps))
			ps++;
		while (pend > ps && isspace((unsigned char)pend[-1]))
			pend--;
		if (pend > ps && (rc = rec_phrase(c, r, ps, (size_t)(pend - ps), 0)))
			return rc;
		pe = brace;
	}
	const char *bang = memchr(s, '!', (size_t)(pe - s));
	if (bang && memchr(bang + 1, '!', (size_t)(pe - bang - 1))) /* "CATTLE!PERSON!" */
		return rec_subst_phrase(c, r, subs, n_subs, s, (size_t)(pe - s));
	return rec_phrase(c, r, s, (size_t)(pe - s), plural);
}

static int load_nouns(csrc *c, const char *data, size_t len, bool agents)
{
	line_iter it = {data, data + len, 0, false, {0}};
	noun_rec *r = calloc(1, sizeof *r);
	subst *subs = calloc(32, sizeof *subs);
	arena sub_arena = {0};
	size_t n_subs = 0;
	int rc = r && subs ? 0 : DYAD_E_NOMEM;
	const char *s, *e;
	bool nul;
	int got = 0;
	while (!rc && (got = next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		if (nul) {
			PROBLEM(c, "NUL byte in line");
			continue;
		}
		if (s == e || *s == '~')
			continue; /* blank, TABARI "~~FINISH" */
		if (is_tag(s, e)) {
			rc = flush_rec(c, r);
			if (!rc && s[1] != '/' && (got = skip_section(&it, s, e)) < 0)
				rc = got;
			continue;
		}
		if (*s == '!' && memchr(s, '=', (size_t)(e - s))) {
			rc = define_subst(c, subs, &n_subs, s, e, &sub_arena);
		} else if (*s == '[') {
			const char *first;
			if (!r->n)
				PROBLEM(c, "codes with no phrase before them");
			else
				rc = code_groups(c, r, s, e, &first);
		} else if (*s == '+') {
			if (!r->n)
				PROBLEM(c, "'+' synonym with no phrase before it");
			else
				rc = noun_line(c, r, subs, n_subs, s + 1, e, agents);
		} else {
			rc = flush_rec(c, r);
			if (!rc) {
				r->line = it.line;
				rc = noun_line(c, r, subs, n_subs, s, e, agents);
			}
			/* a head line that failed leaves no record behind */
			if (rc > 0) {
				r->n = r->n_codes = 0;
				r->has_null = r->has_discard = false;
				r->text.len = 0;
			}
		}
		if (rc > 0)
			rc = 0;
	}
	if (!rc && got < 0)
		rc = got;
	if (!rc && r)
		rc = flush_rec(c, r);
	if (r)
		dbuf_free(&r->text);
	free(r);
	free(subs);
	arena_free(&sub_arena);
	dbuf_free(&it.buf);
	return rc;
}

/* ---- discards ------------------------------------------------------------------- */

/* A discard phrase: an ENTRY_DISCARD entry (a sentence holding it codes
 * no events). `stem` adds the regular plural of the last word, for
 * PETRARCH's discards without a final '_' and TABARI's stems. */
static int add_discard(csrc *c, const char *s, const char *e, bool stem, bool verb)
{
	actor_entry en;
	memset(&en, 0, sizeof en);
	en.kind = ENTRY_DISCARD;
	en.where = where_str(c);
	en.name = arena_strndup(&c->m->a, s, (size_t)(e - s));
	en.codes = arena_alloc(&c->m->a, sizeof(code_range));
	if (!en.where || !en.name || !en.codes)
		return DYAD_E_NOMEM;
	long idx = dyad__add_entry(c->m, &en);
	if (idx < 0)
		return (int)idx;
	dbuf ph = {0}, var = {0};
	bool st, eq;
	int rc = build_phrase(c, s, e, &ph, &st, &eq);
	if (!rc && ph.len) {
		rc = dyad__add_phrase(c->m, ph.ptr, ph.len, (uint32_t)idx);
		if (rc == DYAD_E_DICT) {
			PROBLEM(c, "discard phrase '%s' has no words", ph.ptr);
			rc = 0;
		}
		size_t last = ph.len;
		while (last && ph.ptr[last - 1] != ' ')
			last--;
		if (!rc && stem && ph.len - last >= 3) {
			form_acc fa = {.c = c};
			if (verb)
				tabari_endings(&fa, ph.ptr + last, ph.len - last);
			else
				add_plural(&fa, ph.ptr + last, ph.len - last);
			for (size_t i = 0; i < fa.n && !rc && !fa.rc; i++) {
				var.len = 0;
				if (dbuf_put(&var, ph.ptr, last) || dbuf_puts(&var, fa.v[i]))
					rc = DYAD_E_NOMEM;
				else if ((rc = dyad__add_phrase(c->m, var.ptr, var.len, (uint32_t)idx)) ==
				         DYAD_E_DICT)
					rc = 0;
			}
			if (fa.rc)
				rc = fa.rc;
			acc_free(&fa);
		}
	}
	dbuf_free(&ph);
	dbuf_free(&var);
	return rc;
}

/* PETRARCH's discard list: one phrase a line; a final '_' makes it whole
 * words, else the last word is a stem; '+' (the whole story) is read as
 * the sentence, since dyad discards sentence by sentence. */
static int load_discards(csrc *c, const char *data, size_t len)
{
	line_iter it = {data, data + len, 0, false, {0}};
	const char *s, *e;
	bool nul;
	int r, rc = 0;
	while (!rc && (r = next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		if (nul) {
			PROBLEM(c, "NUL byte in line");
			continue;
		}
		if (*s == '+')
			s++;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s == e)
			continue;
		bool stem = e[-1] != '_';
		rc = add_discard(c, s, e, stem, false);
	}
	if (!rc && r < 0)
		rc = r;
	dbuf_free(&it.buf);
	return rc;
}

/* ---- which file is which ------------------------------------------------------ */

static bool has_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

/* From the file name, else from its content. `why` names an unsupported
 * kind. */
static int file_kind(const char *name, const char *data, size_t len, const char **why)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	*why = NULL;
	static const char *const skip[] = {"issue", "README"};
	static const char *const skip_ext[] = {".options", ".project", ".text", ".ini", ".xml",
	                                       ".prob", ".md"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (has_ci(base, skip[i])) {
			*why = skip[i];
			return KIND_NONE;
		}
	size_t bl = strlen(base);
	for (size_t i = 0; i < sizeof skip_ext / sizeof skip_ext[0]; i++) {
		size_t xl = strlen(skip_ext[i]);
		if (bl >= xl && strcasecmp(base + bl - xl, skip_ext[i]) == 0) {
			*why = skip_ext[i];
			return KIND_NONE;
		}
	}
	if (has_ci(base, "discard"))
		return KIND_DISCARDS;
	if (has_ci(base, "agent"))
		return KIND_AGENTS;
	if (has_ci(base, "verb") || strncasecmp(base, "cameo", 5) == 0)
		return KIND_VERBS;
	if (has_ci(base, "actor"))
		return KIND_ACTORS;
	/* content: pattern lines make a verbs file, "[~" an agents file */
	bool bol = true, agent = false;
	for (size_t i = 0; i < len; i++) {
		if (bol && data[i] == '-')
			return KIND_VERBS;
		if (data[i] == '[') {
			size_t j = i + 1;
			while (j < len && data[j] == ' ')
				j++;
			if (j < len && data[j] == '~')
				agent = true;
		}
		bol = data[i] == '\n';
	}
	return agent ? KIND_AGENTS : KIND_ACTORS;
}

static int load_compat(dyad_model *m, const char *name, const char *data, size_t len,
                       dyad_diag_fn diag, void *ctx, int dialect)
{
	if (!m || !name || (!data && len))
		return DYAD_E_INVALID;
	compat_state *cs = get_state(m);
	if (!cs)
		return DYAD_E_NOMEM;
	csrc c = {.m = m, .cs = cs, .name = name, .diag = diag, .ctx = ctx, .dialect = dialect};
	const char *why;
	int kind = file_kind(name, data ? data : "", len, &why);
	int rc;
	switch (kind) {
	case KIND_VERBS:
		rc = load_verbs(&c, data, len);
		break;
	case KIND_ACTORS:
	case KIND_AGENTS:
		rc = load_nouns(&c, data, len, kind == KIND_AGENTS);
		break;
	case KIND_DISCARDS:
		rc = load_discards(&c, data, len);
		break;
	default:
		return dyad__report(diag, ctx, DYAD_E_FORMAT, name, 0,
		                    "not an actors, agents or verbs dictionary ('%s' files are not "
		                    "supported); skipped",
		                    why);
	}
	arena_free(&c.tmp);
	return rc < 0 ? rc : c.problems;
}

int dyad__load_tabari_file(dyad_model *m, const char *name, const char *data, size_t len,
                           dyad_diag_fn diag, void *ctx)
{
	return load_compat(m, name, data, len, diag, ctx, TABARI);
}

int dyad__load_petrarch_file(dyad_model *m, const char *name, const char *data, size_t len,
                             dyad_diag_fn diag, void *ctx)
{
	return load_compat(m, name, data, len, diag, ctx, PETRARCH);
}
