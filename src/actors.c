/* actors.c -- actor mentions: dictionary phrases, roles combined with
 * countries, titles and names, surnames and pronouns, each resolved to a
 * CAMEO actor code for the document's date. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

/* Honorifics and military ranks that precede a name. */
static const char *const titles[] = {
	"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady",
	"gen", "gen.", "general", "col", "col.", "colonel", "lt", "lt.", "capt", "capt.",
	"captain", "sgt", "sgt.", "adm", "adm.", "admiral", "rev", "rev.", "prof", "prof.",
	"sen", "sen.", "senator", "rep", "rep.", "gov", "gov.", "sheikh", "prince",
	"princess", "maj", "maj.", "major", "president", "minister", "chancellor", "king", "queen",
	"pope", "ayatollah", "mullah", "emir", "judge", "justice", "director", "secretary",
	"commissioner", "chairman", "chairwoman", "spokesman", "spokeswoman", "ambassador", NULL
};

/* Capitalised words that start sentences or headings but are not names. */
static const char *const not_names[] = {
	"the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "as", "it", "he", "she",
	"they", "we", "i", "this", "that", "these", "those", "there", "his", "her", "their",
	"its", "our", "my", "your", "after", "before", "when", "while", "for", "of", "to",
	"with", "from", "by", "meanwhile", "however", "then", "speaking", "sources", "some",
	"many", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "of course", "yes", "no", "not", "why", "what",
	"who", "how", "where", "last", "next", "earlier", "later", "today", "yesterday",
	"tomorrow", "since", "until", "despite", "although", "because", "so", "also", NULL
};

/* Words linking a possessive name to its role: "Ukraine's", "Trump's". */
static bool is_possessive(const dyad_token *t)
{
	return strcmp(t->norm, "'s") == 0 || strcmp(t->norm, "'") == 0;
}

static bool is_word(const dyad_token *t) { return !(t->flags & DYAD_TOK_PUNCT); }

static bool is_capitalised(const dyad_token *t)
{
	return is_word(t) && (t->flags & DYAD_TOK_UPPER) && !(t->flags & DYAD_TOK_NUMBER);
}

/* A dictionary hit or a name found in one sentence. */
typedef struct item {
	size_t first, n;       /* tokens */
	long entry;            /* dictionary entry or -1 */
	int kind;              /* ITEM_* */
	const char *code;      /* resolved code (arena) */
	const char *name;      /* person's full name, if any */
	int how;
	char gender;
} item;

enum { ITEM_ACTOR, ITEM_PERSON, ITEM_AGENT, ITEM_NAME, ITEM_PRONOUN, ITEM_PAIR };

/* A person met so far in the document, for surnames and pronouns. */
typedef struct person {
	const char *surname; /* normalised last token */
	const char *name;
	const char *code;
	const char *entry;
	char gender;
	size_t prev; /* the previous person with this surname, or NONE */
	long role;   /* the role word they were introduced with, or -1 */
} known_person;

typedef struct actors_ctx {
	dyad_doc *d;
	const char **norms;
	unsigned *flags;
	item *items;
	size_t n_items, cap_items;
	known_person *people;
	size_t n_people, cap_people;
	strmap surnames; /* surname -> index + 1 of the last person with it */
	strmap countries; /* country code -> mentions so far, for the article's focus */
	char focus[4];    /* the country mentioned most so far */
	uint32_t focus_count;
	bool *quoted; /* per token: inside quotation marks */
} actors_ctx;

static const actor_entry *entry_of(const actors_ctx *c, long e)
{
	return e >= 0 ? &c->d->model->entries[e] : NULL;
}

static const char *entry_code(const actors_ctx *c, long e)
{
	return dyad__entry_code(entry_of(c, e), c->d->date_num);
}

/* Whether the entry has a code dated to include the document date. */
static bool dated_code(const actors_ctx *c, long e)
{
	const actor_entry *en = entry_of(c, e);
	uint32_t date = c->d->date_num;
	for (uint32_t i = 0; date && i < en->n_codes; i++) {
		const code_range *r = &en->codes[i];
		if ((r->from || r->until) && (!r->from || date >= r->from) &&
		    (!r->until || date <= r->until))
			return true;
	}
	return false;
}

/* "UKR" + "~GOV" -> "UKRGOV"; IGO and NGO codes keep their full base. */
static const char *compound_code(actors_ctx *c, const char *base, const char *agent)
{
	if (!base || !agent)
		return NULL;
	if (agent[0] == '~')
		agent++;
	size_t al = strlen(agent);
	if (al > 1 && agent[al - 1] == '~') {
		/* PETRARCH's "NGO~": the role goes before the country ("NGOARN") */
		char pre[64];
		snprintf(pre, sizeof pre, "%.*s%s", (int)(al - 1), agent, base);
		return arena_strdup(&c->d->a, pre);
	}
	/* international actors (IGO, NGO, IMG, MNC, NGM) are not a country
	 * and keep their code: "UN officials" are IGOUNO */
	static const char *const international[] = {"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", NULL};
	for (const char *const *p = international; *p; p++)
		if (strncmp(base, *p, 3) == 0)
			return base;
	size_t bl = strlen(base) > 3 ? 3 : strlen(base);
	/* "White House officials": the base already ends with the role */
	if (strlen(base) >= bl + strlen(agent) && strcmp(base + strlen(base) - strlen(agent), agent) == 0)
		return base;
	char buf[64];
	snprintf(buf, sizeof buf, "%.*s%s", (int)bl, base, agent);
	return arena_strdup(&c->d->a, buf);
}

static int push_item(actors_ctx *c, item it)
{
	if (vec_grow((void **)&c->items, &c->cap_items, c->n_items + 1, sizeof *c->items))
		return DYAD_E_NOMEM;
	c->items[c->n_items++] = it;
	return 0;
}

