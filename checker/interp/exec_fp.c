/* A64 "Data Processing -- Scalar Floating-Point and Advanced SIMD"
 * (Arm ARM C4.1.9): op0 = insn[28:25] = x111.
 *
 * The guest is built with -mgeneral-regs-only, so SIMD code only comes
 * from prebuilt libraries (Debian's libfdt.a uses SHL, REV32, ADD, DUP,
 * FMOV to/from general registers) and from compiler-generated memcpy /
 * memset / struct copies; scalar FP arithmetic from firmware. What is
 * here is the integer and bitwise part of Advanced SIMD plus the FP
 * register moves; the scalar FP arithmetic is exec_fparith.c's. Anything
 * else is UNDEFINED.
 *
 * Decode is a chain of mask/value tests on the encoding classes, as SIMD
 * is far off the hot path. Writes of a 64-bit vector (Q=0) clear bits
 * 127:64 of the destination, as every SIMD&FP register write does
 * (Arm ARM "V[] assignment", A1.4). */
#include "arch/bits.h"
#include "interp/exec.h"


/* Mask of an element of 1 << esz bytes. */
static inline uint64_t emask(unsigned esz)
{
	return esz >= 3 ? ~0ull : (1ull << (8u << esz)) - 1;
}

static inline uint64_t lane(__uint128_t v, unsigned esz, unsigned i)
{
	return (uint64_t)(v >> (i << (esz + 3))) & emask(esz);
}

static inline __uint128_t set_lane(__uint128_t v, unsigned esz, unsigned i,
				   uint64_t x)
{
	unsigned sh = i << (esz + 3);
	__uint128_t m = (__uint128_t)emask(esz) << sh;

	return (v & ~m) | (((__uint128_t)(x & emask(esz))) << sh);
}

/* x replicated into every element of a 64-bit value. */
static inline uint64_t rep64(uint64_t x, unsigned esz)
{
	static const uint64_t mul[4] = { 0x0101010101010101ull,
					 0x0001000100010001ull,
					 0x0000000100000001ull, 1 };

	return (x & emask(esz)) * mul[esz];
}

static inline __uint128_t dup128(uint64_t x64, unsigned q)
{
	return q ? (__uint128_t)x64 << 64 | x64 : x64;
}

/* Write a vector result of 64 (q=0) or 128 bits. */
static inline void wvec(struct cpu *c, unsigned rd, __uint128_t v, unsigned q)
{
	c->v[rd] = q ? v : (uint64_t)v;
}

static inline unsigned lanes_of(unsigned q, unsigned esz)
{
	return (8u << q) >> esz;
}

/* VFPExpandImm() (Arm ARM shared pseudocode) for N = 16, 32, 64 bits. */
static uint64_t vfp_expand_imm(unsigned imm8, unsigned n)
{
	uint64_t a = imm8 >> 7, b = (imm8 >> 6) & 1, cd = (imm8 >> 4) & 3;
	uint64_t efgh = imm8 & 15;

	switch (n) {
	case 16:
		return a << 15 | (b ^ 1) << 14 | (b ? 3ull : 0) << 12 |
		       cd << 10 | efgh << 6;
	case 32:
		return a << 31 | (b ^ 1) << 30 | (b ? 0x1full : 0) << 25 |
		       cd << 23 | efgh << 19;
	default:
		return a << 63 | (b ^ 1) << 62 | (b ? 0xffull : 0) << 54 |
		       cd << 52 | efgh << 48;
	}
}

/* ---- Advanced SIMD modified immediate: MOVI, MVNI, ORR, BIC, FMOV ----
 * 0 Q op 0111100000 abc cmode o2 1 defgh Rd; AdvSIMDExpandImm(). */
