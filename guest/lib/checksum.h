/* The checksum of loaded images and handed-over data: FNV-1a over 64-bit
 * little-endian words. The build scripts compute the same one
 * (scripts/fnv64.py); the handoff payload includes this header too. */
#ifndef GUEST_CHECKSUM_H
#define GUEST_CHECKSUM_H

#include <stdint.h>

#define FNV64_INIT 0xcbf29ce484222325UL

static inline uint64_t fnv64_step(uint64_t h, uint64_t word)
{
	return (h ^ word) * 0x100000001b3UL;
}

static inline uint64_t fnv64_words(const uint64_t *p, const uint64_t *end)
{
	uint64_t h = FNV64_INIT;
	for (; p < end; p++)
		h = fnv64_step(h, *p);
	return h;
}

#endif
