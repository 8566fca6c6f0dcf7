/* The audit's part inside one run: which site each DC/IC belongs to,
 * recording the sites, and suppressing one of them (audit.h).
 *
 * A site is the innermost caller outside the cache-maintenance helper
 * routines, so that "the DC IVAC loop in dcache_inval_poc" is split into
 * the calls that need it. The caller is found from LR (a leaf helper
 * keeps its return address there) and then the frame-pointer chain
 * (x29 -> {previous x29, return address}; the guest is built with frame
 * pointers): the first return address outside a helper is the site, named
 * by its call instruction (return address - 4). A DC/IC written directly
 * in a non-helper function is its own site. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "report/history.h"
#include "board/machine.h"
#include "report/findings.h"
#include "report/guestmem.h"
#include "report/report.h"
#include "report/symbols.h"

#define MAX_FRAMES 32
#define CALL_GAP 12             /* instructions between CMOs of one call */
#define HELPER_CACHE 4096

struct site {
	uint64_t key;           /* call instruction address (or the DC's) */
	uint64_t ops[CMO_IC_IALLUIS + 1];
	uint64_t calls;
	uint64_t first;         /* instructions run before its first quantum */
};

struct audit {
	struct audit_opts o;
	struct machine *m;
	struct symbols *syms;
	uint64_t bias;
	struct site *v;
	size_t n, cap, hot;     /* hot: the last site hit */
	struct { uint64_t site, insns; } last[MAX_PES];
	struct { uint64_t addr; int8_t helper; } cache[HELPER_CACHE];
};

int audit_option(struct audit_opts *o, const char *opt, const char *val)
{
	char *end;

	if (!strcmp(opt, "--audit-record")) {
		o->record = val;
	} else if (!strcmp(opt, "--audit-suppress")) {
		o->suppress = strtoull(val, &end, 0);
		if (*end || !o->suppress)
			return -1;
	} else if (!strcmp(opt, "--audit-helper")) {
		if (o->nhelper == AUDIT_MAX_HELPERS)
			return -1;
		o->helper[o->nhelper++] = val;
	} else {
		return -1;
	}
	return 0;
}

static bool helper_name(const struct audit *a, const char *name)
{
	static const char *const prefix[] = {
		"dcache_", "icache_", "sync_icache", "__flush", "__clean",
		"__inval",
	};

	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(name, prefix[i], strlen(prefix[i])))
			return true;
	for (unsigned i = 0; i < a->o.nhelper; i++)
		if (!strcmp(name, a->o.helper[i]))
			return true;
	return false;
}

/* Is the code at guest address addr inside a helper? Cached per address:
 * the same few PCs come back for every line of a range. */
static bool is_helper(struct audit *a, uint64_t addr)
{
	unsigned h = (addr >> 2) & (HELPER_CACHE - 1);
	struct sym_info si;
	bool r;

	if (a->cache[h].addr == addr && a->cache[h].helper >= 0)
		return a->cache[h].helper;
	r = a->syms && symbols_lookup(a->syms, addr - a->bias, &si) &&
	    si.name && helper_name(a, si.name);
	a->cache[h].addr = addr;
	a->cache[h].helper = r;
	return r;
}

static uint64_t site_of(struct machine *m, struct audit *a, struct cpu *c)
{
	uint64_t ret = c->x[30], fp = c->x[29], prev = 0;

	if (!is_helper(a, c->pc))
		return c->pc;
	for (int depth = 0; depth <= MAX_FRAMES; depth++) {
		if (ret && ret != prev && !is_helper(a, ret))
			return ret - 4;
		prev = ret;
		uint64_t rec[2];

		if (!fp || (fp & 15) || !guest_peek(m, c, fp, rec, sizeof(rec)))
			break;
		fp = rec[0];
		ret = rec[1];
	}
	return c->pc;           /* no caller found: the helper itself */
}

static struct site *site_get(struct audit *a, uint64_t key)
{
	if (a->hot < a->n && a->v[a->hot].key == key)
		return &a->v[a->hot];
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].key == key)
			return &a->v[a->hot = i];
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		struct site *v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	memset(&a->v[a->n], 0, sizeof(a->v[0]));
	a->v[a->n].key = key;
	a->hot = a->n;
	return &a->v[a->n++];
}

