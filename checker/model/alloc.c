/* Allocatability from live translations (docs/model.md
 * "Allocatability"; Arm ARM D7.4.2 and B2.8: a cache may allocate
 * any Normal cacheable location reachable through a translation the PE
 * may use, speculatively and at any time).
 *
 * Per PE: the leaf mappings found by walking its current tables (cur),
 * and the leaves that left the tables but may still be held by its TLB
 * until a covering TLBI completes with a DSB (stale; D8.13 "TLB
 * maintenance requirements"). From them and the PE's SCTLR/HCR, a bitmap
 * of pages it may allocate on the data side (dbits: U and P) and on the
 * instruction side (ibits: its I-cache and P). Per page, counters of the
 * PEs with the bit set give the page's allocation level.
 *
 * Recomputed lazily, at the next synchronisation point (DSB, ISB,
 * exception entry/return, PE start), when a PE's translation registers
 * changed or a store hit a page the walker read as a table. */
#include "model/model.h"
#include "arch/walk.h"

#include <stdlib.h>
#include <string.h>

#include "pe/exception.h"
#include "board/machine.h"

#define MAX_TABLES 65536        /* per walk: guards against table loops */

static void lv_push(struct leafvec *v, const struct leaf *l)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->v = realloc(v->v, v->cap * sizeof(*v->v));
		if (!v->v)
			abort();
	}
	v->v[v->n++] = *l;
}

static int leaf_cmp(const void *pa, const void *pb)
{
	const struct leaf *a = pa, *b = pb;

#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMP(regime); CMP(va); CMP(pa); CMP(size); CMP(asid); CMP(global);
	CMP(flags);
#undef CMP
	return 0;
}

/* ---- walking a PE's tables ---- */

struct walk {
	struct cachemodel *cm;
	struct leafvec *out;
	uint64_t mair;
	uint16_t asid;
	uint8_t regime;
	unsigned tables;
};

/* The walker's table callback: RAM tables only, each counted against
 * the loop guard and its page marked as read by the walker. */
static const uint8_t *walk_table(void *ctx, uint64_t tpa, uint64_t nent,
				 unsigned level, uint64_t va)
{
	struct walk *w = ctx;
	struct cachemodel *cm = w->cm;
	const uint8_t *t = machine_ram_ptr(cm->m, tpa, nent * 8);

	(void)level;
	(void)va;
	if (!t || ++w->tables > MAX_TABLES)
		return NULL;
	bit_set(cm->tpage, (tpa - cm->base) >> 12);
	return t;
}

static void walk_leaf(void *ctx, uint64_t va, uint64_t size, unsigned level,
		      uint64_t d, unsigned xn_t, unsigned pxn_t)
{
	struct walk *w = ctx;
	struct leaf l;
	unsigned attr, xn0, xn1;

	(void)level;
	if (!(d & DESC_AF))
		return;                 /* never in a TLB */
	memset(&l, 0, sizeof(l));
	l.va = va;
	l.size = size;
	l.pa = d & DESC_OA_MASK & ~(size - 1);
	l.regime = w->regime;
	l.global = w->regime == REGIME_EL2 || !(d & DESC_NG);
	l.asid = l.global ? 0 : w->asid;
	attr = (w->mair >> (8 * DESC_GET_ATTRIDX(d))) & 0xff;
	{
		struct memattr a = { (uint8_t)attr, 0, 1 };

		if (memattr_inner_cacheable(a) || memattr_outer_cacheable(a))
			l.flags |= LF_C;
	}
	if (w->regime == REGIME_EL2) {
		xn0 = xn1 = (d & DESC_UXN ? 1u : 0u) | xn_t;
	} else {
		xn0 = (d & DESC_UXN ? 1u : 0u) | xn_t;
		xn1 = (d & DESC_PXN ? 1u : 0u) | pxn_t;
	}
	/* Instruction fetches from Device memory fault (D8.4.2). */
	if ((attr & 0xf0) && (!xn0 || !xn1))
		l.flags |= LF_X;
	lv_push(w->out, &l);
}

/* Every leaf of one TTBR's tables (D8.3, 4 KiB granule). */
static void walk_ttbr(struct walk *w, uint64_t ttbr, unsigned tsz, bool top)
{
	struct walk_tree t = { .ttbr = ttbr, .tsz = tsz, .pabits = PA_BITS,
			       .top = top };

	walk_leaves(&t, 0, ~0ull, walk_table, walk_leaf, w);
}

