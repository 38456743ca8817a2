/* events.c -- the coder: verb patterns over actor mentions, with a shallow
 * clause structure (subject before the verb, object after it or in the
 * pattern's slot; passive voice; participle clauses; coordination;
 * negation and modality). */
#include "internal.h"

#include <stdlib.h>

#define GAP_NEAR 3 /* tokens that may stand between pattern elements */
#define GAP_WIDE 8 /* after "..." */
#define MAX_TARGETS 8

static const char *const prepositions[] = {
	"of", "from", "to", "with", "by", "in", "on", "at", "against", "for", "about", "into",
	"over", "between", "among", "toward", "towards", "under", "after", "before", "during",
	"despite", "without", "through", "across", "including", "like", "than", "as", "upon",
	"onto", "within", "behind", "beyond", "near", "around", NULL
};
static const char *const determiners[] = {
	"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
	"those", "both", "all", "some", "other", "another", NULL
};
static const char *const locatives[] = {
	"in", "at", "near", "inside", "outside", "during", "after", "before", "since",
	"until", "via", "across", "throughout", "around", "by", NULL
};
/* Words that open another clause: no object is looked for past them. */
static const char *const clause_openers[] = {
	"to", "that", "which", "who", "whom", "whose", "when", "while", "because", "if",
	"unless", "although", "though", "whether", "where", "so", "but", NULL
};
static const char *const be_forms[] = {
	"is", "are", "was", "were", "be", "been", "being", "'re", "get", "got", "gets", NULL
};
static const char *const conjunctions[] = {"and", "or", "but", "nor", NULL};

/* Whether a token is an inflected verb that heads a clause ("urged",
 * "says"): a past or present form, not a base form or participle in -ing. */
static bool finite_verb(const dyad_token *t)
{
	size_t len = strlen(t->norm);
	const char *lemma = dyad__verb_lemma(t->norm, len);
	return lemma && strcmp(lemma, t->norm) != 0 &&
	       !(len > 3 && strcmp(t->norm + len - 3, "ing") == 0);
}

/* Verbs that take a clause ("said X did"), not an object. */
static const char *const clause_verbs[] = {
	"say", "tell", "claim", "report", "announce", "believe", "think", "know", "fear", "hope",
	"warn", "insist", "add", "confirm", "deny", "allege", "argue", "suggest", "note", "state",
	"declare", "show", "reveal", "indicate", "suspect", "expect", "acknowledge", "admit",
	"explain", "write", "tweet", "post", "stress", "reply", "respond", "recall", NULL
};
static const char *const auxiliaries[] = {
	"has", "have", "had", "will", "would", "could", "should", "may", "might", "must", "can",
	"did", "does", "do", "also", "then", "not", "n't", "never", "already", "just", "again",
	NULL
};
static const char *const negations[] = {"not", "n't", "never", "no", "neither", "nor", NULL};
static const char *const modals[] = {"would", "could", "might", "may", "if", "unless",
                                     "'d", "whether", NULL};

/* Tokens across which no pattern, subject or object reaches. */
static bool is_boundary(const dyad_token *t)
{
	if (!(t->flags & DYAD_TOK_PUNCT))
		return false;
	if (t->flags & DYAD_TOK_QUOTE)
		return true;
	const char *n = t->norm;
	return strcmp(n, ".") == 0 || strcmp(n, ";") == 0 || strcmp(n, ":") == 0 ||
	       strcmp(n, "?") == 0 || strcmp(n, "!") == 0 || strcmp(n, "(") == 0 ||
	       strcmp(n, ")") == 0;
}

typedef struct ev_ctx {
	dyad_doc *d;
	size_t *mention_at;  /* per token: mention starting there, or NONE */
	size_t *mention_in;  /* per token: mention covering it, or NONE */
	bool *quoted;        /* per token: inside quotation marks */
	size_t last_head;    /* head of the last event coded in this sentence */
	size_t last_source;  /* and its source mention */
} ev_ctx;

typedef struct match {
	const verb_pattern *p;
	int score;
	size_t end;          /* token after the last matched element */
	size_t targets[MAX_TARGETS], n_targets;
	size_t source;       /* from a $S slot, or NONE */
	size_t skipped;      /* first mention passed over inside the pattern, or NONE */
	size_t start;        /* first token matched (a pre element, or the head) */
	size_t compound[MAX_TARGETS], n_compound; /* a '%' slot's members */
} match;

/* The partner of mention m in "both countries", or NONE. */
static size_t partner(const ev_ctx *c, size_t m)
{
	return m != NONE && m < c->d->n_pair ? c->d->pair[m] : NONE;
}

/* Appends the partners of the mentions in list[0..*n). */
static void add_partners(const ev_ctx *c, size_t *list, size_t *n)
{
	size_t orig = *n;
	for (size_t i = 0; i < orig && *n < MAX_TARGETS; i++) {
		size_t p = partner(c, list[i]);
		if (p != NONE)
			list[(*n)++] = p;
	}
}

/* Mentions joined by "and" or commas after mention m: "the US, the UK,
 * Europe and Ukraine". Appends them to out; returns the token after. */
static size_t coordinated(const ev_ctx *c, size_t m, size_t end, size_t *out, size_t *n)
{
	const dyad_doc *d = c->d;
	size_t pos = d->ments[m].first_token + d->ments[m].n_tokens;
	size_t start_n = *n, kept_pos = pos;
	bool last_and = false;
	while (*n < MAX_TARGETS && pos < end) {
		size_t j = pos;
		bool joined = false, conj = false;
		while (j < end && j - pos < 3 &&
		       (strcmp(d->toks[j].norm, ",") == 0 || strcmp(d->toks[j].norm, "and") == 0 ||
		        strcmp(d->toks[j].norm, "or") == 0 || word_in(determiners, d->toks[j].norm))) {
			if (strcmp(d->toks[j].norm, ",") == 0)
				joined = true;
			if (strcmp(d->toks[j].norm, "and") == 0 || strcmp(d->toks[j].norm, "or") == 0)
				joined = conj = true;
			j++;
		}
		if (!joined || j >= end || c->mention_at[j] == NONE)
			break;
		size_t next = c->mention_at[j];
		out[(*n)++] = next;
		pos = d->ments[next].first_token + d->ments[next].n_tokens;
		last_and = conj;
		if (conj)
			break; /* "A, B and C": the list ends at its conjunction */
	}
	/* commas alone make an apposition, not a list: "talks with Russia,
	 * its neighbour" names one actor */
	if (!last_and) {
		*n = start_n;
		return kept_pos;
	}
	return pos;
}

static bool word_matches(const pat_elem *e, const char *norm)
{
	for (uint16_t a = 0; a < e->n_alts; a++)
		if (strcmp(e->alts[a], norm) == 0)
			return true;
	return false;
}

/* A '%' slot before the verb: the list of mentions that ends with m ("A,
 * B and C"), into out->compound. Returns the list's first token. */
