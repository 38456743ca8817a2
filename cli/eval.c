/* eval.c -- `dyad eval`: codes gold records with the public API and prints
 * precision, recall and F1, overall and per CAMEO root. Reads TABARI's
 * validation text, PETRARCH's unit-test XML and dyad's own JSON-lines gold;
 * docs/compat.md describes the formats and the output. */
#include "cli.h"
#include "eval_quotes.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char eval_usage[] =
	"usage: dyad eval [--format auto|tabari|petrarch|gold] [-v]\n"
	"                 [--dict PATH] [--dict-format F] [--no-builtin] FILE...\n"
	"Codes each gold record of FILE and compares the events with the gold ones.\n"
	"An event is correct when source, target and code are all equal; the\n"
	"root-level line compares codes by their first two digits.\n"
	"  --format F   auto (default): .xml = petrarch, .jsonl/.json = gold, else tabari\n"
	"               tabari    TABARI validation text (Validate.text); records\n"
	"                         after FINAL-01 are not scored\n"
	"               petrarch  PETRARCH unit-test XML (<Sentence>, <EventCoding>)\n"
	"               gold      JSON lines {\"id\",\"date\",\"text\",\"events\":[{\"source\",\n"
	"                         \"target\",\"code\"}]}\n"
	"               (a JSON-lines file whose records hold \"quotes\":[{\"speaker\",\n"
	"               \"text\"}] instead is scored for quotations: span found, speaker\n"
	"               right)\n"
	"  -v           also print, per record, the events missed and the extra ones\n"
	"Without --dict/--no-builtin, tabari files are coded with the dictionaries their\n"
	"*.project names, petrarch files with the <Environment> ones (looked for in\n"
	"../dictionaries/), both without the built-in ones; gold files with the\n"
	"built-in dictionaries.\n"
	"Output: one 'file' line per FILE, then\n"
	"  records N  gold N  found N  correct N  precision P  recall R  F1 F\n"
	"  root-level  gold N  found N  correct N  precision P  recall R  F1 F\n"
	"and a table: root, gold, found, correct, precision, recall, F1.\n";

enum fmt { FMT_AUTO, FMT_TABARI, FMT_PETRARCH, FMT_GOLD };
static const char *const fmt_names[] = {"auto", "tabari", "petrarch", "gold"};

typedef struct triple {
	char *src, *tgt, *code;
} triple;

typedef struct record {
	char *id, *date, *text;
	triple *gold;
	size_t n_gold, cap_gold;
} record;

typedef struct recset {
	record *v;
	size_t n, cap;
	size_t skipped; /* records left unscored: options, no gold, not included */
	char *dicts[8]; /* dictionaries the file names (project / Environment) */
	size_t n_dicts;
} recset;

