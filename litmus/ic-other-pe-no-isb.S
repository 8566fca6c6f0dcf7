// Rule: after one PE patches code and completes its IC invalidation
// (DC CVAU, DSB ISH, IC IVAU, DSB ISH), another PE that ran the old code
// must execute its own context synchronisation event (ISB, exception
// entry or return) before running the new code: the invalidation removes
// the line from its instruction cache, not the instructions it has
// already fetched (Arm ARM DDI 0487 B2.4 "Concurrent modification and
// execution of instructions" and "Synchronization and coherency issues
// between data and instruction accesses"; docs/model.md "Instruction
// caches"). PE 1 runs the old code, PE 0 patches it, PE 1 runs it again.
// smp: 2
// expect broken: missing-barrier may I
// expect fixed: none
// expect cause: missing-barrier missing-barrier: the barrier the detail
//   names, between the operation and the access
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, code
	write_code 1                    // the old code
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	isb
	mov	x0, #1                  // MPIDR affinity of PE 1
	mov	x1, #0
	bl	cpu_on
	cbnz	x0, bad
	adr	x11, flags
1:	ldr	x10, [x11]              // PE 1 ran the old code
	cbz	x10, 1b
	/* Patch: the sequence of the issuing PE is complete. */
	adr	x9, code
	write_code 2
	mov	x0, x9
	mov	x1, #8
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #8
	ic_range
	dsb	ish
	mov	x10, #1
	str	x10, [x11, #8]          // tell PE 1
	mov	x0, #1
	bl	cpu_wait_off
	ldr	x10, [x11, #16]         // what PE 1 got the second time
	cmp	x10, #2
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

/* PE 1: MMU on, run the old code, wait for the patch, run it again. */
	.globl	litmus_secondary
litmus_secondary:
	bl	mmu_enable
	adr	x9, code
	blr	x9
	adr	x11, flags
	str	x0, [x11]               // 1: ran the old code
1:	ldr	x10, [x11, #8]
	cbz	x10, 1b
#if FIXED
	isb
#endif
	blr	x9
	str	x0, [x11, #16]
	b	cpu_off

	.section .rodata
ok:	.asciz	"ic-other-pe-no-isb: PE 1 ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
flags:	.quad	0, 0, 0