static size_t compound_before(const ev_ctx *c, size_t m, match *out)
{
	const dyad_doc *d = c->d;
	size_t first = m;
	while (first > 0 && d->ments[first - 1].sentence == d->ments[m].sentence) {
		size_t from = d->ments[first - 1].first_token + d->ments[first - 1].n_tokens;
		size_t to = d->ments[first].first_token;
		bool joined = to > from && to - from <= 3;
		for (size_t q = from; joined && q < to; q++)
			joined = strcmp(d->toks[q].norm, "and") == 0 || strcmp(d->toks[q].norm, ",") == 0 ||
			         word_in(determiners, d->toks[q].norm);
		if (!joined)
			break;
		first--;
	}
	for (size_t q = first; q <= m && out->n_compound < MAX_TARGETS; q++)
		out->compound[out->n_compound++] = q;
	return d->ments[first].first_token;
}

/* Matches pattern p with its head at token h; returns false if it fails. */
static bool match_pattern(const ev_ctx *c, const verb_pattern *p, size_t start, size_t h,
                          size_t end, bool passive, match *out)
{
	const dyad_doc *d = c->d;
	*out = (match){p, 1, h + 1, {0}, 0, NONE, NONE, h, {0}, 0};
	size_t pos = h + 1, gap = GAP_NEAR;
	for (uint32_t k = 0; k < p->n_elems; k++) {
		const pat_elem *e = &p->elems[k];
		if (e->kind == PE_GAP) {
			gap = GAP_WIDE;
			continue;
		}
		/* passive voice: the object slot is the clause's subject, and the
		 * agent stands after "by" ("was accused by X of ...") */
		if (passive && e->kind == PE_TARGET && k == 0)
			continue;
		if (passive && pos + 1 < end && strcmp(d->toks[pos].norm, "by") == 0) {
			size_t j = pos + 1;
			while (j < end && word_in(determiners, d->toks[j].norm))
				j++;
			if (j < end && c->mention_at[j] != NONE) {
				out->source = c->mention_at[j];
				pos = d->ments[out->source].first_token + d->ments[out->source].n_tokens;
			}
		}
		size_t j = pos, found = NONE;
		bool violent = !p->style && p->code && strncmp(p->code, "17", 2) >= 0;
		if (e->kind == PE_TARGET && violent)
			gap = GAP_WIDE; /* "several towns in southern Lebanon" */
		if (e->adjacent) /* TABARI/PETRARCH `_`: nothing stands between */
			gap = 0;
		for (; j < end && j <= pos + gap; j++) {
			/* a pattern's words stand in one phrase: "the meeting, held
			 * talks with" is not "meeting with" */
			if (is_boundary(&d->toks[j]) || (j > pos && strcmp(d->toks[j].norm, ",") == 0))
				break;
			/* nor into a second verb: "troubled by the arrest and urged
			 * the government" is not "arrest ... the government" */
			if (!p->style && word_in(conjunctions, d->toks[j].norm) && j + 1 < end &&
			    finite_verb(&d->toks[j + 1]))
				break;
			if (e->kind == PE_WORD && word_matches(e, d->toks[j].norm)) {
				found = j;
				break;
			}
			if (e->kind != PE_WORD && c->mention_at[j] != NONE) {
				found = j;
				break;
			}
			/* violence lands on a place: "struck several towns in southern
			 * Lebanon" targets Lebanon (CAMEO codes the location) */
			if (e->kind == PE_TARGET && violent && word_in(locatives, d->toks[j].norm))
				continue;
			/* TABARI/PETRARCH slots take the next actor, whatever stands
			 * between (up to the wide gap) */
			if (p->style && e->kind != PE_WORD) {
				if (j >= pos + GAP_WIDE)
					break;
				continue;
			}
			/* a slot does not reach over a preposition, a new clause or
			 * an unknown name: the pattern writes its prepositions ("tell
			 * $T" is not "told reporters in Berlin") */
			if (e->kind != PE_WORD && (word_in(prepositions, d->toks[j].norm) ||
			                           (word_in(clause_openers, d->toks[j].norm) &&
			                            strcmp(d->toks[j].norm, "that") != 0) ||
			                           (d->toks[j].flags & DYAD_TOK_UPPER)))
				break;
		}
		if (found == NONE)
			return false;
		for (size_t g = pos; g < found && out->skipped == NONE; g++)
			if (c->mention_at[g] != NONE)
				out->skipped = c->mention_at[g];
		if (e->kind == PE_WORD) {
			pos = found + 1;
			out->score += 2;
		} else {
			size_t m = c->mention_at[found];
			if (e->kind == PE_SKIP) {
				pos = d->ments[m].first_token + d->ments[m].n_tokens;
			} else if (e->kind == PE_COMPOUND) {
				pos = d->ments[m].first_token + d->ments[m].n_tokens;
				if (out->n_compound < MAX_TARGETS) {
					out->compound[out->n_compound++] = m;
					pos = coordinated(c, m, end, out->compound, &out->n_compound);
				}
			} else if (e->kind == PE_SOURCE) {
				out->source = m;
				pos = d->ments[m].first_token + d->ments[m].n_tokens;
			} else {
				out->targets[out->n_targets++] = m;
				pos = coordinated(c, m, end, out->targets, &out->n_targets);
			}
			out->score += 1;
		}
		gap = GAP_NEAR;
	}
	out->end = pos;
	/* elements before the head (TABARI/PETRARCH "$ ... *"), nearest first */
	size_t back = h, floor = start;
	for (uint32_t k = p->n_pre; k-- > 0;) {
		const pat_elem *e = &p->pre[k];
		if (e->kind == PE_GAP)
			continue;
		bool wide = k > 0 && p->pre[k - 1].kind == PE_GAP;
		size_t limit = wide ? GAP_WIDE : GAP_NEAR;
		if (e->adjacent)
			limit = 0;
		size_t found = NONE;
		for (size_t j = back; j-- > floor && back - j <= limit + 1;) {
			if (is_boundary(&d->toks[j]))
				break;
			if (e->kind == PE_WORD && word_matches(e, d->toks[j].norm)) {
				found = j;
				break;
			}
			if (e->kind != PE_WORD && c->mention_in[j] != NONE) {
				found = d->ments[c->mention_in[j]].first_token;
				break;
			}
		}
		if (found == NONE)
			return false;
		if (e->kind == PE_WORD) {
			out->score += 2;
		} else {
			size_t m = c->mention_in[found];
			if (e->kind == PE_COMPOUND)
				found = compound_before(c, m, out);
			else if (e->kind == PE_SOURCE)
				out->source = m;
			else if (e->kind == PE_TARGET && out->n_targets < MAX_TARGETS)
				out->targets[out->n_targets++] = m;
			out->score += 1;
		}
		back = found;
	}
	out->start = back;
	return true;
}