static void simd_modimm(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), op = BIT(insn, 29), cmode = BITS(insn, 15, 12);
	unsigned imm8 = BITS(insn, 18, 16) << 5 | BITS(insn, 9, 5);
	unsigned rd = BITS(insn, 4, 0);
	uint64_t imm;
	__uint128_t v, d = c->v[rd];

	if (BIT(insn, 11)) { /* o2: only FMOV (vector, half-precision) */
		if (op || cmode != 15) {
			cpu_undef(c, insn);
			return;
		}
		wvec(c, rd, dup128(rep64(vfp_expand_imm(imm8, 16), 1), 1), q);
		c->pc += 4;
		return;
	}
	switch (cmode >> 1) {
	case 0: case 1: case 2: case 3: /* 32-bit, shifted by 0..24 */
		imm = rep64((uint64_t)imm8 << (8 * (cmode >> 1)), 2);
		break;
	case 4: case 5: /* 16-bit, shifted by 0 or 8 */
		imm = rep64((uint64_t)imm8 << (8 * ((cmode >> 1) & 1)), 1);
		break;
	case 6: /* 32-bit, "shifting ones" (MSL) */
		imm = rep64(cmode & 1 ? (uint64_t)imm8 << 16 | 0xffff
				      : (uint64_t)imm8 << 8 | 0xff, 2);
		break;
	default:
		if (!(cmode & 1)) {
			if (!op) {
				imm = rep64(imm8, 0);
			} else { /* each bit of imm8 -> one byte */
				imm = 0;
				for (unsigned i = 0; i < 8; i++)
					if (imm8 & (1u << i))
						imm |= 0xffull << (8 * i);
			}
		} else if (!op) {
			imm = rep64(vfp_expand_imm(imm8, 32), 2);
		} else {
			if (!q) {
				cpu_undef(c, insn);
				return;
			}
			imm = vfp_expand_imm(imm8, 64);
		}
		break;
	}
	v = dup128(imm, 1);
	if (cmode < 12 && (cmode & 1))
		d = op ? d & ~v : d | v;    /* BIC / ORR */
	else if (op && cmode < 14)
		d = ~v;                     /* MVNI */
	else
		d = v;                      /* MOVI, FMOV */
	wvec(c, rd, d, q);
	c->pc += 4;
}

/* ---- Advanced SIMD copy: DUP, INS, UMOV, SMOV ----
 * 0 Q op 01110000 imm5 0 imm4 1 Rn Rd. */
static void simd_copy(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), imm5 = BITS(insn, 20, 16);
	unsigned imm4 = BITS(insn, 14, 11), rn = BITS(insn, 9, 5);
	unsigned rd = BITS(insn, 4, 0), esz, idx;
	uint64_t x;

	if (!(imm5 & 15))
		goto undef;
	esz = (unsigned)__builtin_ctz(imm5);
	idx = imm5 >> (esz + 1);
	if (BIT(insn, 29)) { /* INS (element) */
		if (!q)
			goto undef;
		x = lane(c->v[rn], esz, imm4 >> esz);
		c->v[rd] = set_lane(c->v[rd], esz, idx, x);
		c->pc += 4;
		return;
	}
	switch (imm4) {
	case 0: /* DUP (element) */
	case 1: /* DUP (general) */
		if (esz == 3 && !q)
			goto undef;
		x = imm4 ? rx(c, rn) : lane(c->v[rn], esz, idx);
		wvec(c, rd, dup128(rep64(x, esz), q), q);
		break;
	case 3: /* INS (general) */
		if (!q)
			goto undef;
		c->v[rd] = set_lane(c->v[rd], esz, idx, rx(c, rn));
		break;
	case 5: /* SMOV */
		if (esz >= 2 + q)
			goto undef;
		x = (uint64_t)sext(lane(c->v[rn], esz, idx), 8u << esz);
		wx(c, rd, q ? x : (uint32_t)x);
		break;
	case 7: /* UMOV: W from B/H/S, X from D only */
		if (q ? esz != 3 : esz == 3)
			goto undef;
		wx(c, rd, lane(c->v[rn], esz, idx));
		break;
	default:
		goto undef;
	}
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* Advanced SIMD scalar copy: DUP (element), alias MOV Vd, Vn.T[i]. */
static void scalar_copy(struct cpu *c, uint32_t insn)
{
	unsigned imm5 = BITS(insn, 20, 16), esz;

	if (BIT(insn, 29) || BITS(insn, 14, 11) || !(imm5 & 15)) {
		cpu_undef(c, insn);
		return;
	}
	esz = (unsigned)__builtin_ctz(imm5);
	c->v[BITS(insn, 4, 0)] = lane(c->v[BITS(insn, 9, 5)], esz,
				     imm5 >> (esz + 1));
	c->pc += 4;
}

