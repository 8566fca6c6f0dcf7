/* Allocatability from live translations (docs/model.md
 * "Allocatability"; Arm ARM D7.4.2 and B2.8: a cache may allocate
 * any Normal cacheable location reachable through a translation the PE
 * may use, speculatively and at any time).
 *
 * Per PE: the leaf mappings of its current tables (cur: the leaves of
 * its copy of the tables, ptshadow.c), and the leaves that left the
 * tables but may still be held by its TLB until a covering TLBI
 * completes with a DSB (stale; D8.13 "TLB maintenance requirements").
 * Per page, the number of cur and stale leaves that make it
 * allocatable (leafcnt.c, kept as ranges); from them and the PE's
 * SCTLR/HCR, a bitmap of pages it may allocate on the data side (dbits:
 * U and P) and on the instruction side (ibits: its I-cache and P). Per page, counters of the PEs with
 * the bit set give the page's allocation level.
 *
 * Brought up to date lazily, at the next synchronisation point (DSB,
 * ISB, exception entry/return, PE start), when a PE's translation
 * registers changed (its tables are read again from the TTBRs) or a
 * store hit a page the walker read as a table (only the entries whose
 * descriptors changed are read again). */
#include "model/model.h"
#include "model/leafcnt.h"
#include "model/ptshadow.h"
#include "arch/walk.h"
#include "arch/walk_s2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Stores to table lines kept for a PE that has not caught up; past
 * that, its tables are read again whole. */
#define LOG_MAX 16384

/* What a PE's bitmaps depend on besides its leaves and window. */
struct bits_mode {
	bool powered, dc, vm;
	uint8_t regime;
	uint64_t sctlr;         /* M, C, I of the regime */
	uint64_t sctlr2;        /* M, C, I of SCTLR_EL2 */
};

struct alloc_pe {
	struct ptshadow sh;
	bool rebuild;           /* missed stores: read the tables whole */
	size_t logpos;          /* stores of the log already applied */
	struct leafvec stale;
	size_t stale_dedup;     /* stale.n after the last deduplication */
	/* cur and stale leaves per page: [regime][cacheable, and X] */
	struct leafcnt cnt[2][2];
	/* bitmap words where a page's count may have crossed zero */
	uint8_t *wmark;
	uint64_t *words;
	size_t nwords, capwords;
	struct bits_mode mode;
	bool mode_ok;
};

struct alloc_state {
	uint64_t *log;          /* lines of table pages stored to */
	size_t nlog, caplog, fresh;     /* fresh: first entry no PE applied */
	bool check;             /* COHERENT_ALLOC_CHECK: compare each step */
	struct alloc_pe pe[];
};

static int leaf_cmp(const void *pa, const void *pb)
{
	const struct leaf *a = pa, *b = pb;

#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMP(regime); CMP(va); CMP(pa); CMP(size); CMP(asid); CMP(vmid);
	CMP(global);
	CMP(flags); CMP(attr); CMP(sh);
#undef CMP
	return 0;
}

static void lv_sort(struct leafvec *v)
{
	if (v->n > 1)
		qsort(v->v, v->n, sizeof(*v->v), leaf_cmp);
}

/* out = a - b, as multisets; a and b sorted. */
static void lv_minus(const struct leafvec *a, const struct leafvec *b,
		     struct leafvec *out)
{
	size_t i = 0, j = 0;

	while (i < a->n) {
		int d = j < b->n ? leaf_cmp(&a->v[i], &b->v[j]) : -1;

		if (d < 0)
			lv_push(out, &a->v[i++]);
		else if (d > 0)
			j++;
		else
			i++, j++;
	}
}

/* ---- leaf counts, and the bitmap words to compute again ---- */

/* Bitmap word w to be computed again at the next rebuild_bits. */
static void touch_word(struct alloc_pe *a, uint64_t w)
{
	if (a->wmark[w])
		return;
	a->wmark[w] = 1;
	if (a->nwords == a->capwords) {
		a->capwords = a->capwords ? a->capwords * 2 : 64;
		a->words = realloc(a->words, a->capwords * sizeof(*a->words));
		if (!a->words)
			abort();
	}
	a->words[a->nwords++] = w;
}

