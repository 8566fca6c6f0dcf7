// Rule: what is read with the MMU off (or by another master) needs a
// clean to the PoC; DC CVAU only reaches the PoU and may leave the data
// dirty in a system cache beyond it (docs/boot-cache-maintenance.md
// "Architectural facts" fact 5).
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
	mov	x10, #0x77
	str	x10, [x9]
	mov	x0, x9
	mov	x1, #8
#if FIXED
	dc_range cvac                   // to the PoC
#else
	dc_range cvau                   // only to the PoU
#endif
	dsb	sy
	bl	mmu_disable
	ldr	x11, [x9]
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"clean-pou-not-poc: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
