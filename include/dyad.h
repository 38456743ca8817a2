/* dyad.h -- the public interface of libdyad.
 *
 * dyad turns raw English news into political event data: actors, CAMEO
 * events and attributed quotations.
 *
 * Two core objects:
 *   dyad_model  the dictionaries (actors, agents, verb patterns, cleaning
 *               rules). Built once with dyad_model_new() and dyad_model_load();
 *               after the last load it is immutable and may be shared by any
 *               number of threads.
 *   dyad_doc    one document and everything found in it. Owned by one
 *               thread at a time.
 *
 * Ownership: every pointer returned by a dyad_*_new/_open function is freed
 * with the matching _free/_close. Pointers returned by accessors
 * (dyad_doc_sentence() and friends) point into the owning object and live
 * as long as it does. Strings returned with a `char **` out-parameter are
 * heap memory freed with dyad_free().
 *
 * Errors: functions return 0 (or a count) on success and a negative
 * DYAD_E_* code on failure; dyad_strerror() names the code. Constructors
 * return NULL and fill a dyad_error. The library never prints, exits or
 * aborts; out of memory is DYAD_E_NOMEM.
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define DYAD_EXPORT __declspec(dllexport)
#else
#define DYAD_EXPORT __attribute__((visibility("default")))
#endif

/* The one place the version is written; the Makefile reads it from here. */
#define DYAD_VERSION "0.1.0"

enum dyad_status {
	DYAD_OK = 0,
	DYAD_E_NOMEM = -1,   /* out of memory */
	DYAD_E_IO = -2,      /* a file could not be opened or read */
	DYAD_E_INVALID = -3, /* an argument is invalid */
	DYAD_E_PARSE = -4,   /* a malformed input record (skipped) */
	DYAD_E_DICT = -5,    /* a malformed dictionary entry (skipped) */
	DYAD_E_FORMAT = -6,  /* an unknown or unsupported format */
	DYAD_E_LIMIT = -7    /* input larger than a documented limit */
};

/* Where and why something failed. `file` and `line` are empty/0 when the
 * error has no position. */
typedef struct dyad_error {
	int code;
	long line;
	char file[256];
	char message[256];
} dyad_error;

/* Receives one problem found while loading a dictionary or reading input.
 * Called zero or more times; the library carries on after each call. */
typedef void (*dyad_diag_fn)(void *ctx, const dyad_error *problem);

DYAD_EXPORT const char *dyad_version(void);
DYAD_EXPORT const char *dyad_strerror(int code);
DYAD_EXPORT void dyad_free(void *ptr);

/* ---- Model ---------------------------------------------------------- */

typedef struct dyad_model dyad_model;

enum dyad_dict_format {
	DYAD_DICT_DYAD = 0,  /* dyad's own text formats (data/README.md) */
	DYAD_DICT_TABARI = 1,
	DYAD_DICT_PETRARCH = 2
};

#define DYAD_MODEL_EMPTY (1u << 0) /* start without the built-in dictionaries */

/* A model with the built-in dictionaries (unless DYAD_MODEL_EMPTY). */
DYAD_EXPORT dyad_model *dyad_model_new(unsigned flags, dyad_error *err);

/* Adds the dictionaries in `path` (a file or a directory) to the model.
 * Every bad line is reported through `diag` (may be NULL) and skipped.
 * Returns the number of problems reported (0 = clean), or a negative code
 * if nothing could be read. Not thread-safe: load everything before the
 * model is shared. */
DYAD_EXPORT int dyad_model_load(dyad_model *model, const char *path, int format,
                                dyad_diag_fn diag, void *ctx);

/* Counts of what the model holds, for reports. */
typedef struct dyad_model_stats {
	size_t actor_phrases;
	size_t agent_phrases;
	size_t verb_patterns;
	size_t clean_rules;
	size_t builtin_problems; /* built-in lines skipped as malformed (0 in a release) */
} dyad_model_stats;
DYAD_EXPORT void dyad_model_get_stats(const dyad_model *model, dyad_model_stats *out);
DYAD_EXPORT void dyad_model_free(dyad_model *model);

/* ---- Input ---------------------------------------------------------- */

enum dyad_input_format {
	DYAD_INPUT_AUTO = 0,
	DYAD_INPUT_TEXT = 1,
	DYAD_INPUT_JSONL = 2,
	DYAD_INPUT_HTML = 3
};

/* One article as a reader delivers it. Strings are NUL-terminated; `text`
 * may contain any bytes (invalid UTF-8 is tolerated downstream). Fields
 * other than text may be NULL. */
typedef struct dyad_input {
	const char *id;
	const char *date;  /* YYYY-MM-DD */
	const char *title;
	const char *url;
	const char *meta;  /* a JSON object of fields carried through, or NULL */
	const char *text;
	size_t text_len;
	const char *source; /* file the article came from */
	long line;          /* its line in that file (JSON lines), else 0 */
} dyad_input;

