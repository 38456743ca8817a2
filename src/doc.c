/* doc.c -- a document's life: copy the input, run the stages in order,
 * hand out what they found. */
#include "internal.h"

#include <stdlib.h>

static char *dup_or_null(arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

dyad_doc *dyad_doc_new(const dyad_model *model, const dyad_input *in, const dyad_options *opts,
                       dyad_error *err)
{
	if (!model || !in || (!in->text && in->text_len)) {
		dyad__set_error(err, DYAD_E_INVALID, NULL, 0, "dyad_doc_new: missing model or input");
		return NULL;
	}
	dyad_doc *d = calloc(1, sizeof *d);
	if (!d) {
		dyad__set_error(err, DYAD_E_NOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	d->model = model;
	if (opts)
		d->opts = *opts;
	d->line = in->line;
	d->text = malloc(in->text_len + 1);
	if (d->text) {
		if (in->text_len)
			memcpy(d->text, in->text, in->text_len);
		d->text[in->text_len] = '\0';
	}
	d->text_len = in->text_len;
	d->id = dup_or_null(&d->a, in->id ? in->id : "doc");
	d->title = dup_or_null(&d->a, in->title);
	d->url = dup_or_null(&d->a, in->url);
	d->meta = dup_or_null(&d->a, in->meta);
	d->source = dup_or_null(&d->a, in->source);
	const char *date = in->date && *in->date ? in->date : d->opts.date;
	if (date && (d->date_num = dyad__parse_date(date, strlen(date))) != 0)
		d->date = arena_strndup(&d->a, date, 10);
	d->opts.date = NULL; /* not owned; only the parsed copy is kept */
	if (!d->text || !d->id) {
		dyad__set_error(err, DYAD_E_NOMEM, NULL, 0, "out of memory");
		dyad_doc_free(d);
		return NULL;
	}
	return d;
}

int dyad_doc_run(dyad_doc *d, unsigned stages)
{
	if (!d)
		return DYAD_E_INVALID;
	/* each stage needs the ones before it, except quotes, which need
	 * actors but not events */
	if (stages & DYAD_STAGE_EVENTS)
		stages |= DYAD_STAGE_ACTORS;
	/* coding inside quotations needs to know who speaks them */
	if ((stages & DYAD_STAGE_EVENTS) && (d->opts.flags & DYAD_QUOTED))
		stages |= DYAD_STAGE_QUOTES;
	if (stages & DYAD_STAGE_QUOTES)
		stages |= DYAD_STAGE_ACTORS;
	if (stages & DYAD_STAGE_ACTORS)
		stages |= DYAD_STAGE_SEGMENT;
	int rc = 0;
	if ((stages & DYAD_STAGE_SEGMENT) && !(d->done & DYAD_STAGE_SEGMENT)) {
		if ((rc = dyad__clean(d)) || (rc = dyad__segment(d)))
			return rc;
		d->done |= DYAD_STAGE_SEGMENT;
	}
	if ((stages & DYAD_STAGE_ACTORS) && !(d->done & DYAD_STAGE_ACTORS)) {
		if ((rc = dyad__actors(d)))
			return rc;
		d->done |= DYAD_STAGE_ACTORS;
	}
	if ((stages & DYAD_STAGE_QUOTES) && !(d->done & DYAD_STAGE_QUOTES)) {
		if ((rc = dyad__quotes(d)))
			return rc;
		d->done |= DYAD_STAGE_QUOTES;
	}
	if ((stages & DYAD_STAGE_EVENTS) && !(d->done & DYAD_STAGE_EVENTS)) {
		if ((rc = dyad__events(d)))
			return rc;
		d->done |= DYAD_STAGE_EVENTS;
	}
	return 0;
}

void dyad_doc_free(dyad_doc *d)
{
	if (!d)
		return;
	free(d->text);
	free(d->paras);
	free(d->cuts);
	free(d->sents);
	free(d->discard);
	free(d->toks);
	free(d->ments);
	free(d->pair);
	free(d->events);
	free(d->quotes);
	arena_free(&d->a);
	free(d);
}

const char *dyad_doc_text(const dyad_doc *d, size_t *len)
{
	if (len)
		*len = d ? d->text_len : 0;
	return d ? d->text : NULL;
}

const char *dyad_doc_id(const dyad_doc *d) { return d ? d->id : NULL; }
const char *dyad_doc_date(const dyad_doc *d) { return d ? d->date : NULL; }
const char *dyad_doc_title(const dyad_doc *d) { return d ? d->title : NULL; }
const char *dyad_doc_url(const dyad_doc *d) { return d ? d->url : NULL; }
const char *dyad_doc_meta(const dyad_doc *d) { return d ? d->meta : NULL; }

#define ACCESSORS(type, name, arr, count)                                         \
	size_t dyad_doc_##name##_count(const dyad_doc *d) { return d ? d->count : 0; } \
	const type *dyad_doc_##name(const dyad_doc *d, size_t i)                       \
	{                                                                              \
		return d && i < d->count ? &d->arr[i] : NULL;                              \
	}

ACCESSORS(dyad_paragraph, paragraph, paras, n_paras)
ACCESSORS(dyad_sentence, sentence, sents, n_sents)
ACCESSORS(dyad_token, token, toks, n_toks)
ACCESSORS(dyad_mention, mention, ments, n_ments)
ACCESSORS(dyad_event, event, events, n_events)
ACCESSORS(dyad_quote, quote, quotes, n_quotes)

const char *dyad_segment_kind_name(int kind)
{
	switch (kind) {
	case DYAD_SEG_BODY: return "body";
	case DYAD_SEG_TITLE: return "title";
	case DYAD_SEG_CAPTION: return "caption";
	case DYAD_SEG_BOILERPLATE: return "boilerplate";
	default: return "unknown";
	}
}

const char *dyad_resolution_name(int how)
{
	static const char *const names[] = {"direct", "title", "surname", "pronoun", "role", "unknown"};
	return how >= 0 && how <= DYAD_RES_UNKNOWN ? names[how] : "unknown";
}
