/* Ordering of translation table stores and walks (docs/model.md
 * "Translation tables and TLB maintenance"). A store is seen by a table
 * walk only after a DSB of the storing PE (Arm ARM DDI 0487 K.a D8.2.8
 * "Ordering of memory accesses from translation table walks"), and a walk,
 * speculative ones included, may happen at any time through any live
 * table and cache what it reads (D8.13 "TLB maintenance requirements":
 * what a TLB may hold). Two checks follow:
 *  - a walk that reads a descriptor whose store has not been completed
 *    by its PE's DSB may read the old value: missing-barrier;
 *  - a table descriptor stored into a live table makes the table it
 *    points to reachable at once: the stores that initialise that table
 *    must have been ordered before it (DSB, or a DMB ordering stores),
 *    else a speculative walk may read (and cache) the old contents:
 *    table-link-before-init.
 * The emulator walks only what the program accesses, so the second is
 * checked at the link store itself, not at a walk. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "arch/desc.h"

/* A page's last store: (cm->clock << 8) | its PE, and the lines it
 * stored since its DSB. Kept for the 64 pages around a stored one only:
 * most RAM is never stored to, or not until late. */
struct wo_page {
	uint64_t store, lines;
};

static const struct wo_page wo_none;

static const struct wo_page *wo_peek(const struct cachemodel *cm, uint64_t pg)
{
	const struct wo_page *w = cm->wopg[pg / 64];

	return w ? &w[pg % 64] : &wo_none;
}

static struct wo_page *wo_get(struct cachemodel *cm, uint64_t pg)
{
	struct wo_page **w = &cm->wopg[pg / 64];

	if (!*w)
		*w = cm_alloc(cm, 64 * sizeof(**w));
	return &(*w)[pg % 64];
}

void wo_free(struct cachemodel *cm)
{
	for (uint64_t i = 0; i < cm->nwords; i++)
		free(cm->wopg[i]);
	free(cm->wopg);
}

static uint64_t pg_of(const struct cachemodel *cm, uint64_t pa)
{
	return (pa - cm->base) >> 12;
}

static bool in_ram(const struct cachemodel *cm, uint64_t pa)
{
	return pa >= cm->base && pg_of(cm, pa) < cm->npages;
}

/* Was the last store to pa's page made by a PE that has not executed a
 * DSB since (or, with dmb, a barrier ordering its stores)? */
static bool page_unordered(const struct cachemodel *cm, uint64_t pa, bool dmb)
{
	uint64_t v = wo_peek(cm, pg_of(cm, pa))->store;
	unsigned q = v & 0xff;

	return v && q < cm->npe &&
	       (v >> 8) > (dmb ? cm->pe[q].dmb_clock : cm->pe[q].dsb_clock);
}

static int table_level(struct cachemodel *cm, uint64_t pa)
{
	for (unsigned k = 0; k < cm->nnewtab; k++)
		if ((pa & ~0xfffull) == cm->newtab[k])
			return cm->newlvl[k];
	if (!bit_get(cm->tpage, pg_of(cm, pa)))
		return -1;
	return alloc_table_level(cm, pa);
}

static void pdesc_add(struct pe_model *pe, uint64_t pa, uint64_t old)
{
	if (pe->npdesc == MAX_PDESC) {
		pe->pdesc_over = true;
		return;
	}
	if (pe->npdesc == pe->cappdesc) {
		pe->cappdesc = pe->cappdesc ? pe->cappdesc * 2 : 64;
		pe->pdesc = realloc(pe->pdesc, pe->cappdesc * sizeof(*pe->pdesc));
		if (!pe->pdesc)
			abort();
	}
	pe->pdesc[pe->npdesc++] = (struct pdesc){ pa, old };
}

/* Table t (level lvl) became reachable from live tables: the stores to
 * it and to every table it links must be ordered before the link. A
 * DMB that orders stores is enough: a walk that reads the link reads it
 * from memory, and the DMB made the older stores visible to every
 * observer first (Arm ARM DDI 0487 K.a B2.3 "Definition of the Arm
 * memory model", multi-copy atomicity; the walk's reads are ordered by
 * their address dependency, D8.2.8). Linux relies on that for the page
 * tables it allocates after boot (mm/memory.c __pte_alloc_kernel and
 * pmd_install: smp_wmb, a DMB ISHST, before populating the entry); its
 * early tables and this guest use DSB ISHST. */
static bool link_unordered(struct cachemodel *cm, uint64_t t, unsigned lvl,
			   unsigned depth)
{
	const uint8_t *ram;

	if (!in_ram(cm, t))
		return false;
	if (page_unordered(cm, t, true))
		return true;
	if (lvl >= 3 || depth > 3)
		return false;
	ram = memsys_ram_ptr(cm->ms, t, 4096);
	for (unsigned i = 0; ram && i < 512; i++) {
		uint64_t d;

		memcpy(&d, ram + 8 * i, 8);
		if (desc_kind(d, lvl) == DK_TABLE &&
		    link_unordered(cm, d & DESC_OA_MASK, lvl + 1, depth + 1))
			return true;
	}
	return false;
}