/* The token before a mention, skipping determiners. */
static size_t before_mention(const ev_ctx *c, size_t m, size_t floor)
{
	const dyad_doc *d = c->d;
	size_t k = d->ments[m].first_token;
	int modifiers = 0;
	while (k > floor) {
		k--;
		const dyad_token *t = &d->toks[k];
		if (word_in(determiners, t->norm))
			continue;
		/* "in southern Lebanon": a modifier or two before the name */
		if (modifiers < 2 && k > floor && !(t->flags & (DYAD_TOK_PUNCT | DYAD_TOK_UPPER)) &&
		    !word_in(prepositions, t->norm) && !word_in(clause_verbs, t->norm) &&
		    !dyad__verb_lemma(t->norm, strlen(t->norm)) &&
		    word_in(prepositions, d->toks[k - 1].norm)) {
			modifiers++;
			continue;
		}
		return k;
	}
	return NONE;
}

/* Whether mention m stands in an apposition to an earlier one, between
 * commas: "Hezbollah, the group that dominates southern Lebanon, fired". */
static bool in_apposition(const ev_ctx *c, size_t m, size_t floor, size_t h)
{
	const dyad_doc *d = c->d;
	size_t open = NONE;
	for (size_t k = d->ments[m].first_token; k-- > floor;) {
		if (strcmp(d->toks[k].norm, ",") == 0) {
			open = k;
			break;
		}
		if (is_boundary(&d->toks[k]))
			return false;
	}
	if (open == NONE || open == floor || c->mention_in[open - 1] == NONE)
		return false;
	const char *w = d->toks[open + 1].norm;
	if (strcmp(w, "the") != 0 && strcmp(w, "a") != 0 && strcmp(w, "an") != 0)
		return false;
	for (size_t k = d->ments[m].first_token + d->ments[m].n_tokens; k < h; k++)
		if (strcmp(d->toks[k].norm, ",") == 0)
			return true;
	return false;
}

/* Words of quantity, or of a body's members, whose "of" leads to the real
 * subject: "thousands of protesters marched", "the board of the IAEA
 * passed". */
static const char *const quantities[] = {
	"thousands", "hundreds", "dozens", "scores", "millions", "tens", "group", "groups",
	"crowd", "crowds", "some", "many", "most", "all", "several", "number", "majority",
	"one", "two", "three", "four", "five", "few", "members", "none", "each",
	/* "the board of governors of the IAEA", "the leader of Hamas" */
	"board", "governors", "leader", "leaders", "head", "heads", "chief", "council",
	"committee", "delegation", "delegations", "spokesman", "spokeswoman", "spokesperson",
	"envoy", "representatives", "officials", "government", "parliament", "ministers",
	"secretary-general", "president", "army", "forces", "troops", "units", NULL
};

static bool is_prepositional(const ev_ctx *c, size_t m, size_t floor)
{
	size_t k = before_mention(c, m, floor);
	if (k == NONE || !word_in(prepositions, c->d->toks[k].norm))
		return false;
	if (strcmp(c->d->toks[k].norm, "of") == 0 && k > floor &&
	    word_in(quantities, c->d->toks[k - 1].norm))
		return false;
	return true;
}

/* "as Mr Trump hiked", "after China imposed": words that are prepositions
 * or conjunctions; before a subject and its verb they are conjunctions. */
static bool conjunction_before(const ev_ctx *c, size_t m, size_t floor)
{
	static const char *const both[] = {"as", "after", "before", "since", "until", "than",
	                                   "like", NULL};
	size_t k = before_mention(c, m, floor);
	return k != NONE && word_in(both, c->d->toks[k].norm);
}

/* Whether mention m stands right before the verb at h (auxiliaries and
 * adverbs between). */
static bool next_to(const ev_ctx *c, size_t m, size_t h)
{
	const dyad_doc *d = c->d;
	for (size_t k = d->ments[m].first_token + d->ments[m].n_tokens; k < h; k++) {
		const char *w = d->toks[k].norm;
		size_t len = strlen(w);
		if (!word_in(be_forms, w) && !word_in(auxiliaries, w) &&
		    !(len > 2 && strcmp(w + len - 2, "ly") == 0))
			return false;
	}
	return true;
}

/* "the 1960 Indus Waters Treaty": a name we do not know, after "the", is
 * a thing or a body, not an actor a subject could be. */
static bool unknown_thing(const ev_ctx *c, size_t m, size_t floor)
{
	const dyad_doc *d = c->d;
	const dyad_mention *mm = &d->ments[m];
	if (mm->code || mm->how != DYAD_RES_UNKNOWN)
		return false;
	size_t k = mm->first_token;
	for (int steps = 0; k > floor && steps < 2; steps++) {
		k--;
		if (strcmp(d->toks[k].norm, "the") == 0)
			return true;
		if (!(d->toks[k].flags & DYAD_TOK_NUMBER))
			return false;
	}
	return false;
}

/* Whether mention m is the object of a verb before it ("to give
 * Washington access", "to prevent future Russian aggression"), so not the
 * subject of a later one. */
static bool object_of_verb(const ev_ctx *c, size_t m, size_t floor)
{
	const dyad_doc *d = c->d;
	size_t k = before_mention(c, m, floor);
	for (int steps = 0; k != NONE && steps < 3; steps++) {
		const dyad_token *t = &d->toks[k];
		if ((t->flags & (DYAD_TOK_PUNCT | DYAD_TOK_UPPER)) || word_in(prepositions, t->norm) ||
		    word_in(be_forms, t->norm) || word_in(auxiliaries, t->norm))
			return false;
		size_t len = strlen(t->norm);
		const char *lemma = dyad__verb_lemma(t->norm, len);
		/* "said Russian soldiers raped": a verb of saying or thinking
		 * takes a clause, whose subject this is */
		if (lemma && word_in(clause_verbs, lemma))
			return false;
		if (lemma && ((k > floor && strcmp(d->toks[k - 1].norm, "to") == 0) ||
		              (strcmp(lemma, t->norm) != 0 && t->norm[len - 1] != 's')))
			return true;
		if (k == floor)
			return false;
		k--;
	}
	return false;
}

/* The clause start for token h: the sentence start or the last boundary. */
static size_t clause_start(const ev_ctx *c, const dyad_sentence *s, size_t h)
{
	size_t k = h;
	while (k > s->first_token) {
		if (is_boundary(&c->d->toks[k - 1]) && c->quoted[k - 1] == c->quoted[h])
			return k;
		if (c->quoted[k - 1] != c->quoted[h])
			return k;
		k--;
	}
	return s->first_token;
}

static const char *const subordinators[] = {
	"after", "before", "when", "while", "because", "since", "until", "unless", "although",
	"though", "whereas", "once", "whenever", NULL
};

/* The subject of the verb at h: the nearest mention before it that is
 * not a prepositional object; for a participle after a comma, the
 * sentence's main subject. style is the pattern's (0 dyad's own). */
/* "..., Wang Yi, who blamed Washington": the subject of a relative clause
 * is the actor the relative pronoun follows, whatever governs that actor. */
static size_t relative_antecedent(const ev_ctx *c, size_t floor, size_t h)
{
	const dyad_doc *d = c->d;
	size_t k = h;
	while (k > floor && (word_in(auxiliaries, d->toks[k - 1].norm) ||
	                     word_in(be_forms, d->toks[k - 1].norm)))
		k--;
	if (k <= floor || !word_in((const char *const[]){"who", "which", NULL}, d->toks[k - 1].norm))
		return NONE;
	k--;
	if (k > floor && strcmp(d->toks[k - 1].norm, ",") == 0)
		k--;
	return k > floor ? c->mention_in[k - 1] : NONE;
}

