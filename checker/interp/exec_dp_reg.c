/* Data processing -- register (Arm ARM C4.1.6, op0 = x101).
 * Fields: op0 = insn[30], op1 = insn[28], op2 = insn[24:21],
 * op3 = insn[15:10]. */
#include "interp/exec.h"
#include "interp/exec_util.h"

/* ShiftReg(): LSL, LSR, ASR, ROR by 0..datasize-1. */
static inline uint64_t shift_reg(uint64_t v, unsigned type, unsigned amt,
				 unsigned sf)
{
	if (amt == 0)
		return v;
	if (sf) {
		switch (type) {
		case 0: return v << amt;
		case 1: return v >> amt;
		case 2: return (uint64_t)((int64_t)v >> amt);
		default: return (v >> amt) | (v << (64 - amt));
		}
	}
	{
		uint32_t w = (uint32_t)v;
		switch (type) {
		case 0: return (uint32_t)(w << amt);
		case 1: return w >> amt;
		case 2: return (uint32_t)((int32_t)w >> amt);
		default: return (uint32_t)((w >> amt) | (w << (32 - amt)));
		}
	}
}

/* AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS (shifted register); opc =
 * insn[30:29], a constant in each of the executors below. */
static inline __attribute__((always_inline))
void logical_shifted(struct cpu *c, uint32_t insn, unsigned opc)
{
	unsigned sf = BIT(insn, 31), amt = BITS(insn, 15, 10);
	uint64_t a, b, r;

	if (!sf && amt >= 32) {
		cpu_undef(c, insn);
		return;
	}
	a = rx(c, BITS(insn, 9, 5));
	b = shift_reg(rx(c, BITS(insn, 20, 16)), BITS(insn, 23, 22), amt, sf);
	if (BIT(insn, 21))      /* N: invert operand 2 */
		b = ~b;
	switch (opc) {
	case 0: r = a & b; break;
	case 1: r = a | b; break;
	case 2: r = a ^ b; break;
	default:
		r = trunc_sf(a & b, sf);
		c->nzcv = logic_flags(r, sf);
		break;
	}
	wx(c, insn & 31, trunc_sf(r, sf));
	c->pc += 4;
}

/* One executor per opc: cpu_run's indirect call then predicts the
 * operation, not a switch shared by all four. */
static void and_shifted(struct cpu *c, uint32_t insn) { logical_shifted(c, insn, 0); }
static void orr_shifted(struct cpu *c, uint32_t insn) { logical_shifted(c, insn, 1); }
static void eor_shifted(struct cpu *c, uint32_t insn) { logical_shifted(c, insn, 2); }
static void ands_shifted(struct cpu *c, uint32_t insn) { logical_shifted(c, insn, 3); }

/* ADD/ADDS/SUB/SUBS (shifted register); ROR is reserved. */
static void add_sub_shifted(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), sub = BIT(insn, 30);
	unsigned type = BITS(insn, 23, 22), amt = BITS(insn, 15, 10);
	uint64_t a, b, r;

	if (type == 3 || (!sf && amt >= 32)) {
		cpu_undef(c, insn);
		return;
	}
	a = rx(c, BITS(insn, 9, 5));
	b = shift_reg(rx(c, BITS(insn, 20, 16)), type, amt, sf);
	if (BIT(insn, 29)) {
		uint32_t nzcv;
		r = add_with_carry(a, sub ? ~b : b, sub, sf, &nzcv);
		c->nzcv = nzcv;
	} else {
		r = trunc_sf(sub ? a - b : a + b, sf);
	}
	wx(c, insn & 31, r);
	c->pc += 4;
}

/* ExtendReg(): UXTB..SXTX then LSL #0..4. */
static inline uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift)
{
	switch (option) {
	case 0: v = (uint8_t)v; break;
	case 1: v = (uint16_t)v; break;
	case 2: v = (uint32_t)v; break;
	case 3: break;
	case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
	case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
	case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
	default: break;
	}
	return v << shift;
}

/* ADD/ADDS/SUB/SUBS (extended register): Rn and (without S) Rd may be
 * SP. */
static void add_sub_extended(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), sub = BIT(insn, 30);
	unsigned shift = BITS(insn, 12, 10);
	uint64_t a, b, r;

	if (shift > 4 || BITS(insn, 23, 22)) {
		cpu_undef(c, insn);
		return;
	}
	a = rxsp(c, BITS(insn, 9, 5));
	b = extend_reg(rx(c, BITS(insn, 20, 16)), BITS(insn, 15, 13), shift);
	if (BIT(insn, 29)) {
		uint32_t nzcv;
		r = add_with_carry(a, sub ? ~b : b, sub, sf, &nzcv);
		c->nzcv = nzcv;
		wx(c, insn & 31, r);
	} else {
		r = trunc_sf(sub ? a - b : a + b, sf);
		wxsp(c, insn & 31, r);
	}
	c->pc += 4;
}

