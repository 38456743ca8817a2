/* lexicon.c -- word lemmas: WordNet's verbs (morphy's rules) and English
 * noun plurals. */
#include "internal.h"

#include <stdlib.h>

#include "wordnet_verbs.inc"

#define N_VERBS (sizeof wn_verbs / sizeof wn_verbs[0])
#define N_EXC (sizeof wn_exc / sizeof wn_exc[0])

static int cmp_key(const char *key, size_t len, const char *word)
{
	int c = strncmp(key, word, len);
	if (c)
		return c;
	return word[len] ? -1 : 0;
}

static const char *find_verb(const char *w, size_t len)
{
	size_t lo = 0, hi = N_VERBS;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_key(w, len, wn_verbs[mid]);
		if (!c)
			return wn_verbs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *find_exception(const char *w, size_t len)
{
	size_t lo = 0, hi = N_EXC;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_key(w, len, wn_exc[mid][0]);
		if (!c)
			return wn_exc[mid][1];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* morphy's detachment rules for verbs, in WordNet's order. */
static const struct {
	const char *suffix, *ending;
} verb_rules[] = {
	{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""},
	{"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
};

const char *dyad__verb_lemma(const char *w, size_t len)
{
	if (len == 0 || len > 40)
		return NULL;
	const char *e = find_exception(w, len);
	if (e)
		return find_verb(e, strlen(e)) ? find_verb(e, strlen(e)) : NULL;
	const char *self = find_verb(w, len);
	if (self)
		return self;
	char buf[48];
	for (size_t i = 0; i < sizeof verb_rules / sizeof verb_rules[0]; i++) {
		size_t sl = strlen(verb_rules[i].suffix), el = strlen(verb_rules[i].ending);
		if (len <= sl + 1 || memcmp(w + len - sl, verb_rules[i].suffix, sl) != 0)
			continue;
		size_t stem = len - sl;
		memcpy(buf, w, stem);
		memcpy(buf + stem, verb_rules[i].ending, el);
		const char *v = find_verb(buf, stem + el);
		if (v)
			return v;
		/* doubled final consonant: "shelled" is in WordNet's list as
		 * "shell", but "planned" -> "plan" needs the undoubling */
		if (el == 0 && stem >= 3 && buf[stem - 1] == buf[stem - 2]) {
			v = find_verb(buf, stem - 1);
			if (v)
				return v;
		}
	}
	return NULL;
}

bool dyad__is_verb(const char *w, size_t len) { return dyad__verb_lemma(w, len) != NULL; }

size_t dyad__noun_singular(const char *w, size_t len, char *out)
{
	memcpy(out, w, len);
	out[len] = '\0';
	if (len < 4 || w[len - 1] != 's' || w[len - 2] == 's' || w[len - 2] == 'u' ||
	    w[len - 2] == 'i')
		return len;
	if (len > 4 && memcmp(w + len - 3, "ies", 3) == 0) {
		memcpy(out + len - 3, "y", 2);
		return len - 2;
	}
	if (len > 4 && (memcmp(w + len - 4, "ches", 4) == 0 || memcmp(w + len - 4, "shes", 4) == 0 ||
	                memcmp(w + len - 3, "xes", 3) == 0 || memcmp(w + len - 4, "sses", 4) == 0)) {
		out[len - 2] = '\0';
		return len - 2;
	}
	out[len - 1] = '\0';
	return len - 1;
}

static void try_form(const char *lemma, const char *form, size_t len,
                     void (*fn)(void *, const char *, size_t), void *ctx)
{
	if (dyad__verb_lemma(form, len) == lemma)
		fn(ctx, form, len);
}

void dyad__verb_forms(const char *lemma_in, void (*fn)(void *ctx, const char *form, size_t len),
                      void *ctx)
{
	size_t n = strlen(lemma_in);
	const char *lemma = find_verb(lemma_in, n);
	if (!lemma || n > 36)
		return;
	fn(ctx, lemma, n);
	static const char *const endings[] = {"s", "es", "ed", "d", "ing"};
	char buf[48];
	char last = lemma[n - 1];
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
		size_t el = strlen(endings[i]);
		memcpy(buf, lemma, n);
		memcpy(buf + n, endings[i], el);
		try_form(lemma, buf, n + el, fn, ctx);
		/* doubled consonant: plan -> planned, planning */
		buf[n] = last;
		memcpy(buf + n + 1, endings[i], el);
		if (strcmp(endings[i], "ed") == 0 || strcmp(endings[i], "ing") == 0)
			try_form(lemma, buf, n + 1 + el, fn, ctx);
	}
	if (last == 'e') { /* make -> making */
		memcpy(buf, lemma, n - 1);
		memcpy(buf + n - 1, "ing", 3);
		try_form(lemma, buf, n + 2, fn, ctx);
	}
	if (last == 'y') { /* deny -> denies, denied */
		memcpy(buf, lemma, n - 1);
		memcpy(buf + n - 1, "ies", 3);
		try_form(lemma, buf, n + 2, fn, ctx);
		memcpy(buf + n - 1, "ied", 3);
		try_form(lemma, buf, n + 2, fn, ctx);
	}
	size_t lo = 0, hi = N_EXC;
	while (lo < hi) { /* first pair whose lemma is >= ours */
		size_t mid = (lo + hi) / 2;
		if (strcmp(wn_exc_by_lemma[mid][1], lemma) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < N_EXC && strcmp(wn_exc_by_lemma[lo][1], lemma) == 0; lo++)
		fn(ctx, wn_exc_by_lemma[lo][0], strlen(wn_exc_by_lemma[lo][0]));
}
