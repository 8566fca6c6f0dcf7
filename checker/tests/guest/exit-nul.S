// A NUL before EXIT on the line: not a valid "EXIT: STATUS=n" line, so the run
// fails with the bad-EXIT status (123) although the guest powers off.
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
msg:	.ascii	"\0EXIT: STATUS=0\n"
msg_end:
