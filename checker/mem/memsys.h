/* mem/: the physical memory system (RAM, MMIO, the hooks the cache model sits on).
 *
 * The memory system: the single point every data access, instruction
 * fetch and translation-table walk passes through, carrying the physical
 * address, size, kind and the memory attributes of the access. It
 * reads/writes RAM or dispatches MMIO, and calls its observer, the cache
 * model (checker/model/, docs/model.md), when one is attached. Its state
 * is struct memsys, which the board embeds (board/machine.h) and fills:
 * RAM, the devices' MMIO ranges, the observer.
 *
 * Fast path: for speed, translations cached in the TLB (pe/mmu.c) carry a
 * host pointer into RAM, and mem_read/mem_write/mem_fetch (pe/access.c)
 * use it directly instead of calling memsys_access(). They do so only
 * while ram_fast is true; cache_attach() (model/cache.h) clears it, and
 * the board flushes every TLB (machine_attach_model), so once the model
 * is attached every data access comes here, but for the loads of the
 * lines the model declared quiet to the TLB entry (qhost, qmask: pe/mmu.h,
 * model/quiet.c). Fetches keep a one-page shortcut for the lines the
 * model declares quiet (docs/model.md "Making it fast"). */
#ifndef CHECKER_MEMSYS_H
#define CHECKER_MEMSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/regs.h"

/* The PE that makes an access, passed through to the observer; the
 * memory system never looks inside (pe/cpu.h). */
struct cpu;

/* Bits of physical address the memory system decodes: 40, as the PEs
 * report in ID_AA64MMFR0_EL1.PARange = 0b0010 (Arm ARM DDI 0487). */
#define PA_BITS          40

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

/* Cache maintenance (Arm ARM D7.4 "Cache support"). By-VA operations
 * carry the VA, the translated PA and its attributes; set/way
 * operations carry the Xt operand in va and no PA. */
enum cmo_op {
	CMO_DC_IVAC, CMO_DC_CVAC, CMO_DC_CVAU, CMO_DC_CIVAC, CMO_DC_CVAP,
	CMO_DC_ZVA,
	CMO_DC_ISW, CMO_DC_CSW, CMO_DC_CISW,
	CMO_IC_IVAU, CMO_IC_IALLU, CMO_IC_IALLUIS,
};

/* The MMIO range table: devices register their range at board set-up;
 * an access that falls wholly inside one range (the first registered
 * wins) goes to it in pieces of at most 8 bytes, any other access outside
 * RAM aborts, as do instruction fetches and walks from MMIO other than
 * ROM devices. NULL read
 * or write handlers make the range RAZ or WI. */
struct mmio_range {
	uint64_t base, size;
	void *dev;               /* the handlers' first argument */
	uint64_t (*read)(void *dev, uint64_t off, unsigned size);
	void (*write)(void *dev, uint64_t off, unsigned size, uint64_t v);
	/* Fetches and table walks are reads (ROM devices: flash in
	 * read-array mode, as QEMU's ROM-device regions execute in place
	 * and hold page tables); else they abort. */
	bool exec;
};
#define MAX_MMIO 16

/* A physical address range [pa, pa + len). */
struct mem_range {
	uint64_t pa, len;
};

struct mem_observer;

/* A watcher of RAM writes: report/btcache.c keeps backtraces whose frame
 * records it read, valid while no write overlaps them. Every writer of
 * RAM calls memsys_ram_written() once the bytes are there: the stores of
 * memsys_access() and of its observer, the devices' DMA, the loader, the
 * TLB's host-pointer fast path excepted (it runs only while ram_fast,
 * and the watcher is told all of RAM changed when ram_fast is turned off
 * or on). fn is called for the writes that overlap [lo, hi); lo = hi = 0
 * (no watcher) calls it for none. */
struct ram_watch {
	uint64_t lo, hi;
	void (*fn)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
};

