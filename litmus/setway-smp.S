// Rule: set/way maintenance is local to one PE and not for coherency:
// with more than one PE running with caches on, use maintenance by VA
// (docs/boot-cache-maintenance.md "Architectural facts" fact 7; KVM's
// and U-Boot's comments on set/way).
// smp: 2
// expect broken: set-way-not-coherent
// expect fixed: none
// expect cause: set-way set-way-not-coherent: maintenance by VA (DC CIVAC
//   over the ranges) instead of by set/way
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	mov	x0, #1
	mov	x1, #0
	bl	cpu_on
	cbnz	x0, bad
	adr	x9, flag
1:	ldr	x10, [x9]               // wait until PE 1 runs with caches on
	cbz	x10, 1b
	adr	x9, value
	mov	x10, #5
	str	x10, [x9]
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range civac                  // by VA: broadcast to the PoC
#else
	mov	x0, xzr
	dc	cisw, x0                // set 0 way 0 of L1: this PE only
#endif
	dsb	sy
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

/* PE 1: MMU and caches on (the primary's tables), say so, and idle. */
	.globl	litmus_secondary
litmus_secondary:
	bl	mmu_enable
	adr	x9, flag
	mov	x10, #1
	str	x10, [x9]
1:	wfe
	b	1b

	.section .rodata
ok:	.asciz	"setway-smp: done\n"

	.section .litmus_data, "aw"
	.balign	64
flag:	.quad	0
	.balign	64
value:	.quad	0
