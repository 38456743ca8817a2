/* dict.c -- dyad's own dictionary formats (data/README.md): actors and
 * agents ("phrase | phrase = CODE FROM..UNTIL ; attr=value") and verb
 * patterns ("CODE  head word|word $T ..."). Every bad line is reported with
 * its file and line and skipped. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct line_src {
	const char *name;
	long line;
	dyad_diag_fn diag;
	void *ctx;
	int problems;
} line_src;

#define PROBLEM(src, ...)                                                               \
	((src)->problems += dyad__report((src)->diag, (src)->ctx, DYAD_E_DICT, (src)->name, \
	                                 (src)->line, __VA_ARGS__))

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

static const char *trim_end(const char *p, const char *end)
{
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	return end;
}

/* Calls fn for each `sep`-separated field of [p, end), trimmed. */
static int each_field(const char *p, const char *end, char sep,
                      int (*fn)(void *ctx, const char *s, const char *e), void *ctx)
{
	while (p <= end) {
		const char *q = memchr(p, sep, (size_t)(end - p));
		if (!q)
			q = end;
		const char *s = skip_space(p, q), *e = trim_end(s, q);
		int r = fn(ctx, s, e);
		if (r)
			return r;
		p = q + 1;
	}
	return 0;
}

static bool is_code(const char *s, const char *e, bool agent)
{
	if (agent && s < e && *s == '~')
		s++;
	if (e - s < 3 || e - s > 24)
		return false;
	for (; s < e; s++)
		if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s)))
			return false;
	return true;
}

typedef struct actor_line {
	dyad_model *m;
	line_src *src;
	actor_entry e;
	code_range ranges[32];
	bool bad;
} actor_line;

