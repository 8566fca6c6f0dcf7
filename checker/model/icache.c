/* Per-PE instruction caches (docs/model.md "Instruction caches"; Arm ARM B2.4.4
 * "Concurrent modification and execution of instructions"; DDI 0487 K.a,
 * the caches' behaviour for instruction fetches): not coherent with data stores,
 * filled from the PoU view (P if valid, else M) while the page is
 * allocatable for the PE's instruction side.
 *
 * I[p] of a line is "may be present" plus one stale mask: the union of
 * the PoU masks it may have copied and of the bytes stored since (an
 * over-approximation: the configurations of I are not correlated with
 * those of U, P, M). Presence is derived, not stored, for most lines:
 *   present(p, L) = p allocates L's page now (ibits)
 *                 | p allocated there since its last IC IALLU (iever) and
 *                   no IC IVAU dropped L since (absent)
 *                 | an explicit record says present.
 * Records (struct irec) exist only for lines with something to say. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>


static uint64_t hash_pa(uint64_t pa)
{
	pa *= 0x9e3779b97f4a7c15ull;
	return pa ^ (pa >> 29);
}

/* Every record, in creation order (for the passes over all of them;
 * lookups go through iptab): slots past cm->in are NULL. */
static void itab_grow(struct cachemodel *cm)
{
	size_t cap = cm->icap ? cm->icap * 2 : 1024;
	struct irec **t = cm_alloc(cm, cap * sizeof(*t));

	if (cm->in)
		memcpy(t, cm->itab, cm->in * sizeof(*t));
	if (cm->itab)
		cm->bytes -= cm->icap * sizeof(*t);
	free(cm->itab);
	cm->itab = t;
	cm->icap = cap;
}

/* Reinserts every page's records into a table of cap slots (cap a power
 * of two above twice the pages: a probe always ends at an empty slot). */
static void iptab_rebuild(struct cachemodel *cm, size_t cap)
{
	struct irec_page **t = cm_alloc(cm, cap * sizeof(*t));

	for (size_t i = 0; i < cm->ipcap; i++) {
		struct irec_page *b = cm->iptab[i];
		size_t h;

		if (!b)
			continue;
		for (h = hash_pa(b->pg) & (cap - 1); t[h]; h = (h + 1) & (cap - 1))
			;
		t[h] = b;
	}
	if (cm->iptab)
		cm->bytes -= cm->ipcap * sizeof(*t);
	free(cm->iptab);
	cm->iptab = t;
	cm->ipcap = cap;
}

static void iptab_grow(struct cachemodel *cm)
{
	iptab_rebuild(cm, cm->ipcap ? cm->ipcap * 2 : 256);
}

/* The records of page pg by line, created empty if asked. */
static struct irec_page *irec_page(struct cachemodel *cm, uint64_t pg,
				   bool create)
{
	struct irec_page *b;
	size_t h;

	if (cm->ipcap)
		for (h = hash_pa(pg) & (cm->ipcap - 1); cm->iptab[h];
		     h = (h + 1) & (cm->ipcap - 1))
			if (cm->iptab[h]->pg == pg)
				return cm->iptab[h];
	if (!create)
		return NULL;
	if ((cm->ipn + 1) * 2 > cm->ipcap)
		iptab_grow(cm);
	b = cm_alloc(cm, sizeof(*b));
	b->pg = pg;
	for (h = hash_pa(pg) & (cm->ipcap - 1); cm->iptab[h];
	     h = (h + 1) & (cm->ipcap - 1))
		;
	cm->iptab[h] = b;
	cm->ipn++;
	return b;
}

struct irec *irec_get(struct cachemodel *cm, uint64_t lpa, bool create)
{
	uint64_t pg = (lpa - cm->base) >> 12;
	struct irec_page *b;
	struct irec *r;

	/* Records are never freed, so a page without the bit has none: a
	 * bitmap probe instead of a probe of the tables. */
	if (!create && (lpa < cm->base || pg >= cm->npages ||
			!bit_get(cm->ipage, pg)))
		return NULL;
	b = irec_page(cm, pg, create);
	if (!b || b->r[(lpa >> 6) & 63] || !create)
		return b ? b->r[(lpa >> 6) & 63] : NULL;
	if (cm->in == cm->icap)
		itab_grow(cm);
	r = cm_alloc(cm, sizeof(*r) + cm->npe * sizeof(r->mask[0]));
	r->pa = lpa;
	bit_set(cm->ipage, pg);
	cm->itab[cm->in++] = r;
	b->r[(lpa >> 6) & 63] = r;
	return r;
}