/* The person last named with this surname, preferring one whose code is
 * known (a caption may repeat a name without its title). */
static const known_person *find_person(const actors_ctx *c, const char *surname)
{
	const known_person *any = NULL;
	uint32_t i = strmap_get(&c->surnames, surname, strlen(surname), 0);
	for (size_t j = i ? i - 1 : NONE, steps = 0; j != NONE && steps < 16;
	     j = c->people[j].prev, steps++) {
		if (c->people[j].code)
			return &c->people[j];
		if (!any)
			any = &c->people[j];
	}
	return any;
}

/* The person most recently introduced with role word `entry`. */
static const known_person *person_by_role(const actors_ctx *c, long entry)
{
	for (size_t i = c->n_people; i-- > 0 && c->n_people - i <= 64;)
		if (c->people[i].role == entry && c->people[i].code)
			return &c->people[i];
	return NULL;
}

/* Files person p under its surname. */
static int index_person(actors_ctx *c, size_t p)
{
	const char *sn = c->people[p].surname;
	uint32_t *slot = strmap_put(&c->surnames, &c->d->a, sn, strlen(sn), 0);
	if (!slot)
		return DYAD_E_NOMEM;
	c->people[p].prev = *slot ? *slot - 1 : NONE;
	*slot = (uint32_t)p + 1;
	return 0;
}

static int remember_person(actors_ctx *c, const item *it, size_t last_tok, const char *entry)
{
	if (!it->name)
		return 0;
	if (vec_grow((void **)&c->people, &c->cap_people, c->n_people + 1, sizeof *c->people))
		return DYAD_E_NOMEM;
	c->people[c->n_people++] = (known_person){c->norms[last_tok], it->name, it->code, entry,
	                                          it->gender, NONE, -1};
	return 0;
}

/* The text of tokens [first, first+n) as written, for names. */
static const char *token_text(actors_ctx *c, size_t first, size_t n)
{
	const dyad_token *t = c->d->toks;
	return arena_strndup(&c->d->a, c->d->text + t[first].start,
	                     t[first + n - 1].end - t[first].start);
}

/* Length of a run of capitalised name tokens at i (names like "bin Salman"
 * or "al-Sharaa" keep their particles). */
static size_t name_run(const actors_ctx *c, size_t i, size_t end)
{
	const dyad_token *t = c->d->toks;
	size_t j = i;
	while (j < end && j - i < 5) {
		if (is_capitalised(&t[j]) && !(t[j].flags & DYAD_TOK_CAPS && strlen(t[j].norm) <= 1)) {
			j++;
		} else if (j > i && j + 1 < end && is_capitalised(&t[j + 1]) &&
		           (strcmp(t[j].norm, "bin") == 0 || strcmp(t[j].norm, "al") == 0 ||
		            strcmp(t[j].norm, "de") == 0 || strcmp(t[j].norm, "van") == 0 ||
		            strcmp(t[j].norm, "von") == 0 || strcmp(t[j].norm, "da") == 0 ||
		            strcmp(t[j].norm, "-") == 0)) {
			j += 2;
		} else {
			break;
		}
	}
	return j - i;
}

static bool is_title(const actors_ctx *c, size_t i)
{
	return word_in(titles, c->norms[i]) && is_capitalised(&c->d->toks[i]);
}

/* Nouns that, after "both" or "the two", refer to two actors named
 * before: "both leaders", "the two countries". */
static const char *const pair_nouns[] = {
	"leaders", "countries", "sides", "governments", "nations", "neighbours", "neighbors",
	"presidents", "ministers", "states", "capitals", "parties", "allies", "rivals", NULL
};

/* Length of a pair phrase at i, or 0. */
static size_t pair_phrase(const actors_ctx *c, size_t i, size_t end)
{
	size_t k = i;
	if (strcmp(c->norms[k], "both") == 0)
		k++;
	else if (strcmp(c->norms[k], "the") == 0 && k + 1 < end && strcmp(c->norms[k + 1], "two") == 0)
		k += 2;
	else
		return 0;
	if (k < end && !word_in(pair_nouns, c->norms[k]) && k + 1 < end)
		k++; /* one modifier: "both Gulf countries" */
	return k < end && word_in(pair_nouns, c->norms[k]) ? k + 1 - i : 0;
}

