/* Decode of one word into a block entry (interp/block.h). The inline
 * kinds cover the integer operations hot in compiled loops, in the
 * encodings whose registers are never 31 (or whose Rd 31 only discards
 * the result); every other word keeps its executor from exec_decode(),
 * so an entry means exactly what that executor would do. Encodings per
 * Arm ARM DDI 0487 K.a C4.1 "A64 instruction set encoding". */
#include "interp/block.h"
#include "interp/exec_util.h"

static bool dp_imm(struct bop *o, uint32_t insn)
{
	unsigned sf = o->sf, rd = o->d, rn = o->n;

	switch (BITS(insn, 25, 23)) {
	case 0: case 1: {                               /* ADR, ADRP */
		int64_t off = sext(BITS(insn, 23, 5) << 2 | BITS(insn, 30, 29), 21);

		if (rd == 31)
			return false;
		o->kind = BIT(insn, 31) ? BK_ADRP : BK_ADR;
		o->imm = BIT(insn, 31) ? (uint64_t)off << 12 : (uint64_t)off;
		return true;
	}
	case 2: {                                       /* add/sub (immediate) */
		unsigned op = BITS(insn, 30, 29);      /* sub:S */

		o->imm = (uint64_t)BITS(insn, 21, 10) << (BIT(insn, 22) ? 12 : 0);
		if (rn == 31 || (!(op & 1) && rd == 31))
			return false;      /* SP operands: the executor */
		o->kind = (uint8_t[]){ BK_ADDI, BK_ADDSI, BK_SUBI, BK_SUBSI }[op];
		return true;
	}
	case 4: {                                       /* logical (immediate) */
		unsigned opc = BITS(insn, 30, 29), n = BIT(insn, 22);
		uint64_t imm;

		if ((!sf && n) || !decode_logical_imm(n, BITS(insn, 15, 10),
						      BITS(insn, 21, 16), &imm))
			return false;
		imm = trunc_sf(imm, sf);
		if (opc == 1 && rn == 31 && rd != 31) {   /* MOV (bitmask) */
			o->kind = BK_MOVI;
			o->imm = imm;
			return true;
		}
		/* Rd 31 is SP but for ANDS (ZR: TST). */
		if (rn == 31 || (rd == 31 && opc != 3))
			return false;
		o->kind = BK_ANDI + opc;
		o->imm = imm;
		return true;
	}
	case 5: {                                       /* move wide */
		unsigned opc = BITS(insn, 30, 29), hw = BITS(insn, 22, 21);
		uint64_t imm = (uint64_t)BITS(insn, 20, 5) << (hw * 16);

		if (opc == 1 || (!sf && hw >= 2) || rd == 31)
			return false;
		if (opc == 3) {
			o->kind = BK_MOVK;
			o->s1 = hw * 16;
			o->imm = imm;
		} else {
			o->kind = BK_MOVI;
			o->imm = trunc_sf(opc == 0 ? ~imm : imm, sf);
		}
		return true;
	}
	case 6: {                                       /* SBFM, UBFM */
		unsigned opc = BITS(insn, 30, 29), n = BIT(insn, 22);
		unsigned immr = BITS(insn, 21, 16), imms = BITS(insn, 15, 10);

		if ((opc != 0 && opc != 2) || n != sf ||
		    (!sf && ((immr | imms) & 0x20)) || rd == 31 || rn == 31)
			return false;
		/* The shifts of exec_dp_imm.c's bitfield(). */
		o->s1 = 63 - imms;
		o->s2 = o->s1 + immr - (immr > imms ? (sf ? 64 : 32) : 0);
		o->kind = opc ? BK_UBFM : BK_SBFM;
		return true;
	}
	default:
		return false;
	}
}

