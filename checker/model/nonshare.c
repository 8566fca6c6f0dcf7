/* Non-shareable Normal cacheable memory (docs/model.md "Non-shareable
 * memory"). The hardware keeps a location coherent only among the
 * observers of its shareability domain, and the domain of a
 * Non-shareable location is the PE that accesses it (Arm ARM DDI 0487
 * B2.7 "Memory types and attributes", "Shareable, Inner Shareable, and
 * Outer Shareable Normal memory": Non-shareable Normal memory is not
 * required to be coherent with other observers). Two PEs sharing a
 * buffer through Non-shareable mappings may each keep a private copy
 * that the other never sees.
 *
 * The configuration sets of lineset.c describe one coherent data side
 * for all PEs; this is a side structure next to them. Per line that a
 * Non-shareable cacheable access touched, and per PE, masks of bytes:
 *   held   the latest value is in that PE's private copy only (its
 *          Non-shareable stores not yet cleaned to the PoC by it);
 *   stale  its private copy (if it may have one, `valid`) lacks the
 *          latest value (other PEs stored since);
 *   wb     its copy is dirty with bytes others have since overwritten:
 *          an eviction may write them back over the newer value;
 * and for the line, `lost`: bytes such a write-back (or an invalidation
 * that discarded held bytes) may have replaced in memory with an older
 * value, until the next store of them. A PE's read of bytes B is stale
 * if B meets another PE's held bytes, any wb or lost bytes, or (a
 * cacheable read, which may hit its private copy) its own stale ones.
 * Every eviction is a "may": a private copy may be written back and
 * dropped at any time, so no finding is "always".
 *
 * Resolved by the holder's own clean to the PoC (DC CVAC, CVAP, CIVAC;
 * DC IVAC also by discarding) and invalidation. A DC by VA applies to
 * the caches of the shareability domain of the address as the issuer
 * maps it (the Arm ARM's rules for data cache maintenance by VA, as the
 * model reads them): through a Non-shareable mapping the issuer's own
 * caches only, through a shareable one every PE's.
 * DC CVAU is a clean to the issuing PE's PoU only: it resolves nothing.
 * Set/way operations are not followed (they are reported with more
 * than one PE running anyway). */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "arch/regs.h"

struct nsrec {
	uint64_t pa;
	uint64_t valid;         /* per PE bit: may hold a private copy */
	uint64_t reported;      /* per PE bit: reported since the last change */
	uint64_t lost;
	uint64_t m[];           /* per PE: held, stale, wb */
};
#define HELD(r, p)  ((r)->m[3 * (p)])
#define STALE(r, p) ((r)->m[3 * (p) + 1])
#define WB(r, p)    ((r)->m[3 * (p) + 2])

bool ns_attr(struct memattr a)
{
	return a.sh == SH_NSH && !memattr_is_device(a) &&
	       (memattr_inner_cacheable(a) || memattr_outer_cacheable(a));
}

static uint64_t hash_pa(uint64_t pa)
{
	pa *= 0x9e3779b97f4a7c15ull;
	return pa ^ (pa >> 31);
}

static void ns_grow(struct cachemodel *cm)
{
	size_t cap = cm->nscap ? cm->nscap * 2 : 256;
	struct nsrec **t = cm_alloc(cm, cap * sizeof(*t));

	for (size_t i = 0; i < cm->nscap; i++) {
		struct nsrec *r = cm->nstab[i];
		size_t h;

		if (!r)
			continue;
		for (h = hash_pa(r->pa) & (cap - 1); t[h]; h = (h + 1) & (cap - 1))
			;
		t[h] = r;
	}
	if (cm->nstab)
		cm->bytes -= cm->nscap * sizeof(*t);
	free(cm->nstab);
	cm->nstab = t;
	cm->nscap = cap;
}

static struct nsrec *ns_get(struct cachemodel *cm, uint64_t lpa, bool create)
{
	struct nsrec *r;
	size_t h;

	if (cm->nscap)
		for (h = hash_pa(lpa) & (cm->nscap - 1); cm->nstab[h];
		     h = (h + 1) & (cm->nscap - 1))
			if (cm->nstab[h]->pa == lpa)
				return cm->nstab[h];
	if (!create)
		return NULL;
	if ((cm->nsn + 1) * 2 > cm->nscap)
		ns_grow(cm);
	r = cm_alloc(cm, sizeof(*r) + 3 * cm->npe * sizeof(r->m[0]));
	r->pa = lpa;
	/* loads of the page now need ns_access: no fast path (quiet.c) */
	if (!bit_get(cm->nspage, (lpa - cm->base) >> 12) &&
	    quiet_page_granted(cm, (lpa - cm->base) >> 12))
		quiet_lost(cm);
	bit_set(cm->nspage, (lpa - cm->base) >> 12);
	for (h = hash_pa(lpa) & (cm->nscap - 1); cm->nstab[h];
	     h = (h + 1) & (cm->nscap - 1))
		;
	cm->nstab[h] = r;
	cm->nsn++;
	return r;
}

