/* clean.c -- the cleaning stage: paragraphs, their kinds, and cuts.
 *
 * Splits a document into paragraphs and decides for each whether it is
 * story text, a picture caption or boilerplate (appeals, share buttons,
 * bylines...), and which spans inside kept paragraphs are not to be coded
 * (picture credits, datelines, "Read more"). What counts as what is data:
 * the files data/clean/NAME.txt, one rule a line (data/clean/README.md).
 *
 * Text is read as a stream of normalised symbols (ASCII case folded, curly
 * quotes and dashes made straight, whitespace runs made one space). All
 * phrase rules are compiled into one Aho-Corasick automaton over that
 * stream, so each paragraph is read once whatever the number of rules, and
 * the detectors (credits, datelines, bylines) look at a bounded window:
 * the time is linear in the length of the text.
 */
#include "clean.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_PHRASE 100      /* symbols in a rule's phrase */
#define RING 256            /* symbols of look-behind kept while scanning */
#define MAX_PAREN 100       /* symbols inside parentheses checked for a credit */
#define AFFIX_SLACK 4       /* non-word symbols allowed before a prefix, after a suffix */
#define SHORT_WORDS 40      /* a paragraph this short needs less evidence */
#define TAIL_SYMBOLS 100    /* a tail credit starts this close to the end */
#define DATELINE_SYMBOLS 100
#define BYLINE_SYMBOLS 150
#define BYLINE_WORDS 14

enum action { ACT_BOILERPLATE, ACT_HINT, ACT_CAPTION, ACT_CUT, ACT_CREDIT, ACT_AGENCY };
enum test {
	T_PREFIX, T_SUFFIX, T_EXACT, T_CONTAINS, /* phrase tests on a paragraph */
	T_INSIDE, T_TAIL,                        /* credit phrases */
	T_NAME,                                  /* agency names */
	T_BYLINE, T_DATELINE, T_CREDITS          /* built-in detectors */
};

typedef struct clean_matcher clean_matcher;

struct clean_rule {
	uint8_t action, test;
	bool first_word, last_word; /* the phrase starts/ends with a word character */
	uint32_t len;               /* normalised phrase length (symbols = bytes) */
	const char *phrase;         /* normalised, in m->a; NULL for detectors */
	const char *where;          /* "file:line", in m->a */
	/* The compiled set of all rules; kept in clean_rules[0] only (the model
	 * struct has no other room for it). */
	clean_matcher *matcher;
};

struct clean_matcher {
	uint8_t cls[256];    /* byte -> symbol class (0 = in no phrase) */
	uint32_t n_cls, n_states;
	uint32_t *delta;     /* n_states * n_cls: the automaton's moves */
	uint32_t *out;       /* per state: first rule (index + 1) ending here */
	uint32_t *dict;      /* per state: next suffix state with rules, 0 = none */
	uint32_t *rule_next; /* per rule: next rule (index + 1) with the same phrase */
	uint32_t *inside;    /* credit `inside` rules */
	size_t n_inside;
	arena a;
	strmap agencies;     /* normalised agency names */
	long byline, dateline, cut_credits, caption_credits; /* rule index or -1 */
};

/* ---- normalised symbols --------------------------------------------------- */

enum {
	SYM_WORD = 1u << 0,   /* a letter, digit or non-ASCII byte */
	SYM_UPPER = 1u << 1,  /* an ASCII capital in the text */
	SYM_QOPEN = 1u << 2,  /* an opening double quote */
	SYM_QCLOSE = 1u << 3, /* a closing double quote */
	SYM_QTOGGLE = 1u << 4 /* a straight double quote */
};

typedef struct sym {
	unsigned char c;     /* normalised byte */
	unsigned char flags; /* SYM_* */
	size_t from, to;     /* its bytes in the text */
} sym;

static inline bool ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Maps the typographic characters that matter (spaces, quotes, dashes) to
 * ASCII; returns the byte (0 = not special) and sets *len and *flags. */
static unsigned char special_char(const unsigned char *s, size_t n, size_t *len,
                                  unsigned char *flags)
{
	*len = n >= 2 && s[0] == 0xC2 ? 2 : 3;
	if (n >= 2 && s[0] == 0xC2) {
		if (s[1] == 0xA0)
			return ' ';
		if (s[1] == 0xB7)
			return '*'; /* middle dot */
		if (s[1] == 0xAB || s[1] == 0xBB)
			return *flags = s[1] == 0xAB ? SYM_QOPEN : SYM_QCLOSE, '"';
		return 0;
	}
	if (n < 3)
		return 0;
	if (s[0] == 0xE2 && s[1] == 0x80) {
		unsigned char b = s[2];
		if (b <= 0x8B || b == 0xA8 || b == 0xA9 || b == 0xAF)
			return b >= 0x80 ? ' ' : 0;
		if (b >= 0x90 && b <= 0x95)
			return '-';
		if ((b >= 0x98 && b <= 0x9B) || b == 0xB2)
			return '\'';
		if (b == 0xA2)
			return '*'; /* bullet */
		if (b == 0xA6)
			return '.'; /* ellipsis */
		if (b == 0xB9 || b == 0xBA)
			return b == 0xB9 ? '<' : '>';
		if (b == 0x9D || b == 0xB3)
			return *flags = SYM_QCLOSE, '"';
		if (b == 0x9C || b == 0x9E || b == 0x9F)
			return *flags = SYM_QOPEN, '"';
		return 0;
	}
	if (s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)
		return '-'; /* minus sign */
	if ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
	    (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
		return ' '; /* ideographic space, stray BOM */
	return 0;
}

/* The symbol at *pos (< end); advances *pos. */
static void next_sym(const unsigned char *t, size_t end, size_t *pos, sym *out)
{
	size_t i = *pos, len = 1;
	unsigned char c = t[i], flags = 0;
	out->from = i;
	if (c >= 0x80) {
		unsigned char m = special_char(t + i, end - i, &len, &flags);
		if (m)
			c = m;
		else
			len = 1, flags = SYM_WORD;
	} else if (ascii_space(c)) {
		c = ' ';
	} else if (c >= 'A' && c <= 'Z') {
		c = (unsigned char)(c + 32);
		flags = SYM_WORD | SYM_UPPER;
	} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		flags = SYM_WORD;
	} else if (c == '"') {
		flags = SYM_QTOGGLE;
	}
	i += len;
	if (c == ' ') { /* a run of spaces is one symbol */
		for (;;) {
			unsigned char f = 0;
			if (i < end && ascii_space(t[i]))
				i++;
			else if (i < end && t[i] >= 0x80 && special_char(t + i, end - i, &len, &f) == ' ')
				i += len;
			else
				break;
		}
	}
	out->c = c;
	out->flags = flags;
	out->to = i;
	*pos = i;
}