static void touch(struct alloc_pe *a, uint64_t pg)
{
	touch_word(a, pg >> 6);
}

/* A counter of a leaf's pages crossed zero (leafcnt.c). */
static void touch_words(void *ctx, uint64_t w0, uint64_t w1)
{
	for (uint64_t w = w0; w < w1; w++)
		touch_word(ctx, w);
}

static void count_leaf(struct cachemodel *cm, struct alloc_pe *a,
		       const struct leaf *l, int delta)
{
	uint64_t lo, hi, end = cm->base + (cm->npages << 12);
	struct leafcnt *cc, *cx;

	/* A stage 2 leaf of a guest with stage 1 off may allocate on the
	 * instruction side only (LF_X without LF_C: its LF_X implies a
	 * cacheable fetch, a stage 1 leaf's does not). */
	if (!(l->flags & LF_C) &&
	    (l->flags & (LF_S2 | LF_X)) != (LF_S2 | LF_X))
		return;
	if (l->pa >= end || l->pa + l->size <= cm->base)
		return;
	lo = l->pa < cm->base ? 0 : (l->pa - cm->base) >> 12;
	hi = (l->pa + l->size > end ? end - cm->base
				    : l->pa + l->size - cm->base) >> 12;
	cc = (l->flags & LF_C) ? &a->cnt[l->regime][0] : NULL;
	cx = (l->flags & LF_X) ? &a->cnt[l->regime][1] : NULL;
	if (cc)
		leafcnt_add(cm, cc, lo, hi, delta, touch_words, a);
	if (cx)
		leafcnt_add(cm, cx, lo, hi, delta, touch_words, a);
}

static void count_all(struct cachemodel *cm, struct alloc_pe *a,
		      const struct leafvec *v, int delta)
{
	for (size_t k = 0; k < v->n; k++)
		count_leaf(cm, a, &v->v[k], delta);
}

/* Duplicates live and die together (a TLBI removes by content), so they
 * only cost room: dropped now and then. */
static void stale_dedup(struct cachemodel *cm, struct alloc_pe *a)
{
	struct leafvec *s = &a->stale;
	size_t n = 0;

	if (s->n <= 2 * a->stale_dedup + 256)
		return;
	lv_sort(s);
	for (size_t k = 0; k < s->n; k++) {
		if (n && !leaf_cmp(&s->v[n - 1], &s->v[k])) {
			/* the youngest decides which TLBIs can remove it */
			if (s->v[k].born > s->v[n - 1].born)
				s->v[n - 1].born = s->v[k].born;
			count_leaf(cm, a, &s->v[k], -1);
		} else {
			s->v[n++] = s->v[k];
		}
	}
	s->n = n;
	a->stale_dedup = n;
}

/* ---- walking a PE's tables ---- */

/* The trees a PE walks now (D8.2: EL2 regime, or EL1&0 with TTBR0 and
 * TTBR1 unless TCR.EPDn; stage 1 off, or HCR_EL2.DC: nothing). */
