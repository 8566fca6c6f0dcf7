/* model/: the cache model; sees memory-system events and architecture facts.
 *
 * The cache model's interface to the rest of the checker (memsys.c,
 * access.c, main.c, the CPU's system instructions). Every entry point is
 * a no-op unless a model is attached (m->model != NULL). See
 * docs/model.md for what is modelled and why. */
#ifndef CACHE_CACHE_H
#define CACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "arch/walk.h"

struct machine;
struct cpu;

/* What the caches may hold when the image starts (docs/model.md "The
 * state at entry"). */
enum boot_contract { BOOT_LOADED, BOOT_STRICT, BOOT_CLEAN };

struct cache_opts {
	enum boot_contract contract;
	bool nc_may_hit;        /* a non-cacheable load may hit U or P */
};

/* Attach after the loader ran (the contract needs the image and DTB
 * ranges) and before any PE runs. Turns off the RAM fast path: the
 * caller then drops the TLBs' host pointers (machine_ram_slow). */
int cache_attach(struct machine *m, const struct cache_opts *o);
void cache_detach(struct machine *m);

/* memsys_access() on RAM: the model, then the copy to/from buf. */
void cache_access(struct machine *m, struct cpu *c, uint64_t pa,
		  unsigned size, enum mem_kind kind, struct memattr attr,
		  uint8_t *ram, void *buf);
void cache_cmo(struct machine *m, struct cpu *c, enum cmo_op op, uint64_t va,
	       uint64_t pa, struct memattr attr);
void cache_barrier(struct machine *m, struct cpu *c, enum barrier_op op,
		   unsigned option);
/* A TLBI issued by c (completes at c's next DSB). bcast: Inner Shareable. */
void cache_tlbi(struct machine *m, struct cpu *c, enum regime r,
		enum tlbi_scope s, uint64_t va, uint16_t asid, bool bcast);
/* Context synchronisation other than ISB: exception entry and return. */
void cache_ctx_sync(struct machine *m, struct cpu *c);
/* PE c was (re)started by reset or PSCI CPU_ON: empty TLB, MMU off. */
void cache_pe_start(struct machine *m, struct cpu *c);
/* An access at va is about to be translated (for reports, and data
 * accesses for the unsynchronised-system-register check). */
void cache_note_va(struct cpu *c, uint64_t va, enum mmu_acc acc);
/* After a fetch from pa with attr: the host page if the fetch fast path
 * may serve lines of this page for c until its fetch.ctx_gen changes (*lines:
 * which ones, at least pa's), else NULL. */
uint8_t *cache_fetch_page(struct machine *m, struct cpu *c, uint64_t pa,
			  struct memattr attr, uint64_t *lines);

/* Bytes the model allocated (per-line arrays, bitmaps, sets, memo). */
size_t cache_bytes(const struct machine *m);
/* Of which this model's own (per-RAM arrays, I-cache records); the rest
 * are the shared sets and memo table. */
size_t cache_bytes_ram(const struct machine *m);
/* The highest cache_bytes() seen at the end of a hook. */
size_t cache_bytes_peak(const struct machine *m);
/* Configuration sets interned so far (all models of the process). */
size_t cache_sets(void);

#endif