typedef struct dyad_reader dyad_reader;

/* Opens a file, a directory (read recursively, files in name order) or,
 * for NULL or "-", standard input. */
DYAD_EXPORT dyad_reader *dyad_reader_open(const char *path, int format, dyad_error *err);
/* Reads from memory; `name` is used in ids and messages. */
DYAD_EXPORT dyad_reader *dyad_reader_open_mem(const char *data, size_t len,
                                              const char *name, int format,
                                              dyad_error *err);
/* Returns 1 and sets *doc (valid until the next call) for each article,
 * 0 at the end, or a negative code for a record that had to be skipped --
 * `err` then says where and why, and the next call goes on after it. */
DYAD_EXPORT int dyad_reader_next(dyad_reader *reader, const dyad_input **doc,
                                 dyad_error *err);
DYAD_EXPORT void dyad_reader_close(dyad_reader *reader);

/* ---- Documents ------------------------------------------------------ */

typedef struct dyad_doc dyad_doc;

#define DYAD_KEEP_CAPTIONS (1u << 0) /* code captions as body text */
#define DYAD_HYPOTHETICAL (1u << 1)  /* report modal/conditional events */
#define DYAD_NEGATED (1u << 2)       /* report negated events (flagged) */
#define DYAD_INCOMPLETE (1u << 3)    /* report events lacking source or target */
#define DYAD_QUOTED (1u << 4)        /* also code events inside quotations ("we" = the speaker) */

enum dyad_quad_convention {
	DYAD_QUAD_PHOENIX = 0,
	DYAD_QUAD_GDELT = 1,
	DYAD_QUAD_ICEWS = 2
};

typedef struct dyad_options {
	unsigned flags;
	int quad;          /* enum dyad_quad_convention */
	const char *date;  /* YYYY-MM-DD used when the input has none */
} dyad_options;

enum dyad_stage {
	DYAD_STAGE_SEGMENT = (1u << 0),
	DYAD_STAGE_ACTORS = (1u << 1),
	DYAD_STAGE_EVENTS = (1u << 2),
	DYAD_STAGE_QUOTES = (1u << 3),
	DYAD_STAGE_ALL = 0xfu
};

/* Copies the input; `opts` may be NULL. */
DYAD_EXPORT dyad_doc *dyad_doc_new(const dyad_model *model, const dyad_input *in,
                                   const dyad_options *opts, dyad_error *err);
/* Runs the stages asked for (and those they depend on). */
DYAD_EXPORT int dyad_doc_run(dyad_doc *doc, unsigned stages);
DYAD_EXPORT void dyad_doc_free(dyad_doc *doc);

DYAD_EXPORT const char *dyad_doc_text(const dyad_doc *doc, size_t *len);
DYAD_EXPORT const char *dyad_doc_id(const dyad_doc *doc);
DYAD_EXPORT const char *dyad_doc_date(const dyad_doc *doc); /* may be NULL */
DYAD_EXPORT const char *dyad_doc_title(const dyad_doc *doc); /* may be NULL */
DYAD_EXPORT const char *dyad_doc_url(const dyad_doc *doc);   /* may be NULL */
DYAD_EXPORT const char *dyad_doc_meta(const dyad_doc *doc);  /* JSON object or NULL */

enum dyad_segment_kind {
	DYAD_SEG_BODY = 0,
	DYAD_SEG_TITLE = 1,
	DYAD_SEG_CAPTION = 2,
	DYAD_SEG_BOILERPLATE = 3
};
DYAD_EXPORT const char *dyad_segment_kind_name(int kind);

typedef struct dyad_paragraph {
	size_t start, end; /* byte offsets into dyad_doc_text() */
	int kind;          /* enum dyad_segment_kind */
	const char *rule;  /* the cleaning rule that set the kind ("file:line"), or NULL */
} dyad_paragraph;

typedef struct dyad_sentence {
	size_t start, end;
	size_t paragraph;
	size_t first_token, n_tokens;
	int kind; /* the paragraph's kind */
} dyad_sentence;

#define DYAD_TOK_PUNCT (1u << 0)
#define DYAD_TOK_UPPER (1u << 1) /* starts with a capital */
#define DYAD_TOK_CAPS (1u << 2)  /* all letters capitals */
#define DYAD_TOK_NUMBER (1u << 3)
#define DYAD_TOK_QUOTE (1u << 4) /* a quotation mark */
#define DYAD_TOK_OPEN (1u << 5)  /* opening quote (with DYAD_TOK_QUOTE) */

typedef struct dyad_token {
	size_t start, end;  /* byte offsets into dyad_doc_text() */
	const char *norm;   /* NFC, case-folded, quotes/dashes normalised */
	const char *lemma;  /* verb lemma, or NULL */
	unsigned flags;
} dyad_token;

