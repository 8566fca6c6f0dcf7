// An SGI from PE 0 to PE 1 through the GICv3: PE 1 enables SGI 5 in its
// redistributor, unmasks IRQs and waits in WFI; PE 0 sends it with
// ICC_SGI1R_EL1 (TargetList bit 1, Aff1..3 = 0). PE 1's handler records
// the INTID from ICC_IAR1_EL1 and ends it; PE 0 prints it. Expect "sgi 5",
// exit 0, with --smp 2 (QEMU -smp 2: the same).
#include "gic.h"
	.section .text.boot
	.globl _start
_start:
	gicv3_dist_on
	ldr	w0, =0xc4000003		// CPU_ON
	mov	x1, #1			// MPIDR of PE 1
	adr	x2, secondary
	mov	x3, #0
	hvc	#0
	cbnz	x0, fail
	adr	x5, ready
1:	ldr	w6, [x5]
	cbz	w6, 1b
	mov	x0, #(5 << 24)		// INTID 5
	orr	x0, x0, #(1 << 1)	// TargetList: Aff0 = 1
	msr	icc_sgi1r_el1, x0
	isb
	adr	x5, got
2:	ldr	w6, [x5]
	cbz	w6, 2b
	cmp	w6, #5
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
	ldr	x20, =GICR(1)
	gicv3_cpu_on x20
	gicv3_private_on x20, 5, 0x40
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
	mrs	x1, icc_iar1_el1
	msr	icc_eoir1_el1, x1
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
ready:	.word	0
got:	.word	0