/* ---- loading rules --------------------------------------------------------- */

static const char *const action_names[] = {"boilerplate", "hint", "caption", "cut",
                                           "credit", "agency", NULL};
static const char *const test_names[] = {"prefix", "suffix", "exact", "contains", "inside",
                                         "tail", "name", "byline", "dateline", "credits", NULL};

static int word_index(const char *const *names, const char *s, size_t n)
{
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return i;
	return -1;
}

/* Whether a test goes with an action, and whether it takes a phrase. */
static bool test_fits(int action, int test)
{
	switch (test) {
	case T_PREFIX: case T_SUFFIX: case T_EXACT: case T_CONTAINS:
		return action <= ACT_CUT;
	case T_INSIDE: case T_TAIL: return action == ACT_CREDIT;
	case T_BYLINE: return action == ACT_BOILERPLATE;
	case T_DATELINE: return action == ACT_CUT;
	case T_CREDITS: return action == ACT_CUT || action == ACT_CAPTION;
	default: return false;
	}
}

static size_t skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && ascii_space((unsigned char)s[i]))
		i++;
	return i;
}

static size_t skip_word(const char *s, size_t i, size_t n)
{
	while (i < n && !ascii_space((unsigned char)s[i]))
		i++;
	return i;
}

/* Normalises a phrase into the model arena; NULL when out of memory. */
static char *norm_phrase(arena *a, const char *s, size_t n, clean_rule *r)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t pos = 0, k = 0;
	while (pos < n) {
		sym y;
		next_sym((const unsigned char *)s, n, &pos, &y);
		if (k == 0)
			r->first_word = y.flags & SYM_WORD;
		r->last_word = y.flags & SYM_WORD;
		out[k++] = (char)y.c;
	}
	out[k] = '\0';
	r->len = (uint32_t)k;
	return out;
}

typedef struct rule_line {
	dyad_model *m;
	const char *name;
	long line;
	char msg[200];
} rule_line;

/* Parses one rule (comment and outer whitespace removed). Returns 0, 1 for
 * a bad line (lp->msg says why) or DYAD_E_NOMEM. */
static int parse_rule(rule_line *lp, const char *s, size_t n)
{
	size_t a0 = 0, a1 = skip_word(s, 0, n);
	int action = word_index(action_names, s + a0, a1 - a0);
	if (action < 0) {
		snprintf(lp->msg, sizeof lp->msg, "unknown action '%.*s' (expected boilerplate, hint, "
		         "caption, cut, credit or agency)", (int)(a1 - a0 > 40 ? 40 : a1 - a0), s);
		return 1;
	}
	int test = T_NAME;
	size_t p0 = skip_ws(s, a1, n);
	if (action != ACT_AGENCY) {
		size_t t1 = skip_word(s, p0, n);
		test = word_index(test_names, s + p0, t1 - p0);
		if (t1 == p0) {
			snprintf(lp->msg, sizeof lp->msg, "%s rule without a test", action_names[action]);
			return 1;
		}
		if (test < 0 || !test_fits(action, test)) {
			snprintf(lp->msg, sizeof lp->msg, "'%.*s' is not a test for %s rules",
			         (int)(t1 - p0 > 40 ? 40 : t1 - p0), s + p0, action_names[action]);
			return 1;
		}
		p0 = skip_ws(s, t1, n);
	}
	bool detector = test >= T_BYLINE;
	if (detector != (p0 == n)) {
		snprintf(lp->msg, sizeof lp->msg, detector ? "'%s' takes no phrase" : "%s rule without a phrase",
		         detector ? test_names[test] : action_names[action]);
		return 1;
	}
	if (memchr(s, '\0', n)) {
		snprintf(lp->msg, sizeof lp->msg, "NUL byte in a rule");
		return 1;
	}
	dyad_model *m = lp->m;
	if (vec_grow((void **)&m->clean_rules, &m->cap_clean_rules, m->n_clean_rules + 1,
	             sizeof *m->clean_rules))
		return DYAD_E_NOMEM;
	clean_rule r = {.action = (uint8_t)action, .test = (uint8_t)test};
	bool stem = !detector && s[n - 1] == '*'; /* "subscri*": any word starting so */
	size_t pn = n - p0 - stem;
	while (pn && ascii_space((unsigned char)s[p0 + pn - 1]))
		pn--;
	if (!detector && pn == 0) {
		snprintf(lp->msg, sizeof lp->msg, "%s rule without a phrase", action_names[action]);
		return 1;
	}
	if (!detector && !(r.phrase = norm_phrase(&m->a, s + p0, pn, &r)))
		return DYAD_E_NOMEM;
	r.last_word = r.last_word && !stem;
	if (r.len > MAX_PHRASE) {
		snprintf(lp->msg, sizeof lp->msg, "phrase longer than %d characters", MAX_PHRASE);
		return 1;
	}
	char where[300];
	snprintf(where, sizeof where, "%s:%ld", lp->name, lp->line);
	if (!(r.where = arena_strdup(&m->a, where)))
		return DYAD_E_NOMEM;
	m->clean_rules[m->n_clean_rules++] = r; /* matcher: set on [0] after the file */
	return 0;
}

