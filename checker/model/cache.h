/* model/: the cache model; sees memory-system events and architecture facts.
 *
 * The cache model's interface to the rest of the checker. The board
 * attaches it (machine_attach_model) as the memory system's observer
 * (mem/memsys.h): from then on it sees every RAM access, CMO, barrier,
 * TLBI, context synchronisation and PE start there, and the PE's accesses
 * (pe/access.c) also tell it their VA and ask it for fetch pages. What it
 * finds leaves through the sink of its options (model/sink.h). See
 * docs/model.md for what is modelled and why. */
#ifndef CACHE_CACHE_H
#define CACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "arch/walk.h"
#include "model/sink.h"

struct cpu;
struct cachemodel;

/* What the caches may hold when the image starts, named for where the
 * code runs (docs/model.md "The state at entry"). The old names stay as
 * aliases: loaded is firmware, strict is booting, clean is reset. */
enum boot_contract {
	BOOT_FIRMWARE,          /* an earlier stage left dirty lines */
	BOOT_BOOTING,           /* the letter of Linux's booting.rst */
	BOOT_RESET,             /* caches empty after reset */
	BOOT_KVM,               /* clean, all RAM allocatable via the host */
	BOOT_NCONTRACTS,
	BOOT_LOADED = BOOT_FIRMWARE,
	BOOT_STRICT = BOOT_BOOTING,
	BOOT_CLEAN = BOOT_RESET,
};

/* "firmware", ... for a contract; -1 for an unknown name (the aliases
 * loaded, strict and clean are known). */
const char *contract_name(enum boot_contract k);
int contract_parse(const char *name);
/* The contract's assumption that can make a stale copy of this kind
 * possible (copy 'U'/'P' for a cached copy, 'M' for memory, 'I' for the
 * I-cache), or NULL when none of its assumptions is needed: the
 * program's own accesses explain it. */
const char *contract_assumption(enum boot_contract k, char copy);

struct cache_opts {
	enum boot_contract contract;
	bool nc_may_hit;        /* a non-cacheable load may hit U or P */
	/* Attached mid-run (--model-after): firmware ran with its MMU on
	 * and kept instruction and data side coherent at the PoU, so every
	 * RAM line may be dirty past the PoU (in P), memory stale; none is
	 * dirty in U alone (docs/model.md "Starting mid-run"). With the
	 * firmware contract; the loaded data is not known fresh. */
	bool midrun;
	struct model_sink sink; /* where findings and events go */
};

/* What the model observes, from the board: the memory system, the PEs
 * (pe[0..npe)), and what the loader wrote, for the boot contract: the
 * image (Image header image_size from the load address, or the ELF's
 * PT_LOAD segments with their zero fill) and the DTB (len 0: none). */
struct cache_env {
	struct memsys *mem;
	struct cpu *pe;          /* npe PEs, pe_size bytes apart (opaque here) */
	unsigned npe;
	size_t pe_size;
	const struct mem_range *image;
	unsigned nimage;
	struct mem_range dtb;
	struct mem_range initrd;
};

/* Attach after the loader ran and before any PE runs (or mid-run with
 * o->midrun, between two quanta): the model becomes
 * e->mem's observer and turns off its RAM fast path (mem/memsys.h; the
 * caller flushes the TLBs' host pointers). NULL when out of host memory
 * or o's sink lacks a function. cache_detach(NULL) does nothing. */
struct cachemodel *cache_attach(const struct cache_env *e,
				const struct cache_opts *o);
void cache_detach(struct cachemodel *cm);

/* PE c was (re)started by reset or PSCI CPU_ON: empty TLB, MMU off (the
 * observer's pe_start; the tests start PEs with it directly). */
void cache_pe_start(struct cachemodel *cm, struct cpu *c);
/* An access at va is about to be translated (for reports, and data
 * accesses for the unsynchronised-system-register check). */
void cache_note_va(struct cachemodel *cm, struct cpu *c, uint64_t va,
		   enum mmu_acc acc);
/* After a fetch from pa with attr: the host page if the fetch fast path
 * may serve lines of this page for c until its ctx_gen changes (*lines:
 * which ones, at least pa's), else NULL. */
uint8_t *cache_fetch_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			  struct memattr attr, uint64_t *lines);

/* After a data load from pa with attr (the access's, SCTLR.C applied)
 * through a TLB entry: the host page if c's TLB entry may serve loads of
 * this kind from the lines *lines without the model until c's qgen
 * changes (mem/memsys.h; quiet.c says when), else NULL. page: every
 * line of the page (the entry's lines are out of date), else only pa's. */
uint8_t *cache_load_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			 struct memattr attr, bool page, uint64_t *lines);
/* After a data store to pa with attr through a TLB entry: the host page
 * if c's later stores through the entry may go to cache_store_direct
 * until c's qgen changes, else NULL; *lines: the lines (pa's, or every
 * line of the page if page) whose set a store of this kind keeps. */
uint8_t *cache_store_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			  struct memattr attr, bool page, uint64_t *lines);
/* A store (within one line) at va, translated to pa with attr by a TLB
 * entry cache_store_page granted: what the observer does with it after
 * cache_note_va. keep: in one of the granted lines. */
void cache_store_direct(struct cachemodel *cm, struct cpu *c, uint64_t va,
			uint64_t pa, unsigned size, struct memattr attr,
			void *buf, bool keep);
/* COHERENT_EXACT_CHECK is on: fast paths check their decisions. */
bool cache_exact_check(void);

/* Bytes the model allocated (per-line arrays, bitmaps, sets, memo). */
/* The contract cm runs under. */
enum boot_contract cache_contract(const struct cachemodel *cm);
size_t cache_bytes(const struct cachemodel *cm);
/* Of which this model's own (per-RAM arrays, I-cache records); the rest
 * are the shared sets and memo table. */
size_t cache_bytes_ram(const struct cachemodel *cm);
/* The highest cache_bytes() seen at the end of a hook. */
size_t cache_bytes_peak(const struct cachemodel *cm);
/* Configuration sets interned so far (all models of the process). */
size_t cache_sets(void);

#endif