/* ADC/ADCS/SBC/SBCS. */
static void add_sub_carry(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31);
	uint64_t a = rx(c, BITS(insn, 9, 5)), b = rx(c, BITS(insn, 20, 16));
	unsigned carry = (c->nzcv >> 29) & 1;
	uint32_t nzcv;
	uint64_t r;

	if (BIT(insn, 30))
		b = ~b;
	r = add_with_carry(a, b, carry, sf, &nzcv);
	if (BIT(insn, 29))
		c->nzcv = nzcv;
	wx(c, insn & 31, r);
	c->pc += 4;
}

/* CCMN/CCMP (register and immediate): flags of the compare if cond
 * holds, else the literal nzcv field. */
static void cond_compare(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31);
	uint64_t a, b;
	uint32_t nzcv;

	if (!BIT(insn, 29) || BIT(insn, 10) || BIT(insn, 4)) {
		cpu_undef(c, insn);
		return;
	}
	if (cond_pass(c->nzcv, BITS(insn, 15, 12))) {
		a = rx(c, BITS(insn, 9, 5));
		b = BIT(insn, 11) ? BITS(insn, 20, 16) : rx(c, BITS(insn, 20, 16));
		if (BIT(insn, 30))      /* CCMP: subtract */
			add_with_carry(a, ~b, 1, sf, &nzcv);
		else
			add_with_carry(a, b, 0, sf, &nzcv);
		c->nzcv = nzcv;
	} else {
		c->nzcv = (insn & 15) << 28;
	}
	c->pc += 4;
}

/* CSEL, CSINC, CSINV, CSNEG. */
static void cond_select(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), op2 = BITS(insn, 11, 10);
	uint64_t r;

	if (BIT(insn, 29) || op2 >= 2) {
		cpu_undef(c, insn);
		return;
	}
	if (cond_pass(c->nzcv, BITS(insn, 15, 12))) {
		r = rx(c, BITS(insn, 9, 5));
	} else {
		r = rx(c, BITS(insn, 20, 16));
		if (BIT(insn, 30))
			r = ~r;
		if (op2)
			r += 1;
	}
	wx(c, insn & 31, trunc_sf(r, sf));
	c->pc += 4;
}

static uint64_t bit_reverse(uint64_t v)
{
	v = (v >> 1 & 0x5555555555555555ull) | (v & 0x5555555555555555ull) << 1;
	v = (v >> 2 & 0x3333333333333333ull) | (v & 0x3333333333333333ull) << 2;
	v = (v >> 4 & 0x0f0f0f0f0f0f0f0full) | (v & 0x0f0f0f0f0f0f0f0full) << 4;
	return __builtin_bswap64(v);
}

/* RBIT, REV16, REV32, REV, CLZ, CLS. */
static void dp_1src(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), op = BITS(insn, 15, 10);
	uint64_t a, r;

	if (BIT(insn, 29) || BITS(insn, 20, 16) || op > 5 ||
	    (!sf && op == 3)) {
		/* opcode2 = 00001 is FEAT_PAuth; 0010xx FEAT_CSSC. */
		cpu_undef(c, insn);
		return;
	}
	a = rx(c, BITS(insn, 9, 5));
	if (!sf)
		a = (uint32_t)a;
	switch (op) {
	case 0:                                 /* RBIT */
		r = bit_reverse(a);
		if (!sf)
			r >>= 32;
		break;
	case 1:                                 /* REV16: bytes in halfwords */
		r = (a >> 8 & 0x00ff00ff00ff00ffull) |
		    (a & 0x00ff00ff00ff00ffull) << 8;
		break;
	case 2:                                 /* REV32 (64), REV (32) */
		r = __builtin_bswap64(a);
		r = r >> 32 | r << 32;
		break;
	case 3:                                 /* REV (64) */
		r = __builtin_bswap64(a);
		break;
	case 4:                                 /* CLZ */
		if (sf)
			r = a ? __builtin_clzll(a) : 64;
		else
			r = a ? __builtin_clz((uint32_t)a) : 32;
		break;
	default:                                /* CLS */
		/* CountLeadingSignBits(x) = CLZ(x<N-1:1> EOR x<N-2:0>).
		 * XOR with the sign makes the top bit 0; dropping it and
		 * appending a 1 gives the same count without a zero test. */
		if (sf) {
			a ^= (uint64_t)((int64_t)a >> 63);
			r = __builtin_clzll(a << 1 | 1);
		} else {
			uint32_t w = (uint32_t)a ^ (uint32_t)((int32_t)a >> 31);
			r = __builtin_clz(w << 1 | 1);
		}
		break;
	}
	wx(c, insn & 31, trunc_sf(r, sf));
	c->pc += 4;
}

/* CRC32/CRC32C (Arm ARM "CRC32"): bit-reflected CRC of the low `bytes`
 * of val into acc, no pre- or post-inversion. The reflected polynomials
 * are 0xEDB88320 (CRC-32) and 0x82F63B78 (CRC-32C). One table lookup
 * per byte; the tables are filled before main(). */
static uint32_t crc_table[2][256];

