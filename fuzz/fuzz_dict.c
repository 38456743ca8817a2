/* fuzz_dict.c -- fuzz target for the dictionary loaders.
 *
 * Loads the bytes into one empty model as every grammar of every format:
 * dyad's actors/agents/verbs, TABARI's and PETRARCH's actors, agents and
 * verbs (the file name picks the grammar), then frees the model. Built
 * two ways:
 *   clang -fsanitize=fuzzer -DDYAD_LIBFUZZER ...   a libFuzzer binary
 *   cc ... fuzz/replay.c                            replays fuzz/corpus/dict
 */
#include "internal.h"

#include <stdint.h>

int dyad_fuzz_dict(const uint8_t *data, size_t size);

static void ignore(void *ctx, const dyad_error *e)
{
	(void)ctx;
	(void)e;
}

int dyad_fuzz_dict(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"x/actors.txt", "x/agents.txt", "x/verbs.txt",
	                                     "x/unnamed.txt"};
	dyad_model *m = dyad_model_new(DYAD_MODEL_EMPTY, NULL);
	if (!m)
		return 0;
	const char *text = (const char *)data;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (i < 3)
			dyad__load_dyad_file(m, names[i], text, size, ignore, NULL);
		dyad__load_tabari_file(m, names[i], text, size, ignore, NULL);
		dyad__load_petrarch_file(m, names[i], text, size, ignore, NULL);
	}
	dyad_model_free(m);
	return 0;
}

/* Under libFuzzer the entry point; in the replay build a weak one, so that
 * this target and fuzz_read.c can be linked into one replay binary (which
 * calls dyad_fuzz_dict for the "dict" corpus). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#ifndef DYAD_LIBFUZZER
__attribute__((weak))
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return dyad_fuzz_dict(data, size);
}
