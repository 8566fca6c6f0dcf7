// Many exceptions that make progress: 3000 SVCs from EL0, each handled
// at EL1 and returned from. Not an exception loop. Expect "ok", exit 0.
	.section .text.boot
	.globl _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	adr	x0, el0_stack_top
	msr	sp_el0, x0
	adr	x0, el0
	msr	elr_el1, x0
	msr	spsr_el1, xzr		// EL0t, interrupts unmasked
	mov	x9, #0			// SVCs handled
	isb
	eret

el0:	mov	x7, #3000
1:	svc	#1
	subs	x7, x7, #1
	b.ne	1b
	svc	#2			// done

done:	cmp	x9, #3001
	b.ne	fail
	mov	x2, #0x09000000
	mov	w3, #'o'
	strb	w3, [x2]
	mov	w3, #'k'
	strb	w3, [x2]
	mov	w3, #'\n'
	strb	w3, [x2]
	ldr	w0, =0x84000008
	hvc	#0
fail:	b	.

	.balign	2048
vectors:
	.skip	0x400
	// lower EL using AArch64, synchronous
	add	x9, x9, #1
	mrs	x4, esr_el1
	and	x4, x4, #0xffff
	cmp	x4, #2
	b.eq	done
	eret

	.balign	16
	.skip	256
el0_stack_top:
