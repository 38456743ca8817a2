/* internal.h -- shared between the stages of libdyad; not installed. */
#ifndef DYAD_INTERNAL_H
#define DYAD_INTERNAL_H

#include "dyad.h"

#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#define NONE ((size_t)-1)

/* ---- util.c: memory ------------------------------------------------- */

/* A growable byte buffer. */
typedef struct dbuf {
	char *ptr;
	size_t len, cap;
} dbuf;

int dbuf_reserve(dbuf *b, size_t extra);
int dbuf_put(dbuf *b, const void *data, size_t n);
int dbuf_puts(dbuf *b, const char *s);
int dbuf_putc(dbuf *b, char c);
int dbuf_printf(dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbuf_free(dbuf *b);

/* Grows *ptr (an array of elem-sized items with capacity *cap) to hold at
 * least `need` items. Returns 0 or DYAD_E_NOMEM. */
int vec_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/* An arena of chunks that never move: strings stored in it stay valid
 * until arena_free. */
typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
	size_t used, size;
} arena;

void *arena_alloc(arena *a, size_t n); /* aligned for any type */
char *arena_bytes(arena *a, size_t n);  /* unaligned, for strings */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void arena_free(arena *a);

/* A hash map from strings to 32-bit values; keys are copied into `a`. */
typedef struct strmap {
	struct strmap_slot *slots;
	size_t n, cap;
} strmap;

uint64_t hash_bytes(const void *data, size_t n, uint64_t seed);
/* Returns a pointer to the value slot for key (inserting `dflt` if absent),
 * or NULL when out of memory. */
uint32_t *strmap_put(strmap *m, arena *a, const char *key, size_t len, uint32_t dflt);
/* Returns the value or `missing`. */
uint32_t strmap_get(const strmap *m, const char *key, size_t len, uint32_t missing);
void strmap_free(strmap *m);

void dyad__set_error(dyad_error *err, int code, const char *file, long line,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Whether w is one of the words of a NULL-terminated list. Lists are
 * short and hot (stop words, prepositions); the first-byte test skips most
 * entries without a call. */
static inline bool word_in(const char *const *list, const char *w)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strcmp(*list, w) == 0)
			return true;
	return false;
}

/* Dates as yyyymmdd integers; 0 = none. Parses "YYYY-MM-DD" (also
 * "YYYYMMDD"); returns 0 when malformed. */
uint32_t dyad__parse_date(const char *s, size_t len);

/* ---- segment.c: tokens ---------------------------------------------- */

/* Normalises one token for matching: invalid UTF-8 to U+FFFD, NFC,
 * case-folded, diacritics stripped, curly quotes and dashes to ASCII.
 * Appends the result (no NUL) to `out`. */
int dyad__norm(const char *s, size_t len, dbuf *out);

typedef struct raw_token {
	size_t start, end;
	unsigned flags; /* DYAD_TOK_* */
} raw_token;

/* Splits `s` into tokens the same way for text and for dictionary phrases,
 * calling `fn` for each; stops early if fn returns non-zero. */
int dyad__tokenize(const char *s, size_t len,
                   int (*fn)(void *ctx, const raw_token *t), void *ctx);

struct dyad_doc;
/* Marks the tokens inside double quotation marks (the marks included);
 * an unclosed quote ends with its paragraph. `quoted` has n_toks items. */
void dyad__mark_quoted(const struct dyad_doc *d, bool *quoted);

/* ---- lexicon.c: lemmas ---------------------------------------------- */

/* The verb lemma for a normalised word form ("imposed" -> "impose"), or
 * NULL. The result is static. */
const char *dyad__verb_lemma(const char *norm, size_t len);
/* Whether `norm` is (an inflection of) a verb in WordNet. */
bool dyad__is_verb(const char *norm, size_t len);
/* Calls fn for each inflected form of a verb lemma (itself included) that
 * WordNet's rules map back to it. */
void dyad__verb_forms(const char *lemma, void (*fn)(void *ctx, const char *form, size_t len),
                      void *ctx);
/* The singular of a plural noun by English rules (may be the word itself);
 * writes into out (size >= len + 1). */
size_t dyad__noun_singular(const char *norm, size_t len, char *out);

/* ---- the model -------------------------------------------------------- */

