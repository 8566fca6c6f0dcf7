/* The one fake machine side of struct cpu (cpu.h "Provided by the
 * machine side") for the interpreter's unit tests, differential tests
 * and benchmark: no MMU, cache model or exception entry, so a decode
 * group can be tested on its own. Never linked into coherent. (The
 * tests of the real machine use machine_fixture.h instead.)
 *
 * Memory is one flat buffer at [base, base + size): VA == PA. Any access
 * outside it, a misaligned fetch, or a store into the read-only window
 * "takes" an abort. Every exception the fake takes is recorded (kind,
 * word, PC) and sends the PE to FAKE_VECTOR, as the real machine would
 * after entering the exception vector; the memory calls return false. */
#ifndef CHECKER_TESTS_FAKE_MACHINE_H
#define CHECKER_TESTS_FAKE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pe/cpu.h"

#define FAKE_VECTOR 0xfff0000000000000ull /* PC after any exception */
#define FAKE_MAX_CPUS 8
#define FAKE_EXCL_GRANULE 64u            /* exclusive reservation granule */

enum fake_exc {
	FAKE_EXC_NONE,
	FAKE_EXC_UNDEF,
	FAKE_EXC_GEN,      /* SVC/HVC/SMC/BRK/HLT */
	FAKE_EXC_ERET,
	FAKE_EXC_DABORT,   /* data access outside RAM or into the RO window */
	FAKE_EXC_PABORT,   /* fetch outside RAM or misaligned */
	FAKE_EXC_SYSTEM,   /* system instruction the fake does not model */
	FAKE_EXC_FP,       /* cpu_fp_check() with fp_trap set */
};

struct fake_access {
	uint64_t va;
	unsigned size;
	unsigned flags;
};

struct fake_state {
	uint8_t *mem;
	uint64_t base, size;
	uint64_t ro_start, ro_end;   /* stores fault in [ro_start, ro_end) */
	bool fp_trap;                /* make cpu_fp_check() trap */
	/* The lines fake_fetch_page() lets the fetch cache serve, as the
	 * cache model's cache_fetch_page() does (0: all). */
	uint64_t fetch_lines;
	bool owned;                  /* mem is fake_alloc()'s */

	/* The last exception taken, and how many since fake_reset_exc(). */
	enum fake_exc exc;
	uint32_t exc_insn;
	uint64_t exc_pc;             /* PC of the instruction that took it */
	uint32_t exc_nzcv;           /* NZCV at entry, as SPSR would save it */
	unsigned nexc;

	/* What happened, for assertions. */
	unsigned undefs;             /* cpu_undef() calls */
	uint32_t last_undef;
	unsigned fp_checks, fp_traps;
	unsigned faults;             /* aborts taken (data and fetch) */
	uint64_t last_fault_va;
	unsigned reads, writes;      /* successful accesses */
	unsigned fetches;            /* mem_fetch() calls */
	struct fake_access last_read, last_write;
	unsigned system_calls, exc_gen_calls, erets;
	uint32_t last_system;

	struct cpu *cpus[FAKE_MAX_CPUS];
	unsigned ncpus;
};

extern struct fake_state fake;

/* Forget everything and use mem[0..size) as memory at address base. */
void fake_reset(void *mem, uint64_t base, uint64_t size);
/* fake_reset() over size bytes of zeroed memory the fake owns. */
void fake_alloc(uint64_t base, uint64_t size);
void fake_free(void);
/* Forget the recorded exceptions (not the other counters). */
void fake_reset_exc(void);
/* Register a PE so stores from other PEs clear its exclusive monitor. */
void fake_add_cpu(struct cpu *c);
/* Reset a cpu to EL1, SP_EL1 selected, powered, all registers zero. */
void fake_cpu_init(struct cpu *c);
/* Serve the page of c->pc from c's fetch cache, as access.c does for
 * RAM, so that cpu_run's blocks (interp/exec_block.c) run from the first
 * instruction on; mem_fetch() does it too. Valid until the next
 * fake_reset(): call fake_cpu_init() after that. */
void fake_fetch_page(struct cpu *c);
/* Copy words into memory at addr. */
void fake_load(uint64_t addr, const uint32_t *words, size_t n);

#endif
