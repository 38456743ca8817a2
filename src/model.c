/* model.c -- the immutable model: built-in and user dictionaries compiled
 * into a phrase trie, a verb-pattern index and code tables. */
#include "internal.h"
#include "clean.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* builtin_data.c, generated from data/ by tools/embed.c */
extern const struct {
	const char *name;
	const unsigned char *data;
} dyad__builtin_files[];

int dyad__report(dyad_diag_fn diag, void *ctx, int code, const char *file, long line,
                 const char *fmt, ...)
{
	if (!diag)
		return 1;
	dyad_error e = {0};
	e.code = code;
	e.line = line;
	snprintf(e.file, sizeof e.file, "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	diag(ctx, &e);
	return 1;
}

/* ---- the phrase trie --------------------------------------------------- */

static long trie_node(dyad_model *m, uint32_t parent, const char *tok, size_t len)
{
	phrase_trie *t = &m->actors;
	char key[4 + 256];
	if (len > 256)
		len = 256;
	memcpy(key, &parent, 4);
	memcpy(key + 4, tok, len);
	uint32_t *slot = strmap_put(&t->edges, &m->a, key, len + 4, 0);
	if (!slot)
		return DYAD_E_NOMEM;
	if (*slot)
		return *slot;
	size_t old_cap = t->cap_nodes;
	if (vec_grow((void **)&t->entry, &t->cap_nodes, t->n_nodes + 1, sizeof *t->entry))
		return DYAD_E_NOMEM;
	if (t->cap_nodes != old_cap || !t->caps_only) { /* the flags grow with the nodes */
		uint8_t *caps = realloc(t->caps_only, t->cap_nodes);
		if (!caps)
			return DYAD_E_NOMEM;
		t->caps_only = caps;
	}
	t->entry[t->n_nodes] = 0;
	t->caps_only[t->n_nodes] = 0;
	*slot = (uint32_t)t->n_nodes;
	return (long)t->n_nodes++;
}

typedef struct phrase_ctx {
	dyad_model *m;
	const char *s;
	dbuf norm;
	uint32_t node;
	size_t n_tokens;
	unsigned first_flags, last_flags;
	size_t last_len;
	int rc;
} phrase_ctx;

static int phrase_token(void *ctx, const raw_token *t)
{
	phrase_ctx *c = ctx;
	c->norm.len = 0;
	if (dyad__norm(c->s + t->start, t->end - t->start, &c->norm))
		return c->rc = DYAD_E_NOMEM;
	long node = trie_node(c->m, c->node, c->norm.ptr ? c->norm.ptr : "", c->norm.len);
	if (node < 0)
		return c->rc = (int)node;
	c->node = (uint32_t)node;
	if (c->n_tokens++ == 0)
		c->first_flags = t->flags;
	c->last_flags = t->flags;
	c->last_len = t->end - t->start;
	return 0;
}

int dyad__add_phrase(dyad_model *m, const char *phrase, size_t len, uint32_t entry)
{
	phrase_trie *t = &m->actors;
	if (t->n_nodes == 0 && trie_node(m, UINT32_MAX, "", 0) < 0)
		return DYAD_E_NOMEM;
	phrase_ctx c = {m, phrase, {0}, 0, 0, 0, 0, 0, 0};
	dyad__tokenize(phrase, len, phrase_token, &c);
	dbuf_free(&c.norm);
	if (c.rc)
		return c.rc;
	if (c.n_tokens == 0)
		return DYAD_E_DICT;
	t->entry[c.node] = entry + 1;
	/* "US", "UN", "IS": capitals only, so "us" and "is" stay words; a
	 * name written with a capital needs one in the text ("Turkey", not
	 * "turkey") */
	t->caps_only[c.node] = 0;
	if (c.n_tokens == 1 && (c.last_flags & DYAD_TOK_CAPS) && c.last_len >= 2 &&
	    c.last_len <= 4)
		t->caps_only[c.node] |= TRIE_CAPS_ONLY;
	if (c.first_flags & (DYAD_TOK_UPPER | DYAD_TOK_CAPS))
		t->caps_only[c.node] |= TRIE_NEEDS_CAPITAL;
	if (m->entries[entry].kind == ENTRY_AGENT)
		m->n_agent_phrases++;
	else
		m->n_actor_phrases++;
	return 0;
}

long dyad__trie_match(const dyad_model *m, const char *const *norms, const unsigned *flags,
                      size_t n, size_t *len_out)
{
	const phrase_trie *t = &m->actors;
	if (!t->n_nodes)
		return -1;
	uint32_t node = 0;
	long best = -1;
	char key[4 + 256];
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(norms[i]);
		if (len > 256)
			break;
		memcpy(key, &node, 4);
		memcpy(key + 4, norms[i], len);
		uint32_t next = strmap_get(&t->edges, key, len + 4, 0);
		if (!next)
			break;
		node = next;
		uint8_t need = t->caps_only[node];
		if (t->entry[node] && (!(need & TRIE_CAPS_ONLY) || (flags[i] & DYAD_TOK_CAPS)) &&
		    (!(need & TRIE_NEEDS_CAPITAL) || (flags[0] & (DYAD_TOK_UPPER | DYAD_TOK_CAPS)))) {
			best = (long)t->entry[node] - 1;
			*len_out = i + 1;
		}
	}
	return best;
}

