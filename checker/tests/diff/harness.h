/* The differential harness: runs generated cases on the checker's
 * interpreter (over the fake machine, tests/fake_machine.h) and on
 * unicorn from the same registers and memory, and compares X0..X30, SP,
 * PC, NZCV, V0..V31 and a data window byte for byte. Everything that is
 * not the choice of instructions lives here: the engine's setup and its
 * periodic renewal, the reproducible per-case random numbers, the
 * command line, the comparison and the mismatch report.
 *
 * A generator file defines `const struct diff_gen diff_gen` and links
 * with harness.c into one binary (gen_int.c: diff_unicorn, gen_ldst.c:
 * diff_ldst). Usage of each:
 *   PROG [--seed S] [--count N] [CASE_OPT K] [--verbose]
 * where case K of seed S is reproducible on its own with CASE_OPT K. */
#ifndef CHECKER_TESTS_DIFF_HARNESS_H
#define CHECKER_TESTS_DIFF_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#define DIFF_MAX_INSNS 24

enum diff_exc {
	DIFF_EXC_NONE,
	DIFF_EXC_OTHER,          /* UNDEF, exception generation, fetch abort */
	DIFF_EXC_DABORT,         /* data access to unmapped memory */
};

struct diff_state {
	uint64_t x[31], sp, pc;
	uint32_t nzcv;
	__uint128_t v[32];
	enum diff_exc exc;
};

struct diff_case {
	uint32_t insn[DIFF_MAX_INSNS];
	const char *name[DIFF_MAX_INSNS];
	unsigned len;
	/* 0: run from in.pc until PC reaches the end of insn[] (the code
	 * must be forward-only, so at most len instructions); else run
	 * exactly that many instructions (code that may branch anywhere). */
	unsigned steps;
	bool lenient;            /* for the generator's judge */
	struct diff_state in;    /* in.pc: where insn[0] is */
};

enum diff_verdict { DIFF_MATCH, DIFF_SKIP, DIFF_MISMATCH };

struct diff_gen {
	const char *prog;        /* in messages and rerun hints */
	const char *case_opt;    /* "--seq", "--case" */
	uint64_t default_count;
	int cpu_model;           /* unicorn's UC_CPU_ARM64_* */
	uint64_t ram, ram_size;  /* flat memory on both sides (4 KiB pages) */
	uint64_t data, data_size; /* compared after each run */
	/* After an exception on both sides, compare registers (but PC)
	 * and memory too: nothing may have changed. Otherwise agreeing on
	 * the exception is enough. */
	bool cmp_after_exc;
	/* Build case k into q (in.pc, the registers) and memory (through
	 * diff_mem(): code and data); the random numbers are seeded. */
	void (*make)(struct diff_case *q, uint64_t k);
	/* Count the outcome of a case; same says whether the two sides
	 * agree. Returns DIFF_MISMATCH to stop with a report. */
	enum diff_verdict (*judge)(const struct diff_case *q,
				   const struct diff_state *ours,
				   const struct diff_state *ref, bool same);
	/* Print the summary of n cases; returns the exit status. */
	int (*summary)(uint64_t seed, uint64_t n);
};

extern const struct diff_gen diff_gen;

/* splitmix64, seeded from (seed, case) before each make(). */
uint64_t diff_rnd64(void);
unsigned diff_rnd(unsigned n);
/* The memory both sides will start from: [ram, ram + ram_size). */
uint8_t *diff_mem(uint64_t addr);
/* Copy words into memory at addr. */
void diff_load(uint64_t addr, const uint32_t *words, unsigned n);

#endif