/* ---- small helpers -------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("dyad: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* Trims and collapses white space (line breaks inside a sentence). */
static char *squeeze(const char *s, size_t n)
{
	char *out = xrealloc(NULL, n + 1);
	size_t k = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (cap - n < 65536)
			buf = xrealloc(buf, cap = cap * 2 + 65536);
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

static bool exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xrealloc(NULL, n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static record *new_record(recset *rs)
{
	if (rs->n == rs->cap)
		rs->v = xrealloc(rs->v, sizeof *rs->v * (rs->cap = rs->cap * 2 + 64));
	record *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static void add_gold(record *r, const char *src, const char *tgt, const char *code)
{
	if (r->n_gold == r->cap_gold)
		r->gold = xrealloc(r->gold, sizeof *r->gold * (r->cap_gold = r->cap_gold * 2 + 4));
	r->gold[r->n_gold++] = (triple){xstrdup(src), xstrdup(tgt), xstrdup(code)};
}

static bool verbose; /* -v: per-record differences and skipped records */

/* Removes the last record (unscored); with -v says why. */
static void drop_record(recset *rs, const char *why)
{
	record *r = &rs->v[--rs->n];
	if (why && verbose)
		printf("skip %s: %s\n", r->id ? r->id : "?", why);
	for (size_t i = 0; i < r->n_gold; i++) {
		free(r->gold[i].src);
		free(r->gold[i].tgt);
		free(r->gold[i].code);
	}
	free(r->gold);
	free(r->id);
	free(r->date);
	free(r->text);
	rs->skipped++;
}

/* "YYMMDD" (00-30 = 20YY, as TABARI) or "YYYYMMDD" to "YYYY-MM-DD". */
static char *iso_date(const char *s, size_t n)
{
	char buf[16];
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return NULL;
	if (n == 6) {
		int yy = (s[0] - '0') * 10 + (s[1] - '0');
		snprintf(buf, sizeof buf, "%d-%.2s-%.2s", yy <= 30 ? 2000 + yy : 1900 + yy, s + 2, s + 4);
	} else if (n == 8) {
		snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	} else {
		return NULL;
	}
	return xstrdup(buf);
}

/* ---- TABARI validation text ------------------------------------------------ */

/* A record header: "950101  DEMO-01 ...". */
static bool tabari_header(const char *s, const char *e, size_t *ndig)
{
	size_t n = 0;
	while (s + n < e && isdigit((unsigned char)s[n]))
		n++;
	if ((n != 6 && n != 8) || s + n >= e || !isspace((unsigned char)s[n]))
		return false;
	const char *p = s + n;
	while (p < e && isspace((unsigned char)*p))
		p++;
	*ndig = n;
	return p < e;
}

/* Reads the "{...}" of a gold comment. Returns 1 when the record is to be
 * skipped (an OPTION directive or an unreadable entry). */
static int tabari_gold(record *r, const char *c, size_t n, bool *any)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i] != '{')
			continue;
		size_t j = i + 1;
		while (j < n && c[j] != '}')
			j++;
		if (j >= n)
			return 1;
		/* "-{...}" is a disabled expectation */
		size_t k = i;
		while (k > 0 && (c[k - 1] == ' ' || c[k - 1] == '\t'))
			k--;
		bool disabled = k > 0 && c[k - 1] == '-';
		char *in = squeeze(c + i + 1, j - i - 1);
		i = j;
		if (disabled) {
			free(in);
			continue;
		}
		*any = true;
		if (strncmp(in, "OPTION", 6) == 0) {
			free(in);
			return 1;
		}
		if (!in[0] || !strcmp(in, "---") || !strcmp(in, "###") || !strcmp(in, "+++")) {
			free(in);
			continue;
		}
		char *part[3] = {NULL, NULL, NULL};
		int np = 0;
		for (char *tok = strtok(in, "/"); tok && np < 4; tok = strtok(NULL, "/"))
			if (np++ < 3)
				part[np - 1] = tok;
		if (np != 3) {
			free(in);
			return 1;
		}
		char *t[3];
		for (int q = 0; q < 3; q++)
			t[q] = squeeze(part[q], strlen(part[q]));
		add_gold(r, t[0], t[1], t[2]);
		for (int q = 0; q < 3; q++)
			free(t[q]);
		free(in);
	}
	return 0;
}

/* Splits the record body into text (outside comments) and gold (inside). */
static void tabari_record(recset *rs, const char *hdr, size_t ndig, const char *body,
                          const char *end)
{
	record *r = new_record(rs);
	const char *id = hdr + ndig;
	while (isspace((unsigned char)*id))
		id++;
	const char *ide = id;
	while (*ide && !isspace((unsigned char)*ide))
		ide++;
	r->id = xstrndup(id, (size_t)(ide - id));
	r->date = iso_date(hdr, ndig);
	char *text = calloc(1, (size_t)(end - body) + 1), *gold = calloc(1, (size_t)(end - body) + 1);
	if (!text || !gold) {
		fputs("dyad: out of memory\n", stderr);
		exit(2);
	}
	size_t nt = 0, ng = 0;
	bool in_comment = false, bol = true;
	for (const char *p = body; p < end; p++) {
		if (!in_comment && p + 1 < end && p[0] == '/' && p[1] == '*') {
			in_comment = true;
			p++;
			continue;
		}
		if (in_comment && p + 1 < end && p[0] == '*' && p[1] == '/') {
			in_comment = false;
			p++;
			continue;
		}
		if (!in_comment && bol && *p == '#') { /* banner lines between records */
			while (p + 1 < end && p[1] != '\n')
				p++;
			continue;
		}
		bol = *p == '\n';
		if (in_comment)
			gold[ng++] = *p;
		else
			text[nt++] = *p;
	}
	r->text = squeeze(text, nt);
	bool any = false;
	int skip = tabari_gold(r, gold, ng, &any);
	free(text);
	free(gold);
	if (skip || !any || !r->text[0])
		drop_record(rs, skip ? "an OPTION directive or an unreadable {...}"
		                : !any ? "no {...} gold" : "no text");
}

