/* mem/: the physical memory system (RAM, MMIO, the hooks the cache model sits on).
 *
 * The memory system: the single point every data access, instruction
 * fetch and translation-table walk passes through, carrying the physical
 * address, size, kind and the memory attributes of the access. It
 * reads/writes RAM or dispatches MMIO, and calls the cache model
 * (checker/cache/, docs/model.md) when one is attached.
 *
 * Fast path: for speed, translations cached in the TLB (mmu.c) carry a
 * host pointer into RAM, and mem_read/mem_write/mem_fetch (access.c) use
 * it directly instead of calling memsys_access(). They do so only while
 * m->ram_fast is true; cache_attach() (cache.h) clears it and flushes
 * every TLB, so once the model is attached every data access comes here.
 * Fetches keep a one-page shortcut for the lines the model declares quiet
 * (docs/model.md "Making it fast"). */
#ifndef CHECKER_MEMSYS_H
#define CHECKER_MEMSYS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"

struct machine;
struct cpu;

/* Memory attributes of one access (Arm ARM D8 "The AArch64 Virtual
 * Memory System Architecture", memory types and attributes). The MAIR
 * encoding is the canonical form: 0b0000dd00 is Device-<dd>, otherwise
 * bits 7:4 are Outer and 3:0 Inner Normal memory attributes. */
struct memattr {
	uint8_t mair;     /* attribute byte as in MAIR_ELx */
	uint8_t sh;       /* shareability: 0 NSH, 2 OSH, 3 ISH */
	uint8_t s1;       /* 1 if stage 1 translation was enabled */
};

static inline bool memattr_is_device(struct memattr a)
{
	return (a.mair & 0xf0) == 0;
}

/* Write-back or write-through (i.e. cacheable) in the inner domain. */
static inline bool memattr_inner_cacheable(struct memattr a)
{
	unsigned in = a.mair & 0xf;
	return !memattr_is_device(a) && in != 0x4 && in != 0;
}
static inline bool memattr_outer_cacheable(struct memattr a)
{
	unsigned out = a.mair >> 4;
	return !memattr_is_device(a) && out != 0x4;
}

enum mem_kind { MK_LOAD, MK_STORE, MK_FETCH, MK_WALK };

enum mem_status {
	MEM_OK = 0,
	MEM_EXT_ABORT,    /* nothing at this physical address */
};

/* The MMIO range table: devices register their range at board set-up;
 * an access that falls wholly inside one range (the first registered
 * wins) goes to it in pieces of at most 8 bytes, any other access outside
 * RAM aborts, as do walks from MMIO and instruction fetches from a range
 * without exec. NULL read or write handlers make the range RAZ or WI. */
struct mmio_range {
	uint64_t base, size;
	uint64_t (*read)(struct machine *m, uint64_t off, unsigned size);
	void (*write)(struct machine *m, uint64_t off, unsigned size,
		      uint64_t v);
	/* Fetches are reads (ROM devices: flash in read-array mode, as
	 * QEMU's ROM-device regions execute in place). */
	bool exec;
};
#define MAX_MMIO 16
/* 0, or -1 when the table is full. */
int memsys_add_mmio(struct machine *m, const struct mmio_range *r);

/* One access of size bytes (1..64, within one 4 KiB page) at pa.
 * Loads fill buf, stores read it (little-endian byte order). */
enum mem_status memsys_access(struct machine *m, struct cpu *c, uint64_t pa,
			      unsigned size, enum mem_kind kind,
			      struct memattr attr, void *buf);

/* Cache maintenance (Arm ARM D7.4 "Cache support"). By-VA operations
 * carry the VA, the translated PA and its attributes; set/way
 * operations carry the Xt operand in va and no PA. */
enum cmo_op {
	CMO_DC_IVAC, CMO_DC_CVAC, CMO_DC_CVAU, CMO_DC_CIVAC, CMO_DC_CVAP,
	CMO_DC_ZVA,
	CMO_DC_ISW, CMO_DC_CSW, CMO_DC_CISW,
	CMO_IC_IVAU, CMO_IC_IALLU, CMO_IC_IALLUIS,
};
void memsys_cmo(struct machine *m, struct cpu *c, enum cmo_op op,
		uint64_t va, uint64_t pa, struct memattr attr);

/* Barriers (Arm ARM B2.3 "Definition of the Arm memory model"). option
 * is the CRm field (domain and access types). */
enum barrier_op { BAR_DMB, BAR_DSB, BAR_ISB };
void memsys_barrier(struct machine *m, struct cpu *c, enum barrier_op op,
		    unsigned option);

/* TLB maintenance issued by c (targets: c, or every PE when bcast), for
 * the cache model's live translations; the TLBs themselves are mmu.c's.
 * regime and scope are enum regime and enum tlbi_scope (mmu.h, which
 * includes this header). */
void memsys_tlbi(struct machine *m, struct cpu *c, unsigned regime,
		 unsigned scope, uint64_t va, uint16_t asid, bool bcast);
/* Context synchronisation other than ISB (exception entry, ERET). */
void memsys_ctx_sync(struct machine *m, struct cpu *c);
/* PE c (re)starts: reset or PSCI CPU_ON. */
void memsys_pe_start(struct machine *m, struct cpu *c);

/* The memory system's one observer, the cache model (model/): when set,
 * it sees every RAM access (and does the copy to or from buf itself),
 * CMO, barrier, TLBI, context synchronisation and PE start. Through this
 * table, not by name, so that mem/ does not depend on the model above it. */
struct mem_observer {
	void (*access)(struct machine *m, struct cpu *c, uint64_t pa,
		       unsigned size, enum mem_kind kind, struct memattr attr,
		       uint8_t *ram, void *buf);
	void (*cmo)(struct machine *m, struct cpu *c, enum cmo_op op,
		    uint64_t va, uint64_t pa, struct memattr attr);
	void (*barrier)(struct machine *m, struct cpu *c, enum barrier_op op,
			unsigned option);
	void (*tlbi)(struct machine *m, struct cpu *c, unsigned regime,
		     unsigned scope, uint64_t va, uint16_t asid, bool bcast);
	void (*ctx_sync)(struct machine *m, struct cpu *c);
	void (*pe_start)(struct machine *m, struct cpu *c);
};

/* Counters of the hooks, for tests and --stats. */
struct memsys_stats {
	uint64_t access[4];
	uint64_t cmo, barrier;
};
extern struct memsys_stats memsys_stats;

#endif
