// Rule: a handoff to an image copied over memory that held code must
// invalidate the I-cache (IC IALLU or IVAU over it, DSB, ISB) before
// branching: cleaning the copy to the PoC does not remove old lines from
// the I-cache, and the next image may run with the I-cache on
// (docs/boot-cache-maintenance.md "handoff-ic"). Here the old code was run
// from the destination before the copy, and the handoff keeps SCTLR.I.
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
	write_code 1                    // the old code, run once
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	isb
	blr	x9
	/* The handoff: copy the next image, clean it to the PoC. */
	adr	x9, code
	write_code 2
	mov	x0, x9
	mov	x1, #8
	dc_range civac
	dsb	sy
#if FIXED
	ic	iallu
	dsb	nsh
	isb
#endif
	/* MMU and D-cache off, I-cache left on, then branch. */
	mrs	x0, sctlr_el1
	mov	x1, #(SCTLR_M | SCTLR_C)
	bic	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	blr	x9
	cmp	x0, #2
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"handoff-no-ic: ran the next image\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
