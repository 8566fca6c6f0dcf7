/* Handoff (Linux arm64_relocate_new_kernel, TF-A's image loading): the
 * next image runs with the MMU and caches off, so every byte of it and of
 * what it reads must be in memory at the PoC, and no stale instruction
 * line for its addresses may survive. */
#include "handoff.h"
#include "alloc.h"
#include "cache.h"
#include "libc.h"
#include "sysreg.h"

void handoff_jump(u64 entry, u64 a0, u64 a1, u64 a2, u64 a3, u64 sctlr) __noreturn;

void handoff(const void *image, u64 size, u64 mem_size,
	     const struct mem_range *reads, int nr_reads, const u64 args[4])
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < mem_size)
		order++;
	u8 *dest = alloc_pages(order);
	assert(dest && size <= mem_size);
	memcpy(dest, image, size);
	memset(dest + size, 0, mem_size - size);

	/* The copy is in this PE's cache: clean it to the PoC, where the
	 * next image's MMU-off fetches and loads look, and invalidate it so
	 * no line of it is left to be written back later. [BCM: handoff-clean] */
	dcache_clean_inval_poc((u64)dest, (u64)dest + mem_size);
	/* The I-cache may hold lines of whatever was at dest before; with
	 * SCTLR.I = 0 fetches are non-cacheable, but the next image may turn
	 * it back on. IC IVAU is broadcast to the inner shareable domain; the
	 * DSB completes it, the ISB orders our later fetches. [BCM: handoff-ic] */
	icache_inval_pou((u64)dest, (u64)dest + mem_size);
	isb();
	/* What the next image reads besides itself. [BCM: handoff-reads] */
	for (int i = 0; i < nr_reads; i++)
		dcache_clean_poc(reads[i].start, reads[i].end);

	u64 sctlr = read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C | SCTLR_I);
	handoff_jump((u64)dest, args[0], args[1], args[2], args[3], sctlr);
}
