// Rule: under KVM, data written with the MMU off must be invalidated
// after the writes, not only before them: the host's cacheable linear map
// is a live alias of all guest RAM, so a line may be allocated at any
// time, also between an early invalidation and the write, and hold the
// old contents once the MMU is on (docs/model.md "The state at entry",
// kvm). Invalidating before writing (TF-A's order, against an earlier
// stage's dirty lines) is enough under every other contract. Both forms
// invalidate at entry; the fixed one again after the write.
// contract: all
// expect broken: stale-load may
// expect fixed: none
// expect cause: not-invalidated stale-load [kvm]: DC IVAC over the ranges,
//   then DSB, after the writes and before the MMU enable
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
	adr	x9, value
	mov	x0, x9
	mov	x1, #8
	dc_range ivac                   // at entry, before the write
	dsb	sy
	/* The write, MMU off. */
	mov	x10, #0x5a5a
	str	x10, [x9]
#if FIXED
	dmb	sy                      // order the store before the DC
	mov	x0, x9
	mov	x1, #8
	dc_range ivac                   // after the write
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
ok:	.asciz	"inval-before-write: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
