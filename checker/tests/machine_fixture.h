/* A small machine for the checker's unit tests: RAM at 0x40000000, a
 * PE at EL1 (or EL2) with everything at reset values, and helpers to
 * build system instructions and write memory. */
#ifndef CHECKER_TEST_FIXTURE_H
#define CHECKER_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "board/machine.h"
#include "mem/memsys.h"
#include "pe/mmu.h"
#include "pe/exception.h"
#include "model/cache.h"
#include "model/model.h"
#include "report/findings.h"

extern struct machine fx;

/* Fresh machine with smp PEs and 16 MiB of RAM; PE 0 powered at FX_PC
 * and the current PE (fx_pe, below). */
struct cpu *fx_setup(unsigned smp, bool el2);
void fx_teardown(void);

void fx_w64(uint64_t pa, uint64_t v);
uint64_t fx_r64(uint64_t pa);
void fx_w32(uint64_t pa, uint32_t v);

/* MSR/MRS/SYS encodings (C5.1). */
static inline uint32_t sysinsn(unsigned l, unsigned op0, unsigned op1,
			       unsigned crn, unsigned crm, unsigned op2,
			       unsigned rt)
{
	return 0xd5000000u | l << 21 | op0 << 19 | op1 << 16 | crn << 12 |
	       crm << 8 | op2 << 5 | rt;
}
#define MRS(op0, op1, crn, crm, op2, rt) sysinsn(1, op0, op1, crn, crm, op2, rt)
#define MSR(op0, op1, crn, crm, op2, rt) sysinsn(0, op0, op1, crn, crm, op2, rt)

/* Execute one system instruction at the PE's pc; returns the new pc. */
uint64_t fx_sys(struct cpu *c, uint32_t insn);
/* MRS/MSR through the instruction path, asserting no exception. */
uint64_t fx_mrs(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
		unsigned crm, unsigned op2);
void fx_msr(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
	    unsigned crm, unsigned op2, uint64_t v);

#define FX_PC     0x40001000ull
#define FX_VBAR1  0x40010000ull
#define FX_VBAR2  0x40020000ull

static inline unsigned esr_ec(uint64_t esr) { return esr >> 26; }

/* ---- the memory system with the cache model attached ----
 * The model's tests drive memsys_access/cmo/barrier directly, as one PE,
 * fx_pe, would: each access or CMO at a fresh PC (findings are
 * deduplicated by kind and PC), a fetch at its own address. */
extern struct cpu *fx_pe;
extern const struct memattr FX_WB, FX_WT, FX_DEV, FX_NSH;

/* fx_setup, then the model attached with o (its sink: fx's findings)
 * and PE 0 started in it. */
struct cpu *fx_model_setup(unsigned smp, bool el2, struct cache_opts o);
/* A cmocka teardown: the findings, the model, the machine. */
int fx_model_teardown(void **state);
static inline void fx_on(unsigned pe) { fx_pe = &fx.pe[pe]; }
/* A fresh PC for fx_pe's next access; returns it. */
uint64_t fx_next_pc(void);

void fx_access(struct memattr a, uint64_t pa, enum mem_kind k,
	       unsigned size, uint64_t v);
static inline void fx_ld(struct memattr a, uint64_t pa)
{
	fx_access(a, pa, MK_LOAD, 8, 0);
}
static inline void fx_st(struct memattr a, uint64_t pa)
{
	fx_access(a, pa, MK_STORE, 8, 0x1234);
}
static inline void fx_store(struct memattr a, uint64_t pa, unsigned size,
			    uint64_t v)
{
	fx_access(a, pa, MK_STORE, size, v);
}
void fx_walk(struct memattr a, uint64_t pa);
void fx_fetch(struct memattr a, uint64_t pa);
void fx_cmo(enum cmo_op op, uint64_t pa, struct memattr a);
void fx_dsb(void);
void fx_isb(void);
/* New code at pa made fetchable, as litmus/code-no-icivau.S states the
 * rule (Arm ARM B2.4.4; docs/boot-cache-maintenance.md "Writing code then
 * running it"): DC CVAU, DSB, IC IVAU, DSB, ISB, each as fx_pe's. */
void fx_sync_code(uint64_t pa);

/* fx_pe's EL1&0 regime on: an identity map of the 1 GiB at 0x40000000
 * (one level-1 block at tbl, Normal WB, MAIR attr 0, executable), walks
 * Inner/Outer WB (TCR IRGN0/ORGN0), M, C and I set; no ISB. */
void fx_idmap_on(uint64_t tbl);
/* The same, then an ISB; and M and C cleared, then an ISB. */
void fx_mmu_on(uint64_t tbl);
void fx_mmu_off(void);

/* The findings so far; the last one, which must exist, and its kind,
 * may/always and stale copy. */
size_t fx_nfind(void);
const struct finding *fx_last(void);
void fx_expect(enum finding_kind k, bool always, enum copy_id cp);

#endif
