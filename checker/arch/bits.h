/* arch/: pure architecture facts (bit fields, descriptor formats).
 *
 * Bit fields of instruction words, registers and
 * descriptors, and sign extension. */
#ifndef CHECKER_ARCH_BITS_H
#define CHECKER_ARCH_BITS_H

#include <stdint.h>

/* x[hi:lo], a field of at most 31 bits. */
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(x, n) (((x) >> (n)) & 1u)

/* Sign-extend the low `bits` bits of v (1..64). */
static inline int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

#endif