static void walk_pe(struct cachemodel *cm, struct cpu *c, struct leafvec *out)
{
	struct sysregs *s = &c->sys;
	struct walk w = { .cm = cm, .out = out };

	if (!c->powered)
		return;
	if (c->el == 2) {
		if (!(s->sctlr_el2 & SCTLR_M))
			return;
		w.regime = REGIME_EL2;
		w.mair = s->mair_el2;
		walk_ttbr(&w, s->ttbr0_el2, s->tcr_el2 & 0x3f, false);
		return;
	}
	/* HCR_EL2.DC: stage 1 of EL1&0 behaves as disabled (D8.2.11). */
	if (!(s->sctlr_el1 & SCTLR_M) ||
	    (cpu_has_el2(c) && (s->hcr_el2 & HCR_DC)))
		return;
	w.regime = REGIME_EL10;
	w.mair = s->mair_el1;
	w.asid = mmu_cur_asid(c);
	if (!((s->tcr_el1 >> 7) & 1))
		walk_ttbr(&w, s->ttbr0_el1, s->tcr_el1 & 0x3f, false);
	if (!((s->tcr_el1 >> 23) & 1))
		walk_ttbr(&w, s->ttbr1_el1, (s->tcr_el1 >> 16) & 0x3f, true);
}

/* The leaves that left the tables stay live (stale) until a TLBI. */
static void rewalk(struct cachemodel *cm, unsigned i)
{
	struct pe_model *pe = &cm->pe[i];
	struct leafvec nv = { 0 };
	size_t a = 0, b = 0, n;

	walk_pe(cm, &cm->m->pe[i], &nv);
	if (nv.n)
		qsort(nv.v, nv.n, sizeof(*nv.v), leaf_cmp);
	while (a < pe->cur.n) {
		int d = b < nv.n ? leaf_cmp(&pe->cur.v[a], &nv.v[b]) : -1;

		if (d < 0)
			lv_push(&pe->stale, &pe->cur.v[a++]);
		else if (d > 0)
			b++;
		else
			a++, b++;
	}
	free(pe->cur.v);
	pe->cur = nv;
	/* sort and drop duplicates */
	if (pe->stale.n)
		qsort(pe->stale.v, pe->stale.n, sizeof(*pe->stale.v), leaf_cmp);
	for (a = n = 0; a < pe->stale.n; a++)
		if (!n || leaf_cmp(&pe->stale.v[n - 1], &pe->stale.v[a]))
			pe->stale.v[n++] = pe->stale.v[a];
	pe->stale.n = n;
}

/* ---- bitmaps and per-page counters ---- */

static void set_pages(struct cachemodel *cm, uint64_t *bits, uint64_t pa,
		      uint64_t size)
{
	uint64_t lo, hi, end = cm->base + (cm->npages << 12);

	if (pa >= end || pa + size <= cm->base)
		return;
	lo = pa < cm->base ? 0 : (pa - cm->base) >> 12;
	hi = (pa + size > end ? end - cm->base : pa + size - cm->base) >> 12;
	while (lo < hi && (lo & 63))
		bit_set(bits, lo++);
	while (lo + 64 <= hi) {
		bits[lo >> 6] = ~0ull;
		lo += 64;
	}
	while (lo < hi)
		bit_set(bits, lo++);
}

static void add_leaves(struct cachemodel *cm, const struct leafvec *v,
		       unsigned regime, uint64_t sctlr)
{
	for (size_t k = 0; k < v->n; k++) {
		const struct leaf *l = &v->v[k];

		if (l->regime != regime || !(l->flags & LF_C))
			continue;
		if (sctlr & SCTLR_C)
			set_pages(cm, cm->tmpd, l->pa, l->size);
		if ((sctlr & SCTLR_I) && (l->flags & LF_X))
			set_pages(cm, cm->tmpi, l->pa, l->size);
	}
}

