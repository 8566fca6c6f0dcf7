// Rule: code written with the MMU off reaches memory only; before it is
// fetched with the caches on, both the data-side copies (a clean line of
// the old contents at the PoU) and the I-cache's must be invalidated:
// DC IVAC, DSB, IC IVAU, DSB, ISB (Arm ARM DDI 0487 K.a B2.4.4; B2.8
// "Mismatched memory attributes" for the non-cacheable write beside a
// cacheable copy). U-Boot relocates itself this way with its caches off
// and, finding them off, skips the maintenance in relocate_done.
// expect broken: stale-fetch may
// expect fixed: none
// expect cause: not-invalidated stale-fetch: IC IVAU (and DC IVAC) over
//   the ranges, then DSB and ISB, after the writes and before the MMU or
//   I-cache enable
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
	/* The new code, MMU off: the old one is the image's. */
	adr	x9, code
	write_code 2
#if FIXED
	dmb	sy                      // order the stores before the DC
	mov	x0, x9
	mov	x1, #8
	dc_range ivac
	dsb	sy
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	sy
	isb
#endif
	bl	mmu_enable
	blr	x9
	cmp	x0, #2
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"code-mmuoff-write: ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	mov	x0, #1
	ret
	.balign	64