/* ---- three registers, same type (vector and scalar) ----
 * 0 Q U 01110 size 1 Rm opcode 1 Rn Rd / 01 U 11110 size 1 Rm opcode 1. */
static void three_same(struct cpu *c, uint32_t insn, bool scalar)
{
	unsigned q = scalar ? 0 : BIT(insn, 30), u = BIT(insn, 29);
	unsigned esz = BITS(insn, 23, 22), opcode = BITS(insn, 15, 11);
	unsigned rd = BITS(insn, 4, 0), bits = 8u << esz, lanes, half;
	__uint128_t n = c->v[BITS(insn, 9, 5)], m = c->v[BITS(insn, 20, 16)];
	__uint128_t d = c->v[rd], r = 0;

	if (opcode == 3) { /* bitwise: the size field selects the op */
		if (scalar)
			goto undef;
		switch (u << 2 | esz) {
		case 0: r = n & m; break;                 /* AND */
		case 1: r = n & ~m; break;                /* BIC */
		case 2: r = n | m; break;                 /* ORR, MOV */
		case 3: r = n | ~m; break;                /* ORN */
		case 4: r = n ^ m; break;                 /* EOR */
		case 5: r = (d & n) | (~d & m); break;    /* BSL */
		case 6: r = (d & ~m) | (n & m); break;    /* BIT */
		default: r = (d & m) | (n & ~m); break;   /* BIF */
		}
		wvec(c, rd, r, q);
		c->pc += 4;
		return;
	}
	if (scalar) {
		/* Only the D-sized integer forms exist as scalars. */
		if (esz != 3 || !(opcode == 16 || opcode == 17 ||
				  opcode == 6 || opcode == 7))
			goto undef;
		lanes = 1;
	} else {
		if ((esz == 3 && !q) || (opcode == 23 && u))
			goto undef;
		lanes = lanes_of(q, esz);
	}
	half = lanes / 2;
	for (unsigned i = 0; i < lanes; i++) {
		uint64_t a = lane(n, esz, i), b = lane(m, esz, i), x;
		unsigned key = opcode << 1 | u;

		if (opcode == 20 || opcode == 21 || opcode == 23) {
			/* Pairwise: adjacent elements of Vm:Vn. */
			__uint128_t src = i < half ? n : m;
			unsigned j = (i % half) * 2;

			a = lane(src, esz, j);
			b = lane(src, esz, j + 1);
			key = (opcode == 23 ? 16 : opcode - 8) << 1 | u;
		}
		switch (key) {
		case 16 << 1 | 0: x = a + b; break;            /* ADD */
		case 16 << 1 | 1: x = a - b; break;            /* SUB */
		case 17 << 1 | 0: x = (a & b) ? ~0ull : 0; break; /* CMTST */
		case 17 << 1 | 1: x = a == b ? ~0ull : 0; break;  /* CMEQ */
		case 6 << 1 | 0:                               /* CMGT */
			x = (int64_t)(uint64_t)sext(a, bits) > (int64_t)(uint64_t)sext(b, bits) ? ~0ull
									 : 0;
			break;
		case 6 << 1 | 1: x = a > b ? ~0ull : 0; break;    /* CMHI */
		case 7 << 1 | 0:                               /* CMGE */
			x = (int64_t)(uint64_t)sext(a, bits) >= (int64_t)(uint64_t)sext(b, bits) ? ~0ull
									  : 0;
			break;
		case 7 << 1 | 1: x = a >= b ? ~0ull : 0; break;   /* CMHS */
		case 12 << 1 | 0:                              /* SMAX(P) */
			if (esz == 3)
				goto undef;
			x = (int64_t)(uint64_t)sext(a, bits) > (int64_t)(uint64_t)sext(b, bits) ? a : b;
			break;
		case 12 << 1 | 1:                              /* UMAX(P) */
			if (esz == 3)
				goto undef;
			x = a > b ? a : b;
			break;
		case 13 << 1 | 0:                              /* SMIN(P) */
			if (esz == 3)
				goto undef;
			x = (int64_t)(uint64_t)sext(a, bits) < (int64_t)(uint64_t)sext(b, bits) ? a : b;
			break;
		case 13 << 1 | 1:                              /* UMIN(P) */
			if (esz == 3)
				goto undef;
			x = a < b ? a : b;
			break;
		case 19 << 1 | 0:                              /* MUL */
			if (esz == 3)
				goto undef;
			x = a * b;
			break;
		default:
			goto undef;
		}
		r = set_lane(r, esz, i, x);
	}
	wvec(c, rd, r, q);
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* ---- two-register miscellaneous (vector) ----
 * 0 Q U 01110 size 10000 opcode 10 Rn Rd. */
static void two_misc(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), u = BIT(insn, 29), esz = BITS(insn, 23, 22);
	unsigned rd = BITS(insn, 4, 0), bits = 8u << esz;
	unsigned lanes = lanes_of(q, esz), key = u << 5 | BITS(insn, 16, 12);
	__uint128_t n = c->v[BITS(insn, 9, 5)], r = 0;
	unsigned cont; /* REV container size, log2 bytes */

	switch (key) {
	case 0x00: cont = 3; goto rev;                 /* REV64 */
	case 0x20: cont = 2; goto rev;                 /* REV32 */
	case 0x01: cont = 1; goto rev;                 /* REV16 */
	case 0x05:                                     /* CNT */
		if (esz)
			goto undef;
		for (unsigned i = 0; i < lanes; i++)
			r = set_lane(r, 0, i,
				     (uint64_t)__builtin_popcount(
					     (unsigned)lane(n, 0, i)));
		break;
	case 0x25:                                     /* NOT, RBIT */
		if (esz == 0) {
			r = ~n;
		} else if (esz == 1) {
			for (unsigned i = 0; i < lanes_of(q, 0); i++) {
				unsigned b = (unsigned)lane(n, 0, i), o = 0;

				for (unsigned k = 0; k < 8; k++)
					o |= ((b >> k) & 1) << (7 - k);
				r = set_lane(r, 0, i, o);
			}
		} else {
			goto undef;
		}
		break;
	case 0x08: case 0x28: case 0x09: case 0x29: case 0x0a:
	case 0x0b: case 0x2b:
		/* compares against zero, ABS, NEG */
		if (esz == 3 && !q)
			goto undef;
		for (unsigned i = 0; i < lanes; i++) {
			int64_t s = (int64_t)(uint64_t)sext(lane(n, esz, i), bits);
			uint64_t x;

			switch (key) {
			case 0x08: x = s > 0 ? ~0ull : 0; break;   /* CMGT */
			case 0x28: x = s >= 0 ? ~0ull : 0; break;  /* CMGE */
			case 0x09: x = s == 0 ? ~0ull : 0; break;  /* CMEQ */
			case 0x29: x = s <= 0 ? ~0ull : 0; break;  /* CMLE */
			case 0x0a: x = s < 0 ? ~0ull : 0; break;   /* CMLT */
			case 0x0b: x = s < 0 ? -(uint64_t)s : (uint64_t)s;
				break;                             /* ABS */
			default: x = -(uint64_t)s; break;          /* NEG */
			}
			r = set_lane(r, esz, i, x);
		}
		break;
	case 0x02: case 0x22:                          /* SADDLP, UADDLP */
		if (esz == 3)
			goto undef;
		for (unsigned i = 0; i < lanes / 2; i++) {
			uint64_t a = lane(n, esz, 2 * i), b = lane(n, esz, 2 * i + 1);

			if (!u) {
				a = (uint64_t)sext(a, bits);
				b = (uint64_t)sext(b, bits);
			}
			r = set_lane(r, esz + 1, i, a + b);
		}
		break;
	case 0x12:                                     /* XTN, XTN2 */
		if (esz == 3)
			goto undef;
		for (unsigned i = 0; i < lanes_of(0, esz); i++)
			r = set_lane(r, esz, i, lane(n, esz + 1, i));
		if (q) /* XTN2: upper half, lower half kept */
			r = r << 64 | (uint64_t)c->v[rd];
		break;
	default:
		goto undef;
	}
	wvec(c, rd, r, q);
	c->pc += 4;
	return;
rev:
	if (esz >= cont)
		goto undef;
	for (unsigned i = 0; i < lanes; i++)
		r = set_lane(r, esz, i ^ ((1u << (cont - esz)) - 1),
			     lane(n, esz, i));
	wvec(c, rd, r, q);
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* ---- across lanes: ADDV, SADDLV/UADDLV, S/UMAXV, S/UMINV ----
 * 0 Q U 01110 size 11000 opcode 10 Rn Rd. */
static void across_lanes(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), u = BIT(insn, 29), esz = BITS(insn, 23, 22);
	unsigned opcode = BITS(insn, 16, 12), bits = 8u << esz;
	unsigned lanes = lanes_of(q, esz), resz = esz;
	__uint128_t n = c->v[BITS(insn, 9, 5)];
	uint64_t acc;

	if (esz == 3 || (esz == 2 && !q) ||
	    !(opcode == 3 || opcode == 10 || opcode == 26 ||
	      (opcode == 27 && !u)))
		goto undef;
	acc = u ? lane(n, esz, 0) : (uint64_t)sext(lane(n, esz, 0), bits);
	for (unsigned i = 1; i < lanes; i++) {
		uint64_t x = u ? lane(n, esz, i) : (uint64_t)sext(lane(n, esz, i), bits);

		switch (opcode) {
		case 3: case 27: acc += x; break;
		case 10: acc = u ? (x > acc ? x : acc)
				 : ((int64_t)x > (int64_t)acc ? x : acc);
			break;
		default: acc = u ? (x < acc ? x : acc)
				 : ((int64_t)x < (int64_t)acc ? x : acc);
			break;
		}
	}
	if (opcode == 3)
		resz = esz + 1; /* the long forms widen */
	c->v[BITS(insn, 4, 0)] = acc & emask(resz);
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* ---- permute: UZP1/2, TRN1/2, ZIP1/2 ----
 * 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd. */
static void permute(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), esz = BITS(insn, 23, 22);
	unsigned op = BITS(insn, 13, 12), part = BIT(insn, 14);
	unsigned lanes = lanes_of(q, esz);
	__uint128_t n = c->v[BITS(insn, 9, 5)], m = c->v[BITS(insn, 20, 16)];
	__uint128_t r = 0;

	if (!op || (esz == 3 && !q)) {
		cpu_undef(c, insn);
		return;
	}
	for (unsigned i = 0; i < lanes; i++) {
		uint64_t x;

		if (op == 1) {          /* UZP: even/odd elements of Vm:Vn */
			unsigned j = 2 * i + part;

			x = lane(j < lanes ? n : m, esz, j % lanes);
		} else if (op == 2) {   /* TRN */
			x = lane(i & 1 ? m : n, esz, (i & ~1u) + part);
		} else {                /* ZIP */
			x = lane(i & 1 ? m : n, esz, part * lanes / 2 + i / 2);
		}
		r = set_lane(r, esz, i, x);
	}
	wvec(c, BITS(insn, 4, 0), r, q);
	c->pc += 4;
}

