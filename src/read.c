/* read.c -- the input stage: files, directories, stdin or memory to articles.
 *
 * A reader holds a list of files: one for a file, stdin or a memory block,
 * every file below a directory (in name order) otherwise. Each file is read
 * by its own format: plain text and HTML give one article per file, JSON
 * lines one per line. A bad JSON line is reported with its position and
 * skipped; a file that cannot be read is reported and skipped; the reader
 * then goes on with what follows.
 */
#include "internal.h"

#include <cJSON.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DIR_DEPTH 64
#define SNIFF_BYTES 1024

typedef struct file_entry {
	char *path; /* as opened; used in messages and dyad_input.source */
	char *name; /* for ids: the base name, or the path below the directory */
	int err;    /* errno when a directory could not be listed, else 0 */
} file_entry;

struct dyad_reader {
	int format; /* as asked; DYAD_INPUT_AUTO detects per file */
	file_entry *files;
	size_t n_files, cap_files, next_file;
	const char *mem; /* dyad_reader_open_mem's bytes, or NULL */
	size_t mem_len;
	bool use_stdin;

	/* the file being read */
	bool in_file, whole_done;
	const file_entry *file;
	int file_format;
	FILE *fp; /* NULL when reading memory */
	size_t mem_pos;
	long line;
	bool last_nl; /* the last line read ended with '\n' */
	dbuf pending; /* the JSON line read while sniffing */
	long pending_line;
	bool has_pending;

	char *lbuf; /* getline's buffer */
	size_t lcap;
	dbuf raw;   /* a whole text or HTML file */
	dbuf text, title, url, id, para;
	char date[11];
	cJSON *rec;      /* the current JSON record */
	cJSON *taken[5]; /* fields detached from it */
	char *meta;
	dyad_input out;
};

/* ---- small helpers ---------------------------------------------------- */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space((unsigned char)p[i]))
			return false;
	return true;
}