/* Pass 1: dictionary phrases, titled names, known surnames, pronouns. */
static int scan_sentence(actors_ctx *c, const dyad_sentence *s)
{
	const dyad_model *m = c->d->model;
	size_t end = s->first_token + s->n_tokens;
	for (size_t i = s->first_token; i < end;) {
		size_t pl = pair_phrase(c, i, end);
		if (pl) {
			item it = {i, pl, -1, ITEM_PAIR, NULL, NULL, DYAD_RES_PRONOUN, 0};
			if (push_item(c, it))
				return DYAD_E_NOMEM;
			i += pl;
			continue;
		}
		size_t len = 0;
		long e = dyad__trie_match(m, c->norms + i, c->flags + i, end - i, &len);
		if (e >= 0) {
			const actor_entry *en = &m->entries[e];
			if (en->kind == ENTRY_DISCARD) {
				size_t sidx = (size_t)(s - c->d->sents);
				c->d->discard[sidx] = 1;
			} else if (en->kind != ENTRY_STOP) {
				item it = {i, len, e, ITEM_ACTOR, NULL, NULL, DYAD_RES_DIRECT, en->gender};
				if (en->kind == ENTRY_AGENT) {
					it.kind = ITEM_AGENT;
				} else if (en->type == TYPE_PERSON) {
					/* the fullest name the document gives: its own spelling
					 * of a full name ("Mykhalio Podolyak"), the full name
					 * met earlier for a surname, else the dictionary's */
					it.kind = ITEM_PERSON;
					size_t f = i, fl = len;
					while (fl > 1 && word_in(titles, c->norms[f])) /* "Sir Keir Starmer" */
						f++, fl--;
					const known_person *p = len == 1 ? find_person(c, c->norms[i]) : NULL;
					it.name = fl > 1 ? token_text(c, f, fl) : p ? p->name : en->name;
				}
				it.code = en->kind == ENTRY_AGENT ? NULL : entry_code(c, e);
				if (push_item(c, it))
					return DYAD_E_NOMEM;
			}
			i += len;
			continue;
		}
		const dyad_token *t = &c->d->toks[i];
		const char *w = c->norms[i];
		if (strcmp(w, "he") == 0 || strcmp(w, "him") == 0 || strcmp(w, "she") == 0 ||
		    strcmp(w, "they") == 0) {
			item it = {i, 1, -1, ITEM_PRONOUN, NULL, NULL, DYAD_RES_PRONOUN,
			           w[0] == 's' ? 'f' : (w[0] == 'h' ? 'm' : 0)};
			if (push_item(c, it))
				return DYAD_E_NOMEM;
			i++;
			continue;
		}
		if (is_title(c, i) && i + 1 < end && is_capitalised(&c->d->toks[i + 1])) {
			i++; /* the name after it is what matters; combine() adds the title */
			continue;
		}
		if (is_capitalised(t) && !(i == s->first_token && word_in(not_names, w))) {
			size_t n = name_run(c, i, end);
			const known_person *p = n ? find_person(c, c->norms[i + n - 1]) : NULL;
			bool titled = i > s->first_token && is_title(c, i - 1);
			if (p && n == 1) {
				item it = {i, 1, -1, ITEM_PERSON, p->code, p->name, DYAD_RES_SURNAME, p->gender};
				if (push_item(c, it))
					return DYAD_E_NOMEM;
				i++;
				continue;
			}
			if (n && (titled || n >= 2) && !word_in(not_names, w)) {
				item it = {i, n, -1, ITEM_NAME, NULL, NULL, DYAD_RES_UNKNOWN, 0};
				if (push_item(c, it))
					return DYAD_E_NOMEM;
				i += n;
				continue;
			}
		}
		i++;
	}
	return 0;
}

/* Words that never stand between a country and its role. */
static const char *const role_breakers[] = {
	"of", "to", "for", "in", "on", "at", "by", "with", "from", "and", "or", "but", "the", "a",
	"an", "could", "would", "will", "may", "might", "must", "should", "can", "has", "have",
	"had", "is", "are", "was", "were", "be", "been", "not", "that", "which", "who", NULL
};

/* Whether item b follows item a as its role: adjacent, or after a
 * possessive, or after one modifier that is not a verb ("Russian armed
 * forces" is one agent phrase; "Ukrainian military officials"). */
static bool items_adjacent(const actors_ctx *c, const item *a, const item *b, size_t slack)
{
	size_t after = a->first + a->n;
	if (b->first < after || b->first - after > slack)
		return false;
	size_t words = 0;
	for (size_t k = after; k < b->first; k++) {
		const dyad_token *t = &c->d->toks[k];
		if (is_possessive(t))
			continue;
		size_t len = strlen(t->norm);
		bool participle = len > 4 && (strcmp(t->norm + len - 3, "ing") == 0 ||
		                              strcmp(t->norm + len - 2, "ed") == 0);
		/* "Thailand's acting prime minister", "Russia's ruling party",
		 * but not "US could restore intelligence" */
		bool after_possessive = k > after && is_possessive(&c->d->toks[k - 1]);
		if (!is_word(t) || is_capitalised(t) || word_in(role_breakers, t->norm) ||
		    (dyad__is_verb(t->norm, len) && !(participle && after_possessive)) || ++words > 1)
			return false;
	}
	return true;
}


static int emit(actors_ctx *c, size_t sent, size_t first, size_t n,
                const char *code, const char *name, int how, long entry)
{
	dyad_doc *d = c->d;
	if (vec_grow((void **)&d->ments, &d->cap_ments, d->n_ments + 1, sizeof *d->ments))
		return DYAD_E_NOMEM;
	const dyad_token *t = d->toks;
	const char *where = entry >= 0 ? d->model->entries[entry].where : NULL;
	d->ments[d->n_ments++] = (dyad_mention){
		t[first].start, t[first + n - 1].end, sent, first, n, code, name, how, where, NONE};
	return 0;
}

/* Whether mention m stands inside an appositive: ", a senior adviser to
 * Mr Zelensky," -- descriptive, so not what a later pronoun refers to. */
static bool in_appositive(const actors_ctx *c, size_t m)
{
	const dyad_doc *d = c->d;
	const dyad_mention *mm = &d->ments[m];
	size_t floor = d->sents[mm->sentence].first_token;
	size_t end = floor + d->sents[mm->sentence].n_tokens;
	size_t k = mm->first_token;
	while (k > floor && mm->first_token - k < 10) {
		k--;
		if (strcmp(c->norms[k], ",") == 0)
			break;
		if (d->toks[k].flags & DYAD_TOK_PUNCT)
			return false;
	}
	if (strcmp(c->norms[k], ",") != 0 || k + 1 >= end || k == floor)
		return false;
	const char *w = c->norms[k + 1];
	if (strcmp(w, "a") != 0 && strcmp(w, "an") != 0 && strcmp(w, "the") != 0)
		return false;
	for (size_t j = mm->first_token + mm->n_tokens; j < end && j < mm->first_token + 12; j++)
		if (strcmp(c->norms[j], ",") == 0)
			return true;
	return false;
}

static const char *const function_words[] = {
	"has", "have", "had", "is", "are", "was", "were", "will", "would", "could", "should",
	"may", "might", "must", "can", "did", "does", "do", "also", "and", "or", "but", "of",
	"in", "on", "at", "to", "for", "from", "with", "by", "as", "that", "who", "which",
	"the", "a", "an", "said", "say", "says", "not", "never", "then", "still", "now", NULL
};