/* EXT: bytes imm4.. of Vm:Vn. */
static void ext(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), pos = 8 * BITS(insn, 14, 11);
	__uint128_t n = c->v[BITS(insn, 9, 5)], m = c->v[BITS(insn, 20, 16)], r;

	if (!q && pos >= 64) {
		cpu_undef(c, insn);
		return;
	}
	if (!q)
		r = (((__uint128_t)(uint64_t)m << 64 | (uint64_t)n) >> pos);
	else if (pos)
		r = n >> pos | m << (128 - pos);
	else
		r = n;
	wvec(c, BITS(insn, 4, 0), r, q);
	c->pc += 4;
}

/* TBL/TBX: byte table lookup in 1-4 consecutive registers. */
static void tbl(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), len = BITS(insn, 14, 13) + 1;
	unsigned rn = BITS(insn, 9, 5), rd = BITS(insn, 4, 0);
	__uint128_t idx = c->v[BITS(insn, 20, 16)], d = c->v[rd], r = 0;

	for (unsigned i = 0; i < (8u << q); i++) {
		unsigned k = (unsigned)lane(idx, 0, i);
		uint64_t x;

		if (k < 16 * len)
			x = lane(c->v[(rn + k / 16) & 31], 0, k % 16);
		else
			x = BIT(insn, 12) ? lane(d, 0, i) : 0; /* TBX keeps */
		r = set_lane(r, 0, i, x);
	}
	wvec(c, rd, r, q);
	c->pc += 4;
}

