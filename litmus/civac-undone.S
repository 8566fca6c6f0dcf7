// Rule: memory that will be written with the MMU off and read with it on
// must be invalidated after M = 0, not before: a clean+invalidate done
// while the cacheable translation is live is undone by any later cacheable
// access, or a speculative refill, before M = 0
// (docs/boot-cache-maintenance.md "Turning the MMU off" step 3;
// docs/boot-cache-maintenance.md "mmu-off-inval"). Both forms make the
// later access; the fixed one invalidates again after M = 0.
// expect broken: stale-load may
// expect fixed: none
// expect cause: not-invalidated stale-load: DC IVAC over the ranges, then
//   DSB, after the writes and before the MMU enable
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, value
	mov	x0, x9
	mov	x1, #8
	dc_range civac                  // clean+invalidate, MMU on
	dsb	sy
	ldr	x12, [x9]               // a later cacheable access refills
	bl	mmu_disable
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range ivac                   // after M = 0: nothing refills now
	dsb	sy
#endif
	mov	x10, #0x99
	str	x10, [x9]               // written with the MMU off
	bl	mmu_enable
	ldr	x11, [x9]               // read cacheably
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"civac-undone: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