/* The *.project beside `path` whose <textfile> is it: its dictionaries. */
static void tabari_project(recset *rs, const char *path)
{
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d)) && !rs->n_dicts) {
		size_t n = strlen(de->d_name);
		if (n < 8 || strcmp(de->d_name + n - 8, ".project") != 0)
			continue;
		char *pp = join(dir, de->d_name);
		size_t len;
		char *data = read_all(pp, &len);
		free(pp);
		if (!data)
			continue;
		bool mine = false;
		char *files[8];
		size_t nf = 0;
		for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
			static const char *const tags[] = {"<textfile>", "<actorsfile>", "<verbsfile>",
			                                   "<agentsfile>"};
			for (int t = 0; t < 4; t++) {
				size_t tl = strlen(tags[t]);
				if (strncmp(line, tags[t], tl) != 0)
					continue;
				char *v = squeeze(line + tl, strlen(line + tl));
				if (t == 0) {
					mine = strcmp(v, base) == 0;
					free(v);
				} else if (nf < 8 && v[0]) {
					files[nf++] = v;
				} else {
					free(v);
				}
			}
		}
		for (size_t i = 0; i < nf; i++) {
			char *full = join(dir, files[i]);
			if (mine && exists(full))
				rs->dicts[rs->n_dicts++] = full;
			else
				free(full);
			free(files[i]);
		}
		free(data);
	}
	if (d)
		closedir(d);
	free(dir);
}

static int read_tabari(const char *path, recset *rs)
{
	size_t len;
	char *data = read_all(path, &len);
	if (!data)
		return -1;
	const char *p = data, *end = data + len, *hdr = NULL, *body = NULL;
	size_t hdig = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t ndig;
		if (tabari_header(p, le, &ndig)) {
			if (hdr)
				tabari_record(rs, hdr, hdig, body, p);
			hdr = NULL;
			const char *id = p + ndig;
			while (id < le && isspace((unsigned char)*id))
				id++;
			if (le - id >= 8 && strncmp(id, "FINAL-01", 8) == 0)
				break; /* the records after it are for debugging */
			hdr = p;
			hdig = ndig;
			body = nl ? nl + 1 : end;
		}
		p = nl ? nl + 1 : end;
	}
	if (hdr && p >= end)
		tabari_record(rs, hdr, hdig, body, end);
	free(data);
	tabari_project(rs, path);
	return 0;
}

/* ---- PETRARCH unit-test XML -------------------------------------------------- */