static size_t bom_len(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The format a file name implies, or AUTO when its content must decide. */
static int format_by_name(const char *path)
{
	if (ends_with_ci(path, ".jsonl") || ends_with_ci(path, ".ndjson"))
		return DYAD_INPUT_JSONL;
	if (ends_with_ci(path, ".html") || ends_with_ci(path, ".htm"))
		return DYAD_INPUT_HTML;
	return DYAD_INPUT_AUTO;
}

/* Normalises a date to YYYY-MM-DD: "2025-03-05", "2025-03-05T10:00:00Z",
 * "2025-03-05 10:00" or "20250305". Returns false for anything else. */
static bool norm_date(const char *s, size_t n, char out[11])
{
	while (n && is_space((unsigned char)*s))
		s++, n--;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (n >= 10 && dyad__parse_date(s, 10) &&
	    (n == 10 || s[10] == 'T' || s[10] == 't' || s[10] == ' ')) {
		memcpy(out, s, 10);
		out[10] = '\0';
		return true;
	}
	if (n == 8 && dyad__parse_date(s, 8)) {
		snprintf(out, 11, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		return true;
	}
	return false;
}

/* ---- the file list ------------------------------------------------------ */

static int add_file(dyad_reader *r, const char *path, const char *name, int err)
{
	if (vec_grow((void **)&r->files, &r->cap_files, r->n_files + 1, sizeof *r->files))
		return DYAD_E_NOMEM;
	file_entry *f = &r->files[r->n_files];
	f->path = strdup(path);
	f->name = strdup(name);
	f->err = err;
	if (!f->path || !f->name) {
		free(f->path);
		free(f->name);
		return DYAD_E_NOMEM;
	}
	r->n_files++;
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	size_t k = a;
	if (a && dir[a - 1] != '/')
		p[k++] = '/';
	memcpy(p + k, name, b + 1);
	return p;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The visible entries of a directory, sorted; NULL with *err on failure. */
static char **list_dir(const char *dir, size_t *n, int *err)
{
	DIR *d = opendir(dir);
	*n = 0;
	if (!d) {
		*err = errno;
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	*err = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *s = strdup(e->d_name);
		if (!s || vec_grow((void **)&names, &cap, *n + 1, sizeof *names)) {
			free(s);
			*err = ENOMEM;
			break;
		}
		names[(*n)++] = s;
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_names);
	if (!names && !*err)
		names = malloc(sizeof *names); /* an empty directory is not an error */
	if (!names && !*err)
		*err = ENOMEM;
	return names;
}

static int walk_dir(dyad_reader *r, const char *dir, const char *rel, int depth);

/* Adds one directory entry: regular files (also through a symlink) and
 * subdirectories; a symlink to a directory is not followed (no loops). */
static int walk_entry(dyad_reader *r, const char *path, const char *rel, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return add_file(r, path, rel, errno);
	if (S_ISDIR(st.st_mode))
		return depth < MAX_DIR_DEPTH ? walk_dir(r, path, rel, depth + 1) : 0;
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
		return add_file(r, path, rel, errno);
	return S_ISREG(st.st_mode) ? add_file(r, path, rel, 0) : 0;
}

static int walk_dir(dyad_reader *r, const char *dir, const char *rel, int depth)
{
	size_t n;
	int err;
	char **names = list_dir(dir, &n, &err);
	if (!names)
		return err == ENOMEM ? DYAD_E_NOMEM : add_file(r, dir, rel ? rel : dir, err);
	int rc = err == ENOMEM ? DYAD_E_NOMEM : 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *path = join_path(dir, names[i]);
		char *sub = rel ? join_path(rel, names[i]) : strdup(names[i]);
		rc = path && sub ? walk_entry(r, path, sub, depth) : DYAD_E_NOMEM;
		free(path);
		free(sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- reading bytes -------------------------------------------------------- */

/* The next line without its '\n' in (*p, *n), valid until the next read.
 * Returns 1, 0 at the end of the file, or a negative code. */
static int read_line(dyad_reader *r, const char **p, size_t *n, dyad_error *err)
{
	if (!r->fp) {
		if (r->mem_pos >= r->mem_len)
			return 0;
		const char *s = r->mem + r->mem_pos;
		size_t left = r->mem_len - r->mem_pos;
		const char *nl = memchr(s, '\n', left);
		*p = s;
		*n = nl ? (size_t)(nl - s) : left;
		r->mem_pos += nl ? *n + 1 : left;
		r->last_nl = nl != NULL;
		r->line++;
		return 1;
	}
	errno = 0;
	ssize_t got = getline(&r->lbuf, &r->lcap, r->fp);
	if (got < 0) {
		if (!ferror(r->fp))
			return 0;
		int code = errno == ENOMEM ? DYAD_E_NOMEM : DYAD_E_IO;
		dyad__set_error(err, code, r->file->path, r->line + 1, "cannot read: %s",
		                strerror(errno ? errno : EIO));
		return code;
	}
	size_t len = (size_t)got;
	r->last_nl = len && r->lbuf[len - 1] == '\n';
	len -= r->last_nl;
	*p = r->lbuf;
	*n = len;
	r->line++;
	return 1;
}

/* Appends the rest of the file to r->raw (NUL-terminated). */
static int read_rest(dyad_reader *r, dyad_error *err)
{
	if (!r->fp) {
		int rc = dbuf_put(&r->raw, r->mem + r->mem_pos, r->mem_len - r->mem_pos);
		r->mem_pos = r->mem_len;
		if (rc)
			dyad__set_error(err, rc, r->file->path, 0, "out of memory reading the file");
		return rc;
	}
	for (;;) {
		if (dbuf_reserve(&r->raw, 65536)) {
			dyad__set_error(err, DYAD_E_NOMEM, r->file->path, 0,
			                "out of memory reading the file");
			return DYAD_E_NOMEM;
		}
		size_t got = fread(r->raw.ptr + r->raw.len, 1, r->raw.cap - r->raw.len - 1, r->fp);
		r->raw.len += got;
		r->raw.ptr[r->raw.len] = '\0';
		if (got == 0)
			break;
	}
	if (ferror(r->fp)) {
		dyad__set_error(err, DYAD_E_IO, r->file->path, 0, "cannot read: %s",
		                strerror(errno ? errno : EIO));
		return DYAD_E_IO;
	}
	return 0;
}

/* ---- format detection ------------------------------------------------------ */

static bool parses_as_object(const char *p, size_t n)
{
	if (memchr(p, '\0', n))
		return false;
	cJSON *v = cJSON_ParseWithLength(p, n);
	bool ok = v && cJSON_IsObject(v);
	cJSON_Delete(v);
	return ok;
}

static bool looks_like_html(const char *p, size_t n)
{
	if (n > SNIFF_BYTES)
		n = SNIFF_BYTES;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '<')
			continue;
		if ((n - i >= 14 && strncasecmp(p + i, "<!doctype html", 14) == 0) ||
		    (n - i >= 5 && strncasecmp(p + i, "<html", 5) == 0))
			return true;
	}
	return false;
}

/* Decides between JSON lines, HTML and text by content. Reads up to the
 * first non-blank line: a JSON object there means JSON lines (the line is
 * kept for jsonl_next); otherwise the whole file goes into r->raw. */
static int sniff(dyad_reader *r, dyad_error *err)
{
	const char *p;
	size_t n;
	int rc;
	while ((rc = read_line(r, &p, &n, err)) == 1) {
		size_t skip = r->line == 1 ? bom_len(p, n) : 0;
		if (is_blank(p + skip, n - skip)) {
			if (dbuf_put(&r->raw, p, n) || (r->last_nl && dbuf_putc(&r->raw, '\n')))
				goto nomem;
			continue;
		}
		size_t i = skip;
		while (i < n && is_space((unsigned char)p[i]))
			i++;
		if (p[i] == '{' && parses_as_object(p + skip, n - skip)) {
			r->pending.len = 0;
			if (dbuf_put(&r->pending, p, n))
				goto nomem;
			r->pending_line = r->line;
			r->has_pending = true;
			r->file_format = DYAD_INPUT_JSONL;
			return 0;
		}
		if (dbuf_put(&r->raw, p, n) || (r->last_nl && dbuf_putc(&r->raw, '\n')))
			goto nomem;
		break;
	}
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = read_rest(r, err)) < 0)
		return rc;
	size_t skip = r->raw.len ? bom_len(r->raw.ptr, r->raw.len) : 0;
	r->file_format = r->raw.len && looks_like_html(r->raw.ptr + skip, r->raw.len - skip)
	                         ? DYAD_INPUT_HTML
	                         : DYAD_INPUT_TEXT;
	r->whole_done = false;
	return 0;
nomem:
	dyad__set_error(err, DYAD_E_NOMEM, r->file->path, r->line, "out of memory");
	return DYAD_E_NOMEM;
}

/* ---- per-article state ------------------------------------------------------ */

static void doc_release(dyad_reader *r)
{
	cJSON_Delete(r->rec);
	r->rec = NULL;
	for (size_t i = 0; i < sizeof r->taken / sizeof *r->taken; i++) {
		cJSON_Delete(r->taken[i]);
		r->taken[i] = NULL;
	}
	cJSON_free(r->meta);
	r->meta = NULL;
	r->text.len = r->title.len = r->url.len = r->id.len = 0;
	r->date[0] = '\0';
	memset(&r->out, 0, sizeof r->out);
}

static const char *buf_str(const dbuf *b)
{
	return b->len ? b->ptr : NULL;
}

/* ---- plain text ---------------------------------------------------------- */

/* The length of a leading "date YYYY-MM-DD" (with the whitespace and line
 * break after it), filling `date`; 0 when the text has none. */
static size_t date_line(const char *p, size_t n, char date[11])
{
	size_t i = 0;
	while (i < n && is_space((unsigned char)p[i]))
		i++;
	if (n - i < 15 || strncasecmp(p + i, "date", 4) != 0)
		return 0;
	i += 4;
	bool colon = p[i] == ':';
	size_t sp = i += colon;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if ((i == sp && !colon) || n - i < 10 || !dyad__parse_date(p + i, 10))
		return 0;
	if (n - i > 10 && !is_space((unsigned char)p[i + 10]))
		return 0;
	memcpy(date, p + i, 10);
	date[10] = '\0';
	i += 10;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '\r')
		i++;
	if (i < n && p[i] == '\n')
		i++;
	return i;
}

