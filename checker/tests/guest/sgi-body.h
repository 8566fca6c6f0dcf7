// The SGI test of sgi-v2.S and sgi-v3.S, which differ only in how they
// talk to the GIC: PE 0 starts PE 1, waits until PE 1 is ready, sends it
// SGI 5 and prints "sgi 5" once PE 1's handler has recorded INTID 5.
// The including file includes gic.h, then defines, before it includes
// this:
//   sgi_dist_on  PE 0: the distributor on
//   sgi_send     PE 0: SGI 5 to PE 1
//   sgi_pe1_on   PE 1: SGI 5 enabled at priority 0x40, its CPU interface on
//   sgi_ack      PE 1's IRQ vector: acknowledge into w1, end the interrupt
	.section .text.boot
	.globl _start
_start:
	sgi_dist_on
	ldr	w0, =0xc4000003		// CPU_ON
	mov	x1, #1			// MPIDR of PE 1
	adr	x2, secondary
	mov	x3, #0
	hvc	#0
	cbnz	x0, fail
	adr	x5, ready
1:	ldr	w6, [x5]
	cbz	w6, 1b
	sgi_send
	adr	x5, got
2:	ldr	w6, [x5]
	cbz	w6, 2b
	cmp	w6, #5			// v2: CPUID 0 in bits 12:10
	b.ne	fail
	putc	's'
	putc	'g'
	putc	'i'
	putc	' '
	putc	'5'
	putc	'\n'
	system_off
fail:	putc	'F'
	putc	'\n'
	system_off
	b	.

secondary:
	adr	x0, vectors
	msr	vbar_el1, x0
	sgi_pe1_on
	msr	daifclr, #2
	adr	x5, ready
	mov	w6, #1
	str	w6, [x5]
	adr	x5, got
1:	wfi
	ldr	w6, [x5]
	cbz	w6, 1b
	ldr	w0, =0x84000002		// CPU_OFF
	hvc	#0
	b	.

	.balign	2048
vectors:
	.skip	0x280
	sgi_ack
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
ready:	.word	0
got:	.word	0
