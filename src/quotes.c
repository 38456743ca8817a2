/* quotes.c -- quotations and who said them.
 *
 * Works on tokens in three passes, each linear in the document:
 *   1. a table of full names by surname ("Okafor" -> "Daniel Okafor");
 *   2. quote spans per paragraph: double and single marks are paired
 *      separately, the outermost spans kept, a mark left open at the end
 *      of a paragraph runs on only if the next paragraph opens with one;
 *   3. paragraph by paragraph in text order: speech cues in each sentence
 *      and their speakers (a pronoun resolves through the mention's
 *      antecedent, else through the speakers seen so far), then each span
 *      is attributed to the cue next to it, to a colon's clause or to the
 *      previous quote, and kept or dropped by the rules in docs/quotes.md.
 *
 * The speech verbs are a static table here (cue_verbs below), not a data
 * file: they are grammar, not knowledge of the world. */
#include "internal.h"

#include <stdlib.h>

/* A cue's verb or phrase. */
enum {
	CUE_WEAK = 1u << 0,     /* counts only next to a quote or before "that" : , */
	CUE_DESCRIBE = 1u << 1, /* "called it", "described as": partial-quote cues */
	CUE_AFTER = 1u << 2,    /* "according to X": the speaker follows */
	CUE_SUBJ = 1u << 3,     /* "in a statement": the speaker is the subject */
	CUE_ANY = 1u << 8       /* set for every cue, so that a plain verb is non-zero */
};

#define MAX_NP 12        /* tokens in a speaker's noun phrase */
#define MAX_CHAIN 32     /* full names kept per surname */
#define RECENT_PARAS 3   /* how far back a pronoun may find its speaker */
#define MAX_SUBJECT 40   /* tokens searched for a sentence's subject */

/* ---- word lists (each sorted; bsearch) ------------------------------ */

typedef struct cue_verb {
	const char *lemma;
	unsigned flags;
} cue_verb;

static const cue_verb cue_verbs[] = {
	{"accuse", CUE_DESCRIBE}, {"acknowledge", 0}, {"add", CUE_WEAK},
	{"admit", 0}, {"advise", CUE_WEAK}, {"affirm", 0}, {"agree", CUE_WEAK},
	{"allege", 0}, {"announce", 0}, {"answer", CUE_WEAK}, {"argue", 0},
	{"ask", CUE_WEAK}, {"assert", 0}, {"assure", CUE_WEAK}, {"blast", CUE_DESCRIBE | CUE_WEAK},
	{"boast", 0}, {"brag", 0}, {"brand", CUE_DESCRIBE}, {"call", CUE_DESCRIBE},
	{"caution", 0}, {"chant", 0}, {"characterise", CUE_DESCRIBE}, {"characterize", CUE_DESCRIBE},
	{"claim", 0}, {"comment", CUE_WEAK}, {"complain", 0}, {"concede", 0},
	{"conclude", CUE_WEAK}, {"condemn", CUE_DESCRIBE}, {"confirm", 0},
	{"contend", 0}, {"continue", CUE_WEAK}, {"counter", CUE_WEAK},
	{"criticise", CUE_DESCRIBE}, {"criticize", CUE_DESCRIBE}, {"cry", CUE_WEAK},
	{"declare", 0}, {"decry", CUE_DESCRIBE}, {"demand", CUE_WEAK},
	{"denounce", CUE_DESCRIBE}, {"deny", 0}, {"deride", CUE_DESCRIBE},
	{"describe", CUE_DESCRIBE}, {"disclose", 0}, {"dismiss", CUE_DESCRIBE | CUE_WEAK},
	{"dub", CUE_DESCRIBE}, {"emphasise", 0}, {"emphasize", 0}, {"exclaim", 0},
	{"explain", CUE_WEAK}, {"hail", CUE_DESCRIBE}, {"hint", CUE_WEAK},
	{"inform", CUE_WEAK}, {"insist", 0}, {"joke", 0}, {"label", CUE_DESCRIBE},
	{"lament", 0}, {"maintain", CUE_WEAK}, {"mention", CUE_WEAK}, {"mock", CUE_DESCRIBE},
	{"muse", 0}, {"note", CUE_WEAK}, {"observe", CUE_WEAK}, {"plead", 0},
	{"pledge", 0}, {"point", CUE_WEAK}, {"post", CUE_WEAK}, {"praise", CUE_DESCRIBE},
	{"predict", 0}, {"proclaim", 0}, {"promise", 0}, {"protest", CUE_WEAK},
	{"question", CUE_WEAK}, {"quip", 0}, {"recall", CUE_WEAK}, {"recount", 0},
	{"refer", CUE_DESCRIBE | CUE_WEAK}, {"reiterate", 0}, {"remark", 0},
	{"repeat", CUE_WEAK}, {"reply", 0}, {"report", CUE_WEAK}, {"respond", 0},
	{"retort", 0}, {"reveal", CUE_WEAK}, {"ridicule", CUE_DESCRIBE}, {"say", 0},
	{"scoff", 0}, {"shout", 0}, {"signal", CUE_WEAK}, {"slam", CUE_DESCRIBE},
	{"speak", CUE_WEAK}, {"state", CUE_WEAK}, {"stress", 0}, {"suggest", CUE_WEAK},
	{"swear", CUE_WEAK}, {"tell", 0}, {"term", CUE_DESCRIBE}, {"testify", 0},
	{"threaten", 0}, {"tout", CUE_DESCRIBE}, {"tweet", 0}, {"underline", CUE_WEAK},
	{"urge", 0}, {"vow", 0}, {"warn", 0}, {"welcome", CUE_DESCRIBE | CUE_WEAK},
	{"whisper", 0}, {"wonder", CUE_WEAK}, {"write", CUE_WEAK}, {"yell", 0},
};

/* Irregular forms of the verbs above, as form/lemma pairs. */
static const char *const irregular[][2] = {
	{"pled", "plead"}, {"said", "say"}, {"spoke", "speak"}, {"spoken", "speak"},
	{"swore", "swear"}, {"sworn", "swear"}, {"told", "tell"}, {"written", "write"},
	{"wrote", "write"},
};

/* Titles and occupations before a name, stripped from the speaker. */
static const char *const titles[] = {
	"activist", "adm", "admiral", "adviser", "advisor", "aide", "ambassador", "analyst",
	"archbishop", "attaché", "attorney", "auditor", "author", "ayatollah", "baron",
	"baroness", "bishop", "brig", "brigadier", "capt", "captain", "cardinal", "ceo", "chair",
	"chairman", "chairperson", "chairwoman", "chancellor", "chef", "chief", "cmdr", "coach",
	"col", "colonel", "commander", "commentator", "commissioner", "congressman",
	"congresswoman", "constable", "consul", "correspondent", "councillor", "councilman",
	"councilwoman", "counsellor", "counselor", "county", "dame", "dean", "defence", "defense",
	"delegate", "deputy", "detective", "director", "doctor", "dr", "economist", "editor",
	"emir", "engineer", "envoy", "executive", "farmer", "father", "finance", "foreign",
	"founder", "gen", "general", "gov", "governor", "historian", "home", "imam", "inspector",
	"interior", "judge", "justice", "king", "lady", "lawyer", "leader", "lecturer",
	"lieutenant", "lord", "lt", "magistrate", "maj", "major", "manager", "marshal", "mayor",
	"minister", "miss", "mr", "mrs", "ms", "mx", "negotiator", "nurse", "officer", "official",
	"ombudsman", "organiser", "organizer", "owner", "pastor", "physician", "pilot", "pm",
	"pope", "premier", "president", "priest", "prime", "prince", "princess", "prof",
	"professor", "prosecutor", "queen", "rabbi", "rep", "representative", "researcher",
	"resident", "rev", "reverend", "scientist", "sec", "secretary", "sen", "senator",
	"sergeant", "sgt", "sheikh", "sheriff", "sir", "speaker", "spokesman", "spokesperson",
	"spokeswoman", "state", "striker", "student", "sultan", "superintendent", "supervisor",
	"surgeon", "teacher", "treasury", "trustee", "vice", "warden",
};

/* Heads of role phrases that name a person ("a spokesman for ..."). */
static const char *const person_roles[] = {
	"adviser", "advisor", "aide", "candidate", "diplomat", "doctor", "expert", "farmer",
	"father", "host", "journalist", "lawmaker", "man", "mother", "negotiator", "neighbor",
	"neighbour", "nurse", "official", "rescuer", "resident", "source", "student",
	"survivor", "teacher", "witness", "woman", "worker",
};

/* Titles that can only be followed by a name ("Mr Major" is a person). */
static const char *const honorifics[] = {
	"dame", "dr", "lady", "lord", "miss", "mr", "mrs", "ms", "mx", "sir",
};