/* Whether the role word at [first, last) modifies the noun after it
 * ("military aid", "intelligence sharing", "police officers") rather than
 * standing as an actor ("protesters clashed", "the army said"). */
static bool is_modifier(const actors_ctx *c, size_t first, size_t last, size_t sent)
{
	const dyad_doc *d = c->d;
	size_t end = d->sents[sent].first_token + d->sents[sent].n_tokens;
	if (last >= end)
		return false;
	const dyad_token *t = &d->toks[last];
	if (!is_word(t) || is_capitalised(t) || word_in(function_words, t->norm) ||
	    (t->flags & DYAD_TOK_NUMBER))
		return false;
	size_t len = strlen(t->norm);
	if (len > 2 && strcmp(t->norm + len - 2, "ly") == 0) /* an adverb: "troops quickly" */
		return false;
	const char *lemma = dyad__verb_lemma(t->norm, len);
	if (!lemma || strcmp(lemma, t->norm) == 0)
		return true; /* a noun or a verb's base form: "aid", "brutality" */
	const char *own = c->norms[last - 1];
	bool plural = own[strlen(own) - 1] == 's';
	/* "intelligence sharing"; but "demonstrators supporting the junta"
	 * is a participle clause after a plural actor */
	if (len > 3 && strcmp(t->norm + len - 3, "ing") == 0)
		return !plural;
	if (t->norm[len - 1] == 's' && plural)
		return true; /* "protesters demands" reads as a plural noun */
	(void)first;
	return false;
}

/* Whether a mention is a person (for pronouns). */
typedef struct mention_info {
	char gender;
	bool person;
	int kind; /* the sentence's segment kind */
} mention_info;

static bool country_of(const char *code, char out[4]);

/* Grows d->pair to one entry per mention, new ones NONE. */
static int size_pairs(dyad_doc *d)
{
	if (d->n_pair >= d->n_ments)
		return 0;
	size_t *pair = realloc(d->pair, sizeof *pair * (d->n_ments + 1));
	if (!pair)
		return DYAD_E_NOMEM;
	for (size_t j = d->n_pair; j <= d->n_ments; j++)
		pair[j] = NONE;
	d->pair = pair;
	d->n_pair = d->n_ments;
	return 0;
}

/* Whether tokens [from, to) are all articles ("the", "a", "an"). */
static bool only_determiners(const actors_ctx *c, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		if (strcmp(c->norms[k], "the") != 0 && strcmp(c->norms[k], "a") != 0 &&
		    strcmp(c->norms[k], "an") != 0)
			return false;
	return to - from <= 1;
}

/* Whether the person named in `next` is set off by commas right after a
 * role ending at `last`: "Chad's transitional president, Mahamat Idriss
 * Deby, flew". */
static bool holder_in_commas(const actors_ctx *c, size_t last, const item *next)
{
	size_t after = next->first + next->n;
	return (next->kind == ITEM_PERSON || next->kind == ITEM_NAME) &&
	       next->first == last + 1 && strcmp(c->norms[last], ",") == 0 &&
	       after < c->d->n_toks && strcmp(c->norms[after], ",") == 0;
}

/* "both countries", "the two sides": the two countries the article has
 * named most so far (the parties it is about), each by its last mention;
 * false unless two countries stand out (named twice or more). */
static bool top_countries(const actors_ctx *c, size_t sent, size_t found[2])
{
	const dyad_doc *d = c->d;
	struct {
		char cc[4];
		unsigned count;
		size_t last;
	} tally[32];
	size_t nt = 0;
	for (size_t j = 0; j < d->n_ments && d->ments[j].sentence < sent; j++) {
		char cc[4];
		if (d->ments[j].how == DYAD_RES_PRONOUN || !country_of(d->ments[j].code, cc) ||
		    d->sents[d->ments[j].sentence].kind != DYAD_SEG_BODY)
			continue;
		size_t t = 0;
		while (t < nt && strcmp(tally[t].cc, cc) != 0)
			t++;
		if (t == nt) {
			if (nt == 32)
				continue;
			memcpy(tally[nt].cc, cc, 4);
			tally[nt++].count = 0;
		}
		tally[t].count++;
		tally[t].last = j;
	}
	size_t best[2] = {NONE, NONE};
	for (size_t t = 0; t < nt; t++) {
		if (best[0] == NONE || tally[t].count > tally[best[0]].count) {
			best[1] = best[0];
			best[0] = t;
		} else if (best[1] == NONE || tally[t].count > tally[best[1]].count) {
			best[1] = t;
		}
	}
	if (best[1] == NONE || tally[best[1]].count < 2)
		return false;
	found[0] = tally[best[0]].last;
	found[1] = tally[best[1]].last;
	return true;
}

/* "both leaders", "the two countries": the two most recent actors of
 * different countries before it (people for leaders, presidents and
 * ministers), as two mentions over the same words, partners in d->pair. */
