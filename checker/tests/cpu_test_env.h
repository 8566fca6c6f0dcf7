/* Test-only machine for the interpreter: flat RAM and recording stubs
 * for everything cpu.h says the machine side provides. Used by
 * test_exec, diff_unicorn and bench_cpu; never linked into coherent. */
#ifndef CHECKER_TESTS_CPU_TEST_ENV_H
#define CHECKER_TESTS_CPU_TEST_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "pe/cpu.h"

/* Where the stubs send the PE when it takes an exception, so a test
 * can see that it happened (and that PC was not advanced normally). */
#define TEST_EXC_PC 0xE0E0E0E0E0E0E000ull

enum test_exc {
	TEST_EXC_NONE,
	TEST_EXC_UNDEF,
	TEST_EXC_GEN,      /* SVC/HVC/SMC/BRK/HLT */
	TEST_EXC_ERET,
	TEST_EXC_ABORT,    /* access outside the flat RAM */
	TEST_EXC_SYSTEM,   /* system instruction the stub does not model */
};

struct test_env {
	uint8_t *mem;
	uint64_t base, size;
	enum test_exc exc;  /* last exception taken */
	uint32_t exc_insn;
	uint64_t exc_pc;    /* PC of the instruction that took it */
	unsigned nexc;
};

extern struct test_env test_env;

/* Allocate size bytes of zeroed RAM at guest address base. */
void test_env_init(uint64_t base, uint64_t size);
void test_env_free(void);
/* Clear the recorded exception. */
void test_env_reset_exc(void);
/* Reset a cpu to EL1, SP_EL1 selected, powered, all registers zero. */
void test_cpu_init(struct cpu *c);
/* Copy words into RAM at addr. */
void test_env_load(uint64_t addr, const uint32_t *words, size_t n);

#endif
