/* A stand-in for the machine side of struct cpu (cpu.h "Provided by the
 * machine side") so the interpreter's decode groups can be unit-tested
 * without the MMU, cache model or exception entry.
 *
 * Memory is one flat buffer at [base, base + size): VA == PA. Any access
 * outside it, or a store into the read-only window, "takes" a data abort:
 * the stub records it, sets c->pc to STUB_VECTOR and returns false, as the
 * real machine would after entering the exception vector. */
#ifndef CHECKER_TESTS_STUB_MACHINE_H
#define CHECKER_TESTS_STUB_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "pe/cpu.h"

#define STUB_VECTOR 0xfff0000000000000ull /* PC after any exception */
#define STUB_MAX_CPUS 8
#define STUB_EXCL_GRANULE 64u            /* exclusive reservation granule */

struct stub_access {
	uint64_t va;
	unsigned size;
	unsigned flags;
};

struct stub_state {
	uint8_t *mem;
	uint64_t base, size;
	uint64_t ro_start, ro_end;   /* stores fault in [ro_start, ro_end) */

	/* What happened, for assertions. */
	unsigned undefs;             /* cpu_undef() calls */
	uint32_t last_undef;
	unsigned fp_checks;          /* cpu_fp_check() calls */
	bool fp_trap;                /* make cpu_fp_check() trap */
	unsigned fp_traps;
	unsigned faults;             /* data aborts taken */
	uint64_t last_fault_va;
	unsigned reads, writes;      /* successful accesses */
	struct stub_access last_read, last_write;
	unsigned system_calls, exc_gen_calls, erets;
	uint32_t last_system;

	struct cpu *cpus[STUB_MAX_CPUS];
	unsigned ncpus;
};

extern struct stub_state stub;

/* Forget everything and use mem[0..size) as memory at address base. */
void stub_reset(void *mem, uint64_t base, uint64_t size);
/* Register a PE so stores from other PEs clear its exclusive monitor. */
void stub_add_cpu(struct cpu *c);

#endif