static bool dp_reg(struct bop *o, uint32_t insn)
{
	unsigned sf = o->sf, rd = o->d, rn = o->n, rm = o->m;
	unsigned type = BITS(insn, 23, 22), amt = BITS(insn, 15, 10);

	if (BIT(insn, 28)) {
		unsigned op2 = BITS(insn, 24, 21);

		if (rd == 31)
			return false;
		if (op2 == 4 && !BIT(insn, 29) && !BIT(insn, 11)) {
			/* CSEL, CSINC, CSINV, CSNEG */
			o->kind = BK_CSEL;
			o->s1 = BITS(insn, 15, 12);
			o->s2 = BIT(insn, 10);
			o->imm = BIT(insn, 30) ? ~0ull : 0;
			return true;
		}
		if ((op2 & 8) && !BITS(insn, 30, 29) && !BITS(insn, 23, 21)) {
			/* MADD, MSUB */
			o->kind = BK_MADD;
			o->s1 = BITS(insn, 14, 10);
			o->s2 = BIT(insn, 15);
			return true;
		}
		return false;
	}
	if (!sf && amt >= 32)
		return false;
	/* Any shift by 0 is the operand itself, except ROR, which ADD/SUB
	 * reserve (UNDEFINED at any amount) and the logical forms reject
	 * below: both go to the executor. */
	if (amt == 0 && type != 3)
		type = 0;
	o->s1 = amt;
	if (!BIT(insn, 24)) {                           /* logical */
		unsigned opc = BITS(insn, 30, 29), inv = BIT(insn, 21);

		if (opc == 1 && rn == 31 && !amt && !inv && rd != 31) {
			if (rm == 31) {
				o->kind = BK_MOVI;      /* MOV Rd, ZR */
				o->imm = 0;
			} else {
				o->kind = BK_MOVR;
			}
			return true;
		}
		if (type == 3 || rn == 31 || rm == 31 ||
		    (rd == 31 && opc != 3))
			return false;
		o->kind = BK_AND + opc * 3 + type;
		o->imm = inv ? ~0ull : 0;
		return true;
	}
	if (BIT(insn, 21))                              /* extended register */
		return false;
	{
		unsigned sub = BIT(insn, 30), s = BIT(insn, 29);

		if (type == 3 || rn == 31 || rm == 31 || (rd == 31 && !s))
			return false;
		o->kind = BK_ADD + (s * 2 + sub) * 3 + type;
		return true;
	}
}

static bool branch(struct bop *o, uint32_t insn)
{
	switch (insn >> 29) {
	case 0: case 4:                                 /* B, BL */
		o->kind = BIT(insn, 31) ? BK_BL : BK_B;
		o->imm = (uint64_t)(sext(insn & 0x3ffffff, 26) * 4);
		return true;
	case 1: case 5:
		if (o->d == 31)
			return false;
		if (BIT(insn, 25)) {                    /* TBZ, TBNZ */
			o->kind = BIT(insn, 24) ? BK_TBNZ : BK_TBZ;
			o->s1 = BIT(insn, 31) << 5 | BITS(insn, 23, 19);
			o->imm = (uint64_t)(sext(BITS(insn, 18, 5), 14) * 4);
		} else {                                /* CBZ, CBNZ */
			o->kind = BIT(insn, 24) ? BK_CBNZ : BK_CBZ;
			o->imm = (uint64_t)(sext(BITS(insn, 23, 5), 19) * 4);
		}
		return true;
	case 2:                                         /* B.cond */
		if (BIT(insn, 25) || BIT(insn, 24) || BIT(insn, 4))
			return false;
		o->kind = BK_BCOND;
		o->s1 = insn & 15;
		o->imm = (uint64_t)(sext(BITS(insn, 23, 5), 19) * 4);
		return true;
	default:
		if (insn == 0xd503201f) {               /* NOP */
			o->kind = BK_NOP;
			return true;
		}
		return false;
	}
}

bool block_decode(struct bop *o, uint32_t insn)
{
	bool fast, pure;

	*o = (struct bop){
		.insn = insn, .sf = BIT(insn, 31), .tr = BIT(insn, 31) ? 0 : 32,
		.d = insn & 31, .n = BITS(insn, 9, 5), .m = BITS(insn, 20, 16),
	};
	switch (BITS(insn, 28, 25)) {
	case 0x8: case 0x9:
		fast = dp_imm(o, insn);
		pure = true;
		break;
	case 0xa: case 0xb:
		fast = branch(o, insn);
		pure = false;
		break;
	case 0x5: case 0xd:
		fast = dp_reg(o, insn);
		pure = true;
		break;
	case 0x7: case 0xf:
		/* FP/SIMD data processing: registers and FPSR, or the
		 * access trap (an exception, which ends the block). */
		fast = false;
		pure = true;
		break;
	case 0x4: case 0x6: case 0xc: case 0xe:
		o->fn = exec_ldst;
		o->kind = BK_MEM;
		/* Integer LDR (zero-extending) and STR (unsigned offset):
		 * exec_ldst.c's ldst_uimm fast case. */
		if ((insn & 0x3b000000u) == 0x39000000u &&
		    !(insn & 0x04800000u)) {
			o->kind = BIT(insn, 22) ? BK_LDR : BK_STR;
			o->s1 = BITS(insn, 31, 30);
			o->imm = (uint64_t)BITS(insn, 21, 10) << o->s1;
		}
		return false;
	default:                /* unallocated */
		fast = false;
		pure = false;
		break;
	}
	if (fast)
		return o->kind >= BK_B;
	o->fn = exec_decode(insn);
	if (o->fn == exec_system) {
		/* MSR, MRS, CMOs, TLBI, barriers, hints: checked after it
		 * runs as a load or store is. */
		o->kind = BK_MEM;
		return false;
	}
	if (o->fn == cpu_undef)
		pure = false;
	o->kind = pure ? BK_GEN : BK_END;
	return !pure;
}
