// Rule: after writing instructions, the I-cache must be invalidated (IC
// IVAU, DSB ISH, ISB): a line of the old code may still be in it (Arm
// ARM B2.4.4; docs/boot-cache-maintenance.md
// "Writing code then running it"). The code is
// run once first, so the old version is in the I-cache.
// expect broken: stale-fetch may I
// expect fixed: none
// expect cause: no-ic-invalidate stale-fetch: DC CVAU, DSB ISH, IC IVAU
//   over the ranges, DSB ISH, ISB after the writes and before the first
//   execution
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, code
	write_code 1                    // version 1, fully synchronised
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	isb
	blr	x9                      // now in the I-cache
	adr	x9, code
	write_code 2                    // version 2
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
#if FIXED
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
#endif
	isb
	blr	x9
	cmp	x0, #2
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"code-no-icivau: ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