/* Words that make a capitalised run an organisation or place, not a person. */
static const char *const org_words[] = {
	"administration", "agency", "airlines", "airport", "airways", "alliance", "army",
	"assembly", "association", "authority", "bank", "board", "brigade", "bureau",
	"cabinet", "center", "centre", "channel", "church", "city", "club", "command",
	"commission", "committee", "commons", "company", "conference", "congress",
	"corporation", "corps", "council", "court", "department", "division", "elysee",
	"embassy", "federation", "force", "forces", "foundation", "front", "fund",
	"government", "group", "guard", "hall", "house", "institute", "journal", "kingdom",
	"kremlin", "league", "lords", "media", "ministry", "movement", "nations", "navy",
	"network", "news", "office", "organisation", "organization", "palace", "parliament",
	"party", "pentagon", "police", "post", "press", "province", "radio", "region",
	"republic", "review", "senate", "service", "services", "square", "states", "street",
	"summit", "times", "tribunal", "union", "university", "vatican",
};

/* Capitalised at the start of a sentence, but not names. */
static const char *const initial_stop[] = {
	"a", "about", "according", "after", "against", "all", "also", "although",
	"amid", "among", "an", "analysts", "and", "another", "as", "asked", "at",
	"because", "before", "both", "but", "by", "critics", "despite", "did",
	"do", "does", "during", "each", "earlier", "even", "every", "experts",
	"finally", "first", "following", "for", "from", "he", "her", "here",
	"his", "how", "however", "i", "if", "in", "indeed", "instead", "it", "its",
	"last", "later", "many", "meanwhile", "more", "most", "my", "next", "no",
	"not", "now", "of", "officials", "on", "once", "one", "only", "or",
	"other", "our", "over", "separately", "several", "she", "since", "so",
	"some", "sources", "still", "such", "that", "the", "their", "then",
	"there", "these", "they", "this", "those", "though", "to", "today",
	"under", "unless", "until", "we", "what", "when", "where", "whether",
	"which", "while", "who", "why", "with", "without", "yesterday", "yet",
	"you", "your",
};

/* Never part of a name. */
static const char *const never_name[] = {
	"a", "an", "friday", "i", "monday", "saturday", "sunday", "the", "thursday",
	"tuesday", "wednesday",
};

/* Lower-case words allowed inside a name ("Bashar al-Assad"). */
static const char *const particles[] = {
	"abu", "al", "bin", "da", "de", "del", "der", "di", "du", "el", "ibn", "la",
	"le", "van", "von",
};

static const char *const prepositions[] = {
	"about", "across", "against", "among", "at", "behind", "between", "beyond",
	"by", "for", "from", "in", "inside", "into", "near", "of", "on", "onto",
	"outside", "over", "than", "through", "to", "toward", "towards", "under",
	"via", "with", "within", "without",
};

/* Skipped between a cue and its subject ("he has also said"). */
static const char *const cue_skip[] = {
	"again", "already", "also", "always", "be", "been", "being", "bluntly", "can",
	"could", "did", "do", "does", "earlier", "had", "has", "have", "is", "just",
	"later", "may", "might", "must", "n't", "never", "not", "now", "once", "previously",
	"reportedly", "shall", "should", "simply", "still", "then", "today", "was", "were",
	"will", "would", "yesterday",
};

static const char *const be_forms[] = {
	"are", "be", "been", "being", "is", "was", "were",
};

/* End a speaker's noun phrase. */
static const char *const np_stop[] = {
	"after", "although", "and", "are", "as", "because", "before", "but",
	"can", "could", "did", "does", "during", "had", "has", "have", "how",
	"if", "is", "may", "might", "must", "nor", "once", "or", "shall",
	"should", "since", "so", "that", "though", "unless", "until", "was",
	"were", "what", "when", "where", "whether", "which", "while", "who",
	"whom", "whose", "why", "will", "would",
};

/* After a weak cue, the words that make it speech ("added that"). */
static const char *const weak_next[] = {
	",", ".", ":", ";", "that", "whether",
};

/* Before a cue word, these make it a noun ("a post", "his claim"). */
static const char *const noun_markers[] = {
	"'s", "a", "an", "her", "his", "its", "my", "our", "the", "their", "this",
	"whose", "your",
};

/* Nouns of "in a statement" and kin. */
static const char *const statement_nouns[] = {
	"briefing", "interview", "letter", "message", "post", "remarks", "speech",
	"statement", "tweet", "video",
};

/* Inside a quote, these make it a clause rather than a label. */
static const char *const finite_words[] = {
	"'d", "'ll", "'m", "'re", "'ve", "am", "are", "can", "could", "did",
	"do", "does", "had", "has", "have", "he", "i", "is", "may", "might",
	"must", "n't", "shall", "she", "should", "they", "was", "we", "were",
	"will", "would", "you",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define IN(list, w) in_sorted(list, sizeof list / sizeof list[0], w)

static bool in_sorted(const char *const *list, size_t n, const char *w)
{
	return bsearch(&w, list, n, sizeof *list, cmp_str) != NULL;
}

static int cmp_cue(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, ((const cue_verb *)b)->lemma);
}

static unsigned lemma_flags(const char *lemma)
{
	const cue_verb *v = bsearch(&lemma, cue_verbs, sizeof cue_verbs / sizeof cue_verbs[0],
	                            sizeof cue_verbs[0], cmp_cue);
	return v ? v->flags | CUE_ANY : 0;
}

/* A stem with `ending` appended, looked up; buf has room for 40 bytes. */
static unsigned stem_flags(char *buf, const char *w, size_t stem, const char *ending)
{
	size_t el = strlen(ending);
	if (stem == 0 || stem + el >= 40)
		return 0;
	memcpy(buf, w, stem);
	memcpy(buf + stem, ending, el + 1);
	return lemma_flags(buf);
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && memcmp(w + n - k, suffix, k) == 0;
}

/* The cue flags of a normalised word in any inflection (CUE_ANY set),
 * or 0 when it is no speech verb. */
static unsigned verb_cue(const char *w)
{
	size_t n = strlen(w);
	char buf[40];
	if (n < 2 || n > 24)
		return 0;
	for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
		if (strcmp(w, irregular[i][0]) == 0)
			return lemma_flags(irregular[i][1]);
	unsigned f = lemma_flags(w);
	if (!f && (ends_with(w, n, "ies") || ends_with(w, n, "ied")))
		f = stem_flags(buf, w, n - 3, "y");
	if (!f && ends_with(w, n, "es"))
		f = stem_flags(buf, w, n - 2, "");
	if (!f && ends_with(w, n, "s"))
		f = stem_flags(buf, w, n - 1, "");
	for (size_t k = 2; !f && k <= 3; k++) {
		if (!ends_with(w, n, k == 2 ? "ed" : "ing"))
			continue;
		f = stem_flags(buf, w, n - k, "");
		if (!f)
			f = stem_flags(buf, w, n - k, "e");
		if (!f && n - k >= 3 && w[n - k - 1] == w[n - k - 2]) /* admitted */
			f = stem_flags(buf, w, n - k - 1, "");
	}
	return f;
}

/* ---- the pass state ------------------------------------------------- */

typedef struct speaker {
	const char *name;  /* in the doc arena; NULL = none */
	const char *actor;
	size_t mention;
	bool person;
	char gender; /* 'm', 'f' (from "Mr", "Ms", "he", "she") or 0 */
	bool role;   /* a description ("a spokesman for ..."), not a name */
} speaker;

typedef struct cue {
	size_t tok, last; /* its tokens, inclusive */
	speaker who;
} cue;

typedef struct qspan {
	size_t open, close; /* mark tokens; close = NONE when open at the paragraph end */
	size_t first, end;  /* tokens inside */
	size_t para;
	bool runs_on;   /* continues in the next paragraph */
	bool continued; /* continues the previous paragraph's quote */
} qspan;

typedef struct name_entry {
	size_t start, end; /* the full name's bytes */
	size_t tok;        /* where it was seen */
	uint32_t next;     /* next entry for the same surname, index + 1 */
} name_entry;

typedef struct seen {
	speaker who;
	size_t para; /* ordinal among eligible paragraphs */
	bool set;
} seen;

typedef struct quote_ctx {
	dyad_doc *d;
	arena tmp;
	uint8_t *inq;      /* per token: inside a kept quote span (marks included) */
	size_t *ment_at;   /* per token: covering mention, or NULL when none */
	size_t *cue_first; /* per sentence + 1: first cue index */
	size_t *para_first, *para_end; /* token range per paragraph */
	cue *cues;
	size_t n_cues, cap_cues;
	qspan *spans;
	size_t n_spans, cap_spans;
	qspan *dq, *sq; /* per-paragraph scratch: double and single spans */
	size_t n_dq, cap_dq, n_sq, cap_sq;
	strmap surnames; /* surname -> index + 1 of the newest entry */
	strmap midcaps;  /* words written capitalised inside a sentence */
	name_entry *names;
	size_t n_names, cap_names;
	seen last_person, last_other, last_any, last_male, last_female;
	seen para_any;     /* last_any as it was when the paragraph began */
	size_t last_quote; /* index into d->quotes, or NONE */
	size_t sfirst;     /* first token of the sentence being read */
	size_t cur_ord;
	int rc;
} quote_ctx;