static size_t find_subject(const ev_ctx *c, const dyad_sentence *s, size_t h, uint8_t style)
{
	const dyad_doc *d = c->d;
	size_t floor = clause_start(c, s, h);
	const char *hn = d->toks[h].norm;
	size_t hl = strlen(hn);
	bool ing = hl > 4 && strcmp(hn + hl - 3, "ing") == 0;
	/* "Donald Trump suspending military aid" */
	if (ing && h > floor && c->mention_in[h - 1] != NONE)
		return c->mention_in[h - 1];
	bool participle_clause = ing && h > floor && strcmp(d->toks[h - 1].norm, ",") == 0;
	size_t rel = relative_antecedent(c, floor, h);
	if (rel != NONE)
		return rel;
	size_t best = NONE;
	bool comma = false;
	for (size_t k = h; k-- > floor;) {
		/* "... after crowds burned down": a subordinate clause's verb
		 * takes its subject from inside that clause */
		if (strcmp(d->toks[k].norm, ",") == 0)
			comma = true;
		if (!comma && best == NONE && word_in(subordinators, d->toks[k].norm))
			return NONE;
		size_t m = c->mention_in[k];
		if (m == NONE || d->ments[m].first_token != k)
			continue;
		if (is_prepositional(c, m, floor) && !(conjunction_before(c, m, floor) && next_to(c, m, h)))
			continue;
		/* a possessor is not the subject ("Russia's army attacked"), but
		 * TABARI and PETRARCH take it as one ("Ithilen's militia vowed") */
		size_t after = d->ments[m].first_token + d->ments[m].n_tokens;
		if (!style && after < h && strcmp(d->toks[after].norm, "'s") == 0)
			continue;
		if (object_of_verb(c, m, floor) || in_apposition(c, m, floor, h) ||
		    unknown_thing(c, m, floor))
			continue;
		best = m;
		if (!participle_clause)
			break;
	}
	return best;
}

static bool is_passive(const ev_ctx *c, size_t h, size_t floor)
{
	const dyad_doc *d = c->d;
	const char *n = d->toks[h].norm;
	size_t len = strlen(n);
	bool participle = (len > 3 && strcmp(n + len - 2, "ed") == 0) ||
	                  (d->toks[h].lemma && strcmp(d->toks[h].lemma, n) != 0 &&
	                   !(len > 3 && strcmp(n + len - 3, "ing") == 0) && n[len - 1] != 's');
	if (!participle)
		return false;
	for (size_t k = h, steps = 0; k > floor && steps < 3; k--, steps++) {
		const char *w = d->toks[k - 1].norm;
		if (word_in(be_forms, w))
			return true;
		if (d->toks[k - 1].flags & DYAD_TOK_PUNCT)
			return false;
	}
	return false;
}

/* "by X" after the pattern: the agent of a passive verb. */
static size_t passive_agent(const ev_ctx *c, size_t from, size_t end)
{
	const dyad_doc *d = c->d;
	for (size_t k = from; k < end && k < from + 6; k++) {
		if (is_boundary(&d->toks[k]))
			break;
		if (strcmp(d->toks[k].norm, "by") == 0 && k + 1 < end) {
			size_t j = k + 1;
			while (j < end && word_in(determiners, d->toks[j].norm))
				j++;
			return j < end ? c->mention_at[j] : NONE;
		}
	}
	return NONE;
}

/* Whether a token looks like a past participle ("drafted", "proposed",
 * "put forward" is not caught: "put" is its own participle). */
static bool is_participle(const dyad_token *t)
{
	size_t len = strlen(t->norm);
	if (len > 3 && strcmp(t->norm + len - 2, "ed") == 0)
		return true;
	const char *lemma = dyad__verb_lemma(t->norm, len);
	return lemma && strcmp(lemma, t->norm) != 0 && t->norm[len - 1] != 's' &&
	       !(len > 3 && strcmp(t->norm + len - 3, "ing") == 0);
}

/* Whether "to" at k is a preposition ("aid to Sudan") rather than the
 * mark of an infinitive ("to send"). */
static bool to_preposition(const ev_ctx *c, size_t k, size_t end)
{
	const dyad_doc *d = c->d;
	if (strcmp(d->toks[k].norm, "to") != 0 || k + 1 >= end)
		return false;
	const dyad_token *n = &d->toks[k + 1];
	return c->mention_at[k + 1] != NONE || word_in(determiners, n->norm) ||
	       (n->flags & DYAD_TOK_UPPER);
}

/* The first mention after the pattern, and those coordinated with it. */
static void find_objects(const ev_ctx *c, size_t from, size_t end, bool places, match *mt)
{
	const dyad_doc *d = c->d;
	for (size_t k = from; k < end && k < from + GAP_WIDE; k++) {
		if (is_boundary(&d->toks[k]) || strcmp(d->toks[k].norm, ",") == 0 ||
		    (word_in(clause_openers, d->toks[k].norm) && !to_preposition(c, k, end)))
			return;
		if (c->mention_at[k] != NONE) {
			/* "told reporters in Berlin": a place is not the object */
			size_t b = before_mention(c, c->mention_at[k], from > 0 ? from - 1 : 0);
			/* "a bill drafted by the government": the agent of what the
			 * act is aimed at is its target */
			bool agent = b != NONE && b > from && strcmp(d->toks[b].norm, "by") == 0 &&
			             is_participle(&d->toks[b - 1]);
			if (b != NONE && b >= from && word_in(locatives, d->toks[b].norm) && !agent &&
			    !places) {
				size_t m = c->mention_at[k];
				k = d->ments[m].first_token + d->ments[m].n_tokens - 1;
				continue;
			}
			mt->targets[mt->n_targets++] = c->mention_at[k];
			coordinated(c, c->mention_at[k], end, mt->targets, &mt->n_targets);
			return;
		}
	}
}

/* TABARI/PETRARCH: the target is the first actor after the verb in the
 * sentence, across prepositions and commas, that is not a source. */
static void find_objects_loose(const ev_ctx *c, size_t from, size_t end, match *mt,
                               const size_t *sources, size_t n_sources)
{
	const dyad_doc *d = c->d;
	for (size_t k = from; k < end; k++) {
		if (is_boundary(&d->toks[k]))
			return;
		size_t m = c->mention_at[k];
		if (m == NONE)
			continue;
		bool src = false;
		for (size_t i = 0; i < n_sources; i++)
			src = src || sources[i] == m;
		if (src)
			continue;
		mt->targets[mt->n_targets++] = m;
		coordinated(c, m, end, mt->targets, &mt->n_targets);
		return;
	}
}

