// Rule: data written with the MMU off must be invalidated to the PoC
// before it is read through a cacheable mapping (docs/boot-cache-maintenance.md
// "boot-inval").
// With the MMU off the store is Device-nGnRnE and goes to memory; a
// clean line of the old contents may sit in a cache (the loader's, or a
// speculative fill) and be hit once the MMU is on.
// expect broken: stale-load may
// expect fixed: none
// expect cause: not-invalidated stale-load: DC IVAC over the ranges, then
//   DSB, after the writes and before the MMU enable
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
	/* The write, MMU off. */
	adr	x9, value
	mov	x10, #0x5a5a
	str	x10, [x9]
#if FIXED
	dmb	sy                      // order the store before the DC
	mov	x0, x9
	mov	x1, #8
	dc_range ivac
	dsb	sy
#endif
	bl	mmu_enable
	/* The read, cacheable. */
	ldr	x11, [x9]
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"mmuoff-write-cached-read: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