static char *xml_attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = squeeze((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return s;
}

static char *xml_text(xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	if (!v)
		return xstrdup("");
	char *s = squeeze((const char *)v, strlen((const char *)v));
	xmlFree(v);
	return s;
}

static bool is_elem(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

typedef struct petr_env {
	char *include; /* space-separated categories, or NULL = all */
	char *files[4]; /* verbs, actors, agents, discards (by the tags below) */
} petr_env;

static void petr_sentence(recset *rs, xmlNode *s, const petr_env *env)
{
	char *cat = xml_attr(s, "category");
	bool included = true;
	if (env->include && cat) {
		included = false;
		size_t cl = strlen(cat);
		for (const char *p = env->include; *p;) {
			while (*p == ' ')
				p++;
			const char *q = p;
			while (*q && *q != ' ')
				q++;
			if ((size_t)(q - p) == cl && cl && memcmp(p, cat, cl) == 0)
				included = true;
			p = q;
		}
	}
	free(cat);
	if (!included) {
		if (verbose) {
			char *id = xml_attr(s, "id");
			printf("skip %s: category not in <Include>\n", id ? id : "?");
			free(id);
		}
		rs->skipped++;
		return;
	}
	record *r = new_record(rs);
	r->id = xml_attr(s, "id");
	if (!r->id)
		r->id = xstrdup("?");
	char *date = xml_attr(s, "date");
	r->date = date ? iso_date(date, strlen(date)) : NULL;
	free(date);
	bool any = false;
	for (xmlNode *c = s->children; c; c = c->next) {
		if (is_elem(c, "Text") && !r->text) {
			r->text = xml_text(c);
		} else if (is_elem(c, "EventCoding")) {
			any = true;
			char *src = xml_attr(c, "sourcecode"), *tgt = xml_attr(c, "targetcode"),
			     *code = xml_attr(c, "eventcode");
			if (src && tgt && code)
				add_gold(r, src, tgt, code);
			free(src);
			free(tgt);
			free(code);
		}
	}
	(void)any; /* no <EventCoding> at all: no event expected (PATTERN-06) */
	if (!r->text || !r->text[0])
		drop_record(rs, "no <Text>");
}

static void petr_walk(recset *rs, xmlNode *n, petr_env *env)
{
	for (; n; n = n->next) {
		if (is_elem(n, "Environment")) {
			static const char *const tags[] = {"Verbfile", "Actorfile", "Agentfile",
			                                   "Discardfile"};
			for (xmlNode *c = n->children; c; c = c->next) {
				if (is_elem(c, "Include") && !env->include)
					env->include = xml_text(c);
				for (int t = 0; t < 4; t++)
					if (is_elem(c, tags[t]) && !env->files[t])
						env->files[t] = xml_text(c);
			}
		} else if (is_elem(n, "Sentence")) {
			petr_sentence(rs, n, env);
			continue;
		}
		petr_walk(rs, n->children, env);
	}
}

static int read_petrarch(const char *path, recset *rs)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING |
	                                          XML_PARSE_NOERROR | XML_PARSE_HUGE);
	if (!doc)
		return -1;
	petr_env env = {0};
	petr_walk(rs, xmlDocGetRootElement(doc), &env);
	xmlFreeDoc(doc);
	static const char *const dflt[] = {"PETR.Validate.verbs.txt", "PETR.Validate.actors.txt",
	                                   "PETR.Validate.agents.txt", ""};
	char *dir = dir_of(path);
	char *dict_dir = join(dir, "../dictionaries");
	/* a discard list is loaded only when the file names one */
	for (int t = 0; t < 4; t++) {
		const char *name = env.files[t] && env.files[t][0] ? env.files[t] : dflt[t];
		if (!name[0]) {
			free(env.files[t]);
			continue;
		}
		char *a = join(dict_dir, name), *b = join(dir, name);
		if (exists(a)) {
			rs->dicts[rs->n_dicts++] = a;
			free(b);
		} else if (exists(b)) {
			rs->dicts[rs->n_dicts++] = b;
			free(a);
		} else {
			free(a);
			free(b);
		}
		free(env.files[t]);
	}
	free(env.include);
	free(dict_dir);
	free(dir);
	return 0;
}