static int text_article(dyad_reader *r)
{
	const char *p = r->raw.ptr ? r->raw.ptr : "";
	size_t n = r->raw.len;
	size_t skip = bom_len(p, n);
	p += skip, n -= skip;
	size_t d = date_line(p, n, r->date);
	p += d, n -= d;
	if (is_blank(p, n))
		return 0;
	r->out.text = p;
	r->out.text_len = n;
	r->out.date = r->date[0] ? r->date : NULL;
	return 1;
}

/* ---- HTML -------------------------------------------------------------------- */

static bool name_in(const xmlNode *n, const char *const *names)
{
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return false;
	for (; *names; names++)
		if (strcasecmp((const char *)n->name, *names) == 0)
			return true;
	return false;
}

static bool is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       strcasecmp((const char *)n->name, name) == 0;
}

static const char *const skip_tags[] = {
	"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
	"figure", "template", "svg", "iframe", "button", "select", "textarea",
	"object", "embed", "canvas", "audio", "video", "dialog", "head", NULL};
static const char *const block_tags[] = {"p", "h2", "h3", "h4", "li", NULL};

/* Pre-order successor of n below root; skips n's subtree unless descend. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *root, bool descend)
{
	if (descend && n->children && n->type != XML_ENTITY_REF_NODE)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* Removes a leading and trailing space left by put_collapsed. */
static void trim_spaces(dbuf *b)
{
	while (b->len && b->ptr[b->len - 1] == ' ')
		b->len--;
	if (b->len && b->ptr[0] == ' ')
		memmove(b->ptr, b->ptr + 1, --b->len);
	if (b->ptr)
		b->ptr[b->len] = '\0';
}

/* Appends text with whitespace runs (and no-break spaces) as one space. */
static int put_collapsed(dbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool nbsp = c == 0xC2 && (unsigned char)s[1] == 0xA0;
		if (is_space(c) || nbsp) {
			s += nbsp;
			if (b->len && b->ptr[b->len - 1] != ' ' && dbuf_putc(b, ' '))
				return DYAD_E_NOMEM;
		} else if (dbuf_putc(b, (char)c)) {
			return DYAD_E_NOMEM;
		}
	}
	return 0;
}