static const char *norm(const quote_ctx *c, size_t i) { return c->d->toks[i].norm; }
static unsigned tflags(const quote_ctx *c, size_t i) { return c->d->toks[i].flags; }
static bool is(const quote_ctx *c, size_t i, const char *w) { return strcmp(norm(c, i), w) == 0; }

static bool is_word(const quote_ctx *c, size_t i)
{
	return !(tflags(c, i) & DYAD_TOK_PUNCT) && norm(c, i)[0] != '\'';
}

static bool is_lower_word(const quote_ctx *c, size_t i)
{
	return is_word(c, i) && !(tflags(c, i) & (DYAD_TOK_UPPER | DYAD_TOK_NUMBER));
}

static bool is_pronoun(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	return !strcmp(w, "he") || !strcmp(w, "she") || !strcmp(w, "they") || !strcmp(w, "it");
}

static bool is_possessive_pronoun(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	return !strcmp(w, "his") || !strcmp(w, "her") || !strcmp(w, "their") || !strcmp(w, "its");
}

/* A hyphen written between two tokens without spaces ("al-Assad"). */
static bool is_joiner(const quote_ctx *c, size_t i, size_t hi)
{
	const dyad_token *t = c->d->toks;
	return i > 0 && i < hi && is(c, i, "-") && t[i - 1].end == t[i].start &&
	       t[i].end == t[i + 1].start;
}

static bool is_quote_mark(const quote_ctx *c, size_t i) { return tflags(c, i) & DYAD_TOK_QUOTE; }

static bool is_opener(const quote_ctx *c, size_t i)
{
	return (tflags(c, i) & (DYAD_TOK_QUOTE | DYAD_TOK_OPEN)) == (DYAD_TOK_QUOTE | DYAD_TOK_OPEN);
}

static bool is_end_punct(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	return (tflags(c, i) & DYAD_TOK_PUNCT) &&
	       (!strcmp(w, ".") || !strcmp(w, "!") || !strcmp(w, "?") || !strcmp(w, "..."));
}