/* ---- shift by immediate (vector and scalar) ----
 * 0 Q U 011110 immh immb opcode 1 Rn Rd / 01 U 111110 immh immb ...;
 * immh's top set bit gives the element size (C4.1.9, "Advanced SIMD
 * shift by immediate"). */
static void shift_imm(struct cpu *c, uint32_t insn, bool scalar)
{
	unsigned q = scalar ? 0 : BIT(insn, 30), u = BIT(insn, 29);
	unsigned immh = BITS(insn, 22, 19), immhb = BITS(insn, 22, 16);
	unsigned opcode = BITS(insn, 15, 11), rd = BITS(insn, 4, 0);
	unsigned esz, bits, lanes, sh;
	__uint128_t n = c->v[BITS(insn, 9, 5)], d = c->v[rd], r = 0;

	if (!immh)
		goto undef;
	esz = 31 - (unsigned)__builtin_clz(immh);
	bits = 8u << esz;
	if (opcode == 0x14 || opcode == 0x10) {
		/* SSHLL/USHLL (UXTL, SXTL) and SHRN: long/narrow, vector */
		if (scalar || esz == 3 || (opcode == 0x10 && u))
			goto undef;
		if (opcode == 0x14) {
			uint64_t src = (uint64_t)(q ? n >> 64 : n);

			sh = immhb - bits;
			for (unsigned i = 0; i < lanes_of(0, esz); i++) {
				uint64_t x = lane(src, esz, i);

				if (!u)
					x = (uint64_t)sext(x, bits);
				r = set_lane(r, esz + 1, i, x << sh);
			}
			c->v[rd] = r;
		} else {
			sh = 2 * bits - immhb;
			for (unsigned i = 0; i < lanes_of(0, esz); i++)
				r = set_lane(r, esz, i,
					     lane(n, esz + 1, i) >> sh);
			c->v[rd] = q ? (r << 64 | (uint64_t)d) : r;
		}
		c->pc += 4;
		return;
	}
	if (scalar ? esz != 3 : (esz == 3 && !q))
		goto undef;
	lanes = scalar ? 1 : lanes_of(q, esz);
	for (unsigned i = 0; i < lanes; i++) {
		uint64_t a = lane(n, esz, i), x;

		switch (opcode << 1 | u) {
		case 0x00 << 1 | 0: case 0x02 << 1 | 0: /* SSHR, SSRA */
			sh = 2 * bits - immhb;
			x = (uint64_t)((int64_t)(uint64_t)sext(a, bits) >>
				       (sh > 63 ? 63 : sh));
			break;
		case 0x00 << 1 | 1: case 0x02 << 1 | 1: /* USHR, USRA */
			sh = 2 * bits - immhb;
			x = sh > 63 ? 0 : a >> sh;
			break;
		case 0x0a << 1 | 0:                     /* SHL */
			x = a << (immhb - bits);
			break;
		default:
			goto undef;
		}
		if (opcode == 0x02) /* accumulate */
			x += lane(d, esz, i);
		r = set_lane(r, esz, i, x);
	}
	wvec(c, rd, r, q);
	c->pc += 4;
	return;
undef:
	cpu_undef(c, insn);
}

