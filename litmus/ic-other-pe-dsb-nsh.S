// Rule: a broadcast IC invalidation is complete for the other PEs only
// after a DSB of the Inner Shareable domain (or wider) of the issuing PE:
// DSB NSH waits for nothing outside the issuing PE, so the other PE's
// ISB after it may still leave it running the old code (Arm ARM DDI 0487
// "Memory barriers", Data Synchronization Barrier: it waits for the
// accesses and maintenance of its shareability domain; B2.4 "Concurrent modification and execution of instructions";
// docs/model.md "Another PE's invalidation"). As ic-other-pe-no-isb.S,
// with PE 1's ISB in both forms and the patching PE's last DSB NSH in
// the broken form, ISH in the fixed one.
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
#if FIXED
	dsb	ish
#else
	dsb	nsh
#endif
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
	isb
	blr	x9
	str	x0, [x11, #16]
	b	cpu_off

	.section .rodata
ok:	.asciz	"ic-other-pe-dsb-nsh: PE 1 ran the new code\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
flags:	.quad	0, 0, 0