static int resolve_pair(actors_ctx *c, size_t sent, const item *it, mention_info **info,
                        size_t *cap_info)
{
	dyad_doc *d = c->d;
	const char *noun = c->norms[it->first + it->n - 1];
	bool people = strcmp(noun, "leaders") == 0 || strcmp(noun, "presidents") == 0 ||
	              strcmp(noun, "ministers") == 0;
	size_t found[2];
	int n = 0;
	if (!people && top_countries(c, sent, found))
		n = 2;
	for (size_t j = d->n_ments; j-- > 0 && n < 2;) {
		const dyad_mention *m = &d->ments[j];
		if (sent - m->sentence > 3)
			break;
		/* earlier sentences: "X spoke with both leaders" does not count X */
		if (m->sentence == sent)
			continue;
		if (!m->code || m->how == DYAD_RES_PRONOUN || (*info)[j].kind != d->sents[sent].kind ||
		    (people && !(*info)[j].person) || (j < d->n_pair && d->pair[j] != NONE))
			continue;
		if (n == 1 && strncmp(d->ments[found[0]].code, m->code, 3) == 0)
			continue;
		found[n++] = j;
	}
	if (n < 2)
		return 0;
	size_t first_index = d->n_ments;
	for (int i = 1; i >= 0; i--) {
		const dyad_mention *a = &d->ments[found[i]];
		const char *code = a->code, *name = a->name;
		/* "both countries" are the countries, not their officials */
		char cc[4];
		if (!people && country_of(code, cc)) {
			code = arena_strndup(&d->a, cc, 3);
			name = NULL;
		}
		if (emit(c, sent, it->first, it->n, code, name, DYAD_RES_PRONOUN, -1))
			return DYAD_E_NOMEM;
		d->ments[d->n_ments - 1].antecedent = found[i];
		if (vec_grow((void **)info, cap_info, d->n_ments, sizeof **info))
			return DYAD_E_NOMEM;
		(*info)[d->n_ments - 1] = (mention_info){0, people, d->sents[sent].kind};
	}
	if (size_pairs(d))
		return DYAD_E_NOMEM;
	d->pair[first_index] = first_index + 1;
	return 0;
}

#define MAX_BARE 32

/* A role word met without a country, to be given the sentence's one. */
struct bare_role {
	size_t mention;
	long entry;
};

/* The country of a mention's code ("UKRGOV" -> "UKR"), or NULL for
 * international actors and unknown ones. */
static bool country_of(const char *code, char out[4])
{
	static const char *const international[] = {"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", NULL};
	if (!code || strlen(code) < 3)
		return false;
	for (const char *const *p = international; *p; p++)
		if (strncmp(code, *p, 3) == 0)
			return false;
	memcpy(out, code, 3);
	out[3] = '\0';
	return true;
}

/* PETRARCH: a role takes its country from its own phrase ("lawmakers in
 * Fornost and Gondor": one code per country, joined by '/'). Returns the
 * number of bytes written to buf. */
static size_t petrarch_role_of(actors_ctx *c, size_t sent, const struct bare_role *b,
                               const char *ag, char *buf, size_t cap)
{
	dyad_doc *d = c->d;
	const dyad_mention *m = &d->ments[b->mention];
	size_t end = d->sents[sent].first_token + d->sents[sent].n_tokens;
	size_t k = m->first_token + m->n_tokens, bl = 0;
	char cc[4];
	if (k >= end || (strcmp(c->norms[k], "in") != 0 && strcmp(c->norms[k], "of") != 0 &&
	                 strcmp(c->norms[k], "from") != 0))
		return 0;
	for (size_t j = b->mention + 1; j < d->n_ments && d->ments[j].sentence == sent; j++) {
		const dyad_mention *o = &d->ments[j];
		bool joined = true;
		for (size_t q = k + (bl == 0); q < o->first_token; q++)
			joined = joined && (strcmp(c->norms[q], "and") == 0 ||
			                    strcmp(c->norms[q], ",") == 0 || strcmp(c->norms[q], "the") == 0);
		if (!joined || !country_of(o->code, cc))
			break;
		const char *one = compound_code(c, cc, ag);
		if (one && bl + strlen(one) + 2 < cap)
			bl += (size_t)snprintf(buf + bl, cap - bl, "%s%s", bl ? "/" : "", one);
		k = o->first_token + o->n_tokens;
	}
	return bl;
}

/* PETRARCH codes a role from its own phrase, or from the role it is
 * coordinated with ("Danish media and government"); else the role has no
 * country: "---LEG". It never borrows the sentence's country. */
static void petrarch_role(actors_ctx *c, size_t sent, const struct bare_role *b)
{
	dyad_doc *d = c->d;
	dyad_mention *m = &d->ments[b->mention];
	const char *ag = entry_code(c, b->entry);
	char buf[256] = "", cc[4];
	if (!ag)
		return;
	size_t bl = petrarch_role_of(c, sent, b, ag, buf, sizeof buf);
	if (!bl && b->mention > 0 && m->first_token >= 1 &&
	    strcmp(c->norms[m->first_token - 1], "and") == 0) {
		const dyad_mention *o = &d->ments[b->mention - 1];
		const char *one = NULL;
		if (o->sentence == sent && o->first_token + o->n_tokens + 1 == m->first_token &&
		    o->how == DYAD_RES_ROLE && country_of(o->code, cc))
			one = compound_code(c, cc, ag);
		if (one)
			bl = (size_t)snprintf(buf, sizeof buf, "%s", one);
	}
	if (!bl && ag[0] == '~')
		snprintf(buf, sizeof buf, "---%s", ag + 1);
	if (buf[0]) {
		m->code = arena_strdup(&d->a, buf);
		m->how = DYAD_RES_ROLE;
	}
}

/* "Protesters clashed with Kenyan police", "the opposition accused the
 * Nigerian government": CAMEO coders give a role with no country of its
 * own the country the sentence is about -- the nearest country-coded
 * mention, earlier ones first. */
