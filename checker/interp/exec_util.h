/* Small inline helpers shared by the integer decode groups: flag
 * arithmetic, condition evaluation, shifts and bit masks. Everything here
 * is on the hot path, so it is header-only and branch-light. */
#ifndef CHECKER_EXEC_UTIL_H
#define CHECKER_EXEC_UTIL_H

#include <stdint.h>

#include "arch/bits.h"
#include "interp/exec.h"

/* Mask of the low n bits, n in 1..64. */
static inline uint64_t ones(unsigned n)
{
	return ~0ull >> (64 - n);
}

/* Rotate right within an element of esize bits (value already masked). */
static inline uint64_t ror_n(uint64_t v, unsigned r, unsigned esize)
{
	if (r == 0)
		return v;
	return ((v >> r) | (v << (esize - r))) & ones(esize);
}

/* Truncate to the operand size: 32-bit forms write Wd zero-extended. */
static inline uint64_t trunc_sf(uint64_t v, unsigned sf)
{
	return sf ? v : (uint32_t)v;
}

/* Arm ARM "AddWithCarry": result and NZCV of a + b + carry at the
 * operand size. Subtraction is a + NOT(b) + 1. */
static inline uint64_t add_with_carry(uint64_t a, uint64_t b, unsigned carry,
				      unsigned sf, uint32_t *nzcv)
{
	uint64_t r;
	uint32_t n, z, cf, v;

	if (sf) {
		r = a + b + carry;
		/* Unsigned carry out: wrapped below a, or equal to a with
		 * carry-in set (b was all ones). */
		cf = carry ? r <= a : r < a;
		n = r >> 63;
		v = ((a ^ r) & (b ^ r)) >> 63;
	} else {
		uint64_t w = (uint64_t)(uint32_t)a + (uint32_t)b + carry;
		r = (uint32_t)w;
		cf = w >> 32;
		n = (r >> 31) & 1;
		v = (((a ^ r) & (b ^ r)) >> 31) & 1;
	}
	z = r == 0;
	*nzcv = n << 31 | z << 30 | cf << 29 | v << 28;
	return r;
}

/* N and Z of a logical result, C = V = 0 (ANDS, BICS, TST). */
static inline uint32_t logic_flags(uint64_t r, unsigned sf)
{
	uint32_t n = sf ? r >> 63 : (r >> 31) & 1;
	return n << 31 | (uint32_t)(r == 0) << 30;
}

/* The Arm ARM's ConditionHolds() as a table: bit `cond` of
 * exec_cond_table[NZCV] is set when that condition passes for that
 * flag value. */
#define COND_N(f) (((f) >> 3) & 1)
#define COND_Z(f) (((f) >> 2) & 1)
#define COND_C(f) (((f) >> 1) & 1)
#define COND_V(f) ((f) & 1)
/* Conditions come in pairs: cond[3:1] picks a base test, cond[0]
 * inverts it, except that 0b1111 (NV) is "always" like 0b1110 (AL). */
#define COND_PAIR(x, b) (((x) << (2 * (b))) | ((!(x)) << (2 * (b) + 1)))
#define COND_MASK(f)                                                    \
	(COND_PAIR(COND_Z(f), 0) |                            /* EQ/NE */ \
	 COND_PAIR(COND_C(f), 1) |                            /* CS/CC */ \
	 COND_PAIR(COND_N(f), 2) |                            /* MI/PL */ \
	 COND_PAIR(COND_V(f), 3) |                            /* VS/VC */ \
	 COND_PAIR(COND_C(f) & !COND_Z(f), 4) |               /* HI/LS */ \
	 COND_PAIR(COND_N(f) == COND_V(f), 5) |               /* GE/LT */ \
	 COND_PAIR((COND_N(f) == COND_V(f)) & !COND_Z(f), 6) | /* GT/LE */ \
	 COND_PAIR(1, 7) | 0x8000)                            /* AL/NV */

extern const uint16_t exec_cond_table[16];

static inline int cond_pass(uint32_t nzcv, unsigned cond)
{
	return (exec_cond_table[nzcv >> 28] >> cond) & 1;
}

#endif
