/* Stage-1 translation tables for the EL1&0 regime: 4 KiB granule, 39-bit
 * VA from level 1. Everything is identity mapped except the user alias. */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include "types.h"
#include "sysreg.h"

/* Descriptor bits (Arm ARM D8.3 "Translation table descriptor formats"). */
#define PTE_VALID     (1UL << 0)
#define PTE_TABLE     (1UL << 1)	/* levels 0-2: table; level 3: page */
#define PTE_PAGE      (1UL << 1)
#define PTE_ATTR(i)   ((u64)(i) << 2)
#define PTE_USER      (1UL << 6)	/* AP[1]: EL0 access */
#define PTE_RDONLY    (1UL << 7)	/* AP[2] */
#define PTE_SH_INNER  (3UL << 8)
#define PTE_AF        (1UL << 10)
#define PTE_PXN       (1UL << 53)
#define PTE_UXN       (1UL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* Protections callers combine. */
#define PROT_NORMAL  (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PROT_NORMAL_NC (PTE_ATTR(MT_NORMAL_NC) | PTE_SH_INNER | PTE_AF)
#define PROT_DEVICE  (PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN)
#define PROT_XN      (PTE_PXN | PTE_UXN)
#define PROT_RAM     (PROT_NORMAL | PROT_XN)			/* RW, EL1 */
#define PROT_TEXT    (PROT_NORMAL | PTE_RDONLY | PTE_USER)	/* RX, EL1+EL0 */
#define PROT_RODATA  (PROT_NORMAL | PTE_RDONLY | PTE_USER | PROT_XN)
#define PROT_USER_RW (PROT_NORMAL | PTE_USER | PROT_XN)

/* VA base of the EL0 alias of RAM (mmu_map_user). */
#define USER_ALIAS_BASE (1UL << 38)

typedef void *(*table_alloc_fn)(void);

struct pgtable {
	u64 *root;			/* level-1 table */
	table_alloc_fn alloc;		/* returns a zeroed, page-aligned page */
};

/* Map [va, va + size) to pa. 2 MiB blocks where alignment allows, pages
 * otherwise. Entries may only go into invalid slots or repeat the same
 * descriptor: changing a live one needs mmu_remap (break-before-make). */
void mmu_map(struct pgtable *pt, u64 va, u64 pa, u64 size, u64 prot);
/* Descriptor that maps va, and its level; NULL if unmapped. */
u64 *mmu_lookup(struct pgtable *pt, u64 va, int *level);
/* Linux __cpu_setup/__enable_mmu, TF-A enable_mmu_direct_el1: the TLB may
 * hold entries from before us, so invalidate it before the first walk;
 * registers are synchronised by ISB before SCTLR.M is set, and the ISB
 * after makes the next fetch translated (docs/boot-cache-maintenance.md "The boot
 * sequence" step 6). Inline and
 * store-free, so a caller that has just invalidated its stack with the
 * MMU off writes nothing before the MMU is on. [BCM: enable-tlbi] */
static inline __attribute__((always_inline)) void mmu_enable_sequence(u64 root)
{
	write_sysreg(MAIR_VALUE, mair_el1);
	write_sysreg(TCR_VALUE, tcr_el1);
	write_sysreg(root, ttbr0_el1);
	isb();
	asm volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(SCTLR_EL1_MMU_ON, sctlr_el1);
	isb();
}

/* Turn the MMU on with these tables (called with the MMU off). */
void mmu_enable_with(struct pgtable *pt);
/* An EL0-accessible (RW, XN) alias of one page of RAM. */
void *mmu_user_alias(void *page);
/* Change a live page mapping by break-before-make. */
void mmu_remap_page(u64 va, u64 pa, u64 prot);
/* The live tables. */
extern struct pgtable mmu_tables;

#endif
