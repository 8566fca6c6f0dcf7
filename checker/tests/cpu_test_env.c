/* Test-only flat-memory machine; see cpu_test_env.h. */
#include "cpu_test_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/exec.h"

struct test_env test_env;

void test_env_init(uint64_t base, uint64_t size)
{
	test_env.mem = calloc(1, size);
	if (!test_env.mem) {
		perror("calloc");
		exit(2);
	}
	test_env.base = base;
	test_env.size = size;
	test_env_reset_exc();
}

void test_env_free(void)
{
	free(test_env.mem);
	test_env.mem = NULL;
}

void test_env_reset_exc(void)
{
	test_env.exc = TEST_EXC_NONE;
	test_env.exc_insn = 0;
	test_env.exc_pc = 0;
	test_env.nexc = 0;
}

void test_cpu_init(struct cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->el = 1;
	c->spsel = 1;
	c->powered = true;
}

void test_env_load(uint64_t addr, const uint32_t *words, size_t n)
{
	memcpy(test_env.mem + (addr - test_env.base), words, n * 4);
}

static void take(struct cpu *c, enum test_exc kind, uint32_t insn)
{
	test_env.exc = kind;
	test_env.exc_insn = insn;
	test_env.exc_pc = c->pc;
	test_env.nexc++;
	c->pc = TEST_EXC_PC;
}

static uint8_t *ram(uint64_t va, unsigned size)
{
	if (va < test_env.base || va - test_env.base > test_env.size ||
	    test_env.size - (va - test_env.base) < size)
		return NULL;
	return test_env.mem + (va - test_env.base);
}

bool mem_read(struct cpu *c, uint64_t va, unsigned size, __uint128_t *out,
	      unsigned flags)
{
	uint8_t *p = ram(va, size);
	(void)flags;
	if (!p) {
		take(c, TEST_EXC_ABORT, 0);
		return false;
	}
	*out = 0;
	memcpy(out, p, size);   /* little-endian host */
	return true;
}

bool mem_write(struct cpu *c, uint64_t va, unsigned size, __uint128_t val,
	       unsigned flags)
{
	uint8_t *p = ram(va, size);
	(void)flags;
	if (!p) {
		take(c, TEST_EXC_ABORT, 0);
		return false;
	}
	memcpy(p, &val, size);
	return true;
}

bool mem_write_excl(struct cpu *c, uint64_t va, unsigned size,
		    __uint128_t val, uint32_t *status)
{
	if (!c->excl_valid) {
		*status = 1;
		return true;
	}
	c->excl_valid = false;
	*status = 0;
	return mem_write(c, va, size, val, ACC_STORE | ACC_EXCL);
}

void mem_clrex(struct cpu *c)
{
	c->excl_valid = false;
}

bool mem_fetch(struct cpu *c, uint32_t *insn)
{
	uint64_t off = c->pc - test_env.base;

	if (__builtin_expect(off > test_env.size - 4 || (c->pc & 3), 0)) {
		take(c, TEST_EXC_ABORT, 0);
		return false;
	}
	memcpy(insn, test_env.mem + off, 4);
	return true;
}

/* Only the hint space is modelled (NOP, YIELD, ...: no effect). */
void exec_system(struct cpu *c, uint32_t insn)
{
	if ((insn & 0xfffff01f) == 0xd503201f) {
		c->pc += 4;
		return;
	}
	take(c, TEST_EXC_SYSTEM, insn);
}

void exec_exception_gen(struct cpu *c, uint32_t insn)
{
	take(c, TEST_EXC_GEN, insn);
}

void exec_eret(struct cpu *c)
{
	take(c, TEST_EXC_ERET, 0);
}

void cpu_undef(struct cpu *c, uint32_t insn)
{
	take(c, TEST_EXC_UNDEF, insn);
}

bool cpu_fp_check(struct cpu *c, uint32_t insn)
{
	(void)c;
	(void)insn;
	return true;
}

