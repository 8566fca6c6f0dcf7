/* Self-relocation: the image is a static PIE linked at 0; the loader may
 * put it anywhere. Runs first, with the MMU off and before anything reads
 * a pointer from memory, so it must itself use only PC-relative addressing
 * (every symbol is hidden: see types.h). */
#include "setup.h"

struct rela {
	u64 offset, info;
	s64 addend;
};
#define R_AARCH64_NONE 0
#define R_AARCH64_RELATIVE 1027

extern struct rela __rela_start[], __rela_end[];

bool apply_relocations(u64 base, u64 *lo, u64 *hi)
{
	*lo = ~0UL;
	*hi = 0;
	for (struct rela *r = __rela_start; r < __rela_end; r++) {
		u32 type = r->info & 0xffffffff;
		if (type == R_AARCH64_NONE)	/* left by the linker: no-op */
			continue;
		if (type != R_AARCH64_RELATIVE)
			return false;
		u64 where = base + r->offset;
		*(u64 *)where = base + r->addend;
		*lo = where < *lo ? where : *lo;
		*hi = where + 8 > *hi ? where + 8 : *hi;
	}
	return true;
}
