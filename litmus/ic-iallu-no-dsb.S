// Rule: an IC invalidation is complete only after a DSB of the issuing
// PE; the ISB after it then makes later fetches see its effect (Arm ARM
// DDI 0487 K.a B2.4.4; docs/model.md "Barriers and context
// synchronisation"). U-Boot's __asm_invalidate_icache_all
// (arch/arm/cpu/armv8/cache.S, 2023.01) is `ic ialluis; isb; ret`, with
// no DSB: under a contract that lets the I-cache hold lines at entry,
// every fetch of a line it held is reported, and all of them are one
// root cause. The code is run once first, so its old version is in the
// I-cache.
// expect broken: missing-barrier
// expect fixed: none
// expect cause: missing-barrier missing-barrier: DSB ISH (NSH for IC
//   IALLU) after the IC invalidation, then ISB, before the first fetch of
//   the ranges
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
	ic	ialluis
	dsb	ish
	isb
	blr	x9                      // now in the I-cache
	adr	x9, code
	write_code 2                    // version 2
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	bl	invalidate_icache_all
	blr	x9
	cmp	x0, #2
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

/* U-Boot's helper, and its fixed form. */
invalidate_icache_all:
	ic	ialluis
#if FIXED
	dsb	ish
#endif
	isb
	ret

	.section .rodata
ok:	.asciz	"ic-iallu-no-dsb: ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
