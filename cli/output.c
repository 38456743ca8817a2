/* output.c -- JSON lines, Phoenix-style TSV and SQLite for the records of
 * `dyad code|segment|actors`, and the --one-a-day filter. */
#include "output.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A set of strings, for --one-a-day keys. */
typedef struct seen_set {
	char **slots;
	size_t n, cap;
} seen_set;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Returns 1 if key was new (and adds it), 0 if seen, -1 out of memory. */
static int seen_add(seen_set *s, const char *key)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **slots = calloc(cap, sizeof *slots);
		if (!slots)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i]) {
				size_t j = hash_str(s->slots[i]) & (cap - 1);
				while (slots[j])
					j = (j + 1) & (cap - 1);
				slots[j] = s->slots[i];
			}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	size_t j = hash_str(key) & (s->cap - 1);
	while (s->slots[j]) {
		if (strcmp(s->slots[j], key) == 0)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	if (!(s->slots[j] = strdup(key)))
		return -1;
	s->n++;
	return 1;
}

static void seen_free(seen_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
}

struct output {
	const char *cmd;
	const run_opts *o;
	const dyad_model *model;
	char *buf;
	size_t len, cap;
	seen_set seen;
	sqlite3 *db;
	sqlite3_stmt *st_doc, *st_sent, *st_actor, *st_event, *st_quote;
	int failed;
};

static const char *schema =
	"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	"CREATE TABLE IF NOT EXISTS documents(id TEXT, date TEXT, title TEXT, url TEXT, meta TEXT);"
	"CREATE TABLE IF NOT EXISTS sentences(doc TEXT, sentence INTEGER, paragraph INTEGER,"
	" segment TEXT, start INTEGER, end INTEGER, text TEXT);"
	"CREATE TABLE IF NOT EXISTS actors(doc TEXT, sentence INTEGER, start INTEGER, end INTEGER,"
	" text TEXT, code TEXT, name TEXT, how TEXT, entry TEXT);"
	"CREATE TABLE IF NOT EXISTS events(doc TEXT, date TEXT, sentence INTEGER, source TEXT,"
	" target TEXT, code TEXT, root TEXT, name TEXT, quad INTEGER, goldstein REAL, plover TEXT,"
	" source_text TEXT, target_text TEXT, verb_text TEXT, pattern TEXT, flags INTEGER);"
	"CREATE TABLE IF NOT EXISTS quotes(doc TEXT, paragraph INTEGER, start INTEGER, end INTEGER,"
	" text TEXT, speaker TEXT, speaker_actor TEXT, cue TEXT, partial INTEGER,"
	" continuation INTEGER);"
	"BEGIN;";

static const char *indexes =
	"COMMIT;"
	"CREATE INDEX IF NOT EXISTS documents_id ON documents(id);"
	"CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc, sentence);"
	"CREATE INDEX IF NOT EXISTS actors_code ON actors(code);"
	"CREATE INDEX IF NOT EXISTS events_dyad ON events(source, target, code);"
	"CREATE INDEX IF NOT EXISTS events_date ON events(date);"
	"CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_actor);";

static int db_prepare(output *out, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(out->db, sql, -1, st, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", out->o->db, sqlite3_errmsg(out->db));
		return -1;
	}
	return 0;
}

