/* --boot-contract=all: the runs under each contract (one process each,
 * report.c findings_write_part) merged into one report, each root cause
 * tagged with the contracts under which it appears. A root cause is the
 * same under two contracts when its cause, kind, fix and first read are. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/allrun.h"
#include "report/html.h"
#include "report/sarif.h"

struct merged {
	char *key, *head, *row, *body, *json, *sarif, *html;
	char *cause, *kind;	/* names */
	unsigned from;		/* the contract whose text it has */
	char *assumes[BOOT_NCONTRACTS];
	unsigned mask;          /* contracts it appears under */
};

struct merge {
	struct merged *v;
	size_t n, cap;
	char **findings;
	size_t nf, capf;
	size_t count[BOOT_NCONTRACTS], suppressed;
	uint64_t occ[BOOT_NCONTRACTS];
	char *root[BOOT_NCONTRACTS];	/* each run's SARIF source root */
};

static char *dup_line(const char *s)
{
	size_t n = strcspn(s, "\n");
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static int push_finding(struct merge *g, const char *s)
{
	if (g->nf == g->capf) {
		size_t c = g->capf ? 2 * g->capf : 16;
		char **p = realloc(g->findings, c * sizeof(*p));

		if (!p)
			return -1;
		g->findings = p;
		g->capf = c;
	}
	return (g->findings[g->nf++] = dup_line(s)) ? 0 : -1;
}

static struct merged *find_or_add(struct merge *g, const char *key)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].key, key))
			return &g->v[i];
	if (g->n == g->cap) {
		size_t c = g->cap ? 2 * g->cap : 8;
		struct merged *p = realloc(g->v, c * sizeof(*p));

		if (!p)
			return NULL;
		g->v = p;
		g->cap = c;
	}
	memset(&g->v[g->n], 0, sizeof(g->v[0]));
	if (!(g->v[g->n].key = dup_line(key)))
		return NULL;
	return &g->v[g->n++];
}

/* Reads one part; the first contract to show a root cause gives its
 * text. */
static int read_part(struct merge *g, FILE *in, unsigned k)
{
	char *line = NULL;
	size_t cap = 0;
	struct merged *cur = NULL;
	bool fresh = false;
	int rc = 0;

	rewind(in);
	while (rc == 0 && getline(&line, &cap, in) > 0) {
		char *tab = strchr(line, '\t'), *val = tab ? tab + 1 : NULL;

		if (!val)
			continue;
		*tab = 0;
		val[strcspn(val, "\n")] = 0;
		if (!strcmp(line, "@RUN")) {
			size_t nsup = 0;

			if (sscanf(val, "%zu %" SCNu64 " %zu", &g->count[k],
				   &g->occ[k], &nsup) != 3)
				rc = -1;
			g->suppressed += nsup;
		} else if (!strcmp(line, "@FINDING")) {
			rc = push_finding(g, val);
		} else if (!strcmp(line, "@CAUSE")) {
			if (!(cur = find_or_add(g, val)))
				rc = -1;
			else {
				fresh = !cur->mask;
				cur->mask |= 1u << k;
				if (fresh)
					cur->from = k;
			}
		} else if (cur && !strcmp(line, "@ASSUMES")) {
			cur->assumes[k] = dup_line(val);
		} else if (cur && fresh && !strcmp(line, "@HEAD")) {
			cur->head = dup_line(val);
		} else if (cur && fresh && !strcmp(line, "@ROW")) {
			cur->row = dup_line(val);
		} else if (cur && fresh && !strcmp(line, "@JSON")) {
			cur->json = dup_line(val);
		} else if (cur && fresh && !strcmp(line, "@NAMES")) {
			char *t2 = strchr(val, '\t');

			if (t2) {
				*t2 = 0;
				cur->cause = dup_line(val);
				cur->kind = dup_line(t2 + 1);
			}
		} else if (!strcmp(line, "@SRCROOT")) {
			free(g->root[k]);
			g->root[k] = dup_line(val);
		} else if (cur && (!strcmp(line, "@BODY") ||
				   !strcmp(line, "@SARIF") ||
				   !strcmp(line, "@HTML"))) {
			/* blocks of bytes, read by their length */
			size_t len = strtoull(val, NULL, 10);
			char *b = malloc(len + 1), **to;

			if (!b || fread(b, 1, len, in) != len) {
				free(b);
				rc = -1;
				break;
			}
			b[len] = 0;
			to = line[1] == 'B' ? &cur->body : line[1] == 'S' ?
			     &cur->sarif : &cur->html;
			if (fresh && !*to)
				*to = b;
			else
				free(b);
		}
	}
	free(line);
	return rc;
}