uint64_t icache_stale_lines(struct cachemodel *cm, uint64_t pg, unsigned p)
{
	const struct irec_page *b;
	uint64_t m = 0;

	if (!bit_get(cm->ipage, pg) || !(b = irec_page(cm, pg, false)))
		return 0;
	for (unsigned li = 0; li < LINES_PER_PAGE; li++)
		if (b->r[li] && b->r[li]->mask[p])
			m |= 1ull << li;
	return m;
}

bool icache_present(struct cachemodel *cm, unsigned p, uint64_t pg,
		    const struct irec *r)
{
	const struct pe_model *pe = &cm->pe[p];

	if (bit_get(pe->ibits, pg) || (r && ((r->present >> p) & 1)))
		return true;
	return bit_get(pe->iever, pg) && !(r && ((r->absent >> p) & 1));
}

/* Any store: a present I copy lacks the new bytes. */
void icache_store(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
		  uint64_t mask)
{
	struct irec *r = NULL;
	bool looked = false;

	for (unsigned p = 0; p < cm->npe; p++) {
		const struct pe_model *pe = &cm->pe[p];

		/* quick exit for lines no instruction cache ever saw */
		if (!bit_get(pe->iever, pg) && !bit_get(pe->ibits, pg)) {
			if (!bit_get(cm->ipage, pg))
				continue;
		}
		if (!looked) {
			r = irec_get(cm, lpa, false);
			looked = true;
		}
		if (!icache_present(cm, p, pg, r))
			continue;
		if (!r)
			r = irec_get(cm, lpa, true);
		r->present |= 1ull << p;
		r->mask[p] |= mask;
	}
}

/* The line's state changed: an I-cache allocating now may copy any PoU
 * mask of the new set. */
void icache_refill(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
		   uint32_t id)
{
	uint64_t pou;
	struct irec *r = NULL;

	if (!cm->icount[pg] || !(pou = ls_pou_union(id)))
		return;
	for (unsigned p = 0; p < cm->npe; p++) {
		if (!bit_get(cm->pe[p].ibits, pg))
			continue;
		if (!r)
			r = irec_get(cm, lpa, true);
		r->mask[p] |= pou;
	}
}

/* IC IVAU: broadcast to every PE in the Inner Shareable domain. */
void icache_inval_line(struct cachemodel *cm, uint64_t lpa)
{
	struct irec *r = irec_get(cm, lpa, true);

	r->present = 0;
	r->absent = ~0ull;
	memset(r->mask, 0, cm->npe * sizeof(r->mask[0]));
}

/* Whether some PE's instruction cache may hold stale bytes of the line:
 * only then does completing its invalidation (DSB, ISB) matter before a
 * fetch of it. */
bool icache_line_stale(struct cachemodel *cm, uint64_t lpa)
{
	struct irec *r = irec_get(cm, lpa, false);

	if (!r)
		return false;
	for (unsigned p = 0; p < cm->npe; p++)
		if (r->mask[p])
			return true;
	return false;
}

/* Pending IC invalidations of PE p (docs/model.md
 * "Barriers and context synchronisation"): the lines whose copy in PE
 * whose's I-cache (every PE's if whose < 0) may be stale are what an
 * IC IALLU(IS) has to invalidate before a fetch may rely on it. Up to MAX_PRANGE ranges are kept exactly in pe->pic; beyond that
 * each line's record carries a bit (pic_more), cleared when the PE's
 * DSB + ISB complete them. Never widened: a widened range would make the
 * fetch of the very DSB and ISB that complete it a finding. */
void icache_pend(struct pe_model *pe, unsigned p, struct irec *r)
{
	unsigned n = pe->npic;

	if (pend_has(pe->pic, n, r->pa))
		return;
	if (n < MAX_PRANGE) {
		pend_add(pe->pic, &pe->npic, r->pa);
		return;
	}
	r->icpend |= 1ull << p;
	pe->pic_more = true;
}

void icache_mark_stale(struct cachemodel *cm, struct pe_model *pe, unsigned p,
		       int whose)
{
	for (size_t i = 0; i < cm->icap; i++) {
		struct irec *r = cm->itab[i];

		if (!r)
			continue;
		for (unsigned q = 0; q < cm->npe; q++)
			if ((whose < 0 || (unsigned)whose == q) && r->mask[q]) {
				icache_pend(pe, p, r);
				break;
			}
	}
}

