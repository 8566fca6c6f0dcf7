/* Lazy NZCV for the block runner (interp/exec_block.c). A flag-setting
 * inline entry records its operands instead of computing NZCV; the
 * flags are computed only where something reads them. EQ and NE, the
 * conditions compiled loops test most, need only the result; anything
 * else, and every point where code outside the inline entries may see
 * c->nzcv (an executor, a load or store that may take an exception,
 * leaving the runner), materialises it first. AddWithCarry and the
 * logical flags are pure functions of what is recorded, so the value
 * materialised is the one the eager computation would have stored. */
#ifndef CHECKER_LAZY_FLAGS_H
#define CHECKER_LAZY_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "interp/exec_util.h"

/* The kind of the pending record; 0: c->nzcv holds the flags. */
#define LF_NONE 0u
#define LF_ARITH 1u     /* AddWithCarry(a, b, carry) with result r */
#define LF_LOGIC 2u     /* N and Z of r, C = V = 0 */
#define LF_CARRY 4u     /* carry in (subtraction: b is NOT(operand)) */
#define LF_SF 8u        /* 64-bit operation */

/* The helpers are always inlined: called out of line (GCC's choice in
 * the interpreter's own archive) B.cond cost more host instructions
 * than the eager flags (make bench-cpu under cachegrind). */
struct lazy_flags {
	unsigned kind;
	uint64_t a, b, r;
};

static inline __attribute__((always_inline))
uint32_t lazy_nzcv(const struct lazy_flags *l)
{
	uint32_t nzcv;

	if (l->kind & LF_LOGIC)
		return logic_flags(l->r, (l->kind & LF_SF) != 0);
	add_with_carry(l->a, l->b, (l->kind & LF_CARRY) != 0,
		       (l->kind & LF_SF) != 0, &nzcv);
	return nzcv;
}

/* Store the pending flags in c->nzcv. */
static inline __attribute__((always_inline))
void lazy_flush(struct lazy_flags *l, uint32_t *nzcv)
{
	if (__builtin_expect(l->kind != LF_NONE, 0)) {
		*nzcv = lazy_nzcv(l);
		l->kind = LF_NONE;
	}
}

/* The base test of condition pair p (cond >> 1: Z, C, N, V, C && !Z,
 * N == V, N == V && !Z) from a subtraction's or a logical operation's
 * record, in *t; false where it needs the flags. A subtraction a - b0
 * (b is NOT(b0)) has C exactly when a >= b0 unsigned and N == V exactly
 * when a >= b0 signed (Arm ARM "AddWithCarry"); a logical operation has
 * C = V = 0. */
static inline __attribute__((always_inline))
bool lazy_test(const struct lazy_flags *l, unsigned p, int *t)
{
	bool sf = l->kind & LF_SF, logic = l->kind & LF_LOGIC;
	uint64_t ua = sf ? l->a : (uint32_t)l->a;
	uint64_t ub = sf ? ~l->b : (uint32_t)~l->b;
	int64_t sa = sf ? (int64_t)l->a : (int32_t)l->a;
	int64_t sb = sf ? (int64_t)~l->b : (int32_t)~l->b;
	int n = sf ? (int)(l->r >> 63) : (int)((l->r >> 31) & 1);

	switch (p) {
	case 1: *t = logic ? 0 : ua >= ub; return true;
	case 2: *t = n; return true;
	case 4: *t = logic ? 0 : ua > ub; return true;
	case 5: *t = logic ? !n : sa >= sb; return true;
	case 6: *t = logic ? !n && l->r != 0 : sa > sb; return true;
	default: return false;
	}
}

/* The Arm ARM's ConditionHolds(cond) pseudocode on the pending or
 * stored flags. Z is "result is zero" for both record kinds (r is
 * already at the operation's size); additions other than EQ and NE,
 * and VS/VC, take the flags. */
static inline __attribute__((always_inline))
int lazy_cond(struct lazy_flags *l, uint32_t *nzcv,
			    unsigned cond)
{
	int t;

	if (l->kind != LF_NONE) {
		if (cond < 2)
			return (l->r == 0) != cond;
		if (cond >= 14)
			return 1;
		if ((l->kind & (LF_LOGIC | LF_CARRY)) &&
		    lazy_test(l, cond >> 1, &t))
			return t != (int)(cond & 1);
	}
	lazy_flush(l, nzcv);
	return cond_pass(*nzcv, cond);
}

#endif
