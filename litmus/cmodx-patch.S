// Rule: an instruction patched and executed without IC IVAU and ISB may
// run as the old or the new one; only when both are among B, BL, BRK,
// HVC, ISB, NOP, SMC and SVC is that the whole of what may happen (Arm
// ARM "Concurrent modification and execution of instructions";
// docs/model.md "Concurrent modification"), which is how Linux patches
// its jump labels and ftrace sites. The fixed form patches a NOP into a
// B: a note in --verbose, not a finding. The broken form patches a MOV
// into an ADD the same way: a finding. Either result (old or new) is
// accepted by the program: it is what the hardware may do.
// expect broken: stale-fetch may I
// expect fixed: none
// expect cause: no-ic-invalidate stale-fetch: DC CVAU, DSB ISH, IC IVAU
//   over the ranges, DSB ISH, ISB after the writes and before the first
//   execution
#include "harness.h"

#if FIXED
#define OLD_INSN 0xd503201f     /* nop */
#define NEW_INSN 0x14000002     /* b .+8 */
#define X0_IN 1                 /* nop; ret -> 1, b -> mov x0, #2 -> 2 */
#else
#define OLD_INSN 0xd2800020     /* mov x0, #1 */
#define NEW_INSN 0x91000800     /* add x0, x0, #2 */
#define X0_IN 0                 /* -> 1 or 2 */
#endif

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, code
	ldr	w10, =OLD_INSN
	str	w10, [x9]
	ldr	w10, =0xd65f03c0        // ret
	str	w10, [x9, #4]
	ldr	w10, =0xd2800040        // mov x0, #2
	str	w10, [x9, #8]
	ldr	w10, =0xd65f03c0        // ret
	str	w10, [x9, #12]
	mov	x0, x9                  // the first version, synchronised
	mov	x1, #16
	dc_range cvau
	dsb	ish
	mov	x0, x9
	mov	x1, #16
	ic_range
	dsb	ish
	isb
	mov	x0, #X0_IN
	blr	x9                      // now in the I-cache
	adr	x9, code
	ldr	w10, =NEW_INSN          // the patch: one 32-bit store
	str	w10, [x9]
	mov	x0, x9
	mov	x1, #4
	dc_range cvau
	dsb	ish                     // no IC IVAU, no ISB
	mov	x0, #X0_IN
	blr	x9
	cmp	x0, #1
	b.eq	1f
	cmp	x0, #2
	b.ne	bad
1:	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"cmodx-patch: ran the old or the new instruction\n"

	.section .litmus_data, "awx"
	.balign	64
code:	.skip	64
