// The virtual timer's IRQ taken at EL1 through the GICv3: one second of
// guest time (CNTFRQ_EL0 ticks) ahead, with the PE in WFI meanwhile (the
// checker skips the idle time; 10^9 instructions' worth would exceed the
// test's budget). The handler acknowledges PPI 27 (ICC_IAR1_EL1), checks
// the running priority, masks the timer (IMASK) and ends the interrupt
// (ICC_EOIR1_EL1). Expect "irq 27", exit 0 (QEMU: the same).
#include "gic.h"
	.section .text.boot
	.globl _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	gicv3_dist_on
	ldr	x20, =GICR(0)
	gicv3_cpu_on x20
	gicv3_private_on x20, 27, 0x80
	mrs	x0, cntfrq_el0
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0
	isb
	msr	daifclr, #2
	adr	x5, got
1:	wfi
	ldr	w6, [x5]
	cbz	w6, 1b
	mrs	x0, icc_rpr_el1		// idle again after the EOI
	cmp	x0, #0xff
	b.ne	fail
	cmp	w6, #27
	b.ne	fail
	putc	'i'
	putc	'r'
	putc	'q'
	putc	' '
	putc	'2'
	putc	'7'
	putc	'\n'
	system_off
fail:	putc	'F'
	putc	'\n'
	system_off
	b	.

	.balign	2048
vectors:
	.skip	0x280
	// current EL with SP_ELx, IRQ
	mrs	x1, icc_iar1_el1
	mrs	x2, icc_rpr_el1		// the acknowledged priority
	cmp	x2, #0x80
	b.ne	fail
	mov	x2, #3			// ENABLE, IMASK: deassert the PPI
	msr	cntv_ctl_el0, x2
	isb
	msr	icc_eoir1_el1, x1
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
got:	.word	0