static void key_of(struct cachemodel *cm, unsigned i, struct pt_key *k)
{
	struct pe_state st, *s = &st;

	memsys_pe_state(cm_pe(cm, i), s);
	memset(k, 0, sizeof(*k));
	if (!s->powered)
		return;
	if (s->el == 2) {
		if (!(s->sctlr_el2 & SCTLR_M))
			return;
		k->regime = REGIME_EL2;
		k->mair = s->mair_el2;
		k->use[0] = true;
		k->t[0] = (struct walk_tree){ .ttbr = s->ttbr0_el2,
					      .tsz = s->tcr_el2 & 0x3f,
					      .pabits = PA_BITS };
		return;
	}
	if (s->has_el2 && hcr_s2_on(s->hcr_el2)) {
		/* Stage 2 on: its leaves, with what stage 1 adds (ptshadow.h;
		 * HCR_EL2.DC: stage 1 behaves as disabled). */
		k->regime = REGIME_EL10;
		k->s2 = true;
		k->vmid = (uint16_t)(VTTBR_VMID(s->vttbr_el2) + 1);
		k->s1 = (s->hcr_el2 & HCR_DC) ? PT_S1_DC :
			(s->sctlr_el1 & SCTLR_M) ? PT_S1_ON : PT_S1_OFF;
		k->sctlr = s->sctlr_el1 & (SCTLR_C | SCTLR_I);
		k->use[0] = true;
		k->t[0] = s2_tree(s->vttbr_el2, s->vtcr_el2, PA_BITS);
		return;
	}
	/* HCR_EL2.DC: stage 1 of EL1&0 behaves as disabled (D8.2.11). */
	if (!(s->sctlr_el1 & SCTLR_M) ||
	    (s->has_el2 && (s->hcr_el2 & HCR_DC)))
		return;
	k->regime = REGIME_EL10;
	k->mair = s->mair_el1;
	k->asid = (uint16_t)tcr_el1_asid(s->tcr_el1, s->ttbr0_el1,
					 s->ttbr1_el1);
	if (!((s->tcr_el1 >> 7) & 1)) {
		k->use[0] = true;
		k->t[0] = (struct walk_tree){ .ttbr = s->ttbr0_el1,
					      .tsz = s->tcr_el1 & 0x3f,
					      .pabits = PA_BITS };
	}
	if (!((s->tcr_el1 >> 23) & 1)) {
		k->use[1] = true;
		k->t[1] = (struct walk_tree){ .ttbr = s->ttbr1_el1,
					      .tsz = (s->tcr_el1 >> 16) & 0x3f,
					      .pabits = PA_BITS, .top = true };
	}
}

/* ---- break-before-make ---- */

/* Do o (possibly still in a TLB) and n (entering the tables) translate
 * some VA of both differently? Only output address, block size and
 * attributes count: permissions may change without break-before-make
 * (Arm ARM DDI 0487 K.a D8.13.1 "Using break-before-make when updating
 * translation table entries"). */
static bool leaf_conflict(const struct leaf *o, const struct leaf *n)
{
	if (o->regime != n->regime || o->va >= n->va + n->size ||
	    n->va >= o->va + o->size)
		return false;
	if (!o->global && !n->global && o->asid != n->asid)
		return false;
	/* Another VM's, or a stage 1 and a stage 2 leaf: different inputs. */
	if (o->vmid != n->vmid || (o->flags ^ n->flags) & LF_S2)
		return false;
	return o->pa - o->va != n->pa - n->va || o->size != n->size ||
	       o->attr != n->attr || o->sh != n->sh;
}

/* The first leaf of in that conflicts with one of old (sorted), or
 * NULL; *with gets that one. */
static const struct leaf *bbm_conflict(const struct leafvec *old,
				       const struct leafvec *in,
				       const struct leaf **with)
{
	uint64_t maxsz = 0;

	for (size_t j = 0; j < old->n; j++)
		if (old->v[j].size > maxsz)
			maxsz = old->v[j].size;
	for (size_t k = 0; k < in->n; k++) {
		const struct leaf *n = &in->v[k];
		uint64_t lo = n->va >= maxsz ? n->va - maxsz + 1 : 0;
		size_t a = 0, b = old->n;

		/* first leaf at or after (regime, lo) */
		while (a < b) {
			size_t m = a + (b - a) / 2;
			const struct leaf *o = &old->v[m];

			if (o->regime < n->regime ||
			    (o->regime == n->regime && o->va < lo))
				a = m + 1;
			else
				b = m;
		}
		for (; a < old->n && old->v[a].regime == n->regime &&
		       old->v[a].va < n->va + n->size; a++)
			if (leaf_conflict(&old->v[a], n)) {
				*with = &old->v[a];
				return n;
			}
	}
	return NULL;
}

/* New leaves of PE i against what its TLB may still hold: the stale
 * leaves and those that just left (left). */