/* The memory system's state. */
struct memsys {
	uint8_t *ram;            /* [ram_base, ram_base + ram_size) */
	uint64_t ram_base, ram_size;
	/* The RAM fast path (above): when false every access goes through
	 * memsys_access(). The cache model clears it. */
	bool ram_fast;
	/* Devices' MMIO ranges (memsys_add_mmio). */
	struct mmio_range mmio[MAX_MMIO];
	unsigned nmmio;
	/* The observer (below) and its first argument: NULL when none. */
	const struct mem_observer *obs;
	void *obs_ctx;
	/* Audit (audit/audit_site.c): when set, memsys_cmo() performs a
	 * DC/IC only if this returns true, so one call site's maintenance
	 * can be made a no-op to see whether a finding appears without it. */
	bool (*cmo_filter)(void *arg, struct cpu *c, enum cmo_op op);
	void *cmo_filter_arg;
	struct ram_watch watch;
};

/* [pa, pa + len) of RAM has just been written (struct ram_watch). */
static inline void memsys_ram_written(struct memsys *ms, uint64_t pa,
				      uint64_t len)
{
	if (pa < ms->watch.hi && pa + len > ms->watch.lo)
		ms->watch.fn(ms->watch.ctx, pa, len);
}

/* Host pointer for [pa, pa+len) in RAM, or NULL. */
static inline uint8_t *memsys_ram_ptr(const struct memsys *ms, uint64_t pa,
				      uint64_t len)
{
	if (pa >= ms->ram_base && len <= ms->ram_size &&
	    pa - ms->ram_base <= ms->ram_size - len)
		return ms->ram + (pa - ms->ram_base);
	return NULL;
}

/* 0, or -1 when the table is full. */
int memsys_add_mmio(struct memsys *ms, const struct mmio_range *r);

/* One access of size bytes (1..64, within one 4 KiB page) at pa.
 * Loads fill buf, stores read it (little-endian byte order). */
enum mem_status memsys_access(struct memsys *ms, struct cpu *c, uint64_t pa,
			      unsigned size, enum mem_kind kind,
			      struct memattr attr, void *buf);

/* A table walk's descriptor reads (arch/walk.h walk_read_fn, ctx a
 * struct memsys_walk): 8-byte MK_WALK accesses on behalf of PE c with
 * the walk's attributes, so the cache model sees every walk; false is an
 * external abort on the walk. The PE's translations (pe/mmu.c) and the
 * model's own (model/pending.c) read through this one. Inline: a TLB
 * miss runs it, and s1_translate inlines a constant callback. */
struct memsys_walk {
	struct memsys *ms;
	struct cpu *c;
};

static inline bool memsys_walk_read(void *ctx, uint64_t pa, uint8_t mair,
				    uint8_t sh, uint64_t *desc)
{
	const struct memsys_walk *w = ctx;
	struct memattr a = { mair, sh, 1 };

	return memsys_access(w->ms, w->c, pa, 8, MK_WALK, a, desc) == MEM_OK;
}

void memsys_cmo(struct memsys *ms, struct cpu *c, enum cmo_op op,
		uint64_t va, uint64_t pa, struct memattr attr);

/* Barriers (Arm ARM B2.3 "Definition of the Arm memory model"). option
 * is the CRm field (domain and access types). */
enum barrier_op { BAR_DMB, BAR_DSB, BAR_ISB };
void memsys_barrier(struct memsys *ms, struct cpu *c, enum barrier_op op,
		    unsigned option);

/* TLB maintenance issued by c (targets: c, or every PE when bcast), for
 * the cache model's live translations; the TLBs themselves are mmu.c's.
 * regime and scope are enum regime and enum tlbi_scope (mmu.h, which
 * includes this header). */
void memsys_tlbi(struct memsys *ms, struct cpu *c, unsigned regime,
		 unsigned scope, uint64_t va, uint16_t asid, bool bcast);
