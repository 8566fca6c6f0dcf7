// Rule: instructions written as data must be cleaned to the PoU (DC
// CVAU, DSB ISH) before the I-cache is invalidated and the code run: the
// instruction side fetches from the PoU, not from the data cache (Arm ARM
// B2.4.4 "Concurrent modification and execution of instructions";
// docs/boot-cache-maintenance.md "codegen").
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
	write_code 42
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
#endif
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	isb
	blr	x9
	cmp	x0, #42
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"code-no-dcvau: ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