/* The visible text under root, whitespace collapsed, into b (cleared). */
static int node_text(dbuf *b, xmlNode *root)
{
	b->len = 0;
	bool descend = true;
	for (xmlNode *n = root; n; n = walk_next(n, root, descend)) {
		descend = true;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && put_collapsed(b, (const char *)n->content))
				return DYAD_E_NOMEM;
		} else if (is_el(n, "br")) {
			if (put_collapsed(b, " "))
				return DYAD_E_NOMEM;
		} else if (n != root && name_in(n, skip_tags)) {
			descend = false;
		}
	}
	trim_spaces(b);
	return 0;
}

/* Adds the text under n to the article as one paragraph. */
static int emit_paragraph(dyad_reader *r, xmlNode *n)
{
	if (node_text(&r->para, n))
		return DYAD_E_NOMEM;
	if (!r->para.len)
		return 0;
	if (r->text.len && dbuf_puts(&r->text, "\n\n"))
		return DYAD_E_NOMEM;
	return dbuf_put(&r->text, r->para.ptr, r->para.len);
}

static int emit_captions(dyad_reader *r, xmlNode *figure)
{
	bool descend = true;
	for (xmlNode *n = figure; n; n = walk_next(n, figure, descend)) {
		descend = !is_el(n, "figcaption");
		if (!descend && emit_paragraph(r, n))
			return DYAD_E_NOMEM;
	}
	return 0;
}

/* Paragraphs, headings, list items and captions under root, in order. */
static int emit_blocks(dyad_reader *r, xmlNode *root)
{
	bool descend = true;
	for (xmlNode *n = root; n; n = walk_next(n, root, descend)) {
		descend = n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE ||
		          n->type == XML_HTML_DOCUMENT_NODE;
		if (n->type != XML_ELEMENT_NODE || n == root)
			continue;
		int rc = 0;
		if (is_el(n, "figure"))
			rc = emit_captions(r, n);
		else if (is_el(n, "figcaption") || name_in(n, block_tags))
			rc = emit_paragraph(r, n);
		else if (!name_in(n, skip_tags))
			continue;
		descend = false;
		if (rc)
			return rc;
	}
	return 0;
}

static const char *const inline_tags[] = {
	"a", "b", "i", "em", "strong", "span", "small", "sup", "sub", "abbr", "cite",
	"code", "q", "u", "s", "mark", "time", "font", "label", "big", "tt", NULL};

/* The nearest ancestor that is not an inline element (bounded). */
static const xmlNode *block_of(const xmlNode *n)
{
	n = n->parent;
	for (int k = 0; n && k < 64 && name_in(n, inline_tags); k++)
		n = n->parent;
	return n;
}

/* Fallback for pages without <p>: every run of text in one block element
 * (a div, a cell...) becomes a paragraph. */
static int emit_loose(dyad_reader *r, xmlNode *root)
{
	const xmlNode *block = NULL;
	bool descend = true;
	r->para.len = 0;
	for (xmlNode *n = root; n; n = walk_next(n, root, descend)) {
		descend = !(n != root && name_in(n, skip_tags));
		bool text = n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
		bool brk = is_el(n, "br") || (text && block_of(n) != block);
		if (brk && r->para.len) {
			while (r->para.len && r->para.ptr[r->para.len - 1] == ' ')
				r->para.len--;
			if (r->para.len && r->text.len && dbuf_puts(&r->text, "\n\n"))
				return DYAD_E_NOMEM;
			if (dbuf_put(&r->text, r->para.ptr, r->para.len))
				return DYAD_E_NOMEM;
			r->para.len = 0;
		}
		if (!text || !n->content)
			continue;
		block = block_of(n);
		size_t before = r->para.len;
		if (put_collapsed(&r->para, (const char *)n->content))
			return DYAD_E_NOMEM;
		if (before == 0 && r->para.len && r->para.ptr[0] == ' ') {
			memmove(r->para.ptr, r->para.ptr + 1, --r->para.len);
			r->para.ptr[r->para.len] = '\0';
		}
	}
	while (r->para.len && r->para.ptr[r->para.len - 1] == ' ')
		r->para.len--;
	if (r->para.len && r->text.len && dbuf_puts(&r->text, "\n\n"))
		return DYAD_E_NOMEM;
	return dbuf_put(&r->text, r->para.ptr ? r->para.ptr : "", r->para.len);
}

/* What one pass over the page finds: metadata and where the story is. */
typedef struct html_survey {
	xmlNode *body, *main, *title, *h1, *best_article;
	size_t best_ps;
	char *og_title, *canonical, *og_url;
	char date[11];
	int date_rank; /* rank of the meta that gave `date` (lower is better) */
	char ld_date[11];
} html_survey;

static const char *const date_metas[] = {
	"article:published_time", "og:published_time", "og:article:published_time",
	"datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued",
	"dcterms.date", "dcterms.created", "parsely-pub-date", "sailthru.date", NULL};

