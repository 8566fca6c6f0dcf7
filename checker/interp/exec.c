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

exec_fn *exec_decode(uint32_t insn)
{
	switch (BITS(insn, 28, 25)) {
	case 0x8: case 0x9:                     /* 100x */
		return decode_dp_imm(insn);
	case 0xa: case 0xb:                     /* 101x */
		return decode_branch_sys(insn);
	case 0x4: case 0x6: case 0xc: case 0xe: /* x1x0 */
		return exec_ldst;
	case 0x5: case 0xd:                     /* x101 */
		return decode_dp_reg(insn);
	case 0x7: case 0xf:                     /* x111 */
		return exec_fp;
	default:
		/* 0000 reserved (UDF, SME), 0001/0011 unallocated, 0010 SVE:
		 * none is implemented by this PE. */
		return cpu_undef;
	}
}

void cpu_exec_one(struct cpu *c, uint32_t insn)
{
	exec_decode(insn)(c, insn);
}
