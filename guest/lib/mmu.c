/* Translation tables. Tables are written by this PE and walked by every
 * PE's MMU; the walks are cacheable (TCR IRGN/ORGN = WBWA) once SCTLR.C = 1,
 * so with the MMU on a table write needs only DSB ISHST before the walker
 * may use it (Arm ARM D8.2.8, "Ordering of memory accesses from translation
 * table walks"). Tables written with the MMU off are invalidated by
 * setup.c before the MMU comes on. */
#include "mmu.h"
#include "libc.h"

struct pgtable mmu_tables;

#define LEVEL_SHIFT(l) (12 + 9 * (3 - (l)))
#define INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & 511)

static u64 *next_table(struct pgtable *pt, u64 *entry)
{
	if (!(*entry & PTE_VALID)) {
		u64 *t = pt->alloc();
		assert_msg(t && !((u64)t & (PAGE_SIZE - 1)),
			   "no page for a translation table (got %p)", t);
		/* The zeroes must reach the walker before the entry that
		 * leads it there: once that is visible a walk (speculative
		 * too) may read the new table at once. Walker visibility of
		 * stores needs a DSB (Arm ARM DDI 0487 K.a D8.2.8 "Ordering of
		 * memory accesses from translation table walks"); Linux orders
		 * the same way (mm/memory.c pmd_install: smp_wmb before
		 * populating the entry). */
		dsb(ishst);
		*entry = (u64)t | PTE_TABLE | PTE_VALID;
	}
	/* A block where a table is needed would be a live split. */
	assert(*entry & PTE_TABLE);
	return (u64 *)(*entry & PTE_ADDR_MASK);
}

static void set_entry(u64 *entry, u64 desc)
{
	/* Rewriting a live entry with a different value is a break-before-
	 * make violation (docs/boot-cache-maintenance.md
	 * "Architectural facts" fact 9): refuse. */
	assert(!(*entry & PTE_VALID) || *entry == desc);
	*entry = desc;
}

void mmu_map(struct pgtable *pt, u64 va, u64 pa, u64 size, u64 prot)
{
	u64 end = va + size;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	while (va < end) {
		u64 *l2 = next_table(pt, &pt->root[INDEX(va, 1)]);
		u64 *e2 = &l2[INDEX(va, 2)];
		if (!((va | pa) & (SZ_2M - 1)) && end - va >= SZ_2M && !(*e2 & PTE_TABLE)) {
			set_entry(e2, pa | prot | PTE_VALID);	/* block */
			va += SZ_2M;
			pa += SZ_2M;
			continue;
		}
		u64 *l3 = next_table(pt, e2);
		set_entry(&l3[INDEX(va, 3)], pa | prot | PTE_PAGE | PTE_VALID);
		va += PAGE_SIZE;
		pa += PAGE_SIZE;
	}
	dsb(ishst);
}

u64 *mmu_lookup(struct pgtable *pt, u64 va, int *level)
{
	u64 *t = pt->root;
	for (int l = 1; l <= 3; l++) {
		u64 *e = &t[INDEX(va, l)];
		if (!(*e & PTE_VALID))
			return NULL;
		if (l == 3 || !(*e & PTE_TABLE)) {
			if (level)
				*level = l;
			return e;
		}
		t = (u64 *)(*e & PTE_ADDR_MASK);
	}
	return NULL;
}

void mmu_enable_with(struct pgtable *pt)
{
	mmu_enable_sequence((u64)pt->root);
}

void *mmu_user_alias(void *page)
{
	u64 va = USER_ALIAS_BASE + (u64)page;
	/* A new entry in an invalid slot: no TLB maintenance, only the DSB
	 * in mmu_map and an ISB before it is used. The alias has the same
	 * attributes as the identity map, so the two stay coherent. */
	mmu_map(&mmu_tables, va, (u64)page, PAGE_SIZE, PROT_USER_RW);
	isb();
	return (void *)va;
}

/* Break-before-make (Arm ARM D8.13.1 "Using break-before-make when
 * updating translation table entries"; docs/boot-cache-maintenance.md "bbm-tlbi"): a live
 * descriptor's output address or attributes change only by way of an
 * invalid entry whose removal from every TLB has completed.
 * [BCM: bbm-tlbi] */
void mmu_remap_page(u64 va, u64 pa, u64 prot)
{
	int level;
	u64 *e = mmu_lookup(&mmu_tables, va, &level);
	assert(e && level == 3);
	WRITE_ONCE(*e, 0);
	dsb(ishst);				/* the invalid entry is visible to walks */
	asm volatile("tlbi vae1is, %0" : : "r"(va >> 12) : "memory");
	dsb(ish);				/* ... and gone from every TLB */
	WRITE_ONCE(*e, (pa & PTE_ADDR_MASK) | prot | PTE_PAGE | PTE_VALID);
	dsb(ishst);
	isb();
}