static char *attr(xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static void survey_meta(html_survey *s, xmlNode *n)
{
	char *key = attr(n, "property");
	if (!key)
		key = attr(n, "name");
	if (!key)
		key = attr(n, "itemprop");
	char *content = key ? attr(n, "content") : NULL;
	if (!content) {
		xmlFree(key);
		return;
	}
	if (strcasecmp(key, "og:title") == 0 && !s->og_title) {
		s->og_title = content;
		content = NULL;
	} else if (strcasecmp(key, "og:url") == 0 && !s->og_url) {
		s->og_url = content;
		content = NULL;
	} else {
		for (int i = 0; date_metas[i] && i < s->date_rank; i++)
			if (strcasecmp(key, date_metas[i]) == 0 &&
			    norm_date(content, strlen(content), s->date))
				s->date_rank = i;
	}
	xmlFree(key);
	xmlFree(content);
}

/* Finds "datePublished" in a JSON-LD value (objects, arrays, @graph). */
static bool ld_find_date(const cJSON *v, char out[11], int depth)
{
	if (!v || depth > 16)
		return false;
	for (const cJSON *c = v->child; c; c = c->next) {
		if (c->string && strcmp(c->string, "datePublished") == 0 && cJSON_IsString(c) &&
		    norm_date(c->valuestring, strlen(c->valuestring), out))
			return true;
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && ld_find_date(c, out, depth + 1))
			return true;
	}
	return false;
}

static void survey_script(html_survey *s, xmlNode *n)
{
	char *type = attr(n, "type");
	bool ld = type && strstr(type, "ld+json");
	xmlFree(type);
	if (!ld || s->ld_date[0])
		return;
	char *json = (char *)xmlNodeGetContent(n);
	cJSON *v = json ? cJSON_Parse(json) : NULL;
	ld_find_date(v, s->ld_date, 0);
	cJSON_Delete(v);
	xmlFree(json);
}

static void survey_link(html_survey *s, xmlNode *n)
{
	char *rel = attr(n, "rel");
	if (rel && strcasecmp(rel, "canonical") == 0 && !s->canonical)
		s->canonical = attr(n, "href");
	xmlFree(rel);
}

/* One pass: metadata, and the outermost <article> with the most <p>. */
static void survey(html_survey *s, xmlNode *root)
{
	xmlNode *article = NULL;
	size_t ps = 0;
	s->date_rank = INT32_MAX;
	xmlNode *n = root;
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			if (is_el(n, "meta"))
				survey_meta(s, n);
			else if (is_el(n, "script"))
				survey_script(s, n);
			else if (is_el(n, "link"))
				survey_link(s, n);
			else if (is_el(n, "title") && !s->title)
				s->title = n;
			else if (is_el(n, "h1") && !s->h1)
				s->h1 = n;
			else if (is_el(n, "body") && !s->body)
				s->body = n;
			else if (is_el(n, "main") && !s->main)
				s->main = n;
			else if (is_el(n, "p") && article)
				ps++;
			else if (is_el(n, "article") && !article && n->children)
				article = n, ps = 0;
		}
		if (n->children && n->type != XML_ENTITY_REF_NODE) {
			n = n->children;
			continue;
		}
		while (n && n != root && !n->next) {
			n = n->parent;
			if (n == article) {
				if (ps > s->best_ps || !s->best_article)
					s->best_article = article, s->best_ps = ps;
				article = NULL;
			}
		}
		n = n && n != root ? n->next : NULL;
	}
}

/* The first <time datetime> under root with a usable date. */
static bool time_date(xmlNode *root, char out[11])
{
	for (xmlNode *n = root; n; n = walk_next(n, root, true)) {
		if (!is_el(n, "time"))
			continue;
		char *v = attr(n, "datetime");
		bool ok = v && norm_date(v, strlen(v), out);
		xmlFree(v);
		if (ok)
			return true;
	}
	return false;
}

static int html_meta(dyad_reader *r, html_survey *s, xmlNode *story)
{
	int rc = 0;
	if (s->og_title)
		rc = put_collapsed(&r->title, s->og_title);
	else if (s->title || s->h1)
		rc = node_text(&r->title, s->title ? s->title : s->h1);
	trim_spaces(&r->title);
	const char *url = s->canonical ? s->canonical : s->og_url;
	if (url && !rc)
		rc = put_collapsed(&r->url, url);
	if (s->date[0])
		memcpy(r->date, s->date, 11);
	else if (!time_date(story, r->date) && !time_date(xmlDocGetRootElement(story->doc), r->date) &&
	         s->ld_date[0])
		memcpy(r->date, s->ld_date, 11);
	return rc;
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	           : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return len;
}

/* Whether the page declares a charset other than UTF-8 near its start. */
static bool declares_other_charset(const char *p, size_t n)
{
	if (n > 4096)
		n = 4096;
	for (size_t i = 0; i + 8 < n; i++) {
		if (strncasecmp(p + i, "charset=", 8) != 0)
			continue;
		const char *v = p + i + 8;
		size_t left = n - i - 8;
		while (left && (*v == '"' || *v == '\'' || *v == ' '))
			v++, left--;
		return !(left >= 5 && strncasecmp(v, "utf-8", 5) == 0) &&
		       !(left >= 4 && strncasecmp(v, "utf8", 4) == 0);
	}
	return false;
}

