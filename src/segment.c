/* segment.c -- tokens and sentences.
 *
 * Tokens keep byte offsets into the original text; their `norm` form (NFC,
 * case-folded, diacritics stripped, curly quotes and dashes made ASCII) is
 * what dictionaries match against. The same tokenizer splits dictionary
 * phrases, so "U.S." in a dictionary and in a text are the same token. */
#include "internal.h"

#include <stdlib.h>
#include <strings.h>
#include <utf8proc.h>

/* Sentences longer than this are cut, so that later stages stay linear on
 * pathological input (a 10 MB line without a full stop). */
#define MAX_SENTENCE_TOKENS 400

/* Words that keep their full stop ("Mr." "Gen." "Jan."). Titles among them
 * never end a sentence. */
static const char *const title_abbrevs[] = {
	"mr", "mrs", "ms", "dr", "sir", "gen", "lt", "col", "gov", "sen", "rep",
	"st", "prof", "capt", "sgt", "maj", "adm", "cmdr", "rev", "hon", "pres",
	"fr", "brig", "cpl", "pvt", "supt", "insp", "messrs", "mme", "mt", "ft",
	"no", "nos", "vs", "v", NULL
};
static const char *const other_abbrevs[] = {
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
	"nov", "dec", "inc", "ltd", "corp", "co", "jr", "sr", "etc", "approx",
	"dept", "est", "govt", "univ", "assn", "bros", "a.m", "p.m", "e.g", "i.e",
	NULL
};
/* After an abbreviation such as "U.S.", these capitalised words start a
 * new sentence ("... with the U.S. The talks ..."). */
static const char *const sentence_starters[] = {
	"the", "a", "an", "it", "he", "she", "they", "we", "i", "but", "in",
	"this", "that", "there", "his", "her", "their", "its", "on", "at",
	"however", "meanwhile", "yet", "and", "after", "before", "when", "while",
	"if", "as", "for", "some", "many", "officials", "mr", "mrs", "ms", NULL
};

static bool in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strncmp(*list, w, n) == 0 && (*list)[n] == '\0')
			return true;
	return false;
}

/* Decodes one code point at s[i]; invalid bytes decode as U+FFFD of length 1. */
static utf8proc_int32_t decode(const char *s, size_t len, size_t i, size_t *n)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*n = 1;
		return c;
	}
	utf8proc_int32_t cp;
	utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                                      (utf8proc_ssize_t)(len - i), &cp);
	if (r <= 0) {
		*n = 1;
		return 0xFFFD;
	}
	*n = (size_t)r;
	return cp;
}

enum cclass { C_SPACE, C_LETTER, C_DIGIT, C_APOS, C_QUOTE, C_DASH, C_PUNCT };

static enum cclass classify(utf8proc_int32_t cp)
{
	if (cp < 0x80) {
		if (cp <= ' ' || cp == 0x7f)
			return C_SPACE;
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return C_LETTER;
		if (cp >= '0' && cp <= '9')
			return C_DIGIT;
		if (cp == '\'')
			return C_APOS;
		if (cp == '"')
			return C_QUOTE;
		if (cp == '-')
			return C_DASH;
		return C_PUNCT;
	}
	switch (cp) {
	case 0x2018: case 0x2019: case 0x02BC: return C_APOS;
	case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: return C_QUOTE;
	case 0xFEFF: case 0x200B: case 0x200C: case 0x200D: case 0x2060: return C_SPACE;
	default: break;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return C_LETTER;
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
		return C_SPACE;
	case UTF8PROC_CATEGORY_PD:
		return C_DASH;
	case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
		return C_QUOTE;
	default:
		return C_PUNCT;
	}
}

static bool is_upper_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU ||
	       utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

static bool is_lower_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* The code point class at i, or C_SPACE past the end. */
static enum cclass class_at(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return C_SPACE;
	size_t n;
	return classify(decode(s, len, i, &n));
}

/* Clitics split off a word: 's 're 've 'll 'd 'm (and n't). */
static size_t clitic_len(const char *s, size_t len, size_t i)
{
	size_t n;
	utf8proc_int32_t cp = decode(s, len, i, &n);
	if (classify(cp) != C_APOS)
		return 0;
	size_t j = i + n, k = j;
	while (k < len && k - j < 3 && (((unsigned char)s[k] | 0x20) >= 'a' &&
	                                ((unsigned char)s[k] | 0x20) <= 'z'))
		k++;
	if (class_at(s, len, k) == C_LETTER || class_at(s, len, k) == C_DIGIT)
		return 0;
	size_t w = k - j;
	const char *p = s + j;
	if ((w == 1 && strchr("sdmSDM", p[0])) ||
	    (w == 2 && (strncasecmp(p, "re", 2) == 0 || strncasecmp(p, "ve", 2) == 0 ||
	                strncasecmp(p, "ll", 2) == 0)))
		return k - i;
	return 0;
}

