/* Suppressions: parsing, matching and generating entries (suppress.h).
 *
 * One entry a line:  KIND SYMBOL [FILE]
 *   KIND    a finding kind (stale-load, ...) or *
 *   SYMBOL  fnmatch(3) pattern for the symbol of the finding's pc (the
 *           empty name when there is none: only * and the like match)
 *   FILE    pattern for its source file's basename; * when left out
 * '#' starts a comment; blank lines are ignored. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "board/machine.h"
#include "report/findings.h"
#include "report/suppress.h"
#include "report/symbols.h"

#define SUPP_LINE_MAX 1024

struct supp_entry {
	char *kind, *sym, *file;
};

struct suppressions {
	struct supp_entry *v;
	size_t n, cap;
};

static bool kind_known(const char *k)
{
	if (!strcmp(k, "*"))
		return true;
	for (int i = 0; i < F_KIND_MAX; i++)
		if (!strcmp(k, finding_kind_name(i)))
			return true;
	return false;
}

static int add_entry(struct suppressions *s, char **tok)
{
	struct supp_entry e = { strdup(tok[0]), strdup(tok[1]),
				strdup(tok[2] ? tok[2] : "*") };

	if (!e.kind || !e.sym || !e.file || (s->n == s->cap &&
	    !(s->v = realloc(s->v, (s->cap = s->cap ? 2 * s->cap : 8) *
				     sizeof(*s->v))))) {
		free(e.kind);
		free(e.sym);
		free(e.file);
		return -1;
	}
	s->v[s->n++] = e;
	return 0;
}

int suppressions_load(struct suppressions **sp, const char *path, char *err,
		      size_t errlen)
{
	char line[SUPP_LINE_MAX + 2];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = -1;

	if (!f) {
		snprintf(err, errlen, "--suppressions %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!*sp && !(*sp = calloc(1, sizeof(**sp)))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tok[4] = { 0 }, *p, *save;
		size_t nt = 0, len = strlen(line);

		lineno++;
		if (len > SUPP_LINE_MAX && line[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line longer than %d bytes",
				 path, lineno, SUPP_LINE_MAX);
			goto out;
		}
		if ((p = strchr(line, '#')))
			*p = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p;
		     p = strtok_r(NULL, " \t\r\n", &save)) {
			if (nt == 3) {
				snprintf(err, errlen, "%s:%d: more than three "
					 "fields (want: KIND SYMBOL [FILE])",
					 path, lineno);
				goto out;
			}
			tok[nt++] = p;
		}
		if (!nt)
			continue;
		if (!kind_known(tok[0])) {
			snprintf(err, errlen, "%s:%d: unknown finding kind '%.60s' "
				 "(stale-load, stale-fetch, stale-walk, "
				 "missing-barrier, set-way-not-coherent or *)",
				 path, lineno, tok[0]);
			goto out;
		}
		if (nt < 2) {
			snprintf(err, errlen, "%s:%d: no symbol pattern after "
				 "'%s' (want: KIND SYMBOL [FILE])", path, lineno,
				 tok[0]);
			goto out;
		}
		if (add_entry(*sp, tok) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (ferror(f))
		snprintf(err, errlen, "--suppressions %s: read error", path);
	else
		rc = 0;
out:
	fclose(f);
	return rc;
}

void suppressions_free(struct suppressions *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		free(s->v[i].kind);
		free(s->v[i].sym);
		free(s->v[i].file);
	}
	if (s)
		free(s->v);
	free(s);
}

static void site_names(struct machine *m, uint64_t pc, const char **sym,
		       const char **file)
{
	struct symbols *y = findings_symbols(m);
	struct sym_info si;

	*sym = *file = "";
	if (y && symbols_lookup(y, pc - findings_bias(m), &si)) {
		*sym = si.name ? si.name : "";
		*file = si.file ? si.file : "";
	}
}

static bool matches(struct machine *m, const struct finding_rec *r, void *arg)
{
	const struct suppressions *s = arg;
	const char *kind = finding_kind_name(r->f.kind), *sym, *file;

	site_names(m, r->f.pc, &sym, &file);
	for (size_t i = 0; i < s->n; i++) {
		const struct supp_entry *e = &s->v[i];

		if ((strcmp(e->kind, "*") && strcmp(e->kind, kind)) ||
		    fnmatch(e->sym, sym, 0) || fnmatch(e->file, file, 0))
			continue;
		return true;
	}
	return false;
}

size_t suppressions_apply(struct machine *m, const struct suppressions *s)
{
	return s && s->n ? findings_remove_if(m, matches, (void *)s) : 0;
}

/* A name as a pattern that matches it: fnmatch's specials escaped;
 * blanks, controls and '#' (which the parser would split or cut at)
 * become '?'. Empty: "*" for a missing file, "" never printed. */
static void pattern_of(const char *name, char *buf, size_t len)
{
	size_t k = 0;

	if (!*name) {
		snprintf(buf, len, "*");
		return;
	}
	for (const unsigned char *p = (const unsigned char *)name;
	     *p && k + 3 < len; p++) {
		if (*p <= ' ' || *p == 0x7f || *p == '#')
			buf[k++] = '?';
		else if (strchr("*?[\\", *p)) {
			buf[k++] = '\\';
			buf[k++] = (char)*p;
		} else {
			buf[k++] = (char)*p;
		}
	}
	buf[k] = 0;
}

void suppressions_generate(struct machine *m, FILE *out)
{
	size_t n = findings_count(m), ne = 0;
	char (*seen)[3][256] = n ? calloc(n, sizeof(*seen)) : NULL;

	if (!n)
		return;
	if (!seen) {
		fprintf(out, "coherent: out of memory for --gen-suppressions\n");
		return;
	}
	fprintf(out, "# coherent: suppressions for this run's findings "
		"(--suppressions FILE reads them)\n");
	for (size_t i = 0; i < n; i++) {
		const struct finding_rec *r = findings_get(m, i);
		const char *sym, *file;
		char e[3][256] = { { 0 } };
		size_t j;

		site_names(m, r->f.pc, &sym, &file);
		snprintf(e[0], sizeof(e[0]), "%s", finding_kind_name(r->f.kind));
		pattern_of(sym, e[1], sizeof(e[1]));
		pattern_of(file, e[2], sizeof(e[2]));
		for (j = 0; j < ne; j++)
			if (!memcmp(seen[j], e, sizeof(e)))
				break;
		if (j < ne)
			continue;
		memcpy(seen[ne++], e, sizeof(e));
		fprintf(out, "%s %s %s\n", e[0], e[1], e[2]);
	}
	free(seen);
}