static void country_from_sentence(actors_ctx *c, size_t sent, const struct bare_role *b)
{
	dyad_doc *d = c->d;
	dyad_mention *m = &d->ments[b->mention];
	char cc[4];
	const char *found = NULL;
	if (entry_of(c, b->entry)->style == 2) {
		petrarch_role(c, sent, b);
		return;
	}
	/* "the two foreign ministers", "both armies": several countries */
	static const char *const several[] = {"two", "both", "three", "each",
	                                      "rival", "opposing", "respective", NULL};
	for (size_t k = m->first_token, steps = 0; k > d->sents[sent].first_token && steps < 3;
	     k--, steps++)
		if (word_in(several, c->norms[k - 1]))
			return;
	/* "its cabinet": the country of the sentence's subject */
	size_t k0 = m->first_token;
	bool its = k0 > d->sents[sent].first_token &&
	           (strcmp(c->norms[k0 - 1], "its") == 0 || strcmp(c->norms[k0 - 1], "their") == 0);
	if (its) {
		for (size_t j = b->mention; j-- > 0 && d->ments[j].sentence == sent;)
			if (country_of(d->ments[j].code, cc))
				found = cc; /* keeps the first of the sentence */
	}
	for (size_t j = b->mention; !found && j-- > 0 && d->ments[j].sentence == sent;)
		if (country_of(d->ments[j].code, cc)) {
			found = cc;
			break;
		}
	/* "police fired tear gas" in an article about Kenya: the country the
	 * article has named most so far, before a mention later in the
	 * sentence, which is more often the other party */
	if (!found && c->focus_count >= 2)
		found = c->focus;
	for (size_t j = b->mention + 1; !found && j < d->n_ments && d->ments[j].sentence == sent; j++)
		if (country_of(d->ments[j].code, cc))
			found = cc;
	if (!found)
		return;
	m->code = compound_code(c, found, entry_code(c, b->entry));
	m->how = DYAD_RES_ROLE;
}

/* Counts the countries of a sentence's mentions towards the focus. */
static int tally_countries(actors_ctx *c, size_t from)
{
	dyad_doc *d = c->d;
	char cc[4];
	for (size_t i = from; i < d->n_ments; i++) {
		if (d->ments[i].how == DYAD_RES_PRONOUN || !country_of(d->ments[i].code, cc))
			continue;
		uint32_t *n = strmap_put(&c->countries, &d->a, cc, 3, 0);
		if (!n)
			return DYAD_E_NOMEM;
		if (++*n > c->focus_count) {
			c->focus_count = *n;
			memcpy(c->focus, cc, 4);
		}
	}
	return 0;
}