/* Length of a word token starting at i: letters and digits, with internal
 * apostrophes ("O'Brien") and dots in abbreviations ("U.S.", "J."). */
static size_t word_len(const char *s, size_t len, size_t i, unsigned *flags)
{
	size_t j = i, n;
	bool upper_all = true, any_letter = false, first = true;
	while (j < len) {
		unsigned char b = (unsigned char)s[j];
		if (b < 0x80 && ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) { /* ASCII letter: fast */
			any_letter = true;
			if (b >= 'a')
				upper_all = false;
			else if (first)
				*flags |= DYAD_TOK_UPPER;
			first = false;
			j++;
			continue;
		}
		utf8proc_int32_t cp = decode(s, len, j, &n);
		enum cclass c = classify(cp);
		if (c == C_LETTER || c == C_DIGIT) {
			if (c == C_LETTER) {
				any_letter = true;
				if (is_lower_cp(cp))
					upper_all = false;
				if (first && is_upper_cp(cp))
					*flags |= DYAD_TOK_UPPER;
			}
			first = false;
			j += n;
			continue;
		}
		if (c == C_APOS && j > i) {
			/* "n't": split before the n */
			if (j - i >= 2 && (s[j - 1] == 'n' || s[j - 1] == 'N') &&
			    (s[j + n] == 't' || s[j + n] == 'T') && class_at(s, len, j + n + 1) != C_LETTER)
				return j - 1 - i;
			if (clitic_len(s, len, j))
				break;
			if (class_at(s, len, j + n) == C_LETTER) {
				j += n;
				continue;
			}
			break;
		}
		break;
	}
	if (any_letter && upper_all)
		*flags |= DYAD_TOK_CAPS;
	return j - i;
}

/* Extends a word at [i, e) over an abbreviation's dots: "U.S." "J." "Mr." */
static size_t abbrev_end(const char *s, size_t len, size_t i, size_t e)
{
	if (e >= len || s[e] != '.')
		return e;
	size_t w = e - i;
	/* single letters chained with dots: U.S. / U.N. / J. */
	if (w == 1 && class_at(s, len, i) == C_LETTER) {
		size_t k = e + 1;
		while (k + 1 < len && class_at(s, len, k) == C_LETTER && s[k + 1] == '.' &&
		       ((unsigned char)s[k] < 0x80))
			k += 2;
		return k;
	}
	char low[16];
	if (w >= sizeof low)
		return e;
	for (size_t k = 0; k < w; k++)
		low[k] = (char)(((unsigned char)s[i + k] < 0x80 && s[i + k] >= 'A' && s[i + k] <= 'Z')
		                ? s[i + k] + 32 : s[i + k]);
	if (in_list(title_abbrevs, low, w) || in_list(other_abbrevs, low, w))
		return e + 1;
	return e;
}

/* Length of a number token: digits with internal , . : ("1,000" "3.5"). */
static size_t number_len(const char *s, size_t len, size_t i)
{
	size_t j = i;
	while (j < len) {
		enum cclass c = class_at(s, len, j);
		if (c == C_DIGIT || c == C_LETTER) {
			size_t n;
			decode(s, len, j, &n);
			j += n;
		} else if ((s[j] == ',' || s[j] == '.' || s[j] == ':') && j + 1 < len &&
		           s[j + 1] >= '0' && s[j + 1] <= '9') {
			j++;
		} else {
			break;
		}
	}
	return j - i;
}

int dyad__tokenize(const char *s, size_t len, int (*fn)(void *ctx, const raw_token *t),
                   void *ctx)
{
	size_t i = 0, n;
	while (i < len) {
		utf8proc_int32_t cp = decode(s, len, i, &n);
		enum cclass c = classify(cp);
		raw_token t = {i, i + n, 0};
		switch (c) {
		case C_SPACE:
			i += n;
			continue;
		case C_LETTER:
			t.end = i + word_len(s, len, i, &t.flags);
			t.end = abbrev_end(s, len, i, t.end);
			if (t.end == i)
				t.end = i + n;
			break;
		case C_DIGIT:
			t.end = i + number_len(s, len, i);
			t.flags |= DYAD_TOK_NUMBER;
			break;
		case C_APOS: {
			size_t k = clitic_len(s, len, i);
			if (k && i > 0 && class_at(s, len, i - 1) != C_SPACE) {
				t.end = i + k;
				break;
			}
			/* a single quotation mark */
			t.flags |= DYAD_TOK_PUNCT | DYAD_TOK_QUOTE;
			if (cp == 0x2018 || (cp == '\'' && (i == 0 || class_at(s, len, i - 1) == C_SPACE)))
				t.flags |= DYAD_TOK_OPEN;
			break;
		}
		case C_QUOTE:
			t.flags |= DYAD_TOK_PUNCT | DYAD_TOK_QUOTE;
			if (cp == 0x201C || cp == 0x201E || cp == 0x00AB)
				t.flags |= DYAD_TOK_OPEN;
			else if (cp == '"' && (i == 0 || class_at(s, len, i - 1) == C_SPACE ||
			                       s[i - 1] == '(' || s[i - 1] == '['))
				t.flags |= DYAD_TOK_OPEN;
			break;
		case C_DASH:
		case C_PUNCT:
			t.flags |= DYAD_TOK_PUNCT;
			/* runs of dots and of dashes are one token */
			if (s[i] == '.' || s[i] == '-') {
				while (t.end < len && s[t.end] == s[i])
					t.end++;
			} else if (cp == 0x2026) {
				t.end = i + n;
			}
			break;
		}
		int r = fn(ctx, &t);
		if (r)
			return r;
		i = t.end;
	}
	return 0;
}