/* ---- dyad's JSON-lines gold -------------------------------------------------- */

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int read_gold(const char *path, recset *rs)
{
	size_t len;
	char *data = read_all(path, &len);
	if (!data)
		return -1;
	long line = 0;
	for (char *p = data, *end = data + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		line++;
		const char *q = p;
		while (q < le && isspace((unsigned char)*q))
			q++;
		if (q < le) {
			cJSON *o = cJSON_ParseWithLength(p, (size_t)(le - p));
			const cJSON *evs = cJSON_GetObjectItemCaseSensitive(o, "events");
			const char *text = json_str(o, "text");
			if (!o || !text || !cJSON_IsArray(evs)) {
				fprintf(stderr, "%s:%ld: not a gold record (want {\"text\",\"events\":[...]})\n",
				        path, line);
				rs->skipped++;
			} else {
				record *r = new_record(rs);
				char idbuf[32];
				snprintf(idbuf, sizeof idbuf, "line-%ld", line);
				r->id = xstrdup(json_str(o, "id") ? json_str(o, "id") : idbuf);
				r->date = json_str(o, "date") ? xstrdup(json_str(o, "date")) : NULL;
				r->text = xstrdup(text);
				const cJSON *ev;
				cJSON_ArrayForEach(ev, evs)
				{
					const char *s = json_str(ev, "source"), *t = json_str(ev, "target"),
					           *c = json_str(ev, "code");
					add_gold(r, s ? s : "---", t ? t : "---", c ? c : "---");
				}
			}
			cJSON_Delete(o);
		}
		p = nl ? nl + 1 : end;
	}
	free(data);
	return 0;
}

/* ---- scoring ----------------------------------------------------------------- */

typedef struct tally {
	char root[8];
	long gold, found, correct;
} tally;

typedef struct score {
	long records, gold, found, correct, root_correct;
	tally *roots;
	size_t n_roots, cap_roots;
} score;

static void root_of(const char *code, char out[8])
{
	snprintf(out, 8, "%.2s", code);
}

static tally *root_tally(score *sc, const char *code)
{
	char r[8];
	root_of(code, r);
	for (size_t i = 0; i < sc->n_roots; i++)
		if (strcmp(sc->roots[i].root, r) == 0)
			return &sc->roots[i];
	if (sc->n_roots == sc->cap_roots)
		sc->roots = xrealloc(sc->roots, sizeof *sc->roots * (sc->cap_roots = sc->cap_roots * 2 + 32));
	tally *t = &sc->roots[sc->n_roots++];
	memset(t, 0, sizeof *t);
	memcpy(t->root, r, sizeof r);
	return t;
}

static bool same(const triple *a, const triple *b, bool root_only)
{
	if (strcmp(a->src, b->src) || strcmp(a->tgt, b->tgt))
		return false;
	if (!root_only)
		return strcmp(a->code, b->code) == 0;
	char ra[8], rb[8];
	root_of(a->code, ra);
	root_of(b->code, rb);
	return strcmp(ra, rb) == 0;
}

/* Pairs gold and found events one to one; returns the matches and marks
 * the matched ones. */
static long match(const triple *gold, size_t ng, const triple *found, size_t nf, bool root_only,
                  bool *gm, bool *fm)
{
	long n = 0;
	memset(gm, 0, sizeof *gm * ng);
	memset(fm, 0, sizeof *fm * nf);
	for (size_t i = 0; i < ng; i++)
		for (size_t j = 0; j < nf; j++)
			if (!fm[j] && same(&gold[i], &found[j], root_only)) {
				gm[i] = fm[j] = true;
				n++;
				break;
			}
	return n;
}

static void print_triple(const char *what, const triple *t)
{
	printf("  %-7s %s / %s / %s\n", what, t->src, t->tgt, t->code);
}

