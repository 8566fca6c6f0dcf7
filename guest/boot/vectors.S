/* EL1 exception vectors: save the interrupted context as a struct pt_regs
 * on the EL1 stack, let C decide (exceptions.c), restore and return.
 * Also the entry to and exit from EL0 for tests that run code there. */
#include "asm.h"

.macro vector_entry, idx
	.align	7
	sub	sp, sp, #S_FRAME
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\idx
	b	exception_common
.endm

	.align	11
ENTRY(vectors)
	vector_entry 0		// current EL, SP_EL0: sync
	vector_entry 1		// irq
	vector_entry 2		// fiq
	vector_entry 3		// serror
	vector_entry 4		// current EL, SP_ELx: sync
	vector_entry 5
	vector_entry 6
	vector_entry 7
	vector_entry 8		// lower EL, AArch64: sync
	vector_entry 9
	vector_entry 10
	vector_entry 11
	vector_entry 12		// lower EL, AArch32
	vector_entry 13
	vector_entry 14
	vector_entry 15
ENDPROC(vectors)

exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	/* The interrupted SP: SP_EL0 for exceptions from EL0 (vectors 8..15),
	 * otherwise ours before the frame was pushed. */
	cmp	x0, #8
	b.lo	1f
	mrs	x2, sp_el0
	b	2f
1:	add	x2, sp, #S_FRAME
2:	stp	x30, x2, [sp, #S_SP - 8]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #S_PC]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #S_ESR]
	mov	x1, x0
	mov	x0, sp
	/* A frame record so backtraces walk through the exception. */
	stp	x29, x2, [sp, #-16]!
	mov	x29, sp
	bl	do_exception
	add	sp, sp, #16

	/* Handlers may change PC, PSTATE, any GPR and the EL0 stack. */
	ldp	x2, x3, [sp, #S_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	and	x3, x3, #0xf		// returning to EL0t?
	cbnz	x3, 3f
	ldr	x2, [sp, #S_SP]
	msr	sp_el0, x2
3:	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #S_SP - 8]
	ldp	x0, x1, [sp, #16 * 0]
	add	sp, sp, #S_FRAME
	eret

/* u64 run_el0(u64 (*fn)(u64), u64 arg, u64 sp_top)
 * Runs fn(arg) at EL0t on the given stack; returns fn's result when fn
 * returns (through el0_exit's SVC). The callee-saved registers and our SP
 * are kept on the EL1 stack, its address in the per-CPU data. */
ENTRY(run_el0)
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x3, tpidr_el1
	mov	x4, sp
	str	x4, [x3, #PC_EL0_KSP]
	msr	sp_el0, x2
	msr	elr_el1, x0
	msr	spsr_el1, xzr		// EL0t, all exceptions unmasked
	mov	x0, x1
	adr	x30, el0_exit
	mov	x29, xzr
	eret
ENDPROC(run_el0)

/* Executed at EL0: hand fn's result back to EL1 (exceptions.c). */
ENTRY(el0_exit)
	svc	#EL0_EXIT_SVC
ENDPROC(el0_exit)

/* void el0_return(u64 ksp, u64 ret): called from the SVC handler; unwinds
 * to run_el0's frame and returns from it. */
ENTRY(el0_return)
	mov	sp, x0
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
ENDPROC(el0_return)
