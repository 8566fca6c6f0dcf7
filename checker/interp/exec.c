/* The interpreter's main loop and top-level decode.
 * Arm ARM C4.1 "A64 instruction set encoding": op0 = insn[28:25] selects
 * the main encoding group; each group lives in its own exec_*.c file. */
#include "interp/exec.h"
#include "interp/exec_util.h"

const uint16_t exec_cond_table[16] = {
	COND_MASK(0),  COND_MASK(1),  COND_MASK(2),  COND_MASK(3),
	COND_MASK(4),  COND_MASK(5),  COND_MASK(6),  COND_MASK(7),
	COND_MASK(8),  COND_MASK(9),  COND_MASK(10), COND_MASK(11),
	COND_MASK(12), COND_MASK(13), COND_MASK(14), COND_MASK(15),
};

bool cond_holds(uint32_t nzcv, unsigned cond)
{
	return cond_pass(nzcv, cond & 15);
}

void cpu_exec_one(struct cpu *c, uint32_t insn)
{
	switch (BITS(insn, 28, 25)) {
	case 0x8: case 0x9:                     /* 100x */
		exec_dp_imm(c, insn);
		break;
	case 0xa: case 0xb:                     /* 101x */
		exec_branch_sys(c, insn);
		break;
	case 0x4: case 0x6: case 0xc: case 0xe: /* x1x0 */
		exec_ldst(c, insn);
		break;
	case 0x5: case 0xd:                     /* x101 */
		exec_dp_reg(c, insn);
		break;
	case 0x7: case 0xf:                     /* x111 */
		exec_fp(c, insn);
		break;
	default:
		/* 0000 reserved (UDF, SME), 0001/0011 unallocated, 0010 SVE:
		 * none is implemented by this PE. */
		cpu_undef(c, insn);
		break;
	}
}

uint64_t cpu_run(struct cpu *c, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		uint32_t insn;

		if (__builtin_expect(!c->powered || c->wfi || c->irq_poll ||
				     c->dbg_ss, 0)) {
			if (!c->powered || c->wfi)
				break;
			/* Software step (pe/debug.c): the instruction stepped
			 * last completes the step before an interrupt is
			 * taken; then active-pending takes the step exception
			 * instead of the next instruction. All of it here, so
			 * the fetch and execute below stay one inlined site. */
			if (c->ss_armed)
				cpu_step_finish(c);
			/* Interrupts are taken between instructions. */
			if (c->irq_poll)
				cpu_irq_poll(c);
			if (c->dbg_ss && cpu_step_before(c))
				continue;
		}
		/* A fetch abort has already been taken; it still counts as
		 * one instruction's worth of progress. */
		if (__builtin_expect(mem_fetch(c, &insn), 1))
			cpu_exec_one(c, insn);
	}
	c->insns += i;
	return i;
}
