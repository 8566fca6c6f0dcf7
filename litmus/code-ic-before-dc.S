// Rule: clean the D-side first, then invalidate the I-cache (DC CVAU,
// DSB ISH, IC IVAU, DSB ISH, ISB). Invalidating first lets the I-cache
// refill from the PoU before the new code has been cleaned to it
// (docs/boot-cache-maintenance.md "Writing code then running it").
// expect broken: stale-fetch may
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
	write_code 7
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
#else
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
#endif
	isb
	blr	x9
	cmp	x0, #7
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"code-ic-before-dc: ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