bool icache_pending(struct cachemodel *cm, struct pe_model *pe, unsigned p,
		    uint64_t lpa)
{
	struct irec *r;

	if (pe->npic && pend_has(pe->pic, pe->npic, lpa))
		return true;
	if (!pe->pic_more)
		return false;
	r = irec_get(cm, lpa, false);
	return r && (r->icpend >> p & 1);
}

void icache_pending_done(struct cachemodel *cm, struct pe_model *pe, unsigned p)
{
	pe->npic = 0;
	if (pe->pic_more)
		for (size_t i = 0; i < cm->icap; i++)
			if (cm->itab[i])
				cm->itab[i]->icpend &= ~(1ull << p);
	pe->pic_more = false;
}

/* A record that says nothing a missing one does not: present for no PE
 * but by the derived rule, absent for none, no stale bytes, nothing
 * pending (bits of PEs past npe are never read). */
static bool irec_empty(const struct cachemodel *cm, const struct irec *r)
{
	uint64_t pes = cm->npe >= 64 ? ~0ull : (1ull << cm->npe) - 1;

	if ((r->present | r->absent | r->icpend | r->xpend) & pes)
		return false;
	for (unsigned p = 0; p < cm->npe; p++)
		if (r->mask[p])
			return false;
	return true;
}

/* Frees the records an IC IALLU emptied, and the pages left without
 * any: a kernel's IC IVAU loops leave a record on every line they
 * invalidate, and its IC IALLUs clear them (docs/model.md "Making it fast").
 * Every pass over the records keeps their creation order, which the
 * order of pending invalidations follows (icache_mark_stale). */
static void irec_sweep(struct cachemodel *cm)
{
	size_t j = 0, cap;

	for (size_t i = 0; i < cm->in; i++) {
		struct irec *r = cm->itab[i];
		uint64_t pg = (r->pa - cm->base) >> 12;

		if (!irec_empty(cm, r)) {
			cm->itab[j++] = r;
			continue;
		}
		irec_page(cm, pg, false)->r[(r->pa >> 6) & 63] = NULL;
		free(r);
		cm->bytes -= sizeof(*r) + cm->npe * sizeof(r->mask[0]);
	}
	if (j == cm->in)
		return;
	memset(cm->itab + j, 0, (cm->in - j) * sizeof(*cm->itab));
	cm->in = j;
	for (size_t i = 0; i < cm->ipcap; i++) {
		struct irec_page *b = cm->iptab[i];
		unsigned li = 0;

		while (b && li < LINES_PER_PAGE && !b->r[li])
			li++;
		if (!b || li < LINES_PER_PAGE)
			continue;
		cm->ipage[b->pg >> 6] &= ~(1ull << (b->pg & 63));
		free(b);
		cm->bytes -= sizeof(*b);
		cm->iptab[i] = NULL;
		cm->ipn--;
	}
	/* open addressing: the survivors go into a new table, sized for
	 * them (the same rule as iptab_grow's) */
	for (cap = 256; (cm->ipn + 1) * 2 > cap; cap *= 2)
		;
	iptab_rebuild(cm, cap);
	for (cap = 1024; cap < cm->in; cap *= 2)
		;
	if (cap < cm->icap) {
		struct irec **t = cm_alloc(cm, cap * sizeof(*t));

		memcpy(t, cm->itab, cm->in * sizeof(*t));
		cm->bytes -= cm->icap * sizeof(*t);
		free(cm->itab);
		cm->itab = t;
		cm->icap = cap;
	}
}

/* IC IALLU on PE p (IC IALLUIS calls it for every PE). */
void icache_inval_all(struct cachemodel *cm, unsigned p)
{
	struct pe_model *pe = &cm->pe[p];

	memcpy(pe->iever, pe->ibits, cm->nwords * 8);
	for (size_t i = 0; i < cm->icap; i++) {
		struct irec *r = cm->itab[i];
		uint64_t pg;

		if (!r)
			continue;
		r->present &= ~(1ull << p);
		r->absent &= ~(1ull << p);
		r->mask[p] = 0;
		pg = (r->pa - cm->base) >> 12;
		if (bit_get(pe->ibits, pg))
			r->mask[p] = ls_pou_union(line_id(cm, pg,
							  (r->pa >> 6) & 63));
	}
	irec_sweep(cm);
	pe_ctx_changed(cm_pe(cm, p));
}