enum entry_kind { ENTRY_ACTOR = 0, ENTRY_AGENT = 1, ENTRY_STOP = 2, ENTRY_DISCARD = 3 };
enum entry_type {
	TYPE_NONE = 0, TYPE_PERSON, TYPE_COUNTRY, TYPE_IGO, TYPE_NGO, TYPE_GROUP,
	TYPE_PLACE, TYPE_MEDIA, TYPE_COMPANY, TYPE_BODY
};

typedef struct code_range {
	uint32_t from, until; /* yyyymmdd, 0 = open */
	const char *code;     /* in the model arena; "~GOV" for agents */
} code_range;

typedef struct actor_entry {
	const char *name;  /* the first phrase, as written */
	const char *where; /* "file:line" */
	code_range *codes;
	uint32_t n_codes;
	uint8_t kind;   /* enum entry_kind */
	uint8_t style;  /* 0 dyad's own, 1 TABARI, 2 PETRARCH (set by the compat loader) */
	uint8_t type;   /* enum entry_type */
	char gender;    /* 'm', 'f' or 0 */
} actor_entry;

#define TRIE_CAPS_ONLY 1u     /* the text token must be all capitals */
#define TRIE_NEEDS_CAPITAL 2u /* the first text token must start with one */

/* A token-sequence trie over normalised tokens. Node 0 is the root. */
typedef struct phrase_trie {
	strmap edges;       /* key: parent node id (4 bytes) + token text */
	uint32_t *entry;    /* per node: entry index + 1, 0 = none */
	uint8_t *caps_only; /* per node: TRIE_CAPS_ONLY | TRIE_NEEDS_CAPITAL */
	size_t n_nodes, cap_nodes;
} phrase_trie;

/* PE_COMPOUND: TABARI's '%', a compound actor whose members act on each
 * other; PE_SKIP: TABARI's '^', an actor passed over that fills no slot */
enum pat_elem_kind {
	PE_WORD = 0, PE_TARGET = 1, PE_SOURCE = 2, PE_GAP = 3, PE_COMPOUND = 4, PE_SKIP = 5
};
#define PE_COMPOUND PE_COMPOUND
#define PE_SKIP PE_SKIP
/* a TABARI compound actor "[A/B]" keeps both codes; events.c codes one
 * event per code */
#define DYAD_SPLIT_CODES 1
/* TABARI/PETRARCH features of the coder that the compat loader uses when defined:
 * the pattern's and entry's `style`, and `_` joins (pat_elem.adjacent) */
#define DYAD_COMPAT_STYLE 1
#define DYAD_PAT_ADJACENT 1

typedef struct pat_elem {
	uint8_t kind;
	uint16_t n_alts;
	const char **alts; /* every form of every alternative; NULL for slots */
	bool adjacent;     /* compat `_`: right next to its neighbour toward the head */
} pat_elem;

typedef struct verb_pattern {
	const char *code;  /* "046", or NULL for a blocking "---" pattern */
	const char *head;  /* normalised lemma of the head */
	bool noun_head;
	pat_elem *elems;   /* elements after the head */
	uint32_t n_elems;
	const char *where; /* "file:line" */
	const char *text;  /* the pattern as written */
	/* Added for TABARI/PETRARCH patterns (set by the compat loader); zero in dyad's own
	 * files. `pre` holds the elements that stand BEFORE the head, in text
	 * order (pre[n_pre - 1] is the one nearest the verb). `pair_code` is
	 * the paired event of "[032:033]": the same match also codes
	 * target -> source with it; `code` may then be NULL ("[:173]"), and a
	 * pattern is blocking only when both are NULL. */
	pat_elem *pre;
	uint32_t n_pre;
	const char *pair_code;
	uint8_t style; /* 0 dyad's own, 1 TABARI, 2 PETRARCH (set by the compat loader) */
} verb_pattern;

typedef struct clean_rule clean_rule; /* clean.c */

