// 64 PEs deadlock, each at a WFE of its own: PE 0 starts PEs 1..63
// (context id = the PE's number, MPIDRs as for --gic-version 3: 16 per
// cluster), waits until each has said its number, and turns itself off;
// PE n waits in the WFE at idle + 8 n, which nothing will end. Expect a
// deadlock message that names all 64 PEs, exit 125.
	.section .text.boot
	.globl _start
_start:
	mov	x19, #1
	adr	x20, flag
next:	ldr	w0, =0xc4000003		// CPU_ON
	and	x1, x19, #15		// Aff0
	lsr	x2, x19, #4
	orr	x1, x1, x2, lsl #8	// Aff1
	adr	x2, secondary
	mov	x3, x19
	hvc	#0
	cbnz	x0, fail
1:	ldr	w6, [x20]		// until PE n runs
	cmp	w6, w19
	b.ne	1b
	add	x19, x19, #1
	cmp	x19, #64
	b.ne	next
	ldr	w0, =0x84000002		// CPU_OFF
	hvc	#0
fail:	b	.

secondary:				// x0 = its number
	adr	x5, flag
	str	w0, [x5]
	sevl
	adr	x1, idle
	add	x1, x1, x0, lsl #3
	br	x1

	.ltorg
	.org	0x100			// idle at 0x40080100
idle:
	.rept	64
1:	wfe
	b	1b
	.endr

	.balign	8
flag:	.word	0
