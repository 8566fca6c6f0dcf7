/* Scalar floating-point arithmetic, single and double precision (Arm ARM
 * DDI 0487 C4.1 "A64 instruction set encoding", the group "Data
 * Processing -- Scalar Floating-Point and Advanced SIMD", as exec_fp.c;
 * the behaviour is the shared pseudocode's, chapter J1): the classes "Floating-point data-processing (1, 2, 3
 * source)", "compare", "conditional compare", "conditional select",
 * "Conversion between floating-point and integer" and "... and
 * fixed-point"). Firmware (edk2's DXE drivers) uses them; the guest
 * library does not (-mgeneral-regs-only).
 *
 * The host computes in its own IEEE 754 binary32/binary64 types, whose
 * results in round-to-nearest-even equal the Arm ARM's FPRound() for
 * every finite or infinite input. What IEEE leaves to the
 * implementation is done here the Arm way (shared pseudocode
 * FPProcessNaNs, FPDefaultNaN, FPToFixed, FPMax/FPMin): which NaN an
 * operation returns, the default NaN of an invalid operation, the sign
 * of a zero maximum, saturating conversion to integers.
 *
 * Not modelled: FPCR.RMode (rounding is always to nearest, even),
 * FPCR.FZ and AH (denormals are kept), the FPSR cumulative flags and
 * trapped exceptions; half precision (ftype 0b11) is UNDEFINED but for
 * FMOV, FABS and FNEG (bit operations), as without FEAT_FP16, which the
 * PE does not advertise. */
#include <math.h>
#include <string.h>

#include "arch/bits.h"
#include "interp/exec.h"

#define FPCR_DN (1u << 25)

/* An operand: its bit pattern and width (32 or 64). */
static unsigned width(unsigned ftype)
{
	return ftype == 0 ? 32 : ftype == 1 ? 64 : 0;
}

static uint64_t rd_fp(struct cpu *c, unsigned r, unsigned w)
{
	return w == 64 ? (uint64_t)c->v[r] : w == 32 ? (uint32_t)c->v[r]
						      : (uint16_t)c->v[r];
}

/* Scalar writes clear the rest of the vector register. */
static void wr_fp(struct cpu *c, unsigned r, uint64_t x)
{
	c->v[r] = x;
}

static uint64_t sign_bit(unsigned w) { return 1ull << (w - 1); }

static bool is_nan(uint64_t x, unsigned w)
{
	uint64_t mag = x & (sign_bit(w) - 1);

	return w == 64 ? mag > 0x7ff0000000000000ull : mag > 0x7f800000u;
}

/* The top fraction bit: set in a quiet NaN. */
static uint64_t quiet_bit(unsigned w)
{
	return w == 64 ? 1ull << 51 : 1ull << 22;
}

static bool is_snan(uint64_t x, unsigned w)
{
	return is_nan(x, w) && !(x & quiet_bit(w));
}

static uint64_t default_nan(unsigned w)
{
	return w == 64 ? 0x7ff8000000000000ull : 0x7fc00000u;
}

/* FPProcessNaN: a NaN operand, quieted (or the default NaN). */
static uint64_t process_nan(struct cpu *c, uint64_t x, unsigned w)
{
	return c->fpcr & FPCR_DN ? default_nan(w) : x | quiet_bit(w);
}

/* FPProcessNaNs(3): signalling NaNs first, then quiet ones, each in
 * operand order. Returns true with *out set when an operand is a NaN. */
static bool process_nans(struct cpu *c, const uint64_t *op, unsigned n,
			 unsigned w, uint64_t *out)
{
	for (unsigned i = 0; i < n; i++)
		if (is_snan(op[i], w)) {
			*out = process_nan(c, op[i], w);
			return true;
		}
	for (unsigned i = 0; i < n; i++)
		if (is_nan(op[i], w)) {
			*out = process_nan(c, op[i], w);
			return true;
		}
	return false;
}