/* Context synchronisation other than ISB (exception entry, ERET). */
void memsys_ctx_sync(struct memsys *ms, struct cpu *c);
/* PE c (re)starts: reset or PSCI CPU_ON. */
void memsys_pe_start(struct memsys *ms, struct cpu *c);

/* The memory system's one observer, the cache model (model/): when set,
 * it sees every RAM access (and does the copy to or from buf itself),
 * CMO, barrier, TLBI, context synchronisation and PE start. Through this
 * table, not by name, so that mem/ does not depend on the model above it;
 * ctx is struct memsys's obs_ctx. */
struct mem_observer {
	void (*access)(void *ctx, struct cpu *c, uint64_t pa,
		       unsigned size, enum mem_kind kind, struct memattr attr,
		       uint8_t *ram, void *buf);
	void (*cmo)(void *ctx, struct cpu *c, enum cmo_op op,
		    uint64_t va, uint64_t pa, struct memattr attr);
	void (*barrier)(void *ctx, struct cpu *c, enum barrier_op op,
			unsigned option);
	void (*tlbi)(void *ctx, struct cpu *c, unsigned regime,
		     unsigned scope, uint64_t va, uint16_t asid, bool bcast);
	void (*ctx_sync)(void *ctx, struct cpu *c);
	void (*pe_start)(void *ctx, struct cpu *c);
};

/* What decides a PE's translations, as the observer needs it: the
 * stage 1 registers of both regimes (Arm ARM D8.2), HCR_EL2, the current
 * EL, whether EL2 is implemented and whether the PE runs. The PE fills
 * it (memsys_pe_state_fn, set by the board), so that the observer reads
 * facts, not the PE. */
struct pe_state {
	uint64_t sctlr_el1, sctlr_el2, ttbr0_el1, ttbr1_el1, tcr_el1;
	uint64_t mair_el1, ttbr0_el2, tcr_el2, mair_el2, hcr_el2;
	uint64_t vttbr_el2, vtcr_el2;
	unsigned el;
	bool has_el2, powered;
};
extern void (*memsys_pe_state_fn)(const struct cpu *c, struct pe_state *o);
static inline void memsys_pe_state(const struct cpu *c, struct pe_state *o)
{
	memsys_pe_state_fn(c, o);
}

/* The first member of every PE (struct cpu, pe/cpu.h), which is opaque
 * here and in the model: what the observer reads of a PE on every
 * access, without a call. The PE writes these fields; the observer only
 * reads them, but for ctx_gen, which it bumps when a page's lines
 * change (the PE's fetch cache then refills), and qgen, which it bumps
 * when a load its TLB serves unchecked may need checking again. */
#define PE_HEAD_FIELDS                                                   \
	int id;                  /* index of this PE in the machine */    \
	unsigned el;             /* current exception level, 0..2 */       \
	uint64_t pc;                                                     \
	uint64_t ctx_gen;        /* bumps on any translation change */    \
	uint64_t qgen;           /* bumps when a cached load decision ends */
struct pe_head {
	PE_HEAD_FIELDS
};

/* A PE's head (C11 6.7.2.1: a pointer to a structure, suitably
 * converted, points to its first member). */
static inline const struct pe_head *pe_head(const struct cpu *c)
{
	return (const struct pe_head *)(const void *)c;
}

static inline void pe_ctx_changed(struct cpu *c)
{
	((struct pe_head *)(void *)c)->ctx_gen++;
}

/* The loads the PE's TLB serves without the observer end (the model's
 * quiet.c, pe/access.c). */
static inline void pe_quiet_changed(struct cpu *c)
{
	((struct pe_head *)(void *)c)->qgen++;
}

/* Counters of the hooks, for tests and --stats. */
struct memsys_stats {
	uint64_t access[4];
	uint64_t cmo, barrier;
};
extern struct memsys_stats memsys_stats;

#endif
