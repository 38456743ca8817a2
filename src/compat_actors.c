/* compat_actors.c -- TABARI and PETRARCH-2 dictionaries, the entry side:
 * which file is which, the lines and word forms every kind shares, actors
 * with date restrictions, agents and discards. Verb dictionaries, synsets
 * and pattern syntax are in compat_verbs.c. docs/compat.md lists the syntax
 * supported and how each construct maps; every malformed line is reported
 * with its file and line and skipped. */
#include "compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

enum file_kind { KIND_ACTORS, KIND_AGENTS, KIND_VERBS, KIND_DISCARDS, KIND_NONE };

/* ---- state kept in the model between files ----------------------------- */

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
int compat_next_line(line_iter *it, const char **s, const char **e, bool *nul)
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
bool compat_is_tag(const char *s, const char *e)
{
	return e - s >= 3 && s[0] == '<' && e[-1] == '>' && s[1] != '!';
}

/* Skips lines up to the closing tag of the section opened at [s, e). */
int compat_skip_section(line_iter *it, const char *s, const char *e)
{
	char close[64];
	size_t n = 0;
	for (const char *p = s + 1; p < e - 1 && !isspace((unsigned char)*p) && n < 60; p++)
		close[n++] = (char)toupper((unsigned char)*p);
	const char *ls, *le;
	bool nul;
	int r;
	while ((r = compat_next_line(it, &ls, &le, &nul)) == 1) {
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
bool compat_is_null_code(const char *s, size_t n)
{
	return n == 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "###", 3) == 0 ||
	                  memcmp(s, "+++", 3) == 0);
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

const char *compat_intern(csrc *c, const char *s, size_t n)
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
void compat_acc_put(form_acc *fa, const char *w)
{
	if (fa->rc || fa->n >= UINT16_MAX || acc_seen(fa, w) || fa->rc)
		return;
	if (vec_grow((void **)&fa->v, &fa->cap, fa->n + 1, sizeof *fa->v)) {
		fa->rc = DYAD_E_NOMEM;
		return;
	}
	fa->v[fa->n++] = w;
}

void compat_acc_add(void *ctx, const char *s, size_t n)
{
	form_acc *fa = ctx;
	if (fa->rc || n == 0)
		return;
	const char *w = compat_intern(fa->c, s, n);
	if (!w)
		fa->rc = DYAD_E_NOMEM;
	else
		compat_acc_put(fa, w);
}

void compat_acc_free(form_acc *fa)
{
	free(fa->v);
	free(fa->set);
	fa->v = NULL;
	fa->set = NULL;
}

/* Endings a TABARI stem ("ARGENTIN", "NEGOTIAT") is given, since dyad
 * matches whole tokens. A heuristic; see docs/compat.md. */
static const char *const stem_suffixes[] = {
	"s", "es", "e", "ed", "d", "ing", "ion", "ions", "ation", "ations", "or", "ors",
	"er", "ers", "ment", "ments", "al", "ly", "y", "ies", "ity", "ive", "a", "an",
	"ans", "ia", "ian", "ians", "ese", "ic", "ish", "i", "is", "n", "ns", "o", "on",
	"est", "ary", "aries", "ist", "ists", "ism",
};

void compat_add_plural(form_acc *fa, const char *w, size_t n)
{
	char buf[300];
	if (n + 3 >= sizeof buf || n == 0 || !isalpha((unsigned char)w[n - 1]))
		return;
	memcpy(buf, w, n);
	if (w[n - 1] == 'y' && n > 2 && !strchr("aeiou", w[n - 2])) {
		memcpy(buf + n - 1, "ies", 3);
		compat_acc_add(fa, buf, n + 2);
	} else if (strchr("sxz", w[n - 1]) || (n > 1 && w[n - 1] == 'h' && strchr("cs", w[n - 2]))) {
		memcpy(buf + n, "es", 2);
		compat_acc_add(fa, buf, n + 2);
	} else {
		buf[n] = 's';
		compat_acc_add(fa, buf, n + 1);
	}
}

/* Every form of a normalised dictionary word under `flags`. */
void compat_expand_forms(form_acc *fa, const char *w, size_t n, unsigned flags)
{
	compat_acc_add(fa, w, n);
	if (flags & W_EXACT)
		return;
	char buf[300];
	if (n + 8 >= sizeof buf)
		return;
	memcpy(buf, w, n);
	buf[n] = '\0';
	const char *lemma = dyad__verb_lemma(buf, n);
	if (lemma && strcmp(lemma, buf) == 0)
		dyad__verb_forms(buf, compat_acc_add, fa);
	if (!(flags & W_NOPLURAL) && !(lemma && strcmp(lemma, buf) != 0)) {
		size_t sl = dyad__noun_singular(w, n, buf);
		if (sl != n)
			compat_acc_add(fa, buf, sl);
		else
			compat_add_plural(fa, w, n);
	}
	/* short ones ("NOT", "TO") are words, unless "~" says otherwise */
	if ((flags & W_STEM) && (n >= 5 || (flags & W_TILDE)))
		for (size_t i = 0; i < sizeof stem_suffixes / sizeof stem_suffixes[0]; i++) {
			size_t sl = strlen(stem_suffixes[i]);
			memcpy(buf, w, n);
			memcpy(buf + n, stem_suffixes[i], sl);
			compat_acc_add(fa, buf, n + sl);
		}
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
			compat_acc_add(&fa, buf, wl + sl);
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
			compat_add_plural(&fa, buf, wl);
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
	compat_acc_free(&fa);
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
	    (*s == '-' && !compat_is_null_code(s, (size_t)(ce - s)))) {
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
	bool null = compat_is_null_code(s, n);
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
		cr.code = compat_intern(c, s, n);
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
	while (!rc && (got = compat_next_line(&it, &s, &e, &nul)) == 1) {
		c->line = it.line;
		if (nul) {
			PROBLEM(c, "NUL byte in line");
			continue;
		}
		if (s == e || *s == '~')
			continue; /* blank, TABARI "~~FINISH" */
		if (compat_is_tag(s, e)) {
			rc = flush_rec(c, r);
			if (!rc && s[1] != '/' && (got = compat_skip_section(&it, s, e)) < 0)
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
int compat_add_discard(csrc *c, const char *s, const char *e, bool stem, bool verb)
{
	actor_entry en;
	memset(&en, 0, sizeof en);
	en.kind = ENTRY_DISCARD;
	en.where = compat_where_str(c);
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
				compat_tabari_endings(&fa, ph.ptr + last, ph.len - last);
			else
				compat_add_plural(&fa, ph.ptr + last, ph.len - last);
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
			compat_acc_free(&fa);
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
	while (!rc && (r = compat_next_line(&it, &s, &e, &nul)) == 1) {
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
		rc = compat_add_discard(c, s, e, stem, false);
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
		rc = compat_load_verbs(&c, data, len);
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