/* ---- scalar FP register moves ---- */

/* FMOV between general and FP registers (C4.1.9 "Conversion between
 * floating-point and integer"): sf 0 S 11110 ftype 1 rmode opcode 000000. */
static void fmov_general(struct cpu *c, uint32_t insn)
{
	unsigned rn = BITS(insn, 9, 5), rd = BITS(insn, 4, 0);
	unsigned key = BIT(insn, 31) << 7 | BITS(insn, 23, 22) << 5 |
		       BITS(insn, 20, 19) << 3 | BITS(insn, 18, 16);

	if (BIT(insn, 29)) {
		cpu_undef(c, insn);
		return;
	}
	switch (key) {
	case 0 << 7 | 0 << 5 | 0 << 3 | 6: /* FMOV Wd, Sn */
		wx(c, rd, (uint32_t)c->v[rn]);
		break;
	case 0 << 7 | 0 << 5 | 0 << 3 | 7: /* FMOV Sd, Wn */
		c->v[rd] = (uint32_t)rx(c, rn);
		break;
	case 1 << 7 | 1 << 5 | 0 << 3 | 6: /* FMOV Xd, Dn */
		wx(c, rd, (uint64_t)c->v[rn]);
		break;
	case 1 << 7 | 1 << 5 | 0 << 3 | 7: /* FMOV Dd, Xn */
		c->v[rd] = rx(c, rn);
		break;
	case 1 << 7 | 2 << 5 | 1 << 3 | 6: /* FMOV Xd, Vn.D[1] */
		wx(c, rd, (uint64_t)(c->v[rn] >> 64));
		break;
	case 1 << 7 | 2 << 5 | 1 << 3 | 7: /* FMOV Vd.D[1], Xn: D[0] kept */
		c->v[rd] = (__uint128_t)rx(c, rn) << 64 | (uint64_t)c->v[rd];
		break;
	case 0 << 7 | 3 << 5 | 0 << 3 | 6: /* FMOV Wd, Hn */
	case 1 << 7 | 3 << 5 | 0 << 3 | 6: /* FMOV Xd, Hn */
		wx(c, rd, (uint16_t)c->v[rn]);
		break;
	case 0 << 7 | 3 << 5 | 0 << 3 | 7: /* FMOV Hd, Wn */
	case 1 << 7 | 3 << 5 | 0 << 3 | 7: /* FMOV Hd, Xn */
		c->v[rd] = (uint16_t)rx(c, rn);
		break;
	default: /* conversions: exec_fp_int(), before */
		cpu_undef(c, insn);
		return;
	}
	c->pc += 4;
}