static void put_utf8(dbuf *out, utf8proc_int32_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	dbuf_put(out, tmp, (size_t)n);
}

int dyad__norm(const char *s, size_t len, dbuf *out)
{
	if (dbuf_reserve(out, len + 1))
		return DYAD_E_NOMEM;
	bool ascii = true;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0) {
			ascii = false;
			break;
		}
	if (ascii) {
		char *p = out->ptr + out->len;
		for (size_t i = 0; i < len; i++)
			p[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
		out->len += len;
		out->ptr[out->len] = '\0';
		return 0;
	}
	dbuf clean = {0};
	for (size_t i = 0; i < len;) {
		size_t n;
		utf8proc_int32_t cp = decode(s, len, i, &n);
		i += n;
		switch (cp) {
		case 0: cp = 0xFFFD; break;
		case 0x2018: case 0x2019: case 0x02BC: cp = '\''; break;
		case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: cp = '"'; break;
		case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
		case 0x2212: cp = '-'; break;
		case 0x2026:
			dbuf_put(&clean, "...", 3);
			continue;
		default: break;
		}
		put_utf8(&clean, cp);
	}
	if (!clean.ptr)
		return 0;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)clean.ptr,
	                                  (utf8proc_ssize_t)clean.len, &mapped,
	                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
	                                      UTF8PROC_STRIPMARK);
	int rc = 0;
	if (r >= 0)
		rc = dbuf_put(out, mapped, (size_t)r);
	else
		rc = dbuf_put(out, clean.ptr, clean.len);
	free(mapped);
	dbuf_free(&clean);
	return rc;
}

/* ---- document segmentation ------------------------------------------ */

typedef struct seg_ctx {
	dyad_doc *d;
	dbuf norm;
	size_t cut;  /* next cut to consider */
	size_t base; /* offset of the paragraph being tokenized */
	int rc;
} seg_ctx;

static bool in_cut(seg_ctx *c, size_t start, size_t end)
{
	dyad_doc *d = c->d;
	while (c->cut < d->n_cuts && d->cuts[c->cut].end <= start)
		c->cut++;
	return c->cut < d->n_cuts && d->cuts[c->cut].start < end;
}

static int add_token(void *ctx, const raw_token *t)
{
	seg_ctx *c = ctx;
	dyad_doc *d = c->d;
	raw_token abs = {t->start + c->base, t->end + c->base, t->flags};
	t = &abs;
	if (in_cut(c, t->start, t->end))
		return 0;
	if (vec_grow((void **)&d->toks, &d->cap_toks, d->n_toks + 1, sizeof *d->toks))
		return c->rc = DYAD_E_NOMEM;
	const char *src = d->text + t->start;
	size_t len = t->end - t->start, i = 0;
	while (i < len && (unsigned char)src[i] < 0x80 && src[i] != 0)
		i++;
	char *norm;
	if (i == len) { /* ASCII, the common case: lower-case straight into the arena */
		norm = arena_bytes(&d->a, len + 1);
		if (!norm)
			return c->rc = DYAD_E_NOMEM;
		for (i = 0; i < len; i++)
			norm[i] = (char)((src[i] >= 'A' && src[i] <= 'Z') ? src[i] + 32 : src[i]);
		norm[len] = '\0';
	} else {
		c->norm.len = 0;
		if (dyad__norm(src, len, &c->norm))
			return c->rc = DYAD_E_NOMEM;
		norm = arena_strndup(&d->a, c->norm.ptr ? c->norm.ptr : "", c->norm.len);
		if (!norm)
			return c->rc = DYAD_E_NOMEM;
	}
	d->toks[d->n_toks++] = (dyad_token){t->start, t->end, norm, NULL, t->flags};
	return 0;
}