static float f32(uint64_t x) { uint32_t b = x; float f; memcpy(&f, &b, 4); return f; }
static double f64(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static uint64_t b32(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }
static uint64_t b64(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

/* A value of either width, exactly, as a double. */
static double to_d(uint64_t x, unsigned w)
{
	return w == 64 ? f64(x) : (double)f32(x);
}

/* An arithmetic result: a NaN from non-NaN operands is an invalid
 * operation, whose result is the default NaN (FPDefaultNaN). */
static uint64_t result(double d, float f, unsigned w)
{
	if (w == 64)
		return isnan(d) ? default_nan(64) : b64(d);
	return isnan(f) ? default_nan(32) : b32(f);
}

/* FPMax / FPMin (FPMaxNum / FPMinNum: a single quiet NaN loses). */
static uint64_t maxmin(struct cpu *c, uint64_t a, uint64_t b, unsigned w,
		       bool max, bool num)
{
	uint64_t op[2] = { a, b }, r;
	double x, y;

	if (num && !is_snan(a, w) && !is_snan(b, w)) {
		if (is_nan(a, w) && !is_nan(b, w))
			return b;
		if (is_nan(b, w) && !is_nan(a, w))
			return a;
	}
	if (process_nans(c, op, 2, w, &r))
		return r;
	x = to_d(a, w);
	y = to_d(b, w);
	if (x == y)   /* equal, or zeros of either sign */
		return max ? a & b : a | b;
	return (x > y) == max ? a : b;
}

/* FMUL FDIV FADD FSUB FMAX FMIN FMAXNM FMINNM FNMUL:
 * M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd. */
static void fp_2src(struct cpu *c, uint32_t insn)
{
	unsigned w = width(BITS(insn, 23, 22)), opc = BITS(insn, 15, 12);
	uint64_t a, b, op[2], r;

	if (BIT(insn, 31) || BIT(insn, 29) || !w || opc > 8) {
		cpu_undef(c, insn);
		return;
	}
	a = rd_fp(c, BITS(insn, 9, 5), w);
	b = rd_fp(c, BITS(insn, 20, 16), w);
	op[0] = a;
	op[1] = b;
	if (opc >= 4 && opc <= 7) {
		r = maxmin(c, a, b, w, !(opc & 1), opc >= 6);
	} else if (process_nans(c, op, 2, w, &r)) {
		;
	} else if (w == 64) {
		double x = f64(a), y = f64(b);

		r = result(opc == 0 || opc == 8 ? x * y : opc == 1 ? x / y :
			   opc == 2 ? x + y : x - y, 0, 64);
	} else {
		float x = f32(a), y = f32(b);

		r = result(0, opc == 0 || opc == 8 ? x * y : opc == 1 ? x / y :
			      opc == 2 ? x + y : x - y, 32);
	}
	/* FNMUL: FPNeg of the product, a NaN included. */
	if (opc == 8)
		r ^= sign_bit(w);
	wr_fp(c, BITS(insn, 4, 0), r);
	c->pc += 4;
}

/* FMADD FMSUB FNMADD FNMSUB: M 0 S 11111 ftype o1 Rm o0 Ra Rn Rd.
 * FPMulAdd(addend, op1, op2) after the negations the encoding asks
 * for (FPNeg flips a NaN's sign too). */
static void fp_3src(struct cpu *c, uint32_t insn)
{
	unsigned w = width(BITS(insn, 23, 22));
	unsigned o1 = BIT(insn, 21), o0 = BIT(insn, 15);
	uint64_t op[3], r;

	if (BIT(insn, 31) || BIT(insn, 29) || !w) {
		cpu_undef(c, insn);
		return;
	}
	op[0] = rd_fp(c, BITS(insn, 14, 10), w);   /* addend */
	op[1] = rd_fp(c, BITS(insn, 9, 5), w);
	op[2] = rd_fp(c, BITS(insn, 20, 16), w);
	if (o1)
		op[0] ^= sign_bit(w);
	if (o0 != o1)
		op[1] ^= sign_bit(w);
	if (process_nans(c, op, 3, w, &r)) {
		/* A quiet NaN addend and infinity times zero: invalid. */
		double m = to_d(op[1], w), n = to_d(op[2], w);

		if (!is_snan(op[0], w) && is_nan(op[0], w) &&
		    !is_nan(op[1], w) && !is_nan(op[2], w) &&
		    ((isinf(m) && n == 0) || (m == 0 && isinf(n))))
			r = default_nan(w);
	} else if (w == 64) {
		r = result(fma(f64(op[1]), f64(op[2]), f64(op[0])), 0, 64);
	} else {
		r = result(0, fmaf(f32(op[1]), f32(op[2]), f32(op[0])), 32);
	}
	wr_fp(c, BITS(insn, 4, 0), r);
	c->pc += 4;
}

/* FPCompare as NZCV: equal 0110, less 1000, greater 0010, unordered
 * 0011. */
static uint32_t compare(uint64_t a, uint64_t b, unsigned w)
{
	double x, y;

	if (is_nan(a, w) || is_nan(b, w))
		return 0x3u << 28;
	x = to_d(a, w);
	y = to_d(b, w);
	return (x == y ? 0x6u : x < y ? 0x8u : 0x2u) << 28;
}

/* FCMP FCMPE: M 0 S 11110 ftype 1 Rm op 1000 Rn opcode2 (bit 3: with
 * zero; bit 4: signalling, which only matters for the flags). */
static void fp_compare(struct cpu *c, uint32_t insn)
{
	unsigned w = width(BITS(insn, 23, 22));
	uint64_t a, b;

	if (BIT(insn, 31) || BIT(insn, 29) || !w || BITS(insn, 15, 14) ||
	    BITS(insn, 2, 0)) {
		cpu_undef(c, insn);
		return;
	}
	a = rd_fp(c, BITS(insn, 9, 5), w);
	b = BIT(insn, 3) ? 0 : rd_fp(c, BITS(insn, 20, 16), w);
	c->nzcv = compare(a, b, w);
	c->pc += 4;
}

/* FCCMP FCCMPE: M 0 S 11110 ftype 1 Rm cond 01 Rn op nzcv. */
static void fp_ccmp(struct cpu *c, uint32_t insn)
{
	unsigned w = width(BITS(insn, 23, 22));

	if (BIT(insn, 31) || BIT(insn, 29) || !w) {
		cpu_undef(c, insn);
		return;
	}
	if (cond_holds(c->nzcv, BITS(insn, 15, 12)))
		c->nzcv = compare(rd_fp(c, BITS(insn, 9, 5), w),
				  rd_fp(c, BITS(insn, 20, 16), w), w);
	else
		c->nzcv = BITS(insn, 3, 0) << 28;
	c->pc += 4;
}

/* FCSEL: M 0 S 11110 ftype 1 Rm cond 11 Rn Rd. */
static void fp_csel(struct cpu *c, uint32_t insn)
{
	unsigned w = width(BITS(insn, 23, 22));
	bool take = cond_holds(c->nzcv, BITS(insn, 15, 12));

	if (BIT(insn, 31) || BIT(insn, 29) || !w) {
		cpu_undef(c, insn);
		return;
	}
	wr_fp(c, BITS(insn, 4, 0),
	      rd_fp(c, take ? BITS(insn, 9, 5) : BITS(insn, 20, 16), w));
	c->pc += 4;
}

/* Round to an integral value in the given FPRounding mode (0 nearest
 * even, 1 towards +inf, 2 towards -inf, 3 towards zero, 4 nearest with
 * ties away). */
static double round_mode(double x, unsigned mode)
{
	switch (mode) {
	case 1: return ceil(x);
	case 2: return floor(x);
	case 3: return trunc(x);
	case 4: return round(x);
	default: return nearbyint(x);   /* the host rounds to nearest even */
	}
}

/* FPCVT between widths: a NaN keeps its sign and top payload bits
 * and is quieted (FPConvertNaN). */
static uint64_t convert(struct cpu *c, uint64_t x, unsigned from, unsigned to)
{
	if (is_nan(x, from)) {
		uint64_t sign = x >> (from - 1), frac;

		if (c->fpcr & FPCR_DN)
			return default_nan(to);
		frac = from == 64 ? (x & 0xfffffffffffffull) >> 29
				  : (x & 0x7fffffull) << 29;
		return to == 64 ? sign << 63 | 0x7ff8000000000000ull | frac
				: sign << 31 | 0x7fc00000u | (frac & 0x3fffff);
	}
	return to == 64 ? b64(to_d(x, from)) : b32((float)f64(x));
}

/* FMOV FABS FNEG FSQRT FCVT FRINT{N,P,M,Z,A,X,I}:
 * M 0 S 11110 ftype 1 opcode 10000 Rn Rd. */
static void fp_1src(struct cpu *c, uint32_t insn)
{
	unsigned ftype = BITS(insn, 23, 22), opc = BITS(insn, 20, 15);
	unsigned w = ftype == 3 && opc <= 2 ? 16 : width(ftype);
	uint64_t x, r;

	if (BIT(insn, 31) || BIT(insn, 29) || !w || opc == 6 || opc == 13 ||
	    opc > 15 || (opc >= 4 && opc <= 7 && width(opc & 3) == w) ||
	    opc == 7) {
		cpu_undef(c, insn);
		return;
	}
	x = rd_fp(c, BITS(insn, 9, 5), w);
	switch (opc) {
	case 0: r = x; break;
	case 1: r = x & ~sign_bit(w); break;
	case 2: r = x ^ sign_bit(w); break;
	case 3:
		if (is_nan(x, w))
			r = process_nan(c, x, w);
		else if (w == 64)
			r = result(sqrt(f64(x)), 0, 64);
		else
			r = result(0, sqrtf(f32(x)), 32);
		break;
	case 4: case 5:
		r = convert(c, x, w, width(opc & 3));
		break;
	default: {   /* 8..15 but 13: FRINTN P M Z A, X, I */
		static const unsigned char mode[8] = { 0, 1, 2, 3, 4, 0, 0, 0 };
		double d;

		if (is_nan(x, w)) {
			r = process_nan(c, x, w);
			break;
		}
		d = round_mode(to_d(x, w), mode[opc - 8]);
		/* copysign: a value rounded to zero keeps its sign. */
		d = copysign(d, to_d(x, w));
		r = w == 64 ? b64(d) : b32((float)d);
		break;
	}
	}
	wr_fp(c, BITS(insn, 4, 0), r);
	c->pc += 4;
}

/* FPToFixed: x * 2^fbits rounded, saturated to a signed or unsigned
 * integer of n bits; a NaN converts to 0. */
static uint64_t to_fixed(uint64_t x, unsigned w, unsigned fbits,
			 unsigned mode, bool is_unsigned, unsigned n)
{
	double d, lim;

	if (is_nan(x, w))
		return 0;
	d = round_mode(ldexp(to_d(x, w), (int)fbits), mode);
	lim = ldexp(1.0, (int)(is_unsigned ? n : n - 1));   /* exact */
	if (is_unsigned) {
		if (d <= 0)
			return 0;
		if (d >= lim)
			return n == 64 ? ~0ull : (1ull << n) - 1;
		return (uint64_t)d;
	}
	if (d >= lim)
		return n == 64 ? 0x7fffffffffffffffull : (1ull << (n - 1)) - 1;
	if (d < -lim)
		return n == 64 ? 0x8000000000000000ull : 0x80000000u;
	return n == 64 ? (uint64_t)(int64_t)d : (uint32_t)(int32_t)d;
}

/* FixedToFP: an n-bit integer divided by 2^fbits, rounded once (the
 * scaling by a power of two is exact: no result is subnormal). */
static uint64_t from_fixed(uint64_t v, unsigned n, bool is_unsigned,
			   unsigned fbits, unsigned w)
{
	double scale = ldexp(1.0, -(int)fbits);

	if (n == 32)
		v = is_unsigned ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
	if (w == 64)
		return b64((is_unsigned ? (double)v : (double)(int64_t)v) * scale);
	return b32((is_unsigned ? (float)v : (float)(int64_t)v) * (float)scale);
}

static void write_int(struct cpu *c, unsigned rd, uint64_t v, unsigned n)
{
	wx(c, rd, n == 64 ? v : (uint32_t)v);
}

/* FP <-> fixed point: sf 0 S 11110 ftype 0 rmode opcode scale Rn Rd:
 * SCVTF/UCVTF (rmode 00, opcode 01x), FCVTZS/FCVTZU (rmode 11,
 * opcode 00x); fbits = 64 - scale, at most the integer's width. */
static void fp_fixed(struct cpu *c, uint32_t insn)
{
	unsigned n = BIT(insn, 31) ? 64 : 32, w = width(BITS(insn, 23, 22));
	unsigned rmode = BITS(insn, 20, 19), opc = BITS(insn, 18, 16);
	unsigned scale = BITS(insn, 15, 10), fbits = 64 - scale;
	unsigned rn = BITS(insn, 9, 5), rd = BITS(insn, 4, 0);

	if (BIT(insn, 29) || !w || fbits > n) {
		cpu_undef(c, insn);
		return;
	}
	if (rmode == 0 && (opc == 2 || opc == 3))
		wr_fp(c, rd, from_fixed(rx(c, rn), n, opc & 1, fbits, w));
	else if (rmode == 3 && opc <= 1)
		write_int(c, rd, to_fixed(rd_fp(c, rn, w), w, fbits, 3, opc,
					  n), n);
	else {
		cpu_undef(c, insn);
		return;
	}
	c->pc += 4;
}

/* FP <-> integer conversions other than FMOV (exec_fp.c):
 * sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd. FCVT{N,P,M,Z}{S,U}
 * (opcode 00x, rmode the direction), SCVTF/UCVTF (rmode 00, opcode
 * 01x), FCVTA{S,U} (rmode 00, opcode 10x). Returns false for the
 * encodings it does not own. */
bool exec_fp_int(struct cpu *c, uint32_t insn)
{
	unsigned n = BIT(insn, 31) ? 64 : 32, w = width(BITS(insn, 23, 22));
	unsigned rmode = BITS(insn, 20, 19), opc = BITS(insn, 18, 16);
	unsigned rn = BITS(insn, 9, 5), rd = BITS(insn, 4, 0);

	if (opc >= 6 || (opc >= 2 && rmode))
		return false;
	if (BIT(insn, 29) || !w) {
		cpu_undef(c, insn);
		return true;
	}
	if (opc <= 1)
		write_int(c, rd, to_fixed(rd_fp(c, rn, w), w, 0, rmode,
					  opc, n), n);
	else if (opc <= 3)
		wr_fp(c, rd, from_fixed(rx(c, rn), n, opc & 1, 0, w));
	else
		write_int(c, rd, to_fixed(rd_fp(c, rn, w), w, 0, 4, opc & 1,
					  n), n);
	c->pc += 4;
	return true;
}

/* The scalar FP classes above; false when insn is in none of them. */
bool exec_fparith(struct cpu *c, uint32_t insn)
{
	if ((insn & 0x5f000000u) == 0x1f000000u)
		fp_3src(c, insn);
	else if ((insn & 0x5f200000u) == 0x1e000000u)
		fp_fixed(c, insn);
	else if ((insn & 0x5f203c00u) == 0x1e202000u)
		fp_compare(c, insn);
	else if ((insn & 0x5f207c00u) == 0x1e204000u)
		fp_1src(c, insn);
	else if ((insn & 0x5f200c00u) == 0x1e200400u)
		fp_ccmp(c, insn);
	else if ((insn & 0x5f200c00u) == 0x1e200800u)
		fp_2src(c, insn);
	else if ((insn & 0x5f200c00u) == 0x1e200c00u)
		fp_csel(c, insn);
	else
		return false;
	return true;
}