long dyad__add_entry(dyad_model *m, const actor_entry *e)
{
	if (vec_grow((void **)&m->entries, &m->cap_entries, m->n_entries + 1, sizeof *m->entries))
		return DYAD_E_NOMEM;
	m->entries[m->n_entries] = *e;
	return (long)m->n_entries++;
}

const char *dyad__entry_code(const actor_entry *e, uint32_t date)
{
	const char *fallback = NULL;
	for (uint32_t i = 0; i < e->n_codes; i++) {
		const code_range *r = &e->codes[i];
		if (!r->from && !r->until) {
			if (!fallback)
				fallback = r->code;
			continue;
		}
		if (!date)
			continue;
		if ((!r->from || date >= r->from) && (!r->until || date <= r->until))
			return r->code;
	}
	if (!date && !fallback && e->n_codes)
		return e->codes[e->n_codes - 1].code; /* undated text: the latest role */
	return fallback;
}

/* ---- verb patterns ------------------------------------------------------ */

typedef struct forms_ctx {
	dyad_model *m;
	uint32_t head;
	int rc;
} forms_ctx;

static void add_head_form(void *ctx, const char *form, size_t len)
{
	forms_ctx *c = ctx;
	uint32_t *slot = strmap_put(&c->m->head_forms, &c->m->a, form, len, 0);
	if (!slot)
		c->rc = DYAD_E_NOMEM;
	else if (!*slot)
		*slot = c->head + 1;
}

static long head_index(dyad_model *m, const char *lemma, bool noun)
{
	size_t len = strlen(lemma);
	uint32_t *slot = strmap_put(&m->pattern_heads, &m->a, lemma, len, 0);
	if (!slot)
		return DYAD_E_NOMEM;
	if (*slot)
		return *slot - 1;
	if (vec_grow((void **)&m->heads, &m->cap_heads, m->n_heads + 1, sizeof *m->heads))
		return DYAD_E_NOMEM;
	uint32_t h = (uint32_t)m->n_heads++;
	m->heads[h] = (struct head_list){arena_strdup(&m->a, lemma), NULL, 0, 0};
	*slot = h + 1;
	forms_ctx c = {m, h, 0};
	add_head_form(&c, lemma, len);
	if (!noun)
		dyad__verb_forms(lemma, add_head_form, &c);
	/* nouns, and verbs used as nouns ("talks", "sanctions"): the plural */
	char plural[300];
	if (len + 3 < sizeof plural) {
		memcpy(plural, lemma, len);
		if (lemma[len - 1] == 'y' && len > 2 && !strchr("aeiou", lemma[len - 2])) {
			memcpy(plural + len - 1, "ies", 3);
			add_head_form(&c, plural, len + 2);
		} else if (strchr("sxz", lemma[len - 1]) || (len > 1 && lemma[len - 1] == 'h')) {
			memcpy(plural + len, "es", 2);
			add_head_form(&c, plural, len + 2);
		} else {
			plural[len] = 's';
			add_head_form(&c, plural, len + 1);
		}
	}
	return c.rc ? c.rc : (long)h;
}

int dyad__add_pattern(dyad_model *m, const verb_pattern *p)
{
	if (vec_grow((void **)&m->patterns, &m->cap_patterns, m->n_patterns + 1,
	             sizeof *m->patterns))
		return DYAD_E_NOMEM;
	long h = head_index(m, p->head, p->noun_head);
	if (h < 0)
		return (int)h;
	struct head_list *hl = &m->heads[h];
	size_t cap = hl->cap;
	if (vec_grow((void **)&hl->idx, &cap, hl->n + 1, sizeof *hl->idx))
		return DYAD_E_NOMEM;
	hl->cap = (uint32_t)cap;
	hl->idx[hl->n++] = (uint32_t)m->n_patterns;
	m->patterns[m->n_patterns++] = *p;
	return 0;
}

const uint32_t *dyad__patterns_for(const dyad_model *m, const char *form, size_t *n)
{
	uint32_t h = strmap_get(&m->head_forms, form, strlen(form), 0);
	if (!h) {
		*n = 0;
		return NULL;
	}
	*n = m->heads[h - 1].n;
	return m->heads[h - 1].idx;
}

/* ---- loading ------------------------------------------------------------ */

