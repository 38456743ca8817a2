/* fuzz_read.c -- fuzz target for the input reader and the cleaner.
 *
 * Reads the bytes as every input format (auto-detected, JSON lines, HTML,
 * text), drains the reader, and cleans each article with a small rule set
 * that uses every kind of cleaning rule. Built two ways:
 *   clang -fsanitize=fuzzer -DDYAD_LIBFUZZER ...   a libFuzzer binary
 *   cc ... fuzz/replay.c                            replays fuzz/corpus/read
 */
#include "clean.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>

int dyad_fuzz_read(const uint8_t *data, size_t size);

static const char rules[] =
	"boilerplate  contains  your support helps\n"
	"boilerplate  prefix    sign up\n"
	"boilerplate  exact     advertisement\n"
	"boilerplate  suffix    all rights reserved\n"
	"boilerplate  byline\n"
	"hint         contains  donat*\n"
	"hint         contains  read more\n"
	"caption      prefix    open image in gallery\n"
	"caption      credits\n"
	"cut          credits\n"
	"cut          dateline\n"
	"cut          suffix    read more\n"
	"cut          contains  toggle caption\n"
	"credit       inside    copyright\n"
	"credit       tail      photo:\n"
	"agency       Reuters\n"
	"agency       AP\n"
	"agency       Getty Images\n"
	"bogus line that the loader reports\n";

static void ignore(void *ctx, const dyad_error *e)
{
	(void)ctx;
	(void)e;
}

/* Cleans one article the way dyad_doc_run would, without the other stages. */
static void clean_article(const dyad_model *m, const dyad_input *in)
{
	dyad_doc d = {.model = m};
	d.text = malloc(in->text_len + 1);
	if (!d.text)
		return;
	memcpy(d.text, in->text, in->text_len);
	d.text[in->text_len] = '\0';
	d.text_len = in->text_len;
	dyad__clean(&d);
	for (size_t i = 1; i < d.n_cuts; i++)
		if (d.cuts[i].start < d.cuts[i - 1].end)
			abort(); /* cuts must be sorted and disjoint */
	free(d.text);
	free(d.paras);
	free(d.cuts);
	arena_free(&d.a);
}

int dyad_fuzz_read(const uint8_t *data, size_t size)
{
	static dyad_model model;
	static int loaded;
	if (!loaded) {
		dyad__load_clean_rules(&model, "fuzz/rules.txt", rules, sizeof rules - 1, ignore, NULL);
		loaded = 1;
	}
	static const int formats[] = {DYAD_INPUT_AUTO, DYAD_INPUT_JSONL, DYAD_INPUT_HTML,
	                              DYAD_INPUT_TEXT};
	for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
		dyad_error err;
		dyad_reader *r = dyad_reader_open_mem((const char *)data, size, "fuzz", formats[f], &err);
		if (!r)
			continue;
		const dyad_input *in;
		int rc;
		while ((rc = dyad_reader_next(r, &in, &err)) != 0)
			if (rc == 1 && f == 0)
				clean_article(&model, in);
		dyad_reader_close(r);
	}
	return 0;
}

/* Under libFuzzer the entry point; in the replay build a weak one, so that
 * this target and fuzz_dict.c can be linked into one replay binary (which
 * calls dyad_fuzz_read for the "read" corpus). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#ifndef DYAD_LIBFUZZER
__attribute__((weak))
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return dyad_fuzz_read(data, size);
}
