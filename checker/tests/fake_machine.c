/* The fake machine for interpreter tests (see the header). */
#include "fake_machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_state fake;
/* Bumps with every fake_reset(): a cpu's fetch cache (mem_fetch below)
 * holds pointers into the memory it was filled from, so it serves a cpu
 * only while that memory stays (fake_cpu_init() after fake_reset()). */
static uint64_t fake_epoch = 1;

void fake_reset(void *mem, uint64_t base, uint64_t size)
{
	memset(&fake, 0, sizeof(fake));
	fake_epoch++;
	fake.mem = mem;
	fake.base = base;
	fake.size = size;
}

void fake_alloc(uint64_t base, uint64_t size)
{
	void *mem = calloc(1, size);

	if (!mem) {
		perror("calloc");
		exit(2);
	}
	fake_reset(mem, base, size);
	fake.owned = true;
}

void fake_free(void)
{
	if (fake.owned)
		free(fake.mem);
	fake.mem = NULL;
	fake.owned = false;
}

void fake_reset_exc(void)
{
	fake.exc = FAKE_EXC_NONE;
	fake.exc_insn = 0;
	fake.exc_pc = 0;
	fake.nexc = 0;
}

void fake_add_cpu(struct cpu *c)
{
	if (fake.ncpus < FAKE_MAX_CPUS)
		fake.cpus[fake.ncpus++] = c;
}

void fake_cpu_init(struct cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->el = 1;
	c->spsel = 1;
	c->powered = true;
	c->ctx_gen = fake_epoch;
}

void fake_load(uint64_t addr, const uint32_t *words, size_t n)
{
	memcpy(fake.mem + (addr - fake.base), words, n * 4);
}

static void take(struct cpu *c, enum fake_exc kind, uint32_t insn)
{
	fake.exc = kind;
	fake.exc_insn = insn;
	fake.exc_pc = c->pc;
	fake.exc_nzcv = c->nzcv;
	fake.nexc++;
	c->pc = FAKE_VECTOR;
	c->pstate_gen++;        /* as an exception entry does (exception.c) */
}

static bool fault(struct cpu *c, enum fake_exc kind, uint64_t va)
{
	fake.faults++;
	fake.last_fault_va = va;
	take(c, kind, 0);
	return false;
}

static bool in_ram(uint64_t va, unsigned size)
{
	return va >= fake.base && va - fake.base <= fake.size &&
	       size <= fake.size - (va - fake.base);
}

static bool overlaps_ro(uint64_t va, unsigned size)
{
	return va < fake.ro_end && va + size > fake.ro_start;
}

/* The global monitor: a store to a granule clears every other PE's
 * reservation on it (Arm ARM B2.9.3). */
static void clear_others(struct cpu *c, uint64_t va, unsigned size)
{
	uint64_t lo = va & ~(uint64_t)(FAKE_EXCL_GRANULE - 1);
	uint64_t hi = (va + size - 1) & ~(uint64_t)(FAKE_EXCL_GRANULE - 1);

	for (unsigned i = 0; i < fake.ncpus; i++) {
		struct cpu *o = fake.cpus[i];

		if (o != c && o->excl_valid && o->excl_pa >= lo &&
		    o->excl_pa <= hi)
			o->excl_valid = false;
	}
}

bool mem_read(struct cpu *c, uint64_t va, unsigned size, __uint128_t *out,
	      unsigned flags)
{
	__uint128_t v = 0;

	if (!in_ram(va, size))
		return fault(c, FAKE_EXC_DABORT, va);
	memcpy(&v, fake.mem + (va - fake.base), size); /* little-endian host */
	*out = v;
	if (flags & ACC_EXCL) {
		c->excl_valid = true;
		c->excl_pa = va & ~(uint64_t)(FAKE_EXCL_GRANULE - 1);
	}
	fake.reads++;
	fake.last_read = (struct fake_access){ va, size, flags };
	return true;
}