static void bbm_check(struct cachemodel *cm, unsigned i,
		      const struct leafvec *stale, const struct leafvec *left,
		      const struct leafvec *in)
{
	struct leafvec old = { 0 };
	const struct leaf *n, *o = NULL;
	struct cpu *c = cm->actor ? cm->actor : cm_pe(cm, i);

	if (!in->n || !(stale->n + left->n))
		return;
	for (size_t j = 0; j < stale->n; j++)
		lv_push(&old, &stale->v[j]);
	for (size_t j = 0; j < left->n; j++)
		lv_push(&old, &left->v[j]);
	lv_sort(&old);
	n = bbm_conflict(&old, in, &o);
	if (n)
		cm_finding(cm, c, F_BBM, false, n->va, n->dpa ? n->dpa : o->dpa,
			   8, MK_WALK, (struct memattr){ n->attr, n->sh, 1 },
			   COPY_NONE, 0,
			   "a live translation replaced by one with a different "
			   "output address, attributes or size without "
			   "break-before-make (invalid entry, DSB, TLBI, DSB): "
			   "the old one may still be in a TLB");
	free(old.v);
}

/* cur becomes the leaves of the tables now; the leaves that left go to
 * stale (they stay live until a TLBI). */
static void rewalk(struct cachemodel *cm, unsigned i)
{
	struct alloc_state *as = cm->alloc;
	struct alloc_pe *a = &as->pe[i];
	struct leafvec out = { 0 }, in = { 0 }, left = { 0 };
	struct pt_key k;

	key_of(cm, i, &k);
	if (a->sh.built && !a->rebuild && !a->sh.truncated &&
	    pt_key_eq(&k, &a->sh.key)) {
		if (!pt_update(cm, &a->sh, as->log + a->logpos,
			       as->nlog - a->logpos, &out, &in)) {
			/* Past the guard: walk from the TTBRs, as cur was
			 * before this update (now + out - in). */
			struct leafvec now = { 0 }, was = { 0 };

			pt_rebuild(cm, &a->sh, &k, &now, &left);
			for (size_t j = 0; j < out.n; j++)
				lv_push(&now, &out.v[j]);
			lv_sort(&now);
			lv_sort(&in);
			lv_minus(&now, &in, &was);
			free(now.v);
			free(out.v);
			free(in.v);
			out = was;
			in = left;
			left = (struct leafvec){ 0 };
		}
	} else {
		pt_rebuild(cm, &a->sh, &k, &out, &in);
	}
	a->rebuild = false;
	a->logpos = as->nlog;
	as->fresh = as->nlog;
	lv_sort(&out);
	lv_sort(&in);
	lv_minus(&out, &in, &left);
	{
		struct leafvec added = { 0 };

		lv_minus(&in, &out, &added);
		bbm_check(cm, i, &a->stale, &left, &added);
		free(added.v);
	}
	count_all(cm, a, &out, -1);
	count_all(cm, a, &in, 1);
	count_all(cm, a, &left, 1);
	cm->tick++;
	for (size_t j = 0; j < left.n; j++) {
		left.v[j].born = cm->tick;
		lv_push(&a->stale, &left.v[j]);
	}
	stale_dedup(cm, a);
	free(out.v);
	free(in.v);
	free(left.v);
}

/* ---- bitmaps ---- */

static struct bits_mode mode_of(const struct cpu *c)
{
	struct bits_mode md = { 0 };
	struct pe_state s;

	memsys_pe_state(c, &s);
	md.powered = s.powered;
	md.regime = s.el == 2 ? REGIME_EL2 : REGIME_EL10;
	md.sctlr = (md.regime == REGIME_EL2 ? s.sctlr_el2 : s.sctlr_el1) &
		   (SCTLR_M | SCTLR_C | SCTLR_I);
	md.dc = md.regime == REGIME_EL10 && s.has_el2 &&
		(s.hcr_el2 & HCR_DC);
	md.vm = md.regime == REGIME_EL10 && s.has_el2 &&
		hcr_s2_on(s.hcr_el2);
	md.sctlr2 = s.sctlr_el2 & (SCTLR_M | SCTLR_C | SCTLR_I);
	return md;
}

static bool mode_eq(const struct bits_mode *a, const struct bits_mode *b)
{
	return a->powered == b->powered && a->dc == b->dc &&
	       a->vm == b->vm && a->regime == b->regime &&
	       a->sctlr == b->sctlr && a->sctlr2 == b->sctlr2;
}