static void report(rule_line *lp, dyad_diag_fn diag, void *ctx)
{
	dyad_error e = {0};
	dyad__set_error(&e, DYAD_E_DICT, lp->name, lp->line, "%s", lp->msg);
	if (diag)
		diag(ctx, &e);
}

static clean_matcher *matcher_build(const dyad_model *m);
static void matcher_free(clean_matcher *cm);

int dyad__load_clean_rules(dyad_model *m, const char *name, const char *data, size_t len,
                           dyad_diag_fn diag, void *ctx)
{
	rule_line lp = {.m = m, .name = name ? name : "clean"};
	int problems = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		const char *hash = memchr(data + pos, '#', end - pos);
		size_t stop = hash ? (size_t)(hash - data) : end;
		lp.line++;
		size_t b = skip_ws(data, pos, stop), e = stop;
		while (e > b && ascii_space((unsigned char)data[e - 1]))
			e--;
		pos = end + 1;
		if (b == e)
			continue;
		int rc = parse_rule(&lp, data + b, e - b);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			report(&lp, diag, ctx);
			problems++;
		}
	}
	if (!m->n_clean_rules)
		return problems;
	clean_matcher *cm = matcher_build(m);
	if (!cm)
		return DYAD_E_NOMEM;
	matcher_free(m->clean_rules[0].matcher);
	m->clean_rules[0].matcher = cm;
	return problems;
}

void dyad__free_clean_rules(dyad_model *m)
{
	if (m->n_clean_rules)
		matcher_free(m->clean_rules[0].matcher);
	free(m->clean_rules);
	m->clean_rules = NULL;
	m->n_clean_rules = m->cap_clean_rules = 0;
}

/* ---- compiling: one automaton for every phrase ------------------------------ */

static void matcher_free(clean_matcher *cm)
{
	if (!cm)
		return;
	free(cm->delta);
	free(cm->out);
	free(cm->dict);
	free(cm->rule_next);
	free(cm->inside);
	strmap_free(&cm->agencies);
	arena_free(&cm->a);
	free(cm);
}

static bool in_automaton(const clean_rule *r)
{
	return r->phrase && r->action != ACT_AGENCY && r->test != T_INSIDE;
}

/* Classes for the bytes that occur in phrases; sums the phrase lengths. */
static size_t assign_classes(clean_matcher *cm, const clean_rule *rules, size_t n)
{
	size_t total = 0;
	cm->n_cls = 1;
	for (size_t i = 0; i < n; i++) {
		if (!in_automaton(&rules[i]))
			continue;
		total += rules[i].len;
		for (uint32_t k = 0; k < rules[i].len; k++) {
			unsigned char c = (unsigned char)rules[i].phrase[k];
			if (!cm->cls[c])
				cm->cls[c] = (uint8_t)cm->n_cls++;
		}
	}
	return total;
}

static void trie_insert(clean_matcher *cm, const clean_rule *r, uint32_t index)
{
	uint32_t s = 0;
	for (uint32_t k = 0; k < r->len; k++) {
		uint32_t *edge = &cm->delta[(size_t)s * cm->n_cls + cm->cls[(unsigned char)r->phrase[k]]];
		if (!*edge)
			*edge = cm->n_states++;
		s = *edge;
	}
	cm->rule_next[index] = cm->out[s];
	cm->out[s] = index + 1;
}

/* Turns the trie into a full automaton (breadth first: a state's failure
 * state is always complete before the state itself is). */
static int trie_complete(clean_matcher *cm)
{
	uint32_t *queue = malloc((size_t)cm->n_states * sizeof *queue);
	uint32_t *fail = calloc(cm->n_states, sizeof *fail);
	if (!queue || !fail) {
		free(queue);
		free(fail);
		return DYAD_E_NOMEM;
	}
	size_t head = 0, tail = 0;
	queue[tail++] = 0;
	while (head < tail) {
		uint32_t s = queue[head++];
		uint32_t *row = &cm->delta[(size_t)s * cm->n_cls];
		const uint32_t *frow = &cm->delta[(size_t)fail[s] * cm->n_cls];
		for (uint32_t k = 0; k < cm->n_cls; k++) {
			uint32_t t = row[k];
			if (!t) {
				row[k] = s ? frow[k] : 0;
				continue;
			}
			fail[t] = s ? frow[k] : 0;
			cm->dict[t] = cm->out[fail[t]] ? fail[t] : cm->dict[fail[t]];
			queue[tail++] = t;
		}
	}
	free(queue);
	free(fail);
	return 0;
}