static unsigned modality(const ev_ctx *c, size_t floor, size_t h)
{
	const dyad_doc *d = c->d;
	unsigned flags = 0;
	for (size_t k = h; k-- > floor;) {
		const char *w = d->toks[k].norm;
		if (h - k <= 4 && word_in(negations, w))
			flags |= DYAD_EV_NEGATED;
		if (word_in(modals, w) && (h - k <= 4 || strcmp(w, "if") == 0 || strcmp(w, "unless") == 0))
			flags |= DYAD_EV_HYPOTHETICAL;
		/* "should supplies run out": an inverted conditional at clause start */
		if (strcmp(w, "should") == 0 && (k == floor || strcmp(d->toks[k - 1].norm, "that") == 0))
			flags |= DYAD_EV_HYPOTHETICAL;
	}
	return flags;
}

/* One event from mention src to mention tgt, with the actor codes scode
 * and tcode (one code each of a compound actor). */
/* Whether two actor codes may be the same event's (NULL fits any). */
static bool same_code(const char *a, const char *b)
{
	return !a || !b || strcmp(a, b) == 0;
}

/* Roots whose acts are between distinct parties: statements, appeals,
 * intents, consultation, cooperation, aid, investigation, disapproval,
 * rejection, reduced relations. */
static bool between_parties(const char *code)
{
	static const char *const roots[] = {"01", "02", "03", "04", "05", "06", "07",
	                                    "09", "11", "12", "16", NULL};
	for (const char *const *r = roots; *r; r++)
		if (strncmp(code, *r, 2) == 0)
			return true;
	return false;
}

static int add_event_one(ev_ctx *c, size_t sent, const match *mt, size_t h, const char *code,
                         size_t src, size_t tgt, unsigned flags, const char *scode,
                         const char *tcode)
{
	dyad_doc *d = c->d;
	const dyad_mention *ms = src != NONE ? &d->ments[src] : NULL;
	const dyad_mention *mtg = tgt != NONE ? &d->ments[tgt] : NULL;
	if (!(d->opts.flags & DYAD_INCOMPLETE) && (!scode || !tcode))
		return 0;
	if (scode && tcode && strcmp(scode, tcode) == 0)
		return 0;
	/* "the US administration ... the US": a country speaking to, meeting
	 * or criticising itself is a misreading; inside one country these acts
	 * are coded between roles (GOV, OPP), while force, yielding and
	 * protest may land on the country itself */
	if (scode && tcode && strncmp(scode, tcode, 3) == 0 &&
	    (strlen(scode) == 3 || strlen(tcode) == 3) && between_parties(code))
		return 0;
	/* "told reporters": a statement to the press is addressed to the
	 * public, not to the press as an actor */
	size_t tl = tcode ? strlen(tcode) : 0;
	if (code[0] == '0' && code[1] == '1' && tl >= 3 && strcmp(tcode + tl - 3, "MED") == 0)
		return 0;
	for (size_t i = d->n_events; i-- > 0 && d->events[i].sentence == sent;) {
		const dyad_event *o = &d->events[i];
		if (strcmp(o->code, code) == 0 && o->source_mention == src &&
		    o->target_mention == tgt && same_code(o->source, scode) &&
		    same_code(o->target, tcode))
			return 0;
	}
	if (vec_grow((void **)&d->events, &d->cap_events, d->n_events + 1, sizeof *d->events))
		return DYAD_E_NOMEM;
	const dyad_cameo *cm = dyad_cameo_lookup(d->model, code);
	char root[3] = {code[0], code[1], 0};
	dyad_event *e = &d->events[d->n_events++];
	*e = (dyad_event){0};
	e->sentence = sent;
	e->source = scode;
	e->target = tcode;
	e->source_mention = src;
	e->target_mention = tgt;
	e->code = code;
	e->root = arena_strdup(&d->a, root);
	e->name = cm ? cm->name : NULL;
	e->plover = cm ? cm->plover : NULL;
	e->goldstein = cm ? cm->goldstein : 0;
	e->quad = cm ? cm->quad[d->opts.quad >= 0 && d->opts.quad <= 2 ? d->opts.quad : 0] : 0;
	if (ms)
		e->source_span = (dyad_span){ms->start, ms->end};
	if (mtg)
		e->target_span = (dyad_span){mtg->start, mtg->end};
	size_t last = mt->end > h ? mt->end - 1 : h;
	e->verb_span = (dyad_span){d->toks[h].start, d->toks[last].end};
	e->pattern = mt->p->where;
	e->flags = flags;
	return 0;
}

/* The codes of a compound actor "FRO/BIL/SAM" (TABARI "[A/B]"), one at a
 * time; any other code (or none) is its own single code. */
static size_t split_codes(dyad_doc *d, const char *code, const char **out, size_t max)
{
	size_t n = 0;
	if (!code || !strchr(code, '/'))
		max = 0;
	for (const char *p = code; n < max && *p;) {
		const char *q = strchr(p, '/');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		const char *one = len ? arena_strndup(&d->a, p, len) : NULL;
		if (one)
			out[n++] = one;
		p += len + (q != NULL);
	}
	if (!n)
		out[n++] = code;
	return n;
}

/* An event from mention src to mention tgt: one per code of each, where
 * either is a compound actor. */
static int add_event(ev_ctx *c, size_t sent, const match *mt, size_t h, const char *code,
                     size_t src, size_t tgt, unsigned flags)
{
	dyad_doc *d = c->d;
	const char *sc[8], *tc[8];
	size_t ns = split_codes(d, src != NONE ? d->ments[src].code : NULL, sc, 8);
	size_t nt = split_codes(d, tgt != NONE ? d->ments[tgt].code : NULL, tc, 8);
	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < nt; j++) {
			int rc = add_event_one(c, sent, mt, h, code, src, tgt, flags, sc[i], tc[j]);
			if (rc)
				return rc;
		}
	return 0;
}

/* The CAMEO intent code for an action announced for the future ("will
 * send aid", "said it would attack"): CAMEO codes the announcement, not
 * the act -- cooperation as 03x intents, force and sanctions as 13x
 * threats. NULL keeps the code as it is. */