static int db_open(output *out)
{
	char *msg = NULL;
	if (sqlite3_open(out->o->db, &out->db) != SQLITE_OK ||
	    sqlite3_exec(out->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", out->o->db, msg ? msg : sqlite3_errmsg(out->db));
		sqlite3_free(msg);
		return -1;
	}
	return db_prepare(out, "INSERT INTO documents VALUES(?,?,?,?,?)", &out->st_doc) ||
	       db_prepare(out, "INSERT INTO sentences VALUES(?,?,?,?,?,?,?)", &out->st_sent) ||
	       db_prepare(out, "INSERT INTO actors VALUES(?,?,?,?,?,?,?,?,?)", &out->st_actor) ||
	       db_prepare(out, "INSERT INTO events VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                  &out->st_event) ||
	       db_prepare(out, "INSERT INTO quotes VALUES(?,?,?,?,?,?,?,?,?,?)", &out->st_quote);
}

output *output_open(const char *cmd, const run_opts *o, const dyad_model *model)
{
	output *out = calloc(1, sizeof *out);
	if (!out) {
		fprintf(stderr, "dyad: out of memory\n");
		return NULL;
	}
	out->cmd = cmd;
	out->o = o;
	out->model = model;
	if (o->db && db_open(out)) {
		output_close(out);
		return NULL;
	}
	if (o->tsv && strcmp(cmd, "code") == 0)
		fputs("doc\tdate\tsentence\tsource\ttarget\tcode\troot\tquad\tgoldstein\tplover\t"
		      "source_text\ttarget_text\tverb_text\tpattern\n",
		      stdout);
	return out;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_span(sqlite3_stmt *st, int i, const dyad_doc *d, size_t start, size_t end)
{
	size_t len;
	const char *text = dyad_doc_text(d, &len);
	if (end > start && end <= len)
		sqlite3_bind_text(st, i, text + start, (int)(end - start), SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void db_step(output *out, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE && !out->failed) {
		fprintf(stderr, "%s: %s\n", out->o->db, sqlite3_errmsg(out->db));
		out->failed = 1;
	}
	sqlite3_reset(st);
}

static void db_event(output *out, const dyad_doc *d, const dyad_event *e)
{
	sqlite3_stmt *st = out->st_event;
	const dyad_sentence *s = dyad_doc_sentence(d, e->sentence);
	(void)s;
	bind_text(st, 1, dyad_doc_id(d));
	bind_text(st, 2, dyad_doc_date(d));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)e->sentence);
	bind_text(st, 4, e->source);
	bind_text(st, 5, e->target);
	bind_text(st, 6, e->code);
	bind_text(st, 7, e->root);
	bind_text(st, 8, e->name);
	sqlite3_bind_int(st, 9, e->quad);
	sqlite3_bind_double(st, 10, e->goldstein);
	bind_text(st, 11, e->plover);
	bind_span(st, 12, d, e->source_span.start, e->source_span.end);
	bind_span(st, 13, d, e->target_span.start, e->target_span.end);
	bind_span(st, 14, d, e->verb_span.start, e->verb_span.end);
	bind_text(st, 15, e->pattern);
	sqlite3_bind_int(st, 16, (int)e->flags);
	db_step(out, st);
}

static void db_quote(output *out, const dyad_doc *d, const dyad_quote *q)
{
	sqlite3_stmt *st = out->st_quote;
	bind_text(st, 1, dyad_doc_id(d));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->paragraph);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)q->start);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)q->end);
	bind_span(st, 5, d, q->start, q->end);
	bind_text(st, 6, q->speaker);
	bind_text(st, 7, q->speaker_actor);
	bind_span(st, 8, d, q->cue.start, q->cue.end);
	sqlite3_bind_int(st, 9, q->partial);
	sqlite3_bind_int(st, 10, q->continuation);
	db_step(out, st);
}

static void db_doc(output *out, const dyad_doc *d)
{
	sqlite3_stmt *st = out->st_doc;
	bind_text(st, 1, dyad_doc_id(d));
	bind_text(st, 2, dyad_doc_date(d));
	bind_text(st, 3, dyad_doc_title(d));
	bind_text(st, 4, dyad_doc_url(d));
	bind_text(st, 5, dyad_doc_meta(d));
	db_step(out, st);
	for (size_t i = 0; i < dyad_doc_sentence_count(d); i++) {
		const dyad_sentence *s = dyad_doc_sentence(d, i);
		st = out->st_sent;
		bind_text(st, 1, dyad_doc_id(d));
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)s->paragraph);
		bind_text(st, 4, dyad_segment_kind_name(s->kind));
		sqlite3_bind_int64(st, 5, (sqlite3_int64)s->start);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)s->end);
		bind_span(st, 7, d, s->start, s->end);
		db_step(out, st);
	}
	for (size_t i = 0; i < dyad_doc_mention_count(d); i++) {
		const dyad_mention *m = dyad_doc_mention(d, i);
		st = out->st_actor;
		bind_text(st, 1, dyad_doc_id(d));
		sqlite3_bind_int64(st, 2, (sqlite3_int64)m->sentence);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)m->start);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)m->end);
		bind_span(st, 5, d, m->start, m->end);
		bind_text(st, 6, m->code);
		bind_text(st, 7, m->name);
		bind_text(st, 8, dyad_resolution_name(m->how));
		bind_text(st, 9, m->entry);
		db_step(out, st);
	}
}