static int load_buffer(dyad_model *m, const char *name, const char *data, size_t len,
                       int format, dyad_diag_fn diag, void *ctx)
{
	switch (format) {
	case DYAD_DICT_DYAD:
		if (strstr(name, "clean/") || strncmp(name, "clean", 5) == 0)
			return dyad__load_clean_rules(m, name, data, len, diag, ctx);
		if (strstr(name, "cameo/") || strstr(name, "codes.txt"))
			return dyad__load_cameo_file(m, name, data, len, diag, ctx);
		return dyad__load_dyad_file(m, name, data, len, diag, ctx);
	case DYAD_DICT_TABARI:
		return dyad__load_tabari_file(m, name, data, len, diag, ctx);
	case DYAD_DICT_PETRARCH:
		return dyad__load_petrarch_file(m, name, data, len, diag, ctx);
	default:
		return dyad__report(diag, ctx, DYAD_E_FORMAT, name, 0, "unknown dictionary format %d",
		                    format);
	}
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return DYAD_E_IO;
	dbuf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (dbuf_put(&b, chunk, n)) {
			fclose(f);
			dbuf_free(&b);
			return DYAD_E_NOMEM;
		}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		dbuf_free(&b);
		return DYAD_E_IO;
	}
	if (!b.ptr && dbuf_put(&b, "", 0))
		return DYAD_E_NOMEM;
	*data = b.ptr;
	*len = b.len;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_path(dyad_model *m, const char *path, int format, dyad_diag_fn diag,
                     void *ctx, int depth);

static int load_dir(dyad_model *m, const char *path, int format, dyad_diag_fn diag, void *ctx,
                    int depth)
{
	DIR *dir = opendir(path);
	if (!dir)
		return dyad__report(diag, ctx, DYAD_E_IO, path, 0, "cannot open directory: %s",
		                    strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int problems = 0;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "README.md") == 0 ||
		    strstr(de->d_name, "README"))
			continue;
		if (vec_grow((void **)&names, &cap, n + 1, sizeof *names))
			break;
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			break;
		snprintf(names[n++], len, "%s/%s", path, de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		int r = load_path(m, names[i], format, diag, ctx, depth + 1);
		problems += r < 0 ? 1 : r;
		free(names[i]);
	}
	free(names);
	return problems;
}

static int load_path(dyad_model *m, const char *path, int format, dyad_diag_fn diag,
                     void *ctx, int depth)
{
	struct stat st;
	if (depth > 16)
		return 0;
	if (stat(path, &st) != 0)
		return dyad__report(diag, ctx, DYAD_E_IO, path, 0, "cannot open: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_dir(m, path, format, diag, ctx, depth);
	char *data;
	size_t len;
	int rc = read_file(path, &data, &len);
	if (rc)
		return dyad__report(diag, ctx, rc, path, 0, "cannot read: %s", dyad_strerror(rc));
	rc = load_buffer(m, path, data, len, format, diag, ctx);
	free(data);
	return rc;
}

int dyad_model_load(dyad_model *m, const char *path, int format, dyad_diag_fn diag, void *ctx)
{
	if (!m || !path)
		return DYAD_E_INVALID;
	struct stat st;
	if (stat(path, &st) != 0) {
		dyad__report(diag, ctx, DYAD_E_IO, path, 0, "cannot open: %s", strerror(errno));
		return DYAD_E_IO;
	}
	return load_path(m, path, format, diag, ctx, 0);
}

dyad_model *dyad_model_new(unsigned flags, dyad_error *err)
{
	dyad_model *m = calloc(1, sizeof *m);
	if (!m) {
		dyad__set_error(err, DYAD_E_NOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	/* libxml2 wants its one-time set-up done before threads read HTML */
	dyad__reader_init();
	if (flags & DYAD_MODEL_EMPTY)
		return m;
	/* a bad built-in line is skipped like any other and counted in the
	 * stats (the test suite requires zero); only running out of memory
	 * fails the constructor */
	for (size_t i = 0; dyad__builtin_files[i].name; i++) {
		const char *data = (const char *)dyad__builtin_files[i].data;
		int r = load_buffer(m, dyad__builtin_files[i].name, data, strlen(data), DYAD_DICT_DYAD,
		                    NULL, NULL);
		if (r == DYAD_E_NOMEM) {
			dyad__set_error(err, DYAD_E_NOMEM, NULL, 0, "out of memory");
			dyad_model_free(m);
			return NULL;
		}
		m->builtin_problems += r > 0 ? (size_t)r : 0;
	}
	return m;
}

void dyad_model_get_stats(const dyad_model *m, dyad_model_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!m)
		return;
	out->actor_phrases = m->n_actor_phrases;
	out->agent_phrases = m->n_agent_phrases;
	out->verb_patterns = m->n_patterns;
	out->clean_rules = m->n_clean_rules;
	out->builtin_problems = m->builtin_problems;
}

void dyad_model_free(dyad_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_heads; i++)
		free(m->heads[i].idx);
	free(m->heads);
	free(m->entries);
	free(m->patterns);
	strmap_free(&m->actors.edges);
	free(m->actors.entry);
	free(m->actors.caps_only);
	strmap_free(&m->pattern_heads);
	strmap_free(&m->head_forms);
	strmap_free(&m->elem_cache);
	free(m->elem_cached);
	dyad__free_clean_rules(m);
	free(m->cameo);
	strmap_free(&m->cameo_index);
	if (m->compat_free)
		m->compat_free(m->compat);
	arena_free(&m->a);
	free(m);
}
