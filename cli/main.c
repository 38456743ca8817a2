/* main.c -- the dyad program: commands, options, the reading loop, the
 * worker pool and the JSON-lines / TSV writers. Uses the public API only. */
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: dyad COMMAND [OPTIONS] [FILE...]\n"
	"\n"
	"Turns raw English news into political event data.\n"
	"\n"
	"Commands:\n"
	"  code FILE...       the main job: events and quotations as JSON lines\n"
	"  segment FILE...    sentences as JSON lines (doc, paragraph, sentence, kind, offsets)\n"
	"  actors FILE...     actor mentions with codes and how they were resolved\n"
	"  eval FILE...       precision, recall and F1 against gold records\n"
	"  dict check PATH... check dictionaries; every problem as file:line: message\n"
	"  version            print the version\n"
	"\n"
	"FILE is a text file (first line may be 'date YYYY-MM-DD'), a JSON-lines\n"
	"file (one article a line: text, optional id, date, title, url), an HTML\n"
	"page, a directory (read recursively) or - for standard input.\n"
	"\n"
	"Input options:\n"
	"  --input-format F   auto (default), text, jsonl or html\n"
	"  --date YYYY-MM-DD  date for documents that have none\n"
	"Dictionary options:\n"
	"  --dict PATH        load dictionaries from a file or directory (repeatable)\n"
	"  --dict-format F    dyad (default), tabari or petrarch, for the --dict after it\n"
	"  --no-builtin       do not load the built-in dictionaries\n"
	"Coding options (code):\n"
	"  --format F         jsonl (default) or tsv (events only, with a header)\n"
	"  --db FILE          also write an SQLite database (documents, sentences,\n"
	"                     actors, events, quotes)\n"
	"  --events-only, --quotes-only   restrict the records written\n"
	"  --one-a-day        drop repeats of the same date, source, target and code\n"
	"  --keep-captions    code photo captions as body text\n"
	"  --hypothetical     also report modal and conditional events (flagged)\n"
	"  --negated          also report negated events (flagged)\n"
	"  --incomplete       also report events whose source or target is unknown\n"
	"  --quoted           also code events inside quotations (\"we\" is the speaker's side)\n"
	"  --quad C           quad class convention: phoenix (default), gdelt, icews\n"
	"  -j N               worker threads (default: all cores); output stays in input order\n"
	"Other options:\n"
	"  --all              (segment) also print boilerplate sentences\n"
	"  -q, --quiet        no summary line on stderr\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 all input processed; 1 some records or dictionary lines were\n"
	"skipped (each reported as file:line: message on stderr); 2 usage or fatal error.\n";

void cli_report(const dyad_error *e)
{
	if (e->file[0] && e->line)
		fprintf(stderr, "%s:%ld: %s\n", e->file, e->line, e->message);
	else if (e->file[0])
		fprintf(stderr, "%s: %s\n", e->file, e->message);
	else
		fprintf(stderr, "dyad: %s\n", e->message);
}

void cli_diag(void *ctx, const dyad_error *e)
{
	int *count = ctx;
	if (count)
		(*count)++;
	cli_report(e);
}

static int parse_dict_format(const char *s)
{
	if (strcmp(s, "dyad") == 0)
		return DYAD_DICT_DYAD;
	if (strcmp(s, "tabari") == 0)
		return DYAD_DICT_TABARI;
	if (strcmp(s, "petrarch") == 0)
		return DYAD_DICT_PETRARCH;
	return -1;
}

int cli_model_option(cli_model_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	if (strcmp(a, "--no-builtin") == 0) {
		o->no_builtin = 1;
		return 1;
	}
	if (strcmp(a, "--dict") != 0 && strcmp(a, "--dict-format") != 0)
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "dyad: %s needs a value\n", a);
		return -1;
	}
	const char *v = argv[++*i];
	if (strcmp(a, "--dict-format") == 0) {
		if ((o->dict_format = parse_dict_format(v)) < 0) {
			fprintf(stderr, "dyad: unknown dictionary format '%s' (dyad, tabari, petrarch)\n", v);
			return -1;
		}
		return 1;
	}
	if (o->n_dicts >= (int)(sizeof o->dicts / sizeof o->dicts[0])) {
		fprintf(stderr, "dyad: too many --dict options\n");
		return -1;
	}
	o->formats[o->n_dicts] = o->dict_format;
	o->dicts[o->n_dicts++] = v;
	return 1;
}

