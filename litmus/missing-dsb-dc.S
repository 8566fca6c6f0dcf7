// Rule: a DC is complete only after a DSB; turning the MMU off and
// reading the cleaned data needs DSB SY between the DC CVAC and the
// access (an ISB does not complete it) (docs/boot-cache-maintenance.md
// "Turning the MMU off" step 1).
// expect broken: missing-barrier
// expect fixed: none
// expect cause: missing-barrier missing-barrier: DSB after the DC by VA over the ranges and before the
//   non-cacheable access
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, value
	mov	x10, #0x42
	str	x10, [x9]
	mov	x0, x9
	mov	x1, #8
	dc_range cvac
#if FIXED
	dsb	sy
#endif
	bl	mmu_disable             // ends with an ISB only
	ldr	x11, [x9]               // Device load
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"missing-dsb-dc: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
