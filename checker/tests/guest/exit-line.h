// The exit-*.S programs: print the bytes from msg to msg_end on the
// PL011 as they are (no NUL terminator: a NUL may be part of the test),
// then PSCI SYSTEM_OFF. Each program defines msg and msg_end.
	.section .text.boot
	.globl _start
_start:
	adr	x1, msg
	mov	x2, #0x09000000
	mov	x4, #msg_end - msg
1:	ldrb	w3, [x1], #1
	strb	w3, [x2]
	subs	x4, x4, #1
	b.ne	1b
	ldr	w0, =0x84000008		// SYSTEM_OFF
	hvc	#0
	b	.
