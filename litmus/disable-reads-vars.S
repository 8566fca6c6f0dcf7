// Rule: a routine that turns the MMU off must not read, after M = 0,
// variables written with the MMU on unless it cleaned them to the PoC first
// (docs/boot-cache-maintenance.md "Turning the MMU off" step 1; the
// kvm-unit-tests asm_mmu_disable bug: __phys_end read with M = 0 after a
// cacheable write). Here the routine reads the end of the range it will
// clean.
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
	/* Setup, MMU on: record the range (as __phys_end is set). */
	adr	x9, phys_end
	adr	x10, value
	add	x10, x10, #64
	str	x10, [x9]
#if FIXED
	mov	x0, x9                  // clean the routine's own variable
	mov	x1, #8
	dc_range cvac
	dsb	sy
#endif
	b	my_mmu_disable

/* The disable routine: M = 0, then it reads phys_end. */
my_mmu_disable:
	bl	mmu_disable
	adr	x9, phys_end
	ldr	x11, [x9]               // Device load of a cacheable write
	adr	x10, value
	add	x10, x10, #64
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"disable-reads-vars: read back\n"

	.section .litmus_data, "aw"
	.balign	64
phys_end: .quad	0
	.balign	64
value:	.quad	0