static int index_rule(clean_matcher *cm, const clean_rule *r, uint32_t i)
{
	if (r->action == ACT_AGENCY)
		return strmap_put(&cm->agencies, &cm->a, r->phrase, r->len, i) ? 0 : DYAD_E_NOMEM;
	if (r->test == T_INSIDE)
		cm->inside[cm->n_inside++] = i;
	else if (r->test == T_BYLINE && cm->byline < 0)
		cm->byline = i;
	else if (r->test == T_DATELINE && cm->dateline < 0)
		cm->dateline = i;
	else if (r->test == T_CREDITS && r->action == ACT_CUT && cm->cut_credits < 0)
		cm->cut_credits = i;
	else if (r->test == T_CREDITS && r->action == ACT_CAPTION && cm->caption_credits < 0)
		cm->caption_credits = i;
	else if (in_automaton(r))
		trie_insert(cm, r, i);
	return 0;
}

static clean_matcher *matcher_build(const dyad_model *m)
{
	const clean_rule *rules = m->clean_rules;
	size_t n = m->n_clean_rules;
	clean_matcher *cm = calloc(1, sizeof *cm);
	if (!cm)
		return NULL;
	cm->byline = cm->dateline = cm->cut_credits = cm->caption_credits = -1;
	size_t states = assign_classes(cm, rules, n) + 1;
	cm->delta = calloc(states * cm->n_cls, sizeof *cm->delta);
	cm->out = calloc(states, sizeof *cm->out);
	cm->dict = calloc(states, sizeof *cm->dict);
	cm->rule_next = calloc(n, sizeof *cm->rule_next);
	cm->inside = calloc(n, sizeof *cm->inside);
	cm->n_states = 1;
	if (!cm->delta || !cm->out || !cm->dict || !cm->rule_next || !cm->inside)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (index_rule(cm, &rules[i], (uint32_t)i))
			goto fail;
	if (trie_complete(cm))
		goto fail;
	return cm;
fail:
	matcher_free(cm);
	return NULL;
}

/* ---- the per-document state --------------------------------------------------- */

typedef struct hit {
	size_t start, end; /* symbols */
	size_t from, to;   /* bytes */
	bool quoted;       /* inside a quotation */
} hit;

typedef struct cue {
	uint32_t rule;
	size_t start; /* symbol */
} cue;

typedef struct cleaner {
	dyad_doc *d;
	const clean_rule *rules;
	size_t n_rules;
	const clean_matcher *cm;
	const char **where; /* per rule: its "file:line" copied into d->a */
	uint32_t para_no;
	uint32_t *seen;     /* per rule: para_no when it last counted as a cue */
	uint32_t *deferred; /* per rule: para_no when `last` was set */
	hit *last;          /* per rule: its last match waiting for the end */
	uint32_t *touched;
	size_t n_touched, cap_touched;
	cue *cues;
	size_t n_cues, cap_cues;
	dyad_span *cuts; /* this paragraph's */
	size_t n_cuts, cap_cuts;

	/* the paragraph being read */
	size_t start, end; /* bytes */
	sym ring[RING];    /* the last RING symbols */
	size_t n, words, first_word, last_word, open_paren, credit_end;
	bool in_quote;
	long caption_rule, exact_rule;
} cleaner;

static inline const sym *at(const cleaner *c, size_t k)
{
	return &c->ring[k & (RING - 1)];
}

static int push_cue(cleaner *c, uint32_t rule, size_t start)
{
	if (vec_grow((void **)&c->cues, &c->cap_cues, c->n_cues + 1, sizeof *c->cues))
		return DYAD_E_NOMEM;
	c->cues[c->n_cues++] = (cue){rule, start};
	return 0;
}

static int add_cut(cleaner *c, size_t from, size_t to)
{
	if (from >= to)
		return 0;
	if (vec_grow((void **)&c->cuts, &c->cap_cuts, c->n_cuts + 1, sizeof *c->cuts))
		return DYAD_E_NOMEM;
	c->cuts[c->n_cuts++] = (dyad_span){from, to};
	return 0;
}

/* ---- phrase matches ----------------------------------------------------------- */

static bool prefix_ok(const cleaner *c, size_t start)
{
	return start <= AFFIX_SLACK && (c->first_word == NONE || c->first_word >= start);
}

static bool suffix_ok(const cleaner *c, size_t end)
{
	return c->n - end <= AFFIX_SLACK && (c->last_word == NONE || c->last_word < end);
}

/* The end of a lead-in cut: the punctuation and spaces after it go too
 * ("Image caption, Rescue workers..."). */
static size_t past_lead_in(const cleaner *c, size_t to)
{
	const char *t = c->d->text;
	for (size_t k = 0; k < 8 && to < c->end && strchr(" \t,:;|-", t[to]) && t[to]; k++)
		to++;
	return to;
}

/* Applies a rule whose test is met by hit h. */
static int fire(cleaner *c, uint32_t r, const hit *h)
{
	const clean_rule *rule = &c->rules[r];
	size_t from = rule->test == T_PREFIX ? c->start : h->from;
	size_t to = rule->test == T_SUFFIX || rule->test == T_TAIL ? c->end
	            : rule->test == T_PREFIX                     ? past_lead_in(c, h->to)
	                                                         : h->to;
	switch (rule->action) {
	case ACT_BOILERPLATE:
	case ACT_HINT:
		if (rule->test == T_EXACT) {
			if (c->exact_rule < 0)
				c->exact_rule = r;
			return 0;
		}
		return h->quoted ? 0 : push_cue(c, r, h->start);
	case ACT_CAPTION:
		if (c->caption_rule < 0)
			c->caption_rule = r;
		return add_cut(c, from, to);
	case ACT_CUT:
		return add_cut(c, from, to);
	case ACT_CREDIT: /* a tail credit: from the phrase to the end */
		c->credit_end = c->n;
		return c->cm->cut_credits >= 0 ? add_cut(c, from, to) : 0;
	default:
		return 0;
	}
}