static void score_record(score *sc, const dyad_model *m, const record *r, const char *path)
{
	dyad_input in = {0};
	in.id = r->id;
	in.date = r->date;
	in.text = r->text;
	in.text_len = strlen(r->text);
	in.source = path;
	dyad_options opts = {0};
	opts.date = r->date;
	dyad_error err = {0};
	dyad_doc *d = dyad_doc_new(m, &in, &opts, &err);
	triple *found = NULL;
	size_t nf = 0;
	if (!d) {
		cli_report(&err);
	} else if (dyad_doc_run(d, DYAD_STAGE_EVENTS) < 0) {
		fprintf(stderr, "%s: record %s could not be coded\n", path, r->id);
	} else {
		nf = dyad_doc_event_count(d);
		found = xrealloc(NULL, sizeof *found * nf);
		for (size_t i = 0; i < nf; i++) {
			const dyad_event *e = dyad_doc_event(d, i);
			found[i] = (triple){(char *)(e->source ? e->source : "---"),
			                    (char *)(e->target ? e->target : "---"),
			                    (char *)(e->code ? e->code : "---")};
		}
	}
	bool *gm = xrealloc(NULL, sizeof *gm * (r->n_gold + 1));
	bool *fm = xrealloc(NULL, sizeof *fm * (nf + 1));
	sc->root_correct += match(r->gold, r->n_gold, found, nf, true, gm, fm);
	long ok = match(r->gold, r->n_gold, found, nf, false, gm, fm);
	sc->records++;
	sc->gold += (long)r->n_gold;
	sc->found += (long)nf;
	sc->correct += ok;
	for (size_t i = 0; i < r->n_gold; i++) {
		tally *t = root_tally(sc, r->gold[i].code);
		t->gold++;
		t->correct += gm[i];
	}
	for (size_t j = 0; j < nf; j++)
		root_tally(sc, found[j].code)->found++;
	if (verbose && (ok != (long)r->n_gold || ok != (long)nf)) {
		printf("%s %s  %.100s\n", r->id, r->date ? r->date : "-", r->text);
		for (size_t i = 0; i < r->n_gold; i++)
			if (!gm[i])
				print_triple("missed", &r->gold[i]);
		for (size_t j = 0; j < nf; j++)
			if (!fm[j])
				print_triple("extra", &found[j]);
	}
	free(gm);
	free(fm);
	free(found);
	dyad_doc_free(d);
}

static double ratio(long a, long b) { return b ? (double)a / (double)b : 0.0; }

static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

static int cmp_tally(const void *a, const void *b)
{
	return strcmp(((const tally *)a)->root, ((const tally *)b)->root);
}

static void print_score(score *sc)
{
	double p = ratio(sc->correct, sc->found), r = ratio(sc->correct, sc->gold);
	printf("records %ld  gold %ld  found %ld  correct %ld  precision %.3f  recall %.3f  F1 %.3f\n",
	       sc->records, sc->gold, sc->found, sc->correct, p, r, f1(p, r));
	p = ratio(sc->root_correct, sc->found);
	r = ratio(sc->root_correct, sc->gold);
	printf("root-level  gold %ld  found %ld  correct %ld  precision %.3f  recall %.3f  F1 %.3f\n",
	       sc->gold, sc->found, sc->root_correct, p, r, f1(p, r));
	if (sc->n_roots)
		qsort(sc->roots, sc->n_roots, sizeof *sc->roots, cmp_tally);
	printf("%-5s %6s %6s %8s %10s %7s %6s\n", "root", "gold", "found", "correct", "precision",
	       "recall", "F1");
	for (size_t i = 0; i < sc->n_roots; i++) {
		const tally *t = &sc->roots[i];
		double tp = ratio(t->correct, t->found), tr = ratio(t->correct, t->gold);
		printf("%-5s %6ld %6ld %8ld %10.3f %7.3f %6.3f\n", t->root, t->gold, t->found,
		       t->correct, tp, tr, f1(tp, tr));
	}
}

/* ---- the command -------------------------------------------------------------- */