static bool is_end_punct(const dyad_token *t)
{
	if (!(t->flags & DYAD_TOK_PUNCT))
		return false;
	const char *n = t->norm;
	switch (n[0]) {
	case '!':
	case '?':
		return n[1] == '\0' || ((n[1] == '?' || n[1] == '!') && n[2] == '\0');
	case '.':
		return n[1] == '\0' || (n[1] == '.' && n[2] == '.' && n[3] == '\0');
	default:
		return false;
	}
}

static bool is_closer(const dyad_token *t)
{
	if (t->flags & DYAD_TOK_QUOTE)
		return !(t->flags & DYAD_TOK_OPEN);
	return (t->norm[0] == ')' || t->norm[0] == ']') && t->norm[1] == '\0';
}

/* Whether an abbreviation token ("U.S.", "Jan.") may end a sentence before
 * `next`. Titles and initials never do; others only before a word that
 * typically starts one. */
static bool abbrev_ends_sentence(const dyad_token *t, const dyad_token *next)
{
	size_t n = strlen(t->norm);
	if (n < 2 || t->norm[n - 1] != '.')
		return false;
	if (in_list(title_abbrevs, t->norm, n - 1))
		return false;
	if (n == 2) /* an initial: "J." */
		return false;
	return (next->flags & DYAD_TOK_UPPER) &&
	       in_list(sentence_starters, next->norm, strlen(next->norm));
}

/* Whether the sentence ends after token i (the last token of the
 * paragraph is handled by the caller). */
static size_t sentence_break(const dyad_doc *d, size_t i, size_t end)
{
	const dyad_token *t = &d->toks[i];
	bool ends = is_end_punct(t);
	if (!ends && !(t->flags & DYAD_TOK_PUNCT) && i + 1 < end)
		return d->text[t->end - 1] == '.' && abbrev_ends_sentence(t, &d->toks[i + 1]) ? i + 1 : 0;
	if (!ends)
		return 0;
	size_t j = i + 1;
	while (j < end && (is_closer(&d->toks[j]) || is_end_punct(&d->toks[j])))
		j++;
	if (j >= end)
		return end;
	const dyad_token *next = &d->toks[j];
	/* "?” he asked" and "... and so on": a lower-case word continues */
	if (!(next->flags & (DYAD_TOK_UPPER | DYAD_TOK_NUMBER | DYAD_TOK_QUOTE)) &&
	    !(next->flags & DYAD_TOK_PUNCT))
		return 0;
	if (strcmp(t->norm, "...") == 0 && !(next->flags & DYAD_TOK_UPPER))
		return 0;
	return j;
}

static int add_sentence(dyad_doc *d, size_t para, size_t first, size_t n)
{
	if (n == 0)
		return 0;
	if (vec_grow((void **)&d->sents, &d->cap_sents, d->n_sents + 1, sizeof *d->sents))
		return DYAD_E_NOMEM;
	d->sents[d->n_sents++] = (dyad_sentence){
		d->toks[first].start, d->toks[first + n - 1].end, para, first, n,
		d->paras[para].kind};
	return 0;
}

static int split_paragraph(dyad_doc *d, size_t para, size_t first, size_t end)
{
	size_t start = first;
	for (size_t i = first; i < end; i++) {
		size_t b = sentence_break(d, i, end);
		if (!b && i + 1 - start >= MAX_SENTENCE_TOKENS)
			b = i + 1;
		if (b) {
			if (add_sentence(d, para, start, b - start))
				return DYAD_E_NOMEM;
			start = b;
			i = b - 1;
		}
	}
	return add_sentence(d, para, start, end - start);
}

int dyad__segment(dyad_doc *d)
{
	seg_ctx c = {d, {0}, 0, 0, 0};
	for (size_t p = 0; p < d->n_paras && !c.rc; p++) {
		size_t first = d->n_toks;
		const dyad_paragraph *par = &d->paras[p];
		c.base = par->start;
		dyad__tokenize(d->text + par->start, par->end - par->start, add_token, &c);
		if (!c.rc)
			c.rc = split_paragraph(d, p, first, d->n_toks);
	}
	dbuf_free(&c.norm);
	return c.rc;
}

void dyad__mark_quoted(const dyad_doc *d, bool *quoted)
{
	size_t para = NONE;
	bool open = false;
	for (size_t s = 0; s < d->n_sents; s++) {
		if (d->sents[s].paragraph != para) {
			para = d->sents[s].paragraph;
			open = false;
		}
		size_t end = d->sents[s].first_token + d->sents[s].n_tokens;
		for (size_t i = d->sents[s].first_token; i < end; i++) {
			const dyad_token *t = &d->toks[i];
			bool dq = (t->flags & DYAD_TOK_QUOTE) && strcmp(t->norm, "\"") == 0;
			if (dq)
				open = (t->flags & DYAD_TOK_OPEN) != 0;
			quoted[i] = open || dq;
		}
	}
}