/* The new bits of word w, from the counters and the mode. */
static void word_bits(struct cachemodel *cm, unsigned i, uint64_t w,
		      uint64_t *nd, uint64_t *ni)
{
	struct alloc_pe *a = &cm->alloc->pe[i];
	const struct bits_mode *md = &a->mode;
	uint64_t first = w * 64, valid = ~0ull, win = cm->pe[i].win;

	if (first + 64 > cm->npages)
		valid = (1ull << (cm->npages - first)) - 1;
	*nd = *ni = 0;
	if (!md->powered)
		return;
	if (md->regime == REGIME_EL10 && (md->sctlr2 & SCTLR_M)) {
		/* The host's EL2 mapping (a hypervisor's linear map) stays
		 * live while its guest runs: its TLB entries may be used
		 * for speculative accesses until a TLBI ALLE2, so the
		 * leaves it left (stale) keep allocating. */
		if (md->sctlr2 & SCTLR_C)
			*nd |= leafcnt_word(&a->cnt[REGIME_EL2][0], w, valid);
		if (md->sctlr2 & SCTLR_I)
			*ni |= leafcnt_word(&a->cnt[REGIME_EL2][1], w, valid);
	}
	if (md->vm) {
		/* Stage 2 on: the leaves carry the combined cacheability
		 * (ptshadow.c s2_leaf_attrs); stage 1 off, I = 1 also
		 * prefetches the window, as below. */
		*nd |= leafcnt_word(&a->cnt[REGIME_EL10][0], w, valid);
		*ni |= leafcnt_word(&a->cnt[REGIME_EL10][1], w, valid);
	} else if (md->dc) {
		/* HCR_EL2.DC: data and fetches Normal Write-Back. */
		*nd = *ni = valid;
	} else if (md->sctlr & SCTLR_M) {
		if (md->sctlr & SCTLR_C)
			*nd |= leafcnt_word(&a->cnt[md->regime][0], w, valid);
		if (md->sctlr & SCTLR_I)
			*ni |= leafcnt_word(&a->cnt[md->regime][1], w, valid);
	} else if ((md->sctlr & SCTLR_I) && win != ~0ull) {
		/* Stage 1 off, I = 1: fetches are Normal cacheable; the
		 * model lets the PE prefetch the page it runs and the next
		 * one (docs/model.md). */
		for (uint64_t pg = win; pg < win + 2; pg++)
			if (pg >= first && pg < first + 64)
				*ni |= (1ull << (pg - first)) & valid;
	}
}