static void new_table(struct cachemodel *cm, uint64_t t, unsigned lvl)
{
	if (cm->nnewtab == sizeof(cm->newtab) / sizeof(cm->newtab[0]))
		return;         /* followed again after the next re-read */
	cm->newtab[cm->nnewtab] = t & ~0xfffull;
	cm->newlvl[cm->nnewtab++] = (uint8_t)lvl;
}

void wo_store(struct cachemodel *cm, struct cpu *c, uint64_t pa,
	      unsigned size, struct memattr attr, const uint8_t *old,
	      const uint8_t *now)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	uint64_t pg = pg_of(cm, pa), lines = 0;
	struct wo_page *w = wo_get(cm, pg);

	for (uint64_t l = pa & ~63ull; l < pa + size; l += 64)
		lines |= 1ull << ((l >> 6) & 63);
	/* the lines the page's last storer wrote since its last DSB */
	if (page_unordered(cm, pa, false) &&
	    (w->store & 0xff) == (unsigned)pe_head(c)->id)
		w->lines |= lines;
	else
		w->lines = lines;
	w->store = (++cm->clock << 8) | (unsigned)pe_head(c)->id;
	if (!cm->nnewtab && !bit_get(cm->tpage, pg_of(cm, pa)))
		return;
	for (uint64_t g = pa & ~7ull; g < pa + size; g += 8) {
		uint64_t o = 0, n = 0;
		int lvl;

		/* the descriptor before and after, bytes outside the store
		 * unchanged */
		memcpy(&o, memsys_ram_ptr(cm->ms, g, 8), 8);
		n = o;
		for (unsigned b = 0; b < 8; b++) {
			uint64_t a = g + b;

			if (a < pa || a >= pa + size)
				continue;
			o = (o & ~(0xffull << (8 * b))) |
			    (uint64_t)old[a - pa] << (8 * b);
			n = (n & ~(0xffull << (8 * b))) |
			    (uint64_t)now[a - pa] << (8 * b);
		}
		if (o == n || (lvl = table_level(cm, g)) < 0)
			continue;
		pdesc_add(pe, g, o);
		if (desc_kind(n, (unsigned)lvl) != DK_TABLE)
			continue;
		if (link_unordered(cm, n & DESC_OA_MASK, (unsigned)lvl + 1, 0))
			cm_finding(cm, c, F_TABLE_LINK, false, pe->va + (g - pa),
				   g, 8, MK_STORE, attr, COPY_NONE, 0,
				   "a table descriptor stored into a live table "
				   "before the stores initialising the table it "
				   "points to were ordered before it (DSB, or a "
				   "DMB ordering stores)");
		new_table(cm, n & DESC_OA_MASK, (unsigned)lvl + 1);
	}
}

/* A valid EL0-accessible entry (AP[1]) of the EL1&0 regime: what an
 * operating system stores for user memory without a DSB, taking the
 * spurious translation fault a walk of the old invalid entry may give
 * and returning (Linux arch/arm64/include/asm/pgtable.h: barriers only
 * for valid kernel entries; its fault handler finds the entry present). */
static bool user_entry(const struct cpu *c, uint64_t d)
{
	return pe_head(c)->el < 2 && (d & DESC_VALID) && (d & DESC_AP(1));
}

void wo_walk(struct cachemodel *cm, struct cpu *c, uint64_t va, uint64_t pa,
	     struct memattr attr)
{
	uint64_t g = pa & ~7ull, now;
	bool hit = false, exact = false;

	memcpy(&now, memsys_ram_ptr(cm->ms, g, 8), 8);
	for (unsigned p = 0; p < cm->npe && !exact; p++) {
		const struct pe_model *q = &cm->pe[p];

		for (unsigned k = 0; k < q->npdesc; k++) {
			if (q->pdesc[k].pa != g)
				continue;
			exact = true;
			hit = q->pdesc[k].old != now &&
			      !(user_entry(c, now) &&
				!(q->pdesc[k].old & DESC_VALID));
			break;
		}
	}
	if (!exact && page_unordered(cm, g, false) &&
	    (wo_peek(cm, pg_of(cm, g))->lines >> ((g >> 6) & 63) & 1)) {
		unsigned q = wo_peek(cm, pg_of(cm, g))->store & 0xff;

		/* A known table page's descriptors are followed one by one
		 * above unless there were too many. */
		hit = (!bit_get(cm->tpage, pg_of(cm, g)) ||
		       cm->pe[q].pdesc_over) && !user_entry(c, now);
	}
	if (hit)
		cm_finding(cm, c, F_MISSING_BARRIER, false, va, g, 8, MK_WALK,
			   attr, COPY_NONE, 0,
			   "no DSB between a store to a translation table "
			   "and a walk that reads the descriptor");
}

void wo_dsb(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	pe->npdesc = 0;
	pe->pdesc_over = false;
	pe->dsb_clock = pe->dmb_clock = ++cm->clock;
}

void wo_dmb(struct cachemodel *cm, struct cpu *c)
{
	cm->pe[pe_head(c)->id].dmb_clock = ++cm->clock;
}
