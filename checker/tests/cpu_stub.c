/* Stand-in for the interpreter when checker/cpu.mk is absent: every
 * instruction is UNDEFINED. Lets the machine side build and be tested
 * on its own. */
#include "pe/cpu.h"

void cpu_exec_one(struct cpu *c, uint32_t insn)
{
	cpu_undef(c, insn);
}

uint64_t cpu_run(struct cpu *c, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n && c->powered && !c->wfi; i++) {
		uint32_t insn;

		if (mem_fetch(c, &insn))
			cpu_exec_one(c, insn);
	}
	c->insns += i;
	return i;
}