static void tags(FILE *o, unsigned mask, bool json)
{
	bool first = true;

	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		if (mask >> k & 1) {
			fprintf(o, json ? "%s\"%s\"" : "%s%s",
				first ? "" : json ? ", " : " ", contract_name(k));
			first = false;
		}
	if (first && !json)
		fputs("none", o);
}

static void print_text(const struct merge *g, FILE *out)
{
	size_t total = 0;

	for (size_t i = 0; i < g->n; i++) {
		const struct merged *c = &g->v[i];

		fprintf(out, "coherent: root cause %zu of %zu: %s\n%s", i + 1,
			g->n, c->head ? c->head : "?", c->body ? c->body : "");
		for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
			if (c->mask >> k & 1)
				fprintf(out, "  contract %s: %s\n", contract_name(k),
					c->assumes[k] && *c->assumes[k] ?
					c->assumes[k] : "none of its assumptions "
					"is needed (the program's own accesses)");
		fputs("  under: ", out);
		tags(out, c->mask, false);
		fputs("; not under: ", out);
		tags(out, ~c->mask & ((1u << BOOT_NCONTRACTS) - 1), false);
		fputc('\n', out);
	}
	if (g->n) {
		fprintf(out, "coherent: root causes (as the first contract to "
			"show each counts them):\n  #  %-16s %-20s %9s %12s  %s\n",
			"cause", "kind", "findings", "occurrences", "contracts");
		for (size_t i = 0; i < g->n; i++) {
			fprintf(out, "  %-2zu %s  ", i + 1, g->v[i].row);
			tags(out, g->v[i].mask, false);
			fputc('\n', out);
		}
	}
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		total += g->count[k];
	if (!total && !g->suppressed)
		return;
	fprintf(out, "SUMMARY: coherent: %zu root cause%s over the contracts; "
		"findings:", g->n, g->n == 1 ? "" : "s");
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		fprintf(out, "%s %s %zu (%" PRIu64 " occurrence%s)", k ? "," : "",
			contract_name(k), g->count[k], g->occ[k],
			g->occ[k] == 1 ? "" : "s");
	if (g->suppressed)
		fprintf(out, "; %zu suppressed", g->suppressed);
	fputc('\n', out);
}

static int print_json(const struct merge *g, FILE *o)
{
	size_t total = 0;

	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		total += g->count[k];
	fputs("{\"version\": 1, \"contracts\": [", o);
	tags(o, (1u << BOOT_NCONTRACTS) - 1, true);
	fprintf(o, "], \"count\": %zu, \"suppressed\": %zu, \"findings\": [",
		total, g->suppressed);
	for (size_t i = 0; i < g->nf; i++)
		fprintf(o, "%s%s", i ? ",\n" : "\n", g->findings[i]);
	fputs(g->nf ? "\n], \"root_causes\": [" : "], \"root_causes\": [", o);
	for (size_t i = 0; i < g->n; i++) {
		const char *j = g->v[i].json ? g->v[i].json : "{}";
		size_t len = strlen(j);

		/* The run's object, its closing brace replaced by the tags. */
		fprintf(o, "%s%.*s, \"contracts\": [", i ? ",\n" : "\n",
			(int)(len ? len - 1 : 0), j);
		tags(o, g->v[i].mask, true);
		fputs("]}", o);
	}
	fputs(g->n ? "\n], \"notes\": []}\n" : "], \"notes\": []}\n", o);
	return fclose(o) == 0 ? 0 : -1;
}

/* The runs' source roots: contract k's results name base id[k], one
 * id for every run with the same root. */
static void base_ids(const struct merge *g, char id[][32])
{
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++) {
		unsigned j = 0;

		while (j < k && !(g->root[j] && g->root[k] &&
				  !strcmp(g->root[j], g->root[k])))
			j++;
		if (j < k)
			snprintf(id[k], sizeof(id[k]), "%s", id[j]);
		else if (!k)
			snprintf(id[k], sizeof(id[k]), "SRCROOT");
		else
			snprintf(id[k], sizeof(id[k]), "SRCROOT_%s",
				 contract_name(k));
	}
}

/* text with every "from" replaced by "to" ("from" cannot occur inside a
 * JSON string: its quotes would be escaped there) */
static void put_replaced(FILE *o, const char *text, size_t len,
			 const char *from, const char *to)
{
	size_t fl = strlen(from);

	for (size_t i = 0; i < len;) {
		if (i + fl <= len && !memcmp(text + i, from, fl)) {
			fputs(to, o);
			i += fl;
		} else {
			fputc(text[i++], o);
		}
	}
}