/* libxml2 reads a page without a charset as UTF-8 until the first invalid
 * byte and as Latin-1 after it; replacing invalid bytes with U+FFFD first
 * keeps the rest of the page readable. Sets *p, *n to the bytes to parse. */
static int html_bytes(dyad_reader *r, const char **p, size_t *n)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t i = 0, k;
	while (i < *n && (k = utf8_valid(s + i, *n - i)))
		i += k;
	if (i == *n || declares_other_charset(*p, *n))
		return 0;
	r->para.len = 0;
	if (dbuf_put(&r->para, s, i))
		return DYAD_E_NOMEM;
	while (i < *n) {
		k = utf8_valid(s + i, *n - i);
		if (k ? dbuf_put(&r->para, s + i, k) : dbuf_puts(&r->para, "\xEF\xBF\xBD"))
			return DYAD_E_NOMEM;
		i += k ? k : 1;
	}
	/* the copy moves to `raw`, which the article no longer needs */
	dbuf tmp = r->raw;
	r->raw = r->para;
	r->para = tmp;
	r->para.len = 0;
	*p = r->raw.ptr;
	*n = r->raw.len;
	return 0;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int html_article(dyad_reader *r, dyad_error *err)
{
	const char *p = r->raw.ptr ? r->raw.ptr : "";
	size_t n = r->raw.len, skip = bom_len(p, n);
	p += skip, n -= skip;
	if (is_blank(p, n))
		return 0;
	if (html_bytes(r, &p, &n)) {
		dyad__set_error(err, DYAD_E_NOMEM, r->file->path, 0, "out of memory reading HTML");
		return DYAD_E_NOMEM;
	}
	if (n > INT32_MAX) {
		dyad__set_error(err, DYAD_E_LIMIT, r->file->path, 0, "HTML file larger than 2 GB");
		return DYAD_E_LIMIT;
	}
	/* libxml2 reports some problems outside the parser context; keep this
	 * thread's handler quiet while we parse, then put it back. */
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);
	htmlDocPtr doc = htmlReadMemory(p, (int)n, NULL, NULL,
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	int rc = doc ? 0 : DYAD_E_PARSE;
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root) {
		html_survey s = {0};
		survey(&s, root);
		xmlNode *story = s.best_article && s.best_ps ? s.best_article
		                 : s.main                    ? s.main
		                 : s.best_article            ? s.best_article
		                 : s.body                    ? s.body
		                                             : root;
		rc = emit_blocks(r, story);
		if (!rc && !r->text.len && story != (s.body ? s.body : root))
			rc = emit_blocks(r, s.body ? s.body : root);
		if (!rc && !r->text.len)
			rc = emit_loose(r, s.body ? s.body : root);
		if (!rc)
			rc = html_meta(r, &s, story);
		xmlFree(s.og_title);
		xmlFree(s.canonical);
		xmlFree(s.og_url);
	}
	xmlFreeDoc(doc);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	if (rc) {
		dyad__set_error(err, rc, r->file->path, 0, "%s",
		                rc == DYAD_E_PARSE ? "HTML could not be parsed" : "out of memory reading HTML");
		return rc;
	}
	if (!r->text.len && !r->title.len) {
		dyad__set_error(err, DYAD_E_PARSE, r->file->path, 0, "no article text found in the HTML");
		return DYAD_E_PARSE;
	}
	if (dbuf_reserve(&r->text, 1)) {
		dyad__set_error(err, DYAD_E_NOMEM, r->file->path, 0, "out of memory");
		return DYAD_E_NOMEM;
	}
	r->text.ptr[r->text.len] = '\0';
	r->out.text = r->text.ptr;
	r->out.text_len = r->text.len;
	r->out.title = buf_str(&r->title);
	r->out.url = buf_str(&r->url);
	r->out.date = r->date[0] ? r->date : NULL;
	return 1;
}

/* ---- JSON lines -------------------------------------------------------------- */

static void take(dyad_reader *r, cJSON *item)
{
	for (size_t i = 0; i < sizeof r->taken / sizeof *r->taken; i++)
		if (!r->taken[i]) {
			r->taken[i] = cJSON_DetachItemViaPointer(r->rec, item);
			return;
		}
}

/* A known field of the record: a string is detached and returned; null is
 * detached and ignored; anything else stays in the record (so in meta). */
static const char *take_string(dyad_reader *r, const char *key)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(r->rec, key);
	if (!item || !(cJSON_IsString(item) || cJSON_IsNull(item)))
		return NULL;
	const char *s = cJSON_IsString(item) ? item->valuestring : NULL;
	take(r, item);
	return s;
}

