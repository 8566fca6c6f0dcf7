/* Findings: deduplication, storage and the reports (findings.h,
 * report.h). One bug tends to be hit many times (a loop reading stale
 * data); a finding is identified by its kind and PC, the first occurrence
 * is kept with its line history, later ones only count. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/history.h"
#include "board/machine.h"
#include "report/backtrace.h"
#include "report/findings.h"
#include "report/guestmem.h"
#include "report/symbols.h"

/* Deduplicated records: open addressing on (kind, pc), index + 1 in
 * slot, 0 empty; nslot a power of two, > 2 * n. */
struct recset {
	struct finding_rec *v;
	size_t n, cap;
	size_t *slot;
	size_t nslot;
};

struct findings {
	struct recset f;        /* the findings */
	struct recset notes;    /* benign stale reads (model/sink.h note) */
	char *elf_path;
	uint64_t load;
	struct symbols *syms;
	bool syms_tried;
	size_t ndropped;
	uint64_t dropped_occ;
	struct event *deep;             /* STORE_SEARCH events, scratch */
	struct backtrace *deep_bt;
};

/* Events looked through for the store that made a finding's line stale:
 * it is often far older than the quoted history (kvm-unit-tests zeroes
 * its BSS with the MMU off, then maps 256 MiB a page and a TLBI at a
 * time before reading it cacheably). */
#define STORE_SEARCH 4096

static struct findings *state(struct machine *m)
{
	if (!m->findings)
		m->findings = calloc(1, sizeof(struct findings));
	return m->findings;
}

static size_t hash(enum finding_kind k, uint64_t pc)
{
	uint64_t h = (pc ^ ((uint64_t)k << 58)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 17);
}

static struct finding_rec *lookup(struct recset *s, enum finding_kind k,
				  uint64_t pc, size_t **where)
{
	size_t mask = s->nslot - 1;

	for (size_t i = hash(k, pc) & mask;; i = (i + 1) & mask) {
		size_t *p = &s->slot[i];

		if (!*p) {
			*where = p;
			return NULL;
		}
		if (s->v[*p - 1].f.kind == k && s->v[*p - 1].f.pc == pc)
			return &s->v[*p - 1];
	}
}

static void reindex(struct recset *s)
{
	memset(s->slot, 0, s->nslot * sizeof(*s->slot));
	for (size_t i = 0; i < s->n; i++) {
		size_t *where;

		lookup(s, s->v[i].f.kind, s->v[i].f.pc, &where);
		*where = i + 1;
	}
}

