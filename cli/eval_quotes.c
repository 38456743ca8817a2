/* eval_quotes.c -- `dyad eval` on quotation gold: JSON lines
 * {"id","date","text","quotes":[{"speaker","text","partial"?}]}. A gold
 * quote is found when a quote dyad reports covers the same words (compared
 * without case, spacing or punctuation, at least 80% of the shorter one's
 * characters shared as one run); its speaker is right when the names agree
 * the same way, or one ends with the other ("Mike Waltz" / "Waltz"); a
 * second, strict figure counts only the exact name. */
#include "cli.h"
#include "eval_quotes.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Lower-case letters and digits only. */
static size_t squash(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c >= 0x80)
			out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
	return k;
}

/* Length of the longest common run of a and b (both squashed). */
static size_t common_run(const char *a, size_t na, const char *b, size_t nb)
{
	if (!na || !nb)
		return 0;
	size_t best = 0;
	size_t *prev = calloc(nb + 1, sizeof *prev), *cur = calloc(nb + 1, sizeof *cur);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return 0;
	}
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : 0;
			if (cur[j] > best)
				best = cur[j];
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	free(prev);
	free(cur);
	return best;
}

static bool same_span(const char *gold, const char *found, size_t found_len)
{
	char a[4096], b[4096];
	size_t na = squash(gold, strlen(gold), a, sizeof a);
	size_t nb = squash(found, found_len, b, sizeof b);
	size_t shorter = na < nb ? na : nb, longer = na < nb ? nb : na;
	if (!shorter || shorter * 10 < longer * 6)
		return false;
	return common_run(a, na, b, nb) * 10 >= shorter * 8;
}

/* Exactly the same name, ignoring case, punctuation and a leading article. */
static bool same_speaker_strict(const char *gold, const char *found)
{
	if (!gold || !found)
		return false;
	char a[512], b[512];
	const char *g = gold, *f = found;
	for (int i = 0; i < 2; i++) {
		const char **p = i ? &f : &g;
		if (strncmp(*p, "the ", 4) == 0 || strncmp(*p, "The ", 4) == 0)
			*p += 4;
		else if (strncmp(*p, "a ", 2) == 0 || strncmp(*p, "A ", 2) == 0)
			*p += 2;
	}
	squash(g, strlen(g), a, sizeof a);
	squash(f, strlen(f), b, sizeof b);
	return a[0] && strcmp(a, b) == 0;
}

static bool same_speaker(const char *gold, const char *found)
{
	if (!gold || !found)
		return false;
	char a[512], b[512];
	const char *g = strncmp(gold, "the ", 4) == 0 ? gold + 4 : gold;
	const char *f = strncmp(found, "the ", 4) == 0 ? found + 4 : found;
	size_t na = squash(g, strlen(g), a, sizeof a), nb = squash(f, strlen(f), b, sizeof b);
	if (!na || !nb)
		return false;
	if (na == nb)
		return strcmp(a, b) == 0;
	/* one ends with the other: a surname, or a name without its title */
	const char *lo = na > nb ? a : b, *sh = na > nb ? b : a;
	size_t nl = na > nb ? na : nb, ns = na > nb ? nb : na;
	return ns >= 4 && strcmp(lo + nl - ns, sh) == 0;
}

bool eval_is_quote_gold(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char line[65536];
	bool quotes = false;
	if (fgets(line, sizeof line, f)) {
		cJSON *o = cJSON_Parse(line);
		quotes = o && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "quotes")) &&
		         !cJSON_GetObjectItemCaseSensitive(o, "events");
		cJSON_Delete(o);
	}
	fclose(f);
	return quotes;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void score_doc(quote_score *qs, const dyad_model *m, const cJSON *o, bool verbose)
{
	const char *text = str_of(o, "text");
	const cJSON *gold = cJSON_GetObjectItemCaseSensitive(o, "quotes");
	dyad_input in = {0};
	in.id = str_of(o, "id") ? str_of(o, "id") : "record";
	in.date = str_of(o, "date");
	in.text = text;
	in.text_len = strlen(text);
	dyad_error err = {0};
	dyad_doc *d = dyad_doc_new(m, &in, NULL, &err);
	if (!d || dyad_doc_run(d, DYAD_STAGE_QUOTES) < 0) {
		dyad_doc_free(d);
		return;
	}
	size_t n_found = dyad_doc_quote_count(d), n_gold = (size_t)cJSON_GetArraySize(gold);
	bool *used = calloc(n_found + 1, sizeof *used);
	size_t len;
	const char *dt = dyad_doc_text(d, &len);
	qs->records++;
	qs->gold += (long)n_gold;
	qs->found += (long)n_found;
	const cJSON *g;
	cJSON_ArrayForEach(g, gold)
	{
		const char *gt = str_of(g, "text"), *gs = str_of(g, "speaker");
		if (!gt)
			continue;
		size_t hit = (size_t)-1;
		for (size_t i = 0; i < n_found && hit == (size_t)-1; i++) {
			const dyad_quote *q = dyad_doc_quote(d, i);
			if (!used[i] && same_span(gt, dt + q->start, q->end - q->start))
				hit = i;
		}
		if (hit == (size_t)-1) {
			if (verbose)
				printf("%s  missed  %s | %.70s\n", in.id, gs ? gs : "-", gt);
			continue;
		}
		used[hit] = true;
		qs->spans++;
		const dyad_quote *q = dyad_doc_quote(d, hit);
		if (same_speaker_strict(gs, q->speaker))
			qs->strict++;
		if (same_speaker(gs, q->speaker))
			qs->speakers++;
		else if (verbose)
			printf("%s  speaker  gold %s, found %s | %.50s\n", in.id, gs ? gs : "-",
			       q->speaker ? q->speaker : "-", gt);
	}
	for (size_t i = 0; verbose && i < n_found; i++)
		if (!used[i]) {
			const dyad_quote *q = dyad_doc_quote(d, i);
			printf("%s  extra   %s | %.*s\n", in.id, q->speaker ? q->speaker : "-",
			       (int)((q->end - q->start) > 70 ? 70 : (q->end - q->start)), dt + q->start);
		}
	free(used);
	dyad_doc_free(d);
}

int eval_quotes_file(const char *path, const dyad_model *m, quote_score *qs, bool verbose)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) > 0) {
		n++;
		cJSON *o = cJSON_ParseWithLength(line, (size_t)got);
		if (!o || !str_of(o, "text") ||
		    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "quotes"))) {
			if (got > 1)
				fprintf(stderr, "%s:%ld: not a quote gold record\n", path, n);
		} else {
			score_doc(qs, m, o, verbose);
		}
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
	return 0;
}

void eval_quotes_print(const quote_score *qs)
{
	double p = qs->found ? (double)qs->spans / (double)qs->found : 0;
	double r = qs->gold ? (double)qs->spans / (double)qs->gold : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("quotes  records %ld  gold %ld  found %ld  matched %ld  precision %.3f  recall %.3f  F1 %.3f\n",
	       qs->records, qs->gold, qs->found, qs->spans, p, r, f);
	printf("speakers  right %ld of %ld matched (%.3f); of all gold quotes %.3f\n", qs->speakers,
	       qs->spans, qs->spans ? (double)qs->speakers / (double)qs->spans : 0.0,
	       qs->gold ? (double)qs->speakers / (double)qs->gold : 0.0);
	printf("speakers  exactly the gold name: %ld of %ld matched (%.3f)\n", qs->strict, qs->spans,
	       qs->spans ? (double)qs->strict / (double)qs->spans : 0.0);
}