static int record_id(dyad_reader *r, long line)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(r->rec, "id");
	if (cJSON_IsString(item) && item->valuestring[0]) {
		take(r, item);
		return dbuf_puts(&r->id, item->valuestring);
	}
	if (cJSON_IsNumber(item) && item->valuedouble > -1e15 && item->valuedouble < 1e15 &&
	    item->valuedouble == (double)(long long)item->valuedouble) {
		take(r, item);
		return dbuf_printf(&r->id, "%lld", (long long)item->valuedouble);
	}
	return dbuf_printf(&r->id, "%s:%ld", r->file->name, line);
}

static void record_date(dyad_reader *r)
{
	cJSON *item = cJSON_GetObjectItemCaseSensitive(r->rec, "date");
	char num[32];
	const char *s = NULL;
	if (cJSON_IsString(item)) {
		s = item->valuestring;
	} else if (cJSON_IsNumber(item) && item->valuedouble >= 0 && item->valuedouble < 1e9) {
		snprintf(num, sizeof num, "%.0f", item->valuedouble);
		s = num;
	}
	if (s && norm_date(s, strlen(s), r->date))
		take(r, item);
	else if (cJSON_IsNull(item))
		take(r, item);
}

static int parse_error(dyad_reader *r, long line, dyad_error *err, const char *msg, long col)
{
	if (col > 0)
		dyad__set_error(err, DYAD_E_PARSE, r->file->path, line, "%s (at byte %ld)", msg, col);
	else
		dyad__set_error(err, DYAD_E_PARSE, r->file->path, line, "%s", msg);
	return DYAD_E_PARSE;
}

static int jsonl_record(dyad_reader *r, const char *p, size_t n, long line, dyad_error *err)
{
	const char *nul = memchr(p, '\0', n);
	if (nul)
		return parse_error(r, line, err, "NUL byte in a JSON line", (long)(nul - p) + 1);
	const char *end = NULL;
	r->rec = cJSON_ParseWithLengthOpts(p, n, &end, 0);
	if (!r->rec) {
		long col = end && end >= p && end <= p + n ? (long)(end - p) + 1 : 0;
		return parse_error(r, line, err, "invalid JSON", col);
	}
	if (!is_blank(end, n - (size_t)(end - p)))
		return parse_error(r, line, err, "text after the JSON value", (long)(end - p) + 1);
	if (!cJSON_IsObject(r->rec))
		return parse_error(r, line, err, "a JSON line must be an object", 0);
	cJSON *text = cJSON_GetObjectItemCaseSensitive(r->rec, "text");
	if (!cJSON_IsString(text))
		return parse_error(r, line, err,
		                   text ? "field \"text\" is not a string" : "no \"text\" field", 0);
	take(r, text);
	r->out.text = text->valuestring;
	r->out.text_len = strlen(text->valuestring);
	r->out.title = take_string(r, "title");
	r->out.url = take_string(r, "url");
	record_date(r);
	r->out.date = r->date[0] ? r->date : NULL;
	if (record_id(r, line) < 0)
		goto nomem;
	r->out.id = r->id.ptr;
	if (r->rec->child && !(r->meta = cJSON_PrintUnformatted(r->rec)))
		goto nomem;
	r->out.meta = r->meta;
	r->out.line = line;
	return 1;
nomem:
	dyad__set_error(err, DYAD_E_NOMEM, r->file->path, line, "out of memory");
	return DYAD_E_NOMEM;
}

static int jsonl_next(dyad_reader *r, dyad_error *err)
{
	for (;;) {
		const char *p;
		size_t n;
		long line;
		if (r->has_pending) {
			p = r->pending.ptr;
			n = r->pending.len;
			line = r->pending_line;
			r->has_pending = false;
		} else {
			int rc = read_line(r, &p, &n, err);
			if (rc <= 0)
				return rc;
			line = r->line;
		}
		if (line == 1) {
			size_t skip = bom_len(p, n);
			p += skip, n -= skip;
		}
		if (!is_blank(p, n))
			return jsonl_record(r, p, n, line, err);
	}
}

/* ---- files --------------------------------------------------------------- */

static void file_end(dyad_reader *r)
{
	if (r->fp && r->fp != stdin)
		fclose(r->fp);
	r->fp = NULL;
	r->in_file = false;
	r->has_pending = false;
	r->raw.len = 0;
}

static int file_begin(dyad_reader *r, const file_entry *f, dyad_error *err)
{
	r->file = f;
	r->line = 0;
	r->mem_pos = 0;
	r->raw.len = 0;
	r->has_pending = false;
	r->whole_done = false;
	if (f->err) {
		dyad__set_error(err, DYAD_E_IO, f->path, 0, "cannot read: %s", strerror(f->err));
		return DYAD_E_IO;
	}
	if (r->use_stdin) {
		r->fp = stdin;
	} else if (!r->mem && !(r->fp = fopen(f->path, "rb"))) {
		dyad__set_error(err, DYAD_E_IO, f->path, 0, "cannot open: %s", strerror(errno));
		return DYAD_E_IO;
	}
	r->in_file = true;
	r->file_format = r->format ? r->format : format_by_name(f->path);
	int rc = 0;
	if (r->file_format == DYAD_INPUT_AUTO)
		rc = sniff(r, err);
	else if (r->file_format != DYAD_INPUT_JSONL)
		rc = read_rest(r, err);
	if (rc < 0)
		file_end(r);
	return rc;
}