static int grow(struct recset *s)
{
	size_t ncap = s->cap ? 2 * s->cap : 16;
	size_t nslot = 4 * ncap;
	struct finding_rec *v = realloc(s->v, ncap * sizeof(*v));
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (v)
		s->v = v;
	if (!v || !slot) {
		free(slot);
		return -1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslot = nslot;
	s->cap = ncap;
	reindex(s);
	return 0;
}

static bool stale_store(const struct event *e, uint64_t stale_mask,
			bool cacheable)
{
	return e->kind == EV_STORE && (e->mask & stale_mask) &&
	       memattr_inner_cacheable(e->attr) == cacheable;
}

/* r->store[]: for each attribute class hist lacks, the newest store of
 * that class on stale bytes among the last STORE_SEARCH events. */
static void find_stale_stores(struct machine *m, struct finding_rec *r)
{
	struct findings *s = m->findings;
	bool want[2] = { true, true };
	size_t n;

	for (size_t i = 0; i < r->nhist; i++)
		for (int c = 0; c < 2; c++)
			if (stale_store(&r->hist[i], r->f.stale_mask, c))
				want[c] = false;
	if ((!want[0] && !want[1]) || !r->f.stale_mask)
		return;
	if (!s->deep) {
		s->deep = malloc(STORE_SEARCH * sizeof(*s->deep));
		s->deep_bt = malloc(STORE_SEARCH * sizeof(*s->deep_bt));
		if (!s->deep || !s->deep_bt) {
			free(s->deep);
			free(s->deep_bt);
			s->deep = NULL;
			s->deep_bt = NULL;
			return;         /* the search is best effort */
		}
	}
	n = history_for_line_bt(m, r->f.pa, s->deep, s->deep_bt, STORE_SEARCH);
	for (size_t i = n; i-- > 0;)
		for (int c = 0; c < 2; c++)
			if (want[c] && !r->have_store[c] &&
			    stale_store(&s->deep[i], r->f.stale_mask, c)) {
				r->have_store[c] = true;
				r->store[c] = s->deep[i];
				r->store_bt[c] = s->deep_bt[i];
			}
}

static void recset_add(struct machine *m, struct recset *s,
		       const struct finding *f)
{
	struct finding_rec *r;
	size_t *where;

	if (s->n == s->cap && grow(s) < 0)
		return;
	r = lookup(s, f->kind, f->pc, &where);
	if (r) {
		r->count++;
		/* One "always" occurrence makes the bug certain. */
		r->f.always |= f->always;
		return;
	}
	r = &s->v[s->n];
	memset(r, 0, sizeof(*r));
	r->f = *f;
	r->count = 1;
	r->seq = m->insns_total;
	if (f->pe >= 0 && (unsigned)f->pe < m->npe) {
		r->seq = m->pe[f->pe].insns;
		r->have_insn = guest_peek(m, &m->pe[f->pe], f->pc, &r->insn, 4);
		backtrace_capture(m, &m->pe[f->pe], f->pc, &r->bt);
	}
	r->nhist = history_for_line_bt(m, f->pa, r->hist, r->hist_bt,
				       FINDING_HISTORY);
	find_stale_stores(m, r);
	*where = ++s->n;
}

void findings_add(struct machine *m, const struct finding *f)
{
	struct findings *s = state(m);

	if (s)
		recset_add(m, &s->f, f);
}

void findings_add_note(struct machine *m, const struct finding *f)
{
	struct findings *s = state(m);

	if (s)
		recset_add(m, &s->notes, f);
}

size_t findings_note_count(const struct machine *m)
{
	const struct findings *s = m->findings;

	return s ? s->notes.n : 0;
}

const struct finding_rec *findings_note(const struct machine *m, size_t i)
{
	const struct findings *s = m->findings;

	return s && i < s->notes.n ? &s->notes.v[i] : NULL;
}

static void sink_finding(void *ctx, const struct finding *f)
{
	findings_add(ctx, f);
}

static void sink_event(void *ctx, const struct event *e)
{
	history_record(ctx, e);
}

static void sink_note(void *ctx, const struct finding *f)
{
	findings_add_note(ctx, f);
}

struct model_sink findings_sink(struct machine *m)
{
	return (struct model_sink){ .ctx = m, .finding = sink_finding,
				    .event = sink_event, .note = sink_note };
}

size_t findings_count(const struct machine *m)
{
	const struct findings *s = m->findings;

	return s ? s->f.n : 0;
}

const struct finding_rec *findings_get(const struct machine *m, size_t i)
{
	const struct findings *s = m->findings;

	return s && i < s->f.n ? &s->f.v[i] : NULL;
}

size_t findings_remove_if(struct machine *m,
			  bool (*drop)(struct machine *m,
				       const struct finding_rec *r, void *arg),
			  void *arg)
{
	struct findings *s = m->findings;
	size_t k = 0, n0;

	if (!s || !s->f.n)
		return 0;
	n0 = s->f.n;
	for (size_t i = 0; i < n0; i++) {
		if (drop(m, &s->f.v[i], arg)) {
			s->ndropped++;
			s->dropped_occ += s->f.v[i].count;
			continue;
		}
		if (k != i)
			s->f.v[k] = s->f.v[i];
		k++;
	}
	s->f.n = k;
	/* The slots index the old positions: rebuild them. */
	reindex(&s->f);
	return n0 - k;
}

size_t findings_dropped(const struct machine *m, uint64_t *occurrences)
{
	const struct findings *s = m->findings;

	if (occurrences)
		*occurrences = s ? s->dropped_occ : 0;
	return s ? s->ndropped : 0;
}

void findings_set_elf(struct machine *m, const char *elf_path, uint64_t load)
{
	struct findings *s = state(m);

	if (!s)
		return;
	free(s->elf_path);
	s->elf_path = elf_path ? strdup(elf_path) : NULL;
	s->load = load;
	symbols_close(s->syms);
	s->syms = NULL;
	s->syms_tried = false;
}

int findings_use_elf(struct machine *m, const char *elf_path, uint64_t load,
		     char *err, size_t errlen)
{
	struct findings *s = state(m);
	struct sym_region r[MAX_IMAGE_SEGS];
	struct symbols *y;
	unsigned nr = 0;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	y = symbols_open(elf_path, err, errlen);
	if (!y)
		return -1;
	for (unsigned i = 0; i < m->nimage_segs; i++) {
		const uint8_t *p = machine_ram_ptr(m, m->image_seg[i].pa,
						   m->image_seg[i].len);

		if (p)
			r[nr++] = (struct sym_region){ m->image_seg[i].pa,
						       m->image_seg[i].len, p };
	}
	if (symbols_check_image(y, symbols_bias(y, load), r, nr, err,
				errlen) < 0) {
		symbols_close(y);
		return -1;
	}
	findings_set_elf(m, elf_path, load);
	s->syms = y;
	s->syms_tried = true;
	return 0;
}

/* Opened on first use: runs without findings never read the ELF. */
struct symbols *findings_symbols(struct machine *m)
{
	/* A look-up creates no state: a run with no ELF and no findings
	 * (the fuzzers', a machine-error message) owns nothing to free. */
	struct findings *s = m->findings;
	char err[300];

	if (!s || !s->elf_path)
		return NULL;
	if (!s->syms_tried) {
		s->syms_tried = true;
		s->syms = symbols_open(s->elf_path, err, sizeof(err));
		if (!s->syms)
			fprintf(stderr, "coherent: no symbols: %s\n", err);
	}
	return s->syms;
}

uint64_t findings_bias(struct machine *m)
{
	struct symbols *y = findings_symbols(m);

	return y ? symbols_bias(y, m->findings->load) : 0;
}

void findings_free(struct machine *m)
{
	struct findings *s = m->findings;

	if (s) {
		symbols_close(s->syms);
		free(s->elf_path);
		free(s->deep);
		free(s->deep_bt);
		free(s->f.v);
		free(s->f.slot);
		free(s->notes.v);
		free(s->notes.slot);
		free(s);
		m->findings = NULL;
	}
	history_free(m);
}

const char *finding_kind_name(enum finding_kind k)
{
	static const char *const n[] = {
		[F_STALE_LOAD] = "stale-load", [F_STALE_FETCH] = "stale-fetch",
		[F_STALE_WALK] = "stale-walk",
		[F_MISSING_BARRIER] = "missing-barrier",
		[F_SET_WAY] = "set-way-not-coherent",
		[F_BBM] = "break-before-make",
		[F_TABLE_LINK] = "table-link-before-init",
		[F_NON_SHAREABLE] = "non-shareable",
	};

	return (unsigned)k < F_KIND_MAX ? n[k] : "unknown";
}

const char *copy_name(enum copy_id c)
{
	static const char *const n[] = { "U", "P", "M", "I", "none" };

	return (unsigned)c <= COPY_NONE ? n[c] : "?";
}

void findings_describe_pc(struct machine *m, uint64_t pc, char *buf,
			  size_t len)
{
	struct symbols *y = findings_symbols(m);
	struct sym_info si;
	int k = 0;

	buf[0] = 0;
	if (!y || !symbols_lookup(y, pc - findings_bias(m), &si))
		return;
	if (si.file)
		k = snprintf(buf, len, " %s:%d", si.file, si.line);
	if (si.name && k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - k, " %s+0x%" PRIx64, si.name, si.offset);
}