bool mem_write(struct cpu *c, uint64_t va, unsigned size, __uint128_t val,
	       unsigned flags)
{
	if (!in_ram(va, size) || overlaps_ro(va, size))
		return fault(c, FAKE_EXC_DABORT, va);
	memcpy(fake.mem + (va - fake.base), &val, size);
	clear_others(c, va, size);
	fake.writes++;
	fake.last_write = (struct fake_access){ va, size, flags };
	return true;
}

bool mem_write_excl(struct cpu *c, uint64_t va, unsigned size,
		    __uint128_t val, uint32_t *status)
{
	bool ok = c->excl_valid &&
		  c->excl_pa == (va & ~(uint64_t)(FAKE_EXCL_GRANULE - 1));

	/* A failing store-exclusive does not access memory, so it cannot
	 * fault here; a real MMU may still report a permission fault. */
	if (ok && (!in_ram(va, size) || overlaps_ro(va, size)))
		return fault(c, FAKE_EXC_DABORT, va);
	c->excl_valid = false;
	if (ok) {
		memcpy(fake.mem + (va - fake.base), &val, size);
		clear_others(c, va, size);
		fake.writes++;
		fake.last_write = (struct fake_access){ va, size,
							ACC_STORE | ACC_EXCL };
	}
	*status = !ok;
	return true;
}

void mem_clrex(struct cpu *c)
{
	c->excl_valid = false;
}

void fake_fetch_page(struct cpu *c)
{
	if (c->ctx_gen == fake_epoch && in_ram(c->pc & ~0xfffull, 0x1000)) {
		c->fetch = (struct fetch_cache){
			.vpage = c->pc & ~0xfffull,
			.host = fake.mem + ((c->pc & ~0xfffull) - fake.base),
			.gen = c->ctx_gen,
			.lines = fake.fetch_lines ? fake.fetch_lines : ~0ull,
			.el = c->el,
		};
	}
}

bool mem_fetch(struct cpu *c, uint32_t *insn)
{
	fake.fetches++;
	if (__builtin_expect(!in_ram(c->pc, 4) || (c->pc & 3), 0))
		return fault(c, FAKE_EXC_PABORT, c->pc);
	memcpy(insn, fake.mem + (c->pc - fake.base), 4);
	fake_fetch_page(c);
	return true;
}

/* Only the hint space (NOP, YIELD, ...: no effect) and CLREX are
 * modelled; any other system instruction traps so that a test relying
 * on one notices. */
void exec_system(struct cpu *c, uint32_t insn)
{
	fake.system_calls++;
	fake.last_system = insn;
	if ((insn & 0xfffff0ffu) == 0xd503305fu) {
		mem_clrex(c);
		c->pc += 4;
	} else if ((insn & 0xfffff01fu) == 0xd503201fu) {
		c->pc += 4;
	} else {
		take(c, FAKE_EXC_SYSTEM, insn);
	}
}

void exec_exception_gen(struct cpu *c, uint32_t insn)
{
	fake.exc_gen_calls++;
	take(c, FAKE_EXC_GEN, insn);
}

void exec_eret(struct cpu *c)
{
	fake.erets++;
	take(c, FAKE_EXC_ERET, 0);
}

void cpu_undef(struct cpu *c, uint32_t insn)
{
	fake.undefs++;
	fake.last_undef = insn;
	take(c, FAKE_EXC_UNDEF, insn);
}

bool cpu_fp_check(struct cpu *c, uint32_t insn)
{
	fake.fp_checks++;
	if (!fake.fp_trap)
		return true;
	fake.fp_traps++;
	take(c, FAKE_EXC_FP, insn);
	return false;
}

/* The interpreter's tests drive no interrupt lines: nothing to take. */
void cpu_irq_poll(struct cpu *c)
{
	c->irq_poll = false;
}

/* Nor do they enable software step (c->dbg_ss stays false). */
bool cpu_step_before(struct cpu *c)
{
	(void)c;
	return false;
}

void cpu_step_finish(struct cpu *c)
{
	(void)c;
}
