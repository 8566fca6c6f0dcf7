/* Branches, exception generating and system instructions (Arm ARM C4.1.3,
 * op0 = 101x). Only branches are executed here; exception generation,
 * ERET and the system instruction space belong to the machine side. */
#include "interp/exec.h"
#include "interp/exec_util.h"

/* B, BL: imm26 words either way. */
static void branch_imm(struct cpu *c, uint32_t insn)
{
	int64_t off = sext(insn & 0x3ffffff, 26) * 4;

	if (BIT(insn, 31))
		c->x[30] = c->pc + 4;
	c->pc += off;
}

/* B.cond; o1 (bit 24) and o0 (bit 4) must be 0. BC.cond (o0 = 1,
 * FEAT_HBC) is not implemented. */
static void branch_cond(struct cpu *c, uint32_t insn)
{
	if (BIT(insn, 24) | BIT(insn, 4)) {
		cpu_undef(c, insn);
		return;
	}
	if (cond_pass(c->nzcv, insn & 15))
		c->pc += sext(BITS(insn, 23, 5), 19) * 4;
	else
		c->pc += 4;
}

/* CBZ/CBNZ (bit 24 = op: 1 = CBNZ). */
static void compare_branch(struct cpu *c, uint32_t insn)
{
	uint64_t v = trunc_sf(rx(c, insn & 31), BIT(insn, 31));

	if ((v == 0) != BIT(insn, 24))
		c->pc += sext(BITS(insn, 23, 5), 19) * 4;
	else
		c->pc += 4;
}

/* TBZ/TBNZ: bit b5:b40 of Xt. */
static void test_branch(struct cpu *c, uint32_t insn)
{
	unsigned bit = BIT(insn, 31) << 5 | BITS(insn, 23, 19);
	unsigned set = (rx(c, insn & 31) >> bit) & 1;

	if (set == BIT(insn, 24))
		c->pc += sext(BITS(insn, 18, 5), 14) * 4;
	else
		c->pc += 4;
}

/* Unconditional branch (register): opc = insn[24:21], op2 = [20:16],
 * op3 = [15:10], Rn, op4 = [4:0]. Only the plain forms are implemented;
 * the pointer-authenticating ones (BRAA, RETAA, ERETAA ...) and DRPS
 * are UNDEFINED on this PE. */
static void branch_reg(struct cpu *c, uint32_t insn)
{
	unsigned opc = BITS(insn, 24, 21), rn = BITS(insn, 9, 5);
	uint64_t target;

	if (BITS(insn, 20, 16) != 31 || BITS(insn, 15, 10) != 0 ||
	    (insn & 31) != 0)
		goto undef;
	switch (opc) {
	case 0:                         /* BR */
	case 2:                         /* RET */
		c->pc = rx(c, rn);
		return;
	case 1:                         /* BLR: read Xn before writing X30 */
		target = rx(c, rn);
		c->x[30] = c->pc + 4;
		c->pc = target;
		return;
	case 4:                         /* ERET */
		if (rn != 31)
			goto undef;
		exec_eret(c);
		return;
	default:
		break;
	}
undef:
	cpu_undef(c, insn);
}

/* NOP (C6.2 "NOP"): the one hint hot enough to skip exec_system's
 * decode; it only advances PC there too. */
static void nop(struct cpu *c, uint32_t insn)
{
	(void)insn;
	c->pc += 4;
}

exec_fn *decode_branch_sys(uint32_t insn)
{
	switch (insn >> 29) {
	case 0: case 4:                         /* x00: B, BL */
		return branch_imm;
	case 1: case 5:                         /* x01 */
		return BIT(insn, 25) ? test_branch : compare_branch;
	case 2:                                 /* 010 */
		if (!BIT(insn, 25))
			return branch_cond;
		break;
	case 6:                                 /* 110 */
		if (BIT(insn, 25))
			return branch_reg;
		if (BITS(insn, 25, 24) == 0)
			return exec_exception_gen;
		if (insn == 0xd503201f)
			return nop;
		if (BITS(insn, 25, 22) == 4)    /* 1101010100 */
			return exec_system;
		break;
	default:
		break;
	}
	return cpu_undef;
}

void exec_branch_sys(struct cpu *c, uint32_t insn)
{
	decode_branch_sys(insn)(c, insn);
}