dyad_model *cli_model_build(const cli_model_opts *o, int *problems)
{
	dyad_error err = {0};
	*problems = 0;
	dyad_model *m = dyad_model_new(o->no_builtin ? DYAD_MODEL_EMPTY : 0, &err);
	if (!m) {
		cli_report(&err);
		return NULL;
	}
	for (int i = 0; i < o->n_dicts; i++) {
		/* a --dict-format given after the --dict still applies to it */
		int fmt = o->formats[i] ? o->formats[i] : o->dict_format;
		int r = dyad_model_load(m, o->dicts[i], fmt, cli_diag, problems);
		if (r < 0) {
			dyad_model_free(m);
			return NULL;
		}
	}
	return m;
}

static int parse_input_format(const char *s)
{
	static const char *const names[] = {"auto", "text", "jsonl", "html"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static int parse_quad(const char *s)
{
	if (strcmp(s, "phoenix") == 0)
		return DYAD_QUAD_PHOENIX;
	if (strcmp(s, "gdelt") == 0)
		return DYAD_QUAD_GDELT;
	if (strcmp(s, "icews") == 0)
		return DYAD_QUAD_ICEWS;
	return -1;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

/* ---- the run: read, process in parallel batches, write in order ----- */

#define BATCH 256

typedef struct job {
	dyad_input in;   /* deep copy of the reader's record */
	char *strings;   /* owns every string of `in` */
	dyad_doc *doc;
	int rc;
} job;

typedef struct run {
	const char *cmd;
	run_opts *o;
	const dyad_model *model;
	job jobs[BATCH];
	size_t n_jobs;
	size_t next; /* next job for a worker */
	pthread_mutex_t lock;
	output *out;
	long docs, skipped, sentences, events, quotes, mentions;
	time_t last_progress, started;
	int tty;
} run;

static char *copy_str(char **p, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	memcpy(*p, s, n);
	char *r = *p;
	*p += n;
	return r;
}

static int job_copy(job *j, const dyad_input *in)
{
	const char *strs[] = {in->id, in->date, in->title, in->url, in->meta, in->source};
	size_t total = in->text_len + 1;
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		total += strs[i] ? strlen(strs[i]) + 1 : 0;
	j->strings = malloc(total);
	if (!j->strings)
		return -1;
	char *p = j->strings;
	j->in = *in;
	j->in.id = copy_str(&p, in->id);
	j->in.date = copy_str(&p, in->date);
	j->in.title = copy_str(&p, in->title);
	j->in.url = copy_str(&p, in->url);
	j->in.meta = copy_str(&p, in->meta);
	j->in.source = copy_str(&p, in->source);
	if (in->text_len)
		memcpy(p, in->text, in->text_len);
	p[in->text_len] = '\0';
	j->in.text = p;
	j->doc = NULL;
	j->rc = 0;
	return 0;
}

static unsigned stages_for(const char *cmd, const run_opts *o)
{
	if (strcmp(cmd, "segment") == 0)
		return DYAD_STAGE_SEGMENT;
	if (strcmp(cmd, "actors") == 0)
		return DYAD_STAGE_ACTORS;
	if (o->only == DYAD_OUT_EVENTS)
		return DYAD_STAGE_EVENTS;
	if (o->only == DYAD_OUT_QUOTES)
		return DYAD_STAGE_QUOTES;
	return DYAD_STAGE_ALL;
}

static void process_job(run *r, job *j)
{
	dyad_error err = {0};
	j->doc = dyad_doc_new(r->model, &j->in, &r->o->doc_opts, &err);
	if (!j->doc) {
		j->rc = err.code ? err.code : DYAD_E_NOMEM;
		return;
	}
	j->rc = dyad_doc_run(j->doc, stages_for(r->cmd, r->o));
}

static void *worker(void *arg)
{
	run *r = arg;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		size_t i = r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->n_jobs)
			return NULL;
		process_job(r, &r->jobs[i]);
	}
}

static void progress(run *r, int final)
{
	if (!r->tty || r->o->quiet)
		return;
	time_t now = time(NULL);
	if (!final && now == r->last_progress)
		return;
	r->last_progress = now;
	double secs = difftime(now, r->started);
	fprintf(stderr, "\r%ld documents, %ld events, %ld quotes, %.0f docs/s   ", r->docs, r->events,
	        r->quotes, secs > 0 ? r->docs / secs : 0.0);
	if (final)
		fputc('\n', stderr);
}

static int flush_batch(run *r)
{
	int threads = r->o->jobs < (int)r->n_jobs ? r->o->jobs : (int)r->n_jobs;
	r->next = 0;
	if (threads <= 1) {
		worker(r);
	} else {
		pthread_t tids[64];
		int started = 0;
		for (int t = 0; t < threads; t++)
			if (pthread_create(&tids[t], NULL, worker, r) == 0)
				started++;
		if (!started)
			worker(r);
		for (int t = 0; t < started; t++)
			pthread_join(tids[t], NULL);
	}
	int failed = 0;
	for (size_t i = 0; i < r->n_jobs; i++) {
		job *j = &r->jobs[i];
		if (j->rc) {
			fprintf(stderr, "%s%s%.0ld: %s: %s\n", j->in.source ? j->in.source : j->in.id,
			        j->in.line ? ":" : "", j->in.line, j->in.id, dyad_strerror(j->rc));
			r->skipped++;
		} else {
			r->docs++;
			r->sentences += (long)dyad_doc_sentence_count(j->doc);
			r->mentions += (long)dyad_doc_mention_count(j->doc);
			if (output_doc(r->out, j->doc, &r->events, &r->quotes) < 0)
				failed = 1;
		}
		dyad_doc_free(j->doc);
		free(j->strings);
	}
	r->n_jobs = 0;
	progress(r, 0);
	return failed ? -1 : 0;
}

static int read_inputs(run *r, char **files, int n_files)
{
	static char *stdin_only[] = {"-"};
	if (n_files == 0) {
		files = stdin_only;
		n_files = 1;
	}
	for (int f = 0; f < n_files; f++) {
		dyad_error err = {0};
		dyad_reader *rd = dyad_reader_open(files[f], r->o->input_format, &err);
		if (!rd) {
			cli_report(&err);
			r->skipped++;
			continue;
		}
		const dyad_input *in;
		int rc;
		while ((rc = dyad_reader_next(rd, &in, &err)) != 0) {
			if (rc < 0) {
				cli_report(&err);
				r->skipped++;
				if (rc == DYAD_E_NOMEM || rc == DYAD_E_IO)
					break;
				continue;
			}
			if (job_copy(&r->jobs[r->n_jobs], in)) {
				fprintf(stderr, "dyad: out of memory\n");
				dyad_reader_close(rd);
				return -1;
			}
			if (++r->n_jobs == BATCH && flush_batch(r)) {
				dyad_reader_close(rd);
				return -1;
			}
		}
		dyad_reader_close(rd);
	}
	return r->n_jobs ? flush_batch(r) : 0;
}

static int parse_run_options(run_opts *o, int argc, char **argv, char ***files, int *n_files)
{
	*files = calloc((size_t)argc + 1, sizeof **files);
	if (!*files)
		return -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int m = cli_model_option(&o->model, argc, argv, &i);
		if (m < 0)
			return -1;
		if (m)
			continue;
		const char *needs_value[] = {"--input-format", "--date", "--format", "--db", "--quad", "-j"};
		bool valued = false;
		for (size_t k = 0; k < sizeof needs_value / sizeof needs_value[0]; k++)
			if (strcmp(a, needs_value[k]) == 0)
				valued = true;
		if (valued && i + 1 >= argc) {
			fprintf(stderr, "dyad: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "--input-format") == 0) {
			if ((o->input_format = parse_input_format(argv[++i])) < 0) {
				fprintf(stderr, "dyad: unknown input format '%s'\n", argv[i]);
				return -1;
			}
		} else if (strcmp(a, "--date") == 0) {
			const char *d = argv[++i];
			if (strlen(d) != 10 || d[4] != '-' || d[7] != '-') {
				fprintf(stderr, "dyad: --date wants YYYY-MM-DD, not '%s'\n", d);
				return -1;
			}
			o->doc_opts.date = d;
		} else if (strcmp(a, "--format") == 0) {
			const char *f = argv[++i];
			if (strcmp(f, "jsonl") == 0)
				o->tsv = 0;
			else if (strcmp(f, "tsv") == 0)
				o->tsv = 1;
			else {
				fprintf(stderr, "dyad: unknown output format '%s' (jsonl, tsv)\n", f);
				return -1;
			}
		} else if (strcmp(a, "--db") == 0) {
			o->db = argv[++i];
		} else if (strcmp(a, "--quad") == 0) {
			if ((o->doc_opts.quad = parse_quad(argv[++i])) < 0) {
				fprintf(stderr, "dyad: unknown quad convention '%s'\n", argv[i]);
				return -1;
			}
		} else if (strcmp(a, "-j") == 0 || strncmp(a, "-j", 2) == 0) {
			const char *v = a[2] ? a + 2 : argv[++i];
			char *end;
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 64) {
				fprintf(stderr, "dyad: -j wants a number from 1 to 64\n");
				return -1;
			}
			o->jobs = (int)n;
		} else if (strcmp(a, "--events-only") == 0) {
			o->only = DYAD_OUT_EVENTS;
		} else if (strcmp(a, "--quotes-only") == 0) {
			o->only = DYAD_OUT_QUOTES;
		} else if (strcmp(a, "--one-a-day") == 0) {
			o->one_a_day = 1;
		} else if (strcmp(a, "--keep-captions") == 0) {
			o->doc_opts.flags |= DYAD_KEEP_CAPTIONS;
		} else if (strcmp(a, "--hypothetical") == 0) {
			o->doc_opts.flags |= DYAD_HYPOTHETICAL;
		} else if (strcmp(a, "--negated") == 0) {
			o->doc_opts.flags |= DYAD_NEGATED;
		} else if (strcmp(a, "--incomplete") == 0) {
			o->doc_opts.flags |= DYAD_INCOMPLETE;
		} else if (strcmp(a, "--quoted") == 0) {
			o->doc_opts.flags |= DYAD_QUOTED;
		} else if (strcmp(a, "--all") == 0) {
			o->all = 1;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			o->quiet = 1;
		} else if (strcmp(a, "-") == 0 || a[0] != '-') {
			(*files)[(*n_files)++] = argv[i];
		} else {
			fprintf(stderr, "dyad: unknown option '%s' (see dyad --help)\n", a);
			return -1;
		}
	}
	return 0;
}

