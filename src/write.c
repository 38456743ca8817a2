/* write.c -- JSON-lines records for every stage: one object a line, valid
 * UTF-8 always (invalid bytes become U+FFFD). */
#include "internal.h"

#include <stdio.h>
#include <utf8proc.h>

/* Appends s[0..len) as a JSON string. */
static void json_str(dbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	dbuf_putc(b, '"');
	size_t i = 0, run = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		dbuf_put(b, s + i - run, run);
		run = 0;
		if (c < 0x80) {
			char esc[7] = {'\\', 0};
			switch (c) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\n': esc[1] = 'n'; break;
			case '\t': esc[1] = 't'; break;
			case '\r': esc[1] = 'r'; break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				dbuf_put(b, esc, 6);
				i++;
				continue;
			}
			dbuf_put(b, esc, 2);
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			dbuf_put(b, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			dbuf_put(b, s + i, (size_t)n);
			i += (size_t)n;
		}
	}
	dbuf_put(b, s + i - run, run);
	dbuf_putc(b, '"');
}

/* Keys are our own ASCII names: no escaping needed. */
static void key(dbuf *b, const char *k)
{
	size_t n = strlen(k);
	if (dbuf_reserve(b, n + 4))
		return;
	char *p = b->ptr + b->len;
	p[0] = ',';
	p[1] = '"';
	memcpy(p + 2, k, n);
	p[n + 2] = '"';
	p[n + 3] = ':';
	b->len += n + 4;
	b->ptr[b->len] = '\0';
}

static void kv_str(dbuf *b, const char *k, const char *v)
{
	key(b, k);
	if (v)
		json_str(b, v, strlen(v));
	else
		dbuf_puts(b, "null");
}

static void put_num(dbuf *b, size_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	dbuf_put(b, tmp + n, sizeof tmp - n);
}

static void kv_num(dbuf *b, const char *k, size_t v)
{
	key(b, k);
	put_num(b, v);
}

static void kv_text(dbuf *b, const char *k, const dyad_doc *d, size_t start, size_t end)
{
	key(b, k);
	if (end > start)
		json_str(b, d->text + start, end - start);
	else
		dbuf_puts(b, "null");
}

static void kv_span(dbuf *b, const char *k, dyad_span s)
{
	key(b, k);
	if (s.end > s.start)
		dbuf_printf(b, "[%zu,%zu]", s.start, s.end);
	else
		dbuf_puts(b, "null");
}

static void head(dbuf *b, const char *kind, const dyad_doc *d)
{
	dbuf_puts(b, "{\"kind\":");
	json_str(b, kind, strlen(kind));
	kv_str(b, "doc", d->id);
}

static void write_sentence(dbuf *b, const dyad_doc *d, size_t i)
{
	const dyad_sentence *s = &d->sents[i];
	head(b, "sentence", d);
	kv_num(b, "paragraph", s->paragraph);
	kv_num(b, "sentence", i);
	kv_str(b, "segment", dyad_segment_kind_name(s->kind));
	kv_num(b, "start", s->start);
	kv_num(b, "end", s->end);
	kv_text(b, "text", d, s->start, s->end);
	dbuf_puts(b, "}\n");
}

static void write_mention(dbuf *b, const dyad_doc *d, const dyad_mention *m)
{
	head(b, "actor", d);
	kv_num(b, "sentence", m->sentence);
	kv_text(b, "text", d, m->start, m->end);
	kv_num(b, "start", m->start);
	kv_num(b, "end", m->end);
	kv_str(b, "code", m->code);
	kv_str(b, "name", m->name);
	kv_str(b, "how", dyad_resolution_name(m->how));
	kv_str(b, "entry", m->entry);
	dbuf_puts(b, "}\n");
}