/* Keeps the last match of a rule whose test needs the paragraph's end. */
static int defer(cleaner *c, uint32_t r, const hit *h)
{
	if (c->deferred[r] != c->para_no) {
		if (vec_grow((void **)&c->touched, &c->cap_touched, c->n_touched + 1,
		             sizeof *c->touched))
			return DYAD_E_NOMEM;
		c->touched[c->n_touched++] = r;
		c->deferred[r] = c->para_no;
	}
	c->last[r] = *h;
	return 0;
}

/* Rule r's phrase ends at symbol i; `next` is the symbol after it or NULL. */
static int on_match(cleaner *c, uint32_t r, size_t i, const sym *next)
{
	const clean_rule *rule = &c->rules[r];
	size_t start = i + 1 - rule->len;
	if (rule->first_word && start > 0 && (at(c, start - 1)->flags & SYM_WORD))
		return 0;
	if (rule->last_word && next && (next->flags & SYM_WORD))
		return 0;
	hit h = {start, i + 1, at(c, start)->from, at(c, i)->to, c->in_quote};
	switch (rule->test) {
	case T_CONTAINS:
		return fire(c, r, &h);
	case T_PREFIX:
		return prefix_ok(c, start) ? fire(c, r, &h) : 0;
	case T_EXACT:
		return prefix_ok(c, start) ? defer(c, r, &h) : 0;
	default: /* suffix, tail */
		return defer(c, r, &h);
	}
}

/* Deferred tests, now that the paragraph's end is known. */
static int run_deferred(cleaner *c)
{
	for (size_t k = 0; k < c->n_touched; k++) {
		uint32_t r = c->touched[k];
		const hit *h = &c->last[r];
		bool ok = c->rules[r].test == T_TAIL ? c->n - h->start <= TAIL_SYMBOLS
		                                     : suffix_ok(c, h->end);
		int rc = ok ? fire(c, r, h) : 0;
		if (rc)
			return rc;
	}
	c->n_touched = 0;
	return 0;
}

/* ---- credits: "(Carl Court/PA)", "( AFP via Getty Images )" ------------------ */

static const char *const name_links[] = {
	"and", "in", "de", "van", "von", "der", "den", "al", "el", "bin", "ben", "da",
	"dos", "du", "la", "le", "of", "the", "for", "at", "y", NULL};

static bool is_link_word(const char *s, size_t n)
{
	return word_index(name_links, s, n) >= 0;
}

/* A person's or office's name: 1-5 words, each capitalised or a link word
 * ("de", "van"), made of letters, digits, '.', '\'' and '-'. */
static bool name_like(const char *s, const unsigned char *fl, size_t n)
{
	size_t words = 0, capitals = 0;
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e < n && s[e] != ' ')
			e++;
		bool link = is_link_word(s + i, e - i);
		if (!link && !(fl[i] & SYM_UPPER) && (unsigned char)s[i] < 0x80)
			return false;
		for (size_t k = i; k < e; k++)
			if (!(fl[k] & SYM_WORD) && s[k] != '.' && s[k] != '\'' && s[k] != '-')
				return false;
		capitals += !link;
		words++;
		i = e + 1;
	}
	return words >= 1 && words <= 5 && capitals >= 1;
}

static size_t trim_part(const char *s, size_t *i, size_t e)
{
	while (*i < e && s[*i] == ' ')
		(*i)++;
	while (e > *i && s[e - 1] == ' ')
		e--;
	return e - *i;
}

/* The length of a part separator at s[i] ('/', ',', ';', '|', '&', " via ",
 * " and "), 0 if none. */
static size_t separator(const char *s, size_t i, size_t n)
{
	if (s[i] == '/' || s[i] == ',' || s[i] == ';' || s[i] == '|' || s[i] == '&')
		return 1;
	if (s[i] == ' ' && n - i >= 5 && memcmp(s + i, " via ", 5) == 0)
		return 5;
	if (s[i] == ' ' && n - i >= 5 && memcmp(s + i, " and ", 5) == 0)
		return 5;
	return 0;
}

/* Whether the normalised text s (flags fl) is a picture credit. */
static bool is_credit(const clean_matcher *cm, const clean_rule *rules, const char *s,
                      const unsigned char *fl, size_t n)
{
	for (size_t k = 0; k < cm->n_inside; k++) {
		const clean_rule *r = &rules[cm->inside[k]];
		if (r->len <= n && memcmp(s, r->phrase, r->len) == 0 &&
		    !(r->last_word && r->len < n && (fl[r->len] & SYM_WORD)))
			return true;
	}
	bool agency = false;
	for (size_t i = 0; i <= n;) {
		size_t e = i, sep = 0;
		while (e < n && !(sep = separator(s, e, n)))
			e++;
		size_t b = i, len = trim_part(s, &b, e);
		if (len && strmap_get(&cm->agencies, s + b, len, UINT32_MAX) != UINT32_MAX)
			agency = true;
		else if (len && !name_like(s + b, fl + b, len))
			return false;
		i = e + (sep ? sep : 1);
	}
	return agency;
}

/* Parentheses closed at symbol `close`: cut them if they hold a credit. */
static int check_parens(cleaner *c, size_t open, size_t close)
{
	char s[MAX_PAREN];
	unsigned char fl[MAX_PAREN];
	size_t n = 0;
	for (size_t k = open + 1; k < close; k++) {
		if (n == 0 && at(c, k)->c == ' ')
			continue;
		s[n] = (char)at(c, k)->c;
		fl[n++] = at(c, k)->flags;
	}
	while (n && s[n - 1] == ' ')
		n--;
	if (!n || !is_credit(c->cm, c->rules, s, fl, n))
		return 0;
	c->credit_end = close + 1;
	while (c->n_cues && c->cues[c->n_cues - 1].start > open)
		c->n_cues--; /* "All rights reserved" inside a credit is no appeal */
	return c->cm->cut_credits >= 0 ? add_cut(c, at(c, open)->from, at(c, close)->to) : 0;
}