static int word_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static void rebuild_bits(struct cachemodel *cm, unsigned i)
{
	struct pe_model *pe = &cm->pe[i];
	struct alloc_pe *a = &cm->alloc->pe[i];
	struct cpu *c = cm_pe(cm, i);
	struct bits_mode md = mode_of(c);
	bool all = !a->mode_ok || !mode_eq(&md, &a->mode);
	size_t nw = all ? cm->nwords : a->nwords;
	bool ichanged = false;

	a->mode = md;
	a->mode_ok = true;
	if (!all && a->nwords)   /* words is NULL until a counter moved */
		qsort(a->words, a->nwords, sizeof(*a->words), word_cmp);
	for (size_t k = 0; k < nw; k++) {
		uint64_t w = all ? k : a->words[k];

		word_bits(cm, i, w, &cm->tmpd[w], &cm->tmpi[w]);
	}
	/* Data side first: a page gaining U+P allocation needs no P-only
	 * closure afterwards. Pages in ascending order, as they close. */
	for (size_t k = 0; k < nw; k++) {
		uint64_t w = all ? k : a->words[k];
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
	for (size_t k = 0; k < nw; k++) {
		uint64_t w = all ? k : a->words[k];
		uint64_t o = pe->ibits[w], n = cm->tmpi[w];

		if (o == n)
			continue;
		ichanged = true;
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
	for (size_t k = 0; k < a->nwords; k++)
		a->wmark[a->words[k]] = 0;
	a->nwords = 0;
	/* The fetch cache's pages stay valid unless the instruction side's
	 * bits moved: a page gaining them was touched above
	 * (icache_page_allocatable), one losing them keeps its records,
	 * which are all a fetch's fast path looks at (cache_fetch_page);
	 * the data side changes a line's set only through page_reclose,
	 * which touches the page. */
	if (ichanged)
		pe_ctx_changed(c);
}

static void check_or_die(struct cachemodel *cm, unsigned i);

void alloc_sync(struct cachemodel *cm)
{
	struct alloc_state *as = cm->alloc;
	bool caught_up = true;

	if (!cm->any_rewalk)
		return;
	cm->any_rewalk = false;
	for (unsigned i = 0; i < cm->npe; i++) {
		struct pe_model *pe = &cm->pe[i];
		bool walked = pe->rewalk;

		if (pe->rewalk) {
			pe->rewalk = false;
			pe->rebits = true;
			rewalk(cm, i);
		}
		if (pe->rebits) {
			pe->rebits = false;
			rebuild_bits(cm, i);
		}
		if (walked && as->check)
			check_or_die(cm, i);
		caught_up &= as->pe[i].logpos == as->nlog;
	}
	if (caught_up) {
		for (unsigned i = 0; i < cm->npe; i++)
			as->pe[i].logpos = 0;
		as->nlog = as->fresh = 0;
	}
	/* Every PE read its tables again: the tables linked since are in
	 * its copy now (walkorder.c). */
	cm->nnewtab = 0;
}

void alloc_table_store(struct cachemodel *cm, uint64_t lpa, bool seen)
{
	struct alloc_state *as = cm->alloc;

	if (as->nlog <= as->fresh || as->log[as->nlog - 1] != lpa) {
		if (as->nlog == LOG_MAX) {
			for (unsigned i = 0; i < cm->npe; i++) {
				as->pe[i].rebuild = true;
				as->pe[i].logpos = 0;
			}
			as->nlog = as->fresh = 0;
		}
		if (as->nlog == as->caplog) {
			as->caplog = as->caplog ? as->caplog * 2 : 256;
			as->log = realloc(as->log, as->caplog * sizeof(*as->log));
			if (!as->log)
				abort();
		}
		as->log[as->nlog++] = lpa;
	}
	if (seen) {
		for (unsigned i = 0; i < cm->npe; i++)
			cm->pe[i].rewalk = true;
		cm->any_rewalk = true;
	}
}

/* ---- TLB maintenance, window, reset ---- */

static bool tlbi_covers(const struct ptlbi *t, const struct leaf *l)
{
	bool in = t->va - l->va < l->size;

	bool s2 = l->flags & LF_S2;

	if (l->regime != t->regime)
		return false;
	/* Stage 2 leaves go only with the stage 2 TLBIs (D8.13 "TLB
	 * maintenance instructions": VMALLE1 and the VA forms are stage 1
	 * of the current VMID); t->asid carries the VMID of those. */
	switch (t->scope) {
	case TLBI_ALLS12:
		return true;
	case TLBI_VMALLS12:
		return l->vmid == 0 || l->vmid == t->asid + 1;
	case TLBI_IPAS2:
		return s2 && in && l->vmid == t->asid + 1;
	case TLBI_ALL:
		return !s2;
	case TLBI_ASID:
		return !s2 && !l->global && l->asid == t->asid;
	case TLBI_VA:
		return !s2 && in && (l->global || l->asid == t->asid);
	default:
		return !s2 && in;
	}
}

void alloc_tlbi_complete(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	for (size_t k = 0; k < pe->nptlbi; k++) {
		const struct ptlbi *t = &pe->ptlbi[k];

		for (unsigned i = 0; i < cm->npe; i++) {
			struct alloc_pe *a = &cm->alloc->pe[i];
			struct leafvec *s = &a->stale;
			size_t n = 0;

			if (!t->bcast && i != (unsigned)pe_head(c)->id)
				continue;
			for (size_t j = 0; j < s->n; j++) {
				/* A leaf that went stale after the TLBI was
				 * issued (its table store not yet visible to
				 * walks then) is not removed by it. */
				if (!tlbi_covers(t, &s->v[j]) ||
				    s->v[j].born > t->tick)
					s->v[n++] = s->v[j];
				else
					count_leaf(cm, a, &s->v[j], -1);
			}
			if (n != s->n) {
				s->n = n;
				if (a->stale_dedup > n)
					a->stale_dedup = n;
				cm->pe[i].rebits = true;
				cm->any_rewalk = true;
			}
		}
	}
	if (pe->nptlbi && --cm->ntlbi == 0)
		for (unsigned i = 0; i < cm->npe; i++)
			cm->pe[i].tlbi_reported = false;
	pe->nptlbi = 0;
}

int alloc_table_level(struct cachemodel *cm, uint64_t pa)
{
	for (unsigned i = 0; i < cm->npe; i++) {
		int l = pt_table_level(&cm->alloc->pe[i].sh, pa);

		if (l >= 0)
			return l;
	}
	return -1;
}

bool alloc_tlbi_dying(struct cachemodel *cm, struct cpu *c, uint64_t va,
		      struct leaf *out)
{
	const struct leafvec *s = &cm->alloc->pe[pe_head(c)->id].stale;
	struct pe_state st;
	unsigned regime;
	uint16_t asid;

	memsys_pe_state(c, &st);
	regime = st.el == 2 ? REGIME_EL2 : REGIME_EL10;
	asid = (uint16_t)tcr_el1_asid(st.tcr_el1, st.ttbr0_el1, st.ttbr1_el1);
	for (size_t j = 0; j < s->n; j++) {
		const struct leaf *l = &s->v[j];

		/* Stage 2 leaves are keyed by IPA, not by this VA. */
		if (l->regime != regime || va - l->va >= l->size ||
		    (!l->global && l->asid != asid) || (l->flags & LF_S2))
			continue;
		for (unsigned p = 0; p < cm->npe; p++) {
			const struct pe_model *q = &cm->pe[p];

			for (size_t k = 0; k < q->nptlbi; k++) {
				const struct ptlbi *t = &q->ptlbi[k];

				if ((t->bcast || p == (unsigned)pe_head(c)->id) &&
				    l->born <= t->tick && tlbi_covers(t, l)) {
					*out = *l;
					return true;
				}
			}
		}
	}
	return false;
}

static void touch_window(struct cachemodel *cm, struct alloc_pe *a,
			 uint64_t win)
{
	for (uint64_t pg = win; win != ~0ull && pg < win + 2; pg++)
		if (pg < cm->npages)
			touch(a, pg);
}

void alloc_fetch_window(struct cachemodel *cm, struct cpu *c, uint64_t pg)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct alloc_pe *a = &cm->alloc->pe[pe_head(c)->id];

	if (pe->win == pg)
		return;
	touch_window(cm, a, pe->win);
	touch_window(cm, a, pg);
	pe->win = pg;
	pe->rebits = true;
	cm->any_rewalk = true;
	alloc_sync(cm);
}

void alloc_pe_reset(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct alloc_pe *a = &cm->alloc->pe[pe_head(c)->id];
	struct leafvec old = { 0 };

	/* The TLB is empty at reset (machine_pe_start): nothing goes
	 * stale. */
	pt_drop(&a->sh, &old);
	count_all(cm, a, &old, -1);
	count_all(cm, a, &a->stale, -1);
	free(old.v);
	if (pe->nptlbi && --cm->ntlbi == 0)
		for (unsigned i = 0; i < cm->npe; i++)
			cm->pe[i].tlbi_reported = false;
	pe->nptlbi = 0;
	a->stale.n = 0;
	a->stale_dedup = 0;
	a->logpos = cm->alloc->nlog;
	a->mode_ok = false;
	pe->win = ~0ull;
	pe->rewalk = pe->rebits = true;
	cm->any_rewalk = true;
}

/* ---- checking against a walk from scratch ---- */

static void set_pages(struct cachemodel *cm, uint64_t *bits, uint64_t pa,
		      uint64_t size)
{
	uint64_t lo, hi, end = cm->base + (cm->npages << 12);

	if (pa >= end || pa + size <= cm->base)
		return;
	lo = pa < cm->base ? 0 : (pa - cm->base) >> 12;
	hi = (pa + size > end ? end - cm->base : pa + size - cm->base) >> 12;
	for (; lo < hi; lo++)
		bit_set(bits, lo);
}

static bool check_pe(struct cachemodel *cm, unsigned i, const char **why)
{
	struct alloc_pe *a = &cm->alloc->pe[i];
	struct pe_model *pe = &cm->pe[i];
	struct ptshadow fresh = { 0 };
	struct leafvec now = { 0 }, want = { 0 }, none = { 0 };
	struct bits_mode md = a->mode;
	bool ok = true;

	*why = NULL;
	if (!a->sh.built || a->sh.truncated)
		return true;
	pt_leaves(&a->sh, &now);
	pt_rebuild(cm, &fresh, &a->sh.key, &none, &want);
	pt_drop(&fresh, NULL);
	lv_sort(&now);
	lv_sort(&want);
	if (now.n != want.n ||
	    (now.n && memcmp(now.v, want.v, now.n * sizeof(*now.v)))) {
		*why = "the leaves differ from a walk from the TTBRs";
		ok = false;
	}
	/* The bitmaps from the leaves, as a full recomputation makes them. */
	/* (Not with stage 2 or an EL2 host mapping: word_bits adds those.) */
	if (ok && md.powered && !md.dc && !md.vm && (md.sctlr & SCTLR_M) &&
	    !(md.regime == REGIME_EL10 && (md.sctlr2 & SCTLR_M))) {
		const struct leafvec *v[2] = { &now, &a->stale };

		memset(cm->tmpd, 0, cm->nwords * 8);
		memset(cm->tmpi, 0, cm->nwords * 8);
		for (unsigned s = 0; s < 2; s++)
			for (size_t k = 0; k < v[s]->n; k++) {
				const struct leaf *l = &v[s]->v[k];

				if (l->regime != md.regime || !(l->flags & LF_C))
					continue;
				if (md.sctlr & SCTLR_C)
					set_pages(cm, cm->tmpd, l->pa, l->size);
				if ((md.sctlr & SCTLR_I) && (l->flags & LF_X))
					set_pages(cm, cm->tmpi, l->pa, l->size);
			}
		if (memcmp(cm->tmpd, pe->dbits, cm->nwords * 8) ||
		    memcmp(cm->tmpi, pe->ibits, cm->nwords * 8)) {
			*why = "the page bitmaps differ from the leaves";
			ok = false;
		}
	}
	free(now.v);
	free(want.v);
	free(none.v);
	return ok;
}

bool alloc_check(struct cachemodel *cm)
{
	const char *why;

	for (unsigned i = 0; i < cm->npe; i++)
		if (!check_pe(cm, i, &why))
			return false;
	return true;
}

static void check_or_die(struct cachemodel *cm, unsigned i)
{
	const char *why;

	if (check_pe(cm, i, &why))
		return;
	fprintf(stderr, "coherent: COHERENT_ALLOC_CHECK: pe%u: %s\n", i, why);
	abort();
}

/* ---- setup ---- */

void alloc_init(struct cachemodel *cm)
{
	size_t nb = cm->nwords * 8, npe = cm->npe;
	const char *chk = getenv("COHERENT_ALLOC_CHECK");

	cm->alloc = cm_alloc(cm, sizeof(*cm->alloc) +
				 npe * sizeof(cm->alloc->pe[0]));
	cm->alloc->check = chk && *chk && strcmp(chk, "0");
	cm->tmpd = cm_alloc(cm, nb);
	cm->tmpi = cm_alloc(cm, nb);
	for (unsigned i = 0; i < npe; i++) {
		struct pe_model *pe = &cm->pe[i];
		struct alloc_pe *a = &cm->alloc->pe[i];

		pe->dbits = cm_alloc(cm, nb);
		pe->ibits = cm_alloc(cm, nb);
		pe->iever = cm_alloc(cm, nb);
		pe->win = ~0ull;
		a->wmark = cm_alloc(cm, cm->nwords);
	}
}

void alloc_free(struct cachemodel *cm)
{
	free(cm->tmpd);
	free(cm->tmpi);
	for (unsigned i = 0; i < cm->npe; i++) {
		struct pe_model *pe = &cm->pe[i];
		struct alloc_pe *a = &cm->alloc->pe[i];

		free(pe->dbits);
		free(pe->ibits);
		free(pe->iever);
		free(pe->ptlbi);
		pt_drop(&a->sh, NULL);
		free(a->stale.v);
		for (unsigned r = 0; r < 2; r++)
			for (unsigned k = 0; k < 2; k++)
				leafcnt_free(&a->cnt[r][k]);
		free(a->wmark);
		free(a->words);
	}
	free(cm->alloc->log);
	free(cm->alloc);
}
