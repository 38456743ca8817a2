/* compat_verbs.c -- TABARI and PETRARCH-2 verb dictionaries read into
 * dyad's model: synsets, the pattern syntax and verb blocks. The files
 * reach here through compat_load_verbs() from compat_actors.c, which also
 * holds the line reader and word forms both share. docs/compat.md lists
 * the syntax supported and how each construct maps; every malformed line is
 * reported with its file and line and skipped. */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define MAX_ELEMS 32    /* per side of the verb, as in dict.c */
#define MAX_VARIANTS 16 /* multi-word alternatives expanded per line */
#define MAX_ALTS 4096   /* word sequences one item may stand for */

/* ---- scratch and small syntax helpers ------------------------------------- */

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

static bool is_tag_named(const char *s, const char *e, const char *tag)
{
	size_t n = strlen(tag);
	return (size_t)(e - s) == n && strncasecmp(s, tag, n) == 0;
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

/* ---- word forms of pattern words ------------------------------------------- */

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
	compat_acc_free(fa);
	return rc;
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
	compat_expand_forms(&fa, key.ptr + 1, key.len - 1, flags);
	dbuf_free(&key);
	if (vec_grow((void **)&cs->forms, &cs->cap_forms, cs->n_forms + 1, sizeof *cs->forms)) {
		compat_acc_free(&fa);
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
			compat_acc_put(&fa, fs->v[j]);
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

const char *compat_where_str(csrc *c)
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
			rc = compat_add_discard(c, v->discard_s, v->discard_e, true, true);
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
		if (compat_is_null_code(a, n))
			continue;
		bool ok = n >= 1 && n <= 8;
		for (size_t k = 0; k < n && ok; k++)
			ok = isalnum((unsigned char)a[k]);
		if (!ok) {
			PROBLEM(c, "'%.*s' is not an event code", (int)(e - s), s);
			return 1;
		}
		*out[i] = compat_intern(c, a, n);
		if (!*out[i])
			return DYAD_E_NOMEM;
	}
	return 0;
}

/* The last `ch` in [s, e), or NULL. */
static const char *last_char(const char *s, const char *e, char ch)
{
	for (const char *p = e; p > s; p--)
		if (p[-1] == ch)
			return p - 1;
	return NULL;
}

/* The last "[...]" of [s, e): its inside, and *body_end where it starts. */
static bool last_bracket(const char *s, const char *e, const char **in_s, const char **in_e,
                         const char **body_end)
{
	const char *close = last_char(s, e, ']');
	if (!close)
		return false;
	for (const char *p = close + 1; p < e; p++)
		if (!isspace((unsigned char)*p))
			return false;
	const char *open = last_char(s, close, '[');
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
	p.where = compat_where_str(c);
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
	compat_add_plural(fa, w, n);
	if (w[n - 1] == 'e') {
		buf[n] = 'd';
		compat_acc_add(fa, buf, n + 1);
		memcpy(buf + n - 1, "ing", 3);
		compat_acc_add(fa, buf, n + 2);
	} else {
		memcpy(buf + n, "ed", 2);
		compat_acc_add(fa, buf, n + 2);
		memcpy(buf + n, "ing", 3);
		compat_acc_add(fa, buf, n + 3);
	}
	return fa->rc;
}

/* TABARI's regular verb endings: -S -ES -ED -EN -ING, after a final E
 * also -D and the E dropped before -ING. */
void compat_tabari_endings(form_acc *fa, const char *w, size_t n)
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
		compat_acc_add(fa, buf, base + el);
	}
	if (e) {
		memcpy(buf, w, n);
		buf[n] = 's';
		compat_acc_add(fa, buf, n + 1);
		buf[n] = 'd';
		compat_acc_add(fa, buf, n + 1);
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
			compat_acc_add(fa, f.ptr, f.len);
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
			compat_acc_put(fa, o->forms[i]);
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
			compat_acc_add(&fa, norm.ptr, norm.len);
		/* TABARI adds its regular endings to the word as written, also
		 * where English has none ("departes", "departen"); not to "BAN=" */
		if (c->dialect == TABARI && !(vw.flags[head] & W_EQUALS))
			compat_tabari_endings(&fa, norm.ptr, norm.len);
	} else {
		v.lemma = compat_intern(c, norm.ptr, norm.len);
		if (!v.noun && !fs)
			regular_forms(&fa, norm.ptr, norm.len);
		if (vw.flags[head] & W_STEM) /* TABARI stem WordNet does not know */
			compat_expand_forms(&fa, norm.ptr, norm.len, W_STEM);
	}
	dbuf_free(&norm);
	if (fs)
		listed_forms(c, &fa, fs + 1, fe);
	int r = v.lemma ? verb_extras(c, &vw, 0, (uint32_t)head, &v.pre, &v.n_pre) : DYAD_E_NOMEM;
	if (!r)
		r = verb_extras(c, &vw, (uint32_t)head + 1, vw.n, &v.post, &v.n_post);
	v.where = compat_where_str(c);
	v.text = arena_strndup(&c->m->a, s, (size_t)(e - s));
	if (r || !v.where || !v.text) {
		compat_acc_free(&fa);
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
		compat_acc_put(&fa, v->forms[i]);
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
	while ((r = compat_next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		if (nul || s == e)
			continue;
		if (compat_is_tag(s, e) && !is_tag_named(s, e, "<SYNSETS>") &&
		    !is_tag_named(s, e, "</SYNSETS>") && s[1] != '/') {
			cur = NULL;
			if ((r = compat_skip_section(&it, s, e)) < 0)
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

int compat_load_verbs(csrc *c, const char *data, size_t len)
{
	int rc = read_synsets(c, data, len);
	if (rc)
		return rc;
	line_iter it = {data, data + len, 0, false, {0}};
	block b = {0};
	const char *s, *e;
	bool nul, in_synset = false;
	int r;
	while ((r = compat_next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		tmp_reset(c);
		if (nul) {
			PROBLEM(c, "NUL byte in line");
			continue;
		}
		if (s == e)
			continue;
		rc = 0;
		if (compat_is_tag(s, e)) {
			in_synset = false;
			if (is_tag_named(s, e, "<SYNSETS>") || s[1] == '/')
				continue;
			rc = flush_block(c, &b);
			if (!rc && (r = compat_skip_section(&it, s, e)) < 0)
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