/* Page pg became allocatable for p's instruction side. Its reclose may
 * be pending (page_reclose): the sets as they are give the same PoU
 * union, since an allocation copies the level below (P from M, U from P
 * or M) and the PoU view is P if valid, else M, so a closure under
 * allocation adds no PoU view (docs/model.md "Allocatability"). A page
 * with one set, a PoU union of 0 and no records needs no look-up. */
void icache_page_allocatable(struct cachemodel *cm, unsigned p, uint64_t pg)
{
	const uint32_t *l = cm->lines[pg];

	bit_set(cm->pe[p].iever, pg);
	if (!l && !bit_get(cm->ipage, pg) && !ls_pou_union(cm->pdef[pg])) {
		page_touched(cm, pg);
		return;
	}
	for (unsigned li = 0; li < LINES_PER_PAGE; li++) {
		uint64_t lpa = cm->base + (pg << 12) + li * LINE;
		uint64_t pou = ls_pou_union(l ? l[li] : cm->pdef[pg]);
		struct irec *r = irec_get(cm, lpa, pou != 0);

		if (r) {
			r->absent &= ~(1ull << p);
			r->mask[p] |= pou;
		}
	}
	page_touched(cm, pg);
}

void icache_free(struct cachemodel *cm)
{
	for (size_t i = 0; i < cm->icap; i++)
		free(cm->itab[i]);
	free(cm->itab);
	cm->itab = NULL;
	cm->icap = cm->in = 0;
	for (size_t i = 0; i < cm->ipcap; i++)
		free(cm->iptab[i]);
	free(cm->iptab);
	cm->iptab = NULL;
	cm->ipcap = cm->ipn = 0;
}

/* Instruction-side synchronisation per PE (docs/model.md "Instruction
 * caches"; Arm ARM DDI 0487 B2.4 "Concurrent modification and execution
 * of instructions" and the IC/ISB rules of "Synchronization and
 * coherency issues between data and instruction accesses"): an IC
 * invalidation by another PE, once its DSB completed it, removes the
 * line from this PE's instruction cache, not from what this PE has
 * already fetched; only this PE's context synchronisation event (ISB,
 * exception entry or return) discards that. What a PE has fetched is
 * modelled by what its I-cache may hold: the lines whose copy in it may
 * have been stale when the other PE invalidated them. */
void icache_cross_inval(struct cachemodel *cm, unsigned from, struct irec *r)
{
	uint64_t pg = (r->pa - cm->base) >> 12;

	for (unsigned q = 0; q < cm->npe; q++) {
		struct pe_model *pe = &cm->pe[q];

		if (q == from || !r->mask[q] || !icache_present(cm, q, pg, r))
			continue;
		r->xpend |= 1ull << q;
		pe->xwait |= 1ull << from;
		if (!pe->xany) {
			pe->xany = true;
			/* its fetches must go through the model now */
			pe_ctx_changed(cm_pe(cm, q));
		}
	}
}

void icache_cross_inval_all(struct cachemodel *cm, unsigned from)
{
	for (size_t i = 0; i < cm->icap; i++)
		if (cm->itab[i])
			icache_cross_inval(cm, from, cm->itab[i]);
}

void icache_cross_dsb(struct cachemodel *cm, unsigned from)
{
	for (unsigned q = 0; q < cm->npe; q++)
		cm->pe[q].xwait &= ~(1ull << from);
}

/* Before the issuers' DSBs an ISB discards nothing that matters: the
 * I-cache itself may still hold the old line until then. */
void icache_cross_sync(struct cachemodel *cm, unsigned p)
{
	struct pe_model *pe = &cm->pe[p];

	if (!pe->xany || pe->xwait)
		return;
	for (size_t i = 0; i < cm->icap; i++)
		if (cm->itab[i])
			cm->itab[i]->xpend &= ~(1ull << p);
	pe->xany = false;
}

bool icache_cross_pending(struct cachemodel *cm, unsigned p, uint64_t lpa)
{
	struct irec *r;

	if (!cm->pe[p].xany || !(r = irec_get(cm, lpa, false)) ||
	    !(r->xpend >> p & 1))
		return false;
	r->xpend &= ~(1ull << p);       /* one finding per line */
	return true;
}
