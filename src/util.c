/* util.c -- memory, buffers, hashing, errors and dates shared by all stages. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *dyad_version(void) { return DYAD_VERSION; }

const char *dyad_strerror(int code)
{
	switch (code) {
	case DYAD_OK: return "success";
	case DYAD_E_NOMEM: return "out of memory";
	case DYAD_E_IO: return "cannot read file";
	case DYAD_E_INVALID: return "invalid argument";
	case DYAD_E_PARSE: return "malformed record";
	case DYAD_E_DICT: return "malformed dictionary entry";
	case DYAD_E_FORMAT: return "unknown or unsupported format";
	case DYAD_E_LIMIT: return "input exceeds a limit";
	default: return "unknown error";
	}
}

void dyad_free(void *ptr) { free(ptr); }

int dbuf_reserve(dbuf *b, size_t extra)
{
	if (b->cap - b->len > extra)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= extra) {
		if (cap > SIZE_MAX / 2)
			return DYAD_E_NOMEM;
		cap *= 2;
	}
	char *p = realloc(b->ptr, cap);
	if (!p)
		return DYAD_E_NOMEM;
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int dbuf_put(dbuf *b, const void *data, size_t n)
{
	if (dbuf_reserve(b, n + 1))
		return DYAD_E_NOMEM;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int dbuf_puts(dbuf *b, const char *s) { return dbuf_put(b, s, strlen(s)); }
int dbuf_putc(dbuf *b, char c) { return dbuf_put(b, &c, 1); }

int dbuf_printf(dbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || dbuf_reserve(b, (size_t)n + 1))
		return DYAD_E_NOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void dbuf_free(dbuf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int vec_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return DYAD_E_NOMEM;
		n *= 2;
	}
	void *p = realloc(*ptr, n * elem);
	if (!p)
		return DYAD_E_NOMEM;
	*ptr = p;
	*cap = n;
	return 0;
}

struct arena_chunk {
	arena_chunk *next;
	max_align_t data[];
};

static void *arena_take(arena *a, size_t n, size_t align)
{
	size_t at = (a->used + align - 1) & ~(align - 1);
	if (!a->head || at > a->size || a->size - at < n) {
		size_t size = n > 65536 ? n : 65536;
		arena_chunk *c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
		a->size = size;
		at = 0;
	}
	a->used = at + n;
	return (char *)a->head->data + at;
}

void *arena_alloc(arena *a, size_t n) { return arena_take(a, n ? n : 1, 16); }

/* Bytes with no alignment, for strings. */
char *arena_bytes(arena *a, size_t n) { return arena_take(a, n ? n : 1, 1); }

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_bytes(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void arena_free(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = a->size = 0;
}

/* FNV-1a folded with a final mix; fast enough for token keys. */
uint64_t hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct strmap_slot {
	const char *key; /* NULL = empty */
	uint32_t len;
	uint32_t value;
	uint64_t hash;
};

static int strmap_rehash(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct strmap_slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return DYAD_E_NOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key)
			continue;
		size_t j = s->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

uint32_t *strmap_put(strmap *m, arena *a, const char *key, size_t len, uint32_t dflt)
{
	if ((m->n + 1) * 4 >= m->cap * 3 && strmap_rehash(m))
		return NULL;
	uint64_t h = hash_bytes(key, len, 0);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key) {
		struct strmap_slot *s = &m->slots[j];
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return &s->value;
		j = (j + 1) & (m->cap - 1);
	}
	char *k = arena_strndup(a, key, len);
	if (!k)
		return NULL;
	m->slots[j] = (struct strmap_slot){k, (uint32_t)len, dflt, h};
	m->n++;
	return &m->slots[j].value;
}

uint32_t strmap_get(const strmap *m, const char *key, size_t len, uint32_t missing)
{
	if (!m->cap)
		return missing;
	uint64_t h = hash_bytes(key, len, 0);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key) {
		const struct strmap_slot *s = &m->slots[j];
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s->value;
		j = (j + 1) & (m->cap - 1);
	}
	return missing;
}

void strmap_free(strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}

void dyad__set_error(dyad_error *err, int code, const char *file, long line,
                     const char *fmt, ...)
{
	if (!err)
		return;
	err->code = code;
	err->line = line;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

uint32_t dyad__parse_date(const char *s, size_t len)
{
	int y, mo, d;
	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, 4);
		mo = digits(s + 5, 2);
		d = digits(s + 8, 2);
	} else if (len == 8) {
		y = digits(s, 4);
		mo = digits(s + 4, 2);
		d = digits(s + 6, 2);
	} else {
		return 0;
	}
	if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	return (uint32_t)(y * 10000 + mo * 100 + d);
}