struct dyad_model {
	arena a;
	actor_entry *entries;
	size_t n_entries, cap_entries;
	phrase_trie actors; /* actors, agents and stop phrases */
	size_t n_actor_phrases, n_agent_phrases;
	verb_pattern *patterns;
	size_t n_patterns, cap_patterns;
	strmap pattern_heads; /* head lemma -> index + 1 into heads */
	strmap head_forms;    /* inflected form -> index + 1 into heads */
	struct head_list {
		const char *lemma;
		uint32_t *idx;
		uint32_t n, cap;
	} *heads;
	size_t n_heads, cap_heads;
	clean_rule *clean_rules;
	size_t n_clean_rules, cap_clean_rules;
	size_t builtin_problems; /* bad built-in lines skipped */
	strmap elem_cache;        /* pattern element as written -> index + 1 */
	pat_elem *elem_cached;    /* the expanded elements, shared */
	size_t n_elem_cached, cap_elem_cached;
	dyad_cameo *cameo; /* event code table (data/cameo/codes.txt) */
	size_t n_cameo, cap_cameo;
	strmap cameo_index; /* code -> index + 1 */
	/* room for compat state (TABARI synsets etc.) */
	void *compat;
	void (*compat_free)(void *compat);
};

/* dict.c: dyad's own formats. `kind` picks the grammar from the file name
 * (actors / agents / verbs / clean). Returns the count of problems. */
int dyad__load_dyad_file(dyad_model *m, const char *name, const char *data,
                         size_t len, dyad_diag_fn diag, void *ctx);
/* compat_actors.c, compat_verbs.c: TABARI and PETRARCH dictionaries. */
int dyad__load_tabari_file(dyad_model *m, const char *name, const char *data,
                           size_t len, dyad_diag_fn diag, void *ctx);
int dyad__load_petrarch_file(dyad_model *m, const char *name, const char *data,
                             size_t len, dyad_diag_fn diag, void *ctx);

/* model.c: building blocks the loaders share. Phrase tokens are split with
 * dyad__tokenize and normalised with dyad__norm. Return the entry index or
 * a negative code. */
long dyad__add_entry(dyad_model *m, const actor_entry *e);
int dyad__add_phrase(dyad_model *m, const char *phrase, size_t len, uint32_t entry);
int dyad__add_pattern(dyad_model *m, const verb_pattern *p);
/* Index of the longest phrase starting at token i (up to n tokens), with
 * its length in tokens; -1 if none. `norms`/`flags` describe the tokens. */
long dyad__trie_match(const dyad_model *m, const char *const *norms,
                      const unsigned *flags, size_t n, size_t *len_out);
/* Patterns whose head is `lemma`: array of indices, count in *n. */
const uint32_t *dyad__patterns_for(const dyad_model *m, const char *lemma, size_t *n);
/* The code of entry `e` for the date (yyyymmdd, 0 = unknown), or NULL. */
const char *dyad__entry_code(const actor_entry *e, uint32_t date);

/* ---- the document ---------------------------------------------------- */

struct dyad_doc {
	const dyad_model *model;
	dyad_options opts;
	arena a;
	char *id, *date, *title, *url, *meta, *source;
	long line;
	uint32_t date_num;
	char *text;
	size_t text_len;
	unsigned done; /* stages run */

	dyad_paragraph *paras;
	size_t n_paras, cap_paras;
	dyad_span *cuts; /* spans removed inside paragraphs (credits...) */
	size_t n_cuts, cap_cuts;
	dyad_sentence *sents;
	size_t n_sents, cap_sents;
	uint8_t *discard; /* per sentence: a discard phrase matched (sports...) */
	dyad_token *toks;
	size_t n_toks, cap_toks;
	dyad_mention *ments;
	size_t n_ments, cap_ments;
	size_t *pair; /* per mention: its partner in "both countries", or NONE */
	size_t n_pair; /* entries in pair (all mentions once actors have run) */
	dyad_event *events;
	size_t n_events, cap_events;
	dyad_quote *quotes;
	size_t n_quotes, cap_quotes;
};

/* read.c: one-time set-up of the HTML parser (idempotent). */
void dyad__reader_init(void);

/* The stages, each in its own file; each returns 0 or a negative code. */
int dyad__clean(dyad_doc *d);    /* clean.c: paragraphs, kinds, cuts */
int dyad__segment(dyad_doc *d);  /* segment.c: sentences and tokens */
int dyad__actors(dyad_doc *d);   /* actors.c: mentions */
int dyad__events(dyad_doc *d);   /* events.c: events */
int dyad__quotes(dyad_doc *d);   /* quotes.c: quotations */

/* cameo.c: parses one codes file into the model's table. */
int dyad__load_cameo_file(dyad_model *m, const char *name, const char *data,
                          size_t len, dyad_diag_fn diag, void *ctx);

/* Reports a problem through diag (if any) and returns 1, for counting. */
int dyad__report(dyad_diag_fn diag, void *ctx, int code, const char *file, long line,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