/* What the shared side (memory, or a copy filled from it) may lack for
 * PE p: other PEs' held bytes, write-backs of old data, lost bytes. */
static uint64_t shared_lacks(const struct cachemodel *cm,
			     const struct nsrec *r, unsigned p)
{
	uint64_t s = r->lost;

	for (unsigned q = 0; q < cm->npe; q++)
		s |= WB(r, q) | (q != p ? HELD(r, q) : 0);
	return s;
}

static void ns_load(struct cachemodel *cm, struct cpu *c, struct nsrec *r,
		    uint64_t mask, bool nsh, bool cacheable, bool reported,
		    uint64_t va, uint64_t pa, unsigned size, enum mem_kind kind,
		    struct memattr attr)
{
	unsigned p = pe_head(c)->id;
	uint64_t lacks = shared_lacks(cm, r, p), stale = lacks & mask;
	bool own = false;

	if (cacheable && (r->valid >> p & 1) && (STALE(r, p) & mask)) {
		stale |= STALE(r, p) & mask;
		own = true;
	}
	if (stale && !reported && !(r->reported >> p & 1)) {
		r->reported |= 1ull << p;
		cm_finding(cm, c, F_NON_SHAREABLE, false, va, pa, size, kind,
			   attr, own ? COPY_U : COPY_M, stale,
			   "shared with another PE through a Non-shareable "
			   "mapping: its copy of the line is not kept "
			   "coherent with this PE's");
	}
	if (nsh) {
		/* the private copy may be (re)filled from the shared side */
		if (!(r->valid >> p & 1))
			STALE(r, p) = 0;
		r->valid |= 1ull << p;
		STALE(r, p) |= lacks & ~HELD(r, p);
	}
}

static void ns_store(struct cachemodel *cm, struct cpu *c, struct nsrec *r,
		     uint64_t mask, bool nsh, bool cacheable)
{
	unsigned p = pe_head(c)->id;

	for (unsigned q = 0; q < cm->npe; q++) {
		if (q == p)
			continue;
		WB(r, q) |= HELD(r, q) & mask;
		HELD(r, q) &= ~mask;
		if (r->valid >> q & 1)
			STALE(r, q) |= mask;
	}
	r->lost &= ~mask;
	r->reported = 0;
	if (nsh || (cacheable && (r->valid >> p & 1))) {
		/* into p's private copy, which a cacheable store through a
		 * shareable alias hits as well */
		r->valid |= 1ull << p;
		STALE(r, p) &= ~mask;
		WB(r, p) &= ~mask;
		HELD(r, p) |= mask;
	} else {
		if (r->valid >> p & 1)
			STALE(r, p) |= mask;
		WB(r, p) |= HELD(r, p) & mask;
		HELD(r, p) &= ~mask;
	}
}

void ns_access(struct cachemodel *cm, struct cpu *c, uint64_t lpa,
	       uint64_t mask, enum mem_kind kind, bool cacheable,
	       bool reported, uint64_t va, uint64_t pa, unsigned size,
	       struct memattr attr)
{
	bool nsh = cacheable && ns_attr(attr);
	struct nsrec *r = ns_get(cm, lpa, nsh);

	if (!r)
		return;
	if (kind == MK_STORE)
		ns_store(cm, c, r, mask, nsh, cacheable);
	else
		ns_load(cm, c, r, mask, nsh, cacheable, reported, va, pa, size,
			kind, attr);
}

/* DC by VA on the line: on the issuer's private copy, or on every PE's
 * when the issuer's mapping is shareable. */
void ns_cmo(struct cachemodel *cm, struct cpu *c, enum cmo_op op,
	    uint64_t lpa, struct memattr attr)
{
	struct nsrec *r = ns_get(cm, lpa, false);
	unsigned p = pe_head(c)->id;

	if (!r || op == CMO_DC_CVAU)
		return;
	for (unsigned q = 0; q < cm->npe; q++) {
		if (q != p && ns_attr(attr))
			continue;
		if (op == CMO_DC_IVAC) {
			/* discards the held bytes, or cleans them first */
			r->lost |= HELD(r, q) | WB(r, q);
		} else {
			r->lost |= WB(r, q);
		}
		HELD(r, q) = WB(r, q) = 0;
		if (op == CMO_DC_CIVAC || op == CMO_DC_IVAC) {
			r->valid &= ~(1ull << q);
			STALE(r, q) = 0;
		}
	}
	r->reported = 0;
}

void ns_free(struct cachemodel *cm)
{
	for (size_t i = 0; i < cm->nscap; i++)
		free(cm->nstab[i]);
	free(cm->nstab);
	cm->nstab = NULL;
	cm->nscap = cm->nsn = 0;
}