static int cmd_run(const char *cmd, int argc, char **argv)
{
	run_opts o = {0};
	o.jobs = default_jobs();
	char **files = NULL;
	int n_files = 0;
	if (parse_run_options(&o, argc, argv, &files, &n_files)) {
		free(files);
		return 2;
	}
	int dict_problems = 0;
	dyad_model *model = cli_model_build(&o.model, &dict_problems);
	if (!model) {
		free(files);
		return 2;
	}
	run *r = calloc(1, sizeof *r);
	output *out = r ? output_open(cmd, &o, model) : NULL;
	if (!r || !out) {
		free(r);
		free(files);
		dyad_model_free(model);
		return 2;
	}
	r->cmd = cmd;
	r->o = &o;
	r->model = model;
	r->out = out;
	r->tty = isatty(2);
	r->started = time(NULL);
	pthread_mutex_init(&r->lock, NULL);
	int rc = read_inputs(r, files, n_files);
	int close_rc = output_close(out);
	progress(r, 1);
	if (!o.quiet)
		fprintf(stderr, "dyad: %ld documents read, %ld skipped, %ld sentences, %ld actors, %ld events, %ld quotes\n",
		        r->docs, r->skipped, r->sentences, r->mentions, r->events, r->quotes);
	int status = (rc || close_rc) ? 2 : (r->skipped || dict_problems) ? 1 : 0;
	pthread_mutex_destroy(&r->lock);
	free(r);
	free(files);
	dyad_model_free(model);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("dyad %s\n", dyad_version());
		return 0;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
	if (strcmp(cmd, "code") == 0 || strcmp(cmd, "segment") == 0 || strcmp(cmd, "actors") == 0)
		return cmd_run(cmd, argc - 2, argv + 2);
	if (strcmp(cmd, "eval") == 0)
		return cmd_eval(argc - 1, argv + 1);
	if (strcmp(cmd, "dict") == 0)
		return cmd_dict(argc - 1, argv + 1);
	fprintf(stderr, "dyad: unknown command '%s' (see dyad --help)\n", cmd);
	return 2;
}