static bool filter(void *arg, struct cpu *c, enum cmo_op op)
{
	struct audit *a = arg;
	uint64_t key;
	struct site *s;

	/* DC ZVA is a store of zeros, not maintenance: never suppressed. */
	if (op == CMO_DC_ZVA)
		return true;
	key = site_of(a->m, a, c);
	if (a->o.hi && (key < a->o.lo || key >= a->o.hi))
		return true;
	if (a->o.record && (s = site_get(a, key))) {
		if (!s->calls)
			s->first = a->m->insns_total;
		s->ops[op]++;
		if (a->last[c->id].site != key ||
		    c->insns - a->last[c->id].insns > CALL_GAP)
			s->calls++;
		a->last[c->id].site = key;
		a->last[c->id].insns = c->insns;
	}
	return key != a->o.suppress;
}

int audit_attach(struct machine *m, const struct audit_opts *o)
{
	struct audit *a;

	if (!o->record && !o->suppress)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	a->o = *o;
	a->m = m;
	for (size_t i = 0; i < HELPER_CACHE; i++)
		a->cache[i].helper = -1;
	a->syms = findings_symbols(m);
	a->bias = findings_bias(m);
	m->mem.cmo_filter = filter;
	m->mem.cmo_filter_arg = a;
	return 0;
}

/* Location text of a site: "sym+0x1c file.c:12". */
static void site_text(struct audit *a, uint64_t key, char *buf, size_t len)
{
	struct sym_info si;
	char name[256], file[256], call[256];
	int k = 0;

	buf[0] = 0;
	if (!a->syms || !symbols_lookup(a->syms, key - a->bias, &si)) {
		snprintf(buf, len, "0x%" PRIx64, key);
		return;
	}
	/* Names go into a tab-separated record and then a Markdown table:
	 * escaped as on the terminal, so no tab, newline or escape code of
	 * a symbol can split a field or reach the reader raw. */
	report_term_str(name, sizeof(name), si.name ? si.name : "");
	report_term_str(file, sizeof(file), si.file ? si.file : "");
	report_term_str(call, sizeof(call), si.call_file ? si.call_file : "");
	if (si.name)
		k = snprintf(buf, len, "%s+0x%" PRIx64, name, si.offset);
	else
		k = snprintf(buf, len, "0x%" PRIx64, key);
	/* A location longer than buf is cut, by intent. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
	if (si.file && si.call_file && k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - k, "\t%s:%d (inlined at %s:%d)", file,
			 si.line, call, si.call_line);
	else if (si.file && k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - k, "\t%s:%d", file, si.line);
	else if (k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - k, "\t-");
#pragma GCC diagnostic pop
}

/* The record file, one fact a line, tab-separated:
 *   S key ops calls symbol+off file:line    a site (ops: "DC IVAC x3, ...")
 *   F kind pc summary                       a finding of this run
 *   T key insns                             a site's first quantum: the
 *                                           machine's instruction count at
 *                                           its start (for --model-after) */
static int write_record(struct machine *m, struct audit *a)
{
	FILE *f = fopen(a->o.record, "w");
	char loc[400];

	if (!f)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct site *s = &a->v[i];
		bool first = true;

		fprintf(f, "S\t0x%" PRIx64 "\t", s->key);
		for (unsigned op = 0; op <= CMO_IC_IALLUIS; op++) {
			if (!s->ops[op])
				continue;
			fprintf(f, "%s%s x%" PRIu64, first ? "" : ", ",
				cmo_op_name(op), s->ops[op]);
			first = false;
		}
		site_text(a, s->key, loc, sizeof(loc));
		fprintf(f, "\t%" PRIu64 "\t%s\n", s->calls, loc);
		fprintf(f, "T\t0x%" PRIx64 "\t%" PRIu64 "\n", s->key, s->first);
	}
	for (size_t i = 0; i < findings_count(m); i++) {
		const struct finding_rec *r = findings_get(m, i);

		site_text(a, r->f.pc, loc, sizeof(loc));
		for (char *t = loc; *t; t++)
			if (*t == '\t')
				*t = ' ';
		fprintf(f, "F\t%s\t0x%" PRIx64 "\t%s (%s) at %s, pa 0x%" PRIx64
			", stale %s\n", finding_kind_name(r->f.kind), r->f.pc,
			finding_kind_name(r->f.kind), r->f.always ? "always" : "may",
			loc, r->f.pa, copy_name(r->f.stale_copy));
	}
	return fclose(f) == 0 ? 0 : -1;
}

int audit_finish(struct machine *m)
{
	struct audit *a = m->mem.cmo_filter_arg;
	int r = 0;

	if (!a || m->mem.cmo_filter != filter)
		return 0;
	if (a->o.record)
		r = write_record(m, a);
	free(a->v);
	free(a);
	m->mem.cmo_filter = NULL;
	m->mem.cmo_filter_arg = NULL;
	return r;
}