/* Pass 2: combine the items of one sentence into mentions. */
static int combine_sentence(actors_ctx *c, size_t sent, mention_info **info, size_t *cap_info)
{
	dyad_doc *d = c->d;
	item *it = c->items;
	size_t n = c->n_items;
	struct bare_role bare[MAX_BARE];
	size_t n_bare = 0;
	for (size_t k = 0; k < n; k++) {
		item cur = it[k];
		if (cur.kind == ITEM_PAIR) {
			if (resolve_pair(c, sent, &cur, info, cap_info))
				return DYAD_E_NOMEM;
			continue;
		}
		size_t first = cur.first, last = cur.first + cur.n;
		const char *code = cur.code, *name = cur.name;
		int how = cur.how;
		long entry = cur.entry;
		bool person = cur.kind == ITEM_PERSON || cur.kind == ITEM_NAME;
		char gender = cur.gender;
		const char *role = NULL; /* compound role code, e.g. UKRGOV */
		long role_entry = -1;     /* the role word's entry, for "the chancellor" later */

		/* title before a person: "Mr Zelensky", "President Trump" */
		if (person && first > d->sents[sent].first_token && is_title(c, first - 1)) {
			first--;
			if (how == DYAD_RES_DIRECT)
				how = DYAD_RES_TITLE;
		}
		/* "Kenyan and American officials": the first country shares the
		 * role that follows the second */
		if (cur.kind == ITEM_ACTOR && k + 2 < n && it[k + 1].kind == ITEM_ACTOR &&
		    it[k + 2].kind == ITEM_AGENT && it[k + 1].first == last + 1 &&
		    (strcmp(c->norms[last], "and") == 0 || strcmp(c->norms[last], "or") == 0) &&
		    items_adjacent(c, &it[k + 1], &it[k + 2], 1)) {
			const char *shared = compound_code(c, cur.code, entry_code(c, it[k + 2].entry));
			if (emit(c, sent, first, last - first, shared, NULL, DYAD_RES_ROLE, it[k + 2].entry))
				return DYAD_E_NOMEM;
			if (vec_grow((void **)info, cap_info, d->n_ments, sizeof **info))
				return DYAD_E_NOMEM;
			(*info)[d->n_ments - 1] = (mention_info){0, false, d->sents[sent].kind};
			continue;
		}
		/* country [ 's ] role: "Ukrainian president", "Ukraine's defence minister",
		 * "Mr Trump's national security adviser" */
		if ((cur.kind == ITEM_ACTOR || cur.kind == ITEM_PERSON) && k + 1 < n &&
		    it[k + 1].kind == ITEM_AGENT && items_adjacent(c, &cur, &it[k + 1], 2)) {
			const actor_entry *ag = entry_of(c, it[k + 1].entry);
			/* a body with a role of its own keeps it: "Al-Shabaab
			 * militants" are SOMREB, "Pentagon officials" USAMIL; a
			 * person's or a country's role word decides */
			bool own_role = cur.kind == ITEM_ACTOR && cur.code && strlen(cur.code) > 3;
			role_entry = it[k + 1].entry;
			role = own_role ? cur.code
			                : compound_code(c, cur.code, entry_code(c, it[k + 1].entry));
			code = role;
			how = DYAD_RES_ROLE;
			entry = it[k + 1].entry;
			person = ag->type == TYPE_PERSON;
			gender = ag->gender;
			name = NULL;
			last = it[k + 1].first + it[k + 1].n;
			k++;
		} else if (cur.kind == ITEM_ACTOR && k + 1 < n &&
		           (it[k + 1].kind == ITEM_NAME || it[k + 1].kind == ITEM_PERSON) &&
		           it[k + 1].first == last + 1 && is_title(c, last)) {
			/* body + title + name: "CIA Director John Ratcliffe" holds an
			 * office of that body; a country's title holder is its GOV */
			role = strlen(cur.code ? cur.code : "") > 3 ? cur.code
			                                             : compound_code(c, cur.code, "GOV");
			code = role;
			how = DYAD_RES_ROLE;
			person = true;
			name = NULL;
			last = it[k + 1].first;
		} else if (cur.kind == ITEM_AGENT) {
			/* role of country: "the president of Ukraine" */
			const actor_entry *ag = entry_of(c, cur.entry);
			role_entry = cur.entry;
			person = ag->type == TYPE_PERSON;
			gender = ag->gender;
			code = NULL;
			how = DYAD_RES_UNKNOWN;
			/* ... and for a body: "a reporter for The Wall Street Journal",
			 * "a spokesman for the United Nations" */
			if (k + 1 < n && it[k + 1].kind == ITEM_ACTOR && it[k + 1].first > last &&
			    (strcmp(c->norms[last], "of") == 0 || strcmp(c->norms[last], "for") == 0) &&
			    only_determiners(c, last + 1, it[k + 1].first)) {
				bool body_role = it[k + 1].code && strlen(it[k + 1].code) > 3;
				role = body_role ? it[k + 1].code
				                 : compound_code(c, it[k + 1].code, entry_code(c, cur.entry));
				code = role;
				how = DYAD_RES_ROLE;
				last = it[k + 1].first + it[k + 1].n;
				k++;
			}
		}
		/* role followed by its holder: "US President Donald Trump",
		 * "national security adviser Mike Waltz"; a country's role before
		 * a dictionary actor: "Bree Prime Minister Romendacil" */
		if ((person || role) && !name && k + 1 < n &&
		    (it[k + 1].first == last ||
		     (person && holder_in_commas(c, last, &it[k + 1]))) &&
		    (it[k + 1].kind == ITEM_PERSON || it[k + 1].kind == ITEM_NAME ||
		     (role && it[k + 1].kind == ITEM_ACTOR))) {
			item *p = &it[k + 1];
			bool known_now = p->kind == ITEM_PERSON && p->entry >= 0 && dated_code(c, p->entry);
			if (p->kind == ITEM_PERSON && (known_now || !role)) {
				code = p->code;
				how = DYAD_RES_DIRECT;
			}
			name = p->name ? p->name : token_text(c, p->first, p->n);
			if (p->gender)
				gender = p->gender;
			if (p->entry >= 0) {
				entry = p->entry;
				if (known_now)
					how = DYAD_RES_DIRECT;
			} else if (p->how == DYAD_RES_SURNAME) {
				how = DYAD_RES_SURNAME;
			}
			last = p->first + p->n;
			k++;
		}
		/* "the chancellor" after "German Chancellor Olaf Scholz": the
		 * person last introduced with that role */
		if (cur.kind == ITEM_AGENT && !code && !name && person && first > 0 &&
		    first > d->sents[sent].first_token && strcmp(c->norms[first - 1], "the") == 0) {
			const known_person *p = person_by_role(c, cur.entry);
			if (p) {
				code = p->code;
				name = p->name;
				gender = p->gender;
				how = DYAD_RES_ROLE;
			}
		}
		/* a bare role word is an actor unless it modifies a noun: "the
		 * army said", "protesters clashed", but "military aid" */
		if (cur.kind == ITEM_AGENT && !code && !name && is_modifier(c, first, last, sent))
			continue;
		/* a role with no country, alone ("the police") or before an
		 * unknown holder ("Prime Minister Najib Mikati") */
		if (cur.kind == ITEM_AGENT && !code && n_bare < MAX_BARE)
			bare[n_bare++] = (struct bare_role){d->n_ments, cur.entry};
		if (cur.kind == ITEM_NAME && !name)
			name = token_text(c, cur.first, cur.n);
		if (cur.kind == ITEM_PRONOUN) {
			/* in this sentence the nearest fitting mention; in earlier
			 * ones the first (news sentences lead with their subject);
			 * never one inside an appositive, never across captions */
			size_t a = NONE, group = NONE;
			int kind = d->sents[sent].kind;
			for (size_t j = d->n_ments; j-- > 0;) {
				const mention_info *mi = &(*info)[j];
				size_t js = d->ments[j].sentence;
				if (group != NONE && js != group && a != NONE)
					break;
				if (sent - js > 3)
					break;
				group = js;
				if (mi->kind != kind || in_appositive(c, j))
					continue;
				/* "“... the president will ...,” he said": words quoted
				 * are not what the narrator's pronoun refers to */
				if (js == sent && c->quoted[d->ments[j].first_token] != c->quoted[first])
					continue;
				bool fits = gender ? (mi->person && (!mi->gender || mi->gender == gender))
				                   : !mi->person;
				if (!fits)
					continue;
				a = j;
				if (js == sent)
					break;
			}
			/* a pronoun's antecedent is its antecedent's referent */
			while (a != NONE && d->ments[a].how == DYAD_RES_PRONOUN &&
			       d->ments[a].antecedent != NONE)
				a = d->ments[a].antecedent;
			if (a == NONE)
				continue;
			/* copied out: emit() may move d->ments */
			code = d->ments[a].code;
			name = d->ments[a].name;
			const char *a_entry = d->ments[a].entry;
			person = (*info)[a].person;
			if (emit(c, sent, first, 1, code, name, DYAD_RES_PRONOUN, -1))
				return DYAD_E_NOMEM;
			d->ments[d->n_ments - 1].antecedent = a;
			d->ments[d->n_ments - 1].entry = a_entry;
		} else {
			if (emit(c, sent, first, last - first, code, name, how, entry))
				return DYAD_E_NOMEM;
		}
		if (vec_grow((void **)info, cap_info, d->n_ments, sizeof **info))
			return DYAD_E_NOMEM;
		(*info)[d->n_ments - 1] = (mention_info){gender, person, d->sents[sent].kind};
		if (person && name && cur.kind != ITEM_PRONOUN && strchr(name, ' ')) {
			item rec = {0, 0, -1, ITEM_PERSON, code, name, how, gender};
			if (remember_person(c, &rec, last - 1, d->ments[d->n_ments - 1].entry))
				return DYAD_E_NOMEM;
			/* filed under the name's own last word */
			dbuf nb = {0};
			const char *sp = strrchr(name, ' ');
			if (dyad__norm(sp + 1, strlen(sp + 1), &nb) == 0 && nb.ptr)
				c->people[c->n_people - 1].surname = arena_strdup(&d->a, nb.ptr);
			dbuf_free(&nb);
			if (!c->people[c->n_people - 1].surname || index_person(c, c->n_people - 1))
				return DYAD_E_NOMEM;
			c->people[c->n_people - 1].role = role_entry;
		}
	}
	for (size_t b = 0; b < n_bare; b++)
		country_from_sentence(c, sent, &bare[b]);
	return 0;
}

