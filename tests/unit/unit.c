/* unit.c -- unit tests of libdyad's parts, through the public API and the
 * internal one. Prints PASS/FAIL lines; exit 1 if any failed. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int failures, passes;

#define CHECK(name, cond)                                            \
	do {                                                             \
		if (cond) {                                                  \
			passes++;                                                \
			printf("PASS unit %s\n", name);                          \
		} else {                                                     \
			failures++;                                              \
			printf("FAIL unit %s (%s:%d)\n", name, __FILE__, __LINE__); \
		}                                                            \
	} while (0)

typedef struct toks {
	char out[1024];
	size_t len;
	const char *src;
} toks;

static int collect(void *ctx, const raw_token *t)
{
	toks *k = ctx;
	int n = snprintf(k->out + k->len, sizeof k->out - k->len, "%s%.*s", k->len ? "|" : "",
	                 (int)(t->end - t->start), k->src + t->start);
	if (n > 0)
		k->len += (size_t)n;
	return 0;
}

static const char *tokenize(const char *s)
{
	static toks k;
	memset(&k, 0, sizeof k);
	k.src = s;
	dyad__tokenize(s, strlen(s), collect, &k);
	return k.out;
}

static void test_tokenizer(void)
{
	CHECK("tokens: clitics split", strcmp(tokenize("Russia's forces didn't go"), "Russia|'s|forces|did|n't|go") == 0);
	CHECK("tokens: abbreviations keep dots", strcmp(tokenize("the U.S. and Mr. Smith"), "the|U.S.|and|Mr.|Smith") == 0);
	CHECK("tokens: decimals and thousands", strcmp(tokenize("3.5 per cent of 1,000"), "3.5|per|cent|of|1,000") == 0);
	CHECK("tokens: curly quotes and dashes", strcmp(tokenize("\xe2\x80\x9cWar\xe2\x80\x9d \xe2\x80\x93 now"), "\xe2\x80\x9c|War|\xe2\x80\x9d|\xe2\x80\x93|now") == 0);
	CHECK("tokens: hyphens split", strcmp(tokenize("US-Ukraine ties"), "US|-|Ukraine|ties") == 0);
	CHECK("tokens: curly apostrophe clitic", strcmp(tokenize("Ukraine\xe2\x80\x99s"), "Ukraine|\xe2\x80\x99s") == 0);
	CHECK("tokens: invalid bytes do not stop", strcmp(tokenize("a\xff" "b c"), "a|\xff|b|c") == 0);
}

static void test_norm(void)
{
	dbuf b = {0};
	dyad__norm("\xC3\x89LYS\xC3\x89\x45", 8, &b);
	CHECK("norm: case-fold and strip accents", b.ptr && strcmp(b.ptr, "elysee") == 0);
	b.len = 0;
	dyad__norm("\xe2\x80\x99s", 4, &b);
	CHECK("norm: curly apostrophe", b.ptr && strcmp(b.ptr, "'s") == 0);
	b.len = 0;
	dyad__norm("Kyiv", 4, &b);
	CHECK("norm: ascii lower", strcmp(b.ptr, "kyiv") == 0);
	dbuf_free(&b);
}

static void test_lemmas(void)
{
	const char *l = dyad__verb_lemma("imposed", 7);
	CHECK("lemma: imposed -> impose", l && strcmp(l, "impose") == 0);
	l = dyad__verb_lemma("spoke", 5);
	CHECK("lemma: spoke -> speak (exception list)", l && strcmp(l, "speak") == 0);
	l = dyad__verb_lemma("planned", 7);
	CHECK("lemma: planned -> plan (doubled consonant)", l && strcmp(l, "plan") == 0);
	CHECK("lemma: Ukraine is not a verb", dyad__verb_lemma("ukraine", 7) == NULL);
	char buf[32];
	dyad__noun_singular("sanctions", 9, buf);
	CHECK("noun: sanctions -> sanction", strcmp(buf, "sanction") == 0);
	dyad__noun_singular("talks", 5, buf);
	CHECK("noun: talks -> talk", strcmp(buf, "talk") == 0);
}

static void test_dates(void)
{
	CHECK("date: YYYY-MM-DD", dyad__parse_date("2025-03-05", 10) == 20250305);
	CHECK("date: malformed", dyad__parse_date("2025-13-05", 10) == 0);
	CHECK("date: garbage", dyad__parse_date("yesterday", 9) == 0);
}

static void count_problem(void *ctx, const dyad_error *e)
{
	(*(int *)ctx)++;
	(void)e;
}

static char *write_temp(const char *suffix, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "/tmp/dyad-unit-%d%s", (int)getpid(), suffix);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_model(void)
{
	dyad_error err = {0};
	dyad_model *m = dyad_model_new(DYAD_MODEL_EMPTY, &err);
	int problems = 0;
	const char *p = write_temp("-actors.txt",
	                           "Freedonia | Freedonian | FRD = FRD\n"
	                           "Rufus T. Firefly | Firefly = FRDGOV 1933-01-01..1933-12-31 ; FRDELI ; gender=m ; type=person\n"
	                           "president = ~GOV ; type=person\n"
	                           "bad line\n");
	int r = dyad_model_load(m, p, DYAD_DICT_DYAD, count_problem, &problems);
	CHECK("model: one problem reported for a bad line", r == 1 && problems == 1);
	dyad_model_stats st;
	dyad_model_get_stats(m, &st);
	CHECK("model: phrases counted", st.actor_phrases == 5 && st.agent_phrases == 1);
	unlink(p);

	dyad_input in = {0};
	in.id = "t";
	in.date = "1933-06-01";
	in.text = "The Freedonian president met Sylvania. Mr Firefly left.";
	in.text_len = strlen(in.text);
	dyad_doc *d = dyad_doc_new(m, &in, NULL, &err);
	CHECK("doc: created", d != NULL);
	CHECK("doc: runs", d && dyad_doc_run(d, DYAD_STAGE_ACTORS) == 0);
	CHECK("doc: two sentences", d && dyad_doc_sentence_count(d) == 2);
	const dyad_mention *m0 = d ? dyad_doc_mention(d, 0) : NULL;
	CHECK("actors: country + role compound", m0 && m0->code && strcmp(m0->code, "FRDGOV") == 0 && m0->how == DYAD_RES_ROLE);
	const dyad_mention *m1 = d ? dyad_doc_mention(d, dyad_doc_mention_count(d) - 1) : NULL;
	CHECK("actors: dated person code", m1 && m1->code && strcmp(m1->code, "FRDGOV") == 0);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	CHECK("write: jsonl", d && dyad_doc_write_jsonl(d, DYAD_OUT_SEGMENTS | DYAD_OUT_ACTORS, &buf, &len, &cap) == 0 && len > 0 && buf[len - 1] == '\n');
	dyad_free(buf);
	dyad_doc_free(d);
	in.date = "1950-01-01";
	d = dyad_doc_new(m, &in, NULL, &err);
	dyad_doc_run(d, DYAD_STAGE_ACTORS);
	m1 = dyad_doc_mention(d, dyad_doc_mention_count(d) - 1);
	CHECK("actors: out of office falls back", m1 && m1->code && strcmp(m1->code, "FRDELI") == 0);
	dyad_doc_free(d);
	dyad_model_free(m);
}

static void test_reader(void)
{
	dyad_error err = {0};
	const char data[] = "{\"id\":\"x\",\"text\":\"one\"}\n{bad\n{\"text\":\"two\",\"extra\":1}\n";
	dyad_reader *r = dyad_reader_open_mem(data, sizeof data - 1, "mem.jsonl", DYAD_INPUT_JSONL, &err);
	const dyad_input *in;
	int got = 0, bad = 0, rc;
	long bad_line = 0;
	while ((rc = dyad_reader_next(r, &in, &err)) != 0) {
		if (rc < 0) {
			bad++;
			bad_line = err.line;
		} else {
			got++;
		}
	}
	dyad_reader_close(r);
	CHECK("reader: good records kept around a bad one", got == 2 && bad == 1 && bad_line == 2);
}

static void test_errors(void)
{
	CHECK("strerror: known", strcmp(dyad_strerror(DYAD_E_NOMEM), "out of memory") == 0);
	CHECK("strerror: unknown code", dyad_strerror(-999) != NULL);
	CHECK("version", strcmp(dyad_version(), DYAD_VERSION) == 0);
	dyad_error err = {0};
	CHECK("doc_new without model fails cleanly", dyad_doc_new(NULL, NULL, NULL, &err) == NULL && err.code == DYAD_E_INVALID);
}

int main(void)
{
	test_tokenizer();
	test_norm();
	test_lemmas();
	test_dates();
	test_model();
	test_reader();
	test_errors();
	return failures ? 1 : 0;
}
