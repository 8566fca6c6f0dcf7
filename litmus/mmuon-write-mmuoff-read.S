// Rule: data written through a cacheable mapping must be cleaned to the PoC
// (DC CVAC, DSB) before it is read with the MMU off
// (docs/boot-cache-maintenance.md "Turning the MMU off" step 1;
// docs/boot-cache-maintenance.md "mmu-off-clean"). With M = 0 loads are
// Device accesses that see memory only, and the store may still be only in
// a dirty cache line.
// expect broken: stale-load may M
// expect fixed: none
// expect cause: not-cleaned stale-load: DC CVAC (or CIVAC) over the ranges,
//   then DSB, after the writes and before the non-cacheable read (before
//   the MMU or cache is turned off)
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, value
	mov	x10, #0x1234
	str	x10, [x9]               // cacheable store
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range cvac
	dsb	sy
#endif
	bl	mmu_disable
	ldr	x11, [x9]               // Device load: memory only
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"mmuon-write-mmuoff-read: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