static int detect(const char *path)
{
	size_t n = strlen(path);
	if (n >= 4 && strcmp(path + n - 4, ".xml") == 0)
		return FMT_PETRARCH;
	if ((n >= 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
	    (n >= 5 && strcmp(path + n - 5, ".json") == 0))
		return FMT_GOLD;
	FILE *f = fopen(path, "rb");
	int c = EOF;
	while (f && (c = fgetc(f)) != EOF && isspace(c))
		;
	if (f)
		fclose(f);
	return c == '<' ? FMT_PETRARCH : c == '{' ? FMT_GOLD : FMT_TABARI;
}

static void free_recset(recset *rs)
{
	while (rs->n)
		drop_record(rs, NULL);
	free(rs->v);
	for (size_t i = 0; i < rs->n_dicts; i++)
		free(rs->dicts[i]);
}

/* The model for one file: the user's, else the dictionaries it names. */
static dyad_model *file_model(const cli_model_opts *user, bool user_set, const recset *rs,
                              int fmt, const char *path)
{
	cli_model_opts o = {0};
	if (user_set) {
		o = *user;
	} else if (fmt != FMT_GOLD && rs->n_dicts) {
		o.no_builtin = 1;
		o.dict_format = fmt == FMT_TABARI ? DYAD_DICT_TABARI : DYAD_DICT_PETRARCH;
		for (size_t i = 0; i < rs->n_dicts; i++) {
			o.dicts[o.n_dicts] = rs->dicts[i];
			o.formats[o.n_dicts++] = o.dict_format;
		}
	} else if (fmt != FMT_GOLD) {
		fprintf(stderr, "%s: its dictionaries were not found; using the built-in ones\n", path);
	}
	int problems = 0;
	return cli_model_build(&o, &problems);
}

int cmd_eval(int argc, char **argv)
{
	cli_model_opts opts = {0};
	int fmt = FMT_AUTO;
	bool user_set = false;
	verbose = false;
	const char **files = xrealloc(NULL, sizeof *files * (size_t)(argc + 1));
	int n_files = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_model_option(&opts, argc, argv, &i);
		if (r < 0) {
			free(files);
			return 2;
		}
		if (r) {
			user_set = true;
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			fmt = -1;
			for (int k = 0; k < 4; k++)
				if (strcmp(v, fmt_names[k]) == 0)
					fmt = k;
			if (fmt < 0) {
				fprintf(stderr, "dyad: unknown eval format '%s' (auto, tabari, petrarch, gold)\n", v);
				free(files);
				return 2;
			}
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(eval_usage, stdout);
			free(files);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "dyad: unknown eval option '%s'\n", a);
			fputs(eval_usage, stderr);
			free(files);
			return 2;
		} else {
			files[n_files++] = a;
		}
	}
	if (!n_files) {
		fputs(eval_usage, stderr);
		free(files);
		return 2;
	}
	score sc = {0};
	quote_score qsc = {0};
	int rc = 0;
	xmlInitParser();
	for (int f = 0; f < n_files; f++) {
		int ff = fmt == FMT_AUTO ? detect(files[f]) : fmt;
		if (ff == FMT_GOLD && eval_is_quote_gold(files[f])) {
			cli_model_opts qo = user_set ? opts : (cli_model_opts){0};
			int problems = 0;
			dyad_model *qm = cli_model_build(&qo, &problems);
			if (!qm || eval_quotes_file(files[f], qm, &qsc, verbose) < 0) {
				fprintf(stderr, "%s: cannot read as quotation gold\n", files[f]);
				rc = 2;
			} else {
				printf("file %s  format quotes\n", files[f]);
			}
			dyad_model_free(qm);
			continue;
		}
		recset rs = {0};
		int r = ff == FMT_TABARI ? read_tabari(files[f], &rs)
		        : ff == FMT_PETRARCH ? read_petrarch(files[f], &rs)
		                             : read_gold(files[f], &rs);
		if (r < 0) {
			fprintf(stderr, "%s: cannot read as %s gold\n", files[f], fmt_names[ff]);
			rc = 2;
			free_recset(&rs);
			continue;
		}
		dyad_model *m = file_model(&opts, user_set, &rs, ff, files[f]);
		if (!m) {
			free_recset(&rs);
			rc = 2;
			continue;
		}
		printf("file %s  format %s  records %zu  skipped %zu\n", files[f], fmt_names[ff], rs.n,
		       rs.skipped);
		for (size_t i = 0; i < rs.n; i++)
			score_record(&sc, m, &rs.v[i], files[f]);
		dyad_model_free(m);
		free_recset(&rs);
	}
	xmlCleanupParser();
	if (sc.records || !qsc.records)
		print_score(&sc);
	if (qsc.records)
		eval_quotes_print(&qsc);
	free(sc.roots);
	free(files);
	return rc;
}
