// The EL2 physical timer's IRQ taken at EL2 (--el2): PPI 26 through the
// GICv3, routed to EL2 by HCR_EL2.IMO (without it a physical IRQ targets
// EL1 and is not taken at EL2: Arm ARM D1, "Asynchronous exception
// types, routing, masking and priorities"). Expect "irq 26", exit 0
// (QEMU virt,gic-version=3,virtualization=on: the same, PSCI over SMC).
#include "gic.h"
	.section .text.boot
	.globl _start
_start:
	adr	x0, vectors
	msr	vbar_el2, x0
	mrs	x0, hcr_el2
	orr	x0, x0, #(1 << 4)	// IMO
	msr	hcr_el2, x0
	gicv3_dist_on
	ldr	x20, =GICR(0)
	gicv3_cpu_on x20
	gicv3_private_on x20, 26, 0x80
	mov	x0, #1000
	msr	cnthp_tval_el2, x0
	mov	x0, #1
	msr	cnthp_ctl_el2, x0
	isb
	msr	daifclr, #2
	adr	x5, got
1:	wfi
	ldr	w6, [x5]
	cbz	w6, 1b
	cmp	w6, #26
	b.ne	fail
	putc	'i'
	putc	'r'
	putc	'q'
	putc	' '
	putc	'2'
	putc	'6'
	putc	'\n'
	ldr	w0, =0x84000008
	smc	#0
fail:	putc	'F'
	putc	'\n'
	ldr	w0, =0x84000008
	smc	#0
	b	.

	.balign	2048
vectors:
	.skip	0x280
	// current EL with SP_ELx, IRQ
	mrs	x1, icc_iar1_el1
	mov	x2, #0			// disable the timer
	msr	cnthp_ctl_el2, x2
	isb
	msr	icc_eoir1_el1, x1
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
got:	.word	0