static bool name_char(const sym *s)
{
	return (s->flags & SYM_WORD) || s->c == '.' || s->c == '-' || s->c == '\'';
}

/* A credit without parentheses that ends the paragraph: capitalised names
 * and agencies joined by '/' ("... in Kyiv. Jane Doe/AFP/Getty Images").
 * Reads back from the end over at most three words per part. */
static int check_bare_credit(cleaner *c)
{
	size_t n = c->n, lo = n > MAX_PAREN ? n - MAX_PAREN : 0;
	if (n < 4 || c->credit_end == n || !(at(c, n - 1)->flags & SYM_WORD))
		return 0;
	size_t k = n, start = n, words = 0;
	bool slash = false;
	while (k > lo) {
		size_t e = k;
		while (k > lo && name_char(at(c, k - 1)))
			k--;
		if (k == e || (!(at(c, k)->flags & SYM_UPPER) && at(c, k)->c < 0x80) || ++words > 3)
			break;
		start = k;
		if (k > lo && at(c, k - 1)->c == '/')
			slash = true, words = 0, k--;
		else if (k > lo && at(c, k - 1)->c == ' ')
			k--;
		else
			break;
	}
	if (!slash)
		return 0;
	char s[MAX_PAREN];
	unsigned char fl[MAX_PAREN];
	for (size_t j = start; j < n; j++) {
		s[j - start] = (char)at(c, j)->c;
		fl[j - start] = at(c, j)->flags;
	}
	if (!is_credit(c->cm, c->rules, s, fl, n - start))
		return 0;
	c->credit_end = n;
	while (c->n_cues && c->cues[c->n_cues - 1].start >= start)
		c->n_cues--;
	return c->cm->cut_credits >= 0 ? add_cut(c, at(c, start)->from, c->end) : 0;
}

/* ---- datelines: "KYIV, March 5 (Reuters) -", "WASHINGTON -" ------------------ */

static bool is_dash(const cleaner *c, size_t k, size_t lim)
{
	return k < lim && at(c, k)->c == '-';
}

/* Reads one word from symbol k; notes whether it is capitalised and
 * whether all its letters are capitals. Returns its end. */
static size_t read_word(const cleaner *c, size_t k, size_t lim, bool *cap, bool *caps)
{
	const sym *s = at(c, k);
	*cap = (s->flags & SYM_UPPER) || (s->c >= '0' && s->c <= '9') || s->c >= 0x80;
	*caps = true;
	size_t letters = 0, b = k;
	for (; k < lim; k++) {
		s = at(c, k);
		bool inner = (s->c == '.' || s->c == '\'' || s->c == '-') && k > b && k + 1 < lim &&
		             (at(c, k + 1)->flags & SYM_WORD);
		if (!(s->flags & SYM_WORD) && !inner && s->c != '.')
			break;
		if (s->c >= 'a' && s->c <= 'z') {
			letters++;
			*caps = *caps && (s->flags & SYM_UPPER);
		}
	}
	*caps = *caps && letters >= 2;
	return k;
}

/* "(Reuters)" in a dateline: an agency or a short capitalised name. */
static size_t dateline_source(const cleaner *c, size_t k, size_t lim, bool *agency)
{
	char s[48];
	unsigned char fl[48];
	size_t n = 0;
	for (k++; k < lim && at(c, k)->c != ')'; k++) {
		if (n == sizeof s)
			return 0;
		s[n] = (char)at(c, k)->c;
		fl[n++] = at(c, k)->flags;
	}
	if (k >= lim || n == 0)
		return 0;
	size_t b = 0, len = trim_part(s, &b, n);
	*agency = strmap_get(&c->cm->agencies, s + b, len, UINT32_MAX) != UINT32_MAX;
	return *agency || (len && name_like(s + b, fl + b, len)) ? k + 1 : 0;
}

/* The symbol just after a dateline that opens the paragraph, or 0. */
static size_t dateline_end(const cleaner *c, size_t lim)
{
	size_t k = 0, words = 0;
	bool caps_head = true, comma = false;
	while (k < lim && words < 9 && (at(c, k)->flags & SYM_WORD)) {
		bool cap, caps;
		k = read_word(c, k, lim, &cap, &caps);
		if (!cap)
			return 0;
		caps_head = caps_head && (comma || caps);
		words++;
		if (k < lim && at(c, k)->c == ',')
			comma = true, k++;
		if (k < lim && at(c, k)->c == ' ')
			k++;
		else
			break;
	}
	bool agency = false;
	size_t e = 0;
	if (k < lim && at(c, k)->c == '(') {
		if (!(e = dateline_source(c, k, lim, &agency)))
			return 0;
		e += e < lim && at(c, e)->c == ' ';
		if (!agency && !caps_head)
			return 0;
		if (!is_dash(c, e, lim) && !(agency && words > 0))
			return 0;
	} else if (words && caps_head && k > 0 && at(c, k - 1)->c == ' ' && is_dash(c, k, lim)) {
		e = k;
	} else {
		return 0;
	}
	while (is_dash(c, e, lim) || (e < lim && at(c, e)->c == ':'))
		e++;
	e += e < lim && at(c, e)->c == ' ';
	return e < lim ? e : 0;
}

static int check_dateline(cleaner *c, size_t lim)
{
	if (c->cm->dateline < 0)
		return 0;
	size_t e = dateline_end(c, lim);
	return e ? add_cut(c, c->start, at(c, e - 1)->to) : 0;
}

