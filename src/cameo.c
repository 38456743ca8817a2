/* cameo.c -- the CAMEO event code table: labels, Goldstein values, PLOVER
 * types (data/cameo/codes.txt) and quad classes by convention. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/* Quad class of each root (01..20) in the three conventions users meet:
 * Phoenix pipeline, GDELT, and the ICEWS tools (andybega/icews). 0 marks
 * Phoenix's neutral class for statements and appeals. */
static const int root_quad[20][3] = {
	/* PHOENIX GDELT ICEWS */
	{0, 1, 1}, {0, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1},
	{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {3, 2, 3}, {3, 3, 3},
	{3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {4, 3, 4}, {4, 4, 4},
	{3, 4, 4}, {4, 4, 4}, {4, 4, 4}, {4, 4, 4}, {4, 4, 4},
};

static const char *next_field(const char **p, const char *end, size_t *len)
{
	while (*p < end && isspace((unsigned char)**p))
		(*p)++;
	const char *s = *p;
	while (*p < end && !isspace((unsigned char)**p))
		(*p)++;
	*len = (size_t)(*p - s);
	return s;
}

static int parse_code_line(dyad_model *m, const char *name, long line, const char *p,
                           const char *end, dyad_diag_fn diag, void *ctx)
{
	size_t cl, gl, pl;
	const char *code = next_field(&p, end, &cl);
	const char *gs = next_field(&p, end, &gl);
	const char *pv = next_field(&p, end, &pl);
	while (p < end && isspace((unsigned char)*p))
		p++;
	const char *label = p;
	if (cl < 2 || cl > 4 || !isdigit((unsigned char)code[0]) || !isdigit((unsigned char)code[1]))
		return dyad__report(diag, ctx, DYAD_E_DICT, name, line, "'%.*s' is not an event code",
		                    (int)cl, code);
	char num[32];
	char *numend;
	snprintf(num, sizeof num, "%.*s", (int)(gl < 31 ? gl : 31), gs);
	double g = strtod(num, &numend);
	if (!gl || *numend || g < -10 || g > 10)
		return dyad__report(diag, ctx, DYAD_E_DICT, name, line,
		                    "Goldstein value '%.*s' is not a number from -10 to 10", (int)gl, gs);
	int root = (code[0] - '0') * 10 + (code[1] - '0');
	if (root < 1 || root > 20)
		return dyad__report(diag, ctx, DYAD_E_DICT, name, line, "root %02d is not 01-20", root);
	if (!pl || label >= end)
		return dyad__report(diag, ctx, DYAD_E_DICT, name, line, "expected CODE GOLDSTEIN PLOVER Name");
	if (vec_grow((void **)&m->cameo, &m->cap_cameo, m->n_cameo + 1, sizeof *m->cameo))
		return DYAD_E_NOMEM;
	dyad_cameo *c = &m->cameo[m->n_cameo];
	c->code = arena_strndup(&m->a, code, cl);
	c->name = arena_strndup(&m->a, label, (size_t)(end - label));
	c->plover = (pl == 1 && *pv == '-') ? NULL : arena_strndup(&m->a, pv, pl);
	c->goldstein = g;
	for (int i = 0; i < 3; i++)
		c->quad[i] = root_quad[root - 1][i];
	uint32_t *slot = strmap_put(&m->cameo_index, &m->a, code, cl, 0);
	if (!slot || !c->code || !c->name)
		return DYAD_E_NOMEM;
	*slot = (uint32_t)++m->n_cameo;
	return 0;
}

int dyad__load_cameo_file(dyad_model *m, const char *name, const char *data, size_t len,
                          dyad_diag_fn diag, void *ctx)
{
	const char *p = data, *end = data + len;
	long line = 0;
	int problems = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		const char *e = hash ? hash : le;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		const char *s = p;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s < e) {
			int r = parse_code_line(m, name, line, s, e, diag, ctx);
			if (r == DYAD_E_NOMEM)
				return r;
			problems += r;
		}
		p = le + 1;
	}
	return problems;
}

const dyad_cameo *dyad_cameo_lookup(const dyad_model *m, const char *code)
{
	if (!m || !code)
		return NULL;
	uint32_t i = strmap_get(&m->cameo_index, code, strlen(code), 0);
	return i ? &m->cameo[i - 1] : NULL;
}
