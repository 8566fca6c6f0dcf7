// PSCI CPU_ON starts PE 1, which prints "1" and sets a flag; PE 0 waits
// for the flag (with the MMU off: Device memory, no caches involved),
// prints "0", and turns the system off. Expect "10", exit 0.
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
1:	ldr	w6, [x5]
	cbz	w6, 1b
	mov	x2, #0x09000000
	mov	w3, #'0'
	strb	w3, [x2]
	mov	w3, #'\n'
	strb	w3, [x2]
	ldr	w0, =0x84000008
	hvc	#0
fail:	b	.

secondary:
	mov	x2, #0x09000000
	mov	w3, #'1'
	strb	w3, [x2]
	adr	x5, flag
	mov	w6, #1
	str	w6, [x5]
	ldr	w0, =0x84000002		// CPU_OFF
	hvc	#0
	b	.

	.balign	8
flag:	.word	0
