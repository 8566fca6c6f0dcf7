// An SGI from PE 0 to PE 1 through the GICv2 (--gic-version=2): PE 1
// enables SGI 5 in its banked GICD_ISENABLER0, turns on its GICC and
// waits in WFI with IRQs unmasked; PE 0 sends the SGI with GICD_SGIR
// (CPUTargetList bit 1). PE 1's handler reads GICC_IAR (CPUID 0, INTID 5)
// and writes it back to GICC_EOIR. Registers: Arm IHI 0048B, GICD_* and GICC_*.
// Expect "sgi 5", exit 0, with --smp 2 (QEMU gic-version=2 -smp 2: the
// same).
#include "gic.h"
#define GICC		0x08010000
	.section .text.boot
	.globl _start
_start:
	mov	x1, #GICD
	mov	w2, #1			// GICD_CTLR.Enable
	str	w2, [x1]
	ldr	w0, =0xc4000003		// CPU_ON
	mov	x1, #1
	adr	x2, secondary
	mov	x3, #0
	hvc	#0
	cbnz	x0, fail
	adr	x5, ready
1:	ldr	w6, [x5]
	cbz	w6, 1b
	mov	x1, #GICD
	ldr	w2, =(1 << 17) | 5	// CPUTargetList: PE 1; SGI 5
	str	w2, [x1, #0xf00]	// GICD_SGIR
	adr	x5, got
2:	ldr	w6, [x5]
	cbz	w6, 2b
	cmp	w6, #5			// CPUID 0 in bits 12:10
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
	mov	x1, #GICD
	mov	w2, #0x40
	strb	w2, [x1, #0x405]	// GICD_IPRIORITYR: SGI 5
	mov	w2, #(1 << 5)
	str	w2, [x1, #0x100]	// GICD_ISENABLER0 (banked)
	mov	x1, #GICC
	mov	w2, #0xf0
	str	w2, [x1, #0x4]		// GICC_PMR
	mov	w2, #1
	str	w2, [x1]		// GICC_CTLR.Enable
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
	mov	x2, #GICC
	ldr	w1, [x2, #0xc]		// GICC_IAR
	str	w1, [x2, #0x10]		// GICC_EOIR
	adr	x3, got
	str	w1, [x3]
	eret

	.balign	8
ready:	.word	0
got:	.word	0
