/* ioremap: Device-nGnRnE identity mappings of device ranges after boot.
 *
 * The new descriptors go only into invalid slots of the live tables, the
 * rule docs/boot-cache-maintenance.md "Design decisions" ("No table
 * switch") and step 7 of "The boot sequence" set for every table update
 * with the MMU on: mmu_map's DSB ISHST makes the stores visible to every
 * PE's table walks, the ISB here keeps this PE from having fetched or
 * speculated anything past it against the old, invalid entry, and no TLBI
 * is needed because no TLB may hold an invalid entry (Arm ARM DDI 0487,
 * D8 "TLB maintenance requirements"). A live entry is never rewritten:
 * that would need break-before-make (the same document, fact 9). */
#include "io.h"
#include "libc.h"
#include "mmu.h"

#define DEVICE_DESC_BITS (PROT_DEVICE | PTE_VALID)
/* Descriptor bits that are not the output address or the page/block bit. */
#define ATTR_MASK (~(PTE_ADDR_MASK | PTE_TABLE))

/* 0 if va's page is unmapped, 1 if mapped Device-nGnRnE as ioremap maps
 * it, -1 otherwise (with *desc_out the descriptor found). */
static int page_state(u64 va, u64 *desc_out)
{
	int level;
	u64 *e = mmu_lookup(&mmu_tables, va, &level);
	if (!e)
		return 0;
	*desc_out = *e;
	bool same_pa = (*e & PTE_ADDR_MASK & ~((1UL << (12 + 9 * (3 - level))) - 1)) ==
		       ALIGN_DOWN(va, 1UL << (12 + 9 * (3 - level)));
	return same_pa && (*e & ATTR_MASK) == (DEVICE_DESC_BITS & ATTR_MASK) ? 1 : -1;
}

void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	u64 start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);
	if (!size || end <= start || end > (1UL << VA_BITS)) {
		printf("ioremap: bad range [0x%lx, +0x%lx): empty, wrapping or beyond the %d-bit VA space\n",
		       pa, size, VA_BITS);
		return NULL;
	}
	/* Check the whole range before mapping any of it: no half-done map. */
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 desc = 0;
		if (page_state(va, &desc) < 0) {
			printf("ioremap: 0x%lx (in [0x%lx, +0x%lx)) is already mapped, descriptor 0x%lx, "
			       "not as Device-nGnRnE: refusing a mismatched-attribute alias\n",
			       va, pa, size, desc);
			return NULL;
		}
	}
	for (u64 va = start; va < end;) {
		u64 desc, run = va;
		while (run < end && page_state(run, &desc) == 0)
			run += PAGE_SIZE;
		if (run > va)
			mmu_map(&mmu_tables, va, va, run - va, PROT_DEVICE);
		va = run == va ? va + PAGE_SIZE : run;
	}
	isb();
	return (void __iomem *)pa;
}
