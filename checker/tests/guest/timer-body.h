// The timer test of timer-irq.S and timer-irq-el2.S: the PE's GICv3
// redistributor and CPU interface on, the timer's PPI enabled at priority
// 0x80, the timer armed, then WFI with IRQs unmasked until the handler has
// recorded the PPI; "irq NN" is printed. The including file includes
// gic.h, sets TIMER_PPI (two digits) and defines, before it includes this:
//   timer_vectors  the vector base (VBAR of its EL, and the routing)
//   timer_arm      program the timer and enable it
//   timer_check    after the IRQ, x5/w6 live: branch to fail if wrong
//   timer_in_irq   between acknowledge (x1) and EOI: deassert the PPI
//   timer_off      PSCI SYSTEM_OFF by its conduit
	.section .text.boot
	.globl _start
_start:
	adr	x0, vectors
	timer_vectors
	gicv3_dist_on
	ldr	x20, =GICR(0)
	gicv3_cpu_on x20
	gicv3_private_on x20, TIMER_PPI, 0x80
	timer_arm
	isb
	msr	daifclr, #2
	adr	x5, got
1:	wfi
	ldr	w6, [x5]
	cbz	w6, 1b
	timer_check
	cmp	w6, #TIMER_PPI
	b.ne	fail
	putc	'i'
	putc	'r'
	putc	'q'
	putc	' '
	putc	'0' + TIMER_PPI / 10
	putc	'0' + TIMER_PPI % 10
	putc	'\n'
	timer_off
fail:	putc	'F'
	putc	'\n'
	timer_off
	b	.

	.balign	2048
vectors:
	.skip	0x280
	// current EL with SP_ELx, IRQ
	mrs	x1, icc_iar1_el1
	timer_in_irq
	isb
	msr	icc_eoir1_el1, x1
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
got:	.word	0
