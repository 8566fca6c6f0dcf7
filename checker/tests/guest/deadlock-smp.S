// PE 0 starts PE 1 and turns itself off; PE 1 waits for an event with
// WFE that no PE is left to send (its own SEVL is consumed by the
// first WFE). Expect a deadlock naming PE 0 off and PE 1 in WFE, exit 125.
	.section .text.boot
	.globl _start
_start:
	ldr	w0, =0xc4000003		// CPU_ON
	mov	x1, #1			// MPIDR of PE 1
	adr	x2, secondary
	mov	x3, #0
	hvc	#0
	cbnz	x0, fail
	adr	x5, flag
1:	ldr	w6, [x5]		// wait until PE 1 runs
	cbz	w6, 1b
	ldr	w0, =0x84000002		// CPU_OFF
	hvc	#0
fail:	b	.

secondary:
	adr	x5, flag
	mov	w6, #1
	str	w6, [x5]
	sevl
idle:	wfe
	b	idle

	.balign	8
flag:	.word	0