static void rebuild_bits(struct cachemodel *cm, unsigned i)
{
	struct pe_model *pe = &cm->pe[i];
	struct cpu *c = &cm->m->pe[i];
	uint64_t all = cm->npages << 12;
	unsigned r = c->el == 2 ? REGIME_EL2 : REGIME_EL10;
	uint64_t sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;

	memset(cm->tmpd, 0, cm->nwords * 8);
	memset(cm->tmpi, 0, cm->nwords * 8);
	if (c->powered) {
		if (r == REGIME_EL10 && cpu_has_el2(c) &&
		    (c->sys.hcr_el2 & HCR_DC)) {
			/* HCR_EL2.DC: data and fetches Normal Write-Back. */
			set_pages(cm, cm->tmpd, cm->base, all);
			set_pages(cm, cm->tmpi, cm->base, all);
		} else if (sctlr & SCTLR_M) {
			add_leaves(cm, &pe->cur, r, sctlr);
			add_leaves(cm, &pe->stale, r, sctlr);
		} else if ((sctlr & SCTLR_I) && pe->win != ~0ull) {
			/* Stage 1 off, I = 1: fetches are Normal cacheable;
			 * the model lets the PE prefetch the page it runs
			 * and the next one (docs/model.md). */
			set_pages(cm, cm->tmpi, cm->base + (pe->win << 12),
				  2 << 12);
		}
	}
	/* Data side first: a page gaining U+P allocation needs no P-only
	 * closure afterwards. */
	for (uint64_t w = 0; w < cm->nwords; w++) {
		uint64_t o = pe->dbits[w], n = cm->tmpd[w];

		if (o == n)
			continue;
		for (uint64_t x = o ^ n; x; x &= x - 1) {
			uint64_t pg = w * 64 + __builtin_ctzll(x);

			if ((n >> (pg & 63)) & 1) {
				if (cm->dcount[pg]++ == 0)
					page_reclose(cm, pg, AL_UP);
			} else {
				cm->dcount[pg]--;
			}
		}
		pe->dbits[w] = n;
	}
	for (uint64_t w = 0; w < cm->nwords; w++) {
		uint64_t o = pe->ibits[w], n = cm->tmpi[w];

		if (o == n)
			continue;
		pe->ibits[w] = n;
		for (uint64_t x = o ^ n; x; x &= x - 1) {
			uint64_t pg = w * 64 + __builtin_ctzll(x);

			if ((n >> (pg & 63)) & 1) {
				if (cm->icount[pg]++ == 0 && !cm->dcount[pg])
					page_reclose(cm, pg, AL_P);
				icache_page_allocatable(cm, i, pg);
			} else {
				cm->icount[pg]--;
			}
		}
	}
	cpu_ctx_changed(c);
}

void alloc_sync(struct cachemodel *cm)
{
	struct machine *m = cm->m;

	if (!cm->any_rewalk)
		return;
	cm->any_rewalk = false;
	for (unsigned i = 0; i < m->npe; i++) {
		struct pe_model *pe = &cm->pe[i];

		if (pe->rewalk) {
			pe->rewalk = false;
			pe->rebits = true;
			rewalk(cm, i);
		}
		if (pe->rebits) {
			pe->rebits = false;
			rebuild_bits(cm, i);
		}
	}
}

/* ---- TLB maintenance, window, reset ---- */

static bool tlbi_covers(const struct ptlbi *t, const struct leaf *l)
{
	bool in = t->va - l->va < l->size;

	if (l->regime != t->regime)
		return false;
	switch (t->scope) {
	case TLBI_ALL:
		return true;
	case TLBI_ASID:
		return !l->global && l->asid == t->asid;
	case TLBI_VA:
		return in && (l->global || l->asid == t->asid);
	default:
		return in;
	}
}

void alloc_tlbi_complete(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[c->id];
	struct machine *m = cm->m;

	for (size_t k = 0; k < pe->nptlbi; k++) {
		const struct ptlbi *t = &pe->ptlbi[k];

		for (unsigned i = 0; i < m->npe; i++) {
			struct leafvec *s = &cm->pe[i].stale;
			size_t n = 0;

			if (!t->bcast && i != (unsigned)c->id)
				continue;
			for (size_t j = 0; j < s->n; j++)
				if (!tlbi_covers(t, &s->v[j]))
					s->v[n++] = s->v[j];
			if (n != s->n) {
				s->n = n;
				cm->pe[i].rebits = true;
				cm->any_rewalk = true;
			}
		}
	}
	pe->nptlbi = 0;
}

void alloc_fetch_window(struct cachemodel *cm, struct cpu *c, uint64_t pg)
{
	struct pe_model *pe = &cm->pe[c->id];

	if (pe->win == pg)
		return;
	pe->win = pg;
	pe->rebits = true;
	cm->any_rewalk = true;
	alloc_sync(cm);
}

void alloc_pe_reset(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[c->id];

	/* The TLB is empty at reset (machine_pe_start). */
	pe->cur.n = 0;
	pe->stale.n = 0;
	pe->win = ~0ull;
	pe->rewalk = pe->rebits = true;
	cm->any_rewalk = true;
}

void alloc_init(struct cachemodel *cm)
{
	size_t nb = cm->nwords * 8;

	cm->tmpd = cm_alloc(cm, nb);
	cm->tmpi = cm_alloc(cm, nb);
	for (unsigned i = 0; i < cm->m->npe; i++) {
		struct pe_model *pe = &cm->pe[i];

		pe->dbits = cm_alloc(cm, nb);
		pe->ibits = cm_alloc(cm, nb);
		pe->iever = cm_alloc(cm, nb);
		pe->win = ~0ull;
		pe->fetch_pg = ~0ull;
	}
}

void alloc_free(struct cachemodel *cm)
{
	free(cm->tmpd);
	free(cm->tmpi);
	for (unsigned i = 0; i < cm->m->npe; i++) {
		struct pe_model *pe = &cm->pe[i];

		free(pe->dbits);
		free(pe->ibits);
		free(pe->iever);
		free(pe->cur.v);
		free(pe->stale.v);
		free(pe->ptlbi);
	}
}