/* Writes text with tabs and newlines made spaces, for TSV. */
static void tsv_field(const dyad_doc *d, size_t start, size_t end)
{
	size_t len;
	const char *t = dyad_doc_text(d, &len);
	for (size_t i = start; i < end && i < len; i++)
		putchar(t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\0' ? ' ' : t[i]);
}

static void tsv_event(const dyad_doc *d, const dyad_event *e)
{
	printf("%s\t%s\t%zu\t%s\t%s\t%s\t%s\t%d\t%.1f\t%s\t", dyad_doc_id(d),
	       dyad_doc_date(d) ? dyad_doc_date(d) : "", e->sentence, e->source ? e->source : "",
	       e->target ? e->target : "", e->code, e->root, e->quad, e->goldstein,
	       e->plover ? e->plover : "");
	tsv_field(d, e->source_span.start, e->source_span.end);
	putchar('\t');
	tsv_field(d, e->target_span.start, e->target_span.end);
	putchar('\t');
	tsv_field(d, e->verb_span.start, e->verb_span.end);
	printf("\t%s\n", e->pattern ? e->pattern : "");
}

/* Whether --one-a-day lets the event through. */
static int keep_event(output *out, const dyad_doc *d, const dyad_event *e)
{
	if (!out->o->one_a_day)
		return 1;
	char key[256];
	snprintf(key, sizeof key, "%s|%s|%s|%s", dyad_doc_date(d) ? dyad_doc_date(d) : "",
	         e->source ? e->source : "", e->target ? e->target : "", e->code);
	int r = seen_add(&out->seen, key);
	return r != 0; /* out of memory: keep rather than lose */
}

static void emit_record(output *out, const dyad_doc *d, unsigned kind, size_t i)
{
	out->len = 0;
	if (dyad_doc_write_record(d, kind, i, &out->buf, &out->len, &out->cap) == 0)
		fwrite(out->buf, 1, out->len, stdout);
}

int output_doc(output *out, const dyad_doc *d, long *events, long *quotes)
{
	const run_opts *o = out->o;
	if (out->db)
		db_doc(out, d);
	if (strcmp(out->cmd, "segment") == 0) {
		for (size_t i = 0; i < dyad_doc_sentence_count(d); i++)
			if (o->all || dyad_doc_sentence(d, i)->kind != DYAD_SEG_BOILERPLATE)
				emit_record(out, d, DYAD_OUT_SEGMENTS, i);
	} else if (strcmp(out->cmd, "actors") == 0) {
		for (size_t i = 0; i < dyad_doc_mention_count(d); i++)
			emit_record(out, d, DYAD_OUT_ACTORS, i);
	} else {
		size_t ne = o->only == DYAD_OUT_QUOTES ? 0 : dyad_doc_event_count(d);
		size_t nq = o->only == DYAD_OUT_EVENTS ? 0 : dyad_doc_quote_count(d);
		size_t e = 0, q = 0;
		/* events and quotes in text order */
		while (e < ne || q < nq) {
			const dyad_event *ev = e < ne ? dyad_doc_event(d, e) : NULL;
			const dyad_quote *qu = q < nq ? dyad_doc_quote(d, q) : NULL;
			if (ev && (!qu || dyad_doc_sentence(d, ev->sentence)->start <= qu->start)) {
				e++;
				if (!keep_event(out, d, ev))
					continue;
				(*events)++;
				if (out->db)
					db_event(out, d, ev);
				if (o->tsv)
					tsv_event(d, ev);
				else
					emit_record(out, d, DYAD_OUT_EVENTS, e - 1);
			} else {
				q++;
				(*quotes)++;
				if (out->db)
					db_quote(out, d, qu);
				if (!o->tsv)
					emit_record(out, d, DYAD_OUT_QUOTES, q - 1);
			}
		}
	}
	if (ferror(stdout)) {
		if (!out->failed)
			fprintf(stderr, "dyad: cannot write output\n");
		out->failed = 1;
	}
	return out->failed ? -1 : 0;
}

int output_close(output *out)
{
	int failed = out->failed;
	if (out->db) {
		char *msg = NULL;
		sqlite3_finalize(out->st_doc);
		sqlite3_finalize(out->st_sent);
		sqlite3_finalize(out->st_actor);
		sqlite3_finalize(out->st_event);
		sqlite3_finalize(out->st_quote);
		if (!failed && sqlite3_exec(out->db, indexes, NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "%s: %s\n", out->o->db, msg ? msg : "cannot finish database");
			failed = 1;
		}
		sqlite3_free(msg);
		sqlite3_close(out->db);
	}
	if (fflush(stdout) != 0)
		failed = 1;
	seen_free(&out->seen);
	free(out->buf);
	free(out);
	return failed ? -1 : 0;
}