static void write_event(dbuf *b, const dyad_doc *d, const dyad_event *e)
{
	head(b, "event", d);
	kv_str(b, "date", d->date);
	kv_num(b, "sentence", e->sentence);
	const dyad_sentence *s = &d->sents[e->sentence];
	kv_text(b, "sentence_text", d, s->start, s->end);
	kv_str(b, "source", e->source);
	kv_str(b, "target", e->target);
	kv_str(b, "code", e->code);
	kv_str(b, "root", e->root);
	kv_str(b, "name", e->name);
	key(b, "quad");
	dbuf_printf(b, "%d", e->quad);
	key(b, "goldstein");
	dbuf_printf(b, "%.1f", e->goldstein);
	kv_str(b, "plover", e->plover);
	kv_text(b, "source_text", d, e->source_span.start, e->source_span.end);
	kv_text(b, "target_text", d, e->target_span.start, e->target_span.end);
	kv_text(b, "verb_text", d, e->verb_span.start, e->verb_span.end);
	kv_span(b, "source_span", e->source_span);
	kv_span(b, "target_span", e->target_span);
	kv_span(b, "verb_span", e->verb_span);
	kv_str(b, "pattern", e->pattern);
	if (e->flags & DYAD_EV_NEGATED)
		dbuf_puts(b, ",\"negated\":true");
	if (e->flags & DYAD_EV_HYPOTHETICAL)
		dbuf_puts(b, ",\"hypothetical\":true");
	if (e->flags & DYAD_EV_PASSIVE)
		dbuf_puts(b, ",\"passive\":true");
	dbuf_puts(b, "}\n");
}

static void write_quote(dbuf *b, const dyad_doc *d, const dyad_quote *q)
{
	head(b, "quote", d);
	kv_num(b, "paragraph", q->paragraph);
	kv_text(b, "text", d, q->start, q->end);
	kv_num(b, "start", q->start);
	kv_num(b, "end", q->end);
	kv_str(b, "speaker", q->speaker);
	kv_str(b, "speaker_actor", q->speaker_actor);
	kv_text(b, "cue", d, q->cue.start, q->cue.end);
	kv_span(b, "cue_span", q->cue);
	dbuf_puts(b, q->partial ? ",\"partial\":true" : ",\"partial\":false");
	dbuf_puts(b, q->continuation ? ",\"continuation\":true" : ",\"continuation\":false");
	dbuf_puts(b, "}\n");
}

static dbuf buf_open(char **buf, size_t *len, size_t *cap)
{
	/* without a capacity, assume the caller's buffer is exactly full */
	return (dbuf){*buf, *len, cap ? *cap : (*buf ? *len + 1 : 0)};
}

static int buf_close(dbuf *b, char **buf, size_t *len, size_t *cap)
{
	*buf = b->ptr;
	*len = b->len;
	if (cap)
		*cap = b->cap;
	return 0;
}

int dyad_doc_write_record(const dyad_doc *d, unsigned kind, size_t i, char **buf, size_t *len,
                          size_t *cap)
{
	if (!d || !buf || !len)
		return DYAD_E_INVALID;
	dbuf b = buf_open(buf, len, cap);
	switch (kind) {
	case DYAD_OUT_SEGMENTS:
		if (i >= d->n_sents)
			return DYAD_E_INVALID;
		write_sentence(&b, d, i);
		break;
	case DYAD_OUT_ACTORS:
		if (i >= d->n_ments)
			return DYAD_E_INVALID;
		write_mention(&b, d, &d->ments[i]);
		break;
	case DYAD_OUT_EVENTS:
		if (i >= d->n_events)
			return DYAD_E_INVALID;
		write_event(&b, d, &d->events[i]);
		break;
	case DYAD_OUT_QUOTES:
		if (i >= d->n_quotes)
			return DYAD_E_INVALID;
		write_quote(&b, d, &d->quotes[i]);
		break;
	default:
		return DYAD_E_INVALID;
	}
	return buf_close(&b, buf, len, cap);
}

int dyad_doc_write_jsonl(const dyad_doc *d, unsigned kinds, char **buf, size_t *len,
                         size_t *cap)
{
	if (!d || !buf || !len)
		return DYAD_E_INVALID;
	dbuf b = buf_open(buf, len, cap);
	if (kinds & DYAD_OUT_SEGMENTS)
		for (size_t i = 0; i < d->n_sents; i++)
			write_sentence(&b, d, i);
	if (kinds & DYAD_OUT_ACTORS)
		for (size_t i = 0; i < d->n_ments; i++)
			write_mention(&b, d, &d->ments[i]);
	/* events and quotes interleaved in text order, as a reader expects */
	size_t e = 0, q = 0;
	bool we = kinds & DYAD_OUT_EVENTS, wq = kinds & DYAD_OUT_QUOTES;
	while ((we && e < d->n_events) || (wq && q < d->n_quotes)) {
		bool take_event = we && e < d->n_events &&
		                  (!wq || q >= d->n_quotes ||
		                   d->sents[d->events[e].sentence].start <= d->quotes[q].start);
		if (take_event)
			write_event(&b, d, &d->events[e++]);
		else
			write_quote(&b, d, &d->quotes[q++]);
	}
	return buf_close(&b, buf, len, cap);
}