/* The next article of the current file: 1, 0 at its end, or an error. */
static int file_next(dyad_reader *r, dyad_error *err)
{
	if (r->file_format == DYAD_INPUT_JSONL)
		return jsonl_next(r, err);
	if (r->whole_done)
		return 0;
	r->whole_done = true;
	int rc = r->file_format == DYAD_INPUT_HTML ? html_article(r, err) : text_article(r);
	if (rc == 1)
		r->out.id = r->file->name;
	return rc;
}

int dyad_reader_next(dyad_reader *r, const dyad_input **doc, dyad_error *err)
{
	if (doc)
		*doc = NULL;
	if (!r || !doc) {
		dyad__set_error(err, DYAD_E_INVALID, NULL, 0, "no reader");
		return DYAD_E_INVALID;
	}
	doc_release(r);
	for (;;) {
		if (!r->in_file) {
			if (r->next_file >= r->n_files)
				return 0;
			int rc = file_begin(r, &r->files[r->next_file++], err);
			if (rc < 0)
				return rc;
		}
		int rc = file_next(r, err);
		if (rc == 0) {
			file_end(r);
			continue;
		}
		if (rc == 1) {
			r->out.source = r->file->path;
			*doc = &r->out;
		} else if (rc != DYAD_E_PARSE) {
			file_end(r);
		}
		return rc;
	}
}

/* ---- opening and closing -------------------------------------------------- */

static dyad_reader *reader_new(int format, dyad_error *err)
{
	if (format < DYAD_INPUT_AUTO || format > DYAD_INPUT_HTML) {
		dyad__set_error(err, DYAD_E_INVALID, NULL, 0, "unknown input format %d", format);
		return NULL;
	}
	dyad_reader *r = calloc(1, sizeof *r);
	if (!r)
		dyad__set_error(err, DYAD_E_NOMEM, NULL, 0, "out of memory");
	else
		r->format = format;
	return r;
}

static dyad_reader *open_failed(dyad_reader *r, int rc, const char *path, dyad_error *err)
{
	if (rc == DYAD_E_NOMEM)
		dyad__set_error(err, rc, path, 0, "out of memory");
	dyad_reader_close(r);
	return NULL;
}

dyad_reader *dyad_reader_open(const char *path, int format, dyad_error *err)
{
	dyad_reader *r = reader_new(format, err);
	if (!r)
		return NULL;
	if (!path || strcmp(path, "-") == 0) {
		r->use_stdin = true;
		int rc = add_file(r, "-", "stdin", 0);
		return rc ? open_failed(r, rc, "-", err) : r;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		dyad__set_error(err, DYAD_E_IO, path, 0, "cannot open: %s", strerror(errno));
		return open_failed(r, DYAD_E_IO, path, err);
	}
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = walk_dir(r, path, NULL, 0);
		/* a directory we cannot list at all is an error of the open */
		if (rc == 0 && r->n_files == 1 && r->files[0].err && strcmp(r->files[0].path, path) == 0) {
			dyad__set_error(err, DYAD_E_IO, path, 0, "cannot open: %s",
			                strerror(r->files[0].err));
			rc = DYAD_E_IO;
		}
		return rc ? open_failed(r, rc, path, err) : r;
	}
	rc = add_file(r, path, base_name(path), 0);
	if (rc == 0 && (rc = file_begin(r, &r->files[0], err)) == 0)
		r->next_file = 1;
	return rc ? open_failed(r, rc, path, err) : r;
}

dyad_reader *dyad_reader_open_mem(const char *data, size_t len, const char *name, int format,
                                  dyad_error *err)
{
	if (!data && len) {
		dyad__set_error(err, DYAD_E_INVALID, name, 0, "no data");
		return NULL;
	}
	dyad_reader *r = reader_new(format, err);
	if (!r)
		return NULL;
	r->mem = data ? data : "";
	r->mem_len = len;
	const char *path = name && *name ? name : "memory";
	int rc = add_file(r, path, base_name(path), 0);
	return rc ? open_failed(r, rc, path, err) : r;
}

void dyad_reader_close(dyad_reader *r)
{
	if (!r)
		return;
	doc_release(r);
	file_end(r);
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].path);
		free(r->files[i].name);
	}
	free(r->files);
	free(r->lbuf);
	dbuf_free(&r->pending);
	dbuf_free(&r->raw);
	dbuf_free(&r->text);
	dbuf_free(&r->title);
	dbuf_free(&r->url);
	dbuf_free(&r->id);
	dbuf_free(&r->para);
	free(r);
}

void dyad__reader_init(void) { xmlInitParser(); }