/* ---- bylines: "By Jane Smith, Reuters" ---------------------------------------- */

static bool is_byline(const cleaner *c)
{
	if (c->cm->byline < 0 || c->n > BYLINE_SYMBOLS || c->n < 4)
		return false;
	if (at(c, 0)->c != 'b' || !(at(c, 0)->flags & SYM_UPPER) || at(c, 1)->c != 'y' ||
	    at(c, 2)->c != ' ')
		return false;
	size_t words = 1, names = 0;
	for (size_t k = 3; k < c->n;) {
		const sym *s = at(c, k);
		if (!(s->flags & SYM_WORD)) {
			if (!strchr(" ,|&:;/-.()", s->c) || s->c == '\0')
				return false;
			k++;
			continue;
		}
		bool cap, caps;
		size_t e = read_word(c, k, c->n, &cap, &caps);
		char w[8];
		size_t len = e - k < sizeof w ? e - k : 0;
		for (size_t j = 0; j < len; j++)
			w[j] = (char)at(c, k + j)->c;
		if (!cap && !(len && is_link_word(w, len)))
			return false;
		names += cap && !(s->c >= '0' && s->c <= '9');
		if (++words > BYLINE_WORDS)
			return false;
		k = e;
	}
	return names > 0;
}

/* ---- deciding a paragraph ------------------------------------------------------ */

/* Boilerplate needs strong evidence: one strong cue in a short paragraph,
 * two (or one and two weak ones) in a long one; weak cues alone need
 * three, or five in a long paragraph. */
static bool enough_evidence(size_t strong, size_t weak, size_t words)
{
	size_t need = words <= SHORT_WORDS ? 2 : 4;
	return 2 * strong + weak >= need && (strong > 0 || weak > need);
}

/* Counts distinct cues; returns the rule to name (first strong, else first
 * weak) or -1 when the evidence is not enough. */
static long weigh_cues(cleaner *c)
{
	size_t strong = 0, weak = 0;
	long first_strong = -1, first_weak = -1;
	for (size_t k = 0; k < c->n_cues; k++) {
		uint32_t r = c->cues[k].rule;
		if (c->seen[r] == c->para_no)
			continue;
		c->seen[r] = c->para_no;
		if (c->rules[r].action == ACT_BOILERPLATE) {
			strong++;
			if (first_strong < 0)
				first_strong = r;
		} else {
			weak++;
			if (first_weak < 0)
				first_weak = r;
		}
	}
	if (!enough_evidence(strong, weak, c->words))
		return -1;
	return first_strong >= 0 ? first_strong : first_weak;
}