/* Element size in bits of a scalar FP ftype; 0 if unallocated. */
static unsigned ftype_bits(unsigned ftype)
{
	static const unsigned char b[4] = { 32, 64, 0, 16 };

	return b[ftype];
}

/* FMOV (scalar, immediate): M 0 S 11110 ftype 1 imm8 100 00000 Rd. */
static void fmov_imm(struct cpu *c, uint32_t insn)
{
	unsigned bits = ftype_bits(BITS(insn, 23, 22));

	if (BIT(insn, 31) || BIT(insn, 29) || !bits) {
		cpu_undef(c, insn);
		return;
	}
	c->v[BITS(insn, 4, 0)] = vfp_expand_imm(BITS(insn, 20, 13), bits);
	c->pc += 4;
}

void exec_fp(struct cpu *c, uint32_t insn)
{
	if (!cpu_fp_check(c, insn))
		return;
	if ((insn & 0x9ff80400u) == 0x0f000400u)
		simd_modimm(c, insn);
	else if ((insn & 0x9f800400u) == 0x0f000400u)
		shift_imm(c, insn, false);
	else if ((insn & 0xdf800400u) == 0x5f000400u)
		shift_imm(c, insn, true);
	else if ((insn & 0x9fe08400u) == 0x0e000400u)
		simd_copy(c, insn);
	else if ((insn & 0xdfe08400u) == 0x5e000400u)
		scalar_copy(c, insn);
	else if ((insn & 0x9f200400u) == 0x0e200400u)
		three_same(c, insn, false);
	else if ((insn & 0xdf200400u) == 0x5e200400u)
		three_same(c, insn, true);
	else if ((insn & 0x9f3e0c00u) == 0x0e200800u)
		two_misc(c, insn);
	else if ((insn & 0x9f3e0c00u) == 0x0e300800u)
		across_lanes(c, insn);
	else if ((insn & 0xbf208c00u) == 0x0e000800u)
		permute(c, insn);
	else if ((insn & 0xbfe08400u) == 0x2e000000u)
		ext(c, insn);
	else if ((insn & 0xbfe08c00u) == 0x0e000000u)
		tbl(c, insn);
	else if ((insn & 0x5f20fc00u) == 0x1e200000u) {
		if (!exec_fp_int(c, insn))
			fmov_general(c, insn);
	} else if ((insn & 0x5f201fe0u) == 0x1e201000u)
		fmov_imm(c, insn);
	else if (!exec_fparith(c, insn))
		cpu_undef(c, insn);
}
