/* Flat-memory machine stub for interpreter unit tests (see the header). */
#include <string.h>

#include "stub_machine.h"

struct stub_state stub;

void stub_reset(void *mem, uint64_t base, uint64_t size)
{
	memset(&stub, 0, sizeof(stub));
	stub.mem = mem;
	stub.base = base;
	stub.size = size;
}

void stub_add_cpu(struct cpu *c)
{
	if (stub.ncpus < STUB_MAX_CPUS)
		stub.cpus[stub.ncpus++] = c;
}

static bool fault(struct cpu *c, uint64_t va)
{
	stub.faults++;
	stub.last_fault_va = va;
	c->pc = STUB_VECTOR;
	return false;
}

static bool in_ram(uint64_t va, unsigned size)
{
	return va >= stub.base && va - stub.base <= stub.size &&
	       size <= stub.size - (va - stub.base);
}

static bool overlaps_ro(uint64_t va, unsigned size)
{
	return va < stub.ro_end && va + size > stub.ro_start;
}

/* The global monitor: a store to a granule clears every other PE's
 * reservation on it (Arm ARM B2.9.3). */
static void clear_others(struct cpu *c, uint64_t va, unsigned size)
{
	uint64_t lo = va & ~(uint64_t)(STUB_EXCL_GRANULE - 1);
	uint64_t hi = (va + size - 1) & ~(uint64_t)(STUB_EXCL_GRANULE - 1);

	for (unsigned i = 0; i < stub.ncpus; i++) {
		struct cpu *o = stub.cpus[i];

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
		return fault(c, va);
	memcpy(&v, stub.mem + (va - stub.base), size); /* little-endian host */
	*out = v;
	if (flags & ACC_EXCL) {
		c->excl_valid = true;
		c->excl_pa = va & ~(uint64_t)(STUB_EXCL_GRANULE - 1);
	}
	stub.reads++;
	stub.last_read = (struct stub_access){ va, size, flags };
	return true;
}

bool mem_write(struct cpu *c, uint64_t va, unsigned size, __uint128_t val,
	       unsigned flags)
{
	if (!in_ram(va, size) || overlaps_ro(va, size))
		return fault(c, va);
	memcpy(stub.mem + (va - stub.base), &val, size);
	clear_others(c, va, size);
	stub.writes++;
	stub.last_write = (struct stub_access){ va, size, flags };
	return true;
}

bool mem_write_excl(struct cpu *c, uint64_t va, unsigned size,
		    __uint128_t val, uint32_t *status)
{
	bool ok = c->excl_valid &&
		  c->excl_pa == (va & ~(uint64_t)(STUB_EXCL_GRANULE - 1));

	/* A failing store-exclusive does not access memory, so it cannot
	 * fault here; a real MMU may still report a permission fault. */
	if (ok && (!in_ram(va, size) || overlaps_ro(va, size)))
		return fault(c, va);
	c->excl_valid = false;
	if (ok) {
		memcpy(stub.mem + (va - stub.base), &val, size);
		clear_others(c, va, size);
		stub.writes++;
		stub.last_write = (struct stub_access){ va, size,
							ACC_STORE | ACC_EXCL };
	}
	*status = !ok;
	return true;
}

void mem_clrex(struct cpu *c)
{
	c->excl_valid = false;
}

bool mem_fetch(struct cpu *c, uint32_t *insn)
{
	if (!in_ram(c->pc, 4))
		return fault(c, c->pc);
	memcpy(insn, stub.mem + (c->pc - stub.base), 4);
	return true;
}

void exec_system(struct cpu *c, uint32_t insn)
{
	stub.system_calls++;
	stub.last_system = insn;
	/* CLREX is the only system instruction the tests rely on. */
	if ((insn & 0xfffff0ffu) == 0xd503305fu)
		mem_clrex(c);
	c->pc += 4;
}

void exec_exception_gen(struct cpu *c, uint32_t insn)
{
	(void)insn;
	stub.exc_gen_calls++;
	c->pc = STUB_VECTOR;
}

void exec_eret(struct cpu *c)
{
	stub.erets++;
	c->pc = STUB_VECTOR;
}

void cpu_undef(struct cpu *c, uint32_t insn)
{
	stub.undefs++;
	stub.last_undef = insn;
	c->pc = STUB_VECTOR;
}

bool cpu_fp_check(struct cpu *c, uint32_t insn)
{
	(void)insn;
	stub.fp_checks++;
	if (!stub.fp_trap)
		return true;
	stub.fp_traps++;
	c->pc = STUB_VECTOR;
	return false;
}