static int print_sarif(const struct merge *g, FILE *o)
{
	char id[BOOT_NCONTRACTS][32], ref[64];
	const char *root[BOOT_NCONTRACTS], *ids[BOOT_NCONTRACTS];
	size_t total = 0, nres = 0;

	base_ids(g, id);
	sarif_write_head(o);
	fputs("      \"results\": [", o);
	for (size_t i = 0; i < g->n; i++) {
		const struct merged *c = &g->v[i];
		size_t len = c->sarif ? strlen(c->sarif) : 0;

		/* The result object, its properties' and its own closing
		 * braces replaced by the contracts and the braces. */
		if (len < 2)
			continue;
		snprintf(ref, sizeof(ref), "\"uriBaseId\": \"%s\"", id[c->from]);
		fputs(nres++ ? ",\n" : "\n", o);
		put_replaced(o, c->sarif, len - 2, "\"uriBaseId\": \"SRCROOT\"",
			     ref);
		fputs(", \"contracts\": [", o);
		tags(o, c->mask, true);
		fputs("]}}", o);
	}
	fputs(nres ? "\n      ]" : "]", o);
	/* each id once, with the root of its first run */
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++) {
		bool first = true;

		for (unsigned j = 0; j < k; j++)
			first &= strcmp(id[j], id[k]) != 0;
		root[k] = first ? g->root[k] : NULL;
		ids[k] = id[k];
		total += g->count[k];
	}
	sarif_write_tail(o, root, ids, BOOT_NCONTRACTS, total, g->suppressed);
	return fclose(o) == 0 ? 0 : -1;
}

static int print_html(const struct merge *g, FILE *o)
{
	size_t total = 0;
	uint64_t occ = 0;

	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++) {
		total += g->count[k];
		occ += g->occ[k];
	}
	html_write_head(o, g->n, total, occ, g->suppressed);
	fprintf(o, "<p>Findings per contract:");
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		fprintf(o, "%s %s %zu (%" PRIu64 " occurrence%s)", k ? "," : "",
			contract_name(k), g->count[k], g->occ[k],
			g->occ[k] == 1 ? "" : "s");
	fputs(".</p>\n", o);
	if (g->n) {
		fputs("<table class=\"summary\"><thead><tr><th>#</th>"
		      "<th>cause</th><th>kind</th><th>contracts</th></tr>"
		      "</thead><tbody>\n", o);
		for (size_t i = 0; i < g->n; i++) {
			fprintf(o, "<tr><td><a href=\"#rc-%zu\">%zu</a></td>"
				"<td>%s</td><td>%s</td><td>", i + 1, i + 1,
				g->v[i].cause ? g->v[i].cause : "?",
				g->v[i].kind ? g->v[i].kind : "?");
			tags(o, g->v[i].mask, false);
			fputs("</td></tr>\n", o);
		}
		fputs("</tbody></table>\n", o);
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct merged *c = &g->v[i];

		html_write_section_head(o, i, c->cause ? c->cause : "?",
					c->kind ? c->kind : "?");
		fputs("<p class=\"contracts\">Under: ", o);
		tags(o, c->mask, false);
		fputs("; not under: ", o);
		tags(o, ~c->mask & ((1u << BOOT_NCONTRACTS) - 1), false);
		fprintf(o, " (as the %s run shows it)</p>\n",
			contract_name(c->from));
		fputs(c->html ? c->html : "", o);
		fputs("</section>\n", o);
	}
	html_write_tail(o);
	return fclose(o) == 0 ? 0 : -1;
}

static void merge_free(struct merge *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct merged *c = &g->v[i];

		free(c->key);
		free(c->head);
		free(c->row);
		free(c->body);
		free(c->json);
		free(c->sarif);
		free(c->html);
		free(c->cause);
		free(c->kind);
		for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
			free(c->assumes[k]);
	}
	for (size_t i = 0; i < g->nf; i++)
		free(g->findings[i]);
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		free(g->root[k]);
	free(g->v);
	free(g->findings);
}

int allrun_report(FILE *const parts[BOOT_NCONTRACTS], FILE *out, FILE *json,
		  FILE *sarif, FILE *html)
{
	struct merge g = { 0 };
	int rc = 0;

	for (unsigned k = 0; k < BOOT_NCONTRACTS && rc == 0; k++)
		if (!parts[k] || read_part(&g, parts[k], k) < 0)
			rc = -1;
	if (rc == 0) {
		print_text(&g, out);
		if (json && print_json(&g, json) < 0)
			rc = -1;
		json = NULL;
		if (sarif && print_sarif(&g, sarif) < 0)
			rc = -1;
		sarif = NULL;
		if (html && print_html(&g, html) < 0)
			rc = -1;
		html = NULL;
	}
	if (json)
		fclose(json);
	if (sarif)
		fclose(sarif);
	if (html)
		fclose(html);
	merge_free(&g);
	return rc;
}
