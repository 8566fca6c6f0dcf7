// WFI with the physical timer armed: a wake-up can become pending, so
// this is no deadlock. The PE polls CNTP_CTL_EL0.ISTATUS after each
// WFI and exits 0 once the timer has fired.
	.section .text.boot
	.globl _start
_start:
	mov	x0, #1000
	msr	cntp_tval_el0, x0
	mov	x0, #1			// ENABLE, IMASK clear
	msr	cntp_ctl_el0, x0
	isb
1:	wfi
	mrs	x0, cntp_ctl_el0
	tbz	x0, #2, 1b		// ISTATUS
	mov	x2, #0x09000000
	mov	w3, #'T'
	strb	w3, [x2]
	mov	w3, #'\n'
	strb	w3, [x2]
	ldr	w0, =0x84000008
	hvc	#0
	b	.