/* Pass 3: a person named without a code gets one from an appositive role:
 * "Andriy Yermak, the head of Mr Zelensky's office". */
static void appositives(actors_ctx *c, size_t from)
{
	dyad_doc *d = c->d;
	for (size_t i = from; i + 1 < d->n_ments; i++) {
		dyad_mention *m = &d->ments[i];
		if (m->code || m->how == DYAD_RES_PRONOUN)
			continue;
		size_t after = m->first_token + m->n_tokens;
		if (after + 1 >= d->n_toks || strcmp(c->norms[after], ",") != 0 ||
		    !(strcmp(c->norms[after + 1], "a") == 0 || strcmp(c->norms[after + 1], "an") == 0 ||
		      strcmp(c->norms[after + 1], "the") == 0))
			continue;
		/* the next mention before the next comma holds the role */
		for (size_t j = i + 1; j < d->n_ments && d->ments[j].sentence == m->sentence; j++) {
			dyad_mention *r = &d->ments[j];
			bool comma = false;
			for (size_t k = after + 1; k < r->first_token; k++)
				if (strcmp(c->norms[k], ",") == 0 || (d->toks[k].flags & DYAD_TOK_QUOTE))
					comma = true;
			if (comma || r->first_token - after > 8)
				break;
			if (r->code && r->how != DYAD_RES_PRONOUN) {
				char buf[64];
				snprintf(buf, sizeof buf, "%.3sGOV", r->code);
				m->code = r->how == DYAD_RES_ROLE ? r->code : arena_strdup(&d->a, buf);
				m->how = DYAD_RES_ROLE;
				break;
			}
		}
		/* later surname mentions of the same person share the code */
		if (!m->code || !m->name || !strrchr(m->name, ' '))
			continue;
		size_t last = m->first_token + m->n_tokens - 1;
		uint32_t k = strmap_get(&c->surnames, c->norms[last], strlen(c->norms[last]), 0);
		for (size_t j = k ? k - 1 : NONE; j != NONE; j = c->people[j].prev)
			if (c->people[j].name == m->name && !c->people[j].code)
				c->people[j].code = m->code;
	}
}

/* Whether a mention since `from` is an unknown name whose last word is
 * now a known person's surname. */
static bool surname_pending(const actors_ctx *c, size_t from)
{
	const dyad_doc *d = c->d;
	for (size_t i = from; i < d->n_ments; i++) {
		const dyad_mention *m = &d->ments[i];
		if (m->how != DYAD_RES_UNKNOWN || !m->n_tokens)
			continue;
		size_t last = m->first_token + m->n_tokens - 1;
		const known_person *p = find_person(c, c->norms[last]);
		if (p && p->name != m->name && (!m->name || strcmp(p->name, m->name) != 0))
			return true;
	}
	return false;
}

int dyad__actors(dyad_doc *d)
{
	actors_ctx c = {d, NULL, NULL, NULL, 0, 0, NULL, 0, 0, {0}, {0}, {0}, 0, NULL};
	int rc = 0;
	c.norms = malloc(sizeof *c.norms * (d->n_toks + 1));
	c.flags = malloc(sizeof *c.flags * (d->n_toks + 1));
	c.quoted = calloc(d->n_toks + 1, sizeof *c.quoted);
	d->discard = calloc(d->n_sents + 1, 1);
	mention_info *info = NULL;
	size_t cap_info = 0;
	if (!c.norms || !c.flags || !c.quoted || !d->discard) {
		rc = DYAD_E_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < d->n_toks; i++) {
		c.norms[i] = d->toks[i].norm;
		c.flags[i] = d->toks[i].flags;
	}
	dyad__mark_quoted(d, c.quoted);
	for (size_t s = 0; s < d->n_sents && !rc; s++) {
		if (d->sents[s].kind == DYAD_SEG_BOILERPLATE)
			continue;
		size_t before = d->n_ments;
		for (int pass = 0; pass < 2 && !rc; pass++) {
			c.n_items = 0;
			d->n_ments = before;
			for (size_t j = before; j < d->n_pair; j++)
				d->pair[j] = NONE;
			if ((rc = scan_sentence(&c, &d->sents[s])) == 0 &&
			    (rc = combine_sentence(&c, s, &info, &cap_info)) == 0)
				appositives(&c, before);
			/* a surname used after its full name in the same sentence
			 * ("President Volodymyr Zelensky ... Mr Zelensky") resolves
			 * on a second pass, once the full name is known */
			if (!rc && !surname_pending(&c, before))
				break;
		}
		if (!rc)
			rc = tally_countries(&c, before);
	}
	if (!rc)
		rc = size_pairs(d);
done:
	free(c.norms);
	free(c.flags);
	free(c.items);
	free(c.people);
	strmap_free(&c.surnames);
	strmap_free(&c.countries);
	free(c.quoted);
	free(info);
	return rc;
}