static int parse_range(actor_line *al, const char *s, const char *e, code_range *r)
{
	const char *dots = NULL;
	for (const char *p = s; p + 1 < e; p++)
		if (p[0] == '.' && p[1] == '.') {
			dots = p;
			break;
		}
	if (!dots) {
		PROBLEM(al->src, "date range '%.*s' needs FROM..UNTIL", (int)(e - s), s);
		return -1;
	}
	if (dots > s && !(r->from = dyad__parse_date(s, (size_t)(dots - s)))) {
		PROBLEM(al->src, "bad date '%.*s' (want YYYY-MM-DD)", (int)(dots - s), s);
		return -1;
	}
	if (dots + 2 < e && !(r->until = dyad__parse_date(dots + 2, (size_t)(e - dots - 2)))) {
		PROBLEM(al->src, "bad date '%.*s' (want YYYY-MM-DD)", (int)(e - dots - 2), dots + 2);
		return -1;
	}
	if (r->from && r->until && r->from > r->until) {
		PROBLEM(al->src, "date range '%.*s' ends before it starts", (int)(e - s), s);
		return -1;
	}
	if (!r->from && !r->until) {
		PROBLEM(al->src, "empty date range '..'");
		return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	uint8_t type;
} type_names[] = {
	{"person", TYPE_PERSON}, {"country", TYPE_COUNTRY}, {"igo", TYPE_IGO},
	{"ngo", TYPE_NGO},       {"group", TYPE_GROUP},     {"place", TYPE_PLACE},
	{"media", TYPE_MEDIA},   {"company", TYPE_COMPANY}, {"body", TYPE_BODY},
};

static int parse_attr(actor_line *al, const char *s, const char *eq, const char *e)
{
	size_t kl = (size_t)(trim_end(s, eq) - s);
	const char *v = skip_space(eq + 1, e);
	size_t vl = (size_t)(e - v);
	if (kl == 6 && memcmp(s, "gender", 6) == 0) {
		if (vl == 1 && (*v == 'm' || *v == 'f')) {
			al->e.gender = *v;
			return 0;
		}
		PROBLEM(al->src, "gender must be m or f, not '%.*s'", (int)vl, v);
		return -1;
	}
	if (kl == 4 && memcmp(s, "type", 4) == 0) {
		for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
			if (strlen(type_names[i].name) == vl && memcmp(type_names[i].name, v, vl) == 0) {
				al->e.type = type_names[i].type;
				return 0;
			}
		PROBLEM(al->src, "unknown type '%.*s'", (int)vl, v);
		return -1;
	}
	PROBLEM(al->src, "unknown attribute '%.*s'", (int)kl, s);
	return -1;
}

static int actor_code_field(void *ctx, const char *s, const char *e)
{
	actor_line *al = ctx;
	if (s == e) {
		PROBLEM(al->src, "empty field between ';'");
		al->bad = true;
		return 1;
	}
	const char *eq = memchr(s, '=', (size_t)(e - s));
	if (eq)
		return parse_attr(al, s, eq, e) ? (al->bad = true) : 0;
	if (e - s == 1 && *s == '-') {
		al->e.kind = ENTRY_STOP;
		return 0;
	}
	if (e - s == 7 && memcmp(s, "discard", 7) == 0) {
		al->e.kind = ENTRY_DISCARD;
		return 0;
	}
	const char *sp = s;
	while (sp < e && !isspace((unsigned char)*sp))
		sp++;
	bool agent = *s == '~';
	if (!is_code(s, sp, agent)) {
		PROBLEM(al->src, "'%.*s' is not an actor code (capitals and digits, 3 or more)",
		        (int)(sp - s), s);
		al->bad = true;
		return 1;
	}
	if (al->e.n_codes >= sizeof al->ranges / sizeof al->ranges[0]) {
		PROBLEM(al->src, "too many codes on one line");
		al->bad = true;
		return 1;
	}
	code_range r = {0, 0, arena_strndup(&al->m->a, s, (size_t)(sp - s))};
	const char *rs = skip_space(sp, e);
	if (rs < e && parse_range(al, rs, e, &r)) {
		al->bad = true;
		return 1;
	}
	if (agent)
		al->e.kind = ENTRY_AGENT;
	al->ranges[al->e.n_codes++] = r;
	return 0;
}

typedef struct phrase_add {
	actor_line *al;
	uint32_t entry;
} phrase_add;

static int actor_phrase(void *ctx, const char *s, const char *e)
{
	phrase_add *pa = ctx;
	if (s == e) {
		PROBLEM(pa->al->src, "empty phrase between '|'");
		return 0;
	}
	int rc = dyad__add_phrase(pa->al->m, s, (size_t)(e - s), pa->entry);
	if (rc == DYAD_E_NOMEM)
		return rc;
	if (rc)
		PROBLEM(pa->al->src, "phrase '%.*s' has no words", (int)(e - s), s);
	return 0;
}

static int parse_actor_line(dyad_model *m, line_src *src, const char *p, const char *end)
{
	const char *eq = memchr(p, '=', (size_t)(end - p));
	if (!eq) {
		PROBLEM(src, "expected 'phrase | phrase = CODE'");
		return 0;
	}
	actor_line al = {.m = m, .src = src};
	if (each_field(eq + 1, end, ';', actor_code_field, &al) == DYAD_E_NOMEM)
		return DYAD_E_NOMEM;
	if (al.bad)
		return 0;
	if (al.e.kind != ENTRY_STOP && al.e.kind != ENTRY_DISCARD && al.e.n_codes == 0) {
		PROBLEM(src, "no code after '='");
		return 0;
	}
	const char *name_end = memchr(p, '|', (size_t)(eq - p));
	name_end = trim_end(p, name_end ? name_end : eq);
	al.e.name = arena_strndup(&m->a, p, (size_t)(name_end - p));
	char where[300];
	snprintf(where, sizeof where, "%s:%ld", src->name, src->line);
	al.e.where = arena_strdup(&m->a, where);
	al.e.codes = arena_alloc(&m->a, sizeof(code_range) * (al.e.n_codes ? al.e.n_codes : 1));
	if (!al.e.name || !al.e.where || !al.e.codes)
		return DYAD_E_NOMEM;
	memcpy(al.e.codes, al.ranges, sizeof(code_range) * al.e.n_codes);
	long idx = dyad__add_entry(m, &al.e);
	if (idx < 0)
		return (int)idx;
	phrase_add pa = {&al, (uint32_t)idx};
	return each_field(p, trim_end(p, eq), '|', actor_phrase, &pa);
}

/* ---- verb patterns ----------------------------------------------------- */

typedef struct form_list {
	arena *a;
	const char **forms;
	size_t n, cap;
	int rc;
} form_list;

static void add_form(void *ctx, const char *form, size_t len)
{
	form_list *fl = ctx;
	for (size_t i = 0; i < fl->n; i++)
		if (strlen(fl->forms[i]) == len && memcmp(fl->forms[i], form, len) == 0)
			return;
	if (vec_grow((void **)&fl->forms, &fl->cap, fl->n + 1, sizeof *fl->forms)) {
		fl->rc = DYAD_E_NOMEM;
		return;
	}
	const char *copy = arena_strndup(fl->a, form, len);
	if (!copy)
		fl->rc = DYAD_E_NOMEM;
	else
		fl->forms[fl->n++] = copy;
}

/* Every form of a pattern word: itself, a verb's inflections, a noun's
 * plural or singular. */
static void expand_word(form_list *fl, const char *w, size_t len)
{
	add_form(fl, w, len);
	char buf[300];
	if (len + 3 >= sizeof buf)
		return;
	memcpy(buf, w, len);
	buf[len] = '\0';
	if (dyad__verb_lemma(buf, len) && strcmp(dyad__verb_lemma(buf, len), buf) == 0)
		dyad__verb_forms(buf, add_form, fl);
	size_t sl = dyad__noun_singular(w, len, buf);
	if (sl != len)
		add_form(fl, buf, sl);
	else if (isalpha((unsigned char)w[len - 1])) {
		if (w[len - 1] == 'y' && len > 2 && !strchr("aeiou", w[len - 2])) {
			memcpy(buf + len - 1, "ies", 3);
			add_form(fl, buf, len + 2);
		} else if (strchr("sxz", w[len - 1]) || w[len - 1] == 'h') {
			memcpy(buf + len, "es", 2);
			add_form(fl, buf, len + 2);
		} else {
			buf[len] = 's';
			add_form(fl, buf, len + 1);
		}
	}
}

static int parse_elem(dyad_model *m, line_src *src, const char *s, const char *e, pat_elem *out)
{
	memset(out, 0, sizeof *out);
	size_t len = (size_t)(e - s);
	if (len == 2 && s[0] == '$' && (s[1] == 'T' || s[1] == 't')) {
		out->kind = PE_TARGET;
		return 0;
	}
	if (len == 2 && s[0] == '$' && (s[1] == 'S' || s[1] == 's')) {
		out->kind = PE_SOURCE;
		return 0;
	}
	if (len == 3 && memcmp(s, "...", 3) == 0) {
		out->kind = PE_GAP;
		return 0;
	}
	if (*s == '$') {
		PROBLEM(src, "unknown slot '%.*s' (use $S or $T)", (int)len, s);
		return 1;
	}
	/* the same alternatives recur across hundreds of patterns ("aid|
	 * assistance|support"): expand each spelling once */
	uint32_t cached = strmap_get(&m->elem_cache, s, len, 0);
	if (cached) {
		*out = m->elem_cached[cached - 1];
		return 0;
	}
	form_list fl = {&m->a, NULL, 0, 0, 0};
	dbuf norm = {0};
	const char *p = s;
	while (p <= e) {
		const char *q = memchr(p, '|', (size_t)(e - p));
		if (!q)
			q = e;
		if (q == p) {
			PROBLEM(src, "empty alternative in '%.*s'", (int)len, s);
			free(fl.forms);
			dbuf_free(&norm);
			return 1;
		}
		norm.len = 0;
		if (dyad__norm(p, (size_t)(q - p), &norm)) {
			fl.rc = DYAD_E_NOMEM;
			break;
		}
		expand_word(&fl, norm.ptr, norm.len);
		p = q + 1;
	}
	dbuf_free(&norm);
	if (fl.rc || fl.n > UINT16_MAX) {
		free(fl.forms);
		return DYAD_E_NOMEM;
	}
	out->kind = PE_WORD;
	out->n_alts = (uint16_t)fl.n;
	out->alts = arena_alloc(&m->a, sizeof *out->alts * fl.n);
	if (!out->alts) {
		free(fl.forms);
		return DYAD_E_NOMEM;
	}
	memcpy(out->alts, fl.forms, sizeof *out->alts * fl.n);
	free(fl.forms);
	if (vec_grow((void **)&m->elem_cached, &m->cap_elem_cached, m->n_elem_cached + 1,
	             sizeof *m->elem_cached))
		return DYAD_E_NOMEM;
	uint32_t *slot = strmap_put(&m->elem_cache, &m->a, s, len, 0);
	if (!slot)
		return DYAD_E_NOMEM;
	m->elem_cached[m->n_elem_cached++] = *out;
	*slot = (uint32_t)m->n_elem_cached;
	return 0;
}

static bool is_event_code(const char *s, size_t len)
{
	if (len == 3 && memcmp(s, "---", 3) == 0)
		return true;
	if (len < 2 || len > 4)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int parse_pattern_line(dyad_model *m, line_src *src, const char *p, const char *end)
{
	const char *ce = p;
	while (ce < end && !isspace((unsigned char)*ce))
		ce++;
	if (!is_event_code(p, (size_t)(ce - p))) {
		PROBLEM(src, "'%.*s' is not a CAMEO event code (2-4 digits or ---)", (int)(ce - p), p);
		return 0;
	}
	verb_pattern vp = {0};
	if (p[0] != '-') {
		vp.code = arena_strndup(&m->a, p, (size_t)(ce - p));
		if (m->n_cameo && !strmap_get(&m->cameo_index, p, (size_t)(ce - p), 0)) {
			PROBLEM(src, "unknown CAMEO event code '%.*s'", (int)(ce - p), p);
			return 0;
		}
	}
	const char *s = skip_space(ce, end);
	if (s == end) {
		PROBLEM(src, "pattern is empty");
		return 0;
	}
	vp.text = arena_strndup(&m->a, s, (size_t)(end - s));
	pat_elem elems[32];
	size_t n = 0;
	bool head = true;
	while (s < end) {
		const char *e = s;
		while (e < end && !isspace((unsigned char)*e))
			e++;
		if (head) {
			if (e - s > 2 && s[0] == 'n' && s[1] == ':') {
				vp.noun_head = true;
				s += 2;
			}
			dbuf norm = {0};
			if (dyad__norm(s, (size_t)(e - s), &norm))
				return DYAD_E_NOMEM;
			const char *lemma = norm.ptr ? norm.ptr : "";
			if (!vp.noun_head) {
				const char *l = dyad__verb_lemma(norm.ptr, norm.len);
				if (!l) {
					PROBLEM(src, "head '%s' is not a verb in WordNet (write n:%s for a noun head)",
					        lemma, lemma);
					dbuf_free(&norm);
					return 0;
				}
				lemma = l;
			} else {
				char sing[300];
				if (norm.len < sizeof sing) {
					dyad__noun_singular(norm.ptr, norm.len, sing);
					lemma = sing;
					vp.head = arena_strdup(&m->a, sing);
				}
			}
			if (!vp.head)
				vp.head = arena_strdup(&m->a, lemma);
			dbuf_free(&norm);
			head = false;
		} else {
			if (n >= sizeof elems / sizeof elems[0]) {
				PROBLEM(src, "pattern has more than 32 elements");
				return 0;
			}
			int r = parse_elem(m, src, s, e, &elems[n]);
			if (r == DYAD_E_NOMEM)
				return r;
			if (r)
				return 0;
			n++;
		}
		s = skip_space(e, end);
	}
	if (n && elems[n - 1].kind == PE_GAP) {
		PROBLEM(src, "pattern ends with '...'");
		return 0;
	}
	vp.elems = arena_alloc(&m->a, sizeof *vp.elems * (n ? n : 1));
	char where[300];
	snprintf(where, sizeof where, "%s:%ld", src->name, src->line);
	vp.where = arena_strdup(&m->a, where);
	if (!vp.elems || !vp.where || !vp.head || !vp.text)
		return DYAD_E_NOMEM;
	memcpy(vp.elems, elems, sizeof *elems * n);
	vp.n_elems = (uint32_t)n;
	return dyad__add_pattern(m, &vp);
}

/* Which grammar a file uses: verb files are named for verbs. */
static bool is_verb_file(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return strstr(name, "verbs/") || strstr(base, "verb") || strstr(base, "cameo-");
}

int dyad__load_dyad_file(dyad_model *m, const char *name, const char *data, size_t len,
                         dyad_diag_fn diag, void *ctx)
{
	line_src src = {name, 0, diag, ctx, 0};
	bool verbs = is_verb_file(name);
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		src.line++;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		const char *s = skip_space(p, hash ? hash : le);
		const char *e = trim_end(s, hash ? hash : le);
		if (memchr(s, '\0', (size_t)(e - s))) {
			PROBLEM(&src, "NUL byte in line");
		} else if (s < e) {
			int rc = verbs ? parse_pattern_line(m, &src, s, e) : parse_actor_line(m, &src, s, e);
			if (rc == DYAD_E_NOMEM)
				return rc;
		}
		p = le + 1;
	}
	return src.problems;
}