static int cmp_span(const void *a, const void *b)
{
	const dyad_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* Adds the paragraph's cuts to the document, sorted and merged. */
static int commit_cuts(cleaner *c)
{
	if (c->n_cuts > 1)
		qsort(c->cuts, c->n_cuts, sizeof *c->cuts, cmp_span);
	dyad_doc *d = c->d;
	for (size_t k = 0; k < c->n_cuts; k++) {
		dyad_span s = c->cuts[k];
		if (d->n_cuts && d->cuts[d->n_cuts - 1].end >= s.start) {
			if (s.end > d->cuts[d->n_cuts - 1].end)
				d->cuts[d->n_cuts - 1].end = s.end;
			continue;
		}
		if (vec_grow((void **)&d->cuts, &d->cap_cuts, d->n_cuts + 1, sizeof *d->cuts))
			return DYAD_E_NOMEM;
		d->cuts[d->n_cuts++] = s;
	}
	return 0;
}

static const char *rule_where(cleaner *c, long r)
{
	if (r < 0)
		return NULL;
	if (!c->where[r])
		c->where[r] = arena_strdup(&c->d->a, c->rules[r].where);
	return c->where[r];
}

static int decide(cleaner *c)
{
	int rc = run_deferred(c);
	if (rc)
		return rc;
	if (c->n < DATELINE_SYMBOLS && (rc = check_dateline(c, c->n)))
		return rc;
	if ((c->cm->cut_credits >= 0 || c->cm->caption_credits >= 0) && (rc = check_bare_credit(c)))
		return rc;
	int kind = DYAD_SEG_BODY;
	long rule = -1;
	if (c->caption_rule >= 0)
		kind = DYAD_SEG_CAPTION, rule = c->caption_rule;
	else if (c->exact_rule >= 0)
		kind = DYAD_SEG_BOILERPLATE, rule = c->exact_rule;
	else if (is_byline(c))
		kind = DYAD_SEG_BOILERPLATE, rule = c->cm->byline;
	else if ((rule = weigh_cues(c)) >= 0)
		kind = DYAD_SEG_BOILERPLATE;
	else if (c->credit_end == c->n && c->cm->caption_credits >= 0)
		kind = DYAD_SEG_CAPTION, rule = c->cm->caption_credits;
	if (kind != DYAD_SEG_BOILERPLATE && (rc = commit_cuts(c)))
		return rc;
	dyad_doc *d = c->d;
	if (vec_grow((void **)&d->paras, &d->cap_paras, d->n_paras + 1, sizeof *d->paras))
		return DYAD_E_NOMEM;
	const char *where = rule_where(c, rule);
	if (rule >= 0 && !where)
		return DYAD_E_NOMEM;
	d->paras[d->n_paras++] = (dyad_paragraph){c->start, c->end, kind, where};
	return 0;
}

/* ---- reading a paragraph -------------------------------------------------------- */

static void note_symbol(cleaner *c, const sym *s, size_t i)
{
	if (s->flags & SYM_WORD) {
		if (c->first_word == NONE)
			c->first_word = i;
		if (c->last_word == NONE || c->last_word + 1 != i)
			c->words++;
		c->last_word = i;
	}
	if (s->flags & SYM_QOPEN)
		c->in_quote = true;
	else if (s->flags & SYM_QCLOSE)
		c->in_quote = false;
	else if (s->flags & SYM_QTOGGLE)
		c->in_quote = !c->in_quote;
}

static int note_paren(cleaner *c, const sym *s, size_t i)
{
	if (s->c == '(') {
		c->open_paren = i;
	} else if (c->open_paren != NONE && i - c->open_paren > MAX_PAREN + 1) {
		c->open_paren = NONE;
	} else if (s->c == ')' && c->open_paren != NONE) {
		size_t open = c->open_paren;
		c->open_paren = NONE;
		return check_parens(c, open, i);
	}
	return 0;
}

/* Runs the automaton over the paragraph [start, end). */
static int scan(cleaner *c)
{
	const clean_matcher *cm = c->cm;
	const unsigned char *t = (const unsigned char *)c->d->text;
	size_t pos = c->start;
	uint32_t state = 0;
	sym next;
	bool more = pos < c->end;
	if (more)
		next_sym(t, c->end, &pos, &next);
	while (more) {
		size_t i = c->n++;
		c->ring[i & (RING - 1)] = next;
		more = pos < c->end;
		if (more)
			next_sym(t, c->end, &pos, &next);
		const sym *s = at(c, i);
		note_symbol(c, s, i);
		state = cm->delta[(size_t)state * cm->n_cls + cm->cls[s->c]];
		for (uint32_t q = cm->out[state] ? state : cm->dict[state]; q; q = cm->dict[q])
			for (uint32_t r = cm->out[q]; r; r = cm->rule_next[r - 1]) {
				int rc = on_match(c, r - 1, i, more ? &next : NULL);
				if (rc)
					return rc;
			}
		int rc = note_paren(c, s, i);
		if (!rc && i + 1 == DATELINE_SYMBOLS)
			rc = check_dateline(c, DATELINE_SYMBOLS);
		if (rc)
			return rc;
	}
	return 0;
}

static int paragraph(cleaner *c, size_t start, size_t end)
{
	const char *t = c->d->text;
	while (start < end && ascii_space((unsigned char)t[start]))
		start++;
	while (end > start && ascii_space((unsigned char)t[end - 1]))
		end--;
	if (start == end)
		return 0;
	c->para_no++;
	c->start = start;
	c->end = end;
	c->n = c->words = 0;
	c->first_word = c->last_word = c->open_paren = c->credit_end = NONE;
	c->in_quote = false;
	c->caption_rule = c->exact_rule = -1;
	c->n_cues = c->n_cuts = c->n_touched = 0;
	if (!c->cm) {
		dyad_doc *d = c->d;
		if (vec_grow((void **)&d->paras, &d->cap_paras, d->n_paras + 1, sizeof *d->paras))
			return DYAD_E_NOMEM;
		d->paras[d->n_paras++] = (dyad_paragraph){start, end, DYAD_SEG_BODY, NULL};
		return 0;
	}
	int rc = scan(c);
	return rc ? rc : decide(c);
}

/* ---- splitting into paragraphs --------------------------------------------------- */

static bool blank_span(const char *t, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (!ascii_space((unsigned char)t[i]))
			return false;
	return true;
}

/* Whether a blank line separates two stretches of text. */
static bool has_blank_line(const char *t, size_t n)
{
	bool text_before = false, blank_seen = false;
	size_t ls = 0;
	while (ls < n) {
		const char *nl = memchr(t + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - t) : n;
		if (!blank_span(t, ls, le)) {
			if (blank_seen)
				return true;
			text_before = true;
		} else if (text_before && nl) {
			blank_seen = true;
		}
		ls = le + 1;
	}
	return false;
}

static int split(cleaner *c)
{
	const char *t = c->d->text;
	size_t n = c->d->text_len;
	bool by_blank = has_blank_line(t, n);
	size_t ls = 0, ps = NONE;
	while (ls < n) {
		const char *nl = memchr(t + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - t) : n;
		bool blank = blank_span(t, ls, le);
		int rc = 0;
		if (!by_blank)
			rc = blank ? 0 : paragraph(c, ls, le);
		else if (blank && ps != NONE)
			rc = paragraph(c, ps, ls), ps = NONE;
		else if (!blank && ps == NONE)
			ps = ls;
		if (rc)
			return rc;
		ls = le + 1;
	}
	return ps != NONE ? paragraph(c, ps, n) : 0;
}

int dyad__clean(dyad_doc *d)
{
	const dyad_model *m = d->model;
	cleaner c = {.d = d};
	d->n_paras = d->n_cuts = 0;
	if (!d->text || !d->text_len)
		return 0;
	if (m && m->n_clean_rules) {
		c.rules = m->clean_rules;
		c.n_rules = m->n_clean_rules;
		c.cm = m->clean_rules[0].matcher;
	}
	int rc = DYAD_E_NOMEM;
	if (c.cm) {
		c.where = calloc(c.n_rules, sizeof *c.where);
		c.seen = calloc(c.n_rules, sizeof *c.seen);
		c.deferred = calloc(c.n_rules, sizeof *c.deferred);
		c.last = calloc(c.n_rules, sizeof *c.last);
		if (!c.where || !c.seen || !c.deferred || !c.last)
			goto done;
	}
	rc = split(&c);
done:
	free(c.where);
	free(c.seen);
	free(c.deferred);
	free(c.last);
	free(c.touched);
	free(c.cues);
	free(c.cuts);
	return rc;
}
