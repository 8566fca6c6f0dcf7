// Not a cache rule: the checker's exit status when the guest itself
// fails (docs/usage.md). The guest reports status 1 in both forms; the
// broken one also reads stale data (the mmuoff-write-cached-read bug).
// `coherent run` must exit with the guest's 1, not 126, and still
// report the finding; run.sh checks the status against this precedence.
// status: 1
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
	adr	x9, value
	mov	x10, #0x5a5a
	str	x10, [x9]               // MMU off
#if FIXED
	dmb	sy
	mov	x0, x9
	mov	x1, #8
	dc_range ivac
	dsb	sy
#endif
	bl	mmu_enable
	ldr	x11, [x9]
	puts	msg
	litmus_exit 1                   // the guest's own failure

	.section .rodata
msg:	.asciz	"exit-precedence: the guest fails on purpose\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
