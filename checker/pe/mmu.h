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

/* With stage 2 on, an EL1&0 entry holds both stages together (perm:
 * both; s1perm: stage 1's alone, to tell a stage 2 permission fault;
 * ipage: the IPA of the page, for TLBI IPAS2E1 and HPFAR_EL2; s2attr:
 * stage 2's attributes, combined with stage 1's flat ones per access
 * when stage 1 is off). Entries are not tagged by VMID: a change of
 * VMID or of HCR_EL2.VM/DC drops the EL1&0 entries (a TLB may lose
 * entries at any time); the model keeps the VMID of what may still be
 * live (model/alloc.c). */
struct tlb_entry {
	uint64_t vpage;      /* VA of the 4 KiB page; ~0 when invalid */
	uint64_t ppage;      /* PA of the page */
	uint8_t *host;       /* RAM pointer for the page, NULL if MMIO/slow */
	uint64_t blockmask;  /* size-1 of the descriptor's block/page */
	uint64_t ipage;
	/* With the cache model, while qgen is the PE's: the lines of the
	 * page loads may read from qhost without it (cache_load_page);
	 * spage: stores go to the model without translation, as stores of
	 * sattr (cache_store_direct); the lines among them whose set such a
	 * store keeps (cache_store_page). */
	uint8_t *qhost;
	uint64_t qmask, qgen, smask;
	bool spage;
	struct memattr sattr;
	uint16_t asid;
	uint8_t regime, global, perm, flat, level, s2, s1perm;
	struct memattr attr, s2attr;
};

/* The stage 2 fault of the last failed translation, for the abort that
 * reports it (exception.c): FAR is va, HPFAR_EL2 the IPA. */
struct s2_fault {
	bool valid, s1ptw;
	uint64_t va, ipa;
	unsigned fsc;
};

struct tlb {
	struct tlb_entry e[TLB_SIZE];
	struct s2_fault fault;
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
	/* stage 2 on: the fault was stage 2's (on the stage 1 walk if
	 * s1ptw), ipa its IPA; s1perm and s2attr as in tlb_entry */
	bool s2, s2fault, s1ptw;
	uint64_t ipa;
	unsigned s1perm;
	struct memattr s2attr;
};

/* Translate va for an access at privilege el_perm (0 for EL0 or
 * LDTR/STTR, else the current EL) in the regime of the current EL.
 * Uses and fills the TLB. Returns false with t->fsc set on a fault. */
bool mmu_translate(struct cpu *c, uint64_t va, enum mmu_acc acc,
		   unsigned el_perm, struct translation *t);
/* The same without using or filling the TLB; s1_only: stage 1 alone
 * (its output is the IPA; the AT S1E* instructions), its walk still
 * through stage 2. */
bool mmu_walk(struct cpu *c, enum regime r, uint64_t va, enum mmu_acc acc,
	      unsigned el_perm, struct translation *t);
bool mmu_walk_stages(struct cpu *c, enum regime r, uint64_t va,
		     enum mmu_acc acc, bool s1_only, struct translation *t);
/* Is stage 2 on for the EL1&0 regime of c (HCR_EL2.VM or DC, EL2
 * implemented)? */
bool mmu_s2_on(const struct cpu *c);
/* The stage 2 fault the last failed translation of c at va with fsc
 * recorded, taken (cleared) by the abort that reports it; false if the
 * fault was not stage 2's. */
bool mmu_take_s2_fault(struct cpu *c, uint64_t va, unsigned fsc,
		       struct s2_fault *out);

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
/* TLBI IPAS2E1, IPAS2LE1: entries of the EL1&0 regime whose IPA page is
 * in the block at ipa (the combined ones too: the emulator's TLB holds
 * both stages together). */
void tlb_invalidate_ipa(struct cpu *c, uint64_t ipa);
/* Drop entries that are not architectural TLB contents: the flat
 * MMU-off mappings of a regime (after SCTLR.M or HCR_EL2.DC change) and
 * cached host pointers (when the fast path is turned off). */
void tlb_drop_flat(struct cpu *c, enum regime r);

static inline unsigned tlb_index(uint64_t va)
{
	return (va >> 12) & (TLB_SIZE - 1);
}

#endif