static const char *intent_code(const char *code)
{
	static const struct {
		const char *prefix, *intent;
	} map[] = {
		{"04", "036"},   {"05", "032"},   {"061", "0311"}, {"062", "0312"}, {"063", "0313"},
		{"064", "0314"}, {"06", "031"},   {"071", "0331"}, {"072", "0332"}, {"073", "0333"},
		{"074", "0334"}, {"07", "033"},   {"081", "0351"}, {"082", "0352"}, {"083", "0341"},
		{"084", "0353"}, {"085", "0354"}, {"086", "0355"}, {"087", "0356"}, {"08", "035"},
		{"161", "1313"}, {"162", "1311"}, {"163", "1312"}, {"16", "131"},  {"17", "137"},
		{"18", "138"},   {"19", "138"},   {"20", "138"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(code, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].intent;
	return NULL;
}

static const char *const reporting_verbs[] = {
	"say", "announce", "pledge", "promise", "vow", "warn", "tell", "insist", "add", "confirm",
	"state", "declare", "threaten", "signal", "indicate", "suggest", "decide", "agree", NULL
};

/* Whether the verb at h is announced for the future: "will" before it, or
 * "would" in a clause reported by a verb of saying. */
static bool is_future(const ev_ctx *c, const dyad_sentence *s, size_t floor, size_t h)
{
	const dyad_doc *d = c->d;
	bool would = false;
	for (size_t k = h, steps = 0; k > floor && steps < 4; k--, steps++) {
		const char *w = d->toks[k - 1].norm;
		if (strcmp(w, "will") == 0 || strcmp(w, "'ll") == 0 || strcmp(w, "shall") == 0)
			return true;
		if (strcmp(w, "would") == 0 || strcmp(w, "'d") == 0) {
			would = true;
			k--;
			break;
		}
	}
	if (!would)
		return false;
	for (size_t k = h; k-- > s->first_token && h - k < 16;) {
		const char *lemma = dyad__verb_lemma(d->toks[k].norm, strlen(d->toks[k].norm));
		if (lemma && word_in(reporting_verbs, lemma))
			return true;
	}
	return false;
}

/* Codes whose act two parties do together: intents, consultations,
 * agreements, cooperation, yielding, fighting. */
static bool reciprocal(const char *code)
{
	static const char *const roots[] = {"03", "04", "05", "06", "08", "19", NULL};
	for (const char *const *r = roots; *r; r++)
		if (strncmp(code, *r, 2) == 0)
			return true;
	return false;
}

/* The speaker's mention of the quotation holding token h, when "we" or "I"
 * is the subject of the verb at h; NONE otherwise. */
static size_t quoted_speaker(const ev_ctx *c, const dyad_sentence *s, size_t h)
{
	const dyad_doc *d = c->d;
	bool first_person = false;
	for (size_t k = clause_start(c, s, h); k < h; k++)
		if (word_in((const char *const[]){"we", "i", NULL}, d->toks[k].norm))
			first_person = true;
	if (!first_person)
		return NONE;
	size_t at = d->toks[h].start;
	for (size_t q = 0; q < d->n_quotes; q++)
		if (d->quotes[q].start <= at && at < d->quotes[q].end)
			return d->quotes[q].speaker_mention;
	return NONE;
}

/* Whether the verb at h is the second of two joined by "and" after an
 * event already coded in this sentence. */
static bool coordinated_verb(const ev_ctx *c, const dyad_sentence *s, size_t h)
{
	const dyad_doc *d = c->d;
	if (c->last_head == NONE || c->last_source == NONE || c->last_head >= h)
		return false;
	size_t k = h;
	while (k > s->first_token && k > c->last_head + 1) {
		const char *w = d->toks[k - 1].norm;
		size_t len = strlen(w);
		if (strcmp(w, "and") == 0 || strcmp(w, "then") == 0)
			return true;
		if (!(len > 2 && strcmp(w + len - 2, "ly") == 0) && strcmp(w, "also") != 0)
			return false;
		k--;
	}
	return false;
}

/* TABARI: the source is the first actor of the sentence (with those
 * coordinated with it), wherever the verb stands. Returns how many. */
static size_t first_actor(const ev_ctx *c, const dyad_sentence *s, size_t h, size_t *out)
{
	size_t n = 0;
	for (size_t k = s->first_token; k < h; k++)
		if (c->mention_at[k] != NONE) {
			out[n++] = c->mention_at[k];
			coordinated(c, out[0], h, out, &n);
			break;
		}
	return n;
}

/* TABARI '%': the members of a compound actor act on each other. */
static int code_compound(ev_ctx *c, size_t sent, size_t h, const match *m, unsigned flags)
{
	for (size_t i = 0; i < m->n_compound; i++)
		for (size_t j = 0; j < m->n_compound; j++) {
			if (i == j)
				continue;
			if (m->p->code && add_event(c, sent, m, h, m->p->code, m->compound[i],
			                            m->compound[j], flags))
				return DYAD_E_NOMEM;
			if (m->p->pair_code && add_event(c, sent, m, h, m->p->pair_code, m->compound[j],
			                                 m->compound[i], flags))
				return DYAD_E_NOMEM;
		}
	return 0;
}

static int code_head(ev_ctx *c, size_t sent, size_t h, const match *mt)
{
	dyad_doc *d = c->d;
	const dyad_sentence *s = &d->sents[sent];
	size_t end = s->first_token + s->n_tokens;
	size_t floor = clause_start(c, s, h);
	unsigned flags = modality(c, floor, h);
	match m = *mt;
	verb_pattern intent;
	/* TABARI and PETRARCH code the act their pattern names, tense aside */
	if (m.p->code && !m.p->style && is_future(c, s, floor, h)) {
		/* a reported "would" is an announcement, not a hypothesis */
		bool only_would = true;
		for (size_t k = floor; k < h; k++)
			if (word_in(modals, d->toks[k].norm) && strcmp(d->toks[k].norm, "would") != 0 &&
			    strcmp(d->toks[k].norm, "'d") != 0)
				only_would = false;
		if (only_would)
			flags &= ~(unsigned)DYAD_EV_HYPOTHETICAL;
		const char *ic = intent_code(m.p->code);
		if (ic && !(flags & DYAD_EV_HYPOTHETICAL)) {
			intent = *m.p;
			intent.code = ic;
			intent.pair_code = NULL;
			m.p = &intent;
		}
	}
	/* TABARI and PETRARCH code what their patterns say: a negation that
	 * matters is written into a pattern ("&NEGATVAUXVRB * ...") */
	if (m.p->style)
		flags &= ~(unsigned)(DYAD_EV_NEGATED | DYAD_EV_HYPOTHETICAL);
	if ((flags & DYAD_EV_NEGATED) && !(d->opts.flags & DYAD_NEGATED))
		return 0;
	if ((flags & DYAD_EV_HYPOTHETICAL) && !(d->opts.flags & DYAD_HYPOTHETICAL))
		return 0;
	if (m.n_compound >= 2)
		return code_compound(c, sent, h, &m, flags);
	if (m.n_compound == 1) { /* one actor: it acts, or is acted on */
		if (d->ments[m.compound[0]].first_token < h)
			m.source = m.compound[0];
		else if (m.n_targets < MAX_TARGETS)
			m.targets[m.n_targets++] = m.compound[0];
	}
	size_t sources[MAX_TARGETS];
	size_t n_sources = 0;
	bool passive = !mt->p->noun_head && is_passive(c, h, floor);
	if (passive && m.n_targets == 0) {
		size_t subject = find_subject(c, s, h, m.p->style);
		if (subject != NONE)
			m.targets[m.n_targets++] = subject;
	}
	if (m.source != NONE) {
		sources[n_sources++] = m.source;
		if (passive)
			flags |= DYAD_EV_PASSIVE;
	} else if (passive) {
		flags |= DYAD_EV_PASSIVE;
		size_t agent = passive_agent(c, m.end, end);
		size_t subject = find_subject(c, s, h, m.p->style);
		if (agent != NONE)
			sources[n_sources++] = agent;
		if (subject != NONE && m.n_targets == 0)
			m.targets[m.n_targets++] = subject;
	} else if (coordinated_verb(c, s, h)) {
		/* "X accused Y of ... and summoned Z": the second verb shares the
		 * first one's subject, not its object */
		sources[n_sources++] = c->last_source;
	} else if (m.p->style == 1) {
		n_sources = first_actor(c, s, h, sources);
	} else {
		size_t subj = find_subject(c, s, h, m.p->style);
		if (subj != NONE) {
			/* "France and Germany condemned ...": walk back over a list */
			/* the last joint must hold "and" (commas alone make an
			 * apposition: "Before leaving Vienna, the chancellor ...") */
			size_t first = subj;
			while (first > 0 && d->ments[first - 1].sentence == sent) {
				size_t gap_from = d->ments[first - 1].first_token + d->ments[first - 1].n_tokens;
				size_t to = d->ments[first].first_token;
				bool joined = to > gap_from && to - gap_from <= 3, has_and = false;
				for (size_t k = gap_from; joined && k < to; k++) {
					bool conj = strcmp(d->toks[k].norm, "and") == 0;
					has_and |= conj;
					joined = conj || strcmp(d->toks[k].norm, ",") == 0 ||
					         word_in(determiners, d->toks[k].norm);
				}
				if (!joined || (first == subj && !has_and))
					break;
				first--;
			}
			for (size_t k = first; k <= subj && n_sources < MAX_TARGETS; k++)
				sources[n_sources++] = k;
		}
	}
	if (m.n_targets == 0 && !(flags & DYAD_EV_PASSIVE) && m.p->style)
		find_objects_loose(c, h + 1, end, &m, sources, n_sources);
	else if (m.n_targets == 0 && !(flags & DYAD_EV_PASSIVE))
		/* violence lands on a place: "burned homes in villages in
		 * Nigeria" targets Nigeria (CAMEO codes the location) */
		find_objects(c, m.end, end, m.p->code && strncmp(m.p->code, "17", 2) >= 0, &m);
	/* "pledged to provide Ukraine with aid": the actor the pattern passed
	 * over is its indirect object */
	if (m.n_targets == 0 && !(flags & DYAD_EV_PASSIVE) && m.skipped != NONE &&
	    (n_sources == 0 || m.skipped != sources[0]))
		m.targets[m.n_targets++] = m.skipped;
	/* "“We are ready to fight,” the embassy said": inside a quotation,
	 * "we" and "I" are the speaker's side */
	if (n_sources == 0 && c->quoted[h]) {
		size_t sp = quoted_speaker(c, s, h);
		if (sp != NONE)
			sources[n_sources++] = sp;
	}
	/* "both leaders" stands for two actors: each takes part */
	add_partners(c, sources, &n_sources);
	add_partners(c, m.targets, &m.n_targets);
	/* "Israel and Hamas agreed to a truce", "X and Y held talks": with no
	 * object, joint subjects of a reciprocal act act on each other */
	if (n_sources >= 2 && m.n_targets == 0 && m.p->code && reciprocal(m.p->code)) {
		for (size_t i = 0; i < n_sources; i++)
			for (size_t j = 0; j < n_sources; j++)
				if (i != j && add_event(c, sent, &m, h, m.p->code, sources[i], sources[j], flags))
					return DYAD_E_NOMEM;
		c->last_head = h;
		c->last_source = sources[0];
		return 0;
	}
	if (n_sources == 0)
		sources[n_sources++] = NONE;
	if (m.n_targets == 0)
		m.targets[m.n_targets++] = NONE;
	for (size_t i = 0; i < n_sources; i++)
		for (size_t j = 0; j < m.n_targets; j++) {
			if (sources[i] == m.targets[j])
				continue;
			if (m.p->code && add_event(c, sent, &m, h, m.p->code, sources[i], m.targets[j], flags))
				return DYAD_E_NOMEM;
			if (sources[i] != NONE) {
				c->last_head = h;
				c->last_source = sources[i];
			}
			/* a paired code ([042:043]: a visit is also hosted) codes the
			 * same match from the target's side */
			if (m.p->pair_code &&
			    add_event(c, sent, &m, h, m.p->pair_code, m.targets[j], sources[i], flags))
				return DYAD_E_NOMEM;
		}
	return 0;
}

static bool codes_sentence(const dyad_doc *d, const dyad_sentence *s)
{
	return s->kind == DYAD_SEG_BODY || s->kind == DYAD_SEG_TITLE ||
	       (s->kind == DYAD_SEG_CAPTION && (d->opts.flags & DYAD_KEEP_CAPTIONS));
}

static const char *const reversal_verbs[] = {
	"suspend", "halt", "cut", "stop", "end", "freeze", "block", "deny", "reject", "refuse",
	"cancel", "withdraw", "scrap", "abandon", "postpone", "delay", "pause", "curb", "ban",
	"restrict", "reduce", "limit", "break", "quit", "boycott", "lift", NULL
};

/* Whether a verb of stopping governs the noun at h ("halted talks with"). */
static bool reversed(const ev_ctx *c, const dyad_sentence *s, size_t h)
{
	const dyad_doc *d = c->d;
	size_t floor = clause_start(c, s, h);
	for (size_t k = h, steps = 0; k > floor && steps < 4; k--, steps++) {
		const char *w = d->toks[k - 1].norm;
		const char *lemma = dyad__verb_lemma(w, strlen(w));
		if (lemma && word_in(reversal_verbs, lemma))
			return true;
		if (d->toks[k - 1].flags & DYAD_TOK_PUNCT)
			break;
	}
	return false;
}

/* TABARI and PETRARCH have no "undone by a stopping verb" rule: their
 * patterns spell it ("% HAVE POSTPONED * [191]"), and a PETRARCH pattern
 * with words before the verb holds whatever governs it. */
static bool spells_reversal(const verb_pattern *p, size_t start, size_t h)
{
	return p->style == 1 || (p->style == 2 && start < h);
}

static bool gerund_after_preposition(const ev_ctx *c, size_t h, size_t floor)
{
	const dyad_doc *d = c->d;
	const char *w = d->toks[h].norm;
	size_t len = strlen(w);
	if (len < 5 || strcmp(w + len - 3, "ing") != 0 || h <= floor)
		return false;
	const char *prev = d->toks[h - 1].norm;
	return word_in(prepositions, prev) && strcmp(prev, "by") != 0;
}

static const char *const aux_words[] = {
	"will", "would", "could", "should", "may", "might", "must", "can", "shall", "has", "have",
	"had", "is", "are", "was", "were", "be", "been", "did", "does", "do", "not", "n't", "to",
	"and", "or", "but", NULL
};

/* TABARI's noun rule: a verb word after a determiner ("the restore", "a
 * brief private visit") is a noun; up to two modifiers may stand between. */
static bool nominal(const ev_ctx *c, const dyad_sentence *s, size_t h)
{
	const dyad_doc *d = c->d;
	for (size_t k = h, skipped = 0; k > s->first_token; k--) {
		const dyad_token *t = &d->toks[k - 1];
		if (word_in(determiners, t->norm) || (strcmp(t->norm, "'s") == 0 && skipped == 0))
			return true;
		size_t len = strlen(t->norm);
		if (skipped == 2 || (t->flags & DYAD_TOK_PUNCT) || c->mention_in[k - 1] != NONE ||
		    word_in(aux_words, t->norm) || word_in(prepositions, t->norm) ||
		    word_in(clause_openers, t->norm) || (len > 1 && t->norm[len - 1] == 's'))
			return false;
		skipped++;
	}
	return false;
}

/* Whether a TABARI/PETRARCH verb pattern's head at h is not a verb there:
 * a noun by TABARI's rule, or (TABARI) a capitalised word inside the
 * sentence ("talks about To Restore Order"). */
static bool compat_not_verb(const ev_ctx *c, const dyad_sentence *s, const verb_pattern *p,
                            size_t h)
{
	if (!p->style || p->noun_head)
		return false;
	const dyad_token *t = &c->d->toks[h];
	if (p->n_pre == 0 && nominal(c, s, h))
		return true;
	return p->style == 1 && h > s->first_token && (t->flags & DYAD_TOK_UPPER) &&
	       !(t->flags & DYAD_TOK_CAPS);
}

/* TABARI codes one verb per clause: after a coded event, another verb
 * waits for an "and"/"but" or a boundary after the last coded pattern. */
static bool new_tabari_clause(const ev_ctx *c, const dyad_sentence *s, size_t h,
                              size_t covered)
{
	const dyad_doc *d = c->d;
	for (size_t k = h; k-- > s->first_token && k >= covered;)
		if (strcmp(d->toks[k].norm, "and") == 0 || strcmp(d->toks[k].norm, "but") == 0 ||
		    is_boundary(&d->toks[k]))
			return true;
	return false;
}

/* Whether the verb word at h belongs to the words a later TABARI/PETRARCH
 * pattern writes before its own verb ("SAID WOULD * NOW"): then it is
 * part of that pattern, not an event itself. */
static bool held_by_later(const ev_ctx *c, const dyad_sentence *s, size_t h, size_t end)
{
	const dyad_doc *d = c->d;
	for (size_t h2 = h + 1; h2 < end && h2 < h + 12; h2++) {
		if (is_boundary(&d->toks[h2]))
			return false;
		size_t n;
		const uint32_t *idx = dyad__patterns_for(d->model, d->toks[h2].norm, &n);
		match best = {0}, cur;
		bool passive = n && is_passive(c, h2, clause_start(c, s, h2));
		for (size_t k = 0; k < n; k++) {
			const verb_pattern *p = &d->model->patterns[idx[k]];
			if (p->n_pre && match_pattern(c, p, s->first_token, h2, end,
			                              passive && !p->noun_head, &cur) &&
			    cur.score >= best.score)
				best = cur;
		}
		if (best.p && best.p->style && best.start <= h && (best.p->code || best.p->pair_code))
			return true;
	}
	return false;
}

static int code_sentence(ev_ctx *c, size_t sent)
{
	dyad_doc *d = c->d;
	const dyad_sentence *s = &d->sents[sent];
	size_t end = s->first_token + s->n_tokens;
	size_t covered = 0;           /* tokens before this belong to a coded pattern */
	c->last_head = c->last_source = NONE;
	size_t last_clause = NONE;    /* clause start of the last coded event */
	bool tabari_done = false;     /* a TABARI pattern coded this clause */
	for (size_t h = s->first_token; h < end; h++) {
		const dyad_token *t = &d->toks[h];
		/* reported words inside quotation marks belong to the speaker;
		 * they are not coded as the narrator's events */
		if (h < covered || (c->quoted[h] && !(d->opts.flags & DYAD_QUOTED)) ||
		    (t->flags & DYAD_TOK_PUNCT) ||
		    c->mention_in[h] != NONE)
			continue;
		size_t n;
		const uint32_t *idx = dyad__patterns_for(d->model, t->norm, &n);
		match best = {0}, cur;
		bool passive = n && is_passive(c, h, clause_start(c, s, h));
		for (size_t k = 0; k < n; k++) {
			const verb_pattern *p = &d->model->patterns[idx[k]];
			if (match_pattern(c, p, s->first_token, h, end, passive && !p->noun_head, &cur) &&
			    cur.score >= best.score)
				best = cur;
		}
		if (!best.p || compat_not_verb(c, s, best.p, h))
			continue;
		/* "suspended arms exports to X", "refused to meet X": an event
		 * undone by the verb that governs it is not that event */
		if (!spells_reversal(best.p, best.start, h) && reversed(c, s, h))
			continue;
		/* "called on both sides to observe the truce": the infinitive (or
		 * a noun event: "asked X to mediate its quarrel with Y") is what
		 * was asked for, not a second event of the same subject */
		size_t clause = clause_start(c, s, h);
		bool infinitive = h > s->first_token && strcmp(d->toks[h - 1].norm, "to") == 0 &&
		                  !best.p->noun_head;
		if ((infinitive || best.p->noun_head) && last_clause == clause)
			continue;
		/* an aim is not an act: "focused on ending the war" (but
		 * "retaliated by imposing tariffs" is how it was done) */
		if (gerund_after_preposition(c, h, clause))
			continue;
		if (best.p->style && held_by_later(c, s, h, end))
			continue;
		if (tabari_done && best.p->style == 1) {
			if (!new_tabari_clause(c, s, h, covered))
				continue;
			tabari_done = false;
		}
		covered = best.end;
		if (!best.p->code && !best.p->pair_code) /* "---": matched, codes nothing */
			continue;
		d->toks[h].lemma = best.p->head;
		size_t before = d->n_events;
		int rc = code_head(c, sent, h, &best);
		if (rc)
			return rc;
		if (d->n_events > before) {
			last_clause = clause;
			tabari_done = tabari_done || best.p->style == 1;
		}
	}
	return 0;
}

int dyad__events(dyad_doc *d)
{
	ev_ctx c = {d, NULL, NULL, NULL, NONE, NONE};
	size_t n = d->n_toks + 1;
	c.mention_at = malloc(n * sizeof *c.mention_at);
	c.mention_in = malloc(n * sizeof *c.mention_in);
	c.quoted = calloc(n, sizeof *c.quoted);
	int rc = 0;
	if (!c.mention_at || !c.mention_in || !c.quoted) {
		rc = DYAD_E_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		c.mention_at[i] = c.mention_in[i] = NONE;
	for (size_t m = 0; m < d->n_ments; m++) {
		const dyad_mention *mm = &d->ments[m];
		if (c.mention_at[mm->first_token] == NONE)
			c.mention_at[mm->first_token] = m;
		for (size_t k = 0; k < mm->n_tokens; k++)
			c.mention_in[mm->first_token + k] = m;
	}
	dyad__mark_quoted(d, c.quoted);
	for (size_t s = 0; s < d->n_sents && !rc; s++)
		if (codes_sentence(d, &d->sents[s]) && !(d->discard && d->discard[s]))
			rc = code_sentence(&c, s);
done:
	free(c.mention_at);
	free(c.mention_in);
	free(c.quoted);
	return rc;
}