__attribute__((constructor)) static void crc_tables_init(void)
{
	static const uint32_t poly[2] = { 0xEDB88320u, 0x82F63B78u };

	for (unsigned p = 0; p < 2; p++)
		for (uint32_t b = 0; b < 256; b++) {
			uint32_t r = b;
			for (unsigned i = 0; i < 8; i++)
				r = (r >> 1) ^ (poly[p] & -(r & 1));
			crc_table[p][b] = r;
		}
}

static uint32_t crc32_update(uint32_t acc, uint64_t val, unsigned bytes,
			     unsigned castagnoli)
{
	const uint32_t *t = crc_table[castagnoli];

	for (unsigned i = 0; i < bytes; i++, val >>= 8)
		acc = (acc >> 8) ^ t[(acc ^ val) & 0xff];
	return acc;
}

/* Two's complement INT_MIN / -1 and x / 0 are well defined in A64:
 * the quotient is INT_MIN resp. 0 (Arm ARM "SDIV", "UDIV"). */
static uint64_t div_op(uint64_t a, uint64_t b, unsigned sgn, unsigned sf)
{
	if (!sf) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	if (b == 0)
		return 0;
	if (!sgn)
		return a / b;
	if (sf) {
		if ((int64_t)b == -1)
			return -a;
		return (uint64_t)((int64_t)a / (int64_t)b);
	}
	if ((int32_t)b == -1)
		return (uint32_t)-a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

/* UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32*. */
static void dp_2src(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), op = BITS(insn, 15, 10);
	uint64_t a = rx(c, BITS(insn, 9, 5)), b = rx(c, BITS(insn, 20, 16));
	uint64_t r;

	if (BIT(insn, 29))
		goto undef;
	switch (op) {
	case 2: case 3:
		r = div_op(a, b, op & 1, sf);
		break;
	case 8: case 9: case 10: case 11:
		/* Shift amount is Rm mod datasize. */
		r = shift_reg(a, op & 3, b & (sf ? 63 : 31), sf);
		break;
	case 16: case 17: case 18: case 19:     /* CRC32B/H/W/X */
	case 20: case 21: case 22: case 23: {   /* CRC32CB/H/W/CX */
		unsigned sz = op & 3;
		if (sf != (sz == 3))
			goto undef;
		r = crc32_update((uint32_t)a, b, 1u << sz, (op >> 2) & 1);
		sf = 0;
		break;
	}
	default:
		/* SUBP, IRG, GMI (MTE), PACGA, FEAT_CSSC min/max ... */
		goto undef;
	}
	wx(c, insn & 31, trunc_sf(r, sf));
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH. */
static void dp_3src(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), op31 = BITS(insn, 23, 21);
	unsigned o0 = BIT(insn, 15);
	uint64_t n = rx(c, BITS(insn, 9, 5)), m = rx(c, BITS(insn, 20, 16));
	uint64_t a = rx(c, BITS(insn, 14, 10)), p, r;

	if (BITS(insn, 30, 29) || (!sf && op31))
		goto undef;
	switch (op31) {
	case 0:                                 /* MADD/MSUB */
		p = n * m;
		break;
	case 1:                                 /* SMADDL/SMSUBL */
		p = (uint64_t)((int64_t)(int32_t)n * (int32_t)m);
		break;
	case 5:                                 /* UMADDL/UMSUBL */
		p = (uint64_t)(uint32_t)n * (uint32_t)m;
		break;
	case 2:                                 /* SMULH (Ra ignored) */
		if (o0)
			goto undef;
		r = (uint64_t)(((__int128)(int64_t)n * (int64_t)m) >> 64);
		goto write;
	case 6:                                 /* UMULH */
		if (o0)
			goto undef;
		r = (uint64_t)(((unsigned __int128)n * m) >> 64);
		goto write;
	default:
		goto undef;
	}
	r = trunc_sf(o0 ? a - p : a + p, sf);
write:
	wx(c, insn & 31, r);
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

exec_fn *decode_dp_reg(uint32_t insn)
{
	unsigned op2 = BITS(insn, 24, 21);

	if (!BIT(insn, 28)) {
		static exec_fn *const logical[4] = {
			and_shifted, orr_shifted, eor_shifted, ands_shifted,
		};

		if (!(op2 & 8))
			return logical[BITS(insn, 30, 29)];
		return op2 & 1 ? add_sub_extended : add_sub_shifted;
	}
	if (op2 & 8)
		return dp_3src;
	switch (op2) {
	case 0:
		/* op3 = 000000: ADC/SBC; x00001 RMIF and xx0010 SETF
		 * (FEAT_FlagM) are not implemented. */
		return BITS(insn, 15, 10) == 0 ? add_sub_carry : cpu_undef;
	case 2:
		return cond_compare;
	case 4:
		return cond_select;
	case 6:
		return BIT(insn, 30) ? dp_1src : dp_2src;
	default:
		return cpu_undef;
	}
}

void exec_dp_reg(struct cpu *c, uint32_t insn)
{
	decode_dp_reg(insn)(c, insn);
}
