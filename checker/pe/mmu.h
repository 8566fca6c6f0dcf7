/* Stage 1 address translation for the EL1&0 and EL2 regimes, 4 KiB
 * granule (Arm ARM D8 "The AArch64 Virtual Memory System Architecture"),
 * and the per-PE TLB that caches it. TLB entries stay valid until a TLBI
 * that covers them (or capacity eviction), as on hardware: a guest that
 * changes its tables without TLBI keeps using the old translation. */
#ifndef CHECKER_MMU_H
#define CHECKER_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/walk.h"
#include "mem/memsys.h"

#define PA_BITS 40               /* ID_AA64MMFR0_EL1.PARange = 0b0010 */

struct cpu;

#define TLB_SIZE 512

struct tlb_entry {
	uint64_t vpage;      /* VA of the 4 KiB page; ~0 when invalid */
	uint64_t ppage;      /* PA of the page */
	uint8_t *host;       /* RAM pointer for the page, NULL if MMIO/slow */
	uint64_t blockmask;  /* size-1 of the descriptor's block/page */
	/* With the cache model: the lines of the page loads may read from
	 * qhost without it, while qgen is the PE's (cache_load_page). */
	uint8_t *qhost;
	uint64_t qmask, qgen;
	uint16_t asid;
	uint8_t regime, global, perm, flat, level;
	struct memattr attr;
};

struct tlb {
	struct tlb_entry e[TLB_SIZE];
};


struct translation {
	uint64_t pa;
	struct memattr attr;
	uint8_t *host;
	unsigned perm;
	unsigned fsc;        /* 0 on success, else a FSC_* code */
	bool walk_fault;     /* fault on the walk's own access (S1PTW-like) */
	unsigned level;      /* level of the leaf descriptor */
	bool ng;             /* non-global: tagged with the ASID */
	uint64_t bmask;      /* size-1 of the block or page */
};

/* Translate va for an access at privilege el_perm (0 for EL0 or
 * LDTR/STTR, else the current EL) in the regime of the current EL.
 * Uses and fills the TLB. Returns false with t->fsc set on a fault. */
bool mmu_translate(struct cpu *c, uint64_t va, enum mmu_acc acc,
		   unsigned el_perm, struct translation *t);
/* The same without using or filling the TLB (AT instructions). */
bool mmu_walk(struct cpu *c, enum regime r, uint64_t va, enum mmu_acc acc,
	      unsigned el_perm, struct translation *t);

/* Current ASID of the EL1&0 regime (TCR_EL1.A1, TCR_EL1.AS). */
uint16_t mmu_cur_asid(struct cpu *c);
/* The PE's translation state for the memory system's observer
 * (memsys_pe_state_fn, set by machine_init). */
void mmu_pe_state(const struct cpu *c, struct pe_state *o);

/* TLB maintenance (Arm ARM D8.13 "TLB maintenance instructions"; the
 * scopes: arch/walk.h). */
void tlb_invalidate(struct cpu *c, enum regime r, enum tlbi_scope s,
		    uint64_t va, uint16_t asid, bool last_level_only);
void tlb_flush_all(struct cpu *c);
/* Drop entries that are not architectural TLB contents: the flat
 * MMU-off mappings of a regime (after SCTLR.M or HCR_EL2.DC change) and
 * cached host pointers (when the fast path is turned off). */
void tlb_drop_flat(struct cpu *c, enum regime r);

static inline unsigned tlb_index(uint64_t va)
{
	return (va >> 12) & (TLB_SIZE - 1);
}

#endif