DYAD_EXPORT size_t dyad_doc_paragraph_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_paragraph *dyad_doc_paragraph(const dyad_doc *doc, size_t i);
DYAD_EXPORT size_t dyad_doc_sentence_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_sentence *dyad_doc_sentence(const dyad_doc *doc, size_t i);
DYAD_EXPORT size_t dyad_doc_token_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_token *dyad_doc_token(const dyad_doc *doc, size_t i);

/* How a mention was tied to its actor. */
enum dyad_resolution {
	DYAD_RES_DIRECT = 0,  /* a dictionary phrase */
	DYAD_RES_TITLE = 1,   /* a title or honorific with a known name */
	DYAD_RES_SURNAME = 2, /* a surname after the full name */
	DYAD_RES_PRONOUN = 3, /* a pronoun to the last fitting actor */
	DYAD_RES_ROLE = 4,    /* a role with a country (compound code) */
	DYAD_RES_UNKNOWN = 5  /* a person or role whose code is unknown */
};
DYAD_EXPORT const char *dyad_resolution_name(int how);

typedef struct dyad_mention {
	size_t start, end;   /* byte offsets */
	size_t sentence;
	size_t first_token, n_tokens;
	const char *code;    /* CAMEO actor code, or NULL when unknown */
	const char *name;    /* the fullest name the document gives, or NULL */
	int how;             /* enum dyad_resolution */
	const char *entry;   /* dictionary entry as "file:line", or NULL */
	size_t antecedent;   /* index of the mention it refers to, or (size_t)-1 */
} dyad_mention;

DYAD_EXPORT size_t dyad_doc_mention_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_mention *dyad_doc_mention(const dyad_doc *doc, size_t i);

#define DYAD_EV_NEGATED (1u << 0)
#define DYAD_EV_HYPOTHETICAL (1u << 1)
#define DYAD_EV_PASSIVE (1u << 2)

typedef struct dyad_span {
	size_t start, end; /* byte offsets; start == end when absent */
} dyad_span;

typedef struct dyad_event {
	size_t sentence;
	const char *source, *target; /* actor codes; NULL when unknown */
	size_t source_mention, target_mention; /* (size_t)-1 when absent */
	const char *code;  /* CAMEO event code */
	const char *root;  /* its two-digit root */
	const char *name;  /* CAMEO label */
	const char *plover;/* PLOVER event type, or NULL */
	int quad;          /* quad class in the chosen convention (0 = neutral) */
	double goldstein;
	dyad_span source_span, target_span, verb_span;
	const char *pattern; /* "file:line" of the pattern */
	unsigned flags;      /* DYAD_EV_* */
} dyad_event;

DYAD_EXPORT size_t dyad_doc_event_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i);

typedef struct dyad_quote {
	size_t start, end;   /* the quoted text, without the marks */
	size_t paragraph;
	const char *speaker; /* fullest name the document gives, or NULL */
	const char *speaker_actor; /* actor code, or NULL */
	size_t speaker_mention;    /* (size_t)-1 when none */
	dyad_span cue;       /* the speech verb or phrase */
	int partial;         /* a short quoted fragment inside a sentence */
	int continuation;    /* attributed from the previous quote */
} dyad_quote;

DYAD_EXPORT size_t dyad_doc_quote_count(const dyad_doc *doc);
DYAD_EXPORT const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i);

/* ---- Output --------------------------------------------------------- */

enum dyad_record_kind {
	DYAD_OUT_SEGMENTS = (1u << 0),
	DYAD_OUT_ACTORS = (1u << 1),
	DYAD_OUT_EVENTS = (1u << 2),
	DYAD_OUT_QUOTES = (1u << 3)
};

/* Appends the document's records of the asked kinds as JSON lines to *buf
 * (which may be NULL, *len 0). Invalid UTF-8 becomes U+FFFD. Free *buf with
 * dyad_free(). */
DYAD_EXPORT int dyad_doc_write_jsonl(const dyad_doc *doc, unsigned kinds, char **buf,
                                     size_t *len, size_t *cap);

/* Appends one record -- `kind` is one DYAD_OUT_* value, `i` the index of
 * the sentence, mention, event or quote -- as a JSON line. */
DYAD_EXPORT int dyad_doc_write_record(const dyad_doc *doc, unsigned kind, size_t i, char **buf,
                                      size_t *len, size_t *cap);

/* ---- CAMEO code table ----------------------------------------------- */

typedef struct dyad_cameo {
	const char *code, *name, *plover;
	double goldstein;
	int quad[3]; /* by enum dyad_quad_convention */
} dyad_cameo;
/* The model's entry for an event code ("046"), or NULL. */
DYAD_EXPORT const dyad_cameo *dyad_cameo_lookup(const dyad_model *model, const char *code);

#ifdef __cplusplus
}
#endif
#endif