/* The sentence holding token i (binary search). */
static size_t sentence_of(const quote_ctx *c, size_t i)
{
	const dyad_doc *d = c->d;
	size_t lo = 0, hi = d->n_sents;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (d->sents[mid].first_token <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t sent_end(const quote_ctx *c, size_t s)
{
	return c->d->sents[s].first_token + c->d->sents[s].n_tokens;
}

static bool eligible(const dyad_doc *d, size_t p)
{
	int k = d->paras[p].kind;
	return k == DYAD_SEG_BODY || (k == DYAD_SEG_CAPTION && (d->opts.flags & DYAD_KEEP_CAPTIONS));
}

/* Copies text[start, end) into the doc arena with runs of white space as
 * one space; a leading "The"/"A"/"An" is lower-cased. */
static const char *copy_text(quote_ctx *c, size_t start, size_t end, bool lower_det)
{
	const char *s = c->d->text;
	char *out = arena_alloc(&c->d->a, end - start + 1);
	if (!out) {
		c->rc = DYAD_E_NOMEM;
		return NULL;
	}
	size_t n = 0;
	for (size_t i = start; i < end; i++) {
		char ch = s[i];
		bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
		if (space && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = space ? ' ' : ch;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (lower_det && (!strncmp(out, "The ", 4) || !strncmp(out, "A ", 2) || !strncmp(out, "An ", 3)))
		out[0] = (char)(out[0] + 32);
	return out;
}

/* ---- names ------------------------------------------------------------ */

/* Whether token i can be part of a name. */
static bool name_token(const quote_ctx *c, size_t i)
{
	unsigned f = tflags(c, i);
	if ((f & DYAD_TOK_PUNCT) || !(f & DYAD_TOK_UPPER))
		return false;
	const char *w = norm(c, i);
	if (IN(never_name, w))
		return false;
	bool initial = i == c->sfirst || (i > 0 && is_opener(c, i - 1));
	if (initial) {
		size_t n = strlen(w);
		if (IN(initial_stop, w) || ends_with(w, n, "ing") || ends_with(w, n, "ly"))
			return false;
		if (verb_cue(w))
			return false;
		/* "Supporters of the plan": a capital only because it starts the
		 * sentence, unless the word is capitalised elsewhere too */
		bool next_name = i + 1 < c->d->n_toks && (tflags(c, i + 1) & DYAD_TOK_UPPER) &&
		                 !(tflags(c, i + 1) & DYAD_TOK_PUNCT);
		if (!next_name && !strmap_get(&c->midcaps, w, n, 0) &&
		    !strmap_get(&c->surnames, w, n, 0) && (!c->ment_at || c->ment_at[i] == NONE))
			return false;
	}
	return true;
}

/* The last token of the name run starting at i (not beyond hi). */
static size_t run_end(const quote_ctx *c, size_t i, size_t hi)
{
	size_t j = i;
	for (;;) {
		if (j + 1 <= hi && name_token(c, j + 1)) {
			j++;
		} else if (j + 2 <= hi && is_joiner(c, j + 1, hi) && name_token(c, j + 2)) {
			j += 2;
		} else {
			/* particles, possibly chained or hyphenated: "von der", "al-" */
			size_t k = j + 1, n = 0;
			while (k < hi && n < 3 && (IN(particles, norm(c, k)) || is_joiner(c, k, hi))) {
				k++;
				n++;
			}
			if (n == 0 || k > hi || !name_token(c, k) || !IN(particles, norm(c, j + 1)))
				return j;
			j = k;
		}
	}
}

static bool title_word(const quote_ctx *c, size_t i)
{
	char w[32];
	const char *n = norm(c, i);
	size_t len = strlen(n);
	if (len == 0 || len >= sizeof w)
		return false;
	memcpy(w, n, len + 1);
	if (w[len - 1] == '.')
		w[len - 1] = '\0';
	return IN(titles, w);
}

typedef struct name_info {
	size_t first, last; /* the name without titles */
	bool titled, person, role;
} name_info;

/* Splits a run into titles and name, and judges whether it is a person. */
static name_info name_of(const quote_ctx *c, size_t rs, size_t re)
{
	name_info ni = {rs, re, false, false, false};
	size_t last_title = NONE;
	for (size_t k = rs; k < re; k++)
		if (title_word(c, k))
			last_title = k;
	char hon[8] = "";
	const char *w0 = norm(c, rs);
	if (strlen(w0) < sizeof hon)
		memcpy(hon, w0, strlen(w0) + 1);
	if (hon[0] && hon[strlen(hon) - 1] == '.')
		hon[strlen(hon) - 1] = '\0';
	bool honorific = IN(honorifics, hon);
	if (title_word(c, re) && !honorific) {
		ni.role = true; /* "Prime Minister", "the President" */
		return ni;
	}
	if (last_title != NONE) {
		ni.first = last_title + 1;
		ni.titled = true;
	}
	bool org = false, acronym = false;
	for (size_t k = ni.first; k <= ni.last; k++) {
		org |= IN(org_words, norm(c, k));
		acronym |= (tflags(c, k) & DYAD_TOK_CAPS) && strlen(norm(c, k)) >= 2 &&
		           norm(c, k)[1] != '.';
	}
	if (org) {
		ni.first = rs; /* "State Department", "Foreign Office" */
		ni.titled = false;
		return ni;
	}
	size_t ntok = ni.last - ni.first + 1;
	/* one bare word may be a surname ("Ramos") or a country ("China"):
	 * taken as a person unless the actors stage coded it as a country */
	ni.person = !acronym && (ni.titled || ntok <= 5);
	if (ntok == 1 && !ni.titled && c->ment_at && c->ment_at[re] != NONE) {
		const char *code = c->d->ments[c->ment_at[re]].code;
		ni.person = !code || strlen(code) > 3;
	}
	return ni;
}

static int add_full_name(quote_ctx *c, size_t first, size_t last)
{
	const dyad_doc *d = c->d;
	const char *key = norm(c, last);
	uint32_t *slot = strmap_put(&c->surnames, &c->tmp, key, strlen(key), 0);
	if (!slot)
		return DYAD_E_NOMEM;
	size_t start = d->toks[first].start, end = d->toks[last].end, len = 0;
	for (uint32_t e = *slot; e; e = c->names[e - 1].next, len++) {
		const name_entry *ne = &c->names[e - 1];
		if (len >= MAX_CHAIN || (ne->end - ne->start == end - start &&
		                         !memcmp(d->text + ne->start, d->text + start, end - start)))
			return 0;
	}
	if (vec_grow((void **)&c->names, &c->cap_names, c->n_names + 1, sizeof *c->names))
		return DYAD_E_NOMEM;
	c->names[c->n_names++] = (name_entry){start, end, first, *slot};
	*slot = (uint32_t)c->n_names;
	return 0;
}

/* The words written with a capital inside sentences. */
static int collect_midcaps(quote_ctx *c)
{
	const dyad_doc *d = c->d;
	for (size_t s = 0; s < d->n_sents; s++) {
		size_t lo = d->sents[s].first_token, hi = sent_end(c, s);
		for (size_t i = lo + 1; i < hi; i++) {
			if (!(tflags(c, i) & DYAD_TOK_UPPER) || (tflags(c, i) & DYAD_TOK_PUNCT) ||
			    is_opener(c, i - 1))
				continue;
			if (!strmap_put(&c->midcaps, &c->tmp, norm(c, i), strlen(norm(c, i)), 1))
				return DYAD_E_NOMEM;
		}
	}
	return 0;
}

/* Pass 1: every person's full name, by surname. */
static int collect_names(quote_ctx *c)
{
	const dyad_doc *d = c->d;
	if (collect_midcaps(c))
		return DYAD_E_NOMEM;
	for (size_t s = 0; s < d->n_sents; s++) {
		if (d->sents[s].kind == DYAD_SEG_BOILERPLATE)
			continue;
		c->sfirst = d->sents[s].first_token;
		size_t hi = sent_end(c, s) - 1;
		for (size_t i = c->sfirst; i <= hi; i++) {
			if (!name_token(c, i))
				continue;
			size_t re = run_end(c, i, hi);
			name_info ni = name_of(c, i, re);
			if (ni.person && ni.last > ni.first && add_full_name(c, ni.first, ni.last))
				return DYAD_E_NOMEM;
			i = re;
		}
	}
	return 0;
}

/* The fullest name for a one-word name at token `tok`: the newest full
 * name with that surname seen before it, else the first one after. */
static const name_entry *full_name(const quote_ctx *c, size_t surname, size_t tok)
{
	const char *key = norm(c, surname);
	uint32_t e = strmap_get(&c->surnames, key, strlen(key), 0);
	const name_entry *best = NULL, *after = NULL;
	for (; e; e = c->names[e - 1].next) {
		const name_entry *ne = &c->names[e - 1];
		if (ne->tok < tok && (!best || ne->tok > best->tok))
			best = ne;
		else if (ne->tok >= tok && (!after || ne->tok < after->tok))
			after = ne;
	}
	return best ? best : after;
}

/* ---- speakers --------------------------------------------------------- */

static size_t mention_at(const quote_ctx *c, size_t i)
{
	return c->ment_at ? c->ment_at[i] : NONE;
}

/* The gender an honorific at token i gives, or 0. */
static char honorific_gender(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	size_t n = strlen(w);
	if (n && w[n - 1] == '.')
		n--;
	if ((n == 2 && !strncmp(w, "mr", 2)) || (n == 3 && !strncmp(w, "sir", 3)) ||
	    (n == 4 && !strncmp(w, "lord", 4)))
		return 'm';
	if ((n == 2 && !strncmp(w, "ms", 2)) || (n == 3 && !strncmp(w, "mrs", 3)) ||
	    (n == 4 && (!strncmp(w, "miss", 4) || !strncmp(w, "dame", 4) || !strncmp(w, "lady", 4))))
		return 'f';
	return 0;
}

/* The speaker a name run names. */
static speaker run_speaker(quote_ctx *c, size_t rs, size_t re)
{
	const dyad_doc *d = c->d;
	name_info ni = name_of(c, rs, re);
	speaker sp = {NULL, NULL, NONE, ni.person, honorific_gender(c, rs), false};
	size_t m = mention_at(c, re);
	if (m != NONE && d->ments[m].how != DYAD_RES_PRONOUN) {
		sp.actor = d->ments[m].code;
		sp.mention = m;
		/* a known actor's name is the dictionary's; an unknown one's is
		 * only the text, titles and all, so ours is better */
		if (d->ments[m].code)
			sp.name = d->ments[m].name;
	}
	if ((!sp.name || !strchr(sp.name, ' ')) && ni.first == ni.last && !ni.role) {
		const name_entry *ne = full_name(c, ni.last, rs);
		if (ne) {
			sp.name = copy_text(c, ne->start, ne->end, false);
			sp.person = true;
		}
	}
	if (!sp.name)
		sp.name = copy_text(c, d->toks[ni.role ? rs : ni.first].start, d->toks[ni.last].end,
		                    false);
	return sp;
}

static void remember(quote_ctx *c, speaker who)
{
	if (!who.name)
		return;
	seen s = {who, c->cur_ord, true};
	if (who.person)
		c->last_person = s;
	else
		c->last_other = s;
	if (who.gender == 'm')
		c->last_male = s;
	else if (who.gender == 'f')
		c->last_female = s;
	c->last_any = s;
}

static bool recent(const quote_ctx *c, const seen *s)
{
	return s->set && s->para + RECENT_PARAS >= c->cur_ord;
}

static bool subject_position(const quote_ctx *c, size_t lo, size_t k);
static speaker subject_before(quote_ctx *c, size_t lo, size_t i, size_t hi);

/* Whether mention a is a sentence's subject (as speakers are), rather than
 * an object ("met Mr Okafor"). */
static bool subject_mention(const quote_ctx *c, size_t a)
{
	const dyad_mention *am = &c->d->ments[a];
	if (am->sentence >= c->d->n_sents)
		return false;
	return subject_position(c, c->d->sents[am->sentence].first_token, am->first_token);
}

/* Whether mention a names someone ("Daniel Okafor"), rather than a role
 * ("the Prime Minister", "a spokesman") that the speaker history, which
 * keeps the name given in apposition, describes better. */
static bool mention_named(const quote_ctx *c, size_t a)
{
	const dyad_mention *am = &c->d->ments[a];
	for (size_t k = am->first_token; k < am->first_token + am->n_tokens; k++)
		if ((tflags(c, k) & DYAD_TOK_UPPER) && !(tflags(c, k) & DYAD_TOK_PUNCT) &&
		    !title_word(c, k) && !IN(never_name, norm(c, k)))
			return true;
	return false;
}

/* Who a pronoun at token i means: its mention's antecedent when that is a
 * subject or no one spoke lately, else the newest fitting speaker. */
static speaker pronoun_speaker(quote_ctx *c, size_t i)
{
	const dyad_doc *d = c->d;
	speaker sp = {NULL, NULL, NONE, false, 0, false};
	size_t m = mention_at(c, i);
	const char *w = norm(c, i);
	char g = (!strcmp(w, "he") || !strcmp(w, "his")) ? 'm'
	         : (!strcmp(w, "she") || !strcmp(w, "her")) ? 'f' : 0;
	bool personal = g != 0;
	const seen *s = personal ? &c->last_person
	                         : (recent(c, &c->last_other) ? &c->last_other : &c->last_any);
	if (personal && s->who.gender && s->who.gender != g)
		s = g == 'm' ? &c->last_male : &c->last_female;
	if (!strcmp(w, "it") || !strcmp(w, "its"))
		s = &c->last_other;
	if (m != NONE && d->ments[m].how == DYAD_RES_PRONOUN) {
		size_t a = d->ments[m].antecedent;
		for (int hop = 0; a != NONE && a < d->n_ments && hop < 8 &&
		                  d->ments[a].how == DYAD_RES_PRONOUN; hop++)
			a = d->ments[a].antecedent;
		/* the subject of a speech verb refers back to a speaker or to a
		 * sentence's subject, not to an object ("met Mr Okafor") */
		bool use = a != NONE && a < d->n_ments &&
		           (!recent(c, s) || (subject_mention(c, a) && mention_named(c, a)));
		if (use) {
			const dyad_mention *am = &d->ments[a];
			sp = run_speaker(c, am->first_token, am->first_token + am->n_tokens - 1);
			if (am->name && am->code)
				sp.name = am->name;
			sp.actor = d->ments[m].code ? d->ments[m].code : am->code;
			sp.mention = m;
			sp.person = personal;
			sp.gender = g;
			return sp;
		}
	}
	if (recent(c, s)) {
		sp = s->who;
		if (personal && !sp.gender)
			sp.gender = g;
	} else if (i > c->sfirst && !personal) {
		sp = subject_before(c, c->sfirst, i, i - 1); /* "what it called" */
	}
	return sp;
}

/* A lower-case word that may be a noun: not a preposition, conjunction,
 * auxiliary or speech verb. */
static bool noun_like(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	return is_lower_word(c, i) && !IN(prepositions, w) && !IN(np_stop, w) &&
	       !IN(cue_skip, w) && !verb_cue(w);
}

/* An inflected verb form ("met", "visited", "arrives"). */
static bool inflected_verb(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	const char *lemma = dyad__verb_lemma(w, strlen(w));
	return lemma && strcmp(lemma, w) != 0;
}

/* A speech verb used as one (not "a post", "the so-called"). */
static bool cue_word(const quote_ctx *c, size_t i)
{
	return is_lower_word(c, i) && verb_cue(norm(c, i)) &&
	       !(i > 0 && (IN(noun_markers, norm(c, i - 1)) || is(c, i - 1, "-")));
}

/* Whether the name run [rs, re] inside the phrase [b, e] is its head: not
 * a possessive, not after a preposition, not modifying a noun. */
static bool head_run(const quote_ctx *c, size_t rs, size_t re, size_t b, size_t e, bool in_np)
{
	if (re + 1 <= e) {
		const char *n = norm(c, re + 1);
		if (!strcmp(n, "'s") || !strcmp(n, "'"))
			return false;
		/* in a phrase ending at a cue the next word is a noun ("Kremlin
		 * spokesman"); in a whole sentence it may be the verb ("met") */
		if (noun_like(c, re + 1) && (in_np || !inflected_verb(c, re + 1)))
			return false;
	}
	size_t k = rs; /* "for the Foreign Office" */
	while (k > b && (is(c, k - 1, "the") || is(c, k - 1, "a") || is(c, k - 1, "an")))
		k--;
	return !(k > b && IN(prepositions, norm(c, k - 1)));
}

/* A role phrase names a person when its head (the word before any
 * preposition) is a title or a person noun: "a spokesman for the council". */
static void role_person(const quote_ctx *c, size_t b, size_t e, speaker *sp)
{
	size_t h = e;
	for (size_t k = b + 1; k <= e; k++)
		if (IN(prepositions, norm(c, k))) {
			h = k - 1;
			break;
		}
	const char *w = norm(c, h);
	sp->person = title_word(c, h) || IN(person_roles, w);
	size_t n = strlen(w);
	if (!strcmp(w, "woman") || ends_with(w, n, "woman") || !strcmp(w, "mother"))
		sp->gender = 'f';
	else if (!strcmp(w, "man") || ends_with(w, n, "sman") || !strcmp(w, "chairman") ||
	         !strcmp(w, "father"))
		sp->gender = 'm';
}

/* The mention that gives a role phrase its actor: the first coded one
 * before any preposition ("the Veldorian embassy in Lisk"), else the
 * first coded one ("a spokesman for the United Nations"), else the first. */
static size_t role_mention(const quote_ctx *c, size_t b, size_t e)
{
	size_t first = NONE, coded = NONE;
	bool after_prep = false;
	for (size_t k = b; k <= e; k++) {
		after_prep |= k > b && IN(prepositions, norm(c, k));
		size_t m = mention_at(c, k);
		if (m == NONE)
			continue;
		if (first == NONE)
			first = m;
		if (c->d->ments[m].code && !after_prep)
			return m;
		if (c->d->ments[m].code && coded == NONE)
			coded = m;
	}
	return coded != NONE ? coded : first;
}

/* The speaker a noun phrase [b, e] names; `head_last` when its head is at
 * the end (before a cue), else at the start (after one). */
static speaker np_speaker(quote_ctx *c, size_t b, size_t e, bool head_last)
{
	const dyad_doc *d = c->d;
	speaker none = {NULL, NULL, NONE, false, 0, false};
	if (b > e)
		return none;
	size_t hs = NONE, he = NONE;
	for (size_t k = b; k <= e; k++) {
		if (!name_token(c, k))
			continue;
		size_t re = run_end(c, k, e);
		if (head_run(c, k, re, b, e, true) && (head_last || hs == NONE)) {
			hs = k;
			he = re;
		}
		k = re;
	}
	if (hs != NONE)
		return run_speaker(c, hs, he);
	size_t p = head_last ? e : b;
	if (is_pronoun(c, p))
		return pronoun_speaker(c, p);
	/* a role: "the Veldorian embassy in Lisk", "a spokesman for ..." */
	while (b < e && (tflags(c, b) & DYAD_TOK_UPPER) && IN(initial_stop, norm(c, b)) &&
	       !is(c, b, "the") && !is(c, b, "a") && !is(c, b, "an") && !is_possessive_pronoun(c, b) &&
	       !is(c, b, "our") && !is(c, b, "my") && !is(c, b, "your"))
		b++;
	if (!is_word(c, e) || e - b >= 10)
		return none;
	speaker sp = {copy_text(c, d->toks[b].start, d->toks[e].end, true), NULL, NONE, false, 0, true};
	role_person(c, b, e, &sp);
	sp.mention = role_mention(c, b, e);
	if (sp.mention != NONE)
		sp.actor = d->ments[sp.mention].code;
	return sp;
}

/* A token that ends a noun phrase walking back from a cue. */
static bool np_boundary(const quote_ctx *c, size_t i, size_t hi)
{
	if (c->inq[i])
		return true;
	if (tflags(c, i) & DYAD_TOK_PUNCT)
		return !is_joiner(c, i, hi);
	return is_lower_word(c, i) && (IN(np_stop, norm(c, i)) || cue_word(c, i));
}

/* The noun phrase after token a (inclusive start), for "said X" and
 * "according to X"; returns its speaker. */
static speaker forward_np(quote_ctx *c, size_t a, size_t hi)
{
	speaker none = {NULL, NULL, NONE, false, 0, false};
	if (a > hi)
		return none;
	size_t e = a;
	while (e + 1 <= hi && e + 1 - a < MAX_NP) {
		size_t n = e + 1;
		const char *w = norm(c, n);
		if (np_boundary(c, n, hi) || verb_cue(w) ||
		    (is_lower_word(c, n) && (!strcmp(w, "on") || !strcmp(w, "at") || !strcmp(w, "in"))))
			break;
		e = n;
	}
	if (np_boundary(c, a, hi))
		return none;
	speaker sp = np_speaker(c, a, e, false);
	/* "said Veldoria's foreign minister, Ana Brek": the name in apposition */
	if ((sp.role || !sp.name) && e + 2 <= hi && is(c, e + 1, ",") && name_token(c, e + 2)) {
		size_t re = run_end(c, e + 2, hi);
		if (re == hi || !is_word(c, re + 1)) {
			speaker named = run_speaker(c, e + 2, re);
			if (named.person)
				return named;
		}
	}
	return sp;
}

/* The noun phrase ending at token e, walking back to lo. */
static speaker backward_np(quote_ctx *c, size_t lo, size_t e, size_t hi)
{
	size_t b = e;
	while (b > lo && e - b + 1 < MAX_NP && !np_boundary(c, b - 1, hi))
		b--;
	return np_speaker(c, b, e, true);
}

/* A sentence opening with a role phrase and a verb: "The foreign ministry
 * of Estra summoned ..." gives "the foreign ministry of Estra". */
static speaker role_subject(quote_ctx *c, size_t lo, size_t i)
{
	speaker none = {NULL, NULL, NONE, false, 0, false};
	for (size_t k = lo + 1; k < i && k < lo + MAX_NP; k++) {
		if (np_boundary(c, k, i) && !cue_word(c, k) && !IN(cue_skip, norm(c, k)))
			return none;
		if (is_lower_word(c, k) && (inflected_verb(c, k) || IN(cue_skip, norm(c, k)) ||
		                            cue_word(c, k))) {
			if (!is(c, lo, "the") && !is(c, lo, "a") && !is(c, lo, "an"))
				return none;
			return np_speaker(c, lo, k - 1, true);
		}
	}
	return none;
}

/* Whether token k starts a sentence's subject: only capitalised words,
 * titles and determiners lie between it and the sentence start or a
 * comma ("On Friday, Veldorian President Ana Brek ..."). */
static bool subject_position(const quote_ctx *c, size_t lo, size_t k)
{
	while (k > lo) {
		k--;
		const char *w = norm(c, k);
		if (is(c, k, ",") || c->inq[k])
			return true;
		if (tflags(c, k) & DYAD_TOK_PUNCT)
			return false;
		if (is_lower_word(c, k) && !title_word(c, k) && strcmp(w, "the") && strcmp(w, "a") &&
		    strcmp(w, "an") && strcmp(w, "former"))
			return false;
	}
	return true;
}

/* The subject of a sentence before token i: its first head name or
 * pronoun in subject position. */
static speaker subject_before(quote_ctx *c, size_t lo, size_t i, size_t hi)
{
	if (i > lo + MAX_SUBJECT)
		i = lo + MAX_SUBJECT; /* a subject comes early; keeps cue-dense text linear */
	for (size_t k = lo; k < i; k++) {
		if (c->inq[k])
			continue;
		if (is_possessive_pronoun(c, k) && subject_position(c, lo, k)) {
			/* "Her neighbour, Daud Hamid, ...": the name in apposition */
			for (size_t j = k + 1; j + 1 < i && j <= k + 4; j++)
				if (is(c, j, ",") && name_token(c, j + 1))
					return run_speaker(c, j + 1, run_end(c, j + 1, i - 1));
		}
		if ((is_pronoun(c, k) || is_possessive_pronoun(c, k)) && subject_position(c, lo, k))
			return pronoun_speaker(c, k);
		if (!name_token(c, k))
			continue;
		size_t re = run_end(c, k, i - 1);
		if (head_run(c, k, re, lo, hi, false) && subject_position(c, lo, k))
			return run_speaker(c, k, re);
		k = re;
	}
	return role_subject(c, lo, i);
}

/* ---- cues ------------------------------------------------------------- */

/* Whether a weak cue at i sits right after a quote: “…,” he wrote. */
static bool after_quote(const quote_ctx *c, size_t i, size_t lo)
{
	size_t j = i, n = 0;
	while (j > lo && n < MAX_NP && is_word(c, j - 1) && !c->inq[j - 1]) {
		j--;
		n++;
	}
	if (j > lo && is(c, j - 1, ","))
		j--;
	return j > lo && c->inq[j - 1] && is_quote_mark(c, j - 1);
}

/* The cue at token i of a sentence [lo, hi]: its flags, last token in *last. */
static unsigned cue_at(const quote_ctx *c, size_t i, size_t lo, size_t hi, size_t *last)
{
	const char *w = norm(c, i);
	*last = i;
	if (!is_word(c, i) || ((tflags(c, i) & DYAD_TOK_UPPER) && i != lo))
		return 0;
	if (!strcmp(w, "according") && i < hi && is(c, i + 1, "to")) {
		*last = i + 1;
		return CUE_AFTER | CUE_ANY;
	}
	if (!strcmp(w, "in") && i + 2 <= hi && (is(c, i + 1, "a") || is(c, i + 1, "an") ||
	                                        is_possessive_pronoun(c, i + 1)) &&
	    IN(statement_nouns, norm(c, i + 2))) {
		*last = i + 2;
		return CUE_SUBJ | CUE_WEAK | CUE_ANY;
	}
	unsigned f = verb_cue(w);
	if (!f)
		return 0;
	if (i > lo && (IN(noun_markers, norm(c, i - 1)) || is_joiner(c, i - 1, hi)))
		return 0;
	/* a speech verb with a particle that changes it is not speech:
	 * "call off a strike", "tell apart", "say goodbye" stays */
	if (i < hi && (is(c, i + 1, "off") || is(c, i + 1, "apart") || is(c, i + 1, "up")) &&
	    strncmp(w, "point", 5) != 0)
		return 0;
	if (!strncmp(w, "point", 5)) { /* "pointed out" */
		if (i == hi || !is(c, i + 1, "out"))
			return 0;
		*last = i + 1;
	}
	if (f & CUE_WEAK) {
		size_t n = *last + 1;
		bool ok = n > hi || IN(weak_next, norm(c, n)) || is_quote_mark(c, n) ||
		          after_quote(c, i, lo) ||
		          ((f & CUE_DESCRIBE) && (is(c, n, "as") || is(c, n, "by")));
		if (!ok)
			return 0;
	}
	return f;
}

/* The previous cue of the same sentence that has a speaker. */
static speaker inherit(quote_ctx *c, size_t s, size_t lo, size_t i, size_t hi)
{
	for (size_t k = c->n_cues; k > c->cue_first[s]; k--)
		if (c->cues[k - 1].who.name)
			return c->cues[k - 1].who;
	return subject_before(c, lo, i, hi);
}

/* "Ana Brek, the head of the council, said": the phrase before the
 * comma that opens the appositive ending at `comma`. */
static speaker appositive(quote_ctx *c, size_t s, size_t lo, size_t comma, size_t cue_tok,
                          size_t hi)
{
	size_t k = comma;
	while (k > lo && !is(c, k - 1, ",") && !c->inq[k - 1])
		k--;
	if (k <= lo || c->inq[k - 1]) { /* no earlier comma: "..., said X" */
		speaker sp = forward_np(c, cue_tok + 1, hi);
		return sp.name ? sp : inherit(c, s, lo, cue_tok, hi);
	}
	size_t open = k - 1; /* the first comma */
	if (open + 1 < comma && (tflags(c, open + 1) & DYAD_TOK_UPPER) && name_token(c, open + 1))
		return backward_np(c, open + 1, comma - 1, hi); /* ", Ana Brek, said" */
	if (open > lo)
		return backward_np(c, lo, open - 1, hi);
	return inherit(c, s, lo, cue_tok, hi);
}

/* An adverb between a subject and its verb: "repeatedly", "bluntly". */
static bool adverb(const quote_ctx *c, size_t i)
{
	return is_lower_word(c, i) && ends_with(norm(c, i), strlen(norm(c, i)), "ly");
}

/* Who speaks through the cue at i (last token `last`) of sentence s. */
static speaker cue_speaker(quote_ctx *c, size_t s, size_t i, size_t last, unsigned f)
{
	size_t lo = c->d->sents[s].first_token, hi = sent_end(c, s) - 1;
	if (f & CUE_AFTER)
		return forward_np(c, last + 1, hi);
	if (f & CUE_SUBJ)
		return inherit(c, s, lo, i, hi);
	size_t j = i;
	bool passive = false;
	while (j > lo && (IN(cue_skip, norm(c, j - 1)) || adverb(c, j - 1))) {
		passive |= IN(be_forms, norm(c, j - 1));
		j--;
	}
	if (passive && last < hi && is(c, last + 1, "by"))
		return forward_np(c, last + 2, hi);
	if (j == lo || c->inq[j - 1])
		return forward_np(c, last + 1, hi); /* “…,” said X */
	size_t p = j - 1;
	if (is(c, p, ",")) {
		if (p > lo && c->inq[p - 1])
			return forward_np(c, last + 1, hi);
		if (ends_with(norm(c, i), strlen(norm(c, i)), "ing"))
			return inherit(c, s, lo, i, hi); /* ", adding that" */
		return appositive(c, s, lo, p, i, hi);
	}
	if (np_boundary(c, p, hi))
		return inherit(c, s, lo, i, hi); /* "and said", "to say" */
	return backward_np(c, lo, p, hi);
}

/* Finds the cues of sentence s and their speakers, in order, and
 * remembers each speaker for the pronouns that follow. */
static int sentence_cues(quote_ctx *c, size_t s)
{
	const dyad_sentence *st = &c->d->sents[s];
	size_t lo = st->first_token, hi = lo + st->n_tokens - 1, before = c->n_cues;
	c->sfirst = lo;
	c->cue_first[s] = c->n_cues;
	for (size_t i = lo; i <= hi; i++) {
		size_t last;
		unsigned f;
		if (c->inq[i] || !(f = cue_at(c, i, lo, hi, &last)))
			continue;
		speaker who = cue_speaker(c, s, i, last, f);
		if (c->rc)
			return c->rc;
		if (vec_grow((void **)&c->cues, &c->cap_cues, c->n_cues + 1, sizeof *c->cues))
			return DYAD_E_NOMEM;
		c->cues[c->n_cues++] = (cue){i, last, who};
		remember(c, who);
		i = last;
	}
	c->cue_first[s + 1] = c->n_cues;
	if (c->n_cues == before) { /* no cue: its subject may be a pronoun's antecedent */
		speaker sub = subject_before(c, lo, hi + 1, hi);
		if (sub.person)
			remember(c, sub);
	}
	return c->rc;
}

/* ---- spans ------------------------------------------------------------ */

/* Whether a straight double mark opens: the tokenizer's guess, or no
 * space on either side after a non-word ("—"We", ":"We"). */
static bool double_opens(const quote_ctx *c, size_t i)
{
	const dyad_token *t = &c->d->toks[i];
	if (t->flags & DYAD_TOK_OPEN)
		return true;
	const char *s = c->d->text;
	if (s[t->start] != '"' || t->start == 0 || t->end >= c->d->text_len)
		return false;
	unsigned char prev = (unsigned char)s[t->start - 1], next = (unsigned char)s[t->end];
	bool prev_word = (prev | 0x20) >= 'a' && (prev | 0x20) <= 'z';
	prev_word |= (prev >= '0' && prev <= '9') || strchr(".,;!?", prev) != NULL || prev >= 0x80;
	bool next_word = ((next | 0x20) >= 'a' && (next | 0x20) <= 'z') || next >= 0x80 ||
	                 (next >= '0' && next <= '9');
	return !prev_word && next_word;
}

static bool single_kind(const quote_ctx *c, size_t i) { return is(c, i, "'"); }

/* A closing single mark that is rather a plural possessive ("leaders’ talks"). */
static bool possessive_mark(const quote_ctx *c, size_t i, size_t pe)
{
	const dyad_token *t = &c->d->toks[i];
	if (t->start == 0 || (c->d->text[t->start - 1] | 0x20) != 's')
		return false;
	return i + 1 < pe && is_lower_word(c, i + 1) && !verb_cue(norm(c, i + 1));
}

static int push_span(quote_ctx *c, qspan **v, size_t *n, size_t *cap, qspan q)
{
	if (vec_grow((void **)v, cap, *n + 1, sizeof **v))
		return DYAD_E_NOMEM;
	(*v)[(*n)++] = q;
	return 0;
}

/* Pairs the marks of one kind in paragraph [pf, pe). A second opener
 * while one is open restarts the span (the first was a stray mark). */
static int pair_marks(quote_ctx *c, size_t p, size_t pf, size_t pe, bool single)
{
	qspan **v = single ? &c->sq : &c->dq;
	size_t *n = single ? &c->n_sq : &c->n_dq, *cap = single ? &c->cap_sq : &c->cap_dq;
	size_t open = NONE;
	for (size_t i = pf; i < pe; i++) {
		if (!is_quote_mark(c, i) || single_kind(c, i) != single)
			continue;
		const dyad_token *t = &c->d->toks[i];
		bool opens = single ? (t->flags & DYAD_TOK_OPEN) != 0 : double_opens(c, i);
		bool straight = c->d->text[t->start] == '"';
		if (open != NONE && opens && straight && i + 1 < pe && c->d->toks[i + 1].start > t->end)
			opens = false; /* `"fight "` : a straight mark with a space after closes */
		if (opens) {
			open = i;
		} else if (open != NONE && !(single && possessive_mark(c, i, pe))) {
			if (push_span(c, v, n, cap, (qspan){open, i, open + 1, i, p, false, false}))
				return DYAD_E_NOMEM;
			open = NONE;
		}
	}
	if (open != NONE && open + 1 < pe &&
	    (!single || open == pf || is(c, open - 1, ":") || is(c, open - 1, ",")))
		return push_span(c, v, n, cap, (qspan){open, NONE, open + 1, pe, p, false, false});
	return 0;
}

/* The next eligible paragraph after p that has tokens, or NONE. */
static size_t next_paragraph(const quote_ctx *c, size_t p)
{
	for (size_t q = p + 1; q < c->d->n_paras; q++)
		if (eligible(c->d, q) && c->para_end[q] > c->para_first[q])
			return q;
	return NONE;
}

/* Keeps the outermost spans of the two kinds, in text order. */
static int merge_spans(quote_ctx *c, size_t p, bool continued)
{
	size_t a = 0, b = 0, limit = 0;
	bool any = false;
	while (a < c->n_dq || b < c->n_sq) {
		bool take_d = b >= c->n_sq || (a < c->n_dq && c->dq[a].open < c->sq[b].open);
		qspan q = take_d ? c->dq[a++] : c->sq[b++];
		if (any && q.open <= limit)
			continue; /* nested, or crossing the one kept */
		q.continued = continued && q.open == c->para_first[p];
		if (q.close == NONE) {
			size_t np = next_paragraph(c, p);
			size_t f = np == NONE ? NONE : c->para_first[np];
			q.runs_on = f != NONE && is_quote_mark(c, f) && single_kind(c, f) == single_kind(c, q.open) &&
			            (single_kind(c, f) ? is_opener(c, f) : double_opens(c, f));
		}
		if (push_span(c, &c->spans, &c->n_spans, &c->cap_spans, q))
			return DYAD_E_NOMEM;
		limit = q.close == NONE ? c->para_end[p] : q.close;
		any = true;
		for (size_t k = q.open; k < (q.close == NONE ? q.end : q.close + 1); k++)
			c->inq[k] = 1;
	}
	return 0;
}

/* Pass 2: the quote spans of every eligible paragraph. */
static int find_spans(quote_ctx *c)
{
	bool continued = false;
	for (size_t p = 0; p < c->d->n_paras; p++) {
		size_t pf = c->para_first[p], pe = c->para_end[p];
		if (!eligible(c->d, p) || pe <= pf)
			continue;
		c->n_dq = c->n_sq = 0;
		size_t before = c->n_spans;
		if (pair_marks(c, p, pf, pe, false) || pair_marks(c, p, pf, pe, true) ||
		    merge_spans(c, p, continued))
			return DYAD_E_NOMEM;
		continued = c->n_spans > before && c->spans[c->n_spans - 1].runs_on;
	}
	return 0;
}

/* ---- attribution ------------------------------------------------------ */

typedef struct attribution {
	speaker who;
	dyad_span cue;
	bool continuation;
	bool own_cue; /* a cue in the quote's own sentence */
} attribution;

static dyad_span tok_span(const quote_ctx *c, size_t a, size_t b)
{
	return (dyad_span){c->d->toks[a].start, c->d->toks[b].end};
}

/* Whether the cue at k follows the closing mark at close with only a
 * speaker's name between: “…,” Mr Okafor said. */
static bool adjacent_after(const quote_ctx *c, size_t close, size_t k)
{
	size_t j = close + 1;
	if (j < k && is(c, j, ","))
		j++;
	if (k - j > MAX_NP)
		return false;
	for (; j < k; j++)
		if (!is_word(c, j) && !is_joiner(c, j, k) && !is(c, j, "'s"))
			return false;
	return true;
}

/* The cue of a quote in its own sentences: the one after the closing
 * mark when it is adjacent and the quote stands alone, else the nearest
 * before the opening mark, else any after. Only cues with a speaker. */
static const cue *quote_cue(const quote_ctx *c, const qspan *q, bool left_open)
{
	size_t so = sentence_of(c, q->open);
	size_t sc = q->close == NONE ? NONE : sentence_of(c, q->close);
	const cue *before = NULL, *after = NULL, *adjacent = NULL, *mute = NULL;
	for (size_t k = c->cue_first[so]; k < c->cue_first[so + 1]; k++) {
		if (c->cues[k].tok < q->open && c->cues[k].who.name)
			before = &c->cues[k];
		else if (c->cues[k].tok < q->open && !mute)
			mute = &c->cues[k];
	}
	if (sc != NONE)
		for (size_t k = c->cue_first[sc]; k < c->cue_first[sc + 1] && !after; k++) {
			if (c->cues[k].tok > q->close && c->cues[k].who.name)
				after = &c->cues[k];
			else if (c->cues[k].tok > q->close && adjacent_after(c, q->close, c->cues[k].tok))
				mute = &c->cues[k];
		}
	if (after && adjacent_after(c, q->close, after->tok))
		adjacent = after;
	if (left_open && adjacent)
		return adjacent;
	/* a cue whose speaker is unknown ("he said" with no one before) still
	 * keeps the quote from inheriting someone else's */
	return before ? before : after ? after : mute;
}

/* A quote introduced by a colon with no speech verb ("His answer was
 * blunt: “…”"): the clause's subject, else the newest speaker. */
static attribution colon_attribution(quote_ctx *c, size_t colon)
{
	size_t s = sentence_of(c, colon);
	size_t lo = c->d->sents[s].first_token, hi = sent_end(c, s) - 1;
	attribution at = {{NULL, NULL, NONE, false, 0, false}, tok_span(c, colon, colon), false, true};
	for (size_t k = c->cue_first[s + 1]; k > c->cue_first[s]; k--)
		if (c->cues[k - 1].who.name && c->cues[k - 1].tok < colon) {
			at.who = c->cues[k - 1].who;
			at.cue = tok_span(c, c->cues[k - 1].tok, c->cues[k - 1].last);
			return at;
		}
	c->sfirst = lo;
	at.who = subject_before(c, lo, colon, hi);
	if (!at.who.name && recent(c, &c->para_any))
		at.who = c->para_any.who;
	return at;
}

static size_t prev_paragraph(const quote_ctx *c, size_t p)
{
	while (p-- > 0)
		if (eligible(c->d, p) && c->para_end[p] > c->para_first[p])
			return p;
	return NONE;
}

/* Attribution from outside the quote's sentence: a colon, the previous
 * quote, or the speaker of the previous paragraph. */
static attribution outer_attribution(quote_ctx *c, const qspan *q)
{
	attribution at = {{NULL, NULL, NONE, false, 0, false}, {0, 0}, true, false};
	size_t pf = c->para_first[q->para], pp = prev_paragraph(c, q->para);
	if (q->open > pf && is(c, q->open - 1, ":"))
		return colon_attribution(c, q->open - 1);
	if (q->open == pf && !q->continued && pp != NONE && is(c, c->para_end[pp] - 1, ":"))
		return colon_attribution(c, c->para_end[pp] - 1);
	const dyad_quote *last = c->last_quote == NONE ? NULL : &c->d->quotes[c->last_quote];
	if (last && (q->continued || last->paragraph == q->para ||
	             (q->open == pf && last->paragraph == pp))) {
		at.who = (speaker){last->speaker, last->speaker_actor, last->speaker_mention, false, 0, false};
		at.cue = last->cue;
		return at;
	}
	if (q->open == pf && c->para_any.set && pp != NONE && c->para_any.para + 1 >= c->cur_ord)
		at.who = c->para_any.who;
	at.continuation = at.who.name != NULL;
	return at;
}

/* ---- what counts as a quotation ---------------------------------------- */

typedef struct shape {
	size_t words;
	bool clause;      /* several words with a finite verb or a pronoun */
	bool inner_punct; /* ends with . ! ? , inside the marks */
	bool title;       /* every long word capitalised */
	bool left_open;   /* opens a sentence, or follows , : ; ( – or a cue */
	bool right_closed;/* closes a sentence, or before punctuation or a cue */
	bool own_sentence;
} shape;

static bool personal_pronoun(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	return !strcmp(w, "i") || !strcmp(w, "we") || !strcmp(w, "you") || !strcmp(w, "he") ||
	       !strcmp(w, "she") || !strcmp(w, "they");
}

static bool finite_word(const quote_ctx *c, size_t i)
{
	const char *w = norm(c, i);
	if (!strcmp(w, "'s")) /* "it's", not "Russia's" */
		return i > 0 && (is_pronoun(c, i - 1) || is(c, i - 1, "that") || is(c, i - 1, "there") ||
		                 is(c, i - 1, "what") || is(c, i - 1, "who") || is(c, i - 1, "here"));
	return IN(finite_words, w);
}

static shape quote_shape(const quote_ctx *c, const qspan *q)
{
	shape sh = {0, false, false, true, false, false, false};
	bool finite = false;
	for (size_t k = q->first; k < q->end; k++) {
		if (!is_word(c, k))
			continue;
		sh.words++;
		/* a clause has its verb early; "a betrayal of everything we
		 * stand for" and "proud of what we built" are phrases */
		finite |= sh.words <= 4 && finite_word(c, k) &&
		          (!personal_pronoun(c, k) || sh.words <= 2);
		if (strlen(norm(c, k)) >= 4 && !(tflags(c, k) & DYAD_TOK_UPPER))
			sh.title = false;
	}
	for (size_t k = q->first, w = 0; k < q->end && w <= 4; k++) { /* "it's", "we're" */
		w += is_word(c, k);
		finite |= !is_word(c, k) && !(tflags(c, k) & DYAD_TOK_PUNCT) && finite_word(c, k);
	}
	sh.clause = sh.words >= 4 && finite;
	size_t last = q->end > q->first ? q->end - 1 : q->first;
	while (last > q->first && is_quote_mark(c, last))
		last--;
	sh.inner_punct = is_end_punct(c, last) || is(c, last, ",");
	sh.title &= sh.words > 0 && (tflags(c, q->first) & DYAD_TOK_UPPER);
	size_t so = sentence_of(c, q->open), o = q->open;
	bool at_start = o == c->d->sents[so].first_token || o == c->para_first[q->para];
	sh.left_open = at_start || (o > 0 && (is(c, o - 1, ",") || is(c, o - 1, ":") ||
	                                      is(c, o - 1, ";") || is(c, o - 1, "(") ||
	                                      is(c, o - 1, "-") || is(c, o - 1, "...") ||
	                                      (!c->inq[o - 1] && verb_cue(norm(c, o - 1)))));
	size_t cl = q->close;
	if (cl == NONE || cl + 1 >= c->para_end[q->para]) {
		sh.right_closed = true;
	} else {
		size_t sc = sentence_of(c, cl);
		bool cue_next = false;
		for (size_t k = c->cue_first[sc]; k < c->cue_first[sc + 1]; k++)
			cue_next |= c->cues[k].tok > cl && adjacent_after(c, cl, c->cues[k].tok);
		sh.right_closed = cl + 1 >= sent_end(c, sc) || cue_next ||
		                  ((tflags(c, cl + 1) & DYAD_TOK_PUNCT) && !is_opener(c, cl + 1));
		sh.own_sentence = at_start && (cl + 1 >= sent_end(c, sc) || cue_next ||
		                               is_end_punct(c, cl + 1) || is(c, cl + 1, ","));
	}
	if (cl == NONE)
		sh.own_sentence = at_start;
	return sh;
}

static int add_quote(quote_ctx *c, const qspan *q, const attribution *at, bool partial)
{
	dyad_doc *d = c->d;
	if (vec_grow((void **)&d->quotes, &d->cap_quotes, d->n_quotes + 1, sizeof *d->quotes))
		return DYAD_E_NOMEM;
	size_t last = q->close != NONE ? q->close - 1 : q->end - 1;
	d->quotes[d->n_quotes] = (dyad_quote){
		d->toks[q->first].start, d->toks[last].end, q->para, at->who.name, at->who.actor,
		at->who.mention, at->cue, partial, at->continuation};
	c->last_quote = d->n_quotes++;
	return 0;
}

/* A quote that runs over paragraphs, attributed only in a later piece:
 * the earlier pieces get its speaker. */
static void backfill(quote_ctx *c, const qspan *q, const attribution *at)
{
	dyad_doc *d = c->d;
	const qspan *prev = q;
	size_t k = d->n_quotes;
	while (prev->continued && k > 0 && prev > c->spans && (prev - 1)->runs_on) {
		dyad_quote *dq = &d->quotes[k - 1];
		bool weak = !dq->speaker || dq->cue.start == dq->cue.end; /* guessed from history */
		if (!weak || dq->paragraph != (prev - 1)->para)
			return;
		dq->speaker = at->who.name;
		dq->speaker_actor = at->who.actor;
		dq->speaker_mention = at->who.mention;
		dq->cue = at->cue;
		dq->continuation = true;
		prev--;
		k--;
	}
}

/* Attributes one span and keeps it if it is a quotation. */
static int attribute(quote_ctx *c, const qspan *q)
{
	shape sh = quote_shape(c, q);
	if (sh.words == 0)
		return 0;
	const cue *cu = quote_cue(c, q, sh.left_open);
	attribution at = {{NULL, NULL, NONE, false, 0, false}, {0, 0}, false, false};
	if (cu) {
		at = (attribution){cu->who, tok_span(c, cu->tok, cu->last), false, true};
	} else if (sh.left_open) {
		at = outer_attribution(c, q);
	}
	if (c->rc)
		return c->rc;
	bool standalone = sh.left_open && sh.right_closed;
	bool full = sh.clause || sh.own_sentence || (standalone && sh.inner_punct);
	if (!standalone || !full) {
		if (!at.own_cue || !at.who.name)
			return 0; /* scare quote, label or title */
		if (!full && (sh.words < 2 || sh.title))
			return 0;
	}
	if (cu && q->continued)
		backfill(c, q, &at);
	return add_quote(c, q, &at, !full);
}

/* ---- the stage -------------------------------------------------------- */

static int setup(quote_ctx *c)
{
	dyad_doc *d = c->d;
	size_t nt = d->n_toks ? d->n_toks : 1, np = d->n_paras ? d->n_paras : 1;
	c->inq = calloc(nt, 1);
	c->cue_first = calloc(d->n_sents + 1, sizeof *c->cue_first);
	c->para_first = calloc(np, sizeof *c->para_first);
	c->para_end = calloc(np, sizeof *c->para_end);
	if (!c->inq || !c->cue_first || !c->para_first || !c->para_end)
		return DYAD_E_NOMEM;
	for (size_t s = 0; s < d->n_sents; s++) {
		const dyad_sentence *st = &d->sents[s];
		if (c->para_end[st->paragraph] == 0)
			c->para_first[st->paragraph] = st->first_token;
		c->para_end[st->paragraph] = st->first_token + st->n_tokens;
	}
	if (d->n_ments) {
		c->ment_at = malloc(nt * sizeof *c->ment_at);
		if (!c->ment_at)
			return DYAD_E_NOMEM;
		for (size_t i = 0; i < nt; i++)
			c->ment_at[i] = NONE;
		for (size_t m = 0; m < d->n_ments; m++)
			for (size_t k = 0; k < d->ments[m].n_tokens; k++)
				if (d->ments[m].first_token + k < d->n_toks &&
				    c->ment_at[d->ments[m].first_token + k] == NONE)
					c->ment_at[d->ments[m].first_token + k] = m;
	}
	return 0;
}

static void teardown(quote_ctx *c)
{
	free(c->inq);
	free(c->ment_at);
	free(c->cue_first);
	free(c->para_first);
	free(c->para_end);
	free(c->cues);
	free(c->spans);
	free(c->dq);
	free(c->sq);
	free(c->names);
	strmap_free(&c->surnames);
	strmap_free(&c->midcaps);
	arena_free(&c->tmp);
}

/* Pass 3: cues, then quotes, paragraph by paragraph. */
static int attribute_all(quote_ctx *c)
{
	const dyad_doc *d = c->d;
	size_t s = 0, qi = 0, ord = 0;
	for (size_t p = 0; p < d->n_paras; p++) {
		bool ok = eligible(d, p);
		c->cur_ord = ok ? ++ord : ord;
		c->para_any = c->last_any;
		for (; s < d->n_sents && d->sents[s].paragraph == p; s++) {
			c->cue_first[s] = c->cue_first[s + 1] = c->n_cues;
			if (ok && sentence_cues(c, s))
				return c->rc ? c->rc : DYAD_E_NOMEM;
		}
		for (; qi < c->n_spans && c->spans[qi].para == p; qi++)
			if (attribute(c, &c->spans[qi]))
				return DYAD_E_NOMEM;
	}
	return 0;
}

int dyad__quotes(dyad_doc *d)
{
	quote_ctx c;
	memset(&c, 0, sizeof c);
	c.d = d;
	c.last_quote = NONE;
	d->n_quotes = 0;
	int rc = setup(&c);
	if (!rc && d->n_toks)
		rc = collect_names(&c);
	if (!rc && d->n_toks)
		rc = find_spans(&c);
	if (!rc && d->n_toks)
		rc = attribute_all(&c);
	teardown(&c);
	return rc ? rc : c.rc;
}
